/* status.c — the statuses of remote calls (ISORUN_RPC_STATUS_LIST), how they
 * map to the public error codes, and the fixed wire numbers of trap codes. */
#include "rpc.h"

static const char *const status_names[] = {
#define X(name, wire, str, msg) [wire] = str,
    ISORUN_RPC_STATUS_LIST(X)
#undef X
};

static const char *const status_messages[] = {
#define X(name, wire, str, msg) [wire] = msg,
    ISORUN_RPC_STATUS_LIST(X)
#undef X
};

isorun_rpc_status isorun_error_rpc_status(const isorun_error *err) {
    return err && err->rpc_status > 0 && err->rpc_status < ISORUN_RPC_STATUS_COUNT_ ? (isorun_rpc_status)err->rpc_status
                                                                                   : ISORUN_RPC_OK;
}

isorun_error *rpc_error_with_status(isorun_error *err, isorun_rpc_status s) {
    if (err && err != isr_error_nomem()) err->rpc_status = (int)s;
    return err;
}

const char *isorun_rpc_status_name(isorun_rpc_status s) {
    return (unsigned)s < ISORUN_RPC_STATUS_COUNT_ && status_names[s] ? status_names[s] : "?";
}

const char *isorun_rpc_status_message(isorun_rpc_status s) {
    return (unsigned)s < ISORUN_RPC_STATUS_COUNT_ && status_messages[s] ? status_messages[s] : "?";
}

isorun_error_code rpc_status_error_code(isorun_rpc_status s) {
    switch (s) {
    case ISORUN_RPC_OK: return ISORUN_ERR_OK;
    case ISORUN_RPC_UNKNOWN_INSTANCE:
    case ISORUN_RPC_UNKNOWN_FUNCTION: return ISORUN_ERR_NOT_FOUND;
    case ISORUN_RPC_TYPE_MISMATCH: return ISORUN_ERR_TYPE_MISMATCH;
    case ISORUN_RPC_TRAP:
    case ISORUN_RPC_BUDGET_EXCEEDED:
    case ISORUN_RPC_DEADLINE_EXCEEDED: return ISORUN_ERR_TRAP;
    case ISORUN_RPC_MALFORMED_REQUEST: return ISORUN_ERR_MALFORMED;
    case ISORUN_RPC_TOO_LARGE:
    case ISORUN_RPC_CALL_CYCLE:
    case ISORUN_RPC_OVERLOADED: return ISORUN_ERR_LIMIT;
    case ISORUN_RPC_SHUTTING_DOWN:
    case ISORUN_RPC_INTERNAL:
    case ISORUN_RPC_UNAVAILABLE:
    default: return ISORUN_ERR_IO;
    }
}

isorun_rpc_status rpc_status_of_error(const isorun_error *err) {
    switch (isorun_error_code_of(err)) {
    case ISORUN_ERR_OK: return ISORUN_RPC_OK;
    case ISORUN_ERR_TRAP:
        switch (isorun_error_trap(err)) {
        case ISORUN_TRAP_OUT_OF_FUEL:
        case ISORUN_TRAP_RESOURCE_LIMIT:
        case ISORUN_TRAP_STACK_EXHAUSTED: return ISORUN_RPC_BUDGET_EXCEEDED;
        case ISORUN_TRAP_DEADLINE: return ISORUN_RPC_DEADLINE_EXCEEDED;
        default: return ISORUN_RPC_TRAP;
        }
    case ISORUN_ERR_LIMIT: return ISORUN_RPC_BUDGET_EXCEEDED;
    case ISORUN_ERR_NOT_FOUND: return ISORUN_RPC_UNKNOWN_FUNCTION;
    case ISORUN_ERR_TYPE_MISMATCH: return ISORUN_RPC_TYPE_MISMATCH;
    case ISORUN_ERR_EXIT: return ISORUN_RPC_TRAP; /* a guest's proc_exit ends the call like a trap */
    default: return ISORUN_RPC_INTERNAL;
    }
}

/* Trap codes on the wire. The numbers are the protocol's (protocol.md,
 * "Trap codes"): a reordering of ISORUN_TRAP_LIST must not change them, so
 * they are listed here explicitly rather than taken from the enum. */
static const struct {
    isorun_trap_code trap;
    uint8_t wire;
} trap_wire[] = {
    {ISORUN_TRAP_NONE, 0},
    {ISORUN_TRAP_UNREACHABLE, 1},
    {ISORUN_TRAP_MEMORY_OOB, 2},
    {ISORUN_TRAP_TABLE_OOB, 3},
    {ISORUN_TRAP_UNDEFINED_ELEMENT, 4},
    {ISORUN_TRAP_UNINITIALIZED_ELEMENT, 5},
    {ISORUN_TRAP_INDIRECT_TYPE_MISMATCH, 6},
    {ISORUN_TRAP_NULL_REFERENCE, 7},
    {ISORUN_TRAP_DIV_BY_ZERO, 8},
    {ISORUN_TRAP_INT_OVERFLOW, 9},
    {ISORUN_TRAP_INVALID_CONVERSION, 10},
    {ISORUN_TRAP_STACK_EXHAUSTED, 11},
    {ISORUN_TRAP_OUT_OF_FUEL, 12},
    {ISORUN_TRAP_INTERRUPTED, 13},
    {ISORUN_TRAP_DEADLINE, 14},
    {ISORUN_TRAP_RESOURCE_LIMIT, 15},
    {ISORUN_TRAP_HOST, 16},
    {ISORUN_TRAP_INVALID_VALUE, 17},
};

_Static_assert(sizeof trap_wire / sizeof trap_wire[0] == ISORUN_TRAP_COUNT_,
               "every trap code needs a wire number in trap_wire (protocol.md)");

uint8_t rpc_trap_to_wire(isorun_trap_code trap) {
    for (size_t i = 0; i < sizeof trap_wire / sizeof trap_wire[0]; i++)
        if (trap_wire[i].trap == trap) return trap_wire[i].wire;
    return 16; /* host: the catch-all for a trap this table does not know */
}

isorun_trap_code rpc_trap_from_wire(uint8_t wire) {
    for (size_t i = 0; i < sizeof trap_wire / sizeof trap_wire[0]; i++)
        if (trap_wire[i].wire == wire) return trap_wire[i].trap;
    return ISORUN_TRAP_COUNT_;
}
