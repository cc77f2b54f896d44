/* clock.c — clock_time_get and clock_res_get (granted by ISORUN_WASI_CLOCKS;
 * the dispatcher answers ENOTCAPABLE otherwise). */
#include "internal.h"

#include <time.h>

/* WASI clock ids 0..3: realtime, monotonic, process CPU time, thread CPU time. */
bool wasi_host_clock(uint32_t wasi_id, clockid_t *out) {
    static const clockid_t host_ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                         CLOCK_THREAD_CPUTIME_ID};
    if (wasi_id >= sizeof host_ids / sizeof host_ids[0]) return false;
    *out = host_ids[wasi_id];
    return true;
}

static uint64_t nanoseconds(const struct timespec *ts) {
    return (uint64_t)ts->tv_sec * UINT64_C(1000000000) + (uint64_t)ts->tv_nsec;
}

uint32_t wasi_fn_clock_time_get(wasi_call *c, const isorun_val *args) {
    clockid_t id;
    if (!wasi_host_clock(WASI_ARG32(0), &id)) return WASI_EINVAL;
    /* args[1] is the precision the guest asks for: the host's best is fine. */
    uint8_t *out = wasi_mem(c, WASI_ARG32(2), 8);
    if (!out) return WASI_EFAULT;
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) return WASI_EINVAL;
    wasi_store_u64(out, nanoseconds(&ts));
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_clock_res_get(wasi_call *c, const isorun_val *args) {
    clockid_t id;
    if (!wasi_host_clock(WASI_ARG32(0), &id)) return WASI_EINVAL;
    struct timespec ts;
    if (clock_getres(id, &ts) != 0) return WASI_EINVAL;
    return wasi_put_u64(c, WASI_ARG32(1), nanoseconds(&ts));
}
