/*
 * validate_code.c — validation of function bodies: the operand-stack and
 * control-stack algorithm of the specification's appendix ("Validation
 * Algorithm"), run over each body one instruction at a time with
 * wasm_read_instr.
 *
 * Both stacks are explicit growable arrays reused across functions, so the
 * nesting depth a guest chooses never becomes host recursion, and their sizes
 * are bounded by the body's length (and the operand stack by a fixed limit).
 */
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The type of a value popped from the polymorphic stack of unreachable code:
 * it matches every expectation. */
#define TYPE_UNKNOWN 0

/* Implementation limit on the operand stack's height while validating. Without
 * one, a body of calls to a function with many results could make the
 * validator allocate far more than the module's size. */
#define MAX_OPERAND_STACK (1u << 20)

/* One entry of the control stack: a block, loop, if/else, or the function. */
typedef struct ctrl_frame {
    uint16_t op;        /* WASM_OP_BLOCK, LOOP, IF or ELSE (the function's frame is a BLOCK) */
    bool unreachable;   /* the rest of this block is unreachable: its stack is polymorphic */
    const uint8_t *params;
    uint32_t nparams;
    const uint8_t *results;
    uint32_t nresults;
    size_t height;      /* operand stack height when the block began (after its params) */
    size_t br_table_checked; /* 1 + offset of the last br_table that checked a branch to here */
} ctrl_frame;

typedef struct body_checker {
    const wasm_module *m;
    const uint8_t *declared_refs;
    uint32_t func_index;
    const wasm_functype *type;
    const wasm_func_def *def;
    const wasm_instr *in; /* the instruction being checked, for messages */

    uint8_t *vals;
    size_t nvals, cap_vals;
    ctrl_frame *ctrls;
    size_t nctrls, cap_ctrls;

    isorun_error *err;
} body_checker;

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

static bool fail_with(body_checker *c, isorun_error_code code, size_t offset, const char *fmt, va_list ap) {
    char reason[256];
    vsnprintf(reason, sizeof reason, fmt, ap);
    const char *name = c->m->func_names ? c->m->func_names[c->func_index] : NULL;
    if (name)
        c->err = isr_error(code, "at offset 0x%zx: %s, in function %u (%s)", offset, reason, c->func_index, name);
    else
        c->err = isr_error(code, "at offset 0x%zx: %s, in function %u", offset, reason, c->func_index);
    return false;
}

/* Records a validation error at the current instruction; returns false. */
static bool fail(body_checker *c, const char *fmt, ...) ISR_PRINTF(2, 3);
static bool fail(body_checker *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fail_with(c, ISORUN_ERR_INVALID, c->in->offset, fmt, ap);
    va_end(ap);
    return false;
}

/* Records a binary-format error (the specification calls these malformed). */
static bool fail_malformed(body_checker *c, size_t offset, const char *fmt, ...) ISR_PRINTF(3, 4);
static bool fail_malformed(body_checker *c, size_t offset, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fail_with(c, ISORUN_ERR_MALFORMED, offset, fmt, ap);
    va_end(ap);
    return false;
}

/* Reports why the reader stopped (the body was already read once by the
 * decoder, so this only happens on a module the decoder did not check). */
static bool fail_reader(body_checker *c, const wasm_reader *r) {
    return fail_malformed(c, r->error_offset, "%s", r->error ? r->error : "malformed instruction");
}

static bool fail_nomem(body_checker *c) {
    c->err = isr_error_nomem();
    return false;
}

static const char *type_name(uint8_t t) { return t == TYPE_UNKNOWN ? "any" : wasm_valtype_name(t); }

static const char *op_name(const body_checker *c) { return wasm_opinfos[c->in->op].name; }

/* ------------------------------------------------------------------------
 * The operand stack
 * ------------------------------------------------------------------------ */

