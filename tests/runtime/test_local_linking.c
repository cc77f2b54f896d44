/*
 * test_local_linking.c — a consumer guest calls a provider guest's math
 * functions directly through isorun_builder_link_local: results, i64 values,
 * traps and fuel exhaustion in the provider (named in the error, provider
 * usable afterwards), the consumer's reference keeping the provider alive,
 * type errors at instantiation naming both sides, an A -> B -> A round trip
 * that re-enters A on the same thread, a busy provider bounded by the
 * caller's deadline, a host function's nested call into another
 * instance (isorun_call_instance_call) bounded like a link, and v128 values
 * crossing links (references may not).
 */
#include "rt_helpers.h"
#include "interrupter.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#define MATH "example:math/ops"

/* A provider instance of rt_math, registered as id (may be NULL). */
static isorun_instance *provider_new(isorun_runtime *rt, isorun_module *m, const char *id,
                                     const isorun_budget *budget) {
    isorun_builder *b = isorun_builder_new(rt, m);
    REQUIRE(b);
    if (id) REQUIRE_OK(isorun_builder_set_id(b, id));
    isorun_builder_set_budget(b, budget);
    isorun_instance *p = NULL;
    isorun_error *err = isorun_builder_instantiate(b, &p);
    isorun_builder_free(b);
    REQUIRE_OK(err);
    return p;
}

/* Instantiates consumer module cm linked to provider; returns the error. */
static isorun_error *consumer_new(isorun_runtime *rt, isorun_module *cm, isorun_instance *provider,
                                  const isorun_budget *budget, isorun_instance **out) {
    isorun_builder *b = isorun_builder_new(rt, cm);
    REQUIRE(b);
    isorun_error *err = isorun_builder_link_local(b, MATH, provider);
    isorun_builder_set_budget(b, budget);
    if (!err) err = isorun_builder_instantiate(b, out);
    isorun_builder_free(b);
    return err;
}

static void test_linked_calls(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *cm = LOAD_WAT(rt, "rt_consumer");
    if (!pm || !cm) {
        isorun_module_free(pm);
        isorun_module_free(cm);
        isorun_runtime_free(rt);
        return;
    }
    isorun_instance *provider = provider_new(rt, pm, "math-1", NULL);
    isorun_instance *consumer = NULL;
    REQUIRE_OK(consumer_new(rt, cm, provider, NULL, &consumer));

    int32_t r = 0;
    EXPECT_OK(call_i32(consumer, "compute", &r, 2, 7, 3, 0)); /* (7+3)*(7-3) */
    CHECK_EQ_INT(r, 40);
    EXPECT_OK(call_i32(consumer, "compute", &r, 2, -5, 9, 0)); /* 4 * -14 */
    CHECK_EQ_INT(r, -56);
    EXPECT_OK(call_i32(consumer, "add", &r, 2, INT32_MAX, 1, 0)); /* wraps in the provider */
    CHECK_EQ_INT(r, INT32_MIN);
    EXPECT_OK(call_i32(consumer, "divide", &r, 2, -42, 5, 0));
    CHECK_EQ_INT(r, -8);
    isorun_val args[2] = {isorun_val_i64(INT64_C(1) << 40), isorun_val_i64(-3)}, res;
    EXPECT_OK(isorun_instance_call(consumer, "add64", args, 2, &res, 1));
    CHECK(res.kind == ISORUN_I64 && res.of.i64 == (INT64_C(1) << 40) - 3);
    EXPECT_OK(call_i32(consumer, "linked_loop", &r, 1, 1000, 0, 0));
    CHECK_EQ_INT(r, 500500);

    /* Every linked call counts as a call of the provider. */
    isorun_usage pu;
    isorun_instance_usage(provider, &pu);
    CHECK_EQ_U64(pu.calls, 2 * 3 + 1 + 1 + 1 + 1000); /* compute: add, add, mul */

    /* A trap in the provider reaches the consumer's caller naming the
     * provider and keeping its code; the provider stays usable. */
    EXPECT_TRAP(call_i32(consumer, "divide", &r, 2, 1, 0, 0), ISORUN_TRAP_DIV_BY_ZERO,
                "in provider 'math-1', export \"div\": integer divide by zero");
    isorun_instance_usage(provider, &pu);
    CHECK_EQ_U64(pu.traps, 1);
    EXPECT_OK(call_i32(provider, "div", &r, 2, 10, 2, 0));
    CHECK_EQ_INT(r, 5);
    EXPECT_OK(call_i32(consumer, "divide", &r, 2, 10, 5, 0));
    CHECK_EQ_INT(r, 2);

    /* The consumer's reference keeps the provider alive after the registry
     * and the embedder let go of it. */
    EXPECT_OK(isorun_runtime_unregister(rt, "math-1"));
    isorun_instance_free(provider);
    EXPECT_OK(call_i32(consumer, "compute", &r, 2, 2, 1, 0));
    CHECK_EQ_INT(r, 3);

    isorun_instance_free(consumer);
    isorun_module_free(pm);
    isorun_module_free(cm);
    isorun_runtime_free(rt);
}

