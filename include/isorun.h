/*
 * isorun.h — the public API of libisorun, an embeddable runtime for isolated
 * WebAssembly.
 *
 * This is the only public header. Everything else under src/ is private and
 * may change without notice.
 *
 * Conventions used throughout:
 *  - Every fallible function returns an `isorun_error *`: NULL means success;
 *    otherwise the caller owns the error and frees it with isorun_error_free().
 *  - Every `_new` has a matching `_free`. Freeing NULL is always a no-op.
 *  - The library never prints, never exits and never aborts on bad input.
 */
#ifndef ISORUN_H
#define ISORUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ISORUN_VERSION_MAJOR 0
#define ISORUN_VERSION_MINOR 1
#define ISORUN_VERSION_PATCH 0
#define ISORUN_VERSION_STRING "0.1.0"

/* Returns the library's version string, e.g. "0.1.0". Never NULL. */
const char *isorun_version(void);

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

/* Every error code: X(enum suffix, short name, meaning). */
#define ISORUN_ERROR_LIST(X)                                                   \
    X(OK, "ok", "success")                                                     \
    X(NOMEM, "out-of-memory", "the host ran out of memory")                    \
    X(ARGUMENT, "bad-argument", "an API function was given a bad argument")    \
    X(IO, "io", "reading or writing a host file failed")                       \
    X(MALFORMED, "malformed", "the binary is not well-formed WebAssembly")     \
    X(INVALID, "invalid", "the module does not validate")                      \
    X(UNLINKABLE, "unlinkable", "an import could not be satisfied")            \
    X(UNINSTANTIABLE, "uninstantiable", "instantiation trapped")               \
    X(TRAP, "trap", "the guest trapped; see isorun_error_trap()")              \
    X(LIMIT, "limit", "a configured limit was exceeded")                       \
    X(NOT_FOUND, "not-found", "no export or item of that name")                \
    X(TYPE_MISMATCH, "type-mismatch", "values or signatures do not match")     \
    X(EXIT, "exit", "the guest asked to exit; see isorun_error_exit_code()")   \
    X(NATIVE, "native", "compiling the module to native code failed")

typedef enum isorun_error_code {
#define ISORUN_X_ENUM(name, str, msg) ISORUN_ERR_##name,
    ISORUN_ERROR_LIST(ISORUN_X_ENUM)
#undef ISORUN_X_ENUM
    ISORUN_ERR_COUNT_
} isorun_error_code;

/* Every trap a guest can cause: X(enum suffix, message). The messages are the
 * ones the WebAssembly specification's test suite uses. INVALID_VALUE is the
 * component model's: a guest handed over a value its type does not allow
 * (a misaligned pointer, invalid UTF-8, a discriminant out of range). */
#define ISORUN_TRAP_LIST(X)                                                    \
    X(NONE, "no trap")                                                         \
    X(UNREACHABLE, "unreachable")                                              \
    X(MEMORY_OOB, "out of bounds memory access")                               \
    X(TABLE_OOB, "out of bounds table access")                                 \
    X(UNDEFINED_ELEMENT, "undefined element")                                  \
    X(UNINITIALIZED_ELEMENT, "uninitialized element")                          \
    X(INDIRECT_TYPE_MISMATCH, "indirect call type mismatch")                   \
    X(NULL_REFERENCE, "null reference")                                        \
    X(DIV_BY_ZERO, "integer divide by zero")                                   \
    X(INT_OVERFLOW, "integer overflow")                                        \
    X(INVALID_CONVERSION, "invalid conversion to integer")                     \
    X(STACK_EXHAUSTED, "call stack exhausted")                                 \
    X(OUT_OF_FUEL, "out of fuel")                                              \
    X(INTERRUPTED, "interrupted")                                              \
    X(DEADLINE, "deadline exceeded")                                           \
    X(RESOURCE_LIMIT, "resource limit exceeded")                               \
    X(HOST, "host function failed")                                           \
    X(INVALID_VALUE, "invalid value")

typedef enum isorun_trap_code {
#define ISORUN_X_ENUM(name, msg) ISORUN_TRAP_##name,
    ISORUN_TRAP_LIST(ISORUN_X_ENUM)
#undef ISORUN_X_ENUM
    ISORUN_TRAP_COUNT_
} isorun_trap_code;

typedef struct isorun_error isorun_error;

/* The error's code. isorun_error_code(NULL) is ISORUN_ERR_OK. */
isorun_error_code isorun_error_code_of(const isorun_error *err);

/* A human-readable message that says what went wrong and, where it can, where
 * (byte offset, function, import name). Owned by the error; never NULL. */
const char *isorun_error_message(const isorun_error *err);

/* For ISORUN_ERR_TRAP (and ISORUN_ERR_UNINSTANTIABLE caused by a trap): which
 * trap. ISORUN_TRAP_NONE otherwise. */
isorun_trap_code isorun_error_trap(const isorun_error *err);

/* For ISORUN_ERR_EXIT: the exit status the guest gave. 0 otherwise. */
int isorun_error_exit_code(const isorun_error *err);

/* Short stable names, for logs and tests ("trap", "out of bounds memory
 * access"). Never NULL, also for out-of-range values. */
const char *isorun_error_code_name(isorun_error_code code);
const char *isorun_trap_message(isorun_trap_code trap);

/* Frees an error. Freeing NULL is a no-op. */
void isorun_error_free(isorun_error *err);

/* Making errors, for host functions and system components to return (see
 * isorun_host_fn). printf-style messages. Never NULL: when memory runs out
 * they return a shared ISORUN_ERR_NOMEM error whose free is a no-op. */
#if defined(__GNUC__) || defined(__clang__)
#define ISORUN_PRINTF_(f, a) __attribute__((format(printf, f, a)))
#else
#define ISORUN_PRINTF_(f, a)
#endif
isorun_error *isorun_error_new(isorun_error_code code, const char *fmt, ...) ISORUN_PRINTF_(2, 3);
/* ISORUN_ERR_TRAP with isorun_error_trap() == trap; the message is the
 * trap's, then ": " and the detail (fmt may be NULL for none). */
isorun_error *isorun_error_new_trap(isorun_trap_code trap, const char *fmt, ...) ISORUN_PRINTF_(2, 3);
/* ISORUN_ERR_EXIT with isorun_error_exit_code() == status. */
isorun_error *isorun_error_new_exit(int status);


