/*
 * test_custom_system_component.c — system components written against the
 * public header: the two examples (example:kv with private and shared
 * namespaces, used concurrently; example:auth allowing configured tokens and
 * denying everything else) through their guests, and the lifecycle every
 * component goes through (install, configure in order, teardown in reverse,
 * teardown after a failed instantiation, free_config last).
 */
#include "auth.h"
#include "kv.h"
#include "rt_helpers.h"

#include <pthread.h>

/* An instance of m granted the given components (NULL-terminated). */
static isorun_error *instance_with(isorun_runtime *rt, isorun_module *m, isorun_system_component *const *components,
                                   isorun_instance **out) {
    isorun_builder *b = isorun_builder_new(rt, m);
    REQUIRE(b);
    isorun_error *err = NULL;
    for (size_t i = 0; !err && components[i]; i++) err = isorun_builder_add_system(b, components[i]);
    if (!err) err = isorun_builder_instantiate(b, out);
    isorun_builder_free(b);
    return err;
}

static isorun_instance *kv_instance(isorun_runtime *rt, isorun_module *m, isorun_system_component *kv) {
    isorun_system_component *list[] = {kv, NULL};
    isorun_instance *inst = NULL;
    REQUIRE_OK(instance_with(rt, m, list, &inst));
    return inst;
}

static int32_t call1(isorun_instance *inst, const char *name, int32_t a) {
    int32_t r = INT32_MIN;
    EXPECT_OK(call_i32(inst, name, &r, 1, a, 0, 0));
    return r;
}
static int32_t call0(isorun_instance *inst, const char *name) {
    int32_t r = INT32_MIN;
    EXPECT_OK(call_i32(inst, name, &r, 0, 0, 0, 0));
    return r;
}
static int32_t put(isorun_instance *inst, int32_t id, int32_t value) {
    int32_t r = INT32_MIN;
    EXPECT_OK(call_i32(inst, "put", &r, 2, id, value, 0));
    return r;
}

/* ------------------------------------------------------------------------
 * example:kv
 * ------------------------------------------------------------------------ */

