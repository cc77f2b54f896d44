/* diff_dirs.c — directories beneath a mount: mkdir, listing (sorted, with
 * types), rename of files and directories, unlink, rmdir, and their errors.
 *   diff_dirs [MOUNT]   (default /sandbox) */
#include "diff_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *type_name(unsigned char t) {
    switch (t) {
    case DT_DIR: return "dir";
    case DT_REG: return "file";
    case DT_LNK: return "link";
    default: return "other";
    }
}

/* Prints path's entries sorted, with their types, and recurses into
 * subdirectories. */
static void list(const char *path, int depth) {
    DIR *d = opendir(path);
    if (!d) {
        printf("%*sopendir %s: %s\n", depth * 2, "", path, strerror(errno));
        return;
    }
    char *names[64];
    int n = 0;
    for (struct dirent *e; n < 64 && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t len = strlen(e->d_name);
        names[n] = malloc(len + 8);
        snprintf(names[n++], len + 8, "%s %s", e->d_name, type_name(e->d_type));
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, compare);
    for (int i = 0; i < n; i++) {
        printf("%*s%s\n", depth * 2, "", names[i]);
        char *space = strrchr(names[i], ' ');
        if (strcmp(space, " dir") == 0) {
            *space = '\0';
            char sub[512];
            snprintf(sub, sizeof sub, "%s/%s", path, names[i]);
            list(sub, depth + 1);
        }
        free(names[i]);
    }
}

static void touch(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    } else {
        printf("create %s: %s\n", path, strerror(errno));
    }
}

int main(int argc, char **argv) {
    const char *m = argc > 1 ? argv[1] : "/sandbox";
    step("mkdir d1", mkdir(in_mount(m, "d1"), 0755) == 0);
    step("mkdir d1 again", mkdir(in_mount(m, "d1"), 0755) == 0);
    step("mkdir x/y/z (no parents)", mkdir(in_mount(m, "x/y/z"), 0755) == 0);
    step("mkdir d1/d2", mkdir(in_mount(m, "d1/d2"), 0755) == 0);
    step("mkdir d1/d2/d3", mkdir(in_mount(m, "d1/d2/d3"), 0755) == 0);
    step("mkdir over a file", mkdir(in_mount(m, "given.txt"), 0755) == 0);
    touch(in_mount(m, "d1/a.txt"), "aaa");
    touch(in_mount(m, "d1/b.txt"), "bbbb");
    touch(in_mount(m, "d1/d2/c.txt"), "c");
    printf("-- after creating\n");
    list(m, 0);

    step("rename file", rename(in_mount(m, "d1/a.txt"), in_mount(m, "d1/renamed.txt")) == 0);
    step("rename missing", rename(in_mount(m, "d1/a.txt"), in_mount(m, "d1/other.txt")) == 0);
    touch(in_mount(m, "d1/victim.txt"), "to be replaced");
    step("rename onto existing file", rename(in_mount(m, "d1/b.txt"), in_mount(m, "d1/victim.txt")) == 0);
    step("rename dir", rename(in_mount(m, "d1/d2"), in_mount(m, "d1/moved")) == 0);
    step("rename dir into its own child", rename(in_mount(m, "d1"), in_mount(m, "d1/moved/inside")) == 0);
    step("rename file onto dir", rename(in_mount(m, "d1/renamed.txt"), in_mount(m, "d1/moved")) == 0);
    step("rename across directories", rename(in_mount(m, "d1/moved/c.txt"), in_mount(m, "c-moved.txt")) == 0);
    printf("-- after renaming\n");
    list(m, 0);

    step("unlink file", unlink(in_mount(m, "d1/victim.txt")) == 0);
    step("unlink again", unlink(in_mount(m, "d1/victim.txt")) == 0);
    step("unlink a directory", unlink(in_mount(m, "d1/moved")) == 0);
    step("rmdir non-empty", rmdir(in_mount(m, "d1")) == 0);
    step("rmdir a file", rmdir(in_mount(m, "d1/renamed.txt")) == 0);
    step("rmdir missing", rmdir(in_mount(m, "nothing")) == 0);
    step("rmdir d1/moved/d3", rmdir(in_mount(m, "d1/moved/d3")) == 0);
    step("rmdir d1/moved", rmdir(in_mount(m, "d1/moved")) == 0);
    step("opendir a file", opendir(in_mount(m, "c-moved.txt")) != NULL);
    struct stat st;
    if (step("stat d1", stat(in_mount(m, "d1"), &st) == 0)) printf("  directory %d\n", S_ISDIR(st.st_mode));
    printf("-- at the end\n");
    list(m, 0);
    return 0;
}
