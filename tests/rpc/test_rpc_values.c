/*
 * test_rpc_values.c — the value encoding (DESIGN.md "Values on the wire") and
 * the type text: every kind round-trips and encodes to hand-written bytes;
 * every kind of bad input is an error, never a crash or a large allocation.
 */
#include "../../src/rpc/rpc.h"
#include "../unit/check.h"
#include "values_util.h"

/* Parses a type, aborting the test when the text is bad. */
static cm_type *type_of(const char *text) {
    cm_type *t = NULL;
    isorun_error *err = cm_type_parse(text, strlen(text), &t);
    if (err) fprintf(stderr, "type %s: %s\n", text, isorun_error_message(err));
    REQUIRE(err == NULL);
    return t;
}

static bool bytes_equal(const isr_buf *b, const uint8_t *want, size_t n) {
    if (b->len == n && memcmp(b->data, want, n) == 0) return true;
    fprintf(stderr, "    got bytes:");
    for (size_t i = 0; i < b->len; i++) fprintf(stderr, " %02x", b->data[i]);
    fprintf(stderr, "\n    expected: ");
    for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", want[i]);
    fprintf(stderr, "\n");
    return false;
}

/* v (consumed) encodes as type_text to exactly want[0..n), decodes back to an
 * equal value, and every strict prefix of the bytes fails to decode. */
static void roundtrip(const char *type_text, isorun_val v, const uint8_t *want, size_t n) {
    cm_type *t = type_of(type_text);
    isr_buf b = {0};
    isorun_error *err = rpc_value_encode(&b, t, &v);
    if (err) fprintf(stderr, "encode %s: %s\n", type_text, isorun_error_message(err));
    CHECK(err == NULL);
    isorun_error_free(err);
    if (!bytes_equal(&b, want, n)) fprintf(stderr, "    (type %s)\n", type_text);
    CHECK(b.len == n && memcmp(b.data, want, n) == 0);

    rpc_reader r;
    rpc_reader_init(&r, want, n, 1 << 20);
    isorun_val back;
    err = rpc_values_decode(&r, 1, (const cm_type *const *)&t, &back);
    if (err) fprintf(stderr, "decode %s: %s\n", type_text, isorun_error_message(err));
    CHECK(err == NULL);
    if (!err) {
        CHECK(tv_equal(&v, &back));
        isorun_val_free(&back);
    }
    isorun_error_free(err);

    for (size_t cut = 0; cut < n; cut++) {
        rpc_reader_init(&r, want, cut, 1 << 20);
        err = rpc_values_decode(&r, 1, (const cm_type *const *)&t, &back);
        CHECK(err != NULL);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
        CHECK(back.kind == ISORUN_I32);
        isorun_error_free(err);
    }
    isr_buf_free(&b);
    isorun_val_free(&v);
    cm_type_free(t);
}

#define RT(type, value, ...)                                                                       \
    do {                                                                                           \
        static const uint8_t want_[] = {__VA_ARGS__};                                              \
        roundtrip(type, value, want_, sizeof want_);                                               \
    } while (0)

