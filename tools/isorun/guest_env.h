/* guest_env.h — the environment a guest sees: nothing of the host's unless
 * --env-inherit, and --env entries winning over inherited ones. */
#ifndef ISORUN_CLI_GUEST_ENV_H
#define ISORUN_CLI_GUEST_ENV_H

#include "run_options.h"

/* The guest's NAME=VALUE entries in order: with --env-inherit the host's,
 * except names an --env sets, then the --env entries. A malloc'd array of
 * *count pointers into the host environment and argv (free only the array);
 * NULL when out of memory. */
const char **guest_env_build(const run_options *o, int *count);

#endif /* ISORUN_CLI_GUEST_ENV_H */