static void test_kv_private_namespaces(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_C(rt, "kv_guest");
    if (!m) goto done;
    isorun_system_component *kv = NULL;
    REQUIRE_OK(example_kv_new(NULL, &kv));
    isorun_instance *a = kv_instance(rt, m, kv), *b = kv_instance(rt, m, kv);

    CHECK_EQ_INT(call0(a, "selftest"), 0);
    CHECK_EQ_INT(put(a, 1, 100), 0);
    CHECK_EQ_INT(put(a, 2, 200), 0);
    CHECK_EQ_INT(put(a, 2, 250), 0); /* replaces */
    CHECK_EQ_INT(call1(a, "get", 1), 100);
    CHECK_EQ_INT(call1(a, "get", 2), 250);
    CHECK_EQ_INT(call0(a, "count"), 2);
    CHECK_EQ_INT(call0(a, "sum_listed"), 350);
    /* b has its own, empty namespace. */
    CHECK_EQ_INT(call1(b, "get", 1), KV_ENOENT);
    CHECK_EQ_INT(call0(b, "count"), 0);
    CHECK_EQ_INT(put(b, 1, 7), 0);
    CHECK_EQ_INT(call1(a, "get", 1), 100);
    /* delete */
    CHECK_EQ_INT(call1(a, "remove", 1), 1);
    CHECK_EQ_INT(call1(a, "remove", 1), 0);
    CHECK_EQ_INT(call1(a, "get", 1), KV_ENOENT);
    CHECK_EQ_INT(call0(a, "count"), 1);
    CHECK_EQ_INT(call1(b, "get", 1), 7);

    /* A new instance starts empty: namespaces die with their instance. */
    isorun_instance_free(a);
    a = kv_instance(rt, m, kv);
    CHECK_EQ_INT(call0(a, "count"), 0);
    CHECK_EQ_INT(call0(a, "selftest"), 0);

    isorun_instance_free(a);
    isorun_instance_free(b);
    isorun_system_free(kv);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static void test_kv_limits(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_C(rt, "kv_guest");
    if (!m) goto done;
    isorun_system_component *kv = NULL;
    REQUIRE_OK(example_kv_new(&(example_kv_options){.max_keys = 3, .max_value_bytes = 2}, &kv));
    isorun_instance *a = kv_instance(rt, m, kv);
    CHECK_EQ_INT(put(a, 1, 11), 0);
    CHECK_EQ_INT(put(a, 2, 22), 0);
    CHECK_EQ_INT(put(a, 3, 33), 0);
    CHECK_EQ_INT(put(a, 4, 44), KV_ELIMIT); /* a fourth key */
    CHECK_EQ_INT(put(a, 3, 34), 0);         /* replacing is fine */
    CHECK_EQ_INT(put(a, 3, 345), KV_ELIMIT); /* three bytes of value */
    CHECK_EQ_INT(call1(a, "get", 3), 34);
    CHECK_EQ_INT(call1(a, "get", 4), KV_ENOENT);
    isorun_instance_free(a);
    isorun_system_free(kv);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

typedef struct kv_worker {
    isorun_instance *inst;
    int32_t base, n;
    int failures;
} kv_worker;

/* Puts n keys of its own, reading each back. */
static void *kv_work(void *arg) {
    kv_worker *w = arg;
    for (int32_t i = 0; i < w->n; i++) {
        int32_t id = w->base + i, r = -1;
        isorun_error *err = call_i32(w->inst, "put", &r, 2, id, id % 97, 0);
        if (err || r != 0) w->failures++;
        isorun_error_free(err);
        err = call_i32(w->inst, "get", &r, 1, id, 0, 0);
        if (err || r != id % 97) w->failures++;
        isorun_error_free(err);
    }
    return NULL;
}

static void test_kv_shared_namespace(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_C(rt, "kv_guest");
    if (!m) goto done;
    isorun_system_component *kv = NULL;
    REQUIRE_OK(example_kv_new(&(example_kv_options){.shared = true}, &kv));
    isorun_instance *a = kv_instance(rt, m, kv), *b = kv_instance(rt, m, kv);

    CHECK_EQ_INT(put(a, 5, 55), 0);
    CHECK_EQ_INT(call1(b, "get", 5), 55); /* b sees a's key */
    CHECK_EQ_INT(call1(b, "remove", 5), 1);
    CHECK_EQ_INT(call1(a, "get", 5), KV_ENOENT); /* and a sees b's delete */
    CHECK_EQ_INT(call0(a, "selftest"), 0);

    /* Instances on four threads fill the one store at the same time. */
    enum { THREADS = 4, PER_THREAD = 250 };
    kv_worker workers[THREADS];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (kv_worker){kv_instance(rt, m, kv), 1000 * (t + 1), PER_THREAD, 0};
        REQUIRE(pthread_create(&threads[t], NULL, kv_work, &workers[t]) == 0);
    }
    int64_t expected_sum = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK_EQ_INT(workers[t].failures, 0);
        for (int32_t i = 0; i < PER_THREAD; i++) expected_sum += (workers[t].base + i) % 97;
        isorun_instance_free(workers[t].inst);
    }
    CHECK_EQ_INT(call0(a, "count"), THREADS * PER_THREAD);
    CHECK_EQ_INT(call0(b, "sum_listed"), expected_sum);

    /* The shared store outlives the instances: a new one sees the keys. */
    isorun_instance_free(a);
    isorun_instance_free(b);
    a = kv_instance(rt, m, kv);
    CHECK_EQ_INT(call1(a, "get", 1000), 1000 % 97);
    isorun_instance_free(a);
    isorun_system_free(kv);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * example:auth
 * ------------------------------------------------------------------------ */

static int32_t present(isorun_instance *inst, const char *fn, const char *token) {
    size_t len = strlen(token);
    EXPECT_OK(isorun_instance_write_memory(inst, 1024, token, len));
    int32_t r = INT32_MIN;
    EXPECT_OK(call_i32(inst, fn, &r, 2, 1024, (int32_t)len, 0));
    return r;
}

static isorun_instance *auth_instance(isorun_runtime *rt, isorun_module *m, isorun_system_component *auth) {
    isorun_system_component *list[] = {auth, NULL};
    isorun_instance *inst = NULL;
    REQUIRE_OK(instance_with(rt, m, list, &inst));
    return inst;
}

static void test_auth(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "auth_guest");
    if (!m) goto done;
    const char *tokens[] = {"alpha-token", "guest-token-42"};
    isorun_system_component *auth = NULL, *none = NULL;
    REQUIRE_OK(example_auth_new(tokens, 2, 0, &auth));
    REQUIRE_OK(example_auth_new(NULL, 0, 0, &none));

    isorun_instance *inst = auth_instance(rt, m, auth);
    CHECK_EQ_INT(present(inst, "check", "alpha-token"), AUTH_ALLOW);
    CHECK_EQ_INT(present(inst, "protected_op", "alpha-token"), 42);
    CHECK_EQ_INT(present(inst, "protected_op", "wrong"), -1);
    CHECK_EQ_INT(present(inst, "check", "alpha-toke"), AUTH_DENY);   /* a prefix */
    CHECK_EQ_INT(present(inst, "check", "alpha-tokenX"), AUTH_DENY); /* longer */
    CHECK_EQ_INT(present(inst, "check", ""), AUTH_DENY);
    CHECK_EQ_INT(call0(inst, "login_builtin"), AUTH_ALLOW);
    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "check", &r, 2, 65530, 100, 0)); /* beyond memory */
    CHECK_EQ_INT(r, AUTH_EINVAL);
    CHECK_EQ_INT(call0(inst, "failures"), 5);
    isorun_instance_free(inst);

    /* Deny by default: no tokens configured, nothing passes. */
    inst = auth_instance(rt, m, none);
    CHECK_EQ_INT(present(inst, "check", "alpha-token"), AUTH_DENY);
    CHECK_EQ_INT(call0(inst, "login_builtin"), AUTH_DENY);
    CHECK_EQ_INT(present(inst, "protected_op", ""), -1);
    isorun_instance_free(inst);

    /* Without the component the guest does not even instantiate. */
    isorun_system_component *nothing[] = {NULL};
    inst = NULL;
    EXPECT_ERROR(instance_with(rt, m, nothing, &inst), ISORUN_ERR_UNLINKABLE, "import \"example:auth\".\"check\"");
    CHECK(inst == NULL);

    /* Lockout after two failures, counted per instance. */
    isorun_system_component *strict = NULL;
    REQUIRE_OK(example_auth_new(tokens, 2, 2, &strict));
    isorun_instance *x = auth_instance(rt, m, strict), *y = auth_instance(rt, m, strict);
    CHECK_EQ_INT(present(x, "check", "nope"), AUTH_DENY);
    CHECK_EQ_INT(present(x, "check", "alpha-token"), AUTH_ALLOW);
    CHECK_EQ_INT(present(x, "check", "nope"), AUTH_DENY);
    CHECK_EQ_INT(present(x, "check", "alpha-token"), AUTH_DENY); /* locked out */
    CHECK_EQ_INT(present(y, "check", "alpha-token"), AUTH_ALLOW); /* y is not */
    isorun_instance_free(x);
    isorun_instance_free(y);
    isorun_system_free(strict);

    isorun_system_free(auth);
    isorun_system_free(none);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

