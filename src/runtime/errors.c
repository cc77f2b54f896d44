/*
 * errors.c — the public constructors of errors, so that host functions and
 * system components written only against isorun.h can report failures, traps
 * and exit requests the same way the library does.
 */
#include "runtime.h"

#include <stdio.h>

isorun_error *isorun_error_new(isorun_error_code code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    isorun_error *err = isr_error_v(code, fmt ? fmt : "", ap);
    va_end(ap);
    return err;
}

isorun_error *isorun_error_new_trap(isorun_trap_code trap, const char *fmt, ...) {
    if ((unsigned)trap >= ISORUN_TRAP_COUNT_ || trap == ISORUN_TRAP_NONE) trap = ISORUN_TRAP_HOST;
    if (!fmt) return isr_trap(trap, NULL);
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return isr_trap(trap, "%s", detail);
}

isorun_error *isorun_error_new_exit(int status) {
    isorun_error *err = isr_error(ISORUN_ERR_EXIT, "the guest exited with status %d", status);
    if (err != isr_error_nomem()) err->exit_code = status;
    return err;
}
