/* run_options.h — what `isorun run` was asked to do, parsed from its flags. */
#ifndef ISORUN_CLI_RUN_OPTIONS_H
#define ISORUN_CLI_RUN_OPTIONS_H

#include "links.h"

#include "isorun.h"

#include <stdbool.h>
#include <stdint.h>

/* One --dir: host directory host shown to the guest as guest. */
typedef struct run_mount {
    const char *host;  /* points into argv, or into `owned` */
    const char *guest;
    bool read_only;
    char *owned;       /* the split copy of the flag's value, freed with the options */
} run_mount;

typedef struct run_options {
    const char *file;      /* the module */
    const char *invoke;    /* export to call instead of _start, or NULL */
    char **args;           /* after FILE: argv[1..] or the --invoke values */
    int nargs;
    const char **env;      /* NAME=VALUE entries, in order */
    int nenv;
    bool env_inherit;      /* pass the host's environment too */
    run_mount *mounts;
    int nmounts;
    unsigned grants;       /* ISORUN_WASI_* per --allow */
    isorun_budget budget;  /* --fuel, --max-memory, --timeout, --max-stack */
    cli_link *links;       /* --link, in order */
    int nlinks;
    bool native;              /* --native: run as native code */
    const char *native_cache; /* --native-cache DIR, or NULL */
    bool precompiled;         /* --precompiled: native objects (isorun compile -o) given are trusted */
} run_options;

/* Parses the arguments after "run". Returns 0 and fills *o; returns -1 when
 * it printed the help (exit 0); otherwise prints one line to stderr and
 * returns CLI_EXIT_ERROR. Free with run_options_free in every case. */
int run_options_parse(int argc, char **argv, run_options *o);
void run_options_free(run_options *o);

/* `isorun run --help`. */
void run_print_help(void);

#endif /* ISORUN_CLI_RUN_OPTIONS_H */
