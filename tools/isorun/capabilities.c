/* capabilities.c — the table behind `--allow`. */
#include "capabilities.h"

#include "isorun.h"

#include <string.h>

static const char *const clock_functions[] = {"clock_time_get", "clock_res_get", "poll_oneoff", NULL};
static const char *const random_functions[] = {"random_get", NULL};

static const cli_capability capabilities[] = {
    {"clocks", ISORUN_WASI_CLOCKS, "read the realtime and monotonic clocks, sleep (poll_oneoff)", clock_functions},
    {"random", ISORUN_WASI_RANDOM, "read random bytes from the host", random_functions},
};

#define NCAPS (sizeof capabilities / sizeof capabilities[0])

const cli_capability *cli_capability_find(const char *name, size_t len) {
    for (size_t i = 0; i < NCAPS; i++)
        if (strlen(capabilities[i].name) == len && memcmp(capabilities[i].name, name, len) == 0)
            return &capabilities[i];
    return NULL;
}

const cli_capability *cli_capability_of_function(const char *function) {
    for (size_t i = 0; i < NCAPS; i++)
        for (const char *const *f = capabilities[i].functions; *f; f++)
            if (strcmp(*f, function) == 0) return &capabilities[i];
    return NULL;
}

const cli_capability *cli_capability_of_grant(unsigned grant) {
    for (size_t i = 0; i < NCAPS; i++)
        if (capabilities[i].grant == grant) return &capabilities[i];
    return NULL;
}

void cli_capabilities_print(FILE *out, const char *indent) {
    for (size_t i = 0; i < NCAPS; i++)
        fprintf(out, "%s%-8s %s\n", indent, capabilities[i].name, capabilities[i].description);
}