static void test_scalars(void) {
    RT("bool", tv_bool(true), 0x01);
    RT("bool", tv_bool(false), 0x00);
    RT("s8", tv_s8(-1), 0xff);
    RT("s8", tv_s8(-128), 0x80);
    RT("u8", tv_u8(200), 0xc8);
    RT("s16", tv_s16(-2), 0x7e);
    RT("s16", tv_s16(-32768), 0x80, 0x80, 0x7e);
    RT("s16", tv_s16(32767), 0xff, 0xff, 0x01);
    RT("u16", tv_u16(65535), 0xff, 0xff, 0x03);
    RT("s32", tv_s32(-123456), 0xc0, 0xbb, 0x78);
    RT("s32", tv_s32(INT32_MIN), 0x80, 0x80, 0x80, 0x80, 0x78);
    RT("u32", tv_u32(624485), 0xe5, 0x8e, 0x26);
    RT("u32", tv_u32(UINT32_MAX), 0xff, 0xff, 0xff, 0xff, 0x0f);
    RT("s64", tv_s64(INT64_MIN), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f);
    RT("s64", tv_s64(63), 0x3f);
    RT("s64", tv_s64(64), 0xc0, 0x00);
    RT("u64", tv_u64(UINT64_MAX), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    RT("u64", tv_u64(0), 0x00);
    RT("f32", isorun_val_f32(1.5f), 0x00, 0x00, 0xc0, 0x3f);
    RT("f64", isorun_val_f64(-2.0), 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0);
    RT("char", tv_char('A'), 0x41);
    RT("char", tv_char(0xE9), 0xc3, 0xa9);
    RT("char", tv_char(0x20AC), 0xe2, 0x82, 0xac);
    RT("char", tv_char(0x1F600), 0xf0, 0x9f, 0x98, 0x80);
    RT("string", tv_string("h\xc3\xa9llo"), 0x06, 'h', 0xc3, 0xa9, 'l', 'l', 'o');
    RT("string", tv_string(""), 0x00);
    /* Core values: i32/i64 as signed LEB128, like s32/s64. */
    RT("i32", isorun_val_i32(-1), 0x7f);
    RT("i32", isorun_val_i32(624485), 0xe5, 0x8e, 0x26);
    RT("i64", isorun_val_i64(-129), 0xff, 0x7e);
}

static void test_compounds(void) {
    RT("list<u8>", tv_seq(ISORUN_LIST, 3, tv_u8(1), tv_u8(2), tv_u8(3)), 0x03, 0x01, 0x02, 0x03);
    RT("list<string>", tv_seq(ISORUN_LIST, 0), 0x00);
    RT("record{a:u8,b:string}", tv_seq(ISORUN_RECORD, 2, tv_u8(7), tv_string("x")), 0x07, 0x01, 'x');
    RT("tuple<bool,s8>", tv_seq(ISORUN_TUPLE, 2, tv_bool(true), tv_s8(-2)), 0x01, 0xfe);
    isorun_val p = tv_u32(300);
    RT("variant{none,num(u32),text(string)}", tv_case(ISORUN_VARIANT, 1, &p), 0x01, 0xac, 0x02);
    RT("variant{none,num(u32),text(string)}", tv_case(ISORUN_VARIANT, 0, NULL), 0x00);
    RT("enum{red,green,blue}", tv_case(ISORUN_ENUM, 2, NULL), 0x02);
    p = tv_u16(1);
    RT("option<u16>", tv_case(ISORUN_OPTION, 1, &p), 0x01, 0x01);
    RT("option<u16>", tv_case(ISORUN_OPTION, 0, NULL), 0x00);
    p = tv_string("no");
    RT("result<u8,string>", tv_case(ISORUN_RESULT, 1, &p), 0x01, 0x02, 'n', 'o');
    p = tv_u8(5);
    RT("result<u8,string>", tv_case(ISORUN_RESULT, 0, &p), 0x00, 0x05);
    RT("result", tv_case(ISORUN_RESULT, 0, NULL), 0x00);
    RT("result<_,u8>", tv_case(ISORUN_RESULT, 0, NULL), 0x00);
    p = tv_u8(9);
    RT("result<_,u8>", tv_case(ISORUN_RESULT, 1, &p), 0x01, 0x09);
    RT("flags{a,b,c,d,e,f,g,h,i,j}", tv_flags(10, 1u | 1u << 9), 0x01, 0x02);
    RT("flags{a,b,c}", tv_flags(3, 0x4), 0x04);
    RT("own<file>", tv_handle(ISORUN_OWN, 5), 0x05);
    RT("borrow<file>", tv_handle(ISORUN_BORROW, 300), 0xac, 0x02);
    /* Nesting: list<option<record{name:string,tags:list<char>}>> */
    isorun_val rec = tv_seq(ISORUN_RECORD, 2, tv_string("ab"), tv_seq(ISORUN_LIST, 2, tv_char('x'), tv_char(0xE9)));
    RT("list<option<record{name:string,tags:list<char>}>>",
       tv_seq(ISORUN_LIST, 2, tv_case(ISORUN_OPTION, 1, &rec), tv_case(ISORUN_OPTION, 0, NULL)), 0x02, 0x01, 0x02,
       'a', 'b', 0x02, 'x', 0xc3, 0xa9, 0x00);
}

/* Decoding bytes as type_text must fail with `code`. */
static void bad(const char *type_text, isorun_error_code code, const uint8_t *bytes, size_t n) {
    cm_type *t = type_of(type_text);
    rpc_reader r;
    rpc_reader_init(&r, bytes, n, 1 << 20);
    isorun_val v;
    isorun_error *err = rpc_values_decode(&r, 1, (const cm_type *const *)&t, &v);
    CHECK(err != NULL);
    if (isorun_error_code_of(err) != code) fprintf(stderr, "    %s: %s\n", type_text, isorun_error_message(err));
    CHECK_EQ_INT(isorun_error_code_of(err), code);
    CHECK(v.kind == ISORUN_I32);
    isorun_error_free(err);
    cm_type_free(t);
}

#define BAD(type, code, ...)                                                                       \
    do {                                                                                           \
        static const uint8_t bytes_[] = {__VA_ARGS__};                                             \
        bad(type, code, bytes_, sizeof bytes_);                                                    \
    } while (0)

static void test_malformed(void) {
    const isorun_error_code M = ISORUN_ERR_MALFORMED;
    BAD("bool", M, 0x02);
    BAD("option<u8>", M, 0x02, 0x00);
    BAD("result<u8,u8>", M, 0x03, 0x00);
    BAD("u32", M, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00); /* six bytes */
    BAD("u32", M, 0xff, 0xff, 0xff, 0xff, 0x1f);       /* 2^32 and more */
    BAD("u16", M, 0x80, 0x80, 0x04);                   /* 65536 */
    BAD("s16", M, 0x80, 0x80, 0x02);                   /* 32768 */
    BAD("s16", M, 0xff, 0xff, 0x7d);                   /* -32769 */
    BAD("s32", M, 0x80, 0x80, 0x80, 0x80, 0x70);       /* bits beyond 32 differ from the sign */
    BAD("u64", M, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02);
    BAD("char", M, 0xed, 0xa0, 0x80);                  /* a surrogate */
    BAD("char", M, 0xc0, 0x80);                        /* overlong */
    BAD("char", M, 0xff);
    BAD("string", M, 0x02, 0xc3, 0x28);                /* not UTF-8 */
    BAD("string", M, 0x05, 'a', 'b');                  /* longer than the data */
    BAD("string", M, 0xff, 0xff, 0xff, 0xff, 0x0f);    /* 4 GiB announced */
    BAD("list<u32>", M, 0x03, 0x01, 0x02);             /* 3 announced, 2 present */
    BAD("list<u8>", M, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
    BAD("list<f64>", M, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4); /* count * 8 > bytes left */
    BAD("variant{a,b(u8)}", M, 0x02);
    BAD("enum{a,b}", M, 0x05);
    BAD("flags{a,b,c}", M, 0x08);                      /* a bit past the last flag */
    BAD("flags{a,b,c,d,e,f,g,h,i}", M, 0xff, 0x02);
    BAD("u8", M, 0x01, 0x02);                          /* trailing bytes */
    BAD("tuple<u8,u8>", M, 0x01);
    /* More host memory than the budget: 3 strings of 1 MiB need ~3 MiB. */
    size_t n = 3 * ((1 << 20) + 4) + 1;
    uint8_t *big = tv_alloc(n);
    size_t at = 0;
    big[at++] = 3;
    for (int i = 0; i < 3; i++) {
        big[at++] = 0x80, big[at++] = 0x80, big[at++] = 0x40; /* 1 MiB */
        memset(big + at, 'a', 1 << 20);
        at += 1 << 20;
    }
    bad("list<string>", ISORUN_ERR_LIMIT, big, at);
    free(big);
}

/* Values that do not fit their type are refused by the encoder. */
static void test_encode_mismatch(void) {
    struct {
        const char *type;
        isorun_val v;
    } cases[] = {
        {"u32", tv_s32(1)},
        {"i32", isorun_val_i64(1)},
        {"string", tv_u8(1)},
        {"char", tv_char(0xD800)},
        {"char", tv_char(0x110000)},
        {"record{a:u8,b:u8}", tv_seq(ISORUN_RECORD, 1, tv_u8(1))},
        {"tuple<u8>", tv_seq(ISORUN_TUPLE, 1, tv_u16(1))},
        {"list<u8>", tv_seq(ISORUN_LIST, 2, tv_u8(1), tv_bool(true))},
        {"enum{a,b}", tv_case(ISORUN_ENUM, 2, NULL)},
        {"variant{a(u8),b}", tv_case(ISORUN_VARIANT, 0, NULL)},
        {"option<u8>", tv_case(ISORUN_OPTION, 2, NULL)},
        {"option<u8>", tv_case(ISORUN_OPTION, 1, NULL)},
        {"flags{a,b}", tv_flags(3, 1)},
        {"flags{a,b}", tv_flags(2, 4)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cm_type *t = type_of(cases[i].type);
        isr_buf b = {0};
        isorun_error *err = rpc_value_encode(&b, t, &cases[i].v);
        CHECK(err != NULL);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TYPE_MISMATCH);
        isorun_error_free(err);
        isr_buf_free(&b);
        isorun_val_free(&cases[i].v);
        cm_type_free(t);
    }
    /* Invalid UTF-8 inside a string value. */
    isorun_val s = tv_string("ab");
    s.of.string.data[0] = (char)0xff;
    cm_type *t = type_of("string");
    isr_buf b = {0};
    isorun_error *err = rpc_value_encode(&b, t, &s);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TYPE_MISMATCH);
    isorun_error_free(err);
    isr_buf_free(&b);
    isorun_val_free(&s);
    /* Core i32 accepts s32 and u32 (isorun.h): same bytes as i32. */
    cm_type_free(t);
    t = type_of("i32");
    isorun_val u = tv_u32(UINT32_MAX);
    CHECK(rpc_value_encode(&b, t, &u) == NULL);
    CHECK(b.len == 1 && b.data[0] == 0x7f);
    isr_buf_free(&b);
    cm_type_free(t);
}

static void test_type_text(void) {
    const char *canonical[] = {
        "u32", "list<list<u8>>", "option<string>", "result", "result<u8>", "result<_,string>",
        "result<tuple<u8,char>,enum{a,b-c}>", "record{x:f64,y:f64}", "variant{none,some(s64),many(list<s64>)}",
        "flags{read,write}", "own<file>", "borrow<my-res>",
    };
    for (size_t i = 0; i < sizeof canonical / sizeof canonical[0]; i++) {
        cm_type *t = type_of(canonical[i]);
        isr_buf b = {0};
        CHECK(cm_type_print(&b, t) && isr_buf_append(&b, "", 1));
        if (strcmp((char *)b.data, canonical[i]) != 0)
            fprintf(stderr, "    printed %s, parsed %s\n", (char *)b.data, canonical[i]);
        CHECK(strcmp((char *)b.data, canonical[i]) == 0);
        isr_buf_free(&b);
        cm_type_free(t);
    }
    /* Whitespace is accepted and dropped from the canonical form. */
    cm_type *t = type_of(" record { a : list< u8 > , b : option<char> } ");
    isr_buf b = {0};
    CHECK(cm_type_print(&b, t) && isr_buf_append(&b, "", 1));
    CHECK(strcmp((char *)b.data, "record{a:list<u8>,b:option<char>}") == 0);
    isr_buf_free(&b);
    cm_type_free(t);

    const char *wrong[] = {
        "", "u33", "list<>", "list<u8", "record{}", "record{a:u8,a:u8}", "enum{}", "tuple<>",
        "result<_>", "variant{a(u8}", "u8 u8", "flags{a,,b}", "own<>", "option<u8>>",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        cm_type *w = NULL;
        isorun_error *err = cm_type_parse(wrong[i], strlen(wrong[i]), &w);
        if (!err) fprintf(stderr, "    accepted %s\n", wrong[i]);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_ARGUMENT);
        isorun_error_free(err);
    }
    /* 32 levels are allowed, 33 are not. */
    char deep[512] = "";
    for (int i = 0; i < 32; i++) strcat(deep, "list<");
    strcat(deep, "u8");
    for (int i = 0; i < 32; i++) strcat(deep, ">");
    cm_type *w = NULL;
    isorun_error *err = cm_type_parse(deep, strlen(deep), &w);
    CHECK(err == NULL);
    cm_type_free(w);
    memmove(deep + 5, deep, strlen(deep) + 1);
    memcpy(deep, "list<", 5);
    strcat(deep, ">");
    err = cm_type_parse(deep, strlen(deep), &w);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_ARGUMENT);
    CHECK_STR_CONTAINS(isorun_error_message(err), "32 levels");
    isorun_error_free(err);
}

