/*
 * component.h — the component layer's face: the component model's value
 * types (a tree of cm_type nodes), their canonical text, and function types.
 * The rpc layer encodes values by these types; the canonical ABI and
 * component binaries will build on them.
 */
#ifndef ISORUN_COMPONENT_H
#define ISORUN_COMPONENT_H

#include "../util/util.h"

#include <isorun.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------
 * Value types (types.c, types_parse.c)
 *
 * A type is a tree of cm_type nodes. Scalar nodes (bool ... string, core
 * i32/i64, own/borrow excluded) are shared immutable singletons from
 * cm_type_scalar(); compound nodes are allocated and owned by their parent.
 * Types are written in a canonical text form (docs/protocol.md, "Types"),
 * which the rpc layer hashes into a function type's fingerprint.
 * ------------------------------------------------------------------------ */

/* Bounds on a type, so a hostile or mistaken type string cannot make the
 * decoder recurse deeply or a type allocate without end. */
#define CM_TYPE_MAX_DEPTH 32
#define CM_TYPE_MAX_MEMBERS 1000 /* record fields, tuple members, cases, flags */
#define CM_TYPE_MAX_NAME 256

typedef struct cm_type cm_type;
struct cm_type {
    isorun_kind kind;
    /* RECORD/TUPLE/VARIANT/ENUM/FLAGS: fields, members, cases, flags;
     * LIST/OPTION: 1; RESULT: 2; 0 otherwise. */
    uint32_t count;
    /* RECORD/TUPLE: each member's type; VARIANT: each case's payload type
     * (NULL: none); LIST: [0] the element; OPTION: [0] the payload; RESULT:
     * [0] ok, [1] err (NULL: none); NULL for other kinds. */
    const cm_type **members;
    /* RECORD fields, VARIANT/ENUM cases, FLAGS: count names; OWN/BORROW: [0]
     * the resource name; NULL otherwise. */
    char **names;
    /* The fewest bytes any value of this type encodes to (always >= 1): a
     * list count is bounded by remaining bytes / this. */
    uint32_t min_size;
};

/* The shared node of a scalar kind (I32, I64, F32, F64, BOOL, S8 ... U64,
 * CHAR, STRING); NULL for other kinds. */
const cm_type *cm_type_scalar(isorun_kind kind);
/* "u32", "string", ...: the canonical keyword of a scalar kind; NULL for
 * other kinds. */
const char *cm_scalar_keyword(isorun_kind kind);
/* Frees a type tree (scalar singletons are left alone). NULL is a no-op. */
void cm_type_free(cm_type *t);

/* Parses one type from text[0..len) (whitespace between tokens allowed).
 * ISORUN_ERR_ARGUMENT with the offset and what was expected. */
isorun_error *cm_type_parse(const char *text, size_t len, cm_type **out);
/* Appends t's canonical text to b; false on OOM. */
bool cm_type_print(isr_buf *b, const cm_type *t);

/* A function type: parameter and result types (borrowed). */
typedef struct cm_functype {
    uint32_t nparams, nresults;
    const cm_type *const *params;
    const cm_type *const *results;
} cm_functype;

/* Appends "func(P,...)->(R,...)" to b; false on OOM. */
bool cm_functype_print(isr_buf *b, const cm_functype *ft);

/* A parsed function type that owns its types: "func(u32,u32)->(u32)". */
typedef struct cm_owned_functype {
    cm_functype ft;
    cm_type **types; /* nparams + nresults, owned */
} cm_owned_functype;
isorun_error *cm_functype_parse(const char *text, size_t len, cm_owned_functype *out);
void cm_owned_functype_free(cm_owned_functype *f);

/* The rpc type of a core function signature (every kind must be I32, I64,
 * F32 or F64 — S32/U32/S64/U64 count as i32/i64). *out points into
 * storage, which must have room for nparams + nresults pointers. */
isorun_error *cm_functype_of_core(const isorun_functype *core, const cm_type **storage, cm_functype *out);

#endif /* ISORUN_COMPONENT_H */
