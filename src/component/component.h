/*
 * component.h — the component layer's face: the component model's value
 * types (a tree of cm_type nodes), their canonical text, function types, and
 * the canonical ABI that lifts and lowers values by them. The rpc layer
 * encodes values by these types; component binaries will build on them.
 */
#ifndef ISORUN_COMPONENT_H
#define ISORUN_COMPONENT_H

#include "../util/util.h"

#include <isorun.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Value types (types.c, types_parse.c)
 *
 * A type is a tree of cm_type nodes. Scalar nodes (bool ... string, core
 * i32/i64, own/borrow excluded) are shared immutable singletons from
 * cm_type_scalar(); compound nodes are allocated and owned by their parent.
 * Types are written in a canonical text form (docs/protocol.md, "Types"),
 * which the rpc layer hashes into a function type's fingerprint.
 * ------------------------------------------------------------------------ */

/* Bounds on a type, so a hostile or mistaken type string cannot make the
 * decoder recurse deeply or a type allocate without end. */
#define CM_TYPE_MAX_DEPTH 32
#define CM_TYPE_MAX_MEMBERS 1000 /* record fields, tuple members, cases, flags */
#define CM_TYPE_MAX_NAME 256

typedef struct cm_type cm_type;
struct cm_type {
    isorun_kind kind;
    /* RECORD/TUPLE/VARIANT/ENUM/FLAGS: fields, members, cases, flags;
     * LIST/OPTION: 1; RESULT: 2; 0 otherwise. */
    uint32_t count;
    /* RECORD/TUPLE: each member's type; VARIANT: each case's payload type
     * (NULL: none); LIST: [0] the element; OPTION: [0] the payload; RESULT:
     * [0] ok, [1] err (NULL: none); NULL for other kinds. */
    const cm_type **members;
    /* RECORD fields, VARIANT/ENUM cases, FLAGS: count names; OWN/BORROW: [0]
     * the resource name; NULL otherwise. */
    char **names;
    /* The fewest bytes any value of this type encodes to (always >= 1): a
     * list count is bounded by remaining bytes / this. */
    uint32_t min_size;
};

/* The shared node of a scalar kind (I32, I64, F32, F64, BOOL, S8 ... U64,
 * CHAR, STRING); NULL for other kinds. */
const cm_type *cm_type_scalar(isorun_kind kind);
/* "u32", "string", ...: the canonical keyword of a scalar kind; NULL for
 * other kinds. */
const char *cm_scalar_keyword(isorun_kind kind);
/* Frees a type tree (scalar singletons are left alone). NULL is a no-op. */
void cm_type_free(cm_type *t);

/* Parses one type from text[0..len) (whitespace between tokens allowed).
 * ISORUN_ERR_ARGUMENT with the offset and what was expected. */
isorun_error *cm_type_parse(const char *text, size_t len, cm_type **out);
/* Appends t's canonical text to b; false on OOM. */
bool cm_type_print(isr_buf *b, const cm_type *t);

/* Whether a value of kind `value` may stand for type kind `type`: the same
 * kind, or for the core kinds i32/i64 also s32/u32 and s64/u64 (as the API
 * lets them). */
bool cm_kind_fits(isorun_kind type, isorun_kind value);
/* ISORUN_ERR_TYPE_MISMATCH "expected a value of type <t>, got a <kind>
 * value", the one message for a host value that does not fit its type. */
isorun_error *cm_type_mismatch(const cm_type *t, const isorun_val *v);

/* A function type: parameter and result types (borrowed). */
typedef struct cm_functype {
    uint32_t nparams, nresults;
    const cm_type *const *params;
    const cm_type *const *results;
} cm_functype;

/* Appends "func(P,...)->(R,...)" to b; false on OOM. */
bool cm_functype_print(isr_buf *b, const cm_functype *ft);

/* A parsed function type that owns its types: "func(u32,u32)->(u32)". */
typedef struct cm_owned_functype {
    cm_functype ft;
    cm_type **types; /* nparams + nresults, owned */
} cm_owned_functype;
isorun_error *cm_functype_parse(const char *text, size_t len, cm_owned_functype *out);
void cm_owned_functype_free(cm_owned_functype *f);

