/* serve.c — `isorun serve`: instantiate the modules, register each under its
 * id, serve them on the listen addresses until SIGINT or SIGTERM, then shut
 * down cleanly (every call in flight is answered). Only the public API. */
#include "serve.h"

#include "cli.h"
#include "links.h"
#include "module_load.h"
#include "serve_options.h"
#include "wasi_setup.h"

#include "isorun.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct serve_state {
    isorun_runtime *rt;
    isorun_server *server;
    isorun_instance **instances;
    isorun_module **modules; /* each instance's, kept for the native watcher */
    const char **ids;
    cli_link_state *links; /* one per instance */
    int ninstances;
    pthread_t watcher; /* reports background native builds (--native) */
    bool watching;
} serve_state;

/* The server's lifecycle lines, from its threads. */
static void log_line(void *data, const char *line) {
    (void)data;
    fprintf(stderr, "isorun serve: %s\n", line);
}

static int fail_with(const char *what, isorun_error *err) {
    int status = cli_error("%s: %s", what, isorun_error_message(err));
    isorun_error_free(err);
    return status;
}

static bool is_wasi(const char *module) { return strcmp(module, "wasi_snapshot_preview1") == 0; }

/* Every function import must be WASI or linked; nothing else provides any. */
static int check_imports(const serve_instance *si, isorun_module *m, bool *wasi) {
    isorun_item_info info;
    *wasi = false;
    for (size_t i = 0; isorun_module_import(m, i, &info); i++) {
        if (info.kind == ISORUN_EXTERN_FUNC && is_wasi(info.module)) {
            *wasi = true;
            continue;
        }
        if (info.kind == ISORUN_EXTERN_FUNC && cli_links_cover(si->run.links, si->run.nlinks, info.module)) continue;
        return cli_error("%s imports \"%s\".\"%s\", which nothing provides: link that module with --link %s=...",
                         si->run.file, info.module, info.name, info.module);
    }
    return 0;
}

/* WASI as `isorun run` grants it, from the instance's own flags. */
static int add_wasi(const serve_instance *si, isorun_builder *b) {
    isorun_system_component *wasi = NULL;
    int status = wasi_setup_component(&si->run, &wasi);
    if (status) return status;
    isorun_error *err = isorun_builder_add_system(b, wasi);
    isorun_system_free(wasi); /* the builder holds its own reference */
    return err ? fail_with(si->run.file, err) : 0;
}

static bool exports(isorun_module *m, const char *name) {
    isorun_item_info info;
    for (size_t i = 0; isorun_module_export(m, i, &info); i++)
        if (info.kind == ISORUN_EXTERN_FUNC && strcmp(info.name, name) == 0) return true;
    return false;
}

static int start_instance(const serve_instance *si, serve_state *st, int index) {
    isorun_module *m = NULL;
    isorun_error *err = cli_module_load(st->rt, si->run.file, si->run.precompiled, &m);
    if (err) return fail_with(si->run.file, err);
    bool wasi = false;
    int status = check_imports(si, m, &wasi);
    isorun_builder *b = status ? NULL : isorun_builder_new(st->rt, m);
    if (!status && !b) status = cli_error("out of memory");
    if (!status && wasi) status = add_wasi(si, b);
    if (!status) {
        isorun_builder_set_budget(b, &si->run.budget);
        status = cli_links_apply(si->run.links, si->run.nlinks, st->rt, b, &si->run.budget, si->run.precompiled,
                                 &st->links[index]);
    }
    if (!status && (err = isorun_builder_set_id(b, si->id))) status = fail_with(si->id, err);
    if (!status && (err = isorun_builder_instantiate(b, &st->instances[index])))
        status = fail_with(si->run.file, err);
    /* A reactor initializes itself once, before anyone calls it. */
    if (!status && exports(m, "_initialize") &&
        (err = isorun_instance_call(st->instances[index], "_initialize", NULL, 0, NULL, 0)))
        status = fail_with(si->run.file, err);
    isorun_builder_free(b);
    st->modules[index] = m; /* freed with the state */
    st->ids[index] = si->id;
    if (!status) fprintf(stderr, "isorun serve: instance \"%s\" ready (%s)\n", si->id, si->run.file);
    return status;
}

