/*
 * call_typed.c — isorun_instance_call_typed: calling a core module's export
 * as a component-model function, through the canonical ABI (component.h).
 *
 * A module built for the component model (by wit-bindgen, or by hand)
 * implements `f: func(name: string) -> string` as a core export taking and
 * returning flat values, with strings and lists in its memory 0, allocated
 * through its exported cabi_realloc; cabi_post_<f> frees what f returned
 * once the caller has read it. This file wires the canonical ABI layer to
 * such an instance: the memory is the instance's, realloc is a wasm_call of
 * cabi_realloc on the instance's store, and everything - reallocs, the call,
 * the lift, the post-return - runs inside one entry into the instance, under
 * its lock and budget, and counts as one call.
 */
#include "runtime.h"

#include "../component/component.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The instance's memory and allocator, as cm_memory sees them. */
typedef struct typed_guest {
    isorun_instance *inst;
    wasm_memory *memory;
    wasm_func *realloc;
} typed_guest;

static void guest_view(void *env, uint8_t **base, uint64_t *size) {
    const typed_guest *g = env;
    *base = g->memory ? wasm_memory_data(g->memory) : NULL;
    *size = g->memory ? wasm_memory_size_bytes(g->memory) : 0;
}

static isorun_error *guest_realloc(void *env, uint32_t old_ptr, uint32_t old_size, uint32_t align,
                                   uint32_t new_size, uint32_t *out) {
    typed_guest *g = env;
    wasm_slot slots[4] = {old_ptr, old_size, align, new_size};
    isorun_error *err = wasm_call(g->inst->store, g->realloc, slots, slots);
    if (err) return isr_error_wrap(err, "cabi_realloc");
    *out = (uint32_t)slots[0];
    return NULL;
}

/* The function export `name`, or NULL. */
static wasm_func *export_func(const isorun_instance *inst, const char *name) {
    wasm_extern ext;
    if (!inst->winst || !wasm_instance_export(inst->winst, name, &ext) || ext.kind != WASM_EXTERN_FUNC) return NULL;
    return ext.u.func;
}

/* The core export must be exactly the flattening of the component type. */
static isorun_error *check_core_signature(const char *name, const wasm_functype *have, const isorun_functype *want,
                                          const char *functype) {
    bool same = have->nparams == want->nparams && have->nresults == want->nresults;
    for (uint32_t i = 0; same && i < want->nparams + want->nresults; i++) {
        isorun_kind k = i < want->nparams ? want->params[i] : want->results[i - want->nparams];
        same = isr_valtype_of_kind(k) == have->types[i];
    }
    if (same) return NULL;
    char *sig = isr_functype_string(have);
    isorun_error *err = isr_error(ISORUN_ERR_TYPE_MISMATCH,
                                  "export \"%s\" is %s, which does not implement %s through the canonical ABI", name,
                                  sig ? sig : "of another type", functype);
    free(sig);
    return err;
}

/* Everything a typed call needs, looked up and checked before entering the
 * instance. */
typedef struct typed_call {
    cm_owned_functype type;
    cm_canon_func *canon;
    wasm_func *func, *post_return;
    typed_guest guest;
    cm_memory memory;
} typed_call;

static void typed_call_free(typed_call *c) {
    cm_canon_func_free(c->canon);
    cm_owned_functype_free(&c->type);
}

