/* json_test.c — checks the spec runner's JSON reader against the inputs that
 * matter (wast2json's escapes, unicode names) and the ones it must refuse. */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_check.h"

static json_value *parse(const char *text) {
    char err[200];
    json_value *v = json_parse(text, strlen(text), err, sizeof err);
    if (!v) fprintf(stderr, "unexpected parse error for %s: %s\n", text, err);
    return v;
}

/* The string value of a one-string document, compared byte for byte. */
static void expect_string(const char *doc, const char *bytes, size_t len) {
    json_value *v = parse(doc);
    size_t got_len = 0;
    const char *got = json_string(v, &got_len);
    CHECK(got != NULL);
    if (got) {
        CHECK(got_len == len);
        CHECK(got_len == len && memcmp(got, bytes, len) == 0);
        CHECK(got[got_len] == '\0');
    }
    json_free(v);
}

static void expect_reject(const char *doc) {
    char err[200];
    json_value *v = json_parse(doc, strlen(doc), err, sizeof err);
    if (v) fprintf(stderr, "accepted invalid JSON: %s\n", doc);
    CHECK(v == NULL);
    CHECK(err[0] != '\0');
    json_free(v);
}

static void test_command_file_shape(void) {
    json_value *v = parse("{\"source_filename\": \"i32.wast\",\n \"commands\": [\n"
                          "  {\"type\": \"module\", \"line\": 3, \"filename\": \"i32.0.wasm\"}, \n"
                          "  {\"type\": \"assert_return\", \"line\": 37, \"action\": "
                          "{\"type\": \"invoke\", \"field\": \"add\", \"args\": [{\"type\": \"i32\", "
                          "\"value\": \"4294967295\"}]}, \"expected\": []}]}\n");
    CHECK(v != NULL);
    CHECK(strcmp(json_string(json_get(v, "source_filename"), NULL), "i32.wast") == 0);
    const json_value *cmds = json_get(v, "commands");
    CHECK(json_array_count(cmds) == 2);
    unsigned long long line = 0;
    CHECK(json_uint(json_get(json_array_item(cmds, 1), "line"), &line) && line == 37);
    const json_value *args = json_get(json_get(json_array_item(cmds, 1), "action"), "args");
    CHECK(strcmp(json_string(json_get(json_array_item(args, 0), "value"), NULL), "4294967295") == 0);
    CHECK(json_array_count(json_get(json_array_item(cmds, 1), "expected")) == 0);
    CHECK(json_get(v, "missing") == NULL);
    CHECK(json_array_item(cmds, 2) == NULL);
    json_free(v);
}

static void test_escapes(void) {
    expect_string("\"~!@#$%^&*()_+`-={}|[]\\u005c:\\u0022;'<>?,./ \"",
                  "~!@#$%^&*()_+`-={}|[]\\:\";'<>?,./ ", 33);
    expect_string("\"\\u0000\\u0001\\u001f\"", "\0\1\x1f", 3);
    expect_string("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8);
    expect_string("\"\\u00c5\\u212B\"", "\xc3\x85\xe2\x84\xab", 5);
    expect_string("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4); /* U+1F600 */
    expect_string("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4); /* U+10FFFF */
    expect_string("\"\xef\xbb\xbf\xc3\x85\"", "\xef\xbb\xbf\xc3\x85", 5); /* raw UTF-8 */
    expect_string("\"\"", "", 0);
}

static void test_values(void) {
    json_value *v = parse(" [true, false, null, -0, 1.5e3, 0.25, 12345678901234567890] ");
    CHECK(v && json_array_count(v) == 7);
    if (v && json_array_count(v) == 7) {
        CHECK(v->u.array.items[0]->kind == JSON_BOOL && v->u.array.items[0]->u.boolean);
        CHECK(v->u.array.items[1]->kind == JSON_BOOL && !v->u.array.items[1]->u.boolean);
        CHECK(v->u.array.items[2]->kind == JSON_NULL);
        unsigned long long n;
        CHECK(!json_uint(v->u.array.items[3], &n)); /* negative */
        CHECK(!json_uint(v->u.array.items[4], &n)); /* not an integer literal */
        CHECK(json_uint(v->u.array.items[6], &n) && n == 12345678901234567890ULL);
    }
    json_free(v);
    v = parse("[18446744073709551616]");
    unsigned long long n;
    CHECK(v && !json_uint(json_array_item(v, 0), &n)); /* 2^64 does not fit */
    json_free(v);
    v = parse("{\"a\\u0000b\": 1}");
    CHECK(v && v->kind == JSON_OBJECT && v->u.object.count == 1 && v->u.object.members[0].key_len == 3);
    json_free(v);
}

static void test_rejects(void) {
    expect_reject("");
    expect_reject("   ");
    expect_reject("[1,]");
    expect_reject("{\"a\":1,}");
    expect_reject("{\"a\" 1}");
    expect_reject("{a:1}");
    expect_reject("[01]");
    expect_reject("[1.]");
    expect_reject("[.5]");
    expect_reject("[1e]");
    expect_reject("[+1]");
    expect_reject("[tru]");
    expect_reject("[nul]");
    expect_reject("\"abc");
    expect_reject("\"a\\x\"");
    expect_reject("\"\\u12\"");
    expect_reject("\"\\u12G4\"");
    expect_reject("\"\\ud83d\"");        /* lone high surrogate */
    expect_reject("\"\\ud83d\\u0041\""); /* high surrogate + non-surrogate */
    expect_reject("\"\\ude00\"");        /* lone low surrogate */
    expect_reject("\"a\nb\"");           /* raw control character */
    expect_reject("\"\xc3\"");           /* truncated UTF-8 */
    expect_reject("\"\xc0\xaf\"");       /* overlong */
    expect_reject("\"\xed\xa0\x80\"");   /* encoded surrogate */
    expect_reject("\"\xf4\x90\x80\x80\""); /* above U+10FFFF */
    expect_reject("\"\xff\"");
    expect_reject("{} {}");
    expect_reject("[1] x");
    expect_reject("[1 2]");
    expect_reject("// comment\n{}");
    /* Nesting is capped so hostile input cannot blow the C stack. */
    char deep[4001];
    memset(deep, '[', 4000);
    deep[4000] = '\0';
    expect_reject(deep);
    /* Embedded NUL outside a string. */
    char err[200];
    CHECK(json_parse("[1]\0", 4, err, sizeof err) == NULL);
}

static void test_error_position(void) {
    char err[200];
    CHECK(json_parse("{\n  \"a\": tru\n}", 14, err, sizeof err) == NULL);
    CHECK(strncmp(err, "line 2, column 8:", 17) == 0);
}

int main(void) {
    test_command_file_shape();
    test_escapes();
    test_values();
    test_rejects();
    test_error_position();
    return check_report("json");
}
