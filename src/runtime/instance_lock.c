/*
 * instance_lock.c — serializing calls into an instance, and what happens at
 * the start and end of each outermost call (interrupt, fuel refills,
 * deadline).
 *
 * The lock is re-entrant for its owning thread: a call that comes back into
 * an instance on the same thread (A -> B -> A through links or host
 * functions) must run, not deadlock, and the engine's store supports that
 * nesting. Ownership is an atomic thread token, so the uncontended path is a
 * compare-and-swap to take it and a store to give it back; the mutex and
 * condition variable are only used when another thread has to wait.
 *
 * Across threads, calls that go both ways can deadlock: thread 1 in A calls
 * B (a link) while thread 2 in B calls A (a host function, or a link the
 * other way). So a thread about to wait records, in its runtime's table,
 * which lock it waits for, and first follows the chain — the lock's owner,
 * the lock that owner waits for, its owner... — and when the chain comes
 * back to itself, the wait could never end: its call gives way at once
 * (ISORUN_TRAP_DEADLINE, "deadlock") and the other one goes on. The chain is
 * read under the table's mutex, and a thread listed as waiting cannot give
 * up what it holds meanwhile, so a cycle seen is a real one.
 */
#include "runtime.h"

#include <errno.h>
#include <time.h>

/* Its address identifies the calling thread; it is never written. */
static _Thread_local const char thread_token;

static uintptr_t self_token(void) { return (uintptr_t)&thread_token; }

bool isr_lock_init(isr_lock *l) {
    atomic_init(&l->owner, 0);
    atomic_init(&l->waiters, 0);
    l->depth = 0;
    if (pthread_mutex_init(&l->mu, NULL) != 0) return false;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&l->cv, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) {
        pthread_mutex_destroy(&l->mu);
        return false;
    }
    return true;
}

void isr_lock_destroy(isr_lock *l) {
    pthread_cond_destroy(&l->cv);
    pthread_mutex_destroy(&l->mu);
}

static bool try_take(isr_lock *l, uintptr_t me) {
    uintptr_t expected = 0;
    return atomic_compare_exchange_strong(&l->owner, &expected, me);
}

/* A thread waiting for an instance lock, in its runtime's list. */
struct isr_lock_waiter {
    uintptr_t thread;
    const isr_lock *lock;
    struct isr_lock_waiter *next;
};

/* Whether waiting for `want` would close a cycle back to `me`. Under
 * rt->waits_lock. The chain is at most as long as the list. */
static bool closes_cycle(const isorun_runtime *rt, const isr_lock *want, uintptr_t me) {
    const isr_lock *l = want;
    for (const struct isr_lock_waiter *hop = rt->lock_waiters; hop; hop = hop->next) {
        uintptr_t owner = atomic_load(&l->owner);
        if (owner == me) return true;
        const struct isr_lock_waiter *w = rt->lock_waiters;
        while (w && w->thread != owner) w = w->next;
        if (!owner || !w) return false;
        l = w->lock;
    }
    return atomic_load(&l->owner) == me;
}

/* Lists self as waiting (false: that wait would close a cycle, and self is
 * not listed). */
static bool wait_listed(isorun_runtime *rt, struct isr_lock_waiter *self) {
    pthread_mutex_lock(&rt->waits_lock);
    bool cycle = closes_cycle(rt, self->lock, self->thread);
    if (!cycle) {
        self->next = rt->lock_waiters;
        rt->lock_waiters = self;
    }
    pthread_mutex_unlock(&rt->waits_lock);
    return !cycle;
}

static void wait_unlisted(isorun_runtime *rt, struct isr_lock_waiter *self) {
    pthread_mutex_lock(&rt->waits_lock);
    struct isr_lock_waiter **p = &rt->lock_waiters;
    while (*p && *p != self) p = &(*p)->next;
    if (*p) *p = self->next;
    pthread_mutex_unlock(&rt->waits_lock);
}

typedef enum { TAKEN, TIMED_OUT, DEADLOCK } take_result;

/* Takes l for thread `me`, waiting until deadline_ns (0 = for ever); with rt,
 * a wait that could never end is refused (DEADLOCK). A waiter registers in
 * `waiters` before its last try, under mu, and the releasing thread checks
 * `waiters` after giving the lock up (both sequentially consistent), so a
 * wake-up cannot fall between the two. */
static take_result lock_take(isr_lock *l, uintptr_t me, uint64_t deadline_ns, isorun_runtime *rt) {
    if (try_take(l, me)) return TAKEN;
    struct isr_lock_waiter self = {me, l, NULL};
    if (rt && !wait_listed(rt, &self)) return DEADLOCK;
    take_result result = TIMED_OUT;
    pthread_mutex_lock(&l->mu);
    atomic_fetch_add(&l->waiters, 1);
    for (;;) {
        if (try_take(l, me)) {
            result = TAKEN;
            break;
        }
        if (!deadline_ns) {
            pthread_cond_wait(&l->cv, &l->mu);
            continue;
        }
        struct timespec ts = {(time_t)(deadline_ns / 1000000000u), (long)(deadline_ns % 1000000000u)};
        if (pthread_cond_timedwait(&l->cv, &l->mu, &ts) == ETIMEDOUT) {
            if (try_take(l, me)) result = TAKEN;
            break;
        }
    }
    atomic_fetch_sub(&l->waiters, 1);
    pthread_mutex_unlock(&l->mu);
    if (rt) wait_unlisted(rt, &self);
    return result;
}

