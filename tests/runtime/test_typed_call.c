/*
 * test_typed_call.c — isorun_instance_call_typed against a module that
 * implements component-model functions through the canonical ABI
 * (guests/rt_typed.c): strings, lists, records and results in both
 * directions, the post-return functions freeing what results pointed to,
 * and every way a call can be refused or fail: a type that does not parse,
 * a module that does not implement the type, values that do not fit it, a
 * guest that breaks the ABI, and the instance's budget.
 */
#include "rt_helpers.h"

static isorun_val string_val(const char *s) {
    isorun_val v;
    REQUIRE_OK(isorun_val_string(&v, s, strlen(s)));
    return v;
}

static bool is_string(const isorun_val *v, const char *want) {
    return v->kind == ISORUN_STRING && v->of.string.len == strlen(want) &&
           memcmp(v->of.string.data, want, v->of.string.len) == 0;
}

/* Bytes the guest has allocated and not freed. */
static int32_t guest_allocated(isorun_instance *inst) {
    int32_t n = -1;
    EXPECT_OK(call_i32(inst, "allocated", &n, 0, 0, 0, 0));
    return n;
}

/* A runtime with an instance of rt_typed under budget (may be NULL); false
 * (the test skipped) when the guest is not built here. */
typedef struct typed_fixture {
    isorun_runtime *rt;
    isorun_module *m;
    isorun_instance *inst;
} typed_fixture;

static bool fixture_new(typed_fixture *f, const isorun_budget *budget) {
    f->rt = RUNTIME();
    f->m = LOAD_C(f->rt, "rt_typed");
    if (!f->m) {
        isorun_runtime_free(f->rt);
        return false;
    }
    f->inst = INSTANCE(f->rt, f->m, budget);
    return true;
}

static void fixture_free(typed_fixture *f) {
    isorun_instance_free(f->inst);
    isorun_module_free(f->m);
    isorun_runtime_free(f->rt);
}

static void test_values_cross(void) {
    typed_fixture f;
    if (!fixture_new(&f, NULL)) return;
    isorun_instance *inst = f.inst;
    isorun_val res = isorun_val_i32(0);

    /* A string in, a string out (UTF-8 kept byte for byte). */
    isorun_val name = string_val("Wörld");
    EXPECT_OK(isorun_instance_call_typed(inst, "greet", "func(string)->(string)", &name, 1, &res, 1));
    CHECK(is_string(&res, "Hello, Wörld!"));
    isorun_val_free(&res);
    isorun_val_free(&name);

    /* An empty string is a pointer the guest never allocated. */
    name = string_val("");
    EXPECT_OK(isorun_instance_call_typed(inst, "greet", "func(string)->(string)", &name, 1, &res, 1));
    CHECK(is_string(&res, "Hello, !"));
    isorun_val_free(&res);
    isorun_val_free(&name);

    /* A list in, a u64 out: lanes that would overflow a u32. */
    isorun_val items[4] = {{.kind = ISORUN_U32, .of.u32 = 1}, {.kind = ISORUN_U32, .of.u32 = 2},
                           {.kind = ISORUN_U32, .of.u32 = 3}, {.kind = ISORUN_U32, .of.u32 = 4000000000u}};
    isorun_val list = {.kind = ISORUN_LIST, .of.seq = {items, 4}};
    EXPECT_OK(isorun_instance_call_typed(inst, "sum", "func(list<u32>)->(u64)", &list, 1, &res, 1));
    CHECK(res.kind == ISORUN_U64 && res.of.u64 == 4000000006u);

    /* A record, flattened into three core arguments. */
    isorun_val fields[2] = {string_val("Ada"), {.kind = ISORUN_U8, .of.u8 = 36}};
    isorun_val person = {.kind = ISORUN_RECORD, .of.seq = {fields, 2}};
    EXPECT_OK(isorun_instance_call_typed(inst, "describe", "func(record{name:string,age:u8})->(string)", &person, 1,
                                         &res, 1));
    CHECK(is_string(&res, "Ada is 36"));
    isorun_val_free(&res);
    isorun_val_free(&fields[0]);

    /* A result, both cases: ok carries a u32, error a string. */
    const char *parse_type = "func(string)->(result<u32,string>)";
    name = string_val("4096");
    EXPECT_OK(isorun_instance_call_typed(inst, "parse", parse_type, &name, 1, &res, 1));
    CHECK(res.kind == ISORUN_RESULT && res.of.variant.tag == 0 && res.of.variant.payload &&
          res.of.variant.payload->kind == ISORUN_U32 && res.of.variant.payload->of.u32 == 4096);
    isorun_val_free(&res);
    isorun_val_free(&name);
    name = string_val("12a");
    EXPECT_OK(isorun_instance_call_typed(inst, "parse", parse_type, &name, 1, &res, 1));
    CHECK(res.kind == ISORUN_RESULT && res.of.variant.tag == 1 && res.of.variant.payload &&
          is_string(res.of.variant.payload, "not a number: 12a"));
    isorun_val_free(&res);
    isorun_val_free(&name);

    /* The post-return functions free what the results pointed to, and the
     * guest frees its arguments: many calls leave nothing behind. */
    int32_t before = guest_allocated(inst);
    name = string_val("a name long enough to need its own allocation, repeated many times");
    for (int i = 0; i < 500; i++) {
        EXPECT_OK(isorun_instance_call_typed(inst, "greet", "func(string)->(string)", &name, 1, &res, 1));
        isorun_val_free(&res);
    }
    isorun_val_free(&name);
    CHECK_EQ_INT(guest_allocated(inst), before);

    /* One typed call is one call of the instance, whatever it runs inside. */
    isorun_usage u;
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.calls, 2 + 1 + 1 + 2 + 500 + 2); /* + the two calls of "allocated" */

    fixture_free(&f);
}

