/*
 * iops.h — the internal instruction set shared by the compiler (compile.c)
 * and the interpreter (interp.c). Private to src/wasm.
 *
 * Compiled code is an array of wasm_cell: each instruction is a handler
 * address followed by operand cells. Operands are frame slot numbers (fp[n];
 * a v128 operand names the first of its two slots):
 * a function's frame is [params | declared locals | constants | operand stack],
 * so an instruction reads locals and constants in place and `local.get` and
 * `*.const` cost nothing at run time.
 *
 * Numeric instructions (KIND N in opcodes.h) use their wasm_op number as the
 * handler index with these layouts:
 *   unary   [h][dst,a]
 *   binary  [h][dst,a][b,-]
 *   load    [h][dst,addr][offset,-]
 *   store   [h][addr,value][offset,-]
 * Vector instructions (KIND V) likewise, with v128 operands naming their
 * first slot and `size` the bytes a memory access touches:
 *   unary, splat, test   [h][dst,a]
 *   binary, shift        [h][dst,a][b,-]
 *   ternary              [h][dst,a][b,c]
 *   extract_lane         [h][dst,a][lane,-]
 *   replace_lane         [h][dst,a][x,lane]
 *   load                 [h][dst,addr][offset,size]
 *   store                [h][addr,value][offset,size]
 *   load_lane            [h][dst,addr][offset,vec][lane,size]
 *   store_lane           [h][addr,vec][offset,-][lane,size]
 *   shuffle              [h][dst,a][b,-][lanes 0-7][lanes 8-15]
 *   v128.const           [h][dst,-][bytes 0-7][bytes 8-15]
 * Branch offsets are in cells, relative to the cell that holds them.
 */
#ifndef ISORUN_WASM_IOPS_H
#define ISORUN_WASM_IOPS_H

#include "wasm.h"

/* X(NAME, layout) — layouts documented for each; see compile.c emitters. */
#define WASM_IOPS(X)                                                           \
    X(COPY)          /* [h][dst,src] */                                        \
    X(COPY_V128)     /* [h][dst,src]  two slots */                             \
    X(BR)            /* [h][rel] */                                            \
    X(BR_BACK)       /* [h][rel][cost,-]  loop back-edge: fuel + interrupt */  \
    X(BR_IF)         /* [h][cond,-][rel] */                                    \
    X(BR_IF_BACK)    /* [h][cond,cost][rel] */                                 \
    X(BR_UNLESS)     /* [h][cond,-][rel] */                                    \
    X(BR_TABLE)      /* [h][index,count][rel]*(count+1) */                     \
    X(RETURN)        /* [h] results already in fp[0..nresults) */              \
    X(CALL)          /* [h][func,argbase] */                                   \
    X(CALL_INDIRECT) /* [h][type,table][index,argbase] */                      \
    X(SELECT)        /* [h][dst,cond][a,b] */                                  \
    X(SELECT_V128)   /* [h][dst,cond][a,b]  two slots each */                  \
    X(GLOBAL_GET)    /* [h][dst,global] */                                     \
    X(GLOBAL_SET)    /* [h][src,global] */                                     \
    X(GLOBAL_GET_V128) /* [h][dst,global]  two slots */                        \
    X(GLOBAL_SET_V128) /* [h][src,global]  two slots */                        \
    X(MEMORY_SIZE)   /* [h][dst,-] */                                          \
    X(MEMORY_GROW)   /* [h][dst,delta] */                                      \
    X(MEMORY_FILL)   /* [h][dst,value][n,-] */                                 \
    X(MEMORY_COPY)   /* [h][dst,src][n,-] */                                   \
    X(MEMORY_INIT)   /* [h][dst,src][n,seg] */                                 \
    X(DATA_DROP)     /* [h][seg,-] */                                          \
    X(TABLE_GET)     /* [h][dst,index][table,-] */                             \
    X(TABLE_SET)     /* [h][index,value][table,-] */                           \
    X(TABLE_SIZE)    /* [h][dst,table] */                                      \
    X(TABLE_GROW)    /* [h][dst,init][n,table] */                              \
    X(TABLE_FILL)    /* [h][index,value][n,table] */                           \
    X(TABLE_COPY)    /* [h][dst,src][n,-][dsttable,srctable] */                \
    X(TABLE_INIT)    /* [h][dst,src][n,seg][table,-] */                        \
    X(ELEM_DROP)     /* [h][seg,-] */                                          \
    X(REF_FUNC)      /* [h][dst,func] */                                       \
    X(REF_IS_NULL)   /* [h][dst,a] */                                          \
    X(UNREACHABLE)   /* [h] */                                                 \
    X(BR_IF_I32_EQZ) /* [h][a,-][rel][cost,-] fused i32.eqz + br_if */

/* The i32 comparisons that fuse with a following br_if (or, inverted, with
 * an if): X(CMP, INVERSE, C operator, operand type). Each gets an internal
 * instruction BR_IF_I32_<CMP> laid out [h][a,b][rel][cost,-]; a backward
 * branch (rel < 0) charges cost and polls the interrupt flag. */
#define WASM_FUSED_COMPARES(X)                                                 \
    X(EQ, NE, ==, uint32_t)                                                    \
    X(NE, EQ, !=, uint32_t)                                                    \
    X(LT_S, GE_S, <, int32_t)                                                  \
    X(LT_U, GE_U, <, uint32_t)                                                 \
    X(GT_S, LE_S, >, int32_t)                                                  \
    X(GT_U, LE_U, >, uint32_t)                                                 \
    X(LE_S, GT_S, <=, int32_t)                                                 \
    X(LE_U, GT_U, <=, uint32_t)                                                \
    X(GE_S, LT_S, >=, int32_t)                                                 \
    X(GE_U, LT_U, >=, uint32_t)

typedef enum wasm_iop {
    WASM_IOP_FIRST_ = WASM_OP_COUNT_ - 1,
#define WASM_X_IOP(name) WASM_IOP_##name,
    WASM_IOPS(WASM_X_IOP)
#undef WASM_X_IOP
#define WASM_X_FUSED(cmp, inverse, op, type) WASM_IOP_BR_IF_I32_##cmp,
    WASM_FUSED_COMPARES(WASM_X_FUSED)
#undef WASM_X_FUSED
    WASM_IOP_COUNT_
} wasm_iop;

#endif /* ISORUN_WASM_IOPS_H */
