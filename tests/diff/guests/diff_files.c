/* diff_files.c — regular files beneath a mount: create, write, append,
 * read back, seek and tell, pread/pwrite, truncate, stat, set times, a
 * large file, and the errors for missing files, existing files with
 * O_EXCL, directories opened for writing and reads from write-only fds.
 *   diff_files [MOUNT]   (default /sandbox; expects MOUNT/given.txt) */
#include "diff_util.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void print_file(const char *label, const char *path) {
    FILE *f = fopen(path, "r");
    if (!step(label, f != NULL)) return;
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    printf("  %zu bytes: [", n);
    for (size_t i = 0; i < n; i++) putchar(buf[i] == '\n' ? '|' : buf[i] ? buf[i] : '0');
    printf("]\n");
}

static void stdio_files(const char *m) {
    const char *path = in_mount(m, "created.txt");
    FILE *f = fopen(path, "w");
    if (step("fopen w", f != NULL)) {
        fprintf(f, "line one\nline two\n");
        step("fclose", fclose(f) == 0);
    }
    f = fopen(path, "a");
    if (step("fopen a", f != NULL)) {
        fputs("line three\n", f);
        fclose(f);
    }
    print_file("read created.txt", path);
    print_file("read given.txt", in_mount(m, "given.txt"));
}

