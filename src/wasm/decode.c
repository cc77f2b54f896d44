/*
 * decode.c — the binary decoder: turns a WebAssembly 2.0 binary (without SIMD)
 * into a wasm_module. It checks everything the binary format itself requires
 * (grammar, LEB128 encodings, section order and sizes, UTF-8 names, the syntax
 * of every instruction) and leaves types and index ranges to validate.c.
 *
 * Reasons in error messages are the ones of the specification's reference
 * interpreter, so the official test suite's assert_malformed texts match them
 * (as prefixes). Every count and length is checked against the bytes that are
 * left before anything is allocated: hostile input cannot make the decoder
 * allocate much more than the size of the input.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The reason a reader gives when it runs off the end of its region. */
#define REASON_UNEXPECTED_END "unexpected end"
/* Our own reason for allocation failure; turned into the shared OOM error. */
static const char reason_out_of_memory[] = "out of memory";

#define SECTION_CUSTOM 0
#define SECTION_DATA_COUNT 12
#define SECTION_ID_MAX 12

/* Position of each section id in the required order (the data count section
 * sits between the element and code sections; custom sections go anywhere). */
static const uint8_t section_rank[SECTION_ID_MAX + 1] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [6] = 6, [7] = 7,
    [8] = 8, [9] = 9, [12] = 10, [10] = 11, [11] = 12,
};

/* Control frames while scanning a body: `else` is only allowed directly in an
 * `if` that has not had one yet. */
enum { FRAME_BLOCK, FRAME_IF, FRAME_ELSE };

typedef struct decoder {
    wasm_module *m;
    const uint8_t *file_end;
    uint32_t nfunc_defs; /* from the function section */
    bool saw_code, saw_data;
    bool space_built[4]; /* per wasm_externkind: index space allocated */
    /* The first validation-class problem (a constant expression that is not
     * constant). Reported only if the whole binary is well-formed, because
     * malformedness takes precedence over invalidity. */
    const char *invalid_reason;
    size_t invalid_offset;
    /* Scratch control stack for scanning bodies, reused across functions. */
    uint8_t *frames;
    size_t frames_cap;
    /* Contents of the first "name" custom section, read once the function
     * index space is complete. */
    const uint8_t *names, *names_end;
} decoder;

/* ------------------------------------------------------------------------
 * Failure helpers
 * ------------------------------------------------------------------------ */

static bool fail_at(wasm_reader *r, size_t offset, const char *why) {
    r->p = r->base + offset;
    return wasm_fail(r, why);
}

static bool out_of_memory(wasm_reader *r) { return wasm_fail(r, reason_out_of_memory); }

/* Passes a sub-reader's failure on to the reader of the enclosing region. */
static bool propagate(wasm_reader *to, const wasm_reader *from) {
    if (!to->error) {
        to->error = from->error;
        to->error_offset = from->error_offset;
    }
    return false;
}

/* Running off the end of a region means different things depending on what
 * follows it: at the end of the binary the input was cut short; elsewhere the
 * declared size of the region disagrees with its contents. */
static void explain_overrun(const decoder *d, wasm_reader *r) {
    if (r->error && strcmp(r->error, REASON_UNEXPECTED_END) == 0)
        r->error = r->end == d->file_end ? "unexpected end of section or function" : "section size mismatch";
}

static void note_invalid(decoder *d, size_t offset, const char *why) {
    if (!d->invalid_reason) {
        d->invalid_reason = why;
        d->invalid_offset = offset;
    }
}

/* calloc that gives a usable pointer for zero elements too. */
static void *alloc_zeroed(size_t n, size_t size) { return calloc(n ? n : 1, size); }

/* ------------------------------------------------------------------------
 * Small grammar pieces
 * ------------------------------------------------------------------------ */

/* Reads an unsigned LEB128 number that may run past the end of the current
 * region (but not of the binary), so that a bad encoding is reported for what
 * it is rather than as an overrun — as the reference interpreter, which reads
 * on into the next region, does. */
static bool read_uleb(const decoder *d, wasm_reader *r, unsigned bits, uint64_t *out) {
    wasm_reader wide = *r;
    wide.end = d->file_end;
    if (!wasm_read_uleb(&wide, bits, out)) return propagate(r, &wide);
    if (wide.p > r->end) {
        r->p = r->end;
        return wasm_fail(r, REASON_UNEXPECTED_END);
    }
    r->p = wide.p;
    return true;
}

