/* run.c — `isorun run`: load the module, grant what the flags say, build
 * the instance under its budget, call _start or --invoke's export, report.
 * Only the public API (isorun.h) is used. */
#include "run.h"

#include "cli.h"
#include "links.h"
#include "module_info.h"
#include "module_load.h"
#include "report.h"
#include "run_options.h"
#include "values.h"
#include "wasi_setup.h"

#include "isorun.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Everything one run owns, freed together. */
typedef struct run_state {
    isorun_runtime *rt;
    isorun_module *module;
    isorun_builder *builder;
    isorun_instance *instance;
    isorun_val *args; /* --invoke's parsed arguments */
    isorun_functype type; /* --invoke's export */
    cli_link_state links; /* --link's transports and providers */
    bool exited; /* the guest called proc_exit: nothing more of it runs */
} run_state;

static void run_state_free(run_state *st) {
    isorun_instance_free(st->instance);
    isorun_builder_free(st->builder);
    cli_link_state_free(&st->links);
    isorun_module_free(st->module);
    isorun_runtime_free(st->rt);
    free(st->args);
}

/* Every import must come from a module isorun run can provide; say which
 * one cannot before anything is built. */
static int check_imports(const run_options *o, const run_state *st) {
    isorun_item_info info;
    for (size_t i = 0; isorun_module_import(st->module, i, &info); i++) {
        if (info.kind == ISORUN_EXTERN_FUNC && strcmp(info.module, "wasi_snapshot_preview1") == 0) continue;
        if (info.kind == ISORUN_EXTERN_FUNC && cli_links_cover(o->links, o->nlinks, info.module)) continue;
        if (info.kind != ISORUN_EXTERN_FUNC)
            return cli_error("%s imports %s \"%s\".\"%s\": isorun run provides only functions", o->file,
                             info.kind == ISORUN_EXTERN_MEMORY  ? "memory"
                             : info.kind == ISORUN_EXTERN_TABLE ? "table"
                                                                : "global",
                             info.module, info.name);
        char type[256];
        functype_describe(&info.type, type, sizeof type);
        return cli_error("%s imports function \"%s\".\"%s\" %s, which nothing provides: isorun run provides "
                         "wasi_snapshot_preview1, and what --link %s=... links",
                         o->file, info.module, info.name, type, info.module);
    }
    return 0;
}

static int no_start(const run_options *o, run_state *st) {
    char exports[256];
    module_list_functions(st->module, exports, sizeof exports);
    return cli_error("%s exports no _start: use --invoke NAME to call one of its functions%s%s", o->file,
                     exports[0] ? ": " : "", exports);
}

/* Before anything runs: --invoke's export exists and ARGS parse as its
 * parameters. (A missing _start is reported after instantiation: the
 * module's start function is code the user asked to run too.) */
static int check_invoke(const run_options *o, run_state *st) {
    char exports[256];
    if (!module_function_export(st->module, o->invoke, &st->type)) {
        module_list_functions(st->module, exports, sizeof exports);
        return cli_error("%s exports no function \"%s\"%s%s", o->file, o->invoke,
                         exports[0] ? "; it exports: " : "", exports);
    }
    const isorun_functype *t = &st->type;
    if ((uint32_t)o->nargs != t->nparams)
        return cli_error("%s takes %u argument%s, %d given", o->invoke, t->nparams, t->nparams == 1 ? "" : "s",
                         o->nargs);
    for (uint32_t i = 0; i < t->nparams + t->nresults; i++) {
        isorun_kind k = i < t->nparams ? t->params[i] : t->results[i - t->nparams];
        if (k != ISORUN_I32 && k != ISORUN_I64 && k != ISORUN_F32 && k != ISORUN_F64)
            return cli_error("%s has a %s of type %s: only i32, i64, f32 and f64 can be written and printed on the "
                             "command line",
                             o->invoke, i < t->nparams ? "parameter" : "result", isorun_kind_name(k));
    }
    st->args = calloc(t->nparams ? t->nparams : 1, sizeof *st->args);
    if (!st->args) return cli_error("out of memory");
    for (uint32_t i = 0; i < t->nparams; i++)
        if (!cli_value_parse(o->args[i], t->params[i], &st->args[i]))
            return cli_error("argument %u of %s: \"%s\" is not a valid %s", i + 1, o->invoke, o->args[i],
                             isorun_kind_name(t->params[i]));
    return 0;
}

