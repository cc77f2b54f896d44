/*
 * test_canon.c — the canonical ABI (src/component/canon_*.c): layouts and
 * flattening against values worked out by hand from CanonicalABI.md; round
 * trips of every kind through flat values and through memory; the exact
 * bytes and flat values the spec prescribes; functions whose parameters and
 * results spill; every trap a guest can cause; and a real clang-built guest
 * (tests/guests/canon_greet.c) called both ways through the wasm layer.
 *
 * The fake guest memory is a byte array with a bump allocator for realloc.
 * It can move its bytes on every realloc (as a growing wasm memory may), so
 * under AddressSanitizer a stale base pointer is caught, and it can
 * misbehave on a chosen call (an out-of-bounds or misaligned pointer, or an
 * error as if the guest trapped).
 */
#include "check.h"
#include "engine_helpers.h"

#include "../../src/component/component.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- fake guest memory ------------------------------------------------------- */

typedef struct realloc_call {
    uint32_t align, size, ret;
} realloc_call;

typedef struct fake_mem {
    cm_memory mem;
    uint8_t *bytes;
    uint64_t size;
    uint32_t next; /* bump allocator */
    int nreallocs;
    realloc_call calls[64];
    int bad_at;       /* 1-based realloc call that misbehaves; 0: none */
    uint32_t bad_ptr; /* ...returning this pointer */
    bool bad_fails;   /* ...or failing as if the guest trapped */
    bool moves;       /* every realloc moves the bytes to a new host buffer */
} fake_mem;

static void fake_view(void *env, uint8_t **base, uint64_t *size) {
    fake_mem *m = env;
    *base = m->bytes;
    *size = m->size;
}

static isorun_error *fake_realloc(void *env, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size,
                                  uint32_t *out) {
    fake_mem *m = env;
    CHECK(old_ptr == 0 && old_size == 0); /* the canonical ABI only ever allocates anew */
    CHECK(align == 1 || align == 2 || align == 4 || align == 8);
    int call = ++m->nreallocs;
    if (call == m->bad_at) {
        if (m->bad_fails) return isorun_error_new_trap(ISORUN_TRAP_UNREACHABLE, "the guest's realloc trapped");
        *out = m->bad_ptr;
        return NULL;
    }
    uint64_t p = ((uint64_t)m->next + align - 1) / align * align;
    if (p + new_size > m->size) return isorun_error_new_trap(ISORUN_TRAP_UNREACHABLE, "fake memory is full");
    m->next = (uint32_t)(p + new_size);
    if (call <= 64) m->calls[call - 1] = (realloc_call){align, new_size, (uint32_t)p};
    if (m->moves) {
        uint8_t *moved = malloc(m->size);
        REQUIRE(moved != NULL);
        memcpy(moved, m->bytes, m->size);
        free(m->bytes);
        m->bytes = moved;
    }
    *out = (uint32_t)p;
    return NULL;
}

static void fake_init(fake_mem *m, uint64_t size) {
    memset(m, 0, sizeof *m);
    m->bytes = malloc(size);
    REQUIRE(m->bytes != NULL);
    memset(m->bytes, 0xCD, size); /* not zero: padding and stale bytes must not look like values */
    m->size = size;
    m->next = 16;
    m->mem = (cm_memory){.env = m, .view = fake_view, .realloc = fake_realloc};
}

static void fake_free(fake_mem *m) { free(m->bytes); }

static void put32(fake_mem *m, uint32_t at, uint32_t v) {
    for (int i = 0; i < 4; i++) m->bytes[at + i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const fake_mem *m, uint32_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)m->bytes[at + i] << (8 * i);
    return v;
}

/* ---- types ------------------------------------------------------------------- */

typedef struct typed {
    cm_type *type;
    cm_abi *abi;
} typed;

/* Parses and lays out a type; abandons the test when either fails. */
static typed typed_at(const char *text, int line) {
    typed t = {0};
    isorun_error *err = cm_type_parse(text, strlen(text), &t.type);
    if (!err) err = cm_abi_new(t.type, &t.abi);
    check_record(err == NULL, __FILE__, line, "the type parses and has a layout");
    if (err) {
        fprintf(stderr, "    %s: %s\n", text, isorun_error_message(err));
        isorun_error_free(err);
        cm_type_free(t.type);
        longjmp(check_abandon_test, 1);
    }
    return t;
}
#define TYPED(text) typed_at(text, __LINE__)

static void typed_free(typed *t) {
    cm_abi_free(t->abi);
    cm_type_free(t->type);
}

/* The layout error of a type that cannot cross the ABI (or NULL). */
static isorun_error *layout_error(const char *text) {
    cm_type *t = NULL;
    cm_abi *a = NULL;
    isorun_error *err = cm_type_parse(text, strlen(text), &t);
    if (err) return err;
    err = cm_abi_new(t, &a);
    cm_abi_free(a);
    cm_type_free(t);
    return err;
}

/* "i32 i64 ..." for flat types. */
static const char *flat_text(const uint8_t *flat, uint32_t n, char *buf, size_t cap) {
    static const char *const names[] = {"i32", "i64", "f32", "f64"};
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n && used + 5 < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? " " : "", flat[i] < 4 ? names[flat[i]] : "?");
    return buf;
}

static const char *kinds_text(const isorun_kind *kinds, uint32_t n, char *buf, size_t cap) {
    uint8_t flat[40];
    for (uint32_t i = 0; i < n && i < 40; i++) flat[i] = (uint8_t)kinds[i];
    return flat_text(flat, n, buf, cap);
}

/* ---- values -------------------------------------------------------------------- */

static isorun_val V(isorun_kind k) {
    isorun_val v;
    memset(&v, 0, sizeof v);
    v.kind = k;
    return v;
}
static isorun_val V_bool(bool b) { isorun_val v = V(ISORUN_BOOL); v.of.b = b; return v; }
static isorun_val V_s8(int8_t x) { isorun_val v = V(ISORUN_S8); v.of.s8 = x; return v; }
static isorun_val V_u8(uint8_t x) { isorun_val v = V(ISORUN_U8); v.of.u8 = x; return v; }
static isorun_val V_s16(int16_t x) { isorun_val v = V(ISORUN_S16); v.of.s16 = x; return v; }
static isorun_val V_u16(uint16_t x) { isorun_val v = V(ISORUN_U16); v.of.u16 = x; return v; }
static isorun_val V_s32(int32_t x) { isorun_val v = V(ISORUN_S32); v.of.s32 = x; return v; }
static isorun_val V_u32(uint32_t x) { isorun_val v = V(ISORUN_U32); v.of.u32 = x; return v; }
static isorun_val V_s64(int64_t x) { isorun_val v = V(ISORUN_S64); v.of.s64 = x; return v; }
static isorun_val V_u64(uint64_t x) { isorun_val v = V(ISORUN_U64); v.of.u64 = x; return v; }
static isorun_val V_f32(float x) { isorun_val v = V(ISORUN_F32); v.of.f32 = x; return v; }
static isorun_val V_f64(double x) { isorun_val v = V(ISORUN_F64); v.of.f64 = x; return v; }
static isorun_val V_char(uint32_t c) { isorun_val v = V(ISORUN_CHAR); v.of.ch = c; return v; }

static isorun_val V_strn(const char *s, size_t n) {
    isorun_val v = V(ISORUN_STRING);
    v.of.string.data = malloc(n + 1);
    REQUIRE(v.of.string.data != NULL);
    memcpy(v.of.string.data, s, n);
    v.of.string.data[n] = '\0';
    v.of.string.len = n;
    return v;
}
static isorun_val V_str(const char *s) { return V_strn(s, strlen(s)); }

/* A LIST, RECORD or TUPLE of n values (taken over). */
static isorun_val V_seq(isorun_kind k, size_t n, ...) {
    isorun_val v = V(k);
    v.of.seq.len = n;
    v.of.seq.items = n ? calloc(n, sizeof(isorun_val)) : NULL;
    REQUIRE(n == 0 || v.of.seq.items != NULL);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) v.of.seq.items[i] = va_arg(ap, isorun_val);
    va_end(ap);
    return v;
}

/* A VARIANT, ENUM, OPTION or RESULT case without payload, and with one. */
static isorun_val V_case(isorun_kind k, uint32_t tag) {
    isorun_val v = V(k);
    v.of.variant.tag = tag;
    return v;
}
static isorun_val V_case1(isorun_kind k, uint32_t tag, isorun_val payload) {
    isorun_val v = V_case(k, tag);
    v.of.variant.payload = malloc(sizeof(isorun_val));
    REQUIRE(v.of.variant.payload != NULL);
    *v.of.variant.payload = payload;
    return v;
}

static isorun_val V_flags(uint32_t count, uint64_t bits) {
    isorun_val v = V(ISORUN_FLAGS);
    v.of.flags.count = count;
    v.of.flags.words = malloc(sizeof(uint64_t));
    REQUIRE(v.of.flags.words != NULL);
    v.of.flags.words[0] = bits;
    return v;
}

