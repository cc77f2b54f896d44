/* leb128.c — LEB128 encoding (decoding is inline in util.h: it sits on the
 * decoder's hot path). */
#include "util.h"

size_t isr_leb_write_u(uint8_t out[10], uint64_t v) {
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        if (v) byte |= 0x80;
        out[n++] = byte;
    } while (v);
    return n;
}

size_t isr_leb_write_s(uint8_t out[10], int64_t v) {
    size_t n = 0;
    for (;;) {
        uint8_t byte = (uint8_t)(v & 0x7F);
        /* Arithmetic shift: the sign carries into the next group. */
        v = (int64_t)((uint64_t)v >> 7) | (v < 0 ? (int64_t)(~(~(uint64_t)0 >> 7)) : 0);
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        if (!done) byte |= 0x80;
        out[n++] = byte;
        if (done) return n;
    }
}
