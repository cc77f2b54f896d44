/* canon_lower.c — lowering: from host values to a core call's flat values
 * and the guest's memory (CanonicalABI.md "Storing", "Flat Lowering",
 * lower_flat_values). A host value is checked against its type completely
 * before anything reaches the guest, so a mismatch leaves guest memory as it
 * was; what the guest's realloc returns is checked like any guest pointer. */
#include "canon_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CANONICAL_F32_NAN 0x7fc00000u
#define CANONICAL_F64_NAN 0x7ff8000000000000ull

/* ---- checking host values ---------------------------------------------------- */


static isorun_error *check(const cm_abi *a, const isorun_val *v);

static isorun_error *list_too_long(size_t n, uint32_t elem_size) {
    return isr_trap(ISORUN_TRAP_RESOURCE_LIMIT, "canonical ABI: a list of %zu elements of %" PRIu32
                    " bytes is larger than 4 GiB", n, elem_size);
}

static isorun_error *string_too_long(size_t n) {
    return isr_trap(ISORUN_TRAP_RESOURCE_LIMIT, "canonical ABI: a string of %zu bytes is longer than the ABI allows "
                    "(%u)", n, CM_CANON_MAX_STRING_BYTES);
}

static isorun_error *check_items(const cm_abi *a, const isorun_val *v) {
    const cm_type *t = a->type;
    if (v->of.seq.len && !v->of.seq.items)
        return isr_error(ISORUN_ERR_ARGUMENT, "a %s value with a length but no items", isorun_kind_name(t->kind));
    size_t bytes;
    if (t->kind == ISORUN_LIST && (!isr_mul_size(v->of.seq.len, a->children[0].size, &bytes) || bytes > UINT32_MAX))
        return list_too_long(v->of.seq.len, a->children[0].size); /* the spec traps; before any guest effect here */
    if (t->kind != ISORUN_LIST && v->of.seq.len != t->count)
        return isr_error(ISORUN_ERR_TYPE_MISMATCH, "a %s of %" PRIu32 " members was given %zu values",
                         isorun_kind_name(t->kind), t->count, v->of.seq.len);
    for (size_t i = 0; i < v->of.seq.len; i++) {
        const cm_abi *member = t->kind == ISORUN_LIST ? &a->children[0] : &a->children[i];
        isorun_error *err = check(member, &v->of.seq.items[i]);
        if (!err) continue;
        if (t->kind == ISORUN_LIST) return isr_error_wrap(err, "list element %zu", i);
        if (t->kind == ISORUN_RECORD) return isr_error_wrap(err, "field %s", t->names[i]);
        return isr_error_wrap(err, "member %zu", i);
    }
    return NULL;
}

static isorun_error *check(const cm_abi *a, const isorun_val *v) {
    const cm_type *t = a->type;
    if (!cm_kind_fits(t->kind, v->kind)) return cm_type_mismatch(t, v);
    switch (t->kind) {
    case ISORUN_CHAR:
        if (v->of.ch >= 0x110000 || (v->of.ch >= 0xD800 && v->of.ch <= 0xDFFF))
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "char U+%" PRIX32 " is not a Unicode scalar value", v->of.ch);
        return NULL;
    case ISORUN_STRING:
        if (v->of.string.len && !v->of.string.data)
            return isr_error(ISORUN_ERR_ARGUMENT, "a string value with a length but no data");
        if (v->of.string.len > CM_CANON_MAX_STRING_BYTES) return string_too_long(v->of.string.len);
        if (v->of.string.len && !isr_utf8_valid((const uint8_t *)v->of.string.data, v->of.string.len))
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "the string is not valid UTF-8");
        return NULL;
    case ISORUN_LIST:
    case ISORUN_RECORD:
    case ISORUN_TUPLE: return check_items(a, v);
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT: {
        uint32_t tag = v->of.variant.tag;
        if (tag >= a->nchildren)
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "case %" PRIu32 " of a %s with %" PRIu32 " cases", tag,
                             isorun_kind_name(t->kind), a->nchildren);
        const cm_abi *c = &a->children[tag];
        const char *name = canon_case_name(a, tag);
        if (!c->type && v->of.variant.payload)
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "case %s has no payload, but one was given", name);
        if (c->type && !v->of.variant.payload)
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "case %s needs a payload, but none was given", name);
        isorun_error *err = c->type ? check(c, v->of.variant.payload) : NULL;
        return err ? isr_error_wrap(err, "case %s", name) : NULL;
    }
    case ISORUN_FLAGS:
        if (v->of.flags.count != t->count)
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "flags of %" PRIu32 " names were given a %" PRIu32 "-flag value",
                             t->count, v->of.flags.count);
        if (!v->of.flags.words) return isr_error(ISORUN_ERR_ARGUMENT, "a flags value without words");
        if (t->count < 64 && v->of.flags.words[0] >> t->count)
            return isr_error(ISORUN_ERR_TYPE_MISMATCH, "a flag past the type's %" PRIu32 " flags is set", t->count);
        return NULL;
    default: return NULL; /* the other scalars: any bits are a value */
    }
}

