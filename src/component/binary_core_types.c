/*
 * binary_core_types.c — core type definitions inside component binaries
 * (core:type): function types, and module types with their imports,
 * exports, function types and outer aliases of core types. Value types of
 * WebAssembly 2.0; GC types, tags, shared and 64-bit memories are refused.
 */
#include "binary_internal.h"

#include <string.h>

static bool read_core_valtype(reader *r, uint8_t *t) {
    if (!read_byte(r, t)) return false;
    switch (*t) {
    case WASM_I32:
    case WASM_I64:
    case WASM_F32:
    case WASM_F64:
    case WASM_V128:
    case WASM_FUNCREF:
    case WASM_EXTERNREF: return true;
    }
    r->p--;
    return fail(r, "malformed or unsupported core value type 0x%02x", *t);
}

static bool read_limits(reader *r, wasm_limits *l, bool memory) {
    uint8_t flags;
    if (!read_byte(r, &flags)) return false;
    if (flags > 0x01) {
        r->p--;
        if (memory && (flags == 0x02 || flags == 0x03)) return fail(r, "shared memories are not supported");
        if (flags >= 0x04 && flags <= 0x07) return fail(r, "64-bit memories and tables are not supported");
        return fail(r, "malformed limits flags 0x%02x", flags);
    }
    l->has_max = flags == 0x01;
    return read_u32(r, &l->min) && (!l->has_max || read_u32(r, &l->max));
}

/* core:importdesc ::= 0x00 typeidx | 0x01 tabletype | 0x02 memtype | 0x03 globaltype */
static bool read_core_importdesc(reader *r, scope *sc, cm_core_extern *x) {
    uint8_t kind;
    if (!read_byte(r, &kind)) return false;
    switch (kind) {
    case 0x00: {
        uint32_t index;
        size_t at = reader_offset(r);
        if (!read_u32(r, &index)) return false;
        const cm_index_entry *e = space_get(r, sc, CM_SORT_CORE_TYPE, index);
        if (!e) return false;
        if (e->core_type->kind != CM_CORE_FUNCTYPE)
            return fail_at(r->d, at, "core type %u is not a function type", index);
        x->kind = WASM_EXTERN_FUNC;
        x->func = e->core_type;
        return true;
    }
    case 0x01: {
        uint8_t elem;
        if (!read_byte(r, &elem)) return false;
        if (elem != WASM_FUNCREF && elem != WASM_EXTERNREF) {
            r->p--;
            return fail(r, "malformed or unsupported reference type 0x%02x", elem);
        }
        x->kind = WASM_EXTERN_TABLE;
        x->table.elem = elem;
        return read_limits(r, &x->table.limits, false);
    }
    case 0x02: x->kind = WASM_EXTERN_MEMORY; return read_limits(r, &x->memory, true);
    case 0x03: {
        uint8_t mut;
        x->kind = WASM_EXTERN_GLOBAL;
        if (!read_core_valtype(r, &x->global.type) || !read_byte(r, &mut)) return false;
        if (mut > 1) {
            r->p--;
            return fail(r, "malformed mutability 0x%02x", mut);
        }
        x->global.mut = mut == 1;
        return true;
    }
    case 0x04: r->p--; return fail(r, "core tags (exception handling) are not supported");
    }
    r->p--;
    return fail(r, "malformed core import kind 0x%02x", kind);
}

static bool core_functype(reader *r, cm_core_deftype *t) {
    uint32_t nparams, nresults;
    if (!read_count(r, &nparams)) return false;
    uint8_t *params = arena_alloc(r->d, nparams, 1);
    if (!params) return false;
    for (uint32_t i = 0; i < nparams; i++)
        if (!read_core_valtype(r, &params[i])) return false;
    if (!read_count(r, &nresults)) return false;
    uint8_t *types = arena_alloc(r->d, (size_t)nparams + nresults, 1);
    if (!types) return false;
    memcpy(types, params, nparams);
    for (uint32_t i = 0; i < nresults; i++)
        if (!read_core_valtype(r, &types[nparams + i])) return false;
    t->kind = CM_CORE_FUNCTYPE;
    t->func = (wasm_functype){nparams, nresults, types};
    return true;
}

