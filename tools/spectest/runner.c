/* runner.c — the meaning of each wast2json command, checked against the engine. */
#include "runner.h"
#include "actions.h"
#include "session.h"
#include "values.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for an expected-vs-got line with a dozen values and an error message. */
#define DETAIL_SIZE 4096

typedef struct command_run {
    session *session;
    const json_value *command;
    char detail[DETAIL_SIZE];
} command_run;

static spec_outcome failed(command_run *c, const char *fmt, ...) ISR_PRINTF(2, 3);
static spec_outcome failed(command_run *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
    return SPEC_FAILED;
}

/* A pass that deserves a look (a lenient check matched loosely); the note is
 * shown with --verbose only. */
static spec_outcome passed_with_note(command_run *c, const char *fmt, ...) ISR_PRINTF(2, 3);
static spec_outcome passed_with_note(command_run *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
    return SPEC_PASSED;
}

static const char *field_string(const json_value *command, const char *key) {
    return json_string(json_get(command, key), NULL);
}

static bool is_text_module(const json_value *command) {
    const char *type = field_string(command, "module_type");
    return type && strcmp(type, "text") == 0;
}

static const char *expected_text(const json_value *command) {
    const char *text = field_string(command, "text");
    return text ? text : "";
}

static const char *error_text(const isorun_error *err) {
    return isorun_error_message(err);
}

/* The spec's trap messages are what the engine's messages start with (see
 * ISORUN_TRAP_LIST); errors may get a prefix added, and the tests sometimes
 * append detail ("uninitialized element 2"), so match in both directions. */
static bool trap_message_matches(const isorun_error *err, const char *expected) {
    if (!*expected) return true;
    const char *message = isorun_error_message(err);
    if (strstr(message, expected)) return true;
    isorun_trap_code trap = isorun_error_trap(err);
    if (trap == ISORUN_TRAP_NONE) return false;
    const char *canonical = isorun_trap_message(trap);
    return strncmp(expected, canonical, strlen(canonical)) == 0;
}

static spec_outcome trapped(command_run *c, const isorun_error *err, const char *what) {
    const char *expected = expected_text(c->command);
    if (trap_message_matches(err, expected)) return SPEC_PASSED;
    return passed_with_note(c, "%s as expected, but with a different message: expected \"%s\", got \"%s\"", what,
                            expected, error_text(err));
}

/* ---- module definition ---------------------------------------------------- */

static spec_outcome run_module(command_run *c) {
    session *s = c->session;
    const char *name = field_string(c->command, "name");
    const char *filename = field_string(c->command, "filename");
    char why[1024] = "";
    wasm_module *m = NULL;
    wasm_instance *inst = NULL;
    spec_outcome outcome = SPEC_PASSED;
    if (!s->store) {
        outcome = failed(c, "no store (wasm_store_new failed)");
    } else if (!filename) {
        outcome = failed(c, "command has no \"filename\"");
    } else if (is_text_module(c->command)) {
        outcome = failed(c, "text modules (%s) cannot be loaded", filename);
    } else {
        isorun_error *err = session_load_module(s, filename, &m, why, sizeof why);
        if (err) {
            outcome = failed(c, "%s failed to load: %s: %s", filename, isorun_error_code_name(isorun_error_code_of(err)),
                             error_text(err));
            isorun_error_free(err);
        } else if (!m) {
            outcome = failed(c, "%s", why);
        } else {
            switch (session_instantiate(s, m, &inst, &err, why, sizeof why)) {
            case INSTANTIATED: break;
            case IMPORT_MISSING: outcome = failed(c, "%s cannot be instantiated: %s", filename, why); break;
            case ENGINE_REFUSED: {
                bool both = err && why[0];
                outcome = failed(c, "%s failed to instantiate: %s%s%s%s%s", filename,
                                 err ? isorun_error_code_name(isorun_error_code_of(err)) : "", err ? ": " : "",
                                 err ? error_text(err) : why, both ? " - " : "", both ? why : "");
                isorun_error_free(err);
                break;
            }
            }
        }
    }
    if (!session_define(s, name, inst) && outcome == SPEC_PASSED) outcome = failed(c, "out of memory");
    return outcome;
}

