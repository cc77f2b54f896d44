/* options.c — isorun_wasi_options: what an embedder grants a WASI guest
 * (arguments, environment, stdio, mounts, clocks, random). */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void strings_clear(wasi_strings *list) {
    for (uint32_t i = 0; i < list->count; i++) free(list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

static bool strings_append(wasi_strings *list, const char *s) {
    if (list->count == list->cap) {
        if (list->cap > UINT32_MAX / 2 - 8) return false;
        uint32_t cap = list->cap ? list->cap * 2 : 8;
        char **items = realloc(list->items, sizeof *items * cap);
        if (!items) return false;
        list->items = items;
        list->cap = cap;
    }
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (!copy) return false;
    memcpy(copy, s, len + 1);
    list->items[list->count++] = copy;
    list->bytes += len + 1;
    return true;
}

isorun_wasi_options *isorun_wasi_options_new(void) {
    isorun_wasi_options *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    for (int i = 0; i < 3; i++) o->stdio[i] = i;
    return o;
}

void isorun_wasi_options_free(isorun_wasi_options *o) {
    if (!o) return;
    strings_clear(&o->args);
    strings_clear(&o->env);
    for (size_t i = 0; i < o->nmounts; i++) {
        free(o->mounts[i].guest_path);
        close(o->mounts[i].dir_fd);
    }
    free(o->mounts);
    free(o);
}

isorun_error *isorun_wasi_set_args(isorun_wasi_options *o, int argc, const char *const *argv) {
    if (!o || argc < 0 || (argc > 0 && !argv))
        return isorun_error_new(ISORUN_ERR_ARGUMENT, "isorun_wasi_set_args: options and argv are required");
    for (int i = 0; i < argc; i++)
        if (!argv[i]) return isorun_error_new(ISORUN_ERR_ARGUMENT, "isorun_wasi_set_args: argument %d is NULL", i);
    strings_clear(&o->args);
    for (int i = 0; i < argc; i++)
        if (!strings_append(&o->args, argv[i])) {
            strings_clear(&o->args);
            return isorun_error_new(ISORUN_ERR_NOMEM, "wasi: out of memory copying the arguments");
        }
    return NULL;
}

isorun_error *isorun_wasi_add_env(isorun_wasi_options *o, const char *name_equals_value) {
    if (!o || !name_equals_value || name_equals_value[0] == '=' || !strchr(name_equals_value, '='))
        return isorun_error_new(ISORUN_ERR_ARGUMENT, "wasi: environment entry \"%s\" is not NAME=VALUE",
                                name_equals_value ? name_equals_value : "(null)");
    if (!strings_append(&o->env, name_equals_value))
        return isorun_error_new(ISORUN_ERR_NOMEM, "wasi: out of memory copying the environment");
    return NULL;
}

void isorun_wasi_set_stdio(isorun_wasi_options *o, int in_fd, int out_fd, int err_fd) {
    if (!o) return;
    o->stdio[0] = in_fd < 0 ? -1 : in_fd;
    o->stdio[1] = out_fd < 0 ? -1 : out_fd;
    o->stdio[2] = err_fd < 0 ? -1 : err_fd;
}

void isorun_wasi_allow(isorun_wasi_options *o, unsigned grants) {
    if (o) o->grants |= grants & (ISORUN_WASI_CLOCKS | ISORUN_WASI_RANDOM);
}

isorun_error *isorun_wasi_mount(isorun_wasi_options *o, const char *host_dir, const char *guest_path,
                                unsigned flags) {
    if (!o || !host_dir || !guest_path || !guest_path[0])
        return isorun_error_new(ISORUN_ERR_ARGUMENT,
                                "isorun_wasi_mount: options, a host directory and a non-empty guest path are required");
    if (flags & ~ISORUN_WASI_READ_ONLY)
        return isorun_error_new(ISORUN_ERR_ARGUMENT, "isorun_wasi_mount: unknown flags 0x%x", flags);
    /* The directory is opened now, once: every instance then starts from
     * this very directory, even if the host path is renamed or replaced
     * later, and the guest never sees the host path. */
    int fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return isorun_error_new(ISORUN_ERR_IO, "wasi: cannot mount \"%s\": %s", host_dir, strerror(errno));
    size_t len = strlen(guest_path);
    char *guest = malloc(len + 1);
    if (guest) memcpy(guest, guest_path, len + 1);
    if (guest && o->nmounts == o->cap_mounts) {
        size_t cap = o->cap_mounts ? o->cap_mounts * 2 : 4;
        wasi_mount *grown = realloc(o->mounts, sizeof *grown * cap);
        if (grown) {
            o->mounts = grown;
            o->cap_mounts = cap;
        }
    }
    if (!guest || o->nmounts == o->cap_mounts) {
        free(guest);
        close(fd);
        return isorun_error_new(ISORUN_ERR_NOMEM, "wasi: out of memory adding a mount");
    }
    o->mounts[o->nmounts++] = (wasi_mount){guest, fd, flags};
    return NULL;
}
