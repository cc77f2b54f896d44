/*
 * diff_host.h — the host side of a differential run (diff_run.c): what the
 * generated modules import from "env" (gen_internal.h's GEN_HOST_*), made
 * afresh for each store so that every run sees the same host.
 *
 *   mix(i32, i64) -> i32       counts the call and mixes its arguments with
 *                              the count: the order of calls shows
 *   trap(i32) -> i32           traps (host error) on a multiple of 4
 *   callback(i32) -> i32       calls the caller's export "f0" through the
 *                              call context (re-entry, in either tier) with
 *                              the argument in every i32 parameter (null
 *                              in reference ones, zero in the others, v128
 *                              ones included), and mixes its results (a
 *                              funcref by what it denotes, not its
 *                              pointer; a v128 made canonical, below);
 *                              passes its trap on
 *   ext(i32) -> externref      an opaque non-null value derived from the
 *                              argument (null for 0)
 *   g_i32 (mutable), g_i64 (immutable), g_v128 (mutable), mem, t0: made
 *                              with the importer's types and fixed initial
 *                              values
 *
 * Everything is deterministic, so two runs of the same calls agree.
 */
#ifndef ISORUN_FUZZ_DIFF_HOST_H
#define ISORUN_FUZZ_DIFF_HOST_H

#include "../src/wasm/wasm.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct diff_host diff_host;

/* A host for store s (which must outlive it), or NULL on OOM. */
diff_host *diff_host_new(wasm_store *s);
void diff_host_free(diff_host *h);

/* The host's object for import `im` from "env" (the same object for every
 * importer); false when there is none by that name or it cannot be made. */
bool diff_host_import(diff_host *h, const wasm_import *im, wasm_extern *out);

/* How many times the host's functions were called. */
uint64_t diff_host_calls(const diff_host *h);

/* Which host function f is (its index, GEN_HOST_*), or -1. */
int diff_host_func_index(const diff_host *h, const wasm_func *f);

/* The bits of an f32 or f64 value with a NaN replaced by the positive
 * quiet NaN with the smallest payload when it is quiet (the quiet bit, the
 * payload's highest, set), and by a fixed signalling one when not: the
 * specification leaves an arithmetic NaN's sign and the rest of its
 * payload open, but not its quiet bit (float arithmetic gives only quiet
 * NaNs; neg, abs, copysign and moves keep a signalling one as it is). */
wasm_slot diff_canonical(uint8_t type, wasm_slot v);

/* Whether two v128 values (two slots each: bytes 0-7, then 8-15) are the
 * same up to the NaN freedom diff_canonical sets aside, lane by lane: in
 * each 64-bit half, the bits are equal, or both halves are f64 NaNs with
 * the same quiet bit, or each of its two f32 lanes is equal in both or
 * is, in both, a NaN with the same quiet bit. A v128 has no lane shape,
 * and float lanes of either shape may hold NaNs whose sign and payload the
 * specification leaves open (gen_simd.c). */
bool diff_same_v128(const wasm_slot a[2], const wasm_slot b[2]);

/* The same NaN freedom as a canonical form, for mixing a v128 into a
 * number (callback's value): f32 NaN lanes become 0x7FC00000, and a half
 * whose upper f32 lane is a NaN (as every f64 NaN's is) becomes
 * (0, 0x7FC00000). Values diff_same_v128 calls the same get the same form
 * (it loses the lower lane of such a half and the quiet bits, which is why
 * comparisons use diff_same_v128 instead). In place. */
void diff_canonical_v128(wasm_slot v[2]);

#endif /* ISORUN_FUZZ_DIFF_HOST_H */
