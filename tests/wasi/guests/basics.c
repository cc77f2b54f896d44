/* basics.c — the WASI functions that need no filesystem: arguments,
 * environment, clocks, random, yield, poll_oneoff, exit, stdio, sockets,
 * and EFAULT for pointers outside memory. One case per run (argv[1]). */
#include "guest_check.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int g_argc;
static char **g_argv;

static void args(void) {
    /* The harness passes: basics args "two words" "" "ünï" */
    EXPECT_EQ(g_argc, 5);
    if (g_argc != 5) return;
    EXPECT(strcmp(g_argv[0], "wasi_basics.wasm") == 0);
    EXPECT(strcmp(g_argv[2], "two words") == 0);
    EXPECT(strcmp(g_argv[3], "") == 0);
    EXPECT(strcmp(g_argv[4], "\xc3\xbcn\xc3\xaf") == 0);
    __wasi_size_t count, size;
    EXPECT_ERRNO(__wasi_args_sizes_get(&count, &size), 0);
    EXPECT_EQ(count, 5);
    EXPECT_EQ(size, strlen("wasi_basics.wasm") + 1 + 5 + 10 + 1 + 6);
    EXPECT_ERRNO(__wasi_args_sizes_get(BAD_PTR, &size), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_args_sizes_get(&count, BAD_PTR), __WASI_ERRNO_FAULT);
    char buf[64];
    uint8_t *ptrs[8];
    EXPECT_ERRNO(__wasi_args_get(ptrs, (uint8_t *)BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_args_get((uint8_t **)BAD_PTR, (uint8_t *)buf), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_args_get(ptrs, (uint8_t *)buf), 0);
    EXPECT(strcmp((char *)ptrs[2], "two words") == 0);
}

static void environ_(void) {
    /* The harness sets exactly A=1 and EMPTY= (nothing of its own). */
    EXPECT(getenv("A") && strcmp(getenv("A"), "1") == 0);
    EXPECT(getenv("EMPTY") && strcmp(getenv("EMPTY"), "") == 0);
    EXPECT(getenv("PATH") == NULL);
    EXPECT(getenv("HOME") == NULL);
    __wasi_size_t count, size;
    EXPECT_ERRNO(__wasi_environ_sizes_get(&count, &size), 0);
    EXPECT_EQ(count, 2);
    EXPECT_EQ(size, 4 + 7);
    uint8_t *ptrs[2];
    EXPECT_ERRNO(__wasi_environ_get(ptrs, (uint8_t *)BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_environ_sizes_get(BAD_PTR, &size), __WASI_ERRNO_FAULT);
}

static void clocks_granted(void) {
    __wasi_timestamp_t t1, t2, res;
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1), 0);
    EXPECT_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), 0);
    EXPECT(res > 0 && res <= 1000000);
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t2), 0);
    EXPECT(t2 > UINT64_C(1600000000) * 1000000000u); /* after 2020 */
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t2), 0);
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &t2), 0);
    EXPECT_ERRNO(__wasi_clock_time_get(7, 1, &t2), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_clock_res_get(7, &res), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, BAD_PTR), __WASI_ERRNO_FAULT);
    /* A relative clock subscription sleeps about that long. */
    __wasi_subscription_t sub = {.userdata = 42, .u = {.tag = __WASI_EVENTTYPE_CLOCK}};
    sub.u.u.clock = (__wasi_subscription_clock_t){.id = __WASI_CLOCKID_MONOTONIC, .timeout = 20000000};
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1), 0);
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(ev.userdata, 42);
    EXPECT_EQ(ev.error, 0);
    EXPECT_EQ(ev.type, __WASI_EVENTTYPE_CLOCK);
    EXPECT(t2 - t1 >= 20000000);
    /* An absolute deadline in the past is due at once. */
    sub.u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    sub.u.u.clock.timeout = t1;
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(ev.error, 0);
    /* A clock and a ready fd: the fd's event comes at once, the clock's not. */
    __wasi_subscription_t two[2] = {{.userdata = 1, .u = {.tag = __WASI_EVENTTYPE_CLOCK}},
                                    {.userdata = 2, .u = {.tag = __WASI_EVENTTYPE_FD_WRITE}}};
    two[0].u.u.clock = (__wasi_subscription_clock_t){.id = __WASI_CLOCKID_MONOTONIC, .timeout = 10000000000ull};
    two[1].u.u.fd_write.file_descriptor = 1;
    __wasi_event_t evs[2];
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1), 0);
    EXPECT_ERRNO(__wasi_poll_oneoff(two, evs, 2, &n), 0);
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(evs[0].userdata, 2);
    EXPECT_EQ(evs[0].type, __WASI_EVENTTYPE_FD_WRITE);
    EXPECT(t2 - t1 < 5000000000ull);
    /* Two clocks: the earlier one fires. */
    two[1] = two[0];
    two[1].userdata = 3;
    two[1].u.u.clock.timeout = 1000000;
    EXPECT_ERRNO(__wasi_poll_oneoff(two, evs, 2, &n), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(evs[0].userdata, 3);
    /* CPU-time clocks cannot be waited on; unknown clock flags are EINVAL. */
    sub.u.u.clock = (__wasi_subscription_clock_t){.id = __WASI_CLOCKID_PROCESS_CPUTIME_ID, .timeout = 1};
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(ev.error, __WASI_ERRNO_NOTSUP);
    sub.u.u.clock = (__wasi_subscription_clock_t){.id = __WASI_CLOCKID_MONOTONIC, .timeout = 1, .flags = 2};
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(ev.error, __WASI_ERRNO_INVAL);
    /* libc's sleep goes through poll_oneoff too. */
    struct timespec ts = {0, 5000000};
    EXPECT_EQ(nanosleep(&ts, NULL), 0);
    struct timespec now;
    EXPECT_EQ(clock_gettime(CLOCK_REALTIME, &now), 0);
}