/* The rpc type of a core function signature (every kind must be I32, I64,
 * F32 or F64 — S32/U32/S64/U64 count as i32/i64). *out points into
 * storage, which must have room for nparams + nresults pointers. */
isorun_error *cm_functype_of_core(const isorun_functype *core, const cm_type **storage, cm_functype *out);

/* ------------------------------------------------------------------------
 * Canonical ABI (canon_layout.c, canon_lift.c, canon_lower.c)
 *
 * How component values cross into and out of a core module built for the
 * component model, as WebAssembly/component-model design/mvp/CanonicalABI.md
 * defines it, for synchronous calls: each type's layout in linear memory and
 * its flattening into core values; lowering host values (isorun_val) into a
 * core call's flat values and the guest's memory; lifting flat values and
 * memory back into values. Both roles:
 *
 *   host calls a guest export ("canon lift" of the core function):
 *     cm_canon_lower_params -> call the core export -> cm_canon_lift_results
 *     -> then the caller runs the export's cabi_post_<name> with the same
 *        flat results, if the guest has one (the lifted values are copies)
 *   guest calls a host import ("canon lower" of the host function):
 *     cm_canon_lift_params -> run the host function -> cm_canon_lower_results
 *
 * Flat values are 64-bit slots, as the wasm layer's: i32 in the low 32 bits
 * (upper bits ignored on input, zero on output), i64 as is, f32/f64 as their
 * IEEE bit patterns (f32 in the low 32 bits).
 *
 * What this layer does not do (ISORUN_ERR_ARGUMENT when a type needs it):
 *   - string encodings other than utf8 (the default canonopt);
 *   - resources: own/borrow need handle tables, which are not here yet;
 *   - async, stream, future, error-context; fixed-length lists;
 *   - empty records/tuples/variants/enums and flags outside 1..32 members,
 *     which the component model forbids.
 * The core kinds i32/i64 (rpc's core signatures) are laid out like u32/u64
 * and lift to I32/I64 values; S32/U32 (S64/U64) values lower into them too.
 *
 * NaNs: lifting an f32/f64 canonicalises any NaN (0x7fc00000,
 * 0x7ff8000000000000), as the spec's lift does; lowering does the same (the
 * spec lets a host scramble NaNs or not; this is its deterministic profile).
 *
 * Errors:
 *   ISORUN_ERR_TRAP  the guest broke the ABI: a pointer or range outside its
 *                    memory (ISORUN_TRAP_MEMORY_OOB); a misaligned pointer,
 *                    invalid UTF-8, a discriminant out of range or a char
 *                    that is not a Unicode scalar value
 *                    (ISORUN_TRAP_INVALID_VALUE); a
 *                    string or list beyond the ABI's length limits, or a lift
 *                    beyond its budget (ISORUN_TRAP_RESOURCE_LIMIT). Errors
 *                    from the memory's realloc come back as they are.
 *   ISORUN_ERR_TYPE_MISMATCH  a host value does not fit its type (as in rpc
 *                    and isorun_instance_call); nothing in guest memory has
 *                    been touched then.
 *   ISORUN_ERR_ARGUMENT  a malformed host value (NULL items with a length),
 *                    an unsupported type, no memory or realloc where the type
 *                    needs one.
 *   ISORUN_ERR_NOMEM.
 * Messages say where: "result 0: list element 3: field b: ...".
 * ------------------------------------------------------------------------ */

#define CM_CANON_MAX_FLAT_PARAMS 16
#define CM_CANON_MAX_FLAT_RESULTS 1
/* The longest string (in bytes) that can be lowered into a guest. */
#define CM_CANON_MAX_STRING_BYTES 0x7FFFFFFFu
/* cm_abi.nflat of a type that flattens to more than
 * CM_CANON_MAX_FLAT_PARAMS values: such a type only ever travels in memory,
 * so its flat types are not kept. */
#define CM_ABI_MANY_FLAT (CM_CANON_MAX_FLAT_PARAMS + 1)

/* The canonical ABI layout of one type: a tree that mirrors the cm_type
 * tree, computed once (cm_abi_new, cm_canon_func_new) so that lifting and
 * lowering never recompute sizes. Read-only after construction. */
