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

#define KIND_N true
#define KIND_S false

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
    } else {
        if (!op_by_byte[b]) {
            r->p--;
            /* Say why for the one prefix real programs bring: a compiler's
             * SIMD output (clang -msimd128), which the engine lacks. */
            if (b == 0xFD)
                return wasm_fail(r, "illegal opcode 0xfd: SIMD instructions (e.g. from clang -msimd128) are not "
                                    "supported by isorun yet; build the module without SIMD");
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
    }
    return wasm_fail(r, "illegal opcode");
}
