/*
 * runner.h — executes the commands of one wast2json file against the engine.
 *
 * One wasm_store serves the whole file, so instances of the file can share
 * functions, tables, memories and globals through imports; the next file gets
 * a fresh store. The runner never stops early: a module that fails to load
 * fails its command, and the commands that use it fail in turn.
 */
#ifndef ISORUN_SPECTEST_RUNNER_H
#define ISORUN_SPECTEST_RUNNER_H

#include "json.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum spec_outcome {
    SPEC_PASSED,
    SPEC_FAILED,
    SPEC_SKIPPED,
    SPEC_UNCOUNTED, /* a successful "register": bookkeeping, not a test */
} spec_outcome;

/* Called once per command, in order. detail says why a command failed (or,
 * for a passing one, notes something worth a look; "" when nothing). */
typedef void (*spec_report_fn)(void *ctx, size_t command_index, spec_outcome outcome, const char *detail);

typedef struct spec_run_options {
    bool verbose;                  /* notes on lenient passes; spectest.print output */
    unsigned command_timeout_secs; /* 0 = no limit */
    bool native;                   /* modules run as native code */
    const char *native_cache_dir;  /* NULL = the default cache */
} spec_run_options;

/* Runs doc's "commands". dir is where the referenced module files live. */
void spec_run_commands(const json_value *doc, const char *dir, const spec_run_options *opt, spec_report_fn report,
                       void *ctx);

/* Whether a command is counted in the totals at all (everything but
 * "register"), and its "type" for messages ("?" when absent). */
bool spec_command_counts(const json_value *command);
const char *spec_command_type(const json_value *command);
unsigned long spec_command_line(const json_value *command);

#endif /* ISORUN_SPECTEST_RUNNER_H */
