/*
 * replay_main.c — runs saved inputs through the fuzzing entry point without
 * libFuzzer, so every build's test suite replays the regression corpus
 * (fuzz/regressions/) and any other directories or files it is given.
 *
 * Usage: isorun-fuzz-replay [-v] PATH...   (files, or directories of files;
 * *.md files, like the corpus README, are skipped; -v says what happened to
 * each input)
 * Exits 0 when every input ran; a crash or sanitizer report ends it non-zero.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern int fuzz_verbose; /* fuzz_module.c */

static int replayed;

/* Reads the whole file; NULL (with a message) when it cannot. */
static uint8_t *read_input(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    uint8_t *data = NULL;
    size_t used = 0, cap = 0;
    for (;;) {
        if (used == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *bigger = realloc(data, cap);
            if (!bigger) {
                free(data);
                fclose(f);
                fprintf(stderr, "%s: out of memory\n", path);
                return NULL;
            }
            data = bigger;
        }
        size_t n = fread(data + used, 1, cap - used, f);
        used += n;
        if (n == 0) break;
    }
    fclose(f);
    *size = used;
    return data;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool replay_file(const char *path) {
    size_t size = 0;
    uint8_t *data = read_input(path, &size);
    if (!data) return false;
    /* Name the input before running it, so a crash report says which. */
    fprintf(stderr, "replay %s (%zu bytes)\n", path, size);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    replayed++;
    return true;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir, in name order for repeatable runs. */
static bool replay_directory(const char *dir_path) {
    DIR *dir = opendir(dir_path);
    if (!dir) {
        perror(dir_path);
        return false;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    bool ok = true;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.' || ends_with(entry->d_name, ".md")) continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                ok = false;
                break;
            }
            names = bigger;
        }
        size_t len = strlen(dir_path) + 1 + strlen(entry->d_name) + 1;
        names[count] = malloc(len);
        if (!names[count]) {
            ok = false;
            break;
        }
        snprintf(names[count], len, "%s/%s", dir_path, entry->d_name);
        count++;
    }
    closedir(dir);
    if (count) qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (ok && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) ok = replay_file(names[i]);
        free(names[i]);
    }
    free(names);
    return ok;
}

int main(int argc, char **argv) {
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        fuzz_verbose = 1;
        first = 2;
    }
    if (argc <= first) {
        fprintf(stderr, "usage: %s [-v] FILE-OR-DIRECTORY...\n", argv[0]);
        return 2;
    }
    bool ok = true;
    for (int i = first; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            ok = false;
        } else if (S_ISDIR(st.st_mode)) {
            ok = replay_directory(argv[i]) && ok;
        } else {
            ok = replay_file(argv[i]) && ok;
        }
    }
    printf("replayed %d inputs%s\n", replayed, ok ? "" : " (some could not be read)");
    return ok && replayed > 0 ? 0 : 1;
}
