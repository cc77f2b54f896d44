/*
 * bench_rpc.c — remote-call speed: add(i32, i32) -> i32 of an instance in
 * another runtime, called from the host (isorun_transport_call) over
 *
 *   local channel   isorun_transport_pair (runs on the caller's thread)
 *   unix            a Unix socket, served by an isorun_server
 *   tcp             TCP loopback, the same
 *   nats            through a nats-server on loopback (started here when
 *                   one is installed and the build has ISORUN_NATS)
 *
 * and, in the same run, a raw ping-pong of exactly the same request and
 * response bytes over a Unix socket and over TCP loopback between two plain
 * threads: the floor a transport could reach.
 *
 * For each: round-trip latency (median, p99) of one caller, and throughput
 * (calls/s) with 1 and with 16 callers sharing the one connection.
 * Targets (issue 5): tcp round trip <= 2x the raw TCP ping-pong; local
 * channel <= 5 us.
 *
 *   bench_rpc [GUEST_DIR]        (GUEST_DIR holds math_provider.wasm)
 */
#include "isorun.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef ISORUN_GUEST_DIR
#define ISORUN_GUEST_DIR "."
#endif
#ifndef ISORUN_NATS_SERVER
#define ISORUN_NATS_SERVER ""
#endif

enum { LATENCY_CALLS = 20000, WARMUP_CALLS = 2000, MANY = 16 };
#define THROUGHPUT_NS (1500ull * 1000000ull)

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void die(const char *what, isorun_error *err) {
    fprintf(stderr, "bench_rpc: %s: %s\n", what, err ? isorun_error_message(err) : "failed");
    exit(1);
}

typedef struct result {
    double median_us, p99_us, rate1, rate16;
} result;

/* ---- one "call" abstraction for both the library and the raw sockets ---- */

typedef struct caller caller;
struct caller {
    bool (*call)(caller *c, uint32_t a, uint32_t b);
    isorun_transport *t; /* library */
    int fd;              /* raw */
};

static isorun_kind add_kinds[] = {ISORUN_I32, ISORUN_I32};
static const isorun_functype add_type = {2, 1, add_kinds, add_kinds};

static bool library_call(caller *c, uint32_t a, uint32_t b) {
    isorun_val args[2] = {isorun_val_i32((int32_t)a), isorun_val_i32((int32_t)b)}, res;
    isorun_error *err = isorun_transport_call(c->t, "math-1", "add", &add_type, args, &res, 0);
    if (err) {
        fprintf(stderr, "bench_rpc: call failed: %s\n", isorun_error_message(err));
        isorun_error_free(err);
        return false;
    }
    return (uint32_t)res.of.i32 == a + b;
}

/* The bytes of one add(7, 35) request and its response, as the library
 * sends them (protocol.md): the raw ping-pong moves exactly these. */
static uint8_t raw_request[64], raw_response[32];
static size_t raw_request_len, raw_response_len;

