/*
 * test_budget_execution_limit.c — isorun_budget's time limits: fuel (an
 * out-of-fuel trap, a refill with isorun_instance_add_fuel, usage figures),
 * the per-call deadline (an endless loop ends with ISORUN_TRAP_DEADLINE
 * within about twice the deadline, and the next call runs normally),
 * interruption from another thread, and max_call_depth.
 */
#include "rt_helpers.h"
#include "interrupter.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static isorun_error *sum_to(isorun_instance *inst, int32_t n, int64_t *out) {
    isorun_val arg = isorun_val_i32(n), res = isorun_val_i64(0);
    isorun_error *err = isorun_instance_call(inst, "sum_to", &arg, 1, &res, 1);
    *out = res.of.i64;
    return err;
}

static void test_fuel(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_budget budget = {.fuel = 10000};
    isorun_instance *inst = INSTANCE(rt, m, &budget);
    int64_t sum = 0;
    EXPECT_OK(sum_to(inst, 100, &sum));
    CHECK(sum == 5050);
    isorun_usage u;
    isorun_instance_usage(inst, &u);
    CHECK(u.fuel_consumed > 100); /* at least one unit per iteration */
    CHECK_EQ_U64(u.fuel_consumed + u.fuel_remaining, 10000);

    /* The endless loop runs dry. */
    EXPECT_TRAP(isorun_instance_call(inst, "spin", NULL, 0, NULL, 0), ISORUN_TRAP_OUT_OF_FUEL, "out of fuel");
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.fuel_remaining, 0);
    CHECK_EQ_U64(u.fuel_consumed, 10000);
    CHECK_EQ_U64(u.traps, 1);
    /* Empty tank: even a short loop traps, and so does straight-line code
     * (the called function pays its instructions on entry). */
    EXPECT_TRAP(sum_to(inst, 10, &sum), ISORUN_TRAP_OUT_OF_FUEL, NULL);
    EXPECT_TRAP(call_i32(inst, "store", NULL, 2, 8, 1234, 0), ISORUN_TRAP_OUT_OF_FUEL, NULL);

    /* Refill and continue: the instance (memory included) is intact. */
    REQUIRE_OK(isorun_instance_add_fuel(inst, 1000000));
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.fuel_remaining, 1000000); /* pending fuel is reported */
    EXPECT_OK(call_i32(inst, "store", NULL, 2, 8, 1234, 0));
    EXPECT_OK(sum_to(inst, 10000, &sum));
    CHECK(sum == 50005000);
    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "load", &r, 1, 8, 0, 0));
    CHECK_EQ_INT(r, 1234);
    isorun_instance_usage(inst, &u);
    CHECK(u.fuel_remaining < 1000000 - 10000);
    CHECK_EQ_U64(u.fuel_consumed + u.fuel_remaining, 1010000);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static void test_deadline(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    const uint64_t deadline_ms = 100;
    isorun_budget budget = {.deadline_ns = deadline_ms * 1000000u};
    isorun_instance *inst = INSTANCE(rt, m, &budget);
    for (int round = 0; round < 2; round++) {
        /* The trap must come every time. The time it takes is also the
         * scheduler's business (the timer thread must get a CPU), so on a
         * loaded machine one slow attempt in three is forgiven. */
        uint64_t took = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            uint64_t t0 = now_ms();
            EXPECT_TRAP(isorun_instance_call(inst, "spin", NULL, 0, NULL, 0), ISORUN_TRAP_DEADLINE,
                        "deadline exceeded");
            took = now_ms() - t0;
            CHECK(took >= deadline_ms);
            if (took <= 2 * deadline_ms) break;
            fprintf(stderr, "    attempt %d: the deadline of %llu ms took %llu ms\n", attempt,
                    (unsigned long long)deadline_ms, (unsigned long long)took);
        }
        CHECK(took <= 2 * deadline_ms);
        /* The next call starts with a fresh deadline. */
        int64_t sum = 0;
        EXPECT_OK(sum_to(inst, 1000, &sum));
        CHECK(sum == 500500);
    }
    /* Interrupting an idle instance does not affect the next call. */
    isorun_instance_interrupt(inst);
    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "add", &r, 2, 1, 1, 0));
    CHECK_EQ_INT(r, 2);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static void test_interrupt_from_another_thread(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_instance *inst = INSTANCE(rt, m, NULL);
    interrupter it;
    interrupter_start(&it, inst);
    uint64_t t0 = now_ms();
    EXPECT_TRAP(isorun_instance_call(inst, "spin", NULL, 0, NULL, 0), ISORUN_TRAP_INTERRUPTED, "interrupted");
    CHECK(now_ms() - t0 < 5000);
    interrupter_stop(&it);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static void test_call_depth(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "fib");
    if (!m) goto done;
    isorun_budget budget = {.max_call_depth = 10};
    isorun_instance *inst = INSTANCE(rt, m, &budget);
    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "fib", &r, 1, 8, 0, 0)); /* 9 frames deep */
    CHECK_EQ_INT(r, 21);
    EXPECT_TRAP(call_i32(inst, "fib", &r, 1, 20, 0, 0), ISORUN_TRAP_STACK_EXHAUSTED, "call stack exhausted");
    EXPECT_OK(call_i32(inst, "fib_loop", &r, 1, 20, 0, 0));
    CHECK_EQ_INT(r, 6765);
    isorun_instance_free(inst);
    /* The default allows deep recursion. */
    inst = INSTANCE(rt, m, NULL);
    EXPECT_OK(call_i32(inst, "fib", &r, 1, 20, 0, 0));
    CHECK_EQ_INT(r, 6765);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

int main(void) {
    RUN(test_fuel);
    RUN(test_deadline);
    RUN(test_interrupt_from_another_thread);
    RUN(test_call_depth);
    return rt_summary();
}
