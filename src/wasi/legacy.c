/*
 * legacy.c — wasi.h: the same WASI functions bound directly to engine
 * stores (wasm_func_new_host), for the CLI until it uses isorun_wasi_new.
 * A wasi_ctx is an isorun_wasi_options plus the one wasi_state its program
 * runs with; calls go through the same table and dispatcher as the
 * component's. Delete this file with wasi.h.
 */
#include "internal.h"
#include "wasi.h"

#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

/* The env of one bound import: the context and the table entry. */
typedef struct legacy_binding {
    wasi_ctx *ctx;
    const wasi_function *f;
} legacy_binding;

struct wasi_ctx {
    isorun_wasi_options *opts;
    wasi_state *st; /* made when the first import is resolved */
    bool strict_imports;
    legacy_binding *bindings; /* one per table entry */
};

static const char *const capability_names[] = {
#define WASI_X_NAME(name, str, what) str,
    WASI_CAPABILITY_LIST(WASI_X_NAME)
#undef WASI_X_NAME
};

static const char *const capability_descriptions[] = {
#define WASI_X_WHAT(name, str, what) what,
    WASI_CAPABILITY_LIST(WASI_X_WHAT)
#undef WASI_X_WHAT
};

const char *wasi_capability_name(wasi_capability cap) {
    return (unsigned)cap < WASI_CAP_COUNT_ ? capability_names[cap] : "?";
}

const char *wasi_capability_description(wasi_capability cap) {
    return (unsigned)cap < WASI_CAP_COUNT_ ? capability_descriptions[cap] : "?";
}

bool wasi_capability_from_name(const char *name, size_t len, wasi_capability *out) {
    for (unsigned i = 0; i < WASI_CAP_COUNT_; i++) {
        if (strlen(capability_names[i]) == len && memcmp(capability_names[i], name, len) == 0) {
            *out = (wasi_capability)i;
            return true;
        }
    }
    return false;
}

/* The isorun_wasi_allow bit of a capability (0: always granted). */
static unsigned grant_of(wasi_capability cap) {
    switch (cap) {
    case WASI_CAP_CLOCKS: return ISORUN_WASI_CLOCKS;
    case WASI_CAP_RANDOM: return ISORUN_WASI_RANDOM;
    default: return 0;
    }
}

wasi_ctx *wasi_ctx_new(void) {
    wasi_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->opts = isorun_wasi_options_new();
    ctx->bindings = calloc(wasi_function_count, sizeof *ctx->bindings);
    if (!ctx->opts || !ctx->bindings) {
        wasi_ctx_free(ctx);
        return NULL;
    }
    for (size_t i = 0; i < wasi_function_count; i++) ctx->bindings[i] = (legacy_binding){ctx, &wasi_functions[i]};
    return ctx;
}

void wasi_ctx_free(wasi_ctx *ctx) {
    if (!ctx) return;
    wasi_state_free(ctx->st);
    isorun_wasi_options_free(ctx->opts);
    free(ctx->bindings);
    free(ctx);
}

isorun_error *wasi_ctx_set_args(wasi_ctx *ctx, int argc, const char *const *argv) {
    return isorun_wasi_set_args(ctx->opts, argc, argv);
}

isorun_error *wasi_ctx_add_env(wasi_ctx *ctx, const char *name_equals_value) {
    return isorun_wasi_add_env(ctx->opts, name_equals_value);
}

void wasi_ctx_set_stdio(wasi_ctx *ctx, int stdin_fd, int stdout_fd, int stderr_fd) {
    isorun_wasi_set_stdio(ctx->opts, stdin_fd, stdout_fd, stderr_fd);
}

void wasi_ctx_grant(wasi_ctx *ctx, wasi_capability cap) { isorun_wasi_allow(ctx->opts, grant_of(cap)); }

bool wasi_ctx_granted(const wasi_ctx *ctx, wasi_capability cap) {
    if ((unsigned)cap >= WASI_CAP_COUNT_) return false;
    if (cap == WASI_CAP_FILESYSTEM) return ctx->opts->nmounts > 0;
    unsigned g = grant_of(cap);
    return !g || (ctx->opts->grants & g);
}