static uint32_t f32_bits(float f) {
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static uint64_t f64_bits(double d) {
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

/* Deep equality; floats by their bits. */
static bool val_eq(const isorun_val *a, const isorun_val *b) {
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case ISORUN_BOOL: return a->of.b == b->of.b;
    case ISORUN_S8: case ISORUN_U8: return a->of.u8 == b->of.u8;
    case ISORUN_S16: case ISORUN_U16: return a->of.u16 == b->of.u16;
    case ISORUN_I32: case ISORUN_S32: case ISORUN_U32: return a->of.u32 == b->of.u32;
    case ISORUN_I64: case ISORUN_S64: case ISORUN_U64: return a->of.u64 == b->of.u64;
    case ISORUN_F32: return f32_bits(a->of.f32) == f32_bits(b->of.f32);
    case ISORUN_F64: return f64_bits(a->of.f64) == f64_bits(b->of.f64);
    case ISORUN_CHAR: return a->of.ch == b->of.ch;
    case ISORUN_STRING:
        return a->of.string.len == b->of.string.len &&
               memcmp(a->of.string.data, b->of.string.data, a->of.string.len) == 0 &&
               a->of.string.data[a->of.string.len] == '\0';
    case ISORUN_LIST: case ISORUN_RECORD: case ISORUN_TUPLE:
        if (a->of.seq.len != b->of.seq.len) return false;
        for (size_t i = 0; i < a->of.seq.len; i++)
            if (!val_eq(&a->of.seq.items[i], &b->of.seq.items[i])) return false;
        return true;
    case ISORUN_VARIANT: case ISORUN_ENUM: case ISORUN_OPTION: case ISORUN_RESULT:
        if (a->of.variant.tag != b->of.variant.tag) return false;
        if (!a->of.variant.payload || !b->of.variant.payload) return !a->of.variant.payload && !b->of.variant.payload;
        return val_eq(a->of.variant.payload, b->of.variant.payload);
    case ISORUN_FLAGS: return a->of.flags.count == b->of.flags.count && a->of.flags.words[0] == b->of.flags.words[0];
    default: return false;
    }
}

/* Checks err is NULL; prints and frees it otherwise. */
static bool ok_at(isorun_error *err, int line) {
    check_record(err == NULL, __FILE__, line, "no error");
    if (err) {
        fprintf(stderr, "    %s: %s\n", isorun_error_code_name(isorun_error_code_of(err)), isorun_error_message(err));
        isorun_error_free(err);
    }
    return err == NULL;
}
#define OK(err) ok_at(err, __LINE__)

/* Checks err's code, trap and that its message contains `needle`; frees it. */
static void fails_at(isorun_error *err, isorun_error_code code, isorun_trap_code trap, const char *needle, int line) {
    if (check_error_kind_at(err, code, trap, __FILE__, line) && needle) {
        const char *msg = isorun_error_message(err);
        bool has = strstr(msg, needle) != NULL;
        check_record(has, __FILE__, line, "the message says what went wrong");
        if (!has) fprintf(stderr, "    \"%s\" lacks \"%s\"\n", msg, needle);
    }
    isorun_error_free(err);
}
#define FAILS(err, code, trap, needle) fails_at(err, code, trap, needle, __LINE__)
#define TRAPS(err, trap, needle) fails_at(err, ISORUN_ERR_TRAP, trap, needle, __LINE__)

/* ---- layouts ------------------------------------------------------------------ */

typedef struct layout_case {
    const char *type;
    uint32_t size, align;
    const char *flat; /* NULL: more than 16 flat values */
} layout_case;

/* Worked out by hand from the spec's alignment, elem_size and flatten_type. */
static const layout_case layouts[] = {
    {"bool", 1, 1, "i32"},
    {"s8", 1, 1, "i32"},
    {"u8", 1, 1, "i32"},
    {"s16", 2, 2, "i32"},
    {"u16", 2, 2, "i32"},
    {"s32", 4, 4, "i32"},
    {"u32", 4, 4, "i32"},
    {"s64", 8, 8, "i64"},
    {"u64", 8, 8, "i64"},
    {"f32", 4, 4, "f32"},
    {"f64", 8, 8, "f64"},
    {"char", 4, 4, "i32"},
    {"i32", 4, 4, "i32"},
    {"i64", 8, 8, "i64"},
    {"string", 8, 4, "i32 i32"},
    {"list<u8>", 8, 4, "i32 i32"},
    {"list<f64>", 8, 4, "i32 i32"},
    {"list<list<string>>", 8, 4, "i32 i32"},
    /* records: each field at its alignment, the end rounded to the largest */
    {"record{a:u8,b:u32}", 8, 4, "i32 i32"},
    {"record{a:u8,b:u64,c:u8}", 24, 8, "i32 i64 i32"},
    {"record{a:u16,b:u8}", 4, 2, "i32 i32"},
    {"record{a:string,b:option<u8>}", 12, 4, "i32 i32 i32 i32"},
    {"tuple<u8,u16,u8>", 6, 2, "i32 i32 i32"},
    {"tuple<f32,f64>", 16, 8, "f32 f64"},
    {"tuple<char,f64,bool>", 24, 8, "i32 f64 i32"},
    /* variants: discriminant, payload at the largest case alignment */
    {"enum{a,b,c}", 1, 1, "i32"},
    {"option<u8>", 2, 1, "i32 i32"},
    {"option<u64>", 16, 8, "i32 i64"},
    {"option<f32>", 8, 4, "i32 f32"},
    {"option<string>", 12, 4, "i32 i32 i32"},
    {"option<option<u16>>", 6, 2, "i32 i32 i32"},
    {"result", 1, 1, "i32"},
    {"result<u8>", 2, 1, "i32 i32"},
    {"result<_,string>", 12, 4, "i32 i32 i32"},
    {"result<u32,f32>", 8, 4, "i32 i32"},      /* join(i32, f32) = i32 */
    {"result<f32,f32>", 8, 4, "i32 f32"},      /* equal types stay */
    {"result<u32,f64>", 16, 8, "i32 i64"},     /* join(i32, f64) = i64 */
    {"result<f32,u64>", 16, 8, "i32 i64"},     /* join(f32, i64) = i64 */
    {"result<list<u16>,string>", 12, 4, "i32 i32 i32"},
    {"variant{a(s64),b(f32)}", 16, 8, "i32 i64"},
    {"variant{a(u8),b(f32),c(tuple<f64,u8>),d}", 24, 8, "i32 i64 i32"},
    {"variant{a(tuple<u8,u8,u8>),b(f64)}", 16, 8, "i32 i64 i32 i32"},
    {"variant{a,b(u16)}", 4, 2, "i32 i32"},
    /* flags: the smallest integer that holds the bits */
    {"flags{a}", 1, 1, "i32"},
    {"flags{a,b,c,d,e,f,g,h}", 1, 1, "i32"},
    {"flags{a,b,c,d,e,f,g,h,i}", 2, 2, "i32"},
    {"flags{a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q}", 4, 4, "i32"},
    /* beyond 16 flat values only the layout is kept */
    {"tuple<u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8>", 16, 1,
     "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32"},
    {"tuple<u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8>", 17, 1, NULL},
    {"option<tuple<u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8>>", 17, 1, NULL},
    {"option<tuple<u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8>>", 16, 1,
     "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32"},
};

static void test_layouts_of_every_kind(void) {
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        const layout_case *c = &layouts[i];
        typed t = TYPED(c->type);
        char got[200];
        bool ok = t.abi->size == c->size && t.abi->align == c->align &&
                  (c->flat ? t.abi->nflat <= CM_CANON_MAX_FLAT_PARAMS &&
                                 strcmp(flat_text(t.abi->flat, t.abi->nflat, got, sizeof got), c->flat) == 0
                           : t.abi->nflat == CM_ABI_MANY_FLAT);
        check_record(ok, __FILE__, __LINE__, c->type);
        if (!ok)
            fprintf(stderr, "    %s: size %u align %u flat [%s] (%u), expected %u %u [%s]\n", c->type, t.abi->size,
                    t.abi->align, t.abi->nflat <= 16 ? flat_text(t.abi->flat, t.abi->nflat, got, sizeof got) : "many",
                    t.abi->nflat, c->size, c->align, c->flat ? c->flat : "many");
        typed_free(&t);
    }
}

static char *enum_text(uint32_t ncases) {
    size_t cap = 16 + (size_t)ncases * 8;
    char *s = malloc(cap);
    REQUIRE(s != NULL);
    size_t n = (size_t)snprintf(s, cap, "enum{");
    for (uint32_t i = 0; i < ncases; i++) n += (size_t)snprintf(s + n, cap - n, "%sc%u", i ? "," : "", i);
    snprintf(s + n, cap - n, "}");
    return s;
}

static void test_layout_details(void) {
    /* Field offsets. */
    typed r = TYPED("record{a:u8,b:u64,c:u8}");
    CHECK_EQ_INT(r.abi->children[0].offset, 0);
    CHECK_EQ_INT(r.abi->children[1].offset, 8);
    CHECK_EQ_INT(r.abi->children[2].offset, 16);
    CHECK(!r.abi->uses_memory);
    typed_free(&r);
    typed tu = TYPED("tuple<u8,u16,u8>");
    CHECK_EQ_INT(tu.abi->children[1].offset, 2);
    CHECK_EQ_INT(tu.abi->children[2].offset, 4);
    typed_free(&tu);

    /* Discriminants and payload offsets. */
    typed v = TYPED("variant{a(u8),b(f32),c(tuple<f64,u8>),d}");
    CHECK_EQ_INT(v.abi->disc_size, 1);
    CHECK_EQ_INT(v.abi->payload_offset, 8);
    CHECK_EQ_INT(v.abi->nchildren, 4);
    CHECK(v.abi->children[3].type == NULL); /* d has no payload */
    typed_free(&v);
    typed o = TYPED("option<u16>");
    CHECK_EQ_INT(o.abi->disc_size, 1);
    CHECK_EQ_INT(o.abi->payload_offset, 2);
    CHECK(o.abi->children[0].type == NULL && o.abi->children[1].type != NULL);
    typed_free(&o);

    /* 256 cases fit a u8 discriminant; 257 need a u16. */
    char *text = enum_text(256);
    typed e256 = TYPED(text);
    free(text);
    CHECK_EQ_INT(e256.abi->disc_size, 1);
    CHECK_EQ_INT(e256.abi->size, 1);
    typed_free(&e256);
    text = enum_text(257);
    typed e257 = TYPED(text);
    free(text);
    CHECK_EQ_INT(e257.abi->disc_size, 2);
    CHECK_EQ_INT(e257.abi->size, 2);
    CHECK_EQ_INT(e257.abi->align, 2);
    typed_free(&e257);

    /* Flags: 32 is the most the current spec allows. */
    typed f32flags = TYPED("flags{a0,a1,a2,a3,a4,a5,a6,a7,a8,a9,b0,b1,b2,b3,b4,b5,b6,b7,b8,b9,c0,c1,c2,c3,c4,c5,c6,"
                           "c7,c8,c9,d0,d1}");
    CHECK_EQ_INT(f32flags.abi->size, 4);
    CHECK_EQ_INT(f32flags.abi->disc_size, 4);
    typed_free(&f32flags);
    FAILS(layout_error("flags{a0,a1,a2,a3,a4,a5,a6,a7,a8,a9,b0,b1,b2,b3,b4,b5,b6,b7,b8,b9,c0,c1,c2,c3,c4,c5,c6,"
                       "c7,c8,c9,d0,d1,d2}"),
          ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "33 members");

    /* Resources are not here yet, however deep. */
    FAILS(layout_error("own<r>"), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "resources");
    FAILS(layout_error("list<record{a:u8,b:borrow<r>}>"), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "field b");

    /* Types built by hand, past what the parser makes: empty, too deep. */
    cm_type empty = {.kind = ISORUN_TUPLE, .count = 0};
    cm_abi *a = NULL;
    FAILS(cm_abi_new(&empty, &a), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "empty tuple");
    CHECK(a == NULL);
    cm_type chain[40];
    const cm_type *member[40];
    for (int i = 0; i < 40; i++) {
        member[i] = i + 1 < 40 ? &chain[i + 1] : cm_type_scalar(ISORUN_U8);
        chain[i] = (cm_type){.kind = ISORUN_LIST, .count = 1, .members = &member[i]};
    }
    FAILS(cm_abi_new(&chain[0], &a), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "too deeply");
    CHECK(cm_abi_new(&chain[10], &a) == NULL); /* 30 deep is fine */
    cm_abi_free(a);
}

