/*
 * wasm.h — the core engine's face to the layers above (runtime, wasi, tools).
 *
 * Life cycle:
 *   wasm_module_new()   decode + validate + compile a binary (immutable,
 *                       reference counted, shareable between threads)
 *   wasm_store_new()    a store owns instances and every object they create
 *                       or share (functions, memories, tables, globals) and the
 *                       execution stack; one thread at a time uses a store
 *   wasm_instantiate()  link imports, create the instance, run segments and
 *                       the start function
 *   wasm_call()         run a function; traps come back as ISORUN_ERR_TRAP
 *   wasm_store_free()   frees everything the store owns
 *
 * Values cross this interface as 64-bit slots (wasm_slot): i32 in the low 32
 * bits (upper bits ignored on input, zero on output), i64 as is, f32/f64 as
 * their IEEE bit patterns, funcref as a wasm_func pointer (0 = null), externref
 * as an opaque 64-bit host value (0 = null). A v128 takes two consecutive
 * slots: bytes 0-7 (little-endian) first, then bytes 8-15. Arrays of values
 * (arguments, results, a host function's slots) are laid out back to back,
 * so a v128 shifts every value after it by two slots, not one.
 */
#ifndef ISORUN_WASM_H
#define ISORUN_WASM_H

#include "../util/util.h"
#include "opcodes.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t wasm_slot;

/* Value types, by their binary encoding. */
typedef enum wasm_valtype {
    WASM_I32 = 0x7F,
    WASM_I64 = 0x7E,
    WASM_F32 = 0x7D,
    WASM_F64 = 0x7C,
    WASM_V128 = 0x7B,
    WASM_FUNCREF = 0x70,
    WASM_EXTERNREF = 0x6F,
} wasm_valtype;

const char *wasm_valtype_name(uint8_t t); /* "i32", ... ; "?" when unknown */

/* Dense instruction numbering, in opcodes.h order. */
typedef enum wasm_op {
#define WASM_X_ENUM(name, code, text, imm, sig, kind) WASM_OP_##name,
    WASM_OPS(WASM_X_ENUM)
#undef WASM_X_ENUM
    WASM_OP_COUNT_
} wasm_op;

typedef enum wasm_imm_kind {
    WASM_IMM_NONE,
    WASM_IMM_BLOCKTYPE, /* blocktype */
    WASM_IMM_LABEL,     /* idx = label depth */
    WASM_IMM_BRTABLE,   /* br_table */
    WASM_IMM_FUNC,      /* idx = function index */
    WASM_IMM_CALLIND,   /* pair.a = type index, pair.b = table index */
    WASM_IMM_LOCAL,     /* idx */
    WASM_IMM_GLOBAL,    /* idx */
    WASM_IMM_TABLE,     /* idx */
    WASM_IMM_MEMARG,    /* mem.align (log2), mem.offset */
    WASM_IMM_MEM0,      /* a single 0x00 memory-index byte */
    WASM_IMM_I32,       /* i32 */
    WASM_IMM_I64,       /* i64 */
    WASM_IMM_F32,       /* f32 bits */
    WASM_IMM_F64,       /* f64 bits */
    WASM_IMM_SELECTT,   /* select_t: count (must be 1 to validate) and type */
    WASM_IMM_REFTYPE,   /* reftype */
    WASM_IMM_MEMINIT,   /* idx = data index, then a 0x00 byte */
    WASM_IMM_DATA,      /* idx = data index */
    WASM_IMM_MEMCOPY,   /* two 0x00 bytes */
    WASM_IMM_TABLEINIT, /* pair.a = elem index, pair.b = table index */
    WASM_IMM_ELEM,      /* idx = elem index */
    WASM_IMM_TABLECOPY, /* pair.a = dst table, pair.b = src table */
    WASM_IMM_V128,      /* bytes = the 16 bytes of the constant */
    WASM_IMM_SHUFFLE,   /* bytes = 16 lane indices, each < 32 to validate */
    WASM_IMM_LANE16,    /* lane: a lane index, < 16 to validate */
    WASM_IMM_LANE8,
    WASM_IMM_LANE4,
    WASM_IMM_LANE2,
    WASM_IMM_MEMLANE16, /* mem.align, mem.offset, then mem.lane < 16 */
    WASM_IMM_MEMLANE8,
    WASM_IMM_MEMLANE4,
    WASM_IMM_MEMLANE2,
} wasm_imm_kind;

