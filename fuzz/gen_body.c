/*
 * gen_body.c — random function bodies that validate by construction.
 *
 * The generator is recursive over what the validator checks: gen_value(t)
 * writes code that leaves exactly one more t on the operand stack, gen_stmt
 * writes code that leaves it as it was, and a stack of control frames
 * mirrors the validator's (its label types, and for loops the counter that
 * bounds them). After br, br_table, return or unreachable the validator's
 * stack becomes polymorphic: what the generator then writes still has the
 * types it claims, so it validates as dead code, which the engine's
 * compiler must handle too.
 *
 * References are values like the others: gen_value(funcref or externref)
 * makes one in place (gen_refs.c's gen_ref) or moves one through locals,
 * globals, typed select, blocks, calls and branches; functions, blocks and
 * locals take the reference types too (gen_random_valtype). The scratch
 * locals of the reference types are declared only when first used.
 *
 * Every run ends: a branch to a loop label is only written inside
 * `if (counter) { counter -= 1; branch }`, with a counter local per loop
 * (reserved: nothing else writes it) set just before the loop. Recursion is
 * left to the call-depth limit and fuel.
 *
 * Floats: the specification lets an arithmetic NaN have any sign and
 * payload, so two correct engines may disagree on its bits. Where bits
 * become observable beyond "is NaN" — stored to memory, reinterpreted as an
 * integer, or the sign operand of copysign — the operand comes from
 * gen_exact, which only writes forms whose bits are determined (constants,
 * loads, neg/abs/copysign of such, conversions from integers). Results and
 * globals are compared with NaNs made canonical (diff_run.c).
 *
 * v128 is a value type like the others in a SIMD module (gen_mod.simd):
 * locals, globals, parameters, results, block types, branches, select and
 * calls carry it, and gen_simd.c writes the vector instructions, with the
 * same rule for the NaNs of float lanes (gen_exact(v128) is gen_simd_exact).
 */
#include "gen_body.h"

#include <stdlib.h>
#include <string.h>

static void gen_value(body *b, uint8_t t);
static void gen_stmt(body *b);

/* ------------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------------ */

static void byte(body *b, uint8_t v) { gen_put_byte(b->m, b->code, v); }
static void u32(body *b, uint32_t v) { gen_put_u32(b->m, b->code, v); }

static void op(body *b, wasm_op o) {
    uint32_t code = wasm_opinfos[o].code;
    if (b->m->counts) b->m->counts->ops[o]++;
    if (code >= 0xFD000) {
        byte(b, 0xFD);
        u32(b, code & 0xFFFu);
    } else if (code >= 0xFC00) {
        byte(b, 0xFC);
        u32(b, code & 0xFFu);
    } else {
        byte(b, (uint8_t)code);
    }
}

/* t's index in gen_valtypes: the numeric types first, then funcref and
 * externref. */
static uint32_t type_slot(uint8_t t) {
    for (uint32_t i = 0; i < GEN_NUM_ALL_TYPES; i++)
        if (gen_valtypes[i] == t) return i;
    return 0;
}

static uint8_t random_valtype(body *b) { return gen_random_valtype(b->s, b->m->simd); }

static void emit_const_bits(body *b, uint8_t t, uint64_t bits) {
    switch (t) {
    case WASM_I32: op(b, WASM_OP_I32_CONST), gen_put_s32(b->m, b->code, (int32_t)(uint32_t)bits); return;
    case WASM_I64: op(b, WASM_OP_I64_CONST), gen_put_s64(b->m, b->code, (int64_t)bits); return;
    case WASM_F32: {
        op(b, WASM_OP_F32_CONST);
        for (int i = 0; i < 4; i++) byte(b, (uint8_t)(bits >> (8 * i)));
        return;
    }
    case WASM_F64: {
        op(b, WASM_OP_F64_CONST);
        for (int i = 0; i < 8; i++) byte(b, (uint8_t)(bits >> (8 * i)));
        return;
    }
    }
}

/* A constant of type t: for a reference, ref.null. */
static void emit_const(body *b, uint8_t t) {
    if (gen_is_ref(t)) {
        op(b, WASM_OP_REF_NULL), byte(b, t);
        return;
    }
    if (t == WASM_V128) {
        uint8_t bytes[16];
        gen_v128_constant(b->s, bytes);
        op(b, WASM_OP_V128_CONST);
        gen_put_bytes(b->m, b->code, bytes, sizeof bytes);
        return;
    }
    emit_const_bits(b, t, gen_constant_bits(b->s, t));
}
static void emit_i32(body *b, uint32_t v) { emit_const_bits(b, WASM_I32, v); }

/* ------------------------------------------------------------------------
 * Locals, frames, block types
 * ------------------------------------------------------------------------ */

/* A new local of type t, or NO_LOCAL when there are MAX_LOCALS. Reserved
 * ones (loop counters) leave room for the scratch locals of the two
 * reference types and v128, which are added on first use. */
