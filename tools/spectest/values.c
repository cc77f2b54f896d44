/* values.c — parsing, matching and printing spec test values. */
#include "values.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const uint32_t F32_EXP_AND_QUIET = 0x7fc00000u;
static const uint64_t F64_EXP_AND_QUIET = 0x7ff8000000000000ull;

uint8_t spec_valtype_from_name(const char *name) {
    static const struct {
        const char *name;
        uint8_t type;
    } names[] = {
        {"i32", WASM_I32}, {"i64", WASM_I64},         {"f32", WASM_F32},
        {"f64", WASM_F64}, {"funcref", WASM_FUNCREF}, {"externref", WASM_EXTERNREF},
        {"v128", WASM_V128},
    };
    if (!name) return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) return names[i].type;
    return 0;
}

/* Strict unsigned decimal: digits only, no sign, no overflow past max. */
static bool parse_unsigned(const char *s, uint64_t max, uint64_t *out) {
    if (!s || !*s) return false;
    uint64_t n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        if (n > (max - d) / 10) return false;
        n = n * 10 + d;
    }
    *out = n;
    return true;
}

/* The six ways to cut a v128 into lanes; indexed by spec_lanes. */
static const struct lane_shape {
    const char *lane_type; /* as the JSON's "lane_type" says it */
    const char *name;      /* as failure messages say it */
    unsigned count;
    unsigned width; /* bits per lane */
    bool is_float;
} LANE_SHAPES[] = {
    [SPEC_LANES_I8X16] = {"i8", "i8x16", 16, 8, false},
    [SPEC_LANES_I16X8] = {"i16", "i16x8", 8, 16, false},
    [SPEC_LANES_I32X4] = {"i32", "i32x4", 4, 32, false},
    [SPEC_LANES_I64X2] = {"i64", "i64x2", 2, 64, false},
    [SPEC_LANES_F32X4] = {"f32", "f32x4", 4, 32, true},
    [SPEC_LANES_F64X2] = {"f64", "f64x2", 2, 64, true},
};

static uint64_t lane_mask(const struct lane_shape *shape) {
    return shape->width == 64 ? UINT64_MAX : (UINT64_C(1) << shape->width) - 1;
}

/* Lane i starts at bit i * width of the 128-bit little-endian value, so it
 * never straddles the two slots. */
static uint64_t lane_get(const wasm_slot bits[2], const struct lane_shape *shape, unsigned i) {
    unsigned offset = i * shape->width;
    return (bits[offset / 64] >> (offset % 64)) & lane_mask(shape);
}

static void lane_set(wasm_slot bits[2], const struct lane_shape *shape, unsigned i, uint64_t value) {
    unsigned offset = i * shape->width;
    bits[offset / 64] |= (value & lane_mask(shape)) << (offset % 64);
}

/* Whether bits, a 32- or 64-bit float, is a NaN of the kind pattern names. */
static bool nan_matches(spec_match pattern, unsigned width, uint64_t bits) {
    uint64_t exp_and_quiet = width == 32 ? F32_EXP_AND_QUIET : F64_EXP_AND_QUIET;
    uint64_t sign = width == 32 ? UINT64_C(0x80000000) : UINT64_C(0x8000000000000000);
    if (pattern == SPEC_MATCH_NAN_CANONICAL) return (bits & ~sign) == exp_and_quiet;
    return (bits & exp_and_quiet) == exp_and_quiet;
}

/* "nan:canonical" / "nan:arithmetic" as a match, or EXACT for anything else. */
static spec_match nan_pattern(const char *text) {
    if (strcmp(text, "nan:canonical") == 0) return SPEC_MATCH_NAN_CANONICAL;
    if (strcmp(text, "nan:arithmetic") == 0) return SPEC_MATCH_NAN_ARITHMETIC;
    return SPEC_MATCH_EXACT;
}

static bool parse_v128(const json_value *v, bool is_expected, spec_value *out, char *err, size_t err_size) {
    const char *lane_type = json_string(json_get(v, "lane_type"), NULL);
    const struct lane_shape *shape = NULL;
    for (size_t i = 0; lane_type && i < sizeof LANE_SHAPES / sizeof LANE_SHAPES[0]; i++) {
        if (strcmp(lane_type, LANE_SHAPES[i].lane_type) == 0) {
            shape = &LANE_SHAPES[i];
            out->lanes = (spec_lanes)i;
        }
    }
    if (!shape) {
        snprintf(err, err_size, "v128 value with %s lane_type \"%s\"", lane_type ? "unknown" : "no",
                 lane_type ? lane_type : "");
        return false;
    }
    const json_value *lanes = json_get(v, "value");
    if (!lanes || lanes->kind != JSON_ARRAY || json_array_count(lanes) != shape->count) {
        snprintf(err, err_size, "v128 %s value is not an array of %u lane strings", shape->name, shape->count);
        return false;
    }
    for (unsigned i = 0; i < shape->count; i++) {
        const char *text = json_string(json_array_item(lanes, i), NULL);
        spec_match pattern = text && shape->is_float && is_expected ? nan_pattern(text) : SPEC_MATCH_EXACT;
        uint64_t n;
        if (pattern != SPEC_MATCH_EXACT) {
            out->lane_match[i] = (uint8_t)pattern;
        } else if (text && parse_unsigned(text, lane_mask(shape), &n)) {
            lane_set(out->bits, shape, i, n);
        } else {
            snprintf(err, err_size, "bad v128 %s lane %u \"%s\"", shape->name, i, text ? text : "(not a string)");
            return false;
        }
    }
    return true;
}

