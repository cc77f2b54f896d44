/* fd_io.c — fd_read, fd_write, fd_pread, fd_pwrite: one readv/writev (or
 * preadv/pwritev) per call, straight between the host fd and guest memory. */
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
 * host iovecs, after checking that every buffer lies inside guest memory. */
static uint32_t gather_iovecs(wasi_call *c, uint32_t iovs_addr, uint32_t iovs_len, struct iovec *out,
                              int *count) {
    if (iovs_len > WASI_MAX_IOVS) iovs_len = WASI_MAX_IOVS;
    const uint8_t *guest = wasi_mem(c, iovs_addr, iovs_len * 8);
    if (!guest) return WASI_EFAULT;
    /* The result is a u32 count: buffers beyond UINT32_MAX bytes in total
     * (possible with overlapping iovecs) are left for the next call. */
    uint64_t room = UINT32_MAX;
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
    struct iovec iov[WASI_MAX_IOVS];
    int niov = 0;
    if ((err = gather_iovecs(c, WASI_ARG32(1), WASI_ARG32(2), iov, &niov))) return err;
    ssize_t n;
    do {
        switch (kind) {
        case READ: n = readv(fd->host_fd, iov, niov); break;
        case WRITE: n = writev(fd->host_fd, iov, niov); break;
        case PREAD: n = preadv(fd->host_fd, iov, niov, (off_t)offset); break;
        default: n = pwritev(fd->host_fd, iov, niov, (off_t)offset); break;
        }
    } while (n < 0 && errno == EINTR);
    if (n < 0) return wasi_errno_from_host(errno);
    wasi_store_u32(result, (uint32_t)n); /* at most UINT32_MAX: see gather_iovecs */
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_read(wasi_call *c, const isorun_val *args) { return transfer(c, args, READ); }
uint32_t wasi_fn_fd_write(wasi_call *c, const isorun_val *args) { return transfer(c, args, WRITE); }
uint32_t wasi_fn_fd_pread(wasi_call *c, const isorun_val *args) { return transfer(c, args, PREAD); }
uint32_t wasi_fn_fd_pwrite(wasi_call *c, const isorun_val *args) { return transfer(c, args, PWRITE); }