typedef struct cm_abi cm_abi;
struct cm_abi {
    const cm_type *type; /* borrowed; NULL for a variant case without payload */
    uint32_t size;       /* elem_size: bytes in memory (0 only when type is NULL) */
    uint32_t align;      /* alignment: 1, 2, 4 or 8 */
    /* Where this node sits in its parent: a record/tuple field's offset from
     * the record's start; a function parameter's or result's offset in the
     * tuple that holds them when they spill to memory. 0 otherwise. */
    uint32_t offset;
    /* The flattened core types (ISORUN_I32, I64, F32, F64), joined over the
     * cases for variants; nflat is CM_ABI_MANY_FLAT when there are more than
     * CM_CANON_MAX_FLAT_PARAMS, and flat[] is then not filled in. */
    uint32_t nflat;
    uint8_t flat[CM_CANON_MAX_FLAT_PARAMS];
    /* VARIANT, ENUM, OPTION, RESULT: the discriminant's bytes (1, 2 or 4);
     * FLAGS: the bit vector's bytes (1, 2 or 4). 0 otherwise. */
    uint32_t disc_size;
    /* VARIANT, ENUM, OPTION, RESULT: the payload's offset from the start. */
    uint32_t payload_offset;
    /* LIST: 1, the element; RECORD/TUPLE: the fields; VARIANT, ENUM, OPTION,
     * RESULT: one per case in discriminant order (OPTION: none, some;
     * RESULT: ok, error), type NULL when the case has no payload. */
    uint32_t nchildren;
    cm_abi *children;
    /* A string or list somewhere inside: the value needs memory (and, to
     * lower it, realloc) even when it travels flat. */
    bool uses_memory;
};

/* The layout of t (borrowed: it must outlive *out). ISORUN_ERR_ARGUMENT
 * when t cannot cross the canonical ABI (see above) or is larger than
 * 4 GiB; ISORUN_ERR_NOMEM. */
isorun_error *cm_abi_new(const cm_type *t, cm_abi **out);
void cm_abi_free(cm_abi *a); /* NULL is a no-op */

/* A component function's canonical ABI: the layouts of its parameters and
 * results, whether they spill to memory, and the core signatures a core
 * function must have to implement it ("lift") or to call it ("lower"). */
typedef struct cm_canon_func {
    cm_functype type;           /* borrowed; must outlive this */
    cm_abi *params;             /* type.nparams layouts; offset = place in the spilled tuple */
    cm_abi *results;            /* type.nresults layouts; likewise */
    uint32_t nflat_params;      /* flattened count, at most CM_ABI_MANY_FLAT */
    uint32_t nflat_results;     /* likewise */
    bool params_spill;          /* > 16 flat params: one i32 pointer to a tuple in memory */
    bool results_spill;         /* > 1 flat result: a pointer (lift: returned; lower: out-param) */
    uint32_t params_size, params_align;   /* the tuple of all parameters */
    uint32_t results_size, results_align; /* the tuple of all results */
    /* Core signatures (flatten_functype). lift: the core function that
     * implements the component function; lower: the core import that calls
     * it (with the out-pointer as its last parameter when results spill). */
    isorun_functype lift_core, lower_core;
    isorun_kind core_kinds_[2 * (CM_CANON_MAX_FLAT_PARAMS + 2)];
    /* Which canonopts a call needs: memory, and realloc to lower the
     * parameters into a lifted export (lift) or the results into a lowered
     * import's caller (lower). */
    bool needs_memory;
    bool lift_needs_realloc;
    bool lower_needs_realloc;
} cm_canon_func;

/* ft's types are borrowed and must outlive *out. Errors as cm_abi_new's,
 * naming the parameter or result. */
isorun_error *cm_canon_func_new(const cm_functype *ft, cm_canon_func **out);
void cm_canon_func_free(cm_canon_func *f); /* NULL is a no-op */

/* A guest's linear memory and allocator, as the canonical ABI sees them
 * (the memory and realloc canonopts). Not tied to the runtime: the caller
 * backs it with an instance's memory 0 and its exported cabi_realloc, or,
 * in tests, with a plain byte array. */
