/*
 * gen_module.h — a generator of random, valid WebAssembly modules, for
 * differential testing of the native tier against the interpreter
 * (tests/engine/test_differential.c, fuzz/fuzz_differential.c).
 *
 * Each module has: one memory (1-2 pages, usually a maximum of a few), an
 * active and a passive data segment; three tables: a funcref table a
 * little larger than the function count, partly filled by an active
 * element segment (the rest null), a small funcref one and a small
 * externref one; element segments of every mode (active, passive,
 * declarative; function indices or expressions); two mutable globals of
 * each type, funcref and externref too; 2-6 functions with random
 * signatures (multi-value sometimes, references among the params and
 * results) and random bodies, whose locals may be references too. It may import host functions, globals, its
 * memory and table 0 from "env" (diff_host.h says what they are); in a
 * pair, the second module also imports from the first ("b"). Every
 * defined function is exported as "f<N>" (N from 0 for the first defined
 * one), every global as "g<index>", the memory as "mem", the tables as
 * "t0".."t2".
 *
 * Bodies come from a typed generator (gen_body.c) that tracks operand and
 * control stacks the way the validator does, so every module is valid by
 * construction: an invalid one is a bug here. Every run ends: each loop
 * branches back only while a counter local of its own is non-zero.
 */
#ifndef ISORUN_FUZZ_GEN_MODULE_H
#define ISORUN_FUZZ_GEN_MODULE_H

#include "gen_source.h"

#include "../src/wasm/wasm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A new module's binary drawn from src (malloc'd, *len set), or NULL when
 * memory runs out. */
uint8_t *gen_module(gen_source *src, size_t *len);

/* What generated modules contain, for tests of the generator: instructions
 * written into code by the instruction table's numbering (wasm_op: every
 * instruction of opcodes.h and opcodes_simd.h), modules, SIMD modules. */
typedef struct gen_counts {
    uint64_t ops[WASM_OP_COUNT_];
    uint64_t modules, simd_modules;
} gen_counts;

/* gen_module, adding what it made to *counts. */
uint8_t *gen_module_counted(gen_source *src, size_t *len, gen_counts *counts);

/* A module's binary (malloc'd). */
typedef struct gen_wasm {
    uint8_t *bytes;
    size_t len;
} gen_wasm;

/* Two modules for two instances in one store: b as gen_module makes it,
 * and a, which imports from "b" (b's exports, by their names: one or two
 * functions, sometimes its first global, memory or table 0) as well as
 * from the host. False (both NULL) when memory runs out. */
bool gen_module_pair(gen_source *src, gen_wasm *a, gen_wasm *b);
/* gen_module_pair, adding what it made to *counts (NULL: nothing). */
bool gen_module_pair_counted(gen_source *src, gen_wasm *a, gen_wasm *b, gen_counts *counts);

#endif /* ISORUN_FUZZ_GEN_MODULE_H */
