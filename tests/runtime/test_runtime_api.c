/*
 * test_runtime_api.c — the embedding API's basics: values, module loading and
 * the content-keyed cache, import/export descriptions, calls with type
 * checks, host functions defined by a system component (conversion, per
 * instance state, errors, re-entry), and usage counters.
 */
#include "rt_helpers.h"

#include <math.h>

/* ------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------ */

/* Native settings in the config of a runtime that is not native are
 * ignored, not an error (the CLI always passes $ISORUN_CC). */
static void test_runtime_config_native_settings_ignored(void) {
    isorun_runtime *rt = NULL;
    isorun_runtime_config cfg = {.native_cc = "cc", .native_cache_dir = "/nonexistent/cache"};
    EXPECT_OK(isorun_runtime_new(&cfg, &rt));
    CHECK(rt != NULL);
    isorun_runtime_free(rt);
}

static void test_values(void) {
    isorun_val s;
    REQUIRE_OK(isorun_val_string(&s, "h\0llo", 5));
    CHECK_EQ_INT(s.kind, ISORUN_STRING);
    CHECK_EQ_INT(s.of.string.len, 5);
    CHECK(memcmp(s.of.string.data, "h\0llo", 6) == 0); /* NUL added after the bytes */

    /* A record holding a string and an option of a list: copied deeply. */
    isorun_val list_items[2] = {isorun_val_i32(1), isorun_val_i32(2)};
    isorun_val *payload = malloc(sizeof *payload);
    REQUIRE(payload);
    payload->kind = ISORUN_LIST;
    payload->of.seq.items = malloc(sizeof list_items);
    REQUIRE(payload->of.seq.items);
    memcpy(payload->of.seq.items, list_items, sizeof list_items);
    payload->of.seq.len = 2;
    isorun_val rec;
    rec.kind = ISORUN_RECORD;
    rec.of.seq.items = malloc(2 * sizeof(isorun_val));
    REQUIRE(rec.of.seq.items);
    rec.of.seq.len = 2;
    rec.of.seq.items[0] = s;
    rec.of.seq.items[1].kind = ISORUN_OPTION;
    rec.of.seq.items[1].of.variant.tag = 1;
    rec.of.seq.items[1].of.variant.payload = payload;

    isorun_val copy;
    REQUIRE_OK(isorun_val_copy(&copy, &rec));
    CHECK(copy.of.seq.items != rec.of.seq.items);
    CHECK(copy.of.seq.items[0].of.string.data != s.of.string.data);
    CHECK(memcmp(copy.of.seq.items[0].of.string.data, "h\0llo", 5) == 0);
    const isorun_val *cp = copy.of.seq.items[1].of.variant.payload;
    CHECK(cp != payload);
    CHECK_EQ_INT(cp->of.seq.len, 2);
    CHECK_EQ_INT(cp->of.seq.items[1].of.i32, 2);
    isorun_val_free(&rec);
    CHECK_EQ_INT(rec.kind, ISORUN_I32);
    isorun_val_free(&copy);

    /* Not UTF-8. */
    isorun_val bad;
    EXPECT_ERROR(isorun_val_string(&bad, "\xff", 1), ISORUN_ERR_ARGUMENT, "UTF-8");
    CHECK_EQ_INT(bad.kind, ISORUN_I32);

    CHECK(strcmp(isorun_kind_name(ISORUN_I64), "i64") == 0);
    CHECK(strcmp(isorun_kind_name(ISORUN_STRING), "string") == 0);
    CHECK(strcmp(isorun_kind_name((isorun_kind)999), "?") == 0);
}

/* ------------------------------------------------------------------------
 * Modules
 * ------------------------------------------------------------------------ */