/* The end of one call into the guest (instantiation included): its status,
 * remembering a proc_exit, whose status may well be 0, so that no further
 * call runs (a program that exited in _initialize or its start function is
 * done). */
static int finish(isorun_error *err, const run_options *o, run_state *st) {
    if (isorun_error_code_of(err) == ISORUN_ERR_EXIT) st->exited = true;
    return report_outcome(err, o->file, o->grants);
}

static int build_instance(const run_options *o, run_state *st) {
    st->builder = isorun_builder_new(st->rt, st->module);
    if (!st->builder) return cli_error("out of memory");
    isorun_builder_set_budget(st->builder, &o->budget);
    /* WASI only for modules that import it: a plain module gets nothing. */
    if (module_imports_from(st->module, "wasi_snapshot_preview1")) {
        isorun_system_component *wasi;
        int status = wasi_setup_component(o, &wasi);
        if (status) return status;
        isorun_error *err = isorun_builder_add_system(st->builder, wasi);
        isorun_system_free(wasi); /* the builder holds its own reference */
        if (err) return report_outcome(err, o->file, o->grants);
    }
    int status = cli_links_apply(o->links, o->nlinks, st->rt, st->builder, &o->budget, o->precompiled, &st->links);
    if (status) return status;
    /* A trap or exit in the start function is the guest's doing: report it
     * as such; anything else is an instantiation error. */
    return finish(isorun_builder_instantiate(st->builder, &st->instance), o, st);
}

static int invoke(const run_options *o, run_state *st) {
    if (module_function_export(st->module, "_initialize", NULL)) {
        int status = finish(isorun_instance_call(st->instance, "_initialize", NULL, 0, NULL, 0), o, st);
        if (status || st->exited) return status;
    }
    const isorun_functype *t = &st->type;
    isorun_val small[8];
    isorun_val *results = t->nresults <= 8 ? small : calloc(t->nresults, sizeof *results);
    if (!results) return cli_error("out of memory");
    isorun_error *err = isorun_instance_call(st->instance, o->invoke, st->args, t->nparams, results, t->nresults);
    int status = finish(err, o, st);
    if (!err)
        for (uint32_t i = 0; i < t->nresults; i++) cli_value_print(stdout, &results[i]);
    if (results != small) free(results);
    return status;
}

/* A first --native run builds the module's code for seconds: say so on a
 * terminal (never into a pipe or file: scripts compare stderr). */
static void say_building(void *file) {
    if (isatty(2)) fprintf(stderr, "isorun: building native code for %s (once; cached for later runs)...\n", (char *)file);
}

static int run_parsed(const run_options *o) {
    run_state st = {0};
    isorun_runtime_config config = {.module_cache_entries = 1, /* one module per process */
                                    .native = o->native,
                                    .native_cache_dir = o->native_cache,
                                    .native_cc = getenv("ISORUN_CC"),
                                    .native_build_started = say_building,
                                    .native_build_arg = (void *)o->file};
    isorun_error *err = isorun_runtime_new(&config, &st.rt);
    if (!err) err = cli_module_load(st.rt, o->file, o->precompiled, &st.module);
    int status = err ? cli_error("%s", isorun_error_message(err)) : 0;
    isorun_error_free(err);
    if (status == 0) status = check_imports(o, &st);
    if (status == 0 && o->invoke) status = check_invoke(o, &st);
    if (status == 0) status = build_instance(o, &st);
    if (status == 0 && !st.exited) {
        if (o->invoke)
            status = invoke(o, &st);
        else if (!module_function_export(st.module, "_start", NULL))
            status = no_start(o, &st);
        else
            status = finish(isorun_instance_call(st.instance, "_start", NULL, 0, NULL, 0), o, &st);
    }
    run_state_free(&st);
    return status;
}

int run_command(int argc, char **argv) {
    run_options o;
    int status = run_options_parse(argc, argv, &o);
    if (status == 0)
        status = run_parsed(&o);
    else if (status < 0)
        status = 0; /* printed the help */
    run_options_free(&o);
    return status;
}