typedef struct func_case {
    const char *type;
    const char *lift_params, *lift_results, *lower_params, *lower_results;
    bool params_spill, results_spill;
    uint32_t params_size, params_align, results_size, results_align;
} func_case;

static const func_case funcs[] = {
    {"func(u32,u32)->(u32)", "i32 i32", "i32", "i32 i32", "i32", false, false, 8, 4, 4, 4},
    {"func()->()", "", "", "", "", false, false, 0, 1, 0, 1},
    /* a string result is two flat values: returned through a pointer (lift)
     * or an out-param (lower) */
    {"func(string)->(string)", "i32 i32", "i32", "i32 i32 i32", "", false, true, 8, 4, 8, 4},
    {"func(u8,u64)->(u32,f32)", "i32 i64", "i32", "i32 i64 i32", "", false, true, 16, 8, 8, 4},
    {"func()->(f64)", "", "f64", "", "f64", false, false, 0, 1, 8, 8},
    /* exactly 16 flat parameters stay flat */
    {"func(u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64)->()",
     "i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64", "",
     "i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64", "", false, false, 128, 8, 0, 1},
    /* 18 flat parameters spill into one pointer to a tuple */
    {"func(u8,u16,u32,u64,s8,s16,s32,s64,f32,f64,char,bool,string,u8,u8,u8,u8)->(u32)", "i32", "i32", "i32", "i32",
     true, false, 72, 8, 4, 4},
    {"func(u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8)->(string,u32)", "i32", "i32", "i32 i32", "", true,
     true, 17, 1, 12, 4},
};

static void test_function_flattening(void) {
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        const func_case *c = &funcs[i];
        cm_owned_functype ft;
        REQUIRE(OK(cm_functype_parse(c->type, strlen(c->type), &ft)));
        cm_canon_func *f = NULL;
        if (!OK(cm_canon_func_new(&ft.ft, &f))) {
            cm_owned_functype_free(&ft);
            continue;
        }
        char a[200], b[200], d[200], e[200];
        kinds_text(f->lift_core.params, f->lift_core.nparams, a, sizeof a);
        kinds_text(f->lift_core.results, f->lift_core.nresults, b, sizeof b);
        kinds_text(f->lower_core.params, f->lower_core.nparams, d, sizeof d);
        kinds_text(f->lower_core.results, f->lower_core.nresults, e, sizeof e);
        bool ok = !strcmp(a, c->lift_params) && !strcmp(b, c->lift_results) && !strcmp(d, c->lower_params) &&
                  !strcmp(e, c->lower_results) && f->params_spill == c->params_spill &&
                  f->results_spill == c->results_spill && f->params_size == c->params_size &&
                  f->params_align == c->params_align && f->results_size == c->results_size &&
                  f->results_align == c->results_align;
        check_record(ok, __FILE__, __LINE__, c->type);
        if (!ok)
            fprintf(stderr, "    %s: lift (%s)->(%s) lower (%s)->(%s) spill %d/%d tuples %u/%u %u/%u\n", c->type, a, b,
                    d, e, f->params_spill, f->results_spill, f->params_size, f->params_align, f->results_size,
                    f->results_align);
        cm_canon_func_free(f);
        cm_owned_functype_free(&ft);
    }

    /* Which canonopts a function needs. */
    struct {
        const char *type;
        bool memory, lift_realloc, lower_realloc;
    } needs[] = {
        {"func(u32,u32)->(u32)", false, false, false},
        {"func(string)->(u32)", true, true, false},
        {"func(u32)->(string)", true, false, true},
        {"func(u32)->(u32,u32)", true, false, false},
        {"func(u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8)->()", true, true, false},
    };
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        cm_owned_functype ft;
        REQUIRE(OK(cm_functype_parse(needs[i].type, strlen(needs[i].type), &ft)));
        cm_canon_func *f = NULL;
        if (OK(cm_canon_func_new(&ft.ft, &f))) {
            check_record(f->needs_memory == needs[i].memory && f->lift_needs_realloc == needs[i].lift_realloc &&
                             f->lower_needs_realloc == needs[i].lower_realloc,
                         __FILE__, __LINE__, needs[i].type);
            /* The parameters' tuple offsets are those of a record. */
            if (f->params_spill) CHECK_EQ_INT(f->params[16].offset, 16);
        }
        cm_canon_func_free(f);
        cm_owned_functype_free(&ft);
    }

    cm_owned_functype ft;
    REQUIRE(OK(cm_functype_parse("func(u8,own<x>)->()", 19, &ft)));
    cm_canon_func *f = NULL;
    FAILS(cm_canon_func_new(&ft.ft, &f), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "parameter 1");
    CHECK(f == NULL);
    cm_owned_functype_free(&ft);
}

/* ---- round trips ------------------------------------------------------------- */

/* Lowers v (taken over) into memory and back, and flat and back, and checks
 * that what comes back equals v, with every realloc in bounds. */
static void roundtrip_at(const char *type_text, isorun_val v, int line) {
    typed t = typed_at(type_text, line);
    fake_mem m;
    fake_init(&m, 1 << 16);
    m.moves = true;
    isorun_val back;
    /* through memory, at an aligned place the guest allocated */
    uint32_t at = (m.next + 7) / 8 * 8 + 8;
    m.next = at + t.abi->size;
    isorun_error *err = cm_canon_store(t.abi, &m.mem, &v, at);
    if (!err) err = cm_canon_load(t.abi, &m.mem, at, &back);
    bool ok = err == NULL && val_eq(&v, &back);
    check_record(ok, __FILE__, line, "the value comes back from memory");
    if (err) fprintf(stderr, "    %s: %s\n", type_text, isorun_error_message(err));
    isorun_error_free(err);
    if (!err) isorun_val_free(&back);
    /* flat */
    if (t.abi->nflat != CM_ABI_MANY_FLAT) {
        uint64_t flat[CM_CANON_MAX_FLAT_PARAMS];
        err = cm_canon_lower_flat(t.abi, &m.mem, &v, flat);
        if (!err) err = cm_canon_lift_flat(t.abi, &m.mem, flat, &back);
        ok = err == NULL && val_eq(&v, &back);
        check_record(ok, __FILE__, line, "the value comes back from flat values");
        if (err) fprintf(stderr, "    %s: %s\n", type_text, isorun_error_message(err));
        isorun_error_free(err);
        if (!err) isorun_val_free(&back);
    }
    isorun_val_free(&v);
    fake_free(&m);
    typed_free(&t);
}
#define ROUNDTRIP(type, value) roundtrip_at(type, value, __LINE__)

static void test_roundtrip_scalars(void) {
    ROUNDTRIP("bool", V_bool(true));
    ROUNDTRIP("bool", V_bool(false));
    ROUNDTRIP("s8", V_s8(-128));
    ROUNDTRIP("s8", V_s8(127));
    ROUNDTRIP("u8", V_u8(255));
    ROUNDTRIP("s16", V_s16(-32768));
    ROUNDTRIP("u16", V_u16(65535));
    ROUNDTRIP("s32", V_s32(INT32_MIN));
    ROUNDTRIP("s32", V_s32(-1));
    ROUNDTRIP("u32", V_u32(UINT32_MAX));
    ROUNDTRIP("s64", V_s64(INT64_MIN));
    ROUNDTRIP("u64", V_u64(UINT64_MAX));
    ROUNDTRIP("u64", V_u64(0x0123456789ABCDEFull));
    ROUNDTRIP("f32", V_f32(1.5f));
    ROUNDTRIP("f32", V_f32(-0.0f));
    ROUNDTRIP("f32", V_f32(INFINITY));
    ROUNDTRIP("f64", V_f64(-2.25e300));
    ROUNDTRIP("f64", V_f64(5e-324)); /* subnormal */
    ROUNDTRIP("char", V_char(0));
    ROUNDTRIP("char", V_char(0xE9));
    ROUNDTRIP("char", V_char(0xD7FF));
    ROUNDTRIP("char", V_char(0xE000));
    ROUNDTRIP("char", V_char(0x1F600));
    ROUNDTRIP("char", V_char(0x10FFFF));
    ROUNDTRIP("string", V_str(""));
    ROUNDTRIP("string", V_str("h\xC3\xA9llo w\xC3\xB6rld \xF0\x9F\x98\x80"));
    ROUNDTRIP("string", V_strn("a\0b", 3)); /* NUL is a character like any other */
}