/* ------------------------------------------------------------------------
 * Values
 *
 * One representation serves calls from the host, host functions, links
 * between instances, remote calls and (later) the component model. Core
 * WebAssembly functions take and return ISORUN_I32/I64/F32/F64; when calling
 * them, ISORUN_S32/U32 are accepted for i32 and ISORUN_S64/U64 for i64.
 * ------------------------------------------------------------------------ */

typedef enum isorun_kind {
    ISORUN_I32, ISORUN_I64, ISORUN_F32, ISORUN_F64, /* core (F32/F64 are also component floats) */
    ISORUN_BOOL, ISORUN_S8, ISORUN_U8, ISORUN_S16, ISORUN_U16,
    ISORUN_S32, ISORUN_U32, ISORUN_S64, ISORUN_U64,
    ISORUN_CHAR, ISORUN_STRING, ISORUN_LIST, ISORUN_RECORD, ISORUN_TUPLE,
    ISORUN_VARIANT, ISORUN_ENUM, ISORUN_OPTION, ISORUN_RESULT, ISORUN_FLAGS,
    ISORUN_OWN, ISORUN_BORROW,
    ISORUN_KIND_COUNT_,
    /* Core types that signatures (isorun_item_info) name but that no value
     * of this API can hold: beyond ISORUN_KIND_COUNT_, so every check for a
     * valid kind refuses them. */
    ISORUN_V128 = ISORUN_KIND_COUNT_ + 1, ISORUN_FUNCREF, ISORUN_EXTERNREF
} isorun_kind;

typedef struct isorun_val isorun_val;
struct isorun_val {
    isorun_kind kind;
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        bool b;
        int8_t s8;
        uint8_t u8;
        int16_t s16;
        uint16_t u16;
        int32_t s32;
        uint32_t u32;
        int64_t s64;
        uint64_t u64;
        uint32_t ch; /* CHAR: a Unicode scalar value */
        /* STRING: UTF-8 bytes, owned by the value; data[len] is a NUL added
         * for convenience (the string itself may contain NULs). */
        struct { char *data; size_t len; } string;
        /* LIST elements, RECORD fields in declaration order, TUPLE members;
         * owned by the value. */
        struct { isorun_val *items; size_t len; } seq;
        /* VARIANT and ENUM: the case index; OPTION: 0 none, 1 some; RESULT:
         * 0 ok, 1 error. payload: the case's value, or NULL when it has none;
         * owned by the value. */
        struct { uint32_t tag; isorun_val *payload; } variant;
        /* FLAGS: flag i is bit (i % 64) of words[i / 64]; count flags. */
        struct { uint64_t *words; uint32_t count; } flags;
        uint32_t handle; /* OWN, BORROW */
    } of;
};

/* Plain constructors for scalar values (nothing to free). */
static inline isorun_val isorun_val_i32(int32_t v) { isorun_val r; r.kind = ISORUN_I32; r.of.i32 = v; return r; }
static inline isorun_val isorun_val_i64(int64_t v) { isorun_val r; r.kind = ISORUN_I64; r.of.i64 = v; return r; }
static inline isorun_val isorun_val_f32(float v) { isorun_val r; r.kind = ISORUN_F32; r.of.f32 = v; return r; }
static inline isorun_val isorun_val_f64(double v) { isorun_val r; r.kind = ISORUN_F64; r.of.f64 = v; return r; }

/* Makes a STRING value holding a copy of s[0..len). NULL s with len 0 is the
 * empty string. Returns ISORUN_ERR_NOMEM or ISORUN_ERR_ARGUMENT (not UTF-8). */
isorun_error *isorun_val_string(isorun_val *out, const char *s, size_t len);

/* Frees what a value owns (strings, sequences, payloads, flag words),
 * recursively, and leaves it an I32 zero. Scalars need no freeing, but
 * calling this on any value is always safe. */
void isorun_val_free(isorun_val *v);

/* Deep copy. On failure *out is left an I32 zero. */
isorun_error *isorun_val_copy(isorun_val *out, const isorun_val *v);

/* "i32", "string", ..., "v128", "funcref", "externref"; "?" when out of
 * range. */
const char *isorun_kind_name(isorun_kind kind);

/* A core function signature: up to 1000 parameters and results, each one of
 * ISORUN_I32, I64, F32, F64 (references are not passed through this API). */
typedef struct isorun_functype {
    uint32_t nparams;
    uint32_t nresults;
    const isorun_kind *params;
    const isorun_kind *results;
} isorun_functype;

/* ------------------------------------------------------------------------
 * Runtime
 *
 * The process-wide engine: settings, the cache of compiled modules, the
 * registry of instances callable by id. Thread-safe: any thread may use one
 * runtime at the same time as others. Instances and modules keep their
 * runtime alive, so isorun_runtime_free() may come before freeing them.
 * ------------------------------------------------------------------------ */

typedef struct isorun_runtime isorun_runtime;

typedef struct isorun_runtime_config {
    /* Compiled modules kept for reuse when the same bytes load again
     * (matched by content); 0 = 64. */
    uint32_t module_cache_entries;
    /* Run modules as native code instead of interpreting them. Loading a
     * module then translates its functions to C and builds them with the
     * system's C compiler into a shared object, kept in a cache directory and
     * reused whenever the same code is loaded again (first load: about a
     * second per 100 KB of wasm; later loads: milliseconds). Semantics,
     * traps, fuel, budgets and deadlines are the interpreter's. Loading fails
     * with ISORUN_ERR_NATIVE when no compiler runs or the cache directory is
     * unusable (it must belong to the user and be writable by no one else:
     * its objects run with the process's rights). */
    bool native;
    /* Where built objects are kept; NULL = $XDG_CACHE_HOME/isorun/native,
     * else $HOME/.cache/isorun/native. Created (mode 0700) if missing. */
    const char *native_cache_dir;
    /* The C compiler command, split at spaces (e.g. "ccache gcc"); NULL = "cc". */
    const char *native_cc;
    /* Keep each generated C file beside its object, to read or debug it. */
    bool native_keep_source;
    /* Optional: called just before a module's native code is built (no
     * cached object fits), from the loading thread (with native_background:
     * from the build's thread), with native_build_arg; building takes
     * seconds, which a tool may want to tell its user. */
    void (*native_build_started)(void *arg);
    void *native_build_arg;
    /* With native: build in the background instead of while loading.
     * isorun_module_load then returns at once, with a module whose instances
     * run interpreted, and a thread of the runtime builds its native code;
     * from then on new instances run natively, and existing ones move over
     * at the start of their next call (results, traps and fuel are the same
     * in both tiers: only the speed changes). A build that fails leaves the
     * module interpreted; isorun_module_wait_native says why. The runtime's
     * last reference waits for builds under way. */
    bool native_background;
} isorun_runtime_config;

