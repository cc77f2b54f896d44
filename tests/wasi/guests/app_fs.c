/*
 * app_fs.c — a small application using its mount like any program would:
 * reads the .txt files in /data/input, counts words, writes /data/output/report.txt
 * through a temporary file renamed into place, appends to /data/log.txt,
 * and on the way tries to read what lies next to its mount. Plain libc
 * only: this is what a guest compiled from ordinary C sees.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct word {
    char text[32];
    int count;
} word;

static word words[256];
static int nwords;

static void count_word(const char *w) {
    for (int i = 0; i < nwords; i++)
        if (strcmp(words[i].text, w) == 0) {
            words[i].count++;
            return;
        }
    if (nwords < 256) {
        snprintf(words[nwords].text, sizeof words[nwords].text, "%s", w);
        words[nwords++].count = 1;
    }
}

static int by_count(const void *a, const void *b) {
    const word *x = a, *y = b;
    if (x->count != y->count) return y->count - x->count;
    return strcmp(x->text, y->text);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int count_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char w[32];
    int n = 0, c, len = 0;
    while ((c = fgetc(f)) != EOF) {
        if (isalpha(c)) {
            if (len < 31) w[len++] = (char)tolower(c);
        } else if (len) {
            w[len] = '\0';
            count_word(w);
            n++;
            len = 0;
        }
    }
    if (len) {
        w[len] = '\0';
        count_word(w);
        n++;
    }
    fclose(f);
    return n;
}

int main(void) {
    /* The input files, in name order. */
    DIR *d = opendir("/data/input");
    if (!d) {
        perror("opendir /data/input");
        return 10;
    }
    char *names[64];
    int nnames = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nnames < 64) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0) names[nnames++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nnames, sizeof names[0], by_name);
    int total = 0;
    for (int i = 0; i < nnames; i++) {
        char path[300];
        snprintf(path, sizeof path, "/data/input/%s", names[i]);
        int n = count_file(path);
        if (n < 0) {
            perror(path);
            return 11;
        }
        total += n;
    }
    qsort(words, (size_t)nwords, sizeof words[0], by_count);

    /* The report, written to a temporary file and renamed into place. */
    if (mkdir("/data/output", 0755) != 0 && errno != EEXIST) {
        perror("mkdir /data/output");
        return 12;
    }
    FILE *out = fopen("/data/output/report.tmp", "w");
    if (!out) {
        perror("report.tmp");
        return 13;
    }
    fprintf(out, "files: %d\nwords: %d\ndistinct: %d\n", nnames, total, nwords);
    for (int i = 0; i < nwords && i < 5; i++) fprintf(out, "%s %d\n", words[i].text, words[i].count);
    if (fclose(out) != 0 || rename("/data/output/report.tmp", "/data/output/report.txt") != 0) {
        perror("report.txt");
        return 14;
    }
    FILE *log = fopen("/data/log.txt", "a");
    if (!log) {
        perror("log.txt");
        return 15;
    }
    fprintf(log, "counted %d words in %d files\n", total, nnames);
    fclose(log);

    /* What lies next to the mount is not reachable. */
    const char *outside[] = {"/data/../secret.txt", "/secret.txt", "/etc/passwd", "/data/escape/secret.txt"};
    int refused = 0;
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        FILE *f = fopen(outside[i], "r");
        if (f) {
            char line[128] = {0};
            if (fgets(line, sizeof line, f)) printf("LEAKED %s: %s", outside[i], line);
            fclose(f);
        } else {
            refused++;
        }
    }
    FILE *w = fopen("/data/../planted.txt", "w");
    if (w) fclose(w); else refused++;
    printf("refused %d of 5\n", refused);
    for (int i = 0; i < nnames; i++) free(names[i]);
    return refused == 5 ? 0 : 20;
}
