/*
 * test_native_v128.c — v128 values crossing function boundaries in the native
 * tier. A v128 takes two slots, so native code passes it as two C parameters,
 * returns it through an out array, and lays it out by slots in the io arrays
 * of calls to the host and to other instances; a slip by one slot anywhere
 * gives wrong values. native_v128.wat moves v128s, mixed with scalars, through
 * direct and indirect calls, multi-value results, a global, block and loop
 * parameters, br_table, the host and an instance of the other tier. Every
 * export is called in every pairing of tiers (the calling instance and the
 * peer it imports from) and must give the expected values, traps and the same
 * fuel as when both are interpreted.
 *
 * Compile definitions (tests/engine/CMakeLists.txt):
 *   ISORUN_NATIVE_CACHE_DIR  the build tree's shared cache of native objects
 */
#include "../unit/check.h"
#include "../unit/engine_helpers.h"

#include <stdint.h>

#ifndef ISORUN_NATIVE_CACHE_DIR
#error "tests/engine/CMakeLists.txt defines ISORUN_NATIVE_CACHE_DIR"
#endif

enum { INTERP = 0, NATIVE = 1 };
static const char *const tier_names[] = {"interpreted", "native"};
static wasm_module *modules[2];

/* A v128 of four i32 lanes, as its two slots. */
typedef struct v128 {
    wasm_slot lo, hi;
} v128;
static v128 i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    return (v128){a | (uint64_t)b << 32, c | (uint64_t)d << 32};
}
static uint32_t lane(v128 v, unsigned i) { return (uint32_t)((i < 2 ? v.lo : v.hi) >> (32 * (i & 1))); }
static v128 v_add(v128 a, v128 b) {
    return i32x4(lane(a, 0) + lane(b, 0), lane(a, 1) + lane(b, 1), lane(a, 2) + lane(b, 2), lane(a, 3) + lane(b, 3));
}
static v128 v_sub(v128 a, v128 b) {
    return i32x4(lane(a, 0) - lane(b, 0), lane(a, 1) - lane(b, 1), lane(a, 2) - lane(b, 2), lane(a, 3) - lane(b, 3));
}
static v128 v_splat(uint32_t x) { return i32x4(x, x, x, x); }
static v128 v_mul(v128 a, uint32_t k) { return i32x4(lane(a, 0) * k, lane(a, 1) * k, lane(a, 2) * k, lane(a, 3) * k); }

/* The host import env.mix: (x i32, v v128, y i64) -> (v with lane 0 += x and
 * lane 3 += y, x + y). Its slots: [x][v.lo][v.hi][y] in, [v.lo][v.hi][sum]
 * out. */
static isorun_error *host_mix(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)ctx;
    (void)env;
    uint32_t x = (uint32_t)slots[0], y = (uint32_t)slots[3];
    v128 v = {slots[1], slots[2]};
    v128 r = i32x4(lane(v, 0) + x, lane(v, 1), lane(v, 2), lane(v, 3) + y);
    slots[0] = r.lo;
    slots[1] = r.hi;
    slots[2] = (uint32_t)(x + y);
    return NULL;
}

/* A host stand-in for env.peer_add, for the instance that serves as peer. */
static isorun_error *host_add(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)ctx;
    (void)env;
    v128 r = v_add((v128){slots[0], slots[1]}, (v128){slots[2], slots[3]});
    slots[0] = r.lo;
    slots[1] = r.hi;
    return NULL;
}

static wasm_func *new_host(wasm_store *store, const uint8_t *types, uint32_t np, uint32_t nr, wasm_host_fn fn) {
    wasm_functype ft = {np, nr, (uint8_t *)types};
    wasm_func *f = wasm_func_new_host(store, &ft, fn, NULL, NULL);
    REQUIRE(f);
    return f;
}

/* An instance of native_v128 in `tier` whose env.peer_add is `peer`'s export
 * `add` (NULL: the host stand-in). */
static wasm_instance *v128_instance(wasm_store *store, int tier, const wasm_instance *peer) {
    static const uint8_t mix_types[] = {WASM_I32, WASM_V128, WASM_I64, WASM_V128, WASM_I32};
    static const uint8_t add_types[] = {WASM_V128, WASM_V128, WASM_V128};
    wasm_extern imports[2] = {{.kind = WASM_EXTERN_FUNC}, {.kind = WASM_EXTERN_FUNC}};
    imports[0].u.func = new_host(store, mix_types, 3, 2, host_mix);
    imports[1].u.func = peer ? EXPORT_FUNC(peer, "add") : new_host(store, add_types, 2, 1, host_add);
    return INSTANTIATE(store, modules[tier], imports, 2);
}

