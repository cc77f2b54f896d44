/*
 * wasi_fuzz_paths.c — a guest that tries to get out of its mounts at random:
 * a pseudo-random sequence of file system operations through plain libc
 * (open, openat, read, write, stat, mkdir, rename, link, symlink, readlink,
 * readdir, utimensat, truncate, chdir, ...) plus a few raw WASI calls, on
 * paths assembled from "..", ".", "", "/", absolute host paths, the names
 * the host planted (symlinks that lead out among them), names it made
 * itself, very long names and repeated slashes. It asserts nothing: the
 * harness (tests/wasi/test_wasi_fuzz_paths.c) checks from the outside that
 * no secret reached its output and that nothing outside the mounts changed.
 *
 *   wasi_fuzz_paths.wasm SEED OPS HOST_ROOT HOST_SECRET STATUS [v]
 *
 * Mounts: /data (read-write, fd 3) and /ro (read-only, fd 4). HOST_ROOT is
 * the host's absolute path of the directory holding everything, HOST_SECRET
 * that of the secret outside; the names the harness planted are listed
 * below. Output: "start SEED"; "ok OP ARGS" for every operation that
 * succeeded; "data N: BYTES" for every read that returned bytes (escaped
 * \xNN where not printable), so a leak shows; "entry NAME" for what a
 * directory listed; with "v", also "# I" before operation I and "no OP
 * ARGS: ERROR" for every failure. At the end, "end OPS", then exit(STATUS).
 * Errors are never fatal: the next operation follows.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define PATH_BUF 16384
#define POOL 24

static uint64_t rng_state;
static bool verbose;
static const char *host_root = "/nonexistent", *host_secret = "/nonexistent/secret";

static uint64_t next(void) { /* splitmix64 */
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}
static unsigned below(unsigned n) { return (unsigned)(next() % n); }
static bool chance(unsigned percent) { return below(100) < percent; }
#define PICK(array) (array)[below(sizeof(array) / sizeof *(array))]

/* ---- names and paths ----------------------------------------------------------- */

/* What the harness planted in /data and /ro, what lies outside, and names
 * this guest makes itself. */
static const char *const planted[] = {
    "file", "sub", "inner", "abs_link", "abs_dir_link", "rel_secret", "rel_dir", "rel_victim", "deep_link",
    "root_link", "dotdot_link", "chain1", "chain2", "loop_a", "loop_b", "self_ok", "dangling_out", "etc_link",
    "proc_link", "ro_link", "hard_a", "hard_b", "swap", "swap_alt", "swapf", "swapf_alt", "ro_file", "ro_dir",
    "ro_inner", "ro_hard_a", "ro_hard_b", "ro_self", "ro_out_link", "ro_abs_link",
};
static const char *const elsewhere[] = {
    "outside", "secret.txt", "victim_dir", "v1.txt", "v2.txt", "victim_link", "box", "ro", "data", "etc", "passwd",
    "tmp", "proc", "self", "root",
};
static const char *const own[] = {
    "g0", "g1", "g2", "g3", "g4", "g5", "gdir0", "gdir1", "gdir2", "glink0", "glink1", "glink2", "glink3",
};

static void append(char *buf, const char *s) {
    size_t len = strlen(buf), add = strlen(s);
    if (len + add >= PATH_BUF) add = PATH_BUF - 1 - len;
    memcpy(buf + len, s, add);
    buf[len + add] = '\0';
}

static void append_long_name(char *buf) {
    char name[320];
    unsigned len = 250 + below(60); /* around NAME_MAX (255) */
    memset(name, below(2) ? 'L' : 'g', len);
    name[len] = '\0';
    append(buf, name);
}

/* A relative path of random components, appended to buf: half of them
 * tame (names that exist or that this guest makes, so that operations
 * succeed and the tree grows), half wild. */
static void append_relative(char *buf) {
    bool tame = chance(50);
    unsigned parts = PICK(((const unsigned[]){1, 1, 1, 1, 2, 2, 2, 3, 3, 4}));
    for (unsigned i = 0; i < parts; i++) {
        if (i) append(buf, !tame && chance(8) ? "//" : "/");
        unsigned r = tame ? 24 + below(64) : below(100);
        if (r < 14)
            append(buf, "..");
        else if (r < 19)
            append(buf, ".");
        else if (r < 22)
            append(buf, "");
        else if (r < 24)
            append_long_name(buf);
        else if (r < 56)
            append(buf, PICK(own));
        else if (r < 88)
            append(buf, PICK(planted));
        else
            append(buf, PICK(elsewhere));
    }
    if (tame) return;
    if (chance(10)) append(buf, "/");
    if (chance(2)) append(buf, "//");
}

