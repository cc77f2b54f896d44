/*
 * gen_refs.c — the instructions over tables, references, passive segments
 * and imported functions (gen_body.h): table.get/set/size/grow/fill/copy/
 * init, elem.drop, ref.null/ref.func/ref.is_null, memory.init, data.drop,
 * call_indirect through table 1 and with imported functions' types, and
 * calls to the host's and the other instance's functions.
 *
 * gen_ref makes a reference in place (ref.null, ref.func, the host's ext,
 * table.get, typed select) or, sometimes, asks gen_body.c's gen_value for
 * one, which also moves references through locals, globals, blocks, calls
 * and branches (functions and blocks may take and return references, and
 * have reference locals). Table indices are mostly in
 * bounds of the tables' initial sizes, sometimes just past them (a trap,
 * or in bounds after a grow).
 */
#include "gen_body.h"

/* A table index operand for table t: mostly in bounds of its initial
 * size, sometimes just past it (in bounds only after a grow), rarely
 * anything. A trap ends the call, so most indices must not trap. */
static void gen_table_index(body *b, uint32_t t) {
    uint32_t size = b->m->table_min[t], how = gen_below(b->s, 20);
    if (how < 16 && size > 0)
        gb_i32(b, gen_below(b->s, size));
    else if (how < 19)
        gb_i32(b, size + gen_below(b->s, 3));
    else
        gb_value(b, WASM_I32);
}

/* A table holding `elem` references: table 2 for externref, else 0 or 1. */
static uint32_t table_of(body *b, uint8_t elem) { return elem == WASM_EXTERNREF ? 2 : gen_below(b->s, 2); }

/* Code leaving one reference of type elem. */
void gen_ref(body *b, uint8_t elem) {
    const gen_mod *m = b->m;
    uint32_t r = gb_stop(b) ? 0 : gen_below(b->s, 12);
    if (r >= 10) {
        /* From a local, a global, a block, a call... (gen_value). */
        gb_value(b, elem);
        return;
    }
    b->depth++;
    if (r >= 1 && r <= 4 && elem == WASM_FUNCREF) {
        /* Any function, imported ones included: the declarative segment
         * declares them all. */
        gb_op(b, WASM_OP_REF_FUNC), gb_u32(b, gen_below(b->s, gen_func_count(m)));
    } else if (r >= 1 && r <= 4 && m->host_func[GEN_HOST_EXT] != UINT32_MAX) {
        gb_value(b, WASM_I32);
        gb_op(b, WASM_OP_CALL), gb_u32(b, m->host_func[GEN_HOST_EXT]);
    } else if (r >= 1 && r <= 4) {
        /* No ext to call: the externrefs the caller passed, if any. */
        gen_ref_leaf(b, elem);
    } else if (r >= 5 && r <= 7) {
        /* References are asked for often (arguments, locals, results),
         * so gets mostly stay in bounds; an empty table (table 2 may
         * start so) mostly gives null instead. */
        uint32_t t = table_of(b, elem);
        if (m->table_min[t] == 0 && !gen_chance(b->s, 25)) {
            gb_op(b, WASM_OP_REF_NULL), gb_byte(b, elem);
        } else {
            if (m->table_min[t] > 0 && gen_chance(b->s, 70))
                gb_i32(b, gen_below(b->s, m->table_min[t]));
            else
                gen_table_index(b, t);
            gb_op(b, WASM_OP_TABLE_GET), gb_u32(b, t);
        }
    } else if (r == 8) {
        gen_ref(b, elem);
        gen_ref(b, elem);
        gb_value(b, WASM_I32);
        gb_op(b, WASM_OP_SELECT_T), gb_u32(b, 1), gb_byte(b, elem);
    } else {
        gb_op(b, WASM_OP_REF_NULL), gb_byte(b, elem);
    }
    b->depth--;
}

