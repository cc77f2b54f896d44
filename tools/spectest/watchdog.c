/* watchdog.c — the thread behind watchdog.h. */
#define _POSIX_C_SOURCE 200809L
#include "watchdog.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_int *interrupt;
    unsigned timeout_seconds;
    bool armed;
    bool fired;
    bool stopping;
    struct timespec deadline; /* CLOCK_MONOTONIC */
};

static bool before(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *watch(void *arg) {
    watchdog *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        if (!w->armed) {
            pthread_cond_wait(&w->wake, &w->lock);
            continue;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (before(&now, &w->deadline)) {
            struct timespec deadline = w->deadline;
            pthread_cond_timedwait(&w->wake, &w->lock, &deadline);
            continue; /* re-check: disarmed, re-armed or stopping meanwhile */
        }
        atomic_store(w->interrupt, 1);
        w->fired = true;
        w->armed = false;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

watchdog *watchdog_start(atomic_int *interrupt, unsigned timeout_seconds) {
    if (timeout_seconds == 0 || !interrupt) return NULL;
    watchdog *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->interrupt = interrupt;
    w->timeout_seconds = timeout_seconds;
    pthread_condattr_t attr;
    bool ok = pthread_condattr_init(&attr) == 0;
    if (ok) {
        ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&w->wake, &attr) == 0;
        pthread_condattr_destroy(&attr);
    }
    if (!ok) {
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    if (pthread_create(&w->thread, NULL, watch, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void watchdog_arm(watchdog *w) {
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    atomic_store(w->interrupt, 0);
    clock_gettime(CLOCK_MONOTONIC, &w->deadline);
    w->deadline.tv_sec += (time_t)w->timeout_seconds;
    w->armed = true;
    w->fired = false;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

bool watchdog_disarm(watchdog *w) {
    if (!w) return false;
    pthread_mutex_lock(&w->lock);
    bool fired = w->fired;
    w->armed = false;
    w->fired = false;
    atomic_store(w->interrupt, 0);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    return fired;
}

void watchdog_stop(watchdog *w) {
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
