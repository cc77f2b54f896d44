/*
 * sha256.c — SHA-256 (FIPS 180-4), for content keys that must not collide:
 * the native code cache names each built object by the hash of the code
 * generator's id, the compiler command and the module's bytes. That hash is
 * computed on every native load, so its speed is part of start-up.
 *
 * compress() is the portable reference. On x86-64 CPUs with the SHA
 * extensions (checked with cpuid at run time) compress_sha_ni() does the
 * same work several blocks per call with SHA256RNDS2/MSG1/MSG2.
 */
#include "util.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI_CODE 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define HAVE_SHA_NI_CODE 0
#endif

static const uint32_t round_constants[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static inline uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t h[8], const uint8_t block[64]) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
               block[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + round_constants[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

static void compress_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks) {
    for (size_t i = 0; i < nblocks; i++) compress(h, blocks + 64 * i);
}

#if HAVE_SHA_NI_CODE
#define SHA_NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* The SHA extensions keep the eight working variables in two registers,
 * ABEF and CDGH, each with its first letter in the top lane. One
 * SHA256RNDS2 does two rounds: it takes CDGH, ABEF and W+K for those rounds
 * in the low two lanes, and returns the new ABEF; the new CDGH is the old
 * ABEF. */
SHA_NI_TARGET static inline void four_rounds(__m128i *abef, __m128i *cdgh, __m128i w, int first_round) {
    __m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&round_constants[first_round]));
    __m128i next = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    *cdgh = *abef;
    *abef = next;
    next = _mm_sha256rnds2_epu32(*cdgh, *abef, _mm_shuffle_epi32(wk, 0x0e)); /* lanes 2,3 down to 0,1 */
    *cdgh = *abef;
    *abef = next;
}

/* W[i..i+3] from the four vectors before it, each holding W[j..j+3] with
 * W[j] in the low lane: w_16 = W[i-16..], w_12 = W[i-12..] and so on.
 * SHA256MSG1 adds sigma0(W[t-15]) to W[t-16]; W[t-7] comes from the two
 * vectors w_8 and w_4 shifted by one word; SHA256MSG2 adds sigma1(W[t-2]),
 * taking W[t-2] from w_4 for the first two words and from its own results
 * for the last two. */
SHA_NI_TARGET static inline __m128i schedule(__m128i w_16, __m128i w_12, __m128i w_8, __m128i w_4) {
    __m128i t = _mm_add_epi32(_mm_sha256msg1_epu32(w_16, w_12), _mm_alignr_epi8(w_4, w_8, 4));
    return _mm_sha256msg2_epu32(t, w_4);
}

SHA_NI_TARGET static void compress_sha_ni(uint32_t h[8], const uint8_t *blocks, size_t nblocks) {
    /* h[0..3] = A,B,C,D and h[4..7] = E,F,G,H, low lane first. Reversed:
     * D,C,B,A and H,G,F,E; the high halves make ABEF, the low halves CDGH. */
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0x1b);
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1b);
    __m128i abef = _mm_unpackhi_epi64(efgh, abcd);
    __m128i cdgh = _mm_unpacklo_epi64(efgh, abcd);
    /* Byte order within each 32-bit lane reversed: big-endian words. */
    const __m128i bswap32 = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);

    for (size_t b = 0; b < nblocks; b++, blocks += 64) {
        __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 0)), bswap32);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), bswap32);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), bswap32);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), bswap32);
        four_rounds(&abef, &cdgh, w0, 0);
        four_rounds(&abef, &cdgh, w1, 4);
        four_rounds(&abef, &cdgh, w2, 8);
        four_rounds(&abef, &cdgh, w3, 12);
        /* w0..w3 always hold the last sixteen words, the oldest overwritten. */
        for (int round = 16; round < 64; round += 16) {
            w0 = schedule(w0, w1, w2, w3);
            four_rounds(&abef, &cdgh, w0, round);
            w1 = schedule(w1, w2, w3, w0);
            four_rounds(&abef, &cdgh, w1, round + 4);
            w2 = schedule(w2, w3, w0, w1);
            four_rounds(&abef, &cdgh, w2, round + 8);
            w3 = schedule(w3, w0, w1, w2);
            four_rounds(&abef, &cdgh, w3, round + 12);
        }
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }

    /* Back: the high halves of CDGH and ABEF are D,C,B,A, the low halves H,G,F,E. */
    _mm_storeu_si128((__m128i *)&h[0], _mm_shuffle_epi32(_mm_unpackhi_epi64(cdgh, abef), 0x1b));
    _mm_storeu_si128((__m128i *)&h[4], _mm_shuffle_epi32(_mm_unpacklo_epi64(cdgh, abef), 0x1b));
}