typedef struct cm_memory {
    void *env; /* passed to both functions */
    /* The memory's current base address and size in bytes. Called at the
     * start of every operation and again after every realloc, since the
     * guest's allocator may grow (and so move) the memory. */
    void (*view)(void *env, uint8_t **base, uint64_t *size);
    /* Calls the guest's cabi_realloc(old_ptr, old_size, align, new_size)
     * and gives back the pointer it returned in *out. The guest must not be
     * able to call imports meanwhile (the spec's may_leave = false). May be
     * NULL when nothing needs lowering into memory. Any error it returns
     * (a trap in the guest) ends the operation as is. This layer checks the
     * pointer itself: misaligned or out of bounds is a trap. */
    isorun_error *(*realloc)(void *env, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size,
                             uint32_t *out);
    /* How many bytes of guest memory one lift may read through pointers
     * (strings, lists, a spilled tuple; counted again each time the same
     * bytes are read): bounds what a guest can make the host allocate by
     * pointing many strings at one big range. 0: the memory's size at the
     * start of the lift, which any value whose parts do not overlap fits in.
     * Beyond it, the lift traps with ISORUN_TRAP_RESOURCE_LIMIT. */
    uint64_t lift_budget;
} cm_memory;

/* Host calls a guest export (f->lift_core is the export's signature).
 * Lowers args[0..f->type.nparams) into flat_args[0..f->lift_core.nparams),
 * calling realloc for strings, lists and a spilled parameter tuple, in the
 * spec's order. mem may be NULL when !f->needs_memory (likewise below). */
isorun_error *cm_canon_lower_params(const cm_canon_func *f, const cm_memory *mem, const isorun_val *args,
                                    uint64_t *flat_args);
/* Lifts the export's flat_results[0..f->lift_core.nresults) (and the memory
 * they point to) into results[0..f->type.nresults), which the caller owns
 * (isorun_val_free) on success; on failure they are left I32 zero. */
isorun_error *cm_canon_lift_results(const cm_canon_func *f, const cm_memory *mem, const uint64_t *flat_results,
                                    isorun_val *results);

/* Guest calls a host import (f->lower_core is the import's signature).
 * Lifts flat_args[0..f->lower_core.nparams) into args[0..f->type.nparams),
 * owned by the caller on success, I32 zero on failure. */
isorun_error *cm_canon_lift_params(const cm_canon_func *f, const cm_memory *mem, const uint64_t *flat_args,
                                   isorun_val *args);
/* Lowers the host function's results[0..f->type.nresults) for the guest:
 * into flat_results[0..f->lower_core.nresults), or, when they spill, into
 * the tuple at the out-pointer (the last of the guest's flat_args, which are
 * the ones cm_canon_lift_params read). Strings and lists are allocated with
 * the guest's realloc. */
isorun_error *cm_canon_lower_results(const cm_canon_func *f, const cm_memory *mem, const isorun_val *results,
                                     const uint64_t *flat_args, uint64_t *flat_results);

/* The single-value steps the four calls above are made of (the spec's
 * load, store, lift_flat, lower_flat), for tests and for other users of the
 * ABI. ptr must be a valid, aligned place for a value of a's type (checked:
 * a trap otherwise). The flat forms read or write a->nflat values, which
 * must not be CM_ABI_MANY_FLAT (ISORUN_ERR_ARGUMENT). */
isorun_error *cm_canon_load(const cm_abi *a, const cm_memory *mem, uint32_t ptr, isorun_val *out);
isorun_error *cm_canon_store(const cm_abi *a, const cm_memory *mem, const isorun_val *v, uint32_t ptr);
isorun_error *cm_canon_lift_flat(const cm_abi *a, const cm_memory *mem, const uint64_t *flat, isorun_val *out);
isorun_error *cm_canon_lower_flat(const cm_abi *a, const cm_memory *mem, const isorun_val *v, uint64_t *flat);