static void test_link_errors(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *missing = LOAD_WAT(rt, "rt_consumer_missing");
    isorun_module *badsig = LOAD_WAT(rt, "rt_consumer_badsig");
    isorun_module *notfunc = LOAD_WAT(rt, "rt_consumer_notfunc");
    if (!pm || !missing || !badsig || !notfunc) goto done;
    isorun_instance *named = provider_new(rt, pm, "math-1", NULL);
    isorun_instance *anonymous = provider_new(rt, pm, NULL, NULL);
    isorun_instance *c = NULL;

    EXPECT_ERROR(consumer_new(rt, missing, named, NULL, &c), ISORUN_ERR_UNLINKABLE,
                 "import \"example:math/ops\".\"pow\" (i32 i32 -> i32): provider 'math-1' export \"pow\" does not exist");
    CHECK(c == NULL);
    EXPECT_ERROR(consumer_new(rt, badsig, named, NULL, &c), ISORUN_ERR_UNLINKABLE,
                 "import \"example:math/ops\".\"add\" (i32 -> i32): provider 'math-1' export \"add\" is (i32 i32 -> i32)");
    EXPECT_ERROR(consumer_new(rt, badsig, anonymous, NULL, &c), ISORUN_ERR_UNLINKABLE,
                 "provider instance export \"add\" is (i32 i32 -> i32)");
    EXPECT_ERROR(consumer_new(rt, notfunc, named, NULL, &c), ISORUN_ERR_UNLINKABLE,
                 "export \"memory\" is a memory, not a function");
    CHECK(c == NULL);

    /* A link to the wrong module name leaves the import unresolved. */
    isorun_builder *b = isorun_builder_new(rt, badsig);
    REQUIRE_OK(isorun_builder_link_local(b, "other:module", named));
    EXPECT_ERROR(isorun_builder_link_local(b, "other:module", named), ISORUN_ERR_ARGUMENT, "already linked");
    EXPECT_ERROR(isorun_builder_instantiate(b, &c), ISORUN_ERR_UNLINKABLE, "nothing provides it");
    isorun_builder_free(b);

    /* A provider from another runtime cannot be linked. */
    isorun_runtime *rt2 = RUNTIME();
    isorun_module *pm2 = LOAD_WAT(rt2, "rt_math");
    isorun_instance *foreign = provider_new(rt2, pm2, NULL, NULL);
    b = isorun_builder_new(rt, badsig);
    EXPECT_ERROR(isorun_builder_link_local(b, MATH, foreign), ISORUN_ERR_ARGUMENT, "another runtime");
    isorun_builder_free(b);
    isorun_instance_free(foreign);
    isorun_module_free(pm2);
    isorun_runtime_free(rt2);

    isorun_instance_free(anonymous);
    isorun_instance_free(named);
done:
    isorun_module_free(pm);
    isorun_module_free(missing);
    isorun_module_free(badsig);
    isorun_module_free(notfunc);
    isorun_runtime_free(rt);
}

/* A v128 crosses a link like any number (the slots are passed as they are);
 * a reference does not, since it points into the provider's store. */
