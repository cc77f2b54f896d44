/*
 * test_engine_limits.c — what the spec suite does not cover: the engine's
 * contract with its embedder (src/wasm/wasm.h).
 *
 *  - malformed and hostile binaries fail cleanly with an offset in the message
 *  - host functions satisfy imports, get their arguments, return results,
 *    trap with their own codes, and can call back into the guest
 *  - every trap a guest can cause comes back from wasm_call with its code,
 *    and the store keeps working afterwards
 *  - the store's limits hold: call depth, memory and table growth, fuel,
 *    and the interrupt flag set from another thread
 *
 * Guests: tests/guests/{traps,limits,host_import,start_trap}.wat.
 */
#include "check.h"
#include "engine_helpers.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------
 * Malformed and hostile binaries (built here byte by byte: these are the
 * inputs that must be exact).
 * ------------------------------------------------------------------------ */

#define WASM_HEADER 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00

/* Loads bytes that must be rejected with `code` and an offset in the message. */
static void expect_rejected_at(const uint8_t *bytes, size_t len, isorun_error_code code, int line) {
    wasm_module *module = NULL;
    isorun_error *err = wasm_module_new(bytes, len, &module);
    bool ok = err && isorun_error_code_of(err) == code;
    check_record(ok, __FILE__, line, "module is rejected with the expected code");
    if (!ok) {
        fprintf(stderr, "    got %s (\"%s\"), expected %s\n", isorun_error_code_name(isorun_error_code_of(err)),
                isorun_error_message(err), isorun_error_code_name(code));
    } else {
        bool has_offset = strstr(isorun_error_message(err), "offset") != NULL;
        check_record(has_offset, __FILE__, line, "error message names the offset");
        if (!has_offset) fprintf(stderr, "    message: \"%s\"\n", isorun_error_message(err));
    }
    if (module) wasm_module_free(module);
    isorun_error_free(err);
}
#define EXPECT_REJECTED(code, ...)                                                                 \
    expect_rejected_at((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), code, __LINE__)

/* A name-section name with a control character (here ESC) is the guest's
 * text: a trap message names the function with it escaped (\1b), so the
 * message stays one line that cannot drive a terminal. */
static void test_trap_names_escaped(void) {
    static const uint8_t bytes[] = {
        WASM_HEADER,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,             /* type 0: () -> () */
        0x03, 0x02, 0x01, 0x00,                         /* func 0: type 0 */
        0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,        /* export "f" = func 0 */
        0x0A, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0B,       /* body: unreachable */
        0x00, 0x0D, 0x04, 'n', 'a', 'm', 'e',           /* custom "name": */
        0x01, 0x06, 0x01, 0x00, 0x03, 'a', 0x1B, 'b',   /*   function 0 is "a<ESC>b" */
    };
    wasm_module *module = NULL;
    EXPECT_OK(wasm_module_new(bytes, sizeof bytes, &module));
    REQUIRE(module);
    wasm_store *store = wasm_store_new(NULL);
    wasm_instance *inst = INSTANTIATE(store, module, NULL, 0);
    isorun_error *err = wasm_call(store, EXPORT_FUNC(inst, "f"), NULL, NULL);
    CHECK(err && isorun_error_trap(err) == ISORUN_TRAP_UNREACHABLE);
    const char *msg = err ? isorun_error_message(err) : "";
    CHECK(strstr(msg, "in function a\\1bb") != NULL);
    CHECK(strchr(msg, 0x1B) == NULL);
    if (!strstr(msg, "in function a\\1bb")) fprintf(stderr, "    message: \"%s\"\n", msg);
    isorun_error_free(err);
    wasm_store_free(store);
    wasm_module_free(module);
}

static void test_empty_module_loads(void) {
    static const uint8_t empty[] = {WASM_HEADER};
    wasm_module *module = NULL;
    isorun_error *err = wasm_module_new(empty, sizeof empty, &module);
    EXPECT_OK(err);
    REQUIRE(module != NULL);
    CHECK_EQ_INT(wasm_module_import_count(module), 0);
    CHECK_EQ_INT(wasm_module_export_count(module), 0);
    /* Reference counting: two references, two frees. */
    CHECK(wasm_module_ref(module) == module);
    wasm_module_free(module);
    wasm_module_free(module);
}

