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
