/* legacy_run.c — interim (see legacy_run.h): `isorun run` for WASI programs
 * on the engine and WASI layers directly. */
#include "legacy_run.h"

#include "cli.h"
#include "deadline.h"
#include "guest_env.h"
#include "report.h"
#include "values.h"
#include "wasi/wasi.h"
#include "wasm/wasm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything one run owns, freed together. */
typedef struct run_state {
    uint8_t *bytes;
    size_t len;
    wasm_module *module;
    wasm_store *store;
    wasi_ctx *wasi;
    wasm_extern *imports;
    wasm_instance *instance;
} run_state;

static void run_state_free(run_state *st) {
    wasm_store_free(st->store); /* before the context its host functions use */
    wasi_ctx_free(st->wasi);
    wasm_module_free(st->module);
    free(st->imports);
    free(st->bytes);
}

static int report_error(const char *what, isorun_error *err) {
    fprintf(stderr, "isorun: %s%s%s\n", what ? what : "", what ? ": " : "", isorun_error_message(err));
    isorun_error_free(err);
    return CLI_EXIT_ERROR;
}

/* The end of a call into the guest: its exit status, a trap, or an error. */
static int finish_call(run_state *st, isorun_error *err) {
    if (!err) return 0;
    if (isorun_error_code_of(err) == ISORUN_ERR_EXIT) {
        /* The context keeps the status too, should the error itself have
         * been the shared out-of-memory one. */
        uint32_t code = (uint32_t)isorun_error_exit_code(err);
        if (code == 0) wasi_ctx_exited(st->wasi, &code);
        isorun_error_free(err);
        return (int)(code & 0xFF); /* what the OS keeps, as for a native program */
    }
    return report_outcome(err, "guest", 0);
}

static int read_file(const char *path, run_state *st) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "isorun: cannot open %s: %s\n", path, strerror(errno));
        return CLI_EXIT_ERROR;
    }
    size_t cap = 1 << 16;
    st->bytes = malloc(cap);
    for (size_t n; st->bytes && (n = fread(st->bytes + st->len, 1, cap - st->len, f)) > 0;) {
        st->len += n;
        if (st->len == cap) {
            uint8_t *grown = cap <= SIZE_MAX / 2 ? realloc(st->bytes, cap * 2) : NULL;
            if (!grown) {
                free(st->bytes);
                st->bytes = NULL;
                break;
            }
            st->bytes = grown;
            cap *= 2;
        }
    }
    int failed = !st->bytes || ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "isorun: cannot read %s\n", path);
        return CLI_EXIT_ERROR;
    }
    return 0;
}

static int configure_wasi(const run_options *o, run_state *st) {
    st->wasi = wasi_ctx_new();
    if (!st->wasi) return report_error(NULL, isr_error_nomem());
    if (o->grants & ISORUN_WASI_CLOCKS) wasi_ctx_grant(st->wasi, WASI_CAP_CLOCKS);
    if (o->grants & ISORUN_WASI_RANDOM) wasi_ctx_grant(st->wasi, WASI_CAP_RANDOM);
    /* argv[0] is the file; with --invoke the ARGS are values, not argv. */
    int argc = o->invoke ? 1 : 1 + o->nargs;
    const char **argv = malloc(sizeof *argv * (size_t)argc);
    if (!argv) return report_error(NULL, isr_error_nomem());
    argv[0] = o->file;
    for (int i = 1; i < argc; i++) argv[i] = o->args[i - 1];
    isorun_error *err = wasi_ctx_set_args(st->wasi, argc, argv);
    free(argv);
    if (err) return report_error(NULL, err);
    if (o->nmounts) {
        fprintf(stderr, "isorun: --dir: this build's WASI layer has no filesystem yet\n");
        return CLI_EXIT_ERROR;
    }
    int nenv;
    const char **env = guest_env_build(o, &nenv);
    if (!env) return report_error(NULL, isr_error_nomem());
    for (int i = 0; i < nenv && !err; i++) err = wasi_ctx_add_env(st->wasi, env[i]);
    free(env);
    if (err) return report_error(NULL, err);
    return 0;
}

static int resolve_imports(run_state *st) {
    uint32_t n = wasm_module_import_count(st->module);
    st->imports = calloc(n ? n : 1, sizeof *st->imports);
    if (!st->imports) return report_error(NULL, isr_error_nomem());
    for (uint32_t i = 0; i < n; i++) {
        const wasm_import *imp = wasm_module_import(st->module, i);
        if (imp->kind != WASM_EXTERN_FUNC || !wasi_is_module(imp->module, imp->module_len)) {
            fprintf(stderr, "isorun: unknown import %s.%s (only %s functions are provided)\n", imp->module,
                    imp->name, WASI_MODULE_NAME);
            return CLI_EXIT_ERROR;
        }
        st->imports[i].kind = WASM_EXTERN_FUNC;
        isorun_error *err = wasi_import_func(st->wasi, st->store, imp->name, imp->name_len,
                                             wasm_module_type(st->module, imp->u.type_index), &st->imports[i].u.func);
        if (err) return report_error(NULL, err);
    }
    return 0;
}

/* Looks up an exported function; NULL (and a message) when there is none. */
static wasm_func *export_func(run_state *st, const char *name, bool required) {
    wasm_extern ext;
    if (wasm_instance_export(st->instance, name, &ext) && ext.kind == WASM_EXTERN_FUNC) return ext.u.func;
    if (required) fprintf(stderr, "isorun: the module exports no function \"%s\"\n", name);
    return NULL;
}

