/*
 * compile.c — translates validated function bodies into the interpreter's
 * threaded code (see iops.h for the format).
 *
 * The translation tracks, for every value on the wasm operand stack, the frame
 * slot that holds it right now: its own stack slot ("canonical"), a local, or
 * a constant. Instructions then name those slots directly, so local.get and
 * constants emit nothing, and a result followed by local.set is written
 * straight into the local. Values are moved into their canonical slots only
 * where paths meet (block boundaries, branches, calls), which keeps every path
 * agreeing on where each value lives.
 *
 * Values are one 64-bit slot wide, except v128, which takes two adjacent
 * slots (named by the first). So a value's canonical slot is the frame's
 * stack base plus the widths of the values below it, and locals sit at the
 * widths of the locals before them.
 *
 * The input has been validated, so this pass trusts types and indices; it
 * still never reads outside the body.
 */
#include "compile.h"

/* ------------------------------------------------------------------------
 * Emitting cells
 * ------------------------------------------------------------------------ */

/* Points the offset cell `at` to cell index `target`. */
static void patch_rel(compiler *c, size_t at, size_t target) {
    if (c->oom) return;
    c->cells[at].i64 = (int64_t)target - (int64_t)at;
}

/* ------------------------------------------------------------------------
 * Constants: deduplicated bit patterns in slots after the locals
 * ------------------------------------------------------------------------ */

static uint32_t hash64(uint64_t v) {
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    return (uint32_t)v;
}

static const_entry *const_find(compiler *c, uint64_t bits) {
    uint32_t mask = c->const_cap - 1;
    for (uint32_t i = hash64(bits) & mask;; i = (i + 1) & mask) {
        if (!c->consts[i].used || c->consts[i].bits == bits) return &c->consts[i];
    }
}

static bool const_add(compiler *c, uint64_t bits) {
    if ((c->nconsts + 1) * 2 > c->const_cap) {
        uint32_t ncap = c->const_cap ? c->const_cap * 2 : 64;
        const_entry *old = c->consts;
        uint32_t ocap = c->const_cap;
        c->consts = calloc(ncap, sizeof *c->consts);
        if (!c->consts) {
            c->consts = old;
            return false;
        }
        c->const_cap = ncap;
        for (uint32_t i = 0; i < ocap; i++)
            if (old[i].used) *const_find(c, old[i].bits) = old[i];
        free(old);
    }
    const_entry *e = const_find(c, bits);
    if (!e->used) {
        e->used = true;
        e->bits = bits;
        e->slot = c->nlocals + c->nconsts++;
    }
    return true;
}

static uint64_t const_bits(const wasm_instr *in) {
    switch (in->op) {
    case WASM_OP_I32_CONST: return (uint32_t)in->imm.i32;
    case WASM_OP_I64_CONST: return (uint64_t)in->imm.i64;
    case WASM_OP_F32_CONST: return in->imm.f32;
    case WASM_OP_F64_CONST: return in->imm.f64;
    default: return 0; /* ref.null */
    }
}

static bool is_const_op(uint16_t op) {
    return op == WASM_OP_I32_CONST || op == WASM_OP_I64_CONST || op == WASM_OP_F32_CONST ||
           op == WASM_OP_F64_CONST || op == WASM_OP_REF_NULL;
}

/* First pass: collect the body's constants so the frame layout is known. */
static bool collect_consts(compiler *c) {
    wasm_reader r;
    wasm_reader_init(&r, c->m->bytes, c->fd->body, c->fd->body_end);
    while (r.p < r.end) {
        wasm_instr in;
        if (!wasm_read_instr(&r, &in)) return false;
        if (is_const_op(in.op) && !const_add(c, const_bits(&in))) return false;
    }
    return true;
}

/* ------------------------------------------------------------------------
 * The operand stack of slots
 * ------------------------------------------------------------------------ */

static void emit_copy_wide(compiler *c, uint32_t dst, uint32_t src, uint8_t width) {
    if (dst == src) return;
    emit_op(c, width == 2 ? WASM_IOP_COPY_V128 : WASM_IOP_COPY);
    emit_pair(c, dst, src);
}

/* Moves stack value `index` into its canonical slot. */
static void materialize(compiler *c, uint32_t index) {
    uint32_t want = canonical(c, index);
    if (c->vstack[index].slot != want) {
        emit_copy_wide(c, want, c->vstack[index].slot, c->vstack[index].width);
        c->vstack[index].slot = want;
    }
}

static void materialize_from(compiler *c, uint32_t from) {
    for (uint32_t i = from; i < c->vh; i++) materialize(c, i);
}

