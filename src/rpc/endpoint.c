/*
 * endpoint.c — isorun_transport: one connection with the machinery that
 * lets many calls share it in both directions.
 *
 * Outgoing calls register a pending entry under a fresh request id and wait
 * on their own condition variable; incoming frames are dispatched by type:
 * responses complete the pending entry with their id, requests go to the
 * attached server (or are answered "unknown-instance" when none is
 * attached), pings are answered with pongs.
 *
 * Frames come in one of three ways. A local channel end gets a receiver
 * (tp_local_set_receiver): frames arrive on the sending thread, so a call
 * over a pair runs from request to response on the caller's thread. A
 * transport with recv_timed and no server attached has no reader thread at
 * all: a caller waiting for its response takes the reading role and reads
 * (dispatching whatever else arrives to its owner), then passes the role to
 * the next waiting caller — the response wakes the thread that wants it,
 * with no hand-off. Otherwise reader threads read.
 *
 * A reader thread runs a request itself when the server allows it
 * (leader/follower): no thread hand-off lies between a request's arrival
 * and its execution. Meanwhile a second, standby thread watches: if the
 * call runs longer than STEAL_AFTER_NS, or waits itself for a response on
 * this connection, the standby takes the reading role over, so the other
 * calls multiplexed on the connection are not held up behind it. Waking the
 * standby at every request would cost more than a short call, so while the
 * connection is busy it looks on its own every STEAL_AFTER_NS, and sleeps
 * for good only after a quiet spell.
 *
 * Lifetime: references are held by the embedder, by links, by servers and
 * by server jobs answering a request. The last one closes the connection,
 * joins the reader thread and frees. Code that runs while the transport may
 * be on its way out (the reader, deliveries) takes references only with
 * rpc_transport_try_ref.
 */
#include "rpc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PENDING_BUCKETS 64
/* How long a call runs on the reading thread before the standby takes over
 * the reading (the longest other calls on the connection wait), and how long
 * the standby keeps looking after the last such call. */
#define STEAL_AFTER_NS (1000ull * 1000ull)
#define STANDBY_QUIET_NS (200ull * 1000000ull)
enum { INLINE_IDLE, INLINE_RUNNING, INLINE_STOLEN };
#define DEFAULT_CALL_TIMEOUT_NS (30ull * 1000000000ull)

/* An outgoing call waiting for its response. Lives on the caller's stack. */
typedef struct pending {
    struct pending *next;
    uint64_t id;
    pthread_cond_t cv; /* CLOCK_MONOTONIC */
    bool done;
    uint8_t *frame; /* the response (malloc'd), when done without failure */
    size_t len;
    isorun_error *failure; /* the connection failed before the response came */
} pending;

struct isorun_transport {
    atomic_uint refs;
    const isorun_transport_ops *ops;
    void *impl;
    isorun_rpc_options opts;
    bool direct; /* a local channel end: no reader thread */
    /* Reader threads (none while callers read; the second one starts at
     * the first hand-off). */
    pthread_t readers[2];
    int nreaders, live_readers;
    bool reader_active;   /* a thread (reader or caller) holds the reading role */
    size_t waiting;       /* callers waiting on their pending entry */
    bool reading_over;    /* recv failed: the connection is gone */
    pthread_cond_t role;  /* the role was released, or reading is over */
    /* A request running on the thread that holds the role (INLINE_*). Its
     * start and end touch only these atomics: the standby checks them on
     * its own mutex, so the hot path never waits for a lock the standby
     * holds (a contended lock can cost a whole scheduler tick). */
    atomic_int inline_state;
    atomic_bool steal_now, standby_asleep, standby_stop;
    atomic_uint_least64_t inline_since, last_inline;
    pthread_mutex_t standby_mu;
    pthread_cond_t standby_cv; /* CLOCK_MONOTONIC */
    atomic_bool closed_flag;   /* = closed, read without mu by senders */
    atomic_bool standby_ready; /* the second reader thread runs */

    pthread_mutex_t mu;
    bool closed;
    char *close_reason; /* why it closed, for calls that come later */
    uint64_t next_id;
    pending *pending[PENDING_BUCKETS];
    rpc_server *server; /* attached (internal reference) */
    bool accepted;      /* a server's connection: tell it when it ends */
    char label[160];
};

