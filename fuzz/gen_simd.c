/*
 * gen_simd.c — the vector instructions of a SIMD module's bodies (see
 * gen_body.h), driven by the instruction table: every entry of
 * opcodes_simd.h that wasm_opinfos marks `vector` is sorted by its
 * immediates, operand and result types (and, for the float shapes, its
 * name), so a new entry is generated without a change here. Immediates are
 * always valid: lane indices below the shape's lane count, shuffle indices
 * below 32, memargs aligned at most naturally.
 *
 * NaNs. Float arithmetic on a NaN (or making one: inf - inf, sqrt(-1))
 * gives a NaN whose sign and payload the specification leaves open, and
 * C compilers may reorder the operands of float operations, so the two
 * tiers may disagree on those bits. For scalars gen_body.c keeps such bits
 * away from memory and integers, and diff_run.c compares float results
 * with NaNs made canonical. A v128 has no lane shape of its own, so the
 * rule is kept by construction here, with three kinds of v128 code:
 *   - gen_simd_v128 (gen_value's v128): anything. Locals, globals,
 *     parameters, results, blocks and branches carry these values; their
 *     NaN lanes are compared as NaNs (diff_run.c's v128 comparison).
 *   - float_value(shape): float lanes of that shape (f32x4 or f64x2)
 *     whose NaNs' bits may be open, nothing else undetermined. The
 *     operands of the float instructions (arithmetic, comparisons,
 *     conversions from floats, extract_lane of a float lane).
 *   - gen_simd_exact (gen_exact's v128): every bit determined. The v128
 *     operands of every other instruction: integer lanes, bitwise ones,
 *     shuffles, narrowing and widening, tests, stores. It comes from
 *     constants, loads, those instructions on determined operands, float
 *     comparisons and saturating truncations (whose results do not depend
 *     on NaN bits), splats of determined floats, and from any v128 passed
 *     through canonicalise() below.
 * A float instruction's v128 result counts as float_value of its shape
 * even where it happens to be determined (abs, neg, convert from ints).
 */
#include "gen_body.h"

#include <string.h>

enum { SHAPE_F32, SHAPE_F64, SHAPE_NONE };

/* The float shape an instruction's name starts with ("f32x4.add"), or
 * SHAPE_NONE. */
static int name_shape(const char *name) {
    if (strncmp(name, "f32x4.", 6) == 0) return SHAPE_F32;
    if (strncmp(name, "f64x2.", 6) == 0) return SHAPE_F64;
    return SHAPE_NONE;
}

/* The float shape of a vector instruction's v128 operands: the one its
 * name converts from ("i32x4.trunc_sat_f64x2_s_zero", "f64x2.promote_low_f32x4"),
 * none when it converts from integer lanes ("f32x4.convert_i32x4_s"),
 * else the shape it is named by. */
static int operand_shape(const wasm_opinfo *info) {
    if (strstr(info->name, "_f32x4")) return SHAPE_F32;
    if (strstr(info->name, "_f64x2")) return SHAPE_F64;
    if (strstr(info->name, "_i")) return SHAPE_NONE;
    return name_shape(info->name);
}

/* Whether a float-shaped instruction compares (its result is a lane mask,
 * determined by the operands' values and NaN-ness alone). */
static bool is_comparison(const char *name) {
    static const char *const ops[] = {"eq", "ne", "lt", "gt", "le", "ge"};
    const char *dot = strchr(name, '.');
    for (size_t i = 0; dot && i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(dot + 1, ops[i]) == 0) return true;
    return false;
}

static bool is_memory(uint8_t imm) { return imm == WASM_IMM_MEMARG || (imm >= WASM_IMM_MEMLANE16 && imm <= WASM_IMM_MEMLANE2); }

