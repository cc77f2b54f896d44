/* types_parse.c — reads the canonical type text (protocol.md, "Types") back
 * into a type tree. Whitespace between tokens is allowed, so hand-written
 * types in tests and tools read naturally; printing gives the canonical form
 * without it. The parser is bounded (depth, members, name length) because
 * the fuzzer feeds it arbitrary text. */
#include "component.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *s;
    size_t len, pos;
    unsigned depth;
    isorun_error *err;
} parser;

static bool fail(parser *p, const char *what) {
    if (!p->err) p->err = isr_error(ISORUN_ERR_ARGUMENT, "type text at offset %zu: %s", p->pos, what);
    return false;
}

static void skip_space(parser *p) {
    while (p->pos < p->len && isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static bool peek(parser *p, char c) {
    skip_space(p);
    return p->pos < p->len && p->s[p->pos] == c;
}

static bool accept(parser *p, char c) {
    if (!peek(p, c)) return false;
    p->pos++;
    return true;
}

static bool expect(parser *p, char c) {
    if (accept(p, c)) return true;
    char what[32];
    snprintf(what, sizeof what, "expected '%c'", c);
    return fail(p, what);
}

static bool is_name_char(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_'; }

/* A name or keyword: [A-Za-z0-9_-]+. Returns its span. */
static bool word(parser *p, const char **start, size_t *n) {
    skip_space(p);
    size_t b = p->pos;
    while (p->pos < p->len && is_name_char(p->s[p->pos])) p->pos++;
    if (p->pos == b) return fail(p, "expected a name");
    if (p->pos - b > CM_TYPE_MAX_NAME) return fail(p, "name longer than 256 bytes");
    *start = p->s + b;
    *n = p->pos - b;
    return true;
}

static bool word_is(const char *w, size_t n, const char *kw) { return strlen(kw) == n && memcmp(w, kw, n) == 0; }

static cm_type *new_node(parser *p, isorun_kind kind) {
    cm_type *t = calloc(1, sizeof *t);
    if (!t && !p->err) p->err = isr_error_nomem();
    if (t) t->kind = kind;
    return t;
}

static uint32_t sat_add(uint32_t a, uint32_t b) { return a > UINT32_MAX - b ? UINT32_MAX : a + b; }

/* Growable arrays of members and names while a compound type is read. */
typedef struct members {
    const cm_type **types;
    char **names;
    size_t n, cap_types, cap_names;
} members;

static bool push_member(parser *p, members *m, const cm_type *t, const char *name, size_t name_len, bool named) {
    if (m->n >= CM_TYPE_MAX_MEMBERS) return fail(p, "more than 1000 members");
    if (!isr_grow_array((void **)&m->types, &m->cap_types, m->n + 1, sizeof *m->types)) goto nomem;
    if (named) {
        for (size_t i = 0; i < m->n; i++)
            if (strlen(m->names[i]) == name_len && memcmp(m->names[i], name, name_len) == 0)
                return fail(p, "duplicate name");
        if (!isr_grow_array((void **)&m->names, &m->cap_names, m->n + 1, sizeof *m->names)) goto nomem;
        m->names[m->n] = isr_strndup(name, name_len);
        if (!m->names[m->n]) goto nomem;
    }
    m->types[m->n++] = t;
    return true;
nomem:
    if (!p->err) p->err = isr_error_nomem();
    return false;
}

static void members_free(members *m) {
    for (size_t i = 0; i < m->n; i++) {
        cm_type_free((cm_type *)m->types[i]);
        if (m->names) free(m->names[i]);
    }
    free(m->types);
    free(m->names);
}

static cm_type *parse_type(parser *p);

/* Moves the members into t (count, members and/or names). */
static cm_type *finish(parser *p, isorun_kind kind, members *m, bool keep_types, bool keep_names) {
    cm_type *t = new_node(p, kind);
    if (!t) {
        members_free(m);
        return NULL;
    }
    t->count = (uint32_t)m->n;
    if (keep_types) {
        t->members = m->types;
    } else {
        free(m->types);
    }
    if (keep_names) {
        t->names = m->names;
    } else {
        free(m->names);
    }
    return t;
}

/* '<' type '>' for list and option. */
static cm_type *parse_single(parser *p, isorun_kind kind) {
    if (!expect(p, '<')) return NULL;
    cm_type *inner = parse_type(p);
    if (!inner) return NULL;
    if (!expect(p, '>')) {
        cm_type_free(inner);
        return NULL;
    }
    cm_type *t = new_node(p, kind);
    const cm_type **slot = t ? calloc(1, sizeof *slot) : NULL;
    if (!slot) {
        free(t);
        cm_type_free(inner);
        if (!p->err) p->err = isr_error_nomem();
        return NULL;
    }
    slot[0] = inner;
    t->count = 1;
    t->members = slot;
    t->min_size = 1;
    return t;
}

static cm_type *parse_result(parser *p) {
    const cm_type *ok = NULL, *error = NULL;
    if (accept(p, '<')) {
        if (accept(p, '_')) {
            if (!expect(p, ',')) return NULL;
            if (!(error = parse_type(p))) return NULL;
        } else {
            if (!(ok = parse_type(p))) return NULL;
            if (accept(p, ',') && !(error = parse_type(p))) goto fail;
        }
        if (!expect(p, '>')) goto fail;
    }
    cm_type *t = new_node(p, ISORUN_RESULT);
    const cm_type **slots = t ? calloc(2, sizeof *slots) : NULL;
    if (!slots) {
        free(t);
        if (!p->err) p->err = isr_error_nomem();
        goto fail;
    }
    slots[0] = ok;
    slots[1] = error;
    t->count = 2;
    t->members = slots;
    t->min_size = 1;
    return t;
fail:
    cm_type_free((cm_type *)ok);
    cm_type_free((cm_type *)error);
    return NULL;
}

/* tuple<T,...> */
static cm_type *parse_tuple(parser *p) {
    members m = {0};
    if (!expect(p, '<')) return NULL;
    uint32_t size = 0;
    do {
        cm_type *t = parse_type(p);
        if (!t || !push_member(p, &m, t, NULL, 0, false)) {
            cm_type_free(t);
            goto fail;
        }
        size = sat_add(size, t->min_size);
    } while (accept(p, ','));
    if (!expect(p, '>')) goto fail;
    cm_type *t = finish(p, ISORUN_TUPLE, &m, true, false);
    if (t) t->min_size = size;
    return t;
fail:
    members_free(&m);
    return NULL;
}

/* record{name:T,...}, variant{name(T),name,...}, enum{name,...},
 * flags{name,...}: a non-empty list of distinct names, as in the component
 * model (which has no empty records, variants, enums or flags). */
static cm_type *parse_named(parser *p, isorun_kind kind) {
    members m = {0};
    if (!expect(p, '{')) return NULL;
    uint32_t size = 0;
    do {
        const char *name;
        size_t n;
        if (!word(p, &name, &n)) goto fail;
        cm_type *t = NULL;
        if (kind == ISORUN_RECORD) {
            if (!expect(p, ':') || !(t = parse_type(p))) goto fail;
            size = sat_add(size, t->min_size);
        } else if (kind == ISORUN_VARIANT && accept(p, '(')) {
            if (!(t = parse_type(p))) goto fail;
            if (!expect(p, ')')) {
                cm_type_free(t);
                goto fail;
            }
        }
        if (!push_member(p, &m, t, name, n, true)) {
            cm_type_free(t);
            goto fail;
        }
    } while (accept(p, ','));
    if (!expect(p, '}')) goto fail;
    bool has_types = kind == ISORUN_RECORD || kind == ISORUN_VARIANT;
    cm_type *t = finish(p, kind, &m, has_types, true);
    if (!t) return NULL;
    if (kind == ISORUN_RECORD)
        t->min_size = size;
    else if (kind == ISORUN_FLAGS)
        t->min_size = (t->count + 7) / 8;
    else
        t->min_size = 1;
    return t;
fail:
    members_free(&m);
    return NULL;
}

static cm_type *parse_handle(parser *p, isorun_kind kind) {
    const char *name;
    size_t n;
    if (!expect(p, '<') || !word(p, &name, &n) || !expect(p, '>')) return NULL;
    cm_type *t = new_node(p, kind);
    char **names = t ? calloc(1, sizeof *names) : NULL;
    char *copy = names ? isr_strndup(name, n) : NULL;
    if (!copy) {
        free(names);
        free(t);
        if (!p->err) p->err = isr_error_nomem();
        return NULL;
    }
    names[0] = copy;
    t->names = names;
    t->min_size = 1;
    return t;
}

static cm_type *parse_type(parser *p) {
    const char *w;
    size_t n;
    if (!word(p, &w, &n)) return NULL;
    for (int k = 0; k < ISORUN_KIND_COUNT_; k++) {
        const char *keyword = cm_scalar_keyword((isorun_kind)k);
        /* Scalars are shared singletons; cm_type_free leaves them alone. */
        if (keyword && word_is(w, n, keyword)) return (cm_type *)cm_type_scalar((isorun_kind)k);
    }
    if (p->depth >= CM_TYPE_MAX_DEPTH) {
        p->pos -= n;
        fail(p, "type nested more than 32 levels deep");
        return NULL;
    }
    p->depth++;
    cm_type *t = NULL;
    if (word_is(w, n, "list")) t = parse_single(p, ISORUN_LIST);
    else if (word_is(w, n, "option")) t = parse_single(p, ISORUN_OPTION);
    else if (word_is(w, n, "result")) t = parse_result(p);
    else if (word_is(w, n, "tuple")) t = parse_tuple(p);
    else if (word_is(w, n, "record")) t = parse_named(p, ISORUN_RECORD);
    else if (word_is(w, n, "variant")) t = parse_named(p, ISORUN_VARIANT);
    else if (word_is(w, n, "enum")) t = parse_named(p, ISORUN_ENUM);
    else if (word_is(w, n, "flags")) t = parse_named(p, ISORUN_FLAGS);
    else if (word_is(w, n, "own")) t = parse_handle(p, ISORUN_OWN);
    else if (word_is(w, n, "borrow")) t = parse_handle(p, ISORUN_BORROW);
    else {
        p->pos -= n;
        fail(p, "unknown type name");
    }
    p->depth--;
    return t;
}

isorun_error *cm_type_parse(const char *text, size_t len, cm_type **out) {
    parser p = {.s = text, .len = len};
    cm_type *t = parse_type(&p);
    if (t) {
        skip_space(&p);
        if (p.pos != p.len) {
            fail(&p, "unexpected text after the type");
            cm_type_free(t);
            t = NULL;
        }
    }
    if (!t) return p.err ? p.err : isr_error(ISORUN_ERR_ARGUMENT, "bad type text");
    *out = t;
    return NULL;
}

/* "(" [type {"," type}] ")" into m. */
static bool parse_type_list(parser *p, members *m) {
    if (!expect(p, '(')) return false;
    if (accept(p, ')')) return true;
    do {
        cm_type *t = parse_type(p);
        if (!t || !push_member(p, m, t, NULL, 0, false)) {
            cm_type_free(t);
            return false;
        }
    } while (accept(p, ','));
    return expect(p, ')');
}

isorun_error *cm_functype_parse(const char *text, size_t len, cm_owned_functype *out) {
    parser p = {.s = text, .len = len};
    members params = {0}, results = {0};
    const char *w;
    size_t n;
    bool ok = word(&p, &w, &n) && (word_is(w, n, "func") || fail(&p, "expected 'func'")) &&
              parse_type_list(&p, &params) && expect(&p, '-') && expect(&p, '>') &&
              parse_type_list(&p, &results);
    skip_space(&p);
    if (ok && p.pos != p.len) ok = fail(&p, "unexpected text after the function type");
    cm_type **all = NULL;
    if (ok && !(all = calloc(params.n + results.n + 1, sizeof *all))) {
        p.err = isr_error_nomem();
        ok = false;
    }
    if (!ok) {
        members_free(&params);
        members_free(&results);
        return p.err ? p.err : isr_error(ISORUN_ERR_ARGUMENT, "bad function type text");
    }
    for (size_t i = 0; i < params.n; i++) all[i] = (cm_type *)params.types[i];
    for (size_t i = 0; i < results.n; i++) all[params.n + i] = (cm_type *)results.types[i];
    out->types = all;
    out->ft.nparams = (uint32_t)params.n;
    out->ft.nresults = (uint32_t)results.n;
    out->ft.params = (const cm_type *const *)all;
    out->ft.results = (const cm_type *const *)(all + params.n);
    free(params.types);
    free(results.types);
    return NULL;
}

void cm_owned_functype_free(cm_owned_functype *f) {
    if (!f->types) return;
    for (uint32_t i = 0; i < f->ft.nparams + f->ft.nresults; i++) cm_type_free(f->types[i]);
    free(f->types);
    f->types = NULL;
}
