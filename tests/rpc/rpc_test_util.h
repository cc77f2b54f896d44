/*
 * rpc_test_util.h — shared by the remote-call tests: loading guests, making
 * instances with links, timing.
 */
#ifndef ISORUN_TEST_RPC_UTIL_H
#define ISORUN_TEST_RPC_UTIL_H

#include "isorun.h"
#include "../unit/check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Exits with 77 (CTest: skipped) when the .wat guests were not built. */
static inline void need_wat_guests(void) {
    if (!ISORUN_WAT_GUESTS_BUILT) {
        printf("skipped: the .wat guests were not built (install wabt)\n");
        exit(77);
    }
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double ms_since(uint64_t start) { return (double)(now_ns() - start) / 1e6; }

/* Prints an unexpected error (and frees it); returns whether there was one. */
static inline int report_error(const char *what, isorun_error *err) {
    if (!err) return 0;
    fprintf(stderr, "    %s: %s: %s\n", what, isorun_error_code_name(isorun_error_code_of(err)),
            isorun_error_message(err));
    isorun_error_free(err);
    return 1;
}

static inline isorun_module *load_guest(isorun_runtime *rt, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.wasm", ISORUN_GUEST_DIR, name);
    isorun_module *m = NULL;
    if (report_error(path, isorun_module_load_file(rt, path, &m))) return NULL;
    return m;
}

/* One link for make_instance: remote when transport is set, local when
 * provider is. */
typedef struct test_link {
    const char *module;
    isorun_transport *transport;
    const char *remote_id;
    isorun_instance *provider;
} test_link;

/* An instance of guest `name` registered as id (NULL: unregistered), with
 * budget (NULL: none) and links. NULL on error (printed). */
static inline isorun_instance *make_instance(isorun_runtime *rt, const char *name, const char *id,
                                             const isorun_budget *budget, const test_link *links, size_t nlinks) {
    isorun_module *m = load_guest(rt, name);
    if (!m) return NULL;
    isorun_builder *b = isorun_builder_new(rt, m);
    isorun_module_free(m);
    if (!b) return NULL;
    isorun_instance *inst = NULL;
    int failed = 0;
    for (size_t i = 0; i < nlinks && !failed; i++) {
        if (links[i].transport)
            failed = report_error("link_remote", isorun_builder_link_remote(b, links[i].module, links[i].transport,
                                                                            links[i].remote_id));
        else
            failed = report_error("link_local", isorun_builder_link_local(b, links[i].module, links[i].provider));
    }
    if (!failed && id) failed = report_error("set_id", isorun_builder_set_id(b, id));
    if (!failed) isorun_builder_set_budget(b, budget);
    if (!failed) failed = report_error("instantiate", isorun_builder_instantiate(b, &inst));
    isorun_builder_free(b);
    return failed ? NULL : inst;
}

/* Calls export fn with up to 2 i32 arguments and one i32 result (out may be
 * NULL to ignore it). */
static inline isorun_error *call_i32(isorun_instance *inst, const char *fn, size_t nargs, int32_t a, int32_t b,
                                     int32_t *out) {
    isorun_val args[2] = {isorun_val_i32(a), isorun_val_i32(b)};
    isorun_val result = isorun_val_i32(0);
    isorun_error *err = isorun_instance_call(inst, fn, args, nargs, &result, 1);
    if (!err && out) *out = result.of.i32;
    return err;
}

/* Calls export fn with no arguments and no results. */
/* Listens on listen_url (e.g. "tcp://127.0.0.1:0"), serves the listener
 * with s, and dials it: the dialed transport, or NULL (reported). The address
 * actually bound goes to url (url_size bytes). */
static inline isorun_transport *serve_and_dial(isorun_server *s, const char *listen_url, char *url, size_t url_size) {
    isorun_listener *l = NULL;
    if (report_error("listen", isorun_listen(listen_url, NULL, &l))) return NULL;
    snprintf(url, url_size, "%s", isorun_listener_url(l));
    if (report_error("serve", isorun_server_listen(s, l))) return NULL;
    isorun_transport *t = NULL;
    if (report_error("dial", isorun_transport_dial(url, NULL, &t))) return NULL;
    return t;
}

static inline isorun_error *call_void(isorun_instance *inst, const char *fn) {
    return isorun_instance_call(inst, fn, NULL, 0, NULL, 0);
}

/* ---- an embedder's transport: frames over a socketpair ------------------
 * What an embedder writes for a transport isorun does not have: whole frames
 * over any byte stream, delimited with isorun_frame_size. Unlike the
 * built-in local pair, both ends are read by reader threads. */

#include <sys/socket.h>
#include <unistd.h>

typedef struct sp_conn {
    int fd;
} sp_conn;

static inline isorun_error *sp_send(void *impl, const uint8_t *frame, size_t len, const char *target,
                                    uint64_t deadline) {
    (void)target, (void)deadline;
    sp_conn *c = impl;
    for (size_t off = 0; off < len;) {
        ssize_t n = send(c->fd, frame + off, len - off, MSG_NOSIGNAL);
        if (n <= 0) return isorun_error_new(ISORUN_ERR_IO, "socketpair transport: send failed");
        off += (size_t)n;
    }
    return NULL;
}

static inline bool sp_read_all(int fd, uint8_t *p, size_t n) {
    while (n) {
        ssize_t k = read(fd, p, n);
        if (k <= 0) return false;
        p += k, n -= (size_t)k;
    }
    return true;
}

static inline isorun_error *sp_recv(void *impl, uint32_t max_body, uint8_t **frame, size_t *len) {
    sp_conn *c = impl;
    uint8_t header[ISORUN_FRAME_HEADER_SIZE];
    if (!sp_read_all(c->fd, header, sizeof header)) return isorun_error_new(ISORUN_ERR_IO, "socketpair: closed");
    size_t total;
    isorun_error *err = isorun_frame_size(header, sizeof header, max_body, &total);
    if (err) return err;
    uint8_t *f = malloc(total);
    if (!f) return isorun_error_new(ISORUN_ERR_NOMEM, "out of memory");
    memcpy(f, header, sizeof header);
    if (!sp_read_all(c->fd, f + sizeof header, total - sizeof header)) {
        free(f);
        return isorun_error_new(ISORUN_ERR_IO, "socketpair: closed mid-frame");
    }
    *frame = f;
    *len = total;
    return NULL;
}

static inline void sp_close(void *impl) { shutdown(((sp_conn *)impl)->fd, SHUT_RDWR); }
static inline void sp_free(void *impl) {
    close(((sp_conn *)impl)->fd);
    free(impl);
}

static const isorun_transport_ops sp_ops = {"socketpair", sp_send, sp_recv, sp_close, sp_free, NULL, NULL};

/* Two connected transports over a socketpair. */
static inline bool sp_pair(isorun_transport **a, isorun_transport **b) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return false;
    sp_conn *ca = malloc(sizeof *ca), *cb = malloc(sizeof *cb);
    if (!ca || !cb) return false;
    ca->fd = sv[0], cb->fd = sv[1];
    return !report_error("socketpair a", isorun_transport_new(&sp_ops, ca, NULL, a)) &&
           !report_error("socketpair b", isorun_transport_new(&sp_ops, cb, NULL, b));
}

#endif /* ISORUN_TEST_RPC_UTIL_H */
