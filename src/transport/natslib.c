/*
 * natslib.c — loads libnats with dlopen the first time a nats:// address is
 * used, and resolves the functions the NATS transport calls (natslib.h).
 *
 * The library is looked up by its soname, which carries the major and minor
 * version of the headers isorun was built with (libnats.so.3.4 from Debian
 * 12's package libnats3.4), so the code loaded is the ABI compiled against.
 * ISORUN_LIBNATS names another file instead (a build of one's own, or a test
 * that needs the load to fail).
 *
 * The outcome is process-wide and final, like linking would be: one load,
 * under pthread_once, then a table nobody writes again. The library is never
 * unloaded: its background threads and process-wide state outlive any one
 * connection, and it offers no teardown that makes unloading safe.
 */
#ifdef ISORUN_HAVE_NATS

#include "natslib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NATSLIB_STR_(x) #x
#define NATSLIB_STR(x) NATSLIB_STR_(x)
#define NATSLIB_VERSION NATSLIB_STR(NATS_VERSION_MAJOR) "." NATSLIB_STR(NATS_VERSION_MINOR)
#define NATSLIB_SONAME "libnats.so." NATSLIB_VERSION
/* Debian names the runtime package after the soname. */
#define NATSLIB_PACKAGE "libnats" NATSLIB_VERSION

/* What the one load produced: the table, or (failure not empty) why there
 * is none. Written only inside pthread_once, read only after it. */
static struct {
    pthread_once_t once;
    tp_natslib table;
    char failure[1024];
} natslib = {.once = PTHREAD_ONCE_INIT};

static void natslib_load(void) {
    const char *chosen = getenv(TP_NATSLIB_ENV);
    if (chosen && !*chosen) chosen = NULL;
    const char *file = chosen ? chosen : NATSLIB_SONAME;
    /* RTLD_NOW: a missing dependency (libssl, ...) is reported here, by
     * name, instead of failing at some later call. RTLD_LOCAL: libnats' and
     * OpenSSL's symbols stay out of the namespace the embedder's own
     * libraries are resolved in. */
    void *handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        if (!why) why = "unknown error";
        if (chosen)
            snprintf(natslib.failure, sizeof natslib.failure,
                     "cannot load %s, the NATS client library named by " TP_NATSLIB_ENV ": %s; unset " TP_NATSLIB_ENV
                     " to load " NATSLIB_SONAME " (apt-get install " NATSLIB_PACKAGE ")",
                     file, why);
        else
            snprintf(natslib.failure, sizeof natslib.failure,
                     "cannot load " NATSLIB_SONAME ", the NATS client library nats:// addresses need: %s; install it "
                     "with `apt-get install " NATSLIB_PACKAGE "`, or set " TP_NATSLIB_ENV " to its path",
                     why);
        return;
    }
    tp_natslib t;
    /* POSIX guarantees that dlsym's object pointer converts to a function
     * pointer; the cast gives each member the type nats.h declares. */
#define NATSLIB_RESOLVE(fn)                                                                        \
    if (!(t.fn = (__typeof__(t.fn))dlsym(handle, #fn))) {                                          \
        snprintf(natslib.failure, sizeof natslib.failure,                                          \
                 "%s has no function " #fn ": it is not the NATS C client " NATSLIB_VERSION        \
                 " isorun was built for (apt-get install " NATSLIB_PACKAGE ")",                    \
                 file);                                                                            \
        dlclose(handle);                                                                           \
        return;                                                                                    \
    }
    TP_NATSLIB_FUNCTIONS(NATSLIB_RESOLVE)
#undef NATSLIB_RESOLVE
    /* The soname pins the version, but ISORUN_LIBNATS can name any file.
     * The rule is libnats' own (nats_CheckCompatibility, which exits
     * instead of returning): the same major version, and at least what the
     * headers require. */
    uint32_t v = t.nats_GetVersionNumber();
    if (v >> 16 != NATS_VERSION_MAJOR || v < NATS_VERSION_REQUIRED_NUMBER) {
        snprintf(natslib.failure, sizeof natslib.failure,
                 "%s is libnats %u.%u.%u, but isorun was built for libnats " NATS_VERSION_STRING
                 " (apt-get install " NATSLIB_PACKAGE ")",
                 file, (unsigned)(v >> 16), (unsigned)(v >> 8 & 0xff), (unsigned)(v & 0xff));
        dlclose(handle);
        return;
    }
    natslib.table = t;
}

isorun_error *tp_natslib_get(const tp_natslib **out) {
    pthread_once(&natslib.once, natslib_load);
    if (natslib.failure[0]) return isr_error(ISORUN_ERR_IO, "%s", natslib.failure);
    *out = &natslib.table;
    return NULL;
}

#endif /* ISORUN_HAVE_NATS */
