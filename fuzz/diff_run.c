/*
 * diff_run.c — one module (or a pair linked in one store) in every
 * combination of tiers, the same calls on each, compared after every call
 * (diff_run.h).
 */
#include "diff_run.h"

#include "diff_host.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum {
    ARG_SETS = 3,
    /* Slots, a v128 taking two: up to 3 results and 4 parameters (gen_internal.h). */
    MAX_RESULT_SLOTS = 8,
    MAX_PARAM_SLOTS = 8,
    MAX_LOGGED_CALLS = 256,
    /* A low depth limit ends runaway recursion quickly and identically in
     * both tiers (the native stack limit is far away). */
    CALL_DEPTH = 100,
    MAX_PAGES = 8,
    /* table.grow by a random i32 would otherwise allocate millions of
     * elements to compare after every call. */
    MAX_TABLE_ELEMS = 1000,
    MAX_WORLDS = 4,
    NO_FUNC = 0xFFFFFFFFu,
};

diff_status diff_load_interpreted(const uint8_t *wasm, size_t len, wasm_module *tiers[2], FILE *report) {
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
    return DIFF_SAME;
}

diff_status diff_load(const uint8_t *wasm, size_t len, const char *cache_dir, const char *cc, wasm_module *tiers[2],
                      FILE *report) {
    diff_status status = diff_load_interpreted(wasm, len, tiers, report);
    if (status != DIFF_SAME) return status;
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

/* How func_identity numbers functions, for the reports. */
#define FUNC_IDENTITIES "0 null, 0x10N host N, 0x1000*(1 a, 2 b) + export index"

typedef struct outcome {
    isorun_error_code code; /* ISORUN_ERR_OK when the call returned */
    isorun_trap_code trap;
    char message[200];
    uint32_t nresults;
    /* Values back to back, a v128 in two slots; bits as returned, but a
     * funcref as func_identity says. */
    wasm_slot results[MAX_RESULT_SLOTS];
    uint64_t fuel_left;
} outcome;

/* Whether values a and b of type t (at two slots for a v128) are the same:
 * bit for bit, except that the specification leaves the sign and payload
 * of an arithmetic NaN open, so float values are compared with NaNs made
 * canonical, and v128 values NaN lane by NaN lane (diff_same_v128). */
static bool same_value(uint8_t t, const wasm_slot *a, const wasm_slot *b) {
    if (t == WASM_V128) return diff_same_v128(a, b);
    return diff_canonical(t, *a) == diff_canonical(t, *b);
}

/* Whether `n` values of `types` at a and b are the same (same_value); a
 * sameness that needed NaNs' bits set aside is counted in *nan_bits. */
static bool same_values(const uint8_t *types, uint32_t n, const wasm_slot *a, const wasm_slot *b, uint64_t *nan_bits) {
    bool exact = true;
    for (uint32_t i = 0, slot = 0; i < n; slot += wasm_valtype_slots(types[i++])) {
        if (!same_value(types[i], &a[slot], &b[slot])) return false;
        exact &= memcmp(&a[slot], &b[slot], wasm_valtype_slots(types[i]) * sizeof *a) == 0;
    }
    if (!exact && nan_bits) (*nan_bits)++;
    return true;
}

static bool same_outcome(const outcome *a, const outcome *b, const wasm_functype *type, uint64_t *nan_bits) {
    if (a->code != b->code || a->trap != b->trap || a->nresults != b->nresults || a->fuel_left != b->fuel_left)
        return false;
    return a->code != ISORUN_ERR_OK ||
           same_values(wasm_functype_results(type), type->nresults, a->results, b->results, nan_bits);
}

/* A value of type t at v: a v128 as its i32x4 lanes (lane 0 first). */
static void print_value(FILE *out, uint8_t t, const wasm_slot *v) {
    if (t == WASM_V128)
        fprintf(out, "v128 i32x4 0x%08x 0x%08x 0x%08x 0x%08x", (uint32_t)v[0], (uint32_t)(v[0] >> 32),
                (uint32_t)v[1], (uint32_t)(v[1] >> 32));
    else
        fprintf(out, "%s 0x%" PRIx64, wasm_valtype_name(t), *v);
}

static void print_outcome(FILE *out, const char *tier, const outcome *o, const wasm_functype *type) {
    fprintf(out, "    %-24s ", tier);
    if (o->code != ISORUN_ERR_OK) {
        fprintf(out, "%s: %s", isorun_error_code_name(o->code), o->message);
    } else {
        fprintf(out, "returned (");
        bool funcs = false;
        for (uint32_t i = 0, slot = 0; i < o->nresults; i++) {
            uint8_t t = wasm_functype_results(type)[i];
            funcs |= t == WASM_FUNCREF;
            fprintf(out, "%s", i ? ", " : "");
            print_value(out, t, &o->results[slot]);
            slot += wasm_valtype_slots(t);
        }
        fprintf(out, ")%s", funcs ? " (funcref: " FUNC_IDENTITIES ")" : "");
    }
    fprintf(out, ", fuel left %" PRIu64 "\n", o->fuel_left);
}

/* ------------------------------------------------------------------------
 * Worlds: one store with its host and instances, in one combination of tiers
 * ------------------------------------------------------------------------ */

enum { INST_A = 0, INST_B = 1 }; /* the module under test; its provider */

/* A funcref argument, the same in every world although each world's
 * functions are different objects: 0 (null), or a tag in bits 32-39 with
 * the instance in bits 16-23 and
 *   ARG_EXPORT: the export index in bits 0-15 (a function export);
 *   ARG_TABLE:  the table's number in bits 8-15 ("t0", "t1") and the
 *               element's index in bits 0-7 (null past the end).
 * Other arguments, externrefs included, are the slot itself. */
enum { ARG_EXPORT = 1, ARG_TABLE = 2 };

typedef struct world {
    wasm_store *store;
    diff_host *host;
    wasm_instance *insts[2]; /* insts[INST_B] NULL without a provider */
    char name[64];
} world;

typedef struct call {
    uint32_t inst, export_index;
    wasm_slot args[MAX_PARAM_SLOTS]; /* back to back, a v128 in two slots; funcrefs as ARG_* says */
    uint64_t fuel;
} call;

typedef struct run {
    wasm_module *modules[2]; /* interpreted copies: for export names and types */
    uint32_t ninsts;
    world worlds[MAX_WORLDS]; /* worlds[0], all interpreted, is the reference */
    uint32_t nworlds;
    call log[MAX_LOGGED_CALLS];
    uint32_t ncalls;
    FILE *report;
    diff_stats *stats;
} run;

static const char *const inst_names[2] = {"a", "b"};

/* Links an import: the host's ("env"), or the provider's export ("b"). */
static bool resolve(world *w, const wasm_import *im, wasm_extern *out) {
    if (strcmp(im->module, "b") == 0)
        return w->insts[INST_B] && wasm_instance_export(w->insts[INST_B], im->name, out) && out->kind == im->kind;
    return diff_host_import(w->host, im, out);
}

static isorun_error *instantiate(world *w, wasm_module *m, wasm_instance **out) {
    uint32_t n = wasm_module_import_count(m);
    wasm_extern *imports = calloc(n ? n : 1, sizeof *imports);
    if (!imports) return isorun_error_new(ISORUN_ERR_NOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        const wasm_import *im = wasm_module_import(m, i);
        if (!resolve(w, im, &imports[i])) {
            free(imports);
            return isorun_error_new(ISORUN_ERR_UNLINKABLE, "no %s.%s to import", im->module, im->name);
        }
    }
    isorun_error *err = wasm_instantiate(w->store, m, imports, n, out);
    free(imports);
    return err;
}

/* Makes world w: the provider b (when there is one) first, then a. */
static bool make_world(run *r, world *w, wasm_module *a, wasm_module *b) {
    wasm_store_config cfg = {
        .max_call_depth = CALL_DEPTH, .max_memory_pages = MAX_PAGES, .max_table_elems = MAX_TABLE_ELEMS};
    w->store = wasm_store_new(&cfg);
    w->host = w->store ? diff_host_new(w->store) : NULL;
    if (!w->host) {
        fprintf(r->report, "%s: out of memory\n", w->name);
        return false;
    }
    for (int k = b ? INST_B : INST_A; k >= INST_A; k--) {
        isorun_error *err = instantiate(w, k == INST_B ? b : a, &w->insts[k]);
        if (err) {
            fprintf(r->report, "%s: cannot instantiate %s: %s\n", w->name, inst_names[k], isorun_error_message(err));
            isorun_error_free(err);
            return false;
        }
    }
    return true;
}

static void free_world(world *w) {
    if (w->store) wasm_store_free(w->store);
    diff_host_free(w->host);
}

/* ------------------------------------------------------------------------
 * The calls, and what they leave behind
 * ------------------------------------------------------------------------ */

static void print_call(const run *r, const call *c) {
    const wasm_module *m = r->modules[c->inst];
    const wasm_export *e = wasm_module_export(m, c->export_index);
    const wasm_functype *type = wasm_module_func_type(m, e->index);
    fprintf(r->report, "%s.%s(", inst_names[c->inst], e->name);
    for (uint32_t i = 0, slot = 0; i < type->nparams; slot += wasm_valtype_slots(wasm_functype_params(type)[i++])) {
        uint8_t t = wasm_functype_params(type)[i];
        wasm_slot a = c->args[slot];
        uint32_t inst = (uint32_t)(a >> 16) & 0xFF;
        fprintf(r->report, "%s", i ? ", " : "");
        if (t != WASM_FUNCREF)
            print_value(r->report, t, &c->args[slot]);
        else if ((a >> 32) == ARG_EXPORT)
            fprintf(r->report, "funcref %s.%s", inst_names[inst],
                    wasm_module_export(r->modules[inst], (uint32_t)a & 0xFFFF)->name);
        else if ((a >> 32) == ARG_TABLE)
            fprintf(r->report, "funcref %s.t%u[%u]", inst_names[inst], (uint32_t)(a >> 8) & 0xFF, (uint32_t)a & 0xFF);
        else
            fprintf(r->report, "funcref null");
    }
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

/* Which function a funcref denotes, the same way in every world: 0 for
 * null, a host function by its number, a wasm function by the instance
 * and export that give it (every defined function is exported); NO_FUNC
 * when none does. */
static uint32_t func_identity(const run *r, const world *w, wasm_slot ref) {
    if (!ref) return 0;
    const wasm_func *f = (const wasm_func *)(uintptr_t)ref;
    int host = diff_host_func_index(w->host, f);
    if (host >= 0) return 0x100u + (uint32_t)host;
    for (uint32_t k = 0; k < r->ninsts; k++) {
        for (uint32_t i = 0; i < wasm_module_export_count(r->modules[k]); i++) {
            const wasm_export *e = wasm_module_export(r->modules[k], i);
            wasm_extern x;
            if (e->kind == WASM_EXTERN_FUNC && wasm_instance_export(w->insts[k], e->name, &x) && x.u.func == f)
                return 0x1000u * (k + 1) + i;
        }
    }
    return NO_FUNC;
}

/* Compares world w's table `name` of instance k with the reference's. */
static bool same_table(run *r, uint32_t k, const char *name, const world *w) {
    const world *ref = &r->worlds[0];
    wasm_extern t[2];
    if (!wasm_instance_export(ref->insts[k], name, &t[0]) || !wasm_instance_export(w->insts[k], name, &t[1]))
        return false;
    uint32_t size[2] = {wasm_table_size(t[0].u.table), wasm_table_size(t[1].u.table)};
    if (size[0] != size[1]) {
        fprintf(r->report, "  table %s.%s size differs: %s %u, %s %u\n", inst_names[k], name, ref->name, size[0],
                w->name, size[1]);
        return false;
    }
    bool funcs = wasm_table_type(t[0].u.table).elem == WASM_FUNCREF;
    for (uint32_t i = 0; i < size[0]; i++) {
        wasm_slot v[2];
        wasm_table_get(t[0].u.table, i, &v[0]);
        wasm_table_get(t[1].u.table, i, &v[1]);
        /* externrefs are the host's own values: compared as they are. */
        uint64_t id[2] = {funcs ? func_identity(r, ref, v[0]) : v[0], funcs ? func_identity(r, w, v[1]) : v[1]};
        if (id[0] != id[1]) {
            fprintf(r->report, "  table %s.%s[%u] differs: %s 0x%" PRIx64 ", %s 0x%" PRIx64 "%s\n", inst_names[k], name,
                    i, ref->name, id[0], w->name, id[1], funcs ? " (function identities: " FUNC_IDENTITIES ")" : "");
            return false;
        }
    }
    return true;
}

/* Compares instance k's memory of world w with the reference's. */
static bool same_memory(run *r, uint32_t k, const world *w) {
    const world *ref = &r->worlds[0];
    wasm_memory *mem[2] = {wasm_instance_memory(ref->insts[k]), wasm_instance_memory(w->insts[k])};
    uint64_t size[2] = {wasm_memory_size_bytes(mem[0]), wasm_memory_size_bytes(mem[1])};
    if (size[0] != size[1]) {
        fprintf(r->report, "  %s's memory size differs: %s %" PRIu64 " bytes, %s %" PRIu64 "\n", inst_names[k],
                ref->name, size[0], w->name, size[1]);
        return false;
    }
    const uint8_t *data[2] = {wasm_memory_data(mem[0]), wasm_memory_data(mem[1])};
    if (memcmp(data[0], data[1], size[0]) == 0) return true;
    uint64_t at = 0;
    while (data[0][at] == data[1][at]) at++;
    fprintf(r->report, "  %s's memory differs from offset 0x%" PRIx64 ":\n", inst_names[k], at);
    for (int j = 0; j < 2; j++) {
        fprintf(r->report, "    %-28s", j ? w->name : ref->name);
        for (uint64_t i = at; i < at + 16 && i < size[0]; i++) fprintf(r->report, " %02x", data[j][i]);
        fprintf(r->report, "\n");
    }
    return false;
}

/* Compares world w's memories, globals, tables and host with the
 * reference's; describes the first difference. */
static bool same_state(run *r, const world *w) {
    const world *ref = &r->worlds[0];
    if (diff_host_calls(ref->host) != diff_host_calls(w->host)) {
        fprintf(r->report, "  host calls differ: %s %" PRIu64 ", %s %" PRIu64 "\n", ref->name,
                diff_host_calls(ref->host), w->name, diff_host_calls(w->host));
        return false;
    }
    for (uint32_t k = 0; k < r->ninsts; k++) {
        if (!same_memory(r, k, w)) return false;
        for (uint32_t i = 0; i < wasm_module_export_count(r->modules[k]); i++) {
            const wasm_export *e = wasm_module_export(r->modules[k], i);
            if (e->kind == WASM_EXTERN_TABLE && !same_table(r, k, e->name, w)) return false;
            if (e->kind != WASM_EXTERN_GLOBAL) continue;
            wasm_extern g[2];
            if (!wasm_instance_export(ref->insts[k], e->name, &g[0]) || !wasm_instance_export(w->insts[k], e->name, &g[1]))
                return false;
            uint8_t type = wasm_global_type(g[0].u.global).type;
            wasm_slot v[2][2];
            wasm_global_get_slots(g[0].u.global, v[0]);
            wasm_global_get_slots(g[1].u.global, v[1]);
            if (type == WASM_FUNCREF) v[0][0] = func_identity(r, ref, v[0][0]), v[1][0] = func_identity(r, w, v[1][0]);
            if (!same_values(&type, 1, v[0], v[1], r->stats ? &r->stats->nan_bits : NULL)) {
                fprintf(r->report, "  global %s.%s differs: %s ", inst_names[k], e->name, ref->name);
                print_value(r->report, type, v[0]);
                fprintf(r->report, ", %s ", w->name);
                print_value(r->report, type, v[1]);
                fprintf(r->report, "%s\n", type == WASM_FUNCREF ? " (function identities: " FUNC_IDENTITIES ")" : "");
                return false;
            }
        }
    }
    return true;
}

/* World w's slot for argument a of type t (ARG_* for funcrefs). */
static wasm_slot resolve_arg(const run *r, const world *w, uint8_t t, wasm_slot a) {
    if (t != WASM_FUNCREF || !a) return a;
    uint32_t inst = (uint32_t)(a >> 16) & 0xFF;
    if (inst >= r->ninsts) return 0;
    wasm_extern x;
    if ((a >> 32) == ARG_EXPORT) {
        const wasm_export *e = wasm_module_export(r->modules[inst], (uint32_t)a & 0xFFFF);
        return wasm_instance_export(w->insts[inst], e->name, &x) && x.kind == WASM_EXTERN_FUNC
                   ? (wasm_slot)(uintptr_t)x.u.func
                   : 0;
    }
    char name[8];
    snprintf(name, sizeof name, "t%u", (uint32_t)(a >> 8) & 0xFF);
    wasm_slot v = 0;
    if (wasm_instance_export(w->insts[inst], name, &x) && x.kind == WASM_EXTERN_TABLE &&
        wasm_table_type(x.u.table).elem == WASM_FUNCREF && !wasm_table_get(x.u.table, (uint32_t)a & 0xFF, &v))
        v = 0;
    return v;
}

/* Calls f in world w with the arguments of call c (resolved there). */
static outcome call_once(const run *r, const world *w, wasm_func *f, const call *c) {
    outcome o = {0};
    const wasm_functype *type = wasm_func_type(f);
    if (wasm_functype_param_slots(type) > MAX_PARAM_SLOTS || wasm_functype_result_slots(type) > MAX_RESULT_SLOTS) {
        o.code = ISORUN_ERR_ARGUMENT;
        snprintf(o.message, sizeof o.message, "the harness has no room for this signature");
        return o;
    }
    wasm_slot args[MAX_PARAM_SLOTS] = {0}, results[MAX_RESULT_SLOTS] = {0};
    for (uint32_t slot = 0; slot < wasm_functype_param_slots(type); slot++) args[slot] = c->args[slot];
    for (uint32_t i = 0, slot = 0; i < type->nparams; slot += wasm_valtype_slots(wasm_functype_params(type)[i++]))
        args[slot] = resolve_arg(r, w, wasm_functype_params(type)[i], c->args[slot]);
    isorun_error *err = wasm_call(w->store, f, args, results);
    if (err) {
        o.code = isorun_error_code_of(err);
        o.trap = isorun_error_trap(err);
        snprintf(o.message, sizeof o.message, "%s", isorun_error_message(err));
        isorun_error_free(err);
    } else {
        o.nresults = type->nresults;
        memcpy(o.results, results, sizeof o.results);
        for (uint32_t i = 0, slot = 0; i < o.nresults; slot += wasm_valtype_slots(wasm_functype_results(type)[i++]))
            if (wasm_functype_results(type)[i] == WASM_FUNCREF) o.results[slot] = func_identity(r, w, results[slot]);
    }
    o.fuel_left = wasm_store_fuel(w->store);
    return o;
}

/* Makes the call in every world and compares each with the reference;
 * false on a mismatch. */
static bool call_all(run *r, uint32_t inst, uint32_t export_index, const wasm_slot *args, uint64_t fuel) {
    const wasm_export *e = wasm_module_export(r->modules[inst], export_index);
    call c = {.inst = inst, .export_index = export_index, .fuel = fuel};
    memcpy(c.args, args, sizeof c.args);
    if (r->ncalls < MAX_LOGGED_CALLS) r->log[r->ncalls++] = c;
    outcome o[MAX_WORLDS];
    const wasm_functype *type = wasm_module_func_type(r->modules[inst], e->index);
    for (uint32_t k = 0; k < r->nworlds; k++) {
        wasm_extern ext;
        if (!wasm_instance_export(r->worlds[k].insts[inst], e->name, &ext) || ext.kind != WASM_EXTERN_FUNC) return false;
        wasm_store_set_fuel(r->worlds[k].store, true, fuel);
        o[k] = call_once(r, &r->worlds[k], ext.u.func, &c);
    }
    if (r->stats) {
        const outcome *seen = &o[0];
        r->stats->calls++;
        r->stats->returned += seen->code == ISORUN_ERR_OK;
        r->stats->other_errors += seen->code != ISORUN_ERR_OK && seen->code != ISORUN_ERR_TRAP;
        if (seen->code == ISORUN_ERR_TRAP && seen->trap < ISORUN_TRAP_COUNT_) r->stats->traps[seen->trap]++;
    }
    for (uint32_t k = 1; k < r->nworlds; k++) {
        bool same = same_outcome(&o[0], &o[k], type, r->stats ? &r->stats->nan_bits : NULL);
        if (!same) {
            fprintf(r->report, "  the outcomes differ:\n");
            print_outcome(r->report, r->worlds[0].name, &o[0], type);
            print_outcome(r->report, r->worlds[k].name, &o[k], type);
        }
        if (same) same = same_state(r, &r->worlds[k]);
        if (!same) {
            print_history(r);
            return false;
        }
    }
    return true;
}

static uint64_t random_budget(gen_source *args, int which) {
    switch (which) {
    case 0: return 200000;                        /* enough for almost anything */
    case 1: return 200 + gen_below(args, 3000);   /* runs out in longer loops */
    default: return gen_below(args, 150);         /* runs out early, often in the first call */
    }
}

/* An argument of any type but v128 (random_arg). */
static wasm_slot random_scalar_arg(const run *r, gen_source *args, uint8_t t) {
    if (t == WASM_EXTERNREF) {
        uint32_t how = gen_below(args, 4);
        if (how == 0) return 0;
        if (how == 3) return gen_u64(args) | 1;
        return (0xABull << 40) | ((uint64_t)gen_below(args, 256) << 1) | 1;
    }
    if (t != WASM_FUNCREF) return gen_constant_bits(args, t);
    uint32_t how = gen_below(args, 3), inst = gen_below(args, r->ninsts);
    if (how == 0) return 0;
    if (how == 1) {
        const wasm_module *m = r->modules[inst];
        uint32_t nfuncs = 0;
        for (uint32_t i = 0; i < wasm_module_export_count(m); i++)
            nfuncs += wasm_module_export(m, i)->kind == WASM_EXTERN_FUNC;
        uint32_t pick = gen_below(args, nfuncs);
        for (uint32_t i = 0; i < wasm_module_export_count(m); i++)
            if (wasm_module_export(m, i)->kind == WASM_EXTERN_FUNC && pick-- == 0)
                return ((wasm_slot)ARG_EXPORT << 32) | (inst << 16) | i;
        return 0;
    }
    return ((wasm_slot)ARG_TABLE << 32) | (inst << 16) | (gen_below(args, 2) << 8) | gen_below(args, 12);
}

/* An argument of type t at out (two slots for a v128; a funcref as ARG_*
 * says): numbers mostly edge cases; references null or not, a funcref one
 * of the instances' functions or a table element (which may be null, or
 * past the end). */
static void random_arg(const run *r, gen_source *args, uint8_t t, wasm_slot *out) {
    if (t == WASM_V128) {
        uint8_t bytes[16];
        gen_v128_constant(args, bytes);
        memcpy(out, bytes, sizeof bytes);
        return;
    }
    *out = random_scalar_arg(r, args, t);
}

void diff_stats_add(diff_stats *into, const diff_stats *s) {
    into->calls += s->calls;
    into->nan_bits += s->nan_bits;
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
    if (s->nan_bits) fprintf(out, "; %" PRIu64 " comparisons agreed only with NaN bits set aside", s->nan_bits);
    fprintf(out, "\n");
}

diff_status diff_compare(wasm_module *const tiers[2], wasm_module *const provider[2], gen_source *args, FILE *report,
                         diff_stats *stats) {
    run *r = calloc(1, sizeof *r);
    if (!r) return DIFF_SETUP;
    r->modules[INST_A] = tiers[DIFF_INTERP];
    r->modules[INST_B] = provider ? provider[DIFF_INTERP] : NULL;
    r->ninsts = provider ? 2 : 1;
    r->report = report;
    r->stats = stats;
    /* Alone: interpreted, native. In a pair: every combination, the
     * reference (both interpreted) first. */
    r->nworlds = provider ? 4 : 2;
    diff_status status = DIFF_SAME;
    for (uint32_t k = 0; k < r->nworlds && status == DIFF_SAME; k++) {
        world *w = &r->worlds[k];
        int ta = (int)(k & 1), tb = (int)(k >> 1);
        /* Tier 1 is an interpreted copy too when diff_load_interpreted made it. */
        const char *tier1 = wasm_module_is_native(tiers[DIFF_NATIVE]) ? "native" : "interpreted again";
        if (provider)
            snprintf(w->name, sizeof w->name, "a %s, b %s", ta ? tier1 : "interpreted", tb ? tier1 : "interpreted");
        else
            snprintf(w->name, sizeof w->name, "%s", ta ? tier1 : "interpreted");
        if (!make_world(r, w, tiers[ta], provider ? provider[tb] : NULL)) status = DIFF_SETUP;
    }
    for (uint32_t k = 1; k < r->nworlds && status == DIFF_SAME; k++)
        if (!same_state(r, &r->worlds[k])) status = DIFF_MISMATCH;
    for (uint32_t inst = 0; inst < r->ninsts; inst++) {
        for (uint32_t i = 0; status == DIFF_SAME && i < wasm_module_export_count(r->modules[inst]); i++) {
            const wasm_export *e = wasm_module_export(r->modules[inst], i);
            if (e->kind != WASM_EXTERN_FUNC) continue;
            const wasm_functype *type = wasm_module_func_type(r->modules[inst], e->index);
            for (int set = 0; set < ARG_SETS && status == DIFF_SAME; set++) {
                wasm_slot a[MAX_PARAM_SLOTS] = {0};
                for (uint32_t p = 0, slot = 0; p < type->nparams; slot += wasm_valtype_slots(wasm_functype_params(type)[p++]))
                    if (slot + wasm_valtype_slots(wasm_functype_params(type)[p]) <= MAX_PARAM_SLOTS)
                        random_arg(r, args, wasm_functype_params(type)[p], &a[slot]);
                for (int b = 0; b < 3 && status == DIFF_SAME; b++)
                    if (!call_all(r, inst, i, a, random_budget(args, b))) status = DIFF_MISMATCH;
            }
        }
    }
    for (uint32_t k = 0; k < r->nworlds; k++) free_world(&r->worlds[k]);
    free(r);
    return status;
}
