/* module_info.c — what a module imports and exports, for checks and
 * messages (see module_info.h). */
#include "module_info.h"

#include <stdio.h>
#include <string.h>

bool module_imports_from(const isorun_module *m, const char *module) {
    isorun_item_info info;
    for (size_t i = 0; isorun_module_import(m, i, &info); i++)
        if (strcmp(info.module, module) == 0) return true;
    return false;
}

bool module_function_export(const isorun_module *m, const char *name, isorun_functype *type) {
    isorun_item_info info;
    for (size_t i = 0; isorun_module_export(m, i, &info); i++)
        if (info.kind == ISORUN_EXTERN_FUNC && strcmp(info.name, name) == 0) {
            if (type) *type = info.type;
            return true;
        }
    return false;
}

void module_list_functions(const isorun_module *m, char *buf, size_t size) {
    isorun_item_info info;
    size_t used = 0, shown = 0;
    buf[0] = '\0';
    for (size_t i = 0; isorun_module_export(m, i, &info) && used < size; i++) {
        if (info.kind != ISORUN_EXTERN_FUNC || info.name[0] == '_') continue;
        if (shown == 6) {
            snprintf(buf + used, size - used, ", ...");
            return;
        }
        int n = snprintf(buf + used, size - used, "%s%s", shown ? ", " : "", info.name);
        if (n < 0) return;
        used += (size_t)n;
        shown++;
    }
}

void functype_describe(const isorun_functype *t, char *buf, size_t size) {
    size_t used = 0;
    used += (size_t)snprintf(buf, size, "(");
    for (uint32_t i = 0; i < t->nparams + t->nresults && used < size; i++) {
        isorun_kind k = i < t->nparams ? t->params[i] : t->results[i - t->nparams];
        const char *sep = i == t->nparams ? (i ? " -> " : "-> ") : i ? " " : "";
        used += (size_t)snprintf(buf + used, size - used, "%s%s", sep, isorun_kind_name(k));
    }
    if (used < size && t->nresults == 0) used += (size_t)snprintf(buf + used, size - used, t->nparams ? " ->" : "->");
    if (used < size) snprintf(buf + used, size - used, ")");
}
