/* test_leb.c — LEB128 decoding in src/wasm/reader.h at its edges: the
 * longest allowed encodings, one byte too many ("integer representation too
 * long"), unused bits that are not zero / not the sign ("integer too large"),
 * sign extension for the 32-, 33- (block types) and 64-bit signed forms, and
 * running out of input. These are the rules the binary-leb128 spec tests
 * check, tested here byte by byte so a failure names the exact case. */
#include "../../src/wasm/reader.h"
#include "check.h"

#include <stdint.h>
#include <string.h>

#define TOO_LONG "integer representation too long"
#define TOO_LARGE "integer too large"
#define END "unexpected end"

/* Decodes `bytes` as an unsigned LEB128 of `bits` bits. On success checks the
 * value and that every byte was consumed; on failure checks the reason. */
static void check_uleb(unsigned bits, const uint8_t *bytes, size_t len, const char *expected_error,
                       uint64_t expected_value, int line) {
    wasm_reader r;
    wasm_reader_init(&r, bytes, bytes, bytes + len);
    uint64_t value = 0;
    bool ok = wasm_read_uleb(&r, bits, &value);
    if (expected_error) {
        check_record(!ok && r.error && strcmp(r.error, expected_error) == 0, __FILE__, line,
                     "unsigned LEB128 rejected with the expected reason");
        if (ok) fprintf(stderr, "    accepted as 0x%" PRIx64 ", expected \"%s\"\n", value, expected_error);
        else if (!r.error || strcmp(r.error, expected_error) != 0)
            fprintf(stderr, "    reason \"%s\", expected \"%s\"\n", r.error ? r.error : "(none)", expected_error);
    } else {
        check_record(ok && value == expected_value && r.p == bytes + len, __FILE__, line,
                     "unsigned LEB128 decodes to the expected value");
        if (!ok) fprintf(stderr, "    rejected: %s\n", r.error ? r.error : "(no reason)");
        else if (value != expected_value)
            fprintf(stderr, "    got 0x%" PRIx64 ", expected 0x%" PRIx64 "\n", value, expected_value);
        else if (r.p != bytes + len)
            fprintf(stderr, "    consumed %zu of %zu bytes\n", (size_t)(r.p - bytes), len);
    }
}

static void check_sleb(unsigned bits, const uint8_t *bytes, size_t len, const char *expected_error,
                       int64_t expected_value, int line) {
    wasm_reader r;
    wasm_reader_init(&r, bytes, bytes, bytes + len);
    int64_t value = 0;
    bool ok = wasm_read_sleb(&r, bits, &value);
    if (expected_error) {
        check_record(!ok && r.error && strcmp(r.error, expected_error) == 0, __FILE__, line,
                     "signed LEB128 rejected with the expected reason");
        if (ok) fprintf(stderr, "    accepted as %" PRId64 ", expected \"%s\"\n", value, expected_error);
        else if (!r.error || strcmp(r.error, expected_error) != 0)
            fprintf(stderr, "    reason \"%s\", expected \"%s\"\n", r.error ? r.error : "(none)", expected_error);
    } else {
        check_record(ok && value == expected_value && r.p == bytes + len, __FILE__, line,
                     "signed LEB128 decodes to the expected value");
        if (!ok) fprintf(stderr, "    rejected: %s\n", r.error ? r.error : "(no reason)");
        else if (value != expected_value)
            fprintf(stderr, "    got %" PRId64 ", expected %" PRId64 "\n", value, expected_value);
        else if (r.p != bytes + len)
            fprintf(stderr, "    consumed %zu of %zu bytes\n", (size_t)(r.p - bytes), len);
    }
}

/* BYTES(...) turns a byte list into (pointer, length) arguments. */
#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define ULEB_OK(bits, value, ...) check_uleb(bits, BYTES(__VA_ARGS__), NULL, value, __LINE__)
#define ULEB_BAD(bits, reason, ...) check_uleb(bits, BYTES(__VA_ARGS__), reason, 0, __LINE__)
#define SLEB_OK(bits, value, ...) check_sleb(bits, BYTES(__VA_ARGS__), NULL, value, __LINE__)
#define SLEB_BAD(bits, reason, ...) check_sleb(bits, BYTES(__VA_ARGS__), reason, 0, __LINE__)