void rpc_options_resolve(const isorun_rpc_options *in, isorun_rpc_options *out) {
    memset(out, 0, sizeof *out);
    if (in) *out = *in;
    if (!out->max_frame_bytes) out->max_frame_bytes = ISORUN_DEFAULT_MAX_FRAME;
    if (!out->max_decoded_bytes) out->max_decoded_bytes = RPC_DEFAULT_MAX_DECODED;
    if (!out->call_timeout_ns) out->call_timeout_ns = DEFAULT_CALL_TIMEOUT_NS;
}

const isorun_rpc_options *rpc_transport_options(const isorun_transport *t) { return &t->opts; }

const char *isorun_transport_describe(const isorun_transport *t) { return t ? t->label : "(no transport)"; }

/* ------------------------------------------------------------------------
 * Closing
 * ------------------------------------------------------------------------ */

/* Marks the transport closed and fails every pending call with reason.
 * Idempotent: the first reason is kept. */
static void mark_closed(isorun_transport *t, const char *reason) {
    pthread_mutex_lock(&t->mu);
    if (!t->closed) {
        t->closed = true;
        atomic_store(&t->closed_flag, true);
        t->close_reason = isr_strndup(reason, strlen(reason));
    }
    for (size_t b = 0; b < PENDING_BUCKETS; b++) {
        for (pending *p = t->pending[b]; p; p = p->next) {
            if (p->done) continue;
            p->done = true;
            p->failure = isr_error(ISORUN_ERR_IO, "remote unavailable: %s: %s", t->label, reason);
            pthread_cond_signal(&p->cv);
        }
    }
    pthread_mutex_unlock(&t->mu);
}

void isorun_transport_close(isorun_transport *t) {
    if (!t) return;
    mark_closed(t, "the connection was closed by this side");
    t->ops->close(t->impl);
}

isorun_transport *isorun_transport_ref(isorun_transport *t) {
    if (t) atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
    return t;
}

isorun_transport *rpc_transport_try_ref(isorun_transport *t) {
    unsigned n = atomic_load(&t->refs);
    while (n != 0)
        if (atomic_compare_exchange_weak(&t->refs, &n, n + 1)) return t;
    return NULL;
}

