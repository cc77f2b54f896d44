/*
 * fuzz_rpc.c — the fuzzing entry point for everything that reads bytes from
 * a peer: the frame header, request and response bodies, the value decoder
 * (driven by a type the input also chooses), and the request handler of a
 * serving runtime. Every input must end in a value or an error: never a
 * crash, a hang, a leak, an unbounded allocation or undefined behaviour.
 *
 * The first byte picks what the rest is:
 *   'v'  TYPE "\n" BYTES   decode BYTES as one value of TYPE (type text,
 *                          protocol.md); what decodes must re-encode, decode
 *                          to an equal value, and re-encode to the same bytes
 *   'f'  FUNC "\n" FRAME   a frame: header, then the request or response
 *                          body, then arguments or results decoded by FUNC
 *                          ("func(i32,i32)->(i32)")
 *   's'  FRAME             a request answered by a runtime serving a small
 *                          module as "m" (add, div, spin): the response
 *                          must be a well-formed frame
 *   other                  the same three, chosen by the byte modulo 3
 *
 * Built like fuzz_module.c: with libFuzzer (ISORUN_FUZZ=ON) for fuzzing,
 * and with replay_main.c into a plain program that replays
 * fuzz/regressions-rpc/ in every build.
 */
#include "../src/rpc/rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* replay_main.c's -v. */
int fuzz_verbose;

/* Decoding limits small enough that each input runs in milliseconds. */
enum { FUZZ_MAX_FRAME = 1 << 20, FUZZ_MAX_DECODED = 4 << 20 };

static void report(const char *stage, const isorun_error *err) {
    if (!fuzz_verbose) return;
    if (err)
        fprintf(stderr, "  %s: %s: %s\n", stage, isorun_error_code_name(isorun_error_code_of(err)),
                isorun_error_message(err));
    else
        fprintf(stderr, "  %s: ok\n", stage);
}

/* An invariant broke: that is a bug the fuzzer must report. */
static void broken(const char *what) {
    fprintf(stderr, "fuzz_rpc: invariant broken: %s\n", what);
    abort();
}

static bool values_equal(const isorun_val *a, const isorun_val *b);

static bool seq_equal(const isorun_val *a, const isorun_val *b) {
    if (a->of.seq.len != b->of.seq.len) return false;
    for (size_t i = 0; i < a->of.seq.len; i++)
        if (!values_equal(&a->of.seq.items[i], &b->of.seq.items[i])) return false;
    return true;
}

static bool values_equal(const isorun_val *a, const isorun_val *b) {
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case ISORUN_STRING:
        return a->of.string.len == b->of.string.len &&
               memcmp(a->of.string.data, b->of.string.data, a->of.string.len) == 0;
    case ISORUN_LIST:
    case ISORUN_RECORD:
    case ISORUN_TUPLE: return seq_equal(a, b);
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT:
        if (a->of.variant.tag != b->of.variant.tag) return false;
        if (!a->of.variant.payload || !b->of.variant.payload) return a->of.variant.payload == b->of.variant.payload;
        return values_equal(a->of.variant.payload, b->of.variant.payload);
    case ISORUN_FLAGS:
        return a->of.flags.count == b->of.flags.count &&
               memcmp(a->of.flags.words, b->of.flags.words, (a->of.flags.count + 63) / 64 * 8) == 0;
    case ISORUN_F32: return memcmp(&a->of.f32, &b->of.f32, 4) == 0;
    case ISORUN_F64: return memcmp(&a->of.f64, &b->of.f64, 8) == 0;
    case ISORUN_BOOL: return a->of.b == b->of.b;
    case ISORUN_S8: case ISORUN_U8: return a->of.u8 == b->of.u8;
    case ISORUN_S16: case ISORUN_U16: return a->of.u16 == b->of.u16;
    case ISORUN_I64: case ISORUN_S64: case ISORUN_U64: return a->of.u64 == b->of.u64;
    default: return a->of.u32 == b->of.u32; /* i32, s32, u32, char, handles */
    }
}

