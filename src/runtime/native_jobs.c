/*
 * native_jobs.c — background native builds (isorun_runtime_config.
 * native_background): isorun_module_load returns an interpreted module at
 * once and a thread builds its native code. When the build is done the
 * engine publishes the code on the module (wasm_module_compile_native);
 * new instances start native, and running ones move over at the start of
 * their next outermost call (isr_instance_enter → wasm_instance_tier_up),
 * when none of their code is on a stack.
 *
 * One thread per build, each joined when the runtime goes: builds are rare
 * (once per module and cache), slow (seconds of compiler time) and
 * independent, and the C compiler runs in its own processes anyway. A job
 * holds a reference to the engine's module, not to the runtime, so that the
 * runtime's last reference can go while a build runs: runtime_destroy joins
 * the jobs before it frees the settings they read. A finished job whose
 * module nobody else holds any more is freed when the next build starts, so
 * a server loading module after module does not keep them all.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

struct isr_native_job {
    isr_native_job *next; /* the runtime's list, under jobs_lock */
    pthread_t thread;
    wasm_module *wm; /* reference */
    wasm_native_options opts;
    pthread_mutex_t mu;
    pthread_cond_t ended;
    bool done;
    isorun_error *error; /* why the build failed; NULL when it succeeded */
};

static void *build_main(void *arg) {
    isr_native_job *job = arg;
    isorun_error *err = wasm_module_compile_native(job->wm, &job->opts);
    pthread_mutex_lock(&job->mu);
    job->error = err;
    job->done = true;
    pthread_cond_broadcast(&job->ended);
    pthread_mutex_unlock(&job->mu);
    return NULL;
}

static void job_free(isr_native_job *job) {
    pthread_join(job->thread, NULL);
    isorun_error_free(job->error);
    wasm_module_free(job->wm);
    pthread_cond_destroy(&job->ended);
    pthread_mutex_destroy(&job->mu);
    free(job);
}

/* Frees finished jobs whose module only the job still holds: no
 * isorun_module and no cache entry can ask about it again. Under jobs_lock. */
static void prune_locked(isorun_runtime *rt) {
    for (isr_native_job **p = &rt->jobs; *p;) {
        isr_native_job *job = *p;
        pthread_mutex_lock(&job->mu);
        bool done = job->done;
        pthread_mutex_unlock(&job->mu);
        if (done && wasm_module_sole_owner(job->wm)) {
            *p = job->next;
            job_free(job);
        } else {
            p = &job->next;
        }
    }
}

isorun_error *isr_native_job_start(isorun_runtime *rt, wasm_module *wm) {
    isr_native_job *job = calloc(1, sizeof *job);
    if (!job) return isr_error_nomem();
    if (pthread_mutex_init(&job->mu, NULL) != 0) {
        free(job);
        return isr_error_nomem();
    }
    pthread_cond_init(&job->ended, NULL);
    job->wm = wasm_module_ref(wm);
    job->opts = (wasm_native_options){
        .cache_dir = rt->native_cache_dir,
        .cc = rt->native_cc,
        .keep_source = rt->native_keep_source,
        .on_build = rt->native_build_started,
        .on_build_arg = rt->native_build_arg,
    };
    pthread_mutex_lock(&rt->jobs_lock);
    prune_locked(rt);
    int rc = pthread_create(&job->thread, NULL, build_main, job);
    if (rc == 0) {
        job->next = rt->jobs;
        rt->jobs = job;
    }
    pthread_mutex_unlock(&rt->jobs_lock);
    if (rc != 0) {
        wasm_module_free(job->wm);
        pthread_cond_destroy(&job->ended);
        pthread_mutex_destroy(&job->mu);
        free(job);
        return isr_error(ISORUN_ERR_NOMEM, "cannot start a thread for the native build: %s", strerror(rc));
    }
    return NULL;
}

isorun_error *isr_native_job_wait(isorun_runtime *rt, wasm_module *wm) {
    pthread_mutex_lock(&rt->jobs_lock);
    isr_native_job *job = rt->jobs;
    while (job && job->wm != wm) job = job->next;
    pthread_mutex_unlock(&rt->jobs_lock);
    /* The caller's module reference keeps the job listed (prune_locked
     * frees only jobs whose module nobody else holds): safe unlocked. */
    if (!job) return isr_error(ISORUN_ERR_ARGUMENT, "the module has no native build (its runtime is not native)");
    pthread_mutex_lock(&job->mu);
    while (!job->done) pthread_cond_wait(&job->ended, &job->mu);
    isorun_error *err = job->error ? isr_error(isorun_error_code_of(job->error), "%s",
                                               isorun_error_message(job->error))
                                   : NULL;
    pthread_mutex_unlock(&job->mu);
    return err;
}

void isr_native_jobs_join(isorun_runtime *rt) {
    isr_native_job *job = rt->jobs;
    rt->jobs = NULL;
    while (job) {
        isr_native_job *next = job->next;
        job_free(job);
        job = next;
    }
}
