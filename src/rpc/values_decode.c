/* values_decode.c — reads values in the component model's value encoding,
 * driven by the type the reader expects.
 *
 * The bytes come from a peer, so nothing in them is trusted: every length is
 * checked against the bytes that remain before anything is allocated (a list
 * of n elements needs at least n * min_size bytes), every allocation is
 * charged to the reader's budget, and nesting is as deep as the type, which
 * is bounded (CM_TYPE_MAX_DEPTH). */
#include "rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static isorun_val zero_val(void) {
    isorun_val v;
    memset(&v, 0, sizeof v);
    v.kind = ISORUN_I32;
    return v;
}

static void *alloc_charged(rpc_reader *r, size_t count, size_t size, isorun_error **err) {
    size_t bytes;
    if (!isr_mul_size(count, size, &bytes) || (*err = rpc_reader_charge(r, bytes)) != NULL) {
        if (!*err) *err = isr_error(ISORUN_ERR_LIMIT, "allocation size overflows");
        return NULL;
    }
    void *p = calloc(count ? count : 1, size);
    if (!p) *err = isr_error_nomem();
    return p;
}

static isorun_error *decode_char(rpc_reader *r, uint32_t *out) {
    if (r->p >= r->end) return rpc_reader_fail(r, "unexpected end of data in a char");
    uint8_t c = *r->p;
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > rpc_reader_left(r) || !isr_utf8_valid(r->p, len))
        return rpc_reader_fail(r, "char is not one valid UTF-8 scalar value");
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t i = 1; i < len; i++) cp = (cp << 6) | (r->p[i] & 0x3Fu);
    r->p += len;
    *out = cp;
    return NULL;
}

static isorun_error *decode_string(rpc_reader *r, isorun_val *out) {
    const char *s;
    size_t len;
    isorun_error *err = rpc_get_string(r, UINT32_MAX, "string", &s, &len);
    if (err) return err;
    char *copy = alloc_charged(r, len + 1, 1, &err);
    if (!copy) return err;
    memcpy(copy, s, len);
    copy[len] = '\0';
    out->kind = ISORUN_STRING;
    out->of.string.data = copy;
    out->of.string.len = len;
    return NULL;
}

/* count values of types[i] (or all of `same` when types is NULL) into a new
 * array. On error the array is freed and *items is NULL. */
static isorun_error *decode_items(rpc_reader *r, size_t count, const cm_type *const *types, const cm_type *same,
                                  isorun_val **items) {
    isorun_error *err = NULL;
    isorun_val *a = alloc_charged(r, count, sizeof *a, &err);
    if (!a) return err;
    for (size_t i = 0; i < count; i++) a[i] = zero_val();
    for (size_t i = 0; i < count; i++) {
        err = rpc_value_decode(r, types ? types[i] : same, &a[i]);
        if (err) {
            rpc_values_free(a, i);
            free(a);
            *items = NULL;
            return err;
        }
    }
    *items = a;
    return NULL;
}

static isorun_error *decode_list(rpc_reader *r, const cm_type *t, isorun_val *out) {
    uint64_t count;
    isorun_error *err = rpc_get_uleb(r, 32, &count);
    if (err) return isr_error_wrap(err, "list length");
    /* Every element takes at least min_size bytes: a count the remaining
     * bytes cannot pay for is garbage, found before allocating. */
    const cm_type *elem = t->members[0];
    if (count > rpc_reader_left(r) / elem->min_size) {
        char msg[160];
        snprintf(msg, sizeof msg, "list of %llu elements cannot fit in the %zu bytes left", (unsigned long long)count,
                 rpc_reader_left(r));
        return rpc_reader_fail(r, msg);
    }
    isorun_val *items;
    err = decode_items(r, (size_t)count, NULL, elem, &items);
    if (err) return err;
    out->kind = ISORUN_LIST;
    out->of.seq.items = items;
    out->of.seq.len = (size_t)count;
    return NULL;
}

/* The payload of a case, when its type has one. */
static isorun_error *decode_payload(rpc_reader *r, const cm_type *payload_type, isorun_val **out) {
    *out = NULL;
    if (!payload_type) return NULL;
    isorun_error *err = NULL;
    isorun_val *p = alloc_charged(r, 1, sizeof *p, &err);
    if (!p) return err;
    *p = zero_val();
    err = rpc_value_decode(r, payload_type, p);
    if (err) {
        free(p);
        return err;
    }
    *out = p;
    return NULL;
}

static isorun_error *decode_flags(rpc_reader *r, const cm_type *t, isorun_val *out) {
    uint32_t nbytes = (t->count + 7) / 8;
    const uint8_t *bytes;
    isorun_error *err = rpc_get_bytes(r, nbytes, &bytes);
    if (err) return err;
    if (t->count % 8 && (bytes[nbytes - 1] >> (t->count % 8)) != 0) {
        r->p--;
        return rpc_reader_fail(r, "flags value sets bits past the last flag");
    }
    uint64_t *words = alloc_charged(r, (t->count + 63) / 64, sizeof *words, &err);
    if (!words) return err;
    for (uint32_t i = 0; i < nbytes; i++) words[i / 8] |= (uint64_t)bytes[i] << (8 * (i % 8));
    out->kind = ISORUN_FLAGS;
    out->of.flags.words = words;
    out->of.flags.count = t->count;
    return NULL;
}

