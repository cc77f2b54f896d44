/*
 * runtime.h — the runtime layer's face: the structures behind the public
 * runtime, module, builder, instance and system-component handles, and the
 * helpers the files of src/runtime share. Layers above (rpc, tools) include
 * this to reach an instance's engine objects; everything they may rely on is
 * declared here.
 *
 * Ownership in one picture:
 *
 *   runtime  <── module (ref) <── instance (ref) ──> store (owned)
 *      │                              │──> providers (ref, local links)
 *      │                              └──> system components (ref) + states
 *      ├── module cache: compiled wasm_modules (ref), no runtime refs
 *      ├── registry: instances (ref); cleared when the embedder frees the runtime
 *      └── deadline timer thread (started on first use, joined at destroy)
 *
 * The registry is the only owner that could form a cycle (instance -> runtime
 * -> registry -> instance); isorun_runtime_free breaks it by emptying and
 * closing the registry before dropping the embedder's reference.
 */
#ifndef ISORUN_RUNTIME_H
#define ISORUN_RUNTIME_H

#include "../util/util.h"
#include "../wasm/wasm.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Values and signatures (values.c, signature.c)
 * ------------------------------------------------------------------------ */

/* The API kind of a core value type; false for v128 and references, which
 * this API does not pass. */
bool isr_kind_of_valtype(uint8_t valtype, isorun_kind *out);
/* The core value type a kind is passed as (ISORUN_S32/U32 as i32, S64/U64 as
 * i64); 0 when the kind is not a core number. */
uint8_t isr_valtype_of_kind(isorun_kind kind);
/* A value for a slot of the given core type, and back. */
isorun_val isr_val_of_slot(uint8_t valtype, wasm_slot slot);
wasm_slot isr_slot_of_val(const isorun_val *v);

/* Parses "i32 i32 -> i32" into *out (out->types is malloc'd; free it). */
isorun_error *isr_signature_parse(const char *text, wasm_functype *out);
/* Appends "(i32 i32 -> i32)" to b (no NUL). */
bool isr_functype_describe(isr_buf *b, const wasm_functype *t);
/* The same as a malloc'd string; NULL on OOM. */
char *isr_functype_string(const wasm_functype *t);
/* True when every parameter and result is i32, i64, f32 or f64. */
bool isr_functype_is_numeric(const wasm_functype *t);
/* True when some parameter or result is a reference (funcref, externref). */
bool isr_functype_has_refs(const wasm_functype *t);
/* Appends s as a quoted, escaped name ("name") to b. */
bool isr_append_quoted(isr_buf *b, const char *s, size_t n);

/* ------------------------------------------------------------------------
 * An instance's interrupt (interrupt.c)
 * ------------------------------------------------------------------------ */

/* What stops a running call: `flag`, which the interpreter polls, and a
 * wake-up fd that host functions blocked in poll(2) poll too. */
typedef struct isr_interrupt {
    atomic_int flag;    /* 0, WASM_INTERRUPT_STOP or WASM_INTERRUPT_DEADLINE */
    atomic_int wake_fd; /* an eventfd, readable while raised; -1 until first asked for */
} isr_interrupt;

void isr_interrupt_init(isr_interrupt *in);
void isr_interrupt_destroy(isr_interrupt *in); /* closes the wake-up fd */
/* Stores why (WASM_INTERRUPT_*) and signals the wake-up fd. Any thread. */
void isr_interrupt_raise(isr_interrupt *in, int why);
/* Lowers the flag and empties the wake-up fd: the start of an outermost call. */
void isr_interrupt_clear(isr_interrupt *in);
/* The wake-up fd, made on first use (signalled at once if already raised);
 * -1 when no descriptor can be made. */
int isr_interrupt_wake_fd(isr_interrupt *in);
/* The trap a raised flag means (ISORUN_TRAP_DEADLINE or _INTERRUPTED), or
 * ISORUN_TRAP_NONE, after emptying a wake-up left over from before the call. */
isorun_trap_code isr_interrupt_check(isr_interrupt *in);

/* ------------------------------------------------------------------------
 * Monotonic time and the per-runtime deadline timer (deadline.c)
 * ------------------------------------------------------------------------ */

uint64_t isr_now_ns(void); /* CLOCK_MONOTONIC */

