/* fd_seek.c — fd_seek and fd_tell. */
#include "internal.h"

#include <errno.h>
#include <unistd.h>

enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };

uint32_t wasi_fn_fd_seek(wasi_call *c, const isorun_val *args) {
    int64_t offset = (int64_t)WASI_ARG64(1);
    uint32_t whence = WASI_ARG32(2);
    wasi_fd *e = wasi_fd_get(c->st, WASI_ARG32(0));
    if (!e) return WASI_EBADF;
    /* Stdio streams are never seekable through WASI, even when the host
     * redirected one to a file: the guest sees the same stream either way. */
    if (e->kind == WASI_FD_STDIO) return WASI_ESPIPE;
    /* The spec lets FD_TELL alone ask for the position. */
    uint64_t need = whence == WASI_WHENCE_CUR && offset == 0 ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK;
    if (!(e->rights_base & need)) return WASI_ENOTCAPABLE;
    int host_whence;
    switch (whence) {
    case WASI_WHENCE_SET: host_whence = SEEK_SET; break;
    case WASI_WHENCE_CUR: host_whence = SEEK_CUR; break;
    case WASI_WHENCE_END: host_whence = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    uint8_t *out = wasi_mem(c, WASI_ARG32(3), 8);
    if (!out) return WASI_EFAULT;
    off_t pos = lseek(e->host_fd, (off_t)offset, host_whence);
    if (pos < 0) return wasi_errno_from_host(errno);
    wasi_store_u64(out, (uint64_t)pos);
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_tell(wasi_call *c, const isorun_val *args) {
    wasi_fd *e = wasi_fd_get(c->st, WASI_ARG32(0));
    if (!e) return WASI_EBADF;
    if (e->kind == WASI_FD_STDIO) return WASI_ESPIPE;
    if (!(e->rights_base & WASI_RIGHT_FD_TELL)) return WASI_ENOTCAPABLE;
    uint8_t *out = wasi_mem(c, WASI_ARG32(1), 8);
    if (!out) return WASI_EFAULT;
    off_t pos = lseek(e->host_fd, 0, SEEK_CUR);
    if (pos < 0) return wasi_errno_from_host(errno);
    wasi_store_u64(out, (uint64_t)pos);
    return WASI_ESUCCESS;
}