/* Static facts about each instruction, from opcodes.h. */
typedef struct wasm_opinfo {
    uint32_t code;       /* binary opcode (0xFC00|sub, 0xFD000|sub for prefixed ones) */
    uint8_t imm;         /* wasm_imm_kind */
    bool numeric;        /* KIND N in opcodes.h */
    bool vector;         /* KIND V: a SIMD instruction */
    uint8_t nparams;     /* for numeric and vector ops: operand count */
    uint8_t nresults;    /* for numeric and vector ops: 0 or 1 */
    uint8_t params[3];   /* for numeric and vector ops: operand types */
    uint8_t result;      /* for numeric ops with a result */
    const char *name;    /* text-format name */
} wasm_opinfo;

extern const wasm_opinfo wasm_opinfos[WASM_OP_COUNT_];

/* Limits of a memory (in 64 KiB pages) or a table (in elements). */
typedef struct wasm_limits {
    uint32_t min;
    uint32_t max;
    bool has_max;
} wasm_limits;

typedef struct wasm_functype {
    uint32_t nparams;
    uint32_t nresults;
    uint8_t *types; /* nparams params, then nresults results (wasm_valtype) */
} wasm_functype;

static inline const uint8_t *wasm_functype_params(const wasm_functype *t) { return t->types; }

/* Slots one value of type t takes: 2 for v128, 1 for every other type. */
static inline uint32_t wasm_valtype_slots(uint8_t t) { return t == WASM_V128 ? 2u : 1u; }
/* Slots n values of the given types take, back to back. */
static inline uint32_t wasm_types_slots(const uint8_t *types, uint32_t n) {
    uint32_t slots = 0;
    for (uint32_t i = 0; i < n; i++) slots += wasm_valtype_slots(types[i]);
    return slots;
}
static inline uint32_t wasm_functype_param_slots(const wasm_functype *t) { return wasm_types_slots(t->types, t->nparams); }
static inline uint32_t wasm_functype_result_slots(const wasm_functype *t) {
    return wasm_types_slots(t->types + t->nparams, t->nresults);
}
static inline const uint8_t *wasm_functype_results(const wasm_functype *t) { return t->types + t->nparams; }
bool wasm_functype_equal(const wasm_functype *a, const wasm_functype *b);

typedef struct wasm_tabletype {
    uint8_t elem; /* WASM_FUNCREF or WASM_EXTERNREF */
    wasm_limits limits;
} wasm_tabletype;

typedef struct wasm_globaltype {
    uint8_t type; /* wasm_valtype */
    bool mut;
} wasm_globaltype;

typedef enum wasm_externkind {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_TABLE = 1,
    WASM_EXTERN_MEMORY = 2,
    WASM_EXTERN_GLOBAL = 3,
} wasm_externkind;

typedef struct wasm_import {
    char *module; /* NUL-terminated, valid UTF-8 (may contain NUL: use _len) */
    char *name;
    uint32_t module_len, name_len;
    wasm_externkind kind;
    union {
        uint32_t type_index; /* FUNC: index into module types */
        wasm_tabletype table;
        wasm_limits memory;
        wasm_globaltype global;
    } u;
} wasm_import;

typedef struct wasm_export {
    char *name;
    uint32_t name_len;
    wasm_externkind kind;
    uint32_t index;
} wasm_export;

/* ------------------------------------------------------------------------
 * Modules
 * ------------------------------------------------------------------------ */

typedef struct wasm_module wasm_module;

/* Decodes, validates and compiles a binary. The bytes are copied. Errors:
 * ISORUN_ERR_MALFORMED / ISORUN_ERR_INVALID with the byte offset and reason,
 * ISORUN_ERR_NOMEM. */
isorun_error *wasm_module_new(const uint8_t *bytes, size_t len, wasm_module **out);

