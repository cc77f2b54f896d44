/* test_util.c — the util layer: errors, buffers, array growth, UTF-8. */
#include "../../src/util/util.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_error_carries_code_and_formatted_message(void) {
    isorun_error *err = isr_error(ISORUN_ERR_MALFORMED, "section %d at offset %zu", 3, (size_t)17);
    REQUIRE(err != NULL);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
    CHECK(strcmp(isorun_error_message(err), "section 3 at offset 17") == 0);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_NONE);
    CHECK_EQ_INT(isorun_error_exit_code(err), 0);
    isorun_error_free(err);
}

static void test_no_error_reads_as_success(void) {
    CHECK_EQ_INT(isorun_error_code_of(NULL), ISORUN_ERR_OK);
    CHECK(isorun_error_message(NULL) != NULL);
    CHECK_EQ_INT(isorun_error_trap(NULL), ISORUN_TRAP_NONE);
    CHECK_EQ_INT(isorun_error_exit_code(NULL), 0);
    isorun_error_free(NULL); /* must be a no-op */
}

static void test_trap_error_has_trap_code_and_spec_message(void) {
    isorun_error *err = isr_trap(ISORUN_TRAP_DIV_BY_ZERO, "in function %s", "divide");
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_DIV_BY_ZERO);
    CHECK(strcmp(isorun_error_message(err), "integer divide by zero: in function divide") == 0);
    isorun_error_free(err);

    err = isr_trap(ISORUN_TRAP_UNREACHABLE, NULL);
    CHECK(strcmp(isorun_error_message(err), "unreachable") == 0);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_UNREACHABLE);
    isorun_error_free(err);
}

static void test_wrap_prefixes_and_keeps_codes(void) {
    isorun_error *err = isr_trap(ISORUN_TRAP_MEMORY_OOB, NULL);
    err = isr_error_wrap(err, "calling %s", "main");
    CHECK(strcmp(isorun_error_message(err), "calling main: out of bounds memory access") == 0);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_MEMORY_OOB);
    isorun_error_free(err);
    CHECK(isr_error_wrap(NULL, "nothing") == NULL);
}

static void test_nomem_error_is_shared_and_never_freed(void) {
    isorun_error *a = isr_error_nomem(), *b = isr_error_nomem();
    CHECK(a == b);
    CHECK_EQ_INT(isorun_error_code_of(a), ISORUN_ERR_NOMEM);
    isorun_error_free(a); /* a no-op: it is still usable afterwards */
    CHECK_EQ_INT(isorun_error_code_of(b), ISORUN_ERR_NOMEM);
    CHECK(isr_error_wrap(a, "prefix") == a);
    CHECK(strcmp(isorun_error_message(a), "out of memory") == 0);
}

static void test_exit_code_only_for_exit_errors(void) {
    isorun_error *err = isr_error(ISORUN_ERR_EXIT, "exit");
    err->exit_code = 3;
    CHECK_EQ_INT(isorun_error_exit_code(err), 3);
    err->code = ISORUN_ERR_TRAP;
    CHECK_EQ_INT(isorun_error_exit_code(err), 0);
    isorun_error_free(err);
}

static void test_code_names_and_trap_messages(void) {
    CHECK(strcmp(isorun_error_code_name(ISORUN_ERR_MALFORMED), "malformed") == 0);
    CHECK(strcmp(isorun_error_code_name(ISORUN_ERR_TRAP), "trap") == 0);
    CHECK(strcmp(isorun_error_code_name((isorun_error_code)9999), "unknown") == 0);
    CHECK(strcmp(isorun_error_code_name((isorun_error_code)-1), "unknown") == 0);
    /* The spec test suite compares these strings. */
    CHECK(strcmp(isorun_trap_message(ISORUN_TRAP_INDIRECT_TYPE_MISMATCH), "indirect call type mismatch") == 0);
    CHECK(strcmp(isorun_trap_message(ISORUN_TRAP_STACK_EXHAUSTED), "call stack exhausted") == 0);
    CHECK(strcmp(isorun_trap_message(ISORUN_TRAP_INVALID_CONVERSION), "invalid conversion to integer") == 0);
    CHECK(isorun_trap_message((isorun_trap_code)12345) != NULL);
    /* Every code has a distinct, non-empty name. */
    for (int i = 0; i < ISORUN_ERR_COUNT_; i++) {
        CHECK(isorun_error_code_name((isorun_error_code)i)[0] != 0);
        for (int j = 0; j < i; j++)
            CHECK(strcmp(isorun_error_code_name((isorun_error_code)i), isorun_error_code_name((isorun_error_code)j)) != 0);
    }
    CHECK(strcmp(isorun_version(), ISORUN_VERSION_STRING) == 0);
}

