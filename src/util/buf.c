/* buf.c — growable byte buffers and typed arrays, overflow-checked. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool isr_grow_array(void **pp, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return false;
        ncap *= 2;
    }
    size_t bytes;
    if (!isr_mul_size(ncap, elem, &bytes)) return false;
    void *p = realloc(*pp, bytes);
    if (!p) return false;
    *pp = p;
    *cap = ncap;
    return true;
}

bool isr_buf_reserve(isr_buf *b, size_t extra) {
    size_t need;
    if (!isr_add_size(b->len, extra, &need)) return false;
    return isr_grow_array((void **)&b->data, &b->cap, need, 1);
}

bool isr_buf_append(isr_buf *b, const void *p, size_t n) {
    if (!isr_buf_reserve(b, n)) return false;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    return true;
}

bool isr_buf_printf(isr_buf *b, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !isr_buf_reserve(b, (size_t)n + 1)) {
        va_end(ap2);
        return false;
    }
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return true;
}

void isr_buf_free(isr_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *isr_strndup(const char *s, size_t n) {
    char *r = malloc(n + 1);
    if (!r) return NULL;
    if (n) memcpy(r, s, n);
    r[n] = 0;
    return r;
}
