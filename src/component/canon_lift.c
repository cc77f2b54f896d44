/* canon_lift.c — lifting: from a core call's flat values and the guest's
 * memory to host values (CanonicalABI.md "Loading", "Flat Lifting",
 * lift_flat_values). Nothing the guest gives is trusted: every range is
 * checked against the memory, every pointer against its alignment, every
 * discriminant, char and string against what the type allows, and the
 * bytes read through pointers against the lift budget. */
#include "canon_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANONICAL_F32_NAN 0x7fc00000u
#define CANONICAL_F64_NAN 0x7ff8000000000000ull

/* Checks a range the guest points to and charges it to the lift budget. */
static isorun_error *take_range(canon_cx *cx, const char *what, uint64_t ptr, uint64_t len) {
    if (!canon_in_bounds(cx, ptr, len)) return canon_out_of_bounds(cx, what, ptr, len);
    if (len > cx->budget)
        return isr_trap(ISORUN_TRAP_RESOURCE_LIMIT,
                        "canonical ABI: the values lifted in one call read more than their budget of guest memory");
    cx->budget -= len;
    return NULL;
}

/* n (1, 2, 4 or 8) little-endian bytes at ptr, bounds-checked. */
static isorun_error *read_int(const canon_cx *cx, uint64_t ptr, uint32_t n, uint64_t *out) {
    if (!canon_in_bounds(cx, ptr, n)) return canon_out_of_bounds(cx, "a value", ptr, n);
    uint64_t v = 0;
    for (uint32_t i = 0; i < n; i++) v |= (uint64_t)cx->base[ptr + i] << (8 * i);
    *out = v;
    return NULL;
}

/* A scalar of a's kind from its bits: the bytes loaded from memory, or the
 * flat value (i32 ones already cut to 32 bits). Narrow integers wrap, as
 * lift_flat_unsigned/signed do; NaNs become the canonical NaN. */
static isorun_error *scalar_from_bits(const cm_abi *a, uint64_t bits, isorun_val *out) {
    isorun_kind k = a->type->kind;
    out->kind = k;
    switch (k) {
    case ISORUN_BOOL: out->of.b = bits != 0; break;
    case ISORUN_S8: out->of.s8 = (int8_t)(uint8_t)bits; break;
    case ISORUN_U8: out->of.u8 = (uint8_t)bits; break;
    case ISORUN_S16: out->of.s16 = (int16_t)(uint16_t)bits; break;
    case ISORUN_U16: out->of.u16 = (uint16_t)bits; break;
    case ISORUN_I32:
    case ISORUN_S32: out->of.s32 = (int32_t)(uint32_t)bits; break;
    case ISORUN_U32: out->of.u32 = (uint32_t)bits; break;
    case ISORUN_I64:
    case ISORUN_S64: out->of.s64 = (int64_t)bits; break;
    case ISORUN_U64: out->of.u64 = bits; break;
    case ISORUN_F32: {
        uint32_t b32 = (uint32_t)bits;
        float f;
        memcpy(&f, &b32, 4);
        if (isnan(f)) {
            b32 = CANONICAL_F32_NAN;
            memcpy(&f, &b32, 4);
        }
        out->of.f32 = f;
        break;
    }
    case ISORUN_F64: {
        double d;
        memcpy(&d, &bits, 8);
        if (isnan(d)) {
            bits = CANONICAL_F64_NAN;
            memcpy(&d, &bits, 8);
        }
        out->of.f64 = d;
        break;
    }
    case ISORUN_CHAR: {
        uint32_t c = (uint32_t)bits;
        if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF)) {
            *out = isorun_val_i32(0);
            return isr_trap(CANON_TRAP_INVALID, "canonical ABI: char 0x%" PRIx32 " is not a Unicode scalar value", c);
        }
        out->of.ch = c;
        break;
    }
    default:
        *out = isorun_val_i32(0);
        return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: %s is not a scalar", isorun_kind_name(k));
    }
    return NULL;
}

static bool is_scalar(isorun_kind k) {
    return k <= ISORUN_CHAR; /* I32 ... F64, BOOL ... U64, CHAR */
}

/* Flags from their packed bits; bits past the last flag are ignored, as
 * unpack_flags_from_int does. */