/* An absolute path that names something on the host (or nothing). */
static void append_absolute(char *buf) {
    switch (below(12)) {
    case 0: append(buf, "/"); break;
    case 1: append(buf, "/etc/passwd"); break;
    case 2: append(buf, "/tmp/isorun-fuzz-escape"); break;
    case 3: append(buf, host_secret); break;
    case 4: append(buf, host_root); break;
    case 5:
        append(buf, host_root);
        append(buf, "/");
        append_relative(buf);
        break;
    case 6: append(buf, "/proc/self/root/etc/passwd"); break;
    case 7:
        append(buf, "//data/../");
        append_relative(buf);
        break;
    case 8: append(buf, "/data/.."); break;
    case 9:
        append(buf, "/ro/../data/");
        append_relative(buf);
        break;
    case 10:
        append(buf, "/");
        append_relative(buf);
        break;
    default:
        /* Past PATH_MAX: ENAMETOOLONG, whatever the prefix. */
        append(buf, chance(50) ? "/data/" : "");
        for (int i = 0; i < 1400; i++) append(buf, "../");
        append(buf, "secret.txt");
    }
}

/* A path for the libc calls that take one (resolved against the preopens
 * and the current directory by libc). */
static void gen_path(char *buf) {
    buf[0] = '\0';
    unsigned r = below(100);
    if (r < 50) {
        append(buf, chance(90) ? "/data/" : "/data//./");
        append_relative(buf);
    } else if (r < 65) {
        append(buf, "/ro/");
        append_relative(buf);
    } else if (r < 77) {
        append_relative(buf);
    } else if (r < 97) {
        append_absolute(buf);
    } else {
        append(buf, chance(50) ? "" : "/data");
    }
}

/* A path for the *at() calls: relative to their directory fd, or anything. */
static void gen_at_path(char *buf) {
    buf[0] = '\0';
    unsigned r = below(100);
    if (r < 70)
        append_relative(buf);
    else if (r < 85)
        append_absolute(buf);
    else if (r < 90)
        append(buf, PICK(((const char *const[]){"", ".", "..", "/", "//", "./", "../"})));
    else
        gen_path(buf);
}

/* A symlink target: anything a path could be, often one that leads out. */
static void gen_target(char *buf) {
    buf[0] = '\0';
    unsigned r = below(100);
    if (r < 50)
        append_relative(buf);
    else if (r < 70)
        append_absolute(buf);
    else if (r < 90)
        append(buf, PICK(((const char *const[]){"..", "../..", "../secret.txt", "../outside/secret.txt",
                                                "../../outside/secret.txt", "../outside", "../ro", "/", ".",
                                                "sub/../..", "glink0", "file", "self_loop"})));
    else
        gen_path(buf);
}

/* ---- output -------------------------------------------------------------------- */

static void log_result(int rc, const char *fmt, ...) {
    if (rc < 0 && !verbose) return;
    int e = errno;
    fputs(rc < 0 ? "no " : "ok ", stdout);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (rc < 0)
        printf(": %s\n", strerror(e));
    else
        putchar('\n');
}

/* Whatever a read returned, for the harness to search. */
static void dump(const char *buf, long n) {
    if (n <= 0) return;
    printf("data %ld: ", n);
    for (long i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            putchar(ch);
        else
            printf("\\x%02x", ch);
    }
    putchar('\n');
}

/* A path as logged: very long ones cut short (the seed replays them). */
static const char *shown(const char *path) {
    static char bufs[2][128];
    static int which;
    size_t len = strlen(path);
    if (len <= 300) return path;
    char *b = bufs[which++ % 2];
    snprintf(b, sizeof bufs[0], "%.60s...(%zu bytes)", path, len);
    return b;
}

/* ---- fds ----------------------------------------------------------------------- */

static int pool[POOL]; /* fds this guest opened (-1: free) */

