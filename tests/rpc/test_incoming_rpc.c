/*
 * test_incoming_rpc.c — the serving side from raw bytes: requests built by
 * hand, byte by byte, go through the request handler (and, for the statuses
 * only a server's queue produces, through a real server over TCP), and the
 * responses are decoded and checked — one case for every status.
 */
#include "../../src/rpc/rpc.h"
#include "rpc_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#define FP_I32_I32__I32 0xaccb7835e70cec42ULL /* func(i32,i32)->(i32) */
#define FP_VOID 0x05ba3a07c41c5f1cULL         /* func()->() */

static isorun_runtime *rt;
static isorun_instance *math, *fuel;
static rpc_serve_ctx ctx;
static uint64_t fp_i32__i32;

/* ---- building requests by hand --------------------------------------------- */

typedef struct req_bytes {
    uint8_t b[4096];
    size_t n;
} req_bytes;

static void put(req_bytes *r, const void *p, size_t n) {
    memcpy(r->b + r->n, p, n);
    r->n += n;
}
static void put_u8(req_bytes *r, uint8_t v) { put(r, &v, 1); }
static void put_u64(req_bytes *r, uint64_t v) {
    for (int i = 0; i < 8; i++) put_u8(r, (uint8_t)(v >> (8 * i)));
}
static void put_str(req_bytes *r, const char *s) {
    put_u8(r, (uint8_t)strlen(s)); /* < 128 bytes: one LEB128 byte */
    put(r, s, strlen(s));
}

/* Header (length patched by finish), deadline, fingerprint, target,
 * function, an empty chain unless given; arguments are appended after. */
static void begin(req_bytes *r, uint64_t id, uint64_t deadline_ns, uint64_t fp, const char *target,
                  const char *function, const uint64_t *chain, uint8_t chain_len) {
    r->n = 0;
    static const uint8_t magic[] = {0x49, 0x52, 0x01, 0x01, 0, 0, 0, 0};
    put(r, magic, sizeof magic);
    put_u64(r, id);
    put_u64(r, deadline_ns);
    put_u64(r, fp);
    put_str(r, target);
    put_str(r, function);
    put_u8(r, chain_len);
    for (uint8_t i = 0; i < chain_len; i++) put_u64(r, chain[i]);
}

static void finish(req_bytes *r) {
    uint32_t body = (uint32_t)(r->n - 16);
    for (int i = 0; i < 4; i++) r->b[4 + i] = (uint8_t)(body >> (8 * i));
}

/* What came back. */
typedef struct reply {
    uint64_t id;
    isorun_rpc_status status;
    isorun_trap_code trap;
    char message[2048];
    uint8_t results[64];
    size_t nresults;
} reply;

static bool decode_reply(const uint8_t *frame, size_t len, reply *out) {
    memset(out, 0, sizeof *out);
    tp_frame_header h;
    rpc_response resp;
    isorun_error *err = tp_frame_check(frame, len, ISORUN_DEFAULT_MAX_FRAME, &h);
    if (!err) err = rpc_response_read(&h, frame + 16, h.body_len, &resp);
    if (report_error("response", err)) return false;
    out->id = resp.id;
    out->status = resp.status;
    out->trap = resp.trap;
    snprintf(out->message, sizeof out->message, "%.*s", (int)resp.message_len, resp.message ? resp.message : "");
    if (resp.results && resp.results_len <= sizeof out->results) {
        memcpy(out->results, resp.results, resp.results_len);
        out->nresults = resp.results_len;
    }
    return true;
}

/* Runs r through the handler, as if it arrived `age_ns` ago. */
static reply handle(req_bytes *r, uint64_t age_ns) {
    finish(r);
    isr_buf out = {0};
    reply rep;
    memset(&rep, 0, sizeof rep);
    rep.status = ISORUN_RPC_STATUS_COUNT_;
    CHECK(rpc_serve_request(&ctx, r->b, r->n, now_ns() - age_ns, &out));
    CHECK(decode_reply(out.data, out.len, &rep));
    isr_buf_free(&out);
    return rep;
}

static void setup(void) {
    REQUIRE(!report_error("runtime", isorun_runtime_new(NULL, &rt)));
    math = make_instance(rt, "math_provider", "math-1", NULL, NULL, 0);
    isorun_budget budget = {.fuel = 50000};
    fuel = make_instance(rt, "math_provider", "fuel-1", &budget, NULL, 0);
    REQUIRE(math && fuel);
    ctx = (rpc_serve_ctx){rt, rpc_process_salt(), RPC_DEFAULT_MAX_DECODED, ISORUN_DEFAULT_MAX_FRAME};
    cm_owned_functype f;
    REQUIRE(cm_functype_parse("func(i32)->(i32)", 16, &f) == NULL);
    REQUIRE(rpc_functype_fingerprint(&f.ft, &fp_i32__i32) == NULL);
    cm_owned_functype_free(&f);
}

