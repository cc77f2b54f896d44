/*
 * test_native.c — the native tier (src/wasm/aot_*.c) against the
 * interpreter. Each guest module is loaded twice: once interpreted, once
 * compiled to native code (wasm_module_compile_native); then the same calls
 * run on both and must give the same results, traps, memory, globals and
 * remaining fuel. The limits (call depth, native stack, interrupts), traps
 * that unwind through host functions, calls between a native and an
 * interpreted instance, and the build's error paths and cache are checked on
 * their own.
 *
 * Compile definitions (tests/engine/CMakeLists.txt):
 *   ISORUN_NATIVE_CACHE_DIR  the build tree's shared cache of native objects
 *   ISORUN_NATIVE_TEST_DIR   scratch space for caches made by this test
 *   ISORUN_COUNTING_CC       a cc wrapper that counts its runs in the file
 *                            named by $ISORUN_TEST_CC_COUNTER
 */
#define _GNU_SOURCE
#include "../unit/check.h"
#include "../unit/engine_helpers.h"
#include "../../src/wasm/internal.h" /* wasm_module.compiled */

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if !defined(ISORUN_NATIVE_CACHE_DIR) || !defined(ISORUN_NATIVE_TEST_DIR) || !defined(ISORUN_COUNTING_CC)
#error "tests/engine/CMakeLists.txt defines ISORUN_NATIVE_CACHE_DIR, ISORUN_NATIVE_TEST_DIR and ISORUN_COUNTING_CC"
#endif

enum { INTERP = 0, NATIVE = 1 };
static const char *const tier_names[] = {"interpreted", "native"};

/* The guests, each loaded once per tier for the whole run. */
static wasm_module *ops[2], *libs[2], *apps[2];

/* ------------------------------------------------------------------------
 * The host import native_ops.wat calls: what it does is set per test
 * ------------------------------------------------------------------------ */

typedef enum host_mode {
    HOST_TRIPLE,       /* returns 3x */
    HOST_CALL_INNER,   /* calls the caller's `inner` with x and returns what it returns (or its error) */
    HOST_SWALLOW,      /* calls `inner`, drops a trap it gets, returns 5 */
    HOST_RECURSE,      /* calls the caller's `via_host` with x - 1 (x > 0), or `inner`(0) which traps */
    HOST_IO_ERROR,     /* fails with a non-trap error */
    HOST_DEADLINE,     /* fails with a trap of its own choosing */
    HOST_EXIT,         /* asks to exit with status 3 */
} host_mode;

static struct {
    host_mode mode;
    int calls;
    isorun_trap_code swallowed; /* the trap HOST_SWALLOW dropped */
    uint64_t fuel_seen[64];     /* wasm_store_fuel at each call */
    int nfuel_seen;
    const wasm_instance *caller;
} host;

static void host_reset(host_mode mode) {
    memset(&host, 0, sizeof host);
    host.mode = mode;
}

static isorun_error *call_caller_export(wasm_call_ctx *ctx, const char *name, uint32_t x, wasm_slot *result) {
    wasm_extern ext;
    if (!ctx->caller || !wasm_instance_export(ctx->caller, name, &ext) || ext.kind != WASM_EXTERN_FUNC)
        return isorun_error_new(ISORUN_ERR_ARGUMENT, "the host was not called from native_ops");
    wasm_slot arg = x;
    return wasm_call(ctx->store, ext.u.func, &arg, result);
}

