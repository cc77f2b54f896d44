/*
 * rpc.h — the rpc layer's face: value types and their canonical strings, the
 * component-model value encoding, request and response bodies
 * (docs/protocol.md).
 *
 * Everything that reads bytes from a peer is defensive: truncated, oversized,
 * mis-typed or garbage input is an error (ISORUN_ERR_MALFORMED, or
 * ISORUN_ERR_LIMIT for a configured limit), never a crash, and never an
 * allocation that the input's own size does not pay for.
 */
#ifndef ISORUN_RPC_H
#define ISORUN_RPC_H

#include "../component/component.h"
#include "../runtime/runtime.h"
#include "../transport/transport.h"
#include "../util/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Function type fingerprints (fingerprint.c); the types themselves are the
 * component layer's (component.h)
 * ------------------------------------------------------------------------ */

/* FNV-1a 64 of the canonical text. Errors only on OOM. */
isorun_error *rpc_functype_fingerprint(const cm_functype *ft, uint64_t *out);
/* FNV-1a 64 over bytes (the protocol's hash; see protocol.md). */
uint64_t rpc_fnv1a64(const void *p, size_t n);

/* ------------------------------------------------------------------------
 * Byte primitives (bytes.c): LEB128 and little-endian integers
 * ------------------------------------------------------------------------ */

/* A bounds-checked cursor over bytes from a peer. `start` is kept so errors
 * can name the offset. `budget` is how many bytes of host memory decoding may
 * still allocate (ISORUN_ERR_LIMIT when it runs out). */
typedef struct rpc_reader {
    const uint8_t *start, *p, *end;
    uint64_t budget;
} rpc_reader;

static inline void rpc_reader_init(rpc_reader *r, const uint8_t *p, size_t n, uint64_t budget) {
    r->start = r->p = p;
    r->end = p + n;
    r->budget = budget;
}
static inline size_t rpc_reader_left(const rpc_reader *r) { return (size_t)(r->end - r->p); }
static inline size_t rpc_reader_offset(const rpc_reader *r) { return (size_t)(r->p - r->start); }

/* ISORUN_ERR_MALFORMED "at byte N: what". */
isorun_error *rpc_reader_fail(const rpc_reader *r, const char *what);
/* Takes n bytes of host memory from the budget (ISORUN_ERR_LIMIT if short). */
isorun_error *rpc_reader_charge(rpc_reader *r, uint64_t n);

isorun_error *rpc_get_u8(rpc_reader *r, uint8_t *out);
isorun_error *rpc_get_u64le(rpc_reader *r, uint64_t *out);
isorun_error *rpc_get_bytes(rpc_reader *r, size_t n, const uint8_t **out);
/* LEB128 of at most `bits` bits (16, 32 or 64): at most ceil(bits/7) bytes,
 * and the unused bits of the last byte must be zero (unsigned) or copies of
 * the sign bit (signed), as in the WebAssembly binary format. */
isorun_error *rpc_get_uleb(rpc_reader *r, unsigned bits, uint64_t *out);
isorun_error *rpc_get_sleb(rpc_reader *r, unsigned bits, int64_t *out);
/* A LEB128 u32 byte length, then that many bytes of UTF-8 (at most max). */
isorun_error *rpc_get_string(rpc_reader *r, size_t max, const char *what, const char **s, size_t *len);

bool rpc_put_u8(isr_buf *b, uint8_t v);
bool rpc_put_u64le(isr_buf *b, uint64_t v);
bool rpc_put_uleb(isr_buf *b, uint64_t v);
bool rpc_put_sleb(isr_buf *b, int64_t v);
bool rpc_put_string(isr_buf *b, const char *s, size_t len);

/* ------------------------------------------------------------------------
 * Values (values_encode.c, values_decode.c)
 * ------------------------------------------------------------------------ */

/* Appends v's encoding as a value of type t. ISORUN_ERR_TYPE_MISMATCH when v
 * does not fit t (kind, count, tag, missing payload, invalid UTF-8 or char),
 * ISORUN_ERR_NOMEM. On error b may hold a partial encoding: truncate it. */
