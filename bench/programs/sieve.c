/* sieve — memory traffic: the sieve of Eratosthenes over a byte array,
 * run several times, counting primes and summing the last ones found. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t sieve(uint8_t *composite, uint32_t limit, uint64_t *sum) {
    memset(composite, 0, limit + 1);
    uint32_t count = 0;
    for (uint32_t i = 2; i <= limit; i++) {
        if (composite[i]) continue;
        count++;
        *sum += i;
        for (uint64_t j = (uint64_t)i * i; j <= limit; j += i) composite[j] = 1;
    }
    return count;
}

int main(int argc, char **argv) {
    uint32_t limit = argc > 1 ? (uint32_t)atoi(argv[1]) : 30000000;
    uint32_t rounds = 6;
    uint8_t *composite = malloc((size_t)limit + 1);
    if (!composite) return 1;
    uint64_t sum = 0, count = 0;
    for (uint32_t r = 0; r < rounds; r++) count += sieve(composite, limit - r, &sum);
    printf("sieve(%u) x%u checksum: %llu %llu\n", limit, rounds, (unsigned long long)count,
           (unsigned long long)sum);
    free(composite);
    return 0;
}