static void make_raw_frames(void) {
    uint8_t *p = raw_request;
    static const uint8_t header[] = {0x49, 0x52, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    memcpy(p, header, 16), p += 16;
    static const uint8_t deadline[8] = {0x00, 0xac, 0x23, 0xfc, 0x06, 0, 0, 0}; /* 30 s */
    memcpy(p, deadline, 8), p += 8;
    static const uint8_t fp[8] = {0x42, 0xec, 0x0c, 0xe7, 0x35, 0x78, 0xcb, 0xac};
    memcpy(p, fp, 8), p += 8;
    memcpy(p, "\x06math-1\x03" "add\x00\x07\x23", 14), p += 14;
    raw_request_len = (size_t)(p - raw_request);
    raw_request[4] = (uint8_t)(raw_request_len - 16);
    static const uint8_t response[] = {0x49, 0x52, 1, 2, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 42};
    memcpy(raw_response, response, sizeof response);
    raw_response_len = sizeof response;
}

static bool read_exact(int fd, uint8_t *buf, size_t n) {
    while (n) {
        ssize_t k = read(fd, buf, n);
        if (k <= 0) return false;
        buf += k, n -= (size_t)k;
    }
    return true;
}

static bool raw_call(caller *c, uint32_t a, uint32_t b) {
    (void)a, (void)b;
    uint8_t buf[64];
    return write(c->fd, raw_request, raw_request_len) == (ssize_t)raw_request_len &&
           read_exact(c->fd, buf, raw_response_len);
}

/* The raw server: one thread per connection echoing the response. */
static void *raw_serve_conn(void *arg) {
    int fd = (int)(intptr_t)arg;
    uint8_t buf[64];
    while (read_exact(fd, buf, raw_request_len))
        if (write(fd, raw_response, raw_response_len) != (ssize_t)raw_response_len) break;
    close(fd);
    return NULL;
}

static void *raw_accept_loop(void *arg) {
    int lfd = (int)(intptr_t)arg;
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) return NULL;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pthread_t t;
        pthread_create(&t, NULL, raw_serve_conn, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
}

/* A raw listener (TCP on loopback, or Unix at path); returns its fd and
 * fills the address to connect to. */
static int raw_listen(bool tcp, const char *path, struct sockaddr_storage *addr, socklen_t *addrlen) {
    int lfd;
    if (tcp) {
        struct sockaddr_in sa = {.sin_family = AF_INET};
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
        lfd = socket(AF_INET, SOCK_STREAM, 0);
        bind(lfd, (struct sockaddr *)&sa, sizeof sa);
        socklen_t len = sizeof sa;
        getsockname(lfd, (struct sockaddr *)&sa, &len);
        memcpy(addr, &sa, sizeof sa);
        *addrlen = sizeof sa;
    } else {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
        unlink(path);
        lfd = socket(AF_UNIX, SOCK_STREAM, 0);
        bind(lfd, (struct sockaddr *)&sa, sizeof sa);
        memcpy(addr, &sa, sizeof sa);
        *addrlen = sizeof sa;
    }
    listen(lfd, 64);
    pthread_t t;
    pthread_create(&t, NULL, raw_accept_loop, (void *)(intptr_t)lfd);
    pthread_detach(t);
    return lfd;
}

static int raw_connect(const struct sockaddr_storage *addr, socklen_t len) {
    int fd = socket(addr->ss_family, SOCK_STREAM, 0);
    if (connect(fd, (const struct sockaddr *)addr, len) != 0) return -1;
    int one = 1;
    if (addr->ss_family == AF_INET) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* ---- measuring ------------------------------------------------------------ */

static void latency(caller *c, result *r) {
    static uint64_t samples[LATENCY_CALLS];
    for (int i = 0; i < WARMUP_CALLS; i++)
        if (!c->call(c, 7, 35)) die("warm-up call", NULL);
    for (int i = 0; i < LATENCY_CALLS; i++) {
        uint64_t start = now_ns();
        if (!c->call(c, (uint32_t)i, 35)) die("call", NULL);
        samples[i] = now_ns() - start;
    }
    qsort(samples, LATENCY_CALLS, sizeof samples[0], compare_u64);
    r->median_us = samples[LATENCY_CALLS / 2] / 1000.0;
    r->p99_us = samples[LATENCY_CALLS * 99 / 100] / 1000.0;
}

typedef struct worker {
    caller c;
    atomic_bool *stop;
    uint64_t calls;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    uint32_t i = 0;
    while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
        if (!w->c.call(&w->c, i++, 1)) die("call", NULL);
        w->calls++;
    }
    return NULL;
}

/* Calls/s of n callers for THROUGHPUT_NS. make(i) gives caller i. */
static double throughput(int n, caller (*make)(void *ctx, int i), void *ctx) {
    worker w[MANY];
    pthread_t th[MANY];
    atomic_bool stop = false;
    for (int i = 0; i < n; i++) {
        w[i] = (worker){make(ctx, i), &stop, 0};
        pthread_create(&th[i], NULL, work, &w[i]);
    }
    uint64_t start = now_ns();
    struct timespec pause = {(time_t)(THROUGHPUT_NS / 1000000000u), (long)(THROUGHPUT_NS % 1000000000u)};
    nanosleep(&pause, NULL);
    atomic_store(&stop, true);
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        total += w[i].calls;
    }
    return total / ((now_ns() - start) / 1e9);
}

