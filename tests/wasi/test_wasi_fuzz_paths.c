/*
 * test_wasi_fuzz_paths.c — the filesystem sandbox against random attempts:
 * for each seed, a fresh layout (a secret and other files outside, a
 * read-write mount full of symlinks that lead out, a read-only mount), then
 * `isorun run` of guests/wasi_fuzz_paths.c, which does a pseudo-random
 * sequence of path operations on paths made of "..", absolute host paths,
 * those symlinks and names it made itself. Then, from the outside:
 *   - the secret appears nowhere in what the guest wrote (stdout, stderr,
 *     files inside the mount);
 *   - everything outside the read-write mount, the read-only mount included,
 *     is as before: names, types, sizes, link counts, inodes, mtimes, ctimes,
 *     contents and link targets;
 *   - nothing appeared under /tmp/isorun-fuzz-escape;
 *   - isorun exited with the guest's status after the guest's last
 *     operation: no signal, no trap.
 * Seeds vary the layout (mounts beside the outside or inside it), whether a
 * host thread swaps a directory and a file with symlinks to the outside
 * while the guest runs, and whether openat2(2) is forbidden by a seccomp
 * filter (so that path resolution walks component by component).
 *
 *   test_wasi_fuzz_paths ISORUN [--seeds N] [--first S] [--ops N] [--verbose] [--keep]
 *
 * A failing seed is printed with the reasons, the guest's log and the command
 * that replays it; its temp dir is kept. --verbose makes the guest log
 * failed operations too; --keep keeps every temp dir.
 */
#include "wasi_harness.h"
#include "sandbox_tools.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define GUEST_TIMEOUT_S 60
#define ESCAPE_PROBE "/tmp/isorun-fuzz-escape"

static const char *isorun_path;
static long ops_per_seed = 400;
static bool verbose, keep_all, can_forbid_openat2;

/* ---- the layout -------------------------------------------------------------- */

typedef struct layout {
    char *tmp;      /* the seed's temp dir: root/, out, err */
    char root[512]; /* everything the guest may see or reach for */
    char outside[600], box[700], ro[700], secret[700];
    char secret_text[64]; /* what must never come out */
    bool nested;          /* box/ and ro/ inside outside/ rather than beside it */
} layout;

static bool plant_file(const char *dir, const char *name, const char *text) {
    return h_write_file(h_path(dir, name), text, strlen(text));
}

static bool plant_link(const char *dir, const char *name, const char *target) {
    return symlink(target, h_path(dir, name)) == 0;
}