static void test_module_cache_and_info(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *a = LOAD_WAT(rt, "rt_math");
    if (!a) {
        isorun_runtime_free(rt);
        return;
    }
    isorun_module *b = LOAD_WAT(rt, "rt_math");
    CHECK(a == b); /* equal bytes: the same compiled module */
    isorun_module_free(b);

    CHECK_EQ_INT(isorun_module_import_count(a), 0);
    bool found_add = false, found_scale = false;
    for (size_t i = 0; i < isorun_module_export_count(a); i++) {
        isorun_item_info info;
        REQUIRE(isorun_module_export(a, i, &info));
        CHECK(info.module == NULL);
        if (strcmp(info.name, "add") == 0) {
            found_add = true;
            CHECK_EQ_INT(info.kind, ISORUN_EXTERN_FUNC);
            CHECK_EQ_INT(info.type.nparams, 2);
            CHECK_EQ_INT(info.type.nresults, 1);
            CHECK_EQ_INT(info.type.params[0], ISORUN_I32);
            CHECK_EQ_INT(info.type.results[0], ISORUN_I32);
        }
        if (strcmp(info.name, "scale") == 0) {
            found_scale = true;
            CHECK_EQ_INT(info.type.params[0], ISORUN_F64);
            CHECK_EQ_INT(info.type.params[1], ISORUN_F32);
        }
        if (strcmp(info.name, "memory") == 0) {
            CHECK_EQ_INT(info.kind, ISORUN_EXTERN_MEMORY);
            CHECK_EQ_INT(info.min, 1); /* (memory (export "memory") 1): one page, no maximum */
            CHECK(!info.has_max);
        }
    }
    CHECK(found_add && found_scale);
    isorun_item_info info;
    CHECK(!isorun_module_export(a, 1000, &info));

    isorun_module *h = LOAD_WAT(rt, "rt_host_user");
    CHECK_EQ_INT(isorun_module_import_count(h), 5);
    REQUIRE(isorun_module_import(h, 1, &info));
    CHECK(strcmp(info.module, "host") == 0 && strcmp(info.name, "mix") == 0);
    CHECK_EQ_INT(info.type.params[0], ISORUN_I64);
    CHECK_EQ_INT(info.type.results[0], ISORUN_F64);
    isorun_module_free(h);

    /* Freed and loaded again: still compiled once (the cache keeps it). */
    isorun_module_free(a);
    a = LOAD_WAT(rt, "rt_math");
    CHECK(a != NULL);
    isorun_module_free(a);

    /* Malformed bytes and missing files are errors, not crashes. */
    isorun_module *bad = NULL;
    EXPECT_ERROR(isorun_module_load(rt, "\0asm\2\0\0\0", 8, &bad), ISORUN_ERR_MALFORMED, NULL);
    CHECK(bad == NULL);
    EXPECT_ERROR(isorun_module_load_file(rt, "/nonexistent/x.wasm", &bad), ISORUN_ERR_IO, "/nonexistent/x.wasm");
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * Calls
 * ------------------------------------------------------------------------ */

static void test_calls_and_type_checks(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) {
        isorun_runtime_free(rt);
        return;
    }
    isorun_instance *inst = INSTANCE(rt, m, NULL);
    isorun_module_free(m); /* the instance keeps it */
    isorun_runtime_free(rt); /* ...and the runtime */

    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "add", &r, 2, 40, 2, 0));
    CHECK_EQ_INT(r, 42);
    EXPECT_OK(call_i32(inst, "sub", &r, 2, 1, 3, 0));
    CHECK_EQ_INT(r, -2);

    /* s32/u32 are accepted for i32; results come back as core kinds. */
    isorun_val args[2], res[1];
    args[0].kind = ISORUN_U32;
    args[0].of.u32 = 0xFFFFFFFFu;
    args[1].kind = ISORUN_S32;
    args[1].of.s32 = 2;
    EXPECT_OK(isorun_instance_call(inst, "add", args, 2, res, 1));
    CHECK_EQ_INT(res[0].kind, ISORUN_I32);
    CHECK_EQ_INT(res[0].of.i32, 1);

    args[0] = isorun_val_i64(INT64_MAX);
    args[1] = isorun_val_i64(1);
    EXPECT_OK(isorun_instance_call(inst, "add64", args, 2, res, 1));
    CHECK_EQ_INT(res[0].kind, ISORUN_I64);
    CHECK(res[0].of.i64 == INT64_MIN);

    args[0] = isorun_val_f64(1.5);
    args[1] = isorun_val_f32(4.0f);
    EXPECT_OK(isorun_instance_call(inst, "scale", args, 2, res, 1));
    CHECK_EQ_INT(res[0].kind, ISORUN_F64);
    CHECK(res[0].of.f64 == 6.0);

    /* Type errors say what was expected. */
    args[0] = isorun_val_i64(1);
    args[1] = isorun_val_i32(1);
    EXPECT_ERROR(isorun_instance_call(inst, "add", args, 2, res, 1), ISORUN_ERR_TYPE_MISMATCH,
                 "argument 0 must be i32, got i64");
    EXPECT_ERROR(isorun_instance_call(inst, "add", args, 1, res, 1), ISORUN_ERR_TYPE_MISMATCH,
                 "takes 2 argument(s), 1 given");
    args[0] = isorun_val_i32(1);
    EXPECT_ERROR(isorun_instance_call(inst, "add", args, 2, res, 0), ISORUN_ERR_TYPE_MISMATCH, "returns 1 result(s)");
    EXPECT_ERROR(isorun_instance_call(inst, "nope", args, 2, res, 1), ISORUN_ERR_NOT_FOUND, "\"nope\"");
    EXPECT_ERROR(isorun_instance_call(inst, "memory", NULL, 0, NULL, 0), ISORUN_ERR_NOT_FOUND, NULL);

    /* A trap leaves the instance usable. */
    EXPECT_TRAP(call_i32(inst, "div", &r, 2, 1, 0, 0), ISORUN_TRAP_DIV_BY_ZERO, "integer divide by zero");
    EXPECT_OK(call_i32(inst, "div", &r, 2, 9, 3, 0));
    CHECK_EQ_INT(r, 3);

    isorun_functype ft;
    REQUIRE_OK(isorun_instance_func_type(inst, "add64", &ft));
    CHECK_EQ_INT(ft.nparams, 2);
    CHECK_EQ_INT(ft.params[1], ISORUN_I64);
    EXPECT_ERROR(isorun_instance_func_type(inst, "memory", &ft), ISORUN_ERR_NOT_FOUND, NULL);

    /* Host access to memory 0. */
    EXPECT_OK(isorun_instance_write_memory(inst, 100, "\x2a\0\0\0", 4));
    EXPECT_OK(call_i32(inst, "load", &r, 1, 100, 0, 0));
    CHECK_EQ_INT(r, 42);
    EXPECT_OK(call_i32(inst, "store", NULL, 2, 200, 0x01020304, 0));
    uint8_t bytes[4];
    EXPECT_OK(isorun_instance_read_memory(inst, 200, bytes, 4));
    CHECK(bytes[0] == 4 && bytes[3] == 1);
    EXPECT_ERROR(isorun_instance_read_memory(inst, 65535, bytes, 2), ISORUN_ERR_ARGUMENT, "outside");
    EXPECT_OK(isorun_instance_read_memory(inst, 65536, bytes, 0));

    /* Fuel is charged at loop back-edges and calls: run a loop. */
    isorun_val n = isorun_val_i32(100), sum;
    EXPECT_OK(isorun_instance_call(inst, "sum_to", &n, 1, &sum, 1));
    CHECK(sum.kind == ISORUN_I64 && sum.of.i64 == 5050);

    isorun_usage u;
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.memory_bytes, 65536);
    CHECK_EQ_U64(u.table_elements, 1);
    CHECK_EQ_U64(u.calls, 10);
    CHECK_EQ_U64(u.traps, 1);
    CHECK(u.fuel_consumed > 0);
    CHECK_EQ_U64(u.fuel_remaining, UINT64_MAX);
    EXPECT_ERROR(isorun_instance_add_fuel(inst, 10), ISORUN_ERR_ARGUMENT, "not metered");

    isorun_instance_free(inst);
}

