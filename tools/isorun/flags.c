/* flags.c — table-driven flag parsing and help (see flags.h). */
#include "flags.h"

#include "cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

int cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("isorun: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_EXIT_ERROR;
}

/* Edit distance, capped: enough to suggest "--env" for "--evn". */
static size_t distance(const char *a, size_t na, const char *b, size_t nb) {
    if (na > 40 || nb > 40) return 99;
    size_t row[41];
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

static int unknown_flag(const cli_flag *flags, const char *command, const char *arg, size_t len) {
    const cli_flag *best = NULL;
    size_t best_distance = 3; /* suggest only close matches */
    for (const cli_flag *f = flags; f->name; f++) {
        size_t d = distance(arg, len, f->name, strlen(f->name));
        if (d < best_distance) {
            best = f;
            best_distance = d;
        }
    }
    if (best)
        return cli_error("unknown option \"%.*s\" for isorun %s: did you mean %s?", (int)len, arg, command,
                         best->name);
    return cli_error("unknown option \"%.*s\" (see isorun %s --help)", (int)len, arg, command);
}

int cli_parse_flags(const cli_flag *flags, const char *command, int argc, char **argv, void *options, int *next,
                    void (*help)(void)) {
    int i = 0;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            help();
            return -1;
        }
        if (arg[0] != '-' || arg[1] == '\0') break; /* the first operand */
        size_t len = strcspn(arg, "=");
        const cli_flag *f = flags;
        while (f->name && !(strlen(f->name) == len && strncmp(f->name, arg, len) == 0)) f++;
        if (!f->name) return unknown_flag(flags, command, arg, len);
        const char *value = NULL;
        if (!f->value) {
            if (arg[len] == '=') return cli_error("%s takes no value (see isorun %s --help)", f->name, command);
        } else if (arg[len] == '=') {
            value = arg + len + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            return cli_error("%s needs a value: %s %s", f->name, f->name, f->value);
        }
        int status = f->apply(options, value);
        if (status) return status;
    }
    *next = i;
    return 0;
}

void cli_print_flags(FILE *out, const cli_flag *flags) {
    for (const cli_flag *f = flags; f->name; f++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", f->name, f->value ? " " : "", f->value ? f->value : "");
        const char *line = f->help;
        bool first = true;
        do {
            size_t n = strcspn(line, "\n");
            fprintf(out, "  %-24s %.*s\n", first ? left : "", (int)n, line);
            first = false;
            line += n;
        } while (*line++ == '\n');
    }
}
