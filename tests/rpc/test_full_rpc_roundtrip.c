/*
 * test_full_rpc_roundtrip.c — two runtimes, a provider served on a listener
 * and a consumer linked to it from the other runtime, end to end over TCP,
 * a Unix socket and NATS (a real nats-server, started here on a random
 * loopback port and stopped by its PID); and a link that outlives its
 * connection: the provider's server goes away and comes back on the same
 * address, and the link dials it again.
 */
#include "rpc_test_util.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ISORUN_NATS_SERVER
#define ISORUN_NATS_SERVER ""
#endif

static isorun_runtime *provider_rt, *consumer_rt;
static isorun_instance *provider;
static isorun_server *server;

static void setup(void) {
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &provider_rt)));
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &consumer_rt)));
    provider = make_instance(provider_rt, "math_provider", "math-1", NULL, NULL, 0);
    REQUIRE(provider);
    REQUIRE(!report_error("server", isorun_server_new(provider_rt, NULL, &server)));
}

/* The same checks over whatever transport t reaches the server through. */
static void roundtrip(isorun_transport *t, const char *what) {
    fprintf(stderr, "  over %s (%s)\n", what, isorun_transport_describe(t));
    test_link link = {"example:math/ops", t, "math-1", NULL};
    isorun_budget budget = {.deadline_ns = 2000 * 1000000ull};
    isorun_instance *c = make_instance(consumer_rt, "math_consumer", NULL, &budget, &link, 1);
    REQUIRE(c);
    int32_t r = 0;
    CHECK(!report_error("run", call_i32(c, "run", 0, 0, 0, &r)));
    CHECK_EQ_INT(r, 42);
    CHECK(!report_error("sum_to", call_i32(c, "sum_to", 1, 200, 0, &r)));
    CHECK_EQ_INT(r, 20100);
    isorun_val args[2] = {isorun_val_i64(INT64_MIN), isorun_val_i64(-1)}, res = isorun_val_i64(0);
    CHECK(!report_error("mul64", isorun_instance_call(c, "mul64", args, 2, &res, 1)));
    CHECK_EQ_U64(res.of.i64, (uint64_t)INT64_MIN);
    args[0] = isorun_val_f64(-0.0), args[1] = isorun_val_f64(-0.0);
    res = isorun_val_f64(1);
    CHECK(!report_error("fadd", isorun_instance_call(c, "fadd", args, 2, &res, 1)));
    CHECK(res.of.f64 == 0 && 1 / res.of.f64 < 0); /* -0 + -0 = -0: the sign survives the wire */
    isorun_error *err = call_i32(c, "div", 2, INT32_MIN, -1, &r);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_INT_OVERFLOW);
    CHECK_STR_CONTAINS(isorun_error_message(err), "remote trap");
    isorun_error_free(err);
    /* The deadline crosses the wire: the provider stops too. */
    uint64_t start = now_ns();
    err = call_void(c, "spin");
    double ms = ms_since(start);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_DEADLINE);
    CHECK(ms > 1900 && ms < 4000);
    isorun_error_free(err);
    CHECK(!report_error("add after spin", call_i32(c, "add", 2, 3, 4, &r)));
    CHECK_EQ_INT(r, 7);
    isorun_instance_free(c);

    /* Nothing is served under "ghost": answered, not waited for. */
    test_link ghost = {"example:math/ops", t, "ghost", NULL};
    c = make_instance(consumer_rt, "math_consumer", NULL, NULL, &ghost, 1);
    REQUIRE(c);
    start = now_ns();
    err = call_i32(c, "run", 0, 0, 0, &r);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unknown-instance");
    CHECK(ms_since(start) < 1000);
    isorun_error_free(err);
    isorun_instance_free(c);
}

static void test_tcp(void) {
    char url[300];
    isorun_transport *t = serve_and_dial(server, "tcp://127.0.0.1:0", url, sizeof url);
    REQUIRE(t);
    roundtrip(t, "tcp");
    isorun_transport_free(t);
}

static void test_unix(void) {
    char url[200];
    snprintf(url, sizeof url, "unix:///tmp/isorun-roundtrip-%d.sock", (int)getpid());
    isorun_listener *l = NULL;
    REQUIRE(!report_error("listen", isorun_listen(url, NULL, &l)));
    REQUIRE(!report_error("serve", isorun_server_listen(server, l)));
    isorun_transport *t = NULL;
    REQUIRE(!report_error("dial", isorun_transport_dial(url, NULL, &t)));
    roundtrip(t, "unix");
    isorun_transport_free(t);
}

