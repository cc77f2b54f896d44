/*
 * test_wasi_basics.c — WASI without a filesystem, through the public API:
 * arguments, environment, clocks and random granted and not, poll_oneoff,
 * sockets, stdin/stdout/stderr, exit codes, and EFAULT for pointers outside
 * the guest's memory (guests/basics.c asserts the values inside the guest;
 * this side checks what reached the host).
 */
#include "wasi_harness.h"

static void test_args_and_environment(void) {
    h_run r = {.guest = "wasi_basics", .args = {"args", "two words", "", "\xc3\xbcn\xc3\xaf"}};
    if (RUN_GUEST(&r)) EXPECT_STATUS(&r, 0);
    h_run_free(&r);
    h_run e = {.guest = "wasi_basics", .args = {"environ"}, .env = {"A=1", "EMPTY="}};
    if (RUN_GUEST(&e)) EXPECT_STATUS(&e, 0);
    h_run_free(&e);
}

static void test_clocks(void) {
    GUEST_CASE("wasi_basics", "clocks_granted", NULL, ISORUN_WASI_CLOCKS);
    GUEST_CASE("wasi_basics", "clocks_denied", NULL, 0);
    GUEST_CASE("wasi_basics", "clocks_denied", NULL, ISORUN_WASI_RANDOM);
}

static void test_random(void) {
    GUEST_CASE("wasi_basics", "random_granted", NULL, ISORUN_WASI_RANDOM);
    GUEST_CASE("wasi_basics", "random_denied", NULL, ISORUN_WASI_CLOCKS);
}

static void test_misc(void) { GUEST_CASE("wasi_basics", "misc", NULL, 0); }

static void test_stdio(void) {
    h_run r = {.guest = "wasi_basics", .args = {"stdio"}, .stdin_text = "line one\nline two\n"};
    if (!RUN_GUEST(&r)) return;
    EXPECT_STATUS(&r, 0);
    CHECK_STR_CONTAINS(r.out, "echo: line one\necho: line two\nabc\n");
    CHECK(strcmp(r.err, "to stderr\n") == 0);
    h_run_free(&r);
}

static void test_exit_codes(void) {
    const char *codes[] = {"0", "1", "3", "42", "255"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        h_run r = {.guest = "wasi_basics", .args = {"exit", codes[i]}};
        if (!RUN_GUEST(&r)) continue;
        int code = atoi(codes[i]);
        /* exit(0) from wasi-libc returns normally from _start. */
        if (code) {
            CHECK_EQ_INT(r.code, ISORUN_ERR_EXIT);
            CHECK_EQ_INT(r.exit_code, code);
        }
        EXPECT_STATUS(&r, code);
        char want[32];
        snprintf(want, sizeof want, "exiting with %d\n", code);
        CHECK(strcmp(r.out, want) == 0);
        h_run_free(&r);
    }
    /* An unknown case is the guest's own exit status 2. */
    h_run r = {.guest = "wasi_basics", .args = {"no-such-case"}};
    if (RUN_GUEST(&r)) EXPECT_STATUS(&r, 2);
    h_run_free(&r);
}

int main(void) {
    if (!h_guests_built()) return 77;
    RUN(test_args_and_environment);
    RUN(test_clocks);
    RUN(test_random);
    RUN(test_misc);
    RUN(test_stdio);
    RUN(test_exit_codes);
    h_done();
    return check_summary();
}
