/*
 * diff_case.h — one differential case, as both drivers (test_differential.c,
 * fuzz_differential.c) run it: a generated module alone, or a pair of
 * modules where one imports from the other, loaded in both tiers and
 * compared by diff_run.c.
 */
#ifndef ISORUN_FUZZ_DIFF_CASE_H
#define ISORUN_FUZZ_DIFF_CASE_H

#include "diff_run.h"
#include "gen_module.h"

typedef struct diff_case {
    gen_wasm a; /* the module under test */
    gen_wasm b; /* its provider in a pair; bytes NULL when alone */
} diff_case;

/* Draws a case from src: about a third are pairs. False on OOM. */
bool diff_case_generate(gen_source *src, diff_case *c);
/* diff_case_generate, adding what it made to *counts (gen_module.h). */
bool diff_case_generate_counted(gen_source *src, diff_case *c, gen_counts *counts);

/* Loads the case's modules in both tiers (native builds with `cc` into
 * cache_dir, see diff_load) and compares them (diff_compare), arguments
 * and budgets drawn from args. */
diff_status diff_case_run(const diff_case *c, gen_source *args, const char *cache_dir, const char *cc, FILE *report,
                          diff_stats *stats);
/* diff_case_run with both copies interpreted (diff_load_interpreted). */
diff_status diff_case_run_interpreted(const diff_case *c, gen_source *args, FILE *report, diff_stats *stats);

void diff_case_free(diff_case *c);

#endif /* ISORUN_FUZZ_DIFF_CASE_H */
