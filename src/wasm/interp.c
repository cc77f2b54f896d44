/*
 * interp.c — the interpreter: runs compiled code (iops.h) with computed-goto
 * dispatch, and wasm_call, the entry from the host.
 *
 * Registers kept in locals: pc (next instruction), fp (frame slots), the
 * current instance and its memory 0 (base and size, reloaded after anything
 * that can grow it), and the fuel counter. Fuel and the interrupt flag are
 * only checked at loop back-edges and calls, off the straight-line path.
 * wasm-to-wasm calls do not recurse in C: activations live in store->frames.
 */
#include "internal.h"
#include "iops.h"
#include "numeric.h"
#include "simd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "isorun's interpreter assumes a little-endian host (wasm memory is little-endian)"
#endif

/* Nested wasm_call activations (host function -> wasm -> host ...) each use C
 * stack; this bounds them independently of max_call_depth. */
#define WASM_MAX_NESTING 256u

/* ------------------------------------------------------------------------
 * The dispatch loop
 * ------------------------------------------------------------------------ */

const char *wasm_func_label(const wasm_instance *inst, uint32_t index, char *buf, size_t n) {
    const char *name = inst ? wasm_module_func_name(inst->module, index) : NULL;
    bool plain = name != NULL;
    for (const unsigned char *p = (const unsigned char *)name; plain && *p; p++) plain = *p >= 0x20 && *p != 0x7F;
    if (plain) return name;
    if (!name || n < 5) {
        snprintf(buf, n, "#%u", index);
        return buf;
    }
    /* The name section is the guest's: a control character in a name must
     * not reach a terminal or split a log line. Escaped as \hh (cut to n). */
    size_t used = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && used + 4 < n; p++) {
        if (*p < 0x20 || *p == 0x7F) used += (size_t)snprintf(buf + used, n - used, "\\%02x", *p);
        else buf[used++] = (char)*p;
    }
    buf[used] = '\0';
    return buf;
}

static const char *func_label(const wasm_func *f, char *buf, size_t n) {
    return f ? wasm_func_label(f->inst, f->index, buf, n) : "?";
}

/* Zeroes declared locals and copies the constants in. Inline loops: most
 * functions have a handful of each, where a libc call costs more. */
static inline void init_frame(const wasm_code *code, wasm_slot *fp) {
    for (uint32_t i = code->nparams; i < code->nlocals; i++) fp[i] = 0;
    wasm_slot *k = fp + code->nlocals;
    for (uint32_t i = 0; i < code->nconsts; i++) k[i] = code->consts[i];
}

/* Runs `entry` (a wasm function) with its frame at fp (arguments in place).
 * With s == NULL it only returns the handler table through *table_out. */
