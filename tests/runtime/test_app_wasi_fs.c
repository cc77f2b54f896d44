/*
 * test_app_wasi_fs.c — a WASI guest given a mounted directory through the
 * API (isorun_wasi_* + isorun_builder_add_system): it reads and writes files
 * in its mount (checked on the host's disk), cannot reach anything outside
 * it (dot-dot, absolute paths, symlinks), and cannot write to a read-only
 * mount.
 */
#include "rt_helpers.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sandbox {
    char root[256]; /* a fresh temporary directory */
    char mount[300]; /* root/mnt, what the guest sees as /data */
} sandbox;

static void path_in(const sandbox *sb, const char *rel, char *out, size_t size) {
    snprintf(out, size, "%s/%s", sb->root, rel);
}

static void write_host_file(const sandbox *sb, const char *rel, const char *text) {
    char path[512];
    path_in(sb, rel, path, sizeof path);
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    fputs(text, f);
    fclose(f);
}

/* The file's contents (up to 255 bytes), or "" when it cannot be read. */
static const char *read_host_file(const sandbox *sb, const char *rel, char *buf, size_t size) {
    char path[512];
    path_in(sb, rel, path, sizeof path);
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return buf;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static bool host_file_exists(const sandbox *sb, const char *rel) {
    char path[512];
    struct stat st;
    path_in(sb, rel, path, sizeof path);
    return lstat(path, &st) == 0;
}

static void sandbox_make(sandbox *sb) {
    snprintf(sb->root, sizeof sb->root, "%s/isorun-wasi-fs-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    REQUIRE(mkdtemp(sb->root) != NULL);
    snprintf(sb->mount, sizeof sb->mount, "%s/mnt", sb->root);
    REQUIRE(mkdir(sb->mount, 0755) == 0);
    write_host_file(sb, "secret.txt", "outside the mount\n");
    write_host_file(sb, "mnt/in.txt", "hello, files\n");
    char link[512];
    path_in(sb, "mnt/link-out", link, sizeof link);
    REQUIRE(symlink("../secret.txt", link) == 0);
    path_in(sb, "mnt/dir-out", link, sizeof link);
    REQUIRE(symlink("..", link) == 0);
}

static void sandbox_remove(const sandbox *sb) {
    static const char *const files[] = {"mnt/sub/nested.txt", "mnt/sub", "mnt/in.txt", "mnt/out.txt",
                                        "mnt/upper.txt",      "mnt/new.txt", "mnt/link-out", "mnt/dir-out",
                                        "mnt",                "secret.txt", "planted.txt"};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        path_in(sb, files[i], path, sizeof path);
        if (remove(path) != 0 && errno != ENOENT) fprintf(stderr, "    cannot remove %s\n", path);
    }
    if (rmdir(sb->root) != 0) fprintf(stderr, "    cannot remove %s\n", sb->root);
}

/* Runs the guest's main with argument `mode`, /data mounted with flags;
 * returns its exit status (0 when main returned 0), or -1 on any other error. */
static int run_guest(isorun_runtime *rt, isorun_module *m, const sandbox *sb, const char *mode, unsigned flags) {
    isorun_wasi_options *o = isorun_wasi_options_new();
    REQUIRE(o);
    const char *argv[] = {"rt_wasi_files", mode};
    REQUIRE_OK(isorun_wasi_set_args(o, 2, argv));
    REQUIRE_OK(isorun_wasi_mount(o, sb->mount, "/data", flags));
    isorun_system_component *wasi = NULL;
    REQUIRE_OK(isorun_wasi_new(o, &wasi));
    isorun_builder *b = isorun_builder_new(rt, m);
    REQUIRE_OK(isorun_builder_add_system(b, wasi));
    isorun_system_free(wasi);
    isorun_instance *inst = NULL;
    isorun_error *err = isorun_builder_instantiate(b, &inst);
    isorun_builder_free(b);
    REQUIRE_OK(err);
    err = isorun_instance_call(inst, "_start", NULL, 0, NULL, 0);
    isorun_instance_free(inst);
    if (!err) return 0;
    int status = isorun_error_code_of(err) == ISORUN_ERR_EXIT ? isorun_error_exit_code(err) : -1;
    if (status < 0) fprintf(stderr, "    %s: %s\n", mode, isorun_error_message(err));
    isorun_error_free(err);
    return status;
}

static void test_reads_and_writes_in_mount(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_C(rt, "rt_wasi_files");
    if (!m) goto done;
    sandbox sb;
    sandbox_make(&sb);
    char buf[256];

    CHECK_EQ_INT(run_guest(rt, m, &sb, "write", 0), 0);
    CHECK(strcmp(read_host_file(&sb, "mnt/upper.txt", buf, sizeof buf), "HELLO, FILES\n") == 0);
    CHECK(strcmp(read_host_file(&sb, "mnt/out.txt", buf, sizeof buf), "written by the guest\n") == 0);
    CHECK(strcmp(read_host_file(&sb, "mnt/sub/nested.txt", buf, sizeof buf), "nested\n") == 0);

    /* No road leads out; nothing was planted outside; the secret is intact. */
    CHECK_EQ_INT(run_guest(rt, m, &sb, "escape", 0), 0);
    CHECK(!host_file_exists(&sb, "planted.txt"));
    CHECK(strcmp(read_host_file(&sb, "secret.txt", buf, sizeof buf), "outside the mount\n") == 0);

    /* A read-only mount can be read, not written. */
    CHECK_EQ_INT(run_guest(rt, m, &sb, "readonly", ISORUN_WASI_READ_ONLY), 0);
    CHECK(!host_file_exists(&sb, "mnt/new.txt"));
    /* ...while a writable one can (the same guest code then fails with 21). */
    CHECK_EQ_INT(run_guest(rt, m, &sb, "readonly", 0), 21);
    CHECK(host_file_exists(&sb, "mnt/new.txt"));

    sandbox_remove(&sb);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static void test_nothing_without_a_mount(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_C(rt, "rt_wasi_files");
    if (!m) goto done;
    /* WASI granted, no directory: /data does not exist for the guest. */
    isorun_wasi_options *o = isorun_wasi_options_new();
    const char *argv[] = {"rt_wasi_files", "write"};
    REQUIRE_OK(isorun_wasi_set_args(o, 2, argv));
    isorun_system_component *wasi = NULL;
    REQUIRE_OK(isorun_wasi_new(o, &wasi));
    isorun_builder *b = isorun_builder_new(rt, m);
    REQUIRE_OK(isorun_builder_add_system(b, wasi));
    isorun_system_free(wasi);
    isorun_instance *inst = NULL;
    REQUIRE_OK(isorun_builder_instantiate(b, &inst));
    isorun_builder_free(b);
    isorun_error *err = isorun_instance_call(inst, "_start", NULL, 0, NULL, 0);
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_EXIT);
    CHECK_EQ_INT(isorun_error_exit_code(err), 10); /* in.txt could not be opened */
    isorun_error_free(err);
    isorun_instance_free(inst);
    /* A host directory that does not exist cannot be mounted. */
    o = isorun_wasi_options_new();
    EXPECT_ERROR(isorun_wasi_mount(o, "/nonexistent/isorun-dir", "/data", 0), ISORUN_ERR_IO, NULL);
    isorun_wasi_options_free(o);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

int main(void) {
    RUN(test_reads_and_writes_in_mount);
    RUN(test_nothing_without_a_mount);
    return rt_summary();
}
