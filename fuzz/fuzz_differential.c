/*
 * fuzz_differential.c — the differential fuzzer: the input bytes are the
 * random stream that gen_module.c draws a valid module from (and then the
 * call arguments and fuel budgets), and diff_run.c runs that module
 * interpreted and native and compares every call. libFuzzer mutates the
 * choices, not the binary, so every input is a valid module that runs.
 *
 * A disagreement between the tiers, or a generated module that does not
 * load (a generator bug), aborts with a report on stderr; libFuzzer then
 * saves the input, and the module itself is written to
 * $ISORUN_DIFF_FAIL_DIR/diff-failure.wasm (default: the current directory;
 * a pair's provider beside it as diff-failure-b.wasm).
 *
 * Slow by fuzzing standards: every input runs the C compiler once (tens of
 * milliseconds to a second). The native objects go to a private cache
 * directory (made under $TMPDIR) that is emptied after every input, so
 * disk use stays flat however long it runs.
 *
 * Built with libFuzzer as isorun-fuzz-differential (ISORUN_FUZZ=ON), and
 * in every build with replay_main.c as isorun-fuzz-differential-replay, to
 * rerun a saved input without libFuzzer.
 */
#define _GNU_SOURCE
#include "diff_case.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by replay_main.c's -v: print each input's call statistics. */
int fuzz_verbose;

static char cache_dir[4096];
static void remove_cache_dir(void);

/* The private cache, made on first use. False when it cannot be made. */
static bool ensure_cache_dir(void) {
    if (cache_dir[0]) return true;
    const char *tmp = getenv("TMPDIR");
    snprintf(cache_dir, sizeof cache_dir, "%s/isorun-fuzz-diff." ISR_MKSTEMP_XS, tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(cache_dir)) {
        perror("fuzz_differential: cannot make a cache directory");
        cache_dir[0] = 0;
        return false;
    }
    atexit(remove_cache_dir);
    return true;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag;
    if (ftw->level > 0) remove(path); /* the files, not the directory */
    return 0;
}

static void empty_cache_dir(void) { nftw(cache_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS); }

/* libFuzzer ends with exit(): leave no directory behind. */
static void remove_cache_dir(void) {
    empty_cache_dir();
    rmdir(cache_dir);
}

static void save_wasm(const char *name, const gen_wasm *w) {
    const char *dir = getenv("ISORUN_DIFF_FAIL_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : ".", name);
    FILE *f = fopen(path, "wb");
    if (f && fwrite(w->bytes, 1, w->len, f) == w->len && fclose(f) == 0) {
        fprintf(stderr, "fuzz_differential: module written to %s (wasm2wat %s)\n", path, path);
        return;
    }
    if (f) fclose(f);
    fprintf(stderr, "fuzz_differential: could not write %s\n", path);
}

/* The module, and a pair's provider beside it. */
static void save_failure(const diff_case *c) {
    save_wasm("diff-failure.wasm", &c->a);
    if (c->b.bytes) save_wasm("diff-failure-b.wasm", &c->b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!ensure_cache_dir()) return 0;
    gen_source src;
    gen_source_from_bytes(&src, data, size);
    diff_case c;
    if (!diff_case_generate(&src, &c)) return 0;

    diff_stats stats = {0};
    /* The report (which module, what differed) is printed only for a
     * failure: for every pair it would otherwise flood the log. */
    char *text = NULL;
    size_t text_len = 0;
    FILE *report = open_memstream(&text, &text_len);
    /* The rest of the input chooses the arguments and budgets. */
    diff_status status = diff_case_run(&c, &src, cache_dir, NULL, report ? report : stderr, &stats);
    if (report) fclose(report);
    if (status != DIFF_SAME && text) fputs(text, stderr);
    free(text);
    if (fuzz_verbose && status == DIFF_SAME) diff_stats_print(stderr, &stats);
    empty_cache_dir();
    /* An invalid module is a generator bug; a valid module whose C does
     * not compile is a native-tier bug, unless there is no compiler at
     * all (then nothing can be fuzzed); a disagreement is what we look for. */
    if (status == DIFF_INVALID || status == DIFF_NO_NATIVE || status == DIFF_MISMATCH) {
        save_failure(&c);
        abort();
    }
    diff_case_free(&c);
    return 0;
}
