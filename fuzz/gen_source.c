/*
 * gen_source.c — random choices from a seed or from a fuzzer's bytes, and
 * the edge-case constants both the generated code and the call arguments
 * draw from (gen_source.h).
 */
#include "gen_source.h"

#include "../src/wasm/wasm.h"

#include <string.h>

void gen_source_from_seed(gen_source *s, uint64_t seed) {
    *s = (gen_source){.state = seed};
}

void gen_source_from_bytes(gen_source *s, const uint8_t *data, size_t len) {
    *s = (gen_source){.data = data, .len = len, .from_bytes = true};
}

/* The next n (<= 8) bytes of a byte stream, little-endian; zeros past the end. */
static uint64_t next_bytes(gen_source *s, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t byte = s->pos < s->len ? s->data[s->pos++] : 0;
        v |= byte << (8 * i);
    }
    return v;
}

uint64_t gen_u64(gen_source *s) {
    if (s->from_bytes) return next_bytes(s, 8);
    uint64_t z = (s->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t gen_below(gen_source *s, uint32_t n) {
    if (n <= 1) return 0;
    if (!s->from_bytes) return (uint32_t)(gen_u64(s) % n);
    /* As few bytes as the range needs, so that one mutated byte changes one
     * choice rather than shifting many. */
    unsigned width = n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
    return (uint32_t)(next_bytes(s, width) % n);
}

bool gen_chance(gen_source *s, uint32_t percent) {
    /* Counted from the top, so that 0 (an exhausted stream) means "no". */
    return gen_below(s, 100) >= 100 - percent;
}

static const uint32_t i32_edges[] = {
    0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
    0xFFFC, 0xFFF8, 0x1FFFF, 0x20000, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFE0,
};
static const uint64_t i64_edges[] = {
    0, 1, 2, 31, 32, 33, 63, 64, 65, 127, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000ull,
    0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull, 0x8000000000000001ull, 0xFFFFFFFFFFFFFFFFull,
    0xFFFFFFFF80000000ull, 0xFFFFFFFFFFFFFFC0ull,
};
static const uint32_t f32_edges[] = {
    0x00000000, 0x80000000,             /* +0, -0 */
    0x3F800000, 0xBF800000, 0x3F000000, /* 1, -1, 0.5 */
    0x3FC00000, 0x40200000, 0xBFC00000, /* 1.5, 2.5, -1.5: ties for nearest */
    0x7F800000, 0xFF800000,             /* +-inf */
    0x7FC00000, 0xFFC00000, 0x7FC00001, /* quiet NaNs, one with a payload */
    0x7FA00000, 0xFF800001, 0x7F800001, /* signalling NaNs */
    0x00000001, 0x807FFFFF, 0x00800000, /* denormals, the smallest normal */
    0x7F7FFFFF, 0xFF7FFFFF,             /* +-max */
    0x4F000000, 0xCF000000, 0x4F800000, /* 2^31, -2^31, 2^32: edges of trunc to i32 */
    0xCF000001, 0x4EFFFFFF, 0xBF7FFFFF, /* just past / inside them, -0.99999 */
    0x5F000000, 0xDF000000, 0x5F800000, /* 2^63, -2^63, 2^64 */
    0x4B800000, 0x4B7FFFFF,             /* 2^24 and just below: integer precision */
};
static const uint64_t f64_edges[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull,
    0x3FE0000000000000ull, 0x3FF8000000000000ull, 0x4004000000000000ull, 0xBFF8000000000000ull,
    0x7FF0000000000000ull, 0xFFF0000000000000ull, 0x7FF8000000000000ull, 0xFFF8000000000000ull,
    0x7FF8000000000001ull, 0x7FF4000000000000ull, 0xFFF0000000000001ull, 0x7FF0000000000001ull,
    0x0000000000000001ull, 0x800FFFFFFFFFFFFFull, 0x0010000000000000ull, 0x7FEFFFFFFFFFFFFFull,
    0x41E0000000000000ull, 0xC1E0000000000000ull, 0x41F0000000000000ull, /* 2^31, -2^31, 2^32 */
    0xC1E0000000200000ull, 0x41DFFFFFFFC00000ull, 0xC1E00000001FFFFFull, /* -2^31-1, 2^31-1, -2^31-0.99 */
    0x43E0000000000000ull, 0xC3E0000000000000ull, 0x43F0000000000000ull, /* 2^63, -2^63, 2^64 */
    0x4340000000000000ull, 0x433FFFFFFFFFFFFFull, /* 2^53 and just below */
    0x36A0000000000000ull, 0x47EFFFFFE0000000ull, /* below f32's smallest denormal, f32 max */
};

#define COUNT(a) (uint32_t)(sizeof(a) / sizeof((a)[0]))

/* A small "ordinary" number: what most programs compute with. */
static int32_t small_int(gen_source *s) { return (int32_t)gen_below(s, 41) - 20; }

uint64_t gen_constant_bits(gen_source *s, uint8_t valtype) {
    uint32_t how = gen_below(s, 8); /* 0-3 edge case, 4-5 small number, 6-7 random bits */
    switch (valtype) {
    case WASM_I32:
        if (how < 4) return i32_edges[gen_below(s, COUNT(i32_edges))];
        if (how < 6) return (uint32_t)small_int(s);
        return (uint32_t)gen_u64(s);
    case WASM_I64:
        if (how < 4) return i64_edges[gen_below(s, COUNT(i64_edges))];
        if (how < 6) return (uint64_t)(int64_t)small_int(s);
        return gen_u64(s);
    case WASM_F32: {
        if (how < 4) return f32_edges[gen_below(s, COUNT(f32_edges))];
        if (how < 6) {
            float f = (float)small_int(s) / 4.0f;
            uint32_t bits;
            memcpy(&bits, &f, sizeof bits);
            return bits;
        }
        return (uint32_t)gen_u64(s);
    }
    case WASM_F64: {
        if (how < 4) return f64_edges[gen_below(s, COUNT(f64_edges))];
        if (how < 6) {
            double d = (double)small_int(s) / 4.0;
            uint64_t bits;
            memcpy(&bits, &d, sizeof bits);
            return bits;
        }
        return gen_u64(s);
    }
    }
    return 0;
}

/* Narrow lanes' edge cases: the signed and unsigned limits and their
 * neighbours, where saturating, narrowing and averaging differ. */
static const uint8_t i8_edges[] = {0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x40};
static const uint16_t i16_edges[] = {0x0000, 0x0001, 0x007F, 0x0080, 0x00FF, 0x0100, 0x7FFF,
                                     0x8000, 0x8001, 0xFFFF, 0xFF80, 0xFF7F, 0x4000};

/* One lane of `bytes` wide (1, 2, 4 or 8; floats when `is_float`). */
static uint64_t lane_bits(gen_source *s, unsigned bytes, bool is_float) {
    uint32_t how = gen_below(s, 8);
    switch (bytes) {
    case 1:
        if (how < 4) return i8_edges[gen_below(s, COUNT(i8_edges))];
        return how < 6 ? (uint8_t)small_int(s) : (uint8_t)gen_u64(s);
    case 2:
        if (how < 4) return i16_edges[gen_below(s, COUNT(i16_edges))];
        return how < 6 ? (uint16_t)small_int(s) : (uint16_t)gen_u64(s);
    case 4: return gen_constant_bits(s, is_float ? WASM_F32 : WASM_I32);
    default: return gen_constant_bits(s, is_float ? WASM_F64 : WASM_I64);
    }
}

void gen_v128_lanes(gen_source *s, uint8_t bytes[16], unsigned lane_bytes, bool is_float) {
    uint32_t how = gen_below(s, 8);
    if (how == 7) {
        for (unsigned i = 0; i < 16; i++) bytes[i] = (uint8_t)gen_below(s, 256);
        return;
    }
    uint64_t lane = 0;
    for (unsigned at = 0; at < 16; at += lane_bytes) {
        /* 0-1: one value in every lane (a splat); otherwise lane by lane. */
        if (at == 0 || how >= 2) lane = lane_bits(s, lane_bytes, is_float);
        for (unsigned k = 0; k < lane_bytes; k++) bytes[at + k] = (uint8_t)(lane >> (8 * k));
    }
}

void gen_v128_constant(gen_source *s, uint8_t bytes[16]) {
    /* Shapes in the order 0 (an exhausted stream) makes simplest. */
    static const struct {
        unsigned lane_bytes;
        bool is_float;
    } shapes[6] = {{4, false}, {1, false}, {2, false}, {8, false}, {4, true}, {8, true}};
    uint32_t shape = gen_below(s, 6);
    gen_v128_lanes(s, bytes, shapes[shape].lane_bytes, shapes[shape].is_float);
}
