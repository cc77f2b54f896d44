/*
 * module.c — isorun_module: a compiled engine module plus the import and
 * export descriptions the API hands out (isorun_item_info with isorun_functype
 * arrays, built once at load and owned by the wrapper). Loading goes through
 * the runtime's content-keyed cache so equal bytes compile once.
 */
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static isorun_extern_kind extern_kind(wasm_externkind k) {
    switch (k) {
    case WASM_EXTERN_TABLE: return ISORUN_EXTERN_TABLE;
    case WASM_EXTERN_MEMORY: return ISORUN_EXTERN_MEMORY;
    case WASM_EXTERN_GLOBAL: return ISORUN_EXTERN_GLOBAL;
    default: return ISORUN_EXTERN_FUNC;
    }
}

/* The kind naming a core type the API cannot pass. */
static isorun_kind unpassable_kind(uint8_t valtype) {
    switch (valtype) {
    case WASM_V128: return ISORUN_V128;
    case WASM_FUNCREF: return ISORUN_FUNCREF;
    default: return ISORUN_EXTERNREF;
    }
}

/* Points info->type into kinds[*used...] and fills it from t. Types the API
 * cannot pass show as ISORUN_V128, ISORUN_FUNCREF or ISORUN_EXTERNREF. */
static void fill_functype(isorun_functype *out, const wasm_functype *t, isorun_kind *kinds, size_t *used) {
    size_t n = (size_t)t->nparams + t->nresults;
    /* kinds is NULL when every signature is () -> (): no pointer arithmetic on it then. */
    isorun_kind *k = n ? kinds + *used : NULL;
    for (size_t i = 0; i < n; i++)
        if (!isr_kind_of_valtype(t->types[i], &k[i])) k[i] = unpassable_kind(t->types[i]);
    out->nparams = t->nparams;
    out->nresults = t->nresults;
    out->params = k;
    out->results = n ? k + t->nparams : NULL;
    *used += n;
}

/* A memory's or table's declared limits (l NULL for other kinds). */
static void set_limits(isorun_item_info *info, const wasm_limits *l) {
    if (!l) return;
    info->min = l->min;
    info->max = l->max;
    info->has_max = l->has_max;
}

static isorun_error *build_infos(isorun_module *m) {
    const wasm_module *wm = m->wm;
    uint32_t nimp = wasm_module_import_count(wm), nexp = wasm_module_export_count(wm);
    size_t nkinds = 0;
    for (uint32_t i = 0; i < nimp; i++) {
        const wasm_import *imp = wasm_module_import(wm, i);
        if (imp->kind != WASM_EXTERN_FUNC) continue;
        const wasm_functype *t = wasm_module_type(wm, imp->u.type_index);
        nkinds += (size_t)t->nparams + t->nresults;
    }
    for (uint32_t i = 0; i < nexp; i++) {
        const wasm_export *e = wasm_module_export(wm, i);
        if (e->kind != WASM_EXTERN_FUNC) continue;
        const wasm_functype *t = wasm_module_func_type(wm, e->index);
        nkinds += (size_t)t->nparams + t->nresults;
    }
    if ((nimp && !(m->imports = calloc(nimp, sizeof *m->imports))) ||
        (nexp && !(m->exports = calloc(nexp, sizeof *m->exports))) ||
        (nkinds && !(m->kinds = calloc(nkinds, sizeof *m->kinds))))
        return isr_error_nomem();
    size_t used = 0;
    for (uint32_t i = 0; i < nimp; i++) {
        const wasm_import *imp = wasm_module_import(wm, i);
        isorun_item_info *info = &m->imports[i];
        info->module = imp->module;
        info->name = imp->name;
        info->kind = extern_kind(imp->kind);
        if (imp->kind == WASM_EXTERN_FUNC)
            fill_functype(&info->type, wasm_module_type(wm, imp->u.type_index), m->kinds, &used);
        set_limits(info, imp->kind == WASM_EXTERN_MEMORY  ? &imp->u.memory
                         : imp->kind == WASM_EXTERN_TABLE ? &imp->u.table.limits
                                                          : NULL);
    }
    for (uint32_t i = 0; i < nexp; i++) {
        const wasm_export *e = wasm_module_export(wm, i);
        isorun_item_info *info = &m->exports[i];
        info->name = e->name;
        info->kind = extern_kind(e->kind);
        if (e->kind == WASM_EXTERN_FUNC) fill_functype(&info->type, wasm_module_func_type(wm, e->index), m->kinds, &used);
        set_limits(info, e->kind == WASM_EXTERN_MEMORY  ? wasm_module_memory_limits(wm, e->index)
                         : e->kind == WASM_EXTERN_TABLE ? wasm_module_table_limits(wm, e->index)
                                                        : NULL);
    }
    return NULL;
}

