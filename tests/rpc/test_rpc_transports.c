/*
 * test_rpc_transports.c — the transports and the server from the outside:
 * TCP and Unix listeners and dialers, an embedder's own transport, raw bytes
 * at a listener (garbage, oversized headers, malformed bodies, pings), a
 * peer that stalls and a peer whose connection dies mid-call, and shutdown
 * with a call in flight.
 */
#include "rpc_test_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static isorun_runtime *rt;
static isorun_instance *provider, *second;
static isorun_server *server;
static char tcp_url[300];

static isorun_kind i32x2[] = {ISORUN_I32, ISORUN_I32}, i32x1[] = {ISORUN_I32};
static const isorun_functype add_type = {2, 1, i32x2, i32x1};
static const isorun_functype spin_type = {0, 0, NULL, NULL};

static isorun_error *call_add(isorun_transport *t, int32_t a, int32_t b, int32_t *out, uint64_t timeout_ns) {
    isorun_val args[2] = {isorun_val_i32(a), isorun_val_i32(b)}, res = isorun_val_i32(0);
    isorun_error *err = isorun_transport_call(t, "math-1", "add", &add_type, args, &res, timeout_ns);
    if (!err) *out = res.of.i32;
    return err;
}

static void setup(void) {
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &rt)));
    provider = make_instance(rt, "math_provider", "math-1", NULL, NULL, 0);
    REQUIRE(provider);
    second = make_instance(rt, "math_provider", "math-2", NULL, NULL, 0);
    REQUIRE(second);
    isorun_server_config cfg = {.workers = 4, .shutdown_grace_ns = 200 * 1000000ull};
    REQUIRE(!report_error("server", isorun_server_new(rt, &cfg, &server)));
    isorun_listener *l = NULL;
    REQUIRE(!report_error("listen", isorun_listen("tcp://127.0.0.1:0", NULL, &l)));
    snprintf(tcp_url, sizeof tcp_url, "%s", isorun_listener_url(l));
    CHECK(strncmp(tcp_url, "tcp://127.0.0.1:", 16) == 0 && strcmp(tcp_url, "tcp://127.0.0.1:0") != 0);
    REQUIRE(!report_error("server listen", isorun_server_listen(server, l)));
}

/* ---- raw sockets ---------------------------------------------------------- */

