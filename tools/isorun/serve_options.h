/* serve_options.h — what `isorun serve` was asked to do, parsed from its
 * flags: listen addresses and server settings, then one group of flags per
 * instance, each ended by `--as ID`. */
#ifndef ISORUN_CLI_SERVE_OPTIONS_H
#define ISORUN_CLI_SERVE_OPTIONS_H

#include "run_options.h"

#include <stdint.h>

typedef struct serve_instance {
    run_options run; /* FILE.wasm and its budget and link flags, as for `isorun run` */
    const char *id;  /* --as */
} serve_instance;

typedef struct serve_options {
    const char **listen; /* --listen, in order */
    int nlisten;
    uint32_t workers;     /* --workers; 0 = the server's default */
    uint64_t grace_ns;    /* --grace; 0 = the server's default */
    serve_instance *instances;
    int ninstances;
} serve_options;

/* Parses the arguments after "serve". Returns 0; -1 when it printed the
 * help; otherwise prints one line and returns CLI_EXIT_ERROR. Free with
 * serve_options_free in every case. */
int serve_options_parse(int argc, char **argv, serve_options *o);
void serve_options_free(serve_options *o);

void serve_print_help(void);

#endif /* ISORUN_CLI_SERVE_OPTIONS_H */