/* The native tier. wasm_module_compile_native translates m's code to C,
 * builds it into a shared object with the system's C compiler (or reuses the
 * one cached for the same C and compiler command) and loads it; instances
 * created afterwards run natively, with the same semantics, traps and fuel
 * accounting as the interpreter. Call it before the first instantiation.
 * Errors: ISORUN_ERR_NATIVE (no compiler, compiler failure with its first
 * message lines, unusable cache directory), ISORUN_ERR_NOMEM. */
typedef struct wasm_native_options {
    /* Where built objects are kept (created 0700 if missing). NULL:
     * $XDG_CACHE_HOME/isorun/native, else $HOME/.cache/isorun/native. */
    const char *cache_dir;
    /* The C compiler command, split at spaces (e.g. "ccache gcc"). NULL: "cc". */
    const char *cc;
    /* Keep the generated .c beside the object (for reading or debugging). */
    bool keep_source;
    /* Called (when not NULL) just before a build starts, i.e. when no cached
     * object fits: building takes seconds, which a tool may want to say. */
    void (*on_build)(void *arg);
    void *on_build_arg;
} wasm_native_options;

isorun_error *wasm_module_compile_native(wasm_module *m, const wasm_native_options *opts);
/* wasm_module_new + wasm_module_compile_native, for a module that will only
 * run natively: when the object is in the cache, the code is not compiled
 * for the interpreter at all (a third of the load time of a cached module). */
isorun_error *wasm_module_new_native(const uint8_t *bytes, size_t len, const wasm_native_options *opts,
                                     wasm_module **out);
/* A native object is also a precompiled module: it carries the module's
 * bytes. wasm_module_load_native loads one (from the cache, or copied
 * anywhere, e.g. by `isorun compile -o`): the bytes are decoded, validated
 * and compiled as usual and the object's code attached, with no C compiler
 * involved. Loading an object runs code from it: only load objects you
 * built or trust, as you would an executable. Errors: ISORUN_ERR_NATIVE
 * (not an object, or built by a different build of isorun), and
 * wasm_module_new's. */
isorun_error *wasm_module_load_native(const char *path, wasm_module **out);
/* The file of m's native object, or NULL when m is interpreted. */
const char *wasm_module_native_path(const wasm_module *m);
/* Whether instances of m run natively. */
bool wasm_module_is_native(const wasm_module *m);

/* The declared limits of memory / table `index` (imports first), or NULL. */
const wasm_limits *wasm_module_memory_limits(const wasm_module *m, uint32_t index);
const wasm_limits *wasm_module_table_limits(const wasm_module *m, uint32_t index);

/* Reference counting (thread-safe). wasm_module_free drops one reference.
 * wasm_module_sole_owner: whether the caller's reference is the only one
 * (nobody else can then reach m, so its last user may let it go). */
bool wasm_module_sole_owner(const wasm_module *m);
wasm_module *wasm_module_ref(wasm_module *m);
void wasm_module_free(wasm_module *m);

uint32_t wasm_module_import_count(const wasm_module *m);
const wasm_import *wasm_module_import(const wasm_module *m, uint32_t i);
uint32_t wasm_module_export_count(const wasm_module *m);
const wasm_export *wasm_module_export(const wasm_module *m, uint32_t i);
const wasm_functype *wasm_module_type(const wasm_module *m, uint32_t type_index);
/* The type of function `func_index` in the module's function index space. */
const wasm_functype *wasm_module_func_type(const wasm_module *m, uint32_t func_index);
/* The function's name from the name section, or NULL. */
const char *wasm_module_func_name(const wasm_module *m, uint32_t func_index);

/* ------------------------------------------------------------------------
 * Stores and runtime objects
 * ------------------------------------------------------------------------ */

typedef struct wasm_store wasm_store;
typedef struct wasm_instance wasm_instance;
typedef struct wasm_func wasm_func;
typedef struct wasm_memory wasm_memory;
typedef struct wasm_table wasm_table;
typedef struct wasm_global wasm_global;