/* ---- one test per status -------------------------------------------------------- */

static void test_ok(void) {
    req_bytes r;
    begin(&r, 77, 1000000000, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&r, 0x02);       /* 2 */
    put_u8(&r, 0x7d);       /* -3 */
    reply rep = handle(&r, 0);
    CHECK_EQ_U64(rep.id, 77);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_OK);
    CHECK(rep.nresults == 1 && rep.results[0] == 0x7f); /* -1 */
    /* No deadline at all is allowed too. */
    begin(&r, 78, 0, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&r, 0x40), put_u8(&r, 0x7f); /* -64 + -1 */
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_OK);
    CHECK(rep.nresults == 2 && rep.results[0] == 0xbf && rep.results[1] == 0x7f); /* -65 */
}

/* More parameters than the handler keeps on its stack. */
static void test_many_parameters(void) {
    cm_owned_functype f;
    const char *text = "func(i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32)->(i32)";
    REQUIRE(cm_functype_parse(text, strlen(text), &f) == NULL);
    uint64_t fp = 0;
    REQUIRE(rpc_functype_fingerprint(&f.ft, &fp) == NULL);
    cm_owned_functype_free(&f);
    req_bytes r;
    begin(&r, 90, 0, fp, "math-1", "sum20", NULL, 0);
    for (int i = 1; i <= 20; i++) put_u8(&r, (uint8_t)i); /* 1 + ... + 20 */
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_OK);
    CHECK(rep.nresults == 2 && rep.results[0] == 0xd2 && rep.results[1] == 0x01); /* 210 */
}

static void test_unknown_instance(void) {
    req_bytes r;
    begin(&r, 1, 0, FP_I32_I32__I32, "nobody", "add", NULL, 0);
    put_u8(&r, 1), put_u8(&r, 2);
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_UNKNOWN_INSTANCE);
    CHECK_STR_CONTAINS(rep.message, "\"nobody\"");
    CHECK_EQ_INT(rpc_status_error_code(rep.status), ISORUN_ERR_NOT_FOUND);
}

static void test_unknown_function(void) {
    req_bytes r;
    begin(&r, 2, 0, FP_VOID, "math-1", "nope", NULL, 0);
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_UNKNOWN_FUNCTION);
    CHECK_STR_CONTAINS(rep.message, "no function export \"nope\"");
    /* A memory export is not a function. */
    begin(&r, 3, 0, FP_VOID, "math-1", "memory", NULL, 0);
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_UNKNOWN_FUNCTION);
}

static void test_type_mismatch(void) {
    req_bytes r;
    begin(&r, 4, 0, fp_i32__i32, "math-1", "add", NULL, 0);
    put_u8(&r, 1);
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_TYPE_MISMATCH);
    CHECK_STR_CONTAINS(rep.message, "func(i32,i32)->(i32)");
    CHECK_STR_CONTAINS(rep.message, "accb7835e70cec42");
}

static void test_trap(void) {
    req_bytes r;
    begin(&r, 5, 0, FP_I32_I32__I32, "math-1", "div", NULL, 0);
    put_u8(&r, 1), put_u8(&r, 0);
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_TRAP);
    CHECK_EQ_INT(rep.trap, ISORUN_TRAP_DIV_BY_ZERO);
    CHECK_STR_CONTAINS(rep.message, "integer divide by zero");
}

static void test_budget_exceeded(void) {
    req_bytes r;
    begin(&r, 6, 0, fp_i32__i32, "fuel-1", "count", NULL, 0);
    put_u8(&r, 0x80), put_u8(&r, 0x80), put_u8(&r, 0x80), put_u8(&r, 0x01); /* 2^21 */
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_BUDGET_EXCEEDED);
    CHECK_EQ_INT(rep.trap, ISORUN_TRAP_OUT_OF_FUEL);
}

static void test_deadline_exceeded(void) {
    /* The call runs into the caller's deadline. */
    req_bytes r;
    begin(&r, 7, 50 * 1000000ull, FP_VOID, "math-1", "spin", NULL, 0);
    uint64_t start = now_ns();
    reply rep = handle(&r, 0);
    CHECK(ms_since(start) < 1000);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(rep.trap, ISORUN_TRAP_DEADLINE);
    /* The deadline passed before the call could start (it arrived 1 s ago
     * with 10 ms to live). */
    begin(&r, 8, 10 * 1000000ull, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&r, 1), put_u8(&r, 2);
    rep = handle(&r, 1000000000ull);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_DEADLINE_EXCEEDED);
    CHECK_STR_CONTAINS(rep.message, "before");
}

