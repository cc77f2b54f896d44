/*
 * stream.c — frames over a connected stream socket (TCP or Unix): the
 * transport ops for one connection.
 *
 * Sends are serialized by a mutex so frames never interleave, and bounded by
 * the caller's deadline: the socket is written with MSG_DONTWAIT and polled,
 * so a peer that stops reading cannot hold a sender for ever. A frame cut off
 * half-way leaves the stream unusable, so that closes the connection.
 *
 * Receives are buffered (one read usually brings several small frames) and
 * check each header before allocating for its body. recv_timed lets a
 * caller read its own response with a deadline: a frame not complete by
 * then stays in the buffer for whoever reads next. close() shuts the socket
 * down, which wakes a blocked read; the descriptor itself is only closed in
 * free, so it cannot be reused by another connection while a thread still
 * uses this one.
 */
#include "transport.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_BUFFER (64 * 1024)

typedef struct stream {
    int fd;
    atomic_bool closed;
    pthread_mutex_t send_mu;
    /* Receive buffer: bytes [pos, len) are read but not yet consumed. */
    uint8_t *buf;
    size_t pos, len, cap;
    char label[200];
} stream;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

isorun_error *tp_stream_new(int fd, const char *label, void **out) {
    stream *s = calloc(1, sizeof *s);
    uint8_t *buf = malloc(READ_BUFFER);
    if (!s || !buf || pthread_mutex_init(&s->send_mu, NULL) != 0) {
        free(s);
        free(buf);
        close(fd);
        return isr_error_nomem();
    }
    s->fd = fd;
    s->buf = buf;
    s->cap = READ_BUFFER;
    atomic_init(&s->closed, false);
    snprintf(s->label, sizeof s->label, "%s", label);
    *out = s;
    return NULL;
}

static void stream_close(void *impl) {
    stream *s = impl;
    if (!atomic_exchange(&s->closed, true)) shutdown(s->fd, SHUT_RDWR);
}

static isorun_error *stream_send(void *impl, const uint8_t *frame, size_t len, const char *target,
                                 uint64_t deadline_ns) {
    (void)target;
    stream *s = impl;
    pthread_mutex_lock(&s->send_mu);
    size_t sent = 0;
    isorun_error *err = NULL;
    while (sent < len) {
        if (atomic_load(&s->closed)) {
            err = isr_error(ISORUN_ERR_IO, "%s: the connection is closed", s->label);
            break;
        }
        ssize_t n = send(s->fd, frame + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* The peer is not reading fast enough: wait for room, but not
             * past the deadline. */
            int timeout_ms = -1;
            if (deadline_ns) {
                uint64_t now = now_ns();
                if (now >= deadline_ns) {
                    err = isr_trap(ISORUN_TRAP_DEADLINE, "%s: the peer did not take the frame before the deadline "
                                                         "(it stopped reading)", s->label);
                    break;
                }
                uint64_t left_ms = (deadline_ns - now + 999999) / 1000000;
                timeout_ms = left_ms > 60000 ? 60000 : (int)left_ms;
            }
            struct pollfd p = {s->fd, POLLOUT, 0};
            poll(&p, 1, timeout_ms);
            continue;
        }
        err = isr_error(ISORUN_ERR_IO, "%s: sending failed: %s", s->label, n < 0 ? strerror(errno) : "no progress");
        break;
    }
    pthread_mutex_unlock(&s->send_mu);
    /* Part of a frame went out: the stream cannot be resynchronized. */
    if (err && sent > 0) stream_close(s);
    return err;
}

/* Reads until at least `want` unconsumed bytes are buffered, growing the
 * buffer when a frame is larger than it. With a deadline (CLOCK_MONOTONIC
 * ns, 0 = none), gives up when it passes and sets *timed_out; what was
 * read stays buffered for the next call. */
static isorun_error *fill(stream *s, size_t want, uint64_t deadline_ns, bool *timed_out) {
    if (s->len - s->pos >= want) return NULL;
    if (s->pos) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    if (want > s->cap) {
        uint8_t *bigger = realloc(s->buf, want);
        if (!bigger) return isr_error_nomem();
        s->buf = bigger;
        s->cap = want;
    }
    while (s->len < want) {
        if (deadline_ns) {
            uint64_t now = now_ns();
            if (now >= deadline_ns) {
                *timed_out = true;
                return NULL;
            }
            uint64_t left_ms = (deadline_ns - now + 999999) / 1000000;
            struct pollfd p = {s->fd, POLLIN, 0};
            int ready = poll(&p, 1, left_ms > 60000 ? 60000 : (int)left_ms);
            if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
        }
        ssize_t n = recv(s->fd, s->buf + s->len, s->cap - s->len, 0);
        if (n > 0) {
            s->len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (atomic_load(&s->closed)) return isr_error(ISORUN_ERR_IO, "%s: the connection was closed", s->label);
        if (n == 0)
            return isr_error(ISORUN_ERR_IO, "%s: the peer closed the connection%s", s->label,
                             s->len ? " in the middle of a frame" : "");
        return isr_error(ISORUN_ERR_IO, "%s: receiving failed: %s", s->label, strerror(errno));
    }
    return NULL;
}

static isorun_error *stream_recv_timed(void *impl, uint32_t max_body, uint64_t deadline_ns, uint8_t **frame,
                                       size_t *len) {
    stream *s = impl;
    *frame = NULL;
    *len = 0;
    if (atomic_load(&s->closed)) return isr_error(ISORUN_ERR_IO, "%s: the connection is closed", s->label);
    bool timed_out = false;
    isorun_error *err = fill(s, TP_FRAME_HEADER_SIZE, deadline_ns, &timed_out);
    if (err || timed_out) return err;
    tp_frame_header h;
    /* A bad header means the byte stream cannot be trusted past this point:
     * the caller closes the connection. */
    err = tp_frame_header_read(s->buf + s->pos, TP_FRAME_HEADER_SIZE, max_body, &h);
    if (err) return isr_error_wrap(err, "%s", s->label);
    size_t total = TP_FRAME_HEADER_SIZE + (size_t)h.body_len;
    err = fill(s, total, deadline_ns, &timed_out);
    if (err || timed_out) return err;
    uint8_t *out = malloc(total);
    if (!out) return isr_error_nomem();
    memcpy(out, s->buf + s->pos, total);
    s->pos += total;
    /* Do not keep a buffer grown for one large frame. */
    if (s->cap > READ_BUFFER && s->pos == s->len) {
        uint8_t *smaller = realloc(s->buf, READ_BUFFER);
        if (smaller) s->buf = smaller, s->cap = READ_BUFFER;
        s->pos = s->len = 0;
    }
    *frame = out;
    *len = total;
    return NULL;
}

static isorun_error *stream_recv(void *impl, uint32_t max_body, uint8_t **frame, size_t *len) {
    return stream_recv_timed(impl, max_body, 0, frame, len);
}

static void stream_free(void *impl) {
    stream *s = impl;
    stream_close(s);
    close(s->fd);
    pthread_mutex_destroy(&s->send_mu);
    free(s->buf);
    free(s);
}

static const char *stream_describe(void *impl) { return ((stream *)impl)->label; }

const isorun_transport_ops tp_stream_ops = {
    .name = "stream",
    .send = stream_send,
    .recv = stream_recv,
    .close = stream_close,
    .free = stream_free,
    .describe = stream_describe,
    .recv_timed = stream_recv_timed,
};
