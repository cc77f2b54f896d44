/* test_simd_semantics.c — the vector instructions of src/wasm/simd.h on
 * their edge values: wraparound and saturation, narrowing, shift counts
 * modulo the lane width, shuffle and swizzle indices, NaN and -0 in the
 * float operations, rounding ties, float -> int saturation, and the memory
 * helpers byte by byte. Then every entry of the table (opcodes_simd.h) is
 * checked to have its function with the signature its shape calls for, and
 * all of them run over edge patterns (the sanitizer build catches undefined
 * behaviour); the lanewise i32/i64/f32/f64 operations are also compared
 * with numeric.h's scalar instructions lane by lane. */
#include "../../src/wasm/numeric.h"
#include "../../src/wasm/simd.h"
#include "../../src/wasm/opcodes_simd.h"
#include "check.h"

#include <ctype.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A v128 from its lanes (fewer initializers leave the rest zero). */
#define V_I8(...) simd_v128((const int8_t[16]){__VA_ARGS__})
#define V_U8(...) simd_v128((const uint8_t[16]){__VA_ARGS__})
#define V_I16(...) simd_v128((const int16_t[8]){__VA_ARGS__})
#define V_U16(...) simd_v128((const uint16_t[8]){__VA_ARGS__})
#define V_I32(...) simd_v128((const int32_t[4]){__VA_ARGS__})
#define V_U32(...) simd_v128((const uint32_t[4]){__VA_ARGS__})
#define V_I64(...) simd_v128((const int64_t[2]){__VA_ARGS__})
#define V_U64(...) simd_v128((const uint64_t[2]){__VA_ARGS__})
#define V_F32(...) simd_v128((const float[4]){__VA_ARGS__})
#define V_F64(...) simd_v128((const double[2]){__VA_ARGS__})

static const wasm_v128 ZERO = {0, 0};

/* Float bit patterns. */
#define F32_QNAN 0x7FC00000u
#define F32_SNAN 0x7F800001u         /* signalling, payload 1 */
#define F32_NAN_PAYLOAD 0x7FC12345u  /* quiet, with a payload */
#define F32_INF 0x7F800000u
#define F32_NEG_INF 0xFF800000u
#define F32_NEG_ZERO 0x80000000u
#define F64_SNAN 0x7FF0000000000001ull
#define F64_QNAN 0x7FF8000000000000ull
#define F64_NEG_ZERO 0x8000000000000000ull

static void check_v128_at(wasm_v128 got, wasm_v128 want, const char *file, int line, const char *what) {
    int ok = got.lo == want.lo && got.hi == want.hi;
    check_record(ok, file, line, what);
    if (!ok) {
        uint8_t g[16], w[16];
        simd_lanes(g, got);
        simd_lanes(w, want);
        fprintf(stderr, "    got     ");
        for (int i = 0; i < 16; i++) fprintf(stderr, " %02x", g[i]);
        fprintf(stderr, "\n    expected");
        for (int i = 0; i < 16; i++) fprintf(stderr, " %02x", w[i]);
        fprintf(stderr, "   (bytes, lane 0 first)\n");
    }
}
#define CHECK_V128(got, want) check_v128_at((got), (want), __FILE__, __LINE__, #got)

static uint32_t lane32(wasm_v128 v, unsigned i) {
    uint32_t a[4];
    simd_lanes(a, v);
    return a[i];
}
static uint64_t lane64(wasm_v128 v, unsigned i) {
    uint64_t a[2];
    simd_lanes(a, v);
    return a[i];
}
static int f32_quiet_nan(uint32_t b) { return (b & 0x7FC00000u) == 0x7FC00000u; }
static int f32_canonical_nan(uint32_t b) { return (b & 0x7FFFFFFFu) == 0x7FC00000u; }
static int f64_quiet_nan(uint64_t b) { return (b & 0x7FF8000000000000ull) == 0x7FF8000000000000ull; }
static int f64_canonical_nan(uint64_t b) { return (b & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull; }

/* --- Layout ---------------------------------------------------------------- */

static void test_layout(void) {
    wasm_v128 v = V_U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    CHECK_EQ_U64(v.lo, 0x0706050403020100ull);
    CHECK_EQ_U64(v.hi, 0x0F0E0D0C0B0A0908ull);
    CHECK_EQ_U64(lane32(v, 3), 0x0F0E0D0Cu);
    CHECK_EQ_U64(lane64(V_I32(-1, 2, 3, 4), 0), 0x00000002FFFFFFFFull);
}

/* --- Memory ---------------------------------------------------------------- */

static void test_extending_loads(void) {
    uint8_t buf[24];
    memset(buf, 0xEE, sizeof buf);
    uint8_t *p = buf + 1; /* unaligned */
    const uint8_t b8[8] = {0x80, 0xFF, 0x7F, 0x00, 0x01, 0xFE, 0x81, 0x40};
    memcpy(p, b8, 8);
    CHECK_V128(simd_V128_LOAD8X8_S(p), V_I16(-128, -1, 127, 0, 1, -2, -127, 64));
    CHECK_V128(simd_V128_LOAD8X8_U(p), V_U16(128, 255, 127, 0, 1, 254, 129, 64));
    const uint8_t b16[8] = {0x00, 0x80, 0xFF, 0xFF, 0xFF, 0x7F, 0x01, 0x00};
    memcpy(p, b16, 8);
    CHECK_V128(simd_V128_LOAD16X4_S(p), V_I32(-32768, -1, 32767, 1));
    CHECK_V128(simd_V128_LOAD16X4_U(p), V_U32(32768, 65535, 32767, 1));
    const uint8_t b32[8] = {0x00, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF};
    memcpy(p, b32, 8);
    CHECK_V128(simd_V128_LOAD32X2_S(p), V_I64(INT32_MIN, -1));
    CHECK_V128(simd_V128_LOAD32X2_U(p), V_U64(0x80000000u, 0xFFFFFFFFu));
}

static void test_splat_and_zero_loads(void) {
    uint8_t buf[24];
    memset(buf, 0xEE, sizeof buf);
    uint8_t *p = buf + 3;
    const uint8_t bytes[8] = {0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88};
    memcpy(p, bytes, 8);
    CHECK_V128(simd_V128_LOAD8_SPLAT(p), V_U8(0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81,
                                             0x81, 0x81, 0x81, 0x81, 0x81, 0x81));
    CHECK_V128(simd_V128_LOAD16_SPLAT(p), V_U16(0x8281, 0x8281, 0x8281, 0x8281, 0x8281, 0x8281, 0x8281, 0x8281));
    CHECK_V128(simd_V128_LOAD32_SPLAT(p), V_U32(0x84838281u, 0x84838281u, 0x84838281u, 0x84838281u));
    CHECK_V128(simd_V128_LOAD64_SPLAT(p), V_U64(0x8887868584838281ull, 0x8887868584838281ull));
    /* The zero loads read only their 4 / 8 bytes (the 0xEE after them do not leak in). */
    CHECK_V128(simd_V128_LOAD32_ZERO(p), V_U32(0x84838281u, 0, 0, 0));
    CHECK_V128(simd_V128_LOAD64_ZERO(p), V_U64(0x8887868584838281ull, 0));
}

static void test_load_store_whole(void) {
    uint8_t buf[20];
    memset(buf, 0xEE, sizeof buf);
    wasm_v128 v = V_U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    simd_V128_STORE(buf + 1, v);
    CHECK_EQ_INT(buf[0], 0xEE);
    CHECK_EQ_INT(buf[17], 0xEE);
    for (int i = 0; i < 16; i++) CHECK_EQ_INT(buf[1 + i], i);
    CHECK_V128(simd_V128_LOAD(buf + 1), v);
    CHECK_V128(simd_V128_LOAD(buf + 2), V_U8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0xEE));
}