isorun_error *rpc_value_encode(isr_buf *b, const cm_type *t, const isorun_val *v);
isorun_error *rpc_values_encode(isr_buf *b, uint32_t n, const cm_type *const *types, const isorun_val *vals);

/* Decodes one value of type t. On error *out is an I32 zero and nothing is
 * leaked. */
isorun_error *rpc_value_decode(rpc_reader *r, const cm_type *t, isorun_val *out);
/* Decodes n values that must use up all of r; on error every out[i] is an I32
 * zero. */
isorun_error *rpc_values_decode(rpc_reader *r, uint32_t n, const cm_type *const *types, isorun_val *out);

/* Decoded values are freed by isorun_val_free; this frees n of them. */
void rpc_values_free(isorun_val *vals, size_t n);

/* ------------------------------------------------------------------------
 * Statuses (status.c): the table behind ISORUN_RPC_STATUS_LIST
 * ------------------------------------------------------------------------ */

/* The isorun_error_code a caller sees for a remote status. */
isorun_error_code rpc_status_error_code(isorun_rpc_status s);
/* Records on err the status its remote call failed with (see
 * isorun_error_rpc_status); returns err. */
isorun_error *rpc_error_with_status(isorun_error *err, isorun_rpc_status s);
/* The status a server answers for a local error of a call it ran. */
isorun_rpc_status rpc_status_of_error(const isorun_error *err);
/* Trap codes on the wire have fixed numbers (protocol.md), independent of the
 * order of ISORUN_TRAP_LIST. */
uint8_t rpc_trap_to_wire(isorun_trap_code trap);
isorun_trap_code rpc_trap_from_wire(uint8_t wire); /* ISORUN_TRAP_COUNT_ when unknown */

/* ------------------------------------------------------------------------
 * Request and response bodies (wire.c)
 * ------------------------------------------------------------------------ */

#define RPC_MAX_TARGET 1024      /* bytes of a target instance id */
#define RPC_MAX_FUNCTION 4096    /* bytes of a function name */
#define RPC_MAX_MESSAGE 65536    /* bytes of an error message */
#define RPC_MAX_CHAIN 64         /* hops in a call chain */
#define RPC_DEFAULT_MAX_DECODED (64u << 20) /* host bytes one message may decode into */

/* A request as read from a frame: the strings and the arguments point into
 * the frame's bytes (not NUL-terminated). */
typedef struct rpc_request {
    uint64_t id;
    uint64_t deadline_ns; /* time left for the call when it was sent; 0 = none */
    uint64_t fingerprint;
    const char *target;
    size_t target_len;
    const char *function;
    size_t function_len;
    uint32_t chain_len;
    const uint8_t *chain; /* chain_len tokens of 8 bytes (little-endian u64) */
    const uint8_t *args;  /* the encoded arguments: the rest of the body */
    size_t args_len;
} rpc_request;

/* The i-th token of a request's call chain. */
uint64_t rpc_request_chain_token(const rpc_request *req, uint32_t i);

/* Appends a whole request frame (header + body) with the arguments encoded by
 * ft. chain has chain_len tokens. ISORUN_ERR_LIMIT when the body would exceed
 * max_body, or the chain RPC_MAX_CHAIN. */
isorun_error *rpc_request_write(isr_buf *b, const rpc_request *req, const uint64_t *chain, const cm_functype *ft,
                                const isorun_val *args, uint32_t max_body);
/* Reads a request body (the frame header already checked). */
isorun_error *rpc_request_read(const tp_frame_header *h, const uint8_t *body, size_t len, rpc_request *out);

typedef struct rpc_response {
    uint64_t id;
    isorun_rpc_status status;
    isorun_trap_code trap; /* ISORUN_TRAP_NONE unless the status says a trap */
    const char *message;   /* errors: into the frame, not NUL-terminated */
    size_t message_len;
    const uint8_t *results; /* ISORUN_RPC_OK: the encoded results */
    size_t results_len;
} rpc_response;

