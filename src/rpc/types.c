/* types.c — value types: the scalar singletons, building and freeing trees,
 * and the canonical text both ends of a call hash into a fingerprint. */
#include "rpc.h"

#include <stdlib.h>
#include <string.h>

/* Scalars are immutable and shared, so a core signature needs no
 * allocation. Indexed by isorun_kind. */
#define SCALAR(k, size) [k] = {.kind = k, .min_size = size}
static const rpc_type scalars[ISORUN_KIND_COUNT_] = {
    SCALAR(ISORUN_I32, 1),  SCALAR(ISORUN_I64, 1),  SCALAR(ISORUN_F32, 4),  SCALAR(ISORUN_F64, 8),
    SCALAR(ISORUN_BOOL, 1), SCALAR(ISORUN_S8, 1),   SCALAR(ISORUN_U8, 1),   SCALAR(ISORUN_S16, 1),
    SCALAR(ISORUN_U16, 1),  SCALAR(ISORUN_S32, 1),  SCALAR(ISORUN_U32, 1),  SCALAR(ISORUN_S64, 1),
    SCALAR(ISORUN_U64, 1),  SCALAR(ISORUN_CHAR, 1), SCALAR(ISORUN_STRING, 1),
};
#undef SCALAR

/* Canonical keywords of the scalar kinds. */
static const char *const scalar_names[ISORUN_KIND_COUNT_] = {
    [ISORUN_I32] = "i32",   [ISORUN_I64] = "i64",   [ISORUN_F32] = "f32",   [ISORUN_F64] = "f64",
    [ISORUN_BOOL] = "bool", [ISORUN_S8] = "s8",     [ISORUN_U8] = "u8",     [ISORUN_S16] = "s16",
    [ISORUN_U16] = "u16",   [ISORUN_S32] = "s32",   [ISORUN_U32] = "u32",   [ISORUN_S64] = "s64",
    [ISORUN_U64] = "u64",   [ISORUN_CHAR] = "char", [ISORUN_STRING] = "string",
};

static bool is_scalar_kind(isorun_kind k) { return (unsigned)k < ISORUN_KIND_COUNT_ && scalar_names[k] != NULL; }

const rpc_type *rpc_type_scalar(isorun_kind kind) { return is_scalar_kind(kind) ? &scalars[kind] : NULL; }

const char *rpc_scalar_keyword(isorun_kind kind) { return is_scalar_kind(kind) ? scalar_names[kind] : NULL; }

void rpc_type_free(rpc_type *t) {
    if (!t || is_scalar_kind(t->kind)) return;
    uint32_t nmembers = t->members ? t->count : 0;
    for (uint32_t i = 0; i < nmembers; i++) rpc_type_free((rpc_type *)t->members[i]);
    uint32_t nnames = (t->kind == ISORUN_OWN || t->kind == ISORUN_BORROW) ? 1 : t->count;
    if (t->names)
        for (uint32_t i = 0; i < nnames; i++) free(t->names[i]);
    free(t->members);
    free(t->names);
    free(t);
}

