/*
 * binary_internal.h — what the component binary decoder's files share: the
 * decoder and its memory (an arena the result owns), the bounded reader,
 * index spaces and the scopes that hold them. Private to binary*.c.
 *
 * Scopes: a component and each component, instance and core module type
 * being declared has its own index spaces, initially empty; outer aliases
 * reach the enclosing ones. Spaces grow as the binary defines things, so
 * an index is checked against the space as it is at that point.
 */
#ifndef ISORUN_COMPONENT_BINARY_INTERNAL_H
#define ISORUN_COMPONENT_BINARY_INTERNAL_H

#include "component.h"

#include <stdarg.h>

/* Everything the result holds is allocated here and freed together. The
 * budget bounds it by a multiple of the input's size. */
struct cm_binary_arena {
    void **blocks;
    size_t nblocks, cap;
    size_t bytes, budget;
    /* OWN/BORROW nodes and their resources, sorted by node address once
     * decoding is done (cm_component_handle_resource). */
    struct handle_ref *handles;
    size_t nhandles;
};

typedef struct handle_ref {
    uintptr_t node;
    const cm_deftype *resource;
} handle_ref;

/* A growable array in the arena (its block is re-registered when it moves):
 * pointers into it are only safe once it stops growing. */
typedef struct vec {
    void *data;
    uint32_t n;
    size_t cap;
    size_t slot; /* 1 + its index in arena->blocks; 0 before the first push */
} vec;

typedef struct decoder {
    const uint8_t *base; /* the component's copy of the whole input */
    size_t len;
    struct cm_binary_arena *arena;
    isorun_error *err; /* the first failure */
    uint32_t nresources;
    vec handles;         /* handle_ref */
    vec local_resources; /* cm_deftype *: named at the end if no export named them */
} decoder;

typedef struct reader {
    decoder *d;
    const uint8_t *p, *end;
} reader;

typedef enum scope_kind { SCOPE_COMPONENT, SCOPE_COMPONENT_TYPE, SCOPE_INSTANCE_TYPE, SCOPE_MODULE_TYPE } scope_kind;

typedef struct scope {
    struct scope *outer;
    uint8_t kind;    /* scope_kind */
    unsigned depth;  /* 0 for the outermost component */
    vec space[CM_SORT_COUNT_]; /* cm_index_entry */
    vec imports, exports;      /* cm_extern, in component and instance type scopes */
    /* Component scopes: the core instance definitions so far and, for
     * each, a name table over its inline exports (core export aliases of
     * those are checked). NULL elsewhere. */
    const vec *core_instances;
    const vec *core_instance_tables; /* core_exports_table */
} scope;

typedef struct core_exports_table {
    uint32_t *table;
    uint32_t mask;
} core_exports_table;

/* ---- failing (binary.c) ---- */

/* Records the first failure, ISORUN_ERR_MALFORMED "at offset 0x..: ...",
 * at the reader's position (fail_at: at an offset in the input). Return
 * false so callers can `return fail(...)`. */
bool fail(reader *r, const char *fmt, ...) ISR_PRINTF(2, 3);
bool fail_at(decoder *d, size_t offset, const char *fmt, ...) ISR_PRINTF(3, 4);
bool fail_nomem(decoder *d);
static inline size_t reader_offset(const reader *r) { return (size_t)(r->p - r->d->base); }

/* ---- memory (binary.c) ---- */

/* n zeroed elements of size bytes in the arena; NULL (error set) on OOM,
 * overflow or an exhausted budget. n may be 0. */
void *arena_alloc(decoder *d, size_t n, size_t size);
/* A zeroed new last element of v; NULL (error set) on failure. */
void *vec_push(decoder *d, vec *v, size_t elem);
#define VEC_AT(v, type, i) (&((type *)(v).data)[i])

/* ---- reading (binary.c) ---- */

