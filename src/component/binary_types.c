/*
 * binary_types.c — type definitions of component binaries: value types
 * (into cm_type trees), function, component, instance and resource types;
 * externdescs. (Core types are in binary_core_types.c.)
 *
 * A value type that names another by index shares that type's tree, so
 * trees are DAGs in memory. Each node carries its depth and its size as a
 * tree, so that a few bytes cannot describe a type too deep or too large
 * for the code that walks it (CM_TYPE_MAX_DEPTH, CM_BINARY_MAX_TYPE_NODES).
 */
#include "binary_internal.h"

#include <stdio.h>
#include <string.h>

/* Every non-scalar cm_type the decoder makes is one of these. */
typedef struct vnode {
    cm_type t;
    uint32_t depth; /* compound levels: 1 for list<u8> */
    uint32_t nodes; /* nodes counted as a tree */
} vnode;

static void metrics(const cm_type *t, uint32_t *depth, uint32_t *nodes) {
    if (!t) {
        *depth = 0;
        *nodes = 0;
    } else if (cm_type_scalar(t->kind) == t) {
        *depth = 0;
        *nodes = 1;
    } else {
        const vnode *v = (const vnode *)t;
        *depth = v->depth;
        *nodes = v->nodes;
    }
}

/* A compound node over members (which may contain NULLs: absent payloads). */
static cm_type *new_node(reader *r, size_t at, isorun_kind kind, uint32_t count, const cm_type **members,
                         uint32_t nmembers, char **names) {
    uint32_t depth = 0;
    uint64_t nodes = 1;
    for (uint32_t i = 0; i < nmembers; i++) {
        uint32_t dm, nm;
        metrics(members[i], &dm, &nm);
        if (dm > depth) depth = dm;
        nodes += nm;
    }
    depth++;
    if (depth > CM_TYPE_MAX_DEPTH) {
        fail_at(r->d, at, "type nested more than %d levels deep", CM_TYPE_MAX_DEPTH);
        return NULL;
    }
    if (nodes > CM_BINARY_MAX_TYPE_NODES) {
        fail_at(r->d, at, "type of more than %d nodes (decoder limit)", CM_BINARY_MAX_TYPE_NODES);
        return NULL;
    }
    vnode *v = arena_alloc(r->d, 1, sizeof *v);
    if (!v) return NULL;
    v->t.kind = kind;
    v->t.count = count;
    v->t.members = nmembers ? members : NULL;
    v->t.names = names;
    v->t.min_size = 1;
    v->depth = depth;
    v->nodes = (uint32_t)nodes;
    return &v->t;
}

static cm_deftype *new_deftype(reader *r, cm_deftype_kind kind) {
    cm_deftype *t = arena_alloc(r->d, 1, sizeof *t);
    if (t) t->kind = (uint8_t)kind;
    return t;
}

/* "resource-N": the name of a resource nothing named. */
static const char *placeholder_name(decoder *d) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "resource-%u", d->nresources++);
    char *s = arena_alloc(d, (size_t)n + 1, 1);
    if (s) memcpy(s, buf, (size_t)n + 1);
    return s;
}

bool name_local_resources(decoder *d) {
    for (uint32_t i = 0; i < d->local_resources.n; i++) {
        cm_deftype *t = *VEC_AT(d->local_resources, cm_deftype *, i);
        if (!t->name && !(t->name = placeholder_name(d))) return false;
    }
    return true;
}

/* ------------------------------------------------------------------------
 * Value types
 * ------------------------------------------------------------------------ */

/* primvaltype byte -> kind; 0 for bytes that are not primitives. */
static isorun_kind primitive(uint8_t b, bool *is_prim) {
    static const isorun_kind kinds[] = {
        [0x7f - 0x73] = ISORUN_BOOL, [0x7e - 0x73] = ISORUN_S8,  [0x7d - 0x73] = ISORUN_U8,
        [0x7c - 0x73] = ISORUN_S16,  [0x7b - 0x73] = ISORUN_U16, [0x7a - 0x73] = ISORUN_S32,
        [0x79 - 0x73] = ISORUN_U32,  [0x78 - 0x73] = ISORUN_S64, [0x77 - 0x73] = ISORUN_U64,
        [0x76 - 0x73] = ISORUN_F32,  [0x75 - 0x73] = ISORUN_F64, [0x74 - 0x73] = ISORUN_CHAR,
        [0x73 - 0x73] = ISORUN_STRING,
    };
    *is_prim = b >= 0x73 && b <= 0x7f;
    return *is_prim ? kinds[b - 0x73] : ISORUN_I32;
}