/* One call through c: 0 when it returned 3 (add 1 2), else the error's RPC
 * status (ISORUN_RPC_OK when it failed otherwise). */
static int add_status(isorun_instance *c, char *why, size_t why_size) {
    int32_t r = 0;
    isorun_error *err = call_i32(c, "add", 2, 1, 2, &r);
    if (!err) return r == 3 ? 0 : -1;
    snprintf(why, why_size, "%s", isorun_error_message(err));
    int status = (int)isorun_error_rpc_status(err);
    isorun_error_free(err);
    return status ? status : -1;
}

/* The server behind a dialed link goes away and comes back on the same
 * address: the call that finds the connection dead ends unavailable (it is
 * not repeated: it may have run), the next one dials again; while nothing
 * listens, a dial is tried at most once a second and calls in between fail
 * at once; once the server is back, the link works again. The consumer's
 * own server, attached to the dialed connection to serve calls the other
 * way, is attached to the new connection too (and everything is freed: the
 * sanitizer tree checks for leaks). Without such a server the connection has
 * no reader thread (callers read their responses): checked both ways. */
static void redial(bool serve_back) {
    isorun_server *first = NULL, *second = NULL, *back = NULL;
    REQUIRE(!report_error("server", isorun_server_new(provider_rt, NULL, &first)));
    char url[300];
    isorun_transport *t = serve_and_dial(first, "tcp://127.0.0.1:0", url, sizeof url);
    REQUIRE(t);
    if (serve_back) {
        REQUIRE(!report_error("server", isorun_server_new(consumer_rt, NULL, &back)));
        REQUIRE(!report_error("attach", isorun_server_attach(back, t)));
    }
    test_link link = {"example:math/ops", t, "math-1", NULL};
    isorun_instance *c = make_instance(consumer_rt, "math_consumer", NULL, NULL, &link, 1);
    REQUIRE(c);
    char why[512] = "";
    CHECK_EQ_INT(add_status(c, why, sizeof why), 0);

    isorun_server_free(first); /* closes the listener and the connection */
    /* The first call finds the connection dead as it calls, unless the
     * reader thread (there is one: a server is attached) saw it first; then
     * a call dials again, and nothing listens. */
    bool dialed = false;
    for (int i = 0; i < 2 && !dialed; i++) {
        CHECK_EQ_INT(add_status(c, why, sizeof why), ISORUN_RPC_UNAVAILABLE);
        dialed = strstr(why, "dialing") != NULL;
        fprintf(stderr, "  after the server went: %s\n", why);
    }
    CHECK(dialed);
    int status = add_status(c, why, sizeof why);
    CHECK_EQ_INT(status, ISORUN_RPC_UNAVAILABLE);
    CHECK(strstr(why, "dialing") == NULL); /* within the second: no new dial */

    REQUIRE(!report_error("server", isorun_server_new(provider_rt, NULL, &second)));
    isorun_listener *l = NULL;
    REQUIRE(!report_error("listen again", isorun_listen(url, NULL, &l)));
    REQUIRE(!report_error("serve again", isorun_server_listen(second, l)));
    struct timespec pause = {1, 100 * 1000000}; /* past the redial interval */
    nanosleep(&pause, NULL);
    CHECK_EQ_INT(add_status(c, why, sizeof why), 0);
    CHECK_EQ_INT(add_status(c, why, sizeof why), 0); /* and stays on the new connection */

    isorun_instance_free(c);
    isorun_transport_free(t);
    isorun_server_free(back);
    isorun_server_free(second);
}

static void test_redial(void) {
    redial(false);
    redial(true);
}

/* ---- NATS ------------------------------------------------------------------ */

typedef struct nats_server {
    pid_t pid;
    char dir[128];
    char url[128];
} nats_server;

/* Starts nats-server on a random loopback port (-p -1) and reads the port
 * from the file it writes into dir. */
