/*
 * izip.c — a small LZ77 + Huffman compressor, the "program of real size"
 * the isorun tests run: it is compiled both natively and for wasm32-wasi,
 * and the two builds must agree byte for byte (tests/programs).
 *
 *   izip c            compress stdin to stdout
 *   izip d            decompress stdin to stdout
 *   izip selftest N   round-trip N bytes of each of several generated inputs
 *                     and print sizes and checksums
 *
 * The format (all integers little-endian):
 *   "IZ1" 0x00, original size (u32), CRC-32 of the original (u32), then a
 *   bit stream (least significant bit first) of blocks. Each block: one bit
 *   "last block", 286 literal/length and 30 distance code lengths (4 bits
 *   each, 0 = unused), then its symbols: 0-255 literal bytes, 256 end of
 *   block, 257-285 a match length (base + extra bits), each match followed
 *   by a distance symbol (base + extra bits). Lengths and distances use
 *   DEFLATE's tables of bases and extra bits (RFC 1951, section 3.2.5),
 *   which is the only thing borrowed from it; the header, the code-length
 *   encoding and the block layout are this program's own.
 *
 * Matches are found with hash chains over a 32 KiB window (lazy matching by
 * one byte). Codes are canonical Huffman codes limited to 15 bits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 32768
#define MIN_MATCH 3
#define MAX_MATCH 258
#define HASH_BITS 15
#define MAX_CHAIN 128
#define BLOCK_SYMBOLS 65536 /* tokens per block */
#define NLITLEN 286
#define NDIST 30
#define MAX_BITS 15
#define END_OF_BLOCK 256

static void die(const char *message) {
    fprintf(stderr, "izip: %s\n", message);
    exit(1);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

/* ---- growable byte buffers and CRC-32 ------------------------------------ */

typedef struct bytes {
    uint8_t *data;
    size_t len, cap;
} bytes;

static void bytes_push(bytes *b, uint8_t v) {
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 4096;
        uint8_t *grown = realloc(b->data, b->cap);
        if (!grown) die("out of memory");
        b->data = grown;
    }
    b->data[b->len++] = v;
}

static void bytes_u32(bytes *b, uint32_t v) {
    for (int i = 0; i < 4; i++) bytes_push(b, (uint8_t)(v >> (8 * i)));
}

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* ---- length and distance alphabets ------------------------------------- */

static const uint16_t length_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                         31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                       193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static int length_symbol(int length) {
    int s = 28;
    while (length_base[s] > length) s--;
    return s;
}

static int dist_symbol(int dist) {
    int s = 29;
    while (dist_base[s] > dist) s--;
    return s;
}

/* ---- bit streams ---------------------------------------------------------- */

typedef struct bit_writer {
    bytes *out;
    uint32_t acc;
    int nbits;
} bit_writer;

static void put_bits(bit_writer *w, uint32_t value, int n) {
    for (int i = 0; i < n; i++) {
        w->acc |= ((value >> i) & 1u) << w->nbits;
        if (++w->nbits == 8) {
            bytes_push(w->out, (uint8_t)w->acc);
            w->acc = 0;
            w->nbits = 0;
        }
    }
}

static void flush_bits(bit_writer *w) {
    if (w->nbits) bytes_push(w->out, (uint8_t)w->acc);
    w->acc = 0;
    w->nbits = 0;
}

typedef struct bit_reader {
    const uint8_t *data;
    size_t len, pos;
    int bit;
} bit_reader;

static int get_bit(bit_reader *r) {
    if (r->pos >= r->len) die("truncated input");
    int b = (r->data[r->pos] >> r->bit) & 1;
    if (++r->bit == 8) {
        r->bit = 0;
        r->pos++;
    }
    return b;
}

static uint32_t get_bits(bit_reader *r, int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; i++) v |= (uint32_t)get_bit(r) << i;
    return v;
}

/* ---- Huffman codes -------------------------------------------------------- */

/* Code lengths for freq[0..n): a Huffman tree built by repeatedly joining
 * the two lightest nodes; when the deepest leaf is deeper than MAX_BITS the
 * frequencies are flattened and the tree rebuilt. Unused symbols get 0. */
