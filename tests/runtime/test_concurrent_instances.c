/*
 * test_concurrent_instances.c — instances under threads: many instances
 * called from several threads at once (every result checked), one instance
 * hammered from several threads (calls serialized: no lost update, every
 * intermediate value seen exactly once), linked consumers sharing one
 * provider from several threads, and threads loading the same bytes and
 * instantiating at the same time.
 */
#include "rt_helpers.h"

#include <pthread.h>
#include <stdatomic.h>

enum { THREADS = 4 };

static isorun_error *sum_to(isorun_instance *inst, int32_t n, int64_t *out) {
    isorun_val arg = isorun_val_i32(n), res = isorun_val_i64(0);
    isorun_error *err = isorun_instance_call(inst, "sum_to", &arg, 1, &res, 1);
    *out = res.of.i64;
    return err;
}

/* ------------------------------------------------------------------------
 * Many instances, several threads
 * ------------------------------------------------------------------------ */

enum { INSTANCES = 24, PASSES = 40 };

typedef struct many_job {
    isorun_instance **insts;
    int thread;
    int calls, wrong;
} many_job;

static void *many_work(void *arg) {
    many_job *job = arg;
    for (int pass = 0; pass < PASSES; pass++) {
        for (int k = 0; k < INSTANCES; k++) {
            /* Threads walk the instances in different orders, so any one
             * instance sees calls from several threads. */
            int i = (k * (job->thread + 1) + pass) % INSTANCES;
            int32_t a = job->thread * 100000 + pass * 100 + i, r = 0;
            isorun_error *err = call_i32(job->insts[i], "add", &r, 2, a, i, 0);
            if (err || r != a + i) job->wrong++;
            isorun_error_free(err);
            int64_t s = 0;
            int32_t n = 50 + (a % 200);
            err = sum_to(job->insts[i], n, &s);
            if (err || s != (int64_t)n * (n + 1) / 2) job->wrong++;
            isorun_error_free(err);
            job->calls += 2;
        }
    }
    return NULL;
}

static void test_many_instances_many_threads(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_instance *insts[INSTANCES];
    for (int i = 0; i < INSTANCES; i++) insts[i] = INSTANCE(rt, m, NULL);
    many_job jobs[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (many_job){insts, t, 0, 0};
        REQUIRE(pthread_create(&threads[t], NULL, many_work, &jobs[t]) == 0);
    }
    uint64_t total_calls = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK_EQ_INT(jobs[t].wrong, 0);
        CHECK_EQ_INT(jobs[t].calls, 2 * PASSES * INSTANCES);
        total_calls += (uint64_t)jobs[t].calls;
    }
    uint64_t counted = 0;
    for (int i = 0; i < INSTANCES; i++) {
        isorun_usage u;
        isorun_instance_usage(insts[i], &u);
        counted += u.calls;
        CHECK_EQ_U64(u.traps, 0);
        isorun_instance_free(insts[i]);
    }
    CHECK_EQ_U64(counted, total_calls);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * One instance, several threads
 * ------------------------------------------------------------------------ */

enum { BUMPS = 400 };

typedef struct bump_job {
    isorun_instance *inst;
    int32_t seen[BUMPS];
    int errors;
} bump_job;

static void *bump_work(void *arg) {
    bump_job *job = arg;
    for (int i = 0; i < BUMPS; i++) {
        int32_t r = -1;
        isorun_error *err = call_i32(job->inst, "bump", &r, 0, 0, 0, 0);
        if (err) job->errors++;
        isorun_error_free(err);
        job->seen[i] = r;
    }
    return NULL;
}

static void test_one_instance_serialized(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_instance *inst = INSTANCE(rt, m, NULL);
    static bump_job jobs[THREADS]; /* static: the arrays are large for a stack */
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].inst = inst;
        REQUIRE(pthread_create(&threads[t], NULL, bump_work, &jobs[t]) == 0);
    }
    static unsigned char seen_count[THREADS * BUMPS + 1];
    memset(seen_count, 0, sizeof seen_count);
    int out_of_range = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK_EQ_INT(jobs[t].errors, 0);
        for (int i = 0; i < BUMPS; i++) {
            int32_t v = jobs[t].seen[i];
            if (v < 1 || v > THREADS * BUMPS)
                out_of_range++;
            else
                seen_count[v]++;
            /* Each thread's own calls happen in order. */
            if (i && v <= jobs[t].seen[i - 1]) out_of_range++;
        }
    }
    CHECK_EQ_INT(out_of_range, 0);
    /* A read-modify-write with a pause in the middle lost nothing: every
     * value 1..N came back to exactly one caller. */
    int unique = 0;
    for (int v = 1; v <= THREADS * BUMPS; v++) unique += seen_count[v] == 1;
    CHECK_EQ_INT(unique, THREADS * BUMPS);
    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "load", &r, 1, 0, 0, 0));
    CHECK_EQ_INT(r, THREADS * BUMPS);
    EXPECT_OK(call_i32(inst, "bumps", &r, 0, 0, 0, 0));
    CHECK_EQ_INT(r, THREADS * BUMPS);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * Consumers on several threads sharing one provider
 * ------------------------------------------------------------------------ */