/* Before a local is overwritten, values that still read it move out. */
static void materialize_refs_to(compiler *c, uint32_t local) {
    for (uint32_t i = 0; i < c->vh; i++)
        if (c->vstack[i].slot == local) materialize(c, i);
}

static bool stack_refers_to(const compiler *c, uint32_t slot) {
    for (uint32_t i = 0; i < c->vh; i++)
        if (c->vstack[i].slot == slot) return true;
    return false;
}


/* ------------------------------------------------------------------------
 * Control frames and branches
 * ------------------------------------------------------------------------ */

static void blocktype_arity(const compiler *c, const wasm_blocktype *bt, uint32_t *np, uint32_t *nr) {
    if (bt->kind == WASM_BT_EMPTY) {
        *np = 0, *nr = 0;
    } else if (bt->kind == WASM_BT_VAL) {
        *np = 0, *nr = 1;
    } else {
        const wasm_functype *t = &c->m->types[bt->type];
        *np = t->nparams, *nr = t->nresults;
    }
}

/* The width of a frame's param or result `i`. */
static uint8_t frame_value_width(const compiler *c, const ctrl_frame *f, bool result, uint32_t i) {
    if (f->kind == FRAME_FUNC) {
        const uint8_t *types = result ? wasm_functype_results(c->ft) : wasm_functype_params(c->ft);
        return (uint8_t)wasm_valtype_slots(types[i]);
    }
    if (f->bt.kind == WASM_BT_VAL) return (uint8_t)wasm_valtype_slots(f->bt.val);
    const wasm_functype *t = &c->m->types[f->bt.type];
    return (uint8_t)wasm_valtype_slots(result ? wasm_functype_results(t)[i] : wasm_functype_params(t)[i]);
}

static ctrl_frame *push_frame(compiler *c, frame_kind kind, const wasm_blocktype *bt, uint32_t np, uint32_t nr) {
    if (c->cdepth == c->ccap && !isr_grow_array((void **)&c->ctrl, &c->ccap, c->cdepth + 1, sizeof(ctrl_frame))) {
        c->oom = true;
        return NULL;
    }
    ctrl_frame *f = &c->ctrl[c->cdepth++];
    memset(f, 0, sizeof *f);
    c->last_dst_cell = NO_CELL; /* a label starts here: nothing before it may be retargeted */
    f->kind = (uint8_t)kind;
    if (bt) f->bt = *bt;
    f->height = c->vh - np;
    f->slot_height = slots_below(c, f->height);
    f->nparams = np;
    f->nresults = nr;
    f->else_fixup = NO_CELL;
    f->loop_start = c->ncells;
    f->loop_icount = c->icount;
    return f;
}

static uint32_t label_arity(const ctrl_frame *f) { return f->kind == FRAME_LOOP ? f->nparams : f->nresults; }

/* Adds the offset cell `at` to the frame's list of forward jumps. */
static void add_fixup(compiler *c, ctrl_frame *f, size_t at) {
    if (c->oom) return;
    c->cells[at].u64 = f->fixups;
    f->fixups = at + 1;
}

static void resolve_fixups(compiler *c, ctrl_frame *f, size_t target) {
    size_t link = f->fixups;
    while (link && !c->oom) {
        size_t at = link - 1;
        link = (size_t)c->cells[at].u64;
        patch_rel(c, at, target);
    }
    f->fixups = 0;
}

/* True when the label's values are not already where the label wants them:
 * the top values, back to back from the label's first slot. */
static bool branch_needs_moves(const compiler *c, const ctrl_frame *f) {
    uint32_t n = f->kind == FRAME_FUNC ? f->nresults : label_arity(f);
    uint32_t dst = f->kind == FRAME_FUNC ? 0 : c->base + f->slot_height;
    for (uint32_t i = 0; i < n; i++) {
        const stack_value *v = &c->vstack[c->vh - n + i];
        if (v->slot != dst) return true;
        dst += v->width;
    }
    return false;
}

/* Copies the top values to the label's slots. Ascending order is safe: every
 * destination lies at or below its source's canonical slot. */
static void emit_branch_moves(compiler *c, const ctrl_frame *f) {
    uint32_t n = label_arity(f);
    uint32_t dst = c->base + f->slot_height;
    for (uint32_t i = 0; i < n; i++) {
        const stack_value *v = &c->vstack[c->vh - n + i];
        emit_copy_wide(c, dst, v->slot, v->width);
        dst += v->width;
    }
}