static void test_malformed_binaries_fail_with_offset(void) {
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, 0x00);                                     /* too short */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, 0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00); /* magic */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, 0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00); /* version */
    /* A section id the specification does not have. */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, WASM_HEADER, 0x0D, 0x00);
    /* A section whose size runs past the end of the input. */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, WASM_HEADER, 0x01, 0x10, 0x01, 0x60, 0x00, 0x00);
    /* Type section: a function type whose form byte is not 0x60. */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, WASM_HEADER, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00);
    /* A section size with a LEB128 that is too long. */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, WASM_HEADER, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    /* A function section without a code section. */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, WASM_HEADER, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
                    0x00);
}

static void test_invalid_code_fails_with_offset(void) {
    /* (func (result i32) i64.const 0): a type mismatch, so "invalid". */
    EXPECT_REJECTED(ISORUN_ERR_INVALID, WASM_HEADER,
                    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,       /* type () -> i32 */
                    0x03, 0x02, 0x01, 0x00,                         /* one function of type 0 */
                    0x0A, 0x06, 0x01, 0x04, 0x00, 0x42, 0x00, 0x0B  /* body: i64.const 0 end */
    );
    /* (func local.get 5) with no locals. */
    EXPECT_REJECTED(ISORUN_ERR_INVALID, WASM_HEADER,
                    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                    0x03, 0x02, 0x01, 0x00,
                    0x0A, 0x07, 0x01, 0x05, 0x00, 0x20, 0x05, 0x1A, 0x0B);
}

/* Every section that starts with a vector count, claiming 2^32 - 1 entries
 * in a 5-byte body: the loader must notice that the bytes cannot hold them
 * instead of allocating for them (under ASan a 4-billion-entry allocation
 * would abort the test). */
static void test_huge_section_counts_fail_cleanly(void) {
    static const uint8_t vector_sections[] = {1, 2, 3, 4, 5, 6, 7, 9, 10, 11};
    for (size_t i = 0; i < sizeof vector_sections; i++) {
        uint8_t bytes[] = {WASM_HEADER, vector_sections[i], 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
        wasm_module *module = NULL;
        isorun_error *err = wasm_module_new(bytes, sizeof bytes, &module);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
        if (isorun_error_code_of(err) != ISORUN_ERR_MALFORMED)
            fprintf(stderr, "    section %u: %s\n", vector_sections[i], isorun_error_message(err));
        CHECK(module == NULL);
        if (module) wasm_module_free(module);
        isorun_error_free(err);
    }
    /* A function body declaring 2^32 - 1 locals of one type. */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, WASM_HEADER,
                    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                    0x03, 0x02, 0x01, 0x00,
                    0x0A, 0x0A, 0x01, 0x08, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B);
    /* A br_table claiming 2^32 - 1 targets. */
    EXPECT_REJECTED(ISORUN_ERR_MALFORMED, WASM_HEADER,
                    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                    0x03, 0x02, 0x01, 0x00,
                    0x0A, 0x0C, 0x01, 0x0A, 0x00, 0x41, 0x00, 0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B);
}

/* ---------------------------------------------------------------------------
 * Host functions
 * ------------------------------------------------------------------------ */

typedef struct host_state {
    wasm_store *store;
    int calls;
    bool saw_caller;      /* ctx->caller was set on the last call */
    bool store_matched;   /* ctx->store was the calling store every time */
    wasm_func *double_fn; /* the guest's exports, for re-entry */
    wasm_func *trap_fn;
} host_state;

static void note_call(host_state *state, wasm_call_ctx *ctx) {
    state->calls++;
    state->saw_caller = ctx->caller != NULL;
    if (ctx->store != state->store) state->store_matched = false;
}

/* mix(i32 a, i64 b, f64 c) -> i64: a * 1000000 + b + trunc(c). Mixing the
 * types shows each argument arrives in its own slot, bits intact. */
static isorun_error *host_mix(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    note_call(env, ctx);
    int32_t a = (int32_t)(uint32_t)slots[0];
    int64_t b = (int64_t)slots[1];
    double c = slot_as_f64(slots[2]);
    slots[0] = (uint64_t)((int64_t)a * 1000000 + b + (int64_t)c);
    return NULL;
}

/* divmod(a, b) -> (a / b, a % b), unsigned: two results in order. */
static isorun_error *host_divmod(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    note_call(env, ctx);
    uint32_t a = (uint32_t)slots[0], b = (uint32_t)slots[1];
    if (b == 0) return isr_error(ISORUN_ERR_ARGUMENT, "divmod by zero");
    slots[0] = a / b;
    slots[1] = a % b;
    return NULL;
}

/* maybe_fail(mode): 0 succeeds; 1 fails with a non-trap error; 2 traps with
 * a specific trap code; 3 asks to exit with status 3. */