static void lock_give(isr_lock *l) {
    atomic_store(&l->owner, 0);
    if (atomic_load(&l->waiters)) {
        pthread_mutex_lock(&l->mu);
        pthread_cond_broadcast(&l->cv);
        pthread_mutex_unlock(&l->mu);
    }
}

/* Applies fuel added with isorun_instance_add_fuel since the last call. */
static void apply_pending_fuel(isorun_instance *inst) {
    uint64_t add = atomic_exchange_explicit(&inst->pending_fuel, 0, memory_order_relaxed);
    if (!add) return;
    uint64_t cur = wasm_store_fuel(inst->store);
    uint64_t next = cur + add < cur || cur + add > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : cur + add;
    wasm_store_set_fuel(inst->store, true, next);
    atomic_fetch_add_explicit(&inst->fuel_granted, next - cur, memory_order_relaxed);
    atomic_store_explicit(&inst->fuel_remaining, next, memory_order_relaxed);
}

isorun_error *isr_instance_enter(isorun_instance *inst, uint64_t inherited_deadline_ns) {
    uintptr_t me = self_token();
    isr_lock *l = &inst->lock;
    /* Only this thread can have stored its own token, so a relaxed read
     * that sees it is exact. */
    if (atomic_load_explicit(&l->owner, memory_order_relaxed) == me) {
        l->depth++;
        return NULL;
    }
    uint64_t deadline = inherited_deadline_ns;
    if (inst->budget.deadline_ns) {
        uint64_t own = isr_now_ns() + inst->budget.deadline_ns;
        if (!deadline || own < deadline) deadline = own;
    }
    take_result taken = lock_take(l, me, deadline, inst->rt);
    if (taken != TAKEN) {
        char label[160];
        isr_instance_label(inst, label, sizeof label);
        if (taken == DEADLOCK)
            return isr_trap(ISORUN_TRAP_DEADLINE,
                            "instance busy: deadlock: %s is running a call on another thread that waits, itself or "
                            "through others, for an instance this call is inside; this call gives way",
                            label);
        return isr_trap(ISORUN_TRAP_DEADLINE,
                        "instance busy: %s is running a call on another thread that did not finish before this "
                        "call's deadline",
                        label);
    }
    l->depth = 1;
    isr_interrupt_clear(&inst->interrupt); /* also empties the wake-up fd a host call may poll */
    apply_pending_fuel(inst);
    /* None of its code runs now: the moment to move to native code that a
     * background build (native_jobs.c) finished since the last call. */
    if (inst->winst && !atomic_load_explicit(&inst->runs_native, memory_order_relaxed) &&
        wasm_instance_tier_up(inst->winst))
        atomic_store_explicit(&inst->runs_native, true, memory_order_relaxed);
    inst->run_deadline_ns = deadline;
    if (deadline) {
        isorun_error *err = isr_deadline_arm(&inst->rt->timer, &inst->timer, deadline, &inst->interrupt);
        if (err) {
            inst->run_deadline_ns = 0;
            l->depth = 0;
            lock_give(l);
            return err;
        }
    }
    return NULL;
}

isorun_error *isr_instance_lock(isorun_instance *inst) {
    uintptr_t me = self_token();
    if (atomic_load_explicit(&inst->lock.owner, memory_order_relaxed) == me) {
        inst->lock.depth++;
        return NULL;
    }
    /* A host function may read another instance's memory while its own
     * instance is held: the same cycle as for a call is possible. */
    if (lock_take(&inst->lock, me, 0, inst->rt) == DEADLOCK) {
        char label[160];
        isr_instance_label(inst, label, sizeof label);
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "deadlock: %s is running a call on another thread that waits for an instance this thread "
                         "is inside",
                         label);
    }
    inst->lock.depth = 1;
    return NULL;
}

void isr_instance_leave(isorun_instance *inst) {
    if (--inst->lock.depth) return;
    if (inst->run_deadline_ns) {
        isr_deadline_disarm(&inst->rt->timer, &inst->timer);
        inst->run_deadline_ns = 0;
    }
    lock_give(&inst->lock);
}

void isr_instance_account(isorun_instance *inst, const isorun_error *err) {
    /* Only the lock's owner writes these, so load + store is enough. */
    atomic_store_explicit(&inst->calls, atomic_load_explicit(&inst->calls, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    if (err && (err->code == ISORUN_ERR_TRAP || err->code == ISORUN_ERR_UNINSTANTIABLE))
        atomic_store_explicit(&inst->traps, atomic_load_explicit(&inst->traps, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    atomic_store_explicit(&inst->fuel_remaining, wasm_store_fuel(inst->store), memory_order_relaxed);
}