enum { LINKED_CALLS = 500 };

typedef struct linked_job {
    isorun_instance *consumer;
    int thread, wrong;
} linked_job;

static void *linked_work(void *arg) {
    linked_job *job = arg;
    for (int i = 0; i < LINKED_CALLS; i++) {
        int32_t a = job->thread * 1000 + i, b = i % 13, r = 0;
        isorun_error *err = call_i32(job->consumer, "compute", &r, 2, a, b, 0);
        if (err || r != (a + b) * (a - b)) job->wrong++;
        isorun_error_free(err);
    }
    return NULL;
}

static void test_linked_consumers_share_a_provider(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *cm = LOAD_WAT(rt, "rt_consumer");
    if (!pm || !cm) goto done;
    isorun_instance *provider = INSTANCE(rt, pm, NULL);
    linked_job jobs[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        isorun_builder *b = isorun_builder_new(rt, cm);
        REQUIRE_OK(isorun_builder_link_local(b, "example:math/ops", provider));
        jobs[t] = (linked_job){NULL, t, 0};
        REQUIRE_OK(isorun_builder_instantiate(b, &jobs[t].consumer));
        isorun_builder_free(b);
    }
    for (int t = 0; t < THREADS; t++) REQUIRE(pthread_create(&threads[t], NULL, linked_work, &jobs[t]) == 0);
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK_EQ_INT(jobs[t].wrong, 0);
        isorun_instance_free(jobs[t].consumer);
    }
    isorun_usage u;
    isorun_instance_usage(provider, &u);
    CHECK_EQ_U64(u.calls, (uint64_t)THREADS * LINKED_CALLS * 3); /* add, add, mul per compute */
    isorun_instance_free(provider);
done:
    isorun_module_free(pm);
    isorun_module_free(cm);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * Loading and instantiating from several threads
 * ------------------------------------------------------------------------ */

typedef struct load_job {
    isorun_runtime *rt;
    const char *path;
    isorun_module *module; /* the one it got, kept for comparison */
    int wrong;
} load_job;

static void *load_work(void *arg) {
    load_job *job = arg;
    for (int i = 0; i < 20; i++) {
        isorun_module *m = NULL;
        isorun_error *err = isorun_module_load_file(job->rt, job->path, &m);
        if (err) {
            job->wrong++;
            isorun_error_free(err);
            continue;
        }
        isorun_builder *b = isorun_builder_new(job->rt, m);
        isorun_instance *inst = NULL;
        err = b ? isorun_builder_instantiate(b, &inst) : isorun_error_new(ISORUN_ERR_NOMEM, "builder");
        isorun_builder_free(b);
        int32_t r = 0;
        if (!err) err = call_i32(inst, "mul", &r, 2, i, 3, 0);
        if (err || r != i * 3) job->wrong++;
        isorun_error_free(err);
        isorun_instance_free(inst);
        if (i == 19) {
            job->module = m; /* keep the last one */
        } else {
            isorun_module_free(m);
        }
    }
    return NULL;
}

static void test_concurrent_loading(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *probe = LOAD_WAT(rt, "rt_math"); /* skips when not built */
    if (!probe) goto done;
    char path[4096];
    snprintf(path, sizeof path, "%s/rt_math.wasm", ISORUN_GUEST_DIR);
    load_job jobs[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (load_job){rt, path, NULL, 0};
        REQUIRE(pthread_create(&threads[t], NULL, load_work, &jobs[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK_EQ_INT(jobs[t].wrong, 0);
        /* Equal bytes: one shared module, whichever thread compiled it. */
        CHECK(jobs[t].module == probe);
        isorun_module_free(jobs[t].module);
    }
done:
    isorun_module_free(probe);
    isorun_runtime_free(rt);
}

int main(void) {
    RUN(test_many_instances_many_threads);
    RUN(test_one_instance_serialized);
    RUN(test_linked_consumers_share_a_provider);
    RUN(test_concurrent_loading);
    return rt_summary();
}
