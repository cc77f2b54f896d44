/* error.c — error values: creation, wrapping, accessors, the code tables. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returned when even the error cannot be allocated. Never written after
 * initialisation and never freed, so sharing it between threads is safe. */
static struct isorun_error nomem_error = {ISORUN_ERR_NOMEM, ISORUN_TRAP_NONE, 0, (char *)"out of memory", 0};

isorun_error *isr_error_nomem(void) { return &nomem_error; }

isorun_error *isr_error_v(isorun_error_code code, const char *fmt, va_list ap) {
    isorun_error *err = calloc(1, sizeof *err);
    if (!err) return &nomem_error;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    err->message = malloc((size_t)n + 1);
    if (!err->message) {
        free(err);
        return &nomem_error;
    }
    vsnprintf(err->message, (size_t)n + 1, fmt, ap);
    err->code = code;
    err->trap = ISORUN_TRAP_NONE;
    return err;
}

isorun_error *isr_error(isorun_error_code code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    isorun_error *err = isr_error_v(code, fmt, ap);
    va_end(ap);
    return err;
}

isorun_error *isr_trap(isorun_trap_code trap, const char *detail_fmt, ...) {
    isorun_error *err;
    if (detail_fmt) {
        char detail[512];
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(detail, sizeof detail, detail_fmt, ap);
        va_end(ap);
        err = isr_error(ISORUN_ERR_TRAP, "%s: %s", isorun_trap_message(trap), detail);
    } else {
        err = isr_error(ISORUN_ERR_TRAP, "%s", isorun_trap_message(trap));
    }
    if (err != &nomem_error) err->trap = trap;
    return err;
}

isorun_error *isr_error_wrap(isorun_error *err, const char *fmt, ...) {
    if (!err || err == &nomem_error) return err;
    char prefix[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    size_t n = strlen(prefix) + 2 + strlen(err->message) + 1;
    char *m = malloc(n);
    if (!m) return err; /* keep the original message rather than lose the error */
    snprintf(m, n, "%s: %s", prefix, err->message);
    free(err->message);
    err->message = m;
    return err;
}

isorun_error_code isorun_error_code_of(const isorun_error *err) {
    return err ? err->code : ISORUN_ERR_OK;
}

const char *isorun_error_message(const isorun_error *err) {
    return err ? err->message : "success";
}

isorun_trap_code isorun_error_trap(const isorun_error *err) {
    return err ? err->trap : ISORUN_TRAP_NONE;
}

int isorun_error_exit_code(const isorun_error *err) {
    return err && err->code == ISORUN_ERR_EXIT ? err->exit_code : 0;
}

const char *isorun_error_code_name(isorun_error_code code) {
    static const char *const names[] = {
#define X(name, str, msg) str,
        ISORUN_ERROR_LIST(X)
#undef X
    };
    if ((unsigned)code >= sizeof names / sizeof names[0]) return "unknown";
    return names[code];
}

const char *isorun_trap_message(isorun_trap_code trap) {
    static const char *const msgs[] = {
#define X(name, msg) msg,
        ISORUN_TRAP_LIST(X)
#undef X
    };
    if ((unsigned)trap >= sizeof msgs / sizeof msgs[0]) return "unknown trap";
    return msgs[trap];
}

void isorun_error_free(isorun_error *err) {
    if (!err || err == &nomem_error) return;
    free(err->message);
    free(err);
}

const char *isorun_version(void) { return ISORUN_VERSION_STRING; }