static isorun_error *flags_from_bits(const cm_abi *a, uint64_t bits, isorun_val *out) {
    uint32_t n = a->type->count;
    uint64_t *words = malloc(sizeof *words);
    if (!words) return isr_error_nomem();
    words[0] = bits & (n >= 64 ? ~0ull : ((1ull << n) - 1));
    out->kind = ISORUN_FLAGS;
    out->of.flags.words = words;
    out->of.flags.count = n;
    return NULL;
}

static isorun_error *lift_string(canon_cx *cx, uint32_t ptr, uint32_t len, isorun_val *out) {
    /* utf8: alignment 1, byte length = code units. */
    isorun_error *err = take_range(cx, "a string", ptr, len);
    if (err) return err;
    const uint8_t *src = len ? cx->base + ptr : (const uint8_t *)"";
    if (!isr_utf8_valid(src, len))
        return isr_trap(CANON_TRAP_INVALID, "canonical ABI: the string at 0x%" PRIx32 " (%" PRIu32
                        " bytes) is not valid UTF-8", ptr, len);
    char *copy = malloc((size_t)len + 1);
    if (!copy) return isr_error_nomem();
    if (len) memcpy(copy, src, len);
    copy[len] = '\0';
    out->kind = ISORUN_STRING;
    out->of.string.data = copy;
    out->of.string.len = len;
    return NULL;
}

static isorun_error *load(canon_cx *cx, const cm_abi *a, uint64_t ptr, isorun_val *out);

/* load_list_from_range: the elements' alignment, then their bounds. */
static isorun_error *lift_list(canon_cx *cx, const cm_abi *a, uint32_t ptr, uint32_t len, isorun_val *out) {
    const cm_abi *elem = &a->children[0];
    if (ptr % elem->align) return canon_misaligned("a list", ptr, elem->align);
    uint64_t bytes = (uint64_t)len * elem->size; /* < 2^64: both factors < 2^32 */
    isorun_error *err = take_range(cx, "a list", ptr, bytes);
    if (err) return err;
    out->kind = ISORUN_LIST;
    out->of.seq.items = NULL;
    out->of.seq.len = 0;
    if (len == 0) return NULL;
    /* len <= bytes <= the memory's size: elements have a size of at least 1. */
    isorun_val *items = calloc(len, sizeof *items);
    if (!items) return isr_error_nomem();
    out->of.seq.items = items;
    out->of.seq.len = len;
    for (uint32_t i = 0; i < len; i++) {
        err = load(cx, elem, (uint64_t)ptr + (uint64_t)i * elem->size, &items[i]);
        if (err) return isr_error_wrap(err, "list element %" PRIu32, i);
    }
    return NULL;
}

/* A record's or tuple's item array, all I32 zero (so a partial one frees). */
static isorun_error *begin_seq(const cm_abi *a, isorun_val *out) {
    isorun_val *items = calloc(a->nchildren, sizeof *items);
    if (!items) return isr_error_nomem();
    out->kind = a->type->kind;
    out->of.seq.items = items;
    out->of.seq.len = a->nchildren;
    return NULL;
}

static isorun_error *wrap_member(isorun_error *err, const cm_abi *a, uint32_t i) {
    if (a->type->kind == ISORUN_RECORD) return isr_error_wrap(err, "field %s", a->type->names[i]);
    return isr_error_wrap(err, "member %" PRIu32, i);
}

/* A variant-like value of case disc, with a payload box (I32 zero) when the
 * case has a payload type; *payload_abi is that case's layout or NULL. */
static isorun_error *begin_variant(const cm_abi *a, uint64_t disc, isorun_val *out, const cm_abi **payload_abi) {
    *payload_abi = NULL;
    if (disc >= a->nchildren)
        return isr_trap(CANON_TRAP_INVALID, "canonical ABI: discriminant %" PRIu64 " of a%s %s with %" PRIu32 " cases",
                        disc, a->type->kind == ISORUN_ENUM || a->type->kind == ISORUN_OPTION ? "n" : "",
                        isorun_kind_name(a->type->kind), a->nchildren);
    out->kind = a->type->kind;
    out->of.variant.tag = (uint32_t)disc;
    out->of.variant.payload = NULL;
    const cm_abi *c = &a->children[disc];
    if (!c->type) return NULL;
    isorun_val *payload = malloc(sizeof *payload);
    if (!payload) return isr_error_nomem();
    *payload = isorun_val_i32(0);
    out->of.variant.payload = payload;
    *payload_abi = c;
    return NULL;
}

