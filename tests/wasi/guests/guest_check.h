/*
 * guest_check.h — what the WASI test guests share: expectations that print
 * "FAIL <line>: ..." and count, the case dispatcher (argv[1] names the case),
 * and raw imports of the WASI functions that take (pointer, length) paths,
 * so that a guest can hand the host bytes libc never would (embedded NULs,
 * pointers outside memory).
 */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int failures;

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("FAIL %d: %s\n", __LINE__, #cond);                                              \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* A WASI call's errno must be `want` (0 = success). */
#define EXPECT_ERRNO(call, want)                                                                   \
    do {                                                                                           \
        int got_ = (int)(call);                                                                    \
        if (got_ != (int)(want)) {                                                                 \
            printf("FAIL %d: %s returned %d, expected %d\n", __LINE__, #call, got_, (int)(want));  \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#define EXPECT_EQ(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            printf("FAIL %d: %s == %s: %lld != %lld\n", __LINE__, #a, #b, a_, b_);                 \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* An address past the end of any memory these guests have. */
#define BAD_PTR ((void *)(uintptr_t)0xFFFFFFF0u)

/* Raw imports: the same functions as wasi/api.h with the path as (ptr, len). */
#define RAW_IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
RAW_IMPORT(path_open)
int32_t raw_path_open(int32_t fd, int32_t dirflags, const void *path, int32_t len, int32_t oflags, int64_t base,
                      int64_t inheriting, int32_t fdflags, void *fd_out);
RAW_IMPORT(path_filestat_get)
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, const void *path, int32_t len, void *out);
RAW_IMPORT(path_create_directory)
int32_t raw_path_create_directory(int32_t fd, const void *path, int32_t len);
RAW_IMPORT(path_symlink)
int32_t raw_path_symlink(const void *target, int32_t tlen, int32_t fd, const void *path, int32_t len);
RAW_IMPORT(path_unlink_file)
int32_t raw_path_unlink_file(int32_t fd, const void *path, int32_t len);
RAW_IMPORT(path_rename)
int32_t raw_path_rename(int32_t fd, const void *old, int32_t olen, int32_t nfd, const void *path, int32_t len);
RAW_IMPORT(fd_write)
int32_t raw_fd_write(int32_t fd, const void *iovs, int32_t n, void *written);
RAW_IMPORT(proc_raise) /* not in this wasi-libc's api.h */
int32_t raw_proc_raise(int32_t signal);
RAW_IMPORT(fd_read)
int32_t raw_fd_read(int32_t fd, const void *iovs, int32_t n, void *nread);

/* The guest's first mount (fd 3 when stdio is 0-2). */
#define MOUNT_FD 3

/* Rights a test asks for when it wants "everything". */
#define ALL_RIGHTS ((__wasi_rights_t)0x0fffffff) /* bits 0-27: every file and directory right */

/* Opens path beneath MOUNT_FD with the given oflags and base rights. */
static inline __wasi_errno_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                                     __wasi_rights_t base, __wasi_fdflags_t fdflags, __wasi_fd_t *fd) {
    return __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, base, ALL_RIGHTS, fdflags, fd);
}

typedef struct guest_case {
    const char *name;
    void (*run)(void);
} guest_case;

/* main for a guest: runs the case named by argv[1]; exit status 0 when every
 * expectation held, 1 otherwise, 2 for an unknown case. */
static inline int run_cases(const guest_case *cases, int argc, char **argv) {
    if (argc < 2) return 2;
    for (const guest_case *c = cases; c->name; c++) {
        if (strcmp(c->name, argv[1]) == 0) {
            c->run();
            fflush(stdout);
            return failures ? 1 : 0;
        }
    }
    printf("unknown case %s\n", argv[1]);
    return 2;
}

#endif /* GUEST_CHECK_H */
