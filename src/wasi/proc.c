/* proc.c — proc_exit, proc_raise, sched_yield, and the sockets WASI
 * preview 1 declares but this runtime does not provide. */
#include "internal.h"

#include <sched.h>

uint32_t wasi_fn_proc_exit(wasi_call *c, const isorun_val *args) {
    uint32_t code = WASI_ARG32(0);
    c->st->exited = true;
    c->st->exit_code = code;
    /* ISORUN_ERR_EXIT unwinds every wasm frame and ends the embedder's call
     * with the status (isorun_error_exit_code). */
    c->raise = isorun_error_new_exit((int)code);
    return WASI_ESUCCESS;
}

/* Signals are not part of the sandbox: nothing to raise them at. */
uint32_t wasi_fn_proc_raise(wasi_call *c, const isorun_val *args) { return WASI_ENOSYS; }

uint32_t wasi_fn_sched_yield(wasi_call *c, const isorun_val *args) {
    sched_yield();
    return WASI_ESUCCESS;
}

/* Sockets: preview 1 can only use sockets the host hands in, and isorun
 * hands in none; ENOTSUP says "not provided" rather than "not granted". */
uint32_t wasi_fn_sock_notsup(wasi_call *c, const isorun_val *args) { return WASI_ENOTSUP; }