/* Both examples granted to one instance of each guest, side by side. */
static void test_components_together(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *km = LOAD_C(rt, "kv_guest");
    isorun_module *am = LOAD_WAT(rt, "auth_guest");
    if (!km || !am) goto done;
    const char *tokens[] = {"t"};
    isorun_system_component *kv = NULL, *auth = NULL;
    REQUIRE_OK(example_kv_new(NULL, &kv));
    REQUIRE_OK(example_auth_new(tokens, 1, 0, &auth));
    /* Granting more than a guest imports is fine; what it imports must be granted. */
    isorun_system_component *both[] = {auth, kv, NULL};
    isorun_instance *k = NULL, *a = NULL;
    REQUIRE_OK(instance_with(rt, km, both, &k));
    REQUIRE_OK(instance_with(rt, am, both, &a));
    CHECK_EQ_INT(put(k, 9, 99), 0);
    CHECK_EQ_INT(call1(k, "get", 9), 99);
    CHECK_EQ_INT(present(a, "protected_op", "t"), 42);
    isorun_instance_free(k);
    isorun_instance_free(a);
    isorun_system_free(kv);
    isorun_system_free(auth);
done:
    isorun_module_free(km);
    isorun_module_free(am);
    isorun_runtime_free(rt);
}

/* ------------------------------------------------------------------------
 * The lifecycle
 * ------------------------------------------------------------------------ */

typedef struct event_log {
    char text[1024];
} event_log;

typedef struct recorder {
    const char *name;
    event_log *log;
    int fail_configure;
} recorder;

static void record(event_log *log, const char *what, const char *name) {
    size_t used = strlen(log->text);
    snprintf(log->text + used, sizeof log->text - used, "%s%s %s", used ? ", " : "", what, name);
}

static isorun_error *rec_install(void *config, isorun_imports *im) {
    recorder *r = config;
    record(r->log, "install", r->name);
    return NULL;
}

static isorun_error *rec_configure(void *config, isorun_instance *inst, void **state) {
    recorder *r = config;
    if (r->fail_configure) {
        record(r->log, "refuse", r->name);
        return isorun_error_new(ISORUN_ERR_IO, "cannot open its database");
    }
    record(r->log, "configure", r->name);
    *state = (void *)r->name;
    return NULL;
}

static void rec_teardown(void *config, void *state) {
    recorder *r = config;
    /* The state is what configure made for this instance. */
    record(r->log, state == r->name ? "teardown" : "teardown-with-wrong-state", r->name);
}

