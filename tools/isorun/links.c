/* links.c — `--link MODULE=TARGET` (see links.h). */
#include "links.h"
#include "module_load.h"

#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_link_free(cli_link *l) {
    free(l->module);
    free(l->address);
    free(l->id);
    free(l->file);
    memset(l, 0, sizeof *l);
}

int cli_link_parse(const char *value, cli_link *out) {
    memset(out, 0, sizeof *out);
    const char *eq = strchr(value, '=');
    if (!eq || eq == value || !eq[1])
        return cli_error("--link wants MODULE=ADDRESS/ID or MODULE=FILE.wasm, not \"%s\"", value);
    out->module = strndup(value, (size_t)(eq - value));
    const char *target = eq + 1;
    const char *scheme = strstr(target, "://");
    if (!scheme) {
        out->file = strdup(target);
        if (!out->module || !out->file) return cli_error("out of memory");
        return 0;
    }
    /* The id follows the last '/', which must come after the address:
     * tcp://HOST:PORT/ID, unix:///PATH/ID, nats://HOST:PORT/ID. */
    const char *slash = strrchr(target, '/');
    bool is_unix = strncmp(target, "unix://", 7) == 0;
    if (!slash || slash <= scheme + 2 || (is_unix && slash == scheme + 3) || !slash[1])
        return cli_error("--link %s: the address needs the remote instance's id at the end, e.g. "
                         "tcp://127.0.0.1:7000/math-1 or unix:///run/isorun.sock/math-1",
                         value);
    out->address = strndup(target, (size_t)(slash - target));
    out->id = strdup(slash + 1);
    if (!out->module || !out->address || !out->id) return cli_error("out of memory");
    return 0;
}

bool cli_links_cover(const cli_link *links, int n, const char *module) {
    for (int i = 0; i < n; i++)
        if (strcmp(links[i].module, module) == 0) return true;
    return false;
}

static bool push(void ***array, size_t *n, void *item) {
    void **grown = realloc(*array, (*n + 1) * sizeof **array);
    if (!grown) return false;
    grown[(*n)++] = item;
    *array = grown;
    return true;
}

/* The provider of a local link: FILE.wasm instantiated with nothing granted. */
static int local_provider(const cli_link *l, isorun_runtime *rt, const isorun_budget *budget, bool precompiled,
                          isorun_instance **out) {
    isorun_module *m = NULL;
    isorun_builder *pb = NULL;
    isorun_error *err = cli_module_load(rt, l->file, precompiled, &m);
    if (!err) {
        pb = isorun_builder_new(rt, m);
        if (!pb) err = isorun_error_new(ISORUN_ERR_NOMEM, "out of memory");
    }
    if (!err) {
        isorun_builder_set_budget(pb, budget);
        err = isorun_builder_instantiate(pb, out);
    }
    isorun_builder_free(pb);
    isorun_module_free(m);
    if (!err) return 0;
    int status = cli_error("--link %s=%s: %s", l->module, l->file, isorun_error_message(err));
    isorun_error_free(err);
    return status;
}

int cli_links_apply(const cli_link *links, int n, isorun_runtime *rt, isorun_builder *b, const isorun_budget *budget,
                    bool precompiled,
                    cli_link_state *st) {
    for (int i = 0; i < n; i++) {
        const cli_link *l = &links[i];
        isorun_error *err = NULL;
        if (l->address) {
            isorun_transport *t = NULL;
            err = isorun_transport_dial(l->address, NULL, &t);
            if (!err && !push((void ***)&st->transports, &st->ntransports, t)) {
                isorun_transport_free(t);
                return cli_error("out of memory");
            }
            if (!err) err = isorun_builder_link_remote(b, l->module, t, l->id);
            if (err) {
                int status = cli_error("--link %s=%s/%s: %s", l->module, l->address, l->id, isorun_error_message(err));
                isorun_error_free(err);
                return status;
            }
            continue;
        }
        isorun_instance *provider = NULL;
        int status = local_provider(l, rt, budget, precompiled, &provider);
        if (status) return status;
        if (!push((void ***)&st->providers, &st->nproviders, provider)) {
            isorun_instance_free(provider);
            return cli_error("out of memory");
        }
        err = isorun_builder_link_local(b, l->module, provider);
        if (err) {
            status = cli_error("--link %s=%s: %s", l->module, l->file, isorun_error_message(err));
            isorun_error_free(err);
            return status;
        }
    }
    return 0;
}

void cli_link_state_free(cli_link_state *st) {
    for (size_t i = 0; i < st->nproviders; i++) isorun_instance_free(st->providers[i]);
    for (size_t i = 0; i < st->ntransports; i++) isorun_transport_free(st->transports[i]);
    free(st->providers);
    free(st->transports);
    memset(st, 0, sizeof *st);
}