static void test_refusals(void) {
    typed_fixture f;
    if (!fixture_new(&f, NULL)) return;
    isorun_instance *inst = f.inst;
    isorun_val name = string_val("x"), res = isorun_val_i32(0);
    isorun_val number = isorun_val_i32(7);

    EXPECT_ERROR(isorun_instance_call_typed(inst, "greet", "func(strin)->(string)", &name, 1, &res, 1),
                 ISORUN_ERR_ARGUMENT, "the type of \"greet\"");
    EXPECT_ERROR(isorun_instance_call_typed(inst, "greet", "func(own<file>)->(string)", &name, 1, &res, 1),
                 ISORUN_ERR_ARGUMENT, "resources");
    EXPECT_ERROR(isorun_instance_call_typed(inst, "nothing", "func(string)->(string)", &name, 1, &res, 1),
                 ISORUN_ERR_NOT_FOUND, "no function export \"nothing\"");
    /* The module's core export does not flatten this type. */
    EXPECT_ERROR(isorun_instance_call_typed(inst, "sum", "func(string)->(string)", &name, 1, &res, 1),
                 ISORUN_ERR_TYPE_MISMATCH, "does not implement func(string)->(string)");
    EXPECT_ERROR(isorun_instance_call_typed(inst, "greet", "func(string)->(string)", &name, 1, &res, 0),
                 ISORUN_ERR_TYPE_MISMATCH, "1 argument(s) and 1 result(s), not 1 and 0");
    EXPECT_ERROR(isorun_instance_call_typed(inst, "greet", "func(string)->(string)", &number, 1, &res, 1),
                 ISORUN_ERR_TYPE_MISMATCH, NULL);
    /* Nothing of a refused call reached the guest. */
    CHECK_EQ_INT(guest_allocated(inst), 0);

    /* A guest that returns invalid UTF-8 traps its call; the instance stays usable. */
    EXPECT_TRAP(isorun_instance_call_typed(inst, "bad-utf8", "func()->(string)", NULL, 0, &res, 1),
                ISORUN_TRAP_INVALID_VALUE, "not valid UTF-8");
    CHECK(res.kind == ISORUN_I32);
    EXPECT_OK(isorun_instance_call_typed(inst, "greet", "func(string)->(string)", &name, 1, &res, 1));
    CHECK(is_string(&res, "Hello, x!"));
    isorun_val_free(&res);

    isorun_val_free(&name);
    fixture_free(&f);
}

/* The instance's budget covers everything a typed call runs: cabi_realloc
 * included. */
static void test_budget_applies(void) {
    isorun_budget budget = {.fuel = 200};
    typed_fixture f;
    if (!fixture_new(&f, &budget)) return;
    isorun_instance *inst = f.inst;
    isorun_val name = string_val("a long enough name that copying it costs more fuel than the budget holds"),
               res = isorun_val_i32(0);
    isorun_error *err = isorun_instance_call_typed(inst, "greet", "func(string)->(string)", &name, 1, &res, 1);
    CHECK(isorun_error_trap(err) == ISORUN_TRAP_OUT_OF_FUEL);
    isorun_error_free(err);
    CHECK(res.kind == ISORUN_I32);
    isorun_val_free(&name);
    fixture_free(&f);
}

int main(void) {
    RUN(test_values_cross);
    RUN(test_refusals);
    RUN(test_budget_applies);
    return rt_summary();
}
