/*
 * gen_module.c — the module around the generated functions: decides the
 * signatures, memory, table and globals, and writes the binary's sections
 * (gen_module.h). Function bodies come from gen_body.c.
 */
#include "gen_module.h"

#include "gen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t gen_valtypes[GEN_NUM_TYPES] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64};

void gen_put_bytes(gen_mod *m, isr_buf *out, const void *p, size_t n) {
    if (!m->oom && !isr_buf_append(out, p, n)) m->oom = true;
}
void gen_put_byte(gen_mod *m, isr_buf *out, uint8_t byte) { gen_put_bytes(m, out, &byte, 1); }
void gen_put_u32(gen_mod *m, isr_buf *out, uint32_t v) {
    uint8_t tmp[10];
    gen_put_bytes(m, out, tmp, isr_leb_write_u(tmp, v));
}
void gen_put_s32(gen_mod *m, isr_buf *out, int32_t v) {
    uint8_t tmp[10];
    gen_put_bytes(m, out, tmp, isr_leb_write_s(tmp, v));
}
void gen_put_s64(gen_mod *m, isr_buf *out, int64_t v) {
    uint8_t tmp[10];
    gen_put_bytes(m, out, tmp, isr_leb_write_s(tmp, v));
}

uint32_t gen_intern_type(gen_mod *m, const uint8_t *params, uint32_t nparams, const uint8_t *results,
                         uint32_t nresults) {
    if (nparams + nresults > GEN_MAX_SIG) return UINT32_MAX;
    gen_type t = {(uint8_t)nparams, (uint8_t)nresults, {0}};
    memcpy(t.t, params, nparams);
    memcpy(t.t + nparams, results, nresults);
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (memcmp(&m->types[i], &t, sizeof t) == 0) return i;
    if (m->ntypes == GEN_MAX_TYPES) return UINT32_MAX;
    m->types[m->ntypes] = t;
    return m->ntypes++;
}

static uint8_t random_valtype(gen_source *s) { return gen_valtypes[gen_below(s, GEN_NUM_TYPES)]; }

/* A function signature: mostly one result, sometimes none or several. */
static uint32_t random_func_type(gen_mod *m) {
    uint8_t params[GEN_MAX_PARAMS], results[GEN_MAX_RESULTS];
    uint32_t np = gen_below(m->src, GEN_MAX_PARAMS + 1);
    uint32_t pick = gen_below(m->src, 10);
    uint32_t nr = pick < 6 ? 1 : pick < 8 ? 0 : 2 + gen_below(m->src, GEN_MAX_RESULTS - 1);
    for (uint32_t i = 0; i < np; i++) params[i] = random_valtype(m->src);
    for (uint32_t i = 0; i < nr; i++) results[i] = random_valtype(m->src);
    return gen_intern_type(m, params, np, results, nr); /* the table is empty enough here */
}

/* A section: id, byte size, contents. */
static void put_section(gen_mod *m, isr_buf *out, uint8_t id, const isr_buf *contents) {
    gen_put_byte(m, out, id);
    gen_put_u32(m, out, (uint32_t)contents->len);
    gen_put_bytes(m, out, contents->data, contents->len);
}

static void put_name(gen_mod *m, isr_buf *out, const char *name) {
    gen_put_u32(m, out, (uint32_t)strlen(name));
    gen_put_bytes(m, out, name, strlen(name));
}

static void put_limits(gen_mod *m, isr_buf *out, uint32_t min, uint32_t max, bool has_max) {
    gen_put_byte(m, out, has_max ? 1 : 0);
    gen_put_u32(m, out, min);
    if (has_max) gen_put_u32(m, out, max);
}

static void put_i32_const_expr(gen_mod *m, isr_buf *out, int32_t v) {
    gen_put_byte(m, out, 0x41);
    gen_put_s32(m, out, v);
    gen_put_byte(m, out, 0x0B);
}

static void put_global_init(gen_mod *m, isr_buf *out, uint8_t type) {
    uint64_t bits = gen_constant_bits(m->src, type);
    switch (type) {
    case WASM_I32: gen_put_byte(m, out, 0x41), gen_put_s32(m, out, (int32_t)(uint32_t)bits); break;
    case WASM_I64: gen_put_byte(m, out, 0x42), gen_put_s64(m, out, (int64_t)bits); break;
    case WASM_F32: {
        uint32_t b32 = (uint32_t)bits;
        uint8_t le[4] = {(uint8_t)b32, (uint8_t)(b32 >> 8), (uint8_t)(b32 >> 16), (uint8_t)(b32 >> 24)};
        gen_put_byte(m, out, 0x43);
        gen_put_bytes(m, out, le, 4);
        break;
    }
    case WASM_F64: {
        uint8_t le[8];
        for (int i = 0; i < 8; i++) le[i] = (uint8_t)(bits >> (8 * i));
        gen_put_byte(m, out, 0x44);
        gen_put_bytes(m, out, le, 8);
        break;
    }
    }
    gen_put_byte(m, out, 0x0B);
}

/* Decides everything but the function bodies. */
static void plan_module(gen_mod *m) {
    m->nfuncs = 2 + gen_below(m->src, GEN_MAX_FUNCS - 1);
    for (uint32_t f = 0; f < m->nfuncs; f++) m->func_type[f] = random_func_type(m);
    m->decoy_type = random_func_type(m);
    m->nglobals = GEN_NUM_TYPES * GEN_GLOBALS_PER_TYPE;
    m->mem_min = 1 + gen_below(m->src, 2);
    /* Usually a maximum a page or two above the minimum, so memory.grow
     * both succeeds and fails; without one, the store's cap applies. */
    m->mem_has_max = !gen_chance(m->src, 20);
    m->mem_max = m->mem_min + gen_below(m->src, 3);
    m->table_size = m->nfuncs + 3;
    /* From a small offset to near the end; the slots it misses stay null. */
    m->elem_offset = gen_below(m->src, 3);
    uint32_t gap = gen_below(m->src, 4), room = m->table_size - m->elem_offset;
    m->elem_count = gap < room ? room - gap : 0;
    for (uint32_t i = 0; i < m->elem_count; i++) m->elem_funcs[i] = gen_below(m->src, m->nfuncs);
}

