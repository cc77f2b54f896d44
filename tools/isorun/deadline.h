/* deadline.h — a watchdog thread that interrupts the guest when its wall-
 * clock time runs out (--timeout). */
#ifndef ISORUN_CLI_DEADLINE_H
#define ISORUN_CLI_DEADLINE_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct deadline deadline;

/* After `nanoseconds`, stores WASM_INTERRUPT_DEADLINE into *flag (the store's
 * interrupt flag). NULL when no thread could be started. */
deadline *deadline_start(atomic_int *flag, uint64_t nanoseconds);
/* Stops the watchdog (if it has not fired) and frees it. NULL is a no-op. */
void deadline_stop(deadline *d);

#endif /* ISORUN_CLI_DEADLINE_H */