static uint32_t add_local(body *b, uint8_t t, bool reserved) {
    if (b->nlocals >= MAX_LOCALS - (reserved ? 3u : 0u)) return NO_LOCAL;
    b->local_type[b->nlocals] = t;
    b->reserved[b->nlocals] = reserved;
    return b->nlocals++;
}

/* The scratch local of type t: the numeric ones exist from the start, a
 * reference or v128 one is added when first needed (so that a function
 * with no reference or vector code declares no such local). */
static uint32_t scratch_local(body *b, uint8_t t) {
    uint32_t *slot = &b->scratch[type_slot(t)];
    if (*slot == NO_LOCAL) *slot = add_local(b, t, false);
    return *slot;
}

/* A random local of type t that nothing reserved (a scratch one at least). */
static uint32_t random_local(body *b, uint8_t t) {
    uint32_t candidates = 0;
    for (uint32_t i = 0; i < b->nlocals; i++) candidates += b->local_type[i] == t && !b->reserved[i];
    uint32_t pick = gen_below(b->s, candidates);
    for (uint32_t i = 0; i < b->nlocals; i++)
        if (b->local_type[i] == t && !b->reserved[i] && pick-- == 0) return i;
    return scratch_local(b, t);
}

/* The label index of frame i from where code is now. */
static uint32_t label_of(const body *b, uint32_t i) { return b->nframes - 1 - i; }

static bool same_label(const frame *a, const frame *c) {
    return a->nlabel == c->nlabel && memcmp(a->label, c->label, a->nlabel) == 0;
}

/* A random frame that may be branched to freely (not a loop: branching
 * back needs the counter guard). The function's frame always qualifies. */
static uint32_t random_forward_frame(body *b) {
    uint32_t candidates = 0;
    for (uint32_t i = 0; i < b->nframes; i++) candidates += b->frames[i].kind != FR_LOOP;
    uint32_t pick = gen_below(b->s, candidates);
    for (uint32_t i = 0; i < b->nframes; i++)
        if (b->frames[i].kind != FR_LOOP && pick-- == 0) return i;
    return 0;
}

/* A block signature params -> results; false when it needs a type index
 * and the type table is full (the caller then asks for less). */
typedef struct blocksig {
    uint8_t params[2], results[GEN_MAX_RESULTS];
    uint32_t np, nr;
    uint32_t type_index; /* when np > 0 or nr > 1 */
} blocksig;

static bool intern_sig(body *b, blocksig *sig) {
    if (sig->np == 0 && sig->nr <= 1) return true;
    sig->type_index = gen_intern_type(b->m, sig->params, sig->np, sig->results, sig->nr);
    return sig->type_index != UINT32_MAX;
}

static void emit_blocktype(body *b, const blocksig *sig) {
    if (sig->np == 0 && sig->nr == 0)
        byte(b, 0x40);
    else if (sig->np == 0 && sig->nr == 1)
        byte(b, sig->results[0]);
    else
        gen_put_s64(b->m, b->code, sig->type_index); /* s33 */
}

/* A random signature; with want != 0, one whose results hold a `want` at
 * *k. Falls back to [] -> [want] (or [] -> []) when types run out. */
static blocksig random_sig(body *b, uint8_t want, uint32_t *k) {
    blocksig sig = {.np = gen_below(b->s, 3), .nr = gen_below(b->s, GEN_MAX_RESULTS)};
    if (want && sig.nr == 0) sig.nr = 1;
    for (uint32_t i = 0; i < sig.np; i++) sig.params[i] = random_valtype(b);
    for (uint32_t i = 0; i < sig.nr; i++) sig.results[i] = random_valtype(b);
    if (want) {
        *k = gen_below(b->s, sig.nr);
        sig.results[*k] = want;
    }
    if (!intern_sig(b, &sig)) {
        sig = (blocksig){.nr = want ? 1 : 0, .results = {want}};
        if (want) *k = 0;
    }
    return sig;
}

/* ------------------------------------------------------------------------
 * Stack shuffling
 * ------------------------------------------------------------------------ */

static void gen_values(body *b, const uint8_t *types, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) gen_value(b, types[i]);
}

static void drop_n(body *b, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) op(b, WASM_OP_DROP);
}

/* With types[0..n) on the stack, keeps only types[k]. */
static void keep_only(body *b, const uint8_t *types, uint32_t n, uint32_t k) {
    drop_n(b, n - 1 - k);
    if (k == 0) return;
    uint32_t scratch = scratch_local(b, types[k]);
    op(b, WASM_OP_LOCAL_SET), u32(b, scratch);
    drop_n(b, k);
    op(b, WASM_OP_LOCAL_GET), u32(b, scratch);
}

/* ------------------------------------------------------------------------
 * Memory operands
 * ------------------------------------------------------------------------ */

/* An address: mostly in bounds near the data segment, sometimes at the
 * ends of the current or a grown memory, sometimes anything at all. */
static void gen_addr(body *b) {
    uint32_t how = gen_below(b->s, 100);
    if (how < 97) {
        uint32_t region = gen_below(b->s, 40), page = 65536;
        uint32_t addr = region < 38 ? gen_below(b->s, 512)
                        : region == 38 ? b->m->mem_min * page - 1 - gen_below(b->s, 16)
                                       : (b->m->mem_min + 1) * page - 1 - gen_below(b->s, 16);
        emit_i32(b, addr);
    } else if (how < 99) {
        gen_value(b, WASM_I32);
    } else {
        emit_const(b, WASM_I32);
    }
}

