/*
 * aot_emit.c — translates a module's compiled code (iops.h) into C.
 *
 * The input is the interpreter's code, not the wasm bytes: the compiler has
 * already mapped the operand stack to frame slots, resolved branch targets and
 * fused comparisons, so each instruction becomes one C statement over local
 * variables s0..sN (one per frame slot) and each branch a goto. The C compiler
 * then keeps the slots in registers. Numeric semantics come from numeric.h, the
 * same lists the interpreter expands, vector semantics from simd.h's
 * simd_<NAME> functions, called with the operands the interpreter passes them,
 * and fuel is charged at the same points with the same costs, so both tiers
 * trap identically.
 *
 * A v128 takes two adjacent slots, as in the interpreter: the value at slot N
 * is the pair sN (bytes 0-7), sN+1 (bytes 8-15). Signatures count slots too:
 * a v128 parameter is two uint64_t C parameters, a v128 result two result
 * slots (so it travels through the out array, like several results).
 *
 * Generated code must be free of undefined behaviour for every input: all
 * arithmetic is unsigned or goes through numeric.h's helpers, every memory
 * access is bounds-checked in 64-bit arithmetic, and every slot is
 * initialised.
 */
#include "aot.h"
#include "iops.h"
#include "numeric.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One handler address and the instruction it implements. */
typedef struct handler_entry {
    const void *addr;
    uint16_t op;
} handler_entry;

typedef struct emitter {
    isr_buf *out;
    const wasm_module *m;
    const uint32_t *canon; /* canonical type indices */
    handler_entry *handlers;
    size_t nhandlers;
    bool has_memory;
    bool oom;
} emitter;

static void P(emitter *e, const char *fmt, ...) ISR_PRINTF(2, 3);
static void P(emitter *e, const char *fmt, ...) {
    if (e->oom) return;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        e->oom = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        if (!isr_buf_append(e->out, small, (size_t)n)) e->oom = true;
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        e->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (!isr_buf_append(e->out, big, (size_t)n)) e->oom = true;
    free(big);
}

/* ------------------------------------------------------------------------
 * Handler addresses -> instructions
 * ------------------------------------------------------------------------ */

static int cmp_handler(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const handler_entry *)a)->addr, y = (uintptr_t)((const handler_entry *)b)->addr;
    return x < y ? -1 : x > y;
}

static bool build_handler_map(emitter *e) {
    const void *const *table = wasm_interp_handlers();
    e->handlers = malloc(WASM_IOP_COUNT_ * sizeof *e->handlers);
    if (!e->handlers) return false;
    /* Special wasm opcodes are never emitted (the compiler lowers them to
     * internal instructions) and share one "bad" handler, which a compiler
     * may merge with an identical body (clang merges it with UNREACHABLE's):
     * leave them out. Other handlers that share an address have identical
     * code, so either name translates the same. */
    size_t n = 0;
    for (unsigned op = 0; op < WASM_IOP_COUNT_; op++)
        if (op >= WASM_OP_COUNT_ || wasm_opinfos[op].numeric || wasm_opinfos[op].vector)
            e->handlers[n++] = (handler_entry){table[op], (uint16_t)op};
    e->nhandlers = n;
    qsort(e->handlers, e->nhandlers, sizeof *e->handlers, cmp_handler);
    return true;
}

/* The instruction whose handler is addr; -1 if none (never for compiled code;
 * several special opcodes share the interpreter's "bad" handler, which the
 * compiler never emits). */
static int op_of(const emitter *e, const void *addr) {
    handler_entry key = {addr, 0};
    const handler_entry *h = bsearch(&key, e->handlers, e->nhandlers, sizeof key, cmp_handler);
    return h ? h->op : -1;
}

static bool is_fused_branch(int op) {
    switch (op) {
    case WASM_IOP_BR_IF_I32_EQZ:
#define X_CASE(cmp, inverse, c_op, type) case WASM_IOP_BR_IF_I32_##cmp:
        WASM_FUSED_COMPARES(X_CASE)
#undef X_CASE
        return true;
    default: return false;
    }
}

/* The shapes of vector instructions: how their cells are laid out (iops.h)
 * and how simd_<NAME> takes its operands, as in interp.c's VEC_* bodies. */
typedef enum vec_shape {
    VEC_NOT = 0, /* not a vector instruction */
    VEC_UNARY,   /* [h][dst,a]             v = f(v) */
    VEC_BINARY,  /* [h][dst,a][b,-]        v = f(v, v) */
    VEC_TERNARY, /* [h][dst,a][b,c]        v = f(v, v, v) */
    VEC_TEST,    /* [h][dst,a]             i32 = f(v) */
    VEC_SHIFT,   /* [h][dst,a][n,-]        v = f(v, i32) */
    VEC_SPLAT,   /* [h][dst,x]             v = f(slot) */
    VEC_EXTRACT, /* [h][dst,a][lane,-]     slot = f(v, lane) */
    VEC_REPLACE, /* [h][dst,a][x,lane]     v = f(v, lane, slot) */
    VEC_LOAD,    /* [h][dst,addr][offset,size] */
    VEC_STORE,   /* [h][addr,value][offset,size] */
    VEC_LOAD_LANE,  /* [h][dst,addr][offset,vec][lane,size] */
    VEC_STORE_LANE, /* [h][addr,vec][offset,-][lane,size] */
    VEC_SHUFFLE, /* [h][dst,a][b,-][lanes 0-7][lanes 8-15] */
    VEC_CONST,   /* [h][dst,-][bytes 0-7][bytes 8-15] */
} vec_shape;

