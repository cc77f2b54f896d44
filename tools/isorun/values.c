/* values.c — core wasm values as command-line text. */
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
        long long v = strtoll(text, &end, 0);
        long long min = bits == 64 ? INT64_MIN : -(1LL << (bits - 1));
        if (errno || *end || end == text || v < min) return false;
        *out = (uint64_t)v;
    } else {
        if (text[0] == '+' || text[0] == ' ') return false;
        unsigned long long v = strtoull(text, &end, 0);
        if (errno || *end || end == text || (bits < 64 && v >> bits)) return false;
        *out = (uint64_t)v;
    }
    if (bits < 64) *out &= (UINT64_C(1) << bits) - 1;
    return true;
}

bool value_parse(const char *text, uint8_t type, wasm_slot *out) {
    char *end;
    errno = 0;
    switch (type) {
    case WASM_I32:
        return parse_int(text, 32, out);
    case WASM_I64:
        return parse_int(text, 64, out);
    case WASM_F32: {
        float f = strtof(text, &end);
        if (*end || end == text) return false; /* ERANGE still gives inf/0: accept */
        uint32_t bits;
        memcpy(&bits, &f, 4);
        *out = bits;
        return true;
    }
    case WASM_F64: {
        double d = strtod(text, &end);
        if (*end || end == text) return false;
        uint64_t bits;
        memcpy(&bits, &d, 8);
        *out = bits;
        return true;
    }
    case WASM_FUNCREF:
    case WASM_EXTERNREF:
        if (strcmp(text, "null") != 0) return false;
        *out = 0;
        return true;
    default:
        return false;
    }
}

/* The shortest %.Ng that reads back to the same value. */
static void print_float(FILE *out, double v, bool single) {
    if (isnan(v)) {
        fputs(signbit(v) ? "-nan\n" : "nan\n", out);
        return;
    }
    if (isinf(v)) {
        fputs(v < 0 ? "-inf\n" : "inf\n", out);
        return;
    }
    char buf[64];
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v) break;
    }
    fprintf(out, "%s\n", buf);
}

void value_print(FILE *out, uint8_t type, wasm_slot v) {
    switch (type) {
    case WASM_I32:
        fprintf(out, "%" PRId32 "\n", (int32_t)(uint32_t)v);
        break;
    case WASM_I64:
        fprintf(out, "%" PRId64 "\n", (int64_t)v);
        break;
    case WASM_F32: {
        uint32_t bits = (uint32_t)v;
        float f;
        memcpy(&f, &bits, 4);
        print_float(out, f, true);
        break;
    }
    case WASM_F64: {
        double d;
        memcpy(&d, &v, 8);
        print_float(out, d, false);
        break;
    }
    case WASM_FUNCREF:
    case WASM_EXTERNREF:
        fputs(v ? "ref\n" : "null\n", out);
        break;
    default:
        fprintf(out, "<%s>\n", wasm_valtype_name(type));
        break;
    }
}
