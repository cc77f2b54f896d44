/* dirs.c — path_* and fd_readdir in the mount /data (fd 3): directories,
 * listings with cookies, renames, hard and symbolic links, path stat and
 * times, trailing slashes and dots, and a read-only mount refusing every
 * change. One case per run (argv[1]); the harness checks the disk. */
#include "guest_check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void touch(const char *path, const char *text) {
    __wasi_fd_t fd;
    EXPECT_ERRNO(open_at(MOUNT_FD, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, 0, &fd), 0);
    __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_fd_write(fd, &iov, 1, &n), 0);
    EXPECT_ERRNO(__wasi_fd_close(fd), 0);
}

static __wasi_filetype_t type_of(const char *path, bool follow) {
    __wasi_filestat_t st;
    __wasi_errno_t e =
        __wasi_path_filestat_get(MOUNT_FD, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
    return e ? 100 + e : st.filetype;
}

static void mkdir_rmdir(void) {
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "d1"), 0);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "d1"), __WASI_ERRNO_EXIST);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "d1/d2"), 0);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "missing/d3"), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "d1/d2/"), __WASI_ERRNO_EXIST);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "slashed/"), 0);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "."), __WASI_ERRNO_EXIST);
    EXPECT_ERRNO(raw_path_create_directory(MOUNT_FD, BAD_PTR, 4), __WASI_ERRNO_FAULT);
    EXPECT_EQ(type_of("d1/d2", false), __WASI_FILETYPE_DIRECTORY);
    touch("d1/file", "f");
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "d1"), __WASI_ERRNO_NOTEMPTY);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "d1/file"), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "d1/none"), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "."), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "d1/d2"), __WASI_ERRNO_ISDIR);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "d1/file/"), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "d1/d2/"), __WASI_ERRNO_ISDIR);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "d1/nothing"), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(raw_path_unlink_file(MOUNT_FD, BAD_PTR, 4), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "d1/file"), 0);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "d1/d2/"), 0);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "d1"), 0);
    EXPECT_EQ(type_of("d1", false), 100 + __WASI_ERRNO_NOENT);
    /* Through libc. */
    EXPECT_EQ(mkdir("/data/viaLibc", 0755), 0);
    EXPECT_EQ(mkdir("/data/viaLibc/inner", 0755), 0);
    EXPECT(rmdir("/data/viaLibc") != 0 && errno == ENOTEMPTY);
    EXPECT_EQ(rmdir("/data/viaLibc/inner"), 0);
}

/* Reads the whole listing of `dir` with raw fd_readdir and a buffer of
 * `bufsize` bytes, following cookies the way wasi-libc does: entries cut
 * short by the end of the buffer are read again from their cookie. Returns
 * the number of names seen; names[] gets them. */
static int list(__wasi_fd_t dir, size_t bufsize, char names[][32], int max, __wasi_dircookie_t *cookies) {
    static uint8_t buf[4096];
    __wasi_dircookie_t cookie = 0;
    int count = 0, calls = 0;
    for (;;) {
        __wasi_size_t used = 0;
        EXPECT_ERRNO(__wasi_fd_readdir(dir, buf, bufsize, cookie, &used), 0);
        calls++;
        size_t at = 0;
        bool cut = false;
        while (at < used) {
            if (used - at < sizeof(__wasi_dirent_t)) {
                cut = true;
                break;
            }
            __wasi_dirent_t d;
            memcpy(&d, buf + at, sizeof d);
            if (used - at < sizeof d + d.d_namlen) {
                cut = true;
                break;
            }
            if (count < max) {
                size_t n = d.d_namlen < 31 ? d.d_namlen : 31;
                memcpy(names[count], buf + at + sizeof d, n);
                names[count][n] = '\0';
                if (cookies) cookies[count] = d.d_next;
            }
            count++;
            cookie = d.d_next;
            at += sizeof d + d.d_namlen;
        }
        if (used < bufsize && !cut) break; /* the end of the directory */
        if (calls > 10000) {
            EXPECT(!"readdir never ends");
            break;
        }
    }
    return count;
}

