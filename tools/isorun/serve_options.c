/* serve_options.c — the flags of `isorun serve`:
 *
 *   isorun serve --listen ADDRESS... [--workers N] [--grace DURATION]
 *                ( [INSTANCE FLAGS] FILE.wasm --as ID )...
 *
 * Server flags may appear anywhere. Each instance's flags are those of
 * `isorun run` that apply to a served instance (grants, budget, --link),
 * parsed by the same table, so they mean exactly what they mean for `run`. */
#include "serve_options.h"

#include "cli.h"
#include "report.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void serve_print_help(void) {
    printf("usage: isorun serve --listen ADDRESS [--listen ADDRESS...] [--workers N] [--grace DURATION]\n"
           "                    [INSTANCE FLAGS] FILE.wasm --as ID [[INSTANCE FLAGS] FILE2.wasm --as ID2 ...]\n"
           "\n"
           "Instantiates each FILE.wasm, registers it as ID and answers remote calls to the\n"
           "exports of every instance on every ADDRESS until SIGINT or SIGTERM; then calls in\n"
           "flight finish (or are interrupted after the grace period) and are answered,\n"
           "and it exits 0. One line per lifecycle event goes to stderr. Callers link to an\n"
           "instance with `isorun run --link MODULE=ADDRESS/ID` (or the library's\n"
           "isorun_builder_link_remote). docs/protocol.md describes the protocol.\n"
           "\n"
           "server flags:\n"
           "  --listen ADDRESS         tcp://HOST:PORT (PORT 0: any free port; the log line\n"
           "                           says which), unix:///PATH or nats://HOST:PORT\n"
           "                           (a NATS server's address; repeatable)\n"
           "  --workers N              threads running calls (default 8)\n"
           "  --grace DURATION         how long shutdown lets running calls finish before\n"
           "                           interrupting them (default 5s)\n"
           "  -h, --help               this text\n"
           "\n"
           "instance flags (before each FILE.wasm): --dir, --env, --env-inherit, --allow,\n"
           "--fuel, --max-memory, --timeout, --max-stack, --link, --native,\n"
           "--native-cache and --precompiled, as for `isorun run` (see isorun run --help):\n"
           "each instance gets only what its own flags grant. --native, when given, must\n"
           "be given to every instance; their code is built in the background (or taken\n"
           "from the cache, or from isorun compile -o with --precompiled): calls run\n"
           "interpreted until it is ready, and a line says when that is.\n"
           "--timeout bounds each call; a caller's own deadline bounds it too.\n"
           "\n"
           "exit status: 0 after a clean shutdown; %d when it could not start (bad flags,\n"
           "module, link or address).\n",
           CLI_EXIT_ERROR);
}

/* "--flag value" or "--flag=value" at argv[*i]: the value, advancing *i. */
static const char *flag_value(int argc, char **argv, int *i, const char *name, bool *matched) {
    size_t n = strlen(name);
    *matched = false;
    if (strncmp(argv[*i], name, n) != 0) return NULL;
    if (argv[*i][n] == '=') {
        *matched = true;
        return argv[*i] + n + 1;
    }
    if (argv[*i][n] != '\0') return NULL;
    *matched = true;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

/* One instance group: its flags and FILE.wasm, then --as ID at argv[end]. */
static int parse_instance(int argc, char **argv, int start, int end, serve_options *o) {
    serve_instance *grown = realloc(o->instances, (size_t)(o->ninstances + 1) * sizeof *o->instances);
    if (!grown) return cli_error("out of memory");
    o->instances = grown;
    serve_instance *si = &o->instances[o->ninstances++];
    memset(si, 0, sizeof *si);
    if (end + 1 >= argc || !argv[end + 1][0]) return cli_error("--as needs the id to serve the instance under");
    si->id = argv[end + 1];
    int status = run_options_parse(end - start, argv + start, &si->run);
    if (status) return status == -1 ? cli_error("--help is not an instance flag (see isorun serve --help)") : status;
    const run_options *r = &si->run;
    if (r->nargs > 0)
        return cli_error("unexpected argument \"%s\" after %s (served instances take no arguments; end each "
                         "instance with --as ID)",
                         r->args[0], r->file);
    si->run.args = NULL; /* pointed into the parser's scratch array */
    if (r->invoke) return cli_error("--invoke is for isorun run: a served instance's exports are called remotely");
    return 0;
}

int serve_options_parse(int argc, char **argv, serve_options *o) {
    memset(o, 0, sizeof *o);
    /* Server flags come out first, wherever they are; what is left is the
     * instance groups. */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest) return cli_error("out of memory");
    int nrest = 0, status = 0;
    for (int i = 0; i < argc && !status; i++) {
        bool matched;
        const char *v;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            serve_print_help();
            status = -1;
        } else if ((v = flag_value(argc, argv, &i, "--listen", &matched)), matched) {
            const char **grown = v ? realloc(o->listen, (size_t)(o->nlisten + 1) * sizeof *o->listen) : NULL;
            if (!v) status = cli_error("--listen needs an address: tcp://HOST:PORT, unix:///PATH or nats://HOST:PORT");
            else if (!grown) status = cli_error("out of memory");
            else {
                o->listen = grown;
                o->listen[o->nlisten++] = v;
            }
        } else if ((v = flag_value(argc, argv, &i, "--workers", &matched)), matched) {
            uint64_t n = 0;
            if (!v || !units_parse_count(v, &n) || n == 0 || n > 1024)
                status = cli_error("--workers wants a number of threads from 1 to 1024, not \"%s\"", v ? v : "");
            o->workers = (uint32_t)n;
        } else if ((v = flag_value(argc, argv, &i, "--grace", &matched)), matched) {
            if (!v || !units_parse_duration(v, &o->grace_ns))
                status = cli_error("--grace wants a duration like 500ms or 5s, not \"%s\"", v ? v : "");
        } else {
            rest[nrest++] = argv[i];
        }
    }
    int start = 0;
    for (int i = 0; i < nrest && !status; i++) {
        if (strcmp(rest[i], "--as") != 0) continue;
        status = parse_instance(nrest, rest, start, i, o);
        start = i + 2;
        i++;
    }
    if (!status && start < nrest)
        status = cli_error("\"%s\" is not followed by --as ID: every served module needs an id", rest[nrest - 1]);
    if (!status && o->ninstances == 0)
        status = cli_error("nothing to serve: isorun serve --listen ADDRESS FILE.wasm --as ID");
    if (!status && o->nlisten == 0)
        status = cli_error("no --listen ADDRESS: say where callers reach the instances (e.g. tcp://127.0.0.1:7000)");
    for (int i = 0; !status && i < o->ninstances; i++)
        for (int k = 0; k < i; k++)
            if (strcmp(o->instances[i].id, o->instances[k].id) == 0)
                status = cli_error("two instances are served as \"%s\": ids must differ", o->instances[i].id);
    free(rest);
    return status;
}

void serve_options_free(serve_options *o) {
    for (int i = 0; i < o->ninstances; i++) run_options_free(&o->instances[i].run);
    free(o->instances);
    free(o->listen);
    memset(o, 0, sizeof *o);
}
