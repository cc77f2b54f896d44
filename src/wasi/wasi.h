/*
 * wasi.h — WASI preview 1 bound straight to engine stores, for the isorun
 * CLI until it runs on the public API (isorun_wasi_new in isorun.h, which
 * is the component every embedder uses). The functions behind both are the
 * same (src/wasi/functions.h); this header only adapts them to
 * wasm_func_new_host. It goes away once tools/isorun no longer includes it.
 *
 * The embedder creates a wasi_ctx, fills in what the guest gets (argv,
 * environment, the host fds behind stdin/stdout/stderr, granted capabilities),
 * and then, for each function import whose module is "wasi_snapshot_preview1",
 * asks wasi_import_func() for a host function bound to the context. The
 * context must outlive every call into the instances that use it; one context
 * serves one guest program (it holds that program's fd table and exit code).
 *
 * Capabilities: args, environment, stdio, proc_exit and sched_yield are always
 * available. Clocks and random must be granted. A guest calling a function
 * whose capability was not granted gets the WASI errno ENOTCAPABLE (76), never
 * a trap; an embedder that prefers to refuse such modules at link time sets
 * wasi_ctx_set_strict_imports(), and then wasi_import_func() fails with an
 * error naming the import and the capability that would grant it.
 * The context's settings are read when the first import is resolved:
 * configure it first.
 *
 * Writing to a closed pipe: the host process receives SIGPIPE unless it
 * ignores that signal. The library never changes signal dispositions; a
 * program embedding it (like the isorun CLI) should ignore SIGPIPE so that the
 * guest sees EPIPE instead.
 */
#ifndef ISORUN_WASI_H
#define ISORUN_WASI_H

#include "../wasm/wasm.h"

#include <stdbool.h>
#include <stdint.h>

#ifndef WASI_MODULE_NAME
#define WASI_MODULE_NAME "wasi_snapshot_preview1"
#endif

/* Every capability: X(enum suffix, name used by --allow, what it grants).
 * BASE is implicit and always granted. */
#define WASI_CAPABILITY_LIST(X)                                                                    \
    X(BASE, "base", "arguments, environment, stdio, exit and yield (always granted)")              \
    X(CLOCKS, "clocks", "read the realtime, monotonic and CPU-time clocks")                        \
    X(RANDOM, "random", "read random bytes from the host")                                         \
    X(FILESYSTEM, "fs", "files beneath mounted directories (granted by mounting one)")

typedef enum wasi_capability {
#define WASI_X_ENUM(name, str, what) WASI_CAP_##name,
    WASI_CAPABILITY_LIST(WASI_X_ENUM)
#undef WASI_X_ENUM
    WASI_CAP_COUNT_
} wasi_capability;

/* "clocks", ...; "?" when out of range. */
const char *wasi_capability_name(wasi_capability cap);
const char *wasi_capability_description(wasi_capability cap);
/* Looks up a capability by its name; false if there is none. */
bool wasi_capability_from_name(const char *name, size_t len, wasi_capability *out);

typedef struct wasi_ctx wasi_ctx;

/* A context with no arguments, an empty environment, stdio bound to host fds
 * 0, 1, 2, and only the BASE capability. NULL on OOM. */
wasi_ctx *wasi_ctx_new(void);
void wasi_ctx_free(wasi_ctx *ctx);

/* Replaces argv (argv[0] is the program name the guest sees). Copied. */
isorun_error *wasi_ctx_set_args(wasi_ctx *ctx, int argc, const char *const *argv);
/* Appends one environment entry "NAME=VALUE" (must contain '='). Copied. */
isorun_error *wasi_ctx_add_env(wasi_ctx *ctx, const char *name_equals_value);
/* Which host fds back guest fds 0, 1, 2 (-1: that guest fd starts closed).
 * The context never closes them. */
void wasi_ctx_set_stdio(wasi_ctx *ctx, int stdin_fd, int stdout_fd, int stderr_fd);
void wasi_ctx_grant(wasi_ctx *ctx, wasi_capability cap);
bool wasi_ctx_granted(const wasi_ctx *ctx, wasi_capability cap);
/* Link-time refusal of ungranted imports (see the top of this file). */
void wasi_ctx_set_strict_imports(wasi_ctx *ctx, bool strict);

/* True once the guest called proc_exit; *code (may be NULL) gets its status. */
bool wasi_ctx_exited(const wasi_ctx *ctx, uint32_t *code);

/* True when module[0..len) is the WASI preview 1 module name. */
bool wasi_is_module(const char *module, size_t len);

/* Creates, in store s, the host function for import WASI_MODULE_NAME.name
 * (name[0..name_len): import names may contain NUL bytes),
 * bound to ctx. `expected` (may be NULL) is the import's declared type; when
 * it differs from WASI's signature the result is ISORUN_ERR_UNLINKABLE naming
 * both. Unknown names are ISORUN_ERR_UNLINKABLE too. Sockets resolve to
 * functions returning ENOTSUP (58). */
isorun_error *wasi_import_func(wasi_ctx *ctx, wasm_store *s, const char *name, size_t name_len,
                               const wasm_functype *expected, wasm_func **out);

#endif /* ISORUN_WASI_H */