static isorun_error *host_maybe_fail(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    note_call(env, ctx);
    switch ((uint32_t)slots[0]) {
    case 0: return NULL;
    case 1: return isr_error(ISORUN_ERR_IO, "the disk is on fire");
    case 2: return isr_trap(ISORUN_TRAP_DEADLINE, "host gave up");
    default: {
        isorun_error *exit_err = isr_error(ISORUN_ERR_EXIT, "guest exited");
        exit_err->exit_code = 3;
        return exit_err;
    }
    }
}

/* reenter(x): calls the guest's `double` export with x (or its `trap` export
 * when x is negative) from inside the host function. */
static isorun_error *host_reenter(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    host_state *state = env;
    note_call(state, ctx);
    int32_t x = (int32_t)(uint32_t)slots[0];
    if (x < 0) return wasm_call(ctx->store, state->trap_fn, NULL, NULL);
    wasm_slot arg = slot_i32(x), result = 0;
    isorun_error *err = wasm_call(ctx->store, state->double_fn, &arg, &result);
    if (err) return err;
    slots[0] = result;
    return NULL;
}

static int env_frees;
static void count_env_free(void *env) {
    (void)env;
    env_frees++;
}

typedef struct host_fixture {
    wasm_store *store;
    wasm_module *module;
    wasm_instance *instance;
    host_state state;
} host_fixture;

/* Instantiates host_import.wat with its four host functions, matching
 * imports by name (not by position) so the guest may list them in any order. */
static bool host_fixture_setup(host_fixture *fx) {
    memset(fx, 0, sizeof *fx);
    fx->module = LOAD_WAT_GUEST("host_import");
    if (!fx->module) return false;
    fx->store = wasm_store_new(NULL);
    REQUIRE(fx->store != NULL);
    fx->state.store = fx->store;
    fx->state.store_matched = true;

    static uint8_t mix_types[] = {WASM_I32, WASM_I64, WASM_F64, WASM_I64};
    static uint8_t divmod_types[] = {WASM_I32, WASM_I32, WASM_I32, WASM_I32};
    static uint8_t one_i32[] = {WASM_I32};
    static uint8_t i32_to_i32[] = {WASM_I32, WASM_I32};
    const wasm_functype mix_type = {3, 1, mix_types};
    const wasm_functype divmod_type = {2, 2, divmod_types};
    const wasm_functype fail_type = {1, 0, one_i32};
    const wasm_functype reenter_type = {1, 1, i32_to_i32};
    struct {
        const char *name;
        const wasm_functype *type;
        wasm_host_fn fn;
    } hosts[] = {
        {"mix", &mix_type, host_mix},
        {"divmod", &divmod_type, host_divmod},
        {"maybe_fail", &fail_type, host_maybe_fail},
        {"reenter", &reenter_type, host_reenter},
    };
    uint32_t nimports = wasm_module_import_count(fx->module);
    REQUIRE(nimports == 4);
    wasm_extern imports[4];
    for (uint32_t i = 0; i < nimports; i++) {
        const wasm_import *import = wasm_module_import(fx->module, i);
        REQUIRE(import != NULL && import->kind == WASM_EXTERN_FUNC);
        CHECK(strcmp(import->module, "env") == 0);
        bool matched = false;
        for (size_t h = 0; h < sizeof hosts / sizeof hosts[0]; h++) {
            if (strcmp(import->name, hosts[h].name) != 0) continue;
            /* The module's own view of the import's type must be the one we
             * expect, or the guest and the test disagree. */
            CHECK(wasm_functype_equal(wasm_module_type(fx->module, import->u.type_index), hosts[h].type));
            imports[i].kind = WASM_EXTERN_FUNC;
            imports[i].u.func = wasm_func_new_host(fx->store, hosts[h].type, hosts[h].fn, &fx->state,
                                                   h == 0 ? count_env_free : NULL);
            REQUIRE(imports[i].u.func != NULL);
            matched = true;
        }
        REQUIRE(matched);
    }
    fx->instance = INSTANTIATE(fx->store, fx->module, imports, nimports);
    fx->state.double_fn = EXPORT_FUNC(fx->instance, "double");
    fx->state.trap_fn = EXPORT_FUNC(fx->instance, "trap");
    return true;
}

static void host_fixture_teardown(host_fixture *fx) {
    wasm_store_free(fx->store);
    wasm_module_free(fx->module);
}

