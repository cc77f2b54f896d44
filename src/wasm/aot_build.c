/*
 * aot_build.c — turning a module's generated C into a shared object with the
 * system's C compiler, and the on-disk cache of built objects.
 *
 * An object is named by the SHA-256 of the generator (the engine sources the
 * C depends on, hashed at build time), the compiler command and the module's
 * bytes: a cached object is reused exactly when building again would
 * produce it, and finding it costs a hash of the module, not a translation. Loading an object runs its
 * code with the host's rights, so the cache directory must belong to the
 * user and be writable by no one else; objects are written under temporary
 * names and renamed into place, so concurrent builders never see a partial
 * one.
 */
#define _GNU_SOURCE
#include "aot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Flags that make the C compiler keep WebAssembly's semantics: wrapping
 * arithmetic is spelled out in the generated code, but -fwrapv and
 * -fno-strict-aliasing keep the compiler from reasoning past it;
 * -ffp-contract=off forbids fusing a*b+c, which would change results, and
 * -fsignaling-nans forbids folding x*1 or x-0 to x, which would let a
 * signalling NaN through unquieted. */
static const char *const cc_flags[] = {"-std=gnu11", "-O2", "-fPIC", "-shared", "-fwrapv", "-fno-strict-aliasing",
                                       "-ffp-contract=off", "-fsignaling-nans", "-fno-math-errno", "-fvisibility=hidden", "-w"};
#define N_CC_FLAGS (sizeof cc_flags / sizeof cc_flags[0])
#define MAX_CC_WORDS 16

/* Splits the compiler command at spaces into words (pointing into buf). */
static int split_command(char *buf, char **words, int max) {
    int n = 0;
    for (char *p = buf; *p && n < max;) {
        while (*p == ' ') *p++ = 0;
        if (!*p) break;
        words[n++] = p;
        while (*p && *p != ' ') p++;
    }
    return n;
}

/* ------------------------------------------------------------------------
 * The cache directory
 * ------------------------------------------------------------------------ */

