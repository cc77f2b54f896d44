/*
 * test_component_binary.c — the component binary decoder
 * (src/component/binary*.c) on components assembled byte by byte here: one
 * that has every section kind and every value type the decoder reads,
 * checked item by item (index spaces, resolved types, canon options, names);
 * every prefix of it (an error unless the prefix ends between sections);
 * every byte of it changed (an error or a component, never a crash); and
 * each malformed or unsupported input the decoder refuses, by its message.
 * No prebuilt binaries: a tiny builder writes sections and LEB128 here.
 */
#include "../../src/component/component.h"
#include "../../src/wasm/wasm.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Builder
 * ------------------------------------------------------------------------ */

static void put(isr_buf *b, const void *p, size_t n) { REQUIRE(isr_buf_append(b, p, n)); }
static void put_u8(isr_buf *b, unsigned v) {
    uint8_t x = (uint8_t)v;
    put(b, &x, 1);
}
static void put_leb(isr_buf *b, uint64_t v) {
    uint8_t tmp[10];
    put(b, tmp, isr_leb_write_u(tmp, v));
}
#define BYTES(b, ...)                                                                                             \
    do {                                                                                                          \
        static const uint8_t bytes_[] = {__VA_ARGS__};                                                            \
        put(b, bytes_, sizeof bytes_);                                                                            \
    } while (0)

static void preamble(isr_buf *b) { BYTES(b, 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00); }

/* id, size, content (which is then emptied) */
static void section(isr_buf *b, unsigned id, isr_buf *content) {
    put_u8(b, id);
    put_leb(b, content->len);
    if (content->len) put(b, content->data, content->len);
    isr_buf_free(content);
    memset(content, 0, sizeof *content);
}
#define SEC(b, id, ...)                                                                                           \
    do {                                                                                                          \
        isr_buf c_ = {0};                                                                                         \
        BYTES(&c_, __VA_ARGS__);                                                                                  \
        section(b, id, &c_);                                                                                      \
    } while (0)

enum { S_CUSTOM, S_CORE_MODULE, S_CORE_INSTANCE, S_CORE_TYPE, S_COMPONENT, S_INSTANCE, S_ALIAS, S_TYPE, S_CANON,
       S_START, S_IMPORT, S_EXPORT, S_VALUE };

/* (module (type (func (param i32) (result i32))) (func (type 0) local.get 0)
 *  (memory 1) (export "f" (func 0)) (export "mem" (memory 0))) */
static const uint8_t core_module[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                   /* header */
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,                   /* types */
    0x03, 0x02, 0x01, 0x00,                                           /* funcs */
    0x05, 0x03, 0x01, 0x00, 0x01,                                     /* memory */
    0x07, 0x0b, 0x02, 0x01, 'f', 0x00, 0x00, 0x03, 'm', 'e', 'm', 0x02, 0x00, /* exports */
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b,                   /* code */
};

/* The component that has everything; boundaries[] gets the offset after
 * the preamble and after each section (where a prefix is a component). */
static void build_full(isr_buf *b, size_t *boundaries, size_t *nbounds) {
    isr_buf c = {0};
    *nbounds = 0;
#define BOUND() (boundaries[(*nbounds)++] = b->len)
    preamble(b);
    BOUND();
    /* custom "note" */
    SEC(b, S_CUSTOM, 0x04, 'n', 'o', 't', 'e', 'h', 'i');
    BOUND();
    /* core module 0 */
    put(&c, core_module, sizeof core_module);
    section(b, S_CORE_MODULE, &c);
    BOUND();
    /* core type 0: (func (param i32) (result i32)); core type 1: a module
     * type with a function type, an import, an outer alias and an export */
    SEC(b, S_CORE_TYPE, 0x02,
        0x60, 0x01, 0x7f, 0x01, 0x7f,
        0x50, 0x04,
          0x01, 0x60, 0x01, 0x7f, 0x00,                     /* type 0: (i32) -> () */
          0x00, 0x01, 'a', 0x01, 'b', 0x00, 0x00,           /* import "a" "b" (func (type 0)) */
          0x02, 0x10, 0x01, 0x01, 0x00,                     /* alias outer 1 0 (core type) */
          0x03, 0x03, 'm', 'e', 'm', 0x02, 0x00, 0x01);     /* export "mem" (memory 1) */
    BOUND();
    /* core instance 0: instantiate module 0 */
    SEC(b, S_CORE_INSTANCE, 0x01, 0x00, 0x00, 0x00);
    BOUND();
    /* core func 0 = export "f", core memory 0 = export "mem" */
    SEC(b, S_ALIAS, 0x02, 0x00, 0x00, 0x01, 0x00, 0x01, 'f', 0x00, 0x02, 0x01, 0x00, 0x03, 'm', 'e', 'm');
    BOUND();
    /* core instance 1: bundle { "g": core func 0 }; core func 1 = its "g" */
    SEC(b, S_CORE_INSTANCE, 0x01, 0x01, 0x01, 0x01, 'g', 0x00, 0x00);
    BOUND();
    SEC(b, S_ALIAS, 0x01, 0x00, 0x00, 0x01, 0x01, 0x01, 'g');
    BOUND();
    SEC(b, S_TYPE, 0x12,
        0x3f, 0x7f, 0x01, 0x00,                                 /* 0: resource (rep i32) (dtor core func 0) */
        0x72, 0x02, 0x01, 'a', 0x7d, 0x03, 'b', '-', 'c', 0x73, /* 1: record {a: u8, b-c: string} */
        0x71, 0x02, 0x01, 'x', 0x01, 0x01, 0x00, 0x01, 'y', 0x00, 0x00, /* 2: variant {x(1), y} */
        0x70, 0x02,                                             /* 3: list<2> */
        0x6f, 0x03, 0x79, 0x75, 0x74,                           /* 4: tuple<u32, f64, char> */
        0x6e, 0x02, 0x01, 'p', 0x01, 'q',                       /* 5: flags {p, q} */
        0x6d, 0x02, 0x03, 'o', 'n', 'e', 0x03, 't', 'w', 'o',   /* 6: enum {one, two} */
        0x6b, 0x04,                                             /* 7: option<4> */
        0x6a, 0x01, 0x03, 0x01, 0x06,                           /* 8: result<3, 6> */
        0x6a, 0x00, 0x00,                                       /* 9: result */
        0x69, 0x00,                                             /* 10: own<0> */
        0x68, 0x00,                                             /* 11: borrow<0> */
        0x40, 0x01, 0x01, 'x', 0x79, 0x00, 0x79,                /* 12: func(x: u32) -> u32 */
        0x40, 0x02, 0x01, 'h', 0x0b, 0x01, 's', 0x08, 0x00, 0x0a, /* 13: func(h: 11, s: 8) -> 10 */
        0x40, 0x00, 0x01, 0x00,                                 /* 14: func() */
        0x78,                                                   /* 15: s64 */
        0x42, 0x04,                                             /* 16: instance type */
          0x04, 0x00, 0x02, 'r', '2', 0x03, 0x01,               /*   export "r2" (type (sub resource)) */
          0x01, 0x69, 0x00,                                     /*   type 1: own<0> */
          0x01, 0x40, 0x00, 0x00, 0x01,                         /*   type 2: func() -> 1 */
          0x04, 0x00, 0x02, 'm', 'k', 0x01, 0x02,               /*   export "mk" (func (type 2)) */
        0x41, 0x04,                                             /* 17: component type */
          0x02, 0x03, 0x02, 0x01, 0x10,                         /*   alias outer 1 16 (type) */
          0x03, 0x00, 0x01, 'i', 0x05, 0x00,                    /*   import "i" (instance (type 0)) */
          0x02, 0x03, 0x02, 0x01, 0x0c,                         /*   alias outer 1 12 (type) */
          0x04, 0x00, 0x01, 'f', 0x01, 0x01);                   /*   export "f" (func (type 1)) */
    BOUND();
    /* instance 0 = "dep"; func 0 = "a:b/c" with both name options; func 1 = "run" */
    SEC(b, S_IMPORT, 0x03,
        0x00, 0x03, 'd', 'e', 'p', 0x05, 0x10,
        0x02, 0x05, 'a', ':', 'b', '/', 'c', 0x02, 0x00, 0x05, 'x', ':', 'y', '/', 'z', 0x01, 0x05, '1', '.', '2',
        '.', '3', 0x01, 0x0c,
        0x01, 0x03, 'r', 'u', 'n', 0x01, 0x0e);
    BOUND();
    /* func 2 = dep "mk"; type 18 = dep "r2" */
    SEC(b, S_ALIAS, 0x02, 0x01, 0x00, 0x00, 0x02, 'm', 'k', 0x03, 0x00, 0x00, 0x02, 'r', '2');
    BOUND();
    SEC(b, S_CANON, 0x05,
        0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x04, 0x01, 0x01, 0x0c, /* func 3 = lift core func 0, utf16 */
        0x01, 0x00, 0x02, 0x01, 0x03, 0x00,                         /* core func 2 = lower func 2 */
        0x02, 0x00,                                                 /* core func 3 = resource.new 0 */
        0x03, 0x12,                                                 /* core func 4 = resource.drop 18 */
        0x04, 0x00);                                                /* core func 5 = resource.rep 0 */
    BOUND();
    /* component 0: takes "x" (a func), exports it as "x2" and the outer
     * record type as "t" */
    {
        isr_buf inner = {0};
        preamble(&inner);
        SEC(&inner, S_TYPE, 0x01, 0x40, 0x01, 0x01, 'x', 0x79, 0x00, 0x79);
        SEC(&inner, S_IMPORT, 0x01, 0x00, 0x01, 'x', 0x01, 0x00);
        SEC(&inner, S_ALIAS, 0x01, 0x03, 0x02, 0x01, 0x01);
        SEC(&inner, S_EXPORT, 0x02, 0x00, 0x02, 'x', '2', 0x01, 0x00, 0x00, 0x00, 0x01, 't', 0x03, 0x01, 0x00);
        section(b, S_COMPONENT, &inner);
    }
    BOUND();
    /* instance 1 = component 0 with "x" = func 3; instance 2 = bundle */
    SEC(b, S_INSTANCE, 0x02,
        0x00, 0x00, 0x01, 0x01, 'x', 0x01, 0x03,
        0x01, 0x02, 0x00, 0x01, 'f', 0x01, 0x03, 0x00, 0x01, 't', 0x03, 0x01);
    BOUND();
    /* func 4 = instance 1 "x2"; type 19 = outer 0 1 */
    SEC(b, S_ALIAS, 0x02, 0x01, 0x00, 0x01, 0x02, 'x', '2', 0x03, 0x02, 0x00, 0x01);
    BOUND();
    SEC(b, S_START, 0x01, 0x00, 0x00);
    BOUND();
    SEC(b, S_EXPORT, 0x05,
        0x00, 0x06, 'l', 'i', 'f', 't', 'e', 'd', 0x01, 0x03, 0x00,     /* func 5 */
        0x00, 0x01, 'r', 0x03, 0x00, 0x00,                               /* type 20 */
        0x00, 0x02, 'i', '2', 0x05, 0x02, 0x00,                          /* instance 3 */
        0x00, 0x05, 'f', '-', 'a', 's', 'c', 0x01, 0x04, 0x01, 0x01, 0x0c, /* func 6 */
        0x00, 0x03, 'r', 'e', 'c', 0x03, 0x01, 0x01, 0x03, 0x00, 0x01);  /* type 21 */
    BOUND();
#undef BOUND
}