static void test_lane_loads_and_stores(void) {
    uint8_t buf[16];
    const uint8_t src[8] = {0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8};
    wasm_v128 v = V_U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    CHECK_V128(simd_V128_LOAD8_LANE(src, v, 15), V_U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xA1));
    CHECK_V128(simd_V128_LOAD8_LANE(src + 1, v, 0), V_U8(0xA2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    CHECK_V128(simd_V128_LOAD16_LANE(src, v, 7),
               V_U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0xA1, 0xA2));
    CHECK_V128(simd_V128_LOAD16_LANE(src + 1, v, 1),
               V_U8(0, 1, 0xA2, 0xA3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    CHECK_V128(simd_V128_LOAD32_LANE(src, v, 3),
               V_U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0xA1, 0xA2, 0xA3, 0xA4));
    CHECK_V128(simd_V128_LOAD32_LANE(src + 3, v, 0),
               V_U8(0xA4, 0xA5, 0xA6, 0xA7, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    CHECK_V128(simd_V128_LOAD64_LANE(src, v, 1), V_U64(0x0706050403020100ull, 0xA8A7A6A5A4A3A2A1ull));
    CHECK_V128(simd_V128_LOAD64_LANE(src, v, 0), V_U64(0xA8A7A6A5A4A3A2A1ull, 0x0F0E0D0C0B0A0908ull));

    /* Each store writes its lane's bytes at p and nothing else. */
    memset(buf, 0xEE, sizeof buf);
    simd_V128_STORE8_LANE(buf + 1, v, 15);
    CHECK(buf[0] == 0xEE && buf[1] == 15 && buf[2] == 0xEE);
    memset(buf, 0xEE, sizeof buf);
    simd_V128_STORE16_LANE(buf + 1, v, 7);
    CHECK(buf[0] == 0xEE && buf[1] == 14 && buf[2] == 15 && buf[3] == 0xEE);
    memset(buf, 0xEE, sizeof buf);
    simd_V128_STORE16_LANE(buf + 1, v, 0);
    CHECK(buf[0] == 0xEE && buf[1] == 0 && buf[2] == 1 && buf[3] == 0xEE);
    memset(buf, 0xEE, sizeof buf);
    simd_V128_STORE32_LANE(buf + 1, v, 3);
    CHECK(buf[0] == 0xEE && buf[1] == 12 && buf[2] == 13 && buf[3] == 14 && buf[4] == 15 && buf[5] == 0xEE);
    memset(buf, 0xEE, sizeof buf);
    simd_V128_STORE64_LANE(buf + 1, v, 1);
    CHECK_EQ_INT(buf[0], 0xEE);
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(buf[1 + i], 8 + i);
    CHECK_EQ_INT(buf[9], 0xEE);
    memset(buf, 0xEE, sizeof buf);
    simd_V128_STORE64_LANE(buf + 1, v, 0);
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(buf[1 + i], i);
    CHECK_EQ_INT(buf[9], 0xEE);
}

/* --- Lanes: shuffle, swizzle, splat, extract, replace ---------------------- */

static void test_shuffle(void) {
    wasm_v128 a = V_U8(0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF);
    wasm_v128 b = V_U8(0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF);
    CHECK_V128(simd_I8X16_SHUFFLE(a, b, V_U8(0, 15, 16, 31, 1, 17, 14, 30, 0, 0, 31, 31, 8, 24, 7, 23)),
               V_U8(0xA0, 0xAF, 0xB0, 0xBF, 0xA1, 0xB1, 0xAE, 0xBE, 0xA0, 0xA0, 0xBF, 0xBF, 0xA8, 0xB8, 0xA7, 0xB7));
    /* Identity and "all from b". */
    CHECK_V128(simd_I8X16_SHUFFLE(a, b, V_U8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)), a);
    CHECK_V128(simd_I8X16_SHUFFLE(a, b, V_U8(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31)), b);
}

static void test_swizzle(void) {
    wasm_v128 a = V_U8(0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF);
    CHECK_V128(simd_I8X16_SWIZZLE(a, V_U8(0, 15, 16, 255, 0x80, 1, 31, 14, 17, 0x7F, 8, 0xF0, 0x10, 3, 2, 1)),
               V_U8(0xA0, 0xAF, 0, 0, 0, 0xA1, 0, 0xAE, 0, 0, 0xA8, 0, 0, 0xA3, 0xA2, 0xA1));
}

static void test_splat(void) {
    /* Only the low bits of the slot count for the narrow shapes. */
    CHECK_V128(simd_I8X16_SPLAT(0xDEADBEEF12345681ull),
               V_U8(0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81));
    CHECK_V128(simd_I16X8_SPLAT(0xFFFF0000ABCD8001ull),
               V_U16(0x8001, 0x8001, 0x8001, 0x8001, 0x8001, 0x8001, 0x8001, 0x8001));
    CHECK_V128(simd_I32X4_SPLAT(0xFFFFFFFF80000001ull), V_U32(0x80000001u, 0x80000001u, 0x80000001u, 0x80000001u));
    CHECK_V128(simd_I64X2_SPLAT(0x8000000000000001ull), V_U64(0x8000000000000001ull, 0x8000000000000001ull));
    /* Floats are copied as bits: a signalling NaN stays one. */
    CHECK_V128(simd_F32X4_SPLAT(0x12345678ull << 32 | F32_SNAN), V_U32(F32_SNAN, F32_SNAN, F32_SNAN, F32_SNAN));
    CHECK_V128(simd_F64X2_SPLAT(F64_SNAN), V_U64(F64_SNAN, F64_SNAN));
    CHECK_V128(simd_F32X4_SPLAT(F32_NEG_ZERO), V_U32(F32_NEG_ZERO, F32_NEG_ZERO, F32_NEG_ZERO, F32_NEG_ZERO));
}

static void test_extract_lane(void) {
    wasm_v128 v8 = V_I8(-128, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 127, -1);
    CHECK_EQ_U64(simd_I8X16_EXTRACT_LANE_S(v8, 15), 0x00000000FFFFFFFFull); /* i32 -1, zero-extended slot */
    CHECK_EQ_U64(simd_I8X16_EXTRACT_LANE_U(v8, 15), 0xFFu);
    CHECK_EQ_U64(simd_I8X16_EXTRACT_LANE_S(v8, 0), 0xFFFFFF80u);
    CHECK_EQ_U64(simd_I8X16_EXTRACT_LANE_U(v8, 0), 0x80u);
    CHECK_EQ_U64(simd_I8X16_EXTRACT_LANE_S(v8, 14), 127u);
    CHECK_EQ_U64(simd_I8X16_EXTRACT_LANE_U(v8, 14), 127u);
    wasm_v128 v16 = V_I16(-32768, 32767, -1, 0, 1, 2, 3, 0x1234);
    CHECK_EQ_U64(simd_I16X8_EXTRACT_LANE_S(v16, 0), 0xFFFF8000u);
    CHECK_EQ_U64(simd_I16X8_EXTRACT_LANE_U(v16, 0), 0x8000u);
    CHECK_EQ_U64(simd_I16X8_EXTRACT_LANE_S(v16, 1), 32767u);
    CHECK_EQ_U64(simd_I16X8_EXTRACT_LANE_S(v16, 2), 0xFFFFFFFFu);
    CHECK_EQ_U64(simd_I16X8_EXTRACT_LANE_U(v16, 2), 0xFFFFu);
    CHECK_EQ_U64(simd_I16X8_EXTRACT_LANE_U(v16, 7), 0x1234u);
    wasm_v128 v32 = V_U32(1, 2, 0x80000000u, 0xFFFFFFFFu);
    CHECK_EQ_U64(simd_I32X4_EXTRACT_LANE(v32, 3), 0xFFFFFFFFu); /* not sign-extended into the slot */
    CHECK_EQ_U64(simd_I32X4_EXTRACT_LANE(v32, 2), 0x80000000u);
    CHECK_EQ_U64(simd_I32X4_EXTRACT_LANE(v32, 0), 1u);
    wasm_v128 v64 = V_U64(0x0123456789ABCDEFull, 0xFEDCBA9876543210ull);
    CHECK_EQ_U64(simd_I64X2_EXTRACT_LANE(v64, 0), 0x0123456789ABCDEFull);
    CHECK_EQ_U64(simd_I64X2_EXTRACT_LANE(v64, 1), 0xFEDCBA9876543210ull);
    wasm_v128 vf = V_U32(0x3F800000u, F32_SNAN, F32_NEG_ZERO, F32_NAN_PAYLOAD);
    CHECK_EQ_U64(simd_F32X4_EXTRACT_LANE(vf, 0), 0x3F800000u);
    CHECK_EQ_U64(simd_F32X4_EXTRACT_LANE(vf, 1), F32_SNAN);
    CHECK_EQ_U64(simd_F32X4_EXTRACT_LANE(vf, 2), F32_NEG_ZERO);
    CHECK_EQ_U64(simd_F32X4_EXTRACT_LANE(vf, 3), F32_NAN_PAYLOAD);
    wasm_v128 vd = V_U64(F64_NEG_ZERO, F64_SNAN);
    CHECK_EQ_U64(simd_F64X2_EXTRACT_LANE(vd, 0), F64_NEG_ZERO);
    CHECK_EQ_U64(simd_F64X2_EXTRACT_LANE(vd, 1), F64_SNAN);
}

static void test_replace_lane(void) {
    CHECK_V128(simd_I8X16_REPLACE_LANE(ZERO, 15, 0x1FF), V_U8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF));
    CHECK_V128(simd_I8X16_REPLACE_LANE(V_U8(1, 2, 3), 0, 0x80), V_U8(0x80, 2, 3));
    CHECK_V128(simd_I16X8_REPLACE_LANE(V_U16(1, 2, 3, 4, 5, 6, 7, 8), 7, 0x12345),
               V_U16(1, 2, 3, 4, 5, 6, 7, 0x2345));
    CHECK_V128(simd_I32X4_REPLACE_LANE(V_U32(1, 2, 3, 4), 3, 0xAAAAAAAA55555555ull), V_U32(1, 2, 3, 0x55555555u));
    CHECK_V128(simd_I32X4_REPLACE_LANE(V_U32(1, 2, 3, 4), 0, 0xFFFFFFFFu), V_U32(0xFFFFFFFFu, 2, 3, 4));
    CHECK_V128(simd_I64X2_REPLACE_LANE(V_U64(1, 2), 1, 0x8000000000000000ull), V_U64(1, 0x8000000000000000ull));
    CHECK_V128(simd_F32X4_REPLACE_LANE(V_U32(1, 2, 3, 4), 2, F32_SNAN), V_U32(1, 2, F32_SNAN, 4));
    CHECK_V128(simd_F64X2_REPLACE_LANE(V_U64(1, 2), 0, F64_SNAN), V_U64(F64_SNAN, 2));
}

/* --- Comparisons and bitwise ---------------------------------------------- */

static void test_integer_comparisons(void) {
    wasm_v128 a = V_U8(0x80, 0x7F, 0xFF, 0, 5, 5);
    wasm_v128 b = V_U8(0x7F, 0x80, 0, 0xFF, 5, 6);
    CHECK_V128(simd_I8X16_LT_S(a, b), V_U8(0xFF, 0, 0xFF, 0, 0, 0xFF));
    CHECK_V128(simd_I8X16_LT_U(a, b), V_U8(0, 0xFF, 0, 0xFF, 0, 0xFF));
    CHECK_V128(simd_I8X16_GT_S(a, b), V_U8(0, 0xFF, 0, 0xFF, 0, 0));
    CHECK_V128(simd_I8X16_GT_U(a, b), V_U8(0xFF, 0, 0xFF, 0, 0, 0));
    CHECK_V128(simd_I8X16_LE_S(a, b),
               V_U8(0xFF, 0, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
    CHECK_V128(simd_I8X16_GE_U(a, b),
               V_U8(0xFF, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
    CHECK_V128(simd_I8X16_EQ(a, b),
               V_U8(0, 0, 0, 0, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
    CHECK_V128(simd_I8X16_NE(a, b), V_U8(0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF));

    wasm_v128 c = V_U16(0x8000, 0x7FFF, 0xFFFF, 1);
    wasm_v128 d = V_U16(0x7FFF, 0x8000, 1, 0xFFFF);
    CHECK_V128(simd_I16X8_LT_S(c, d), V_U16(0xFFFF, 0, 0xFFFF, 0));
    CHECK_V128(simd_I16X8_LT_U(c, d), V_U16(0, 0xFFFF, 0, 0xFFFF));
    CHECK_V128(simd_I16X8_GE_S(c, d), V_U16(0, 0xFFFF, 0, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF));
    CHECK_V128(simd_I16X8_LE_U(c, d), V_U16(0, 0xFFFF, 0, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF));

    wasm_v128 e = V_U32(0x80000000u, 0x7FFFFFFFu, 0xFFFFFFFFu, 7);
    wasm_v128 f = V_U32(0x7FFFFFFFu, 0x80000000u, 0, 7);
    CHECK_V128(simd_I32X4_LT_S(e, f), V_U32(0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0));
    CHECK_V128(simd_I32X4_LT_U(e, f), V_U32(0, 0xFFFFFFFFu, 0, 0));
    CHECK_V128(simd_I32X4_GT_S(e, f), V_U32(0, 0xFFFFFFFFu, 0, 0));
    CHECK_V128(simd_I32X4_GT_U(e, f), V_U32(0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0));
    CHECK_V128(simd_I32X4_LE_S(e, f), V_U32(0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0xFFFFFFFFu));
    CHECK_V128(simd_I32X4_GE_U(e, f), V_U32(0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0xFFFFFFFFu));

    wasm_v128 g = V_U64(0x8000000000000000ull, 5);
    wasm_v128 h = V_U64(0x7FFFFFFFFFFFFFFFull, 5);
    CHECK_V128(simd_I64X2_LT_S(g, h), V_U64(~0ull, 0));
    CHECK_V128(simd_I64X2_GT_S(g, h), V_U64(0, 0));
    CHECK_V128(simd_I64X2_LE_S(g, h), V_U64(~0ull, ~0ull));
    CHECK_V128(simd_I64X2_GE_S(g, h), V_U64(0, ~0ull));
    CHECK_V128(simd_I64X2_EQ(g, h), V_U64(0, ~0ull));
    CHECK_V128(simd_I64X2_NE(g, h), V_U64(~0ull, 0));
}

static void test_float_comparisons(void) {
    /* NaN is unordered: only ne holds; -0 == +0. */
    wasm_v128 a = V_U32(F32_QNAN, F32_NEG_ZERO, 0x3F800000u /* 1 */, F32_INF);
    wasm_v128 b = V_U32(F32_QNAN, 0, F32_SNAN, F32_INF);
    CHECK_V128(simd_F32X4_EQ(a, b), V_U32(0, 0xFFFFFFFFu, 0, 0xFFFFFFFFu));
    CHECK_V128(simd_F32X4_NE(a, b), V_U32(0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0));
    CHECK_V128(simd_F32X4_LT(a, b), V_U32(0, 0, 0, 0));
    CHECK_V128(simd_F32X4_LE(a, b), V_U32(0, 0xFFFFFFFFu, 0, 0xFFFFFFFFu));
    CHECK_V128(simd_F32X4_GT(a, b), V_U32(0, 0, 0, 0));
    CHECK_V128(simd_F32X4_GE(a, b), V_U32(0, 0xFFFFFFFFu, 0, 0xFFFFFFFFu));
    CHECK_V128(simd_F32X4_LT(V_F32(-1.0f, 2.0f, -INFINITY, 0.0f), V_F32(1.0f, 1.0f, -3.0f, 0.0f)),
               V_U32(0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0));
    wasm_v128 c = V_U64(F64_QNAN, F64_NEG_ZERO);
    wasm_v128 d = V_F64(1.0, 0.0);
    CHECK_V128(simd_F64X2_EQ(c, d), V_U64(0, ~0ull));
    CHECK_V128(simd_F64X2_NE(c, d), V_U64(~0ull, 0));
    CHECK_V128(simd_F64X2_LT(c, d), V_U64(0, 0));
    CHECK_V128(simd_F64X2_LE(c, d), V_U64(0, ~0ull));
    CHECK_V128(simd_F64X2_GT(V_F64(2.0, -2.0), V_F64(1.0, -1.0)), V_U64(~0ull, 0));
    CHECK_V128(simd_F64X2_GE(c, d), V_U64(0, ~0ull));
}

static void test_bitwise(void) {
    wasm_v128 a = V_U64(0x0123456789ABCDEFull, 0xFF00FF00FF00FF00ull);
    wasm_v128 b = V_U64(0xF0F0F0F0F0F0F0F0ull, 0x0F0F0F0F0F0F0F0Full);
    CHECK_V128(simd_V128_NOT(a), V_U64(0xFEDCBA9876543210ull, 0x00FF00FF00FF00FFull));
    CHECK_V128(simd_V128_AND(a, b), V_U64(0x0020406080A0C0E0ull, 0x0F000F000F000F00ull));
    CHECK_V128(simd_V128_ANDNOT(a, b), V_U64(0x01030507090B0D0Full, 0xF000F000F000F000ull));
    CHECK_V128(simd_V128_OR(a, b), V_U64(0xF1F3F5F7F9FBFDFFull, 0xFF0FFF0FFF0FFF0Full));
    CHECK_V128(simd_V128_XOR(a, b), V_U64(0xF1D3B597795B3D1Full, 0xF00FF00FF00FF00Full));
    /* bitselect: bits of a where the mask (third operand) is 1, of b elsewhere. */
    wasm_v128 mask = V_U64(0xFFFFFFFF00000000ull, 0x00000000FFFFFFFFull);
    CHECK_V128(simd_V128_BITSELECT(a, b, mask), V_U64(0x01234567F0F0F0F0ull, 0x0F0F0F0FFF00FF00ull));
    CHECK_V128(simd_V128_BITSELECT(V_U64(~0ull, ~0ull), ZERO, V_U64(0xF0F0F0F0F0F0F0F0ull, 1)),
               V_U64(0xF0F0F0F0F0F0F0F0ull, 1));

    CHECK_EQ_U64(simd_V128_ANY_TRUE(ZERO), 0);
    CHECK_EQ_U64(simd_V128_ANY_TRUE(V_U64(0, 0x8000000000000000ull)), 1);
    CHECK_EQ_U64(simd_V128_ANY_TRUE(V_U64(1, 0)), 1);
}

static void test_all_true_and_bitmask(void) {
    CHECK_EQ_U64(simd_I8X16_ALL_TRUE(V_U8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0x80)), 1);
    CHECK_EQ_U64(simd_I8X16_ALL_TRUE(V_U8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)), 0);
    CHECK_EQ_U64(simd_I8X16_ALL_TRUE(V_U8(0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)), 0);
    /* A 16-bit lane whose low byte is 0 is still nonzero. */
    CHECK_EQ_U64(simd_I16X8_ALL_TRUE(V_U16(0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x8000)), 1);
    CHECK_EQ_U64(simd_I16X8_ALL_TRUE(V_U16(1, 1, 1, 1, 1, 1, 1, 0)), 0);
    CHECK_EQ_U64(simd_I32X4_ALL_TRUE(V_U32(0x10000, 0x1000000, 1, 0x80000000u)), 1);
    CHECK_EQ_U64(simd_I32X4_ALL_TRUE(V_U32(1, 1, 0, 1)), 0);
    CHECK_EQ_U64(simd_I64X2_ALL_TRUE(V_U64(0x8000000000000000ull, 0x100000000ull)), 1);
    CHECK_EQ_U64(simd_I64X2_ALL_TRUE(V_U64(0x100000000ull, 0)), 0);

    CHECK_EQ_U64(simd_I8X16_BITMASK(V_U8(0x80, 0x7F, 0x7F, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x81)), 0x8009u);
    CHECK_EQ_U64(simd_I8X16_BITMASK(ZERO), 0);
    CHECK_EQ_U64(simd_I8X16_BITMASK(V_U64(~0ull, ~0ull)), 0xFFFFu);
    CHECK_EQ_U64(simd_I16X8_BITMASK(V_U16(0x8000, 0x7FFF, 0xFFFF, 0x00FF, 0, 0, 0, 0x8001)), 0x85u);
    CHECK_EQ_U64(simd_I32X4_BITMASK(V_U32(0xFFFFFFFFu, 0, 0x80000000u, 0x7FFFFFFFu)), 5u);
    CHECK_EQ_U64(simd_I32X4_BITMASK(V_U32(0, 0, 0, 0x80000000u)), 8u);
    CHECK_EQ_U64(simd_I64X2_BITMASK(V_U64(0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull)), 2u);
    CHECK_EQ_U64(simd_I64X2_BITMASK(V_U64(0x8000000000000000ull, 0x8000000000000000ull)), 3u);
}

/* --- Integer arithmetic --------------------------------------------------- */

static void test_i8x16_arithmetic(void) {
    CHECK_V128(simd_I8X16_ADD(V_U8(0x7F, 0x80, 0xFF, 0, 200), V_U8(1, 0xFF, 1, 0, 100)), V_U8(0x80, 0x7F, 0, 0, 44));
    CHECK_V128(simd_I8X16_SUB(V_U8(0x80, 0, 0x7F), V_U8(1, 1, 0xFF)), V_U8(0x7F, 0xFF, 0x80));
    CHECK_V128(simd_I8X16_ADD_SAT_S(V_I8(127, -128, 100, -100, -100, 50, -1), V_I8(1, -1, 27, -28, -29, -60, 1)),
               V_I8(127, -128, 127, -128, -128, -10, 0));
    CHECK_V128(simd_I8X16_ADD_SAT_U(V_U8(255, 200, 200, 100, 0), V_U8(1, 55, 56, 100, 0)), V_U8(255, 255, 255, 200, 0));
    CHECK_V128(simd_I8X16_SUB_SAT_S(V_I8(-128, 127, 0, -1, 5), V_I8(1, -1, -128, 127, 3)), V_I8(-128, 127, 127, -128, 2));
    CHECK_V128(simd_I8X16_SUB_SAT_U(V_U8(0, 255, 10, 3), V_U8(1, 255, 3, 10)), V_U8(0, 0, 7, 0));
    CHECK_V128(simd_I8X16_MIN_S(V_U8(0x80, 0x7F), V_U8(0x7F, 0xFF)), V_U8(0x80, 0xFF));
    CHECK_V128(simd_I8X16_MIN_U(V_U8(0x80, 0x7F), V_U8(0x7F, 0xFF)), V_U8(0x7F, 0x7F));
    CHECK_V128(simd_I8X16_MAX_S(V_U8(0x80, 0x7F), V_U8(0x7F, 0xFF)), V_U8(0x7F, 0x7F));
    CHECK_V128(simd_I8X16_MAX_U(V_U8(0x80, 0x7F), V_U8(0x7F, 0xFF)), V_U8(0x80, 0xFF));
    /* Rounding average: (a + b + 1) / 2 without overflowing the lane. */
    CHECK_V128(simd_I8X16_AVGR_U(V_U8(255, 0, 254, 0, 1, 100, 0x80), V_U8(255, 1, 255, 0, 2, 201, 0x7F)),
               V_U8(255, 1, 255, 0, 2, 151, 0x80));
    CHECK_V128(simd_I8X16_ABS(V_I8(-128, -1, 127, 0, 1, -127)), V_I8(-128, 1, 127, 0, 1, 127));
    CHECK_V128(simd_I8X16_NEG(V_I8(-128, 1, 0, 127, -1)), V_I8(-128, -1, 0, -127, 1));
    CHECK_V128(simd_I8X16_POPCNT(V_U8(0xFF, 0, 0x55, 0x80, 0x7F, 1, 0xAA, 0x0F)), V_U8(8, 0, 4, 1, 7, 1, 4, 4));
}

static void test_i16x8_arithmetic(void) {
    CHECK_V128(simd_I16X8_ADD(V_U16(0x7FFF, 0xFFFF, 0x8000), V_U16(1, 1, 0xFFFF)), V_U16(0x8000, 0, 0x7FFF));
    CHECK_V128(simd_I16X8_SUB(V_U16(0x8000, 0), V_U16(1, 1)), V_U16(0x7FFF, 0xFFFF));
    /* 0xFFFF * 0xFFFF overflows int: must be computed unsigned (UBSan). */
    CHECK_V128(simd_I16X8_MUL(V_U16(0x8000, 0xFFFF, 300, 0xFFFD, 0xFFFF), V_U16(2, 0xFFFF, 300, 7, 0x8001)),
               V_U16(0, 1, 24464, 0xFFEB, 0x7FFF));
    CHECK_V128(simd_I16X8_ADD_SAT_S(V_I16(32767, -32768, 30000, -1), V_I16(1, -1, 30000, 1)),
               V_I16(32767, -32768, 32767, 0));
    CHECK_V128(simd_I16X8_ADD_SAT_U(V_U16(65535, 65000, 1), V_U16(1, 1000, 2)), V_U16(65535, 65535, 3));
    CHECK_V128(simd_I16X8_SUB_SAT_S(V_I16(-32768, 32767, 0, -2), V_I16(1, -1, -32768, 32767)),
               V_I16(-32768, 32767, 32767, -32768));
    CHECK_V128(simd_I16X8_SUB_SAT_U(V_U16(0, 65535, 10), V_U16(1, 65535, 3)), V_U16(0, 0, 7));
    CHECK_V128(simd_I16X8_MIN_S(V_U16(0x8000, 0x7FFF), V_U16(0x7FFF, 0xFFFF)), V_U16(0x8000, 0xFFFF));
    CHECK_V128(simd_I16X8_MIN_U(V_U16(0x8000, 0x7FFF), V_U16(0x7FFF, 0xFFFF)), V_U16(0x7FFF, 0x7FFF));
    CHECK_V128(simd_I16X8_MAX_S(V_U16(0x8000, 0x7FFF), V_U16(0x7FFF, 0xFFFF)), V_U16(0x7FFF, 0x7FFF));
    CHECK_V128(simd_I16X8_MAX_U(V_U16(0x8000, 0x7FFF), V_U16(0x7FFF, 0xFFFF)), V_U16(0x8000, 0xFFFF));
    CHECK_V128(simd_I16X8_AVGR_U(V_U16(65535, 65534, 0, 1), V_U16(65535, 65535, 1, 2)), V_U16(65535, 65535, 1, 2));
    CHECK_V128(simd_I16X8_ABS(V_I16(-32768, -1, 32767, 0, -32767)), V_I16(-32768, 1, 32767, 0, 32767));
    CHECK_V128(simd_I16X8_NEG(V_I16(-32768, 1, 0, 32767)), V_I16(-32768, -1, 0, -32767));
}

static void test_q15mulr_sat(void) {
    /* (a * b + 0x4000) >> 15, rounding toward -inf after the bias; only
     * -32768 * -32768 saturates. */
    CHECK_V128(simd_I16X8_Q15MULR_SAT_S(V_I16(-32768, 16384, -32768, 1, -1, -1, 32767, 0),
                                        V_I16(-32768, 16384, 32767, 16384, 16384, 16385, 32767, -32768)),
               V_I16(32767, 8192, -32767, 1, 0, -1, 32766, 0));
    CHECK_V128(simd_I16X8_Q15MULR_SAT_S(V_I16(-32768, 32767, -16384, 100), V_I16(-32767, -32768, 3, -100)),
               V_I16(32767, -32767, -1, 0));
}

static void test_i32x4_arithmetic(void) {
    CHECK_V128(simd_I32X4_ADD(V_U32(0x7FFFFFFFu, 0xFFFFFFFFu), V_U32(1, 1)), V_U32(0x80000000u, 0));
    CHECK_V128(simd_I32X4_SUB(V_U32(0x80000000u, 0), V_U32(1, 1)), V_U32(0x7FFFFFFFu, 0xFFFFFFFFu));
    CHECK_V128(simd_I32X4_MUL(V_I32(0x10000, -1, 0x7FFFFFFF, INT32_MIN), V_I32(0x10000, -1, 2, -1)),
               V_I32(0, 1, -2, INT32_MIN));
    CHECK_V128(simd_I32X4_ABS(V_I32(INT32_MIN, -1, INT32_MAX, 0)), V_I32(INT32_MIN, 1, INT32_MAX, 0));
    CHECK_V128(simd_I32X4_NEG(V_I32(INT32_MIN, 1, 0, INT32_MAX)), V_I32(INT32_MIN, -1, 0, -INT32_MAX));
    CHECK_V128(simd_I32X4_MIN_S(V_I32(INT32_MIN, INT32_MAX, -1, 3), V_I32(INT32_MAX, -1, 0, 3)),
               V_I32(INT32_MIN, -1, -1, 3));
    CHECK_V128(simd_I32X4_MIN_U(V_U32(0x80000000u, 0x7FFFFFFFu, 0xFFFFFFFFu), V_U32(0x7FFFFFFFu, 0xFFFFFFFFu, 0)),
               V_U32(0x7FFFFFFFu, 0x7FFFFFFFu, 0));
    CHECK_V128(simd_I32X4_MAX_S(V_I32(INT32_MIN, INT32_MAX, -1, 3), V_I32(INT32_MAX, -1, 0, 3)),
               V_I32(INT32_MAX, INT32_MAX, 0, 3));
    CHECK_V128(simd_I32X4_MAX_U(V_U32(0x80000000u, 0x7FFFFFFFu, 0xFFFFFFFFu), V_U32(0x7FFFFFFFu, 0xFFFFFFFFu, 0)),
               V_U32(0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFFu));
}

static void test_dot(void) {
    CHECK_V128(simd_I32X4_DOT_I16X8_S(V_I16(1, 2, 3, 4, 5, 6, 7, 8), V_I16(9, 10, 11, 12, 13, 14, 15, 16)),
               V_I32(29, 81, 149, 233));
    /* 2 * 2^30 = 2^31 wraps to INT32_MIN; the others stay in range. */
    CHECK_V128(simd_I32X4_DOT_I16X8_S(V_I16(-32768, -32768, -32768, -32768, 32767, 32767, -1, 1),
                                      V_I16(-32768, -32768, -32768, 32767, 32767, 32767, 5, 5)),
               V_I32(INT32_MIN, 32768, 2147352578, 0));
}

static void test_extmul(void) {
    wasm_v128 a8 = V_I8(-128, -128, 127, -1, 2, 3, 4, 5, /* high */ 127, -128, 0, 7, -7, 1, 2, 3);
    wasm_v128 b8 = V_I8(-128, 127, 127, -1, 2, 3, 4, 5, /* high */ 127, -128, 9, 7, 7, 1, 2, 3);
    CHECK_V128(simd_I16X8_EXTMUL_LOW_I8X16_S(a8, b8), V_I16(16384, -16256, 16129, 1, 4, 9, 16, 25));
    CHECK_V128(simd_I16X8_EXTMUL_HIGH_I8X16_S(a8, b8), V_I16(16129, 16384, 0, 49, -49, 1, 4, 9));
    CHECK_V128(simd_I16X8_EXTMUL_LOW_I8X16_U(a8, b8), V_U16(16384, 16256, 16129, 65025, 4, 9, 16, 25));
    CHECK_V128(simd_I16X8_EXTMUL_HIGH_I8X16_U(a8, b8), V_U16(16129, 16384, 0, 49, 249 * 7, 1, 4, 9));

    wasm_v128 a16 = V_I16(-32768, -1, 32767, 2, /* high */ -32768, -1, 3, 0);
    wasm_v128 b16 = V_I16(-32768, 32767, 32767, -3, /* high */ 32767, -1, -3, 9);
    CHECK_V128(simd_I32X4_EXTMUL_LOW_I16X8_S(a16, b16), V_I32(1073741824, -32767, 1073676289, -6));
    CHECK_V128(simd_I32X4_EXTMUL_HIGH_I16X8_S(a16, b16), V_I32(-1073709056, 1, -9, 0));
    /* 0xFFFF * 0xFFFF does not fit in an int. */
    CHECK_V128(simd_I32X4_EXTMUL_LOW_I16X8_U(a16, b16), V_U32(0x40000000u, 0xFFFFu * 0x7FFFu, 0x3FFF0001u, 0x0001FFFAu));
    CHECK_V128(simd_I32X4_EXTMUL_HIGH_I16X8_U(a16, b16), V_U32(0x8000u * 0x7FFFu, 0xFFFE0001u, 3u * 0xFFFDu, 0));

    wasm_v128 a32 = V_I32(-1, INT32_MIN, INT32_MIN, -1);
    wasm_v128 b32 = V_I32(INT32_MIN, INT32_MIN, INT32_MAX, -1);
    CHECK_V128(simd_I64X2_EXTMUL_LOW_I32X4_S(a32, b32), V_I64(2147483648LL, 4611686018427387904LL));
    CHECK_V128(simd_I64X2_EXTMUL_HIGH_I32X4_S(a32, b32), V_I64(-4611686016279904256LL, 1));
    CHECK_V128(simd_I64X2_EXTMUL_LOW_I32X4_U(a32, b32), V_U64(0xFFFFFFFFull * 0x80000000ull, 0x4000000000000000ull));
    CHECK_V128(simd_I64X2_EXTMUL_HIGH_I32X4_U(a32, b32), V_U64(0x80000000ull * 0x7FFFFFFFull, 0xFFFFFFFE00000001ull));
}

static void test_extadd_pairwise(void) {
    wasm_v128 a8 = V_I8(127, 127, -128, -128, 1, -1, 0, 5, -1, -1, 10, 20, 0, 0, 100, -100);
    CHECK_V128(simd_I16X8_EXTADD_PAIRWISE_I8X16_S(a8), V_I16(254, -256, 0, 5, -2, 30, 0, 0));
    CHECK_V128(simd_I16X8_EXTADD_PAIRWISE_I8X16_U(a8), V_U16(254, 256, 256, 5, 510, 30, 0, 256));
    wasm_v128 a16 = V_I16(32767, 32767, -32768, -32768, 1, -1, -1, -1);
    CHECK_V128(simd_I32X4_EXTADD_PAIRWISE_I16X8_S(a16), V_I32(65534, -65536, 0, -2));
    CHECK_V128(simd_I32X4_EXTADD_PAIRWISE_I16X8_U(a16), V_U32(65534, 65536, 65536, 131070));
}

static void test_i64x2_arithmetic(void) {
    CHECK_V128(simd_I64X2_ADD(V_U64(0x7FFFFFFFFFFFFFFFull, ~0ull), V_U64(1, 1)), V_U64(0x8000000000000000ull, 0));
    CHECK_V128(simd_I64X2_SUB(V_U64(0x8000000000000000ull, 0), V_U64(1, 1)), V_U64(0x7FFFFFFFFFFFFFFFull, ~0ull));
    CHECK_V128(simd_I64X2_MUL(V_I64(INT64_MIN, -1), V_I64(2, -1)), V_I64(0, 1));
    CHECK_V128(simd_I64X2_MUL(V_U64(0x100000000ull, 0xFFFFFFFFull), V_U64(0x100000000ull, 0xFFFFFFFFull)),
               V_U64(0, 0xFFFFFFFE00000001ull));
    CHECK_V128(simd_I64X2_MUL(V_I64(INT64_MAX, INT64_MIN), V_I64(INT64_MAX, -1)), V_I64(1, INT64_MIN));
    CHECK_V128(simd_I64X2_ABS(V_I64(INT64_MIN, -5)), V_I64(INT64_MIN, 5));
    CHECK_V128(simd_I64X2_ABS(V_I64(INT64_MAX, 0)), V_I64(INT64_MAX, 0));
    CHECK_V128(simd_I64X2_NEG(V_I64(INT64_MIN, 7)), V_I64(INT64_MIN, -7));
}

static void test_narrow(void) {
    CHECK_V128(simd_I8X16_NARROW_I16X8_S(V_I16(128, -129, 127, -128, 32767, -32768, 0, 1),
                                         V_I16(2, -2, 200, -200, 3, 4, 5, 6)),
               V_I8(127, -128, 127, -128, 127, -128, 0, 1, 2, -2, 127, -128, 3, 4, 5, 6));
    /* _u narrows SIGNED input: -1 is 0, not 255. */
    CHECK_V128(simd_I8X16_NARROW_I16X8_U(V_I16(-1, 256, 255, 0, -32768, 32767, 128, 1),
                                         V_I16(7, -7, 300, 254, 0, 0, 0, -128)),
               V_U8(0, 255, 255, 0, 0, 255, 128, 1, 7, 0, 255, 254, 0, 0, 0, 0));
    CHECK_V128(simd_I16X8_NARROW_I32X4_S(V_I32(32768, -32769, 32767, -32768), V_I32(0, 1, INT32_MAX, INT32_MIN)),
               V_I16(32767, -32768, 32767, -32768, 0, 1, 32767, -32768));
    CHECK_V128(simd_I16X8_NARROW_I32X4_U(V_I32(-1, 65536, 65535, 0), V_I32(INT32_MIN, INT32_MAX, 32768, 1)),
               V_U16(0, 65535, 65535, 0, 0, 65535, 32768, 1));
}

static void test_extend(void) {
    wasm_v128 a8 = V_I8(-128, -1, 127, 0, 1, 2, 3, 4, -2, 5, 6, 7, 8, 9, -128, 127);
    CHECK_V128(simd_I16X8_EXTEND_LOW_I8X16_S(a8), V_I16(-128, -1, 127, 0, 1, 2, 3, 4));
    CHECK_V128(simd_I16X8_EXTEND_HIGH_I8X16_S(a8), V_I16(-2, 5, 6, 7, 8, 9, -128, 127));
    CHECK_V128(simd_I16X8_EXTEND_LOW_I8X16_U(a8), V_U16(128, 255, 127, 0, 1, 2, 3, 4));
    CHECK_V128(simd_I16X8_EXTEND_HIGH_I8X16_U(a8), V_U16(254, 5, 6, 7, 8, 9, 128, 127));
    wasm_v128 a16 = V_I16(-32768, -1, 32767, 0, -2, 5, 6, 7);
    CHECK_V128(simd_I32X4_EXTEND_LOW_I16X8_S(a16), V_I32(-32768, -1, 32767, 0));
    CHECK_V128(simd_I32X4_EXTEND_HIGH_I16X8_S(a16), V_I32(-2, 5, 6, 7));
    CHECK_V128(simd_I32X4_EXTEND_LOW_I16X8_U(a16), V_U32(32768, 65535, 32767, 0));
    CHECK_V128(simd_I32X4_EXTEND_HIGH_I16X8_U(a16), V_U32(65534, 5, 6, 7));
    wasm_v128 a32 = V_I32(-1, INT32_MIN, 5, INT32_MAX);
    CHECK_V128(simd_I64X2_EXTEND_LOW_I32X4_S(a32), V_I64(-1, INT32_MIN));
    CHECK_V128(simd_I64X2_EXTEND_HIGH_I32X4_S(a32), V_I64(5, INT32_MAX));
    CHECK_V128(simd_I64X2_EXTEND_LOW_I32X4_U(a32), V_U64(0xFFFFFFFFu, 0x80000000u));
    CHECK_V128(simd_I64X2_EXTEND_HIGH_I32X4_U(a32), V_U64(5, 0x7FFFFFFFu));
}

/* --- Shifts: the count is taken modulo the lane width ---------------------- */

static void test_shifts_i8x16(void) {
    wasm_v128 a = V_U8(0x81, 0x7F, 0x01, 0x80, 0xFF, 0x40);
    CHECK_V128(simd_I8X16_SHL(a, 0), a);
    CHECK_V128(simd_I8X16_SHL(a, 8), a);
    CHECK_V128(simd_I8X16_SHL(a, 7), V_U8(0x80, 0x80, 0x80, 0, 0x80, 0));
    CHECK_V128(simd_I8X16_SHL(a, 0xFFFFFFFFu), V_U8(0x80, 0x80, 0x80, 0, 0x80, 0));
    CHECK_V128(simd_I8X16_SHL(a, 9), V_U8(0x02, 0xFE, 0x02, 0, 0xFE, 0x80));
    CHECK_V128(simd_I8X16_SHR_S(a, 0), a);
    CHECK_V128(simd_I8X16_SHR_S(a, 8), a);
    CHECK_V128(simd_I8X16_SHR_S(a, 7), V_U8(0xFF, 0, 0, 0xFF, 0xFF, 0));
    CHECK_V128(simd_I8X16_SHR_S(a, 0xFFFFFFFFu), V_U8(0xFF, 0, 0, 0xFF, 0xFF, 0));
    CHECK_V128(simd_I8X16_SHR_S(a, 9), V_U8(0xC0, 0x3F, 0, 0xC0, 0xFF, 0x20));
    CHECK_V128(simd_I8X16_SHR_U(a, 0), a);
    CHECK_V128(simd_I8X16_SHR_U(a, 8), a);
    CHECK_V128(simd_I8X16_SHR_U(a, 7), V_U8(1, 0, 0, 1, 1, 0));
    CHECK_V128(simd_I8X16_SHR_U(a, 0xFFFFFFFFu), V_U8(1, 0, 0, 1, 1, 0));
    CHECK_V128(simd_I8X16_SHR_U(a, 9), V_U8(0x40, 0x3F, 0, 0x40, 0x7F, 0x20));
}

static void test_shifts_i16x8(void) {
    wasm_v128 a = V_U16(0x8001, 0x7FFF, 1, 0x8000, 0xFFFF, 0x4000);
    CHECK_V128(simd_I16X8_SHL(a, 16), a);
    CHECK_V128(simd_I16X8_SHL(a, 15), V_U16(0x8000, 0x8000, 0x8000, 0, 0x8000, 0));
    CHECK_V128(simd_I16X8_SHL(a, 0xFFFFFFFFu), V_U16(0x8000, 0x8000, 0x8000, 0, 0x8000, 0));
    CHECK_V128(simd_I16X8_SHL(a, 17), V_U16(2, 0xFFFE, 2, 0, 0xFFFE, 0x8000));
    CHECK_V128(simd_I16X8_SHL(a, 8), V_U16(0x0100, 0xFF00, 0x0100, 0, 0xFF00, 0));
    CHECK_V128(simd_I16X8_SHR_S(a, 16), a);
    CHECK_V128(simd_I16X8_SHR_S(a, 15), V_U16(0xFFFF, 0, 0, 0xFFFF, 0xFFFF, 0));
    CHECK_V128(simd_I16X8_SHR_S(a, 17), V_U16(0xC000, 0x3FFF, 0, 0xC000, 0xFFFF, 0x2000));
    CHECK_V128(simd_I16X8_SHR_S(a, 8), V_U16(0xFF80, 0x007F, 0, 0xFF80, 0xFFFF, 0x0040));
    CHECK_V128(simd_I16X8_SHR_U(a, 16), a);
    CHECK_V128(simd_I16X8_SHR_U(a, 0xFFFFFFFFu), V_U16(1, 0, 0, 1, 1, 0));
    CHECK_V128(simd_I16X8_SHR_U(a, 17), V_U16(0x4000, 0x3FFF, 0, 0x4000, 0x7FFF, 0x2000));
}

static void test_shifts_i32x4(void) {
    wasm_v128 a = V_U32(0x80000001u, 0x7FFFFFFFu, 1, 0x80000000u);
    CHECK_V128(simd_I32X4_SHL(a, 32), a);
    CHECK_V128(simd_I32X4_SHL(a, 31), V_U32(0x80000000u, 0x80000000u, 0x80000000u, 0));
    CHECK_V128(simd_I32X4_SHL(a, 0xFFFFFFFFu), V_U32(0x80000000u, 0x80000000u, 0x80000000u, 0));
    CHECK_V128(simd_I32X4_SHL(a, 33), V_U32(2, 0xFFFFFFFEu, 2, 0));
    CHECK_V128(simd_I32X4_SHR_S(a, 32), a);
    CHECK_V128(simd_I32X4_SHR_S(a, 31), V_U32(0xFFFFFFFFu, 0, 0, 0xFFFFFFFFu));
    CHECK_V128(simd_I32X4_SHR_S(a, 33), V_U32(0xC0000000u, 0x3FFFFFFFu, 0, 0xC0000000u));
    CHECK_V128(simd_I32X4_SHR_S(a, 8), V_U32(0xFF800000u, 0x007FFFFFu, 0, 0xFF800000u));
    CHECK_V128(simd_I32X4_SHR_U(a, 0xFFFFFFFFu), V_U32(1, 0, 0, 1));
    CHECK_V128(simd_I32X4_SHR_U(a, 33), V_U32(0x40000000u, 0x3FFFFFFFu, 0, 0x40000000u));
}

static void test_shifts_i64x2(void) {
    wasm_v128 a = V_U64(0x8000000000000001ull, 0x7FFFFFFFFFFFFFFFull);
    CHECK_V128(simd_I64X2_SHL(a, 64), a);
    CHECK_V128(simd_I64X2_SHL(a, 63), V_U64(0x8000000000000000ull, 0x8000000000000000ull));
    CHECK_V128(simd_I64X2_SHL(a, 0xFFFFFFFFu), V_U64(0x8000000000000000ull, 0x8000000000000000ull));
    CHECK_V128(simd_I64X2_SHL(a, 65), V_U64(2, 0xFFFFFFFFFFFFFFFEull));
    CHECK_V128(simd_I64X2_SHR_S(a, 64), a);
    CHECK_V128(simd_I64X2_SHR_S(a, 63), V_U64(~0ull, 0));
    CHECK_V128(simd_I64X2_SHR_S(a, 65), V_U64(0xC000000000000000ull, 0x3FFFFFFFFFFFFFFFull));
    CHECK_V128(simd_I64X2_SHR_S(a, 32), V_U64(0xFFFFFFFF80000000ull, 0x000000007FFFFFFFull));
    CHECK_V128(simd_I64X2_SHR_U(a, 0xFFFFFFFFu), V_U64(1, 0));
    CHECK_V128(simd_I64X2_SHR_U(a, 65), V_U64(0x4000000000000000ull, 0x3FFFFFFFFFFFFFFFull));
}

/* --- Floating point ------------------------------------------------------- */

static void test_float_arithmetic_nan(void) {
    /* A NaN operand gives a quiet NaN; NaN from non-NaN operands is canonical. */
    wasm_v128 r = simd_F32X4_ADD(V_U32(F32_SNAN, 0x3F800000u, F32_INF, 0), V_U32(0x3F800000u, F32_SNAN, F32_NEG_INF, 0));
    CHECK(f32_quiet_nan(lane32(r, 0)));
    CHECK(f32_quiet_nan(lane32(r, 1)));
    CHECK(f32_canonical_nan(lane32(r, 2)));
    CHECK_EQ_U64(lane32(r, 3), 0);
    r = simd_F32X4_DIV(V_F32(0.0f, 1.0f, -1.0f, 6.0f), V_F32(0.0f, 0.0f, 0.0f, -3.0f));
    CHECK(f32_canonical_nan(lane32(r, 0)));
    CHECK_EQ_U64(lane32(r, 1), F32_INF);
    CHECK_EQ_U64(lane32(r, 2), F32_NEG_INF);
    CHECK_V128(simd_F32X4_MUL(V_F32(1e38f, -1e38f, 0.5f, -0.0f), V_F32(10.0f, 10.0f, 3.0f, 5.0f)),
               V_F32(INFINITY, -INFINITY, 1.5f, -0.0f));
    CHECK_V128(simd_F32X4_SUB(V_F32(1.0f, 0.0f, -0.0f, 0.0f), V_F32(0.5f, 0.0f, 0.0f, -0.0f)),
               V_F32(0.5f, 0.0f, -0.0f, 0.0f));
    r = simd_F32X4_SQRT(V_F32(-1.0f, 4.0f, -0.0f, INFINITY));
    CHECK(f32_canonical_nan(lane32(r, 0)));
    CHECK_EQ_U64(lane32(r, 1), 0x40000000u); /* 2.0 */
    CHECK_EQ_U64(lane32(r, 2), F32_NEG_ZERO);
    CHECK_EQ_U64(lane32(r, 3), F32_INF);
    CHECK(f32_quiet_nan(lane32(simd_F32X4_SQRT(V_U32(F32_SNAN)), 0)));

    wasm_v128 d = simd_F64X2_ADD(V_U64(F64_SNAN, 0x7FF0000000000000ull), V_U64(0, 0xFFF0000000000000ull));
    CHECK(f64_quiet_nan(lane64(d, 0)));
    CHECK(f64_canonical_nan(lane64(d, 1)));
    d = simd_F64X2_DIV(V_F64(0.0, -1.0), V_F64(0.0, 0.0));
    CHECK(f64_canonical_nan(lane64(d, 0)));
    CHECK_EQ_U64(lane64(d, 1), 0xFFF0000000000000ull);
    CHECK_V128(simd_F64X2_MUL(V_F64(1e300, 3.0), V_F64(1e300, -0.5)), V_F64(INFINITY, -1.5));
    CHECK_V128(simd_F64X2_SUB(V_F64(-0.0, 1.0), V_F64(0.0, 1.0)), V_F64(-0.0, 0.0));
    d = simd_F64X2_SQRT(V_F64(-2.0, 9.0));
    CHECK(f64_canonical_nan(lane64(d, 0)));
    CHECK_EQ_U64(lane64(d, 1), 0x4008000000000000ull); /* 3.0 */
}

static void test_float_abs_neg(void) {
    /* Bit operations: NaNs keep their payload and signalling bit. */
    CHECK_V128(simd_F32X4_ABS(V_U32(0xFFC12345u, 0xFF800001u, F32_NEG_ZERO, 0xBF800000u)),
               V_U32(0x7FC12345u, 0x7F800001u, 0, 0x3F800000u));
    CHECK_V128(simd_F32X4_NEG(V_U32(F32_SNAN, 0, F32_NEG_ZERO, 0x3F800000u)),
               V_U32(0xFF800001u, F32_NEG_ZERO, 0, 0xBF800000u));
    CHECK_V128(simd_F64X2_ABS(V_U64(0xFFF0000000000001ull, F64_NEG_ZERO)), V_U64(F64_SNAN, 0));
    CHECK_V128(simd_F64X2_NEG(V_U64(F64_SNAN, 0)), V_U64(0xFFF0000000000001ull, F64_NEG_ZERO));
}

static void test_float_min_max(void) {
    /* min/max: -0 < +0, and any NaN operand gives a quiet NaN. */
    wasm_v128 a = V_U32(F32_NEG_ZERO, 0, F32_SNAN, 0x3F800000u);
    wasm_v128 b = V_U32(0, F32_NEG_ZERO, 0x3F800000u, F32_QNAN);
    wasm_v128 r = simd_F32X4_MIN(a, b);
    CHECK_EQ_U64(lane32(r, 0), F32_NEG_ZERO);
    CHECK_EQ_U64(lane32(r, 1), F32_NEG_ZERO);
    CHECK(f32_quiet_nan(lane32(r, 2)));
    CHECK(f32_quiet_nan(lane32(r, 3)));
    r = simd_F32X4_MAX(a, b);
    CHECK_EQ_U64(lane32(r, 0), 0);
    CHECK_EQ_U64(lane32(r, 1), 0);
    CHECK(f32_quiet_nan(lane32(r, 2)));
    CHECK(f32_quiet_nan(lane32(r, 3)));
    CHECK_V128(simd_F32X4_MIN(V_F32(-INFINITY, 5.0f, -1.0f, 2.0f), V_F32(5.0f, INFINITY, 1.0f, -2.0f)),
               V_F32(-INFINITY, 5.0f, -1.0f, -2.0f));
    CHECK_V128(simd_F32X4_MAX(V_F32(-INFINITY, 5.0f, -1.0f, 2.0f), V_F32(5.0f, INFINITY, 1.0f, -2.0f)),
               V_F32(5.0f, INFINITY, 1.0f, 2.0f));

    wasm_v128 c = V_U64(F64_NEG_ZERO, F64_SNAN);
    wasm_v128 d = V_U64(0, 0x3FF0000000000000ull);
    wasm_v128 e = simd_F64X2_MIN(c, d);
    CHECK_EQ_U64(lane64(e, 0), F64_NEG_ZERO);
    CHECK(f64_quiet_nan(lane64(e, 1)));
    e = simd_F64X2_MIN(d, c);
    CHECK_EQ_U64(lane64(e, 0), F64_NEG_ZERO);
    CHECK(f64_quiet_nan(lane64(e, 1)));
    e = simd_F64X2_MAX(c, d);
    CHECK_EQ_U64(lane64(e, 0), 0);
    CHECK(f64_quiet_nan(lane64(e, 1)));
    e = simd_F64X2_MAX(d, c);
    CHECK_EQ_U64(lane64(e, 0), 0);
    CHECK_V128(simd_F64X2_MIN(V_F64(1.0, -INFINITY), V_F64(2.0, 0.0)), V_F64(1.0, -INFINITY));
    CHECK_V128(simd_F64X2_MAX(V_F64(1.0, -INFINITY), V_F64(2.0, 0.0)), V_F64(2.0, 0.0));
}

static void test_float_pmin_pmax(void) {
    /* pmin = b < a ? b : a, pmax = a < b ? b : a: NaNs and zeros pass
     * through bit for bit, never canonicalized. */
    wasm_v128 a = V_U32(F32_SNAN, 0x3F800000u, F32_NEG_ZERO, 0);
    wasm_v128 b = V_U32(0x3F800000u, F32_NAN_PAYLOAD, 0, F32_NEG_ZERO);
    CHECK_V128(simd_F32X4_PMIN(a, b), V_U32(F32_SNAN, 0x3F800000u, F32_NEG_ZERO, 0));
    CHECK_V128(simd_F32X4_PMAX(a, b), V_U32(F32_SNAN, 0x3F800000u, F32_NEG_ZERO, 0));
    CHECK_V128(simd_F32X4_PMIN(b, a), V_U32(0x3F800000u, F32_NAN_PAYLOAD, 0, F32_NEG_ZERO));
    CHECK_V128(simd_F32X4_PMIN(V_F32(1.0f, 2.0f, -INFINITY, 3.0f), V_F32(2.0f, 1.0f, 0.0f, INFINITY)),
               V_F32(1.0f, 1.0f, -INFINITY, 3.0f));
    CHECK_V128(simd_F32X4_PMAX(V_F32(1.0f, 2.0f, -INFINITY, 3.0f), V_F32(2.0f, 1.0f, 0.0f, INFINITY)),
               V_F32(2.0f, 2.0f, 0.0f, INFINITY));

    wasm_v128 c = V_U64(F64_SNAN, F64_NEG_ZERO);
    wasm_v128 d = V_U64(0x3FF0000000000000ull, 0);
    CHECK_V128(simd_F64X2_PMIN(c, d), V_U64(F64_SNAN, F64_NEG_ZERO));
    CHECK_V128(simd_F64X2_PMAX(c, d), V_U64(F64_SNAN, F64_NEG_ZERO));
    CHECK_V128(simd_F64X2_PMIN(d, c), V_U64(0x3FF0000000000000ull, 0));
    CHECK_V128(simd_F64X2_PMAX(d, c), V_U64(0x3FF0000000000000ull, 0));
    CHECK_V128(simd_F64X2_PMIN(V_F64(1.0, 5.0), V_F64(2.0, -5.0)), V_F64(1.0, -5.0));
    CHECK_V128(simd_F64X2_PMAX(V_F64(1.0, 5.0), V_F64(2.0, -5.0)), V_F64(2.0, 5.0));
}

static void test_float_rounding(void) {
    /* nearest: ties to even, and the sign of zero is kept. */
    CHECK_V128(simd_F32X4_NEAREST(V_F32(2.5f, -0.5f, 3.5f, -1.5f)), V_F32(2.0f, -0.0f, 4.0f, -2.0f));
    CHECK_V128(simd_F32X4_NEAREST(V_F32(0.5f, -2.5f, 0.49999997f, 8388609.0f)), V_F32(0.0f, -2.0f, 0.0f, 8388609.0f));
    CHECK_V128(simd_F32X4_NEAREST(V_U32(F32_INF, F32_NEG_ZERO, F32_NEG_INF, 0x4B000001u /* 2^23 + 1 */)),
               V_U32(F32_INF, F32_NEG_ZERO, F32_NEG_INF, 0x4B000001u));
    CHECK_V128(simd_F32X4_CEIL(V_F32(-0.5f, 0.5f, -1.5f, 1.0f)), V_F32(-0.0f, 1.0f, -1.0f, 1.0f));
    CHECK_V128(simd_F32X4_FLOOR(V_F32(-0.5f, 0.5f, -0.0f, 1.5f)), V_F32(-1.0f, 0.0f, -0.0f, 1.0f));
    CHECK_V128(simd_F32X4_TRUNC(V_F32(-1.7f, 1.7f, -0.3f, 1e30f)), V_F32(-1.0f, 1.0f, -0.0f, 1e30f));
    CHECK_EQ_U64(lane32(simd_F32X4_CEIL(V_F32(-0.5f)), 0), F32_NEG_ZERO);
    CHECK_EQ_U64(lane32(simd_F32X4_TRUNC(V_F32(-0.3f)), 0), F32_NEG_ZERO);
    CHECK_EQ_U64(lane32(simd_F32X4_NEAREST(V_F32(-0.5f)), 0), F32_NEG_ZERO);
    /* A signalling NaN comes out quiet from every rounding operation. */
    wasm_v128 nans = V_U32(F32_SNAN, 0xFF800001u, F32_NAN_PAYLOAD, F32_QNAN);
    wasm_v128 (*const f32_round[])(wasm_v128) = {simd_F32X4_CEIL, simd_F32X4_FLOOR, simd_F32X4_TRUNC,
                                                 simd_F32X4_NEAREST};
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < 4; i++) CHECK(f32_quiet_nan(lane32(f32_round[k](nans), i)));

    CHECK_V128(simd_F64X2_NEAREST(V_F64(2.5, -0.5)), V_F64(2.0, -0.0));
    CHECK_EQ_U64(lane64(simd_F64X2_NEAREST(V_F64(2.5, -0.5)), 1), F64_NEG_ZERO);
    CHECK_V128(simd_F64X2_NEAREST(V_F64(4503599627370497.0, -3.5)), V_F64(4503599627370497.0, -4.0));
    CHECK_V128(simd_F64X2_CEIL(V_F64(-0.5, 1.25)), V_F64(-0.0, 2.0));
    CHECK_EQ_U64(lane64(simd_F64X2_CEIL(V_F64(-0.5, 1.25)), 0), F64_NEG_ZERO);
    CHECK_V128(simd_F64X2_FLOOR(V_F64(-0.5, 1.75)), V_F64(-1.0, 1.0));
    CHECK_V128(simd_F64X2_TRUNC(V_F64(-1.75, 1e300)), V_F64(-1.0, 1e300));
    wasm_v128 dnans = V_U64(F64_SNAN, 0xFFF0000000000001ull);
    wasm_v128 (*const f64_round[])(wasm_v128) = {simd_F64X2_CEIL, simd_F64X2_FLOOR, simd_F64X2_TRUNC,
                                                 simd_F64X2_NEAREST};
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < 2; i++) CHECK(f64_quiet_nan(lane64(f64_round[k](dnans), i)));
}

/* --- Conversions ------------------------------------------------------------ */

static void test_trunc_sat(void) {
    CHECK_V128(simd_I32X4_TRUNC_SAT_F32X4_S(V_U32(F32_QNAN, F32_INF, F32_NEG_INF, 0x4F000000u /* 2^31 */)),
               V_I32(0, INT32_MAX, INT32_MIN, INT32_MAX));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F32X4_S(V_F32(2147483520.0f, -2147483648.0f, -1.9f, 1.9f)),
               V_I32(2147483520, INT32_MIN, -1, 1));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F32X4_S(V_U32(0xCF000001u /* -2^31 - 256 */, F32_NEG_ZERO, F32_SNAN, 0x501502F9u)),
               V_I32(INT32_MIN, 0, 0, INT32_MAX));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F32X4_U(V_U32(F32_QNAN, F32_INF, F32_NEG_INF, 0x4F800000u /* 2^32 */)),
               V_U32(0, 0xFFFFFFFFu, 0, 0xFFFFFFFFu));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F32X4_U(V_F32(4294967040.0f, -0.9f, -1.0f, 1.9f)), V_U32(4294967040u, 0, 0, 1));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F32X4_U(V_F32(2147483648.0f, -1e30f, 0.0f, 65535.99f)),
               V_U32(0x80000000u, 0, 0, 65535));

    /* The f64x2 forms fill lanes 2 and 3 with zero. */
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_S_ZERO(V_F64(2147483647.9, -2147483648.9)), V_I32(INT32_MAX, INT32_MIN, 0, 0));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_S_ZERO(V_U64(F64_QNAN, 0xFFF0000000000000ull)), V_I32(0, INT32_MIN, 0, 0));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_S_ZERO(V_F64(2147483648.0, -2147483649.0)), V_I32(INT32_MAX, INT32_MIN, 0, 0));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_S_ZERO(V_F64(-1.5, 1e300)), V_I32(-1, INT32_MAX, 0, 0));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_U_ZERO(V_F64(4294967295.9, -0.99)), V_U32(0xFFFFFFFFu, 0, 0, 0));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_U_ZERO(V_U64(0x41F0000000000000ull /* 2^32 */, F64_SNAN)),
               V_U32(0xFFFFFFFFu, 0, 0, 0));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_U_ZERO(V_F64(-1.0, INFINITY)), V_U32(0, 0xFFFFFFFFu, 0, 0));
    CHECK_V128(simd_I32X4_TRUNC_SAT_F64X2_U_ZERO(V_F64(2147483648.5, 1.0)), V_U32(0x80000000u, 1, 0, 0));
}

