/* frame.c — the frame header every transport carries (docs/protocol.md,
 * "Frames"). Framing belongs to the transport layer because stream transports
 * need it to find where one frame ends; what a body means is the rpc layer's. */
#include "transport.h"

#include <string.h>

static void put_u32le(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64le(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32le(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}

static uint64_t get_u64le(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

const char *tp_frame_type_name(uint8_t type) {
    switch (type) {
    case TP_FRAME_REQUEST: return "request";
    case TP_FRAME_RESPONSE: return "response";
    case TP_FRAME_CANCEL: return "cancel";
    case TP_FRAME_PING: return "ping";
    case TP_FRAME_PONG: return "pong";
    default: return "?";
    }
}

void tp_frame_header_write(uint8_t out[TP_FRAME_HEADER_SIZE], uint8_t type, uint32_t body_len, uint64_t id) {
    out[0] = TP_FRAME_MAGIC0;
    out[1] = TP_FRAME_MAGIC1;
    out[2] = TP_PROTOCOL_VERSION;
    out[3] = type;
    put_u32le(out + 4, body_len);
    put_u64le(out + 8, id);
}

void tp_frame_set_id(uint8_t *frame, uint64_t id) { put_u64le(frame + 8, id); }
void tp_frame_set_body_len(uint8_t *frame, uint32_t body_len) { put_u32le(frame + 4, body_len); }

isorun_error *tp_frame_header_read(const uint8_t *in, size_t len, uint32_t max_body, tp_frame_header *out) {
    if (len < TP_FRAME_HEADER_SIZE)
        return isr_error(ISORUN_ERR_MALFORMED, "frame of %zu bytes is shorter than the %d-byte header", len,
                         TP_FRAME_HEADER_SIZE);
    if (in[0] != TP_FRAME_MAGIC0 || in[1] != TP_FRAME_MAGIC1)
        return isr_error(ISORUN_ERR_MALFORMED,
                         "not an isorun frame (magic bytes 0x%02x 0x%02x, expected 0x%02x 0x%02x): "
                         "is the peer speaking another protocol?",
                         in[0], in[1], TP_FRAME_MAGIC0, TP_FRAME_MAGIC1);
    if (in[2] != TP_PROTOCOL_VERSION)
        return isr_error(ISORUN_ERR_MALFORMED, "peer speaks protocol version %u; this side speaks version %u",
                         in[2], TP_PROTOCOL_VERSION);
    if (in[3] < TP_FRAME_REQUEST || in[3] > TP_FRAME_PONG)
        return isr_error(ISORUN_ERR_MALFORMED, "unknown frame type %u", in[3]);
    uint32_t body_len = get_u32le(in + 4);
    if (body_len > max_body)
        return isr_error(ISORUN_ERR_LIMIT, "%s frame body of %u bytes exceeds the limit of %u bytes",
                         tp_frame_type_name(in[3]), body_len, max_body);
    out->type = in[3];
    out->body_len = body_len;
    out->id = get_u64le(in + 8);
    return NULL;
}

isorun_error *tp_frame_check(const uint8_t *frame, size_t len, uint32_t max_body, tp_frame_header *out) {
    isorun_error *err = tp_frame_header_read(frame, len, max_body, out);
    if (err) return err;
    if ((size_t)out->body_len != len - TP_FRAME_HEADER_SIZE)
        return isr_error(ISORUN_ERR_MALFORMED, "frame header announces a %u-byte body but %zu bytes follow",
                         out->body_len, len - TP_FRAME_HEADER_SIZE);
    return NULL;
}

isorun_error *isorun_frame_size(const void *header, size_t header_len, uint32_t max_body, size_t *frame_size) {
    if (!header || !frame_size) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_frame_size: NULL argument");
    tp_frame_header h = {0}; /* filled when err is NULL; gcc -O3 cannot see that */
    isorun_error *err = tp_frame_header_read(header, header_len, max_body ? max_body : TP_DEFAULT_MAX_FRAME,
                                             &h);
    if (err) return err;
    *frame_size = TP_FRAME_HEADER_SIZE + (size_t)h.body_len;
    return NULL;
}