static void pool_add(int fd) {
    for (int i = 0; i < POOL; i++) {
        if (pool[i] < 0) {
            pool[i] = fd;
            return;
        }
    }
    int i = (int)below(POOL);
    close(pool[i]);
    pool[i] = fd;
}

static void pool_forget(int fd) {
    for (int i = 0; i < POOL; i++)
        if (pool[i] == fd) pool[i] = -1;
}

/* An fd of the pool, or a mount's, or (rarely) one that is not open. */
static int any_fd(void) {
    int open_fds[POOL], n = 0;
    for (int i = 0; i < POOL; i++)
        if (pool[i] >= 0) open_fds[n++] = pool[i];
    unsigned r = below(100);
    if (r < 75 && n) return open_fds[below((unsigned)n)];
    if (r < 95) return 3 + (int)below(2);
    return PICK(((const int[]){-1, 0, 1, 2, 99, 5, 1000}));
}

/* A directory fd for the *at() calls. */
static int any_dirfd(void) {
    unsigned r = below(100);
    if (r < 45) return 3;
    if (r < 60) return 4;
    if (r < 75) return AT_FDCWD;
    return any_fd();
}

static int random_open_flags(void) {
    int flags = PICK(((const int[]){O_RDONLY, O_RDONLY, O_WRONLY, O_RDWR, O_RDWR}));
    if (chance(35)) flags |= O_CREAT;
    if (chance(15)) flags |= O_TRUNC;
    if (chance(10)) flags |= O_EXCL;
    if (chance(15)) flags |= O_DIRECTORY;
    if (chance(20)) flags |= O_NOFOLLOW;
    if (chance(10)) flags |= O_APPEND;
    return flags;
}

/* After an open: read what it holds, keep the fd. */
static void opened(int fd, int flags) {
    if ((flags & O_ACCMODE) != O_WRONLY && !(flags & O_DIRECTORY)) {
        char buf[4096];
        dump(buf, read(fd, buf, sizeof buf));
    }
    pool_add(fd);
}

static struct timespec random_time(void) {
    struct timespec t = {.tv_sec = (time_t)below(2000000000), .tv_nsec = (long)below(1000000000)};
    unsigned r = below(10);
    if (r == 0) t.tv_nsec = UTIME_NOW;
    if (r == 1) t.tv_nsec = UTIME_OMIT;
    return t;
}

static const char *type_of(mode_t m) {
    return S_ISDIR(m) ? "dir" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "link" : "other";
}

/* ---- the operations ------------------------------------------------------------- */

static char p1[PATH_BUF], p2[PATH_BUF];

static void op_open(void) {
    gen_path(p1);
    int flags = random_open_flags();
    int fd = open(p1, flags, 0644);
    log_result(fd, "open %s 0x%x", shown(p1), flags);
    if (fd >= 0) opened(fd, flags);
}

static void op_openat(void) {
    int dir = any_dirfd();
    gen_at_path(p1);
    int flags = random_open_flags();
    int fd = openat(dir, p1, flags, 0600);
    log_result(fd, "openat %d %s 0x%x", dir, shown(p1), flags);
    if (fd >= 0) opened(fd, flags);
}

static void op_read(void) {
    char buf[4096];
    int fd = any_fd();
    long n = chance(50) ? (long)read(fd, buf, 1 + below(sizeof buf))
                        : (long)pread(fd, buf, 1 + below(sizeof buf), (off_t)below(64));
    log_result(n < 0 ? -1 : 0, "read %d", fd);
    dump(buf, n);
}

static void op_write(void) {
    char buf[300];
    int fd = any_fd();
    if (fd >= 0 && fd <= 2) return; /* the harness reads stdout */
    int len = snprintf(buf, sizeof buf, "written by the guest at %llu\n", (unsigned long long)(next() % 100000));
    long n = chance(70) ? (long)write(fd, buf, (size_t)len) : (long)pwrite(fd, buf, (size_t)len, (off_t)below(100));
    log_result(n < 0 ? -1 : 0, "write %d", fd);
}

static void op_seek(void) {
    int fd = any_fd();
    off_t r = lseek(fd, (off_t)below(200) - 50, PICK(((const int[]){SEEK_SET, SEEK_CUR, SEEK_END})));
    log_result(r < 0 ? -1 : 0, "lseek %d", fd);
}

