/* path_open.c — path_open: rights, oflags and fdflags as preview 1 defines
 * them, on a path resolved beneath the directory fd (path_resolve.c). */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Rights that need the host file open for writing. */
#define WRITE_RIGHTS (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE)
#define READ_RIGHTS (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR)

/* What the directory fd must hold, and what the new fd's rights must be
 * within: ENOTCAPABLE otherwise. */
static uint32_t check_rights(const wasi_fd *dir, uint32_t oflags, uint32_t fdflags, uint64_t base,
                             uint64_t inheriting) {
    uint64_t need = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_O_CREAT) need |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_O_TRUNC) need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    if ((dir->rights_base & need) != need) return WASI_ENOTCAPABLE;
    /* An fd opened through a directory gets at most what the directory may
     * hand down. */
    if ((base | inheriting) & ~dir->rights_inheriting) return WASI_ENOTCAPABLE;
    /* Synchronous writes are durability the new fd must have the right to. */
    if ((fdflags & WASI_FDFLAG_DSYNC) && !(base & WASI_RIGHT_FD_DATASYNC)) return WASI_ENOTCAPABLE;
    if ((fdflags & (WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC)) && !(base & WASI_RIGHT_FD_SYNC)) return WASI_ENOTCAPABLE;
    return WASI_ESUCCESS;
}

static int host_open_flags(uint32_t oflags, uint32_t fdflags, uint64_t base, bool trailing_slash) {
    bool directory = (oflags & WASI_O_DIRECTORY) || trailing_slash;
    bool write = !directory && (base & WRITE_RIGHTS);
    bool read = directory || (base & READ_RIGHTS) || !write;
    /* O_NOFOLLOW: the last name is never followed by the kernel (a symlink
     * there was resolved by path_resolve.c, or is refused with ELOOP).
     * O_NONBLOCK always: opening a FIFO must not block the host thread; it
     * is cleared again unless the guest asked for it. */
    int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
    flags |= write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (directory) flags |= O_DIRECTORY;
    if (oflags & WASI_O_CREAT) flags |= O_CREAT;
    if (oflags & WASI_O_EXCL) flags |= O_EXCL;
    if (oflags & WASI_O_TRUNC) flags |= O_TRUNC;
    if (fdflags & WASI_FDFLAG_APPEND) flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_DSYNC) flags |= O_DSYNC;
    if (fdflags & WASI_FDFLAG_RSYNC) flags |= O_RSYNC;
    if (fdflags & WASI_FDFLAG_SYNC) flags |= O_SYNC;
    return flags;
}

/* Opens the file for the guest: the host fd and its type. */
static uint32_t open_beneath(wasi_state *st, const wasi_fd *dir, const char *path, wasi_follow follow, uint32_t oflags,
                             uint32_t fdflags, uint64_t base, int *fd_out, struct stat *sb) {
    for (int attempt = 0;; attempt++) {
        wasi_path p;
        uint32_t err = wasi_path_resolve(st, dir, path, follow, &p);
        if (err) return err;
        int flags = host_open_flags(oflags, fdflags, base, p.trailing_slash);
        int fd = openat(p.dir_fd, p.name, flags, 0666);
        int e = errno;
        bool followed = follow == WASI_FOLLOW_ALWAYS || p.trailing_slash;
        wasi_path_release(&p);
        if (fd < 0) {
            /* ELOOP with a follow: the name became a symlink after it was
             * resolved; resolve again (bounded, like the links themselves). */
            if (e == ELOOP && followed && attempt < 8) continue;
            return wasi_errno_from_host(e);
        }
        int host_flags = fcntl(fd, F_GETFL);
        if (fstat(fd, sb) != 0 || host_flags < 0 ||
            (!(fdflags & WASI_FDFLAG_NONBLOCK) && fcntl(fd, F_SETFL, host_flags & ~O_NONBLOCK) != 0)) {
            e = errno;
            close(fd);
            return wasi_errno_from_host(e);
        }
        *fd_out = fd;
        return WASI_ESUCCESS;
    }
}

uint32_t wasi_fn_path_open(wasi_call *c, const isorun_val *args) {
    uint32_t dirflags = WASI_ARG32(1), oflags = WASI_ARG32(4), fdflags = WASI_ARG32(7);
    uint64_t base = WASI_ARG64(5), inheriting = WASI_ARG64(6);
    wasi_fd *dir = wasi_fd_get(c->st, WASI_ARG32(0));
    if (!dir) return WASI_EBADF;
    if (dir->kind != WASI_FD_DIR) return WASI_ENOTDIR;
    if ((oflags & ~(uint32_t)WASI_OFLAGS_ALL) || (fdflags & ~(uint32_t)WASI_FDFLAGS_ALL) ||
        (dirflags & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW))
        return WASI_EINVAL;
    uint32_t err = check_rights(dir, oflags, fdflags, base, inheriting);
    if (err) return err;
    bool directory = oflags & WASI_O_DIRECTORY;
    if (wasi_fd_read_only(dir) &&
        ((oflags & (WASI_O_CREAT | WASI_O_TRUNC)) || (!directory && (base & WRITE_RIGHTS))))
        return WASI_EROFS;
    uint8_t *result = wasi_mem(c, WASI_ARG32(8), 4);
    if (!result) return WASI_EFAULT;
    char path[WASI_PATH_MAX + 1];
    if ((err = wasi_path_from_guest(c, WASI_ARG32(2), WASI_ARG32(3), path))) return err;
    /* O_EXCL never follows (an existing link is "exists"), as on POSIX;
     * "name/" always means what the link points to. */
    wasi_follow follow = (dirflags & WASI_LOOKUP_SYMLINK_FOLLOW) && !(oflags & WASI_O_EXCL) ? WASI_FOLLOW_ALWAYS
                                                                                            : WASI_FOLLOW_IF_SLASH;
    int host_fd = -1;
    struct stat sb;
    if ((err = open_beneath(c->st, dir, path, follow, oflags, fdflags, base, &host_fd, &sb))) return err;
    wasi_fd *e = calloc(1, sizeof *e);
    if (!e) {
        close(host_fd);
        return WASI_ENOMEM;
    }
    bool is_dir = S_ISDIR(sb.st_mode);
    *e = (wasi_fd){
        .kind = is_dir ? WASI_FD_DIR : WASI_FD_FILE,
        .host_fd = host_fd,
        .filetype = wasi_filetype_of_mode(sb.st_mode),
        .flags = (uint16_t)fdflags,
        .may_block = wasi_mode_may_block(sb.st_mode),
        .rights_base = base & (is_dir ? WASI_RIGHTS_DIRECTORY : WASI_RIGHTS_FILE),
        .rights_inheriting = inheriting,
        .mount = dir->mount,
    };
    uint32_t fd;
    if ((err = wasi_fd_insert(c->st, e, &fd))) return err;
    wasi_store_u32(result, fd);
    return WASI_ESUCCESS;
}
