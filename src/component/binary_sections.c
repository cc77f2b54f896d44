/*
 * binary_sections.c — a component's preamble and sections, in binary
 * order: each definition is recorded (cm_def), its item stored in its
 * kind's array and the index it defines added to its sort's space. Types
 * are read by binary_types.c.
 */
#include "binary_internal.h"

#include <string.h>

/* One component being decoded: its scope and its arrays as they grow. */
typedef struct comp {
    scope sc;
    vec defs;                 /* cm_def */
    vec core_modules;         /* cm_core_module */
    vec core_instances;       /* cm_core_instance */
    vec core_instance_tables; /* core_exports_table, parallel to core_instances */
    vec core_types;           /* const cm_core_deftype * */
    vec components;           /* const cm_component * */
    vec instances;            /* cm_instance */
    vec aliases;              /* cm_alias */
    vec types;                /* const cm_deftype * */
    vec canons;               /* cm_canondef */
    vec starts;               /* cm_start */
    vec imports;              /* cm_extern */
    vec exports;              /* cm_export */
    vec customs;              /* cm_custom */
} comp;

enum {
    SECTION_CUSTOM,
    SECTION_CORE_MODULE,
    SECTION_CORE_INSTANCE,
    SECTION_CORE_TYPE,
    SECTION_COMPONENT,
    SECTION_INSTANCE,
    SECTION_ALIAS,
    SECTION_TYPE,
    SECTION_CANON,
    SECTION_START,
    SECTION_IMPORT,
    SECTION_EXPORT,
    SECTION_VALUE,
};

static bool add_def(reader *r, comp *c, cm_def_kind kind, uint32_t index, size_t offset) {
    cm_def *def = vec_push(r->d, &c->defs, sizeof *def);
    if (!def) return false;
    def->kind = (uint8_t)kind;
    def->index = index;
    def->offset = offset;
    return true;
}

/* Pushes a pointer onto a vec of pointers. */
static bool push_ptr(reader *r, vec *v, const void *p) {
    const void **slot = vec_push(r->d, v, sizeof *slot);
    if (!slot) return false;
    *slot = p;
    return true;
}

/* Sorts a component can export or bundle into an instance. */
static bool exportable(uint8_t sort) { return sort == CM_SORT_CORE_MODULE || sort >= CM_SORT_FUNC; }

/* sortidx; with `what` ("an instance", "a component"), only of sorts that
 * can be exported. */
static bool read_sortidx(reader *r, const scope *sc, const char *what, cm_sortidx *out, const cm_index_entry **entry) {
    size_t at = reader_offset(r);
    if (!read_sort(r, &out->sort)) return false;
    if (what && !exportable(out->sort)) return fail_at(r->d, at, "%s cannot export a %s", what, cm_sort_name(out->sort));
    if (!read_u32(r, &out->index)) return false;
    return (*entry = space_get(r, sc, (cm_sort)out->sort, out->index)) != NULL;
}

/* ------------------------------------------------------------------------
 * Preamble
 * ------------------------------------------------------------------------ */

static bool read_preamble(reader *r) {
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
    size_t avail = (size_t)(r->end - r->p);
    if (memcmp(r->p, magic, avail < 4 ? avail : 4) != 0) return fail(r, "not a WebAssembly binary (bad magic number)");
    if (avail < 8) {
        r->p = r->end;
        return fail(r, "unexpected end (a component starts with an 8-byte preamble)");
    }
    unsigned version = r->p[4] | r->p[5] << 8, layer = r->p[6] | r->p[7] << 8;
    if (layer == 0) return fail(r, "this is a core WebAssembly module (version %u), not a component", version);
    if (layer != 1) return fail(r, "unknown WebAssembly binary layer %u", layer);
    if (version != 0x0d)
        return fail(r, "unsupported component binary version 0x%x (this decoder reads version 0x0d)", version);
    r->p += 8;
    return true;
}

/* ------------------------------------------------------------------------
 * Sections
 * ------------------------------------------------------------------------ */

