/* flags.c — table-driven flag parsing and help (see flags.h). */
#include "flags.h"

#include "cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void cli_put_text_n(FILE *out, const char *s, size_t n) {
    for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)s + n && *p; p++) {
        if (*p < 0x20 || *p == 0x7F) fprintf(out, "\\x%02x", *p);
        else fputc(*p, out);
    }
}

void cli_put_text(FILE *out, const char *s) { cli_put_text_n(out, s, strlen(s)); }

const char *cli_escape_text(const char *s, char *buf, size_t size) {
    size_t used = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && used + 5 < size; p++) {
        if (*p < 0x20 || *p == 0x7F) used += (size_t)snprintf(buf + used, size - used, "\\x%02x", *p);
        else buf[used++] = (char)*p;
    }
    if (size) buf[used] = '\0';
    return buf;
}

int cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[1024], *text = small;
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small && (text = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    fputs("isorun: ", stderr);
    cli_put_text(stderr, text ? text : small); /* a message may quote a guest's names */
    fputc('\n', stderr);
    if (text != small) free(text);
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
