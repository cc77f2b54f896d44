/* module_load.h — loading the modules a command names: .wasm files, or
 * native objects (isorun compile -o) when the user said they trust them. */
#ifndef ISORUN_CLI_MODULE_LOAD_H
#define ISORUN_CLI_MODULE_LOAD_H

#include "isorun.h"

#include <stdbool.h>

/* Loads path as WebAssembly, or with `precompiled` as a native object. A
 * native object given without `precompiled` is refused with a hint: running
 * one means trusting it, which the user must say (--precompiled). */
isorun_error *cli_module_load(isorun_runtime *rt, const char *path, bool precompiled, isorun_module **out);

#endif /* ISORUN_CLI_MODULE_LOAD_H */
