/*
 * test_differential.c — the native tier against the interpreter on random
 * programs nobody wrote by hand (CTest engine.differential).
 *
 * For each of N deterministic seeds, fuzz/gen_module.c makes a valid module
 * (memory, tables, globals, a few functions over every numeric instruction,
 * loads and stores, blocks, loops, branches, calls, call_indirect, memory
 * operations, table and reference instructions, passive segments, imports
 * from a deterministic host) — or, for about a third of the seeds, a pair
 * where one module imports from the other — and fuzz/diff_run.c runs it
 * interpreted and native (a pair: in all four combinations of tiers),
 * calling every export with a few argument sets and fuel budgets and
 * comparing results, traps, remaining fuel, memories, globals, tables and
 * the host's call count after every call.
 *
 * The native build of each module (one C compiler run) is the cost, so the
 * seeds are spread over one worker thread per core; each worker generates,
 * builds, runs and compares whole modules, and the main thread reports in
 * seed order.
 *
 * Environment:
 *   ISORUN_DIFF_SEEDS=N        how many seeds (default 100)
 *   ISORUN_DIFF_FIRST_SEED=S   the first one (default 1): to rerun seed 17
 *                              alone, ISORUN_DIFF_FIRST_SEED=17 ISORUN_DIFF_SEEDS=1
 *   ISORUN_DIFF_JOBS=J         worker threads (default: the number of cores)
 *   ISORUN_DIFF_CC="CMD"       the native tier's C compiler command (default
 *                              the engine's): e.g. "cc -ffast-math" builds
 *                              wrong code on purpose, to see the test notice
 * A failing seed's module is written to ISORUN_DIFF_FAIL_DIR/seed-S.wasm
 * (and a pair's provider to seed-S-b.wasm; `wasm2wat` shows them); the report names the call, its arguments and fuel,
 * both outcomes, and the calls made before it.
 *
 * Compile definitions (tests/engine/CMakeLists.txt):
 *   ISORUN_DIFF_CACHE_DIR  native objects of the generated modules (kept
 *                          between runs: a rerun builds nothing)
 *   ISORUN_DIFF_FAIL_DIR   where failing modules are written
 */
#define _GNU_SOURCE
#include "../unit/check.h"

#include "../../fuzz/diff_case.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#if !defined(ISORUN_DIFF_CACHE_DIR) || !defined(ISORUN_DIFF_FAIL_DIR)
#error "tests/engine/CMakeLists.txt defines ISORUN_DIFF_CACHE_DIR and ISORUN_DIFF_FAIL_DIR"
#endif

enum { DEFAULT_SEEDS = 100, MAX_JOBS = 16 };

/* What happened to one seed, kept until the main thread reports it. */
typedef struct seed_result {
    diff_status status;
    diff_stats stats;
    char *report;      /* what diff_run wrote (malloc'd), when not DIFF_SAME */
    diff_case modules; /* kept when not DIFF_SAME */
    bool pair;
} seed_result;

static struct {
    const char *cc;
    uint64_t first_seed;
    uint32_t nseeds;
    atomic_uint next; /* the next seed index a worker takes */
    seed_result *results;
} work;

/* The generator's stream for a seed, and a separate one for the call
 * arguments, so that changing how arguments are drawn keeps the modules. */
static uint64_t module_stream(uint64_t seed) { return seed * 0x9E3779B97F4A7C15ull + 1; }
static uint64_t args_stream(uint64_t seed) { return seed ^ 0xD1B54A32D192ED03ull; }

static void run_seed(uint64_t seed, seed_result *out) {
    char *text = NULL;
    size_t text_len = 0;
    FILE *report = open_memstream(&text, &text_len);
    if (!report) {
        out->status = DIFF_SETUP;
        return;
    }
    gen_source src;
    gen_source_from_seed(&src, module_stream(seed));
    diff_case c;
    diff_status status = DIFF_SETUP;
    if (diff_case_generate(&src, &c)) {
        gen_source args;
        gen_source_from_seed(&args, args_stream(seed));
        status = diff_case_run(&c, &args, ISORUN_DIFF_CACHE_DIR, work.cc, report, &out->stats);
    } else {
        fprintf(report, "the generator ran out of memory\n");
    }
    fclose(report);
    out->status = status;
    out->pair = c.b.bytes != NULL;
    if (status == DIFF_SAME) {
        free(text);
        diff_case_free(&c);
        return;
    }
    out->report = text;
    out->modules = c;
}

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        uint32_t i = atomic_fetch_add(&work.next, 1);
        if (i >= work.nseeds) return NULL;
        run_seed(work.first_seed + i, &work.results[i]);
    }
}