static void readdir_(void) {
    /* The harness made many/f000 .. many/f099. */
    __wasi_fd_t dir;
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "many", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &dir),
                 0);
    static char names[200][32];
    static __wasi_dircookie_t cookies[200];
    /* Buffers of several sizes: smaller than one entry header, one entry and
     * a bit (every call cuts an entry short), and large. */
    const size_t sizes[] = {30, 40, 100, 4096};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = list(dir, sizes[s], names, 200, cookies);
        EXPECT_EQ(n, 102);
        int seen[100] = {0}, dots = 0, other = 0;
        for (int i = 0; i < n && i < 200; i++) {
            if (strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0)
                dots++;
            else if (names[i][0] == 'f' && strlen(names[i]) == 4)
                seen[atoi(names[i] + 1)]++;
            else
                other++;
            EXPECT_EQ(cookies[i], (__wasi_dircookie_t)i + 1);
        }
        EXPECT_EQ(dots, 2);
        EXPECT_EQ(other, 0);
        int once = 0;
        for (int i = 0; i < 100; i++) once += seen[i] == 1;
        EXPECT_EQ(once, 100);
    }
    /* A buffer too small for one header is filled with the start of it. */
    uint8_t small[10];
    __wasi_size_t used;
    EXPECT_ERRNO(__wasi_fd_readdir(dir, small, sizeof small, 0, &used), 0);
    EXPECT_EQ(used, 10);
    /* Starting again from a remembered cookie gives the same entry. */
    uint8_t buf[128];
    EXPECT_ERRNO(__wasi_fd_readdir(dir, buf, sizeof buf, cookies[49], &used), 0);
    __wasi_dirent_t d;
    memcpy(&d, buf, sizeof d);
    EXPECT_EQ(d.d_next, 51);
    EXPECT(d.d_namlen == strlen(names[50]) && memcmp(buf + sizeof d, names[50], d.d_namlen) == 0);
    EXPECT_EQ(d.d_type, strcmp(names[50], ".") && strcmp(names[50], "..") ? __WASI_FILETYPE_REGULAR_FILE
                                                                             : __WASI_FILETYPE_DIRECTORY);
    /* Backwards, then forwards again. */
    EXPECT_ERRNO(__wasi_fd_readdir(dir, buf, sizeof buf, cookies[9], &used), 0);
    memcpy(&d, buf, sizeof d);
    EXPECT_EQ(d.d_next, 11);
    EXPECT(memcmp(buf + sizeof d, names[10], d.d_namlen) == 0);
    /* Past the end: nothing. */
    EXPECT_ERRNO(__wasi_fd_readdir(dir, buf, sizeof buf, 102, &used), 0);
    EXPECT_EQ(used, 0);
    EXPECT_ERRNO(__wasi_fd_readdir(dir, buf, sizeof buf, 100000, &used), 0);
    EXPECT_EQ(used, 0);
    /* Types in the listing. */
    __wasi_fd_t mixed;
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "mixed", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0,
                                  &mixed),
                 0);
    int n = list(mixed, 4096, names, 200, cookies);
    EXPECT_EQ(n, 5);
    EXPECT_ERRNO(__wasi_fd_readdir(mixed, buf, sizeof buf, 0, &used), 0);
    int types_ok = 0;
    for (size_t at = 0; at + sizeof d <= used;) {
        memcpy(&d, buf + at, sizeof d);
        const char *name = (const char *)buf + at + sizeof d;
        if (d.d_namlen == 4 && memcmp(name, "file", 4) == 0) types_ok += d.d_type == __WASI_FILETYPE_REGULAR_FILE;
        if (d.d_namlen == 3 && memcmp(name, "dir", 3) == 0) types_ok += d.d_type == __WASI_FILETYPE_DIRECTORY;
        if (d.d_namlen == 4 && memcmp(name, "link", 4) == 0) types_ok += d.d_type == __WASI_FILETYPE_SYMBOLIC_LINK;
        at += sizeof d + d.d_namlen;
    }
    EXPECT_EQ(types_ok, 3);
    /* The preopen lists too; a file does not. */
    EXPECT_ERRNO(__wasi_fd_readdir(MOUNT_FD, buf, sizeof buf, 0, &used), 0);
    EXPECT(used > 0);
    /* libc's readdir on top. */
    DIR *dp = opendir("/data/many");
    EXPECT(dp != NULL);
    int entries = 0;
    struct dirent *e;
    while (dp && (e = readdir(dp))) entries++;
    EXPECT_EQ(entries, 102);
    if (dp) closedir(dp);
}

