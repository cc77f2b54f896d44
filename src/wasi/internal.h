/*
 * internal.h — what the files of src/wasi share: the context's layout, WASI
 * errno and flag numbers, guest-memory access, handler declarations. Not for
 * other layers (they use wasi.h).
 */
#ifndef ISORUN_WASI_INTERNAL_H
#define ISORUN_WASI_INTERNAL_H

#include "functions.h"
#include "wasi.h"

/* WASI preview 1 errno values: X(name, number). Names with a same-named host
 * E<name> are mapped from host errors by wasi_errno_from_host(). */
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

/* File types, fd flags and rights (the bits this layer uses). */
enum {
    WASI_FILETYPE_UNKNOWN = 0,
    WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_REGULAR_FILE = 4,
    WASI_FILETYPE_SOCKET_STREAM = 6,
};
enum {
    WASI_FDFLAG_APPEND = 1 << 0,
    WASI_FDFLAG_DSYNC = 1 << 1,
    WASI_FDFLAG_NONBLOCK = 1 << 2,
    WASI_FDFLAG_RSYNC = 1 << 3,
    WASI_FDFLAG_SYNC = 1 << 4,
};
#define WASI_RIGHT_FD_READ (UINT64_C(1) << 1)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (UINT64_C(1) << 3)
#define WASI_RIGHT_FD_WRITE (UINT64_C(1) << 6)
#define WASI_RIGHT_POLL_FD_READWRITE (UINT64_C(1) << 27)

/* One entry of the guest's fd table. */
typedef struct wasi_fd {
    bool open;
    int host_fd;    /* not owned for stdio: the embedder's */
    uint16_t flags; /* WASI_FDFLAG_* */
    uint64_t rights_base;
    uint64_t rights_inheriting;
} wasi_fd;

/* A NULL-free list of NUL-terminated strings, as args_get/environ_get hand
 * them out; `bytes` counts the strings with their NULs. */
typedef struct wasi_strings {
    char **items;
    uint32_t count;
    uint32_t cap;
    uint64_t bytes;
} wasi_strings;

#define WASI_STDIO_FDS 3u

struct wasi_ctx {
    wasi_strings args;
    wasi_strings env;
    wasi_fd fds[WASI_STDIO_FDS]; /* grows into a table with the filesystem */
    uint32_t granted;            /* bit (1 << wasi_capability) per capability */
    bool strict_imports;
    bool exited;
    uint32_t exit_code;
};

/* The fd entry for a guest fd, or NULL (EBADF) when it is not open. */
static inline wasi_fd *wasi_fd_lookup(wasi_ctx *ctx, uint32_t fd) {
    if (fd >= WASI_STDIO_FDS || !ctx->fds[fd].open) return NULL;
    return &ctx->fds[fd];
}

/* ---- guest memory ----------------------------------------------------- */

/* The caller's linear memory, fetched once per call: a host function never
 * re-enters the guest, so the memory cannot grow (and move) under it. */
typedef struct wasi_memory {
    uint8_t *base;
    uint64_t size;
} wasi_memory;

static inline wasi_memory wasi_caller_memory(const wasm_call_ctx *call) {
    wasi_memory m = {NULL, 0};
    wasm_memory *mem = call->caller ? wasm_instance_memory(call->caller) : NULL;
    if (mem) {
        m.base = wasm_memory_data(mem);
        m.size = wasm_memory_size_bytes(mem);
    }
    return m;
}

/* A host pointer to guest bytes [ptr, ptr+len), or NULL when any of them
 * lies outside the memory (the caller then answers EFAULT). */
static inline uint8_t *wasi_guest_bytes(wasi_memory m, uint32_t ptr, uint64_t len) {
    if (!m.base || len > m.size || ptr > m.size - len) return NULL;
    return m.base + ptr;
}

/* Little-endian loads and stores (guest memory is little-endian; the
 * pointers may be unaligned). */
static inline uint32_t wasi_load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
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

/* Stores a u32/u64 result at a guest pointer: WASI_ESUCCESS or WASI_EFAULT. */
static inline uint32_t wasi_put_u32(wasi_memory m, uint32_t ptr, uint32_t v) {
    uint8_t *p = wasi_guest_bytes(m, ptr, 4);
    if (!p) return WASI_EFAULT;
    wasi_store_u32(p, v);
    return WASI_ESUCCESS;
}
static inline uint32_t wasi_put_u64(wasi_memory m, uint32_t ptr, uint64_t v) {
    uint8_t *p = wasi_guest_bytes(m, ptr, 8);
    if (!p) return WASI_EFAULT;
    wasi_store_u64(p, v);
    return WASI_ESUCCESS;
}

/* ---- handlers ---------------------------------------------------------- */

/* Every handler is a wasm_host_fn whose env is the wasi_ctx. Arguments arrive
 * in slots; an i32 argument is the low 32 bits of its slot. */
#define WASI_HANDLER(fn) isorun_error *fn(wasm_call_ctx *call, void *env, wasm_slot *slots)
#define WASI_ARG_U32(i) ((uint32_t)slots[i])
#define WASI_ARG_U64(i) ((uint64_t)slots[i])
/* Ends a handler with a WASI errno as its i32 result. */
#define WASI_RETURN(errno_value)                                                                   \
    do {                                                                                           \
        slots[0] = (uint32_t)(errno_value);                                                        \
        return NULL;                                                                               \
    } while (0)

#define WASI_X_DECLARE(name, params, results, handler, cap) WASI_HANDLER(handler);
WASI_FUNCTION_LIST(WASI_X_DECLARE)
#undef WASI_X_DECLARE
WASI_HANDLER(wasi_fn_notcapable);

#endif /* ISORUN_WASI_INTERNAL_H */
