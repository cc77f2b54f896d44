/* diff_stdio.c — the three standard streams: copies stdin to stdout with
 * lower case turned upper, counts bytes and lines, and reports on stderr
 * and stdout in a fixed order (stdout is flushed before stderr writes). */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    long bytes = 0, lines = 0;
    int c;
    while ((c = getchar()) != EOF) {
        bytes++;
        if (c == '\n') lines++;
        putchar(toupper(c));
    }
    printf("-- %ld bytes, %ld lines\n", bytes, lines);
    /* A second read at end of file stays at end of file. */
    printf("-- read after EOF: %s\n", getchar() == EOF ? "EOF" : "data");
    fflush(stdout);
    fprintf(stderr, "a line on stderr\n");
    /* Raw fd writes, bypassing stdio. */
    const char raw[] = "raw write to fd 1\n";
    ssize_t n = write(1, raw, sizeof raw - 1);
    printf("-- write returned %zd\n", n);
    return 0;
}