/* ---- guest memory ------------------------------------------------------------ */

/* Writes the n (1, 2, 4 or 8) low bytes of bits at ptr, little-endian. */
static isorun_error *put(canon_cx *cx, uint64_t ptr, uint64_t bits, uint32_t n) {
    if (!canon_in_bounds(cx, ptr, n)) return canon_out_of_bounds(cx, "a value", ptr, n);
    for (uint32_t i = 0; i < n; i++) cx->base[ptr + i] = (uint8_t)(bits >> (8 * i));
    return NULL;
}

/* realloc(0, 0, align, size) in the guest, then the checks the spec makes
 * on what it returns. The memory may have moved: the view is refreshed. */
static isorun_error *guest_alloc(canon_cx *cx, uint32_t align, uint64_t size, const char *what, uint32_t *out) {
    if (!cx->mem || !cx->mem->realloc || !cx->mem->view)
        return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: lowering %s needs the guest's memory and realloc", what);
    uint32_t ptr = 0;
    isorun_error *err = cx->mem->realloc(cx->mem->env, 0, 0, align, (uint32_t)size, &ptr);
    canon_view(cx);
    if (err) return err;
    if (ptr % align)
        return isr_trap(CANON_TRAP_INVALID, "canonical ABI: realloc returned 0x%" PRIx32 " for %s, which is not %" PRIu32
                        "-byte aligned", ptr, what, align);
    if (!canon_in_bounds(cx, ptr, size))
        return isr_trap(ISORUN_TRAP_MEMORY_OOB, "canonical ABI: realloc returned 0x%" PRIx32 " for %s of %" PRIu64
                        " bytes, outside the guest's memory (%" PRIu64 " bytes)", ptr, what, size, cx->size);
    *out = ptr;
    return NULL;
}

/* store_string_copy (utf8 to utf8). */
static isorun_error *lower_string(canon_cx *cx, const isorun_val *v, uint32_t *ptr, uint32_t *len) {
    size_t n = v->of.string.len;
    if (n > CM_CANON_MAX_STRING_BYTES) return string_too_long(n);
    isorun_error *err = guest_alloc(cx, 1, n, "a string", ptr);
    if (err) return err;
    if (n) memcpy(cx->base + *ptr, v->of.string.data, n);
    *len = (uint32_t)n;
    return NULL;
}

static isorun_error *store(canon_cx *cx, const cm_abi *a, const isorun_val *v, uint64_t ptr);

/* store_list_into_range. */
static isorun_error *lower_list(canon_cx *cx, const cm_abi *a, const isorun_val *v, uint32_t *ptr, uint32_t *len) {
    const cm_abi *elem = &a->children[0];
    size_t n = v->of.seq.len, bytes;
    if (!isr_mul_size(n, elem->size, &bytes) || bytes > UINT32_MAX) return list_too_long(n, elem->size);
    isorun_error *err = guest_alloc(cx, elem->align, bytes, "a list", ptr);
    if (err) return err;
    for (size_t i = 0; i < n; i++) {
        err = store(cx, elem, &v->of.seq.items[i], (uint64_t)*ptr + (uint64_t)i * elem->size);
        if (err) return isr_error_wrap(err, "list element %zu", i);
    }
    *len = (uint32_t)n;
    return NULL;
}

/* A scalar's (or flags') bits: what lower_flat gives (i32 ones zero-extended
 * from their 32-bit two's complement), whose low bytes are also what store
 * writes. NaNs become the canonical NaN. */
static uint64_t scalar_bits(const cm_abi *a, const isorun_val *v) {
    switch (a->type->kind) {
    case ISORUN_BOOL: return v->of.b ? 1 : 0;
    case ISORUN_S8: return (uint32_t)(int32_t)v->of.s8;
    case ISORUN_U8: return v->of.u8;
    case ISORUN_S16: return (uint32_t)(int32_t)v->of.s16;
    case ISORUN_U16: return v->of.u16;
    case ISORUN_I32: /* I32, S32, U32 values share the storage */
    case ISORUN_S32:
    case ISORUN_U32: return v->of.u32;
    case ISORUN_CHAR: return v->of.ch;
    case ISORUN_I64:
    case ISORUN_S64:
    case ISORUN_U64: return v->of.u64;
    case ISORUN_F32: {
        uint32_t b;
        memcpy(&b, &v->of.f32, 4);
        return isnan(v->of.f32) ? CANONICAL_F32_NAN : b;
    }
    case ISORUN_F64: {
        uint64_t b;
        memcpy(&b, &v->of.f64, 8);
        return isnan(v->of.f64) ? CANONICAL_F64_NAN : b;
    }
    case ISORUN_FLAGS: return v->of.flags.words[0] & 0xFFFFFFFFu; /* checked: no bit past the last flag */
    default: return 0;
    }
}