static isorun_error *load_value(canon_cx *cx, const cm_abi *a, uint64_t ptr, isorun_val *out) {
    isorun_kind k = a->type->kind;
    uint64_t bits = 0, len = 0; /* set by read_int on success; gcc -O3 cannot see that */
    isorun_error *err;
    if (is_scalar(k)) {
        if ((err = read_int(cx, ptr, a->size, &bits))) return err;
        return scalar_from_bits(a, bits, out);
    }
    switch (k) {
    case ISORUN_FLAGS:
        if ((err = read_int(cx, ptr, a->disc_size, &bits))) return err;
        return flags_from_bits(a, bits, out);
    case ISORUN_STRING:
    case ISORUN_LIST:
        if ((err = read_int(cx, ptr, 4, &bits)) || (err = read_int(cx, ptr + 4, 4, &len))) return err;
        return k == ISORUN_STRING ? lift_string(cx, (uint32_t)bits, (uint32_t)len, out)
                                  : lift_list(cx, a, (uint32_t)bits, (uint32_t)len, out);
    case ISORUN_RECORD:
    case ISORUN_TUPLE:
        if ((err = begin_seq(a, out))) return err;
        for (uint32_t i = 0; i < a->nchildren; i++) {
            const cm_abi *field = &a->children[i];
            if ((err = load(cx, field, ptr + field->offset, &out->of.seq.items[i]))) return wrap_member(err, a, i);
        }
        return NULL;
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT: {
        const cm_abi *payload;
        if ((err = read_int(cx, ptr, a->disc_size, &bits)) || (err = begin_variant(a, bits, out, &payload)))
            return err;
        if (!payload) return NULL;
        err = load(cx, payload, ptr + a->payload_offset, out->of.variant.payload);
        return err ? isr_error_wrap(err, "case %s", canon_case_name(a, (uint32_t)bits)) : NULL;
    }
    default: return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: cannot lift a %s", isorun_kind_name(k));
    }
}

/* load(): on failure *out is left I32 zero, owning nothing. */
static isorun_error *load(canon_cx *cx, const cm_abi *a, uint64_t ptr, isorun_val *out) {
    *out = isorun_val_i32(0);
    isorun_error *err = load_value(cx, a, ptr, out);
    if (err) isorun_val_free(out);
    return err;
}

/* A flat value as type `want` (ISORUN_I32 ... F64): 32-bit ones are the low
 * 32 bits. When a variant joined wider types, this is also the spec's
 * coercion (wrap i64 to i32, reinterpret i32/i64 bits as f32/f64). */
static uint64_t flat_as(uint64_t v, uint8_t want) {
    return want == ISORUN_I32 || want == ISORUN_F32 ? (uint32_t)v : v;
}

static isorun_error *lift_flat(canon_cx *cx, const cm_abi *a, const uint64_t *flat, isorun_val *out);

static isorun_error *lift_flat_value(canon_cx *cx, const cm_abi *a, const uint64_t *flat, isorun_val *out) {
    isorun_kind k = a->type->kind;
    isorun_error *err;
    if (is_scalar(k)) return scalar_from_bits(a, flat_as(flat[0], a->flat[0]), out);
    switch (k) {
    case ISORUN_FLAGS: return flags_from_bits(a, (uint32_t)flat[0], out);
    case ISORUN_STRING: return lift_string(cx, (uint32_t)flat[0], (uint32_t)flat[1], out);
    case ISORUN_LIST: return lift_list(cx, a, (uint32_t)flat[0], (uint32_t)flat[1], out);
    case ISORUN_RECORD:
    case ISORUN_TUPLE: {
        if ((err = begin_seq(a, out))) return err;
        uint32_t pos = 0;
        for (uint32_t i = 0; i < a->nchildren; i++) {
            const cm_abi *field = &a->children[i];
            if ((err = lift_flat(cx, field, flat + pos, &out->of.seq.items[i]))) return wrap_member(err, a, i);
            pos += field->nflat;
        }
        return NULL;
    }
    case ISORUN_VARIANT:
    case ISORUN_ENUM:
    case ISORUN_OPTION:
    case ISORUN_RESULT: {
        /* The payload's flat values are the first of the variant's joined
         * ones after the discriminant; the rest are ignored. Each is read as
         * the type the payload wants (flat_as), which is the spec's
         * CoerceValueIter: bit patterns pass through unchanged. */
        const cm_abi *payload;
        uint32_t disc = (uint32_t)flat[0];
        if ((err = begin_variant(a, disc, out, &payload))) return err;
        if (!payload) return NULL;
        err = lift_flat(cx, payload, flat + 1, out->of.variant.payload);
        return err ? isr_error_wrap(err, "case %s", canon_case_name(a, disc)) : NULL;
    }
    default: return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: cannot lift a %s", isorun_kind_name(k));
    }
}

