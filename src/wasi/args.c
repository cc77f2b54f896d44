/* args.c — args_* and environ_*: the argument vector and the environment. */
#include "internal.h"

#include <string.h>

/* Writes `list` the way args_get/environ_get define it: `count` guest
 * pointers at ptrs_addr, each pointing at its NUL-terminated string inside
 * the buffer at buf_addr. */
static uint32_t put_strings(wasi_call *c, const wasi_strings *list, uint32_t ptrs_addr, uint32_t buf_addr) {
    if (list->bytes > UINT32_MAX || list->count > UINT32_MAX / 4) return WASI_EOVERFLOW;
    uint8_t *ptrs = wasi_mem(c, ptrs_addr, list->count * 4);
    uint8_t *buf = wasi_mem(c, buf_addr, (uint32_t)list->bytes);
    if (!ptrs || !buf) return WASI_EFAULT;
    uint32_t offset = 0;
    for (uint32_t i = 0; i < list->count; i++) {
        size_t n = strlen(list->items[i]) + 1;
        wasi_store_u32(ptrs + 4 * (size_t)i, buf_addr + offset);
        memcpy(buf + offset, list->items[i], n);
        offset += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

/* args_sizes_get/environ_sizes_get: the count and the buffer size. */
static uint32_t put_sizes(wasi_call *c, const wasi_strings *list, uint32_t count_addr, uint32_t size_addr) {
    if (list->bytes > UINT32_MAX) return WASI_EOVERFLOW;
    uint32_t err = wasi_put_u32(c, count_addr, list->count);
    return err ? err : wasi_put_u32(c, size_addr, (uint32_t)list->bytes);
}

uint32_t wasi_fn_args_get(wasi_call *c, const isorun_val *args) {
    return put_strings(c, &c->st->cfg->args, WASI_ARG32(0), WASI_ARG32(1));
}

uint32_t wasi_fn_args_sizes_get(wasi_call *c, const isorun_val *args) {
    return put_sizes(c, &c->st->cfg->args, WASI_ARG32(0), WASI_ARG32(1));
}

uint32_t wasi_fn_environ_get(wasi_call *c, const isorun_val *args) {
    return put_strings(c, &c->st->cfg->env, WASI_ARG32(0), WASI_ARG32(1));
}

uint32_t wasi_fn_environ_sizes_get(wasi_call *c, const isorun_val *args) {
    return put_sizes(c, &c->st->cfg->env, WASI_ARG32(0), WASI_ARG32(1));
}