/* Appends a whole success response frame with results encoded by ft. When
 * the results do not fit in max_body, writes a too-large error response
 * instead (the caller must get an answer either way). */
isorun_error *rpc_response_write_ok(isr_buf *b, uint64_t id, const cm_functype *ft, const isorun_val *results,
                                    uint32_t max_body);
/* Appends a whole error response frame; the message is cut to
 * RPC_MAX_MESSAGE bytes (at a UTF-8 boundary). */
bool rpc_response_write_error(isr_buf *b, uint64_t id, isorun_rpc_status status, isorun_trap_code trap,
                              const char *message);
isorun_error *rpc_response_read(const tp_frame_header *h, const uint8_t *body, size_t len, rpc_response *out);

/* ------------------------------------------------------------------------
 * Call chains (chain.c)
 * ------------------------------------------------------------------------ */

typedef struct rpc_chain {
    uint32_t len;
    uint64_t tokens[RPC_MAX_CHAIN];
} rpc_chain;

/* The chain of the request this thread is serving, or NULL. */
const rpc_chain *rpc_chain_current(void);
/* Makes chain this thread's current one; returns the one it replaces, for
 * rpc_chain_leave. */
const rpc_chain *rpc_chain_enter(const rpc_chain *chain);
void rpc_chain_leave(const rpc_chain *previous);
bool rpc_chain_contains(const rpc_chain *chain, uint64_t token);
/* The same in every object of one process; differs between processes. */
uint64_t rpc_process_salt(void);
uint64_t rpc_instance_token(uint64_t salt, const void *instance);

/* ------------------------------------------------------------------------
 * Endpoints: the object behind isorun_transport (endpoint.c, readers.c,
 * call.c)
 * ------------------------------------------------------------------------ */

/* The server behind isorun_server (server.c). */
typedef isorun_server rpc_server;

/* The state behind isorun_transport, shared by endpoint.c (life cycle,
 * dispatch), readers.c (reader threads) and call.c (outgoing calls). */
#define PENDING_BUCKETS 64
/* A request running on a reader thread (readers.c). */
enum { INLINE_IDLE, INLINE_RUNNING, INLINE_STOLEN };

/* An outgoing call waiting for its response. Lives on the caller's stack. */
typedef struct pending {
    struct pending *next;
    uint64_t id;
    pthread_cond_t cv; /* CLOCK_MONOTONIC */
    bool done;
    uint8_t *frame; /* the response (malloc'd), when done without failure */
    size_t len;
    isorun_error *failure; /* the connection failed before the response came */
} pending;

struct isorun_transport {
    atomic_uint refs;
    const isorun_transport_ops *ops;
    void *impl;
    isorun_rpc_options opts;
    bool direct; /* a local channel end: no reader thread */
    /* Reader threads (none while callers read; the second one starts at
     * the first hand-off). */
    pthread_t readers[2];
    int nreaders, live_readers;
    bool reader_active;   /* a thread (reader or caller) holds the reading role */
    size_t waiting;       /* callers waiting on their pending entry */
    bool reading_over;    /* recv failed: the connection is gone */
    pthread_cond_t role;  /* the role was released, or reading is over */
    /* A request running on the thread that holds the role (INLINE_*). Its
     * start and end touch only these atomics: the standby checks them on
     * its own mutex, so the hot path never waits for a lock the standby
     * holds (a contended lock can cost a whole scheduler tick). */
    atomic_int inline_state;
    atomic_bool steal_now, standby_asleep, standby_stop;
    atomic_uint_least64_t inline_since, last_inline;
    pthread_mutex_t standby_mu;
    pthread_cond_t standby_cv; /* CLOCK_MONOTONIC */
    atomic_bool closed_flag;   /* = closed, read without mu by senders */
    atomic_bool standby_ready; /* the second reader thread runs */

    pthread_mutex_t mu;
    bool closed;
    char *close_reason; /* why it closed, for calls that come later */
    uint64_t next_id;
    pending *pending[PENDING_BUCKETS];
    rpc_server *server; /* attached (internal reference) */
    bool accepted;      /* a server's connection: tell it when it ends */
    char *dial_url;     /* the address isorun_transport_dial dialed (for
                         * redialing, rpc_transport_redial); NULL otherwise */
    char label[160];
};

