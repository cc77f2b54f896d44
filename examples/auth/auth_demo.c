/*
 * auth_demo.c — example:auth from a host program: the host accepts one
 * token; the guest's protected operation runs for it and not for another.
 *
 *   auth_demo path/to/auth_guest.wasm
 */
#include "auth.h"

#include <stdio.h>
#include <string.h>

static isorun_error *attempt(isorun_instance *inst, const char *token, int32_t *out) {
    isorun_error *err = isorun_instance_write_memory(inst, 1024, token, strlen(token));
    isorun_val args[2] = {isorun_val_i32(1024), isorun_val_i32((int32_t)strlen(token))}, res;
    if (!err) err = isorun_instance_call(inst, "protected_op", args, 2, &res, 1);
    if (!err) *out = res.of.i32;
    return err;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: auth_demo path/to/auth_guest.wasm\n");
        return 2;
    }
    const char *accepted[] = {"s3cret"};
    isorun_runtime *rt = NULL;
    isorun_module *m = NULL;
    isorun_system_component *auth = NULL;
    isorun_builder *b = NULL;
    isorun_instance *inst = NULL;
    isorun_error *err = isorun_runtime_new(NULL, &rt);
    if (!err) err = isorun_module_load_file(rt, argv[1], &m);
    if (!err) err = example_auth_new(accepted, 1, 0, &auth);
    if (!err && !(b = isorun_builder_new(rt, m))) err = isorun_error_new(ISORUN_ERR_NOMEM, "no builder");
    if (!err) err = isorun_builder_add_system(b, auth);
    if (!err) err = isorun_builder_instantiate(b, &inst);
    int32_t good = 0, bad = 0;
    if (!err) err = attempt(inst, "s3cret", &good);
    if (!err) err = attempt(inst, "guess", &bad);
    int status;
    if (err) {
        fprintf(stderr, "auth_demo: %s\n", isorun_error_message(err));
        isorun_error_free(err);
        status = 1;
    } else {
        printf("with the accepted token the protected operation returns %d; with another, %d\n", good, bad);
        status = good == 42 && bad == -1 ? 0 : 1;
    }
    isorun_instance_free(inst);
    isorun_builder_free(b);
    isorun_system_free(auth);
    isorun_module_free(m);
    isorun_runtime_free(rt);
    return status;
}
