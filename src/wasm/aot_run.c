/*
 * aot_run.c — running native code: the per-instance context, the entry from
 * the engine, and the services generated code calls (isr_aot_api).
 *
 * To the rest of the engine a natively compiled function looks like a host
 * function whose environment is its entry: the interpreter, wasm_call and
 * imports in other instances call it that way, and it charges fuel, counts
 * frames and traps exactly as interpreted code does. A trap or host error
 * inside native code unwinds with longjmp to the innermost entry; only
 * generated frames (which hold no resources) and the service that failed lie
 * between them.
 */
#define _GNU_SOURCE
#include "aot.h"

#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>

/* The mirrored layouts of aot_abi.h. */
_Static_assert(offsetof(wasm_memory, data) == offsetof(isr_aot_memory, data) &&
                   offsetof(wasm_memory, size) == offsetof(isr_aot_memory, size) &&
                   offsetof(wasm_memory, pages) == offsetof(isr_aot_memory, pages),
               "wasm_memory must start like isr_aot_memory");
_Static_assert(offsetof(wasm_table, elems) == offsetof(isr_aot_table, elems) &&
                   offsetof(wasm_table, size) == offsetof(isr_aot_table, size),
               "wasm_table must start like isr_aot_table");
_Static_assert(offsetof(wasm_global, value) == offsetof(isr_aot_global, value) &&
                   offsetof(wasm_global, value_hi) == offsetof(isr_aot_global, value_hi),
               "wasm_global must start like isr_aot_global");
_Static_assert(offsetof(wasm_func, native) == offsetof(isr_aot_func, native) &&
                   offsetof(wasm_func, native_ctx) == offsetof(isr_aot_func, ctx) &&
                   offsetof(wasm_func, native_sig) == offsetof(isr_aot_func, sig),
               "wasm_func must start like isr_aot_func");
_Static_assert(sizeof(atomic_int) == sizeof(int), "the interrupt flag is read as an int by native code");

/* Room left below native frames for the host functions they call (WASI
 * keeps path buffers on the stack) and for the trap path itself. */
#define HOST_STACK_RESERVE (256u * 1024u)

typedef struct wasm_aot_instance wasm_aot_instance;

/* A defined function's environment as a "host" function. */
typedef struct aot_entry {
    wasm_aot_instance *ai;
    isr_aot_entry fn;
} aot_entry;

struct wasm_aot_instance {
    isr_aot_ctx abi; /* first: generated code is given &abi */
    wasm_instance *inst;
    jmp_buf *unwind;     /* the innermost entry's */
    isorun_error *error; /* why it unwound */
    bool stack_known;    /* stack_limit computed for stack_thread */
    pthread_t stack_thread;
    aot_entry *entries;  /* one per defined function */
};

static const int never_interrupted = 0;

static wasm_aot_instance *of(isr_aot_ctx *ctx) { return (wasm_aot_instance *)ctx; }

/* Ends the native activation with err (owned). */
static _Noreturn void unwind(wasm_aot_instance *ai, isorun_error *err) {
    ai->error = err;
    longjmp(*ai->unwind, 1);
}

/* __attribute__((noreturn)) as in isr_aot_api: clang will not convert a
 * _Noreturn function to that pointer type. */
__attribute__((noreturn)) static void svc_trap(isr_aot_ctx *ctx, int code, uint32_t func) {
    wasm_aot_instance *ai = of(ctx);
    char buf[32];
    unwind(ai, isr_trap((isorun_trap_code)code, "in function %s", wasm_func_label(ai->inst, func, buf, sizeof buf)));
}

static void svc_poll(isr_aot_ctx *ctx, uint32_t func) {
    int why = atomic_load_explicit((const atomic_int *)ctx->interrupt, memory_order_relaxed);
    if (why) svc_trap(ctx, why == WASM_INTERRUPT_DEADLINE ? ISORUN_TRAP_DEADLINE : ISORUN_TRAP_INTERRUPTED, func);
    if (of(ctx)->inst->store->fuel_enabled) {
        ctx->fuel = 0;
        svc_trap(ctx, ISORUN_TRAP_OUT_OF_FUEL, func);
    }
    ctx->fuel = INT64_MAX; /* not metered: only the flag mattered */
}

/* Calls any function with io holding its arguments, then its results, as the
 * interpreter calls it: the store sees this activation's frame count and
 * fuel while it runs, and errors end the activation. */
static void call_function(wasm_aot_instance *ai, const wasm_func *f, uint64_t *io, uint32_t func) {
    wasm_store *s = ai->inst->store;
    if (!f->code && !f->native) { /* host functions cost one unit, as in interp.c; native code charges its own entry */
        ai->abi.fuel -= 1;
        if (ai->abi.fuel < 0 || atomic_load_explicit((const atomic_int *)ai->abi.interrupt, memory_order_relaxed))
            svc_poll(&ai->abi, func);
    }
    s->depth = ai->abi.depth;
    if (s->fuel_enabled) s->fuel = ai->abi.fuel;
    isorun_error *err;
    if (f->code) {
        err = wasm_call(s, (wasm_func *)f, io, io);
    } else {
        wasm_call_ctx cc = {s, ai->inst};
        err = f->host(&cc, f->env, io);
    }
    if (s->fuel_enabled) ai->abi.fuel = s->fuel;
    if (!err) return;
    if (err->code != ISORUN_ERR_TRAP && err->code != ISORUN_ERR_EXIT) {
        isorun_error *e = isr_trap(ISORUN_TRAP_HOST, "%s", isorun_error_message(err));
        if (e != isr_error_nomem()) e->rpc_status = err->rpc_status; /* a remote link's failure stays visible */
        isorun_error_free(err);
        err = e;
    }
    unwind(ai, err);
}