/* A length for memory.fill/copy, or a delta for memory.grow: small mostly. */
static void gen_count(body *b, uint32_t small) {
    uint32_t how = gen_below(b->s, 20);
    if (how < 18)
        emit_i32(b, gen_below(b->s, small));
    else if (how < 19)
        emit_const(b, WASM_I32);
    else
        gen_value(b, WASM_I32);
}

/* The access width in bytes of a load or store, from its name: the bits
 * after "load"/"store" when the access is narrower than the value
 * ("i64.load16_s" -> 2, "v128.store8_lane" -> 1), lanes times bits for
 * the extending vector loads ("v128.load16x4_s" -> 8), otherwise the
 * value's own width ("f64.store" -> 8, "v128.load" -> 16). */
static uint32_t access_bytes(wasm_op o) {
    const char *name = wasm_opinfos[o].name;
    const char *p = strstr(name, "load");
    p = p ? p + 4 : strstr(name, "store") + 5;
    char *end;
    uint32_t bits = (uint32_t)strtoul(p, &end, 10);
    if (bits && *end == 'x') bits *= (uint32_t)strtoul(end + 1, NULL, 10);
    if (bits) return bits / 8;
    if (name[0] == 'v') return 16;
    return name[1] == '3' ? 4 : 8; /* i32/f32 or i64/f64 */
}

static void emit_memarg(body *b, wasm_op o) {
    uint32_t max_align = 0;
    for (uint32_t w = access_bytes(o); w > 1; w >>= 1) max_align++;
    u32(b, gen_below(b->s, max_align + 1));
    uint32_t how = gen_below(b->s, 100), offset = 0;
    if (how >= 60 && how < 98) offset = gen_below(b->s, 64);
    if (how == 98) offset = 65536u * gen_below(b->s, 3) - gen_below(b->s, 8); /* near a page end; may wrap */
    if (how == 99) offset = UINT32_MAX - gen_below(b->s, 8);
    u32(b, offset);
}

/* ------------------------------------------------------------------------
 * Values whose bits are determined (see the top of the file)
 * ------------------------------------------------------------------------ */

static bool stop_here(const body *b) { return b->budget <= 0 || b->depth >= MAX_DEPTH; }

static void gen_exact(body *b, uint8_t t) {
    if (t == WASM_I32 || t == WASM_I64) {
        gen_value(b, t);
        return;
    }
    if (t == WASM_V128) {
        gen_simd_exact(b);
        return;
    }
    b->budget--;
    if (stop_here(b)) {
        emit_const(b, t);
        return;
    }
    bool f32 = t == WASM_F32;
    b->depth++;
    if (b->m->simd && gen_chance(b->s, 10)) {
        gen_simd_exact_scalar(b, t); /* a lane of a determined v128 */
        b->depth--;
        return;
    }
    switch (gen_below(b->s, 9)) {
    case 3: {
        wasm_op load = f32 ? WASM_OP_F32_LOAD : WASM_OP_F64_LOAD;
        gen_addr(b);
        op(b, load);
        emit_memarg(b, load);
        break;
    }
    case 4:
        gen_exact(b, t);
        op(b, gen_chance(b->s, 50) ? (f32 ? WASM_OP_F32_NEG : WASM_OP_F64_NEG) : (f32 ? WASM_OP_F32_ABS : WASM_OP_F64_ABS));
        break;
    case 5:
        gen_exact(b, t);
        gen_exact(b, t);
        op(b, f32 ? WASM_OP_F32_COPYSIGN : WASM_OP_F64_COPYSIGN);
        break;
    case 6:
        gen_value(b, f32 ? WASM_I32 : WASM_I64);
        op(b, f32 ? WASM_OP_F32_REINTERPRET_I32 : WASM_OP_F64_REINTERPRET_I64);
        break;
    case 7: {
        static const wasm_op to_f32[] = {WASM_OP_F32_CONVERT_I32_S, WASM_OP_F32_CONVERT_I32_U,
                                         WASM_OP_F32_CONVERT_I64_S, WASM_OP_F32_CONVERT_I64_U};
        static const wasm_op to_f64[] = {WASM_OP_F64_CONVERT_I32_S, WASM_OP_F64_CONVERT_I32_U,
                                         WASM_OP_F64_CONVERT_I64_S, WASM_OP_F64_CONVERT_I64_U};
        uint32_t which = gen_below(b->s, 4);
        gen_value(b, which < 2 ? WASM_I32 : WASM_I64);
        op(b, f32 ? to_f32[which] : to_f64[which]);
        break;
    }
    case 8:
        gen_exact(b, t);
        gen_exact(b, t);
        gen_value(b, WASM_I32);
        op(b, WASM_OP_SELECT);
        break;
    default: emit_const(b, t); break;
    }
    b->depth--;
}

