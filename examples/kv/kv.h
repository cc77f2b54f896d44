/*
 * kv.h — example:kv, a key-value store granted to guests as a system
 * component. Written only against include/isorun.h, as any embedder's
 * component would be.
 *
 * Guest ABI: functions imported from module "example:kv". Keys and values
 * are byte strings in the guest's memory 0, passed as (pointer, length).
 * Every pointer/length pair is bounds-checked; a pair outside memory makes
 * the function return KV_EINVAL instead of touching anything.
 *
 *   set(key_ptr, key_len, val_ptr, val_len) -> i32
 *       stores a copy of the value under the key (replacing an old one).
 *       0, or KV_EINVAL, or KV_ELIMIT (key or value too large, or the
 *       namespace holds max_keys keys already).
 *   get(key_ptr, key_len, buf_ptr, buf_cap) -> i32
 *       the value's full length, having copied min(length, buf_cap) bytes of
 *       it to buf (call with buf_cap 0 to learn the length); KV_ENOENT when
 *       the key is absent; KV_EINVAL.
 *   delete(key_ptr, key_len) -> i32
 *       1 when a key was removed, 0 when there was none; KV_EINVAL.
 *   list(buf_ptr, buf_cap) -> i32
 *       the number of bytes needed for every key, in byte order, each as a
 *       4-byte little-endian length followed by its bytes. The keys are
 *       written only when they all fit in buf_cap (so a guest calls with
 *       buf_cap 0, then again with a buffer of the returned size); KV_EINVAL.
 *
 * Namespaces: with shared = false each instance gets its own empty store
 * (made at configure, freed at teardown); with shared = true every instance
 * given this component sees the same store, safely from any number of
 * threads (one mutex per store).
 */
#ifndef EXAMPLE_KV_H
#define EXAMPLE_KV_H

#include "isorun.h"

#include <stdbool.h>
#include <stddef.h>

#define KV_MODULE "example:kv"

/* Error results (negative i32s) of the guest functions. */
#define KV_ENOENT (-1) /* no such key */
#define KV_EINVAL (-2) /* a pointer/length pair outside the guest's memory */
#define KV_ELIMIT (-3) /* over max_key_bytes, max_value_bytes or max_keys */

typedef struct example_kv_options {
    bool shared;            /* one store for every instance, or one each */
    size_t max_keys;        /* per store; 0 = 100000 */
    size_t max_key_bytes;   /* 0 = 1024 */
    size_t max_value_bytes; /* 0 = 1 MiB */
} example_kv_options;

/* Makes the component. opts may be NULL (private namespaces, default limits).
 * Free with isorun_system_free. */
isorun_error *example_kv_new(const example_kv_options *opts, isorun_system_component **out);

#endif /* EXAMPLE_KV_H */
