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

bool spec_value_parse(const json_value *v, bool is_expected, spec_value *out, char *err, size_t err_size) {
    const char *type_name = json_string(json_get(v, "type"), NULL);
    uint8_t type = spec_valtype_from_name(type_name);
    if (!type) {
        snprintf(err, err_size, "unknown value type \"%s\"", type_name ? type_name : "(missing)");
        return false;
    }
    if (type == WASM_V128) {
        snprintf(err, err_size, "v128 values cannot cross the engine's 64-bit value slots");
        return false;
    }
    *out = (spec_value){type, SPEC_MATCH_EXACT, 0};
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
            out->bits = n + 1;
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
    if (is_float && is_expected && strcmp(text, "nan:canonical") == 0) {
        out->match = SPEC_MATCH_NAN_CANONICAL;
        return true;
    }
    if (is_float && is_expected && strcmp(text, "nan:arithmetic") == 0) {
        out->match = SPEC_MATCH_NAN_ARITHMETIC;
        return true;
    }
    uint64_t max = (type == WASM_I32 || type == WASM_F32) ? UINT32_MAX : UINT64_MAX;
    if (!parse_unsigned(text, max, &out->bits)) {
        snprintf(err, err_size, "bad %s value \"%s\"", type_name, text);
        return false;
    }
    return true;
}

bool spec_value_matches(const spec_value *expected, uint8_t got_type, wasm_slot got) {
    if (expected->type != got_type) return false;
    switch (expected->match) {
    case SPEC_MATCH_EXACT:
        /* Full-slot comparison on purpose: wasm.h promises zeroed upper bits
         * for 32-bit results, and embedders rely on that. */
        return got == expected->bits;
    case SPEC_MATCH_NAN_CANONICAL:
        if (got_type == WASM_F32) return got <= UINT32_MAX && (got & 0x7fffffffu) == F32_EXP_AND_QUIET;
        return (got & 0x7fffffffffffffffull) == F64_EXP_AND_QUIET;
    case SPEC_MATCH_NAN_ARITHMETIC:
        if (got_type == WASM_F32) return got <= UINT32_MAX && (got & F32_EXP_AND_QUIET) == F32_EXP_AND_QUIET;
        return (got & F64_EXP_AND_QUIET) == F64_EXP_AND_QUIET;
    case SPEC_MATCH_NONNULL_REF:
        return got != 0;
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

void spec_value_format(const spec_value *v, char *buf, size_t size) {
    switch (v->match) {
    case SPEC_MATCH_EXACT: spec_slot_format(v->type, v->bits, buf, size); return;
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