static void rename_(void) {
    touch("a.txt", "A");
    touch("b.txt", "B");
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "a.txt", MOUNT_FD, "c.txt"), 0);
    EXPECT_EQ(type_of("a.txt", false), 100 + __WASI_ERRNO_NOENT);
    /* Over an existing file: replaced. */
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "c.txt", MOUNT_FD, "b.txt"), 0);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "missing", MOUNT_FD, "x"), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "dir"), 0);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "dir/sub"), 0);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "dir", MOUNT_FD, "dir/sub/inside"), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "dir", MOUNT_FD, "b.txt"), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "b.txt", MOUNT_FD, "dir"), __WASI_ERRNO_ISDIR);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "b.txt/", MOUNT_FD, "e.txt"), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "dir/", MOUNT_FD, "moved/"), 0);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, ".", MOUNT_FD, "x"), __WASI_ERRNO_BUSY);
    EXPECT_ERRNO(raw_path_rename(MOUNT_FD, BAD_PTR, 3, MOUNT_FD, "x", 1), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(raw_path_rename(MOUNT_FD, "b.txt", 5, MOUNT_FD, BAD_PTR, 1), __WASI_ERRNO_FAULT);
    /* Into a subdirectory, through another directory fd. */
    __wasi_fd_t moved;
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "moved", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, ALL_RIGHTS, 0, &moved), 0);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "b.txt", moved, "b.txt"), 0);
    EXPECT_EQ(rename("/data/moved/b.txt", "/data/moved/sub/final.txt"), 0);
}

static void links(void) {
    touch("target.txt", "target");
    /* Hard links. */
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "target.txt", MOUNT_FD, "hard.txt"), 0);
    __wasi_filestat_t st;
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "hard.txt", &st), 0);
    EXPECT_EQ(st.nlink, 2);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "target.txt", MOUNT_FD, "hard.txt"), __WASI_ERRNO_EXIST);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "missing", MOUNT_FD, "x"), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "adir"), 0);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "adir", MOUNT_FD, "dirlink"), __WASI_ERRNO_PERM);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 2, "target.txt", MOUNT_FD, "x"), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "target.txt/", MOUNT_FD, "x"), __WASI_ERRNO_NOTDIR);
    /* Symbolic links: made, read, followed or not. */
    EXPECT_ERRNO(__wasi_path_symlink("target.txt", MOUNT_FD, "sym"), 0);
    EXPECT_ERRNO(__wasi_path_symlink("target.txt", MOUNT_FD, "sym"), __WASI_ERRNO_EXIST);
    EXPECT_ERRNO(__wasi_path_symlink("../target.txt", MOUNT_FD, "adir/up"), 0);
    EXPECT_ERRNO(__wasi_path_symlink("", MOUNT_FD, "empty"), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(raw_path_symlink(BAD_PTR, 4, MOUNT_FD, "bad", 3), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(raw_path_symlink("x", 1, MOUNT_FD, BAD_PTR, 3), __WASI_ERRNO_FAULT);
    char buf[64];
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, "sym", (uint8_t *)buf, sizeof buf, &n), 0);
    EXPECT_EQ(n, 10);
    EXPECT(memcmp(buf, "target.txt", 10) == 0);
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, "sym", (uint8_t *)buf, 4, &n), 0); /* truncated */
    EXPECT_EQ(n, 4);
    EXPECT(memcmp(buf, "targ", 4) == 0);
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, "target.txt", (uint8_t *)buf, sizeof buf, &n), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, "nothing", (uint8_t *)buf, sizeof buf, &n), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, "sym", (uint8_t *)BAD_PTR, 16, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_path_readlink(MOUNT_FD, "sym", (uint8_t *)buf, sizeof buf, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_EQ(type_of("sym", false), __WASI_FILETYPE_SYMBOLIC_LINK);
    EXPECT_EQ(type_of("sym", true), __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_EQ(type_of("adir/up", true), __WASI_FILETYPE_REGULAR_FILE);
    __wasi_fd_t fd;
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sym", 0, __WASI_RIGHTS_FD_READ, 0, 0,
                                  &fd),
                 0);
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    EXPECT_ERRNO(__wasi_fd_read(fd, &iov, 1, &n), 0);
    EXPECT(n == 6 && memcmp(buf, "target", 6) == 0);
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "sym", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_LOOP);
    /* A chain of links, and a loop. */
    EXPECT_ERRNO(__wasi_path_symlink("sym", MOUNT_FD, "sym2"), 0);
    EXPECT_EQ(type_of("sym2", true), __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_ERRNO(__wasi_path_symlink("loop", MOUNT_FD, "loop"), 0);
    EXPECT_EQ(type_of("loop", true), 100 + __WASI_ERRNO_LOOP);
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 1, "loop/x", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_LOOP);
    /* A symlink to a directory as a path component. */
    EXPECT_ERRNO(__wasi_path_symlink("adir", MOUNT_FD, "dirsym"), 0);
    touch("dirsym/inside.txt", "in");
    EXPECT_EQ(type_of("adir/inside.txt", false), __WASI_FILETYPE_REGULAR_FILE);
    /* O_CREAT through a dangling link creates its target; O_EXCL refuses. */
    EXPECT_ERRNO(__wasi_path_symlink("created.txt", MOUNT_FD, "dangling"), 0);
    EXPECT_ERRNO(open_at(MOUNT_FD, "dangling", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, __WASI_RIGHTS_FD_WRITE, 0,
                         &fd),
                 __WASI_ERRNO_EXIST);
    EXPECT_ERRNO(open_at(MOUNT_FD, "dangling", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &fd), 0);
    EXPECT_EQ(type_of("created.txt", false), __WASI_FILETYPE_REGULAR_FILE);
    /* Hard link through a symlink: to the link itself, or (FOLLOW) its target. */
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "sym", MOUNT_FD, "hard_to_link"), 0);
    EXPECT_EQ(type_of("hard_to_link", false), __WASI_FILETYPE_SYMBOLIC_LINK);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sym", MOUNT_FD, "hard_to_target"), 0);
    EXPECT_EQ(type_of("hard_to_target", false), __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "target.txt", &st), 0);
    EXPECT_EQ(st.nlink, 3);
    /* Unlinking a symlink removes the link, not its target. */
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "sym2"), 0);
    EXPECT_EQ(type_of("sym", false), __WASI_FILETYPE_SYMBOLIC_LINK);
    /* rmdir of a symlink to a directory is not rmdir of the directory. */
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "dirsym"), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "dirsym/"), __WASI_ERRNO_NOTDIR);
    /* libc */
    EXPECT_EQ(symlink("target.txt", "/data/libcsym"), 0);
    EXPECT_EQ(readlink("/data/libcsym", buf, sizeof buf), 10);
    EXPECT_EQ(link("/data/target.txt", "/data/libchard"), 0);
}