static char *type_text(const cm_type *t) {
    isr_buf b = {0};
    if (!cm_type_print(&b, t) || !isr_buf_append(&b, "", 1)) {
        isr_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

static void check_type_text(const cm_type *t, const char *want, int line) {
    char *got = type_text(t);
    check_record(got && strcmp(got, want) == 0, __FILE__, line, want);
    if (!got || strcmp(got, want) != 0) fprintf(stderr, "    got %s\n", got ? got : "(null)");
    free(got);
}
#define CHECK_TYPE(t, want) check_type_text(t, want, __LINE__)

static void check_functype_text(const cm_functype *ft, const char *want, int line) {
    isr_buf b = {0};
    bool ok = cm_functype_print(&b, ft) && isr_buf_append(&b, "", 1);
    check_record(ok && strcmp((char *)b.data, want) == 0, __FILE__, line, want);
    if (!ok || strcmp((char *)b.data, want) != 0) fprintf(stderr, "    got %s\n", ok ? (char *)b.data : "(null)");
    isr_buf_free(&b);
}
#define CHECK_FUNCTYPE(ft, want) check_functype_text(ft, want, __LINE__)

static bool name_eq(cm_name n, const char *s) { return n.len == strlen(s) && memcmp(n.s, s, n.len) == 0; }

/* ------------------------------------------------------------------------
 * The full component, item by item
 * ------------------------------------------------------------------------ */

static void test_full_component(void) {
    isr_buf b = {0};
    size_t bounds[32], nbounds;
    build_full(&b, bounds, &nbounds);
    /* Decode from a copy that is freed at once: the component keeps its own. */
    uint8_t *copy = malloc(b.len);
    REQUIRE(copy);
    memcpy(copy, b.data, b.len);
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode(copy, b.len, &c);
    memset(copy, 0xAA, b.len);
    free(copy);
    if (err) fprintf(stderr, "    %s\n", isorun_error_message(err));
    REQUIRE(err == NULL && c != NULL);

    /* Definitions in binary order. */
    CHECK_EQ_INT(c->ndefs, 47);
    CHECK_EQ_INT(c->defs[0].kind, CM_DEF_CORE_MODULE);
    CHECK_EQ_INT(c->defs[1].kind, CM_DEF_CORE_TYPE);
    CHECK_EQ_INT(c->defs[2].kind, CM_DEF_CORE_TYPE);
    CHECK_EQ_INT(c->defs[3].kind, CM_DEF_CORE_INSTANCE);
    CHECK_EQ_INT(c->defs[46].kind, CM_DEF_EXPORT);
    CHECK_EQ_INT(c->defs[46].index, 4);
    CHECK_EQ_INT(c->defs[41].kind, CM_DEF_START);
    CHECK_EQ_INT(c->ncore_modules, 1);
    CHECK_EQ_INT(c->ncore_types, 2);
    CHECK_EQ_INT(c->ncore_instances, 2);
    CHECK_EQ_INT(c->naliases, 7);
    CHECK_EQ_INT(c->ntypes, 18);
    CHECK_EQ_INT(c->nimports, 3);
    CHECK_EQ_INT(c->ncanons, 5);
    CHECK_EQ_INT(c->ncomponents, 1);
    CHECK_EQ_INT(c->ninstances, 2);
    CHECK_EQ_INT(c->nstarts, 1);
    CHECK_EQ_INT(c->nexports, 5);
    CHECK_EQ_INT(c->ncustoms, 1);
    CHECK(name_eq(c->customs[0].name, "note") && c->customs[0].size == 2 && memcmp(c->customs[0].bytes, "hi", 2) == 0);

    /* Index spaces. */
    CHECK_EQ_INT(c->nspace[CM_SORT_CORE_FUNC], 6);
    CHECK_EQ_INT(c->nspace[CM_SORT_CORE_MEMORY], 1);
    CHECK_EQ_INT(c->nspace[CM_SORT_CORE_TYPE], 2);
    CHECK_EQ_INT(c->nspace[CM_SORT_CORE_MODULE], 1);
    CHECK_EQ_INT(c->nspace[CM_SORT_CORE_INSTANCE], 2);
    CHECK_EQ_INT(c->nspace[CM_SORT_FUNC], 7);
    CHECK_EQ_INT(c->nspace[CM_SORT_TYPE], 22);
    CHECK_EQ_INT(c->nspace[CM_SORT_COMPONENT], 1);
    CHECK_EQ_INT(c->nspace[CM_SORT_INSTANCE], 4);
    CHECK_EQ_INT(c->nspace[CM_SORT_VALUE], 0);
    CHECK(cm_component_index(c, CM_SORT_FUNC, 7) == NULL);
    const cm_index_entry *e = cm_component_index(c, CM_SORT_FUNC, 3);
    REQUIRE(e);
    CHECK(e->def == CM_DEF_CANON && e->def_index == 0 && e->type == c->types[12]);
    e = cm_component_index(c, CM_SORT_CORE_FUNC, 1);
    REQUIRE(e);
    CHECK(e->def == CM_DEF_ALIAS && e->def_index == 2);
    e = cm_component_index(c, CM_SORT_CORE_INSTANCE, 1);
    REQUIRE(e);
    CHECK(e->core_instance == &c->core_instances[1]);
    CHECK(cm_component_index(c, CM_SORT_CORE_TYPE, 1)->core_type == c->core_types[1]);

    /* The core module: its bytes are the module, which the core engine loads. */
    CHECK(c->core_modules[0].size == sizeof core_module &&
          memcmp(c->core_modules[0].bytes, core_module, sizeof core_module) == 0);
    wasm_module *m = NULL;
    err = wasm_module_new(c->core_modules[0].bytes, c->core_modules[0].size, &m);
    CHECK(err == NULL);
    isorun_error_free(err);
    if (m) wasm_module_free(m);

    /* Core types. */
    const cm_core_deftype *ft = c->core_types[0], *mt = c->core_types[1];
    CHECK(ft->kind == CM_CORE_FUNCTYPE && ft->func.nparams == 1 && ft->func.nresults == 1 &&
          ft->func.types[0] == WASM_I32 && ft->func.types[1] == WASM_I32);
    REQUIRE(mt->kind == CM_CORE_MODULETYPE && mt->nimports == 1 && mt->nexports == 1);
    CHECK(name_eq(mt->imports[0].module, "a") && name_eq(mt->imports[0].name, "b"));
    CHECK(mt->imports[0].kind == WASM_EXTERN_FUNC && mt->imports[0].func->func.nparams == 1 &&
          mt->imports[0].func->func.nresults == 0);
    CHECK(name_eq(mt->exports[0].name, "mem") && mt->exports[0].kind == WASM_EXTERN_MEMORY &&
          mt->exports[0].memory.min == 1 && !mt->exports[0].memory.has_max);

    /* Core instances. */
    CHECK(c->core_instances[0].instantiate && c->core_instances[0].module == 0 && c->core_instances[0].count == 0);
    CHECK(!c->core_instances[1].instantiate && c->core_instances[1].count == 1 &&
          name_eq(c->core_instances[1].exports[0].name, "g") &&
          c->core_instances[1].exports[0].item.sort == CM_SORT_CORE_FUNC);

    /* Aliases. */
    CHECK(c->aliases[0].kind == CM_ALIAS_CORE_EXPORT && c->aliases[0].sort == CM_SORT_CORE_FUNC &&
          name_eq(c->aliases[0].name, "f"));
    CHECK(c->aliases[3].kind == CM_ALIAS_EXPORT && c->aliases[3].sort == CM_SORT_FUNC &&
          c->aliases[3].instance == 0 && name_eq(c->aliases[3].name, "mk"));
    CHECK(c->aliases[6].kind == CM_ALIAS_OUTER && c->aliases[6].outer_count == 0 && c->aliases[6].outer_index == 1);
    CHECK(cm_component_index(c, CM_SORT_TYPE, 19)->type == c->types[1]);

    /* Value types, printed canonically. */
    const cm_deftype *const *t = (const cm_deftype *const *)c->types;
    CHECK(t[0]->kind == CM_DEFTYPE_RESOURCE && t[0]->local && t[0]->has_dtor && t[0]->dtor == 0);
    CHECK(t[0]->name && strcmp(t[0]->name, "r") == 0); /* named by its export */
    CHECK_TYPE(t[1]->value, "record{a:u8,b-c:string}");
    CHECK_TYPE(t[2]->value, "variant{x(record{a:u8,b-c:string}),y}");
    CHECK_TYPE(t[3]->value, "list<variant{x(record{a:u8,b-c:string}),y}>");
    CHECK_TYPE(t[4]->value, "tuple<u32,f64,char>");
    CHECK_TYPE(t[5]->value, "flags{p,q}");
    CHECK_TYPE(t[6]->value, "enum{one,two}");
    CHECK_TYPE(t[7]->value, "option<tuple<u32,f64,char>>");
    CHECK_TYPE(t[8]->value, "result<list<variant{x(record{a:u8,b-c:string}),y}>,enum{one,two}>");
    CHECK_TYPE(t[9]->value, "result");
    CHECK_TYPE(t[10]->value, "own<r>");
    CHECK_TYPE(t[11]->value, "borrow<r>");
    CHECK(t[15]->value == cm_type_scalar(ISORUN_S64));
    /* Shared trees: the variant's payload is type 1's node. */
    CHECK(t[2]->value->members[0] == t[1]->value);
    CHECK_EQ_INT(t[1]->value->min_size, 2);
    CHECK_EQ_INT(t[4]->value->min_size, 10);
    CHECK(cm_component_handle_resource(c, t[10]->value) == t[0]);
    CHECK(cm_component_handle_resource(c, t[11]->value) == t[0]);
    CHECK(cm_component_handle_resource(c, t[1]->value) == NULL);

    /* Function types. */
    REQUIRE(t[12]->kind == CM_DEFTYPE_FUNC);
    CHECK_FUNCTYPE(&t[12]->func, "func(u32)->(u32)");
    CHECK(name_eq(t[12]->param_names[0], "x") && t[12]->result_names == NULL);
    CHECK_FUNCTYPE(&t[13]->func,
                   "func(borrow<r>,result<list<variant{x(record{a:u8,b-c:string}),y}>,enum{one,two}>)->(own<r>)");
    CHECK(name_eq(t[13]->param_names[1], "s"));
    CHECK(t[14]->func.nparams == 0 && t[14]->func.nresults == 0);

    /* The instance type: a fresh abstract resource and a constructor. */
    REQUIRE(t[16]->kind == CM_DEFTYPE_INSTANCE && t[16]->nexports == 2);
    const cm_extern *r2 = cm_deftype_export(t[16], "r2", 2), *mk = cm_deftype_export(t[16], "mk", 2);
    REQUIRE(r2 && mk);
    CHECK(r2->desc.sort == CM_SORT_TYPE && r2->desc.sub_resource && r2->desc.type->kind == CM_DEFTYPE_RESOURCE &&
          !r2->desc.type->local && strcmp(r2->desc.type->name, "r2") == 0);
    CHECK(mk->desc.sort == CM_SORT_FUNC);
    CHECK_FUNCTYPE(&mk->desc.type->func, "func()->(own<r2>)");
    CHECK(cm_component_handle_resource(c, mk->desc.type->func.results[0]) == r2->desc.type);
    CHECK(cm_deftype_export(t[16], "nope", 4) == NULL);
    /* The alias of "r2" is that same resource. */
    CHECK(cm_component_index(c, CM_SORT_TYPE, 18)->type == r2->desc.type);

    /* The component type: an import of the instance type (through an outer
     * alias) and an export of type 12. */
    REQUIRE(t[17]->kind == CM_DEFTYPE_COMPONENT && t[17]->nimports == 1 && t[17]->nexports == 1);
    CHECK(cm_deftype_import(t[17], "i", 1)->desc.type == t[16]);
    CHECK(cm_deftype_export(t[17], "f", 1)->desc.type == t[12]);

    /* Imports, with the name options. */
    CHECK(name_eq(c->imports[0].name, "dep") && c->imports[0].desc.sort == CM_SORT_INSTANCE &&
          c->imports[0].desc.type == t[16]);
    CHECK(name_eq(c->imports[1].name, "a:b/c") && name_eq(c->imports[1].implements, "x:y/z") &&
          name_eq(c->imports[1].version_suffix, "1.2.3") && c->imports[1].desc.type == t[12]);
    CHECK(name_eq(c->imports[2].name, "run") && c->imports[2].implements.len == 0 &&
          c->imports[2].version_suffix.len == 0);

    /* Canonical definitions. */
    const cm_canondef *k = c->canons;
    CHECK(k[0].kind == CM_CANONDEF_LIFT && k[0].func == 0 && k[0].type_index == 12 && k[0].type == t[12]);
    CHECK(k[0].string_encoding == CM_STRING_UTF16 && k[0].has_memory && k[0].memory == 0 && k[0].has_realloc &&
          k[0].realloc == 1 && !k[0].has_post_return);
    CHECK(k[1].kind == CM_CANONDEF_LOWER && k[1].func == 2 && k[1].type == mk->desc.type && k[1].has_memory &&
          !k[1].has_realloc && k[1].string_encoding == CM_STRING_UTF8);
    CHECK(k[2].kind == CM_CANONDEF_RESOURCE_NEW && k[2].type == t[0]);
    CHECK(k[3].kind == CM_CANONDEF_RESOURCE_DROP && k[3].type_index == 18 && k[3].type == r2->desc.type);
    CHECK(k[4].kind == CM_CANONDEF_RESOURCE_REP && k[4].type == t[0]);

    /* The nested component and its instantiation. */
    const cm_component *inner = c->components[0];
    CHECK(inner->arena_ == NULL && inner->nimports == 1 && inner->nexports == 2 && inner->ntypes == 1);
    CHECK(inner->offset > 0 && inner->bytes == c->bytes + inner->offset);
    CHECK(cm_component_index(inner, CM_SORT_TYPE, 1)->type == t[1]); /* the outer alias */
    const cm_instance *i1 = &c->instances[0], *i2 = &c->instances[1];
    CHECK(i1->instantiate && i1->component == 0 && i1->count == 1 && name_eq(i1->args[0].name, "x") &&
          i1->args[0].item.sort == CM_SORT_FUNC && i1->args[0].item.index == 3);
    const cm_extern *x2 = cm_deftype_export(i1->type, "x2", 2);
    REQUIRE(x2);
    CHECK_FUNCTYPE(&x2->desc.type->func, "func(u32)->(u32)");
    CHECK(cm_deftype_export(i1->type, "t", 1)->desc.type == t[1]);
    CHECK(!i2->instantiate && i2->count == 2 && cm_deftype_export(i2->type, "f", 1)->desc.type == t[12]);
    CHECK(cm_component_index(c, CM_SORT_FUNC, 4)->type == x2->desc.type);

    /* Start. */
    CHECK(c->starts[0].func == 1 && c->starts[0].nargs == 0 && c->starts[0].nresults == 0);

    /* Exports: inferred and ascribed descs, and the indices they add. */
    const cm_export *x = cm_component_export(c, "f-asc", 5);
    REQUIRE(x);
    CHECK(x->has_ascription && x->item.sort == CM_SORT_FUNC && x->item.index == 4 && x->desc.type == t[12]);
    x = cm_component_export(c, "rec", 3);
    REQUIRE(x);
    CHECK(x->has_ascription && x->desc.type == t[1]);
    x = cm_component_export(c, "lifted", 6);
    REQUIRE(x);
    CHECK(!x->has_ascription && x->desc.type == t[12]);
    CHECK(cm_component_export(c, "nope", 4) == NULL);
    CHECK(cm_component_index(c, CM_SORT_TYPE, 20)->type == t[0]);
    CHECK(cm_component_index(c, CM_SORT_INSTANCE, 3)->type == i2->type);
    CHECK(c->type->kind == CM_DEFTYPE_COMPONENT && c->type->nimports == 3 && c->type->nexports == 5);

    cm_component_free(c);
    isr_buf_free(&b);
}

/* Every prefix of the full component: a component when it ends between
 * sections, an error (malformed, with an offset) otherwise. */
static void test_every_prefix(void) {
    isr_buf b = {0};
    size_t bounds[32], nbounds;
    build_full(&b, bounds, &nbounds);
    size_t next = 0;
    int wrong = 0;
    for (size_t len = 0; len <= b.len; len++) {
        while (next < nbounds && bounds[next] < len) next++;
        bool boundary = next < nbounds && bounds[next] == len;
        /* Exactly len bytes on the heap, so reading past them is caught. */
        uint8_t *p = malloc(len ? len : 1);
        REQUIRE(p);
        memcpy(p, b.data, len);
        cm_component *c = NULL;
        isorun_error *err = cm_component_decode(p, len, &c);
        bool ok = boundary ? err == NULL && c != NULL
                           : err && isorun_error_code_of(err) == ISORUN_ERR_MALFORMED &&
                                 strstr(isorun_error_message(err), "at offset 0x") && c == NULL;
        if (!ok && wrong++ < 5)
            fprintf(stderr, "    prefix of %zu bytes: %s\n", len, err ? isorun_error_message(err) : "decoded");
        isorun_error_free(err);
        cm_component_free(c);
        free(p);
    }
    CHECK_EQ_INT(wrong, 0);
    isr_buf_free(&b);
}

/* Every byte of the full component set to a few other values: a component
 * or a malformed-binary error, never anything else (the sanitizers watch
 * for the rest). */
static void test_every_byte_changed(void) {
    static const uint8_t values[] = {0x00, 0x01, 0x02, 0x05, 0x10, 0x3f, 0x40, 0x7f, 0x80, 0xff};
    isr_buf b = {0};
    size_t bounds[32], nbounds;
    build_full(&b, bounds, &nbounds);
    int wrong = 0, decoded = 0, refused = 0;
    uint8_t *p = malloc(b.len);
    REQUIRE(p);
    for (size_t i = 0; i < b.len; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            if (values[v] == b.data[i]) continue;
            memcpy(p, b.data, b.len);
            p[i] = values[v];
            cm_component *c = NULL;
            isorun_error *err = cm_component_decode(p, b.len, &c);
            if (err) {
                refused++;
                if (isorun_error_code_of(err) != ISORUN_ERR_MALFORMED && wrong++ < 5)
                    fprintf(stderr, "    byte %zu = 0x%02x: %s\n", i, values[v], isorun_error_message(err));
            } else {
                decoded++;
                if (!c && wrong++ < 5) fprintf(stderr, "    byte %zu = 0x%02x: no component\n", i, values[v]);
            }
            isorun_error_free(err);
            cm_component_free(c);
        }
    }
    free(p);
    CHECK_EQ_INT(wrong, 0);
    CHECK(decoded > 0 && refused > 0);
    isr_buf_free(&b);
}

/* Random bytes after a preamble: answers only (a deterministic generator). */
static void test_random_inputs(void) {
    uint64_t state = 0x9E3779B97F4A7C15u;
    uint8_t buf[96];
    int wrong = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = 8 + (size_t)(round % 88);
        static const uint8_t pre[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
        memcpy(buf, pre, 8);
        for (size_t i = 8; i < len; i++) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            /* Small values mostly, so that sections and items get somewhere. */
            buf[i] = (uint8_t)((state & 3) ? state % 24 : state >> 8);
        }
        cm_component *c = NULL;
        isorun_error *err = cm_component_decode(buf, len, &c);
        if (err ? isorun_error_code_of(err) != ISORUN_ERR_MALFORMED : c == NULL) wrong++;
        isorun_error_free(err);
        cm_component_free(c);
    }
    CHECK_EQ_INT(wrong, 0);
}

