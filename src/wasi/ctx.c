/* ctx.c — the WASI context: what the embedder configures before linking. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void strings_clear(wasi_strings *list) {
    for (uint32_t i = 0; i < list->count; i++) free(list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

static bool strings_append(wasi_strings *list, const char *s) {
    size_t cap = list->cap;
    if (list->count == UINT32_MAX) return false;
    if (!isr_grow_array((void **)&list->items, &cap, (size_t)list->count + 1, sizeof *list->items)) return false;
    if (cap > UINT32_MAX) cap = UINT32_MAX;
    list->cap = (uint32_t)cap;
    size_t len = strlen(s);
    char *copy = isr_strndup(s, len);
    if (!copy) return false;
    list->items[list->count++] = copy;
    list->bytes += len + 1;
    return true;
}

static void bind_stdio(wasi_fd *fd, int host_fd, uint64_t io_right) {
    fd->open = host_fd >= 0; /* -1: the guest starts with this fd closed */
    fd->host_fd = host_fd;
    fd->flags = 0;
    fd->rights_base = io_right | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_POLL_FD_READWRITE;
    fd->rights_inheriting = 0;
}

wasi_ctx *wasi_ctx_new(void) {
    wasi_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    wasi_ctx_set_stdio(ctx, 0, 1, 2);
    ctx->granted = 1u << WASI_CAP_BASE;
    return ctx;
}

void wasi_ctx_free(wasi_ctx *ctx) {
    if (!ctx) return;
    strings_clear(&ctx->args);
    strings_clear(&ctx->env);
    free(ctx);
}

isorun_error *wasi_ctx_set_args(wasi_ctx *ctx, int argc, const char *const *argv) {
    if (argc < 0 || (argc > 0 && !argv)) return isr_error(ISORUN_ERR_ARGUMENT, "wasi: bad argument vector");
    strings_clear(&ctx->args);
    for (int i = 0; i < argc; i++) {
        if (!argv[i]) return isr_error(ISORUN_ERR_ARGUMENT, "wasi: argument %d is NULL", i);
        if (!strings_append(&ctx->args, argv[i])) return isr_error_nomem();
    }
    return NULL;
}

isorun_error *wasi_ctx_add_env(wasi_ctx *ctx, const char *name_equals_value) {
    if (!name_equals_value || !strchr(name_equals_value, '=') || name_equals_value[0] == '=')
        return isr_error(ISORUN_ERR_ARGUMENT, "wasi: environment entry \"%s\" is not NAME=VALUE",
                         name_equals_value ? name_equals_value : "(null)");
    if (!strings_append(&ctx->env, name_equals_value)) return isr_error_nomem();
    return NULL;
}

void wasi_ctx_set_stdio(wasi_ctx *ctx, int stdin_fd, int stdout_fd, int stderr_fd) {
    bind_stdio(&ctx->fds[0], stdin_fd, WASI_RIGHT_FD_READ);
    bind_stdio(&ctx->fds[1], stdout_fd, WASI_RIGHT_FD_WRITE);
    bind_stdio(&ctx->fds[2], stderr_fd, WASI_RIGHT_FD_WRITE);
}

void wasi_ctx_grant(wasi_ctx *ctx, wasi_capability cap) {
    if ((unsigned)cap < WASI_CAP_COUNT_) ctx->granted |= 1u << cap;
}

bool wasi_ctx_granted(const wasi_ctx *ctx, wasi_capability cap) {
    return (unsigned)cap < WASI_CAP_COUNT_ && (ctx->granted >> cap & 1u);
}

void wasi_ctx_set_strict_imports(wasi_ctx *ctx, bool strict) { ctx->strict_imports = strict; }

bool wasi_ctx_exited(const wasi_ctx *ctx, uint32_t *code) {
    if (code) *code = ctx->exit_code;
    return ctx->exited;
}

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
