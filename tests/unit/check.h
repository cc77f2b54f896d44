/*
 * check.h — the unit tests' tiny assertion kit.
 *
 *   CHECK(expr)        records a failure (file:line and the expression) and
 *                      goes on, so one run reports every broken expectation
 *   REQUIRE(expr)      like CHECK, but abandons the current test function:
 *                      for preconditions the rest of the test depends on
 *   CHECK_EQ_INT(a, b) / CHECK_EQ_U64 / CHECK_STR_CONTAINS
 *                      also print both values
 *   RUN(test_fn)       runs one test function
 *   return check_summary();
 *                      prints "N passed, M failed" and gives the exit status
 *
 * Each test binary includes this once (the state is file-static).
 */
#ifndef ISORUN_TEST_CHECK_H
#define ISORUN_TEST_CHECK_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static int check_passed_count;
static int check_failed_count;
static jmp_buf check_abandon_test;
static const char *check_current_test = "";

static inline void check_record(int ok, const char *file, int line, const char *what) {
    if (ok) {
        check_passed_count++;
        return;
    }
    check_failed_count++;
    fprintf(stderr, "%s:%d: %s: check failed: %s\n", file, line, check_current_test, what);
}

#define CHECK(expr) check_record(!!(expr), __FILE__, __LINE__, #expr)

#define REQUIRE(expr)                                                                              \
    do {                                                                                           \
        int require_ok_ = !!(expr);                                                                \
        check_record(require_ok_, __FILE__, __LINE__, #expr);                                      \
        if (!require_ok_) {                                                                        \
            fprintf(stderr, "%s:%d: %s: abandoning this test\n", __FILE__, __LINE__,               \
                    check_current_test);                                                           \
            longjmp(check_abandon_test, 1);                                                        \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_INT(actual, expected)                                                             \
    do {                                                                                           \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);                \
        check_record(check_a_ == check_e_, __FILE__, __LINE__, #actual " == " #expected);          \
        if (check_a_ != check_e_)                                                                  \
            fprintf(stderr, "    got %lld, expected %lld\n", check_a_, check_e_);                  \
    } while (0)

#define CHECK_EQ_U64(actual, expected)                                                             \
    do {                                                                                           \
        uint64_t check_a_ = (uint64_t)(actual), check_e_ = (uint64_t)(expected);                   \
        check_record(check_a_ == check_e_, __FILE__, __LINE__, #actual " == " #expected);          \
        if (check_a_ != check_e_)                                                                  \
            fprintf(stderr, "    got 0x%016" PRIx64 ", expected 0x%016" PRIx64 "\n", check_a_,     \
                    check_e_);                                                                     \
    } while (0)

#define CHECK_STR_CONTAINS(haystack, needle)                                                       \
    do {                                                                                           \
        const char *check_h_ = (haystack), *check_n_ = (needle);                                   \
        int check_ok_ = check_h_ && strstr(check_h_, check_n_);                                    \
        check_record(check_ok_, __FILE__, __LINE__, #haystack " contains " #needle);               \
        if (!check_ok_) fprintf(stderr, "    \"%s\" lacks \"%s\"\n", check_h_ ? check_h_ : "(null)", check_n_); \
    } while (0)

/* Runs one test function; a failed REQUIRE longjmps back here. The function
 * is called through a volatile pointer so the compiler cannot inline it into
 * the frame that calls setjmp (whose locals longjmp may clobber). */
static inline void check_run(void (*test_fn)(void), const char *name) {
    void (*volatile call)(void) = test_fn;
    check_current_test = name;
    if (setjmp(check_abandon_test) == 0) call();
    check_current_test = "";
}
#define RUN(test_fn) check_run(test_fn, #test_fn)

static inline int check_summary(void) {
    printf("%d passed, %d failed\n", check_passed_count, check_failed_count);
    return check_failed_count ? 1 : 0;
}

#endif /* ISORUN_TEST_CHECK_H */
