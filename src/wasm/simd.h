/*
 * simd.h — what WebAssembly's vector instructions compute: one function
 * simd_<NAME> for each entry of opcodes_simd.h (v128.const has none), shaped
 * by the entry's IMM and SIG:
 *
 *   NONE v_v / vv_v / vvv_v   wasm_v128 f(a [, b [, c]])   (bitselect: c = mask)
 *   NONE v_i                  uint32_t f(a)
 *   NONE vi_v (shifts)        wasm_v128 f(a, uint32_t n)   n modulo the lane width
 *   NONE i_v..d_v (splat)     wasm_v128 f(uint64_t slot)
 *   LANE<n> v_? (extract)     uint64_t f(a, unsigned lane) a slot: i32 zero-
 *                             extended, f32 bits in the low 32, f64/i64 all 64
 *   LANE<n> v?_v (replace)    wasm_v128 f(a, unsigned lane, uint64_t slot)
 *   MEMARG i_v (loads)        wasm_v128 f(const uint8_t *p)
 *   MEMARG iv_ (store)        void f(uint8_t *p, wasm_v128 v)
 *   MEMLANE<n> iv_v / iv_     f(p, v, unsigned lane) (load lane / store lane)
 *   SHUFFLE vv_v              wasm_v128 f(a, b, lanes): the 16 index bytes
 *
 * Memory functions read or write exactly the bytes the instruction accesses,
 * at p, which the caller has bounds-checked; p need not be aligned. Lane
 * indices are validated, but are masked here anyway, so no argument value
 * reaches outside a lane array.
 *
 * Like numeric.h this text is embedded in the C the native tier generates,
 * after numeric.h's (whose helpers it uses: f32_of/bits_f32, QUIET_F32,
 * wasm_fminf..., sat_i32/sat_u32), so it includes nothing of the project
 * and needs only <stdint.h>, <string.h> and <math.h>. Plain loops over lane
 * arrays, no vector extensions: the C compiler vectorizes them. Every
 * function is defined for every operand value (the tests run under UBSan):
 * lane arithmetic is done in unsigned types or in types wide enough for the
 * exact result, and signed right shifts go through simd_sar.
 */
#ifndef ISORUN_WASM_SIMD_H
#define ISORUN_WASM_SIMD_H

#include <stdint.h>
#ifndef WASM_NUMERIC_FREESTANDING
#include <math.h>
#include <string.h>
#endif

/* A v128: lo holds bytes 0-7 (lane 0 first, little-endian), hi bytes 8-15. */
/* Every operation is one small loop the C compiler should see through:
 * forced inline, since in a large generated function gcc would otherwise
 * keep some as calls, and a call moves the vector through memory. */
#if defined(__GNUC__)
#define SIMD_FN static inline __attribute__((always_inline))
#else
#define SIMD_FN static inline
#endif

typedef struct wasm_v128 {
    uint64_t lo, hi;
} wasm_v128;

/* v -> a 16-byte array of lanes of any type (uint8_t[16] ... double[2]). */
SIMD_FN void simd_lanes(void *lanes, wasm_v128 v) {
    memcpy(lanes, &v.lo, 8);
    memcpy((uint8_t *)lanes + 8, &v.hi, 8);
}
/* A 16-byte array of lanes -> v128. */
SIMD_FN wasm_v128 simd_v128(const void *lanes) {
    wasm_v128 v;
    memcpy(&v.lo, lanes, 8);
    memcpy(&v.hi, (const uint8_t *)lanes + 8, 8);
    return v;
}

/* x >> s rounding toward minus infinity (s < 64), without shifting a
 * negative value: -1 - x is never negative when x is. */
SIMD_FN int64_t simd_sar(int64_t x, unsigned s) {
    return x >= 0 ? x >> s : -1 - ((-1 - x) >> s);
}

/* --- Generators for the regular families; #undef'd at the end. ---------- */

/* r[i] = EXPR, x = a[i]: N lanes of TA in, N lanes of TR out. */
#define SIMD_MAP1(NAME, TA, TR, N, EXPR)                                       \
    SIMD_FN wasm_v128 simd_##NAME(wasm_v128 va) {                        \
        TA a[N];                                                               \
        TR r[N];                                                               \
        simd_lanes(a, va);                                                     \
        for (unsigned i = 0; i < (N); i++) {                                   \
            TA x = a[i];                                                       \
            r[i] = (TR)(EXPR);                                                 \
        }                                                                      \
        return simd_v128(r);                                                   \
    }

/* r[i] = EXPR, x = a[i], y = b[i]. */
#define SIMD_MAP2(NAME, TA, TR, N, EXPR)                                       \
    SIMD_FN wasm_v128 simd_##NAME(wasm_v128 va, wasm_v128 vb) {          \
        TA a[N], b[N];                                                         \
        TR r[N];                                                               \
        simd_lanes(a, va);                                                     \
        simd_lanes(b, vb);                                                     \
        for (unsigned i = 0; i < (N); i++) {                                   \
            TA x = a[i], y = b[i];                                             \
            r[i] = (TR)(EXPR);                                                 \
        }                                                                      \
        return simd_v128(r);                                                   \
    }

/* Lane comparison: all ones where COND holds, else zero (TR unsigned). */
#define SIMD_CMP(NAME, TA, TR, N, COND) SIMD_MAP2(NAME, TA, TR, N, (TR)0 - (TR)(COND))

