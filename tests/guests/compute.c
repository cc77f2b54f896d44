/* compute.c — the demo guest: a sieve of Eratosthenes over the numbers below
 * a bound (default 10 million, or argv[1]). It prints how many primes there
 * are, their sum and an order-sensitive checksum, so a wrong answer from the
 * engine (an arithmetic bug, a bad memory access) shows up in the output.
 *
 * Expected for the default bound:
 *   primes below 10000000: 664579
 *   sum: 3203324994356
 *   checksum: 9f2297ceb5469b3b
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Marks composites in is_composite[0..bound). */
static void sieve(uint8_t *is_composite, uint32_t bound) {
    memset(is_composite, 0, bound);
    is_composite[0] = is_composite[1] = 1;
    for (uint32_t p = 2; (uint64_t)p * p < bound; p++) {
        if (is_composite[p]) continue;
        for (uint32_t multiple = p * p; multiple < bound; multiple += p) is_composite[multiple] = 1;
    }
}

int main(int argc, char **argv) {
    uint32_t bound = 10000000;
    if (argc > 1) bound = (uint32_t)strtoul(argv[1], NULL, 10);
    if (bound < 2) bound = 2;

    uint8_t *is_composite = malloc(bound);
    if (!is_composite) {
        fprintf(stderr, "compute: cannot allocate %u bytes\n", bound);
        return 1;
    }
    sieve(is_composite, bound);

    uint32_t count = 0;
    uint64_t sum = 0;
    /* FNV-1a over the primes in order: any missing, extra or misplaced prime
     * changes it. */
    uint64_t checksum = 0xcbf29ce484222325u;
    for (uint32_t n = 2; n < bound; n++) {
        if (is_composite[n]) continue;
        count++;
        sum += n;
        checksum = (checksum ^ n) * 0x100000001b3u;
    }
    free(is_composite);

    printf("primes below %u: %u\n", bound, count);
    printf("sum: %llu\n", (unsigned long long)sum);
    printf("checksum: %016llx\n", (unsigned long long)checksum);
    return 0;
}
