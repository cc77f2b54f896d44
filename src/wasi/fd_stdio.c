/* fd_stdio.c — fd_* on the stdio streams: read, write, close, seek, fdstat,
 * and the preopen queries (there are no preopens until the filesystem comes). */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* At most this many iovecs go to one readv/writev: more would make the host
 * call fail with EINVAL, and a short transfer is a valid answer the guest's
 * libc loops on. */
#if defined(IOV_MAX) && IOV_MAX < 1024
#define WASI_MAX_IOVS IOV_MAX
#else
#define WASI_MAX_IOVS 1024
#endif

/* Translates the guest's iovec array (pairs of u32 pointer, u32 length) into
 * host iovecs after checking every buffer lies inside guest memory. */
static uint32_t gather_iovecs(wasi_memory m, uint32_t iovs_ptr, uint32_t iovs_len, struct iovec *out,
                              int *count) {
    if (iovs_len > WASI_MAX_IOVS) iovs_len = WASI_MAX_IOVS;
    const uint8_t *guest = wasi_guest_bytes(m, iovs_ptr, (uint64_t)iovs_len * 8);
    if (!guest) return WASI_EFAULT;
    for (uint32_t i = 0; i < iovs_len; i++) {
        uint32_t buf = wasi_load_u32(guest + 8 * (size_t)i);
        uint32_t len = wasi_load_u32(guest + 8 * (size_t)i + 4);
        uint8_t *host = wasi_guest_bytes(m, buf, len);
        if (!host) return WASI_EFAULT;
        out[i].iov_base = host;
        out[i].iov_len = len;
    }
    *count = (int)iovs_len;
    return WASI_ESUCCESS;
}

/* Shared body of fd_read/fd_write: one readv/writev, the byte count stored at
 * result_ptr. */
static uint32_t transfer(wasm_call_ctx *call, wasi_ctx *ctx, wasm_slot *slots, uint64_t right, bool writing) {
    wasi_fd *fd = wasi_fd_lookup(ctx, WASI_ARG_U32(0));
    if (!fd) return WASI_EBADF;
    if (!(fd->rights_base & right)) return WASI_ENOTCAPABLE;
    wasi_memory m = wasi_caller_memory(call);
    uint8_t *result = wasi_guest_bytes(m, WASI_ARG_U32(3), 4);
    if (!result) return WASI_EFAULT;
    struct iovec iov[WASI_MAX_IOVS];
    int niov = 0;
    uint32_t err = gather_iovecs(m, WASI_ARG_U32(1), WASI_ARG_U32(2), iov, &niov);
    if (err) return err;
    ssize_t n;
    do {
        n = writing ? writev(fd->host_fd, iov, niov) : readv(fd->host_fd, iov, niov);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return wasi_errno_from_host(errno);
    /* Buffers are < 4 GiB in total only if the guest says so; clamp the
     * count to what a u32 can report (the guest sees a short transfer). */
    wasi_store_u32(result, n > (ssize_t)UINT32_MAX ? UINT32_MAX : (uint32_t)n);
    return WASI_ESUCCESS;
}

WASI_HANDLER(wasi_fn_fd_write) { WASI_RETURN(transfer(call, env, slots, WASI_RIGHT_FD_WRITE, true)); }

WASI_HANDLER(wasi_fn_fd_read) { WASI_RETURN(transfer(call, env, slots, WASI_RIGHT_FD_READ, false)); }

WASI_HANDLER(wasi_fn_fd_close) {
    wasi_fd *fd = wasi_fd_lookup(env, WASI_ARG_U32(0));
    if (!fd) WASI_RETURN(WASI_EBADF);
    /* Stdio belongs to the embedder: the guest loses the fd, the host keeps
     * the stream open. */
    fd->open = false;
    WASI_RETURN(WASI_ESUCCESS);
}

WASI_HANDLER(wasi_fn_fd_seek) {
    if (!wasi_fd_lookup(env, WASI_ARG_U32(0))) WASI_RETURN(WASI_EBADF);
    /* Stdio streams are never seekable through WASI, even when the host
     * redirected one to a file: the guest sees the same stream either way. */
    WASI_RETURN(WASI_ESPIPE);
}

/* A terminal is a character device; anything else behind stdio (a pipe, a
 * file, /dev/null) is reported as unknown so that the guest's libc buffers
 * its output fully instead of flushing every line, as native programs do. */
static uint8_t stdio_filetype(int host_fd) {
    if (isatty(host_fd)) return WASI_FILETYPE_CHARACTER_DEVICE;
    struct stat st;
    if (fstat(host_fd, &st) == 0 && S_ISSOCK(st.st_mode)) return WASI_FILETYPE_SOCKET_STREAM;
    return WASI_FILETYPE_UNKNOWN;
}

WASI_HANDLER(wasi_fn_fd_fdstat_get) {
    wasi_fd *fd = wasi_fd_lookup(env, WASI_ARG_U32(0));
    if (!fd) WASI_RETURN(WASI_EBADF);
    uint8_t *out = wasi_guest_bytes(wasi_caller_memory(call), WASI_ARG_U32(1), 24);
    if (!out) WASI_RETURN(WASI_EFAULT);
    /* struct fdstat: u8 filetype @0, u16 flags @2, u64 rights @8, @16. */
    for (int i = 0; i < 8; i++) out[i] = 0;
    out[0] = stdio_filetype(fd->host_fd);
    wasi_store_u16(out + 2, fd->flags);
    wasi_store_u64(out + 8, fd->rights_base);
    wasi_store_u64(out + 16, fd->rights_inheriting);
    WASI_RETURN(WASI_ESUCCESS);
}

WASI_HANDLER(wasi_fn_fd_fdstat_set_flags) {
    wasi_fd *fd = wasi_fd_lookup(env, WASI_ARG_U32(0));
    if (!fd) WASI_RETURN(WASI_EBADF);
    if (!(fd->rights_base & WASI_RIGHT_FD_FDSTAT_SET_FLAGS)) WASI_RETURN(WASI_ENOTCAPABLE);
    uint32_t flags = WASI_ARG_U32(1);
    if (flags > 0xFFFF) WASI_RETURN(WASI_EINVAL);
    /* APPEND means nothing on an unseekable stream and is accepted; the
     * others would change the embedder's own file description (NONBLOCK) or
     * promise durability a stream cannot give. */
    if (flags & ~(uint32_t)WASI_FDFLAG_APPEND) WASI_RETURN(WASI_ENOTSUP);
    fd->flags = (uint16_t)flags;
    WASI_RETURN(WASI_ESUCCESS);
}

WASI_HANDLER(wasi_fn_fd_prestat_get) {
    /* No fd is a preopened directory yet; libc probes fds 3, 4, ... until
     * EBADF, so EBADF is also the answer for open non-directories. */
    WASI_RETURN(WASI_EBADF);
}

WASI_HANDLER(wasi_fn_fd_prestat_dir_name) { WASI_RETURN(WASI_EBADF); }
