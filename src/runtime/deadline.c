/*
 * deadline.c — the runtime's deadline timer: one thread, started on the
 * first call that has a deadline and joined when the runtime goes, that
 * raises an instance's interrupt (WASM_INTERRUPT_DEADLINE) when the call's
 * deadline passes. The interpreter polls the flag at loop back-edges and
 * calls, so even a guest spinning in a loop ends with ISORUN_TRAP_DEADLINE;
 * a guest blocked in a host call (a WASI read on an idle pipe, a sleep) is
 * woken through the interrupt's wake-up fd (interrupt.c).
 *
 * One thread per runtime rather than one per call: arming a deadline is then
 * a mutex and an array append, and the thread sleeps until the earliest armed
 * deadline. It is woken only when a new deadline is earlier than that.
 */
#include "runtime.h"

#include <stdlib.h>
#include <time.h>

uint64_t isr_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct timespec timespec_of(uint64_t ns) {
    struct timespec ts;
    ts.tv_sec = (time_t)(ns / 1000000000u);
    ts.tv_nsec = (long)(ns % 1000000000u);
    return ts;
}

void isr_deadline_timer_init(isr_deadline_timer *t) {
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* immune to wall-clock jumps */
    pthread_cond_init(&t->wake, &attr);
    pthread_condattr_destroy(&attr);
    t->started = t->stopping = false;
    t->armed = NULL;
    t->narmed = t->cap = 0;
    t->sleeping_until = 0;
}

static void remove_locked(isr_deadline_timer *t, isr_timer_slot *slot) {
    size_t i = slot->index;
    t->armed[i] = t->armed[--t->narmed];
    t->armed[i]->index = i;
    slot->armed = false;
}

static void *timer_main(void *arg) {
    isr_deadline_timer *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stopping) {
        uint64_t now = isr_now_ns(), earliest = 0;
        for (size_t i = 0; i < t->narmed;) {
            isr_timer_slot *s = t->armed[i];
            if (s->when_ns <= now) {
                isr_interrupt_raise(s->target, WASM_INTERRUPT_DEADLINE);
                remove_locked(t, s); /* the entry at i is now another one */
                continue;
            }
            if (!earliest || s->when_ns < earliest) earliest = s->when_ns;
            i++;
        }
        t->sleeping_until = earliest;
        if (earliest) {
            struct timespec ts = timespec_of(earliest);
            pthread_cond_timedwait(&t->wake, &t->lock, &ts);
        } else {
            pthread_cond_wait(&t->wake, &t->lock);
        }
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

isorun_error *isr_deadline_arm(isr_deadline_timer *t, isr_timer_slot *slot, uint64_t when_ns,
                               isr_interrupt *target) {
    pthread_mutex_lock(&t->lock);
    if (!t->started) {
        if (pthread_create(&t->thread, NULL, timer_main, t) != 0) {
            pthread_mutex_unlock(&t->lock);
            return isr_error(ISORUN_ERR_NOMEM, "cannot start the deadline timer thread");
        }
        t->started = true;
    }
    if (!isr_grow_array((void **)&t->armed, &t->cap, t->narmed + 1, sizeof *t->armed)) {
        pthread_mutex_unlock(&t->lock);
        return isr_error_nomem();
    }
    slot->when_ns = when_ns;
    slot->target = target;
    slot->index = t->narmed;
    slot->armed = true;
    t->armed[t->narmed++] = slot;
    if (!t->sleeping_until || when_ns < t->sleeping_until) {
        t->sleeping_until = when_ns; /* spares a second wake-up by the next arm */
        pthread_cond_signal(&t->wake);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

void isr_deadline_disarm(isr_deadline_timer *t, isr_timer_slot *slot) {
    pthread_mutex_lock(&t->lock);
    if (slot->armed) remove_locked(t, slot);
    pthread_mutex_unlock(&t->lock);
}

void isr_deadline_timer_destroy(isr_deadline_timer *t) {
    pthread_mutex_lock(&t->lock);
    bool started = t->started;
    t->stopping = true;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
    if (started) pthread_join(t->thread, NULL);
    free(t->armed);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
}