static void test_buf_append_and_printf(void) {
    isr_buf b = {0};
    CHECK(isr_buf_append(&b, "abc", 3));
    CHECK(isr_buf_append(&b, NULL, 0));
    CHECK(isr_buf_printf(&b, "-%d-%s", 42, "x"));
    CHECK_EQ_INT(b.len, 8);
    REQUIRE(b.cap >= b.len);
    CHECK(memcmp(b.data, "abc-42-x", 8) == 0);
    /* Many appends: the buffer grows and keeps every byte. */
    for (int i = 0; i < 100000; i++) {
        uint8_t byte = (uint8_t)i;
        if (!isr_buf_append(&b, &byte, 1)) break;
    }
    CHECK_EQ_INT(b.len, 8 + 100000);
    int intact = 1;
    for (int i = 0; i < 100000; i++) intact &= b.data[8 + i] == (uint8_t)i;
    CHECK(intact);
    isr_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
}

static void test_buf_reserve_overflow_fails_cleanly(void) {
    isr_buf b = {0};
    CHECK(isr_buf_append(&b, "xy", 2));
    uint8_t *before = b.data;
    CHECK(!isr_buf_reserve(&b, SIZE_MAX));     /* len + extra overflows */
    CHECK(!isr_buf_reserve(&b, SIZE_MAX - 1)); /* needs more than can exist */
    CHECK(b.data == before && b.len == 2);
    CHECK(memcmp(b.data, "xy", 2) == 0);
    isr_buf_free(&b);
}

static void test_grow_array(void) {
    int *numbers = NULL;
    size_t cap = 0;
    CHECK(isr_grow_array((void **)&numbers, &cap, 1, sizeof *numbers));
    CHECK(cap >= 1);
    CHECK(isr_grow_array((void **)&numbers, &cap, 1000, sizeof *numbers));
    REQUIRE(cap >= 1000);
    for (int i = 0; i < 1000; i++) numbers[i] = i;
    size_t cap_before = cap;
    int *data_before = numbers;
    /* Enough room already: nothing moves. */
    CHECK(isr_grow_array((void **)&numbers, &cap, 10, sizeof *numbers));
    CHECK(cap == cap_before && numbers == data_before);
    /* need * elem overflows size_t: refused, array untouched. */
    CHECK(!isr_grow_array((void **)&numbers, &cap, SIZE_MAX / 2 + 2, sizeof *numbers));
    CHECK(!isr_grow_array((void **)&numbers, &cap, SIZE_MAX, 1));
    CHECK(!isr_grow_array((void **)&numbers, &cap, SIZE_MAX / 8 + 1, 8));
    CHECK(cap == cap_before && numbers == data_before);
    CHECK(numbers[999] == 999);
    free(numbers);
}

static void test_size_arithmetic(void) {
    size_t out;
    CHECK(isr_add_size(1, 2, &out) && out == 3);
    CHECK(!isr_add_size(SIZE_MAX, 1, &out));
    CHECK(isr_mul_size(SIZE_MAX / 2, 2, &out));
    CHECK(!isr_mul_size(SIZE_MAX / 2 + 1, 2, &out));
}

static void test_strndup(void) {
    char *s = isr_strndup("hello world", 5);
    REQUIRE(s != NULL);
    CHECK(strcmp(s, "hello") == 0);
    free(s);
    s = isr_strndup("", 0);
    REQUIRE(s != NULL);
    CHECK(s[0] == 0);
    free(s);
}

#define UTF8_VALID(lit) isr_utf8_valid((const uint8_t *)(lit), sizeof(lit) - 1)

