/*
 * host_call.c — the bridge between the engine's host functions (64-bit
 * slots) and the API's (isorun_val): one trampoline serves every function a
 * system component defines, converting arguments and results and checking
 * the kinds the host function wrote, so a buggy host function becomes a trap
 * with a clear message instead of a wrong value in the guest.
 */
#include "runtime.h"

#include <stdlib.h>

#define SMALL_VALS 16

struct isorun_call {
    const isr_host_binding *binding;
    wasm_call_ctx *ctx;
};

void *isorun_call_data(isorun_call *call) { return call ? call->binding->def->data : NULL; }

void *isorun_call_state(isorun_call *call) {
    if (!call) return NULL;
    const isorun_instance *inst = call->binding->inst;
    size_t c = call->binding->def->component;
    return c < inst->ncomponents ? inst->states[c] : NULL;
}

isorun_instance *isorun_call_instance(isorun_call *call) { return call ? call->binding->inst : NULL; }

/* The calling code's memory 0. During instantiation (a start function) the
 * isorun_instance has no wasm instance yet, but the engine names the caller. */
static wasm_memory *call_memory(isorun_call *call) {
    wasm_instance *wi = call->ctx->caller ? call->ctx->caller : call->binding->inst->winst;
    return wi ? wasm_instance_memory(wi) : NULL;
}

void *isorun_call_memory(isorun_call *call, uint32_t addr, uint32_t len) {
    if (!call) return NULL;
    wasm_memory *mem = call_memory(call);
    if (!mem || (uint64_t)addr + len > wasm_memory_size_bytes(mem)) return NULL;
    return wasm_memory_data(mem) + addr;
}

uint64_t isorun_call_memory_size(isorun_call *call) {
    wasm_memory *mem = call ? call_memory(call) : NULL;
    return mem ? wasm_memory_size_bytes(mem) : 0;
}

/* The instance whose interrupt stops the call: the one the engine polls,
 * which is the instance whose store runs the calling code. */
int isorun_call_wake_fd(isorun_call *call) {
    return call ? isr_interrupt_wake_fd(&call->binding->inst->interrupt) : -1;
}

isorun_trap_code isorun_call_interrupted(isorun_call *call) {
    return call ? isr_interrupt_check(&call->binding->inst->interrupt) : ISORUN_TRAP_NONE;
}

isorun_error *isorun_call_instance_call(isorun_call *call, isorun_instance *inst, const char *name,
                                        const isorun_val *args, size_t nargs, isorun_val *results,
                                        size_t nresults) {
    if (!call) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_call_instance_call: no call");
    return isr_instance_call_from(call->binding->inst, inst, name, args, nargs, results, nresults);
}

static isorun_error *bad_result(const isr_host_def *def, uint32_t i, uint8_t want, isorun_kind got) {
    return isr_trap(ISORUN_TRAP_HOST, "host function \"%s\".\"%s\" wrote a %s as result %u, which is declared %s",
                    def->module, def->name, isorun_kind_name(got), i, wasm_valtype_name(want));
}

isorun_error *isr_host_trampoline(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    const isr_host_binding *b = env;
    const isr_host_def *def = b->def;
    const wasm_functype *ft = &def->type;
    size_t n = (size_t)ft->nparams + ft->nresults;
    isorun_val small[SMALL_VALS];
    isorun_val *vals = n <= SMALL_VALS ? small : calloc(n, sizeof *vals);
    if (!vals) return isr_error_nomem();
    isorun_val *args = vals, *results = vals + ft->nparams;
    for (uint32_t i = 0; i < ft->nparams; i++) args[i] = isr_val_of_slot(wasm_functype_params(ft)[i], slots[i]);
    /* Results start as zeros of their declared kinds, so a host function that
     * forgets one returns 0 rather than stack garbage. */
    for (uint32_t i = 0; i < ft->nresults; i++) results[i] = isr_val_of_slot(wasm_functype_results(ft)[i], 0);

    isorun_call call = {b, ctx};
    isorun_error *err = def->fn(&call, args, results);
    for (uint32_t i = 0; !err && i < ft->nresults; i++) {
        uint8_t want = wasm_functype_results(ft)[i];
        if (isr_valtype_of_kind(results[i].kind) != want)
            err = bad_result(def, i, want, results[i].kind);
        else
            slots[i] = isr_slot_of_val(&results[i]);
    }
    for (uint32_t i = 0; i < ft->nresults; i++) isorun_val_free(&results[i]); /* a wrong kind may own memory */
    if (vals != small) free(vals);
    /* The engine turns other errors into ISORUN_TRAP_HOST with this message:
     * say which function failed. Traps and exits keep theirs. */
    if (err && err->code != ISORUN_ERR_TRAP && err->code != ISORUN_ERR_EXIT)
        err = isr_error_wrap(err, "\"%s\".\"%s\"", def->module, def->name);
    return err;
}
