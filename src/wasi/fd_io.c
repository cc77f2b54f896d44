/* fd_io.c — fd_read, fd_write, fd_pread, fd_pwrite: one readv/writev (or
 * preadv/pwritev) per call, straight between the host fd and guest memory.
 * On what can block (a pipe, a FIFO, a socket, a terminal) the transfer is
 * first tried without blocking (RWF_NOWAIT: the kernel moves what it can at
 * once or says EAGAIN), and only when it would block does the call wait in
 * wasi_wait, where the call's deadline and isorun_instance_interrupt can end
 * it. So a pipe with room or data costs one system call, as natively. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

/* At most this many iovecs go to one host call: more would make it fail with
 * EINVAL, and a short transfer is a valid answer the guest's libc loops on. */
#if defined(IOV_MAX) && IOV_MAX < 1024
#define WASI_MAX_IOVS IOV_MAX
#else
#define WASI_MAX_IOVS 1024
#endif

/* Translates the guest's iovec array (pairs of u32 pointer, u32 length) into
 * host iovecs, after checking that every buffer lies inside guest memory.
 * Bytes beyond `room` in total are left for the next call. */
static uint32_t gather_iovecs(wasi_call *c, uint32_t iovs_addr, uint32_t iovs_len, uint64_t room,
                              struct iovec *out, int *count) {
    if (iovs_len > WASI_MAX_IOVS) iovs_len = WASI_MAX_IOVS;
    const uint8_t *guest = wasi_mem(c, iovs_addr, iovs_len * 8);
    if (!guest) return WASI_EFAULT;
    uint32_t i = 0;
    for (; i < iovs_len && room > 0; i++) {
        uint32_t buf = wasi_load_u32(guest + 8 * (size_t)i);
        uint32_t len = wasi_load_u32(guest + 8 * (size_t)i + 4);
        uint8_t *host = wasi_mem(c, buf, len);
        if (!host) return WASI_EFAULT;
        out[i].iov_base = host;
        out[i].iov_len = len < room ? len : (size_t)room;
        room -= out[i].iov_len;
    }
    *count = (int)i;
    return WASI_ESUCCESS;
}

typedef enum { READ, WRITE, PREAD, PWRITE } transfer_kind;

/* Waits until fd is ready for the transfer: WASI_ESUCCESS to go on (or,
 * with c->raise set, to end the call), or the errno of a failed wait. */
static uint32_t wait_ready(wasi_call *c, const wasi_fd *fd, bool writing) {
    struct pollfd pfds[2] = {{fd->host_fd, (short)(writing ? POLLOUT : POLLIN), 0}};
    uint32_t err = WASI_ESUCCESS;
    wasi_wait(c, pfds, 1, UINT64_MAX, writing ? "fd_write" : "fd_read", &err);
    return err;
}

/* One system call (retried on EINTR); flags are readv2/writev2's. */
static ssize_t transfer_now(int host_fd, transfer_kind kind, const struct iovec *iov, int niov, off_t offset,
                            int flags) {
    ssize_t n;
    do {
        switch (kind) {
        case READ: n = flags ? preadv2(host_fd, iov, niov, -1, flags) : readv(host_fd, iov, niov); break;
        case WRITE: n = flags ? pwritev2(host_fd, iov, niov, -1, flags) : writev(host_fd, iov, niov); break;
        case PREAD: n = preadv(host_fd, iov, niov, offset); break;
        default: n = pwritev(host_fd, iov, niov, offset); break;
        }
    } while (n < 0 && errno == EINTR);
    return n;
}

/* Keeps the first `limit` bytes of the iovecs. */
static int clip_iovecs(struct iovec *iov, int niov, size_t limit) {
    int i = 0;
    for (; i < niov && limit > 0; i++) {
        if (iov[i].iov_len > limit) iov[i].iov_len = limit;
        limit -= iov[i].iov_len;
    }
    return i;
}

/* A read or write on what can block: without blocking while the kernel
 * allows it, waiting (interruptibly) in between. Returns a WASI errno of the
 * wait (or WASI_ESUCCESS with c->raise set when the call is to end), else
 * WASI_ESUCCESS with *n as the system call's result. */
