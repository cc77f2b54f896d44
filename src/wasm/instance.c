/*
 * instance.c — instantiation as the WebAssembly 2.0 specification describes
 * it (§4.5.4): match imports against their declared types, allocate the
 * instance's functions, tables, memories and globals, evaluate constant
 * expressions, apply active segments in order and run the start function.
 * Also the segment operations the interpreter shares (table.init, memory.init)
 * and export lookup.
 */
#include "aot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Error messages that name the import
 * ------------------------------------------------------------------------ */

/* Appends a quoted import name. Names are arbitrary UTF-8 (even NUL), so
 * control characters, quotes and backslashes are escaped as \hh to keep the
 * message one readable line. */
static bool append_quoted(isr_buf *b, const char *s, uint32_t n) {
    bool ok = isr_buf_append(b, "\"", 1);
    for (uint32_t i = 0; ok && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
            ok = isr_buf_printf(b, "\\%02x", c);
        else
            ok = isr_buf_append(b, &c, 1);
    }
    return ok && isr_buf_append(b, "\"", 1);
}

static isorun_error *import_error(isorun_error_code code, const wasm_import *imp, const char *fmt, ...)
    ISR_PRINTF(3, 4);

static isorun_error *import_error(isorun_error_code code, const wasm_import *imp, const char *fmt, ...) {
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    isr_buf where = {0};
    bool ok = append_quoted(&where, imp->module, imp->module_len) && isr_buf_append(&where, ".", 1) &&
              append_quoted(&where, imp->name, imp->name_len) && isr_buf_append(&where, "", 1);
    isorun_error *err = isr_error(code, "import %s: %s", ok ? (const char *)where.data : "?", reason);
    isr_buf_free(&where);
    return err;
}

static const char *extern_kind_name(wasm_externkind kind) {
    switch (kind) {
    case WASM_EXTERN_FUNC: return "function";
    case WASM_EXTERN_TABLE: return "table";
    case WASM_EXTERN_MEMORY: return "memory";
    case WASM_EXTERN_GLOBAL: return "global";
    }
    return "unknown extern";
}

/* "(i32 i64) -> (f32)" */
static void describe_functype(isr_buf *b, const wasm_functype *t) {
    isr_buf_printf(b, "(");
    for (uint32_t i = 0; i < t->nparams; i++)
        isr_buf_printf(b, "%s%s", i ? " " : "", wasm_valtype_name(wasm_functype_params(t)[i]));
    isr_buf_printf(b, ") -> (");
    for (uint32_t i = 0; i < t->nresults; i++)
        isr_buf_printf(b, "%s%s", i ? " " : "", wasm_valtype_name(wasm_functype_results(t)[i]));
    isr_buf_printf(b, ")");
}

static const char *buf_text(const isr_buf *b) { return b->data ? (const char *)b->data : "?"; }

/* ------------------------------------------------------------------------
 * Import matching (§4.5.2 "Import subtyping")
 * ------------------------------------------------------------------------ */

static bool pointer_in(const void *const *array, size_t n, const void *p) {
    /* Newest first: imports usually come from objects made just before. */
    for (size_t i = n; i-- > 0;)
        if (array[i] == p) return true;
    return false;
}

/* An object from another store would dangle when that store is freed and
 * would run on the wrong execution stack, so only the store's own are linked. */
static bool store_owns_extern(const wasm_store *s, const wasm_extern *ext) {
    switch (ext->kind) {
    case WASM_EXTERN_FUNC:
        if (ext->u.func->inst) return ext->u.func->inst->store == s;
        return pointer_in((const void *const *)s->host_funcs, s->nhost_funcs, ext->u.func);
    case WASM_EXTERN_TABLE: return pointer_in((const void *const *)s->tables, s->ntables, ext->u.table);
    case WASM_EXTERN_MEMORY: return pointer_in((const void *const *)s->memories, s->nmemories, ext->u.memory);
    case WASM_EXTERN_GLOBAL: return pointer_in((const void *const *)s->globals, s->nglobals, ext->u.global);
    }
    return false;
}

