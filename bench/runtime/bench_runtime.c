/*
 * bench_runtime.c — speed of the embedding API (include/isorun.h only):
 *
 *   instantiate   a small module (bench_small.wat: one page, a data segment,
 *                 a global, four functions) from an already compiled module:
 *                 median latency over many instantiations (target <= 20 us)
 *   linked call   a call from instance A into linked instance B and back
 *                 (two i32 arguments, one result), against the same call
 *                 inside A (target: <= 100 ns more); measured as loops of
 *                 calls inside the guest, best of several runs
 *   host call     isorun_instance_call of a two-argument export
 *
 *   bench_runtime [GUEST_DIR]     (default: where the build put the guests)
 */
#include "isorun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ISORUN_GUEST_DIR
#define ISORUN_GUEST_DIR "."
#endif

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int fail(const char *what, isorun_error *err) {
    fprintf(stderr, "bench_runtime: %s: %s\n", what, isorun_error_message(err));
    isorun_error_free(err);
    return 1;
}

static isorun_error *load(isorun_runtime *rt, const char *dir, const char *name, isorun_module **out) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.wasm", dir, name);
    return isorun_module_load_file(rt, path, out);
}

enum { INSTANTIATIONS = 20000, WARMUP = 1000 };

static int bench_instantiate(isorun_runtime *rt, const char *dir) {
    isorun_module *m = NULL;
    isorun_error *err = load(rt, dir, "rt_bench_small", &m);
    if (err) return fail("loading rt_bench_small", err);
    isorun_builder *b = isorun_builder_new(rt, m);
    uint64_t *make = malloc(INSTANTIATIONS * sizeof *make), *drop = malloc(INSTANTIATIONS * sizeof *drop);
    if (!b || !make || !drop) {
        fprintf(stderr, "bench_runtime: out of memory\n");
        return 1;
    }
    for (int i = -WARMUP; i < INSTANTIATIONS; i++) {
        isorun_instance *inst = NULL;
        uint64_t t0 = now_ns();
        err = isorun_builder_instantiate(b, &inst);
        uint64_t t1 = now_ns();
        if (err) return fail("instantiating", err);
        isorun_instance_free(inst);
        uint64_t t2 = now_ns();
        if (i >= 0) {
            make[i] = t1 - t0;
            drop[i] = t2 - t1;
        }
    }
    qsort(make, INSTANTIATIONS, sizeof *make, compare_u64);
    qsort(drop, INSTANTIATIONS, sizeof *drop, compare_u64);
    printf("instantiate (small module, compiled): median %.2f us  (p10 %.2f, p90 %.2f; free: median %.2f us; "
           "%d runs)   target <= 20 us\n",
           make[INSTANTIATIONS / 2] / 1e3, make[INSTANTIATIONS / 10] / 1e3, make[INSTANTIATIONS * 9 / 10] / 1e3,
           drop[INSTANTIATIONS / 2] / 1e3, INSTANTIATIONS);

    /* The first call also sets up the instance's execution stack. */
    for (int i = -WARMUP / 10; i < INSTANTIATIONS / 10; i++) {
        isorun_instance *inst = NULL;
        isorun_val args[2] = {isorun_val_i32(1), isorun_val_i32(2)}, res;
        uint64_t t0 = now_ns();
        err = isorun_builder_instantiate(b, &inst);
        if (!err) err = isorun_instance_call(inst, "add", args, 2, &res, 1);
        isorun_instance_free(inst);
        uint64_t t1 = now_ns();
        if (err) return fail("instantiating and calling", err);
        if (i >= 0) make[i] = t1 - t0;
    }
    qsort(make, INSTANTIATIONS / 10, sizeof *make, compare_u64);
    printf("instantiate + first call + free: median %.2f us\n", make[INSTANTIATIONS / 20] / 1e3);
    free(make);
    free(drop);
    isorun_builder_free(b);
    isorun_module_free(m);
    return 0;
}

/* Best time per iteration of export `name`(n) over `runs` runs. */
static isorun_error *loop_ns(isorun_instance *inst, const char *name, int32_t n, int runs, double *best) {
    *best = 0;
    for (int r = 0; r < runs; r++) {
        isorun_val arg = isorun_val_i32(n), res;
        uint64_t t0 = now_ns();
        isorun_error *err = isorun_instance_call(inst, name, &arg, 1, &res, 1);
        uint64_t t = now_ns() - t0;
        if (err) return err;
        double per = (double)t / n;
        if (r == 0 || per < *best) *best = per;
    }
    return NULL;
}

static int bench_calls(isorun_runtime *rt, const char *dir) {
    isorun_module *pm = NULL, *cm = NULL;
    isorun_error *err = load(rt, dir, "rt_math", &pm);
    if (!err) err = load(rt, dir, "rt_consumer", &cm);
    if (err) return fail("loading rt_math / rt_consumer", err);
    isorun_instance *provider = NULL, *consumer = NULL;
    isorun_builder *pb = isorun_builder_new(rt, pm), *cb = isorun_builder_new(rt, cm);
    err = isorun_builder_instantiate(pb, &provider);
    if (!err) err = isorun_builder_link_local(cb, "example:math/ops", provider);
    if (!err) err = isorun_builder_instantiate(cb, &consumer);
    if (err) return fail("instantiating", err);

    const int32_t n = 2000000;
    double linked = 0, local = 0;
    err = loop_ns(consumer, "linked_loop", n, 7, &linked);
    if (!err) err = loop_ns(consumer, "local_loop", n, 7, &local);
    if (err) return fail("calling", err);
    printf("linked call A->B->A (2 x i32 -> i32): %.1f ns; the same call inside A: %.1f ns; overhead %.1f ns   "
           "target <= 100 ns\n",
           linked, local, linked - local);

    /* The host's own call into a guest, with values converted both ways. */
    enum { HOST_CALLS = 1000000 };
    isorun_val args[2] = {isorun_val_i32(1), isorun_val_i32(2)}, res;
    double best = 0;
    for (int r = 0; r < 5; r++) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < HOST_CALLS; i++) {
            err = isorun_instance_call(provider, "add", args, 2, &res, 1);
            if (err) return fail("calling add", err);
        }
        double per = (double)(now_ns() - t0) / HOST_CALLS;
        if (r == 0 || per < best) best = per;
    }
    printf("host call isorun_instance_call(\"add\", 2 x i32): %.1f ns\n", best);

    isorun_instance_free(consumer);
    isorun_instance_free(provider);
    isorun_builder_free(pb);
    isorun_builder_free(cb);
    isorun_module_free(pm);
    isorun_module_free(cm);
    return 0;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ISORUN_GUEST_DIR;
    isorun_runtime *rt = NULL;
    isorun_error *err = isorun_runtime_new(NULL, &rt);
    if (err) return fail("runtime", err);
    int status = bench_instantiate(rt, dir);
    if (!status) status = bench_calls(rt, dir);
    isorun_runtime_free(rt);
    return status;
}
