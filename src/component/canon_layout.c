/* canon_layout.c — the canonical ABI's static part: each type's alignment,
 * element size and flattening into core types (CanonicalABI.md "Alignment",
 * "Element Size", "Flattening"), and a function's core signatures with the
 * parameter and result spills (flatten_functype). Computed once into cm_abi
 * trees, so lifting and lowering only read them. */
#include "canon_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t align_to(uint64_t n, uint32_t align) { return (n + align - 1) / align * align; }

static isorun_error *unsupported(const char *what) {
    return isr_error(ISORUN_ERR_ARGUMENT, "%s cannot cross the canonical ABI", what);
}

/* join(a, b) of two flat types: equal stays, i32 and f32 give i32, any
 * other pair gives i64. */
static uint8_t join(uint8_t a, uint8_t b) {
    if (a == b) return a;
    if ((a == ISORUN_I32 && b == ISORUN_F32) || (a == ISORUN_F32 && b == ISORUN_I32)) return ISORUN_I32;
    return ISORUN_I64;
}

static void set_flat1(cm_abi *a, isorun_kind k, uint32_t size) {
    a->size = a->align = size;
    a->nflat = 1;
    a->flat[0] = (uint8_t)k;
}

/* Appends b's flat types to a's (a record's fields, a tuple of params). */
static void flat_append(cm_abi *a, const cm_abi *b) {
    if (a->nflat == CM_ABI_MANY_FLAT) return;
    if (b->nflat == CM_ABI_MANY_FLAT || a->nflat + b->nflat > CM_CANON_MAX_FLAT_PARAMS) {
        a->nflat = CM_ABI_MANY_FLAT;
        return;
    }
    memcpy(a->flat + a->nflat, b->flat, b->nflat);
    a->nflat += b->nflat;
}

static isorun_error *build(const cm_type *t, cm_abi *a, unsigned depth);

/* The members laid out one after another, each at its alignment (a record,
 * a tuple, the tuple of a function's parameters or results): size and
 * alignment into *size and *align, flat types appended to a. */
static isorun_error *build_fields(const cm_type *const *types, char *const *names, uint32_t n, cm_abi *children,
                                  cm_abi *flat_into, uint32_t *size, uint32_t *align, unsigned depth,
                                  const char *what) {
    uint64_t s = 0;
    uint32_t al = 1;
    for (uint32_t i = 0; i < n; i++) {
        isorun_error *err = build(types[i], &children[i], depth + 1);
        if (err && names) return isr_error_wrap(err, "%s %s", what, names[i]);
        if (err) return isr_error_wrap(err, "%s %u", what, i);
        s = align_to(s, children[i].align);
        children[i].offset = (uint32_t)s; /* checked below: s stays <= UINT32_MAX */
        s += children[i].size;
        if (s > UINT32_MAX) return isr_error(ISORUN_ERR_ARGUMENT, "the type is larger than 4 GiB in memory");
        if (children[i].align > al) al = children[i].align;
        if (flat_into) flat_append(flat_into, &children[i]);
    }
    s = align_to(s, al);
    if (s > UINT32_MAX) return isr_error(ISORUN_ERR_ARGUMENT, "the type is larger than 4 GiB in memory");
    *size = (uint32_t)s;
    *align = al;
    return NULL;
}

/* The payload type of case i of a variant-like type (NULL: none). */
static const cm_type *case_type(const cm_type *t, uint32_t i) {
    switch (t->kind) {
    case ISORUN_VARIANT: return t->members ? t->members[i] : NULL;
    case ISORUN_OPTION: return i == 1 ? t->members[0] : NULL;
    case ISORUN_RESULT: return t->members[i];
    default: return NULL; /* ENUM */
    }
}