static isorun_error *check_func_import(const wasm_module *m, const wasm_import *imp, const wasm_func *f) {
    const wasm_functype *want = &m->types[imp->u.type_index];
    if (wasm_functype_equal(want, f->type)) return NULL;
    isr_buf w = {0}, g = {0};
    describe_functype(&w, want);
    describe_functype(&g, f->type);
    isorun_error *err = import_error(ISORUN_ERR_UNLINKABLE, imp,
                                     "incompatible import type: expected function %s, got function %s",
                                     buf_text(&w), buf_text(&g));
    isr_buf_free(&w);
    isr_buf_free(&g);
    return err;
}

/* Limits subtyping: the actual object is at least as large as the declared
 * minimum and promises never to grow beyond the declared maximum. `current`
 * is the object's size now (it may have grown since it was made). */
static isorun_error *check_limits(const wasm_import *imp, const char *what, const char *unit, wasm_limits want,
                                  uint32_t current, wasm_limits actual) {
    if (current < want.min)
        return import_error(ISORUN_ERR_UNLINKABLE, imp,
                            "incompatible import type: expected a %s of at least %u %s, got %u", what, want.min,
                            unit, current);
    if (!want.has_max) return NULL;
    if (!actual.has_max)
        return import_error(ISORUN_ERR_UNLINKABLE, imp,
                            "incompatible import type: expected a %s with a maximum of at most %u %s, got no "
                            "maximum",
                            what, want.max, unit);
    if (actual.max > want.max)
        return import_error(ISORUN_ERR_UNLINKABLE, imp,
                            "incompatible import type: expected a %s with a maximum of at most %u %s, got %u",
                            what, want.max, unit, actual.max);
    return NULL;
}

static isorun_error *check_table_import(const wasm_import *imp, const wasm_table *t) {
    if (t->type.elem != imp->u.table.elem)
        return import_error(ISORUN_ERR_UNLINKABLE, imp,
                            "incompatible import type: expected table elements of type %s, got %s",
                            wasm_valtype_name(imp->u.table.elem), wasm_valtype_name(t->type.elem));
    return check_limits(imp, "table", "element(s)", imp->u.table.limits, t->size, t->type.limits);
}

static isorun_error *check_memory_import(const wasm_import *imp, const wasm_memory *mem) {
    return check_limits(imp, "memory", "page(s)", imp->u.memory, mem->pages, mem->limits);
}

static isorun_error *check_global_import(const wasm_import *imp, const wasm_global *g) {
    wasm_globaltype want = imp->u.global;
    if (g->type.type == want.type && g->type.mut == want.mut) return NULL;
    return import_error(ISORUN_ERR_UNLINKABLE, imp, "incompatible import type: expected a global %s%s, got %s%s",
                        want.mut ? "mut " : "", wasm_valtype_name(want.type), g->type.mut ? "mut " : "",
                        wasm_valtype_name(g->type.type));
}

static bool extern_is_null(const wasm_extern *ext) {
    switch (ext->kind) {
    case WASM_EXTERN_FUNC: return !ext->u.func;
    case WASM_EXTERN_TABLE: return !ext->u.table;
    case WASM_EXTERN_MEMORY: return !ext->u.memory;
    case WASM_EXTERN_GLOBAL: return !ext->u.global;
    }
    return true;
}

