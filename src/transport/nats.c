/*
 * nats.c — frames over NATS request/reply (Debian's libnats), built when
 * ISORUN_NATS is on (-DISORUN_HAVE_NATS). libnats is not linked: the first
 * nats:// dial or listen loads it (natslib.h), and every call goes through
 * the table of functions that load produced, kept in each connection.
 *
 * NATS routes messages by subject, not by connection, so the two sides are
 * not symmetric:
 *
 *  - a dialed transport (the caller's side) publishes each request and cancel
 *    frame to the subject of its target instance, "isorun.rpc.<id>", with
 *    "<its inbox>.<request id>" as the reply subject; responses arrive on
 *    the inbox. When no one subscribes to the target's subject, the NATS
 *    server says so ("no responders") on that reply subject, and the
 *    transport answers the request itself with status unknown-instance
 *    (protocol.md), instead of letting the caller wait for its deadline.
 *  - a listener (the serving side) subscribes to the subject of every
 *    instance id the server advertises, and accept() yields one connection
 *    that carries the requests of all callers. Request ids are only unique
 *    per caller, so each incoming request gets a local id (rewritten in the
 *    frame header), remembered with the caller's reply subject and original
 *    id until its response goes back.
 *
 * Ids are escaped into one subject token: bytes other than [A-Za-z0-9_-]
 * become %XX, so "a.b" cannot reach the subject of "a" and "b".
 *
 * Messages larger than the NATS server's max_payload (1 MiB by default)
 * cannot be sent: such a frame fails with ISORUN_ERR_LIMIT.
 */
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUBJECT_PREFIX "isorun.rpc."

isorun_error *tp_nats_subject(const char *id, char **out) {
    size_t n = strlen(id);
    char *s = malloc(sizeof SUBJECT_PREFIX + 3 * n);
    if (!s) return isr_error_nomem();
    char *p = s + sprintf(s, "%s", SUBJECT_PREFIX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                     c == '-';
        if (plain)
            *p++ = (char)c;
        else
            p += sprintf(p, "%%%02X", c);
    }
    *p = 0;
    *out = s;
    return NULL;
}

#ifndef ISORUN_HAVE_NATS

static isorun_error *no_nats(const char *url) {
    return isr_error(ISORUN_ERR_ARGUMENT,
                     "%s: this build of isorun has no NATS support (install libnats-dev and configure with "
                     "-DISORUN_NATS=ON)",
                     url);
}

isorun_error *tp_nats_dial(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl) {
    (void)u, (void)timeout_ns, (void)impl;
    return no_nats(url);
}

isorun_error *tp_nats_listen(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl) {
    (void)u, (void)timeout_ns, (void)impl;
    return no_nats(url);
}

const isorun_transport_ops tp_nats_ops = {.name = "nats"};
const isorun_listener_ops tp_nats_listener_ops = {.name = "nats"};

#else

#include "natslib.h"

#include <pthread.h>
#include <time.h>

/* Messages waiting for recv, oldest first. */
typedef struct inmsg {
    struct inmsg *next;
    size_t len;
    uint8_t bytes[];
} inmsg;

/* A request from a caller, until its response is sent. */
typedef struct route {
    struct route *next;
    uint64_t local_id, caller_id;
    char reply[]; /* the caller's inbox */
} route;

#define ROUTE_BUCKETS 256
/* Bounds the frames waiting for recv: beyond, NATS messages are dropped
 * (their callers time out) rather than held without limit. */
#define MAX_WAITING 65536

typedef struct nats_conn {
    const tp_natslib *nats; /* libnats, loaded on first use */
    natsConnection *nc;
    bool serving; /* a listener's connection (routes requests) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool closed;
    inmsg *head, *tail;
    size_t waiting;
    uint32_t max_body;
    /* caller side */
    char *inbox;
    natsSubscription *inbox_sub;
    /* Async subscriptions whose handler may still run (natsOnCompleteCB). */
    size_t live_subs;
    /* serving side: one subscription per advertised id, and the routes */
    struct sub_entry {
        char *id;
        natsSubscription *sub;
    } *subs;
    size_t nsubs, cap_subs;
    route *routes[ROUTE_BUCKETS];
    uint64_t next_local_id;
    bool accepted; /* accept() has handed out this connection */
    char label[300];
} nats_conn;