/* Makes room for `extra` more operands. */
static bool reserve_vals(body_checker *c, size_t extra) {
    if (extra > MAX_OPERAND_STACK - c->nvals)
        return fail(c, "operand stack deeper than %u values (implementation limit)", MAX_OPERAND_STACK);
    if (c->nvals + extra > c->cap_vals && !isr_grow_array((void **)&c->vals, &c->cap_vals, c->nvals + extra, 1))
        return fail_nomem(c);
    return true;
}

static bool push_val(body_checker *c, uint8_t t) {
    if (!reserve_vals(c, 1)) return false;
    c->vals[c->nvals++] = t;
    return true;
}

static bool push_vals(body_checker *c, const uint8_t *types, uint32_t n) {
    if (!reserve_vals(c, n)) return false;
    if (n) memcpy(&c->vals[c->nvals], types, n);
    c->nvals += n;
    return true;
}

/* Pops one value of any type into *out (TYPE_UNKNOWN in unreachable code). */
static bool pop_any(body_checker *c, uint8_t want, uint8_t *out) {
    const ctrl_frame *top = &c->ctrls[c->nctrls - 1];
    if (c->nvals == top->height) {
        if (top->unreachable) {
            *out = TYPE_UNKNOWN;
            return true;
        }
        return fail(c, "type mismatch: %s expects %s but the stack is empty", op_name(c), type_name(want));
    }
    *out = c->vals[--c->nvals];
    return true;
}

/* Pops one value that must have type `want` (TYPE_UNKNOWN: any type). */
static bool pop_expect(body_checker *c, uint8_t want, uint8_t *out) {
    uint8_t got = TYPE_UNKNOWN; /* set on success; initialised for the compiler */
    if (!pop_any(c, want, &got)) return false;
    if (got != want && got != TYPE_UNKNOWN && want != TYPE_UNKNOWN)
        return fail(c, "type mismatch: %s expects %s but found %s", op_name(c), type_name(want), type_name(got));
    if (out) *out = got;
    return true;
}

static bool pop_val(body_checker *c, uint8_t want) { return pop_expect(c, want, NULL); }

/* Pops values matching types[0..n) (the last one is on top). */
static bool pop_vals(body_checker *c, const uint8_t *types, uint32_t n) {
    /* Fast path for the common case of exactly matching values: block types
     * may be long, and every block's end pops and pushes its results. */
    size_t avail = c->nvals - c->ctrls[c->nctrls - 1].height;
    if (n && n <= avail && memcmp(&c->vals[c->nvals - n], types, n) == 0) {
        c->nvals -= n;
        return true;
    }
    for (uint32_t i = n; i > 0; i--)
        if (!pop_val(c, types[i - 1])) return false;
    return true;
}

/* ------------------------------------------------------------------------
 * The control stack
 * ------------------------------------------------------------------------ */

static bool push_ctrl(body_checker *c, uint16_t op, const uint8_t *params, uint32_t nparams, const uint8_t *results,
                      uint32_t nresults) {
    if (c->nctrls == c->cap_ctrls &&
        !isr_grow_array((void **)&c->ctrls, &c->cap_ctrls, c->nctrls + 1, sizeof *c->ctrls))
        return fail_nomem(c);
    c->ctrls[c->nctrls++] = (ctrl_frame){
        .op = op,
        .unreachable = false,
        .params = params,
        .nparams = nparams,
        .results = results,
        .nresults = nresults,
        .height = c->nvals,
        .br_table_checked = 0,
    };
    return push_vals(c, params, nparams);
}

/* Checks that the top block's results are exactly what is left on its part of
 * the stack, then pops the block into *out. */
static bool pop_ctrl(body_checker *c, ctrl_frame *out) {
    const ctrl_frame *top = &c->ctrls[c->nctrls - 1];
    if (!pop_vals(c, top->results, top->nresults)) return false;
    if (c->nvals != top->height)
        return fail(c, "type mismatch: %zu value(s) left on the stack at the end of the block",
                    c->nvals - top->height);
    *out = *top;
    c->nctrls--;
    return true;
}