static isorun_error *build_variant(const cm_type *t, cm_abi *a, unsigned depth) {
    uint32_t ncases = (t->kind == ISORUN_OPTION || t->kind == ISORUN_RESULT) ? 2 : t->count;
    if (ncases == 0) return unsupported("a variant or enum without cases");
    if ((t->kind == ISORUN_OPTION && (t->count != 1 || !t->members || !t->members[0])) ||
        (t->kind == ISORUN_RESULT && (t->count != 2 || !t->members)))
        return isr_error(ISORUN_ERR_ARGUMENT, "a malformed %s type", isorun_kind_name(t->kind));
    a->children = calloc(ncases, sizeof *a->children);
    if (!a->children) return isr_error_nomem();
    a->nchildren = ncases;
    /* discriminant_type: the smallest of u8, u16, u32 that numbers the cases. */
    a->disc_size = ncases <= 0x100 ? 1 : ncases <= 0x10000 ? 2 : 4;
    uint32_t case_align = 1; /* max_case_alignment */
    uint32_t case_size = 0;
    uint32_t npayload_flat = 0;
    uint8_t payload_flat[CM_CANON_MAX_FLAT_PARAMS];
    bool many = false;
    for (uint32_t i = 0; i < ncases; i++) {
        const cm_type *ct = case_type(t, i);
        cm_abi *c = &a->children[i];
        c->align = 1;
        if (!ct) continue;
        isorun_error *err = build(ct, c, depth + 1);
        if (err) return isr_error_wrap(err, "case %s", canon_case_name(a, i));
        if (c->align > case_align) case_align = c->align;
        if (c->size > case_size) case_size = c->size;
        if (c->uses_memory) a->uses_memory = true;
        if (c->nflat == CM_ABI_MANY_FLAT || c->nflat >= CM_CANON_MAX_FLAT_PARAMS) { /* + 1 for the discriminant */
            many = true;
            continue;
        }
        for (uint32_t j = 0; j < c->nflat; j++)
            payload_flat[j] = j < npayload_flat ? join(payload_flat[j], c->flat[j]) : c->flat[j];
        if (c->nflat > npayload_flat) npayload_flat = c->nflat;
    }
    a->align = a->disc_size > case_align ? a->disc_size : case_align;
    a->payload_offset = (uint32_t)align_to(a->disc_size, case_align);
    uint64_t size = align_to((uint64_t)a->payload_offset + case_size, a->align);
    if (size > UINT32_MAX) return isr_error(ISORUN_ERR_ARGUMENT, "the type is larger than 4 GiB in memory");
    a->size = (uint32_t)size;
    if (many) {
        a->nflat = CM_ABI_MANY_FLAT;
    } else {
        a->nflat = 1 + npayload_flat;
        a->flat[0] = ISORUN_I32;
        memcpy(a->flat + 1, payload_flat, npayload_flat);
    }
    return NULL;
}

static isorun_error *build(const cm_type *t, cm_abi *a, unsigned depth) {
    memset(a, 0, sizeof *a);
    if (!t) return isr_error(ISORUN_ERR_ARGUMENT, "a missing type");
    a->type = t;
    /* cm_type trees are at most CM_TYPE_MAX_DEPTH deep when parsed; a tree
     * built by hand is held to the same bound, so recursion stays small. */
    if (depth > CM_TYPE_MAX_DEPTH) return isr_error(ISORUN_ERR_ARGUMENT, "the type nests too deeply");
    switch (t->kind) {
    case ISORUN_BOOL:
    case ISORUN_S8:
    case ISORUN_U8: set_flat1(a, ISORUN_I32, 1); return NULL;
    case ISORUN_S16:
    case ISORUN_U16: set_flat1(a, ISORUN_I32, 2); return NULL;
    case ISORUN_I32:
    case ISORUN_S32:
    case ISORUN_U32:
    case ISORUN_CHAR: set_flat1(a, ISORUN_I32, 4); return NULL;
    case ISORUN_I64:
    case ISORUN_S64:
    case ISORUN_U64: set_flat1(a, ISORUN_I64, 8); return NULL;
    case ISORUN_F32: set_flat1(a, ISORUN_F32, 4); return NULL;
    case ISORUN_F64: set_flat1(a, ISORUN_F64, 8); return NULL;
    case ISORUN_STRING:
    case ISORUN_LIST:
        a->size = 8;
        a->align = 4;
        a->nflat = 2;
        a->flat[0] = a->flat[1] = ISORUN_I32;
        a->uses_memory = true;
        if (t->kind == ISORUN_LIST) {
            if (t->count != 1 || !t->members) return isr_error(ISORUN_ERR_ARGUMENT, "a malformed list type");
            a->children = calloc(1, sizeof *a->children);
            if (!a->children) return isr_error_nomem();
            a->nchildren = 1;
            isorun_error *err = build(t->members[0], &a->children[0], depth + 1);
            if (err) return isr_error_wrap(err, "list element");
        }
        return NULL;
    case ISORUN_RECORD:
    case ISORUN_TUPLE: {
        if (t->count == 0) return unsupported(t->kind == ISORUN_RECORD ? "a record without fields" : "an empty tuple");
        if (!t->members) return isr_error(ISORUN_ERR_ARGUMENT, "a malformed %s type", isorun_kind_name(t->kind));
        a->children = calloc(t->count, sizeof *a->children);
        if (!a->children) return isr_error_nomem();
        a->nchildren = t->count;
        isorun_error *err = build_fields(t->members, t->kind == ISORUN_RECORD ? t->names : NULL, t->count,
                                         a->children, a, &a->size, &a->align, depth,
                                         t->kind == ISORUN_RECORD ? "field" : "member");
        if (err) return err;
        for (uint32_t i = 0; i < t->count; i++)
            if (a->children[i].uses_memory) a->uses_memory = true;
        return NULL;
    }
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT: return build_variant(t, a, depth);
    case ISORUN_FLAGS:
        /* The current spec allows 1..32 flags, packed into one integer. */
        if (t->count == 0 || t->count > 32)
            return isr_error(ISORUN_ERR_ARGUMENT, "flags with %u members cannot cross the canonical ABI (1 to 32)",
                             t->count);
        set_flat1(a, ISORUN_I32, t->count <= 8 ? 1 : t->count <= 16 ? 2 : 4);
        a->disc_size = a->size;
        return NULL;
    case ISORUN_OWN:
    case ISORUN_BORROW:
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "resources (%s) are not supported by the canonical ABI layer yet",
                         t->kind == ISORUN_OWN ? "own" : "borrow");
    default: return isr_error(ISORUN_ERR_ARGUMENT, "a type of unknown kind %d", (int)t->kind);
    }
}

