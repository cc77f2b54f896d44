/*
 * test_bidirectional_rpc.c — two runtimes that call each other, over a
 * local channel pair and over TCP:
 *
 * (and over one socket connection of an embedder's transport, read by
 * reader threads at both ends):
 *
 *   RA: a (peer -> RB's b-svc), a-svc (peer -> RB's b)
 *   RB: b (peer -> RA's a-svc), b-svc (peer -> RA's a)
 *
 * - both directions at once, from many threads: every call returns its
 *   result;
 * - a chain that comes back to an instance waiting up the chain (a -> b-svc
 *   -> a): reported as a call cycle at once, not after the deadline;
 * - two instances that call into each other while each holds itself (a ->
 *   b-svc while b-svc -> a): both calls end, with results or a deadline
 *   trap, within their deadline;
 * - a chain that goes back and forth without revisiting an instance works.
 */
#include "rpc_test_util.h"

#include <pthread.h>

#define DEADLINE_NS (1000ull * 1000000ull)

typedef struct side {
    isorun_runtime *rt;
    isorun_server *server;
    isorun_transport *out; /* to the other side */
    isorun_instance *caller, *svc;
} side;

static side A, B;

static bool make_instances(side *s, const char *caller_id, const char *svc_id, const char *peer_of_caller,
                           const char *peer_of_svc) {
    isorun_budget budget = {.deadline_ns = DEADLINE_NS};
    test_link to_svc = {"peer", s->out, peer_of_caller, NULL}, to_caller = {"peer", s->out, peer_of_svc, NULL};
    s->caller = make_instance(s->rt, "peer", caller_id, &budget, &to_svc, 1);
    s->svc = make_instance(s->rt, "peer", svc_id, &budget, &to_caller, 1);
    return s->caller && s->svc;
}

static void free_side(side *s) {
    isorun_server_free(s->server);
    isorun_instance_free(s->caller);
    isorun_instance_free(s->svc);
    isorun_transport_free(s->out);
    isorun_runtime_free(s->rt);
    memset(s, 0, sizeof *s);
}

/* Over a local channel pair: each side serves on its end and calls out on
 * it. */
static bool connect_pair(void) {
    if (report_error("pair", isorun_transport_pair(NULL, &A.out, &B.out))) return false;
    return !report_error("attach A", isorun_server_attach(A.server, A.out)) &&
           !report_error("attach B", isorun_server_attach(B.server, B.out));
}

/* Over one connection of an embedder's transport: each side serves on its
 * end and calls out on it; both ends are read by reader threads, so a call
 * that runs on a reader and calls back over the same connection needs the
 * standby reader to read its response. */
static bool connect_socketpair(void) {
    if (!sp_pair(&A.out, &B.out)) return false;
    return !report_error("attach A", isorun_server_attach(A.server, A.out)) &&
           !report_error("attach B", isorun_server_attach(B.server, B.out));
}

/* Over TCP: each side listens, and dials the other. */
static bool connect_tcp(void) {
    isorun_listener *la = NULL, *lb = NULL;
    if (report_error("listen A", isorun_listen("tcp://127.0.0.1:0", NULL, &la))) return false;
    if (report_error("listen B", isorun_listen("tcp://127.0.0.1:0", NULL, &lb))) return false;
    char url_a[300], url_b[300];
    snprintf(url_a, sizeof url_a, "%s", isorun_listener_url(la));
    snprintf(url_b, sizeof url_b, "%s", isorun_listener_url(lb));
    if (report_error("serve A", isorun_server_listen(A.server, la))) return false;
    if (report_error("serve B", isorun_server_listen(B.server, lb))) return false;
    return !report_error("dial B", isorun_transport_dial(url_b, NULL, &A.out)) &&
           !report_error("dial A", isorun_transport_dial(url_a, NULL, &B.out));
}

enum { OVER_PAIR, OVER_TCP, OVER_SOCKETPAIR };

static bool setup_world(int how) {
    if (report_error("runtime A", isorun_runtime_new(NULL, &A.rt)) ||
        report_error("runtime B", isorun_runtime_new(NULL, &B.rt)))
        return false;
    isorun_server_config cfg = {.workers = 8};
    if (report_error("server A", isorun_server_new(A.rt, &cfg, &A.server)) ||
        report_error("server B", isorun_server_new(B.rt, &cfg, &B.server)))
        return false;
    bool connected = how == OVER_TCP ? connect_tcp() : how == OVER_PAIR ? connect_pair() : connect_socketpair();
    if (!connected) return false;
    return make_instances(&A, "a", "a-svc", "b-svc", "b") && make_instances(&B, "b", "b-svc", "a-svc", "a");
}

typedef struct caller_arg {
    isorun_instance *inst;
    int base, failures;
} caller_arg;

static void *call_many(void *p) {
    caller_arg *c = p;
    for (int i = 0; i < 200; i++) {
        int32_t r = 0;
        isorun_error *err = call_i32(c->inst, "call_peer", 1, c->base + i, 0, &r);
        if (err || r != 2 * (c->base + i) + 1) {
            if (err && c->failures == 0) fprintf(stderr, "    call_peer: %s\n", isorun_error_message(err));
            c->failures++;
        }
        isorun_error_free(err);
    }
    return NULL;
}

