/*
 * gen_module.h — a generator of random, valid WebAssembly modules, for
 * differential testing of the native tier against the interpreter
 * (tests/engine/test_differential.c, fuzz/fuzz_differential.c).
 *
 * Each module has: one memory (1-2 pages, usually a maximum of a few), an
 * active data segment; a funcref table a little larger than the function
 * count, partly filled by an active element segment (the rest null); two
 * mutable globals of each numeric type; 2-6 functions with random
 * signatures (multi-value sometimes) and random bodies. Every function is
 * exported as "f<N>", every global as "g<N>", the memory as "mem".
 *
 * Bodies come from a typed generator (gen_body.c) that tracks operand and
 * control stacks the way the validator does, so every module is valid by
 * construction: an invalid one is a bug here. Every run ends: each loop
 * branches back only while a counter local of its own is non-zero.
 */
#ifndef ISORUN_FUZZ_GEN_MODULE_H
#define ISORUN_FUZZ_GEN_MODULE_H

#include "gen_source.h"

#include <stddef.h>
#include <stdint.h>

/* A new module's binary drawn from src (malloc'd, *len set), or NULL when
 * memory runs out. */
uint8_t *gen_module(gen_source *src, size_t *len);

#endif /* ISORUN_FUZZ_GEN_MODULE_H */
