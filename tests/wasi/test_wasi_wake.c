/*
 * test_wasi_wake.c — a guest waiting inside WASI (fd_read on a pipe with no
 * data, fd_write on a full pipe, poll_oneoff on a clock or an fd) is stopped
 * by its call's deadline and by isorun_instance_interrupt from another
 * thread, with the trap the interpreter raises for them, and loses nothing
 * that arrives while it waits. The guest is tests/wasi/guests/wait.wat; its
 * stdin and stdout are pipes this test holds open, so no EOF ever ends a wait.
 *
 * A wait that is not woken would hang the test: an alarm fails it instead,
 * naming the case, well before CTest's own timeout.
 */
#define _GNU_SOURCE
#include "../runtime/rt_helpers.h"
#include "../runtime/interrupter.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

/* Generous: the deadlines are 200 ms; only a wait nobody woke takes this long. */
#define STOPPED_WITHIN_S 10.0
#define HANG_ALARM_S 30u
#define DEADLINE_NS 200000000u
#define HOUR_NS INT64_C(3600000000000)

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_wasi_wake: a guest is still blocked in WASI after 30 s: it was not woken\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(1);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One instance of the guest with WASI: stdin the read end of `in`, stdout
 * the write end of `out` (both pipes stay open on this side). */
typedef struct fixture {
    isorun_runtime *rt;
    isorun_module *m;
    isorun_instance *inst;
    int in[2], out[2];
} fixture;

static bool fixture_open(fixture *f, uint64_t deadline_ns) {
    *f = (fixture){.in = {-1, -1}, .out = {-1, -1}};
    f->rt = RUNTIME();
    f->m = LOAD_WAT(f->rt, "wasi_wait");
    if (!f->m) return false;
    REQUIRE(pipe2(f->in, O_CLOEXEC) == 0 && pipe2(f->out, O_CLOEXEC) == 0);
    isorun_wasi_options *o = isorun_wasi_options_new();
    REQUIRE(o);
    isorun_wasi_set_stdio(o, f->in[0], f->out[1], -1);
    isorun_wasi_allow(o, ISORUN_WASI_CLOCKS);
    isorun_system_component *wasi = NULL;
    REQUIRE_OK(isorun_wasi_new(o, &wasi));
    isorun_builder *b = isorun_builder_new(f->rt, f->m);
    REQUIRE(b);
    isorun_builder_set_budget(b, &(isorun_budget){.deadline_ns = deadline_ns});
    isorun_error *err = isorun_builder_add_system(b, wasi);
    if (!err) err = isorun_builder_instantiate(b, &f->inst);
    isorun_builder_free(b);
    isorun_system_free(wasi);
    REQUIRE_OK(err);
    return true;
}

static void fixture_close(fixture *f) {
    isorun_instance_free(f->inst);
    isorun_module_free(f->m);
    isorun_runtime_free(f->rt);
    for (int i = 0; i < 2; i++) {
        if (f->in[i] >= 0) close(f->in[i]);
        if (f->out[i] >= 0) close(f->out[i]);
    }
}

/* Calls export `name` with up to two arguments (i32, or i64 for "sleep"),
 * under the hang alarm; *seconds gets how long the call took. */
static isorun_error *call_timed(fixture *f, const char *name, int64_t a, int32_t b, size_t nargs, int32_t *result,
                                double *seconds) {
    isorun_val args[2] = {strcmp(name, "sleep") == 0 ? isorun_val_i64(a) : isorun_val_i32((int32_t)a),
                          isorun_val_i32(b)};
    isorun_val res = isorun_val_i32(INT32_MIN);
    double start = now_s();
    alarm(HANG_ALARM_S);
    isorun_error *err = isorun_instance_call(f->inst, name, args, nargs, &res, 1);
    alarm(0);
    if (seconds) *seconds = now_s() - start;
    if (result) *result = res.of.i32;
    return err;
}

