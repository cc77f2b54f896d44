/*
 * imports.c — the import space a builder collects: host functions that
 * system components define in their install step, each remembered with the
 * component that defined it (so a call can find that component's state).
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

static void def_free(isr_host_def *d) {
    free(d->module);
    free(d->name);
    free(d->type.types);
}

isorun_error *isorun_imports_define(isorun_imports *im, const char *module, const char *name, const char *signature,
                                    isorun_host_fn fn, void *data) {
    if (!im || !module || !name || !fn)
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_imports_define: imports, module, name and fn are required");
    if (isr_imports_find(im, module, strlen(module), name, strlen(name)))
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "host function \"%s\".\"%s\" is already defined (by this or an earlier component): "
                         "each name may be defined once per builder",
                         module, name);
    isr_host_def d = {0};
    isorun_error *err = isr_signature_parse(signature, &d.type);
    if (err) return isr_error_wrap(err, "host function \"%s\".\"%s\"", module, name);
    d.module = isr_strndup(module, strlen(module));
    d.name = isr_strndup(name, strlen(name));
    d.fn = fn;
    d.data = data;
    d.component = im->installing;
    if (!d.module || !d.name || !isr_grow_array((void **)&im->defs, &im->cap, im->ndefs + 1, sizeof *im->defs)) {
        def_free(&d);
        return isr_error_nomem();
    }
    im->defs[im->ndefs++] = d;
    return NULL;
}

const isr_host_def *isr_imports_find(const isorun_imports *im, const char *module, size_t module_len,
                                     const char *name, size_t name_len) {
    for (size_t i = 0; i < im->ndefs; i++) {
        const isr_host_def *d = &im->defs[i];
        if (strlen(d->module) == module_len && strlen(d->name) == name_len &&
            memcmp(d->module, module, module_len) == 0 && memcmp(d->name, name, name_len) == 0)
            return d;
    }
    return NULL;
}

void isr_imports_truncate(isorun_imports *im, size_t keep) {
    while (im->ndefs > keep) def_free(&im->defs[--im->ndefs]);
}

isorun_imports *isr_imports_new(void) {
    isorun_imports *im = calloc(1, sizeof *im);
    if (im) atomic_init(&im->refs, 1);
    return im;
}

isorun_imports *isr_imports_ref(isorun_imports *im) {
    atomic_fetch_add_explicit(&im->refs, 1, memory_order_relaxed);
    return im;
}

void isr_imports_release(isorun_imports *im) {
    if (!im || atomic_fetch_sub_explicit(&im->refs, 1, memory_order_acq_rel) != 1) return;
    isr_imports_truncate(im, 0);
    free(im->defs);
    free(im);
}

/* Copy on write: instances share their builder's definitions (instantiating
 * copies nothing); a builder that changes them after that gets its own copy. */
isorun_error *isr_imports_unshare(isorun_imports **pim) {
    isorun_imports *src = *pim;
    if (atomic_load_explicit(&src->refs, memory_order_acquire) == 1) return NULL;
    isorun_imports *dst = isr_imports_new();
    if (!dst || (src->ndefs && !(dst->defs = calloc(src->ndefs, sizeof *dst->defs)))) {
        free(dst);
        return isr_error_nomem();
    }
    dst->cap = src->ndefs;
    dst->installing = src->installing;
    for (size_t i = 0; i < src->ndefs; i++) {
        const isr_host_def *s = &src->defs[i];
        isr_host_def *d = &dst->defs[i];
        size_t ntypes = (size_t)s->type.nparams + s->type.nresults;
        *d = *s;
        d->module = isr_strndup(s->module, strlen(s->module));
        d->name = isr_strndup(s->name, strlen(s->name));
        d->type.types = malloc(ntypes ? ntypes : 1);
        dst->ndefs = i + 1;
        if (!d->module || !d->name || !d->type.types) {
            isr_imports_release(dst);
            return isr_error_nomem();
        }
        memcpy(d->type.types, s->type.types, ntypes);
    }
    isr_imports_release(src);
    *pim = dst;
    return NULL;
}
