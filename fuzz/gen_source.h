/*
 * gen_source.h — the stream of random choices behind the module generator
 * (gen_module.h) and the differential runner (diff_run.h).
 *
 * Two kinds of stream give the same interface:
 *   - a seed: a splitmix64 sequence, for deterministic test runs;
 *   - a fuzzer's input bytes, read in order, so that libFuzzer's mutations
 *     steer the choices. An exhausted byte stream reads as zeros, and every
 *     choice the generator makes puts its simplest option at 0, so a short
 *     input still gives a small, complete module.
 */
#ifndef ISORUN_FUZZ_GEN_SOURCE_H
#define ISORUN_FUZZ_GEN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gen_source {
    const uint8_t *data; /* byte mode: the input, read from pos on */
    size_t len, pos;
    uint64_t state; /* seed mode: splitmix64 state */
    bool from_bytes;
} gen_source;

void gen_source_from_seed(gen_source *s, uint64_t seed);
/* The bytes are borrowed: they must outlive the source. */
void gen_source_from_bytes(gen_source *s, const uint8_t *data, size_t len);

uint64_t gen_u64(gen_source *s);
/* A number in [0, n); 0 when n <= 1 or a byte stream is exhausted. */
uint32_t gen_below(gen_source *s, uint32_t n);
/* True with roughly `percent` % probability; false on an exhausted stream. */
bool gen_chance(gen_source *s, uint32_t percent);

/* A value of numeric type `valtype` (WASM_I32...) as a slot's bits, drawn
 * mostly from edge cases: 0, -1, INT_MIN, shift counts just past the width,
 * addresses at page ends, -0, infinities, quiet and signalling NaNs,
 * denormals, the limits of float-to-int conversion; sometimes random bits. */
uint64_t gen_constant_bits(gen_source *s, uint8_t valtype);

/* The 16 bytes of a v128 constant (little-endian lanes), drawn the same
 * way in one lane shape (i8x16 ... f64x2): a splat of one edge case, lanes
 * drawn one by one (for the float shapes NaNs, infinities, -0 among them),
 * or random bytes. All zeros on an exhausted stream. */
void gen_v128_constant(gen_source *s, uint8_t bytes[16]);
/* The same in a given lane shape: lanes of lane_bytes (1, 2, 4 or 8),
 * floats when is_float (4 or 8). */
void gen_v128_lanes(gen_source *s, uint8_t bytes[16], unsigned lane_bytes, bool is_float);

#endif /* ISORUN_FUZZ_GEN_SOURCE_H */
