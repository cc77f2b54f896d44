/* values.h — core wasm values as command-line text: parsing --invoke
 * arguments and printing results. */
#ifndef ISORUN_CLI_VALUES_H
#define ISORUN_CLI_VALUES_H

#include "wasm/wasm.h"

#include <stdbool.h>
#include <stdio.h>

/* Parses text as a value of type `type` (i32/i64: decimal or 0x hex, signed
 * or unsigned range; f32/f64: decimal, hex float, inf, nan; references:
 * "null"). False when it does not fit the type. */
bool value_parse(const char *text, uint8_t type, wasm_slot *out);

/* Prints one value and a newline: integers signed decimal, floats in the
 * shortest form that reads back to the same bits. */
void value_print(FILE *out, uint8_t type, wasm_slot v);

#endif /* ISORUN_CLI_VALUES_H */