static isorun_error *nats_fail(const nats_conn *c, const char *what, const char *url, natsStatus s) {
    const char *detail = c->nats->nats_GetLastError(NULL);
    return isr_error(ISORUN_ERR_IO, "%s %s: %s%s%s", what, url, c->nats->natsStatus_GetText(s), detail ? ": " : "",
                     detail ? detail : "");
}

static void enqueue(nats_conn *c, const uint8_t *data, size_t len) {
    inmsg *m = malloc(sizeof *m + len);
    if (!m) return; /* the caller will time out */
    m->next = NULL;
    m->len = len;
    memcpy(m->bytes, data, len);
    if (c->tail)
        c->tail->next = m;
    else
        c->head = m;
    c->tail = m;
    c->waiting++;
    pthread_cond_broadcast(&c->cv);
}

static route **route_slot(nats_conn *c, uint64_t local_id) { return &c->routes[local_id % ROUTE_BUCKETS]; }

static void on_sub_complete(void *closure) {
    nats_conn *c = closure;
    pthread_mutex_lock(&c->mu);
    c->live_subs--;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

/* Subscribes with handler cb, counting the subscription as live until its
 * handler can no longer run. Called with c->mu not held. */
static natsStatus subscribe(nats_conn *c, const char *subject, natsMsgHandler cb, natsSubscription **out) {
    natsSubscription *sub = NULL;
    natsStatus s = c->nats->natsConnection_Subscribe(&sub, c->nc, subject, cb, c);
    if (s != NATS_OK) return s;
    s = c->nats->natsSubscription_SetOnCompleteCB(sub, on_sub_complete, c);
    if (s != NATS_OK) {
        c->nats->natsSubscription_Unsubscribe(sub);
        c->nats->natsSubscription_Destroy(sub);
        return s;
    }
    pthread_mutex_lock(&c->mu);
    c->live_subs++;
    pthread_mutex_unlock(&c->mu);
    *out = sub;
    return NATS_OK;
}

/* The answer to request `id` when no one serves its target: a response frame
 * with status 1 (unknown-instance), trap 0 and a message (protocol.md,
 * "Responses"). Written here because only NATS can tell. */
static void answer_no_responders(nats_conn *c, uint64_t id) {
    static const char msg[] =
        "no server subscribes to this instance's NATS subject: nothing serves that id on this NATS server";
    uint8_t frame[TP_FRAME_HEADER_SIZE + 3 + sizeof msg];
    size_t body = 3 + (sizeof msg - 1);
    tp_frame_header_write(frame, TP_FRAME_RESPONSE, (uint32_t)body, id);
    frame[16] = 1; /* unknown-instance */
    frame[17] = 0; /* no trap */
    frame[18] = (uint8_t)(sizeof msg - 1); /* < 128: one LEB128 byte */
    memcpy(frame + 19, msg, sizeof msg - 1);
    enqueue(c, frame, TP_FRAME_HEADER_SIZE + body);
}

/* The caller side: responses on "<inbox>.<request id>". */
static void on_inbox(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure) {
    (void)nc, (void)sub;
    nats_conn *c = closure;
    const uint8_t *data = (const uint8_t *)c->nats->natsMsg_GetData(msg);
    int len = c->nats->natsMsg_GetDataLength(msg);
    pthread_mutex_lock(&c->mu);
    if (!c->closed && c->waiting < MAX_WAITING) {
        if (c->nats->natsMsg_IsNoResponders(msg)) {
            const char *subject = c->nats->natsMsg_GetSubject(msg);
            const char *dot = subject ? strrchr(subject, '.') : NULL;
            if (dot) answer_no_responders(c, strtoull(dot + 1, NULL, 10));
        } else if (len >= TP_FRAME_HEADER_SIZE) {
            enqueue(c, data, (size_t)len);
        }
    }
    pthread_mutex_unlock(&c->mu);
    c->nats->natsMsg_Destroy(msg);
}

/* The serving side: requests (and cancels, pings) on an instance's subject. */
static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure) {
    (void)nc, (void)sub;
    nats_conn *c = closure;
    const uint8_t *data = (const uint8_t *)c->nats->natsMsg_GetData(msg);
    int len = c->nats->natsMsg_GetDataLength(msg);
    const char *reply = c->nats->natsMsg_GetReply(msg);
    tp_frame_header h;
    isorun_error *err = NULL;
    if (!reply || len < TP_FRAME_HEADER_SIZE ||
        (err = tp_frame_header_read(data, (size_t)len, c->max_body, &h)) != NULL) {
        /* Not a frame, or nowhere to answer: nothing sensible to reply. */
        isorun_error_free(err);
        c->nats->natsMsg_Destroy(msg);
        return;
    }
    pthread_mutex_lock(&c->mu);
    if (c->closed || c->waiting >= MAX_WAITING) goto done;
    if (h.type == TP_FRAME_CANCEL) {
        /* Find the request it cancels, by caller inbox and caller id. */
        for (size_t b = 0; b < ROUTE_BUCKETS; b++)
            for (route *r = c->routes[b]; r; r = r->next)
                if (r->caller_id == h.id && strcmp(r->reply, reply) == 0) {
                    uint8_t *copy = malloc((size_t)len);
                    if (copy) {
                        memcpy(copy, data, (size_t)len);
                        tp_frame_set_id(copy, r->local_id);
                        enqueue(c, copy, (size_t)len);
                        free(copy);
                    }
                    goto done;
                }
        goto done;
    }
    if (h.type != TP_FRAME_REQUEST && h.type != TP_FRAME_PING) goto done;
    size_t rlen = strlen(reply);
    route *r = malloc(sizeof *r + rlen + 1);
    uint8_t *copy = malloc((size_t)len);
    if (!r || !copy) {
        free(r);
        free(copy);
        goto done;
    }
    r->local_id = ++c->next_local_id;
    r->caller_id = h.id;
    memcpy(r->reply, reply, rlen + 1);
    route **slot = route_slot(c, r->local_id);
    r->next = *slot;
    *slot = r;
    memcpy(copy, data, (size_t)len);
    tp_frame_set_id(copy, r->local_id);
    enqueue(c, copy, (size_t)len);
    free(copy);
done:
    pthread_mutex_unlock(&c->mu);
    c->nats->natsMsg_Destroy(msg);
}

