/*
 * values_util.h — building and comparing isorun_val trees in the rpc tests.
 *
 * Constructors return values that own their parts (free with isorun_val_free);
 * compound constructors take ownership of the values they are given.
 * Allocation failure in a test aborts: the test cannot go on without it.
 */
#ifndef ISORUN_TEST_VALUES_UTIL_H
#define ISORUN_TEST_VALUES_UTIL_H

#include "isorun.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void *tv_alloc(size_t n) {
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory in a test\n");
        abort();
    }
    return p;
}

static inline isorun_val tv_scalar(isorun_kind k) {
    isorun_val v;
    memset(&v, 0, sizeof v);
    v.kind = k;
    return v;
}
static inline isorun_val tv_bool(bool b) { isorun_val v = tv_scalar(ISORUN_BOOL); v.of.b = b; return v; }
static inline isorun_val tv_s8(int8_t x) { isorun_val v = tv_scalar(ISORUN_S8); v.of.s8 = x; return v; }
static inline isorun_val tv_u8(uint8_t x) { isorun_val v = tv_scalar(ISORUN_U8); v.of.u8 = x; return v; }
static inline isorun_val tv_s16(int16_t x) { isorun_val v = tv_scalar(ISORUN_S16); v.of.s16 = x; return v; }
static inline isorun_val tv_u16(uint16_t x) { isorun_val v = tv_scalar(ISORUN_U16); v.of.u16 = x; return v; }
static inline isorun_val tv_s32(int32_t x) { isorun_val v = tv_scalar(ISORUN_S32); v.of.s32 = x; return v; }
static inline isorun_val tv_u32(uint32_t x) { isorun_val v = tv_scalar(ISORUN_U32); v.of.u32 = x; return v; }
static inline isorun_val tv_s64(int64_t x) { isorun_val v = tv_scalar(ISORUN_S64); v.of.s64 = x; return v; }
static inline isorun_val tv_u64(uint64_t x) { isorun_val v = tv_scalar(ISORUN_U64); v.of.u64 = x; return v; }
static inline isorun_val tv_char(uint32_t c) { isorun_val v = tv_scalar(ISORUN_CHAR); v.of.ch = c; return v; }
static inline isorun_val tv_handle(isorun_kind k, uint32_t h) { isorun_val v = tv_scalar(k); v.of.handle = h; return v; }

static inline isorun_val tv_string(const char *s) {
    isorun_val v = tv_scalar(ISORUN_STRING);
    size_t n = strlen(s);
    v.of.string.data = tv_alloc(n + 1);
    memcpy(v.of.string.data, s, n);
    v.of.string.len = n;
    return v;
}

/* LIST, RECORD or TUPLE of n values (varargs of isorun_val). */
static inline isorun_val tv_seq(isorun_kind k, size_t n, ...) {
    isorun_val v = tv_scalar(k);
    v.of.seq.items = tv_alloc(n * sizeof(isorun_val));
    v.of.seq.len = n;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) v.of.seq.items[i] = va_arg(ap, isorun_val);
    va_end(ap);
    return v;
}

/* VARIANT, ENUM, OPTION or RESULT with a tag and an optional payload. */
static inline isorun_val tv_case(isorun_kind k, uint32_t tag, const isorun_val *payload) {
    isorun_val v = tv_scalar(k);
    v.of.variant.tag = tag;
    if (payload) {
        v.of.variant.payload = tv_alloc(sizeof(isorun_val));
        *v.of.variant.payload = *payload;
    }
    return v;
}

/* FLAGS of count flags with the given bits set (up to 64 flags). */
static inline isorun_val tv_flags(uint32_t count, uint64_t bits) {
    isorun_val v = tv_scalar(ISORUN_FLAGS);
    v.of.flags.count = count;
    v.of.flags.words = tv_alloc(((count + 63) / 64) * sizeof(uint64_t));
    v.of.flags.words[0] = bits;
    return v;
}

/* Deep equality (floats by bit pattern, so NaNs compare as sent). */
static inline bool tv_equal(const isorun_val *a, const isorun_val *b) {
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case ISORUN_I32: case ISORUN_S32: case ISORUN_U32: return a->of.u32 == b->of.u32;
    case ISORUN_I64: case ISORUN_S64: case ISORUN_U64: return a->of.u64 == b->of.u64;
    case ISORUN_F32: return memcmp(&a->of.f32, &b->of.f32, 4) == 0;
    case ISORUN_F64: return memcmp(&a->of.f64, &b->of.f64, 8) == 0;
    case ISORUN_BOOL: return a->of.b == b->of.b;
    case ISORUN_S8: case ISORUN_U8: return a->of.u8 == b->of.u8;
    case ISORUN_S16: case ISORUN_U16: return a->of.u16 == b->of.u16;
    case ISORUN_CHAR: return a->of.ch == b->of.ch;
    case ISORUN_STRING:
        return a->of.string.len == b->of.string.len &&
               memcmp(a->of.string.data, b->of.string.data, a->of.string.len) == 0;
    case ISORUN_LIST: case ISORUN_RECORD: case ISORUN_TUPLE:
        if (a->of.seq.len != b->of.seq.len) return false;
        for (size_t i = 0; i < a->of.seq.len; i++)
            if (!tv_equal(&a->of.seq.items[i], &b->of.seq.items[i])) return false;
        return true;
    case ISORUN_VARIANT: case ISORUN_ENUM: case ISORUN_OPTION: case ISORUN_RESULT:
        if (a->of.variant.tag != b->of.variant.tag) return false;
        if (!a->of.variant.payload || !b->of.variant.payload)
            return !a->of.variant.payload && !b->of.variant.payload;
        return tv_equal(a->of.variant.payload, b->of.variant.payload);
    case ISORUN_FLAGS:
        if (a->of.flags.count != b->of.flags.count) return false;
        return memcmp(a->of.flags.words, b->of.flags.words, ((a->of.flags.count + 63) / 64) * 8) == 0;
    case ISORUN_OWN: case ISORUN_BORROW: return a->of.handle == b->of.handle;
    default: return false;
    }
}

#endif /* ISORUN_TEST_VALUES_UTIL_H */