static uint32_t transfer_waiting(wasi_call *c, wasi_fd *fd, bool writing, struct iovec *iov, int niov,
                                 ssize_t *n) {
    transfer_kind kind = writing ? WRITE : READ;
    uint32_t err;
    while (!fd->no_nowait) {
        *n = transfer_now(fd->host_fd, kind, iov, niov, 0, RWF_NOWAIT);
        if (*n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EOPNOTSUPP && errno != EINVAL &&
                        errno != ENOSYS))
            return WASI_ESUCCESS;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if ((err = wait_ready(c, fd, writing)) || c->raise) return err;
            continue;
        }
        fd->no_nowait = true; /* a terminal, or a kernel without RWF_NOWAIT here */
    }
    /* Wait first, then one blocking call. A write is cut to PIPE_BUF bytes:
     * writable means room for at least that much, and a larger write could
     * block again once started, out of the interrupt's reach (the guest's
     * libc writes the rest next). */
    if ((err = wait_ready(c, fd, writing)) || c->raise) return err;
    if (writing) niov = clip_iovecs(iov, niov, PIPE_BUF);
    *n = transfer_now(fd->host_fd, kind, iov, niov, 0, 0);
    return WASI_ESUCCESS;
}

/* The shared body: args are (fd, iovs, iovs_len, [offset,] result). */
static uint32_t transfer(wasi_call *c, const isorun_val *args, transfer_kind kind) {
    bool positioned = kind == PREAD || kind == PWRITE;
    bool writing = kind == WRITE || kind == PWRITE;
    uint64_t rights = writing ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ;
    uint32_t err;
    wasi_fd *fd = wasi_fd_with_rights(c->st, WASI_ARG32(0), rights | (positioned ? WASI_RIGHT_FD_SEEK : 0), &err);
    if (!fd) {
        /* Stdio has no FD_SEEK: positioned I/O on a stream is ESPIPE, as on
         * the host. */
        if (positioned && err == WASI_ENOTCAPABLE && wasi_fd_get(c->st, WASI_ARG32(0))->kind == WASI_FD_STDIO)
            return WASI_ESPIPE;
        return err;
    }
    uint64_t offset = positioned ? WASI_ARG64(3) : 0;
    if (offset > INT64_MAX) return WASI_EINVAL;
    uint8_t *result = wasi_mem(c, WASI_ARG32(positioned ? 4 : 3), 4);
    if (!result) return WASI_EFAULT;
    /* Positioned transfers need FD_SEEK, which only seekable files have:
     * they never wait for another party. Nor does an fd the guest made
     * non-blocking (it gets EAGAIN). */
    bool waits = !positioned && fd->may_block && !(fd->flags & WASI_FDFLAG_NONBLOCK);
    /* The result is a u32 count: buffers beyond UINT32_MAX bytes in total
     * (possible with overlapping iovecs) are left for the next call. */
    struct iovec iov[WASI_MAX_IOVS];
    int niov = 0;
    if ((err = gather_iovecs(c, WASI_ARG32(1), WASI_ARG32(2), UINT32_MAX, iov, &niov))) return err;
    size_t total = 0;
    for (int i = 0; i < niov; i++) total += iov[i].iov_len;
    ssize_t n;
    /* Zero bytes are transferred at once, as the host does, never waited for. */
    if (waits && total > 0) {
        err = transfer_waiting(c, fd, writing, iov, niov, &n);
        if (err || c->raise) return err;
    } else {
        n = transfer_now(fd->host_fd, kind, iov, niov, (off_t)offset, 0);
    }
    if (n < 0) return wasi_errno_from_host(errno);
    wasi_store_u32(result, (uint32_t)n); /* at most UINT32_MAX: see gather_iovecs */
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_read(wasi_call *c, const isorun_val *args) { return transfer(c, args, READ); }
uint32_t wasi_fn_fd_write(wasi_call *c, const isorun_val *args) { return transfer(c, args, WRITE); }
uint32_t wasi_fn_fd_pread(wasi_call *c, const isorun_val *args) { return transfer(c, args, PREAD); }
uint32_t wasi_fn_fd_pwrite(wasi_call *c, const isorun_val *args) { return transfer(c, args, PWRITE); }
