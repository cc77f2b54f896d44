/*
 * module_cache.c — the runtime's cache of compiled modules, keyed by content:
 * a 64-bit hash picks candidates and a byte comparison confirms them, so two
 * different binaries never share code even if their hashes collide.
 *
 * The cache holds references to compiled wasm_modules, not to isorun_module
 * wrappers (a wrapper holds the runtime, which would make a cycle). It also
 * remembers the wrapper currently handed out, weakly, so that loading equal
 * bytes again returns that same module while anyone holds it. All of it is
 * guarded by rt->cache_lock; when full, the least recently used entry goes.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

static isr_cache_entry *find_locked(isorun_runtime *rt, const uint8_t *bytes, size_t len, uint64_t hash) {
    for (size_t i = 0; i < rt->ncache; i++) {
        isr_cache_entry *e = &rt->cache[i];
        if (e->hash == hash && e->len == len && memcmp(e->bytes, bytes, len) == 0) return e;
    }
    return NULL;
}

static void entry_clear(isr_cache_entry *e) {
    wasm_module_free(e->wm);
    free(e->bytes);
    memset(e, 0, sizeof *e);
}

/* Makes room for one entry: grows the array up to the limit, then evicts the
 * least recently used entry. */
static isr_cache_entry *slot_locked(isorun_runtime *rt) {
    if (rt->ncache < rt->cache_limit) {
        size_t need = rt->ncache + 1;
        if (!isr_grow_array((void **)&rt->cache, &rt->cache_cap_entries, need, sizeof *rt->cache)) return NULL;
        isr_cache_entry *e = &rt->cache[rt->ncache++];
        memset(e, 0, sizeof *e);
        return e;
    }
    isr_cache_entry *oldest = &rt->cache[0];
    for (size_t i = 1; i < rt->ncache; i++)
        if (rt->cache[i].last_use < oldest->last_use) oldest = &rt->cache[i];
    entry_clear(oldest);
    return oldest;
}

wasm_module *isr_cache_find(isorun_runtime *rt, const uint8_t *bytes, size_t len, uint64_t hash,
                            isorun_module **live) {
    *live = NULL;
    wasm_module *wm = NULL;
    pthread_mutex_lock(&rt->cache_lock);
    isr_cache_entry *e = find_locked(rt, bytes, len, hash);
    if (e) {
        e->last_use = ++rt->cache_tick;
        wm = wasm_module_ref(e->wm);
        /* A live wrapper can be revived only while its count is above zero:
         * the step to zero happens under this lock (module.c). */
        if (e->live && atomic_load_explicit(&e->live->refs, memory_order_relaxed) > 0) {
            atomic_fetch_add_explicit(&e->live->refs, 1, memory_order_relaxed);
            *live = e->live;
        }
    }
    pthread_mutex_unlock(&rt->cache_lock);
    return wm;
}

/* Records m (just made from bytes) in the cache. If another thread cached the
 * same bytes meanwhile and its wrapper is alive, that wrapper is returned with
 * a new reference instead (the caller discards m). A failure to cache is not
 * an error: the module works, it is just not shared. */
isorun_module *isr_cache_insert(isorun_runtime *rt, const uint8_t *bytes, size_t len, uint64_t hash,
                                isorun_module *m) {
    isorun_module *result = m;
    pthread_mutex_lock(&rt->cache_lock);
    isr_cache_entry *e = find_locked(rt, bytes, len, hash);
    if (e) {
        e->last_use = ++rt->cache_tick;
        if (e->live && e->live != m && atomic_load_explicit(&e->live->refs, memory_order_relaxed) > 0) {
            atomic_fetch_add_explicit(&e->live->refs, 1, memory_order_relaxed);
            result = e->live;
        } else {
            e->live = m;
        }
    } else {
        uint8_t *copy = len ? malloc(len) : NULL;
        if (len == 0 || copy) {
            e = slot_locked(rt);
            if (e) {
                if (len) memcpy(copy, bytes, len);
                e->hash = hash;
                e->bytes = copy;
                e->len = len;
                e->wm = wasm_module_ref(m->wm);
                e->live = m;
                e->last_use = ++rt->cache_tick;
                copy = NULL;
            }
        }
        free(copy);
    }
    pthread_mutex_unlock(&rt->cache_lock);
    return result;
}

/* Called under rt->cache_lock when m's count reached zero. */
void isr_cache_forget(isorun_runtime *rt, isorun_module *m) {
    for (size_t i = 0; i < rt->ncache; i++)
        if (rt->cache[i].live == m) rt->cache[i].live = NULL;
}

void isr_cache_destroy(isorun_runtime *rt) {
    for (size_t i = 0; i < rt->ncache; i++) entry_clear(&rt->cache[i]);
    free(rt->cache);
    rt->cache = NULL;
    rt->ncache = rt->cache_cap_entries = 0;
}
