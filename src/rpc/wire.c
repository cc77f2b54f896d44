/* wire.c — request and response bodies (protocol.md, "Requests" and
 * "Responses"): writing whole frames and reading bodies back, zero-copy. */
#include "rpc.h"

#include <stdio.h>
#include <string.h>

/* Starts a frame: a header whose length is patched by end_frame. */
static bool begin_frame(isr_buf *b, size_t *start, uint8_t type, uint64_t id) {
    uint8_t header[TP_FRAME_HEADER_SIZE];
    tp_frame_header_write(header, type, 0, id);
    *start = b->len;
    return isr_buf_append(b, header, sizeof header);
}

static isorun_error *end_frame(isr_buf *b, size_t start, uint32_t max_body) {
    size_t body = b->len - start - TP_FRAME_HEADER_SIZE;
    if (body > max_body) {
        b->len = start;
        return isr_error(ISORUN_ERR_LIMIT, "a %zu-byte frame body exceeds the limit of %u bytes", body, max_body);
    }
    tp_frame_set_body_len(b->data + start, (uint32_t)body);
    return NULL;
}

uint64_t rpc_request_chain_token(const rpc_request *req, uint32_t i) {
    const uint8_t *p = req->chain + 8 * (size_t)i;
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) v |= (uint64_t)p[k] << (8 * k);
    return v;
}

isorun_error *rpc_request_write(isr_buf *b, const rpc_request *req, const uint64_t *chain, const cm_functype *ft,
                                const isorun_val *args, uint32_t max_body) {
    if (req->target_len > RPC_MAX_TARGET)
        return isr_error(ISORUN_ERR_ARGUMENT, "target id of %zu bytes is longer than the limit of %d",
                         req->target_len, RPC_MAX_TARGET);
    if (req->function_len > RPC_MAX_FUNCTION)
        return isr_error(ISORUN_ERR_ARGUMENT, "function name of %zu bytes is longer than the limit of %d",
                         req->function_len, RPC_MAX_FUNCTION);
    if (req->chain_len > RPC_MAX_CHAIN)
        return isr_error(ISORUN_ERR_LIMIT, "the call chain already has %u hops, the most the protocol allows",
                         req->chain_len);
    size_t start;
    bool ok = begin_frame(b, &start, TP_FRAME_REQUEST, req->id) && rpc_put_u64le(b, req->deadline_ns) &&
              rpc_put_u64le(b, req->fingerprint) && rpc_put_string(b, req->target, req->target_len) &&
              rpc_put_string(b, req->function, req->function_len) && rpc_put_uleb(b, req->chain_len);
    for (uint32_t i = 0; ok && i < req->chain_len; i++) ok = rpc_put_u64le(b, chain[i]);
    if (!ok) return isr_error_nomem();
    isorun_error *err = rpc_values_encode(b, ft->nparams, ft->params, args);
    if (err) {
        b->len = start;
        return isr_error_wrap(err, "arguments");
    }
    return end_frame(b, start, max_body);
}

isorun_error *rpc_request_read(const tp_frame_header *h, const uint8_t *body, size_t len, rpc_request *out) {
    rpc_reader r;
    rpc_reader_init(&r, body, len, 0);
    memset(out, 0, sizeof *out);
    out->id = h->id;
    isorun_error *err;
    uint64_t chain_len;
    if ((err = rpc_get_u64le(&r, &out->deadline_ns)) || (err = rpc_get_u64le(&r, &out->fingerprint)) ||
        (err = rpc_get_string(&r, RPC_MAX_TARGET, "target id", &out->target, &out->target_len)) ||
        (err = rpc_get_string(&r, RPC_MAX_FUNCTION, "function name", &out->function, &out->function_len)) ||
        (err = rpc_get_uleb(&r, 32, &chain_len)))
        return isr_error_wrap(err, "request");
    if (chain_len > RPC_MAX_CHAIN) return isr_error_wrap(rpc_reader_fail(&r, "call chain longer than 64 hops"), "request");
    if ((err = rpc_get_bytes(&r, 8 * (size_t)chain_len, &out->chain))) return isr_error_wrap(err, "request call chain");
    out->chain_len = (uint32_t)chain_len;
    out->args = r.p;
    out->args_len = rpc_reader_left(&r);
    return NULL;
}

