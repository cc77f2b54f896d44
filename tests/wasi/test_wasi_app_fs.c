/*
 * test_wasi_app_fs.c — an application guest (guests/app_fs.c, plain libc)
 * reads and writes files in its mount through the public API the way an
 * embedder sets it up — isorun_wasi_options + isorun_wasi_mount +
 * isorun_wasi_new, granted on an isorun_builder — and cannot reach outside:
 * the host checks the bytes on disk, and that the files next to the mount
 * were neither read into the output nor changed.
 */
#include "wasi_harness.h"

static void test_app_reads_and_writes_its_mount(void) {
    char *root = h_temp_dir();
    REQUIRE(root);
    char mount[1024];
    snprintf(mount, sizeof mount, "%s/mount", root);
    REQUIRE(mkdir(mount, 0755) == 0 && mkdir(h_path(mount, "input"), 0755) == 0);
    const char *a = "The quick brown fox jumps over the lazy dog.\nThe dog sleeps.\n";
    const char *b = "A fox, a dog, and THE end\n";
    REQUIRE(h_write_file(h_path(mount, "input/a.txt"), a, strlen(a)));
    REQUIRE(h_write_file(h_path(mount, "input/b.txt"), b, strlen(b)));
    REQUIRE(h_write_file(h_path(mount, "input/ignored.dat"), "zzz", 3));
    REQUIRE(h_write_file(h_path(mount, "log.txt"), "started\n", 8));
    /* Next to the mount: a secret, and a link in the mount pointing at it. */
    REQUIRE(h_write_file(h_path(root, "secret.txt"), "TOP SECRET\n", 11));
    REQUIRE(symlink("..", h_path(mount, "escape")) == 0);

    isorun_runtime *rt = NULL;
    REQUIRE(isorun_runtime_new(NULL, &rt) == NULL);
    isorun_module *m = NULL;
    isorun_error *err = isorun_module_load_file(rt, ISORUN_GUEST_DIR "/wasi_app_fs.wasm", &m);
    REQUIRE(err == NULL);

    int out = h_temp_file();
    REQUIRE(out >= 0);
    isorun_wasi_options *o = isorun_wasi_options_new();
    REQUIRE(o);
    const char *argv[] = {"app_fs"};
    REQUIRE(isorun_wasi_set_args(o, 1, argv) == NULL);
    isorun_wasi_set_stdio(o, -1, out, out);
    REQUIRE(isorun_wasi_mount(o, mount, "/data", 0) == NULL);
    isorun_system_component *wasi = NULL;
    REQUIRE(isorun_wasi_new(o, &wasi) == NULL);
    isorun_builder *b_ = isorun_builder_new(rt, m);
    REQUIRE(b_);
    REQUIRE(isorun_builder_add_system(b_, wasi) == NULL);
    isorun_instance *inst = NULL;
    err = isorun_builder_instantiate(b_, &inst);
    REQUIRE(err == NULL);
    err = isorun_instance_call(inst, "_start", NULL, 0, NULL, 0);
    char *said = h_slurp_fd(out);
    if (err) fprintf(stderr, "    %s\n    guest said:\n%s", isorun_error_message(err), said ? said : "");
    CHECK(err == NULL);
    isorun_error_free(err);

    /* The bytes on disk. */
    CHECK(h_file_is(h_path(mount, "output/report.txt"),
                    "files: 2\nwords: 19\ndistinct: 12\nthe 4\ndog 3\na 2\nfox 2\nand 1\n"));
    CHECK(!h_exists(h_path(mount, "output/report.tmp")));
    CHECK(h_file_is(h_path(mount, "log.txt"), "started\ncounted 19 words in 2 files\n"));
    CHECK(h_file_is(h_path(mount, "input/a.txt"), a));
    CHECK(h_file_is(h_path(mount, "input/b.txt"), b));
    /* Outside: untouched, and never read. */
    CHECK(h_file_is(h_path(root, "secret.txt"), "TOP SECRET\n"));
    CHECK(!h_exists(h_path(root, "planted.txt")));
    CHECK(said && strstr(said, "refused 5 of 5\n") && !strstr(said, "SECRET") && !strstr(said, "LEAKED"));
    free(said);
    close(out);

    isorun_instance_free(inst);
    isorun_builder_free(b_);
    isorun_system_free(wasi);
    isorun_module_free(m);
    isorun_runtime_free(rt);
    h_rm_rf(root);
    free(root);
}

int main(void) {
    if (!h_guests_built()) return 77;
    RUN(test_app_reads_and_writes_its_mount);
    return check_summary();
}
