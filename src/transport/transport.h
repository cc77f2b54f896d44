/*
 * transport.h — the transport layer's face: frames and the built-in frame
 * pipes (docs/protocol.md).
 *
 * A transport moves whole frames between two peers. It knows the 16-byte
 * frame header (a stream needs it to find where a frame ends) but not what a
 * body means: bodies are the rpc layer's business. Every built-in transport
 * is exposed as a pair of the public isorun_transport_ops (or
 * isorun_listener_ops) and an implementation pointer, exactly what an
 * embedder would write for a transport of their own; src/rpc wraps them.
 */
#ifndef ISORUN_TRANSPORT_H
#define ISORUN_TRANSPORT_H

#include "../util/util.h"

#include <stdbool.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Frames (frame.c)
 * ------------------------------------------------------------------------ */

#define TP_FRAME_HEADER_SIZE 16
#define TP_FRAME_MAGIC0 0x49 /* 'I' */
#define TP_FRAME_MAGIC1 0x52 /* 'R' */
#define TP_PROTOCOL_VERSION 1
/* Default bound on a frame's body: large enough for any realistic call,
 * small enough that a hostile length cannot make a peer allocate much. */
#define TP_DEFAULT_MAX_FRAME (16u << 20)

enum {
    TP_FRAME_REQUEST = 1,
    TP_FRAME_RESPONSE = 2,
    TP_FRAME_CANCEL = 3,
    TP_FRAME_PING = 4,
    TP_FRAME_PONG = 5,
};

typedef struct tp_frame_header {
    uint8_t type;      /* TP_FRAME_* */
    uint32_t body_len; /* bytes after the header */
    uint64_t id;       /* request id (requests, responses, cancels) or ping nonce */
} tp_frame_header;

const char *tp_frame_type_name(uint8_t type);

void tp_frame_header_write(uint8_t out[TP_FRAME_HEADER_SIZE], uint8_t type, uint32_t body_len, uint64_t id);
/* Rewrite one field of a whole frame in place. */
void tp_frame_set_id(uint8_t *frame, uint64_t id);
void tp_frame_set_body_len(uint8_t *frame, uint32_t body_len);

/* Checks a header (len >= 16 bytes available at in): magic, version, type,
 * body length <= max_body. ISORUN_ERR_MALFORMED, or ISORUN_ERR_LIMIT when
 * only the length is too large. */
isorun_error *tp_frame_header_read(const uint8_t *in, size_t len, uint32_t max_body, tp_frame_header *out);
/* The same for a whole frame of len bytes: the header must also announce
 * exactly the bytes that follow it. */
isorun_error *tp_frame_check(const uint8_t *frame, size_t len, uint32_t max_body, tp_frame_header *out);

/* ------------------------------------------------------------------------
 * Addresses (url.c)
 * ------------------------------------------------------------------------ */

typedef enum tp_scheme { TP_URL_TCP, TP_URL_UNIX, TP_URL_NATS } tp_scheme;

typedef struct tp_url {
    tp_scheme scheme;
    char host[256]; /* tcp, nats (IPv6 without brackets) */
    char port[8];   /* tcp, nats */
    char path[108]; /* unix: an absolute path that fits sockaddr_un */
} tp_url;

/* ISORUN_ERR_ARGUMENT saying what is wrong and what is expected. */
isorun_error *tp_url_parse(const char *url, tp_url *out);

/* ------------------------------------------------------------------------
 * The in-process channel pair (local.c)
 * ------------------------------------------------------------------------ */

extern const isorun_transport_ops tp_local_ops;

isorun_error *tp_local_pair(void **a, void **b);

/* Frames sent to `end` go to fn on the sending thread, synchronously,
 * instead of its recv queue (the bytes are the sender's: copy what must
 * outlive the call). NULL fn: back to queueing. Closing the end stops
 * deliveries and waits for those running on other threads. */
typedef void (*tp_local_receiver)(void *ctx, const uint8_t *frame, size_t len);
void tp_local_set_receiver(void *end, tp_local_receiver fn, void *ctx);

/* ------------------------------------------------------------------------
 * TCP and Unix sockets (sockets.c, stream.c)
 * ------------------------------------------------------------------------ */

extern const isorun_transport_ops tp_stream_ops;
extern const isorun_listener_ops tp_socket_listener_ops;

/* A stream transport over connected socket fd (taken over, also on error). */
isorun_error *tp_stream_new(int fd, const char *label, void **out);
/* u is the parsed url (TCP or Unix). Connecting waits at most timeout_ns
 * (0 = 30 s). */
isorun_error *tp_socket_dial(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl);
isorun_error *tp_socket_listen(const char *url, const tp_url *u, void **impl);

/* ------------------------------------------------------------------------
 * NATS (nats.c; without ISORUN_NATS these fail with a clear error)
 * ------------------------------------------------------------------------ */

extern const isorun_transport_ops tp_nats_ops;
extern const isorun_listener_ops tp_nats_listener_ops;

isorun_error *tp_nats_dial(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl);
isorun_error *tp_nats_listen(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl);
/* "isorun.rpc.<id, escaped>": the subject an instance id is served on. */
isorun_error *tp_nats_subject(const char *id, char **out);

#endif /* ISORUN_TRANSPORT_H */