static bool custom_section(reader *s, comp *c) {
    cm_custom *cu = vec_push(s->d, &c->customs, sizeof *cu);
    if (!cu || !read_name(s, &cu->name)) return false;
    cu->bytes = s->p;
    cu->size = (size_t)(s->end - s->p);
    s->p = s->end;
    return true;
}

static bool core_module_section(reader *s, comp *c, size_t at) {
    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    size_t size = (size_t)(s->end - s->p);
    if (size < 8 || memcmp(s->p, header, 8) != 0)
        return fail(s, "a core module section must hold a core module (\"\\0asm\", version 1)");
    uint32_t index = c->core_modules.n;
    cm_core_module *m = vec_push(s->d, &c->core_modules, sizeof *m);
    if (!m) return false;
    m->bytes = s->p;
    m->size = size;
    m->offset = reader_offset(s);
    s->p = s->end;
    cm_index_entry e = {.def = CM_DEF_CORE_MODULE, .def_index = index};
    return space_add(s, &c->sc, CM_SORT_CORE_MODULE, &e) && add_def(s, c, CM_DEF_CORE_MODULE, index, at);
}

/* core:instance ::= 0x00 module vec(name 0x12 instance) | 0x01 vec(name core:sortidx) */
static bool core_instance(reader *s, comp *c, uint32_t index) {
    uint8_t kind;
    uint32_t count;
    if (!read_byte(s, &kind)) return false;
    if (kind > 0x01) {
        s->p--;
        return fail(s, "malformed core instance 0x%02x", kind);
    }
    cm_core_instance ci = {.instantiate = kind == 0x00};
    core_exports_table table = {0};
    if (ci.instantiate && (!read_u32(s, &ci.module) || !space_get(s, &c->sc, CM_SORT_CORE_MODULE, ci.module)))
        return false;
    if (!read_count(s, &count)) return false;
    ci.count = count;
    if (ci.instantiate) {
        cm_core_instance_arg *args = arena_alloc(s->d, count, sizeof *args);
        if (!args) return false;
        for (uint32_t i = 0; i < count; i++) {
            uint8_t sort;
            if (!read_name(s, &args[i].name) || !read_byte(s, &sort)) return false;
            if (sort != 0x12) {
                s->p--;
                return fail(s, "a core instantiation argument must be a core instance (sort 0x%02x)", sort);
            }
            if (!read_u32(s, &args[i].instance) || !space_get(s, &c->sc, CM_SORT_CORE_INSTANCE, args[i].instance))
                return false;
        }
        uint32_t mask;
        if (!name_table_build(s, args, count, sizeof *args, offsetof(cm_core_instance_arg, name),
                              "instantiation argument", &mask))
            return false;
        ci.args = args;
    } else {
        cm_core_inline_export *exports = arena_alloc(s->d, count, sizeof *exports);
        if (!exports) return false;
        for (uint32_t i = 0; i < count; i++) {
            if (!read_name(s, &exports[i].name) || !read_core_sort(s, &exports[i].item.sort)) return false;
            if (exports[i].item.sort > CM_SORT_CORE_GLOBAL)
                return fail(s, "a core instance cannot export a %s", cm_sort_name(exports[i].item.sort));
            if (!read_u32(s, &exports[i].item.index) ||
                !space_get(s, &c->sc, (cm_sort)exports[i].item.sort, exports[i].item.index))
                return false;
        }
        table.table = name_table_build(s, exports, count, sizeof *exports, offsetof(cm_core_inline_export, name),
                                       "export", &table.mask);
        if (!table.table) return false;
        ci.exports = exports;
    }
    cm_core_instance *slot = vec_push(s->d, &c->core_instances, sizeof *slot);
    core_exports_table *tslot = slot ? vec_push(s->d, &c->core_instance_tables, sizeof *tslot) : NULL;
    if (!tslot) return false;
    *slot = ci;
    *tslot = table;
    cm_index_entry e = {.def = CM_DEF_CORE_INSTANCE, .def_index = index};
    return space_add(s, &c->sc, CM_SORT_CORE_INSTANCE, &e);
}