/* Shift by n modulo BITS: s is the count, x the lane. */
#define SIMD_SHIFT(NAME, T, N, BITS, EXPR)                                     \
    SIMD_FN wasm_v128 simd_##NAME(wasm_v128 va, uint32_t n) {            \
        T a[N];                                                                \
        unsigned s = n & ((BITS)-1u);                                          \
        simd_lanes(a, va);                                                     \
        for (unsigned i = 0; i < (N); i++) {                                   \
            T x = a[i];                                                        \
            a[i] = (T)(EXPR);                                                  \
        }                                                                      \
        return simd_v128(a);                                                   \
    }

/* Widening: N lanes of TA from lane FIRST on -> N lanes of TR. */
#define SIMD_EXTEND(NAME, TA, TR, N, FIRST)                                    \
    SIMD_FN wasm_v128 simd_##NAME(wasm_v128 va) {                        \
        TA a[2 * (N)];                                                         \
        TR r[N];                                                               \
        simd_lanes(a, va);                                                     \
        for (unsigned i = 0; i < (N); i++) r[i] = (TR)a[(FIRST) + i];          \
        return simd_v128(r);                                                   \
    }

/* Widening multiply of N lanes from lane FIRST on; TM holds every product. */
#define SIMD_EXTMUL(NAME, TA, TM, TR, N, FIRST)                                \
    SIMD_FN wasm_v128 simd_##NAME(wasm_v128 va, wasm_v128 vb) {          \
        TA a[2 * (N)], b[2 * (N)];                                             \
        TR r[N];                                                               \
        simd_lanes(a, va);                                                     \
        simd_lanes(b, vb);                                                     \
        for (unsigned i = 0; i < (N); i++)                                     \
            r[i] = (TR)((TM)a[(FIRST) + i] * (TM)b[(FIRST) + i]);              \
        return simd_v128(r);                                                   \
    }

/* Sum of each pair of adjacent TA lanes, as one of the N TR lanes (exact). */
#define SIMD_EXTADD_PAIRWISE(NAME, TA, TR, N)                                  \
    SIMD_FN wasm_v128 simd_##NAME(wasm_v128 va) {                        \
        TA a[2 * (N)];                                                         \
        TR r[N];                                                               \
        simd_lanes(a, va);                                                     \
        for (unsigned i = 0; i < (N); i++) r[i] = (TR)(a[2 * i] + a[2 * i + 1]); \
        return simd_v128(r);                                                   \
    }

/* Narrowing: the lanes of a then those of b (TA, N/2 each), each clamped to
 * [LO, HI] as one of the N TR lanes. */
#define SIMD_NARROW(NAME, TA, TR, N, LO, HI)                                   \
    SIMD_FN wasm_v128 simd_##NAME(wasm_v128 va, wasm_v128 vb) {          \
        TA ab[N];                                                              \
        TR r[N];                                                               \
        simd_lanes(ab, va);                                                    \
        simd_lanes(ab + (N) / 2, vb);                                          \
        for (unsigned i = 0; i < (N); i++)                                     \
            r[i] = (TR)(ab[i] < (LO) ? (LO) : ab[i] > (HI) ? (HI) : ab[i]);    \
        return simd_v128(r);                                                   \
    }

/* all_true (every lane nonzero) and bitmask (bit i = lane i's top bit). */
#define SIMD_ALL_TRUE_BITMASK(SHAPE, T, N, BITS)                               \
    SIMD_FN uint32_t simd_##SHAPE##_ALL_TRUE(wasm_v128 va) {             \
        T a[N];                                                                \
        uint32_t all = 1;                                                      \
        simd_lanes(a, va);                                                     \
        for (unsigned i = 0; i < (N); i++) all &= (uint32_t)(a[i] != 0);       \
        return all;                                                            \
    }                                                                          \
    SIMD_FN uint32_t simd_##SHAPE##_BITMASK(wasm_v128 va) {              \
        T a[N];                                                                \
        uint32_t mask = 0;                                                     \
        simd_lanes(a, va);                                                     \
        for (unsigned i = 0; i < (N); i++)                                     \
            mask |= (uint32_t)((a[i] >> ((BITS)-1u)) & 1u) << i;               \
        return mask;                                                           \
    }

/* splat, extract_lane and replace_lane of a shape whose lanes' bits are T
 * (floats are moved as bits: no NaN is touched). */
#define SIMD_SPLAT_REPLACE(SHAPE, T, N)                                        \
    SIMD_FN wasm_v128 simd_##SHAPE##_SPLAT(uint64_t x) {                 \
        T r[N];                                                                \
        for (unsigned i = 0; i < (N); i++) r[i] = (T)x;                        \
        return simd_v128(r);                                                   \
    }                                                                          \
    SIMD_FN wasm_v128 simd_##SHAPE##_REPLACE_LANE(wasm_v128 va, unsigned lane, uint64_t x) { \
        T a[N];                                                                \
        simd_lanes(a, va);                                                     \
        a[lane & ((N)-1u)] = (T)x;                                             \
        return simd_v128(a);                                                   \
    }
#define SIMD_EXTRACT(NAME, T, N, SLOT)                                         \
    SIMD_FN uint64_t simd_##NAME(wasm_v128 va, unsigned lane) {          \
        T a[N];                                                                \
        simd_lanes(a, va);                                                     \
        T x = a[lane & ((N)-1u)];                                              \
        return (uint64_t)(SLOT);                                               \
    }

