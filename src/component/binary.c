/*
 * binary.c — the component binary decoder's frame: its memory, the bounded
 * reader, names, index spaces and aliases, and the public accessors. The
 * sections themselves are read in binary_sections.c, types in
 * binary_types.c and binary_core_types.c. (component.h, "Component
 * binaries", has the contract.)
 */
#include "binary_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cm_name cm_empty_name = {"", 0};

static const char *const sort_names[CM_SORT_COUNT_] = {
    [CM_SORT_CORE_FUNC] = "core func",         [CM_SORT_CORE_TABLE] = "core table",
    [CM_SORT_CORE_MEMORY] = "core memory",     [CM_SORT_CORE_GLOBAL] = "core global",
    [CM_SORT_CORE_TYPE] = "core type",         [CM_SORT_CORE_MODULE] = "core module",
    [CM_SORT_CORE_INSTANCE] = "core instance", [CM_SORT_FUNC] = "func",
    [CM_SORT_VALUE] = "value",                 [CM_SORT_TYPE] = "type",
    [CM_SORT_COMPONENT] = "component",         [CM_SORT_INSTANCE] = "instance",
};

const char *cm_sort_name(cm_sort sort) { return (unsigned)sort < CM_SORT_COUNT_ ? sort_names[sort] : "?"; }

/* ------------------------------------------------------------------------
 * Failing
 * ------------------------------------------------------------------------ */

static bool fail_v(decoder *d, size_t offset, const char *fmt, va_list ap) {
    if (d->err) return false;
    char what[512];
    vsnprintf(what, sizeof what, fmt, ap);
    d->err = isr_error(ISORUN_ERR_MALFORMED, "at offset 0x%zx: %s", offset, what);
    return false;
}

bool fail(reader *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fail_v(r->d, reader_offset(r), fmt, ap);
    va_end(ap);
    return false;
}

bool fail_at(decoder *d, size_t offset, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fail_v(d, offset, fmt, ap);
    va_end(ap);
    return false;
}

bool fail_nomem(decoder *d) {
    if (!d->err) d->err = isr_error_nomem();
    return false;
}

/* ------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------ */

/* What malloc spends beyond the bytes asked for, counted against the budget
 * so that many tiny blocks cannot slip under it. */
#define BLOCK_OVERHEAD 32

static bool charge(decoder *d, size_t bytes) {
    struct cm_binary_arena *a = d->arena;
    if (bytes > a->budget || a->bytes > a->budget - bytes)
        return fail_at(d, 0, "the component needs more memory than its size justifies (decoder limit)");
    a->bytes += bytes;
    return true;
}

static bool register_block(decoder *d, void *block, size_t *slot) {
    struct cm_binary_arena *a = d->arena;
    if (!isr_grow_array((void **)&a->blocks, &a->cap, a->nblocks + 1, sizeof *a->blocks)) return fail_nomem(d);
    a->blocks[a->nblocks++] = block;
    if (slot) *slot = a->nblocks;
    return true;
}

void *arena_alloc(decoder *d, size_t n, size_t size) {
    size_t bytes;
    if (!isr_mul_size(n, size, &bytes) || bytes > SIZE_MAX - BLOCK_OVERHEAD) {
        fail_at(d, 0, "allocation too large");
        return NULL;
    }
    if (!charge(d, bytes + BLOCK_OVERHEAD)) return NULL;
    void *block = calloc(1, bytes ? bytes : 1);
    if (!block) {
        fail_nomem(d);
        return NULL;
    }
    if (!register_block(d, block, NULL)) {
        free(block);
        return NULL;
    }
    return block;
}

void *vec_push(decoder *d, vec *v, size_t elem) {
    if (v->n == UINT32_MAX) {
        fail_at(d, 0, "too many items (decoder limit)");
        return NULL;
    }
    if (v->n == v->cap) {
        size_t old_cap = v->cap, new_cap = old_cap ? old_cap * 2 : 4, bytes;
        if (!isr_mul_size(new_cap, elem, &bytes) || !charge(d, (new_cap - old_cap) * elem + BLOCK_OVERHEAD)) {
            if (!d->err) fail_at(d, 0, "allocation too large");
            return NULL;
        }
        void *grown = realloc(v->data, bytes);
        if (!grown) {
            fail_nomem(d);
            return NULL;
        }
        if (v->slot) {
            d->arena->blocks[v->slot - 1] = grown;
        } else if (!register_block(d, grown, &v->slot)) {
            free(grown);
            return NULL;
        }
        v->data = grown;
        v->cap = new_cap;
    }
    void *e = (uint8_t *)v->data + (size_t)v->n * elem;
    memset(e, 0, elem);
    v->n++;
    return e;
}