/* The types a branch to this block carries: a loop's parameters (the branch
 * goes back to its start), any other block's results. */
static void label_types(const ctrl_frame *f, const uint8_t **types, uint32_t *n) {
    if (f->op == WASM_OP_LOOP) {
        *types = f->params;
        *n = f->nparams;
    } else {
        *types = f->results;
        *n = f->nresults;
    }
}

/* Marks the rest of the current block unreachable: its operand stack becomes
 * polymorphic (pops of an empty stack yield values of any type). */
static void set_unreachable(body_checker *c) {
    ctrl_frame *top = &c->ctrls[c->nctrls - 1];
    c->nvals = top->height;
    top->unreachable = true;
}

/* The label at depth l, or NULL after reporting "unknown label". */
static ctrl_frame *label_at(body_checker *c, uint32_t l) {
    if (l >= c->nctrls) {
        fail(c, "unknown label %u", l);
        return NULL;
    }
    return &c->ctrls[c->nctrls - 1 - l];
}

/* ------------------------------------------------------------------------
 * Index checks against the module
 * ------------------------------------------------------------------------ */

static const wasm_functype *type_at(body_checker *c, uint32_t idx) {
    if (idx >= c->m->ntypes) {
        fail(c, "unknown type %u", idx);
        return NULL;
    }
    return &c->m->types[idx];
}

static const wasm_tabletype *table_at(body_checker *c, uint32_t idx) {
    if (idx >= c->m->ntables) {
        fail(c, "unknown table %u", idx);
        return NULL;
    }
    return &c->m->tables[idx];
}

static bool need_memory(body_checker *c) {
    if (c->m->nmemories == 0) return fail(c, "unknown memory 0");
    return true;
}

/* memory.init and data.drop name data segments, which the binary format
 * requires to be counted up front so that bodies can be checked in one pass. */
static bool check_data_index(body_checker *c, uint32_t idx) {
    if (!c->m->has_data_count) return fail_malformed(c, c->in->offset, "data count section required");
    if (idx >= c->m->data_count) return fail(c, "unknown data segment %u", idx);
    return true;
}

static const wasm_elem_seg *elem_at(body_checker *c, uint32_t idx) {
    if (idx >= c->m->nelems) {
        fail(c, "unknown elem segment %u", idx);
        return NULL;
    }
    return &c->m->elems[idx];
}

/* A local's type: parameters first, then the declared locals. */
static bool local_type(body_checker *c, uint32_t idx, uint8_t *out) {
    if (idx < c->type->nparams) {
        *out = wasm_functype_params(c->type)[idx];
        return true;
    }
    uint32_t declared = idx - c->type->nparams;
    if (declared >= c->def->nlocals) return fail(c, "unknown local %u", idx);
    *out = c->def->local_types[declared];
    return true;
}

/* ------------------------------------------------------------------------
 * Instructions: control
 * ------------------------------------------------------------------------ */

/* A one-element result type that outlives any frame (frames move when the
 * control stack grows, so they cannot point into themselves). */
static const uint8_t *single_type(uint8_t t) {
    static const uint8_t all[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_V128, WASM_FUNCREF, WASM_EXTERNREF};
    for (size_t i = 0; i < sizeof all; i++)
        if (all[i] == t) return &all[i];
    return NULL; /* wasm_read_instr only accepts the types above */
}

static bool block_signature(body_checker *c, const wasm_blocktype *bt, const uint8_t **params, uint32_t *nparams,
                            const uint8_t **results, uint32_t *nresults) {
    *params = *results = NULL;
    *nparams = *nresults = 0;
    switch (bt->kind) {
    case WASM_BT_EMPTY: return true;
    case WASM_BT_VAL:
        *results = single_type(bt->val);
        *nresults = *results ? 1 : 0;
        return *results != NULL || fail(c, "unknown value type 0x%02x", bt->val);
    default: {
        const wasm_functype *t = type_at(c, bt->type);
        if (!t) return false;
        *params = wasm_functype_params(t);
        *nparams = t->nparams;
        *results = wasm_functype_results(t);
        *nresults = t->nresults;
        return true;
    }
    }
}