static bool read_u32(const decoder *d, wasm_reader *r, uint32_t *out) {
    uint64_t v;
    if (!read_uleb(d, r, 32, &v)) return false;
    *out = (uint32_t)v;
    return true;
}

/* A length or vector count. Every element takes at least one byte, so a count
 * larger than the bytes left cannot be right: beyond the end of the binary it
 * is "length out of bounds" (as in the reference interpreter), beyond the end
 * of the current region an overrun. */
static bool read_count(const decoder *d, wasm_reader *r, uint32_t *n) {
    /* The reference interpreter counts the bytes left from the start of the
     * count itself; doing the same gives the same reason at the margin. */
    const uint8_t *count_at = r->p;
    wasm_reader wide = *r;
    wide.end = d->file_end;
    if (!wasm_read_u32(&wide, n)) return propagate(r, &wide);
    r->p = wide.p;
    if (*n > (size_t)(d->file_end - count_at)) return wasm_fail(r, "length out of bounds");
    if (r->p > r->end || *n > (size_t)(r->end - r->p)) {
        r->p = r->end;
        return wasm_fail(r, REASON_UNEXPECTED_END);
    }
    return true;
}

static bool read_name(const decoder *d, wasm_reader *r, const uint8_t **s, uint32_t *n) {
    if (!read_count(d, r, n) || !wasm_read_bytes(r, *n, s)) return false;
    if (!isr_utf8_valid(*s, *n)) {
        r->p = *s;
        return wasm_fail(r, "malformed UTF-8 encoding");
    }
    return true;
}

static bool read_owned_name(const decoder *d, wasm_reader *r, char **out, uint32_t *len) {
    const uint8_t *s;
    if (!read_name(d, r, &s, len)) return false;
    *out = isr_strndup((const char *)s, *len);
    return *out ? true : out_of_memory(r);
}

/* Type encodings are one-byte signed LEB128 numbers: a continuation bit makes
 * them too long rather than merely unknown. */
static bool read_type_byte(wasm_reader *r, uint8_t *b) {
    if (!wasm_read_u8(r, b)) return false;
    if (*b & 0x80) {
        r->p--;
        return wasm_fail(r, "integer representation too long");
    }
    return true;
}

static bool read_valtype(wasm_reader *r, uint8_t *t) {
    if (!read_type_byte(r, t)) return false;
    if (wasm_is_valtype(*t)) return true;
    r->p--;
    return wasm_fail(r, "malformed value type");
}

static bool read_reftype(wasm_reader *r, uint8_t *t) {
    if (!read_type_byte(r, t)) return false;
    if (wasm_is_reftype(*t)) return true;
    r->p--;
    return wasm_fail(r, "malformed reference type");
}

/* The flags are a one-bit LEB128 number, so 0x81 is "too long" and 0x02 "too
 * large", as the test suite expects. */
static bool read_limits(const decoder *d, wasm_reader *r, wasm_limits *lim) {
    uint64_t flags;
    if (!read_uleb(d, r, 1, &flags) || !read_u32(d, r, &lim->min)) return false;
    lim->has_max = flags == 1;
    lim->max = 0;
    return !lim->has_max || read_u32(d, r, &lim->max);
}

static bool read_tabletype(const decoder *d, wasm_reader *r, wasm_tabletype *t) {
    return read_reftype(r, &t->elem) && read_limits(d, r, &t->limits);
}

static bool read_globaltype(wasm_reader *r, wasm_globaltype *g) {
    uint8_t mut;
    if (!read_valtype(r, &g->type) || !wasm_read_u8(r, &mut)) return false;
    if (mut > 1) {
        r->p--;
        return wasm_fail(r, "malformed mutability");
    }
    g->mut = mut == 1;
    return true;
}

static bool read_extern_kind(wasm_reader *r, wasm_externkind *kind, const char *why) {
    uint8_t b;
    if (!wasm_read_u8(r, &b)) return false;
    if (b > WASM_EXTERN_GLOBAL) {
        r->p--;
        return wasm_fail(r, why);
    }
    *kind = (wasm_externkind)b;
    return true;
}

/* ------------------------------------------------------------------------
 * Constant expressions
 * ------------------------------------------------------------------------ */

static bool is_constant_op(uint16_t op) {
    switch (op) {
    case WASM_OP_I32_CONST:
    case WASM_OP_I64_CONST:
    case WASM_OP_F32_CONST:
    case WASM_OP_F64_CONST:
    case WASM_OP_V128_CONST:
    case WASM_OP_REF_NULL:
    case WASM_OP_REF_FUNC:
    case WASM_OP_GLOBAL_GET: return true;
    default: return false;
    }
}