/* Function results go to fp[0..) back to back. Sources may be locals inside
 * that range, so with several results they first move to their own stack
 * slots. */
static void emit_return_moves(compiler *c) {
    uint32_t n = c->ft->nresults;
    uint32_t first = c->vh - n;
    /* A single result computed by the previous instruction is written
     * straight into fp[0]: on this path nothing reads the frame afterwards. */
    if (n == 1 && c->last_dst_cell != NO_CELL && c->vstack[first].slot == canonical(c, first)) {
        c->cells[c->last_dst_cell].p.a = 0;
        c->last_dst_cell = NO_CELL;
        return;
    }
    /* The stack's bookkeeping is left untouched: this code may sit on a
     * side path (br_if, br_table stubs) that other paths do not take. */
    if (n > 1)
        for (uint32_t i = 0; i < n; i++) {
            const stack_value *v = &c->vstack[first + i];
            emit_copy_wide(c, canonical(c, first + i), v->slot, v->width);
        }
    uint32_t dst = 0;
    for (uint32_t i = 0; i < n; i++) {
        const stack_value *v = &c->vstack[first + i];
        emit_copy_wide(c, dst, n > 1 ? canonical(c, first + i) : v->slot, v->width);
        dst += v->width;
    }
}

static uint32_t loop_cost(const compiler *c, const ctrl_frame *f) {
    uint32_t cost = c->icount - f->loop_icount;
    return cost ? cost : 1;
}

/* An unconditional jump to frame f's label, values already moved. */
static void emit_jump(compiler *c, ctrl_frame *f) {
    if (f->kind == FRAME_FUNC) {
        emit_op(c, WASM_IOP_RETURN);
    } else if (f->kind == FRAME_LOOP) {
        emit_op(c, WASM_IOP_BR_BACK);
        size_t at = emit_u64(c, 0);
        emit_pair(c, loop_cost(c, f), 0);
        patch_rel(c, at, f->loop_start);
    } else {
        emit_op(c, WASM_IOP_BR);
        add_fixup(c, f, emit_u64(c, 0));
    }
}

/* The moves and jump of `br` to frame f. */
static void emit_branch(compiler *c, ctrl_frame *f) {
    if (f->kind == FRAME_FUNC)
        emit_return_moves(c);
    else
        emit_branch_moves(c, f);
    emit_jump(c, f);
}

/* br_if to f on the value in slot cond. */
static void emit_branch_if(compiler *c, ctrl_frame *f, uint32_t cond) {
    if (f->kind == FRAME_BLOCK || f->kind == FRAME_IF || f->kind == FRAME_ELSE) {
        if (!branch_needs_moves(c, f)) {
            emit_op(c, WASM_IOP_BR_IF);
            emit_pair(c, cond, 0);
            add_fixup(c, f, emit_u64(c, 0));
            return;
        }
    } else if (f->kind == FRAME_LOOP && !branch_needs_moves(c, f)) {
        emit_op(c, WASM_IOP_BR_IF_BACK);
        emit_pair(c, cond, loop_cost(c, f));
        patch_rel(c, emit_u64(c, 0), f->loop_start);
        return;
    }
    /* general case: skip over the moves and the jump when cond is zero */
    emit_op(c, WASM_IOP_BR_UNLESS);
    emit_pair(c, cond, 0);
    size_t skip = emit_u64(c, 0);
    emit_branch(c, f);
    patch_rel(c, skip, c->ncells);
}

static ctrl_frame *label(compiler *c, uint32_t depth) { return &c->ctrl[c->cdepth - 1 - depth]; }

/* ------------------------------------------------------------------------
 * Fused compare-and-branch: the previous instruction was a plain i32
 * comparison whose result is the top value and feeds this br_if.
 * ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------
 * Fused compare-and-branch: the previous instruction was a plain i32
 * comparison whose result is the top value and feeds this br_if or if.
 * ------------------------------------------------------------------------ */

static unsigned fused_branch_op(uint16_t op) {
    switch (op) {
    case WASM_OP_I32_EQZ: return WASM_IOP_BR_IF_I32_EQZ;
#define FUSED_CASE(cmp, inverse, c_op, type)                                   \
    case WASM_OP_I32_##cmp: return WASM_IOP_BR_IF_I32_##cmp;
        WASM_FUSED_COMPARES(FUSED_CASE)
#undef FUSED_CASE
    default: return 0;
    }
}

/* True when the top value is the result of the comparison just emitted. */
static bool top_is_fresh_compare(const compiler *c) {
    uint32_t top = c->vh - 1;
    return c->prev_cmp.valid && c->last_dst_cell == c->prev_cmp.start + 1 && c->vh > 0 &&
           c->vstack[top].slot == canonical(c, top);
}

