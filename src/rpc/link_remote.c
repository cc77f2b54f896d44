/*
 * link_remote.c — remote links: every function import of one module becomes
 * a stub that calls the function of the same name of an instance in another
 * runtime, over a transport.
 *
 * A remote link is a system component (isorun_system_new) whose install
 * defines one host function per import, with the import's own signature; so
 * it goes through the same resolution and type checks as any host function,
 * and its state (the transport reference, the stubs) lives and dies with the
 * component. The stub's types and fingerprint are computed once, here.
 *
 * A link over a dialed transport outlives its connection: when the
 * connection has failed, the next call dials the same address again and the
 * link moves to the new connection. A call in flight when it failed is not
 * repeated — it may have run — and ends unavailable.
 */
#include "rpc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often a link dials a failed connection's address again. While the peer
 * is down, calls fail at once in between: a connect to an unreachable host
 * can take the whole call timeout, which no call should pay every time. */
#define REDIAL_INTERVAL_NS (1000ull * 1000000ull)

typedef struct remote_link remote_link;

typedef struct stub {
    remote_link *link;
    char *name;         /* the import's name = the remote function's name */
    char *signature;    /* "i32 i32 -> i32", for isorun_imports_define */
    isorun_kind *kinds; /* parameters, then results */
    const cm_type **types;
    cm_functype ft;
    uint64_t fingerprint;
} stub;

struct remote_link {
    pthread_mutex_t mu;      /* guards t, redialing, next_redial_ns */
    isorun_transport *t;     /* reference; replaced when redialed */
    bool redialing;          /* one caller dials; the others do not wait for it */
    uint64_t next_redial_ns; /* CLOCK_MONOTONIC */
    char *module, *remote_id;
    uint64_t salt;
    stub *stubs;
    size_t nstubs;
};

static void link_free(void *config) {
    remote_link *l = config;
    if (!l) return;
    for (size_t i = 0; i < l->nstubs; i++) {
        free(l->stubs[i].name);
        free(l->stubs[i].signature);
        free(l->stubs[i].kinds);
        free(l->stubs[i].types);
    }
    free(l->stubs);
    free(l->module);
    free(l->remote_id);
    isorun_transport_free(l->t);
    pthread_mutex_destroy(&l->mu);
    free(l);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The transport for the next call, referenced. A dialed transport whose
 * connection failed is replaced by a new connection to the same address, at
 * most once per REDIAL_INTERVAL_NS; *err is set when that dial failed. */
static isorun_transport *link_transport(remote_link *l, isorun_error **err) {
    *err = NULL;
    pthread_mutex_lock(&l->mu);
    isorun_transport *cur = isorun_transport_ref(l->t);
    bool dial = atomic_load(&cur->closed_flag) && cur->dial_url && !l->redialing && now_ns() >= l->next_redial_ns;
    if (dial) l->redialing = true;
    pthread_mutex_unlock(&l->mu);
    if (!dial) return cur;

    isorun_transport *fresh = NULL;
    isorun_error *failed = rpc_transport_redial(cur, &fresh);
    pthread_mutex_lock(&l->mu);
    l->redialing = false;
    l->next_redial_ns = now_ns() + REDIAL_INTERVAL_NS;
    isorun_transport *old = NULL, *use = cur;
    if (fresh) { /* only one caller redials, so l->t is still cur */
        old = l->t;
        l->t = fresh;
        use = isorun_transport_ref(fresh);
    }
    pthread_mutex_unlock(&l->mu);
    if (fresh) {
        isorun_transport_free(old); /* the link's reference */
        isorun_transport_free(cur); /* this call's */
    } else {
        *err = rpc_error_with_status(isr_error_wrap(failed, "remote unavailable: dialing %s again", cur->dial_url),
                                     ISORUN_RPC_UNAVAILABLE);
    }
    return use;
}

static isorun_error *stub_call(isorun_call *call, const isorun_val *args, isorun_val *results) {
    const stub *st = isorun_call_data(call);
    const remote_link *l = st->link;
    isorun_instance *caller = isorun_call_instance(call);
    /* The chain this thread serves (if the caller runs for a remote call),
     * plus the caller itself: it waits for this call, holding its lock. */
    rpc_chain chain = {0};
    const rpc_chain *served = rpc_chain_current();
    if (served) chain = *served;
    if (chain.len >= RPC_MAX_CHAIN)
        return isr_error(ISORUN_ERR_LIMIT, "import \"%s\".\"%s\": remote call-cycle: the chain of remote calls is %d "
                                           "deep, the most the protocol allows (a cycle through local links?)",
                         l->module, st->name, RPC_MAX_CHAIN);
    chain.tokens[chain.len++] = rpc_instance_token(l->salt, caller);
    /* The outermost call's deadline bounds the wait (the transport's call
     * timeout bounds it when there is none). The caller's thread owns the
     * instance here, so reading its deadline is safe. */
    isorun_error *err = NULL;
    isorun_transport *t = link_transport(st->link, &err);
    if (!err)
        err = rpc_call(t, l->remote_id, st->name, &st->ft, st->fingerprint, args, results, caller->run_deadline_ns,
                       &chain);
    isorun_transport_free(t);
    if (!err || isorun_error_code_of(err) != ISORUN_ERR_TRAP) return err;
    /* A trap ends the guest's call with the remote trap code; say which
     * import it came through (other errors become ISORUN_TRAP_HOST, and the
     * runtime names the import then). */
    return isr_error_wrap(err, "import \"%s\".\"%s\"", l->module, st->name);
}

static isorun_error *link_install(void *config, isorun_imports *imports) {
    remote_link *l = config;
    for (size_t i = 0; i < l->nstubs; i++) {
        isorun_error *err = isorun_imports_define(imports, l->module, l->stubs[i].name, l->stubs[i].signature,
                                                  stub_call, &l->stubs[i]);
        if (err) return err;
    }
    return NULL;
}

static const isorun_system_ops remote_link_ops = {
    .name = "remote link",
    .install = link_install,
    .free_config = link_free,
};

static const char *core_name(isorun_kind k) {
    switch (k) {
    case ISORUN_I32: return "i32";
    case ISORUN_I64: return "i64";
    case ISORUN_F32: return "f32";
    case ISORUN_F64: return "f64";
    default: return NULL;
    }
}

/* The stub for one import of type ft. */
static isorun_error *make_stub(remote_link *l, const isorun_item_info *info, stub *st) {
    const isorun_functype *type = &info->type;
    size_t n = (size_t)type->nparams + type->nresults;
    st->link = l;
    st->name = isr_strndup(info->name, strlen(info->name));
    st->kinds = calloc(n + 1, sizeof *st->kinds);
    st->types = calloc(n + 1, sizeof *st->types);
    if (!st->name || !st->kinds || !st->types) return isr_error_nomem();
    if (n) memcpy(st->kinds, type->params, type->nparams * sizeof *st->kinds);
    if (type->nresults) memcpy(st->kinds + type->nparams, type->results, type->nresults * sizeof *st->kinds);
    isr_buf sig = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const char *name = core_name(st->kinds[i]);
        if (!name) {
            isr_buf_free(&sig);
            return isr_error(ISORUN_ERR_UNLINKABLE,
                             "import \"%s\".\"%s\" passes a %s, which cannot cross to another runtime (only i32, "
                             "i64, f32 and f64 can)",
                             l->module, info->name, isorun_kind_name(st->kinds[i]));
        }
        if (i == type->nparams) ok = isr_buf_printf(&sig, " ->");
        ok = ok && isr_buf_printf(&sig, " %s", name);
    }
    if (ok && type->nresults == 0) ok = isr_buf_printf(&sig, " ->");
    ok = ok && isr_buf_append(&sig, "", 1);
    if (!ok) {
        isr_buf_free(&sig);
        return isr_error_nomem();
    }
    st->signature = (char *)sig.data;
    isorun_functype core = {type->nparams, type->nresults, st->kinds, st->kinds + type->nparams};
    isorun_error *err = cm_functype_of_core(&core, st->types, &st->ft);
    if (!err) err = rpc_functype_fingerprint(&st->ft, &st->fingerprint);
    return err;
}

