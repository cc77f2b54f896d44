/*
 * compile.h — the compiler's state and the primitives every part of it uses:
 * emitting cells and tracking the operand stack of slots (compile.c has the
 * why of that stack). Private to compile.c, which translates control flow,
 * variables, calls and scalar instructions, and compile_vector.c, which
 * translates the SIMD ones.
 */
#ifndef ISORUN_WASM_COMPILE_H
#define ISORUN_WASM_COMPILE_H

#include "internal.h"
#include "iops.h"

#include <stdlib.h>
#include <string.h>

#define NO_CELL SIZE_MAX

typedef enum frame_kind { FRAME_FUNC, FRAME_BLOCK, FRAME_LOOP, FRAME_IF, FRAME_ELSE } frame_kind;

typedef struct ctrl_frame {
    uint8_t kind;
    bool unreachable;     /* the rest of this frame's code is dead */
    wasm_blocktype bt;    /* its type (FRAME_FUNC: the function's) */
    uint32_t height;      /* operand-stack height below the frame's values */
    uint32_t slot_height; /* the same in slots: where the frame's values start */
    uint32_t nparams;
    uint32_t nresults;
    size_t loop_start;    /* LOOP: cell index the label jumps to */
    uint32_t loop_icount; /* LOOP: instruction count at the loop start (fuel) */
    size_t fixups;        /* forward jumps to patch at `end`: threaded list, +1 encoded, 0 = none */
    size_t else_fixup;    /* IF: the BR_UNLESS offset cell, NO_CELL once used */
} ctrl_frame;

/* One value on the operand stack: where it lives now, and its canonical
 * place (offset from the stack base) and width in slots. */
typedef struct stack_value {
    uint32_t slot;
    uint32_t offset;
    uint8_t width;
} stack_value;

typedef struct const_entry {
    uint64_t bits;
    uint32_t slot;
    bool used;
} const_entry;

typedef struct compiler {
    const wasm_module *m;
    const wasm_func_def *fd;
    const wasm_functype *ft;
    const void *const *handlers;

    wasm_cell *cells;
    size_t ncells, cap_cells;

    stack_value *vstack; /* the operand stack */
    size_t vcap;
    uint32_t vh;         /* current height in values */
    uint32_t max_slots;  /* the most slots the operand stack ever took */

    ctrl_frame *ctrl;
    size_t ccap;
    uint32_t cdepth;
    uint32_t dead_depth; /* nested blocks opened inside dead code */

    uint32_t nlocals;     /* params + declared locals, in slots */
    uint32_t *local_slot; /* each local's first slot */
    uint8_t *local_width; /* and its width */
    size_t local_cap;
    uint32_t base;        /* first operand-stack slot */

    const_entry *consts; /* open-addressing set of constant bit patterns */
    uint32_t const_cap;  /* power of two */
    uint32_t nconsts;

    size_t last_dst_cell; /* cell holding the dst of the last instruction, if it produced the top value */
    struct last_compare {
        bool valid;     /* the last instruction is this i32 comparison */
        size_t start;   /* its cell index */
        uint16_t op;
        uint32_t a, b;
    } cmp, prev_cmp; /* cmp: set by the instruction being translated; prev_cmp: the one before */
    uint32_t icount;      /* instructions translated (fuel accounting) */
    bool oom;
} compiler;

/* ------------------------------------------------------------------------
 * Emitting cells
 * ------------------------------------------------------------------------ */

static inline size_t emit_cell(compiler *c, wasm_cell cell) {
    if (c->ncells == c->cap_cells &&
        !isr_grow_array((void **)&c->cells, &c->cap_cells, c->ncells + 1, sizeof(wasm_cell))) {
        c->oom = true;
        return c->ncells ? c->ncells - 1 : 0;
    }
    c->cells[c->ncells] = cell;
    return c->ncells++;
}

static inline size_t emit_op(compiler *c, unsigned op) {
    c->last_dst_cell = NO_CELL;
    wasm_cell cell = {.handler = c->handlers[op]};
    return emit_cell(c, cell);
}

static inline size_t emit_pair(compiler *c, uint32_t a, uint32_t b) {
    wasm_cell cell = {.p = {a, b}};
    return emit_cell(c, cell);
}

static inline size_t emit_u64(compiler *c, uint64_t v) {
    wasm_cell cell = {.u64 = v};
    return emit_cell(c, cell);
}

/* ------------------------------------------------------------------------
 * The operand stack of slots
 * ------------------------------------------------------------------------ */

/* Slots the operand stack takes below value `index` (index <= vh). */
static inline uint32_t slots_below(const compiler *c, uint32_t index) {
    if (index == 0) return 0;
    const stack_value *v = &c->vstack[index - 1];
    return v->offset + v->width;
}

/* The canonical slot of stack value `index`, or, for index == vh, of the
 * next value pushed. */
static inline uint32_t canonical(const compiler *c, uint32_t index) { return c->base + slots_below(c, index); }

static inline uint8_t top_width(const compiler *c) { return c->vh ? c->vstack[c->vh - 1].width : 1; }

static inline void push_wide(compiler *c, uint32_t slot, uint8_t width) {
    if (c->vh == c->vcap && !isr_grow_array((void **)&c->vstack, &c->vcap, c->vh + 1, sizeof(stack_value))) {
        c->oom = true;
        return;
    }
    uint32_t offset = slots_below(c, c->vh);
    c->vstack[c->vh++] = (stack_value){slot, offset, width};
    if (offset + width > c->max_slots) c->max_slots = offset + width;
}

/* Pushes local `index` (its slot, with its width). */
static inline void push_local(compiler *c, uint32_t index) { push_wide(c, c->local_slot[index], c->local_width[index]); }

static inline void push_slot(compiler *c, uint32_t slot) { push_wide(c, slot, 1); }

/* Pushes a value of `width` slots that lives in its own stack slots; returns
 * the first. */
static inline uint32_t push_temp_wide(compiler *c, uint8_t width) {
    uint32_t slot = canonical(c, c->vh);
    push_wide(c, slot, width);
    return slot;
}

static inline uint32_t push_temp(compiler *c) { return push_temp_wide(c, 1); }

static inline uint32_t pop(compiler *c) {
    /* validated code never underflows; dead code is skipped before this */
    return c->vh ? c->vstack[--c->vh].slot : canonical(c, 0);
}

/* Records that the instruction just emitted wrote the new top value through
 * the dst operand in `cell` (its .p.a). */
static inline void note_dst(compiler *c, size_t cell) { c->last_dst_cell = cell; }

/* compile_vector.c: one vector (SIMD) instruction. */
void wasm_compile_vector(compiler *c, const wasm_instr *in);

#endif /* ISORUN_WASM_COMPILE_H */
