/*
 * store.c — the store and the runtime objects it owns: host functions,
 * memories, tables and globals, with their host-facing accessors.
 *
 * Every object lives in one of the store's arrays from creation until
 * wasm_store_free, so a pointer handed out stays valid for the store's life
 * (instances and the interpreter keep plain pointers to them).
 */
#include "aot.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_CALL_DEPTH 10000u
#define DEFAULT_STACK_SLOTS (1u << 20)
#define DEFAULT_MAX_MEMORY_PAGES WASM_MAX_PAGES
#define DEFAULT_MAX_TABLE_ELEMS 10000000u

/* ------------------------------------------------------------------------
 * The store
 * ------------------------------------------------------------------------ */

wasm_store *wasm_store_new(const wasm_store_config *cfg) {
    wasm_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (cfg) s->cfg = *cfg;
    if (!s->cfg.max_call_depth) s->cfg.max_call_depth = DEFAULT_MAX_CALL_DEPTH;
    if (!s->cfg.stack_slots) s->cfg.stack_slots = DEFAULT_STACK_SLOTS;
    /* A page count beyond 4 GiB cannot be addressed by 32-bit wasm, so a larger
     * cap would only let arithmetic elsewhere overflow. */
    if (!s->cfg.max_memory_pages || s->cfg.max_memory_pages > WASM_MAX_PAGES)
        s->cfg.max_memory_pages = DEFAULT_MAX_MEMORY_PAGES;
    if (!s->cfg.max_table_elems) s->cfg.max_table_elems = DEFAULT_MAX_TABLE_ELEMS;
    /* The value stack and frames are allocated by the interpreter on the
     * first call, so a store that only holds objects stays small. */
    return s;
}

static void instance_free(wasm_instance *inst) {
    wasm_module *m = inst->module;
    if (inst->elem_items && m) {
        for (uint32_t i = 0; i < m->nelems; i++) free(inst->elem_items[i]);
    }
    wasm_aot_instance_free(inst);
    free(inst->elem_items);
    free(inst->elem_counts);
    free(inst->data_lens);
    free(inst->own_funcs);
    free(inst->funcs);
    free(inst->tables);
    free(inst->memories);
    free(inst->globals);
    if (m) wasm_module_free(m);
    free(inst);
}

static void host_func_free(wasm_func *f) {
    if (f->env_free) f->env_free(f->env);
    free(f->owned_type.types);
    free(f);
}

void wasm_store_free(wasm_store *s) {
    if (!s) return;
    for (size_t i = 0; i < s->ninstances; i++) instance_free(s->instances[i]);
    for (size_t i = 0; i < s->nhost_funcs; i++) host_func_free(s->host_funcs[i]);
    for (size_t i = 0; i < s->nmemories; i++) {
        free(s->memories[i]->data);
        free(s->memories[i]);
    }
    for (size_t i = 0; i < s->ntables; i++) {
        free(s->tables[i]->elems);
        free(s->tables[i]);
    }
    for (size_t i = 0; i < s->nglobals; i++) free(s->globals[i]);
    free(s->instances);
    free(s->host_funcs);
    free(s->memories);
    free(s->tables);
    free(s->globals);
    free(s->stack);
    free(s->frames);
    free(s);
}

void wasm_store_set_fuel(wasm_store *s, bool enabled, uint64_t fuel) {
    s->fuel_enabled = enabled;
    /* The counter is signed so the interpreter can charge a whole block and
     * test for < 0 once; more than INT64_MAX units is unlimited in practice. */
    s->fuel = fuel > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)fuel;
}

uint64_t wasm_store_fuel(const wasm_store *s) { return s->fuel > 0 ? (uint64_t)s->fuel : 0; }

uint64_t wasm_store_memory_bytes(const wasm_store *s) {
    return atomic_load_explicit(&s->memory_bytes, memory_order_relaxed);
}

uint64_t wasm_store_table_elems(const wasm_store *s) {
    return atomic_load_explicit(&s->table_elems, memory_order_relaxed);
}

/* Only the thread running the store changes the totals: load + store keeps
 * them exact without a read-modify-write. */
static void add_total(atomic_uint_least64_t *total, uint64_t delta) {
    atomic_store_explicit(total, atomic_load_explicit(total, memory_order_relaxed) + delta, memory_order_relaxed);
}

/* Appends obj to one of the store's ownership arrays; false on OOM. */
static bool store_adopt(void ***array, size_t *count, size_t *cap, void *obj) {
    size_t need;
    if (!isr_add_size(*count, 1, &need) || !isr_grow_array((void **)array, cap, need, sizeof(void *)))
        return false;
    (*array)[(*count)++] = obj;
    return true;
}

