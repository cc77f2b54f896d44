/*
 * diff_run.c — one module, interpreted and native, the same calls on both,
 * compared after every call (diff_run.h).
 */
#include "diff_run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum {
    ARG_SETS = 3,
    MAX_RESULTS = 8,
    MAX_PARAMS = 8,
    MAX_LOGGED_CALLS = 256,
    /* A low depth limit ends runaway recursion quickly and identically in
     * both tiers (the native stack limit is far away). */
    CALL_DEPTH = 100,
    MAX_PAGES = 8,
};

diff_status diff_load(const uint8_t *wasm, size_t len, const char *cache_dir, const char *cc, wasm_module *tiers[2],
                      FILE *report) {
    tiers[0] = tiers[1] = NULL;
    for (int k = 0; k < 2; k++) {
        isorun_error *err = wasm_module_new(wasm, len, &tiers[k]);
        if (err) {
            fprintf(report, "the generated module does not load (a generator bug): %s: %s\n",
                    isorun_error_code_name(isorun_error_code_of(err)), isorun_error_message(err));
            isorun_error_free(err);
            wasm_module_free(tiers[0]);
            tiers[0] = tiers[1] = NULL;
            return DIFF_INVALID;
        }
    }
    wasm_native_options opts = {.cache_dir = cache_dir, .cc = cc};
    isorun_error *err = wasm_module_compile_native(tiers[DIFF_NATIVE], &opts);
    if (err || !wasm_module_is_native(tiers[DIFF_NATIVE])) {
        fprintf(report, "the native build failed: %s\n", err ? isorun_error_message(err) : "module not native");
        isorun_error_free(err);
        wasm_module_free(tiers[0]);
        wasm_module_free(tiers[1]);
        tiers[0] = tiers[1] = NULL;
        return DIFF_NO_NATIVE;
    }
    return DIFF_SAME;
}

/* ------------------------------------------------------------------------
 * Outcomes
 * ------------------------------------------------------------------------ */

typedef struct outcome {
    isorun_error_code code; /* ISORUN_ERR_OK when the call returned */
    isorun_trap_code trap;
    char message[200];
    uint32_t nresults;
    wasm_slot results[MAX_RESULTS]; /* NaNs canonical */
    uint64_t fuel_left;
} outcome;

/* The bits of a value with any NaN replaced by the canonical positive one. */
static wasm_slot canonical(uint8_t type, wasm_slot v) {
    if (type == WASM_F32) {
        uint32_t bits = (uint32_t)v;
        return (bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu) ? 0x7FC00000u : bits;
    }
    if (type == WASM_F64)
        return (v & 0x7FF0000000000000ull) == 0x7FF0000000000000ull && (v & 0x000FFFFFFFFFFFFFull)
                   ? 0x7FF8000000000000ull
                   : v;
    return v;
}

static outcome call_once(wasm_store *store, wasm_func *f, const wasm_slot *args) {
    outcome o = {0};
    const wasm_functype *type = wasm_func_type(f);
    wasm_slot results[MAX_RESULTS] = {0};
    isorun_error *err = wasm_call(store, f, args, results);
    if (err) {
        o.code = isorun_error_code_of(err);
        o.trap = isorun_error_trap(err);
        snprintf(o.message, sizeof o.message, "%s", isorun_error_message(err));
        isorun_error_free(err);
    } else {
        o.nresults = type->nresults;
        for (uint32_t i = 0; i < o.nresults; i++)
            o.results[i] = canonical(wasm_functype_results(type)[i], results[i]);
    }
    o.fuel_left = wasm_store_fuel(store);
    return o;
}

static bool same_outcome(const outcome *a, const outcome *b) {
    if (a->code != b->code || a->trap != b->trap || a->nresults != b->nresults || a->fuel_left != b->fuel_left)
        return false;
    return memcmp(a->results, b->results, a->nresults * sizeof a->results[0]) == 0;
}

static void print_outcome(FILE *out, const char *tier, const outcome *o, const wasm_functype *type) {
    fprintf(out, "    %-12s ", tier);
    if (o->code != ISORUN_ERR_OK) {
        fprintf(out, "%s: %s", isorun_error_code_name(o->code), o->message);
    } else {
        fprintf(out, "returned (");
        for (uint32_t i = 0; i < o->nresults; i++)
            fprintf(out, "%s%s 0x%" PRIx64, i ? ", " : "", wasm_valtype_name(wasm_functype_results(type)[i]),
                    o->results[i]);
        fprintf(out, ")");
    }
    fprintf(out, ", fuel left %" PRIu64 "\n", o->fuel_left);
}

