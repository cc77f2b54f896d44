/*
 * fuzz_component.c — the component binary decoder's fuzzing entry point:
 * any byte string goes through cm_component_decode, which must answer with
 * a component or an error (ISORUN_ERR_MALFORMED or NOMEM), never a crash,
 * a hang, a leak or undefined behaviour. What decodes is walked — every
 * index space entry, every export looked up by its name, handles resolved
 * and some types printed — so that a dangling pointer or a tree that does
 * not hold together shows up under the sanitizers too.
 *
 * Built like the other targets: with libFuzzer (clang -fsanitize=fuzzer)
 * for fuzzing, and with replay_main.c as a plain program that replays
 * saved inputs.
 */
#include "../src/component/component.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by replay_main.c's -v: say what happened to each input on stderr. */
int fuzz_verbose;

/* Types printed per input: each may have CM_BINARY_MAX_TYPE_NODES nodes,
 * so printing them all could take long on inputs of a few KiB. Likewise
 * the component and instance types walked (many indices can share one). */
enum { FUZZ_MAX_PRINTS = 16, FUZZ_MAX_DECLS = 64 };

typedef struct walk {
    const cm_component *root;
    unsigned prints, decls;
} walk;

static void touch_type(walk *w, const cm_type *t) {
    if (!t || w->prints >= FUZZ_MAX_PRINTS) return;
    w->prints++;
    isr_buf b = {0};
    if (!cm_type_print(&b, t)) abort(); /* a decoded type always prints (out of memory aside) */
    isr_buf_free(&b);
    if ((t->kind == ISORUN_OWN || t->kind == ISORUN_BORROW) && !cm_component_handle_resource(w->root, t)) abort();
}

static void touch_desc(walk *w, const cm_externdesc *d) {
    if (d->sort == CM_SORT_VALUE) touch_type(w, d->value);
    if (d->sort == CM_SORT_FUNC) {
        for (uint32_t i = 0; i < d->type->func.nparams; i++) touch_type(w, d->type->func.params[i]);
        for (uint32_t i = 0; i < d->type->func.nresults; i++) touch_type(w, d->type->func.results[i]);
    }
}

static void touch_decls(walk *w, const cm_deftype *t) {
    if (!t || (t->kind != CM_DEFTYPE_COMPONENT && t->kind != CM_DEFTYPE_INSTANCE)) return;
    if (w->decls++ >= FUZZ_MAX_DECLS) return;
    for (uint32_t i = 0; i < t->nexports; i++) {
        const cm_extern *x = &t->exports[i];
        if (cm_deftype_export(t, x->name.s, x->name.len) != x) abort(); /* names are unique */
        touch_desc(w, &x->desc);
    }
    for (uint32_t i = 0; i < t->nimports; i++) touch_desc(w, &t->imports[i].desc);
}

static void touch_component(walk *w, const cm_component *c) {
    for (int s = 0; s < CM_SORT_COUNT_; s++) {
        for (uint32_t i = 0; i < c->nspace[s]; i++) {
            const cm_index_entry *e = cm_component_index(c, (cm_sort)s, i);
            if (!e) abort();
            if ((s == CM_SORT_FUNC || s == CM_SORT_TYPE || s == CM_SORT_COMPONENT || s == CM_SORT_INSTANCE) && !e->type)
                abort();
            if (s == CM_SORT_TYPE && e->type->kind == CM_DEFTYPE_VALUE) touch_type(w, e->type->value);
            if (s == CM_SORT_INSTANCE || s == CM_SORT_COMPONENT) touch_decls(w, e->type);
        }
    }
    for (uint32_t i = 0; i < c->nexports; i++)
        if (cm_component_export(c, c->exports[i].name.s, c->exports[i].name.len) != &c->exports[i]) abort();
    for (uint32_t i = 0; i < c->ncore_modules; i++)
        if (c->core_modules[i].size < 8 || c->core_modules[i].bytes < c->bytes ||
            c->core_modules[i].bytes + c->core_modules[i].size > c->bytes + c->size)
            abort();
    for (uint32_t i = 0; i < c->ncomponents; i++) touch_component(w, c->components[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode(data, size, &c);
    if (err) {
        isorun_error_code code = isorun_error_code_of(err);
        if (fuzz_verbose) fprintf(stderr, "  decode: %s\n", isorun_error_message(err));
        if (code != ISORUN_ERR_MALFORMED && code != ISORUN_ERR_NOMEM) abort();
        isorun_error_free(err);
        return 0;
    }
    if (fuzz_verbose) fprintf(stderr, "  decode: ok, %u definitions\n", c->ndefs);
    walk w = {.root = c};
    touch_component(&w, c);
    cm_component_free(c);
    return 0;
}
