/*
 * instantiate.c — making an instance from a builder:
 *
 *   1. a fresh store under the budget (isr_instance_create)
 *   2. every import resolved: links first, then the components' host
 *      functions; anything left over is ISORUN_ERR_UNLINKABLE naming it
 *   3. configure of every component, in the order they were added
 *   4. the engine's instantiation (segments, start function), inside the
 *      instance's lock and under its deadline like any call
 *   5. registration under the builder's id
 *
 * A failure after step 3 began tears down what was configured.
 */
#include "runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "import "m"."n" (i32 -> i32): " followed by the reason. */
static isorun_error *import_error(const wasm_import *imp, const wasm_functype *type, const char *fmt, ...)
    ISR_PRINTF(3, 4);

static isorun_error *import_error(const wasm_import *imp, const wasm_functype *type, const char *fmt, ...) {
    isr_buf b = {0};
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    bool ok = isr_buf_append(&b, "import ", 7) && isr_append_quoted(&b, imp->module, imp->module_len) &&
              isr_buf_append(&b, ".", 1) && isr_append_quoted(&b, imp->name, imp->name_len);
    if (ok && type) ok = isr_buf_append(&b, " ", 1) && isr_functype_describe(&b, type);
    ok = ok && isr_buf_append(&b, "", 1);
    isorun_error *err = isr_error(ISORUN_ERR_UNLINKABLE, "%s: %s", ok ? (const char *)b.data : "import", reason);
    isr_buf_free(&b);
    return err;
}

static const char *component_name(const isorun_instance *inst, size_t c) {
    const char *name = c < inst->ncomponents ? inst->components[c]->ops->name : NULL;
    return name ? name : "?";
}

static const isr_link *find_link(const isorun_builder *b, const wasm_import *imp) {
    for (size_t i = 0; i < b->nlinks; i++) {
        const char *m = b->links[i].module;
        if (strlen(m) == imp->module_len && memcmp(m, imp->module, imp->module_len) == 0) return &b->links[i];
    }
    return NULL;
}

static isorun_error *resolve_func(const isorun_builder *b, isorun_instance *inst, const wasm_import *imp,
                                  wasm_func **out) {
    const wasm_functype *want = wasm_module_type(inst->module->wm, imp->u.type_index);
    const isr_link *link = find_link(b, imp);
    if (link) {
        isr_link_binding *lb = &inst->link_bindings[inst->nlink_bindings];
        isorun_error *err = isr_link_resolve(inst, imp, want, link->provider, lb);
        if (err) return err;
        inst->nlink_bindings++;
        *out = wasm_func_new_host(inst->store, want, isr_link_trampoline, lb, NULL);
        return *out ? NULL : isr_error_nomem();
    }
    const isr_host_def *def = isr_imports_find(inst->defs, imp->module, imp->module_len, imp->name, imp->name_len);
    if (!def)
        return import_error(imp, want,
                            "nothing provides it: no instance is linked for this module and no granted system "
                            "component defines this function (grant a component or link an instance)");
    if (!wasm_functype_equal(want, &def->type)) {
        char *have = isr_functype_string(&def->type);
        isorun_error *err = import_error(imp, want, "system component \"%s\" defines it as %s",
                                         component_name(inst, def->component), have ? have : "?");
        free(have);
        return err;
    }
    isr_host_binding *hb = &inst->host_bindings[inst->nhost_bindings++];
    hb->inst = inst;
    hb->def = def;
    *out = wasm_func_new_host(inst->store, &def->type, isr_host_trampoline, hb, NULL);
    return *out ? NULL : isr_error_nomem();
}