static void test_roundtrip_compounds(void) {
    /* list<record{a: string, b: option<u8>}> */
    ROUNDTRIP("list<record{a:string,b:option<u8>}>",
              V_seq(ISORUN_LIST, 3, V_seq(ISORUN_RECORD, 2, V_str("one"), V_case1(ISORUN_OPTION, 1, V_u8(1))),
                    V_seq(ISORUN_RECORD, 2, V_str(""), V_case(ISORUN_OPTION, 0)),
                    V_seq(ISORUN_RECORD, 2, V_str("thr\xC3\xA9\xC3\xA9"), V_case1(ISORUN_OPTION, 1, V_u8(255)))));
    ROUNDTRIP("list<record{a:string,b:option<u8>}>", V_seq(ISORUN_LIST, 0));
    /* result<list<u16>, string>, both ways */
    ROUNDTRIP("result<list<u16>,string>",
              V_case1(ISORUN_RESULT, 0, V_seq(ISORUN_LIST, 4, V_u16(0), V_u16(1), V_u16(0x8000), V_u16(65535))));
    ROUNDTRIP("result<list<u16>,string>", V_case1(ISORUN_RESULT, 1, V_str("no such thing")));
    ROUNDTRIP("result", V_case(ISORUN_RESULT, 1));
    ROUNDTRIP("result<_,u8>", V_case(ISORUN_RESULT, 0));
    ROUNDTRIP("result<u8>", V_case(ISORUN_RESULT, 1));
    /* a variant whose payloads join to i64 */
    const char *var = "variant{a(u8),b(f32),c(s64),d,e(f64),f(string)}";
    ROUNDTRIP(var, V_case1(ISORUN_VARIANT, 0, V_u8(200)));
    ROUNDTRIP(var, V_case1(ISORUN_VARIANT, 1, V_f32(-3.75f)));
    ROUNDTRIP(var, V_case1(ISORUN_VARIANT, 2, V_s64(-5)));
    ROUNDTRIP(var, V_case(ISORUN_VARIANT, 3));
    ROUNDTRIP(var, V_case1(ISORUN_VARIANT, 4, V_f64(1e100)));
    ROUNDTRIP(var, V_case1(ISORUN_VARIANT, 5, V_str("payload")));
    ROUNDTRIP("enum{a,b,c}", V_case(ISORUN_ENUM, 2));
    /* flags with 1, 8 and 32 members */
    ROUNDTRIP("flags{a}", V_flags(1, 1));
    ROUNDTRIP("flags{a}", V_flags(1, 0));
    ROUNDTRIP("flags{a,b,c,d,e,f,g,h}", V_flags(8, 0xA5));
    ROUNDTRIP("flags{a0,a1,a2,a3,a4,a5,a6,a7,a8,a9,b0,b1,b2,b3,b4,b5,b6,b7,b8,b9,c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,d0,d1}",
              V_flags(32, 0x80000001u));
    ROUNDTRIP("flags{a0,a1,a2,a3,a4,a5,a6,a7,a8,a9,b0,b1,b2,b3,b4,b5,b6,b7,b8,b9,c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,d0,d1}",
              V_flags(32, 0xFFFFFFFFu));
    /* tuples, nesting */
    ROUNDTRIP("tuple<char,f64,bool>", V_seq(ISORUN_TUPLE, 3, V_char(0x263A), V_f64(0.1), V_bool(true)));
    ROUNDTRIP("option<option<string>>", V_case1(ISORUN_OPTION, 1, V_case1(ISORUN_OPTION, 1, V_str("deep"))));
    ROUNDTRIP("option<option<string>>", V_case1(ISORUN_OPTION, 1, V_case(ISORUN_OPTION, 0)));
    ROUNDTRIP("list<list<string>>",
              V_seq(ISORUN_LIST, 2, V_seq(ISORUN_LIST, 2, V_str("a"), V_str("bc")), V_seq(ISORUN_LIST, 0)));
    ROUNDTRIP("list<tuple<u8,u64>>",
              V_seq(ISORUN_LIST, 2, V_seq(ISORUN_TUPLE, 2, V_u8(1), V_u64(2)), V_seq(ISORUN_TUPLE, 2, V_u8(3), V_u64(4))));
    ROUNDTRIP("record{x:variant{a(tuple<u8,u8,u8>),b(f64)},y:flags{p,q}}",
              V_seq(ISORUN_RECORD, 2, V_case1(ISORUN_VARIANT, 0, V_seq(ISORUN_TUPLE, 3, V_u8(7), V_u8(8), V_u8(9))),
                    V_flags(2, 2)));
    /* more than 16 flat values: memory only (the flat half is skipped) */
    ROUNDTRIP("tuple<u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8>",
              V_seq(ISORUN_TUPLE, 17, V_u8(1), V_u8(2), V_u8(3), V_u8(4), V_u8(5), V_u8(6), V_u8(7), V_u8(8), V_u8(9),
                    V_u8(10), V_u8(11), V_u8(12), V_u8(13), V_u8(14), V_u8(15), V_u8(16), V_u8(17)));
}

static void test_core_kinds(void) {
    /* i32/i64 (rpc's core types) take s32/u32 (s64/u64) values and lift as
     * I32/I64. */
    typed t = TYPED("tuple<i32,i64>");
    fake_mem m;
    fake_init(&m, 256);
    isorun_val v = V_seq(ISORUN_TUPLE, 2, V_u32(0xFFFFFFFEu), V_s64(-9));
    uint64_t flat[2];
    isorun_val back;
    REQUIRE(OK(cm_canon_lower_flat(t.abi, &m.mem, &v, flat)));
    CHECK_EQ_U64(flat[0], 0xFFFFFFFEu);
    CHECK_EQ_U64(flat[1], (uint64_t)-9);
    REQUIRE(OK(cm_canon_lift_flat(t.abi, &m.mem, flat, &back)));
    CHECK(back.of.seq.items[0].kind == ISORUN_I32 && back.of.seq.items[0].of.i32 == -2);
    CHECK(back.of.seq.items[1].kind == ISORUN_I64 && back.of.seq.items[1].of.i64 == -9);
    isorun_val_free(&back);
    isorun_val_free(&v);
    fake_free(&m);
    typed_free(&t);
}

/* ---- exact bytes and flat values ----------------------------------------------- */

static void test_memory_bytes(void) {
    fake_mem m;
    fake_init(&m, 4096);

    typed u32 = TYPED("u32");
    isorun_val v = V_u32(0x01020304);
    REQUIRE(OK(cm_canon_store(u32.abi, &m.mem, &v, 64)));
    CHECK(m.bytes[64] == 4 && m.bytes[65] == 3 && m.bytes[66] == 2 && m.bytes[67] == 1);
    typed_free(&u32);

    typed rec = TYPED("record{a:u8,b:u64,c:u8}");
    v = V_seq(ISORUN_RECORD, 3, V_u8(0x11), V_u64(0x8877665544332211ull), V_u8(0x33));
    REQUIRE(OK(cm_canon_store(rec.abi, &m.mem, &v, 128)));
    isorun_val_free(&v);
    CHECK(m.bytes[128] == 0x11);
    CHECK(m.bytes[129] == 0xCD); /* padding is left alone */
    CHECK(m.bytes[136] == 0x11 && m.bytes[143] == 0x88);
    CHECK(m.bytes[144] == 0x33);
    typed_free(&rec);

    /* A string: realloc(0, 0, 1, len), then (ptr, len) at the value. */
    typed str = TYPED("string");
    v = V_str("hey");
    REQUIRE(OK(cm_canon_store(str.abi, &m.mem, &v, 200)));
    isorun_val_free(&v);
    REQUIRE(m.nreallocs == 1);
    CHECK_EQ_INT(m.calls[0].align, 1);
    CHECK_EQ_INT(m.calls[0].size, 3);
    CHECK_EQ_INT(get32(&m, 200), m.calls[0].ret);
    CHECK_EQ_INT(get32(&m, 204), 3);
    CHECK(memcmp(m.bytes + m.calls[0].ret, "hey", 3) == 0);
    /* The empty string still asks realloc, for 0 bytes. */
    v = V_str("");
    REQUIRE(OK(cm_canon_store(str.abi, &m.mem, &v, 200)));
    isorun_val_free(&v);
    CHECK_EQ_INT(m.nreallocs, 2);
    CHECK_EQ_INT(m.calls[1].size, 0);
    CHECK_EQ_INT(get32(&m, 204), 0);
    typed_free(&str);

    /* A list: realloc(0, 0, elem align, n * elem size). */
    typed lst = TYPED("list<u16>");
    v = V_seq(ISORUN_LIST, 3, V_u16(0x0102), V_u16(0x0304), V_u16(0x0506));
    REQUIRE(OK(cm_canon_store(lst.abi, &m.mem, &v, 208)));
    isorun_val_free(&v);
    REQUIRE(m.nreallocs == 3);
    CHECK_EQ_INT(m.calls[2].align, 2);
    CHECK_EQ_INT(m.calls[2].size, 6);
    uint32_t p = m.calls[2].ret;
    CHECK(m.bytes[p] == 2 && m.bytes[p + 1] == 1 && m.bytes[p + 4] == 6 && m.bytes[p + 5] == 5);
    CHECK_EQ_INT(get32(&m, 212), 3);
    typed_free(&lst);

    /* A variant: discriminant, payload at the largest case alignment. */
    typed var = TYPED("variant{a(u8),b(f32),c(s64),d}");
    v = V_case1(ISORUN_VARIANT, 2, V_s64(-2));
    REQUIRE(OK(cm_canon_store(var.abi, &m.mem, &v, 256)));
    isorun_val_free(&v);
    CHECK(m.bytes[256] == 2);
    CHECK(m.bytes[264] == 0xFE && m.bytes[271] == 0xFF);
    typed_free(&var);

    /* An enum of 257 cases: a two-byte discriminant. */
    char *text = enum_text(257);
    typed e = TYPED(text);
    free(text);
    v = V_case(ISORUN_ENUM, 256);
    REQUIRE(OK(cm_canon_store(e.abi, &m.mem, &v, 300)));
    CHECK(m.bytes[300] == 0x00 && m.bytes[301] == 0x01);
    typed_free(&e);

    /* Flags: bit i is flag i, little-endian, in the smallest integer. */
    typed fl = TYPED("flags{a,b,c,d,e,f,g,h,i}");
    v = V_flags(9, 0x101);
    REQUIRE(OK(cm_canon_store(fl.abi, &m.mem, &v, 310)));
    isorun_val_free(&v);
    CHECK(m.bytes[310] == 0x01 && m.bytes[311] == 0x01 && m.bytes[312] == 0xCD);
    /* Bits past the last flag are ignored when lifting. */
    m.bytes[311] = 0xFF;
    REQUIRE(OK(cm_canon_load(fl.abi, &m.mem, 310, &v)));
    CHECK_EQ_U64(v.of.flags.words[0], 0x101);
    isorun_val_free(&v);
    typed_free(&fl);

    /* bool: any non-zero byte is true. */
    typed b = TYPED("bool");
    m.bytes[320] = 2;
    REQUIRE(OK(cm_canon_load(b.abi, &m.mem, 320, &v)));
    CHECK(v.kind == ISORUN_BOOL && v.of.b);
    typed_free(&b);

    fake_free(&m);
}

