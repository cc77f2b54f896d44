/* driver.c — see driver.h. */
#define _POSIX_C_SOURCE 200809L
#include "driver.h"
#include "fileio.h"
#include "json.h"
#include "runner.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the child sends per command: fixed-size, so each write is atomic. */
typedef struct outcome_record {
    uint32_t index;
    uint32_t outcome; /* spec_outcome */
} outcome_record;

typedef struct file_tally {
    const driver_options *opt;
    const char *label; /* "i32.wast": how failures and the known list name the file */
    const json_value *commands;
    size_t ncommands;
    bool *reported;
    spec_totals counts;
    int record_fd; /* in the child: where records go */
} file_tally;

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Prints s with control characters escaped, so that names like "\n" in the
 * tests cannot break the one-line-per-failure output. */
static void print_sanitized(const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F) printf("\\x%02x", c);
        else putchar(c);
    }
}

static void print_command_line(const char *tag, const file_tally *t, size_t index, const char *detail,
                               const char *suffix) {
    const json_value *command = json_array_item(t->commands, index);
    printf("%s %s:%lu %s ", tag, t->label, spec_command_line(command), spec_command_type(command));
    print_sanitized(detail);
    printf("%s\n", suffix);
}

static void tally_record(file_tally *t, size_t index, spec_outcome outcome) {
    if (index >= t->ncommands || t->reported[index]) return;
    t->reported[index] = true;
    switch (outcome) {
    case SPEC_PASSED: t->counts.passed++; break;
    case SPEC_SKIPPED: t->counts.skipped++; break;
    case SPEC_UNCOUNTED: break;
    case SPEC_FAILED:
    default:
        t->counts.failed++;
        if (known_failures_mark(t->opt->known,
                                t->label, spec_command_line(json_array_item(t->commands, index))))
            t->counts.known_failed++;
        break;
    }
}

/* The runner's report callback: prints, then records (directly, or through
 * the pipe when running in a child). */
static void on_outcome(void *ctx, size_t index, spec_outcome outcome, const char *detail) {
    file_tally *t = ctx;
    const json_value *command = json_array_item(t->commands, index);
    if (outcome == SPEC_FAILED) {
        bool known = known_failures_contains(t->opt->known, t->label, spec_command_line(command));
        print_command_line("FAIL", t, index, detail && *detail ? detail : "failed", known ? " [known failure]" : "");
    } else if (t->opt->verbose && detail && *detail) {
        print_command_line("NOTE", t, index, detail, "");
    }
    fflush(stdout);
    if (t->record_fd < 0) {
        tally_record(t, index, outcome);
        return;
    }
    outcome_record r = {(uint32_t)index, (uint32_t)outcome};
    ssize_t n;
    do n = write(t->record_fd, &r, sizeof r);
    while (n < 0 && errno == EINTR);
}

/* Counts every command the runner did not report as failed, blaming the
 * first of them for how the run ended. */
static void fail_unreported(file_tally *t, const char *how) {
    size_t first = t->ncommands, missing = 0;
    for (size_t i = 0; i < t->ncommands; i++) {
        if (t->reported[i] || !spec_command_counts(json_array_item(t->commands, i))) continue;
        if (first == t->ncommands) first = i;
        missing++;
    }
    if (missing == 0) {
        printf("FAIL %s:0 runner %s after the last command\n", t->label, how);
        t->counts.failed++;
        return;
    }
    char detail[256];
    snprintf(detail, sizeof detail, "%s while running this command; %zu later command(s) not run, counted failed",
             how, missing - 1);
    print_command_line("FAIL", t, first, detail, "");
    for (size_t i = first; i < t->ncommands; i++)
        if (!t->reported[i] && spec_command_counts(json_array_item(t->commands, i)))
            tally_record(t, i, SPEC_FAILED);
}