/* cfg may be NULL for defaults. */
isorun_error *isorun_runtime_new(const isorun_runtime_config *cfg, isorun_runtime **out);
/* Drops the caller's reference; the runtime goes when nothing uses it. */
void isorun_runtime_free(isorun_runtime *rt);

/* ------------------------------------------------------------------------
 * Modules: decoded, validated and compiled once, immutable, shared by every
 * instance made from them. Thread-safe.
 * ------------------------------------------------------------------------ */

typedef struct isorun_module isorun_module;

/* Loads a module from bytes (copied). Loading bytes equal to a cached
 * module's returns that module (compiled once). Errors: ISORUN_ERR_MALFORMED,
 * ISORUN_ERR_INVALID (message has the byte offset and the reason),
 * ISORUN_ERR_NOMEM. */
isorun_error *isorun_module_load(isorun_runtime *rt, const void *bytes, size_t len, isorun_module **out);
/* The same from a file; ISORUN_ERR_IO names the file when it can't be read. */
isorun_error *isorun_module_load_file(isorun_runtime *rt, const char *path, isorun_module **out);
/* Loads a precompiled module: a native object written by
 * isorun_module_write_native (or `isorun compile -o`). The object carries
 * the module's bytes, which are decoded and validated as usual; its code runs
 * natively, with no C compiler needed. The object must have been built by
 * the same build of isorun (ISORUN_ERR_NATIVE says to rebuild it otherwise).
 * Loading an object runs code from it: load only objects you built or trust,
 * as you would an executable — never one a tenant hands you (give isorun the
 * tenant's .wasm instead). Not shared through the runtime's module cache. */
isorun_error *isorun_module_load_native(isorun_runtime *rt, const char *path, isorun_module **out);
/* Writes m's native object to path (replacing it atomically), for
 * isorun_module_load_native on machines without a C compiler (same isorun
 * build, same kind of machine). ISORUN_ERR_NATIVE when m is interpreted,
 * ISORUN_ERR_IO when the file can't be written. */
isorun_error *isorun_module_write_native(const isorun_module *m, const char *path);
/* Whether m's instances run native code (for a background build: whether
 * it has finished and succeeded). */
bool isorun_module_is_native(const isorun_module *m);
/* Waits for m's native code: NULL once m runs natively (at once when it
 * already does); the build's error (ISORUN_ERR_NATIVE, ...) when the build
 * failed and m stays interpreted; ISORUN_ERR_ARGUMENT when m's runtime does
 * not build native code. */
isorun_error *isorun_module_wait_native(isorun_module *m);
/* Drops the caller's reference. */
void isorun_module_free(isorun_module *m);

typedef enum isorun_extern_kind {
    ISORUN_EXTERN_FUNC, ISORUN_EXTERN_TABLE, ISORUN_EXTERN_MEMORY, ISORUN_EXTERN_GLOBAL
} isorun_extern_kind;

/* One import or export. Strings and the signature are owned by the module.
 * A parameter or result of a type the API cannot pass shows as ISORUN_V128,
 * ISORUN_FUNCREF or ISORUN_EXTERNREF; such functions cannot be called or
 * linked. */
typedef struct isorun_item_info {
    const char *module; /* imports only (NULL for exports) */
    const char *name;
    isorun_extern_kind kind;
    isorun_functype type; /* ISORUN_EXTERN_FUNC only */
    /* ISORUN_EXTERN_MEMORY (in 64 KiB pages) and ISORUN_EXTERN_TABLE (in
     * elements): the declared size and, when has_max, the most it may
     * grow to (a budget may allow less). */
    uint32_t min, max;
    bool has_max;
} isorun_item_info;

size_t isorun_module_import_count(const isorun_module *m);
size_t isorun_module_export_count(const isorun_module *m);
/* false when i is out of range. */
bool isorun_module_import(const isorun_module *m, size_t i, isorun_item_info *out);
bool isorun_module_export(const isorun_module *m, size_t i, isorun_item_info *out);

/* ------------------------------------------------------------------------
 * Instances (made by a builder, below)
 *
 * Calls into one instance are serialized: one thread at a time runs in it
 * (a call from another thread waits; a nested call on the same thread, e.g.
 * A -> B -> A through links, re-enters). Different instances run in parallel.
 * A waiting call gives up when its deadline passes (ISORUN_TRAP_DEADLINE,
 * "instance busy"); without a deadline it waits as long as it takes, so two
 * threads calling A -> B and B -> A at the same moment need a deadline.
 * A trap ends the call with an error and leaves the instance usable: its
 * memory and globals keep whatever the trapped code wrote.
 * ------------------------------------------------------------------------ */

typedef struct isorun_instance isorun_instance;

/* Calls export `name` with nargs arguments, writing nresults results; the
 * counts and kinds must match the export's signature (ISORUN_ERR_TYPE_MISMATCH
 * otherwise; ISORUN_ERR_NOT_FOUND if there is no such function export).
 * A trap is ISORUN_ERR_TRAP with isorun_error_trap() saying which (out of fuel,
 * deadline and interruption included); a guest's WASI exit is ISORUN_ERR_EXIT.
 * Results that own memory (strings, lists) are freed with isorun_val_free. */
isorun_error *isorun_instance_call(isorun_instance *inst, const char *name, const isorun_val *args, size_t nargs,
                                   isorun_val *results, size_t nresults);

/* Calls export `name` as a component-model function of type `functype`,
 * written as a type's canonical text (docs/protocol.md, "Types"), e.g.
 * "func(string,list<u32>)->(result<u64,string>)", through the canonical ABI
 * (the component model's CanonicalABI.md): the way a module built for a WIT
 * world (by wit-bindgen or by hand) implements its functions. The core
 * export must take and return the flattening of functype; strings and lists
 * go into the instance's memory 0 through its exported cabi_realloc, and
 * come back from it; "cabi_post_<name>", when exported, runs after the
 * results are read. All of it runs as one call of the instance (its lock,
 * budget and fuel). Results are the caller's: isorun_val_free each.
 * Strings are UTF-8; resources (own, borrow) are not supported yet.
 * Errors: ISORUN_ERR_ARGUMENT for a type text that does not parse or a type
 * the ABI cannot carry; ISORUN_ERR_TYPE_MISMATCH for counts or values that
 * do not fit the type, or a module that does not implement it (core
 * signature, memory, cabi_realloc); ISORUN_ERR_NOT_FOUND; ISORUN_ERR_TRAP,
 * with ISORUN_TRAP_INVALID_VALUE when the guest's results break the ABI
 * (bad UTF-8, a pointer out of bounds is ISORUN_TRAP_MEMORY_OOB ...). The
 * type is parsed on every call. */