static isorun_error *host_callback(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)env;
    uint32_t x = (uint32_t)slots[0];
    host.calls++;
    host.caller = ctx->caller;
    if (host.nfuel_seen < (int)(sizeof host.fuel_seen / sizeof host.fuel_seen[0]))
        host.fuel_seen[host.nfuel_seen++] = wasm_store_fuel(ctx->store);
    wasm_slot result = 0;
    isorun_error *err;
    switch (host.mode) {
    case HOST_TRIPLE: slots[0] = x * 3u; return NULL;
    case HOST_CALL_INNER:
        err = call_caller_export(ctx, "inner", x, &result);
        slots[0] = result;
        return err;
    case HOST_SWALLOW:
        err = call_caller_export(ctx, "inner", x, &result);
        if (err) host.swallowed = isorun_error_trap(err);
        isorun_error_free(err);
        slots[0] = err ? 5 : result;
        return NULL;
    case HOST_RECURSE:
        err = call_caller_export(ctx, x ? "via_host" : "inner", x ? x - 1 : 0, &result);
        slots[0] = result;
        return err;
    case HOST_IO_ERROR: return isorun_error_new(ISORUN_ERR_IO, "the disk is on fire");
    case HOST_DEADLINE: return isorun_error_new_trap(ISORUN_TRAP_DEADLINE, "the host gave up");
    case HOST_EXIT: return isorun_error_new_exit(3);
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Instances and calls
 * ------------------------------------------------------------------------ */

/* An instance of native_ops in a store of its own. */
typedef struct ops_instance {
    wasm_store *store;
    wasm_instance *inst;
} ops_instance;

static ops_instance ops_new(int tier, const wasm_store_config *cfg) {
    ops_instance o = {wasm_store_new(cfg), NULL};
    REQUIRE(o.store);
    uint8_t types[] = {WASM_I32, WASM_I32};
    wasm_functype ft = {1, 1, types};
    wasm_extern import = {.kind = WASM_EXTERN_FUNC};
    import.u.func = wasm_func_new_host(o.store, &ft, host_callback, NULL, NULL);
    REQUIRE(import.u.func);
    o.inst = INSTANTIATE(o.store, ops[tier], &import, 1);
    return o;
}

/* One call's outcome, comparable across tiers. */
typedef struct outcome {
    isorun_error_code code; /* ISORUN_ERR_OK when it returned */
    isorun_trap_code trap;
    int exit_code;
    uint32_t nresults;
    wasm_slot results[4];
    uint64_t fuel_left;
} outcome;

static outcome call_export(wasm_store *store, const wasm_instance *inst, const char *name, const wasm_slot *args) {
    wasm_extern ext;
    outcome o = {0};
    if (!wasm_instance_export(inst, name, &ext) || ext.kind != WASM_EXTERN_FUNC) {
        fprintf(stderr, "    no exported function %s\n", name);
        o.code = ISORUN_ERR_ARGUMENT;
        return o;
    }
    o.nresults = wasm_func_type(ext.u.func)->nresults;
    wasm_slot results[4] = {0};
    isorun_error *err = wasm_call(store, ext.u.func, args, results);
    if (err) {
        o.code = isorun_error_code_of(err);
        o.trap = isorun_error_trap(err);
        o.exit_code = o.code == ISORUN_ERR_EXIT ? isorun_error_exit_code(err) : 0;
        o.nresults = 0;
        isorun_error_free(err);
    } else {
        for (uint32_t i = 0; i < o.nresults && i < 4; i++) o.results[i] = results[i];
    }
    o.fuel_left = wasm_store_fuel(store);
    return o;
}

static void describe(const outcome *o, char *buf, size_t n) {
    if (o->code != ISORUN_ERR_OK) {
        snprintf(buf, n, "%s/%s", isorun_error_code_name(o->code), isorun_trap_message(o->trap));
        return;
    }
    int used = snprintf(buf, n, "(");
    for (uint32_t i = 0; i < o->nresults && used > 0 && (size_t)used < n; i++)
        used += snprintf(buf + used, n - (size_t)used, "%s0x%" PRIx64, i ? " " : "", o->results[i]);
    if (used > 0 && (size_t)used < n) snprintf(buf + used, n - (size_t)used, ")");
}

static bool same_outcome(const outcome *a, const outcome *b, bool compare_fuel) {
    if (a->code != b->code || a->trap != b->trap || a->exit_code != b->exit_code || a->nresults != b->nresults)
        return false;
    for (uint32_t i = 0; i < a->nresults && i < 4; i++)
        if (a->results[i] != b->results[i]) return false;
    return !compare_fuel || a->fuel_left == b->fuel_left;
}

/* Records whether both tiers' outcomes agree, printing both when not. */
static bool check_same_at(const outcome *interp, const outcome *native, bool compare_fuel, const char *what,
                          int line) {
    bool ok = same_outcome(interp, native, compare_fuel);
    check_record(ok, __FILE__, line, "native and interpreted outcomes agree");
    if (!ok) {
        char a[160], b[160];
        describe(interp, a, sizeof a);
        describe(native, b, sizeof b);
        fprintf(stderr, "    %s: interpreted %s fuel %" PRIu64 ", native %s fuel %" PRIu64 "\n", what, a,
                interp->fuel_left, b, native->fuel_left);
    }
    return ok;
}
#define CHECK_SAME(interp, native, compare_fuel, what) check_same_at(interp, native, compare_fuel, what, __LINE__)

static void check_returned_at(const outcome *o, wasm_slot expected, int line) {
    bool ok = o->code == ISORUN_ERR_OK && o->nresults >= 1 && o->results[0] == expected;
    check_record(ok, __FILE__, line, "returns the expected value");
    if (!ok) {
        char d[160];
        describe(o, d, sizeof d);
        fprintf(stderr, "    got %s, expected 0x%" PRIx64 "\n", d, expected);
    }
}
#define CHECK_RETURNED(o, expected) check_returned_at(o, expected, __LINE__)

static void check_trapped_at(const outcome *o, isorun_trap_code trap, int line) {
    bool ok = o->code == ISORUN_ERR_TRAP && o->trap == trap;
    check_record(ok, __FILE__, line, "traps with the expected code");
    if (!ok) {
        char d[160];
        describe(o, d, sizeof d);
        fprintf(stderr, "    got %s, expected trap %s\n", d, isorun_trap_message(trap));
    }
}
#define CHECK_TRAPPED(o, trap) check_trapped_at(o, trap, __LINE__)

/* Args as slots: i32s in the low bits, floats as bit patterns. */
#define AF64(x) slot_f64(x)
#define AF32(x) slot_f32(x)
#define AI32(x) ((wasm_slot)(uint32_t)(int32_t)(x))

/* ------------------------------------------------------------------------
 * Same results in both tiers
 * ------------------------------------------------------------------------ */

typedef struct call_case {
    const char *name;
    wasm_slot args[3];
} call_case;

static void test_same_results(void) {
    /* Run in order on one instance per tier: the stateful ones (memory,
     * table, globals, dropped segments) depend on what ran before. */
    const call_case sequence[] = {
        {"arith32", {AI32(0x12345678), AI32(0xdeadbeef)}},
        {"arith32", {0, 0}},
        {"arith32", {AI32(-1), 1}},
        {"arith32", {AI32(INT32_MIN), AI32(31)}},
        {"arith64", {0x0123456789abcdefull, 0xfedcba9876543210ull}},
        {"arith64", {UINT64_MAX, UINT64_MAX}},
        {"arith64", {(uint64_t)INT64_MIN, 0}},
        {"float64", {AF64(3.0), AF64(4.0)}},
        {"float64", {AF64(-2.5), AF64(0.0)}},
        {"float64", {AF64(1e308), AF64(-1e308)}},
        {"float64", {AF64(INFINITY), AF64(-INFINITY)}},
        {"float32", {AF32(1.5f), AF32(-2.25f)}},
        {"float32", {AF32(3.4e38f), AF32(3.4e38f)}},
        {"float32", {AF32(-0.0f), AF32(0.0f)}},
        {"convert", {AF64(3.7)}},
        {"convert", {AF64(-0.5)}},
        {"convert", {AF64(5e9)}},
        {"convert", {AF64(-1e300)}},
        {"convert", {AF64(NAN)}},
        {"div_s", {AI32(7), AI32(-2)}},
        {"div_s", {AI32(7), 0}},
        {"div_s", {AI32(INT32_MIN), AI32(-1)}},
        {"trunc", {AF64(-123.9)}},
        {"trunc", {AF64(NAN)}},
        {"trunc", {AF64(3e10)}},
        {"mem_sum", {100}},
        {"mem_sum", {300}},
        {"load", {65532}},
        {"load", {65533}},
        {"load", {AI32(-1)}},
        {"store", {65536, 1}},
        {"grow", {1}},
        {"store", {65536, 0x11223344}},
        {"load", {65536}},
        {"grow", {5}},
        {"grow", {0}},
        {"fib_iter", {0}},
        {"fib_iter", {50}},
        {"fib_iter", {90}},
        {"collatz", {27}},
        {"collatz", {837799}},
        {"collatz", {1}},
        {"fib_rec", {20}},
        {"switch", {0}},
        {"switch", {1}},
        {"switch", {2}},
        {"switch", {3}},
        {"switch", {4}},
        {"switch", {AI32(-1)}},
        {"indirect", {0, 9}},
        {"indirect", {1, 9}},
        {"indirect", {2, 9}},
        {"indirect", {3, 9}},
        {"indirect", {7, 9}},
        {"indirect", {8, 9}},
        {"indirect", {AI32(-1), 9}},
        {"indirect_v", {3}},
        {"indirect_v", {0}},
        {"divmod", {17, 5}},
        {"divmod", {1, 0}},
        {"rotate3", {0x8000000000000001ull, AI32(-7), AF64(2.5)}},
        {"mv_block", {23}},
        {"bump", {3}},
        {"bump", {60}},
        {"bump", {AI32(-1)}},
        {"bulk", {0}},
        {"bulk", {0}},
        {"fill", {131071, 1}},
        {"fill", {131071, 2}},
        {"fill", {131072, 0}},
        {"tables", {0}},
        {"tables", {0}},
        {"table_size", {0}},
        {"table_get", {4}},
        {"table_get", {0}},
        {"table_get", {100}},
        {"indirect_v", {10}},
        {"ok", {0}},
    };
    REQUIRE(!wasm_module_is_native(ops[INTERP]) && wasm_module_is_native(ops[NATIVE]));
    host_reset(HOST_TRIPLE);
    ops_instance t[2] = {ops_new(INTERP, NULL), ops_new(NATIVE, NULL)};
    for (size_t i = 0; i < sizeof sequence / sizeof sequence[0]; i++) {
        outcome o[2];
        for (int k = 0; k < 2; k++) o[k] = call_export(t[k].store, t[k].inst, sequence[i].name, sequence[i].args);
        char what[64];
        snprintf(what, sizeof what, "call %zu (%s)", i, sequence[i].name);
        CHECK_SAME(&o[INTERP], &o[NATIVE], false, what);
    }
    /* What the calls left behind: memory, globals. */
    wasm_memory *mem[2] = {wasm_instance_memory(t[0].inst), wasm_instance_memory(t[1].inst)};
    REQUIRE(mem[0] && mem[1]);
    CHECK_EQ_U64(wasm_memory_size_bytes(mem[NATIVE]), wasm_memory_size_bytes(mem[INTERP]));
    CHECK(wasm_memory_size_bytes(mem[0]) == wasm_memory_size_bytes(mem[1]) &&
          memcmp(wasm_memory_data(mem[0]), wasm_memory_data(mem[1]), wasm_memory_size_bytes(mem[0])) == 0);
    wasm_extern g[2];
    REQUIRE(wasm_instance_export(t[0].inst, "counter", &g[0]) && wasm_instance_export(t[1].inst, "counter", &g[1]));
    CHECK_EQ_U64(wasm_global_get(g[NATIVE].u.global), wasm_global_get(g[INTERP].u.global));
    CHECK_EQ_U64(wasm_global_get(g[NATIVE].u.global), 62); /* 3 + 60 - 1 */
    wasm_store_free(t[0].store);
    wasm_store_free(t[1].store);
}

/* The values themselves, natively: agreeing with a wrong interpreter is not
 * enough. */
static void test_native_values(void) {
    host_reset(HOST_TRIPLE);
    ops_instance n = ops_new(NATIVE, NULL);
    outcome o;
#define EXPECT_CALL(name, expected, ...)                                                                             \
    do {                                                                                                             \
        o = call_export(n.store, n.inst, name, (const wasm_slot[]){__VA_ARGS__});                                    \
        CHECK_RETURNED(&o, expected);                                                                                \
    } while (0)
#define EXPECT_CALL_TRAP(name, trap, ...)                                                                            \
    do {                                                                                                             \
        o = call_export(n.store, n.inst, name, (const wasm_slot[]){__VA_ARGS__});                                    \
        CHECK_TRAPPED(&o, trap);                                                                                     \
    } while (0)
    EXPECT_CALL("fib_iter", 12586269025ull, 50);
    EXPECT_CALL("fib_rec", 6765, 20);
    EXPECT_CALL("collatz", 111, 27);
    EXPECT_CALL("collatz", 524, 837799);
    EXPECT_CALL("switch", 10, 0);
    EXPECT_CALL("switch", 30, 2);
    EXPECT_CALL("switch", 40, 3);
    EXPECT_CALL("switch", 50, 4);
    EXPECT_CALL("indirect", 81, 0, 9);
    EXPECT_CALL("indirect", AI32(-9), 2, 9);
    EXPECT_CALL("indirect_v", 7, 3);
    EXPECT_CALL_TRAP("indirect", ISORUN_TRAP_INDIRECT_TYPE_MISMATCH, 3, 9);
    EXPECT_CALL_TRAP("indirect", ISORUN_TRAP_UNINITIALIZED_ELEMENT, 7, 9);
    EXPECT_CALL_TRAP("indirect", ISORUN_TRAP_UNDEFINED_ELEMENT, 8, 9);
    EXPECT_CALL("mv_block", 203, 23); /* 23 / 7 + 100 * (23 % 7) */
    EXPECT_CALL("div_s", AI32(-3), AI32(7), AI32(-2));
    EXPECT_CALL_TRAP("div_s", ISORUN_TRAP_DIV_BY_ZERO, 7, 0);
    EXPECT_CALL_TRAP("div_s", ISORUN_TRAP_INT_OVERFLOW, AI32(INT32_MIN), AI32(-1));
    EXPECT_CALL_TRAP("trunc", ISORUN_TRAP_INVALID_CONVERSION, AF64(NAN));
    EXPECT_CALL_TRAP("load", ISORUN_TRAP_MEMORY_OOB, 65533);
    EXPECT_CALL("grow", 1002, 1);
    EXPECT_CALL("load", 0, 131068);
    EXPECT_CALL("tables", 18104); /* 8 * 1000 + 12 + 10000 (slot 4 null) + 81 + 4 + 7 */
    EXPECT_CALL_TRAP("tables", ISORUN_TRAP_TABLE_OOB); /* the passive segment was dropped */
    EXPECT_CALL("table_size", 16);
    EXPECT_CALL("via_host", 31, 10); /* the host triples */
    o = call_export(n.store, n.inst, "divmod", (const wasm_slot[]){17, 5});
    CHECK(o.code == ISORUN_ERR_OK && o.nresults == 2 && o.results[0] == 3 && o.results[1] == 2);
    o = call_export(n.store, n.inst, "rotate3", (const wasm_slot[]){5, 6, AF64(2.5)});
    CHECK(o.code == ISORUN_ERR_OK && o.nresults == 3 && o.results[0] == AF64(2.5) && o.results[1] == 5 &&
          o.results[2] == 6);
    o = call_export(n.store, n.inst, "bulk", NULL);
    CHECK(o.code == ISORUN_ERR_OK);
    /* The greeting at 100, its first 12 bytes copied over itself at 104,
     * and six 'Z' filled at 130. */
    const uint8_t *bytes = wasm_memory_data(wasm_instance_memory(n.inst));
    CHECK(memcmp(bytes + 100, "hellhello, nativrld!", 20) == 0);
    CHECK(memcmp(bytes + 130, "ZZZZZZ", 6) == 0 && bytes[136] == 0);
    EXPECT_CALL_TRAP("bulk", ISORUN_TRAP_MEMORY_OOB); /* the data segment was dropped */
#undef EXPECT_CALL
#undef EXPECT_CALL_TRAP
    wasm_store_free(n.store);
}

/* ------------------------------------------------------------------------
 * Fuel
 * ------------------------------------------------------------------------ */

/* Runs name(arg) with every fuel budget from 0 up to what it needs and a
 * little more, in both tiers: each budget must trap OUT_OF_FUEL in both or
 * finish in both with the same result and the same fuel left (so each tier
 * charges the same costs at the same points), and the host must see the same
 * fuel at each of its calls. */
static void fuel_sweep(const char *name, uint32_t arg, host_mode mode) {
    host_reset(mode);
    ops_instance t[2] = {ops_new(INTERP, NULL), ops_new(NATIVE, NULL)};
    const wasm_slot args[1] = {arg};
    /* What the whole call costs, interpreted. */
    const uint64_t plenty = 1000000000;
    wasm_store_set_fuel(t[INTERP].store, true, plenty);
    outcome full = call_export(t[INTERP].store, t[INTERP].inst, name, args);
    REQUIRE(full.code == ISORUN_ERR_OK);
    const uint64_t need = plenty - full.fuel_left;
    REQUIRE(need > 50 && need < 200000);
    int mismatches = 0, traps = 0, finishes = 0;
    for (uint64_t budget = 0; budget <= need + 3 && mismatches < 5; budget++) {
        outcome o[2];
        uint64_t seen[2][64];
        int nseen[2];
        for (int k = 0; k < 2; k++) {
            host_reset(mode);
            wasm_store_set_fuel(t[k].store, true, budget);
            o[k] = call_export(t[k].store, t[k].inst, name, args);
            nseen[k] = host.nfuel_seen;
            memcpy(seen[k], host.fuel_seen, sizeof seen[k]);
        }
        char what[96];
        snprintf(what, sizeof what, "%s(%u) with fuel %" PRIu64 " of %" PRIu64, name, arg, budget, need);
        if (!CHECK_SAME(&o[INTERP], &o[NATIVE], true, what)) mismatches++;
        bool host_same = nseen[0] == nseen[1] && memcmp(seen[0], seen[1], (size_t)nseen[0] * sizeof seen[0][0]) == 0;
        CHECK(host_same);
        if (!host_same) {
            fprintf(stderr, "    %s: the host saw different fuel (%d and %d calls)\n", what, nseen[0], nseen[1]);
            mismatches++;
        }
        if (o[NATIVE].code == ISORUN_ERR_TRAP && o[NATIVE].trap == ISORUN_TRAP_OUT_OF_FUEL) {
            traps++;
            CHECK_EQ_U64(o[NATIVE].fuel_left, 0);
        } else if (o[NATIVE].code == ISORUN_ERR_OK) {
            finishes++;
        }
    }
    /* The boundary: exactly `need` finishes with nothing left, one less traps. */
    for (int k = 0; k < 2; k++) {
        host_reset(mode);
        wasm_store_set_fuel(t[k].store, true, need);
        outcome o = call_export(t[k].store, t[k].inst, name, args);
        CHECK_RETURNED(&o, full.results[0]);
        CHECK_EQ_U64(o.fuel_left, 0);
        host_reset(mode);
        wasm_store_set_fuel(t[k].store, true, need - 1);
        o = call_export(t[k].store, t[k].inst, name, args);
        CHECK_TRAPPED(&o, ISORUN_TRAP_OUT_OF_FUEL);
    }
    CHECK(traps > 0 && finishes == 4);
    /* Fuel off again: the native tier runs unmetered. */
    wasm_store_set_fuel(t[NATIVE].store, false, 0);
    host_reset(mode);
    outcome o = call_export(t[NATIVE].store, t[NATIVE].inst, name, args);
    CHECK_RETURNED(&o, full.results[0]);
    wasm_store_free(t[0].store);
    wasm_store_free(t[1].store);
}

static void test_fuel_same_costs(void) {
    fuel_sweep("workload", 12, HOST_TRIPLE);
    fuel_sweep("fib_rec", 9, HOST_TRIPLE);
    fuel_sweep("mem_sum", 40, HOST_TRIPLE);
    /* Native code -> host -> native code (re-entered) -> back. */
    fuel_sweep("via_host", 20, HOST_CALL_INNER);
}

/* ------------------------------------------------------------------------
 * Call depth and the native stack
 * ------------------------------------------------------------------------ */

/* The largest n for which depth(n) returns, searched up to limit. */
static uint32_t deepest(ops_instance *t, uint32_t limit) {
    uint32_t ok = 0;
    for (uint32_t n = 0; n <= limit; n++) {
        outcome o = call_export(t->store, t->inst, "depth", (const wasm_slot[]){n});
        if (o.code != ISORUN_ERR_OK) {
            CHECK_TRAPPED(&o, ISORUN_TRAP_STACK_EXHAUSTED);
            break;
        }
        ok = n;
    }
    return ok;
}

static void test_recursion(void) {
    host_reset(HOST_TRIPLE);
    /* The default depth. */
    ops_instance n = ops_new(NATIVE, NULL);
    outcome o = call_export(n.store, n.inst, "recurse_forever", (const wasm_slot[]){0});
    CHECK_TRAPPED(&o, ISORUN_TRAP_STACK_EXHAUSTED);
    o = call_export(n.store, n.inst, "ok", NULL);
    CHECK_RETURNED(&o, 42);
    o = call_export(n.store, n.inst, "depth", (const wasm_slot[]){5000});
    CHECK_RETURNED(&o, 5000);
    o = call_export(n.store, n.inst, "recurse_forever", (const wasm_slot[]){0});
    CHECK_TRAPPED(&o, ISORUN_TRAP_STACK_EXHAUSTED);
    wasm_store_free(n.store);

    /* A small max_call_depth: the same deepest recursion in both tiers, also
     * after traps and after host frames in between. */
    wasm_store_config cfg = {.max_call_depth = 40};
    ops_instance t[2] = {ops_new(INTERP, &cfg), ops_new(NATIVE, &cfg)};
    uint32_t limit[2];
    for (int k = 0; k < 2; k++) limit[k] = deepest(&t[k], 100);
    CHECK(limit[INTERP] > 30 && limit[INTERP] < 40);
    CHECK_EQ_INT(limit[NATIVE], limit[INTERP]);
    for (int k = 0; k < 2; k++) {
        o = call_export(t[k].store, t[k].inst, "recurse_forever", (const wasm_slot[]){0});
        CHECK_TRAPPED(&o, ISORUN_TRAP_STACK_EXHAUSTED);
    }
    /* via_host(x) -> host -> via_host(x - 1) ... -> inner(0) traps: the
     * same depth and outcome for each x, and the limit is intact after. */
    host_reset(HOST_RECURSE);
    for (uint32_t x = 0; x <= 45; x++) {
        outcome r[2];
        for (int k = 0; k < 2; k++) r[k] = call_export(t[k].store, t[k].inst, "via_host", (const wasm_slot[]){x});
        char what[48];
        snprintf(what, sizeof what, "nested via_host(%u)", x);
        CHECK_SAME(&r[INTERP], &r[NATIVE], false, what);
        CHECK(r[NATIVE].code == ISORUN_ERR_TRAP);
    }
    host_reset(HOST_TRIPLE);
    CHECK_EQ_INT(deepest(&t[NATIVE], 100), limit[INTERP]);
    wasm_store_free(t[0].store);
    wasm_store_free(t[1].store);
}

/* With a call-depth limit far beyond what the machine's stack holds, only
 * the native tier's stack check stands between the guest and a crash. */
typedef struct stack_run {
    outcome endless, after;
} stack_run;

static void run_stack_probe(stack_run *r) {
    /* 2 million frames of at least 16 bytes each are far more than any
     * thread's stack here (8 MiB at most); the store's frame array for them
     * (64 MiB) is only address space until the interpreter uses it. */
    wasm_store_config cfg = {.max_call_depth = 2000000};
    wasm_store *store = wasm_store_new(&cfg);
    uint8_t types[] = {WASM_I32, WASM_I32};
    wasm_functype ft = {1, 1, types};
    wasm_extern import = {.kind = WASM_EXTERN_FUNC};
    import.u.func = wasm_func_new_host(store, &ft, host_callback, NULL, NULL);
    wasm_instance *inst = NULL;
    isorun_error *err = wasm_instantiate(store, ops[NATIVE], &import, 1, &inst);
    if (err) {
        r->endless.code = isorun_error_code_of(err);
        isorun_error_free(err);
        wasm_store_free(store);
        return;
    }
    r->endless = call_export(store, inst, "recurse_forever", (const wasm_slot[]){0});
    r->after = call_export(store, inst, "depth", (const wasm_slot[]){1000});
    wasm_store_free(store);
}

static void *stack_probe_thread(void *arg) {
    run_stack_probe(arg);
    return NULL;
}

static void test_native_stack_limit(void) {
    host_reset(HOST_TRIPLE);
    stack_run main_run = {0};
    run_stack_probe(&main_run);
    CHECK_TRAPPED(&main_run.endless, ISORUN_TRAP_STACK_EXHAUSTED);
    CHECK_RETURNED(&main_run.after, 1000);
    /* A thread with a small stack (1 MiB): the limit follows the thread. */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1u << 20);
    pthread_t thread;
    stack_run thread_run = {0};
    REQUIRE(pthread_create(&thread, &attr, stack_probe_thread, &thread_run) == 0);
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attr);
    CHECK_TRAPPED(&thread_run.endless, ISORUN_TRAP_STACK_EXHAUSTED);
    CHECK_RETURNED(&thread_run.after, 1000);
    /* Threads smaller than the room kept for host functions (256 KiB) keep
     * half of theirs; deeper recursion still traps instead of overflowing. */
    for (size_t kib = 128; kib <= 256; kib += 128) {
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, kib * 1024u);
        stack_run small_run = {0};
        REQUIRE(pthread_create(&thread, &attr, stack_probe_thread, &small_run) == 0);
        pthread_join(thread, NULL);
        pthread_attr_destroy(&attr);
        CHECK_TRAPPED(&small_run.endless, ISORUN_TRAP_STACK_EXHAUSTED);
    }
}

