/* main.c — the isorun command: dispatches to a subcommand. A subcommand is
 * one entry in the table below and one function taking the arguments after
 * its name. */
#include "cli.h"
#include "compile.h"
#include "inspect.h"
#include "report.h"
#include "run.h"
#include "serve.h"

#include "isorun.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    const char *usage;   /* for the main help */
    const char *summary;
    int (*main)(int argc, char **argv); /* the arguments after the name */
} command;

static const command commands[] = {
    {"run", "run [OPTIONS] FILE.wasm [ARGS...]", "run a WASI command (or --invoke an export)", run_command},
    {"serve", "serve [OPTIONS] FILE.wasm --as ID...", "serve instances to remote callers", serve_command},
    {"compile", "compile [--native-cache DIR] FILE.wasm...", "build modules' native code ahead of run --native",
     compile_command},
    {"inspect", "inspect [--json] FILE.wasm", "what a module imports, exports and needs", inspect_command},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_main_help(void) {
    printf("isorun %s — run WebAssembly in isolation\n\nusage:\n", isorun_version());
    for (size_t i = 0; i < NCOMMANDS; i++) printf("  isorun %-36s %s\n", commands[i].usage, commands[i].summary);
    printf("  isorun %-36s %s\n", "COMMAND --help", "the options of COMMAND");
    printf("  isorun %-36s %s\n", "--help | -h", "this text");
    printf("  isorun %-36s %s\n\n", "--version | -V", "print the version");
    report_print_exit_statuses(stdout);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_main_help();
        return CLI_EXIT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_main_help();
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("isorun %s\n", isorun_version());
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(name, commands[i].name) != 0) continue;
        /* A guest writing to a closed pipe should get EPIPE, not kill us. */
        signal(SIGPIPE, SIG_IGN);
        int status = commands[i].main(argc - 2, argv + 2);
        /* Output the guest wrote through our stdio must not be lost silently. */
        if (fflush(stdout) != 0 && status == 0) status = cli_error("writing stdout failed");
        return status;
    }
    if (name[0] == '-') return cli_error("unknown option \"%s\" (see isorun --help)", name);
    return cli_error("unknown command \"%s\" (see isorun --help)", name);
}
