/*
 * wasi_harness.h — what the WASI tests share: running a guest through the
 * public API (isorun_builder + isorun_wasi_new) with its stdio captured, and
 * host-side file helpers for checking what the guest did to the disk.
 * Everything here uses include/isorun.h and libc only.
 */
#ifndef ISORUN_TEST_WASI_HARNESS_H
#define ISORUN_TEST_WASI_HARNESS_H

#define _GNU_SOURCE
#include "../unit/check.h"
#include "isorun.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ISORUN_GUEST_DIR
#error "ISORUN_GUEST_DIR must name the directory of built guests"
#endif

/* ---- host files ------------------------------------------------------------ */

/* A new empty directory under $TMPDIR (or /tmp); the caller frees the name. */
static inline char *h_temp_dir(void) {
    const char *base = getenv("TMPDIR");
    char *path = NULL;
    if (asprintf(&path, "%s/isorun-wasi-XXXXXX", base && *base ? base : "/tmp") < 0) return NULL;
    if (!mkdtemp(path)) {
        free(path);
        return NULL;
    }
    return path;
}

static inline int h_rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    (void)sb;
    (void)ftw;
    /* Directories left without write permission by a test must still go. */
    if (type == FTW_DP) chmod(path, 0700);
    remove(path);
    return 0; /* go on regardless */
}