/* ------------------------------------------------------------------------
 * Host functions through a system component
 * ------------------------------------------------------------------------ */

typedef struct host_state {
    int counter;
} host_state;

typedef struct host_config {
    int base; /* added by "count" */
    int configured, torn_down;
} host_config;

static isorun_error *host_add3(isorun_call *call, const isorun_val *args, isorun_val *results) {
    results[0] = isorun_val_i32(args[0].of.i32 + args[1].of.i32 + args[2].of.i32);
    return NULL;
}

static isorun_error *host_mix(isorun_call *call, const isorun_val *args, isorun_val *results) {
    if (args[0].kind != ISORUN_I64 || args[1].kind != ISORUN_F32 || args[2].kind != ISORUN_F64)
        return isorun_error_new(ISORUN_ERR_ARGUMENT, "wrong kinds");
    results[0] = isorun_val_f64((double)args[0].of.i64 + args[1].of.f32 * args[2].of.f64);
    return NULL;
}

static isorun_error *host_fail(isorun_call *call, const isorun_val *args, isorun_val *results) {
    switch (args[0].of.i32) {
    case 0: return NULL;
    case 1: return isorun_error_new(ISORUN_ERR_IO, "disk on fire");
    case 2: return isorun_error_new_trap(ISORUN_TRAP_MEMORY_OOB, "pointer %d", 99);
    default: return isorun_error_new_exit(args[0].of.i32);
    }
}

