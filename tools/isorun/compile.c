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
           "       isorun compile [--native-cache DIR] FILE.wasm -o FILE.so\n"
           "\n"
           "Translates each module to C, builds it with the system's C compiler ($ISORUN_CC,\n"
           "default cc) and keeps the result in the native code cache, where\n"
           "`isorun run --native` finds it. Modules already built are not built again.\n"
           "With -o, also writes the object to FILE.so: a precompiled module that\n"
           "`isorun run --precompiled FILE.so` runs where there is no C compiler (the\n"
           "same isorun build; the file is code, so treat it as an executable).\n"
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

static int compile_files(char **files, int nfiles, const char *cache, bool keep_source, const char *output);

int compile_command(int argc, char **argv) {
    const char *cache = NULL;
    bool keep_source = false;
    const char *output = NULL;
    /* Options may come before or after the files; the files keep their order. */
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) return cli_error("out of memory");
    int nfiles = 0;
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || !a[1]) {
            files[nfiles++] = argv[i];
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help();
            free(files);
            return 0;
        } else if (strcmp(a, "--keep-source") == 0) {
            keep_source = true;
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            output = argv[++i];
        } else if (strcmp(a, "--native-cache") == 0 && i + 1 < argc) {
            cache = argv[++i];
        } else if (strcmp(a, "--") == 0) {
            options_done = true;
        } else {
            free(files);
            return cli_error("compile: unknown or incomplete option %s (see isorun compile --help)", a);
        }
    }
    int status = compile_files(files, nfiles, cache, keep_source, output);
    free(files);
    return status;
}

static int compile_files(char **files, int nfiles, const char *cache, bool keep_source, const char *output) {
    if (nfiles == 0) return cli_error("no module given: isorun compile [--native-cache DIR] FILE.wasm...");
    if (output && nfiles != 1) return cli_error("-o takes one module: isorun compile FILE.wasm -o FILE.so");

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
    for (int i = 0; i < nfiles; i++) {
        double start = now_seconds();
        isorun_module *m = NULL;
        err = isorun_module_load_file(rt, files[i], &m);
        if (err) {
            status = cli_error("%s: %s", files[i], isorun_error_message(err));
            isorun_error_free(err);
            continue;
        }
        if (output && (err = isorun_module_write_native(m, output))) {
            status = cli_error("%s: %s", files[i], isorun_error_message(err));
            isorun_error_free(err);
            isorun_module_free(m);
            continue;
        }
        printf("%s: native code ready%s%s (%.2f s)\n", files[i], output ? " in " : "", output ? output : "",
               now_seconds() - start);
        fflush(stdout);
        isorun_module_free(m);
    }
    isorun_runtime_free(rt);
    return status;
}