static spec_outcome run_register(command_run *c) {
    session *s = c->session;
    size_t as_len = 0;
    const char *as = json_string(json_get(c->command, "as"), &as_len);
    if (!as) return failed(c, "command has no \"as\"");
    char why[512];
    wasm_instance *inst;
    if (!session_find_instance(s, field_string(c->command, "name"), &inst, why, sizeof why))
        return failed(c, "cannot register \"%s\": %s", as, why);
    if (!session_register(s, as, as_len, inst)) return failed(c, "out of memory");
    return SPEC_UNCOUNTED;
}

/* ---- actions and their assertions ------------------------------------------- */

static spec_outcome run_plain_action(command_run *c) {
    action_result result;
    char why[1024];
    if (run_action(c->session, json_get(c->command, "action"), &result, why, sizeof why) != ACTION_RAN)
        return failed(c, "%s", why);
    spec_outcome outcome = SPEC_PASSED;
    if (result.error)
        outcome = failed(c, "%s: %s", result.timed_out ? "timed out" : "failed", error_text(result.error));
    action_result_free(&result);
    return outcome;
}

/* The expected values of an assert_return, parsed once: values[i] has type
 * 0 where value i does not parse, and first_error says why for the first
 * such one; text is "(a, b)" with "<why>" for each unparsable one. */
typedef struct expected_values {
    spec_value *values;
    char text[1024];
    char first_error[160];
} expected_values;

static void parse_expected(const json_value *expected, expected_values *e) {
    char *buf = e->text;
    size_t size = sizeof e->text;
    size_t o = (size_t)snprintf(buf, size, "(");
    e->first_error[0] = '\0';
    for (size_t i = 0; i < json_array_count(expected); i++) {
        char text[256], err[160];
        if (spec_value_parse(json_array_item(expected, i), true, &e->values[i], err, sizeof err)) {
            spec_value_format(&e->values[i], text, sizeof text);
        } else {
            e->values[i].type = 0;
            snprintf(text, sizeof text, "<%s>", err);
            if (!e->first_error[0]) snprintf(e->first_error, sizeof e->first_error, "%s", err);
        }
        if (o < size) o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", text);
    }
    if (o < size) snprintf(buf + o, size - o, ")");
}

static spec_outcome check_results(command_run *c, const action_result *result, const expected_values *e,
                                  size_t nexpected) {
    char got[1024];
    format_results(result, e->values, nexpected, got, sizeof got);
    if (nexpected != result->count) return failed(c, "expected %s, got %s", e->text, got);
    const wasm_slot *slots = result->values;
    for (size_t i = 0; i < result->count; i++) {
        if (!e->values[i].type) return failed(c, "expected value %zu: %s", i, e->first_error);
        if (!spec_value_matches(&e->values[i], result->types[i], slots))
            return failed(c, "expected %s, got %s", e->text, got);
        slots += wasm_valtype_slots(result->types[i]);
    }
    return SPEC_PASSED;
}

static spec_outcome run_assert_return(command_run *c) {
    action_result result;
    char why[1024];
    if (run_action(c->session, json_get(c->command, "action"), &result, why, sizeof why) != ACTION_RAN)
        return failed(c, "%s", why);
    const json_value *expected = json_get(c->command, "expected");
    size_t nexpected = json_array_count(expected);
    expected_values *e = malloc(sizeof *e);
    spec_value *values = calloc(nexpected ? nexpected : 1, sizeof *values);
    spec_outcome outcome;
    if (!e || !values) {
        outcome = failed(c, "out of memory");
    } else {
        e->values = values;
        parse_expected(expected, e);
        if (result.error)
            outcome = failed(c, "expected %s, got %s: %s", e->text, result.timed_out ? "a time-out" : "an error",
                             error_text(result.error));
        else
            outcome = check_results(c, &result, e, nexpected);
    }
    free(values);
    free(e);
    action_result_free(&result);
    return outcome;
}