isorun_error *isorun_instance_call_typed(isorun_instance *inst, const char *name, const char *functype,
                                         const isorun_val *args, size_t nargs, isorun_val *results, size_t nresults);

/* The signature of function export `name` (owned by the instance's module);
 * ISORUN_ERR_NOT_FOUND if absent. */
isorun_error *isorun_instance_func_type(const isorun_instance *inst, const char *name, isorun_functype *out);

/* Reference counting: every holder (a registry entry, a consumer linked to
 * this instance, the embedder) keeps the instance alive. */
isorun_instance *isorun_instance_ref(isorun_instance *inst);
void isorun_instance_free(isorun_instance *inst);

/* What the instance has consumed; safe to call from any thread, also while a
 * call runs (figures are then a recent snapshot). */
typedef struct isorun_usage {
    uint64_t memory_bytes;   /* sum of its memories' current sizes */
    uint64_t table_elements; /* sum of its tables' current sizes */
    uint64_t fuel_consumed;  /* since creation */
    uint64_t fuel_remaining; /* UINT64_MAX when fuel is not metered */
    uint64_t calls;          /* isorun_instance_call and incoming link/RPC calls */
    uint64_t traps;
    bool native;             /* its code runs natively (after a background build:
                                from its first call once the build ended) */
} isorun_usage;
void isorun_instance_usage(const isorun_instance *inst, isorun_usage *out);

/* Adds fuel (budget.fuel must have been set when it was built;
 * ISORUN_ERR_ARGUMENT otherwise). Thread-safe; takes effect at the next call. */
isorun_error *isorun_instance_add_fuel(isorun_instance *inst, uint64_t fuel);

/* Asks a running call to stop: it traps with ISORUN_TRAP_INTERRUPTED at the
 * next loop back-edge or call (also inside a locally linked provider it is
 * calling), or at once when it is blocked in a host call that waits on
 * isorun_call_wake_fd (every WASI call that can block does). Thread-safe; no
 * effect when idle (the flag is cleared when the next call starts). */
void isorun_instance_interrupt(isorun_instance *inst);

/* Bounds-checked access to the instance's memory 0 for the host: copies
 * len bytes at guest address addr. ISORUN_ERR_ARGUMENT when out of bounds or
 * the instance has no memory. Takes the instance's lock. */
isorun_error *isorun_instance_read_memory(isorun_instance *inst, uint32_t addr, void *dst, size_t len);
isorun_error *isorun_instance_write_memory(isorun_instance *inst, uint32_t addr, const void *src, size_t len);

/* ------------------------------------------------------------------------
 * Host functions and system components
 *
 * A system component grants a capability: it defines host functions in the
 * instance's import space (install) and keeps private state per instance
 * (configure / teardown). Nothing is granted by default. Lifecycle:
 *   install(config, imports)      when given to a builder; defines functions
 *   configure(config, inst, &st)  at instantiation, before the start function
 *   teardown(config, st)          when the instance is freed, and also when
 *                                 instantiation fails after configure ran;
 *                                 components are torn down in the reverse
 *                                 order of configure. A configure that fails
 *                                 cleans up after itself (its teardown does
 *                                 not run; the earlier components' do).
 *   free_config(config)           when the component's last reference goes
 * ------------------------------------------------------------------------ */

typedef struct isorun_call isorun_call;
typedef struct isorun_imports isorun_imports;
typedef struct isorun_system_component isorun_system_component;

/* A host function. args has the signature's parameters, results room for its
 * results (write each, kind included). Return NULL, or an error: it ends the
 * guest's call as a trap (ISORUN_TRAP_HOST with your message, or the trap
 * code of an ISORUN_ERR_TRAP error you return); ISORUN_ERR_EXIT ends the
 * whole call with that exit status. */
typedef isorun_error *(*isorun_host_fn)(isorun_call *call, const isorun_val *args, isorun_val *results);

/* Inside a host function: */
void *isorun_call_data(isorun_call *call);   /* the data given to isorun_imports_define */
void *isorun_call_state(isorun_call *call);  /* the defining component's state for the calling instance */
isorun_instance *isorun_call_instance(isorun_call *call); /* the caller (borrowed) */
/* A pointer to len bytes of the caller's memory 0 at addr, or NULL when out
 * of bounds or there is no memory. Valid until the host function returns. */
void *isorun_call_memory(isorun_call *call, uint32_t addr, uint32_t len);
/* The caller's memory size in bytes (0 without a memory). */
uint64_t isorun_call_memory_size(isorun_call *call);

/* Waiting inside a host function. The interpreter notices a deadline or
 * isorun_instance_interrupt between instructions; a host function blocked
 * in the host (reading a pipe or a socket, sleeping) would only see them
 * when it returns. To stop when they come, wait with poll(2) on your own
 * fds and the instance's wake-up fd, and when only the wake-up fd woke you,
 * ask why:
 *
 *     struct pollfd p[2] = {{fd, POLLIN, 0}, {isorun_call_wake_fd(call), POLLIN, 0}};
 *     for (;;) {
 *         if (poll(p, 2, -1) < 0 && errno != EINTR) return isorun_error_new(ISORUN_ERR_IO, ...);
 *         if (p[0].revents) break;          (ready: do the I/O, so nothing is lost)
 *         isorun_trap_code t = isorun_call_interrupted(call);
 *         if (t != ISORUN_TRAP_NONE) return isorun_error_new_trap(t, "while waiting for ...");
 *     }
 *
 * Returning that trap ends the guest's call as the interpreter's own check
 * would have (ISORUN_TRAP_DEADLINE or ISORUN_TRAP_INTERRUPTED). */