static void op_stat(void) {
    struct stat sb;
    int rc, dir = any_dirfd();
    const char *how;
    switch (below(3)) {
    case 0:
        gen_path(p1);
        rc = stat(p1, &sb), how = "stat";
        break;
    case 1:
        gen_path(p1);
        rc = lstat(p1, &sb), how = "lstat";
        break;
    default:
        gen_at_path(p1);
        rc = fstatat(dir, p1, &sb, chance(50) ? AT_SYMLINK_NOFOLLOW : 0), how = "fstatat";
    }
    log_result(rc, "%s %s %s %lld", how, shown(p1), rc == 0 ? type_of(sb.st_mode) : "-",
               rc == 0 ? (long long)sb.st_size : 0);
}

static void op_fstat(void) {
    struct stat sb;
    int fd = any_fd();
    int rc = fstat(fd, &sb);
    log_result(rc, "fstat %d %s", fd, rc == 0 ? type_of(sb.st_mode) : "-");
}

static void op_access(void) {
    int rc;
    if (chance(50)) {
        gen_path(p1);
        rc = access(p1, PICK(((const int[]){F_OK, R_OK, W_OK, R_OK | W_OK})));
    } else {
        int dir = any_dirfd();
        gen_at_path(p1);
        rc = faccessat(dir, p1, F_OK, chance(50) ? AT_SYMLINK_NOFOLLOW : 0);
    }
    log_result(rc, "access %s", shown(p1));
}

static void op_mkdir(void) {
    int rc;
    if (chance(50)) {
        gen_path(p1);
        rc = mkdir(p1, 0755);
    } else {
        int dir = any_dirfd();
        gen_at_path(p1);
        rc = mkdirat(dir, p1, 0700);
    }
    log_result(rc, "mkdir %s", shown(p1));
}

static void op_remove(void) {
    int rc;
    const char *how;
    switch (below(4)) {
    case 0:
        gen_path(p1);
        rc = rmdir(p1), how = "rmdir";
        break;
    case 1:
        gen_path(p1);
        rc = unlink(p1), how = "unlink";
        break;
    case 2:
        gen_path(p1);
        rc = remove(p1), how = "remove";
        break;
    default: {
        int dir = any_dirfd(), flag = chance(50) ? AT_REMOVEDIR : 0;
        gen_at_path(p1);
        rc = unlinkat(dir, p1, flag), how = flag ? "unlinkat-dir" : "unlinkat";
    }
    }
    log_result(rc, "%s %s", how, shown(p1));
}

static void op_rename(void) {
    int rc;
    if (chance(50)) {
        gen_path(p1);
        gen_path(p2);
        rc = rename(p1, p2);
    } else {
        int d1 = any_dirfd(), d2 = chance(60) ? d1 : any_dirfd();
        gen_at_path(p1);
        gen_at_path(p2);
        rc = renameat(d1, p1, d2, p2);
    }
    log_result(rc, "rename %s %s", shown(p1), shown(p2));
}

static void op_link(void) {
    int rc;
    if (chance(40)) {
        gen_path(p1);
        gen_path(p2);
        rc = link(p1, p2);
    } else {
        int d1 = any_dirfd(), d2 = chance(60) ? d1 : any_dirfd();
        gen_at_path(p1);
        gen_at_path(p2);
        rc = linkat(d1, p1, d2, p2, chance(50) ? AT_SYMLINK_FOLLOW : 0);
    }
    log_result(rc, "link %s %s", shown(p1), shown(p2));
}

static void op_symlink(void) {
    int rc;
    gen_target(p1);
    if (chance(50)) {
        gen_path(p2);
        rc = symlink(p1, p2);
    } else {
        int dir = any_dirfd();
        gen_at_path(p2);
        rc = symlinkat(p1, dir, p2);
    }
    log_result(rc, "symlink %s %s", shown(p1), shown(p2));
}

static void op_readlink(void) {
    char buf[600];
    long n;
    if (chance(50)) {
        gen_path(p1);
        n = (long)readlink(p1, buf, 1 + below(sizeof buf - 1));
    } else {
        int dir = any_dirfd();
        gen_at_path(p1);
        n = (long)readlinkat(dir, p1, buf, 1 + below(sizeof buf - 1));
    }
    log_result(n < 0 ? -1 : 0, "readlink %s -> %.*s", shown(p1), n > 0 ? (int)n : 0, buf);
}

