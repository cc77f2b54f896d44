/*
 * spectest_host.h — the "spectest" host module the core test suite imports,
 * as the reference interpreter defines it: print functions, four immutable
 * globals, a funcref table and a memory.
 */
#ifndef ISORUN_SPECTEST_HOST_H
#define ISORUN_SPECTEST_HOST_H

#include "wasm/wasm.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct spectest_export {
    const char *name;
    wasm_extern item;
} spectest_export;

enum { SPECTEST_EXPORT_COUNT = 13 };

typedef struct spectest_host {
    spectest_export exports[SPECTEST_EXPORT_COUNT];
} spectest_host;

/* Creates the module's objects in store s (owned by the store). When verbose,
 * the print functions write their arguments to stdout. False on OOM. */
bool spectest_host_init(spectest_host *host, wasm_store *s, bool verbose);

/* Looks up an export by its exact name bytes. */
bool spectest_host_lookup(const spectest_host *host, const char *name, size_t name_len, wasm_extern *out);

#endif /* ISORUN_SPECTEST_HOST_H */
