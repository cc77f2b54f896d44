/* path_stat.c — path_filestat_get and path_filestat_set_times. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>

static wasi_follow follow_of(uint32_t lookupflags) {
    return lookupflags & WASI_LOOKUP_SYMLINK_FOLLOW ? WASI_FOLLOW_ALWAYS : WASI_FOLLOW_IF_SLASH;
}

uint32_t wasi_fn_path_filestat_get(wasi_call *c, const isorun_val *args) {
    if (WASI_ARG32(1) & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW) return WASI_EINVAL;
    uint8_t *out = wasi_mem(c, WASI_ARG32(4), 64);
    wasi_path p;
    uint32_t err = wasi_path_begin(c, WASI_ARG32(0), WASI_RIGHT_PATH_FILESTAT_GET, false, WASI_ARG32(2),
                                   WASI_ARG32(3), follow_of(WASI_ARG32(1)), NULL, &p);
    if (!err && !out) err = WASI_EFAULT;
    struct stat sb;
    if (!err && fstatat(p.dir_fd, p.name, &sb, AT_SYMLINK_NOFOLLOW) != 0) err = wasi_errno_from_host(errno);
    if (!err && p.trailing_slash && !S_ISDIR(sb.st_mode)) err = WASI_ENOTDIR;
    if (!err) wasi_store_filestat(out, &sb);
    wasi_path_release(&p);
    return err;
}

uint32_t wasi_fn_path_filestat_set_times(wasi_call *c, const isorun_val *args) {
    if (WASI_ARG32(1) & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW) return WASI_EINVAL;
    struct timespec ts[2];
    uint32_t err = wasi_times_from_guest(WASI_ARG64(4), WASI_ARG64(5), WASI_ARG32(6), ts);
    if (err) return err;
    wasi_path p;
    err = wasi_path_begin(c, WASI_ARG32(0), WASI_RIGHT_PATH_FILESTAT_SET_TIMES, true, WASI_ARG32(2), WASI_ARG32(3),
                          follow_of(WASI_ARG32(1)), NULL, &p);
    /* AT_SYMLINK_NOFOLLOW always: a link to follow was resolved above. */
    if (!err && utimensat(p.dir_fd, p.name, ts, AT_SYMLINK_NOFOLLOW) != 0) err = wasi_errno_from_host(errno);
    wasi_path_release(&p);
    return err;
}
