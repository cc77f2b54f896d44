/* files.c — fd_* on files in the mount /data (fd 3): reading and writing,
 * positions, pread/pwrite, large files, stat, sizes, times, flags, rights,
 * renumbering, and the errors for bad fds, bad pointers and missing rights.
 * One case per run (argv[1]); the harness checks the bytes on disk. */
#include "guest_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define RW_RIGHTS                                                                                                  \
    (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |                 \
     __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES |       \
     __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC |       \
     __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_POLL_FD_READWRITE)

static __wasi_size_t write_str(__wasi_fd_t fd, const char *s) {
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    __wasi_size_t n = 0;
    EXPECT_ERRNO(__wasi_fd_write(fd, &iov, 1, &n), 0);
    return n;
}

static void read_exact(__wasi_fd_t fd, char *buf, size_t len) {
    __wasi_iovec_t iov = {(uint8_t *)buf, len};
    __wasi_size_t n = 0;
    EXPECT_ERRNO(__wasi_fd_read(fd, &iov, 1, &n), 0);
    EXPECT_EQ(n, len);
    buf[n] = '\0';
}

/* Writing, reading, positions and sizes of one file. */
static void rw(void) {
    __wasi_fd_t fd, dup_fd;
    EXPECT_ERRNO(open_at(MOUNT_FD, "rw.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW_RIGHTS, 0, &fd), 0);
    EXPECT_ERRNO(open_at(MOUNT_FD, "rw.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW_RIGHTS, 0, &dup_fd),
                 __WASI_ERRNO_EXIST);
    EXPECT_EQ(write_str(fd, "hello, "), 7);
    /* Several iovecs in one call. */
    __wasi_ciovec_t iovs[2] = {{(const uint8_t *)"wor", 3}, {(const uint8_t *)"ld\n", 3}};
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_fd_write(fd, iovs, 2, &n), 0);
    EXPECT_EQ(n, 6);
    __wasi_filesize_t pos;
    EXPECT_ERRNO(__wasi_fd_tell(fd, &pos), 0);
    EXPECT_EQ(pos, 13);
    EXPECT_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0);
    EXPECT_EQ(pos, 0);
    char buf[64];
    read_exact(fd, buf, 5);
    EXPECT(strcmp(buf, "hello") == 0);
    EXPECT_ERRNO(__wasi_fd_seek(fd, 2, __WASI_WHENCE_CUR, &pos), 0);
    EXPECT_EQ(pos, 7);
    EXPECT_ERRNO(__wasi_fd_seek(fd, -3, __WASI_WHENCE_END, &pos), 0);
    EXPECT_EQ(pos, 10);
    read_exact(fd, buf, 3);
    EXPECT(strcmp(buf, "ld\n") == 0);
    /* Reading at the end gives 0 bytes. */
    __wasi_iovec_t riov = {(uint8_t *)buf, sizeof buf};
    EXPECT_ERRNO(__wasi_fd_read(fd, &riov, 1, &n), 0);
    EXPECT_EQ(n, 0);
    EXPECT_ERRNO(__wasi_fd_seek(fd, 0, 3, &pos), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_fd_seek(fd, -100, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_tell(fd, BAD_PTR), __WASI_ERRNO_FAULT);
    /* pread/pwrite leave the position alone. */
    EXPECT_ERRNO(__wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos), 0);
    __wasi_ciovec_t w = {(const uint8_t *)"W", 1};
    EXPECT_ERRNO(__wasi_fd_pwrite(fd, &w, 1, 7, &n), 0);
    EXPECT_EQ(n, 1);
    __wasi_iovec_t r = {(uint8_t *)buf, 5};
    EXPECT_ERRNO(__wasi_fd_pread(fd, &r, 1, 7, &n), 0);
    EXPECT_EQ(n, 5);
    EXPECT(memcmp(buf, "World", 5) == 0);
    EXPECT_ERRNO(__wasi_fd_tell(fd, &pos), 0);
    EXPECT_EQ(pos, 1);
    EXPECT_ERRNO(__wasi_fd_pread(fd, &r, 1, 1000, &n), 0);
    EXPECT_EQ(n, 0);
    /* A file is always ready; the read event says what is left to read. */
    __wasi_subscription_t subs[2] = {{.userdata = 10, .u = {.tag = __WASI_EVENTTYPE_FD_READ}},
                                     {.userdata = 11, .u = {.tag = __WASI_EVENTTYPE_FD_WRITE}}};
    subs[0].u.u.fd_read.file_descriptor = fd;
    subs[1].u.u.fd_write.file_descriptor = fd;
    __wasi_event_t evs[2];
    EXPECT_ERRNO(__wasi_poll_oneoff(subs, evs, 2, &n), 0);
    EXPECT_EQ(n, 2);
    EXPECT_EQ(evs[0].userdata, 10);
    EXPECT_EQ(evs[0].error, 0);
    EXPECT_EQ(evs[0].fd_readwrite.nbytes, 12); /* 13 bytes, at position 1 */
    EXPECT_EQ(evs[1].userdata, 11);
    EXPECT_EQ(evs[1].type, __WASI_EVENTTYPE_FD_WRITE);
    /* Stat, sizes. */
    __wasi_filestat_t st;
    EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), 0);
    EXPECT_EQ(st.filetype, __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_EQ(st.size, 13);
    EXPECT_EQ(st.nlink, 1);
    EXPECT_ERRNO(__wasi_fd_filestat_get(fd, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_filestat_set_size(fd, 12), 0); /* drops the "\n" */
    EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), 0);
    EXPECT_EQ(st.size, 12);
    /* Times: explicit, then "now"; both for one is EINVAL. */
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(fd, 1000000000ull * 1000000000u, 1234567890ull * 1000000000u,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
                 0);
    EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), 0);
    EXPECT_EQ(st.mtim, 1234567890ull * 1000000000u);
    EXPECT_EQ(st.atim, 1000000000ull * 1000000000u);
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), 0);
    EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), 0);
    EXPECT(st.mtim > 1600000000ull * 1000000000u);
    EXPECT_EQ(st.atim, 1000000000ull * 1000000000u);
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                 __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0, 0x10), __WASI_ERRNO_INVAL);
    /* Hints and durability. */
    EXPECT_ERRNO(__wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_SEQUENTIAL), 0);
    EXPECT_ERRNO(__wasi_fd_advise(fd, 0, 0, 9), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_fd_sync(fd), 0);
    EXPECT_ERRNO(__wasi_fd_datasync(fd), 0);
    EXPECT_ERRNO(__wasi_fd_allocate(fd, 0, 20), 0);
    EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), 0);
    EXPECT_EQ(st.size, 20);
    EXPECT_ERRNO(__wasi_fd_filestat_set_size(fd, 12), 0);
    /* fdstat, and appending by flag. */
    __wasi_fdstat_t fs;
    EXPECT_ERRNO(__wasi_fd_fdstat_get(fd, &fs), 0);
    EXPECT_EQ(fs.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
    EXPECT_EQ(fs.fs_flags, 0);
    EXPECT_EQ(fs.fs_rights_base, RW_RIGHTS);
    EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0);
    EXPECT_ERRNO(__wasi_fd_fdstat_get(fd, &fs), 0);
    EXPECT_EQ(fs.fs_flags, __WASI_FDFLAGS_APPEND);
    EXPECT_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0);
    EXPECT_EQ(write_str(fd, "!\n"), 2);
    EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_NOTSUP);
    EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(fd, 0x40), __WASI_ERRNO_INVAL);
    /* Rights only shrink. */
    EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(fd, RW_RIGHTS & ~__WASI_RIGHTS_FD_WRITE, 0), 0);
    __wasi_ciovec_t x = {(const uint8_t *)"x", 1};
    EXPECT_ERRNO(__wasi_fd_write(fd, &x, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(fd, RW_RIGHTS, 0), __WASI_ERRNO_NOTCAPABLE);
    /* Renumbering replaces the target; the source number is then free. */
    __wasi_fd_t other;
    EXPECT_ERRNO(open_at(MOUNT_FD, "other.txt", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, &other), 0);
    EXPECT_EQ(write_str(other, "other\n"), 6);
    EXPECT_ERRNO(__wasi_fd_renumber(other, fd), 0);
    EXPECT_ERRNO(__wasi_fd_close(other), __WASI_ERRNO_BADF);
    EXPECT_ERRNO(__wasi_fd_tell(fd, &pos), 0);
    EXPECT_EQ(pos, 6); /* fd is now other.txt's */
    EXPECT_ERRNO(__wasi_fd_renumber(fd, 77), __WASI_ERRNO_BADF);
    EXPECT_ERRNO(__wasi_fd_renumber(77, fd), __WASI_ERRNO_BADF);
    EXPECT_ERRNO(__wasi_fd_renumber(fd, fd), 0);
    EXPECT_ERRNO(__wasi_fd_close(fd), 0);
    EXPECT_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_BADF);
    /* The lowest free number comes back. */
    __wasi_fd_t again;
    EXPECT_ERRNO(open_at(MOUNT_FD, "rw.txt", 0, __WASI_RIGHTS_FD_READ, 0, &again), 0);
    EXPECT_EQ(again, fd < other ? fd : other);
    read_exact(again, buf, 14);
    EXPECT(strcmp(buf, "hello, World!\n") == 0);
    EXPECT_ERRNO(__wasi_fd_close(again), 0);
    /* Truncating and appending by open flags. */
    EXPECT_ERRNO(open_at(MOUNT_FD, "other.txt", __WASI_OFLAGS_TRUNC, RW_RIGHTS, __WASI_FDFLAGS_APPEND, &fd), 0);
    EXPECT_EQ(write_str(fd, "one\n"), 4);
    EXPECT_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), 0);
    EXPECT_EQ(write_str(fd, "two\n"), 4);
    EXPECT_ERRNO(__wasi_fd_close(fd), 0);
    /* libc on top of it all. */
    FILE *f = fopen("/data/libc.txt", "w");
    EXPECT(f != NULL);
    if (f) {
        fprintf(f, "line %d\n", 1);
        fputs("line 2\n", f);
        EXPECT_EQ(fclose(f), 0);
    }
    f = fopen("/data/libc.txt", "a+");
    EXPECT(f != NULL);
    if (f) {
        fputs("line 3\n", f);
        rewind(f);
        EXPECT(fgets(buf, sizeof buf, f) && strcmp(buf, "line 1\n") == 0);
        fclose(f);
    }
}