static isorun_error *lift_flat(canon_cx *cx, const cm_abi *a, const uint64_t *flat, isorun_val *out) {
    *out = isorun_val_i32(0);
    isorun_error *err = lift_flat_value(cx, a, flat, out);
    if (err) isorun_val_free(out);
    return err;
}

/* ---- entry points ---------------------------------------------------------- */

static isorun_error *begin(canon_cx *cx, const cm_memory *mem, bool needs_memory) {
    cx->mem = mem;
    if (needs_memory && (!mem || !mem->view))
        return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: these values need the guest's memory, and none was given");
    canon_view(cx);
    cx->budget = mem && mem->lift_budget ? mem->lift_budget : cx->size;
    return NULL;
}

isorun_error *cm_canon_load(const cm_abi *a, const cm_memory *mem, uint32_t ptr, isorun_val *out) {
    *out = isorun_val_i32(0);
    canon_cx cx;
    isorun_error *err = begin(&cx, mem, true);
    if (err) return err;
    if (ptr % a->align) return canon_misaligned("a value", ptr, a->align);
    if (!canon_in_bounds(&cx, ptr, a->size)) return canon_out_of_bounds(&cx, "a value", ptr, a->size);
    return load(&cx, a, ptr, out);
}

isorun_error *cm_canon_lift_flat(const cm_abi *a, const cm_memory *mem, const uint64_t *flat, isorun_val *out) {
    *out = isorun_val_i32(0);
    if (a->nflat == CM_ABI_MANY_FLAT)
        return isr_error(ISORUN_ERR_ARGUMENT, "canonical ABI: this type has too many flat values to travel flat");
    canon_cx cx;
    isorun_error *err = begin(&cx, mem, a->uses_memory);
    return err ? err : lift_flat(&cx, a, flat, out);
}

/* lift_flat_values: n values flat, or, when they spill, from the tuple the
 * first flat value points to. */
static isorun_error *lift_values(canon_cx *cx, const cm_abi *layouts, uint32_t n, bool spill, uint32_t size,
                                 uint32_t align, const uint64_t *flat, isorun_val *out, const char *what) {
    for (uint32_t i = 0; i < n; i++) out[i] = isorun_val_i32(0);
    isorun_error *err = NULL;
    uint32_t ptr = spill ? (uint32_t)flat[0] : 0, pos = 0, i;
    if (spill) {
        char where[40];
        snprintf(where, sizeof where, "the %ss' tuple", what);
        if (ptr % align) return canon_misaligned(where, ptr, align);
        if ((err = take_range(cx, where, ptr, size))) return err;
    }
    for (i = 0; i < n; i++) {
        if (spill) {
            err = load(cx, &layouts[i], (uint64_t)ptr + layouts[i].offset, &out[i]);
        } else {
            err = lift_flat(cx, &layouts[i], flat + pos, &out[i]);
            pos += layouts[i].nflat;
        }
        if (err) break;
    }
    if (!err) return NULL;
    for (uint32_t j = 0; j < i; j++) isorun_val_free(&out[j]);
    return isr_error_wrap(err, "%s %" PRIu32, what, i);
}

isorun_error *cm_canon_lift_results(const cm_canon_func *f, const cm_memory *mem, const uint64_t *flat_results,
                                    isorun_val *results) {
    for (uint32_t i = 0; i < f->type.nresults; i++) results[i] = isorun_val_i32(0);
    canon_cx cx;
    isorun_error *err = begin(&cx, mem, f->needs_memory);
    if (err) return err;
    return lift_values(&cx, f->results, f->type.nresults, f->results_spill, f->results_size, f->results_align,
                       flat_results, results, "result");
}

isorun_error *cm_canon_lift_params(const cm_canon_func *f, const cm_memory *mem, const uint64_t *flat_args,
                                   isorun_val *args) {
    for (uint32_t i = 0; i < f->type.nparams; i++) args[i] = isorun_val_i32(0);
    canon_cx cx;
    isorun_error *err = begin(&cx, mem, f->needs_memory);
    if (err) return err;
    return lift_values(&cx, f->params, f->type.nparams, f->params_spill, f->params_size, f->params_align, flat_args,
                       args, "parameter");
}