static bool check_block_start(body_checker *c) {
    const uint8_t *params, *results;
    uint32_t nparams, nresults;
    if (c->in->op == WASM_OP_IF && !pop_val(c, WASM_I32)) return false;
    if (!block_signature(c, &c->in->imm.block, &params, &nparams, &results, &nresults)) return false;
    if (!pop_vals(c, params, nparams)) return false;
    return push_ctrl(c, c->in->op, params, nparams, results, nresults);
}

static bool check_else(body_checker *c) {
    if (c->ctrls[c->nctrls - 1].op != WASM_OP_IF) return fail(c, "else without a matching if");
    ctrl_frame frame = {0}; /* filled on success; initialised for the compiler */
    if (!pop_ctrl(c, &frame)) return false;
    return push_ctrl(c, WASM_OP_ELSE, frame.params, frame.nparams, frame.results, frame.nresults);
}

static bool check_end(body_checker *c) {
    ctrl_frame frame = {0}; /* filled on success; initialised for the compiler */
    if (!pop_ctrl(c, &frame)) return false;
    /* An if without else passes its parameters through unchanged when the
     * condition is false, so they must equal its results. */
    if (frame.op == WASM_OP_IF &&
        (frame.nparams != frame.nresults ||
         (frame.nparams && memcmp(frame.params, frame.results, frame.nparams) != 0)))
        return fail(c, "type mismatch: if without else must have the same parameter and result types");
    return push_vals(c, frame.results, frame.nresults);
}

static bool check_br(body_checker *c) {
    const ctrl_frame *label = label_at(c, c->in->imm.idx);
    if (!label) return false;
    const uint8_t *types;
    uint32_t n;
    label_types(label, &types, &n);
    if (!pop_vals(c, types, n)) return false;
    set_unreachable(c);
    return true;
}

static bool check_br_if(body_checker *c) {
    if (!pop_val(c, WASM_I32)) return false;
    const ctrl_frame *label = label_at(c, c->in->imm.idx);
    if (!label) return false;
    const uint8_t *types;
    uint32_t n;
    label_types(label, &types, &n);
    return pop_vals(c, types, n) && push_vals(c, types, n);
}

/* Pops values for one br_table target and pushes back what was popped, so
 * that every target is checked against the same operands. */
static bool check_br_table_target(body_checker *c, uint32_t l, uint32_t arity) {
    ctrl_frame *label = label_at(c, l);
    if (!label) return false;
    /* Checking a label again would pop and push the same values: skip it, so
     * that a long table of one label costs as little as a single branch. */
    if (label->br_table_checked == c->in->offset + 1) return true;
    label->br_table_checked = c->in->offset + 1;
    const uint8_t *types;
    uint32_t n;
    label_types(label, &types, &n);
    if (n != arity) return fail(c, "type mismatch: br_table targets have different arities (%u and %u)", n, arity);
    if (n == 0) return true;
    size_t before = c->nvals;
    if (!pop_vals(c, types, n)) return false;
    /* The values really popped are still in place just above nvals; the
     * deeper rest came from unreachable code's polymorphic stack and are of
     * unknown type. Push both back in their order. */
    size_t kept = before - c->nvals;
    size_t unknown = n - kept;
    if (!reserve_vals(c, n)) return false;
    memmove(&c->vals[c->nvals + unknown], &c->vals[c->nvals], kept);
    memset(&c->vals[c->nvals], TYPE_UNKNOWN, unknown);
    c->nvals += n;
    return true;
}