/* rm -rf, never following symlinks. */
static inline void h_rm_rf(const char *path) {
    if (path) nftw(path, h_rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/* dir + "/" + name, in a static rotating buffer (enough for a few at once). */
static inline const char *h_path(const char *dir, const char *name) {
    static char bufs[8][4096];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", dir, name);
    return b;
}

static inline bool h_write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* The whole file, NUL-terminated (malloc'd), or NULL; *len may be NULL. */
static inline char *h_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n < cap) continue;
        char *grown = realloc(buf, cap * 2 + 1);
        if (!grown) free(buf);
        buf = grown;
        cap *= 2;
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* True when path exists (a dangling symlink counts). */
static inline bool h_exists(const char *path) {
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* True when the file at path holds exactly `text`. */
static inline bool h_file_is(const char *path, const char *text) {
    char *got = h_read_file(path, NULL);
    bool same = got && strcmp(got, text) == 0;
    free(got);
    return same;
}

/* ---- running a guest --------------------------------------------------------- */

typedef struct h_mount {
    const char *host, *guest;
    unsigned flags;
} h_mount;

typedef struct h_run {
    /* in */
    const char *guest;        /* NAME of ISORUN_GUEST_DIR/NAME.wasm */
    const char *args[16];     /* argv[1..]; NULL-terminated */
    const char *env[8];       /* NAME=VALUE; NULL-terminated */
    const char *stdin_text;   /* NULL: stdin is closed for the guest */
    h_mount mounts[4];
    int nmounts;
    unsigned grants;
    /* out */
    isorun_error_code code;   /* ISORUN_ERR_OK or ISORUN_ERR_EXIT for a normal end */
    int exit_code;            /* 0 when _start returned */
    char *out, *err;          /* what the guest wrote to stdout/stderr (malloc'd) */
    char message[512];        /* the error's message, if any */
} h_run;

static isorun_runtime *h_runtime;

/* A temp file opened for reading and writing, already unlinked. */
static inline int h_temp_file(void) {
    char *dir = h_temp_dir();
    if (!dir) return -1;
    const char *path = h_path(dir, "f");
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    unlink(path);
    rmdir(dir);
    free(dir);
    return fd;
}

static inline char *h_slurp_fd(int fd) {
    off_t size = lseek(fd, 0, SEEK_END);
    char *buf = malloc(size > 0 ? (size_t)size + 1 : 1);
    if (!buf) return NULL;
    ssize_t n = size > 0 ? pread(fd, buf, (size_t)size, 0) : 0;
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

/* Runs r->guest's _start with r's arguments, environment, stdio and mounts.
 * Returns false (and records a failure) when the run could not even start. */
static inline bool h_run_guest_at(h_run *r, const char *file, int line) {
    r->code = ISORUN_ERR_OK;
    r->exit_code = 0;
    r->out = r->err = NULL;
    r->message[0] = '\0';
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.wasm", ISORUN_GUEST_DIR, r->guest);
    if (!h_runtime && isorun_runtime_new(NULL, &h_runtime)) return false;
    isorun_module *m = NULL;
    isorun_error *err = isorun_module_load_file(h_runtime, path, &m);
    if (err) {
        check_record(0, file, line, "the guest loads");
        fprintf(stderr, "    %s\n", isorun_error_message(err));
        isorun_error_free(err);
        return false;
    }
    int in = -1, out = h_temp_file(), errf = h_temp_file();
    if (r->stdin_text) {
        in = h_temp_file();
        if (write(in, r->stdin_text, strlen(r->stdin_text)) < 0 || lseek(in, 0, SEEK_SET) != 0) in = -1;
    }
    isorun_wasi_options *o = isorun_wasi_options_new();
    char argv0[256];
    snprintf(argv0, sizeof argv0, "%s.wasm", r->guest);
    const char *argv[17] = {argv0};
    int argc = 1;
    while (argc < 17 && r->args[argc - 1]) {
        argv[argc] = r->args[argc - 1];
        argc++;
    }
    err = isorun_wasi_set_args(o, argc, argv);
    for (int i = 0; !err && i < 8 && r->env[i]; i++) err = isorun_wasi_add_env(o, r->env[i]);
    isorun_wasi_set_stdio(o, in, out, errf);
    for (int i = 0; !err && i < r->nmounts; i++)
        err = isorun_wasi_mount(o, r->mounts[i].host, r->mounts[i].guest, r->mounts[i].flags);
    isorun_wasi_allow(o, r->grants);
    isorun_system_component *wasi = NULL;
    if (!err) {
        err = isorun_wasi_new(o, &wasi);
    } else {
        isorun_wasi_options_free(o);
    }
    isorun_builder *b = err ? NULL : isorun_builder_new(h_runtime, m);
    if (!err && !b) err = isorun_error_new(ISORUN_ERR_NOMEM, "builder");
    if (!err) err = isorun_builder_add_system(b, wasi);
    isorun_instance *inst = NULL;
    if (!err) err = isorun_builder_instantiate(b, &inst);
    bool started = !err;
    if (!err) err = isorun_instance_call(inst, "_start", NULL, 0, NULL, 0);
    r->code = isorun_error_code_of(err);
    r->exit_code = isorun_error_exit_code(err);
    if (err) snprintf(r->message, sizeof r->message, "%s", isorun_error_message(err));
    isorun_error_free(err);
    isorun_instance_free(inst);
    isorun_builder_free(b);
    isorun_system_free(wasi);
    isorun_module_free(m);
    r->out = h_slurp_fd(out);
    r->err = h_slurp_fd(errf);
    close(out);
    close(errf);
    if (in >= 0) close(in);
    if (!started) {
        check_record(0, file, line, "the guest is instantiated");
        fprintf(stderr, "    %s\n", r->message);
    }
    return started;
}
#define RUN_GUEST(r) h_run_guest_at((r), __FILE__, __LINE__)

static inline void h_run_free(h_run *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Checks that the run ended normally with status `status` (0: _start
 * returned or exited with 0), printing what the guest said otherwise. */
static inline void h_expect_status_at(const h_run *r, int status, const char *file, int line) {
    bool ok = status == 0 ? (r->code == ISORUN_ERR_OK || (r->code == ISORUN_ERR_EXIT && r->exit_code == 0))
                          : (r->code == ISORUN_ERR_EXIT && r->exit_code == status);
    check_record(ok, file, line, "the guest ends with the expected status");
    if (!ok) {
        fprintf(stderr, "    %s %s: %s: %s (exit %d), expected status %d\n", r->guest, r->args[0] ? r->args[0] : "",
                isorun_error_code_name(r->code), r->message, r->exit_code, status);
        fprintf(stderr, "    guest stdout:\n%s    guest stderr:\n%s", r->out ? r->out : "", r->err ? r->err : "");
    }
}
#define EXPECT_STATUS(r, status) h_expect_status_at((r), (status), __FILE__, __LINE__)

/* Runs case `name` of a multi-case guest with one read-write mount of dir
 * at /data, and checks that every expectation in the guest held. */
static inline void h_case_at(const char *guest, const char *name, const char *dir, unsigned grants, const char *file,
                             int line) {
    h_run r = {.guest = guest, .args = {name}, .grants = grants};
    if (dir) {
        r.mounts[0] = (h_mount){dir, "/data", 0};
        r.nmounts = 1;
    }
    if (h_run_guest_at(&r, file, line)) h_expect_status_at(&r, 0, file, line);
    h_run_free(&r);
}
#define GUEST_CASE(guest, name, dir, grants) h_case_at((guest), (name), (dir), (grants), __FILE__, __LINE__)

/* Frees the shared runtime; call before check_summary. */
static inline void h_done(void) {
    isorun_runtime_free(h_runtime);
    h_runtime = NULL;
}

/* Guests are built only where clang can target wasm32-wasi: tests report
 * themselves skipped (77) otherwise. */
static inline bool h_guests_built(void) {
#if ISORUN_C_GUESTS_BUILT
    return true;
#else
    printf("skipped: C guests are not built in this configuration\n");
    return false;
#endif
}

#endif /* ISORUN_TEST_WASI_HARNESS_H */