static bool nats_start(nats_server *n) {
    snprintf(n->dir, sizeof n->dir, "/tmp/isorun-nats-%d", (int)getpid());
    mkdir(n->dir, 0700);
    n->pid = fork();
    if (n->pid == 0) {
        /* If this test dies, the server goes with it. */
        prctl(PR_SET_PDEATHSIG, SIGINT);
        char log[200];
        snprintf(log, sizeof log, "%s/nats.log", n->dir);
        freopen(log, "w", stdout);
        freopen(log, "a", stderr);
        execl(ISORUN_NATS_SERVER, "nats-server", "-a", "127.0.0.1", "-p", "-1", "--ports_file_dir", n->dir,
              (char *)NULL);
        _exit(127);
    }
    if (n->pid < 0) return false;
    char ports[300];
    snprintf(ports, sizeof ports, "%s/nats-server_%d.ports", n->dir, (int)n->pid);
    for (int i = 0; i < 100; i++) {
        FILE *f = fopen(ports, "r");
        if (f) {
            char buf[512] = "";
            size_t len = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[len] = 0;
            char *u = strstr(buf, "nats://");
            char *end = u ? strchr(u, '"') : NULL;
            if (u && end && end - u < (long)sizeof n->url) {
                memcpy(n->url, u, (size_t)(end - u));
                n->url[end - u] = 0;
                return true;
            }
        }
        usleep(50 * 1000);
    }
    return false;
}

static void nats_stop(nats_server *n) {
    if (n->pid <= 0) return;
    kill(n->pid, SIGINT);
    int status = 0;
    waitpid(n->pid, &status, 0);
    char path[300];
    snprintf(path, sizeof path, "%s/nats.log", n->dir);
    unlink(path);
    rmdir(n->dir);
    n->pid = 0;
}

static void test_nats(void) {
    if (!ISORUN_NATS_SERVER[0] || access(ISORUN_NATS_SERVER, X_OK) != 0) {
        fprintf(stderr, "  NATS part skipped: no nats-server (apt-get install nats-server)\n");
        return;
    }
    isorun_listener *probe = NULL;
    isorun_error *err = isorun_listen("nats://127.0.0.1:1", NULL, &probe);
    bool built_without = err && strstr(isorun_error_message(err), "no NATS support");
    isorun_error_free(err);
    isorun_listener_free(probe);
    if (built_without) {
        fprintf(stderr, "  NATS part skipped: built with ISORUN_NATS=OFF\n");
        return;
    }
    nats_server n = {0};
    REQUIRE(nats_start(&n));
    isorun_listener *l = NULL;
    if (!report_error("listen nats", isorun_listen(n.url, NULL, &l)) &&
        !report_error("serve nats", isorun_server_listen(server, l))) {
        /* The server subscribes to the ids of its registry in the
         * background; wait until math-1 answers. */
        isorun_transport *t = NULL;
        if (!report_error("dial nats", isorun_transport_dial(n.url, NULL, &t))) {
            isorun_kind kinds[] = {ISORUN_I32, ISORUN_I32};
            isorun_functype type = {2, 1, kinds, kinds};
            isorun_val args[2] = {isorun_val_i32(1), isorun_val_i32(1)}, res;
            bool up = false;
            for (int i = 0; i < 100 && !up; i++) {
                isorun_error *e = isorun_transport_call(t, "math-1", "add", &type, args, &res, 1000000000ull);
                up = e == NULL;
                isorun_error_free(e);
                if (!up) usleep(20 * 1000);
            }
            CHECK(up);
            if (up) roundtrip(t, "nats");
            /* An instance registered after serving started is served too. */
            isorun_instance *late = make_instance(provider_rt, "math_provider", "late id.with dots", NULL, NULL, 0);
            CHECK(late != NULL);
            bool served = false;
            for (int i = 0; i < 100 && late && !served; i++) {
                isorun_error *e = isorun_transport_call(t, "late id.with dots", "add", &type, args, &res, 1000000000ull);
                served = e == NULL && res.of.i32 == 2;
                isorun_error_free(e);
                if (!served) usleep(20 * 1000);
            }
            CHECK(served);
            isorun_instance_free(late);
            isorun_transport_free(t);
        }
    }
    /* The NATS listener is freed with the server, before nats-server stops. */
    isorun_server_free(server);
    server = NULL;
    nats_stop(&n);
}

int main(void) {
    need_wat_guests();
    signal(SIGPIPE, SIG_IGN);
    RUN(setup);
    if (!server) return check_summary();
    RUN(test_tcp);
    RUN(test_unix);
    RUN(test_redial);
    RUN(test_nats);
    isorun_server_free(server);
    isorun_instance_free(provider);
    isorun_runtime_free(provider_rt);
    isorun_runtime_free(consumer_rt);
    return check_summary();
}
