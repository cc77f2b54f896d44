/*
 * validate.c — validation of a decoded module (the specification's validation
 * chapter, WebAssembly 2.0 without SIMD): the module-level rules here; the
 * function bodies in validate_code.c.
 *
 * Every failure is ISORUN_ERR_INVALID whose message names the offending item
 * and carries the specification test suite's wording for the reason.
 */
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static isorun_error *invalid(const char *fmt, ...) ISR_PRINTF(1, 2);
static isorun_error *invalid(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    isorun_error *err = isr_error_v(ISORUN_ERR_INVALID, fmt, ap);
    va_end(ap);
    return err;
}

/* ------------------------------------------------------------------------
 * Types, limits and the index spaces' entries
 * ------------------------------------------------------------------------ */

static isorun_error *check_type_index(const wasm_module *m, uint32_t idx, const char *what, uint32_t what_index) {
    if (idx >= m->ntypes) return invalid("%s %u: unknown type %u", what, what_index, idx);
    return NULL;
}

static isorun_error *check_table_type(const wasm_tabletype *t, const char *what, uint32_t index) {
    if (!wasm_is_reftype(t->elem)) return invalid("%s %u: malformed reference type 0x%02x", what, index, t->elem);
    if (t->limits.has_max && t->limits.min > t->limits.max)
        return invalid("%s %u: size minimum must not be greater than maximum (%u > %u)", what, index,
                       t->limits.min, t->limits.max);
    return NULL;
}

static isorun_error *check_memory_type(const wasm_limits *l, const char *what, uint32_t index) {
    if (l->min > WASM_MAX_PAGES || (l->has_max && l->max > WASM_MAX_PAGES))
        return invalid("%s %u: memory size must be at most 65536 pages (4GiB)", what, index);
    if (l->has_max && l->min > l->max)
        return invalid("%s %u: size minimum must not be greater than maximum (%u > %u)", what, index, l->min,
                       l->max);
    return NULL;
}

static isorun_error *check_imports(const wasm_module *m) {
    isorun_error *err = NULL;
    for (uint32_t i = 0; i < m->nimports && !err; i++) {
        const wasm_import *imp = &m->imports[i];
        switch (imp->kind) {
        case WASM_EXTERN_FUNC: err = check_type_index(m, imp->u.type_index, "import", i); break;
        case WASM_EXTERN_TABLE: err = check_table_type(&imp->u.table, "import", i); break;
        case WASM_EXTERN_MEMORY: err = check_memory_type(&imp->u.memory, "import", i); break;
        case WASM_EXTERN_GLOBAL:
            if (!wasm_is_valtype(imp->u.global.type))
                err = invalid("import %u: malformed value type 0x%02x", i, imp->u.global.type);
            break;
        }
    }
    return err;
}

/* The entries of the function, table and memory index spaces (imported ones
 * included: their types sit in the same arrays). */
static isorun_error *check_index_spaces(const wasm_module *m) {
    isorun_error *err = NULL;
    for (uint32_t f = 0; f < m->nfuncs && !err; f++)
        err = check_type_index(m, m->func_type_index[f], "function", f);
    for (uint32_t t = 0; t < m->ntables && !err; t++) err = check_table_type(&m->tables[t], "table", t);
    if (!err && m->nmemories > 1)
        return invalid("multiple memories: %u declared (imported and defined), at most 1 allowed", m->nmemories);
    for (uint32_t i = 0; i < m->nmemories && !err; i++) err = check_memory_type(&m->memories[i], "memory", i);
    return err;
}

/* ------------------------------------------------------------------------
 * Constant expressions
 * ------------------------------------------------------------------------ */

static void declare_ref(uint8_t *refs, uint32_t func) { refs[func / 8] |= (uint8_t)(1u << (func % 8)); }

/* Type-checks a constant expression that must produce `want` and records any
 * function it names in refs. As the reference interpreter (which the test
 * suite follows) requires, global.get may only name an imported, immutable
 * global — for segment offsets as well as global initializers — so constant
 * expressions never depend on the module's own globals. `where` names the
 * expression for messages. */
