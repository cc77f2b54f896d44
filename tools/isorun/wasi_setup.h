/* wasi_setup.h — the WASI system component a run grants, built from its
 * flags: argv, the guest environment, the --dir mounts, the --allow grants. */
#ifndef ISORUN_CLI_WASI_SETUP_H
#define ISORUN_CLI_WASI_SETUP_H

#include "run_options.h"

#include "isorun.h"

/* Makes the component for o: argv[0] = o->file, then ARGS (none under
 * --invoke, where ARGS are the function's values), the environment of
 * guest_env.h, each mount, the grants; stdio on the host's fds 0-2.
 * Returns 0, or prints one line and returns CLI_EXIT_ERROR (e.g. a --dir
 * that cannot be opened). */
int wasi_setup_component(const run_options *o, isorun_system_component **out);

#endif /* ISORUN_CLI_WASI_SETUP_H */
