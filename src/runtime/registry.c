/*
 * registry.c — the runtime's map from id to instance, used to route incoming
 * remote calls and for local lookups. A chained hash table under one mutex;
 * each entry holds a reference, and lookup hands out a new reference while
 * holding the mutex, so a concurrent unregister or free can never leave a
 * caller with a dangling instance.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

static isr_reg_entry **bucket_of(isorun_runtime *rt, uint64_t hash) { return &rt->buckets[hash % rt->nbuckets]; }

static isr_reg_entry **find_locked(isorun_runtime *rt, const char *id, uint64_t hash) {
    if (!rt->nbuckets) return NULL;
    for (isr_reg_entry **p = bucket_of(rt, hash); *p; p = &(*p)->next)
        if ((*p)->hash == hash && strcmp((*p)->id, id) == 0) return p;
    return NULL;
}

/* Keeps chains short: doubles the bucket array when entries outnumber it. */
static bool grow_locked(isorun_runtime *rt) {
    if (rt->nregistered < rt->nbuckets) return true;
    size_t n = rt->nbuckets ? rt->nbuckets * 2 : 16;
    isr_reg_entry **buckets = calloc(n, sizeof *buckets);
    if (!buckets) return rt->nbuckets != 0; /* a full table still works, only slower */
    for (size_t i = 0; i < rt->nbuckets; i++) {
        for (isr_reg_entry *e = rt->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = buckets[e->hash % n];
            buckets[e->hash % n] = e;
        }
    }
    free(rt->buckets);
    rt->buckets = buckets;
    rt->nbuckets = n;
    return true;
}

isorun_error *isr_registry_add(isorun_runtime *rt, const char *id, isorun_instance *inst) {
    uint64_t hash = isr_hash_bytes(id, strlen(id));
    isr_reg_entry *e = calloc(1, sizeof *e);
    if (!e || !(e->id = isr_strndup(id, strlen(id)))) {
        free(e);
        return isr_error_nomem();
    }
    e->hash = hash;
    e->inst = inst;
    isorun_error *err = NULL;
    pthread_mutex_lock(&rt->registry_lock);
    if (rt->registry_closed)
        err = isr_error(ISORUN_ERR_ARGUMENT, "cannot register '%s': the runtime has been freed", id);
    else if (find_locked(rt, id, hash))
        err = isr_error(ISORUN_ERR_ARGUMENT, "instance id '%s' is already registered: choose another id", id);
    else if (!grow_locked(rt))
        err = isr_error_nomem();
    if (!err) {
        isorun_instance_ref(inst);
        isr_reg_entry **b = bucket_of(rt, hash);
        e->next = *b;
        *b = e;
        rt->nregistered++;
    }
    pthread_mutex_unlock(&rt->registry_lock);
    if (err) {
        free(e->id);
        free(e);
    }
    return err;
}

isorun_error *isorun_runtime_register(isorun_runtime *rt, const char *id, isorun_instance *inst) {
    if (!rt || !id || !*id || !inst)
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_runtime_register: runtime, a non-empty id and an instance are required");
    if (inst->rt != rt)
        return isr_error(ISORUN_ERR_ARGUMENT, "cannot register '%s': the instance belongs to another runtime", id);
    return isr_registry_add(rt, id, inst);
}

isorun_error *isorun_runtime_unregister(isorun_runtime *rt, const char *id) {
    if (!rt || !id) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_runtime_unregister: runtime and id are required");
    uint64_t hash = isr_hash_bytes(id, strlen(id));
    pthread_mutex_lock(&rt->registry_lock);
    isr_reg_entry **p = find_locked(rt, id, hash), *e = NULL;
    if (p) {
        e = *p;
        *p = e->next;
        rt->nregistered--;
    }
    pthread_mutex_unlock(&rt->registry_lock);
    if (!e) return isr_error(ISORUN_ERR_NOT_FOUND, "no instance is registered as '%s'", id);
    /* Outside the lock: dropping the last reference runs the instance's teardown. */
    isorun_instance_free(e->inst);
    free(e->id);
    free(e);
    return NULL;
}

isorun_instance *isorun_runtime_lookup(isorun_runtime *rt, const char *id) {
    if (!rt || !id) return NULL;
    uint64_t hash = isr_hash_bytes(id, strlen(id));
    isorun_instance *inst = NULL;
    pthread_mutex_lock(&rt->registry_lock);
    isr_reg_entry **p = find_locked(rt, id, hash);
    if (p) inst = isorun_instance_ref((*p)->inst);
    pthread_mutex_unlock(&rt->registry_lock);
    return inst;
}

/* Detaches every entry (under the lock) and frees them outside it. */
static isr_reg_entry *take_all(isorun_runtime *rt, bool close) {
    isr_reg_entry *all = NULL;
    pthread_mutex_lock(&rt->registry_lock);
    if (close) rt->registry_closed = true;
    for (size_t i = 0; i < rt->nbuckets; i++) {
        for (isr_reg_entry *e = rt->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = all;
            all = e;
        }
        rt->buckets[i] = NULL;
    }
    rt->nregistered = 0;
    pthread_mutex_unlock(&rt->registry_lock);
    return all;
}

static void free_entries(isr_reg_entry *e) {
    while (e) {
        isr_reg_entry *next = e->next;
        isorun_instance_free(e->inst);
        free(e->id);
        free(e);
        e = next;
    }
}

void isr_registry_close(isorun_runtime *rt) { free_entries(take_all(rt, true)); }

void isr_registry_destroy(isorun_runtime *rt) {
    free_entries(take_all(rt, true));
    free(rt->buckets);
    rt->buckets = NULL;
    rt->nbuckets = 0;
}