static void set_constexpr(wasm_constexpr *e, const wasm_instr *in) {
    e->op = in->op;
    e->type = 0;
    e->value = e->value_hi = 0;
    switch (in->op) {
    case WASM_OP_V128_CONST:
        memcpy(&e->value, in->imm.bytes, 8);
        memcpy(&e->value_hi, in->imm.bytes + 8, 8);
        break;
    case WASM_OP_I32_CONST: e->value = (uint32_t)in->imm.i32; break;
    case WASM_OP_I64_CONST: e->value = (uint64_t)in->imm.i64; break;
    case WASM_OP_F32_CONST: e->value = in->imm.f32; break;
    case WASM_OP_F64_CONST: e->value = in->imm.f64; break;
    case WASM_OP_REF_NULL: e->type = in->imm.reftype; break;
    default: e->value = in->imm.idx; break; /* ref.func, global.get */
    }
}

/* One constant instruction, then `end`. The whole expression is read (up to
 * the `end` that closes it) even when it is not of that form, because such an
 * expression is well-formed but invalid: the problem is recorded for later and
 * decoding goes on. */
static bool read_constexpr(decoder *d, wasm_reader *r, wasm_constexpr *e) {
    size_t depth = 0, ninstrs = 0;
    size_t start = wasm_reader_offset(r), nonconstant_at = 0;
    bool nonconstant = false;
    wasm_instr in;
    for (;;) {
        if (!wasm_read_instr(r, &in)) return false;
        if (in.op == WASM_OP_END && depth == 0) break;
        if (in.op == WASM_OP_BLOCK || in.op == WASM_OP_LOOP || in.op == WASM_OP_IF) depth++;
        if (in.op == WASM_OP_END) depth--;
        if (ninstrs++ == 0) set_constexpr(e, &in);
        if (!nonconstant && !is_constant_op(in.op)) {
            nonconstant = true;
            nonconstant_at = in.offset;
        }
    }
    if (nonconstant)
        note_invalid(d, nonconstant_at, "constant expression required");
    else if (ninstrs != 1) /* no value, or more than one */
        note_invalid(d, ninstrs ? in.offset : start, "type mismatch");
    return true;
}

/* ------------------------------------------------------------------------
 * Index spaces
 * ------------------------------------------------------------------------ */

static uint32_t count_imports(const wasm_module *m, wasm_externkind kind) {
    switch (kind) {
    case WASM_EXTERN_FUNC: return m->nfunc_imports;
    case WASM_EXTERN_TABLE: return m->ntable_imports;
    case WASM_EXTERN_MEMORY: return m->nmemory_imports;
    case WASM_EXTERN_GLOBAL: return m->nglobal_imports;
    }
    return 0;
}

/* Allocates one kind's index space (imports first, then `ndefined` defined
 * entries) and copies the imported entries' types into it. */
static bool alloc_space(wasm_module *m, wasm_externkind kind, uint32_t total, uint32_t ndefined) {
    switch (kind) {
    case WASM_EXTERN_FUNC:
        m->nfuncs = total;
        return (m->func_type_index = alloc_zeroed(total, sizeof *m->func_type_index)) != NULL;
    case WASM_EXTERN_TABLE:
        m->ntables = total;
        return (m->tables = alloc_zeroed(total, sizeof *m->tables)) != NULL;
    case WASM_EXTERN_MEMORY:
        m->nmemories = total;
        return (m->memories = alloc_zeroed(total, sizeof *m->memories)) != NULL;
    case WASM_EXTERN_GLOBAL:
        m->nglobals = total;
        m->global_inits = alloc_zeroed(ndefined, sizeof *m->global_inits);
        m->globals = alloc_zeroed(total, sizeof *m->globals);
        return m->globals && m->global_inits;
    }
    return false;
}

static void copy_imported_entries(wasm_module *m, wasm_externkind kind) {
    uint32_t next = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wasm_import *imp = &m->imports[i];
        if (imp->kind != kind) continue;
        switch (kind) {
        case WASM_EXTERN_FUNC: m->func_type_index[next++] = imp->u.type_index; break;
        case WASM_EXTERN_TABLE: m->tables[next++] = imp->u.table; break;
        case WASM_EXTERN_MEMORY: m->memories[next++] = imp->u.memory; break;
        case WASM_EXTERN_GLOBAL: m->globals[next++] = imp->u.global; break;
        }
    }
}