static void test_flat_values(void) {
    uint64_t flat[CM_CANON_MAX_FLAT_PARAMS];
    isorun_val v, back;

    /* Signed values are their 32-bit two's complement, zero-extended. */
    typed s8 = TYPED("s8");
    v = V_s8(-1);
    REQUIRE(OK(cm_canon_lower_flat(s8.abi, NULL, &v, flat)));
    CHECK_EQ_U64(flat[0], 0xFFFFFFFFu);
    /* Lifting wraps to the width and ignores bits above 32. */
    flat[0] = 0xABCD000000000080ull;
    REQUIRE(OK(cm_canon_lift_flat(s8.abi, NULL, flat, &back)));
    CHECK_EQ_INT(back.of.s8, -128);
    typed_free(&s8);
    typed u16 = TYPED("u16");
    flat[0] = 0x1FFFF;
    REQUIRE(OK(cm_canon_lift_flat(u16.abi, NULL, flat, &back)));
    CHECK_EQ_INT(back.of.u16, 0xFFFF);
    typed_free(&u16);
    typed s64 = TYPED("s64");
    v = V_s64(-1);
    REQUIRE(OK(cm_canon_lower_flat(s64.abi, NULL, &v, flat)));
    CHECK_EQ_U64(flat[0], UINT64_MAX);
    typed_free(&s64);
    typed b = TYPED("bool");
    flat[0] = 7;
    REQUIRE(OK(cm_canon_lift_flat(b.abi, NULL, flat, &back)));
    CHECK(back.of.b);
    flat[0] = 0x100000000ull; /* only the low 32 bits count */
    REQUIRE(OK(cm_canon_lift_flat(b.abi, NULL, flat, &back)));
    CHECK(!back.of.b);
    typed_free(&b);

    /* Variants: the discriminant, the payload in the joined types, zeros. */
    typed var = TYPED("variant{a(u8),b(f32),c(s64),d}");
    REQUIRE(var.abi->nflat == 2 && var.abi->flat[1] == ISORUN_I64);
    v = V_case1(ISORUN_VARIANT, 1, V_f32(1.5f));
    REQUIRE(OK(cm_canon_lower_flat(var.abi, NULL, &v, flat)));
    isorun_val_free(&v);
    CHECK_EQ_U64(flat[0], 1);
    CHECK_EQ_U64(flat[1], 0x3FC00000u); /* f32 bits, zero-extended into the i64 */
    v = V_case(ISORUN_VARIANT, 3);
    flat[1] = 12345;
    REQUIRE(OK(cm_canon_lower_flat(var.abi, NULL, &v, flat)));
    CHECK_EQ_U64(flat[0], 3);
    CHECK_EQ_U64(flat[1], 0);
    /* Lifting a narrower payload out of the i64 wraps it. */
    flat[0] = 1;
    flat[1] = 0xDEADBEEF3FC00000ull;
    REQUIRE(OK(cm_canon_lift_flat(var.abi, NULL, flat, &back)));
    CHECK(back.of.variant.tag == 1 && back.of.variant.payload->of.f32 == 1.5f);
    isorun_val_free(&back);
    flat[0] = 0;
    flat[1] = 0xFFFFFFFF000001FFull;
    REQUIRE(OK(cm_canon_lift_flat(var.abi, NULL, flat, &back)));
    CHECK(back.of.variant.tag == 0 && back.of.variant.payload->of.u8 == 0xFF);
    isorun_val_free(&back);
    typed_free(&var);

    /* NaNs: lifting canonicalises them, and so does lowering here. */
    typed f = TYPED("f32");
    flat[0] = 0x7FA00001u; /* a signalling NaN with a payload */
    REQUIRE(OK(cm_canon_lift_flat(f.abi, NULL, flat, &back)));
    CHECK_EQ_U64(f32_bits(back.of.f32), 0x7FC00000u);
    uint32_t nan_bits = 0xFFC00123u;
    v = V(ISORUN_F32);
    memcpy(&v.of.f32, &nan_bits, 4);
    REQUIRE(OK(cm_canon_lower_flat(f.abi, NULL, &v, flat)));
    CHECK_EQ_U64(flat[0], 0x7FC00000u);
    typed_free(&f);
    typed d = TYPED("f64");
    flat[0] = 0xFFF0000000000001ull;
    REQUIRE(OK(cm_canon_lift_flat(d.abi, NULL, flat, &back)));
    CHECK_EQ_U64(f64_bits(back.of.f64), 0x7FF8000000000000ull);
    typed_free(&d);
    typed vf = TYPED("variant{a(f32),b(u64)}");
    flat[0] = 0;
    flat[1] = 0x123456787FA00000ull;
    REQUIRE(OK(cm_canon_lift_flat(vf.abi, NULL, flat, &back)));
    CHECK_EQ_U64(f32_bits(back.of.variant.payload->of.f32), 0x7FC00000u);
    isorun_val_free(&back);
    typed_free(&vf);

    /* Flags from an i32: bits past the last flag are ignored. */
    typed fl = TYPED("flags{a,b,c}");
    flat[0] = 0xFF;
    REQUIRE(OK(cm_canon_lift_flat(fl.abi, NULL, flat, &back)));
    CHECK_EQ_U64(back.of.flags.words[0], 7);
    CHECK_EQ_INT(back.of.flags.count, 3);
    isorun_val_free(&back);
    typed_free(&fl);
}

/* ---- functions ------------------------------------------------------------------ */

typedef struct func {
    cm_owned_functype ft;
    cm_canon_func *f;
} func;

static func func_at(const char *text, int line) {
    func fn = {0};
    isorun_error *err = cm_functype_parse(text, strlen(text), &fn.ft);
    if (!err) err = cm_canon_func_new(&fn.ft.ft, &fn.f);
    check_record(err == NULL, __FILE__, line, "the function type parses and has an ABI");
    if (err) {
        fprintf(stderr, "    %s: %s\n", text, isorun_error_message(err));
        isorun_error_free(err);
        longjmp(check_abandon_test, 1);
    }
    return fn;
}
#define FUNC(text) func_at(text, __LINE__)

static void func_free(func *fn) {
    cm_canon_func_free(fn->f);
    cm_owned_functype_free(&fn->ft);
}

static void free_vals(isorun_val *v, size_t n) {
    for (size_t i = 0; i < n; i++) isorun_val_free(&v[i]);
}

static void test_params_spill(void) {
    func fn = FUNC("func(u8,u16,u32,u64,s8,s16,s32,s64,f32,f64,char,bool,string,u8,u8,u8,u8)->(u32)");
    isorun_val args[17] = {V_u8(1),       V_u16(2),        V_u32(3),   V_u64(4),      V_s8(-5),   V_s16(-6),
                           V_s32(-7),     V_s64(-8),       V_f32(9.5f), V_f64(10.25), V_char(0x2603), V_bool(true),
                           V_str("twelve"), V_u8(13),      V_u8(14),   V_u8(15),      V_u8(16)};
    fake_mem m;
    fake_init(&m, 4096);
    m.moves = true;
    uint64_t flat[CM_CANON_MAX_FLAT_PARAMS + 1] = {0};
    REQUIRE(OK(cm_canon_lower_params(fn.f, &m.mem, args, flat)));
    /* The tuple first (align 8, 72 bytes), then the string into it. */
    REQUIRE(m.nreallocs == 2);
    CHECK_EQ_INT(m.calls[0].align, 8);
    CHECK_EQ_INT(m.calls[0].size, 72);
    CHECK_EQ_U64(flat[0], m.calls[0].ret);
    CHECK_EQ_INT(m.calls[1].align, 1);
    CHECK_EQ_INT(m.calls[1].size, 6);
    uint32_t tuple = m.calls[0].ret;
    CHECK_EQ_INT(m.bytes[tuple], 1);
    CHECK_EQ_INT(get32(&m, tuple + 56), m.calls[1].ret); /* the string at offset 56 */
    CHECK_EQ_INT(get32(&m, tuple + 60), 6);
    CHECK_EQ_INT(m.bytes[tuple + 67], 16);

    /* The guest side of the same call reads them back from the pointer. */
    isorun_val back[17];
    REQUIRE(OK(cm_canon_lift_params(fn.f, &m.mem, flat, back)));
    for (int i = 0; i < 17; i++) {
        check_record(val_eq(&args[i], &back[i]), __FILE__, __LINE__, "parameter comes back");
        if (!val_eq(&args[i], &back[i])) fprintf(stderr, "    parameter %d differs\n", i);
    }
    free_vals(back, 17);

    /* A misaligned or out-of-bounds tuple pointer traps. */
    flat[0] = tuple + 4;
    TRAPS(cm_canon_lift_params(fn.f, &m.mem, flat, back), ISORUN_TRAP_INVALID_VALUE, "not 8-byte aligned");
    flat[0] = 4096 - 64;
    TRAPS(cm_canon_lift_params(fn.f, &m.mem, flat, back), ISORUN_TRAP_MEMORY_OOB, "parameters' tuple");
    for (int i = 0; i < 17; i++) CHECK(back[i].kind == ISORUN_I32); /* left empty */

    free_vals(args, 17);
    fake_free(&m);
    func_free(&fn);

    /* 16 flat values do not spill: no allocation at all. */
    func flat16 = FUNC("func(u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u64,u32)->()");
    isorun_val a16[16];
    for (int i = 0; i < 16; i++) a16[i] = i == 15 ? V_u32(99) : V_u64((uint64_t)i << 40);
    uint64_t f16[16];
    REQUIRE(OK(cm_canon_lower_params(flat16.f, NULL, a16, f16)));
    CHECK_EQ_U64(f16[3], 3ull << 40);
    CHECK_EQ_U64(f16[15], 99);
    isorun_val b16[16];
    REQUIRE(OK(cm_canon_lift_params(flat16.f, NULL, f16, b16)));
    CHECK(val_eq(&a16[7], &b16[7]) && val_eq(&a16[15], &b16[15]));
    free_vals(b16, 16);
    func_free(&flat16);
}