static isorun_error *host_count(isorun_call *call, const isorun_val *args, isorun_val *results) {
    host_state *st = isorun_call_state(call);
    host_config *cfg = isorun_call_data(call);
    /* The guest's data segment is visible through the call. */
    const char *hello = isorun_call_memory(call, 16, 5);
    if (!hello || memcmp(hello, "hello", 5) != 0) return isorun_error_new(ISORUN_ERR_ARGUMENT, "no hello");
    if (isorun_call_memory(call, 65535, 2) != NULL) return isorun_error_new(ISORUN_ERR_ARGUMENT, "bounds");
    if (isorun_call_memory_size(call) != 65536) return isorun_error_new(ISORUN_ERR_ARGUMENT, "size");
    results[0] = isorun_val_i32(cfg->base + ++st->counter);
    return NULL;
}

/* Calls back into the calling instance (same thread: re-enters). */
static isorun_error *host_reenter(isorun_call *call, const isorun_val *args, isorun_val *results) {
    isorun_val arg = args[0], res;
    isorun_error *err = isorun_instance_call(isorun_call_instance(call), "double", &arg, 1, &res, 1);
    if (err) return err;
    results[0] = res;
    return NULL;
}

static isorun_error *host_install(void *config, isorun_imports *im) {
    isorun_error *err = isorun_imports_define(im, "host", "add3", "i32 i32 i32 -> i32", host_add3, config);
    if (!err) err = isorun_imports_define(im, "host", "mix", "i64 f32 f64 -> f64", host_mix, config);
    if (!err) err = isorun_imports_define(im, "host", "fail", "i32 ->", host_fail, config);
    if (!err) err = isorun_imports_define(im, "host", "count", "-> i32", host_count, config);
    if (!err) err = isorun_imports_define(im, "host", "reenter", " i32->i32 ", host_reenter, config);
    return err;
}

static isorun_error *host_configure(void *config, isorun_instance *inst, void **state) {
    host_config *cfg = config;
    *state = calloc(1, sizeof(host_state));
    if (!*state) return isorun_error_new(ISORUN_ERR_NOMEM, "no state");
    cfg->configured++;
    return NULL;
}

static void host_teardown(void *config, void *state) {
    ((host_config *)config)->torn_down++;
    free(state);
}

static const isorun_system_ops host_ops = {"test:host", host_install, host_configure, host_teardown, NULL};