/* ------------------------------------------------------------------------
 * Interruption from another thread
 * ------------------------------------------------------------------------ */

typedef struct raiser {
    atomic_int *flag;
    int value;
} raiser;

/* Raises the flag once the guest has had a moment to start spinning (if it
 * has not, the first check after the call starts sees it just the same). */
static void *raise_later(void *arg) {
    raiser *r = arg;
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    atomic_store(r->flag, r->value);
    return NULL;
}

static outcome spin_until_raised(ops_instance *t, atomic_int *flag, const char *name, int value) {
    atomic_store(flag, 0);
    raiser r = {flag, value};
    pthread_t thread;
    outcome o = {.code = ISORUN_ERR_ARGUMENT};
    if (pthread_create(&thread, NULL, raise_later, &r) != 0) return o;
    o = call_export(t->store, t->inst, name, NULL);
    pthread_join(thread, NULL);
    atomic_store(flag, 0);
    return o;
}

static void test_interrupt(void) {
    host_reset(HOST_TRIPLE);
    atomic_int flag = 0;
    wasm_store_config cfg = {.interrupt = &flag};
    ops_instance n = ops_new(NATIVE, &cfg);
    outcome o = spin_until_raised(&n, &flag, "spin", WASM_INTERRUPT_STOP);
    CHECK_TRAPPED(&o, ISORUN_TRAP_INTERRUPTED);
    o = call_export(n.store, n.inst, "ok", NULL);
    CHECK_RETURNED(&o, 42);
    o = spin_until_raised(&n, &flag, "spin_calls", WASM_INTERRUPT_DEADLINE);
    CHECK_TRAPPED(&o, ISORUN_TRAP_DEADLINE);
    /* With fuel metered (and plenty of it) the flag still wins. */
    wasm_store_set_fuel(n.store, true, UINT64_MAX / 4);
    o = spin_until_raised(&n, &flag, "spin", WASM_INTERRUPT_STOP);
    CHECK_TRAPPED(&o, ISORUN_TRAP_INTERRUPTED);
    wasm_store_set_fuel(n.store, false, 0);
    /* Raised before the call: stopped at the first check. */
    atomic_store(&flag, WASM_INTERRUPT_STOP);
    o = call_export(n.store, n.inst, "spin_calls", NULL);
    CHECK_TRAPPED(&o, ISORUN_TRAP_INTERRUPTED);
    atomic_store(&flag, 0);
    o = call_export(n.store, n.inst, "fib_rec", (const wasm_slot[]){15});
    CHECK_RETURNED(&o, 610);
    wasm_store_free(n.store);
}

