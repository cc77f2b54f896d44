/*
 * values.h — WebAssembly values as the spec test commands write them, and how
 * they map onto the engine's 64-bit slots.
 *
 * wast2json writes every value as {"type": T, "value": S}: i32/i64 as the
 * unsigned decimal of their bits, f32/f64 as the unsigned decimal of their
 * IEEE bit pattern (or "nan:canonical" / "nan:arithmetic" in expectations),
 * references as "null" or a number. A host reference N becomes the externref
 * slot N + 1, so that (ref.extern 0) is not mistaken for null (slot 0).
 *
 * A v128 is {"type": "v128", "lane_type": L, "value": [lane, ...]}: one
 * unsigned decimal string per lane of shape L (i8 = 16 lanes, ..., f64 = 2),
 * where an expected f32/f64 lane may also be a NaN pattern. It takes two
 * slots, bytes 0-7 (little-endian) then bytes 8-15, as in wasm.h.
 */
#ifndef ISORUN_SPECTEST_VALUES_H
#define ISORUN_SPECTEST_VALUES_H

#include "json.h"
#include "wasm/wasm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum spec_match {
    SPEC_MATCH_EXACT,          /* slot bits must be equal */
    SPEC_MATCH_NAN_CANONICAL,  /* f32/f64: a NaN with only the quiet bit in its payload */
    SPEC_MATCH_NAN_ARITHMETIC, /* f32/f64: any NaN with the quiet bit set */
    SPEC_MATCH_NONNULL_REF,    /* funcref: any non-null reference (identity is not comparable) */
} spec_match;

/* How a v128 is cut into lanes ("lane_type" in the JSON). */
typedef enum spec_lanes {
    SPEC_LANES_I8X16,
    SPEC_LANES_I16X8,
    SPEC_LANES_I32X4,
    SPEC_LANES_I64X2,
    SPEC_LANES_F32X4,
    SPEC_LANES_F64X2,
} spec_lanes;

#define SPEC_V128_MAX_LANES 16

typedef struct spec_value {
    uint8_t type; /* wasm_valtype */
    spec_match match; /* for a v128 always EXACT: its lanes carry the match */
    wasm_slot bits[2]; /* bits[0] for every type; bits[1] only for a v128 */
    /* v128 only: the lane shape, and how each lane is matched (EXACT or a
     * NaN pattern; a NaN lane's bits are zero). */
    spec_lanes lanes;
    uint8_t lane_match[SPEC_V128_MAX_LANES]; /* spec_match */
} spec_value;

/* Reads an argument (is_expected = false: only exact values) or an expected
 * result (NaN patterns and reference wildcards allowed). On failure writes
 * the reason to err and returns false. */
bool spec_value_parse(const json_value *v, bool is_expected, spec_value *out, char *err, size_t err_size);

/* True when a result of type got_type satisfies expected; got points to the
 * result's wasm_valtype_slots(got_type) slots. */
bool spec_value_matches(const spec_value *expected, uint8_t got_type, const wasm_slot *got);

/* Human-readable forms for failure messages, e.g. "i32:4294967295 (-1)",
 * "f32:nan:canonical", "externref:3", "v128:i32x4:1 2 3 4". */
void spec_value_format(const spec_value *v, char *buf, size_t size);
/* A one-slot value (any type but v128). */
void spec_slot_format(uint8_t type, wasm_slot bits, char *buf, size_t size);
/* A v128's two slots, cut into the given lanes. */
void spec_v128_format(const wasm_slot bits[2], spec_lanes lanes, char *buf, size_t size);

/* The value type named by a wast2json type string ("i32", "funcref", ...),
 * or 0 when unknown. */
uint8_t spec_valtype_from_name(const char *name);

#endif /* ISORUN_SPECTEST_VALUES_H */
