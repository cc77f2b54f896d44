/* hello.c — the smallest WASI command: prints a greeting and its arguments,
 * and exits with the number of arguments it was given, so a test can check
 * that both output and exit status come through the runtime. */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("hello from a WebAssembly guest\n");
    for (int i = 1; i < argc; i++) printf("argument %d: %s\n", i, argv[i]);
    return argc - 1;
}