/* ------------------------------------------------------------------------
 * Traps and errors through host functions
 * ------------------------------------------------------------------------ */

static void test_host_unwinding(void) {
    ops_instance t[2] = {ops_new(INTERP, NULL), ops_new(NATIVE, NULL)};
    typedef struct host_case {
        host_mode mode;
        const char *name;
        uint32_t arg;
    } host_case;
    static const host_case cases[] = {
        {HOST_CALL_INNER, "via_host", 4},           /* inner(4) + 1 = 9 */
        {HOST_CALL_INNER, "via_host", 0},           /* unreachable in inner */
        {HOST_CALL_INNER, "via_host", 1},           /* divide by zero in inner */
        {HOST_SWALLOW, "via_host", 0},              /* the host drops inner's trap: 6 */
        {HOST_SWALLOW, "via_host_then_trap", 1},    /* then the outer function traps itself */
        {HOST_SWALLOW, "via_host", 7},
        {HOST_IO_ERROR, "via_host", 2},
        {HOST_DEADLINE, "via_host", 2},
        {HOST_EXIT, "via_host", 2},
        {HOST_RECURSE, "via_host", 6},
        {HOST_CALL_INNER, "via_host", 3},
    };
    outcome got[2][sizeof cases / sizeof cases[0]];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int k = 0; k < 2; k++) {
            host_reset(cases[i].mode);
            got[k][i] = call_export(t[k].store, t[k].inst, cases[i].name, (const wasm_slot[]){cases[i].arg});
            CHECK(host.caller == t[k].inst);
            if (cases[i].mode == HOST_SWALLOW && cases[i].arg < 2)
                CHECK_EQ_INT(host.swallowed, cases[i].arg == 0 ? ISORUN_TRAP_UNREACHABLE : ISORUN_TRAP_DIV_BY_ZERO);
        }
        char what[64];
        snprintf(what, sizeof what, "case %zu: %s(%u)", i, cases[i].name, cases[i].arg);
        CHECK_SAME(&got[INTERP][i], &got[NATIVE][i], false, what);
    }
    const outcome *n = got[NATIVE];
    CHECK_RETURNED(&n[0], 9);
    CHECK_TRAPPED(&n[1], ISORUN_TRAP_UNREACHABLE);
    CHECK_TRAPPED(&n[2], ISORUN_TRAP_DIV_BY_ZERO);
    CHECK_RETURNED(&n[3], 6);
    CHECK_TRAPPED(&n[4], ISORUN_TRAP_UNREACHABLE);
    CHECK_RETURNED(&n[5], 15); /* inner(7) + 1 */
    CHECK_TRAPPED(&n[6], ISORUN_TRAP_HOST);
    CHECK_TRAPPED(&n[7], ISORUN_TRAP_DEADLINE);
    CHECK(n[8].code == ISORUN_ERR_EXIT && n[8].exit_code == 3);
    CHECK_TRAPPED(&n[9], ISORUN_TRAP_UNREACHABLE);
    CHECK_RETURNED(&n[10], 7);

    /* A host error keeps its message inside the HOST trap. */
    host_reset(HOST_IO_ERROR);
    wasm_extern ext;
    REQUIRE(wasm_instance_export(t[NATIVE].inst, "via_host", &ext));
    wasm_slot arg = 2, result = 0;
    isorun_error *err = wasm_call(t[NATIVE].store, ext.u.func, &arg, &result);
    CHECK_STR_CONTAINS(err ? isorun_error_message(err) : NULL, "the disk is on fire");
    EXPECT_TRAP(err, ISORUN_TRAP_HOST);
    host_reset(HOST_TRIPLE);
    outcome o = call_export(t[NATIVE].store, t[NATIVE].inst, "fib_rec", (const wasm_slot[]){12});
    CHECK_RETURNED(&o, 144);
    wasm_store_free(t[0].store);
    wasm_store_free(t[1].store);
}

