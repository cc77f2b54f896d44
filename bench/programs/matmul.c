/* matmul — f64 arithmetic: C = A * B for square matrices, in i-k-j order so
 * the inner loop streams through rows, then a checksum of C. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 1000;
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
    double *c = calloc((size_t)n * n, sizeof(double));
    if (!a || !b || !c) return 1;
    /* Deterministic inputs from a small LCG, scaled into [-1, 1). */
    uint32_t seed = 12345;
    for (uint32_t i = 0; i < n * n; i++) {
        seed = seed * 1664525u + 1013904223u;
        a[i] = (double)(seed >> 8) / (double)(1u << 23) - 1.0;
        seed = seed * 1664525u + 1013904223u;
        b[i] = (double)(seed >> 8) / (double)(1u << 23) - 1.0;
    }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < n; k++) {
            double aik = a[i * n + k];
            for (uint32_t j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
    double sum = 0, diag = 0;
    for (uint32_t i = 0; i < n * n; i++) sum += c[i];
    for (uint32_t i = 0; i < n; i++) diag += c[i * n + i];
    printf("matmul(%u) checksum: %.12e %.12e\n", n, sum, diag);
    free(a);
    free(b);
    free(c);
    return 0;
}
