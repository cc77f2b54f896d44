/* legacy_run.h — interim: runs a WASI program on the engine's own WASI
 * layer (src/wasi's wasi_ctx) until the library's WASI system component
 * (isorun_wasi_new) lands; then this goes. */
#ifndef ISORUN_CLI_LEGACY_RUN_H
#define ISORUN_CLI_LEGACY_RUN_H

#include "run_options.h"

int legacy_run(const run_options *o);

#endif /* ISORUN_CLI_LEGACY_RUN_H */