void isorun_transport_free(isorun_transport *t) {
    if (!t || atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1) return;
    mark_closed(t, "the transport was freed");
    /* For a local channel end, close waits for deliveries running on other
     * threads; the reader thread ends when recv fails. */
    t->ops->close(t->impl);
    /* readers[] only grows under mu, and by reader threads, which are done
     * starting others once reading is over; read the count after that. */
    pthread_mutex_lock(&t->mu);
    while (t->nreaders && !t->reading_over) pthread_cond_wait(&t->role, &t->mu);
    int nreaders = t->nreaders;
    pthread_mutex_unlock(&t->mu);
    for (int i = 0; i < nreaders; i++) pthread_join(t->readers[i], NULL);
    rpc_server *server = t->server;
    t->server = NULL;
    if (server) rpc_server_release(server);
    t->ops->free(t->impl);
    free(t->close_reason);
    pthread_cond_destroy(&t->role);
    pthread_cond_destroy(&t->standby_cv);
    pthread_mutex_destroy(&t->standby_mu);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* ------------------------------------------------------------------------
 * Incoming frames
 * ------------------------------------------------------------------------ */

static pending **bucket(isorun_transport *t, uint64_t id) { return &t->pending[id % PENDING_BUCKETS]; }

/* A response: hand it to the call waiting for it. own: frame is malloc'd
 * and may be kept; otherwise it is copied. A response nobody waits for any
 * more (the caller gave up) is dropped. */
static void on_response(isorun_transport *t, const tp_frame_header *h, uint8_t *frame, size_t len, bool own) {
    pthread_mutex_lock(&t->mu);
    pending *p = *bucket(t, h->id);
    while (p && p->id != h->id) p = p->next;
    if (p && !p->done) {
        uint8_t *copy = own ? frame : malloc(len);
        if (copy) {
            if (!own) memcpy(copy, frame, len);
            p->frame = copy;
            p->len = len;
            frame = NULL;
            own = false;
        } else {
            p->failure = isr_error_nomem();
        }
        p->done = true;
        pthread_cond_signal(&p->cv);
    }
    pthread_mutex_unlock(&t->mu);
    if (own) free(frame);
}

/* A request when no server is attached: say so. */
static void refuse_request(isorun_transport *t, uint64_t id) {
    isr_buf b = {0};
    if (rpc_response_write_error(&b, id, ISORUN_RPC_UNKNOWN_INSTANCE, ISORUN_TRAP_NONE,
                                 "nothing serves calls on this connection: the peer has no server attached to it"))
        isorun_error_free(rpc_transport_send(t, b.data, b.len, NULL, 0));
    isr_buf_free(&b);
}

/* Dispatches one frame (already checked). own: see on_response; requests
 * are always copied by the server if it keeps them. reader: called by a
 * reader thread, which the server may let run the request (returns true:
 * the thread has given up the reading role). */
static bool on_frame(isorun_transport *t, const tp_frame_header *h, uint8_t *frame, size_t len, bool own,
                     bool reader) {
    bool handed_off = false;
    if (h->type == TP_FRAME_RESPONSE) {
        on_response(t, h, frame, len, own);
        return false;
    }
    if (h->type == TP_FRAME_REQUEST || h->type == TP_FRAME_CANCEL) {
        pthread_mutex_lock(&t->mu);
        rpc_server *server = t->server ? rpc_server_ref(t->server) : NULL;
        pthread_mutex_unlock(&t->mu);
        if (server) {
            if (h->type == TP_FRAME_REQUEST)
                handed_off = rpc_server_submit(server, t, frame, len,
                                               t->direct ? RPC_SUBMIT_INLINE : reader ? RPC_SUBMIT_READER
                                                                                      : RPC_SUBMIT_QUEUE);
            else
                rpc_server_cancel(server, t, h->id);
            rpc_server_release(server);
        } else if (h->type == TP_FRAME_REQUEST) {
            refuse_request(t, h->id);
        }
    } else if (h->type == TP_FRAME_PING && h->body_len <= 64) {
        uint8_t pong[TP_FRAME_HEADER_SIZE + 64];
        tp_frame_header_write(pong, TP_FRAME_PONG, h->body_len, h->id);
        memcpy(pong + TP_FRAME_HEADER_SIZE, frame + TP_FRAME_HEADER_SIZE, h->body_len);
        isorun_error_free(rpc_transport_send(t, pong, TP_FRAME_HEADER_SIZE + h->body_len, NULL, 0));
    }
    if (own) free(frame);
    return handed_off;
}

/* Reads and dispatches frames while this thread holds the reading role.
 * Returns true when the connection is over, false when the role was handed
 * off (this thread ran a request meanwhile). */
static bool read_frames(isorun_transport *t) {
    for (;;) {
        uint8_t *frame = NULL;
        size_t len = 0;
        isorun_error *err = t->ops->recv(t->impl, t->opts.max_frame_bytes, &frame, &len);
        tp_frame_header h;
        if (!err) err = tp_frame_check(frame, len, t->opts.max_frame_bytes, &h);
        if (err) {
            /* The connection cannot deliver frames any more, or sent one
             * that cannot be trusted: either way it is over. */
            free(frame);
            mark_closed(t, isorun_error_message(err));
            isorun_error_free(err);
            t->ops->close(t->impl);
            return true;
        }
        if (on_frame(t, &h, frame, len, true, true)) return false;
    }
}

static void wake_standby(isorun_transport *t) {
    pthread_mutex_lock(&t->standby_mu);
    pthread_cond_broadcast(&t->standby_cv);
    pthread_mutex_unlock(&t->standby_mu);
}

static void wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, uint64_t due) {
    struct timespec ts = {(time_t)(due / 1000000000u), (long)(due % 1000000000u)};
    pthread_cond_timedwait(cv, mu, &ts);
}

/* One wait of a thread standing by while another holds the reading role:
 * returns true when it took the role over from a request running too long
 * (or waiting on this connection). Touches only atomics and the standby's
 * own mutex. */
