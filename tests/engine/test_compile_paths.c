/*
 * test_compile_paths.c — runs compile_paths.wasm's functions and checks their
 * results. Each function takes a path through the compiler's slot tracking
 * (retargeted results, pending reads, fused branches, moves at labels) that a
 * wrong translation turns into a wrong value or an endless loop; fuel turns a
 * loop into a failure instead of a hang.
 */
#include "../../src/wasm/wasm.h"
#include "../unit/check.h"

#include <stdio.h>
#include <stdlib.h>

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static wasm_store *store;
static wasm_instance *inst;

/* Calls export name with up to 2 i32 args; returns the number of results
 * written to out, or -1 on error (printed). */
static int call(const char *name, uint32_t a, uint32_t b, uint32_t out[2]) {
    wasm_extern ex;
    if (!wasm_instance_export(inst, name, &ex) || ex.kind != WASM_EXTERN_FUNC) {
        fprintf(stderr, "no export %s\n", name);
        return -1;
    }
    wasm_store_set_fuel(store, true, 1000000);
    wasm_slot args[2] = {a, b}, res[2] = {0, 0};
    isorun_error *err = wasm_call(store, ex.u.func, args, res);
    if (err) {
        fprintf(stderr, "%s: %s\n", name, isorun_error_message(err));
        isorun_error_free(err);
        return -1;
    }
    const wasm_functype *t = wasm_func_type(ex.u.func);
    for (uint32_t i = 0; i < t->nresults && i < 2; i++) out[i] = (uint32_t)res[i];
    return (int)t->nresults;
}

static uint32_t one(const char *name, uint32_t a, uint32_t b) {
    uint32_t r[2] = {0xDEADBEEF, 0};
    return call(name, a, b, r) == 1 ? r[0] : 0xDEADBEEF;
}

static void test_retargeting(void) {
    CHECK_EQ_U64(one("loop_param_set", 0, 0), 10);
    CHECK_EQ_U64(one("tee_pending", 7, 0), 15);
    CHECK_EQ_U64(one("set_pending", 20, 0), 15);
    CHECK_EQ_U64(one("pending_across_block", 30, 0), 39);
    CHECK_EQ_U64(one("cond_return", 9, 0), 1009);
    CHECK_EQ_U64(one("cond_return", 2, 0), 2);
}

static void test_multi_value(void) {
    uint32_t r[2] = {0, 0};
    REQUIRE(call("swap", 3, 4, r) == 2);
    CHECK(r[0] == 4 && r[1] == 3);
    REQUIRE(call("swap_return", 3, 4, r) == 2);
    CHECK(r[0] == 4 && r[1] == 3);
}

static void test_branches(void) {
    CHECK_EQ_U64(one("br_if_value", 20, 0), 120);
    CHECK_EQ_U64(one("br_if_value", 3, 0), 6);
    CHECK_EQ_U64(one("max_if_param", 3, 9), 9);
    CHECK_EQ_U64(one("max_if_param", 9, 3), 9);
    CHECK_EQ_U64(one("br_table_loop", 10, 0), 55);
    CHECK_EQ_U64(one("br_table_loop", 1, 0), 1);
    CHECK_EQ_U64(one("select_local", 5, 1), 5);
    CHECK_EQ_U64(one("select_local", 5, 0), 77);
}

static void test_calls(void) { CHECK_EQ_U64(one("call_mixed", 4, 0), 425); }

int main(void) {
    if (!ISORUN_WAT_GUESTS_BUILT) {
        printf("skipped: WebAssembly text guests were not built\n");
        return 77;
    }
    size_t len;
    uint8_t *bytes = read_file(ISORUN_GUEST_DIR "/compile_paths.wasm", &len);
    if (!bytes) {
        fprintf(stderr, "cannot read compile_paths.wasm\n");
        return 1;
    }
    wasm_module *m = NULL;
    isorun_error *err = wasm_module_new(bytes, len, &m);
    free(bytes);
    if (err) {
        fprintf(stderr, "load: %s\n", isorun_error_message(err));
        return 1;
    }
    store = wasm_store_new(NULL);
    err = wasm_instantiate(store, m, NULL, 0, &inst);
    if (err) {
        fprintf(stderr, "instantiate: %s\n", isorun_error_message(err));
        return 1;
    }
    RUN(test_retargeting);
    RUN(test_multi_value);
    RUN(test_branches);
    RUN(test_calls);
    wasm_store_free(store);
    wasm_module_free(m);
    return check_summary();
}
