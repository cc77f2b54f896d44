/*
 * test_host_wait.c — a host function written against isorun.h that blocks
 * (waiting for a byte on a pipe) uses isorun_call_wake_fd and
 * isorun_call_interrupted as the header shows, and is stopped by the call's
 * deadline and by isorun_instance_interrupt (also when the blocked instance
 * is a provider the interrupted consumer is calling through a link), with
 * the traps the interpreter raises for them; data that is there is read.
 *
 * A wait that is not woken would hang the test: an alarm fails it instead.
 */
#define _GNU_SOURCE
#include "rt_helpers.h"
#include "interrupter.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#define STOPPED_WITHIN_S 10.0
#define HANG_ALARM_S 30u
#define DEADLINE_NS 200000000u

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_host_wait: a host function is still blocked after 30 s: it was not woken\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(1);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The component's config: the pipe its host function reads, and what the
 * function saw of the API, for the checks. */
typedef struct waiter {
    int fd;
    int wake_fds[2]; /* isorun_call_wake_fd in the last two calls */
    isorun_trap_code interrupted_before_wait;
} waiter;

/* "host"."wait_byte": the next byte of the pipe, waiting for it as
 * isorun.h shows. */
static isorun_error *wait_byte(isorun_call *call, const isorun_val *args, isorun_val *results) {
    (void)args;
    waiter *w = isorun_call_data(call);
    w->wake_fds[0] = w->wake_fds[1];
    w->wake_fds[1] = isorun_call_wake_fd(call);
    w->interrupted_before_wait = isorun_call_interrupted(call);
    struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->wake_fds[1], POLLIN, 0}};
    for (;;) {
        if (poll(p, 2, -1) < 0 && errno != EINTR) return isorun_error_new(ISORUN_ERR_IO, "poll: %s", strerror(errno));
        if (p[0].revents) break;
        isorun_trap_code t = isorun_call_interrupted(call);
        if (t != ISORUN_TRAP_NONE) return isorun_error_new_trap(t, "while waiting for a byte");
    }
    unsigned char byte = 0;
    if (read(w->fd, &byte, 1) != 1) return isorun_error_new(ISORUN_ERR_IO, "no byte");
    results[0] = isorun_val_i32(byte);
    return NULL;
}

static isorun_error *waiter_install(void *config, isorun_imports *imports) {
    return isorun_imports_define(imports, "host", "wait_byte", "-> i32", wait_byte, config);
}

static const isorun_system_ops waiter_ops = {.name = "test:waiter", .install = waiter_install};

/* An instance of rt_host_wait granted a waiter on w, under a deadline (0: none). */
static isorun_instance *waiting_instance(isorun_runtime *rt, isorun_module *m, waiter *w, uint64_t deadline_ns) {
    return INSTANCE_WITH_SYSTEM(rt, m, &waiter_ops, w, &(isorun_budget){.deadline_ns = deadline_ns});
}

static isorun_error *call_wait(isorun_instance *inst, int32_t *byte, double *seconds) {
    int32_t got = -1;
    double start = now_s();
    alarm(HANG_ALARM_S);
    isorun_error *err = call_i32(inst, "wait_byte", &got, 0, 0, 0, 0);
    alarm(0);
    if (seconds) *seconds = now_s() - start;
    if (byte) *byte = got;
    return err;
}

