/* lines — stdout throughput: 100k short printf lines, as a chatty program
 * writes them (WASI fd_write against native write). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 100000;
    for (uint32_t i = 0; i < n; i++) printf("line %u of the output\n", i);
    return 0;
}