bool read_byte(reader *r, uint8_t *out);
bool peek_byte(reader *r, uint8_t *out);
bool read_u32(reader *r, uint32_t *out);
/* A vector count: at most one element per byte left. */
bool read_count(reader *r, uint32_t *out);
/* A name: valid UTF-8, copied (NUL-terminated) into the arena. */
bool read_name(reader *r, cm_name *out);
/* A label' (record field, case, flag, parameter...): a kebab-case name of
 * at most CM_TYPE_MAX_NAME bytes. */
bool read_label(reader *r, cm_name *out);
bool is_label(const char *s, size_t len);
/* importname'/exportname': 0x00 or 0x01 name, or 0x02 name and options. */
bool read_extern_name(reader *r, cm_name *name, cm_name *implements, cm_name *version_suffix);
/* sort, and core:sort (with its own byte) */
bool read_sort(reader *r, uint8_t *sort);
bool read_core_sort(reader *r, uint8_t *sort);
extern const cm_name cm_empty_name;

/* ---- index spaces (binary.c) ---- */

static inline uint32_t space_count(const scope *sc, cm_sort sort) { return sc->space[sort].n; }
/* The entry of sort's index i, or NULL with "unknown <sort> i". */
const cm_index_entry *space_get(reader *r, const scope *sc, cm_sort sort, uint32_t i);
/* Appends an entry to sort's space; false on failure. */
bool space_add(reader *r, scope *sc, cm_sort sort, const cm_index_entry *e);
/* Starts a scope of kind inside outer (NULL: the outermost component);
 * fails when that nests deeper than CM_BINARY_MAX_NESTING. */
bool scope_init(reader *r, scope *sc, scope *outer, scope_kind kind);
/* The scope count levels out from sc (0: sc); NULL with an error if none. */
scope *scope_outer(reader *r, scope *sc, uint32_t count);
/* An alias (any target) read into *out and its index added to sc. */
bool decode_alias(reader *r, scope *sc, cm_alias *out, cm_def_kind def, uint32_t def_index);

/* A name table over n items (stride bytes apart, a cm_name at name_off in
 * each) for lookups; duplicate names fail with "duplicate <what> name". */
uint32_t *name_table_build(reader *r, const void *items, uint32_t n, size_t stride, size_t name_off,
                           const char *what, uint32_t *mask);

/* ---- sections (binary_sections.c) ---- */

/* The component at [offset, offset + size) of the input, nested in outer
 * (NULL for the outermost one), preamble included. */
bool decode_component_binary(decoder *d, scope *outer, size_t offset, size_t size, cm_component **out);

/* ---- types (binary_types.c, binary_core_types.c) ---- */

/* A core:type definition (function or module type). */
bool decode_core_deftype(reader *r, scope *sc, const cm_core_deftype **out);
/* A type definition (deftype); resource types only where sc is a
 * component. */
bool decode_deftype(reader *r, scope *sc, const cm_deftype **out);
/* An externdesc; a (sub resource) bound makes a fresh resource called
 * name (when it is a label). */
bool decode_externdesc(reader *r, scope *sc, const cm_name *name, cm_externdesc *out);
/* The entry an import or export of desc adds to its sort's space. */
cm_index_entry entry_of_desc(const cm_externdesc *desc, cm_def_kind def, uint32_t def_index);
/* The desc an index-space entry of sort has when exported. */
cm_externdesc desc_of_entry(cm_sort sort, const cm_index_entry *e);
/* A COMPONENT or INSTANCE deftype over imports/exports (cm_extern arrays
 * that must not move any more); checks names are unique. */
const cm_deftype *make_decls_type(reader *r, cm_deftype_kind kind, const cm_extern *imports, uint32_t nimports,
                                  const cm_extern *exports, uint32_t nexports);
/* Gives unnamed local resources their "resource-N" names. */
bool name_local_resources(decoder *d);

#endif /* ISORUN_COMPONENT_BINARY_INTERNAL_H */
