/* compile_vector.c — translates vector (SIMD) instructions into the
 * interpreter's code: v128 operands name the first of their two slots, and
 * the cell layouts are iops.h's. */
#include "compile.h"

static uint64_t bytes_u64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Vector (SIMD) instructions; layouts in iops.h. v128 operands name their
 * first slot; the access size of a memory instruction rides in its cells. */
void wasm_compile_vector(compiler *c, const wasm_instr *in) {
    const wasm_opinfo *info = &wasm_opinfos[in->op];
    uint8_t result_width = (uint8_t)wasm_valtype_slots(info->result);
    bool memory = info->imm == WASM_IMM_MEMARG || (info->imm >= WASM_IMM_MEMLANE16 && info->imm <= WASM_IMM_MEMLANE2);
    uint32_t size = memory ? 1u << wasm_op_access_log2(info) : 0;
    switch ((wasm_imm_kind)info->imm) {
    case WASM_IMM_V128: {
        uint32_t dst = push_temp_wide(c, 2);
        emit_op(c, in->op);
        note_dst(c, emit_pair(c, dst, 0));
        emit_u64(c, bytes_u64(in->imm.bytes));
        emit_u64(c, bytes_u64(in->imm.bytes + 8));
        return;
    }
    case WASM_IMM_SHUFFLE: {
        uint32_t b = pop(c), a = pop(c);
        uint32_t dst = push_temp_wide(c, 2);
        emit_op(c, in->op);
        note_dst(c, emit_pair(c, dst, a));
        emit_pair(c, b, 0);
        emit_u64(c, bytes_u64(in->imm.bytes));
        emit_u64(c, bytes_u64(in->imm.bytes + 8));
        return;
    }
    case WASM_IMM_MEMARG:
        if (info->nresults) { /* load: [h][dst,addr][offset,size] */
            uint32_t addr = pop(c);
            uint32_t dst = push_temp_wide(c, 2);
            emit_op(c, in->op);
            note_dst(c, emit_pair(c, dst, addr));
            emit_pair(c, in->imm.mem.offset, size);
        } else { /* store: [h][addr,value][offset,size] */
            uint32_t value = pop(c), addr = pop(c);
            emit_op(c, in->op);
            emit_pair(c, addr, value);
            emit_pair(c, in->imm.mem.offset, size);
        }
        return;
    case WASM_IMM_MEMLANE16:
    case WASM_IMM_MEMLANE8:
    case WASM_IMM_MEMLANE4:
    case WASM_IMM_MEMLANE2: {
        uint32_t vec = pop(c), addr = pop(c);
        if (info->nresults) { /* load lane: [h][dst,addr][offset,vec][lane,size] */
            uint32_t dst = push_temp_wide(c, 2);
            emit_op(c, in->op);
            note_dst(c, emit_pair(c, dst, addr));
            emit_pair(c, in->imm.mem.offset, vec);
        } else { /* store lane: [h][addr,vec][offset,-][lane,size] */
            emit_op(c, in->op);
            emit_pair(c, addr, vec);
            emit_pair(c, in->imm.mem.offset, 0);
        }
        emit_pair(c, in->imm.mem.lane, size);
        return;
    }
    case WASM_IMM_LANE16:
    case WASM_IMM_LANE8:
    case WASM_IMM_LANE4:
    case WASM_IMM_LANE2:
        if (info->nparams == 1) { /* extract: [h][dst,a][lane,-] */
            uint32_t a = pop(c);
            uint32_t dst = push_temp_wide(c, result_width);
            emit_op(c, in->op);
            note_dst(c, emit_pair(c, dst, a));
            emit_pair(c, in->imm.lane, 0);
        } else { /* replace: [h][dst,a][x,lane] */
            uint32_t x = pop(c), a = pop(c);
            uint32_t dst = push_temp_wide(c, 2);
            emit_op(c, in->op);
            note_dst(c, emit_pair(c, dst, a));
            emit_pair(c, x, in->imm.lane);
        }
        return;
    default: break;
    }
    /* plain: unary [h][dst,a], binary [h][dst,a][b,-], ternary [h][dst,a][b,c] */
    uint32_t operands[3] = {0, 0, 0};
    for (uint32_t i = info->nparams; i-- > 0;) operands[i] = pop(c);
    uint32_t dst = push_temp_wide(c, result_width);
    emit_op(c, in->op);
    note_dst(c, emit_pair(c, dst, operands[0]));
    if (info->nparams > 1) emit_pair(c, operands[1], operands[2]);
}