static bool build_space(decoder *d, wasm_reader *r, wasm_externkind kind, uint32_t ndefined) {
    uint64_t total = (uint64_t)count_imports(d->m, kind) + ndefined;
    if (total > UINT32_MAX) return wasm_fail(r, "too many definitions");
    d->space_built[kind] = true;
    if (!alloc_space(d->m, kind, (uint32_t)total, ndefined)) return out_of_memory(r);
    copy_imported_entries(d->m, kind);
    return true;
}

/* ------------------------------------------------------------------------
 * Sections before the code
 * ------------------------------------------------------------------------ */

static bool decode_functype(const decoder *d, wasm_reader *r, wasm_functype *t) {
    uint8_t form;
    if (!read_type_byte(r, &form)) return false;
    if (form != 0x60) {
        r->p--;
        return wasm_fail(r, "malformed function type");
    }
    uint32_t nparams, nresults;
    if (!read_count(d, r, &nparams)) return false;
    if (nparams > WASM_MAX_FUNC_VALUES) return wasm_fail(r, "too many parameters (engine limit)");
    const uint8_t *params = r->p;
    /* The results' count comes after the parameters: read those first. */
    for (uint32_t i = 0; i < nparams; i++) {
        uint8_t v;
        if (!read_valtype(r, &v)) return false;
    }
    if (!read_count(d, r, &nresults)) return false;
    if (nresults > WASM_MAX_FUNC_VALUES) return wasm_fail(r, "too many results (engine limit)");
    t->types = malloc((size_t)nparams + nresults + 1);
    if (!t->types) return out_of_memory(r);
    t->nparams = nparams;
    t->nresults = nresults;
    memcpy(t->types, params, nparams);
    for (uint32_t i = 0; i < nresults; i++)
        if (!read_valtype(r, &t->types[nparams + i])) return false;
    return true;
}

static bool decode_type_section(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    uint32_t n;
    if (!read_count(d, r, &n)) return false;
    if (!(m->types = alloc_zeroed(n, sizeof *m->types))) return out_of_memory(r);
    m->ntypes = n;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_functype(d, r, &m->types[i])) return false;
    return true;
}

static bool decode_import_desc(decoder *d, wasm_reader *r, wasm_import *imp) {
    wasm_module *m = d->m;
    if (!read_extern_kind(r, &imp->kind, "malformed import kind")) return false;
    switch (imp->kind) {
    case WASM_EXTERN_FUNC: m->nfunc_imports++; return read_u32(d, r, &imp->u.type_index);
    case WASM_EXTERN_TABLE: m->ntable_imports++; return read_tabletype(d, r, &imp->u.table);
    case WASM_EXTERN_MEMORY: m->nmemory_imports++; return read_limits(d, r, &imp->u.memory);
    case WASM_EXTERN_GLOBAL: m->nglobal_imports++; return read_globaltype(r, &imp->u.global);
    }
    return false;
}

static bool decode_import_section(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    uint32_t n;
    if (!read_count(d, r, &n)) return false;
    if (!(m->imports = alloc_zeroed(n, sizeof *m->imports))) return out_of_memory(r);
    m->nimports = n;
    for (uint32_t i = 0; i < n; i++) {
        wasm_import *imp = &m->imports[i];
        if (!read_owned_name(d, r, &imp->module, &imp->module_len) ||
            !read_owned_name(d, r, &imp->name, &imp->name_len) || !decode_import_desc(d, r, imp))
            return false;
    }
    return true;
}

static bool decode_function_section(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    uint32_t n;
    if (!read_count(d, r, &n)) return false;
    if (!build_space(d, r, WASM_EXTERN_FUNC, n)) return false;
    if (!(m->func_defs = alloc_zeroed(n, sizeof *m->func_defs))) return out_of_memory(r);
    d->nfunc_defs = n;
    for (uint32_t i = 0; i < n; i++) {
        if (!read_u32(d, r, &m->func_defs[i].type_index)) return false;
        m->func_type_index[m->nfunc_imports + i] = m->func_defs[i].type_index;
    }
    return true;
}

static bool decode_table_section(decoder *d, wasm_reader *r) {
    uint32_t n;
    if (!read_count(d, r, &n) || !build_space(d, r, WASM_EXTERN_TABLE, n)) return false;
    for (uint32_t i = 0; i < n; i++)
        if (!read_tabletype(d, r, &d->m->tables[d->m->ntable_imports + i])) return false;
    return true;
}

