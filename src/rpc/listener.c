/* listener.c — isorun_listener: the public wrapper around listener ops, and
 * the built-in listeners by address. */
#include "rpc.h"

#include <stdio.h>
#include <stdlib.h>

isorun_error *isorun_listener_new(const isorun_listener_ops *ops, void *impl, isorun_listener **out) {
    if (!ops || !ops->accept || !ops->close || !ops->free || !out) {
        if (ops && ops->free) ops->free(impl);
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_listener_new: accept, close, free and out are required");
    }
    isorun_listener *l = calloc(1, sizeof *l);
    if (!l) {
        ops->free(impl);
        return isr_error_nomem();
    }
    l->ops = ops;
    l->impl = impl;
    snprintf(l->url, sizeof l->url, "%s", ops->describe ? ops->describe(impl) : ops->name ? ops->name : "listener");
    *out = l;
    return NULL;
}

isorun_error *isorun_listen(const char *url, const isorun_rpc_options *opts, isorun_listener **out) {
    if (!out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_listen: out is required");
    *out = NULL;
    tp_url u;
    isorun_error *err = tp_url_parse(url, &u);
    if (err) return err;
    isorun_rpc_options o;
    rpc_options_resolve(opts, &o);
    void *impl;
    if (u.scheme == TP_URL_NATS) {
        err = tp_nats_listen(url, &u, o.call_timeout_ns, &impl);
        if (err) return err;
        return isorun_listener_new(&tp_nats_listener_ops, impl, out);
    }
    err = tp_socket_listen(url, &u, &impl);
    if (err) return err;
    return isorun_listener_new(&tp_socket_listener_ops, impl, out);
}

const char *isorun_listener_url(const isorun_listener *l) { return l ? l->url : "(no listener)"; }

void isorun_listener_free(isorun_listener *l) {
    if (!l) return;
    l->ops->close(l->impl);
    l->ops->free(l->impl);
    free(l);
}