static void test_malformed_request(void) {
    req_bytes r;
    /* Arguments: one missing, one too many, an overlong LEB128. */
    begin(&r, 9, 0, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&r, 1);
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
    CHECK_STR_CONTAINS(rep.message, "arguments of \"add\"");
    begin(&r, 10, 0, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&r, 1), put_u8(&r, 2), put_u8(&r, 3);
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
    CHECK_STR_CONTAINS(rep.message, "left over");
    begin(&r, 11, 0, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&r, 0x80), put_u8(&r, 0x80), put_u8(&r, 0x80), put_u8(&r, 0x80), put_u8(&r, 0x80), put_u8(&r, 0);
    put_u8(&r, 1);
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
    /* A body cut inside the target string: the header's id is answered. */
    begin(&r, 12, 0, FP_VOID, "math-1", "spin", NULL, 0);
    r.n = 16 + 8 + 8 + 3;
    rep = handle(&r, 0);
    CHECK_EQ_U64(rep.id, 12);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
    /* Not UTF-8, a NUL inside a name. */
    begin(&r, 13, 0, FP_VOID, "math\xff", "spin", NULL, 0);
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
    CHECK_STR_CONTAINS(rep.message, "UTF-8");
    begin(&r, 14, 0, FP_VOID, "math-1", "sp", NULL, 0);
    r.b[r.n - 4] = 3; /* the name takes the chain count byte: "sp\0" */
    put_u8(&r, 0);
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
    /* A response frame where a request belongs. */
    begin(&r, 15, 0, FP_VOID, "math-1", "spin", NULL, 0);
    r.b[3] = 2;
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
}

static void test_too_large(void) {
    req_bytes r;
    begin(&r, 16, 0, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&r, 1), put_u8(&r, 2);
    rpc_serve_ctx small = ctx;
    small.max_frame = 20;
    finish(&r);
    isr_buf out = {0};
    CHECK(rpc_serve_request(&small, r.b, r.n, now_ns(), &out));
    reply rep;
    CHECK(decode_reply(out.data, out.len, &rep));
    CHECK_EQ_INT(rep.status, ISORUN_RPC_TOO_LARGE);
    CHECK_EQ_U64(rep.id, 16);
    isr_buf_free(&out);
}

static void test_call_cycle(void) {
    /* The chain says math-1 is already waiting for this call. */
    uint64_t chain[2] = {0x1234, rpc_instance_token(ctx.salt, math)};
    req_bytes r;
    begin(&r, 17, 0, FP_I32_I32__I32, "math-1", "add", chain, 2);
    put_u8(&r, 1), put_u8(&r, 2);
    reply rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_CALL_CYCLE);
    CHECK_STR_CONTAINS(rep.message, "re-enter");
    /* Another instance's token in the chain is no cycle. */
    chain[1] = rpc_instance_token(ctx.salt, fuel);
    begin(&r, 18, 0, FP_I32_I32__I32, "math-1", "add", chain, 2);
    put_u8(&r, 1), put_u8(&r, 2);
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_OK);
    /* 65 hops is more than a request may carry. */
    uint64_t long_chain[65] = {0};
    begin(&r, 19, 0, FP_I32_I32__I32, "math-1", "add", long_chain, 65);
    put_u8(&r, 1), put_u8(&r, 2);
    rep = handle(&r, 0);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_MALFORMED_REQUEST);
}

/* The caller's view of "internal" and "unavailable": a hand-made internal
 * response decodes to ISORUN_ERR_IO; statuses map as protocol.md says. */
static void test_internal_and_unavailable(void) {
    isr_buf b = {0};
    CHECK(rpc_response_write_error(&b, 20, ISORUN_RPC_INTERNAL, ISORUN_TRAP_NONE, "out of memory"));
    reply rep;
    CHECK(decode_reply(b.data, b.len, &rep));
    CHECK_EQ_INT(rep.status, ISORUN_RPC_INTERNAL);
    CHECK_EQ_INT(rpc_status_error_code(ISORUN_RPC_INTERNAL), ISORUN_ERR_IO);
    CHECK_EQ_INT(rpc_status_error_code(ISORUN_RPC_UNAVAILABLE), ISORUN_ERR_IO);
    isr_buf_free(&b);
    /* Errors that are not the guest's fault are internal on the server. */
    isorun_error *io = isorun_error_new(ISORUN_ERR_IO, "disk on fire");
    CHECK_EQ_INT(rpc_status_of_error(io), ISORUN_RPC_INTERNAL);
    isorun_error_free(io);
}