/* Loads: N lanes of TM at p, each converted to TR (extending loads). */
#define SIMD_LOAD_EXTEND(NAME, TM, TR, N)                                      \
    SIMD_FN wasm_v128 simd_##NAME(const uint8_t *p) {                    \
        TM m[N];                                                               \
        TR r[N];                                                               \
        memcpy(m, p, sizeof m);                                                \
        for (unsigned i = 0; i < (N); i++) r[i] = (TR)m[i];                    \
        return simd_v128(r);                                                   \
    }
/* One T at p in every lane. */
#define SIMD_LOAD_SPLAT(NAME, T, N)                                            \
    SIMD_FN wasm_v128 simd_##NAME(const uint8_t *p) {                    \
        T x, r[N];                                                             \
        memcpy(&x, p, sizeof x);                                               \
        for (unsigned i = 0; i < (N); i++) r[i] = x;                           \
        return simd_v128(r);                                                   \
    }
/* One T at p in lane 0, the other lanes zero. */
#define SIMD_LOAD_ZERO(NAME, T, N)                                             \
    SIMD_FN wasm_v128 simd_##NAME(const uint8_t *p) {                    \
        T r[N];                                                                \
        memset(r, 0, sizeof r);                                                \
        memcpy(&r[0], p, sizeof r[0]);                                         \
        return simd_v128(r);                                                   \
    }
/* load<BITS>_lane / store<BITS>_lane: one T lane from / to p. */
#define SIMD_MEM_LANE(LOADNAME, STORENAME, T, N)                               \
    SIMD_FN wasm_v128 simd_##LOADNAME(const uint8_t *p, wasm_v128 v, unsigned lane) { \
        T a[N];                                                                \
        simd_lanes(a, v);                                                      \
        memcpy(&a[lane & ((N)-1u)], p, sizeof a[0]);                           \
        return simd_v128(a);                                                   \
    }                                                                          \
    SIMD_FN void simd_##STORENAME(uint8_t *p, wasm_v128 v, unsigned lane) { \
        T a[N];                                                                \
        simd_lanes(a, v);                                                      \
        memcpy(p, &a[lane & ((N)-1u)], sizeof a[0]);                           \
    }

/* --- Memory ---------------------------------------------------------------- */

SIMD_FN wasm_v128 simd_V128_LOAD(const uint8_t *p) {
    return simd_v128(p);
}
SIMD_FN void simd_V128_STORE(uint8_t *p, wasm_v128 v) {
    simd_lanes(p, v);
}
SIMD_LOAD_EXTEND(V128_LOAD8X8_S, int8_t, int16_t, 8)
SIMD_LOAD_EXTEND(V128_LOAD8X8_U, uint8_t, uint16_t, 8)
SIMD_LOAD_EXTEND(V128_LOAD16X4_S, int16_t, int32_t, 4)
SIMD_LOAD_EXTEND(V128_LOAD16X4_U, uint16_t, uint32_t, 4)
SIMD_LOAD_EXTEND(V128_LOAD32X2_S, int32_t, int64_t, 2)
SIMD_LOAD_EXTEND(V128_LOAD32X2_U, uint32_t, uint64_t, 2)
SIMD_LOAD_SPLAT(V128_LOAD8_SPLAT, uint8_t, 16)
SIMD_LOAD_SPLAT(V128_LOAD16_SPLAT, uint16_t, 8)
SIMD_LOAD_SPLAT(V128_LOAD32_SPLAT, uint32_t, 4)
SIMD_LOAD_SPLAT(V128_LOAD64_SPLAT, uint64_t, 2)
SIMD_LOAD_ZERO(V128_LOAD32_ZERO, uint32_t, 4)
SIMD_LOAD_ZERO(V128_LOAD64_ZERO, uint64_t, 2)
SIMD_MEM_LANE(V128_LOAD8_LANE, V128_STORE8_LANE, uint8_t, 16)
SIMD_MEM_LANE(V128_LOAD16_LANE, V128_STORE16_LANE, uint16_t, 8)
SIMD_MEM_LANE(V128_LOAD32_LANE, V128_STORE32_LANE, uint32_t, 4)
SIMD_MEM_LANE(V128_LOAD64_LANE, V128_STORE64_LANE, uint64_t, 2)

/* --- Lanes: shuffle, swizzle, splat, extract, replace ---------------------- */

/* Lane i of the result is byte lanes[i] of a's bytes followed by b's. */
SIMD_FN wasm_v128 simd_I8X16_SHUFFLE(wasm_v128 a, wasm_v128 b, wasm_v128 lanes) {
    uint8_t ab[32], idx[16], r[16];
    simd_lanes(ab, a);
    simd_lanes(ab + 16, b);
    simd_lanes(idx, lanes);
    for (unsigned i = 0; i < 16; i++) r[i] = ab[idx[i] & 31u];
    return simd_v128(r);
}
/* Lane i of the result is byte s[i] of a, or 0 when s[i] >= 16. */
SIMD_FN wasm_v128 simd_I8X16_SWIZZLE(wasm_v128 va, wasm_v128 vs) {
    uint8_t a[16], s[16], r[16];
    simd_lanes(a, va);
    simd_lanes(s, vs);
    for (unsigned i = 0; i < 16; i++) r[i] = s[i] < 16 ? a[s[i]] : 0;
    return simd_v128(r);
}

