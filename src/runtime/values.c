/*
 * values.c — isorun_val: construction, deep copy and freeing of the
 * component-model value, kind names, and the mapping between core values and
 * the engine's 64-bit slots.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

const char *isorun_kind_name(isorun_kind kind) {
    static const char *const names[ISORUN_KIND_COUNT_] = {
        [ISORUN_I32] = "i32",       [ISORUN_I64] = "i64",       [ISORUN_F32] = "f32",
        [ISORUN_F64] = "f64",       [ISORUN_BOOL] = "bool",     [ISORUN_S8] = "s8",
        [ISORUN_U8] = "u8",         [ISORUN_S16] = "s16",       [ISORUN_U16] = "u16",
        [ISORUN_S32] = "s32",       [ISORUN_U32] = "u32",       [ISORUN_S64] = "s64",
        [ISORUN_U64] = "u64",       [ISORUN_CHAR] = "char",     [ISORUN_STRING] = "string",
        [ISORUN_LIST] = "list",     [ISORUN_RECORD] = "record", [ISORUN_TUPLE] = "tuple",
        [ISORUN_VARIANT] = "variant", [ISORUN_ENUM] = "enum",   [ISORUN_OPTION] = "option",
        [ISORUN_RESULT] = "result", [ISORUN_FLAGS] = "flags",   [ISORUN_OWN] = "own",
        [ISORUN_BORROW] = "borrow",
    };
    switch (kind) {
    case ISORUN_V128: return "v128";
    case ISORUN_FUNCREF: return "funcref";
    case ISORUN_EXTERNREF: return "externref";
    default: break;
    }
    if ((unsigned)kind >= ISORUN_KIND_COUNT_) return "?";
    return names[kind];
}

isorun_error *isorun_val_string(isorun_val *out, const char *s, size_t len) {
    if (!out) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_val_string: out is NULL");
    *out = isorun_val_i32(0);
    if (!s && len) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_val_string: NULL string with length %zu", len);
    if (len && !isr_utf8_valid((const uint8_t *)s, len))
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_val_string: the %zu bytes are not valid UTF-8", len);
    char *copy = isr_strndup(len ? s : "", len);
    if (!copy) return isr_error_nomem();
    out->kind = ISORUN_STRING;
    out->of.string.data = copy;
    out->of.string.len = len;
    return NULL;
}

void isorun_val_free(isorun_val *v) {
    if (!v) return;
    switch (v->kind) {
    case ISORUN_STRING: free(v->of.string.data); break;
    case ISORUN_LIST:
    case ISORUN_RECORD:
    case ISORUN_TUPLE:
        for (size_t i = 0; i < v->of.seq.len && v->of.seq.items; i++) isorun_val_free(&v->of.seq.items[i]);
        free(v->of.seq.items);
        break;
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT:
        if (v->of.variant.payload) {
            isorun_val_free(v->of.variant.payload);
            free(v->of.variant.payload);
        }
        break;
    case ISORUN_FLAGS: free(v->of.flags.words); break;
    default: break;
    }
    *v = isorun_val_i32(0);
}

/* Copies what v owns into out (whose scalar part is already a copy of v);
 * on failure out owns nothing more than what was copied so far. */
static bool copy_owned(isorun_val *out, const isorun_val *v) {
    switch (v->kind) {
    case ISORUN_STRING: {
        out->of.string.data = isr_strndup(v->of.string.data ? v->of.string.data : "", v->of.string.len);
        return out->of.string.data != NULL;
    }
    case ISORUN_LIST:
    case ISORUN_RECORD:
    case ISORUN_TUPLE: {
        size_t n = v->of.seq.len;
        out->of.seq.items = NULL;
        out->of.seq.len = 0;
        if (!n) return true;
        isorun_val *items = calloc(n, sizeof *items);
        if (!items) return false;
        out->of.seq.items = items;
        for (size_t i = 0; i < n; i++) {
            if (isorun_val_copy(&items[i], &v->of.seq.items[i])) return false;
            out->of.seq.len = i + 1;
        }
        return true;
    }
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT: {
        out->of.variant.payload = NULL;
        if (!v->of.variant.payload) return true;
        isorun_val *p = calloc(1, sizeof *p);
        if (!p) return false;
        out->of.variant.payload = p;
        *p = isorun_val_i32(0);
        isorun_error *err = isorun_val_copy(p, v->of.variant.payload);
        if (err) {
            isorun_error_free(err);
            return false;
        }
        return true;
    }
    case ISORUN_FLAGS: {
        size_t words = (v->of.flags.count + 63u) / 64u;
        out->of.flags.words = NULL;
        if (!words) return true;
        out->of.flags.words = malloc(words * sizeof(uint64_t));
        if (!out->of.flags.words) return false;
        memcpy(out->of.flags.words, v->of.flags.words, words * sizeof(uint64_t));
        return true;
    }
    default: return true;
    }
}

isorun_error *isorun_val_copy(isorun_val *out, const isorun_val *v) {
    if (!out || !v) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_val_copy: NULL value");
    *out = *v;
    if (!copy_owned(out, v)) {
        isorun_val_free(out);
        return isr_error_nomem();
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Core values <-> slots
 * ------------------------------------------------------------------------ */

bool isr_kind_of_valtype(uint8_t valtype, isorun_kind *out) {
    switch (valtype) {
    case WASM_I32: *out = ISORUN_I32; return true;
    case WASM_I64: *out = ISORUN_I64; return true;
    case WASM_F32: *out = ISORUN_F32; return true;
    case WASM_F64: *out = ISORUN_F64; return true;
    default: return false;
    }
}

uint8_t isr_valtype_of_kind(isorun_kind kind) {
    switch (kind) {
    case ISORUN_I32:
    case ISORUN_S32:
    case ISORUN_U32: return WASM_I32;
    case ISORUN_I64:
    case ISORUN_S64:
    case ISORUN_U64: return WASM_I64;
    case ISORUN_F32: return WASM_F32;
    case ISORUN_F64: return WASM_F64;
    default: return 0;
    }
}

isorun_val isr_val_of_slot(uint8_t valtype, wasm_slot slot) {
    isorun_val v;
    switch (valtype) {
    case WASM_I64: v.kind = ISORUN_I64; v.of.i64 = (int64_t)slot; break;
    case WASM_F32: {
        uint32_t bits = (uint32_t)slot;
        v.kind = ISORUN_F32;
        memcpy(&v.of.f32, &bits, 4);
        break;
    }
    case WASM_F64: v.kind = ISORUN_F64; memcpy(&v.of.f64, &slot, 8); break;
    default: v.kind = ISORUN_I32; v.of.i32 = (int32_t)(uint32_t)slot; break;
    }
    return v;
}

wasm_slot isr_slot_of_val(const isorun_val *v) {
    switch (v->kind) {
    case ISORUN_I32: return (uint32_t)v->of.i32;
    case ISORUN_S32: return (uint32_t)v->of.s32;
    case ISORUN_U32: return v->of.u32;
    case ISORUN_I64: return (uint64_t)v->of.i64;
    case ISORUN_S64: return (uint64_t)v->of.s64;
    case ISORUN_U64: return v->of.u64;
    case ISORUN_F32: {
        uint32_t bits;
        memcpy(&bits, &v->of.f32, 4);
        return bits;
    }
    case ISORUN_F64: {
        uint64_t bits;
        memcpy(&bits, &v->of.f64, 8);
        return bits;
    }
    default: return 0;
    }
}
