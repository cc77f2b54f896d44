/*
 * main.c — isorun-spectest: runs the WebAssembly core test suite (wast2json
 * output) against the isorun engine.
 *
 *   isorun-spectest [--verbose] [--known-failures FILE] [--timeout SECS]
 *                   [--file-timeout SECS] [--no-fork] [--native]
 *                   [--native-cache DIR] [--skip-simd] DIR-or-JSON...
 *
 * A directory runs every <name>/<name>.json (and loose *.json) in it, sorted
 * by name; a test directory <name>/ runs its <name>.json. Prints one line per
 * failing command and ends with "spec: N passed, M failed, K skipped". Exit
 * status 0 when every failure is on the known-failures list and no listed
 * entry has been fixed; 1 otherwise; 2 for bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include "driver.h"
#include "fileio.h"
#include "known_failures.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *out) {
    fprintf(out,
            "usage: isorun-spectest [options] DIR-or-JSON...\n"
            "  --verbose               notes on lenient passes, spectest.print output, per-file counts\n"
            "  --known-failures FILE   <file>:<line> entries expected to fail\n"
            "  --timeout SECS          limit per command (default 30; 0 = none)\n"
            "  --file-timeout SECS     limit per file (default 600; 0 = none)\n"
            "  --no-fork               run files in this process (for debuggers)\n"
            "  --native                run modules as native code (built with cc, cached)\n"
            "  --native-cache DIR      the same, keeping built objects in DIR\n"
            "  --skip-simd             count the commands of simd_* files as skipped, without running them\n");
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* DIR/<base>.json, where base is DIR's own name; NULL when absent. */
static char *own_command_file(const char *dir) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    size_t start = n;
    while (start > 0 && dir[start - 1] != '/') start--;
    char name[1024];
    if (n - start == 0 || n - start + 6 > sizeof name) return NULL;
    snprintf(name, sizeof name, "%.*s.json", (int)(n - start), dir + start);
    char *path = path_join(dir, name);
    if (path && !is_file(path)) {
        free(path);
        path = NULL;
    }
    return path;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every command file in dir; returns how many there were. */
static size_t run_suite_dir(const char *dir, const driver_options *opt, spec_totals *totals) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **grown = realloc(names, ncap * sizeof *grown);
            if (!grown) break;
            names = grown;
            cap = ncap;
        }
        if (!(names[count] = strdup(e->d_name))) break;
        count++;
    }
    closedir(d);
    if (count) qsort(names, count, sizeof *names, compare_names);
    size_t ran = 0;
    for (size_t i = 0; i < count; i++) {
        char *path = path_join(dir, names[i]);
        char *json = NULL;
        if (path && is_dir(path)) json = own_command_file(path);
        else if (path && ends_with(names[i], ".json") && is_file(path)) json = strdup(path);
        if (json) {
            spec_run_file(json, opt, totals);
            ran++;
        }
        free(json);
        free(path);
        free(names[i]);
    }
    free(names);
    return ran;
}

static void run_argument(const char *arg, const driver_options *opt, spec_totals *totals) {
    if (is_dir(arg)) {
        char *own = own_command_file(arg);
        if (own) {
            spec_run_file(own, opt, totals);
            free(own);
            return;
        }
        if (run_suite_dir(arg, opt, totals) > 0) return;
        printf("FAIL %s:0 input no <name>/<name>.json or *.json command files found\n", arg);
        totals->failed++;
        return;
    }
    if (is_file(arg)) {
        spec_run_file(arg, opt, totals);
        return;
    }
    printf("FAIL %s:0 input no such file or directory\n", arg);
    totals->failed++;
}

static bool parse_seconds(const char *s, unsigned *out) {
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 86400) return false;
    *out = (unsigned)v;
    return true;
}

int main(int argc, char **argv) {
    driver_options opt = {0};
    opt.isolate = true;
    opt.command_timeout_secs = 30;
    opt.file_timeout_secs = 600;
    const char *known_path = NULL;
    int first_input = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            first_input = i + 1;
            break;
        }
        if (a[0] != '-' || a[1] == '\0') {
            first_input = i;
            break;
        }
        if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            opt.verbose = true;
        } else if (strcmp(a, "--no-fork") == 0) {
            opt.isolate = false;
        } else if (strcmp(a, "--skip-simd") == 0) {
            opt.skip_simd = true;
        } else if (strcmp(a, "--native") == 0) {
            opt.native = true;
        } else if (strcmp(a, "--native-cache") == 0 && i + 1 < argc) {
            opt.native = true;
            opt.native_cache_dir = argv[++i];
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if ((strcmp(a, "--known-failures") == 0 || strcmp(a, "--timeout") == 0 ||
                    strcmp(a, "--file-timeout") == 0) &&
                   i + 1 < argc) {
            const char *value = argv[++i];
            if (strcmp(a, "--known-failures") == 0) {
                known_path = value;
            } else if (!parse_seconds(value, strcmp(a, "--timeout") == 0 ? &opt.command_timeout_secs
                                                                         : &opt.file_timeout_secs)) {
                fprintf(stderr, "isorun-spectest: %s needs a number of seconds, got \"%s\"\n", a, value);
                return 2;
            }
        } else {
            fprintf(stderr, "isorun-spectest: unknown or incomplete option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (first_input >= argc) {
        usage(stderr);
        return 2;
    }

    known_failures known = {0};
    if (known_path) {
        char err[512];
        if (!known_failures_load(&known, known_path, err, sizeof err)) {
            fprintf(stderr, "isorun-spectest: %s\n", err);
            return 2;
        }
        opt.known = &known;
    }

    spec_totals totals = {0};
    for (int i = first_input; i < argc; i++) run_argument(argv[i], &opt, &totals);

    if (totals.known_failed)
        printf("spec: %zu of the failures are listed in %s\n", totals.known_failed, known_path);
    printf("spec: %zu passed, %zu failed, %zu skipped\n", totals.passed, totals.failed, totals.skipped);
    known_failures_free(&known);
    bool unexpected = totals.failed > totals.known_failed || totals.fixed > 0;
    return unexpected ? 1 : 0;
}
