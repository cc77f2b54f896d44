/*
 * attack.c — a guest that tries every way out of its mount /data (fd 3):
 * "..", absolute paths, symlinks planted by the host, symlinks it makes
 * itself, renames and hard links across mounts, /proc magic links, and
 * (with the harness swapping names on another thread) symlinks swapped in
 * while a path is being resolved. Each attempt must be refused; the harness
 * checks on the host that nothing outside changed.
 *
 * The harness's layout (ROOT is a temp dir):
 *   ROOT/outside/secret             "outside secret\n"; ROOT/outside/dir/
 *   ROOT/box = /data:  file "inside\n", sub/, real/secret "inside secret\n",
 *     abs_link -> ROOT/outside/secret     rel_link -> ../outside/secret
 *     dir_link -> ../outside              abs_dir_link -> ROOT/outside
 *     sub/deep_link -> ../../outside/secret
 *     chain1 -> chain2 -> sub/../../outside/secret
 *     dangling_out -> ../outside/created_by_guest       self_ok -> file
 * argv[2] is the host's absolute path of ROOT/outside/secret.
 */
#include "guest_check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define CAP __WASI_ERRNO_NOTCAPABLE
#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR)

static const char *abs_secret = "/nonexistent";

static __wasi_errno_t open_read(const char *path, __wasi_lookupflags_t flags) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(MOUNT_FD, flags, path, 0, READ_RIGHTS, 0, 0, &fd);
    if (e == 0) {
        /* Opened: it had better not be the secret. */
        char buf[64] = {0};
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
        __wasi_size_t n;
        if (__wasi_fd_read(fd, &iov, 1, &n) == 0 && strstr(buf, "outside")) {
            printf("FAIL: read the outside secret through %s\n", path);
            failures++;
        }
        EXPECT_ERRNO(__wasi_fd_close(fd), 0);
    }
    return e;
}

static __wasi_errno_t stat_of(const char *path, __wasi_lookupflags_t flags) {
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(MOUNT_FD, flags, path, &st);
}

static __wasi_errno_t create(const char *path, __wasi_lookupflags_t flags) {
    __wasi_fd_t fd;
    __wasi_errno_t e =
        __wasi_path_open(MOUNT_FD, flags, path, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
    if (e == 0) EXPECT_ERRNO(__wasi_fd_close(fd), 0);
    return e;
}

/* Every operation on a path that leaves the mount: ENOTCAPABLE. */
static void refuse_everywhere(const char *path) {
    __wasi_fd_t fd;
    char buf[64];
    __wasi_size_t n;
    EXPECT_ERRNO(open_read(path, 0), CAP);
    EXPECT_ERRNO(open_read(path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 1, path, __WASI_OFLAGS_DIRECTORY, READ_RIGHTS, 0, 0, &fd), CAP);
    EXPECT_ERRNO(stat_of(path, 0), CAP);
    EXPECT_ERRNO(stat_of(path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(create(path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, path), CAP);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, path), CAP);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, path), CAP);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, path, MOUNT_FD, "stolen"), CAP);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "file", MOUNT_FD, path), CAP);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, path, MOUNT_FD, "stolen"), CAP);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 1, path, MOUNT_FD, "stolen"), CAP);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "file", MOUNT_FD, path), CAP);
    EXPECT_ERRNO(__wasi_path_symlink("file", MOUNT_FD, path), CAP);
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, path, (uint8_t *)buf, sizeof buf, &n), CAP);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 0, path, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), CAP);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 1, path, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), CAP);
}

static void dotdot(void) {
    static const char *const paths[] = {
        "..", "../", "../outside/secret", "sub/../../outside/secret", "./../outside", "sub/../..",
        "../box/file", "sub/../../box/file", "../outside/dir", "sub/./../.././outside/secret", "../outside/new",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) refuse_everywhere(paths[i]);
    /* Absolute paths name host locations: never. */
    static const char *const absolute[] = {"/", "/etc/passwd", "//etc", "/tmp/x", "/data/file"};
    for (size_t i = 0; i < sizeof absolute / sizeof absolute[0]; i++) refuse_everywhere(absolute[i]);
    refuse_everywhere(abs_secret);
    /* From a directory below the mount, ".." may go up to the mount... no:
     * a directory fd is its own boundary, whatever is above it. */
    __wasi_fd_t sub;
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "sub", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, ALL_RIGHTS, 0, &sub), 0);
    __wasi_fd_t fd;
    EXPECT_ERRNO(__wasi_path_open(sub, 0, "../file", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), CAP);
    EXPECT_ERRNO(__wasi_path_open(sub, 0, "..", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd), CAP);
    EXPECT_ERRNO(__wasi_path_create_directory(sub, "../escaped"), CAP);
    /* libc: "/data/.." is resolved by the host, which refuses. */
    errno = 0;
    EXPECT(fopen("/data/../outside/secret", "r") == NULL);
    EXPECT_EQ(errno, ENOTCAPABLE);
    EXPECT(fopen(abs_secret, "r") == NULL);
    EXPECT(fopen("/data/../outside/planted", "w") == NULL);
    EXPECT(opendir("/data/..") == NULL);
}

