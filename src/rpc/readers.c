/*
 * readers.c — the reader threads of a transport that has them.
 *
 * A reader thread runs a request itself when the server allows it
 * (leader/follower): no thread hand-off lies between a request's arrival
 * and its execution. Meanwhile a second, standby thread watches: if the
 * call runs longer than STEAL_AFTER_NS, or waits itself for a response on
 * this connection, the standby takes the reading role over, so the other
 * calls multiplexed on the connection are not held up behind it. Waking the
 * standby at every request would cost more than a short call, so while the
 * connection is busy it looks on its own every STEAL_AFTER_NS, and sleeps
 * for good only after a quiet spell.
 */
#include "rpc.h"

#include <stdlib.h>
#include <time.h>

/* How long a call runs on the reading thread before the standby takes over
 * the reading (the longest other calls on the connection wait), and how long
 * the standby keeps looking after the last such call. */
#define STEAL_AFTER_NS (1000ull * 1000ull)
#define STANDBY_QUIET_NS (200ull * 1000000ull)

/* Reads and dispatches frames while this thread holds the reading role.
 * Returns true when the connection is over, false when the role was handed
 * off (this thread ran a request meanwhile). */
static bool read_frames(isorun_transport *t) {
    for (;;) {
        uint8_t *frame = NULL;
        size_t len = 0;
        isorun_error *err = t->ops->recv(t->impl, t->opts.max_frame_bytes, &frame, &len);
        tp_frame_header h;
        if (!err) err = tp_frame_check(frame, len, t->opts.max_frame_bytes, &h);
        if (err) {
            /* The connection cannot deliver frames any more, or sent one
             * that cannot be trusted: either way it is over. */
            free(frame);
            rpc_transport_mark_closed(t, isorun_error_message(err));
            isorun_error_free(err);
            t->ops->close(t->impl);
            return true;
        }
        if (rpc_transport_on_frame(t, &h, frame, len, true, true)) return false;
    }
}

void rpc_transport_wake_standby(isorun_transport *t) {
    pthread_mutex_lock(&t->standby_mu);
    pthread_cond_broadcast(&t->standby_cv);
    pthread_mutex_unlock(&t->standby_mu);
}

static void wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, uint64_t due) {
    struct timespec ts = {(time_t)(due / 1000000000u), (long)(due % 1000000000u)};
    pthread_cond_timedwait(cv, mu, &ts);
}

/* One wait of a thread standing by while another holds the reading role:
 * returns true when it took the role over from a request running too long
 * (or waiting on this connection). Touches only atomics and the standby's
 * own mutex. */
static bool stand_by(isorun_transport *t) {
    bool stole = false;
    pthread_mutex_lock(&t->standby_mu);
    uint64_t now = isr_now_ns();
    if (atomic_load(&t->standby_stop)) {
        /* reading is over: nothing to wait for */
    } else if (atomic_load(&t->inline_state) == INLINE_RUNNING) {
        uint64_t due = atomic_load(&t->steal_now) ? now : atomic_load(&t->inline_since) + STEAL_AFTER_NS;
        if (now >= due) {
            int running = INLINE_RUNNING;
            /* The role's holder finds out when its call ends. */
            stole = atomic_compare_exchange_strong(&t->inline_state, &running, INLINE_STOLEN);
        } else {
            wait_until(&t->standby_cv, &t->standby_mu, due);
        }
    } else if (now - atomic_load(&t->last_inline) < STANDBY_QUIET_NS) {
        /* Busy: look again soon, unasked (see the top of the file). */
        wait_until(&t->standby_cv, &t->standby_mu, now + STEAL_AFTER_NS);
    } else {
        atomic_store(&t->standby_asleep, true);
        /* Checked after announcing the sleep: a request starting now either
         * sees the announcement (and wakes this thread under standby_mu) or
         * is seen here. */
        if (atomic_load(&t->inline_state) != INLINE_RUNNING && !atomic_load(&t->standby_stop))
            pthread_cond_wait(&t->standby_cv, &t->standby_mu);
        atomic_store(&t->standby_asleep, false);
    }
    pthread_mutex_unlock(&t->standby_mu);
    return stole;
}

/* Waits (mu held) until this reader thread may read: the role is free, or
 * it took the role over from a request running on its holder. False when
 * reading is over. */
static bool await_role(isorun_transport *t) {
    for (;;) {
        if (t->reading_over) return false;
        if (!t->reader_active) {
            t->reader_active = true;
            return true;
        }
        pthread_mutex_unlock(&t->mu);
        bool stole = stand_by(t);
        pthread_mutex_lock(&t->mu);
        if (stole) return true;
    }
}

static void *reader_main(void *arg) {
    isorun_transport *t = arg;
    pthread_mutex_lock(&t->mu);
    while (await_role(t)) {
        pthread_mutex_unlock(&t->mu);
        bool over = read_frames(t);
        pthread_mutex_lock(&t->mu);
        if (over) {
            t->reading_over = true;
            pthread_cond_broadcast(&t->role);
            atomic_store(&t->standby_stop, true);
            rpc_transport_wake_standby(t);
            break;
        }
    }
    bool last = --t->live_readers == 0;
    rpc_server *server = last && t->accepted && t->server ? rpc_server_ref(t->server) : NULL;
    pthread_mutex_unlock(&t->mu);
    if (server) {
        rpc_server_connection_closed(server, t);
        rpc_server_release(server);
    }
    return NULL;
}

/* Starts a reader thread; call with mu held. */
int rpc_transport_start_reader(isorun_transport *t) {
    int rc = pthread_create(&t->readers[t->nreaders], NULL, reader_main, t);
    if (rc == 0) {
        t->nreaders++;
        t->live_readers++;
    }
    return rc;
}

bool rpc_transport_inline_begin(isorun_transport *t) {
    /* One request at a time runs on a reader thread (the standby may be
     * reading while the first still runs). Only the reading thread of t
     * calls this, so the check cannot race another start. */
    if (atomic_load(&t->inline_state) != INLINE_IDLE) return false;
    if (!atomic_load_explicit(&t->standby_ready, memory_order_acquire)) {
        /* Without a standby (none could be started) the reader must not
         * stop reading for a call of unknown length. Started once. */
        pthread_mutex_lock(&t->mu);
        bool ok = t->nreaders == 2 || (t->nreaders == 1 && rpc_transport_start_reader(t) == 0);
        pthread_mutex_unlock(&t->mu);
        if (!ok) return false;
        atomic_store_explicit(&t->standby_ready, true, memory_order_release);
    }
    uint64_t now = isr_now_ns();
    atomic_store(&t->steal_now, false);
    atomic_store(&t->inline_since, now);
    atomic_store(&t->last_inline, now);
    atomic_store(&t->inline_state, INLINE_RUNNING);
    if (atomic_load(&t->standby_asleep)) rpc_transport_wake_standby(t);
    return true;
}

bool rpc_transport_inline_end(isorun_transport *t) {
    return atomic_exchange(&t->inline_state, INLINE_IDLE) == INLINE_STOLEN;
}