#define STORE_ADOPT(s, field, obj) \
    store_adopt((void ***)&(s)->field, &(s)->n##field, &(s)->cap_##field, (obj))

/* ------------------------------------------------------------------------
 * Host functions
 * ------------------------------------------------------------------------ */

static bool functype_is_wellformed(const wasm_functype *t) {
    size_t n;
    if (!isr_add_size(t->nparams, t->nresults, &n)) return false;
    if (n && !t->types) return false;
    for (size_t i = 0; i < n; i++)
        if (!wasm_is_valtype(t->types[i])) return false;
    return true;
}

wasm_func *wasm_func_new_host(wasm_store *s, const wasm_functype *type, wasm_host_fn fn, void *env,
                              void (*env_free)(void *)) {
    if (!s || !type || !fn || !functype_is_wellformed(type)) return NULL;
    size_t ntypes = (size_t)type->nparams + type->nresults;
    wasm_func *f = calloc(1, sizeof *f);
    /* At least one byte, so an empty signature still has a non-NULL array
     * that comparisons may pass to memcmp. */
    uint8_t *types = malloc(ntypes ? ntypes : 1);
    if (!f || !types) goto fail;
    if (ntypes) memcpy(types, type->types, ntypes);
    f->owned_type = (wasm_functype){type->nparams, type->nresults, types};
    f->type = &f->owned_type;
    f->host = fn;
    f->env = env;
    f->env_free = env_free;
    if (!STORE_ADOPT(s, host_funcs, f)) goto fail;
    return f;
fail:
    /* env stays the caller's: it was never handed over. */
    free(types);
    free(f);
    return NULL;
}

const wasm_functype *wasm_func_type(const wasm_func *f) { return f->type; }

/* ------------------------------------------------------------------------
 * Memories
 * ------------------------------------------------------------------------ */

static bool limits_are_ordered(wasm_limits l) { return !l.has_max || l.min <= l.max; }

/* pages * 64 KiB as a size_t, false when it does not fit (32-bit hosts). */
static bool pages_to_bytes(uint64_t pages, size_t *bytes) {
    uint64_t b = pages * WASM_PAGE_SIZE; /* pages <= 65536: at most 2^32, no overflow */
    if (b > SIZE_MAX) return false;
    *bytes = (size_t)b;
    return true;
}

/* Whether the store's budget admits `more` bytes of memory or elements of
 * tables beyond what it has. */
static bool within_budget(const atomic_uint_least64_t *total, uint64_t max, uint64_t more) {
    uint64_t have = atomic_load_explicit(total, memory_order_relaxed);
    return !max || (have <= max && more <= max - have);
}

wasm_memory *wasm_memory_new(wasm_store *s, wasm_limits limits) {
    if (!s || !limits_are_ordered(limits) || limits.min > WASM_MAX_PAGES ||
        limits.min > s->cfg.max_memory_pages)
        return NULL;
    size_t bytes;
    if (!pages_to_bytes(limits.min, &bytes)) return NULL;
    if (!within_budget(&s->memory_bytes, s->cfg.max_memory_bytes, bytes)) return NULL;
    wasm_memory *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    if (bytes) {
        m->data = calloc(bytes, 1);
        if (!m->data) goto fail;
    }
    m->size = bytes;
    m->pages = limits.min;
    m->limits = limits;
    if (!STORE_ADOPT(s, memories, m)) goto fail;
    add_total(&s->memory_bytes, bytes);
    return m;
fail:
    free(m->data);
    free(m);
    return NULL;
}

uint8_t *wasm_memory_data(wasm_memory *m) { return m->data; }
uint64_t wasm_memory_size_bytes(const wasm_memory *m) { return m->size; }
uint32_t wasm_memory_pages(const wasm_memory *m) { return m->pages; }

int64_t wasm_memory_grow(wasm_store *s, wasm_memory *m, uint32_t delta) {
    uint64_t old_pages = m->pages;
    uint64_t new_pages = old_pages + delta; /* both < 2^32: no overflow in 64 bits */
    if (delta == 0) return (int64_t)old_pages;
    if (new_pages > WASM_MAX_PAGES || new_pages > s->cfg.max_memory_pages) return -1;
    if (m->limits.has_max && new_pages > m->limits.max) return -1;
    size_t old_bytes = (size_t)m->size, new_bytes;
    if (!pages_to_bytes(new_pages, &new_bytes)) return -1;
    if (!within_budget(&s->memory_bytes, s->cfg.max_memory_bytes, new_bytes - old_bytes)) return -2;
    uint8_t *data = realloc(m->data, new_bytes);
    if (!data) return -1; /* the old block is untouched and still ours */
    memset(data + old_bytes, 0, new_bytes - old_bytes);
    m->data = data;
    m->size = new_bytes;
    m->pages = (uint32_t)new_pages;
    add_total(&s->memory_bytes, new_bytes - old_bytes);
    return (int64_t)old_pages;
}

/* ------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------ */

static void fill_slots(wasm_slot *p, size_t n, wasm_slot v) {
    for (size_t i = 0; i < n; i++) p[i] = v;
}

wasm_table *wasm_table_new(wasm_store *s, wasm_tabletype type, wasm_slot init) {
    if (!s || !wasm_is_reftype(type.elem) || !limits_are_ordered(type.limits) ||
        type.limits.min > s->cfg.max_table_elems)
        return NULL;
    size_t bytes;
    if (!isr_mul_size(type.limits.min, sizeof(wasm_slot), &bytes)) return NULL;
    if (!within_budget(&s->table_elems, s->cfg.max_table_elems_total, type.limits.min)) return NULL;
    wasm_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    if (bytes) {
        t->elems = malloc(bytes);
        if (!t->elems) goto fail;
        fill_slots(t->elems, type.limits.min, init);
    }
    t->size = type.limits.min;
    t->type = type;
    if (!STORE_ADOPT(s, tables, t)) goto fail;
    add_total(&s->table_elems, t->size);
    return t;
fail:
    free(t->elems);
    free(t);
    return NULL;
}

uint32_t wasm_table_size(const wasm_table *t) { return t->size; }

/* The table's type as the specification defines it: the element type and the
 * declared maximum, with the current size as the minimum (growing a table
 * raises its type's minimum, which is what import matching compares). */
wasm_tabletype wasm_table_type(const wasm_table *t) {
    wasm_tabletype type = t->type;
    type.limits.min = t->size;
    return type;
}

bool wasm_table_get(const wasm_table *t, uint32_t idx, wasm_slot *out) {
    if (idx >= t->size) return false;
    *out = t->elems[idx];
    return true;
}

bool wasm_table_set(wasm_table *t, uint32_t idx, wasm_slot v) {
    if (idx >= t->size) return false;
    t->elems[idx] = v;
    return true;
}

int64_t wasm_table_grow(wasm_store *s, wasm_table *t, uint32_t delta, wasm_slot init) {
    uint64_t old_size = t->size;
    uint64_t new_size = old_size + delta; /* both < 2^32: no overflow in 64 bits */
    if (delta == 0) return (int64_t)old_size;
    if (new_size > UINT32_MAX || new_size > s->cfg.max_table_elems) return -1;
    if (t->type.limits.has_max && new_size > t->type.limits.max) return -1;
    if (!within_budget(&s->table_elems, s->cfg.max_table_elems_total, delta)) return -2;
    size_t bytes;
    if (new_size > SIZE_MAX || !isr_mul_size((size_t)new_size, sizeof(wasm_slot), &bytes)) return -1;
    wasm_slot *elems = realloc(t->elems, bytes);
    if (!elems) return -1;
    fill_slots(elems + old_size, delta, init);
    t->elems = elems;
    t->size = (uint32_t)new_size;
    add_total(&s->table_elems, delta);
    return (int64_t)old_size;
}

/* ------------------------------------------------------------------------
 * Globals
 * ------------------------------------------------------------------------ */

wasm_global *wasm_global_new(wasm_store *s, wasm_globaltype type, wasm_slot value) {
    if (!s || !wasm_is_valtype(type.type)) return NULL;
    wasm_global *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    /* i32 and f32 travel in the low half; keep the stored slot canonical so
     * code reading the full slot sees the same bits the interpreter writes. */
    if (type.type == WASM_I32 || type.type == WASM_F32) value = (uint32_t)value;
    g->value = value;
    g->type = type;
    if (!STORE_ADOPT(s, globals, g)) {
        free(g);
        return NULL;
    }
    return g;
}

wasm_globaltype wasm_global_type(const wasm_global *g) { return g->type; }
wasm_slot wasm_global_get(const wasm_global *g) { return g->value; }

void wasm_global_set(wasm_global *g, wasm_slot v) {
    if (g->type.type == WASM_I32 || g->type.type == WASM_F32) v = (uint32_t)v;
    g->value = v;
}

void wasm_global_get_slots(const wasm_global *g, wasm_slot *out) {
    out[0] = g->value;
    if (g->type.type == WASM_V128) out[1] = g->value_hi;
}

void wasm_global_set_slots(wasm_global *g, const wasm_slot *v) {
    wasm_global_set(g, v[0]);
    if (g->type.type == WASM_V128) g->value_hi = v[1];
}