static bool check_br_table(body_checker *c) {
    if (!pop_val(c, WASM_I32)) return false;
    wasm_reader r;
    wasm_reader_init(&r, c->m->bytes, c->in->imm.br_table.targets, c->in->imm.br_table.end);
    uint32_t label = 0;
    for (uint64_t i = 0; i <= c->in->imm.br_table.count; i++)
        if (!wasm_read_u32(&r, &label)) return fail_reader(c, &r);
    uint32_t deflt = label;
    const ctrl_frame *deflt_label = label_at(c, deflt);
    if (!deflt_label) return false;
    const uint8_t *types;
    uint32_t arity;
    label_types(deflt_label, &types, &arity);

    wasm_reader_init(&r, c->m->bytes, c->in->imm.br_table.targets, c->in->imm.br_table.end);
    for (uint32_t i = 0; i < c->in->imm.br_table.count; i++) {
        if (!wasm_read_u32(&r, &label)) return fail_reader(c, &r);
        if (!check_br_table_target(c, label, arity)) return false;
    }
    if (!pop_vals(c, types, arity)) return false;
    set_unreachable(c);
    return true;
}

static bool check_return(body_checker *c) {
    const ctrl_frame *func = &c->ctrls[0];
    if (!pop_vals(c, func->results, func->nresults)) return false;
    set_unreachable(c);
    return true;
}

static bool check_call_type(body_checker *c, const wasm_functype *t) {
    return pop_vals(c, wasm_functype_params(t), t->nparams) &&
           push_vals(c, wasm_functype_results(t), t->nresults);
}

static bool check_call(body_checker *c) {
    uint32_t f = c->in->imm.idx;
    if (f >= c->m->nfuncs) return fail(c, "unknown function %u", f);
    return check_call_type(c, &c->m->types[c->m->func_type_index[f]]);
}

static bool check_call_indirect(body_checker *c) {
    const wasm_tabletype *table = table_at(c, c->in->imm.pair.b);
    if (!table) return false;
    if (table->elem != WASM_FUNCREF)
        return fail(c, "type mismatch: call_indirect needs a funcref table, table %u holds %s", c->in->imm.pair.b,
                    type_name(table->elem));
    const wasm_functype *t = type_at(c, c->in->imm.pair.a);
    if (!t) return false;
    return pop_val(c, WASM_I32) && check_call_type(c, t);
}

/* ------------------------------------------------------------------------
 * Instructions: parametric, variables, references
 * ------------------------------------------------------------------------ */

/* Numeric or vector: what select without a type annotation takes. */
static bool is_num(uint8_t t) {
    return t == TYPE_UNKNOWN || t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 || t == WASM_V128;
}

static bool is_ref(uint8_t t) { return t == TYPE_UNKNOWN || wasm_is_reftype(t); }

static bool check_select(body_checker *c) {
    uint8_t t1 = TYPE_UNKNOWN, t2 = TYPE_UNKNOWN;
    if (!pop_val(c, WASM_I32) || !pop_any(c, TYPE_UNKNOWN, &t1) || !pop_any(c, TYPE_UNKNOWN, &t2)) return false;
    /* Without a type annotation select only takes numeric or vector operands. */
    if (!is_num(t1) || !is_num(t2))
        return fail(c, "type mismatch: select without a type needs numeric operands, found %s and %s",
                    type_name(t2), type_name(t1));
    if (t1 != t2 && t1 != TYPE_UNKNOWN && t2 != TYPE_UNKNOWN)
        return fail(c, "type mismatch: select operands differ (%s and %s)", type_name(t2), type_name(t1));
    return push_val(c, t1 == TYPE_UNKNOWN ? t2 : t1);
}

static bool check_select_t(body_checker *c) {
    if (c->in->imm.select_t.count != 1) return fail(c, "invalid result arity");
    uint8_t t = c->in->imm.select_t.type;
    return pop_val(c, WASM_I32) && pop_val(c, t) && pop_val(c, t) && push_val(c, t);
}