static void test_u32(void) {
    ULEB_OK(32, 0, 0x00);
    ULEB_OK(32, 127, 0x7F);
    ULEB_OK(32, 128, 0x80, 0x01);
    ULEB_OK(32, 624485, 0xE5, 0x8E, 0x26);
    ULEB_OK(32, 0xFFFFFFFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    /* Redundant zero padding is allowed up to the 5-byte maximum. */
    ULEB_OK(32, 0, 0x80, 0x80, 0x80, 0x80, 0x00);
    ULEB_OK(32, 3, 0x83, 0x80, 0x80, 0x80, 0x00);
    /* A sixth byte is never allowed, even if it is zero. */
    ULEB_BAD(32, TOO_LONG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    ULEB_BAD(32, TOO_LONG, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    /* The fifth byte may only carry 4 bits. */
    ULEB_BAD(32, TOO_LARGE, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
    ULEB_BAD(32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x10);
    ULEB_BAD(32, TOO_LARGE, 0x82, 0x80, 0x80, 0x80, 0x70);
    /* Input ends inside the number. */
    ULEB_BAD(32, END, 0x80);
    ULEB_BAD(32, END, 0xFF, 0xFF, 0xFF, 0xFF);
}

static void test_u32_error_offset_and_empty_input(void) {
    /* An empty input is "unexpected end" at offset 0. */
    wasm_reader r;
    const uint8_t nothing[1] = {0};
    wasm_reader_init(&r, nothing, nothing, nothing);
    uint64_t value;
    CHECK(!wasm_read_uleb(&r, 32, &value));
    CHECK(r.error && strcmp(r.error, END) == 0);
    CHECK_EQ_INT(r.error_offset, 0);

    /* Two good numbers, then a bad one: the offset points into the third, and
     * the first error is kept even if reading goes on. */
    const uint8_t input[] = {0x01, 0x80, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    wasm_reader_init(&r, input, input, input + sizeof input);
    uint32_t small;
    CHECK(wasm_read_u32(&r, &small) && small == 1);
    CHECK(wasm_read_u32(&r, &small) && small == 128);
    CHECK(!wasm_read_u32(&r, &small));
    CHECK(r.error && strcmp(r.error, TOO_LONG) == 0);
    CHECK(r.error_offset >= 3 && r.error_offset <= sizeof input);
    size_t first_offset = r.error_offset;
    (void)wasm_read_u32(&r, &small);
    CHECK(r.error && strcmp(r.error, TOO_LONG) == 0 && r.error_offset == first_offset);
}

static void test_u64(void) {
    ULEB_OK(64, 0, 0x00);
    ULEB_OK(64, 0x100000000, 0x80, 0x80, 0x80, 0x80, 0x10);
    ULEB_OK(64, UINT64_MAX, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    ULEB_OK(64, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    /* The tenth byte may only carry 1 bit. */
    ULEB_BAD(64, TOO_LARGE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02);
    ULEB_BAD(64, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E);
    ULEB_BAD(64, TOO_LONG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    ULEB_BAD(64, END, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
}

static void test_s32(void) {
    SLEB_OK(32, 0, 0x00);
    SLEB_OK(32, 63, 0x3F);
    SLEB_OK(32, -64, 0x40);  /* bit 6 of the last byte is the sign */
    SLEB_OK(32, -1, 0x7F);
    SLEB_OK(32, 64, 0xC0, 0x00);
    SLEB_OK(32, -128, 0x80, 0x7F);
    SLEB_OK(32, -129, 0xFF, 0x7E);
    SLEB_OK(32, -123456, 0xC0, 0xBB, 0x78);
    SLEB_OK(32, INT32_MAX, 0xFF, 0xFF, 0xFF, 0xFF, 0x07);
    SLEB_OK(32, INT32_MIN, 0x80, 0x80, 0x80, 0x80, 0x78);
    /* Padded forms: the padding must repeat the sign. */
    SLEB_OK(32, -1, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    SLEB_OK(32, 0, 0x80, 0x80, 0x80, 0x80, 0x00);
    /* Fifth byte: the 4 value bits, then 3 unused bits that must all equal
     * the sign bit. */
    SLEB_BAD(32, TOO_LARGE, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F); /* 0xFFFFFFFF is not an i32 */
    SLEB_BAD(32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x70); /* below INT32_MIN */
    SLEB_BAD(32, TOO_LARGE, 0xFF, 0xFF, 0xFF, 0xFF, 0x4F);
    SLEB_BAD(32, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x1F);
    SLEB_BAD(32, TOO_LONG, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    SLEB_BAD(32, TOO_LONG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    SLEB_BAD(32, END, 0xFF);
}

/* Block types are signed 33-bit: a type index up to 2^32 - 1 must decode,
 * which needs the one extra bit over s32. */
static void test_s33(void) {
    SLEB_OK(33, -64, 0x40); /* the empty block type */
    SLEB_OK(33, -1, 0x7F);  /* i32 */
    SLEB_OK(33, 5, 0x05);
    SLEB_OK(33, 0xFFFFFFFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);  /* too large for s32, fine for s33 */
    SLEB_OK(33, -4294967296LL, 0x80, 0x80, 0x80, 0x80, 0x70); /* -2^32, the minimum */
    SLEB_OK(33, -1, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    /* Fifth byte: 5 value bits, 2 unused bits equal to the sign. */
    SLEB_BAD(33, TOO_LARGE, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
    SLEB_BAD(33, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x60);
    SLEB_BAD(33, TOO_LONG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
}

static void test_s64(void) {
    SLEB_OK(64, 0, 0x00);
    SLEB_OK(64, -1, 0x7F);
    SLEB_OK(64, 0x7FFFFFFFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00);
    SLEB_OK(64, -0x800000000LL, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F);
    SLEB_OK(64, INT64_MAX, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00);
    SLEB_OK(64, INT64_MIN, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F);
    SLEB_OK(64, -1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    /* Tenth byte: 1 value bit (the sign), 6 unused bits equal to it. */
    SLEB_BAD(64, TOO_LARGE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    SLEB_BAD(64, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E);
    SLEB_BAD(64, TOO_LARGE, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40);
    SLEB_BAD(64, TOO_LONG, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    SLEB_BAD(64, END, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
}

static void test_fixed_width_reads(void) {
    const uint8_t bytes[] = {0x00, 0x00, 0x80, 0x3F, 0x18, 0x2D, 0x44, 0x54, 0xFB, 0x21, 0x09, 0x40};
    wasm_reader r;
    wasm_reader_init(&r, bytes, bytes, bytes + sizeof bytes);
    uint32_t f32_bits;
    uint64_t f64_bits;
    CHECK(wasm_read_f32(&r, &f32_bits));
    CHECK_EQ_U64(f32_bits, 0x3F800000); /* 1.0f, little-endian */
    CHECK(wasm_read_f64(&r, &f64_bits));
    CHECK_EQ_U64(f64_bits, 0x400921FB54442D18); /* pi */
    CHECK(!wasm_read_f32(&r, &f32_bits));
    CHECK(r.error && strcmp(r.error, END) == 0);

    /* A byte count larger than what is left is refused without moving. */
    wasm_reader_init(&r, bytes, bytes, bytes + 4);
    const uint8_t *out;
    CHECK(!wasm_read_bytes(&r, 5, &out));
    CHECK(r.p == bytes);
    wasm_reader_init(&r, bytes, bytes + 2, bytes + 4);
    CHECK(!wasm_read_bytes(&r, SIZE_MAX, &out));
    CHECK(wasm_read_bytes(&r, 2, &out) && out == bytes + 2);
}

int main(void) {
    RUN(test_u32);
    RUN(test_u32_error_offset_and_empty_input);
    RUN(test_u64);
    RUN(test_s32);
    RUN(test_s33);
    RUN(test_s64);
    RUN(test_fixed_width_reads);
    return check_summary();
}