/* The comparison with the opposite outcome (for branching to `else`). */
static unsigned inverse_branch_op(uint16_t op) {
    switch (op) {
#define INVERSE_CASE(cmp, inverse, c_op, type)                                 \
    case WASM_OP_I32_##cmp: return WASM_IOP_BR_IF_I32_##inverse;
        WASM_FUSED_COMPARES(INVERSE_CASE)
#undef INVERSE_CASE
    default: return 0;
    }
}

/* ------------------------------------------------------------------------
 * Translating one instruction
 * ------------------------------------------------------------------------ */

static void compile_numeric(compiler *c, const wasm_instr *in) {
    const wasm_opinfo *info = &wasm_opinfos[in->op];
    if (info->imm == WASM_IMM_MEMARG) {
        if (info->nresults) { /* load */
            uint32_t addr = pop(c);
            uint32_t dst = push_temp(c);
            emit_op(c, in->op);
            note_dst(c, emit_pair(c, dst, addr));
            emit_pair(c, in->imm.mem.offset, 0);
        } else { /* store */
            uint32_t value = pop(c), addr = pop(c);
            emit_op(c, in->op);
            emit_pair(c, addr, value);
            emit_pair(c, in->imm.mem.offset, 0);
        }
        return;
    }
    if (info->nparams == 1) {
        uint32_t a = pop(c);
        uint32_t dst = push_temp(c);
        size_t start = emit_op(c, in->op);
        note_dst(c, emit_pair(c, dst, a));
        if (fused_branch_op(in->op)) c->cmp = (struct last_compare){true, start, in->op, a, 0};
    } else {
        uint32_t b = pop(c), a = pop(c);
        uint32_t dst = push_temp(c);
        size_t start = emit_op(c, in->op);
        note_dst(c, emit_pair(c, dst, a));
        emit_pair(c, b, 0);
        if (fused_branch_op(in->op)) c->cmp = (struct last_compare){true, start, in->op, a, b};
    }
}

static void compile_local_set(compiler *c, uint32_t index, bool tee) {
    uint32_t local = c->local_slot[index];
    uint8_t width = c->local_width[index];
    uint32_t top_index = c->vh - 1;
    uint32_t src = c->vstack[top_index].slot;
    /* Retarget the previous instruction's result straight into the local when
     * nothing else still reads the local's old value. */
    if (c->last_dst_cell != NO_CELL && src == canonical(c, top_index)) {
        c->vh--;
        bool others = stack_refers_to(c, local);
        c->vh++;
        if (!others) {
            c->cells[c->last_dst_cell].p.a = local;
            c->last_dst_cell = NO_CELL;
            c->vh--;
            if (tee) push_wide(c, local, width);
            return;
        }
    }
    c->vh--;
    materialize_refs_to(c, local);
    emit_copy_wide(c, local, src, width);
    if (tee) push_wide(c, src, width);
}

/* A call's results, in their canonical slots where the callee left them. */
static void push_results(compiler *c, const wasm_functype *t) {
    for (uint32_t i = 0; i < t->nresults; i++)
        push_temp_wide(c, (uint8_t)wasm_valtype_slots(wasm_functype_results(t)[i]));
}

static void compile_call(compiler *c, uint32_t func_index) {
    const wasm_functype *t = &c->m->types[c->m->func_type_index[func_index]];
    uint32_t first = c->vh - t->nparams;
    materialize_from(c, first);
    emit_op(c, WASM_IOP_CALL);
    emit_pair(c, func_index, canonical(c, first));
    c->vh = first;
    push_results(c, t);
}

static void compile_call_indirect(compiler *c, uint32_t type_index, uint32_t table) {
    const wasm_functype *t = &c->m->types[type_index];
    uint32_t index = pop(c);
    uint32_t first = c->vh - t->nparams;
    materialize_from(c, first);
    emit_op(c, WASM_IOP_CALL_INDIRECT);
    emit_pair(c, type_index, table);
    emit_pair(c, index, canonical(c, first));
    c->vh = first;
    push_results(c, t);
}