void gen_ref_leaf(body *b, uint8_t elem) {
    const gen_mod *m = b->m;
    uint32_t t = table_of(b, elem), param = NO_LOCAL;
    /* A parameter (the caller's reference, often not null): externrefs
     * have few other sources when the host's ext is not imported. */
    for (uint32_t i = 0; i < b->nparams; i++)
        if (b->local_type[i] == elem) param = i;
    if (param != NO_LOCAL && gen_chance(b->s, 40)) {
        gb_op(b, WASM_OP_LOCAL_GET), gb_u32(b, param);
    } else if (elem == WASM_FUNCREF && gen_chance(b->s, 70)) {
        gb_op(b, WASM_OP_REF_FUNC), gb_u32(b, gen_below(b->s, gen_func_count(m)));
    } else if (elem == WASM_EXTERNREF && m->host_func[GEN_HOST_EXT] != UINT32_MAX && gen_chance(b->s, 70)) {
        gb_i32(b, gen_below(b->s, 64));
        gb_op(b, WASM_OP_CALL), gb_u32(b, m->host_func[GEN_HOST_EXT]);
    } else if (m->table_min[t] > 0) {
        gb_i32(b, gen_below(b->s, m->table_min[t]));
        gb_op(b, WASM_OP_TABLE_GET), gb_u32(b, t);
    } else {
        gb_op(b, WASM_OP_REF_NULL), gb_byte(b, elem);
    }
}

static uint8_t random_elem(body *b) { return gen_chance(b->s, 60) ? WASM_FUNCREF : WASM_EXTERNREF; }

/* A passive or active element segment of type elem (active ones act as
 * dropped after instantiation), or UINT32_MAX when there is none. */
static uint32_t segment_of(body *b, uint8_t elem) {
    uint32_t candidates[GEN_MAX_SEGS], n = 0;
    for (uint32_t i = 0; i < b->m->nsegs; i++)
        if (b->m->segs[i].elem == elem) candidates[n++] = i;
    return n ? candidates[gen_below(b->s, n)] : UINT32_MAX;
}

/* A random imported function (the host's or the other instance's) for
 * numeric code: its index, or UINT32_MAX when the draw was ext, whose
 * externref result only gen_ref consumes. */
static uint32_t random_import_func(body *b) {
    const gen_mod *m = b->m;
    uint32_t pick = gen_below(b->s, m->func_base);
    /* ext returns an externref: gen_ref calls it, not the numeric code. */
    return pick == m->host_func[GEN_HOST_EXT] ? UINT32_MAX : pick;
}

/* A call of imported function f; leaves its results. */
static const gen_type *call_import(body *b, uint32_t f) {
    const gen_type *t = &b->m->types[gen_func_type_of(b->m, f)];
    gb_values(b, t->t, t->nparams);
    gb_op(b, WASM_OP_CALL), gb_u32(b, f);
    return t;
}

/* An imported global of type t (mutable when `writable`): its index, or
 * UINT32_MAX. */
static uint32_t imported_global(body *b, uint8_t t, bool writable) {
    uint32_t g = 0;
    for (uint32_t i = 0; i < b->m->nimports; i++) {
        const gen_import *im = &b->m->imports[i];
        if (im->kind != WASM_EXTERN_GLOBAL) continue;
        if (im->type == t && (im->mut || !writable)) return g;
        g++;
    }
    return UINT32_MAX;
}

/* call_indirect through table 0 or 1 with the type of any function,
 * imported ones included (table.set and table.init put those in the
 * tables); leaves the results. */
static const gen_type *call_indirect_any(body *b) {
    const gen_mod *m = b->m;
    uint32_t type = gen_func_type_of(m, gen_below(b->s, gen_func_count(m)));
    uint32_t tab = gen_below(b->s, 2);
    const gen_type *t = &m->types[type];
    gb_values(b, t->t, t->nparams);
    gen_table_index(b, tab);
    gb_op(b, WASM_OP_CALL_INDIRECT), gb_u32(b, type), gb_u32(b, tab);
    return t;
}

