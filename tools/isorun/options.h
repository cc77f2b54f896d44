/* options.h — the flags of `isorun run`, parsed into one struct. */
#ifndef ISORUN_CLI_OPTIONS_H
#define ISORUN_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

/* Exit statuses of the CLI besides the guest's own (documented in --help). */
enum {
    CLI_EXIT_ERROR = 125, /* isorun itself failed: flags, file, module, imports */
    CLI_EXIT_TRAP = 134,  /* the guest trapped (128 + SIGABRT, as a crash would) */
};

typedef struct run_options {
    const char *file;       /* the module */
    const char *invoke;     /* export to call instead of _start, or NULL */
    char **args;            /* after FILE: argv[1..] or the --invoke values */
    int nargs;
    const char **env;       /* NAME=VALUE entries, in order */
    int nenv;
    bool env_inherit;       /* pass the host's environment too */
    uint32_t capabilities;  /* bit (1 << wasi_capability) per --allow */
    bool fuel_set;
    uint64_t fuel;
    uint32_t max_stack;     /* 0 = engine default */
    uint32_t max_memory_pages; /* 0 = engine default */
    uint64_t timeout_ns;    /* 0 = no deadline */
} run_options;

/* Parses the arguments after "run". Returns 0 and fills *o, or prints one
 * line to stderr and returns CLI_EXIT_ERROR; returns -1 when it printed help
 * (the caller exits 0). Free with run_options_free. */
int run_options_parse(int argc, char **argv, run_options *o);
void run_options_free(run_options *o);

void print_main_help(void);
void print_run_help(void);

#endif /* ISORUN_CLI_OPTIONS_H */