/* Splits "TEXT\nBYTES". */
static bool split(const uint8_t *data, size_t size, const char **text, size_t *text_len, const uint8_t **rest,
                  size_t *rest_len) {
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl) return false;
    *text = (const char *)data;
    *text_len = (size_t)(nl - data);
    *rest = nl + 1;
    *rest_len = size - *text_len - 1;
    return true;
}

static void fuzz_value(const uint8_t *data, size_t size) {
    const char *text;
    size_t text_len, len;
    const uint8_t *bytes;
    if (!split(data, size, &text, &text_len, &bytes, &len)) return;
    cm_type *t = NULL;
    isorun_error *err = cm_type_parse(text, text_len, &t);
    report("type", err);
    if (err) {
        isorun_error_free(err);
        return;
    }
    rpc_reader r;
    rpc_reader_init(&r, bytes, len, FUZZ_MAX_DECODED);
    isorun_val v;
    const cm_type *types[1] = {t};
    err = rpc_values_decode(&r, 1, types, &v);
    report("decode", err);
    if (!err) {
        isr_buf once = {0}, twice = {0};
        err = rpc_value_encode(&once, t, &v);
        if (err) broken("a decoded value does not encode");
        rpc_reader_init(&r, once.data, once.len, FUZZ_MAX_DECODED * 4);
        isorun_val back;
        err = rpc_values_decode(&r, 1, types, &back);
        if (err) broken("an encoded value does not decode");
        if (!values_equal(&v, &back)) broken("decode(encode(v)) != v");
        if (rpc_value_encode(&twice, t, &back) || twice.len != once.len || memcmp(twice.data, once.data, once.len))
            broken("the encoding of a value is not stable");
        isorun_val_free(&back);
        isorun_val_free(&v);
        isr_buf_free(&once);
        isr_buf_free(&twice);
    }
    isorun_error_free(err);
    cm_type_free(t);
}

static void fuzz_frame(const uint8_t *data, size_t size) {
    const char *text;
    size_t text_len, len;
    const uint8_t *frame;
    if (!split(data, size, &text, &text_len, &frame, &len)) return;
    cm_owned_functype f = {0};
    isorun_error *err = cm_functype_parse(text, text_len, &f);
    report("function type", err);
    if (err) {
        isorun_error_free(err);
        return;
    }
    tp_frame_header h;
    err = tp_frame_check(frame, len, FUZZ_MAX_FRAME, &h);
    report("frame", err);
    isorun_val vals[64];
    if (!err && h.type == TP_FRAME_REQUEST) {
        rpc_request req;
        err = rpc_request_read(&h, frame + TP_FRAME_HEADER_SIZE, h.body_len, &req);
        report("request", err);
        if (!err && f.ft.nparams <= 64) {
            rpc_reader r;
            rpc_reader_init(&r, req.args, req.args_len, FUZZ_MAX_DECODED);
            err = rpc_values_decode(&r, f.ft.nparams, f.ft.params, vals);
            report("arguments", err);
            if (!err) {
                /* What was read writes back and reads again the same. */
                uint64_t chain[RPC_MAX_CHAIN];
                for (uint32_t i = 0; i < req.chain_len; i++) chain[i] = rpc_request_chain_token(&req, i);
                isr_buf out = {0};
                if (rpc_request_write(&out, &req, chain, &f.ft, vals, UINT32_MAX)) broken("a read request does not write");
                tp_frame_header h2;
                rpc_request again;
                if (tp_frame_check(out.data, out.len, UINT32_MAX, &h2) ||
                    rpc_request_read(&h2, out.data + TP_FRAME_HEADER_SIZE, h2.body_len, &again))
                    broken("a written request does not read");
                if (again.id != req.id || again.fingerprint != req.fingerprint || again.target_len != req.target_len ||
                    memcmp(again.target, req.target, req.target_len) || again.chain_len != req.chain_len)
                    broken("a request changed on its way through write and read");
                isr_buf_free(&out);
                rpc_values_free(vals, f.ft.nparams);
            }
        }
    } else if (!err && h.type == TP_FRAME_RESPONSE) {
        rpc_response resp;
        err = rpc_response_read(&h, frame + TP_FRAME_HEADER_SIZE, h.body_len, &resp);
        report("response", err);
        if (!err && resp.status == ISORUN_RPC_OK && f.ft.nresults <= 64) {
            rpc_reader r;
            rpc_reader_init(&r, resp.results, resp.results_len, FUZZ_MAX_DECODED);
            err = rpc_values_decode(&r, f.ft.nresults, f.ft.results, vals);
            report("results", err);
            if (!err) rpc_values_free(vals, f.ft.nresults);
        }
    }
    isorun_error_free(err);
    cm_owned_functype_free(&f);
}

