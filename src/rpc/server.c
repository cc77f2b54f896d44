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
 * A housekeeping thread frees connections that ended and keeps routed
 * listeners (NATS) subscribed to exactly the ids in the registry.
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
#define MAX_CONNECTIONS 4096
#define HOUSEKEEPING_PERIOD_NS (100ull * 1000000ull)
/* A response that cannot be sent within this long (the caller stopped
 * reading) is dropped, so a worker is not held by a stalled peer. */
#define RESPONSE_SEND_TIMEOUT_NS (5ull * 1000000000ull)

typedef struct job {
    struct job *next;
    isorun_transport *t; /* reference */
    uint64_t id;
    uint64_t arrived_ns, deadline_ns;
    char *target;
    size_t len;
    uint8_t frame[];
} job;

/* A request being run by a worker or inline. */
typedef struct running {
    struct running *next;
    const char *target;
} running;

/* An idle worker, on its own stack, waiting to be woken. */
typedef struct idle_worker {
    struct idle_worker *next;
    pthread_cond_t cv;
    bool woken;
} idle_worker;

typedef struct server_listener {
    isorun_listener *l;
    pthread_t thread;
    bool started;
} server_listener;

typedef struct server_conn {
    isorun_transport *t; /* reference */
    bool dead;
} server_conn;

struct isorun_server {
    atomic_uint refs;
    isorun_runtime *rt; /* reference */
    isorun_server_config cfg;
    rpc_serve_ctx ctx;

    pthread_mutex_t mu;
    idle_worker *idle;    /* most recently idle first */
    pthread_cond_t done;  /* a running request finished */
    pthread_cond_t house; /* housekeeping has something to do, or must stop */
    bool stopping, workers_exit, house_exit;

    job *head, *tail;
    size_t queued;
    running *runs;
    size_t nrunning;

    pthread_t *workers;
    uint32_t nworkers;
    pthread_t housekeeper;
    bool housekeeper_started;

    server_listener *listeners;
    size_t nlisteners, cap_listeners;
    server_conn *conns;
    size_t nconns, cap_conns, ndead;
    isorun_transport **attached;
    size_t nattached, cap_attached;
    char **advertised; /* ids routed listeners were told about */
    size_t nadvertised, cap_advertised;
};

