/*
 * opcodes_simd.h — the 0xFD-prefixed instructions: WebAssembly 2.0's
 * fixed-width SIMD on the 128-bit type v128 (relaxed SIMD is not included).
 *
 * X(NAME, CODE, TEXT, IMM, SIG, KIND), the fields of opcodes.h:
 *   NAME  enum suffix: WASM_OP_<NAME> (TEXT uppercased, '.' -> '_')
 *   CODE  0xFD000 | the sub-opcode (a LEB128 u32 after the 0xFD byte: those
 *         from 0x80 up take two bytes)
 *   TEXT  the text-format name, for messages
 *   IMM   immediate kind: WASM_IMM_<IMM>
 *           NONE
 *           MEMARG     a memarg
 *           V128       16 bytes, the constant (v128.const)
 *           SHUFFLE    16 lane-index bytes, each < 32 (i8x16.shuffle)
 *           LANE<n>    one lane-index byte, < n, the shape's lane count
 *           MEMLANE<n> a memarg, then a lane-index byte < n
 *   SIG   operand -> result types: letters i=i32, l=i64, f=f32, d=f64,
 *         v=v128 before and after the underscore
 *   KIND  V = vector instruction fully described by IMM and SIG; its
 *             semantics are simd_<NAME> in simd.h (v128.const has none: its
 *             result is its immediate)
 *
 * Sub-opcodes missing from the sequence are unassigned and illegal. Every
 * entry was checked against wabt 1.0.32 (wat2wasm's encoding of each
 * instruction, its lane-index range and its operand types).
 */
#ifndef ISORUN_WASM_OPCODES_SIMD_H
#define ISORUN_WASM_OPCODES_SIMD_H

