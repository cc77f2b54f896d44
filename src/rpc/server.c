/*
 * server.c — isorun_server: serving a runtime's registry to remote callers.
 *
 * Requests reach the server from its connections' reader threads
 * (rpc_server_submit). They wait in one bounded queue; a fixed pool of
 * workers runs them. A worker takes the oldest request whose target id is
 * not being served by another worker, so calls into one instance run one at
 * a time without tying up workers that could serve other instances (the
 * instance lock would serialize them anyway, but only after a worker had
 * been blocked on it). A request that waited past its caller's deadline is
 * answered "deadline-exceeded" without running.
 *
 * A hand-off between threads costs more than most calls, so requests skip
 * the queue when they can: over a local channel pair a request runs on the
 * caller's thread (blocked on the call anyway); over a connection it runs on
 * the thread that read it — when nothing waits in the queue, its target is
 * idle and fewer than `workers` calls run — while the connection's standby
 * thread takes the reading over if the call runs long (endpoint.c). Idle workers
 * are woken last-in first-out, so the thread that just finished, with its
 * caches warm, takes the next job.
 *
 * Every request gets exactly one response, whatever happens: a full queue
 * ("overloaded"), a shutdown ("shutting-down"), a cancel from the caller
 * (answered "deadline-exceeded" at once).
 *
 * This file: the server's life cycle (new, listen, attach, shutdown). The
 * queue and its workers are server_queue.c; connections, listeners and the
 * housekeeping thread that frees ended connections and keeps routed
 * listeners (NATS) subscribed to exactly the ids in the registry are
 * server_conns.c.
 */
#include "rpc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_WORKERS 8
#define DEFAULT_MAX_QUEUED 1024
#define DEFAULT_GRACE_NS (5ull * 1000000000ull)

void rpc_server_log(isorun_server *s, const char *fmt, ...) {
    if (!s->cfg.log) return;
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->cfg.log(s->cfg.log_data, line);
}

rpc_server *rpc_server_ref(rpc_server *s) {
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    return s;
}

static void server_destroy(isorun_server *s);

void rpc_server_release(rpc_server *s) {
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1) server_destroy(s);
}

/* ------------------------------------------------------------------------
 * Life cycle
 * ------------------------------------------------------------------------ */

static pthread_condattr_t *monotonic(pthread_condattr_t *attr) {
    pthread_condattr_init(attr);
    pthread_condattr_setclock(attr, CLOCK_MONOTONIC);
    return attr;
}

isorun_error *isorun_server_new(isorun_runtime *rt, const isorun_server_config *cfg, isorun_server **out) {
    if (!rt || !out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_server_new: runtime and out are required");
    *out = NULL;
    isorun_server *s = calloc(1, sizeof *s);
    if (!s) return isr_error_nomem();
    if (cfg) s->cfg = *cfg;
    if (!s->cfg.workers) s->cfg.workers = DEFAULT_WORKERS;
    if (!s->cfg.max_queued) s->cfg.max_queued = DEFAULT_MAX_QUEUED;
    if (!s->cfg.shutdown_grace_ns) s->cfg.shutdown_grace_ns = DEFAULT_GRACE_NS;
    rpc_options_resolve(cfg ? &cfg->rpc : NULL, &s->cfg.rpc);
    atomic_init(&s->refs, 1);
    s->rt = isr_runtime_ref(rt);
    s->ctx = (rpc_serve_ctx){rt, rpc_process_salt(), s->cfg.rpc.max_decoded_bytes, s->cfg.rpc.max_frame_bytes};
    pthread_condattr_t attr;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->done, monotonic(&attr));
    pthread_cond_init(&s->house, &attr);
    pthread_condattr_destroy(&attr);
    s->workers = calloc(s->cfg.workers, sizeof *s->workers);
    if (!s->workers) {
        rpc_server_release(s);
        return isr_error_nomem();
    }
    isorun_error *err = NULL;
    for (uint32_t i = 0; i < s->cfg.workers && !err; i++) {
        int rc = pthread_create(&s->workers[i], NULL, rpc_server_worker_main, s);
        if (rc) err = isr_error(ISORUN_ERR_NOMEM, "cannot start server worker threads: %s", strerror(rc));
        else s->nworkers++;
    }
    if (!err) {
        int rc = pthread_create(&s->housekeeper, NULL, rpc_server_housekeeping_main, s);
        if (rc) err = isr_error(ISORUN_ERR_NOMEM, "cannot start the server's housekeeping thread: %s", strerror(rc));
        else s->housekeeper_started = true;
    }
    if (err) {
        isorun_server_free(s);
        return err;
    }
    *out = s;
    return NULL;
}

isorun_error *isorun_server_listen(isorun_server *s, isorun_listener *l) {
    if (!s || !l) {
        isorun_listener_free(l);
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_server_listen: server and listener are required");
    }
    pthread_mutex_lock(&s->mu);
    bool ok = !s->stopping &&
              isr_grow_array((void **)&s->listeners, &s->cap_listeners, s->nlisteners + 1, sizeof *s->listeners);
    pthread_mutex_unlock(&s->mu);
    if (!ok) {
        isorun_listener_free(l);
        return isr_error_nomem();
    }
    void **args = malloc(2 * sizeof *args);
    if (!args) {
        isorun_listener_free(l);
        return isr_error_nomem();
    }
    args[0] = s;
    args[1] = l;
    rpc_server_listener sl = {l, 0, false};
    int rc = pthread_create(&sl.thread, NULL, rpc_server_accept_main, args);
    if (rc) {
        free(args);
        isorun_listener_free(l);
        return isr_error(ISORUN_ERR_NOMEM, "cannot start a thread for the listener: %s", strerror(rc));
    }
    sl.started = true;
    pthread_mutex_lock(&s->mu);
    s->listeners[s->nlisteners++] = sl;
    pthread_cond_signal(&s->house);
    pthread_mutex_unlock(&s->mu);
    rpc_server_log(s, "listening on %s", l->url);
    return NULL;
}

