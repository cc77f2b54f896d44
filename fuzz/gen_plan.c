/*
 * gen_plan.c — decides a module's shape before any code is written: its
 * imports, signatures, memory, tables, globals and segments (gen_internal.h).
 */
#include "gen_internal.h"

#include <stdio.h>

/* A function signature: mostly one result, sometimes none or several;
 * any of them may be a reference or, in a SIMD module, a v128
 * (gen_random_valtype). */
static uint32_t random_func_type(gen_mod *m) {
    uint8_t params[GEN_MAX_PARAMS], results[GEN_MAX_RESULTS];
    uint32_t np = gen_below(m->src, GEN_MAX_PARAMS + 1);
    uint32_t pick = gen_below(m->src, 10);
    uint32_t nr = pick < 6 ? 1 : pick < 8 ? 0 : 2 + gen_below(m->src, GEN_MAX_RESULTS - 1);
    for (uint32_t i = 0; i < np; i++) params[i] = gen_random_valtype(m->src, m->simd);
    for (uint32_t i = 0; i < nr; i++) results[i] = gen_random_valtype(m->src, m->simd);
    return gen_intern_type(m, params, np, results, nr); /* the table is empty enough here */
}

uint32_t gen_func_type_of(const gen_mod *m, uint32_t index) {
    if (index >= m->func_base) return m->func_type[index - m->func_base];
    for (uint32_t i = 0; i < m->nimports; i++)
        if (m->imports[i].kind == WASM_EXTERN_FUNC && index-- == 0) return m->imports[i].type;
    return 0;
}

static void add_import(gen_mod *m, const char *module, const char *name, uint8_t kind, uint32_t type, bool mut) {
    gen_import *im = &m->imports[m->nimports++];
    im->module = module;
    snprintf(im->name, sizeof im->name, "%s", name);
    im->kind = kind;
    im->type = type;
    im->mut = mut;
    if (kind == WASM_EXTERN_FUNC) m->func_base++;
    if (kind == WASM_EXTERN_GLOBAL) m->global_base++;
}

/* What the module imports: some of the host's functions and globals, and
 * with a provider (the other instance of a pair) some of its functions,
 * its first global, memory or table 0 — whose types must then match it. */
static void plan_imports(gen_mod *m, const gen_mod *provider) {
    static const char *host_names[GEN_HOST_COUNT_] = {"mix", "trap", "callback", "ext"};
    static const uint8_t host_sigs[GEN_HOST_COUNT_][3] = {
        {WASM_I32, WASM_I64, WASM_I32}, {WASM_I32, WASM_I32}, {WASM_I32, WASM_I32}, {WASM_I32, WASM_EXTERNREF}};
    for (int h = 0; h < GEN_HOST_COUNT_; h++) {
        m->host_func[h] = UINT32_MAX;
        if (!gen_chance(m->src, 60)) continue;
        uint32_t np = h == GEN_HOST_MIX ? 2 : 1;
        uint32_t type = gen_intern_type(m, host_sigs[h], np, &host_sigs[h][np], 1);
        m->host_func[h] = m->func_base;
        add_import(m, "env", host_names[h], WASM_EXTERN_FUNC, type, false);
    }
    if (provider) {
        for (uint32_t n = 1 + gen_below(m->src, 2); n > 0; n--) {
            uint32_t k = gen_below(m->src, provider->nfuncs);
            const gen_type *t = &provider->types[provider->func_type[k]];
            char name[16];
            snprintf(name, sizeof name, "f%u", k);
            add_import(m, "b", name, WASM_EXTERN_FUNC,
                       gen_intern_type(m, t->t, t->nparams, t->t + t->nparams, t->nresults), false);
        }
    }
    if (gen_chance(m->src, 50)) add_import(m, "env", "g_i32", WASM_EXTERN_GLOBAL, WASM_I32, true);
    if (gen_chance(m->src, 50)) add_import(m, "env", "g_i64", WASM_EXTERN_GLOBAL, WASM_I64, false);
    if (m->simd && gen_chance(m->src, 50)) add_import(m, "env", "g_v128", WASM_EXTERN_GLOBAL, WASM_V128, true);
    if (provider && gen_chance(m->src, 60)) {
        char name[16];
        snprintf(name, sizeof name, "g%u", provider->global_base); /* its first defined global: mutable i32 */
        add_import(m, "b", name, WASM_EXTERN_GLOBAL, WASM_I32, true);
    }
    /* Two instances sharing the host's memory or table would need equal
     * limits: a pair's second module shares the first's instead. */
    m->mem_imported = gen_chance(m->src, provider ? 50 : 30);
    if (m->mem_imported) {
        if (provider) {
            m->mem_min = provider->mem_min, m->mem_max = provider->mem_max, m->mem_has_max = provider->mem_has_max;
        }
        add_import(m, provider ? "b" : "env", "mem", WASM_EXTERN_MEMORY, 0, false);
    }
    m->table0_imported = gen_chance(m->src, provider ? 50 : 30);
    if (m->table0_imported) {
        if (provider) m->table_size = provider->table_size;
        add_import(m, provider ? "b" : "env", "t0", WASM_EXTERN_TABLE, 0, false);
    }
}