static isorun_error *check_import(const wasm_store *s, const wasm_module *m, const wasm_import *imp,
                                  const wasm_extern *ext) {
    if (ext->kind != imp->kind)
        return import_error(ISORUN_ERR_UNLINKABLE, imp, "incompatible import type: expected a %s, got a %s",
                            extern_kind_name(imp->kind), extern_kind_name(ext->kind));
    if (extern_is_null(ext))
        return import_error(ISORUN_ERR_ARGUMENT, imp, "no %s was given", extern_kind_name(imp->kind));
    if (!store_owns_extern(s, ext))
        return import_error(ISORUN_ERR_ARGUMENT, imp, "the %s belongs to another store",
                            extern_kind_name(imp->kind));
    switch (imp->kind) {
    case WASM_EXTERN_FUNC: return check_func_import(m, imp, ext->u.func);
    case WASM_EXTERN_TABLE: return check_table_import(imp, ext->u.table);
    case WASM_EXTERN_MEMORY: return check_memory_import(imp, ext->u.memory);
    case WASM_EXTERN_GLOBAL: return check_global_import(imp, ext->u.global);
    }
    return NULL;
}

static isorun_error *check_imports(const wasm_store *s, const wasm_module *m, const wasm_extern *imports,
                                   size_t nimports) {
    if (nimports != m->nimports)
        return isr_error(ISORUN_ERR_UNLINKABLE, "the module has %u imports but %zu were given", m->nimports,
                         nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        isorun_error *err = check_import(s, m, &m->imports[i], &imports[i]);
        if (err) return err;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Allocation (§4.5.3 "allocmodule")
 * ------------------------------------------------------------------------ */

/* calloc for n elements of *ptr; an empty array is NULL and not a failure. */
#define ALLOC_ARRAY(ptr, n) ((n) == 0 || ((ptr) = calloc((n), sizeof *(ptr))) != NULL)

/* Creates an empty instance already owned by the store, so that everything it
 * later makes is freed with the store even if instantiation fails part way. */
static isorun_error *instance_create(wasm_store *s, wasm_module *m, wasm_instance **out) {
    wasm_instance *inst = calloc(1, sizeof *inst);
    size_t need;
    if (!inst || !isr_add_size(s->ninstances, 1, &need) ||
        !isr_grow_array((void **)&s->instances, &s->cap_instances, need, sizeof *s->instances)) {
        free(inst);
        return isr_error_nomem();
    }
    s->instances[s->ninstances++] = inst;
    inst->store = s;
    inst->module = wasm_module_ref(m);
    uint32_t ndefined = m->nfuncs - m->nfunc_imports;
    if (!ALLOC_ARRAY(inst->funcs, m->nfuncs) || !ALLOC_ARRAY(inst->own_funcs, ndefined) ||
        !ALLOC_ARRAY(inst->tables, m->ntables) || !ALLOC_ARRAY(inst->memories, m->nmemories) ||
        !ALLOC_ARRAY(inst->globals, m->nglobals) || !ALLOC_ARRAY(inst->elem_items, m->nelems) ||
        !ALLOC_ARRAY(inst->elem_counts, m->nelems) || !ALLOC_ARRAY(inst->data_lens, m->ndatas))
        return isr_error_nomem();
    *out = inst;
    return NULL;
}

/* Imports fill the front of each index space, in import order. */
static void link_imports(wasm_instance *inst, const wasm_extern *imports) {
    const wasm_module *m = inst->module;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wasm_extern *ext = &imports[i];
        switch (ext->kind) {
        case WASM_EXTERN_FUNC: inst->funcs[nf++] = ext->u.func; break;
        case WASM_EXTERN_TABLE: inst->tables[nt++] = ext->u.table; break;
        case WASM_EXTERN_MEMORY: inst->memories[nm++] = ext->u.memory; break;
        case WASM_EXTERN_GLOBAL: inst->globals[ng++] = ext->u.global; break;
        }
    }
}

static void create_functions(wasm_instance *inst) {
    wasm_module *m = inst->module;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        uint32_t def = i - m->nfunc_imports;
        wasm_func *f = &inst->own_funcs[def];
        f->type = &m->types[m->func_type_index[i]];
        f->inst = inst;
        f->code = &m->func_defs[def].code;
        f->index = i;
        inst->funcs[i] = f;
    }
}

