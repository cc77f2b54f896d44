/*
 * auth.c — the example:auth system component (see auth.h for the guest ABI).
 *
 * The configuration (accepted tokens) is immutable once made, so instances
 * on any threads read it without locking; each instance's failure count is
 * its own state, touched only by that instance's (serialized) calls.
 */
#include "auth.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct auth_token {
    uint8_t *bytes;
    size_t len;
} auth_token;

typedef struct auth_config {
    auth_token *tokens;
    size_t ntokens;
    unsigned max_failures;
} auth_config;

typedef struct auth_state {
    unsigned failures;
} auth_state;

/* Equal lengths and bytes, looking at every byte whatever the outcome, so
 * the time taken does not tell a guest how much of a token it got right. */
static int same_token(const auth_token *t, const uint8_t *guess, size_t len) {
    size_t n = t->len > len ? t->len : len;
    unsigned diff = t->len != len;
    for (size_t i = 0; i < n; i++) {
        uint8_t a = i < t->len ? t->bytes[i] : 0, b = i < len ? guess[i] : 0;
        diff |= (unsigned)(a ^ b);
    }
    return diff == 0;
}

static isorun_error *auth_check(isorun_call *call, const isorun_val *args, isorun_val *results) {
    const auth_config *cfg = isorun_call_data(call);
    auth_state *st = isorun_call_state(call);
    uint32_t len = (uint32_t)args[1].of.i32;
    const uint8_t *token = isorun_call_memory(call, (uint32_t)args[0].of.i32, len);
    int32_t verdict = token ? AUTH_DENY : AUTH_EINVAL;
    bool locked = cfg->max_failures && st->failures >= cfg->max_failures;
    if (token && !locked) {
        int match = 0;
        for (size_t i = 0; i < cfg->ntokens; i++) match |= same_token(&cfg->tokens[i], token, len);
        if (match) verdict = AUTH_ALLOW;
    }
    if (verdict != AUTH_ALLOW) st->failures++;
    results[0] = isorun_val_i32(verdict);
    return NULL;
}

static isorun_error *auth_failures(isorun_call *call, const isorun_val *args, isorun_val *results) {
    const auth_state *st = isorun_call_state(call);
    results[0] = isorun_val_i32((int32_t)st->failures);
    return NULL;
}

static isorun_error *auth_install(void *config, isorun_imports *im) {
    isorun_error *err = isorun_imports_define(im, AUTH_MODULE, "check", "i32 i32 -> i32", auth_check, config);
    if (!err) err = isorun_imports_define(im, AUTH_MODULE, "failures", "-> i32", auth_failures, config);
    return err;
}

static isorun_error *auth_configure(void *config, isorun_instance *inst, void **state) {
    *state = calloc(1, sizeof(auth_state));
    return *state ? NULL : isorun_error_new(ISORUN_ERR_NOMEM, "example:auth: out of memory");
}

static void auth_teardown(void *config, void *state) { free(state); }

static void auth_free_config(void *config) {
    auth_config *cfg = config;
    for (size_t i = 0; i < cfg->ntokens; i++) free(cfg->tokens[i].bytes);
    free(cfg->tokens);
    free(cfg);
}

static const isorun_system_ops auth_ops = {
    .name = AUTH_MODULE,
    .install = auth_install,
    .configure = auth_configure,
    .teardown = auth_teardown,
    .free_config = auth_free_config,
};

isorun_error *example_auth_new(const char *const *tokens, size_t ntokens, unsigned max_failures,
                               isorun_system_component **out) {
    if (ntokens && !tokens) return isorun_error_new(ISORUN_ERR_ARGUMENT, "example:auth: tokens is NULL");
    auth_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg || (ntokens && !(cfg->tokens = calloc(ntokens, sizeof *cfg->tokens)))) {
        free(cfg);
        return isorun_error_new(ISORUN_ERR_NOMEM, "example:auth: out of memory");
    }
    cfg->max_failures = max_failures;
    for (size_t i = 0; i < ntokens; i++) {
        if (!tokens[i]) {
            auth_free_config(cfg);
            return isorun_error_new(ISORUN_ERR_ARGUMENT, "example:auth: token %zu is NULL", i);
        }
        size_t len = strlen(tokens[i]);
        cfg->tokens[i].bytes = malloc(len ? len : 1);
        if (!cfg->tokens[i].bytes) {
            auth_free_config(cfg);
            return isorun_error_new(ISORUN_ERR_NOMEM, "example:auth: out of memory");
        }
        memcpy(cfg->tokens[i].bytes, tokens[i], len);
        cfg->tokens[i].len = len;
        cfg->ntokens = i + 1;
    }
    return isorun_system_new(&auth_ops, cfg, out); /* frees cfg on error */
}