static void build_lengths(const uint32_t *freq, int n, uint8_t *lengths) {
    uint32_t *weight = xmalloc(sizeof *weight * (size_t)(2 * n));
    int *parent = xmalloc(sizeof *parent * (size_t)(2 * n));
    int *alive = xmalloc(sizeof *alive * (size_t)(2 * n));
    uint32_t *f = xmalloc(sizeof *f * (size_t)n);
    memcpy(f, freq, sizeof *f * (size_t)n);
    for (int shift = 0;; shift++) {
        int nodes = 0, nalive = 0;
        memset(lengths, 0, (size_t)n);
        for (int i = 0; i < n; i++) {
            if (!f[i]) continue;
            weight[i] = f[i];
            parent[i] = -1;
            alive[nalive++] = i;
            nodes++;
        }
        if (nodes == 0) break;
        if (nodes == 1) {
            lengths[alive[0]] = 1;
            break;
        }
        int next = n;
        while (nalive > 1) {
            /* the two lightest alive nodes (ties: lower index first) */
            int a = -1, b = -1;
            for (int k = 0; k < nalive; k++) {
                int x = alive[k];
                if (a < 0 || weight[x] < weight[a]) {
                    b = a;
                    a = x;
                } else if (b < 0 || weight[x] < weight[b]) {
                    b = x;
                }
            }
            weight[next] = weight[a] + weight[b];
            parent[next] = -1;
            parent[a] = parent[b] = next;
            int w = 0;
            for (int k = 0; k < nalive; k++)
                if (alive[k] != a && alive[k] != b) alive[w++] = alive[k];
            alive[w++] = next++;
            nalive = w;
        }
        int deepest = 0;
        for (int i = 0; i < n; i++) {
            if (!f[i]) continue;
            int depth = 0;
            for (int x = i; parent[x] >= 0; x = parent[x]) depth++;
            lengths[i] = (uint8_t)depth;
            if (depth > deepest) deepest = depth;
        }
        if (deepest <= MAX_BITS) break;
        for (int i = 0; i < n; i++)
            if (f[i]) f[i] = (f[i] >> 1) | 1;
    }
    free(weight);
    free(parent);
    free(alive);
    free(f);
}

/* Canonical codes from lengths: shorter codes first, equal lengths in
 * symbol order. Codes are stored bit-reversed, ready to be written LSB
 * first. */
