/*
 * aot_load.c — attaching native code to a module: translate, build (or find
 * in the cache), load the shared object and check that it is the one for
 * this module; and loading a precompiled module from an object alone.
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

#define SYMBOL_NAME_(x) #x
#define SYMBOL_NAME(x) SYMBOL_NAME_(x)

/* Opens the object at path (running nothing of it but its loader-run
 * initialisation, which generated objects do not have) and checks that it is
 * one of ours, built by this very generator. */
static isorun_error *open_object(const char *path, wasm_aot_code **out) {
    *out = NULL;
    wasm_aot_code *code = calloc(1, sizeof *code);
    if (!code) return isr_error_nomem();
    code->path = strdup(path);
    /* RTLD_LOCAL: two modules' objects never see each other's symbols. */
    code->handle = code->path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!code->handle) {
        const char *why = code->path ? dlerror() : "out of memory";
        wasm_aot_unload(code);
        return isr_error(ISORUN_ERR_NATIVE, "loading native code %s: %s", path, why ? why : "dlopen failed");
    }
    code->desc = dlsym(code->handle, SYMBOL_NAME(ISR_AOT_SYMBOL));
    isorun_error *err = NULL;
    if (!code->desc)
        err = isr_error(ISORUN_ERR_NATIVE, "%s is not native code built by this version of isorun (no %s)", path,
                        SYMBOL_NAME(ISR_AOT_SYMBOL));
    else if (code->desc->abi_version != ISR_AOT_ABI_VERSION || !code->desc->generator ||
             strcmp(code->desc->generator, wasm_aot_generator_id) != 0)
        err = isr_error(ISORUN_ERR_NATIVE,
                        "%s was built by another build of isorun (its engine differs): build it again with "
                        "isorun compile",
                        path);
    if (err) {
        wasm_aot_unload(code);
        return err;
    }
    *out = code;
    return NULL;
}

/* Checks code against m and fills in what the instances need. */
static isorun_error *attach(const wasm_module *m, wasm_aot_code *code) {
    uint32_t ndefs = m->nfuncs - m->nfunc_imports;
    if (code->desc->nfuncs != ndefs) return isr_error(ISORUN_ERR_NATIVE, "native code %s is another module's", code->path);
    uint32_t *canon = NULL;
    isorun_error *err = wasm_aot_canonical_types(m, &canon);
    if (!err) {
        code->sigs = malloc(((size_t)ndefs + 1) * sizeof *code->sigs);
        if (!code->sigs) err = isr_error_nomem();
        for (uint32_t i = 0; !err && i < ndefs; i++) code->sigs[i] = canon[m->func_type_index[m->nfunc_imports + i]];
    }
    free(canon);
    return err;
}

isorun_error *wasm_aot_load(const wasm_module *m, const char *path, wasm_aot_code **out) {
    isorun_error *err = open_object(path, out);
    if (!err && (*out)->desc->wasm_len != m->len) err = isr_error(ISORUN_ERR_NATIVE, "native code %s is another module's", path);
    if (!err) err = attach(m, *out);
    if (err && *out) {
        wasm_aot_unload(*out);
        *out = NULL;
    }
    return err;
}

isorun_error *wasm_module_load_native(const char *path, wasm_module **out) {
    *out = NULL;
    wasm_aot_code *code = NULL;
    isorun_error *err = open_object(path, &code);
    if (err) return err;
    /* The module is decoded and validated from the object's own copy,
     * exactly as if it had been loaded from its .wasm; it is not compiled
     * for the interpreter, which never runs it. */
    wasm_module *m = NULL;
    err = wasm_module_new_uncompiled(code->desc->wasm, (size_t)code->desc->wasm_len, &m);
    if (!err) err = attach(m, code);
    if (err) {
        wasm_aot_unload(code);
        wasm_module_free(m);
        return err;
    }
    m->aot = code;
    *out = m;
    return NULL;
}

const char *wasm_module_native_path(const wasm_module *m) { return m && m->aot ? m->aot->path : NULL; }

#undef SYMBOL_NAME
#undef SYMBOL_NAME_

void wasm_aot_unload(wasm_aot_code *code) {
    if (!code) return;
    if (code->handle) dlclose(code->handle);
    free(code->path);
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
    /* Published once: a concurrent build that got there first wins. */
    wasm_aot_code *none = NULL;
    if (!atomic_compare_exchange_strong(&m->aot, &none, code)) wasm_aot_unload(code);
    return NULL;
}

bool wasm_instance_tier_up(wasm_instance *inst) {
    if (!inst) return false;
    if (inst->aot) return true;
    if (!inst->module->aot) return false;
    return wasm_aot_instance_new(inst) == NULL; /* out of memory: it keeps interpreting */
}

isorun_error *wasm_module_new_native(const uint8_t *bytes, size_t len, const wasm_native_options *opts,
                                     wasm_module **out) {
    isorun_error *err = wasm_module_new_uncompiled(bytes, len, out);
    if (!err) err = wasm_module_compile_native(*out, opts);
    if (err && *out) {
        wasm_module_free(*out);
        *out = NULL;
    }
    return err;
}

bool wasm_module_is_native(const wasm_module *m) { return m && m->aot; }
