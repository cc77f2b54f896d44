/* run.h — the `isorun run` subcommand. */
#ifndef ISORUN_CLI_RUN_H
#define ISORUN_CLI_RUN_H

/* Runs `isorun run` with the arguments after "run"; returns the exit
 * status (see report.h). */
int run_command(int argc, char **argv);

#endif /* ISORUN_CLI_RUN_H */