static void abi_free_children(cm_abi *a) {
    for (uint32_t i = 0; i < a->nchildren; i++) abi_free_children(&a->children[i]);
    free(a->children);
    a->children = NULL;
    a->nchildren = 0;
}

isorun_error *cm_abi_new(const cm_type *t, cm_abi **out) {
    *out = NULL;
    cm_abi *a = calloc(1, sizeof *a);
    if (!a) return isr_error_nomem();
    isorun_error *err = build(t, a, 0);
    if (err) {
        cm_abi_free(a);
        return err;
    }
    *out = a;
    return NULL;
}

void cm_abi_free(cm_abi *a) {
    if (!a) return;
    abi_free_children(a);
    free(a);
}

/* ---- functions ------------------------------------------------------------- */

/* Lays out one side (parameters or results) as the tuple it spills into,
 * and counts its flat values into *nflat. */
static isorun_error *build_side(const cm_type *const *types, uint32_t n, cm_abi *layouts, uint32_t *size,
                                uint32_t *align, uint32_t *nflat, const char *what) {
    cm_abi all; /* just the flat-type accumulator */
    memset(&all, 0, sizeof all);
    isorun_error *err = build_fields(types, NULL, n, layouts, &all, size, align, 0, what);
    *nflat = all.nflat;
    return err;
}

static void push_flat(isorun_kind *kinds, uint32_t *n, const cm_abi *layouts, uint32_t count) {
    for (uint32_t i = 0; i < count; i++)
        for (uint32_t j = 0; j < layouts[i].nflat; j++) kinds[(*n)++] = (isorun_kind)layouts[i].flat[j];
}

isorun_error *cm_canon_func_new(const cm_functype *ft, cm_canon_func **out) {
    *out = NULL;
    cm_canon_func *f = calloc(1, sizeof *f);
    if (!f) return isr_error_nomem();
    f->type = *ft;
    f->params = calloc(ft->nparams ? ft->nparams : 1, sizeof *f->params);
    f->results = calloc(ft->nresults ? ft->nresults : 1, sizeof *f->results);
    isorun_error *err = NULL;
    if (!f->params || !f->results) {
        err = isr_error_nomem();
        goto fail;
    }
    err = build_side(ft->params, ft->nparams, f->params, &f->params_size, &f->params_align, &f->nflat_params,
                     "parameter");
    if (err) goto fail;
    err = build_side(ft->results, ft->nresults, f->results, &f->results_size, &f->results_align,
                     &f->nflat_results, "result");
    if (err) goto fail;
    f->params_spill = f->nflat_params > CM_CANON_MAX_FLAT_PARAMS;
    f->results_spill = f->nflat_results > CM_CANON_MAX_FLAT_RESULTS;

    bool params_memory = f->params_spill, results_memory = f->results_spill;
    for (uint32_t i = 0; i < ft->nparams; i++) params_memory |= f->params[i].uses_memory;
    for (uint32_t i = 0; i < ft->nresults; i++) results_memory |= f->results[i].uses_memory;
    f->needs_memory = params_memory || results_memory;
    f->lift_needs_realloc = params_memory;
    f->lower_needs_realloc = false;
    for (uint32_t i = 0; i < ft->nresults; i++) f->lower_needs_realloc |= f->results[i].uses_memory;

    /* flatten_functype: 'lift' and 'lower' (synchronous). */
    isorun_kind *lift = f->core_kinds_, *lower = f->core_kinds_ + CM_CANON_MAX_FLAT_PARAMS + 2;
    uint32_t n = 0;
    if (f->params_spill) lift[n++] = ISORUN_I32;
    else push_flat(lift, &n, f->params, ft->nparams);
    uint32_t lift_np = n;
    if (f->results_spill) lift[n++] = ISORUN_I32;
    else push_flat(lift, &n, f->results, ft->nresults);
    f->lift_core = (isorun_functype){lift_np, n - lift_np, lift, lift + lift_np};

    n = 0;
    if (f->params_spill) lower[n++] = ISORUN_I32;
    else push_flat(lower, &n, f->params, ft->nparams);
    if (f->results_spill) lower[n++] = ISORUN_I32; /* the out-pointer */
    uint32_t lower_np = n;
    if (!f->results_spill) push_flat(lower, &n, f->results, ft->nresults);
    f->lower_core = (isorun_functype){lower_np, n - lower_np, lower, lower + lower_np};
    *out = f;
    return NULL;
fail:
    cm_canon_func_free(f);
    return err;
}

void cm_canon_func_free(cm_canon_func *f) {
    if (!f) return;
    for (uint32_t i = 0; f->params && i < f->type.nparams; i++) abi_free_children(&f->params[i]);
    for (uint32_t i = 0; f->results && i < f->type.nresults; i++) abi_free_children(&f->results[i]);
    free(f->params);
    free(f->results);
    free(f);
}