/* Whether operand j of numeric instruction o must have determined bits. */
static bool operand_must_be_exact(wasm_op o, uint32_t j) {
    switch (o) {
    case WASM_OP_I32_REINTERPRET_F32:
    case WASM_OP_I64_REINTERPRET_F64: return true;
    case WASM_OP_F32_COPYSIGN:
    case WASM_OP_F64_COPYSIGN: return j == 1;
    default: return false;
    }
}

/* ------------------------------------------------------------------------
 * Control
 * ------------------------------------------------------------------------ */

/* The inside of a block whose params are on the stack: leaves its results.
 * Params are either passed through untouched (when they equal the
 * results), or taken off into locals or dropped. */
static void gen_block_body(body *b, const blocksig *sig) {
    bool pass_through = sig->np == sig->nr && memcmp(sig->params, sig->results, sig->np) == 0;
    if (!pass_through || gen_chance(b->s, 50)) {
        for (uint32_t i = sig->np; i-- > 0;) {
            if (gen_chance(b->s, 50)) {
                op(b, WASM_OP_LOCAL_SET);
                u32(b, random_local(b, sig->params[i]));
            } else {
                op(b, WASM_OP_DROP);
            }
        }
        pass_through = false;
    }
    for (uint32_t n = gen_below(b->s, 5); n > 0; n--) gen_stmt(b);
    if (!pass_through) gen_values(b, sig->results, sig->nr);
}

/* block, loop or if with signature sig, its params generated first; leaves
 * the results. A loop gets a fresh counter (or becomes a block when the
 * locals run out). */
static void gen_structured(body *b, uint8_t kind, const blocksig *sig) {
    frame fr = {.kind = kind, .counter = NO_LOCAL};
    if (kind == FR_LOOP) {
        fr.counter = add_local(b, WASM_I32, true);
        if (fr.counter == NO_LOCAL) {
            fr.kind = kind = FR_BLOCK;
        } else {
            emit_i32(b, gen_below(b->s, 4)); /* back-edges allowed */
            op(b, WASM_OP_LOCAL_SET), u32(b, fr.counter);
        }
    }
    gen_values(b, sig->params, sig->np);
    if (kind == FR_IF) gen_value(b, WASM_I32);
    op(b, kind == FR_BLOCK ? WASM_OP_BLOCK : kind == FR_LOOP ? WASM_OP_LOOP : WASM_OP_IF);
    emit_blocktype(b, sig);
    if (kind == FR_LOOP) {
        fr.nlabel = (uint8_t)sig->np;
        memcpy(fr.label, sig->params, sig->np);
    } else {
        fr.nlabel = (uint8_t)sig->nr;
        memcpy(fr.label, sig->results, sig->nr);
    }
    b->frames[b->nframes++] = fr;
    gen_block_body(b, sig);
    bool else_needed = sig->np != sig->nr || memcmp(sig->params, sig->results, sig->np) != 0;
    if (kind == FR_IF && (else_needed || gen_chance(b->s, 60))) {
        op(b, WASM_OP_ELSE);
        gen_block_body(b, sig);
    }
    op(b, WASM_OP_END);
    b->nframes--;
}

static uint8_t random_kind(body *b) {
    static const uint8_t kinds[] = {FR_BLOCK, FR_LOOP, FR_IF};
    return kinds[gen_below(b->s, 3)];
}

/* br_table to frame `target`'s label and others taking the same values
 * (forward ones, and `also`, a guarded loop, when not NO_FRAME); the label
 * values are generated first. */
static void gen_br_table(body *b, uint32_t target, uint32_t also) {
    const frame *t = &b->frames[target];
    uint32_t same[MAX_FRAMES], nsame = 0;
    for (uint32_t i = 0; i < b->nframes; i++)
        if ((b->frames[i].kind != FR_LOOP || i == also) && same_label(&b->frames[i], t)) same[nsame++] = i;
    gen_values(b, t->label, t->nlabel);
    uint32_t ntargets = gen_below(b->s, 5);
    if (gen_chance(b->s, 70)) emit_i32(b, gen_below(b->s, ntargets + 2)); else gen_value(b, WASM_I32);
    op(b, WASM_OP_BR_TABLE);
    u32(b, ntargets);
    for (uint32_t i = 0; i < ntargets; i++) u32(b, label_of(b, same[gen_below(b->s, nsame)]));
    u32(b, label_of(b, target));
}

/* `if (counter) { counter -= 1; branch back to the loop }`, the branch
 * being br, br_if or br_table. */
