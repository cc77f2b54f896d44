/*
 * test_instance_registry.c — the runtime's registry of instances by id:
 * register / lookup / unregister, unique ids, registration through the
 * builder, the references it holds (an instance lives while registered and
 * goes once unregistered and released), emptying at runtime free, many ids,
 * and lookups racing unregistrations and frees on other threads.
 */
#include "rt_helpers.h"

#include <pthread.h>
#include <stdatomic.h>

/* A component that counts how many instances it tore down, so the tests can
 * see exactly when an instance is freed. */
typedef struct counter_config {
    atomic_int configured, torn_down;
} counter_config;

static isorun_error *counter_configure(void *config, isorun_instance *inst, void **state) {
    atomic_fetch_add(&((counter_config *)config)->configured, 1);
    return NULL;
}
static void counter_teardown(void *config, void *state) { atomic_fetch_add(&((counter_config *)config)->torn_down, 1); }
static const isorun_system_ops counter_ops = {"test:counter", NULL, counter_configure, counter_teardown, NULL};

typedef struct fixture {
    isorun_runtime *rt;
    isorun_module *m;
    isorun_system_component *counter;
    counter_config cfg;
} fixture;

static bool fixture_init(fixture *fx) {
    memset(fx, 0, sizeof *fx);
    fx->rt = RUNTIME();
    fx->m = LOAD_WAT(fx->rt, "rt_math");
    if (!fx->m) {
        isorun_runtime_free(fx->rt);
        return false;
    }
    REQUIRE_OK(isorun_system_new(&counter_ops, &fx->cfg, &fx->counter));
    return true;
}

static void fixture_done(fixture *fx) {
    isorun_system_free(fx->counter);
    isorun_module_free(fx->m);
    if (fx->rt) isorun_runtime_free(fx->rt);
}

/* An instance with the counter, registered as id when id is not NULL. */
static isorun_error *make(fixture *fx, const char *id, isorun_instance **out) {
    isorun_builder *b = isorun_builder_new(fx->rt, fx->m);
    REQUIRE(b);
    isorun_error *err = isorun_builder_add_system(b, fx->counter);
    if (!err && id) err = isorun_builder_set_id(b, id);
    if (!err) err = isorun_builder_instantiate(b, out);
    isorun_builder_free(b);
    return err;
}

static isorun_instance *make_ok(fixture *fx, const char *id) {
    isorun_instance *inst = NULL;
    REQUIRE_OK(make(fx, id, &inst));
    return inst;
}

