/* proc.c — proc_exit, sched_yield, and the stubs for what is not (yet or
 * ever) provided. */
#include "internal.h"

#include <sched.h>

WASI_HANDLER(wasi_fn_proc_exit) {
    wasi_ctx *ctx = env;
    uint32_t code = WASI_ARG_U32(0);
    ctx->exited = true;
    ctx->exit_code = code;
    /* ISORUN_ERR_EXIT unwinds every wasm frame and comes out of wasm_call. */
    isorun_error *err = isr_error(ISORUN_ERR_EXIT, "the guest exited with status %u", code);
    if (err != isr_error_nomem()) err->exit_code = (int)code;
    return err;
}

WASI_HANDLER(wasi_fn_sched_yield) {
    sched_yield();
    WASI_RETURN(WASI_ESUCCESS);
}

/* Bound instead of a handler whose capability was not granted. */
WASI_HANDLER(wasi_fn_notcapable) { WASI_RETURN(WASI_ENOTCAPABLE); }

/* Preview 1 functions this layer does not implement yet. */
WASI_HANDLER(wasi_fn_nosys) { WASI_RETURN(WASI_ENOSYS); }

/* Sockets are not provided. */
WASI_HANDLER(wasi_fn_notsup) { WASI_RETURN(WASI_ENOTSUP); }
