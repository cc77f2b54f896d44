/*
 * internal.h — what the files of src/wasi share: WASI's numbers (errno,
 * rights, flags, file types), the per-instance state and its fd table, guest
 * memory access, path resolution beneath a directory, and the handler of
 * every function in functions.h. Not for other layers: embedders use the
 * component through include/isorun.h.
 */
#ifndef ISORUN_WASI_INTERNAL_H
#define ISORUN_WASI_INTERNAL_H

#include "isorun.h"

#include "functions.h"

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#define WASI_MODULE_NAME "wasi_snapshot_preview1"

/* ------------------------------------------------------------------------
 * WASI's numbers
 * ------------------------------------------------------------------------ */

/* WASI preview 1 errno values: X(name, number). Every name here has a host
 * E<name> of the same meaning; wasi_errno_from_host() maps them. */
#define WASI_ERRNO_LIST(X)                                                                         \
    X(2BIG, 1) X(ACCES, 2) X(ADDRINUSE, 3) X(ADDRNOTAVAIL, 4) X(AFNOSUPPORT, 5) X(AGAIN, 6)        \
    X(ALREADY, 7) X(BADF, 8) X(BADMSG, 9) X(BUSY, 10) X(CANCELED, 11) X(CHILD, 12)                 \
    X(CONNABORTED, 13) X(CONNREFUSED, 14) X(CONNRESET, 15) X(DEADLK, 16) X(DESTADDRREQ, 17)        \
    X(DOM, 18) X(DQUOT, 19) X(EXIST, 20) X(FAULT, 21) X(FBIG, 22) X(HOSTUNREACH, 23) X(IDRM, 24)   \
    X(ILSEQ, 25) X(INPROGRESS, 26) X(INTR, 27) X(INVAL, 28) X(IO, 29) X(ISCONN, 30) X(ISDIR, 31)   \
    X(LOOP, 32) X(MFILE, 33) X(MLINK, 34) X(MSGSIZE, 35) X(MULTIHOP, 36) X(NAMETOOLONG, 37)        \
    X(NETDOWN, 38) X(NETRESET, 39) X(NETUNREACH, 40) X(NFILE, 41) X(NOBUFS, 42) X(NODEV, 43)       \
    X(NOENT, 44) X(NOEXEC, 45) X(NOLCK, 46) X(NOLINK, 47) X(NOMEM, 48) X(NOMSG, 49)                \
    X(NOPROTOOPT, 50) X(NOSPC, 51) X(NOSYS, 52) X(NOTCONN, 53) X(NOTDIR, 54) X(NOTEMPTY, 55)       \
    X(NOTRECOVERABLE, 56) X(NOTSOCK, 57) X(NOTSUP, 58) X(NOTTY, 59) X(NXIO, 60) X(OVERFLOW, 61)    \
    X(OWNERDEAD, 62) X(PERM, 63) X(PIPE, 64) X(PROTO, 65) X(PROTONOSUPPORT, 66) X(PROTOTYPE, 67)   \
    X(RANGE, 68) X(ROFS, 69) X(SPIPE, 70) X(SRCH, 71) X(STALE, 72) X(TIMEDOUT, 73) X(TXTBSY, 74)   \
    X(XDEV, 75)

enum {
    WASI_ESUCCESS = 0,
#define WASI_X_ERRNO(name, num) WASI_E##name = num,
    WASI_ERRNO_LIST(WASI_X_ERRNO)
#undef WASI_X_ERRNO
    WASI_ENOTCAPABLE = 76, /* WASI's own: no host counterpart */
};

/* The WASI errno for a host errno value (EIO when there is no counterpart). */
uint32_t wasi_errno_from_host(int host_errno);

