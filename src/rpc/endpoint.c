/*
 * endpoint.c — isorun_transport: one connection with the machinery that
 * lets many calls share it in both directions. This file: making and
 * freeing transports, and dispatching incoming frames by type — responses
 * complete the call waiting under their request id (call.c), requests go to
 * the attached server (or are answered "unknown-instance" when none is
 * attached), pings are answered with pongs.
 *
 * Frames come in one of three ways. A local channel end gets a receiver
 * (tp_local_set_receiver): frames arrive on the sending thread, so a call
 * over a pair runs from request to response on the caller's thread. A
 * transport with recv_timed and no server attached has no reader thread at
 * all: callers read their own responses (call.c). Otherwise reader threads
 * read (readers.c).
 *
 * Lifetime: references are held by the embedder, by links, by servers and
 * by server jobs answering a request. The last one closes the connection,
 * joins the reader threads and frees. Code that runs while the transport may
 * be on its way out (the readers, deliveries) takes references only with
 * rpc_transport_try_ref.
 */
#include "rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_CALL_TIMEOUT_NS (30ull * 1000000000ull)

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

isorun_error *rpc_unavailable(const isorun_transport *t, const char *reason) {
    if (!reason) reason = "closed";
    /* Transports' own messages often start with the label already. */
    bool labelled = strncmp(reason, t->label, strlen(t->label)) == 0;
    isorun_error *err = labelled ? isr_error(ISORUN_ERR_IO, "remote unavailable: %s", reason)
                                 : isr_error(ISORUN_ERR_IO, "remote unavailable: %s: %s", t->label, reason);
    return rpc_error_with_status(err, ISORUN_RPC_UNAVAILABLE);
}

/* Marks the transport closed and fails every pending call with reason.
 * Idempotent: the first reason is kept. */
void rpc_transport_mark_closed(isorun_transport *t, const char *reason) {
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
            p->failure = rpc_unavailable(t, reason);
            pthread_cond_signal(&p->cv);
        }
    }
    pthread_mutex_unlock(&t->mu);
}

void isorun_transport_close(isorun_transport *t) {
    if (!t) return;
    rpc_transport_mark_closed(t, "the connection was closed by this side");
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
    rpc_transport_mark_closed(t, "the transport was freed");
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
    free(t->dial_url);
    pthread_cond_destroy(&t->role);
    pthread_cond_destroy(&t->standby_cv);
    pthread_mutex_destroy(&t->standby_mu);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* ------------------------------------------------------------------------
 * Incoming frames
 * ------------------------------------------------------------------------ */

/* A response: hand it to the call waiting for it. own: frame is malloc'd
 * and may be kept; otherwise it is copied. A response nobody waits for any
 * more (the caller gave up) is dropped. */
static void on_response(isorun_transport *t, const tp_frame_header *h, uint8_t *frame, size_t len, bool own) {
    pthread_mutex_lock(&t->mu);
    pending *p = *rpc_pending_bucket(t, h->id);
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
bool rpc_transport_on_frame(isorun_transport *t, const tp_frame_header *h, uint8_t *frame, size_t len, bool own,
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

/* Local channel deliveries, on the sending thread. */
static void direct_receiver(void *ctx, const uint8_t *frame, size_t len) {
    isorun_transport *t = ctx;
    tp_frame_header h;
    isorun_error *err = tp_frame_check(frame, len, t->opts.max_frame_bytes, &h);
    if (err) {
        isorun_error_free(err);
        return;
    }
    rpc_transport_on_frame(t, &h, (uint8_t *)frame, len, false, false);
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
        int rc = ops->recv_timed && !server ? 0 : rpc_transport_start_reader(t);
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
    err = wrap(ops, impl, &o, NULL, false, out);
    if (err) return err;
    (*out)->dial_url = isr_strndup(url, strlen(url));
    if (!(*out)->dial_url) {
        isorun_transport_free(*out);
        *out = NULL;
        return isr_error_nomem();
    }
    return NULL;
}

isorun_error *rpc_transport_redial(isorun_transport *t, isorun_transport **out) {
    *out = NULL;
    if (!t->dial_url) return isr_error(ISORUN_ERR_ARGUMENT, "%s was not dialed, so it cannot be dialed again", t->label);
    isorun_error *err = isorun_transport_dial(t->dial_url, &t->opts, out);
    if (err) return err;
    pthread_mutex_lock(&t->mu);
    rpc_server *server = t->server ? rpc_server_ref(t->server) : NULL;
    pthread_mutex_unlock(&t->mu);
    if (server) {
        err = isorun_server_attach(server, *out);
        rpc_server_release(server);
        if (err) {
            isorun_transport_free(*out);
            *out = NULL;
        }
    }
    return err;
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
    int rc = server && !t->direct && t->nreaders == 0 && !t->reading_over ? rpc_transport_start_reader(t) : 0;
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
        isorun_error *err = rpc_unavailable(t, t->close_reason);
        pthread_mutex_unlock(&t->mu);
        return err;
    }
    return t->ops->send(t->impl, frame, len, target, deadline_ns);
}