/* Scalars: no allocation. */
static isorun_error *decode_scalar(rpc_reader *r, const cm_type *t, isorun_val *out) {
    isorun_error *err = NULL;
    uint64_t u = 0;
    int64_t s = 0;
    uint8_t byte = 0;
    const uint8_t *bytes;
    isorun_val v = zero_val();
    v.kind = t->kind;
    switch (t->kind) {
    case ISORUN_I32: if (!(err = rpc_get_sleb(r, 32, &s))) v.of.i32 = (int32_t)s; break;
    case ISORUN_I64: if (!(err = rpc_get_sleb(r, 64, &s))) v.of.i64 = s; break;
    case ISORUN_S16: if (!(err = rpc_get_sleb(r, 16, &s))) v.of.s16 = (int16_t)s; break;
    case ISORUN_S32: if (!(err = rpc_get_sleb(r, 32, &s))) v.of.s32 = (int32_t)s; break;
    case ISORUN_S64: if (!(err = rpc_get_sleb(r, 64, &s))) v.of.s64 = s; break;
    case ISORUN_U16: if (!(err = rpc_get_uleb(r, 16, &u))) v.of.u16 = (uint16_t)u; break;
    case ISORUN_U32: if (!(err = rpc_get_uleb(r, 32, &u))) v.of.u32 = (uint32_t)u; break;
    case ISORUN_U64: if (!(err = rpc_get_uleb(r, 64, &u))) v.of.u64 = u; break;
    case ISORUN_S8: if (!(err = rpc_get_u8(r, &byte))) v.of.s8 = (int8_t)byte; break;
    case ISORUN_U8: if (!(err = rpc_get_u8(r, &byte))) v.of.u8 = byte; break;
    case ISORUN_BOOL:
        if (!(err = rpc_get_u8(r, &byte))) {
            if (byte > 1) {
                r->p--;
                return rpc_reader_fail(r, "bool byte is neither 0 nor 1");
            }
            v.of.b = byte == 1;
        }
        break;
    case ISORUN_F32:
        if (!(err = rpc_get_bytes(r, 4, &bytes))) {
            uint32_t bits = (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
                            (uint32_t)bytes[3] << 24;
            memcpy(&v.of.f32, &bits, 4);
        }
        break;
    case ISORUN_F64:
        if (!(err = rpc_get_bytes(r, 8, &bytes))) {
            uint64_t bits = 0;
            for (int i = 0; i < 8; i++) bits |= (uint64_t)bytes[i] << (8 * i);
            memcpy(&v.of.f64, &bits, 8);
        }
        break;
    case ISORUN_CHAR: err = decode_char(r, &v.of.ch); break;
    case ISORUN_OWN:
    case ISORUN_BORROW: if (!(err = rpc_get_uleb(r, 32, &u))) v.of.handle = (uint32_t)u; break;
    default: return isr_error(ISORUN_ERR_ARGUMENT, "cannot decode a value of kind %d", (int)t->kind);
    }
    if (err) return err;
    *out = v;
    return NULL;
}

isorun_error *rpc_value_decode(rpc_reader *r, const cm_type *t, isorun_val *out) {
    *out = zero_val();
    isorun_error *err;
    switch (t->kind) {
    case ISORUN_STRING: return decode_string(r, out);
    case ISORUN_LIST: return decode_list(r, t, out);
    case ISORUN_RECORD:
    case ISORUN_TUPLE: {
        isorun_val *items;
        if ((err = decode_items(r, t->count, t->members, NULL, &items))) return err;
        out->kind = t->kind;
        out->of.seq.items = items;
        out->of.seq.len = t->count;
        return NULL;
    }
    case ISORUN_VARIANT:
    case ISORUN_ENUM: {
        uint64_t tag;
        if ((err = rpc_get_uleb(r, 32, &tag))) return isr_error_wrap(err, "%s case", isorun_kind_name(t->kind));
        if (tag >= t->count) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s case %llu of a type with %u cases", isorun_kind_name(t->kind),
                     (unsigned long long)tag, t->count);
            return rpc_reader_fail(r, msg);
        }
        isorun_val *payload;
        if ((err = decode_payload(r, t->kind == ISORUN_VARIANT ? t->members[tag] : NULL, &payload))) return err;
        out->kind = t->kind;
        out->of.variant.tag = (uint32_t)tag;
        out->of.variant.payload = payload;
        return NULL;
    }
    case ISORUN_OPTION:
    case ISORUN_RESULT: {
        uint8_t tag;
        if ((err = rpc_get_u8(r, &tag))) return err;
        if (tag > 1) {
            r->p--;
            return rpc_reader_fail(r, t->kind == ISORUN_OPTION ? "option tag is neither 0 nor 1"
                                                               : "result tag is neither 0 nor 1");
        }
        const cm_type *payload_type = t->kind == ISORUN_OPTION ? (tag ? t->members[0] : NULL) : t->members[tag];
        isorun_val *payload;
        if ((err = decode_payload(r, payload_type, &payload))) return err;
        out->kind = t->kind;
        out->of.variant.tag = tag;
        out->of.variant.payload = payload;
        return NULL;
    }
    case ISORUN_FLAGS: return decode_flags(r, t, out);
    default: return decode_scalar(r, t, out);
    }
}

isorun_error *rpc_values_decode(rpc_reader *r, uint32_t n, const cm_type *const *types, isorun_val *out) {
    for (uint32_t i = 0; i < n; i++) out[i] = zero_val();
    for (uint32_t i = 0; i < n; i++) {
        isorun_error *err = rpc_value_decode(r, types[i], &out[i]);
        if (err) {
            rpc_values_free(out, i);
            return isr_error_wrap(err, "value %u", i);
        }
    }
    if (r->p != r->end) {
        rpc_values_free(out, n);
        char msg[96];
        snprintf(msg, sizeof msg, "%zu bytes left over after the last value", rpc_reader_left(r));
        return rpc_reader_fail(r, msg);
    }
    return NULL;
}

void rpc_values_free(isorun_val *vals, size_t n) {
    for (size_t i = 0; i < n; i++) isorun_val_free(&vals[i]);
}
