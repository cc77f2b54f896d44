/* types.c — value types: the scalar singletons, freeing trees, their
 * canonical text, and the type of a core signature. */
#include "component.h"

#include <stdlib.h>
#include <string.h>

/* Scalars are immutable and shared, so a core signature needs no
 * allocation. Indexed by isorun_kind. */
#define SCALAR(k, size) [k] = {.kind = k, .min_size = size}
static const cm_type scalars[ISORUN_KIND_COUNT_] = {
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

const cm_type *cm_type_scalar(isorun_kind kind) { return is_scalar_kind(kind) ? &scalars[kind] : NULL; }

const char *cm_scalar_keyword(isorun_kind kind) { return is_scalar_kind(kind) ? scalar_names[kind] : NULL; }

void cm_type_free(cm_type *t) {
    if (!t || is_scalar_kind(t->kind)) return;
    uint32_t nmembers = t->members ? t->count : 0;
    for (uint32_t i = 0; i < nmembers; i++) cm_type_free((cm_type *)t->members[i]);
    uint32_t nnames = (t->kind == ISORUN_OWN || t->kind == ISORUN_BORROW) ? 1 : t->count;
    if (t->names)
        for (uint32_t i = 0; i < nnames; i++) free(t->names[i]);
    free(t->members);
    free(t->names);
    free(t);
}

/* ---- printing ------------------------------------------------------------- */

static bool print_names_only(isr_buf *b, const char *keyword, const cm_type *t) {
    if (!isr_buf_printf(b, "%s{", keyword)) return false;
    for (uint32_t i = 0; i < t->count; i++)
        if (!isr_buf_printf(b, "%s%s", i ? "," : "", t->names[i])) return false;
    return isr_buf_append(b, "}", 1);
}

bool cm_type_print(isr_buf *b, const cm_type *t) {
    if (is_scalar_kind(t->kind)) return isr_buf_printf(b, "%s", scalar_names[t->kind]);
    switch (t->kind) {
    case ISORUN_LIST:
    case ISORUN_OPTION:
        return isr_buf_printf(b, "%s<", t->kind == ISORUN_LIST ? "list" : "option") &&
               cm_type_print(b, t->members[0]) && isr_buf_append(b, ">", 1);
    case ISORUN_RESULT: {
        const cm_type *ok = t->members[0], *error = t->members[1];
        if (!isr_buf_printf(b, "result")) return false;
        if (!ok && !error) return true;
        if (!isr_buf_append(b, "<", 1)) return false;
        if (ok ? !cm_type_print(b, ok) : !isr_buf_append(b, "_", 1)) return false;
        if (error && !(isr_buf_append(b, ",", 1) && cm_type_print(b, error))) return false;
        return isr_buf_append(b, ">", 1);
    }
    case ISORUN_TUPLE:
        if (!isr_buf_printf(b, "tuple<")) return false;
        for (uint32_t i = 0; i < t->count; i++)
            if (!((i == 0 || isr_buf_append(b, ",", 1)) && cm_type_print(b, t->members[i]))) return false;
        return isr_buf_append(b, ">", 1);
    case ISORUN_RECORD:
        if (!isr_buf_printf(b, "record{")) return false;
        for (uint32_t i = 0; i < t->count; i++)
            if (!(isr_buf_printf(b, "%s%s:", i ? "," : "", t->names[i]) && cm_type_print(b, t->members[i])))
                return false;
        return isr_buf_append(b, "}", 1);
    case ISORUN_VARIANT:
        if (!isr_buf_printf(b, "variant{")) return false;
        for (uint32_t i = 0; i < t->count; i++) {
            if (!isr_buf_printf(b, "%s%s", i ? "," : "", t->names[i])) return false;
            if (t->members[i] &&
                !(isr_buf_append(b, "(", 1) && cm_type_print(b, t->members[i]) && isr_buf_append(b, ")", 1)))
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

bool cm_functype_print(isr_buf *b, const cm_functype *ft) {
    if (!isr_buf_printf(b, "func(")) return false;
    for (uint32_t i = 0; i < ft->nparams; i++)
        if (!((i == 0 || isr_buf_append(b, ",", 1)) && cm_type_print(b, ft->params[i]))) return false;
    if (!isr_buf_printf(b, ")->(")) return false;
    for (uint32_t i = 0; i < ft->nresults; i++)
        if (!((i == 0 || isr_buf_append(b, ",", 1)) && cm_type_print(b, ft->results[i]))) return false;
    return isr_buf_append(b, ")", 1);
}

isorun_error *cm_functype_of_core(const isorun_functype *core, const cm_type **storage, cm_functype *out) {
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

bool cm_kind_fits(isorun_kind type, isorun_kind value) {
    if (type == ISORUN_I32) return value == ISORUN_I32 || value == ISORUN_S32 || value == ISORUN_U32;
    if (type == ISORUN_I64) return value == ISORUN_I64 || value == ISORUN_S64 || value == ISORUN_U64;
    return type == value;
}

isorun_error *cm_type_mismatch(const cm_type *t, const isorun_val *v) {
    isr_buf b = {0};
    const char *want = cm_type_print(&b, t) && isr_buf_append(&b, "", 1) ? (const char *)b.data : "?";
    isorun_error *err = isr_error(ISORUN_ERR_TYPE_MISMATCH, "expected a value of type %s, got a %s value", want,
                                  isorun_kind_name(v->kind));
    isr_buf_free(&b);
    return err;
}