enum {
    WASI_FILETYPE_UNKNOWN = 0,
    WASI_FILETYPE_BLOCK_DEVICE = 1,
    WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_DIRECTORY = 3,
    WASI_FILETYPE_REGULAR_FILE = 4,
    WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6,
    WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

/* fdflags */
enum {
    WASI_FDFLAG_APPEND = 1 << 0,
    WASI_FDFLAG_DSYNC = 1 << 1,
    WASI_FDFLAG_NONBLOCK = 1 << 2,
    WASI_FDFLAG_RSYNC = 1 << 3,
    WASI_FDFLAG_SYNC = 1 << 4,
    WASI_FDFLAGS_ALL = 0x1f,
};

/* oflags, lookupflags, fstflags */
enum {
    WASI_O_CREAT = 1 << 0,
    WASI_O_DIRECTORY = 1 << 1,
    WASI_O_EXCL = 1 << 2,
    WASI_O_TRUNC = 1 << 3,
    WASI_OFLAGS_ALL = 0xf,
    WASI_LOOKUP_SYMLINK_FOLLOW = 1 << 0,
    WASI_FST_ATIM = 1 << 0,
    WASI_FST_ATIM_NOW = 1 << 1,
    WASI_FST_MTIM = 1 << 2,
    WASI_FST_MTIM_NOW = 1 << 3,
};

/* Rights: bit n of a rights set. */
#define WASI_RIGHT(n) (UINT64_C(1) << (n))
#define WASI_RIGHT_FD_DATASYNC WASI_RIGHT(0)
#define WASI_RIGHT_FD_READ WASI_RIGHT(1)
#define WASI_RIGHT_FD_SEEK WASI_RIGHT(2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS WASI_RIGHT(3)
#define WASI_RIGHT_FD_SYNC WASI_RIGHT(4)
#define WASI_RIGHT_FD_TELL WASI_RIGHT(5)
#define WASI_RIGHT_FD_WRITE WASI_RIGHT(6)
#define WASI_RIGHT_FD_ADVISE WASI_RIGHT(7)
#define WASI_RIGHT_FD_ALLOCATE WASI_RIGHT(8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY WASI_RIGHT(9)
#define WASI_RIGHT_PATH_CREATE_FILE WASI_RIGHT(10)
#define WASI_RIGHT_PATH_LINK_SOURCE WASI_RIGHT(11)
#define WASI_RIGHT_PATH_LINK_TARGET WASI_RIGHT(12)
#define WASI_RIGHT_PATH_OPEN WASI_RIGHT(13)
#define WASI_RIGHT_FD_READDIR WASI_RIGHT(14)
#define WASI_RIGHT_PATH_READLINK WASI_RIGHT(15)
#define WASI_RIGHT_PATH_RENAME_SOURCE WASI_RIGHT(16)
#define WASI_RIGHT_PATH_RENAME_TARGET WASI_RIGHT(17)
#define WASI_RIGHT_PATH_FILESTAT_GET WASI_RIGHT(18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE WASI_RIGHT(19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES WASI_RIGHT(20)
#define WASI_RIGHT_FD_FILESTAT_GET WASI_RIGHT(21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE WASI_RIGHT(22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES WASI_RIGHT(23)
#define WASI_RIGHT_PATH_SYMLINK WASI_RIGHT(24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY WASI_RIGHT(25)
#define WASI_RIGHT_PATH_UNLINK_FILE WASI_RIGHT(26)
#define WASI_RIGHT_POLL_FD_READWRITE WASI_RIGHT(27)
#define WASI_RIGHT_SOCK_SHUTDOWN WASI_RIGHT(28)
#define WASI_RIGHT_SOCK_ACCEPT WASI_RIGHT(29)

/* What an fd of each kind can ever have: path_open masks the rights asked
 * for with these, by the type of what it opened. */
#define WASI_RIGHTS_FILE                                                                                   \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |  \
     WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE |               \
     WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |               \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_DIRECTORY                                                                              \
    (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_ADVISE |                          \
     WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE | WASI_RIGHT_PATH_LINK_SOURCE |        \
     WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN | WASI_RIGHT_FD_READDIR |                          \
     WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE | WASI_RIGHT_PATH_RENAME_TARGET |            \
     WASI_RIGHT_PATH_FILESTAT_GET | WASI_RIGHT_PATH_FILESTAT_SET_SIZE |                                    \
     WASI_RIGHT_PATH_FILESTAT_SET_TIMES | WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES |  \
     WASI_RIGHT_PATH_SYMLINK | WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE)
/* Stdio has no FD_SEEK/FD_TELL: wasi-libc's isatty() requires their absence
 * for a terminal to count as one (and so to line-buffer it). */
#define WASI_RIGHTS_STDIO_IN                                                                               \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_FILESTAT_GET |                   \
     WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_STDIO_OUT                                                                              \
    (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_FILESTAT_GET |                  \
     WASI_RIGHT_POLL_FD_READWRITE)

/* ------------------------------------------------------------------------
 * Configuration: the options an embedder fills in (options.c). After
 * isorun_wasi_new they are the component's config and never change again,
 * so instances on different threads read them without a lock.
 * ------------------------------------------------------------------------ */

/* A NUL-terminated string list, as args_get/environ_get hand it out;
 * `bytes` counts the strings with their NULs. */
typedef struct wasi_strings {
    char **items;
    uint32_t count, cap;
    uint64_t bytes;
} wasi_strings;

typedef struct wasi_mount {
    char *guest_path; /* what fd_prestat_dir_name reports */
    int dir_fd;       /* the host directory, opened at isorun_wasi_mount */
    unsigned flags;   /* ISORUN_WASI_READ_ONLY */
} wasi_mount;

struct isorun_wasi_options {
    wasi_strings args, env;
    int stdio[3]; /* host fds; -1 = that guest fd starts closed */
    wasi_mount *mounts;
    size_t nmounts, cap_mounts;
    unsigned grants; /* ISORUN_WASI_CLOCKS | ISORUN_WASI_RANDOM */
};

/* ------------------------------------------------------------------------
 * Per-instance state: the fd table (fd_table.c)
 * ------------------------------------------------------------------------ */

typedef enum wasi_fd_kind {
    WASI_FD_STDIO, /* the embedder's host fd: never closed, never seekable */
    WASI_FD_FILE,  /* anything path_open opened that is not a directory */
    WASI_FD_DIR,   /* a directory: path_* resolve beneath it */
} wasi_fd_kind;

/* fd_readdir's position in a directory (fd_readdir.c), freed with its fd. */
typedef struct wasi_dir_stream wasi_dir_stream;
void wasi_dir_stream_free(wasi_dir_stream *ds);

typedef struct wasi_fd {
    wasi_fd_kind kind;
    int host_fd;      /* owned unless STDIO */
    uint8_t filetype; /* WASI_FILETYPE_*, fixed at open (STDIO: asked each time) */
    uint16_t flags;   /* WASI_FDFLAG_* */
    uint64_t rights_base, rights_inheriting;
    bool may_block;              /* a pipe, FIFO, socket or terminal: reads and writes wait (wait.c) */
    bool no_nowait;              /* the kernel refused RWF_NOWAIT on it once (fd_io.c) */
    const wasi_mount *mount;     /* the mount it lies beneath; NULL for stdio */
    bool preopen;                /* a mount's root as handed out: has a prestat */
    wasi_dir_stream *dir_stream; /* fd_readdir's position, made on first use */
} wasi_fd;

/* At most this many fds are open per instance (EMFILE beyond): a guest must
 * not exhaust the host process's descriptors. */
#define WASI_MAX_FDS 1024u

typedef struct wasi_state {
    const isorun_wasi_options *cfg;
    wasi_fd **fds; /* index = guest fd; NULL = free */
    uint32_t nslots, nopen;
    bool use_openat2; /* false once the kernel said ENOSYS (or forbade it) */
    bool exited;
    uint32_t exit_code;
} wasi_state;

/* Makes the state for one instance from cfg: stdio at 0-2, each mount at
 * 3, 4, ... (each a new open of the mount's directory). */
isorun_error *wasi_state_new(const isorun_wasi_options *cfg, wasi_state **out);
/* Closes every fd the state opened (never the stdio fds) and frees it. */
void wasi_state_free(wasi_state *st);

/* The open fd `fd`, or NULL (the caller answers EBADF). */
static inline wasi_fd *wasi_fd_get(wasi_state *st, uint32_t fd) {
    return fd < st->nslots ? st->fds[fd] : NULL;
}
/* wasi_fd_get, then a rights check: *err gets EBADF or ENOTCAPABLE. */
wasi_fd *wasi_fd_with_rights(wasi_state *st, uint32_t fd, uint64_t rights, uint32_t *err);
/* Puts e (malloc'd, owned by the table from then on) at the lowest free
 * number: WASI_ESUCCESS, or EMFILE/ENOMEM (e is then freed and its host fd
 * closed). */
uint32_t wasi_fd_insert(wasi_state *st, wasi_fd *e, uint32_t *fd_out);
/* Closes fd (its host fd unless STDIO) and frees its slot. */
void wasi_fd_close(wasi_state *st, uint32_t fd);
/* Moves `from` to `to` (closing what `to` was). Both must be open. */
void wasi_fd_move(wasi_state *st, uint32_t from, uint32_t to);
/* Releases an entry that never made it into the table. */
void wasi_fd_entry_free(wasi_fd *e);
/* True when mutations through e must be refused (EROFS). */
static inline bool wasi_fd_read_only(const wasi_fd *e) {
    return e->mount && (e->mount->flags & ISORUN_WASI_READ_ONLY);
}
/* WASI_FILETYPE_* of a host file mode. */
uint8_t wasi_filetype_of_mode(mode_t mode);
/* Whether reading or writing a file of this mode can wait for another
 * party: anything but regular files, directories and block devices. */
bool wasi_mode_may_block(mode_t mode);

/* ------------------------------------------------------------------------
 * A call in progress and guest memory
 * ------------------------------------------------------------------------ */

typedef struct wasi_call {
    wasi_state *st;
    isorun_call *api;    /* the public host-call handle */
    isorun_error *raise; /* set by proc_exit and by a stopped wait: ends the guest's call */
} wasi_call;

/* How a wait ended (wait.c). */
typedef enum wasi_wait_end {
    WASI_WAIT_READY,   /* an fd has events (its revents) */
    WASI_WAIT_TIMEOUT, /* the deadline passed */
    WASI_WAIT_STOPPED, /* the call's deadline or an interrupt: c->raise is the trap */
    WASI_WAIT_FAILED,  /* ppoll failed: *err is the errno for the guest */
} wasi_wait_end;

/* Waits until one of pfds[0..nfds) has events, `deadline` passes
 * (CLOCK_MONOTONIC ns; UINT64_MAX = never; in the past = just look), or the
 * instance's call is asked to stop: its deadline passed or
 * isorun_instance_interrupt (the trap's message names `function`). pfds
 * needs room for nfds + 1 entries: the last is the wake-up fd. A ready fd
 * wins over a stop, so that nothing that arrived is lost. */
wasi_wait_end wasi_wait(wasi_call *c, struct pollfd *pfds, size_t nfds, uint64_t deadline, const char *function,
                        uint32_t *err);

/* The host clock behind WASI clock id `wasi_id` (0-3); false for others. */
bool wasi_host_clock(uint32_t wasi_id, clockid_t *out);

/* Handlers return the WASI errno the guest gets. Arguments arrive as the
 * table's signature says: i32 in .of.i32, i64 in .of.i64. */
typedef uint32_t (*wasi_handler)(wasi_call *c, const isorun_val *args);
#define WASI_ARG32(i) ((uint32_t)args[i].of.i32)
#define WASI_ARG64(i) ((uint64_t)args[i].of.i64)

/* A host pointer to guest bytes [addr, addr + len), or NULL when any of them
 * lies outside the caller's memory (the handler answers EFAULT). Valid until
 * the handler returns: a host function never re-enters the guest, so the
 * memory cannot grow (and move) under it. */
static inline uint8_t *wasi_mem(wasi_call *c, uint32_t addr, uint32_t len) {
    return isorun_call_memory(c->api, addr, len);
}

/* Little-endian access to guest memory (it is little-endian; pointers may
 * be unaligned). */
static inline uint16_t wasi_load_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t wasi_load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t wasi_load_u64(const uint8_t *p) {
    return (uint64_t)wasi_load_u32(p) | (uint64_t)wasi_load_u32(p + 4) << 32;
}
static inline void wasi_store_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void wasi_store_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void wasi_store_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
/* Stores a result at a guest pointer: WASI_ESUCCESS or WASI_EFAULT. */
static inline uint32_t wasi_put_u32(wasi_call *c, uint32_t addr, uint32_t v) {
    uint8_t *p = wasi_mem(c, addr, 4);
    if (!p) return WASI_EFAULT;
    wasi_store_u32(p, v);
    return WASI_ESUCCESS;
}
static inline uint32_t wasi_put_u64(wasi_call *c, uint32_t addr, uint64_t v) {
    uint8_t *p = wasi_mem(c, addr, 8);
    if (!p) return WASI_EFAULT;
    wasi_store_u64(p, v);
    return WASI_ESUCCESS;
}

/* struct filestat (64 bytes) from a host stat, into guest memory at p. */
void wasi_store_filestat(uint8_t *p, const struct stat *st);
/* Host timespecs for utimensat from WASI (atim, mtim, fst_flags):
 * WASI_ESUCCESS or EINVAL (a time both given and "now", unknown flags). */
struct timespec;
uint32_t wasi_times_from_guest(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec ts[2]);

/* ------------------------------------------------------------------------
 * Paths beneath a directory (path_resolve.c)
 * ------------------------------------------------------------------------ */

/* The longest guest path accepted (ENAMETOOLONG beyond), and the longest
 * single name. */
#define WASI_PATH_MAX 4096
#define WASI_NAME_MAX 255

/* Copies the guest's path [ptr, ptr+len) into buf as a C string:
 * EFAULT, ENAMETOOLONG, or EINVAL when it contains a NUL byte. */
uint32_t wasi_path_from_guest(wasi_call *c, uint32_t ptr, uint32_t len, char buf[WASI_PATH_MAX + 1]);

/* A path resolved for an operation on its last component: `dir_fd` is a
 * directory beneath the starting directory (never outside it, whatever
 * "..", absolute paths or symlinks the path contains), `name` one component
 * without a slash. A path naming a directory itself ("a/..", ".") comes back
 * as that directory with name ".". Operations then use `*at(dir_fd, name)`
 * calls that never follow a symlink in `name`. */
typedef struct wasi_path {
    int dir_fd;
    bool owns_dir_fd;
    bool trailing_slash; /* the guest wrote "name/": it must be a directory */
    char name[WASI_NAME_MAX + 1];
} wasi_path;

/* Whether a symlink as the last component is followed (its target
 * resolved, beneath the same directory, instead): */
typedef enum wasi_follow {
    WASI_FOLLOW_NEVER,    /* the operation acts on the link itself */
    WASI_FOLLOW_ALWAYS,   /* lookupflags SYMLINK_FOLLOW */
    WASI_FOLLOW_IF_SLASH, /* only for "name/", which POSIX resolves */
} wasi_follow;

/* Resolves `path` (a C string) beneath directory fd `dir`. Errors:
 * ENOTCAPABLE for anything that would leave `dir` (absolute paths, absolute
 * symlink targets, ".." above it, by the path or through symlinks), ELOOP
 * after 40 symlinks, and the host's errors for missing or non-directory
 * components. */
uint32_t wasi_path_resolve(wasi_state *st, const wasi_fd *dir, const char *path, wasi_follow follow,
                           wasi_path *out);
void wasi_path_release(wasi_path *p);

/* The common start of every path_* function: guest fd `fd` must be an open
 * directory (EBADF, ENOTDIR) with `rights` (ENOTCAPABLE), writable when
 * `mutates` (EROFS on a read-only mount); then the guest path at (ptr, len)
 * is resolved beneath it. *dir_out (may be NULL) gets the directory. */
uint32_t wasi_path_begin(wasi_call *c, uint32_t fd, uint64_t rights, bool mutates, uint32_t ptr, uint32_t len,
                         wasi_follow follow, wasi_fd **dir_out, wasi_path *out);

/* ------------------------------------------------------------------------
 * Handlers (one per function in functions.h)
 * ------------------------------------------------------------------------ */

#define WASI_X_DECLARE(name, signature, handler, grant) uint32_t handler(wasi_call *c, const isorun_val *args);
WASI_FUNCTION_LIST(WASI_X_DECLARE)
#undef WASI_X_DECLARE

/* One entry of the table, as install and the dispatcher use it. */
typedef struct wasi_function {
    const char *name;
    const char *signature;
    wasi_handler handler;
    unsigned grant; /* 0 or ISORUN_WASI_* */
} wasi_function;

extern const wasi_function wasi_functions[];
extern const size_t wasi_function_count;

/* Runs one function for a call: the grant check, then the handler. Returns
 * the errno for the guest; c->raise is set when the call must end instead. */
uint32_t wasi_dispatch(wasi_call *c, const wasi_function *f, const isorun_val *args);

#endif /* ISORUN_WASI_INTERNAL_H */
