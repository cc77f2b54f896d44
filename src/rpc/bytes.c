/* bytes.c — bounds-checked reading and writing of the protocol's primitives:
 * bytes, little-endian u64, LEB128 and length-prefixed UTF-8 strings. */
#include "rpc.h"

#include <stdio.h>
#include <string.h>

isorun_error *rpc_reader_fail(const rpc_reader *r, const char *what) {
    return isr_error(ISORUN_ERR_MALFORMED, "at byte %zu: %s", rpc_reader_offset(r), what);
}

isorun_error *rpc_reader_charge(rpc_reader *r, uint64_t n) {
    if (n > r->budget)
        return isr_error(ISORUN_ERR_LIMIT,
                         "at byte %zu: decoding needs more than the %llu bytes of memory still allowed "
                         "for one message (raise the decode limit, or send smaller values)",
                         rpc_reader_offset(r), (unsigned long long)r->budget);
    r->budget -= n;
    return NULL;
}

isorun_error *rpc_get_u8(rpc_reader *r, uint8_t *out) {
    if (r->p >= r->end) return rpc_reader_fail(r, "unexpected end of data");
    *out = *r->p++;
    return NULL;
}

isorun_error *rpc_get_u64le(rpc_reader *r, uint64_t *out) {
    if (rpc_reader_left(r) < 8) return rpc_reader_fail(r, "unexpected end of data (need 8 bytes)");
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)r->p[i] << (8 * i);
    r->p += 8;
    *out = v;
    return NULL;
}

isorun_error *rpc_get_bytes(rpc_reader *r, size_t n, const uint8_t **out) {
    if (rpc_reader_left(r) < n) return rpc_reader_fail(r, "unexpected end of data");
    *out = r->p;
    r->p += n;
    return NULL;
}

static isorun_error *leb_failure(const rpc_reader *r, isr_leb_status st) {
    switch (st) {
    case ISR_LEB_END: return rpc_reader_fail(r, "unexpected end of data inside a LEB128 integer");
    case ISR_LEB_TOO_LONG: return rpc_reader_fail(r, "LEB128 integer longer than its type allows");
    default: return rpc_reader_fail(r, "LEB128 integer out of its type's range");
    }
}

isorun_error *rpc_get_uleb(rpc_reader *r, unsigned bits, uint64_t *out) {
    isr_leb_status st = isr_leb_read_u(&r->p, r->end, bits, out);
    return st == ISR_LEB_OK ? NULL : leb_failure(r, st);
}

isorun_error *rpc_get_sleb(rpc_reader *r, unsigned bits, int64_t *out) {
    isr_leb_status st = isr_leb_read_s(&r->p, r->end, bits, out);
    return st == ISR_LEB_OK ? NULL : leb_failure(r, st);
}

isorun_error *rpc_get_string(rpc_reader *r, size_t max, const char *what, const char **s, size_t *len) {
    uint64_t n = 0; /* set when err is NULL; gcc -O3 cannot see that */
    isorun_error *err = rpc_get_uleb(r, 32, &n);
    if (err) return isr_error_wrap(err, "%s length", what);
    if (n > max) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s of %llu bytes is longer than the limit of %zu", what, (unsigned long long)n,
                 max);
        return rpc_reader_fail(r, msg);
    }
    if (n > rpc_reader_left(r)) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s of %llu bytes runs past the end of the data", what, (unsigned long long)n);
        return rpc_reader_fail(r, msg);
    }
    if (!isr_utf8_valid(r->p, (size_t)n)) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s is not valid UTF-8", what);
        return rpc_reader_fail(r, msg);
    }
    *s = (const char *)r->p;
    *len = (size_t)n;
    r->p += n;
    return NULL;
}

bool rpc_put_u8(isr_buf *b, uint8_t v) { return isr_buf_append(b, &v, 1); }

bool rpc_put_u64le(isr_buf *b, uint64_t v) {
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)(v >> (8 * i));
    return isr_buf_append(b, bytes, 8);
}

bool rpc_put_uleb(isr_buf *b, uint64_t v) {
    uint8_t bytes[10];
    return isr_buf_append(b, bytes, isr_leb_write_u(bytes, v));
}

bool rpc_put_sleb(isr_buf *b, int64_t v) {
    uint8_t bytes[10];
    return isr_buf_append(b, bytes, isr_leb_write_s(bytes, v));
}

bool rpc_put_string(isr_buf *b, const char *s, size_t len) {
    return rpc_put_uleb(b, len) && (len == 0 || isr_buf_append(b, s, len));
}
