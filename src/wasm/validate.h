/*
 * validate.h — what the two halves of validation share. validate.c checks the
 * module-level rules and then hands the function bodies to validate_code.c.
 * Private to the validator.
 */
#ifndef ISORUN_WASM_VALIDATE_H
#define ISORUN_WASM_VALIDATE_H

#include "internal.h"

/* Validates every defined function's body. declared_refs is a bitset over the
 * function index space (bit i of byte i/8): set when function i is named
 * outside any function body, so that ref.func may name it (the
 * specification's C.refs). The caller has already checked the module-level
 * facts the bodies rely on (every function's type index is in range). */
isorun_error *wasm_validate_bodies(const wasm_module *m, const uint8_t *declared_refs);

static inline bool wasm_ref_declared(const uint8_t *declared_refs, uint32_t func) {
    return (declared_refs[func / 8] >> (func % 8)) & 1;
}

#endif /* ISORUN_WASM_VALIDATE_H */
