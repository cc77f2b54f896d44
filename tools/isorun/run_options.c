/* run_options.c — the flags of `isorun run`: one table (name, value, help,
 * apply) that drives both parsing and `isorun run --help`. */
#include "run_options.h"

#include "capabilities.h"
#include "cli.h"
#include "flags.h"
#include "report.h"
#include "units.h"

#include <stdlib.h>
#include <string.h>

/* Appends one element to a growable array of *n elements of size `size`. */
static void *append(void *array, int *n, size_t size) {
    char *grown = realloc(array, size * (size_t)(*n + 1));
    if (grown) memset(grown + size * (size_t)*n, 0, size);
    return grown;
}

static int apply_invoke(void *opts, const char *v) {
    run_options *o = opts;
    if (!*v) return cli_error("--invoke needs the name of an exported function");
    o->invoke = v;
    return 0;
}

static int apply_env(void *opts, const char *v) {
    run_options *o = opts;
    if (!strchr(v, '=') || v[0] == '=') return cli_error("--env wants NAME=VALUE, not \"%s\"", v);
    const char **grown = append(o->env, &o->nenv, sizeof *o->env);
    if (!grown) return cli_error("out of memory");
    o->env = grown;
    o->env[o->nenv++] = v;
    return 0;
}

static int apply_env_inherit(void *opts, const char *v) {
    (void)v;
    ((run_options *)opts)->env_inherit = true;
    return 0;
}

/* HOST, HOST::GUEST, and either followed by ":ro" (or ":rw"). */
static int apply_dir(void *opts, const char *v) {
    run_options *o = opts;
    char *copy = strdup(v);
    if (!copy) return cli_error("out of memory");
    run_mount m = {.owned = copy};
    size_t len = strlen(copy);
    if (len > 3 && (strcmp(copy + len - 3, ":ro") == 0 || strcmp(copy + len - 3, ":rw") == 0)) {
        m.read_only = copy[len - 1] == 'o';
        copy[len - 3] = '\0';
    }
    char *sep = strstr(copy, "::");
    m.host = copy;
    m.guest = copy;
    if (sep) {
        *sep = '\0';
        m.guest = sep + 2;
    }
    if (!*m.host || !*m.guest) {
        free(copy);
        return cli_error("--dir wants HOST, HOST::GUEST or HOST::GUEST:ro, not \"%s\"", v);
    }
    run_mount *grown = append(o->mounts, &o->nmounts, sizeof *o->mounts);
    if (!grown) {
        free(copy);
        return cli_error("out of memory");
    }
    o->mounts = grown;
    o->mounts[o->nmounts++] = m;
    return 0;
}

static int apply_allow(void *opts, const char *v) {
    run_options *o = opts;
    if (!*v) return cli_error("--allow wants capability names, e.g. --allow clocks,random");
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        const cli_capability *cap = cli_capability_find(p, len);
        if (!cap)
            return cli_error("unknown capability \"%.*s\" for --allow (known: clocks, random; see isorun run --help)",
                             (int)(len < 60 ? len : 60), p);
        o->grants |= cap->grant;
        p += len;
        if (*p == ',') p++;
    }
    return 0;
}

static int apply_fuel(void *opts, const char *v) {
    run_options *o = opts;
    /* The budget's 0 means "unmetered", so 0 cannot be asked for. */
    if (!units_parse_count(v, &o->budget.fuel) || o->budget.fuel == 0)
        return cli_error("--fuel wants a positive count of instructions like 1000000 or 1e9, not \"%s\"", v);
    return 0;
}

static int apply_max_memory(void *opts, const char *v) {
    run_options *o = opts;
    if (!units_parse_size(v, &o->budget.max_memory_bytes) || o->budget.max_memory_bytes == 0)
        return cli_error("--max-memory wants a size in bytes like 65536, 64M or 1G, not \"%s\"", v);
    return 0;
}

static int apply_timeout(void *opts, const char *v) {
    run_options *o = opts;
    if (!units_parse_duration(v, &o->budget.deadline_ns))
        return cli_error("--timeout wants a duration like 500ms, 2s or 1m, not \"%s\"", v);
    return 0;
}

static int apply_max_stack(void *opts, const char *v) {
    run_options *o = opts;
    uint64_t depth;
    if (!units_parse_count(v, &depth) || depth == 0 || depth > UINT32_MAX)
        return cli_error("--max-stack wants a call depth from 1 to 4294967295, not \"%s\"", v);
    o->budget.max_call_depth = (uint32_t)depth;
    return 0;
}

static int apply_link(void *opts, const char *v) {
    run_options *o = opts;
    cli_link *grown = append(o->links, &o->nlinks, sizeof *o->links);
    if (!grown) return cli_error("out of memory");
    o->links = grown;
    int status = cli_link_parse(v, &o->links[o->nlinks]);
    o->nlinks++; /* freed with the options even when malformed */
    return status;
}