static void times(void) {
    touch("t.txt", "t");
    EXPECT_ERRNO(__wasi_path_symlink("t.txt", MOUNT_FD, "tl"), 0);
    const __wasi_timestamp_t when = 1234567890ull * 1000000000u + 5, later = when + 1000000000ull * 1000;
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 0, "t.txt", when, when,
                                                __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
                 0);
    __wasi_filestat_t st;
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "t.txt", &st), 0);
    EXPECT_EQ(st.mtim, when);
    EXPECT_EQ(st.atim, when);
    EXPECT_EQ(st.size, 1);
    /* Through the link with FOLLOW: the file; without: the link itself. */
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "tl", 0, later,
                                                __WASI_FSTFLAGS_MTIM),
                 0);
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "t.txt", &st), 0);
    EXPECT_EQ(st.mtim, later);
    EXPECT_EQ(st.atim, when);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 0, "tl", 0, when, __WASI_FSTFLAGS_MTIM), 0);
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "tl", &st), 0);
    EXPECT_EQ(st.mtim, when);
    EXPECT_EQ(st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "t.txt", &st), 0);
    EXPECT_EQ(st.mtim, later);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 0, "t.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), 0);
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "t.txt", &st), 0);
    EXPECT(st.mtim > later);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 0, "t.txt", 0, 0,
                                                __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
                 __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 4, "t.txt", 0, 0, 0), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 0, "none", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
                 __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "t.txt", BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(raw_path_filestat_get(MOUNT_FD, 0, BAD_PTR, 5, &st), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 8, "t.txt", &st), __WASI_ERRNO_INVAL);
    /* The directory itself, and stat through libc. */
    EXPECT_EQ(type_of(".", false), __WASI_FILETYPE_DIRECTORY);
    struct stat sb;
    EXPECT_EQ(stat("/data/t.txt", &sb), 0);
    EXPECT_EQ(sb.st_size, 1);
    EXPECT_EQ(lstat("/data/tl", &sb), 0);
    EXPECT(S_ISLNK(sb.st_mode));
}

