/*
 * gen_internal.h — what the module generator's two halves share: the
 * module-level facts (gen_module.c decides them and writes the sections)
 * that the body generator (gen_body.c) reads while it writes code.
 */
#ifndef ISORUN_FUZZ_GEN_INTERNAL_H
#define ISORUN_FUZZ_GEN_INTERNAL_H

#include "gen_module.h"
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
    GEN_NUM_ALL_TYPES = 7, /* and funcref, externref, v128 (v128 in SIMD modules only) */
    GEN_MAX_IMPORTS = 12,
    GEN_NUM_TABLES = 3,    /* 0: funcref (call_indirect's), 1: funcref, 2: externref */
    GEN_MAX_SEGS = 5,      /* element segments */
    GEN_MAX_SEG_LEN = 10,
};

/* The host functions a module may import from "env" (diff_host.c
 * implements them, with these signatures). */
enum {
    GEN_HOST_MIX,      /* (i32, i64) -> i32: mixes its arguments with a call counter */
    GEN_HOST_TRAP,     /* (i32) -> i32: traps when the argument is a multiple of 4 */
    GEN_HOST_CALLBACK, /* (i32) -> i32: calls the caller's export "f0" back */
    GEN_HOST_EXT,      /* (i32) -> externref: an opaque host value (null for 0) */
    GEN_HOST_COUNT_
};

/* One import: where it comes from, what it is. */
typedef struct gen_import {
    const char *module; /* "env" (the host) or "b" (the other instance) */
    char name[16];
    uint8_t kind;       /* WASM_EXTERN_* */
    uint32_t type;      /* FUNC: type index; GLOBAL: the value type */
    bool mut;           /* GLOBAL */
} gen_import;

/* An element segment. */
typedef struct gen_seg {
    uint8_t mode;     /* 0 active, 1 passive, 2 declarative */
    uint8_t elem;     /* WASM_FUNCREF or WASM_EXTERNREF */
    bool exprs;       /* elements as expressions (ref.func / ref.null) */
    uint32_t table, offset; /* active */
    uint32_t len;
    uint32_t funcs[GEN_MAX_SEG_LEN]; /* function indices; UINT32_MAX: ref.null */
} gen_seg;

typedef struct gen_type {
    uint8_t nparams, nresults;
    uint8_t t[GEN_MAX_SIG]; /* params, then results */
} gen_type;

typedef struct gen_mod {
    gen_source *src;
    /* A SIMD module: v128 among its value types (signatures, locals,
     * blocks, two more globals, an imported global) and vector
     * instructions in its code. Otherwise it has no v128 anywhere. */
    bool simd;
    gen_type types[GEN_MAX_TYPES];
    uint32_t ntypes;
    uint32_t nfuncs; /* defined ones */
    uint32_t func_type[GEN_MAX_FUNCS];
    /* Imports, in index-space order within each kind: defined functions
     * follow func_base imported ones, defined globals global_base. */
    gen_import imports[GEN_MAX_IMPORTS];
    uint32_t nimports, func_base, global_base;
    uint32_t host_func[GEN_HOST_COUNT_]; /* function index of each host import; UINT32_MAX when absent */
    bool mem_imported, table0_imported;
    /* Tables 1 and 2 (table 0 is table_size, fixed). */
    uint32_t table_min[GEN_NUM_TABLES], table_max[GEN_NUM_TABLES];
    bool table_has_max[GEN_NUM_TABLES];
    gen_seg segs[GEN_MAX_SEGS];
    uint32_t nsegs;
    uint32_t passive_data_len; /* data segment 1, passive */
    /* A signature no function need have: call_indirect through it traps
     * with a type mismatch unless a function happens to match. */
    uint32_t decoy_type;
    uint32_t nglobals; /* GEN_GLOBALS_PER_TYPE of each type, references too (v128 only when simd), in gen_valtypes order */
    uint32_t mem_min, mem_max;
    bool mem_has_max;
    uint32_t table_size;
    /* The element segment: elem_funcs[0..elem_count) from elem_offset on. */
    uint32_t elem_offset, elem_count;
    uint32_t elem_funcs[GEN_MAX_FUNCS + 3];
    bool oom; /* a buffer could not grow: the module is abandoned */
    gen_counts *counts; /* NULL, or where to count what is generated (gen_module.h) */
} gen_mod;

/* The numeric types, then the reference types, then v128
 * (GEN_NUM_ALL_TYPES): a type's place in this list is its "slot". */
extern const uint8_t gen_valtypes[GEN_NUM_ALL_TYPES];

static inline bool gen_is_ref(uint8_t t) { return t == WASM_FUNCREF || t == WASM_EXTERNREF; }

/* A value type for a signature, block type or local: mostly numeric
 * (0, an exhausted stream, is i32), sometimes funcref or externref, and
 * in a SIMD module sometimes v128. */
uint8_t gen_random_valtype(gen_source *s, bool simd);

/* The index of the type params -> results, added if new; UINT32_MAX when
 * the type table is full. */
uint32_t gen_intern_type(gen_mod *m, const uint8_t *params, uint32_t nparams, const uint8_t *results,
                         uint32_t nresults);

/* Decides everything but the function bodies (gen_plan.c). With a
 * provider (the first module of a pair), m imports from it. */
void gen_plan_module(gen_mod *m, const gen_mod *provider);

/* The type of defined global g (counted from the first defined one). */
static inline uint8_t gen_global_type(uint32_t g) { return gen_valtypes[g / GEN_GLOBALS_PER_TYPE]; }

/* The element type of table t. */
static inline uint8_t gen_table_elem(uint32_t t) { return t == 2 ? WASM_EXTERNREF : WASM_FUNCREF; }

/* All functions, imported and defined. */
static inline uint32_t gen_func_count(const gen_mod *m) { return m->func_base + m->nfuncs; }

/* The type index of function `index` in the function index space. */
uint32_t gen_func_type_of(const gen_mod *m, uint32_t index);

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