static void compile_br_table(compiler *c, const wasm_instr *in) {
    uint32_t index = pop(c);
    uint32_t n = in->imm.br_table.count;
    emit_op(c, WASM_IOP_BR_TABLE);
    emit_pair(c, index, n);
    size_t first_rel = c->ncells;
    for (uint32_t i = 0; i <= n; i++) emit_u64(c, 0);
    wasm_reader r;
    wasm_reader_init(&r, c->m->bytes, in->imm.br_table.targets, in->imm.br_table.end);
    for (uint32_t i = 0; i <= n && !c->oom; i++) {
        uint32_t depth = 0;
        wasm_read_u32(&r, &depth);
        ctrl_frame *f = label(c, depth);
        size_t rel = first_rel + i;
        bool direct = (f->kind == FRAME_BLOCK || f->kind == FRAME_IF || f->kind == FRAME_ELSE) &&
                      !branch_needs_moves(c, f);
        if (direct) {
            add_fixup(c, f, rel);
        } else { /* a stub after the table: moves, then the jump */
            patch_rel(c, rel, c->ncells);
            emit_branch(c, f);
        }
    }
}

static void enter_block(compiler *c, frame_kind kind, const wasm_blocktype *bt) {
    uint32_t np, nr;
    blocktype_arity(c, bt, &np, &nr);
    materialize_from(c, 0);
    push_frame(c, kind, bt, np, nr);
}

static void compile_if(compiler *c, const wasm_blocktype *bt) {
    uint32_t np, nr;
    blocktype_arity(c, bt, &np, &nr);
    size_t at;
    if (top_is_fresh_compare(c)) {
        /* `cmp; if` becomes one branch on the opposite comparison, placed
         * after the block-entry moves (which never write its operands: they
         * lie above the remaining stack, or are locals and constants). */
        struct last_compare lc = c->prev_cmp;
        c->ncells = lc.start;
        c->last_dst_cell = NO_CELL;
        pop(c);
        materialize_from(c, 0);
        if (lc.op == WASM_OP_I32_EQZ) {
            emit_op(c, WASM_IOP_BR_IF);
            emit_pair(c, lc.a, 0);
            at = emit_u64(c, 0);
        } else {
            emit_op(c, inverse_branch_op(lc.op));
            emit_pair(c, lc.a, lc.b);
            at = emit_u64(c, 0);
            emit_pair(c, 0, 0);
        }
    } else {
        uint32_t cond = pop(c);
        materialize_from(c, 0);
        emit_op(c, WASM_IOP_BR_UNLESS);
        emit_pair(c, cond, 0);
        at = emit_u64(c, 0);
    }
    ctrl_frame *f = push_frame(c, FRAME_IF, bt, np, nr);
    if (f) f->else_fixup = at;
}

/* Resets the stack to the frame's base with its params or results in
 * canonical slots. */
static void reset_stack(compiler *c, const ctrl_frame *f, bool results) {
    c->vh = f->height;
    uint32_t n = results ? f->nresults : f->nparams;
    for (uint32_t i = 0; i < n; i++) push_temp_wide(c, frame_value_width(c, f, results, i));
}

static void compile_else(compiler *c) {
    ctrl_frame *f = &c->ctrl[c->cdepth - 1];
    if (!f->unreachable) {
        materialize_from(c, f->height);
        emit_op(c, WASM_IOP_BR);
        add_fixup(c, f, emit_u64(c, 0));
    }
    patch_rel(c, f->else_fixup, c->ncells);
    f->else_fixup = NO_CELL;
    f->kind = FRAME_ELSE;
    f->unreachable = false;
    c->last_dst_cell = NO_CELL;
    reset_stack(c, f, false);
}

/* Returns false when the function's final `end` was reached. */
static bool compile_end(compiler *c) {
    ctrl_frame *f = &c->ctrl[c->cdepth - 1];
    if (f->kind == FRAME_FUNC) {
        if (!f->unreachable) {
            emit_return_moves(c);
            emit_op(c, WASM_IOP_RETURN);
        }
        c->cdepth--;
        return false;
    }
    if (!f->unreachable) materialize_from(c, f->height);
    if (f->else_fixup != NO_CELL) { /* if without else: the false path lands here */
        patch_rel(c, f->else_fixup, c->ncells);
    }
    resolve_fixups(c, f, c->ncells);
    c->last_dst_cell = NO_CELL;
    reset_stack(c, f, true);
    c->cdepth--;
    return true;
}

static void mark_unreachable(compiler *c) {
    c->ctrl[c->cdepth - 1].unreachable = true;
    c->last_dst_cell = NO_CELL;
}

/* In dead code only the block structure matters. Returns true when the
 * instruction was consumed here. */