static void write_sections(gen_mod *m, isr_buf *out, const isr_buf *code) {
    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    gen_put_bytes(m, out, header, sizeof header);
    isr_buf sec = {0};

    /* Types: written last-minute, since bodies add block types. */
    gen_put_u32(m, &sec, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const gen_type *t = &m->types[i];
        gen_put_byte(m, &sec, 0x60);
        gen_put_u32(m, &sec, t->nparams);
        gen_put_bytes(m, &sec, t->t, t->nparams);
        gen_put_u32(m, &sec, t->nresults);
        gen_put_bytes(m, &sec, t->t + t->nparams, t->nresults);
    }
    put_section(m, out, 1, &sec);

    sec.len = 0;
    gen_put_u32(m, &sec, m->nfuncs);
    for (uint32_t f = 0; f < m->nfuncs; f++) gen_put_u32(m, &sec, m->func_type[f]);
    put_section(m, out, 3, &sec);

    sec.len = 0;
    gen_put_u32(m, &sec, 1);
    gen_put_byte(m, &sec, WASM_FUNCREF);
    put_limits(m, &sec, m->table_size, m->table_size, true);
    put_section(m, out, 4, &sec);

    sec.len = 0;
    gen_put_u32(m, &sec, 1);
    put_limits(m, &sec, m->mem_min, m->mem_max, m->mem_has_max);
    put_section(m, out, 5, &sec);

    sec.len = 0;
    gen_put_u32(m, &sec, m->nglobals);
    for (uint32_t g = 0; g < m->nglobals; g++) {
        gen_put_byte(m, &sec, gen_global_type(g));
        gen_put_byte(m, &sec, 1); /* mutable */
        put_global_init(m, &sec, gen_global_type(g));
    }
    put_section(m, out, 6, &sec);

    sec.len = 0;
    gen_put_u32(m, &sec, m->nfuncs + m->nglobals + 1);
    char name[16];
    for (uint32_t f = 0; f < m->nfuncs; f++) {
        snprintf(name, sizeof name, "f%u", f);
        put_name(m, &sec, name);
        gen_put_byte(m, &sec, WASM_EXTERN_FUNC);
        gen_put_u32(m, &sec, f);
    }
    for (uint32_t g = 0; g < m->nglobals; g++) {
        snprintf(name, sizeof name, "g%u", g);
        put_name(m, &sec, name);
        gen_put_byte(m, &sec, WASM_EXTERN_GLOBAL);
        gen_put_u32(m, &sec, g);
    }
    put_name(m, &sec, "mem");
    gen_put_byte(m, &sec, WASM_EXTERN_MEMORY);
    gen_put_u32(m, &sec, 0);
    put_section(m, out, 7, &sec);

    /* One active element segment, in bounds (instantiation must succeed). */
    sec.len = 0;
    gen_put_u32(m, &sec, 1);
    gen_put_byte(m, &sec, 0x00);
    put_i32_const_expr(m, &sec, (int32_t)m->elem_offset);
    gen_put_u32(m, &sec, m->elem_count);
    for (uint32_t i = 0; i < m->elem_count; i++) gen_put_u32(m, &sec, m->elem_funcs[i]);
    put_section(m, out, 9, &sec);

    gen_put_bytes(m, out, code->data, code->len); /* the code section, already framed */

    /* One active data segment near the start of memory, where most
     * generated addresses point. */
    sec.len = 0;
    uint32_t data_offset = gen_below(m->src, 256);
    uint32_t data_len = 1 + gen_below(m->src, 48);
    gen_put_u32(m, &sec, 1);
    gen_put_byte(m, &sec, 0x00);
    put_i32_const_expr(m, &sec, (int32_t)data_offset);
    gen_put_u32(m, &sec, data_len);
    for (uint32_t i = 0; i < data_len; i++) gen_put_byte(m, &sec, (uint8_t)gen_below(m->src, 256));
    put_section(m, out, 11, &sec);

    isr_buf_free(&sec);
}

uint8_t *gen_module(gen_source *src, size_t *len) {
    gen_mod *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->src = src;
    plan_module(m);

    /* Bodies first: they intern block types the type section must list. */
    isr_buf bodies = {0}, entry = {0}, code = {0}, out = {0};
    gen_put_u32(m, &bodies, m->nfuncs);
    for (uint32_t f = 0; f < m->nfuncs; f++) {
        entry.len = 0;
        gen_function_body(m, f, &entry);
        gen_put_u32(m, &bodies, (uint32_t)entry.len);
        gen_put_bytes(m, &bodies, entry.data, entry.len);
    }
    gen_put_byte(m, &code, 10);
    gen_put_u32(m, &code, (uint32_t)bodies.len);
    gen_put_bytes(m, &code, bodies.data, bodies.len);

    write_sections(m, &out, &code);
    isr_buf_free(&bodies);
    isr_buf_free(&entry);
    isr_buf_free(&code);
    bool oom = m->oom;
    free(m);
    if (oom) {
        isr_buf_free(&out);
        return NULL;
    }
    *len = out.len;
    return out.data;
}
