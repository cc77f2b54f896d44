/* report.c — exit statuses and the one line that explains them. */
#include "report.h"

#include "capabilities.h"
#include "cli.h"

#include <stdbool.h>
#include <string.h>

void report_print_exit_statuses(FILE *out) {
    fprintf(out,
            "exit status of `isorun run`:\n"
            "  0-255  the guest's exit status (proc_exit's, modulo 256; 0 when _start\n"
            "         returns; with --invoke, 0 when the function returns)\n"
            "  %d    isorun failed: bad flags, unreadable or invalid module, unknown import,\n"
            "         instantiation error (message on stderr: \"isorun: ...\")\n"
            "  %d    the guest trapped (message on stderr: \"isorun: trap: ...\"), including\n"
            "         --fuel, --timeout and --max-stack running out\n",
            CLI_EXIT_ERROR, CLI_EXIT_TRAP);
}

/* The engine's trap messages read "<trap>: in function <name or #index>"
 * (possibly with more detail before it); the user reads
 * "isorun: trap: <trap> (in function <name or #index>)". */
static void print_trap(const char *message) {
    static const char marker[] = ": in function ";
    const char *where = NULL;
    for (const char *p = strstr(message, marker); p; p = strstr(p + 1, marker)) where = p;
    /* The library escapes names, but a trap line is a guest's words reaching
     * the terminal: print it through the same filter as every error line. */
    fputs("isorun: trap: ", stderr);
    if (where) {
        cli_put_text_n(stderr, message, (size_t)(where - message));
        fputs(" (in function ", stderr);
        cli_put_text(stderr, where + sizeof marker - 1);
        fputs(")\n", stderr);
    } else {
        cli_put_text(stderr, message);
        fputc('\n', stderr);
    }
}

/* The library says `import "M"."F" (TYPE): nothing provides it: ...` for an
 * import no component defines. For a WASI import the CLI can say more:
 * which --allow would grant the function, or that it is not WASI preview 1
 * as isorun provides it. Returns false (the library's message stands) for
 * everything else, e.g. a WASI import declared with the wrong type. */
static bool explain_missing_wasi(const char *message, const char *file, unsigned grants, int *status) {
    static const char prefix[] = "import \"wasi_snapshot_preview1\".\"";
    static const char missing[] = ": nothing provides it";
    const char *tail = strstr(message, missing);
    if (strncmp(message, prefix, sizeof prefix - 1) != 0 || !tail) return false;
    const char *name = message + sizeof prefix - 1;
    size_t len = strcspn(name, "\"");
    char function[64];
    if (len >= sizeof function) return false;
    memcpy(function, name, len);
    function[len] = '\0';
    const cli_capability *cap = cli_capability_of_function(function);
    if (cap && !(grants & cap->grant))
        *status = cli_error("%s: %.*s: not granted: --allow %s grants it", file, (int)(tail - message), message,
                            cap->name);
    else
        *status = cli_error("%s: %.*s: not a WASI preview 1 function isorun provides", file,
                            (int)(tail - message), message);
    return true;
}

int report_outcome(isorun_error *err, const char *file, unsigned grants) {
    if (!err) return 0;
    int status;
    if (isorun_error_code_of(err) == ISORUN_ERR_EXIT) {
        status = isorun_error_exit_code(err) & 0xFF; /* what the OS keeps, as for a native program */
    } else if (isorun_error_trap(err) != ISORUN_TRAP_NONE) {
        print_trap(isorun_error_message(err));
        status = CLI_EXIT_TRAP;
    } else if (isorun_error_code_of(err) != ISORUN_ERR_UNLINKABLE ||
               !explain_missing_wasi(isorun_error_message(err), file, grants, &status)) {
        status = cli_error("%s: %s", file, isorun_error_message(err));
    }
    isorun_error_free(err);
    return status;
}
