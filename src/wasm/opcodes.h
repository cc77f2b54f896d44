/*
 * opcodes.h — the one table of WebAssembly 2.0 instructions (the SIMD ones,
 * prefix 0xFD, are listed in opcodes_simd.h).
 *
 * X(NAME, CODE, TEXT, IMM, SIG, KIND)
 *   NAME  enum suffix: WASM_OP_<NAME>
 *   CODE  binary opcode; prefixed ones are 0xFC00 | sub-opcode
 *   TEXT  the text-format name, for messages
 *   IMM   immediate kind: WASM_IMM_<IMM> (see wasm.h)
 *   SIG   operand -> result types for "N" instructions: letters i=i32, l=i64,
 *         f=f32, d=f64 before and after the underscore; `x` for special ones
 *   KIND  N = plain numeric/memory instruction fully described by IMM and SIG
 *             (the decoder, validator, compiler and interpreter handle every
 *             N entry generically; the interpreter gives each one a body);
 *         S = special: each layer treats it by hand;
 *         V = vector (SIMD) instruction, see opcodes_simd.h.
 *
 * Decoder, validator, compiler and interpreter all expand this list, so adding
 * an instruction touches this table and one implementation.
 */
#ifndef ISORUN_WASM_OPCODES_H
#define ISORUN_WASM_OPCODES_H

#include "opcodes_simd.h"

