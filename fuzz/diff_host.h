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
 *                              in reference ones, zero in the others), and
 *                              mixes its results (a funcref by what it
 *                              denotes, not its pointer); passes its trap on
 *   ext(i32) -> externref      an opaque non-null value derived from the
 *                              argument (null for 0)
 *   g_i32 (mutable), g_i64 (immutable), mem, t0: made with the importer's
 *                              types and fixed initial values
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

/* The bits of a value with any NaN replaced by the canonical positive one:
 * the specification leaves an arithmetic NaN's sign and payload open. */
wasm_slot diff_canonical(uint8_t type, wasm_slot v);

#endif /* ISORUN_FUZZ_DIFF_HOST_H */