static void test_results_spill(void) {
    /* An import returning (string, u32): the guest passes an out-pointer as
     * its last flat argument; the host writes the tuple there and allocates
     * only the string. */
    func fn = FUNC("func(u32)->(string,u32)");
    REQUIRE(fn.f->lower_core.nparams == 2 && fn.f->lower_core.nresults == 0);
    fake_mem m;
    fake_init(&m, 4096);
    m.moves = true;
    uint32_t out = 1024;
    uint64_t flat_args[2] = {41, out};
    isorun_val args[1];
    REQUIRE(OK(cm_canon_lift_params(fn.f, &m.mem, flat_args, args)));
    CHECK(args[0].kind == ISORUN_U32 && args[0].of.u32 == 41);
    isorun_val results[2] = {V_str("forty-two"), V_u32(42)};
    REQUIRE(OK(cm_canon_lower_results(fn.f, &m.mem, results, flat_args, NULL)));
    REQUIRE(m.nreallocs == 1);
    CHECK_EQ_INT(m.calls[0].size, 9);
    CHECK_EQ_INT(get32(&m, out), m.calls[0].ret);
    CHECK_EQ_INT(get32(&m, out + 4), 9);
    CHECK_EQ_INT(get32(&m, out + 8), 42);

    /* An export returning the same reads them from the pointer it returns. */
    uint64_t flat_result = out;
    isorun_val back[2];
    REQUIRE(OK(cm_canon_lift_results(fn.f, &m.mem, &flat_result, back)));
    CHECK(val_eq(&back[0], &results[0]) && val_eq(&back[1], &results[1]));
    free_vals(back, 2);

    /* Bad out-pointers trap before anything is written or allocated. */
    flat_args[1] = out + 2;
    TRAPS(cm_canon_lower_results(fn.f, &m.mem, results, flat_args, NULL), ISORUN_TRAP_INVALID_VALUE, "out-pointer");
    flat_args[1] = 4096 - 8;
    TRAPS(cm_canon_lower_results(fn.f, &m.mem, results, flat_args, NULL), ISORUN_TRAP_MEMORY_OOB, "out-pointer");
    CHECK_EQ_INT(m.nreallocs, 1);
    flat_result = 4094;
    TRAPS(cm_canon_lift_results(fn.f, &m.mem, &flat_result, back), ISORUN_TRAP_INVALID_VALUE, "results' tuple");
    flat_result = 0xFFFFFFFCu;
    TRAPS(cm_canon_lift_results(fn.f, &m.mem, &flat_result, back), ISORUN_TRAP_MEMORY_OOB, "results' tuple");
    free_vals(results, 2);
    fake_free(&m);
    func_free(&fn);

    /* One flat result is returned as is; none needs no memory. */
    func one = FUNC("func(u32,u32)->(u32)");
    isorun_val two[2] = {V_u32(40), V_u32(2)};
    uint64_t flat[2], r;
    REQUIRE(OK(cm_canon_lower_params(one.f, NULL, two, flat)));
    CHECK(flat[0] == 40 && flat[1] == 2);
    isorun_val sum = V_u32(42);
    REQUIRE(OK(cm_canon_lower_results(one.f, NULL, &sum, flat, &r)));
    CHECK_EQ_U64(r, 42);
    REQUIRE(OK(cm_canon_lift_results(one.f, NULL, &r, &sum)));
    CHECK(sum.kind == ISORUN_U32 && sum.of.u32 == 42);
    func_free(&one);

    /* A function whose strings need memory refuses to go without. */
    func s = FUNC("func(string)->(string)");
    isorun_val name = V_str("x");
    FAILS(cm_canon_lower_params(s.f, NULL, &name, flat), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "memory");
    fake_init(&m, 256);
    m.mem.realloc = NULL;
    FAILS(cm_canon_lower_params(s.f, &m.mem, &name, flat), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "realloc");
    fake_free(&m);
    isorun_val_free(&name);
    func_free(&s);
}

/* ---- traps ----------------------------------------------------------------------- */

static void test_guest_pointer_traps(void) {
    fake_mem m;
    fake_init(&m, 4096);
    isorun_val v;
    uint64_t flat[4];

    /* A string that runs past the end; one that wraps 32 bits. */
    typed str = TYPED("string");
    memcpy(m.bytes + 4090, "abcdef", 6);
    flat[0] = 4094;
    flat[1] = 3;
    TRAPS(cm_canon_lift_flat(str.abi, &m.mem, flat, &v), ISORUN_TRAP_MEMORY_OOB, "a string at 0xffe");
    CHECK(v.kind == ISORUN_I32);
    flat[0] = 4094;
    flat[1] = 2; /* exactly to the end is fine */
    REQUIRE(OK(cm_canon_lift_flat(str.abi, &m.mem, flat, &v)));
    CHECK(v.of.string.len == 2 && memcmp(v.of.string.data, "ef", 2) == 0);
    isorun_val_free(&v);
    flat[0] = 0xFFFFFFFFu;
    flat[1] = 0xFFFFFFFFu;
    TRAPS(cm_canon_lift_flat(str.abi, &m.mem, flat, &v), ISORUN_TRAP_MEMORY_OOB, NULL);
    /* Through memory: the (ptr, len) pair itself out of bounds. */
    TRAPS(cm_canon_load(str.abi, &m.mem, 4092, &v), ISORUN_TRAP_MEMORY_OOB, NULL);
    TRAPS(cm_canon_load(str.abi, &m.mem, 4100, &v), ISORUN_TRAP_MEMORY_OOB, NULL);
    TRAPS(cm_canon_load(str.abi, &m.mem, 2, &v), ISORUN_TRAP_INVALID_VALUE, "aligned");

    /* Invalid UTF-8: an overlong NUL, a surrogate, a stray byte, a cut
     * sequence. */
    static const char *const bad[] = {"\xC0\x80", "\xED\xA0\x80", "ok\xFF", "\xE2\x82"};
    for (size_t i = 0; i < 4; i++) {
        memcpy(m.bytes + 100, bad[i], strlen(bad[i]));
        flat[0] = 100;
        flat[1] = strlen(bad[i]);
        TRAPS(cm_canon_lift_flat(str.abi, &m.mem, flat, &v), ISORUN_TRAP_INVALID_VALUE, "not valid UTF-8");
    }
    typed_free(&str);

    /* Lists: misaligned, out of bounds, lengths whose byte size passes 4 GiB. */
    typed lst = TYPED("list<u32>");
    flat[0] = 102;
    flat[1] = 1;
    TRAPS(cm_canon_lift_flat(lst.abi, &m.mem, flat, &v), ISORUN_TRAP_INVALID_VALUE, "not 4-byte aligned");
    flat[0] = 4080;
    flat[1] = 5;
    TRAPS(cm_canon_lift_flat(lst.abi, &m.mem, flat, &v), ISORUN_TRAP_MEMORY_OOB, "a list");
    flat[0] = 4080;
    flat[1] = 4;
    REQUIRE(OK(cm_canon_lift_flat(lst.abi, &m.mem, flat, &v)));
    CHECK_EQ_INT(v.of.seq.len, 4);
    isorun_val_free(&v);
    flat[0] = 0;
    flat[1] = 0x40000000u; /* x 4 bytes = 2^32 */
    TRAPS(cm_canon_lift_flat(lst.abi, &m.mem, flat, &v), ISORUN_TRAP_MEMORY_OOB, "a list");
    flat[1] = 0xFFFFFFFFu;
    TRAPS(cm_canon_lift_flat(lst.abi, &m.mem, flat, &v), ISORUN_TRAP_MEMORY_OOB, "a list");
    typed_free(&lst);
    typed lst64 = TYPED("list<tuple<u64,u64>>");
    flat[0] = 8;
    flat[1] = 0x10000001u; /* x 16 bytes wraps 32 bits to 16 */
    TRAPS(cm_canon_lift_flat(lst64.abi, &m.mem, flat, &v), ISORUN_TRAP_MEMORY_OOB, "a list");
    typed_free(&lst64);

    /* A bad element deep inside: the error says where, nothing leaks. */
    typed nested = TYPED("list<record{a:string,b:option<u8>}>");
    put32(&m, 512, 600); /* elements at 600 */
    put32(&m, 516, 2);
    put32(&m, 600, 700); /* element 0: a = "ok", b = some(5) */
    put32(&m, 604, 2);
    memcpy(m.bytes + 700, "ok", 2);
    m.bytes[608] = 1;
    m.bytes[609] = 5;
    put32(&m, 612, 702); /* element 1: a = "ok", b = disc 2 */
    put32(&m, 616, 0);
    m.bytes[620] = 2;
    TRAPS(cm_canon_load(nested.abi, &m.mem, 512, &v), ISORUN_TRAP_INVALID_VALUE,
          "list element 1: field b: invalid value: canonical ABI: discriminant 2 of an option with 2 cases");
    m.bytes[620] = 0;
    REQUIRE(OK(cm_canon_load(nested.abi, &m.mem, 512, &v)));
    CHECK(v.of.seq.len == 2 && v.of.seq.items[0].of.seq.items[1].of.variant.payload->of.u8 == 5);
    isorun_val_free(&v);
    typed_free(&nested);

    /* Discriminants out of range, in memory and flat. */
    typed en = TYPED("enum{a,b,c}");
    m.bytes[40] = 3;
    TRAPS(cm_canon_load(en.abi, &m.mem, 40, &v), ISORUN_TRAP_INVALID_VALUE, "discriminant 3");
    flat[0] = 0x100000000ull; /* an i32 of 0: fine */
    REQUIRE(OK(cm_canon_lift_flat(en.abi, &m.mem, flat, &v)));
    CHECK_EQ_INT(v.of.variant.tag, 0);
    flat[0] = 0xFFFFFFFFu;
    TRAPS(cm_canon_lift_flat(en.abi, &m.mem, flat, &v), ISORUN_TRAP_INVALID_VALUE, "discriminant 4294967295");
    typed_free(&en);
    typed res = TYPED("result<u8,string>");
    flat[0] = 7;
    TRAPS(cm_canon_lift_flat(res.abi, &m.mem, flat, &v), ISORUN_TRAP_INVALID_VALUE, "discriminant 7");
    typed_free(&res);
    char *text = enum_text(300);
    typed e300 = TYPED(text);
    free(text);
    m.bytes[44] = 0x2C; /* 300 */
    m.bytes[45] = 0x01;
    TRAPS(cm_canon_load(e300.abi, &m.mem, 44, &v), ISORUN_TRAP_INVALID_VALUE, "discriminant 300");
    m.bytes[45] = 0x00;
    REQUIRE(OK(cm_canon_load(e300.abi, &m.mem, 44, &v)));
    CHECK_EQ_INT(v.of.variant.tag, 44);
    typed_free(&e300);

    /* chars: surrogates and beyond U+10FFFF. */
    typed ch = TYPED("char");
    static const uint32_t bad_chars[] = {0xD800, 0xDBFF, 0xDFFF, 0x110000, 0xFFFFFFFFu};
    for (size_t i = 0; i < 5; i++) {
        flat[0] = bad_chars[i];
        TRAPS(cm_canon_lift_flat(ch.abi, &m.mem, flat, &v), ISORUN_TRAP_INVALID_VALUE, "not a Unicode scalar value");
        put32(&m, 48, bad_chars[i]);
        TRAPS(cm_canon_load(ch.abi, &m.mem, 48, &v), ISORUN_TRAP_INVALID_VALUE, "not a Unicode scalar value");
    }
    typed_free(&ch);
    fake_free(&m);
}