static bool make_layout(layout *l, unsigned long seed) {
    memset(l, 0, sizeof *l);
    l->tmp = h_temp_dir();
    if (!l->tmp) return false;
    l->nested = seed % 2;
    unsigned char bytes[16];
    if (getrandom(bytes, sizeof bytes, 0) != sizeof bytes) return false;
    strcpy(l->secret_text, "SECRET-");
    for (int i = 0; i < 16; i++) sprintf(l->secret_text + strlen(l->secret_text), "%02x", bytes[i]);
    snprintf(l->root, sizeof l->root, "%s/root", l->tmp);
    snprintf(l->outside, sizeof l->outside, "%s/outside", l->root);
    snprintf(l->box, sizeof l->box, "%s/box", l->nested ? l->outside : l->root);
    snprintf(l->ro, sizeof l->ro, "%s/ro", l->nested ? l->outside : l->root);
    snprintf(l->secret, sizeof l->secret, "%s/secret.txt", l->outside);
    /* From box/ or ro/ to outside/ and to the secret, relatively. */
    const char *up = l->nested ? ".." : "../outside";
    char up_secret[64], up_victim[64], up_new[64], deep[80];
    snprintf(up_secret, sizeof up_secret, "%s/secret.txt", up);
    snprintf(up_victim, sizeof up_victim, "%s/victim_dir/v1.txt", up);
    snprintf(up_new, sizeof up_new, "%s/created_by_guest", up);
    snprintf(deep, sizeof deep, "../%s", up_secret);
    char text[256];
    snprintf(text, sizeof text, "%s\n", l->secret_text);
    char victim[256];
    snprintf(victim, sizeof victim, "victim one %s\n", l->secret_text);
    char vdir[700];
    snprintf(vdir, sizeof vdir, "%s/victim_dir", l->outside);
    bool ok = mkdir(l->root, 0755) == 0 && mkdir(l->outside, 0755) == 0 && mkdir(l->box, 0755) == 0 &&
              mkdir(l->ro, 0755) == 0 && mkdir(vdir, 0755) == 0 && mkdir(h_path(vdir, "empty"), 0755) == 0;
    /* Outside: the secret, and things to damage. */
    ok = ok && plant_file(l->outside, "secret.txt", text) && plant_file(vdir, "v1.txt", victim) &&
         plant_file(vdir, "v2.txt", "victim two\n") && plant_link(l->outside, "victim_link", "secret.txt") &&
         plant_link(vdir, "up", "..") && plant_file(l->root, "top.txt", text);
    /* The read-write mount: files, and links that lead out every way. */
    ok = ok && plant_file(l->box, "file", "inside\n") && mkdir(h_path(l->box, "sub"), 0755) == 0 &&
         plant_file(l->box, "sub/inner", "inner\n") && plant_link(l->box, "abs_link", l->secret) &&
         plant_link(l->box, "abs_dir_link", l->outside) && plant_link(l->box, "rel_secret", up_secret) &&
         plant_link(l->box, "rel_dir", up) && plant_link(l->box, "rel_victim", up_victim) &&
         plant_link(l->box, "sub/deep_link", deep) && plant_link(l->box, "root_link", "/") &&
         plant_link(l->box, "dotdot_link", "..") && plant_link(l->box, "chain1", "chain2") &&
         plant_link(l->box, "chain2", "sub/../rel_secret") && plant_link(l->box, "loop_a", "loop_b") &&
         plant_link(l->box, "loop_b", "loop_a") && plant_link(l->box, "self_ok", "file") &&
         plant_link(l->box, "dangling_out", up_new) && plant_link(l->box, "etc_link", "/etc/passwd") &&
         plant_link(l->box, "proc_link", "/proc/self/root") && plant_link(l->box, "ro_link", "../ro") &&
         plant_file(l->box, "hard_a", "hard\n") && link(h_path(l->box, "hard_a"), h_path(l->box, "hard_b")) == 0 &&
         mkdir(h_path(l->box, "swap"), 0755) == 0 && plant_file(l->box, "swap/inner", "swapped in\n") &&
         plant_link(l->box, "swap_alt", up) && plant_file(l->box, "swapf", "swap file\n") &&
         plant_link(l->box, "swapf_alt", up_secret);
    /* The read-only mount. */
    ok = ok && plant_file(l->ro, "ro_file", "read only\n") && mkdir(h_path(l->ro, "ro_dir"), 0755) == 0 &&
         plant_file(l->ro, "ro_dir/ro_inner", "read only inner\n") && plant_file(l->ro, "ro_hard_a", "ro hard\n") &&
         link(h_path(l->ro, "ro_hard_a"), h_path(l->ro, "ro_hard_b")) == 0 &&
         plant_link(l->ro, "ro_self", "ro_file") && plant_link(l->ro, "ro_out_link", up_secret) &&
         plant_link(l->ro, "ro_abs_link", l->secret) && plant_link(l->ro, "ro_dir_link", up);
    return ok;
}

/* ---- what the tree looks like ------------------------------------------------ */

/* "[TEXT]\n" with newlines and other unprintable bytes as \xNN: one line. */
static void put_escaped(FILE *out, const char *text, size_t len) {
    fputc('[', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            fputc(ch, out);
        else
            fprintf(out, "\\x%02x", ch);
    }
    fputs("]\n", out);
}

/* One line per entry under root/rel (not following symlinks, skipping
 * `skip`): path, mode, size, links, inode, mtime, ctime, and the content or
 * link target. */