static isorun_kind kind_of(uint8_t t) {
    return t == WASM_I32 ? ISORUN_I32 : t == WASM_I64 ? ISORUN_I64 : t == WASM_F32 ? ISORUN_F32 : t == WASM_F64 ? ISORUN_F64 : ISORUN_KIND_COUNT_;
}

static wasm_slot slot_of(const isorun_val *v) {
    uint32_t b32;
    uint64_t b64;
    switch (v->kind) {
    case ISORUN_I32: return (uint32_t)v->of.i32;
    case ISORUN_I64: return (uint64_t)v->of.i64;
    case ISORUN_F32: memcpy(&b32, &v->of.f32, 4); return b32;
    default: memcpy(&b64, &v->of.f64, 8); return b64;
    }
}

static isorun_val val_of(uint8_t t, wasm_slot s) {
    uint32_t b32 = (uint32_t)s;
    isorun_val v = isorun_val_i64((int64_t)s);
    if (t == WASM_I32) v = isorun_val_i32((int32_t)b32);
    if (t == WASM_F32) { v.kind = ISORUN_F32; memcpy(&v.of.f32, &b32, 4); }
    if (t == WASM_F64) { v.kind = ISORUN_F64; memcpy(&v.of.f64, &s, 8); }
    return v;
}

static int invoke(const run_options *o, run_state *st) {
    wasm_func *init = export_func(st, "_initialize", false);
    if (init) {
        int status = finish_call(st, wasm_call(st->store, init, NULL, NULL));
        if (status || wasi_ctx_exited(st->wasi, NULL)) return status;
    }
    wasm_func *f = export_func(st, o->invoke, true);
    if (!f) return CLI_EXIT_ERROR;
    const wasm_functype *type = wasm_func_type(f);
    if ((uint32_t)o->nargs != type->nparams) {
        fprintf(stderr, "isorun: %s takes %u argument%s, %d given\n", o->invoke, type->nparams,
                type->nparams == 1 ? "" : "s", o->nargs);
        return CLI_EXIT_ERROR;
    }
    size_t nslots = type->nparams > type->nresults ? type->nparams : type->nresults;
    wasm_slot *args = calloc(nslots ? nslots : 1, sizeof *args);
    wasm_slot *results = calloc(nslots ? nslots : 1, sizeof *results);
    int status = 0;
    if (!args || !results) status = report_error(NULL, isr_error_nomem());
    for (uint32_t i = 0; status == 0 && i < type->nparams; i++) {
        uint8_t t = wasm_functype_params(type)[i];
        isorun_val v;
        if (cli_value_parse(o->args[i], kind_of(t), &v)) {
            args[i] = slot_of(&v);
        } else {
            fprintf(stderr, "isorun: argument %u of %s: \"%s\" is not a valid %s\n", i + 1, o->invoke, o->args[i],
                    wasm_valtype_name(t));
            status = CLI_EXIT_ERROR;
        }
    }
    if (status == 0) status = finish_call(st, wasm_call(st->store, f, args, results));
    if (status == 0 && !wasi_ctx_exited(st->wasi, NULL))
        for (uint32_t i = 0; i < type->nresults; i++) {
            isorun_val v = val_of(wasm_functype_results(type)[i], results[i]);
            cli_value_print(stdout, &v);
        }
    free(args);
    free(results);
    return status;
}

int legacy_run(const run_options *o) {
    run_state st = {0};
    int status = read_file(o->file, &st);
    isorun_error *err = NULL;
    if (status == 0 && (err = wasm_module_new(st.bytes, st.len, &st.module))) status = report_error(o->file, err);
    atomic_int interrupt = 0;
    wasm_store_config cfg = {.max_call_depth = o->budget.max_call_depth,
                             .max_memory_bytes = o->budget.max_memory_bytes,
                             .interrupt = o->budget.deadline_ns ? &interrupt : NULL};
    if (status == 0 && !(st.store = wasm_store_new(&cfg))) status = report_error(NULL, isr_error_nomem());
    if (status == 0 && o->budget.fuel) wasm_store_set_fuel(st.store, true, o->budget.fuel);
    if (status == 0) status = configure_wasi(o, &st);
    if (status == 0) status = resolve_imports(&st);
    deadline *watchdog = NULL;
    if (status == 0 && o->budget.deadline_ns && !(watchdog = deadline_start(&interrupt, o->budget.deadline_ns))) {
        fprintf(stderr, "isorun: cannot start the --timeout thread\n");
        status = CLI_EXIT_ERROR;
    }
    if (status == 0) {
        err = wasm_instantiate(st.store, st.module, st.imports, wasm_module_import_count(st.module), &st.instance);
        /* A trap or proc_exit in the start function is the guest's doing. */
        if (err && (isorun_error_trap(err) != ISORUN_TRAP_NONE || isorun_error_code_of(err) == ISORUN_ERR_EXIT))
            status = finish_call(&st, err);
        else if (err)
            status = report_error(o->file, err);
    }
    if (status == 0 && st.instance) {
        if (o->invoke) {
            status = invoke(o, &st);
        } else {
            wasm_func *start = export_func(&st, "_start", false);
            if (start) {
                status = finish_call(&st, wasm_call(st.store, start, NULL, NULL));
            } else {
                fprintf(stderr, "isorun: %s exports no _start: use --invoke NAME to call a function\n", o->file);
                status = CLI_EXIT_ERROR;
            }
        }
    }
    deadline_stop(watchdog);
    run_state_free(&st);
    return status;
}
