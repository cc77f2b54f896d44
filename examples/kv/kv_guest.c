/*
 * kv_guest.c — a guest (wasm32, no WASI) using example:kv: it stores
 * integers under keys "key-<id>", reads them back, removes them, lists the
 * keys and sums what it lists, and checks the ABI's edge cases itself
 * (selftest). Built by examples/CMakeLists.txt into kv_guest.wasm.
 */
#include <stdint.h>
#include <string.h>

#define KV_IMPORT(name) __attribute__((import_module("example:kv"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

KV_IMPORT("set") int32_t kv_set(const void *key, uint32_t key_len, const void *val, uint32_t val_len);
KV_IMPORT("get") int32_t kv_get(const void *key, uint32_t key_len, void *buf, uint32_t buf_cap);
KV_IMPORT("delete") int32_t kv_delete(const void *key, uint32_t key_len);
KV_IMPORT("list") int32_t kv_list(void *buf, uint32_t buf_cap);

#define KV_ENOENT (-1)
#define KV_EINVAL (-2)

static char list_buf[65536];

/* Decimal digits of v (v >= 0) into buf; returns the length. */
static uint32_t format_uint(uint32_t v, char *buf) {
    char tmp[10];
    uint32_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (uint32_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

static int32_t parse_uint(const char *s, uint32_t n) {
    int32_t v = 0;
    for (uint32_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

static uint32_t key_of(int32_t id, char *buf) {
    memcpy(buf, "key-", 4);
    return 4 + format_uint((uint32_t)id, buf + 4);
}

/* Stores value (>= 0) under key-<id>; the kv result (0 or an error). */
EXPORT("put") int32_t put(int32_t id, int32_t value) {
    char key[16], val[16];
    uint32_t klen = key_of(id, key), vlen = format_uint((uint32_t)value, val);
    return kv_set(key, klen, val, vlen);
}

/* The value under key-<id>, or the (negative) kv error. */
EXPORT("get") int32_t get(int32_t id) {
    char key[16], val[16];
    uint32_t klen = key_of(id, key);
    int32_t n = kv_get(key, klen, val, sizeof val);
    if (n < 0) return n;
    return parse_uint(val, (uint32_t)n);
}

EXPORT("remove") int32_t remove_key(int32_t id) {
    char key[16];
    return kv_delete(key, key_of(id, key));
}

/* Lists every key and adds up their values: exercises list then get. */
EXPORT("sum_listed") int32_t sum_listed(void) {
    int32_t need = kv_list(list_buf, 0);
    if (need < 0 || (uint32_t)need > sizeof list_buf) return -1000;
    if (kv_list(list_buf, sizeof list_buf) != need) return -1001;
    int32_t sum = 0;
    for (uint32_t at = 0; at < (uint32_t)need;) {
        uint32_t len;
        memcpy(&len, list_buf + at, 4); /* little-endian, as wasm is */
        char val[16];
        int32_t n = kv_get(list_buf + at + 4, len, val, sizeof val);
        if (n < 0) return -1002;
        sum += parse_uint(val, (uint32_t)n);
        at += 4 + len;
    }
    return sum;
}

/* The number of keys (from list). */
EXPORT("count") int32_t count(void) {
    int32_t need = kv_list(list_buf, sizeof list_buf);
    if (need < 0 || (uint32_t)need > sizeof list_buf) return -1;
    int32_t keys = 0;
    for (uint32_t at = 0; at < (uint32_t)need; keys++) {
        uint32_t len;
        memcpy(&len, list_buf + at, 4);
        at += 4 + len;
    }
    return keys;
}

/* Edge cases of the ABI; 0 when all hold, else the number of the first that
 * did not. Leaves the store as it found it. */
EXPORT("selftest") int32_t selftest(void) {
    static const char key[] = "alpha", value[] = "hello world";
    char buf[32];
    void *far = (void *)(uintptr_t)0xFFFFFFF0u; /* beyond any memory it has */
    if (kv_get(key, 5, buf, sizeof buf) != KV_ENOENT) return 1;
    if (kv_set(key, 5, value, 11) != 0) return 2;
    memset(buf, '#', sizeof buf);
    if (kv_get(key, 5, buf, 5) != 11 || memcmp(buf, "hello#", 6) != 0) return 3; /* truncated copy, full length */
    if (kv_get(key, 5, buf, 0) != 11) return 4;
    if (kv_set(far, 100, value, 11) != KV_EINVAL) return 5;
    if (kv_set(key, 5, far, 100) != KV_EINVAL) return 6;
    if (kv_get(far, 16, buf, 1) != KV_EINVAL || kv_get(key, 5, far, 16) != KV_EINVAL) return 7;
    if (kv_list(far, 16) != KV_EINVAL || kv_delete(far, 16) != KV_EINVAL) return 8;
    if (kv_set(key, 5, "bye", 3) != 0 || kv_get(key, 5, buf, sizeof buf) != 3 || memcmp(buf, "bye", 3)) return 9;
    if (kv_set("", 0, "empty", 5) != 0 || kv_get("", 0, buf, sizeof buf) != 5) return 10;
    /* A key with a NUL inside is its own key. */
    if (kv_set("a\0b", 3, "x", 1) != 0 || kv_get("a", 1, buf, 1) != KV_ENOENT) return 11;
    /* A buffer too small for the list is left alone. */
    memset(buf, '#', sizeof buf);
    int32_t need = kv_list(buf, 4);
    if (need < 3 * 4 + 5 + 0 + 3 || buf[0] != '#') return 12;
    if (kv_delete(key, 5) != 1 || kv_delete(key, 5) != 0) return 13;
    if (kv_delete("", 0) != 1 || kv_delete("a\0b", 3) != 1) return 14;
    return 0;
}