static void test_fingerprints(void) {
    /* FNV-1a 64 of the canonical text: fixed by protocol.md. */
    isorun_kind two[] = {ISORUN_I32, ISORUN_I32}, one[] = {ISORUN_I32};
    isorun_functype core = {2, 1, two, one};
    const cm_type *storage[3];
    cm_functype ft;
    REQUIRE(cm_functype_of_core(&core, storage, &ft) == NULL);
    isr_buf b = {0};
    CHECK(cm_functype_print(&b, &ft) && isr_buf_append(&b, "", 1));
    CHECK(strcmp((char *)b.data, "func(i32,i32)->(i32)") == 0);
    isr_buf_free(&b);
    uint64_t fp = 0;
    CHECK(rpc_functype_fingerprint(&ft, &fp) == NULL);
    CHECK_EQ_U64(fp, 0xaccb7835e70cec42ULL);

    cm_owned_functype parsed = {0};
    const char *text = "func( u32 , u32 ) -> ( u32 )";
    REQUIRE(cm_functype_parse(text, strlen(text), &parsed) == NULL);
    CHECK_EQ_INT(parsed.ft.nparams, 2);
    CHECK_EQ_INT(parsed.ft.nresults, 1);
    CHECK(rpc_functype_fingerprint(&parsed.ft, &fp) == NULL);
    CHECK_EQ_U64(fp, 0x13606b4db53fe42eULL);
    cm_owned_functype_free(&parsed);
    REQUIRE(cm_functype_parse("func()->()", 10, &parsed) == NULL);
    CHECK(rpc_functype_fingerprint(&parsed.ft, &fp) == NULL);
    CHECK_EQ_U64(fp, 0x05ba3a07c41c5f1cULL);
    cm_owned_functype_free(&parsed);

    isorun_error *err = cm_functype_parse("func(u8)", 8, &parsed);
    CHECK(err != NULL);
    isorun_error_free(err);
    /* A core signature cannot carry component kinds. */
    isorun_kind str[] = {ISORUN_STRING};
    isorun_functype bad_core = {1, 0, str, NULL};
    err = cm_functype_of_core(&bad_core, storage, &ft);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TYPE_MISMATCH);
    isorun_error_free(err);
}

int main(void) {
    RUN(test_scalars);
    RUN(test_compounds);
    RUN(test_malformed);
    RUN(test_encode_mismatch);
    RUN(test_type_text);
    RUN(test_fingerprints);
    return check_summary();
}