static bool write_all(int fd, const char *text) {
    size_t len = strlen(text);
    return write(fd, text, len) == (ssize_t)len;
}

/* The guest's buffer (address 1024) holds `text`. */
static void expect_buffer(fixture *f, const char *text) {
    char got[64] = {0};
    size_t len = strlen(text);
    EXPECT_OK(isorun_instance_read_memory(f->inst, 1024, got, len));
    CHECK(memcmp(got, text, len) == 0);
}

/* ------------------------------------------------------------------------
 * Deadlines
 * ------------------------------------------------------------------------ */

static void test_deadline_stops_read_on_idle_pipe(void) {
    fixture f;
    if (!fixture_open(&f, DEADLINE_NS)) goto done;
    double took = 0;
    EXPECT_TRAP(call_timed(&f, "read", 0, 0, 1, NULL, &took), ISORUN_TRAP_DEADLINE, "fd_read");
    CHECK(took < STOPPED_WITHIN_S);
    /* The instance stays usable, and the next call's wait is a real one:
     * data that is there is read, with no trap left over. */
    REQUIRE(write_all(f.in[1], "hello"));
    int32_t n = 0;
    EXPECT_OK(call_timed(&f, "read", 0, 0, 1, &n, NULL));
    CHECK_EQ_INT(n, 5);
    expect_buffer(&f, "hello");
    /* And the next wait on the idle pipe is stopped again. */
    EXPECT_TRAP(call_timed(&f, "read", 0, 0, 1, NULL, &took), ISORUN_TRAP_DEADLINE, "fd_read");
    CHECK(took < STOPPED_WITHIN_S);
done:
    fixture_close(&f);
}

static void test_deadline_stops_hour_long_clock_wait(void) {
    fixture f;
    if (!fixture_open(&f, DEADLINE_NS)) goto done;
    double took = 0;
    EXPECT_TRAP(call_timed(&f, "sleep", HOUR_NS, 0, 1, NULL, &took), ISORUN_TRAP_DEADLINE, "poll_oneoff");
    CHECK(took < STOPPED_WITHIN_S);
    /* A short sleep still ends by its clock. */
    int32_t r = -1;
    EXPECT_OK(call_timed(&f, "sleep", 1000000, 0, 1, &r, NULL));
    CHECK_EQ_INT(r, 0);
done:
    fixture_close(&f);
}

static void test_deadline_stops_fd_poll(void) {
    fixture f;
    if (!fixture_open(&f, DEADLINE_NS)) goto done;
    double took = 0;
    EXPECT_TRAP(call_timed(&f, "wait_readable", 0, 0, 1, NULL, &took), ISORUN_TRAP_DEADLINE, "poll_oneoff");
    CHECK(took < STOPPED_WITHIN_S);
    REQUIRE(write_all(f.in[1], "abc"));
    int32_t r = -1;
    EXPECT_OK(call_timed(&f, "wait_readable", 0, 0, 1, &r, NULL));
    CHECK_EQ_INT(r, 3);
done:
    fixture_close(&f);
}

static void test_deadline_stops_write_to_full_pipe(void) {
    fixture f;
    if (!fixture_open(&f, DEADLINE_NS)) goto done;
    /* Fill the guest's stdout pipe: nothing reads it. */
    int size = fcntl(f.out[1], F_SETPIPE_SZ, 4096);
    REQUIRE(size > 0);
    char *fill = calloc(1, (size_t)size);
    REQUIRE(fill);
    REQUIRE(write(f.out[1], fill, (size_t)size) == size);
    double took = 0;
    EXPECT_TRAP(call_timed(&f, "write", 1, 100, 2, NULL, &took), ISORUN_TRAP_DEADLINE, "fd_write");
    CHECK(took < STOPPED_WITHIN_S);
    /* Once the reader takes the bytes, writing goes through. */
    REQUIRE(read(f.out[0], fill, (size_t)size) == size);
    free(fill);
    int32_t n = 0;
    EXPECT_OK(call_timed(&f, "write", 1, 100, 2, &n, NULL));
    CHECK_EQ_INT(n, 100);
done:
    fixture_close(&f);
}

