/*
 * embed.c — the flagship demo through the library instead of the CLI: a
 * provider instance granted nothing, and a WASI consumer with one mounted
 * directory, a budget, and its "example:stats/ops" imports linked locally to
 * the provider. The README shows this program.
 *
 * usage: embed_demo stats_provider.wasm report.wasm DATA_DIR
 * (DATA_DIR/numbers.txt is read; DATA_DIR/report.txt is written)
 */
#include <isorun.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s stats_provider.wasm report.wasm DATA_DIR\n", argv[0]);
        return 2;
    }
    isorun_error *err = NULL;
    isorun_runtime *rt = NULL;
    isorun_module *pm = NULL, *cm = NULL;
    isorun_instance *provider = NULL, *app = NULL;
    isorun_system_component *wasi = NULL;
    if ((err = isorun_runtime_new(NULL, &rt))) goto out;
    if ((err = isorun_module_load_file(rt, argv[1], &pm))) goto out;
    if ((err = isorun_module_load_file(rt, argv[2], &cm))) goto out;

    isorun_builder *pb = isorun_builder_new(rt, pm);          /* granted nothing */
    err = isorun_builder_instantiate(pb, &provider);
    isorun_builder_free(pb);
    if (err) goto out;

    isorun_wasi_options *o = isorun_wasi_options_new();
    const char *guest_argv[] = {"report", "/data/numbers.txt", "/data/report.txt"};
    if ((err = isorun_wasi_set_args(o, 3, guest_argv)) || (err = isorun_wasi_mount(o, argv[3], "/data", 0))) {
        isorun_wasi_options_free(o);
        goto out;
    }
    if ((err = isorun_wasi_new(o, &wasi))) goto out;          /* takes o */

    isorun_builder *b = isorun_builder_new(rt, cm);
    isorun_budget budget = {.max_memory_bytes = 16 << 20, .fuel = 1000000000, .deadline_ns = 5000000000};
    isorun_builder_set_budget(b, &budget);
    if (!(err = isorun_builder_add_system(b, wasi)) &&
        !(err = isorun_builder_link_local(b, "example:stats/ops", provider)))
        err = isorun_builder_instantiate(b, &app);
    isorun_builder_free(b);
    if (!err) err = isorun_instance_call(app, "_start", NULL, 0, NULL, 0);
out:
    if (err) fprintf(stderr, "%s: %s\n", isorun_error_code_name(isorun_error_code_of(err)), isorun_error_message(err));
    int status = isorun_error_code_of(err) == ISORUN_ERR_EXIT ? isorun_error_exit_code(err) : err != NULL;
    isorun_error_free(err);
    isorun_instance_free(app);
    isorun_instance_free(provider);
    isorun_system_free(wasi);
    isorun_module_free(cm);
    isorun_module_free(pm);
    isorun_runtime_free(rt);
    return status;
}