static bool skip_dead(compiler *c, const wasm_instr *in) {
    if (!c->ctrl[c->cdepth - 1].unreachable) return false;
    switch (in->op) {
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF: c->dead_depth++; return true;
    case WASM_OP_ELSE: return c->dead_depth > 0;
    case WASM_OP_END:
        if (c->dead_depth > 0) {
            c->dead_depth--;
            return true;
        }
        return false;
    default: return true;
    }
}

static void compile_instr(compiler *c, const wasm_instr *in, bool *done) {
    switch (in->op) {
    case WASM_OP_UNREACHABLE:
        emit_op(c, WASM_IOP_UNREACHABLE);
        mark_unreachable(c);
        break;
    case WASM_OP_NOP: break;
    case WASM_OP_BLOCK: enter_block(c, FRAME_BLOCK, &in->imm.block); break;
    case WASM_OP_LOOP: enter_block(c, FRAME_LOOP, &in->imm.block); break;
    case WASM_OP_IF: compile_if(c, &in->imm.block); break;
    case WASM_OP_ELSE: compile_else(c); break;
    case WASM_OP_END: *done = !compile_end(c); break;
    case WASM_OP_BR:
        emit_branch(c, label(c, in->imm.idx));
        mark_unreachable(c);
        break;
    case WASM_OP_BR_IF: emit_branch_if(c, label(c, in->imm.idx), pop(c)); break;
    case WASM_OP_BR_TABLE:
        compile_br_table(c, in);
        mark_unreachable(c);
        break;
    case WASM_OP_RETURN:
        emit_branch(c, &c->ctrl[0]);
        mark_unreachable(c);
        break;
    case WASM_OP_CALL: compile_call(c, in->imm.idx); break;
    case WASM_OP_CALL_INDIRECT: compile_call_indirect(c, in->imm.pair.a, in->imm.pair.b); break;
    case WASM_OP_DROP: pop(c); break;
    case WASM_OP_SELECT:
    case WASM_OP_SELECT_T: {
        uint32_t cond = pop(c);
        uint8_t width = top_width(c);
        uint32_t b = pop(c), a = pop(c);
        uint32_t dst = push_temp_wide(c, width);
        emit_op(c, width == 2 ? WASM_IOP_SELECT_V128 : WASM_IOP_SELECT);
        note_dst(c, emit_pair(c, dst, cond));
        emit_pair(c, a, b);
        break;
    }
    case WASM_OP_LOCAL_GET: push_local(c, in->imm.idx); break;
    case WASM_OP_LOCAL_SET: compile_local_set(c, in->imm.idx, false); break;
    case WASM_OP_LOCAL_TEE: compile_local_set(c, in->imm.idx, true); break;
    case WASM_OP_GLOBAL_GET: {
        bool wide = c->m->globals[in->imm.idx].type == WASM_V128;
        uint32_t dst = push_temp_wide(c, wide ? 2 : 1);
        emit_op(c, wide ? WASM_IOP_GLOBAL_GET_V128 : WASM_IOP_GLOBAL_GET);
        note_dst(c, emit_pair(c, dst, in->imm.idx));
        break;
    }
    case WASM_OP_GLOBAL_SET: {
        bool wide = c->m->globals[in->imm.idx].type == WASM_V128;
        emit_op(c, wide ? WASM_IOP_GLOBAL_SET_V128 : WASM_IOP_GLOBAL_SET);
        emit_pair(c, pop(c), in->imm.idx);
        break;
    }
    case WASM_OP_TABLE_GET: {
        uint32_t index = pop(c);
        uint32_t dst = push_temp(c);
        emit_op(c, WASM_IOP_TABLE_GET);
        note_dst(c, emit_pair(c, dst, index));
        emit_pair(c, in->imm.idx, 0);
        break;
    }
    case WASM_OP_TABLE_SET: {
        uint32_t value = pop(c), index = pop(c);
        emit_op(c, WASM_IOP_TABLE_SET);
        emit_pair(c, index, value);
        emit_pair(c, in->imm.idx, 0);
        break;
    }
    case WASM_OP_MEMORY_SIZE: {
        uint32_t dst = push_temp(c);
        emit_op(c, WASM_IOP_MEMORY_SIZE);
        note_dst(c, emit_pair(c, dst, 0));
        break;
    }
    case WASM_OP_MEMORY_GROW: {
        uint32_t delta = pop(c);
        uint32_t dst = push_temp(c);
        emit_op(c, WASM_IOP_MEMORY_GROW);
        note_dst(c, emit_pair(c, dst, delta));
        break;
    }
    case WASM_OP_I32_CONST:
    case WASM_OP_I64_CONST:
    case WASM_OP_F32_CONST:
    case WASM_OP_F64_CONST:
    case WASM_OP_REF_NULL: push_slot(c, const_find(c, const_bits(in))->slot); break;
    case WASM_OP_REF_IS_NULL: {
        uint32_t a = pop(c);
        uint32_t dst = push_temp(c);
        emit_op(c, WASM_IOP_REF_IS_NULL);
        note_dst(c, emit_pair(c, dst, a));
        break;
    }
    case WASM_OP_REF_FUNC: {
        uint32_t dst = push_temp(c);
        emit_op(c, WASM_IOP_REF_FUNC);
        note_dst(c, emit_pair(c, dst, in->imm.idx));
        break;
    }
    case WASM_OP_MEMORY_INIT: {
        uint32_t n = pop(c), src = pop(c), dst = pop(c);
        emit_op(c, WASM_IOP_MEMORY_INIT);
        emit_pair(c, dst, src);
        emit_pair(c, n, in->imm.idx);
        break;
    }
    case WASM_OP_DATA_DROP:
        emit_op(c, WASM_IOP_DATA_DROP);
        emit_pair(c, in->imm.idx, 0);
        break;
    case WASM_OP_MEMORY_COPY:
    case WASM_OP_MEMORY_FILL: {
        uint32_t n = pop(c), src = pop(c), dst = pop(c);
        emit_op(c, in->op == WASM_OP_MEMORY_COPY ? WASM_IOP_MEMORY_COPY : WASM_IOP_MEMORY_FILL);
        emit_pair(c, dst, src);
        emit_pair(c, n, 0);
        break;
    }
    case WASM_OP_TABLE_INIT: {
        uint32_t n = pop(c), src = pop(c), dst = pop(c);
        emit_op(c, WASM_IOP_TABLE_INIT);
        emit_pair(c, dst, src);
        emit_pair(c, n, in->imm.pair.a);
        emit_pair(c, in->imm.pair.b, 0);
        break;
    }
    case WASM_OP_ELEM_DROP:
        emit_op(c, WASM_IOP_ELEM_DROP);
        emit_pair(c, in->imm.idx, 0);
        break;
    case WASM_OP_TABLE_COPY: {
        uint32_t n = pop(c), src = pop(c), dst = pop(c);
        emit_op(c, WASM_IOP_TABLE_COPY);
        emit_pair(c, dst, src);
        emit_pair(c, n, 0);
        emit_pair(c, in->imm.pair.a, in->imm.pair.b);
        break;
    }
    case WASM_OP_TABLE_GROW: {
        uint32_t n = pop(c), init = pop(c);
        uint32_t dst = push_temp(c);
        emit_op(c, WASM_IOP_TABLE_GROW);
        note_dst(c, emit_pair(c, dst, init));
        emit_pair(c, n, in->imm.idx);
        break;
    }
    case WASM_OP_TABLE_SIZE: {
        uint32_t dst = push_temp(c);
        emit_op(c, WASM_IOP_TABLE_SIZE);
        note_dst(c, emit_pair(c, dst, in->imm.idx));
        break;
    }
    case WASM_OP_TABLE_FILL: {
        uint32_t n = pop(c), value = pop(c), index = pop(c);
        emit_op(c, WASM_IOP_TABLE_FILL);
        emit_pair(c, index, value);
        emit_pair(c, n, in->imm.idx);
        break;
    }
    default:
        if (wasm_opinfos[in->op].vector)
            wasm_compile_vector(c, in);
        else
            compile_numeric(c, in);
        break;
    }
}

