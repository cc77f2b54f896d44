/*
 * test_rpc_wire.c — frames, requests and responses (docs/protocol.md) against
 * hand-written bytes, and every truncation and corruption of them.
 */
#include "../../src/rpc/rpc.h"
#include "../unit/check.h"
#include "values_util.h"

/* add(i32, i32) -> i32 as a request: every byte spelled out. */
static const uint8_t add_request[] = {
    0x49, 0x52, 0x01, 0x01,                         /* "IR", version 1, request */
    0x26, 0x00, 0x00, 0x00,                         /* body: 38 bytes */
    0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* request id 7 */
    0x00, 0xca, 0x9a, 0x3b, 0x00, 0x00, 0x00, 0x00, /* deadline 1 s */
    0x42, 0xec, 0x0c, 0xe7, 0x35, 0x78, 0xcb, 0xac, /* fingerprint of func(i32,i32)->(i32) */
    0x06, 'm', 'a', 't', 'h', '-', '1',             /* target "math-1" */
    0x03, 'a', 'd', 'd',                            /* function "add" */
    0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, /* chain: one token */
    0x02, 0x7d,                                     /* args: 2, -3 */
};

static const cm_type *i32_params[2], *i32_results[1];
static cm_functype add_type(void) {
    i32_params[0] = i32_params[1] = i32_results[0] = cm_type_scalar(ISORUN_I32);
    cm_functype ft = {2, 1, i32_params, i32_results};
    return ft;
}

static void test_request_bytes(void) {
    cm_functype ft = add_type();
    uint64_t chain[] = {0x8877665544332211ULL};
    rpc_request req = {.id = 7, .deadline_ns = 1000000000, .fingerprint = 0xaccb7835e70cec42ULL,
                       .target = "math-1", .target_len = 6, .function = "add", .function_len = 3,
                       .chain_len = 1};
    isorun_val args[2] = {isorun_val_i32(2), isorun_val_i32(-3)};
    isr_buf b = {0};
    REQUIRE(rpc_request_write(&b, &req, chain, &ft, args, ISORUN_DEFAULT_MAX_FRAME) == NULL);
    CHECK_EQ_INT(b.len, sizeof add_request);
    CHECK(b.len == sizeof add_request && memcmp(b.data, add_request, b.len) == 0);
    isr_buf_free(&b);

    tp_frame_header h;
    REQUIRE(tp_frame_check(add_request, sizeof add_request, ISORUN_DEFAULT_MAX_FRAME, &h) == NULL);
    CHECK_EQ_INT(h.type, TP_FRAME_REQUEST);
    CHECK_EQ_U64(h.id, 7);
    rpc_request got;
    REQUIRE(rpc_request_read(&h, add_request + 16, h.body_len, &got) == NULL);
    CHECK_EQ_U64(got.deadline_ns, 1000000000);
    CHECK_EQ_U64(got.fingerprint, 0xaccb7835e70cec42ULL);
    CHECK(got.target_len == 6 && memcmp(got.target, "math-1", 6) == 0);
    CHECK(got.function_len == 3 && memcmp(got.function, "add", 3) == 0);
    CHECK_EQ_INT(got.chain_len, 1);
    CHECK_EQ_U64(rpc_request_chain_token(&got, 0), 0x8877665544332211ULL);
    rpc_reader r;
    rpc_reader_init(&r, got.args, got.args_len, 1 << 20);
    isorun_val back[2];
    REQUIRE(rpc_values_decode(&r, 2, ft.params, back) == NULL);
    CHECK_EQ_INT(back[0].of.i32, 2);
    CHECK_EQ_INT(back[1].of.i32, -3);

    /* Every truncated body is refused (the last two cuts only lose
     * arguments, which the request reader leaves to the value decoder). */
    for (size_t cut = 0; cut + 2 < h.body_len; cut++) {
        isorun_error *err = rpc_request_read(&h, add_request + 16, cut, &got);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
        isorun_error_free(err);
    }
}