/* A random function of the whole index space, or null (UINT32_MAX) when
 * `nulls` allows. */
static uint32_t seg_func(gen_mod *m, bool nulls) {
    if (nulls && gen_chance(m->src, 25)) return UINT32_MAX;
    return gen_below(m->src, gen_func_count(m));
}

/* Element segments: 0 fills table 0 (as call_indirect expects, see
 * gen_body.c); 1 passive funcref, 2 passive externref (nulls: a constant
 * expression can make no other externref), 3 active into table 1, 4
 * declarative, declaring the imported functions for ref.func. */
static void plan_segments(gen_mod *m) {
    gen_seg *s = m->segs;
    s[0] = (gen_seg){.mode = 0, .elem = WASM_FUNCREF, .exprs = gen_chance(m->src, 30), .table = 0,
                     .offset = m->elem_offset, .len = m->elem_count};
    for (uint32_t i = 0; i < m->elem_count; i++) s[0].funcs[i] = m->func_base + m->elem_funcs[i];
    s[1] = (gen_seg){.mode = 1, .elem = WASM_FUNCREF, .exprs = gen_chance(m->src, 50), .len = 1 + gen_below(m->src, 6)};
    for (uint32_t i = 0; i < s[1].len; i++) s[1].funcs[i] = seg_func(m, s[1].exprs);
    s[2] = (gen_seg){.mode = 1, .elem = WASM_EXTERNREF, .exprs = true, .len = gen_below(m->src, 5)};
    for (uint32_t i = 0; i < s[2].len; i++) s[2].funcs[i] = UINT32_MAX;
    uint32_t len3 = gen_below(m->src, m->table_min[1] + 1);
    s[3] = (gen_seg){.mode = 0, .elem = WASM_FUNCREF, .exprs = gen_chance(m->src, 50), .table = 1,
                     .offset = gen_below(m->src, m->table_min[1] - len3 + 1), .len = len3};
    for (uint32_t i = 0; i < s[3].len; i++) s[3].funcs[i] = seg_func(m, s[3].exprs);
    s[4] = (gen_seg){.mode = 2, .elem = WASM_FUNCREF, .exprs = gen_chance(m->src, 30)};
    for (uint32_t f = 0; f < m->func_base; f++) s[4].funcs[s[4].len++] = f;
    if (s[4].len == 0) s[4].funcs[s[4].len++] = 0;
    m->nsegs = 5;
}

void gen_plan_module(gen_mod *m, const gen_mod *provider) {
    /* About a third of the modules use SIMD; the second module of a pair
     * does whenever its provider does, whose signatures it may import. */
    m->simd = gen_chance(m->src, 30) || (provider && provider->simd);
    m->nfuncs = 2 + gen_below(m->src, GEN_MAX_FUNCS - 1);
    m->mem_min = 1 + gen_below(m->src, 2);
    /* Usually a maximum a page or two above the minimum, so memory.grow
     * both succeeds and fails; without one, the store's cap applies. */
    m->mem_has_max = !gen_chance(m->src, 20);
    m->mem_max = m->mem_min + gen_below(m->src, 3);
    m->table_size = m->nfuncs + 3;
    plan_imports(m, provider); /* may take the memory's and table's types from the provider */
    for (uint32_t f = 0; f < m->nfuncs; f++) m->func_type[f] = random_func_type(m);
    m->decoy_type = random_func_type(m);
    /* v128 is last in gen_valtypes: a module without SIMD has no v128 globals. */
    m->nglobals = (m->simd ? GEN_NUM_ALL_TYPES : GEN_NUM_ALL_TYPES - 1) * GEN_GLOBALS_PER_TYPE;
    /* From a small offset to near the end; the slots it misses stay null. */
    m->elem_offset = gen_below(m->src, 3);
    uint32_t gap = gen_below(m->src, 4), room = m->table_size - m->elem_offset;
    m->elem_count = gap < room ? room - gap : 0;
    if (m->elem_count > GEN_MAX_SEG_LEN) m->elem_count = GEN_MAX_SEG_LEN;
    for (uint32_t i = 0; i < m->elem_count; i++) m->elem_funcs[i] = gen_below(m->src, m->nfuncs);
    m->table_min[0] = m->table_max[0] = m->table_size;
    m->table_has_max[0] = true;
    m->table_min[1] = 1 + gen_below(m->src, 4);
    m->table_min[2] = gen_below(m->src, 4);
    for (uint32_t t = 1; t < GEN_NUM_TABLES; t++) {
        m->table_has_max[t] = gen_chance(m->src, 60);
        m->table_max[t] = m->table_min[t] + gen_below(m->src, 4);
    }
    m->passive_data_len = 1 + gen_below(m->src, 32);
    plan_segments(m);
}