static void op_readdir(void) {
    DIR *d;
    if (chance(50)) {
        gen_path(p1);
        d = opendir(p1);
    } else {
        int dir = any_dirfd();
        gen_at_path(p1);
        int fd = openat(dir, p1, O_RDONLY | O_DIRECTORY | (chance(30) ? O_NOFOLLOW : 0));
        d = fd < 0 ? NULL : fdopendir(fd);
        if (fd >= 0 && !d) close(fd);
    }
    log_result(d ? 0 : -1, "opendir %s", shown(p1));
    if (!d) return;
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d)) && count++ < 200) printf("entry %s\n", e->d_name);
    closedir(d);
}

static void op_times(void) {
    struct timespec ts[2] = {random_time(), random_time()};
    const struct timespec *t = chance(15) ? NULL : ts;
    int rc;
    if (chance(25)) {
        int fd = any_fd();
        rc = futimens(fd, t);
        log_result(rc, "futimens %d", fd);
        return;
    }
    int dir = chance(40) ? AT_FDCWD : any_dirfd();
    if (dir == AT_FDCWD)
        gen_path(p1);
    else
        gen_at_path(p1);
    rc = utimensat(dir, p1, t, chance(50) ? AT_SYMLINK_NOFOLLOW : 0);
    log_result(rc, "utimensat %d %s", dir, shown(p1));
}

static void op_truncate(void) {
    off_t len = (off_t)PICK(((const long[]){0, 1, 5, 100, 4096, 1 << 20}));
    int rc;
    if (chance(50)) {
        gen_path(p1);
        rc = truncate(p1, len);
        log_result(rc, "truncate %s %lld", shown(p1), (long long)len);
    } else {
        int fd = any_fd();
        rc = chance(70) ? ftruncate(fd, len) : posix_fallocate(fd, 0, len) ? -1 : 0;
        log_result(rc, "ftruncate %d %lld", fd, (long long)len);
    }
}

static void op_chdir(void) {
    gen_path(p1);
    if (chance(30)) strcpy(p1, PICK(((const char *const[]){"/", "/data", "/ro", "/data/sub", "..", "/data/.."})));
    log_result(chdir(p1), "chdir %s", shown(p1));
}

static void op_close(void) {
    int i = (int)below(POOL);
    if (pool[i] < 0) return;
    log_result(close(pool[i]), "close %d", pool[i]);
    pool[i] = -1;
}

static void op_sync(void) {
    int fd = any_fd();
    log_result(chance(50) ? fsync(fd) : fdatasync(fd), "sync %d", fd);
}

/* Raw WASI: rights, lookup flags and fd numbers libc would not choose. */
static void op_raw_open(void) {
    int dir = any_fd();
    gen_at_path(p1);
    __wasi_lookupflags_t look = chance(50) ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0;
    __wasi_oflags_t of = (__wasi_oflags_t)(next() & 0xf);
    __wasi_rights_t base = chance(50) ? (__wasi_rights_t)0x1fffffff : (__wasi_rights_t)(next() & 0x1fffffff);
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open((__wasi_fd_t)dir, look, p1, of, base, base, (__wasi_fdflags_t)(next() & 1),
                                        &fd);
    errno = e;
    log_result(e ? -1 : 0, "path_open %d %s 0x%x 0x%llx", dir, shown(p1), (unsigned)of, (unsigned long long)base);
    if (!e) opened((int)fd, (of & __WASI_OFLAGS_DIRECTORY) ? O_DIRECTORY : O_RDONLY);
}

static void op_raw_readdir(void) {
    uint8_t buf[1024];
    __wasi_size_t used = 0;
    int fd = any_fd();
    __wasi_errno_t e = __wasi_fd_readdir((__wasi_fd_t)fd, buf, 1 + below(sizeof buf), below(6), &used);
    errno = e;
    log_result(e ? -1 : 0, "fd_readdir %d", fd);
    /* Entries: 24-byte headers then names; the names are what matters. */
    for (size_t at = 0; !e && at + 24 <= used;) {
        uint32_t namlen;
        memcpy(&namlen, buf + at + 16, 4);
        size_t take = at + 24 + namlen <= used ? namlen : used - at - 24;
        printf("entry %.*s\n", (int)take, (const char *)buf + at + 24);
        at += 24 + take;
    }
}