/* One armed deadline: when `when_ns` passes, the timer raises `target` with
 * WASM_INTERRUPT_DEADLINE. Embedded in the instance. */
typedef struct isr_timer_slot {
    uint64_t when_ns;
    isr_interrupt *target;
    size_t index; /* in the timer's armed array while armed */
    bool armed;
} isr_timer_slot;

typedef struct isr_deadline_timer {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* CLOCK_MONOTONIC */
    pthread_t thread;
    bool started, stopping;
    isr_timer_slot **armed;
    size_t narmed, cap;
    uint64_t sleeping_until; /* 0 = sleeping without a deadline */
} isr_deadline_timer;

void isr_deadline_timer_init(isr_deadline_timer *t);
/* Stops and joins the thread, if it was started. */
void isr_deadline_timer_destroy(isr_deadline_timer *t);
/* Arms slot (starting the thread on first use). */
isorun_error *isr_deadline_arm(isr_deadline_timer *t, isr_timer_slot *slot, uint64_t when_ns,
                               isr_interrupt *target);
void isr_deadline_disarm(isr_deadline_timer *t, isr_timer_slot *slot);

/* ------------------------------------------------------------------------
 * Runtime, module cache, registry (runtime.c, module_cache.c, registry.c)
 * ------------------------------------------------------------------------ */

typedef struct isr_cache_entry {
    uint64_t hash;
    uint8_t *bytes; /* a copy, compared byte for byte on a hash match */
    size_t len;
    wasm_module *wm;      /* holds a reference */
    isorun_module *live;  /* the wrapper handed out, while someone holds it (weak) */
    uint64_t last_use;
} isr_cache_entry;

typedef struct isr_reg_entry {
    struct isr_reg_entry *next;
    uint64_t hash;
    char *id;
    isorun_instance *inst; /* holds a reference */
} isr_reg_entry;

struct isorun_runtime {
    atomic_uint refs; /* the embedder's, plus one per module and instance */

    pthread_mutex_t cache_lock; /* also guards every module's 0 <-> 1 refcount step */
    isr_cache_entry *cache;
    size_t ncache, cache_cap_entries, cache_limit;
    uint64_t cache_tick;

    pthread_mutex_t registry_lock;
    isr_reg_entry **buckets;
    size_t nbuckets, nregistered;
    bool registry_closed; /* the embedder freed the runtime: no new ids */

    isr_deadline_timer timer;

    /* Who waits for which instance lock (instance_lock.c), to find a wait
     * that could never end: a cycle of threads each holding an instance the
     * next one waits for. */
    pthread_mutex_t waits_lock;
    struct isr_lock_waiter *lock_waiters;

    /* isorun_runtime_config's native tier settings (strings owned). */
    bool native;
    bool native_background;
    pthread_mutex_t jobs_lock;
    struct isr_native_job *jobs; /* background builds (native_jobs.c) */
    char *native_cache_dir;
    char *native_cc;
    bool native_keep_source;
    void (*native_build_started)(void *arg);
    void *native_build_arg;
};

/* Background native builds (native_jobs.c). */
typedef struct isr_native_job isr_native_job;
/* Starts building wm's native code on a thread of its own. */
isorun_error *isr_native_job_start(isorun_runtime *rt, wasm_module *wm);
/* Waits for wm's build: NULL when it succeeded, a copy of its error
 * otherwise; ISORUN_ERR_ARGUMENT when wm has no build. */
isorun_error *isr_native_job_wait(isorun_runtime *rt, wasm_module *wm);
/* Joins and frees every build (the runtime is going). */
void isr_native_jobs_join(isorun_runtime *rt);

isorun_runtime *isr_runtime_ref(isorun_runtime *rt);
void isr_runtime_release(isorun_runtime *rt);

uint64_t isr_hash_bytes(const void *p, size_t n); /* FNV-1a, 64 bits */

/* Finds the compiled module for bytes (a new reference) or NULL. */
wasm_module *isr_cache_find(isorun_runtime *rt, const uint8_t *bytes, size_t len, uint64_t hash,
                            isorun_module **live);
/* Records m, just made from bytes; returns m, or the live module another
 * thread cached for the same bytes meanwhile (with a new reference). */
isorun_module *isr_cache_insert(isorun_runtime *rt, const uint8_t *bytes, size_t len, uint64_t hash,
                                isorun_module *m);