bool spec_value_parse(const json_value *v, bool is_expected, spec_value *out, char *err, size_t err_size) {
    const char *type_name = json_string(json_get(v, "type"), NULL);
    uint8_t type = spec_valtype_from_name(type_name);
    if (!type) {
        snprintf(err, err_size, "unknown value type \"%s\"", type_name ? type_name : "(missing)");
        return false;
    }
    *out = (spec_value){.type = type, .match = SPEC_MATCH_EXACT};
    if (type == WASM_V128) return parse_v128(v, is_expected, out, err, err_size);
    const char *text = json_string(json_get(v, "value"), NULL);
    bool is_ref = type == WASM_FUNCREF || type == WASM_EXTERNREF;
    if (!text) {
        /* A reference expectation without a value stands for "some non-null
         * reference" (the text format's (ref.func) / (ref.extern)). */
        if (is_ref && is_expected) {
            out->match = SPEC_MATCH_NONNULL_REF;
            return true;
        }
        snprintf(err, err_size, "%s value without a \"value\" string", type_name);
        return false;
    }
    if (is_ref) {
        if (strcmp(text, "null") == 0) return true; /* slot 0 */
        uint64_t n;
        if (!parse_unsigned(text, UINT64_MAX - 1, &n)) {
            snprintf(err, err_size, "bad %s value \"%s\"", type_name, text);
            return false;
        }
        if (type == WASM_EXTERNREF) {
            out->bits[0] = n + 1;
            return true;
        }
        if (!is_expected) {
            snprintf(err, err_size, "a non-null funcref argument cannot be made by the host");
            return false;
        }
        out->match = SPEC_MATCH_NONNULL_REF;
        return true;
    }
    bool is_float = type == WASM_F32 || type == WASM_F64;
    spec_match pattern = is_float && is_expected ? nan_pattern(text) : SPEC_MATCH_EXACT;
    if (pattern != SPEC_MATCH_EXACT) {
        out->match = pattern;
        return true;
    }
    uint64_t max = (type == WASM_I32 || type == WASM_F32) ? UINT32_MAX : UINT64_MAX;
    if (!parse_unsigned(text, max, &out->bits[0])) {
        snprintf(err, err_size, "bad %s value \"%s\"", type_name, text);
        return false;
    }
    return true;
}

static bool v128_matches(const spec_value *expected, const wasm_slot got[2]) {
    const struct lane_shape *shape = &LANE_SHAPES[expected->lanes];
    for (unsigned i = 0; i < shape->count; i++) {
        uint64_t lane = lane_get(got, shape, i);
        spec_match pattern = (spec_match)expected->lane_match[i];
        bool ok = pattern == SPEC_MATCH_EXACT ? lane == lane_get(expected->bits, shape, i)
                                              : nan_matches(pattern, shape->width, lane);
        if (!ok) return false;
    }
    return true;
}

bool spec_value_matches(const spec_value *expected, uint8_t got_type, const wasm_slot *got) {
    if (expected->type != got_type) return false;
    if (got_type == WASM_V128) return v128_matches(expected, got);
    switch (expected->match) {
    case SPEC_MATCH_EXACT:
        /* Full-slot comparison on purpose: wasm.h promises zeroed upper bits
         * for 32-bit results, and embedders rely on that. */
        return got[0] == expected->bits[0];
    case SPEC_MATCH_NAN_CANONICAL:
    case SPEC_MATCH_NAN_ARITHMETIC:
        if (got_type == WASM_F32) return got[0] <= UINT32_MAX && nan_matches(expected->match, 32, got[0]);
        return nan_matches(expected->match, 64, got[0]);
    case SPEC_MATCH_NONNULL_REF:
        return got[0] != 0;
    }
    return false;
}

