/* cli_grow.c — allocates 1 MiB blocks until malloc fails and prints how
 * many it got: under --max-memory the count stays below the limit, and the
 * guest ends normally (memory.grow returns -1; nothing traps). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kept, and read back at the end: otherwise the compiler may drop the
 * allocations as unused. */
static char *kept[8192];

int main(void) {
    int blocks = 0;
    for (; blocks < 8192; blocks++) {
        kept[blocks] = malloc(1 << 20);
        if (!kept[blocks]) break;
        memset(kept[blocks], blocks & 0x7F, 1 << 20); /* touch it: the memory really exists */
    }
    long check = 0;
    for (int i = 0; i < blocks; i++) check += kept[i][i];
    printf("allocated %d MiB\n", blocks);
    return check >= 0 ? 0 : 1;
}
