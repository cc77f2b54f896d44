/*
 * gen_module.c — the module around the generated functions: writes the
 * binary's sections from the plan (gen_plan.c), and the entry points
 * (gen_module.h). Function bodies come from gen_body.c.
 */
#include "gen_module.h"

#include "gen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t gen_valtypes[GEN_NUM_ALL_TYPES] = {WASM_I32,     WASM_I64,       WASM_F32, WASM_F64,
                                                  WASM_FUNCREF, WASM_EXTERNREF, WASM_V128};

uint8_t gen_random_valtype(gen_source *s, bool simd) {
    uint32_t pick = gen_below(s, 100);
    /* In a SIMD module about one type in seven is v128, taken from the
     * numeric types' share: references keep theirs. */
    if (simd && pick >= 74 && pick < 88) return WASM_V128;
    if (pick < 88) return gen_valtypes[pick % GEN_NUM_TYPES];
    return pick < 94 ? WASM_FUNCREF : WASM_EXTERNREF;
}

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

/* A global's initial value: a constant (v128.const for a v128); for a
 * reference, ref.null or (funcref) ref.func of any function. */
static void put_global_init(gen_mod *m, isr_buf *out, uint8_t type) {
    if (type == WASM_V128) {
        uint8_t bytes[16];
        gen_v128_constant(m->src, bytes);
        gen_put_byte(m, out, 0xFD), gen_put_u32(m, out, wasm_opinfos[WASM_OP_V128_CONST].code & 0xFFFu);
        gen_put_bytes(m, out, bytes, sizeof bytes);
        gen_put_byte(m, out, 0x0B);
        return;
    }
    if (gen_is_ref(type)) {
        if (type == WASM_FUNCREF && gen_chance(m->src, 60))
            gen_put_byte(m, out, 0xD2), gen_put_u32(m, out, gen_below(m->src, gen_func_count(m)));
        else
            gen_put_byte(m, out, 0xD0), gen_put_byte(m, out, type);
        gen_put_byte(m, out, 0x0B);
        return;
    }
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

static void put_table_type(gen_mod *m, isr_buf *out, uint32_t t) {
    gen_put_byte(m, out, gen_table_elem(t));
    put_limits(m, out, m->table_min[t], m->table_max[t], m->table_has_max[t]);
}

static void write_imports(gen_mod *m, isr_buf *sec) {
    gen_put_u32(m, sec, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const gen_import *im = &m->imports[i];
        put_name(m, sec, im->module);
        put_name(m, sec, im->name);
        gen_put_byte(m, sec, im->kind);
        switch (im->kind) {
        case WASM_EXTERN_FUNC: gen_put_u32(m, sec, im->type); break;
        case WASM_EXTERN_TABLE: put_table_type(m, sec, 0); break;
        case WASM_EXTERN_MEMORY: put_limits(m, sec, m->mem_min, m->mem_max, m->mem_has_max); break;
        default: gen_put_byte(m, sec, (uint8_t)im->type), gen_put_byte(m, sec, im->mut); break;
        }
    }
}

static void put_export(gen_mod *m, isr_buf *sec, const char *name, uint8_t kind, uint32_t index) {
    put_name(m, sec, name);
    gen_put_byte(m, sec, kind);
    gen_put_u32(m, sec, index);
}

/* Every defined function as "f<N>" (N counted from the first defined one,
 * so that "f0" always exists), every global as "g<index>" (imported ones
 * too), the memory as "mem", the tables as "t0".."t2". */
static void write_exports(gen_mod *m, isr_buf *sec) {
    gen_put_u32(m, sec, m->nfuncs + m->global_base + m->nglobals + 1 + GEN_NUM_TABLES);
    char name[16];
    for (uint32_t f = 0; f < m->nfuncs; f++) {
        snprintf(name, sizeof name, "f%u", f);
        put_export(m, sec, name, WASM_EXTERN_FUNC, m->func_base + f);
    }
    for (uint32_t g = 0; g < m->global_base + m->nglobals; g++) {
        snprintf(name, sizeof name, "g%u", g);
        put_export(m, sec, name, WASM_EXTERN_GLOBAL, g);
    }
    put_export(m, sec, "mem", WASM_EXTERN_MEMORY, 0);
    for (uint32_t t = 0; t < GEN_NUM_TABLES; t++) {
        snprintf(name, sizeof name, "t%u", t);
        put_export(m, sec, name, WASM_EXTERN_TABLE, t);
    }
}

/* A segment in the binary form that fits it: the flags say passive or
 * declarative, an explicit table index, and elements as expressions. */
static void write_segment(gen_mod *m, isr_buf *sec, const gen_seg *s) {
    uint8_t flags = (uint8_t)(s->exprs ? 4 : 0);
    if (s->mode == 1) flags |= 1;
    if (s->mode == 2) flags |= 3;
    if (s->mode == 0 && s->table != 0) flags |= 2;
    gen_put_byte(m, sec, flags);
    if (s->mode == 0 && s->table != 0) gen_put_u32(m, sec, s->table);
    if (s->mode == 0) put_i32_const_expr(m, sec, (int32_t)s->offset);
    /* Forms 0 and 4 imply funcref; the others name the kind or the type. */
    if (flags != 0 && flags != 4) gen_put_byte(m, sec, s->exprs ? s->elem : 0x00);
    gen_put_u32(m, sec, s->len);
    for (uint32_t i = 0; i < s->len; i++) {
        if (!s->exprs) {
            gen_put_u32(m, sec, s->funcs[i]);
        } else if (s->funcs[i] == UINT32_MAX) {
            gen_put_byte(m, sec, 0xD0), gen_put_byte(m, sec, s->elem), gen_put_byte(m, sec, 0x0B);
        } else {
            gen_put_byte(m, sec, 0xD2), gen_put_u32(m, sec, s->funcs[i]), gen_put_byte(m, sec, 0x0B);
        }
    }
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
    write_imports(m, &sec);
    put_section(m, out, 2, &sec);

    sec.len = 0;
    gen_put_u32(m, &sec, m->nfuncs);
    for (uint32_t f = 0; f < m->nfuncs; f++) gen_put_u32(m, &sec, m->func_type[f]);
    put_section(m, out, 3, &sec);

    sec.len = 0;
    gen_put_u32(m, &sec, GEN_NUM_TABLES - m->table0_imported);
    for (uint32_t t = m->table0_imported; t < GEN_NUM_TABLES; t++) put_table_type(m, &sec, t);
    put_section(m, out, 4, &sec);

    if (!m->mem_imported) {
        sec.len = 0;
        gen_put_u32(m, &sec, 1);
        put_limits(m, &sec, m->mem_min, m->mem_max, m->mem_has_max);
        put_section(m, out, 5, &sec);
    }

    sec.len = 0;
    gen_put_u32(m, &sec, m->nglobals);
    for (uint32_t g = 0; g < m->nglobals; g++) {
        gen_put_byte(m, &sec, gen_global_type(g));
        gen_put_byte(m, &sec, 1); /* mutable */
        put_global_init(m, &sec, gen_global_type(g));
    }
    put_section(m, out, 6, &sec);

    sec.len = 0;
    write_exports(m, &sec);
    put_section(m, out, 7, &sec);

    /* The active segments are in bounds: instantiation must succeed. */
    sec.len = 0;
    gen_put_u32(m, &sec, m->nsegs);
    for (uint32_t i = 0; i < m->nsegs; i++) write_segment(m, &sec, &m->segs[i]);
    put_section(m, out, 9, &sec);

    /* DataCount, which memory.init and data.drop need. */
    sec.len = 0;
    gen_put_u32(m, &sec, 2);
    put_section(m, out, 12, &sec);

    gen_put_bytes(m, out, code->data, code->len); /* the code section, already framed */

    /* An active data segment near the start of memory, where most
     * generated addresses point, and a passive one for memory.init. */
    sec.len = 0;
    uint32_t data_offset = gen_below(m->src, 256);
    uint32_t data_len = 1 + gen_below(m->src, 48);
    gen_put_u32(m, &sec, 2);
    gen_put_byte(m, &sec, 0x00);
    put_i32_const_expr(m, &sec, (int32_t)data_offset);
    gen_put_u32(m, &sec, data_len);
    for (uint32_t i = 0; i < data_len; i++) gen_put_byte(m, &sec, (uint8_t)gen_below(m->src, 256));
    gen_put_byte(m, &sec, 0x01);
    gen_put_u32(m, &sec, m->passive_data_len);
    for (uint32_t i = 0; i < m->passive_data_len; i++) gen_put_byte(m, &sec, (uint8_t)gen_below(m->src, 256));
    put_section(m, out, 11, &sec);

    isr_buf_free(&sec);
}

/* Writes the planned module: its binary (malloc'd, *len set), or NULL. */
static uint8_t *build(gen_mod *m, size_t *len) {
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
    if (m->oom) {
        isr_buf_free(&out);
        return NULL;
    }
    *len = out.len;
    return out.data;
}

/* Counts a planned module (its instructions are counted as written). */
static void count_module(gen_mod *m, gen_counts *counts) {
    m->counts = counts;
    if (!counts) return;
    counts->modules++;
    counts->simd_modules += m->simd;
}

uint8_t *gen_module_counted(gen_source *src, size_t *len, gen_counts *counts) {
    gen_mod *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->src = src;
    gen_plan_module(m, NULL);
    count_module(m, counts);
    uint8_t *wasm = build(m, len);
    free(m);
    return wasm;
}

uint8_t *gen_module(gen_source *src, size_t *len) { return gen_module_counted(src, len, NULL); }

bool gen_module_pair(gen_source *src, gen_wasm *a, gen_wasm *b) { return gen_module_pair_counted(src, a, b, NULL); }

bool gen_module_pair_counted(gen_source *src, gen_wasm *a, gen_wasm *b, gen_counts *counts) {
    gen_mod *mb = calloc(1, sizeof *mb), *ma = calloc(1, sizeof *ma);
    bool ok = false;
    a->bytes = b->bytes = NULL;
    if (mb && ma) {
        mb->src = ma->src = src;
        gen_plan_module(mb, NULL);
        count_module(mb, counts);
        b->bytes = build(mb, &b->len);
        if (b->bytes) {
            gen_plan_module(ma, mb);
            count_module(ma, counts);
            a->bytes = build(ma, &a->len);
        }
        ok = a->bytes != NULL;
        if (!ok) free(b->bytes), b->bytes = NULL;
    }
    free(ma);
    free(mb);
    return ok;
}