void gen_ref_stmt(body *b) {
    const gen_mod *m = b->m;
    switch (gen_below(b->s, 13)) {
    case 11:
    case 12:
        /* The results may be externrefs: dropped, they need no home. */
        gb_drop(b, call_indirect_any(b)->nresults);
        break;
    case 0: {
        uint8_t elem = random_elem(b);
        uint32_t t = table_of(b, elem);
        gen_table_index(b, t);
        gen_ref(b, elem);
        gb_op(b, WASM_OP_TABLE_SET), gb_u32(b, t);
        break;
    }
    case 1: {
        uint8_t elem = random_elem(b);
        uint32_t t = table_of(b, elem);
        gen_table_index(b, t);
        gen_ref(b, elem);
        gb_count(b, 6);
        gb_op(b, WASM_OP_TABLE_FILL), gb_u32(b, t);
        break;
    }
    case 2: {
        uint8_t elem = random_elem(b);
        uint32_t dst = table_of(b, elem), src = table_of(b, elem);
        gen_table_index(b, dst);
        gen_table_index(b, src);
        gb_count(b, 6);
        gb_op(b, WASM_OP_TABLE_COPY), gb_u32(b, dst), gb_u32(b, src);
        break;
    }
    case 3: {
        uint8_t elem = random_elem(b);
        uint32_t seg = segment_of(b, elem), t = table_of(b, elem);
        if (seg == UINT32_MAX) break;
        gen_table_index(b, t);
        gb_i32(b, gen_below(b->s, m->segs[seg].len + 2));
        gb_count(b, m->segs[seg].len + 2);
        gb_op(b, WASM_OP_TABLE_INIT), gb_u32(b, seg), gb_u32(b, t);
        break;
    }
    case 4:
        /* Rare, so that most table.init calls still see the contents. */
        if (m->nsegs && gen_chance(b->s, 30)) gb_op(b, WASM_OP_ELEM_DROP), gb_u32(b, gen_below(b->s, m->nsegs));
        break;
    case 5: {
        uint8_t elem = random_elem(b);
        uint32_t t = table_of(b, elem);
        gen_ref(b, elem);
        gb_count(b, 4);
        gb_op(b, WASM_OP_TABLE_GROW), gb_u32(b, t);
        gb_op(b, WASM_OP_DROP);
        break;
    }
    case 6: {
        /* memory.init from the passive data segment 1 (0, active, acts
         * as dropped: only a zero-length init at offset 0 succeeds). */
        uint32_t seg = gen_chance(b->s, 85) ? 1 : 0;
        gb_i32(b, gen_below(b->s, 600));
        gb_i32(b, gen_below(b->s, m->passive_data_len + 3));
        gb_count(b, m->passive_data_len + 3);
        gb_op(b, WASM_OP_MEMORY_INIT), gb_u32(b, seg), gb_byte(b, 0);
        break;
    }
    case 7:
        if (gen_chance(b->s, 30)) gb_op(b, WASM_OP_DATA_DROP), gb_u32(b, gen_below(b->s, 2));
        break;
    case 8:
    case 9: {
        uint32_t f = m->func_base ? random_import_func(b) : UINT32_MAX;
        if (f == UINT32_MAX) break;
        gb_drop(b, call_import(b, f)->nresults);
        break;
    }
    default: {
        uint8_t t = gen_valtypes[gen_below(b->s, GEN_NUM_TYPES)];
        uint32_t g = imported_global(b, t, true);
        if (g == UINT32_MAX) break;
        gb_value(b, t);
        gb_op(b, WASM_OP_GLOBAL_SET), gb_u32(b, g);
        break;
    }
    }
}

bool gen_ref_value(body *b, uint8_t t) {
    const gen_mod *m = b->m;
    uint32_t r = gen_below(b->s, 6);
    if (r == 0 && m->func_base) {
        uint32_t f = random_import_func(b);
        if (f == UINT32_MAX) return false;
        const gen_type *ft = &m->types[gen_func_type_of(m, f)];
        for (uint32_t k = 0; k < ft->nresults; k++) {
            if (ft->t[ft->nparams + k] != t) continue;
            call_import(b, f);
            gb_keep_only(b, ft->t + ft->nparams, ft->nresults, k);
            return true;
        }
        return false;
    }
    if (r == 1) {
        uint32_t g = imported_global(b, t, false);
        if (g == UINT32_MAX) return false;
        gb_op(b, WASM_OP_GLOBAL_GET), gb_u32(b, g);
        return true;
    }
    if (t != WASM_I32) return false;
    switch (r) {
    case 2: {
        uint8_t elem = random_elem(b);
        if (gen_chance(b->s, 50)) gb_value(b, elem); else gen_ref(b, elem);
        gb_op(b, WASM_OP_REF_IS_NULL);
        return true;
    }
    case 3: gb_op(b, WASM_OP_TABLE_SIZE), gb_u32(b, gen_below(b->s, GEN_NUM_TABLES)); return true;
    case 4: {
        uint8_t elem = random_elem(b);
        uint32_t tab = table_of(b, elem);
        gen_ref(b, elem);
        gb_count(b, 4);
        gb_op(b, WASM_OP_TABLE_GROW), gb_u32(b, tab);
        return true;
    }
    default: {
        /* i32 from a host import that takes and gives i32 (mix takes an
         * i64 too): trap's multiple-of-4 inputs and callback's re-entry. */
        static const int hosts[] = {GEN_HOST_MIX, GEN_HOST_TRAP, GEN_HOST_CALLBACK};
        int h = hosts[gen_below(b->s, 3)];
        if (m->host_func[h] == UINT32_MAX) return false;
        call_import(b, m->host_func[h]);
        return true;
    }
    }
}