static void test_realloc_traps(void) {
    typed lst = TYPED("list<u32>");
    isorun_val v = V_seq(ISORUN_LIST, 2, V_u32(1), V_u32(2));
    uint64_t flat[2];
    fake_mem m;

    /* realloc returning a pointer past the memory... */
    fake_init(&m, 4096);
    m.bad_at = 1;
    m.bad_ptr = 4092; /* 8 bytes needed */
    TRAPS(cm_canon_lower_flat(lst.abi, &m.mem, &v, flat), ISORUN_TRAP_MEMORY_OOB, "realloc returned 0xffc");
    fake_free(&m);
    fake_init(&m, 4096);
    m.bad_at = 1;
    m.bad_ptr = 0xFFFFFFFCu;
    TRAPS(cm_canon_lower_flat(lst.abi, &m.mem, &v, flat), ISORUN_TRAP_MEMORY_OOB, "realloc returned");
    fake_free(&m);
    /* ...or misaligned for the elements... */
    fake_init(&m, 4096);
    m.bad_at = 1;
    m.bad_ptr = 66;
    TRAPS(cm_canon_lower_flat(lst.abi, &m.mem, &v, flat), ISORUN_TRAP_INVALID_VALUE, "not 4-byte aligned");
    fake_free(&m);
    /* ...or trapping in the guest: that error comes back as it is. */
    fake_init(&m, 4096);
    m.bad_at = 1;
    m.bad_fails = true;
    TRAPS(cm_canon_lower_flat(lst.abi, &m.mem, &v, flat), ISORUN_TRAP_UNREACHABLE, "the guest's realloc trapped");
    fake_free(&m);
    isorun_val_free(&v);
    typed_free(&lst);

    /* The second allocation (a nested string) going wrong. */
    typed ls = TYPED("list<string>");
    v = V_seq(ISORUN_LIST, 2, V_str("a"), V_str("bb"));
    fake_init(&m, 4096);
    m.bad_at = 3;
    m.bad_ptr = 4095;
    TRAPS(cm_canon_lower_flat(ls.abi, &m.mem, &v, flat), ISORUN_TRAP_MEMORY_OOB, "list element 1");
    fake_free(&m);
    /* A string's realloc for zero bytes may point at the very end. */
    isorun_val_free(&v);
    v = V_seq(ISORUN_LIST, 1, V_str(""));
    fake_init(&m, 4096);
    m.bad_at = 2;
    m.bad_ptr = 4096;
    REQUIRE(OK(cm_canon_lower_flat(ls.abi, &m.mem, &v, flat)));
    CHECK_EQ_INT(get32(&m, (uint32_t)flat[0]), 4096);
    fake_free(&m);
    isorun_val_free(&v);
    typed_free(&ls);
}