/* Library callers all share one transport (the point of multiplexing). */
static caller library_caller(void *ctx, int i) {
    (void)i;
    return (caller){library_call, ctx, -1};
}

static result bench_library(isorun_transport *t) {
    result r;
    caller c = {library_call, t, -1};
    latency(&c, &r);
    r.rate1 = throughput(1, library_caller, t);
    r.rate16 = throughput(MANY, library_caller, t);
    return r;
}

/* A raw socket carries one call at a time, so each raw caller gets its own
 * connection (as generous to the floor as it gets). */
typedef struct raw_ctx {
    struct sockaddr_storage addr;
    socklen_t len;
    int fds[MANY];
} raw_ctx;

static caller raw_caller(void *ctx, int i) {
    raw_ctx *rc = ctx;
    if (rc->fds[i] < 0) rc->fds[i] = raw_connect(&rc->addr, rc->len);
    return (caller){raw_call, NULL, rc->fds[i]};
}

static result bench_raw(bool tcp, const char *path) {
    raw_ctx rc;
    for (int i = 0; i < MANY; i++) rc.fds[i] = -1;
    int lfd = raw_listen(tcp, path, &rc.addr, &rc.len);
    result r;
    caller c = raw_caller(&rc, 0);
    if (c.fd < 0) die("raw connect", NULL);
    latency(&c, &r);
    r.rate1 = throughput(1, raw_caller, &rc);
    r.rate16 = throughput(MANY, raw_caller, &rc);
    for (int i = 0; i < MANY; i++)
        if (rc.fds[i] >= 0) close(rc.fds[i]);
    shutdown(lfd, SHUT_RDWR);
    close(lfd);
    return r;
}

/* ---- NATS ----------------------------------------------------------------- */

static pid_t nats_pid;
static char nats_dir[64];

static bool nats_start(char *url, size_t size) {
    if (!ISORUN_NATS_SERVER[0] || access(ISORUN_NATS_SERVER, X_OK) != 0) return false;
    snprintf(nats_dir, sizeof nats_dir, "/tmp/isorun-bench-nats-%d", (int)getpid());
    mkdir(nats_dir, 0700);
    nats_pid = fork();
    if (nats_pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGINT);
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
        execl(ISORUN_NATS_SERVER, "nats-server", "-a", "127.0.0.1", "-p", "-1", "--ports_file_dir", nats_dir,
              (char *)NULL);
        _exit(127);
    }
    char ports[128];
    snprintf(ports, sizeof ports, "%s/nats-server_%d.ports", nats_dir, (int)nats_pid);
    for (int i = 0; i < 100; i++) {
        FILE *f = fopen(ports, "r");
        if (f) {
            char buf[256] = "";
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[n] = 0;
            char *u = strstr(buf, "nats://"), *end = u ? strchr(u, '"') : NULL;
            if (u && end && (size_t)(end - u) < size) {
                memcpy(url, u, (size_t)(end - u));
                url[end - u] = 0;
                return true;
            }
        }
        usleep(50000);
    }
    return false;
}

static void nats_stop(void) {
    if (nats_pid <= 0) return;
    kill(nats_pid, SIGINT);
    waitpid(nats_pid, NULL, 0);
    char ports[128];
    snprintf(ports, sizeof ports, "%s/nats-server_%d.ports", nats_dir, (int)nats_pid);
    unlink(ports);
    rmdir(nats_dir);
}

/* ---- main ------------------------------------------------------------------ */

static void print_row(const char *name, const result *r) {
    printf("| %-26s | %8.1f | %8.1f | %10.0f | %10.0f |\n", name, r->median_us, r->p99_us, r->rate1, r->rate16);
    fflush(stdout);
}