/* (IMM, SIG) of opcodes_simd.h -> shape */
#define VEC_SHAPE_NONE_v_v VEC_UNARY
#define VEC_SHAPE_NONE_vv_v VEC_BINARY
#define VEC_SHAPE_NONE_vvv_v VEC_TERNARY
#define VEC_SHAPE_NONE_v_i VEC_TEST
#define VEC_SHAPE_NONE_vi_v VEC_SHIFT
#define VEC_SHAPE_NONE_i_v VEC_SPLAT
#define VEC_SHAPE_NONE_l_v VEC_SPLAT
#define VEC_SHAPE_NONE_f_v VEC_SPLAT
#define VEC_SHAPE_NONE_d_v VEC_SPLAT
#define VEC_SHAPE_LANE16_v_i VEC_EXTRACT
#define VEC_SHAPE_LANE16_vi_v VEC_REPLACE
#define VEC_SHAPE_LANE8_v_i VEC_EXTRACT
#define VEC_SHAPE_LANE8_vi_v VEC_REPLACE
#define VEC_SHAPE_LANE4_v_i VEC_EXTRACT
#define VEC_SHAPE_LANE4_vi_v VEC_REPLACE
#define VEC_SHAPE_LANE4_v_f VEC_EXTRACT
#define VEC_SHAPE_LANE4_vf_v VEC_REPLACE
#define VEC_SHAPE_LANE2_v_l VEC_EXTRACT
#define VEC_SHAPE_LANE2_vl_v VEC_REPLACE
#define VEC_SHAPE_LANE2_v_d VEC_EXTRACT
#define VEC_SHAPE_LANE2_vd_v VEC_REPLACE
#define VEC_SHAPE_MEMARG_i_v VEC_LOAD
#define VEC_SHAPE_MEMARG_iv_ VEC_STORE
#define VEC_SHAPE_MEMLANE16_iv_v VEC_LOAD_LANE
#define VEC_SHAPE_MEMLANE8_iv_v VEC_LOAD_LANE
#define VEC_SHAPE_MEMLANE4_iv_v VEC_LOAD_LANE
#define VEC_SHAPE_MEMLANE2_iv_v VEC_LOAD_LANE
#define VEC_SHAPE_MEMLANE16_iv_ VEC_STORE_LANE
#define VEC_SHAPE_MEMLANE8_iv_ VEC_STORE_LANE
#define VEC_SHAPE_MEMLANE4_iv_ VEC_STORE_LANE
#define VEC_SHAPE_MEMLANE2_iv_ VEC_STORE_LANE
#define VEC_SHAPE_SHUFFLE_vv_v VEC_SHUFFLE
#define VEC_SHAPE_V128__v VEC_CONST

typedef struct vec_text {
    uint8_t shape;    /* vec_shape */
    const char *name; /* NAME: the semantics are simd_NAME */
} vec_text;

static const vec_text vec_texts[WASM_OP_COUNT_] = {
#define X_VEC(name, code, text, imm, sig, kind) [WASM_OP_##name] = {VEC_SHAPE_##imm##_##sig, #name},
    WASM_OPS_FD(X_VEC)
#undef X_VEC
};

static vec_shape vec_shape_of(int op) {
    return op >= 0 && op < WASM_OP_COUNT_ ? (vec_shape)vec_texts[op].shape : VEC_NOT;
}

/* Cells taken by the instruction at c (layouts in iops.h); 0 if unknown. */
static size_t instr_cells(int op, const wasm_cell *c) {
    if (op < 0) return 0;
    if (op < WASM_OP_COUNT_) {
        const wasm_opinfo *info = &wasm_opinfos[op];
        switch (vec_shape_of(op)) {
        case VEC_NOT: break;
        case VEC_UNARY:
        case VEC_TEST:
        case VEC_SPLAT: return 2;
        case VEC_LOAD_LANE:
        case VEC_STORE_LANE:
        case VEC_CONST: return 4;
        case VEC_SHUFFLE: return 5;
        default: return 3;
        }
        if (!info->numeric) return 0;
        if (info->imm == WASM_IMM_MEMARG) return 3;
        return info->nparams == 1 ? 2 : 3;
    }
    if (is_fused_branch(op)) return 4;
    switch (op) {
    case WASM_IOP_RETURN:
    case WASM_IOP_UNREACHABLE: return 1;
    case WASM_IOP_COPY:
    case WASM_IOP_COPY_V128:
    case WASM_IOP_BR:
    case WASM_IOP_CALL:
    case WASM_IOP_GLOBAL_GET:
    case WASM_IOP_GLOBAL_SET:
    case WASM_IOP_GLOBAL_GET_V128:
    case WASM_IOP_GLOBAL_SET_V128:
    case WASM_IOP_MEMORY_SIZE:
    case WASM_IOP_MEMORY_GROW:
    case WASM_IOP_DATA_DROP:
    case WASM_IOP_TABLE_SIZE:
    case WASM_IOP_ELEM_DROP:
    case WASM_IOP_REF_FUNC:
    case WASM_IOP_REF_IS_NULL: return 2;
    case WASM_IOP_BR_BACK:
    case WASM_IOP_BR_IF:
    case WASM_IOP_BR_IF_BACK:
    case WASM_IOP_BR_UNLESS:
    case WASM_IOP_CALL_INDIRECT:
    case WASM_IOP_SELECT:
    case WASM_IOP_SELECT_V128:
    case WASM_IOP_MEMORY_FILL:
    case WASM_IOP_MEMORY_COPY:
    case WASM_IOP_MEMORY_INIT:
    case WASM_IOP_TABLE_GET:
    case WASM_IOP_TABLE_SET:
    case WASM_IOP_TABLE_GROW:
    case WASM_IOP_TABLE_FILL: return 3;
    case WASM_IOP_TABLE_COPY:
    case WASM_IOP_TABLE_INIT: return 4;
    case WASM_IOP_BR_TABLE: return 3 + (size_t)c[1].p.b;
    default: return 0;
    }
}

/* Absolute cell index of a branch whose relative offset is in cell `at`. */
static size_t target_of(const wasm_cell *cells, size_t at) { return (size_t)((int64_t)at + cells[at].i64); }

/* ------------------------------------------------------------------------
 * Signatures
 * ------------------------------------------------------------------------ */

/* Every f_N returns its result (if it takes one slot) and the remaining
 * fuel, in two registers; results taking more slots (several values, or a
 * v128) go through an out array. Fuel and the frame depth travel as
 * arguments, so a call touches no memory for them. Parameters and results
 * are counted in slots: a v128 is two. */
static const char *ret_type(const wasm_functype *ft) { return "isr_aot_ret"; }

static uint32_t param_slots(const wasm_functype *ft) { return wasm_functype_param_slots(ft); }
static uint32_t result_slots(const wasm_functype *ft) { return wasm_functype_result_slots(ft); }

/* The parameter list of f_N: "isr_aot_ctx *ctx, int64_t fuel_, uint32_t
 * depth_, uint64_t s0, ..." */