static void test_convert(void) {
    CHECK_V128(simd_F32X4_CONVERT_I32X4_S(V_I32(INT32_MIN, -1, 16777217, INT32_MAX)),
               V_F32(-2147483648.0f, -1.0f, 16777216.0f, 2147483648.0f));
    CHECK_V128(simd_F32X4_CONVERT_I32X4_S(V_I32(16777219, 0, 1, -16777219)),
               V_F32(16777220.0f, 0.0f, 1.0f, -16777220.0f));
    CHECK_V128(simd_F32X4_CONVERT_I32X4_U(V_U32(0xFFFFFFFFu, 0x80000000u, 16777217, 0)),
               V_F32(4294967296.0f, 2147483648.0f, 16777216.0f, 0.0f));
    CHECK_V128(simd_F32X4_CONVERT_I32X4_U(V_U32(0xFFFFFF7Fu, 0xFFFFFF80u, 0xFFFFFF81u, 1)),
               V_F32(4294967040.0f, 4294967296.0f, 4294967296.0f, 1.0f));
    /* Only lanes 0 and 1 are converted, exactly. */
    CHECK_V128(simd_F64X2_CONVERT_LOW_I32X4_S(V_I32(INT32_MIN, -1, 7, 8)), V_F64(-2147483648.0, -1.0));
    CHECK_V128(simd_F64X2_CONVERT_LOW_I32X4_S(V_I32(INT32_MAX, 0, -7, -8)), V_F64(2147483647.0, 0.0));
    CHECK_V128(simd_F64X2_CONVERT_LOW_I32X4_U(V_U32(0xFFFFFFFFu, 0x80000000u, 7, 8)), V_F64(4294967295.0, 2147483648.0));
}

