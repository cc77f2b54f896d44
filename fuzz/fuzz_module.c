/*
 * fuzz_module.c — the fuzzing entry point: any byte string goes through
 * wasm_module_new, and whatever loads is instantiated and run under small
 * limits. The engine must answer every input with a module or an error, and
 * every run with results or a trap: never a crash, a hang, a leak or
 * undefined behaviour (the sanitizers watch for those).
 *
 * Built two ways (fuzz/CMakeLists.txt): with libFuzzer (clang
 * -fsanitize=fuzzer) for fuzzing, and with replay_main.c as a plain program
 * that replays saved inputs in every build's test suite.
 */
#include "../src/wasm/wasm.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small enough that each input runs in milliseconds, large enough that real
 * programs (the spec suite's seeds) get somewhere. */
enum {
    FUZZ_MAX_CALL_DEPTH = 200,
    FUZZ_MAX_MEMORY_PAGES = 16,
    FUZZ_MAX_TABLE_ELEMS = 10000,
    FUZZ_STACK_SLOTS = 64 * 1024,
    FUZZ_FUEL_PER_CALL = 100000,
    FUZZ_MAX_EXPORT_CALLS = 8,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by replay_main.c's -v: say what happened to each input on stderr, to
 * check that an input gets as far as it should. Off under libFuzzer. */
int fuzz_verbose;

static void report(const char *stage, const isorun_error *err) {
    if (!fuzz_verbose) return;
    if (err)
        fprintf(stderr, "  %s: %s: %s\n", stage, isorun_error_code_name(isorun_error_code_of(err)),
                isorun_error_message(err));
    else
        fprintf(stderr, "  %s: ok\n", stage);
}

/* A host function standing in for any imported one: every result is zero
 * (every slot: a v128 takes two). */
static isorun_error *return_zeros(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)ctx;
    const wasm_functype *type = env;
    for (uint32_t i = 0; i < wasm_functype_result_slots(type); i++) slots[i] = 0;
    return NULL;
}

/* Makes a fresh object of the import's kind and type. False when the store
 * refuses (e.g. a memory import larger than the fuzzing cap): the input is
 * then simply not instantiated. */
static bool make_dummy_import(wasm_store *store, const wasm_module *module, const wasm_import *import,
                              wasm_extern *out) {
    out->kind = import->kind;
    switch (import->kind) {
    case WASM_EXTERN_FUNC: {
        const wasm_functype *type = wasm_module_type(module, import->u.type_index);
        if (!type) return false;
        /* The store copies the type, and env points at the module's copy,
         * which outlives the store here. */
        out->u.func = wasm_func_new_host(store, type, return_zeros, (void *)type, NULL);
        return out->u.func != NULL;
    }
    case WASM_EXTERN_TABLE:
        out->u.table = wasm_table_new(store, import->u.table, 0);
        return out->u.table != NULL;
    case WASM_EXTERN_MEMORY:
        out->u.memory = wasm_memory_new(store, import->u.memory);
        return out->u.memory != NULL;
    case WASM_EXTERN_GLOBAL:
        out->u.global = wasm_global_new(store, import->u.global, 0);
        return out->u.global != NULL;
    }
    return false;
}

/* Calls up to FUZZ_MAX_EXPORT_CALLS exported functions with all-zero
 * arguments, each with a fresh fuel budget. Traps are expected outcomes. */
static void call_exports(wasm_store *store, wasm_module *module, wasm_instance *instance) {
    uint32_t calls = 0;
    for (uint32_t i = 0; i < wasm_module_export_count(module) && calls < FUZZ_MAX_EXPORT_CALLS; i++) {
        const wasm_export *export = wasm_module_export(module, i);
        if (export->kind != WASM_EXTERN_FUNC) continue;
        wasm_extern ext;
        if (!wasm_instance_export(instance, export->name, &ext) || ext.kind != WASM_EXTERN_FUNC) continue;
        const wasm_functype *type = wasm_func_type(ext.u.func);
        uint32_t nargs = wasm_functype_param_slots(type), nresults = wasm_functype_result_slots(type);
        wasm_slot *args = calloc(nargs ? nargs : 1, sizeof *args);
        wasm_slot *results = calloc(nresults ? nresults : 1, sizeof *results);
        if (args && results) {
            wasm_store_set_fuel(store, true, FUZZ_FUEL_PER_CALL);
            isorun_error *err = wasm_call(store, ext.u.func, args, results);
            if (fuzz_verbose) {
                char stage[96];
                snprintf(stage, sizeof stage, "call %.80s", export->name);
                report(stage, err);
            }
            isorun_error_free(err);
        }
        free(args);
        free(results);
        calls++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    wasm_module *module = NULL;
    isorun_error *err = wasm_module_new(data, size, &module);
    report("load", err);
    if (err) {
        isorun_error_free(err);
        return 0;
    }

    wasm_store_config config = {
        .max_call_depth = FUZZ_MAX_CALL_DEPTH,
        .stack_slots = FUZZ_STACK_SLOTS,
        .max_memory_pages = FUZZ_MAX_MEMORY_PAGES,
        .max_table_elems = FUZZ_MAX_TABLE_ELEMS,
    };
    wasm_store *store = wasm_store_new(&config);
    if (!store) {
        wasm_module_free(module);
        return 0;
    }
    /* The start function runs inside wasm_instantiate, on this budget. */
    wasm_store_set_fuel(store, true, FUZZ_FUEL_PER_CALL);

    uint32_t nimports = wasm_module_import_count(module);
    wasm_extern *imports = calloc(nimports ? nimports : 1, sizeof *imports);
    bool linked = imports != NULL;
    for (uint32_t i = 0; linked && i < nimports; i++)
        linked = make_dummy_import(store, module, wasm_module_import(module, i), &imports[i]);

    if (!linked && fuzz_verbose) fprintf(stderr, "  imports: cannot make them within the limits\n");
    if (linked) {
        wasm_instance *instance = NULL;
        err = wasm_instantiate(store, module, imports, nimports, &instance);
        report("instantiate", err);
        if (err)
            isorun_error_free(err);
        else
            call_exports(store, module, instance);
    }

    free(imports);
    wasm_store_free(store);
    wasm_module_free(module);
    return 0;
}