static void emit_params(emitter *e, const wasm_functype *ft, bool names) {
    P(e, names ? "isr_aot_ctx *ctx, int64_t fuel_, uint32_t depth_" : "isr_aot_ctx *, int64_t, uint32_t");
    for (uint32_t i = 0, n = param_slots(ft); i < n; i++) {
        if (names)
            P(e, ", uint64_t s%u", i);
        else
            P(e, ", uint64_t");
    }
    if (result_slots(ft) > 1) P(e, names ? ", uint64_t *out_" : ", uint64_t *");
}

static void emit_prototype(emitter *e, uint32_t func_index, bool names) {
    const wasm_functype *ft = wasm_module_func_type(e->m, func_index);
    /* Not static: a module's functions may be split over several C files
     * compiled in parallel (-fvisibility=hidden keeps them private to the object). */
    P(e, "%s f_%u(", ret_type(ft), func_index);
    emit_params(e, ft, names);
    P(e, ")");
}

/* A call with arguments in the param slots from base on and results written
 * back to the result slots from base on, through `callee` (a C expression
 * naming the typed function). */
static void emit_typed_call(emitter *e, const wasm_functype *ft, const char *callee, uint32_t base) {
    const uint32_t np = param_slots(ft), nr = result_slots(ft);
    P(e, "{ ");
    if (nr > 1) P(e, "uint64_t o_[%u]; ", nr);
    P(e, "isr_aot_ret r_ = %s(ctx, fuel_, depth_", callee);
    for (uint32_t i = 0; i < np; i++) P(e, ", s%u", base + i);
    P(e, "%s); fuel_ = r_.fuel;", nr > 1 ? ", o_" : "");
    if (nr == 1) P(e, " s%u = r_.v;", base);
    for (uint32_t i = 0; nr > 1 && i < nr; i++) P(e, " s%u = o_[%u];", base + i, i);
    P(e, " }");
}

/* The same through the engine: io array, then `call_text` (a statement using
 * io_), results copied back. */
static void emit_io_call(emitter *e, const wasm_functype *ft, uint32_t base, const char *call_fmt, ...)
    ISR_PRINTF(4, 5);
static void emit_io_call(emitter *e, const wasm_functype *ft, uint32_t base, const char *call_fmt, ...) {
    const uint32_t np = param_slots(ft), nr = result_slots(ft), width = np > nr ? np : nr;
    P(e, "{ uint64_t io_[%u];", width ? width : 1);
    for (uint32_t i = 0; i < np; i++) P(e, " io_[%u] = s%u;", i, base + i);
    char call[256];
    va_list ap;
    va_start(ap, call_fmt);
    vsnprintf(call, sizeof call, call_fmt, ap);
    va_end(ap);
    P(e, " %s", call);
    for (uint32_t i = 0; i < nr; i++) P(e, " s%u = io_[%u];", base + i, i);
    P(e, " }");
}

/* ------------------------------------------------------------------------
 * Instructions
 * ------------------------------------------------------------------------ */

#define A1 c[1].p.a
#define B1 c[1].p.b
#define A2 c[2].p.a
#define B2 c[2].p.b

static void emit_reload(emitter *e) {
    if (e->has_memory) P(e, " RELOAD();");
}

/* The numeric lists of numeric.h as printable entries. */
typedef struct numeric_text {
    uint16_t op;
    const char *type, *get, *expr;
    const char *lo, *hi; /* truncations */
    unsigned bytes;      /* loads and stores */
} numeric_text;

static const numeric_text unary_texts[] = {
#define X_TEXT(name, T, get, expr) {WASM_OP_##name, #T, #get, #expr, NULL, NULL, 0},
    WASM_UNARY_OPS(X_TEXT)
#undef X_TEXT
};
static const numeric_text binary_texts[] = {
#define X_TEXT(name, T, get, expr) {WASM_OP_##name, #T, #get, #expr, NULL, NULL, 0},
    WASM_BINARY_OPS(X_TEXT)
#undef X_TEXT
};
static const numeric_text trunc_texts[] = {
#define X_TEXT(name, T, get, lo, hi, expr) {WASM_OP_##name, #T, #get, #expr, #lo, #hi, 0},
    WASM_TRUNC_OPS(X_TEXT)
#undef X_TEXT
};
static const numeric_text load_texts[] = {
#define X_TEXT(name, T, bytes, expr) {WASM_OP_##name, #T, NULL, #expr, NULL, NULL, bytes},
    WASM_LOAD_OPS(X_TEXT)
#undef X_TEXT
};
static const numeric_text store_texts[] = {
#define X_TEXT(name, T, bytes) {WASM_OP_##name, #T, NULL, NULL, NULL, NULL, bytes},
    WASM_STORE_OPS(X_TEXT)
#undef X_TEXT
};

static const numeric_text *find_text(const numeric_text *list, size_t n, int op) {
    for (size_t i = 0; i < n; i++)
        if (list[i].op == op) return &list[i];
    return NULL;
}
#define FIND(list, op) find_text(list, sizeof list / sizeof list[0], op)

/* Integer division and remainder: the interpreter spells these out too,
 * because of their traps. */
static bool emit_divrem(emitter *e, int op, const wasm_cell *c) {
    const char *T, *get, *expr;
    bool overflow_traps = false;
    switch (op) {
    case WASM_OP_I32_DIV_S: T = "int32_t", get = "S32", expr = "(uint32_t)(a / b)", overflow_traps = true; break;
    case WASM_OP_I32_DIV_U: T = "uint32_t", get = "U32", expr = "a / b"; break;
    case WASM_OP_I32_REM_S: T = "int32_t", get = "S32", expr = "(b == -1) ? 0 : (uint32_t)(a % b)"; break;
    case WASM_OP_I32_REM_U: T = "uint32_t", get = "U32", expr = "a % b"; break;
    case WASM_OP_I64_DIV_S: T = "int64_t", get = "S64", expr = "(uint64_t)(a / b)", overflow_traps = true; break;
    case WASM_OP_I64_DIV_U: T = "uint64_t", get = "U64", expr = "a / b"; break;
    case WASM_OP_I64_REM_S: T = "int64_t", get = "S64", expr = "(b == -1) ? 0 : (uint64_t)(a % b)"; break;
    case WASM_OP_I64_REM_U: T = "uint64_t", get = "U64", expr = "a % b"; break;
    default: return false;
    }
    P(e, "{ %s a = %s(s%u), b = %s(s%u); if (ISR_UNLIKELY(b == 0)) TRAP(ISORUN_TRAP_DIV_BY_ZERO);", T, get, B1, get,
      A2);
    if (overflow_traps)
        P(e, " if (ISR_UNLIKELY(b == -1 && a == %s)) TRAP(ISORUN_TRAP_INT_OVERFLOW);",
          op == WASM_OP_I32_DIV_S ? "INT32_MIN" : "INT64_MIN");
    P(e, " s%u = %s; }", A1, expr);
    return true;
}