/* One call: arguments and expected result slots, or an expected trap. */
typedef struct v128_case {
    const char *name;
    wasm_slot args[8];
    wasm_slot want[8];
    uint32_t nwant; /* result slots */
    isorun_trap_code trap;
} v128_case;

#define MAX_CASES 24
static v128_case cases[MAX_CASES];
static size_t ncases;

static void add_case(const char *name, const wasm_slot *args, size_t nargs, const wasm_slot *want, uint32_t nwant,
                     isorun_trap_code trap) {
    REQUIRE(ncases < MAX_CASES && nargs <= 8 && nwant <= 8);
    v128_case *c = &cases[ncases++];
    memset(c, 0, sizeof *c);
    c->name = name;
    memcpy(c->args, args, nargs * sizeof *args);
    if (nwant) memcpy(c->want, want, nwant * sizeof *want);
    c->nwant = nwant;
    c->trap = trap;
}
#define SLOTS(...) ((const wasm_slot[]){__VA_ARGS__}), sizeof((const wasm_slot[]){__VA_ARGS__}) / sizeof(wasm_slot)
#define RETURNS(name, args, ...) add_case(name, args, SLOTS(__VA_ARGS__), ISORUN_TRAP_NONE)
#define TRAPS(name, args, trap) add_case(name, args, NULL, 0, trap)

static void build_cases(void) {
    ncases = 0;
    const v128 v = i32x4(1, 2, 3, 0xFFFFFFF0u), w = i32x4(100, 200, 300, 400);
    const v128 s = v_add(v, w);
    RETURNS("add", SLOTS(v.lo, v.hi, w.lo, w.hi), s.lo, s.hi);
    RETURNS("shuffle_args", SLOTS(7, v.lo, v.hi, 0x1122334455667788ull, w.lo, w.hi), w.lo, w.hi,
            0x1122334455667788ull, v.lo, v.hi, 7);
    RETURNS("call_shuffle", SLOTS(7, v.lo, v.hi, 1000, w.lo, w.hi), 1007, s.lo, s.hi);
    const v128 folded = v_add(v, v_splat(10 * 11 / 2));
    RETURNS("fold", SLOTS(10, v.lo, v.hi), folded.lo, folded.hi);
    const v128 diff = v_sub(v, w);
    RETURNS("indirect", SLOTS(0, v.lo, v.hi, w.lo, w.hi), s.lo, s.hi);
    RETURNS("indirect", SLOTS(1, v.lo, v.hi, w.lo, w.hi), diff.lo, diff.hi);
    TRAPS("indirect", SLOTS(2, v.lo, v.hi, w.lo, w.hi), ISORUN_TRAP_INDIRECT_TYPE_MISMATCH);
    TRAPS("indirect", SLOTS(3, v.lo, v.hi, w.lo, w.hi), ISORUN_TRAP_UNDEFINED_ELEMENT);
    const v128 tagged = i32x4(1, 2, 55, 0xFFFFFFF0u);
    RETURNS("indirect_tag", SLOTS(55, v.lo, v.hi), tagged.lo, tagged.hi, 55);
    /* blocks: c' = c + 1; odd c' selects the block's v128, even c' selects w */
    const v128 small = s, big = v_mul(s, 10);
    RETURNS("blocks", SLOTS(0, v.lo, v.hi, w.lo, w.hi), 1, small.lo, small.hi);
    RETURNS("blocks", SLOTS(1, v.lo, v.hi, w.lo, w.hi), 2, w.lo, w.hi);
    RETURNS("blocks", SLOTS(2, v.lo, v.hi, w.lo, w.hi), 3, big.lo, big.hi);
    for (uint32_t k = 0; k < 4; k++) {
        v128 r = k < 3 ? v_add(v, i32x4(k == 0, k == 1, k == 2, 0)) : v;
        RETURNS("branches", SLOTS(k, v.lo, v.hi), 7, r.lo, r.hi);
    }
    const v128 doubled = v_mul(v, 8);
    RETURNS("loop_double", SLOTS(3, v.lo, v.hi), doubled.lo, doubled.hi);
    const v128 mixed = i32x4(1 + 9, 2, 3, 0xFFFFFFF0u + 20 + 100);
    RETURNS("via_host", SLOTS(9, v.lo, v.hi, 20), 9 + 20 + 1, mixed.lo, mixed.hi);
    RETURNS("via_peer", SLOTS(v.lo, v.hi, w.lo, w.hi), s.lo, s.hi);
    /* the global, twice: 1 2 3 4 + v, then + w */
    const v128 g1 = v_add(i32x4(1, 2, 3, 4), v), g2 = v_add(g1, w);
    RETURNS("bump", SLOTS(v.lo, v.hi), g1.lo, g1.hi);
    RETURNS("bump", SLOTS(w.lo, w.hi), g2.lo, g2.hi);
}