static bool check_local(body_checker *c) {
    uint8_t t = TYPE_UNKNOWN;
    if (!local_type(c, c->in->imm.idx, &t)) return false;
    switch (c->in->op) {
    case WASM_OP_LOCAL_GET: return push_val(c, t);
    case WASM_OP_LOCAL_SET: return pop_val(c, t);
    default: return pop_val(c, t) && push_val(c, t); /* local.tee */
    }
}

static bool check_global(body_checker *c) {
    uint32_t idx = c->in->imm.idx;
    if (idx >= c->m->nglobals) return fail(c, "unknown global %u", idx);
    const wasm_globaltype *g = &c->m->globals[idx];
    if (c->in->op == WASM_OP_GLOBAL_GET) return push_val(c, g->type);
    if (!g->mut) return fail(c, "global is immutable: global.set of global %u", idx);
    return pop_val(c, g->type);
}

static bool check_ref(body_checker *c) {
    switch (c->in->op) {
    case WASM_OP_REF_NULL: return push_val(c, c->in->imm.reftype);
    case WASM_OP_REF_IS_NULL: {
        uint8_t t = TYPE_UNKNOWN;
        if (!pop_any(c, TYPE_UNKNOWN, &t)) return false;
        if (!is_ref(t)) return fail(c, "type mismatch: ref.is_null expects a reference but found %s", type_name(t));
        return push_val(c, WASM_I32);
    }
    default: { /* ref.func */
        uint32_t f = c->in->imm.idx;
        if (f >= c->m->nfuncs) return fail(c, "unknown function %u", f);
        if (!wasm_ref_declared(c->declared_refs, f)) return fail(c, "undeclared function reference %u", f);
        return push_val(c, WASM_FUNCREF);
    }
    }
}

/* ------------------------------------------------------------------------
 * Instructions: tables and memory
 * ------------------------------------------------------------------------ */

static bool pop_i32s(body_checker *c, int n) {
    for (int i = 0; i < n; i++)
        if (!pop_val(c, WASM_I32)) return false;
    return true;
}

static bool check_table_op(body_checker *c) {
    const wasm_tabletype *t = table_at(c, c->in->imm.idx);
    if (!t) return false;
    switch (c->in->op) {
    case WASM_OP_TABLE_GET: return pop_val(c, WASM_I32) && push_val(c, t->elem);
    case WASM_OP_TABLE_SET: return pop_val(c, t->elem) && pop_val(c, WASM_I32);
    case WASM_OP_TABLE_SIZE: return push_val(c, WASM_I32);
    case WASM_OP_TABLE_GROW: return pop_val(c, WASM_I32) && pop_val(c, t->elem) && push_val(c, WASM_I32);
    default: return pop_val(c, WASM_I32) && pop_val(c, t->elem) && pop_val(c, WASM_I32); /* table.fill */
    }
}

static bool check_table_init(body_checker *c) {
    const wasm_tabletype *t = table_at(c, c->in->imm.pair.b);
    if (!t) return false;
    const wasm_elem_seg *seg = elem_at(c, c->in->imm.pair.a);
    if (!seg) return false;
    if (seg->type != t->elem)
        return fail(c, "type mismatch: table.init of %s elements into a %s table", type_name(seg->type),
                    type_name(t->elem));
    return pop_i32s(c, 3);
}

static bool check_table_copy(body_checker *c) {
    const wasm_tabletype *dst = table_at(c, c->in->imm.pair.a);
    if (!dst) return false;
    const wasm_tabletype *src = table_at(c, c->in->imm.pair.b);
    if (!src) return false;
    if (dst->elem != src->elem)
        return fail(c, "type mismatch: table.copy from a %s table to a %s table", type_name(src->elem),
                    type_name(dst->elem));
    return pop_i32s(c, 3);
}

