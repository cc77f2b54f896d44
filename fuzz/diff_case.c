/*
 * diff_case.c — generating and running one differential case (diff_case.h).
 */
#include "diff_case.h"

#include <stdlib.h>

bool diff_case_generate_counted(gen_source *src, diff_case *c, gen_counts *counts) {
    *c = (diff_case){0};
    /* An exhausted fuzzer input reads as zeros: the simple case, alone. */
    if (gen_chance(src, 35)) return gen_module_pair_counted(src, &c->a, &c->b, counts);
    c->a.bytes = gen_module_counted(src, &c->a.len, counts);
    return c->a.bytes != NULL;
}

bool diff_case_generate(gen_source *src, diff_case *c) { return diff_case_generate_counted(src, c, NULL); }

/* Loads one module in both tiers: native unless `interpreted`. */
static diff_status load(const gen_wasm *w, bool interpreted, const char *cache_dir, const char *cc,
                        wasm_module *tiers[2], FILE *report) {
    if (interpreted) return diff_load_interpreted(w->bytes, w->len, tiers, report);
    return diff_load(w->bytes, w->len, cache_dir, cc, tiers, report);
}

static diff_status run_case(const diff_case *c, gen_source *args, bool interpreted, const char *cache_dir,
                            const char *cc, FILE *report, diff_stats *stats) {
    wasm_module *a[2] = {NULL, NULL}, *b[2] = {NULL, NULL};
    diff_status status = DIFF_SAME;
    if (c->b.bytes) {
        fprintf(report, "module b (the provider):\n");
        status = load(&c->b, interpreted, cache_dir, cc, b, report);
        if (status == DIFF_SAME) fprintf(report, "module a (imports from b):\n");
    }
    if (status == DIFF_SAME) status = load(&c->a, interpreted, cache_dir, cc, a, report);
    if (status == DIFF_SAME) status = diff_compare(a, c->b.bytes ? b : NULL, args, report, stats);
    for (int k = 0; k < 2; k++) {
        wasm_module_free(a[k]);
        wasm_module_free(b[k]);
    }
    return status;
}

diff_status diff_case_run(const diff_case *c, gen_source *args, const char *cache_dir, const char *cc, FILE *report,
                          diff_stats *stats) {
    return run_case(c, args, false, cache_dir, cc, report, stats);
}

diff_status diff_case_run_interpreted(const diff_case *c, gen_source *args, FILE *report, diff_stats *stats) {
    return run_case(c, args, true, NULL, NULL, report, stats);
}

void diff_case_free(diff_case *c) {
    free(c->a.bytes);
    free(c->b.bytes);
    *c = (diff_case){0};
}
