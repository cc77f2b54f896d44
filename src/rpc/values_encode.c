/* values_encode.c — writes values in the component model's value encoding
 * (DESIGN.md "Values on the wire", protocol.md "Values"), driven by the type,
 * so a value that does not fit its type is refused here rather than sent. */
#include "rpc.h"

#include <stdio.h>
#include <string.h>

static isorun_error *nomem(void) { return isr_error_nomem(); }

static bool put_le(isr_buf *b, uint64_t bits, int n) {
    uint8_t bytes[8];
    for (int i = 0; i < n; i++) bytes[i] = (uint8_t)(bits >> (8 * i));
    return isr_buf_append(b, bytes, (size_t)n);
}

/* UTF-8 of one Unicode scalar value; false for surrogates and > U+10FFFF. */
static bool put_char(isr_buf *b, uint32_t c) {
    uint8_t u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (uint8_t)c, n = 1;
    } else if (c < 0x800) {
        u[0] = (uint8_t)(0xC0 | (c >> 6)), u[1] = (uint8_t)(0x80 | (c & 0x3F)), n = 2;
    } else if (c < 0x10000) {
        if (c >= 0xD800 && c <= 0xDFFF) return false;
        u[0] = (uint8_t)(0xE0 | (c >> 12)), u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (uint8_t)(0x80 | (c & 0x3F)), n = 3;
    } else if (c <= 0x10FFFF) {
        u[0] = (uint8_t)(0xF0 | (c >> 18)), u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)), u[3] = (uint8_t)(0x80 | (c & 0x3F)), n = 4;
    } else {
        return false;
    }
    return isr_buf_append(b, u, n);
}

static isorun_error *encode_seq(isr_buf *b, const cm_type *t, const isorun_val *v) {
    if (v->of.seq.len && !v->of.seq.items) return isr_error(ISORUN_ERR_ARGUMENT, "sequence value without items");
    if (v->of.seq.len != t->count)
        return isr_error(ISORUN_ERR_TYPE_MISMATCH, "a %s of %u members was given %zu values",
                         t->kind == ISORUN_RECORD ? "record" : "tuple", t->count, v->of.seq.len);
    for (uint32_t i = 0; i < t->count; i++) {
        isorun_error *err = rpc_value_encode(b, t->members[i], &v->of.seq.items[i]);
        if (err) {
            if (t->kind == ISORUN_RECORD) return isr_error_wrap(err, "field %s", t->names[i]);
            return isr_error_wrap(err, "tuple member %u", i);
        }
    }
    return NULL;
}

/* A tag and, when the case has a payload type, the payload. */
static isorun_error *encode_payload(isr_buf *b, const cm_type *payload_type, const isorun_val *payload,
                                    const char *where) {
    if (!payload_type) {
        if (payload) return isr_error(ISORUN_ERR_TYPE_MISMATCH, "%s has no payload, but one was given", where);
        return NULL;
    }
    if (!payload) return isr_error(ISORUN_ERR_TYPE_MISMATCH, "%s needs a payload, but none was given", where);
    isorun_error *err = rpc_value_encode(b, payload_type, payload);
    return err ? isr_error_wrap(err, "%s", where) : NULL;
}

static isorun_error *encode_flags(isr_buf *b, const cm_type *t, const isorun_val *v) {
    if (v->of.flags.count != t->count)
        return isr_error(ISORUN_ERR_TYPE_MISMATCH, "flags of %u names were given a %u-flag value", t->count,
                         v->of.flags.count);
    if (!v->of.flags.words) return isr_error(ISORUN_ERR_ARGUMENT, "flags value without words");
    uint32_t nbytes = (t->count + 7) / 8;
    for (uint32_t i = 0; i < nbytes; i++) {
        uint64_t word = v->of.flags.words[i / 8];
        uint8_t byte = (uint8_t)(word >> (8 * (i % 8)));
        /* Bits past the last flag would be refused by the decoder. */
        if (i == nbytes - 1 && t->count % 8) byte &= (uint8_t)((1u << (t->count % 8)) - 1);
        if (!rpc_put_u8(b, byte)) return nomem();
    }
    for (uint32_t bit = t->count; bit < (t->count + 63) / 64 * 64; bit++)
        if (v->of.flags.words[bit / 64] >> (bit % 64) & 1)
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "flag %u is set, but the type has only %u flags", bit,
                             t->count);
    return NULL;
}

