/*
 * test_wasi_sandbox.c — the filesystem sandbox under attack: guests/attack.c
 * tries "..", absolute paths, symlinks planted by the host and made by the
 * guest, renames and links across mounts, /proc magic links, and symlinks
 * swapped by a host thread while paths resolve. The guest asserts each
 * refusal; this side checks that nothing outside the mount changed.
 *
 * Run with --no-openat2, the whole test runs under a seccomp filter that
 * makes openat2(2) fail with ENOSYS, as on kernels before 5.6: the runtime
 * must notice and resolve paths with its own component-by-component walk,
 * which must refuse exactly the same things.
 */
#include "wasi_harness.h"
#include "sandbox_tools.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/syscall.h>

static bool walk_mode; /* --no-openat2 */

/* ---- the layout -------------------------------------------------------------- */

typedef struct layout {
    char *root;
    char box[1024], outside[1024], secret[1024];
} layout;

static void make_layout(layout *l) {
    l->root = h_temp_dir();
    REQUIRE(l->root);
    snprintf(l->box, sizeof l->box, "%s/box", l->root);
    snprintf(l->outside, sizeof l->outside, "%s/outside", l->root);
    snprintf(l->secret, sizeof l->secret, "%s/outside/secret", l->root);
    REQUIRE(mkdir(l->box, 0755) == 0 && mkdir(l->outside, 0755) == 0);
    REQUIRE(mkdir(h_path(l->outside, "dir"), 0755) == 0);
    REQUIRE(h_write_file(l->secret, "outside secret\n", 15));
    REQUIRE(h_write_file(h_path(l->box, "file"), "inside\n", 7));
    REQUIRE(mkdir(h_path(l->box, "sub"), 0755) == 0);
    REQUIRE(mkdir(h_path(l->box, "real"), 0755) == 0);
    REQUIRE(h_write_file(h_path(l->box, "real/secret"), "inside secret\n", 14));
    REQUIRE(symlink(l->secret, h_path(l->box, "abs_link")) == 0);
    REQUIRE(symlink("../outside/secret", h_path(l->box, "rel_link")) == 0);
    REQUIRE(symlink("../outside", h_path(l->box, "dir_link")) == 0);
    REQUIRE(symlink(l->outside, h_path(l->box, "abs_dir_link")) == 0);
    REQUIRE(symlink("../../outside/secret", h_path(l->box, "sub/deep_link")) == 0);
    REQUIRE(symlink("chain2", h_path(l->box, "chain1")) == 0);
    REQUIRE(symlink("sub/../../outside/secret", h_path(l->box, "chain2")) == 0);
    REQUIRE(symlink("../outside/created_by_guest", h_path(l->box, "dangling_out")) == 0);
    REQUIRE(symlink("file", h_path(l->box, "self_ok")) == 0);
}

/* Everything under dir: path, type, size, link count, mtime, and content
 * or link target, one line each. */
static void snapshot_into(const char *root, const char *rel, FILE *out) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat sb;
        if (lstat(full, &sb) != 0) continue;
        fprintf(out, "%s %o %lld %lu %lld.%09ld ", sub, (unsigned)sb.st_mode, (long long)sb.st_size,
                (unsigned long)sb.st_nlink, (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
        if (S_ISREG(sb.st_mode)) {
            char *text = h_read_file(full, NULL);
            fprintf(out, "[%s]\n", text ? text : "?");
            free(text);
        } else if (S_ISLNK(sb.st_mode)) {
            char target[4096];
            ssize_t n = readlink(full, target, sizeof target - 1);
            fprintf(out, "-> %.*s\n", n > 0 ? (int)n : 0, target);
        } else {
            fprintf(out, "\n");
            if (S_ISDIR(sb.st_mode)) snapshot_into(root, sub, out);
        }
    }
    closedir(d);
}

static char *snapshot(const char *dir) {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    snapshot_into(dir, "", out);
    fclose(out);
    return text;
}

/* The outside (and the temp root around the box) is exactly as before. */
static void expect_outside_unchanged(const layout *l, const char *before) {
    char *after = snapshot(l->outside);
    bool same = before && after && strcmp(before, after) == 0;
    CHECK(same);
    if (!same) fprintf(stderr, "    outside before:\n%s    outside after:\n%s", before, after ? after : "");
    free(after);
    /* Nothing new next to box/ and outside/ either. */
    DIR *d = opendir(l->root);
    int entries = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d) closedir(d);
    CHECK_EQ_INT(entries, 2);
}

static void attack(const char *name, h_run *r, layout *l) {
    r->guest = "wasi_attack";
    r->args[0] = name;
    r->args[1] = l->secret;
    if (!r->nmounts) {
        r->mounts[0] = (h_mount){l->box, "/data", 0};
        r->nmounts = 1;
    }
    char *before = snapshot(l->outside);
    if (RUN_GUEST(r)) EXPECT_STATUS(r, 0);
    expect_outside_unchanged(l, before);
    free(before);
}

static void free_layout(layout *l) {
    h_rm_rf(l->root);
    free(l->root);
}

/* ---- the attacks -------------------------------------------------------------- */

static void test_dotdot_and_absolute_paths(void) {
    layout l;
    make_layout(&l);
    h_run r = {0};
    attack("dotdot", &r, &l);
    h_run_free(&r);
    CHECK(!h_exists(h_path(l.box, "stolen")));
    CHECK(h_file_is(h_path(l.box, "file"), "inside\n"));
    free_layout(&l);
}