static void seek_and_tell(const char *m) {
    int fd = open(in_mount(m, "created.txt"), O_RDWR);
    if (!step("open O_RDWR", fd >= 0)) return;
    char buf[16] = {0};
    printf("lseek SET 5 -> %lld\n", (long long)lseek(fd, 5, SEEK_SET));
    printf("read 3 -> %zd [%.3s]\n", read(fd, buf, 3), buf);
    printf("tell -> %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("lseek END -6 -> %lld\n", (long long)lseek(fd, -6, SEEK_END));
    memset(buf, 0, sizeof buf);
    printf("read 10 -> %zd [%.5s]\n", read(fd, buf, 10), buf);
    printf("read at EOF -> %zd\n", read(fd, buf, 10));
    errno = 0;
    off_t bad = lseek(fd, -100, SEEK_SET);
    printf("lseek SET -100 -> %lld (%s)\n", (long long)bad, bad < 0 ? strerror(errno) : "no error");
    /* Writing past the end leaves a hole of zeros. */
    printf("lseek SET 40 -> %lld\n", (long long)lseek(fd, 40, SEEK_SET));
    printf("write 1 -> %zd\n", write(fd, "X", 1));
    struct stat st;
    if (step("fstat", fstat(fd, &st) == 0)) printf("  size %lld\n", (long long)st.st_size);
    /* pread/pwrite use their own offset and leave the fd's alone. */
    printf("pwrite 2 at 0 -> %zd\n", pwrite(fd, "PW", 2, 0));
    memset(buf, 0, sizeof buf);
    printf("pread 6 at 0 -> %zd [%.6s]\n", pread(fd, buf, 6, 0), buf);
    printf("tell after pread -> %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    step("ftruncate 12", ftruncate(fd, 12) == 0);
    if (step("fstat", fstat(fd, &st) == 0)) printf("  size %lld\n", (long long)st.st_size);
    step("ftruncate 20 (grow)", ftruncate(fd, 20) == 0);
    if (step("fstat", fstat(fd, &st) == 0)) printf("  size %lld\n", (long long)st.st_size);
    step("fsync", fsync(fd) == 0);
    step("fdatasync", fdatasync(fd) == 0);
    step("close", close(fd) == 0);
    errno = 0;
    step("close again", close(fd) == 0);
    print_file("read created.txt", in_mount(m, "created.txt"));
}

static void append_flag(const char *m) {
    int fd = open(in_mount(m, "appended.txt"), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (!step("open O_APPEND", fd >= 0)) return;
    int flags = fcntl(fd, F_GETFL);
    printf("  O_APPEND set: %s, write-only: %s\n", flags & O_APPEND ? "yes" : "no",
           (flags & O_ACCMODE) == O_WRONLY ? "yes" : "no");
    write(fd, "first\n", 6);
    lseek(fd, 0, SEEK_SET); /* appends still go to the end */
    write(fd, "second\n", 7);
    char c;
    errno = 0;
    printf("read from write-only fd -> %zd (%s)\n", read(fd, &c, 1), strerror(errno));
    close(fd);
    print_file("read appended.txt", in_mount(m, "appended.txt"));
}

static void errors(const char *m) {
    errno = 0;
    step("open missing", open(in_mount(m, "missing.txt"), O_RDONLY) >= 0);
    step("open missing/dir/file", open(in_mount(m, "missing/file.txt"), O_RDONLY) >= 0);
    step("open O_CREAT|O_EXCL existing", open(in_mount(m, "given.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644) >= 0);
    step("open directory O_WRONLY", open(m, O_WRONLY) >= 0);
    step("open file as directory", open(in_mount(m, "given.txt/"), O_RDONLY) >= 0);
    step("open O_DIRECTORY on file", open(in_mount(m, "given.txt"), O_RDONLY | O_DIRECTORY) >= 0);
    struct stat st;
    step("stat missing", stat(in_mount(m, "missing.txt"), &st) == 0);
    char c;
    step("read bad fd", read(1234, &c, 1) >= 0);
    step("write bad fd", write(1234, &c, 1) >= 0);
}

static void stats(const char *m) {
    struct stat st;
    if (step("stat given.txt", stat(in_mount(m, "given.txt"), &st) == 0))
        printf("  regular %d, directory %d, size %lld\n", S_ISREG(st.st_mode), S_ISDIR(st.st_mode),
               (long long)st.st_size);
    if (step("stat mount", stat(m, &st) == 0))
        printf("  regular %d, directory %d\n", S_ISREG(st.st_mode), S_ISDIR(st.st_mode));
    /* Times set explicitly read back exactly (no clock involved). Whole
     * seconds: Node's WASI keeps no more precision than that. */
    struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
    if (step("utimensat", utimensat(AT_FDCWD, in_mount(m, "given.txt"), times, 0) == 0) &&
        step("stat after utimensat", stat(in_mount(m, "given.txt"), &st) == 0))
        printf("  atime %lld, mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec,
               st.st_mtim.tv_nsec);
    int fd = open(in_mount(m, "given.txt"), O_RDONLY);
    struct timespec later[2] = {{2000000000, 0}, {2000000001, 0}};
    if (step("futimens", fd >= 0 && futimens(fd, later) == 0) && fstat(fd, &st) == 0)
        printf("  mtime %lld\n", (long long)st.st_mtim.tv_sec);
    if (fd >= 0) close(fd);
}

/* 3 MiB in 64 KiB writes of a position-dependent pattern, read back in
 * 100 000-byte reads and checksummed. */
static void large_file(const char *m) {
    const char *path = in_mount(m, "large.bin");
    static unsigned char buf[100000];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!step("open large.bin", fd >= 0)) return;
    uint64_t written = 0;
    for (int chunk = 0; chunk < 48; chunk++) {
        for (int i = 0; i < 65536; i++) buf[i] = (unsigned char)((written + (uint64_t)i) * 2654435761u >> 24);
        ssize_t n = write(fd, buf, 65536);
        if (n != 65536) break;
        written += (uint64_t)n;
    }
    close(fd);
    printf("  wrote %llu bytes\n", (unsigned long long)written);
    fd = open(path, O_RDONLY);
    uint64_t sum = 0, total = 0;
    for (ssize_t n; fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0; total += (uint64_t)n)
        for (ssize_t i = 0; i < n; i++) sum = sum * 31 + buf[i];
    if (fd >= 0) close(fd);
    printf("  read %llu bytes, checksum %016llx\n", (unsigned long long)total, (unsigned long long)sum);
}

int main(int argc, char **argv) {
    const char *m = argc > 1 ? argv[1] : "/sandbox";
    stdio_files(m);
    seek_and_tell(m);
    append_flag(m);
    errors(m);
    stats(m);
    large_file(m);
    return 0;
}