isorun_error *isorun_builder_link_remote(isorun_builder *b, const char *import_module, isorun_transport *t,
                                         const char *remote_id) {
    if (!b || !import_module || !t || !remote_id)
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "isorun_builder_link_remote: builder, import module, transport and remote id are required");
    if (!*remote_id || strlen(remote_id) > RPC_MAX_TARGET)
        return isr_error(ISORUN_ERR_ARGUMENT, "link \"%s\": the remote id must have 1 to %d bytes", import_module,
                         RPC_MAX_TARGET);
    remote_link *l = calloc(1, sizeof *l);
    if (!l) return isr_error_nomem();
    if (pthread_mutex_init(&l->mu, NULL) != 0) {
        free(l);
        return isr_error_nomem();
    }
    l->t = isorun_transport_ref(t);
    l->module = isr_strndup(import_module, strlen(import_module));
    l->remote_id = isr_strndup(remote_id, strlen(remote_id));
    l->salt = rpc_process_salt();
    size_t nimports = isorun_module_import_count(b->m);
    l->stubs = calloc(nimports + 1, sizeof *l->stubs);
    if (!l->module || !l->remote_id || !l->stubs) {
        link_free(l);
        return isr_error_nomem();
    }
    isorun_error *err = NULL;
    for (size_t i = 0; i < nimports && !err; i++) {
        isorun_item_info info;
        if (!isorun_module_import(b->m, i, &info) || info.kind != ISORUN_EXTERN_FUNC ||
            strcmp(info.module, import_module) != 0)
            continue;
        err = make_stub(l, &info, &l->stubs[l->nstubs++]);
    }
    if (!err && l->nstubs == 0)
        err = isr_error(ISORUN_ERR_ARGUMENT, "link \"%s\": the module imports no function from \"%s\"", import_module,
                        import_module);
    if (err) {
        link_free(l);
        return err;
    }
    isorun_system_component *c = NULL;
    err = isorun_system_new(&remote_link_ops, l, &c); /* frees l on error */
    if (err) return err;
    err = isorun_builder_add_system(b, c);
    isorun_system_free(c);
    if (err) return isr_error_wrap(err, "link \"%s\" to '%s'", import_module, remote_id);
    return NULL;
}