/* ------------------------------------------------------------------------
 * The calls, and what they leave behind
 * ------------------------------------------------------------------------ */

typedef struct call {
    uint32_t export_index;
    wasm_slot args[MAX_PARAMS];
    uint64_t fuel;
} call;

typedef struct run {
    wasm_module *module; /* the interpreted copy: for export names and types */
    wasm_store *stores[2];
    wasm_instance *insts[2];
    call log[MAX_LOGGED_CALLS];
    uint32_t ncalls;
    FILE *report;
    diff_stats *stats;
} run;

static void print_call(const run *r, const call *c) {
    const wasm_export *e = wasm_module_export(r->module, c->export_index);
    const wasm_functype *type = wasm_module_func_type(r->module, e->index);
    fprintf(r->report, "%s(", e->name);
    for (uint32_t i = 0; i < type->nparams; i++)
        fprintf(r->report, "%s%s 0x%" PRIx64, i ? ", " : "", wasm_valtype_name(wasm_functype_params(type)[i]),
                c->args[i]);
    fprintf(r->report, ") with fuel %" PRIu64, c->fuel);
}

/* Describes the call that went wrong and the ones before it. */
static void print_history(const run *r) {
    const call *last = &r->log[r->ncalls - 1];
    fprintf(r->report, "  in call #%u: ", r->ncalls);
    print_call(r, last);
    fprintf(r->report, "\n");
    if (r->ncalls > 1) fprintf(r->report, "  the calls before it, on the same instances:\n");
    for (uint32_t i = 0; i + 1 < r->ncalls; i++) {
        fprintf(r->report, "    #%u ", i + 1);
        print_call(r, &r->log[i]);
        fprintf(r->report, "\n");
    }
}

/* Compares memory and globals; describes the first difference. */
static bool same_state(run *r) {
    wasm_memory *mem[2] = {wasm_instance_memory(r->insts[0]), wasm_instance_memory(r->insts[1])};
    uint64_t size[2] = {wasm_memory_size_bytes(mem[0]), wasm_memory_size_bytes(mem[1])};
    if (size[0] != size[1]) {
        fprintf(r->report, "  memory size differs: interpreted %" PRIu64 " bytes, native %" PRIu64 "\n", size[0],
                size[1]);
        return false;
    }
    const uint8_t *data[2] = {wasm_memory_data(mem[0]), wasm_memory_data(mem[1])};
    if (memcmp(data[0], data[1], size[0]) != 0) {
        uint64_t at = 0;
        while (data[0][at] == data[1][at]) at++;
        fprintf(r->report, "  memory differs from offset 0x%" PRIx64 ":\n", at);
        for (int k = 0; k < 2; k++) {
            fprintf(r->report, "    %-12s", k == DIFF_INTERP ? "interpreted" : "native");
            for (uint64_t i = at; i < at + 16 && i < size[0]; i++) fprintf(r->report, " %02x", data[k][i]);
            fprintf(r->report, "\n");
        }
        return false;
    }
    for (uint32_t i = 0; i < wasm_module_export_count(r->module); i++) {
        const wasm_export *e = wasm_module_export(r->module, i);
        if (e->kind != WASM_EXTERN_GLOBAL) continue;
        wasm_extern g[2];
        if (!wasm_instance_export(r->insts[0], e->name, &g[0]) || !wasm_instance_export(r->insts[1], e->name, &g[1]))
            return false;
        uint8_t type = wasm_global_type(g[0].u.global).type;
        wasm_slot v[2] = {canonical(type, wasm_global_get(g[0].u.global)),
                          canonical(type, wasm_global_get(g[1].u.global))};
        if (v[0] != v[1]) {
            fprintf(r->report, "  global %s (%s) differs: interpreted 0x%" PRIx64 ", native 0x%" PRIx64 "\n", e->name,
                    wasm_valtype_name(type), v[0], v[1]);
            return false;
        }
    }
    return true;
}