/* A file descriptor that is readable (POLLIN) while the calling instance's
 * call is asked to stop: its deadline passed (isorun_budget.deadline_ns, or
 * a linking caller's), or isorun_instance_interrupt was called. It belongs
 * to the instance (made on first use, closed when the instance is freed):
 * poll it, never read, write or close it. The same fd for every call of one
 * instance. -1 when the process is out of descriptors (poll(2) ignores a
 * negative fd): then wait in short slices and ask isorun_call_interrupted
 * between them. -1 for a NULL call. */
int isorun_call_wake_fd(isorun_call *call);

/* Whether the calling instance's call is asked to stop: ISORUN_TRAP_DEADLINE,
 * ISORUN_TRAP_INTERRUPTED, or ISORUN_TRAP_NONE to go on (also for a NULL
 * call). Any host function may ask, at any time (an atomic load; when the
 * answer is NONE and the wake-up fd exists, also one non-blocking read of
 * it). An answer of NONE right after the wake-up fd woke you means the
 * wake-up was left over from an interrupt raised as this call began (which
 * the call's start cancels); it is consumed then, so simply wait again. */
isorun_trap_code isorun_call_interrupted(isorun_call *call);

/* Calls function export `name` of inst from inside a host function, as part
 * of the calling guest's call. Like isorun_instance_call, except that the
 * call cannot outlive the guest's budget: it runs under the earlier of the
 * caller's deadline and inst's own, and isorun_instance_interrupt on the
 * caller reaches it, as for a local link (isorun_instance_call from a host
 * function starts a call of its own, bounded only by inst's budget). inst
 * may be the calling instance (re-entry on this thread). A trap in inst is
 * the returned error; return it from the host function to end the guest's
 * call with it. ISORUN_ERR_ARGUMENT for a NULL call. */
isorun_error *isorun_call_instance_call(isorun_call *call, isorun_instance *inst, const char *name,
                                        const isorun_val *args, size_t nargs, isorun_val *results,
                                        size_t nresults);

/* Defines host function module.name with a signature written as parameter
 * types, "->", result types, e.g. "i32 i32 -> i32", "-> i64", "f64 ->".
 * Called from install. A second definition of the same name is an error
 * (ISORUN_ERR_ARGUMENT); so is a malformed signature. */
isorun_error *isorun_imports_define(isorun_imports *imports, const char *module, const char *name,
                                    const char *signature, isorun_host_fn fn, void *data);

typedef struct isorun_system_ops {
    const char *name; /* for messages, e.g. "example:kv" */
    isorun_error *(*install)(void *config, isorun_imports *imports);
    isorun_error *(*configure)(void *config, isorun_instance *inst, void **state); /* may be NULL */
    void (*teardown)(void *config, void *state);                                   /* may be NULL */
    void (*free_config)(void *config);                                             /* may be NULL */
} isorun_system_ops;

/* Makes a component (reference counted; several builders may share one, and
 * config is then shared: make it thread-safe if instances run in parallel).
 * ops must outlive the component. On error, free_config has run on config. */
isorun_error *isorun_system_new(const isorun_system_ops *ops, void *config, isorun_system_component **out);
isorun_system_component *isorun_system_ref(isorun_system_component *c);
void isorun_system_free(isorun_system_component *c);

/* ---- WASI preview 1 ("wasi_snapshot_preview1") as a system component ---- */

typedef struct isorun_wasi_options isorun_wasi_options;

#define ISORUN_WASI_READ_ONLY 1u /* mount flag */
#define ISORUN_WASI_CLOCKS 1u    /* grants: clock_time_get, clock_res_get, poll_oneoff clocks */
#define ISORUN_WASI_RANDOM 2u    /* grants: random_get */

/* Options start empty: no arguments, no environment, stdio on the host's
 * fds 0/1/2, no mounts, no clocks, no random. */
isorun_wasi_options *isorun_wasi_options_new(void);
void isorun_wasi_options_free(isorun_wasi_options *o);
/* argv[0] is the program name the guest sees. Copied. */
isorun_error *isorun_wasi_set_args(isorun_wasi_options *o, int argc, const char *const *argv);
/* One "NAME=VALUE" entry. Copied. */
isorun_error *isorun_wasi_add_env(isorun_wasi_options *o, const char *name_equals_value);
/* Host fds for guest fds 0, 1, 2 (never closed by isorun); -1 = closed. */
void isorun_wasi_set_stdio(isorun_wasi_options *o, int in_fd, int out_fd, int err_fd);
/* Makes host directory host_dir visible to the guest as guest_path (opened
 * now: later changes to the host path do not matter). The guest can reach
 * nothing outside it: a path that would leave it ("..", absolute paths,
 * symlinks out) gets ENOTCAPABLE (76); renames and hard links between mounts
 * get EXDEV (75). With ISORUN_WASI_READ_ONLY, every change through the mount
 * gets EROFS (69). ISORUN_ERR_IO if host_dir can't be opened. */
isorun_error *isorun_wasi_mount(isorun_wasi_options *o, const char *host_dir, const char *guest_path,
                                unsigned flags);
/* Grants ISORUN_WASI_CLOCKS / ISORUN_WASI_RANDOM (bitwise or). Ungranted
 * functions return the WASI errno ENOTCAPABLE (76) to the guest. */
void isorun_wasi_allow(isorun_wasi_options *o, unsigned grants);

/* The component (takes ownership of o, also on error). Each instance gets
 * its own WASI state (fd table, exit status) from these options; freeing the
 * instance closes every fd the guest opened (never the stdio fds given). It
 * defines every preview 1 function: proc_exit ends the call with
 * ISORUN_ERR_EXIT, sockets (sock_*) return ENOTSUP (58), proc_raise ENOSYS
 * (52), a pointer outside guest memory EFAULT (21). A guest waiting in
 * poll_oneoff, or in fd_read/fd_write on a pipe, FIFO, socket or terminal,
 * is stopped by the call's deadline (ISORUN_TRAP_DEADLINE) and by
 * isorun_instance_interrupt (ISORUN_TRAP_INTERRUPTED) like running code.
 * docs/wasi.md has it all. */
isorun_error *isorun_wasi_new(isorun_wasi_options *o, isorun_system_component **out);

/* Whether the component provides preview 1 function `name`: its signature
 * as isorun_imports_define writes them ("i32 i64 i32 -> i32"), or NULL. In
 * *grant (may be NULL) the ISORUN_WASI_* bit a guest needs for it to do
 * anything (without it the call returns ENOTCAPABLE, 76), 0 when none is:
 * files come with mounts, stdio with the component. For tools that tell
 * a user what a module asks for before running it (`isorun inspect`). */
