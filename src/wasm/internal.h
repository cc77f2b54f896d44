/*
 * internal.h — the data structures shared by the files of src/wasm: the
 * decoded module, compiled code, and runtime objects. Not for other layers
 * (they use wasm.h).
 */
#ifndef ISORUN_WASM_INTERNAL_H
#define ISORUN_WASM_INTERNAL_H

#include "reader.h"
#include "wasm.h"

#include <stdatomic.h>

/* Engine limits beyond the specification's (checked by the decoder). */
#define WASM_MAX_LOCALS 50000u      /* params + declared locals of one function */
#define WASM_MAX_FUNC_VALUES 1000u  /* params, and results, of one function type (keeps
                                       validation linear: V8 has the same limit) */
#define WASM_MAX_PAGES 65536u       /* 4 GiB */
#define WASM_PAGE_SIZE 65536u
#define WASM_MAX_TABLE_ELEMS 10000000u

/* A constant expression of WebAssembly 2.0: one instruction then `end`. */
typedef struct wasm_constexpr {
    uint16_t op;    /* WASM_OP_I32_CONST, I64_CONST, F32_CONST, F64_CONST,
                       V128_CONST, REF_NULL, REF_FUNC or GLOBAL_GET */
    uint8_t type;   /* REF_NULL: the reference type */
    uint64_t value; /* constant bits (a v128's bytes 0-7), or the function/global index */
    uint64_t value_hi; /* V128_CONST: bytes 8-15 */
} wasm_constexpr;

typedef enum wasm_segmode { WASM_SEG_ACTIVE, WASM_SEG_PASSIVE, WASM_SEG_DECLARATIVE } wasm_segmode;

typedef struct wasm_elem_seg {
    uint8_t mode;    /* wasm_segmode */
    uint8_t type;    /* WASM_FUNCREF or WASM_EXTERNREF */
    uint32_t table;  /* active only */
    wasm_constexpr offset;
    uint32_t count;
    wasm_constexpr *items; /* count initialisers (ref.func i / ref.null t / global.get) */
} wasm_elem_seg;

typedef struct wasm_data_seg {
    uint8_t mode;    /* ACTIVE or PASSIVE */
    uint32_t memory;
    wasm_constexpr offset;
    const uint8_t *bytes; /* into the module's own copy of the binary */
    uint32_t len;
} wasm_data_seg;

/* One code cell of compiled code: a handler address or packed operands. */
typedef union wasm_cell {
    const void *handler;
    uint64_t u64;
    int64_t i64;
    struct {
        uint32_t a, b;
    } p;
} wasm_cell;

/* A compiled function body (see compile.c for the format). */
typedef struct wasm_code {
    wasm_cell *cells;
    size_t ncells;
    uint32_t nparams;     /* slots 0..nparams-1 (a v128 takes two) */
    uint32_t nlocals;     /* slots of params + declared locals */
    uint32_t nresults;    /* slots of the results */
    uint32_t frame_slots; /* locals + constants + deepest operand stack */
    uint32_t nconsts;     /* constants live in slots nlocals..nlocals+nconsts-1 */
    wasm_slot *consts;    /* their values, copied into the frame on entry */
    uint32_t fuel_cost;   /* instructions charged per call */
    uint32_t func_index;  /* in the module's function index space */
} wasm_code;

typedef struct wasm_func_def {
    uint32_t type_index;
    uint32_t nlocals;       /* declared locals, not counting params */
    uint8_t *local_types;   /* nlocals value types */
    const uint8_t *body;    /* the instructions, after the local declarations */
    const uint8_t *body_end;/* one past the final `end` */
    wasm_code code;         /* filled by the compiler */
} wasm_func_def;

struct wasm_module {
    atomic_int refcount;
    uint8_t *bytes; /* own copy of the binary; everything below points into it */
    size_t len;

    wasm_functype *types;
    uint32_t ntypes;

    wasm_import *imports;
    uint32_t nimports;

    /* Index spaces: imported entries first, then defined ones. */
    uint32_t nfuncs, nfunc_imports;
    uint32_t *func_type_index; /* nfuncs: type index of each function */
    wasm_func_def *func_defs;  /* nfuncs - nfunc_imports */

    uint32_t ntables, ntable_imports;
    wasm_tabletype *tables; /* ntables */

    uint32_t nmemories, nmemory_imports;
    wasm_limits *memories; /* nmemories */

    uint32_t nglobals, nglobal_imports;
    wasm_globaltype *globals;      /* nglobals */
    wasm_constexpr *global_inits;  /* nglobals - nglobal_imports */

    wasm_export *exports;
    uint32_t nexports;

    bool has_start;
    uint32_t start;

    wasm_elem_seg *elems;
    uint32_t nelems;

    wasm_data_seg *datas;
    uint32_t ndatas;
    bool has_data_count;
    uint32_t data_count;

    char **func_names; /* nfuncs entries or NULL; entries may be NULL */

    /* Native code (aot.h), or NULL: interpreted. Atomic: a background build
     * (wasm_module_compile_native on another thread) may publish it while
     * instances of the module run interpreted; it is set once, never changed. */
    _Atomic(struct wasm_aot_code *) aot;
    /* func_defs[].code is filled (wasm_compile). A module with native code
     * from the cache is never compiled: its instances never interpret. */
    bool compiled;
};