static bool stand_by(isorun_transport *t) {
    bool stole = false;
    pthread_mutex_lock(&t->standby_mu);
    uint64_t now = isr_now_ns();
    if (atomic_load(&t->standby_stop)) {
        /* reading is over: nothing to wait for */
    } else if (atomic_load(&t->inline_state) == INLINE_RUNNING) {
        uint64_t due = atomic_load(&t->steal_now) ? now : atomic_load(&t->inline_since) + STEAL_AFTER_NS;
        if (now >= due) {
            int running = INLINE_RUNNING;
            /* The role's holder finds out when its call ends. */
            stole = atomic_compare_exchange_strong(&t->inline_state, &running, INLINE_STOLEN);
        } else {
            wait_until(&t->standby_cv, &t->standby_mu, due);
        }
    } else if (now - atomic_load(&t->last_inline) < STANDBY_QUIET_NS) {
        /* Busy: look again soon, unasked (see the top of the file). */
        wait_until(&t->standby_cv, &t->standby_mu, now + STEAL_AFTER_NS);
    } else {
        atomic_store(&t->standby_asleep, true);
        /* Checked after announcing the sleep: a request starting now either
         * sees the announcement (and wakes this thread under standby_mu) or
         * is seen here. */
        if (atomic_load(&t->inline_state) != INLINE_RUNNING && !atomic_load(&t->standby_stop))
            pthread_cond_wait(&t->standby_cv, &t->standby_mu);
        atomic_store(&t->standby_asleep, false);
    }
    pthread_mutex_unlock(&t->standby_mu);
    return stole;
}

/* Waits (mu held) until this reader thread may read: the role is free, or
 * it took the role over from a request running on its holder. False when
 * reading is over. */
static bool await_role(isorun_transport *t) {
    for (;;) {
        if (t->reading_over) return false;
        if (!t->reader_active) {
            t->reader_active = true;
            return true;
        }
        pthread_mutex_unlock(&t->mu);
        bool stole = stand_by(t);
        pthread_mutex_lock(&t->mu);
        if (stole) return true;
    }
}

static void *reader_main(void *arg) {
    isorun_transport *t = arg;
    pthread_mutex_lock(&t->mu);
    while (await_role(t)) {
        pthread_mutex_unlock(&t->mu);
        bool over = read_frames(t);
        pthread_mutex_lock(&t->mu);
        if (over) {
            t->reading_over = true;
            pthread_cond_broadcast(&t->role);
            atomic_store(&t->standby_stop, true);
            wake_standby(t);
            break;
        }
    }
    bool last = --t->live_readers == 0;
    rpc_server *server = last && t->accepted && t->server ? rpc_server_ref(t->server) : NULL;
    pthread_mutex_unlock(&t->mu);
    if (server) {
        rpc_server_connection_closed(server, t);
        rpc_server_release(server);
    }
    return NULL;
}

/* Starts a reader thread; call with mu held. */
static int start_reader(isorun_transport *t) {
    int rc = pthread_create(&t->readers[t->nreaders], NULL, reader_main, t);
    if (rc == 0) {
        t->nreaders++;
        t->live_readers++;
    }
    return rc;
}

bool rpc_transport_inline_begin(isorun_transport *t) {
    /* One request at a time runs on a reader thread (the standby may be
     * reading while the first still runs). Only the reading thread of t
     * calls this, so the check cannot race another start. */
    if (atomic_load(&t->inline_state) != INLINE_IDLE) return false;
    if (!atomic_load_explicit(&t->standby_ready, memory_order_acquire)) {
        /* Without a standby (none could be started) the reader must not
         * stop reading for a call of unknown length. Started once. */
        pthread_mutex_lock(&t->mu);
        bool ok = t->nreaders == 2 || (t->nreaders == 1 && start_reader(t) == 0);
        pthread_mutex_unlock(&t->mu);
        if (!ok) return false;
        atomic_store_explicit(&t->standby_ready, true, memory_order_release);
    }
    uint64_t now = isr_now_ns();
    atomic_store(&t->steal_now, false);
    atomic_store(&t->inline_since, now);
    atomic_store(&t->last_inline, now);
    atomic_store(&t->inline_state, INLINE_RUNNING);
    if (atomic_load(&t->standby_asleep)) wake_standby(t);
    return true;
}