/* ---- statuses only a server's queue gives: overloaded, shutting-down -------- */

static int connect_to(const char *url) {
    int port = atoi(strrchr(url, ':') + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) return -1;
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static bool read_reply(int fd, reply *rep) {
    uint8_t buf[4096];
    size_t have = 0, want = 16;
    while (have < want) {
        ssize_t n = read(fd, buf + have, want - have);
        if (n <= 0) return false;
        have += (size_t)n;
        if (have == 16) want = 16 + (size_t)(buf[4] | buf[5] << 8);
    }
    return decode_reply(buf, have, rep);
}

static void test_overloaded_and_shutting_down(void) {
    isorun_server *s = NULL;
    isorun_server_config cfg = {.workers = 1, .max_queued = 1, .shutdown_grace_ns = 300 * 1000000ull};
    REQUIRE(!report_error("server", isorun_server_new(rt, &cfg, &s)));
    isorun_listener *l = NULL;
    REQUIRE(!report_error("listen", isorun_listen("tcp://127.0.0.1:0", NULL, &l)));
    char url[300];
    snprintf(url, sizeof url, "%s", isorun_listener_url(l));
    REQUIRE(!report_error("server listen", isorun_server_listen(s, l)));
    int fd = connect_to(url);
    REQUIRE(fd >= 0);

    /* The one worker spins (for up to 10 s), one call waits in the queue
     * behind it, and a third finds the queue full. */
    req_bytes spin, add1, add2;
    begin(&spin, 100, 10000000000ull, FP_VOID, "math-1", "spin", NULL, 0);
    finish(&spin);
    begin(&add1, 101, 10000000000ull, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&add1, 1), put_u8(&add1, 2);
    finish(&add1);
    begin(&add2, 102, 10000000000ull, FP_I32_I32__I32, "math-1", "add", NULL, 0);
    put_u8(&add2, 3), put_u8(&add2, 4);
    finish(&add2);
    CHECK(send(fd, spin.b, spin.n, MSG_NOSIGNAL) == (ssize_t)spin.n);
    usleep(100 * 1000);
    CHECK(send(fd, add1.b, add1.n, MSG_NOSIGNAL) == (ssize_t)add1.n);
    usleep(50 * 1000);
    CHECK(send(fd, add2.b, add2.n, MSG_NOSIGNAL) == (ssize_t)add2.n);
    reply rep;
    REQUIRE(read_reply(fd, &rep));
    CHECK_EQ_U64(rep.id, 102);
    CHECK_EQ_INT(rep.status, ISORUN_RPC_OVERLOADED);

    /* Shutting down: the queued call is answered "shutting-down", the
     * running one is interrupted after the grace period — both answered. */
    uint64_t start = now_ns();
    isorun_server_free(s);
    CHECK(ms_since(start) < 3000);
    bool got_queued = false, got_running = false;
    for (int i = 0; i < 2; i++) {
        if (!read_reply(fd, &rep)) break;
        if (rep.id == 101) {
            got_queued = true;
            CHECK_EQ_INT(rep.status, ISORUN_RPC_SHUTTING_DOWN);
        } else if (rep.id == 100) {
            got_running = true;
            CHECK_EQ_INT(rep.status, ISORUN_RPC_TRAP);
            CHECK_EQ_INT(rep.trap, ISORUN_TRAP_INTERRUPTED);
        }
    }
    CHECK(got_queued);
    CHECK(got_running);
    close(fd);
}

int main(void) {
    need_wat_guests();
    signal(SIGPIPE, SIG_IGN);
    RUN(setup);
    if (!math) return check_summary();
    RUN(test_ok);
    RUN(test_many_parameters);
    RUN(test_unknown_instance);
    RUN(test_unknown_function);
    RUN(test_type_mismatch);
    RUN(test_trap);
    RUN(test_budget_exceeded);
    RUN(test_deadline_exceeded);
    RUN(test_malformed_request);
    RUN(test_too_large);
    RUN(test_call_cycle);
    RUN(test_internal_and_unavailable);
    RUN(test_overloaded_and_shutting_down);
    isorun_instance_free(math);
    isorun_instance_free(fuel);
    isorun_runtime_free(rt);
    return check_summary();
}