void wasi_ctx_set_strict_imports(wasi_ctx *ctx, bool strict) { ctx->strict_imports = strict; }

bool wasi_ctx_exited(const wasi_ctx *ctx, uint32_t *code) {
    if (code) *code = ctx->st ? ctx->st->exit_code : 0;
    return ctx->st && ctx->st->exited;
}

bool wasi_is_module(const char *module, size_t len) {
    return module && len == sizeof WASI_MODULE_NAME - 1 && memcmp(module, WASI_MODULE_NAME, len) == 0;
}

static isorun_error *legacy_trampoline(wasm_call_ctx *call, void *env, wasm_slot *slots) {
    const legacy_binding *b = env;
    const wasi_function *f = b->f;
    wasm_memory *mem = call->caller ? wasm_instance_memory(call->caller) : NULL;
    wasi_call c = {.st = b->ctx->st};
    if (mem) {
        c.legacy_mem = wasm_memory_data(mem);
        c.legacy_size = wasm_memory_size_bytes(mem);
    }
    /* The signature string says which slots are i64. */
    isorun_val args[16];
    const char *sig = f->signature;
    for (size_t i = 0; i < 16 && *sig && *sig != '-'; i++) {
        bool wide = strncmp(sig, "i64", 3) == 0;
        args[i] = wide ? isorun_val_i64((int64_t)slots[i]) : isorun_val_i32((int32_t)(uint32_t)slots[i]);
        sig += 3;
        while (*sig == ' ') sig++;
    }
    uint32_t err = wasi_dispatch(&c, f, args);
    if (c.raise) return c.raise;
    slots[0] = err;
    return NULL;
}

/* The table entry's wasm_functype, into caller storage. */
static wasm_functype entry_type(const wasi_function *f, uint8_t types[16]) {
    uint32_t np = 0, nr = 0;
    bool results = false;
    for (const char *s = f->signature; *s;) {
        if (*s == ' ') {
            s++;
        } else if (strncmp(s, "->", 2) == 0) {
            results = true;
            s += 2;
        } else {
            types[np + nr] = strncmp(s, "i64", 3) == 0 ? WASM_I64 : WASM_I32;
            if (results)
                nr++;
            else
                np++;
            s += 3;
        }
    }
    return (wasm_functype){np, nr, types};
}

static bool same_type(const wasm_functype *a, const wasm_functype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           memcmp(a->types, b->types, (size_t)a->nparams + a->nresults) == 0;
}

isorun_error *wasi_import_func(wasi_ctx *ctx, wasm_store *s, const char *name, size_t name_len,
                               const wasm_functype *expected, wasm_func **out) {
    *out = NULL;
    size_t index = wasi_function_count;
    for (size_t i = 0; i < wasi_function_count; i++)
        if (strlen(wasi_functions[i].name) == name_len && memcmp(wasi_functions[i].name, name, name_len) == 0)
            index = i;
    if (index == wasi_function_count)
        return isr_error(ISORUN_ERR_UNLINKABLE, "unknown import %s.%.*s%s: not a WASI preview 1 function",
                         WASI_MODULE_NAME, (int)(name_len > 200 ? 200 : name_len), name,
                         memchr(name, 0, name_len) ? "\\0..." : "");
    const wasi_function *f = &wasi_functions[index];
    uint8_t types[16];
    wasm_functype type = entry_type(f, types);
    if (expected && !same_type(expected, &type)) {
        return isr_error(ISORUN_ERR_UNLINKABLE, "import %s.%s does not have WASI's type (%s)", WASI_MODULE_NAME,
                         f->name, f->signature);
    }
    if (f->grant && !(ctx->opts->grants & f->grant) && ctx->strict_imports)
        return isr_error(ISORUN_ERR_UNLINKABLE, "import %s.%s needs the \"%s\" capability, which was not granted",
                         WASI_MODULE_NAME, f->name, f->grant == ISORUN_WASI_CLOCKS ? "clocks" : "random");
    if (!ctx->st) {
        isorun_error *err = wasi_state_new(ctx->opts, &ctx->st);
        if (err) return err;
    }
    *out = wasm_func_new_host(s, &type, legacy_trampoline, &ctx->bindings[index], NULL);
    return *out ? NULL : isr_error_nomem();
}