/* With --native the runtime builds in the background, so serving starts at
 * once and calls run interpreted until an instance's code is built: say
 * when that happens, or why it did not. */
static void *watch_native_builds(void *arg) {
    serve_state *st = arg;
    for (int i = 0; i < st->ninstances && st->modules[i]; i++) {
        isorun_error *err = isorun_module_wait_native(st->modules[i]);
        if (err)
            fprintf(stderr, "isorun serve: instance \"%s\": native build failed, it stays interpreted: %s\n",
                    st->ids[i], isorun_error_message(err));
        else
            fprintf(stderr, "isorun serve: instance \"%s\" runs native code\n", st->ids[i]);
        isorun_error_free(err);
    }
    return NULL;
}

static void state_free(serve_state *st) {
    isorun_server_free(st->server);
    for (int i = 0; i < st->ninstances; i++) {
        isorun_instance_free(st->instances[i]);
        cli_link_state_free(&st->links[i]);
    }
    /* A build under way is finished (not abandoned): its object is cached. */
    if (st->watching) pthread_join(st->watcher, NULL);
    for (int i = 0; i < st->ninstances; i++) isorun_module_free(st->modules[i]);
    free(st->modules);
    free(st->ids);
    free(st->instances);
    free(st->links);
    isorun_runtime_free(st->rt);
}

static int serve_parsed(const serve_options *o) {
    /* SIGINT and SIGTERM are taken by sigwait below; blocked before any
     * thread starts, so every thread inherits the mask and none of them is
     * interrupted by the signal. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    serve_state st = {0};
    st.instances = calloc((size_t)o->ninstances, sizeof *st.instances);
    st.links = calloc((size_t)o->ninstances, sizeof *st.links);
    st.modules = calloc((size_t)o->ninstances, sizeof *st.modules);
    st.ids = calloc((size_t)o->ninstances, sizeof *st.ids);
    st.ninstances = o->ninstances;
    int status = st.instances && st.links && st.modules && st.ids ? 0 : cli_error("out of memory");
    /* The native tier is the runtime's setting, so all served instances share
     * it; a server builds in the background and starts serving at once. */
    isorun_runtime_config rcfg = {.native_cc = getenv("ISORUN_CC"), .native_background = true};
    for (int i = 0; !status && i < o->ninstances; i++) {
        const run_options *r = &o->instances[i].run;
        if (i > 0 && r->native != rcfg.native)
            status = cli_error("--native applies to every served instance: give it to all of them or to none");
        rcfg.native = r->native;
        if (r->native_cache) rcfg.native_cache_dir = r->native_cache;
    }
    isorun_error *err = status ? NULL : isorun_runtime_new(&rcfg, &st.rt);
    if (err) status = fail_with("runtime", err);
    for (int i = 0; !status && i < o->ninstances; i++) status = start_instance(&o->instances[i], &st, i);
    if (!status && rcfg.native)
        st.watching = pthread_create(&st.watcher, NULL, watch_native_builds, &st) == 0;
    isorun_server_config cfg = {.workers = o->workers, .shutdown_grace_ns = o->grace_ns, .log = log_line};
    if (!status && (err = isorun_server_new(st.rt, &cfg, &st.server))) status = fail_with("server", err);
    for (int i = 0; !status && i < o->nlisten; i++) {
        isorun_listener *l = NULL;
        if ((err = isorun_listen(o->listen[i], NULL, &l)) || (err = isorun_server_listen(st.server, l)))
            status = fail_with(o->listen[i], err);
    }
    if (!status) {
        int sig = 0;
        sigwait(&stop, &sig);
        fprintf(stderr, "isorun serve: %s received\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    }
    state_free(&st); /* the server shuts down first: calls in flight are answered */
    return status;
}

int serve_command(int argc, char **argv) {
    serve_options o;
    int status = serve_options_parse(argc, argv, &o);
    if (status == 0)
        status = serve_parsed(&o);
    else if (status < 0)
        status = 0; /* printed the help */
    serve_options_free(&o);
    return status;
}