SIMD_SPLAT_REPLACE(I8X16, uint8_t, 16)
SIMD_SPLAT_REPLACE(I16X8, uint16_t, 8)
SIMD_SPLAT_REPLACE(I32X4, uint32_t, 4)
SIMD_SPLAT_REPLACE(I64X2, uint64_t, 2)
SIMD_SPLAT_REPLACE(F32X4, uint32_t, 4)
SIMD_SPLAT_REPLACE(F64X2, uint64_t, 2)
SIMD_EXTRACT(I8X16_EXTRACT_LANE_S, int8_t, 16, (uint32_t)(int32_t)x)
SIMD_EXTRACT(I8X16_EXTRACT_LANE_U, uint8_t, 16, x)
SIMD_EXTRACT(I16X8_EXTRACT_LANE_S, int16_t, 8, (uint32_t)(int32_t)x)
SIMD_EXTRACT(I16X8_EXTRACT_LANE_U, uint16_t, 8, x)
SIMD_EXTRACT(I32X4_EXTRACT_LANE, uint32_t, 4, x)
SIMD_EXTRACT(I64X2_EXTRACT_LANE, uint64_t, 2, x)
SIMD_EXTRACT(F32X4_EXTRACT_LANE, uint32_t, 4, x)
SIMD_EXTRACT(F64X2_EXTRACT_LANE, uint64_t, 2, x)

/* --- Comparisons ------------------------------------------------------------ */

SIMD_CMP(I8X16_EQ, uint8_t, uint8_t, 16, x == y)
SIMD_CMP(I8X16_NE, uint8_t, uint8_t, 16, x != y)
SIMD_CMP(I8X16_LT_S, int8_t, uint8_t, 16, x < y)
SIMD_CMP(I8X16_LT_U, uint8_t, uint8_t, 16, x < y)
SIMD_CMP(I8X16_GT_S, int8_t, uint8_t, 16, x > y)
SIMD_CMP(I8X16_GT_U, uint8_t, uint8_t, 16, x > y)
SIMD_CMP(I8X16_LE_S, int8_t, uint8_t, 16, x <= y)
SIMD_CMP(I8X16_LE_U, uint8_t, uint8_t, 16, x <= y)
SIMD_CMP(I8X16_GE_S, int8_t, uint8_t, 16, x >= y)
SIMD_CMP(I8X16_GE_U, uint8_t, uint8_t, 16, x >= y)
SIMD_CMP(I16X8_EQ, uint16_t, uint16_t, 8, x == y)
SIMD_CMP(I16X8_NE, uint16_t, uint16_t, 8, x != y)
SIMD_CMP(I16X8_LT_S, int16_t, uint16_t, 8, x < y)
SIMD_CMP(I16X8_LT_U, uint16_t, uint16_t, 8, x < y)
SIMD_CMP(I16X8_GT_S, int16_t, uint16_t, 8, x > y)
SIMD_CMP(I16X8_GT_U, uint16_t, uint16_t, 8, x > y)
SIMD_CMP(I16X8_LE_S, int16_t, uint16_t, 8, x <= y)
SIMD_CMP(I16X8_LE_U, uint16_t, uint16_t, 8, x <= y)
SIMD_CMP(I16X8_GE_S, int16_t, uint16_t, 8, x >= y)
SIMD_CMP(I16X8_GE_U, uint16_t, uint16_t, 8, x >= y)
SIMD_CMP(I32X4_EQ, uint32_t, uint32_t, 4, x == y)
SIMD_CMP(I32X4_NE, uint32_t, uint32_t, 4, x != y)
SIMD_CMP(I32X4_LT_S, int32_t, uint32_t, 4, x < y)
SIMD_CMP(I32X4_LT_U, uint32_t, uint32_t, 4, x < y)
SIMD_CMP(I32X4_GT_S, int32_t, uint32_t, 4, x > y)
SIMD_CMP(I32X4_GT_U, uint32_t, uint32_t, 4, x > y)
SIMD_CMP(I32X4_LE_S, int32_t, uint32_t, 4, x <= y)
SIMD_CMP(I32X4_LE_U, uint32_t, uint32_t, 4, x <= y)
SIMD_CMP(I32X4_GE_S, int32_t, uint32_t, 4, x >= y)
SIMD_CMP(I32X4_GE_U, uint32_t, uint32_t, 4, x >= y)
SIMD_CMP(I64X2_EQ, uint64_t, uint64_t, 2, x == y)
SIMD_CMP(I64X2_NE, uint64_t, uint64_t, 2, x != y)
SIMD_CMP(I64X2_LT_S, int64_t, uint64_t, 2, x < y)
SIMD_CMP(I64X2_GT_S, int64_t, uint64_t, 2, x > y)
SIMD_CMP(I64X2_LE_S, int64_t, uint64_t, 2, x <= y)
SIMD_CMP(I64X2_GE_S, int64_t, uint64_t, 2, x >= y)
/* Float comparisons are false on a NaN operand, except ne. */
SIMD_CMP(F32X4_EQ, float, uint32_t, 4, x == y)
SIMD_CMP(F32X4_NE, float, uint32_t, 4, x != y)
SIMD_CMP(F32X4_LT, float, uint32_t, 4, x < y)
SIMD_CMP(F32X4_GT, float, uint32_t, 4, x > y)
SIMD_CMP(F32X4_LE, float, uint32_t, 4, x <= y)
SIMD_CMP(F32X4_GE, float, uint32_t, 4, x >= y)
SIMD_CMP(F64X2_EQ, double, uint64_t, 2, x == y)
SIMD_CMP(F64X2_NE, double, uint64_t, 2, x != y)
SIMD_CMP(F64X2_LT, double, uint64_t, 2, x < y)
SIMD_CMP(F64X2_GT, double, uint64_t, 2, x > y)
SIMD_CMP(F64X2_LE, double, uint64_t, 2, x <= y)
SIMD_CMP(F64X2_GE, double, uint64_t, 2, x >= y)

