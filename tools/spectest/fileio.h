/* fileio.h — reading whole files, for command files and module binaries. */
#ifndef ISORUN_SPECTEST_FILEIO_H
#define ISORUN_SPECTEST_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the file at path into a fresh buffer (NUL-terminated; *len excludes
 * the terminator). On failure returns NULL and writes the reason to err. */
char *read_whole_file(const char *path, size_t *len, char *err, size_t err_size);

/* dir + "/" + name in a fresh string (just name when dir is NULL or empty);
 * NULL on OOM. */
char *path_join(const char *dir, const char *name);

#endif /* ISORUN_SPECTEST_FILEIO_H */
