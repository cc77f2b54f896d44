/*
 * kv.c — the example:kv system component (see kv.h for the guest ABI).
 *
 * A store is a sorted array of entries under one mutex: lookups are binary
 * searches and `list` comes out in key order without sorting. The mutex
 * matters only for shared stores, where instances on different threads use
 * one store at the same time; a private store is only ever used by its own
 * instance, whose calls the runtime already serializes.
 */
#include "kv.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct kv_entry {
    uint8_t *key, *value;
    uint32_t key_len, value_len;
} kv_entry;

typedef struct kv_store {
    pthread_mutex_t lock;
    kv_entry *entries; /* sorted by key bytes */
    size_t count, cap;
} kv_store;

typedef struct kv_component {
    example_kv_options opts; /* with defaults filled in */
    kv_store *shared;        /* when opts.shared */
} kv_component;

/* ------------------------------------------------------------------------
 * The store
 * ------------------------------------------------------------------------ */

static kv_store *store_new(void) {
    kv_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

static void store_free(kv_store *s) {
    if (!s) return;
    for (size_t i = 0; i < s->count; i++) {
        free(s->entries[i].key);
        free(s->entries[i].value);
    }
    free(s->entries);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static int compare_keys(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen) {
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

/* Index of key, or of where it would go; *found says which. Under lock. */
static size_t store_find(const kv_store *s, const uint8_t *key, uint32_t len, bool *found) {
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_keys(s->entries[mid].key, s->entries[mid].key_len, key, len);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

/* malloc that never returns NULL for 0 bytes, so empty keys are ordinary. */
static uint8_t *copy_bytes(const void *p, uint32_t n) {
    uint8_t *c = malloc(n ? n : 1);
    if (c && n) memcpy(c, p, n);
    return c;
}

/* 0, KV_ELIMIT, or -100 when the host is out of memory. */
static int32_t store_set(kv_store *s, size_t max_keys, const uint8_t *key, uint32_t klen, const uint8_t *val,
                         uint32_t vlen) {
    uint8_t *v = copy_bytes(val, vlen);
    if (!v) return -100;
    int32_t rc = 0;
    pthread_mutex_lock(&s->lock);
    bool found;
    size_t i = store_find(s, key, klen, &found);
    if (found) {
        free(s->entries[i].value);
        s->entries[i].value = v;
        s->entries[i].value_len = vlen;
        v = NULL;
    } else if (s->count >= max_keys) {
        rc = KV_ELIMIT;
    } else {
        uint8_t *k = copy_bytes(key, klen);
        if (s->count == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            kv_entry *grown = k ? realloc(s->entries, cap * sizeof *grown) : NULL;
            if (grown) {
                s->entries = grown;
                s->cap = cap;
            }
        }
        if (!k || s->count == s->cap) {
            free(k);
            rc = -100;
        } else {
            memmove(&s->entries[i + 1], &s->entries[i], (s->count - i) * sizeof *s->entries);
            s->entries[i] = (kv_entry){k, v, klen, vlen};
            s->count++;
            v = NULL;
        }
    }
    pthread_mutex_unlock(&s->lock);
    free(v);
    return rc;
}

/* ------------------------------------------------------------------------
 * Guest functions
 * ------------------------------------------------------------------------ */

static uint32_t u32_arg(const isorun_val *v) { return (uint32_t)v->of.i32; }

static isorun_error *result(isorun_val *results, int32_t v) {
    if (v == -100) return isorun_error_new(ISORUN_ERR_NOMEM, "example:kv: the host is out of memory");
    results[0] = isorun_val_i32(v);
    return NULL;
}

static isorun_error *kv_set(isorun_call *call, const isorun_val *args, isorun_val *results) {
    const kv_component *kc = isorun_call_data(call);
    kv_store *s = isorun_call_state(call);
    uint32_t klen = u32_arg(&args[1]), vlen = u32_arg(&args[3]);
    const uint8_t *key = isorun_call_memory(call, u32_arg(&args[0]), klen);
    const uint8_t *val = isorun_call_memory(call, u32_arg(&args[2]), vlen);
    if (!key || !val) return result(results, KV_EINVAL);
    if (klen > kc->opts.max_key_bytes || vlen > kc->opts.max_value_bytes) return result(results, KV_ELIMIT);
    return result(results, store_set(s, kc->opts.max_keys, key, klen, val, vlen));
}

static isorun_error *kv_get(isorun_call *call, const isorun_val *args, isorun_val *results) {
    kv_store *s = isorun_call_state(call);
    uint32_t klen = u32_arg(&args[1]), cap = u32_arg(&args[3]);
    const uint8_t *key = isorun_call_memory(call, u32_arg(&args[0]), klen);
    uint8_t *buf = isorun_call_memory(call, u32_arg(&args[2]), cap);
    if (!key || !buf) return result(results, KV_EINVAL);
    int32_t rc;
    pthread_mutex_lock(&s->lock);
    bool found;
    size_t i = store_find(s, key, klen, &found);
    if (found) {
        const kv_entry *e = &s->entries[i];
        memcpy(buf, e->value, e->value_len < cap ? e->value_len : cap);
        rc = (int32_t)e->value_len; /* values are at most max_value_bytes, below 2^31 */
    } else {
        rc = KV_ENOENT;
    }
    pthread_mutex_unlock(&s->lock);
    return result(results, rc);
}

static isorun_error *kv_delete(isorun_call *call, const isorun_val *args, isorun_val *results) {
    kv_store *s = isorun_call_state(call);
    uint32_t klen = u32_arg(&args[1]);
    const uint8_t *key = isorun_call_memory(call, u32_arg(&args[0]), klen);
    if (!key) return result(results, KV_EINVAL);
    kv_entry gone = {0};
    pthread_mutex_lock(&s->lock);
    bool found;
    size_t i = store_find(s, key, klen, &found);
    if (found) {
        gone = s->entries[i];
        memmove(&s->entries[i], &s->entries[i + 1], (s->count - i - 1) * sizeof *s->entries);
        s->count--;
    }
    pthread_mutex_unlock(&s->lock);
    free(gone.key);
    free(gone.value);
    return result(results, found ? 1 : 0);
}

static void put_u32le(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static isorun_error *kv_list(isorun_call *call, const isorun_val *args, isorun_val *results) {
    kv_store *s = isorun_call_state(call);
    uint32_t cap = u32_arg(&args[1]);
    uint8_t *buf = isorun_call_memory(call, u32_arg(&args[0]), cap);
    if (!buf) return result(results, KV_EINVAL);
    pthread_mutex_lock(&s->lock);
    uint64_t total = 0;
    for (size_t i = 0; i < s->count; i++) total += 4u + s->entries[i].key_len;
    if (total <= cap) {
        uint8_t *p = buf;
        for (size_t i = 0; i < s->count; i++) {
            put_u32le(p, s->entries[i].key_len);
            memcpy(p + 4, s->entries[i].key, s->entries[i].key_len);
            p += 4u + s->entries[i].key_len;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return result(results, total > INT32_MAX ? KV_ELIMIT : (int32_t)total);
}

/* ------------------------------------------------------------------------
 * The component
 * ------------------------------------------------------------------------ */

static isorun_error *kv_install(void *config, isorun_imports *im) {
    isorun_error *err = isorun_imports_define(im, KV_MODULE, "set", "i32 i32 i32 i32 -> i32", kv_set, config);
    if (!err) err = isorun_imports_define(im, KV_MODULE, "get", "i32 i32 i32 i32 -> i32", kv_get, config);
    if (!err) err = isorun_imports_define(im, KV_MODULE, "delete", "i32 i32 -> i32", kv_delete, config);
    if (!err) err = isorun_imports_define(im, KV_MODULE, "list", "i32 i32 -> i32", kv_list, config);
    return err;
}

static isorun_error *kv_configure(void *config, isorun_instance *inst, void **state) {
    kv_component *kc = config;
    if (kc->shared) {
        *state = kc->shared; /* borrowed: the component owns it */
        return NULL;
    }
    *state = store_new();
    return *state ? NULL : isorun_error_new(ISORUN_ERR_NOMEM, "example:kv: cannot make the instance's store");
}

static void kv_teardown(void *config, void *state) {
    kv_component *kc = config;
    if (state != kc->shared) store_free(state);
}

static void kv_free_config(void *config) {
    kv_component *kc = config;
    store_free(kc->shared);
    free(kc);
}

static const isorun_system_ops kv_ops = {
    .name = KV_MODULE,
    .install = kv_install,
    .configure = kv_configure,
    .teardown = kv_teardown,
    .free_config = kv_free_config,
};

isorun_error *example_kv_new(const example_kv_options *opts, isorun_system_component **out) {
    kv_component *kc = calloc(1, sizeof *kc);
    if (!kc) return isorun_error_new(ISORUN_ERR_NOMEM, "example:kv: out of memory");
    if (opts) kc->opts = *opts;
    if (!kc->opts.max_keys) kc->opts.max_keys = 100000;
    if (!kc->opts.max_key_bytes) kc->opts.max_key_bytes = 1024;
    if (!kc->opts.max_value_bytes) kc->opts.max_value_bytes = 1u << 20;
    if (kc->opts.max_value_bytes > INT32_MAX) kc->opts.max_value_bytes = INT32_MAX; /* get returns the length as i32 */
    if (kc->opts.shared && !(kc->shared = store_new())) {
        free(kc);
        return isorun_error_new(ISORUN_ERR_NOMEM, "example:kv: out of memory");
    }
    return isorun_system_new(&kv_ops, kc, out); /* frees kc on error */
}