/* --- Bitwise ---------------------------------------------------------------- */

SIMD_FN wasm_v128 simd_V128_NOT(wasm_v128 a) {
    return (wasm_v128){~a.lo, ~a.hi};
}
SIMD_FN wasm_v128 simd_V128_AND(wasm_v128 a, wasm_v128 b) {
    return (wasm_v128){a.lo & b.lo, a.hi & b.hi};
}
SIMD_FN wasm_v128 simd_V128_ANDNOT(wasm_v128 a, wasm_v128 b) {
    return (wasm_v128){a.lo & ~b.lo, a.hi & ~b.hi};
}
SIMD_FN wasm_v128 simd_V128_OR(wasm_v128 a, wasm_v128 b) {
    return (wasm_v128){a.lo | b.lo, a.hi | b.hi};
}
SIMD_FN wasm_v128 simd_V128_XOR(wasm_v128 a, wasm_v128 b) {
    return (wasm_v128){a.lo ^ b.lo, a.hi ^ b.hi};
}
/* Each bit from a where the mask c has a 1, from b where it has a 0. */
SIMD_FN wasm_v128 simd_V128_BITSELECT(wasm_v128 a, wasm_v128 b, wasm_v128 c) {
    return (wasm_v128){(a.lo & c.lo) | (b.lo & ~c.lo), (a.hi & c.hi) | (b.hi & ~c.hi)};
}
SIMD_FN uint32_t simd_V128_ANY_TRUE(wasm_v128 a) {
    return (uint32_t)((a.lo | a.hi) != 0);
}

SIMD_ALL_TRUE_BITMASK(I8X16, uint8_t, 16, 8)
SIMD_ALL_TRUE_BITMASK(I16X8, uint16_t, 8, 16)
SIMD_ALL_TRUE_BITMASK(I32X4, uint32_t, 4, 32)
SIMD_ALL_TRUE_BITMASK(I64X2, uint64_t, 2, 64)

/* --- Integer arithmetic ----------------------------------------------------- */
/* Lanes are unsigned where the result wraps; products of 16-bit lanes are
 * taken as uint32_t (as int, 65535 * 65535 would overflow). */

SIMD_MAP1(I8X16_ABS, uint8_t, uint8_t, 16, x & 0x80u ? 0u - x : x)
SIMD_MAP1(I8X16_NEG, uint8_t, uint8_t, 16, 0u - x)
SIMD_MAP1(I8X16_POPCNT, uint8_t, uint8_t, 16, __builtin_popcount(x))
SIMD_MAP2(I8X16_ADD, uint8_t, uint8_t, 16, x + y)
SIMD_MAP2(I8X16_SUB, uint8_t, uint8_t, 16, x - y)
SIMD_MAP2(I8X16_ADD_SAT_S, int8_t, int8_t, 16, x + y < -128 ? -128 : x + y > 127 ? 127 : x + y)
SIMD_MAP2(I8X16_ADD_SAT_U, uint8_t, uint8_t, 16, x + y > 255 ? 255 : x + y)
SIMD_MAP2(I8X16_SUB_SAT_S, int8_t, int8_t, 16, x - y < -128 ? -128 : x - y > 127 ? 127 : x - y)
SIMD_MAP2(I8X16_SUB_SAT_U, uint8_t, uint8_t, 16, x > y ? x - y : 0)
SIMD_MAP2(I8X16_MIN_S, int8_t, int8_t, 16, x < y ? x : y)
SIMD_MAP2(I8X16_MIN_U, uint8_t, uint8_t, 16, x < y ? x : y)
SIMD_MAP2(I8X16_MAX_S, int8_t, int8_t, 16, x > y ? x : y)
SIMD_MAP2(I8X16_MAX_U, uint8_t, uint8_t, 16, x > y ? x : y)
SIMD_MAP2(I8X16_AVGR_U, uint8_t, uint8_t, 16, (x + y + 1) >> 1)
SIMD_NARROW(I8X16_NARROW_I16X8_S, int16_t, int8_t, 16, -128, 127)
SIMD_NARROW(I8X16_NARROW_I16X8_U, int16_t, uint8_t, 16, 0, 255)
SIMD_SHIFT(I8X16_SHL, uint8_t, 16, 8, x << s)
SIMD_SHIFT(I8X16_SHR_S, int8_t, 16, 8, simd_sar(x, s))
SIMD_SHIFT(I8X16_SHR_U, uint8_t, 16, 8, x >> s)