/* decode.c: parses the binary (bytes copied into m->bytes). Checks everything
 * the binary format requires (malformed), not validation rules. */
isorun_error *wasm_decode(const uint8_t *bytes, size_t len, wasm_module **out);
/* Frees a module's contents (not reference counted; used by wasm_module_free
 * and on decode failure). */
void wasm_module_destroy(wasm_module *m);

/* validate.c: validates a decoded module (ISORUN_ERR_INVALID on failure). */
isorun_error *wasm_validate(const wasm_module *m);

/* compile.c: translates every validated function body into m->func_defs[].code
 * and sets m->compiled. */
isorun_error *wasm_compile(wasm_module *m);

/* module.c: decodes and validates, without compiling (the native tier
 * compiles only when it has to translate the code). */
isorun_error *wasm_module_new_uncompiled(const uint8_t *bytes, size_t len, wasm_module **out);

/* ------------------------------------------------------------------------
 * Runtime objects
 * ------------------------------------------------------------------------ */

struct wasm_func {
    /* First, as aot_abi.h's isr_aot_func: set for natively compiled functions. */
    const void *native;
    void *native_ctx;
    uint32_t native_sig;
    const wasm_functype *type;
    wasm_instance *inst;      /* defining instance; NULL for host functions */
    const wasm_code *code;    /* compiled body; NULL for host functions */
    uint32_t index;           /* index in the defining module's function space */
    wasm_host_fn host;
    void *env;
    void (*env_free)(void *);
    wasm_functype owned_type; /* host functions: their own copy of the type */
};

struct wasm_memory {
    uint8_t *data;
    uint64_t size;      /* bytes = pages * 64 KiB */
    uint32_t pages;
    wasm_limits limits; /* declared limits (min = initial) */
};

struct wasm_table {
    wasm_slot *elems;
    uint32_t size;
    wasm_tabletype type;
};

struct wasm_global {
    wasm_slot value;    /* first member: compiled code reads it through the pointer */
    wasm_slot value_hi; /* a v128 global's bytes 8-15 (value holds 0-7) */
    wasm_globaltype type;
};

struct wasm_instance {
    wasm_store *store;
    wasm_module *module; /* holds a reference */
    wasm_func **funcs;   /* module->nfuncs */
    wasm_table **tables;
    wasm_memory **memories;
    wasm_global **globals;
    wasm_func *own_funcs; /* the defined functions' objects */
    /* Passive element segments' evaluated references; count 0 once dropped
     * (active and declarative segments are dropped after instantiation). */
    wasm_slot **elem_items;
    uint32_t *elem_counts;
    /* Data segments' remaining length: 0 once dropped. */
    uint32_t *data_lens;
    struct wasm_aot_instance *aot; /* native state (aot_run.c), or NULL */
};

/* One wasm activation on the store's call stack (used by the interpreter). */
typedef struct wasm_frame {
    const wasm_cell *ret_pc;
    wasm_slot *fp;
    wasm_instance *inst;
    const wasm_func *func;
} wasm_frame;

struct wasm_store {
    wasm_store_config cfg;

    /* Everything the store owns, freed with it. */
    wasm_instance **instances;
    size_t ninstances, cap_instances;
    wasm_func **host_funcs;
    size_t nhost_funcs, cap_host_funcs;
    wasm_memory **memories;
    size_t nmemories, cap_memories;
    wasm_table **tables;
    size_t ntables, cap_tables;
    wasm_global **globals;
    size_t nglobals, cap_globals;

    /* Totals over the store's memories (bytes) and tables (elements), kept
     * up to date by store.c; atomics so other threads may read them while
     * the store runs (usage reports). */
    atomic_uint_least64_t memory_bytes;
    atomic_uint_least64_t table_elems;

    /* Execution state (interp.c). */
    wasm_slot *stack;      /* cfg.stack_slots slots, allocated on first call */
    wasm_slot *stack_top;  /* first free slot (nested calls from host functions start here) */
    wasm_frame *frames;    /* cfg.max_call_depth frames */
    uint32_t depth;        /* frames in use */
    uint32_t nesting;      /* wasm_call activations on the C stack */
    bool fuel_enabled;
    int64_t fuel;
};

/* Runtime operations shared by instantiation and the interpreter
 * (instance.c). Each returns ISORUN_TRAP_NONE or the trap. */
isorun_trap_code wasm_op_table_init(wasm_instance *inst, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src,
                                    uint32_t n);
isorun_trap_code wasm_op_memory_init(wasm_instance *inst, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
/* Evaluates a constant expression in the context of inst (whose globals and
 * functions before this point are set up). */
wasm_slot wasm_eval_const(const wasm_instance *inst, const wasm_constexpr *e);

/* interp.c: "NAME" from the name section, or "#index", for trap messages. */
const char *wasm_func_label(const wasm_instance *inst, uint32_t index, char *buf, size_t n);

/* interp.c: the interpreter's handler table (label addresses), indexed by
 * wasm_iop (compile.h). */
const void *const *wasm_interp_handlers(void);

#endif /* ISORUN_WASM_INTERNAL_H */