/* More than 4 MiB, positioned reads and writes past 4 MiB, a sparse tail. */
static void large(void) {
    enum { CHUNK = 65536, SIZE = 5 * 1024 * 1024 };
    static unsigned char chunk[CHUNK];
    FILE *f = fopen("/data/large.bin", "w+");
    EXPECT(f != NULL);
    if (!f) return;
    for (size_t off = 0; off < SIZE; off += CHUNK) {
        for (size_t i = 0; i < CHUNK; i++) chunk[i] = (unsigned char)((off + i) * 7 + ((off + i) >> 16));
        EXPECT_EQ(fwrite(chunk, 1, CHUNK, f), CHUNK);
    }
    EXPECT_EQ(fflush(f), 0);
    int fd = fileno(f);
    EXPECT_EQ(ftell(f), SIZE);
    /* Read back at offsets above 4 MiB. */
    static const size_t offsets[] = {0, 4 * 1024 * 1024 - 3, 4 * 1024 * 1024 + 12345, SIZE - 100};
    for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
        unsigned char got[100];
        __wasi_iovec_t iov = {got, sizeof got};
        __wasi_size_t n;
        EXPECT_ERRNO(__wasi_fd_pread(fd, &iov, 1, offsets[k], &n), 0);
        EXPECT_EQ(n, 100);
        int bad = 0;
        for (size_t i = 0; i < n; i++) {
            size_t at = offsets[k] + i;
            if (got[i] != (unsigned char)(at * 7 + (at >> 16))) bad++;
        }
        EXPECT_EQ(bad, 0);
    }
    /* Overwrite in the middle and far past the end (a hole). */
    __wasi_ciovec_t mark = {(const uint8_t *)"MIDDLE", 6};
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_fd_pwrite(fd, &mark, 1, 4500000, &n), 0);
    EXPECT_EQ(n, 6);
    __wasi_ciovec_t tail = {(const uint8_t *)"TAIL", 4};
    EXPECT_ERRNO(__wasi_fd_pwrite(fd, &tail, 1, 6 * 1024 * 1024, &n), 0);
    __wasi_filestat_t st;
    EXPECT_ERRNO(__wasi_fd_filestat_get(fd, &st), 0);
    EXPECT_EQ(st.size, 6 * 1024 * 1024 + 4);
    /* The hole reads as zeros; fseek/ftell beyond 4 MiB. */
    EXPECT_EQ(fseek(f, SIZE + 10, SEEK_SET), 0);
    EXPECT_EQ(ftell(f), SIZE + 10);
    EXPECT_EQ(fread(chunk, 1, 16, f), 16);
    int nonzero = 0;
    for (int i = 0; i < 16; i++) nonzero += chunk[i] != 0;
    EXPECT_EQ(nonzero, 0);
    /* One read larger than 4 MiB in one call. */
    static unsigned char big[4 * 1024 * 1024 + 16];
    __wasi_iovec_t biov = {big, sizeof big};
    EXPECT_ERRNO(__wasi_fd_pread(fd, &biov, 1, 0, &n), 0);
    EXPECT_EQ(n, sizeof big);
    EXPECT_EQ(big[4 * 1024 * 1024 + 5], (unsigned char)((4 * 1024 * 1024 + 5) * 7 + ((4 * 1024 * 1024 + 5) >> 16)));
    fclose(f);
}