static void test_vectors_cross_links(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *simd = LOAD_WAT(rt, "rt_consumer_simd");
    isorun_module *ref = LOAD_WAT(rt, "rt_consumer_ref");
    if (!pm || !simd || !ref) goto done;
    isorun_instance *provider = provider_new(rt, pm, "math-1", NULL);
    isorun_instance *consumer = NULL;
    REQUIRE_OK(consumer_new(rt, simd, provider, NULL, &consumer));
    int32_t r = 0;
    EXPECT_OK(call_i32(consumer, "vsum", &r, 2, 5, 7, 0)); /* (5+6+7+8) + 7*(1+2+3+4) */
    CHECK_EQ_INT(r, 26 + 70);
    isorun_val k = isorun_val_i32(3), res;
    EXPECT_OK(isorun_instance_call(consumer, "mixed", &k, 1, &res, 1)); /* 100 + 3 + 30 + 4 */
    CHECK(res.kind == ISORUN_I64 && res.of.i64 == 137);

    isorun_instance *c = NULL;
    EXPECT_ERROR(consumer_new(rt, ref, provider, NULL, &c), ISORUN_ERR_UNLINKABLE,
                 "export \"takes_ref\" passes references, which cannot cross between instances");
    CHECK(c == NULL);
    isorun_instance_free(consumer);
    isorun_instance_free(provider);
done:
    isorun_module_free(pm);
    isorun_module_free(simd);
    isorun_module_free(ref);
    isorun_runtime_free(rt);
}

