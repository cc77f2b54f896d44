/*
 * aot.h — the native tier: a validated, compiled module translated to C
 * (aot_emit.c), built into a shared object by the system's C compiler and
 * cached on disk (aot_build.c), loaded and attached to the module
 * (aot_load.c), and run with the engine's services (aot_run.c).
 * Private to src/wasm; the layers above use wasm_module_compile_native
 * (wasm.h). docs/engine.md describes the design.
 */
#ifndef ISORUN_WASM_AOT_H
#define ISORUN_WASM_AOT_H

#include "aot_abi.h"
#include "internal.h"

/* The texts of aot_abi.h, numeric.h and simd.h, embedded by the build
 * (aot.cmake). */
extern const char wasm_aot_abi_text[];
extern const char wasm_aot_numeric_text[];
extern const char wasm_aot_simd_text[];
/* The SHA-256 of the engine sources the generated C depends on (aot.cmake). */
extern const char wasm_aot_generator_id[];

/* Canonical signature indices: out[t] is the first type index structurally
 * equal to type t (m->ntypes entries). The generated code and the loader
 * must agree on them, so both use this. */
isorun_error *wasm_aot_canonical_types(const wasm_module *m, uint32_t **out);

/* aot_emit.c: the C translation of m's defined functions, split over
 * nchunks files (out[0..nchunks), appended to) that compile separately and
 * link into one object; file 0 holds the descriptor. */
isorun_error *wasm_aot_emit(const wasm_module *m, size_t nchunks, isr_buf *out);

/* A loaded native object for one module (shared by its instances). */
typedef struct wasm_aot_code {
    void *handle;                     /* dlopen handle */
    const isr_aot_module_desc *desc;
    uint32_t *sigs;                   /* canonical signature of each defined function */
    char *path;                       /* the object's file */
} wasm_aot_code;

/* aot_build.c: returns the path of a shared object holding m's native code,
 * building it (or reusing the cached one) as opts say. *path_out is malloc'd. */
isorun_error *wasm_aot_build(wasm_module *m, const wasm_native_options *opts, char **path_out);

/* aot_load.c: loads the object at path and checks it against m. */
isorun_error *wasm_aot_load(const wasm_module *m, const char *path, wasm_aot_code **out);
void wasm_aot_unload(wasm_aot_code *code);

/* aot_run.c: per-instance native state. wasm_aot_instance_new sets up inst's
 * defined functions to run natively (called from instantiation, after the
 * instance's objects exist); wasm_aot_instance_free releases it. */
isorun_error *wasm_aot_instance_new(wasm_instance *inst);
void wasm_aot_instance_free(wasm_instance *inst);

#endif /* ISORUN_WASM_AOT_H */
