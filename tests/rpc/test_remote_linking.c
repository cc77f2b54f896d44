/*
 * test_remote_linking.c — a consumer instance whose "example:math/ops"
 * imports are linked to a math provider in another runtime, over a local
 * channel pair: results of every core type, remote traps and budgets as the
 * consumer sees them, deadlines, missing and mismatched functions, many
 * threads sharing one transport, a closed transport.
 */
#include "rpc_test_util.h"

#include <pthread.h>

typedef struct world {
    isorun_runtime *provider_rt, *consumer_rt;
    isorun_transport *consumer_end, *provider_end;
    isorun_server *server;
    isorun_instance *provider, *fuel_provider;
} world;

static world w;

static void setup(void) {
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &w.provider_rt)));
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &w.consumer_rt)));
    w.provider = make_instance(w.provider_rt, "math_provider", "math-1", NULL, NULL, 0);
    REQUIRE(w.provider);
    isorun_budget fuel = {.fuel = 100000};
    w.fuel_provider = make_instance(w.provider_rt, "math_provider", "math-fuel", &fuel, NULL, 0);
    REQUIRE(w.fuel_provider);
    REQUIRE(!report_error("pair", isorun_transport_pair(NULL, &w.consumer_end, &w.provider_end)));
    REQUIRE(!report_error("server", isorun_server_new(w.provider_rt, NULL, &w.server)));
    REQUIRE(!report_error("attach", isorun_server_attach(w.server, w.provider_end)));
}

static void teardown(void) {
    isorun_server_free(w.server);
    isorun_transport_free(w.consumer_end);
    isorun_transport_free(w.provider_end);
    isorun_instance_free(w.provider);
    isorun_instance_free(w.fuel_provider);
    isorun_runtime_free(w.provider_rt);
    isorun_runtime_free(w.consumer_rt);
}

static isorun_instance *consumer_of(const char *remote_id, const isorun_budget *budget) {
    test_link link = {"example:math/ops", w.consumer_end, remote_id, NULL};
    return make_instance(w.consumer_rt, "math_consumer", NULL, budget, &link, 1);
}

static void test_results_of_every_core_type(void) {
    isorun_instance *c = consumer_of("math-1", NULL);
    REQUIRE(c);
    int32_t r = 0;
    CHECK(!report_error("run", call_i32(c, "run", 0, 0, 0, &r)));
    CHECK_EQ_INT(r, 42);
    CHECK(!report_error("add", call_i32(c, "add", 2, INT32_MAX, 1, &r)));
    CHECK_EQ_INT(r, INT32_MIN);
    CHECK(!report_error("div", call_i32(c, "div", 2, -7, 2, &r)));
    CHECK_EQ_INT(r, -3);

    isorun_val args[2] = {isorun_val_i64(-3000000000LL), isorun_val_i64(3)}, res = isorun_val_i64(0);
    CHECK(!report_error("mul64", isorun_instance_call(c, "mul64", args, 2, &res, 1)));
    CHECK_EQ_U64(res.of.i64, (uint64_t)-9000000000LL);
    args[0] = isorun_val_f64(0.1), args[1] = isorun_val_f64(0.2);
    res = isorun_val_f64(0);
    CHECK(!report_error("fadd", isorun_instance_call(c, "fadd", args, 2, &res, 1)));
    CHECK(res.kind == ISORUN_F64 && res.of.f64 == 0.1 + 0.2);

    /* 1000 remote calls inside one guest call. */
    CHECK(!report_error("sum_to", call_i32(c, "sum_to", 1, 1000, 0, &r)));
    CHECK_EQ_INT(r, 500500);
    /* The provider counted them. */
    int32_t calls = 0;
    CHECK(!report_error("calls", call_i32(w.provider, "calls", 0, 0, 0, &calls)));
    CHECK(calls >= 1002);
    isorun_usage u;
    isorun_instance_usage(w.provider, &u);
    CHECK(u.calls >= 1004);
    isorun_instance_free(c);
}