static void run_in_child(const json_value *doc, const char *dir, const spec_run_options *ropt, file_tally *t) {
    int fds[2];
    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) != 0) {
        spec_run_commands(doc, dir, ropt, on_outcome, t);
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        spec_run_commands(doc, dir, ropt, on_outcome, t);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        t->record_fd = fds[1];
        if (t->opt->file_timeout_secs) alarm(t->opt->file_timeout_secs);
        spec_run_commands(doc, dir, ropt, on_outcome, t);
        close(fds[1]);
        fflush(stdout);
        exit(0); /* exit, not _exit: sanitizers check the child for leaks */
    }
    close(fds[1]);
    outcome_record r;
    size_t have = 0;
    for (;;) {
        ssize_t n = read(fds[0], (char *)&r + have, sizeof r - have);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        have += (size_t)n;
        if (have == sizeof r) {
            tally_record(t, r.index, (spec_outcome)r.outcome);
            have = 0;
        }
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    char how[128] = "";
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGALRM)
            snprintf(how, sizeof how, "timed out after %u s for the whole file", t->opt->file_timeout_secs);
        else
            snprintf(how, sizeof how, "crashed with signal %d (%s)", sig, strsignal(sig));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        snprintf(how, sizeof how, "exited with status %d (sanitizer report on stderr?)", WEXITSTATUS(status));
    }
    if (how[0]) fail_unreported(t, how);
}

static bool starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

void spec_run_file(const char *json_path, const driver_options *opt, spec_totals *totals) {
    char err[512];
    size_t len;
    char *text = read_whole_file(json_path, &len, err, sizeof err);
    json_value *doc = text ? json_parse(text, len, err, sizeof err) : NULL;
    free(text);
    const char *source = json_string(json_get(doc, "source_filename"), NULL);
    const char *label = source ? base_name(source) : base_name(json_path);
    const json_value *commands = json_get(doc, "commands");
    if (!doc || !commands || commands->kind != JSON_ARRAY) {
        printf("FAIL %s:0 json %s: %s\n", label, json_path, doc ? "no \"commands\" array" : err);
        totals->failed++;
        json_free(doc);
        return;
    }

    file_tally t = {0};
    t.opt = opt;
    t.label = label;
    t.commands = commands;
    t.ncommands = json_array_count(commands);
    t.record_fd = -1;
    t.reported = calloc(t.ncommands ? t.ncommands : 1, sizeof *t.reported);
    if (!t.reported) {
        printf("FAIL %s:0 json out of memory\n", label);
        totals->failed++;
        json_free(doc);
        return;
    }

    if (opt->skip_simd && (starts_with(base_name(json_path), "simd_") || starts_with(label, "simd_"))) {
        /* --skip-simd: for builds whose engine does not run SIMD yet. */
        for (size_t i = 0; i < t.ncommands; i++)
            if (spec_command_counts(json_array_item(commands, i))) tally_record(&t, i, SPEC_SKIPPED);
    } else {
        char *dir = strdup(json_path);
        if (dir) {
            char *slash = strrchr(dir, '/');
            if (slash) *slash = '\0';
            else strcpy(dir, ".");
        }
        spec_run_options ropt = {opt->verbose, opt->command_timeout_secs, opt->native, opt->native_cache_dir};
        if (!dir) fail_unreported(&t, "ran out of memory");
        else if (opt->isolate) run_in_child(doc, dir, &ropt, &t);
        else spec_run_commands(doc, dir, &ropt, on_outcome, &t);
        free(dir);
    }

    t.counts.fixed = known_failures_report_fixed(opt->known, label, stdout);
    if (opt->verbose)
        printf("%s: %zu passed, %zu failed, %zu skipped\n", label, t.counts.passed, t.counts.failed,
               t.counts.skipped);
    fflush(stdout);
    totals->passed += t.counts.passed;
    totals->failed += t.counts.failed;
    totals->skipped += t.counts.skipped;
    totals->known_failed += t.counts.known_failed;
    totals->fixed += t.counts.fixed;
    free(t.reported);
    json_free(doc);
}