static void test_utf8_accepts_well_formed(void) {
    CHECK(isr_utf8_valid(NULL, 0));
    CHECK(UTF8_VALID("plain ascii"));
    CHECK(UTF8_VALID("\x00")); /* NUL is a valid code point (names may contain it) */
    CHECK(UTF8_VALID("\x7F"));
    CHECK(UTF8_VALID("\xC2\x80"));         /* U+0080, smallest 2-byte */
    CHECK(UTF8_VALID("\xDF\xBF"));         /* U+07FF */
    CHECK(UTF8_VALID("\xE0\xA0\x80"));     /* U+0800, smallest 3-byte */
    CHECK(UTF8_VALID("\xED\x9F\xBF"));     /* U+D7FF, just below surrogates */
    CHECK(UTF8_VALID("\xEE\x80\x80"));     /* U+E000, just above */
    CHECK(UTF8_VALID("\xEF\xBF\xBF"));     /* U+FFFF */
    CHECK(UTF8_VALID("\xF0\x90\x80\x80")); /* U+10000, smallest 4-byte */
    CHECK(UTF8_VALID("\xF4\x8F\xBF\xBF")); /* U+10FFFF, the last code point */
    CHECK(UTF8_VALID("W\xC3\xB6rld \xE2\x82\xAC \xF0\x9F\x98\x80"));
}

static void test_utf8_rejects_overlongs(void) {
    CHECK(!UTF8_VALID("\xC0\x80"));         /* NUL in 2 bytes */
    CHECK(!UTF8_VALID("\xC1\xBF"));         /* U+007F in 2 bytes */
    CHECK(!UTF8_VALID("\xE0\x80\x80"));     /* NUL in 3 bytes */
    CHECK(!UTF8_VALID("\xE0\x9F\xBF"));     /* U+07FF in 3 bytes */
    CHECK(!UTF8_VALID("\xF0\x80\x80\x80")); /* NUL in 4 bytes */
    CHECK(!UTF8_VALID("\xF0\x8F\xBF\xBF")); /* U+FFFF in 4 bytes */
}

static void test_utf8_rejects_surrogates_and_out_of_range(void) {
    CHECK(!UTF8_VALID("\xED\xA0\x80"));     /* U+D800 */
    CHECK(!UTF8_VALID("\xED\xBF\xBF"));     /* U+DFFF */
    CHECK(!UTF8_VALID("\xED\xA0\xBD\xED\xB8\x80")); /* a surrogate pair, CESU-8 style */
    CHECK(!UTF8_VALID("\xF4\x90\x80\x80")); /* U+110000 */
    CHECK(!UTF8_VALID("\xF5\x80\x80\x80"));
    CHECK(!UTF8_VALID("\xF8\x88\x80\x80\x80")); /* 5-byte form */
    CHECK(!UTF8_VALID("\xFE"));
    CHECK(!UTF8_VALID("\xFF"));
}

static void test_utf8_rejects_broken_sequences(void) {
    CHECK(!UTF8_VALID("\x80"));             /* continuation without a lead */
    CHECK(!UTF8_VALID("a\xBF"));
    CHECK(!UTF8_VALID("\xC3"));             /* truncated */
    CHECK(!UTF8_VALID("\xE2\x82"));
    CHECK(!UTF8_VALID("\xF0\x9F\x98"));
    CHECK(!UTF8_VALID("\xC3\x28"));         /* lead followed by a non-continuation */
    CHECK(!UTF8_VALID("\xE2\x28\xA1"));
    CHECK(!UTF8_VALID("\xF0\x9F\x28\x80"));
    /* The length bounds the check: the valid prefix alone is accepted. */
    CHECK(isr_utf8_valid((const uint8_t *)"ok\xC3\xB6", 2));
    CHECK(!isr_utf8_valid((const uint8_t *)"ok\xC3\xB6", 3));
}

int main(void) {
    RUN(test_error_carries_code_and_formatted_message);
    RUN(test_no_error_reads_as_success);
    RUN(test_trap_error_has_trap_code_and_spec_message);
    RUN(test_wrap_prefixes_and_keeps_codes);
    RUN(test_nomem_error_is_shared_and_never_freed);
    RUN(test_exit_code_only_for_exit_errors);
    RUN(test_code_names_and_trap_messages);
    RUN(test_buf_append_and_printf);
    RUN(test_buf_reserve_overflow_fails_cleanly);
    RUN(test_grow_array);
    RUN(test_size_arithmetic);
    RUN(test_strndup);
    RUN(test_utf8_accepts_well_formed);
    RUN(test_utf8_rejects_overlongs);
    RUN(test_utf8_rejects_surrogates_and_out_of_range);
    RUN(test_utf8_rejects_broken_sequences);
    return check_summary();
}