static isorun_error *check_const_expr(const wasm_module *m, const wasm_constexpr *e, uint8_t want, uint8_t *refs,
                                      const char *where) {
    uint8_t type;
    switch (e->op) {
    case WASM_OP_I32_CONST: type = WASM_I32; break;
    case WASM_OP_I64_CONST: type = WASM_I64; break;
    case WASM_OP_F32_CONST: type = WASM_F32; break;
    case WASM_OP_F64_CONST: type = WASM_F64; break;
    case WASM_OP_V128_CONST: type = WASM_V128; break;
    case WASM_OP_REF_NULL: type = e->type; break;
    case WASM_OP_REF_FUNC:
        if (e->value >= m->nfuncs) return invalid("%s: unknown function %llu", where, (unsigned long long)e->value);
        declare_ref(refs, (uint32_t)e->value);
        type = WASM_FUNCREF;
        break;
    case WASM_OP_GLOBAL_GET:
        if (e->value >= m->nglobal_imports)
            return invalid("%s: unknown global %llu (constant expressions may only read imported globals)", where,
                           (unsigned long long)e->value);
        if (m->globals[e->value].mut)
            return invalid("%s: constant expression required (global %llu is mutable)", where,
                           (unsigned long long)e->value);
        type = m->globals[e->value].type;
        break;
    default: return invalid("%s: constant expression required", where);
    }
    if (type != want)
        return invalid("%s: type mismatch: expected %s but the expression has type %s", where,
                       wasm_valtype_name(want), wasm_valtype_name(type));
    return NULL;
}