static bool decode_memory_section(decoder *d, wasm_reader *r) {
    uint32_t n;
    if (!read_count(d, r, &n) || !build_space(d, r, WASM_EXTERN_MEMORY, n)) return false;
    for (uint32_t i = 0; i < n; i++)
        if (!read_limits(d, r, &d->m->memories[d->m->nmemory_imports + i])) return false;
    return true;
}

static bool decode_global_section(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    uint32_t n;
    if (!read_count(d, r, &n) || !build_space(d, r, WASM_EXTERN_GLOBAL, n)) return false;
    for (uint32_t i = 0; i < n; i++)
        if (!read_globaltype(r, &m->globals[m->nglobal_imports + i]) ||
            !read_constexpr(d, r, &m->global_inits[i]))
            return false;
    return true;
}

static bool decode_export_section(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    uint32_t n;
    if (!read_count(d, r, &n)) return false;
    if (!(m->exports = alloc_zeroed(n, sizeof *m->exports))) return out_of_memory(r);
    m->nexports = n;
    for (uint32_t i = 0; i < n; i++) {
        wasm_export *e = &m->exports[i];
        if (!read_owned_name(d, r, &e->name, &e->name_len) ||
            !read_extern_kind(r, &e->kind, "malformed export kind") || !read_u32(d, r, &e->index))
            return false;
    }
    return true;
}

static bool decode_start_section(decoder *d, wasm_reader *r) {
    d->m->has_start = true;
    return read_u32(d, r, &d->m->start);
}

/* ------------------------------------------------------------------------
 * Element and data segments
 * ------------------------------------------------------------------------ */

/* The element kind of the funcidx-vector encodings: only 0x00 (funcref). */
static bool read_elemkind(wasm_reader *r) {
    uint8_t kind;
    if (!wasm_read_u8(r, &kind)) return false;
    if (kind != 0) {
        r->p--;
        return wasm_fail(r, "malformed elements segment kind");
    }
    return true;
}

static bool read_elem_items(decoder *d, wasm_reader *r, wasm_elem_seg *s, bool exprs) {
    uint32_t n;
    if (!read_count(d, r, &n)) return false;
    if (!(s->items = alloc_zeroed(n, sizeof *s->items))) return out_of_memory(r);
    s->count = n;
    for (uint32_t i = 0; i < n; i++) {
        wasm_constexpr *item = &s->items[i];
        if (exprs) {
            if (!read_constexpr(d, r, item)) return false;
            continue;
        }
        item->op = WASM_OP_REF_FUNC;
        uint32_t func;
        if (!read_u32(d, r, &func)) return false;
        item->value = func;
    }
    return true;
}

/* Flags bit 0: passive or declarative (else active); bit 1: declarative, or
 * for active segments an explicit table index; bit 2: items are expressions
 * (else function indices). Non-active and explicit-table segments carry an
 * element kind (funcidx items) or a reference type (expression items). */
static bool decode_elem_segment(decoder *d, wasm_reader *r, wasm_elem_seg *s) {
    size_t flags_at = wasm_reader_offset(r);
    uint32_t flags;
    if (!read_u32(d, r, &flags)) return false;
    if (flags > 7) return fail_at(r, flags_at, "malformed elements segment kind");
    bool exprs = flags & 4;
    s->type = WASM_FUNCREF;
    s->table = 0;
    if (flags & 1) {
        s->mode = (flags & 2) ? WASM_SEG_DECLARATIVE : WASM_SEG_PASSIVE;
    } else {
        s->mode = WASM_SEG_ACTIVE;
        if ((flags & 2) && !read_u32(d, r, &s->table)) return false;
        if (!read_constexpr(d, r, &s->offset)) return false;
    }
    if (flags & 3) {
        bool ok = exprs ? read_reftype(r, &s->type) : read_elemkind(r);
        if (!ok) return false;
    }
    return read_elem_items(d, r, s, exprs);
}

static bool decode_element_section(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    uint32_t n;
    if (!read_count(d, r, &n)) return false;
    if (!(m->elems = alloc_zeroed(n, sizeof *m->elems))) return out_of_memory(r);
    m->nelems = n;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_elem_segment(d, r, &m->elems[i])) return false;
    return true;
}

static bool decode_data_segment(decoder *d, wasm_reader *r, wasm_data_seg *s) {
    size_t flags_at = wasm_reader_offset(r);
    uint32_t flags;
    if (!read_u32(d, r, &flags)) return false;
    if (flags > 2) return fail_at(r, flags_at, "malformed data segment kind");
    s->mode = flags == 1 ? WASM_SEG_PASSIVE : WASM_SEG_ACTIVE;
    s->memory = 0;
    if (flags == 2 && !read_u32(d, r, &s->memory)) return false;
    if (flags != 1 && !read_constexpr(d, r, &s->offset)) return false;
    return read_count(d, r, &s->len) && wasm_read_bytes(r, s->len, &s->bytes);
}

