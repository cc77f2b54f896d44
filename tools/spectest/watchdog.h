/*
 * watchdog.h — a per-command time limit for the spec runner.
 *
 * An engine bug can turn a spec test into an endless loop; the runner should
 * report that as one failed command and go on. The watchdog is a thread that
 * raises the store's interrupt flag (wasm_store_config.interrupt) when a
 * guarded operation runs longer than the limit; the engine then traps with
 * ISORUN_TRAP_INTERRUPTED.
 */
#ifndef ISORUN_SPECTEST_WATCHDOG_H
#define ISORUN_SPECTEST_WATCHDOG_H

#include <stdatomic.h>
#include <stdbool.h>

typedef struct watchdog watchdog;

/* Starts the thread. Returns NULL when timeout_seconds is 0 (no limit) or the
 * thread cannot be started; the other functions accept NULL. */
watchdog *watchdog_start(atomic_int *interrupt, unsigned timeout_seconds);

/* Clears the interrupt flag and starts the clock for one operation. */
void watchdog_arm(watchdog *w);

/* Stops the clock; true when the limit was hit (the flag was raised). */
bool watchdog_disarm(watchdog *w);

void watchdog_stop(watchdog *w);

#endif /* ISORUN_SPECTEST_WATCHDOG_H */
