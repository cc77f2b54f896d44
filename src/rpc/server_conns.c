/*
 * server_conns.c — a server's connections: accepting them from listeners,
 * freeing those that ended, and keeping routed listeners (NATS) subscribed
 * to the ids of the registry as instances come and go.
 */
#include "rpc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CONNECTIONS 4096
#define HOUSEKEEPING_PERIOD_NS (100ull * 1000000ull)

/* ------------------------------------------------------------------------
 * Connections and listeners
 * ------------------------------------------------------------------------ */

void rpc_server_connection_closed(rpc_server *s, isorun_transport *t) {
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->nconns; i++)
        if (s->conns[i].t == t && !s->conns[i].dead) {
            s->conns[i].dead = true;
            s->ndead++;
            pthread_cond_signal(&s->house);
        }
    pthread_mutex_unlock(&s->mu);
}

void *rpc_server_accept_main(void *arg) {
    void **args = arg;
    isorun_server *s = args[0];
    isorun_listener *l = args[1];
    free(args);
    for (;;) {
        const isorun_transport_ops *ops = NULL;
        void *impl = NULL;
        isorun_error *err = l->ops->accept(l->impl, &ops, &impl);
        if (err) {
            pthread_mutex_lock(&s->mu);
            bool stopping = s->stopping;
            pthread_mutex_unlock(&s->mu);
            if (!stopping) rpc_server_log(s, "listener %s stopped: %s", l->url, isorun_error_message(err));
            isorun_error_free(err);
            break;
        }
        isorun_transport *t = NULL;
        err = rpc_transport_accepted(ops, impl, &s->cfg.rpc, s, &t);
        if (err) {
            rpc_server_log(s, "could not take a connection on %s: %s", l->url, isorun_error_message(err));
            isorun_error_free(err);
            continue;
        }
        pthread_mutex_lock(&s->mu);
        bool refuse = s->stopping || s->nconns >= MAX_CONNECTIONS;
        bool added = !refuse &&
                     isr_grow_array((void **)&s->conns, &s->cap_conns, s->nconns + 1, sizeof *s->conns);
        if (added) s->conns[s->nconns++] = (rpc_server_conn){t, false};
        pthread_mutex_unlock(&s->mu);
        if (!added) {
            rpc_server_log(s, "refused connection from %s: %s", isorun_transport_describe(t),
                  refuse ? "too many connections or shutting down" : "out of memory");
            isorun_transport_free(t);
            continue;
        }
        rpc_server_log(s, "connection from %s", isorun_transport_describe(t));
    }
    return NULL;
}

/* The registry's ids (malloc'd array of malloc'd strings). */
static char **registry_ids(isorun_runtime *rt, size_t *n) {
    *n = 0;
    pthread_mutex_lock(&rt->registry_lock);
    char **ids = calloc(rt->nregistered + 1, sizeof *ids);
    for (size_t b = 0; ids && b < rt->nbuckets; b++)
        for (isr_reg_entry *e = rt->buckets[b]; e; e = e->next) {
            char *copy = isr_strndup(e->id, strlen(e->id));
            if (copy) ids[(*n)++] = copy;
        }
    pthread_mutex_unlock(&rt->registry_lock);
    return ids;
}

static bool has_id(char **ids, size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

/* Tells routed listeners about ids registered and unregistered since last
 * time. Runs on the housekeeping thread only (and at listen). */
static void sync_advertised(isorun_server *s) {
    pthread_mutex_lock(&s->mu);
    bool routed = false;
    for (size_t i = 0; i < s->nlisteners; i++) routed |= s->listeners[i].l->ops->advertise != NULL;
    pthread_mutex_unlock(&s->mu);
    if (!routed) return;
    size_t n;
    char **ids = registry_ids(s->rt, &n);
    if (!ids) return;
    for (size_t i = 0; i < n; i++) {
        if (has_id(s->advertised, s->nadvertised, ids[i])) continue;
        if (!isr_grow_array((void **)&s->advertised, &s->cap_advertised, s->nadvertised + 1, sizeof(char *))) break;
        bool ok = true;
        pthread_mutex_lock(&s->mu);
        for (size_t k = 0; k < s->nlisteners; k++) {
            isorun_listener *l = s->listeners[k].l;
            if (!l->ops->advertise) continue;
            isorun_error *err = l->ops->advertise(l->impl, ids[i]);
            if (err) {
                rpc_server_log(s, "cannot serve \"%s\" on %s: %s", ids[i], l->url, isorun_error_message(err));
                isorun_error_free(err);
                ok = false;
            } else {
                rpc_server_log(s, "serving \"%s\" on %s", ids[i], l->url);
            }
        }
        pthread_mutex_unlock(&s->mu);
        char *copy = ok ? isr_strndup(ids[i], strlen(ids[i])) : NULL;
        if (copy) s->advertised[s->nadvertised++] = copy;
    }
    for (size_t i = 0; i < s->nadvertised;) {
        if (has_id(ids, n, s->advertised[i])) {
            i++;
            continue;
        }
        pthread_mutex_lock(&s->mu);
        for (size_t k = 0; k < s->nlisteners; k++) {
            isorun_listener *l = s->listeners[k].l;
            if (l->ops->withdraw) l->ops->withdraw(l->impl, s->advertised[i]);
        }
        pthread_mutex_unlock(&s->mu);
        rpc_server_log(s, "no longer serving \"%s\" (unregistered)", s->advertised[i]);
        free(s->advertised[i]);
        s->advertised[i] = s->advertised[--s->nadvertised];
    }
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
}

static void reap_dead(isorun_server *s) {
    pthread_mutex_lock(&s->mu);
    isorun_transport **gone = s->ndead ? calloc(s->ndead, sizeof *gone) : NULL;
    size_t ngone = 0;
    if (gone) {
        for (size_t i = 0; i < s->nconns;) {
            if (s->conns[i].dead) {
                gone[ngone++] = s->conns[i].t;
                s->conns[i] = s->conns[--s->nconns];
            } else {
                i++;
            }
        }
        s->ndead = 0;
    }
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < ngone; i++) {
        rpc_server_log(s, "connection from %s closed", isorun_transport_describe(gone[i]));
        isorun_transport_free(gone[i]);
    }
    free(gone);
}

void *rpc_server_housekeeping_main(void *arg) {
    isorun_server *s = arg;
    for (;;) {
        reap_dead(s);
        sync_advertised(s);
        pthread_mutex_lock(&s->mu);
        if (!s->house_exit && !s->ndead) {
            uint64_t until = isr_now_ns() + HOUSEKEEPING_PERIOD_NS;
            struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
            pthread_cond_timedwait(&s->house, &s->mu, &ts);
        }
        bool exit = s->house_exit;
        pthread_mutex_unlock(&s->mu);
        if (exit) break;
    }
    return NULL;
}