static bool check_bulk_memory(body_checker *c) {
    switch (c->in->op) {
    case WASM_OP_MEMORY_INIT:
        return need_memory(c) && check_data_index(c, c->in->imm.idx) && pop_i32s(c, 3);
    case WASM_OP_DATA_DROP: return check_data_index(c, c->in->imm.idx);
    case WASM_OP_MEMORY_COPY:
    case WASM_OP_MEMORY_FILL: return need_memory(c) && pop_i32s(c, 3);
    case WASM_OP_MEMORY_SIZE: return need_memory(c) && push_val(c, WASM_I32);
    default: return need_memory(c) && pop_val(c, WASM_I32) && push_val(c, WASM_I32); /* memory.grow */
    }
}

/* The lane count a LANE<n> or MEMLANE<n> immediate must stay below, or 0. */
static unsigned lane_limit(uint8_t imm) {
    switch ((wasm_imm_kind)imm) {
    case WASM_IMM_LANE16:
    case WASM_IMM_MEMLANE16: return 16;
    case WASM_IMM_LANE8:
    case WASM_IMM_MEMLANE8: return 8;
    case WASM_IMM_LANE4:
    case WASM_IMM_MEMLANE4: return 4;
    case WASM_IMM_LANE2:
    case WASM_IMM_MEMLANE2: return 2;
    default: return 0;
    }
}

static bool is_memlane_imm(uint8_t imm) { return imm >= WASM_IMM_MEMLANE16 && imm <= WASM_IMM_MEMLANE2; }
static bool is_memory_imm(uint8_t imm) { return imm == WASM_IMM_MEMARG || is_memlane_imm(imm); }

/* ------------------------------------------------------------------------
 * Instructions: numeric ones, described by the instruction table
 * ------------------------------------------------------------------------ */

static bool check_numeric(body_checker *c) {
    const wasm_opinfo *info = &wasm_opinfos[c->in->op];
    unsigned lanes = lane_limit(info->imm);
    if (lanes) {
        uint8_t lane = is_memlane_imm(info->imm) ? c->in->imm.mem.lane : c->in->imm.lane;
        if (lane >= lanes) return fail(c, "invalid lane index (%s: lane %u of %u)", info->name, lane, lanes);
    }
    if (info->imm == WASM_IMM_SHUFFLE)
        for (unsigned i = 0; i < 16; i++)
            if (c->in->imm.bytes[i] >= 32)
                return fail(c, "invalid lane index (%s: lane %u of 32)", info->name, c->in->imm.bytes[i]);
    if (is_memory_imm(info->imm)) {
        if (!need_memory(c)) return false;
        unsigned natural = wasm_op_access_log2(info);
        if (c->in->imm.mem.align > natural)
            return fail(c, "alignment must not be larger than natural (%s: 2**%u bytes, natural 2**%u)", info->name,
                        c->in->imm.mem.align, natural);
    }
    if (!pop_vals(c, info->params, info->nparams)) return false;
    return info->nresults == 0 || push_val(c, info->result);
}

static bool check_const(body_checker *c) {
    switch (c->in->op) {
    case WASM_OP_I32_CONST: return push_val(c, WASM_I32);
    case WASM_OP_I64_CONST: return push_val(c, WASM_I64);
    case WASM_OP_F32_CONST: return push_val(c, WASM_F32);
    default: return push_val(c, WASM_F64);
    }
}

/* ------------------------------------------------------------------------
 * Dispatch and the per-function loop
 * ------------------------------------------------------------------------ */

