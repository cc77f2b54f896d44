/*
 * aot_load.c — attaching native code to a module: translate, build (or find
 * in the cache), load the shared object and check that it is the one for
 * this module.
 */
#include "aot.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

/* Types hash into an open-addressing table so that finding each type's first
 * structural twin stays linear for modules with many types. */
static uint64_t type_hash(const wasm_functype *t) {
    uint64_t h = 1469598103934665603ull ^ ((uint64_t)t->nparams << 32 | t->nresults);
    for (uint32_t i = 0; i < t->nparams + t->nresults; i++) h = (h ^ t->types[i]) * 1099511628211ull;
    return h;
}

isorun_error *wasm_aot_canonical_types(const wasm_module *m, uint32_t **out) {
    *out = NULL;
    uint32_t *canon = malloc(((size_t)m->ntypes + 1) * sizeof *canon);
    size_t cap = 16;
    while (cap < (size_t)m->ntypes * 2) cap *= 2;
    uint32_t *slots = malloc(cap * sizeof *slots); /* type index + 1; 0 = empty */
    if (!canon || !slots) {
        free(canon);
        free(slots);
        return isr_error_nomem();
    }
    memset(slots, 0, cap * sizeof *slots);
    for (uint32_t t = 0; t < m->ntypes; t++) {
        size_t i = (size_t)type_hash(&m->types[t]) & (cap - 1);
        for (;; i = (i + 1) & (cap - 1)) {
            if (!slots[i]) {
                slots[i] = t + 1;
                canon[t] = t;
                break;
            }
            if (wasm_functype_equal(&m->types[slots[i] - 1], &m->types[t])) {
                canon[t] = slots[i] - 1;
                break;
            }
        }
    }
    free(slots);
    *out = canon;
    return NULL;
}

isorun_error *wasm_aot_load(const wasm_module *m, const char *path, wasm_aot_code **out) {
    *out = NULL;
    wasm_aot_code *code = calloc(1, sizeof *code);
    if (!code) return isr_error_nomem();
    /* RTLD_LOCAL: two modules' objects never see each other's symbols. */
    code->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!code->handle) {
        const char *why = dlerror();
        free(code);
        return isr_error(ISORUN_ERR_NATIVE, "loading native code %s: %s", path, why ? why : "dlopen failed");
    }
#define SYMBOL_NAME_(x) #x
#define SYMBOL_NAME(x) SYMBOL_NAME_(x)
    code->desc = dlsym(code->handle, SYMBOL_NAME(ISR_AOT_SYMBOL));
    uint32_t ndefs = m->nfuncs - m->nfunc_imports;
    isorun_error *err = NULL;
    if (!code->desc)
        err = isr_error(ISORUN_ERR_NATIVE, "native code %s: no %s symbol", path, SYMBOL_NAME(ISR_AOT_SYMBOL));
    else if (code->desc->abi_version != ISR_AOT_ABI_VERSION || code->desc->nfuncs != ndefs)
        err = isr_error(ISORUN_ERR_NATIVE, "native code %s was built for another module or isorun version", path);
#undef SYMBOL_NAME
#undef SYMBOL_NAME_
    uint32_t *canon = NULL;
    if (!err) err = wasm_aot_canonical_types(m, &canon);
    if (!err) {
        code->sigs = malloc(((size_t)ndefs + 1) * sizeof *code->sigs);
        if (!code->sigs) err = isr_error_nomem();
        for (uint32_t i = 0; !err && i < ndefs; i++) code->sigs[i] = canon[m->func_type_index[m->nfunc_imports + i]];
    }
    free(canon);
    if (err) {
        wasm_aot_unload(code);
        return err;
    }
    *out = code;
    return NULL;
}

void wasm_aot_unload(wasm_aot_code *code) {
    if (!code) return;
    if (code->handle) dlclose(code->handle);
    free(code->sigs);
    free(code);
}

isorun_error *wasm_module_compile_native(wasm_module *m, const wasm_native_options *opts) {
    if (!m) return isr_error(ISORUN_ERR_ARGUMENT, "wasm_module_compile_native: no module");
    if (m->aot) return NULL;
    wasm_native_options defaults = {0};
    char *path = NULL;
    isorun_error *err = wasm_aot_build(m, opts ? opts : &defaults, &path);
    wasm_aot_code *code = NULL;
    if (!err) err = wasm_aot_load(m, path, &code);
    free(path);
    if (err) return err;
    m->aot = code;
    return NULL;
}

bool wasm_module_is_native(const wasm_module *m) { return m && m->aot; }