bool rpc_transport_inline_end(isorun_transport *t) {
    return atomic_exchange(&t->inline_state, INLINE_IDLE) == INLINE_STOLEN;
}

/* Local channel deliveries, on the sending thread. */
static void direct_receiver(void *ctx, const uint8_t *frame, size_t len) {
    isorun_transport *t = ctx;
    tp_frame_header h;
    isorun_error *err = tp_frame_check(frame, len, t->opts.max_frame_bytes, &h);
    if (err) {
        isorun_error_free(err);
        return;
    }
    on_frame(t, &h, (uint8_t *)frame, len, false, false);
}

/* ------------------------------------------------------------------------
 * Making transports
 * ------------------------------------------------------------------------ */

static isorun_error *wrap(const isorun_transport_ops *ops, void *impl, const isorun_rpc_options *opts,
                          rpc_server *server, bool accepted, isorun_transport **out) {
    *out = NULL;
    isorun_transport *t = calloc(1, sizeof *t);
    if (!t || pthread_mutex_init(&t->mu, NULL) != 0) {
        free(t);
        ops->free(impl);
        return isr_error_nomem();
    }
    pthread_cond_init(&t->role, NULL);
    pthread_mutex_init(&t->standby_mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->standby_cv, &attr);
    pthread_condattr_destroy(&attr);
    atomic_init(&t->refs, 1);
    t->ops = ops;
    t->impl = impl;
    rpc_options_resolve(opts, &t->opts);
    t->direct = ops == &tp_local_ops;
    t->accepted = accepted;
    snprintf(t->label, sizeof t->label, "%s", ops->describe ? ops->describe(impl) : ops->name ? ops->name : "?");
    if (server) t->server = rpc_server_ref(server);
    if (t->direct) {
        tp_local_set_receiver(impl, direct_receiver, t);
    } else {
        pthread_mutex_lock(&t->mu);
        int rc = ops->recv_timed && !server ? 0 : start_reader(t);
        pthread_mutex_unlock(&t->mu);
        if (rc != 0) {
            if (t->server) rpc_server_release(t->server);
            ops->free(impl);
            pthread_cond_destroy(&t->role);
            pthread_cond_destroy(&t->standby_cv);
            pthread_mutex_destroy(&t->standby_mu);
            pthread_mutex_destroy(&t->mu);
            free(t);
            return isr_error(ISORUN_ERR_NOMEM, "cannot start a thread for the connection: %s", strerror(rc));
        }
    }
    *out = t;
    return NULL;
}

isorun_error *isorun_transport_new(const isorun_transport_ops *ops, void *impl, const isorun_rpc_options *opts,
                                   isorun_transport **out) {
    if (!out) {
        if (ops && ops->free) ops->free(impl);
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_transport_new: out is required");
    }
    *out = NULL;
    if (!ops || !ops->send || !ops->recv || !ops->close || !ops->free) {
        if (ops && ops->free) ops->free(impl);
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_transport_new: send, recv, close and free are all required");
    }
    return wrap(ops, impl, opts, NULL, false, out);
}

isorun_error *rpc_transport_accepted(const isorun_transport_ops *ops, void *impl, const isorun_rpc_options *opts,
                                     rpc_server *server, isorun_transport **out) {
    return wrap(ops, impl, opts, server, true, out);
}

isorun_error *isorun_transport_pair(const isorun_rpc_options *opts, isorun_transport **a, isorun_transport **b) {
    if (!a || !b) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_transport_pair: a and b are required");
    *a = *b = NULL;
    void *ea, *eb;
    isorun_error *err = tp_local_pair(&ea, &eb);
    if (err) return err;
    err = wrap(&tp_local_ops, ea, opts, NULL, false, a);
    if (err) {
        tp_local_ops.free(eb);
        return err;
    }
    err = wrap(&tp_local_ops, eb, opts, NULL, false, b);
    if (err) {
        isorun_transport_free(*a);
        *a = NULL;
    }
    return err;
}