#define ERROR_CONTEXT 0x64

/* valtype ::= typeidx (a non-negative s33) | primvaltype */
static bool read_valtype(reader *r, scope *sc, const cm_type **out) {
    uint8_t b;
    bool is_prim;
    if (!peek_byte(r, &b)) return false;
    isorun_kind kind = primitive(b, &is_prim);
    if (is_prim) {
        r->p++;
        *out = cm_type_scalar(kind);
        return true;
    }
    if (b == ERROR_CONTEXT) return fail(r, "the error-context type is not supported");
    const uint8_t *start = r->p;
    int64_t v;
    isr_leb_status st = isr_leb_read_s(&r->p, r->end, 33, &v);
    if (st == ISR_LEB_END) return fail(r, r->end == r->d->base + r->d->len ? "unexpected end" : "unexpected end of section");
    if (st != ISR_LEB_OK || v < 0) {
        r->p = start;
        return fail(r, "malformed value type 0x%02x", b);
    }
    uint32_t index = (uint32_t)v;
    const cm_index_entry *e = space_get(r, sc, CM_SORT_TYPE, index);
    if (!e) return false;
    if (e->type->kind != CM_DEFTYPE_VALUE) {
        r->p = start;
        return fail(r, "type %u is not a value type", index);
    }
    *out = e->type->value;
    return true;
}

/* t?: 0x00 (none) | 0x01 valtype */
static bool read_optional_valtype(reader *r, scope *sc, const cm_type **out) {
    uint8_t b;
    *out = NULL;
    if (!read_byte(r, &b)) return false;
    if (b == 0x01) return read_valtype(r, sc, out);
    if (b == 0x00) return true;
    r->p--;
    return fail(r, "malformed optional type 0x%02x", b);
}

/* A count of fields/cases/flags/parameters: at least min, at most
 * CM_TYPE_MAX_MEMBERS. */
static bool read_members(reader *r, const char *what, uint32_t min, uint32_t *n) {
    if (!read_count(r, n)) return false;
    if (*n < min) return fail(r, "%s needs at least one member", what);
    if (*n > CM_TYPE_MAX_MEMBERS) return fail(r, "%s with more than %d members (decoder limit)", what, CM_TYPE_MAX_MEMBERS);
    return true;
}

/* names[i] = labels[i].s, once the labels are known to be unique. */
static char **label_strings(reader *r, const cm_name *labels, uint32_t n, const char *what) {
    uint32_t mask;
    if (!name_table_build(r, labels, n, sizeof *labels, 0, what, &mask)) return NULL;
    char **names = arena_alloc(r->d, n, sizeof *names);
    if (names)
        for (uint32_t i = 0; i < n; i++) names[i] = (char *)labels[i].s;
    return names;
}