/* ------------------------------------------------------------------------
 * Calls across instances, in every combination of tiers
 * ------------------------------------------------------------------------ */

typedef struct pair {
    wasm_store *store;
    wasm_instance *lib, *app;
} pair;

static pair pair_new(int lib_tier, int app_tier) {
    pair p = {wasm_store_new(NULL), NULL, NULL};
    REQUIRE(p.store);
    p.lib = INSTANTIATE(p.store, libs[lib_tier], NULL, 0);
    wasm_extern imports[3];
    REQUIRE(wasm_instance_export(p.lib, "twice", &imports[0]));
    REQUIRE(wasm_instance_export(p.lib, "call_slot", &imports[1]));
    REQUIRE(wasm_instance_export(p.lib, "table", &imports[2]));
    p.app = INSTANTIATE(p.store, apps[app_tier], imports, 3);
    return p;
}

typedef struct pair_case {
    bool on_lib; /* call the provider's export, not the consumer's */
    const char *name;
    wasm_slot args[2];
} pair_case;

static const pair_case pair_cases[] = {
    {false, "direct", {5}},         {false, "indirect_lib", {6}}, {false, "indirect_own", {1}},
    {false, "lib_calls_app", {2}},  {false, "mark", {0}},         {true, "calls", {0}},
    {false, "bounce", {10}},        {false, "mismatch", {0}},     {false, "lib_mismatch", {0}},
    {true, "call_slot", {3, 4}},    {false, "bounce", {1000000}}, {false, "direct", {21}},
    {true, "call_slot", {2, 5}},    {true, "calls", {0}},
};

