/* canon_greet.c — a component-model provider written by hand, without
 * wit-bindgen, the way the toolchain notes ("Hand-written canonical ABI")
 * do it: the core module implements
 *
 *   package example:math;
 *   interface ops {
 *     greet: func(name: string) -> string;            // "Hello, <name>!"
 *     greet-decorated: func(name: string) -> string;  // "Hello, " + host.decorate(name) + "!"
 *     bad-pointer: func(name: string) -> string;      // breaks the ABI on purpose
 *     bad-utf8: func(name: string) -> string;         // likewise
 *   }
 *   interface host { decorate: func(s: string) -> string; }   // imported
 *
 * through the canonical ABI: it exports cabi_realloc, each function as
 * "example:math/ops#<name>" and its post-return as "cabi_post_...". A string
 * result is two flat values, more than one, so exports return a pointer to
 * (ptr, len) and the import takes an out-pointer. tests/unit/test_canon.c
 * drives it. Built as a reactor; uses no WASI. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("cabi_realloc") void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) return (void *)align; /* any aligned address will do for no bytes */
    void *p = realloc(ptr, new_size);       /* malloc aligns to 16, enough for every type */
    if (!p) abort();
    return p;
}

__attribute__((import_module("example:math/host"), import_name("decorate"))) extern void
host_decorate(const char *s, size_t len, uint32_t *ret);

static uint32_t ret_area[2];

static uint32_t *return_string(const char *s, size_t len) {
    ret_area[0] = (uint32_t)(uintptr_t)s;
    ret_area[1] = (uint32_t)len;
    return ret_area;
}

/* The callee owns its string arguments (allocated with cabi_realloc); a
 * zero-length one may be the dummy pointer, so is not freed. */
static void free_arg(char *s, size_t len) {
    if (len) free(s);
}

EXPORT("example:math/ops#greet") uint32_t *ops_greet(char *name, size_t len) {
    static const char hello[] = "Hello, ";
    size_t n = sizeof hello - 1 + len + 1;
    char *out = malloc(n);
    if (!out) abort();
    memcpy(out, hello, sizeof hello - 1);
    memcpy(out + sizeof hello - 1, name, len);
    out[n - 1] = '!';
    free_arg(name, len);
    return return_string(out, n);
}

EXPORT("example:math/ops#greet-decorated") uint32_t *ops_greet_decorated(char *name, size_t len) {
    uint32_t decorated[2];
    host_decorate(name, len, decorated); /* the host allocates the result with cabi_realloc */
    free_arg(name, len);
    return ops_greet((char *)(uintptr_t)decorated[0], decorated[1]);
}

EXPORT("example:math/ops#bad-pointer") uint32_t *ops_bad_pointer(char *name, size_t len) {
    free_arg(name, len);
    return return_string((const char *)(uintptr_t)0xFFFFFF00u, 64); /* past any memory */
}

EXPORT("example:math/ops#bad-utf8") uint32_t *ops_bad_utf8(char *name, size_t len) {
    free_arg(name, len);
    char *out = malloc(2);
    if (!out) abort();
    out[0] = (char)0xC0; /* an overlong encoding of NUL */
    out[1] = (char)0x80;
    return return_string(out, 2);
}

/* Post-return: the host has copied the result out; free the guest's copy. */
static void free_result(uint32_t *ret) {
    if (ret[1] && ret[0] != 0xFFFFFF00u) free((void *)(uintptr_t)ret[0]);
}
EXPORT("cabi_post_example:math/ops#greet") void post_greet(uint32_t *ret) { free_result(ret); }
EXPORT("cabi_post_example:math/ops#greet-decorated") void post_greet_decorated(uint32_t *ret) { free_result(ret); }
EXPORT("cabi_post_example:math/ops#bad-pointer") void post_bad_pointer(uint32_t *ret) { free_result(ret); }
EXPORT("cabi_post_example:math/ops#bad-utf8") void post_bad_utf8(uint32_t *ret) { free_result(ret); }
