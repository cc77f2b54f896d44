/* fd_sync.c — hints and durability: fd_advise, fd_allocate, fd_datasync,
 * fd_sync. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

uint32_t wasi_fn_fd_advise(wasi_call *c, const isorun_val *args) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, WASI_ARG32(0), WASI_RIGHT_FD_ADVISE, &err);
    if (!e) return err;
    static const int advice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                 POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    uint64_t offset = WASI_ARG64(1), len = WASI_ARG64(2);
    uint32_t which = WASI_ARG32(3);
    if (which >= sizeof advice / sizeof advice[0] || offset > INT64_MAX || len > INT64_MAX) return WASI_EINVAL;
    /* Advice on a directory means nothing to the host (which would refuse
     * it); it is a hint, so accepting it is right. */
    if (e->kind == WASI_FD_DIR) return WASI_ESUCCESS;
    int rc = posix_fadvise(e->host_fd, (off_t)offset, (off_t)len, advice[which]);
    return rc ? wasi_errno_from_host(rc) : WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_allocate(wasi_call *c, const isorun_val *args) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, WASI_ARG32(0), WASI_RIGHT_FD_ALLOCATE, &err);
    if (!e) return err;
    if (wasi_fd_read_only(e)) return WASI_EROFS;
    uint64_t offset = WASI_ARG64(1), len = WASI_ARG64(2);
    if (offset > INT64_MAX || len > INT64_MAX - offset) return WASI_EFBIG;
    int rc = posix_fallocate(e->host_fd, (off_t)offset, (off_t)len);
    return rc ? wasi_errno_from_host(rc) : WASI_ESUCCESS;
}

static uint32_t sync_fd(wasi_call *c, uint32_t fd, uint64_t right, bool data_only) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, fd, right, &err);
    if (!e) return err;
    int rc = data_only ? fdatasync(e->host_fd) : fsync(e->host_fd);
    return rc ? wasi_errno_from_host(errno) : WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_datasync(wasi_call *c, const isorun_val *args) {
    return sync_fd(c, WASI_ARG32(0), WASI_RIGHT_FD_DATASYNC, true);
}

uint32_t wasi_fn_fd_sync(wasi_call *c, const isorun_val *args) {
    return sync_fd(c, WASI_ARG32(0), WASI_RIGHT_FD_SYNC, false);
}
