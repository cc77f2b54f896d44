/* units.h — the numbers users type on the command line: counts ("1e9"),
 * sizes ("64M") and durations ("500ms"). Shared by every subcommand. */
#ifndef ISORUN_CLI_UNITS_H
#define ISORUN_CLI_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/* "1000", "1e9": an exact non-negative integer up to 2^64 - 1. */
bool units_parse_count(const char *s, uint64_t *out);

/* "65536", "64K", "64M", "1G" (binary multiples, optional "i" and "B"), in
 * bytes, up to 2^64 - 1. */
bool units_parse_size(const char *s, uint64_t *out);

/* "500ms", "2s", "1.5s", "1m", "250us", "1h"; a bare number is seconds.
 * Positive; in nanoseconds. */
bool units_parse_duration(const char *s, uint64_t *ns);

#endif /* ISORUN_CLI_UNITS_H */
