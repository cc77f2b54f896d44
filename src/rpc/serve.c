/*
 * serve.c — answering one request: decode it, find the instance and its
 * export, check the type fingerprint and the call chain, run the call under
 * the instance's budget and the caller's deadline, and encode the response.
 *
 * This is a function from request bytes to response bytes: queues, threads
 * and connections are server.c's business, which keeps this part testable
 * with hand-built requests (tests/rpc/test_incoming_rpc.c).
 */
#include "rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMALL 16

typedef struct answer {
    isorun_rpc_status status;
    isorun_trap_code trap;
    char message[1024];
} answer;

static void fail(answer *a, isorun_rpc_status status, const char *fmt, ...) ISR_PRINTF(3, 4);
static void fail(answer *a, isorun_rpc_status status, const char *fmt, ...) {
    a->status = status;
    a->trap = ISORUN_TRAP_NONE;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
}

/* The answer for an error of the call itself (trap, budget, deadline...). */
static void fail_with(answer *a, const isorun_error *err) {
    a->status = rpc_status_of_error(err);
    a->trap = isorun_error_code_of(err) == ISORUN_ERR_TRAP ? isorun_error_trap(err) : ISORUN_TRAP_NONE;
    if (isorun_error_code_of(err) == ISORUN_ERR_EXIT)
        snprintf(a->message, sizeof a->message, "the callee's guest exited with status %d",
                 isorun_error_exit_code(err));
    else
        snprintf(a->message, sizeof a->message, "%s", isorun_error_message(err));
}

/* Room for an export's signature as rpc types: on the stack for the usual
 * small ones (this may run on a caller's thread, deep in a call chain). */
typedef struct type_space {
    isorun_kind small_kinds[SMALL];
    const cm_type *small_types[SMALL];
    isorun_kind *kinds;
    const cm_type **types;
} type_space;

static void type_space_free(type_space *ts) {
    if (ts->kinds != ts->small_kinds) free(ts->kinds);
    if (ts->types != ts->small_types) free((void *)ts->types);
}

/* The export's signature as an rpc type (kinds and types in ts). */
static bool export_type(const wasm_functype *wt, type_space *ts, cm_functype *ft, answer *a) {
    uint32_t n = wt->nparams + wt->nresults;
    ts->kinds = n <= SMALL ? ts->small_kinds : malloc(n * sizeof *ts->kinds);
    ts->types = n <= SMALL ? ts->small_types : malloc(n * sizeof *ts->types);
    if (!ts->kinds || !ts->types) {
        fail(a, ISORUN_RPC_INTERNAL, "out of memory for the export's signature");
        return false;
    }
    isorun_kind *kinds = ts->kinds;
    const cm_type **storage = ts->types;
    for (uint32_t i = 0; i < n; i++) {
        if (!isr_kind_of_valtype(wt->types[i], &kinds[i])) {
            fail(a, ISORUN_RPC_TYPE_MISMATCH,
                 "the export passes references or vectors, which cannot be called remotely");
            return false;
        }
    }
    isorun_functype core = {wt->nparams, wt->nresults, kinds, kinds + wt->nparams};
    isorun_error *err = cm_functype_of_core(&core, storage, ft);
    if (err) {
        fail(a, ISORUN_RPC_TYPE_MISMATCH, "%s", isorun_error_message(err));
        isorun_error_free(err);
        return false;
    }
    return true;
}