void spec_slot_format(uint8_t type, wasm_slot bits, char *buf, size_t size) {
    switch (type) {
    case WASM_I32:
        if (bits > UINT32_MAX) {
            snprintf(buf, size, "i32:%" PRIu32 " (slot 0x%016" PRIx64 ", upper bits not zero)", (uint32_t)bits,
                     bits);
        } else if ((int32_t)bits < 0) {
            snprintf(buf, size, "i32:%" PRIu32 " (%" PRId32 ")", (uint32_t)bits, (int32_t)bits);
        } else {
            snprintf(buf, size, "i32:%" PRIu32, (uint32_t)bits);
        }
        return;
    case WASM_I64:
        if ((int64_t)bits < 0) snprintf(buf, size, "i64:%" PRIu64 " (%" PRId64 ")", bits, (int64_t)bits);
        else snprintf(buf, size, "i64:%" PRIu64, bits);
        return;
    case WASM_F32: {
        float f;
        uint32_t b = (uint32_t)bits;
        memcpy(&f, &b, sizeof f);
        if (bits > UINT32_MAX) {
            snprintf(buf, size, "f32:%.9g [0x%08" PRIx32 "] (slot 0x%016" PRIx64 ", upper bits not zero)",
                     (double)f, b, bits);
        } else {
            snprintf(buf, size, "f32:%.9g [0x%08" PRIx32 "]", (double)f, b);
        }
        return;
    }
    case WASM_F64: {
        double d;
        memcpy(&d, &bits, sizeof d);
        snprintf(buf, size, "f64:%.17g [0x%016" PRIx64 "]", d, bits);
        return;
    }
    case WASM_FUNCREF:
        if (bits) snprintf(buf, size, "funcref:%#" PRIx64, bits);
        else snprintf(buf, size, "funcref:null");
        return;
    case WASM_EXTERNREF:
        /* Undo the +1 of the mapping so the number reads as in the .wast. */
        if (bits) snprintf(buf, size, "externref:%" PRIu64, bits - 1);
        else snprintf(buf, size, "externref:null");
        return;
    default:
        snprintf(buf, size, "%s:0x%016" PRIx64, wasm_valtype_name(type), bits);
        return;
    }
}

/* "v128:<shape>:<lane> <lane> ...": integer lanes as the unsigned decimal
 * the JSON uses, float lanes as their bits and value, and a NaN pattern
 * where lane_match (NULL = all exact) has one. */
static void format_v128(const wasm_slot bits[2], spec_lanes lanes, const uint8_t *lane_match, char *buf,
                        size_t size) {
    const struct lane_shape *shape = &LANE_SHAPES[lanes];
    size_t o = (size_t)snprintf(buf, size, "v128:%s:", shape->name);
    for (unsigned i = 0; i < shape->count && o < size; i++) {
        uint64_t lane = lane_get(bits, shape, i);
        spec_match pattern = lane_match ? (spec_match)lane_match[i] : SPEC_MATCH_EXACT;
        const char *sep = i ? " " : "";
        int n;
        if (pattern == SPEC_MATCH_NAN_CANONICAL) {
            n = snprintf(buf + o, size - o, "%snan:canonical", sep);
        } else if (pattern == SPEC_MATCH_NAN_ARITHMETIC) {
            n = snprintf(buf + o, size - o, "%snan:arithmetic", sep);
        } else if (shape->is_float && shape->width == 32) {
            float f;
            uint32_t b = (uint32_t)lane;
            memcpy(&f, &b, sizeof f);
            n = snprintf(buf + o, size - o, "%s0x%08" PRIx32 "(%.9g)", sep, b, (double)f);
        } else if (shape->is_float) {
            double d;
            memcpy(&d, &lane, sizeof d);
            n = snprintf(buf + o, size - o, "%s0x%016" PRIx64 "(%.17g)", sep, lane, d);
        } else {
            n = snprintf(buf + o, size - o, "%s%" PRIu64, sep, lane);
        }
        o += (size_t)n;
    }
}

void spec_v128_format(const wasm_slot bits[2], spec_lanes lanes, char *buf, size_t size) {
    format_v128(bits, lanes, NULL, buf, size);
}

void spec_value_format(const spec_value *v, char *buf, size_t size) {
    if (v->type == WASM_V128) {
        format_v128(v->bits, v->lanes, v->lane_match, buf, size);
        return;
    }
    switch (v->match) {
    case SPEC_MATCH_EXACT: spec_slot_format(v->type, v->bits[0], buf, size); return;
    case SPEC_MATCH_NAN_CANONICAL:
        snprintf(buf, size, "%s:nan:canonical", v->type == WASM_F32 ? "f32" : "f64");
        return;
    case SPEC_MATCH_NAN_ARITHMETIC:
        snprintf(buf, size, "%s:nan:arithmetic", v->type == WASM_F32 ? "f32" : "f64");
        return;
    case SPEC_MATCH_NONNULL_REF:
        snprintf(buf, size, "%s:non-null", v->type == WASM_FUNCREF ? "funcref" : "externref");
        return;
    }
    snprintf(buf, size, "?");
}