static void clocks_denied(void) {
    __wasi_timestamp_t t;
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &t), __WASI_ERRNO_NOTCAPABLE);
    /* A clock subscription is answered at once with the error, no sleep. */
    __wasi_subscription_t sub = {.userdata = 7, .u = {.tag = __WASI_EVENTTYPE_CLOCK}};
    sub.u.u.clock = (__wasi_subscription_clock_t){.id = __WASI_CLOCKID_MONOTONIC, .timeout = 60000000000ull};
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(ev.userdata, 7);
    EXPECT_EQ(ev.error, __WASI_ERRNO_NOTCAPABLE);
    struct timespec now;
    EXPECT(clock_gettime(CLOCK_MONOTONIC, &now) != 0);
}

static void random_granted(void) {
    uint8_t a[64] = {0}, b[64] = {0};
    EXPECT_ERRNO(__wasi_random_get(a, sizeof a), 0);
    EXPECT_ERRNO(__wasi_random_get(b, sizeof b), 0);
    EXPECT(memcmp(a, b, sizeof a) != 0);
    EXPECT_ERRNO(__wasi_random_get(BAD_PTR, 64), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_random_get(a, 0), 0);
}

static void random_denied(void) {
    uint8_t a[16];
    EXPECT_ERRNO(__wasi_random_get(a, sizeof a), __WASI_ERRNO_NOTCAPABLE);
}

static void misc(void) {
    EXPECT_ERRNO(__wasi_sched_yield(), 0);
    EXPECT_ERRNO(raw_proc_raise(15), __WASI_ERRNO_NOSYS);
    __wasi_fd_t fd;
    EXPECT_ERRNO(__wasi_sock_accept(3, 0, &fd), __WASI_ERRNO_NOTSUP);
    EXPECT_ERRNO(__wasi_sock_shutdown(3, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTSUP);
    __wasi_size_t sz;
    __wasi_roflags_t rof;
    EXPECT_ERRNO(__wasi_sock_recv(3, NULL, 0, 0, &sz, &rof), __WASI_ERRNO_NOTSUP);
    EXPECT_ERRNO(__wasi_sock_send(3, NULL, 0, 0, &sz), __WASI_ERRNO_NOTSUP);
    /* poll_oneoff: no subscriptions, bad pointers, an unknown tag, a bad fd. */
    __wasi_subscription_t sub = {.userdata = 1, .u = {.tag = __WASI_EVENTTYPE_FD_READ}};
    sub.u.u.fd_read.file_descriptor = 99;
    __wasi_event_t ev;
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 0, &n), __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_poll_oneoff(BAD_PTR, &ev, 1, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, BAD_PTR, 1, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(ev.error, __WASI_ERRNO_BADF);
    EXPECT_EQ(ev.type, __WASI_EVENTTYPE_FD_READ);
    sub.u.tag = 9;
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), __WASI_ERRNO_INVAL);
    /* stdout is always writable. */
    sub.u.tag = __WASI_EVENTTYPE_FD_WRITE;
    sub.u.u.fd_write.file_descriptor = 1;
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(ev.error, 0);
    EXPECT_EQ(ev.type, __WASI_EVENTTYPE_FD_WRITE);
    /* stdout has no read right to poll for; stdin is closed here. */
    sub.u.tag = __WASI_EVENTTYPE_FD_READ;
    sub.u.u.fd_read.file_descriptor = 1;
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(ev.error, __WASI_ERRNO_NOTCAPABLE);
    sub.u.u.fd_read.file_descriptor = 0;
    EXPECT_ERRNO(__wasi_poll_oneoff(&sub, &ev, 1, &n), 0);
    EXPECT_EQ(ev.error, __WASI_ERRNO_BADF);
}