const char *isorun_wasi_function(const char *name, unsigned *grant);

/* ------------------------------------------------------------------------
 * Budgets
 * ------------------------------------------------------------------------ */

#define ISORUN_BUDGET_TRAP_ON_GROW 1u /* growth past a limit traps (ISORUN_TRAP_RESOURCE_LIMIT) instead of failing */

/* What one instance may consume; zero fields mean "no limit beyond the
 * engine's own" (4 GiB per memory, 10 million table elements, call depth
 * 10000). Exceeding a growth limit makes memory.grow / table.grow return -1
 * as the specification allows (or trap, with ISORUN_BUDGET_TRAP_ON_GROW);
 * running out of fuel or time traps (ISORUN_TRAP_OUT_OF_FUEL,
 * ISORUN_TRAP_DEADLINE); a module needing more memories, tables or initial
 * pages/elements than allowed fails to instantiate (ISORUN_ERR_LIMIT). */
typedef struct isorun_budget {
    uint64_t max_memory_bytes;   /* sum over the instance's memories */
    uint64_t max_table_elements; /* sum over its tables */
    uint32_t max_instances;      /* core instances it may consist of */
    uint32_t max_tables;
    uint32_t max_memories;
    uint64_t fuel;               /* instructions (charged per block); 0 = unmetered */
    uint64_t deadline_ns;        /* wall-clock limit of each call; 0 = none */
    uint32_t max_call_depth;     /* nested wasm calls; 0 = 10000 */
    uint32_t flags;              /* ISORUN_BUDGET_* */
} isorun_budget;

/* ------------------------------------------------------------------------
 * Builder: collects what one instance gets, then instantiates
 * ------------------------------------------------------------------------ */

typedef struct isorun_builder isorun_builder;

/* A builder for an instance of m (both referenced). Not thread-safe; reusable:
 * each isorun_builder_instantiate makes a new instance. NULL on OOM, or when
 * m was loaded into another runtime. */
isorun_builder *isorun_builder_new(isorun_runtime *rt, isorun_module *m);
void isorun_builder_free(isorun_builder *b);

/* Grants a system component (the builder takes a reference and runs its
 * install now). */
isorun_error *isorun_builder_add_system(isorun_builder *b, isorun_system_component *c);

/* Satisfies every function import from module `import_module` with the
 * function export of the same name of provider, a live instance of the same
 * runtime: calls go directly, with no serialization. Types are checked at
 * instantiation (a missing export or a different signature is
 * ISORUN_ERR_UNLINKABLE naming both sides). Numbers and v128 vectors cross;
 * a signature with a reference (funcref, externref) is refused, since a
 * reference points into the provider's store. A trap in the provider surfaces
 * to the caller as an error naming the provider, with the provider's trap
 * code; the provider stays usable. The provider runs under its own budget
 * and, in addition, the calling call's deadline. A provider busy with
 * another thread's call is waited for (see "Instances" above). The consumer
 * keeps a reference to provider. */
isorun_error *isorun_builder_link_local(isorun_builder *b, const char *import_module, isorun_instance *provider);

/* Copies the budget (NULL = no limits). */
void isorun_builder_set_budget(isorun_builder *b, const isorun_budget *budget);

/* Registers the new instance under id in the runtime's registry at
 * instantiation (so peers can call it). */
isorun_error *isorun_builder_set_id(isorun_builder *b, const char *id);

/* Makes the instance: resolves every import (links first, then system
 * components; an unresolved one is ISORUN_ERR_UNLINKABLE naming it), applies
 * the budget, runs configure of every component, then the module's segments
 * and start function (a trap there: ISORUN_ERR_UNINSTANTIABLE). */
isorun_error *isorun_builder_instantiate(isorun_builder *b, isorun_instance **out);

/* ------------------------------------------------------------------------
 * Registry: instances callable by id (by remote peers, or looked up locally)
 * ------------------------------------------------------------------------ */

/* Ids are unique per runtime: registering a taken id is ISORUN_ERR_ARGUMENT.
 * The registry holds a reference until unregistered (or the runtime goes). */
isorun_error *isorun_runtime_register(isorun_runtime *rt, const char *id, isorun_instance *inst);
/* ISORUN_ERR_NOT_FOUND if id is not registered. */
isorun_error *isorun_runtime_unregister(isorun_runtime *rt, const char *id);
/* A new reference to the instance registered as id, or NULL. Safe against a
 * concurrent unregister/free: the reference keeps the instance alive. */
isorun_instance *isorun_runtime_lookup(isorun_runtime *rt, const char *id);

/* ------------------------------------------------------------------------
 * Remote calls: protocol statuses and frames
 *
 * Instances call each other across runtimes (threads, processes, machines)
 * with the protocol of docs/protocol.md: whole frames, each a 16-byte header
 * and a body, carried by a transport.
 * ------------------------------------------------------------------------ */

/* Every status a remote call can end with: X(enum suffix, wire number, short
 * name, meaning). The wire numbers are part of the protocol. UNAVAILABLE is
 * never sent: it is what a caller sees when the transport fails. */
#define ISORUN_RPC_STATUS_LIST(X)                                                                       \
    X(OK, 0, "ok", "the call returned results")                                                         \
    X(UNKNOWN_INSTANCE, 1, "unknown-instance", "no instance is registered under the target id")         \
    X(UNKNOWN_FUNCTION, 2, "unknown-function", "the target has no function export of that name")       \
    X(TYPE_MISMATCH, 3, "type-mismatch", "caller and callee disagree on the function's type")           \
    X(TRAP, 4, "trap", "the callee trapped")                                                            \
    X(BUDGET_EXCEEDED, 5, "budget-exceeded", "the callee ran out of fuel or hit a resource limit")      \
    X(DEADLINE_EXCEEDED, 6, "deadline-exceeded", "the call did not finish within the caller's deadline") \
    X(MALFORMED_REQUEST, 7, "malformed-request", "the request could not be decoded")                    \
    X(TOO_LARGE, 8, "too-large", "a frame or a decoded value exceeded a configured limit")              \
    X(SHUTTING_DOWN, 9, "shutting-down", "the serving side is shutting down")                           \
    X(INTERNAL, 10, "internal", "the serving side failed (e.g. out of memory)")                         \
    X(CALL_CYCLE, 11, "call-cycle", "the call would re-enter an instance already waiting in this chain") \
    X(OVERLOADED, 12, "overloaded", "the serving side's queue of waiting calls is full")                \
    X(UNAVAILABLE, 13, "unavailable", "the transport failed: the peer is unreachable or went away")