static bool decode_data_section(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    size_t count_at = wasm_reader_offset(r);
    uint32_t n;
    if (!read_count(d, r, &n)) return false;
    if (m->has_data_count && n != m->data_count)
        return fail_at(r, count_at, "data count and data section have inconsistent lengths");
    d->saw_data = true;
    if (!(m->datas = alloc_zeroed(n, sizeof *m->datas))) return out_of_memory(r);
    m->ndatas = n;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_data_segment(d, r, &m->datas[i])) return false;
    return true;
}

static bool decode_data_count_section(decoder *d, wasm_reader *r) {
    d->m->has_data_count = true;
    return read_u32(d, r, &d->m->data_count);
}

/* ------------------------------------------------------------------------
 * Code
 * ------------------------------------------------------------------------ */

/* Local declarations come as (count, type) groups, expanded here into one
 * type per local. The engine's limit on locals bounds the allocation. */
static bool decode_locals(decoder *d, wasm_reader *r, wasm_func_def *f) {
    const wasm_module *m = d->m;
    uint32_t ngroups;
    if (!read_count(d, r, &ngroups)) return false;
    uint64_t nparams = f->type_index < m->ntypes ? m->types[f->type_index].nparams : 0;
    size_t total = 0, cap = 0;
    /* Never NULL, even without locals, so users may copy from it freely. */
    if (!isr_grow_array((void **)&f->local_types, &cap, 1, 1)) return out_of_memory(r);
    for (uint32_t g = 0; g < ngroups; g++) {
        uint32_t n;
        uint8_t t;
        if (!read_u32(d, r, &n)) return false;
        if (nparams + total + n > WASM_MAX_LOCALS) return wasm_fail(r, "too many locals");
        if (!read_valtype(r, &t)) return false;
        if (!isr_grow_array((void **)&f->local_types, &cap, total + n, 1)) return out_of_memory(r);
        memset(f->local_types + total, t, n);
        total += n;
        f->nlocals = (uint32_t)total;
    }
    return true;
}

static bool push_frame(decoder *d, wasm_reader *r, size_t depth, uint8_t kind) {
    if (!isr_grow_array((void **)&d->frames, &d->frames_cap, depth + 1, 1)) return out_of_memory(r);
    d->frames[depth] = kind;
    return true;
}

/* Reads every instruction of a body so that malformed ones are reported here,
 * checks that blocks nest and the final `end` is the body's last byte, and
 * that bulk-memory data instructions have a data count section to refer to. */
static bool scan_body(decoder *d, wasm_reader *r, const uint8_t *section_end) {
    size_t depth = 0;
    wasm_instr in;
    for (;;) {
        /* Out of bytes at an instruction boundary: the end opcode is missing,
         * unless the whole section or binary ended with this body. */
        if (r->p == r->end && r->end != d->file_end)
            return wasm_fail(r, r->end == section_end ? "section size mismatch" : "END opcode expected");
        if (!wasm_read_instr(r, &in)) return false;
        switch (in.op) {
        case WASM_OP_BLOCK:
        case WASM_OP_LOOP:
            if (!push_frame(d, r, depth++, FRAME_BLOCK)) return false;
            break;
        case WASM_OP_IF:
            if (!push_frame(d, r, depth++, FRAME_IF)) return false;
            break;
        case WASM_OP_ELSE:
            if (depth == 0 || d->frames[depth - 1] != FRAME_IF) return fail_at(r, in.offset, "END opcode expected");
            d->frames[depth - 1] = FRAME_ELSE;
            break;
        case WASM_OP_END:
            if (depth == 0) return r->p == r->end || wasm_fail(r, "section size mismatch");
            depth--;
            break;
        case WASM_OP_MEMORY_INIT:
        case WASM_OP_DATA_DROP:
            if (!d->m->has_data_count) return fail_at(r, in.offset, "data count section required");
            break;
        default: break;
        }
    }
}

static bool decode_code_entry(decoder *d, wasm_reader *r, wasm_func_def *f) {
    uint32_t size;
    if (!read_count(d, r, &size)) return false;
    wasm_reader body;
    wasm_reader_init(&body, r->base, r->p, r->p + size);
    r->p += size;
    if (!decode_locals(d, &body, f)) goto failed;
    f->body = body.p;
    if (!scan_body(d, &body, r->end)) goto failed;
    f->body_end = body.end;
    return true;
failed:
    explain_overrun(d, &body);
    return propagate(r, &body);
}