static void op_raw_times(void) {
    int dir = any_fd();
    gen_at_path(p1);
    __wasi_errno_t e = __wasi_path_filestat_set_times((__wasi_fd_t)dir, chance(50), p1, next() % 2000000000000000000u,
                                                      next() % 2000000000000000000u, (__wasi_fstflags_t)(next() & 0xf));
    errno = e;
    log_result(e ? -1 : 0, "path_filestat_set_times %d %s", dir, shown(p1));
}

static void op_raw_fd(void) {
    int fd = any_fd();
    __wasi_errno_t e;
    const char *what;
    switch (below(4)) {
    case 0: {
        /* Move an fd onto another number, now and then a mount's: paths
         * through that number then start from what was moved there (and
         * the rest of the run has one mount fewer). */
        int to = chance(90) ? any_fd() : 3 + (int)below(3);
        if (fd <= 2 || to <= 2 || ((fd <= 4 || to <= 4) && chance(85))) return;
        e = __wasi_fd_renumber((__wasi_fd_t)fd, (__wasi_fd_t)to);
        if (!e) {
            pool_forget(fd);
            pool_forget(to);
            if (to > 4) pool_add(to);
        }
        what = "fd_renumber";
        break;
    }
    case 1:
        e = __wasi_fd_filestat_set_times((__wasi_fd_t)fd, next() % 2000000000000000000u, 0,
                                         (__wasi_fstflags_t)(next() & 0xf));
        what = "fd_filestat_set_times";
        break;
    case 2:
        e = __wasi_fd_fdstat_set_flags((__wasi_fd_t)fd, (__wasi_fdflags_t)(next() & 1));
        what = "fd_fdstat_set_flags";
        break;
    default:
        e = __wasi_fd_allocate((__wasi_fd_t)fd, below(100), below(5000));
        what = "fd_allocate";
    }
    errno = e;
    log_result(e ? -1 : 0, "%s %d", what, fd);
}

/* A name inside /data: the guest's own or a planted one, maybe one level down. */
static void tame_name(char *buf, size_t size) {
    snprintf(buf, size, "/data/%s%s%s", chance(30) ? PICK(own) : "", chance(30) ? "/" : "",
             chance(70) ? PICK(own) : PICK(planted));
}

/* Builds up and shuffles the guest's own tree, so that later paths find
 * something: directories, files, symlinks (often leading out), renames and
 * links among them, and reads of what is there. */
static void op_build(void) {
    char name[64], other[64];
    tame_name(name, sizeof name);
    tame_name(other, sizeof other);
    int rc;
    switch (below(6)) {
    case 0:
        rc = mkdir(name, 0755);
        log_result(rc, "mkdir %s", name);
        break;
    case 1: {
        int fd = open(name, O_WRONLY | O_CREAT | (chance(50) ? O_TRUNC : O_APPEND), 0644);
        log_result(fd, "create %s", name);
        if (fd >= 0) {
            dprintf(fd, "guest file %s\n", name);
            pool_add(fd);
        }
        break;
    }
    case 2:
        gen_target(p1);
        rc = symlink(p1, name);
        log_result(rc, "symlink %s %s", shown(p1), name);
        break;
    case 3:
        rc = rename(name, other);
        log_result(rc, "rename %s %s", name, other);
        break;
    case 4:
        rc = chance(50) ? link(name, other) : linkat(3, name + 6, 3, other + 6, AT_SYMLINK_FOLLOW);
        log_result(rc, "link %s %s", name, other);
        break;
    default: {
        if (chance(40))
            snprintf(name, sizeof name, "/ro/%s",
                     PICK(((const char *const[]){"ro_file", "ro_dir/ro_inner", "ro_hard_b", "ro_self", "ro_out_link",
                                                 "ro_abs_link", "ro_dir_link/secret.txt", "ro_dir/../ro_file"})));
        int fd = open(name, chance(50) ? O_RDONLY : O_RDWR);
        log_result(fd, "open %s", name);
        if (fd >= 0) opened(fd, O_RDONLY);
    }
    }
}