static isorun_error *run(wasm_store *s, const wasm_func *entry, wasm_slot *fp, const void *const **table_out) {
#define H_NUMERIC_N(name) [WASM_OP_##name] = &&L_##name,
#define H_NUMERIC_V(name) [WASM_OP_##name] = &&L_##name,
#define H_NUMERIC_S(name) [WASM_OP_##name] = &&L_BAD,
#define H_WASM(name, code, text, imm, sig, kind) H_NUMERIC_##kind(name)
#define H_IOP(name) [WASM_IOP_##name] = &&L_IOP_##name,
#define H_FUSED(cmp, inverse, op, type) [WASM_IOP_BR_IF_I32_##cmp] = &&L_IOP_BR_IF_I32_##cmp,
    static const void *const table[WASM_IOP_COUNT_] = {WASM_OPS(H_WASM) WASM_IOPS(H_IOP)
                                                          WASM_FUSED_COMPARES(H_FUSED)};
#undef H_NUMERIC_N
#undef H_NUMERIC_V
#undef H_NUMERIC_S
#undef H_WASM
#undef H_IOP
#undef H_FUSED
    if (!s) {
        *table_out = table;
        return NULL;
    }

    const wasm_cell *pc = entry->code->cells;
    wasm_instance *inst = entry->inst;
    const wasm_func *cur = entry;
    wasm_memory *memobj = inst->module->nmemories ? inst->memories[0] : NULL;
    uint8_t *mem = memobj ? memobj->data : NULL;
    uint64_t memsize = memobj ? memobj->size : 0;
    wasm_frame *frames = s->frames;
    const uint32_t entry_depth = s->depth;
    const uint32_t max_depth = s->cfg.max_call_depth;
    uint32_t depth = entry_depth + 1;
    wasm_slot *const stack_end = s->stack + s->cfg.stack_slots;
    atomic_int no_interrupt = 0;
    const atomic_int *interrupt = s->cfg.interrupt ? s->cfg.interrupt : &no_interrupt;
    int64_t fuel = s->fuel_enabled ? s->fuel : INT64_MAX;
    isorun_trap_code trap = ISORUN_TRAP_NONE;
    isorun_error *host_err = NULL;

    if (depth > max_depth || (size_t)(stack_end - fp) < entry->code->frame_slots) {
        trap = ISORUN_TRAP_STACK_EXHAUSTED;
        goto trapped;
    }
    init_frame(entry->code, fp);

#define NEXT() goto *pc->handler
#define TRAP(code)                                                             \
    do {                                                                       \
        trap = (code);                                                         \
        goto trapped;                                                          \
    } while (0)
#define LOAD_MEM()                                                             \
    do {                                                                       \
        memobj = inst->module->nmemories ? inst->memories[0] : NULL;           \
        mem = memobj ? memobj->data : NULL;                                    \
        memsize = memobj ? memobj->size : 0;                                   \
    } while (0)
#define RELOAD_MEM()                                                           \
    do {                                                                       \
        if (memobj) {                                                          \
            mem = memobj->data;                                                \
            memsize = memobj->size;                                            \
        }                                                                      \
    } while (0)
    /* Charges fuel and polls the interrupt flag (back-edges and calls). */
#define CHECK(cost)                                                            \
    do {                                                                       \
        fuel -= (int64_t)(cost);                                               \
        if (ISR_UNLIKELY(fuel < 0 || atomic_load_explicit(interrupt, memory_order_relaxed))) { \
            int why_ = atomic_load_explicit(interrupt, memory_order_relaxed);                    \
            if (why_) TRAP(why_ == WASM_INTERRUPT_DEADLINE ? ISORUN_TRAP_DEADLINE : ISORUN_TRAP_INTERRUPTED); \
            if (s->fuel_enabled) {                                             \
                fuel = 0;                                                      \
                TRAP(ISORUN_TRAP_OUT_OF_FUEL);                                 \
            }                                                                  \
            fuel = INT64_MAX;                                                  \
        }                                                                      \
    } while (0)

#define A1 pc[1].p.a
#define B1 pc[1].p.b
#define A2 pc[2].p.a
#define B2 pc[2].p.b
#define U32(slot) ((uint32_t)fp[slot])
#define S32(slot) ((int32_t)(uint32_t)fp[slot])
#define U64(slot) (fp[slot])
#define S64(slot) ((int64_t)fp[slot])
#define F32(slot) f32_of(fp[slot])
#define F64(slot) f64_of(fp[slot])

    CHECK(entry->code->fuel_cost); /* the entry function pays like any callee */
    NEXT();

    /* ---- numeric instructions: one body each -------------------------- */
#define UN(name, T, get, put)                                                  \
    L_##name : {                                                               \
        T a = get(B1);                                                         \
        fp[A1] = (put);                                                        \
        pc += 2;                                                               \
        NEXT();                                                                \
    }