static void test_demote_promote(void) {
    wasm_v128 r = simd_F32X4_DEMOTE_F64X2_ZERO(V_F64(1e300, -1e300));
    CHECK_V128(r, V_U32(F32_INF, F32_NEG_INF, 0, 0));
    r = simd_F32X4_DEMOTE_F64X2_ZERO(V_U64(F64_SNAN, 0x3C9CD2B297D889BCull /* 1e-16 */));
    CHECK(f32_quiet_nan(lane32(r, 0)));
    CHECK_EQ_U64(lane32(r, 1), 0x24E69595u);
    CHECK_EQ_U64(lane32(r, 2), 0);
    CHECK_EQ_U64(lane32(r, 3), 0);
    CHECK_V128(simd_F32X4_DEMOTE_F64X2_ZERO(V_F64(-0.0, 0.1)), V_U32(F32_NEG_ZERO, 0x3DCCCCCDu, 0, 0));
    CHECK_V128(simd_F32X4_DEMOTE_F64X2_ZERO(V_F64(1e-50, (double)FLT_MAX)), V_U32(0, 0x7F7FFFFFu, 0, 0));
    /* Halfway between FLT_MAX and 2^128 rounds up to infinity; just below stays FLT_MAX. */
    CHECK_V128(simd_F32X4_DEMOTE_F64X2_ZERO(V_U64(0x47EFFFFFF0000000ull, 0x47EFFFFFEFFFFFFFull)),
               V_U32(F32_INF, 0x7F7FFFFFu, 0, 0));
    r = simd_F32X4_DEMOTE_F64X2_ZERO(V_U64(0xFFF8000000000000ull, 0x7FF0000000000000ull));
    CHECK(f32_quiet_nan(lane32(r, 0)));
    CHECK_EQ_U64(lane32(r, 1), F32_INF);

    wasm_v128 p = simd_F64X2_PROMOTE_LOW_F32X4(V_U32(F32_SNAN, F32_NEG_ZERO, 0x3F800000u, 0x40000000u));
    CHECK(f64_quiet_nan(lane64(p, 0)));
    CHECK_EQ_U64(lane64(p, 1), F64_NEG_ZERO);
    CHECK_V128(simd_F64X2_PROMOTE_LOW_F32X4(V_F32(1.5f, INFINITY, 99.0f, 100.0f)), V_F64(1.5, INFINITY));
    CHECK_V128(simd_F64X2_PROMOTE_LOW_F32X4(V_U32(1 /* smallest subnormal */, 0x3DCCCCCDu)),
               V_F64(0x1p-149, 0.100000001490116119384765625));
}