static void svc_call(isr_aot_ctx *ctx, uint32_t index, uint64_t *io, uint32_t func) {
    wasm_aot_instance *ai = of(ctx);
    call_function(ai, ai->inst->funcs[index], io, func);
}

static void svc_call_indirect(isr_aot_ctx *ctx, uint32_t table, uint32_t elem, uint32_t type_index, uint64_t *io,
                              uint32_t func) {
    wasm_aot_instance *ai = of(ctx);
    const wasm_table *t = ai->inst->tables[table];
    if (elem >= t->size) svc_trap(ctx, ISORUN_TRAP_UNDEFINED_ELEMENT, func);
    const wasm_func *f = (const wasm_func *)(uintptr_t)t->elems[elem];
    if (!f) svc_trap(ctx, ISORUN_TRAP_UNINITIALIZED_ELEMENT, func);
    if (!wasm_functype_equal(f->type, &ai->inst->module->types[type_index]))
        svc_trap(ctx, ISORUN_TRAP_INDIRECT_TYPE_MISMATCH, func);
    call_function(ai, f, io, func);
}

static uint32_t grow_result(isr_aot_ctx *ctx, int64_t old, uint32_t func) {
    if (old == -2) { /* the store's budget said no */
        if (of(ctx)->inst->store->cfg.trap_on_grow_failure) svc_trap(ctx, ISORUN_TRAP_RESOURCE_LIMIT, func);
        old = -1;
    }
    return (uint32_t)old;
}

static uint32_t svc_memory_grow(isr_aot_ctx *ctx, uint32_t delta, uint32_t func) {
    wasm_instance *inst = of(ctx)->inst;
    return grow_result(ctx, wasm_memory_grow(inst->store, inst->memories[0], delta), func);
}

static void svc_memory_init(isr_aot_ctx *ctx, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n, uint32_t func) {
    isorun_trap_code t = wasm_op_memory_init(of(ctx)->inst, seg, dst, src, n);
    if (t != ISORUN_TRAP_NONE) svc_trap(ctx, t, func);
}

static void svc_data_drop(isr_aot_ctx *ctx, uint32_t seg) { of(ctx)->inst->data_lens[seg] = 0; }

static uint64_t svc_table_get(isr_aot_ctx *ctx, uint32_t table, uint32_t i, uint32_t func) {
    const wasm_table *t = of(ctx)->inst->tables[table];
    if (i >= t->size) svc_trap(ctx, ISORUN_TRAP_TABLE_OOB, func);
    return t->elems[i];
}

static void svc_table_set(isr_aot_ctx *ctx, uint32_t table, uint32_t i, uint64_t value, uint32_t func) {
    wasm_table *t = of(ctx)->inst->tables[table];
    if (i >= t->size) svc_trap(ctx, ISORUN_TRAP_TABLE_OOB, func);
    t->elems[i] = value;
}

static uint32_t svc_table_size(isr_aot_ctx *ctx, uint32_t table) { return of(ctx)->inst->tables[table]->size; }

static uint32_t svc_table_grow(isr_aot_ctx *ctx, uint32_t table, uint32_t n, uint64_t init, uint32_t func) {
    wasm_instance *inst = of(ctx)->inst;
    return grow_result(ctx, wasm_table_grow(inst->store, inst->tables[table], n, init), func);
}

static void svc_table_fill(isr_aot_ctx *ctx, uint32_t table, uint32_t i, uint64_t value, uint32_t n,
                           uint32_t func) {
    wasm_table *t = of(ctx)->inst->tables[table];
    if ((uint64_t)i + n > t->size) svc_trap(ctx, ISORUN_TRAP_TABLE_OOB, func);
    for (uint32_t k = 0; k < n; k++) t->elems[i + k] = value;
}

static void svc_table_copy(isr_aot_ctx *ctx, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src,
                           uint32_t n, uint32_t func) {
    wasm_instance *inst = of(ctx)->inst;
    wasm_table *dt = inst->tables[dst_table];
    const wasm_table *st = inst->tables[src_table];
    if ((uint64_t)dst + n > dt->size || (uint64_t)src + n > st->size) svc_trap(ctx, ISORUN_TRAP_TABLE_OOB, func);
    if (n) memmove(dt->elems + dst, st->elems + src, (size_t)n * sizeof(wasm_slot));
}

