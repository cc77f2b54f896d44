/* cli_capabilities.c — tries each capability `--allow` grants and prints
 * "ok" or the errno it got, so tests see ENOTCAPABLE (76) without a grant. */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
        printf("clocks: %s\n", ts.tv_sec > 1600000000 ? "ok" : "implausible time");
    else
        printf("clocks: errno %d\n", errno);
    unsigned char bytes[16] = {0};
    if (getentropy(bytes, sizeof bytes) == 0) {
        int nonzero = 0;
        for (size_t i = 0; i < sizeof bytes; i++) nonzero += bytes[i] != 0;
        printf("random: %s\n", nonzero ? "ok" : "all zero");
    } else {
        printf("random: errno %d\n", errno);
    }
    return 0;
}
