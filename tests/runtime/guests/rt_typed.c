/* rt_typed.c — a module that implements component-model functions through
 * the canonical ABI, by hand (no wit-bindgen), for
 * isorun_instance_call_typed:
 *
 *   greet:    func(name: string) -> string              "Hello, <name>!"
 *   sum:      func(values: list<u32>) -> u64
 *   describe: func(p: record{name: string, age: u8}) -> string   "<name> is <age>"
 *   parse:    func(text: string) -> result<u32, string>
 *   bad-utf8: func() -> string                          breaks the ABI on purpose
 *   allocated: func() -> u32                            bytes malloc'd and not yet freed
 *
 * Strings and lists arrive in memory allocated with cabi_realloc, owned by
 * the callee. A result of more than one flat value is returned as a pointer
 * to its tuple; cabi_post_<name> frees what the result points to. Built as a
 * reactor; uses no WASI. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

static uint32_t live_bytes; /* what the host can check for leaks */

EXPORT("cabi_realloc") void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
    if (new_size == 0) return (void *)align; /* any aligned address will do for no bytes */
    void *p = realloc(ptr, new_size);        /* malloc aligns to 16, enough for every type */
    if (!p) abort();
    live_bytes += (uint32_t)(new_size - old_size);
    return p;
}

static void release(void *p, size_t len) {
    if (len) { /* a zero-length argument may point at the dummy address */
        free(p);
        live_bytes -= (uint32_t)len;
    }
}

static char *allocate(size_t n) {
    char *p = malloc(n ? n : 1);
    if (!p) abort();
    live_bytes += (uint32_t)n;
    return p;
}

EXPORT("allocated") uint32_t allocated(void) { return live_bytes; }

/* string results: (ptr, len) */
static uint32_t string_ret[2];

static uint32_t *return_string(char *s, size_t len) {
    string_ret[0] = (uint32_t)(uintptr_t)s;
    string_ret[1] = (uint32_t)len;
    return string_ret;
}

static void post_string(uint32_t *ret) { release((void *)(uintptr_t)ret[0], ret[1]); }

EXPORT("greet") uint32_t *greet(char *name, size_t len) {
    static const char hello[] = "Hello, ";
    size_t n = sizeof hello - 1 + len + 1;
    char *out = allocate(n);
    memcpy(out, hello, sizeof hello - 1);
    memcpy(out + sizeof hello - 1, name, len);
    out[n - 1] = '!';
    release(name, len);
    return return_string(out, n);
}
EXPORT("cabi_post_greet") void greet_post(uint32_t *ret) { post_string(ret); }

EXPORT("sum") uint64_t sum(uint32_t *values, size_t count) {
    uint64_t total = 0;
    for (size_t i = 0; i < count; i++) total += values[i];
    release(values, count * sizeof *values);
    return total;
}

/* record{name: string, age: u8} flattens to (ptr, len, age) */
EXPORT("describe") uint32_t *describe(char *name, size_t len, uint32_t age) {
    char digits[4];
    size_t nd = 0;
    unsigned a = (uint8_t)age;
    do digits[nd++] = (char)('0' + a % 10);
    while ((a /= 10) != 0);
    static const char is[] = " is ";
    size_t n = len + sizeof is - 1 + nd;
    char *out = allocate(n);
    memcpy(out, name, len);
    memcpy(out + len, is, sizeof is - 1);
    for (size_t i = 0; i < nd; i++) out[len + sizeof is - 1 + i] = digits[nd - 1 - i];
    release(name, len);
    return return_string(out, n);
}
EXPORT("cabi_post_describe") void describe_post(uint32_t *ret) { post_string(ret); }

/* result<u32, string>: discriminant (u8) at 0, payload at 4 (u32, or ptr
 * and len) */
static uint32_t result_ret[3];

EXPORT("parse") uint32_t *parse(char *text, size_t len) {
    uint32_t value = 0;
    int ok = len > 0 && len <= 9;
    for (size_t i = 0; ok && i < len; i++) {
        ok = text[i] >= '0' && text[i] <= '9';
        value = value * 10 + (uint32_t)(text[i] - '0');
    }
    if (ok) {
        result_ret[0] = 0;
        result_ret[1] = value;
    } else {
        static const char prefix[] = "not a number: ";
        size_t n = sizeof prefix - 1 + len;
        char *out = allocate(n);
        memcpy(out, prefix, sizeof prefix - 1);
        memcpy(out + sizeof prefix - 1, text, len);
        result_ret[0] = 1;
        result_ret[1] = (uint32_t)(uintptr_t)out;
        result_ret[2] = (uint32_t)n;
    }
    release(text, len);
    return result_ret;
}
EXPORT("cabi_post_parse") void parse_post(uint32_t *ret) {
    if ((uint8_t)ret[0] == 1) release((void *)(uintptr_t)ret[1], ret[2]);
}

EXPORT("bad-utf8") uint32_t *bad_utf8(void) {
    char *out = allocate(2);
    out[0] = (char)0xC0; /* an overlong encoding of NUL */
    out[1] = (char)0x80;
    return return_string(out, 2);
}