/* Single-byte opcodes. */
#define WASM_OPS_1(X)                                                          \
    X(UNREACHABLE, 0x00, "unreachable", NONE, x, S)                            \
    X(NOP, 0x01, "nop", NONE, x, S)                                            \
    X(BLOCK, 0x02, "block", BLOCKTYPE, x, S)                                   \
    X(LOOP, 0x03, "loop", BLOCKTYPE, x, S)                                     \
    X(IF, 0x04, "if", BLOCKTYPE, x, S)                                         \
    X(ELSE, 0x05, "else", NONE, x, S)                                          \
    X(END, 0x0B, "end", NONE, x, S)                                            \
    X(BR, 0x0C, "br", LABEL, x, S)                                             \
    X(BR_IF, 0x0D, "br_if", LABEL, x, S)                                       \
    X(BR_TABLE, 0x0E, "br_table", BRTABLE, x, S)                               \
    X(RETURN, 0x0F, "return", NONE, x, S)                                      \
    X(CALL, 0x10, "call", FUNC, x, S)                                          \
    X(CALL_INDIRECT, 0x11, "call_indirect", CALLIND, x, S)                     \
    X(DROP, 0x1A, "drop", NONE, x, S)                                          \
    X(SELECT, 0x1B, "select", NONE, x, S)                                      \
    X(SELECT_T, 0x1C, "select", SELECTT, x, S)                                 \
    X(LOCAL_GET, 0x20, "local.get", LOCAL, x, S)                               \
    X(LOCAL_SET, 0x21, "local.set", LOCAL, x, S)                               \
    X(LOCAL_TEE, 0x22, "local.tee", LOCAL, x, S)                               \
    X(GLOBAL_GET, 0x23, "global.get", GLOBAL, x, S)                            \
    X(GLOBAL_SET, 0x24, "global.set", GLOBAL, x, S)                            \
    X(TABLE_GET, 0x25, "table.get", TABLE, x, S)                               \
    X(TABLE_SET, 0x26, "table.set", TABLE, x, S)                               \
    X(I32_LOAD, 0x28, "i32.load", MEMARG, i_i, N)                              \
    X(I64_LOAD, 0x29, "i64.load", MEMARG, i_l, N)                              \
    X(F32_LOAD, 0x2A, "f32.load", MEMARG, i_f, N)                              \
    X(F64_LOAD, 0x2B, "f64.load", MEMARG, i_d, N)                              \
    X(I32_LOAD8_S, 0x2C, "i32.load8_s", MEMARG, i_i, N)                        \
    X(I32_LOAD8_U, 0x2D, "i32.load8_u", MEMARG, i_i, N)                        \
    X(I32_LOAD16_S, 0x2E, "i32.load16_s", MEMARG, i_i, N)                      \
    X(I32_LOAD16_U, 0x2F, "i32.load16_u", MEMARG, i_i, N)                      \
    X(I64_LOAD8_S, 0x30, "i64.load8_s", MEMARG, i_l, N)                        \
    X(I64_LOAD8_U, 0x31, "i64.load8_u", MEMARG, i_l, N)                        \
    X(I64_LOAD16_S, 0x32, "i64.load16_s", MEMARG, i_l, N)                      \
    X(I64_LOAD16_U, 0x33, "i64.load16_u", MEMARG, i_l, N)                      \
    X(I64_LOAD32_S, 0x34, "i64.load32_s", MEMARG, i_l, N)                      \
    X(I64_LOAD32_U, 0x35, "i64.load32_u", MEMARG, i_l, N)                      \
    X(I32_STORE, 0x36, "i32.store", MEMARG, ii_, N)                            \
    X(I64_STORE, 0x37, "i64.store", MEMARG, il_, N)                            \
    X(F32_STORE, 0x38, "f32.store", MEMARG, if_, N)                            \
    X(F64_STORE, 0x39, "f64.store", MEMARG, id_, N)                            \
    X(I32_STORE8, 0x3A, "i32.store8", MEMARG, ii_, N)                          \
    X(I32_STORE16, 0x3B, "i32.store16", MEMARG, ii_, N)                        \
    X(I64_STORE8, 0x3C, "i64.store8", MEMARG, il_, N)                          \
    X(I64_STORE16, 0x3D, "i64.store16", MEMARG, il_, N)                        \
    X(I64_STORE32, 0x3E, "i64.store32", MEMARG, il_, N)                        \
    X(MEMORY_SIZE, 0x3F, "memory.size", MEM0, x, S)                            \
    X(MEMORY_GROW, 0x40, "memory.grow", MEM0, x, S)                            \
    X(I32_CONST, 0x41, "i32.const", I32, x, S)                                 \
    X(I64_CONST, 0x42, "i64.const", I64, x, S)                                 \
    X(F32_CONST, 0x43, "f32.const", F32, x, S)                                 \
    X(F64_CONST, 0x44, "f64.const", F64, x, S)                                 \
    X(I32_EQZ, 0x45, "i32.eqz", NONE, i_i, N)                                  \
    X(I32_EQ, 0x46, "i32.eq", NONE, ii_i, N)                                   \
    X(I32_NE, 0x47, "i32.ne", NONE, ii_i, N)                                   \
    X(I32_LT_S, 0x48, "i32.lt_s", NONE, ii_i, N)                               \
    X(I32_LT_U, 0x49, "i32.lt_u", NONE, ii_i, N)                               \
    X(I32_GT_S, 0x4A, "i32.gt_s", NONE, ii_i, N)                               \
    X(I32_GT_U, 0x4B, "i32.gt_u", NONE, ii_i, N)                               \
    X(I32_LE_S, 0x4C, "i32.le_s", NONE, ii_i, N)                               \
    X(I32_LE_U, 0x4D, "i32.le_u", NONE, ii_i, N)                               \
    X(I32_GE_S, 0x4E, "i32.ge_s", NONE, ii_i, N)                               \
    X(I32_GE_U, 0x4F, "i32.ge_u", NONE, ii_i, N)                               \
    X(I64_EQZ, 0x50, "i64.eqz", NONE, l_i, N)                                  \
    X(I64_EQ, 0x51, "i64.eq", NONE, ll_i, N)                                   \
    X(I64_NE, 0x52, "i64.ne", NONE, ll_i, N)                                   \
    X(I64_LT_S, 0x53, "i64.lt_s", NONE, ll_i, N)                               \
    X(I64_LT_U, 0x54, "i64.lt_u", NONE, ll_i, N)                               \
    X(I64_GT_S, 0x55, "i64.gt_s", NONE, ll_i, N)                               \
    X(I64_GT_U, 0x56, "i64.gt_u", NONE, ll_i, N)                               \
    X(I64_LE_S, 0x57, "i64.le_s", NONE, ll_i, N)                               \
    X(I64_LE_U, 0x58, "i64.le_u", NONE, ll_i, N)                               \
    X(I64_GE_S, 0x59, "i64.ge_s", NONE, ll_i, N)                               \
    X(I64_GE_U, 0x5A, "i64.ge_u", NONE, ll_i, N)                               \
    X(F32_EQ, 0x5B, "f32.eq", NONE, ff_i, N)                                   \
    X(F32_NE, 0x5C, "f32.ne", NONE, ff_i, N)                                   \
    X(F32_LT, 0x5D, "f32.lt", NONE, ff_i, N)                                   \
    X(F32_GT, 0x5E, "f32.gt", NONE, ff_i, N)                                   \
    X(F32_LE, 0x5F, "f32.le", NONE, ff_i, N)                                   \
    X(F32_GE, 0x60, "f32.ge", NONE, ff_i, N)                                   \
    X(F64_EQ, 0x61, "f64.eq", NONE, dd_i, N)                                   \
    X(F64_NE, 0x62, "f64.ne", NONE, dd_i, N)                                   \
    X(F64_LT, 0x63, "f64.lt", NONE, dd_i, N)                                   \
    X(F64_GT, 0x64, "f64.gt", NONE, dd_i, N)                                   \
    X(F64_LE, 0x65, "f64.le", NONE, dd_i, N)                                   \
    X(F64_GE, 0x66, "f64.ge", NONE, dd_i, N)                                   \
    X(I32_CLZ, 0x67, "i32.clz", NONE, i_i, N)                                  \
    X(I32_CTZ, 0x68, "i32.ctz", NONE, i_i, N)                                  \
    X(I32_POPCNT, 0x69, "i32.popcnt", NONE, i_i, N)                            \
    X(I32_ADD, 0x6A, "i32.add", NONE, ii_i, N)                                 \
    X(I32_SUB, 0x6B, "i32.sub", NONE, ii_i, N)                                 \
    X(I32_MUL, 0x6C, "i32.mul", NONE, ii_i, N)                                 \
    X(I32_DIV_S, 0x6D, "i32.div_s", NONE, ii_i, N)                             \
    X(I32_DIV_U, 0x6E, "i32.div_u", NONE, ii_i, N)                             \
    X(I32_REM_S, 0x6F, "i32.rem_s", NONE, ii_i, N)                             \
    X(I32_REM_U, 0x70, "i32.rem_u", NONE, ii_i, N)                             \
    X(I32_AND, 0x71, "i32.and", NONE, ii_i, N)                                 \
    X(I32_OR, 0x72, "i32.or", NONE, ii_i, N)                                   \
    X(I32_XOR, 0x73, "i32.xor", NONE, ii_i, N)                                 \
    X(I32_SHL, 0x74, "i32.shl", NONE, ii_i, N)                                 \
    X(I32_SHR_S, 0x75, "i32.shr_s", NONE, ii_i, N)                             \
    X(I32_SHR_U, 0x76, "i32.shr_u", NONE, ii_i, N)                             \
    X(I32_ROTL, 0x77, "i32.rotl", NONE, ii_i, N)                               \
    X(I32_ROTR, 0x78, "i32.rotr", NONE, ii_i, N)                               \
    X(I64_CLZ, 0x79, "i64.clz", NONE, l_l, N)                                  \
    X(I64_CTZ, 0x7A, "i64.ctz", NONE, l_l, N)                                  \
    X(I64_POPCNT, 0x7B, "i64.popcnt", NONE, l_l, N)                            \
    X(I64_ADD, 0x7C, "i64.add", NONE, ll_l, N)                                 \
    X(I64_SUB, 0x7D, "i64.sub", NONE, ll_l, N)                                 \
    X(I64_MUL, 0x7E, "i64.mul", NONE, ll_l, N)                                 \
    X(I64_DIV_S, 0x7F, "i64.div_s", NONE, ll_l, N)                             \
    X(I64_DIV_U, 0x80, "i64.div_u", NONE, ll_l, N)                             \
    X(I64_REM_S, 0x81, "i64.rem_s", NONE, ll_l, N)                             \
    X(I64_REM_U, 0x82, "i64.rem_u", NONE, ll_l, N)                             \
    X(I64_AND, 0x83, "i64.and", NONE, ll_l, N)                                 \
    X(I64_OR, 0x84, "i64.or", NONE, ll_l, N)                                   \
    X(I64_XOR, 0x85, "i64.xor", NONE, ll_l, N)                                 \
    X(I64_SHL, 0x86, "i64.shl", NONE, ll_l, N)                                 \
    X(I64_SHR_S, 0x87, "i64.shr_s", NONE, ll_l, N)                             \
    X(I64_SHR_U, 0x88, "i64.shr_u", NONE, ll_l, N)                             \
    X(I64_ROTL, 0x89, "i64.rotl", NONE, ll_l, N)                               \
    X(I64_ROTR, 0x8A, "i64.rotr", NONE, ll_l, N)                               \
    X(F32_ABS, 0x8B, "f32.abs", NONE, f_f, N)                                  \
    X(F32_NEG, 0x8C, "f32.neg", NONE, f_f, N)                                  \
    X(F32_CEIL, 0x8D, "f32.ceil", NONE, f_f, N)                                \
    X(F32_FLOOR, 0x8E, "f32.floor", NONE, f_f, N)                              \
    X(F32_TRUNC, 0x8F, "f32.trunc", NONE, f_f, N)                              \
    X(F32_NEAREST, 0x90, "f32.nearest", NONE, f_f, N)                          \
    X(F32_SQRT, 0x91, "f32.sqrt", NONE, f_f, N)                                \
    X(F32_ADD, 0x92, "f32.add", NONE, ff_f, N)                                 \
    X(F32_SUB, 0x93, "f32.sub", NONE, ff_f, N)                                 \
    X(F32_MUL, 0x94, "f32.mul", NONE, ff_f, N)                                 \
    X(F32_DIV, 0x95, "f32.div", NONE, ff_f, N)                                 \
    X(F32_MIN, 0x96, "f32.min", NONE, ff_f, N)                                 \
    X(F32_MAX, 0x97, "f32.max", NONE, ff_f, N)                                 \
    X(F32_COPYSIGN, 0x98, "f32.copysign", NONE, ff_f, N)                       \
    X(F64_ABS, 0x99, "f64.abs", NONE, d_d, N)                                  \
    X(F64_NEG, 0x9A, "f64.neg", NONE, d_d, N)                                  \
    X(F64_CEIL, 0x9B, "f64.ceil", NONE, d_d, N)                                \
    X(F64_FLOOR, 0x9C, "f64.floor", NONE, d_d, N)                              \
    X(F64_TRUNC, 0x9D, "f64.trunc", NONE, d_d, N)                              \
    X(F64_NEAREST, 0x9E, "f64.nearest", NONE, d_d, N)                          \
    X(F64_SQRT, 0x9F, "f64.sqrt", NONE, d_d, N)                                \
    X(F64_ADD, 0xA0, "f64.add", NONE, dd_d, N)                                 \
    X(F64_SUB, 0xA1, "f64.sub", NONE, dd_d, N)                                 \
    X(F64_MUL, 0xA2, "f64.mul", NONE, dd_d, N)                                 \
    X(F64_DIV, 0xA3, "f64.div", NONE, dd_d, N)                                 \
    X(F64_MIN, 0xA4, "f64.min", NONE, dd_d, N)                                 \
    X(F64_MAX, 0xA5, "f64.max", NONE, dd_d, N)                                 \
    X(F64_COPYSIGN, 0xA6, "f64.copysign", NONE, dd_d, N)                       \
    X(I32_WRAP_I64, 0xA7, "i32.wrap_i64", NONE, l_i, N)                        \
    X(I32_TRUNC_F32_S, 0xA8, "i32.trunc_f32_s", NONE, f_i, N)                  \
    X(I32_TRUNC_F32_U, 0xA9, "i32.trunc_f32_u", NONE, f_i, N)                  \
    X(I32_TRUNC_F64_S, 0xAA, "i32.trunc_f64_s", NONE, d_i, N)                  \
    X(I32_TRUNC_F64_U, 0xAB, "i32.trunc_f64_u", NONE, d_i, N)                  \
    X(I64_EXTEND_I32_S, 0xAC, "i64.extend_i32_s", NONE, i_l, N)                \
    X(I64_EXTEND_I32_U, 0xAD, "i64.extend_i32_u", NONE, i_l, N)                \
    X(I64_TRUNC_F32_S, 0xAE, "i64.trunc_f32_s", NONE, f_l, N)                  \
    X(I64_TRUNC_F32_U, 0xAF, "i64.trunc_f32_u", NONE, f_l, N)                  \
    X(I64_TRUNC_F64_S, 0xB0, "i64.trunc_f64_s", NONE, d_l, N)                  \
    X(I64_TRUNC_F64_U, 0xB1, "i64.trunc_f64_u", NONE, d_l, N)                  \
    X(F32_CONVERT_I32_S, 0xB2, "f32.convert_i32_s", NONE, i_f, N)              \
    X(F32_CONVERT_I32_U, 0xB3, "f32.convert_i32_u", NONE, i_f, N)              \
    X(F32_CONVERT_I64_S, 0xB4, "f32.convert_i64_s", NONE, l_f, N)              \
    X(F32_CONVERT_I64_U, 0xB5, "f32.convert_i64_u", NONE, l_f, N)              \
    X(F32_DEMOTE_F64, 0xB6, "f32.demote_f64", NONE, d_f, N)                    \
    X(F64_CONVERT_I32_S, 0xB7, "f64.convert_i32_s", NONE, i_d, N)              \
    X(F64_CONVERT_I32_U, 0xB8, "f64.convert_i32_u", NONE, i_d, N)              \
    X(F64_CONVERT_I64_S, 0xB9, "f64.convert_i64_s", NONE, l_d, N)              \
    X(F64_CONVERT_I64_U, 0xBA, "f64.convert_i64_u", NONE, l_d, N)              \
    X(F64_PROMOTE_F32, 0xBB, "f64.promote_f32", NONE, f_d, N)                  \
    X(I32_REINTERPRET_F32, 0xBC, "i32.reinterpret_f32", NONE, f_i, N)          \
    X(I64_REINTERPRET_F64, 0xBD, "i64.reinterpret_f64", NONE, d_l, N)          \
    X(F32_REINTERPRET_I32, 0xBE, "f32.reinterpret_i32", NONE, i_f, N)          \
    X(F64_REINTERPRET_I64, 0xBF, "f64.reinterpret_i64", NONE, l_d, N)          \
    X(I32_EXTEND8_S, 0xC0, "i32.extend8_s", NONE, i_i, N)                      \
    X(I32_EXTEND16_S, 0xC1, "i32.extend16_s", NONE, i_i, N)                    \
    X(I64_EXTEND8_S, 0xC2, "i64.extend8_s", NONE, l_l, N)                      \
    X(I64_EXTEND16_S, 0xC3, "i64.extend16_s", NONE, l_l, N)                    \
    X(I64_EXTEND32_S, 0xC4, "i64.extend32_s", NONE, l_l, N)                    \
    X(REF_NULL, 0xD0, "ref.null", REFTYPE, x, S)                               \
    X(REF_IS_NULL, 0xD1, "ref.is_null", NONE, x, S)                            \
    X(REF_FUNC, 0xD2, "ref.func", FUNC, x, S)