static int apply_native(void *opts, const char *v) {
    ((run_options *)opts)->native = true;
    return 0;
}

static int apply_native_cache(void *opts, const char *v) {
    run_options *o = opts;
    o->native = true;
    o->native_cache = v;
    return 0;
}

static int apply_precompiled(void *opts, const char *v) {
    ((run_options *)opts)->precompiled = true;
    return 0;
}

static const cli_flag run_flags[] = {
    {"--invoke", "NAME", "call export NAME instead of _start (after\n"
                         "_initialize, if exported); ARGS are its i32, i64,\n"
                         "f32, f64 arguments; results print one per line",
     apply_invoke},
    {"--dir", "HOST[::GUEST][:ro]", "mount host directory HOST as GUEST (default: the\n"
                                    "same path); :ro makes it read-only (repeatable)",
     apply_dir},
    {"--env", "NAME=VALUE", "set an environment variable (repeatable)", apply_env},
    {"--env-inherit", NULL, "pass the host's environment too (--env wins)", apply_env_inherit},
    {"--allow", "CAP[,CAP...]", "grant capabilities beyond mounts and stdio (below);\n"
                                "ungranted calls get WASI errno ENOTCAPABLE (76)",
     apply_allow},
    {"--max-memory", "SIZE", "cap on linear memory: 65536, 64M, 1G (default 4G)", apply_max_memory},
    {"--fuel", "N", "stop the guest after about N instructions (1e9)", apply_fuel},
    {"--timeout", "DURATION", "stop each call into the guest after this wall\n"
                              "time: 500ms, 2s, 1m (checked in wasm code, not\n"
                              "while the guest is blocked in a host call)",
     apply_timeout},
    {"--max-stack", "DEPTH", "maximum nesting of wasm calls (default 10000)", apply_max_stack},
    {"--link", "MODULE=TARGET", "satisfy the imports from MODULE with the exports\n"
                                "of a remote instance, TARGET = ADDRESS/ID with\n"
                                "ADDRESS tcp://HOST:PORT, unix:///PATH or\n"
                                "nats://HOST:PORT (see isorun serve), or of\n"
                                "TARGET = FILE.wasm run in this process with\n"
                                "nothing granted (repeatable)",
     apply_link},
    {"--native", NULL, "run as native code: translate the module to C and\n"
                       "build it with the system's C compiler ($ISORUN_CC,\n"
                       "default cc); cached, so only the first run of a\n"
                       "module pays for the build (see isorun compile)",
     apply_native},
    {"--native-cache", "DIR", "keep native builds in DIR (implies --native;\n"
                              "default $XDG_CACHE_HOME/isorun/native or\n"
                              "~/.cache/isorun/native)",
     apply_native_cache},
    {"--precompiled", NULL, "trust native objects from isorun compile -o given\n"
                            "as FILE or as --link targets: they run natively\n"
                            "with no C compiler; it runs code from the files,\n"
                            "so only for files you trust (.wasm loads as usual)",
     apply_precompiled},
    {NULL, NULL, NULL, NULL},
};

void run_print_help(void) {
    printf("usage: isorun run [OPTIONS] FILE.wasm [ARGS...]\n"
           "\n"
           "Runs FILE.wasm's _start with ARGS as argv (argv[0] = FILE.wasm). The guest gets\n"
           "stdio, the directories given with --dir and nothing else unless granted: no\n"
           "host environment, no clocks, no randomness. With --invoke, calls export NAME\n"
           "with ARGS as its arguments and prints each result on its own line.\n"
           "\n"
           "options (before FILE.wasm):\n");
    cli_print_flags(stdout, run_flags);
    printf("  %-24s %s\n", "-h, --help", "this text");
    printf("\ncapabilities for --allow:\n");
    cli_capabilities_print(stdout, "  ");
    printf("\n");
    report_print_exit_statuses(stdout);
}

int run_options_parse(int argc, char **argv, run_options *o) {
    memset(o, 0, sizeof *o);
    int next = 0;
    int status = cli_parse_flags(run_flags, "run", argc, argv, o, &next, run_print_help);
    if (status) return status;
    if (next >= argc) return cli_error("no module given: isorun run [OPTIONS] FILE.wasm [ARGS...]");
    o->file = argv[next];
    o->args = argv + next + 1;
    o->nargs = argc - next - 1;
    return 0;
}

void run_options_free(run_options *o) {
    for (int i = 0; i < o->nlinks; i++) cli_link_free(&o->links[i]);
    free(o->links);
    for (int i = 0; i < o->nmounts; i++) free(o->mounts[i].owned);
    free(o->mounts);
    free(o->env);
    memset(o, 0, sizeof *o);
}
