/*
 * signature.c — function signatures as text: parsing the "i32 i32 -> i32"
 * form host functions are declared with, and describing a signature in the
 * same form for error messages, so that what a user writes and what an error
 * shows look alike.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Reads one word starting at *p (after spaces); returns its length, 0 at the end. */
static size_t next_word(const char **p) {
    while (is_space(**p)) (*p)++;
    const char *s = *p;
    if (s[0] == '-' && s[1] == '>') return 2;
    size_t n = 0;
    while (s[n] && !is_space(s[n]) && !(s[n] == '-' && s[n + 1] == '>')) n++;
    return n;
}

static uint8_t valtype_of_word(const char *w, size_t n) {
    if (n != 3) return 0;
    if (!memcmp(w, "i32", 3)) return WASM_I32;
    if (!memcmp(w, "i64", 3)) return WASM_I64;
    if (!memcmp(w, "f32", 3)) return WASM_F32;
    if (!memcmp(w, "f64", 3)) return WASM_F64;
    return 0;
}

isorun_error *isr_signature_parse(const char *text, wasm_functype *out) {
    memset(out, 0, sizeof *out);
    if (!text) return isr_error(ISORUN_ERR_ARGUMENT, "signature is NULL: write e.g. \"i32 i32 -> i32\"");
    /* Two passes: count, then fill, so the array is allocated once. */
    uint32_t counts[2] = {0, 0};
    int side = 0;
    const char *p = text;
    for (size_t n; (n = next_word(&p)) != 0; p += n) {
        if (n == 2 && p[0] == '-' && p[1] == '>') {
            if (side == 1)
                return isr_error(ISORUN_ERR_ARGUMENT, "signature \"%s\": \"->\" appears twice", text);
            side = 1;
            continue;
        }
        if (!valtype_of_word(p, n))
            return isr_error(ISORUN_ERR_ARGUMENT,
                             "signature \"%s\": unknown type \"%.*s\" (use i32, i64, f32 or f64)", text, (int)n,
                             p);
        if (++counts[side] > 1000)
            return isr_error(ISORUN_ERR_ARGUMENT, "signature \"%s\": more than 1000 %s", text,
                             side ? "results" : "parameters");
    }
    if (side == 0)
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "signature \"%s\" lacks \"->\" between parameters and results (e.g. \"i32 -> i64\", "
                         "\"-> i32\", \"i32 ->\")",
                         text);
    size_t total = (size_t)counts[0] + counts[1];
    uint8_t *types = malloc(total ? total : 1);
    if (!types) return isr_error_nomem();
    size_t k = 0;
    p = text;
    for (size_t n; (n = next_word(&p)) != 0; p += n)
        if (!(n == 2 && p[0] == '-' && p[1] == '>')) types[k++] = valtype_of_word(p, n);
    out->nparams = counts[0];
    out->nresults = counts[1];
    out->types = types;
    return NULL;
}

bool isr_functype_describe(isr_buf *b, const wasm_functype *t) {
    bool ok = isr_buf_append(b, "(", 1);
    for (uint32_t i = 0; ok && i < t->nparams; i++)
        ok = isr_buf_printf(b, "%s ", wasm_valtype_name(wasm_functype_params(t)[i]));
    ok = ok && isr_buf_append(b, "->", 2);
    for (uint32_t i = 0; ok && i < t->nresults; i++)
        ok = isr_buf_printf(b, " %s", wasm_valtype_name(wasm_functype_results(t)[i]));
    return ok && isr_buf_append(b, ")", 1);
}

char *isr_functype_string(const wasm_functype *t) {
    isr_buf b = {0};
    if (!isr_functype_describe(&b, t) || !isr_buf_append(&b, "", 1)) {
        isr_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

bool isr_functype_is_numeric(const wasm_functype *t) {
    isorun_kind k;
    for (size_t i = 0; i < (size_t)t->nparams + t->nresults; i++)
        if (!isr_kind_of_valtype(t->types[i], &k)) return false;
    return true;
}

bool isr_functype_has_refs(const wasm_functype *t) {
    for (size_t i = 0; i < (size_t)t->nparams + t->nresults; i++)
        if (t->types[i] == WASM_FUNCREF || t->types[i] == WASM_EXTERNREF) return true;
    return false;
}

/* Names are arbitrary UTF-8 (even NUL), so control characters, quotes and
 * backslashes are escaped as \hh to keep a message one readable line. */
bool isr_append_quoted(isr_buf *b, const char *s, size_t n) {
    bool ok = isr_buf_append(b, "\"", 1);
    for (size_t i = 0; ok && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
            ok = isr_buf_printf(b, "\\%02x", c);
        else
            ok = isr_buf_append(b, &c, 1);
    }
    return ok && isr_buf_append(b, "\"", 1);
}