static void test_host_functions_get_arguments_and_return_results(void) {
    host_fixture fx;
    if (!host_fixture_setup(&fx)) return;

    wasm_slot args[3] = {slot_i32(-3), slot_i64(5000000000LL), slot_f64(2.75)};
    wasm_slot result = 0;
    EXPECT_OK(wasm_call(fx.store, EXPORT_FUNC(fx.instance, "call_mix"), args, &result));
    CHECK_EQ_INT((int64_t)result, -3000000LL + 5000000000LL + 2);
    CHECK_EQ_INT(fx.state.calls, 1);
    CHECK(fx.state.saw_caller); /* called from guest code: the caller is known */

    wasm_slot divmod_args[2] = {slot_i32(47), slot_i32(5)};
    EXPECT_OK(wasm_call(fx.store, EXPORT_FUNC(fx.instance, "call_divmod"), divmod_args, &result));
    CHECK_EQ_INT((uint32_t)result, 9 * 1000 + 2);

    CHECK(fx.state.store_matched);
    host_fixture_teardown(&fx);
    CHECK_EQ_INT(env_frees, 1); /* env_free ran when the store was freed */
}

static void test_host_function_called_directly(void) {
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    host_state state = {.store = store, .store_matched = true};
    static uint8_t mix_types[] = {WASM_I32, WASM_I64, WASM_F64, WASM_I64};
    const wasm_functype mix_type = {3, 1, mix_types};
    wasm_func *mix = wasm_func_new_host(store, &mix_type, host_mix, &state, NULL);
    REQUIRE(mix != NULL);
    CHECK(wasm_functype_equal(wasm_func_type(mix), &mix_type));
    wasm_slot args[3] = {slot_i32(1), slot_i64(2), slot_f64(3.5)};
    wasm_slot result = 0;
    EXPECT_OK(wasm_call(store, mix, args, &result));
    CHECK_EQ_INT((int64_t)result, 1000000 + 2 + 3);
    CHECK_EQ_INT(state.calls, 1);
    CHECK(!state.saw_caller); /* the host called it: no calling instance */
    CHECK(state.store_matched);
    wasm_store_free(store);
}

static void test_host_function_errors_trap_the_guest(void) {
    host_fixture fx;
    if (!host_fixture_setup(&fx)) return;
    wasm_func *call_maybe_fail = EXPORT_FUNC(fx.instance, "call_maybe_fail");
    wasm_slot mode, result = 0;

    mode = slot_i32(0);
    EXPECT_OK(wasm_call(fx.store, call_maybe_fail, &mode, &result));
    CHECK_EQ_INT((uint32_t)result, 42);

    /* A non-trap error becomes a "host function failed" trap that keeps the
     * host's message. */
    mode = slot_i32(1);
    isorun_error *err = wasm_call(fx.store, call_maybe_fail, &mode, &result);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_HOST);
    CHECK_STR_CONTAINS(isorun_error_message(err), "the disk is on fire");
    isorun_error_free(err);

    /* A trap error keeps its own trap code. */
    mode = slot_i32(2);
    EXPECT_TRAP(wasm_call(fx.store, call_maybe_fail, &mode, &result), ISORUN_TRAP_DEADLINE);

    /* An exit request unwinds the guest and comes back as is. */
    mode = slot_i32(3);
    err = wasm_call(fx.store, call_maybe_fail, &mode, &result);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_EXIT);
    CHECK_EQ_INT(isorun_error_exit_code(err), 3);
    isorun_error_free(err);

    /* The store still works after all of that. */
    mode = slot_i32(0);
    EXPECT_OK(wasm_call(fx.store, call_maybe_fail, &mode, &result));
    CHECK_EQ_INT((uint32_t)result, 42);
    host_fixture_teardown(&fx);
}

static void test_host_function_reenters_the_guest(void) {
    host_fixture fx;
    if (!host_fixture_setup(&fx)) return;
    wasm_func *call_reenter = EXPORT_FUNC(fx.instance, "call_reenter");
    wasm_slot arg = slot_i32(20), result = 0;
    EXPECT_OK(wasm_call(fx.store, call_reenter, &arg, &result));
    CHECK_EQ_INT((uint32_t)result, 41); /* 1 + double(20) */

    /* A trap in the nested guest call travels out through the host function
     * with its code. */
    arg = slot_i32(-1);
    EXPECT_TRAP(wasm_call(fx.store, call_reenter, &arg, &result), ISORUN_TRAP_UNREACHABLE);

    arg = slot_i32(5);
    EXPECT_OK(wasm_call(fx.store, call_reenter, &arg, &result));
    CHECK_EQ_INT((uint32_t)result, 11);
    host_fixture_teardown(&fx);
}

