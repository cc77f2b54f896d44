/* diff_readdir_many.c — a directory with more entries than one fd_readdir
 * buffer holds, so listing it takes several calls continued by cookie;
 * rewinddir and seekdir/telldir; then removing everything.
 *   diff_readdir_many [MOUNT] [COUNT]   (default /sandbox, 300) */
#include "diff_util.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Counts the entries other than "." and ".." (which WASI runtimes differ
 * on: Node's leaves them out), marking each file seen. */
static int count_entries(DIR *d, unsigned char *seen, int n) {
    int count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        int i;
        if (sscanf(e->d_name, "entry-with-a-longish-name-%d.txt", &i) == 1 && i >= 0 && i < n) seen[i]++;
        count++;
    }
    return count;
}

int main(int argc, char **argv) {
    const char *m = argc > 1 ? argv[1] : "/sandbox";
    int n = argc > 2 ? atoi(argv[2]) : 300;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/many", m);
    if (!step("mkdir many", mkdir(dir, 0755) == 0)) return 1;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/entry-with-a-longish-name-%d.txt", dir, i);
        FILE *f = fopen(path, "w");
        if (!f) {
            printf("create %d: %s\n", i, strerror(errno));
            return 1;
        }
        fprintf(f, "%d\n", i);
        fclose(f);
    }
    unsigned char *seen = calloc((size_t)n, 1);
    DIR *d = opendir(dir);
    if (!step("opendir", d != NULL)) return 1;
    int total = count_entries(d, seen, n);
    int once = 0;
    for (int i = 0; i < n; i++) once += seen[i] == 1;
    printf("entries %d, each file exactly once: %s\n", total, once == n ? "yes" : "no");

    rewinddir(d);
    memset(seen, 0, (size_t)n);
    printf("after rewinddir: %d entries\n", count_entries(d, seen, n));

    /* telldir/seekdir: come back to the middle and see the same entry. */
    rewinddir(d);
    for (int i = 0; i < n / 2; i++) readdir(d);
    long where = telldir(d);
    struct dirent *e = readdir(d);
    char name[256];
    snprintf(name, sizeof name, "%s", e ? e->d_name : "(end)");
    for (int i = 0; i < 10; i++) readdir(d);
    seekdir(d, where);
    e = readdir(d);
    printf("seekdir back to the middle gives the same entry: %s\n", e && strcmp(e->d_name, name) == 0 ? "yes" : "no");
    closedir(d);

    int removed = 0;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/entry-with-a-longish-name-%d.txt", dir, i);
        removed += unlink(path) == 0;
    }
    printf("removed %d\n", removed);
    step("rmdir many", rmdir(dir) == 0);
    free(seen);
    return 0;
}