/* --- Every table entry -------------------------------------------------------- */

static void test_table_is_consistent(void) {
    static const struct {
        const char *name, *text;
        unsigned code;
    } ops[] = {
#define X(name, code, text, imm, sig, kind) {#name, text, code},
        WASM_OPS_FD(X)
#undef X
    };
    size_t n = sizeof ops / sizeof ops[0];
    CHECK_EQ_INT(n, 236);
    for (size_t i = 0; i < n; i++) {
        char upper[64];
        size_t len = strlen(ops[i].text);
        REQUIRE(len < sizeof upper);
        for (size_t j = 0; j <= len; j++)
            upper[j] = ops[i].text[j] == '.' ? '_' : (char)toupper((unsigned char)ops[i].text[j]);
        check_record(strcmp(upper, ops[i].name) == 0, __FILE__, __LINE__, ops[i].text);
        CHECK_EQ_U64(ops[i].code >> 12, 0xFDu);
        CHECK((ops[i].code & 0xFFFu) < WASM_FD_SUBOP_COUNT);
        if (i > 0) CHECK(ops[i].code > ops[i - 1].code);
    }
    CHECK_EQ_U64(ops[n - 1].code & 0xFFFu, WASM_FD_SUBOP_COUNT - 1);
}

/* Calls every simd_<NAME> through a pointer of the type its IMM and SIG call
 * for (so a mismatched signature does not compile) on edge patterns. The
 * results are folded into a checksum the test prints. */