static void check_both_directions(void) {
    enum { PER_SIDE = 4 };
    pthread_t th[2 * PER_SIDE];
    caller_arg args[2 * PER_SIDE];
    for (int i = 0; i < 2 * PER_SIDE; i++) {
        args[i] = (caller_arg){i % 2 ? B.caller : A.caller, i * 1000, 0};
        REQUIRE(pthread_create(&th[i], NULL, call_many, &args[i]) == 0);
    }
    for (int i = 0; i < 2 * PER_SIDE; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ_INT(args[i].failures, 0);
    }
}

static void check_cycle(void) {
    /* a.ping(1) -> b-svc.ping(0) = 0: back and forth, no instance twice. */
    int32_t r = -1;
    CHECK(!report_error("ping 1", call_i32(A.caller, "ping", 1, 1, 0, &r)));
    CHECK_EQ_INT(r, 1);
    /* a.ping(3) -> b-svc.ping(2) -> a.ping(1): a waits up the chain. */
    uint64_t start = now_ns();
    isorun_error *err = call_i32(A.caller, "ping", 1, 3, 0, &r);
    double ms = ms_since(start);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_STR_CONTAINS(isorun_error_message(err), "call-cycle");
    CHECK(ms < DEADLINE_NS / 1e6 / 2); /* found, not waited out */
    isorun_error_free(err);
    /* Everyone is usable afterwards. */
    CHECK(!report_error("after cycle", call_i32(B.caller, "call_peer", 1, 5, 0, &r)));
    CHECK_EQ_INT(r, 11);
}

typedef struct slow_arg {
    isorun_instance *inst;
    isorun_error *err;
    int32_t result;
    double ms;
} slow_arg;

static void *slow_call(void *p) {
    slow_arg *s = p;
    isorun_val args[2] = {isorun_val_i32(10), isorun_val_i32(3000000)}, res = isorun_val_i32(0);
    uint64_t start = now_ns();
    s->err = isorun_instance_call(s->inst, "slow_call_peer", args, 2, &res, 1);
    s->ms = ms_since(start);
    s->result = res.of.i32;
    return NULL;
}

static void check_lock_order_deadlock(void) {
    /* a holds a and calls b-svc.work; b-svc holds b-svc and calls a.work. */
    slow_arg x = {A.caller, NULL, 0, 0}, y = {B.svc, NULL, 0, 0};
    pthread_t tx, ty;
    REQUIRE(pthread_create(&tx, NULL, slow_call, &x) == 0);
    REQUIRE(pthread_create(&ty, NULL, slow_call, &y) == 0);
    pthread_join(tx, NULL);
    pthread_join(ty, NULL);
    slow_arg *both[2] = {&x, &y};
    if (getenv("VERBOSE")) fprintf(stderr, "    lock-order: %.0f ms (%s), %.0f ms (%s)\n", x.ms, x.err ? isorun_error_message(x.err) : "ok", y.ms, y.err ? isorun_error_message(y.err) : "ok");
    for (int i = 0; i < 2; i++) {
        slow_arg *s = both[i];
        /* Ends within the deadline (plus scheduling slack)... */
        CHECK(s->ms < DEADLINE_NS / 1e6 + 1000);
        /* ...with the result, or a deadline trap. */
        if (s->err) {
            CHECK_EQ_INT(isorun_error_code_of(s->err), ISORUN_ERR_TRAP);
            CHECK_EQ_INT(isorun_error_trap(s->err), ISORUN_TRAP_DEADLINE);
        } else {
            CHECK_EQ_INT(s->result, 21);
        }
        isorun_error_free(s->err);
    }
    /* Both sides work again afterwards. */
    int32_t r = 0;
    CHECK(!report_error("after deadlock", call_i32(A.caller, "call_peer", 1, 2, 0, &r)));
    CHECK_EQ_INT(r, 5);
}

static void test_over_local_pair(void) {
    bool ok = setup_world(OVER_PAIR);
    CHECK(ok);
    if (ok) {
        check_both_directions();
        check_cycle();
        check_lock_order_deadlock();
    }
    free_side(&A);
    free_side(&B);
}

static void test_over_one_socket(void) {
    bool ok = setup_world(OVER_SOCKETPAIR);
    CHECK(ok);
    if (ok) {
        check_both_directions();
        check_cycle();
        check_lock_order_deadlock();
    }
    free_side(&A);
    free_side(&B);
}

static void test_over_tcp(void) {
    bool ok = setup_world(OVER_TCP);
    CHECK(ok);
    if (ok) {
        check_both_directions();
        check_cycle();
        check_lock_order_deadlock();
    }
    free_side(&A);
    free_side(&B);
}

int main(void) {
    need_wat_guests();
    RUN(test_over_local_pair);
    RUN(test_over_tcp);
    RUN(test_over_one_socket);
    return check_summary();
}
