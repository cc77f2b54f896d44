/* diff_exit.c — how a program ends: `return N` from main, exit(N) with
 * buffered output still to flush, or _Exit(N) which does not flush.
 *   diff_exit return|exit|_exit N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) return 99;
    int code = atoi(argv[2]);
    printf("ending with %s %d\n", argv[1], code); /* still buffered when stdout is a pipe */
    if (strcmp(argv[1], "exit") == 0) exit(code);
    if (strcmp(argv[1], "_exit") == 0) {
        fflush(stdout);
        printf("this line is never flushed\n");
        _Exit(code);
    }
    return code;
}
