/* textlib.c — a reactor (library) guest with no WASI imports: exported
 * functions the host calls directly, with strings passed through the guest's
 * own malloc. Built with -mexec-model=reactor; the host calls _initialize
 * first. Shows that real clang output runs on the engine without WASI. */
#include <stdint.h>
#include <stdlib.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("alloc") void *guest_alloc(int32_t size) { return malloc((size_t)size); }
EXPORT("release") void guest_release(void *p) { free(p); }

EXPORT("add") int32_t add(int32_t a, int32_t b) { return a + b; }

EXPORT("count_vowels") int32_t count_vowels(const char *text, int32_t len) {
    int32_t vowels = 0;
    for (int32_t i = 0; i < len; i++) {
        switch (text[i] | 0x20) { /* ASCII lower case */
        case 'a': case 'e': case 'i': case 'o': case 'u': vowels++; break;
        default: break;
        }
    }
    return vowels;
}

/* Sums 1..n both in 64-bit integers and in doubles (exact below 2^53) and
 * returns the sum when they agree, -1 when they do not: exercises the i64,
 * f64 and conversion code paths. */
EXPORT("sum_check") int64_t sum_check(int32_t n) {
    double float_sum = 0;
    int64_t int_sum = 0;
    for (int32_t i = 1; i <= n; i++) {
        float_sum += i;
        int_sum += i;
    }
    return (int64_t)float_sum == int_sum ? int_sum : -1;
}