static void module_destroy(isorun_module *m) {
    free(m->imports);
    free(m->exports);
    free(m->kinds);
    wasm_module_free(m->wm);
    isorun_runtime *rt = m->rt;
    free(m);
    isr_runtime_release(rt);
}

/* Wraps wm (taking over the caller's reference to it). */
static isorun_error *module_wrap(isorun_runtime *rt, wasm_module *wm, isorun_module **out) {
    isorun_module *m = calloc(1, sizeof *m);
    if (!m) {
        wasm_module_free(wm);
        return isr_error_nomem();
    }
    atomic_init(&m->refs, 1);
    m->rt = isr_runtime_ref(rt);
    m->wm = wm;
    isorun_error *err = build_infos(m);
    if (err) {
        module_destroy(m);
        return err;
    }
    *out = m;
    return NULL;
}

isorun_error *isorun_module_load(isorun_runtime *rt, const void *bytes, size_t len, isorun_module **out) {
    if (!out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_load: out is NULL");
    *out = NULL;
    if (!rt || (!bytes && len))
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_load: a runtime and the module's bytes are required");
    uint64_t hash = isr_hash_bytes(bytes, len);
    isorun_module *live;
    wasm_module *wm = isr_cache_find(rt, bytes, len, hash, &live);
    if (live) {
        wasm_module_free(wm);
        *out = live;
        return NULL;
    }
    if (!wm) {
        wasm_native_options opts = {
            .cache_dir = rt->native_cache_dir,
            .cc = rt->native_cc,
            .keep_source = rt->native_keep_source,
            .on_build = rt->native_build_started,
            .on_build_arg = rt->native_build_arg,
        };
        bool build_now = rt->native && !rt->native_background;
        isorun_error *err = build_now ? wasm_module_new_native(bytes, len, &opts, &wm) : wasm_module_new(bytes, len, &wm);
        /* In the background: the module runs interpreted until its build is done. */
        if (!err && rt->native && rt->native_background) {
            err = isr_native_job_start(rt, wm);
            if (err) wasm_module_free(wm);
        }
        if (err) return err;
    }
    isorun_module *m = NULL;
    isorun_error *err = module_wrap(rt, wm, &m);
    if (err) return err;
    isorun_module *shared = isr_cache_insert(rt, bytes, len, hash, m);
    if (shared != m) module_destroy(m); /* another thread won the race; m was never visible */
    *out = shared;
    return NULL;
}

isorun_error *isorun_module_load_file(isorun_runtime *rt, const char *path, isorun_module **out) {
    if (!out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_load_file: out is NULL");
    *out = NULL;
    if (!rt || !path) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_load_file: a runtime and a path are required");
    FILE *f = fopen(path, "rb");
    if (!f) return isr_error(ISORUN_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    isr_buf b = {0};
    bool ok = true;
    for (;;) {
        if (!isr_buf_reserve(&b, 65536)) {
            ok = false;
            break;
        }
        size_t n = fread(b.data + b.len, 1, b.cap - b.len, f);
        b.len += n;
        if (n == 0) break;
    }
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (!ok) {
        isr_buf_free(&b);
        return isr_error_nomem();
    }
    if (read_error) {
        isr_buf_free(&b);
        return isr_error(ISORUN_ERR_IO, "cannot read %s: read error", path);
    }
    isorun_error *err = isorun_module_load(rt, b.data, b.len, out);
    isr_buf_free(&b);
    if (err) isr_error_wrap(err, "%s", path);
    return err;
}

isorun_error *isorun_module_load_native(isorun_runtime *rt, const char *path, isorun_module **out) {
    if (!out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_load_native: out is NULL");
    *out = NULL;
    if (!rt || !path) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_load_native: a runtime and a path are required");
    wasm_module *wm = NULL;
    isorun_error *err = wasm_module_load_native(path, &wm);
    if (err) return err;
    return module_wrap(rt, wm, out);
}

/* Copies in to out's file descriptor; false on a read or write error. */
static bool copy_fd(int in, int out) {
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) return true;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return false;
            done += w;
        }
    }
}

bool isorun_module_is_native(const isorun_module *m) { return m && wasm_module_is_native(m->wm); }

isorun_error *isorun_module_wait_native(isorun_module *m) {
    if (!m) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_wait_native: no module");
    if (wasm_module_is_native(m->wm)) return NULL;
    return isr_native_job_wait(m->rt, m->wm);
}

isorun_error *isorun_module_write_native(const isorun_module *m, const char *path) {
    if (!m || !path) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_module_write_native: a module and a path are required");
    const char *from = wasm_module_native_path(m->wm);
    if (!from) return isr_error(ISORUN_ERR_NATIVE, "the module is interpreted: load it with a native runtime first");
    isr_buf tmp = {0};
    if (!isr_buf_printf(&tmp, "%s." ISR_MKSTEMP_XS, path) || !isr_buf_append(&tmp, "", 1)) {
        isr_buf_free(&tmp);
        return isr_error_nomem();
    }
    char *tmp_path = (char *)tmp.data;
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = mkstemp(tmp_path);
    bool ok = in >= 0 && out >= 0 && copy_fd(in, out) && fchmod(out, 0755) == 0;
    int saved = errno;
    if (in >= 0) close(in);
    if (out >= 0 && close(out) != 0 && ok) ok = false, saved = errno;
    if (ok && rename(tmp_path, path) != 0) ok = false, saved = errno;
    if (!ok && out >= 0) unlink(tmp_path);
    isorun_error *err = ok ? NULL : isr_error(ISORUN_ERR_IO, "writing %s: %s", path, strerror(saved));
    isr_buf_free(&tmp);
    return err;
}

isorun_module *isr_module_ref(isorun_module *m) {
    atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
    return m;
}

void isorun_module_free(isorun_module *m) {
    if (!m) return;
    isorun_runtime *rt = m->rt;
    /* The step to zero happens under the cache lock, so the cache never
     * revives a wrapper that is being destroyed. */
    pthread_mutex_lock(&rt->cache_lock);
    bool last = atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) == 1;
    if (last) isr_cache_forget(rt, m);
    pthread_mutex_unlock(&rt->cache_lock);
    if (last) module_destroy(m);
}

size_t isorun_module_import_count(const isorun_module *m) { return m ? wasm_module_import_count(m->wm) : 0; }
size_t isorun_module_export_count(const isorun_module *m) { return m ? wasm_module_export_count(m->wm) : 0; }

bool isorun_module_import(const isorun_module *m, size_t i, isorun_item_info *out) {
    if (!m || !out || i >= wasm_module_import_count(m->wm)) return false;
    *out = m->imports[i];
    return true;
}

bool isorun_module_export(const isorun_module *m, size_t i, isorun_item_info *out) {
    if (!m || !out || i >= wasm_module_export_count(m->wm)) return false;
    *out = m->exports[i];
    return true;
}

const isorun_item_info *isr_module_func_export(const isorun_module *m, const char *name, uint32_t *index) {
    size_t len = strlen(name);
    uint32_t n = wasm_module_export_count(m->wm);
    for (uint32_t i = 0; i < n; i++) {
        const wasm_export *e = wasm_module_export(m->wm, i);
        if (e->kind == WASM_EXTERN_FUNC && e->name_len == len && memcmp(e->name, name, len) == 0) {
            if (index) *index = i;
            return &m->exports[i];
        }
    }
    return NULL;
}