typedef struct wasm_store_config {
    uint32_t max_call_depth;   /* wasm frames; 0 = default (10000) */
    uint32_t stack_slots;      /* value-stack size in 8-byte slots; 0 = default (1 Mi) */
    uint32_t max_memory_pages; /* cap on any memory in this store; 0 = 65536 */
    uint32_t max_table_elems;  /* cap on any table in this store; 0 = 10 Mi */
    /* Optional: another thread sets *interrupt to WASM_INTERRUPT_STOP or
     * WASM_INTERRUPT_DEADLINE to stop running code with ISORUN_TRAP_INTERRUPTED
     * or ISORUN_TRAP_DEADLINE (checked at loop back-edges and calls). The
     * store never writes it. NULL = not interruptible from outside. */
    atomic_int *interrupt;
    /* Budgets over the whole store (0 = none). Creating a memory or table
     * beyond them fails; growing beyond them makes memory.grow/table.grow
     * return -1 (wasm_memory_grow/wasm_table_grow return -2 to tell a budget
     * refusal apart), or trap with ISORUN_TRAP_RESOURCE_LIMIT when
     * trap_on_grow_failure is set. wasm_instantiate refuses, with
     * ISORUN_ERR_LIMIT naming the limit, a module whose instance would exceed
     * any of them. */
    uint64_t max_memory_bytes;      /* sum of the store's memories' sizes */
    uint64_t max_table_elems_total; /* sum of the store's tables' sizes */
    uint32_t max_instances;         /* instances in the store */
    uint32_t max_tables;            /* tables in the store */
    uint32_t max_memories;          /* memories in the store */
    bool trap_on_grow_failure;
} wasm_store_config;

/* Values for *wasm_store_config.interrupt (0 = keep running). */
#define WASM_INTERRUPT_STOP 1
#define WASM_INTERRUPT_DEADLINE 2

/* cfg may be NULL for defaults. Returns NULL on OOM. */
wasm_store *wasm_store_new(const wasm_store_config *cfg);
void wasm_store_free(wasm_store *s);

/* Fuel: when enabled, every executed instruction costs one unit (charged per
 * straight-line block, at branches and calls); running out traps with
 * ISORUN_TRAP_OUT_OF_FUEL. Disabled by default. */
void wasm_store_set_fuel(wasm_store *s, bool enabled, uint64_t fuel);
uint64_t wasm_store_fuel(const wasm_store *s); /* remaining */

/* The sum of the store's memories' sizes in bytes, and of its tables' sizes in
 * elements. Safe to call from any thread while the store runs (a recent value). */
uint64_t wasm_store_memory_bytes(const wasm_store *s);
uint64_t wasm_store_table_elems(const wasm_store *s);

typedef struct wasm_extern {
    wasm_externkind kind;
    union {
        wasm_func *func;
        wasm_table *table;
        wasm_memory *memory;
        wasm_global *global;
    } u;
} wasm_extern;

/* What a host function sees of its caller. */
typedef struct wasm_call_ctx {
    wasm_store *store;
    wasm_instance *caller; /* the instance whose code made the call; NULL when the host calls directly */
} wasm_call_ctx;

/* A host function: reads its arguments from slots[0..param slots) and writes
 * its results to slots[0..result slots) (the array has room for both; see
 * wasm_functype_param_slots). Returns NULL, or an error that traps the caller
 * (an ISORUN_ERR_TRAP error keeps its trap code; any other error becomes
 * ISORUN_TRAP_HOST carrying the error's code and message; ISORUN_ERR_EXIT
 * unwinds all wasm frames and is returned by wasm_call as is). */
typedef isorun_error *(*wasm_host_fn)(wasm_call_ctx *ctx, void *env, wasm_slot *slots);

/* Creates objects owned by the store. The type is copied. NULL on OOM or bad
 * arguments (e.g. min > max). env_free (may be NULL) runs on env when the
 * store is freed. */
wasm_func *wasm_func_new_host(wasm_store *s, const wasm_functype *type, wasm_host_fn fn, void *env,
                              void (*env_free)(void *));
