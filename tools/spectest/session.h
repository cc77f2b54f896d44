/*
 * session.h — the state one command file builds up: its store, the spectest
 * host module, the instances the file defined (by name and the most recent
 * one), the instances registered for import under a module name, and the
 * modules kept alive until the store is gone.
 */
#ifndef ISORUN_SPECTEST_SESSION_H
#define ISORUN_SPECTEST_SESSION_H

#include "spectest_host.h"
#include "watchdog.h"
#include "wasm/wasm.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct named_instance {
    char *name;              /* "$M" as in the .wast; NULL when unnamed */
    wasm_instance *instance; /* NULL when the module failed to load or instantiate */
} named_instance;

typedef struct registration {
    char *as; /* the import module name it answers to */
    size_t as_len;
    wasm_instance *instance;
} registration;

typedef struct session {
    const char *dir; /* where module files live */
    bool verbose;
    unsigned timeout_secs;
    atomic_int interrupt; /* raised by the watchdog */
    watchdog *watchdog;
    wasm_store *store;  /* NULL if it could not be created */
    const wasm_native_options *native; /* non-NULL: modules run as native code */
    bool host_ready;    /* spectest host objects exist */
    spectest_host host;
    named_instance *instances;
    size_t ninstances, instances_cap;
    registration *registrations;
    size_t nregistrations, registrations_cap;
    wasm_module **modules;
    size_t nmodules, modules_cap;
} session;

/* Sets up a store and the host module. Check s->store for success. */
void session_init(session *s, const char *dir, bool verbose, unsigned timeout_secs);
void session_free(session *s);

/* Reads and compiles a module file. Returns the engine's error (caller frees)
 * or NULL with *out set; the session keeps the module alive. When the file
 * itself cannot be read, returns NULL with *out NULL and the reason in why. */
isorun_error *session_load_module(session *s, const char *filename, wasm_module **out, char *why, size_t why_size);

typedef enum instantiate_status {
    INSTANTIATED,
    IMPORT_MISSING, /* no registered instance or host export has that name */
    ENGINE_REFUSED, /* wasm_instantiate returned an error */
} instantiate_status;

/* Resolves m's imports against the registered instances and the spectest
 * module, then instantiates. *err receives the engine's error (caller frees);
 * why describes a missing import. */
instantiate_status session_instantiate(session *s, wasm_module *m, wasm_instance **out, isorun_error **err,
                                       char *why, size_t why_size);

/* Records the outcome of a module command: it becomes the most recent module
 * (instance NULL when it failed) and, when named, reachable by name. */
bool session_define(session *s, const char *name, wasm_instance *instance);

/* Finds the instance an action or register names (name NULL = most recent).
 * On failure returns false with the reason in why. */
bool session_find_instance(session *s, const char *name, wasm_instance **out, char *why, size_t why_size);

bool session_register(session *s, const char *as, size_t as_len, wasm_instance *instance);

/* Looks an export up by its exact name bytes. */
bool session_find_export(const wasm_instance *inst, const char *name, size_t name_len, wasm_extern *out);

/* Runs the watchdog around an engine call: arm before, disarm after (true
 * when the time limit was hit). */
void session_clock_start(session *s);
bool session_clock_stop(session *s);

#endif /* ISORUN_SPECTEST_SESSION_H */