/* instance ::= 0x00 component vec(name sortidx) | 0x01 vec(exportname' sortidx) */
static bool instance(reader *s, comp *c, uint32_t index) {
    uint8_t kind;
    uint32_t count;
    if (!read_byte(s, &kind)) return false;
    if (kind > 0x01) {
        s->p--;
        return fail(s, "malformed instance 0x%02x", kind);
    }
    cm_instance inst = {.instantiate = kind == 0x00};
    const cm_index_entry *component = NULL;
    if (inst.instantiate &&
        (!read_u32(s, &inst.component) || !(component = space_get(s, &c->sc, CM_SORT_COMPONENT, inst.component))))
        return false;
    if (!read_count(s, &count)) return false;
    inst.count = count;
    cm_instance_arg *args = arena_alloc(s->d, count, sizeof *args);
    if (!args) return false;
    inst.args = args;
    if (inst.instantiate) {
        for (uint32_t i = 0; i < count; i++) {
            const cm_index_entry *e;
            if (!read_name(s, &args[i].name) || !read_sortidx(s, &c->sc, NULL, &args[i].item, &e)) return false;
        }
        uint32_t mask;
        if (!name_table_build(s, args, count, sizeof *args, offsetof(cm_instance_arg, name), "instantiation argument",
                              &mask))
            return false;
        /* The instance's type: the component type's exports. */
        cm_deftype *t = arena_alloc(s->d, 1, sizeof *t);
        if (!t) return false;
        const cm_deftype *ct = component->type;
        t->kind = CM_DEFTYPE_INSTANCE;
        t->nexports = ct->nexports;
        t->exports = ct->exports;
        t->export_table_ = ct->export_table_;
        t->export_table_mask_ = ct->export_table_mask_;
        inst.type = t;
    } else {
        cm_extern *exports = arena_alloc(s->d, count, sizeof *exports);
        if (!exports) return false;
        for (uint32_t i = 0; i < count; i++) {
            const cm_index_entry *e;
            if (!read_extern_name(s, &args[i].name, &exports[i].implements, &exports[i].version_suffix) ||
                !read_sortidx(s, &c->sc, "an instance", &args[i].item, &e))
                return false;
            exports[i].name = args[i].name;
            exports[i].desc = desc_of_entry((cm_sort)args[i].item.sort, e);
        }
        if (!(inst.type = make_decls_type(s, CM_DEFTYPE_INSTANCE, NULL, 0, exports, count))) return false;
    }
    cm_instance *slot = vec_push(s->d, &c->instances, sizeof *slot);
    if (!slot) return false;
    *slot = inst;
    cm_index_entry e = {.def = CM_DEF_INSTANCE, .def_index = index, .type = inst.type};
    return space_add(s, &c->sc, CM_SORT_INSTANCE, &e);
}

/* The options of canon lift/lower (vec(canonopt)). */
static bool canon_options(reader *s, comp *c, cm_canondef *cd) {
    uint32_t count;
    bool has_encoding = false;
    if (!read_count(s, &count)) return false;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t opt;
        if (!read_byte(s, &opt)) return false;
        switch (opt) {
        case 0x00:
        case 0x01:
        case 0x02:
            if (has_encoding) {
                s->p--;
                return fail(s, "conflicting string-encoding options");
            }
            has_encoding = true;
            cd->string_encoding = opt == 0x00 ? CM_STRING_UTF8 : opt == 0x01 ? CM_STRING_UTF16 : CM_STRING_LATIN1_UTF16;
            break;
        case 0x03:
            if (cd->has_memory) {
                s->p--;
                return fail(s, "duplicate memory option");
            }
            cd->has_memory = true;
            if (!read_u32(s, &cd->memory) || !space_get(s, &c->sc, CM_SORT_CORE_MEMORY, cd->memory)) return false;
            break;
        case 0x04:
        case 0x05: {
            bool *has = opt == 0x04 ? &cd->has_realloc : &cd->has_post_return;
            uint32_t *func = opt == 0x04 ? &cd->realloc : &cd->post_return;
            if (*has) {
                s->p--;
                return fail(s, "duplicate %s option", opt == 0x04 ? "realloc" : "post-return");
            }
            *has = true;
            if (!read_u32(s, func) || !space_get(s, &c->sc, CM_SORT_CORE_FUNC, *func)) return false;
            break;
        }
        case 0x06:
        case 0x07:
        case 0x08:
            s->p--;
            return fail(s, "the async canonical options (async, callback, core type) are not supported");
        default:
            s->p--;
            return fail(s, "malformed canonical option 0x%02x", opt);
        }
    }
    return true;
}