SIMD_MAP1(I16X8_ABS, uint16_t, uint16_t, 8, x & 0x8000u ? 0u - x : x)
SIMD_MAP1(I16X8_NEG, uint16_t, uint16_t, 8, 0u - x)
SIMD_MAP2(I16X8_ADD, uint16_t, uint16_t, 8, x + y)
SIMD_MAP2(I16X8_SUB, uint16_t, uint16_t, 8, x - y)
SIMD_MAP2(I16X8_MUL, uint16_t, uint16_t, 8, (uint32_t)x * y)
SIMD_MAP2(I16X8_ADD_SAT_S, int16_t, int16_t, 8, x + y < -32768 ? -32768 : x + y > 32767 ? 32767 : x + y)
SIMD_MAP2(I16X8_ADD_SAT_U, uint16_t, uint16_t, 8, x + y > 65535 ? 65535 : x + y)
SIMD_MAP2(I16X8_SUB_SAT_S, int16_t, int16_t, 8, x - y < -32768 ? -32768 : x - y > 32767 ? 32767 : x - y)
SIMD_MAP2(I16X8_SUB_SAT_U, uint16_t, uint16_t, 8, x > y ? x - y : 0)
SIMD_MAP2(I16X8_MIN_S, int16_t, int16_t, 8, x < y ? x : y)
SIMD_MAP2(I16X8_MIN_U, uint16_t, uint16_t, 8, x < y ? x : y)
SIMD_MAP2(I16X8_MAX_S, int16_t, int16_t, 8, x > y ? x : y)
SIMD_MAP2(I16X8_MAX_U, uint16_t, uint16_t, 8, x > y ? x : y)
SIMD_MAP2(I16X8_AVGR_U, uint16_t, uint16_t, 8, (x + y + 1) >> 1)
/* (x * y + 2^14) >> 15, saturated: only -32768 * -32768 gives 32768. */
SIMD_MAP2(I16X8_Q15MULR_SAT_S, int16_t, int16_t, 8,
          simd_sar(x * y + 0x4000, 15) > 32767 ? 32767 : simd_sar(x * y + 0x4000, 15))
SIMD_NARROW(I16X8_NARROW_I32X4_S, int32_t, int16_t, 8, -32768, 32767)
SIMD_NARROW(I16X8_NARROW_I32X4_U, int32_t, uint16_t, 8, 0, 65535)
SIMD_EXTEND(I16X8_EXTEND_LOW_I8X16_S, int8_t, int16_t, 8, 0)
SIMD_EXTEND(I16X8_EXTEND_HIGH_I8X16_S, int8_t, int16_t, 8, 8)
SIMD_EXTEND(I16X8_EXTEND_LOW_I8X16_U, uint8_t, uint16_t, 8, 0)
SIMD_EXTEND(I16X8_EXTEND_HIGH_I8X16_U, uint8_t, uint16_t, 8, 8)
SIMD_EXTMUL(I16X8_EXTMUL_LOW_I8X16_S, int8_t, int32_t, int16_t, 8, 0)
SIMD_EXTMUL(I16X8_EXTMUL_HIGH_I8X16_S, int8_t, int32_t, int16_t, 8, 8)
SIMD_EXTMUL(I16X8_EXTMUL_LOW_I8X16_U, uint8_t, uint32_t, uint16_t, 8, 0)
SIMD_EXTMUL(I16X8_EXTMUL_HIGH_I8X16_U, uint8_t, uint32_t, uint16_t, 8, 8)
SIMD_EXTADD_PAIRWISE(I16X8_EXTADD_PAIRWISE_I8X16_S, int8_t, int16_t, 8)
SIMD_EXTADD_PAIRWISE(I16X8_EXTADD_PAIRWISE_I8X16_U, uint8_t, uint16_t, 8)
SIMD_SHIFT(I16X8_SHL, uint16_t, 8, 16, (uint32_t)x << s)
SIMD_SHIFT(I16X8_SHR_S, int16_t, 8, 16, simd_sar(x, s))
SIMD_SHIFT(I16X8_SHR_U, uint16_t, 8, 16, x >> s)

SIMD_MAP1(I32X4_ABS, uint32_t, uint32_t, 4, x & 0x80000000u ? 0u - x : x)
SIMD_MAP1(I32X4_NEG, uint32_t, uint32_t, 4, 0u - x)
SIMD_MAP2(I32X4_ADD, uint32_t, uint32_t, 4, x + y)
SIMD_MAP2(I32X4_SUB, uint32_t, uint32_t, 4, x - y)
SIMD_MAP2(I32X4_MUL, uint32_t, uint32_t, 4, x * y)
SIMD_MAP2(I32X4_MIN_S, int32_t, int32_t, 4, x < y ? x : y)
SIMD_MAP2(I32X4_MIN_U, uint32_t, uint32_t, 4, x < y ? x : y)
SIMD_MAP2(I32X4_MAX_S, int32_t, int32_t, 4, x > y ? x : y)
SIMD_MAP2(I32X4_MAX_U, uint32_t, uint32_t, 4, x > y ? x : y)
SIMD_EXTEND(I32X4_EXTEND_LOW_I16X8_S, int16_t, int32_t, 4, 0)
SIMD_EXTEND(I32X4_EXTEND_HIGH_I16X8_S, int16_t, int32_t, 4, 4)
SIMD_EXTEND(I32X4_EXTEND_LOW_I16X8_U, uint16_t, uint32_t, 4, 0)
SIMD_EXTEND(I32X4_EXTEND_HIGH_I16X8_U, uint16_t, uint32_t, 4, 4)
SIMD_EXTMUL(I32X4_EXTMUL_LOW_I16X8_S, int16_t, int32_t, int32_t, 4, 0)
SIMD_EXTMUL(I32X4_EXTMUL_HIGH_I16X8_S, int16_t, int32_t, int32_t, 4, 4)
SIMD_EXTMUL(I32X4_EXTMUL_LOW_I16X8_U, uint16_t, uint32_t, uint32_t, 4, 0)
SIMD_EXTMUL(I32X4_EXTMUL_HIGH_I16X8_U, uint16_t, uint32_t, uint32_t, 4, 4)
SIMD_EXTADD_PAIRWISE(I32X4_EXTADD_PAIRWISE_I16X8_S, int16_t, int32_t, 4)
SIMD_EXTADD_PAIRWISE(I32X4_EXTADD_PAIRWISE_I16X8_U, uint16_t, uint32_t, 4)
/* Sum of the two products of each lane pair; only the sum of two
 * -32768 * -32768 products (2^31) wraps, to INT32_MIN. */