/* ------------------------------------------------------------------------
 * Component binaries (binary.c, binary_sections.c, binary_types.c,
 * binary_core_types.c)
 *
 * cm_component_decode reads a component binary — the component model's
 * design/mvp/Binary.md, preamble version 0x0d layer 0x01, as wasm-tools and
 * jco emit it for WASI 0.2 components — into a cm_component: every
 * definition in binary order, each kind's items in arrays, the index space
 * of every sort, and types resolved into cm_type trees and cm_deftype
 * descriptions. Nothing is instantiated or run, and embedded core modules
 * are not decoded (wasm_module_new takes their bytes later).
 *
 * Decoded: custom sections (kept by name), core modules, core instances
 * (instantiate with named instance arguments, or inline exports), core
 * types (function types; module types with imports, exports, function
 * types and outer type aliases), nested components (recursively), component
 * instances (instantiate with named arguments of any sort, or inline
 * exports), aliases (instance export, core instance export, outer), types
 * (every value type of WASI 0.2: primitives, record, variant, list, tuple,
 * flags, enum, option, result, own, borrow; function types with named
 * parameters, and named results as older encoders wrote them; component,
 * instance and resource types), canonical definitions (lift, lower with
 * string-encoding, memory, realloc and post-return options; resource.new,
 * resource.drop, resource.rep), start, value imports and exports (the
 * value sort and valuebound), imports and exports (names in every
 * importname'/exportname' form: 0x00, the legacy 0x01, and 0x02 with
 * implements/versionsuffix options; export type ascriptions).
 *
 * Refused with "... is not supported": the async and threads additions
 * (stream, future and error-context types, async function and resource
 * types, every canonical built-in other than the five above, the async,
 * callback and core-type canonopts), fixed-length lists, the value section,
 * core GC types and exception tags, shared and 64-bit memories.
 *
 * Checked: the grammar (LEB128 widths, UTF-8 names, kebab-case labels,
 * section and item sizes, non-empty records, variants, tuples, flags and
 * enums); every index against its index space ("unknown core func 3"),
 * which grows definition by definition as the binary says; the sort or
 * type kind an index must have (a valtype names a value type, own/borrow a
 * resource, canon lift a function type, resource.new/rep a resource this
 * component defines, an externdesc the matching type kind, an export alias
 * an export of that name and sort — of any component instance, and of a
 * core instance made of inline exports); a start function's arity; names
 * unique where they must be (imports, exports, instantiation arguments,
 * fields, cases, flags, parameters; compared byte for byte); one of each
 * canonopt. Not checked here (later stages, which have the core modules):
 * that core signatures fit the canonical ABI, that instantiation arguments
 * match imports, export aliases of instantiated core modules, subtyping,
 * borrow in results, whether values are used exactly once.
 *
 * Errors: ISORUN_ERR_MALFORMED "at offset 0x..: reason" (offsets from the
 * start of the outermost binary), ISORUN_ERR_NOMEM. Decoding is bounded:
 * every count is checked against the bytes left before anything is
 * allocated, nesting (components and types inside each other) against
 * CM_BINARY_MAX_NESTING, value types against CM_TYPE_MAX_DEPTH,
 * CM_TYPE_MAX_MEMBERS and CM_BINARY_MAX_TYPE_NODES, and all memory the
 * result holds against a multiple of the input's size.
 *
 * Everything a cm_component points to is owned by the component returned
 * by cm_component_decode (the root) and lives until cm_component_free; the
 * input may be freed once decode returns (the component keeps a copy).
 * The cm_type trees are shared between types (a type that names another
 * points to its tree), so they must never be given to cm_type_free.
 * ------------------------------------------------------------------------ */

#include "../wasm/wasm.h"

/* Components and component/instance/module types inside each other. */
#define CM_BINARY_MAX_NESTING 16
/* Nodes of one value type counted as a tree (types share subtrees, so a
 * few bytes could otherwise describe a tree too big to walk). */
#define CM_BINARY_MAX_TYPE_NODES 100000

/* The sorts of index spaces, core ones first. */
typedef enum cm_sort {
    CM_SORT_CORE_FUNC,
    CM_SORT_CORE_TABLE,
    CM_SORT_CORE_MEMORY,
    CM_SORT_CORE_GLOBAL,
    CM_SORT_CORE_TYPE,
    CM_SORT_CORE_MODULE,
    CM_SORT_CORE_INSTANCE,
    CM_SORT_FUNC,
    CM_SORT_VALUE,
    CM_SORT_TYPE,
    CM_SORT_COMPONENT,
    CM_SORT_INSTANCE,
    CM_SORT_COUNT_
} cm_sort;

/* "core func", ..., "instance" (as in error messages); "?" out of range. */
const char *cm_sort_name(cm_sort sort);

