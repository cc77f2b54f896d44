/* module_load.c — see module_load.h. */
#include "module_load.h"

#include <stdio.h>
#include <string.h>

/* Whether the file starts like an ELF object (what isorun compile -o writes). */
static bool looks_native(const char *path) {
    FILE *f = fopen(path, "rb");
    unsigned char magic[4] = {0};
    bool elf = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "\x7f" "ELF", 4) == 0;
    if (f) fclose(f);
    return elf;
}

isorun_error *cli_module_load(isorun_runtime *rt, const char *path, bool precompiled, isorun_module **out) {
    if (precompiled && looks_native(path)) return isorun_module_load_native(rt, path, out);
    if (looks_native(path))
        return isorun_error_new(ISORUN_ERR_MALFORMED,
                                "%s is a native object (isorun compile -o), not WebAssembly: run it with "
                                "--precompiled, if you trust it",
                                path);
    return isorun_module_load_file(rt, path, out);
}
