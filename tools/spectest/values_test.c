/* values_test.c — checks how the spec runner reads, matches and prints
 * values, v128 above all: the lane layout in the two slots, NaN patterns per
 * lane, and the inputs it must refuse. */
#include "values.h"

#include <stdio.h>
#include <string.h>

#include "test_check.h"

/* Parses one value written as wast2json writes it; false (with the reason in
 * err) when spec_value_parse refuses it. */
static bool parse_value(const char *doc, bool is_expected, spec_value *out, char *err, size_t err_size) {
    json_value *v = json_parse(doc, strlen(doc), err, err_size);
    if (!v) {
        fprintf(stderr, "test input is not JSON: %s: %s\n", doc, err);
        failures++;
        return false;
    }
    memset(out, 0xA5, sizeof *out); /* every field must be written by the parser */
    bool ok = spec_value_parse(v, is_expected, out, err, err_size);
    json_free(v);
    return ok;
}

static spec_value expect_parse(const char *doc, bool is_expected) {
    spec_value v;
    char err[200];
    if (!parse_value(doc, is_expected, &v, err, sizeof err)) {
        fprintf(stderr, "refused %s: %s\n", doc, err);
        failures++;
        memset(&v, 0, sizeof v);
    }
    return v;
}

static void expect_refused(const char *doc, bool is_expected) {
    spec_value v;
    char err[200] = "";
    bool ok = parse_value(doc, is_expected, &v, err, sizeof err);
    if (ok) fprintf(stderr, "accepted %s\n", doc);
    CHECK(!ok);
    CHECK(err[0] != '\0');
}

static void expect_format(const spec_value *v, const char *want) {
    char got[512];
    spec_value_format(v, got, sizeof got);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "format: got \"%s\", want \"%s\"\n", got, want);
        failures++;
    }
}

static bool v128_matches(const spec_value *expected, wasm_slot lo, wasm_slot hi) {
    wasm_slot got[2] = {lo, hi};
    return spec_value_matches(expected, WASM_V128, got);
}

/* Each lane shape puts lane i at bits [i * width, (i + 1) * width) of the
 * little-endian 128-bit value: slot 0 holds bytes 0-7, slot 1 bytes 8-15. */
static void test_lane_layout(void) {
    spec_value v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"1\", \"2\", \"3\", \"4\", "
                                "\"5\", \"6\", \"7\", \"8\", \"9\", \"10\", \"11\", \"12\", \"13\", \"14\", \"15\", "
                                "\"255\"]}",
                                false);
    CHECK(v.type == WASM_V128 && v.lanes == SPEC_LANES_I8X16);
    CHECK(v.bits[0] == 0x0807060504030201ull && v.bits[1] == 0xff0f0e0d0c0b0a09ull);
    expect_format(&v, "v128:i8x16:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 255");

    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"1\", \"2\", \"3\", \"4\", \"5\", "
                     "\"6\", \"7\", \"65535\"]}",
                     false);
    CHECK(v.lanes == SPEC_LANES_I16X8);
    CHECK(v.bits[0] == 0x0004000300020001ull && v.bits[1] == 0xffff000700060005ull);
    expect_format(&v, "v128:i16x8:1 2 3 4 5 6 7 65535");

    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\", \"2\", \"3\", "
                     "\"4294967295\"]}",
                     true);
    CHECK(v.lanes == SPEC_LANES_I32X4);
    CHECK(v.bits[0] == 0x0000000200000001ull && v.bits[1] == 0xffffffff00000003ull);
    expect_format(&v, "v128:i32x4:1 2 3 4294967295");

    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": [\"18446744073709551615\", \"2\"]}",
                     false);
    CHECK(v.lanes == SPEC_LANES_I64X2);
    CHECK(v.bits[0] == 0xffffffffffffffffull && v.bits[1] == 2);
    expect_format(&v, "v128:i64x2:18446744073709551615 2");

    /* 1.0, -1.0, 0.0, +inf */
    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"1065353216\", \"3212836864\", "
                     "\"0\", \"2139095040\"]}",
                     false);
    CHECK(v.lanes == SPEC_LANES_F32X4);
    CHECK(v.bits[0] == 0xbf8000003f800000ull && v.bits[1] == 0x7f80000000000000ull);
    expect_format(&v, "v128:f32x4:0x3f800000(1) 0xbf800000(-1) 0x00000000(0) 0x7f800000(inf)");

    /* 1.0, -0.0 */
    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"f64\", \"value\": [\"4607182418800017408\", "
                     "\"9223372036854775808\"]}",
                     false);
    CHECK(v.lanes == SPEC_LANES_F64X2);
    CHECK(v.bits[0] == 0x3ff0000000000000ull && v.bits[1] == 0x8000000000000000ull);
    expect_format(&v, "v128:f64x2:0x3ff0000000000000(1) 0x8000000000000000(-0)");
}