static bool emit_numeric(emitter *e, int op, const wasm_cell *c) {
    const numeric_text *t;
    if ((t = FIND(unary_texts, op))) {
        P(e, "{ %s a = %s(s%u); s%u = %s; }", t->type, t->get, B1, A1, t->expr);
        return true;
    }
    if ((t = FIND(binary_texts, op))) {
        P(e, "{ %s a = %s(s%u), b = %s(s%u); (void)b; s%u = %s; }", t->type, t->get, B1, t->get, A2, A1, t->expr);
        return true;
    }
    if ((t = FIND(trunc_texts, op))) {
        P(e, "{ %s a = %s(s%u); WASM_TRUNC_CHECK(a, %s, %s); s%u = %s; }", t->type, t->get, B1, t->lo, t->hi, A1,
          t->expr);
        return true;
    }
    if ((t = FIND(load_texts, op))) {
        P(e, "{ uint64_t ea = (uint64_t)U32(s%u) + %uu; if (ISR_UNLIKELY(ea + %u > memsize)) "
             "TRAP(ISORUN_TRAP_MEMORY_OOB); %s v; memcpy(&v, mem + ea, %u); s%u = %s; }",
          B1, A2, t->bytes, t->type, t->bytes, A1, t->expr);
        return true;
    }
    if ((t = FIND(store_texts, op))) {
        P(e, "{ uint64_t ea = (uint64_t)U32(s%u) + %uu; if (ISR_UNLIKELY(ea + %u > memsize)) "
             "TRAP(ISORUN_TRAP_MEMORY_OOB); %s v = (%s)s%u; memcpy(mem + ea, &v, %u); }",
          A1, A2, t->bytes, t->type, t->type, B1, t->bytes);
        return true;
    }
    return emit_divrem(e, op, c);
}

/* A v128 operand at slot n, as a C expression. */
#define V128_FMT "(wasm_v128){s%u, s%u}"
#define V128_ARG(n) (n), (n) + 1u

/* Vector instructions: simd_<NAME> called as interp.c's VEC_* bodies call it;
 * a v128 result goes to its two slots after every operand has been read (a
 * result may overlap an operand). Memory accesses are bounds-checked as the
 * interpreter checks them, with the access size from the cells. */
static bool emit_vector(emitter *e, int op, const wasm_cell *c) {
    const vec_text *t = &vec_texts[op];
    const char *name = t->name;
    switch ((vec_shape)t->shape) {
    case VEC_NOT: return false;
    case VEC_UNARY: P(e, "{ wasm_v128 r_ = simd_%s(" V128_FMT ");", name, V128_ARG(B1)); break;
    case VEC_BINARY:
        P(e, "{ wasm_v128 r_ = simd_%s(" V128_FMT ", " V128_FMT ");", name, V128_ARG(B1), V128_ARG(A2));
        break;
    case VEC_TERNARY:
        P(e, "{ wasm_v128 r_ = simd_%s(" V128_FMT ", " V128_FMT ", " V128_FMT ");", name, V128_ARG(B1), V128_ARG(A2),
          V128_ARG(B2));
        break;
    case VEC_TEST: P(e, "s%u = simd_%s(" V128_FMT ");", A1, name, V128_ARG(B1)); return true;
    case VEC_SHIFT: P(e, "{ wasm_v128 r_ = simd_%s(" V128_FMT ", U32(s%u));", name, V128_ARG(B1), A2); break;
    case VEC_SPLAT: P(e, "{ wasm_v128 r_ = simd_%s(s%u);", name, B1); break;
    case VEC_EXTRACT: P(e, "s%u = simd_%s(" V128_FMT ", %uu);", A1, name, V128_ARG(B1), A2); return true;
    case VEC_REPLACE:
        P(e, "{ wasm_v128 r_ = simd_%s(" V128_FMT ", %uu, s%u);", name, V128_ARG(B1), B2, A2);
        break;
    case VEC_LOAD:
        P(e, "{ uint64_t ea = (uint64_t)U32(s%u) + %uu; if (ISR_UNLIKELY(ea + %u > memsize)) "
             "TRAP(ISORUN_TRAP_MEMORY_OOB); wasm_v128 r_ = simd_%s(mem + ea);",
          B1, A2, B2, name);
        break;
    case VEC_STORE:
        P(e, "{ uint64_t ea = (uint64_t)U32(s%u) + %uu; if (ISR_UNLIKELY(ea + %u > memsize)) "
             "TRAP(ISORUN_TRAP_MEMORY_OOB); simd_%s(mem + ea, " V128_FMT "); }",
          A1, A2, B2, name, V128_ARG(B1));
        return true;
    case VEC_LOAD_LANE:
        P(e, "{ uint64_t ea = (uint64_t)U32(s%u) + %uu; if (ISR_UNLIKELY(ea + %u > memsize)) "
             "TRAP(ISORUN_TRAP_MEMORY_OOB); wasm_v128 r_ = simd_%s(mem + ea, " V128_FMT ", %uu);",
          B1, A2, c[3].p.b, name, V128_ARG(B2), c[3].p.a);
        break;
    case VEC_STORE_LANE:
        P(e, "{ uint64_t ea = (uint64_t)U32(s%u) + %uu; if (ISR_UNLIKELY(ea + %u > memsize)) "
             "TRAP(ISORUN_TRAP_MEMORY_OOB); simd_%s(mem + ea, " V128_FMT ", %uu); }",
          A1, A2, c[3].p.b, name, V128_ARG(B1), c[3].p.a);
        return true;
    case VEC_SHUFFLE:
        P(e, "{ wasm_v128 r_ = simd_%s(" V128_FMT ", " V128_FMT ", (wasm_v128){0x%llxull, 0x%llxull});", name,
          V128_ARG(B1), V128_ARG(A2), (unsigned long long)c[3].u64, (unsigned long long)c[4].u64);
        break;
    case VEC_CONST:
        P(e, "s%u = 0x%llxull; s%u = 0x%llxull;", A1, (unsigned long long)c[2].u64, A1 + 1u,
          (unsigned long long)c[3].u64);
        return true;
    }
    P(e, " s%u = r_.lo; s%u = r_.hi; }", A1, A1 + 1u);
    return true;
}

