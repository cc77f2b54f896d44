/* test_sha256.c — SHA-256: the FIPS 180-4 examples, and the implementation
 * chosen for this CPU (the SHA extensions on x86-64 when present) against
 * the portable one on many lengths fed in randomly split pieces. */
#include "../../src/util/util.h"
#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#endif

static const char *implementation_name; /* isr_sha256_implementation(), printed once by main */

/* A fixed-seed xorshift generator: the same "random" data and splits on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void to_hex(const uint8_t digest[32], char out[65]) {
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* Hashes data[0..n) as one update call. */
static void hash_whole(const void *data, size_t n, bool portable, uint8_t digest[32]) {
    isr_sha256 s;
    isr_sha256_init(&s);
    s.force_portable = portable;
    isr_sha256_update(&s, data, n);
    isr_sha256_final(&s, digest);
}

/* Hashes data[0..n) in pieces of random length (empty pieces included, most
 * short, some longer than a block). */
static void hash_split(const uint8_t *data, size_t n, bool portable, uint8_t digest[32]) {
    isr_sha256 s;
    isr_sha256_init(&s);
    s.force_portable = portable;
    size_t at = 0;
    while (at < n) {
        uint64_t r = rng();
        size_t piece = (r & 3) == 0 ? (size_t)(r >> 8) % 300 : (size_t)(r >> 8) % 70;
        if (piece > n - at) piece = n - at;
        isr_sha256_update(&s, data + at, piece);
        at += piece;
    }
    isr_sha256_final(&s, digest);
}

static void check_digest(const void *data, size_t n, const char *expected_hex) {
    for (int portable = 0; portable <= 1; portable++) {
        uint8_t digest[32];
        char hex[65];
        hash_whole(data, n, portable, digest);
        to_hex(digest, hex);
        CHECK(strcmp(hex, expected_hex) == 0);
        if (strcmp(hex, expected_hex) != 0)
            fprintf(stderr, "    %s, %zu bytes: got %s\n    expected %s\n",
                    portable ? "portable" : implementation_name, n, hex, expected_hex);
    }
}

static void test_fips_180_examples(void) {
    check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_digest(m448, strlen(m448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    check_digest(m896, strlen(m896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_one_million_a(void) {
    const char *expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    uint8_t *a = malloc(1000000);
    REQUIRE(a != NULL);
    memset(a, 'a', 1000000);
    check_digest(a, 1000000, expected);
    /* Also as 1000 updates of 1000 bytes: most start mid-block. */
    isr_sha256 s;
    isr_sha256_init(&s);
    for (int i = 0; i < 1000; i++) isr_sha256_update(&s, a, 1000);
    uint8_t digest[32];
    char hex[65];
    isr_sha256_final(&s, digest);
    to_hex(digest, hex);
    CHECK(strcmp(hex, expected) == 0);
    free(a);
}

static void test_init_clears_force_portable(void) {
    isr_sha256 s;
    memset(&s, 0xff, sizeof s);
    s.force_portable = true;
    isr_sha256_init(&s);
    CHECK(!s.force_portable);
}

static void test_update_with_no_bytes(void) {
    uint8_t a[32], b[32];
    isr_sha256 s;
    isr_sha256_init(&s);
    isr_sha256_update(&s, NULL, 0);
    isr_sha256_update(&s, "ab", 2);
    isr_sha256_update(&s, NULL, 0);
    isr_sha256_update(&s, "c", 1);
    isr_sha256_final(&s, a);
    hash_whole("abc", 3, false, b);
    CHECK(memcmp(a, b, 32) == 0);
}

/* Every length 0..1000, then a few larger buffers: the chosen implementation,
 * fed in random pieces, must agree with the portable one fed whole and fed
 * in other random pieces. The data starts at odd offsets, so blocks read
 * straight from the caller's buffer are unaligned. */
static void test_chosen_matches_portable(void) {
    enum { MAX = 300001 };
    uint8_t *buf = malloc(MAX + 8);
    REQUIRE(buf != NULL);
    for (size_t i = 0; i < MAX + 8; i++) buf[i] = (uint8_t)(rng() >> 32);
    int mismatches = 0;
    for (size_t n = 0; n <= 1000; n++) {
        const uint8_t *data = buf + n % 7;
        uint8_t chosen[32], portable[32], portable_split[32];
        hash_split(data, n, false, chosen);
        hash_whole(data, n, true, portable);
        hash_split(data, n, true, portable_split);
        if (memcmp(chosen, portable, 32) != 0 || memcmp(portable_split, portable, 32) != 0) {
            if (mismatches++ < 5) fprintf(stderr, "    length %zu: %s and portable differ\n", n, implementation_name);
        }
    }
    static const size_t large[] = {4096, 25 * 1024, 65536 + 63, 100003, MAX};
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++) {
        size_t n = large[i], off = (size_t)(rng() % 8);
        if (n + off > MAX + 8) off = 0;
        uint8_t chosen[32], chosen_whole[32], portable[32];
        hash_split(buf + off, n, false, chosen);
        hash_whole(buf + off, n, false, chosen_whole);
        hash_split(buf + off, n, true, portable);
        if (memcmp(chosen, portable, 32) != 0 || memcmp(chosen_whole, portable, 32) != 0) {
            if (mismatches++ < 5) fprintf(stderr, "    length %zu: %s and portable differ\n", n, implementation_name);
        }
    }
    CHECK_EQ_INT(mismatches, 0);
    free(buf);
}

/* The flags this CPU advertises, from /proc/cpuinfo; "" where there is none. */
static char *cpu_flags(void) {
    static char line[8192];
    line[0] = 0;
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return line;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "flags", 5) == 0) break;
    if (strncmp(line, "flags", 5) != 0) line[0] = 0;
    fclose(f);
    return line;
}

static bool has_flag(const char *flags, const char *flag) {
    size_t len = strlen(flag);
    for (const char *p = flags; (p = strstr(p, flag)) != NULL; p += len)
        if ((p == flags || p[-1] == ' ' || p[-1] == '\t') && (p[len] == ' ' || p[len] == '\n' || p[len] == 0))
            return true;
    return false;
}

/* Where the kernel says the CPU has the SHA extensions, they must be used:
 * otherwise a broken cpuid check would leave only the portable code tested.
 * Unless cpuid itself denies them to this process, as valgrind's does. */
static void test_sha_extensions_used_where_present(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    const char *flags = cpu_flags();
    if (!has_flag(flags, "sha_ni") || !has_flag(flags, "sse4_1") || !has_flag(flags, "ssse3")) return;
    unsigned eax, ebx, ecx, edx;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    (void)eax, (void)ecx, (void)edx;
    if (ebx & 1u << 29)
        CHECK(strcmp(implementation_name, "x86-64 SHA extensions") == 0);
    else
        printf("note: the kernel lists sha_ni but cpuid here does not (valgrind?): only portable code ran\n");
#endif
}

int main(void) {
    implementation_name = isr_sha256_implementation();
    printf("sha256 implementation: %s\n", implementation_name);
    RUN(test_fips_180_examples);
    RUN(test_one_million_a);
    RUN(test_init_clears_force_portable);
    RUN(test_update_with_no_bytes);
    RUN(test_chosen_matches_portable);
    RUN(test_sha_extensions_used_where_present);
    return check_summary();
}