/* record, variant, tuple, flags, enum */
static cm_type *compound(reader *r, scope *sc, size_t at, uint8_t form) {
    typedef struct form_info {
        isorun_kind kind;
        const char *what, *a_what;
        bool labels, types;
    } form_info;
    static const form_info forms[] = {
        [0x72 - 0x6d] = {ISORUN_RECORD, "record", "a record", true, true},
        [0x71 - 0x6d] = {ISORUN_VARIANT, "variant", "a variant", true, true},
        [0x6f - 0x6d] = {ISORUN_TUPLE, "tuple", "a tuple", false, true},
        [0x6e - 0x6d] = {ISORUN_FLAGS, "flags", "a flags type", true, false},
        [0x6d - 0x6d] = {ISORUN_ENUM, "enum", "an enum", true, false},
    };
    const form_info *f = &forms[form - 0x6d];
    uint32_t n;
    if (!read_members(r, f->a_what, 1, &n)) return NULL;
    cm_name *labels = f->labels ? arena_alloc(r->d, n, sizeof *labels) : NULL;
    const cm_type **members = f->types ? arena_alloc(r->d, n, sizeof *members) : NULL;
    if ((f->labels && !labels) || (f->types && !members)) return NULL;
    uint64_t min_size = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (f->labels && !read_label(r, &labels[i])) return NULL;
        if (f->kind == ISORUN_VARIANT) {
            uint8_t refines;
            if (!read_optional_valtype(r, sc, &members[i]) || !read_byte(r, &refines)) return NULL;
            if (refines != 0x00) {
                r->p--;
                fail(r, "malformed variant case (0x%02x after the payload)", refines);
                return NULL;
            }
        } else if (f->types) {
            if (!read_valtype(r, sc, &members[i])) return NULL;
            min_size += members[i]->min_size;
        }
    }
    char **names = f->labels ? label_strings(r, labels, n, f->what) : NULL;
    if (f->labels && !names) return NULL;
    cm_type *t = new_node(r, at, f->kind, n, members, f->types ? n : 0, names);
    if (!t) return NULL;
    if (f->kind == ISORUN_RECORD || f->kind == ISORUN_TUPLE)
        t->min_size = min_size > UINT32_MAX ? UINT32_MAX : (uint32_t)min_size;
    else if (f->kind == ISORUN_FLAGS)
        t->min_size = (n + 7) / 8;
    return t;
}

/* own/borrow of the resource type at index */
static cm_type *handle(reader *r, scope *sc, size_t at, isorun_kind kind) {
    uint32_t index;
    size_t index_at = reader_offset(r);
    if (!read_u32(r, &index)) return NULL;
    const cm_index_entry *e = space_get(r, sc, CM_SORT_TYPE, index);
    if (!e) return NULL;
    if (e->type->kind != CM_DEFTYPE_RESOURCE) {
        fail_at(r->d, index_at, "type %u is not a resource type", index);
        return NULL;
    }
    cm_deftype *resource = (cm_deftype *)e->type;
    /* names[0] is the resource's own name slot, so a name given later (a
     * local resource's export) shows in every handle. */
    cm_type *t = new_node(r, at, kind, 0, NULL, 0, (char **)&resource->name);
    handle_ref *ref = t ? vec_push(r->d, &r->d->handles, sizeof *ref) : NULL;
    if (!ref) return NULL;
    ref->node = (uintptr_t)t;
    ref->resource = resource;
    return t;
}

/* defvaltype (its first byte is next) */
static bool decode_defvaltype(reader *r, scope *sc, const cm_type **out) {
    size_t at = reader_offset(r);
    uint8_t form;
    bool is_prim;
    if (!read_byte(r, &form)) return false;
    isorun_kind kind = primitive(form, &is_prim);
    if (is_prim) {
        *out = cm_type_scalar(kind);
        return true;
    }
    cm_type *t = NULL;
    switch (form) {
    case 0x72:
    case 0x71:
    case 0x6f:
    case 0x6e:
    case 0x6d: t = compound(r, sc, at, form); break;
    case 0x70:
    case 0x6b: {
        const cm_type **member = arena_alloc(r->d, 1, sizeof *member);
        if (member && read_valtype(r, sc, &member[0]))
            t = new_node(r, at, form == 0x70 ? ISORUN_LIST : ISORUN_OPTION, 1, member, 1, NULL);
        break;
    }
    case 0x6a: {
        const cm_type **members = arena_alloc(r->d, 2, sizeof *members);
        if (members && read_optional_valtype(r, sc, &members[0]) && read_optional_valtype(r, sc, &members[1]))
            t = new_node(r, at, ISORUN_RESULT, 2, members, 2, NULL);
        break;
    }
    case 0x69: t = handle(r, sc, at, ISORUN_OWN); break;
    case 0x68: t = handle(r, sc, at, ISORUN_BORROW); break;
    case 0x67: r->p--; return fail(r, "fixed-length lists are not supported");
    case 0x66:
    case 0x65: r->p--; return fail(r, "stream and future types are not supported");
    case ERROR_CONTEXT: r->p--; return fail(r, "the error-context type is not supported");
    default: r->p--; return fail(r, "malformed type 0x%02x", form);
    }
    if (!t) return false;
    *out = t;
    return true;
}

