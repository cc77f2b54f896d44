/*
 * call.c — outgoing calls over a transport: a pending entry under a fresh
 * request id, the request sent, the response waited for until the deadline
 * and decoded, or the error the caller sees.
 *
 * On a transport with recv_timed and no reader thread, a waiting caller
 * takes the reading role and reads (handing whatever else arrives to its
 * owner), then passes the role to the next waiting caller: the response
 * wakes the very thread that wants it, with no hand-off in between.
 */
#include "rpc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t now_ns(void) { return isr_now_ns(); }

/* A trap error whose message is ours alone (isr_trap would put the trap's
 * generic message in front). */
static isorun_error *deadline_trap(const char *fmt, ...) ISR_PRINTF(1, 2);
static isorun_error *deadline_trap(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    isorun_error *err = isr_error_v(ISORUN_ERR_TRAP, fmt, ap);
    va_end(ap);
    if (err != isr_error_nomem()) err->trap = ISORUN_TRAP_DEADLINE;
    return rpc_error_with_status(err, ISORUN_RPC_DEADLINE_EXCEEDED);
}

/* The error a caller sees for a remote error response. */
static isorun_error *remote_error(const isorun_transport *t, const rpc_response *resp, const char *target,
                                  const char *function) {
    isorun_error_code code = rpc_status_error_code(resp->status);
    /* The remote message goes last: it may end with the callee's "in
     * function ..." detail, which readers expect at the end of a trap. */
    isorun_error *err = isr_error(code, "remote %s (calling \"%s\" of '%s' over %s): %.*s",
                                  isorun_rpc_status_name(resp->status), function, target, t->label,
                                  (int)resp->message_len, resp->message);
    if (code == ISORUN_ERR_TRAP && err != isr_error_nomem()) {
        isorun_trap_code trap = resp->trap;
        if (trap == ISORUN_TRAP_NONE)
            trap = resp->status == ISORUN_RPC_DEADLINE_EXCEEDED ? ISORUN_TRAP_DEADLINE
                   : resp->status == ISORUN_RPC_BUDGET_EXCEEDED ? ISORUN_TRAP_RESOURCE_LIMIT
                                                                : ISORUN_TRAP_HOST;
        err->trap = trap;
    }
    return rpc_error_with_status(err, resp->status);
}

static isorun_error *decode_response(isorun_transport *t, const uint8_t *frame, size_t len, const char *target,
                                     const char *function, const cm_functype *ft, isorun_val *results) {
    tp_frame_header h;
    rpc_response resp;
    isorun_error *err = tp_frame_check(frame, len, t->opts.max_frame_bytes, &h);
    if (!err) err = rpc_response_read(&h, frame + TP_FRAME_HEADER_SIZE, h.body_len, &resp);
    if (err)
        return isr_error_wrap(err, "remote malformed-response: the response to \"%s\" of '%s' could not be read",
                              function, target);
    if (resp.status != ISORUN_RPC_OK) return remote_error(t, &resp, target, function);
    rpc_reader r;
    rpc_reader_init(&r, resp.results, resp.results_len, t->opts.max_decoded_bytes);
    err = rpc_values_decode(&r, ft->nresults, ft->results, results);
    if (err) return isr_error_wrap(err, "remote results of \"%s\" of '%s'", function, target);
    return NULL;
}

/* Passes the reading role on (mu held): to a reader thread if there is one,
 * else to a caller still waiting for its response. */
static void hand_role_on(isorun_transport *t) {
    if (t->nreaders) {
        pthread_cond_signal(&t->role);
        return;
    }
    if (!t->waiting) return;
    for (size_t b = 0; b < PENDING_BUCKETS; b++)
        for (pending *p = t->pending[b]; p; p = p->next)
            if (!p->done) {
                pthread_cond_signal(&p->cv);
                return;
            }
}

/* A waiting caller reads one frame (or until its deadline), mu not held. */
static void caller_read(isorun_transport *t, uint64_t deadline_ns) {
    uint8_t *frame = NULL;
    size_t len = 0;
    isorun_error *err = t->ops->recv_timed(t->impl, t->opts.max_frame_bytes, deadline_ns, &frame, &len);
    if (!err && !frame) return; /* the deadline passed */
    tp_frame_header h;
    if (!err) err = tp_frame_check(frame, len, t->opts.max_frame_bytes, &h);
    if (err) {
        free(frame);
        rpc_transport_mark_closed(t, isorun_error_message(err));
        isorun_error_free(err);
        t->ops->close(t->impl);
        return;
    }
    rpc_transport_on_frame(t, &h, frame, len, true, false);
}

static void pending_remove(isorun_transport *t, pending *p) {
    for (pending **q = rpc_pending_bucket(t, p->id); *q; q = &(*q)->next)
        if (*q == p) {
            *q = p->next;
            return;
        }
}

/* Tells the callee the caller gave up (best effort, bounded). */
static void send_cancel(isorun_transport *t, uint64_t id, const char *target) {
    uint8_t frame[TP_FRAME_HEADER_SIZE];
    tp_frame_header_write(frame, TP_FRAME_CANCEL, 0, id);
    isorun_error_free(rpc_transport_send(t, frame, sizeof frame, target, now_ns() + 100 * 1000000ull));
}

