/* wordcount — strings and a hash map: generates text from a Zipf-like
 * vocabulary, splits it into words and counts them in an open-addressing
 * (linear probing) hash map keyed by FNV-1a. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    const char *word; /* into the text; NULL = empty slot */
    uint32_t len;
    uint32_t count;
    uint32_t hash;
} entry;

typedef struct word_map {
    entry *slots;
    uint32_t mask; /* capacity - 1, capacity a power of two */
    uint32_t used;
} word_map;

static uint32_t rng_state = 88172645u;
static uint32_t next_random(void) {
    rng_state ^= rng_state << 13, rng_state ^= rng_state >> 17, rng_state ^= rng_state << 5;
    return rng_state;
}

static uint32_t fnv1a(const char *s, uint32_t len) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static void map_grow(word_map *m);

static void map_add(word_map *m, const char *word, uint32_t len) {
    uint32_t h = fnv1a(word, len);
    for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
        entry *e = &m->slots[i];
        if (!e->word) {
            *e = (entry){word, len, 1, h};
            if (++m->used * 4 > (m->mask + 1) * 3) map_grow(m); /* keep load <= 3/4 */
            return;
        }
        if (e->hash == h && e->len == len && memcmp(e->word, word, len) == 0) {
            e->count++;
            return;
        }
    }
}

static void map_grow(word_map *m) {
    entry *old = m->slots;
    uint32_t old_cap = m->mask + 1;
    m->mask = old_cap * 2 - 1;
    m->slots = calloc((size_t)old_cap * 2, sizeof(entry));
    if (!m->slots) exit(1);
    for (uint32_t i = 0; i < old_cap; i++) {
        if (!old[i].word) continue;
        uint32_t j = old[i].hash & m->mask;
        while (m->slots[j].word) j = (j + 1) & m->mask;
        m->slots[j] = old[i];
    }
    free(old);
}

/* A pronounceable made-up word for vocabulary index i. */
static uint32_t make_word(uint32_t i, char *out) {
    static const char *const syllables[] = {"ka", "lo", "mi", "ne", "ru", "ta", "shi", "vo", "zen", "qua",
                                            "bri", "dor", "el", "fy", "gu", "ho"};
    uint32_t len = 0;
    do {
        const char *s = syllables[i % 16];
        while (*s) out[len++] = *s++;
        i /= 16;
    } while (i);
    return len;
}

int main(int argc, char **argv) {
    uint32_t nwords = argc > 1 ? (uint32_t)atoi(argv[1]) : 6000000;
    uint32_t vocabulary = 300000;
    char *text = malloc((size_t)nwords * 16 + 1);
    if (!text) return 1;
    /* Zipf-like: the smaller of two uniform picks, cubed into the range. */
    size_t pos = 0;
    for (uint32_t w = 0; w < nwords; w++) {
        uint32_t a = next_random() % vocabulary, b = next_random() % vocabulary;
        uint32_t pick = a < b ? a : b;
        uint64_t skew = (uint64_t)pick * pick / vocabulary * pick / vocabulary;
        pos += make_word((uint32_t)skew, text + pos);
        text[pos++] = (next_random() & 15) == 0 ? '\n' : ' ';
    }
    text[pos] = '\0';

    word_map map = {calloc(1024, sizeof(entry)), 1023, 0};
    if (!map.slots) return 1;
    for (char *p = text; *p;) {
        while (*p == ' ' || *p == '\n') p++;
        char *start = p;
        while (*p && *p != ' ' && *p != '\n') p++;
        if (p > start) map_add(&map, start, (uint32_t)(p - start));
    }

    /* Order-independent checksum, plus the most frequent word. */
    uint64_t checksum = 0, total = 0;
    const entry *top = NULL;
    for (uint32_t i = 0; i <= map.mask; i++) {
        const entry *e = &map.slots[i];
        if (!e->word) continue;
        total += e->count;
        checksum += (uint64_t)e->count * e->hash;
        if (!top || e->count > top->count || (e->count == top->count && e->hash < top->hash)) top = e;
    }
    printf("wordcount(%u) checksum: %u distinct, %llu words, %016llx, top \"%.*s\" x%u\n", nwords, map.used,
           (unsigned long long)total, (unsigned long long)checksum, (int)top->len, top->word, top->count);
    free(map.slots);
    free(text);
    return 0;
}