static inline pending **rpc_pending_bucket(isorun_transport *t, uint64_t id) {
    return &t->pending[id % PENDING_BUCKETS];
}

/* The error of a call that cannot go through t because it closed for
 * reason (NULL: "closed"): ISORUN_RPC_UNAVAILABLE, the label said once. */
isorun_error *rpc_unavailable(const isorun_transport *t, const char *reason);
/* Marks t closed and fails every pending call with reason (first reason
 * kept). */
void rpc_transport_mark_closed(isorun_transport *t, const char *reason);
/* Dispatches one checked frame. own: frame is malloc'd and taken; reader:
 * called by a reader thread (true returned: it ran a request and lost the
 * reading role). */
bool rpc_transport_on_frame(isorun_transport *t, const tp_frame_header *h, uint8_t *frame, size_t len, bool own,
                            bool reader);
/* Starts a reader thread (mu held); 0 or the pthread error. */
int rpc_transport_start_reader(isorun_transport *t);
void rpc_transport_wake_standby(isorun_transport *t);

/* Defaults applied. */
void rpc_options_resolve(const isorun_rpc_options *in, isorun_rpc_options *out);

/* Wraps a transport (ops, impl) for a server's accepted connection: its
 * requests go to server, and on_closed(server, t) runs on the reader thread
 * when the connection ends. */
isorun_error *rpc_transport_accepted(const isorun_transport_ops *ops, void *impl, const isorun_rpc_options *opts,
                                     rpc_server *server, isorun_transport **out);
/* A new reference, or NULL when the last one is already gone (the transport
 * is being destroyed). */
isorun_transport *rpc_transport_try_ref(isorun_transport *t);
/* Sends a whole frame (fails fast once the transport is closed). */
isorun_error *rpc_transport_send(isorun_transport *t, const uint8_t *frame, size_t len, const char *target,
                                 uint64_t deadline_ns);
const isorun_rpc_options *rpc_transport_options(const isorun_transport *t);
/* Attaches (server != NULL, taking an internal reference) or detaches. */
isorun_error *rpc_transport_set_server(isorun_transport *t, rpc_server *server);
/* A new connection to the address t was dialed at, with t's options and with
 * t's server attached to it (calls the other way keep being served).
 * ISORUN_ERR_ARGUMENT when t was not made by isorun_transport_dial. */
isorun_error *rpc_transport_redial(isorun_transport *t, isorun_transport **out);

/* A call from this side: encodes args by ft, sends to target.function,
 * waits until deadline_ns (absolute CLOCK_MONOTONIC; 0 = the transport's
 * call timeout from now), decodes results. chain: the hops to carry (may be
 * NULL). Remote failures become errors as isorun_transport_call says. */
isorun_error *rpc_call(isorun_transport *t, const char *target, const char *function, const cm_functype *ft,
                       uint64_t fingerprint, const isorun_val *args, isorun_val *results, uint64_t deadline_ns,
                       const rpc_chain *chain);

/* ------------------------------------------------------------------------
 * Serving (serve.c, server.c, server_queue.c, server_conns.c)
 * ------------------------------------------------------------------------ */

/* What answering one request needs. */
typedef struct rpc_serve_ctx {
    isorun_runtime *rt;
    uint64_t salt;           /* rpc_process_salt() */
    uint64_t max_decoded;    /* budget for decoding the arguments */
    uint32_t max_frame;      /* largest response body */
} rpc_serve_ctx;

/* Answers one whole request frame: runs the call (or finds why not) and
 * appends the whole response frame to out. arrived_ns: when the request
 * arrived (its deadline counts from then). Returns false only when even an
 * error response could not be built (out of memory). */
bool rpc_serve_request(const rpc_serve_ctx *ctx, const uint8_t *frame, size_t len, uint64_t arrived_ns,
                       isr_buf *out);

/* A listener: ops and impl, and the address for logs (listener.c). */
struct isorun_listener {
    const isorun_listener_ops *ops;
    void *impl;
    char url[300];
};

