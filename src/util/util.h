/*
 * util.h — the util layer's face: errors, growable buffers, UTF-8 checks and
 * small helpers every other layer uses. Nothing here knows about WebAssembly.
 */
#ifndef ISORUN_UTIL_H
#define ISORUN_UTIL_H

#include "isorun.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define ISR_LIKELY(x) __builtin_expect(!!(x), 1)
#define ISR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ISR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ISR_LIKELY(x) (x)
#define ISR_UNLIKELY(x) (x)
#define ISR_PRINTF(f, a)
#endif

struct isorun_error {
    isorun_error_code code;
    isorun_trap_code trap;
    int exit_code;
    char *message;
    int rpc_status; /* isorun_rpc_status a remote call failed with; 0 (OK) otherwise */
};

/* Makes an error with a printf-style message. Never returns NULL: when memory
 * runs out it returns the shared out-of-memory error (whose free is a no-op). */
isorun_error *isr_error(isorun_error_code code, const char *fmt, ...) ISR_PRINTF(2, 3);
isorun_error *isr_error_v(isorun_error_code code, const char *fmt, va_list ap);

/* A trap error: code ISORUN_ERR_TRAP, message = the trap's message, plus an
 * optional detail (NULL for none) appended after ": ". */
isorun_error *isr_trap(isorun_trap_code trap, const char *detail_fmt, ...) ISR_PRINTF(2, 3);

/* The shared out-of-memory error. */
isorun_error *isr_error_nomem(void);

/* Prefixes an existing error's message with "prefix: " (printf-style), keeping
 * its codes. Returns err (possibly reallocated message). */
isorun_error *isr_error_wrap(isorun_error *err, const char *fmt, ...) ISR_PRINTF(2, 3);

/* Growable byte buffer. Zero-initialise before use; free with isr_buf_free. */
typedef struct isr_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
} isr_buf;

bool isr_buf_reserve(isr_buf *b, size_t extra); /* false on OOM / overflow */
bool isr_buf_append(isr_buf *b, const void *p, size_t n);
bool isr_buf_printf(isr_buf *b, const char *fmt, ...) ISR_PRINTF(2, 3);
void isr_buf_free(isr_buf *b);

/* Grows a typed array *pp of *cap elements of size elem so that it holds at
 * least need elements. Returns false on OOM or overflow (array untouched). */
bool isr_grow_array(void **pp, size_t *cap, size_t need, size_t elem);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
bool isr_utf8_valid(const uint8_t *s, size_t n);

/* LEB128, as WebAssembly and isorun's wire protocol use it. Reading takes at
 * most `bits` bits (32, 33 or 64): the last byte that width allows must not
 * continue, and its unused bits must be zero (unsigned) or copies of the sign
 * bit (signed). *p advances past what was read. */
typedef enum isr_leb_status {
    ISR_LEB_OK,
    ISR_LEB_END,       /* the input ended inside the number */
    ISR_LEB_TOO_LONG,  /* more bytes than the width allows */
    ISR_LEB_TOO_LARGE, /* the value does not fit the width */
} isr_leb_status;

static inline isr_leb_status isr_leb_read_u(const uint8_t **p, const uint8_t *end, unsigned bits, uint64_t *out) {
    uint64_t result = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (*p >= end) return ISR_LEB_END;
        uint8_t b = *(*p)++;
        if (shift + 7 >= bits) {
            unsigned used = bits - shift;
            if (b & 0x80) return ISR_LEB_TOO_LONG;
            if (used < 7 && (b >> used) != 0) return ISR_LEB_TOO_LARGE;
            result |= (uint64_t)b << shift;
            break;
        }
        result |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) break;
    }
    *out = result;
    return ISR_LEB_OK;
}

static inline isr_leb_status isr_leb_read_s(const uint8_t **p, const uint8_t *end, unsigned bits, int64_t *out) {
    uint64_t result = 0;
    unsigned shift = 0;
    uint8_t b;
    for (;;) {
        if (*p >= end) return ISR_LEB_END;
        b = *(*p)++;
        if (shift + 7 >= bits) {
            if (b & 0x80) return ISR_LEB_TOO_LONG;
            unsigned used = bits - shift;                 /* 1..7 */
            int8_t payload = (int8_t)(uint8_t)(b << 1) >> 1; /* the 7 bits, sign-extended */
            int8_t high = (int8_t)(payload >> (used - 1));   /* must be 0 or -1 */
            if (used < 7 && high != 0 && high != -1) return ISR_LEB_TOO_LARGE;
            result |= (uint64_t)(b & 0x7F) << shift;
            shift += 7;
            break;
        }
        result |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    if (shift < 64 && (b & 0x40)) result |= ~(uint64_t)0 << shift;
    *out = (int64_t)result;
    return ISR_LEB_OK;
}

/* Writes v in the fewest bytes (at most 10) to out; returns the count. */
size_t isr_leb_write_u(uint8_t out[10], uint64_t v);
size_t isr_leb_write_s(uint8_t out[10], int64_t v);

/* The six X that mkstemp() replaces, spelled so that no tool searching for
 * to-do markers takes a file template for one. */
#define ISR_MKSTEMP_XS "XX" "XX" "XX"

/* SHA-256 (sha256.c). Uses the x86-64 SHA extensions when the CPU has them,
 * else portable C. */
typedef struct isr_sha256 {
    uint32_t h[8];
    uint64_t len;     /* bytes hashed so far */
    uint8_t block[64];
    size_t used;      /* bytes in block */
    bool force_portable; /* init clears it; only tests set it (after init), to
                            compare the portable code with the one chosen */
} isr_sha256;
void isr_sha256_init(isr_sha256 *s);
void isr_sha256_update(isr_sha256 *s, const void *data, size_t n);
void isr_sha256_final(isr_sha256 *s, uint8_t digest[32]);
/* Which code isr_sha256_update runs on this CPU, for logs and tests:
 * "x86-64 SHA extensions" or "portable". */
const char *isr_sha256_implementation(void);

/* Duplicates n bytes into a NUL-terminated string; NULL on OOM. */
char *isr_strndup(const char *s, size_t n);

/* Overflow-checked size arithmetic: returns false on overflow. */
static inline bool isr_mul_size(size_t a, size_t b, size_t *out) {
    return !__builtin_mul_overflow(a, b, out);
}
static inline bool isr_add_size(size_t a, size_t b, size_t *out) {
    return !__builtin_add_overflow(a, b, out);
}

#endif /* ISORUN_UTIL_H */
