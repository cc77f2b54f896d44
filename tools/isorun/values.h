/* values.h — core wasm values as command-line text: parsing --invoke
 * arguments and printing results, by their wasm types. */
#ifndef ISORUN_CLI_VALUES_H
#define ISORUN_CLI_VALUES_H

#include "isorun.h"

#include <stdbool.h>
#include <stdio.h>

/* Parses text as a value of kind ISORUN_I32/I64/F32/F64 into *out.
 *   i32/i64: decimal or 0x hex, in the signed or the unsigned range
 *            ("-1" and "4294967295" are the same i32)
 *   f32/f64: decimal or hex float, "inf", "-inf", "nan", "-nan",
 *            "nan:0xPAYLOAD" (a NaN with that mantissa)
 * False when the text is not a value of that type. */
bool cli_value_parse(const char *text, isorun_kind kind, isorun_val *out);

/* Prints one value and a newline: integers as signed decimal, floats in the
 * shortest decimal form that reads back to the same bits ("-0", "inf",
 * "nan", "nan:0x200000" for a NaN that is not the canonical one). */
void cli_value_print(FILE *out, const isorun_val *v);

#endif /* ISORUN_CLI_VALUES_H */
