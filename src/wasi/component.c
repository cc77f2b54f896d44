/*
 * component.c — WASI preview 1 as a system component, on the public
 * interface of isorun.h like any embedder's component:
 *   install    defines every function of functions.h in
 *              "wasi_snapshot_preview1", each bound to its table entry;
 *   configure  makes the instance's state (fd table, exit status) from the
 *              options, which are the component's immutable config;
 *   teardown   closes what the state opened and frees it.
 */
#include "internal.h"

#include <stdlib.h>

/* The host function behind every WASI import: data is the table entry. */
static isorun_error *wasi_host_call(isorun_call *call, const isorun_val *args, isorun_val *results) {
    const wasi_function *f = isorun_call_data(call);
    wasi_call c = {.st = isorun_call_state(call), .api = call};
    if (!c.st) return isorun_error_new(ISORUN_ERR_ARGUMENT, "wasi: %s called before the instance was configured",
                                       f->name);
    uint32_t err = wasi_dispatch(&c, f, args);
    /* proc_exit, the one function without a result, always raises; so does
     * a wait stopped by the call's deadline or an interrupt (wait.c). */
    if (c.raise) return c.raise;
    results[0] = isorun_val_i32((int32_t)err);
    return NULL;
}

static isorun_error *wasi_install(void *config, isorun_imports *imports) {
    (void)config;
    for (size_t i = 0; i < wasi_function_count; i++) {
        const wasi_function *f = &wasi_functions[i];
        isorun_error *err = isorun_imports_define(imports, WASI_MODULE_NAME, f->name, f->signature, wasi_host_call,
                                                  (void *)f);
        if (err) return err;
    }
    return NULL;
}

static isorun_error *wasi_configure(void *config, isorun_instance *inst, void **state) {
    (void)inst;
    wasi_state *st = NULL;
    isorun_error *err = wasi_state_new(config, &st);
    *state = st;
    return err;
}

static void wasi_teardown(void *config, void *state) {
    (void)config;
    wasi_state_free(state);
}

static void wasi_free_config(void *config) { isorun_wasi_options_free(config); }

static const isorun_system_ops wasi_ops = {
    .name = WASI_MODULE_NAME,
    .install = wasi_install,
    .configure = wasi_configure,
    .teardown = wasi_teardown,
    .free_config = wasi_free_config,
};

isorun_error *isorun_wasi_new(isorun_wasi_options *o, isorun_system_component **out) {
    if (out) *out = NULL;
    if (!o || !out) {
        isorun_wasi_options_free(o);
        return isorun_error_new(ISORUN_ERR_ARGUMENT, "isorun_wasi_new: options and out are required");
    }
    return isorun_system_new(&wasi_ops, o, out);
}
