/*
 * numeric.h — WebAssembly's numeric and memory instructions, described once:
 * the helpers with WebAssembly semantics and X-macro lists giving each
 * instruction's C expression. The interpreter (interp.c) expands the lists
 * into handlers; the native tier (aot_emit.c) prints the same expressions
 * into the C it generates, and embeds this file's text in that C (so it
 * must stay self-contained: <stdint.h>, <string.h> and <math.h> only, and
 * free of undefined behaviour for every operand value).
 *
 * Users provide TRAP(code) for WASM_TRUNC_CHECK, and the operand readers the
 * lists name: U32, S32, U64, S64, F32, F64 (slot -> typed value). Defining
 * WASM_NUMERIC_FREESTANDING skips <math.h> and <string.h>: the generated C
 * maps the few functions used to compiler builtins instead, since parsing
 * those headers was most of the C compiler's time on small modules.
 */
#ifndef ISORUN_WASM_NUMERIC_H
#define ISORUN_WASM_NUMERIC_H

#include <stdint.h>
#ifndef WASM_NUMERIC_FREESTANDING
#include <math.h>
#include <string.h>
#endif

static inline float f32_of(uint64_t s) {
    uint32_t b = (uint32_t)s;
    float f;
    memcpy(&f, &b, 4);
    return f;
}
static inline double f64_of(uint64_t s) {
    double d;
    memcpy(&d, &s, 8);
    return d;
}
static inline uint64_t bits_f32(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static inline uint64_t bits_f64(double d) {
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

/* NaN in, quiet NaN out: some libm paths return a signalling NaN unchanged,
 * and a C compiler may fold a promote/demote pair away (the native tier). */
#define QUIET_F32(x, expr) ((x) != (x) ? (x) + (x) : (expr))

static inline float wasm_fminf(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f32_of(bits_f32(a) | bits_f32(b)); /* min(-0, +0) = -0 */
    return a < b ? a : b;
}
static inline float wasm_fmaxf(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f32_of(bits_f32(a) & bits_f32(b)); /* max(-0, +0) = +0 */
    return a > b ? a : b;
}
static inline double wasm_fmin(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f64_of(bits_f64(a) | bits_f64(b));
    return a < b ? a : b;
}
static inline double wasm_fmax(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == b) return f64_of(bits_f64(a) & bits_f64(b));
    return a > b ? a : b;
}

static inline uint32_t rotl32(uint32_t a, uint32_t b) {
    b &= 31;
    return b ? (a << b) | (a >> (32 - b)) : a;
}
static inline uint32_t rotr32(uint32_t a, uint32_t b) {
    b &= 31;
    return b ? (a >> b) | (a << (32 - b)) : a;
}
static inline uint64_t rotl64(uint64_t a, uint64_t b) {
    b &= 63;
    return b ? (a << b) | (a >> (64 - b)) : a;
}
static inline uint64_t rotr64(uint64_t a, uint64_t b) {
    b &= 63;
    return b ? (a >> b) | (a << (64 - b)) : a;
}

/* Float -> int truncation: the value is in range iff lo < x < hi (bounds are
 * exclusive and exactly representable); NaN is an invalid conversion. */
#define WASM_TRUNC_CHECK(x, lo, hi)                                                 \
    do {                                                                       \
        if ((x) != (x)) TRAP(ISORUN_TRAP_INVALID_CONVERSION);                  \
        if (!((x) > (lo) && (x) < (hi))) TRAP(ISORUN_TRAP_INT_OVERFLOW);       \
    } while (0)

static inline int32_t sat_i32(double x) {
    if (x != x) return 0;
    if (x <= -2147483649.0) return INT32_MIN;
    if (x >= 2147483648.0) return INT32_MAX;
    return (int32_t)x;
}
static inline uint32_t sat_u32(double x) {
    if (x != x || x <= -1.0) return 0;
    if (x >= 4294967296.0) return UINT32_MAX;
    return (uint32_t)x;
}
static inline int64_t sat_i64(double x) {
    if (x != x) return 0;
    if (x < -9223372036854775808.0) return INT64_MIN;
    if (x >= 9223372036854775808.0) return INT64_MAX;
    return (int64_t)x;
}
static inline uint64_t sat_u64(double x) {
    if (x != x || x <= -1.0) return 0;
    if (x >= 18446744073709551616.0) return UINT64_MAX;
    return (uint64_t)x;
}

/* X(NAME, T, GET, EXPR): a = GET(operand) as T; result = EXPR (a slot value) */
#define WASM_UNARY_OPS(X) \
    X(I32_EQZ, uint32_t, U32, (uint64_t)(a == 0)) \
    X(I64_EQZ, uint64_t, U64, (uint64_t)(a == 0)) \
    X(I32_CLZ, uint32_t, U32, (uint64_t)(a ? __builtin_clz(a) : 32)) \
    X(I32_CTZ, uint32_t, U32, (uint64_t)(a ? __builtin_ctz(a) : 32)) \
    X(I32_POPCNT, uint32_t, U32, (uint64_t)__builtin_popcount(a)) \
    X(I64_CLZ, uint64_t, U64, (uint64_t)(a ? __builtin_clzll(a) : 64)) \
    X(I64_CTZ, uint64_t, U64, (uint64_t)(a ? __builtin_ctzll(a) : 64)) \
    X(I64_POPCNT, uint64_t, U64, (uint64_t)__builtin_popcountll(a)) \
    X(F32_ABS, uint64_t, U64, a & 0x7FFFFFFFu) \
    X(F32_NEG, uint64_t, U64, (a ^ 0x80000000u) & 0xFFFFFFFFu) \
    X(F32_CEIL, float, F32, bits_f32(QUIET_F32(a, ceilf(a)))) \
    X(F32_FLOOR, float, F32, bits_f32(QUIET_F32(a, floorf(a)))) \
    X(F32_TRUNC, float, F32, bits_f32(QUIET_F32(a, truncf(a)))) \
    X(F32_NEAREST, float, F32, bits_f32(QUIET_F32(a, nearbyintf(a)))) \
    X(F32_SQRT, float, F32, bits_f32(sqrtf(a))) \
    X(F64_ABS, uint64_t, U64, a & 0x7FFFFFFFFFFFFFFFull) \
    X(F64_NEG, uint64_t, U64, a ^ 0x8000000000000000ull) \
    X(F64_CEIL, double, F64, bits_f64(QUIET_F32(a, ceil(a)))) \
    X(F64_FLOOR, double, F64, bits_f64(QUIET_F32(a, floor(a)))) \
    X(F64_TRUNC, double, F64, bits_f64(QUIET_F32(a, trunc(a)))) \
    X(F64_NEAREST, double, F64, bits_f64(QUIET_F32(a, nearbyint(a)))) \
    X(F64_SQRT, double, F64, bits_f64(sqrt(a))) \
    X(I32_WRAP_I64, uint64_t, U64, (uint32_t)a) \
    X(I64_EXTEND_I32_S, uint32_t, U32, (uint64_t)(int64_t)(int32_t)a) \
    X(I64_EXTEND_I32_U, uint32_t, U32, (uint64_t)a) \
    X(F32_CONVERT_I32_S, int32_t, S32, bits_f32((float)a)) \
    X(F32_CONVERT_I32_U, uint32_t, U32, bits_f32((float)a)) \
    X(F32_CONVERT_I64_S, int64_t, S64, bits_f32((float)a)) \
    X(F32_CONVERT_I64_U, uint64_t, U64, bits_f32((float)a)) \
    X(F32_DEMOTE_F64, double, F64, bits_f32(QUIET_F32(a, (float)a))) \
    X(F64_CONVERT_I32_S, int32_t, S32, bits_f64((double)a)) \
    X(F64_CONVERT_I32_U, uint32_t, U32, bits_f64((double)a)) \
    X(F64_CONVERT_I64_S, int64_t, S64, bits_f64((double)a)) \
    X(F64_CONVERT_I64_U, uint64_t, U64, bits_f64((double)a)) \
    X(F64_PROMOTE_F32, float, F32, bits_f64(QUIET_F32(a, (double)a))) \
    X(I32_REINTERPRET_F32, uint64_t, U64, (uint32_t)a) \
    X(I64_REINTERPRET_F64, uint64_t, U64, a) \
    X(F32_REINTERPRET_I32, uint64_t, U64, (uint32_t)a) \
    X(F64_REINTERPRET_I64, uint64_t, U64, a) \
    X(I32_EXTEND8_S, uint32_t, U32, (uint32_t)(int32_t)(int8_t)a) \
    X(I32_EXTEND16_S, uint32_t, U32, (uint32_t)(int32_t)(int16_t)a) \
    X(I64_EXTEND8_S, uint64_t, U64, (uint64_t)(int64_t)(int8_t)a) \
    X(I64_EXTEND16_S, uint64_t, U64, (uint64_t)(int64_t)(int16_t)a) \
    X(I64_EXTEND32_S, uint64_t, U64, (uint64_t)(int64_t)(int32_t)a) \
    X(I32_TRUNC_SAT_F32_S, float, F32, (uint32_t)sat_i32(a)) \
    X(I32_TRUNC_SAT_F32_U, float, F32, sat_u32(a)) \
    X(I32_TRUNC_SAT_F64_S, double, F64, (uint32_t)sat_i32(a)) \
    X(I32_TRUNC_SAT_F64_U, double, F64, sat_u32(a)) \
    X(I64_TRUNC_SAT_F32_S, float, F32, (uint64_t)sat_i64(a)) \
    X(I64_TRUNC_SAT_F32_U, float, F32, sat_u64(a)) \
    X(I64_TRUNC_SAT_F64_S, double, F64, (uint64_t)sat_i64(a)) \
    X(I64_TRUNC_SAT_F64_U, double, F64, sat_u64(a))

/* X(NAME, T, GET, EXPR): a, b = GET(operands) as T; result = EXPR */
#define WASM_BINARY_OPS(X) \
    X(I32_EQ, uint32_t, U32, (uint64_t)(a == b)) \
    X(I32_NE, uint32_t, U32, (uint64_t)(a != b)) \
    X(I32_LT_S, int32_t, S32, (uint64_t)(a < b)) \
    X(I32_LT_U, uint32_t, U32, (uint64_t)(a < b)) \
    X(I32_GT_S, int32_t, S32, (uint64_t)(a > b)) \
    X(I32_GT_U, uint32_t, U32, (uint64_t)(a > b)) \
    X(I32_LE_S, int32_t, S32, (uint64_t)(a <= b)) \
    X(I32_LE_U, uint32_t, U32, (uint64_t)(a <= b)) \
    X(I32_GE_S, int32_t, S32, (uint64_t)(a >= b)) \
    X(I32_GE_U, uint32_t, U32, (uint64_t)(a >= b)) \
    X(I64_EQ, uint64_t, U64, (uint64_t)(a == b)) \
    X(I64_NE, uint64_t, U64, (uint64_t)(a != b)) \
    X(I64_LT_S, int64_t, S64, (uint64_t)(a < b)) \
    X(I64_LT_U, uint64_t, U64, (uint64_t)(a < b)) \
    X(I64_GT_S, int64_t, S64, (uint64_t)(a > b)) \
    X(I64_GT_U, uint64_t, U64, (uint64_t)(a > b)) \
    X(I64_LE_S, int64_t, S64, (uint64_t)(a <= b)) \
    X(I64_LE_U, uint64_t, U64, (uint64_t)(a <= b)) \
    X(I64_GE_S, int64_t, S64, (uint64_t)(a >= b)) \
    X(I64_GE_U, uint64_t, U64, (uint64_t)(a >= b)) \
    X(F32_EQ, float, F32, (uint64_t)(a == b)) \
    X(F32_NE, float, F32, (uint64_t)(a != b)) \
    X(F32_LT, float, F32, (uint64_t)(a < b)) \
    X(F32_GT, float, F32, (uint64_t)(a > b)) \
    X(F32_LE, float, F32, (uint64_t)(a <= b)) \
    X(F32_GE, float, F32, (uint64_t)(a >= b)) \
    X(F64_EQ, double, F64, (uint64_t)(a == b)) \
    X(F64_NE, double, F64, (uint64_t)(a != b)) \
    X(F64_LT, double, F64, (uint64_t)(a < b)) \
    X(F64_GT, double, F64, (uint64_t)(a > b)) \
    X(F64_LE, double, F64, (uint64_t)(a <= b)) \
    X(F64_GE, double, F64, (uint64_t)(a >= b)) \
    X(I32_ADD, uint32_t, U32, (uint32_t)(a + b)) \
    X(I32_SUB, uint32_t, U32, (uint32_t)(a - b)) \
    X(I32_MUL, uint32_t, U32, (uint32_t)(a * b)) \
    X(I32_AND, uint32_t, U32, a & b) \
    X(I32_OR, uint32_t, U32, a | b) \
    X(I32_XOR, uint32_t, U32, a ^ b) \
    X(I32_SHL, uint32_t, U32, (uint32_t)(a << (b & 31))) \
    X(I32_SHR_S, uint32_t, U32, (uint32_t)((int32_t)a >> (b & 31))) \
    X(I32_SHR_U, uint32_t, U32, a >> (b & 31)) \
    X(I32_ROTL, uint32_t, U32, rotl32(a, b)) \
    X(I32_ROTR, uint32_t, U32, rotr32(a, b)) \
    X(I64_ADD, uint64_t, U64, a + b) \
    X(I64_SUB, uint64_t, U64, a - b) \
    X(I64_MUL, uint64_t, U64, a * b) \
    X(I64_AND, uint64_t, U64, a & b) \
    X(I64_OR, uint64_t, U64, a | b) \
    X(I64_XOR, uint64_t, U64, a ^ b) \
    X(I64_SHL, uint64_t, U64, a << (b & 63)) \
    X(I64_SHR_S, uint64_t, U64, (uint64_t)((int64_t)a >> (b & 63))) \
    X(I64_SHR_U, uint64_t, U64, a >> (b & 63)) \
    X(I64_ROTL, uint64_t, U64, rotl64(a, b)) \
    X(I64_ROTR, uint64_t, U64, rotr64(a, b)) \
    X(F32_ADD, float, F32, bits_f32(a + b)) \
    X(F32_SUB, float, F32, bits_f32(a - b)) \
    X(F32_MUL, float, F32, bits_f32(a * b)) \
    X(F32_DIV, float, F32, bits_f32(a / b)) \
    X(F32_MIN, float, F32, bits_f32(wasm_fminf(a, b))) \
    X(F32_MAX, float, F32, bits_f32(wasm_fmaxf(a, b))) \
    X(F32_COPYSIGN, uint64_t, U64, (a & 0x7FFFFFFFu) | (b & 0x80000000u)) \
    X(F64_ADD, double, F64, bits_f64(a + b)) \
    X(F64_SUB, double, F64, bits_f64(a - b)) \
    X(F64_MUL, double, F64, bits_f64(a * b)) \
    X(F64_DIV, double, F64, bits_f64(a / b)) \
    X(F64_MIN, double, F64, bits_f64(wasm_fmin(a, b))) \
    X(F64_MAX, double, F64, bits_f64(wasm_fmax(a, b))) \
    X(F64_COPYSIGN, uint64_t, U64, (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

/* X(NAME, T, GET, LO, HI, EXPR): traps unless LO < a < HI (see WASM_TRUNC_CHECK) */
#define WASM_TRUNC_OPS(X) \
    X(I32_TRUNC_F32_S, float, F32, -2147483904.0f, 2147483648.0f, (uint32_t)(int32_t)a) \
    X(I32_TRUNC_F32_U, float, F32, -1.0f, 4294967296.0f, (uint32_t)a) \
    X(I32_TRUNC_F64_S, double, F64, -2147483649.0, 2147483648.0, (uint32_t)(int32_t)a) \
    X(I32_TRUNC_F64_U, double, F64, -1.0, 4294967296.0, (uint32_t)a) \
    X(I64_TRUNC_F32_S, float, F32, -9223373136366403584.0f, 9223372036854775808.0f, (uint64_t)(int64_t)a) \
    X(I64_TRUNC_F32_U, float, F32, -1.0f, 18446744073709551616.0f, (uint64_t)a) \
    X(I64_TRUNC_F64_S, double, F64, -9223372036854777856.0, 9223372036854775808.0, (uint64_t)(int64_t)a) \
    X(I64_TRUNC_F64_U, double, F64, -1.0, 18446744073709551616.0, (uint64_t)a)

/* X(NAME, T, BYTES, EXPR): v = the T at the effective address; result = EXPR */
#define WASM_LOAD_OPS(X) \
    X(I32_LOAD, uint32_t, 4, (uint64_t)v) \
    X(I64_LOAD, uint64_t, 8, v) \
    X(F32_LOAD, uint32_t, 4, (uint64_t)v) \
    X(F64_LOAD, uint64_t, 8, v) \
    X(I32_LOAD8_S, int8_t, 1, (uint32_t)(int32_t)v) \
    X(I32_LOAD8_U, uint8_t, 1, (uint64_t)v) \
    X(I32_LOAD16_S, int16_t, 2, (uint32_t)(int32_t)v) \
    X(I32_LOAD16_U, uint16_t, 2, (uint64_t)v) \
    X(I64_LOAD8_S, int8_t, 1, (uint64_t)(int64_t)v) \
    X(I64_LOAD8_U, uint8_t, 1, (uint64_t)v) \
    X(I64_LOAD16_S, int16_t, 2, (uint64_t)(int64_t)v) \
    X(I64_LOAD16_U, uint16_t, 2, (uint64_t)v) \
    X(I64_LOAD32_S, int32_t, 4, (uint64_t)(int64_t)v) \
    X(I64_LOAD32_U, uint32_t, 4, (uint64_t)v)

/* X(NAME, T, BYTES): stores the operand converted to T */
#define WASM_STORE_OPS(X) \
    X(I32_STORE, uint32_t, 4) \
    X(I64_STORE, uint64_t, 8) \
    X(F32_STORE, uint32_t, 4) \
    X(F64_STORE, uint64_t, 8) \
    X(I32_STORE8, uint8_t, 1) \
    X(I32_STORE16, uint16_t, 2) \
    X(I64_STORE8, uint8_t, 1) \
    X(I64_STORE16, uint16_t, 2) \
    X(I64_STORE32, uint32_t, 4)

#endif /* ISORUN_WASM_NUMERIC_H */