static isorun_error *typed_call_prepare(isorun_instance *inst, const char *name, const char *functype, size_t nargs,
                                        size_t nresults, typed_call *c) {
    isorun_error *err = cm_functype_parse(functype, strlen(functype), &c->type);
    if (err) return isr_error_wrap(err, "isorun_instance_call_typed: the type of \"%s\"", name);
    if ((err = cm_canon_func_new(&c->type.ft, &c->canon))) return isr_error_wrap(err, "calling \"%s\"", name);
    if (nargs != c->type.ft.nparams || nresults != c->type.ft.nresults)
        return isr_error(ISORUN_ERR_TYPE_MISMATCH, "\"%s\" is %s: %u argument(s) and %u result(s), not %zu and %zu",
                         name, functype, c->type.ft.nparams, c->type.ft.nresults, nargs, nresults);
    if (!(c->func = export_func(inst, name)))
        return isr_error(ISORUN_ERR_NOT_FOUND, "the instance has no function export \"%s\" (see isorun_module_export)",
                         name);
    if ((err = check_core_signature(name, wasm_func_type(c->func), &c->canon->lift_core, functype))) return err;

    c->guest.inst = inst;
    c->guest.memory = inst->winst ? wasm_instance_memory(inst->winst) : NULL;
    if (c->canon->needs_memory && !c->guest.memory)
        return isr_error(ISORUN_ERR_TYPE_MISMATCH, "\"%s\" is %s, which passes values in memory, but the instance "
                                                   "has no memory",
                         name, functype);
    if (c->canon->lift_needs_realloc) {
        c->guest.realloc = export_func(inst, "cabi_realloc");
        static const uint8_t realloc_types[] = {WASM_I32, WASM_I32, WASM_I32, WASM_I32, WASM_I32};
        const wasm_functype realloc_type = {4, 1, (uint8_t *)realloc_types};
        if (!c->guest.realloc || !wasm_functype_equal(wasm_func_type(c->guest.realloc), &realloc_type))
            return isr_error(ISORUN_ERR_TYPE_MISMATCH,
                             "\"%s\" is %s, whose arguments go into the guest's memory: the instance must export "
                             "cabi_realloc (i32 i32 i32 i32 -> i32)",
                             name, functype);
    }
    /* The post-return function takes the export's core results. */
    char post_name[512];
    if ((size_t)snprintf(post_name, sizeof post_name, "cabi_post_%s", name) < sizeof post_name) {
        c->post_return = export_func(inst, post_name);
        const wasm_functype *pt = c->post_return ? wasm_func_type(c->post_return) : NULL;
        const wasm_functype *ft = wasm_func_type(c->func);
        bool fits = pt && pt->nresults == 0 && pt->nparams == ft->nresults &&
                    (ft->nresults == 0 || memcmp(pt->types, wasm_functype_results(ft), ft->nresults) == 0);
        if (c->post_return && !fits)
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "%s must take the core results of \"%s\" and return nothing",
                             post_name, name);
    }
    c->memory = (cm_memory){.env = &c->guest, .view = guest_view, .realloc = c->guest.realloc ? guest_realloc : NULL};
    return NULL;
}

/* Lower, call, lift, post-return: inside the instance. */
static isorun_error *typed_call_run(typed_call *c, const isorun_val *args, isorun_val *results) {
    const cm_canon_func *f = c->canon;
    uint32_t nflat = f->lift_core.nparams > f->lift_core.nresults ? f->lift_core.nparams : f->lift_core.nresults;
    uint64_t slots[CM_CANON_MAX_FLAT_PARAMS + 2] = {0};
    if (nflat > sizeof slots / sizeof slots[0])
        return isr_error(ISORUN_ERR_ARGUMENT, "internal: %u flat values", nflat); /* the ABI caps both at 17 */
    const cm_memory *mem = f->needs_memory ? &c->memory : NULL;
    isorun_error *err = cm_canon_lower_params(f, mem, args, slots);
    if (!err) err = wasm_call(c->guest.inst->store, c->func, slots, slots);
    if (!err) err = cm_canon_lift_results(f, mem, slots, results);
    if (!err && c->post_return) {
        err = wasm_call(c->guest.inst->store, c->post_return, slots, NULL);
        if (err) {
            for (uint32_t i = 0; i < f->type.nresults; i++) isorun_val_free(&results[i]);
            err = isr_error_wrap(err, "cabi_post_ (the post-return function)");
        }
    }
    return err;
}

isorun_error *isorun_instance_call_typed(isorun_instance *inst, const char *name, const char *functype,
                                         const isorun_val *args, size_t nargs, isorun_val *results, size_t nresults) {
    if (!inst || !name || !functype || (nargs && !args) || (nresults && !results))
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "isorun_instance_call_typed: instance, name, type, args and results are required");
    for (size_t i = 0; i < nresults; i++) results[i] = isorun_val_i32(0);
    typed_call c;
    memset(&c, 0, sizeof c);
    isorun_error *err = typed_call_prepare(inst, name, functype, nargs, nresults, &c);
    if (!err && !(err = isr_instance_enter(inst, 0))) {
        err = typed_call_run(&c, args, results);
        isr_instance_account(inst, err);
        isr_instance_leave(inst);
    }
    typed_call_free(&c);
    return err;
}