static isorun_error *conn_connect(const char *url, const tp_url *u, uint64_t timeout_ns, bool serving,
                                  nats_conn **out) {
    const tp_natslib *nats;
    isorun_error *err = tp_natslib_get(&nats);
    if (err) return err;
    nats_conn *c = calloc(1, sizeof *c);
    if (!c) return isr_error_nomem();
    c->nats = nats;
    pthread_mutex_init(&c->mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cv, &attr);
    pthread_condattr_destroy(&attr);
    c->serving = serving;
    c->max_body = TP_DEFAULT_MAX_FRAME;
    snprintf(c->label, sizeof c->label, "nats %s:%s%s", u->host, u->port, serving ? " (serving)" : "");
    natsOptions *opts = NULL;
    char server[300];
    snprintf(server, sizeof server, "nats://%s:%s", u->host, u->port);
    natsStatus s = c->nats->natsOptions_Create(&opts);
    if (s == NATS_OK) s = c->nats->natsOptions_SetURL(opts, server);
    if (s == NATS_OK) s = c->nats->natsOptions_SetName(opts, serving ? "isorun server" : "isorun caller");
    if (s == NATS_OK) s = c->nats->natsOptions_SetTimeout(opts, (int64_t)(timeout_ns ? timeout_ns / 1000000 : 5000));
    /* A request or response is one message someone waits for: send it now
     * rather than when libnats' flusher next runs (milliseconds later). */
    if (s == NATS_OK) s = c->nats->natsOptions_SetSendAsap(opts, true);
    if (s == NATS_OK) s = c->nats->natsConnection_Connect(&c->nc, opts);
    c->nats->natsOptions_Destroy(opts);
    if (s != NATS_OK) {
        err = nats_fail(c, "cannot connect to NATS at", url, s);
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        free(c);
        return err;
    }
    *out = c;
    return NULL;
}