static void snapshot_into(const char *root, const char *rel, const char *skip, FILE *out) {
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(out, "%s: cannot list\n", rel);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        if (strcmp(full, skip) == 0) continue;
        struct stat sb;
        if (lstat(full, &sb) != 0) continue;
        fprintf(out, "%s %o %lld %lu %lu %lld.%09ld %lld.%09ld ", sub, (unsigned)sb.st_mode, (long long)sb.st_size,
                (unsigned long)sb.st_nlink, (unsigned long)sb.st_ino, (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
                (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
        if (S_ISREG(sb.st_mode)) {
            size_t len = 0;
            char *text = h_read_file(full, &len);
            put_escaped(out, text ? text : "?", text ? len : 1);
            free(text);
        } else if (S_ISLNK(sb.st_mode)) {
            char target[4096];
            ssize_t n = readlink(full, target, sizeof target - 1);
            fprintf(out, "-> %.*s\n", n > 0 ? (int)n : 0, target);
        } else {
            fprintf(out, "\n");
            if (S_ISDIR(sb.st_mode)) snapshot_into(root, sub, skip, out);
        }
    }
    closedir(d);
}

/* Everything under l->root except the read-write mount, root itself included. */
static char *snapshot(const layout *l) {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) return NULL;
    struct stat sb;
    if (lstat(l->root, &sb) == 0)
        fprintf(out, ". %o %lu %lld.%09ld %lld.%09ld\n", (unsigned)sb.st_mode, (unsigned long)sb.st_nlink,
                (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec, (long long)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
    snapshot_into(l->root, "", l->box, out);
    fclose(out);
    return text;
}

/* True when text holds the line (n bytes, with its newline if any). */
static bool has_line(const char *text, const char *line, size_t n) {
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t pn = end ? (size_t)(end - p + 1) : strlen(p);
        if (pn == n && memcmp(p, line, n) == 0) return true;
        p += pn;
    }
    return false;
}

/* Prints the lines of `a` that `b` lacks, each after `mark`. */
static void print_missing_lines(const char *a, const char *b, const char *mark) {
    for (const char *line = a; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line + 1) : strlen(line);
        if (!has_line(b, line, n)) fprintf(stderr, "    %s %.*s%s", mark, (int)n, line, end ? "" : "\n");
        line += n;
    }
}

/* Regular files under dir (not following links) holding `needle`: the first
 * one's path into found (empty when none). */
static void find_text_in_files(const char *dir, const char *needle, char *found, size_t size) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while (!found[0] && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(full, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            find_text_in_files(full, needle, found, size);
        } else if (S_ISREG(sb.st_mode)) {
            int fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) continue;
            char *text = h_slurp_fd(fd);
            close(fd);
            if (text && memmem(text, strlen(text), needle, strlen(needle))) snprintf(found, size, "%s", full);
            free(text);
        }
    }
    closedir(d);
}

/* ---- names swapped during resolution ----------------------------------------- */

/* ---- running the guest without openat2 --------------------------------------- */