static void svc_table_init(isr_aot_ctx *ctx, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n,
                           uint32_t func) {
    isorun_trap_code t = wasm_op_table_init(of(ctx)->inst, table, seg, dst, src, n);
    if (t != ISORUN_TRAP_NONE) svc_trap(ctx, t, func);
}

static void svc_elem_drop(isr_aot_ctx *ctx, uint32_t seg) { of(ctx)->inst->elem_counts[seg] = 0; }

static const isr_aot_api services = {
    .trap = svc_trap,
    .poll = svc_poll,
    .call = svc_call,
    .call_indirect = svc_call_indirect,
    .memory_grow = svc_memory_grow,
    .memory_init = svc_memory_init,
    .data_drop = svc_data_drop,
    .table_get = svc_table_get,
    .table_set = svc_table_set,
    .table_size = svc_table_size,
    .table_grow = svc_table_grow,
    .table_fill = svc_table_fill,
    .table_copy = svc_table_copy,
    .table_init = svc_table_init,
    .elem_drop = svc_elem_drop,
};

/* ------------------------------------------------------------------------
 * Entering native code
 * ------------------------------------------------------------------------ */

/* The lowest address native frames of this thread may reach. Recomputed when
 * the instance runs on another thread than last time. */
static void set_stack_limit(wasm_aot_instance *ai) {
    pthread_t self = pthread_self();
    if (ai->stack_known && pthread_equal(ai->stack_thread, self)) return;
    pthread_attr_t attr;
    void *lo = NULL;
    size_t size = 0;
    if (pthread_getattr_np(self, &attr) == 0) {
        pthread_attr_getstack(&attr, &lo, &size);
        pthread_attr_destroy(&attr);
    }
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (lo && size) {
        /* Small stacks (a 128 KiB thread) keep half for the host. A frame
         * already below the limit traps at once: there is no room. */
        size_t reserve = size / 2 < HOST_STACK_RESERVE ? size / 2 : HOST_STACK_RESERVE;
        ai->abi.stack_limit = (uintptr_t)lo + reserve;
    } else {
        /* Unknown bounds (never on Linux): a modest depth below this frame. */
        ai->abi.stack_limit = here > HOST_STACK_RESERVE ? here - HOST_STACK_RESERVE : 0;
    }
    ai->stack_thread = self;
    ai->stack_known = true;
}

/* The host-function face of every natively compiled function. */
static isorun_error *enter_native(wasm_call_ctx *cc, void *env, wasm_slot *slots) {
    const aot_entry *en = env;
    wasm_aot_instance *ai = en->ai;
    wasm_store *s = ai->inst->store;
    jmp_buf *const outer_unwind = ai->unwind;
    const uint32_t outer_depth = ai->abi.depth, entry_depth = s->depth;
    (void)cc;

    ai->abi.depth = s->depth;
    ai->abi.max_depth = s->cfg.max_call_depth;
    ai->abi.fuel = s->fuel_enabled ? s->fuel : INT64_MAX;
    ai->abi.interrupt = s->cfg.interrupt ? (const int *)s->cfg.interrupt : &never_interrupted;
    set_stack_limit(ai);

    jmp_buf here;
    isorun_error *err = NULL;
    ai->unwind = &here;
    if (setjmp(here) == 0) {
        en->fn(&ai->abi, slots);
    } else {
        err = ai->error;
        ai->error = NULL;
    }
    ai->unwind = outer_unwind;
    ai->abi.depth = outer_depth;
    s->depth = entry_depth;
    if (s->fuel_enabled) s->fuel = ai->abi.fuel < 0 ? 0 : ai->abi.fuel;
    return err;
}

isorun_error *wasm_aot_instance_new(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    const wasm_aot_code *code = m->aot;
    uint32_t ndefs = m->nfuncs - m->nfunc_imports;
    wasm_aot_instance *ai = calloc(1, sizeof *ai);
    if (!ai) return isr_error_nomem();
    ai->entries = calloc((size_t)ndefs + 1, sizeof *ai->entries);
    if (!ai->entries) {
        free(ai);
        return isr_error_nomem();
    }
    ai->inst = inst;
    ai->abi.memory = m->nmemories ? (isr_aot_memory *)inst->memories[0] : NULL;
    ai->abi.tables = (isr_aot_table **)inst->tables;
    ai->abi.globals = (isr_aot_global **)inst->globals;
    ai->abi.funcs = (isr_aot_func **)inst->funcs;
    ai->abi.api = &services;
    ai->abi.interrupt = &never_interrupted;
    for (uint32_t i = 0; i < ndefs; i++) {
        wasm_func *f = &inst->own_funcs[i];
        ai->entries[i] = (aot_entry){ai, code->desc->entries[i]};
        f->code = NULL;
        f->host = enter_native;
        f->env = &ai->entries[i];
        f->native = code->desc->natives[i];
        f->native_ctx = &ai->abi;
        f->native_sig = code->sigs[i];
    }
    inst->aot = ai;
    return NULL;
}

void wasm_aot_instance_free(wasm_instance *inst) {
    if (!inst->aot) return;
    free(inst->aot->entries);
    free(inst->aot);
    inst->aot = NULL;
}