/* Runs f of inst with args, results into vals (as isorun_val). */
static isorun_error *run(isorun_instance *inst, wasm_func *f, const cm_functype *ft, const isorun_val *args,
                         isorun_val *results, uint64_t deadline_ns, const rpc_chain *chain) {
    const wasm_functype *wt = wasm_func_type(f);
    size_t width = wt->nparams > wt->nresults ? wt->nparams : wt->nresults;
    wasm_slot small[SMALL];
    wasm_slot *slots = width <= SMALL ? small : malloc(width * sizeof *slots);
    if (!slots) return isr_error_nomem();
    for (uint32_t i = 0; i < ft->nparams; i++) slots[i] = isr_slot_of_val(&args[i]);
    /* Waiting for the instance (another caller may be in it) and running are
     * both bounded by the caller's deadline, on top of the instance's own. */
    isorun_error *err = isr_instance_enter(inst, deadline_ns);
    if (!err) {
        const rpc_chain *previous = rpc_chain_enter(chain);
        err = wasm_call(inst->store, f, slots, slots);
        rpc_chain_leave(previous);
        isr_instance_account(inst, err);
        isr_instance_leave(inst);
    }
    if (!err)
        for (uint32_t i = 0; i < ft->nresults; i++) results[i] = isr_val_of_slot(wasm_functype_results(wt)[i], slots[i]);
    if (slots != small) free(slots);
    return err;
}

/* Everything but building the response. On success a->status is OK and
 * results hold ft->nresults values. */
static void answer_request(const rpc_serve_ctx *ctx, const rpc_request *req, uint64_t arrived_ns, answer *a,
                           cm_functype *ft, type_space *ts, isorun_val *small_results, isorun_val **results) {
    char target[RPC_MAX_TARGET + 1], function[RPC_MAX_FUNCTION + 1];
    memcpy(target, req->target, req->target_len);
    target[req->target_len] = 0;
    memcpy(function, req->function, req->function_len);
    function[req->function_len] = 0;
    if (strlen(target) != req->target_len || strlen(function) != req->function_len) {
        fail(a, ISORUN_RPC_MALFORMED_REQUEST, "the target id or function name contains a NUL byte");
        return;
    }

    isorun_instance *inst = isorun_runtime_lookup(ctx->rt, target);
    if (!inst) {
        fail(a, ISORUN_RPC_UNKNOWN_INSTANCE, "no instance is registered as \"%s\" here", target);
        return;
    }
    wasm_extern ext;
    if (!inst->winst || !wasm_instance_export_n(inst->winst, req->function, req->function_len, &ext) ||
        ext.kind != WASM_EXTERN_FUNC) {
        fail(a, ISORUN_RPC_UNKNOWN_FUNCTION, "instance \"%s\" has no function export \"%s\"", target, function);
        goto done;
    }
    if (!export_type(wasm_func_type(ext.u.func), ts, ft, a)) goto done;
    uint64_t have = 0;
    isorun_error *err = rpc_functype_fingerprint(ft, &have);
    if (err) {
        fail_with(a, err);
        isorun_error_free(err);
        goto done;
    }
    if (have != req->fingerprint) {
        isr_buf text = {0};
        bool ok = cm_functype_print(&text, ft) && isr_buf_append(&text, "", 1);
        fail(a, ISORUN_RPC_TYPE_MISMATCH,
             "\"%s\" of \"%s\" is %s (type fingerprint %016llx), but the caller expects a function with type "
             "fingerprint %016llx: the caller's import and this export have different signatures",
             function, target, ok ? (const char *)text.data : "?", (unsigned long long)have,
             (unsigned long long)req->fingerprint);
        isr_buf_free(&text);
        goto done;
    }

    /* A cycle: the target already waits, up the chain, for this call. */
    rpc_chain chain = {.len = req->chain_len};
    for (uint32_t i = 0; i < req->chain_len; i++) chain.tokens[i] = rpc_request_chain_token(req, i);
    if (rpc_chain_contains(&chain, rpc_instance_token(ctx->salt, inst))) {
        fail(a, ISORUN_RPC_CALL_CYCLE,
             "calling \"%s\" of \"%s\" would re-enter that instance, which is already waiting further up this "
             "chain of %u remote call(s); its lock is held, so the call could only wait for its deadline "
             "(break the cycle, or link the two locally, where re-entry works)",
             function, target, req->chain_len);
        goto done;
    }

    uint64_t deadline = req->deadline_ns ? arrived_ns + req->deadline_ns : 0;
    if (deadline && isr_now_ns() >= deadline) {
        fail(a, ISORUN_RPC_DEADLINE_EXCEEDED, "the caller's deadline passed before \"%s\" of \"%s\" could start",
             function, target);
        a->trap = ISORUN_TRAP_DEADLINE;
        goto done;
    }

    isorun_val small[SMALL];
    isorun_val *args = ft->nparams <= SMALL ? small : calloc(ft->nparams, sizeof *args);
    isorun_val *res = ft->nresults <= SMALL ? small_results : calloc(ft->nresults, sizeof *res);
    if (!args || !res) {
        if (args != small) free(args);
        if (res != small_results) free(res);
        fail(a, ISORUN_RPC_INTERNAL, "out of memory decoding the arguments");
        goto done;
    }
    rpc_reader r;
    rpc_reader_init(&r, req->args, req->args_len, ctx->max_decoded);
    err = rpc_values_decode(&r, ft->nparams, ft->params, args);
    if (err) {
        fail(a, isorun_error_code_of(err) == ISORUN_ERR_LIMIT ? ISORUN_RPC_TOO_LARGE : ISORUN_RPC_MALFORMED_REQUEST,
             "arguments of \"%s\": %s", function, isorun_error_message(err));
        isorun_error_free(err);
    } else {
        err = run(inst, ext.u.func, ft, args, res, deadline, &chain);
        rpc_values_free(args, ft->nparams);
        if (err) {
            fail_with(a, err);
            isorun_error_free(err);
        } else {
            a->status = ISORUN_RPC_OK;
            *results = res;
            res = NULL;
        }
    }
    if (args != small) free(args);
    if (res && res != small_results) free(res);
done:
    isorun_instance_free(inst);
}