static bool check_instr(body_checker *c) {
    switch ((wasm_op)c->in->op) {
    case WASM_OP_UNREACHABLE: set_unreachable(c); return true;
    case WASM_OP_NOP: return true;
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF: return check_block_start(c);
    case WASM_OP_ELSE: return check_else(c);
    case WASM_OP_END: return check_end(c);
    case WASM_OP_BR: return check_br(c);
    case WASM_OP_BR_IF: return check_br_if(c);
    case WASM_OP_BR_TABLE: return check_br_table(c);
    case WASM_OP_RETURN: return check_return(c);
    case WASM_OP_CALL: return check_call(c);
    case WASM_OP_CALL_INDIRECT: return check_call_indirect(c);
    case WASM_OP_DROP: {
        uint8_t ignored = TYPE_UNKNOWN;
        return pop_any(c, TYPE_UNKNOWN, &ignored);
    }
    case WASM_OP_SELECT: return check_select(c);
    case WASM_OP_SELECT_T: return check_select_t(c);
    case WASM_OP_LOCAL_GET:
    case WASM_OP_LOCAL_SET:
    case WASM_OP_LOCAL_TEE: return check_local(c);
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_GLOBAL_SET: return check_global(c);
    case WASM_OP_TABLE_GET:
    case WASM_OP_TABLE_SET:
    case WASM_OP_TABLE_SIZE:
    case WASM_OP_TABLE_GROW:
    case WASM_OP_TABLE_FILL: return check_table_op(c);
    case WASM_OP_TABLE_INIT: return check_table_init(c);
    case WASM_OP_ELEM_DROP: return elem_at(c, c->in->imm.idx) != NULL;
    case WASM_OP_TABLE_COPY: return check_table_copy(c);
    case WASM_OP_MEMORY_SIZE:
    case WASM_OP_MEMORY_GROW:
    case WASM_OP_MEMORY_INIT:
    case WASM_OP_DATA_DROP:
    case WASM_OP_MEMORY_COPY:
    case WASM_OP_MEMORY_FILL: return check_bulk_memory(c);
    case WASM_OP_I32_CONST:
    case WASM_OP_I64_CONST:
    case WASM_OP_F32_CONST:
    case WASM_OP_F64_CONST: return check_const(c);
    case WASM_OP_REF_NULL:
    case WASM_OP_REF_IS_NULL:
    case WASM_OP_REF_FUNC: return check_ref(c);
    default: break;
    }
    if (c->in->op < WASM_OP_COUNT_ && (wasm_opinfos[c->in->op].numeric || wasm_opinfos[c->in->op].vector))
        return check_numeric(c);
    return fail(c, "instruction %s is not supported", op_name(c));
}

static bool check_body(body_checker *c, uint32_t func_index) {
    const wasm_module *m = c->m;
    c->func_index = func_index;
    c->def = &m->func_defs[func_index - m->nfunc_imports];
    c->type = &m->types[m->func_type_index[func_index]];
    c->nvals = c->nctrls = 0;

    wasm_instr in;
    in.offset = (size_t)(c->def->body - m->bytes);
    in.op = WASM_OP_BLOCK;
    c->in = &in;
    /* The function's own frame: its label is the function's results. */
    if (!push_ctrl(c, WASM_OP_BLOCK, NULL, 0, wasm_functype_results(c->type), c->type->nresults)) return false;

    wasm_reader r;
    wasm_reader_init(&r, m->bytes, c->def->body, c->def->body_end);
    while (c->nctrls > 0) {
        if (r.p >= r.end) return fail_malformed(c, wasm_reader_offset(&r), "END opcode expected");
        if (!wasm_read_instr(&r, &in)) return fail_reader(c, &r);
        if (!check_instr(c)) return false;
    }
    if (r.p != r.end)
        return fail_malformed(c, wasm_reader_offset(&r), "section size mismatch: bytes after the function's end");
    return true;
}

isorun_error *wasm_validate_bodies(const wasm_module *m, const uint8_t *declared_refs) {
    body_checker c = {.m = m, .declared_refs = declared_refs};
    for (uint32_t f = m->nfunc_imports; f < m->nfuncs && !c.err; f++) check_body(&c, f);
    free(c.vals);
    free(c.ctrls);
    return c.err;
}