/* The provider's own budget applies to linked calls into it. */
static void test_provider_budget(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *cm = LOAD_WAT(rt, "rt_consumer");
    if (!pm || !cm) goto done;
    isorun_budget budget = {.fuel = 1000};
    isorun_instance *provider = provider_new(rt, pm, "metered", &budget);
    isorun_instance *consumer = NULL;
    REQUIRE_OK(consumer_new(rt, cm, provider, NULL, &consumer));
    isorun_val n = isorun_val_i32(100000), res;
    EXPECT_TRAP(isorun_instance_call(consumer, "sum_to", &n, 1, &res, 1), ISORUN_TRAP_OUT_OF_FUEL,
                "in provider 'metered', export \"sum_to\": out of fuel");
    REQUIRE_OK(isorun_instance_add_fuel(provider, 10000000));
    EXPECT_OK(isorun_instance_call(consumer, "sum_to", &n, 1, &res, 1));
    CHECK(res.of.i64 == INT64_C(5000050000));
    isorun_instance_free(consumer);
    isorun_instance_free(provider);
done:
    isorun_module_free(pm);
    isorun_module_free(cm);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * A -> B -> A on one thread
 * ------------------------------------------------------------------------ */

typedef struct pong_config {
    isorun_instance *a; /* set once A exists */
} pong_config;

static isorun_error *call_a(isorun_call *call, const isorun_val *args, isorun_val *results) {
    pong_config *cfg = isorun_call_data(call);
    isorun_val arg = args[0];
    return isorun_instance_call(cfg->a, "inc", &arg, 1, results, 1);
}

static isorun_error *pong_install(void *config, isorun_imports *im) {
    return isorun_imports_define(im, "host", "call_a", "i32 -> i32", call_a, config);
}

static void test_round_trip_reenters(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *am = LOAD_WAT(rt, "rt_ping");
    isorun_module *bm = LOAD_WAT(rt, "rt_pong");
    if (!am || !bm) goto done;
    static const isorun_system_ops pong_ops = {"test:pong", pong_install, NULL, NULL, NULL};
    pong_config cfg = {NULL};
    isorun_system_component *c = NULL;
    REQUIRE_OK(isorun_system_new(&pong_ops, &cfg, &c));
    isorun_builder *bb = isorun_builder_new(rt, bm);
    REQUIRE_OK(isorun_builder_add_system(bb, c));
    isorun_instance *b = NULL;
    REQUIRE_OK(isorun_builder_instantiate(bb, &b));
    isorun_builder_free(bb);
    isorun_system_free(c);

    isorun_builder *ab = isorun_builder_new(rt, am);
    REQUIRE_OK(isorun_builder_link_local(ab, "peer", b));
    isorun_instance *a = NULL;
    REQUIRE_OK(isorun_builder_instantiate(ab, &a));
    isorun_builder_free(ab);
    cfg.a = a; /* borrowed: A outlives every call below */

    int32_t r = 0;
    /* ping(5) = pong(5) + 1000 = inc(5) * 2 + 1000 = 1012: A is re-entered
     * on this thread while its first call waits for B. */
    EXPECT_OK(call_i32(a, "ping", &r, 1, 5, 0, 0));
    CHECK_EQ_INT(r, 1012);
    isorun_usage au;
    isorun_instance_usage(a, &au);
    CHECK_EQ_U64(au.calls, 2);

    isorun_instance_free(a);
    isorun_instance_free(b);
done:
    isorun_module_free(am);
    isorun_module_free(bm);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * A -> B on one thread while B -> A on another: a deadlock, found at once
 * ------------------------------------------------------------------------ */

/* Both threads meet once, each holding its first instance (A, or B). */
typedef struct meeting {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int arrived;
} meeting;

static void meet_once(meeting *m) {
    pthread_mutex_lock(&m->mu);
    if (m->arrived < 2 && ++m->arrived == 2) pthread_cond_broadcast(&m->cv);
    while (m->arrived < 2) pthread_cond_wait(&m->cv, &m->mu);
    pthread_mutex_unlock(&m->mu);
}

typedef struct crossing {
    meeting meet;
    isorun_instance *a;
    bool b_met; /* B's host function meets only on its first call */
} crossing;

static isorun_error *a_meet(isorun_call *call, const isorun_val *args, isorun_val *results) {
    (void)args;
    (void)results;
    meet_once(&((crossing *)isorun_call_data(call))->meet);
    return NULL;
}

static isorun_error *b_call_a(isorun_call *call, const isorun_val *args, isorun_val *results) {
    crossing *x = isorun_call_data(call);
    if (!x->b_met) {
        x->b_met = true;
        meet_once(&x->meet);
    }
    return isorun_instance_call(x->a, "inc", args, 1, results, 1);
}

static isorun_error *a_install(void *config, isorun_imports *im) {
    return isorun_imports_define(im, "host", "meet", "->", a_meet, config);
}

static isorun_error *b_install(void *config, isorun_imports *im) {
    return isorun_imports_define(im, "host", "call_a", "i32 -> i32", b_call_a, config);
}

typedef struct pong_call {
    isorun_instance *b;
    isorun_error *err;
    int32_t result;
} pong_call;

static void *call_pong(void *arg) {
    pong_call *pc = arg;
    pc->err = call_i32(pc->b, "pong", &pc->result, 1, 5, 0, 0);
    return NULL;
}

/* Thread 1 calls A.ping (A held, then B wanted through the link) while
 * thread 2 calls B.pong (B held, then A wanted from B's host function). The
 * thread whose wait would close the cycle gives way at once with "deadlock"
 * (a 10 s deadline is only the safety net: reaching it fails the test), and
 * the other call completes. */
static void test_crossing_calls_deadlock_found(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *am = LOAD_WAT(rt, "rt_ping_sync");
    isorun_module *bm = LOAD_WAT(rt, "rt_pong");
    if (!am || !bm) goto done;
    static const isorun_system_ops a_ops = {"test:meet", a_install, NULL, NULL, NULL};
    static const isorun_system_ops b_ops = {"test:call-a", b_install, NULL, NULL, NULL};
    crossing x = {.meet = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0}};
    isorun_budget net = {.deadline_ns = 10000 * 1000000ull};
    isorun_instance *b = INSTANCE_WITH_SYSTEM(rt, bm, &b_ops, &x, &net);
    isorun_system_component *c = NULL;
    REQUIRE_OK(isorun_system_new(&a_ops, &x, &c));
    isorun_builder *ab = isorun_builder_new(rt, am);
    REQUIRE(ab);
    REQUIRE_OK(isorun_builder_add_system(ab, c));
    REQUIRE_OK(isorun_builder_link_local(ab, "peer", b));
    isorun_builder_set_budget(ab, &net);
    isorun_instance *a = NULL;
    REQUIRE_OK(isorun_builder_instantiate(ab, &a));
    isorun_builder_free(ab);
    isorun_system_free(c);
    x.a = a;

    pong_call pc = {b, NULL, 0};
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, call_pong, &pc) == 0);
    int32_t ping = 0;
    isorun_error *ping_err = call_i32(a, "ping", &ping, 1, 5, 0, 0);
    pthread_join(t, NULL);

    /* Exactly one gave way; the other has its result. */
    CHECK((ping_err == NULL) != (pc.err == NULL));
    isorun_error *gave_way = ping_err ? ping_err : pc.err;
    if (gave_way) {
        CHECK_EQ_INT(isorun_error_trap(gave_way), ISORUN_TRAP_DEADLINE);
        CHECK(strstr(isorun_error_message(gave_way), "deadlock") != NULL);
        fprintf(stderr, "  %s gave way: %s\n", ping_err ? "A.ping" : "B.pong", isorun_error_message(gave_way));
    }
    if (!ping_err) CHECK_EQ_INT(ping, 1012); /* pong(5) = inc(5) * 2, + 1000 */
    if (!pc.err) CHECK_EQ_INT(pc.result, 12);
    isorun_error_free(ping_err);
    isorun_error_free(pc.err);
    /* Both instances work afterwards. */
    int32_t r = 0;
    x.b_met = true;
    EXPECT_OK(call_i32(a, "ping", &r, 1, 1, 0, 0));
    CHECK_EQ_INT(r, 1004);
    isorun_instance_free(a);
    isorun_instance_free(b);