/* canon ::= 0x00 0x00 core-func opts type (lift) | 0x01 0x00 func opts (lower)
 *         | 0x02/0x03/0x04 type (resource.new/drop/rep) | async/threads... */
static bool canon(reader *s, comp *c, uint32_t index) {
    uint8_t kind, sort_byte;
    size_t at = reader_offset(s);
    if (!read_byte(s, &kind)) return false;
    cm_canondef cd = {.string_encoding = CM_STRING_UTF8};
    cm_index_entry made = {.def = CM_DEF_CANON, .def_index = index};
    cm_sort made_sort = CM_SORT_CORE_FUNC;
    switch (kind) {
    case 0x00:
    case 0x01: {
        if (!read_byte(s, &sort_byte)) return false;
        if (sort_byte != 0x00) {
            s->p--;
            return fail(s, "malformed canon %s (sort byte 0x%02x, expected a function)", kind ? "lower" : "lift",
                        sort_byte);
        }
        cd.kind = kind == 0x00 ? CM_CANONDEF_LIFT : CM_CANONDEF_LOWER;
        if (!read_u32(s, &cd.func)) return false;
        const cm_index_entry *f = space_get(s, &c->sc, kind == 0x00 ? CM_SORT_CORE_FUNC : CM_SORT_FUNC, cd.func);
        if (!f || !canon_options(s, c, &cd)) return false;
        if (kind == 0x00) {
            size_t type_at = reader_offset(s);
            if (!read_u32(s, &cd.type_index)) return false;
            const cm_index_entry *t = space_get(s, &c->sc, CM_SORT_TYPE, cd.type_index);
            if (!t) return false;
            if (t->type->kind != CM_DEFTYPE_FUNC)
                return fail_at(s->d, type_at, "type %u is not a function type", cd.type_index);
            cd.type = t->type;
            made.type = t->type;
            made_sort = CM_SORT_FUNC;
        } else {
            if (cd.has_post_return) return fail_at(s->d, at, "canon lower cannot have a post-return option");
            cd.type = f->type;
        }
        break;
    }
    case 0x02:
    case 0x03:
    case 0x04: {
        cd.kind = kind == 0x02 ? CM_CANONDEF_RESOURCE_NEW : kind == 0x03 ? CM_CANONDEF_RESOURCE_DROP
                                                                         : CM_CANONDEF_RESOURCE_REP;
        size_t type_at = reader_offset(s);
        if (!read_u32(s, &cd.type_index)) return false;
        const cm_index_entry *t = space_get(s, &c->sc, CM_SORT_TYPE, cd.type_index);
        if (!t) return false;
        if (t->type->kind != CM_DEFTYPE_RESOURCE)
            return fail_at(s->d, type_at, "type %u is not a resource type", cd.type_index);
        if (kind != 0x03 && !t->type->local)
            return fail_at(s->d, type_at, "resource.%s needs a resource type defined by this component",
                           kind == 0x02 ? "new" : "rep");
        cd.type = t->type;
        break;
    }
    default:
        s->p--;
        if (kind <= 0x25 || (kind >= 0x40 && kind <= 0x42))
            return fail(s, "canonical built-in 0x%02x (async, threads or error-context) is not supported", kind);
        return fail(s, "malformed canonical definition 0x%02x", kind);
    }
    cm_canondef *slot = vec_push(s->d, &c->canons, sizeof *slot);
    if (!slot) return false;
    *slot = cd;
    return space_add(s, &c->sc, made_sort, &made);
}

