/* session.c — see session.h. */
#define _POSIX_C_SOURCE 200809L
#include "session.h"
#include "fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows an array of elem-sized items so that one more fits. */
static bool reserve_one(void **items, size_t count, size_t *cap, size_t elem) {
    if (count < *cap) return true;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *grown = realloc(*items, ncap * elem);
    if (!grown) return false;
    *items = grown;
    *cap = ncap;
    return true;
}

void session_init(session *s, const char *dir, bool verbose, unsigned timeout_secs) {
    memset(s, 0, sizeof *s);
    s->dir = dir;
    s->verbose = verbose;
    s->timeout_secs = timeout_secs;
    atomic_init(&s->interrupt, 0);
    wasm_store_config cfg = {0};
    cfg.interrupt = &s->interrupt;
    s->store = wasm_store_new(&cfg);
    if (!s->store) return;
    s->host_ready = spectest_host_init(&s->host, s->store, verbose);
    s->watchdog = watchdog_start(&s->interrupt, timeout_secs);
}

void session_free(session *s) {
    watchdog_stop(s->watchdog);
    wasm_store_free(s->store);
    /* Modules outlive the store in case instances borrow them. */
    for (size_t i = 0; i < s->nmodules; i++) wasm_module_free(s->modules[i]);
    free(s->modules);
    for (size_t i = 0; i < s->ninstances; i++) free(s->instances[i].name);
    free(s->instances);
    for (size_t i = 0; i < s->nregistrations; i++) free(s->registrations[i].as);
    free(s->registrations);
    memset(s, 0, sizeof *s);
}

isorun_error *session_load_module(session *s, const char *filename, wasm_module **out, char *why,
                                  size_t why_size) {
    *out = NULL;
    if (!reserve_one((void **)&s->modules, s->nmodules, &s->modules_cap, sizeof *s->modules)) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    char *path = path_join(s->dir, filename);
    if (!path) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    size_t len = 0;
    char *bytes = read_whole_file(path, &len, why, why_size);
    free(path);
    if (!bytes) return NULL;
    wasm_module *m = NULL;
    isorun_error *err = s->native ? wasm_module_new_native((const uint8_t *)bytes, len, s->native, &m)
                                  : wasm_module_new((const uint8_t *)bytes, len, &m);
    free(bytes);
    if (err) {
        return err;
    }
    if (!m) {
        snprintf(why, why_size, "wasm_module_new returned neither a module nor an error");
        return NULL;
    }
    s->modules[s->nmodules++] = m;
    *out = m;
    return NULL;
}

bool session_find_export(const wasm_instance *inst, const char *name, size_t name_len, wasm_extern *out) {
    /* By length: export names may contain NUL (names.wast). */
    return wasm_instance_export_n(inst, name, name_len, out);
}

/* Prints name bytes for messages, escaping what is not printable ASCII. */
static void describe_name(const char *name, size_t len, char *buf, size_t size) {
    size_t o = 0;
    for (size_t i = 0; i < len && o + 8 < size; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') buf[o++] = (char)c;
        else o += (size_t)snprintf(buf + o, size - o, "\\%02x", c);
    }
    buf[o] = '\0';
}

static bool resolve_import(session *s, const wasm_import *imp, wasm_extern *out, char *why, size_t why_size) {
    char module_text[128], name_text[128];
    describe_name(imp->module, imp->module_len, module_text, sizeof module_text);
    describe_name(imp->name, imp->name_len, name_text, sizeof name_text);
    /* The latest registration under a name shadows earlier ones. */
    for (size_t i = s->nregistrations; i > 0; i--) {
        const registration *r = &s->registrations[i - 1];
        if (r->as_len != imp->module_len || memcmp(r->as, imp->module, r->as_len) != 0) continue;
        if (session_find_export(r->instance, imp->name, imp->name_len, out)) return true;
        snprintf(why, why_size, "unknown import \"%s\" \"%s\"", module_text, name_text);
        return false;
    }
    if (imp->module_len == 8 && memcmp(imp->module, "spectest", 8) == 0) {
        if (!s->host_ready) {
            snprintf(why, why_size, "the spectest host module could not be created");
            return false;
        }
        if (spectest_host_lookup(&s->host, imp->name, imp->name_len, out)) return true;
    }
    snprintf(why, why_size, "unknown import \"%s\" \"%s\"", module_text, name_text);
    return false;
}

instantiate_status session_instantiate(session *s, wasm_module *m, wasm_instance **out, isorun_error **err,
                                       char *why, size_t why_size) {
    *out = NULL;
    *err = NULL;
    uint32_t n = wasm_module_import_count(m);
    wasm_extern *imports = calloc(n ? n : 1, sizeof *imports);
    if (!imports) {
        snprintf(why, why_size, "out of memory");
        return IMPORT_MISSING;
    }
    for (uint32_t i = 0; i < n; i++) {
        const wasm_import *imp = wasm_module_import(m, i);
        if (!imp) {
            snprintf(why, why_size, "wasm_module_import(%u) returned NULL", (unsigned)i);
            free(imports);
            return IMPORT_MISSING;
        }
        if (!resolve_import(s, imp, &imports[i], why, why_size)) {
            free(imports);
            return IMPORT_MISSING;
        }
    }
    session_clock_start(s);
    *err = wasm_instantiate(s->store, m, imports, n, out);
    bool timed_out = session_clock_stop(s);
    free(imports);
    if (*err) {
        if (timed_out)
            snprintf(why, why_size, "timed out after %u s (start function or segments)", s->timeout_secs);
        *out = NULL;
        return ENGINE_REFUSED;
    }
    if (!*out) {
        snprintf(why, why_size, "wasm_instantiate returned neither an instance nor an error");
        return ENGINE_REFUSED;
    }
    return INSTANTIATED;
}

bool session_define(session *s, const char *name, wasm_instance *instance) {
    if (!reserve_one((void **)&s->instances, s->ninstances, &s->instances_cap, sizeof *s->instances)) return false;
    char *copy = NULL;
    if (name && !(copy = strdup(name))) return false;
    s->instances[s->ninstances++] = (named_instance){copy, instance};
    return true;
}

bool session_find_instance(session *s, const char *name, wasm_instance **out, char *why, size_t why_size) {
    for (size_t i = s->ninstances; i > 0; i--) {
        const named_instance *e = &s->instances[i - 1];
        if (name && (!e->name || strcmp(e->name, name) != 0)) continue;
        if (!e->instance) {
            if (name) snprintf(why, why_size, "module %s failed to load or instantiate", name);
            else snprintf(why, why_size, "the most recent module failed to load or instantiate");
            return false;
        }
        *out = e->instance;
        return true;
    }
    if (name) snprintf(why, why_size, "no module named %s", name);
    else snprintf(why, why_size, "no module defined yet");
    return false;
}

bool session_register(session *s, const char *as, size_t as_len, wasm_instance *instance) {
    if (!reserve_one((void **)&s->registrations, s->nregistrations, &s->registrations_cap,
                     sizeof *s->registrations))
        return false;
    char *copy = malloc(as_len + 1);
    if (!copy) return false;
    memcpy(copy, as, as_len);
    copy[as_len] = '\0';
    s->registrations[s->nregistrations++] = (registration){copy, as_len, instance};
    return true;
}

void session_clock_start(session *s) { watchdog_arm(s->watchdog); }
bool session_clock_stop(session *s) { return watchdog_disarm(s->watchdog); }