static void test_import_of_wrong_type_is_unlinkable(void) {
    wasm_module *module = LOAD_WAT_GUEST("host_import");
    if (!module) return;
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    host_state state = {.store = store, .store_matched = true};
    /* Every import gets () -> (): matches none of them. */
    const wasm_functype nothing = {0, 0, NULL};
    uint32_t nimports = wasm_module_import_count(module);
    REQUIRE(nimports <= 8);
    wasm_extern imports[8];
    for (uint32_t i = 0; i < nimports; i++) {
        imports[i].kind = WASM_EXTERN_FUNC;
        imports[i].u.func = wasm_func_new_host(store, &nothing, host_maybe_fail, &state, NULL);
        REQUIRE(imports[i].u.func != NULL);
    }
    wasm_instance *instance = NULL;
    isorun_error *err = wasm_instantiate(store, module, imports, nimports, &instance);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_UNLINKABLE);
    /* The message names the import so the user knows which one. */
    CHECK_STR_CONTAINS(isorun_error_message(err), wasm_module_import(module, 0)->name);
    isorun_error_free(err);

    /* A memory where a function is expected is unlinkable too. */
    wasm_memory *memory = wasm_memory_new(store, (wasm_limits){1, 1, true});
    REQUIRE(memory != NULL);
    imports[0].kind = WASM_EXTERN_MEMORY;
    imports[0].u.memory = memory;
    err = wasm_instantiate(store, module, imports, nimports, &instance);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_UNLINKABLE);
    isorun_error_free(err);
    CHECK_EQ_INT(state.calls, 0);
    wasm_store_free(store);
    wasm_module_free(module);
}

/* ---------------------------------------------------------------------------
 * Traps
 * ------------------------------------------------------------------------ */

typedef struct guest_fixture {
    wasm_store *store;
    wasm_module *module;
    wasm_instance *instance;
} guest_fixture;

static bool guest_setup(guest_fixture *fx, const char *guest, const wasm_store_config *config) {
    memset(fx, 0, sizeof *fx);
    fx->module = LOAD_WAT_GUEST(guest);
    if (!fx->module) return false;
    fx->store = wasm_store_new(config);
    REQUIRE(fx->store != NULL);
    fx->instance = INSTANTIATE(fx->store, fx->module, NULL, 0);
    return true;
}

static void guest_teardown(guest_fixture *fx) {
    wasm_store_free(fx->store);
    wasm_module_free(fx->module);
}

/* Calls an export with up to 3 arguments; returns the error (or NULL) and
 * writes the first result to *result. */
static isorun_error *call1(guest_fixture *fx, const char *name, wasm_slot a, wasm_slot b, wasm_slot *result) {
    wasm_slot args[2] = {a, b};
    wasm_slot results[2] = {0, 0};
    isorun_error *err = wasm_call(fx->store, EXPORT_FUNC(fx->instance, name), args, results);
    if (result) *result = results[0];
    return err;
}

/* After a trap the same store and instance must still run code. */
static void check_store_still_works_at(guest_fixture *fx, int line) {
    wasm_slot result = 0;
    isorun_error *err = call1(fx, "ok", 0, 0, &result);
    check_record(err == NULL && (uint32_t)result == 42, __FILE__, line, "store still works after the trap");
    if (err) fprintf(stderr, "    %s\n", isorun_error_message(err));
    isorun_error_free(err);
}
#define TRAPS_WITH(fx, trap, name, a, b)                                                           \
    do {                                                                                           \
        EXPECT_TRAP(call1(fx, name, a, b, NULL), trap);                                            \
        check_store_still_works_at(fx, __LINE__);                                                  \
    } while (0)
#define RETURNS(fx, expected, name, a, b)                                                          \
    do {                                                                                           \
        wasm_slot returns_result_ = 0;                                                             \
        EXPECT_OK(call1(fx, name, a, b, &returns_result_));                                        \
        CHECK_EQ_U64(returns_result_, expected);                                                   \
    } while (0)