static spec_outcome run_action_expecting_trap(command_run *c, bool exhaustion) {
    action_result result;
    char why[1024];
    if (run_action(c->session, json_get(c->command, "action"), &result, why, sizeof why) != ACTION_RAN)
        return failed(c, "%s", why);
    const char *expected = expected_text(c->command);
    spec_outcome outcome;
    if (!result.error) {
        char got[1024];
        format_results(&result, NULL, 0, got, sizeof got);
        outcome = failed(c, "expected trap \"%s\", got return %s", expected, got);
    } else if (result.timed_out) {
        outcome = failed(c, "expected trap \"%s\", timed out: %s", expected, error_text(result.error));
    } else if (isorun_error_code_of(result.error) != ISORUN_ERR_TRAP) {
        outcome = failed(c, "expected trap \"%s\", got %s error: %s", expected,
                         isorun_error_code_name(isorun_error_code_of(result.error)), error_text(result.error));
    } else if (exhaustion && isorun_error_trap(result.error) != ISORUN_TRAP_STACK_EXHAUSTED) {
        outcome = failed(c, "expected stack exhaustion, got trap: %s", error_text(result.error));
    } else {
        outcome = trapped(c, result.error, "trapped");
    }
    action_result_free(&result);
    return outcome;
}

/* ---- module assertions ------------------------------------------------------ */

static spec_outcome run_assert_rejected(command_run *c, isorun_error_code expected_code) {
    if (is_text_module(c->command)) return SPEC_SKIPPED;
    session *s = c->session;
    const char *filename = field_string(c->command, "filename");
    if (!filename) return failed(c, "command has no \"filename\"");
    char why[1024];
    wasm_module *m = NULL;
    isorun_error *err = session_load_module(s, filename, &m, why, sizeof why);
    if (m) return failed(c, "%s loaded, expected it to be rejected: \"%s\"", filename, expected_text(c->command));
    if (!err) return failed(c, "%s", why);
    spec_outcome outcome = SPEC_PASSED;
    if (isorun_error_code_of(err) != expected_code) {
        outcome = passed_with_note(c, "rejected as expected, but as %s, not %s: %s (expected \"%s\")",
                                   isorun_error_code_name(isorun_error_code_of(err)),
                                   isorun_error_code_name(expected_code), error_text(err), expected_text(c->command));
    }
    isorun_error_free(err);
    return outcome;
}

/* Loads and instantiates the command's module, expecting instantiation to
 * fail with want (UNLINKABLE or UNINSTANTIABLE). */
static spec_outcome run_assert_not_instantiable(command_run *c, isorun_error_code want) {
    if (is_text_module(c->command)) return SPEC_SKIPPED;
    session *s = c->session;
    const char *filename = field_string(c->command, "filename");
    if (!filename) return failed(c, "command has no \"filename\"");
    if (!s->store) return failed(c, "no store (wasm_store_new failed)");
    char why[1024] = "";
    wasm_module *m = NULL;
    isorun_error *err = session_load_module(s, filename, &m, why, sizeof why);
    if (err || !m) {
        spec_outcome o = failed(c, "%s failed to load: %s", filename, err ? error_text(err) : why);
        isorun_error_free(err);
        return o;
    }
    wasm_instance *inst = NULL;
    switch (session_instantiate(s, m, &inst, &err, why, sizeof why)) {
    case INSTANTIATED:
        return failed(c, "%s instantiated, expected it to be %s: \"%s\"", filename, isorun_error_code_name(want),
                      expected_text(c->command));
    case IMPORT_MISSING:
        /* A missing import is what makes a module unlinkable in the spec. */
        if (want == ISORUN_ERR_UNLINKABLE) return SPEC_PASSED;
        return failed(c, "%s: %s", filename, why);
    case ENGINE_REFUSED: break;
    }
    spec_outcome outcome;
    if (isorun_error_code_of(err) != want) {
        outcome = failed(c, "expected %s \"%s\", got %s: %s", isorun_error_code_name(want), expected_text(c->command),
                         err ? isorun_error_code_name(isorun_error_code_of(err)) : "no error", err ? error_text(err) : why);
    } else if (want == ISORUN_ERR_UNINSTANTIABLE) {
        outcome = trapped(c, err, "instantiation trapped");
    } else {
        outcome = SPEC_PASSED;
    }
    isorun_error_free(err);
    return outcome;
}

