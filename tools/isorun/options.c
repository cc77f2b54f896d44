/* options.c — parsing `isorun run` flags, and the help texts. */
#include "options.h"

#include "wasi/wasi.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_exit_statuses(void) {
    printf("exit status of `isorun run`:\n"
           "  0-255  the guest's exit status (proc_exit's, modulo 256; 0 when _start returns)\n"
           "  %d    isorun failed: bad flags, unreadable or invalid module, unknown import,\n"
           "         instantiation error\n"
           "  %d    the guest trapped (message on stderr: \"isorun: trap: ...\"), including\n"
           "         --fuel, --timeout and --max-stack running out\n",
           CLI_EXIT_ERROR, CLI_EXIT_TRAP);
}

void print_main_help(void) {
    printf("isorun %s — run WebAssembly in isolation\n"
           "\n"
           "usage:\n"
           "  isorun run [OPTIONS] FILE.wasm [ARGS...]   run a WASI command (or --invoke an export)\n"
           "  isorun --help | -h                         this text\n"
           "  isorun run --help                          the options of `run`\n"
           "  isorun --version                           print the version\n"
           "\n",
           isorun_version());
    print_exit_statuses();
}

void print_run_help(void) {
    printf("usage: isorun run [OPTIONS] FILE.wasm [ARGS...]\n"
           "\n"
           "Runs FILE.wasm's _start with ARGS as argv (argv[0] = FILE.wasm). With --invoke,\n"
           "calls _initialize (if exported) and then export NAME with ARGS as its arguments,\n"
           "printing each result on its own line.\n"
           "\n"
           "options (before FILE.wasm):\n"
           "  --invoke NAME        call export NAME; ARGS are its i32/i64/f32/f64 values\n"
           "  --env NAME=VALUE     add an environment variable (repeatable)\n"
           "  --env-inherit        pass the host's whole environment too\n"
           "  --allow CAP[,CAP]    grant a capability (repeatable):\n");
    for (unsigned c = WASI_CAP_BASE + 1; c < WASI_CAP_COUNT_; c++) {
        if (c == WASI_CAP_FILESYSTEM) continue; /* granted by mounting, not --allow */
        printf("                         %-8s %s\n", wasi_capability_name((wasi_capability)c),
               wasi_capability_description((wasi_capability)c));
    }
    printf("                       an ungranted call returns errno ENOTCAPABLE (76)\n"
           "  --fuel N             stop the guest after N instructions (e.g. 1e9)\n"
           "  --max-stack DEPTH    maximum wasm call depth (default 10000)\n"
           "  --max-memory SIZE    cap on linear memory, e.g. 64M, 1G (default 4G)\n"
           "  --timeout DURATION   stop the guest after this wall time, e.g. 500ms, 2s, 1m\n"
           "                       (checked in wasm code, not while blocked in a host call)\n"
           "  -h, --help           this text\n"
           "\n");
    print_exit_statuses();
}

static int fail(const char *fmt, const char *what) {
    fprintf(stderr, "isorun: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, " (see isorun run --help)\n");
    return CLI_EXIT_ERROR;
}

/* "1000", "1e9" (an exact integer, at most 2^64 - 1). */
static bool parse_count(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    if (s[0] >= '0' && s[0] <= '9' && !strpbrk(s, "eE.")) {
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || *end) return false;
        *out = v;
        return true;
    }
    double d = strtod(s, &end);
    if (errno || *end || !(d >= 0) || d >= 18446744073709551616.0 || d != floor(d)) return false;
    *out = (uint64_t)d;
    return true;
}

/* "500ms", "2s", "1.5s", "1m", "250us", "1h"; a bare number is seconds. */
static bool parse_duration(const char *s, uint64_t *ns) {
    static const struct {
        const char *suffix;
        double scale;
    } units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}, {"", 1e9}};
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || !(v > 0)) return false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].suffix) != 0) continue;
        double total = v * units[i].scale;
        if (total >= 1.8e19) return false;
        *ns = total < 1 ? 1 : (uint64_t)total;
        return true;
    }
    return false;
}