/* The lane count a LANE<n> or MEMLANE<n> immediate is below; 0 for others. */
static uint32_t lane_count(uint8_t imm) {
    switch (imm) {
    case WASM_IMM_LANE16: case WASM_IMM_MEMLANE16: return 16;
    case WASM_IMM_LANE8: case WASM_IMM_MEMLANE8: return 8;
    case WASM_IMM_LANE4: case WASM_IMM_MEMLANE4: return 4;
    case WASM_IMM_LANE2: case WASM_IMM_MEMLANE2: return 2;
    default: return 0;
    }
}

/* The slot of a scalar type in vscalar (gen_valtypes order). */
static uint32_t scalar_slot(uint8_t t) {
    for (uint32_t i = 0; i < GEN_NUM_TYPES; i++)
        if (gen_valtypes[i] == t) return i;
    return 0;
}

void gen_simd_init(body *b) {
    for (uint32_t o = 0; o < WASM_OP_COUNT_; o++) {
        const wasm_opinfo *info = &wasm_opinfos[o];
        if (!info->vector || info->imm == WASM_IMM_V128) continue; /* v128.const: gb_const */
        if (is_memory(info->imm)) {
            if (info->nresults && b->nvloads < sizeof b->vloads / sizeof b->vloads[0])
                b->vloads[b->nvloads++] = (uint16_t)o;
            else if (!info->nresults && b->nvstores < sizeof b->vstores / sizeof b->vstores[0])
                b->vstores[b->nvstores++] = (uint16_t)o;
        } else if (info->nresults && info->result != WASM_V128) {
            uint32_t slot = scalar_slot(info->result);
            if (b->nvscalar[slot] < sizeof b->vscalar[slot] / sizeof b->vscalar[slot][0])
                b->vscalar[slot][b->nvscalar[slot]++] = (uint16_t)o;
        } else if (info->nresults) {
            int shape = name_shape(info->name);
            if (shape == SHAPE_NONE || is_comparison(info->name)) {
                b->vexact[b->nvexact++] = (uint16_t)o;
            } else if (b->nvfloat[shape] < sizeof b->vfloat[shape] / sizeof b->vfloat[shape][0]) {
                b->vfloat[shape][b->nvfloat[shape]++] = (uint16_t)o;
            }
        }
    }
}

static void gen_float_value(body *b, int shape);

/* A v128 operand for an instruction whose v128 operands have `shape`. */
static void v128_operand(body *b, int shape) {
    if (shape == SHAPE_NONE)
        gen_simd_exact(b);
    else
        gen_float_value(b, shape);
}

/* The 16 lane indices of an i8x16.shuffle: random ones, or a pattern
 * (one operand's lanes in order, the two interleaved, a rotation). */
static void shuffle_lanes(body *b) {
    uint32_t how = gen_below(b->s, 4), base = gen_below(b->s, 2) * 16, turn = gen_below(b->s, 32);
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t lane = how == 0   ? gen_below(b->s, 32)
                        : how == 1 ? base + i
                        : how == 2 ? (i % 2) * 16 + i / 2 + base / 4
                                   : (i + turn) % 32;
        gb_byte(b, (uint8_t)lane);
    }
}

/* Vector instruction o with its operands: addresses for memory ones,
 * scalars as gen_value makes them (shift counts, splats, replaced lanes),
 * v128s as v128_operand says for o's operand shape. Leaves o's result. */
static void vector_op(body *b, wasm_op o) {
    const wasm_opinfo *info = &wasm_opinfos[o];
    int shape = operand_shape(info);
    for (uint32_t j = 0; j < info->nparams; j++) {
        uint8_t t = info->params[j];
        if (t == WASM_V128)
            v128_operand(b, shape);
        else if (j == 0 && is_memory(info->imm))
            gb_addr(b);
        else
            gb_value(b, t);
    }
    gb_op(b, o);
    if (is_memory(info->imm)) gb_memarg(b, o);
    if (info->imm == WASM_IMM_SHUFFLE) shuffle_lanes(b);
    uint32_t lanes = lane_count(info->imm);
    if (lanes) gb_byte(b, (uint8_t)gen_below(b->s, lanes));
}

