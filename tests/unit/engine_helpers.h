/*
 * engine_helpers.h — small helpers the engine unit tests share: loading a
 * built guest, finding exports, calling them, and checking the error that
 * comes back. Include after check.h.
 */
#ifndef ISORUN_TEST_ENGINE_HELPERS_H
#define ISORUN_TEST_ENGINE_HELPERS_H

#include "../../src/wasm/wasm.h"
#include "check_error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ISORUN_GUEST_DIR
#error "ISORUN_GUEST_DIR must name the directory of built guests (tests/CMakeLists.txt sets it)"
#endif

/* Set when a test needed a guest that this build does not make (tools
 * missing or ISORUN_GUESTS=OFF); main then reports "skipped" (exit 77)
 * unless something failed. */
static int guests_skipped;

static inline uint8_t *read_whole_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *data = NULL;
    size_t used = 0, cap = 0;
    for (;;) {
        if (used == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *bigger = realloc(data, cap);
            if (!bigger) break;
            data = bigger;
        }
        size_t n = fread(data + used, 1, cap - used, f);
        used += n;
        if (n == 0) break;
    }
    fclose(f);
    *len = used;
    return data;
}

/* Loads ISORUN_GUEST_DIR/NAME.wasm. Returns NULL (after noting a skip) when
 * this kind of guest is not built here; a guest that should exist but does
 * not load is a failure that abandons the test. */
static inline wasm_module *load_guest_at(const char *name, int guests_built, int line) {
    if (!guests_built) {
        fprintf(stderr, "  %s: skipped: guest %s is not built in this configuration\n", check_current_test, name);
        guests_skipped = 1;
        return NULL;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.wasm", ISORUN_GUEST_DIR, name);
    size_t len = 0;
    uint8_t *bytes = read_whole_file(path, &len);
    check_record(bytes != NULL, __FILE__, line, "guest file can be read");
    if (!bytes) {
        fprintf(stderr, "    cannot read %s\n", path);
        longjmp(check_abandon_test, 1);
    }
    wasm_module *module = NULL;
    isorun_error *err = wasm_module_new(bytes, len, &module);
    free(bytes); /* the module keeps its own copy */
    check_record(err == NULL && module != NULL, __FILE__, line, "guest module loads");
    if (err) {
        fprintf(stderr, "    %s: %s\n", path, isorun_error_message(err));
        isorun_error_free(err);
        longjmp(check_abandon_test, 1);
    }
    return module;
}
#define LOAD_WAT_GUEST(name) load_guest_at(name, ISORUN_WAT_GUESTS_BUILT, __LINE__)
#define LOAD_C_GUEST(name) load_guest_at(name, ISORUN_C_GUESTS_BUILT, __LINE__)

/* Instantiates with the given imports; abandons the test on failure. */
static inline wasm_instance *instantiate_at(wasm_store *store, wasm_module *module, const wasm_extern *imports,
                                     size_t nimports, int line) {
    wasm_instance *instance = NULL;
    isorun_error *err = wasm_instantiate(store, module, imports, nimports, &instance);
    check_record(err == NULL && instance != NULL, __FILE__, line, "module instantiates");
    if (err) {
        fprintf(stderr, "    %s\n", isorun_error_message(err));
        isorun_error_free(err);
        longjmp(check_abandon_test, 1);
    }
    return instance;
}
#define INSTANTIATE(store, module, imports, nimports) instantiate_at(store, module, imports, nimports, __LINE__)

/* The exported function NAME; abandons the test when there is none. */
static inline wasm_func *export_func_at(const wasm_instance *instance, const char *name, int line) {
    wasm_extern ext;
    bool found = wasm_instance_export(instance, name, &ext) && ext.kind == WASM_EXTERN_FUNC;
    check_record(found, __FILE__, line, "function is exported");
    if (!found) {
        fprintf(stderr, "    no exported function \"%s\"\n", name);
        longjmp(check_abandon_test, 1);
    }
    return ext.u.func;
}
#define EXPORT_FUNC(instance, name) export_func_at(instance, name, __LINE__)

/* Checks that err is NULL; prints and frees it otherwise. */
static inline void expect_ok_at(isorun_error *err, int line) {
    check_record(err == NULL, __FILE__, line, "call succeeds");
    if (err) {
        fprintf(stderr, "    error %s: %s\n", isorun_error_code_name(isorun_error_code_of(err)),
                isorun_error_message(err));
        isorun_error_free(err);
    }
}
#define EXPECT_OK(err) expect_ok_at(err, __LINE__)

/* Checks that err has `code` (and, for traps, `trap`) and frees it. */
static inline void expect_error_at(isorun_error *err, isorun_error_code code, isorun_trap_code trap, int line) {
    bool ok = check_error_kind_at(err, code, trap, __FILE__, line);
    if (ok && code == ISORUN_ERR_TRAP) {
        /* The message starts with the specification's wording for the trap. */
        const char *message = isorun_error_message(err);
        const char *wording = isorun_trap_message(trap);
        bool worded = strncmp(message, wording, strlen(wording)) == 0 || strstr(message, wording) != NULL;
        check_record(worded, __FILE__, line, "trap message has the specification's wording");
        if (!worded) fprintf(stderr, "    message \"%s\" lacks \"%s\"\n", message, wording);
    }
    isorun_error_free(err);
}
#define EXPECT_TRAP(err, trap) expect_error_at(err, ISORUN_ERR_TRAP, trap, __LINE__)
#define EXPECT_ERROR(err, code) expect_error_at(err, code, ISORUN_TRAP_NONE, __LINE__)

/* Slot conversions (wasm.h: i32 in the low bits, floats as bit patterns). */
static inline wasm_slot slot_i32(int32_t v) { return (uint32_t)v; }
static inline wasm_slot slot_i64(int64_t v) { return (uint64_t)v; }
static inline wasm_slot slot_f32(float v) {
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    return bits;
}
static inline wasm_slot slot_f64(double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return bits;
}
static inline double slot_as_f64(wasm_slot s) {
    double v;
    memcpy(&v, &s, sizeof v);
    return v;
}

/* Ends main: a run where guests were missing but nothing failed is "skipped". */
static inline int engine_test_summary(void) {
    int status = check_summary();
    if (status == 0 && guests_skipped) {
        printf("some tests were skipped: guests are not built in this configuration\n");
        return 77;
    }
    return status;
}

#endif /* ISORUN_TEST_ENGINE_HELPERS_H */