static void conn_destroy(nats_conn *c) {
    pthread_mutex_lock(&c->mu);
    c->closed = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    /* Closing the connection closes its subscriptions; c can go once no
     * handler can run any more (each subscription's completion callback
     * says so). The wait is bounded in case libnats never calls back. */
    if (c->nc) c->nats->natsConnection_Close(c->nc);
    pthread_mutex_lock(&c->mu);
    for (int i = 0; i < 100 && c->live_subs > 0; i++) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 50 * 1000000;
        if (until.tv_nsec >= 1000000000) until.tv_sec++, until.tv_nsec -= 1000000000;
        pthread_cond_timedwait(&c->cv, &c->mu, &until);
    }
    pthread_mutex_unlock(&c->mu);
    if (c->inbox_sub) c->nats->natsSubscription_Destroy(c->inbox_sub);
    for (size_t i = 0; i < c->nsubs; i++) {
        c->nats->natsSubscription_Destroy(c->subs[i].sub);
        free(c->subs[i].id);
    }
    free(c->subs);
    if (c->nc) c->nats->natsConnection_Destroy(c->nc);
    c->nats->natsInbox_Destroy(c->inbox);
    for (inmsg *m = c->head, *n; m; m = n) {
        n = m->next;
        free(m);
    }
    for (size_t b = 0; b < ROUTE_BUCKETS; b++)
        for (route *r = c->routes[b], *n; r; r = n) {
            n = r->next;
            free(r);
        }
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

isorun_error *tp_nats_dial(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl) {
    nats_conn *c;
    isorun_error *err = conn_connect(url, u, timeout_ns, false, &c);
    if (err) return err;
    natsStatus s = c->nats->natsInbox_Create(&c->inbox);
    char wildcard[256];
    if (s == NATS_OK) {
        snprintf(wildcard, sizeof wildcard, "%s.*", c->inbox);
        s = subscribe(c, wildcard, on_inbox, &c->inbox_sub);
    }
    /* The subscription must be known to the server before a response can
     * come back to it. */
    if (s == NATS_OK) s = c->nats->natsConnection_Flush(c->nc);
    if (s != NATS_OK) {
        err = nats_fail(c, "cannot subscribe to a reply inbox at", url, s);
        conn_destroy(c);
        return err;
    }
    *impl = c;
    return NULL;
}

static isorun_error *nats_send(void *impl, const uint8_t *frame, size_t len, const char *target,
                               uint64_t deadline_ns) {
    (void)deadline_ns; /* publishing only buffers; libnats flushes in the background */
    nats_conn *c = impl;
    if (len < TP_FRAME_HEADER_SIZE) return isr_error(ISORUN_ERR_ARGUMENT, "%s: not a frame", c->label);
    int64_t max = c->nats->natsConnection_GetMaxPayload(c->nc);
    if ((int64_t)len > max)
        return isr_error(ISORUN_ERR_LIMIT, "%s: a %zu-byte frame exceeds the NATS server's max_payload of %lld bytes",
                         c->label, len, (long long)max);
    uint8_t type = frame[3];
    natsStatus s;
    if (!c->serving) {
        if ((type != TP_FRAME_REQUEST && type != TP_FRAME_CANCEL) || !target)
            return isr_error(ISORUN_ERR_ARGUMENT,
                             "%s: a NATS caller only sends requests (serve over NATS with a nats:// listener)",
                             c->label);
        char *subject;
        isorun_error *err = tp_nats_subject(target, &subject);
        if (err) return err;
        uint64_t id = 0;
        for (int i = 0; i < 8; i++) id |= (uint64_t)frame[8 + i] << (8 * i);
        char reply[256];
        snprintf(reply, sizeof reply, "%s.%llu", c->inbox, (unsigned long long)id);
        s = c->nats->natsConnection_PublishRequest(c->nc, subject, reply, frame, (int)len);
        free(subject);
    } else {
        if (type != TP_FRAME_RESPONSE && type != TP_FRAME_PONG)
            return isr_error(ISORUN_ERR_ARGUMENT, "%s: the serving side of NATS only sends responses", c->label);
        uint64_t local_id = 0;
        for (int i = 0; i < 8; i++) local_id |= (uint64_t)frame[8 + i] << (8 * i);
        pthread_mutex_lock(&c->mu);
        route *r = NULL;
        for (route **p = route_slot(c, local_id); *p; p = &(*p)->next)
            if ((*p)->local_id == local_id) {
                r = *p;
                *p = r->next;
                break;
            }
        pthread_mutex_unlock(&c->mu);
        if (!r) return isr_error(ISORUN_ERR_ARGUMENT, "%s: no request %llu to answer", c->label,
                                 (unsigned long long)local_id);
        uint8_t *copy = malloc(len);
        if (!copy) {
            free(r);
            return isr_error_nomem();
        }
        memcpy(copy, frame, len);
        tp_frame_set_id(copy, r->caller_id);
        s = c->nats->natsConnection_Publish(c->nc, r->reply, copy, (int)len);
        free(copy);
        free(r);
    }
    if (s != NATS_OK)
        return isr_error(ISORUN_ERR_IO, "%s: publishing failed: %s", c->label, c->nats->natsStatus_GetText(s));
    return NULL;
}

