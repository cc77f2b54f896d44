/*
 * poll.c — poll_oneoff: waiting for clocks (granted by ISORUN_WASI_CLOCKS)
 * and for fds to become readable or writable.
 *
 * Subscriptions are read into host memory first (the guest may pass
 * overlapping in/out arrays), then one wait (wasi_wait: a ppoll on the fds
 * and the instance's wake-up fd, so that the call's deadline or an
 * interrupt ends it) lasts until the earliest clock deadline, then events
 * are written. A subscription that cannot be waited on (a bad fd, missing
 * rights, an ungranted or unknown clock) is answered at once by an event
 * carrying that error, as preview 1 prescribes, and the call does not block.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* More subscriptions than this in one call: EINVAL (no program needs them,
 * and each costs host memory). */
#define WASI_MAX_SUBSCRIPTIONS 4096u
#define SUB_SIZE 48
#define EVENT_SIZE 32

enum { TAG_CLOCK = 0, TAG_FD_READ = 1, TAG_FD_WRITE = 2 };
enum { SUBCLOCK_ABSTIME = 1 };
enum { EVENT_FD_HANGUP = 1 };

typedef struct subscription {
    uint64_t userdata;
    uint8_t tag;
    uint16_t error;     /* answered at once with this error */
    uint64_t deadline;  /* clocks: CLOCK_MONOTONIC ns */
    int pollfd;         /* fds: index into the pollfd array */
    int host_fd;
    bool is_file;       /* a regular file: nbytes is what is left to read */
} subscription;

static uint64_t now_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

static uint64_t add_sat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* A clock subscription's deadline on the monotonic clock. */
static uint16_t clock_deadline(wasi_call *c, const uint8_t *p, uint64_t mono_now, uint64_t *deadline) {
    if (!(c->st->cfg->grants & ISORUN_WASI_CLOCKS)) return WASI_ENOTCAPABLE;
    uint32_t id = wasi_load_u32(p + 16);
    uint64_t timeout = wasi_load_u64(p + 24);
    uint16_t flags = wasi_load_u16(p + 40);
    if (flags & ~SUBCLOCK_ABSTIME) return WASI_EINVAL;
    /* Only the realtime and monotonic clocks can be waited on. */
    if (id != 0 && id != 1) return WASI_ENOTSUP;
    if (!(flags & SUBCLOCK_ABSTIME)) {
        *deadline = add_sat(mono_now, timeout);
    } else if (id == 1) {
        *deadline = timeout;
    } else {
        uint64_t real_now = now_ns(CLOCK_REALTIME);
        *deadline = timeout <= real_now ? mono_now : add_sat(mono_now, timeout - real_now);
    }
    return WASI_ESUCCESS;
}

/* An fd subscription: the error, or the host fd to poll. */
static uint16_t fd_target(wasi_call *c, uint8_t tag, uint32_t fd, subscription *s) {
    wasi_fd *e = wasi_fd_get(c->st, fd);
    if (!e) return WASI_EBADF;
    uint64_t need = WASI_RIGHT_POLL_FD_READWRITE | (tag == TAG_FD_READ ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE);
    if ((e->rights_base & need) != need) return WASI_ENOTCAPABLE;
    s->host_fd = e->host_fd;
    s->is_file = e->kind == WASI_FD_FILE && e->filetype == WASI_FILETYPE_REGULAR_FILE;
    return WASI_ESUCCESS;
}