static isorun_error *check_globals(const wasm_module *m, uint8_t *refs) {
    char where[64];
    for (uint32_t g = m->nglobal_imports; g < m->nglobals; g++) {
        if (!wasm_is_valtype(m->globals[g].type))
            return invalid("global %u: malformed value type 0x%02x", g, m->globals[g].type);
        snprintf(where, sizeof where, "global %u initializer", g);
        isorun_error *err = check_const_expr(m, &m->global_inits[g - m->nglobal_imports], m->globals[g].type,
                                             refs, where);
        if (err) return err;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Segments
 * ------------------------------------------------------------------------ */

static isorun_error *check_elem(const wasm_module *m, uint32_t i, uint8_t *refs) {
    const wasm_elem_seg *seg = &m->elems[i];
    char where[64];
    if (!wasm_is_reftype(seg->type)) return invalid("elem segment %u: malformed reference type 0x%02x", i, seg->type);
    if (seg->mode == WASM_SEG_ACTIVE) {
        if (seg->table >= m->ntables) return invalid("elem segment %u: unknown table %u", i, seg->table);
        if (m->tables[seg->table].elem != seg->type)
            return invalid("elem segment %u: type mismatch: %s elements for table %u of %s", i,
                           wasm_valtype_name(seg->type), seg->table,
                           wasm_valtype_name(m->tables[seg->table].elem));
        snprintf(where, sizeof where, "elem segment %u offset", i);
        isorun_error *err = check_const_expr(m, &seg->offset, WASM_I32, refs, where);
        if (err) return err;
    }
    for (uint32_t k = 0; k < seg->count; k++) {
        snprintf(where, sizeof where, "elem segment %u item %u", i, k);
        isorun_error *err = check_const_expr(m, &seg->items[k], seg->type, refs, where);
        if (err) return err;
    }
    return NULL;
}

static isorun_error *check_datas(const wasm_module *m, uint8_t *refs) {
    if (m->has_data_count && m->data_count != m->ndatas)
        return isr_error(ISORUN_ERR_MALFORMED,
                         "data count and data section have inconsistent lengths (%u and %u)", m->data_count,
                         m->ndatas);
    char where[64];
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wasm_data_seg *seg = &m->datas[i];
        if (seg->mode != WASM_SEG_ACTIVE) continue;
        if (seg->memory >= m->nmemories) return invalid("data segment %u: unknown memory %u", i, seg->memory);
        snprintf(where, sizeof where, "data segment %u offset", i);
        isorun_error *err = check_const_expr(m, &seg->offset, WASM_I32, refs, where);
        if (err) return err;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Exports and the start function
 * ------------------------------------------------------------------------ */

static int compare_export_names(const void *pa, const void *pb) {
    const wasm_export *a = *(const wasm_export *const *)pa;
    const wasm_export *b = *(const wasm_export *const *)pb;
    if (a->name_len != b->name_len) return a->name_len < b->name_len ? -1 : 1;
    return a->name_len ? memcmp(a->name, b->name, a->name_len) : 0;
}

/* Sorting makes the uniqueness check O(n log n) for modules with many exports. */
static isorun_error *check_export_names_unique(const wasm_module *m) {
    if (m->nexports < 2) return NULL;
    const wasm_export **sorted = malloc((size_t)m->nexports * sizeof *sorted);
    if (!sorted) return isr_error_nomem();
    for (uint32_t i = 0; i < m->nexports; i++) sorted[i] = &m->exports[i];
    qsort(sorted, m->nexports, sizeof *sorted, compare_export_names);
    isorun_error *err = NULL;
    for (uint32_t i = 1; i < m->nexports && !err; i++)
        if (compare_export_names(&sorted[i - 1], &sorted[i]) == 0)
            err = invalid("duplicate export name \"%.*s\"", (int)(sorted[i]->name_len > 200 ? 200 : sorted[i]->name_len),
                          sorted[i]->name);
    free(sorted);
    return err;
}

static isorun_error *check_exports(const wasm_module *m, uint8_t *refs) {
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export *e = &m->exports[i];
        switch (e->kind) {
        case WASM_EXTERN_FUNC:
            if (e->index >= m->nfuncs) return invalid("export %u: unknown function %u", i, e->index);
            declare_ref(refs, e->index);
            break;
        case WASM_EXTERN_TABLE:
            if (e->index >= m->ntables) return invalid("export %u: unknown table %u", i, e->index);
            break;
        case WASM_EXTERN_MEMORY:
            if (e->index >= m->nmemories) return invalid("export %u: unknown memory %u", i, e->index);
            break;
        case WASM_EXTERN_GLOBAL:
            if (e->index >= m->nglobals) return invalid("export %u: unknown global %u", i, e->index);
            break;
        default: return invalid("export %u: unknown export kind %d", i, (int)e->kind);
        }
    }
    return check_export_names_unique(m);
}

static isorun_error *check_start(const wasm_module *m) {
    if (!m->has_start) return NULL;
    if (m->start >= m->nfuncs) return invalid("start function: unknown function %u", m->start);
    const wasm_functype *t = &m->types[m->func_type_index[m->start]];
    if (t->nparams != 0 || t->nresults != 0)
        return invalid("start function %u must take no parameters and return no results", m->start);
    return NULL;
}

/* ------------------------------------------------------------------------
 * The module
 * ------------------------------------------------------------------------ */

/* Everything outside function bodies. Fills refs with the functions named
 * there, which bodies may then reference with ref.func. */
static isorun_error *check_module_fields(const wasm_module *m, uint8_t *refs) {
    isorun_error *err;
    if ((err = check_imports(m))) return err;
    if ((err = check_index_spaces(m))) return err;
    if ((err = check_globals(m, refs))) return err;
    for (uint32_t i = 0; i < m->nelems; i++)
        if ((err = check_elem(m, i, refs))) return err;
    if ((err = check_datas(m, refs))) return err;
    if ((err = check_exports(m, refs))) return err;
    return check_start(m);
}

isorun_error *wasm_validate(const wasm_module *m) {
    uint8_t *refs = calloc((size_t)m->nfuncs / 8 + 1, 1);
    if (!refs) return isr_error_nomem();
    isorun_error *err = check_module_fields(m, refs);
    if (!err) err = wasm_validate_bodies(m, refs);
    free(refs);
    return err;
}
