/* compile.h — the `isorun compile` subcommand. */
#ifndef ISORUN_CLI_COMPILE_H
#define ISORUN_CLI_COMPILE_H

/* Runs `isorun compile` with the arguments after "compile"; returns the exit
 * status (0, or CLI_EXIT_ERROR when a module could not be built). */
int compile_command(int argc, char **argv);

#endif /* ISORUN_CLI_COMPILE_H */
