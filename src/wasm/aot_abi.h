/*
 * aot_abi.h — the contract between native code generated from a module
 * (aot_emit.c) and the engine that loads and calls it (aot_run.c).
 *
 * The generated C embeds this file's text, so it must stay self-contained
 * (<stdint.h> only). The engine includes it too, and internal.h checks with
 * static assertions that the structures mirrored here (leading members of
 * wasm_memory, wasm_table, wasm_global, wasm_func) have the same layout.
 *
 * A generated shared object exports one symbol, ISR_AOT_SYMBOL, of type
 * isr_aot_module_desc. Each defined function N of the module becomes
 *   - a typed C function f_N(ctx, fuel, depth, param slots...) returning
 *     an isr_aot_ret (its result if it takes one slot, and the fuel left;
 *     results taking more slots are written through a trailing uint64_t
 *     *out instead), called directly by other generated functions and by
 *     call_indirect's fast path;
 *   - an entry e_N(ctx, io) with arguments in io[0..param slots) and results
 *     written to io[0..result slots), for the engine.
 * Every value travels as a uint64_t slot, as in the interpreter (i32/f32 in
 * the low 32 bits, zero-extended; references as pointers), and a v128 as two
 * (bytes 0-7, then 8-15): parameters, results and io arrays count slots, so
 * f_N's results go through `out` whenever they take more than one slot.
 */
#ifndef ISORUN_WASM_AOT_ABI_H
#define ISORUN_WASM_AOT_ABI_H

#include <stdint.h>

/* Bumped whenever anything below or the meaning of generated code changes:
 * cached objects built for another version are never loaded. */
#define ISR_AOT_ABI_VERSION 4u
#define ISR_AOT_SYMBOL isorun_aot_module_v4

typedef struct isr_aot_ctx isr_aot_ctx;

/* What f_N returns: two registers on x86-64 and AArch64. */
typedef struct isr_aot_ret {
    uint64_t v;   /* the result when it takes one slot, or 0 */
    int64_t fuel; /* fuel left */
} isr_aot_ret;

/* Leading members of the engine's wasm_memory. */
typedef struct isr_aot_memory {
    uint8_t *data;
    uint64_t size; /* bytes */
    uint32_t pages;
} isr_aot_memory;

/* Leading members of wasm_table: elements are wasm_func pointers (funcref)
 * or opaque references, as slots; 0 is null. */
typedef struct isr_aot_table {
    uint64_t *elems;
    uint32_t size;
} isr_aot_table;

/* Leading members of wasm_global: a v128 global keeps bytes 0-7 in value
 * and bytes 8-15 in value_hi. */
typedef struct isr_aot_global {
    uint64_t value;
    uint64_t value_hi;
} isr_aot_global;

/* Leading members of wasm_func: a function defined by natively compiled code
 * carries its typed entry, its instance's context and its signature's
 * canonical index in that module (the first type index structurally equal to
 * its type), so call_indirect within one instance calls it directly. */
typedef struct isr_aot_func {
    const void *native; /* f_N, or NULL for any other function */
    isr_aot_ctx *ctx;
    uint32_t sig;
} isr_aot_func;

/* The engine's services. Each function taking `func` receives the index of
 * the calling function, for the trap message. Functions that can fail do not
 * return then: they end the whole native activation with the trap or error
 * (the engine unwinds to where it entered native code). */
typedef struct isr_aot_api {
    void (*trap)(isr_aot_ctx *ctx, int trap_code, uint32_t func) __attribute__((noreturn));
    /* Fuel below zero or the interrupt flag raised: traps (out of fuel,
     * interrupted, deadline) or, with fuel metering off, refills ctx->fuel. */
    void (*poll)(isr_aot_ctx *ctx, uint32_t func);
    /* Calls function `index` of the instance (an import, or any function the
     * engine must call itself) with io as in e_N. */
    void (*call)(isr_aot_ctx *ctx, uint32_t index, uint64_t *io, uint32_t func);
    /* call_indirect's general path: checks the element and its type. */
    void (*call_indirect)(isr_aot_ctx *ctx, uint32_t table, uint32_t elem, uint32_t type_index, uint64_t *io,
                          uint32_t func);
    uint32_t (*memory_grow)(isr_aot_ctx *ctx, uint32_t delta, uint32_t func);
    void (*memory_init)(isr_aot_ctx *ctx, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n, uint32_t func);
    void (*data_drop)(isr_aot_ctx *ctx, uint32_t seg);
    uint64_t (*table_get)(isr_aot_ctx *ctx, uint32_t table, uint32_t i, uint32_t func);
    void (*table_set)(isr_aot_ctx *ctx, uint32_t table, uint32_t i, uint64_t value, uint32_t func);
    uint32_t (*table_size)(isr_aot_ctx *ctx, uint32_t table);
    uint32_t (*table_grow)(isr_aot_ctx *ctx, uint32_t table, uint32_t n, uint64_t init, uint32_t func);
    void (*table_fill)(isr_aot_ctx *ctx, uint32_t table, uint32_t i, uint64_t value, uint32_t n, uint32_t func);
    void (*table_copy)(isr_aot_ctx *ctx, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src,
                       uint32_t n, uint32_t func);
    void (*table_init)(isr_aot_ctx *ctx, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n,
                       uint32_t func);
    void (*elem_drop)(isr_aot_ctx *ctx, uint32_t seg);
} isr_aot_api;

/* One per instance of a natively compiled module; the engine's own state
 * follows it (aot_run.c). Generated code reads and writes only these. */
struct isr_aot_ctx {
    /* Fuel left (INT64_MAX when not metered) and wasm frames in use, as of
     * the last entry or call out of native code; in between they travel in
     * f_N's arguments and results. */
    int64_t fuel;
    uint32_t depth;
    uint32_t max_depth;
    uintptr_t stack_limit; /* native frames must stay above this address */
    const int *interrupt;  /* nonzero: stop at the next check */
    isr_aot_memory *memory;   /* memory 0, or NULL */
    isr_aot_table **tables;   /* the instance's tables */
    isr_aot_global **globals; /* the instance's globals */
    isr_aot_func **funcs;     /* the instance's function index space */
    const isr_aot_api *api;
};

typedef void (*isr_aot_entry)(isr_aot_ctx *ctx, uint64_t *io);

/* What a generated object exports. */
typedef struct isr_aot_module_desc {
    uint32_t abi_version;     /* ISR_AOT_ABI_VERSION */
    uint32_t nfuncs;          /* defined functions */
    const isr_aot_entry *entries;  /* e_N */
    const void *const *natives;    /* f_N */
    /* The module it was built from, and the generator that built it (the
     * hash of the engine sources): an object is a self-contained, precompiled
     * module (wasm_module_load_native). */
    const uint8_t *wasm;
    uint64_t wasm_len;
    const char *generator;
} isr_aot_module_desc;

#endif /* ISORUN_WASM_AOT_ABI_H */