/* Fuses `cmp; br_if L` into one compare-and-branch when the comparison's
 * result is used by nothing else and L needs no value moves. Returns true
 * when it handled the br_if. */
static bool try_fuse_br_if(compiler *c, uint32_t depth) {
    const struct last_compare *lc = &c->prev_cmp;
    if (!top_is_fresh_compare(c)) return false;
    ctrl_frame *f = label(c, depth);
    if (f->kind == FRAME_FUNC) return false;
    c->vh--; /* the comparison result is consumed by the branch */
    if (branch_needs_moves(c, f)) {
        c->vh++;
        return false;
    }
    /* rewrite the comparison in place as the fused branch */
    c->ncells = lc->start;
    emit_op(c, fused_branch_op(lc->op));
    emit_pair(c, lc->a, lc->b);
    size_t rel = emit_u64(c, 0);
    if (f->kind == FRAME_LOOP) {
        emit_pair(c, loop_cost(c, f), 0);
        patch_rel(c, rel, f->loop_start);
    } else {
        emit_pair(c, 0, 0);
        add_fixup(c, f, rel);
    }
    return true;
}

/* Lays out the params and declared locals back to back, by width. */
static bool layout_locals(compiler *c) {
    size_t n = (size_t)c->ft->nparams + c->fd->nlocals;
    if (n > c->local_cap) {
        uint32_t *slots = realloc(c->local_slot, n * sizeof *slots);
        if (slots) c->local_slot = slots;
        uint8_t *widths = realloc(c->local_width, n);
        if (widths) c->local_width = widths;
        if (!slots || !widths) return false;
        c->local_cap = n;
    }
    uint64_t next = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t t = i < c->ft->nparams ? wasm_functype_params(c->ft)[i] : c->fd->local_types[i - c->ft->nparams];
        c->local_slot[i] = (uint32_t)next;
        c->local_width[i] = (uint8_t)wasm_valtype_slots(t);
        next += c->local_width[i];
    }
    c->nlocals = (uint32_t)next; /* the decoder bounds locals far below 2^32 */
    return true;
}