static void test_remote_trap(void) {
    isorun_instance *c = consumer_of("math-1", NULL);
    REQUIRE(c);
    isorun_error *err = call_i32(c, "div", 2, 1, 0, NULL);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_DIV_BY_ZERO);
    CHECK_STR_CONTAINS(isorun_error_message(err), "remote trap");
    CHECK_STR_CONTAINS(isorun_error_message(err), "math-1");
    isorun_error_free(err);
    /* Both instances stay usable. */
    int32_t r = 0;
    CHECK(!report_error("div after trap", call_i32(c, "div", 2, 9, 3, &r)));
    CHECK_EQ_INT(r, 3);
    isorun_instance_free(c);
}

static void test_provider_budget(void) {
    isorun_instance *c = consumer_of("math-fuel", NULL);
    REQUIRE(c);
    int32_t r = 0;
    CHECK(!report_error("small count", call_i32(c, "count", 1, 100, 0, &r)));
    CHECK_EQ_INT(r, 100);
    isorun_error *err = call_i32(c, "count", 1, 100000000, 0, &r);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_OUT_OF_FUEL);
    CHECK_STR_CONTAINS(isorun_error_message(err), "budget-exceeded");
    isorun_error_free(err);
    isorun_instance_free(c);
}

/* The consumer's deadline bounds the remote call: the provider is stopped
 * by it too (it runs under the caller's deadline). */
static void test_deadline(void) {
    isorun_budget budget = {.deadline_ns = 200 * 1000000ull};
    isorun_instance *c = consumer_of("math-1", &budget);
    REQUIRE(c);
    uint64_t start = now_ns();
    isorun_error *err = call_void(c, "spin");
    double ms = ms_since(start);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_DEADLINE);
    CHECK_EQ_INT(isorun_error_rpc_status(err), ISORUN_RPC_DEADLINE_EXCEEDED);
    CHECK(ms >= 150 && ms < 1500);
    if (!(ms < 1500)) fprintf(stderr, "    spin ended after %.0f ms\n", ms);
    isorun_error_free(err);
    /* The provider is free again. */
    int32_t r = 0;
    CHECK(!report_error("add after spin", call_i32(c, "add", 2, 1, 2, &r)));
    CHECK_EQ_INT(r, 3);
    isorun_instance_free(c);
}

static void test_unknown_and_mismatched(void) {
    /* Nothing is registered as "nope": linking works (the peer is only
     * asked at call time), calling fails with unknown-instance. */
    isorun_instance *c = consumer_of("nope", NULL);
    REQUIRE(c);
    isorun_error *err = call_i32(c, "run", 0, 0, 0, NULL);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_HOST);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unknown-instance");
    /* The status survives the failure becoming the guest's trap. */
    CHECK_EQ_INT(isorun_error_rpc_status(err), ISORUN_RPC_UNKNOWN_INSTANCE);
    CHECK_STR_CONTAINS(isorun_error_message(err), "nope");
    isorun_error_free(err);
    isorun_instance_free(c);

    test_link link = {"example:math/ops", w.consumer_end, "math-1", NULL};
    isorun_instance *m = make_instance(w.consumer_rt, "math_mismatch", NULL, NULL, &link, 1);
    REQUIRE(m);
    isorun_val args[2] = {isorun_val_i64(1), isorun_val_i64(2)}, res = isorun_val_i64(0);
    err = isorun_instance_call(m, "add", args, 2, &res, 1);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_STR_CONTAINS(isorun_error_message(err), "type-mismatch");
    CHECK_STR_CONTAINS(isorun_error_message(err), "func(i32,i32)->(i32)");
    CHECK_EQ_INT(isorun_error_rpc_status(err), ISORUN_RPC_TYPE_MISMATCH);
    isorun_error_free(err);
    int32_t r;
    err = call_i32(m, "missing", 0, 0, 0, &r);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unknown-function");
    CHECK_EQ_INT(isorun_error_rpc_status(err), ISORUN_RPC_UNKNOWN_FUNCTION);
    isorun_error_free(err);
    /* Errors that are not a remote call's: no status. */
    err = isorun_error_new(ISORUN_ERR_IO, "local");
    CHECK_EQ_INT(isorun_error_rpc_status(err), ISORUN_RPC_OK);
    isorun_error_free(err);
    CHECK_EQ_INT(isorun_error_rpc_status(NULL), ISORUN_RPC_OK);
    isorun_instance_free(m);

    /* A module with no import from the linked module is told so. */
    isorun_module *pm = load_guest(w.consumer_rt, "math_provider");
    REQUIRE(pm);
    isorun_builder *b = isorun_builder_new(w.consumer_rt, pm);
    err = isorun_builder_link_remote(b, "example:math/ops", w.consumer_end, "math-1");
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_ARGUMENT);
    CHECK_STR_CONTAINS(isorun_error_message(err), "imports no function");
    isorun_error_free(err);
    isorun_builder_free(b);
    isorun_module_free(pm);
}

