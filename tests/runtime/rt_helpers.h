/*
 * rt_helpers.h — what the runtime tests share: loading built guests through
 * the public API, building plain instances, calling i32 functions, and
 * checking the errors that come back. Include after ../unit/check.h.
 * Everything here uses include/isorun.h only.
 */
#ifndef ISORUN_TEST_RT_HELPERS_H
#define ISORUN_TEST_RT_HELPERS_H

#include "../unit/check_error.h"
#include "isorun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ISORUN_GUEST_DIR
#error "ISORUN_GUEST_DIR must name the directory of built guests"
#endif

/* Set when a guest is not built in this configuration: main reports the test
 * skipped (77) unless something failed. */
static int rt_guests_skipped;

static inline int rt_summary(void) {
    if (rt_guests_skipped && !check_failed_count) {
        printf("skipped: guests are not built in this configuration\n");
        return 77;
    }
    return check_summary();
}

/* Checks err is NULL; prints and frees it otherwise. */
static inline bool rt_ok_at(isorun_error *err, int line) {
    check_record(err == NULL, __FILE__, line, "no error");
    if (err) {
        fprintf(stderr, "    error %s: %s\n", isorun_error_code_name(isorun_error_code_of(err)),
                isorun_error_message(err));
        isorun_error_free(err);
        return false;
    }
    return true;
}
#define EXPECT_OK(err) rt_ok_at((err), __LINE__)
#define REQUIRE_OK(err) REQUIRE(rt_ok_at((err), __LINE__))

/* Checks err has code (and trap) and a message containing `needle` (may be
 * NULL), then frees it. */
static inline void rt_error_at(isorun_error *err, isorun_error_code code, isorun_trap_code trap, const char *needle,
                               int line) {
    check_error_kind_at(err, code, trap, __FILE__, line);
    if (err && needle) {
        bool has = strstr(isorun_error_message(err), needle) != NULL;
        check_record(has, __FILE__, line, "the error message says what happened");
        if (!has) fprintf(stderr, "    message \"%s\" lacks \"%s\"\n", isorun_error_message(err), needle);
    }
    isorun_error_free(err);
}
#define EXPECT_ERROR(err, code, needle) rt_error_at((err), (code), ISORUN_TRAP_NONE, (needle), __LINE__)
#define EXPECT_TRAP(err, trap, needle) rt_error_at((err), ISORUN_ERR_TRAP, (trap), (needle), __LINE__)

/* Loads ISORUN_GUEST_DIR/NAME.wasm; NULL (and a skip) when WAT guests are not
 * built here; a guest that should load but does not abandons the test. */
static inline isorun_module *rt_load_at(isorun_runtime *rt, const char *name, int built, int line) {
    if (!built) {
        fprintf(stderr, "  %s: skipped: guest %s is not built here\n", check_current_test, name);
        rt_guests_skipped = 1;
        return NULL;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.wasm", ISORUN_GUEST_DIR, name);
    isorun_module *m = NULL;
    isorun_error *err = isorun_module_load_file(rt, path, &m);
    if (!rt_ok_at(err, line)) longjmp(check_abandon_test, 1);
    return m;
}
#define LOAD_WAT(rt, name) rt_load_at((rt), (name), ISORUN_WAT_GUESTS_BUILT, __LINE__)
#define LOAD_C(rt, name) rt_load_at((rt), (name), ISORUN_C_GUESTS_BUILT, __LINE__)

/* An instance of m with the given budget (may be NULL) and nothing else. */
static inline isorun_instance *rt_instance_at(isorun_runtime *rt, isorun_module *m, const isorun_budget *budget,
                                              int line) {
    isorun_builder *b = isorun_builder_new(rt, m);
    check_record(b != NULL, __FILE__, line, "builder");
    if (!b) longjmp(check_abandon_test, 1);
    isorun_builder_set_budget(b, budget);
    isorun_instance *inst = NULL;
    isorun_error *err = isorun_builder_instantiate(b, &inst);
    isorun_builder_free(b);
    if (!rt_ok_at(err, line)) longjmp(check_abandon_test, 1);
    return inst;
}
#define INSTANCE(rt, m, budget) rt_instance_at((rt), (m), (budget), __LINE__)

/* An instance of m granted one system component made of ops and config,
 * under budget (may be NULL); abandons the test on failure. */
static inline isorun_instance *rt_instance_with_system_at(isorun_runtime *rt, isorun_module *m,
                                                          const isorun_system_ops *ops, void *config,
                                                          const isorun_budget *budget, int line) {
    isorun_system_component *c = NULL;
    if (!rt_ok_at(isorun_system_new(ops, config, &c), line)) longjmp(check_abandon_test, 1);
    isorun_builder *b = isorun_builder_new(rt, m);
    check_record(b != NULL, __FILE__, line, "builder");
    if (!b) {
        isorun_system_free(c);
        longjmp(check_abandon_test, 1);
    }
    isorun_builder_set_budget(b, budget);
    isorun_error *err = isorun_builder_add_system(b, c);
    isorun_instance *inst = NULL;
    if (!err) err = isorun_builder_instantiate(b, &inst);
    isorun_builder_free(b);
    isorun_system_free(c);
    if (!rt_ok_at(err, line)) longjmp(check_abandon_test, 1);
    return inst;
}
#define INSTANCE_WITH_SYSTEM(rt, m, ops, config, budget) \
    rt_instance_with_system_at((rt), (m), (ops), (config), (budget), __LINE__)

/* Calls an export taking up to three i32 arguments and returning one i32. */
static inline isorun_error *call_i32(isorun_instance *inst, const char *name, int32_t *result, size_t nargs,
                                     int32_t a, int32_t b, int32_t c) {
    isorun_val args[3] = {isorun_val_i32(a), isorun_val_i32(b), isorun_val_i32(c)};
    isorun_val res = isorun_val_i32(0);
    isorun_error *err = isorun_instance_call(inst, name, args, nargs, &res, result ? 1 : 0);
    if (!err && result) *result = res.of.i32;
    return err;
}

static inline isorun_runtime *rt_new_at(int line) {
    isorun_runtime *rt = NULL;
    if (!rt_ok_at(isorun_runtime_new(NULL, &rt), line)) longjmp(check_abandon_test, 1);
    return rt;
}
#define RUNTIME() rt_new_at(__LINE__)

#endif /* ISORUN_TEST_RT_HELPERS_H */