static void test_planted_symlinks(void) {
    layout l;
    make_layout(&l);
    h_run r = {0};
    attack("planted_symlinks", &r, &l);
    h_run_free(&r);
    CHECK(!h_exists(h_path(l.outside, "created_by_guest")));
    CHECK(!h_exists(h_path(l.box, "stolen")));
    free_layout(&l);
}

static void test_guest_made_symlinks(void) {
    layout l;
    make_layout(&l);
    h_run r = {0};
    attack("guest_symlinks", &r, &l);
    h_run_free(&r);
    CHECK(!h_exists(h_path(l.box, "mine_abs")));
    CHECK(!h_exists(h_path(l.box, "root")));
    free_layout(&l);
}

static void test_renames_and_links_across_mounts(void) {
    layout l;
    make_layout(&l);
    char other[2048], ro[2048];
    snprintf(other, sizeof other, "%s/other", l.outside);
    snprintf(ro, sizeof ro, "%s/ro", l.outside);
    REQUIRE(mkdir(other, 0755) == 0 && mkdir(ro, 0755) == 0);
    REQUIRE(h_write_file(h_path(other, "other_file"), "other\n", 6));
    REQUIRE(h_write_file(h_path(ro, "ro_file"), "read only\n", 10));
    /* Here the "outside" holds the other two mounts: each mount is the
     * outside of the others, so nothing in it may change. */
    h_run r = {.mounts = {{l.box, "/data", 0}, {other, "/other", 0}, {ro, "/ro", ISORUN_WASI_READ_ONLY}},
               .nmounts = 3};
    attack("cross_mount", &r, &l);
    h_run_free(&r);
    CHECK(!h_exists(h_path(l.box, "file")));
    CHECK(h_file_is(h_path(l.box, "sub/file_moved"), "inside\n"));
    CHECK(!h_exists(h_path(l.box, "hard")));
    CHECK(!h_exists(h_path(l.box, "taken")));
    free_layout(&l);
}

static void test_proc_magic_links(void) {
    layout l;
    make_layout(&l);
    h_run r = {.mounts = {{"/proc/self", "/data", ISORUN_WASI_READ_ONLY}}, .nmounts = 1};
    attack("magiclinks", &r, &l);
    /* With openat2, RESOLVE_NO_MAGICLINKS stops magic links inside a path
     * (ELOOP); the walk reads them as the absolute paths they show and
     * refuses those. Either way, the one this run used. */
    int loop = -1, cap = -1;
    const char *line = r.out ? strstr(r.out, "magiclinks ") : NULL;
    CHECK(line && sscanf(line, "magiclinks loop=%d notcapable=%d", &loop, &cap) == 2);
    if (walk_mode) {
        CHECK_EQ_INT(loop, 0);
    } else {
        CHECK(loop > 0);
    }
    CHECK(cap > 0);
    h_run_free(&r);
    free_layout(&l);
}

/* ---- names swapped during resolution -------------------------------------------- */

static void test_symlinks_swapped_during_resolution(void) {
    layout l;
    make_layout(&l);
    /* swap: a directory holding secret ("inside secret"), exchanged with a
     * link to the outside directory (whose secret says "outside secret");
     * swapf: a file saying "inside secret", exchanged with a link to the
     * outside secret. */
    REQUIRE(rename(h_path(l.box, "real"), h_path(l.box, "swap")) == 0);
    REQUIRE(symlink("../outside", h_path(l.box, "swap_alt")) == 0);
    REQUIRE(h_write_file(h_path(l.box, "swapf"), "inside secret\n", 14));
    REQUIRE(symlink("../outside/secret", h_path(l.box, "swapf_alt")) == 0);
    struct stat secret_before;
    REQUIRE(stat(l.secret, &secret_before) == 0);
    swapper s = {.box = l.box};
    atomic_init(&s.stop, false);
    pthread_t thread;
    REQUIRE(pthread_create(&thread, NULL, swap_names, &s) == 0);
    h_run r = {0};
    attack("race", &r, &l);
    atomic_store(&s.stop, true);
    pthread_join(thread, NULL);
    /* The race really happened both ways. */
    int opened = 0, refused = 0, other = 0;
    const char *line = r.out ? strstr(r.out, "race ") : NULL;
    CHECK(line && sscanf(line, "race opened=%d refused=%d other=%d", &opened, &refused, &other) == 3);
    CHECK(s.swaps > 100);
    CHECK(opened > 0);
    CHECK(refused > 0);
    h_run_free(&r);
    struct stat secret_after;
    CHECK(stat(l.secret, &secret_after) == 0);
    CHECK_EQ_INT(secret_after.st_nlink, 1);
    CHECK(secret_after.st_mtim.tv_sec == secret_before.st_mtim.tv_sec &&
          secret_after.st_mtim.tv_nsec == secret_before.st_mtim.tv_nsec);
    CHECK(!h_exists(h_path(l.outside, "planted")));
    free_layout(&l);
}

/* ---- running without openat2 ---------------------------------------------------------- */


int main(int argc, char **argv) {
    if (!h_guests_built()) return 77;
    walk_mode = argc > 1 && strcmp(argv[1], "--no-openat2") == 0;
    if (walk_mode && !forbid_openat2()) {
        printf("skipped: cannot install a seccomp filter here\n");
        return 77;
    }
    RUN(test_dotdot_and_absolute_paths);
    RUN(test_planted_symlinks);
    RUN(test_guest_made_symlinks);
    RUN(test_renames_and_links_across_mounts);
    RUN(test_proc_magic_links);
    RUN(test_symlinks_swapped_during_resolution);
    h_done();
    return check_summary();
}
