/* test_check.h — the spec runner's unit tests' one assertion: CHECK records
 * a failure (file:line and the expression) and goes on; check_report()
 * prints the outcome and gives main's exit status. Include once per test
 * program (the count is file-static). */
#ifndef ISORUN_SPECTEST_TEST_CHECK_H
#define ISORUN_SPECTEST_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            failures++;                                                        \
        }                                                                      \
    } while (0)

/* "<what>: all checks passed", or the count of failures; 0 or 1. */
static inline int check_report(const char *what) {
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("%s: all checks passed\n", what);
    return 0;
}

#endif /* ISORUN_SPECTEST_TEST_CHECK_H */
