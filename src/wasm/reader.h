/*
 * reader.h — bounds-checked reading of the WebAssembly binary format (LEB128,
 * fixed-width floats, bytes, names) and of one instruction with its immediates.
 * Shared by the decoder, the validator and the compiler. Private to src/wasm.
 */
#ifndef ISORUN_WASM_READER_H
#define ISORUN_WASM_READER_H

#include "wasm.h"

#include <string.h>

typedef struct wasm_reader {
    const uint8_t *base; /* start of the whole module binary (offsets are from here) */
    const uint8_t *p;
    const uint8_t *end;
    const char *error; /* first failure's reason (static string), NULL if none */
    size_t error_offset;
} wasm_reader;

static inline void wasm_reader_init(wasm_reader *r, const uint8_t *base, const uint8_t *p, const uint8_t *end) {
    r->base = base;
    r->p = p;
    r->end = end;
    r->error = NULL;
    r->error_offset = 0;
}

static inline size_t wasm_reader_offset(const wasm_reader *r) { return (size_t)(r->p - r->base); }

/* Records the first failure; returns false so callers can `return wasm_fail(...)`. */
static inline bool wasm_fail(wasm_reader *r, const char *why) {
    if (!r->error) {
        r->error = why;
        r->error_offset = wasm_reader_offset(r);
    }
    return false;
}

static inline bool wasm_read_u8(wasm_reader *r, uint8_t *out) {
    if (r->p >= r->end) return wasm_fail(r, "unexpected end");
    *out = *r->p++;
    return true;
}

/* The binary format's messages for a LEB128 failure. */
static inline bool wasm_leb_fail(wasm_reader *r, isr_leb_status st) {
    if (st == ISR_LEB_END) return wasm_fail(r, "unexpected end");
    return wasm_fail(r, st == ISR_LEB_TOO_LONG ? "integer representation too long" : "integer too large");
}

/* Unsigned LEB128 of at most `bits` bits (32 or 64). */
static inline bool wasm_read_uleb(wasm_reader *r, unsigned bits, uint64_t *out) {
    isr_leb_status st = isr_leb_read_u(&r->p, r->end, bits, out);
    return st == ISR_LEB_OK || wasm_leb_fail(r, st);
}

/* Signed LEB128 of at most `bits` bits (32, 33 or 64). */
static inline bool wasm_read_sleb(wasm_reader *r, unsigned bits, int64_t *out) {
    isr_leb_status st = isr_leb_read_s(&r->p, r->end, bits, out);
    return st == ISR_LEB_OK || wasm_leb_fail(r, st);
}

static inline bool wasm_read_u32(wasm_reader *r, uint32_t *out) {
    uint64_t v;
    if (!wasm_read_uleb(r, 32, &v)) return false;
    *out = (uint32_t)v;
    return true;
}

static inline bool wasm_read_bytes(wasm_reader *r, size_t n, const uint8_t **out) {
    if ((size_t)(r->end - r->p) < n) return wasm_fail(r, "unexpected end");
    *out = r->p;
    r->p += n;
    return true;
}

static inline bool wasm_read_f32(wasm_reader *r, uint32_t *out) {
    const uint8_t *b;
    if (!wasm_read_bytes(r, 4, &b)) return false;
    *out = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static inline bool wasm_read_f64(wasm_reader *r, uint64_t *out) {
    const uint8_t *b;
    if (!wasm_read_bytes(r, 8, &b)) return false;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
    *out = v;
    return true;
}

/* Block types. */
typedef enum wasm_blocktype_kind { WASM_BT_EMPTY, WASM_BT_VAL, WASM_BT_TYPE } wasm_blocktype_kind;
typedef struct wasm_blocktype {
    uint8_t kind;    /* wasm_blocktype_kind */
    uint8_t val;     /* WASM_BT_VAL: the single result type */
    uint32_t type;   /* WASM_BT_TYPE: type index */
} wasm_blocktype;

/* One decoded instruction. */
typedef struct wasm_instr {
    uint16_t op;     /* wasm_op */
    size_t offset;   /* offset of the opcode byte in the module */
    union {
        wasm_blocktype block;
        uint32_t idx;
        struct {
            uint32_t align, offset;
            uint8_t lane; /* MEMLANE<n> only */
        } mem;
        uint8_t lane;          /* LANE<n> */
        const uint8_t *bytes;  /* V128, SHUFFLE: 16 bytes in the module */
        struct {
            uint32_t a, b;
        } pair;
        struct {
            uint32_t count;          /* number of targets, not counting the default */
            const uint8_t *targets;  /* count+1 LEB128 u32s: read with wasm_reader */
            const uint8_t *end;      /* end of the vector */
        } br_table;
        int32_t i32;
        int64_t i64;
        uint32_t f32;
        uint64_t f64;
        uint8_t reftype;
        struct {
            uint32_t count;
            uint8_t type;
        } select_t;
    } imm;
} wasm_instr;

/* Reads one instruction and its immediates (syntax only: indices are not
 * checked against the module). Malformed input ("illegal opcode", bad
 * LEB128, non-zero reserved bytes, ...) fails with r->error set. */
bool wasm_read_instr(wasm_reader *r, wasm_instr *out);

/* log2 of the bytes a load or store instruction (memarg immediate) accesses,
 * which is also its natural alignment. */
unsigned wasm_op_access_log2(const wasm_opinfo *info);

/* True for the value types of WebAssembly 2.0. */
static inline bool wasm_is_valtype(uint8_t t) {
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64 || t == WASM_V128 ||
           t == WASM_FUNCREF || t == WASM_EXTERNREF;
}
static inline bool wasm_is_reftype(uint8_t t) { return t == WASM_FUNCREF || t == WASM_EXTERNREF; }

#endif /* ISORUN_WASM_READER_H */