uint64_t rpc_fnv1a64(const void *p, size_t n) {
    /* FNV-1a, 64 bits: the protocol fixes this hash (protocol.md), so it is
     * spelled out here rather than borrowed from a layer that may change its
     * own hash for its own reasons. */
    const uint8_t *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- printing ------------------------------------------------------------- */

static bool print_names_only(isr_buf *b, const char *keyword, const rpc_type *t) {
    if (!isr_buf_printf(b, "%s{", keyword)) return false;
    for (uint32_t i = 0; i < t->count; i++)
        if (!isr_buf_printf(b, "%s%s", i ? "," : "", t->names[i])) return false;
    return isr_buf_append(b, "}", 1);
}

bool rpc_type_print(isr_buf *b, const rpc_type *t) {
    if (is_scalar_kind(t->kind)) return isr_buf_printf(b, "%s", scalar_names[t->kind]);
    switch (t->kind) {
    case ISORUN_LIST:
    case ISORUN_OPTION:
        return isr_buf_printf(b, "%s<", t->kind == ISORUN_LIST ? "list" : "option") &&
               rpc_type_print(b, t->members[0]) && isr_buf_append(b, ">", 1);
    case ISORUN_RESULT: {
        const rpc_type *ok = t->members[0], *error = t->members[1];
        if (!isr_buf_printf(b, "result")) return false;
        if (!ok && !error) return true;
        if (!isr_buf_append(b, "<", 1)) return false;
        if (ok ? !rpc_type_print(b, ok) : !isr_buf_append(b, "_", 1)) return false;
        if (error && !(isr_buf_append(b, ",", 1) && rpc_type_print(b, error))) return false;
        return isr_buf_append(b, ">", 1);
    }
    case ISORUN_TUPLE:
        if (!isr_buf_printf(b, "tuple<")) return false;
        for (uint32_t i = 0; i < t->count; i++)
            if (!((i == 0 || isr_buf_append(b, ",", 1)) && rpc_type_print(b, t->members[i]))) return false;
        return isr_buf_append(b, ">", 1);
    case ISORUN_RECORD:
        if (!isr_buf_printf(b, "record{")) return false;
        for (uint32_t i = 0; i < t->count; i++)
            if (!(isr_buf_printf(b, "%s%s:", i ? "," : "", t->names[i]) && rpc_type_print(b, t->members[i])))
                return false;
        return isr_buf_append(b, "}", 1);
    case ISORUN_VARIANT:
        if (!isr_buf_printf(b, "variant{")) return false;
        for (uint32_t i = 0; i < t->count; i++) {
            if (!isr_buf_printf(b, "%s%s", i ? "," : "", t->names[i])) return false;
            if (t->members[i] &&
                !(isr_buf_append(b, "(", 1) && rpc_type_print(b, t->members[i]) && isr_buf_append(b, ")", 1)))
                return false;
        }
        return isr_buf_append(b, "}", 1);
    case ISORUN_ENUM: return print_names_only(b, "enum", t);
    case ISORUN_FLAGS: return print_names_only(b, "flags", t);
    case ISORUN_OWN:
    case ISORUN_BORROW:
        return isr_buf_printf(b, "%s<%s>", t->kind == ISORUN_OWN ? "own" : "borrow", t->names[0]);
    default: return false;
    }
}

bool rpc_functype_print(isr_buf *b, const rpc_functype *ft) {
    if (!isr_buf_printf(b, "func(")) return false;
    for (uint32_t i = 0; i < ft->nparams; i++)
        if (!((i == 0 || isr_buf_append(b, ",", 1)) && rpc_type_print(b, ft->params[i]))) return false;
    if (!isr_buf_printf(b, ")->(")) return false;
    for (uint32_t i = 0; i < ft->nresults; i++)
        if (!((i == 0 || isr_buf_append(b, ",", 1)) && rpc_type_print(b, ft->results[i]))) return false;
    return isr_buf_append(b, ")", 1);
}

isorun_error *rpc_functype_fingerprint(const rpc_functype *ft, uint64_t *out) {
    isr_buf b = {0};
    if (!rpc_functype_print(&b, ft)) {
        isr_buf_free(&b);
        return isr_error_nomem();
    }
    *out = rpc_fnv1a64(b.data, b.len);
    isr_buf_free(&b);
    return NULL;
}

isorun_error *rpc_functype_of_core(const isorun_functype *core, const rpc_type **storage, rpc_functype *out) {
    for (uint32_t i = 0; i < core->nparams + core->nresults; i++) {
        isorun_kind k = i < core->nparams ? core->params[i] : core->results[i - core->nparams];
        switch (k) {
        case ISORUN_I32: case ISORUN_S32: case ISORUN_U32: k = ISORUN_I32; break;
        case ISORUN_I64: case ISORUN_S64: case ISORUN_U64: k = ISORUN_I64; break;
        case ISORUN_F32: case ISORUN_F64: break;
        default:
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "a core signature cannot have a %s %s",
                             isorun_kind_name(k), i < core->nparams ? "parameter" : "result");
        }
        storage[i] = &scalars[k];
    }
    out->nparams = core->nparams;
    out->nresults = core->nresults;
    out->params = storage;
    out->results = storage + core->nparams;
    return NULL;
}