/* A name from the binary: NUL-terminated valid UTF-8 of len bytes (core
 * names may contain NUL, so use len). Absent names are {"", 0}. */
typedef struct cm_name {
    const char *s;
    uint32_t len;
} cm_name;

typedef struct cm_sortidx {
    uint8_t sort; /* cm_sort */
    uint32_t index;
} cm_sortidx;

typedef struct cm_deftype cm_deftype;
typedef struct cm_core_deftype cm_core_deftype;
typedef struct cm_component cm_component;

/* ---- core types ---- */

/* An import or export in a core module type. */
typedef struct cm_core_extern {
    cm_name module; /* imports: the module name; exports: empty */
    cm_name name;
    uint8_t kind;   /* wasm_externkind */
    const cm_core_deftype *func; /* FUNC: a CM_CORE_FUNCTYPE */
    wasm_tabletype table;        /* TABLE */
    wasm_limits memory;          /* MEMORY (32-bit, unshared) */
    wasm_globaltype global;      /* GLOBAL */
} cm_core_extern;

typedef enum cm_core_deftype_kind { CM_CORE_FUNCTYPE, CM_CORE_MODULETYPE } cm_core_deftype_kind;

struct cm_core_deftype {
    uint8_t kind;       /* cm_core_deftype_kind */
    wasm_functype func; /* FUNCTYPE: types are wasm_valtype bytes */
    /* MODULETYPE: its imports and exports in declaration order. */
    uint32_t nimports, nexports;
    const cm_core_extern *imports, *exports;
};

/* ---- component types ---- */

typedef enum cm_deftype_kind {
    CM_DEFTYPE_VALUE,
    CM_DEFTYPE_FUNC,
    CM_DEFTYPE_COMPONENT,
    CM_DEFTYPE_INSTANCE,
    CM_DEFTYPE_RESOURCE,
} cm_deftype_kind;

/* What an import or export is: its sort and type, resolved. */
typedef struct cm_externdesc {
    uint8_t sort; /* CORE_MODULE, FUNC, VALUE, TYPE, COMPONENT or INSTANCE */
    /* CORE_MODULE: the module type; NULL when unknown (a module defined in
     * the binary and not decoded here). */
    const cm_core_deftype *module;
    /* FUNC, COMPONENT, INSTANCE: the function/component/instance type.
     * TYPE: the type bound to the name — for (eq i) type i; for (sub
     * resource) a fresh abstract RESOURCE. */
    const cm_deftype *type;
    bool sub_resource; /* TYPE: declared (sub resource) */
    const cm_type *value; /* VALUE: the value's type */
} cm_externdesc;

/* A named import or export of a component or instance type (and a
 * component's imports). implements and version_suffix are the name's
 * options (importname'/exportname' form 0x02); empty when absent. */
typedef struct cm_extern {
    cm_name name;
    cm_name implements;
    cm_name version_suffix;
    cm_externdesc desc;
} cm_extern;

struct cm_deftype {
    uint8_t kind; /* cm_deftype_kind */
    /* VALUE: the type tree (a scalar singleton for a primitive). */
    const cm_type *value;
    /* FUNC: parameter and result types (for cm_canon_func_new and the
     * rpc layer), parameter names, and result names when the binary named
     * its results (older encoders; NULL otherwise). */
    cm_functype func;
    const cm_name *param_names;
    const cm_name *result_names;
    /* COMPONENT: imports and exports; INSTANCE: exports. In declaration
     * order; names are unique. */
    uint32_t nimports, nexports;
    const cm_extern *imports, *exports;
    /* RESOURCE. A resource's identity is its cm_deftype: aliases and (eq)
     * bounds refer to the same one. local: defined by a resource type in
     * a component (representation i32, destructor: a core func index);
     * otherwise abstract, made by a (sub resource) import or export. name:
     * the import/export name that introduced it, or "resource-N" for a
     * local resource not exported yet. */
    bool local;
    bool has_dtor;
    uint32_t dtor;
    const char *name;
    /* Private: name lookup over exports. */
    const uint32_t *export_table_;
    uint32_t export_table_mask_;
};

