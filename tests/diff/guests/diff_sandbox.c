/* diff_sandbox.c — tries to leave its mount every way it can and prints
 * what happened to each attempt ("ok ..." means it got out). Under isorun
 * every attempt must fail; Node's WASI follows symlinks out of its
 * preopens, so there this guest escapes (the test records that).
 *   diff_sandbox MOUNT OUTSIDE
 * MOUNT holds the host-planted symlinks escape -> ../outside and
 * abs-escape -> OUTSIDE (the host path of the outside directory). */
#include "diff_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void try_read(const char *label, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: refused (%s)\n", label, strerror(errno));
        return;
    }
    char buf[128] = {0};
    if (!fgets(buf, sizeof buf, f)) buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    printf("%s: ok [%s]\n", label, buf);
}

static void try_write(const char *label, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        printf("%s: refused (%s)\n", label, strerror(errno));
        return;
    }
    fputs("written from inside the sandbox\n", f);
    fclose(f);
    printf("%s: ok\n", label);
}

static void result(const char *label, int rc) {
    if (rc == 0)
        printf("%s: ok\n", label);
    else
        printf("%s: refused (%s)\n", label, strerror(errno));
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    const char *m = argv[1], *outside = argv[2];
    char abs_secret[512];
    snprintf(abs_secret, sizeof abs_secret, "%s/secret.txt", outside);
    try_read("read ../outside/secret.txt", in_mount(m, "../outside/secret.txt"));
    try_read("read sub/../../outside/secret.txt", in_mount(m, "sub/../../outside/secret.txt"));
    try_read("read the host path", abs_secret);
    try_read("read escape/secret.txt (host symlink, relative)", in_mount(m, "escape/secret.txt"));
    try_read("read abs-escape/secret.txt (host symlink, absolute)", in_mount(m, "abs-escape/secret.txt"));
    try_write("create escape/planted.txt", in_mount(m, "escape/planted.txt"));
    try_write("overwrite escape/secret.txt", in_mount(m, "escape/secret.txt"));
    struct stat st;
    result("stat escape/secret.txt", stat(in_mount(m, "escape/secret.txt"), &st));
    DIR *d = opendir(in_mount(m, "escape"));
    printf("opendir escape: %s\n", d ? "ok" : "refused");
    if (d) closedir(d);
    result("mkdir escape/newdir", mkdir(in_mount(m, "escape/newdir"), 0755));
    /* Symlinks the guest makes itself. */
    result("symlink made-escape -> ../outside", symlink("../outside", in_mount(m, "made-escape")));
    try_read("read made-escape/secret.txt", in_mount(m, "made-escape/secret.txt"));
    result("symlink made-abs -> OUTSIDE/secret.txt", symlink(abs_secret, in_mount(m, "made-abs")));
    try_read("read made-abs", in_mount(m, "made-abs"));
    /* Renames and hard links across the boundary. */
    result("rename given.txt -> ../stolen.txt", rename(in_mount(m, "given.txt"), in_mount(m, "../stolen.txt")));
    result("rename into escape/", rename(in_mount(m, "sub/inner.txt"), in_mount(m, "escape/moved.txt")));
    result("link escape/secret.txt -> inside", link(in_mount(m, "escape/secret.txt"), in_mount(m, "hard-secret")));
    try_read("read hard-secret", in_mount(m, "hard-secret"));
    result("unlink escape/secret.txt", unlink(in_mount(m, "escape/secret.txt")));
    return 0;
}