/* Bytes available to read, as far as the host can tell (0 if unknown). */
static uint64_t readable_bytes(const subscription *s) {
    if (s->is_file) {
        struct stat sb;
        off_t pos = lseek(s->host_fd, 0, SEEK_CUR);
        if (fstat(s->host_fd, &sb) != 0 || pos < 0 || sb.st_size <= pos) return 0;
        return (uint64_t)(sb.st_size - pos);
    }
    int n = 0;
    return ioctl(s->host_fd, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

static void store_event(uint8_t *p, const subscription *s, uint16_t error, uint64_t nbytes, uint16_t flags) {
    memset(p, 0, EVENT_SIZE);
    wasi_store_u64(p, s->userdata);
    wasi_store_u16(p + 8, error);
    p[10] = s->tag;
    wasi_store_u64(p + 16, nbytes);
    wasi_store_u16(p + 24, flags);
}

uint32_t wasi_fn_poll_oneoff(wasi_call *c, const isorun_val *args) {
    uint32_t n = WASI_ARG32(2);
    if (n == 0 || n > WASI_MAX_SUBSCRIPTIONS) return WASI_EINVAL;
    const uint8_t *in = wasi_mem(c, WASI_ARG32(0), n * SUB_SIZE);
    uint8_t *out = wasi_mem(c, WASI_ARG32(1), n * EVENT_SIZE);
    uint8_t *nevents_out = wasi_mem(c, WASI_ARG32(3), 4);
    if (!in || !out || !nevents_out) return WASI_EFAULT;

    /* One pollfd more than subscriptions: wasi_wait's wake-up fd. */
    subscription small_subs[8];
    struct pollfd small_pfds[8 + 1];
    subscription *subs = n <= 8 ? small_subs : calloc(n, sizeof *subs);
    struct pollfd *pfds = n <= 8 ? small_pfds : calloc((size_t)n + 1, sizeof *pfds);
    uint32_t err = WASI_ESUCCESS;
    if (!subs || !pfds) err = WASI_ENOMEM;

    size_t nfds = 0;
    bool answered = false; /* some subscription is answered at once */
    uint64_t mono_now = now_ns(CLOCK_MONOTONIC), earliest = UINT64_MAX;
    for (uint32_t i = 0; !err && i < n; i++) {
        const uint8_t *p = in + (size_t)i * SUB_SIZE;
        subscription *s = &subs[i];
        *s = (subscription){.userdata = wasi_load_u64(p), .tag = p[8], .pollfd = -1, .host_fd = -1};
        if (s->tag == TAG_CLOCK) {
            s->error = clock_deadline(c, p, mono_now, &s->deadline);
            if (!s->error && s->deadline < earliest) earliest = s->deadline;
        } else if (s->tag == TAG_FD_READ || s->tag == TAG_FD_WRITE) {
            s->error = fd_target(c, s->tag, wasi_load_u32(p + 16), s);
            if (!s->error) {
                s->pollfd = (int)nfds;
                pfds[nfds++] = (struct pollfd){s->host_fd, (short)(s->tag == TAG_FD_READ ? POLLIN : POLLOUT), 0};
            }
        } else {
            err = WASI_EINVAL;
        }
        if (s->error) answered = true;
    }

    uint32_t nevents = 0;
    while (!err && nevents == 0) {
        /* Answered subscriptions only look at the fds (a deadline in the past). */
        wasi_wait_end end = wasi_wait(c, pfds, nfds, answered ? 0 : earliest, "poll_oneoff", &err);
        if (end == WASI_WAIT_STOPPED || end == WASI_WAIT_FAILED) break;
        bool ready = end == WASI_WAIT_READY;
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        for (uint32_t i = 0; i < n; i++) {
            const subscription *s = &subs[i];
            uint8_t *ev = out + (size_t)nevents * EVENT_SIZE;
            if (s->error) {
                store_event(ev, s, s->error, 0, 0);
            } else if (s->tag == TAG_CLOCK) {
                if (s->deadline > now) continue;
                store_event(ev, s, 0, 0, 0);
            } else {
                short re = ready ? pfds[s->pollfd].revents : 0;
                if (!re) continue;
                if (re & POLLNVAL)
                    store_event(ev, s, WASI_EBADF, 0, 0);
                else
                    store_event(ev, s, 0, s->tag == TAG_FD_READ ? readable_bytes(s) : 0,
                                re & POLLHUP ? EVENT_FD_HANGUP : 0);
            }
            nevents++;
        }
    }
    if (!err && !c->raise) wasi_store_u32(nevents_out, nevents);
    if (subs != small_subs) free(subs);
    if (pfds != small_pfds) free(pfds);
    return err;
}