static void test_every_guest_trap_has_its_code(void) {
    guest_fixture fx;
    if (!guest_setup(&fx, "traps", NULL)) return;
    RETURNS(&fx, 42, "ok", 0, 0);

    TRAPS_WITH(&fx, ISORUN_TRAP_UNREACHABLE, "unreachable", 0, 0);

    /* Memory: one page, 65536 bytes. */
    RETURNS(&fx, 0, "load", slot_i32(65532), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "load", slot_i32(65533), 0); /* straddles the end */
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "load", slot_i32(65536), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "load", slot_i32(-1), 0);
    /* address + offset beyond 32 bits must not wrap around to a valid one */
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "load_offset", slot_i32(0x10), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "load_offset", slot_i32(0), 0);
    EXPECT_OK(call1(&fx, "store_i64", slot_i32(65528), slot_i64(0x1122334455667788LL), NULL));
    RETURNS(&fx, 0x11223344, "load", slot_i32(65532), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "store_i64", slot_i32(65529), slot_i64(1));
    RETURNS(&fx, 0x11223344, "load", slot_i32(65532), 0); /* the failed store wrote nothing */
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "fill", slot_i32(65000), slot_i32(1000));
    RETURNS(&fx, 0x11223344, "load", slot_i32(65532), 0); /* memory.fill is all or nothing */
    EXPECT_OK(call1(&fx, "fill", slot_i32(65536), slot_i32(0), NULL)); /* empty, at the end: fine */
    TRAPS_WITH(&fx, ISORUN_TRAP_MEMORY_OOB, "fill", slot_i32(65537), slot_i32(0));

    /* Integer arithmetic. */
    RETURNS(&fx, (uint32_t)-3, "div_s", slot_i32(7), slot_i32(-2));
    TRAPS_WITH(&fx, ISORUN_TRAP_DIV_BY_ZERO, "div_s", slot_i32(1), slot_i32(0));
    TRAPS_WITH(&fx, ISORUN_TRAP_DIV_BY_ZERO, "rem_u", slot_i32(5), slot_i32(0));
    TRAPS_WITH(&fx, ISORUN_TRAP_INT_OVERFLOW, "div_s", slot_i32(INT32_MIN), slot_i32(-1));
    TRAPS_WITH(&fx, ISORUN_TRAP_INT_OVERFLOW, "div_s64", slot_i64(INT64_MIN), slot_i64(-1));

    /* Float to integer conversion. */
    RETURNS(&fx, (uint32_t)-2, "trunc_f32", slot_f32(-2.75f), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_INVALID_CONVERSION, "trunc_f32", slot_f32(NAN), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_INT_OVERFLOW, "trunc_f32", slot_f32(3e9f), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_INT_OVERFLOW, "trunc_f32", slot_f32(-INFINITY), 0);
    RETURNS(&fx, 0, "trunc_f64_u", slot_f64(-0.75), 0); /* truncates to -0: representable */
    TRAPS_WITH(&fx, ISORUN_TRAP_INT_OVERFLOW, "trunc_f64_u", slot_f64(-1.0), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_INVALID_CONVERSION, "trunc_f64_u", slot_f64(-NAN), 0);

    /* Tables and indirect calls: slot 0 = () -> i32, slot 1 = (i32) -> i32,
     * slots 2 and 3 null, size 4. */
    RETURNS(&fx, 7, "call_slot", slot_i32(0), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_INDIRECT_TYPE_MISMATCH, "call_slot", slot_i32(1), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_UNINITIALIZED_ELEMENT, "call_slot", slot_i32(2), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_UNDEFINED_ELEMENT, "call_slot", slot_i32(4), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_UNDEFINED_ELEMENT, "call_slot", slot_i32(-1), 0);
    wasm_slot ref = 0;
    EXPECT_OK(call1(&fx, "table_get", slot_i32(0), 0, &ref));
    CHECK(ref != 0);
    RETURNS(&fx, 0, "table_get", slot_i32(3), 0); /* a null funcref */
    TRAPS_WITH(&fx, ISORUN_TRAP_TABLE_OOB, "table_get", slot_i32(4), 0);

    guest_teardown(&fx);
}

static void test_call_depth_limit(void) {
    wasm_store_config config = {.max_call_depth = 100};
    guest_fixture fx;
    if (!guest_setup(&fx, "traps", &config)) return;
    RETURNS(&fx, 50, "depth", slot_i32(50), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_STACK_EXHAUSTED, "depth", slot_i32(150), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_STACK_EXHAUSTED, "recurse_forever", 0, 0);
    RETURNS(&fx, 50, "depth", slot_i32(50), 0);
    guest_teardown(&fx);
}

/* With the default limits, unbounded recursion must still end in a trap, not
 * in the host's own stack overflowing (under ASan as well). */
static void test_unbounded_recursion_with_default_limits(void) {
    guest_fixture fx;
    if (!guest_setup(&fx, "traps", NULL)) return;
    RETURNS(&fx, 5000, "depth", slot_i32(5000), 0);
    TRAPS_WITH(&fx, ISORUN_TRAP_STACK_EXHAUSTED, "recurse_forever", 0, 0);
    guest_teardown(&fx);
}

