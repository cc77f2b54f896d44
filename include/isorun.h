/*
 * isorun.h — the public API of libisorun, an embeddable runtime for isolated
 * WebAssembly.
 *
 * This is the only public header. Everything else under src/ is private and
 * may change without notice.
 *
 * Conventions used throughout:
 *  - Every fallible function returns an `isorun_error *`: NULL means success;
 *    otherwise the caller owns the error and frees it with isorun_error_free().
 *  - Every `_new` has a matching `_free`. Freeing NULL is always a no-op.
 *  - The library never prints, never exits and never aborts on bad input.
 */
#ifndef ISORUN_H
#define ISORUN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ISORUN_VERSION_MAJOR 0
#define ISORUN_VERSION_MINOR 1
#define ISORUN_VERSION_PATCH 0
#define ISORUN_VERSION_STRING "0.1.0"

/* Returns the library's version string, e.g. "0.1.0". Never NULL. */
const char *isorun_version(void);

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

/* Every error code: X(enum suffix, short name, meaning). */
#define ISORUN_ERROR_LIST(X)                                                   \
    X(OK, "ok", "success")                                                     \
    X(NOMEM, "out-of-memory", "the host ran out of memory")                    \
    X(ARGUMENT, "bad-argument", "an API function was given a bad argument")    \
    X(IO, "io", "reading or writing a host file failed")                       \
    X(MALFORMED, "malformed", "the binary is not well-formed WebAssembly")     \
    X(INVALID, "invalid", "the module does not validate")                      \
    X(UNLINKABLE, "unlinkable", "an import could not be satisfied")            \
    X(UNINSTANTIABLE, "uninstantiable", "instantiation trapped")               \
    X(TRAP, "trap", "the guest trapped; see isorun_error_trap()")              \
    X(LIMIT, "limit", "a configured limit was exceeded")                       \
    X(NOT_FOUND, "not-found", "no export or item of that name")                \
    X(TYPE_MISMATCH, "type-mismatch", "values or signatures do not match")     \
    X(EXIT, "exit", "the guest asked to exit; see isorun_error_exit_code()")

typedef enum isorun_error_code {
#define ISORUN_X_ENUM(name, str, msg) ISORUN_ERR_##name,
    ISORUN_ERROR_LIST(ISORUN_X_ENUM)
#undef ISORUN_X_ENUM
    ISORUN_ERR_COUNT_
} isorun_error_code;

/* Every trap a guest can cause: X(enum suffix, message). The messages are the
 * ones the WebAssembly specification's test suite uses. */
#define ISORUN_TRAP_LIST(X)                                                    \
    X(NONE, "no trap")                                                         \
    X(UNREACHABLE, "unreachable")                                              \
    X(MEMORY_OOB, "out of bounds memory access")                               \
    X(TABLE_OOB, "out of bounds table access")                                 \
    X(UNDEFINED_ELEMENT, "undefined element")                                  \
    X(UNINITIALIZED_ELEMENT, "uninitialized element")                          \
    X(INDIRECT_TYPE_MISMATCH, "indirect call type mismatch")                   \
    X(NULL_REFERENCE, "null reference")                                        \
    X(DIV_BY_ZERO, "integer divide by zero")                                   \
    X(INT_OVERFLOW, "integer overflow")                                        \
    X(INVALID_CONVERSION, "invalid conversion to integer")                     \
    X(STACK_EXHAUSTED, "call stack exhausted")                                 \
    X(OUT_OF_FUEL, "out of fuel")                                              \
    X(INTERRUPTED, "interrupted")                                              \
    X(DEADLINE, "deadline exceeded")                                           \
    X(HOST, "host function failed")

typedef enum isorun_trap_code {
#define ISORUN_X_ENUM(name, msg) ISORUN_TRAP_##name,
    ISORUN_TRAP_LIST(ISORUN_X_ENUM)
#undef ISORUN_X_ENUM
    ISORUN_TRAP_COUNT_
} isorun_trap_code;

typedef struct isorun_error isorun_error;

/* The error's code. isorun_error_code(NULL) is ISORUN_ERR_OK. */
isorun_error_code isorun_error_code_of(const isorun_error *err);

/* A human-readable message that says what went wrong and, where it can, where
 * (byte offset, function, import name). Owned by the error; never NULL. */
const char *isorun_error_message(const isorun_error *err);

/* For ISORUN_ERR_TRAP (and ISORUN_ERR_UNINSTANTIABLE caused by a trap): which
 * trap. ISORUN_TRAP_NONE otherwise. */
isorun_trap_code isorun_error_trap(const isorun_error *err);

/* For ISORUN_ERR_EXIT: the exit status the guest gave. 0 otherwise. */
int isorun_error_exit_code(const isorun_error *err);

/* Short stable names, for logs and tests ("trap", "out of bounds memory
 * access"). Never NULL, also for out-of-range values. */
const char *isorun_error_code_name(isorun_error_code code);
const char *isorun_trap_message(isorun_trap_code trap);

/* Frees an error. Freeing NULL is a no-op. */
void isorun_error_free(isorun_error *err);

#ifdef __cplusplus
}
#endif
#endif /* ISORUN_H */