/* 0xFD-prefixed opcodes: CODE is 0xFD000 | the LEB128 sub-opcode. */
#define WASM_OPS_FD(X)                                                         \
    X(V128_LOAD, 0xFD000, "v128.load", MEMARG, i_v, V)                          \
    X(V128_LOAD8X8_S, 0xFD001, "v128.load8x8_s", MEMARG, i_v, V)                \
    X(V128_LOAD8X8_U, 0xFD002, "v128.load8x8_u", MEMARG, i_v, V)                \
    X(V128_LOAD16X4_S, 0xFD003, "v128.load16x4_s", MEMARG, i_v, V)              \
    X(V128_LOAD16X4_U, 0xFD004, "v128.load16x4_u", MEMARG, i_v, V)              \
    X(V128_LOAD32X2_S, 0xFD005, "v128.load32x2_s", MEMARG, i_v, V)              \
    X(V128_LOAD32X2_U, 0xFD006, "v128.load32x2_u", MEMARG, i_v, V)              \
    X(V128_LOAD8_SPLAT, 0xFD007, "v128.load8_splat", MEMARG, i_v, V)            \
    X(V128_LOAD16_SPLAT, 0xFD008, "v128.load16_splat", MEMARG, i_v, V)          \
    X(V128_LOAD32_SPLAT, 0xFD009, "v128.load32_splat", MEMARG, i_v, V)          \
    X(V128_LOAD64_SPLAT, 0xFD00A, "v128.load64_splat", MEMARG, i_v, V)          \
    X(V128_STORE, 0xFD00B, "v128.store", MEMARG, iv_, V)                        \
    X(V128_CONST, 0xFD00C, "v128.const", V128, _v, V)                           \
    X(I8X16_SHUFFLE, 0xFD00D, "i8x16.shuffle", SHUFFLE, vv_v, V)                \
    X(I8X16_SWIZZLE, 0xFD00E, "i8x16.swizzle", NONE, vv_v, V)                   \
    X(I8X16_SPLAT, 0xFD00F, "i8x16.splat", NONE, i_v, V)                        \
    X(I16X8_SPLAT, 0xFD010, "i16x8.splat", NONE, i_v, V)                        \
    X(I32X4_SPLAT, 0xFD011, "i32x4.splat", NONE, i_v, V)                        \
    X(I64X2_SPLAT, 0xFD012, "i64x2.splat", NONE, l_v, V)                        \
    X(F32X4_SPLAT, 0xFD013, "f32x4.splat", NONE, f_v, V)                        \
    X(F64X2_SPLAT, 0xFD014, "f64x2.splat", NONE, d_v, V)                        \
    X(I8X16_EXTRACT_LANE_S, 0xFD015, "i8x16.extract_lane_s", LANE16, v_i, V)    \
    X(I8X16_EXTRACT_LANE_U, 0xFD016, "i8x16.extract_lane_u", LANE16, v_i, V)    \
    X(I8X16_REPLACE_LANE, 0xFD017, "i8x16.replace_lane", LANE16, vi_v, V)       \
    X(I16X8_EXTRACT_LANE_S, 0xFD018, "i16x8.extract_lane_s", LANE8, v_i, V)     \
    X(I16X8_EXTRACT_LANE_U, 0xFD019, "i16x8.extract_lane_u", LANE8, v_i, V)     \
    X(I16X8_REPLACE_LANE, 0xFD01A, "i16x8.replace_lane", LANE8, vi_v, V)        \
    X(I32X4_EXTRACT_LANE, 0xFD01B, "i32x4.extract_lane", LANE4, v_i, V)         \
    X(I32X4_REPLACE_LANE, 0xFD01C, "i32x4.replace_lane", LANE4, vi_v, V)        \
    X(I64X2_EXTRACT_LANE, 0xFD01D, "i64x2.extract_lane", LANE2, v_l, V)         \
    X(I64X2_REPLACE_LANE, 0xFD01E, "i64x2.replace_lane", LANE2, vl_v, V)        \
    X(F32X4_EXTRACT_LANE, 0xFD01F, "f32x4.extract_lane", LANE4, v_f, V)         \
    X(F32X4_REPLACE_LANE, 0xFD020, "f32x4.replace_lane", LANE4, vf_v, V)        \
    X(F64X2_EXTRACT_LANE, 0xFD021, "f64x2.extract_lane", LANE2, v_d, V)         \
    X(F64X2_REPLACE_LANE, 0xFD022, "f64x2.replace_lane", LANE2, vd_v, V)        \
    X(I8X16_EQ, 0xFD023, "i8x16.eq", NONE, vv_v, V)                             \
    X(I8X16_NE, 0xFD024, "i8x16.ne", NONE, vv_v, V)                             \
    X(I8X16_LT_S, 0xFD025, "i8x16.lt_s", NONE, vv_v, V)                         \
    X(I8X16_LT_U, 0xFD026, "i8x16.lt_u", NONE, vv_v, V)                         \
    X(I8X16_GT_S, 0xFD027, "i8x16.gt_s", NONE, vv_v, V)                         \
    X(I8X16_GT_U, 0xFD028, "i8x16.gt_u", NONE, vv_v, V)                         \
    X(I8X16_LE_S, 0xFD029, "i8x16.le_s", NONE, vv_v, V)                         \
    X(I8X16_LE_U, 0xFD02A, "i8x16.le_u", NONE, vv_v, V)                         \
    X(I8X16_GE_S, 0xFD02B, "i8x16.ge_s", NONE, vv_v, V)                         \
    X(I8X16_GE_U, 0xFD02C, "i8x16.ge_u", NONE, vv_v, V)                         \
    X(I16X8_EQ, 0xFD02D, "i16x8.eq", NONE, vv_v, V)                             \
    X(I16X8_NE, 0xFD02E, "i16x8.ne", NONE, vv_v, V)                             \
    X(I16X8_LT_S, 0xFD02F, "i16x8.lt_s", NONE, vv_v, V)                         \
    X(I16X8_LT_U, 0xFD030, "i16x8.lt_u", NONE, vv_v, V)                         \
    X(I16X8_GT_S, 0xFD031, "i16x8.gt_s", NONE, vv_v, V)                         \
    X(I16X8_GT_U, 0xFD032, "i16x8.gt_u", NONE, vv_v, V)                         \
    X(I16X8_LE_S, 0xFD033, "i16x8.le_s", NONE, vv_v, V)                         \
    X(I16X8_LE_U, 0xFD034, "i16x8.le_u", NONE, vv_v, V)                         \
    X(I16X8_GE_S, 0xFD035, "i16x8.ge_s", NONE, vv_v, V)                         \
    X(I16X8_GE_U, 0xFD036, "i16x8.ge_u", NONE, vv_v, V)                         \
    X(I32X4_EQ, 0xFD037, "i32x4.eq", NONE, vv_v, V)                             \
    X(I32X4_NE, 0xFD038, "i32x4.ne", NONE, vv_v, V)                             \
    X(I32X4_LT_S, 0xFD039, "i32x4.lt_s", NONE, vv_v, V)                         \
    X(I32X4_LT_U, 0xFD03A, "i32x4.lt_u", NONE, vv_v, V)                         \
    X(I32X4_GT_S, 0xFD03B, "i32x4.gt_s", NONE, vv_v, V)                         \
    X(I32X4_GT_U, 0xFD03C, "i32x4.gt_u", NONE, vv_v, V)                         \
    X(I32X4_LE_S, 0xFD03D, "i32x4.le_s", NONE, vv_v, V)                         \
    X(I32X4_LE_U, 0xFD03E, "i32x4.le_u", NONE, vv_v, V)                         \
    X(I32X4_GE_S, 0xFD03F, "i32x4.ge_s", NONE, vv_v, V)                         \
    X(I32X4_GE_U, 0xFD040, "i32x4.ge_u", NONE, vv_v, V)                         \
    X(F32X4_EQ, 0xFD041, "f32x4.eq", NONE, vv_v, V)                             \
    X(F32X4_NE, 0xFD042, "f32x4.ne", NONE, vv_v, V)                             \
    X(F32X4_LT, 0xFD043, "f32x4.lt", NONE, vv_v, V)                             \
    X(F32X4_GT, 0xFD044, "f32x4.gt", NONE, vv_v, V)                             \
    X(F32X4_LE, 0xFD045, "f32x4.le", NONE, vv_v, V)                             \
    X(F32X4_GE, 0xFD046, "f32x4.ge", NONE, vv_v, V)                             \
    X(F64X2_EQ, 0xFD047, "f64x2.eq", NONE, vv_v, V)                             \
    X(F64X2_NE, 0xFD048, "f64x2.ne", NONE, vv_v, V)                             \
    X(F64X2_LT, 0xFD049, "f64x2.lt", NONE, vv_v, V)                             \
    X(F64X2_GT, 0xFD04A, "f64x2.gt", NONE, vv_v, V)                             \
    X(F64X2_LE, 0xFD04B, "f64x2.le", NONE, vv_v, V)                             \
    X(F64X2_GE, 0xFD04C, "f64x2.ge", NONE, vv_v, V)                             \
    X(V128_NOT, 0xFD04D, "v128.not", NONE, v_v, V)                              \
    X(V128_AND, 0xFD04E, "v128.and", NONE, vv_v, V)                             \
    X(V128_ANDNOT, 0xFD04F, "v128.andnot", NONE, vv_v, V)                       \
    X(V128_OR, 0xFD050, "v128.or", NONE, vv_v, V)                               \
    X(V128_XOR, 0xFD051, "v128.xor", NONE, vv_v, V)                             \
    X(V128_BITSELECT, 0xFD052, "v128.bitselect", NONE, vvv_v, V)                \
    X(V128_ANY_TRUE, 0xFD053, "v128.any_true", NONE, v_i, V)                    \
    X(V128_LOAD8_LANE, 0xFD054, "v128.load8_lane", MEMLANE16, iv_v, V)          \
    X(V128_LOAD16_LANE, 0xFD055, "v128.load16_lane", MEMLANE8, iv_v, V)         \
    X(V128_LOAD32_LANE, 0xFD056, "v128.load32_lane", MEMLANE4, iv_v, V)         \
    X(V128_LOAD64_LANE, 0xFD057, "v128.load64_lane", MEMLANE2, iv_v, V)         \
    X(V128_STORE8_LANE, 0xFD058, "v128.store8_lane", MEMLANE16, iv_, V)         \
    X(V128_STORE16_LANE, 0xFD059, "v128.store16_lane", MEMLANE8, iv_, V)        \
    X(V128_STORE32_LANE, 0xFD05A, "v128.store32_lane", MEMLANE4, iv_, V)        \
    X(V128_STORE64_LANE, 0xFD05B, "v128.store64_lane", MEMLANE2, iv_, V)        \
    X(V128_LOAD32_ZERO, 0xFD05C, "v128.load32_zero", MEMARG, i_v, V)            \
    X(V128_LOAD64_ZERO, 0xFD05D, "v128.load64_zero", MEMARG, i_v, V)            \
    X(F32X4_DEMOTE_F64X2_ZERO, 0xFD05E, "f32x4.demote_f64x2_zero", NONE, v_v, V) \
    X(F64X2_PROMOTE_LOW_F32X4, 0xFD05F, "f64x2.promote_low_f32x4", NONE, v_v, V) \
    X(I8X16_ABS, 0xFD060, "i8x16.abs", NONE, v_v, V)                            \
    X(I8X16_NEG, 0xFD061, "i8x16.neg", NONE, v_v, V)                            \
    X(I8X16_POPCNT, 0xFD062, "i8x16.popcnt", NONE, v_v, V)                      \
    X(I8X16_ALL_TRUE, 0xFD063, "i8x16.all_true", NONE, v_i, V)                  \
    X(I8X16_BITMASK, 0xFD064, "i8x16.bitmask", NONE, v_i, V)                    \
    X(I8X16_NARROW_I16X8_S, 0xFD065, "i8x16.narrow_i16x8_s", NONE, vv_v, V)     \
    X(I8X16_NARROW_I16X8_U, 0xFD066, "i8x16.narrow_i16x8_u", NONE, vv_v, V)     \
    X(F32X4_CEIL, 0xFD067, "f32x4.ceil", NONE, v_v, V)                          \
    X(F32X4_FLOOR, 0xFD068, "f32x4.floor", NONE, v_v, V)                        \
    X(F32X4_TRUNC, 0xFD069, "f32x4.trunc", NONE, v_v, V)                        \
    X(F32X4_NEAREST, 0xFD06A, "f32x4.nearest", NONE, v_v, V)                    \
    X(I8X16_SHL, 0xFD06B, "i8x16.shl", NONE, vi_v, V)                           \
    X(I8X16_SHR_S, 0xFD06C, "i8x16.shr_s", NONE, vi_v, V)                       \
    X(I8X16_SHR_U, 0xFD06D, "i8x16.shr_u", NONE, vi_v, V)                       \
    X(I8X16_ADD, 0xFD06E, "i8x16.add", NONE, vv_v, V)                           \
    X(I8X16_ADD_SAT_S, 0xFD06F, "i8x16.add_sat_s", NONE, vv_v, V)               \
    X(I8X16_ADD_SAT_U, 0xFD070, "i8x16.add_sat_u", NONE, vv_v, V)               \
    X(I8X16_SUB, 0xFD071, "i8x16.sub", NONE, vv_v, V)                           \
    X(I8X16_SUB_SAT_S, 0xFD072, "i8x16.sub_sat_s", NONE, vv_v, V)               \
    X(I8X16_SUB_SAT_U, 0xFD073, "i8x16.sub_sat_u", NONE, vv_v, V)               \
    X(F64X2_CEIL, 0xFD074, "f64x2.ceil", NONE, v_v, V)                          \
    X(F64X2_FLOOR, 0xFD075, "f64x2.floor", NONE, v_v, V)                        \
    X(I8X16_MIN_S, 0xFD076, "i8x16.min_s", NONE, vv_v, V)                       \
    X(I8X16_MIN_U, 0xFD077, "i8x16.min_u", NONE, vv_v, V)                       \
    X(I8X16_MAX_S, 0xFD078, "i8x16.max_s", NONE, vv_v, V)                       \
    X(I8X16_MAX_U, 0xFD079, "i8x16.max_u", NONE, vv_v, V)                       \
    X(F64X2_TRUNC, 0xFD07A, "f64x2.trunc", NONE, v_v, V)                        \
    X(I8X16_AVGR_U, 0xFD07B, "i8x16.avgr_u", NONE, vv_v, V)                     \
    X(I16X8_EXTADD_PAIRWISE_I8X16_S, 0xFD07C, "i16x8.extadd_pairwise_i8x16_s", NONE, v_v, V) \
    X(I16X8_EXTADD_PAIRWISE_I8X16_U, 0xFD07D, "i16x8.extadd_pairwise_i8x16_u", NONE, v_v, V) \
    X(I32X4_EXTADD_PAIRWISE_I16X8_S, 0xFD07E, "i32x4.extadd_pairwise_i16x8_s", NONE, v_v, V) \
    X(I32X4_EXTADD_PAIRWISE_I16X8_U, 0xFD07F, "i32x4.extadd_pairwise_i16x8_u", NONE, v_v, V) \
    X(I16X8_ABS, 0xFD080, "i16x8.abs", NONE, v_v, V)                            \
    X(I16X8_NEG, 0xFD081, "i16x8.neg", NONE, v_v, V)                            \
    X(I16X8_Q15MULR_SAT_S, 0xFD082, "i16x8.q15mulr_sat_s", NONE, vv_v, V)       \
    X(I16X8_ALL_TRUE, 0xFD083, "i16x8.all_true", NONE, v_i, V)                  \
    X(I16X8_BITMASK, 0xFD084, "i16x8.bitmask", NONE, v_i, V)                    \
    X(I16X8_NARROW_I32X4_S, 0xFD085, "i16x8.narrow_i32x4_s", NONE, vv_v, V)     \
    X(I16X8_NARROW_I32X4_U, 0xFD086, "i16x8.narrow_i32x4_u", NONE, vv_v, V)     \
    X(I16X8_EXTEND_LOW_I8X16_S, 0xFD087, "i16x8.extend_low_i8x16_s", NONE, v_v, V) \
    X(I16X8_EXTEND_HIGH_I8X16_S, 0xFD088, "i16x8.extend_high_i8x16_s", NONE, v_v, V) \
    X(I16X8_EXTEND_LOW_I8X16_U, 0xFD089, "i16x8.extend_low_i8x16_u", NONE, v_v, V) \
    X(I16X8_EXTEND_HIGH_I8X16_U, 0xFD08A, "i16x8.extend_high_i8x16_u", NONE, v_v, V) \
    X(I16X8_SHL, 0xFD08B, "i16x8.shl", NONE, vi_v, V)                           \
    X(I16X8_SHR_S, 0xFD08C, "i16x8.shr_s", NONE, vi_v, V)                       \
    X(I16X8_SHR_U, 0xFD08D, "i16x8.shr_u", NONE, vi_v, V)                       \
    X(I16X8_ADD, 0xFD08E, "i16x8.add", NONE, vv_v, V)                           \
    X(I16X8_ADD_SAT_S, 0xFD08F, "i16x8.add_sat_s", NONE, vv_v, V)               \
    X(I16X8_ADD_SAT_U, 0xFD090, "i16x8.add_sat_u", NONE, vv_v, V)               \
    X(I16X8_SUB, 0xFD091, "i16x8.sub", NONE, vv_v, V)                           \
    X(I16X8_SUB_SAT_S, 0xFD092, "i16x8.sub_sat_s", NONE, vv_v, V)               \
    X(I16X8_SUB_SAT_U, 0xFD093, "i16x8.sub_sat_u", NONE, vv_v, V)               \
    X(F64X2_NEAREST, 0xFD094, "f64x2.nearest", NONE, v_v, V)                    \
    X(I16X8_MUL, 0xFD095, "i16x8.mul", NONE, vv_v, V)                           \
    X(I16X8_MIN_S, 0xFD096, "i16x8.min_s", NONE, vv_v, V)                       \
    X(I16X8_MIN_U, 0xFD097, "i16x8.min_u", NONE, vv_v, V)                       \
    X(I16X8_MAX_S, 0xFD098, "i16x8.max_s", NONE, vv_v, V)                       \
    X(I16X8_MAX_U, 0xFD099, "i16x8.max_u", NONE, vv_v, V)                       \
    X(I16X8_AVGR_U, 0xFD09B, "i16x8.avgr_u", NONE, vv_v, V)                     \
    X(I16X8_EXTMUL_LOW_I8X16_S, 0xFD09C, "i16x8.extmul_low_i8x16_s", NONE, vv_v, V) \
    X(I16X8_EXTMUL_HIGH_I8X16_S, 0xFD09D, "i16x8.extmul_high_i8x16_s", NONE, vv_v, V) \
    X(I16X8_EXTMUL_LOW_I8X16_U, 0xFD09E, "i16x8.extmul_low_i8x16_u", NONE, vv_v, V) \
    X(I16X8_EXTMUL_HIGH_I8X16_U, 0xFD09F, "i16x8.extmul_high_i8x16_u", NONE, vv_v, V) \
    X(I32X4_ABS, 0xFD0A0, "i32x4.abs", NONE, v_v, V)                            \
    X(I32X4_NEG, 0xFD0A1, "i32x4.neg", NONE, v_v, V)                            \
    X(I32X4_ALL_TRUE, 0xFD0A3, "i32x4.all_true", NONE, v_i, V)                  \
    X(I32X4_BITMASK, 0xFD0A4, "i32x4.bitmask", NONE, v_i, V)                    \
    X(I32X4_EXTEND_LOW_I16X8_S, 0xFD0A7, "i32x4.extend_low_i16x8_s", NONE, v_v, V) \
    X(I32X4_EXTEND_HIGH_I16X8_S, 0xFD0A8, "i32x4.extend_high_i16x8_s", NONE, v_v, V) \
    X(I32X4_EXTEND_LOW_I16X8_U, 0xFD0A9, "i32x4.extend_low_i16x8_u", NONE, v_v, V) \
    X(I32X4_EXTEND_HIGH_I16X8_U, 0xFD0AA, "i32x4.extend_high_i16x8_u", NONE, v_v, V) \
    X(I32X4_SHL, 0xFD0AB, "i32x4.shl", NONE, vi_v, V)                           \
    X(I32X4_SHR_S, 0xFD0AC, "i32x4.shr_s", NONE, vi_v, V)                       \
    X(I32X4_SHR_U, 0xFD0AD, "i32x4.shr_u", NONE, vi_v, V)                       \
    X(I32X4_ADD, 0xFD0AE, "i32x4.add", NONE, vv_v, V)                           \
    X(I32X4_SUB, 0xFD0B1, "i32x4.sub", NONE, vv_v, V)                           \
    X(I32X4_MUL, 0xFD0B5, "i32x4.mul", NONE, vv_v, V)                           \
    X(I32X4_MIN_S, 0xFD0B6, "i32x4.min_s", NONE, vv_v, V)                       \
    X(I32X4_MIN_U, 0xFD0B7, "i32x4.min_u", NONE, vv_v, V)                       \
    X(I32X4_MAX_S, 0xFD0B8, "i32x4.max_s", NONE, vv_v, V)                       \
    X(I32X4_MAX_U, 0xFD0B9, "i32x4.max_u", NONE, vv_v, V)                       \
    X(I32X4_DOT_I16X8_S, 0xFD0BA, "i32x4.dot_i16x8_s", NONE, vv_v, V)           \
    X(I32X4_EXTMUL_LOW_I16X8_S, 0xFD0BC, "i32x4.extmul_low_i16x8_s", NONE, vv_v, V) \
    X(I32X4_EXTMUL_HIGH_I16X8_S, 0xFD0BD, "i32x4.extmul_high_i16x8_s", NONE, vv_v, V) \
    X(I32X4_EXTMUL_LOW_I16X8_U, 0xFD0BE, "i32x4.extmul_low_i16x8_u", NONE, vv_v, V) \
    X(I32X4_EXTMUL_HIGH_I16X8_U, 0xFD0BF, "i32x4.extmul_high_i16x8_u", NONE, vv_v, V) \
    X(I64X2_ABS, 0xFD0C0, "i64x2.abs", NONE, v_v, V)                            \
    X(I64X2_NEG, 0xFD0C1, "i64x2.neg", NONE, v_v, V)                            \
    X(I64X2_ALL_TRUE, 0xFD0C3, "i64x2.all_true", NONE, v_i, V)                  \
    X(I64X2_BITMASK, 0xFD0C4, "i64x2.bitmask", NONE, v_i, V)                    \
    X(I64X2_EXTEND_LOW_I32X4_S, 0xFD0C7, "i64x2.extend_low_i32x4_s", NONE, v_v, V) \
    X(I64X2_EXTEND_HIGH_I32X4_S, 0xFD0C8, "i64x2.extend_high_i32x4_s", NONE, v_v, V) \
    X(I64X2_EXTEND_LOW_I32X4_U, 0xFD0C9, "i64x2.extend_low_i32x4_u", NONE, v_v, V) \
    X(I64X2_EXTEND_HIGH_I32X4_U, 0xFD0CA, "i64x2.extend_high_i32x4_u", NONE, v_v, V) \
    X(I64X2_SHL, 0xFD0CB, "i64x2.shl", NONE, vi_v, V)                           \
    X(I64X2_SHR_S, 0xFD0CC, "i64x2.shr_s", NONE, vi_v, V)                       \
    X(I64X2_SHR_U, 0xFD0CD, "i64x2.shr_u", NONE, vi_v, V)                       \
    X(I64X2_ADD, 0xFD0CE, "i64x2.add", NONE, vv_v, V)                           \
    X(I64X2_SUB, 0xFD0D1, "i64x2.sub", NONE, vv_v, V)                           \
    X(I64X2_MUL, 0xFD0D5, "i64x2.mul", NONE, vv_v, V)                           \
    X(I64X2_EQ, 0xFD0D6, "i64x2.eq", NONE, vv_v, V)                             \
    X(I64X2_NE, 0xFD0D7, "i64x2.ne", NONE, vv_v, V)                             \
    X(I64X2_LT_S, 0xFD0D8, "i64x2.lt_s", NONE, vv_v, V)                         \
    X(I64X2_GT_S, 0xFD0D9, "i64x2.gt_s", NONE, vv_v, V)                         \
    X(I64X2_LE_S, 0xFD0DA, "i64x2.le_s", NONE, vv_v, V)                         \
    X(I64X2_GE_S, 0xFD0DB, "i64x2.ge_s", NONE, vv_v, V)                         \
    X(I64X2_EXTMUL_LOW_I32X4_S, 0xFD0DC, "i64x2.extmul_low_i32x4_s", NONE, vv_v, V) \
    X(I64X2_EXTMUL_HIGH_I32X4_S, 0xFD0DD, "i64x2.extmul_high_i32x4_s", NONE, vv_v, V) \
    X(I64X2_EXTMUL_LOW_I32X4_U, 0xFD0DE, "i64x2.extmul_low_i32x4_u", NONE, vv_v, V) \
    X(I64X2_EXTMUL_HIGH_I32X4_U, 0xFD0DF, "i64x2.extmul_high_i32x4_u", NONE, vv_v, V) \
    X(F32X4_ABS, 0xFD0E0, "f32x4.abs", NONE, v_v, V)                            \
    X(F32X4_NEG, 0xFD0E1, "f32x4.neg", NONE, v_v, V)                            \
    X(F32X4_SQRT, 0xFD0E3, "f32x4.sqrt", NONE, v_v, V)                          \
    X(F32X4_ADD, 0xFD0E4, "f32x4.add", NONE, vv_v, V)                           \
    X(F32X4_SUB, 0xFD0E5, "f32x4.sub", NONE, vv_v, V)                           \
    X(F32X4_MUL, 0xFD0E6, "f32x4.mul", NONE, vv_v, V)                           \
    X(F32X4_DIV, 0xFD0E7, "f32x4.div", NONE, vv_v, V)                           \
    X(F32X4_MIN, 0xFD0E8, "f32x4.min", NONE, vv_v, V)                           \
    X(F32X4_MAX, 0xFD0E9, "f32x4.max", NONE, vv_v, V)                           \
    X(F32X4_PMIN, 0xFD0EA, "f32x4.pmin", NONE, vv_v, V)                         \
    X(F32X4_PMAX, 0xFD0EB, "f32x4.pmax", NONE, vv_v, V)                         \
    X(F64X2_ABS, 0xFD0EC, "f64x2.abs", NONE, v_v, V)                            \
    X(F64X2_NEG, 0xFD0ED, "f64x2.neg", NONE, v_v, V)                            \
    X(F64X2_SQRT, 0xFD0EF, "f64x2.sqrt", NONE, v_v, V)                          \
    X(F64X2_ADD, 0xFD0F0, "f64x2.add", NONE, vv_v, V)                           \
    X(F64X2_SUB, 0xFD0F1, "f64x2.sub", NONE, vv_v, V)                           \
    X(F64X2_MUL, 0xFD0F2, "f64x2.mul", NONE, vv_v, V)                           \
    X(F64X2_DIV, 0xFD0F3, "f64x2.div", NONE, vv_v, V)                           \
    X(F64X2_MIN, 0xFD0F4, "f64x2.min", NONE, vv_v, V)                           \
    X(F64X2_MAX, 0xFD0F5, "f64x2.max", NONE, vv_v, V)                           \
    X(F64X2_PMIN, 0xFD0F6, "f64x2.pmin", NONE, vv_v, V)                         \
    X(F64X2_PMAX, 0xFD0F7, "f64x2.pmax", NONE, vv_v, V)                         \
    X(I32X4_TRUNC_SAT_F32X4_S, 0xFD0F8, "i32x4.trunc_sat_f32x4_s", NONE, v_v, V) \
    X(I32X4_TRUNC_SAT_F32X4_U, 0xFD0F9, "i32x4.trunc_sat_f32x4_u", NONE, v_v, V) \
    X(F32X4_CONVERT_I32X4_S, 0xFD0FA, "f32x4.convert_i32x4_s", NONE, v_v, V)    \
    X(F32X4_CONVERT_I32X4_U, 0xFD0FB, "f32x4.convert_i32x4_u", NONE, v_v, V)    \
    X(I32X4_TRUNC_SAT_F64X2_S_ZERO, 0xFD0FC, "i32x4.trunc_sat_f64x2_s_zero", NONE, v_v, V) \
    X(I32X4_TRUNC_SAT_F64X2_U_ZERO, 0xFD0FD, "i32x4.trunc_sat_f64x2_u_zero", NONE, v_v, V) \
    X(F64X2_CONVERT_LOW_I32X4_S, 0xFD0FE, "f64x2.convert_low_i32x4_s", NONE, v_v, V) \
    X(F64X2_CONVERT_LOW_I32X4_U, 0xFD0FF, "f64x2.convert_low_i32x4_u", NONE, v_v, V)

/* One past the highest sub-opcode (0xFF, f64x2.convert_low_i32x4_u); the
 * relaxed-SIMD proposal's 0x100 and up are illegal here. */
#define WASM_FD_SUBOP_COUNT 0x100u

#endif /* ISORUN_WASM_OPCODES_SIMD_H */