static void test_request_limits(void) {
    cm_functype ft = add_type();
    isorun_val args[2] = {isorun_val_i32(1), isorun_val_i32(2)};
    isr_buf b = {0};
    /* A body over the limit is refused before sending. */
    rpc_request req = {.id = 1, .target = "t", .target_len = 1, .function = "f", .function_len = 1};
    isorun_error *err = rpc_request_write(&b, &req, NULL, &ft, args, 10);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_LIMIT);
    CHECK_EQ_INT(b.len, 0);
    isorun_error_free(err);
    /* A chain at the limit. */
    uint64_t chain[RPC_MAX_CHAIN + 1] = {0};
    req.chain_len = RPC_MAX_CHAIN + 1;
    err = rpc_request_write(&b, &req, chain, &ft, args, ISORUN_DEFAULT_MAX_FRAME);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_LIMIT);
    isorun_error_free(err);
    /* Mis-typed arguments never reach the wire. */
    req.chain_len = 0;
    args[1] = isorun_val_f32(1.0f);
    err = rpc_request_write(&b, &req, chain, &ft, args, ISORUN_DEFAULT_MAX_FRAME);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_TYPE_MISMATCH);
    CHECK_STR_CONTAINS(isorun_error_message(err), "value 1");
    CHECK_EQ_INT(b.len, 0);
    isorun_error_free(err);
    isr_buf_free(&b);

    /* Hand-made bodies: a 65-hop chain, a non-UTF-8 target, an overlong
     * function name. */
    tp_frame_header h = {TP_FRAME_REQUEST, 0, 1};
    uint8_t body[64] = {0};
    body[16] = 1, body[17] = 't', body[18] = 1, body[19] = 'f', body[20] = 65;
    rpc_request got;
    err = rpc_request_read(&h, body, 21 + 8 * 65 > sizeof body ? sizeof body : 21, &got);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
    CHECK_STR_CONTAINS(isorun_error_message(err), "chain");
    isorun_error_free(err);
    body[17] = (char)0xff;
    body[20] = 0;
    err = rpc_request_read(&h, body, 21, &got);
    CHECK_STR_CONTAINS(isorun_error_message(err), "target id is not valid UTF-8");
    isorun_error_free(err);
    body[17] = 't';
    body[18] = 0x81, body[19] = 0x40; /* 8193 bytes */
    err = rpc_request_read(&h, body, sizeof body, &got);
    CHECK_STR_CONTAINS(isorun_error_message(err), "function name of 8193 bytes is longer than the limit");
    isorun_error_free(err);
}

static void test_responses(void) {
    cm_functype ft = add_type();
    isorun_val result = isorun_val_i32(5);
    isr_buf b = {0};
    REQUIRE(rpc_response_write_ok(&b, 9, &ft, &result, ISORUN_DEFAULT_MAX_FRAME) == NULL);
    static const uint8_t ok_bytes[] = {0x49, 0x52, 0x01, 0x02, 0x02, 0, 0, 0, 0x09, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x05};
    CHECK(b.len == sizeof ok_bytes && memcmp(b.data, ok_bytes, b.len) == 0);
    tp_frame_header h;
    REQUIRE(tp_frame_check(b.data, b.len, ISORUN_DEFAULT_MAX_FRAME, &h) == NULL);
    rpc_response resp;
    REQUIRE(rpc_response_read(&h, b.data + 16, h.body_len, &resp) == NULL);
    CHECK_EQ_U64(resp.id, 9);
    CHECK_EQ_INT(resp.status, ISORUN_RPC_OK);
    CHECK(resp.results_len == 1 && resp.results[0] == 0x05);
    b.len = 0;

    /* An error: status, trap code, message. */
    REQUIRE(rpc_response_write_error(&b, 3, ISORUN_RPC_TRAP, ISORUN_TRAP_DIV_BY_ZERO, "integer divide by zero"));
    static const uint8_t err_bytes[] = {0x49, 0x52, 0x01, 0x02, 0x19, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0,
                                        0x04, 0x08, 0x16, 'i', 'n', 't', 'e', 'g', 'e', 'r', ' ', 'd', 'i',
                                        'v', 'i', 'd', 'e', ' ', 'b', 'y', ' ', 'z', 'e', 'r', 'o'};
    CHECK(b.len == sizeof err_bytes && memcmp(b.data, err_bytes, b.len) == 0);
    REQUIRE(tp_frame_check(b.data, b.len, ISORUN_DEFAULT_MAX_FRAME, &h) == NULL);
    REQUIRE(rpc_response_read(&h, b.data + 16, h.body_len, &resp) == NULL);
    CHECK_EQ_INT(resp.status, ISORUN_RPC_TRAP);
    CHECK_EQ_INT(resp.trap, ISORUN_TRAP_DIV_BY_ZERO);
    CHECK(resp.message_len == 22 && memcmp(resp.message, "integer divide by zero", 22) == 0);
    for (size_t cut = 0; cut < h.body_len; cut++) {
        isorun_error *err = rpc_response_read(&h, b.data + 16, cut, &resp);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
        isorun_error_free(err);
    }
    /* Unknown status and trap numbers are refused. */
    b.data[16] = 99;
    isorun_error *err = rpc_response_read(&h, b.data + 16, h.body_len, &resp);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unknown status");
    isorun_error_free(err);
    b.data[16] = 4, b.data[17] = 200;
    err = rpc_response_read(&h, b.data + 16, h.body_len, &resp);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unknown trap code");
    isorun_error_free(err);
    b.len = 0;

    /* Results over the limit become a too-large error response. */
    REQUIRE(rpc_response_write_ok(&b, 4, &ft, &result, 0) == NULL);
    REQUIRE(tp_frame_check(b.data, b.len, ISORUN_DEFAULT_MAX_FRAME, &h) == NULL);
    REQUIRE(rpc_response_read(&h, b.data + 16, h.body_len, &resp) == NULL);
    CHECK_EQ_INT(resp.status, ISORUN_RPC_TOO_LARGE);
    b.len = 0;

    /* A long message is cut at 64 KiB on a character boundary; a message
     * that is not UTF-8 is replaced. */
    char *longmsg = tv_alloc(70000);
    /* "x" then two-byte characters: one straddles the cut at 65536. */
    longmsg[0] = 'x';
    for (size_t i = 1; i + 1 < 69999; i += 2) longmsg[i] = (char)0xc3, longmsg[i + 1] = (char)0xa9;
    longmsg[69999] = 0;
    REQUIRE(rpc_response_write_error(&b, 5, ISORUN_RPC_INTERNAL, ISORUN_TRAP_NONE, longmsg));
    REQUIRE(tp_frame_check(b.data, b.len, ISORUN_DEFAULT_MAX_FRAME, &h) == NULL);
    REQUIRE(rpc_response_read(&h, b.data + 16, h.body_len, &resp) == NULL);
    CHECK_EQ_INT(resp.message_len, 65535);
    free(longmsg);
    b.len = 0;
    REQUIRE(rpc_response_write_error(&b, 6, ISORUN_RPC_INTERNAL, ISORUN_TRAP_NONE, "bad \xff byte"));
    REQUIRE(tp_frame_check(b.data, b.len, ISORUN_DEFAULT_MAX_FRAME, &h) == NULL);
    REQUIRE(rpc_response_read(&h, b.data + 16, h.body_len, &resp) == NULL);
    CHECK(resp.message_len > 0 && memcmp(resp.message, "(error message", 14) == 0);
    isr_buf_free(&b);
}