static uint64_t sweep_sum;
static void sweep_fold(wasm_v128 v) { sweep_sum = (sweep_sum ^ v.lo) * 0x100000001B3ull ^ v.hi; }

typedef wasm_v128 (*fn_v_v)(wasm_v128);
typedef wasm_v128 (*fn_vv_v)(wasm_v128, wasm_v128);
typedef wasm_v128 (*fn_vvv_v)(wasm_v128, wasm_v128, wasm_v128);
typedef uint32_t (*fn_v_i)(wasm_v128);
typedef wasm_v128 (*fn_vi_v)(wasm_v128, uint32_t);
typedef wasm_v128 (*fn_splat)(uint64_t);
typedef uint64_t (*fn_extract)(wasm_v128, unsigned);
typedef wasm_v128 (*fn_replace)(wasm_v128, unsigned, uint64_t);
typedef wasm_v128 (*fn_load)(const uint8_t *);
typedef void (*fn_store)(uint8_t *, wasm_v128);
typedef wasm_v128 (*fn_load_lane)(const uint8_t *, wasm_v128, unsigned);
typedef void (*fn_store_lane)(uint8_t *, wasm_v128, unsigned);

#define SWEEP_NONE_v_v(N) { fn_v_v f = simd_##N; sweep_fold(f(a)); }
#define SWEEP_NONE_vv_v(N) { fn_vv_v f = simd_##N; sweep_fold(f(a, b)); }
#define SWEEP_NONE_vvv_v(N) { fn_vvv_v f = simd_##N; sweep_fold(f(a, b, c)); }
#define SWEEP_NONE_v_i(N) { fn_v_i f = simd_##N; sweep_fold((wasm_v128){f(a), 0}); }
#define SWEEP_NONE_vi_v(N) { fn_vi_v f = simd_##N; sweep_fold(f(a, count)); }
#define SWEEP_NONE_i_v(N) { fn_splat f = simd_##N; sweep_fold(f(a.lo)); }
#define SWEEP_NONE_l_v SWEEP_NONE_i_v
#define SWEEP_NONE_f_v SWEEP_NONE_i_v
#define SWEEP_NONE_d_v SWEEP_NONE_i_v
#define SWEEP_EXTRACT(N, LANES) { fn_extract f = simd_##N; sweep_fold((wasm_v128){f(a, lane % (LANES)), 0}); }
#define SWEEP_REPLACE(N, LANES) { fn_replace f = simd_##N; sweep_fold(f(a, lane % (LANES), b.hi)); }
#define SWEEP_LANE16_v_i(N) SWEEP_EXTRACT(N, 16)
#define SWEEP_LANE8_v_i(N) SWEEP_EXTRACT(N, 8)
#define SWEEP_LANE4_v_i(N) SWEEP_EXTRACT(N, 4)
#define SWEEP_LANE2_v_l(N) SWEEP_EXTRACT(N, 2)
#define SWEEP_LANE4_v_f(N) SWEEP_EXTRACT(N, 4)
#define SWEEP_LANE2_v_d(N) SWEEP_EXTRACT(N, 2)
#define SWEEP_LANE16_vi_v(N) SWEEP_REPLACE(N, 16)
#define SWEEP_LANE8_vi_v(N) SWEEP_REPLACE(N, 8)
#define SWEEP_LANE4_vi_v(N) SWEEP_REPLACE(N, 4)
#define SWEEP_LANE2_vl_v(N) SWEEP_REPLACE(N, 2)
#define SWEEP_LANE4_vf_v(N) SWEEP_REPLACE(N, 4)
#define SWEEP_LANE2_vd_v(N) SWEEP_REPLACE(N, 2)
#define SWEEP_MEMARG_i_v(N) { fn_load f = simd_##N; sweep_fold(f(mem + 1)); }
#define SWEEP_MEMARG_iv_(N) { fn_store f = simd_##N; f(mem + 1, a); sweep_fold(simd_v128(mem + 1)); }
#define SWEEP_LOAD_LANE(N, LANES) { fn_load_lane f = simd_##N; sweep_fold(f(mem + 3, a, lane % (LANES))); }
#define SWEEP_STORE_LANE(N, LANES) { fn_store_lane f = simd_##N; f(mem + 3, a, lane % (LANES)); sweep_fold(simd_v128(mem)); }
#define SWEEP_MEMLANE16_iv_v(N) SWEEP_LOAD_LANE(N, 16)
#define SWEEP_MEMLANE8_iv_v(N) SWEEP_LOAD_LANE(N, 8)
#define SWEEP_MEMLANE4_iv_v(N) SWEEP_LOAD_LANE(N, 4)
#define SWEEP_MEMLANE2_iv_v(N) SWEEP_LOAD_LANE(N, 2)
#define SWEEP_MEMLANE16_iv_(N) SWEEP_STORE_LANE(N, 16)
#define SWEEP_MEMLANE8_iv_(N) SWEEP_STORE_LANE(N, 8)
#define SWEEP_MEMLANE4_iv_(N) SWEEP_STORE_LANE(N, 4)
#define SWEEP_MEMLANE2_iv_(N) SWEEP_STORE_LANE(N, 2)
#define SWEEP_SHUFFLE_vv_v(N) { sweep_fold(simd_##N(a, b, simd_V128_AND(c, simd_I8X16_SPLAT(31)))); }
#define SWEEP_V128__v(N) /* v128.const: its immediate is its value */

