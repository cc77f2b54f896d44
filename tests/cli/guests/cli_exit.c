/* cli_exit.c — exits with the status given as argv[1] (through proc_exit),
 * after printing its argv so tests see argv[0] too. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
    fflush(stdout);
    exit(argc > 1 ? atoi(argv[1]) : 0);
}
