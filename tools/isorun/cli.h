/* cli.h — what every part of the isorun command shares: its exit statuses
 * and the one way it reports a failure of its own. */
#ifndef ISORUN_CLI_H
#define ISORUN_CLI_H

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
 * CLI_EXIT_ERROR, so callers can `return cli_error(...)`. */
int cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

#endif /* ISORUN_CLI_H */
