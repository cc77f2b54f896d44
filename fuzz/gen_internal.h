/*
 * gen_internal.h — what the module generator's two halves share: the
 * module-level facts (gen_module.c decides them and writes the sections)
 * that the body generator (gen_body.c) reads while it writes code.
 */
#ifndef ISORUN_FUZZ_GEN_INTERNAL_H
#define ISORUN_FUZZ_GEN_INTERNAL_H

#include "gen_source.h"

#include "../src/wasm/wasm.h"

#include <stdbool.h>
#include <stdint.h>

enum {
    GEN_MAX_FUNCS = 6,
    GEN_MAX_PARAMS = 4,    /* of a function */
    GEN_MAX_RESULTS = 3,   /* of a function or block */
    GEN_MAX_SIG = 8,       /* params + results of any type */
    GEN_MAX_TYPES = 128,   /* function types plus block types */
    GEN_GLOBALS_PER_TYPE = 2,
    GEN_NUM_TYPES = 4,     /* i32 i64 f32 f64 */
};

typedef struct gen_type {
    uint8_t nparams, nresults;
    uint8_t t[GEN_MAX_SIG]; /* params, then results */
} gen_type;

typedef struct gen_mod {
    gen_source *src;
    gen_type types[GEN_MAX_TYPES];
    uint32_t ntypes;
    uint32_t nfuncs;
    uint32_t func_type[GEN_MAX_FUNCS];
    /* A signature no function need have: call_indirect through it traps
     * with a type mismatch unless a function happens to match. */
    uint32_t decoy_type;
    uint32_t nglobals; /* GEN_GLOBALS_PER_TYPE of each numeric type, in gen_valtypes order */
    uint32_t mem_min, mem_max;
    bool mem_has_max;
    uint32_t table_size;
    /* The element segment: elem_funcs[0..elem_count) from elem_offset on. */
    uint32_t elem_offset, elem_count;
    uint32_t elem_funcs[GEN_MAX_FUNCS + 3];
    bool oom; /* a buffer could not grow: the module is abandoned */
} gen_mod;

extern const uint8_t gen_valtypes[GEN_NUM_TYPES];

/* The index of the type params -> results, added if new; UINT32_MAX when
 * the type table is full. */
uint32_t gen_intern_type(gen_mod *m, const uint8_t *params, uint32_t nparams, const uint8_t *results,
                         uint32_t nresults);

/* The type of global g. */
static inline uint8_t gen_global_type(uint32_t g) { return gen_valtypes[g / GEN_GLOBALS_PER_TYPE]; }

/* Appends function `func`'s code-section entry body (its local
 * declarations, then its instructions and the final end) to out. */
void gen_function_body(gen_mod *m, uint32_t func, isr_buf *out);

/* Binary encoding helpers (they set m->oom on failure). */
void gen_put_byte(gen_mod *m, isr_buf *out, uint8_t byte);
void gen_put_u32(gen_mod *m, isr_buf *out, uint32_t v);
void gen_put_s32(gen_mod *m, isr_buf *out, int32_t v);
void gen_put_s64(gen_mod *m, isr_buf *out, int64_t v);
void gen_put_bytes(gen_mod *m, isr_buf *out, const void *p, size_t n);

#endif /* ISORUN_FUZZ_GEN_INTERNAL_H */
