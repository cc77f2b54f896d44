/*
 * stats_provider.c — the provider of the flagship demo (scripts/demo.sh):
 * integer helpers that other instances import as "example:stats/ops", over
 * TCP from `isorun serve` or in-process through a local link. It imports
 * nothing and is granted nothing.
 */
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("add") int64_t stats_add(int64_t a, int64_t b) { return a + b; }

EXPORT("square") int64_t stats_square(int64_t a) { return a * a; }

/* The integer square root (floor) of a non-negative value; -1 for a negative
 * one. Newton's iteration from above converges without overflow. */
EXPORT("isqrt") int64_t stats_isqrt(int64_t v) {
    if (v < 0) return -1;
    if (v < 2) return v;
    uint64_t x = (uint64_t)v, y = (x + 1) / 2;
    while (y < x) {
        x = y;
        y = (x + (uint64_t)v / x) / 2;
    }
    return (int64_t)x;
}