#define BIN(name, T, get, put)                                                 \
    L_##name : {                                                               \
        T a = get(B1), b = get(A2);                                            \
        fp[A1] = (put);                                                        \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
    WASM_UNARY_OPS(UN)
    WASM_BINARY_OPS(BIN)
    L_I32_DIV_S : {
        int32_t a = S32(B1), b = S32(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        if (a == INT32_MIN && b == -1) TRAP(ISORUN_TRAP_INT_OVERFLOW);
        fp[A1] = (uint32_t)(a / b);
        pc += 3;
        NEXT();
    }
    L_I32_DIV_U : {
        uint32_t a = U32(B1), b = U32(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        fp[A1] = a / b;
        pc += 3;
        NEXT();
    }
    L_I32_REM_S : {
        int32_t a = S32(B1), b = S32(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        fp[A1] = (b == -1) ? 0 : (uint32_t)(a % b);
        pc += 3;
        NEXT();
    }
    L_I32_REM_U : {
        uint32_t a = U32(B1), b = U32(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        fp[A1] = a % b;
        pc += 3;
        NEXT();
    }
    L_I64_DIV_S : {
        int64_t a = S64(B1), b = S64(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        if (a == INT64_MIN && b == -1) TRAP(ISORUN_TRAP_INT_OVERFLOW);
        fp[A1] = (uint64_t)(a / b);
        pc += 3;
        NEXT();
    }
    L_I64_DIV_U : {
        uint64_t a = U64(B1), b = U64(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        fp[A1] = a / b;
        pc += 3;
        NEXT();
    }
    L_I64_REM_S : {
        int64_t a = S64(B1), b = S64(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        fp[A1] = (b == -1) ? 0 : (uint64_t)(a % b);
        pc += 3;
        NEXT();
    }
    L_I64_REM_U : {
        uint64_t a = U64(B1), b = U64(A2);
        if (b == 0) TRAP(ISORUN_TRAP_DIV_BY_ZERO);
        fp[A1] = a % b;
        pc += 3;
        NEXT();
    }
#define TRUNC(name, T, get, lo, hi, put)                                       \
    L_##name : {                                                               \
        T a = get(B1);                                                         \
        WASM_TRUNC_CHECK(a, lo, hi);                                                \
        fp[A1] = (put);                                                        \
        pc += 2;                                                               \
        NEXT();                                                                \
    }
    WASM_TRUNC_OPS(TRUNC)
    /* ---- memory: every access bounds-checked in 64-bit arithmetic ------- */
#define LOAD(name, T, N, conv)                                                 \
    L_##name : {                                                               \
        uint64_t ea = (uint64_t)U32(B1) + A2;                                  \
        if (ISR_UNLIKELY(ea + (N) > memsize)) TRAP(ISORUN_TRAP_MEMORY_OOB);    \
        T v;                                                                   \
        memcpy(&v, mem + ea, N);                                               \
        fp[A1] = (conv);                                                       \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define STORE(name, T, N)                                                      \
    L_##name : {                                                               \
        uint64_t ea = (uint64_t)U32(A1) + A2;                                  \
        if (ISR_UNLIKELY(ea + (N) > memsize)) TRAP(ISORUN_TRAP_MEMORY_OOB);    \
        T v = (T)fp[B1];                                                       \
        memcpy(mem + ea, &v, N);                                               \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
    WASM_LOAD_OPS(LOAD)
    WASM_STORE_OPS(STORE)

    /* ---- vector instructions: one body per shape (IMM, SIG), each calling
     * simd_<NAME> from simd.h; layouts in iops.h ------------------------ */
#define V128_AT(slot) ((wasm_v128){fp[slot], fp[(slot) + 1]})
#define PUT_V128(slot, expr)                                                   \
    do {                                                                       \
        wasm_v128 v_ = (expr);                                                 \
        fp[slot] = v_.lo;                                                      \
        fp[(slot) + 1] = v_.hi;                                                \
    } while (0)
#define VEC_UNARY(name)                                                        \
    L_##name : {                                                               \
        PUT_V128(A1, simd_##name(V128_AT(B1)));                                \
        pc += 2;                                                               \
        NEXT();                                                                \
    }
#define VEC_BINARY(name)                                                       \
    L_##name : {                                                               \
        PUT_V128(A1, simd_##name(V128_AT(B1), V128_AT(A2)));                   \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define VEC_TERNARY(name)                                                      \
    L_##name : {                                                               \
        PUT_V128(A1, simd_##name(V128_AT(B1), V128_AT(A2), V128_AT(B2)));      \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define VEC_TEST(name) /* v128 -> i32 */                                       \
    L_##name : {                                                               \
        fp[A1] = simd_##name(V128_AT(B1));                                     \
        pc += 2;                                                               \
        NEXT();                                                                \
    }
#define VEC_SHIFT(name)                                                        \
    L_##name : {                                                               \
        PUT_V128(A1, simd_##name(V128_AT(B1), U32(A2)));                       \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define VEC_SPLAT(name)                                                        \
    L_##name : {                                                               \
        PUT_V128(A1, simd_##name(fp[B1]));                                     \
        pc += 2;                                                               \
        NEXT();                                                                \
    }
#define VEC_EXTRACT(name)                                                      \
    L_##name : {                                                               \
        fp[A1] = simd_##name(V128_AT(B1), A2);                                 \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define VEC_REPLACE(name)                                                      \
    L_##name : {                                                               \
        PUT_V128(A1, simd_##name(V128_AT(B1), B2, fp[A2]));                    \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define VEC_LOAD(name)                                                         \
    L_##name : {                                                               \
        uint64_t ea = (uint64_t)U32(B1) + A2;                                  \
        if (ISR_UNLIKELY(ea + B2 > memsize)) TRAP(ISORUN_TRAP_MEMORY_OOB);     \
        PUT_V128(A1, simd_##name(mem + ea));                                   \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define VEC_STORE(name)                                                        \
    L_##name : {                                                               \
        uint64_t ea = (uint64_t)U32(A1) + A2;                                  \
        if (ISR_UNLIKELY(ea + B2 > memsize)) TRAP(ISORUN_TRAP_MEMORY_OOB);     \
        simd_##name(mem + ea, V128_AT(B1));                                    \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
#define VEC_LOAD_LANE(name)                                                    \
    L_##name : {                                                               \
        uint64_t ea = (uint64_t)U32(B1) + A2;                                  \
        if (ISR_UNLIKELY(ea + pc[3].p.b > memsize)) TRAP(ISORUN_TRAP_MEMORY_OOB); \
        PUT_V128(A1, simd_##name(mem + ea, V128_AT(B2), pc[3].p.a));           \
        pc += 4;                                                               \
        NEXT();                                                                \
    }
#define VEC_STORE_LANE(name)                                                   \
    L_##name : {                                                               \
        uint64_t ea = (uint64_t)U32(A1) + A2;                                  \
        if (ISR_UNLIKELY(ea + pc[3].p.b > memsize)) TRAP(ISORUN_TRAP_MEMORY_OOB); \
        simd_##name(mem + ea, V128_AT(B1), pc[3].p.a);                         \
        pc += 4;                                                               \
        NEXT();                                                                \
    }
#define VEC_SHUFFLE(name)                                                      \
    L_##name : {                                                               \
        PUT_V128(A1, simd_##name(V128_AT(B1), V128_AT(A2), ((wasm_v128){pc[3].u64, pc[4].u64}))); \
        pc += 5;                                                               \
        NEXT();                                                                \
    }
#define VEC_CONST(name)                                                        \
    L_##name : {                                                               \
        fp[A1] = pc[2].u64;                                                    \
        fp[A1 + 1] = pc[3].u64;                                                \
        pc += 4;                                                               \
        NEXT();                                                                \
    }
/* (IMM, SIG) -> body */
#define VEC_NONE_v_v VEC_UNARY
#define VEC_NONE_vv_v VEC_BINARY
#define VEC_NONE_vvv_v VEC_TERNARY
#define VEC_NONE_v_i VEC_TEST
#define VEC_NONE_vi_v VEC_SHIFT
#define VEC_NONE_i_v VEC_SPLAT
#define VEC_NONE_l_v VEC_SPLAT
#define VEC_NONE_f_v VEC_SPLAT
#define VEC_NONE_d_v VEC_SPLAT
#define VEC_LANE16_v_i VEC_EXTRACT
#define VEC_LANE16_vi_v VEC_REPLACE
#define VEC_LANE8_v_i VEC_EXTRACT
#define VEC_LANE8_vi_v VEC_REPLACE
#define VEC_LANE4_v_i VEC_EXTRACT
#define VEC_LANE4_vi_v VEC_REPLACE
#define VEC_LANE4_v_f VEC_EXTRACT
#define VEC_LANE4_vf_v VEC_REPLACE
#define VEC_LANE2_v_l VEC_EXTRACT
#define VEC_LANE2_vl_v VEC_REPLACE
#define VEC_LANE2_v_d VEC_EXTRACT
#define VEC_LANE2_vd_v VEC_REPLACE
#define VEC_MEMARG_i_v VEC_LOAD
#define VEC_MEMARG_iv_ VEC_STORE
#define VEC_MEMLANE16_iv_v VEC_LOAD_LANE
#define VEC_MEMLANE8_iv_v VEC_LOAD_LANE
#define VEC_MEMLANE4_iv_v VEC_LOAD_LANE
#define VEC_MEMLANE2_iv_v VEC_LOAD_LANE
#define VEC_MEMLANE16_iv_ VEC_STORE_LANE
#define VEC_MEMLANE8_iv_ VEC_STORE_LANE
#define VEC_MEMLANE4_iv_ VEC_STORE_LANE
#define VEC_MEMLANE2_iv_ VEC_STORE_LANE
#define VEC_SHUFFLE_vv_v VEC_SHUFFLE
#define VEC_V128__v VEC_CONST
#define VEC(name, code, text, imm, sig, kind) VEC_##imm##_##sig(name)
    WASM_OPS_FD(VEC)
#undef VEC
    L_IOP_MEMORY_SIZE : {
        fp[A1] = memobj ? memobj->pages : 0;
        pc += 2;
        NEXT();
    }
    L_IOP_MEMORY_GROW : {
        int64_t old = memobj ? wasm_memory_grow(s, memobj, U32(B1)) : -1;
        RELOAD_MEM();
        if (ISR_UNLIKELY(old == -2)) { /* the store's budget said no */
            if (s->cfg.trap_on_grow_failure) TRAP(ISORUN_TRAP_RESOURCE_LIMIT);
            old = -1;
        }
        fp[A1] = (uint32_t)old;
        pc += 2;
        NEXT();
    }
    L_IOP_MEMORY_FILL : {
        uint32_t d = U32(A1), n = U32(A2);
        if ((uint64_t)d + n > memsize) TRAP(ISORUN_TRAP_MEMORY_OOB);
        if (n) memset(mem + d, (int)(uint8_t)fp[B1], n);
        pc += 3;
        NEXT();
    }
    L_IOP_MEMORY_COPY : {
        uint32_t d = U32(A1), src = U32(B1), n = U32(A2);
        if ((uint64_t)d + n > memsize || (uint64_t)src + n > memsize) TRAP(ISORUN_TRAP_MEMORY_OOB);
        if (n) memmove(mem + d, mem + src, n);
        pc += 3;
        NEXT();
    }
    L_IOP_MEMORY_INIT : {
        isorun_trap_code t = wasm_op_memory_init(inst, B2, U32(A1), U32(B1), U32(A2));
        if (t != ISORUN_TRAP_NONE) TRAP(t);
        pc += 3;
        NEXT();
    }
    L_IOP_DATA_DROP : {
        inst->data_lens[A1] = 0;
        pc += 2;
        NEXT();
    }

    /* ---- tables and references ---------------------------------------- */
    L_IOP_TABLE_GET : {
        const wasm_table *t = inst->tables[A2];
        uint32_t i = U32(B1);
        if (i >= t->size) TRAP(ISORUN_TRAP_TABLE_OOB);
        fp[A1] = t->elems[i];
        pc += 3;
        NEXT();
    }
    L_IOP_TABLE_SET : {
        wasm_table *t = inst->tables[A2];
        uint32_t i = U32(A1);
        if (i >= t->size) TRAP(ISORUN_TRAP_TABLE_OOB);
        t->elems[i] = fp[B1];
        pc += 3;
        NEXT();
    }
    L_IOP_TABLE_SIZE : {
        fp[A1] = inst->tables[B1]->size;
        pc += 2;
        NEXT();
    }
    L_IOP_TABLE_GROW : {
        int64_t old = wasm_table_grow(s, inst->tables[B2], U32(A2), fp[B1]);
        if (ISR_UNLIKELY(old == -2)) { /* the store's budget said no */
            if (s->cfg.trap_on_grow_failure) TRAP(ISORUN_TRAP_RESOURCE_LIMIT);
            old = -1;
        }
        fp[A1] = (uint32_t)old;
        pc += 3;
        NEXT();
    }
    L_IOP_TABLE_FILL : {
        wasm_table *t = inst->tables[B2];
        uint32_t i = U32(A1), n = U32(A2);
        if ((uint64_t)i + n > t->size) TRAP(ISORUN_TRAP_TABLE_OOB);
        for (uint32_t k = 0; k < n; k++) t->elems[i + k] = fp[B1];
        pc += 3;
        NEXT();
    }
    L_IOP_TABLE_COPY : {
        wasm_table *dt = inst->tables[pc[3].p.a];
        const wasm_table *st = inst->tables[pc[3].p.b];
        uint32_t d = U32(A1), src = U32(B1), n = U32(A2);
        if ((uint64_t)d + n > dt->size || (uint64_t)src + n > st->size) TRAP(ISORUN_TRAP_TABLE_OOB);
        if (n) memmove(dt->elems + d, st->elems + src, (size_t)n * sizeof(wasm_slot));
        pc += 4;
        NEXT();
    }
    L_IOP_TABLE_INIT : {
        isorun_trap_code t = wasm_op_table_init(inst, pc[3].p.a, B2, U32(A1), U32(B1), U32(A2));
        if (t != ISORUN_TRAP_NONE) TRAP(t);
        pc += 4;
        NEXT();
    }
    L_IOP_ELEM_DROP : {
        inst->elem_counts[A1] = 0;
        pc += 2;
        NEXT();
    }
    L_IOP_REF_FUNC : {
        fp[A1] = (wasm_slot)(uintptr_t)inst->funcs[B1];
        pc += 2;
        NEXT();
    }
    L_IOP_REF_IS_NULL : {
        fp[A1] = fp[B1] == 0;
        pc += 2;
        NEXT();
    }

    /* ---- variables and parametric ------------------------------------- */
    L_IOP_COPY : {
        fp[A1] = fp[B1];
        pc += 2;
        NEXT();
    }
    L_IOP_COPY_V128 : {
        wasm_slot lo = fp[B1], hi = fp[B1 + 1]; /* the two may overlap by a slot */
        fp[A1] = lo;
        fp[A1 + 1] = hi;
        pc += 2;
        NEXT();
    }
    L_IOP_SELECT : {
        fp[A1] = U32(B1) ? fp[A2] : fp[B2];
        pc += 3;
        NEXT();
    }
    L_IOP_SELECT_V128 : {
        uint32_t from = U32(B1) ? A2 : B2;
        wasm_slot lo = fp[from], hi = fp[from + 1];
        fp[A1] = lo;
        fp[A1 + 1] = hi;
        pc += 3;
        NEXT();
    }
    L_IOP_GLOBAL_GET : {
        fp[A1] = inst->globals[B1]->value;
        pc += 2;
        NEXT();
    }
    L_IOP_GLOBAL_SET : {
        inst->globals[B1]->value = fp[A1];
        pc += 2;
        NEXT();
    }
    L_IOP_GLOBAL_GET_V128 : {
        const wasm_global *g = inst->globals[B1];
        fp[A1] = g->value;
        fp[A1 + 1] = g->value_hi;
        pc += 2;
        NEXT();
    }
    L_IOP_GLOBAL_SET_V128 : {
        wasm_global *g = inst->globals[B1];
        g->value = fp[A1];
        g->value_hi = fp[A1 + 1];
        pc += 2;
        NEXT();
    }

    /* ---- control ------------------------------------------------------ */
    L_IOP_UNREACHABLE : TRAP(ISORUN_TRAP_UNREACHABLE);
    L_BAD : TRAP(ISORUN_TRAP_UNREACHABLE); /* never emitted by the compiler */
    L_IOP_BR : {
        pc = &pc[1] + pc[1].i64;
        NEXT();
    }
    L_IOP_BR_BACK : {
        CHECK(pc[2].p.a);
        pc = &pc[1] + pc[1].i64;
        NEXT();
    }
    L_IOP_BR_IF : {
        if (U32(A1)) {
            pc = &pc[2] + pc[2].i64;
        } else {
            pc += 3;
        }
        NEXT();
    }
    L_IOP_BR_IF_BACK : {
        if (U32(A1)) {
            CHECK(B1);
            pc = &pc[2] + pc[2].i64;
        } else {
            pc += 3;
        }
        NEXT();
    }
    L_IOP_BR_UNLESS : {
        if (!U32(A1)) {
            pc = &pc[2] + pc[2].i64;
        } else {
            pc += 3;
        }
        NEXT();
    }
    L_IOP_BR_TABLE : {
        uint32_t i = U32(A1), n = B1;
        if (i > n) i = n;
        pc = &pc[2 + i] + pc[2 + i].i64;
        NEXT();
    }
#define FUSED_BR(name, T, get, cond)                                           \
    L_IOP_##name : {                                                           \
        T a = get(A1), b = get(B1);                                            \
        (void)b;                                                               \
        if (cond) {                                                            \
            int64_t rel = pc[2].i64;                                           \
            if (rel < 0) CHECK(pc[3].p.a);                                     \
            pc = &pc[2] + rel;                                                 \
        } else {                                                               \
            pc += 4;                                                           \
        }                                                                      \
        NEXT();                                                                \
    }
    FUSED_BR(BR_IF_I32_EQZ, uint32_t, U32, a == 0)
#define FUSED_COMPARE(cmp, inverse, c_op, type) FUSED_BR(BR_IF_I32_##cmp, type, (type)U32, a c_op b)
    WASM_FUSED_COMPARES(FUSED_COMPARE)
#undef FUSED_COMPARE

    {
        const wasm_func *callee;
        wasm_slot *args;
        const wasm_cell *next_pc;

    L_IOP_CALL:
        callee = inst->funcs[A1];
        args = fp + B1;
        next_pc = pc + 2;
        goto do_call;

    L_IOP_CALL_INDIRECT : {
        const wasm_table *t = inst->tables[B1];
        uint32_t i = U32(A2);
        if (i >= t->size) TRAP(ISORUN_TRAP_UNDEFINED_ELEMENT);
        callee = (const wasm_func *)(uintptr_t)t->elems[i];
        if (!callee) TRAP(ISORUN_TRAP_UNINITIALIZED_ELEMENT);
        if (!wasm_functype_equal(callee->type, &inst->module->types[A1]))
            TRAP(ISORUN_TRAP_INDIRECT_TYPE_MISMATCH);
        args = fp + B2;
        next_pc = pc + 3;
        goto do_call;
    }

    do_call:
        if (callee->code) {
            const wasm_code *code = callee->code;
            const wasm_func *caller = cur;
            cur = callee; /* a trap on entry (stack, fuel) names the callee, as in native code */
            if (ISR_UNLIKELY(depth >= max_depth || (size_t)(stack_end - args) < code->frame_slots))
                TRAP(ISORUN_TRAP_STACK_EXHAUSTED);
            CHECK(code->fuel_cost);
            frames[depth].ret_pc = next_pc;
            frames[depth].fp = fp;
            frames[depth].inst = inst;
            frames[depth].func = caller;
            depth++;
            fp = args;
            init_frame(code, fp);
            pc = code->cells;
            if (callee->inst != inst) {
                inst = callee->inst;
                LOAD_MEM();
            }
            NEXT();
        }
        /* host function: arguments and results in place */
        {
            const wasm_functype *ft = callee->type;
            uint32_t np = wasm_functype_param_slots(ft), nr = wasm_functype_result_slots(ft);
            uint32_t width = np > nr ? np : nr;
            if (!callee->native) CHECK(1); /* native code charges its own entry, as interpreted code does */
            s->depth = depth;
            s->fuel = fuel;
            wasm_slot *saved_top = s->stack_top;
            s->stack_top = args + width;
            wasm_call_ctx ctx = {s, inst};
            isorun_error *err = callee->host(&ctx, callee->env, args);
            s->stack_top = saved_top;
            if (s->fuel_enabled) fuel = s->fuel;
            RELOAD_MEM();
            if (err) {
                host_err = err;
                goto trapped;
            }
            pc = next_pc;
            NEXT();
        }
    }

    L_IOP_RETURN : {
        if (--depth == entry_depth) goto done;
        const wasm_frame *fr = &frames[depth];
        pc = fr->ret_pc;
        fp = fr->fp;
        cur = fr->func;
        if (fr->inst != inst) {
            inst = fr->inst;
            LOAD_MEM();
        } else {
            RELOAD_MEM();
        }
        NEXT();
    }

done:
    s->depth = entry_depth;
    if (s->fuel_enabled) s->fuel = fuel < 0 ? 0 : fuel;
    return NULL;

trapped:
    s->depth = entry_depth;
    if (s->fuel_enabled) s->fuel = fuel < 0 ? 0 : fuel;
    if (host_err) {
        if (host_err->code == ISORUN_ERR_TRAP || host_err->code == ISORUN_ERR_EXIT) return host_err;
        isorun_error *e = isr_trap(ISORUN_TRAP_HOST, "%s", isorun_error_message(host_err));
        if (e != isr_error_nomem()) e->rpc_status = host_err->rpc_status; /* a remote link's failure stays visible */
        isorun_error_free(host_err);
        return e;
    }
    {
        char buf[32];
        return isr_trap(trap, "in function %s", func_label(cur, buf, sizeof buf));
    }
#undef NEXT
#undef TRAP
}

const void *const *wasm_interp_handlers(void) {
    const void *const *table = NULL;
    run(NULL, NULL, NULL, &table);
    return table;
}

/* ------------------------------------------------------------------------
 * Entry from the host
 * ------------------------------------------------------------------------ */

static bool ensure_stack(wasm_store *s) {
    if (s->stack) return true;
    /* Not zeroed: the interpreter writes every slot before reading it (frames
     * set their locals and constants on entry), and untouched pages of a
     * large block then cost nothing. */
    s->stack = malloc((size_t)s->cfg.stack_slots * sizeof(wasm_slot));
    s->frames = malloc(((size_t)s->cfg.max_call_depth + 1) * sizeof(wasm_frame));
    if (!s->stack || !s->frames) {
        free(s->stack);
        free(s->frames);
        s->stack = NULL;
        s->frames = NULL;
        return false;
    }
    s->stack_top = s->stack;
    return true;
}

static bool is_32bit(uint8_t t) { return t == WASM_I32 || t == WASM_F32; }

isorun_error *wasm_call(wasm_store *s, wasm_func *f, const wasm_slot *args, wasm_slot *results) {
    if (!s || !f) return isr_error(ISORUN_ERR_ARGUMENT, "wasm_call: no store or function");
    if (!ensure_stack(s)) return isr_error_nomem();
    if (s->nesting >= WASM_MAX_NESTING) return isr_trap(ISORUN_TRAP_STACK_EXHAUSTED, "too many nested host calls");
    const wasm_functype *ft = f->type;
    uint32_t np = wasm_functype_param_slots(ft), nr = wasm_functype_result_slots(ft);
    uint32_t width = np > nr ? np : nr;
    uint32_t need = f->code ? f->code->frame_slots : width;
    wasm_slot *base = s->stack_top;
    if ((size_t)(s->stack + s->cfg.stack_slots - base) < need) return isr_trap(ISORUN_TRAP_STACK_EXHAUSTED, NULL);
    const uint8_t *ptypes = wasm_functype_params(ft);
    for (uint32_t i = 0, at = 0; i < ft->nparams; i++) {
        base[at] = is_32bit(ptypes[i]) ? (uint32_t)args[at] : args[at];
        if (ptypes[i] == WASM_V128) base[at + 1] = args[at + 1];
        at += wasm_valtype_slots(ptypes[i]);
    }

    s->nesting++;
    wasm_slot *saved_top = s->stack_top;
    s->stack_top = base + need;
    isorun_error *err;
    if (f->code) {
        err = run(s, f, base, NULL);
    } else {
        wasm_call_ctx ctx = {s, NULL};
        err = f->host(&ctx, f->env, base);
    }
    s->stack_top = saved_top;
    s->nesting--;
    if (!err && results)
        for (uint32_t i = 0; i < nr; i++) results[i] = base[i];
    return err;
}
