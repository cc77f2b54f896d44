/*
 * sockets.c — dialing and listening on TCP and Unix sockets, the embedded
 * default transport (no server process needed). Accepted and dialed
 * connections both become stream transports (stream.c).
 */
/* pipe2 and accept4 (atomic close-on-exec) are GNU extensions. */
#define _GNU_SOURCE
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static void set_nodelay(int fd) {
    /* Frames are small and latency matters more than packet count. */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void describe_addr(const struct sockaddr *sa, socklen_t len, char *out, size_t size) {
    if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
        snprintf(out, size, "unix %s", len > sizeof(sa_family_t) && un->sun_path[0] ? un->sun_path : "(peer)");
        return;
    }
    char host[NI_MAXHOST] = "?", port[NI_MAXSERV] = "?";
    getnameinfo(sa, len, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
    if (sa->sa_family == AF_INET6)
        snprintf(out, size, "tcp [%s]:%s", host, port);
    else
        snprintf(out, size, "tcp %s:%s", host, port);
}

/* Connects fd to sa, waiting at most timeout_ms. */
static int connect_within(int fd, const struct sockaddr *sa, socklen_t len, int timeout_ms) {
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int rc = connect(fd, sa, len);
    if (rc != 0 && errno == EINPROGRESS) {
        struct pollfd p = {fd, POLLOUT, 0};
        int ready;
        do ready = poll(&p, 1, timeout_ms);
        while (ready < 0 && errno == EINTR);
        if (ready == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
        if (soerr) {
            errno = soerr;
            return -1;
        }
        rc = 0;
    }
    fcntl(fd, F_SETFL, flags);
    return rc;
}

static int timeout_ms_of(uint64_t timeout_ns) {
    if (!timeout_ns) return 30000;
    uint64_t ms = (timeout_ns + 999999) / 1000000;
    return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

isorun_error *tp_socket_dial(const char *url, const tp_url *u, uint64_t timeout_ns, void **impl) {
    char label[200];
    int fd = -1;
    int saved = 0;
    if (u->scheme == TP_URL_UNIX) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        strcpy(sa.sun_path, u->path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return isr_error(ISORUN_ERR_IO, "%s: cannot make a socket: %s", url, strerror(errno));
        if (connect_within(fd, (struct sockaddr *)&sa, sizeof sa, timeout_ms_of(timeout_ns)) != 0) {
            saved = errno;
            close(fd);
            return isr_error(ISORUN_ERR_IO, "cannot connect to %s: %s%s", url, strerror(saved),
                             saved == ENOENT || saved == ECONNREFUSED ? " (is a server listening there?)" : "");
        }
        snprintf(label, sizeof label, "unix %s", u->path);
        return tp_stream_new(fd, label, impl);
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int gai = getaddrinfo(u->host, u->port, &hints, &res);
    if (gai != 0) return isr_error(ISORUN_ERR_IO, "cannot resolve the host of %s: %s", url, gai_strerror(gai));
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (connect_within(fd, ai->ai_addr, ai->ai_addrlen, timeout_ms_of(timeout_ns)) == 0) {
            describe_addr(ai->ai_addr, ai->ai_addrlen, label, sizeof label);
            break;
        }
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return isr_error(ISORUN_ERR_IO, "cannot connect to %s: %s%s", url, strerror(saved),
                         saved == ECONNREFUSED ? " (is a server listening there?)" : "");
    set_nodelay(fd);
    return tp_stream_new(fd, label, impl);
}

/* ------------------------------------------------------------------------
 * Listening
 * ------------------------------------------------------------------------ */

typedef struct listener {
    int fd;
    int wake[2]; /* close() writes a byte to wake a blocked accept */
    atomic_bool closed;
    bool is_unix;
    char path[108]; /* unix: the socket file, removed in free */
    char url[300];  /* what a peer dials */
} listener;

/* A Unix socket file already at path: refuse if a server answers there,
 * replace it if it is a stale leftover of a process that died. */
static isorun_error *clear_stale_socket(const char *url, const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return NULL;
    if (!S_ISSOCK(st.st_mode))
        return isr_error(ISORUN_ERR_IO, "cannot listen on %s: %s exists and is not a socket", url, path);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return NULL;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, path);
    int rc = connect(probe, (struct sockaddr *)&sa, sizeof sa);
    int saved = errno;
    close(probe);
    if (rc == 0) return isr_error(ISORUN_ERR_IO, "cannot listen on %s: another server is listening there", url);
    if (saved == ECONNREFUSED) unlink(path);
    return NULL;
}

isorun_error *tp_socket_listen(const char *url, const tp_url *u, void **impl) {
    listener *l = calloc(1, sizeof *l);
    if (!l) return isr_error_nomem();
    l->fd = -1;
    if (pipe2(l->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        free(l);
        return isr_error(ISORUN_ERR_IO, "cannot listen on %s: %s", url, strerror(errno));
    }
    atomic_init(&l->closed, false);
    isorun_error *err = NULL;
    if (u->scheme == TP_URL_UNIX) {
        l->is_unix = true;
        if ((err = clear_stale_socket(url, u->path))) goto fail;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        strcpy(sa.sun_path, u->path);
        l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(l->fd, 128) != 0) {
            err = isr_error(ISORUN_ERR_IO, "cannot listen on %s: %s", url, strerror(errno));
            goto fail;
        }
        snprintf(l->path, sizeof l->path, "%s", u->path);
        snprintf(l->url, sizeof l->url, "unix://%s", u->path);
    } else {
        struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE},
                        *res = NULL;
        int gai = getaddrinfo(u->host, u->port, &hints, &res);
        if (gai != 0) {
            err = isr_error(ISORUN_ERR_IO, "cannot resolve the host of %s: %s", url, gai_strerror(gai));
            goto fail;
        }
        int saved = 0;
        for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
            l->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
            if (l->fd < 0) continue;
            int one = 1;
            setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            if (bind(l->fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(l->fd, 128) == 0) break;
            saved = errno;
            close(l->fd);
            l->fd = -1;
        }
        freeaddrinfo(res);
        if (l->fd < 0) {
            err = isr_error(ISORUN_ERR_IO, "cannot listen on %s: %s", url, strerror(saved));
            goto fail;
        }
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        getsockname(l->fd, (struct sockaddr *)&ss, &len);
        char desc[200];
        describe_addr((struct sockaddr *)&ss, len, desc, sizeof desc);
        snprintf(l->url, sizeof l->url, "tcp://%s", desc + 4); /* "tcp 1.2.3.4:5" -> tcp://1.2.3.4:5 */
    }
    *impl = l;
    return NULL;
fail:
    if (l->fd >= 0) close(l->fd);
    close(l->wake[0]);
    close(l->wake[1]);
    free(l);
    return err;
}

static isorun_error *listener_accept(void *impl, const isorun_transport_ops **ops, void **conn_impl) {
    listener *l = impl;
    for (;;) {
        if (atomic_load(&l->closed)) return isr_error(ISORUN_ERR_IO, "%s: the listener is closed", l->url);
        struct pollfd p[2] = {{l->fd, POLLIN, 0}, {l->wake[0], POLLIN, 0}};
        int ready = poll(p, 2, -1);
        if (ready < 0 && errno != EINTR)
            return isr_error(ISORUN_ERR_IO, "%s: waiting for connections failed: %s", l->url, strerror(errno));
        if (ready <= 0 || !(p[0].revents & POLLIN)) continue;
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept4(l->fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* Out of descriptors: back off instead of spinning; the
                 * connection stays in the backlog until we can take it. */
                struct timespec pause = {0, 50 * 1000000};
                nanosleep(&pause, NULL);
            }
            continue;
        }
        char label[200];
        if (l->is_unix)
            snprintf(label, sizeof label, "unix %s (incoming)", l->path);
        else
            describe_addr((struct sockaddr *)&ss, len, label, sizeof label);
        if (!l->is_unix) set_nodelay(fd);
        *ops = &tp_stream_ops;
        return tp_stream_new(fd, label, conn_impl);
    }
}

static void listener_close(void *impl) {
    listener *l = impl;
    if (atomic_exchange(&l->closed, true)) return;
    ssize_t ignored = write(l->wake[1], "x", 1);
    (void)ignored;
}

static void listener_free(void *impl) {
    listener *l = impl;
    listener_close(l);
    close(l->fd);
    close(l->wake[0]);
    close(l->wake[1]);
    if (l->is_unix && l->path[0]) unlink(l->path);
    free(l);
}

static const char *listener_describe(void *impl) { return ((listener *)impl)->url; }

const isorun_listener_ops tp_socket_listener_ops = {
    .name = "socket",
    .accept = listener_accept,
    .close = listener_close,
    .free = listener_free,
    .describe = listener_describe,
};
