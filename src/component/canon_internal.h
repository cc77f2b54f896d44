/*
 * canon_internal.h — what the canonical ABI's files (canon_layout.c,
 * canon_lift.c, canon_lower.c) share. Private to them: component.h is the
 * layer's face.
 */
#ifndef ISORUN_CANON_INTERNAL_H
#define ISORUN_CANON_INTERNAL_H

#include "component.h"

#include <inttypes.h>

/* The trap for a value the guest made that the ABI forbids (misaligned
 * pointer, invalid UTF-8, discriminant out of range, bad char). */
#define CANON_TRAP_INVALID ISORUN_TRAP_INVALID_VALUE

/* One lift or lower in progress: the memory and its current view. */
typedef struct canon_cx {
    const cm_memory *mem; /* NULL when the caller gave none */
    uint8_t *base;
    uint64_t size;
    uint64_t budget; /* lift: bytes of memory ranges that may still be read */
} canon_cx;

/* Refreshes base and size from the memory (none: size 0). */
static inline void canon_view(canon_cx *cx) {
    cx->base = NULL;
    cx->size = 0;
    if (cx->mem && cx->mem->view) cx->mem->view(cx->mem->env, &cx->base, &cx->size);
    if (!cx->base) cx->size = 0;
}

static inline bool canon_is_variant_like(isorun_kind k) {
    return k == ISORUN_VARIANT || k == ISORUN_ENUM || k == ISORUN_OPTION || k == ISORUN_RESULT;
}

/* Whether [ptr, ptr + len) lies inside the current view (64-bit sums: ptr
 * and len are at most 2^32 each, so nothing wraps). */
static inline bool canon_in_bounds(const canon_cx *cx, uint64_t ptr, uint64_t len) {
    return ptr <= cx->size && len <= cx->size - ptr;
}

/* The traps for a guest pointer outside its memory, and for one that is not
 * aligned for what it points to ("<what> pointer 0x..."). */
static inline isorun_error *canon_out_of_bounds(const canon_cx *cx, const char *what, uint64_t ptr, uint64_t len) {
    return isr_trap(ISORUN_TRAP_MEMORY_OOB,
                    "canonical ABI: %s at 0x%" PRIx64 " (%" PRIu64 " bytes) is outside the guest's memory (%" PRIu64
                    " bytes)",
                    what, ptr, len, cx->size);
}

static inline isorun_error *canon_misaligned(const char *what, uint64_t ptr, uint32_t align) {
    return isr_trap(CANON_TRAP_INVALID, "canonical ABI: %s pointer 0x%" PRIx64 " is not %u-byte aligned", what, ptr,
                    align);
}

/* The case name of variant-like a's case i, for messages. */
static inline const char *canon_case_name(const cm_abi *a, uint32_t i) {
    switch (a->type->kind) {
    case ISORUN_OPTION: return i ? "some" : "none";
    case ISORUN_RESULT: return i ? "error" : "ok";
    default: return a->type->names ? a->type->names[i] : "?";
    }
}

#endif /* ISORUN_CANON_INTERNAL_H */