/* ------------------------------------------------------------------------
 * Refused inputs
 * ------------------------------------------------------------------------ */

static void expect_malformed(const uint8_t *bytes, size_t len, const char *want, int line) {
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode(bytes, len, &c);
    const char *msg = err ? isorun_error_message(err) : "";
    bool ok = err && isorun_error_code_of(err) == ISORUN_ERR_MALFORMED && strstr(msg, want) &&
              strncmp(msg, "at offset 0x", 12) == 0 && c == NULL;
    check_record(ok, __FILE__, line, want);
    if (!ok) fprintf(stderr, "    got: %s\n", err ? msg : "a component");
    isorun_error_free(err);
    cm_component_free(c);
}
#define EXPECT_MALFORMED(buf, want) expect_malformed((buf)->data, (buf)->len, want, __LINE__)

/* A component of one section (id, bytes), expected to be refused. */
#define REFUSED_SECTION(want, id, ...)                                                                            \
    do {                                                                                                          \
        isr_buf b_ = {0};                                                                                         \
        preamble(&b_);                                                                                            \
        SEC(&b_, id, __VA_ARGS__);                                                                                \
        expect_malformed(b_.data, b_.len, want, __LINE__);                                                        \
        isr_buf_free(&b_);                                                                                        \
    } while (0)

