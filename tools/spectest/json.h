/*
 * json.h — a small, strict JSON reader for the spec runner's command files.
 *
 * Parses a whole document into a tree. Strings are kept as byte arrays with a
 * length because wast2json emits export names that contain "\u0000"; they are
 * also NUL-terminated for convenience. Numbers keep their source text, since
 * the runner only ever reads them as integers (line numbers).
 *
 * Strict means: RFC 8259 grammar only (no comments, no trailing commas, no
 * leading zeros), strings must be valid UTF-8 without raw control characters,
 * \u escapes must form valid code points (surrogates only in pairs), and
 * nesting is limited so hostile input cannot exhaust the C stack.
 */
#ifndef ISORUN_SPECTEST_JSON_H
#define ISORUN_SPECTEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum json_kind {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_kind;

typedef struct json_value json_value;

typedef struct json_member {
    char *key; /* NUL-terminated; key_len bytes (may contain NUL) */
    size_t key_len;
    json_value *value;
} json_member;

struct json_value {
    json_kind kind;
    union {
        bool boolean;
        struct {
            char *text; /* the number as written, NUL-terminated */
        } number;
        struct {
            char *bytes; /* UTF-8, NUL-terminated; len excludes the terminator */
            size_t len;
        } string;
        struct {
            json_value **items;
            size_t count;
        } array;
        struct {
            json_member *members; /* in document order */
            size_t count;
        } object;
    } u;
};

/* Parses text[0..len). On success returns the tree (free with json_free).
 * On failure returns NULL and writes "line L, column C: reason" to
 * err[0..err_size). */
json_value *json_parse(const char *text, size_t len, char *err, size_t err_size);

void json_free(json_value *v);

/* The member named key (first match), or NULL when v is not an object or has
 * no such member. */
const json_value *json_get(const json_value *v, const char *key);

/* The string's bytes when v is a string, else NULL. *len_out (may be NULL)
 * receives the length. */
const char *json_string(const json_value *v, size_t *len_out);

/* Reads v as a non-negative integer (a JSON number without fraction or
 * exponent). False when v is not such a number or does not fit. */
bool json_uint(const json_value *v, unsigned long long *out);

/* Array access; json_array_count is 0 for non-arrays. */
size_t json_array_count(const json_value *v);
const json_value *json_array_item(const json_value *v, size_t i);

#endif /* ISORUN_SPECTEST_JSON_H */
