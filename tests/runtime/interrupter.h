/*
 * interrupter.h — a thread that calls isorun_instance_interrupt every 20 ms
 * until stopped, for tests of calls blocked in the host: an interrupt that
 * came before the call under test started would be cleared by it, so one
 * interrupt is not enough. Include after rt_helpers.h (REQUIRE).
 */
#ifndef ISORUN_TEST_INTERRUPTER_H
#define ISORUN_TEST_INTERRUPTER_H

#include "isorun.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

typedef struct interrupter {
    isorun_instance *inst;
    atomic_bool done;
    pthread_t thread;
} interrupter;

static void *interrupt_main(void *arg) {
    interrupter *it = arg;
    while (!atomic_load(&it->done)) {
        nanosleep(&(struct timespec){0, 20000000}, NULL);
        isorun_instance_interrupt(it->inst);
    }
    return NULL;
}

static void interrupter_start(interrupter *it, isorun_instance *inst) {
    it->inst = inst;
    atomic_init(&it->done, false);
    REQUIRE(pthread_create(&it->thread, NULL, interrupt_main, it) == 0);
}

static void interrupter_stop(interrupter *it) {
    atomic_store(&it->done, true);
    pthread_join(it->thread, NULL);
}

#endif /* ISORUN_TEST_INTERRUPTER_H */