static int raw_connect(void) {
    int port = atoi(strrchr(tcp_url, ':') + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Reads one whole frame (up to cap bytes); its length, or -1 at EOF/error. */
static ssize_t read_frame(int fd, uint8_t *buf, size_t cap) {
    size_t have = 0, want = ISORUN_FRAME_HEADER_SIZE;
    while (have < want) {
        ssize_t n = read(fd, buf + have, want - have);
        if (n <= 0) return -1;
        have += (size_t)n;
        if (have == ISORUN_FRAME_HEADER_SIZE) {
            size_t total;
            isorun_error *err = isorun_frame_size(buf, have, 0, &total);
            if (err || total > cap) {
                isorun_error_free(err);
                return -1;
            }
            want = total;
        }
    }
    return (ssize_t)have;
}

/* True when the peer closes fd (EOF or reset) within 5 s. */
static bool closed_by_peer(int fd) {
    uint8_t b[4096];
    for (;;) {
        ssize_t n = read(fd, b, sizeof b);
        if (n == 0 || (n < 0 && errno == ECONNRESET)) return true;
        if (n < 0) return false; /* timeout */
    }
}

static void test_tcp_calls(void) {
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial", isorun_transport_dial(tcp_url, NULL, &t)));
    CHECK_STR_CONTAINS(isorun_transport_describe(t), "tcp 127.0.0.1:");
    int32_t r = 0;
    CHECK(!report_error("add", call_add(t, 40, 2, &r, 0)));
    CHECK_EQ_INT(r, 42);
    for (int i = 0; i < 500; i++) {
        if (report_error("add", call_add(t, i, i, &r, 0)) || r != 2 * i) {
            CHECK(!"add over tcp");
            break;
        }
    }
    isorun_transport_free(t);
}

typedef struct hammer_arg {
    isorun_transport *t;
    int base, failures;
} hammer_arg;

static void *hammer(void *p) {
    hammer_arg *a = p;
    for (int i = 0; i < 300; i++) {
        int32_t r = 0;
        isorun_error *err = call_add(a->t, a->base, i, &r, 0);
        if (err || r != a->base + i) a->failures++;
        isorun_error_free(err);
    }
    return NULL;
}

/* 16 threads share one connection: responses find their callers. */
static void test_tcp_multiplexing(void) {
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial", isorun_transport_dial(tcp_url, NULL, &t)));
    enum { N = 16 };
    pthread_t th[N];
    hammer_arg args[N];
    for (int i = 0; i < N; i++) {
        args[i] = (hammer_arg){t, i * 1000000, 0};
        REQUIRE(pthread_create(&th[i], NULL, hammer, &args[i]) == 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ_INT(args[i].failures, 0);
    }
    isorun_transport_free(t);
}

static void test_unix(void) {
    char url[200], path[150];
    snprintf(path, sizeof path, "/tmp/isorun-test-%d.sock", (int)getpid());
    snprintf(url, sizeof url, "unix://%s", path);
    /* A stale socket file, as a killed server leaves it, is replaced. */
    int stale = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, path);
    unlink(path);
    CHECK(bind(stale, (struct sockaddr *)&sa, sizeof sa) == 0);
    close(stale);
    isorun_listener *l = NULL;
    REQUIRE(!report_error("listen unix", isorun_listen(url, NULL, &l)));
    CHECK(strcmp(isorun_listener_url(l), url) == 0);
    /* A second server on the same path is refused while the first lives. */
    isorun_listener *l2 = NULL;
    isorun_error *err = isorun_listen(url, NULL, &l2);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_IO);
    CHECK_STR_CONTAINS(isorun_error_message(err), "another server is listening");
    isorun_error_free(err);
    REQUIRE(!report_error("server listen", isorun_server_listen(server, l)));
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial unix", isorun_transport_dial(url, NULL, &t)));
    int32_t r = 0;
    CHECK(!report_error("add", call_add(t, 7, 8, &r, 0)));
    CHECK_EQ_INT(r, 15);
    isorun_transport_free(t);
}

static void test_dial_errors(void) {
    isorun_transport *t = NULL;
    isorun_error *err = isorun_transport_dial("http://127.0.0.1:80", NULL, &t);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_ARGUMENT);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unknown scheme");
    isorun_error_free(err);
    err = isorun_transport_dial("tcp://127.0.0.1", NULL, &t);
    CHECK_STR_CONTAINS(isorun_error_message(err), "HOST:PORT");
    isorun_error_free(err);
    err = isorun_transport_dial("unix://relative/path", NULL, &t);
    CHECK_STR_CONTAINS(isorun_error_message(err), "absolute");
    isorun_error_free(err);
    /* Port 1 on loopback: nothing listens there. */
    err = isorun_transport_dial("tcp://127.0.0.1:1", NULL, &t);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_IO);
    CHECK_STR_CONTAINS(isorun_error_message(err), "is a server listening there?");
    isorun_error_free(err);
    CHECK(t == NULL);
}

/* Garbage at the listener: the connection is dropped, the server goes on. */
static void test_garbage(void) {
    int fd = raw_connect();
    REQUIRE(fd >= 0);
    uint8_t junk[65536];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)(i * 7 + 3);
    for (int i = 0; i < 16; i++)
        if (send(fd, junk, sizeof junk, MSG_NOSIGNAL) < 0) break;
    CHECK(closed_by_peer(fd));
    close(fd);

    /* A header announcing a 1 GiB body: refused from the header alone. */
    fd = raw_connect();
    REQUIRE(fd >= 0);
    uint8_t header[16] = {0x49, 0x52, 1, 1, 0, 0, 0, 0x40, 1, 0, 0, 0, 0, 0, 0, 0};
    CHECK(send(fd, header, sizeof header, MSG_NOSIGNAL) == 16);
    CHECK(closed_by_peer(fd));
    close(fd);

    /* The server still answers. */
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial", isorun_transport_dial(tcp_url, NULL, &t)));
    int32_t r = 0;
    CHECK(!report_error("add after garbage", call_add(t, 1, 2, &r, 0)));
    CHECK_EQ_INT(r, 3);
    isorun_transport_free(t);
}

/* A well-framed request with a broken body gets an error response, and
 * the connection stays usable; a ping gets a pong. */