static char *default_cache_dir(void) {
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    isr_buf b = {0};
    bool ok;
    if (xdg && xdg[0] == '/')
        ok = isr_buf_printf(&b, "%s/isorun/native", xdg);
    else if (home && home[0] == '/')
        ok = isr_buf_printf(&b, "%s/.cache/isorun/native", home);
    else
        return NULL;
    if (!ok || !isr_buf_append(&b, "", 1)) {
        isr_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

/* mkdir -p with mode 0700 for what it creates. */
static bool make_dirs(char *path) {
    for (char *p = path + 1;; p++) {
        if (*p == '/' || !*p) {
            char saved = *p;
            *p = 0;
            bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
            *p = saved;
            if (!ok) return false;
            if (!saved) return true;
        }
    }
}

static isorun_error *check_private_dir(const char *dir) {
    struct stat st;
    if (stat(dir, &st) != 0) return isr_error(ISORUN_ERR_NATIVE, "native code cache %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return isr_error(ISORUN_ERR_NATIVE, "native code cache %s is not a directory", dir);
    if (st.st_uid != geteuid() || (st.st_mode & 022))
        return isr_error(ISORUN_ERR_NATIVE,
                         "native code cache %s must belong to this user and be writable by no one else "
                         "(its objects run with your rights)",
                         dir);
    return NULL;
}

/* An existing object we may load: a regular file of ours, writable by no
 * one else. */
static bool usable_object(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
}

/* ------------------------------------------------------------------------
 * Running the compiler
 * ------------------------------------------------------------------------ */

static bool write_all(int fd, const uint8_t *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w, n -= (size_t)w;
    }
    return true;
}

/* Runs argv; its stdout and stderr are collected (first 4 KiB) into *output. */
static isorun_error *run_compiler(char *const argv[], char output[4096]) {
    output[0] = 0;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return isr_error(ISORUN_ERR_NATIVE, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return isr_error(ISORUN_ERR_NATIVE,
                         "native code needs a C compiler: running %s failed: %s (install gcc, or name another "
                         "compiler)",
                         argv[0], strerror(rc));
    }
    size_t used = 0;
    char chunk[1024];
    for (;;) {
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        size_t take = (size_t)r < 4095 - used ? (size_t)r : 4095 - used;
        memcpy(output + used, chunk, take);
        used += take;
    }
    output[used] = 0;
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return isr_error(ISORUN_ERR_NATIVE, "waiting for %s: %s", argv[0], strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return NULL;
    /* The first lines say what went wrong; the rest is usually more of it. */
    char *cut = output;
    for (int lines = 0; cut && lines < 5; lines++) cut = strchr(cut + (lines ? 1 : 0), '\n');
    if (cut) *cut = 0;
    if (WIFEXITED(status))
        return isr_error(ISORUN_ERR_NATIVE, "%s failed (exit status %d): %s", argv[0], WEXITSTATUS(status), output);
    return isr_error(ISORUN_ERR_NATIVE, "%s was killed by signal %d", argv[0],
                     WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* ------------------------------------------------------------------------
 * Build or reuse
 * ------------------------------------------------------------------------ */

static void hex(const uint8_t *d, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) out[2 * i] = digits[d[i] >> 4], out[2 * i + 1] = digits[d[i] & 15];
    out[2 * n] = 0;
}

static char *path_join(const char *dir, const char *name) {
    isr_buf b = {0};
    if (!isr_buf_printf(&b, "%s/%s", dir, name) || !isr_buf_append(&b, "", 1)) {
        isr_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

/* Writes the C into a fresh temporary file of dir; *c_path and *o_path (a
 * placeholder for the object, also created) are malloc'd. */
static isorun_error *make_temporaries(const char *dir, const char *key, const isr_buf *src, char **c_path,
                                      char **o_path) {
    char name[128];
    snprintf(name, sizeof name, "%s.XXXXXX.c", key);
    *c_path = path_join(dir, name);
    snprintf(name, sizeof name, "%s.XXXXXX.so", key);
    *o_path = path_join(dir, name);
    if (!*c_path || !*o_path) return isr_error_nomem();
    int cfd = mkstemps(*c_path, 2);
    if (cfd < 0) return isr_error(ISORUN_ERR_NATIVE, "creating %s: %s", *c_path, strerror(errno));
    bool ok = write_all(cfd, src->data, src->len);
    close(cfd);
    if (!ok) return isr_error(ISORUN_ERR_NATIVE, "writing %s: %s", *c_path, strerror(errno));
    int ofd = mkstemps(*o_path, 3);
    if (ofd < 0) return isr_error(ISORUN_ERR_NATIVE, "creating %s: %s", *o_path, strerror(errno));
    close(ofd);
    return NULL;
}

static isorun_error *compile_into_cache(const char *dir, const char *key, const isr_buf *src, char **words,
                                        int nwords, bool keep_source, const char *final_path) {
    char *c_path = NULL, *o_path = NULL;
    isorun_error *err = make_temporaries(dir, key, src, &c_path, &o_path);
    if (!err) {
        char *argv[MAX_CC_WORDS + N_CC_FLAGS + 6];
        int n = 0;
        for (int i = 0; i < nwords; i++) argv[n++] = words[i];
        for (size_t i = 0; i < N_CC_FLAGS; i++) argv[n++] = (char *)cc_flags[i];
        argv[n++] = "-o";
        argv[n++] = o_path;
        argv[n++] = c_path;
        argv[n++] = "-lm";
        argv[n] = NULL;
        char output[4096];
        err = run_compiler(argv, output);
        if (!err && chmod(o_path, 0700) != 0)
            err = isr_error(ISORUN_ERR_NATIVE, "chmod %s: %s", o_path, strerror(errno));
        if (!err && rename(o_path, final_path) != 0)
            err = isr_error(ISORUN_ERR_NATIVE, "renaming %s: %s", o_path, strerror(errno));
    }
    if (o_path) unlink(o_path); /* gone already after a successful rename */
    if (c_path) {
        char *kept = keep_source && !err ? path_join(dir, key) : NULL;
        isr_buf name = {0};
        if (kept && isr_buf_printf(&name, "%s.c", kept) && isr_buf_append(&name, "", 1))
            rename(c_path, (char *)name.data);
        else
            unlink(c_path);
        isr_buf_free(&name);
        free(kept);
    }
    free(c_path);
    free(o_path);
    return err;
}

isorun_error *wasm_aot_build(const wasm_module *m, const wasm_native_options *opts, char **path_out) {
    *path_out = NULL;
    char *cc = strdup(opts->cc && opts->cc[0] ? opts->cc : "cc");
    char *dir = opts->cache_dir ? strdup(opts->cache_dir) : default_cache_dir();
    isr_buf src = {0};
    isorun_error *err = NULL;
    char *words[MAX_CC_WORDS];
    int nwords = 0;
    if (!cc) err = isr_error_nomem();
    else if (!dir)
        err = isr_error(ISORUN_ERR_NATIVE, "native code needs a cache directory: set HOME or XDG_CACHE_HOME, or "
                                           "name one");
    if (!err && (nwords = split_command(cc, words, MAX_CC_WORDS)) == 0)
        err = isr_error(ISORUN_ERR_NATIVE, "the C compiler command is empty");
    if (!err && !make_dirs(dir))
        err = isr_error(ISORUN_ERR_NATIVE, "creating native code cache %s: %s", dir, strerror(errno));
    if (!err) err = check_private_dir(dir);

    char key[65];
    char *final_path = NULL;
    if (!err) {
        isr_sha256 h;
        isr_sha256_init(&h);
        isr_sha256_update(&h, wasm_aot_generator_id, strlen(wasm_aot_generator_id) + 1);
        for (int i = 0; i < nwords; i++) isr_sha256_update(&h, words[i], strlen(words[i]) + 1);
        for (size_t i = 0; i < N_CC_FLAGS; i++) isr_sha256_update(&h, cc_flags[i], strlen(cc_flags[i]) + 1);
        isr_sha256_update(&h, m->bytes, m->len);
        uint8_t digest[32];
        isr_sha256_final(&h, digest);
        hex(digest, 32, key);
        isr_buf name = {0};
        if (isr_buf_printf(&name, "%s/%s.so", dir, key) && isr_buf_append(&name, "", 1))
            final_path = (char *)name.data;
        else {
            isr_buf_free(&name);
            err = isr_error_nomem();
        }
    }
    if (!err && !usable_object(final_path)) {
        err = wasm_aot_emit(m, &src);
        if (!err) err = compile_into_cache(dir, key, &src, words, nwords, opts->keep_source, final_path);
    }
    isr_buf_free(&src);
    free(cc);
    free(dir);
    if (err) {
        free(final_path);
        return err;
    }
    *path_out = final_path;
    return NULL;
}
