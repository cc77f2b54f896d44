/* cli.h — what every part of the isorun command shares: its exit statuses
 * and the one way it reports a failure of its own. */
#ifndef ISORUN_CLI_H
#define ISORUN_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses of isorun besides the guest's own (documented in --help).
 * Both lie above the 0-124 a program normally uses; 125 and 134 follow the
 * convention of container runtimes (125: the tool failed) and shells (134 =
 * 128 + SIGABRT: what a crashing native program would give). */
enum {
    CLI_EXIT_ERROR = 125, /* isorun itself failed: flags, file, module, imports */
    CLI_EXIT_TRAP = 134,  /* the guest trapped */
};

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* Prints "isorun: <message>" as one line on stderr and returns
 * CLI_EXIT_ERROR, so callers can `return cli_error(...)`. Control
 * characters in the message (a guest's names may hold any) print as \xhh. */
int cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Writes s with control characters as \xhh: text from a guest (its names)
 * can then neither drive the terminal nor split a line. */
void cli_put_text(FILE *out, const char *s);
/* The same for at most n bytes of s. */
void cli_put_text_n(FILE *out, const char *s, size_t n);
/* The same into buf (size bytes, cut if longer): for aligned columns. */
const char *cli_escape_text(const char *s, char *buf, size_t size);

#endif /* ISORUN_CLI_H */