/* Paths through the names the harness may be swapping with symlinks to the
 * outside while this runs (swap: a directory or a link to the outside
 * directory; swapf: a file or a link to the secret), with every kind of
 * operation: whatever instant the swap happens, these must stay inside. */
static void op_race(void) {
    static const char *const through[] = {
        "/data/swap/secret.txt", "/data/swap/inner",  "/data/swap/victim_dir/v1.txt", "/data/swapf",
        "/data/swap/../swapf",   "/data/swap/",       "/data/swapf_alt",              "/data/swap_alt/secret.txt",
        "/data/swap/g0",         "/data/swap/victim_link",
    };
    const char *path = PICK(through);
    char buf[256];
    int rc;
    switch (below(8)) {
    case 0:
    case 1: {
        int fd = open(path, chance(70) ? O_RDONLY : O_RDWR | (chance(50) ? O_CREAT : 0), 0644);
        log_result(fd, "open %s", path);
        if (fd >= 0) {
            dump(buf, read(fd, buf, sizeof buf));
            close(fd);
        }
        break;
    }
    case 2: {
        struct stat sb;
        rc = stat(path, &sb);
        log_result(rc, "stat %s %lld", path, rc == 0 ? (long long)sb.st_size : 0);
        break;
    }
    case 3:
        rc = linkat(3, path + 6, 3, PICK(own), chance(50) ? AT_SYMLINK_FOLLOW : 0);
        log_result(rc, "link %s", path);
        break;
    case 4:
        rc = utimensat(AT_FDCWD, path, NULL, chance(50) ? AT_SYMLINK_NOFOLLOW : 0);
        log_result(rc, "utimensat %s", path);
        break;
    case 5:
        rc = chance(50) ? rename(path, "/data/g1") : rename("/data/g1", path);
        log_result(rc, "rename %s", path);
        break;
    case 6:
        rc = chance(50) ? mkdir(path, 0755) : chance(50) ? unlink(path) : rmdir(path);
        log_result(rc, "mkdir/unlink/rmdir %s", path);
        break;
    default: {
        DIR *d = opendir(path);
        log_result(d ? 0 : -1, "opendir %s", path);
        struct dirent *e;
        while (d && (e = readdir(d))) printf("entry %s\n", e->d_name);
        if (d) closedir(d);
    }
    }
}

typedef struct op {
    void (*run)(void);
    unsigned weight;
} op;

static const op ops[] = {
    {op_open, 12},   {op_openat, 12},  {op_read, 8},     {op_write, 6},       {op_seek, 2},      {op_stat, 8},
    {op_fstat, 2},   {op_access, 2},   {op_mkdir, 6},    {op_remove, 6},      {op_rename, 7},    {op_link, 6},
    {op_symlink, 8}, {op_readlink, 4}, {op_readdir, 4},  {op_times, 5},       {op_truncate, 4},  {op_chdir, 2},
    {op_close, 3},   {op_sync, 1},     {op_raw_open, 5}, {op_raw_readdir, 2}, {op_raw_times, 3}, {op_raw_fd, 3},
    {op_build, 10},  {op_race, 6},
};

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: wasi_fuzz_paths SEED OPS HOST_ROOT HOST_SECRET STATUS [v]\n");
        return 2;
    }
    /* Each line out as it is made: a crash leaves the log up to it. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    rng_state = strtoull(argv[1], NULL, 10) * UINT64_C(0x2545f4914f6cdd1d) + 1;
    long count = strtol(argv[2], NULL, 10);
    host_root = argv[3];
    host_secret = argv[4];
    int status = atoi(argv[5]);
    verbose = argc > 6 && strcmp(argv[6], "v") == 0;
    for (int i = 0; i < POOL; i++) pool[i] = -1;
    printf("start %s\n", argv[1]);
    unsigned total = 0;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) total += ops[i].weight;
    for (long i = 0; i < count; i++) {
        unsigned r = below(total);
        size_t k = 0;
        while (r >= ops[k].weight) r -= ops[k++].weight;
        if (verbose) printf("# %ld\n", i);
        ops[k].run();
    }
    printf("end %ld\n", count);
    fflush(stdout);
    return status;
}