static void test_register_lookup_unregister(void) {
    fixture fx;
    if (!fixture_init(&fx)) return;
    isorun_instance *a = make_ok(&fx, NULL), *b = make_ok(&fx, NULL);

    REQUIRE_OK(isorun_runtime_register(fx.rt, "math-a", a));
    REQUIRE_OK(isorun_runtime_register(fx.rt, "math-b", b));
    EXPECT_ERROR(isorun_runtime_register(fx.rt, "math-a", b), ISORUN_ERR_ARGUMENT, "'math-a' is already registered");
    EXPECT_ERROR(isorun_runtime_register(fx.rt, "", b), ISORUN_ERR_ARGUMENT, NULL);
    /* One instance may answer to several ids. */
    REQUIRE_OK(isorun_runtime_register(fx.rt, "alias-of-a", a));

    isorun_instance *found = isorun_runtime_lookup(fx.rt, "math-a");
    CHECK(found == a);
    isorun_instance_free(found);
    found = isorun_runtime_lookup(fx.rt, "alias-of-a");
    CHECK(found == a);
    isorun_instance_free(found);
    CHECK(isorun_runtime_lookup(fx.rt, "math-c") == NULL);
    CHECK(isorun_runtime_lookup(fx.rt, "math") == NULL);

    /* The registry's reference keeps an instance the embedder let go of. */
    isorun_instance_free(b);
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 0);
    found = isorun_runtime_lookup(fx.rt, "math-b");
    REQUIRE(found);
    int32_t r = 0;
    EXPECT_OK(call_i32(found, "add", &r, 2, 2, 3, 0));
    CHECK_EQ_INT(r, 5);
    /* ...and a looked-up reference keeps it across unregister. */
    EXPECT_OK(isorun_runtime_unregister(fx.rt, "math-b"));
    CHECK(isorun_runtime_lookup(fx.rt, "math-b") == NULL);
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 0);
    EXPECT_OK(call_i32(found, "add", &r, 2, 4, 3, 0));
    CHECK_EQ_INT(r, 7);
    isorun_instance_free(found); /* the last reference: b goes now */
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 1);

    EXPECT_ERROR(isorun_runtime_unregister(fx.rt, "math-b"), ISORUN_ERR_NOT_FOUND, "'math-b'");
    /* The id is free again. */
    isorun_instance *c = make_ok(&fx, NULL);
    REQUIRE_OK(isorun_runtime_register(fx.rt, "math-b", c));
    found = isorun_runtime_lookup(fx.rt, "math-b");
    CHECK(found == c);
    isorun_instance_free(found);
    isorun_instance_free(c);

    EXPECT_OK(isorun_runtime_unregister(fx.rt, "math-a"));
    isorun_instance_free(a);
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 1); /* still "alias-of-a" */
    EXPECT_OK(isorun_runtime_unregister(fx.rt, "alias-of-a"));
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 2);

    /* Freeing the runtime releases what is still registered (c). */
    isorun_runtime_free(fx.rt);
    fx.rt = NULL;
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 3);
    fixture_done(&fx);
}

static void test_builder_ids(void) {
    fixture fx;
    if (!fixture_init(&fx)) return;
    isorun_instance *a = make_ok(&fx, "service");
    isorun_instance *found = isorun_runtime_lookup(fx.rt, "service");
    CHECK(found == a);
    isorun_instance_free(found);

    /* A taken id fails the instantiation; nothing is left behind. */
    isorun_instance *dup = NULL;
    EXPECT_ERROR(make(&fx, "service", &dup), ISORUN_ERR_ARGUMENT, "'service' is already registered");
    CHECK(dup == NULL);
    CHECK_EQ_INT(atomic_load(&fx.cfg.configured), 1);

    /* The id names the instance in messages (trap in a link, lock waits). */
    isorun_builder *b = isorun_builder_new(fx.rt, fx.m);
    EXPECT_ERROR(isorun_builder_set_id(b, ""), ISORUN_ERR_ARGUMENT, "empty");
    isorun_builder_free(b);

    isorun_instance_free(a);
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 0); /* registered */
    EXPECT_OK(isorun_runtime_unregister(fx.rt, "service"));
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 1);
    fixture_done(&fx);
}

static void test_many_ids(void) {
    fixture fx;
    if (!fixture_init(&fx)) return;
    isorun_instance *insts[4];
    for (int i = 0; i < 4; i++) insts[i] = make_ok(&fx, NULL);
    enum { IDS = 2000 };
    char id[32];
    for (int i = 0; i < IDS; i++) {
        snprintf(id, sizeof id, "instance-%d", i);
        REQUIRE_OK(isorun_runtime_register(fx.rt, id, insts[i % 4]));
    }
    int right = 0;
    for (int i = 0; i < IDS; i++) {
        snprintf(id, sizeof id, "instance-%d", i);
        isorun_instance *f = isorun_runtime_lookup(fx.rt, id);
        right += f == insts[i % 4];
        isorun_instance_free(f);
    }
    CHECK_EQ_INT(right, IDS);
    for (int i = 0; i < IDS; i += 2) {
        snprintf(id, sizeof id, "instance-%d", i);
        EXPECT_OK(isorun_runtime_unregister(fx.rt, id));
    }
    int present = 0;
    for (int i = 0; i < IDS; i++) {
        snprintf(id, sizeof id, "instance-%d", i);
        isorun_instance *f = isorun_runtime_lookup(fx.rt, id);
        present += f != NULL;
        if (f) CHECK(i % 2 == 1);
        isorun_instance_free(f);
    }
    CHECK_EQ_INT(present, IDS / 2);
    /* Instances 0 and 2 had only even ids, all unregistered: they go with
     * their last handle; 1 and 3 stay registered. */
    for (int i = 0; i < 4; i++) isorun_instance_free(insts[i]);
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 2);
    isorun_runtime_free(fx.rt); /* drops the other half */
    fx.rt = NULL;
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), 4);
    fixture_done(&fx);
}