static bool has_bits(isorun_kind k) { return k <= ISORUN_CHAR || k == ISORUN_FLAGS; }

/* store(): v has passed check(); ptr is aligned and in bounds as far as the
 * caller knows (each write checks again: a realloc may have changed memory). */
static isorun_error *store(canon_cx *cx, const cm_abi *a, const isorun_val *v, uint64_t ptr) {
    isorun_kind k = a->type->kind;
    isorun_error *err;
    uint32_t begin, len;
    if (has_bits(k)) return put(cx, ptr, scalar_bits(a, v), k == ISORUN_FLAGS ? a->disc_size : a->size);
    switch (k) {
    case ISORUN_STRING:
    case ISORUN_LIST:
        err = k == ISORUN_STRING ? lower_string(cx, v, &begin, &len) : lower_list(cx, a, v, &begin, &len);
        if (!err) err = put(cx, ptr, begin, 4);
        if (!err) err = put(cx, ptr + 4, len, 4);
        return err;
    case ISORUN_RECORD:
    case ISORUN_TUPLE:
        for (uint32_t i = 0; i < a->nchildren; i++) {
            const cm_abi *field = &a->children[i];
            if ((err = store(cx, field, &v->of.seq.items[i], ptr + field->offset))) {
                if (k == ISORUN_RECORD) return isr_error_wrap(err, "field %s", a->type->names[i]);
                return isr_error_wrap(err, "member %" PRIu32, i);
            }
        }
        return NULL;
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT: {
        uint32_t tag = v->of.variant.tag;
        if ((err = put(cx, ptr, tag, a->disc_size))) return err;
        const cm_abi *c = &a->children[tag];
        if (!c->type) return NULL;
        err = store(cx, c, v->of.variant.payload, ptr + a->payload_offset);
        return err ? isr_error_wrap(err, "case %s", canon_case_name(a, tag)) : NULL;
    }
    default: return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: cannot lower a %s", isorun_kind_name(k));
    }
}

/* lower_flat: writes a->nflat values to flat. v has passed check(). */
static isorun_error *lower_flat(canon_cx *cx, const cm_abi *a, const isorun_val *v, uint64_t *flat) {
    isorun_kind k = a->type->kind;
    isorun_error *err;
    uint32_t begin, len;
    if (has_bits(k)) {
        flat[0] = scalar_bits(a, v);
        return NULL;
    }
    switch (k) {
    case ISORUN_STRING:
    case ISORUN_LIST:
        err = k == ISORUN_STRING ? lower_string(cx, v, &begin, &len) : lower_list(cx, a, v, &begin, &len);
        if (err) return err;
        flat[0] = begin;
        flat[1] = len;
        return NULL;
    case ISORUN_RECORD:
    case ISORUN_TUPLE: {
        uint32_t pos = 0;
        for (uint32_t i = 0; i < a->nchildren; i++) {
            const cm_abi *field = &a->children[i];
            if ((err = lower_flat(cx, field, &v->of.seq.items[i], flat + pos))) {
                if (k == ISORUN_RECORD) return isr_error_wrap(err, "field %s", a->type->names[i]);
                return isr_error_wrap(err, "member %" PRIu32, i);
            }
            pos += field->nflat;
        }
        return NULL;
    }
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT: {
        /* The discriminant, the payload's own flat values, zeros up to the
         * variant's joined width. Coercing a payload value to the joined
         * type (f32 -> i32, i32/f32/f64 -> i64) keeps its bit pattern, which
         * is what a slot already holds: i32 and f32 zero-extended. */
        uint32_t tag = v->of.variant.tag;
        const cm_abi *c = &a->children[tag];
        flat[0] = tag;
        uint32_t used = 1;
        if (c->type) {
            if ((err = lower_flat(cx, c, v->of.variant.payload, flat + 1)))
                return isr_error_wrap(err, "case %s", canon_case_name(a, tag));
            used += c->nflat;
        }
        for (uint32_t i = used; i < a->nflat; i++) flat[i] = 0;
        return NULL;
    }
    default: return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: cannot lower a %s", isorun_kind_name(k));
    }
}

/* ---- entry points ---------------------------------------------------------- */