/* Makes the call on both instances and compares; false on a mismatch. */
static bool call_both(run *r, uint32_t export_index, const wasm_slot *args, uint64_t fuel) {
    const wasm_export *e = wasm_module_export(r->module, export_index);
    if (r->ncalls < MAX_LOGGED_CALLS) {
        call *c = &r->log[r->ncalls++];
        c->export_index = export_index;
        memcpy(c->args, args, sizeof c->args);
        c->fuel = fuel;
    }
    outcome o[2];
    wasm_func *f[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        wasm_extern ext;
        if (!wasm_instance_export(r->insts[k], e->name, &ext) || ext.kind != WASM_EXTERN_FUNC) return false;
        f[k] = ext.u.func;
        wasm_store_set_fuel(r->stores[k], true, fuel);
        o[k] = call_once(r->stores[k], f[k], args);
    }
    if (r->stats) {
        const outcome *seen = &o[DIFF_INTERP];
        r->stats->calls++;
        r->stats->returned += seen->code == ISORUN_ERR_OK;
        r->stats->other_errors += seen->code != ISORUN_ERR_OK && seen->code != ISORUN_ERR_TRAP;
        if (seen->code == ISORUN_ERR_TRAP && seen->trap < ISORUN_TRAP_COUNT_) r->stats->traps[seen->trap]++;
    }
    bool same = same_outcome(&o[0], &o[1]);
    if (!same) {
        fprintf(r->report, "  the outcomes differ:\n");
        print_outcome(r->report, "interpreted", &o[DIFF_INTERP], wasm_func_type(f[0]));
        print_outcome(r->report, "native", &o[DIFF_NATIVE], wasm_func_type(f[0]));
    }
    if (same) same = same_state(r);
    if (!same) print_history(r);
    return same;
}

static uint64_t random_budget(gen_source *args, int which) {
    switch (which) {
    case 0: return 200000;                        /* enough for almost anything */
    case 1: return 200 + gen_below(args, 3000);   /* runs out in longer loops */
    default: return gen_below(args, 150);         /* runs out early, often in the first call */
    }
}

void diff_stats_add(diff_stats *into, const diff_stats *s) {
    into->calls += s->calls;
    into->returned += s->returned;
    into->other_errors += s->other_errors;
    for (int i = 0; i < ISORUN_TRAP_COUNT_; i++) into->traps[i] += s->traps[i];
}

void diff_stats_print(FILE *out, const diff_stats *s) {
    uint64_t trapped = 0;
    for (int i = 0; i < ISORUN_TRAP_COUNT_; i++) trapped += s->traps[i];
    fprintf(out, "%" PRIu64 " calls: %" PRIu64 " returned, %" PRIu64 " trapped (", s->calls, s->returned, trapped);
    const char *sep = "";
    for (int i = 0; i < ISORUN_TRAP_COUNT_; i++) {
        if (!s->traps[i]) continue;
        fprintf(out, "%s%s %" PRIu64, sep, isorun_trap_message((isorun_trap_code)i), s->traps[i]);
        sep = ", ";
    }
    fprintf(out, ")");
    if (s->other_errors) fprintf(out, ", %" PRIu64 " other errors", s->other_errors);
    fprintf(out, "\n");
}

diff_status diff_compare(wasm_module *const tiers[2], gen_source *args, FILE *report, diff_stats *stats) {
    run *r = calloc(1, sizeof *r);
    if (!r) return DIFF_SETUP;
    r->module = tiers[DIFF_INTERP];
    r->report = report;
    r->stats = stats;
    wasm_store_config cfg = {.max_call_depth = CALL_DEPTH, .max_memory_pages = MAX_PAGES};
    diff_status status = DIFF_SAME;
    for (int k = 0; k < 2 && status == DIFF_SAME; k++) {
        r->stores[k] = wasm_store_new(&cfg);
        isorun_error *err = r->stores[k] ? wasm_instantiate(r->stores[k], tiers[k], NULL, 0, &r->insts[k]) : NULL;
        if (!r->stores[k] || err) {
            fprintf(report, "cannot instantiate the %s copy: %s\n", k ? "native" : "interpreted",
                    err ? isorun_error_message(err) : "out of memory");
            isorun_error_free(err);
            status = DIFF_SETUP;
        }
    }
    if (status == DIFF_SAME && !same_state(r)) status = DIFF_MISMATCH;
    for (uint32_t i = 0; status == DIFF_SAME && i < wasm_module_export_count(r->module); i++) {
        const wasm_export *e = wasm_module_export(r->module, i);
        if (e->kind != WASM_EXTERN_FUNC) continue;
        const wasm_functype *type = wasm_module_func_type(r->module, e->index);
        for (int set = 0; set < ARG_SETS && status == DIFF_SAME; set++) {
            wasm_slot a[MAX_PARAMS] = {0};
            for (uint32_t p = 0; p < type->nparams && p < MAX_PARAMS; p++)
                a[p] = gen_constant_bits(args, wasm_functype_params(type)[p]);
            for (int b = 0; b < 3 && status == DIFF_SAME; b++)
                if (!call_both(r, i, a, random_budget(args, b))) status = DIFF_MISMATCH;
        }
    }
    for (int k = 0; k < 2; k++)
        if (r->stores[k]) wasm_store_free(r->stores[k]);
    free(r);
    return status;
}
