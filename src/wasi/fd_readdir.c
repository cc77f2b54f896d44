/*
 * fd_readdir.c — directory listings with cookies.
 *
 * A cookie is an entry's index in the listing (entry i has d_next = i + 1;
 * cookie 0 is the start). Each directory fd keeps one host stream and the
 * index it is at, so reading on from where the last call stopped costs
 * nothing extra; any other cookie rewinds and skips. An entry that did not
 * fit the guest's buffer is kept and delivered first next time, which is
 * what the guest asks for after it was handed the entry's first bytes (the
 * spec's "buffer full" signal) and then called again with the last complete
 * entry's d_next.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIRENT_HEADER 24 /* d_next u64, d_ino u64, d_namlen u32, d_type u8, padding */

struct wasi_dir_stream {
    DIR *dir;
    uint64_t pos;      /* index of the next entry to deliver */
    bool have_pending; /* entry `pos` has been read from the host already */
    uint64_t pending_ino;
    uint8_t pending_type;
    uint32_t pending_len;
    char pending_name[WASI_NAME_MAX + 1];
};

void wasi_dir_stream_free(wasi_dir_stream *ds) {
    if (!ds) return;
    closedir(ds->dir);
    free(ds);
}

static uint32_t stream_open(wasi_fd *e) {
    if (e->dir_stream) return WASI_ESUCCESS;
    /* A separate open of the directory: the stream's position is its own. */
    int fd = openat(e->host_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return wasi_errno_from_host(errno);
    wasi_dir_stream *ds = calloc(1, sizeof *ds);
    DIR *dir = ds ? fdopendir(fd) : NULL;
    if (!dir) {
        int err = ds ? errno : ENOMEM;
        free(ds);
        close(fd);
        return wasi_errno_from_host(err);
    }
    ds->dir = dir;
    e->dir_stream = ds;
    return WASI_ESUCCESS;
}

static uint8_t type_of(int dir_fd, const struct dirent *d) {
    switch (d->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_UNKNOWN: {
        /* Some file systems do not say: ask (never following a link). */
        struct stat sb;
        return fstatat(dir_fd, d->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 ? wasi_filetype_of_mode(sb.st_mode)
                                                                          : WASI_FILETYPE_UNKNOWN;
    }
    default: return WASI_FILETYPE_UNKNOWN;
    }
}

/* Makes entry `pos` pending: false at the end of the listing (or *err). */
static bool fetch(wasi_dir_stream *ds, ino_t self_ino, uint32_t *err) {
    if (ds->have_pending) return true;
    errno = 0;
    struct dirent *d = readdir(ds->dir);
    if (!d) {
        *err = errno ? wasi_errno_from_host(errno) : WASI_ESUCCESS;
        return false;
    }
    size_t len = strlen(d->d_name);
    if (len > WASI_NAME_MAX) len = WASI_NAME_MAX; /* cannot happen on Linux */
    memcpy(ds->pending_name, d->d_name, len);
    ds->pending_len = (uint32_t)len;
    ds->pending_type = type_of(dirfd(ds->dir), d);
    /* ".." of a mount's root is a directory outside the sandbox, so ".."
     * reports the listed directory's own inode number, in every directory
     * (the same answer everywhere beats a test for "is this a root"). */
    ds->pending_ino = strcmp(d->d_name, "..") == 0 ? (uint64_t)self_ino : (uint64_t)d->d_ino;
    ds->have_pending = true;
    return true;
}

/* Positions the stream at cookie. */
static uint32_t seek_to(wasi_dir_stream *ds, uint64_t cookie, ino_t self_ino) {
    if (cookie == ds->pos) return WASI_ESUCCESS;
    rewinddir(ds->dir);
    ds->pos = 0;
    ds->have_pending = false;
    uint32_t err = WASI_ESUCCESS;
    while (ds->pos < cookie && fetch(ds, self_ino, &err)) {
        ds->have_pending = false;
        ds->pos++;
    }
    return err;
}

uint32_t wasi_fn_fd_readdir(wasi_call *c, const isorun_val *args) {
    uint32_t err;
    wasi_fd *e = wasi_fd_with_rights(c->st, WASI_ARG32(0), WASI_RIGHT_FD_READDIR, &err);
    if (!e) return err;
    if (e->kind != WASI_FD_DIR) return WASI_ENOTDIR;
    uint32_t buf_len = WASI_ARG32(2);
    uint64_t cookie = WASI_ARG64(3);
    uint8_t *buf = wasi_mem(c, WASI_ARG32(1), buf_len);
    uint8_t *used_out = wasi_mem(c, WASI_ARG32(4), 4);
    if (!buf || !used_out) return WASI_EFAULT;
    struct stat self;
    if (fstat(e->host_fd, &self) != 0) return wasi_errno_from_host(errno);
    if ((err = stream_open(e))) return err;
    wasi_dir_stream *ds = e->dir_stream;
    if ((err = seek_to(ds, cookie, self.st_ino))) return err;
    uint32_t used = 0;
    while (used < buf_len && fetch(ds, self.st_ino, &err)) {
        uint8_t entry[DIRENT_HEADER + WASI_NAME_MAX];
        memset(entry, 0, DIRENT_HEADER);
        wasi_store_u64(entry, ds->pos + 1);
        wasi_store_u64(entry + 8, ds->pending_ino);
        wasi_store_u32(entry + 16, ds->pending_len);
        entry[20] = ds->pending_type;
        memcpy(entry + DIRENT_HEADER, ds->pending_name, ds->pending_len);
        uint32_t size = DIRENT_HEADER + ds->pending_len;
        uint32_t n = size < buf_len - used ? size : buf_len - used;
        memcpy(buf + used, entry, n);
        used += n;
        if (n < size) break; /* cut short: the buffer is full, keep it pending */
        ds->have_pending = false;
        ds->pos++;
    }
    if (err) return err;
    wasi_store_u32(used_out, used);
    return WASI_ESUCCESS;
}