static void test_cross_instance(void) {
    outcome got[4][sizeof pair_cases / sizeof pair_cases[0]];
    for (int combo = 0; combo < 4; combo++) {
        int lib_tier = combo >> 1, app_tier = combo & 1;
        pair p = pair_new(lib_tier, app_tier);
        for (size_t i = 0; i < sizeof pair_cases / sizeof pair_cases[0]; i++) {
            const pair_case *c = &pair_cases[i];
            got[combo][i] = call_export(p.store, c->on_lib ? p.lib : p.app, c->name, c->args);
            char what[96];
            snprintf(what, sizeof what, "provider %s, consumer %s: case %zu, %s", tier_names[lib_tier],
                     tier_names[app_tier], i, c->name);
            if (combo) CHECK_SAME(&got[0][i], &got[combo][i], false, what);
        }
        wasm_store_free(p.store);
    }
    /* And the values (the all-native run). */
    const outcome *n = got[3];
    CHECK_RETURNED(&n[0], 10);
    CHECK_RETURNED(&n[1], 12);
    CHECK_RETURNED(&n[2], 101);
    CHECK_RETURNED(&n[3], 102);
    CHECK_RETURNED(&n[4], 1); /* plus100 wrote the consumer's memory... */
    CHECK_RETURNED(&n[5], 2); /* ...and twice ran twice in the provider */
    CHECK_RETURNED(&n[6], 10);
    CHECK_TRAPPED(&n[7], ISORUN_TRAP_INDIRECT_TYPE_MISMATCH);
    CHECK_TRAPPED(&n[8], ISORUN_TRAP_INDIRECT_TYPE_MISMATCH);
    CHECK_RETURNED(&n[9], 4); /* the provider calls the consumer's bounce */
    CHECK_TRAPPED(&n[10], ISORUN_TRAP_STACK_EXHAUSTED);
    CHECK_RETURNED(&n[11], 42);
    CHECK_RETURNED(&n[12], 105);
    CHECK_RETURNED(&n[13], 3);
}

/* Fuel across instances: whichever tier each of the two instances runs in,
 * calls between them (directly, and through the shared table) leave, for
 * every budget, the same outcome and fuel as when both are interpreted. */