static isorun_error *resolve_imports(const isorun_builder *b, isorun_instance *inst, wasm_extern *externs) {
    const wasm_module *wm = inst->module->wm;
    uint32_t n = wasm_module_import_count(wm), nfuncs = 0;
    for (uint32_t i = 0; i < n; i++) nfuncs += wasm_module_import(wm, i)->kind == WASM_EXTERN_FUNC;
    /* Bindings are the host functions' env pointers: allocated once, never moved. */
    if (nfuncs && (!(inst->host_bindings = calloc(nfuncs, sizeof *inst->host_bindings)) ||
                   !(inst->link_bindings = calloc(nfuncs, sizeof *inst->link_bindings))))
        return isr_error_nomem();
    for (uint32_t i = 0; i < n; i++) {
        const wasm_import *imp = wasm_module_import(wm, i);
        externs[i].kind = imp->kind;
        if (imp->kind != WASM_EXTERN_FUNC)
            return import_error(imp, NULL,
                                "only functions can be imported through isorun's API (this is a %s): export it "
                                "from the module instead",
                                imp->kind == WASM_EXTERN_MEMORY  ? "memory"
                                : imp->kind == WASM_EXTERN_TABLE ? "table"
                                                                 : "global");
        isorun_error *err = resolve_func(b, inst, imp, &externs[i].u.func);
        if (err) return err;
    }
    return NULL;
}

static isorun_error *take_parts(const isorun_builder *b, isorun_instance *inst) {
    inst->defs = isr_imports_ref(b->imports);
    if (b->id && !(inst->id = isr_strndup(b->id, strlen(b->id)))) return isr_error_nomem();
    if (b->ncomponents) {
        inst->components = calloc(b->ncomponents, sizeof *inst->components);
        inst->states = calloc(b->ncomponents, sizeof *inst->states);
        if (!inst->components || !inst->states) return isr_error_nomem();
        for (size_t i = 0; i < b->ncomponents; i++) inst->components[i] = isorun_system_ref(b->components[i]);
        inst->ncomponents = b->ncomponents;
    }
    if (b->nlinks) {
        inst->providers = calloc(b->nlinks, sizeof *inst->providers);
        if (!inst->providers) return isr_error_nomem();
        for (size_t i = 0; i < b->nlinks; i++) inst->providers[i] = isorun_instance_ref(b->links[i].provider);
        inst->nproviders = b->nlinks;
    }
    return NULL;
}

static isorun_error *configure_components(isorun_instance *inst) {
    for (size_t i = 0; i < inst->ncomponents; i++) {
        const isorun_system_component *c = inst->components[i];
        if (c->ops->configure) {
            isorun_error *err = c->ops->configure(c->config, inst, &inst->states[i]);
            if (err) return isr_error_wrap(err, "system component \"%s\": configure", component_name(inst, i));
        }
        inst->nconfigured = i + 1;
    }
    return NULL;
}

static isorun_error *run_instantiation(isorun_instance *inst, const wasm_extern *externs, size_t n) {
    isorun_error *err = isr_instance_enter(inst, 0);
    if (err) return err;
    wasm_instance *wi = NULL;
    err = wasm_instantiate(inst->store, inst->module->wm, externs, n, &wi);
    atomic_store_explicit(&inst->fuel_remaining, wasm_store_fuel(inst->store), memory_order_relaxed);
    isr_instance_leave(inst);
    if (!err) {
        inst->winst = wi;
        atomic_store_explicit(&inst->runs_native, wasm_instance_tier_up(wi), memory_order_relaxed);
    }
    return err;
}

isorun_error *isorun_builder_instantiate(isorun_builder *b, isorun_instance **out) {
    if (out) *out = NULL;
    if (!b || !out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_builder_instantiate: builder and out are required");
    if (b->id) {
        isorun_instance *taken = isorun_runtime_lookup(b->rt, b->id);
        if (taken) {
            isorun_instance_free(taken);
            return isr_error(ISORUN_ERR_ARGUMENT, "instance id '%s' is already registered: choose another id", b->id);
        }
    }
    isorun_instance *inst;
    isorun_error *err = isr_instance_create(b->rt, b->m, &b->budget, &inst);
    if (err) return err;
    size_t n = wasm_module_import_count(b->m->wm);
    wasm_extern small[16];
    wasm_extern *externs = n <= 16 ? small : calloc(n, sizeof *externs);
    if (!externs) err = isr_error_nomem();
    if (!err) err = take_parts(b, inst);
    if (!err) err = resolve_imports(b, inst, externs);
    if (!err) err = configure_components(inst);
    if (!err) err = run_instantiation(inst, externs, n);
    if (externs != small) free(externs);
    if (!err && inst->id) err = isr_registry_add(inst->rt, inst->id, inst);
    if (err) {
        isr_instance_destroy(inst); /* tears down the configured components */
        return err;
    }
    *out = inst;
    return NULL;
}