static void test_deadline_wakes_host_wait(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_host_wait");
    int pfd[2] = {-1, -1};
    if (!m) goto done;
    REQUIRE(pipe2(pfd, O_CLOEXEC) == 0);
    waiter w = {.fd = pfd[0], .wake_fds = {-1, -1}};
    isorun_instance *inst = waiting_instance(rt, m, &w, DEADLINE_NS);
    double took = 0;
    EXPECT_TRAP(call_wait(inst, NULL, &took), ISORUN_TRAP_DEADLINE, "while waiting for a byte");
    CHECK(took < STOPPED_WITHIN_S);
    CHECK(w.wake_fds[1] >= 0);
    CHECK_EQ_INT(w.interrupted_before_wait, ISORUN_TRAP_NONE);
    /* The next call starts with the interrupt down and its fd emptied: a
     * byte that is there is read. */
    REQUIRE(write(pfd[1], "x", 1) == 1);
    int32_t byte = 0;
    EXPECT_OK(call_wait(inst, &byte, NULL));
    CHECK_EQ_INT(byte, 'x');
    CHECK_EQ_INT(w.interrupted_before_wait, ISORUN_TRAP_NONE);
    CHECK_EQ_INT(w.wake_fds[1], w.wake_fds[0]); /* one fd per instance */
    isorun_instance_free(inst);
done:
    for (int i = 0; i < 2; i++)
        if (pfd[i] >= 0) close(pfd[i]);
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static void test_interrupt_wakes_host_wait(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_host_wait");
    int pfd[2] = {-1, -1};
    if (!m) goto done;
    REQUIRE(pipe2(pfd, O_CLOEXEC) == 0);
    waiter w = {.fd = pfd[0], .wake_fds = {-1, -1}};
    isorun_instance *inst = waiting_instance(rt, m, &w, 0);
    interrupter it;
    interrupter_start(&it, inst);
    double took = 0;
    isorun_error *err = call_wait(inst, NULL, &took);
    interrupter_stop(&it);
    EXPECT_TRAP(err, ISORUN_TRAP_INTERRUPTED, "while waiting for a byte");
    CHECK(took < STOPPED_WITHIN_S);
    REQUIRE(write(pfd[1], "y", 1) == 1);
    int32_t byte = 0;
    EXPECT_OK(call_wait(inst, &byte, NULL));
    CHECK_EQ_INT(byte, 'y');
    isorun_instance_free(inst);
done:
    for (int i = 0; i < 2; i++)
        if (pfd[i] >= 0) close(pfd[i]);
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

/* Interrupting a consumer reaches the provider it is calling through a
 * link, and wakes the provider's host function blocked in its wait. */
static void test_interrupt_reaches_linked_provider_wait(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *pm = LOAD_WAT(rt, "rt_host_wait");
    isorun_module *cm = pm ? LOAD_WAT(rt, "rt_wait_consumer") : NULL;
    int pfd[2] = {-1, -1};
    if (!cm) goto done;
    REQUIRE(pipe2(pfd, O_CLOEXEC) == 0);
    waiter w = {.fd = pfd[0], .wake_fds = {-1, -1}};
    isorun_instance *provider = waiting_instance(rt, pm, &w, 0);
    isorun_builder *b = isorun_builder_new(rt, cm);
    REQUIRE(b);
    isorun_instance *consumer = NULL;
    isorun_error *err = isorun_builder_link_local(b, "waiter", provider);
    if (!err) err = isorun_builder_instantiate(b, &consumer);
    isorun_builder_free(b);
    REQUIRE_OK(err);
    interrupter it;
    interrupter_start(&it, consumer);
    double took = 0;
    err = call_wait(consumer, NULL, &took);
    interrupter_stop(&it);
    EXPECT_TRAP(err, ISORUN_TRAP_INTERRUPTED, "while waiting for a byte");
    CHECK(took < STOPPED_WITHIN_S);
    isorun_instance_free(consumer);
    isorun_instance_free(provider);
done:
    for (int i = 0; i < 2; i++)
        if (pfd[i] >= 0) close(pfd[i]);
    isorun_module_free(cm);
    isorun_module_free(pm);
    isorun_runtime_free(rt);
}

static void test_outside_a_call(void) {
    CHECK_EQ_INT(isorun_call_wake_fd(NULL), -1);
    CHECK_EQ_INT(isorun_call_interrupted(NULL), ISORUN_TRAP_NONE);
}

int main(void) {
    signal(SIGALRM, on_alarm);
    RUN(test_deadline_wakes_host_wait);
    RUN(test_interrupt_wakes_host_wait);
    RUN(test_interrupt_reaches_linked_provider_wait);
    RUN(test_outside_a_call);
    return rt_summary();
}