static void test_cross_instance_fuel(void) {
    static const pair_case fuel_cases[] = {{false, "direct", {5}}, {false, "indirect_lib", {6}}};
    static const int tiers[3][2] = {{INTERP, NATIVE}, {NATIVE, INTERP}, {NATIVE, NATIVE}}; /* {lib, app} */
    for (size_t i = 0; i < sizeof fuel_cases / sizeof fuel_cases[0]; i++) {
        const pair_case *c = &fuel_cases[i];
        for (size_t k = 0; k < 3; k++) {
            pair both_interp = pair_new(INTERP, INTERP), other = pair_new(tiers[k][0], tiers[k][1]);
            wasm_store_set_fuel(both_interp.store, true, 100000);
            outcome full = call_export(both_interp.store, both_interp.app, c->name, c->args);
            REQUIRE(full.code == ISORUN_ERR_OK);
            const uint64_t need = 100000 - full.fuel_left;
            int mismatches = 0;
            for (uint64_t budget = 0; budget <= need + 2 && mismatches < 5; budget++) {
                wasm_store_set_fuel(both_interp.store, true, budget);
                wasm_store_set_fuel(other.store, true, budget);
                outcome a = call_export(both_interp.store, both_interp.app, c->name, c->args);
                outcome b = call_export(other.store, other.app, c->name, c->args);
                char what[128];
                snprintf(what, sizeof what, "%s provider, %s consumer: %s with fuel %" PRIu64,
                         tier_names[tiers[k][0]], tier_names[tiers[k][1]], c->name, budget);
                if (!CHECK_SAME(&a, &b, true, what)) mismatches++;
            }
            wasm_store_free(both_interp.store);
            wasm_store_free(other.store);
        }
    }
}

/* ------------------------------------------------------------------------
 * Building: errors and the cache
 * ------------------------------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* A fresh directory under ISORUN_NATIVE_TEST_DIR (mkdtemp), or abandons. */
static char scratch[4096];
static const char *scratch_dir(void) {
    mkdir(ISORUN_NATIVE_TEST_DIR, 0700);
    snprintf(scratch, sizeof scratch, "%s/run.XXXXXX", ISORUN_NATIVE_TEST_DIR);
    REQUIRE(mkdtemp(scratch) != NULL);
    return scratch;
}
static void scratch_remove(void) {
    if (scratch[0]) nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    scratch[0] = 0;
}

static wasm_module *fresh_module(const char *name) {
    wasm_module *m = LOAD_WAT_GUEST(name);
    REQUIRE(m);
    return m;
}

/* The interpreted tier still works for a module whose native build failed. */
static void check_still_interpreted(wasm_module *m) {
    CHECK(!wasm_module_is_native(m));
    wasm_store *store = wasm_store_new(NULL);
    wasm_instance *inst = INSTANTIATE(store, m, NULL, 0);
    outcome o = call_export(store, inst, "twice", (const wasm_slot[]){4});
    CHECK_RETURNED(&o, 8);
    wasm_store_free(store);
}

static void test_no_compiler(void) {
    char cache[4200];
    snprintf(cache, sizeof cache, "%s/cache", scratch_dir());
    wasm_module *m = fresh_module("native_lib");
    wasm_native_options opts = {.cache_dir = cache, .cc = "/nonexistent/cc"};
    isorun_error *err = wasm_module_compile_native(m, &opts);
    CHECK_STR_CONTAINS(err ? isorun_error_message(err) : NULL, "/nonexistent/cc");
    EXPECT_ERROR(err, ISORUN_ERR_NATIVE);
    check_still_interpreted(m);
    /* A compiler that runs and fails: its exit status is in the message. */
    opts.cc = "false";
    err = wasm_module_compile_native(m, &opts);
    CHECK_STR_CONTAINS(err ? isorun_error_message(err) : NULL, "false");
    EXPECT_ERROR(err, ISORUN_ERR_NATIVE);
    check_still_interpreted(m);
    wasm_module_free(m);
    scratch_remove();
}

static void test_unsafe_cache_dir(void) {
    const char *dir = scratch_dir();
    char open_dir[4200], file[4200];
    snprintf(open_dir, sizeof open_dir, "%s/open", dir);
    snprintf(file, sizeof file, "%s/plain-file", dir);
    REQUIRE(mkdir(open_dir, 0700) == 0 && chmod(open_dir, 0777) == 0);
    FILE *f = fopen(file, "w");
    REQUIRE(f);
    fclose(f);
    wasm_module *m = fresh_module("native_lib");
    wasm_native_options opts = {.cache_dir = open_dir};
    isorun_error *err = wasm_module_compile_native(m, &opts);
    CHECK_STR_CONTAINS(err ? isorun_error_message(err) : NULL, open_dir);
    EXPECT_ERROR(err, ISORUN_ERR_NATIVE);
    /* Group-writable is just as unsafe. */
    REQUIRE(chmod(open_dir, 0770) == 0);
    EXPECT_ERROR(wasm_module_compile_native(m, &opts), ISORUN_ERR_NATIVE);
    opts.cache_dir = file;
    EXPECT_ERROR(wasm_module_compile_native(m, &opts), ISORUN_ERR_NATIVE);
    check_still_interpreted(m);
    /* Made private, the same directory is accepted. */
    REQUIRE(chmod(open_dir, 0700) == 0);
    opts.cache_dir = open_dir;
    EXPECT_OK(wasm_module_compile_native(m, &opts));
    CHECK(wasm_module_is_native(m));
    wasm_module_free(m);
    scratch_remove();
}

static int count_lines(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int lines = 0;
    for (int c; (c = fgetc(f)) != EOF;) lines += c == '\n';
    fclose(f);
    return lines;
}

/* Builds name's native code with the counting compiler; the module is
 * returned native and checked to run. */
static wasm_module *build_counted(const char *name, const wasm_native_options *opts) {
    wasm_module *m = fresh_module(name);
    EXPECT_OK(wasm_module_compile_native(m, opts));
    CHECK(wasm_module_is_native(m));
    return m;
}

static void test_cache_reuse(void) {
    const char *dir = scratch_dir();
    char cache[4200], counter[4200];
    snprintf(cache, sizeof cache, "%s/a/b/cache", dir); /* missing: created, 0700 */
    snprintf(counter, sizeof counter, "%s/cc-runs", dir);
    REQUIRE(setenv("ISORUN_TEST_CC_COUNTER", counter, 1) == 0);
    wasm_native_options opts = {.cache_dir = cache, .cc = ISORUN_COUNTING_CC};

    wasm_module *first = build_counted("native_lib", &opts);
    CHECK_EQ_INT(count_lines(counter), 1);
    struct stat st;
    REQUIRE(stat(cache, &st) == 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0700);
    /* The same module again (a new wasm_module from the same bytes): loaded
     * from the cache, the compiler does not run. */
    wasm_module *second = build_counted("native_lib", &opts);
    CHECK_EQ_INT(count_lines(counter), 1);
    wasm_store *store = wasm_store_new(NULL);
    wasm_instance *inst = INSTANTIATE(store, second, NULL, 0);
    outcome o = call_export(store, inst, "twice", (const wasm_slot[]){21});
    CHECK_RETURNED(&o, 42);
    wasm_store_free(store);
    /* Compiling an already native module is a no-op. */
    EXPECT_OK(wasm_module_compile_native(second, &opts));
    CHECK_EQ_INT(count_lines(counter), 1);
    /* Another module is another object. */
    wasm_module *other = build_counted("native_app", &opts);
    CHECK_EQ_INT(count_lines(counter), 2);
    /* A cached object someone else could have written is not trusted: it
     * is built again. */
    DIR *d = opendir(cache);
    REQUIRE(d);
    int objects = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0) {
            char path[8400];
            snprintf(path, sizeof path, "%s/%s", cache, e->d_name);
            CHECK(chmod(path, 0666) == 0);
            objects++;
        }
    }
    closedir(d);
    CHECK_EQ_INT(objects, 2);
    wasm_module *third = build_counted("native_lib", &opts);
    CHECK_EQ_INT(count_lines(counter), 3);
    wasm_module_free(first);
    wasm_module_free(second);
    wasm_module_free(other);
    wasm_module_free(third);
    unsetenv("ISORUN_TEST_CC_COUNTER");
    scratch_remove();
}