/* ------------------------------------------------------------------------
 * Function, component, instance and resource types
 * ------------------------------------------------------------------------ */

/* labelvaltype* into labels[i], types[i] */
static bool labelled(reader *r, scope *sc, uint32_t n, cm_name *labels, const cm_type **types) {
    for (uint32_t i = 0; i < n; i++)
        if (!read_label(r, &labels[i]) || !read_valtype(r, sc, &types[i])) return false;
    return true;
}

/* functype ::= 0x40 vec(labelvaltype) resultlist; resultlist ::= 0x00
 * valtype | 0x01 vec(labelvaltype) (named results: older encoders; the
 * current one writes 0x01 0x00 for none). */
static bool functype(reader *r, scope *sc, cm_deftype *t) {
    uint32_t nparams, nresults;
    uint8_t form;
    if (!read_members(r, "a parameter list", 0, &nparams)) return false;
    cm_name *params = arena_alloc(r->d, nparams, sizeof *params);
    const cm_type **param_types = arena_alloc(r->d, nparams, sizeof *param_types);
    if (!params || !param_types || !labelled(r, sc, nparams, params, param_types)) return false;
    uint32_t mask;
    if (!name_table_build(r, params, nparams, sizeof *params, 0, "parameter", &mask)) return false;
    if (!read_byte(r, &form)) return false;
    cm_name *results = NULL;
    const cm_type **result_types;
    if (form == 0x00) {
        nresults = 1;
        if (!(result_types = arena_alloc(r->d, 1, sizeof *result_types)) || !read_valtype(r, sc, &result_types[0]))
            return false;
    } else if (form == 0x01) {
        if (!read_members(r, "a result list", 0, &nresults)) return false;
        results = arena_alloc(r->d, nresults, sizeof *results);
        result_types = arena_alloc(r->d, nresults, sizeof *result_types);
        if (!results || !result_types || !labelled(r, sc, nresults, results, result_types)) return false;
        if (!name_table_build(r, results, nresults, sizeof *results, 0, "result", &mask)) return false;
        if (nresults == 0) results = NULL;
    } else {
        r->p--;
        return fail(r, "malformed result list 0x%02x", form);
    }
    const cm_type **all = arena_alloc(r->d, (size_t)nparams + nresults, sizeof *all);
    if (!all) return false;
    if (nparams) memcpy(all, param_types, nparams * sizeof *all);
    if (nresults) memcpy(all + nparams, result_types, nresults * sizeof *all);
    t->func = (cm_functype){nparams, nresults, all, all + nparams};
    t->param_names = params;
    t->result_names = results;
    return true;
}

/* componenttype ::= 0x41 vec(componentdecl); instancetype ::= 0x42
 * vec(instancedecl), each in a scope of its own. */
static bool decls_type(reader *r, scope *outer, bool component, const cm_deftype **out) {
    scope sc;
    uint32_t count;
    if (!scope_init(r, &sc, outer, component ? SCOPE_COMPONENT_TYPE : SCOPE_INSTANCE_TYPE) || !read_count(r, &count))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t kind;
        if (!read_byte(r, &kind)) return false;
        switch (kind) {
        case 0x00: {
            cm_index_entry e = {.def = CM_DEF_CORE_TYPE};
            if (!decode_core_deftype(r, &sc, &e.core_type) || !space_add(r, &sc, CM_SORT_CORE_TYPE, &e)) return false;
            break;
        }
        case 0x01: {
            cm_index_entry e = {.def = CM_DEF_TYPE};
            if (!decode_deftype(r, &sc, &e.type) || !space_add(r, &sc, CM_SORT_TYPE, &e)) return false;
            break;
        }
        case 0x02: {
            cm_alias alias;
            if (!decode_alias(r, &sc, &alias, CM_DEF_ALIAS, 0)) return false;
            break;
        }
        case 0x03:
        case 0x04: {
            if (kind == 0x03 && !component) {
                r->p--;
                return fail(r, "an instance type cannot declare imports");
            }
            cm_extern *x = vec_push(r->d, kind == 0x03 ? &sc.imports : &sc.exports, sizeof *x);
            if (!x || !read_extern_name(r, &x->name, &x->implements, &x->version_suffix) ||
                !decode_externdesc(r, &sc, &x->name, &x->desc))
                return false;
            cm_index_entry e = entry_of_desc(&x->desc, kind == 0x03 ? CM_DEF_IMPORT : CM_DEF_EXPORT,
                                             (kind == 0x03 ? sc.imports.n : sc.exports.n) - 1);
            if (!space_add(r, &sc, (cm_sort)x->desc.sort, &e)) return false;
            break;
        }
        default:
            r->p--;
            return fail(r, "malformed %s type declaration 0x%02x", component ? "component" : "instance", kind);
        }
    }
    *out = make_decls_type(r, component ? CM_DEFTYPE_COMPONENT : CM_DEFTYPE_INSTANCE, sc.imports.data, sc.imports.n,
                           sc.exports.data, sc.exports.n);
    return *out != NULL;
}