static void test_raw_frames(void) {
    int fd = raw_connect();
    REQUIRE(fd >= 0);
    static const uint8_t bad_body[] = {0x49, 0x52, 1, 1, 3, 0, 0, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3};
    CHECK(send(fd, bad_body, sizeof bad_body, MSG_NOSIGNAL) == (ssize_t)sizeof bad_body);
    uint8_t buf[4096];
    ssize_t n = read_frame(fd, buf, sizeof buf);
    REQUIRE(n >= 18);
    CHECK_EQ_INT(buf[3], 2);    /* response */
    CHECK_EQ_INT(buf[8], 0x2a); /* to request 42 */
    CHECK_EQ_INT(buf[16], ISORUN_RPC_MALFORMED_REQUEST);

    static const uint8_t ping[] = {0x49, 0x52, 1, 4, 3, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c'};
    CHECK(send(fd, ping, sizeof ping, MSG_NOSIGNAL) == (ssize_t)sizeof ping);
    n = read_frame(fd, buf, sizeof buf);
    REQUIRE(n == 19);
    CHECK_EQ_INT(buf[3], 5); /* pong */
    CHECK_EQ_INT(buf[8], 9);
    CHECK(memcmp(buf + 16, "abc", 3) == 0);
    close(fd);
}

/* ---- a peer that stalls, a peer that dies ------------------------------ */

typedef struct silent_peer {
    int listen_fd, conn_fd;
    int port;
    pthread_t thread;
} silent_peer;

/* Accepts one connection and never reads from it. */
static void *silent_main(void *p) {
    silent_peer *s = p;
    s->conn_fd = accept(s->listen_fd, NULL, NULL);
    return NULL;
}

static void silent_start(silent_peer *s) {
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    bind(s->listen_fd, (struct sockaddr *)&sa, sizeof sa);
    listen(s->listen_fd, 1);
    socklen_t len = sizeof sa;
    getsockname(s->listen_fd, (struct sockaddr *)&sa, &len);
    s->port = ntohs(sa.sin_port);
    s->conn_fd = -1;
    pthread_create(&s->thread, NULL, silent_main, s);
}

static void test_stalled_peer(void) {
    silent_peer s;
    silent_start(&s);
    char url[64];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", s.port);
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial silent", isorun_transport_dial(url, NULL, &t)));
    pthread_join(s.thread, NULL);
    uint64_t start = now_ns();
    int32_t r;
    isorun_error *err = call_add(t, 1, 2, &r, 300 * 1000000ull);
    double ms = ms_since(start);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_DEADLINE);
    CHECK_STR_CONTAINS(isorun_error_message(err), "did not answer within 300 ms");
    CHECK(ms >= 290 && ms < 1000);
    isorun_error_free(err);

    /* A large frame the peer never reads: the send itself gives up at the
     * deadline instead of blocking for ever. */
    isorun_kind many[1000];
    isorun_val vals[1000];
    for (int i = 0; i < 1000; i++) many[i] = ISORUN_I64, vals[i] = isorun_val_i64(INT64_MIN);
    isorun_functype big = {1000, 0, many, NULL};
    start = now_ns();
    for (int i = 0; i < 400; i++) { /* ~10 kB each: fills the socket buffers */
        err = isorun_transport_call(t, "x", "y", &big, vals, NULL, 100 * 1000000ull);
        CHECK(err != NULL);
        int trap = isorun_error_trap(err);
        isorun_error_free(err);
        if (trap != ISORUN_TRAP_DEADLINE) break;
        if (ms_since(start) > 3000) break;
    }
    CHECK(ms_since(start) < 60000);
    isorun_transport_free(t);
    close(s.conn_fd);
    close(s.listen_fd);
}

/* A relay between a client and the server that the test cuts mid-call. */
typedef struct relay {
    int listen_fd, client_fd, server_fd;
    int port;
    pthread_t thread;
    atomic_int cut;
} relay;

static void *relay_main(void *p) {
    relay *r = p;
    r->client_fd = accept(r->listen_fd, NULL, NULL);
    r->server_fd = raw_connect();
    uint8_t buf[65536];
    while (!atomic_load(&r->cut)) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(r->client_fd, &fds);
        FD_SET(r->server_fd, &fds);
        struct timeval tv = {0, 20000};
        int maxfd = r->client_fd > r->server_fd ? r->client_fd : r->server_fd;
        if (select(maxfd + 1, &fds, NULL, NULL, &tv) <= 0) continue;
        int from = FD_ISSET(r->client_fd, &fds) ? r->client_fd : r->server_fd;
        int to = from == r->client_fd ? r->server_fd : r->client_fd;
        ssize_t n = read(from, buf, sizeof buf);
        if (n <= 0 || send(to, buf, (size_t)n, MSG_NOSIGNAL) != n) break;
    }
    close(r->client_fd);
    close(r->server_fd);
    return NULL;
}

typedef struct spin_call {
    isorun_transport *t;
    isorun_error *err;
    double ms;
} spin_call;

