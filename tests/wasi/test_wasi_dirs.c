/*
 * test_wasi_dirs.c — path_* and fd_readdir through the public API
 * (guests/dirs.c asserts inside the guest; this side prepares the mount
 * and checks the tree on disk afterwards), and a read-only mount whose
 * tree must come out unchanged.
 */
#include "wasi_harness.h"

#include <dirent.h>

static char *fresh_mount(void) {
    char *dir = h_temp_dir();
    REQUIRE(dir);
    REQUIRE(h_write_file(h_path(dir, "given.txt"), "given\n", 6));
    REQUIRE(mkdir(h_path(dir, "sub"), 0755) == 0);
    REQUIRE(h_write_file(h_path(dir, "sub/inner.txt"), "inner\n", 6));
    REQUIRE(mkdir(h_path(dir, "many"), 0755) == 0);
    for (int i = 0; i < 100; i++) {
        char name[32];
        snprintf(name, sizeof name, "many/f%03d", i);
        REQUIRE(h_write_file(h_path(dir, name), "", 0));
    }
    REQUIRE(mkdir(h_path(dir, "mixed"), 0755) == 0);
    REQUIRE(h_write_file(h_path(dir, "mixed/file"), "x", 1));
    REQUIRE(mkdir(h_path(dir, "mixed/dir"), 0755) == 0);
    REQUIRE(symlink("file", h_path(dir, "mixed/link")) == 0);
    return dir;
}

static bool is_dir(const char *path) {
    struct stat sb;
    return lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_link_to(const char *path, const char *target) {
    char buf[256];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) return false;
    buf[n] = '\0';
    return strcmp(buf, target) == 0;
}

static void test_directories(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_dirs", "mkdir_rmdir", dir, 0);
    CHECK(!h_exists(h_path(dir, "d1")));
    CHECK(is_dir(h_path(dir, "slashed")));
    CHECK(is_dir(h_path(dir, "viaLibc")));
    CHECK(!h_exists(h_path(dir, "viaLibc/inner")));
    h_rm_rf(dir);
    free(dir);
}

static void test_readdir_cookies(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_dirs", "readdir", dir, 0);
    h_rm_rf(dir);
    free(dir);
}

static void test_rename(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_dirs", "rename", dir, 0);
    CHECK(!h_exists(h_path(dir, "a.txt")));
    CHECK(!h_exists(h_path(dir, "b.txt")));
    CHECK(!h_exists(h_path(dir, "c.txt")));
    CHECK(!h_exists(h_path(dir, "dir")));
    CHECK(h_file_is(h_path(dir, "moved/sub/final.txt"), "A"));
    h_rm_rf(dir);
    free(dir);
}

static void test_links(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_dirs", "links", dir, 0);
    struct stat a, b;
    CHECK(stat(h_path(dir, "target.txt"), &a) == 0 && stat(h_path(dir, "hard.txt"), &b) == 0 && a.st_ino == b.st_ino);
    CHECK(stat(h_path(dir, "libchard"), &b) == 0 && a.st_ino == b.st_ino);
    CHECK(is_link_to(h_path(dir, "sym"), "target.txt"));
    CHECK(is_link_to(h_path(dir, "libcsym"), "target.txt"));
    CHECK(is_link_to(h_path(dir, "adir/up"), "../target.txt"));
    CHECK(!h_exists(h_path(dir, "sym2")));
    CHECK(!h_exists(h_path(dir, "empty")));
    CHECK(!h_exists(h_path(dir, "dirlink")));
    CHECK(h_file_is(h_path(dir, "adir/inside.txt"), "in"));
    CHECK(h_exists(h_path(dir, "created.txt")));
    CHECK(is_dir(h_path(dir, "adir")));
    h_rm_rf(dir);
    free(dir);
}

static void test_times(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_dirs", "times", dir, 0);
    struct stat sb;
    CHECK(lstat(h_path(dir, "tl"), &sb) == 0 && sb.st_mtim.tv_sec == 1234567890 && sb.st_mtim.tv_nsec == 5);
    h_rm_rf(dir);
    free(dir);
}

static void test_trailing_slashes_and_dots(void) {
    char *dir = fresh_mount();
    GUEST_CASE("wasi_dirs", "trailing_and_dots", dir, 0);
    CHECK(h_exists(h_path(dir, "new.txt")));
    CHECK(h_exists(h_path(dir, "d/in_d.txt")));
    h_rm_rf(dir);
    free(dir);
}

/* A listing of a tree: every path with its type, size and mtime, sorted. */
static void snapshot_into(const char *root, const char *rel, FILE *out) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat sb;
        if (lstat(full, &sb) != 0) continue;
        fprintf(out, "%s %o %lld %lld.%09ld\n", sub, (unsigned)sb.st_mode, (long long)sb.st_size,
                (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
        if (S_ISDIR(sb.st_mode)) snapshot_into(root, sub, out);
    }
    closedir(d);
}

static char *snapshot(const char *root) {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    snapshot_into(root, "", out);
    fclose(out);
    return text;
}

static void test_read_only_mount(void) {
    char *dir = fresh_mount();
    char *before = snapshot(dir);
    h_run r = {.guest = "wasi_dirs", .args = {"readonly"}, .mounts = {{dir, "/data", ISORUN_WASI_READ_ONLY}},
               .nmounts = 1};
    if (RUN_GUEST(&r)) EXPECT_STATUS(&r, 0);
    h_run_free(&r);
    char *after = snapshot(dir);
    CHECK(before && after && strcmp(before, after) == 0);
    CHECK(h_file_is(h_path(dir, "given.txt"), "given\n"));
    free(before);
    free(after);
    h_rm_rf(dir);
    free(dir);
}

int main(void) {
    if (!h_guests_built()) return 77;
    RUN(test_directories);
    RUN(test_readdir_cookies);
    RUN(test_rename);
    RUN(test_links);
    RUN(test_times);
    RUN(test_trailing_slashes_and_dots);
    RUN(test_read_only_mount);
    h_done();
    return check_summary();
}