typedef enum isorun_rpc_status {
#define ISORUN_X_ENUM(name, wire, str, msg) ISORUN_RPC_##name = wire,
    ISORUN_RPC_STATUS_LIST(ISORUN_X_ENUM)
#undef ISORUN_X_ENUM
    ISORUN_RPC_STATUS_COUNT_
} isorun_rpc_status;

/* "type-mismatch", ...; "?" when out of range. */
const char *isorun_rpc_status_name(isorun_rpc_status s);
const char *isorun_rpc_status_message(isorun_rpc_status s);

/* The status a failed remote call ended with, whether the embedder called
 * through the client API or a guest called an import linked remotely (the
 * status stays on the error when the failure becomes the guest's trap, so
 * isorun_instance_call's error carries it): ISORUN_RPC_UNAVAILABLE when the
 * transport failed (the peer is unreachable or went away: worth a retry
 * elsewhere), ISORUN_RPC_DEADLINE_EXCEEDED when time ran out, otherwise the
 * status the serving side answered. ISORUN_RPC_OK for NULL and for errors
 * that did not come from a remote call's status (including a response that
 * could not be decoded). */
isorun_rpc_status isorun_error_rpc_status(const isorun_error *err);

/* Every frame starts with a header of this many bytes. */
#define ISORUN_FRAME_HEADER_SIZE 16
/* The default bound on a frame's body (16 MiB). */
#define ISORUN_DEFAULT_MAX_FRAME (16u << 20)

/* For a transport over a byte stream: given the first header_len bytes of a
 * frame (at least ISORUN_FRAME_HEADER_SIZE), the size of the whole frame.
 * Checks the magic bytes, the version and the type, and refuses a body larger
 * than max_body (0 = ISORUN_DEFAULT_MAX_FRAME) with ISORUN_ERR_LIMIT before
 * anything is allocated for it; ISORUN_ERR_MALFORMED otherwise. */
isorun_error *isorun_frame_size(const void *header, size_t header_len, uint32_t max_body, size_t *frame_size);

/* ------------------------------------------------------------------------
 * Transports: how frames reach a peer runtime
 *
 * A transport is one end of a connection that carries whole frames both
 * ways. One transport multiplexes any number of concurrent calls (matched by
 * request id), and both ends may call and serve over it at once. Built in:
 *
 *   isorun_transport_pair()          two connected ends in one process
 *   isorun_transport_dial("tcp://127.0.0.1:7000")   TCP
 *   isorun_transport_dial("unix:///run/isorun.sock") Unix socket
 *   isorun_transport_dial("nats://127.0.0.1:4222")  NATS request/reply (when
 *                                    built with ISORUN_NATS; calls go to the
 *                                    subject derived from the target's id)
 *
 * An embedder carries frames over anything else by implementing
 * isorun_transport_ops (and isorun_listener_ops to accept connections).
 * ------------------------------------------------------------------------ */

typedef struct isorun_transport isorun_transport;
typedef struct isorun_listener isorun_listener;

/* A connection an embedder implements. impl is theirs; isorun calls: */
typedef struct isorun_transport_ops {
    const char *name; /* "tcp", "my-bus", ...: for messages */
    /* Sends one whole frame (ISORUN_FRAME_HEADER_SIZE + body bytes). Called
     * from any thread, also concurrently: frames must never interleave. Must
     * give up with an error rather than block past deadline_ns
     * (CLOCK_MONOTONIC nanoseconds; 0 = no deadline); a frame only partly
     * sent breaks the connection, so close it then. target: the instance id a
     * request or cancel frame is addressed to, for transports that route by
     * it (NATS); NULL for other frames. */
    isorun_error *(*send)(void *impl, const uint8_t *frame, size_t len, const char *target, uint64_t deadline_ns);
    /* Waits for the next whole frame and returns it in *frame (malloc'd; the
     * caller frees it). Refuses a frame whose body exceeds max_body (see
     * isorun_frame_size). Only one thread calls recv at a time. When the
     * connection is closed (locally or by the peer), returns an error. */
    isorun_error *(*recv)(void *impl, uint32_t max_body, uint8_t **frame, size_t *len);
    /* Makes a blocked recv and every later send/recv fail promptly. May be
     * called from any thread, more than once. */
    void (*close)(void *impl);
    /* Frees impl, after close, when no call of the other ops runs. */
    void (*free)(void *impl);
    /* Optional (may be NULL): who is at the other end, for logs. */
    const char *(*describe)(void *impl);
    /* Optional (may be NULL): recv that gives up at deadline_ns (0 = none),
     * returning no error and *frame = NULL then; a frame only partly
     * received by then must stay for the next call. With it, a thread that
     * waits for a response reads it itself (when no server is attached),
     * which saves a thread hand-off per call; without it, isorun runs a
     * reader thread. */
    isorun_error *(*recv_timed)(void *impl, uint32_t max_body, uint64_t deadline_ns, uint8_t **frame, size_t *len);
} isorun_transport_ops;

/* Limits and timeouts of one transport or server (NULL or zero fields:
 * defaults). */
typedef struct isorun_rpc_options {
    uint32_t max_frame_bytes;   /* largest frame body sent or accepted; 0 = ISORUN_DEFAULT_MAX_FRAME */
    uint64_t max_decoded_bytes; /* host memory one message may decode into; 0 = 64 MiB */
    uint64_t call_timeout_ns;   /* longest a call waits when its caller has no earlier deadline; 0 = 30 s */
} isorun_rpc_options;

/* Wraps an embedder's connection. On error, ops->free(impl) has run. */
isorun_error *isorun_transport_new(const isorun_transport_ops *ops, void *impl, const isorun_rpc_options *opts,
                                   isorun_transport **out);
/* Two connected in-process ends: what one sends, the other receives. Calls
 * over a pair run on the calling thread (no thread hand-off). */
isorun_error *isorun_transport_pair(const isorun_rpc_options *opts, isorun_transport **a, isorun_transport **b);
/* Connects to a peer: tcp://HOST:PORT, unix:///PATH or nats://HOST:PORT.
 * Waits at most opts->call_timeout_ns to connect. ISORUN_ERR_IO naming the
 * address when nothing answers there; ISORUN_ERR_ARGUMENT for a bad URL. */