/* stdin (from the harness: "line one\nline two\n") copied to stdout, a
 * message on stderr, the stdio fds' types and rights. */
static void stdio(void) {
    char line[64];
    int lines = 0;
    while (fgets(line, sizeof line, stdin)) {
        printf("echo: %s", line);
        lines++;
    }
    EXPECT_EQ(lines, 2);
    fprintf(stderr, "to stderr\n");
    __wasi_fdstat_t st;
    EXPECT_ERRNO(__wasi_fd_fdstat_get(1, &st), 0);
    EXPECT(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
    EXPECT(!(st.fs_rights_base & __WASI_RIGHTS_FD_READ));
    EXPECT(!(st.fs_rights_base & (__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)));
    EXPECT_ERRNO(__wasi_fd_fdstat_get(0, &st), 0);
    EXPECT(st.fs_rights_base & __WASI_RIGHTS_FD_READ);
    EXPECT_ERRNO(__wasi_fd_fdstat_get(1, BAD_PTR), __WASI_ERRNO_FAULT);
    /* Streams do not seek; stdout cannot be read, stdin not written. */
    __wasi_filesize_t pos;
    EXPECT_ERRNO(__wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_SPIPE);
    EXPECT_ERRNO(__wasi_fd_tell(1, &pos), __WASI_ERRNO_SPIPE);
    char c;
    __wasi_iovec_t iov = {(uint8_t *)&c, 1};
    __wasi_ciovec_t ciov = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_fd_read(1, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_write(0, &ciov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(__wasi_fd_pwrite(1, &ciov, 1, 0, &n), __WASI_ERRNO_SPIPE);
    /* Bad iovecs: the array or a buffer outside memory, the count pointer. */
    EXPECT_ERRNO(raw_fd_write(1, BAD_PTR, 1, &n), __WASI_ERRNO_FAULT);
    __wasi_ciovec_t bad = {(const uint8_t *)BAD_PTR, 64};
    EXPECT_ERRNO(__wasi_fd_write(1, &bad, 1, &n), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(raw_fd_write(1, &ciov, 1, BAD_PTR), __WASI_ERRNO_FAULT);
    EXPECT_ERRNO(raw_fd_read(0, &iov, 1, BAD_PTR), __WASI_ERRNO_FAULT);
    /* fd_fdstat_set_flags on a stream: APPEND only. */
    EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_APPEND), 0);
    EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK), __WASI_ERRNO_NOTSUP);
    /* Writes with several iovecs arrive whole and in order. */
    __wasi_ciovec_t parts[3] = {{(const uint8_t *)"a", 1}, {(const uint8_t *)"bc", 2}, {(const uint8_t *)"\n", 1}};
    fflush(stdout);
    EXPECT_ERRNO(__wasi_fd_write(1, parts, 3, &n), 0);
    EXPECT_EQ(n, 4);
    /* Closing stdout loses it for the guest (the host keeps its fd). */
    EXPECT_ERRNO(__wasi_fd_close(1), 0);
    EXPECT_ERRNO(__wasi_fd_write(1, &ciov, 1, &n), __WASI_ERRNO_BADF);
    EXPECT_ERRNO(__wasi_fd_close(1), __WASI_ERRNO_BADF);
    /* No preopens: fd 3 is not open. */
    __wasi_prestat_t ps;
    EXPECT_ERRNO(__wasi_fd_prestat_get(3, &ps), __WASI_ERRNO_BADF);
    if (failures) fprintf(stderr, "stdio: %d failures\n", failures);
}

/* Exits through proc_exit with argv[2] as the status, from deep inside. */
static void exit_code(void) {
    int code = g_argc > 2 ? atoi(g_argv[2]) : 0;
    printf("exiting with %d\n", code);
    fflush(stdout);
    exit(code);
}

static const guest_case cases[] = {
    {"args", args},
    {"environ", environ_},
    {"clocks_granted", clocks_granted},
    {"clocks_denied", clocks_denied},
    {"random_granted", random_granted},
    {"random_denied", random_denied},
    {"misc", misc},
    {"stdio", stdio},
    {"exit", exit_code},
    {NULL, NULL},
};

int main(int argc, char **argv) {
    g_argc = argc;
    g_argv = argv;
    return run_cases(cases, argc, argv);
}