/* 0xFC-prefixed opcodes: CODE is 0xFC00 | the LEB128 sub-opcode. */
#define WASM_OPS_FC(X)                                                         \
    X(I32_TRUNC_SAT_F32_S, 0xFC00, "i32.trunc_sat_f32_s", NONE, f_i, N)        \
    X(I32_TRUNC_SAT_F32_U, 0xFC01, "i32.trunc_sat_f32_u", NONE, f_i, N)        \
    X(I32_TRUNC_SAT_F64_S, 0xFC02, "i32.trunc_sat_f64_s", NONE, d_i, N)        \
    X(I32_TRUNC_SAT_F64_U, 0xFC03, "i32.trunc_sat_f64_u", NONE, d_i, N)        \
    X(I64_TRUNC_SAT_F32_S, 0xFC04, "i64.trunc_sat_f32_s", NONE, f_l, N)        \
    X(I64_TRUNC_SAT_F32_U, 0xFC05, "i64.trunc_sat_f32_u", NONE, f_l, N)        \
    X(I64_TRUNC_SAT_F64_S, 0xFC06, "i64.trunc_sat_f64_s", NONE, d_l, N)        \
    X(I64_TRUNC_SAT_F64_U, 0xFC07, "i64.trunc_sat_f64_u", NONE, d_l, N)        \
    X(MEMORY_INIT, 0xFC08, "memory.init", MEMINIT, x, S)                       \
    X(DATA_DROP, 0xFC09, "data.drop", DATA, x, S)                              \
    X(MEMORY_COPY, 0xFC0A, "memory.copy", MEMCOPY, x, S)                       \
    X(MEMORY_FILL, 0xFC0B, "memory.fill", MEM0, x, S)                          \
    X(TABLE_INIT, 0xFC0C, "table.init", TABLEINIT, x, S)                       \
    X(ELEM_DROP, 0xFC0D, "elem.drop", ELEM, x, S)                              \
    X(TABLE_COPY, 0xFC0E, "table.copy", TABLECOPY, x, S)                       \
    X(TABLE_GROW, 0xFC0F, "table.grow", TABLE, x, S)                           \
    X(TABLE_SIZE, 0xFC10, "table.size", TABLE, x, S)                           \
    X(TABLE_FILL, 0xFC11, "table.fill", TABLE, x, S)

#define WASM_OPS(X) WASM_OPS_1(X) WASM_OPS_FC(X) WASM_OPS_FD(X)

#define WASM_FC_SUBOP_COUNT 18u

#endif /* ISORUN_WASM_OPCODES_H */
