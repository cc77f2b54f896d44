/*
 * local.c — the in-process channel pair: two ends, each sending frames to the
 * other. Thread-safe.
 *
 * A frame can reach the other end in two ways. If that end has a receiver
 * (tp_local_set_receiver), send hands the frame to it on the sending thread,
 * synchronously: a call through a pair then runs start to finish on the
 * caller's thread with no hand-off between threads, which is what makes a
 * local round trip cost microseconds. Otherwise the frame is copied into the
 * end's queue for recv, like any transport.
 *
 * Closing an end waits until deliveries into it from other threads have
 * returned, so its receiver's context can be freed right after. A delivery
 * may close (and free) the very end it delivers into — a call run by the
 * receiver can drop the last reference to it — so deliveries running on the
 * closing thread itself are not waited for; the end's bookkeeping lives in
 * the channel, which the sending end keeps alive.
 */
#include "transport.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct queued {
    struct queued *next;
    size_t len;
    uint8_t bytes[];
} queued;

typedef struct channel channel;

/* A delivery in progress into an end, on the stack of the sending thread. */
typedef struct delivery {
    struct delivery *next;
    pthread_t thread;
} delivery;

/* One end: what its recv reads and where its receiver is. */
typedef struct local_end {
    channel *ch;
    int side; /* 0 or 1 */
    queued *head, *tail;
    tp_local_receiver receiver;
    void *receiver_ctx;
    delivery *deliveries;
    bool closed; /* this end was closed: its recv and send fail */
    char label[32];
} local_end;

struct channel {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a frame was queued or an end closed */
    atomic_uint ends;  /* ends not yet freed */
    local_end end[2];
};

static void channel_free(channel *ch) {
    for (int i = 0; i < 2; i++) {
        for (queued *q = ch->end[i].head, *next; q; q = next) {
            next = q->next;
            free(q);
        }
    }
    pthread_cond_destroy(&ch->cv);
    pthread_mutex_destroy(&ch->mu);
    free(ch);
}

isorun_error *tp_local_pair(void **a, void **b) {
    channel *ch = calloc(1, sizeof *ch);
    if (!ch) return isr_error_nomem();
    if (pthread_mutex_init(&ch->mu, NULL) != 0) {
        free(ch);
        return isr_error_nomem();
    }
    if (pthread_cond_init(&ch->cv, NULL) != 0) {
        pthread_mutex_destroy(&ch->mu);
        free(ch);
        return isr_error_nomem();
    }
    atomic_init(&ch->ends, 2);
    for (int i = 0; i < 2; i++) {
        ch->end[i].ch = ch;
        ch->end[i].side = i;
        snprintf(ch->end[i].label, sizeof ch->end[i].label, "local channel end %c", 'A' + i);
    }
    *a = &ch->end[0];
    *b = &ch->end[1];
    return NULL;
}

void tp_local_set_receiver(void *impl, tp_local_receiver fn, void *ctx) {
    local_end *e = impl;
    pthread_mutex_lock(&e->ch->mu);
    e->receiver = fn;
    e->receiver_ctx = ctx;
    pthread_mutex_unlock(&e->ch->mu);
}

static isorun_error *closed_error(const local_end *e, bool peer) {
    return isr_error(ISORUN_ERR_IO, "%s: %s", e->label,
                     peer ? "the other end was closed" : "this end was closed");
}

static isorun_error *local_send(void *impl, const uint8_t *frame, size_t len, const char *target,
                                uint64_t deadline_ns) {
    (void)target;
    (void)deadline_ns; /* never blocks: the queue is unbounded, delivery synchronous */
    local_end *e = impl;
    channel *ch = e->ch;
    local_end *peer = &ch->end[1 - e->side];
    pthread_mutex_lock(&ch->mu);
    if (e->closed || peer->closed) {
        bool by_peer = !e->closed;
        pthread_mutex_unlock(&ch->mu);
        return closed_error(e, by_peer);
    }
    tp_local_receiver receiver = peer->receiver;
    void *ctx = peer->receiver_ctx;
    if (receiver) {
        /* Delivered outside the lock: the receiver may run a whole call,
         * which may send on this channel again. */
        delivery d = {peer->deliveries, pthread_self()};
        peer->deliveries = &d;
        pthread_mutex_unlock(&ch->mu);
        receiver(ctx, frame, len);
        pthread_mutex_lock(&ch->mu);
        for (delivery **p = &peer->deliveries; *p; p = &(*p)->next) {
            if (*p == &d) {
                *p = d.next;
                break;
            }
        }
        pthread_cond_broadcast(&ch->cv);
        pthread_mutex_unlock(&ch->mu);
        return NULL;
    }
    queued *q = malloc(sizeof *q + len);
    if (!q) {
        pthread_mutex_unlock(&ch->mu);
        return isr_error_nomem();
    }
    q->next = NULL;
    q->len = len;
    memcpy(q->bytes, frame, len);
    if (peer->tail)
        peer->tail->next = q;
    else
        peer->head = q;
    peer->tail = q;
    pthread_cond_broadcast(&ch->cv);
    pthread_mutex_unlock(&ch->mu);
    return NULL;
}

static isorun_error *local_recv(void *impl, uint32_t max_body, uint8_t **frame, size_t *len) {
    local_end *e = impl;
    channel *ch = e->ch;
    pthread_mutex_lock(&ch->mu);
    /* Frames already queued are still delivered after the peer closed. */
    while (!e->head && !e->closed && !ch->end[1 - e->side].closed) pthread_cond_wait(&ch->cv, &ch->mu);
    if (e->closed || !e->head) {
        bool by_peer = !e->closed;
        pthread_mutex_unlock(&ch->mu);
        return closed_error(e, by_peer);
    }
    queued *q = e->head;
    e->head = q->next;
    if (!e->head) e->tail = NULL;
    pthread_mutex_unlock(&ch->mu);

    tp_frame_header h;
    isorun_error *err = tp_frame_check(q->bytes, q->len, max_body, &h);
    if (err) {
        free(q);
        return err;
    }
    uint8_t *copy = malloc(q->len ? q->len : 1);
    if (!copy) {
        free(q);
        return isr_error_nomem();
    }
    memcpy(copy, q->bytes, q->len);
    *frame = copy;
    *len = q->len;
    free(q);
    return NULL;
}

static bool delivering_elsewhere(const local_end *e) {
    for (const delivery *d = e->deliveries; d; d = d->next)
        if (!pthread_equal(d->thread, pthread_self())) return true;
    return false;
}

static void local_close(void *impl) {
    local_end *e = impl;
    pthread_mutex_lock(&e->ch->mu);
    e->closed = true;
    e->receiver = NULL;
    pthread_cond_broadcast(&e->ch->cv);
    while (delivering_elsewhere(e)) pthread_cond_wait(&e->ch->cv, &e->ch->mu);
    pthread_mutex_unlock(&e->ch->mu);
}

static void local_free(void *impl) {
    local_end *e = impl;
    local_close(impl);
    if (atomic_fetch_sub(&e->ch->ends, 1) == 1) channel_free(e->ch);
}

static const char *local_describe(void *impl) { return ((local_end *)impl)->label; }

const isorun_transport_ops tp_local_ops = {
    .name = "local",
    .send = local_send,
    .recv = local_recv,
    .close = local_close,
    .free = local_free,
    .describe = local_describe,
};