static void gen_loop_branch(body *b) {
    uint32_t loops[MAX_FRAMES], nloops = 0;
    for (uint32_t i = 0; i < b->nframes; i++)
        if (b->frames[i].kind == FR_LOOP) loops[nloops++] = i;
    if (nloops == 0) return;
    uint32_t target = loops[gen_below(b->s, nloops)];
    uint32_t counter = b->frames[target].counter;
    op(b, WASM_OP_LOCAL_GET), u32(b, counter);
    op(b, WASM_OP_IF), byte(b, 0x40);
    b->frames[b->nframes++] = (frame){.kind = FR_IF, .counter = NO_LOCAL};
    op(b, WASM_OP_LOCAL_GET), u32(b, counter);
    emit_i32(b, 1);
    op(b, WASM_OP_I32_SUB);
    op(b, WASM_OP_LOCAL_SET), u32(b, counter);
    const frame *loop = &b->frames[target];
    switch (gen_below(b->s, 3)) {
    case 0:
        gen_values(b, loop->label, loop->nlabel);
        op(b, WASM_OP_BR), u32(b, label_of(b, target));
        break;
    case 1:
        gen_values(b, loop->label, loop->nlabel);
        gen_value(b, WASM_I32);
        op(b, WASM_OP_BR_IF), u32(b, label_of(b, target));
        drop_n(b, loop->nlabel);
        break;
    default: gen_br_table(b, target, target); break;
    }
    op(b, WASM_OP_END);
    b->nframes--;
}

/* A direct callee from a random draw k: mostly a later function, so that
 * most calls return rather than recurse until the depth limit; sometimes
 * any function, itself included. */
static uint32_t direct_callee(body *b, uint32_t k) {
    uint32_t later = b->m->nfuncs - 1 - b->func;
    if (later == 0 || gen_chance(b->s, 15)) return k;
    return b->func + 1 + k % later;
}

/* What a call calls: for call, a function; for call_indirect, a type and
 * the table slot (NO_SLOT: an index computed at run time). */
typedef struct callee {
    bool indirect;
    uint32_t index; /* function index, or type index */
    uint32_t slot;
    const gen_type *type;
} callee;

/* A direct callee from draw k. */
static callee direct(body *b, uint32_t k) {
    callee c = {.index = direct_callee(b, k), .slot = NO_SLOT};
    c.type = &b->m->types[b->m->func_type[c.index]];
    return c;
}

/* An indirect callee from draw k: usually a filled slot with its
 * function's type, so the call goes through; otherwise any function's type
 * or the decoy with any slot (a mismatch, a null element, or one past the
 * end of the table). */
static callee indirect(body *b, uint32_t k) {
    const gen_mod *m = b->m;
    callee c = {.indirect = true, .slot = NO_SLOT};
    if (m->elem_count > 0 && !gen_chance(b->s, 25)) {
        uint32_t i = k % m->elem_count;
        c.slot = m->elem_offset + i;
        c.index = m->func_type[m->elem_funcs[i]];
    } else {
        c.index = k % (m->nfuncs + 1) < m->nfuncs ? m->func_type[k % (m->nfuncs + 1)] : m->decoy_type;
        c.slot = gen_chance(b->s, 90) ? gen_below(b->s, m->table_size + 1) : NO_SLOT;
    }
    c.type = &m->types[c.index];
    return c;
}

/* call or call_indirect with its arguments; leaves the callee's results. */
static void gen_call(body *b, const callee *c) {
    gen_values(b, c->type->t, c->type->nparams);
    if (!c->indirect) {
        op(b, WASM_OP_CALL), u32(b, b->m->func_base + c->index);
        return;
    }
    if (c->slot != NO_SLOT)
        emit_i32(b, c->slot);
    else
        gen_value(b, WASM_I32);
    op(b, WASM_OP_CALL_INDIRECT), u32(b, c->index), u32(b, 0);
}

/* ------------------------------------------------------------------------
 * Statements: leave the stack as they found it
 * ------------------------------------------------------------------------ */