/* A branch to the instruction at cell `target`; backward ones charge fuel
 * and poll the interrupt flag first, as the interpreter does. */
static void emit_goto(emitter *e, size_t target, bool charge, uint32_t cost) {
    if (charge) P(e, "{ CHECK(%u); goto L%zu; }", cost, target);
    else P(e, "goto L%zu;", target);
}

static void emit_call(emitter *e, uint32_t func_index, uint32_t base) {
    const wasm_module *m = e->m;
    const wasm_functype *ft = wasm_module_func_type(m, func_index);
    if (func_index < m->nfunc_imports) {
        P(e, "OUT(); ");
        emit_io_call(e, ft, base, "ctx->api->call(ctx, %uu, io_, fidx_);", func_index);
        P(e, " IN();");
    } else {
        char callee[32];
        snprintf(callee, sizeof callee, "f_%u", func_index);
        emit_typed_call(e, ft, callee, base);
    }
    emit_reload(e);
}

static void emit_call_indirect(emitter *e, uint32_t type_index, uint32_t table, uint32_t index_slot, uint32_t base) {
    const wasm_functype *ft = &e->m->types[type_index];
    P(e, "{ const isr_aot_table *t_ = ctx->tables[%u]; uint32_t i_ = U32(s%u); "
         "const isr_aot_func *fr_ = i_ < t_->size ? (const isr_aot_func *)(uintptr_t)t_->elems[i_] : 0; "
         "if (fr_ && fr_->ctx == ctx && fr_->sig == %uu) { ",
      table, index_slot, e->canon[type_index]);
    /* The callee's typed C signature, from its wasm type. */
    char callee[512];
    int n = snprintf(callee, sizeof callee, "((%s (*)(isr_aot_ctx *, int64_t, uint32_t", ret_type(ft));
    for (uint32_t i = 0, np = param_slots(ft); i < np && n > 0 && (size_t)n < sizeof callee - 32; i++)
        n += snprintf(callee + n, sizeof callee - (size_t)n, ", uint64_t");
    if (n < 0 || (size_t)n >= sizeof callee - 32) {
        /* very long signatures take the general path only */
        P(e, "} { ");
    } else {
        snprintf(callee + n, sizeof callee - (size_t)n, "%s))fr_->native)",
                 result_slots(ft) > 1 ? ", uint64_t *" : "");
        emit_typed_call(e, ft, callee, base);
        P(e, " } else { ");
    }
    P(e, "OUT(); ");
    emit_io_call(e, ft, base, "ctx->api->call_indirect(ctx, %uu, i_, %uu, io_, fidx_);", table, type_index);
    P(e, " IN(); }");
    emit_reload(e);
    P(e, " }");
}