/* Exact v128 expectations compare all 16 bytes, whatever the lane shape. */
static void test_exact_match(void) {
    spec_value v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"1\", \"2\", \"3\", "
                                "\"4\", \"5\", \"6\", \"7\", \"8\"]}",
                                true);
    wasm_slot lo = 0x0004000300020001ull, hi = 0x0008000700060005ull;
    CHECK(v128_matches(&v, lo, hi));
    for (unsigned bit = 0; bit < 64; bit++) {
        CHECK(!v128_matches(&v, lo ^ (1ull << bit), hi));
        CHECK(!v128_matches(&v, lo, hi ^ (1ull << bit)));
    }
    CHECK(!v128_matches(&v, hi, lo)); /* slot order matters */
    wasm_slot as_i32 = lo;
    CHECK(!spec_value_matches(&v, WASM_I64, &as_i32)); /* the type must match too */

    /* An all-exact f32x4 is matched bit for bit: -0.0 is not 0.0, a NaN only
     * equals the same NaN. */
    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"0\", \"2143289344\", \"0\", "
                     "\"0\"]}",
                     true);
    CHECK(v128_matches(&v, 0x7fc0000000000000ull, 0));
    CHECK(!v128_matches(&v, 0x7fc0000080000000ull, 0));
    CHECK(!v128_matches(&v, 0x7fc0000100000000ull, 0));
}

static void test_nan_lanes(void) {
    spec_value v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", "
                                "\"nan:arithmetic\", \"0\", \"1065353216\"]}",
                                true);
    expect_format(&v, "v128:f32x4:nan:canonical nan:arithmetic 0x00000000(0) 0x3f800000(1)");
    const wasm_slot hi = 0x3f80000000000000ull; /* lanes 2 and 3: 0.0, 1.0 */
    CHECK(v128_matches(&v, 0x7fc000007fc00000ull, hi));
    CHECK(v128_matches(&v, 0xffc00000ffc00000ull, hi)); /* either sign */
    CHECK(v128_matches(&v, 0x7fffffff7fc00000ull, hi)); /* arithmetic: any payload with the quiet bit */
    CHECK(v128_matches(&v, 0xffc000017fc00000ull, hi));
    CHECK(!v128_matches(&v, 0x7fc000007fc00001ull, hi)); /* canonical: no other payload bit */
    CHECK(!v128_matches(&v, 0x7fc000007fe00000ull, hi));
    CHECK(!v128_matches(&v, 0x7fc000007f800001ull, hi)); /* a signalling NaN is not canonical */
    CHECK(!v128_matches(&v, 0x7f8000017fc00000ull, hi)); /* nor arithmetic */
    CHECK(!v128_matches(&v, 0x7f8000007fc00000ull, hi)); /* infinity is no NaN */
    CHECK(!v128_matches(&v, 0x7fc000007f800000ull, hi));
    CHECK(!v128_matches(&v, 0x7fc000003fc00000ull, hi)); /* 1.5 is no NaN */
    CHECK(!v128_matches(&v, 0x7fc000007fc00000ull, 0x3f80000080000000ull)); /* exact lanes stay exact: -0.0 */
    CHECK(!v128_matches(&v, 0x7fc000007fc00000ull, 0x3f80000100000000ull));
    CHECK(!v128_matches(&v, 0x7fc000007fc00000ull, 0x7fc0000000000000ull));

    /* NaN lanes in the upper slot, next to an exact one. */
    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"0\", \"0\", \"1065353216\", "
                     "\"nan:canonical\"]}",
                     true);
    CHECK(v128_matches(&v, 0, 0x7fc000003f800000ull));
    CHECK(v128_matches(&v, 0, 0xffc000003f800000ull));
    CHECK(!v128_matches(&v, 0, 0x7fc000013f800000ull));
    CHECK(!v128_matches(&v, 0, 0x7fc000007fc00000ull));
    CHECK(!v128_matches(&v, 1, 0x7fc000003f800000ull));

    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"f64\", \"value\": [\"nan:arithmetic\", "
                     "\"nan:canonical\"]}",
                     true);
    expect_format(&v, "v128:f64x2:nan:arithmetic nan:canonical");
    CHECK(v128_matches(&v, 0x7ff8000000000000ull, 0x7ff8000000000000ull));
    CHECK(v128_matches(&v, 0xfff8000000000001ull, 0xfff8000000000000ull));
    CHECK(v128_matches(&v, 0x7fffffffffffffffull, 0x7ff8000000000000ull));
    CHECK(!v128_matches(&v, 0x7ff0000000000001ull, 0x7ff8000000000000ull)); /* signalling */
    CHECK(!v128_matches(&v, 0x7ff8000000000000ull, 0x7ff8000000000001ull)); /* not canonical */
    CHECK(!v128_matches(&v, 0x7ff8000000000000ull, 0x7ff0000000000000ull)); /* infinity */
    CHECK(!v128_matches(&v, 0x7fc000007fc00000ull, 0x7ff8000000000000ull)); /* f32 NaNs are no f64 NaN */

    v = expect_parse("{\"type\": \"v128\", \"lane_type\": \"f64\", \"value\": [\"nan:canonical\", \"0\"]}", true);
    CHECK(v128_matches(&v, 0xfff8000000000000ull, 0));
    CHECK(!v128_matches(&v, 0xfff8000000000000ull, 0x8000000000000000ull));
}