/* Raw bytes expected to be refused. */
#define REFUSED_BYTES(want, ...)                                                                                  \
    do {                                                                                                          \
        static const uint8_t raw_[] = {__VA_ARGS__};                                                              \
        expect_malformed(raw_, sizeof raw_, want, __LINE__);                                                      \
    } while (0)

static void test_preamble(void) {
    expect_malformed(NULL, 0, "unexpected end", __LINE__);
    REFUSED_BYTES("unexpected end", 0x00, 0x61, 0x73);
    REFUSED_BYTES("bad magic", 0x00, 0x61, 0x73, 0x6e, 0x0d, 0x00, 0x01, 0x00);
    REFUSED_BYTES("this is a core WebAssembly module (version 1), not a component", 0x00, 0x61, 0x73, 0x6d, 0x01,
                  0x00, 0x00, 0x00);
    REFUSED_BYTES("unsupported component binary version 0xc", 0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00);
    REFUSED_BYTES("unknown WebAssembly binary layer 2", 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x02, 0x00);
    /* A core module with sections is still told apart at its preamble. */
    expect_malformed(core_module, sizeof core_module, "not a component", __LINE__);
    /* The empty component is a component. */
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode((const uint8_t *)"\0asm\x0d\0\x01\0", 8, &c);
    CHECK(err == NULL && c && c->ndefs == 0 && c->type->nimports == 0);
    isorun_error_free(err);
    cm_component_free(c);
    /* Bad arguments. */
    err = cm_component_decode(NULL, 4, &c);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_ARGUMENT);
    isorun_error_free(err);
    cm_component_free(NULL);
}

