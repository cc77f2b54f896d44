/* deadline.c — the --timeout watchdog: one thread waiting on a condition
 * variable until either the deadline passes or the run ends. */
#include "deadline.h"

#include "wasm/wasm.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct deadline {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    struct timespec when; /* CLOCK_MONOTONIC */
    atomic_int *flag;
};

static void *watch(void *arg) {
    deadline *d = arg;
    pthread_mutex_lock(&d->lock);
    int rc = 0;
    while (!d->stopping && rc == 0) rc = pthread_cond_timedwait(&d->wake, &d->lock, &d->when);
    if (!d->stopping) atomic_store(d->flag, WASM_INTERRUPT_DEADLINE);
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

deadline *deadline_start(atomic_int *flag, uint64_t nanoseconds) {
    deadline *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->flag = flag;
    clock_gettime(CLOCK_MONOTONIC, &d->when);
    uint64_t ns = (uint64_t)d->when.tv_nsec + nanoseconds % 1000000000u;
    d->when.tv_sec += (time_t)(nanoseconds / 1000000000u + ns / 1000000000u);
    d->when.tv_nsec = (long)(ns % 1000000000u);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* immune to wall-clock jumps */
    pthread_cond_init(&d->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&d->lock, NULL);
    if (pthread_create(&d->thread, NULL, watch, d) != 0) {
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        free(d);
        return NULL;
    }
    return d;
}

void deadline_stop(deadline *d) {
    if (!d) return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d);
}