static void gen_stmt(body *b) {
    b->budget--;
    if (stop_here(b)) return;
    b->depth++;
    /* 100 and up: tables, references, passive segments, imports. */
    uint32_t r = b->m->simd && gen_chance(b->s, 8) ? UINT32_MAX : gen_below(b->s, 115);
    if (r == UINT32_MAX) {
        gen_simd_stmt(b);
    } else if (r < 18) {
        uint8_t t = random_valtype(b);
        gen_value(b, t);
        op(b, WASM_OP_LOCAL_SET), u32(b, random_local(b, t));
    } else if (r < 26) {
        uint32_t g = gen_below(b->s, b->m->nglobals);
        gen_value(b, gen_global_type(g));
        op(b, WASM_OP_GLOBAL_SET), u32(b, b->m->global_base + g);
    } else if (r < 40) {
        wasm_op store = b->stores[gen_below(b->s, b->nstores)];
        gen_addr(b);
        gen_exact(b, wasm_opinfos[store].params[1]);
        op(b, store);
        emit_memarg(b, store);
    } else if (r < 46) {
        gen_value(b, random_valtype(b));
        op(b, WASM_OP_DROP);
    } else if (r < 60) {
        if (b->nframes < MAX_NEST) {
            uint8_t kind = random_kind(b);
            blocksig sig = random_sig(b, 0, NULL);
            gen_structured(b, kind, &sig);
            drop_n(b, sig.nr);
        }
    } else if (r < 65) {
        const frame *f = &b->frames[random_forward_frame(b)];
        uint32_t label = label_of(b, (uint32_t)(f - b->frames));
        gen_values(b, f->label, f->nlabel);
        gen_value(b, WASM_I32);
        op(b, WASM_OP_BR_IF), u32(b, label);
        drop_n(b, f->nlabel);
    } else if (r < 72) {
        if (b->nframes < MAX_FRAMES) gen_loop_branch(b);
    } else if (r < 74) {
        gen_br_table(b, random_forward_frame(b), NO_FRAME);
    } else if (r < 75) {
        const frame *f = &b->frames[random_forward_frame(b)];
        gen_values(b, f->label, f->nlabel);
        op(b, WASM_OP_BR), u32(b, label_of(b, (uint32_t)(f - b->frames)));
    } else if (r < 87) {
        uint32_t k = gen_below(b->s, 64);
        callee c = r < 84 ? direct(b, k % b->m->nfuncs) : indirect(b, k);
        gen_call(b, &c);
        drop_n(b, c.type->nresults);
    } else if (r < 92) {
        bool fill = gen_chance(b->s, 50);
        gen_addr(b);
        if (fill) gen_value(b, WASM_I32); else gen_addr(b);
        gen_count(b, 64);
        op(b, fill ? WASM_OP_MEMORY_FILL : WASM_OP_MEMORY_COPY);
        if (!fill) byte(b, 0);
        byte(b, 0);
    } else if (r < 95) {
        gen_count(b, 3);
        op(b, WASM_OP_MEMORY_GROW), byte(b, 0);
        op(b, WASM_OP_DROP);
    } else if (r < 96) {
        gen_values(b, b->ft->t + b->ft->nparams, b->ft->nresults);
        op(b, WASM_OP_RETURN);
    } else if (r < 97 && gen_chance(b->s, 20)) {
        op(b, WASM_OP_UNREACHABLE);
    } else if (r >= 97) {
        gen_ref_stmt(b);
    } else {
        op(b, WASM_OP_NOP);
    }
    b->depth--;
}

/* ------------------------------------------------------------------------
 * Values: leave one more value of type t
 * ------------------------------------------------------------------------ */

static bool is_division(wasm_op o) {
    return (o >= WASM_OP_I32_DIV_S && o <= WASM_OP_I32_REM_U) || (o >= WASM_OP_I64_DIV_S && o <= WASM_OP_I64_REM_U);
}

static void gen_numeric(body *b, uint8_t t) {
    if (t == WASM_V128) {
        gen_simd_v128(b);
        return;
    }
    /* In a SIMD module, scalars come from vector instructions too. */
    if (b->m->simd && gen_chance(b->s, 12) && gen_simd_scalar(b, t)) return;
    uint32_t slot = type_slot(t);
    wasm_op o = b->arith[slot][gen_below(b->s, b->narith[slot])];
    const wasm_opinfo *info = &wasm_opinfos[o];
    for (uint32_t j = 0; j < info->nparams; j++) {
        if (operand_must_be_exact(o, j))
            gen_exact(b, info->params[j]);
        else
            gen_value(b, info->params[j]);
    }
    /* Locals start at zero, so most divisors would be 0 and most divisions
     * would trap: usually make the divisor odd (-1 stays -1, for the
     * INT_MIN / -1 overflow). */
    if (is_division(o) && !gen_chance(b->s, 25)) {
        bool wide = info->params[1] == WASM_I64;
        emit_const_bits(b, info->params[1], 1);
        op(b, wide ? WASM_OP_I64_OR : WASM_OP_I32_OR);
    }
    op(b, o);
}

/* A value of type t left by a block, loop or if of a random signature (the
 * other results dropped); false when blocks are nested as deep as allowed. */
static bool gen_block_value(body *b, uint8_t t) {
    if (b->nframes >= MAX_NEST) return false;
    uint32_t k = 0;
    uint8_t kind = random_kind(b);
    blocksig sig = random_sig(b, t, &k);
    gen_structured(b, kind, &sig);
    keep_only(b, sig.results, sig.nr, k);
    return true;
}

/* A call (direct or not) whose results include a t, keeping only that one;
 * false when the draws found no such callee. */
static bool gen_call_value(body *b, uint8_t t, bool is_indirect) {
    for (uint32_t tries = 0; tries < 4; tries++) {
        uint32_t k = gen_below(b->s, 64);
        callee c = is_indirect ? indirect(b, k) : direct(b, k % b->m->nfuncs);
        const uint8_t *results = c.type->t + c.type->nparams;
        for (uint32_t r = 0; r < c.type->nresults; r++) {
            if (results[r] != t) continue;
            gen_call(b, &c);
            keep_only(b, results, c.type->nresults, r);
            return true;
        }
    }
    return false;
}

/* br_if to a forward label whose values include a t, keeping that one. */
static bool gen_br_if_value(body *b, uint8_t t) {
    uint32_t first = gen_below(b->s, b->nframes);
    for (uint32_t step = 0; step < b->nframes; step++) {
        const frame *f = &b->frames[(first + step) % b->nframes];
        if (f->kind == FR_LOOP) continue;
        for (uint32_t k = 0; k < f->nlabel; k++) {
            if (f->label[k] != t) continue;
            gen_values(b, f->label, f->nlabel);
            gen_value(b, WASM_I32);
            op(b, WASM_OP_BR_IF), u32(b, label_of(b, (uint32_t)(f - b->frames)));
            keep_only(b, f->label, f->nlabel, k);
            return true;
        }
    }
    return false;
}

