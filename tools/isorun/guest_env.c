/* guest_env.c — the guest's environment (see guest_env.h). */
#include "guest_env.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

/* True when an --env entry sets the variable named by entry's NAME. */
static bool overridden(const run_options *o, const char *entry) {
    size_t len = strcspn(entry, "=");
    for (int i = 0; i < o->nenv; i++)
        if (strncmp(o->env[i], entry, len) == 0 && o->env[i][len] == '=') return true;
    return false;
}

const char **guest_env_build(const run_options *o, int *count) {
    size_t host = 0;
    for (char **e = environ; o->env_inherit && e && *e; e++) host++;
    const char **list = malloc(sizeof *list * (host + (size_t)o->nenv + 1));
    if (!list) return NULL;
    int n = 0;
    for (char **e = environ; o->env_inherit && e && *e; e++)
        /* "=x" and entries without '=' are not variables a guest can use. */
        if (strchr(*e, '=') && **e != '=' && !overridden(o, *e)) list[n++] = *e;
    for (int i = 0; i < o->nenv; i++) list[n++] = o->env[i];
    *count = n;
    return list;
}