static void test_host_value_errors(void) {
    fake_mem m;
    fake_init(&m, 4096);
    uint64_t flat[8];

    /* A value of the wrong kind, deep in a list: refused before the guest
     * sees anything (no realloc). */
    typed t = TYPED("list<record{a:string,b:option<u8>}>");
    isorun_val v = V_seq(ISORUN_LIST, 2, V_seq(ISORUN_RECORD, 2, V_str("x"), V_case(ISORUN_OPTION, 0)),
                         V_seq(ISORUN_RECORD, 2, V_str("y"), V_case1(ISORUN_OPTION, 1, V_u16(3))));
    FAILS(cm_canon_lower_flat(t.abi, &m.mem, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE,
          "list element 1: field b: case some: expected a value of type u8, got a u16 value");
    CHECK_EQ_INT(m.nreallocs, 0);
    isorun_val_free(&v);
    /* Wrong member count; a payload where none belongs; a missing one. */
    v = V_seq(ISORUN_LIST, 1, V_seq(ISORUN_RECORD, 1, V_str("x")));
    FAILS(cm_canon_lower_flat(t.abi, &m.mem, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "given 1 values");
    isorun_val_free(&v);
    typed_free(&t);
    typed o = TYPED("option<u8>");
    v = V_case1(ISORUN_OPTION, 0, V_u8(1));
    FAILS(cm_canon_lower_flat(o.abi, &m.mem, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "has no payload");
    isorun_val_free(&v);
    v = V_case(ISORUN_OPTION, 1);
    FAILS(cm_canon_lower_flat(o.abi, &m.mem, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "needs a payload");
    v = V_case(ISORUN_OPTION, 2);
    FAILS(cm_canon_store(o.abi, &m.mem, &v, 64), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "case 2");
    typed_free(&o);
    /* Bad chars, strings that are not UTF-8, flags out of range. */
    typed c = TYPED("char");
    v = V_char(0xDC00);
    FAILS(cm_canon_lower_flat(c.abi, NULL, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "U+DC00");
    typed_free(&c);
    typed s = TYPED("string");
    v = V_strn("\xFF", 1);
    FAILS(cm_canon_lower_flat(s.abi, &m.mem, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "UTF-8");
    isorun_val_free(&v);
    v = V(ISORUN_STRING);
    v.of.string.len = 3; /* no data */
    FAILS(cm_canon_lower_flat(s.abi, &m.mem, &v, flat), ISORUN_ERR_ARGUMENT, ISORUN_TRAP_NONE, "no data");
    /* Longer than the ABI allows: the spec traps (checked before reading). */
    char one = 'x';
    v.of.string.data = &one;
    v.of.string.len = (size_t)CM_CANON_MAX_STRING_BYTES + 1;
    TRAPS(cm_canon_lower_flat(s.abi, &m.mem, &v, flat), ISORUN_TRAP_RESOURCE_LIMIT, "longer than the ABI allows");
    typed_free(&s);
    typed l = TYPED("list<u64>");
    isorun_val item = V_u64(1);
    v = V(ISORUN_LIST);
    v.of.seq.items = &item;
    v.of.seq.len = 0x20000000u; /* x 8 = 4 GiB */
    TRAPS(cm_canon_lower_flat(l.abi, &m.mem, &v, flat), ISORUN_TRAP_RESOURCE_LIMIT, "larger than 4 GiB");
    typed_free(&l);
    typed f = TYPED("flags{a,b}");
    v = V_flags(2, 4);
    FAILS(cm_canon_lower_flat(f.abi, NULL, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "past the type");
    isorun_val_free(&v);
    v = V_flags(3, 1);
    FAILS(cm_canon_lower_flat(f.abi, NULL, &v, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "3-flag value");
    isorun_val_free(&v);
    typed_free(&f);
    CHECK_EQ_INT(m.nreallocs, 0);

    /* Parameters name their position. */
    func fn = FUNC("func(u32,string)->()");
    isorun_val args[2] = {V_u32(1), V_u32(2)};
    FAILS(cm_canon_lower_params(fn.f, &m.mem, args, flat), ISORUN_ERR_TYPE_MISMATCH, ISORUN_TRAP_NONE, "parameter 1");
    func_free(&fn);
    /* A store outside the memory or misaligned is a trap too. */
    typed u = TYPED("u32");
    v = V_u32(1);
    TRAPS(cm_canon_store(u.abi, &m.mem, &v, 4094), ISORUN_TRAP_INVALID_VALUE, "aligned");
    TRAPS(cm_canon_store(u.abi, &m.mem, &v, 4096), ISORUN_TRAP_MEMORY_OOB, NULL);
    typed_free(&u);
    fake_free(&m);
}

static void test_lift_budget(void) {
    /* 200 strings all pointing at one 1000-byte range: 200 000 bytes read
     * from a 4 KiB memory. */
    fake_mem m;
    fake_init(&m, 4096);
    memset(m.bytes + 2048, 'z', 1000);
    for (uint32_t i = 0; i < 200; i++) {
        put32(&m, 16 + 8 * i, 2048);
        put32(&m, 20 + 8 * i, 1000);
    }
    typed t = TYPED("list<string>");
    uint64_t flat[2] = {16, 200};
    isorun_val v;
    TRAPS(cm_canon_lift_flat(t.abi, &m.mem, flat, &v), ISORUN_TRAP_RESOURCE_LIMIT, "budget");
    CHECK(v.kind == ISORUN_I32);
    /* Three aliases fit the default (the memory's size), ... */
    flat[1] = 3;
    REQUIRE(OK(cm_canon_lift_flat(t.abi, &m.mem, flat, &v)));
    isorun_val_free(&v);
    /* ...and an embedder that wants more says so. */
    m.mem.lift_budget = 300000;
    flat[1] = 200;
    REQUIRE(OK(cm_canon_lift_flat(t.abi, &m.mem, flat, &v)));
    CHECK(v.of.seq.len == 200 && v.of.seq.items[199].of.string.len == 1000);
    isorun_val_free(&v);
    m.mem.lift_budget = 100000;
    TRAPS(cm_canon_lift_flat(t.abi, &m.mem, flat, &v), ISORUN_TRAP_RESOURCE_LIMIT, "budget");
    typed_free(&t);
    fake_free(&m);
}

/* ---- a real guest ----------------------------------------------------------------- */

/* The guest's memory and cabi_realloc as a cm_memory. */
typedef struct guest {
    wasm_store *store;
    wasm_instance *instance;
    wasm_func *realloc;
    cm_memory mem;
    cm_canon_func *greet; /* func(string) -> string, for both directions */
    int host_calls;
} guest;

static void guest_view(void *env, uint8_t **base, uint64_t *size) {
    guest *g = env;
    wasm_memory *memory = wasm_instance_memory(g->instance);
    *base = memory ? wasm_memory_data(memory) : NULL;
    *size = memory ? wasm_memory_size_bytes(memory) : 0;
}

static isorun_error *guest_realloc(void *env, uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size,
                                   uint32_t *out) {
    guest *g = env;
    wasm_slot args[4] = {old_ptr, old_size, align, new_size}, result = 0;
    isorun_error *err = wasm_call(g->store, g->realloc, args, &result);
    *out = (uint32_t)result;
    return err;
}

/* example:math/host#decorate(s: string) -> string, lowered into the guest:
 * (ptr, len, out-pointer) -> (). */
static isorun_error *host_decorate(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    guest *g = env;
    g->host_calls++;
    isorun_val arg, result;
    isorun_error *err = cm_canon_lift_params(g->greet, &g->mem, slots, &arg);
    if (err) return err;
    size_t n = arg.of.string.len;
    char *text = malloc(n + 4);
    if (!text) {
        isorun_val_free(&arg);
        return isorun_error_new(ISORUN_ERR_NOMEM, "out of memory");
    }
    memcpy(text, "<<", 2);
    memcpy(text + 2, arg.of.string.data, n);
    memcpy(text + 2 + n, ">>", 2);
    isorun_val_free(&arg);
    err = isorun_val_string(&result, text, n + 4);
    free(text);
    if (err) return err;
    err = cm_canon_lower_results(g->greet, &g->mem, &result, slots, slots);
    isorun_val_free(&result);
    return err;
}

/* Calls export `name` implementing func(string)->string with `text`; returns
 * the lifted string (caller frees) or NULL with *err set. */
static isorun_error *call_string_export(guest *g, const char *name, const char *text, isorun_val *out) {
    char export_name[128], post_name[160];
    snprintf(export_name, sizeof export_name, "example:math/ops#%s", name);
    snprintf(post_name, sizeof post_name, "cabi_post_%s", export_name);
    wasm_func *fn = EXPORT_FUNC(g->instance, export_name);
    wasm_func *post = EXPORT_FUNC(g->instance, post_name);
    isorun_val arg = V_str(text);
    uint64_t flat_args[2];
    wasm_slot flat_result = 0;
    isorun_error *err = cm_canon_lower_params(g->greet, &g->mem, &arg, flat_args);
    isorun_val_free(&arg);
    if (!err) err = wasm_call(g->store, fn, flat_args, &flat_result);
    if (!err) err = cm_canon_lift_results(g->greet, &g->mem, &flat_result, out);
    /* post-return frees the guest's copy: the lifted value is ours. */
    if (!err) err = wasm_call(g->store, post, &flat_result, NULL);
    return err;
}

static void test_real_guest(void) {
    wasm_module *module = LOAD_C_GUEST("canon_greet");
    if (!module) return;
    guest g = {0};
    cm_owned_functype ft;
    REQUIRE(OK(cm_functype_parse("func(string)->(string)", 22, &ft)));
    REQUIRE(OK(cm_canon_func_new(&ft.ft, &g.greet)));
    g.store = wasm_store_new(NULL);
    REQUIRE(g.store != NULL);
    g.mem = (cm_memory){.env = &g, .view = guest_view, .realloc = guest_realloc};

    /* The import's core type is what lowering func(string)->string says. */
    REQUIRE(wasm_module_import_count(module) == 1);
    uint8_t types[3] = {WASM_I32, WASM_I32, WASM_I32};
    REQUIRE(g.greet->lower_core.nparams == 3 && g.greet->lower_core.nresults == 0);
    wasm_functype decorate_type = {3, 0, types};
    wasm_extern import = {.kind = WASM_EXTERN_FUNC};
    import.u.func = wasm_func_new_host(g.store, &decorate_type, host_decorate, &g, NULL);
    REQUIRE(import.u.func != NULL);
    g.instance = INSTANTIATE(g.store, module, &import, 1);
    g.realloc = EXPORT_FUNC(g.instance, "cabi_realloc");
    EXPECT_OK(wasm_call(g.store, EXPORT_FUNC(g.instance, "_initialize"), NULL, NULL));

    isorun_val out;
    if (OK(call_string_export(&g, "greet", "W\xC3\xB6rld", &out))) {
        CHECK(out.kind == ISORUN_STRING && strcmp(out.of.string.data, "Hello, W\xC3\xB6rld!") == 0);
        isorun_val_free(&out);
    }
    if (OK(call_string_export(&g, "greet", "", &out))) {
        CHECK(strcmp(out.of.string.data, "Hello, !") == 0);
        isorun_val_free(&out);
    }
    /* The guest calls the host, which lifts its argument and lowers its
     * result through the guest's realloc and out-pointer. */
    if (OK(call_string_export(&g, "greet-decorated", "isorun", &out))) {
        CHECK(strcmp(out.of.string.data, "Hello, <<isorun>>!") == 0);
        isorun_val_free(&out);
    }
    CHECK_EQ_INT(g.host_calls, 1);
    /* Many calls, growing strings: memory moves as it grows, nothing leaks
     * in the guest (post-return and the callee's frees balance). */
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    uint64_t size_before = 0;
    for (int i = 0; i < 300; i++) {
        big[i * 16 % (sizeof big - 1)] = (char)('a' + i % 26);
        if (!OK(call_string_export(&g, i % 2 ? "greet" : "greet-decorated", big, &out))) break;
        CHECK_EQ_INT(out.of.string.len, sizeof big - 1 + 8 + (i % 2 ? 0 : 4));
        isorun_val_free(&out);
        if (i == 10) size_before = wasm_memory_size_bytes(wasm_instance_memory(g.instance));
    }
    CHECK_EQ_U64(wasm_memory_size_bytes(wasm_instance_memory(g.instance)), size_before);

    /* A guest that breaks the ABI is caught, not trusted. */
    FAILS(call_string_export(&g, "bad-pointer", "x", &out), ISORUN_ERR_TRAP, ISORUN_TRAP_MEMORY_OOB, "a string");
    FAILS(call_string_export(&g, "bad-utf8", "x", &out), ISORUN_ERR_TRAP, ISORUN_TRAP_INVALID_VALUE, "UTF-8");

    wasm_store_free(g.store);
    wasm_module_free(module);
    cm_canon_func_free(g.greet);
    cm_owned_functype_free(&ft);
}

int main(void) {
    RUN(test_layouts_of_every_kind);
    RUN(test_layout_details);
    RUN(test_function_flattening);
    RUN(test_roundtrip_scalars);
    RUN(test_roundtrip_compounds);
    RUN(test_core_kinds);
    RUN(test_memory_bytes);
    RUN(test_flat_values);
    RUN(test_params_spill);
    RUN(test_results_spill);
    RUN(test_guest_pointer_traps);
    RUN(test_realloc_traps);
    RUN(test_host_value_errors);
    RUN(test_lift_budget);
    RUN(test_real_guest);
    return engine_test_summary();
}