static void test_host_call(void) {
    isorun_kind params[] = {ISORUN_I32, ISORUN_I32}, results[] = {ISORUN_I32};
    isorun_functype type = {2, 1, params, results};
    isorun_val args[2] = {isorun_val_i32(20), isorun_val_i32(22)}, res;
    CHECK(!report_error("host call", isorun_transport_call(w.consumer_end, "math-1", "add", &type, args, &res, 0)));
    CHECK_EQ_INT(res.of.i32, 42);
    /* The wrong type from the host side, too. */
    isorun_kind wrong[] = {ISORUN_F32, ISORUN_I32};
    isorun_functype wrong_type = {2, 1, wrong, results};
    args[0] = isorun_val_f32(1.0f);
    isorun_error *err = isorun_transport_call(w.consumer_end, "math-1", "add", &wrong_type, args, &res, 0);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TYPE_MISMATCH);
    CHECK_STR_CONTAINS(isorun_error_message(err), "remote type-mismatch");
    isorun_error_free(err);
}

typedef struct worker_arg {
    int index;
    int failures;
} worker_arg;

static void *hammer(void *arg) {
    worker_arg *a = arg;
    isorun_instance *c = consumer_of("math-1", NULL);
    if (!c) {
        a->failures = 1;
        return NULL;
    }
    for (int i = 0; i < 2000; i++) {
        int32_t r = 0;
        isorun_error *err = call_i32(c, "add", 2, a->index * 100000, i, &r);
        if (err || r != a->index * 100000 + i) a->failures++;
        isorun_error_free(err);
    }
    isorun_instance_free(c);
    return NULL;
}

static void test_many_threads_one_transport(void) {
    enum { N = 8 };
    pthread_t threads[N];
    worker_arg args[N];
    for (int i = 0; i < N; i++) {
        args[i] = (worker_arg){i, 0};
        REQUIRE(pthread_create(&threads[i], NULL, hammer, &args[i]) == 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        CHECK_EQ_INT(args[i].failures, 0);
    }
}

/* Last: the provider's end goes away; calls fail at once with
 * "unavailable", they do not wait for a deadline. */
static void test_closed_transport(void) {
    isorun_instance *c = consumer_of("math-1", NULL);
    REQUIRE(c);
    isorun_transport_close(w.provider_end);
    uint64_t start = now_ns();
    isorun_error *err = call_i32(c, "run", 0, 0, 0, NULL);
    CHECK(ms_since(start) < 100);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unavailable");
    CHECK_EQ_INT(isorun_error_rpc_status(err), ISORUN_RPC_UNAVAILABLE);
    isorun_error_free(err);
    isorun_instance_free(c);
}

int main(void) {
    need_wat_guests();
    RUN(setup);
    if (!w.server) return check_summary();
    RUN(test_results_of_every_core_type);
    RUN(test_remote_trap);
    RUN(test_provider_budget);
    RUN(test_deadline);
    RUN(test_unknown_and_mismatched);
    RUN(test_host_call);
    RUN(test_many_threads_one_transport);
    RUN(test_closed_transport);
    teardown();
    return check_summary();
}
