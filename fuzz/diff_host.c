/*
 * diff_host.c — the deterministic host a differential run links generated
 * modules against (diff_host.h).
 */
#include "diff_host.h"

#include "gen_internal.h"

#include <stdlib.h>
#include <string.h>

struct diff_host {
    wasm_store *store;
    uint64_t calls;
    wasm_func *funcs[GEN_HOST_COUNT_];
    wasm_memory *mem;
    wasm_table *table;
    wasm_global *g_i32, *g_i64, *g_v128;
};


static bool f32_nan(uint32_t bits) { return (bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu); }
static bool f64_nan(uint64_t bits) {
    return (bits & 0x7FF0000000000000ull) == 0x7FF0000000000000ull && (bits & 0x000FFFFFFFFFFFFFull);
}
/* The quiet bits (the payload's highest). */
enum { F32_QUIET = 0x00400000u };
#define F64_QUIET 0x0008000000000000ull

wasm_slot diff_canonical(uint8_t type, wasm_slot v) {
    if (type == WASM_F32 && f32_nan((uint32_t)v)) return (v & F32_QUIET) ? 0x7FC00000u : 0x7FA00000u;
    if (type == WASM_F64 && f64_nan(v)) return (v & F64_QUIET) ? 0x7FF8000000000000ull : 0x7FF4000000000000ull;
    return v;
}

/* Two f32 lanes, or two f64 halves, that are NaNs of the same kind. */
static bool same_f32_nan(uint32_t x, uint32_t y) { return f32_nan(x) && f32_nan(y) && ((x ^ y) & F32_QUIET) == 0; }
static bool same_f64_nan(uint64_t x, uint64_t y) { return f64_nan(x) && f64_nan(y) && ((x ^ y) & F64_QUIET) == 0; }

bool diff_same_v128(const wasm_slot a[2], const wasm_slot b[2]) {
    for (int h = 0; h < 2; h++) {
        if (a[h] == b[h] || same_f64_nan(a[h], b[h])) continue;
        for (int lane = 0; lane < 2; lane++) {
            uint32_t x = (uint32_t)(a[h] >> (32 * lane)), y = (uint32_t)(b[h] >> (32 * lane));
            if (x != y && !same_f32_nan(x, y)) return false;
        }
    }
    return true;
}

void diff_canonical_v128(wasm_slot v[2]) {
    for (int h = 0; h < 2; h++) {
        uint32_t lo = (uint32_t)v[h], hi = (uint32_t)(v[h] >> 32);
        if (f32_nan(hi))
            lo = 0, hi = 0x7FC00000u;
        else if (f32_nan(lo))
            lo = 0x7FC00000u;
        v[h] = (uint64_t)hi << 32 | lo;
    }
}

static uint32_t mix64(uint64_t x) {
    x ^= x >> 31;
    x *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x ^ (x >> 29));
}

static isorun_error *host_mix(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)ctx;
    diff_host *h = env;
    h->calls++;
    slots[0] = mix64(((uint64_t)(uint32_t)slots[0] << 32) ^ slots[1] ^ h->calls);
    return NULL;
}

static isorun_error *host_trap(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)ctx;
    diff_host *h = env;
    h->calls++;
    uint32_t a = (uint32_t)slots[0];
    if (a % 4 == 0) return isorun_error_new(ISORUN_ERR_ARGUMENT, "host trap on %u", a);
    slots[0] = a * 3u + 1;
    return NULL;
}

enum { MAX_SLOTS = 16 };

/* What a result of f0 contributes to callback's value, the same in every
 * world: a number for a funcref (0 null, 0x10N host function N, 0x1000 +
 * the caller's export index, 0xFFFF another instance's function: pointers
 * differ between stores), an externref as the host value it is, a number
 * with NaNs made canonical. */
static wasm_slot mixable(const diff_host *h, const wasm_instance *caller, uint8_t type, wasm_slot v) {
    if (type != WASM_FUNCREF) return diff_canonical(type, v);
    if (!v) return 0;
    const wasm_func *f = (const wasm_func *)(uintptr_t)v;
    int host = diff_host_func_index(h, f);
    if (host >= 0) return 0x100u + (uint32_t)host;
    const wasm_module *m = wasm_instance_module(caller);
    for (uint32_t i = 0; i < wasm_module_export_count(m); i++) {
        const wasm_export *e = wasm_module_export(m, i);
        wasm_extern x;
        if (e->kind == WASM_EXTERN_FUNC && wasm_instance_export(caller, e->name, &x) && x.u.func == f)
            return 0x1000u + i;
    }
    return 0xFFFFu;
}

