/* flags.h — command-line flags described once, in a table per subcommand:
 * the same table drives parsing and the help text, so a new flag is one
 * table entry and one apply function. */
#ifndef ISORUN_CLI_FLAGS_H
#define ISORUN_CLI_FLAGS_H

#include <stdio.h>

typedef struct cli_flag {
    const char *name;  /* "--env" */
    const char *value; /* what it takes, for the help ("NAME=VALUE"); NULL: a switch */
    const char *help;  /* lines separated by '\n' */
    /* Applies the flag to the subcommand's options (value is NULL for a
     * switch). Returns 0, or prints one line (cli_error) and returns its
     * status. */
    int (*apply)(void *options, const char *value);
} cli_flag;

/* Parses argv[0..argc) against `flags` (ended by an entry with a NULL name)
 * up to the first argument that is not a flag, or just past "--". Flags take
 * their value as "--flag value" or "--flag=value". "-h"/"--help" call help()
 * and return -1. Returns 0 and sets *next to the first remaining argument,
 * or prints one line and returns CLI_EXIT_ERROR. `command` names the
 * subcommand in messages ("run"). */
int cli_parse_flags(const cli_flag *flags, const char *command, int argc, char **argv, void *options, int *next,
                    void (*help)(void));

/* Prints the flags' help, two columns, to out. */
void cli_print_flags(FILE *out, const cli_flag *flags);

#endif /* ISORUN_CLI_FLAGS_H */
