/*
 * check_error.h — the assertion on an isorun_error's code and trap that the
 * host-side test helpers share (check.h stays free of isorun.h: wasm guests
 * include it too).
 */
#ifndef ISORUN_TEST_CHECK_ERROR_H
#define ISORUN_TEST_CHECK_ERROR_H

#include "check.h"
#include "isorun.h"

#include <stdbool.h>

/* Records whether err has `code` and `trap`, printing what came back when
 * not. Does not free err. */
static inline bool check_error_kind_at(const isorun_error *err, isorun_error_code code, isorun_trap_code trap,
                                       const char *file, int line) {
    bool ok = err && isorun_error_code_of(err) == code && isorun_error_trap(err) == trap;
    check_record(ok, file, line, "the expected error comes back");
    if (!ok) {
        if (!err)
            fprintf(stderr, "    no error, expected %s / %s\n", isorun_error_code_name(code), isorun_trap_message(trap));
        else
            fprintf(stderr, "    got %s / %s (\"%s\"), expected %s / %s\n",
                    isorun_error_code_name(isorun_error_code_of(err)), isorun_trap_message(isorun_error_trap(err)),
                    isorun_error_message(err), isorun_error_code_name(code), isorun_trap_message(trap));
    }
    return ok;
}

#endif /* ISORUN_TEST_CHECK_ERROR_H */
