/*
 * gen_check.c — checks of the differential generator itself (CTest
 * fuzz.generator_*; docs/fuzzing.md), by seed, with the seed streams
 * engine.differential uses, so that a seed found here reruns there too.
 *
 * Usage: isorun-fuzz-gen-check MODE [SEEDS [FIRST]]
 *   validate  every module of seeds FIRST.. (default 1) validates; SIMD
 *             modules are a fair share (15-50 %) of them, and the others
 *             have no vector instruction (nor a v128 anywhere); every
 *             instruction of the table (opcodes.h and opcodes_simd.h)
 *             that the generator writes in code shows up at least once
 *             (numeric and vector ones: a new table entry must be
 *             generated); prints the proportions.
 *   interp    the cases of those seeds that have SIMD run twice
 *             interpreted and compared (diff_case_run_interpreted): no
 *             crash, and the interpreter agrees with itself.
 *   native    the first SEEDS cases with SIMD, interpreted against native
 *             (diff_case_run), built with $ISORUN_DIFF_CC when set (as in
 *             engine.differential): exits 77 when nothing could be built.
 * A failing seed's modules go to ISORUN_GEN_CHECK_DIR (compile definition)
 * as seed-S.wasm (and seed-S-b.wasm).
 */
#define _GNU_SOURCE
#include "diff_case.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef ISORUN_GEN_CHECK_DIR
#define ISORUN_GEN_CHECK_DIR "."
#endif

static uint64_t module_stream(uint64_t seed) { return seed * 0x9E3779B97F4A7C15ull + 1; }
static uint64_t args_stream(uint64_t seed) { return seed ^ 0xD1B54A32D192ED03ull; }

static void save(uint64_t seed, const char *suffix, const gen_wasm *w) {
    if (!w->bytes) return;
    char path[4096];
    mkdir(ISORUN_GEN_CHECK_DIR, 0755);
    snprintf(path, sizeof path, "%s/seed-%" PRIu64 "%s.wasm", ISORUN_GEN_CHECK_DIR, seed, suffix);
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(w->bytes, 1, w->len, f) == w->len;
    if (f && fclose(f) != 0) ok = false;
    fprintf(stderr, ok ? "  module written to %s\n" : "  could not write %s\n", path);
}

static void save_case(uint64_t seed, const diff_case *c) {
    save(seed, "", &c->a);
    save(seed, "-b", &c->b);
}

/* Whether the generator writes instruction o into code at all: every
 * numeric and vector instruction but the constants, which it writes
 * through their own paths (always, so they need no check). */
static bool expected(wasm_op o) {
    const wasm_opinfo *info = &wasm_opinfos[o];
    return (info->numeric || info->vector) && info->imm != WASM_IMM_V128;
}

/* Adds one case's counts to the total. */
static void add_counts(gen_counts *total, const gen_counts *c) {
    for (uint32_t o = 0; o < WASM_OP_COUNT_; o++) total->ops[o] += c->ops[o];
    total->modules += c->modules;
    total->simd_modules += c->simd_modules;
}

static uint64_t vector_ops(const gen_counts *c) {
    uint64_t n = 0;
    for (uint32_t o = 0; o < WASM_OP_COUNT_; o++) n += wasm_opinfos[o].vector ? c->ops[o] : 0;
    return n;
}