isorun_error *isorun_server_attach(isorun_server *s, isorun_transport *t) {
    if (!s || !t) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_server_attach: server and transport are required");
    pthread_mutex_lock(&s->mu);
    bool ok = !s->stopping &&
              isr_grow_array((void **)&s->attached, &s->cap_attached, s->nattached + 1, sizeof *s->attached);
    pthread_mutex_unlock(&s->mu);
    if (!ok) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_server_attach: the server is shutting down or out of memory");
    isorun_error *err = rpc_transport_set_server(t, s);
    if (err) return err;
    pthread_mutex_lock(&s->mu);
    s->attached[s->nattached++] = isorun_transport_ref(t);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Waits until no request runs, or until `until` (0 = for ever). */
static bool wait_idle(isorun_server *s, uint64_t until) {
    pthread_mutex_lock(&s->mu);
    while (s->nrunning > 0) {
        if (!until) {
            pthread_cond_wait(&s->done, &s->mu);
            continue;
        }
        struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
        if (pthread_cond_timedwait(&s->done, &s->mu, &ts) == ETIMEDOUT) break;
    }
    bool idle = s->nrunning == 0;
    pthread_mutex_unlock(&s->mu);
    return idle;
}

/* Interrupts the instances that still run a request after the grace period. */
static void interrupt_running(isorun_server *s) {
    pthread_mutex_lock(&s->mu);
    size_t n = 0;
    for (rpc_running *r = s->runs; r; r = r->next) n++;
    char **targets = calloc(n + 1, sizeof *targets);
    n = 0;
    for (rpc_running *r = s->runs; targets && r; r = r->next)
        if (r->target) targets[n++] = isr_strndup(r->target, strlen(r->target));
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; targets && i < n; i++) {
        isorun_instance *inst = targets[i] ? isorun_runtime_lookup(s->rt, targets[i]) : NULL;
        if (inst) {
            rpc_server_log(s, "interrupting the call running in \"%s\" (shutdown grace period over)", targets[i]);
            isorun_instance_interrupt(inst);
            isorun_instance_free(inst);
        }
        free(targets[i]);
    }
    free(targets);
}

void isorun_server_free(isorun_server *s) {
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    size_t inflight = s->queued + s->nrunning;
    pthread_mutex_unlock(&s->mu);
    rpc_server_log(s, "shutting down (%zu call(s) in flight)", inflight);

    /* 1. No new connections. */
    for (size_t i = 0; i < s->nlisteners; i++) s->listeners[i].l->ops->close(s->listeners[i].l->impl);
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i].started) pthread_join(s->listeners[i].thread, NULL);

    /* 2. Queued calls are answered, not run. */
    pthread_mutex_lock(&s->mu);
    rpc_job *queued = s->head;
    s->head = s->tail = NULL;
    s->queued = 0;
    pthread_mutex_unlock(&s->mu);
    for (rpc_job *j = queued, *next; j; j = next) {
        next = j->next;
        rpc_server_send_error(j->t, j->id, ISORUN_RPC_SHUTTING_DOWN, ISORUN_TRAP_NONE,
                   "the server shut down before the call could run");
        rpc_server_job_free(j);
    }

    /* 3. Running calls finish (interrupted after the grace period) and send
     * their responses. */
    if (!wait_idle(s, isr_now_ns() + s->cfg.shutdown_grace_ns)) {
        interrupt_running(s);
        wait_idle(s, 0);
    }

    /* 4. Threads stop. */
    pthread_mutex_lock(&s->mu);
    s->workers_exit = true;
    s->house_exit = true;
    rpc_server_wake_all_workers(s);
    pthread_cond_broadcast(&s->house);
    pthread_mutex_unlock(&s->mu);
    for (uint32_t i = 0; i < s->nworkers; i++) pthread_join(s->workers[i], NULL);
    if (s->housekeeper_started) pthread_join(s->housekeeper, NULL);

    /* 5. Connections go (their readers are joined), then the listeners they
     * may belong to (NATS). */
    for (size_t i = 0; i < s->nattached; i++) {
        rpc_transport_set_server(s->attached[i], NULL);
        isorun_transport_free(s->attached[i]);
    }
    s->nattached = 0;
    for (size_t i = 0; i < s->nconns; i++) {
        isorun_transport_close(s->conns[i].t);
        isorun_transport_free(s->conns[i].t);
    }
    s->nconns = 0;
    for (size_t i = 0; i < s->nlisteners; i++) isorun_listener_free(s->listeners[i].l);
    s->nlisteners = 0;
    rpc_server_log(s, "stopped");
    rpc_server_release(s);
}

static void server_destroy(isorun_server *s) {
    free(s->workers);
    free(s->listeners);
    free(s->conns);
    free(s->attached);
    for (size_t i = 0; i < s->nadvertised; i++) free(s->advertised[i]);
    free(s->advertised);
    pthread_cond_destroy(&s->done);
    pthread_cond_destroy(&s->house);
    pthread_mutex_destroy(&s->mu);
    isr_runtime_release(s->rt);
    free(s);
}
