/* diff_util.h — what the differential-test guests share: every step prints
 * one line, "<what>: ok" or "<what>: <strerror(errno)>", so runs under two
 * runtimes can be compared line by line. Only outcomes that are the same on
 * any correct runtime are printed (no inode numbers, no current times). */
#ifndef DIFF_UTIL_H
#define DIFF_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Prints the outcome of a step whose success is `ok` (errno says why not). */
static inline bool step(const char *what, bool ok) {
    printf("%s: %s\n", what, ok ? "ok" : strerror(errno));
    return ok;
}

/* A path below the mount the test gives as argv[1] (default /sandbox). */
static inline const char *in_mount(const char *mount, const char *rel) {
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", mount, rel);
    return p;
}

#endif /* DIFF_UTIL_H */