isorun_error *isorun_transport_dial(const char *url, const isorun_rpc_options *opts, isorun_transport **out) {
    if (!out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_transport_dial: out is required");
    *out = NULL;
    tp_url u;
    isorun_error *err = tp_url_parse(url, &u);
    if (err) return err;
    isorun_rpc_options o;
    rpc_options_resolve(opts, &o);
    void *impl;
    const isorun_transport_ops *ops;
    if (u.scheme == TP_URL_NATS) {
        ops = &tp_nats_ops;
        err = tp_nats_dial(url, &u, o.call_timeout_ns, &impl);
    } else {
        ops = &tp_stream_ops;
        err = tp_socket_dial(url, &u, o.call_timeout_ns, &impl);
    }
    if (err) return err;
    return wrap(ops, impl, &o, NULL, false, out);
}

isorun_error *rpc_transport_set_server(isorun_transport *t, rpc_server *server) {
    pthread_mutex_lock(&t->mu);
    if (server && t->server) {
        pthread_mutex_unlock(&t->mu);
        return isr_error(ISORUN_ERR_ARGUMENT, "%s already has a server attached", t->label);
    }
    rpc_server *old = t->server;
    t->server = server ? rpc_server_ref(server) : NULL;
    /* Requests must be read even when no caller waits. */
    int rc = server && !t->direct && t->nreaders == 0 && !t->reading_over ? start_reader(t) : 0;
    pthread_mutex_unlock(&t->mu);
    if (rc) {
        rpc_transport_set_server(t, NULL);
        return isr_error(ISORUN_ERR_NOMEM, "cannot start a thread for the connection: %s", strerror(rc));
    }
    if (old) rpc_server_release(old);
    return NULL;
}

/* ------------------------------------------------------------------------
 * Sending and calling
 * ------------------------------------------------------------------------ */

isorun_error *rpc_transport_send(isorun_transport *t, const uint8_t *frame, size_t len, const char *target,
                                 uint64_t deadline_ns) {
    /* The flag, not the mutex: sending is on every call's path. */
    if (atomic_load(&t->closed_flag)) {
        pthread_mutex_lock(&t->mu);
        isorun_error *err = isr_error(ISORUN_ERR_IO, "remote unavailable: %s: %s", t->label,
                                      t->close_reason ? t->close_reason : "closed");
        pthread_mutex_unlock(&t->mu);
        return err;
    }
    return t->ops->send(t->impl, frame, len, target, deadline_ns);
}

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
    return err;
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
    return err;
}

static isorun_error *decode_response(isorun_transport *t, const uint8_t *frame, size_t len, const char *target,
                                     const char *function, const rpc_functype *ft, isorun_val *results) {
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
        mark_closed(t, isorun_error_message(err));
        isorun_error_free(err);
        t->ops->close(t->impl);
        return;
    }
    on_frame(t, &h, frame, len, true, false);
}

static void pending_remove(isorun_transport *t, pending *p) {
    for (pending **q = bucket(t, p->id); *q; q = &(*q)->next)
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

isorun_error *rpc_call(isorun_transport *t, const char *target, const char *function, const rpc_functype *ft,
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
        p.next = *bucket(t, p.id);
        *bucket(t, p.id) = &p;
    }
    isorun_error *err = closed ? isr_error(ISORUN_ERR_IO, "remote unavailable: %s: %s", t->label,
                                           t->close_reason ? t->close_reason : "closed")
                               : NULL;
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
            err = isr_error_wrap(err, "remote unavailable: calling \"%s\" of '%s'", function, target);
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
            wake_standby(t);
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
    const rpc_type *small[16];
    const rpc_type **storage = n <= 16 ? small : malloc(n * sizeof *storage);
    if (!storage) return isr_error_nomem();
    rpc_functype ft;
    uint64_t fingerprint = 0;
    isorun_error *err = rpc_functype_of_core(type, storage, &ft);
    if (!err) err = rpc_functype_fingerprint(&ft, &fingerprint);
    if (!err)
        err = rpc_call(t, remote_id, function, &ft, fingerprint, args, results,
                       timeout_ns ? now_ns() + timeout_ns : 0, rpc_chain_current());
    if (storage != small) free(storage);
    return err;
}