/* The export of t (a COMPONENT or INSTANCE) named name; NULL if none. */
const cm_extern *cm_deftype_export(const cm_deftype *t, const char *name, size_t len);
/* The import of t (a COMPONENT) named name; NULL if none. */
const cm_extern *cm_deftype_import(const cm_deftype *t, const char *name, size_t len);

/* ---- definitions ---- */

typedef enum cm_def_kind {
    CM_DEF_CORE_MODULE,
    CM_DEF_CORE_INSTANCE,
    CM_DEF_CORE_TYPE,
    CM_DEF_COMPONENT,
    CM_DEF_INSTANCE,
    CM_DEF_ALIAS,
    CM_DEF_TYPE,
    CM_DEF_CANON,
    CM_DEF_START,
    CM_DEF_IMPORT,
    CM_DEF_EXPORT,
} cm_def_kind;

/* One definition, in binary order: the index-th item of its kind's array
 * (core_modules, core_instances, ...), at offset in the outermost binary. */
typedef struct cm_def {
    uint8_t kind; /* cm_def_kind */
    uint32_t index;
    size_t offset;
} cm_def;

/* A core module: its bytes (a whole core binary, "\0asm" version 1) in the
 * component's copy of the input. */
typedef struct cm_core_module {
    const uint8_t *bytes;
    size_t size;
    size_t offset; /* in the outermost binary */
} cm_core_module;

/* A core instance: instantiate core module `module` with args (name ->
 * core instance index), or a bundle of inline exports. */
typedef struct cm_core_instance_arg {
    cm_name name;
    uint32_t instance;
} cm_core_instance_arg;
typedef struct cm_core_inline_export {
    cm_name name;
    cm_sortidx item; /* a core sort */
} cm_core_inline_export;
typedef struct cm_core_instance {
    bool instantiate;
    uint32_t module;
    uint32_t count; /* args or exports */
    const cm_core_instance_arg *args;
    const cm_core_inline_export *exports;
} cm_core_instance;

/* A component instance: instantiate component `component` with args (name
 * -> item of any sort), or a bundle of inline exports (name -> item). type
 * is its INSTANCE type: the component type's exports, or the bundle's. */
typedef struct cm_instance_arg {
    cm_name name;
    cm_sortidx item;
} cm_instance_arg;
typedef struct cm_instance {
    bool instantiate;
    uint32_t component;
    uint32_t count;
    const cm_instance_arg *args; /* instantiate: args; otherwise the exports */
    const cm_deftype *type;
} cm_instance;

typedef enum cm_alias_kind { CM_ALIAS_EXPORT, CM_ALIAS_CORE_EXPORT, CM_ALIAS_OUTER } cm_alias_kind;
/* An alias adding one index of `sort`: the export `name` of instance
 * (EXPORT) or core instance (CORE_EXPORT) `instance`, or index
 * outer_index of the scope outer_count levels out (OUTER; 0 = this one). */
typedef struct cm_alias {
    uint8_t sort; /* cm_sort */
    uint8_t kind; /* cm_alias_kind */
    uint32_t instance;
    cm_name name;
    uint32_t outer_count, outer_index;
} cm_alias;

typedef enum cm_canondef_kind {
    CM_CANONDEF_LIFT,          /* core func -> func */
    CM_CANONDEF_LOWER,         /* func -> core func */
    CM_CANONDEF_RESOURCE_NEW,  /* -> core func (i32) -> i32 */
    CM_CANONDEF_RESOURCE_DROP, /* -> core func (i32) -> () */
    CM_CANONDEF_RESOURCE_REP,  /* -> core func (i32) -> i32 */
} cm_canondef_kind;

typedef enum cm_string_encoding {
    CM_STRING_UTF8,
    CM_STRING_UTF16,
    CM_STRING_LATIN1_UTF16,
} cm_string_encoding;

/* A canonical definition. LIFT: core func `func` lifted to function type
 * `type` (type = its FUNC deftype). LOWER: func `func` lowered (type = the
 * func's FUNC deftype). RESOURCE_*: resource type `type_index` (type = the
 * RESOURCE). Options: string encoding (UTF8 when not given), memory (core
 * memory index), realloc and post-return (core func indices). */
typedef struct cm_canondef {
    uint8_t kind; /* cm_canondef_kind */
    uint32_t func;
    uint32_t type_index;
    const cm_deftype *type;
    uint8_t string_encoding; /* cm_string_encoding */
    bool has_memory, has_realloc, has_post_return;
    uint32_t memory, realloc, post_return;
} cm_canondef;

