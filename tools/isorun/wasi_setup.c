/* wasi_setup.c — a run's flags as WASI options (see wasi_setup.h). */
#include "wasi_setup.h"

#include "cli.h"
#include "guest_env.h"

#include <stdlib.h>

static int fail(const char *what, isorun_error *err) {
    int status = cli_error("%s: %s", what, isorun_error_message(err));
    isorun_error_free(err);
    return status;
}

static int set_args(const run_options *o, isorun_wasi_options *w) {
    int argc = o->invoke ? 1 : 1 + o->nargs;
    const char **argv = malloc(sizeof *argv * (size_t)argc);
    if (!argv) return cli_error("out of memory");
    argv[0] = o->file;
    for (int i = 1; i < argc; i++) argv[i] = o->args[i - 1];
    isorun_error *err = isorun_wasi_set_args(w, argc, argv);
    free(argv);
    return err ? fail("arguments", err) : 0;
}

static int set_env(const run_options *o, isorun_wasi_options *w) {
    int n;
    const char **env = guest_env_build(o, &n);
    if (!env) return cli_error("out of memory");
    isorun_error *err = NULL;
    for (int i = 0; i < n && !err; i++) err = isorun_wasi_add_env(w, env[i]);
    free(env);
    return err ? fail("environment", err) : 0;
}

static int mount_dirs(const run_options *o, isorun_wasi_options *w) {
    for (int i = 0; i < o->nmounts; i++) {
        const run_mount *m = &o->mounts[i];
        isorun_error *err = isorun_wasi_mount(w, m->host, m->guest, m->read_only ? ISORUN_WASI_READ_ONLY : 0);
        if (err) return fail("--dir", err);
    }
    return 0;
}

int wasi_setup_component(const run_options *o, isorun_system_component **out) {
    *out = NULL;
    isorun_wasi_options *w = isorun_wasi_options_new();
    if (!w) return cli_error("out of memory");
    int status = set_args(o, w);
    if (status == 0) status = set_env(o, w);
    if (status == 0) status = mount_dirs(o, w);
    if (status) {
        isorun_wasi_options_free(w);
        return status;
    }
    isorun_wasi_allow(w, o->grants);
    isorun_error *err = isorun_wasi_new(w, out); /* owns w from here on */
    return err ? fail("WASI", err) : 0;
}