static void test_every_entry_on_edge_patterns(void) {
    static const uint64_t patterns[] = {
        0, ~0ull, 0x8080808080808080ull, 0x7F7F7F7F7F7F7F7Full, 0x8000800080008000ull, 0x7FFF7FFF7FFF7FFFull,
        0x8000000080000000ull, 0x7FFFFFFF7FFFFFFFull, 0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull,
        0x7FC000007F800001ull, 0xFF800000FFC12345ull, 0x4F0000004F800000ull, 0xCF000001CF000000ull,
        0x7FF0000000000001ull, 0xFFF8000000000000ull, 0x41E0000000000000ull, 0xC1E0000000200000ull,
        0x41F0000000000000ull, 0x0123456789ABCDEFull, 0x0000000100000001ull, 0xFFFF0000FF00F00Full,
    };
    static const uint32_t counts[] = {0, 1, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65, 0x80000000u, 0xFFFFFFFFu};
    const size_t np = sizeof patterns / sizeof patterns[0];
    uint8_t mem[32];
    unsigned calls = 0;
    for (size_t i = 0; i < np; i++) {
        for (size_t j = 0; j < np; j++) {
            wasm_v128 a = {patterns[i], patterns[(i + j) % np]};
            wasm_v128 b = {patterns[j], patterns[(i * 7 + j * 3) % np]};
            wasm_v128 c = {patterns[(i + 1) % np], patterns[(j + 5) % np]};
            uint32_t count = counts[(i + j) % (sizeof counts / sizeof counts[0])];
            unsigned lane = (unsigned)(i * np + j);
            memset(mem, (int)(i * 16 + j), sizeof mem);
#define X(name, code, text, imm, sig, kind) SWEEP_##imm##_##sig(name) calls++;
            WASM_OPS_FD(X)
#undef X
        }
    }
    CHECK_EQ_INT(calls, 236 * np * np);
    printf("sweep checksum %016llx\n", (unsigned long long)sweep_sum);
}

/* --- Lane by lane against numeric.h ------------------------------------------- */

/* numeric.h's operand readers, as the interpreter defines them. */
#define U32(x) ((uint32_t)(x))
#define S32(x) ((int32_t)(uint32_t)(x))
#define U64(x) ((uint64_t)(x))
#define S64(x) ((int64_t)(x))
#define F32(x) f32_of(x)
#define F64(x) f64_of(x)
/* (Not every one is compared: clang would call the rest unused.) */
#define X(name, T, GET, EXPR)                                                                      \
    __attribute__((unused)) static uint64_t scalar_##name(uint64_t sa, uint64_t sb) {              \
        T a = GET(sa), b = GET(sb);                                                                \
        (void)b;                                                                                   \
        return (uint64_t)(EXPR);                                                                   \
    }
WASM_BINARY_OPS(X)
#undef X
#define X(name, T, GET, EXPR)                                                                      \
    __attribute__((unused)) static uint64_t scalar_##name(uint64_t sa) {                           \
        T a = GET(sa);                                                                             \
        return (uint64_t)(EXPR);                                                                   \
    }
WASM_UNARY_OPS(X)
#undef X

static const uint64_t lane_values[] = {
    0, 1, 2, 0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, 0x80000001u, 0xFFFF, 0x10000,
    0x3F800000u, 0xBF800000u, 0x40200000u /* 2.5 */, 0xC0200000u, 0x3F000000u /* 0.5 */, 0xBF000000u,
    F32_INF, F32_NEG_INF, F32_QNAN, 0xFFC00000u, F32_SNAN, F32_NAN_PAYLOAD, 0x7F7FFFFFu, 1, 0x00800000u,
    0x4F000000u, 0xCF000000u, 0x4F800000u, 0x4EFFFFFFu, 0xCF000001u, 0x4B800001u,
    0x3FF0000000000000ull, 0xBFF0000000000000ull, 0x4004000000000000ull /* 2.5 */, 0x7FF0000000000000ull,
    0xFFF0000000000000ull, F64_QNAN, F64_SNAN, 0xFFF8000000000001ull, F64_NEG_ZERO, 0x7FEFFFFFFFFFFFFFull,
    0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull, 0x41DFFFFFFFC00000ull,
    0x41E0000000000000ull, 0xC1E0000000000000ull, 0xC1E0000000200000ull, 0x41EFFFFFFFFFFFFFull,
    0x41F0000000000000ull, 0x0000000000000001ull, 0x4330000000000001ull, 0x47EFFFFFF0000000ull,
};
#define N_LANE_VALUES (sizeof lane_values / sizeof lane_values[0])

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
/* Mostly the edge values above, sometimes random bits. */
static uint64_t pick_lane(void) {
    uint64_t r = rng();
    return (r & 3) == 0 ? rng() : lane_values[(r >> 2) % N_LANE_VALUES];
}

/* A NaN that is not canonical (any sign). */
static int nan_not_canonical(uint64_t v, unsigned bits) {
    if (bits == 32) return (v & 0x7FFFFFFFu) > 0x7F800000u && !f32_canonical_nan((uint32_t)v);
    return (v & 0x7FFFFFFFFFFFFFFFull) > 0x7FF0000000000000ull && !f64_canonical_nan(v);
}
/* got stands for want: the same bits, or, for a float lane where want is a
 * NaN, any NaN the spec allows: quiet, and canonical unless an operand is a
 * NaN that is not (any_arith). With two NaN operands, whose payload survives
 * is the C compiler's choice: it may commute a vectorized add. */
static int same_lane(uint64_t got, uint64_t want, unsigned bits, int is_float, int any_arith) {
    if (got == want) return 1;
    if (!is_float) return 0;
    if (bits == 32) {
        if (((uint32_t)want & 0x7FFFFFFFu) <= 0x7F800000u) return 0;
        return f32_quiet_nan((uint32_t)got) && (any_arith || f32_canonical_nan((uint32_t)got));
    }
    if ((want & 0x7FFFFFFFFFFFFFFFull) <= 0x7FF0000000000000ull) return 0;
    return f64_quiet_nan(got) && (any_arith || f64_canonical_nan(got));
}

static uint64_t get_lane(wasm_v128 v, unsigned bits, unsigned i) {
    if (bits == 64) return lane64(v, i);
    return lane32(v, i);
}
static wasm_v128 make_vector(unsigned bits, const uint64_t *lanes) {
    if (bits == 64) return V_U64(lanes[0], lanes[1]);
    return V_U32((uint32_t)lanes[0], (uint32_t)lanes[1], (uint32_t)lanes[2], (uint32_t)lanes[3]);
}