isorun_error *rpc_call(isorun_transport *t, const char *target, const char *function, const cm_functype *ft,
                       uint64_t fingerprint, const isorun_val *args, isorun_val *results, uint64_t deadline_ns,
                       const rpc_chain *chain) {
    uint64_t start = now_ns();
    uint64_t limit = start + t->opts.call_timeout_ns;
    if (!deadline_ns || deadline_ns > limit) deadline_ns = limit;
    if (deadline_ns <= start)
        return deadline_trap("remote deadline-exceeded: no time left to call \"%s\" of '%s'", function, target);

    pending p = {0};
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&p.cv, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) return isr_error_nomem();

    pthread_mutex_lock(&t->mu);
    p.id = ++t->next_id;
    bool closed = t->closed;
    if (!closed) {
        p.next = *rpc_pending_bucket(t, p.id);
        *rpc_pending_bucket(t, p.id) = &p;
    }
    isorun_error *err = closed ? rpc_unavailable(t, t->close_reason) : NULL;
    pthread_mutex_unlock(&t->mu);
    if (err) {
        pthread_cond_destroy(&p.cv);
        return err;
    }

    isr_buf frame = {0};
    rpc_request req = {
        .id = p.id,
        .deadline_ns = deadline_ns - start,
        .fingerprint = fingerprint,
        .target = target,
        .target_len = strlen(target),
        .function = function,
        .function_len = strlen(function),
        .chain_len = chain ? chain->len : 0,
    };
    err = rpc_request_write(&frame, &req, chain ? chain->tokens : NULL, ft, args, t->opts.max_frame_bytes);
    if (!err) {
        err = rpc_transport_send(t, frame.data, frame.len, target, deadline_ns);
        if (err && isorun_error_code_of(err) == ISORUN_ERR_IO && strncmp(isorun_error_message(err), "remote ", 7) != 0)
            err = rpc_error_with_status(
                isr_error_wrap(err, "remote unavailable: calling \"%s\" of '%s'", function, target),
                ISORUN_RPC_UNAVAILABLE);
    }
    isr_buf_free(&frame);

    pthread_mutex_lock(&t->mu);
    while (!err && !p.done) {
        if (!t->direct && t->nreaders == 0 && t->ops->recv_timed && !t->reader_active && !t->closed) {
            /* Nobody reads: this caller does, until its response is in. */
            t->reader_active = true;
            pthread_mutex_unlock(&t->mu);
            caller_read(t, deadline_ns);
            pthread_mutex_lock(&t->mu);
            t->reader_active = false;
            if (!p.done && isr_now_ns() >= deadline_ns) break;
            continue;
        }
        if (atomic_load(&t->inline_state) == INLINE_RUNNING && !atomic_load(&t->steal_now)) {
            /* The role's holder runs a call (perhaps this very one): the
             * standby must read this response now. */
            atomic_store(&t->steal_now, true);
            rpc_transport_wake_standby(t);
        }
        t->waiting++;
        struct timespec ts = {(time_t)(deadline_ns / 1000000000u), (long)(deadline_ns % 1000000000u)};
        int rc = pthread_cond_timedwait(&p.cv, &t->mu, &ts);
        t->waiting--;
        if (rc == ETIMEDOUT && !p.done) break;
    }
    pending_remove(t, &p);
    /* If this caller read last, someone else may need the role now. */
    if (!t->reader_active) hand_role_on(t);
    bool timed_out = !err && !p.done;
    pthread_mutex_unlock(&t->mu);
    pthread_cond_destroy(&p.cv);

    if (timed_out) {
        send_cancel(t, p.id, target);
        return deadline_trap("remote deadline-exceeded: \"%s\" of '%s' did not answer within %llu ms (%s)", function,
                             target, (unsigned long long)((deadline_ns - start + 500000) / 1000000), t->label);
    }
    if (err) return err;
    if (p.failure) return p.failure;
    err = decode_response(t, p.frame, p.len, target, function, ft, results);
    free(p.frame);
    return err;
}

isorun_error *isorun_transport_call(isorun_transport *t, const char *remote_id, const char *function,
                                    const isorun_functype *type, const isorun_val *args, isorun_val *results,
                                    uint64_t timeout_ns) {
    if (!t || !remote_id || !function || !type || (type->nparams && !args) || (type->nresults && !results))
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "isorun_transport_call: transport, remote id, function, type, args and results are required");
    size_t n = (size_t)type->nparams + type->nresults;
    const cm_type *small[16];
    const cm_type **storage = n <= 16 ? small : malloc(n * sizeof *storage);
    if (!storage) return isr_error_nomem();
    cm_functype ft;
    uint64_t fingerprint = 0;
    isorun_error *err = cm_functype_of_core(type, storage, &ft);
    if (!err) err = rpc_functype_fingerprint(&ft, &fingerprint);
    if (!err)
        err = rpc_call(t, remote_id, function, &ft, fingerprint, args, results,
                       timeout_ns ? now_ns() + timeout_ns : 0, rpc_chain_current());
    if (storage != small) free(storage);
    return err;
}
