/*
 * runtime.c — the runtime's life cycle. The runtime is reference counted:
 * the embedder holds one reference and every module and instance holds one,
 * so the embedder may free it first. Freeing it as the embedder empties and
 * closes the registry, which is the one owner that could otherwise keep a
 * cycle (instance -> runtime -> registry -> instance) alive forever.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_CACHE_ENTRIES 64u

isorun_error *isorun_runtime_new(const isorun_runtime_config *cfg, isorun_runtime **out) {
    if (!out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_runtime_new: out is NULL");
    *out = NULL;
    isorun_runtime *rt = calloc(1, sizeof *rt);
    if (!rt) return isr_error_nomem();
    atomic_init(&rt->refs, 1);
    rt->cache_limit = cfg && cfg->module_cache_entries ? cfg->module_cache_entries : DEFAULT_CACHE_ENTRIES;
    if (cfg && cfg->native) {
        rt->native = true;
        rt->native_background = cfg->native_background;
        rt->native_keep_source = cfg->native_keep_source;
        rt->native_build_started = cfg->native_build_started;
        rt->native_build_arg = cfg->native_build_arg;
        rt->native_cache_dir = cfg->native_cache_dir ? strdup(cfg->native_cache_dir) : NULL;
        rt->native_cc = cfg->native_cc ? strdup(cfg->native_cc) : NULL;
    }
    /* The strings are copied only for a native runtime (and ignored otherwise). */
    bool ok = !(rt->native && ((cfg->native_cache_dir && !rt->native_cache_dir) || (cfg->native_cc && !rt->native_cc)));
    /* The mutexes in order; on a failure, the ones made are undone. */
    pthread_mutex_t *const locks[] = {&rt->cache_lock, &rt->registry_lock, &rt->waits_lock, &rt->jobs_lock};
    size_t made = 0;
    while (ok && made < sizeof locks / sizeof locks[0] && pthread_mutex_init(locks[made], NULL) == 0) made++;
    if (!ok || made < sizeof locks / sizeof locks[0]) {
        while (made) pthread_mutex_destroy(locks[--made]);
        free(rt->native_cache_dir);
        free(rt->native_cc);
        free(rt);
        return isr_error_nomem();
    }
    isr_deadline_timer_init(&rt->timer);
    *out = rt;
    return NULL;
}

isorun_runtime *isr_runtime_ref(isorun_runtime *rt) {
    atomic_fetch_add_explicit(&rt->refs, 1, memory_order_relaxed);
    return rt;
}

static void runtime_destroy(isorun_runtime *rt) {
    isr_native_jobs_join(rt); /* they read the native settings freed below */
    pthread_mutex_destroy(&rt->jobs_lock);
    pthread_mutex_destroy(&rt->waits_lock);
    isr_deadline_timer_destroy(&rt->timer);
    isr_registry_destroy(rt);
    isr_cache_destroy(rt);
    pthread_mutex_destroy(&rt->registry_lock);
    pthread_mutex_destroy(&rt->cache_lock);
    free(rt->native_cache_dir);
    free(rt->native_cc);
    free(rt);
}

void isr_runtime_release(isorun_runtime *rt) {
    if (rt && atomic_fetch_sub_explicit(&rt->refs, 1, memory_order_acq_rel) == 1) runtime_destroy(rt);
}

void isorun_runtime_free(isorun_runtime *rt) {
    if (!rt) return;
    /* The embedder is done with the runtime: registered instances lose the
     * registry's reference now (an instance nobody else holds goes with it). */
    isr_registry_close(rt);
    isr_runtime_release(rt);
}

uint64_t isr_hash_bytes(const void *p, size_t n) {
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
