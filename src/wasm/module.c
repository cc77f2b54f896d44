/*
 * module.c — a module's life cycle (decode, validate, compile; reference
 * counting) and the read-only accessors the layers above use.
 */
#include "aot.h"

isorun_error *wasm_module_new_uncompiled(const uint8_t *bytes, size_t len, wasm_module **out) {
    *out = NULL;
    if (!bytes && len) return isr_error(ISORUN_ERR_ARGUMENT, "wasm_module_new: bytes is NULL");
    wasm_module *m;
    isorun_error *err = wasm_decode(bytes, len, &m);
    if (err) return err;
    err = wasm_validate(m);
    if (err) {
        wasm_module_destroy(m);
        return err;
    }
    *out = m;
    return NULL;
}

isorun_error *wasm_module_new(const uint8_t *bytes, size_t len, wasm_module **out) {
    isorun_error *err = wasm_module_new_uncompiled(bytes, len, out);
    if (!err) err = wasm_compile(*out);
    if (err && *out) {
        wasm_module_destroy(*out);
        *out = NULL;
    }
    return err;
}

const wasm_limits *wasm_module_memory_limits(const wasm_module *m, uint32_t index) {
    return index < m->nmemories ? &m->memories[index] : NULL;
}

const wasm_limits *wasm_module_table_limits(const wasm_module *m, uint32_t index) {
    return index < m->ntables ? &m->tables[index].limits : NULL;
}

bool wasm_module_sole_owner(const wasm_module *m) {
    return m && atomic_load_explicit(&((wasm_module *)m)->refcount, memory_order_acquire) == 1;
}

wasm_module *wasm_module_ref(wasm_module *m) {
    if (m) atomic_fetch_add_explicit(&m->refcount, 1, memory_order_relaxed);
    return m;
}

void wasm_module_free(wasm_module *m) {
    /* acq_rel: the thread that frees must see every other owner's last use. */
    if (m && atomic_fetch_sub_explicit(&m->refcount, 1, memory_order_acq_rel) == 1) {
        wasm_aot_unload(m->aot);
        wasm_module_destroy(m);
    }
}

uint32_t wasm_module_import_count(const wasm_module *m) { return m->nimports; }

const wasm_import *wasm_module_import(const wasm_module *m, uint32_t i) {
    return i < m->nimports ? &m->imports[i] : NULL;
}

uint32_t wasm_module_export_count(const wasm_module *m) { return m->nexports; }

const wasm_export *wasm_module_export(const wasm_module *m, uint32_t i) {
    return i < m->nexports ? &m->exports[i] : NULL;
}

const wasm_functype *wasm_module_type(const wasm_module *m, uint32_t type_index) {
    return type_index < m->ntypes ? &m->types[type_index] : NULL;
}

const wasm_functype *wasm_module_func_type(const wasm_module *m, uint32_t func_index) {
    return func_index < m->nfuncs ? wasm_module_type(m, m->func_type_index[func_index]) : NULL;
}

const char *wasm_module_func_name(const wasm_module *m, uint32_t func_index) {
    return m->func_names && func_index < m->nfuncs ? m->func_names[func_index] : NULL;
}
