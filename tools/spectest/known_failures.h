/*
 * known_failures.h — the list of spec commands expected to fail.
 *
 * One "<file>:<line>" entry per line; '#' starts a comment. The file part is
 * compared without directory and without a .wast/.json extension, so
 * "i32.wast:12", "i32.json:12" and "i32:12" name the same command. Entries are
 * marked when the command fails; an entry of a file that ran but was never
 * marked has been fixed and must leave the list, so the list only shrinks.
 */
#ifndef ISORUN_SPECTEST_KNOWN_FAILURES_H
#define ISORUN_SPECTEST_KNOWN_FAILURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct known_failure {
    char *text; /* the entry as written, for messages */
    char *file; /* normalized file part */
    unsigned long line;
    bool failed; /* a failure at this place was seen */
} known_failure;

typedef struct known_failures {
    known_failure *entries;
    size_t count;
} known_failures;

/* Reads the list at path into kf (zeroed first). On error (unreadable file,
 * malformed entry) writes the reason to err and returns false. */
bool known_failures_load(known_failures *kf, const char *path, char *err, size_t err_size);

/* True when file:line is listed. */
bool known_failures_contains(const known_failures *kf, const char *file, unsigned long line);

/* Marks the entries at file:line as failing; true when there was one. */
bool known_failures_mark(known_failures *kf, const char *file, unsigned long line);

/* Prints "FIXED ..." to out for each entry of file that was not marked;
 * returns how many. */
size_t known_failures_report_fixed(const known_failures *kf, const char *file, FILE *out);

void known_failures_free(known_failures *kf);

#endif /* ISORUN_SPECTEST_KNOWN_FAILURES_H */
