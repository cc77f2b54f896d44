/*
 * instance.c — an instance's life cycle and its public operations: calls by
 * export name with type-checked values, signatures, reference counting,
 * usage, fuel refills, interruption and host access to its memory.
 *
 * One instance is one engine store: its own value stack, fuel counter and
 * limits, so nothing one instance does can use up another's budget.
 */
#include "runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arguments and results of up to this many values go through a stack buffer. */
#define SMALL_SLOTS 16

isorun_error *isr_instance_create(isorun_runtime *rt, isorun_module *m, const isorun_budget *budget,
                                  isorun_instance **out) {
    *out = NULL;
    isorun_instance *inst = calloc(1, sizeof *inst);
    if (!inst) return isr_error_nomem();
    isr_interrupt_init(&inst->interrupt); /* first: isr_instance_destroy closes its fd */
    if (!isr_lock_init(&inst->lock)) {
        free(inst);
        return isr_error_nomem();
    }
    atomic_init(&inst->refs, 1);
    inst->rt = isr_runtime_ref(rt);
    inst->module = isr_module_ref(m);
    if (budget) inst->budget = *budget;
    inst->metered = inst->budget.fuel != 0;
    atomic_init(&inst->callee, NULL);
    atomic_init(&inst->runs_native, false);

    wasm_store_config cfg;
    isr_budget_store_config(&inst->budget, &inst->interrupt.flag, &cfg);
    inst->store = wasm_store_new(&cfg);
    if (!inst->store) {
        isr_instance_destroy(inst);
        return isr_error_nomem();
    }
    /* Fuel is always counted, so usage can report what was consumed; without
     * a budget the tank is simply too large to run dry. */
    uint64_t fuel = inst->metered ? inst->budget.fuel : (uint64_t)INT64_MAX;
    wasm_store_set_fuel(inst->store, true, fuel);
    atomic_init(&inst->fuel_granted, wasm_store_fuel(inst->store));
    atomic_init(&inst->fuel_remaining, wasm_store_fuel(inst->store));
    *out = inst;
    return NULL;
}

void isr_instance_destroy(isorun_instance *inst) {
    /* Components go in reverse order: a later one may depend on an earlier. */
    for (size_t i = inst->nconfigured; i-- > 0;) {
        const isorun_system_ops *ops = inst->components[i]->ops;
        if (ops->teardown) ops->teardown(inst->components[i]->config, inst->states[i]);
    }
    wasm_store_free(inst->store);
    free(inst->host_bindings);
    free(inst->link_bindings);
    for (size_t i = 0; i < inst->nproviders; i++) isorun_instance_free(inst->providers[i]);
    free(inst->providers);
    for (size_t i = 0; i < inst->ncomponents; i++) isorun_system_free(inst->components[i]);
    free(inst->components);
    free(inst->states);
    isr_imports_release(inst->defs);
    free(inst->id);
    isr_lock_destroy(&inst->lock);
    isr_interrupt_destroy(&inst->interrupt);
    isorun_module_free(inst->module);
    isorun_runtime *rt = inst->rt;
    free(inst);
    isr_runtime_release(rt);
}

isorun_instance *isorun_instance_ref(isorun_instance *inst) {
    if (inst) atomic_fetch_add_explicit(&inst->refs, 1, memory_order_relaxed);
    return inst;
}

void isorun_instance_free(isorun_instance *inst) {
    if (inst && atomic_fetch_sub_explicit(&inst->refs, 1, memory_order_acq_rel) == 1) isr_instance_destroy(inst);
}

void isr_instance_label(const isorun_instance *inst, char *buf, size_t size) {
    if (inst->id)
        snprintf(buf, size, "'%s'", inst->id);
    else
        snprintf(buf, size, "instance");
}

/* ------------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------------ */

static isorun_error *find_func(const isorun_instance *inst, const char *name, wasm_func **out) {
    wasm_extern ext;
    if (!inst->winst || !wasm_instance_export(inst->winst, name, &ext) || ext.kind != WASM_EXTERN_FUNC)
        return isr_error(ISORUN_ERR_NOT_FOUND, "the instance has no function export \"%s\" (see isorun_module_export)",
                         name);
    *out = ext.u.func;
    return NULL;
}

