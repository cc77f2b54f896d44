/* instr.c — the instruction table's static facts and reading one instruction
 * with its immediates. */
#include "internal.h"

/* Signature letters from opcodes.h, turned into operand/result types. */
#define SIG_TYPE_i WASM_I32
#define SIG_TYPE_l WASM_I64
#define SIG_TYPE_f WASM_F32
#define SIG_TYPE_d WASM_F64

#define SIG_x 0, 0, {0, 0}, 0
#define SIG_i_i 1, 1, {WASM_I32, 0}, WASM_I32
#define SIG_ii_i 2, 1, {WASM_I32, WASM_I32}, WASM_I32
#define SIG_l_l 1, 1, {WASM_I64, 0}, WASM_I64
#define SIG_l_i 1, 1, {WASM_I64, 0}, WASM_I32
#define SIG_ll_l 2, 1, {WASM_I64, WASM_I64}, WASM_I64
#define SIG_ll_i 2, 1, {WASM_I64, WASM_I64}, WASM_I32
#define SIG_f_f 1, 1, {WASM_F32, 0}, WASM_F32
#define SIG_ff_f 2, 1, {WASM_F32, WASM_F32}, WASM_F32
#define SIG_ff_i 2, 1, {WASM_F32, WASM_F32}, WASM_I32
#define SIG_d_d 1, 1, {WASM_F64, 0}, WASM_F64
#define SIG_dd_d 2, 1, {WASM_F64, WASM_F64}, WASM_F64
#define SIG_dd_i 2, 1, {WASM_F64, WASM_F64}, WASM_I32
#define SIG_f_i 1, 1, {WASM_F32, 0}, WASM_I32
#define SIG_d_i 1, 1, {WASM_F64, 0}, WASM_I32
#define SIG_i_l 1, 1, {WASM_I32, 0}, WASM_I64
#define SIG_f_l 1, 1, {WASM_F32, 0}, WASM_I64
#define SIG_d_l 1, 1, {WASM_F64, 0}, WASM_I64
#define SIG_i_f 1, 1, {WASM_I32, 0}, WASM_F32
#define SIG_l_f 1, 1, {WASM_I64, 0}, WASM_F32
#define SIG_d_f 1, 1, {WASM_F64, 0}, WASM_F32
#define SIG_i_d 1, 1, {WASM_I32, 0}, WASM_F64
#define SIG_l_d 1, 1, {WASM_I64, 0}, WASM_F64
#define SIG_f_d 1, 1, {WASM_F32, 0}, WASM_F64
#define SIG_ii_ 2, 0, {WASM_I32, WASM_I32}, 0
#define SIG_il_ 2, 0, {WASM_I32, WASM_I64}, 0
#define SIG_if_ 2, 0, {WASM_I32, WASM_F32}, 0
#define SIG_id_ 2, 0, {WASM_I32, WASM_F64}, 0
/* SIMD shapes (v = v128) */
#define SIG_i_v 1, 1, {WASM_I32, 0}, WASM_V128
#define SIG_l_v 1, 1, {WASM_I64, 0}, WASM_V128
#define SIG_f_v 1, 1, {WASM_F32, 0}, WASM_V128
#define SIG_d_v 1, 1, {WASM_F64, 0}, WASM_V128
#define SIG_v_v 1, 1, {WASM_V128, 0}, WASM_V128
#define SIG_v_i 1, 1, {WASM_V128, 0}, WASM_I32
#define SIG_v_l 1, 1, {WASM_V128, 0}, WASM_I64
#define SIG_v_f 1, 1, {WASM_V128, 0}, WASM_F32
#define SIG_v_d 1, 1, {WASM_V128, 0}, WASM_F64
#define SIG_vv_v 2, 1, {WASM_V128, WASM_V128}, WASM_V128
#define SIG_vi_v 2, 1, {WASM_V128, WASM_I32}, WASM_V128
#define SIG_vl_v 2, 1, {WASM_V128, WASM_I64}, WASM_V128
#define SIG_vf_v 2, 1, {WASM_V128, WASM_F32}, WASM_V128
#define SIG_vd_v 2, 1, {WASM_V128, WASM_F64}, WASM_V128
#define SIG_iv_ 2, 0, {WASM_I32, WASM_V128}, 0
#define SIG_iv_v 2, 1, {WASM_I32, WASM_V128}, WASM_V128
#define SIG_vvv_v 3, 1, {WASM_V128, WASM_V128, WASM_V128}, WASM_V128
#define SIG__v 0, 1, {0, 0}, WASM_V128

/* KIND -> the numeric and vector flags */
#define KIND_N true, false
#define KIND_S false, false
#define KIND_V false, true