static void test_host_functions(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_host_user");
    if (!m) {
        isorun_runtime_free(rt);
        return;
    }
    host_config cfg = {.base = 100};
    isorun_system_component *c = NULL;
    REQUIRE_OK(isorun_system_new(&host_ops, &cfg, &c));
    isorun_builder *b = isorun_builder_new(rt, m);
    REQUIRE(b);
    /* Without the component nothing is granted. */
    isorun_instance *inst = NULL;
    EXPECT_ERROR(isorun_builder_instantiate(b, &inst), ISORUN_ERR_UNLINKABLE, "import \"host\".\"add3\" (i32 i32 i32 -> i32)");
    CHECK(inst == NULL);
    REQUIRE_OK(isorun_builder_add_system(b, c));
    /* The same names twice: refused, and the builder stays as it was. */
    EXPECT_ERROR(isorun_builder_add_system(b, c), ISORUN_ERR_ARGUMENT, "already defined");
    isorun_instance *i1 = NULL, *i2 = NULL;
    REQUIRE_OK(isorun_builder_instantiate(b, &i1));
    REQUIRE_OK(isorun_builder_instantiate(b, &i2));
    isorun_builder_free(b);
    isorun_system_free(c);
    CHECK_EQ_INT(cfg.configured, 2);

    int32_t r = 0;
    EXPECT_OK(call_i32(i1, "sum3", &r, 3, 1, 2, 3));
    CHECK_EQ_INT(r, 6);
    isorun_val args[3] = {isorun_val_i64(10), isorun_val_f32(0.5f), isorun_val_f64(3.0)}, res;
    EXPECT_OK(isorun_instance_call(i1, "mix", args, 3, &res, 1));
    CHECK(res.kind == ISORUN_F64 && res.of.f64 == 11.5);

    /* State is per instance. */
    EXPECT_OK(call_i32(i1, "count", &r, 0, 0, 0, 0));
    CHECK_EQ_INT(r, 101);
    EXPECT_OK(call_i32(i1, "count", &r, 0, 0, 0, 0));
    CHECK_EQ_INT(r, 102);
    EXPECT_OK(call_i32(i2, "count", &r, 0, 0, 0, 0));
    CHECK_EQ_INT(r, 101);

    /* Host errors: a plain error is a host trap naming the function; a trap
     * keeps its code; an exit passes through with its status. */
    EXPECT_OK(call_i32(i1, "fail", &r, 1, 0, 0, 0));
    CHECK_EQ_INT(r, 7);
    EXPECT_TRAP(call_i32(i1, "fail", &r, 1, 1, 0, 0), ISORUN_TRAP_HOST, "\"host\".\"fail\": disk on fire");
    EXPECT_TRAP(call_i32(i1, "fail", &r, 1, 2, 0, 0), ISORUN_TRAP_MEMORY_OOB, "pointer 99");
    isorun_error *err = call_i32(i1, "fail", &r, 1, 5, 0, 0);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_EXIT);
    CHECK_EQ_INT(isorun_error_exit_code(err), 5);
    isorun_error_free(err);

    /* Re-entry on the same thread: reenter(20) = 1 + double(20). */
    EXPECT_OK(call_i32(i1, "reenter", &r, 1, 20, 0, 0));
    CHECK_EQ_INT(r, 41);

    isorun_instance_free(i1);
    CHECK_EQ_INT(cfg.torn_down, 1);
    isorun_instance_free(i2);
    CHECK_EQ_INT(cfg.torn_down, 2);
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static isorun_error *bad_sig_install(void *config, isorun_imports *im) {
    return isorun_imports_define(im, "host", "add3", "i32 i32 -> i32 -> i32", host_add3, NULL);
}
static isorun_error *wrong_sig_install(void *config, isorun_imports *im) {
    return isorun_imports_define(im, "host", "add3", "i32 i32 -> i32", host_add3, NULL);
}

static void test_host_signature_errors(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_host_user");
    if (!m) {
        isorun_runtime_free(rt);
        return;
    }
    static const isorun_system_ops bad_ops = {"test:bad", bad_sig_install, NULL, NULL, NULL};
    static const isorun_system_ops wrong_ops = {"test:wrong", wrong_sig_install, NULL, NULL, NULL};
    isorun_system_component *bad = NULL, *wrong = NULL;
    REQUIRE_OK(isorun_system_new(&bad_ops, NULL, &bad));
    REQUIRE_OK(isorun_system_new(&wrong_ops, NULL, &wrong));
    isorun_builder *b = isorun_builder_new(rt, m);
    EXPECT_ERROR(isorun_builder_add_system(b, bad), ISORUN_ERR_ARGUMENT, "\"->\" appears twice");
    REQUIRE_OK(isorun_builder_add_system(b, wrong));
    isorun_instance *inst = NULL;
    EXPECT_ERROR(isorun_builder_instantiate(b, &inst), ISORUN_ERR_UNLINKABLE,
                 "import \"host\".\"add3\" (i32 i32 i32 -> i32): system component \"test:wrong\" defines it as (i32 i32 -> i32)");
    isorun_builder_free(b);
    isorun_system_free(bad);
    isorun_system_free(wrong);
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

int main(void) {
    RUN(test_values);
    RUN(test_runtime_config_native_settings_ignored);
    RUN(test_module_cache_and_info);
    RUN(test_calls_and_type_checks);
    RUN(test_host_functions);
    RUN(test_host_signature_errors);
    return rt_summary();
}