static isorun_error *host_callback(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    diff_host *h = env;
    h->calls++;
    uint32_t a = (uint32_t)slots[0];
    wasm_extern f0;
    /* No caller (the host called directly) or no f0: a value that says so. */
    if (!ctx->caller || !wasm_instance_export(ctx->caller, "f0", &f0) || f0.kind != WASM_EXTERN_FUNC) {
        slots[0] = 0xCA11u;
        return NULL;
    }
    const wasm_functype *t = wasm_func_type(f0.u.func);
    wasm_slot args[MAX_SLOTS] = {0}, results[MAX_SLOTS] = {0};
    if (wasm_functype_param_slots(t) > MAX_SLOTS || wasm_functype_result_slots(t) > MAX_SLOTS)
        return isorun_error_new(ISORUN_ERR_ARGUMENT, "f0 too wide");
    /* Values back to back, a v128 in two slots; all but the i32s zero
     * (references null). */
    for (uint32_t i = 0, slot = 0; i < t->nparams; slot += wasm_valtype_slots(wasm_functype_params(t)[i++]))
        if (wasm_functype_params(t)[i] == WASM_I32) args[slot] = a;
    isorun_error *err = wasm_call(ctx->store, f0.u.func, args, results);
    if (err) return err;
    uint64_t acc = a;
    const uint8_t *types = wasm_functype_results(t);
    for (uint32_t i = 0, slot = 0; i < t->nresults; slot += wasm_valtype_slots(types[i++])) {
        if (types[i] == WASM_V128) {
            diff_canonical_v128(&results[slot]);
            acc = mix64(acc ^ results[slot]);
            acc = mix64(acc ^ results[slot + 1]);
        } else {
            acc = mix64(acc ^ mixable(h, ctx->caller, types[i], results[slot]));
        }
    }
    slots[0] = (uint32_t)acc;
    return NULL;
}

static isorun_error *host_ext(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)ctx;
    diff_host *h = env;
    h->calls++;
    uint32_t a = (uint32_t)slots[0];
    slots[0] = a ? (0xE7ull << 40) | ((uint64_t)a << 1) | 1 : 0;
    return NULL;
}

diff_host *diff_host_new(wasm_store *s) {
    diff_host *h = calloc(1, sizeof *h);
    if (h) h->store = s;
    return h;
}

void diff_host_free(diff_host *h) { free(h); } /* the objects belong to the store */

uint64_t diff_host_calls(const diff_host *h) { return h->calls; }

int diff_host_func_index(const diff_host *h, const wasm_func *f) {
    for (int i = 0; i < GEN_HOST_COUNT_; i++)
        if (f && h->funcs[i] == f) return i;
    return -1;
}

static wasm_func *host_func(diff_host *h, int which) {
    static const wasm_host_fn fns[GEN_HOST_COUNT_] = {host_mix, host_trap, host_callback, host_ext};
    static uint8_t sigs[GEN_HOST_COUNT_][3] = {
        {WASM_I32, WASM_I64, WASM_I32}, {WASM_I32, WASM_I32}, {WASM_I32, WASM_I32}, {WASM_I32, WASM_EXTERNREF}};
    if (!h->funcs[which]) {
        wasm_functype type = {.nparams = which == GEN_HOST_MIX ? 2 : 1, .nresults = 1, .types = sigs[which]};
        h->funcs[which] = wasm_func_new_host(h->store, &type, fns[which], h, NULL);
    }
    return h->funcs[which];
}

bool diff_host_import(diff_host *h, const wasm_import *im, wasm_extern *out) {
    static const char *names[GEN_HOST_COUNT_] = {"mix", "trap", "callback", "ext"};
    if (strcmp(im->module, "env") != 0) return false;
    out->kind = im->kind;
    switch (im->kind) {
    case WASM_EXTERN_FUNC:
        for (int i = 0; i < GEN_HOST_COUNT_; i++)
            if (strcmp(im->name, names[i]) == 0) return (out->u.func = host_func(h, i)) != NULL;
        return false;
    case WASM_EXTERN_MEMORY:
        if (!h->mem) h->mem = wasm_memory_new(h->store, im->u.memory);
        return (out->u.memory = h->mem) != NULL;
    case WASM_EXTERN_TABLE:
        if (!h->table) h->table = wasm_table_new(h->store, im->u.table, 0);
        return (out->u.table = h->table) != NULL;
    case WASM_EXTERN_GLOBAL:
        if (strcmp(im->name, "g_i32") == 0) {
            if (!h->g_i32) h->g_i32 = wasm_global_new(h->store, im->u.global, 0x7FFFFFF0u);
            return (out->u.global = h->g_i32) != NULL;
        }
        if (strcmp(im->name, "g_i64") == 0) {
            if (!h->g_i64) h->g_i64 = wasm_global_new(h->store, im->u.global, 0x8000000000000003ull);
            return (out->u.global = h->g_i64) != NULL;
        }
        if (strcmp(im->name, "g_v128") == 0) {
            if (!h->g_v128) {
                /* f32 lanes 1.0, NaN, -0.0, and 0x80000001. */
                static const wasm_slot init[2] = {0x7FC000003F800000ull, 0x8000000180000000ull};
                h->g_v128 = wasm_global_new(h->store, im->u.global, 0);
                if (h->g_v128) wasm_global_set_slots(h->g_v128, init);
            }
            return (out->u.global = h->g_v128) != NULL;
        }
        return false;
    }
    return false;
}