static spec_outcome run_assert_trap(command_run *c) {
    /* The older form of assert_uninstantiable: a module whose start traps. */
    if (!json_get(c->command, "action") && json_get(c->command, "filename"))
        return run_assert_not_instantiable(c, ISORUN_ERR_UNINSTANTIABLE);
    return run_action_expecting_trap(c, false);
}

/* ---- dispatch ------------------------------------------------------------- */

static spec_outcome run_command(command_run *c) {
    const char *type = field_string(c->command, "type");
    if (!type) return failed(c, "command has no \"type\"");
    if (strcmp(type, "module") == 0) return run_module(c);
    if (strcmp(type, "register") == 0) return run_register(c);
    if (strcmp(type, "action") == 0) return run_plain_action(c);
    if (strcmp(type, "assert_return") == 0) return run_assert_return(c);
    if (strcmp(type, "assert_trap") == 0) return run_assert_trap(c);
    if (strcmp(type, "assert_exhaustion") == 0) return run_action_expecting_trap(c, true);
    if (strcmp(type, "assert_malformed") == 0) return run_assert_rejected(c, ISORUN_ERR_MALFORMED);
    if (strcmp(type, "assert_invalid") == 0) return run_assert_rejected(c, ISORUN_ERR_INVALID);
    if (strcmp(type, "assert_unlinkable") == 0) return run_assert_not_instantiable(c, ISORUN_ERR_UNLINKABLE);
    if (strcmp(type, "assert_uninstantiable") == 0) return run_assert_not_instantiable(c, ISORUN_ERR_UNINSTANTIABLE);
    return failed(c, "unknown command type \"%s\"", type);
}

void spec_run_commands(const json_value *doc, const char *dir, const spec_run_options *opt, spec_report_fn report,
                       void *ctx) {
    const json_value *commands = json_get(doc, "commands");
    size_t n = json_array_count(commands);
    session s;
    session_init(&s, dir, opt->verbose, opt->command_timeout_secs);
    wasm_native_options native = {.cache_dir = opt->native_cache_dir};
    if (opt->native) s.native = &native;
    command_run *c = malloc(sizeof *c);
    for (size_t i = 0; i < n; i++) {
        if (!c) {
            report(ctx, i, SPEC_FAILED, "out of memory");
            continue;
        }
        c->session = &s;
        c->command = json_array_item(commands, i);
        c->detail[0] = '\0';
        spec_outcome outcome = run_command(c);
        report(ctx, i, outcome, c->detail);
    }
    free(c);
    session_free(&s);
}

bool spec_command_counts(const json_value *command) {
    const char *type = json_string(json_get(command, "type"), NULL);
    return !type || strcmp(type, "register") != 0;
}

const char *spec_command_type(const json_value *command) {
    const char *type = json_string(json_get(command, "type"), NULL);
    return type ? type : "?";
}

unsigned long spec_command_line(const json_value *command) {
    unsigned long long line = 0;
    if (!json_uint(json_get(command, "line"), &line) || line > 0xFFFFFFFFull) return 0;
    return (unsigned long)line;
}