/* ------------------------------------------------------------------------
 * isorun_instance_interrupt from another thread
 * ------------------------------------------------------------------------ */

static void test_interrupt_stops_read_on_idle_pipe(void) {
    fixture f;
    if (!fixture_open(&f, 0)) goto done;
    interrupter it;
    interrupter_start(&it, f.inst);
    double took = 0;
    isorun_error *err = call_timed(&f, "read", 0, 0, 1, NULL, &took);
    interrupter_stop(&it);
    EXPECT_TRAP(err, ISORUN_TRAP_INTERRUPTED, "fd_read");
    CHECK(took < STOPPED_WITHIN_S);
    /* No interrupt is left over for the next call. */
    REQUIRE(write_all(f.in[1], "next"));
    int32_t n = 0;
    EXPECT_OK(call_timed(&f, "read", 0, 0, 1, &n, NULL));
    CHECK_EQ_INT(n, 4);
    expect_buffer(&f, "next");
done:
    fixture_close(&f);
}

static void test_interrupt_stops_clock_wait(void) {
    fixture f;
    if (!fixture_open(&f, 0)) goto done;
    interrupter it;
    interrupter_start(&it, f.inst);
    double took = 0;
    isorun_error *err = call_timed(&f, "sleep", HOUR_NS, 0, 1, NULL, &took);
    interrupter_stop(&it);
    EXPECT_TRAP(err, ISORUN_TRAP_INTERRUPTED, "poll_oneoff");
    CHECK(took < STOPPED_WITHIN_S);
done:
    fixture_close(&f);
}

/* ------------------------------------------------------------------------
 * Data that arrives during a wait is delivered
 * ------------------------------------------------------------------------ */

typedef struct late_writer {
    int fd;
    const char *text;
    pthread_t thread;
} late_writer;

static void *late_write_main(void *arg) {
    late_writer *w = arg;
    nanosleep(&(struct timespec){0, 100000000}, NULL);
    if (!write_all(w->fd, w->text)) perror("late write");
    return NULL;
}

static void test_data_arriving_during_wait_is_read(void) {
    fixture f;
    if (!fixture_open(&f, 20 * UINT64_C(1000000000))) goto done;
    late_writer w = {.fd = f.in[1], .text = "later"};
    REQUIRE(pthread_create(&w.thread, NULL, late_write_main, &w) == 0);
    int32_t n = 0;
    isorun_error *err = call_timed(&f, "read", 0, 0, 1, &n, NULL);
    pthread_join(w.thread, NULL);
    EXPECT_OK(err);
    CHECK_EQ_INT(n, 5);
    expect_buffer(&f, "later");

    w.text = "polled";
    REQUIRE(pthread_create(&w.thread, NULL, late_write_main, &w) == 0);
    err = call_timed(&f, "wait_readable", 0, 0, 1, &n, NULL);
    pthread_join(w.thread, NULL);
    EXPECT_OK(err);
    CHECK_EQ_INT(n, 6);
    EXPECT_OK(call_timed(&f, "read", 0, 0, 1, &n, NULL));
    CHECK_EQ_INT(n, 6);
    expect_buffer(&f, "polled");
done:
    fixture_close(&f);
}

int main(void) {
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    RUN(test_deadline_stops_read_on_idle_pipe);
    RUN(test_deadline_stops_hour_long_clock_wait);
    RUN(test_deadline_stops_fd_poll);
    RUN(test_deadline_stops_write_to_full_pipe);
    RUN(test_interrupt_stops_read_on_idle_pipe);
    RUN(test_interrupt_stops_clock_wait);
    RUN(test_data_arriving_during_wait_is_read);
    return rt_summary();
}