isorun_error *isorun_transport_dial(const char *url, const isorun_rpc_options *opts, isorun_transport **out);
/* Reference counting: links and servers using a transport keep it alive. The
 * last free closes the connection and waits for its reader threads, so it
 * must not happen inside a call that the same transport is serving. */
isorun_transport *isorun_transport_ref(isorun_transport *t);
void isorun_transport_free(isorun_transport *t);
/* Closes the connection now: calls waiting on it fail with status
 * "unavailable", later calls too. The handle stays valid until freed. */
void isorun_transport_close(isorun_transport *t);
/* "tcp 127.0.0.1:7000" and the like. Never NULL. */
const char *isorun_transport_describe(const isorun_transport *t);

/* Calls function `function` of the instance registered as remote_id at the
 * peer, from the host. type is the function's signature as the caller knows
 * it (checked by the callee against its own: ISORUN_ERR_TYPE_MISMATCH when
 * they differ). Waits at most timeout_ns (0 = the transport's call timeout).
 * A remote failure is an error whose code follows the remote status
 * (docs/protocol.md) and whose message starts with "remote <status> ". */
isorun_error *isorun_transport_call(isorun_transport *t, const char *remote_id, const char *function,
                                    const isorun_functype *type, const isorun_val *args, isorun_val *results,
                                    uint64_t timeout_ns);

/* A source of incoming connections an embedder implements. */
typedef struct isorun_listener_ops {
    const char *name;
    /* Waits for the next connection; returns its ops and impl. After close,
     * returns an error. */
    isorun_error *(*accept)(void *impl, const isorun_transport_ops **ops, void **conn_impl);
    /* Optional (NULL for listeners that do not route by id): the server
     * tells which instance ids it serves, as they come and go, so a
     * listener that routes by id (NATS: one subject per id) can subscribe. */
    isorun_error *(*advertise)(void *impl, const char *id);
    void (*withdraw)(void *impl, const char *id);
    void (*close)(void *impl);
    void (*free)(void *impl);
    /* Optional: the address it listens on, for logs. */
    const char *(*describe)(void *impl);
} isorun_listener_ops;

/* Wraps an embedder's listener. On error, ops->free(impl) has run. */
isorun_error *isorun_listener_new(const isorun_listener_ops *ops, void *impl, isorun_listener **out);
/* Listens on tcp://HOST:PORT (port 0: any free port), unix:///PATH (a stale
 * socket file left by a dead process is replaced) or nats://HOST:PORT. */
isorun_error *isorun_listen(const char *url, const isorun_rpc_options *opts, isorun_listener **out);
/* The address actually listened on, e.g. "tcp://127.0.0.1:41234" when port 0
 * was asked for: what a peer dials. Never NULL. */
const char *isorun_listener_url(const isorun_listener *l);
/* Closes and frees a listener not given to a server. */
void isorun_listener_free(isorun_listener *l);

/* ------------------------------------------------------------------------
 * Serving a runtime's registry to remote callers
 *
 * A server answers the calls that arrive on its listeners' connections and
 * on transports attached to it, by running the target instance (found in the
 * runtime's registry by id) under that instance's budget and the caller's
 * deadline. Calls into one instance run one at a time; calls into different
 * instances run in parallel on a bounded pool of worker threads.
 * docs/protocol.md describes what callers see in every case.
 * ------------------------------------------------------------------------ */

typedef struct isorun_server isorun_server;

typedef struct isorun_server_config {
    uint32_t workers;    /* threads running calls; 0 = 8 */
    uint32_t max_queued; /* calls waiting for a worker before "overloaded"; 0 = 1024 */
    isorun_rpc_options rpc; /* for accepted connections */
    /* How long isorun_server_free lets running calls finish before it
     * interrupts them; 0 = 5 s. */
    uint64_t shutdown_grace_ns;
    /* One line per lifecycle event (listening, connection opened/closed,
     * shutting down, stopped); NULL = silent. Called from server threads. */
    void (*log)(void *log_data, const char *line);
    void *log_data;
} isorun_server_config;

/* A server for rt's registry (cfg may be NULL). */
isorun_error *isorun_server_new(isorun_runtime *rt, const isorun_server_config *cfg, isorun_server **out);
/* Accepts connections from l and serves each; the server owns l from now on
 * (also on error). */
isorun_error *isorun_server_listen(isorun_server *s, isorun_listener *l);
/* Serves the calls arriving on t (which stays usable for calls the other
 * way). The server takes a reference. A transport has at most one server. */
isorun_error *isorun_server_attach(isorun_server *s, isorun_transport *t);
/* Shuts down: stops accepting, answers queued calls with "shutting-down",
 * lets running calls finish (interrupting them after the grace period),
 * sends their responses, closes its connections and frees. */
void isorun_server_free(isorun_server *s);

/* ------------------------------------------------------------------------
 * Remote links
 * ------------------------------------------------------------------------ */

/* Satisfies every function import from module `import_module` with a stub
 * that calls the function of the same name of the instance registered as
 * remote_id at the other end of t. A stub encodes the arguments, sends them,
 * waits (at most until the calling guest's deadline, and at most the
 * transport's call timeout), and returns the results — or makes the guest's
 * call trap: with the remote trap code when the callee trapped, otherwise
 * ISORUN_TRAP_HOST with a message naming the import, the remote id and the
 * remote status ("remote call-cycle (...): ..."). Signatures are checked by the
 * callee on every call (type fingerprints). The builder keeps a reference to
 * t. Only numeric (i32/i64/f32/f64) signatures can be linked.
 * When t was made by isorun_transport_dial and its connection fails, the
 * link's next call dials the same address again (with t's options, and t's
 * server attached to the new connection too) and the link keeps the new
 * connection: a restarted peer is reached again. A call in flight when the
 * connection failed ends with ISORUN_RPC_UNAVAILABLE and is never repeated
 * (it may have run). While the address does not answer, the link dials at
 * most once a second; calls in between fail at once, unavailable. t itself
 * stays closed: isorun_transport_call on it keeps failing. */
isorun_error *isorun_builder_link_remote(isorun_builder *b, const char *import_module, isorun_transport *t,
                                         const char *remote_id);

#ifdef __cplusplus
}
#endif
#endif /* ISORUN_H */
