/*
 * system.c — system components: a capability (ops + config) that builders
 * share by reference. The config is freed with the last reference.
 */
#include "runtime.h"

#include <stdlib.h>

isorun_error *isorun_system_new(const isorun_system_ops *ops, void *config, isorun_system_component **out) {
    if (out) *out = NULL;
    if (!ops || !out) {
        if (ops && ops->free_config) ops->free_config(config);
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_system_new: ops and out are required");
    }
    isorun_system_component *c = calloc(1, sizeof *c);
    if (!c) {
        if (ops->free_config) ops->free_config(config);
        return isr_error_nomem();
    }
    atomic_init(&c->refs, 1);
    c->ops = ops;
    c->config = config;
    *out = c;
    return NULL;
}

isorun_system_component *isorun_system_ref(isorun_system_component *c) {
    if (c) atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
    return c;
}

void isorun_system_free(isorun_system_component *c) {
    if (!c || atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) != 1) return;
    if (c->ops->free_config) c->ops->free_config(c->config);
    free(c);
}
