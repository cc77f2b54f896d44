/*
 * test_multi_system_integration.c — one instance that uses a WASI
 * filesystem mount, a local link and a remote link at once, under a budget:
 *
 *   app (runtime 1)  -- WASI mount -->  a temporary host directory
 *                    -- local link -->  counter (runtime 1)
 *                    -- remote link over TCP -->  math provider (runtime 2)
 *
 * Each run(x) returns x + next() computed remotely, and writes the result to
 * a file in the mount; the test checks the returned value, the file's bytes
 * on the host, the provider's and the counter's own state, a read-only mount
 * refusing the write, and what the app sees when the remote side goes away.
 */
#include "rpc_test_util.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

static isorun_runtime *app_rt, *provider_rt;
static isorun_instance *provider, *counter;
static isorun_server *server;
static isorun_transport *tcp;
static char dir[128];

static void setup(void) {
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &app_rt)));
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &provider_rt)));
    provider = make_instance(provider_rt, "math_provider", "math-1", NULL, NULL, 0);
    counter = make_instance(app_rt, "counter", NULL, NULL, NULL, 0);
    REQUIRE(provider && counter);
    REQUIRE(!report_error("server", isorun_server_new(provider_rt, NULL, &server)));
    char url[300];
    tcp = serve_and_dial(server, "tcp://127.0.0.1:0", url, sizeof url);
    REQUIRE(tcp);
    snprintf(dir, sizeof dir, "/tmp/isorun-multi-%d", (int)getpid());
    REQUIRE(mkdir(dir, 0700) == 0);
}

/* The app: WASI with dir mounted as /data (read-only if asked), counter
 * linked locally, math-1 linked remotely, a memory and time budget. */
static isorun_instance *make_app(unsigned mount_flags) {
    isorun_module *m = load_guest(app_rt, "multi_system");
    if (!m) return NULL;
    isorun_builder *b = isorun_builder_new(app_rt, m);
    isorun_module_free(m);
    isorun_wasi_options *o = isorun_wasi_options_new();
    isorun_system_component *wasi = NULL;
    isorun_instance *app = NULL;
    isorun_budget budget = {.max_memory_bytes = 1 << 20, .deadline_ns = 2000 * 1000000ull, .fuel = 10000000};
    int failed = !b || !o || report_error("mount", isorun_wasi_mount(o, dir, "/data", mount_flags));
    if (!failed) {
        failed = report_error("wasi", isorun_wasi_new(o, &wasi));
        o = NULL; /* taken by isorun_wasi_new, also on error */
    }
    failed = failed || report_error("add wasi", isorun_builder_add_system(b, wasi));
    failed = failed || report_error("link local", isorun_builder_link_local(b, "local:counter", counter));
    failed = failed || report_error("link remote", isorun_builder_link_remote(b, "example:math/ops", tcp, "math-1"));
    if (!failed) isorun_builder_set_budget(b, &budget);
    failed = failed || report_error("instantiate", isorun_builder_instantiate(b, &app));
    isorun_wasi_options_free(o);
    isorun_system_free(wasi);
    isorun_builder_free(b);
    return failed ? NULL : app;
}

/* The 4 little-endian bytes of dir/result.bin, or -1. */
static int64_t read_result_file(void) {
    char path[256];
    snprintf(path, sizeof path, "%s/result.bin", dir);
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    uint8_t b[8];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if (n != 4) return -1;
    return (int64_t)(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24);
}

static void test_all_three_at_once(void) {
    isorun_instance *app = make_app(0);
    REQUIRE(app);
    int32_t r = 0;
    CHECK(!report_error("run 40", call_i32(app, "run", 1, 40, 0, &r)));
    CHECK_EQ_INT(r, 41); /* 40 + next() = 1, added by the remote provider */
    CHECK_EQ_INT(read_result_file(), 41);
    CHECK(!report_error("run 100", call_i32(app, "run", 1, 100, 0, &r)));
    CHECK_EQ_INT(r, 102);
    CHECK_EQ_INT(read_result_file(), 102);
    /* The add really ran in the provider, and the counter is the one linked. */
    int32_t calls = 0, next = 0;
    CHECK(!report_error("calls", call_i32(provider, "calls", 0, 0, 0, &calls)));
    CHECK_EQ_INT(calls, 2);
    CHECK(!report_error("next", call_i32(counter, "next", 0, 0, 0, &next)));
    CHECK_EQ_INT(next, 3);
    isorun_usage u;
    isorun_instance_usage(app, &u);
    CHECK_EQ_U64(u.calls, 2);
    CHECK(u.memory_bytes == 65536);
    isorun_instance_free(app);
}

static void test_read_only_mount(void) {
    isorun_instance *app = make_app(ISORUN_WASI_READ_ONLY);
    REQUIRE(app);
    int32_t r = 0;
    CHECK(!report_error("run", call_i32(app, "run", 1, 5, 0, &r)));
    /* The links worked (the counter and the provider were called) but the
     * file could not be opened for writing: -1000 - errno. */
    CHECK(r < -1000 && r > -1100);
    CHECK_EQ_INT(read_result_file(), 102); /* untouched */
    isorun_instance_free(app);
}

/* When the remote side goes away, the app's call ends with a clear trap —
 * the mount and the local link do not change that — and the app stays
 * usable for what does not need the remote. */
static void test_remote_side_gone(void) {
    isorun_instance *app = make_app(0);
    REQUIRE(app);
    isorun_server_free(server);
    server = NULL;
    uint64_t start = now_ns();
    int32_t r = 0;
    isorun_error *err = call_i32(app, "run", 1, 1, 0, &r);
    CHECK(ms_since(start) < 1000);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TRAP);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unavailable");
    isorun_error_free(err);
    isorun_instance_free(app);
}

static void teardown(void) {
    isorun_transport_free(tcp);
    isorun_server_free(server);
    isorun_instance_free(provider);
    isorun_instance_free(counter);
    isorun_runtime_free(provider_rt);
    isorun_runtime_free(app_rt);
    char path[256];
    snprintf(path, sizeof path, "%s/result.bin", dir);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    need_wat_guests();
    signal(SIGPIPE, SIG_IGN);
    RUN(setup);
    if (tcp) {
        RUN(test_all_three_at_once);
        RUN(test_read_only_mount);
        RUN(test_remote_side_gone);
    }
    teardown();
    return check_summary();
}