/* wasm_module_new_native: a cache miss compiles the code in order to
 * translate it; a hit attaches the object to a module that is never compiled
 * for the interpreter, which never runs it. Bad bytes fail before any build. */
static void test_new_native_skips_compile(void) {
    const char *dir = scratch_dir();
    char cache[4200], counter[4200];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    snprintf(counter, sizeof counter, "%s/cc-runs", dir);
    REQUIRE(setenv("ISORUN_TEST_CC_COUNTER", counter, 1) == 0);
    wasm_native_options opts = {.cache_dir = cache, .cc = ISORUN_COUNTING_CC};
    wasm_module *src = fresh_module("native_lib");

    wasm_module *built = NULL, *cached = NULL;
    EXPECT_OK(wasm_module_new_native(src->bytes, src->len, &opts, &built));
    CHECK_EQ_INT(count_lines(counter), 1);
    CHECK(built && built->compiled && wasm_module_is_native(built));
    EXPECT_OK(wasm_module_new_native(src->bytes, src->len, &opts, &cached));
    CHECK_EQ_INT(count_lines(counter), 1);
    CHECK(cached && !cached->compiled && wasm_module_is_native(cached));
    if (cached) {
        wasm_store *store = wasm_store_new(NULL);
        wasm_instance *inst = INSTANTIATE(store, cached, NULL, 0);
        outcome o = call_export(store, inst, "twice", (const wasm_slot[]){21});
        CHECK_RETURNED(&o, 42);
        wasm_store_free(store);
    }

    static const uint8_t bad_version[] = {0, 'a', 's', 'm', 2, 0, 0, 0};
    wasm_module *none = src;
    EXPECT_ERROR(wasm_module_new_native(bad_version, sizeof bad_version, &opts, &none), ISORUN_ERR_MALFORMED);
    CHECK(none == NULL);
    CHECK_EQ_INT(count_lines(counter), 1);

    wasm_module_free(src);
    wasm_module_free(built);
    wasm_module_free(cached);
    unsetenv("ISORUN_TEST_CC_COUNTER");
    scratch_remove();
}

/* An instance made while its module was interpreted moves to native code at
 * wasm_instance_tier_up, once the module has it (a background build): the
 * same results and fuel as an instance interpreted throughout, before and
 * after the switch, and its memory kept across it. */
static void test_tier_up(void) {
    wasm_module *ref = fresh_module("native_lib"), *m = fresh_module("native_lib");
    wasm_store *rs = wasm_store_new(NULL), *s = wasm_store_new(NULL);
    wasm_instance *rinst = INSTANTIATE(rs, ref, NULL, 0), *inst = INSTANTIATE(s, m, NULL, 0);
    wasm_store_set_fuel(rs, true, 100000);
    wasm_store_set_fuel(s, true, 100000);
    CHECK(!wasm_instance_tier_up(inst)); /* the module has no native code yet */
    CHECK(inst->aot == NULL);
    for (uint32_t round = 0; round < 2; round++) {
        for (uint32_t x = 1; x <= 3; x++) {
            outcome want = call_export(rs, rinst, "twice", (const wasm_slot[]){x});
            outcome got = call_export(s, inst, "twice", (const wasm_slot[]){x});
            CHECK_RETURNED(&got, 2 * x);
            CHECK_SAME(&want, &got, true, round ? "twice, after the switch" : "twice, interpreted");
        }
        if (round == 0) {
            wasm_native_options opts = {.cache_dir = ISORUN_NATIVE_CACHE_DIR};
            EXPECT_OK(wasm_module_compile_native(m, &opts));
            CHECK(wasm_instance_tier_up(inst));
            CHECK(inst->aot != NULL);
            CHECK(wasm_instance_tier_up(inst)); /* once is enough */
        }
    }
    outcome calls = call_export(s, inst, "calls", NULL);
    CHECK_RETURNED(&calls, 6); /* the memory written before the switch is the one used after it */
    wasm_store_free(rs);
    wasm_store_free(s);
    wasm_module_free(ref);
    wasm_module_free(m);
}

/* ------------------------------------------------------------------------ */

static wasm_module *load_tier(const char *name, int tier) {
    wasm_module *m = LOAD_WAT_GUEST(name);
    if (!m || tier == INTERP) return m;
    wasm_native_options opts = {.cache_dir = ISORUN_NATIVE_CACHE_DIR};
    isorun_error *err = wasm_module_compile_native(m, &opts);
    EXPECT_OK(err);
    return m;
}

static void load_guests(void) {
    for (int k = 0; k < 2; k++) {
        ops[k] = load_tier("native_ops", k);
        libs[k] = load_tier("native_lib", k);
        apps[k] = load_tier("native_app", k);
    }
}

int main(void) {
    RUN(load_guests);
    bool loaded = true;
    for (int k = 0; k < 2; k++) loaded = loaded && ops[k] && libs[k] && apps[k];
    if (loaded && wasm_module_is_native(ops[NATIVE]) && wasm_module_is_native(libs[NATIVE]) &&
        wasm_module_is_native(apps[NATIVE])) {
        RUN(test_same_results);
        RUN(test_native_values);
        RUN(test_fuel_same_costs);
        RUN(test_recursion);
        RUN(test_native_stack_limit);
        RUN(test_interrupt);
        RUN(test_host_unwinding);
        RUN(test_cross_instance);
        RUN(test_cross_instance_fuel);
        RUN(test_no_compiler);
        RUN(test_unsafe_cache_dir);
        RUN(test_cache_reuse);
        RUN(test_new_native_skips_compile);
        RUN(test_tier_up);
    }
    for (int k = 0; k < 2; k++) {
        wasm_module_free(ops[k]);
        wasm_module_free(libs[k]);
        wasm_module_free(apps[k]);
    }
    return engine_test_summary();
}