static void test_lanewise_binary_match_scalar(void) {
    static const struct {
        const char *name;
        fn_vv_v vector;
        uint64_t (*scalar)(uint64_t, uint64_t);
        unsigned bits;
        int compare; /* scalar 0/1 -> lane 0/all ones */
    } cases[] = {
        {"i32x4.add", simd_I32X4_ADD, scalar_I32_ADD, 32, 0},
        {"i32x4.sub", simd_I32X4_SUB, scalar_I32_SUB, 32, 0},
        {"i32x4.mul", simd_I32X4_MUL, scalar_I32_MUL, 32, 0},
        {"i32x4.eq", simd_I32X4_EQ, scalar_I32_EQ, 32, 1},
        {"i32x4.ne", simd_I32X4_NE, scalar_I32_NE, 32, 1},
        {"i32x4.lt_s", simd_I32X4_LT_S, scalar_I32_LT_S, 32, 1},
        {"i32x4.lt_u", simd_I32X4_LT_U, scalar_I32_LT_U, 32, 1},
        {"i32x4.gt_s", simd_I32X4_GT_S, scalar_I32_GT_S, 32, 1},
        {"i32x4.gt_u", simd_I32X4_GT_U, scalar_I32_GT_U, 32, 1},
        {"i32x4.le_s", simd_I32X4_LE_S, scalar_I32_LE_S, 32, 1},
        {"i32x4.le_u", simd_I32X4_LE_U, scalar_I32_LE_U, 32, 1},
        {"i32x4.ge_s", simd_I32X4_GE_S, scalar_I32_GE_S, 32, 1},
        {"i32x4.ge_u", simd_I32X4_GE_U, scalar_I32_GE_U, 32, 1},
        {"i64x2.add", simd_I64X2_ADD, scalar_I64_ADD, 64, 0},
        {"i64x2.sub", simd_I64X2_SUB, scalar_I64_SUB, 64, 0},
        {"i64x2.mul", simd_I64X2_MUL, scalar_I64_MUL, 64, 0},
        {"i64x2.eq", simd_I64X2_EQ, scalar_I64_EQ, 64, 1},
        {"i64x2.ne", simd_I64X2_NE, scalar_I64_NE, 64, 1},
        {"i64x2.lt_s", simd_I64X2_LT_S, scalar_I64_LT_S, 64, 1},
        {"i64x2.gt_s", simd_I64X2_GT_S, scalar_I64_GT_S, 64, 1},
        {"i64x2.le_s", simd_I64X2_LE_S, scalar_I64_LE_S, 64, 1},
        {"i64x2.ge_s", simd_I64X2_GE_S, scalar_I64_GE_S, 64, 1},
        {"f32x4.add", simd_F32X4_ADD, scalar_F32_ADD, 32, 0},
        {"f32x4.sub", simd_F32X4_SUB, scalar_F32_SUB, 32, 0},
        {"f32x4.mul", simd_F32X4_MUL, scalar_F32_MUL, 32, 0},
        {"f32x4.div", simd_F32X4_DIV, scalar_F32_DIV, 32, 0},
        {"f32x4.min", simd_F32X4_MIN, scalar_F32_MIN, 32, 0},
        {"f32x4.max", simd_F32X4_MAX, scalar_F32_MAX, 32, 0},
        {"f32x4.eq", simd_F32X4_EQ, scalar_F32_EQ, 32, 1},
        {"f32x4.ne", simd_F32X4_NE, scalar_F32_NE, 32, 1},
        {"f32x4.lt", simd_F32X4_LT, scalar_F32_LT, 32, 1},
        {"f32x4.gt", simd_F32X4_GT, scalar_F32_GT, 32, 1},
        {"f32x4.le", simd_F32X4_LE, scalar_F32_LE, 32, 1},
        {"f32x4.ge", simd_F32X4_GE, scalar_F32_GE, 32, 1},
        {"f64x2.add", simd_F64X2_ADD, scalar_F64_ADD, 64, 0},
        {"f64x2.sub", simd_F64X2_SUB, scalar_F64_SUB, 64, 0},
        {"f64x2.mul", simd_F64X2_MUL, scalar_F64_MUL, 64, 0},
        {"f64x2.div", simd_F64X2_DIV, scalar_F64_DIV, 64, 0},
        {"f64x2.min", simd_F64X2_MIN, scalar_F64_MIN, 64, 0},
        {"f64x2.max", simd_F64X2_MAX, scalar_F64_MAX, 64, 0},
        {"f64x2.eq", simd_F64X2_EQ, scalar_F64_EQ, 64, 1},
        {"f64x2.ne", simd_F64X2_NE, scalar_F64_NE, 64, 1},
        {"f64x2.lt", simd_F64X2_LT, scalar_F64_LT, 64, 1},
        {"f64x2.gt", simd_F64X2_GT, scalar_F64_GT, 64, 1},
        {"f64x2.le", simd_F64X2_LE, scalar_F64_LE, 64, 1},
        {"f64x2.ge", simd_F64X2_GE, scalar_F64_GE, 64, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        unsigned bits = cases[k].bits, lanes = 128 / bits;
        uint64_t mask = bits == 64 ? ~0ull : 0xFFFFFFFFull;
        int mismatches = 0;
        for (int round = 0; round < 2000; round++) {
            uint64_t x[4], y[4];
            for (unsigned i = 0; i < lanes; i++) x[i] = pick_lane() & mask, y[i] = pick_lane() & mask;
            wasm_v128 r = cases[k].vector(make_vector(bits, x), make_vector(bits, y));
            for (unsigned i = 0; i < lanes; i++) {
                uint64_t want = cases[k].scalar(x[i], y[i]) & mask;
                if (cases[k].compare) want = want ? mask : 0;
                uint64_t got = get_lane(r, bits, i);
                int any_arith = nan_not_canonical(x[i], bits) || nan_not_canonical(y[i], bits);
                if (!same_lane(got, want, bits, cases[k].name[0] == 'f' && !cases[k].compare, any_arith) &&
                    mismatches++ < 3)
                    fprintf(stderr, "    %s(0x%llx, 0x%llx) lane %u: got 0x%llx, numeric.h says 0x%llx\n",
                            cases[k].name, (unsigned long long)x[i], (unsigned long long)y[i], i,
                            (unsigned long long)got, (unsigned long long)want);
            }
        }
        check_record(mismatches == 0, __FILE__, __LINE__, cases[k].name);
    }
}

static void test_lanewise_unary_match_scalar(void) {
    /* lanes: how many input lanes convert (lane i in -> lane i out); the
     * output's remaining lanes must be zero. */
    static const struct {
        const char *name;
        fn_v_v vector;
        uint64_t (*scalar)(uint64_t);
        unsigned in_bits, out_bits, lanes;
    } cases[] = {
        {"f32x4.abs", simd_F32X4_ABS, scalar_F32_ABS, 32, 32, 4},
        {"f32x4.neg", simd_F32X4_NEG, scalar_F32_NEG, 32, 32, 4},
        {"f32x4.sqrt", simd_F32X4_SQRT, scalar_F32_SQRT, 32, 32, 4},
        {"f32x4.ceil", simd_F32X4_CEIL, scalar_F32_CEIL, 32, 32, 4},
        {"f32x4.floor", simd_F32X4_FLOOR, scalar_F32_FLOOR, 32, 32, 4},
        {"f32x4.trunc", simd_F32X4_TRUNC, scalar_F32_TRUNC, 32, 32, 4},
        {"f32x4.nearest", simd_F32X4_NEAREST, scalar_F32_NEAREST, 32, 32, 4},
        {"f64x2.abs", simd_F64X2_ABS, scalar_F64_ABS, 64, 64, 2},
        {"f64x2.neg", simd_F64X2_NEG, scalar_F64_NEG, 64, 64, 2},
        {"f64x2.sqrt", simd_F64X2_SQRT, scalar_F64_SQRT, 64, 64, 2},
        {"f64x2.ceil", simd_F64X2_CEIL, scalar_F64_CEIL, 64, 64, 2},
        {"f64x2.floor", simd_F64X2_FLOOR, scalar_F64_FLOOR, 64, 64, 2},
        {"f64x2.trunc", simd_F64X2_TRUNC, scalar_F64_TRUNC, 64, 64, 2},
        {"f64x2.nearest", simd_F64X2_NEAREST, scalar_F64_NEAREST, 64, 64, 2},
        {"i32x4.trunc_sat_f32x4_s", simd_I32X4_TRUNC_SAT_F32X4_S, scalar_I32_TRUNC_SAT_F32_S, 32, 32, 4},
        {"i32x4.trunc_sat_f32x4_u", simd_I32X4_TRUNC_SAT_F32X4_U, scalar_I32_TRUNC_SAT_F32_U, 32, 32, 4},
        {"f32x4.convert_i32x4_s", simd_F32X4_CONVERT_I32X4_S, scalar_F32_CONVERT_I32_S, 32, 32, 4},
        {"f32x4.convert_i32x4_u", simd_F32X4_CONVERT_I32X4_U, scalar_F32_CONVERT_I32_U, 32, 32, 4},
        {"i32x4.trunc_sat_f64x2_s_zero", simd_I32X4_TRUNC_SAT_F64X2_S_ZERO, scalar_I32_TRUNC_SAT_F64_S, 64, 32, 2},
        {"i32x4.trunc_sat_f64x2_u_zero", simd_I32X4_TRUNC_SAT_F64X2_U_ZERO, scalar_I32_TRUNC_SAT_F64_U, 64, 32, 2},
        {"f32x4.demote_f64x2_zero", simd_F32X4_DEMOTE_F64X2_ZERO, scalar_F32_DEMOTE_F64, 64, 32, 2},
        {"f64x2.promote_low_f32x4", simd_F64X2_PROMOTE_LOW_F32X4, scalar_F64_PROMOTE_F32, 32, 64, 2},
        {"f64x2.convert_low_i32x4_s", simd_F64X2_CONVERT_LOW_I32X4_S, scalar_F64_CONVERT_I32_S, 32, 64, 2},
        {"f64x2.convert_low_i32x4_u", simd_F64X2_CONVERT_LOW_I32X4_U, scalar_F64_CONVERT_I32_U, 32, 64, 2},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        unsigned in_bits = cases[k].in_bits, out_bits = cases[k].out_bits;
        uint64_t in_mask = in_bits == 64 ? ~0ull : 0xFFFFFFFFull;
        uint64_t out_mask = out_bits == 64 ? ~0ull : 0xFFFFFFFFull;
        int mismatches = 0;
        for (int round = 0; round < 2000; round++) {
            uint64_t x[4];
            for (unsigned i = 0; i < 128 / in_bits; i++) x[i] = pick_lane() & in_mask;
            wasm_v128 r = cases[k].vector(make_vector(in_bits, x));
            for (unsigned i = 0; i < 128 / out_bits; i++) {
                uint64_t want = i < cases[k].lanes ? cases[k].scalar(x[i]) & out_mask : 0;
                uint64_t got = get_lane(r, out_bits, i);
                int any_arith = i < cases[k].lanes && nan_not_canonical(x[i], in_bits);
                if (!same_lane(got, want, out_bits, cases[k].name[0] == 'f', any_arith) &&
                    mismatches++ < 3)
                    fprintf(stderr, "    %s(0x%llx) lane %u: got 0x%llx, numeric.h says 0x%llx\n", cases[k].name,
                            (unsigned long long)(i < 128 / in_bits ? x[i] : 0), i, (unsigned long long)got,
                            (unsigned long long)want);
            }
        }
        check_record(mismatches == 0, __FILE__, __LINE__, cases[k].name);
    }
}

int main(void) {
    RUN(test_layout);
    RUN(test_extending_loads);
    RUN(test_splat_and_zero_loads);
    RUN(test_load_store_whole);
    RUN(test_lane_loads_and_stores);
    RUN(test_shuffle);
    RUN(test_swizzle);
    RUN(test_splat);
    RUN(test_extract_lane);
    RUN(test_replace_lane);
    RUN(test_integer_comparisons);
    RUN(test_float_comparisons);
    RUN(test_bitwise);
    RUN(test_all_true_and_bitmask);
    RUN(test_i8x16_arithmetic);
    RUN(test_i16x8_arithmetic);
    RUN(test_q15mulr_sat);
    RUN(test_i32x4_arithmetic);
    RUN(test_dot);
    RUN(test_extmul);
    RUN(test_extadd_pairwise);
    RUN(test_i64x2_arithmetic);
    RUN(test_narrow);
    RUN(test_extend);
    RUN(test_shifts_i8x16);
    RUN(test_shifts_i16x8);
    RUN(test_shifts_i32x4);
    RUN(test_shifts_i64x2);
    RUN(test_float_arithmetic_nan);
    RUN(test_float_abs_neg);
    RUN(test_float_min_max);
    RUN(test_float_pmin_pmax);
    RUN(test_float_rounding);
    RUN(test_trunc_sat);
    RUN(test_convert);
    RUN(test_demote_promote);
    RUN(test_table_is_consistent);
    RUN(test_every_entry_on_edge_patterns);
    RUN(test_lanewise_binary_match_scalar);
    RUN(test_lanewise_unary_match_scalar);
    return check_summary();
}