static bool decode_code_section(decoder *d, wasm_reader *r) {
    uint32_t n;
    size_t count_at = wasm_reader_offset(r);
    if (!read_count(d, r, &n)) return false;
    if (n != d->nfunc_defs) return fail_at(r, count_at, "function and code section have inconsistent lengths");
    d->saw_code = true;
    for (uint32_t i = 0; i < n; i++)
        if (!decode_code_entry(d, r, &d->m->func_defs[i])) return false;
    return true;
}

/* ------------------------------------------------------------------------
 * Custom sections and the name section
 * ------------------------------------------------------------------------ */

static bool decode_custom_section(decoder *d, wasm_reader *r) {
    const uint8_t *name;
    uint32_t len;
    if (!read_name(d, r, &name, &len)) return false;
    if (len == 4 && memcmp(name, "name", 4) == 0 && !d->names) {
        d->names = r->p;
        d->names_end = r->end;
    }
    r->p = r->end; /* the contents are not ours to check */
    return true;
}

static void free_func_names(wasm_module *m) {
    if (!m->func_names) return;
    for (uint32_t i = 0; i < m->nfuncs; i++) free(m->func_names[i]);
    free(m->func_names);
    m->func_names = NULL;
}

/* The function-name subsection: (index, name) pairs. */
static bool decode_function_names(wasm_module *m, wasm_reader *r) {
    uint32_t n;
    if (!wasm_read_u32(r, &n) || n > (size_t)(r->end - r->p)) return false;
    if (!m->nfuncs) return true;
    if (!(m->func_names = calloc(m->nfuncs, sizeof *m->func_names))) return false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t func, len;
        const uint8_t *s;
        if (!wasm_read_u32(r, &func) || !wasm_read_u32(r, &len) || !wasm_read_bytes(r, len, &s)) return false;
        if (!isr_utf8_valid(s, len)) return false;
        if (func >= m->nfuncs) continue;
        free(m->func_names[func]);
        if (!(m->func_names[func] = isr_strndup((const char *)s, len))) return false;
    }
    return true;
}

/* Function names are a debugging aid: a broken name section only means the
 * module has no names, never that it fails to load. */
static void decode_name_section(decoder *d) {
    if (!d->names) return;
    wasm_reader r;
    wasm_reader_init(&r, d->m->bytes, d->names, d->names_end);
    while (r.p < r.end) {
        uint8_t id;
        uint32_t size;
        const uint8_t *contents;
        if (!wasm_read_u8(&r, &id) || !wasm_read_u32(&r, &size) || !wasm_read_bytes(&r, size, &contents)) break;
        if (id != 1) continue;
        wasm_reader sub;
        wasm_reader_init(&sub, r.base, contents, contents + size);
        if (!decode_function_names(d->m, &sub)) free_func_names(d->m);
        break;
    }
}

/* ------------------------------------------------------------------------
 * The module
 * ------------------------------------------------------------------------ */

static bool decode_header(wasm_reader *r) {
    static const uint8_t magic[4] = {0x00, 'a', 's', 'm'};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    const uint8_t *b;
    if (!wasm_read_bytes(r, 4, &b)) return false;
    if (memcmp(b, magic, 4) != 0) return fail_at(r, 0, "magic header not detected");
    if (!wasm_read_bytes(r, 4, &b)) return false;
    if (memcmp(b, version, 4) != 0) return fail_at(r, 4, "unknown binary version");
    return true;
}

static bool decode_section(decoder *d, uint8_t id, wasm_reader *r) {
    switch (id) {
    case SECTION_CUSTOM: return decode_custom_section(d, r);
    case 1: return decode_type_section(d, r);
    case 2: return decode_import_section(d, r);
    case 3: return decode_function_section(d, r);
    case 4: return decode_table_section(d, r);
    case 5: return decode_memory_section(d, r);
    case 6: return decode_global_section(d, r);
    case 7: return decode_export_section(d, r);
    case 8: return decode_start_section(d, r);
    case 9: return decode_element_section(d, r);
    case 10: return decode_code_section(d, r);
    case 11: return decode_data_section(d, r);
    case SECTION_DATA_COUNT: return decode_data_count_section(d, r);
    }
    return wasm_fail(r, "malformed section id");
}

