/*
 * driver.h — runs one command file end to end and keeps the score.
 *
 * Each file runs in a child process (unless isolation is off), so an engine
 * crash or hang costs the commands of that file, not the whole run: the
 * child reports each command's outcome through a pipe, and the parent
 * counts whatever the child did not get to as failed, naming the command
 * where it died.
 */
#ifndef ISORUN_SPECTEST_DRIVER_H
#define ISORUN_SPECTEST_DRIVER_H

#include "known_failures.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct spec_totals {
    size_t passed, failed, skipped;
    size_t known_failed; /* failures the known-failures list expects */
    size_t fixed;        /* list entries that no longer fail */
} spec_totals;

typedef struct driver_options {
    bool verbose;
    bool isolate;                  /* run each file in a child process */
    unsigned command_timeout_secs; /* 0 = no limit */
    unsigned file_timeout_secs;    /* 0 = no limit; needs isolate */
    known_failures *known;         /* NULL = no list */
    bool native;                   /* run modules as native code (the engine's native tier) */
    const char *native_cache_dir;  /* its cache; NULL = the default */
    bool skip_simd;                /* count the commands of simd_* files as skipped, without running them */
} driver_options;

/* Runs the wast2json file at json_path, adding to totals. */
void spec_run_file(const char *json_path, const driver_options *opt, spec_totals *totals);

#endif /* ISORUN_SPECTEST_DRIVER_H */