/* start ::= func vec(value) results */
static bool start_section(reader *s, comp *c, size_t at) {
    uint32_t index = c->starts.n;
    cm_start st = {0};
    uint32_t count;
    if (!read_u32(s, &st.func)) return false;
    const cm_index_entry *f = space_get(s, &c->sc, CM_SORT_FUNC, st.func);
    if (!f || !read_count(s, &count)) return false;
    uint32_t *args = arena_alloc(s->d, count, sizeof *args);
    if (!args) return false;
    for (uint32_t i = 0; i < count; i++)
        if (!read_u32(s, &args[i]) || !space_get(s, &c->sc, CM_SORT_VALUE, args[i])) return false;
    st.nargs = count;
    st.args = args;
    size_t results_at = reader_offset(s);
    if (!read_u32(s, &st.nresults)) return false;
    const cm_functype *ft = &f->type->func;
    if (st.nargs != ft->nparams)
        return fail_at(s->d, results_at, "start function %u takes %u arguments, not %u", st.func, ft->nparams, count);
    if (st.nresults != ft->nresults)
        return fail_at(s->d, results_at, "start function %u has %u results, not %u", st.func, ft->nresults,
                       st.nresults);
    cm_start *slot = vec_push(s->d, &c->starts, sizeof *slot);
    if (!slot) return false;
    *slot = st;
    for (uint32_t i = 0; i < st.nresults; i++) {
        cm_index_entry e = {.def = CM_DEF_START, .def_index = index, .result = i, .value = ft->results[i]};
        if (!space_add(s, &c->sc, CM_SORT_VALUE, &e)) return false;
    }
    return add_def(s, c, CM_DEF_START, index, at);
}

static bool import(reader *s, comp *c, uint32_t index) {
    cm_extern *x = vec_push(s->d, &c->imports, sizeof *x);
    if (!x || !read_extern_name(s, &x->name, &x->implements, &x->version_suffix) ||
        !decode_externdesc(s, &c->sc, &x->name, &x->desc))
        return false;
    cm_index_entry e = entry_of_desc(&x->desc, CM_DEF_IMPORT, index);
    return space_add(s, &c->sc, (cm_sort)x->desc.sort, &e);
}

/* export ::= exportname' sortidx externdesc? */
static bool export(reader *s, comp *c, uint32_t index) {
    cm_export x = {0};
    const cm_index_entry *item;
    uint8_t has_desc;
    if (!read_extern_name(s, &x.name, &x.implements, &x.version_suffix) ||
        !read_sortidx(s, &c->sc, "a component", &x.item, &item))
        return false;
    /* A local resource takes the name it is first exported under. */
    if (x.item.sort == CM_SORT_TYPE && item->type->kind == CM_DEFTYPE_RESOURCE && item->type->local &&
        !item->type->name && is_label(x.name.s, x.name.len))
        ((cm_deftype *)item->type)->name = x.name.s;
    x.desc = desc_of_entry((cm_sort)x.item.sort, item);
    size_t desc_at = reader_offset(s);
    if (!read_byte(s, &has_desc)) return false;
    if (has_desc > 0x01) {
        s->p--;
        return fail(s, "malformed export type ascription 0x%02x", has_desc);
    }
    if (has_desc) {
        cm_externdesc ascribed;
        if (!decode_externdesc(s, &c->sc, &x.name, &ascribed)) return false;
        if (ascribed.sort != x.item.sort)
            return fail_at(s->d, desc_at, "export \"%.64s\" is a %s but its type ascription a %s", x.name.s,
                           cm_sort_name(x.item.sort), cm_sort_name(ascribed.sort));
        if (ascribed.sub_resource) {
            if (item->type->kind != CM_DEFTYPE_RESOURCE)
                return fail_at(s->d, desc_at, "export \"%.64s\" ascribes (sub resource) to a type that is not a resource",
                               x.name.s);
            ascribed.type = item->type; /* the same resource, not a fresh one */
        }
        x.has_ascription = true;
        x.desc = ascribed;
    }
    cm_export *slot = vec_push(s->d, &c->exports, sizeof *slot);
    if (!slot) return false;
    *slot = x;
    cm_index_entry e = entry_of_desc(&x.desc, CM_DEF_EXPORT, index);
    return space_add(s, &c->sc, (cm_sort)x.item.sort, &e);
}

