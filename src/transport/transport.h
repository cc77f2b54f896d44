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

#endif /* ISORUN_TRANSPORT_H */
