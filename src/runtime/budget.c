/*
 * budget.c — mapping an isorun_budget onto the engine store that runs the
 * instance. Each instance has its own store, so these limits are per
 * instance by construction.
 */
#include "runtime.h"

#include <string.h>

void isr_budget_store_config(const isorun_budget *b, atomic_int *interrupt, wasm_store_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->max_call_depth = b->max_call_depth;
    cfg->interrupt = interrupt;
    cfg->max_memory_bytes = b->max_memory_bytes;
    cfg->max_table_elems_total = b->max_table_elements;
    cfg->max_instances = b->max_instances;
    cfg->max_tables = b->max_tables;
    cfg->max_memories = b->max_memories;
    cfg->trap_on_grow_failure = (b->flags & ISORUN_BUDGET_TRAP_ON_GROW) != 0;
}