static void build_codes(const uint8_t *lengths, int n, uint16_t *codes) {
    int count[MAX_BITS + 1] = {0};
    for (int i = 0; i < n; i++) count[lengths[i]]++;
    count[0] = 0;
    int next[MAX_BITS + 2] = {0};
    int code = 0;
    for (int bits = 1; bits <= MAX_BITS; bits++) {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    for (int i = 0; i < n; i++) {
        int len = lengths[i];
        if (!len) continue;
        int c = next[len]++, reversed = 0;
        for (int k = 0; k < len; k++) reversed |= ((c >> k) & 1) << (len - 1 - k);
        codes[i] = (uint16_t)reversed;
    }
}

/* A decoding table: symbols sorted by (length, symbol) and the number of
 * codes of each length; decoding walks the lengths one bit at a time. */
typedef struct decoder {
    int count[MAX_BITS + 1];
    int symbols[NLITLEN];
} decoder;

static void decoder_init(decoder *d, const uint8_t *lengths, int n) {
    memset(d->count, 0, sizeof d->count);
    for (int i = 0; i < n; i++) d->count[lengths[i]]++;
    int offset[MAX_BITS + 2] = {0};
    for (int bits = 1; bits <= MAX_BITS; bits++) offset[bits + 1] = offset[bits] + d->count[bits];
    for (int i = 0; i < n; i++)
        if (lengths[i]) d->symbols[offset[lengths[i]]++] = i;
}

static int decode_symbol(bit_reader *r, const decoder *d) {
    int code = 0, first = 0, index = 0;
    for (int bits = 1; bits <= MAX_BITS; bits++) {
        code |= get_bit(r);
        int count = d->count[bits];
        if (code - first < count) return d->symbols[index + (code - first)];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    die("corrupt input: bad code");
    return -1;
}

/* ---- LZ77 ----------------------------------------------------------------- */

typedef struct token {
    uint16_t length; /* 0: a literal */
    uint16_t value;  /* the literal byte, or the distance */
} token;

typedef struct matcher {
    int32_t head[1 << HASH_BITS];
    int32_t *prev; /* per position, the previous position with the same hash */
} matcher;

static uint32_t hash3(const uint8_t *p) { return ((uint32_t)p[0] << 10 ^ (uint32_t)p[1] << 5 ^ p[2]) & ((1u << HASH_BITS) - 1); }

static void matcher_insert(matcher *m, const uint8_t *in, size_t pos, size_t n) {
    if (pos + MIN_MATCH > n) return;
    uint32_t h = hash3(in + pos);
    m->prev[pos] = m->head[h];
    m->head[h] = (int32_t)pos;
}

/* The longest match for position pos within the window. */
static int longest_match(const matcher *m, const uint8_t *in, size_t pos, size_t n, int *dist) {
    if (pos + MIN_MATCH > n) return 0;
    int best = 0, limit = (int)(n - pos < MAX_MATCH ? n - pos : MAX_MATCH);
    int32_t cand = m->head[hash3(in + pos)];
    for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++, cand = m->prev[cand]) {
        size_t d = pos - (size_t)cand;
        if (d > WINDOW) break;
        const uint8_t *a = in + cand, *b = in + pos;
        if (a[best] != b[best]) continue;
        int len = 0;
        while (len < limit && a[len] == b[len]) len++;
        if (len > best) {
            best = len;
            *dist = (int)d;
            if (len == limit) break;
        }
    }
    return best >= MIN_MATCH ? best : 0;
}

static size_t tokenize(const uint8_t *in, size_t n, token **out) {
    matcher *m = xmalloc(sizeof *m);
    for (size_t i = 0; i < (size_t)1 << HASH_BITS; i++) m->head[i] = -1;
    m->prev = xmalloc(sizeof *m->prev * (n ? n : 1));
    token *t = xmalloc(sizeof *t * (n ? n : 1));
    size_t nt = 0, pos = 0;
    while (pos < n) {
        int dist = 0, len = longest_match(m, in, pos, n, &dist);
        if (len) {
            /* Lazy matching: a longer match one byte later wins. */
            int dist2 = 0;
            matcher_insert(m, in, pos, n);
            int len2 = longest_match(m, in, pos + 1, n, &dist2);
            if (len2 > len) {
                t[nt++] = (token){0, in[pos]};
                pos++;
                len = len2;
                dist = dist2;
            } else {
                m->head[hash3(in + pos)] = m->prev[pos]; /* undo: inserted again below */
            }
            t[nt++] = (token){(uint16_t)len, (uint16_t)dist};
            for (int k = 0; k < len; k++) matcher_insert(m, in, pos + (size_t)k, n);
            pos += (size_t)len;
        } else {
            t[nt++] = (token){0, in[pos]};
            matcher_insert(m, in, pos, n);
            pos++;
        }
    }
    free(m->prev);
    free(m);
    *out = t;
    return nt;
}

/* ---- compression ---------------------------------------------------------- */

static void write_block(bit_writer *w, const token *t, size_t nt, int last) {
    uint32_t lit_freq[NLITLEN] = {0}, dist_freq[NDIST] = {0};
    for (size_t i = 0; i < nt; i++) {
        if (t[i].length) {
            lit_freq[257 + length_symbol(t[i].length)]++;
            dist_freq[dist_symbol(t[i].value)]++;
        } else {
            lit_freq[t[i].value]++;
        }
    }
    lit_freq[END_OF_BLOCK] = 1;
    uint8_t lit_len[NLITLEN], dist_len[NDIST];
    uint16_t lit_code[NLITLEN] = {0}, dist_code[NDIST] = {0};
    build_lengths(lit_freq, NLITLEN, lit_len);
    build_lengths(dist_freq, NDIST, dist_len);
    build_codes(lit_len, NLITLEN, lit_code);
    build_codes(dist_len, NDIST, dist_code);
    put_bits(w, (uint32_t)last, 1);
    for (int i = 0; i < NLITLEN; i++) put_bits(w, lit_len[i], 4);
    for (int i = 0; i < NDIST; i++) put_bits(w, dist_len[i], 4);
    for (size_t i = 0; i < nt; i++) {
        if (!t[i].length) {
            put_bits(w, lit_code[t[i].value], lit_len[t[i].value]);
            continue;
        }
        int ls = length_symbol(t[i].length), ds = dist_symbol(t[i].value);
        put_bits(w, lit_code[257 + ls], lit_len[257 + ls]);
        put_bits(w, (uint32_t)(t[i].length - length_base[ls]), length_extra[ls]);
        put_bits(w, dist_code[ds], dist_len[ds]);
        put_bits(w, (uint32_t)(t[i].value - dist_base[ds]), dist_extra[ds]);
    }
    put_bits(w, lit_code[END_OF_BLOCK], lit_len[END_OF_BLOCK]);
}

static void compress(const uint8_t *in, size_t n, bytes *out) {
    const uint8_t magic[4] = {'I', 'Z', '1', 0};
    for (int i = 0; i < 4; i++) bytes_push(out, magic[i]);
    bytes_u32(out, (uint32_t)n);
    bytes_u32(out, crc32(in, n));
    token *t;
    size_t nt = tokenize(in, n, &t);
    bit_writer w = {out, 0, 0};
    size_t start = 0;
    do {
        size_t count = nt - start < BLOCK_SYMBOLS ? nt - start : BLOCK_SYMBOLS;
        write_block(&w, t + start, count, start + count == nt);
        start += count;
    } while (start < nt);
    flush_bits(&w);
    free(t);
}

/* ---- decompression -------------------------------------------------------- */

static uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void decompress(const uint8_t *in, size_t n, bytes *out) {
    if (n < 12 || memcmp(in, "IZ1", 4) != 0) die("not an izip stream");
    uint32_t size = read_u32(in + 4), crc = read_u32(in + 8);
    bit_reader r = {in, n, 12, 0};
    decoder *lit = xmalloc(sizeof *lit), *dist = xmalloc(sizeof *dist);
    int last = 0;
    while (!last) {
        last = get_bit(&r);
        uint8_t lit_len[NLITLEN], dist_len[NDIST];
        for (int i = 0; i < NLITLEN; i++) lit_len[i] = (uint8_t)get_bits(&r, 4);
        for (int i = 0; i < NDIST; i++) dist_len[i] = (uint8_t)get_bits(&r, 4);
        decoder_init(lit, lit_len, NLITLEN);
        decoder_init(dist, dist_len, NDIST);
        for (;;) {
            int sym = decode_symbol(&r, lit);
            if (sym < 256) {
                bytes_push(out, (uint8_t)sym);
                continue;
            }
            if (sym == END_OF_BLOCK) break;
            sym -= 257;
            if (sym >= 29) die("corrupt input: bad length");
            size_t length = length_base[sym] + get_bits(&r, length_extra[sym]);
            int ds = decode_symbol(&r, dist);
            if (ds >= 30) die("corrupt input: bad distance");
            size_t d = dist_base[ds] + get_bits(&r, dist_extra[ds]);
            if (d > out->len) die("corrupt input: distance before the start");
            for (size_t k = 0; k < length; k++) bytes_push(out, out->data[out->len - d]);
        }
    }
    free(lit);
    free(dist);
    if (out->len != size) die("corrupt input: wrong size");
    if (crc32(out->data, out->len) != crc) die("corrupt input: CRC mismatch");
}

/* ---- inputs for the self-test ------------------------------------------- */

static uint32_t rng_state;

static uint32_t rng(void) { /* xorshift32: the same sequence everywhere */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void gen_text(bytes *b, size_t n) {
    static const char *const words[] = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
                                        "isolation", "webassembly", "runtime", "sandbox", "memory", "budget",
                                        "component", "instance", "module", "capability", "of", "and", "a"};
    size_t nwords = sizeof words / sizeof words[0];
    while (b->len < n) {
        const char *w = words[rng() % nwords];
        for (; *w && b->len < n; w++) bytes_push(b, (uint8_t)*w);
        if (b->len < n) bytes_push(b, rng() % 11 == 0 ? '\n' : ' ');
    }
}

static void gen_random(bytes *b, size_t n) {
    while (b->len < n) bytes_push(b, (uint8_t)rng());
}

static void gen_runs(bytes *b, size_t n) {
    while (b->len < n) {
        uint8_t v = (uint8_t)(rng() % 4);
        size_t run = 1 + rng() % 600;
        for (size_t k = 0; k < run && b->len < n; k++) bytes_push(b, v);
    }
}

/* A table of numbers: long repeats at many distances. */
static void gen_table(bytes *b, size_t n) {
    char line[64];
    for (uint32_t row = 0; b->len < n; row++) {
        int len = snprintf(line, sizeof line, "%8u | %8u | %8u\n", row, row * row % 1000003u, rng() % 100);
        for (int k = 0; k < len && b->len < n; k++) bytes_push(b, (uint8_t)line[k]);
    }
}

static int selftest(size_t n) {
    static const struct {
        const char *name;
        void (*gen)(bytes *, size_t);
    } inputs[] = {{"text", gen_text}, {"random", gen_random}, {"runs", gen_runs}, {"table", gen_table}};
    int failures = 0;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        rng_state = 2463534242u + (uint32_t)i;
        bytes original = {0}, packed = {0}, unpacked = {0};
        inputs[i].gen(&original, n);
        compress(original.data, original.len, &packed);
        decompress(packed.data, packed.len, &unpacked);
        int same = unpacked.len == original.len && memcmp(unpacked.data, original.data, original.len) == 0;
        failures += !same;
        printf("%-6s %8zu -> %8zu bytes (%5.1f%%)  crc %08x  packed crc %08x  %s\n", inputs[i].name, original.len,
               packed.len, original.len ? 100.0 * (double)packed.len / (double)original.len : 0.0,
               crc32(original.data, original.len), crc32(packed.data, packed.len), same ? "round trip ok" : "MISMATCH");
        free(original.data);
        free(packed.data);
        free(unpacked.data);
    }
    /* Edge cases: empty input, one byte, one long run. */
    const size_t sizes[] = {0, 1, 2, 3, 258, 259, 70000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        bytes original = {0}, packed = {0}, unpacked = {0};
        for (size_t k = 0; k < sizes[i]; k++) bytes_push(&original, 'z');
        compress(original.data, original.len, &packed);
        decompress(packed.data, packed.len, &unpacked);
        int same = unpacked.len == original.len && (!original.len || memcmp(unpacked.data, original.data, original.len) == 0);
        failures += !same;
        printf("run of %zu: %zu bytes packed, %s\n", sizes[i], packed.len, same ? "ok" : "MISMATCH");
        free(original.data);
        free(packed.data);
        free(unpacked.data);
    }
    printf("%s\n", failures ? "FAILED" : "all round trips ok");
    return failures ? 1 : 0;
}

/* ---- main ----------------------------------------------------------------- */

static void read_all(FILE *f, bytes *b) {
    /* static: wasm32-wasi programs get a 64 KiB stack by default, and a
     * buffer this size on it would overflow it (into an out-of-bounds
     * trap), even when inlined into main and never used. */
    static uint8_t buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
        for (size_t i = 0; i < n; i++) bytes_push(b, buf[i]);
    if (ferror(f)) die("reading input failed");
}

int main(int argc, char **argv) {
    crc_init();
    if (argc >= 2 && strcmp(argv[1], "selftest") == 0) return selftest(argc > 2 ? (size_t)atol(argv[2]) : 200000);
    if (argc != 2 || (strcmp(argv[1], "c") != 0 && strcmp(argv[1], "d") != 0)) {
        fprintf(stderr, "usage: izip c|d <in >out, or izip selftest [N]\n");
        return 2;
    }
    bytes in = {0}, out = {0};
    read_all(stdin, &in);
    if (argv[1][0] == 'c')
        compress(in.data, in.len, &out);
    else
        decompress(in.data, in.len, &out);
    if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) die("writing output failed");
    free(in.data);
    free(out.data);
    return 0;
}