/* Waits for the next frame until deadline_ns (0 = none); none by then:
 * no error and *frame NULL. Messages that are not frames are skipped: one
 * bad message does not end a message-based connection. */
static isorun_error *nats_recv_timed(void *impl, uint32_t max_body, uint64_t deadline_ns, uint8_t **frame,
                                     size_t *len) {
    nats_conn *c = impl;
    *frame = NULL;
    *len = 0;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        while (!c->head && !c->closed) {
            /* libnats gives up on a server only after its reconnect
             * attempts; check now and then whether it has. */
            struct timespec now_ts, until;
            clock_gettime(CLOCK_MONOTONIC, &now_ts);
            uint64_t now = (uint64_t)now_ts.tv_sec * 1000000000u + (uint64_t)now_ts.tv_nsec;
            if (deadline_ns && now >= deadline_ns) {
                pthread_mutex_unlock(&c->mu);
                return NULL;
            }
            uint64_t wake = now + 1000000000u;
            if (deadline_ns && deadline_ns < wake) wake = deadline_ns;
            until.tv_sec = (time_t)(wake / 1000000000u);
            until.tv_nsec = (long)(wake % 1000000000u);
            pthread_cond_timedwait(&c->cv, &c->mu, &until);
            if (!c->head && c->nats->natsConnection_IsClosed(c->nc)) c->closed = true;
        }
        if (!c->head) {
            pthread_mutex_unlock(&c->mu);
            return isr_error(ISORUN_ERR_IO, "%s: the connection is closed", c->label);
        }
        inmsg *m = c->head;
        c->head = m->next;
        if (!c->head) c->tail = NULL;
        c->waiting--;
        pthread_mutex_unlock(&c->mu);
        tp_frame_header h;
        isorun_error *err = tp_frame_check(m->bytes, m->len, max_body, &h);
        if (err) {
            isorun_error_free(err);
            free(m);
            continue;
        }
        uint8_t *out = malloc(m->len);
        if (!out) {
            free(m);
            return isr_error_nomem();
        }
        memcpy(out, m->bytes, m->len);
        *frame = out;
        *len = m->len;
        free(m);
        return NULL;
    }
}

static isorun_error *nats_recv(void *impl, uint32_t max_body, uint8_t **frame, size_t *len) {
    return nats_recv_timed(impl, max_body, 0, frame, len);
}

