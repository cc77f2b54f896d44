/* report.h — how a run ends, as the user sees it: the exit status and at
 * most one line on stderr. */
#ifndef ISORUN_CLI_REPORT_H
#define ISORUN_CLI_REPORT_H

#include "isorun.h"

#include <stdio.h>

/* The end of a call into the guest (or of its instantiation, whose start
 * function is guest code too). Takes ownership of err (NULL = the call
 * returned). Returns the exit status:
 *   NULL                          0
 *   ISORUN_ERR_EXIT               the guest's status (modulo 256, as the OS keeps it)
 *   any trap                      CLI_EXIT_TRAP, after "isorun: trap: <trap> (in function <f>)"
 *   anything else                 CLI_EXIT_ERROR, after "isorun: <file>: <message>"
 * `grants` (ISORUN_WASI_*) lets an unlinkable WASI import's message say
 * which --allow would grant it. */
int report_outcome(isorun_error *err, const char *file, unsigned grants);

/* The table of exit statuses, for both help texts. */
void report_print_exit_statuses(FILE *out);

#endif /* ISORUN_CLI_REPORT_H */