/* A tiny value stack is exhausted before the frame limit: same trap. */
static void test_small_value_stack(void) {
    wasm_store_config config = {.stack_slots = 1024};
    guest_fixture fx;
    if (!guest_setup(&fx, "traps", &config)) return;
    TRAPS_WITH(&fx, ISORUN_TRAP_STACK_EXHAUSTED, "recurse_forever", 0, 0);
    RETURNS(&fx, 10, "depth", slot_i32(10), 0);
    guest_teardown(&fx);
}

static void test_start_function_trap_fails_instantiation(void) {
    wasm_module *module = LOAD_WAT_GUEST("start_trap");
    if (!module) return;
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    wasm_instance *instance = NULL;
    isorun_error *err = wasm_instantiate(store, module, NULL, 0, &instance);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_UNINSTANTIABLE);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_UNREACHABLE);
    isorun_error_free(err);
    wasm_store_free(store);
    wasm_module_free(module);
}

/* ---------------------------------------------------------------------------
 * Limits: memory, tables, fuel, interruption
 * ------------------------------------------------------------------------ */

static void test_memory_grow_respects_store_cap(void) {
    wasm_store_config config = {.max_memory_pages = 4};
    guest_fixture fx;
    if (!guest_setup(&fx, "limits", &config)) return;
    RETURNS(&fx, 1, "memory_size", 0, 0);
    RETURNS(&fx, 1, "memory_grow", slot_i32(3), 0);          /* old size */
    RETURNS(&fx, (uint32_t)-1, "memory_grow", slot_i32(1), 0); /* beyond the cap */
    RETURNS(&fx, (uint32_t)-1, "memory_grow", slot_i32(-1), 0);
    RETURNS(&fx, 4, "memory_grow", slot_i32(0), 0);
    RETURNS(&fx, 4, "memory_size", 0, 0);

    wasm_memory *memory = wasm_instance_memory(fx.instance);
    REQUIRE(memory != NULL);
    CHECK_EQ_INT(wasm_memory_pages(memory), 4);
    CHECK_EQ_U64(wasm_memory_size_bytes(memory), 4 * 65536);
    /* The host's own grow obeys the same cap. */
    CHECK_EQ_INT(wasm_memory_grow(fx.store, memory, 1), -1);
    CHECK_EQ_INT(wasm_memory_grow(fx.store, memory, 0), 4);
    /* Grown memory is zeroed and usable to its last byte. */
    uint8_t *data = wasm_memory_data(memory);
    REQUIRE(data != NULL);
    CHECK(data[4 * 65536 - 1] == 0);
    data[4 * 65536 - 1] = 0x5A;
    CHECK(wasm_memory_data(memory)[4 * 65536 - 1] == 0x5A);
    guest_teardown(&fx);
}

static void test_memory_above_store_cap_fails_instantiation(void) {
    /* (memory 5) in a store capped at 4 pages. */
    static const uint8_t five_pages[] = {WASM_HEADER, 0x05, 0x03, 0x01, 0x00, 0x05};
    wasm_module *module = NULL;
    EXPECT_OK(wasm_module_new(five_pages, sizeof five_pages, &module));
    REQUIRE(module != NULL);
    wasm_store_config config = {.max_memory_pages = 4};
    wasm_store *store = wasm_store_new(&config);
    REQUIRE(store != NULL);
    wasm_instance *instance = NULL;
    isorun_error *err = wasm_instantiate(store, module, NULL, 0, &instance);
    CHECK(err != NULL);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_LIMIT);
    if (err) CHECK(isorun_error_message(err)[0] != 0);
    isorun_error_free(err);
    wasm_store_free(store);
    wasm_module_free(module);
}

static void test_table_grow_respects_store_cap(void) {
    wasm_store_config config = {.max_table_elems = 8};
    guest_fixture fx;
    if (!guest_setup(&fx, "limits", &config)) return;
    RETURNS(&fx, 1, "table_size", 0, 0);
    RETURNS(&fx, 1, "table_grow", slot_i32(7), 0);
    RETURNS(&fx, (uint32_t)-1, "table_grow", slot_i32(1), 0);
    RETURNS(&fx, 8, "table_size", 0, 0);
    guest_teardown(&fx);
}