static isorun_error *create_tables(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    wasm_store *s = inst->store;
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        wasm_tabletype type = m->tables[i];
        if (type.limits.min > s->cfg.max_table_elems)
            return isr_error(ISORUN_ERR_LIMIT,
                             "table %u: initial size of %u element(s) exceeds the store's limit of %u", i,
                             type.limits.min, s->cfg.max_table_elems);
        uint64_t have = wasm_store_table_elems(s), max = s->cfg.max_table_elems_total;
        if (max && have + type.limits.min > max)
            return isr_error(ISORUN_ERR_LIMIT,
                             "table %u: initial size of %u element(s) would make %llu table elements, over the "
                             "budget of %llu (max_table_elements)",
                             i, type.limits.min, (unsigned long long)(have + type.limits.min),
                             (unsigned long long)max);
        inst->tables[i] = wasm_table_new(s, type, 0);
        if (!inst->tables[i]) return isr_error_nomem();
    }
    return NULL;
}

static isorun_error *create_memories(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    wasm_store *s = inst->store;
    for (uint32_t i = m->nmemory_imports; i < m->nmemories; i++) {
        wasm_limits limits = m->memories[i];
        if (limits.min > s->cfg.max_memory_pages)
            return isr_error(ISORUN_ERR_LIMIT,
                             "memory %u: initial size of %u page(s) exceeds the store's limit of %u page(s)", i,
                             limits.min, s->cfg.max_memory_pages);
        uint64_t have = wasm_store_memory_bytes(s), max = s->cfg.max_memory_bytes;
        uint64_t bytes = (uint64_t)limits.min * WASM_PAGE_SIZE;
        if (max && have + bytes > max)
            return isr_error(ISORUN_ERR_LIMIT,
                             "memory %u: initial size of %u page(s) would make %llu bytes of memory, over the "
                             "budget of %llu bytes (max_memory_bytes)",
                             i, limits.min, (unsigned long long)(have + bytes), (unsigned long long)max);
        inst->memories[i] = wasm_memory_new(s, limits);
        if (!inst->memories[i]) return isr_error_nomem();
    }
    return NULL;
}

/* Defined globals in order: each initialiser sees the imported globals and
 * the globals defined before it. */
static isorun_error *create_globals(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        const wasm_constexpr *init = &m->global_inits[i - m->nglobal_imports];
        inst->globals[i] = wasm_global_new(inst->store, m->globals[i], wasm_eval_const(inst, init));
        if (!inst->globals[i]) return isr_error_nomem();
        if (m->globals[i].type == WASM_V128) /* its high half: from the constant or the global read */
            inst->globals[i]->value_hi =
                init->op == WASM_OP_GLOBAL_GET ? inst->globals[init->value]->value_hi : init->value_hi;
    }
    return NULL;
}

/* Every element segment's references are evaluated up front (the spec's
 * elem instances); every data segment starts with its full length. */
static isorun_error *evaluate_segments(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem_seg *seg = &m->elems[i];
        if (seg->count && !(inst->elem_items[i] = calloc(seg->count, sizeof(wasm_slot))))
            return isr_error_nomem();
        for (uint32_t j = 0; j < seg->count; j++) inst->elem_items[i][j] = wasm_eval_const(inst, &seg->items[j]);
        inst->elem_counts[i] = seg->count;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) inst->data_lens[i] = m->datas[i].len;
    return NULL;
}

/* ------------------------------------------------------------------------
 * Segments and the start function (§4.5.4 steps 12–16)
 * ------------------------------------------------------------------------ */

static void drop_elem(wasm_instance *inst, uint32_t seg) {
    free(inst->elem_items[seg]);
    inst->elem_items[seg] = NULL;
    inst->elem_counts[seg] = 0;
}

/* A trap while initialising: the instance is not returned, but what earlier
 * segments wrote stays (the spec's observable behaviour). */