static void logf_(isorun_server *s, const char *fmt, ...) ISR_PRINTF(2, 3);
static void logf_(isorun_server *s, const char *fmt, ...) {
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
 * Answering
 * ------------------------------------------------------------------------ */

static void send_error(isorun_transport *t, uint64_t id, isorun_rpc_status status, isorun_trap_code trap,
                       const char *message) {
    isr_buf b = {0};
    if (rpc_response_write_error(&b, id, status, trap, message))
        isorun_error_free(rpc_transport_send(t, b.data, b.len, NULL, isr_now_ns() + RESPONSE_SEND_TIMEOUT_NS));
    isr_buf_free(&b);
}

/* Runs a request and sends its response. */
static void serve_and_reply(isorun_server *s, isorun_transport *t, const uint8_t *frame, size_t len,
                            uint64_t arrived_ns) {
    isr_buf out = {0};
    if (rpc_serve_request(&s->ctx, frame, len, arrived_ns, &out)) {
        isorun_error *err = rpc_transport_send(t, out.data, out.len, NULL, isr_now_ns() + RESPONSE_SEND_TIMEOUT_NS);
        if (err && isorun_error_code_of(err) == ISORUN_ERR_LIMIT) {
            /* Too large for this transport (NATS max_payload): the caller
             * still gets an answer. */
            tp_frame_header h;
            if (!tp_frame_check(frame, len, UINT32_MAX, &h))
                send_error(t, h.id, ISORUN_RPC_TOO_LARGE, ISORUN_TRAP_NONE, isorun_error_message(err));
        }
        isorun_error_free(err);
    }
    isr_buf_free(&out);
}

static void run_track(isorun_server *s, running *r, const char *target) {
    r->target = target;
    r->next = s->runs;
    s->runs = r;
    s->nrunning++;
}

static void run_untrack(isorun_server *s, running *r) {
    for (running **p = &s->runs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    s->nrunning--;
    /* Only a shutdown waits for running calls to end. */
    if (s->stopping) pthread_cond_broadcast(&s->done);
}

static bool target_busy(const isorun_server *s, const char *target) {
    for (const running *r = s->runs; r; r = r->next)
        if (r->target && strcmp(r->target, target) == 0) return true;
    return false;
}

/* Wakes the most recently idle worker (mu held). */
static void wake_worker(isorun_server *s) {
    idle_worker *w = s->idle;
    if (!w) return;
    s->idle = w->next;
    w->woken = true;
    pthread_cond_signal(&w->cv);
}

static void wake_all_workers(isorun_server *s) {
    while (s->idle) wake_worker(s);
}

static void job_free(job *j) {
    isorun_transport_free(j->t);
    free(j->target);
    free(j);
}

static void *worker_main(void *arg) {
    isorun_server *s = arg;
    idle_worker me = {0};
    pthread_cond_init(&me.cv, NULL);
    pthread_mutex_lock(&s->mu);
    for (;;) {
        job *j = NULL, **jp = &s->head, *prev = NULL;
        for (; *jp; prev = *jp, jp = &(*jp)->next)
            if (!target_busy(s, (*jp)->target)) {
                j = *jp;
                break;
            }
        if (!j) {
            if (s->workers_exit) break;
            me.woken = false;
            me.next = s->idle;
            s->idle = &me;
            while (!me.woken) pthread_cond_wait(&me.cv, &s->mu);
            continue;
        }
        *jp = j->next;
        if (s->tail == j) s->tail = prev;
        s->queued--;
        running r;
        run_track(s, &r, j->target);
        pthread_mutex_unlock(&s->mu);

        if (j->deadline_ns && isr_now_ns() >= j->deadline_ns)
            send_error(j->t, j->id, ISORUN_RPC_DEADLINE_EXCEEDED, ISORUN_TRAP_DEADLINE,
                       "the caller's deadline passed while the call waited for a worker (the server is busy)");
        else
            serve_and_reply(s, j->t, j->frame, j->len, j->arrived_ns);

        pthread_mutex_lock(&s->mu);
        run_untrack(s, &r);
        /* The target is free again: a job that waited for it may run now.
         * This worker looks first; another is woken only when more than
         * one job waits (waking all of them each time costs more than the
         * call). */
        if (s->queued > 1) wake_worker(s);
        pthread_mutex_unlock(&s->mu);
        job_free(j); /* outside the lock: it may free a transport */
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    pthread_cond_destroy(&me.cv);
    return NULL;
}

/* Runs a request on this thread (tracked as running under target, which
 * may be NULL). */
static void run_here(isorun_server *s, isorun_transport *t, const uint8_t *frame, size_t len, uint64_t now,
                     running *r) {
    serve_and_reply(s, t, frame, len, now);
    pthread_mutex_lock(&s->mu);
    run_untrack(s, r);
    if (s->queued) wake_worker(s); /* a job may have waited for this target */
    pthread_mutex_unlock(&s->mu);
}

bool rpc_server_submit(rpc_server *s, isorun_transport *t, const uint8_t *frame, size_t len, rpc_submit_mode mode) {
    uint64_t now = isr_now_ns();
    tp_frame_header h;
    rpc_request req;
    isorun_error *err = tp_frame_check(frame, len, s->ctx.max_frame, &h);
    if (!err) err = rpc_request_read(&h, frame + TP_FRAME_HEADER_SIZE, h.body_len, &req);
    if (err) {
        /* rpc_serve_request words the answer; nothing to queue. */
        isorun_error_free(err);
        serve_and_reply(s, t, frame, len, now);
        return false;
    }
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        send_error(t, h.id, ISORUN_RPC_SHUTTING_DOWN, ISORUN_TRAP_NONE, "the server is shutting down");
        return false;
    }
    running r;
    if (mode == RPC_SUBMIT_INLINE) {
        /* The caller's thread runs it. No reference to t is taken: the
         * channel keeps t alive while this delivery runs. */
        run_track(s, &r, NULL);
        pthread_mutex_unlock(&s->mu);
        run_here(s, t, frame, len, now, &r);
        return false;
    }
    if (mode == RPC_SUBMIT_READER && !s->head && s->nrunning < s->cfg.workers) {
        /* Nothing waits, so running it now overtakes no one. The target's
         * name must outlive the frame while it is tracked as running. */
        char target[RPC_MAX_TARGET + 1];
        memcpy(target, req.target, req.target_len);
        target[req.target_len] = 0;
        if (!target_busy(s, target)) {
            run_track(s, &r, target);
            pthread_mutex_unlock(&s->mu);
            if (rpc_transport_inline_begin(t)) {
                /* The reader thread stays alive until t is destroyed,
                 * which joins it: t outlives this call. */
                run_here(s, t, frame, len, now, &r);
                return rpc_transport_inline_end(t);
            }
            pthread_mutex_lock(&s->mu);
            run_untrack(s, &r);
        }
    }
    if (s->queued >= s->cfg.max_queued) {
        pthread_mutex_unlock(&s->mu);
        char msg[160];
        snprintf(msg, sizeof msg, "%zu calls are already waiting for a worker; try again later", s->queued);
        send_error(t, h.id, ISORUN_RPC_OVERLOADED, ISORUN_TRAP_NONE, msg);
        return false;
    }
    pthread_mutex_unlock(&s->mu);

    job *j = malloc(sizeof *j + len);
    char *target = j ? isr_strndup(req.target, req.target_len) : NULL;
    isorun_transport *ref = target ? rpc_transport_try_ref(t) : NULL;
    if (!ref) {
        free(j);
        free(target);
        send_error(t, h.id, ISORUN_RPC_INTERNAL, ISORUN_TRAP_NONE, "out of memory queueing the call");
        return false;
    }
    j->next = NULL;
    j->t = ref;
    j->id = h.id;
    j->arrived_ns = now;
    j->deadline_ns = req.deadline_ns ? now + req.deadline_ns : 0;
    j->target = target;
    j->len = len;
    memcpy(j->frame, frame, len);
    pthread_mutex_lock(&s->mu);
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    s->queued++;
    wake_worker(s);
    pthread_mutex_unlock(&s->mu);
    return false;
}

void rpc_server_cancel(rpc_server *s, isorun_transport *t, uint64_t id) {
    /* Only a queued request can be dropped safely; a running one is bounded
     * by the same deadline the caller just gave up on. */
    pthread_mutex_lock(&s->mu);
    job *j = NULL;
    for (job **p = &s->head, *prev = NULL; *p; prev = *p, p = &(*p)->next)
        if ((*p)->t == t && (*p)->id == id) {
            j = *p;
            *p = j->next;
            if (s->tail == j) s->tail = prev;
            s->queued--;
            break;
        }
    pthread_mutex_unlock(&s->mu);
    if (!j) return;
    send_error(j->t, j->id, ISORUN_RPC_DEADLINE_EXCEEDED, ISORUN_TRAP_DEADLINE, "cancelled by the caller");
    job_free(j);
}

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

static void *accept_main(void *arg) {
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
            if (!stopping) logf_(s, "listener %s stopped: %s", l->url, isorun_error_message(err));
            isorun_error_free(err);
            break;
        }
        isorun_transport *t = NULL;
        err = rpc_transport_accepted(ops, impl, &s->cfg.rpc, s, &t);
        if (err) {
            logf_(s, "could not take a connection on %s: %s", l->url, isorun_error_message(err));
            isorun_error_free(err);
            continue;
        }
        pthread_mutex_lock(&s->mu);
        bool refuse = s->stopping || s->nconns >= MAX_CONNECTIONS;
        bool added = !refuse &&
                     isr_grow_array((void **)&s->conns, &s->cap_conns, s->nconns + 1, sizeof *s->conns);
        if (added) s->conns[s->nconns++] = (server_conn){t, false};
        pthread_mutex_unlock(&s->mu);
        if (!added) {
            logf_(s, "refused connection from %s: %s", isorun_transport_describe(t),
                  refuse ? "too many connections or shutting down" : "out of memory");
            isorun_transport_free(t);
            continue;
        }
        logf_(s, "connection from %s", isorun_transport_describe(t));
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
                logf_(s, "cannot serve \"%s\" on %s: %s", ids[i], l->url, isorun_error_message(err));
                isorun_error_free(err);
                ok = false;
            } else {
                logf_(s, "serving \"%s\" on %s", ids[i], l->url);
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
        logf_(s, "no longer serving \"%s\" (unregistered)", s->advertised[i]);
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
        logf_(s, "connection from %s closed", isorun_transport_describe(gone[i]));
        isorun_transport_free(gone[i]);
    }
    free(gone);
}