static uint64_t env_number(const char *name, uint64_t fallback) {
    const char *v = getenv(name);
    if (!v || !*v) return fallback;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end) {
        fprintf(stderr, "%s=%s is not a number; using %llu\n", name, v, (unsigned long long)fallback);
        return fallback;
    }
    return n;
}

static void save_wasm(const char *path, const gen_wasm *w) {
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(w->bytes, 1, w->len, f) == w->len;
    if (f && fclose(f) != 0) ok = false;
    if (ok)
        fprintf(stderr, "  module written to %s (wasm2wat %s)\n", path, path);
    else
        fprintf(stderr, "  could not write the module to %s\n", path);
}

/* Writes a failing seed's module(s) where the report says they are: a
 * pair as seed-S.wasm (a) and seed-S-b.wasm (b, the provider). */
static void save_modules(uint64_t seed, const seed_result *r) {
    char path[4096];
    mkdir(ISORUN_DIFF_FAIL_DIR, 0755);
    snprintf(path, sizeof path, "%s/seed-%llu.wasm", ISORUN_DIFF_FAIL_DIR, (unsigned long long)seed);
    if (r->modules.a.bytes) save_wasm(path, &r->modules.a);
    snprintf(path, sizeof path, "%s/seed-%llu-b.wasm", ISORUN_DIFF_FAIL_DIR, (unsigned long long)seed);
    if (r->modules.b.bytes) save_wasm(path, &r->modules.b);
}

static const char *status_name(diff_status s) {
    switch (s) {
    case DIFF_SAME: return "same";
    case DIFF_MISMATCH: return "the tiers disagree";
    case DIFF_INVALID: return "invalid module (generator bug)";
    case DIFF_NO_NATIVE: return "native build failed";
    case DIFF_SETUP: return "setup failed";
    }
    return "?";
}

static void test_random_modules(void) {
    work.cc = getenv("ISORUN_DIFF_CC");
    if (work.cc && !*work.cc) work.cc = NULL;
    work.first_seed = env_number("ISORUN_DIFF_FIRST_SEED", 1);
    work.nseeds = (uint32_t)env_number("ISORUN_DIFF_SEEDS", DEFAULT_SEEDS);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    uint32_t jobs = (uint32_t)env_number("ISORUN_DIFF_JOBS", cores > 0 ? (uint64_t)cores : 1);
    if (jobs < 1) jobs = 1;
    if (jobs > MAX_JOBS) jobs = MAX_JOBS;
    work.results = calloc(work.nseeds ? work.nseeds : 1, sizeof *work.results);
    REQUIRE(work.results);
    printf("differential: seeds %llu..%llu on %u thread(s)\n", (unsigned long long)work.first_seed,
           (unsigned long long)(work.first_seed + work.nseeds - 1), jobs);

    pthread_t threads[MAX_JOBS];
    uint32_t started = 0;
    for (; started < jobs; started++)
        if (pthread_create(&threads[started], NULL, worker, NULL) != 0) break;
    if (started == 0) worker(NULL); /* no threads: do it here */
    for (uint32_t t = 0; t < started; t++) pthread_join(threads[t], NULL);

    uint32_t no_native = 0, failed = 0, pairs = 0;
    diff_stats total = {0};
    for (uint32_t i = 0; i < work.nseeds; i++) {
        seed_result *r = &work.results[i];
        diff_stats_add(&total, &r->stats);
        uint64_t seed = work.first_seed + i;
        no_native += r->status == DIFF_NO_NATIVE;
        bool ok = r->status == DIFF_SAME;
        failed += !ok;
        char what[96];
        snprintf(what, sizeof what, "seed %llu: %s", (unsigned long long)seed, status_name(r->status));
        check_record(ok, __FILE__, __LINE__, what);
        if (!ok) {
            fprintf(stderr, "%s", r->report ? r->report : "");
            save_modules(seed, r);
            fprintf(stderr, "  rerun alone: ISORUN_DIFF_FIRST_SEED=%llu ISORUN_DIFF_SEEDS=1\n",
                    (unsigned long long)seed);
        }
        pairs += r->pair;
        free(r->report);
        diff_case_free(&r->modules);
    }
    printf("differential: %u of %u seeds agreed (%u of them pairs of linked instances); ", work.nseeds - failed,
           work.nseeds, pairs);
    diff_stats_print(stdout, &total);
    free(work.results);
    /* No C compiler at all is a configuration, not a native-tier bug. */
    if (work.nseeds && no_native == work.nseeds) {
        printf("no module could be built natively: is there a C compiler?\n");
        exit(77);
    }
}

int main(void) {
    RUN(test_random_modules);
    return check_summary();
}