isorun_error *rpc_value_encode(isr_buf *b, const cm_type *t, const isorun_val *v) {
    isorun_kind k = v->kind;
    bool ok;
    switch (t->kind) {
    /* Core values: i32/i64 as signed LEB128 (protocol.md); the API lets s32
     * and u32 stand for i32, s64 and u64 for i64. */
    case ISORUN_I32:
        if (!cm_kind_fits(t->kind, k)) return cm_type_mismatch(t, v);
        ok = rpc_put_sleb(b, v->of.i32);
        break;
    case ISORUN_I64:
        if (!cm_kind_fits(t->kind, k)) return cm_type_mismatch(t, v);
        ok = rpc_put_sleb(b, v->of.i64);
        break;
    default:
        if (!cm_kind_fits(t->kind, k)) return cm_type_mismatch(t, v);
        switch (t->kind) {
        case ISORUN_BOOL: ok = rpc_put_u8(b, v->of.b ? 1 : 0); break;
        case ISORUN_S8: ok = rpc_put_u8(b, (uint8_t)v->of.s8); break;
        case ISORUN_U8: ok = rpc_put_u8(b, v->of.u8); break;
        case ISORUN_S16: ok = rpc_put_sleb(b, v->of.s16); break;
        case ISORUN_U16: ok = rpc_put_uleb(b, v->of.u16); break;
        case ISORUN_S32: ok = rpc_put_sleb(b, v->of.s32); break;
        case ISORUN_U32: ok = rpc_put_uleb(b, v->of.u32); break;
        case ISORUN_S64: ok = rpc_put_sleb(b, v->of.s64); break;
        case ISORUN_U64: ok = rpc_put_uleb(b, v->of.u64); break;
        case ISORUN_F32: {
            uint32_t bits;
            memcpy(&bits, &v->of.f32, 4);
            ok = put_le(b, bits, 4);
            break;
        }
        case ISORUN_F64: {
            uint64_t bits;
            memcpy(&bits, &v->of.f64, 8);
            ok = put_le(b, bits, 8);
            break;
        }
        case ISORUN_CHAR:
            if (v->of.ch > 0x10FFFF || (v->of.ch >= 0xD800 && v->of.ch <= 0xDFFF))
                return isr_error(ISORUN_ERR_TYPE_MISMATCH, "char U+%X is not a Unicode scalar value", v->of.ch);
            ok = put_char(b, v->of.ch);
            break;
        case ISORUN_STRING:
            if (v->of.string.len > UINT32_MAX)
                return isr_error(ISORUN_ERR_LIMIT, "a string of %zu bytes is too long to send", v->of.string.len);
            if (v->of.string.len && !v->of.string.data)
                return isr_error(ISORUN_ERR_ARGUMENT, "string value without data");
            if (!isr_utf8_valid((const uint8_t *)v->of.string.data, v->of.string.len))
                return isr_error(ISORUN_ERR_TYPE_MISMATCH, "string is not valid UTF-8");
            ok = rpc_put_string(b, v->of.string.data, v->of.string.len);
            break;
        case ISORUN_LIST:
            if (v->of.seq.len > UINT32_MAX)
                return isr_error(ISORUN_ERR_LIMIT, "a list of %zu elements is too long to send", v->of.seq.len);
            if (v->of.seq.len && !v->of.seq.items)
                return isr_error(ISORUN_ERR_ARGUMENT, "list value without items");
            if (!rpc_put_uleb(b, v->of.seq.len)) return nomem();
            for (size_t i = 0; i < v->of.seq.len; i++) {
                isorun_error *err = rpc_value_encode(b, t->members[0], &v->of.seq.items[i]);
                if (err) return isr_error_wrap(err, "list element %zu", i);
            }
            return NULL;
        case ISORUN_RECORD:
        case ISORUN_TUPLE: return encode_seq(b, t, v);
        case ISORUN_VARIANT:
        case ISORUN_ENUM: {
            uint32_t tag = v->of.variant.tag;
            if (tag >= t->count)
                return isr_error(ISORUN_ERR_TYPE_MISMATCH, "case %u of a %s with %u cases", tag,
                                 isorun_kind_name(t->kind), t->count);
            if (!rpc_put_uleb(b, tag)) return nomem();
            char where[300];
            snprintf(where, sizeof where, "case %s", t->names[tag]);
            return encode_payload(b, t->kind == ISORUN_VARIANT ? t->members[tag] : NULL, v->of.variant.payload,
                                  where);
        }
        case ISORUN_OPTION:
        case ISORUN_RESULT: {
            uint32_t tag = v->of.variant.tag;
            if (tag > 1)
                return isr_error(ISORUN_ERR_TYPE_MISMATCH, "%s tag %u (must be 0 or 1)", isorun_kind_name(t->kind),
                                 tag);
            if (!rpc_put_u8(b, (uint8_t)tag)) return nomem();
            const cm_type *payload_type = t->kind == ISORUN_OPTION ? (tag ? t->members[0] : NULL)
                                                                     : t->members[tag];
            const char *where = t->kind == ISORUN_OPTION ? (tag ? "option some" : "option none")
                                                          : (tag ? "result error" : "result ok");
            return encode_payload(b, payload_type, v->of.variant.payload, where);
        }
        case ISORUN_FLAGS: return encode_flags(b, t, v);
        case ISORUN_OWN:
        case ISORUN_BORROW: ok = rpc_put_uleb(b, v->of.handle); break;
        default: return isr_error(ISORUN_ERR_ARGUMENT, "cannot encode a value of kind %d", (int)t->kind);
        }
    }
    return ok ? NULL : nomem();
}

isorun_error *rpc_values_encode(isr_buf *b, uint32_t n, const cm_type *const *types, const isorun_val *vals) {
    for (uint32_t i = 0; i < n; i++) {
        isorun_error *err = rpc_value_encode(b, types[i], &vals[i]);
        if (err) return isr_error_wrap(err, "value %u", i);
    }
    return NULL;
}