static bool decode_sections(decoder *d, wasm_reader *r) {
    unsigned last_rank = 0;
    while (r->p < r->end) {
        size_t id_at = wasm_reader_offset(r);
        uint8_t id;
        uint32_t size;
        wasm_read_u8(r, &id);
        if (id > SECTION_ID_MAX) return fail_at(r, id_at, "malformed section id");
        if (id != SECTION_CUSTOM) {
            /* A repeated or misplaced section is where the module should have ended. */
            if (section_rank[id] <= last_rank) return fail_at(r, id_at, "unexpected content after last section");
            last_rank = section_rank[id];
        }
        if (!read_count(d, r, &size)) {
            explain_overrun(d, r);
            return false;
        }
        wasm_reader section;
        wasm_reader_init(&section, r->base, r->p, r->p + size);
        r->p += size;
        if (!decode_section(d, id, &section)) {
            /* A custom section too short for its own name has no size to
             * mismatch: it is simply cut short. */
            if (id == SECTION_CUSTOM) section.end = d->file_end;
            explain_overrun(d, &section);
            return propagate(r, &section);
        }
        if (section.p != section.end) {
            wasm_fail(&section, "section size mismatch");
            return propagate(r, &section);
        }
    }
    return true;
}

/* Checks that need the whole binary, and index spaces of kinds that have no
 * section of their own but may have imports. */
static bool finish_module(decoder *d, wasm_reader *r) {
    wasm_module *m = d->m;
    if (d->nfunc_defs && !d->saw_code) return wasm_fail(r, "function and code section have inconsistent lengths");
    if (m->has_data_count && m->data_count && !d->saw_data)
        return wasm_fail(r, "data count and data section have inconsistent lengths");
    for (int kind = WASM_EXTERN_FUNC; kind <= WASM_EXTERN_GLOBAL; kind++)
        if (!d->space_built[kind] && !build_space(d, r, (wasm_externkind)kind, 0)) return false;
    return true;
}

static isorun_error *reader_error(const wasm_reader *r) {
    if (r->error == reason_out_of_memory) return isr_error_nomem();
    return isr_error(ISORUN_ERR_MALFORMED, "at offset 0x%zx: %s", r->error_offset, r->error);
}

static wasm_module *module_with_copy(const uint8_t *bytes, size_t len) {
    wasm_module *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    atomic_init(&m->refcount, 1);
    m->bytes = malloc(len ? len : 1);
    if (!m->bytes) {
        free(m);
        return NULL;
    }
    if (len) memcpy(m->bytes, bytes, len);
    m->len = len;
    return m;
}

isorun_error *wasm_decode(const uint8_t *bytes, size_t len, wasm_module **out) {
    *out = NULL;
    wasm_module *m = module_with_copy(bytes, len);
    if (!m) return isr_error_nomem();
    decoder d = {.m = m, .file_end = m->bytes + len};
    wasm_reader r;
    wasm_reader_init(&r, m->bytes, m->bytes, d.file_end);
    bool ok = decode_header(&r) && decode_sections(&d, &r) && finish_module(&d, &r);
    free(d.frames);
    isorun_error *err = NULL;
    if (!ok)
        err = reader_error(&r);
    else if (d.invalid_reason)
        err = isr_error(ISORUN_ERR_INVALID, "at offset 0x%zx: %s", d.invalid_offset, d.invalid_reason);
    if (err) {
        wasm_module_destroy(m);
        return err;
    }
    decode_name_section(&d);
    *out = m;
    return NULL;
}

void wasm_module_destroy(wasm_module *m) {
    if (!m) return;
    for (uint32_t i = 0; i < m->ntypes; i++) free(m->types[i].types);
    free(m->types);
    for (uint32_t i = 0; i < m->nimports; i++) {
        free(m->imports[i].module);
        free(m->imports[i].name);
    }
    free(m->imports);
    for (uint32_t i = 0; m->func_defs && i < m->nfuncs - m->nfunc_imports; i++) {
        free(m->func_defs[i].local_types);
        free(m->func_defs[i].code.cells);
        free(m->func_defs[i].code.consts);
    }
    free(m->func_defs);
    free(m->func_type_index);
    free(m->tables);
    free(m->memories);
    free(m->globals);
    free(m->global_inits);
    for (uint32_t i = 0; i < m->nexports; i++) free(m->exports[i].name);
    free(m->exports);
    for (uint32_t i = 0; i < m->nelems; i++) free(m->elems[i].items);
    free(m->elems);
    free(m->datas);
    free_func_names(m);
    free(m->bytes);
    free(m);
}