done:
    isorun_module_free(am);
    isorun_module_free(bm);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * A busy provider and the caller's deadline
 * ------------------------------------------------------------------------ */

typedef struct spinner {
    isorun_instance *inst;
    isorun_error *err;
    atomic_int started;
} spinner;

static void *spin_thread(void *arg) {
    spinner *s = arg;
    atomic_store(&s->started, 1);
    s->err = isorun_instance_call(s->inst, "spin", NULL, 0, NULL, 0);
    return NULL;
}

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_busy_provider_bounded_by_deadline(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *cm = LOAD_WAT(rt, "rt_consumer");
    if (!pm || !cm) goto done;
    isorun_instance *provider = provider_new(rt, pm, "busy", NULL);
    isorun_budget budget = {.deadline_ns = 100 * 1000000ull};
    isorun_instance *consumer = NULL;
    REQUIRE_OK(consumer_new(rt, cm, provider, &budget, &consumer));

    spinner s = {provider, NULL, 0};
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, spin_thread, &s) == 0);
    while (!atomic_load(&s.started)) sched_yield();
    /* Let the spinner take the provider's lock. */
    struct timespec pause = {0, 50 * 1000000};
    nanosleep(&pause, NULL);

    uint64_t t0 = now_ms();
    int32_t r = 0;
    EXPECT_TRAP(call_i32(consumer, "add", &r, 2, 1, 2, 0), ISORUN_TRAP_DEADLINE, "instance busy: 'busy'");
    uint64_t waited = now_ms() - t0;
    CHECK(waited >= 90 && waited < 2000);

    isorun_instance_interrupt(provider);
    pthread_join(t, NULL);
    EXPECT_TRAP(s.err, ISORUN_TRAP_INTERRUPTED, "interrupted");
    /* Both usable again. */
    EXPECT_OK(call_i32(consumer, "add", &r, 2, 1, 2, 0));
    CHECK_EQ_INT(r, 3);

    isorun_instance_free(consumer);
    isorun_instance_free(provider);
done:
    isorun_module_free(pm);
    isorun_module_free(cm);
    isorun_runtime_free(rt);
}

/* Interrupting the consumer, or its deadline, reaches the provider it is
 * calling into. */
static void test_interrupt_reaches_provider(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *cm = LOAD_WAT(rt, "rt_consumer");
    if (!pm || !cm) goto done;
    isorun_instance *provider = provider_new(rt, pm, "spinner", NULL);
    isorun_instance *consumer = NULL;
    REQUIRE_OK(consumer_new(rt, cm, provider, NULL, &consumer));
    interrupter it;
    interrupter_start(&it, consumer);
    EXPECT_TRAP(isorun_instance_call(consumer, "spin", NULL, 0, NULL, 0), ISORUN_TRAP_INTERRUPTED,
                "in provider 'spinner', export \"spin\": interrupted");
    interrupter_stop(&it);
    int32_t r = 0;
    EXPECT_OK(call_i32(consumer, "add", &r, 2, 20, 22, 0));
    CHECK_EQ_INT(r, 42);
    isorun_instance_free(consumer);

    /* The consumer's deadline bounds the provider's code as well. */
    isorun_budget budget = {.deadline_ns = 50 * 1000000ull};
    REQUIRE_OK(consumer_new(rt, cm, provider, &budget, &consumer));
    EXPECT_TRAP(isorun_instance_call(consumer, "spin", NULL, 0, NULL, 0), ISORUN_TRAP_DEADLINE,
                "in provider 'spinner', export \"spin\": deadline exceeded");
    EXPECT_OK(call_i32(provider, "add", &r, 2, 1, 2, 0)); /* no deadline of its own */
    CHECK_EQ_INT(r, 3);
    isorun_instance_free(consumer);
    isorun_instance_free(provider);
done:
    isorun_module_free(pm);
    isorun_module_free(cm);
    isorun_runtime_free(rt);
}

