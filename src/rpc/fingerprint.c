/* fingerprint.c — the protocol's hash (FNV-1a 64) and a function type's
 * fingerprint: the hash of its canonical text (docs/protocol.md), which both
 * ends of a call compute the same way without exchanging types. */
#include "rpc.h"

uint64_t rpc_fnv1a64(const void *p, size_t n) {
    /* FNV-1a, 64 bits: the protocol fixes this hash (protocol.md), so it is
     * spelled out here rather than borrowed from a layer that may change its
     * own hash for its own reasons. */
    const uint8_t *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

isorun_error *rpc_functype_fingerprint(const cm_functype *ft, uint64_t *out) {
    isr_buf b = {0};
    if (!cm_functype_print(&b, ft)) {
        isr_buf_free(&b);
        return isr_error_nomem();
    }
    *out = rpc_fnv1a64(b.data, b.len);
    isr_buf_free(&b);
    return NULL;
}