const wasm_opinfo wasm_opinfos[WASM_OP_COUNT_] = {
#define X(name, code, text, imm, sig, kind) {code, WASM_IMM_##imm, KIND_##kind, SIG_##sig, text},
    WASM_OPS(X)
#undef X
};

/* Opcode byte -> wasm_op + 1 (0 = illegal). */
static const uint8_t op_by_byte[256] = {
#define X(name, code, text, imm, sig, kind) [code] = WASM_OP_##name + 1,
    WASM_OPS_1(X)
#undef X
};

/* 0xFC sub-opcode -> wasm_op. */
static const uint16_t op_by_fc[WASM_FC_SUBOP_COUNT] = {
#define X(name, code, text, imm, sig, kind) [(code)&0xFF] = WASM_OP_##name,
    WASM_OPS_FC(X)
#undef X
};

/* 0xFD sub-opcode -> wasm_op + 1 (0 = unassigned). */
static const uint16_t op_by_fd[WASM_FD_SUBOP_COUNT] = {
#define X(name, code, text, imm, sig, kind) [(code)&0xFFF] = WASM_OP_##name + 1,
    WASM_OPS_FD(X)
#undef X
};

const char *wasm_valtype_name(uint8_t t) {
    switch (t) {
    case WASM_I32: return "i32";
    case WASM_I64: return "i64";
    case WASM_F32: return "f32";
    case WASM_F64: return "f64";
    case WASM_V128: return "v128";
    case WASM_FUNCREF: return "funcref";
    case WASM_EXTERNREF: return "externref";
    default: return "?";
    }
}

bool wasm_functype_equal(const wasm_functype *a, const wasm_functype *b) {
    if (a == b) return true;
    if (a->nparams != b->nparams || a->nresults != b->nresults) return false;
    size_t n = (size_t)a->nparams + a->nresults;
    return n == 0 || memcmp(a->types, b->types, n) == 0;
}

static unsigned log2_bytes(unsigned bits) {
    unsigned log = 0;
    while ((8u << log) < bits) log++;
    return log;
}

static unsigned valtype_bits(uint8_t t) {
    return t == WASM_V128 ? 128 : (t == WASM_I64 || t == WASM_F64) ? 64 : 32;
}

static unsigned name_number(const char **p) {
    unsigned n = 0;
    while (**p >= '0' && **p <= '9') n = n * 10 + (unsigned)(*(*p)++ - '0');
    return n;
}

/* The width of a memory access is in the name when it is narrower than the
 * value ("i64.load16_s", "i32.store8", "v128.load8_lane"), as lanes times
 * width for the extending vector loads ("v128.load8x8_s"); otherwise the
 * whole value is accessed. 0 for an instruction that is neither. */
unsigned wasm_op_access_log2(const wasm_opinfo *info) {
    const char *load = strstr(info->name, ".load"), *store = strstr(info->name, ".store");
    if (!load && !store) return 0;
    const char *p = load ? load + strlen(".load") : store + strlen(".store");
    unsigned bits = name_number(&p);
    if (*p == 'x') {
        p++;
        bits *= name_number(&p);
    }
    if (bits == 0) bits = valtype_bits(load ? info->result : info->params[1]);
    return log2_bytes(bits);
}

static bool read_zero_byte(wasm_reader *r) {
    uint8_t b;
    if (!wasm_read_u8(r, &b)) return false;
    if (b != 0) {
        r->p--;
        return wasm_fail(r, "zero byte expected");
    }
    return true;
}