static isorun_error *begin(canon_cx *cx, const cm_memory *mem, bool needs_memory, bool needs_realloc) {
    cx->mem = mem;
    if ((needs_memory || needs_realloc) && (!mem || !mem->view))
        return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: these values need the guest's memory, and none was given");
    if (needs_realloc && !mem->realloc)
        return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: these values need the guest's realloc, and none was given");
    canon_view(cx);
    return NULL;
}

static isorun_error *check_all(const cm_abi *layouts, uint32_t n, const isorun_val *vals, const char *what) {
    for (uint32_t i = 0; i < n; i++) {
        isorun_error *err = check(&layouts[i], &vals[i]);
        if (err) return isr_error_wrap(err, "%s %" PRIu32, what, i);
    }
    return NULL;
}

isorun_error *cm_canon_store(const cm_abi *a, const cm_memory *mem, const isorun_val *v, uint32_t ptr) {
    canon_cx cx;
    isorun_error *err = check(a, v);
    if (!err) err = begin(&cx, mem, true, a->uses_memory);
    if (err) return err;
    if (ptr % a->align)
        return canon_misaligned("a value", ptr, a->align);
    if (!canon_in_bounds(&cx, ptr, a->size)) return canon_out_of_bounds(&cx, "a value", ptr, a->size);
    return store(&cx, a, v, ptr);
}

isorun_error *cm_canon_lower_flat(const cm_abi *a, const cm_memory *mem, const isorun_val *v, uint64_t *flat) {
    if (a->nflat == CM_ABI_MANY_FLAT)
        return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: this type has too many flat values to travel flat");
    canon_cx cx;
    isorun_error *err = check(a, v);
    if (!err) err = begin(&cx, mem, a->uses_memory, a->uses_memory);
    return err ? err : lower_flat(&cx, a, v, flat);
}

/* lower_flat_values: n values flat into flat[], or, when they spill, into a
 * tuple at tuple_ptr (already checked). */
static isorun_error *lower_values(canon_cx *cx, const cm_abi *layouts, uint32_t n, const isorun_val *vals,
                                  bool spill, uint32_t tuple_ptr, uint64_t *flat, const char *what) {
    uint32_t pos = 0;
    for (uint32_t i = 0; i < n; i++) {
        isorun_error *err;
        if (spill) {
            err = store(cx, &layouts[i], &vals[i], (uint64_t)tuple_ptr + layouts[i].offset);
        } else {
            err = lower_flat(cx, &layouts[i], &vals[i], flat + pos);
            pos += layouts[i].nflat;
        }
        if (err) return isr_error_wrap(err, "%s %" PRIu32, what, i);
    }
    return NULL;
}

isorun_error *cm_canon_lower_params(const cm_canon_func *f, const cm_memory *mem, const isorun_val *args,
                                    uint64_t *flat_args) {
    canon_cx cx;
    isorun_error *err = check_all(f->params, f->type.nparams, args, "parameter");
    if (!err) err = begin(&cx, mem, f->needs_memory, f->lift_needs_realloc);
    if (err) return err;
    uint32_t ptr = 0;
    if (f->params_spill) {
        /* lower_heap_values without an out-param: the callee's realloc
         * makes room for the tuple first. */
        if ((err = guest_alloc(&cx, f->params_align, f->params_size, "the parameters' tuple", &ptr))) return err;
        flat_args[0] = ptr;
    }
    return lower_values(&cx, f->params, f->type.nparams, args, f->params_spill, ptr, flat_args, "parameter");
}

isorun_error *cm_canon_lower_results(const cm_canon_func *f, const cm_memory *mem, const isorun_val *results,
                                     const uint64_t *flat_args, uint64_t *flat_results) {
    canon_cx cx;
    isorun_error *err = check_all(f->results, f->type.nresults, results, "result");
    if (!err) err = begin(&cx, mem, f->needs_memory, f->lower_needs_realloc);
    if (err) return err;
    uint32_t ptr = 0;
    if (f->results_spill) {
        /* lower_heap_values with the caller's out-param (its last flat
         * argument): checked like any guest pointer. */
        ptr = (uint32_t)flat_args[f->lower_core.nparams - 1];
        if (ptr % f->results_align)
            return isr_trap(CANON_TRAP_INVALID, "canonical ABI: the results' out-pointer 0x%" PRIx32
                            " is not %" PRIu32 "-byte aligned", ptr, f->results_align);
        if (!canon_in_bounds(&cx, ptr, f->results_size))
            return canon_out_of_bounds(&cx, "the results' out-pointer", ptr, f->results_size);
    }
    return lower_values(&cx, f->results, f->type.nresults, results, f->results_spill, ptr, flat_results, "result");
}
