/* cli_stdin.c — reads stdin once (one read, so one fd_read) and says how
 * many bytes came: it waits as long as stdin is a pipe with no data and a
 * writer. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    char buf[256];
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes\n", n);
    return 0;
}