/* Under rt->cache_lock, when m's count reached zero: m is no longer live. */
void isr_cache_forget(isorun_runtime *rt, isorun_module *m);
void isr_cache_destroy(isorun_runtime *rt);

/* Drops every registry entry and refuses new ones (isorun_runtime_free). */
void isr_registry_close(isorun_runtime *rt);
void isr_registry_destroy(isorun_runtime *rt);

/* ------------------------------------------------------------------------
 * Modules (module.c)
 * ------------------------------------------------------------------------ */

struct isorun_module {
    atomic_uint refs; /* changes to and from 0 happen under rt->cache_lock */
    isorun_runtime *rt; /* holds a reference */
    wasm_module *wm;    /* holds a reference */
    isorun_item_info *imports, *exports;
    isorun_kind *kinds; /* storage behind every item's functype */
};

isorun_module *isr_module_ref(isorun_module *m);
/* The export info of function export `name`, or NULL. */
const isorun_item_info *isr_module_func_export(const isorun_module *m, const char *name, uint32_t *index);

/* ------------------------------------------------------------------------
 * System components and the import space (system.c, imports.c)
 * ------------------------------------------------------------------------ */

struct isorun_system_component {
    atomic_uint refs;
    const isorun_system_ops *ops;
    void *config;
};

/* One host function defined by a component's install. */
typedef struct isr_host_def {
    char *module, *name;
    wasm_functype type;   /* types malloc'd */
    isorun_host_fn fn;
    void *data;
    size_t component;     /* index of the defining component in the builder */
} isr_host_def;

/* Reference counted: a builder and the instances it made share one set
 * until the builder changes it (copy on write). */
struct isorun_imports {
    atomic_uint refs;
    isr_host_def *defs;
    size_t ndefs, cap;
    size_t installing; /* index of the component whose install runs */
};

isorun_imports *isr_imports_new(void); /* NULL on OOM */
isorun_imports *isr_imports_ref(isorun_imports *im);
void isr_imports_release(isorun_imports *im);
/* Makes *pim the caller's own (copying it if shared) before a change. */
isorun_error *isr_imports_unshare(isorun_imports **pim);
/* Drops definitions from index `keep` on (a failed install). */
void isr_imports_truncate(isorun_imports *im, size_t keep);
const isr_host_def *isr_imports_find(const isorun_imports *im, const char *module, size_t module_len,
                                     const char *name, size_t name_len);

/* ------------------------------------------------------------------------
 * Instances (instance.c, instance_lock.c, host_call.c, link_local.c)
 * ------------------------------------------------------------------------ */

/* Serializes calls into one instance; the owning thread may re-enter. */
typedef struct isr_lock {
    atomic_uintptr_t owner; /* the owning thread's token, 0 when free */
    uint32_t depth;         /* entries by the owner; only the owner touches it */
    atomic_uint waiters;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* CLOCK_MONOTONIC */
} isr_lock;

bool isr_lock_init(isr_lock *l);
void isr_lock_destroy(isr_lock *l);

/* The env of a host function made from an isr_host_def for one instance. */
typedef struct isr_host_binding {
    isorun_instance *inst;
    const isr_host_def *def; /* owned by inst->defs */
} isr_host_binding;

/* The env of a link: the consumer's import bound to the provider's export. */
typedef struct isr_link_binding {
    isorun_instance *consumer;
    isorun_instance *provider;
    wasm_func *func; /* the provider's export (in the provider's store) */
    const char *name; /* export name (the consumer module's import name) */
} isr_link_binding;

struct isorun_instance {
    atomic_uint refs;
    isorun_runtime *rt;     /* holds a reference */
    isorun_module *module;  /* holds a reference */
    wasm_store *store;      /* owned */
    wasm_instance *winst;   /* owned by the store; NULL until instantiated */
    char *id;               /* registry id given to the builder, or NULL */
    isr_lock lock;

    /* Granted components, their definitions and their per-instance state. */
    isorun_system_component **components; /* references */
    void **states;
    size_t ncomponents, nconfigured;
    isorun_imports *defs; /* shared with the builder (reference) */
    isr_host_binding *host_bindings;
    size_t nhost_bindings;

    /* Local links. */
    isr_link_binding *link_bindings;
    size_t nlink_bindings;
    isorun_instance **providers; /* references */
    size_t nproviders;