/* What an fd may do is what its rights say. */
static void rights(void) {
    __wasi_fd_t ro, wo, dir, sub;
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_READ, 0, &ro), 0);
    __wasi_ciovec_t x = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_fd_write(ro, &x, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_pwrite(ro, &x, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    __wasi_filesize_t pos;
    EXPECT_ERRNO(__wasi_fd_seek(ro, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_tell(ro, &pos), __WASI_ERRNO_NOTCAPABLE);
    __wasi_filestat_t st;
    EXPECT_ERRNO(__wasi_fd_filestat_get(ro, &st), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_filestat_set_size(ro, 0), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(ro, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_allocate(ro, 0, 1), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_advise(ro, 0, 0, 0), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_sync(ro), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_datasync(ro), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(ro, __WASI_FDFLAGS_APPEND), __WASI_ERRNO_NOTCAPABLE);
    uint8_t dbuf[64];
    EXPECT_ERRNO(__wasi_fd_readdir(ro, dbuf, sizeof dbuf, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    /* Polling needs POLL_FD_READWRITE as well as FD_READ. */
    __wasi_subscription_t poll_ro = {.userdata = 5, .u = {.tag = __WASI_EVENTTYPE_FD_READ}};
    poll_ro.u.u.fd_read.file_descriptor = ro;
    __wasi_event_t ev;
    EXPECT_ERRNO(__wasi_poll_oneoff(&poll_ro, &ev, 1, &n), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(ev.error, __WASI_ERRNO_NOTCAPABLE);
    /* Only FD_TELL: the position may be asked, not changed. */
    __wasi_fd_t t;
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_TELL, 0, &t), 0);
    EXPECT_ERRNO(__wasi_fd_seek(t, 0, __WASI_WHENCE_CUR, &pos), 0);
    EXPECT_ERRNO(__wasi_fd_seek(t, 1, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_tell(t, &pos), 0);
    /* Write-only: no reading. */
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, &wo), 0);
    char c;
    __wasi_iovec_t iov = {(uint8_t *)&c, 1};
    EXPECT_ERRNO(__wasi_fd_read(wo, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_pread(wo, &iov, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    /* A directory handed down with fewer rights passes on no more. */
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "sub", __WASI_OFLAGS_DIRECTORY,
                                  __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR, __WASI_RIGHTS_FD_READ, 0, &sub),
                 0);
    EXPECT_ERRNO(__wasi_path_open(sub, 0, "inner.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &t), 0);
    EXPECT_ERRNO(__wasi_path_open(sub, 0, "inner.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &t),
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_open(sub, 0, "inner.txt", 0, __WASI_RIGHTS_FD_READ, __WASI_RIGHTS_FD_WRITE, 0, &t),
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_open(sub, 0, "new.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, 0, &t),
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_open(sub, 0, "inner.txt", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, 0, &t),
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_create_directory(sub, "d"), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_unlink_file(sub, "inner.txt"), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_filestat_get(sub, 0, "inner.txt", &st), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_symlink("x", sub, "l"), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_rename(sub, "inner.txt", MOUNT_FD, "moved"), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_path_link(MOUNT_FD, 0, "given.txt", sub, "linked"), __WASI_ERRNO_NOTCAPABLE);
    /* A directory has no file rights, whatever it asked for. */
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 0, "sub", __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, ALL_RIGHTS, 0, &dir), 0);
    __wasi_fdstat_t fs;
    EXPECT_ERRNO(__wasi_fd_fdstat_get(dir, &fs), 0);
    EXPECT_EQ(fs.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    EXPECT(!(fs.fs_rights_base & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK)));
    EXPECT(fs.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);
    EXPECT_ERRNO(__wasi_fd_read(dir, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    /* Dropping PATH_OPEN from a directory: nothing opens through it. */
    EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(dir, fs.fs_rights_base & ~__WASI_RIGHTS_PATH_OPEN, ALL_RIGHTS), 0);
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "inner.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &t), __WASI_ERRNO_NOTCAPABLE);
    /* Synchronous writes need the sync rights. */
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_WRITE, __WASI_FDFLAGS_DSYNC, &t),
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_WRITE, __WASI_FDFLAGS_SYNC, &t),
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(
        open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_DATASYNC, __WASI_FDFLAGS_DSYNC, &t),
        0);
    /* The preopen itself. */
    EXPECT_ERRNO(__wasi_fd_fdstat_get(MOUNT_FD, &fs), 0);
    EXPECT_EQ(fs.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    EXPECT(fs.fs_rights_base & __WASI_RIGHTS_PATH_CREATE_FILE);
    EXPECT(fs.fs_rights_inheriting & __WASI_RIGHTS_FD_WRITE);
}

/* Errors for bad input. */
static void errors(void) {
    __wasi_fd_t fd;
    __wasi_size_t n;
    EXPECT_ERRNO(open_at(MOUNT_FD, "missing.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(open_at(MOUNT_FD, "nodir/x.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &fd),
                 __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, &fd),
                 __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt/x", 0, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(open_at(MOUNT_FD, "sub", 0, __WASI_RIGHTS_FD_WRITE, 0, &fd), __WASI_ERRNO_ISDIR);
    EXPECT_ERRNO(open_at(MOUNT_FD, "", 0, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0x10, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_READ, 0x20, &fd), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_path_open(MOUNT_FD, 2, "given.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_INVAL);
    /* Bad pointers: the path, the fd result (and then nothing is created). */
    EXPECT_ERRNO(raw_path_open(MOUNT_FD, 1, BAD_PTR, 8, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(raw_path_open(MOUNT_FD, 1, "never_created", 13, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0,
                               BAD_PTR),
                 __WASI_ERRNO_FAULT);
    /* A NUL inside the path. */
    EXPECT_ERRNO(raw_path_open(MOUNT_FD, 1, "given.txt\0x", 11, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
                 __WASI_ERRNO_INVAL);
    /* Too long: a name over 255 bytes, a path over 4096. */
    static char longname[300], longpath[5000];
    memset(longname, 'n', sizeof longname - 1);
    EXPECT_ERRNO(open_at(MOUNT_FD, longname, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, &fd),
                 __WASI_ERRNO_NAMETOOLONG);
    for (size_t i = 0; i + 2 < sizeof longpath; i += 2) memcpy(longpath + i, "./", 2);
    EXPECT_ERRNO(open_at(MOUNT_FD, longpath, 0, __WASI_RIGHTS_FD_READ, 0, &fd), __WASI_ERRNO_NAMETOOLONG);
    /* Bad fds, in every fd_* function. */
    __wasi_ciovec_t ciov = {(const uint8_t *)"x", 1};
    char c;
    __wasi_iovec_t iov = {(uint8_t *)&c, 1};
    __wasi_filesize_t pos;
    __wasi_filestat_t st;
    __wasi_fdstat_t fs;
    __wasi_prestat_t ps;
    uint8_t buf[64];
    const __wasi_fd_t bad[] = {99, -1, 1000000};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        __wasi_fd_t b = bad[i];
        EXPECT_ERRNO(__wasi_fd_write(b, &ciov, 1, &n), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_read(b, &iov, 1, &n), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_pwrite(b, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_pread(b, &iov, 1, 0, &n), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_seek(b, 0, 0, &pos), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_tell(b, &pos), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_close(b), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_sync(b), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_datasync(b), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_advise(b, 0, 0, 0), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_allocate(b, 0, 1), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_fdstat_get(b, &fs), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(b, 0), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(b, 0, 0), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_filestat_get(b, &st), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_filestat_set_size(b, 0), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_filestat_set_times(b, 0, 0, 0), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_readdir(b, buf, sizeof buf, 0, &n), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_renumber(b, MOUNT_FD), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_prestat_get(b, &ps), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_fd_prestat_dir_name(b, buf, sizeof buf), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_open(b, 0, "given.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_create_directory(b, "d"), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_filestat_get(b, 0, "given.txt", &st), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_unlink_file(b, "given.txt"), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_remove_directory(b, "sub"), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_symlink("x", b, "l"), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_readlink(b, "l", buf, sizeof buf, &n), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_rename(b, "given.txt", MOUNT_FD, "x"), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_rename(MOUNT_FD, "given.txt", b, "x"), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_link(b, 0, "given.txt", MOUNT_FD, "x"), __WASI_ERRNO_BADF);
        EXPECT_ERRNO(__wasi_path_filestat_set_times(b, 0, "given.txt", 0, 0, 0), __WASI_ERRNO_BADF);
    }
    /* A file is not a directory to resolve paths beneath. */
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd), 0);
    __wasi_fd_t unused;
    EXPECT_ERRNO(__wasi_path_open(fd, 0, "x", 0, __WASI_RIGHTS_FD_READ, 0, 0, &unused), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_create_directory(fd, "x"), __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_fd_prestat_get(fd, &ps), __WASI_ERRNO_BADF);
    /* Bad buffers for reads and writes of a file. */
    __wasi_fd_t rwfd;
    EXPECT_ERRNO(open_at(MOUNT_FD, "scratch.txt", __WASI_OFLAGS_CREAT,
                         __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK, 0, &rwfd),
                 0);
    __wasi_iovec_t badiov = {(uint8_t *)BAD_PTR, 16};
    EXPECT_ERRNO(__wasi_fd_read(rwfd, &badiov, 1, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_pread(rwfd, &badiov, 1, 0, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_pwrite(rwfd, (const __wasi_ciovec_t *)&badiov, 1, 0, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_pwrite(rwfd, &ciov, 1, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_pwrite(rwfd, &ciov, 1, (__wasi_filesize_t)-1, &n), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_fd_readdir(MOUNT_FD, BAD_PTR, 64, 0, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_readdir(MOUNT_FD, buf, sizeof buf, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    /* Preopen names: a short buffer, a bad pointer. */
    EXPECT_ERRNO(__wasi_fd_prestat_get(MOUNT_FD, &ps), 0);
    EXPECT_EQ(ps.tag, __WASI_PREOPENTYPE_DIR);
    EXPECT_EQ(ps.u.dir.pr_name_len, 5);
    EXPECT_ERRNO(__wasi_fd_prestat_get(MOUNT_FD, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_prestat_dir_name(MOUNT_FD, buf, 4), __WASI_ERRNO_NAMETOOLONG);
    EXPECT_ERRNO(__wasi_fd_prestat_dir_name(MOUNT_FD, BAD_PTR, 5), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_fd_prestat_dir_name(MOUNT_FD, buf, 5), 0);
    EXPECT(memcmp(buf, "/data", 5) == 0);
    /* libc reports them as errno values. */
    errno = 0;
    EXPECT(fopen("/data/missing.txt", "r") == NULL);
    EXPECT_EQ(errno, ENOENT);
    EXPECT(open("/data/given.txt", O_RDONLY | O_DIRECTORY) < 0);
    EXPECT_EQ(errno, ENOTDIR);
}

/* Open until the per-instance limit: EMFILE, then everything closes. */
static void many_fds(void) {
    static __wasi_fd_t fds[1100];
    int opened = 0;
    __wasi_errno_t last = 0;
    while (opened < 1100) {
        last = open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fds[opened]);
        if (last) break;
        opened++;
    }
    EXPECT_EQ(last, __WASI_ERRNO_MFILE);
    EXPECT(opened > 1000 && opened < 1024);
    for (int i = 0; i < opened; i++) EXPECT_ERRNO(__wasi_fd_close(fds[i]), 0);
    __wasi_fd_t fd;
    EXPECT_ERRNO(open_at(MOUNT_FD, "given.txt", 0, __WASI_RIGHTS_FD_READ, 0, &fd), 0);
}

static const guest_case cases[] = {
    {"rw", rw}, {"large", large}, {"rights", rights}, {"errors", errors}, {"many_fds", many_fds}, {NULL, NULL},
};

int main(int argc, char **argv) { return run_cases(cases, argc, argv); }
