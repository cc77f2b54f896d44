/* fileio.c — see fileio.h. */
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Far above any spec module or command file; stops a wrong path (a device, a
 * huge file) from eating the machine's memory. */
#define MAX_FILE_BYTES (512u << 20)

char *read_whole_file(const char *path, size_t *len, char *err, size_t err_size) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap);
    while (data) {
        if (n + 1 >= cap) {
            if (cap >= MAX_FILE_BYTES) {
                snprintf(err, err_size, "%s is larger than %u bytes", path, MAX_FILE_BYTES);
                goto fail;
            }
            char *grown = realloc(data, cap * 2);
            if (!grown) break;
            data = grown;
            cap *= 2;
        }
        size_t got = fread(data + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(err, err_size, "error reading %s", path);
                goto fail;
            }
            fclose(f);
            data[n] = '\0';
            *len = n;
            return data;
        }
    }
    snprintf(err, err_size, "out of memory reading %s", path);
fail:
    free(data);
    fclose(f);
    return NULL;
}

char *path_join(const char *dir, const char *name) {
    size_t d = dir ? strlen(dir) : 0, n = strlen(name);
    char *s = malloc(d + 1 + n + 1);
    if (!s) return NULL;
    if (d) {
        memcpy(s, dir, d);
        if (dir[d - 1] != '/') s[d++] = '/';
    }
    memcpy(s + d, name, n + 1);
    return s;
}