isorun_error *rpc_response_write_ok(isr_buf *b, uint64_t id, const cm_functype *ft, const isorun_val *results,
                                    uint32_t max_body) {
    size_t start;
    if (!begin_frame(b, &start, TP_FRAME_RESPONSE, id) || !rpc_put_u8(b, ISORUN_RPC_OK)) return isr_error_nomem();
    isorun_error *err = rpc_values_encode(b, ft->nresults, ft->results, results);
    if (!err) err = end_frame(b, start, max_body);
    if (!err) return NULL;
    /* The caller is waiting: it gets an error response instead. */
    b->len = start;
    isorun_rpc_status status = isorun_error_code_of(err) == ISORUN_ERR_LIMIT ? ISORUN_RPC_TOO_LARGE
                                                                              : ISORUN_RPC_INTERNAL;
    char message[512];
    snprintf(message, sizeof message, "results could not be sent: %s", isorun_error_message(err));
    isorun_error_free(err);
    return rpc_response_write_error(b, id, status, ISORUN_TRAP_NONE, message) ? NULL : isr_error_nomem();
}

/* Length of the longest prefix of s[0..n) of at most max bytes that ends on
 * a UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t n, size_t max) {
    if (n <= max) return n;
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    return cut;
}

bool rpc_response_write_error(isr_buf *b, uint64_t id, isorun_rpc_status status, isorun_trap_code trap,
                              const char *message) {
    size_t start;
    size_t n = message ? strlen(message) : 0;
    n = utf8_cut(message, n, RPC_MAX_MESSAGE);
    /* A message that is not UTF-8 (it may quote guest bytes) is replaced
     * rather than sent: the peer would refuse the whole response. */
    if (n && !isr_utf8_valid((const uint8_t *)message, n)) {
        message = "(error message was not valid UTF-8)";
        n = strlen(message);
    }
    if (!begin_frame(b, &start, TP_FRAME_RESPONSE, id) || !rpc_put_u8(b, (uint8_t)status) ||
        !rpc_put_u8(b, rpc_trap_to_wire(trap)) || !rpc_put_string(b, message, n)) {
        return false;
    }
    tp_frame_set_body_len(b->data + start, (uint32_t)(b->len - start - TP_FRAME_HEADER_SIZE));
    return true;
}

isorun_error *rpc_response_read(const tp_frame_header *h, const uint8_t *body, size_t len, rpc_response *out) {
    rpc_reader r;
    rpc_reader_init(&r, body, len, 0);
    memset(out, 0, sizeof *out);
    out->id = h->id;
    out->trap = ISORUN_TRAP_NONE;
    uint8_t status;
    isorun_error *err = rpc_get_u8(&r, &status);
    if (err) return isr_error_wrap(err, "response status");
    if (status >= ISORUN_RPC_STATUS_COUNT_) {
        r.p--;
        return isr_error_wrap(rpc_reader_fail(&r, "unknown status"), "response");
    }
    out->status = (isorun_rpc_status)status;
    if (status == ISORUN_RPC_OK) {
        out->results = r.p;
        out->results_len = rpc_reader_left(&r);
        return NULL;
    }
    uint8_t trap;
    if ((err = rpc_get_u8(&r, &trap))) return isr_error_wrap(err, "response trap code");
    out->trap = rpc_trap_from_wire(trap);
    if (out->trap == ISORUN_TRAP_COUNT_) {
        r.p--;
        return isr_error_wrap(rpc_reader_fail(&r, "unknown trap code"), "response");
    }
    if ((err = rpc_get_string(&r, RPC_MAX_MESSAGE, "error message", &out->message, &out->message_len)))
        return isr_error_wrap(err, "response");
    if (rpc_reader_left(&r)) return isr_error_wrap(rpc_reader_fail(&r, "bytes after the error message"), "response");
    return NULL;
}