static void rec_free_config(void *config) {
    recorder *r = config;
    record(r->log, "free", r->name);
}

static const isorun_system_ops rec_ops = {"test:recorder", rec_install, rec_configure, rec_teardown, rec_free_config};

static void test_lifecycle_order(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *plain = LOAD_WAT(rt, "rt_math");
    isorun_module *trapping = LOAD_WAT(rt, "start_trap");
    isorun_module *needy = LOAD_WAT(rt, "rt_host_user");
    if (!plain || !trapping || !needy) goto done;
    event_log log = {""};
    recorder ra = {"A", &log, 0}, rb = {"B", &log, 0};
    isorun_system_component *a = NULL, *b = NULL;
    REQUIRE_OK(isorun_system_new(&rec_ops, &ra, &a));
    REQUIRE_OK(isorun_system_new(&rec_ops, &rb, &b));

    /* install when added; configure in order; teardown in reverse. */
    isorun_builder *bld = isorun_builder_new(rt, plain);
    REQUIRE_OK(isorun_builder_add_system(bld, a));
    REQUIRE_OK(isorun_builder_add_system(bld, b));
    CHECK(strcmp(log.text, "install A, install B") == 0);
    log.text[0] = 0;
    isorun_instance *inst = NULL;
    REQUIRE_OK(isorun_builder_instantiate(bld, &inst));
    CHECK(strcmp(log.text, "configure A, configure B") == 0);
    log.text[0] = 0;
    isorun_instance_free(inst);
    CHECK(strcmp(log.text, "teardown B, teardown A") == 0);
    isorun_builder_free(bld);

    /* A start function that traps: configure ran, so teardown runs. */
    log.text[0] = 0;
    bld = isorun_builder_new(rt, trapping);
    REQUIRE_OK(isorun_builder_add_system(bld, a));
    REQUIRE_OK(isorun_builder_add_system(bld, b));
    log.text[0] = 0;
    inst = NULL;
    isorun_error *err = isorun_builder_instantiate(bld, &inst);
    CHECK(inst == NULL);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_UNINSTANTIABLE);
    CHECK_EQ_INT(isorun_error_trap(err), ISORUN_TRAP_UNREACHABLE);
    isorun_error_free(err);
    CHECK(strcmp(log.text, "configure A, configure B, teardown B, teardown A") == 0);
    isorun_builder_free(bld);

    /* A configure that fails: the components before it are torn down. */
    log.text[0] = 0;
    rb.fail_configure = 1;
    bld = isorun_builder_new(rt, plain);
    REQUIRE_OK(isorun_builder_add_system(bld, a));
    REQUIRE_OK(isorun_builder_add_system(bld, b));
    log.text[0] = 0;
    EXPECT_ERROR(isorun_builder_instantiate(bld, &inst), ISORUN_ERR_IO,
                 "system component \"test:recorder\": configure: cannot open its database");
    CHECK(strcmp(log.text, "configure A, refuse B, teardown A") == 0);
    isorun_builder_free(bld);
    rb.fail_configure = 0;

    /* An unresolved import fails before any configure. */
    log.text[0] = 0;
    bld = isorun_builder_new(rt, needy);
    REQUIRE_OK(isorun_builder_add_system(bld, a));
    log.text[0] = 0;
    EXPECT_ERROR(isorun_builder_instantiate(bld, &inst), ISORUN_ERR_UNLINKABLE, "\"host\".\"add3\"");
    CHECK(strcmp(log.text, "") == 0);
    isorun_builder_free(bld);

    /* free_config runs when the last reference goes (builders and instances
     * hold references too). */
    bld = isorun_builder_new(rt, plain);
    REQUIRE_OK(isorun_builder_add_system(bld, a));
    REQUIRE_OK(isorun_builder_instantiate(bld, &inst));
    isorun_builder_free(bld);
    log.text[0] = 0;
    isorun_system_free(a);
    isorun_system_free(b);
    CHECK(strcmp(log.text, "free B") == 0); /* a is still held by inst */
    isorun_instance_free(inst);
    CHECK(strcmp(log.text, "free B, teardown A, free A") == 0);
done:
    isorun_module_free(plain);
    isorun_module_free(trapping);
    isorun_module_free(needy);
    isorun_runtime_free(rt);
}

int main(void) {
    RUN(test_kv_private_namespaces);
    RUN(test_kv_limits);
    RUN(test_kv_shared_namespace);
    RUN(test_auth);
    RUN(test_components_together);
    RUN(test_lifecycle_order);
    return rt_summary();
}
