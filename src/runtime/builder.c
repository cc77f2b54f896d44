/*
 * builder.c — collecting what one instance gets: system components (whose
 * install runs as they are added), local links, a budget and a registry id.
 * The work of making the instance is in instantiate.c.
 */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

isorun_builder *isorun_builder_new(isorun_runtime *rt, isorun_module *m) {
    if (!rt || !m || m->rt != rt) return NULL;
    isorun_builder *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->imports = isr_imports_new();
    if (!b->imports) {
        free(b);
        return NULL;
    }
    b->rt = isr_runtime_ref(rt);
    b->m = isr_module_ref(m);
    return b;
}

void isorun_builder_free(isorun_builder *b) {
    if (!b) return;
    for (size_t i = 0; i < b->ncomponents; i++) isorun_system_free(b->components[i]);
    free(b->components);
    for (size_t i = 0; i < b->nlinks; i++) {
        free(b->links[i].module);
        isorun_instance_free(b->links[i].provider);
    }
    free(b->links);
    isr_imports_release(b->imports);
    free(b->id);
    isorun_module_free(b->m);
    isr_runtime_release(b->rt);
    free(b);
}

isorun_error *isorun_builder_add_system(isorun_builder *b, isorun_system_component *c) {
    if (!b || !c) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_builder_add_system: builder and component are required");
    isorun_error *err = isr_imports_unshare(&b->imports);
    if (err) return err;
    if (!isr_grow_array((void **)&b->components, &b->cap_components, b->ncomponents + 1, sizeof *b->components))
        return isr_error_nomem();
    size_t keep = b->imports->ndefs;
    b->imports->installing = b->ncomponents;
    if (c->ops->install) {
        err = c->ops->install(c->config, b->imports);
        if (err) {
            /* A failed install leaves nothing behind. */
            isr_imports_truncate(b->imports, keep);
            return isr_error_wrap(err, "system component \"%s\": install", c->ops->name ? c->ops->name : "?");
        }
    }
    b->components[b->ncomponents++] = isorun_system_ref(c);
    return NULL;
}

isorun_error *isorun_builder_link_local(isorun_builder *b, const char *import_module, isorun_instance *provider) {
    if (!b || !import_module || !provider)
        return isr_error(ISORUN_ERR_ARGUMENT, "isorun_builder_link_local: builder, import module and provider are required");
    if (provider->rt != b->rt)
        return isr_error(ISORUN_ERR_ARGUMENT,
                         "link \"%s\": the provider belongs to another runtime; link instances of the same runtime "
                         "(or use a remote link)",
                         import_module);
    for (size_t i = 0; i < b->nlinks; i++)
        if (strcmp(b->links[i].module, import_module) == 0)
            return isr_error(ISORUN_ERR_ARGUMENT, "import module \"%s\" is already linked: link each module once",
                             import_module);
    if (!isr_grow_array((void **)&b->links, &b->cap_links, b->nlinks + 1, sizeof *b->links)) return isr_error_nomem();
    char *module = isr_strndup(import_module, strlen(import_module));
    if (!module) return isr_error_nomem();
    b->links[b->nlinks++] = (isr_link){module, isorun_instance_ref(provider)};
    return NULL;
}

void isorun_builder_set_budget(isorun_builder *b, const isorun_budget *budget) {
    if (!b) return;
    if (budget)
        b->budget = *budget;
    else
        memset(&b->budget, 0, sizeof b->budget);
}

isorun_error *isorun_builder_set_id(isorun_builder *b, const char *id) {
    if (!b) return isr_error(ISORUN_ERR_ARGUMENT, "isorun_builder_set_id: no builder");
    char *copy = NULL;
    if (id) {
        if (!*id) return isr_error(ISORUN_ERR_ARGUMENT, "an instance id must not be empty");
        copy = isr_strndup(id, strlen(id));
        if (!copy) return isr_error_nomem();
    }
    free(b->id);
    b->id = copy;
    return NULL;
}