/* Leaf 7 subleaf 0 EBX bit 29: SHA; leaf 1 ECX: SSSE3 and SSE4.1. Three
 * cpuid instructions (__get_cpuid would ask for the highest leaf twice). */
static bool cpu_has_sha_ni(void) {
    unsigned eax, ebx, ecx, edx;
    if (__get_cpuid_max(0, NULL) < 7) return false;
    __cpuid(1, eax, ebx, ecx, edx);
    if (!(ecx & bit_SSE4_1) || !(ecx & bit_SSSE3)) return false;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx & bit_SHA) != 0;
}

/* Cached, not asked per init: cpuid traps to the hypervisor in a VM (~4 us); atomic, racing first calls agree. */
static atomic_int sha_ni_detected; /* 0 not yet, 1 absent, 2 present */

static bool use_sha_ni(void) {
    int d = atomic_load_explicit(&sha_ni_detected, memory_order_relaxed);
    if (d == 0) {
        d = cpu_has_sha_ni() ? 2 : 1;
        atomic_store_explicit(&sha_ni_detected, d, memory_order_relaxed);
    }
    return d == 2;
}
#endif

/* Compresses nblocks whole 64-byte blocks into s->h. */
static void compress_blocks(isr_sha256 *s, const uint8_t *blocks, size_t nblocks) {
#if HAVE_SHA_NI_CODE
    if (!s->force_portable && use_sha_ni()) {
        compress_sha_ni(s->h, blocks, nblocks);
        return;
    }
#endif
    compress_portable(s->h, blocks, nblocks);
}

const char *isr_sha256_implementation(void) {
#if HAVE_SHA_NI_CODE
    if (use_sha_ni()) return "x86-64 SHA extensions";
#endif
    return "portable";
}

void isr_sha256_init(isr_sha256 *s) {
    static const uint32_t initial[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    memcpy(s->h, initial, sizeof initial);
    s->len = 0;
    s->used = 0;
    s->force_portable = false;
}

void isr_sha256_update(isr_sha256 *s, const void *data, size_t n) {
    const uint8_t *p = data;
    if (n == 0) return; /* data may then be NULL, which memcpy must not see */
    s->len += n;
    if (s->used) { /* top up the partial block first */
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take, p += take, n -= take;
        if (s->used < 64) return;
        compress_blocks(s, s->block, 1);
        s->used = 0;
    }
    if (n >= 64) { /* whole blocks straight from the caller's buffer */
        compress_blocks(s, p, n / 64);
        p += n / 64 * 64, n %= 64;
    }
    memcpy(s->block, p, n);
    s->used = n;
}

void isr_sha256_final(isr_sha256 *s, uint8_t digest[32]) {
    uint64_t bits = s->len * 8;
    /* Padding: 0x80, zeros up to byte 56 of a block, the length in bits. */
    s->block[s->used++] = 0x80;
    if (s->used > 56) {
        memset(s->block + s->used, 0, 64 - s->used);
        compress_blocks(s, s->block, 1);
        s->used = 0;
    }
    memset(s->block + s->used, 0, 56 - s->used);
    for (int i = 0; i < 8; i++) s->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress_blocks(s, s->block, 1);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(s->h[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        digest[4 * i + 3] = (uint8_t)s->h[i];
    }
}