static void *call_spin(void *p) {
    spin_call *c = p;
    uint64_t start = now_ns();
    c->err = isorun_transport_call(c->t, "math-1", "spin", &spin_type, NULL, NULL, 1500 * 1000000ull);
    c->ms = ms_since(start);
    return NULL;
}

static void test_peer_dies_mid_call(void) {
    relay r = {0};
    r.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    bind(r.listen_fd, (struct sockaddr *)&sa, sizeof sa);
    listen(r.listen_fd, 1);
    socklen_t len = sizeof sa;
    getsockname(r.listen_fd, (struct sockaddr *)&sa, &len);
    char url[64];
    snprintf(url, sizeof url, "tcp://127.0.0.1:%d", ntohs(sa.sin_port));
    pthread_create(&r.thread, NULL, relay_main, &r);
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial relay", isorun_transport_dial(url, NULL, &t)));
    spin_call c = {t, NULL, 0};
    pthread_t th;
    pthread_create(&th, NULL, call_spin, &c);
    usleep(200 * 1000);
    atomic_store(&r.cut, 1); /* the connection dies while spin runs */
    pthread_join(th, NULL);
    pthread_join(r.thread, NULL);
    close(r.listen_fd);
    CHECK_EQ_INT(isorun_error_code_of(c.err), ISORUN_ERR_IO);
    CHECK_STR_CONTAINS(isorun_error_message(c.err), "remote unavailable");
    CHECK(c.ms < 1000); /* told at once, not at the deadline */
    isorun_error_free(c.err);
    /* Later calls fail fast too. */
    int32_t out;
    isorun_error *err = call_add(t, 1, 1, &out, 0);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_IO);
    isorun_error_free(err);
    isorun_transport_free(t);
    /* The provider's spin ended at the caller's deadline (it ran under it):
     * the instance is usable again. */
    usleep(1500 * 1000);
    int32_t v = 0;
    CHECK(!report_error("provider after", call_i32(provider, "add", 2, 2, 3, &v)));
    CHECK_EQ_INT(v, 5);
}

/* A long call on a connection does not hold up another call on it: the
 * standby reader takes the reading over. */
typedef struct slow_call {
    isorun_transport *t;
    isorun_error *err;
} slow_call;

static void *spin_for_a_while(void *p) {
    slow_call *c = p;
    c->err = isorun_transport_call(c->t, "math-1", "spin", &spin_type, NULL, NULL, 800 * 1000000ull);
    return NULL;
}

static void test_long_call_does_not_block_the_connection(void) {
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial", isorun_transport_dial(tcp_url, NULL, &t)));
    slow_call c = {t, NULL};
    pthread_t th;
    pthread_create(&th, NULL, spin_for_a_while, &c);
    usleep(100 * 1000); /* math-1 spins now, on the thread that read its request */
    isorun_val args[2] = {isorun_val_i32(2), isorun_val_i32(3)}, res;
    uint64_t start = now_ns();
    CHECK(!report_error("add on math-2", isorun_transport_call(t, "math-2", "add", &add_type, args, &res, 0)));
    double ms = ms_since(start);
    CHECK_EQ_INT(res.of.i32, 5);
    CHECK(ms < 300); /* not after the spin's 800 ms */
    if (ms >= 300) fprintf(stderr, "    add waited %.0f ms behind the spin\n", ms);
    pthread_join(th, NULL);
    CHECK_EQ_INT(isorun_error_trap(c.err), ISORUN_TRAP_DEADLINE);
    isorun_error_free(c.err);
    isorun_transport_free(t);
}

/* ---- an embedder's own transport ------------------------------------------ */

/* Frames over a socketpair, framed with isorun_frame_size: what an embedder
 * writes for a transport isorun does not have. */
typedef struct my_conn {
    int fd;
} my_conn;

static isorun_error *my_send(void *impl, const uint8_t *frame, size_t len, const char *target, uint64_t deadline) {
    (void)target, (void)deadline;
    my_conn *c = impl;
    for (size_t off = 0; off < len;) {
        ssize_t n = send(c->fd, frame + off, len - off, MSG_NOSIGNAL);
        if (n <= 0) return isorun_error_new(ISORUN_ERR_IO, "my transport: send failed");
        off += (size_t)n;
    }
    return NULL;
}

static bool read_all(int fd, uint8_t *p, size_t n) {
    while (n) {
        ssize_t k = read(fd, p, n);
        if (k <= 0) return false;
        p += k, n -= (size_t)k;
    }
    return true;
}