static void test_frame_headers(void) {
    uint8_t f[sizeof add_request];
    memcpy(f, add_request, sizeof f);
    tp_frame_header h;
    isorun_error *err;
    size_t size = 0;
    CHECK(isorun_frame_size(f, 16, 0, &size) == NULL);
    CHECK_EQ_INT(size, sizeof add_request);

    f[0] = 'G'; /* "GET /" — an HTTP client knocking */
    err = tp_frame_check(f, sizeof f, ISORUN_DEFAULT_MAX_FRAME, &h);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
    CHECK_STR_CONTAINS(isorun_error_message(err), "not an isorun frame");
    isorun_error_free(err);
    f[0] = 0x49, f[2] = 2;
    err = tp_frame_check(f, sizeof f, ISORUN_DEFAULT_MAX_FRAME, &h);
    CHECK_STR_CONTAINS(isorun_error_message(err), "version 2");
    isorun_error_free(err);
    f[2] = 1, f[3] = 9;
    err = tp_frame_check(f, sizeof f, ISORUN_DEFAULT_MAX_FRAME, &h);
    CHECK_STR_CONTAINS(isorun_error_message(err), "unknown frame type 9");
    isorun_error_free(err);
    f[3] = 1;
    err = tp_frame_check(f, sizeof f - 1, ISORUN_DEFAULT_MAX_FRAME, &h);
    CHECK_STR_CONTAINS(isorun_error_message(err), "announces a 38-byte body but 37");
    isorun_error_free(err);
    err = tp_frame_check(f, 15, ISORUN_DEFAULT_MAX_FRAME, &h);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_MALFORMED);
    isorun_error_free(err);
    /* A 4 GiB body is refused from the header alone. */
    f[4] = f[5] = f[6] = f[7] = 0xff;
    err = isorun_frame_size(f, 16, 0, &size);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_LIMIT);
    CHECK_STR_CONTAINS(isorun_error_message(err), "exceeds the limit of 16777216 bytes");
    isorun_error_free(err);
    err = isorun_frame_size(add_request, 16, 37, &size);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_LIMIT);
    isorun_error_free(err);
}

static void test_status_table(void) {
    CHECK(strcmp(isorun_rpc_status_name(ISORUN_RPC_TYPE_MISMATCH), "type-mismatch") == 0);
    CHECK(strcmp(isorun_rpc_status_name(ISORUN_RPC_CALL_CYCLE), "call-cycle") == 0);
    CHECK(strcmp(isorun_rpc_status_name((isorun_rpc_status)99), "?") == 0);
    CHECK_EQ_INT(rpc_status_error_code(ISORUN_RPC_UNKNOWN_INSTANCE), ISORUN_ERR_NOT_FOUND);
    CHECK_EQ_INT(rpc_status_error_code(ISORUN_RPC_DEADLINE_EXCEEDED), ISORUN_ERR_TRAP);
    for (int t = 0; t < ISORUN_TRAP_COUNT_; t++)
        CHECK_EQ_INT(rpc_trap_from_wire(rpc_trap_to_wire((isorun_trap_code)t)), t);
    CHECK_EQ_INT(rpc_trap_to_wire(ISORUN_TRAP_OUT_OF_FUEL), 12);
    CHECK_EQ_INT(rpc_trap_to_wire(ISORUN_TRAP_INVALID_VALUE), 17);
    CHECK_EQ_INT(rpc_trap_from_wire(18), ISORUN_TRAP_COUNT_);
}

int main(void) {
    RUN(test_request_bytes);
    RUN(test_request_limits);
    RUN(test_responses);
    RUN(test_frame_headers);
    RUN(test_status_table);
    return check_summary();
}