/* A reference of type t, after gen_value spent the budget and depth:
 * made in place (gen_ref: ref.null, ref.func, the host's ext, table.get,
 * typed select), or moved through locals (local.get, local.tee), typed
 * select, blocks, calls and branches that carry references. */

static void gen_ref_operand(body *b, uint8_t t) {
    uint32_t r = gen_below(b->s, 100);
    bool done = true;
    if (r < 22) {
        gen_ref(b, t);
    } else if (r < 40) {
        op(b, WASM_OP_LOCAL_GET), u32(b, random_local(b, t));
    } else if (r < 50) {
        gen_value(b, t);
        op(b, WASM_OP_LOCAL_TEE), u32(b, random_local(b, t));
    } else if (r < 58) {
        gen_value(b, t);
        gen_value(b, t);
        gen_value(b, WASM_I32);
        op(b, WASM_OP_SELECT_T), u32(b, 1), byte(b, t);
    } else if (r < 63) {
        op(b, WASM_OP_GLOBAL_GET), u32(b, b->m->global_base + type_slot(t) * GEN_GLOBALS_PER_TYPE + gen_below(b->s, GEN_GLOBALS_PER_TYPE));
    } else if (r < 73) {
        done = gen_block_value(b, t);
    } else if (r < 82) {
        done = gen_call_value(b, t, false);
    } else if (r < 87) {
        done = gen_call_value(b, t, true);
    } else if (r < 92) {
        done = gen_br_if_value(b, t);
    } else if (r < 94) {
        const frame *f = &b->frames[random_forward_frame(b)];
        gen_values(b, f->label, f->nlabel);
        op(b, WASM_OP_BR), u32(b, label_of(b, (uint32_t)(f - b->frames)));
    } else if (r < 95) {
        gen_values(b, b->ft->t + b->ft->nparams, b->ft->nresults);
        op(b, WASM_OP_RETURN);
    } else {
        done = gen_ref_value(b, t); /* an imported function's result */
    }
    if (!done) gen_ref(b, t);
}

static void gen_value(body *b, uint8_t t) {
    b->budget--;
    if (stop_here(b)) {
        /* A reference local is often still null: for references, usually
         * a leaf that is not (function results often come from here). */
        if (gen_chance(b->s, gen_is_ref(t) ? 35 : 50)) {
            op(b, WASM_OP_LOCAL_GET), u32(b, random_local(b, t));
        } else if (gen_is_ref(t) && gen_chance(b->s, 75)) {
            gen_ref_leaf(b, t);
        } else {
            emit_const(b, t);
        }
        return;
    }
    b->depth++;
    if (gen_is_ref(t)) {
        gen_ref_operand(b, t);
        b->depth--;
        return;
    }
    uint32_t r = gen_below(b->s, 1000);
    bool done = true;
    if (r < 100) {
        emit_const(b, t);
    } else if (r < 230) {
        op(b, WASM_OP_LOCAL_GET), u32(b, random_local(b, t));
    } else if (r < 280) {
        gen_value(b, t);
        op(b, WASM_OP_LOCAL_TEE), u32(b, random_local(b, t));
    } else if (r < 330) {
        op(b, WASM_OP_GLOBAL_GET), u32(b, b->m->global_base + type_slot(t) * GEN_GLOBALS_PER_TYPE + gen_below(b->s, GEN_GLOBALS_PER_TYPE));
    } else if (r < 600) {
        gen_numeric(b, t);
    } else if (r < 680 && t == WASM_V128) {
        gen_simd_load(b);
    } else if (r < 680) {
        uint32_t slot = type_slot(t);
        wasm_op load = b->loads[slot][gen_below(b->s, b->nloads[slot])];
        gen_addr(b);
        op(b, load);
        emit_memarg(b, load);
    } else if (r < 730) {
        gen_value(b, t);
        gen_value(b, t);
        gen_value(b, WASM_I32);
        if (gen_chance(b->s, 50)) {
            op(b, WASM_OP_SELECT);
        } else {
            op(b, WASM_OP_SELECT_T), u32(b, 1), byte(b, t);
        }
    } else if (r < 790) {
        done = gen_block_value(b, t);
    } else if (r < 855) {
        done = gen_call_value(b, t, false);
    } else if (r < 870) {
        done = gen_call_value(b, t, true);
    } else if (r < 900) {
        done = gen_br_if_value(b, t);
    } else if (r < 930) {
        done = t == WASM_I32;
        if (done && gen_chance(b->s, 50)) {
            op(b, WASM_OP_MEMORY_SIZE), byte(b, 0);
        } else if (done) {
            gen_count(b, 3);
            op(b, WASM_OP_MEMORY_GROW), byte(b, 0);
        }
    } else if (r < 938) {
        /* The value is never produced: the stack is polymorphic after br. */
        const frame *f = &b->frames[random_forward_frame(b)];
        gen_values(b, f->label, f->nlabel);
        op(b, WASM_OP_BR), u32(b, label_of(b, (uint32_t)(f - b->frames)));
    } else if (r < 942) {
        gen_values(b, b->ft->t + b->ft->nparams, b->ft->nresults);
        op(b, WASM_OP_RETURN);
    } else if (r < 943) {
        op(b, WASM_OP_UNREACHABLE);
    } else if (r < 975) {
        done = gen_ref_value(b, t);
    } else if (r < 990) {
        /* ref.is_null of a reference from a local, a call, a block... */
        done = t == WASM_I32;
        if (done) {
            gen_value(b, gen_chance(b->s, 60) ? WASM_FUNCREF : WASM_EXTERNREF);
            op(b, WASM_OP_REF_IS_NULL);
        }
    } else {
        done = false;
    }
    if (!done) gen_numeric(b, t);
    b->depth--;
}

