/*
 * path_resolve.c — the sandbox: every guest path is resolved beneath a
 * directory fd the guest holds, never as a host path string.
 *
 * A path is split into its directory part and its last name. The directory
 * part is opened beneath the starting fd:
 *   - with openat2(2) and RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS where the
 *     kernel has it: the kernel refuses absolute paths, ".." above the start
 *     and symlinks leading out (EXDEV), atomically, whatever the guest or the
 *     host changes meanwhile;
 *   - otherwise by a walk that opens one component at a time with O_PATH |
 *     O_NOFOLLOW relative to the previous one, keeps every directory it
 *     passed on a stack (".." pops it: there is no way up past the start),
 *     and reads symlinks itself (readlinkat on the very link it opened, so a
 *     swapped link is read as what it now is, and resolved by the same rules).
 * The last name is then handled by the caller with *at() calls that never
 * follow it; when the caller wants it followed, this file reads the link and
 * resolves dirname + target again from the start fd, so its target is held
 * to the same rules. Neither way ever hands a host path or a follow flag for
 * a guest-controlled name to the kernel.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* As Linux's limit: the most symlinks one resolution may pass through. */
#define WASI_MAX_SYMLINKS 40
/* Directories open at once during a walk (deeper paths: ENAMETOOLONG). */
#define WASI_WALK_DEPTH 256

uint32_t wasi_path_from_guest(wasi_call *c, uint32_t ptr, uint32_t len, char buf[WASI_PATH_MAX + 1]) {
    const uint8_t *p = wasi_mem(c, ptr, len);
    if (!p) return WASI_EFAULT;
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    /* A NUL would silently cut the path short on the host. */
    if (memchr(p, 0, len)) return WASI_EINVAL;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return WASI_ESUCCESS;
}

void wasi_path_release(wasi_path *p) {
    if (p->owns_dir_fd) close(p->dir_fd);
    p->owns_dir_fd = false;
    p->dir_fd = -1;
}

/* ---- opening a directory beneath another ------------------------------- */

/* openat2 with the strictest resolution: WASI_ESUCCESS, an errno, or
 * WASI_ENOSYS when the kernel has no openat2 (the caller walks instead). */