static void planted_symlinks(void) {
    static const char *const escaping[] = {
        "abs_link", "rel_link", "sub/deep_link", "chain1", "dir_link/secret", "abs_dir_link/secret",
        "dir_link/dir", "dir_link/../outside/secret", "dir_link/", "abs_dir_link/", "sub/deep_link/",
    };
    for (size_t i = 0; i < sizeof escaping / sizeof escaping[0]; i++) {
        const char *p = escaping[i];
        EXPECT_ERRNO(open_read(p, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
        EXPECT_ERRNO(stat_of(p, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
        EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 1, p, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), CAP);
        EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 1, p, MOUNT_FD, "stolen"), CAP);
    }
    /* Through a link to an outside directory, nothing at all. */
    static const char *const through[] = {"dir_link/secret", "abs_dir_link/secret", "dir_link/new",
                                          "dir_link/dir", "abs_dir_link/dir/x"};
    for (size_t i = 0; i < sizeof through / sizeof through[0]; i++) refuse_everywhere(through[i]);
    /* The links themselves are inside: they can be looked at, not through. */
    EXPECT_ERRNO(stat_of("abs_link", 0), 0);
    EXPECT_ERRNO(open_read("abs_link", 0), __WASI_ERRNO_LOOP);
    char buf[256];
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, "rel_link", (uint8_t *)buf, sizeof buf, &n), 0);
    /* A dangling link out of the mount: O_CREAT through it is refused. */
    EXPECT_ERRNO(create("dangling_out", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(create("dangling_out", 0), __WASI_ERRNO_LOOP);
    /* A hard link to a planted symlink is another name for the link: it
     * escapes no better. */
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "rel_link", MOUNT_FD, "copy_of_link"), 0);
    EXPECT_ERRNO(open_read("copy_of_link", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    /* A link that stays inside works. */
    EXPECT_ERRNO(open_read("self_ok", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), 0);
    /* libc follows links: refused all the same. */
    errno = 0;
    EXPECT(fopen("/data/rel_link", "r") == NULL);
    EXPECT_EQ(errno, ENOTCAPABLE);
    EXPECT(fopen("/data/abs_link", "r") == NULL);
    EXPECT(fopen("/data/dir_link/planted", "w") == NULL);
    EXPECT(fopen("/data/dangling_out", "w") == NULL);
    EXPECT(opendir("/data/dir_link") == NULL);
}

static void guest_symlinks(void) {
    /* Making a link is allowed (it is a name inside); following it out is not. */
    EXPECT_ERRNO(__wasi_path_symlink("../outside/secret", MOUNT_FD, "mine"), 0);
    EXPECT_ERRNO(open_read("mine", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(create("mine", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(__wasi_path_symlink("..", MOUNT_FD, "up"), 0);
    refuse_everywhere("up/outside/secret");
    refuse_everywhere("up/outside/dir/x");
    EXPECT_ERRNO(open_read("up", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(__wasi_path_symlink("../..", MOUNT_FD, "sub/up2"), 0);
    refuse_everywhere("sub/up2/outside/secret");
    EXPECT_ERRNO(__wasi_path_symlink("sub/up2/outside", MOUNT_FD, "via"), 0);
    refuse_everywhere("via/secret");
    /* A link to an absolute path is refused outright. */
    EXPECT_ERRNO(__wasi_path_symlink(abs_secret, MOUNT_FD, "mine_abs"), CAP);
    EXPECT_ERRNO(__wasi_path_symlink("/etc/passwd", MOUNT_FD, "mine_abs"), CAP);
    EXPECT_ERRNO(__wasi_path_symlink("/", MOUNT_FD, "root"), CAP);
    /* Moving a link elsewhere, or linking it, does not help. */
    EXPECT_ERRNO(__wasi_path_symlink("../../outside/secret", MOUNT_FD, "sub/deep"), 0);
    EXPECT_ERRNO(open_read("sub/deep", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "sub/deep", MOUNT_FD, "deep"), 0);
    EXPECT_ERRNO(open_read("deep", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "deep", MOUNT_FD, "sub/deep_again"), 0);
    EXPECT_ERRNO(open_read("sub/deep_again", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), CAP);
    /* Links that stay inside are fine. */
    EXPECT_ERRNO(__wasi_path_symlink("sub/..", MOUNT_FD, "here"), 0);
    EXPECT_ERRNO(open_read("here/file", 0), 0);
    EXPECT_ERRNO(__wasi_path_symlink("../file", MOUNT_FD, "sub/back"), 0);
    EXPECT_ERRNO(open_read("sub/back", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW), 0);
    /* libc symlink() + open() */
    EXPECT_EQ(symlink("../outside/secret", "/data/libc_link"), 0);
    errno = 0;
    EXPECT(fopen("/data/libc_link", "r") == NULL);
    EXPECT_EQ(errno, ENOTCAPABLE);
}

/* Mounts: /data (3) and /other (4) read-write, /ro (5) read-only. */
static void cross_mount(void) {
    enum { DATA = 3, OTHER = 4, RO = 5 };
    EXPECT_ERRNO(__wasi_path_rename(DATA, "file", OTHER, "file"), __WASI_ERRNO_XDEV);
    EXPECT_ERRNO(__wasi_path_rename(OTHER, "other_file", DATA, "other_file"), __WASI_ERRNO_XDEV);
    EXPECT_ERRNO(__wasi_path_link(DATA, 0, "file", OTHER, "hard"), __WASI_ERRNO_XDEV);
    EXPECT_ERRNO(__wasi_path_link(OTHER, 0, "other_file", DATA, "hard"), __WASI_ERRNO_XDEV);
    /* Out of a read-only mount into a writable one: that would make the
     * read-only file writable. */
    EXPECT_ERRNO(__wasi_path_link(RO, 0, "ro_file", DATA, "hard"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_rename(RO, "ro_file", DATA, "taken"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_link(DATA, 0, "file", RO, "hard"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_rename(DATA, "file", RO, "given"), __WASI_ERRNO_ROFS);
    /* Directory fds opened beneath different mounts keep their mount. */
    __wasi_fd_t sub;
    EXPECT_ERRNO(__wasi_path_open(DATA, 0, "sub", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, ALL_RIGHTS, 0, &sub), 0);
    EXPECT_ERRNO(__wasi_path_rename(OTHER, "other_file", sub, "x"), __WASI_ERRNO_XDEV);
    EXPECT_ERRNO(__wasi_path_link(RO, 0, "ro_file", sub, "x"), __WASI_ERRNO_ROFS);
    /* libc too. */
    errno = 0;
    EXPECT(rename("/data/file", "/other/file") != 0);
    EXPECT_EQ(errno, EXDEV);
    EXPECT(link("/ro/ro_file", "/data/hard") != 0);
    /* Within one mount is fine. */
    EXPECT_ERRNO(__wasi_path_rename(DATA, "file", sub, "file_moved"), 0);
}

/* /proc/self of the host is mounted at /proc (read-only): its magic links
 * (root, cwd, exe, fd/N) must not lead anywhere. */
static void magiclinks(void) {
    static const char *const paths[] = {"root/etc/passwd", "root", "cwd", "cwd/", "exe", "fd/0", "fd/1",
                                        "root/", "cwd/CMakeCache.txt", "fd/3/x"};
    int via_loop = 0, via_cap = 0;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        __wasi_fd_t fd;
        __wasi_errno_t e = __wasi_path_open(MOUNT_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, paths[i], 0,
                                            __WASI_RIGHTS_FD_READ, 0, 0, &fd);
        if (e == 0) {
            printf("FAIL: opened /proc/self/%s\n", paths[i]);
            failures++;
        }
        via_loop += e == __WASI_ERRNO_LOOP;
        via_cap += e == CAP;
        __wasi_filestat_t st;
        e = __wasi_path_filestat_get(MOUNT_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, paths[i], &st);
        if (e == 0) {
            printf("FAIL: stat through /proc/self/%s\n", paths[i]);
            failures++;
        }
    }
    /* The harness compares how many were refused by which mechanism. */
    printf("magiclinks loop=%d notcapable=%d\n", via_loop, via_cap);
}

/* The harness swaps names on another thread while this runs: "swap" is a
 * directory holding secret ("inside secret") or a link to ../outside;
 * "swapf" is a file ("inside secret") or a link to ../outside/secret. */
static void race(void) {
    int opened = 0, refused = 0, other = 0;
    for (int i = 0; i < 4000; i++) {
        const char *path = i % 2 ? "swap/secret" : "swapf";
        __wasi_errno_t e = open_read(path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
        if (e == 0)
            opened++;
        else if (e == CAP)
            refused++;
        else
            other++;
        /* Creating, linking, touching through the swapped names. */
        __wasi_errno_t c = create(i % 2 ? "swap/planted" : "swapf", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
        (void)c;
        (void)__wasi_path_filestat_set_times(MOUNT_FD, 1, "swapf", 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
        (void)__wasi_path_filestat_set_times(MOUNT_FD, 0, "swap/secret", 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
        if (__wasi_path_link(MOUNT_FD, 1, "swapf", MOUNT_FD, "grabbed") == 0)
            EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "grabbed"), 0);
        (void)__wasi_path_unlink_file(MOUNT_FD, "swap/planted");
    }
    printf("race opened=%d refused=%d other=%d\n", opened, refused, other);
}

static int g_argc;
static char **g_argv;

static const guest_case cases[] = {
    {"dotdot", dotdot},           {"planted_symlinks", planted_symlinks}, {"guest_symlinks", guest_symlinks},
    {"cross_mount", cross_mount}, {"magiclinks", magiclinks},             {"race", race},
    {NULL, NULL},
};

int main(int argc, char **argv) {
    g_argc = argc;
    g_argv = argv;
    if (argc > 2) abs_secret = argv[2];
    return run_cases(cases, argc, argv);
}
