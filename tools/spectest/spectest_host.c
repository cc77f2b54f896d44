/* spectest_host.c — the objects of the "spectest" host module. */
#include "spectest_host.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct print_signature {
    const char *name;
    uint32_t nparams;
    uint8_t params[2];
} print_signature;

static const print_signature print_signatures[] = {
    {"print", 0, {0, 0}},
    {"print_i32", 1, {WASM_I32, 0}},
    {"print_i64", 1, {WASM_I64, 0}},
    {"print_f32", 1, {WASM_F32, 0}},
    {"print_f64", 1, {WASM_F64, 0}},
    {"print_i32_f32", 2, {WASM_I32, WASM_F32}},
    {"print_f64_f64", 2, {WASM_F64, WASM_F64}},
};

typedef struct print_env {
    const print_signature *sig;
    bool verbose;
} print_env;

/* The tests call these only for their side effect, so printing is opt-in:
 * the runner's stdout is otherwise reserved for failure lines. */
static isorun_error *print_host(wasm_call_ctx *ctx, void *env, wasm_slot *slots) {
    const print_env *pe = env;
    if (!pe->verbose) return NULL;
    printf("  spectest.%s(", pe->sig->name);
    for (uint32_t i = 0; i < pe->sig->nparams; i++) {
        char text[96];
        spec_slot_format(pe->sig->params[i], slots[i], text, sizeof text);
        printf("%s%s", i ? ", " : "", text);
    }
    printf(")\n");
    return NULL;
}

static bool add_export(spectest_host *host, size_t *n, const char *name, wasm_extern item) {
    bool made = item.u.func != NULL; /* every member of the union is a pointer */
    if (made && *n < SPECTEST_EXPORT_COUNT) host->exports[(*n)++] = (spectest_export){name, item};
    return made;
}

bool spectest_host_init(spectest_host *host, wasm_store *s, bool verbose) {
    memset(host, 0, sizeof *host);
    size_t n = 0;
    for (size_t i = 0; i < sizeof print_signatures / sizeof print_signatures[0]; i++) {
        const print_signature *sig = &print_signatures[i];
        print_env *env = malloc(sizeof *env);
        if (!env) return false;
        *env = (print_env){sig, verbose};
        uint8_t types[2] = {sig->params[0], sig->params[1]};
        wasm_functype type = {sig->nparams, 0, types};
        wasm_func *f = wasm_func_new_host(s, &type, print_host, env, free);
        if (!f) {
            free(env);
            return false;
        }
        if (!add_export(host, &n, sig->name, (wasm_extern){WASM_EXTERN_FUNC, {.func = f}})) return false;
    }

    float f32_value = 666.6f;
    double f64_value = 666.6;
    uint32_t f32_bits;
    uint64_t f64_bits;
    memcpy(&f32_bits, &f32_value, sizeof f32_bits);
    memcpy(&f64_bits, &f64_value, sizeof f64_bits);
    struct {
        const char *name;
        uint8_t type;
        wasm_slot value;
    } globals[] = {
        {"global_i32", WASM_I32, 666},
        {"global_i64", WASM_I64, 666},
        {"global_f32", WASM_F32, f32_bits},
        {"global_f64", WASM_F64, f64_bits},
    };
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        wasm_global *g = wasm_global_new(s, (wasm_globaltype){globals[i].type, false}, globals[i].value);
        if (!add_export(host, &n, globals[i].name, (wasm_extern){WASM_EXTERN_GLOBAL, {.global = g}}))
            return false;
    }

    wasm_table *t = wasm_table_new(s, (wasm_tabletype){WASM_FUNCREF, {10, 20, true}}, 0);
    if (!add_export(host, &n, "table", (wasm_extern){WASM_EXTERN_TABLE, {.table = t}})) return false;
    wasm_memory *m = wasm_memory_new(s, (wasm_limits){1, 2, true});
    if (!add_export(host, &n, "memory", (wasm_extern){WASM_EXTERN_MEMORY, {.memory = m}})) return false;
    return n == SPECTEST_EXPORT_COUNT;
}

bool spectest_host_lookup(const spectest_host *host, const char *name, size_t name_len, wasm_extern *out) {
    for (size_t i = 0; i < SPECTEST_EXPORT_COUNT; i++) {
        const spectest_export *e = &host->exports[i];
        if (e->name && strlen(e->name) == name_len && memcmp(e->name, name, name_len) == 0) {
            *out = e->item;
            return true;
        }
    }
    return false;
}