/* One call's outcome. */
typedef struct outcome {
    isorun_trap_code trap; /* ISORUN_TRAP_NONE when it returned */
    bool other_error;
    wasm_slot results[8];
    uint64_t fuel_left;
} outcome;

static outcome run_case(wasm_store *store, const wasm_instance *inst, const v128_case *c) {
    outcome o = {0};
    wasm_func *f = EXPORT_FUNC(inst, c->name);
    REQUIRE(wasm_functype_result_slots(wasm_func_type(f)) <= 8);
    isorun_error *err = wasm_call(store, f, c->args, o.results);
    if (err) {
        o.other_error = isorun_error_code_of(err) != ISORUN_ERR_TRAP;
        o.trap = isorun_error_trap(err);
        if (o.other_error) fprintf(stderr, "    %s: %s\n", c->name, isorun_error_message(err));
        isorun_error_free(err);
    }
    o.fuel_left = wasm_store_fuel(store);
    return o;
}

static bool outcome_as_wanted(const outcome *o, const v128_case *c) {
    if (o->other_error || o->trap != c->trap) return false;
    for (uint32_t i = 0; i < c->nwant; i++)
        if (o->results[i] != c->want[i]) return false;
    return true;
}

/* Every case in every pairing of tiers {caller, peer}: the wanted values,
 * and the fuel of the all-interpreted run; then the global's final value. */
static void test_v128_boundaries(void) {
    build_cases();
    uint64_t interp_fuel[MAX_CASES] = {0};
    for (int combo = 0; combo < 4; combo++) {
        int tier = combo >> 1, peer_tier = combo & 1;
        wasm_store *store = wasm_store_new(NULL);
        REQUIRE(store);
        wasm_store_set_fuel(store, true, 1000000);
        wasm_instance *peer = v128_instance(store, peer_tier, NULL);
        wasm_instance *inst = v128_instance(store, tier, peer);
        for (size_t i = 0; i < ncases; i++) {
            const v128_case *c = &cases[i];
            outcome o = run_case(store, inst, c);
            bool ok = outcome_as_wanted(&o, c);
            check_record(ok, __FILE__, __LINE__, "the call gives the wanted outcome");
            if (!ok) {
                fprintf(stderr, "    %s caller, %s peer: case %zu, %s: trap %d (want %d), results", tier_names[tier],
                        tier_names[peer_tier], i, c->name, (int)o.trap, (int)c->trap);
                for (uint32_t k = 0; k < c->nwant; k++)
                    fprintf(stderr, " 0x%" PRIx64 " (want 0x%" PRIx64 ")", o.results[k], c->want[k]);
                fprintf(stderr, "\n");
            }
            if (combo == 0) {
                interp_fuel[i] = o.fuel_left;
            } else if (o.fuel_left != interp_fuel[i]) {
                check_record(false, __FILE__, __LINE__, "fuel left as when all is interpreted");
                fprintf(stderr, "    %s caller, %s peer: case %zu, %s: fuel %" PRIu64 ", interpreted %" PRIu64 "\n",
                        tier_names[tier], tier_names[peer_tier], i, c->name, o.fuel_left, interp_fuel[i]);
            }
        }
        /* The exported global holds what the last bump returned. */
        wasm_extern g;
        REQUIRE(wasm_instance_export(inst, "acc", &g) && g.kind == WASM_EXTERN_GLOBAL);
        wasm_slot acc[2] = {0, 0};
        wasm_global_get_slots(g.u.global, acc);
        const v128_case *last = &cases[ncases - 1];
        CHECK_EQ_U64(acc[0], last->want[0]);
        CHECK_EQ_U64(acc[1], last->want[1]);
        wasm_store_free(store);
    }
}

static wasm_module *load_tier(int tier) {
    wasm_module *m = LOAD_WAT_GUEST("native_v128");
    if (!m || tier == INTERP) return m;
    wasm_native_options opts = {.cache_dir = ISORUN_NATIVE_CACHE_DIR};
    EXPECT_OK(wasm_module_compile_native(m, &opts));
    return m;
}

static void load_modules(void) {
    for (int k = 0; k < 2; k++) modules[k] = load_tier(k);
}

int main(void) {
    RUN(load_modules);
    if (modules[INTERP] && modules[NATIVE] && wasm_module_is_native(modules[NATIVE])) RUN(test_v128_boundaries);
    for (int k = 0; k < 2; k++) wasm_module_free(modules[k]);
    return engine_test_summary();
}
