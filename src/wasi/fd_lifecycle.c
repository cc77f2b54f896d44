/* fd_lifecycle.c — fd_close, fd_renumber, and the preopen queries libc
 * makes at startup (fd_prestat_get, fd_prestat_dir_name). */
#include "internal.h"

#include <string.h>

uint32_t wasi_fn_fd_close(wasi_call *c, const isorun_val *args) {
    uint32_t fd = WASI_ARG32(0);
    if (!wasi_fd_get(c->st, fd)) return WASI_EBADF;
    wasi_fd_close(c->st, fd);
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_renumber(wasi_call *c, const isorun_val *args) {
    uint32_t from = WASI_ARG32(0), to = WASI_ARG32(1);
    /* Both must be open, as preview 1 says: renumbering is how a program
     * replaces one of its fds, not how it picks new numbers. */
    if (!wasi_fd_get(c->st, from) || !wasi_fd_get(c->st, to)) return WASI_EBADF;
    wasi_fd_move(c->st, from, to);
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_prestat_get(wasi_call *c, const isorun_val *args) {
    wasi_fd *e = wasi_fd_get(c->st, WASI_ARG32(0));
    /* libc probes fds 3, 4, ... until EBADF: EBADF is also the answer for
     * open fds that are not preopened directories. */
    if (!e || !e->preopen) return WASI_EBADF;
    uint8_t *out = wasi_mem(c, WASI_ARG32(1), 8);
    if (!out) return WASI_EFAULT;
    /* struct prestat: u8 tag (0 = dir) @0, u32 name length @4. */
    memset(out, 0, 8);
    wasi_store_u32(out + 4, (uint32_t)strlen(e->mount->guest_path));
    return WASI_ESUCCESS;
}

uint32_t wasi_fn_fd_prestat_dir_name(wasi_call *c, const isorun_val *args) {
    wasi_fd *e = wasi_fd_get(c->st, WASI_ARG32(0));
    if (!e || !e->preopen) return WASI_EBADF;
    uint32_t len = WASI_ARG32(2);
    size_t name_len = strlen(e->mount->guest_path);
    if (len < name_len) return WASI_ENAMETOOLONG;
    uint8_t *out = wasi_mem(c, WASI_ARG32(1), (uint32_t)name_len);
    if (!out) return WASI_EFAULT;
    memcpy(out, e->mount->guest_path, name_len);
    return WASI_ESUCCESS;
}
