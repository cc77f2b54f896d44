/*
 * diff_run.h — differential runs of one module: the interpreter against the
 * native tier (tests/engine/test_differential.c, fuzz/fuzz_differential.c).
 *
 * The module is loaded twice, one copy compiled to native code, and each
 * copy instantiated in a store of its own, linked against a deterministic
 * host (diff_host.h); a pair of modules (one importing from the other)
 * is instantiated in the four combinations of tiers. Then every exported
 * function is called, the same calls in the same order everywhere, with a
 * few argument sets and, for each, a few fuel budgets (a large one, and
 * small ones that run out part-way: the remaining fuel and what the call
 * had already written must agree too). A reference argument is null, an
 * externref value of the harness's own, or a funcref that each world
 * resolves for itself: an export of either instance, or an element of its
 * table t0 or t1. After each call every combination
 * must agree with the all-interpreted one on the outcome (results bit for
 * bit, a funcref by the function it denotes, or the trap code), the fuel left, each instance's memory size and
 * bytes, every global, every table's size and elements (a funcref by the
 * function it denotes: host function, or instance and export; an externref
 * as the host value it is), and the host's call count. Float results and globals are
 * compared with NaNs made canonical, since the specification leaves an
 * arithmetic NaN's sign and payload open (gen_body.c keeps them out of
 * memory and integers), and v128 ones with NaN lanes of either float
 * shape compared as NaNs (diff_same_v128; gen_simd.c keeps such lanes out
 * of memory, integer lanes and other shapes). A v128 argument is drawn
 * like a v128.const (gen_v128_constant).
 */
#ifndef ISORUN_FUZZ_DIFF_RUN_H
#define ISORUN_FUZZ_DIFF_RUN_H

#include "gen_source.h"

#include "../src/wasm/wasm.h"

#include <stdio.h>

typedef enum diff_status {
    DIFF_SAME,      /* both tiers agreed on every call */
    DIFF_MISMATCH,  /* they did not: described on the report stream */
    DIFF_INVALID,   /* the module did not load: a generator bug */
    DIFF_NO_NATIVE, /* the native build failed (message on the report stream) */
    DIFF_SETUP,     /* a store or an instance could not be made */
} diff_status;

enum { DIFF_INTERP = 0, DIFF_NATIVE = 1 };

/* Loads the binary in both tiers: tiers[DIFF_INTERP] interpreted,
 * tiers[DIFF_NATIVE] built with the C compiler `cc` (NULL: the engine's
 * default) into cache_dir. On any status but DIFF_SAME both are NULL and
 * the reason is on `report`. */
diff_status diff_load(const uint8_t *wasm, size_t len, const char *cache_dir, const char *cc, wasm_module *tiers[2],
                      FILE *report);
/* diff_load without the native build: tiers[DIFF_NATIVE] is a second
 * interpreted copy, so diff_compare checks the interpreter (and the
 * harness) against itself — for where no C compiler is wanted. */
diff_status diff_load_interpreted(const uint8_t *wasm, size_t len, wasm_module *tiers[2], FILE *report);

/* How the calls ended (in the interpreter), to show what a run exercised. */
typedef struct diff_stats {
    uint64_t calls, returned, other_errors;
    /* Comparisons (a call's results, a global) that agreed only because
     * NaNs' bits were set aside: how often the tiers really made NaNs with
     * different signs or payloads. */
    uint64_t nan_bits;
    uint64_t traps[ISORUN_TRAP_COUNT_]; /* by trap code */
} diff_stats;

void diff_stats_add(diff_stats *into, const diff_stats *s);
/* One line: "N calls: R returned, T trapped (kind n, ...)", and the
 * NaN-bit agreements when there were any. */
void diff_stats_print(FILE *out, const diff_stats *s);

/* Runs the calls in every combination of tiers (arguments and budgets
 * drawn from `args`) and compares; stops at the first disagreement and
 * describes it on `report`: the combination, the call, its arguments and
 * budget, both outcomes, and the calls before it on the same instances.
 * With `provider` (NULL: none), tiers' module imports from it ("b", see
 * gen_module_pair): the two are linked in one store, in the four
 * combinations of tiers, each compared with both interpreted. Adds to
 * *stats unless NULL. */
diff_status diff_compare(wasm_module *const tiers[2], wasm_module *const provider[2], gen_source *args, FILE *report,
                         diff_stats *stats);

#endif /* ISORUN_FUZZ_DIFF_RUN_H */