/* Whether a child process can install the filter (and so the walk is tested). */
static bool probe_forbid_openat2(void) {
    pid_t pid = fork();
    if (pid == 0) _exit(forbid_openat2() ? 0 : 1);
    int status;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* ---- one seed ------------------------------------------------------------------- */

typedef struct stats {
    long seeds, failed, ok_lines, data_lines, swaps, walk_runs, swap_runs;
    long ok_by_op[64];
    char op_names[64][32];
    int nops;
} stats;

static void count_ok_lines(stats *st, const char *out) {
    for (const char *line = out; line && *line;) {
        const char *end = strchr(line, '\n');
        if (!strncmp(line, "ok ", 3)) {
            st->ok_lines++;
            char op[32];
            size_t n = strcspn(line + 3, " \n");
            snprintf(op, sizeof op, "%.*s", (int)(n < sizeof op ? n : sizeof op - 1), line + 3);
            int i = 0;
            while (i < st->nops && strcmp(st->op_names[i], op)) i++;
            if (i == st->nops && st->nops < 64) strcpy(st->op_names[st->nops++], op);
            if (i < st->nops) st->ok_by_op[i]++;
        } else if (!strncmp(line, "data ", 5)) {
            st->data_lines++;
        }
        line = end ? end + 1 : line + strlen(line);
    }
}

static void print_tail(const char *what, const char *text, int lines) {
    const char *start = text + strlen(text);
    for (int n = 0; start > text && n <= lines; start--)
        if (start[-1] == '\n') n++;
    fprintf(stderr, "    --- %s%s ---\n%s%s", what, start > text ? " (last lines)" : "", start,
            *start && text[strlen(text) - 1] != '\n' ? "\n" : "");
}

static bool run_seed(unsigned long seed, stats *st) {
    layout l;
    if (!make_layout(&l, seed)) {
        fprintf(stderr, "seed %lu: cannot make the layout in %s: %s\n", seed, l.tmp ? l.tmp : "$TMPDIR",
                strerror(errno));
        h_rm_rf(l.tmp);
        free(l.tmp);
        return false;
    }
    bool swap = seed % 3 == 0;
    bool walk = can_forbid_openat2 && seed % 4 >= 2;
    int expected = 3 + (int)(seed % 90);
    bool probe_existed = h_exists(ESCAPE_PROBE);

    char guest[4096], dir_rw[1024], dir_ro[1024], seed_s[32], ops_s[32], status_s[16], out_path[600],
        err_path[600];
    snprintf(guest, sizeof guest, "%s/wasi_fuzz_paths.wasm", ISORUN_GUEST_DIR);
    snprintf(dir_rw, sizeof dir_rw, "%s::/data", l.box);
    snprintf(dir_ro, sizeof dir_ro, "%s::/ro:ro", l.ro);
    snprintf(seed_s, sizeof seed_s, "%lu", seed);
    snprintf(ops_s, sizeof ops_s, "%ld", ops_per_seed);
    snprintf(status_s, sizeof status_s, "%d", expected);
    snprintf(out_path, sizeof out_path, "%s/out", l.tmp);
    snprintf(err_path, sizeof err_path, "%s/err", l.tmp);
    char *argv[] = {"isorun", "run", "--dir", dir_rw, "--dir", dir_ro, guest, seed_s, ops_s, l.root, l.secret,
                    status_s, verbose ? "v" : NULL, NULL};
    /* The environment the guest gets is its own anyway; isorun gets only
     * what sanitizers need. */
    char *envp[4] = {"PATH=/usr/bin:/bin"};
    int nenv = 1;
    static char asan[1024], ubsan[1024];
    if (getenv("ASAN_OPTIONS")) snprintf(envp[nenv++] = asan, sizeof asan, "ASAN_OPTIONS=%s", getenv("ASAN_OPTIONS"));
    if (getenv("UBSAN_OPTIONS"))
        snprintf(envp[nenv++] = ubsan, sizeof ubsan, "UBSAN_OPTIONS=%s", getenv("UBSAN_OPTIONS"));

    char *before = snapshot(&l);
    swapper sw = {.box = l.box};
    atomic_init(&sw.stop, false);
    pthread_t thread;
    if (swap && pthread_create(&thread, NULL, swap_names, &sw) != 0) swap = false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
        if (walk && !forbid_openat2()) _exit(126);
        alarm(GUEST_TIMEOUT_S);
        execve(isorun_path, argv, envp);
        _exit(127);
    }
    int status = 0;
    bool waited = pid > 0 && waitpid(pid, &status, 0) == pid;
    if (swap) {
        atomic_store(&sw.stop, true);
        pthread_join(thread, NULL);
        st->swaps += sw.swaps;
        st->swap_runs++;
    }
    st->walk_runs += walk;
    char *after = snapshot(&l);
    char *out = h_read_file(out_path, NULL);
    char *err = h_read_file(err_path, NULL);
    if (!out) out = strdup("");
    if (!err) err = strdup("");

    /* The checks. */
    char why[2048] = "";
#define WHY(...) snprintf(why + strlen(why), sizeof why - strlen(why), __VA_ARGS__)
    if (!waited)
        WHY("\n    could not run %s", isorun_path);
    else if (WIFSIGNALED(status))
        WHY("\n    isorun was killed by signal %d%s", WTERMSIG(status),
            WTERMSIG(status) == SIGALRM ? " (it did not end in time)" : "");
    else if (WEXITSTATUS(status) != expected)
        WHY("\n    isorun exited with %d, the guest's status is %d", WEXITSTATUS(status), expected);
    char start_line[64], end_line[64];
    snprintf(start_line, sizeof start_line, "start %lu\n", seed);
    if (strncmp(out, start_line, strlen(start_line)) != 0)
        WHY("\n    the guest's log does not begin with its first line");
    snprintf(end_line, sizeof end_line, "\nend %ld\n", ops_per_seed);
    if (!strstr(out, end_line)) WHY("\n    the guest did not reach its end (no \"end %ld\" line)", ops_per_seed);
    if (strstr(out, l.secret_text)) WHY("\n    the secret is in the guest's stdout");
    if (strstr(err, l.secret_text)) WHY("\n    the secret is in isorun's stderr");
    char found[4096] = "";
    find_text_in_files(l.box, l.secret_text, found, sizeof found);
    if (found[0]) WHY("\n    the secret is in a file inside the mount: %s", found);
    bool same = before && after && strcmp(before, after) == 0;
    if (!same) WHY("\n    the tree outside the read-write mount changed (the read-only mount is part of it)");
    if (!probe_existed && h_exists(ESCAPE_PROBE)) WHY("\n    %s exists", ESCAPE_PROBE);
#undef WHY

    bool ok = why[0] == '\0';
    st->seeds++;
    count_ok_lines(st, out);
    if (!ok) {
        st->failed++;
        fprintf(stderr, "FAIL seed %lu (%s layout, swapper %s, %s):%s\n", seed, l.nested ? "nested" : "beside",
                swap ? "on" : "off", walk ? "walk (no openat2)" : "openat2", why);
        if (!same && before && after) {
            print_missing_lines(before, after, "before:");
            print_missing_lines(after, before, "after: ");
        }
        print_tail("guest stdout", out, 60);
        print_tail("isorun stderr", err, 20);
        fprintf(stderr, "    kept %s\n    replay: %s %s --first %lu --seeds 1 --ops %ld --verbose\n", l.tmp,
                "test_wasi_fuzz_paths", isorun_path, seed, ops_per_seed);
    }
    if (ok && !keep_all) h_rm_rf(l.tmp);
    free(before);
    free(after);
    free(out);
    free(err);
    free(l.tmp);
    return ok;
}

