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
static const char *const cc_flags[] = {"-std=gnu11", "-O2", "-fPIC", "-fwrapv", "-fno-strict-aliasing",
                                       "-ffp-contract=off", "-fsignaling-nans", "-fno-math-errno", "-fvisibility=hidden", "-w"};
#define N_CC_FLAGS (sizeof cc_flags / sizeof cc_flags[0])
#define MAX_CC_WORDS 16
#define MAX_CHUNKS 16u
/* Code cells (see iops.h) below which splitting a module does not pay: a C
 * compiler run costs ~25 ms before any work, and the prelude is parsed per file. */
#define CELLS_PER_CHUNK 4000u

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

static char *path_join(const char *dir, const char *name) {
    isr_buf b = {0};
    if (!isr_buf_printf(&b, "%s/%s", dir, name) || !isr_buf_append(&b, "", 1)) {
        isr_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

/* One run of the compiler, its stdout and stderr going to a temporary file
 * (several run at once, so none may block on a full pipe). */
typedef struct cc_run {
    pid_t pid;
    int out_fd; /* the output file, unlinked already */
} cc_run;

static isorun_error *spawn_compiler(char *const argv[], const char *dir, cc_run *run) {
    run->pid = 0;
    run->out_fd = -1;
    char *out_path = path_join(dir, "cc-output." ISR_MKSTEMP_XS);
    if (!out_path) return isr_error_nomem();
    run->out_fd = mkstemp(out_path);
    if (run->out_fd >= 0) unlink(out_path);
    free(out_path);
    if (run->out_fd < 0) return isr_error(ISORUN_ERR_NATIVE, "creating a file in %s: %s", dir, strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, run->out_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, run->out_fd, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    int rc = posix_spawnp(&run->pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc == 0) return NULL;
    run->pid = 0;
    return isr_error(ISORUN_ERR_NATIVE,
                     "native code needs a C compiler: running %s failed: %s (install gcc, or name another compiler)",
                     argv[0], strerror(rc));
}

/* Waits for a run; an error quotes the first lines of what it printed. */
static isorun_error *finish_compiler(cc_run *run, const char *name) {
    isorun_error *err = NULL;
    if (run->pid > 0) {
        int status;
        while (waitpid(run->pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            char output[4096];
            ssize_t n = pread(run->out_fd, output, sizeof output - 1, 0);
            output[n > 0 ? n : 0] = 0;
            /* The first lines say what went wrong; the rest is usually more of it. */
            char *cut = output;
            for (int lines = 0; cut && lines < 5; lines++) cut = strchr(cut + (lines ? 1 : 0), '\n');
            if (cut) *cut = 0;
            if (WIFEXITED(status))
                err = isr_error(ISORUN_ERR_NATIVE, "%s failed (exit status %d): %s", name, WEXITSTATUS(status), output);
            else
                err = isr_error(ISORUN_ERR_NATIVE, "%s was killed by signal %d", name,
                                WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        }
    }
    if (run->out_fd >= 0) close(run->out_fd);
    run->pid = 0;
    run->out_fd = -1;
    return err;
}

/* ------------------------------------------------------------------------
 * Build or reuse
 * ------------------------------------------------------------------------ */

static void hex(const uint8_t *d, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) out[2 * i] = digits[d[i] >> 4], out[2 * i + 1] = digits[d[i] & 15];
    out[2 * n] = 0;
}

/* A fresh temporary file in dir named KEY.<six random characters>SUFFIX holding data (or
 * empty); its name in *path (malloc'd). */
static isorun_error *make_temporary(const char *dir, const char *key, const char *suffix, const isr_buf *data,
                                    char **path) {
    char name[128];
    snprintf(name, sizeof name, "%s." ISR_MKSTEMP_XS "%s", key, suffix);
    *path = path_join(dir, name);
    if (!*path) return isr_error_nomem();
    int fd = mkstemps(*path, (int)strlen(suffix));
    if (fd < 0) {
        isorun_error *err = isr_error(ISORUN_ERR_NATIVE, "creating %s: %s", *path, strerror(errno));
        free(*path);
        *path = NULL;
        return err;
    }
    bool ok = !data || write_all(fd, data->data, data->len);
    close(fd);
    if (!ok) return isr_error(ISORUN_ERR_NATIVE, "writing %s: %s", *path, strerror(errno));
    return NULL;
}

/* The compiler command with the flags, then `extra` (NULL-terminated). */
static void compiler_argv(char **words, int nwords, char *const *extra, char **argv) {
    int n = 0;
    for (int i = 0; i < nwords; i++) argv[n++] = words[i];
    for (size_t i = 0; i < N_CC_FLAGS; i++) argv[n++] = (char *)cc_flags[i];
    while (*extra) argv[n++] = *extra++;
    argv[n] = NULL;
}

/* Builds the object from nchunks C files: one compiler run when there is one
 * file; otherwise all files compile at once (-c), then one run links them. */
static isorun_error *build_object(const char *dir, const char *key, const isr_buf *src, size_t nchunks,
                                  char **words, int nwords, char **c_paths, char **o_paths, const char *so_path) {
    isorun_error *err = NULL;
    for (size_t c = 0; c < nchunks && !err; c++) {
        err = make_temporary(dir, key, ".c", &src[c], &c_paths[c]);
        if (!err && nchunks > 1) err = make_temporary(dir, key, ".o", NULL, &o_paths[c]);
    }
    if (err) return err;
    char *argv[MAX_CC_WORDS + N_CC_FLAGS + MAX_CHUNKS + 8];
    if (nchunks == 1) {
        char *extra[] = {"-shared", "-o", (char *)so_path, c_paths[0], "-lm", NULL};
        compiler_argv(words, nwords, extra, argv);
        cc_run run;
        err = spawn_compiler(argv, dir, &run);
        isorun_error *done = finish_compiler(&run, words[0]);
        return err ? (isorun_error_free(done), err) : done;
    }
    cc_run runs[MAX_CHUNKS];
    size_t started = 0;
    for (; started < nchunks && !err; started++) {
        char *extra[] = {"-c", "-o", o_paths[started], c_paths[started], NULL};
        compiler_argv(words, nwords, extra, argv);
        err = spawn_compiler(argv, dir, &runs[started]);
    }
    for (size_t c = 0; c < started; c++) { /* every child is waited for, whatever failed */
        isorun_error *e = finish_compiler(&runs[c], words[0]);
        if (!err) err = e;
        else isorun_error_free(e);
    }
    if (err) return err;
    char *extra[MAX_CHUNKS + 5];
    size_t k = 0;
    extra[k++] = "-shared";
    extra[k++] = "-o";
    extra[k++] = (char *)so_path;
    for (size_t c = 0; c < nchunks; c++) extra[k++] = o_paths[c];
    extra[k++] = "-lm";
    extra[k] = NULL;
    compiler_argv(words, nwords, extra, argv);
    cc_run run;
    err = spawn_compiler(argv, dir, &run);
    isorun_error *done = finish_compiler(&run, words[0]);
    return err ? (isorun_error_free(done), err) : done;
}

static isorun_error *compile_into_cache(const char *dir, const char *key, const isr_buf *src, size_t nchunks,
                                        char **words, int nwords, bool keep_source, const char *final_path) {
    char *c_paths[MAX_CHUNKS] = {0}, *o_paths[MAX_CHUNKS] = {0}, *so_path = NULL;
    isorun_error *err = make_temporary(dir, key, ".so", NULL, &so_path);
    if (!err) err = build_object(dir, key, src, nchunks, words, nwords, c_paths, o_paths, so_path);
    if (!err && chmod(so_path, 0700) != 0) err = isr_error(ISORUN_ERR_NATIVE, "chmod %s: %s", so_path, strerror(errno));
    if (!err && rename(so_path, final_path) != 0)
        err = isr_error(ISORUN_ERR_NATIVE, "renaming %s: %s", so_path, strerror(errno));
    if (so_path) unlink(so_path); /* gone already after a successful rename */
    for (size_t c = 0; c < nchunks; c++) {
        if (o_paths[c]) unlink(o_paths[c]);
        if (!c_paths[c]) continue;
        isr_buf kept = {0};
        bool named = nchunks > 1 ? isr_buf_printf(&kept, "%s/%s.%zu.c", dir, key, c)
                                 : isr_buf_printf(&kept, "%s/%s.c", dir, key);
        bool keep = keep_source && !err && named && isr_buf_append(&kept, "", 1);
        if (!(keep && rename(c_paths[c], (char *)kept.data) == 0)) unlink(c_paths[c]);
        isr_buf_free(&kept);
        free(c_paths[c]);
        free(o_paths[c]);
    }
    free(so_path);
    return err;
}

/* How many C files to split a module into: one per CPU, but only for
 * modules big enough that compiling in parallel beats the extra runs. */
static size_t chunk_count(const wasm_module *m) {
    uint64_t cells = 0;
    for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++) cells += m->func_defs[i].code.ncells;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t n = cells / CELLS_PER_CHUNK;
    if (cpus > 0 && n > (uint64_t)cpus) n = (uint64_t)cpus;
    if (n > MAX_CHUNKS) n = MAX_CHUNKS;
    return n ? (size_t)n : 1;
}

isorun_error *wasm_aot_build(wasm_module *m, const wasm_native_options *opts, char **path_out) {
    *path_out = NULL;
    char *cc = strdup(opts->cc && opts->cc[0] ? opts->cc : "cc");
    char *dir = opts->cache_dir ? strdup(opts->cache_dir) : default_cache_dir();
    isr_buf src[MAX_CHUNKS] = {{0}};
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
        if (opts->on_build) opts->on_build(opts->on_build_arg);
        /* The C is a translation of the interpreter's code: a module that
         * came from the cache so far was never compiled. */
        if (!m->compiled) err = wasm_compile(m);
        size_t nchunks = err ? 0 : chunk_count(m);
        if (!err) err = wasm_aot_emit(m, nchunks, src);
        if (!err) err = compile_into_cache(dir, key, src, nchunks, words, nwords, opts->keep_source, final_path);
    }
    for (size_t c = 0; c < MAX_CHUNKS; c++) isr_buf_free(&src[c]);
    free(cc);
    free(dir);
    if (err) {
        free(final_path);
        return err;
    }
    *path_out = final_path;
    return NULL;
}