/* Some v128 with every NaN-looking lane made canonical, from any v128 —
 * whatever lane shape its NaNs were made in. With x the value and m its
 * f32 NaN lanes (f32x4.ne(x, x)):
 *   1. every f32 NaN lane becomes 0x7FC00000;
 *   2. each 64-bit half whose upper f32 lane is a NaN becomes
 *      (0, 0x7FC00000): an f64 NaN always has an f32 NaN as its upper
 *      half, and its lower half (payload bits) is then cleared.
 * Two values that differ only in the bits of NaN lanes, of either shape,
 * become the same. Through the scratch v128 local, which nothing else
 * uses while this runs. */
static void canonicalise(body *b) {
    static const uint8_t nan_f32[16] = {0, 0, 0xC0, 0x7F, 0, 0, 0xC0, 0x7F, 0, 0, 0xC0, 0x7F, 0, 0, 0xC0, 0x7F};
    static const uint8_t nan_half[16] = {0, 0, 0, 0, 0, 0, 0xC0, 0x7F, 0, 0, 0, 0, 0, 0, 0xC0, 0x7F};
    static const uint8_t upper_lanes[16] = {4, 5, 6, 7, 4, 5, 6, 7, 12, 13, 14, 15, 12, 13, 14, 15};
    static const uint8_t zeros[16] = {0};
    gb_value(b, WASM_V128);
    uint32_t x = gb_scratch(b, WASM_V128);
    gb_op(b, WASM_OP_LOCAL_SET), gb_u32(b, x);
    gb_op(b, WASM_OP_V128_CONST), gen_put_bytes(b->m, b->code, nan_half, 16);
    gb_op(b, WASM_OP_V128_CONST), gen_put_bytes(b->m, b->code, nan_f32, 16);
    gb_op(b, WASM_OP_LOCAL_GET), gb_u32(b, x);
    gb_op(b, WASM_OP_LOCAL_GET), gb_u32(b, x);
    gb_op(b, WASM_OP_LOCAL_GET), gb_u32(b, x);
    gb_op(b, WASM_OP_F32X4_NE);
    gb_op(b, WASM_OP_V128_BITSELECT); /* step 1 */
    gb_op(b, WASM_OP_LOCAL_GET), gb_u32(b, x);
    gb_op(b, WASM_OP_LOCAL_GET), gb_u32(b, x);
    gb_op(b, WASM_OP_F32X4_NE);
    gb_op(b, WASM_OP_V128_CONST), gen_put_bytes(b->m, b->code, zeros, 16);
    gb_op(b, WASM_OP_I8X16_SHUFFLE), gen_put_bytes(b->m, b->code, upper_lanes, 16);
    gb_op(b, WASM_OP_V128_BITSELECT); /* step 2 */
}

/* select (untyped or typed) of two values from `operand` and an i32. */
static void select_of(body *b, void (*operand)(body *, int), int shape) {
    operand(b, shape);
    operand(b, shape);
    gb_value(b, WASM_I32);
    if (gen_chance(b->s, 50))
        gb_op(b, WASM_OP_SELECT);
    else
        gb_op(b, WASM_OP_SELECT_T), gb_u32(b, 1), gb_byte(b, WASM_V128);
}

static void exact_operand(body *b, int shape) {
    (void)shape;
    gen_simd_exact(b);
}

/* A v128.const of float lanes of `shape`: with these, NaNs of two operands
 * meet in a lane more often than with constants of any shape. */
static void float_const(body *b, int shape) {
    uint8_t bytes[16];
    gen_v128_lanes(b->s, bytes, shape == SHAPE_F32 ? 4 : 8, true);
    gb_op(b, WASM_OP_V128_CONST), gen_put_bytes(b->m, b->code, bytes, sizeof bytes);
}