bool wasm_read_instr(wasm_reader *r, wasm_instr *in) {
    in->offset = wasm_reader_offset(r);
    uint8_t b;
    if (!wasm_read_u8(r, &b)) return false;
    if (b == 0xFC) {
        uint32_t sub;
        if (!wasm_read_u32(r, &sub)) return false;
        if (sub >= WASM_FC_SUBOP_COUNT) {
            r->p = r->base + in->offset;
            return wasm_fail(r, "illegal opcode");
        }
        in->op = op_by_fc[sub];
    } else if (b == 0xFD) {
        uint32_t sub;
        if (!wasm_read_u32(r, &sub)) return false;
        if (sub >= WASM_FD_SUBOP_COUNT || !op_by_fd[sub]) {
            r->p = r->base + in->offset;
            return wasm_fail(r, "illegal opcode");
        }
        in->op = (uint16_t)(op_by_fd[sub] - 1);
    } else {
        if (!op_by_byte[b]) {
            r->p--;
            return wasm_fail(r, "illegal opcode");
        }
        in->op = (uint16_t)(op_by_byte[b] - 1);
    }
    switch ((wasm_imm_kind)wasm_opinfos[in->op].imm) {
    case WASM_IMM_NONE: return true;
    case WASM_IMM_BLOCKTYPE: {
        if (r->p < r->end && *r->p == 0x40) {
            r->p++;
            in->imm.block.kind = WASM_BT_EMPTY;
            return true;
        }
        if (r->p < r->end && (*r->p & 0xC0) == 0x40) { /* one-byte negative s33: a value type */
            uint8_t t = *r->p;
            if (!wasm_is_valtype(t)) return wasm_fail(r, "malformed value type");
            r->p++;
            in->imm.block.kind = WASM_BT_VAL;
            in->imm.block.val = t;
            return true;
        }
        int64_t v;
        if (!wasm_read_sleb(r, 33, &v)) return false;
        if (v < 0) return wasm_fail(r, "malformed block type");
        in->imm.block.kind = WASM_BT_TYPE;
        in->imm.block.type = (uint32_t)v;
        return true;
    }
    case WASM_IMM_LABEL:
    case WASM_IMM_FUNC:
    case WASM_IMM_LOCAL:
    case WASM_IMM_GLOBAL:
    case WASM_IMM_TABLE:
    case WASM_IMM_DATA:
    case WASM_IMM_ELEM: return wasm_read_u32(r, &in->imm.idx);
    case WASM_IMM_BRTABLE: {
        if (!wasm_read_u32(r, &in->imm.br_table.count)) return false;
        in->imm.br_table.targets = r->p;
        /* each target takes at least one byte: refuse impossible counts early */
        if ((uint64_t)in->imm.br_table.count + 1 > (uint64_t)(r->end - r->p)) return wasm_fail(r, "unexpected end");
        for (uint64_t i = 0; i <= in->imm.br_table.count; i++) {
            uint32_t t;
            if (!wasm_read_u32(r, &t)) return false;
        }
        in->imm.br_table.end = r->p;
        return true;
    }
    case WASM_IMM_CALLIND:
        return wasm_read_u32(r, &in->imm.pair.a) && wasm_read_u32(r, &in->imm.pair.b);
    case WASM_IMM_MEMARG:
        return wasm_read_u32(r, &in->imm.mem.align) && wasm_read_u32(r, &in->imm.mem.offset);
    case WASM_IMM_MEM0: return read_zero_byte(r);
    case WASM_IMM_I32: {
        int64_t v;
        if (!wasm_read_sleb(r, 32, &v)) return false;
        in->imm.i32 = (int32_t)v;
        return true;
    }
    case WASM_IMM_I64: return wasm_read_sleb(r, 64, &in->imm.i64);
    case WASM_IMM_F32: return wasm_read_f32(r, &in->imm.f32);
    case WASM_IMM_F64: return wasm_read_f64(r, &in->imm.f64);
    case WASM_IMM_SELECTT: {
        if (!wasm_read_u32(r, &in->imm.select_t.count)) return false;
        in->imm.select_t.type = 0;
        for (uint32_t i = 0; i < in->imm.select_t.count; i++) {
            uint8_t t;
            if (!wasm_read_u8(r, &t)) return false;
            if (!wasm_is_valtype(t)) return wasm_fail(r, "malformed value type");
            if (i == 0) in->imm.select_t.type = t;
        }
        return true;
    }
    case WASM_IMM_REFTYPE: {
        uint8_t t;
        if (!wasm_read_u8(r, &t)) return false;
        if (!wasm_is_reftype(t)) return wasm_fail(r, "malformed reference type");
        in->imm.reftype = t;
        return true;
    }
    case WASM_IMM_MEMINIT: return wasm_read_u32(r, &in->imm.idx) && read_zero_byte(r);
    case WASM_IMM_MEMCOPY: return read_zero_byte(r) && read_zero_byte(r);
    case WASM_IMM_TABLEINIT:
    case WASM_IMM_TABLECOPY: return wasm_read_u32(r, &in->imm.pair.a) && wasm_read_u32(r, &in->imm.pair.b);
    case WASM_IMM_V128:
    case WASM_IMM_SHUFFLE:
        if (r->end - r->p < 16) return wasm_fail(r, "unexpected end");
        in->imm.bytes = r->p;
        r->p += 16;
        return true;
    case WASM_IMM_LANE16:
    case WASM_IMM_LANE8:
    case WASM_IMM_LANE4:
    case WASM_IMM_LANE2: return wasm_read_u8(r, &in->imm.lane);
    case WASM_IMM_MEMLANE16:
    case WASM_IMM_MEMLANE8:
    case WASM_IMM_MEMLANE4:
    case WASM_IMM_MEMLANE2:
        return wasm_read_u32(r, &in->imm.mem.align) && wasm_read_u32(r, &in->imm.mem.offset) &&
               wasm_read_u8(r, &in->imm.mem.lane);
    }
    return wasm_fail(r, "illegal opcode");
}