/* ------------------------------------------------------------------------
 * Functions
 * ------------------------------------------------------------------------ */

static void collect_numeric_ops(body *b) {
    for (uint32_t o = 0; o < WASM_OP_COUNT_; o++) {
        const wasm_opinfo *info = &wasm_opinfos[o];
        if (!info->numeric) continue;
        if (info->imm == WASM_IMM_NONE) {
            uint32_t slot = type_slot(info->result);
            b->arith[slot][b->narith[slot]++] = (uint16_t)o;
        } else if (info->imm == WASM_IMM_MEMARG && info->nresults == 1) {
            uint32_t slot = type_slot(info->result);
            b->loads[slot][b->nloads[slot]++] = (uint16_t)o;
        } else if (info->imm == WASM_IMM_MEMARG) {
            b->stores[b->nstores++] = (uint16_t)o;
        }
    }
}

void gen_function_body(gen_mod *m, uint32_t func, isr_buf *out) {
    body *b = calloc(1, sizeof *b);
    if (!b) {
        m->oom = true;
        return;
    }
    isr_buf code = {0};
    b->m = m;
    b->s = m->src;
    b->code = &code;
    b->func = func;
    b->ft = &m->types[m->func_type[func]];
    collect_numeric_ops(b);
    if (m->simd) gen_simd_init(b);
    b->nparams = b->ft->nparams;
    for (uint32_t i = 0; i < b->nparams; i++) add_local(b, b->ft->t[i], false);
    for (uint32_t n = gen_below(b->s, 6); n > 0; n--) add_local(b, random_valtype(b), false);
    for (uint32_t i = 0; i < GEN_NUM_ALL_TYPES; i++)
        b->scratch[i] = i < GEN_NUM_TYPES ? add_local(b, gen_valtypes[i], false) : NO_LOCAL;

    frame fn = {.kind = FR_FUNC, .nlabel = b->ft->nresults, .counter = NO_LOCAL};
    memcpy(fn.label, b->ft->t + b->ft->nparams, b->ft->nresults);
    b->frames[b->nframes++] = fn;
    b->budget = 30 + (int)gen_below(b->s, 200);
    for (uint32_t n = 1 + gen_below(b->s, 8); n > 0; n--) gen_stmt(b);
    gen_values(b, fn.label, fn.nlabel);
    op(b, WASM_OP_END);

    /* Locals are declared one by one: loop counters were added on the way. */
    gen_put_u32(m, out, b->nlocals - b->nparams);
    for (uint32_t i = b->nparams; i < b->nlocals; i++) {
        gen_put_u32(m, out, 1);
        gen_put_byte(m, out, b->local_type[i]);
    }
    gen_put_bytes(m, out, code.data, code.len);
    isr_buf_free(&code);
    free(b);
}

/* ------------------------------------------------------------------------
 * For gen_refs.c (gen_body.h)
 * ------------------------------------------------------------------------ */

void gb_op(body *b, wasm_op o) { op(b, o); }
void gb_byte(body *b, uint8_t v) { byte(b, v); }
void gb_u32(body *b, uint32_t v) { u32(b, v); }
void gb_i32(body *b, uint32_t v) { emit_i32(b, v); }
void gb_value(body *b, uint8_t t) { gen_value(b, t); }
void gb_values(body *b, const uint8_t *types, uint32_t n) { gen_values(b, types, n); }
void gb_drop(body *b, uint32_t n) { drop_n(b, n); }
void gb_keep_only(body *b, const uint8_t *types, uint32_t n, uint32_t k) { keep_only(b, types, n, k); }
void gb_count(body *b, uint32_t small) { gen_count(b, small); }
bool gb_stop(const body *b) { return stop_here(b); }
void gb_exact(body *b, uint8_t t) { gen_exact(b, t); }
void gb_const(body *b, uint8_t t) { emit_const(b, t); }
uint32_t gb_scratch(body *b, uint8_t t) { return scratch_local(b, t); }
void gb_addr(body *b) { gen_addr(b); }
void gb_memarg(body *b, wasm_op o) { emit_memarg(b, o); }
