/* table.c — the table of functions.h as data, and the dispatcher every
 * call goes through (grant check, then the handler). */
#include "internal.h"

#include <string.h>

const wasi_function wasi_functions[] = {
#define WASI_X_ENTRY(name, signature, handler, grant) {#name, signature, handler, WASI_GRANT_##grant},
#define WASI_GRANT_NONE 0u
#define WASI_GRANT_CLOCKS ISORUN_WASI_CLOCKS
#define WASI_GRANT_RANDOM ISORUN_WASI_RANDOM
    WASI_FUNCTION_LIST(WASI_X_ENTRY)
#undef WASI_X_ENTRY
};

const size_t wasi_function_count = sizeof wasi_functions / sizeof wasi_functions[0];

const char *isorun_wasi_function(const char *name, unsigned *grant) {
    for (size_t i = 0; name && i < wasi_function_count; i++) {
        if (strcmp(wasi_functions[i].name, name) != 0) continue;
        if (grant) *grant = wasi_functions[i].grant;
        return wasi_functions[i].signature;
    }
    return NULL;
}

uint32_t wasi_dispatch(wasi_call *c, const wasi_function *f, const isorun_val *args) {
    /* An ungranted capability is an answer, not a trap: programs probe for
     * clocks and randomness and fall back when they are missing. */
    if (f->grant && !(c->st->cfg->grants & f->grant)) return WASI_ENOTCAPABLE;
    return f->handler(c, args);
}
