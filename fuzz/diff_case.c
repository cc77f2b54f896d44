/*
 * diff_case.c — generating and running one differential case (diff_case.h).
 */
#include "diff_case.h"

#include <stdlib.h>

bool diff_case_generate(gen_source *src, diff_case *c) {
    *c = (diff_case){0};
    /* An exhausted fuzzer input reads as zeros: the simple case, alone. */
    if (gen_chance(src, 35)) return gen_module_pair(src, &c->a, &c->b);
    c->a.bytes = gen_module(src, &c->a.len);
    return c->a.bytes != NULL;
}

diff_status diff_case_run(const diff_case *c, gen_source *args, const char *cache_dir, const char *cc, FILE *report,
                          diff_stats *stats) {
    wasm_module *a[2] = {NULL, NULL}, *b[2] = {NULL, NULL};
    diff_status status = DIFF_SAME;
    if (c->b.bytes) {
        fprintf(report, "module b (the provider):\n");
        status = diff_load(c->b.bytes, c->b.len, cache_dir, cc, b, report);
        if (status == DIFF_SAME) fprintf(report, "module a (imports from b):\n");
    }
    if (status == DIFF_SAME) status = diff_load(c->a.bytes, c->a.len, cache_dir, cc, a, report);
    if (status == DIFF_SAME) status = diff_compare(a, c->b.bytes ? b : NULL, args, report, stats);
    for (int k = 0; k < 2; k++) {
        wasm_module_free(a[k]);
        wasm_module_free(b[k]);
    }
    return status;
}

void diff_case_free(diff_case *c) {
    free(c->a.bytes);
    free(c->b.bytes);
    *c = (diff_case){0};
}