static bool emit_fused(emitter *e, int op, const wasm_cell *c, size_t at) {
    const char *cond = NULL;
    char buf[96];
    if (op == WASM_IOP_BR_IF_I32_EQZ) {
        snprintf(buf, sizeof buf, "U32(s%u) == 0", A1);
        cond = buf;
    }
#define X_FUSED(cmp, inverse, c_op, type)                                                                          \
    if (op == WASM_IOP_BR_IF_I32_##cmp) {                                                                          \
        snprintf(buf, sizeof buf, "(" #type ")U32(s%u) " #c_op " (" #type ")U32(s%u)", A1, B1);                    \
        cond = buf;                                                                                                \
    }
    WASM_FUSED_COMPARES(X_FUSED)
#undef X_FUSED
    if (!cond) return false;
    P(e, "if (%s) ", cond);
    emit_goto(e, target_of(c - at, at + 2), c[2].i64 < 0, c[3].p.a);
    return true;
}

/* Emits the instruction at cells[at]; false if it is not one the compiler
 * produces (then the module cannot be translated). */
static bool emit_instr(emitter *e, const wasm_code *code, int op, size_t at) {
    const wasm_cell *cells = code->cells, *c = &cells[at];
    if (op < WASM_OP_COUNT_) return vec_shape_of(op) != VEC_NOT ? emit_vector(e, op, c) : emit_numeric(e, op, c);
    if (is_fused_branch(op)) return emit_fused(e, op, c, at);
    switch (op) {
    case WASM_IOP_COPY: P(e, "s%u = s%u;", A1, B1); break;
    case WASM_IOP_COPY_V128: /* the two pairs may overlap by a slot */
        P(e, "{ uint64_t lo_ = s%u, hi_ = s%u; s%u = lo_; s%u = hi_; }", B1, B1 + 1u, A1, A1 + 1u);
        break;
    case WASM_IOP_BR: emit_goto(e, target_of(cells, at + 1), false, 0); break;
    case WASM_IOP_BR_BACK: emit_goto(e, target_of(cells, at + 1), true, A2); break;
    case WASM_IOP_BR_IF:
        P(e, "if (U32(s%u)) ", A1);
        emit_goto(e, target_of(cells, at + 2), false, 0);
        break;
    case WASM_IOP_BR_IF_BACK:
        P(e, "if (U32(s%u)) ", A1);
        emit_goto(e, target_of(cells, at + 2), true, B1);
        break;
    case WASM_IOP_BR_UNLESS:
        P(e, "if (!U32(s%u)) ", A1);
        emit_goto(e, target_of(cells, at + 2), false, 0);
        break;
    case WASM_IOP_BR_TABLE: {
        uint32_t n = B1;
        P(e, "switch (U32(s%u)) {", A1);
        for (uint32_t i = 0; i < n; i++) P(e, " case %uu: goto L%zu;", i, target_of(cells, at + 2 + i));
        P(e, " default: goto L%zu; }", target_of(cells, at + 2 + n));
        break;
    }
    case WASM_IOP_RETURN: P(e, "goto ret_;"); break;
    case WASM_IOP_CALL: emit_call(e, A1, B1); break;
    case WASM_IOP_CALL_INDIRECT: emit_call_indirect(e, A1, B1, A2, B2); break;
    case WASM_IOP_SELECT: P(e, "s%u = U32(s%u) ? s%u : s%u;", A1, B1, A2, B2); break;
    case WASM_IOP_SELECT_V128:
        P(e, "{ uint64_t lo_ = U32(s%u) ? s%u : s%u, hi_ = U32(s%u) ? s%u : s%u; s%u = lo_; s%u = hi_; }", B1, A2, B2,
          B1, A2 + 1u, B2 + 1u, A1, A1 + 1u);
        break;
    case WASM_IOP_GLOBAL_GET: P(e, "s%u = ctx->globals[%u]->value;", A1, B1); break;
    case WASM_IOP_GLOBAL_SET: P(e, "ctx->globals[%u]->value = s%u;", B1, A1); break;
    case WASM_IOP_GLOBAL_GET_V128:
        P(e, "{ const isr_aot_global *g_ = ctx->globals[%u]; s%u = g_->value; s%u = g_->value_hi; }", B1, A1, A1 + 1u);
        break;
    case WASM_IOP_GLOBAL_SET_V128:
        P(e, "{ isr_aot_global *g_ = ctx->globals[%u]; g_->value = s%u; g_->value_hi = s%u; }", B1, A1, A1 + 1u);
        break;
    case WASM_IOP_MEMORY_SIZE: P(e, "s%u = ctx->memory->pages;", A1); break;
    case WASM_IOP_MEMORY_GROW:
        P(e, "OUT(); s%u = ctx->api->memory_grow(ctx, U32(s%u), fidx_);", A1, B1);
        emit_reload(e);
        break;
    case WASM_IOP_MEMORY_FILL:
        P(e, "{ uint32_t d_ = U32(s%u), n_ = U32(s%u); if ((uint64_t)d_ + n_ > memsize) "
             "TRAP(ISORUN_TRAP_MEMORY_OOB); if (n_) memset(mem + d_, (int)(uint8_t)s%u, n_); }",
          A1, A2, B1);
        break;
    case WASM_IOP_MEMORY_COPY:
        P(e, "{ uint32_t d_ = U32(s%u), s_ = U32(s%u), n_ = U32(s%u); if ((uint64_t)d_ + n_ > memsize || "
             "(uint64_t)s_ + n_ > memsize) TRAP(ISORUN_TRAP_MEMORY_OOB); if (n_) memmove(mem + d_, mem + s_, n_); }",
          A1, B1, A2);
        break;
    case WASM_IOP_MEMORY_INIT:
        P(e, "OUT(); ctx->api->memory_init(ctx, %uu, U32(s%u), U32(s%u), U32(s%u), fidx_);", B2, A1, B1, A2);
        break;
    case WASM_IOP_DATA_DROP: P(e, "ctx->api->data_drop(ctx, %uu);", A1); break;
    case WASM_IOP_TABLE_GET: P(e, "OUT(); s%u = ctx->api->table_get(ctx, %uu, U32(s%u), fidx_);", A1, A2, B1); break;
    case WASM_IOP_TABLE_SET: P(e, "OUT(); ctx->api->table_set(ctx, %uu, U32(s%u), s%u, fidx_);", A2, A1, B1); break;
    case WASM_IOP_TABLE_SIZE: P(e, "s%u = ctx->api->table_size(ctx, %uu);", A1, B1); break;
    case WASM_IOP_TABLE_GROW:
        P(e, "OUT(); s%u = ctx->api->table_grow(ctx, %uu, U32(s%u), s%u, fidx_);", A1, B2, A2, B1);
        break;
    case WASM_IOP_TABLE_FILL:
        P(e, "OUT(); ctx->api->table_fill(ctx, %uu, U32(s%u), s%u, U32(s%u), fidx_);", B2, A1, B1, A2);
        break;
    case WASM_IOP_TABLE_COPY:
        P(e, "OUT(); ctx->api->table_copy(ctx, %uu, %uu, U32(s%u), U32(s%u), U32(s%u), fidx_);", c[3].p.a, c[3].p.b, A1,
          B1, A2);
        break;
    case WASM_IOP_TABLE_INIT:
        P(e, "OUT(); ctx->api->table_init(ctx, %uu, %uu, U32(s%u), U32(s%u), U32(s%u), fidx_);", c[3].p.a, B2, A1, B1, A2);
        break;
    case WASM_IOP_ELEM_DROP: P(e, "ctx->api->elem_drop(ctx, %uu);", A1); break;
    case WASM_IOP_REF_FUNC: P(e, "s%u = (uint64_t)(uintptr_t)ctx->funcs[%u];", A1, B1); break;
    case WASM_IOP_REF_IS_NULL: P(e, "s%u = s%u == 0;", A1, B1); break;
    case WASM_IOP_UNREACHABLE: P(e, "TRAP(ISORUN_TRAP_UNREACHABLE);"); break;
    default: return false;
    }
    return true;
}

/* Marks every branch target of the function; false on an unknown cell. */
static bool mark_targets(const emitter *e, const wasm_code *code, bool *target) {
    const wasm_cell *cells = code->cells;
    for (size_t at = 0; at < code->ncells;) {
        int op = op_of(e, cells[at].handler);
        size_t len = instr_cells(op, &cells[at]);
        if (!len || at + len > code->ncells) return false;
        size_t rel_cells[2] = {0, 0};
        switch (op) {
        case WASM_IOP_BR:
        case WASM_IOP_BR_BACK: rel_cells[0] = at + 1; break;
        case WASM_IOP_BR_IF:
        case WASM_IOP_BR_IF_BACK:
        case WASM_IOP_BR_UNLESS: rel_cells[0] = at + 2; break;
        case WASM_IOP_BR_TABLE:
            for (uint32_t i = 0; i <= cells[at + 1].p.b; i++) {
                size_t t = target_of(cells, at + 2 + i);
                if (t >= code->ncells) return false;
                target[t] = true;
            }
            break;
        default:
            if (is_fused_branch(op)) rel_cells[0] = at + 2;
        }
        if (rel_cells[0]) {
            size_t t = target_of(cells, rel_cells[0]);
            if (t >= code->ncells) return false;
            target[t] = true;
        }
        at += len;
    }
    return true;
}

/* ------------------------------------------------------------------------
 * Functions and the module
 * ------------------------------------------------------------------------ */

static isorun_error *emit_function(emitter *e, uint32_t def) {
    const wasm_code *code = &e->m->func_defs[def].code;
    const uint32_t fidx = code->func_index;
    const wasm_functype *ft = wasm_module_func_type(e->m, fidx);
    bool *target = calloc(code->ncells + 1, sizeof *target);
    if (!target) return isr_error_nomem();
    if (!mark_targets(e, code, target)) {
        free(target);
        return isr_error(ISORUN_ERR_NATIVE, "native code: function %u has code the translator does not know", fidx);
    }

    emit_prototype(e, fidx, true);
    P(e, " {\n    const uint32_t fidx_ = %uu;\n", fidx);
    /* Every slot starts initialised: declared locals are zero, constants
     * hold their values, operand slots start at zero (never read first, but
     * reading an uninitialised variable would be undefined behaviour). */
    const uint32_t first_const = code->nlocals, end_const = code->nlocals + code->nconsts;
    for (uint32_t i = code->nparams; i < code->frame_slots; i++) {
        bool k = i >= first_const && i < end_const;
        P(e, "%suint64_t s%u = 0x%llxull;", (i - code->nparams) % 4 ? " " : "    ", i,
          k ? (unsigned long long)code->consts[i - first_const] : 0ull);
        if ((i - code->nparams) % 4 == 3 || i + 1 == code->frame_slots) P(e, "\n");
    }
    if (e->has_memory)
        P(e, "    isr_aot_memory *const M_ = ctx->memory; uint8_t *mem = M_->data; uint64_t memsize = M_->size;\n");
    P(e, "    const int *const intr_ = ctx->interrupt;\n");
    P(e, "    ENTER(%uu, %lluu);\n", code->fuel_cost, (unsigned long long)code->frame_slots * 8u + 1024u);

    bool ok = true;
    for (size_t at = 0; at < code->ncells && ok && !e->oom;) {
        int op = op_of(e, code->cells[at].handler);
        size_t len = instr_cells(op, &code->cells[at]);
        if (target[at]) P(e, "L%zu:;\n", at);
        P(e, "    ");
        ok = emit_instr(e, code, op, at);
        P(e, "\n");
        at += len;
    }
    free(target);
    if (!ok) return isr_error(ISORUN_ERR_NATIVE, "native code: function %u: untranslatable instruction", fidx);

    const uint32_t np = param_slots(ft), nr = result_slots(ft);
    P(e, "ret_:\n");
    for (uint32_t i = 0; nr > 1 && i < nr; i++) P(e, "    out_[%u] = s%u;\n", i, i);
    P(e, "    return (isr_aot_ret){%s, fuel_};\n}\n\n", nr == 1 ? "s0" : "0");
    /* The uniform entry for the engine. */
    P(e, "void e_%u(isr_aot_ctx *ctx, uint64_t *io) { isr_aot_ret r_ = f_%u(ctx, ctx->fuel, ctx->depth", fidx,
      fidx);
    for (uint32_t i = 0; i < np; i++) P(e, ", io[%u]", i);
    P(e, "%s); ctx->fuel = r_.fuel;%s }\n\n", nr > 1 ? ", io" : "", nr == 1 ? " io[0] = r_.v;" : "");
    return NULL;
}

/* Whether any function of the chunk has a vector instruction: only then does
 * the chunk carry simd.h's text, which would otherwise lengthen every C
 * compile for nothing. */
static bool chunk_uses_vectors(const emitter *e, size_t chunk, const uint32_t *chunk_of) {
    const wasm_module *m = e->m;
    for (uint32_t d = 0; d < m->nfuncs - m->nfunc_imports; d++) {
        if (chunk_of[d] != chunk) continue;
        const wasm_code *code = &m->func_defs[d].code;
        for (size_t at = 0; at < code->ncells;) {
            int op = op_of(e, code->cells[at].handler);
            if (vec_shape_of(op) != VEC_NOT) return true;
            size_t len = instr_cells(op, &code->cells[at]);
            if (!len) break; /* emit_function reports it */
            at += len;
        }
    }
    return false;
}

static void emit_prelude(emitter *e, bool vectors) {
    P(e, "/* Generated by isorun from a WebAssembly module: its functions as C. Do not edit. */\n");
    /* A signalling NaN must come out of arithmetic quiet. gcc keeps that with
     * -fsignaling-nans; clang ignores the flag and would fold x * 1 to x and
     * NaN - x to the NaN, unquieted, unless floating-point exceptions are
     * strict. The pragma covers everything below it, the embedded helpers
     * included. */
    P(e, "#if defined(__clang__)\n#pragma clang fp exceptions(strict)\n#endif\n");
    P(e, "#define WASM_NUMERIC_FREESTANDING 1\n");
    static const char *const builtins[] = {"memcpy", "memset", "memmove", "ceilf", "floorf", "truncf", "nearbyintf",
                                           "sqrtf", "ceil", "floor", "trunc", "nearbyint", "sqrt"};
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        P(e, "#define %s __builtin_%s\n", builtins[i], builtins[i]);
    P(e, "%s\n%s\n", wasm_aot_abi_text, wasm_aot_numeric_text);
    if (vectors) P(e, "%s\n", wasm_aot_simd_text); /* uses numeric.h's helpers: after it */
#define X_TRAP(name, msg) P(e, "#define ISORUN_TRAP_%s %d\n", #name, (int)ISORUN_TRAP_##name);
    ISORUN_TRAP_LIST(X_TRAP)
#undef X_TRAP
    P(e, "#define ISR_UNLIKELY(x) __builtin_expect(!!(x), 0)\n"
         "#define U32(x) ((uint32_t)(x))\n"
         "#define S32(x) ((int32_t)(uint32_t)(x))\n"
         "#define U64(x) ((uint64_t)(x))\n"
         "#define S64(x) ((int64_t)(x))\n"
         "#define F32(x) f32_of(x)\n"
         "#define F64(x) f64_of(x)\n"
         /* Fuel lives in a local (a register) and goes back to ctx->fuel
          * before anything that may run other code or trap (OUT), and comes
          * back after it (IN): the decrement at back-edges must not be a
          * read-modify-write of memory, whose latency would bound every loop. */
         "#define OUT() (ctx->fuel = fuel_, ctx->depth = depth_)\n"
         "#define IN() (fuel_ = ctx->fuel)\n"
         "#define TRAP(code) (OUT(), ctx->api->trap(ctx, (code), fidx_))\n"
         "#define RELOAD() (mem = M_->data, memsize = M_->size)\n"
         "#define CHECK(cost) do { fuel_ -= (int64_t)(cost); if (ISR_UNLIKELY(fuel_ < 0 || "
         "__atomic_load_n(intr_, __ATOMIC_RELAXED))) { OUT(); ctx->api->poll(ctx, fidx_); IN(); } } while (0)\n"
         /* The stack pointer, read directly where we know the register:
          * __builtin_frame_address(0) would make every function keep a
          * frame pointer (one register fewer, a push and a move per call:
          * 8% of a call-bound program's instructions). */
         "#if defined(__x86_64__)\n"
         "#define STACK_POINTER() ({ uintptr_t sp_; __asm__(\"mov %%%%rsp, %%0\" : \"=r\"(sp_)); sp_; })\n"
         "#elif defined(__aarch64__)\n"
         "#define STACK_POINTER() ({ uintptr_t sp_; __asm__(\"mov %%0, sp\" : \"=r\"(sp_)); sp_; })\n"
         "#else\n"
         "#define STACK_POINTER() ((uintptr_t)__builtin_frame_address(0))\n"
         "#endif\n"
         "#define ENTER(cost, frame_bytes) do { if (ISR_UNLIKELY(++depth_ > ctx->max_depth || "
         "STACK_POINTER() < ctx->stack_limit + (frame_bytes))) "
         "TRAP(ISORUN_TRAP_STACK_EXHAUSTED); CHECK(cost); } while (0)\n\n");
}

/* Before item i of a C initialiser list, eight items a line. */
static const char *list_separator(uint32_t i) { return i == 0 ? "\n    " : i % 8 ? ", " : ",\n    "; }

/* Splits the defined functions over nchunks files, balancing their code
 * sizes (largest first, each to the lightest file): out[d] is the file of
 * defined function d. */
static bool assign_chunks(const wasm_module *m, size_t nchunks, uint32_t *out) {
    uint32_t ndefs = m->nfuncs - m->nfunc_imports;
    uint32_t *order = malloc(((size_t)ndefs + 1) * sizeof *order);
    uint64_t *load = calloc(nchunks, sizeof *load);
    if (!order || !load) {
        free(order);
        free(load);
        return false;
    }
    for (uint32_t i = 0; i < ndefs; i++) order[i] = i;
    /* Insertion sort by size, descending: fine for the few thousand
     * functions of a large module, and stable. */
    for (uint32_t i = 1; i < ndefs; i++) {
        uint32_t d = order[i], k = i;
        for (; k > 0 && m->func_defs[order[k - 1]].code.ncells < m->func_defs[d].code.ncells; k--)
            order[k] = order[k - 1];
        order[k] = d;
    }
    for (uint32_t i = 0; i < ndefs; i++) {
        size_t lightest = 0;
        for (size_t c = 1; c < nchunks; c++)
            if (load[c] < load[lightest]) lightest = c;
        out[order[i]] = (uint32_t)lightest;
        load[lightest] += m->func_defs[order[i]].code.ncells + 16; /* + the per-function overhead */
    }
    free(order);
    free(load);
    return true;
}

/* One file: the prelude, every function's prototype (they call each other
 * across files), its share of the bodies, and in file 0 the descriptor. */
static isorun_error *emit_chunk(emitter *e, size_t chunk, const uint32_t *chunk_of) {
    const wasm_module *m = e->m;
    uint32_t ndefs = m->nfuncs - m->nfunc_imports;
    isorun_error *err = NULL;
    emit_prelude(e, chunk_uses_vectors(e, chunk, chunk_of));
    for (uint32_t i = 0; i < ndefs; i++) {
        emit_prototype(e, m->nfunc_imports + i, false);
        P(e, ";\nvoid e_%u(isr_aot_ctx *, uint64_t *);\n", m->nfunc_imports + i);
    }
    P(e, "\n");
    for (uint32_t i = 0; i < ndefs && !err && !e->oom; i++)
        if (chunk_of[i] == chunk) err = emit_function(e, i);
    if (!err && chunk == 0) {
        /* The module itself, so the object alone can be loaded (precompiled). */
        P(e, "static const uint8_t wasm_[] = {");
        for (size_t i = 0; i < m->len; i++) P(e, "%s%u,", i % 32 ? "" : "\n", m->bytes[i]);
        P(e, "0};\n");
        P(e, "static const isr_aot_entry entries_[] = {");
        for (uint32_t i = 0; i < ndefs; i++) P(e, "%se_%u", list_separator(i), m->nfunc_imports + i);
        P(e, "%s};\nstatic const void *const natives_[] = {", ndefs ? "" : "0");
        for (uint32_t i = 0; i < ndefs; i++) P(e, "%s(const void *)f_%u", list_separator(i), m->nfunc_imports + i);
        P(e, "%s};\n", ndefs ? "" : "0");
        P(e, "__attribute__((visibility(\"default\"))) const isr_aot_module_desc ISR_AOT_SYMBOL = "
             "{ISR_AOT_ABI_VERSION, %uu, entries_, natives_, wasm_, %zuu, \"%s\"};\n",
          ndefs, m->len, wasm_aot_generator_id);
    }
    return err;
}

isorun_error *wasm_aot_emit(const wasm_module *m, size_t nchunks, isr_buf *out) {
    emitter e = {.m = m, .has_memory = m->nmemories > 0};
    uint32_t ndefs = m->nfuncs - m->nfunc_imports;
    uint32_t *canon = NULL, *chunk_of = malloc(((size_t)ndefs + 1) * sizeof *chunk_of);
    if (!chunk_of || !assign_chunks(m, nchunks, chunk_of)) {
        free(chunk_of);
        return isr_error_nomem();
    }
    isorun_error *err = wasm_aot_canonical_types(m, &canon);
    if (!err && !build_handler_map(&e)) err = isr_error_nomem();
    e.canon = canon;
    for (size_t c = 0; c < nchunks && !err && !e.oom; c++) {
        e.out = &out[c];
        err = emit_chunk(&e, c, chunk_of);
    }
    free(e.handlers);
    free(canon);
    free(chunk_of);
    if (!err && e.oom) err = isr_error_nomem();
    return err;
}
