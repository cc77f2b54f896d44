/*
 * server_queue.c — a server's requests: run at once when they can (on the
 * caller's thread over a local pair, on the reading thread over a
 * connection), else queued for the pool of workers, which take the oldest
 * request whose target is idle; and every request answered exactly once.
 * server.c says why.
 */
#include "rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A response that cannot be sent within this long (the caller stopped
 * reading) is dropped, so a worker is not held by a stalled peer. */
#define RESPONSE_SEND_TIMEOUT_NS (5ull * 1000000000ull)

/* ------------------------------------------------------------------------
 * Answering
 * ------------------------------------------------------------------------ */

void rpc_server_send_error(isorun_transport *t, uint64_t id, isorun_rpc_status status, isorun_trap_code trap,
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
                rpc_server_send_error(t, h.id, ISORUN_RPC_TOO_LARGE, ISORUN_TRAP_NONE, isorun_error_message(err));
        }
        isorun_error_free(err);
    }
    isr_buf_free(&out);
}

static void run_track(isorun_server *s, rpc_running *r, const char *target) {
    r->target = target;
    r->next = s->runs;
    s->runs = r;
    s->nrunning++;
}

static void run_untrack(isorun_server *s, rpc_running *r) {
    for (rpc_running **p = &s->runs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    s->nrunning--;
    /* Only a shutdown waits for running calls to end. */
    if (s->stopping) pthread_cond_broadcast(&s->done);
}

static bool target_busy(const isorun_server *s, const char *target) {
    for (const rpc_running *r = s->runs; r; r = r->next)
        if (r->target && strcmp(r->target, target) == 0) return true;
    return false;
}

/* Wakes the most recently idle worker (mu held). */
static void wake_worker(isorun_server *s) {
    rpc_idle_worker *w = s->idle;
    if (!w) return;
    s->idle = w->next;
    w->woken = true;
    pthread_cond_signal(&w->cv);
}

void rpc_server_wake_all_workers(isorun_server *s) {
    while (s->idle) wake_worker(s);
}

void rpc_server_job_free(rpc_job *j) {
    isorun_transport_free(j->t);
    free(j->target);
    free(j);
}

void *rpc_server_worker_main(void *arg) {
    isorun_server *s = arg;
    rpc_idle_worker me = {0};
    pthread_cond_init(&me.cv, NULL);
    pthread_mutex_lock(&s->mu);
    for (;;) {
        rpc_job *j = NULL, **jp = &s->head, *prev = NULL;
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
        rpc_running r;
        run_track(s, &r, j->target);
        pthread_mutex_unlock(&s->mu);

        if (j->deadline_ns && isr_now_ns() >= j->deadline_ns)
            rpc_server_send_error(j->t, j->id, ISORUN_RPC_DEADLINE_EXCEEDED, ISORUN_TRAP_DEADLINE,
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
        rpc_server_job_free(j); /* outside the lock: it may free a transport */
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    pthread_cond_destroy(&me.cv);
    return NULL;
}

/* Runs a request on this thread (tracked as running under target, which
 * may be NULL). */
static void run_here(isorun_server *s, isorun_transport *t, const uint8_t *frame, size_t len, uint64_t now,
                     rpc_running *r) {
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
        rpc_server_send_error(t, h.id, ISORUN_RPC_SHUTTING_DOWN, ISORUN_TRAP_NONE, "the server is shutting down");
        return false;
    }
    rpc_running r;
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
        rpc_server_send_error(t, h.id, ISORUN_RPC_OVERLOADED, ISORUN_TRAP_NONE, msg);
        return false;
    }
    pthread_mutex_unlock(&s->mu);

    rpc_job *j = malloc(sizeof *j + len);
    char *target = j ? isr_strndup(req.target, req.target_len) : NULL;
    isorun_transport *ref = target ? rpc_transport_try_ref(t) : NULL;
    if (!ref) {
        free(j);
        free(target);
        rpc_server_send_error(t, h.id, ISORUN_RPC_INTERNAL, ISORUN_TRAP_NONE, "out of memory queueing the call");
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
    rpc_job *j = NULL;
    for (rpc_job **p = &s->head, *prev = NULL; *p; prev = *p, p = &(*p)->next)
        if ((*p)->t == t && (*p)->id == id) {
            j = *p;
            *p = j->next;
            if (s->tail == j) s->tail = prev;
            s->queued--;
            break;
        }
    pthread_mutex_unlock(&s->mu);
    if (!j) return;
    rpc_server_send_error(j->t, j->id, ISORUN_RPC_DEADLINE_EXCEEDED, ISORUN_TRAP_DEADLINE, "cancelled by the caller");
    rpc_server_job_free(j);
}