/* resourcetype ::= 0x3f 0x7f (0x00 | 0x01 core-funcidx) */
static bool resourcetype(reader *r, scope *sc, cm_deftype *t) {
    uint8_t rep, has_dtor;
    if (sc->kind != SCOPE_COMPONENT)
        return fail(r, "a resource type cannot be defined inside a component or instance type");
    if (!read_byte(r, &rep)) return false;
    if (rep != 0x7f) {
        r->p--;
        return fail(r, "a resource's representation must be i32 (0x7f), not 0x%02x", rep);
    }
    if (!read_byte(r, &has_dtor)) return false;
    if (has_dtor > 0x01) {
        r->p--;
        return fail(r, "malformed resource destructor 0x%02x", has_dtor);
    }
    t->local = true;
    t->has_dtor = has_dtor == 0x01;
    if (t->has_dtor && (!read_u32(r, &t->dtor) || !space_get(r, sc, CM_SORT_CORE_FUNC, t->dtor))) return false;
    cm_deftype **slot = vec_push(r->d, &r->d->local_resources, sizeof *slot);
    if (!slot) return false;
    *slot = t;
    return true;
}

bool decode_deftype(reader *r, scope *sc, const cm_deftype **out) {
    uint8_t form;
    if (!peek_byte(r, &form)) return false;
    switch (form) {
    case 0x43: return fail(r, "async function types are not supported");
    case 0x3e: return fail(r, "async resource types are not supported");
    case 0x41:
    case 0x42: r->p++; return decls_type(r, sc, form == 0x41, out);
    }
    cm_deftype *t;
    switch (form) {
    case 0x40:
        r->p++;
        if (!(t = new_deftype(r, CM_DEFTYPE_FUNC)) || !functype(r, sc, t)) return false;
        break;
    case 0x3f:
        r->p++;
        if (!(t = new_deftype(r, CM_DEFTYPE_RESOURCE)) || !resourcetype(r, sc, t)) return false;
        break;
    default:
        if (!(t = new_deftype(r, CM_DEFTYPE_VALUE)) || !decode_defvaltype(r, sc, &t->value)) return false;
    }
    *out = t;
    return true;
}

/* ------------------------------------------------------------------------
 * Externdescs
 * ------------------------------------------------------------------------ */

/* The type at index in sc, which must be of kind (what names it). */
static const cm_deftype *typed_index(reader *r, scope *sc, cm_deftype_kind kind, const char *what) {
    uint32_t index;
    size_t at = reader_offset(r);
    if (!read_u32(r, &index)) return NULL;
    const cm_index_entry *e = space_get(r, sc, CM_SORT_TYPE, index);
    if (!e) return NULL;
    if (e->type->kind != kind) {
        fail_at(r->d, at, "type %u is not %s", index, what);
        return NULL;
    }
    return e->type;
}