static void test_section_framing(void) {
    isr_buf b = {0};
    preamble(&b);
    BYTES(&b, 0x07, 0x05, 0x00);
    EXPECT_MALFORMED(&b, "section size 5 runs past the end");
    isr_buf_free(&b);
    REFUSED_SECTION("section size mismatch: 1 bytes left over", S_TYPE, 0x01, 0x78, 0x78);
    REFUSED_SECTION("malformed section id 13", 13, 0x00);
    REFUSED_SECTION("the value section is not supported", S_VALUE, 0x00);
    /* Running off a section's end: at the end of the input it was cut
     * short, elsewhere the section's size is wrong. */
    REFUSED_SECTION("unexpected end", S_TYPE, 0x01, 0x72, 0x01, 0x01, 'a');
    preamble(&b);
    SEC(&b, S_TYPE, 0x01, 0x72, 0x01, 0x01, 'a');
    SEC(&b, S_CUSTOM, 0x01, 'x');
    EXPECT_MALFORMED(&b, "at offset 0xf: unexpected end of section");
    isr_buf_free(&b);
    /* LEB128: too long, too large, and counts the bytes cannot hold. */
    REFUSED_SECTION("integer representation too long", S_TYPE, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    REFUSED_SECTION("integer too large", S_TYPE, 0x80, 0x80, 0x80, 0x80, 0x10);
    REFUSED_SECTION("count 4294967295 is larger than the 0 bytes left", S_TYPE, 0xff, 0xff, 0xff, 0xff, 0x0f);
    REFUSED_SECTION("count 9 is larger", S_TYPE, 0x01, 0x72, 0x09, 0x01, 'a', 0x79);
    /* Names. */
    REFUSED_SECTION("malformed UTF-8 encoding", S_CUSTOM, 0x02, 0xc0, 0x80);
    REFUSED_SECTION("malformed label \"Ab\"", S_TYPE, 0x01, 0x6d, 0x01, 0x02, 'A', 'b');
    REFUSED_SECTION("malformed label \"a--b\"", S_TYPE, 0x01, 0x6d, 0x01, 0x04, 'a', '-', '-', 'b');
    REFUSED_SECTION("malformed label \"1a\"", S_TYPE, 0x01, 0x6d, 0x01, 0x02, '1', 'a');
    REFUSED_SECTION("malformed label \"a-\"", S_TYPE, 0x01, 0x6d, 0x01, 0x02, 'a', '-');
    REFUSED_SECTION("malformed label \"\"", S_TYPE, 0x01, 0x6d, 0x01, 0x00);
    REFUSED_SECTION("malformed import or export name (form 0x03)", S_IMPORT, 0x01, 0x03, 0x01, 'x', 0x01, 0x00);
    REFUSED_SECTION("empty import or export name", S_IMPORT, 0x01, 0x00, 0x00, 0x01, 0x00);
    REFUSED_SECTION("malformed name option 0x02", S_IMPORT, 0x01, 0x02, 0x01, 'x', 0x01, 0x02, 0x01, 'y');
    REFUSED_SECTION("duplicate versionsuffix name option", S_IMPORT, 0x01, 0x02, 0x01, 'x', 0x02, 0x01, 0x01, '1',
                    0x01, 0x01, '2');
    /* A legacy 0x01 name is read like 0x00. */
    isr_buf ok = {0};
    preamble(&ok);
    SEC(&ok, S_TYPE, 0x01, 0x40, 0x00, 0x01, 0x00);
    SEC(&ok, S_IMPORT, 0x01, 0x01, 0x01, 'x', 0x01, 0x00);
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode(ok.data, ok.len, &c);
    CHECK(err == NULL && c && name_eq(c->imports[0].name, "x"));
    isorun_error_free(err);
    cm_component_free(c);
    isr_buf_free(&ok);
}

static void test_value_types_refused(void) {
    REFUSED_SECTION("unknown type 5", S_TYPE, 0x01, 0x70, 0x05);
    REFUSED_SECTION("a record needs at least one member", S_TYPE, 0x01, 0x72, 0x00);
    REFUSED_SECTION("a tuple needs at least one member", S_TYPE, 0x01, 0x6f, 0x00);
    REFUSED_SECTION("duplicate record name \"a\"", S_TYPE, 0x01, 0x72, 0x02, 0x01, 'a', 0x79, 0x01, 'a', 0x79);
    REFUSED_SECTION("duplicate enum name \"a\"", S_TYPE, 0x01, 0x6d, 0x02, 0x01, 'a', 0x01, 'a');
    REFUSED_SECTION("type 0 is not a value type", S_TYPE, 0x02, 0x40, 0x00, 0x01, 0x00, 0x70, 0x00);
    REFUSED_SECTION("type 0 is not a resource type", S_TYPE, 0x02, 0x78, 0x69, 0x00);
    REFUSED_SECTION("malformed value type 0x72", S_TYPE, 0x01, 0x70, 0x72);
    REFUSED_SECTION("malformed type 0x60", S_TYPE, 0x01, 0x60);
    REFUSED_SECTION("malformed optional type 0x02", S_TYPE, 0x01, 0x6a, 0x02);
    REFUSED_SECTION("malformed variant case (0x01 after the payload)", S_TYPE, 0x01, 0x71, 0x01, 0x01, 'a', 0x00,
                    0x01, 0x00);
    REFUSED_SECTION("stream and future types are not supported", S_TYPE, 0x01, 0x66, 0x00);
    REFUSED_SECTION("stream and future types are not supported", S_TYPE, 0x01, 0x65, 0x00);
    REFUSED_SECTION("the error-context type is not supported", S_TYPE, 0x01, 0x64);
    REFUSED_SECTION("the error-context type is not supported", S_TYPE, 0x01, 0x70, 0x64);
    REFUSED_SECTION("fixed-length lists are not supported", S_TYPE, 0x01, 0x67, 0x79, 0x04);
    REFUSED_SECTION("async function types are not supported", S_TYPE, 0x01, 0x43, 0x00, 0x01, 0x00);
    REFUSED_SECTION("async resource types are not supported", S_TYPE, 0x01, 0x3e, 0x7f, 0x00, 0x00);
    REFUSED_SECTION("malformed result list 0x02", S_TYPE, 0x01, 0x40, 0x00, 0x02);
    REFUSED_SECTION("duplicate parameter name \"a\"", S_TYPE, 0x01, 0x40, 0x02, 0x01, 'a', 0x79, 0x01, 'a', 0x79,
                    0x01, 0x00);
    REFUSED_SECTION("representation must be i32", S_TYPE, 0x01, 0x3f, 0x7e, 0x00);
    REFUSED_SECTION("unknown core func 0", S_TYPE, 0x01, 0x3f, 0x7f, 0x01, 0x00);
    REFUSED_SECTION("a resource type cannot be defined inside a component or instance type", S_TYPE, 0x01, 0x42,
                    0x01, 0x01, 0x3f, 0x7f, 0x00);
    REFUSED_SECTION("an instance type cannot declare imports", S_TYPE, 0x01, 0x42, 0x01, 0x03, 0x00, 0x01, 'x', 0x03,
                    0x01);
    REFUSED_SECTION("duplicate export name \"x\"", S_TYPE, 0x01, 0x42, 0x02, 0x04, 0x00, 0x01, 'x', 0x03, 0x01, 0x04,
                    0x00, 0x01, 'x', 0x03, 0x01);
    REFUSED_SECTION("malformed instance type declaration 0x05", S_TYPE, 0x01, 0x42, 0x01, 0x05);
    REFUSED_SECTION("malformed externdesc 0x06", S_TYPE, 0x01, 0x42, 0x01, 0x04, 0x00, 0x01, 'x', 0x06);
    REFUSED_SECTION("malformed type bound 0x02", S_TYPE, 0x01, 0x42, 0x01, 0x04, 0x00, 0x01, 'x', 0x03, 0x02);
    REFUSED_SECTION("type 0 is not a function type", S_TYPE, 0x02, 0x78, 0x42, 0x02, 0x02, 0x03, 0x02, 0x01, 0x00,
                    0x04, 0x00, 0x01, 'x', 0x01, 0x00);
    /* Types reach past their enclosing type's scope only by outer alias:
     * type 0 of the component is not type 0 inside an instance type. */
    REFUSED_SECTION("unknown type 0", S_TYPE, 0x02, 0x78, 0x42, 0x01, 0x01, 0x70, 0x00);
}

static void test_limits(void) {
    /* list<list<...<u8>>>: 32 levels decode, 33 do not. */
    for (int levels = 32; levels <= 33; levels++) {
        isr_buf b = {0}, c = {0};
        preamble(&b);
        put_leb(&c, (uint64_t)levels + 1);
        put_u8(&c, 0x7d);
        for (int i = 0; i < levels; i++) {
            put_u8(&c, 0x70);
            put_leb(&c, (uint64_t)i);
        }
        section(&b, S_TYPE, &c);
        if (levels == 32) {
            cm_component *comp = NULL;
            isorun_error *err = cm_component_decode(b.data, b.len, &comp);
            CHECK(err == NULL && comp);
            isorun_error_free(err);
            cm_component_free(comp);
        } else {
            EXPECT_MALFORMED(&b, "type nested more than 32 levels deep");
        }
        isr_buf_free(&b);
    }
    /* tuple<t, t> over tuple<t, t> ...: few bytes, a tree too big to walk. */
    {
        isr_buf b = {0}, c = {0};
        preamble(&b);
        put_leb(&c, 18);
        put_u8(&c, 0x7d);
        for (int i = 0; i < 17; i++) {
            put_u8(&c, 0x6f);
            put_u8(&c, 0x02);
            put_leb(&c, (uint64_t)i);
            put_leb(&c, (uint64_t)i);
        }
        section(&b, S_TYPE, &c);
        EXPECT_MALFORMED(&b, "type of more than 100000 nodes (decoder limit)");
        isr_buf_free(&b);
    }
    /* More than 1000 fields. */
    {
        isr_buf b = {0}, c = {0};
        preamble(&b);
        put_leb(&c, 1);
        put_u8(&c, 0x6d);
        put_leb(&c, 1001);
        for (int i = 0; i < 1001; i++) put(&c, "\x01x", 2);
        section(&b, S_TYPE, &c);
        EXPECT_MALFORMED(&b, "an enum with more than 1000 members (decoder limit)");
        isr_buf_free(&b);
    }
    /* A label longer than 256 bytes. */
    {
        isr_buf b = {0}, c = {0};
        preamble(&b);
        put(&c, "\x01\x6d\x01", 3);
        put_leb(&c, 257);
        for (int i = 0; i < 257; i++) put_u8(&c, 'a');
        section(&b, S_TYPE, &c);
        EXPECT_MALFORMED(&b, "label longer than 256 bytes");
        isr_buf_free(&b);
    }
    /* Components nested in components: 16 levels (the outermost one
     * included) decode, 17 do not. */
    for (int levels = 16; levels <= 17; levels++) {
        isr_buf b = {0};
        preamble(&b);
        for (int i = 1; i < levels; i++) {
            isr_buf outer = {0};
            preamble(&outer);
            section(&outer, S_COMPONENT, &b);
            b = outer;
        }
        if (levels == 16) {
            cm_component *comp = NULL;
            isorun_error *err = cm_component_decode(b.data, b.len, &comp);
            CHECK(err == NULL && comp && comp->ncomponents == 1);
            isorun_error_free(err);
            cm_component_free(comp);
        } else {
            EXPECT_MALFORMED(&b, "nested more than 16 levels deep (decoder limit)");
        }
        isr_buf_free(&b);
    }
    /* Instance types inside instance types, the same way. */
    {
        isr_buf b = {0}, c = {0};
        preamble(&b);
        put_u8(&c, 0x01);
        for (int i = 0; i < 16; i++) put(&c, "\x42\x01\x01", 3);
        put(&c, "\x42\x00", 2);
        section(&b, S_TYPE, &c);
        EXPECT_MALFORMED(&b, "nested more than 16 levels deep");
        isr_buf_free(&b);
    }
}

static void test_core_refused(void) {
    REFUSED_SECTION("a core module section must hold a core module", S_CORE_MODULE, 0x00, 0x61, 0x73, 0x6d, 0x0d,
                    0x00, 0x01, 0x00);
    REFUSED_SECTION("malformed core type 0x61", S_CORE_TYPE, 0x01, 0x61);
    REFUSED_SECTION("core GC types are not supported", S_CORE_TYPE, 0x01, 0x4e, 0x00);
    REFUSED_SECTION("core GC types are not supported", S_CORE_TYPE, 0x01, 0x00, 0x50, 0x00, 0x60, 0x00, 0x00);
    REFUSED_SECTION("malformed or unsupported core value type 0x40", S_CORE_TYPE, 0x01, 0x60, 0x01, 0x40, 0x00);
    REFUSED_SECTION("a module type cannot define a module type", S_CORE_TYPE, 0x01, 0x50, 0x01, 0x01, 0x50, 0x00);
    REFUSED_SECTION("a module type cannot alias a module type", S_CORE_TYPE, 0x02, 0x50, 0x00, 0x50, 0x01, 0x02,
                    0x10, 0x01, 0x01, 0x00);
    REFUSED_SECTION("a module type can only alias core types", S_CORE_TYPE, 0x01, 0x50, 0x01, 0x02, 0x00, 0x01, 0x01,
                    0x00);
    REFUSED_SECTION("unknown core type 1", S_CORE_TYPE, 0x01, 0x50, 0x02, 0x01, 0x60, 0x00, 0x00, 0x00, 0x01, 'a',
                    0x01, 'b', 0x00, 0x01);
    REFUSED_SECTION("shared memories are not supported", S_CORE_TYPE, 0x01, 0x50, 0x01, 0x03, 0x01, 'm', 0x02, 0x03,
                    0x01, 0x01);
    REFUSED_SECTION("64-bit memories and tables are not supported", S_CORE_TYPE, 0x01, 0x50, 0x01, 0x03, 0x01, 'm',
                    0x02, 0x04, 0x01);
    REFUSED_SECTION("core tags (exception handling) are not supported", S_CORE_TYPE, 0x01, 0x50, 0x01, 0x03, 0x01,
                    'm', 0x04, 0x00, 0x00);
    REFUSED_SECTION("malformed mutability 0x02", S_CORE_TYPE, 0x01, 0x50, 0x01, 0x03, 0x01, 'g', 0x03, 0x7f, 0x02);
    REFUSED_SECTION("duplicate export name \"m\"", S_CORE_TYPE, 0x01, 0x50, 0x02, 0x03, 0x01, 'm', 0x02, 0x00, 0x01,
                    0x03, 0x01, 'm', 0x02, 0x00, 0x01);
    REFUSED_SECTION("unknown core module 0", S_CORE_INSTANCE, 0x01, 0x00, 0x00, 0x00);
    REFUSED_SECTION("unknown core func 0", S_CORE_INSTANCE, 0x01, 0x01, 0x01, 0x01, 'f', 0x00, 0x00);
    REFUSED_SECTION("a core instance cannot export a core module", S_CORE_INSTANCE, 0x01, 0x01, 0x01, 0x01, 'f',
                    0x11, 0x00);
    REFUSED_SECTION("core tags (exception handling) are not supported", S_CORE_INSTANCE, 0x01, 0x01, 0x01, 0x01, 'f',
                    0x04, 0x00);
    REFUSED_SECTION("malformed core instance 0x02", S_CORE_INSTANCE, 0x01, 0x02);
    /* Instantiation arguments must be core instances. */
    {
        isr_buf b = {0}, c = {0};
        preamble(&b);
        put(&c, core_module, sizeof core_module);
        section(&b, S_CORE_MODULE, &c);
        SEC(&b, S_CORE_INSTANCE, 0x01, 0x00, 0x00, 0x01, 0x01, 'a', 0x00, 0x00);
        EXPECT_MALFORMED(&b, "a core instantiation argument must be a core instance (sort 0x00)");
        isr_buf_free(&b);
    }
    /* Core export aliases of a bundle are checked against its exports. */
    {
        isr_buf b = {0}, c = {0};
        preamble(&b);
        put(&c, core_module, sizeof core_module);
        section(&b, S_CORE_MODULE, &c);
        SEC(&b, S_CORE_INSTANCE, 0x01, 0x00, 0x00, 0x00);
        SEC(&b, S_ALIAS, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 'f');
        SEC(&b, S_CORE_INSTANCE, 0x01, 0x01, 0x01, 0x01, 'g', 0x00, 0x00);
        isr_buf good = {0};
        put(&good, b.data, b.len);
        SEC(&b, S_ALIAS, 0x01, 0x00, 0x00, 0x01, 0x01, 0x01, 'h');
        EXPECT_MALFORMED(&b, "core instance 1 has no export \"h\"");
        SEC(&good, S_ALIAS, 0x01, 0x00, 0x02, 0x01, 0x01, 0x01, 'g');
        EXPECT_MALFORMED(&good, "export \"g\" of core instance 1 is a core func, not a core memory");
        isr_buf_free(&b);
        isr_buf_free(&good);
    }
}

/* The imports most refusals below build on: type 0 = func(), type 1 = an
 * instance type exporting a (sub resource) "r" and "f" of type func(),
 * instance 0 = import "i" of type 1, func 0 = import "f". */
static void base(isr_buf *b) {
    preamble(b);
    SEC(b, S_TYPE, 0x02,
        0x40, 0x00, 0x01, 0x00,
        0x42, 0x03, 0x04, 0x00, 0x01, 'r', 0x03, 0x01, 0x02, 0x03, 0x02, 0x01, 0x00, 0x04, 0x00, 0x01, 'f', 0x01, 0x01);
    SEC(b, S_IMPORT, 0x02, 0x00, 0x01, 'i', 0x05, 0x01, 0x00, 0x01, 'f', 0x01, 0x00);
}

#define REFUSED_AFTER_BASE(want, id, ...)                                                                         \
    do {                                                                                                          \
        isr_buf b_ = {0};                                                                                         \
        base(&b_);                                                                                                \
        SEC(&b_, id, __VA_ARGS__);                                                                                \
        expect_malformed(b_.data, b_.len, want, __LINE__);                                                        \
        isr_buf_free(&b_);                                                                                        \
    } while (0)

static void test_definitions_refused(void) {
    /* The base itself decodes. */
    isr_buf b = {0};
    base(&b);
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode(b.data, b.len, &c);
    if (err) fprintf(stderr, "    %s\n", isorun_error_message(err));
    CHECK(err == NULL && c && c->nspace[CM_SORT_INSTANCE] == 1 && c->nspace[CM_SORT_FUNC] == 1);
    isorun_error_free(err);
    cm_component_free(c);
    isr_buf_free(&b);

    /* Aliases. */
    REFUSED_AFTER_BASE("unknown instance 1", S_ALIAS, 0x01, 0x01, 0x00, 0x01, 0x01, 'f');
    REFUSED_AFTER_BASE("instance 0 has no export \"g\"", S_ALIAS, 0x01, 0x01, 0x00, 0x00, 0x01, 'g');
    REFUSED_AFTER_BASE("export \"f\" of instance 0 is a func, not a type", S_ALIAS, 0x01, 0x03, 0x00, 0x00, 0x01, 'f');
    REFUSED_AFTER_BASE("outer alias count 1 reaches past the outermost component", S_ALIAS, 0x01, 0x03, 0x02, 0x01,
                       0x00);
    REFUSED_AFTER_BASE("an outer alias cannot be of sort func", S_ALIAS, 0x01, 0x01, 0x02, 0x00, 0x00);
    REFUSED_AFTER_BASE("unknown type 9", S_ALIAS, 0x01, 0x03, 0x02, 0x00, 0x09);
    REFUSED_AFTER_BASE("a core export alias cannot be of sort func", S_ALIAS, 0x01, 0x01, 0x01, 0x00, 0x01, 'f');
    REFUSED_AFTER_BASE("unknown core instance 0", S_ALIAS, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 'f');
    REFUSED_AFTER_BASE("malformed alias target 0x03", S_ALIAS, 0x01, 0x01, 0x03);
    REFUSED_AFTER_BASE("malformed sort 0x06", S_ALIAS, 0x01, 0x06, 0x00);
    REFUSED_AFTER_BASE("malformed core sort 0x05", S_ALIAS, 0x01, 0x00, 0x05, 0x01);
    /* Canonical definitions. */
    REFUSED_AFTER_BASE("unknown core func 0", S_CANON, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00);
    REFUSED_AFTER_BASE("malformed canon lower (sort byte 0x01", S_CANON, 0x01, 0x01, 0x01, 0x00, 0x00);
    REFUSED_AFTER_BASE("canon lower cannot have a post-return option", S_CANON, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01,
                       0x00, 0x00, 0x01, 0x05, 0x00);
    REFUSED_AFTER_BASE("unknown core memory 0", S_CANON, 0x01, 0x01, 0x00, 0x00, 0x01, 0x03, 0x00);
    REFUSED_AFTER_BASE("conflicting string-encoding options", S_CANON, 0x01, 0x01, 0x00, 0x00, 0x02, 0x00, 0x02);
    REFUSED_AFTER_BASE("the async canonical options (async, callback, core type) are not supported", S_CANON, 0x01,
                       0x01, 0x00, 0x00, 0x01, 0x06);
    REFUSED_AFTER_BASE("malformed canonical option 0x09", S_CANON, 0x01, 0x01, 0x00, 0x00, 0x01, 0x09);
    REFUSED_AFTER_BASE("type 0 is not a resource type", S_CANON, 0x01, 0x03, 0x00);
    REFUSED_AFTER_BASE("canonical built-in 0x08 (async, threads or error-context) is not supported", S_CANON, 0x01,
                       0x08);
    REFUSED_AFTER_BASE("canonical built-in 0x07 (async, threads or error-context) is not supported", S_CANON, 0x01,
                       0x07, 0x00);
    REFUSED_AFTER_BASE("malformed canonical definition 0x30", S_CANON, 0x01, 0x30);
    /* resource.new of an imported resource (type 2 = alias of "r"). */
    {
        isr_buf b2 = {0};
        base(&b2);
        SEC(&b2, S_ALIAS, 0x01, 0x03, 0x00, 0x00, 0x01, 'r');
        isr_buf drop = {0};
        put(&drop, b2.data, b2.len);
        SEC(&b2, S_CANON, 0x01, 0x02, 0x02);
        EXPECT_MALFORMED(&b2, "resource.new needs a resource type defined by this component");
        SEC(&drop, S_CANON, 0x01, 0x03, 0x02); /* resource.drop is fine */
        cm_component *d = NULL;
        err = cm_component_decode(drop.data, drop.len, &d);
        CHECK(err == NULL && d && d->canons[0].kind == CM_CANONDEF_RESOURCE_DROP &&
              d->canons[0].type == cm_deftype_export(d->types[1], "r", 1)->desc.type);
        isorun_error_free(err);
        cm_component_free(d);
        isr_buf_free(&b2);
        isr_buf_free(&drop);
    }
    /* Instances. */
    REFUSED_AFTER_BASE("unknown component 0", S_INSTANCE, 0x01, 0x00, 0x00, 0x00);
    REFUSED_AFTER_BASE("an instance cannot export a core func", S_INSTANCE, 0x01, 0x01, 0x01, 0x00, 0x01, 'x', 0x00,
                       0x00, 0x00);
    REFUSED_AFTER_BASE("duplicate export name \"x\"", S_INSTANCE, 0x01, 0x01, 0x02, 0x00, 0x01, 'x', 0x01, 0x00, 0x00,
                       0x01, 'x', 0x01, 0x00);
    REFUSED_AFTER_BASE("malformed instance 0x02", S_INSTANCE, 0x01, 0x02);
    /* Imports and exports. */
    REFUSED_AFTER_BASE("duplicate import name \"f\"", S_IMPORT, 0x01, 0x00, 0x01, 'f', 0x01, 0x00);
    REFUSED_AFTER_BASE("duplicate export name \"e\"", S_EXPORT, 0x02, 0x00, 0x01, 'e', 0x01, 0x00, 0x00, 0x00, 0x01,
                       'e', 0x01, 0x00, 0x00);
    REFUSED_AFTER_BASE("unknown func 1", S_EXPORT, 0x01, 0x00, 0x01, 'e', 0x01, 0x01, 0x00);
    REFUSED_AFTER_BASE("a component cannot export a core func", S_EXPORT, 0x01, 0x00, 0x01, 'e', 0x00, 0x00, 0x00,
                       0x00);
    REFUSED_AFTER_BASE("export \"e\" is a func but its type ascription a type", S_EXPORT, 0x01, 0x00, 0x01, 'e', 0x01,
                       0x00, 0x01, 0x03, 0x00, 0x00);
    REFUSED_AFTER_BASE("malformed export type ascription 0x02", S_EXPORT, 0x01, 0x00, 0x01, 'e', 0x01, 0x00, 0x02);
    REFUSED_AFTER_BASE("type 1 is not a function type", S_IMPORT, 0x01, 0x00, 0x01, 'g', 0x01, 0x01);
    REFUSED_AFTER_BASE("type 0 is not an instance type", S_IMPORT, 0x01, 0x00, 0x01, 'g', 0x05, 0x00);
    REFUSED_AFTER_BASE("type 0 is not a component type", S_IMPORT, 0x01, 0x00, 0x01, 'g', 0x04, 0x00);
    REFUSED_AFTER_BASE("unknown core type 0", S_IMPORT, 0x01, 0x00, 0x01, 'g', 0x00, 0x11, 0x00);
    REFUSED_AFTER_BASE("malformed externdesc (core sort 0x00, only core modules)", S_IMPORT, 0x01, 0x00, 0x01, 'g',
                       0x00, 0x00, 0x00);
    REFUSED_AFTER_BASE("unknown value 0", S_IMPORT, 0x01, 0x00, 0x01, 'g', 0x02, 0x00, 0x00);
    /* Start. */
    REFUSED_AFTER_BASE("start function 0 has 0 results, not 1", S_START, 0x00, 0x00, 0x01);
    REFUSED_AFTER_BASE("unknown value 0", S_START, 0x00, 0x01, 0x00, 0x00);
    REFUSED_AFTER_BASE("unknown func 3", S_START, 0x03, 0x00, 0x00);
}

/* Values: a value import, passed to a start function whose result is a
 * new value, exported. */
static void test_values_and_start(void) {
    isr_buf b = {0};
    preamble(&b);
    SEC(&b, S_TYPE, 0x01, 0x40, 0x01, 0x01, 'v', 0x79, 0x00, 0x73);                /* func(v: u32) -> string */
    SEC(&b, S_IMPORT, 0x02, 0x00, 0x01, 'v', 0x02, 0x01, 0x79, 0x00, 0x01, 'f', 0x01, 0x00);
    SEC(&b, S_START, 0x00, 0x01, 0x00, 0x01);
    SEC(&b, S_EXPORT, 0x01, 0x00, 0x01, 'r', 0x02, 0x01, 0x00);
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode(b.data, b.len, &c);
    if (err) fprintf(stderr, "    %s\n", isorun_error_message(err));
    REQUIRE(err == NULL && c);
    CHECK_EQ_INT(c->nspace[CM_SORT_VALUE], 3);
    CHECK(c->space[CM_SORT_VALUE][0].value == cm_type_scalar(ISORUN_U32));
    CHECK(c->space[CM_SORT_VALUE][1].def == CM_DEF_START && c->space[CM_SORT_VALUE][1].result == 0 &&
          c->space[CM_SORT_VALUE][1].value == cm_type_scalar(ISORUN_STRING));
    CHECK(c->starts[0].nargs == 1 && c->starts[0].args[0] == 0 && c->starts[0].nresults == 1);
    CHECK(c->exports[0].desc.sort == CM_SORT_VALUE && c->exports[0].desc.value == cm_type_scalar(ISORUN_STRING));
    cm_component_free(c);
    isr_buf_free(&b);
}

/* A local resource nobody exports gets a placeholder name; an exported one
 * its export's name, also in handles made before the export. */
static void test_resource_names(void) {
    isr_buf b = {0};
    preamble(&b);
    SEC(&b, S_TYPE, 0x04, 0x3f, 0x7f, 0x00, 0x3f, 0x7f, 0x00, 0x69, 0x00, 0x68, 0x01);
    SEC(&b, S_EXPORT, 0x01, 0x00, 0x04, 'f', 'i', 'l', 'e', 0x03, 0x00, 0x00);
    cm_component *c = NULL;
    isorun_error *err = cm_component_decode(b.data, b.len, &c);
    REQUIRE(err == NULL && c);
    CHECK(strcmp(c->types[0]->name, "file") == 0);
    CHECK(strncmp(c->types[1]->name, "resource-", 9) == 0);
    CHECK_TYPE(c->types[2]->value, "own<file>");
    char want[64];
    snprintf(want, sizeof want, "borrow<%s>", c->types[1]->name);
    CHECK_TYPE(c->types[3]->value, want);
    /* The printed type reads back (rpc's text form). */
    char *text = type_text(c->types[3]->value);
    cm_type *parsed = NULL;
    isorun_error *perr = text ? cm_type_parse(text, strlen(text), &parsed) : NULL;
    CHECK(text && perr == NULL && parsed && parsed->kind == ISORUN_BORROW);
    isorun_error_free(perr);
    cm_type_free(parsed);
    free(text);
    cm_component_free(c);
    isr_buf_free(&b);
}

int main(void) {
    RUN(test_full_component);
    RUN(test_every_prefix);
    RUN(test_every_byte_changed);
    RUN(test_random_inputs);
    RUN(test_preamble);
    RUN(test_section_framing);
    RUN(test_value_types_refused);
    RUN(test_limits);
    RUN(test_core_refused);
    RUN(test_definitions_refused);
    RUN(test_values_and_start);
    RUN(test_resource_names);
    return check_summary();
}