static void test_fuel_exhaustion_and_refill(void) {
    guest_fixture fx;
    if (!guest_setup(&fx, "limits", NULL)) return;

    wasm_store_set_fuel(fx.store, true, 1000);
    EXPECT_TRAP(call1(&fx, "spin", 0, 0, NULL), ISORUN_TRAP_OUT_OF_FUEL);
    CHECK(wasm_store_fuel(fx.store) < 1000);

    /* Not enough fuel for a bounded loop either. */
    wasm_store_set_fuel(fx.store, true, 100);
    EXPECT_TRAP(call1(&fx, "count", slot_i32(1000000), 0, NULL), ISORUN_TRAP_OUT_OF_FUEL);

    /* Refilled, the same store runs code again, and running costs fuel: at
     * least one unit per loop iteration. */
    wasm_store_set_fuel(fx.store, true, 1000000);
    RETURNS(&fx, 1000, "count", slot_i32(1000), 0);
    uint64_t left = wasm_store_fuel(fx.store);
    CHECK(left > 0 && left <= 1000000 - 1000);
    EXPECT_TRAP(call1(&fx, "spin", 0, 0, NULL), ISORUN_TRAP_OUT_OF_FUEL);

    /* Metering off: no limit. */
    wasm_store_set_fuel(fx.store, false, 0);
    RETURNS(&fx, 3000000, "count", slot_i32(3000000), 0);
    guest_teardown(&fx);
}

typedef struct interrupter {
    atomic_int *flag;
    atomic_int call_returned;
} interrupter;

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Sets the flag after 50 ms. If the guest has still not stopped 20 s later
 * the engine ignores the flag: fail loudly instead of hanging the suite. */
static void *interrupt_soon(void *arg) {
    interrupter *it = arg;
    sleep_ms(50);
    atomic_store(it->flag, 1);
    for (int waited = 0; waited < 20000; waited += 10) {
        if (atomic_load(&it->call_returned)) return NULL;
        sleep_ms(10);
    }
    fprintf(stderr, "test_interrupt: the guest ignored the interrupt flag for 20 s\n");
    fflush(stderr);
    _exit(1);
}

static void test_interrupt_from_another_thread(void) {
    atomic_int flag = 0;
    wasm_store_config config = {.interrupt = &flag};
    guest_fixture fx;
    if (!guest_setup(&fx, "limits", &config)) return;

    interrupter it = {.flag = &flag};
    pthread_t thread;
    REQUIRE(pthread_create(&thread, NULL, interrupt_soon, &it) == 0);
    isorun_error *err = call1(&fx, "spin", 0, 0, NULL);
    atomic_store(&it.call_returned, 1);
    pthread_join(thread, NULL);
    EXPECT_TRAP(err, ISORUN_TRAP_INTERRUPTED);
    CHECK_EQ_INT(atomic_load(&flag), 1); /* the store never clears the flag */

    /* While the flag stays set, loops and calls stop at once. */
    EXPECT_TRAP(call1(&fx, "count", slot_i32(1000), 0, NULL), ISORUN_TRAP_INTERRUPTED);

    /* Cleared by the embedder, the store runs again. */
    atomic_store(&flag, 0);
    RETURNS(&fx, 1000, "count", slot_i32(1000), 0);
    guest_teardown(&fx);
}

/* Recursion without loops is interruptible too: the flag is checked at calls. */
static void test_interrupt_stops_recursion(void) {
    atomic_int flag = 1;
    wasm_store_config config = {.interrupt = &flag};
    guest_fixture fx;
    if (!guest_setup(&fx, "traps", &config)) return;
    EXPECT_TRAP(call1(&fx, "depth", slot_i32(100), 0, NULL), ISORUN_TRAP_INTERRUPTED);
    atomic_store(&flag, 0);
    RETURNS(&fx, 100, "depth", slot_i32(100), 0);
    guest_teardown(&fx);
}

int main(void) {
    RUN(test_empty_module_loads);
    RUN(test_malformed_binaries_fail_with_offset);
    RUN(test_invalid_code_fails_with_offset);
    RUN(test_huge_section_counts_fail_cleanly);
    RUN(test_host_functions_get_arguments_and_return_results);
    RUN(test_host_function_called_directly);
    RUN(test_host_function_errors_trap_the_guest);
    RUN(test_host_function_reenters_the_guest);
    RUN(test_import_of_wrong_type_is_unlinkable);
    RUN(test_every_guest_trap_has_its_code);
    RUN(test_call_depth_limit);
    RUN(test_unbounded_recursion_with_default_limits);
    RUN(test_small_value_stack);
    RUN(test_start_function_trap_fails_instantiation);
    RUN(test_memory_grow_respects_store_cap);
    RUN(test_memory_above_store_cap_fails_instantiation);
    RUN(test_table_grow_respects_store_cap);
    RUN(test_fuel_exhaustion_and_refill);
    RUN(test_interrupt_from_another_thread);
    RUN(test_interrupt_stops_recursion);
    RUN(test_trap_names_escaped);
    return engine_test_summary();
}
