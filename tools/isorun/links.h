/* links.h — `--link MODULE=TARGET`: satisfying a module's imports with a
 * remote instance (TARGET = tcp://HOST:PORT/ID, unix:///PATH/ID,
 * nats://HOST:PORT/ID) or with a provider module instantiated in-process
 * (TARGET = FILE.wasm). Shared by `isorun run` and `isorun serve`. */
#ifndef ISORUN_CLI_LINKS_H
#define ISORUN_CLI_LINKS_H

#include "isorun.h"

#include <stdbool.h>
#include <stddef.h>

/* One parsed --link. */
typedef struct cli_link {
    char *module;   /* the import module it satisfies */
    char *address;  /* remote: the transport address; NULL for a local file */
    char *id;       /* remote: the instance id at that address */
    char *file;     /* local: the provider module */
} cli_link;

/* Parses "MODULE=TARGET". Prints one line and returns CLI_EXIT_ERROR when it
 * is malformed; 0 otherwise. Free with cli_link_free. */
int cli_link_parse(const char *value, cli_link *out);
void cli_link_free(cli_link *l);

/* True when some link satisfies imports from `module`. */
bool cli_links_cover(const cli_link *links, int n, const char *module);

/* What applying links made (transports, providers), freed together after
 * the instance that uses them. */
typedef struct cli_link_state {
    isorun_transport **transports;
    isorun_instance **providers;
    size_t ntransports, nproviders;
} cli_link_state;

/* Applies every link to b: dials remote addresses, instantiates local
 * providers under `budget` (with nothing granted; native objects as
 * providers only with `precompiled`). Returns 0, or prints one line and
 * returns CLI_EXIT_ERROR. */
int cli_links_apply(const cli_link *links, int n, isorun_runtime *rt, isorun_builder *b, const isorun_budget *budget,
                    bool precompiled, cli_link_state *st);
void cli_link_state_free(cli_link_state *st);

#endif /* ISORUN_CLI_LINKS_H */