static isorun_error *compile_function(compiler *c, uint32_t def_index) {
    const wasm_module *m = c->m;
    const wasm_func_def *fd = &m->func_defs[def_index];
    c->fd = fd;
    c->ft = &m->types[fd->type_index];
    if (!layout_locals(c)) return isr_error_nomem();
    c->ncells = 0;
    c->vh = c->max_slots = 0;
    c->cdepth = 0;
    c->dead_depth = 0;
    c->nconsts = 0;
    if (c->consts) memset(c->consts, 0, c->const_cap * sizeof *c->consts);
    c->last_dst_cell = NO_CELL;
    c->cmp.valid = c->prev_cmp.valid = false;
    c->icount = 0;
    c->oom = false;

    if (!collect_consts(c)) return isr_error_nomem();
    c->base = c->nlocals + c->nconsts;
    push_frame(c, FRAME_FUNC, NULL, 0, c->ft->nresults);

    wasm_reader r;
    wasm_reader_init(&r, m->bytes, fd->body, fd->body_end);
    bool done = false;
    while (!done && r.p < r.end && !c->oom) {
        wasm_instr in;
        if (!wasm_read_instr(&r, &in))
            return isr_error(ISORUN_ERR_MALFORMED, "at offset 0x%zx: %s", r.error_offset, r.error);
        c->icount++;
        if (skip_dead(c, &in)) continue;
        c->prev_cmp = c->cmp; /* only the very next instruction may fuse with a comparison */
        c->cmp.valid = false;
        if (in.op == WASM_OP_BR_IF && try_fuse_br_if(c, in.imm.idx)) continue;
        compile_instr(c, &in, &done);
    }
    if (c->oom) return isr_error_nomem();

    wasm_code *code = (wasm_code *)&fd->code;
    code->cells = c->cells;
    code->ncells = c->ncells;
    c->cells = NULL;
    c->cap_cells = 0;
    code->nparams = wasm_functype_param_slots(c->ft);
    code->nlocals = c->nlocals;
    code->nresults = wasm_functype_result_slots(c->ft);
    code->nconsts = c->nconsts;
    uint64_t frame = (uint64_t)c->base + c->max_slots + 1;
    if (frame < code->nresults) frame = code->nresults;
    if (frame > UINT32_MAX / 2) return isr_error(ISORUN_ERR_LIMIT, "function %u: frame too large", def_index);
    code->frame_slots = (uint32_t)frame;
    code->fuel_cost = c->icount ? c->icount : 1;
    code->func_index = m->nfunc_imports + def_index;
    code->consts = NULL;
    if (c->nconsts) {
        code->consts = malloc(c->nconsts * sizeof(wasm_slot));
        if (!code->consts) return isr_error_nomem();
        for (uint32_t i = 0; i < c->const_cap; i++)
            if (c->consts[i].used) code->consts[c->consts[i].slot - c->nlocals] = c->consts[i].bits;
    }
    return NULL;
}

isorun_error *wasm_compile(wasm_module *m) {
    compiler c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.handlers = wasm_interp_handlers();
    isorun_error *err = NULL;
    uint32_t ndefs = m->nfuncs - m->nfunc_imports;
    for (uint32_t i = 0; i < ndefs && !err; i++) {
        err = compile_function(&c, i);
        if (err) err = isr_error_wrap(err, "compiling function %u", m->nfunc_imports + i);
    }
    free(c.cells);
    free(c.vstack);
    free(c.local_slot);
    free(c.local_width);
    free(c.ctrl);
    free(c.consts);
    if (!err) m->compiled = true;
    return err;
}
