/*
 * chain.c — call chains, so that a cycle of remote calls is reported instead
 * of waiting for its deadline.
 *
 * Each request carries the tokens of the instances that are waiting, up the
 * stack, for it to return: the caller's own token, after the chain of the
 * request the caller itself is serving, if any. A server refuses a request
 * whose target's token is already in the chain (call-cycle): running it
 * would have to wait for the instance's lock, which the waiting call holds.
 *
 * Which chain a thread is serving is thread-local state: a served call runs
 * on one thread from start to end, and the stubs it reaches (directly or
 * through local links) run on that same thread, so the chain follows the
 * call without being passed through the engine. It is saved and restored
 * around every served call (rpc_chain_enter/leave), like a stack.
 *
 * A token is a 64-bit hash of the instance's address salted with what makes
 * this process distinct from every other that might be in the chain (boot
 * id, host name, process id, the library's load address), so tokens of
 * different processes practically never collide.
 */
#include "rpc.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static _Thread_local const rpc_chain *current_chain;

const rpc_chain *rpc_chain_current(void) { return current_chain; }

const rpc_chain *rpc_chain_enter(const rpc_chain *chain) {
    const rpc_chain *previous = current_chain;
    current_chain = chain;
    return previous;
}

void rpc_chain_leave(const rpc_chain *previous) { current_chain = previous; }

bool rpc_chain_contains(const rpc_chain *chain, uint64_t token) {
    for (uint32_t i = 0; chain && i < chain->len; i++)
        if (chain->tokens[i] == token) return true;
    return false;
}

/* Its address differs between processes when the library is loaded at a
 * randomized address. Never written. */
static const char salt_marker;

uint64_t rpc_process_salt(void) {
    char material[512];
    size_t n = 0;
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (f) {
        n = fread(material, 1, 64, f);
        fclose(f);
    }
    char host[128] = "";
    gethostname(host, sizeof host - 1);
    n += (size_t)snprintf(material + n, sizeof material - n, "|%s|%ld|%p", host, (long)getpid(),
                          (const void *)&salt_marker);
    return rpc_fnv1a64(material, n < sizeof material ? n : sizeof material);
}

uint64_t rpc_instance_token(uint64_t salt, const void *instance) {
    uint8_t bytes[16];
    uint64_t addr = (uint64_t)(uintptr_t)instance;
    for (int i = 0; i < 8; i++) {
        bytes[i] = (uint8_t)(salt >> (8 * i));
        bytes[8 + i] = (uint8_t)(addr >> (8 * i));
    }
    return rpc_fnv1a64(bytes, sizeof bytes);
}