static void test_refused(void) {
    /* NaN patterns are for expectations, and only in float lanes. */
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", \"0\", \"0\", "
                   "\"0\"]}",
                   false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"nan:canonical\", \"0\", \"0\", "
                   "\"0\"]}",
                   true);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"f64\", \"value\": [\"nan\", \"0\"]}", true);
    /* The lane count is the shape's. */
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\", \"2\", \"3\"]}", false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": [\"1\", \"2\", \"3\"]}", false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": []}", false);
    /* Each lane fits its width. */
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"256\", \"0\", \"0\", \"0\", \"0\", "
                   "\"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\"]}",
                   false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"0\", \"0\", \"0\", \"0\", \"0\", "
                   "\"0\", \"0\", \"65536\"]}",
                   false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"4294967296\", \"0\", \"0\", \"0\"]}",
                   false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": [\"18446744073709551616\", \"0\"]}",
                   false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"-1\", \"0\", \"0\", \"0\"]}", false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [1, \"0\", \"0\", \"0\"]}", false);
    /* The shape is required and must be known; the value is a lane array. */
    expect_refused("{\"type\": \"v128\", \"value\": [\"1\", \"0\", \"0\", \"0\"]}", false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i128\", \"value\": [\"1\"]}", false);
    expect_refused("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": \"1\"}", false);
    expect_refused("{\"type\": \"v128\"}", true);
}

/* The one-slot types behave as before the v128 work. */
static void test_scalars(void) {
    spec_value v = expect_parse("{\"type\": \"i32\", \"value\": \"4294967295\"}", false);
    CHECK(v.type == WASM_I32 && v.match == SPEC_MATCH_EXACT && v.bits[0] == 0xffffffffull);
    expect_format(&v, "i32:4294967295 (-1)");
    wasm_slot got = 0xffffffffull;
    CHECK(spec_value_matches(&v, WASM_I32, &got));
    got = 0x1ffffffffull; /* upper bits must be zero */
    CHECK(!spec_value_matches(&v, WASM_I32, &got));

    v = expect_parse("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", true);
    expect_format(&v, "f32:nan:canonical");
    got = 0xffc00000ull;
    CHECK(spec_value_matches(&v, WASM_F32, &got));
    got = 0x17fc00000ull;
    CHECK(!spec_value_matches(&v, WASM_F32, &got));
    got = 0x7fc00001ull;
    CHECK(!spec_value_matches(&v, WASM_F32, &got));

    v = expect_parse("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}", true);
    got = 0x7ff8000000000123ull;
    CHECK(spec_value_matches(&v, WASM_F64, &got));
    got = 0x7ff0000000000123ull;
    CHECK(!spec_value_matches(&v, WASM_F64, &got));
    expect_refused("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}", false);

    v = expect_parse("{\"type\": \"externref\", \"value\": \"0\"}", false);
    CHECK(v.bits[0] == 1);
    expect_format(&v, "externref:0");
    v = expect_parse("{\"type\": \"funcref\"}", true);
    CHECK(v.match == SPEC_MATCH_NONNULL_REF);
    got = 0;
    CHECK(!spec_value_matches(&v, WASM_FUNCREF, &got));
}

/* A result v128 is printed in whichever lanes the caller asks for. */
static void test_result_format(void) {
    const wasm_slot bits[2] = {0xbf8000003f800000ull, 0x00000000ffffffffull};
    char buf[256];
    spec_v128_format(bits, SPEC_LANES_I32X4, buf, sizeof buf);
    CHECK(strcmp(buf, "v128:i32x4:1065353216 3212836864 4294967295 0") == 0);
    spec_v128_format(bits, SPEC_LANES_I64X2, buf, sizeof buf);
    CHECK(strcmp(buf, "v128:i64x2:13799029259328552960 4294967295") == 0);
    spec_v128_format(bits, SPEC_LANES_F32X4, buf, sizeof buf);
    CHECK(strncmp(buf, "v128:f32x4:0x3f800000(1) 0xbf800000(-1) 0xffffffff(", 51) == 0);
    /* A short buffer truncates without overrunning. */
    char small[16];
    memset(small, 'x', sizeof small);
    spec_v128_format(bits, SPEC_LANES_I8X16, small, 11);
    CHECK(strcmp(small, "v128:i8x16") == 0 && small[11] == 'x');
}

int main(void) {
    test_lane_layout();
    test_exact_match();
    test_nan_lanes();
    test_refused();
    test_scalars();
    test_result_format();
    return check_report("values");
}
