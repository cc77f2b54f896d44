/* main.c — the isorun command: dispatches to a subcommand. */
#include "options.h"
#include "run.h"

#include "isorun.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_main_help();
        return argc < 2 ? CLI_EXIT_ERROR : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("isorun %s\n", isorun_version());
        return 0;
    }
    if (strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "isorun: unknown command \"%s\" (see isorun --help)\n", argv[1]);
        return CLI_EXIT_ERROR;
    }
    /* A guest writing to a closed pipe should get EPIPE, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    run_options options;
    int status = run_options_parse(argc - 2, argv + 2, &options);
    if (status == 0) status = run_module(&options);
    else if (status < 0) status = 0; /* printed help */
    run_options_free(&options);
    if (fflush(stdout) != 0 && status == 0) status = CLI_EXIT_ERROR;
    return status;
}