static bool nested_component(reader *s, comp *c, size_t at) {
    uint32_t index = c->components.n;
    cm_component *child;
    size_t offset = reader_offset(s), size = (size_t)(s->end - s->p);
    if (!decode_component_binary(s->d, &c->sc, offset, size, &child)) return false;
    s->p = s->end;
    cm_index_entry e = {.def = CM_DEF_COMPONENT, .def_index = index, .type = child->type};
    return push_ptr(s, &c->components, child) && space_add(s, &c->sc, CM_SORT_COMPONENT, &e) &&
           add_def(s, c, CM_DEF_COMPONENT, index, at);
}

/* A section holding vec(item): each item is one definition. */
static bool vector_section(reader *s, comp *c, uint8_t id) {
    uint32_t count;
    if (!read_count(s, &count)) return false;
    for (uint32_t i = 0; i < count; i++) {
        size_t at = reader_offset(s);
        bool ok;
        cm_def_kind kind;
        uint32_t index;
        switch (id) {
        case SECTION_CORE_INSTANCE:
            kind = CM_DEF_CORE_INSTANCE;
            index = c->core_instances.n;
            ok = core_instance(s, c, index);
            break;
        case SECTION_CORE_TYPE: {
            const cm_core_deftype *t;
            kind = CM_DEF_CORE_TYPE;
            index = c->core_types.n;
            cm_index_entry e = {.def = CM_DEF_CORE_TYPE, .def_index = index};
            ok = decode_core_deftype(s, &c->sc, &t) && push_ptr(s, &c->core_types, t) &&
                 (e.core_type = t, space_add(s, &c->sc, CM_SORT_CORE_TYPE, &e));
            break;
        }
        case SECTION_INSTANCE:
            kind = CM_DEF_INSTANCE;
            index = c->instances.n;
            ok = instance(s, c, index);
            break;
        case SECTION_ALIAS: {
            kind = CM_DEF_ALIAS;
            index = c->aliases.n;
            cm_alias *a = vec_push(s->d, &c->aliases, sizeof *a);
            ok = a && decode_alias(s, &c->sc, a, CM_DEF_ALIAS, index);
            break;
        }
        case SECTION_TYPE: {
            const cm_deftype *t;
            kind = CM_DEF_TYPE;
            index = c->types.n;
            cm_index_entry e = {.def = CM_DEF_TYPE, .def_index = index};
            ok = decode_deftype(s, &c->sc, &t) && push_ptr(s, &c->types, t) &&
                 (e.type = t, space_add(s, &c->sc, CM_SORT_TYPE, &e));
            break;
        }
        case SECTION_CANON:
            kind = CM_DEF_CANON;
            index = c->canons.n;
            ok = canon(s, c, index);
            break;
        case SECTION_IMPORT:
            kind = CM_DEF_IMPORT;
            index = c->imports.n;
            ok = import(s, c, index);
            break;
        default: /* SECTION_EXPORT */
            kind = CM_DEF_EXPORT;
            index = c->exports.n;
            ok = export(s, c, index);
            break;
        }
        if (!ok || !add_def(s, c, kind, index, at)) return false;
    }
    return true;
}

static bool section(reader *s, comp *c, uint8_t id, size_t at) {
    switch (id) {
    case SECTION_CUSTOM: return custom_section(s, c);
    case SECTION_CORE_MODULE: return core_module_section(s, c, at);
    case SECTION_COMPONENT: return nested_component(s, c, at);
    case SECTION_START: return start_section(s, c, at);
    case SECTION_VALUE: return fail_at(s->d, at, "the value section is not supported");
    case SECTION_CORE_INSTANCE:
    case SECTION_CORE_TYPE:
    case SECTION_INSTANCE:
    case SECTION_ALIAS:
    case SECTION_TYPE:
    case SECTION_CANON:
    case SECTION_IMPORT:
    case SECTION_EXPORT: return vector_section(s, c, id);
    default: return fail_at(s->d, at, "malformed section id %u", id);
    }
}

