/* cli_files.c — small file operations beneath a mount, for --dir tests:
 *   cli_files write PATH TEXT   creates/truncates PATH and writes TEXT
 *   cli_files read PATH         prints PATH's contents
 *   cli_files list DIR          prints DIR's entries, sorted
 * Prints "error: <strerror>" and exits 1 when an operation fails. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) {
    printf("error: %s: %s\n", what, strerror(errno));
    return 1;
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    if (strcmp(argv[1], "write") == 0 && argc == 4) {
        FILE *f = fopen(argv[2], "w");
        if (!f) return fail("open");
        if (fputs(argv[3], f) < 0 || fclose(f) != 0) return fail("write");
        printf("wrote %zu bytes\n", strlen(argv[3]));
        return 0;
    }
    if (strcmp(argv[1], "read") == 0) {
        FILE *f = fopen(argv[2], "r");
        if (!f) return fail("open");
        char buf[4096];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        printf("%.*s\n", (int)n, buf);
        return 0;
    }
    if (strcmp(argv[1], "list") == 0) {
        DIR *d = opendir(argv[2]);
        if (!d) return fail("opendir");
        char *names[256];
        int n = 0;
        for (struct dirent *e; n < 256 && (e = readdir(d));)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
        closedir(d);
        qsort(names, (size_t)n, sizeof *names, compare);
        for (int i = 0; i < n; i++) {
            printf("%s\n", names[i]);
            free(names[i]);
        }
        return 0;
    }
    return 2;
}
