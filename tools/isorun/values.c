/* values.c — core wasm values as command-line text (see values.h). */
#include "values.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Integers: a leading '-' reads as signed, otherwise unsigned; either way the
 * value must fit in `bits` as a signed or an unsigned number. */
static bool parse_int(const char *text, unsigned bits, uint64_t *out) {
    char *end;
    errno = 0;
    if (text[0] == '-') {
        if (!(text[1] >= '0' && text[1] <= '9')) return false;
        long long v = strtoll(text, &end, 0);
        long long min = bits == 64 ? INT64_MIN : -(1LL << (bits - 1));
        if (errno || *end || v < min) return false;
        *out = (uint64_t)v;
    } else {
        if (!(text[0] >= '0' && text[0] <= '9')) return false; /* strtoull takes " 1", "+1" and "-1" */
        unsigned long long v = strtoull(text, &end, 0);
        if (errno || *end || (bits < 64 && v >> bits)) return false;
        *out = (uint64_t)v;
    }
    if (bits < 64) *out &= (UINT64_C(1) << bits) - 1;
    return true;
}

/* "nan:0x..." with an optional sign: the bits of a NaN whose mantissa is
 * the payload (which must be non-zero and fit the mantissa). */
static bool parse_nan_payload(const char *text, unsigned mantissa_bits, unsigned total_bits, uint64_t *bits) {
    bool negative = text[0] == '-';
    if (text[0] == '-' || text[0] == '+') text++;
    if (strncmp(text, "nan:0x", 6) != 0 || !text[6]) return false;
    char *end;
    errno = 0;
    unsigned long long payload = strtoull(text + 6, &end, 16);
    if (errno || *end || payload == 0 || payload >> mantissa_bits) return false;
    uint64_t exponent = ((UINT64_C(1) << (total_bits - 1 - mantissa_bits)) - 1) << mantissa_bits;
    *bits = (negative ? UINT64_C(1) << (total_bits - 1) : 0) | exponent | payload;
    return true;
}

/* strtod/strtof accept leading spaces; a value on the command line should
 * not have them. */
static bool plausible_float(const char *text) {
    return text[0] && text[0] != ' ' && text[0] != '\t' && text[0] != '\n';
}

bool cli_value_parse(const char *text, isorun_kind kind, isorun_val *out) {
    char *end;
    uint64_t bits;
    switch (kind) {
    case ISORUN_I32:
        if (!parse_int(text, 32, &bits)) return false;
        *out = isorun_val_i32((int32_t)(uint32_t)bits);
        return true;
    case ISORUN_I64:
        if (!parse_int(text, 64, &bits)) return false;
        *out = isorun_val_i64((int64_t)bits);
        return true;
    case ISORUN_F32: {
        float f;
        if (parse_nan_payload(text, 23, 32, &bits)) {
            uint32_t b32 = (uint32_t)bits;
            memcpy(&f, &b32, 4);
        } else {
            if (!plausible_float(text)) return false;
            f = strtof(text, &end); /* out of range gives inf or 0, as a wasm literal would */
            if (*end || end == text) return false;
        }
        *out = isorun_val_f32(f);
        return true;
    }
    case ISORUN_F64: {
        double d;
        if (parse_nan_payload(text, 52, 64, &bits)) {
            memcpy(&d, &bits, 8);
        } else {
            if (!plausible_float(text)) return false;
            d = strtod(text, &end);
            if (*end || end == text) return false;
        }
        *out = isorun_val_f64(d);
        return true;
    }
    default:
        return false;
    }
}

/* A NaN: "nan" when its payload is the canonical one (only the top mantissa
 * bit), otherwise "nan:0x<payload>"; with a '-' when the sign bit is set. */
static void print_nan(FILE *out, bool negative, uint64_t payload, uint64_t canonical) {
    if (payload == canonical)
        fprintf(out, "%snan\n", negative ? "-" : "");
    else
        fprintf(out, "%snan:0x%" PRIx64 "\n", negative ? "-" : "", payload);
}

/* The shortest %.Ng that reads back to the same value. */
static void print_finite(FILE *out, double v, bool single) {
    char buf[64];
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v) break;
    }
    fprintf(out, "%s\n", buf);
}

void cli_value_print(FILE *out, const isorun_val *v) {
    switch (v->kind) {
    case ISORUN_I32:
        fprintf(out, "%" PRId32 "\n", v->of.i32);
        break;
    case ISORUN_I64:
        fprintf(out, "%" PRId64 "\n", v->of.i64);
        break;
    case ISORUN_F32: {
        uint32_t bits;
        memcpy(&bits, &v->of.f32, 4);
        if (isnan(v->of.f32))
            print_nan(out, bits >> 31, bits & 0x7FFFFFu, 0x400000u);
        else if (isinf(v->of.f32))
            fputs(v->of.f32 < 0 ? "-inf\n" : "inf\n", out);
        else
            print_finite(out, v->of.f32, true);
        break;
    }
    case ISORUN_F64: {
        uint64_t bits;
        memcpy(&bits, &v->of.f64, 8);
        if (isnan(v->of.f64))
            print_nan(out, bits >> 63, bits & ((UINT64_C(1) << 52) - 1), UINT64_C(1) << 51);
        else if (isinf(v->of.f64))
            fputs(v->of.f64 < 0 ? "-inf\n" : "inf\n", out);
        else
            print_finite(out, v->of.f64, false);
        break;
    }
    default:
        fprintf(out, "<%s>\n", isorun_kind_name(v->kind));
        break;
    }
}