wasm_memory *wasm_memory_new(wasm_store *s, wasm_limits limits);
wasm_table *wasm_table_new(wasm_store *s, wasm_tabletype type, wasm_slot init);
wasm_global *wasm_global_new(wasm_store *s, wasm_globaltype type, wasm_slot value);

const wasm_functype *wasm_func_type(const wasm_func *f);

/* Memory access for the host (e.g. WASI): */
uint8_t *wasm_memory_data(wasm_memory *m);
uint64_t wasm_memory_size_bytes(const wasm_memory *m);
uint32_t wasm_memory_pages(const wasm_memory *m);
/* Grows by delta pages; returns the old size in pages, -1 when the limit
 * (the memory's max, the store's cap) or host memory does not allow it, or
 * -2 when the store's budget (max_memory_bytes) does not. */
int64_t wasm_memory_grow(wasm_store *s, wasm_memory *m, uint32_t delta);

uint32_t wasm_table_size(const wasm_table *t);
wasm_tabletype wasm_table_type(const wasm_table *t);
/* Bounds-checked element access; false when idx is out of range. */
bool wasm_table_get(const wasm_table *t, uint32_t idx, wasm_slot *out);
bool wasm_table_set(wasm_table *t, uint32_t idx, wasm_slot v);
/* Grows by delta elements filled with init; old size, -1 (limits, host
 * memory) or -2 (the store's budget, max_table_elems_total). */
int64_t wasm_table_grow(wasm_store *s, wasm_table *t, uint32_t delta, wasm_slot init);

wasm_globaltype wasm_global_type(const wasm_global *g);
wasm_slot wasm_global_get(const wasm_global *g);
void wasm_global_set(wasm_global *g, wasm_slot v); /* host may set immutable ones too */
/* The same for a global of any type: reads or writes its
 * wasm_valtype_slots(type) slots (two for a v128 global). */
void wasm_global_get_slots(const wasm_global *g, wasm_slot *out);
void wasm_global_set_slots(wasm_global *g, const wasm_slot *v);

/* ------------------------------------------------------------------------
 * Instances and calls
 * ------------------------------------------------------------------------ */

/* Instantiates m in s. imports[i] satisfies wasm_module_import(m, i), and
 * must match its kind and type (functions: equal signatures; tables and
 * memories: limits subtyping and equal element type; globals: equal type and
 * mutability) or the result is ISORUN_ERR_UNLINKABLE naming the import.
 * Segments are applied in order and then the start function runs; a trap there
 * is ISORUN_ERR_UNINSTANTIABLE (with the trap code), and - as the
 * specification says - writes already made to imported memories/tables stay.
 * On success *out is owned by the store. */
isorun_error *wasm_instantiate(wasm_store *s, wasm_module *m, const wasm_extern *imports, size_t nimports,
                               wasm_instance **out);

/* Looks up an export by name; false if absent. */
bool wasm_instance_export(const wasm_instance *inst, const char *name, wasm_extern *out);
/* The same for a name of len bytes (export names may contain NUL). */
bool wasm_instance_export_n(const wasm_instance *inst, const char *name, size_t len, wasm_extern *out);
wasm_module *wasm_instance_module(const wasm_instance *inst);
/* The instance's memory 0, or NULL. */
wasm_memory *wasm_instance_memory(const wasm_instance *inst);
/* Moves an interpreted instance to its module's native code, when the module
 * got native code after the instance was made (wasm_module_compile_native on
 * another thread: a background build). Only while none of the instance's code
 * runs. Results, traps and fuel are the same in both tiers, so the switch is
 * invisible but for speed. Returns whether the instance now runs natively. */
bool wasm_instance_tier_up(wasm_instance *inst);

/* Calls f with args (wasm_functype_param_slots slots), writing its results
 * (wasm_functype_result_slots slots) to results. Errors: ISORUN_ERR_TRAP with a trap code (the message names the
 * function where the name is known), ISORUN_ERR_EXIT from a host function.
 * The store stays usable after a trap. Re-entrant from host functions. */
isorun_error *wasm_call(wasm_store *s, wasm_func *f, const wasm_slot *args, wasm_slot *results);

#endif /* ISORUN_WASM_H */
