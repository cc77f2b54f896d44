/*
 * gen_body.h — the body generator's state (gen_body.c), shared with the
 * parts that write table, reference, bulk-memory and import instructions
 * (gen_refs.c) and vector instructions (gen_simd.c). Not for use outside
 * the generator.
 */
#ifndef ISORUN_FUZZ_GEN_BODY_H
#define ISORUN_FUZZ_GEN_BODY_H

#include "gen_internal.h"

enum { FR_FUNC, FR_BLOCK, FR_LOOP, FR_IF };

enum {
    MAX_LOCALS = 40,
    MAX_FRAMES = 12,
    MAX_NEST = 6,  /* frames at which no further block is opened */
    MAX_DEPTH = 10, /* recursion of gen_value / gen_stmt */
    NO_LOCAL = UINT32_MAX,
    NO_FRAME = UINT32_MAX,
    NO_SLOT = UINT32_MAX,
};

typedef struct frame {
    uint8_t kind;
    uint8_t nlabel; /* a branch to it takes these: a loop's params, others' results */
    uint8_t label[GEN_MAX_SIG];
    uint32_t counter; /* FR_LOOP: the local bounding its back-edges */
} frame;

typedef struct body {
    gen_mod *m;
    gen_source *s;
    isr_buf *code;
    const gen_type *ft;
    uint32_t func; /* its index */
    uint8_t local_type[MAX_LOCALS];
    bool reserved[MAX_LOCALS]; /* loop counters: never a random target */
    uint32_t nlocals, nparams;
    uint32_t scratch[GEN_NUM_ALL_TYPES]; /* one local per type for reshuffling results (refs, v128: NO_LOCAL until used) */
    frame frames[MAX_FRAMES];
    uint32_t nframes;
    int budget;     /* instructions still to spend; then only leaves */
    uint32_t depth; /* current recursion */
    /* Instructions of opcodes.h's numeric (N) entries, by kind. */
    uint16_t arith[GEN_NUM_TYPES][WASM_OP_COUNT_]; /* by result type */
    uint32_t narith[GEN_NUM_TYPES];
    uint16_t loads[GEN_NUM_TYPES][16];
    uint32_t nloads[GEN_NUM_TYPES];
    uint16_t stores[16];
    uint32_t nstores;
    /* Instructions of opcodes_simd.h (gen_simd.c sorts them). */
    uint16_t vexact[WASM_OP_COUNT_];  /* a v128 whose bits its operands' bits determine */
    uint32_t nvexact;
    uint16_t vfloat[2][64];           /* a v128 of f32x4 [0] or f64x2 [1] lanes, NaNs' bits open */
    uint32_t nvfloat[2];
    uint16_t vscalar[GEN_NUM_TYPES][32]; /* a scalar from a v128 (extract_lane, bitmask, tests), by type */
    uint32_t nvscalar[GEN_NUM_TYPES];
    uint16_t vloads[32];              /* every vector load, lane loads included */
    uint32_t nvloads;
    uint16_t vstores[16];             /* v128.store and the lane stores */
    uint32_t nvstores;
} body;

/* gen_body.c's writers, for gen_refs.c: an instruction, its immediates,
 * an i32 constant; code leaving one more value of type t (or several);
 * drops; keeping only types[k] of n values; a small count operand; whether
 * the budget or depth says to write only leaves now. */
void gb_op(body *b, wasm_op o);
void gb_byte(body *b, uint8_t v);
void gb_u32(body *b, uint32_t v);
void gb_i32(body *b, uint32_t v);
void gb_value(body *b, uint8_t t);
void gb_values(body *b, const uint8_t *types, uint32_t n);
void gb_drop(body *b, uint32_t n);
void gb_keep_only(body *b, const uint8_t *types, uint32_t n, uint32_t k);
void gb_count(body *b, uint32_t small);
bool gb_stop(const body *b);
/* For gen_simd.c: a value whose bits are determined (gen_body.c's
 * gen_exact); a constant; the scratch local of type t; a memory address
 * and the memarg of load or store o. */
void gb_exact(body *b, uint8_t t);
void gb_const(body *b, uint8_t t);
uint32_t gb_scratch(body *b, uint8_t t);
void gb_addr(body *b);
void gb_memarg(body *b, wasm_op o);

/* gen_refs.c: a statement over tables, references, passive segments or
 * imported functions (the stack as it was); code leaving one more t from
 * such instructions, false (nothing written) when none gives a t; and
 * code leaving one reference of type elem (funcref or externref). */
void gen_ref_stmt(body *b);
bool gen_ref_value(body *b, uint8_t t);
void gen_ref(body *b, uint8_t elem);
/* A short reference, usually not null (for when gb_stop says to write
 * only leaves, among others): a reference parameter, ref.func, ext of a
 * constant, table.get at a constant index in bounds. */
void gen_ref_leaf(body *b, uint8_t elem);

/* gen_simd.c: the vector instructions, and v128 values under the same
 * rule as scalar floats (see gen_simd.c): the bits of a NaN that float
 * arithmetic made are left open by the specification, so they never reach
 * memory, integers or other lane shapes.
 *   gen_simd_init      sorts opcodes_simd.h's entries into the lists above
 *   gen_simd_v128      a v128 from a vector instruction (NaN bits open)
 *   gen_simd_exact     a v128 whose bits are determined
 *   gen_simd_load      a v128 from a vector load
 *   gen_simd_scalar    a scalar of type t from a vector instruction;
 *                      false (nothing written) when none gives a t
 *   gen_simd_exact_scalar  an f32 or f64 lane of a determined v128
 *   gen_simd_stmt      a vector store, or a write of the imported v128
 *                      global (the stack as it was) */
void gen_simd_init(body *b);
void gen_simd_v128(body *b);
void gen_simd_exact(body *b);
void gen_simd_load(body *b);
bool gen_simd_scalar(body *b, uint8_t t);
void gen_simd_exact_scalar(body *b, uint8_t t);
void gen_simd_stmt(body *b);

#endif /* ISORUN_FUZZ_GEN_BODY_H */
