/*
 * gen_body.h — the body generator's state (gen_body.c), shared with the
 * part that writes table, reference, bulk-memory and import instructions
 * (gen_refs.c). Not for use outside the generator.
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
    uint32_t scratch[GEN_NUM_ALL_TYPES]; /* one local per type for reshuffling results (refs: NO_LOCAL until used) */
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

#endif /* ISORUN_FUZZ_GEN_BODY_H */