/* (module
 *   (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
 *   (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
 *   (func (export "spin") (loop (br 0))))
 * assembled by hand, so the fuzzer needs no file. */
static const uint8_t served_module[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             /* magic, version 1 */
    0x01, 0x0a, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,       /* types: (i32 i32) -> i32 */
    0x60, 0x00, 0x00,                                           /*        () -> () */
    0x03, 0x04, 0x03, 0x00, 0x00, 0x01,                         /* funcs: 3 */
    0x07, 0x14, 0x03, 0x03, 'a', 'd', 'd', 0x00, 0x00,          /* exports: add */
    0x03, 'd', 'i', 'v', 0x00, 0x01,                            /*          div */
    0x04, 's', 'p', 'i', 'n', 0x00, 0x02,                       /*          spin */
    0x0a, 0x19, 0x03,                                           /* code: 3 bodies */
    0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,             /* local.get 0, local.get 1, i32.add */
    0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b,             /* ..., i32.div_s */
    0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b,             /* loop br 0 end */
};

/* The serving runtime, made on first use and kept for the whole run (it is
 * reachable, so the leak checker does not count it). */
static isorun_runtime *served_rt;

static bool make_served(void) {
    if (served_rt) return true;
    isorun_module *m = NULL;
    isorun_builder *b = NULL;
    isorun_instance *inst = NULL;
    if (isorun_runtime_new(NULL, &served_rt)) return false;
    /* Small budgets: "spin" and slow callers end quickly. */
    isorun_budget budget = {.fuel = 200000, .deadline_ns = 50 * 1000000ull, .max_call_depth = 100};
    bool ok = !isorun_module_load(served_rt, served_module, sizeof served_module, &m) &&
              (b = isorun_builder_new(served_rt, m)) != NULL && !isorun_builder_set_id(b, "m");
    if (ok) isorun_builder_set_budget(b, &budget);
    ok = ok && !isorun_builder_instantiate(b, &inst);
    isorun_instance_free(inst); /* the registry keeps it */
    isorun_builder_free(b);
    isorun_module_free(m);
    if (!ok) broken("the served module does not instantiate");
    return true;
}

static void fuzz_serve(const uint8_t *frame, size_t len) {
    if (!make_served()) return;
    rpc_serve_ctx ctx = {served_rt, rpc_process_salt(), FUZZ_MAX_DECODED, FUZZ_MAX_FRAME};
    isr_buf out = {0};
    if (!rpc_serve_request(&ctx, frame, len, isr_now_ns(), &out)) broken("no response could be built");
    tp_frame_header h;
    rpc_response resp;
    if (tp_frame_check(out.data, out.len, FUZZ_MAX_FRAME, &h) || h.type != TP_FRAME_RESPONSE ||
        rpc_response_read(&h, out.data + TP_FRAME_HEADER_SIZE, h.body_len, &resp))
        broken("the handler's response is not a well-formed response frame");
    if (fuzz_verbose)
        fprintf(stderr, "  served: %s %.*s\n", isorun_rpc_status_name(resp.status), (int)resp.message_len,
                resp.message ? resp.message : "");
    isr_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    int mode = data[0] == 'v' ? 0 : data[0] == 'f' ? 1 : data[0] == 's' ? 2 : data[0] % 3;
    if (mode == 0)
        fuzz_value(data + 1, size - 1);
    else if (mode == 1)
        fuzz_frame(data + 1, size - 1);
    else
        fuzz_serve(data + 1, size - 1);
    return 0;
}
