/* resolve.c — turns a "wasi_snapshot_preview1" import into a host function,
 * from the one table in functions.h. */
#include "internal.h"

#include <string.h>

typedef struct wasi_function {
    const char *name;
    const char *params;  /* 'i' = i32, 'I' = i64 */
    const char *results;
    wasm_host_fn handler;
    wasi_capability capability;
} wasi_function;

static const wasi_function wasi_functions[] = {
#define WASI_X_ENTRY(name, params, results, handler, cap) {#name, params, results, handler, WASI_CAP_##cap},
    WASI_FUNCTION_LIST(WASI_X_ENTRY)
#undef WASI_X_ENTRY
};

#define WASI_MAX_ARITY 16 /* longest signature: path_open, 9 params + 1 result */

bool wasi_is_module(const char *module, size_t len) {
    return module && len == sizeof WASI_MODULE_NAME - 1 && memcmp(module, WASI_MODULE_NAME, len) == 0;
}

static const wasi_function *find_function(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof wasi_functions / sizeof wasi_functions[0]; i++)
        if (strlen(wasi_functions[i].name) == len && memcmp(wasi_functions[i].name, name, len) == 0)
            return &wasi_functions[i];
    return NULL;
}

/* Builds the wasm_functype of a table entry into caller-provided storage. */
static wasm_functype entry_type(const wasi_function *f, uint8_t types[WASI_MAX_ARITY]) {
    size_t np = strlen(f->params), nr = strlen(f->results);
    for (size_t i = 0; i < np + nr; i++) {
        char c = i < np ? f->params[i] : f->results[i - np];
        types[i] = c == 'I' ? WASM_I64 : WASM_I32;
    }
    return (wasm_functype){(uint32_t)np, (uint32_t)nr, types};
}

static bool same_type(const wasm_functype *a, const wasm_functype *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           memcmp(a->types, b->types, (size_t)a->nparams + a->nresults) == 0;
}

/* "(i32 i64) -> (i32)" into buf. */
static void describe_type(const wasm_functype *t, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
#define APPEND(s)                                                                                  \
    do {                                                                                           \
        size_t n_ = strlen(s);                                                                     \
        if (used + n_ < size) {                                                                    \
            memcpy(buf + used, s, n_ + 1);                                                         \
            used += n_;                                                                            \
        }                                                                                          \
    } while (0)
    APPEND("(");
    for (uint32_t i = 0; i < t->nparams + t->nresults; i++) {
        if (i == t->nparams) APPEND(") -> (");
        else if (i > 0) APPEND(" ");
        APPEND(wasm_valtype_name(t->types[i]));
    }
    if (t->nparams + t->nresults == t->nparams) APPEND(") -> (");
    APPEND(")");
#undef APPEND
}

isorun_error *wasi_import_func(wasi_ctx *ctx, wasm_store *s, const char *name, size_t name_len,
                               const wasm_functype *expected, wasm_func **out) {
    *out = NULL;
    const wasi_function *f = find_function(name, name_len);
    if (!f)
        return isr_error(ISORUN_ERR_UNLINKABLE, "unknown import %s.%.*s%s: not a WASI preview 1 function",
                         WASI_MODULE_NAME, (int)(name_len > 200 ? 200 : name_len), name,
                         memchr(name, 0, name_len) ? "\\0..." : "");
    name = f->name; /* the table's copy: NUL-terminated for the messages below */
    uint8_t types[WASI_MAX_ARITY];
    wasm_functype type = entry_type(f, types);
    if (expected && !same_type(expected, &type)) {
        char want[128], got[128];
        describe_type(&type, want, sizeof want);
        describe_type(expected, got, sizeof got);
        return isr_error(ISORUN_ERR_UNLINKABLE, "import %s.%s has type %s but WASI defines it as %s",
                         WASI_MODULE_NAME, name, got, want);
    }
    wasm_host_fn handler = f->handler;
    if (!wasi_ctx_granted(ctx, f->capability)) {
        if (ctx->strict_imports)
            return isr_error(ISORUN_ERR_UNLINKABLE,
                             "import %s.%s needs the \"%s\" capability, which was not granted",
                             WASI_MODULE_NAME, name, wasi_capability_name(f->capability));
        handler = wasi_fn_notcapable;
    }
    *out = wasm_func_new_host(s, &type, handler, ctx, NULL);
    return *out ? NULL : isr_error_nomem();
}