static isorun_error *my_recv(void *impl, uint32_t max_body, uint8_t **frame, size_t *len) {
    my_conn *c = impl;
    uint8_t header[ISORUN_FRAME_HEADER_SIZE];
    if (!read_all(c->fd, header, sizeof header)) return isorun_error_new(ISORUN_ERR_IO, "my transport: closed");
    size_t total;
    isorun_error *err = isorun_frame_size(header, sizeof header, max_body, &total);
    if (err) return err;
    uint8_t *f = malloc(total);
    memcpy(f, header, sizeof header);
    if (!read_all(c->fd, f + sizeof header, total - sizeof header)) {
        free(f);
        return isorun_error_new(ISORUN_ERR_IO, "my transport: closed mid-frame");
    }
    *frame = f;
    *len = total;
    return NULL;
}

static void my_close(void *impl) { shutdown(((my_conn *)impl)->fd, SHUT_RDWR); }
static void my_free(void *impl) {
    close(((my_conn *)impl)->fd);
    free(impl);
}

static const isorun_transport_ops my_ops = {"my-socketpair", my_send, my_recv, my_close, my_free, NULL, NULL};

static void test_embedder_transport(void) {
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    my_conn *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    a->fd = sv[0], b->fd = sv[1];
    isorun_transport *ta = NULL, *tb = NULL;
    REQUIRE(!report_error("new a", isorun_transport_new(&my_ops, a, NULL, &ta)));
    REQUIRE(!report_error("new b", isorun_transport_new(&my_ops, b, NULL, &tb)));
    CHECK(strcmp(isorun_transport_describe(ta), "my-socketpair") == 0);
    REQUIRE(!report_error("attach", isorun_server_attach(server, tb)));
    int32_t r = 0;
    CHECK(!report_error("add", call_add(ta, 100, 23, &r, 0)));
    CHECK_EQ_INT(r, 123);
    /* Without a server on the other end: a clear answer, no hang. */
    isorun_error *err = isorun_transport_call(tb, "math-1", "add", &add_type,
                                              (isorun_val[]){isorun_val_i32(1), isorun_val_i32(2)},
                                              (isorun_val[]){isorun_val_i32(0)}, 0);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_NOT_FOUND);
    CHECK_STR_CONTAINS(isorun_error_message(err), "no server attached");
    isorun_error_free(err);
    isorun_transport_free(ta);
    isorun_transport_free(tb);

    /* Missing ops are refused (and impl freed). */
    static const isorun_transport_ops incomplete = {"bad", my_send, NULL, my_close, my_free, NULL, NULL};
    my_conn *c = malloc(sizeof *c);
    c->fd = dup(0);
    isorun_transport *t = NULL;
    err = isorun_transport_new(&incomplete, c, NULL, &t);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_ARGUMENT);
    isorun_error_free(err);
}

/* ---- shutdown ---------------------------------------------------------------- */

static void test_shutdown_with_call_in_flight(void) {
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial", isorun_transport_dial(tcp_url, NULL, &t)));
    spin_call c = {t, NULL, 0};
    pthread_t th;
    pthread_create(&th, NULL, call_spin, &c);
    usleep(100 * 1000);
    uint64_t start = now_ns();
    isorun_server_free(server); /* grace 200 ms, then the spin is interrupted */
    server = NULL;
    double ms = ms_since(start);
    pthread_join(th, NULL);
    CHECK(ms < 1000);
    /* The caller got an answer: interrupted, not dropped. */
    CHECK_EQ_INT(isorun_error_code_of(c.err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(c.err), ISORUN_TRAP_INTERRUPTED);
    isorun_error_free(c.err);
    /* And the connection is gone now. */
    int32_t r;
    isorun_error *err = call_add(t, 1, 1, &r, 0);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_IO);
    isorun_error_free(err);
    isorun_transport_free(t);
}

int main(void) {
    need_wat_guests();
    signal(SIGPIPE, SIG_IGN);
    RUN(setup);
    if (!server) return check_summary();
    RUN(test_tcp_calls);
    RUN(test_tcp_multiplexing);
    RUN(test_unix);
    RUN(test_dial_errors);
    RUN(test_garbage);
    RUN(test_raw_frames);
    RUN(test_stalled_peer);
    RUN(test_peer_dies_mid_call);
    RUN(test_long_call_does_not_block_the_connection);
    RUN(test_embedder_transport);
    RUN(test_shutdown_with_call_in_flight);
    isorun_server_free(server);
    isorun_instance_free(provider);
    isorun_instance_free(second);
    isorun_runtime_free(rt);
    return check_summary();
}