static isorun_error *instantiation_trap(isorun_trap_code trap, const char *segment_kind, uint32_t seg,
                                        uint32_t offset) {
    isorun_error *err = isr_error(ISORUN_ERR_UNINSTANTIABLE, "%s: %s segment %u at offset %u",
                                  isorun_trap_message(trap), segment_kind, seg, offset);
    if (err != isr_error_nomem()) err->trap = trap;
    return err;
}

static isorun_error *apply_elem_segments(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem_seg *seg = &m->elems[i];
        if (seg->mode == WASM_SEG_PASSIVE) continue;
        if (seg->mode == WASM_SEG_ACTIVE) {
            uint32_t offset = (uint32_t)wasm_eval_const(inst, &seg->offset);
            isorun_trap_code trap = wasm_op_table_init(inst, seg->table, i, offset, 0, seg->count);
            if (trap != ISORUN_TRAP_NONE) return instantiation_trap(trap, "element", i, offset);
        }
        drop_elem(inst, i); /* active and declarative segments are used up */
    }
    return NULL;
}

static isorun_error *apply_data_segments(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wasm_data_seg *seg = &m->datas[i];
        if (seg->mode != WASM_SEG_ACTIVE) continue;
        uint32_t offset = (uint32_t)wasm_eval_const(inst, &seg->offset);
        isorun_trap_code trap = wasm_op_memory_init(inst, i, offset, 0, seg->len);
        if (trap != ISORUN_TRAP_NONE) return instantiation_trap(trap, "data", i, offset);
        inst->data_lens[i] = 0; /* data.drop */
    }
    return NULL;
}

static isorun_error *run_start(wasm_instance *inst) {
    const wasm_module *m = inst->module;
    if (!m->has_start) return NULL;
    isorun_error *err = wasm_call(inst->store, inst->funcs[m->start], NULL, NULL);
    /* A trap makes instantiation fail but keeps its code and message; an exit
     * request (and any other error) is the caller's to see unchanged. */
    if (err && err->code == ISORUN_ERR_TRAP) err->code = ISORUN_ERR_UNINSTANTIABLE;
    return err;
}

/* The store's count budgets, checked before anything is created. */
static isorun_error *check_counts(const wasm_store *s, const wasm_module *m) {
    const wasm_store_config *c = &s->cfg;
    uint64_t tables = (uint64_t)s->ntables + (m->ntables - m->ntable_imports);
    uint64_t memories = (uint64_t)s->nmemories + (m->nmemories - m->nmemory_imports);
    if (c->max_instances && s->ninstances + 1 > c->max_instances)
        return isr_error(ISORUN_ERR_LIMIT, "instantiating would make %zu instance(s), over the limit of %u (max_instances)",
                         s->ninstances + 1, c->max_instances);
    if (c->max_tables && tables > c->max_tables)
        return isr_error(ISORUN_ERR_LIMIT, "the module would make %llu table(s), over the limit of %u (max_tables)",
                         (unsigned long long)tables, c->max_tables);
    if (c->max_memories && memories > c->max_memories)
        return isr_error(ISORUN_ERR_LIMIT, "the module would make %llu memories, over the limit of %u (max_memories)",
                         (unsigned long long)memories, c->max_memories);
    return NULL;
}

