/*
 * interrupt.c — an instance's interrupt: the flag the interpreter polls at
 * loop back-edges and calls, and a wake-up fd (an eventfd) for the code that
 * does not run in the interpreter: a host function blocked in poll(2) on a
 * pipe, a socket or a timer polls the wake-up fd too, and is woken when the
 * deadline timer or isorun_instance_interrupt raises the flag.
 *
 * The fd is made on first request, so instances that never wait in a host
 * call cost no descriptor. Raising stores the flag and then reads the fd;
 * making the fd publishes it and then reads the flag (both sequentially
 * consistent), so at least one side sees the other: either the raise
 * signals the new fd, or its maker sees the flag and signals it itself.
 *
 * A wake-up can outlive its reason: an interrupt racing with the start of
 * the next call (which clears the flag and empties the fd) may signal the
 * fd after the flag was cleared. isr_interrupt_check therefore empties the
 * fd when it finds the flag down, so that a waiter can simply wait again.
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <sys/eventfd.h>
#include <unistd.h>

void isr_interrupt_init(isr_interrupt *in) {
    atomic_init(&in->flag, 0);
    atomic_init(&in->wake_fd, -1);
}

void isr_interrupt_destroy(isr_interrupt *in) {
    int fd = atomic_load(&in->wake_fd);
    if (fd >= 0) close(fd);
}

static void signal_fd(int fd) {
    uint64_t one = 1;
    /* Can only fail when the counter is full, and it is then readable anyway. */
    ssize_t ignored = write(fd, &one, sizeof one);
    (void)ignored;
}

static void drain_fd(int fd) {
    uint64_t count;
    ssize_t ignored = read(fd, &count, sizeof count); /* non-blocking: EAGAIN when empty */
    (void)ignored;
}

void isr_interrupt_raise(isr_interrupt *in, int why) {
    atomic_store(&in->flag, why);
    int fd = atomic_load(&in->wake_fd);
    if (fd >= 0) signal_fd(fd);
}

void isr_interrupt_clear(isr_interrupt *in) {
    atomic_store(&in->flag, 0);
    int fd = atomic_load(&in->wake_fd);
    if (fd >= 0) drain_fd(fd);
}

int isr_interrupt_wake_fd(isr_interrupt *in) {
    int fd = atomic_load(&in->wake_fd);
    if (fd >= 0) return fd;
    int made = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (made < 0) return -1;
    int expected = -1;
    if (!atomic_compare_exchange_strong(&in->wake_fd, &expected, made)) {
        close(made); /* another thread published one first */
        return expected;
    }
    if (atomic_load(&in->flag)) signal_fd(made); /* raised before there was an fd to signal */
    return made;
}

isorun_trap_code isr_interrupt_check(isr_interrupt *in) {
    int why = atomic_load(&in->flag);
    if (!why) {
        int fd = atomic_load(&in->wake_fd);
        if (fd >= 0) drain_fd(fd);
        /* A raise whose signal the drain just took stored the flag first. */
        why = atomic_load(&in->flag);
    }
    if (!why) return ISORUN_TRAP_NONE;
    return why == WASM_INTERRUPT_DEADLINE ? ISORUN_TRAP_DEADLINE : ISORUN_TRAP_INTERRUPTED;
}