SIMD_FN wasm_v128 simd_I32X4_DOT_I16X8_S(wasm_v128 va, wasm_v128 vb) {
    int16_t a[8], b[8];
    uint32_t r[4];
    simd_lanes(a, va);
    simd_lanes(b, vb);
    for (unsigned i = 0; i < 4; i++)
        r[i] = (uint32_t)((int64_t)a[2 * i] * b[2 * i] + (int64_t)a[2 * i + 1] * b[2 * i + 1]);
    return simd_v128(r);
}
SIMD_SHIFT(I32X4_SHL, uint32_t, 4, 32, x << s)
SIMD_SHIFT(I32X4_SHR_S, int32_t, 4, 32, simd_sar(x, s))
SIMD_SHIFT(I32X4_SHR_U, uint32_t, 4, 32, x >> s)

SIMD_MAP1(I64X2_ABS, uint64_t, uint64_t, 2, x >> 63 ? 0u - x : x)
SIMD_MAP1(I64X2_NEG, uint64_t, uint64_t, 2, 0u - x)
SIMD_MAP2(I64X2_ADD, uint64_t, uint64_t, 2, x + y)
SIMD_MAP2(I64X2_SUB, uint64_t, uint64_t, 2, x - y)
SIMD_MAP2(I64X2_MUL, uint64_t, uint64_t, 2, x * y)
SIMD_EXTEND(I64X2_EXTEND_LOW_I32X4_S, int32_t, int64_t, 2, 0)
SIMD_EXTEND(I64X2_EXTEND_HIGH_I32X4_S, int32_t, int64_t, 2, 2)
SIMD_EXTEND(I64X2_EXTEND_LOW_I32X4_U, uint32_t, uint64_t, 2, 0)
SIMD_EXTEND(I64X2_EXTEND_HIGH_I32X4_U, uint32_t, uint64_t, 2, 2)
SIMD_EXTMUL(I64X2_EXTMUL_LOW_I32X4_S, int32_t, int64_t, int64_t, 2, 0)
SIMD_EXTMUL(I64X2_EXTMUL_HIGH_I32X4_S, int32_t, int64_t, int64_t, 2, 2)
SIMD_EXTMUL(I64X2_EXTMUL_LOW_I32X4_U, uint32_t, uint64_t, uint64_t, 2, 0)
SIMD_EXTMUL(I64X2_EXTMUL_HIGH_I32X4_U, uint32_t, uint64_t, uint64_t, 2, 2)
SIMD_SHIFT(I64X2_SHL, uint64_t, 2, 64, x << s)
SIMD_SHIFT(I64X2_SHR_S, int64_t, 2, 64, simd_sar(x, s))
SIMD_SHIFT(I64X2_SHR_U, uint64_t, 2, 64, x >> s)

/* --- Floating point --------------------------------------------------------- */
/* As in numeric.h: arithmetic on a NaN yields a quiet NaN by itself; the
 * rounding functions, promote and demote are guarded by QUIET_F32; abs, neg
 * and pmin/pmax move bits and leave NaNs exactly as they are. */

SIMD_MAP1(F32X4_ABS, uint32_t, uint32_t, 4, x & 0x7FFFFFFFu)
SIMD_MAP1(F32X4_NEG, uint32_t, uint32_t, 4, x ^ 0x80000000u)
SIMD_MAP1(F32X4_SQRT, float, float, 4, sqrtf(x))
SIMD_MAP1(F32X4_CEIL, float, float, 4, QUIET_F32(x, ceilf(x)))
SIMD_MAP1(F32X4_FLOOR, float, float, 4, QUIET_F32(x, floorf(x)))
SIMD_MAP1(F32X4_TRUNC, float, float, 4, QUIET_F32(x, truncf(x)))
SIMD_MAP1(F32X4_NEAREST, float, float, 4, QUIET_F32(x, nearbyintf(x)))
SIMD_MAP2(F32X4_ADD, float, float, 4, x + y)
SIMD_MAP2(F32X4_SUB, float, float, 4, x - y)
SIMD_MAP2(F32X4_MUL, float, float, 4, x * y)
SIMD_MAP2(F32X4_DIV, float, float, 4, x / y)
SIMD_MAP2(F32X4_MIN, float, float, 4, wasm_fminf(x, y))
SIMD_MAP2(F32X4_MAX, float, float, 4, wasm_fmaxf(x, y))
SIMD_MAP2(F32X4_PMIN, uint32_t, uint32_t, 4, f32_of(y) < f32_of(x) ? y : x)
SIMD_MAP2(F32X4_PMAX, uint32_t, uint32_t, 4, f32_of(x) < f32_of(y) ? y : x)

