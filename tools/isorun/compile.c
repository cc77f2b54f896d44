/* compile.c — `isorun compile`: builds modules' native code into the cache
 * ahead of time, so that `isorun run --native` (or an embedder with
 * isorun_runtime_config.native) starts at once instead of paying for the C
 * compiler on its first run. */
#include "compile.h"

#include "cli.h"

#include "isorun.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_help(void) {
    printf("usage: isorun compile [--native-cache DIR] [--keep-source] FILE.wasm...\n"
           "\n"
           "Translates each module to C, builds it with the system's C compiler ($ISORUN_CC,\n"
           "default cc) and keeps the result in the native code cache, where\n"
           "`isorun run --native` finds it. Modules already built are not built again.\n"
           "\n"
           "options:\n"
           "  --native-cache DIR       the cache (default $XDG_CACHE_HOME/isorun/native or\n"
           "                           ~/.cache/isorun/native; must be private to you)\n"
           "  --keep-source            keep each generated C file beside its object (when built)\n"
           "  -h, --help               this text\n");
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int compile_command(int argc, char **argv) {
    const char *cache = NULL;
    bool keep_source = false;
    int first = 0;
    for (; first < argc && argv[first][0] == '-'; first++) {
        const char *a = argv[first];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help();
            return 0;
        }
        if (strcmp(a, "--keep-source") == 0) {
            keep_source = true;
            continue;
        }
        if (strcmp(a, "--native-cache") == 0 && first + 1 < argc) {
            cache = argv[++first];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            first++;
            break;
        }
        return cli_error("compile: unknown or incomplete option %s (see isorun compile --help)", a);
    }
    if (first >= argc) return cli_error("no module given: isorun compile [--native-cache DIR] FILE.wasm...");

    /* No module cache: each file is built (or found on disk) and dropped. */
    isorun_runtime_config config = {
        .module_cache_entries = 1,
        .native = true,
        .native_cache_dir = cache,
        .native_cc = getenv("ISORUN_CC"),
        .native_keep_source = keep_source,
    };
    isorun_runtime *rt = NULL;
    isorun_error *err = isorun_runtime_new(&config, &rt);
    if (err) {
        int status = cli_error("%s", isorun_error_message(err));
        isorun_error_free(err);
        return status;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        double start = now_seconds();
        isorun_module *m = NULL;
        err = isorun_module_load_file(rt, argv[i], &m);
        if (err) {
            status = cli_error("%s: %s", argv[i], isorun_error_message(err));
            isorun_error_free(err);
            continue;
        }
        printf("%s: native code ready (%.2f s)\n", argv[i], now_seconds() - start);
        fflush(stdout);
        isorun_module_free(m);
    }
    isorun_runtime_free(rt);
    return status;
}
