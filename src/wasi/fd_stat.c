/* fd_stat.c — what an fd is and may do: fd_fdstat_get/set_flags/set_rights,
 * fd_filestat_get/set_size/set_times. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* A terminal is a character device; anything else behind stdio (a pipe, a
 * file, /dev/null) is reported as unknown so that the guest's libc buffers
 * its output fully instead of flushing every line, as native programs do. */
static uint8_t stdio_filetype(int host_fd) {
    if (isatty(host_fd)) return WASI_FILETYPE_CHARACTER_DEVICE;
    struct stat sb;
    if (fstat(host_fd, &sb) == 0 && S_ISSOCK(sb.st_mode)) return WASI_FILETYPE_SOCKET_STREAM;
    return WASI_FILETYPE_UNKNOWN;
}

uint32_t wasi_fn_fd_fdstat_get(wasi_call *c, const isorun_val *args) {
    wasi_fd *e = wasi_fd_get(c->st, WASI_ARG32(0));
    if (!e) return WASI_EBADF;
    uint8_t *out = wasi_mem(c, WASI_ARG32(1), 24);
    if (!out) return WASI_EFAULT;
    /* struct fdstat: u8 filetype @0, u16 flags @2, u64 rights @8, @16. */
    memset(out, 0, 8);
    out[0] = e->kind == WASI_FD_STDIO ? stdio_filetype(e->host_fd) : e->filetype;
    wasi_store_u16(out + 2, e->flags);
    wasi_store_u64(out + 8, e->rights_base);
    wasi_store_u64(out + 16, e->rights_inheriting);
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_fdstat_set_flags(wasi_call *c, const isorun_val *args) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, WASI_ARG32(0), WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &err);
    if (!e) return err;
    uint32_t flags = WASI_ARG32(1);
    if (flags & ~(uint32_t)WASI_FDFLAGS_ALL) return WASI_EINVAL;
    if (e->kind == WASI_FD_STDIO) {
        /* APPEND means nothing on a stream and is accepted; the others would
         * change the embedder's own file description (NONBLOCK) or promise
         * durability a stream cannot give. */
        if (flags & ~(uint32_t)WASI_FDFLAG_APPEND) return WASI_ENOTSUP;
        e->flags = (uint16_t)flags;
        return WASI_ESUCCESS;
    }
    /* Linux cannot change the sync modes of an open file (F_SETFL ignores
     * them): say so instead of pretending. */
    uint32_t sync = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
    if ((flags & sync) != (e->flags & sync)) return WASI_ENOTSUP;
    int host = fcntl(e->host_fd, F_GETFL);
    if (host < 0) return wasi_errno_from_host(errno);
    host &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAG_APPEND) host |= O_APPEND;
    if (flags & WASI_FDFLAG_NONBLOCK) host |= O_NONBLOCK;
    if (fcntl(e->host_fd, F_SETFL, host) != 0) return wasi_errno_from_host(errno);
    e->flags = (uint16_t)flags;
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_fdstat_set_rights(wasi_call *c, const isorun_val *args) {
    wasi_fd *e = wasi_fd_get(c->st, WASI_ARG32(0));
    if (!e) return WASI_EBADF;
    uint64_t base = WASI_ARG64(1), inheriting = WASI_ARG64(2);
    /* Rights only ever shrink. */
    if ((base & ~e->rights_base) || (inheriting & ~e->rights_inheriting)) return WASI_ENOTCAPABLE;
    e->rights_base = base;
    e->rights_inheriting = inheriting;
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_filestat_get(wasi_call *c, const isorun_val *args) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, WASI_ARG32(0), WASI_RIGHT_FD_FILESTAT_GET, &err);
    if (!e) return err;
    uint8_t *out = wasi_mem(c, WASI_ARG32(1), 64);
    if (!out) return WASI_EFAULT;
    if (e->kind == WASI_FD_STDIO) {
        /* The type, and nothing about the host's file behind the stream. */
        memset(out, 0, 64);
        out[16] = stdio_filetype(e->host_fd);
        return WASI_ESUCCESS;
    }
    struct stat sb;
    if (fstat(e->host_fd, &sb) != 0) return wasi_errno_from_host(errno);
    wasi_store_filestat(out, &sb);
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_filestat_set_size(wasi_call *c, const isorun_val *args) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, WASI_ARG32(0), WASI_RIGHT_FD_FILESTAT_SET_SIZE, &err);
    if (!e) return err;
    if (wasi_fd_read_only(e)) return WASI_EROFS;
    uint64_t size = WASI_ARG64(1);
    if (size > INT64_MAX) return WASI_EINVAL;
    if (ftruncate(e->host_fd, (off_t)size) != 0) return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_filestat_set_times(wasi_call *c, const isorun_val *args) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, WASI_ARG32(0), WASI_RIGHT_FD_FILESTAT_SET_TIMES, &err);
    if (!e) return err;
    if (wasi_fd_read_only(e)) return WASI_EROFS;
    struct timespec ts[2];
    if ((err = wasi_times_from_guest(WASI_ARG64(1), WASI_ARG64(2), WASI_ARG32(3), ts))) return err;
    if (futimens(e->host_fd, ts) != 0) return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}
