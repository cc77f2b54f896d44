/* args.c — args_* and environ_*: the argument vector and the environment. */
#include "internal.h"

#include <string.h>

/* Writes `list` the way args_get/environ_get define it: `count` guest
 * pointers at ptrs_ptr, each pointing at its NUL-terminated string inside the
 * buffer at buf_ptr. */
static uint32_t put_strings(wasi_memory m, const wasi_strings *list, uint32_t ptrs_ptr, uint32_t buf_ptr) {
    uint8_t *ptrs = wasi_guest_bytes(m, ptrs_ptr, (uint64_t)list->count * 4);
    uint8_t *buf = wasi_guest_bytes(m, buf_ptr, list->bytes);
    if (!ptrs || !buf) return WASI_EFAULT;
    uint32_t offset = 0;
    for (uint32_t i = 0; i < list->count; i++) {
        size_t n = strlen(list->items[i]) + 1;
        wasi_store_u32(ptrs + 4 * (size_t)i, buf_ptr + offset);
        memcpy(buf + offset, list->items[i], n);
        offset += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

/* args_sizes_get/environ_sizes_get: the count and the buffer size. */
static uint32_t put_sizes(wasi_memory m, const wasi_strings *list, uint32_t count_ptr, uint32_t size_ptr) {
    if (list->bytes > UINT32_MAX) return WASI_EOVERFLOW;
    uint32_t err = wasi_put_u32(m, count_ptr, list->count);
    return err ? err : wasi_put_u32(m, size_ptr, (uint32_t)list->bytes);
}

WASI_HANDLER(wasi_fn_args_get) {
    wasi_ctx *ctx = env;
    WASI_RETURN(put_strings(wasi_caller_memory(call), &ctx->args, WASI_ARG_U32(0), WASI_ARG_U32(1)));
}

WASI_HANDLER(wasi_fn_args_sizes_get) {
    wasi_ctx *ctx = env;
    WASI_RETURN(put_sizes(wasi_caller_memory(call), &ctx->args, WASI_ARG_U32(0), WASI_ARG_U32(1)));
}

WASI_HANDLER(wasi_fn_environ_get) {
    wasi_ctx *ctx = env;
    WASI_RETURN(put_strings(wasi_caller_memory(call), &ctx->env, WASI_ARG_U32(0), WASI_ARG_U32(1)));
}

WASI_HANDLER(wasi_fn_environ_sizes_get) {
    wasi_ctx *ctx = env;
    WASI_RETURN(put_sizes(wasi_caller_memory(call), &ctx->env, WASI_ARG_U32(0), WASI_ARG_U32(1)));
}