isorun_error *wasm_instantiate(wasm_store *s, wasm_module *m, const wasm_extern *imports, size_t nimports,
                               wasm_instance **out) {
    if (out) *out = NULL;
    if (!s || !m || !out || (nimports && !imports))
        return isr_error(ISORUN_ERR_ARGUMENT, "wasm_instantiate: store, module, imports and out are required");
    if (!m->compiled && !m->aot) /* cannot happen: such modules never leave wasm_module_new_native */
        return isr_error(ISORUN_ERR_ARGUMENT, "wasm_instance_new: the module has neither compiled nor native code");
    isorun_error *err = check_imports(s, m, imports, nimports);
    if (!err) err = check_counts(s, m);
    if (err) return err;
    wasm_instance *inst = NULL;
    err = instance_create(s, m, &inst);
    if (err) return err;
    link_imports(inst, imports);
    create_functions(inst);
    if (!err) err = create_tables(inst);
    if (!err) err = create_memories(inst);
    if (!err) err = create_globals(inst);
    if (!err && m->aot) err = wasm_aot_instance_new(inst); /* before any of its code runs */
    if (!err) err = evaluate_segments(inst);
    if (!err) err = apply_elem_segments(inst);
    if (!err) err = apply_data_segments(inst);
    if (!err) err = run_start(inst);
    if (err) return err;
    *out = inst;
    return NULL;
}

/* ------------------------------------------------------------------------
 * Constant expressions and segment operations
 * ------------------------------------------------------------------------ */

wasm_slot wasm_eval_const(const wasm_instance *inst, const wasm_constexpr *e) {
    switch (e->op) {
    case WASM_OP_I32_CONST:
    case WASM_OP_F32_CONST: return (uint32_t)e->value; /* 32-bit values are zero-extended in a slot */
    case WASM_OP_I64_CONST:
    case WASM_OP_F64_CONST:
    case WASM_OP_V128_CONST: return e->value; /* a v128: bytes 0-7 (value_hi has the rest) */
    case WASM_OP_REF_NULL: return 0;
    case WASM_OP_REF_FUNC: return (wasm_slot)(uintptr_t)inst->funcs[e->value];
    case WASM_OP_GLOBAL_GET: return inst->globals[e->value]->value;
    default: return 0; /* the validator admits nothing else */
    }
}

isorun_trap_code wasm_op_table_init(wasm_instance *inst, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src,
                                    uint32_t n) {
    wasm_table *t = inst->tables[table];
    /* 64-bit sums cannot wrap, and nothing is written unless all of it fits. */
    if ((uint64_t)src + n > inst->elem_counts[seg] || (uint64_t)dst + n > t->size) return ISORUN_TRAP_TABLE_OOB;
    if (n) memcpy(t->elems + dst, inst->elem_items[seg] + src, (size_t)n * sizeof(wasm_slot));
    return ISORUN_TRAP_NONE;
}

isorun_trap_code wasm_op_memory_init(wasm_instance *inst, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
    wasm_memory *mem = inst->memories[0];
    if ((uint64_t)src + n > inst->data_lens[seg] || (uint64_t)dst + n > mem->size) return ISORUN_TRAP_MEMORY_OOB;
    if (n) memcpy(mem->data + dst, inst->module->datas[seg].bytes + src, n);
    return ISORUN_TRAP_NONE;
}

/* ------------------------------------------------------------------------
 * Exports
 * ------------------------------------------------------------------------ */

bool wasm_instance_export(const wasm_instance *inst, const char *name, wasm_extern *out) {
    return wasm_instance_export_n(inst, name, strlen(name), out);
}

bool wasm_instance_export_n(const wasm_instance *inst, const char *name, size_t len, wasm_extern *out) {
    const wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export *e = &m->exports[i];
        if (e->name_len != len || memcmp(e->name, name, len) != 0) continue;
        out->kind = e->kind;
        switch (e->kind) {
        case WASM_EXTERN_FUNC: out->u.func = inst->funcs[e->index]; break;
        case WASM_EXTERN_TABLE: out->u.table = inst->tables[e->index]; break;
        case WASM_EXTERN_MEMORY: out->u.memory = inst->memories[e->index]; break;
        case WASM_EXTERN_GLOBAL: out->u.global = inst->globals[e->index]; break;
        }
        return true;
    }
    return false;
}

wasm_module *wasm_instance_module(const wasm_instance *inst) { return inst->module; }

wasm_memory *wasm_instance_memory(const wasm_instance *inst) {
    return inst->module->nmemories ? inst->memories[0] : NULL;
}