bool decode_externdesc(reader *r, scope *sc, const cm_name *name, cm_externdesc *out) {
    uint8_t kind, b;
    memset(out, 0, sizeof *out);
    if (!read_byte(r, &kind)) return false;
    switch (kind) {
    case 0x00: {
        uint32_t index;
        if (!read_byte(r, &b)) return false;
        if (b != 0x11) {
            r->p--;
            return fail(r, "malformed externdesc (core sort 0x%02x, only core modules)", b);
        }
        size_t at = reader_offset(r);
        if (!read_u32(r, &index)) return false;
        const cm_index_entry *e = space_get(r, sc, CM_SORT_CORE_TYPE, index);
        if (!e) return false;
        if (e->core_type->kind != CM_CORE_MODULETYPE) return fail_at(r->d, at, "core type %u is not a module type", index);
        out->sort = CM_SORT_CORE_MODULE;
        out->module = e->core_type;
        return true;
    }
    case 0x01:
        out->sort = CM_SORT_FUNC;
        return (out->type = typed_index(r, sc, CM_DEFTYPE_FUNC, "a function type")) != NULL;
    case 0x02:
        out->sort = CM_SORT_VALUE;
        if (!read_byte(r, &b)) return false;
        if (b == 0x00) {
            uint32_t index;
            const cm_index_entry *e;
            if (!read_u32(r, &index) || !(e = space_get(r, sc, CM_SORT_VALUE, index))) return false;
            out->value = e->value;
            return true;
        }
        if (b == 0x01) return read_valtype(r, sc, &out->value);
        r->p--;
        return fail(r, "malformed value bound 0x%02x", b);
    case 0x03:
        out->sort = CM_SORT_TYPE;
        if (!read_byte(r, &b)) return false;
        if (b == 0x00) {
            uint32_t index;
            const cm_index_entry *e;
            if (!read_u32(r, &index) || !(e = space_get(r, sc, CM_SORT_TYPE, index))) return false;
            out->type = e->type;
            return true;
        }
        if (b == 0x01) {
            cm_deftype *t = new_deftype(r, CM_DEFTYPE_RESOURCE);
            if (!t) return false;
            t->name = is_label(name->s, name->len) ? name->s : placeholder_name(r->d);
            out->sub_resource = true;
            out->type = t;
            return t->name != NULL;
        }
        r->p--;
        return fail(r, "malformed type bound 0x%02x", b);
    case 0x04:
        out->sort = CM_SORT_COMPONENT;
        return (out->type = typed_index(r, sc, CM_DEFTYPE_COMPONENT, "a component type")) != NULL;
    case 0x05:
        out->sort = CM_SORT_INSTANCE;
        return (out->type = typed_index(r, sc, CM_DEFTYPE_INSTANCE, "an instance type")) != NULL;
    }
    r->p--;
    return fail(r, "malformed externdesc 0x%02x", kind);
}

cm_index_entry entry_of_desc(const cm_externdesc *desc, cm_def_kind def, uint32_t def_index) {
    cm_index_entry e = {.def = (uint8_t)def, .def_index = def_index};
    if (desc->sort == CM_SORT_CORE_MODULE)
        e.core_type = desc->module;
    else if (desc->sort == CM_SORT_VALUE)
        e.value = desc->value;
    else
        e.type = desc->type;
    return e;
}

cm_externdesc desc_of_entry(cm_sort sort, const cm_index_entry *e) {
    cm_externdesc desc = {.sort = (uint8_t)sort};
    if (sort == CM_SORT_CORE_MODULE)
        desc.module = e->core_type;
    else if (sort == CM_SORT_VALUE)
        desc.value = e->value;
    else
        desc.type = e->type;
    return desc;
}

const cm_deftype *make_decls_type(reader *r, cm_deftype_kind kind, const cm_extern *imports, uint32_t nimports,
                                  const cm_extern *exports, uint32_t nexports) {
    cm_deftype *t = new_deftype(r, kind);
    uint32_t mask;
    if (!t || !name_table_build(r, imports, nimports, sizeof *imports, offsetof(cm_extern, name), "import", &mask))
        return NULL;
    t->nimports = nimports;
    t->imports = imports;
    t->nexports = nexports;
    t->exports = exports;
    t->export_table_ = name_table_build(r, exports, nexports, sizeof *exports, offsetof(cm_extern, name), "export",
                                        &t->export_table_mask_);
    return t->export_table_ ? t : NULL;
}