int main(int argc, char **argv) {
    if (!h_guests_built()) return 77;
    unsigned long first = 1, seeds = 200;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
            seeds = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--first") && i + 1 < argc)
            first = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
            ops_per_seed = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--verbose"))
            verbose = true;
        else if (!strcmp(argv[i], "--keep"))
            keep_all = true;
        else if (argv[i][0] != '-' && !isorun_path)
            isorun_path = argv[i];
        else {
            fprintf(stderr, "usage: %s ISORUN [--seeds N] [--first S] [--ops N] [--verbose] [--keep]\n", argv[0]);
            return 2;
        }
    }
    if (!isorun_path || access(isorun_path, X_OK) != 0) {
        fprintf(stderr, "%s: the isorun command (first argument) is missing or not executable\n", argv[0]);
        return 1;
    }
    char guest[4096];
    snprintf(guest, sizeof guest, "%s/wasi_fuzz_paths.wasm", ISORUN_GUEST_DIR);
    if (!h_exists(guest)) {
        printf("skipped: %s was not built\n", guest);
        return 77;
    }
    can_forbid_openat2 = probe_forbid_openat2();
    if (!can_forbid_openat2) printf("note: no seccomp filter here: every seed resolves paths with openat2\n");
    if (h_exists(ESCAPE_PROBE)) printf("note: %s exists already: not checked\n", ESCAPE_PROBE);
    static stats st;
    for (unsigned long s = first; s < first + seeds; s++) run_seed(s, &st);
    printf("seeds %lu..%lu, %ld operations each: %ld failed\n", first, first + seeds - 1, ops_per_seed, st.failed);
    printf("%ld runs with a swapper (%ld swaps), %ld without openat2; %ld operations succeeded, %ld reads returned "
           "bytes:\n ",
           st.swap_runs, st.swaps, st.walk_runs, st.ok_lines, st.data_lines);
    for (int i = 0; i < st.nops; i++) printf(" %s %ld", st.op_names[i], st.ok_by_op[i]);
    printf("\n");
    return st.failed ? 1 : 0;
}
