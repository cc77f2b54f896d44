/* path_ops.c — changing the tree beneath a directory fd:
 * path_create_directory, path_remove_directory, path_unlink_file,
 * path_rename, path_link, path_symlink, and reading links (path_readlink).
 * Every name is resolved by path_resolve.c and then used with an *at() call
 * that does not follow it. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <unistd.h>

static uint32_t host_result(int rc) { return rc == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno); }

/* "name/" where a new name is wanted (link, symlink): it exists, or there is
 * no directory to make it in. */
static uint32_t trailing_slash_new_name(const wasi_path *p) {
    struct stat sb;
    return fstatat(p->dir_fd, p->name, &sb, AT_SYMLINK_NOFOLLOW) == 0 ? WASI_EEXIST : WASI_ENOENT;
}

/* "name/" for an existing name that must be a directory (rename's source). */
static uint32_t require_directory(const wasi_path *p) {
    struct stat sb;
    if (fstatat(p->dir_fd, p->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) return wasi_errno_from_host(errno);
    return S_ISDIR(sb.st_mode) ? WASI_ESUCCESS : WASI_ENOTDIR;
}

uint32_t wasi_fn_path_create_directory(wasi_call *c, const isorun_val *args) {
    wasi_path p;
    uint32_t err = wasi_path_begin(c, WASI_ARG32(0), WASI_RIGHT_PATH_CREATE_DIRECTORY, true, WASI_ARG32(1),
                                   WASI_ARG32(2), WASI_FOLLOW_NEVER, NULL, &p);
    if (!err) err = host_result(mkdirat(p.dir_fd, p.name, 0777));
    wasi_path_release(&p);
    return err;
}

uint32_t wasi_fn_path_remove_directory(wasi_call *c, const isorun_val *args) {
    wasi_path p;
    uint32_t err = wasi_path_begin(c, WASI_ARG32(0), WASI_RIGHT_PATH_REMOVE_DIRECTORY, true, WASI_ARG32(1),
                                   WASI_ARG32(2), WASI_FOLLOW_NEVER, NULL, &p);
    /* "." (and "a/..") arrive as "." inside the directory: the host refuses
     * (EINVAL), so a mount's root can never be removed. */
    if (!err) err = host_result(unlinkat(p.dir_fd, p.name, AT_REMOVEDIR));
    wasi_path_release(&p);
    return err;
}

uint32_t wasi_fn_path_unlink_file(wasi_call *c, const isorun_val *args) {
    wasi_path p;
    uint32_t err = wasi_path_begin(c, WASI_ARG32(0), WASI_RIGHT_PATH_UNLINK_FILE, true, WASI_ARG32(1),
                                   WASI_ARG32(2), WASI_FOLLOW_NEVER, NULL, &p);
    if (!err && p.trailing_slash) {
        /* "file/" names no file: a directory there is EISDIR as for unlink. */
        err = require_directory(&p);
        if (!err) err = WASI_EISDIR;
    }
    if (!err) err = host_result(unlinkat(p.dir_fd, p.name, 0));
    wasi_path_release(&p);
    return err;
}

/* Renames and hard links stay within one mount: across mounts they would
 * carry a file from a read-only mount into a writable one (or out of the
 * place the embedder meant for it), so they are EXDEV, as across file
 * systems. */
static uint32_t two_paths(wasi_call *c, uint32_t fd1, uint64_t right1, uint32_t ptr1, uint32_t len1, wasi_follow follow1,
                          uint32_t fd2, uint64_t right2, uint32_t ptr2, uint32_t len2, wasi_path *p1, wasi_path *p2) {
    p2->dir_fd = -1;
    p2->owns_dir_fd = false;
    wasi_fd *d1, *d2;
    uint32_t err = wasi_path_begin(c, fd1, right1, true, ptr1, len1, follow1, &d1, p1);
    if (!err) err = wasi_path_begin(c, fd2, right2, true, ptr2, len2, WASI_FOLLOW_NEVER, &d2, p2);
    if (!err && d1->mount != d2->mount) err = WASI_EXDEV;
    return err;
}

uint32_t wasi_fn_path_rename(wasi_call *c, const isorun_val *args) {
    wasi_path from, to;
    uint32_t err = two_paths(c, WASI_ARG32(0), WASI_RIGHT_PATH_RENAME_SOURCE, WASI_ARG32(1), WASI_ARG32(2),
                             WASI_FOLLOW_NEVER, WASI_ARG32(3), WASI_RIGHT_PATH_RENAME_TARGET, WASI_ARG32(4),
                             WASI_ARG32(5), &from, &to);
    /* A trailing slash on either side is only right for a directory. */
    if (!err && (from.trailing_slash || to.trailing_slash)) err = require_directory(&from);
    if (!err) err = host_result(renameat(from.dir_fd, from.name, to.dir_fd, to.name));
    wasi_path_release(&from);
    wasi_path_release(&to);
    return err;
}

uint32_t wasi_fn_path_link(wasi_call *c, const isorun_val *args) {
    wasi_path from, to;
    wasi_follow follow = WASI_ARG32(1) & WASI_LOOKUP_SYMLINK_FOLLOW ? WASI_FOLLOW_ALWAYS : WASI_FOLLOW_NEVER;
    if (WASI_ARG32(1) & ~(uint32_t)WASI_LOOKUP_SYMLINK_FOLLOW) return WASI_EINVAL;
    uint32_t err = two_paths(c, WASI_ARG32(0), WASI_RIGHT_PATH_LINK_SOURCE, WASI_ARG32(2), WASI_ARG32(3), follow,
                             WASI_ARG32(4), WASI_RIGHT_PATH_LINK_TARGET, WASI_ARG32(5), WASI_ARG32(6), &from, &to);
    if (!err && from.trailing_slash) err = require_directory(&from);
    if (!err && to.trailing_slash) err = trailing_slash_new_name(&to);
    /* No AT_SYMLINK_FOLLOW: a link to follow was resolved above. */
    if (!err) err = host_result(linkat(from.dir_fd, from.name, to.dir_fd, to.name, 0));
    wasi_path_release(&from);
    wasi_path_release(&to);
    return err;
}

uint32_t wasi_fn_path_symlink(wasi_call *c, const isorun_val *args) {
    char target[WASI_PATH_MAX + 1];
    uint32_t err = wasi_path_from_guest(c, WASI_ARG32(0), WASI_ARG32(1), target);
    if (err) return err;
    wasi_path p;
    err = wasi_path_begin(c, WASI_ARG32(2), WASI_RIGHT_PATH_SYMLINK, true, WASI_ARG32(3), WASI_ARG32(4),
                          WASI_FOLLOW_NEVER, NULL, &p);
    /* An absolute target would name a host path: never followed here, but
     * refused outright so the tree holds no such links made by a guest. */
    if (!err && target[0] == '/') err = WASI_ENOTCAPABLE;
    if (!err && target[0] == '\0') err = WASI_ENOENT;
    if (!err && p.trailing_slash) err = trailing_slash_new_name(&p);
    if (!err) err = host_result(symlinkat(target, p.dir_fd, p.name));
    wasi_path_release(&p);
    return err;
}

uint32_t wasi_fn_path_readlink(wasi_call *c, const isorun_val *args) {
    uint32_t buf_len = WASI_ARG32(4);
    uint8_t *buf = wasi_mem(c, WASI_ARG32(3), buf_len);
    uint8_t *used = wasi_mem(c, WASI_ARG32(5), 4);
    wasi_path p;
    uint32_t err = wasi_path_begin(c, WASI_ARG32(0), WASI_RIGHT_PATH_READLINK, false, WASI_ARG32(1), WASI_ARG32(2),
                                   WASI_FOLLOW_IF_SLASH, NULL, &p);
    if (!err && (!buf || !used)) err = WASI_EFAULT;
    if (!err) {
        /* As readlink(2): the target truncated to the buffer, no NUL. */
        ssize_t n = readlinkat(p.dir_fd, p.name, (char *)buf, buf_len);
        if (n < 0)
            err = wasi_errno_from_host(errno);
        else
            wasi_store_u32(used, (uint32_t)n);
    }
    wasi_path_release(&p);
    return err;
}