/* A start definition: call func with the values args, its nresults results
 * becoming new values. */
typedef struct cm_start {
    uint32_t func;
    uint32_t nargs;
    const uint32_t *args;
    uint32_t nresults;
} cm_start;

/* An export of the component: item under name. desc is the ascribed
 * externdesc when the binary gives one (has_ascription), else the item's
 * own. */
typedef struct cm_export {
    cm_name name;
    cm_name implements;
    cm_name version_suffix;
    cm_sortidx item;
    bool has_ascription;
    cm_externdesc desc;
} cm_export;

typedef struct cm_custom {
    cm_name name;
    const uint8_t *bytes; /* the contents after the name */
    size_t size;
} cm_custom;

/* Where index i of a sort came from: definition kind def (IMPORT, EXPORT,
 * ALIAS, CANON, CORE_MODULE, CORE_INSTANCE, CORE_TYPE, COMPONENT,
 * INSTANCE, TYPE, START) and its index in that kind's array (START: also
 * which result, in `result`), and what is known of its type:
 *   FUNC, TYPE, COMPONENT, INSTANCE: type (never NULL);
 *   VALUE: value (NULL when the value's type is not known);
 *   CORE_TYPE: core_type; CORE_MODULE: core_type, a module type, or NULL
 *     when it is a module of the binary (not decoded here);
 *   CORE_INSTANCE: core_instance, the definition, when it is one of this
 *     component's core instance definitions; NULL otherwise;
 *   CORE_FUNC, CORE_TABLE, CORE_MEMORY, CORE_GLOBAL: nothing. */
typedef struct cm_index_entry {
    uint8_t def; /* cm_def_kind */
    uint32_t def_index;
    uint32_t result;
    const cm_deftype *type;
    const cm_type *value;
    const cm_core_deftype *core_type;
    const cm_core_instance *core_instance;
} cm_index_entry;

struct cm_component {
    /* This component's bytes (for a nested one, a range of the root's) and
     * where they start in the outermost binary. */
    const uint8_t *bytes;
    size_t size;
    size_t offset;
    /* Every definition, in binary order. */
    uint32_t ndefs;
    const cm_def *defs;
    /* Each kind's items in binary order (cm_def.index points here). */
    uint32_t ncore_modules, ncore_instances, ncore_types, ncomponents, ninstances, naliases, ntypes, ncanons,
        nstarts, nimports, nexports, ncustoms;
    const cm_core_module *core_modules;
    const cm_core_instance *core_instances;
    const cm_core_deftype *const *core_types;
    const cm_component *const *components;
    const cm_instance *instances;
    const cm_alias *aliases;
    const cm_deftype *const *types;
    const cm_canondef *canons;
    const cm_start *starts;
    const cm_extern *imports;
    const cm_export *exports;
    const cm_custom *customs;
    /* The index spaces after the last definition. */
    uint32_t nspace[CM_SORT_COUNT_];
    const cm_index_entry *space[CM_SORT_COUNT_];
    /* The component's type: its imports and exports (as instantiating it
     * sees them; names unique). */
    const cm_deftype *type;
    struct cm_binary_arena *arena_; /* private; set only on the root */
};

/* Decodes a component binary into *out (see above). A core module (version
 * 1) is refused with a message that says so. */
isorun_error *cm_component_decode(const uint8_t *bytes, size_t len, cm_component **out);
/* Frees what cm_component_decode returned, with everything in it. NULL and
 * nested components (owned by their root) are no-ops. */
void cm_component_free(cm_component *c);

/* Index i of sort in c's index space; NULL when out of range. */
const cm_index_entry *cm_component_index(const cm_component *c, cm_sort sort, uint32_t i);
/* c's export named name; NULL if none. */
const cm_export *cm_component_export(const cm_component *c, const char *name, size_t len);
/* For an OWN or BORROW node of a type in root (or any component nested
 * in it): the RESOURCE deftype it refers to. NULL for any other node. */
const cm_deftype *cm_component_handle_resource(const cm_component *root, const cm_type *handle);

#endif /* ISORUN_COMPONENT_H */
