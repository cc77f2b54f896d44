/* fib — recursive calls: the naive doubly recursive Fibonacci, which is
 * almost nothing but call, compare, add and return. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 43;
    uint32_t total = 0;
    /* Two rounds with different n so no compiler can fold one call away. */
    total += fib(n);
    total += fib(n - 3);
    printf("fib(%u) + fib(%u) checksum: %u\n", n, n - 3, total);
    return 0;
}
