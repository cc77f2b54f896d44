/*
 * fd_table.c — the guest's file descriptors: one instance's table from guest
 * fd numbers to host fds with their WASI rights and flags, made from the
 * options at configure and emptied at teardown.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint8_t wasi_filetype_of_mode(mode_t mode) {
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN; /* FIFOs: WASI has no type for them */
    }
}

bool wasi_mode_may_block(mode_t mode) { return !S_ISREG(mode) && !S_ISDIR(mode) && !S_ISBLK(mode); }

/* What stands behind an embedder's stdio fd is looked at once, when the
 * instance is made: a regular file then costs its reads no poll. An fd that
 * cannot be examined is taken to block (a poll too many, never a wait that
 * cannot be stopped). */
static bool stdio_may_block(int host_fd) {
    struct stat sb;
    return fstat(host_fd, &sb) != 0 || wasi_mode_may_block(sb.st_mode);
}

void wasi_fd_entry_free(wasi_fd *e) {
    if (!e) return;
    /* Stdio fds are the embedder's: the guest closing one only loses it. */
    if (e->kind != WASI_FD_STDIO) close(e->host_fd);
    wasi_dir_stream_free(e->dir_stream);
    free(e);
}

wasi_fd *wasi_fd_with_rights(wasi_state *st, uint32_t fd, uint64_t rights, uint32_t *err) {
    wasi_fd *e = wasi_fd_get(st, fd);
    if (!e) {
        *err = WASI_EBADF;
        return NULL;
    }
    if ((e->rights_base & rights) != rights) {
        *err = WASI_ENOTCAPABLE;
        return NULL;
    }
    *err = WASI_ESUCCESS;
    return e;
}

/* Makes room for slot `index`. */
static bool ensure_slots(wasi_state *st, uint32_t need) {
    if (need <= st->nslots) return true;
    uint32_t n = st->nslots ? st->nslots : 8;
    while (n < need) n *= 2;
    wasi_fd **grown = realloc(st->fds, sizeof *grown * n);
    if (!grown) return false;
    for (uint32_t i = st->nslots; i < n; i++) grown[i] = NULL;
    st->fds = grown;
    st->nslots = n;
    return true;
}

uint32_t wasi_fd_insert(wasi_state *st, wasi_fd *e, uint32_t *fd_out) {
    if (st->nopen >= WASI_MAX_FDS) {
        wasi_fd_entry_free(e);
        return WASI_EMFILE;
    }
    /* The lowest free number, as POSIX does: programs that close and reopen
     * expect their numbers back. */
    uint32_t fd = 0;
    while (fd < st->nslots && st->fds[fd]) fd++;
    if (!ensure_slots(st, fd + 1)) {
        wasi_fd_entry_free(e);
        return WASI_ENOMEM;
    }
    st->fds[fd] = e;
    st->nopen++;
    *fd_out = fd;
    return WASI_ESUCCESS;
}

void wasi_fd_close(wasi_state *st, uint32_t fd) {
    wasi_fd *e = wasi_fd_get(st, fd);
    if (!e) return;
    st->fds[fd] = NULL;
    st->nopen--;
    wasi_fd_entry_free(e);
}

void wasi_fd_move(wasi_state *st, uint32_t from, uint32_t to) {
    if (from == to) return;
    wasi_fd_close(st, to);
    st->fds[to] = st->fds[from];
    st->fds[from] = NULL;
}

/* ---- the state --------------------------------------------------------- */

static wasi_fd *new_entry(wasi_fd_kind kind, int host_fd, uint8_t filetype, uint64_t base, uint64_t inheriting,
                          const wasi_mount *mount) {
    wasi_fd *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    *e = (wasi_fd){.kind = kind, .host_fd = host_fd, .filetype = filetype, .rights_base = base,
                   .rights_inheriting = inheriting, .mount = mount};
    return e;
}

isorun_error *wasi_state_new(const isorun_wasi_options *cfg, wasi_state **out) {
    *out = NULL;
    wasi_state *st = calloc(1, sizeof *st);
    if (!st || !ensure_slots(st, 3 + (uint32_t)cfg->nmounts)) {
        free(st);
        return isorun_error_new(ISORUN_ERR_NOMEM, "wasi: out of memory for the fd table");
    }
    st->cfg = cfg;
    st->use_openat2 = true;
    for (uint32_t i = 0; i < 3; i++) {
        if (cfg->stdio[i] < 0) continue; /* that guest fd starts closed */
        wasi_fd *e = new_entry(WASI_FD_STDIO, cfg->stdio[i], WASI_FILETYPE_UNKNOWN,
                               i == 0 ? WASI_RIGHTS_STDIO_IN : WASI_RIGHTS_STDIO_OUT, 0, NULL);
        if (!e) goto nomem;
        e->may_block = stdio_may_block(cfg->stdio[i]);
        st->fds[i] = e;
        st->nopen++;
    }
    for (size_t m = 0; m < cfg->nmounts; m++) {
        const wasi_mount *mount = &cfg->mounts[m];
        /* A new open file description per instance: instances must not share
         * a directory position (fd_readdir) or flags. */
        int fd = openat(mount->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            wasi_state_free(st);
            return isorun_error_new(ISORUN_ERR_IO, "wasi: cannot open the directory mounted as \"%s\": %s",
                                    mount->guest_path, strerror(e));
        }
        wasi_fd *e = new_entry(WASI_FD_DIR, fd, WASI_FILETYPE_DIRECTORY, WASI_RIGHTS_DIRECTORY,
                               WASI_RIGHTS_DIRECTORY | WASI_RIGHTS_FILE, mount);
        if (!e) {
            close(fd);
            goto nomem;
        }
        e->preopen = true;
        st->fds[3 + m] = e;
        st->nopen++;
    }
    *out = st;
    return NULL;
nomem:
    wasi_state_free(st);
    return isorun_error_new(ISORUN_ERR_NOMEM, "wasi: out of memory for the fd table");
}

void wasi_state_free(wasi_state *st) {
    if (!st) return;
    for (uint32_t i = 0; i < st->nslots; i++) wasi_fd_entry_free(st->fds[i]);
    free(st->fds);
    free(st);
}