    /* Budget. */
    isorun_budget budget;
    bool metered; /* budget.fuel was set */
    isr_interrupt interrupt; /* raised by the deadline timer and isorun_instance_interrupt */
    /* The provider this instance is calling into through a link right now
     * (NULL otherwise), so that interrupting it reaches the code that runs. */
    _Atomic(isorun_instance *) callee;
    /* Its code runs natively (isorun_usage.native): from the start, or since
     * the first call after its module's background build ended. */
    atomic_bool runs_native;
    uint64_t run_deadline_ns; /* of the current outermost call; owner only */
    isr_timer_slot timer;

    /* Usage, readable from any thread. */
    atomic_uint_least64_t pending_fuel;   /* isorun_instance_add_fuel, applied at the next call */
    atomic_uint_least64_t fuel_granted;   /* applied so far (INT64_MAX when unmetered) */
    atomic_uint_least64_t fuel_remaining; /* published after each call */
    atomic_uint_least64_t calls, traps;
};

/* Makes an empty instance (refs 1) of m with the given budget (NULL: none). */
isorun_error *isr_instance_create(isorun_runtime *rt, isorun_module *m, const isorun_budget *budget,
                                  isorun_instance **out);
/* Runs teardown of configured components (reverse order), then frees. */
void isr_instance_destroy(isorun_instance *inst);

/* Enters inst on this thread: takes its lock, re-entering when this thread
 * holds it already. The outermost entry clears the interrupt, applies
 * fuel refills and arms the deadline min(inherited, now + budget.deadline_ns)
 * (0 = none). Waiting for another thread is bounded by that deadline. */
isorun_error *isr_instance_enter(isorun_instance *inst, uint64_t inherited_deadline_ns);
/* isorun_instance_call, made from inside caller's call when caller is not
 * NULL: under caller's deadline too, and reachable by interrupting caller
 * (isorun_call_instance_call). */
isorun_error *isr_instance_call_from(isorun_instance *caller, isorun_instance *inst, const char *name,
                                     const isorun_val *args, size_t nargs, isorun_val *results, size_t nresults);
/* Takes the lock only (no call bookkeeping), waiting as long as it takes:
 * for host access to memory. Undone by isr_instance_leave. An error only
 * when the wait could never end (a deadlock: see instance_lock.c). */
isorun_error *isr_instance_lock(isorun_instance *inst);
void isr_instance_leave(isorun_instance *inst);

/* budget.c: the store configuration for a budget (interrupt: the instance's flag). */
void isr_budget_store_config(const isorun_budget *b, atomic_int *interrupt, wasm_store_config *cfg);

/* Counts a finished call (and a trap) and publishes the remaining fuel. */
void isr_instance_account(isorun_instance *inst, const isorun_error *err);

/* host_call.c: the wasm host function behind every isr_host_def. */
isorun_error *isr_host_trampoline(wasm_call_ctx *ctx, void *env, wasm_slot *slots);

/* link_local.c: the wasm host function behind every link, and resolution. */
isorun_error *isr_link_trampoline(wasm_call_ctx *ctx, void *env, wasm_slot *slots);
/* Fills binding for import imp of the consumer from provider, or fails with
 * ISORUN_ERR_UNLINKABLE naming both sides. */
isorun_error *isr_link_resolve(isorun_instance *consumer, const wasm_import *imp, const wasm_functype *want,
                               isorun_instance *provider, isr_link_binding *binding);

/* ------------------------------------------------------------------------
 * Builders (builder.c, instantiate.c)
 * ------------------------------------------------------------------------ */

typedef struct isr_link {
    char *module;               /* the consumer's import module */
    isorun_instance *provider;  /* holds a reference */
} isr_link;

struct isorun_builder {
    isorun_runtime *rt;  /* holds a reference */
    isorun_module *m;    /* holds a reference */
    isorun_imports *imports;
    isorun_system_component **components; /* references, in the order given */
    size_t ncomponents, cap_components;
    isr_link *links;
    size_t nlinks, cap_links;
    isorun_budget budget;
    char *id;
};

/* A label for messages: "'id'" or "instance". */
void isr_instance_label(const isorun_instance *inst, char *buf, size_t size);

/* Registers inst under id (a reference is taken). */
isorun_error *isr_registry_add(isorun_runtime *rt, const char *id, isorun_instance *inst);

#endif /* ISORUN_RUNTIME_H */
