/*
 * kv_demo.c — example:kv from a host program: two instances of the kv guest
 * share one namespace, so what one stores the other reads; a third, with a
 * private namespace, sees nothing.
 *
 *   kv_demo path/to/kv_guest.wasm
 */
#include "kv.h"

#include <stdio.h>

static int fail(isorun_error *err) {
    fprintf(stderr, "kv_demo: %s\n", isorun_error_message(err));
    isorun_error_free(err);
    return 1;
}

static isorun_error *make(isorun_runtime *rt, isorun_module *m, isorun_system_component *kv, isorun_instance **out) {
    isorun_builder *b = isorun_builder_new(rt, m);
    if (!b) return isorun_error_new(ISORUN_ERR_NOMEM, "no builder");
    isorun_error *err = isorun_builder_add_system(b, kv);
    if (!err) err = isorun_builder_instantiate(b, out);
    isorun_builder_free(b);
    return err;
}

static isorun_error *call(isorun_instance *inst, const char *name, int32_t a, int32_t b, size_t nargs, int32_t *out) {
    isorun_val args[2] = {isorun_val_i32(a), isorun_val_i32(b)}, res;
    isorun_error *err = isorun_instance_call(inst, name, args, nargs, &res, 1);
    if (!err) *out = res.of.i32;
    return err;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: kv_demo path/to/kv_guest.wasm\n");
        return 2;
    }
    isorun_runtime *rt = NULL;
    isorun_module *m = NULL;
    isorun_system_component *shared = NULL, *private_kv = NULL;
    isorun_instance *writer = NULL, *reader = NULL, *loner = NULL;
    isorun_error *err = isorun_runtime_new(NULL, &rt);
    if (!err) err = isorun_module_load_file(rt, argv[1], &m);
    if (!err) err = example_kv_new(&(example_kv_options){.shared = true}, &shared);
    if (!err) err = example_kv_new(NULL, &private_kv);
    if (!err) err = make(rt, m, shared, &writer);
    if (!err) err = make(rt, m, shared, &reader);
    if (!err) err = make(rt, m, private_kv, &loner);
    int32_t r = 0, seen = 0, sum = 0, alone = 0;
    if (!err) err = call(writer, "put", 1, 20, 2, &r);
    if (!err) err = call(writer, "put", 2, 22, 2, &r);
    if (!err) err = call(reader, "get", 2, 0, 1, &seen);
    if (!err) err = call(reader, "sum_listed", 0, 0, 0, &sum);
    if (!err) err = call(loner, "get", 2, 0, 1, &alone);
    int status = 0;
    if (err) {
        status = fail(err);
    } else {
        printf("reader sees key-2 = %d; the listed values add up to %d; a private namespace gets %d (not found)\n",
               seen, sum, alone);
        status = seen == 22 && sum == 42 && alone == KV_ENOENT ? 0 : 1;
    }
    isorun_instance_free(writer);
    isorun_instance_free(reader);
    isorun_instance_free(loner);
    isorun_system_free(shared);
    isorun_system_free(private_kv);
    isorun_module_free(m);
    isorun_runtime_free(rt);
    return status;
}