/* "65536", "64K", "64M", "1G" (binary multiples; optional "B"/"iB") in bytes. */
static bool parse_size(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s) return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (shift && *end == 'i') end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end || v > (UINT64_MAX >> shift)) return false;
    *out = (uint64_t)v << shift;
    return true;
}

static int parse_allow(const char *list, run_options *o) {
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        wasi_capability cap;
        if (!wasi_capability_from_name(p, len, &cap) || cap == WASI_CAP_FILESYSTEM) {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60), p);
            return fail("unknown capability \"%s\" for --allow", name);
        }
        o->capabilities |= 1u << cap;
        p += len;
        if (*p == ',') p++;
    }
    return 0;
}

/* Splits "--flag=value" or "--flag value"; returns the value or NULL. */
static const char *flag_value(const char *arg, const char *flag, int argc, char **argv, int *i) {
    size_t n = strlen(flag);
    if (strncmp(arg, flag, n) != 0) return NULL;
    if (arg[n] == '=') return arg + n + 1;
    if (arg[n] != '\0') return NULL;
    if (*i + 1 >= argc) return "";
    return argv[++*i];
}

static int parse_one(const char *arg, int argc, char **argv, int *i, run_options *o) {
    const char *v;
    if ((v = flag_value(arg, "--invoke", argc, argv, i))) {
        if (!*v) return fail("%s needs an export name", "--invoke");
        o->invoke = v;
    } else if ((v = flag_value(arg, "--env", argc, argv, i))) {
        if (!strchr(v, '=') || v[0] == '=') return fail("--env wants NAME=VALUE, not \"%s\"", v);
        const char **grown = realloc(o->env, sizeof *o->env * (size_t)(o->nenv + 1));
        if (!grown) return fail("%s", "out of memory");
        o->env = grown;
        o->env[o->nenv++] = v;
    } else if (strcmp(arg, "--env-inherit") == 0) {
        o->env_inherit = true;
    } else if ((v = flag_value(arg, "--allow", argc, argv, i))) {
        return parse_allow(v, o);
    } else if ((v = flag_value(arg, "--fuel", argc, argv, i))) {
        if (!parse_count(v, &o->fuel)) return fail("--fuel wants a count of instructions, not \"%s\"", v);
        o->fuel_set = true;
    } else if ((v = flag_value(arg, "--max-stack", argc, argv, i))) {
        uint64_t depth;
        if (!parse_count(v, &depth) || depth == 0 || depth > UINT32_MAX)
            return fail("--max-stack wants a call depth from 1 to 4294967295, not \"%s\"", v);
        o->max_stack = (uint32_t)depth;
    } else if ((v = flag_value(arg, "--max-memory", argc, argv, i))) {
        uint64_t bytes;
        if (!parse_size(v, &bytes) || bytes < 65536)
            return fail("--max-memory wants a size of at least 64K, like 64M, not \"%s\"", v);
        o->max_memory_pages = bytes >= (UINT64_C(65536) << 16) ? 65536u : (uint32_t)(bytes >> 16);
    } else if ((v = flag_value(arg, "--timeout", argc, argv, i))) {
        if (!parse_duration(v, &o->timeout_ns)) return fail("--timeout wants a duration like 500ms or 2s, not \"%s\"", v);
    } else if (strncmp(arg, "--dir", 5) == 0) {
        return fail("%s is not supported yet", arg);
    } else {
        return fail("unknown option \"%s\"", arg);
    }
    return 0;
}

int run_options_parse(int argc, char **argv, run_options *o) {
    memset(o, 0, sizeof *o);
    int i = 0;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            print_run_help();
            return -1;
        }
        if (arg[0] != '-' || arg[1] == '\0') break; /* FILE.wasm ("-" would be stdin one day) */
        int rc = parse_one(arg, argc, argv, &i, o);
        if (rc) return rc;
    }
    if (i >= argc) return fail("%s", "no module given: isorun run [OPTIONS] FILE.wasm [ARGS...]");
    o->file = argv[i];
    o->args = argv + i + 1;
    o->nargs = argc - i - 1;
    return 0;
}

void run_options_free(run_options *o) {
    free(o->env);
    o->env = NULL;
}
