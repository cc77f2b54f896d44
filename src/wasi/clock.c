/* clock.c — clock_time_get and clock_res_get (the "clocks" capability). */
#include "internal.h"

#include <time.h>

/* WASI clock ids 0..3: realtime, monotonic, process CPU time, thread CPU time. */
static bool host_clock(uint32_t wasi_id, clockid_t *out) {
    static const clockid_t host_ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                         CLOCK_THREAD_CPUTIME_ID};
    if (wasi_id >= sizeof host_ids / sizeof host_ids[0]) return false;
    *out = host_ids[wasi_id];
    return true;
}

static uint64_t nanoseconds(const struct timespec *ts) {
    return (uint64_t)ts->tv_sec * UINT64_C(1000000000) + (uint64_t)ts->tv_nsec;
}

WASI_HANDLER(wasi_fn_clock_time_get) {
    clockid_t id;
    if (!host_clock(WASI_ARG_U32(0), &id)) WASI_RETURN(WASI_EINVAL);
    /* slots[1] is the requested precision: the host's best is always fine. */
    wasi_memory m = wasi_caller_memory(call);
    uint8_t *out = wasi_guest_bytes(m, WASI_ARG_U32(2), 8);
    if (!out) WASI_RETURN(WASI_EFAULT);
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) WASI_RETURN(WASI_EINVAL);
    wasi_store_u64(out, nanoseconds(&ts));
    WASI_RETURN(WASI_ESUCCESS);
}

WASI_HANDLER(wasi_fn_clock_res_get) {
    clockid_t id;
    if (!host_clock(WASI_ARG_U32(0), &id)) WASI_RETURN(WASI_EINVAL);
    struct timespec ts;
    if (clock_getres(id, &ts) != 0) WASI_RETURN(WASI_EINVAL);
    WASI_RETURN(wasi_put_u64(wasi_caller_memory(call), WASI_ARG_U32(1), nanoseconds(&ts)));
}
