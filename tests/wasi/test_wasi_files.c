/*
 * test_wasi_files.c — fd_* and path_open on files in a mount, through the
 * public API (guests/files.c asserts errnos and values inside the guest;
 * this side prepares the mount and checks the bytes on disk afterwards).
 */
#include "wasi_harness.h"

/* A fresh mount directory with given.txt and sub/inner.txt. */
static char *fresh_mount(void) {
    char *dir = h_temp_dir();
    REQUIRE(dir);
    REQUIRE(h_write_file(h_path(dir, "given.txt"), "given\n", 6));
    REQUIRE(mkdir(h_path(dir, "sub"), 0755) == 0);
    REQUIRE(h_write_file(h_path(dir, "sub/inner.txt"), "inner\n", 6));
    return dir;
}

static void test_read_write_seek_stat(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_files", "rw", dir, 0);
    CHECK(h_file_is(h_path(dir, "rw.txt"), "hello, World!\n"));
    CHECK(h_file_is(h_path(dir, "other.txt"), "one\ntwo\n"));
    CHECK(h_file_is(h_path(dir, "libc.txt"), "line 1\nline 2\nline 3\n"));
    CHECK(h_file_is(h_path(dir, "given.txt"), "given\n"));
    h_rm_rf(dir);
    free(dir);
}

static void test_large_file(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_files", "large", dir, 0);
    size_t len = 0;
    unsigned char *data = (unsigned char *)h_read_file(h_path(dir, "large.bin"), &len);
    CHECK_EQ_INT(len, 6 * 1024 * 1024 + 4);
    if (data && len == 6 * 1024 * 1024 + 4) {
        size_t bad = 0;
        for (size_t at = 0; at < 5 * 1024 * 1024; at++) {
            if (at >= 4500000 && at < 4500006) continue;
            if (data[at] != (unsigned char)(at * 7 + (at >> 16))) bad++;
        }
        CHECK_EQ_INT(bad, 0);
        CHECK(memcmp(data + 4500000, "MIDDLE", 6) == 0);
        size_t nonzero = 0;
        for (size_t at = 5 * 1024 * 1024; at < 6 * 1024 * 1024; at++) nonzero += data[at] != 0;
        CHECK_EQ_INT(nonzero, 0);
        CHECK(memcmp(data + 6 * 1024 * 1024, "TAIL", 4) == 0);
    }
    free(data);
    h_rm_rf(dir);
    free(dir);
}

static void test_rights(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_files", "rights", dir, 0);
    /* Nothing the guest had no right to do happened. */
    CHECK(h_file_is(h_path(dir, "given.txt"), "given\n"));
    CHECK(h_file_is(h_path(dir, "sub/inner.txt"), "inner\n"));
    CHECK(!h_exists(h_path(dir, "sub/new.txt")));
    CHECK(!h_exists(h_path(dir, "sub/d")));
    CHECK(!h_exists(h_path(dir, "sub/l")));
    CHECK(!h_exists(h_path(dir, "moved")));
    CHECK(!h_exists(h_path(dir, "sub/linked")));
    h_rm_rf(dir);
    free(dir);
}

static void test_errors(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_files", "errors", dir, 0);
    CHECK(!h_exists(h_path(dir, "never_created")));
    CHECK(!h_exists(h_path(dir, "x")));
    CHECK(h_file_is(h_path(dir, "given.txt"), "given\n"));
    h_rm_rf(dir);
    free(dir);
}

static void test_fd_limit(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_files", "many_fds", dir, 0);
    h_rm_rf(dir);
    free(dir);
}

/* Every host fd the instance opened is closed when it goes; the embedder's
 * stdio fds are not. */
static void test_no_host_fd_leaks(void) {
    char *dir = fresh_mount();
    int before = 0, after = 0;
    for (int fd = 0; fd < 4096; fd++) before += fcntl(fd, F_GETFD) != -1;
    GUEST_CASE("wasi_files", "rw", dir, 0);
    for (int fd = 0; fd < 4096; fd++) after += fcntl(fd, F_GETFD) != -1;
    CHECK_EQ_INT(after, before);
    CHECK(fcntl(0, F_GETFD) != -1 && fcntl(1, F_GETFD) != -1 && fcntl(2, F_GETFD) != -1);
    h_rm_rf(dir);
    free(dir);
}

int main(void) {
    if (!h_guests_built()) return 77;
    RUN(test_read_write_seek_stat);
    RUN(test_large_file);
    RUN(test_rights);
    RUN(test_errors);
    RUN(test_fd_limit);
    RUN(test_no_host_fd_leaks);
    h_done();
    return check_summary();
}
