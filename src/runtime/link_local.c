/*
 * link_local.c — local links: a consumer's function import bound directly to
 * a provider instance's export in the same runtime.
 *
 * The import becomes a host function in the consumer's store whose env names
 * the provider's function. A call enters the provider (its lock, re-entrant
 * on this thread; across threads it waits, bounded by the caller's deadline)
 * and runs wasm_call on the provider's store with the consumer's argument
 * slots as they are: no conversion to isorun_val, no copying beyond what the
 * engine does for any call. Types are checked once, when the consumer is
 * built, so the hot path checks nothing.
 */
#include "runtime.h"

#include <stdio.h>
#include <stdlib.h>

static isorun_error *link_error(const wasm_import *imp, const wasm_functype *want, const isorun_instance *provider,
                                const char *fmt, ...) ISR_PRINTF(4, 5);

/* import "X"."f" (i32 i32 -> i32): provider 'id' <what> */
static isorun_error *link_error(const wasm_import *imp, const wasm_functype *want, const isorun_instance *provider,
                                const char *fmt, ...) {
    char what[512], label[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    isr_instance_label(provider, label, sizeof label);
    isr_buf b = {0};
    bool ok = isr_buf_append(&b, "import ", 7) && isr_append_quoted(&b, imp->module, imp->module_len) &&
              isr_buf_append(&b, ".", 1) && isr_append_quoted(&b, imp->name, imp->name_len) &&
              isr_buf_append(&b, " ", 1) && isr_functype_describe(&b, want) &&
              isr_buf_printf(&b, ": provider %s export ", label) && isr_append_quoted(&b, imp->name, imp->name_len) &&
              isr_buf_printf(&b, " %s", what) && isr_buf_append(&b, "", 1);
    isorun_error *err = isr_error(ISORUN_ERR_UNLINKABLE, "%s", ok ? (const char *)b.data : what);
    isr_buf_free(&b);
    return err;
}

isorun_error *isr_link_resolve(isorun_instance *consumer, const wasm_import *imp, const wasm_functype *want,
                               isorun_instance *provider, isr_link_binding *binding) {
    wasm_extern ext;
    if (!provider->winst || !wasm_instance_export_n(provider->winst, imp->name, imp->name_len, &ext))
        return link_error(imp, want, provider, "does not exist");
    if (ext.kind != WASM_EXTERN_FUNC)
        return link_error(imp, want, provider, "is a %s, not a function",
                          ext.kind == WASM_EXTERN_MEMORY ? "memory" : ext.kind == WASM_EXTERN_TABLE ? "table" : "global");
    const wasm_functype *have = wasm_func_type(ext.u.func);
    if (!wasm_functype_equal(want, have)) {
        char *sig = isr_functype_string(have);
        isorun_error *err = link_error(imp, want, provider, "is %s", sig ? sig : "of another type");
        free(sig);
        return err;
    }
    /* A reference is a pointer into one store; handing it to another would
     * let the consumer call the provider's code outside its lock. Numbers
     * and vectors are plain values. */
    if (isr_functype_has_refs(want))
        return link_error(imp, want, provider,
                          "passes references, which cannot cross between instances (use numbers or vectors)");
    binding->consumer = consumer;
    binding->provider = provider;
    binding->func = ext.u.func;
    binding->name = imp->name;
    return NULL;
}

isorun_error *isr_link_trampoline(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    (void)ctx;
    const isr_link_binding *b = env;
    isorun_instance *p = b->provider;
    isorun_error *err = isr_instance_enter(p, b->consumer->run_deadline_ns);
    if (err) return err;
    /* Arguments in, results out, in place: wasm_call copies the arguments
     * onto the provider's stack before it writes any result. */
    atomic_store_explicit(&b->consumer->callee, p, memory_order_relaxed);
    err = wasm_call(p->store, b->func, slots, slots);
    atomic_store_explicit(&b->consumer->callee, NULL, memory_order_relaxed);
    isr_instance_account(p, err);
    isr_instance_leave(p);
    if (!err || err->code == ISORUN_ERR_EXIT) return err; /* an exit ends the whole call chain as it is */
    char label[160];
    isr_instance_label(p, label, sizeof label);
    /* Traps keep their code (out of fuel, deadline...) and say where they happened. */
    return isr_error_wrap(err, "in provider %s, export \"%s\"", label, b->name);
}
