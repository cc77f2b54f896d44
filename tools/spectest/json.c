/* json.c — the strict JSON reader described in json.h. */
#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for any wast2json file (depth 5), shallow enough that the
 * recursive descent cannot overflow the C stack on hostile input. */
#define JSON_MAX_DEPTH 128

typedef struct parser {
    const unsigned char *text;
    size_t len;
    size_t pos;
    int depth;
    char *err;
    size_t err_size;
    bool failed;
} parser;

static void fail(parser *p, const char *fmt, ...) {
    if (p->failed) return; /* keep the first, most precise, reason */
    p->failed = true;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) {
        if (p->text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (!p->err || p->err_size == 0) return;
    int n = snprintf(p->err, p->err_size, "line %zu, column %zu: ", line, col);
    if (n < 0 || (size_t)n >= p->err_size) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
    va_end(ap);
}

static void skip_whitespace(parser *p) {
    while (p->pos < p->len) {
        unsigned char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

static bool at_end(const parser *p) { return p->pos >= p->len; }
static int peek(const parser *p) { return at_end(p) ? -1 : p->text[p->pos]; }

static json_value *new_value(parser *p, json_kind kind) {
    json_value *v = calloc(1, sizeof *v);
    if (!v) fail(p, "out of memory");
    else v->kind = kind;
    return v;
}

/* A growable byte buffer for string contents. */
typedef struct bytes {
    char *data;
    size_t len, cap;
} bytes;

static bool bytes_push(bytes *b, const void *src, size_t n) {
    if (n > SIZE_MAX - b->len - 1) return false;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2) return false;
            cap *= 2;
        }
        char *data = realloc(b->data, cap);
        if (!data) return false;
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static size_t encode_utf8(uint32_t cp, unsigned char out[4]) {
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the well-formed UTF-8 sequence starting at s[0] (a byte >= 0x80),
 * or 0 when it is malformed, overlong, a surrogate or above U+10FFFF. */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail) {
    unsigned char c = s[0];
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (avail < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

static bool read_hex4(parser *p, uint32_t *out) {
    if (p->len - p->pos < 4) {
        fail(p, "truncated \\u escape");
        return false;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p->text[p->pos + (size_t)i];
        uint32_t d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10u;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10u;
        else {
            p->pos += (size_t)i;
            fail(p, "bad hex digit in \\u escape");
            return false;
        }
        v = v << 4 | d;
    }
    p->pos += 4;
    *out = v;
    return true;
}

/* Reads a \u escape of four hex digits (p->pos just after the 'u'), joining a surrogate pair
 * into one code point. */
static bool read_unicode_escape(parser *p, uint32_t *cp) {
    uint32_t hi;
    if (!read_hex4(p, &hi)) return false;
    if (hi >= 0xDC00 && hi <= 0xDFFF) {
        fail(p, "lone low surrogate \\u%04X", (unsigned)hi);
        return false;
    }
    if (hi < 0xD800 || hi > 0xDBFF) {
        *cp = hi;
        return true;
    }
    if (p->len - p->pos < 2 || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u') {
        fail(p, "high surrogate \\u%04X not followed by a low surrogate", (unsigned)hi);
        return false;
    }
    p->pos += 2;
    uint32_t lo;
    if (!read_hex4(p, &lo)) return false;
    if (lo < 0xDC00 || lo > 0xDFFF) {
        fail(p, "high surrogate \\u%04X followed by \\u%04X", (unsigned)hi, (unsigned)lo);
        return false;
    }
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    return true;
}

/* Reads a string (p->pos at the opening quote) into a fresh buffer. */
static bool parse_string_bytes(parser *p, char **out, size_t *out_len) {
    bytes b = {0};
    p->pos++; /* opening quote */
    for (;;) {
        if (at_end(p)) {
            fail(p, "unterminated string");
            goto error;
        }
        unsigned char c = p->text[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c < 0x20) {
            fail(p, "raw control character 0x%02X in string", c);
            goto error;
        }
        if (c == '\\') {
            p->pos++;
            if (at_end(p)) {
                fail(p, "unterminated escape");
                goto error;
            }
            unsigned char e = p->text[p->pos++];
            unsigned char utf8[4];
            size_t n = 1;
            switch (e) {
            case '"': utf8[0] = '"'; break;
            case '\\': utf8[0] = '\\'; break;
            case '/': utf8[0] = '/'; break;
            case 'b': utf8[0] = '\b'; break;
            case 'f': utf8[0] = '\f'; break;
            case 'n': utf8[0] = '\n'; break;
            case 'r': utf8[0] = '\r'; break;
            case 't': utf8[0] = '\t'; break;
            case 'u': {
                uint32_t cp;
                if (!read_unicode_escape(p, &cp)) goto error;
                n = encode_utf8(cp, utf8);
                break;
            }
            default:
                p->pos--;
                fail(p, "unknown escape \\%c", e >= 0x20 && e < 0x7F ? e : '?');
                goto error;
            }
            if (!bytes_push(&b, utf8, n)) {
                fail(p, "out of memory");
                goto error;
            }
            continue;
        }
        size_t n = 1;
        if (c >= 0x80) {
            n = utf8_sequence_length(p->text + p->pos, p->len - p->pos);
            if (n == 0) {
                fail(p, "invalid UTF-8 in string");
                goto error;
            }
        }
        if (!bytes_push(&b, p->text + p->pos, n)) {
            fail(p, "out of memory");
            goto error;
        }
        p->pos += n;
    }
    if (!b.data && !bytes_push(&b, "", 0)) { /* the empty string still needs its NUL */
        fail(p, "out of memory");
        goto error;
    }
    *out = b.data;
    *out_len = b.len;
    return true;
error:
    free(b.data);
    return false;
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static json_value *parse_number(parser *p) {
    size_t start = p->pos;
    if (peek(p) == '-') p->pos++;
    if (peek(p) == '0') {
        p->pos++;
        if (is_digit(peek(p))) {
            fail(p, "leading zero in number");
            return NULL;
        }
    } else if (is_digit(peek(p))) {
        while (is_digit(peek(p))) p->pos++;
    } else {
        fail(p, "expected a digit");
        return NULL;
    }
    if (peek(p) == '.') {
        p->pos++;
        if (!is_digit(peek(p))) {
            fail(p, "expected a digit after '.'");
            return NULL;
        }
        while (is_digit(peek(p))) p->pos++;
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') p->pos++;
        if (!is_digit(peek(p))) {
            fail(p, "expected a digit in exponent");
            return NULL;
        }
        while (is_digit(peek(p))) p->pos++;
    }
    json_value *v = new_value(p, JSON_NUMBER);
    if (!v) return NULL;
    size_t n = p->pos - start;
    v->u.number.text = malloc(n + 1);
    if (!v->u.number.text) {
        free(v);
        fail(p, "out of memory");
        return NULL;
    }
    memcpy(v->u.number.text, p->text + start, n);
    v->u.number.text[n] = '\0';
    return v;
}

static bool match_literal(parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0) {
        fail(p, "unexpected character");
        return false;
    }
    p->pos += n;
    return true;
}

static json_value *parse_value(parser *p);

/* Grows *items (of *cap elements of size elem) to hold need elements. */
static bool grow(void **items, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    size_t cap2 = *cap ? *cap * 2 : 4;
    if (cap2 < need) cap2 = need;
    if (cap2 > SIZE_MAX / elem) return false;
    void *p = realloc(*items, cap2 * elem);
    if (!p) return false;
    *items = p;
    *cap = cap2;
    return true;
}

static json_value *parse_array(parser *p) {
    json_value *v = new_value(p, JSON_ARRAY);
    if (!v) return NULL;
    size_t cap = 0;
    p->pos++; /* '[' */
    skip_whitespace(p);
    if (peek(p) == ']') {
        p->pos++;
        return v;
    }
    for (;;) {
        json_value *item = parse_value(p);
        if (!item) goto error;
        if (!grow((void **)&v->u.array.items, &cap, v->u.array.count + 1, sizeof(json_value *))) {
            json_free(item);
            fail(p, "out of memory");
            goto error;
        }
        v->u.array.items[v->u.array.count++] = item;
        skip_whitespace(p);
        int c = peek(p);
        if (c == ',') {
            p->pos++;
            continue;
        }
        if (c == ']') {
            p->pos++;
            return v;
        }
        fail(p, c < 0 ? "unterminated array" : "expected ',' or ']'");
        goto error;
    }
error:
    json_free(v);
    return NULL;
}

static json_value *parse_object(parser *p) {
    json_value *v = new_value(p, JSON_OBJECT);
    if (!v) return NULL;
    size_t cap = 0;
    p->pos++; /* '{' */
    skip_whitespace(p);
    if (peek(p) == '}') {
        p->pos++;
        return v;
    }
    for (;;) {
        skip_whitespace(p);
        if (peek(p) != '"') {
            fail(p, at_end(p) ? "unterminated object" : "expected a string key");
            goto error;
        }
        json_member m = {0};
        if (!parse_string_bytes(p, &m.key, &m.key_len)) goto error;
        skip_whitespace(p);
        if (peek(p) != ':') {
            free(m.key);
            fail(p, "expected ':'");
            goto error;
        }
        p->pos++;
        m.value = parse_value(p);
        if (!m.value) {
            free(m.key);
            goto error;
        }
        if (!grow((void **)&v->u.object.members, &cap, v->u.object.count + 1, sizeof(json_member))) {
            free(m.key);
            json_free(m.value);
            fail(p, "out of memory");
            goto error;
        }
        v->u.object.members[v->u.object.count++] = m;
        skip_whitespace(p);
        int c = peek(p);
        if (c == ',') {
            p->pos++;
            continue;
        }
        if (c == '}') {
            p->pos++;
            return v;
        }
        fail(p, c < 0 ? "unterminated object" : "expected ',' or '}'");
        goto error;
    }
error:
    json_free(v);
    return NULL;
}

static json_value *parse_value(parser *p) {
    skip_whitespace(p);
    if (at_end(p)) {
        fail(p, "unexpected end of input");
        return NULL;
    }
    int c = peek(p);
    json_value *v = NULL;
    switch (c) {
    case '{':
    case '[':
        if (p->depth >= JSON_MAX_DEPTH) {
            fail(p, "nesting deeper than %d", JSON_MAX_DEPTH);
            return NULL;
        }
        p->depth++;
        v = c == '{' ? parse_object(p) : parse_array(p);
        p->depth--;
        return v;
    case '"': {
        v = new_value(p, JSON_STRING);
        if (v && !parse_string_bytes(p, &v->u.string.bytes, &v->u.string.len)) {
            free(v);
            v = NULL;
        }
        return v;
    }
    case 't':
    case 'f':
        if (!match_literal(p, c == 't' ? "true" : "false")) return NULL;
        v = new_value(p, JSON_BOOL);
        if (v) v->u.boolean = c == 't';
        return v;
    case 'n':
        if (!match_literal(p, "null")) return NULL;
        return new_value(p, JSON_NULL);
    default:
        if (c == '-' || is_digit(c)) return parse_number(p);
        fail(p, "unexpected character");
        return NULL;
    }
}

json_value *json_parse(const char *text, size_t len, char *err, size_t err_size) {
    parser p = {(const unsigned char *)text, len, 0, 0, err, err_size, false};
    if (err && err_size) err[0] = '\0';
    if (!text) {
        fail(&p, "no input");
        return NULL;
    }
    json_value *v = parse_value(&p);
    if (!v) return NULL;
    skip_whitespace(&p);
    if (!at_end(&p)) {
        fail(&p, "trailing characters after the document");
        json_free(v);
        return NULL;
    }
    return v;
}

void json_free(json_value *v) {
    if (!v) return;
    switch (v->kind) {
    case JSON_NUMBER: free(v->u.number.text); break;
    case JSON_STRING: free(v->u.string.bytes); break;
    case JSON_ARRAY:
        for (size_t i = 0; i < v->u.array.count; i++) json_free(v->u.array.items[i]);
        free(v->u.array.items);
        break;
    case JSON_OBJECT:
        for (size_t i = 0; i < v->u.object.count; i++) {
            free(v->u.object.members[i].key);
            json_free(v->u.object.members[i].value);
        }
        free(v->u.object.members);
        break;
    default: break;
    }
    free(v);
}

const json_value *json_get(const json_value *v, const char *key) {
    if (!v || v->kind != JSON_OBJECT || !key) return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < v->u.object.count; i++) {
        const json_member *m = &v->u.object.members[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0) return m->value;
    }
    return NULL;
}

const char *json_string(const json_value *v, size_t *len_out) {
    if (!v || v->kind != JSON_STRING) return NULL;
    if (len_out) *len_out = v->u.string.len;
    return v->u.string.bytes;
}

bool json_uint(const json_value *v, unsigned long long *out) {
    if (!v || v->kind != JSON_NUMBER) return false;
    const char *s = v->u.number.text;
    if (!*s) return false;
    unsigned long long n = 0;
    for (; *s; s++) {
        if (!is_digit((unsigned char)*s)) return false; /* '-', '.', 'e' */
        unsigned d = (unsigned)(*s - '0');
        if (n > (~0ULL - d) / 10) return false;
        n = n * 10 + d;
    }
    *out = n;
    return true;
}

size_t json_array_count(const json_value *v) {
    return v && v->kind == JSON_ARRAY ? v->u.array.count : 0;
}

const json_value *json_array_item(const json_value *v, size_t i) {
    return i < json_array_count(v) ? v->u.array.items[i] : NULL;
}