static isorun_error *signature_error(const char *name, const wasm_functype *ft, const char *fmt, ...)
    ISR_PRINTF(3, 4);

static isorun_error *signature_error(const char *name, const wasm_functype *ft, const char *fmt, ...) {
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *sig = isr_functype_string(ft);
    isorun_error *err = isr_error(ISORUN_ERR_TYPE_MISMATCH, "export \"%s\" %s: %s", name, sig ? sig : "", what);
    free(sig);
    return err;
}

static isorun_error *check_call(const char *name, const wasm_functype *ft, const isorun_val *args, size_t nargs,
                                size_t nresults) {
    if (!isr_functype_is_numeric(ft))
        return signature_error(name, ft, "takes or returns a reference or vector, which the API cannot pass");
    if (nargs != ft->nparams) return signature_error(name, ft, "takes %u argument(s), %zu given", ft->nparams, nargs);
    if (nresults != ft->nresults)
        return signature_error(name, ft, "returns %u result(s), room for %zu given", ft->nresults, nresults);
    for (size_t i = 0; i < nargs; i++) {
        uint8_t want = wasm_functype_params(ft)[i];
        if (isr_valtype_of_kind(args[i].kind) != want)
            return signature_error(name, ft, "argument %zu must be %s, got %s", i, wasm_valtype_name(want),
                                   isorun_kind_name(args[i].kind));
    }
    return NULL;
}

isorun_error *isorun_instance_call(isorun_instance *inst, const char *name, const isorun_val *args, size_t nargs,
                                   isorun_val *results, size_t nresults) {
    return isr_instance_call_from(NULL, inst, name, args, nargs, results, nresults);
}

isorun_error *isr_instance_call_from(isorun_instance *caller, isorun_instance *inst, const char *name,
                                     const isorun_val *args, size_t nargs, isorun_val *results, size_t nresults) {
    if (!inst || !name || (nargs && !args) || (nresults && !results))
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_instance_call: instance, name, args and results are required");
    wasm_func *f = NULL;
    isorun_error *err = find_func(inst, name, &f);
    if (err) return err;
    const wasm_functype *ft = wasm_func_type(f);
    err = check_call(name, ft, args, nargs, nresults);
    if (err) return err;

    size_t width = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
    wasm_slot small[SMALL_SLOTS];
    wasm_slot *slots = width <= SMALL_SLOTS ? small : malloc(width * sizeof *slots);
    if (!slots) return isr_error_nomem();
    for (size_t i = 0; i < nargs; i++) slots[i] = isr_slot_of_val(&args[i]);

    /* Inside a caller's call: its deadline bounds this one, and it points at
     * inst while inst runs so that interrupting it reaches inst (as a local
     * link does, link_local.c). */
    err = isr_instance_enter(inst, caller ? caller->run_deadline_ns : 0);
    if (!err) {
        isorun_instance *outer = NULL;
        if (caller && caller != inst) outer = atomic_exchange(&caller->callee, inst);
        err = wasm_call(inst->store, f, slots, slots);
        if (caller && caller != inst) atomic_store(&caller->callee, outer);
        isr_instance_account(inst, err);
        isr_instance_leave(inst);
    }
    if (!err)
        for (size_t i = 0; i < nresults; i++) results[i] = isr_val_of_slot(wasm_functype_results(ft)[i], slots[i]);
    if (slots != small) free(slots);
    return err;
}

isorun_error *isorun_instance_func_type(const isorun_instance *inst, const char *name, isorun_functype *out) {
    if (!inst || !name || !out)
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_instance_func_type: instance, name and out are required");
    const isorun_item_info *info = isr_module_func_export(inst->module, name, NULL);
    if (!info) return isr_error(ISORUN_ERR_NOT_FOUND, "the instance has no function export \"%s\"", name);
    *out = info->type;
    return NULL;
}