static void arena_free(struct cm_binary_arena *a) {
    if (!a) return;
    for (size_t i = 0; i < a->nblocks; i++) free(a->blocks[i]);
    free(a->blocks);
    free(a->handles);
    free(a);
}

/* ------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------ */

static bool unexpected_end(reader *r) {
    return fail(r, r->end == r->d->base + r->d->len ? "unexpected end" : "unexpected end of section");
}

bool read_byte(reader *r, uint8_t *out) {
    *out = 0;
    if (r->p >= r->end) return unexpected_end(r);
    *out = *r->p++;
    return true;
}

bool peek_byte(reader *r, uint8_t *out) {
    *out = 0;
    if (r->p >= r->end) return unexpected_end(r);
    *out = *r->p;
    return true;
}

bool read_u32(reader *r, uint32_t *out) {
    const uint8_t *start = r->p;
    uint64_t v;
    *out = 0;
    isr_leb_status st = isr_leb_read_u(&r->p, r->end, 32, &v);
    if (st == ISR_LEB_OK) {
        *out = (uint32_t)v;
        return true;
    }
    if (st == ISR_LEB_END) return unexpected_end(r);
    r->p = start;
    return fail(r, st == ISR_LEB_TOO_LONG ? "integer representation too long" : "integer too large");
}

bool read_count(reader *r, uint32_t *out) {
    if (!read_u32(r, out)) return false;
    if (*out > (size_t)(r->end - r->p))
        return fail(r, "count %u is larger than the %zu bytes left", *out, (size_t)(r->end - r->p));
    return true;
}

bool read_name(reader *r, cm_name *out) {
    uint32_t len;
    if (!read_count(r, &len)) return false;
    const uint8_t *s = r->p;
    if (!isr_utf8_valid(s, len)) return fail(r, "malformed UTF-8 encoding");
    char *copy = arena_alloc(r->d, (size_t)len + 1, 1);
    if (!copy) return false;
    memcpy(copy, s, len);
    r->p += len;
    out->s = copy;
    out->len = len;
    return true;
}

/* label ::= fragment ('-' fragment)*, fragment ::= [a-z][0-9a-z]* |
 * [A-Z][0-9A-Z]* (the component model's kebab-case). */