SIMD_MAP1(F64X2_ABS, uint64_t, uint64_t, 2, x & 0x7FFFFFFFFFFFFFFFull)
SIMD_MAP1(F64X2_NEG, uint64_t, uint64_t, 2, x ^ 0x8000000000000000ull)
SIMD_MAP1(F64X2_SQRT, double, double, 2, sqrt(x))
SIMD_MAP1(F64X2_CEIL, double, double, 2, QUIET_F32(x, ceil(x)))
SIMD_MAP1(F64X2_FLOOR, double, double, 2, QUIET_F32(x, floor(x)))
SIMD_MAP1(F64X2_TRUNC, double, double, 2, QUIET_F32(x, trunc(x)))
SIMD_MAP1(F64X2_NEAREST, double, double, 2, QUIET_F32(x, nearbyint(x)))
SIMD_MAP2(F64X2_ADD, double, double, 2, x + y)
SIMD_MAP2(F64X2_SUB, double, double, 2, x - y)
SIMD_MAP2(F64X2_MUL, double, double, 2, x * y)
SIMD_MAP2(F64X2_DIV, double, double, 2, x / y)
SIMD_MAP2(F64X2_MIN, double, double, 2, wasm_fmin(x, y))
SIMD_MAP2(F64X2_MAX, double, double, 2, wasm_fmax(x, y))
SIMD_MAP2(F64X2_PMIN, uint64_t, uint64_t, 2, f64_of(y) < f64_of(x) ? y : x)
SIMD_MAP2(F64X2_PMAX, uint64_t, uint64_t, 2, f64_of(x) < f64_of(y) ? y : x)

/* --- Conversions ------------------------------------------------------------ */

SIMD_MAP1(I32X4_TRUNC_SAT_F32X4_S, float, uint32_t, 4, (uint32_t)sat_i32(x))
SIMD_MAP1(I32X4_TRUNC_SAT_F32X4_U, float, uint32_t, 4, sat_u32(x))
SIMD_MAP1(F32X4_CONVERT_I32X4_S, int32_t, float, 4, x)
SIMD_MAP1(F32X4_CONVERT_I32X4_U, uint32_t, float, 4, x)

/* The two f64 lanes as f32 lanes 0 and 1; lanes 2 and 3 are +0. */
SIMD_FN wasm_v128 simd_F32X4_DEMOTE_F64X2_ZERO(wasm_v128 va) {
    double a[2];
    float r[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    simd_lanes(a, va);
    for (unsigned i = 0; i < 2; i++) r[i] = (float)QUIET_F32(a[i], (float)a[i]);
    return simd_v128(r);
}
/* f32 lanes 0 and 1 as the two f64 lanes. */
SIMD_FN wasm_v128 simd_F64X2_PROMOTE_LOW_F32X4(wasm_v128 va) {
    float a[4];
    double r[2];
    simd_lanes(a, va);
    for (unsigned i = 0; i < 2; i++) r[i] = (double)QUIET_F32(a[i], (double)a[i]);
    return simd_v128(r);
}
/* The two f64 lanes truncated and saturated into i32 lanes 0 and 1 (NaN is
 * 0); lanes 2 and 3 are 0. */
SIMD_FN wasm_v128 simd_I32X4_TRUNC_SAT_F64X2_S_ZERO(wasm_v128 va) {
    double a[2];
    uint32_t r[4] = {0, 0, 0, 0};
    simd_lanes(a, va);
    for (unsigned i = 0; i < 2; i++) r[i] = (uint32_t)sat_i32(a[i]);
    return simd_v128(r);
}
SIMD_FN wasm_v128 simd_I32X4_TRUNC_SAT_F64X2_U_ZERO(wasm_v128 va) {
    double a[2];
    uint32_t r[4] = {0, 0, 0, 0};
    simd_lanes(a, va);
    for (unsigned i = 0; i < 2; i++) r[i] = sat_u32(a[i]);
    return simd_v128(r);
}
/* i32 lanes 0 and 1 as the two f64 lanes (exact). */
SIMD_FN wasm_v128 simd_F64X2_CONVERT_LOW_I32X4_S(wasm_v128 va) {
    int32_t a[4];
    double r[2];
    simd_lanes(a, va);
    for (unsigned i = 0; i < 2; i++) r[i] = (double)a[i];
    return simd_v128(r);
}
SIMD_FN wasm_v128 simd_F64X2_CONVERT_LOW_I32X4_U(wasm_v128 va) {
    uint32_t a[4];
    double r[2];
    simd_lanes(a, va);
    for (unsigned i = 0; i < 2; i++) r[i] = (double)a[i];
    return simd_v128(r);
}

#undef SIMD_MAP1
#undef SIMD_MAP2
#undef SIMD_CMP
#undef SIMD_SHIFT
#undef SIMD_EXTEND
#undef SIMD_EXTMUL
#undef SIMD_EXTADD_PAIRWISE
#undef SIMD_NARROW
#undef SIMD_ALL_TRUE_BITMASK
#undef SIMD_SPLAT_REPLACE
#undef SIMD_EXTRACT
#undef SIMD_LOAD_EXTEND
#undef SIMD_LOAD_SPLAT
#undef SIMD_LOAD_ZERO
#undef SIMD_MEM_LANE

#endif /* ISORUN_WASM_SIMD_H */