static void nats_close(void *impl) {
    nats_conn *c = impl;
    pthread_mutex_lock(&c->mu);
    c->closed = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

/* The serving connection belongs to the listener and is freed with it. */
static void nats_free(void *impl) {
    nats_conn *c = impl;
    if (c->serving)
        nats_close(c);
    else
        conn_destroy(c);
}

static const char *nats_describe(void *impl) { return ((nats_conn *)impl)->label; }

const isorun_transport_ops tp_nats_ops = {
    .name = "nats",
    .send = nats_send,
    .recv = nats_recv,
    .close = nats_close,
    .free = nats_free,
    .describe = nats_describe,
    .recv_timed = nats_recv_timed,
};

/* ---- listener ------------------------------------------------------------- */

typedef struct nats_listener {
    nats_conn *conn;
    char url[300];
} nats_listener;

isorun_error *tp_nats_listen(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl) {
    nats_listener *l = calloc(1, sizeof *l);
    if (!l) return isr_error_nomem();
    isorun_error *err = conn_connect(url, u, timeout_ns, true, &l->conn);
    if (err) {
        free(l);
        return err;
    }
    snprintf(l->url, sizeof l->url, "nats://%s:%s", u->host, u->port);
    *impl = l;
    return NULL;
}

static isorun_error *nl_accept(void *impl, const isorun_transport_ops **ops, void **conn_impl) {
    nats_listener *l = impl;
    nats_conn *c = l->conn;
    pthread_mutex_lock(&c->mu);
    /* One connection carries every caller's requests: hand it out once,
     * then wait until the listener closes. */
    while (c->accepted && !c->closed) pthread_cond_wait(&c->cv, &c->mu);
    bool first = !c->accepted && !c->closed;
    c->accepted = true;
    pthread_mutex_unlock(&c->mu);
    if (!first) return isr_error(ISORUN_ERR_IO, "%s: the listener is closed", l->url);
    *ops = &tp_nats_ops;
    *conn_impl = c;
    return NULL;
}

static isorun_error *nl_advertise(void *impl, const char *id) {
    nats_listener *l = impl;
    nats_conn *c = l->conn;
    char *subject;
    isorun_error *err = tp_nats_subject(id, &subject);
    if (err) return err;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->nsubs; i++)
        if (strcmp(c->subs[i].id, id) == 0) {
            pthread_mutex_unlock(&c->mu);
            free(subject);
            return NULL;
        }
    char *copy = isr_strndup(id, strlen(id));
    if (!copy || !isr_grow_array((void **)&c->subs, &c->cap_subs, c->nsubs + 1, sizeof *c->subs)) {
        pthread_mutex_unlock(&c->mu);
        free(copy);
        free(subject);
        return isr_error_nomem();
    }
    pthread_mutex_unlock(&c->mu);
    natsSubscription *sub = NULL;
    natsStatus s = subscribe(c, subject, on_request, &sub);
    if (s == NATS_OK) {
        pthread_mutex_lock(&c->mu);
        c->subs[c->nsubs].id = copy;
        c->subs[c->nsubs].sub = sub;
        c->nsubs++;
        pthread_mutex_unlock(&c->mu);
    }
    /* Registered at the server before anyone is told the id is served. */
    if (s == NATS_OK) s = c->nats->natsConnection_Flush(c->nc);
    if (s != NATS_OK) {
        if (!sub) free(copy);
        err = isr_error(ISORUN_ERR_IO, "%s: cannot subscribe to %s: %s", l->url, subject,
                        c->nats->natsStatus_GetText(s));
    }
    free(subject);
    return err;
}

static void nl_withdraw(void *impl, const char *id) {
    nats_listener *l = impl;
    nats_conn *c = l->conn;
    struct sub_entry gone = {NULL, NULL};
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->nsubs; i++)
        if (strcmp(c->subs[i].id, id) == 0) {
            gone = c->subs[i];
            c->subs[i] = c->subs[--c->nsubs];
            break;
        }
    pthread_mutex_unlock(&c->mu);
    /* Outside the lock: its handler may be waiting for it. */
    if (gone.sub) {
        c->nats->natsSubscription_Unsubscribe(gone.sub);
        c->nats->natsSubscription_Destroy(gone.sub);
    }
    free(gone.id);
}

static void nl_close(void *impl) { nats_close(((nats_listener *)impl)->conn); }

static void nl_free(void *impl) {
    nats_listener *l = impl;
    conn_destroy(l->conn);
    free(l);
}

static const char *nl_describe(void *impl) { return ((nats_listener *)impl)->url; }

const isorun_listener_ops tp_nats_listener_ops = {
    .name = "nats",
    .accept = nl_accept,
    .advertise = nl_advertise,
    .withdraw = nl_withdraw,
    .close = nl_close,
    .free = nl_free,
    .describe = nl_describe,
};

#endif /* ISORUN_HAVE_NATS */