/* A host function that calls another instance with isorun_call_instance_call
 * runs that call as part of the guest's: the guest's deadline and an
 * interrupt of the guest reach it (isorun_instance_call would start a call of
 * its own, bounded only by the target's budget). The target is the
 * component's config. */
static isorun_error *nest_spin(isorun_call *call, const isorun_val *args, isorun_val *results) {
    (void)args;
    (void)results;
    return isorun_call_instance_call(call, isorun_call_data(call), "spin", NULL, 0, NULL, 0);
}

static isorun_error *nest_add(isorun_call *call, const isorun_val *args, isorun_val *results) {
    return isorun_call_instance_call(call, isorun_call_data(call), "add", args, 2, results, 1);
}

static isorun_error *nest_install(void *config, isorun_imports *im) {
    isorun_error *err = isorun_imports_define(im, "nest", "spin", "->", nest_spin, config);
    if (!err) err = isorun_imports_define(im, "nest", "add", "i32 i32 -> i32", nest_add, config);
    return err;
}

static const isorun_system_ops nest_ops = {"test:nest", nest_install, NULL, NULL, NULL};


static void test_host_nested_call(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_math");
    isorun_module *nm = LOAD_WAT(rt, "rt_nested");
    if (!pm || !nm) goto done;
    /* Fuel only as a safety net: were the nested call out of the guest's
     * reach, it would end out of fuel (after seconds) instead. */
    isorun_budget net = {.fuel = 2000000000ull};
    isorun_instance *target = provider_new(rt, pm, "spinner", &net);
    isorun_instance *guest = INSTANCE_WITH_SYSTEM(rt, nm, &nest_ops, target, NULL);
    int32_t r = 0;
    EXPECT_OK(call_i32(guest, "add", &r, 2, 40, 2, 0));
    CHECK_EQ_INT(r, 42);

    interrupter it;
    interrupter_start(&it, guest);
    EXPECT_TRAP(isorun_instance_call(guest, "spin", NULL, 0, NULL, 0), ISORUN_TRAP_INTERRUPTED, "interrupted");
    interrupter_stop(&it);
    EXPECT_OK(call_i32(guest, "add", &r, 2, 1, 2, 0));
    CHECK_EQ_INT(r, 3);
    isorun_instance_free(guest);

    isorun_budget budget = {.deadline_ns = 50 * 1000000ull};
    guest = INSTANCE_WITH_SYSTEM(rt, nm, &nest_ops, target, &budget);
    EXPECT_TRAP(isorun_instance_call(guest, "spin", NULL, 0, NULL, 0), ISORUN_TRAP_DEADLINE, "deadline exceeded");
    EXPECT_OK(call_i32(target, "add", &r, 2, 5, 6, 0)); /* usable, its own budget untouched */
    CHECK_EQ_INT(r, 11);
    isorun_instance_free(guest);

    EXPECT_ERROR(isorun_call_instance_call(NULL, target, "add", NULL, 0, NULL, 0), ISORUN_ERR_ARGUMENT, "no call");
    isorun_instance_free(target);
done:
    isorun_module_free(pm);
    isorun_module_free(nm);
    isorun_runtime_free(rt);
}

int main(void) {
    RUN(test_linked_calls);
    RUN(test_link_errors);
    RUN(test_vectors_cross_links);
    RUN(test_provider_budget);
    RUN(test_round_trip_reenters);
    RUN(test_crossing_calls_deadlock_found);
    RUN(test_busy_provider_bounded_by_deadline);
    RUN(test_interrupt_reaches_provider);
    RUN(test_host_nested_call);
    return rt_summary();
}
