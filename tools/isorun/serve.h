/* serve.h — the `isorun serve` subcommand: instances served to remote
 * callers (docs/protocol.md). */
#ifndef ISORUN_CLI_SERVE_H
#define ISORUN_CLI_SERVE_H

/* Runs `isorun serve` with the arguments after "serve" until SIGINT or
 * SIGTERM; returns the exit status (0 after a clean shutdown). */
int serve_command(int argc, char **argv);

#endif /* ISORUN_CLI_SERVE_H */