/* How a request reaches the server (rpc_server_submit). */
typedef enum rpc_submit_mode {
    RPC_SUBMIT_QUEUE,  /* queue it for a worker */
    RPC_SUBMIT_READER, /* from a reader thread: it may run the request itself
                        * (rpc_transport_inline_begin/end) */
    RPC_SUBMIT_INLINE, /* from the caller's own thread (a local channel): run it now */
} rpc_submit_mode;

/* Called by endpoints for every request. Returns true when the calling
 * reader thread ran the request and gave up its reading role. */
bool rpc_server_submit(rpc_server *s, isorun_transport *t, const uint8_t *frame, size_t len, rpc_submit_mode mode);
/* Around a request run by a reader thread of t: begin is false when no
 * standby reader could be had (the request must be queued instead); end is
 * true when the standby took the reading over meanwhile (this thread must
 * stop reading). */
bool rpc_transport_inline_begin(isorun_transport *t);
bool rpc_transport_inline_end(isorun_transport *t);
void rpc_server_cancel(rpc_server *s, isorun_transport *t, uint64_t id);
rpc_server *rpc_server_ref(rpc_server *s);
void rpc_server_release(rpc_server *s);
/* An accepted connection ended (reader thread). */
void rpc_server_connection_closed(rpc_server *s, isorun_transport *t);

/* The state behind isorun_server, shared by server.c (life cycle),
 * server_queue.c (requests and workers) and server_conns.c (connections,
 * listeners, housekeeping). */
typedef struct rpc_job {
    struct rpc_job *next;
    isorun_transport *t; /* reference */
    uint64_t id;
    uint64_t arrived_ns, deadline_ns;
    char *target;
    size_t len;
    uint8_t frame[];
} rpc_job;

/* A request being run by a worker or inline. */
typedef struct rpc_running {
    struct rpc_running *next;
    const char *target;
} rpc_running;

/* An idle worker, on its own stack, waiting to be woken. */
typedef struct rpc_idle_worker {
    struct rpc_idle_worker *next;
    pthread_cond_t cv;
    bool woken;
} rpc_idle_worker;

typedef struct rpc_server_listener {
    isorun_listener *l;
    pthread_t thread;
    bool started;
} rpc_server_listener;

typedef struct rpc_server_conn {
    isorun_transport *t; /* reference */
    bool dead;
} rpc_server_conn;

struct isorun_server {
    atomic_uint refs;
    isorun_runtime *rt; /* reference */
    isorun_server_config cfg;
    rpc_serve_ctx ctx;

    pthread_mutex_t mu;
    rpc_idle_worker *idle;    /* most recently idle first */
    pthread_cond_t done;  /* a running request finished */
    pthread_cond_t house; /* housekeeping has something to do, or must stop */
    bool stopping, workers_exit, house_exit;

    rpc_job *head, *tail;
    size_t queued;
    rpc_running *runs;
    size_t nrunning;

    pthread_t *workers;
    uint32_t nworkers;
    pthread_t housekeeper;
    bool housekeeper_started;

    rpc_server_listener *listeners;
    size_t nlisteners, cap_listeners;
    rpc_server_conn *conns;
    size_t nconns, cap_conns, ndead;
    isorun_transport **attached;
    size_t nattached, cap_attached;
    char **advertised; /* ids routed listeners were told about */
    size_t nadvertised, cap_advertised;
};

void rpc_server_log(isorun_server *s, const char *fmt, ...) ISR_PRINTF(2, 3);
void rpc_server_send_error(isorun_transport *t, uint64_t id, isorun_rpc_status status, isorun_trap_code trap,
                           const char *message);
void rpc_server_job_free(rpc_job *j);
void rpc_server_wake_all_workers(isorun_server *s); /* mu held */
void *rpc_server_worker_main(void *server);
void *rpc_server_accept_main(void *args); /* args: malloc'd {server, listener} */
void *rpc_server_housekeeping_main(void *server);

#endif /* ISORUN_RPC_H */