static void *housekeeping_main(void *arg) {
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
        int rc = pthread_create(&s->workers[i], NULL, worker_main, s);
        if (rc) err = isr_error(ISORUN_ERR_NOMEM, "cannot start server worker threads: %s", strerror(rc));
        else s->nworkers++;
    }
    if (!err) {
        int rc = pthread_create(&s->housekeeper, NULL, housekeeping_main, s);
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
    server_listener sl = {l, 0, false};
    int rc = pthread_create(&sl.thread, NULL, accept_main, args);
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
    logf_(s, "listening on %s", l->url);
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
    for (running *r = s->runs; r; r = r->next) n++;
    char **targets = calloc(n + 1, sizeof *targets);
    n = 0;
    for (running *r = s->runs; targets && r; r = r->next)
        if (r->target) targets[n++] = isr_strndup(r->target, strlen(r->target));
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; targets && i < n; i++) {
        isorun_instance *inst = targets[i] ? isorun_runtime_lookup(s->rt, targets[i]) : NULL;
        if (inst) {
            logf_(s, "interrupting the call running in \"%s\" (shutdown grace period over)", targets[i]);
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
    logf_(s, "shutting down (%zu call(s) in flight)", inflight);

    /* 1. No new connections. */
    for (size_t i = 0; i < s->nlisteners; i++) s->listeners[i].l->ops->close(s->listeners[i].l->impl);
    for (size_t i = 0; i < s->nlisteners; i++)
        if (s->listeners[i].started) pthread_join(s->listeners[i].thread, NULL);

    /* 2. Queued calls are answered, not run. */
    pthread_mutex_lock(&s->mu);
    job *queued = s->head;
    s->head = s->tail = NULL;
    s->queued = 0;
    pthread_mutex_unlock(&s->mu);
    for (job *j = queued, *next; j; j = next) {
        next = j->next;
        send_error(j->t, j->id, ISORUN_RPC_SHUTTING_DOWN, ISORUN_TRAP_NONE,
                   "the server shut down before the call could run");
        job_free(j);
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
    wake_all_workers(s);
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
    logf_(s, "stopped");
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