int main(int argc, char **argv) {
    const char *guests = argc > 1 ? argv[1] : ISORUN_GUEST_DIR;
    signal(SIGPIPE, SIG_IGN);
    make_raw_frames();
    isorun_runtime *rt = NULL;
    isorun_error *err = isorun_runtime_new(NULL, &rt);
    if (err) die("runtime", err);
    char path[1024];
    snprintf(path, sizeof path, "%s/math_provider.wasm", guests);
    isorun_module *m = NULL;
    if ((err = isorun_module_load_file(rt, path, &m))) die(path, err);
    isorun_builder *b = isorun_builder_new(rt, m);
    isorun_instance *provider = NULL;
    if ((err = isorun_builder_set_id(b, "math-1")) || (err = isorun_builder_instantiate(b, &provider)))
        die("provider", err);
    isorun_builder_free(b);
    isorun_module_free(m);
    isorun_server *server = NULL;
    if ((err = isorun_server_new(rt, NULL, &server))) die("server", err);

    printf("add(i32, i32) -> i32 from the host; %d calls for latency, %.1f s per throughput run\n\n",
           LATENCY_CALLS, THROUGHPUT_NS / 1e9);
    printf("| %-26s | %8s | %8s | %10s | %10s |\n", "transport", "median us", "p99 us", "calls/s x1",
           "calls/s x16");
    printf("|%s|%s|%s|%s|%s|\n", "----------------------------", "----------", "----------", "------------",
           "------------");

    /* Local channel pair. */
    isorun_transport *a = NULL, *z = NULL;
    if ((err = isorun_transport_pair(NULL, &a, &z)) || (err = isorun_server_attach(server, z))) die("pair", err);
    result local = bench_library(a);
    print_row("local channel", &local);

    /* Unix socket: raw floor, then isorun. */
    char sock[128];
    snprintf(sock, sizeof sock, "/tmp/isorun-bench-raw-%d.sock", (int)getpid());
    result raw_unix = bench_raw(false, sock);
    unlink(sock);
    print_row("raw unix ping-pong", &raw_unix);
    char url[200];
    snprintf(url, sizeof url, "unix:///tmp/isorun-bench-%d.sock", (int)getpid());
    isorun_listener *l = NULL;
    isorun_transport *t = NULL;
    if ((err = isorun_listen(url, NULL, &l)) || (err = isorun_server_listen(server, l)) ||
        (err = isorun_transport_dial(url, NULL, &t)))
        die(url, err);
    result unix_r = bench_library(t);
    isorun_transport_free(t);
    print_row("unix", &unix_r);

    /* TCP loopback. */
    result raw_tcp = bench_raw(true, NULL);
    print_row("raw tcp ping-pong", &raw_tcp);
    if ((err = isorun_listen("tcp://127.0.0.1:0", NULL, &l))) die("listen tcp", err);
    snprintf(url, sizeof url, "%s", isorun_listener_url(l));
    if ((err = isorun_server_listen(server, l)) || (err = isorun_transport_dial(url, NULL, &t))) die(url, err);
    result tcp = bench_library(t);
    isorun_transport_free(t);
    print_row("tcp", &tcp);

    /* NATS. */
    char nats_url[128];
    bool have_nats = nats_start(nats_url, sizeof nats_url);
    if (have_nats) {
        if ((err = isorun_listen(nats_url, NULL, &l))) {
            printf("| %-26s | %s\n", "nats", isorun_error_message(err));
            isorun_error_free(err);
        } else if ((err = isorun_server_listen(server, l)) || (err = isorun_transport_dial(nats_url, NULL, &t))) {
            die(nats_url, err);
        } else {
            isorun_val args[2] = {isorun_val_i32(1), isorun_val_i32(1)}, res;
            for (int i = 0; i < 200; i++) { /* until the server has subscribed */
                err = isorun_transport_call(t, "math-1", "add", &add_type, args, &res, 1000000000ull);
                if (!err) break;
                isorun_error_free(err);
                usleep(10000);
            }
            result nats = bench_library(t);
            isorun_transport_free(t);
            print_row("nats (via nats-server)", &nats);
        }
    } else {
        printf("| %-26s | skipped: no nats-server installed\n", "nats");
    }

    printf("\ntargets: tcp median / raw tcp median = %.2f (<= 2); local channel median = %.2f us (<= 5)\n",
           tcp.median_us / raw_tcp.median_us, local.median_us);
    isorun_transport_free(a);
    isorun_transport_free(z);
    isorun_server_free(server);
    nats_stop();
    isorun_instance_free(provider);
    isorun_runtime_free(rt);
    return 0;
}