/* ------------------------------------------------------------------------
 * Lookups racing unregistrations and frees
 * ------------------------------------------------------------------------ */

enum { SLOTS = 4, ROUNDS = 300, READERS = 3 };

typedef struct race {
    fixture *fx;
    atomic_int stop;
    atomic_int hits, misses, wrong;
} race;

static void *reader(void *arg) {
    race *rc = arg;
    char id[16];
    unsigned i = 0;
    while (!atomic_load(&rc->stop)) {
        snprintf(id, sizeof id, "slot-%u", i++ % SLOTS);
        isorun_instance *inst = isorun_runtime_lookup(rc->fx->rt, id);
        if (!inst) {
            atomic_fetch_add(&rc->misses, 1);
            continue;
        }
        /* Whatever happens to the registry meanwhile, this reference works. */
        int32_t r = 0;
        isorun_error *err = call_i32(inst, "add", &r, 2, (int32_t)i, 1, 0);
        if (err || r != (int32_t)i + 1) atomic_fetch_add(&rc->wrong, 1);
        isorun_error_free(err);
        isorun_instance_free(inst);
        atomic_fetch_add(&rc->hits, 1);
    }
    return NULL;
}

static void test_lookups_race_frees(void) {
    fixture fx;
    if (!fixture_init(&fx)) return;
    race rc = {&fx, 0, 0, 0, 0};
    pthread_t readers[READERS];
    for (int t = 0; t < READERS; t++) REQUIRE(pthread_create(&readers[t], NULL, reader, &rc) == 0);
    /* This thread churns: make an instance, register it (dropping its own
     * reference at once, so the registry holds the only one), unregister
     * it a little later, which frees it unless a reader holds it. */
    char id[16];
    int made = 0;
    /* At least ROUNDS rounds, and on until the readers have found instances
     * a few hundred times (threads may start late on a loaded machine). */
    for (int round = 0; round < ROUNDS || (atomic_load(&rc.hits) < 300 && round < 100 * ROUNDS); round++) {
        snprintf(id, sizeof id, "slot-%d", round % SLOTS);
        isorun_instance *inst = make_ok(&fx, NULL);
        made++;
        isorun_error *err = isorun_runtime_register(fx.rt, id, inst);
        isorun_instance_free(inst);
        REQUIRE_OK(err);
        if (round >= SLOTS - 1) {
            snprintf(id, sizeof id, "slot-%d", (round + 1) % SLOTS);
            EXPECT_OK(isorun_runtime_unregister(fx.rt, id));
        }
    }
    atomic_store(&rc.stop, 1);
    for (int t = 0; t < READERS; t++) pthread_join(readers[t], NULL);
    CHECK_EQ_INT(atomic_load(&rc.wrong), 0);
    CHECK(atomic_load(&rc.hits) > 0);
    for (int s = 0; s < SLOTS; s++) {
        snprintf(id, sizeof id, "slot-%d", s);
        isorun_error *err = isorun_runtime_unregister(fx.rt, id);
        isorun_error_free(err); /* one of them was already unregistered */
    }
    /* Every instance made was freed exactly once. */
    CHECK_EQ_INT(atomic_load(&fx.cfg.torn_down), made);
    fixture_done(&fx);
}

int main(void) {
    RUN(test_register_lookup_unregister);
    RUN(test_builder_ids);
    RUN(test_many_ids);
    RUN(test_lookups_race_frees);
    return rt_summary();
}
