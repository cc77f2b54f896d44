/*
 * rt_wasi_files.c — a WASI command that works with files in the directory
 * mounted at /data, for test_app_wasi_fs. The first argument picks what it
 * does; the exit status says how it went (0 = as expected).
 *
 *   write    reads /data/in.txt, writes it upper-cased to /data/upper.txt,
 *            writes /data/out.txt and /data/sub/nested.txt, lists /data
 *   escape   tries to reach ../secret.txt by every road out of /data
 *            (dot-dot, an absolute path outside, a symlink pointing out, a
 *            path through a symlinked directory); exits with the number of
 *            roads that got through
 *   readonly tries to create /data/new.txt (the mount is read-only) and
 *            exits 0 when that fails while reading still works
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    int bad = fputs(text, f) < 0;
    return fclose(f) != 0 || bad;
}

static int do_write(void) {
    char buf[256];
    FILE *in = fopen("/data/in.txt", "r");
    if (!in) return 10;
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    fclose(in);
    buf[n] = 0;
    for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
    if (write_text("/data/upper.txt", buf)) return 11;
    if (write_text("/data/out.txt", "written by the guest\n")) return 12;
    if (mkdir("/data/sub", 0755) != 0 && errno != EEXIST) return 13;
    if (write_text("/data/sub/nested.txt", "nested\n")) return 14;
    /* Every file it made is listed. */
    DIR *d = opendir("/data");
    if (!d) return 15;
    int seen = 0;
    for (struct dirent *e; (e = readdir(d));)
        seen += !strcmp(e->d_name, "in.txt") + !strcmp(e->d_name, "upper.txt") + !strcmp(e->d_name, "out.txt") +
                !strcmp(e->d_name, "sub");
    closedir(d);
    return seen == 4 ? 0 : 16;
}

/* 1 when path could be opened for reading (a way out), else 0. */
static int opens(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    close(fd);
    return 1;
}

static int do_escape(void) {
    int through = 0;
    through += opens("/data/../secret.txt");
    through += opens("/secret.txt");
    through += opens("/data/link-out");          /* a symlink to ../secret.txt */
    through += opens("/data/dir-out/secret.txt"); /* a symlink to .. */
    through += opens("../secret.txt");
    through += opens("/data/sub/../../secret.txt");
    /* Writing out is refused as well. */
    FILE *f = fopen("/data/../planted.txt", "w");
    if (f) {
        through++;
        fclose(f);
    }
    /* And reading inside still works. */
    if (!opens("/data/in.txt")) return 100;
    return through;
}

static int do_readonly(void) {
    if (!opens("/data/in.txt")) return 20;
    FILE *f = fopen("/data/new.txt", "w");
    if (f) {
        fclose(f);
        return 21;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (!strcmp(argv[1], "write")) return do_write();
    if (!strcmp(argv[1], "escape")) return do_escape();
    if (!strcmp(argv[1], "readonly")) return do_readonly();
    return 3;
}