/* float_value(shape) of the top of the file. */
static void gen_float_value(body *b, int shape) {
    b->budget--;
    if (gb_stop(b)) {
        float_const(b, shape);
        return;
    }
    b->depth++;
    uint32_t r = gen_below(b->s, 100);
    if (r < 12)
        float_const(b, shape);
    else if (r < 30 || b->nvfloat[shape] == 0)
        gen_simd_exact(b);
    else if (r < 92)
        vector_op(b, b->vfloat[shape][gen_below(b->s, b->nvfloat[shape])]);
    else
        select_of(b, gen_float_value, shape);
    b->depth--;
}

void gen_simd_exact(body *b) {
    b->budget--;
    if (gb_stop(b)) {
        gb_const(b, WASM_V128);
        return;
    }
    b->depth++;
    uint32_t r = gen_below(b->s, 100);
    if (r < 12 || b->nvexact == 0) {
        gb_const(b, WASM_V128);
    } else if (r < 24) {
        gen_simd_load(b);
    } else if (r < 80) {
        vector_op(b, b->vexact[gen_below(b->s, b->nvexact)]);
    } else if (r < 88) {
        canonicalise(b);
    } else if (r < 94) {
        bool f32 = gen_chance(b->s, 50);
        gb_exact(b, f32 ? WASM_F32 : WASM_F64);
        gb_op(b, f32 ? WASM_OP_F32X4_SPLAT : WASM_OP_F64X2_SPLAT);
    } else {
        select_of(b, exact_operand, SHAPE_NONE);
    }
    b->depth--;
}

void gen_simd_v128(body *b) {
    /* Mostly instructions whose results are determined (integer lanes
     * are most of the table), a third float lanes of either shape. */
    uint32_t r = gen_below(b->s, 100);
    int shape = r < 84 ? SHAPE_F32 : SHAPE_F64;
    if (r < 67 && b->nvexact)
        vector_op(b, b->vexact[gen_below(b->s, b->nvexact)]);
    else if (b->nvfloat[shape])
        vector_op(b, b->vfloat[shape][gen_below(b->s, b->nvfloat[shape])]);
    else
        gb_const(b, WASM_V128);
}

void gen_simd_load(body *b) {
    if (b->nvloads == 0) {
        gb_const(b, WASM_V128);
        return;
    }
    vector_op(b, b->vloads[gen_below(b->s, b->nvloads)]);
}

bool gen_simd_scalar(body *b, uint8_t t) {
    uint32_t slot = scalar_slot(t);
    if (t == WASM_V128 || gen_is_ref(t) || b->nvscalar[slot] == 0) return false;
    vector_op(b, b->vscalar[slot][gen_below(b->s, b->nvscalar[slot])]);
    return true;
}

void gen_simd_exact_scalar(body *b, uint8_t t) {
    bool f32 = t == WASM_F32;
    gen_simd_exact(b);
    gb_op(b, f32 ? WASM_OP_F32X4_EXTRACT_LANE : WASM_OP_F64X2_EXTRACT_LANE);
    gb_byte(b, (uint8_t)gen_below(b->s, f32 ? 4 : 2));
}

/* The index of the imported v128 global, or UINT32_MAX. */
static uint32_t imported_v128_global(const body *b) {
    uint32_t g = 0;
    for (uint32_t i = 0; i < b->m->nimports; i++) {
        const gen_import *im = &b->m->imports[i];
        if (im->kind != WASM_EXTERN_GLOBAL) continue;
        if (im->type == WASM_V128) return g;
        g++;
    }
    return UINT32_MAX;
}

void gen_simd_stmt(body *b) {
    uint32_t g = imported_v128_global(b);
    if (g != UINT32_MAX && gen_chance(b->s, 20)) {
        gb_value(b, WASM_V128);
        gb_op(b, WASM_OP_GLOBAL_SET), gb_u32(b, g);
    } else if (b->nvstores) {
        /* Stores write determined bits only: memory is compared as bytes. */
        vector_op(b, b->vstores[gen_below(b->s, b->nvstores)]);
    }
}