bool rpc_serve_request(const rpc_serve_ctx *ctx, const uint8_t *frame, size_t len, uint64_t arrived_ns,
                       isr_buf *out) {
    tp_frame_header h;
    rpc_request req;
    answer a = {.status = ISORUN_RPC_INTERNAL};
    isorun_error *err = tp_frame_check(frame, len, ctx->max_frame, &h);
    if (!err && h.type != TP_FRAME_REQUEST) err = isr_error(ISORUN_ERR_MALFORMED, "not a request frame");
    if (!err) err = rpc_request_read(&h, frame + TP_FRAME_HEADER_SIZE, h.body_len, &req);
    if (err) {
        /* The header's id is all we can answer to (0 when even that is
         * unreadable: the caller's request then times out). */
        uint64_t id = 0;
        if (len >= TP_FRAME_HEADER_SIZE && frame[0] == TP_FRAME_MAGIC0 && frame[1] == TP_FRAME_MAGIC1)
            for (int i = 0; i < 8; i++) id |= (uint64_t)frame[8 + i] << (8 * i);
        fail(&a, isorun_error_code_of(err) == ISORUN_ERR_LIMIT ? ISORUN_RPC_TOO_LARGE : ISORUN_RPC_MALFORMED_REQUEST,
             "%s", isorun_error_message(err));
        isorun_error_free(err);
        return rpc_response_write_error(out, id, a.status, a.trap, a.message);
    }

    type_space ts = {.kinds = NULL, .types = NULL};
    ts.kinds = ts.small_kinds, ts.types = ts.small_types;
    isorun_val small[SMALL];
    cm_functype ft = {0};
    isorun_val *results = NULL;
    answer_request(ctx, &req, arrived_ns, &a, &ft, &ts, small, &results);
    bool ok;
    if (a.status == ISORUN_RPC_OK) {
        err = rpc_response_write_ok(out, h.id, &ft, results, ctx->max_frame);
        ok = err == NULL;
        isorun_error_free(err);
    } else {
        ok = rpc_response_write_error(out, h.id, a.status, a.trap, a.message);
    }
    if (results) {
        rpc_values_free(results, ft.nresults);
        if (results != small) free(results);
    }
    type_space_free(&ts);
    return ok;
}
