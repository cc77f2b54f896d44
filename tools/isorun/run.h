/* run.h — `isorun run`: load, link, instantiate and call a module. */
#ifndef ISORUN_CLI_RUN_H
#define ISORUN_CLI_RUN_H

#include "options.h"

/* Runs the module as the options say; returns the process exit status
 * (the guest's, CLI_EXIT_ERROR or CLI_EXIT_TRAP). Reports to stderr. */
int run_module(const run_options *o);

#endif /* ISORUN_CLI_RUN_H */
