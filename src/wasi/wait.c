/*
 * wait.c — every wait of WASI in one place. poll_oneoff, and fd_read and
 * fd_write on what can block (pipes, FIFOs, sockets, terminals), wait here:
 * in ppoll(2) on the guest's fds and the instance's wake-up fd
 * (isorun_call_wake_fd), so that the call's deadline or
 * isorun_instance_interrupt ends the wait with the trap the interpreter
 * would raise, instead of coming only when the host call returns.
 *
 * An fd that is ready wins over the interrupt: its data is read (or the
 * event reported) as usual, and the interpreter traps at its next check.
 * A guest never loses bytes to a trap that came while they arrived.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <time.h>

/* Without a wake-up fd (the process is out of descriptors), waits are cut
 * into slices this long, and the interrupt is asked between them. */
#define WAKELESS_SLICE_NS UINT64_C(50000000)

static uint64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

wasi_wait_end wasi_wait(wasi_call *c, struct pollfd *pfds, size_t nfds, uint64_t deadline, const char *function,
                        uint32_t *err) {
    int wake = isorun_call_wake_fd(c->api);
    for (;;) {
        uint64_t now = monotonic_ns();
        uint64_t until = deadline;
        if (wake < 0 && until > now && until - now > WAKELESS_SLICE_NS) until = now + WAKELESS_SLICE_NS;
        struct timespec ts, *tsp = NULL;
        if (until != UINT64_MAX) {
            uint64_t left = until > now ? until - now : 0;
            ts.tv_sec = (time_t)(left / UINT64_C(1000000000));
            ts.tv_nsec = (long)(left % UINT64_C(1000000000));
            tsp = &ts;
        }
        pfds[nfds] = (struct pollfd){wake, POLLIN, 0}; /* poll(2) skips it when negative */
        int ready = ppoll(pfds, (nfds_t)nfds + 1, tsp, NULL);
        if (ready < 0 && errno != EINTR) {
            *err = wasi_errno_from_host(errno);
            return WASI_WAIT_FAILED;
        }
        for (size_t i = 0; ready > 0 && i < nfds; i++)
            if (pfds[i].revents) return WASI_WAIT_READY;
        if (deadline != UINT64_MAX && monotonic_ns() >= deadline) return WASI_WAIT_TIMEOUT;
        /* Woken (or a slice or a signal ended): stopped, or a stale wake-up
         * that isorun_call_interrupted has consumed, and the wait goes on. */
        isorun_trap_code trap = isorun_call_interrupted(c->api);
        if (trap != ISORUN_TRAP_NONE) {
            c->raise = isorun_error_new_trap(trap, "while the guest waited in \"" WASI_MODULE_NAME "\".\"%s\"",
                                             function);
            return WASI_WAIT_STOPPED;
        }
    }
}
