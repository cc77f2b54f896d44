/*
 * test_native_background.c — isorun_runtime_config.native_background: a
 * module loads at once and runs interpreted while its native code is built
 * on a thread; isorun_module_wait_native reports the build's outcome; an
 * instance made before the build ended gives the same results and consumes
 * the same fuel as one interpreted throughout, before and after it moves to
 * native code; a failed build leaves the module working, interpreted; and a
 * runtime freed while a (slow) build runs waits for it, without leaks.
 *
 * Each case builds in a fresh private cache (a temporary directory), so the
 * compiler really runs in the background.
 */
#define _GNU_SOURCE
#include "rt_helpers.h"

#include <ftw.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[64];

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* A fresh, empty cache directory (mode 0700, as the cache requires). */
static const char *fresh_cache(void) {
    snprintf(scratch, sizeof scratch, "/tmp/isorun-bg-XXXXXX");
    REQUIRE(mkdtemp(scratch) != NULL);
    return scratch;
}

static void scratch_remove(void) {
    if (scratch[0]) nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    scratch[0] = '\0';
}

static isorun_runtime *background_runtime_cached(const char *cache, const char *cc, uint32_t cache_entries) {
    isorun_runtime_config cfg = {.native = true, .native_background = true, .native_cache_dir = cache,
                                 .native_cc = cc, .module_cache_entries = cache_entries};
    isorun_runtime *rt = NULL;
    REQUIRE_OK(isorun_runtime_new(&cfg, &rt));
    return rt;
}

static isorun_runtime *background_runtime(const char *cache, const char *cc) {
    return background_runtime_cached(cache, cc, 0);
}

/* The same calls, in a fuel-metered instance of a background runtime and in
 * one of an interpreting runtime: same results, same fuel consumed after
 * every call, across the background instance's move to native code. */
static void test_same_before_and_after(void) {
    isorun_runtime *rt = background_runtime(fresh_cache(), NULL), *plain = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math"), *pm = LOAD_WAT(plain, "rt_math");
    if (!m || !pm) goto done;
    isorun_budget budget = {.fuel = 1000000};
    isorun_instance *inst = INSTANCE(rt, m, &budget), *ref = INSTANCE(plain, pm, &budget);
    for (int round = 0; round < 2; round++) {
        for (int32_t n = 1; n <= 50; n += 7) {
            isorun_val arg = isorun_val_i32(n), got = isorun_val_i64(0), want = isorun_val_i64(0);
            EXPECT_OK(isorun_instance_call(inst, "sum_to", &arg, 1, &got, 1));
            EXPECT_OK(isorun_instance_call(ref, "sum_to", &arg, 1, &want, 1));
            CHECK_EQ_U64((uint64_t)got.of.i64, (uint64_t)n * (uint64_t)(n + 1) / 2);
            isorun_usage u, ur;
            isorun_instance_usage(inst, &u);
            isorun_instance_usage(ref, &ur);
            CHECK_EQ_U64(u.fuel_consumed, ur.fuel_consumed);
            if (round == 1) CHECK(u.native); /* moved over at the first call after the build */
            CHECK(!ur.native);
        }
        if (round == 0) {
            /* The build ends (here, or already): the module is native now,
             * and the instance moves over at its next call. */
            EXPECT_OK(isorun_module_wait_native(m));
            CHECK(isorun_module_is_native(m));
            EXPECT_OK(isorun_module_wait_native(m)); /* again: at once */
        }
    }
    int32_t q = 0;
    EXPECT_TRAP(call_i32(inst, "div", &q, 2, 1, 0, 0), ISORUN_TRAP_DIV_BY_ZERO, "divide by zero");
    /* An instance made now starts native. */
    isorun_instance *later = INSTANCE(rt, m, NULL);
    isorun_usage lu;
    isorun_instance_usage(later, &lu);
    CHECK(lu.native);
    int32_t r = 0;
    EXPECT_OK(call_i32(later, "add", &r, 2, 40, 2, 0));
    CHECK_EQ_INT(r, 42);
    isorun_instance_free(later);
    isorun_instance_free(inst);
    isorun_instance_free(ref);
    /* A runtime that does not build native code has nothing to wait for. */
    EXPECT_ERROR(isorun_module_wait_native(pm), ISORUN_ERR_ARGUMENT, "native");
    CHECK(!isorun_module_is_native(pm));
done:
    isorun_module_free(m);
    isorun_module_free(pm);
    isorun_runtime_free(rt);
    isorun_runtime_free(plain);
    scratch_remove();
}

/* No compiler: the build fails, in the background; the module keeps
 * working, interpreted, and the wait says why. */
static void test_failed_build(void) {
    isorun_runtime *rt = background_runtime(fresh_cache(), "/nonexistent/cc");
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_instance *inst = INSTANCE(rt, m, NULL);
    EXPECT_ERROR(isorun_module_wait_native(m), ISORUN_ERR_NATIVE, "/nonexistent/cc");
    CHECK(!isorun_module_is_native(m));
    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "add", &r, 2, 1, 2, 0));
    CHECK_EQ_INT(r, 3);
    isorun_usage u;
    isorun_instance_usage(inst, &u);
    CHECK(!u.native);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
    scratch_remove();
}

/* Everything freed while a slow build runs: the runtime's last reference
 * waits for the build (the sanitizer tree checks that nothing leaks). */
static void test_free_during_build(void) {
    const char *cache = fresh_cache();
    char cc[160];
    snprintf(cc, sizeof cc, "%s/slow-cc", cache);
    FILE *f = fopen(cc, "w");
    REQUIRE(f);
    fputs("#!/bin/sh\nsleep 1\nexec cc \"$@\"\n", f);
    fclose(f);
    REQUIRE(chmod(cc, 0700) == 0);
    isorun_runtime *rt = background_runtime(cache, cc);
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (m) {
        isorun_instance *inst = INSTANCE(rt, m, NULL);
        int32_t r = 0;
        EXPECT_OK(call_i32(inst, "add", &r, 2, 2, 3, 0)); /* interpreted: the build takes a second */
        CHECK_EQ_INT(r, 5);
        CHECK(!isorun_module_is_native(m));
        isorun_usage u;
        isorun_instance_usage(inst, &u);
        CHECK(!u.native);
        isorun_instance_free(inst);
    }
    isorun_module_free(m);
    isorun_runtime_free(rt);
    scratch_remove();
}

/* Module after module, with a one-entry module cache: the build of a module
 * nobody holds any more is let go when the next build starts (the sanitizer
 * tree checks that nothing is used after it goes, or leaks), and each
 * module still learns how its own build went. */
static void test_finished_builds_let_go(void) {
    isorun_runtime *rt = background_runtime_cached(fresh_cache(), NULL, 1);
    static const char *const guests[] = {"rt_math", "rt_ping", "rt_math", "rt_pong"};
    for (size_t i = 0; i < sizeof guests / sizeof guests[0]; i++) {
        isorun_module *m = LOAD_WAT(rt, guests[i]);
        if (!m) break;
        EXPECT_OK(isorun_module_wait_native(m));
        CHECK(isorun_module_is_native(m));
        isorun_module_free(m);
    }
    isorun_runtime_free(rt);
    scratch_remove();
}

int main(void) {
    RUN(test_same_before_and_after);
    RUN(test_failed_build);
    RUN(test_free_during_build);
    RUN(test_finished_builds_let_go);
    return rt_summary();
}
