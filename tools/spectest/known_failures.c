/* known_failures.c — loading and matching the known-failures list. */
#include "known_failures.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* "dir/i32.wast" -> "i32" in a fresh string. */
static char *normalize_file(const char *file, size_t len) {
    for (size_t i = len; i > 0; i--) {
        if (file[i - 1] == '/') {
            file += i;
            len -= i;
            break;
        }
    }
    static const char *const extensions[] = {".wast", ".json"};
    for (size_t e = 0; e < 2; e++) {
        size_t n = strlen(extensions[e]);
        if (len > n && memcmp(file + len - n, extensions[e], n) == 0) {
            len -= n;
            break;
        }
    }
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, file, len);
        s[len] = '\0';
    }
    return s;
}

static bool same_file(const known_failure *e, const char *file) {
    char *norm = normalize_file(file, strlen(file));
    bool same = norm && strcmp(norm, e->file) == 0;
    free(norm);
    return same;
}

/* Parses one entry (already stripped of comment and surrounding blanks). */
static bool parse_entry(const char *s, size_t len, known_failure *out) {
    const char *colon = NULL;
    for (size_t i = len; i > 0; i--) {
        if (s[i - 1] == ':') {
            colon = s + i - 1;
            break;
        }
    }
    if (!colon || colon == s || colon + 1 == s + len) return false;
    unsigned long line = 0;
    for (const char *d = colon + 1; d < s + len; d++) {
        if (!isdigit((unsigned char)*d)) return false;
        if (line > 100000000ul) return false;
        line = line * 10 + (unsigned long)(*d - '0');
    }
    for (const char *c = s; c < colon; c++)
        if (isspace((unsigned char)*c)) return false;
    out->text = malloc(len + 1);
    out->file = normalize_file(s, (size_t)(colon - s));
    if (!out->text || !out->file) {
        free(out->text);
        free(out->file);
        return false;
    }
    memcpy(out->text, s, len);
    out->text[len] = '\0';
    out->line = line;
    out->failed = false;
    return true;
}

bool known_failures_load(known_failures *kf, const char *path, char *err, size_t err_size) {
    memset(kf, 0, sizeof *kf);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "cannot open %s", path);
        return false;
    }
    char buf[1024];
    size_t cap = 0;
    unsigned long lineno = 0;
    bool ok = true;
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        if (!strchr(buf, '\n') && !feof(f)) {
            snprintf(err, err_size, "%s:%lu: line too long", path, lineno);
            ok = false;
            break;
        }
        size_t len = strcspn(buf, "#\r\n");
        size_t start = 0;
        while (start < len && isspace((unsigned char)buf[start])) start++;
        while (len > start && isspace((unsigned char)buf[len - 1])) len--;
        if (len == start) continue;
        if (kf->count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            known_failure *grown = realloc(kf->entries, ncap * sizeof *grown);
            if (!grown) {
                snprintf(err, err_size, "out of memory");
                ok = false;
                break;
            }
            kf->entries = grown;
            cap = ncap;
        }
        if (!parse_entry(buf + start, len - start, &kf->entries[kf->count])) {
            snprintf(err, err_size, "%s:%lu: expected <file>:<line>, got \"%.*s\"", path, lineno,
                     (int)(len - start), buf + start);
            ok = false;
            break;
        }
        kf->count++;
    }
    if (ok && ferror(f)) {
        snprintf(err, err_size, "error reading %s", path);
        ok = false;
    }
    fclose(f);
    if (!ok) known_failures_free(kf);
    return ok;
}

bool known_failures_contains(const known_failures *kf, const char *file, unsigned long line) {
    if (!kf) return false;
    for (size_t i = 0; i < kf->count; i++)
        if (kf->entries[i].line == line && same_file(&kf->entries[i], file)) return true;
    return false;
}

bool known_failures_mark(known_failures *kf, const char *file, unsigned long line) {
    bool found = false;
    if (!kf) return false;
    for (size_t i = 0; i < kf->count; i++) {
        if (kf->entries[i].line == line && same_file(&kf->entries[i], file)) {
            kf->entries[i].failed = true;
            found = true;
        }
    }
    return found;
}

size_t known_failures_report_fixed(const known_failures *kf, const char *file, FILE *out) {
    size_t fixed = 0;
    if (!kf) return 0;
    for (size_t i = 0; i < kf->count; i++) {
        const known_failure *e = &kf->entries[i];
        if (!e->failed && same_file(e, file)) {
            fprintf(out, "FIXED %s (remove it from the known-failures list)\n", e->text);
            fixed++;
        }
    }
    return fixed;
}

void known_failures_free(known_failures *kf) {
    if (!kf) return;
    for (size_t i = 0; i < kf->count; i++) {
        free(kf->entries[i].text);
        free(kf->entries[i].file);
    }
    free(kf->entries);
    memset(kf, 0, sizeof *kf);
}
