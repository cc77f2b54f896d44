/* lines_write — fd_write itself: the same 100k lines as lines.c, but each
 * formatted by hand (no printf) and written with its own write(), so the
 * time is dominated by one WASI fd_write (natively: one write syscall) per
 * line rather than by the guest's printf code. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* "line <i> of the output\n" into buf; returns its length. */
static size_t format_line(char *buf, uint32_t i) {
    static const char head[] = "line ", tail[] = " of the output\n";
    size_t n = 0;
    for (size_t k = 0; k < sizeof head - 1; k++) buf[n++] = head[k];
    char digits[10];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    while (nd) buf[n++] = digits[--nd];
    for (size_t k = 0; k < sizeof tail - 1; k++) buf[n++] = tail[k];
    return n;
}

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 100000;
    char buf[64];
    for (uint32_t i = 0; i < n; i++) {
        size_t len = format_line(buf, i);
        if (write(1, buf, len) != (ssize_t)len) return 1;
    }
    return 0;
}