static int validate(uint64_t first, uint32_t nseeds) {
    gen_counts *counts = calloc(1, sizeof *counts), *one = malloc(sizeof *one);
    if (!counts || !one) return 1;
    int failures = 0;
    uint64_t simd_ops = 0, simd_case_ops = 0;
    for (uint64_t seed = first; seed < first + nseeds; seed++) {
        gen_source src;
        gen_source_from_seed(&src, module_stream(seed));
        diff_case c;
        memset(one, 0, sizeof *one);
        if (!diff_case_generate_counted(&src, &c, one)) {
            fprintf(stderr, "seed %" PRIu64 ": the generator ran out of memory\n", seed);
            return 1;
        }
        add_counts(counts, one);
        if (one->simd_modules) {
            simd_ops += vector_ops(one);
            for (uint32_t o = 0; o < WASM_OP_COUNT_; o++) simd_case_ops += one->ops[o];
        } else if (vector_ops(one)) {
            fprintf(stderr, "seed %" PRIu64 ": vector instructions in a case without SIMD\n", seed);
            save_case(seed, &c);
            failures++;
        }
        for (int k = 0; k < 2; k++) {
            const gen_wasm *w = k ? &c.b : &c.a;
            if (!w->bytes) continue;
            wasm_module *m = NULL;
            isorun_error *err = wasm_module_new(w->bytes, w->len, &m);
            if (err) {
                fprintf(stderr, "seed %" PRIu64 ": module %s does not load (a generator bug): %s\n", seed,
                        k ? "b" : "a", isorun_error_message(err));
                isorun_error_free(err);
                save_case(seed, &c);
                failures++;
            }
            wasm_module_free(m);
        }
        diff_case_free(&c);
    }
    uint64_t all = 0, vector = 0, missing = 0;
    for (uint32_t o = 0; o < WASM_OP_COUNT_; o++) {
        all += counts->ops[o];
        if (wasm_opinfos[o].vector) vector += counts->ops[o];
        if (expected((wasm_op)o) && counts->ops[o] == 0) {
            fprintf(stderr, "never generated in %u seeds: %s\n", nseeds, wasm_opinfos[o].name);
            missing++;
        }
    }
    double simd_share = counts->modules ? (double)counts->simd_modules / (double)counts->modules : 0;
    printf("generator: %" PRIu64 " modules from %u seeds, %" PRIu64 " with SIMD (%.0f %%); %" PRIu64
           " instructions, %" PRIu64 " of them vector ones (%.1f %%; %.1f %% in the cases with SIMD)\n",
           counts->modules, nseeds, counts->simd_modules, 100 * simd_share, all, vector,
           all ? 100.0 * (double)vector / (double)all : 0,
           simd_case_ops ? 100.0 * (double)simd_ops / (double)simd_case_ops : 0);
    if (simd_share < 0.15 || simd_share > 0.5) {
        fprintf(stderr, "SIMD modules are %.0f %% of all: expected 15-50 %%\n", 100 * simd_share);
        failures++;
    }
    if (missing) failures++;
    free(counts);
    free(one);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}

/* Runs the SIMD cases among the seeds (at most `limit` of them). */
static int run(uint64_t first, uint32_t nseeds, bool native, uint32_t limit) {
    diff_stats stats = {0};
    uint32_t ran = 0, no_native = 0, failures = 0;
    gen_counts *counts = malloc(sizeof *counts);
    if (!counts) return 1;
    for (uint64_t seed = first; seed < first + nseeds && ran < limit; seed++) {
        gen_source src;
        gen_source_from_seed(&src, module_stream(seed));
        diff_case c;
        memset(counts, 0, sizeof *counts);
        if (!diff_case_generate_counted(&src, &c, counts)) return 1;
        if (!counts->simd_modules) {
            diff_case_free(&c);
            continue;
        }
        char *text = NULL;
        size_t len = 0;
        FILE *report = open_memstream(&text, &len);
        if (!report) return 1;
        gen_source args;
        gen_source_from_seed(&args, args_stream(seed));
        const char *cc = getenv("ISORUN_DIFF_CC");
        diff_status status = native ? diff_case_run(&c, &args, ISORUN_GEN_CHECK_DIR "/native-cache", cc && *cc ? cc : NULL,
                                                    report, &stats)
                                    : diff_case_run_interpreted(&c, &args, report, &stats);
        fclose(report);
        ran++;
        no_native += status == DIFF_NO_NATIVE;
        if (status != DIFF_SAME) {
            fprintf(stderr, "seed %" PRIu64 ": %s", seed, text);
            fprintf(stderr, "  rerun: ISORUN_DIFF_FIRST_SEED=%" PRIu64 " ISORUN_DIFF_SEEDS=1 (engine.differential)\n",
                    seed);
            save_case(seed, &c);
            failures++;
        }
        free(text);
        diff_case_free(&c);
    }
    free(counts);
    printf("%s: %u cases with SIMD, %u failed; ", native ? "interpreted against native" : "interpreted twice", ran,
           failures);
    diff_stats_print(stdout, &stats);
    if (native && ran && no_native == ran) {
        printf("no module could be built natively: is there a C compiler?\n");
        return 77;
    }
    if (ran == 0) {
        fprintf(stderr, "no seed made a SIMD case\n");
        return 1;
    }
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s validate|interp|native [SEEDS [FIRST]]\n", argv[0]);
        return 2;
    }
    uint32_t nseeds = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 1000;
    uint64_t first = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    if (strcmp(argv[1], "validate") == 0) return validate(first, nseeds);
    if (strcmp(argv[1], "interp") == 0) return run(first, nseeds, false, UINT32_MAX);
    if (strcmp(argv[1], "native") == 0) return run(first, UINT32_MAX, true, nseeds);
    fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[1]);
    return 2;
}
