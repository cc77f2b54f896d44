/* inspect.h — the `isorun inspect` subcommand. */
#ifndef ISORUN_CLI_INSPECT_H
#define ISORUN_CLI_INSPECT_H

/* Runs `isorun inspect` with the arguments after "inspect"; returns the exit
 * status (0, or CLI_EXIT_ERROR when the file is unreadable or invalid). */
int inspect_command(int argc, char **argv);

#endif /* ISORUN_CLI_INSPECT_H */
