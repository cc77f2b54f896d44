/*
 * report.c — the consumer of the flagship demo (scripts/demo.sh): a WASI
 * command that reads whitespace-separated integers from a file in its mount,
 * computes their count, sum, mean and standard deviation with the functions
 * it imports from "example:stats/ops" (linked locally or to a remote
 * instance: it cannot tell which), writes a report next to the input, and
 * shows that a path outside its mount is refused.
 *
 * usage: report INPUT OUTPUT
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("example:stats/ops"), import_name(name)))

IMPORT("add") int64_t ops_add(int64_t a, int64_t b);
IMPORT("square") int64_t ops_square(int64_t a);
IMPORT("isqrt") int64_t ops_isqrt(int64_t v);

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s INPUT OUTPUT\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        fprintf(stderr, "report: cannot open %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    int64_t n = 0, sum = 0, sum_squares = 0;
    long long v;
    while (fscanf(in, "%lld", &v) == 1) {
        n++;
        sum = ops_add(sum, v);
        sum_squares = ops_add(sum_squares, ops_square(v));
    }
    fclose(in);
    if (n == 0) {
        fprintf(stderr, "report: no numbers in %s\n", argv[1]);
        return 1;
    }
    int64_t mean = sum / n;
    int64_t stddev = ops_isqrt(sum_squares / n - mean * mean);

    char line[160];
    snprintf(line, sizeof line, "n=%lld sum=%lld mean=%lld stddev=%lld\n", (long long)n, (long long)sum,
             (long long)mean, (long long)stddev);
    fputs(line, stdout);
    FILE *out = fopen(argv[2], "w");
    if (!out || fputs(line, out) < 0 || fclose(out) != 0) {
        fprintf(stderr, "report: cannot write %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    printf("wrote %s\n", argv[2]);

    /* The sandbox: nothing outside the mount is reachable. */
    FILE *escape = fopen("/data/../../etc/passwd", "r");
    printf("reading /data/../../etc/passwd: %s\n", escape ? "allowed (!)" : strerror(errno));
    if (escape) fclose(escape);
    return 0;
}