/* ------------------------------------------------------------------------
 * A whole component
 * ------------------------------------------------------------------------ */

/* The component's type and the cm_component itself, from the arrays. */
static bool finish(reader *r, comp *c, size_t offset, size_t size, cm_component **out) {
    decoder *d = r->d;
    cm_extern *exports = arena_alloc(d, c->exports.n, sizeof *exports);
    if (!exports) return false;
    for (uint32_t i = 0; i < c->exports.n; i++) {
        const cm_export *x = VEC_AT(c->exports, cm_export, i);
        exports[i] = (cm_extern){x->name, x->implements, x->version_suffix, x->desc};
    }
    const cm_deftype *type =
        make_decls_type(r, CM_DEFTYPE_COMPONENT, c->imports.data, c->imports.n, exports, c->exports.n);
    cm_component *comp = type ? arena_alloc(d, 1, sizeof *comp) : NULL;
    if (!comp) return false;
    comp->bytes = d->base + offset;
    comp->size = size;
    comp->offset = offset;
    comp->type = type;
#define TAKE(field, v, type_)                                                                                     \
    do {                                                                                                          \
        comp->n##field = (v).n;                                                                                   \
        comp->field = (type_)(v).data;                                                                            \
    } while (0)
    TAKE(defs, c->defs, const cm_def *);
    TAKE(core_modules, c->core_modules, const cm_core_module *);
    TAKE(core_instances, c->core_instances, const cm_core_instance *);
    TAKE(core_types, c->core_types, const cm_core_deftype *const *);
    TAKE(components, c->components, const cm_component *const *);
    TAKE(instances, c->instances, const cm_instance *);
    TAKE(aliases, c->aliases, const cm_alias *);
    TAKE(types, c->types, const cm_deftype *const *);
    TAKE(canons, c->canons, const cm_canondef *);
    TAKE(starts, c->starts, const cm_start *);
    TAKE(imports, c->imports, const cm_extern *);
    TAKE(exports, c->exports, const cm_export *);
    TAKE(customs, c->customs, const cm_custom *);
#undef TAKE
    for (int s = 0; s < CM_SORT_COUNT_; s++) {
        comp->nspace[s] = c->sc.space[s].n;
        comp->space[s] = c->sc.space[s].data;
    }
    /* Now that the core instances stay put, entries can point at them. */
    for (uint32_t i = 0; i < c->sc.space[CM_SORT_CORE_INSTANCE].n; i++) {
        cm_index_entry *e = VEC_AT(c->sc.space[CM_SORT_CORE_INSTANCE], cm_index_entry, i);
        if (e->def == CM_DEF_CORE_INSTANCE) e->core_instance = VEC_AT(c->core_instances, cm_core_instance, e->def_index);
    }
    *out = comp;
    return true;
}

bool decode_component_binary(decoder *d, scope *outer, size_t offset, size_t size, cm_component **out) {
    reader r = {d, d->base + offset, d->base + offset + size};
    comp c;
    memset(&c, 0, sizeof c);
    if (!scope_init(&r, &c.sc, outer, SCOPE_COMPONENT)) return false;
    c.sc.core_instances = &c.core_instances;
    c.sc.core_instance_tables = &c.core_instance_tables;
    if (!read_preamble(&r)) return false;
    while (r.p < r.end) {
        size_t at = reader_offset(&r);
        uint8_t id;
        uint32_t len;
        if (!read_byte(&r, &id) || !read_u32(&r, &len)) return false;
        if (len > (size_t)(r.end - r.p))
            return fail(&r, "section size %u runs past the end (%zu bytes left)", len, (size_t)(r.end - r.p));
        reader s = {d, r.p, r.p + len};
        r.p += len;
        if (!section(&s, &c, id, at)) return false;
        if (s.p != s.end) return fail(&s, "section size mismatch: %zu bytes left over", (size_t)(s.end - s.p));
    }
    return finish(&r, &c, offset, size, out);
}