static void trailing_and_dots(void) {
    touch("f", "f");
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "d"), 0);
    EXPECT_ERRNO(__wasi_path_symlink("d", MOUNT_FD, "ld"), 0);
    EXPECT_ERRNO(__wasi_path_symlink("f", MOUNT_FD, "lf"), 0);
    __wasi_fd_t fd;
    EXPECT_ERRNO(open_at(MOUNT_FD, "d/", 0, __WASI_RIGHTS_FD_READDIR, 0, &fd), 0);
    EXPECT_ERRNO(open_at(MOUNT_FD, "f/", 0, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_NOTDIR);
    /* "link/" resolves the link even without FOLLOW. */
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "ld/", 0, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd), 0);
    EXPECT_EQ(type_of("ld/", false), __WASI_FILETYPE_DIRECTORY);
    EXPECT_EQ(type_of("f/", false), 100 + __WASI_ERRNO_NOTDIR);
    EXPECT_EQ(type_of("lf/", false), 100 + __WASI_ERRNO_NOTDIR);
    EXPECT_EQ(type_of("d//", false), __WASI_FILETYPE_DIRECTORY);
    /* Dots and repeated slashes inside. */
    EXPECT_EQ(type_of("d/../f", false), __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_EQ(type_of("./d/./../d/../f", false), __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_EQ(type_of("d//..//f", false), __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_EQ(type_of("d/..", false), __WASI_FILETYPE_DIRECTORY);
    EXPECT_EQ(type_of("ld/..", false), __WASI_FILETYPE_DIRECTORY);
    EXPECT_EQ(type_of("f/..", false), 100 + __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(open_at(MOUNT_FD, "d/../new.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &fd), 0);
    EXPECT_EQ(type_of("new.txt", false), __WASI_FILETYPE_REGULAR_FILE);
    /* A directory fd below the mount resolves from itself. */
    __wasi_fd_t d;
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "d", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, ALL_RIGHTS, 0, &d), 0);
    EXPECT_ERRNO(open_at(d, "in_d.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &fd), 0);
    EXPECT_EQ(type_of("d/in_d.txt", false), __WASI_FILETYPE_REGULAR_FILE);
    /* A path naming a directory itself cannot be created, removed or renamed. */
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "d/.."), __WASI_ERRNO_EXIST);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "d/.."), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "d/."), __WASI_ERRNO_ISDIR);
    /* libc resolves absolute guest paths against its preopens. */
    struct stat sb;
    EXPECT_EQ(stat("/data/d/../f", &sb), 0);
    EXPECT_EQ(chdir("/data/d"), 0);
    EXPECT_EQ(stat("../f", &sb), 0);
    EXPECT_EQ(stat("in_d.txt", &sb), 0);
}

/* /data is mounted read-only: reading works, every change is EROFS. */
static void readonly(void) {
    __wasi_fd_t fd;
    char buf[32];
    __wasi_size_t n;
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES, 0,
                         &fd),
                 0);
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    EXPECT_ERRNO(__wasi_fd_read(fd, &iov, 1, &n), 0);
    EXPECT(n == 6 && memcmp(buf, "given\n", 6) == 0);
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_ROFS);
    __wasi_fd_t w;
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, &w), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0, &w), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_ALLOCATE, 0, &w), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, &w), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(open_at(MOUNT_FD, "new.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, &w), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_create_directory(MOUNT_FD, "newdir"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_remove_directory(MOUNT_FD, "sub"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_unlink_file(MOUNT_FD, "given.txt"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "given.txt", MOUNT_FD, "renamed.txt"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "given.txt", MOUNT_FD, "hard.txt"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_symlink("given.txt", MOUNT_FD, "sym"), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_filestat_set_times(MOUNT_FD, 0, "given.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
                 __WASI_ERRNO_ROFS);
    /* Through a directory opened beneath the read-only mount, too. */
    __wasi_fd_t sub;
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "sub", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, ALL_RIGHTS, 0, &sub), 0);
    EXPECT_ERRNO(open_at(sub, "x.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &w), __WASI_ERRNO_ROFS);
    EXPECT_ERRNO(__wasi_path_unlink_file(sub, "inner.txt"), __WASI_ERRNO_ROFS);
    /* Reading the tree still works. */
    __wasi_filestat_t st;
    EXPECT_ERRNO(__wasi_path_filestat_get(MOUNT_FD, 0, "sub/inner.txt", &st), 0);
    EXPECT_EQ(st.size, 6);
    uint8_t dbuf[256];
    EXPECT_ERRNO(__wasi_fd_readdir(MOUNT_FD, dbuf, sizeof dbuf, 0, &n), 0);
    EXPECT(n > 0);
    /* libc sees EROFS. */
    errno = 0;
    EXPECT(fopen("/data/given.txt", "w") == NULL);
    EXPECT_EQ(errno, EROFS);
    EXPECT(fopen("/data/given.txt", "r") != NULL);
}

static const guest_case cases[] = {
    {"mkdir_rmdir", mkdir_rmdir}, {"readdir", readdir_}, {"rename", rename_},
    {"links", links},             {"times", times},      {"trailing_and_dots", trailing_and_dots},
    {"readonly", readonly},       {NULL, NULL},
};

int main(int argc, char **argv) { return run_cases(cases, argc, argv); }