/* ------------------------------------------------------------------------
 * Usage, fuel, interruption
 * ------------------------------------------------------------------------ */

void isorun_instance_usage(const isorun_instance *inst, isorun_usage *out) {
    if (!out) return;
    memset(out, 0, sizeof *out);
    if (!inst) return;
    out->memory_bytes = wasm_store_memory_bytes(inst->store);
    out->table_elements = wasm_store_table_elems(inst->store);
    uint64_t granted = atomic_load_explicit(&inst->fuel_granted, memory_order_relaxed);
    uint64_t remaining = atomic_load_explicit(&inst->fuel_remaining, memory_order_relaxed);
    out->fuel_consumed = granted > remaining ? granted - remaining : 0;
    out->fuel_remaining =
        inst->metered ? remaining + atomic_load_explicit(&inst->pending_fuel, memory_order_relaxed) : UINT64_MAX;
    out->calls = atomic_load_explicit(&inst->calls, memory_order_relaxed);
    out->traps = atomic_load_explicit(&inst->traps, memory_order_relaxed);
    out->native = atomic_load_explicit(&inst->runs_native, memory_order_relaxed);
}

isorun_error *isorun_instance_add_fuel(isorun_instance *inst, uint64_t fuel) {
    if (!inst) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_instance_add_fuel: no instance");
    if (!inst->metered)
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "the instance's fuel is not metered: set isorun_budget.fuel when building it to refill it");
    atomic_fetch_add_explicit(&inst->pending_fuel, fuel, memory_order_relaxed);
    return NULL;
}

/* Also raises the interrupt of the providers the call is inside (A -> B ->
 * C): each is kept alive by its consumer's reference, and the caller holds
 * the first. Raising wakes a host call of theirs blocked in a wait, too. A
 * narrow race remains: if the linked call returns between reading `callee`
 * and raising its interrupt, and the provider at once starts a call for
 * another thread, that call is the one interrupted. */
void isorun_instance_interrupt(isorun_instance *inst) {
    for (int hops = 0; inst && hops < 64; hops++) {
        isr_interrupt_raise(&inst->interrupt, WASM_INTERRUPT_STOP);
        inst = atomic_load(&inst->callee);
    }
}

/* ------------------------------------------------------------------------
 * Host access to memory 0
 * ------------------------------------------------------------------------ */

static isorun_error *memory_range(isorun_instance *inst, uint32_t addr, size_t len, uint8_t **out) {
    wasm_memory *mem = inst->winst ? wasm_instance_memory(inst->winst) : NULL;
    if (!mem) return isr_error(ISORUN_ERR_ARGUMENT, "the instance has no memory");
    uint64_t size = wasm_memory_size_bytes(mem);
    if ((uint64_t)addr > size || len > size - addr)
        return isr_error(ISORUN_ERR_ARGUMENT, "%zu byte(s) at address %u are outside the instance's memory of %llu bytes",
                         len, addr, (unsigned long long)size);
    *out = wasm_memory_data(mem) + addr;
    return NULL;
}

isorun_error *isorun_instance_read_memory(isorun_instance *inst, uint32_t addr, void *dst, size_t len) {
    if (!inst || (len && !dst)) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_instance_read_memory: no instance or buffer");
    isorun_error *err = isr_instance_lock(inst);
    if (err) return err;
    uint8_t *p = NULL; /* set when err is NULL; gcc -O3 cannot see that */
    err = memory_range(inst, addr, len, &p);
    if (!err && len) memcpy(dst, p, len);
    isr_instance_leave(inst);
    return err;
}

isorun_error *isorun_instance_write_memory(isorun_instance *inst, uint32_t addr, const void *src, size_t len) {
    if (!inst || (len && !src)) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_instance_write_memory: no instance or buffer");
    isorun_error *err = isr_instance_lock(inst);
    if (err) return err;
    uint8_t *p = NULL;
    err = memory_range(inst, addr, len, &p);
    if (!err && len) memcpy(p, src, len);
    isr_instance_leave(inst);
    return err;
}