bool is_label(const char *s, size_t len) {
    size_t i = 0;
    if (len == 0) return false;
    for (;;) {
        char c = s[i];
        bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
        if (!lower && !upper) return false;
        for (i++; i < len && s[i] != '-'; i++) {
            c = s[i];
            bool digit = c >= '0' && c <= '9';
            if (!(digit || (lower ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')))) return false;
        }
        if (i == len) return true;
        i++; /* the '-' */
        if (i == len) return false;
    }
}

bool read_label(reader *r, cm_name *out) {
    size_t at = reader_offset(r);
    if (!read_name(r, out)) return false;
    if (out->len > CM_TYPE_MAX_NAME) return fail_at(r->d, at, "label longer than %d bytes", CM_TYPE_MAX_NAME);
    if (!is_label(out->s, out->len)) return fail_at(r->d, at, "malformed label \"%.64s\"", out->s);
    return true;
}

bool read_extern_name(reader *r, cm_name *name, cm_name *implements, cm_name *version_suffix) {
    uint8_t form;
    *implements = *version_suffix = cm_empty_name;
    if (!read_byte(r, &form)) return false;
    /* 0x01 was once the "interface name" form; its string is the same. */
    if (form > 0x02) {
        r->p--;
        return fail(r, "malformed import or export name (form 0x%02x)", form);
    }
    if (!read_name(r, name)) return false;
    if (name->len == 0) return fail(r, "empty import or export name");
    if (form != 0x02) return true;
    uint32_t nopts;
    if (!read_count(r, &nopts)) return false;
    for (uint32_t i = 0; i < nopts; i++) {
        uint8_t opt;
        if (!read_byte(r, &opt)) return false;
        cm_name *slot = opt == 0x00 ? implements : opt == 0x01 ? version_suffix : NULL;
        if (!slot) {
            r->p--;
            return fail(r, "malformed name option 0x%02x", opt);
        }
        if (slot->len) {
            r->p--;
            return fail(r, "duplicate %s name option", opt == 0x00 ? "implements" : "versionsuffix");
        }
        if (!read_name(r, slot)) return false;
        if (slot->len == 0) return fail(r, "empty name option");
    }
    return true;
}

bool read_core_sort(reader *r, uint8_t *sort) {
    uint8_t b;
    if (!read_byte(r, &b)) return false;
    switch (b) {
    case 0x00: *sort = CM_SORT_CORE_FUNC; return true;
    case 0x01: *sort = CM_SORT_CORE_TABLE; return true;
    case 0x02: *sort = CM_SORT_CORE_MEMORY; return true;
    case 0x03: *sort = CM_SORT_CORE_GLOBAL; return true;
    case 0x10: *sort = CM_SORT_CORE_TYPE; return true;
    case 0x11: *sort = CM_SORT_CORE_MODULE; return true;
    case 0x12: *sort = CM_SORT_CORE_INSTANCE; return true;
    }
    r->p--;
    if (b == 0x04) return fail(r, "core tags (exception handling) are not supported");
    return fail(r, "malformed core sort 0x%02x", b);
}

bool read_sort(reader *r, uint8_t *sort) {
    uint8_t b;
    if (!read_byte(r, &b)) return false;
    switch (b) {
    case 0x00: return read_core_sort(r, sort);
    case 0x01: *sort = CM_SORT_FUNC; return true;
    case 0x02: *sort = CM_SORT_VALUE; return true;
    case 0x03: *sort = CM_SORT_TYPE; return true;
    case 0x04: *sort = CM_SORT_COMPONENT; return true;
    case 0x05: *sort = CM_SORT_INSTANCE; return true;
    }
    r->p--;
    return fail(r, "malformed sort 0x%02x", b);
}

/* ------------------------------------------------------------------------
 * Name tables: open addressing over item indices (+1; 0 = empty slot)
 * ------------------------------------------------------------------------ */

static uint32_t hash_name(const char *s, size_t len) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static const cm_name *item_name(const void *items, uint32_t i, size_t stride, size_t name_off) {
    return (const cm_name *)((const uint8_t *)items + (size_t)i * stride + name_off);
}

static bool name_is(const cm_name *n, const char *s, size_t len) { return n->len == len && memcmp(n->s, s, len) == 0; }

static uint32_t name_table_find(const uint32_t *table, uint32_t mask, const void *items, size_t stride,
                                size_t name_off, const char *s, size_t len) {
    if (!table) return UINT32_MAX;
    for (uint32_t h = hash_name(s, len) & mask;; h = (h + 1) & mask) {
        uint32_t slot = table[h];
        if (slot == 0) return UINT32_MAX;
        if (name_is(item_name(items, slot - 1, stride, name_off), s, len)) return slot - 1;
    }
}

uint32_t *name_table_build(reader *r, const void *items, uint32_t n, size_t stride, size_t name_off,
                           const char *what, uint32_t *mask) {
    uint32_t size = 4;
    while (size < 2 * (uint64_t)n) size *= 2;
    uint32_t *table = arena_alloc(r->d, size, sizeof *table);
    if (!table) return NULL;
    *mask = size - 1;
    for (uint32_t i = 0; i < n; i++) {
        const cm_name *name = item_name(items, i, stride, name_off);
        uint32_t h = hash_name(name->s, name->len) & *mask;
        for (; table[h]; h = (h + 1) & *mask) {
            if (name_is(item_name(items, table[h] - 1, stride, name_off), name->s, name->len)) {
                fail(r, "duplicate %s name \"%.64s\"", what, name->s);
                return NULL;
            }
        }
        table[h] = i + 1;
    }
    return table;
}

const cm_extern *cm_deftype_export(const cm_deftype *t, const char *name, size_t len) {
    if (!t || (t->kind != CM_DEFTYPE_COMPONENT && t->kind != CM_DEFTYPE_INSTANCE)) return NULL;
    uint32_t i = name_table_find(t->export_table_, t->export_table_mask_, t->exports, sizeof *t->exports,
                                 offsetof(cm_extern, name), name, len);
    return i == UINT32_MAX ? NULL : &t->exports[i];
}

const cm_extern *cm_deftype_import(const cm_deftype *t, const char *name, size_t len) {
    if (!t || t->kind != CM_DEFTYPE_COMPONENT) return NULL;
    for (uint32_t i = 0; i < t->nimports; i++)
        if (name_is(&t->imports[i].name, name, len)) return &t->imports[i];
    return NULL;
}

/* ------------------------------------------------------------------------
 * Index spaces, scopes and aliases
 * ------------------------------------------------------------------------ */

const cm_index_entry *space_get(reader *r, const scope *sc, cm_sort sort, uint32_t i) {
    if (i >= sc->space[sort].n) {
        fail(r, "unknown %s %u", cm_sort_name(sort), i);
        return NULL;
    }
    return VEC_AT(sc->space[sort], cm_index_entry, i);
}

bool space_add(reader *r, scope *sc, cm_sort sort, const cm_index_entry *e) {
    cm_index_entry *slot = vec_push(r->d, &sc->space[sort], sizeof *slot);
    if (!slot) return false;
    *slot = *e;
    return true;
}

bool scope_init(reader *r, scope *sc, scope *outer, scope_kind kind) {
    memset(sc, 0, sizeof *sc);
    sc->outer = outer;
    sc->kind = (uint8_t)kind;
    sc->depth = outer ? outer->depth + 1 : 0;
    if (sc->depth >= CM_BINARY_MAX_NESTING)
        return fail(r, "components and types nested more than %d levels deep (decoder limit)", CM_BINARY_MAX_NESTING);
    return true;
}

scope *scope_outer(reader *r, scope *sc, uint32_t count) {
    scope *s = sc;
    for (uint32_t i = 0; i < count && s; i++) s = s->outer;
    if (!s) fail(r, "outer alias count %u reaches past the outermost component", count);
    return s;
}

/* alias ::= sort target; target ::= 0x00 instance name (export) | 0x01
 * core-instance core-name (core export) | 0x02 count index (outer). */
bool decode_alias(reader *r, scope *sc, cm_alias *out, cm_def_kind def, uint32_t def_index) {
    uint8_t sort, target;
    if (!read_sort(r, &sort) || !read_byte(r, &target)) return false;
    memset(out, 0, sizeof *out);
    out->sort = sort;
    out->name = cm_empty_name;
    cm_index_entry e = {.def = (uint8_t)def, .def_index = def_index};
    bool core_sort = sort <= CM_SORT_CORE_INSTANCE;
    switch (target) {
    case 0x00: {
        out->kind = CM_ALIAS_EXPORT;
        size_t at = reader_offset(r);
        if (!read_u32(r, &out->instance) || !read_name(r, &out->name)) return false;
        const cm_index_entry *inst = space_get(r, sc, CM_SORT_INSTANCE, out->instance);
        if (!inst) return false;
        const cm_extern *x = cm_deftype_export(inst->type, out->name.s, out->name.len);
        if (!x) return fail_at(r->d, at, "instance %u has no export \"%.64s\"", out->instance, out->name.s);
        if (x->desc.sort != sort)
            return fail_at(r->d, at, "export \"%.64s\" of instance %u is a %s, not a %s", out->name.s, out->instance,
                           cm_sort_name(x->desc.sort), cm_sort_name(sort));
        cm_index_entry from = entry_of_desc(&x->desc, def, def_index);
        e = from;
        break;
    }
    case 0x01: {
        out->kind = CM_ALIAS_CORE_EXPORT;
        size_t at = reader_offset(r);
        if (!core_sort || sort == CM_SORT_CORE_TYPE || sort == CM_SORT_CORE_MODULE ||
            sort == CM_SORT_CORE_INSTANCE)
            return fail(r, "a core export alias cannot be of sort %s", cm_sort_name(sort));
        if (!read_u32(r, &out->instance) || !read_name(r, &out->name)) return false;
        const cm_index_entry *inst = space_get(r, sc, CM_SORT_CORE_INSTANCE, out->instance);
        if (!inst) return false;
        /* Only bundles of inline exports can be checked here; a module's
         * exports are known once it is decoded. */
        if (sc->core_instances && inst->def == CM_DEF_CORE_INSTANCE) {
            const cm_core_instance *ci = VEC_AT(*sc->core_instances, cm_core_instance, inst->def_index);
            const core_exports_table *t = VEC_AT(*sc->core_instance_tables, core_exports_table, inst->def_index);
            if (!ci->instantiate) {
                uint32_t i = name_table_find(t->table, t->mask, ci->exports, sizeof *ci->exports,
                                             offsetof(cm_core_inline_export, name), out->name.s, out->name.len);
                if (i == UINT32_MAX)
                    return fail_at(r->d, at, "core instance %u has no export \"%.64s\"", out->instance, out->name.s);
                if (ci->exports[i].item.sort != sort)
                    return fail_at(r->d, at, "export \"%.64s\" of core instance %u is a %s, not a %s", out->name.s,
                                   out->instance, cm_sort_name(ci->exports[i].item.sort), cm_sort_name(sort));
            }
        }
        break;
    }
    case 0x02: {
        out->kind = CM_ALIAS_OUTER;
        if (!read_u32(r, &out->outer_count) || !read_u32(r, &out->outer_index)) return false;
        if (sort != CM_SORT_TYPE && sort != CM_SORT_CORE_TYPE && sort != CM_SORT_CORE_MODULE &&
            sort != CM_SORT_COMPONENT)
            return fail(r, "an outer alias cannot be of sort %s", cm_sort_name(sort));
        scope *target_scope = scope_outer(r, sc, out->outer_count);
        if (!target_scope) return false;
        const cm_index_entry *from = space_get(r, target_scope, sort, out->outer_index);
        if (!from) return false;
        if (sort == CM_SORT_TYPE && from->type->kind == CM_DEFTYPE_RESOURCE && from->type->local &&
            out->outer_count > 0)
            return fail(r, "an outer alias cannot refer to a resource type definition");
        e.type = from->type;
        e.value = from->value;
        e.core_type = from->core_type;
        break;
    }
    default:
        r->p--;
        return fail(r, "malformed alias target 0x%02x", target);
    }
    e.def = (uint8_t)def;
    e.def_index = def_index;
    e.result = 0;
    return space_add(r, sc, (cm_sort)sort, &e);
}

/* ------------------------------------------------------------------------
 * Public accessors
 * ------------------------------------------------------------------------ */

const cm_index_entry *cm_component_index(const cm_component *c, cm_sort sort, uint32_t i) {
    if (!c || (unsigned)sort >= CM_SORT_COUNT_ || i >= c->nspace[sort]) return NULL;
    return &c->space[sort][i];
}

const cm_export *cm_component_export(const cm_component *c, const char *name, size_t len) {
    const cm_extern *x = c ? cm_deftype_export(c->type, name, len) : NULL;
    return x ? &c->exports[x - c->type->exports] : NULL;
}

const cm_deftype *cm_component_handle_resource(const cm_component *root, const cm_type *handle) {
    if (!root || !root->arena_ || !handle) return NULL;
    const struct cm_binary_arena *a = root->arena_;
    uintptr_t key = (uintptr_t)handle;
    size_t lo = 0, hi = a->nhandles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->handles[mid].node == key) return a->handles[mid].resource;
        if (a->handles[mid].node < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void cm_component_free(cm_component *c) {
    if (!c || !c->arena_) return;
    arena_free(c->arena_); /* c itself is one of its blocks */
}

/* ------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------ */

/* Memory the result may use per input byte (see BLOCK_OVERHEAD), plus a
 * fixed allowance: generous for real components, whose items are larger
 * than the fewest bytes that could encode them. */
#define BUDGET_PER_BYTE 256
#define BUDGET_FIXED (1u << 20)

static int compare_handles(const void *a, const void *b) {
    uintptr_t x = ((const handle_ref *)a)->node, y = ((const handle_ref *)b)->node;
    return x < y ? -1 : x > y;
}

isorun_error *cm_component_decode(const uint8_t *bytes, size_t len, cm_component **out) {
    if (!out || (!bytes && len)) return isr_error(ISORUN_ERR_ARGUMENT, "cm_component_decode: no bytes or no out");
    *out = NULL;
    struct cm_binary_arena *a = calloc(1, sizeof *a);
    if (!a) return isr_error_nomem();
    a->budget = len > (SIZE_MAX - BUDGET_FIXED) / BUDGET_PER_BYTE ? SIZE_MAX : len * BUDGET_PER_BYTE + BUDGET_FIXED;
    decoder d = {.arena = a, .len = len};
    uint8_t *copy = arena_alloc(&d, len, 1);
    cm_component *c = NULL;
    if (copy) {
        if (len) memcpy(copy, bytes, len);
        d.base = copy;
        if (decode_component_binary(&d, NULL, 0, len, &c) && name_local_resources(&d)) {
            /* The handle map leaves the arena's block list (it is looked
             * up, not freed with the blocks). */
            a->nhandles = d.handles.n;
            a->handles = malloc((d.handles.n ? d.handles.n : 1) * sizeof *a->handles);
            if (!a->handles) {
                fail_nomem(&d);
            } else {
                if (d.handles.n) memcpy(a->handles, d.handles.data, d.handles.n * sizeof *a->handles);
                qsort(a->handles, a->nhandles, sizeof *a->handles, compare_handles);
            }
        }
    }
    if (d.err) {
        arena_free(a);
        return d.err;
    }
    c->arena_ = a;
    *out = c;
    return NULL;
}