static uint32_t open_beneath_openat2(int start, const char *path, int *out) {
    struct open_how how = {
        .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    for (int attempt = 0; attempt < 16; attempt++) {
        long fd = syscall(SYS_openat2, start, path, &how, sizeof how);
        if (fd >= 0) {
            *out = (int)fd;
            return WASI_ESUCCESS;
        }
        switch (errno) {
        case EAGAIN: /* a rename raced with ".."; the kernel asks us to retry */
        case EINTR:
            continue;
        case EXDEV: /* would leave the start directory */
            return WASI_ENOTCAPABLE;
        case ENOSYS:
        case EPERM: /* a seccomp policy that forbids openat2 */
            return WASI_ENOSYS;
        default:
            return wasi_errno_from_host(errno);
        }
    }
    return WASI_EAGAIN;
}

/* Prepends target + "/" to the unresolved rest of a walk, in place: rest
 * points into buf (of WASI_PATH_MAX + 1 bytes). */
static uint32_t splice_link(char *buf, char **rest, const char *target, size_t tlen) {
    size_t rlen = strlen(*rest);
    if (tlen + 1 + rlen > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    memmove(buf + tlen + 1, *rest, rlen + 1);
    memcpy(buf, target, tlen);
    buf[tlen] = '/';
    *rest = buf;
    return WASI_ESUCCESS;
}

/* The walk: start is borrowed; on success *out is a new fd (or start itself
 * when *owned is false). */
static uint32_t open_beneath_walk(int start, const char *path, int *out, bool *owned) {
    char buf[WASI_PATH_MAX + 1], target[WASI_PATH_MAX + 1];
    size_t len = strlen(path);
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    if (buf[0] == '/') return WASI_ENOTCAPABLE;
    int stack[WASI_WALK_DEPTH];
    int depth = 0; /* stack[depth - 1] is the current directory; start when 0 */
    int links = 0;
    uint32_t err = WASI_ESUCCESS;
    char *rest = buf;
    while (*rest) {
        char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        char name[WASI_NAME_MAX + 1];
        if (n > WASI_NAME_MAX) {
            err = WASI_ENAMETOOLONG;
            break;
        }
        memcpy(name, rest, n);
        name[n] = '\0';
        rest += n + (slash ? 1 : 0);
        if (n == 0 || strcmp(name, ".") == 0) continue;
        if (strcmp(name, "..") == 0) {
            /* Up is only ever back along the way we came. */
            if (depth == 0) {
                err = WASI_ENOTCAPABLE;
                break;
            }
            close(stack[--depth]);
            continue;
        }
        int cur = depth ? stack[depth - 1] : start;
        int fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        struct stat sb;
        if (fd < 0 || fstat(fd, &sb) != 0) {
            err = wasi_errno_from_host(errno);
            if (fd >= 0) close(fd);
            break;
        }
        if (S_ISDIR(sb.st_mode)) {
            if (depth == WASI_WALK_DEPTH) {
                close(fd);
                err = WASI_ENAMETOOLONG;
                break;
            }
            stack[depth++] = fd;
            continue;
        }
        if (!S_ISLNK(sb.st_mode)) {
            close(fd);
            err = WASI_ENOTDIR;
            break;
        }
        /* Read the link we opened, not whatever the name means by now. */
        ssize_t tlen = ++links > WASI_MAX_SYMLINKS ? -2 : readlinkat(fd, "", target, sizeof target);
        int e = errno;
        close(fd);
        if (tlen == -2) {
            err = WASI_ELOOP;
            break;
        }
        if (tlen < 0) {
            err = wasi_errno_from_host(e);
            break;
        }
        if ((size_t)tlen >= sizeof target) {
            err = WASI_ENAMETOOLONG;
            break;
        }
        if (tlen == 0) {
            err = WASI_ENOENT;
            break;
        }
        if (target[0] == '/') {
            err = WASI_ENOTCAPABLE;
            break;
        }
        /* The target's components come next, resolved from the link's
         * directory (still the top of the stack). */
        if ((err = splice_link(buf, &rest, target, (size_t)tlen))) break;
    }
    if (err) {
        while (depth > 0) close(stack[--depth]);
        return err;
    }
    for (int i = 0; i + 1 < depth; i++) close(stack[i]);
    *owned = depth > 0;
    *out = depth > 0 ? stack[depth - 1] : start;
    return WASI_ESUCCESS;
}

/* Opens directory `path` beneath start. An empty path is start itself. */
static uint32_t open_dir_beneath(wasi_state *st, int start, const char *path, int *out, bool *owned) {
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    if (path[0] == '\0') {
        *out = start;
        *owned = false;
        return WASI_ESUCCESS;
    }
    if (st->use_openat2) {
        uint32_t err = open_beneath_openat2(start, path, out);
        if (err != WASI_ENOSYS) {
            *owned = err == WASI_ESUCCESS;
            return err;
        }
        st->use_openat2 = false; /* this kernel has none: walk from now on */
    }
    return open_beneath_walk(start, path, out, owned);
}

/* ---- resolving a path for an operation on its last name --------------- */

uint32_t wasi_path_resolve(wasi_state *st, const wasi_fd *dir, const char *path, wasi_follow follow,
                           wasi_path *out) {
    char buf[WASI_PATH_MAX + 1], target[WASI_PATH_MAX + 1];
    out->dir_fd = -1;
    out->owns_dir_fd = false;
    out->trailing_slash = false;
    out->name[0] = '\0';
    if (dir->kind != WASI_FD_DIR) return WASI_ENOTDIR;
    size_t len = strlen(path);
    if (len == 0) return WASI_ENOENT;
    if (len > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    for (int links = 0;; links++) {
        /* Absolute paths name host locations: never. (wasi-libc resolves
         * the guest's absolute paths against its preopens before calling.) */
        if (buf[0] == '/') return WASI_ENOTCAPABLE;
        len = strlen(buf);
        while (len > 1 && buf[len - 1] == '/') {
            buf[--len] = '\0';
            out->trailing_slash = true;
        }
        char *slash = strrchr(buf, '/');
        char *base = slash ? slash + 1 : buf;
        bool names_dir = strcmp(base, ".") == 0 || strcmp(base, "..") == 0;
        size_t blen = strlen(base);
        if (blen > WASI_NAME_MAX) return WASI_ENAMETOOLONG;
        /* "a/.." and "." name a directory itself: open all of it and operate
         * on "." inside, which can never leave it. */
        if (names_dir) {
            memcpy(out->name, ".", 2);
        } else {
            memcpy(out->name, base, blen + 1);
            if (slash)
                *slash = '\0';
            else
                buf[0] = '\0';
        }
        uint32_t err = open_dir_beneath(st, dir->host_fd, buf, &out->dir_fd, &out->owns_dir_fd);
        if (err) return err;
        bool follow_last = follow == WASI_FOLLOW_ALWAYS || (follow == WASI_FOLLOW_IF_SLASH && out->trailing_slash);
        if (!follow_last || names_dir) return WASI_ESUCCESS;
        struct stat sb;
        if (fstatat(out->dir_fd, out->name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(sb.st_mode))
            return WASI_ESUCCESS; /* not a link (or missing): the operation says what it finds */
        ssize_t tlen = readlinkat(out->dir_fd, out->name, target, sizeof target);
        if (tlen < 0) {
            /* EINVAL: no longer a link (replaced meanwhile): the operation
             * acts on what is there now, as if the change came just after. */
            if (errno == EINVAL) return WASI_ESUCCESS;
            err = wasi_errno_from_host(errno);
        } else if (links >= WASI_MAX_SYMLINKS) {
            err = WASI_ELOOP;
        } else if ((size_t)tlen >= sizeof target) {
            err = WASI_ENAMETOOLONG;
        } else if (tlen == 0) {
            err = WASI_ENOENT;
        } else if (target[0] == '/') {
            err = WASI_ENOTCAPABLE;
        }
        wasi_path_release(out);
        if (err) return err;
        /* Follow: the link's directory part + its target, from the start
         * again, so the target is as confined as the guest's own path. */
        size_t dlen = strlen(buf);
        if (dlen + 1 + (size_t)tlen + 1 > WASI_PATH_MAX) return WASI_ENAMETOOLONG;
        if (dlen) buf[dlen++] = '/';
        memcpy(buf + dlen, target, (size_t)tlen);
        buf[dlen + (size_t)tlen] = '\0';
        if (out->trailing_slash) strcat(buf, "/");
    }
}

uint32_t wasi_path_begin(wasi_call *c, uint32_t fd, uint64_t rights, bool mutates, uint32_t ptr, uint32_t len,
                         wasi_follow follow, wasi_fd **dir_out, wasi_path *out) {
    out->dir_fd = -1;
    out->owns_dir_fd = false;
    wasi_fd *dir = wasi_fd_get(c->st, fd);
    if (!dir) return WASI_EBADF;
    /* Not a directory says more than "no right to look up in it" (a file
     * never has path rights). */
    if (dir->kind != WASI_FD_DIR) return WASI_ENOTDIR;
    if ((dir->rights_base & rights) != rights) return WASI_ENOTCAPABLE;
    uint32_t err;
    if (mutates && wasi_fd_read_only(dir)) return WASI_EROFS;
    char path[WASI_PATH_MAX + 1];
    if ((err = wasi_path_from_guest(c, ptr, len, path))) return err;
    if (dir_out) *dir_out = dir;
    return wasi_path_resolve(c->st, dir, path, follow, out);
}