/* core:moduletype ::= 0x50 vec(moduledecl), in a scope of its own. */
static bool core_moduletype(reader *r, scope *outer, cm_core_deftype *t) {
    scope sc;
    uint32_t count;
    if (!scope_init(r, &sc, outer, SCOPE_MODULE_TYPE) || !read_count(r, &count)) return false;
    vec imports = {0}, exports = {0};
    for (uint32_t i = 0; i < count; i++) {
        uint8_t kind;
        if (!read_byte(r, &kind)) return false;
        switch (kind) {
        case 0x00: {
            cm_core_extern *x = vec_push(r->d, &imports, sizeof *x);
            if (!x || !read_name(r, &x->module) || !read_name(r, &x->name) || !read_core_importdesc(r, &sc, x))
                return false;
            break;
        }
        case 0x01: {
            uint8_t b;
            const cm_core_deftype *ct;
            if (!peek_byte(r, &b)) return false;
            if (b == 0x50) return fail(r, "a module type cannot define a module type");
            if (!decode_core_deftype(r, &sc, &ct)) return false;
            cm_index_entry e = {.def = CM_DEF_CORE_TYPE, .core_type = ct};
            if (!space_add(r, &sc, CM_SORT_CORE_TYPE, &e)) return false;
            break;
        }
        case 0x02: {
            uint8_t sort, target;
            uint32_t ct, index;
            if (!read_core_sort(r, &sort)) return false;
            if (sort != CM_SORT_CORE_TYPE) return fail(r, "a module type can only alias core types");
            if (!read_byte(r, &target)) return false;
            if (target != 0x01) {
                r->p--;
                return fail(r, "malformed core alias target 0x%02x (only outer aliases)", target);
            }
            size_t at = reader_offset(r);
            if (!read_u32(r, &ct) || !read_u32(r, &index)) return false;
            scope *from = scope_outer(r, &sc, ct);
            const cm_index_entry *e = from ? space_get(r, from, CM_SORT_CORE_TYPE, index) : NULL;
            if (!e) return false;
            if (e->core_type->kind == CM_CORE_MODULETYPE)
                return fail_at(r->d, at, "a module type cannot alias a module type");
            cm_index_entry copy = {.def = CM_DEF_ALIAS, .core_type = e->core_type};
            if (!space_add(r, &sc, CM_SORT_CORE_TYPE, &copy)) return false;
            break;
        }
        case 0x03: {
            cm_core_extern *x = vec_push(r->d, &exports, sizeof *x);
            if (!x) return false;
            x->module = cm_empty_name;
            if (!read_name(r, &x->name) || !read_core_importdesc(r, &sc, x)) return false;
            break;
        }
        default: r->p--; return fail(r, "malformed module type declaration 0x%02x", kind);
        }
    }
    uint32_t mask;
    if (!name_table_build(r, exports.data, exports.n, sizeof(cm_core_extern), offsetof(cm_core_extern, name),
                          "export", &mask))
        return false;
    t->kind = CM_CORE_MODULETYPE;
    t->nimports = imports.n;
    t->imports = imports.data;
    t->nexports = exports.n;
    t->exports = exports.data;
    return true;
}

bool decode_core_deftype(reader *r, scope *sc, const cm_core_deftype **out) {
    uint8_t form;
    if (!read_byte(r, &form)) return false;
    cm_core_deftype *t = arena_alloc(r->d, 1, sizeof *t);
    if (!t) return false;
    bool ok;
    switch (form) {
    case 0x60: ok = core_functype(r, t); break;
    case 0x50: ok = core_moduletype(r, sc, t); break;
    case 0x00: /* 0x00 0x50: a GC subtype */
    case 0x4e:
    case 0x4f:
    case 0x5e:
    case 0x5f: r->p--; return fail(r, "core GC types are not supported");
    default: r->p--; return fail(r, "malformed core type 0x%02x", form);
    }
    if (ok) *out = t;
    return ok;
}
