/* capabilities.h — the names `--allow` accepts, each the public API's grant
 * bit (ISORUN_WASI_*), what it grants, and the WASI functions it covers
 * (for the hint when a module cannot be linked). */
#ifndef ISORUN_CLI_CAPABILITIES_H
#define ISORUN_CLI_CAPABILITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_capability {
    const char *name;        /* as given to --allow */
    unsigned grant;          /* ISORUN_WASI_* */
    const char *description;
    const char *const *functions; /* wasi_snapshot_preview1 functions it grants; NULL-ended */
} cli_capability;

/* The capability called name[0..len), or NULL. */
const cli_capability *cli_capability_find(const char *name, size_t len);

/* The capability that grants WASI function `function`, or NULL. */
const cli_capability *cli_capability_of_function(const char *function);

/* The capability whose grant bit is grant (ISORUN_WASI_*), or NULL. */
const cli_capability *cli_capability_of_grant(unsigned grant);

/* One help line per capability. */
void cli_capabilities_print(FILE *out, const char *indent);

#endif /* ISORUN_CLI_CAPABILITIES_H */
