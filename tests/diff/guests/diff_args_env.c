/* diff_args_env.c — argv and the environment, exactly as the guest sees
 * them: counts, each string with its length, and lookups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] (%zu bytes) [%s]\n", i, strlen(argv[i]), argv[i]);
    int n = 0;
    for (char **e = environ; e && *e; e++, n++) printf("env [%s]\n", *e);
    printf("%d variables\n", n);
    const char *lookups[] = {"GREETING", "EMPTY", "WITH_EQUALS", "MISSING", "PATH", "HOME"};
    for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
        const char *v = getenv(lookups[i]);
        printf("getenv(%s) = %s%s%s\n", lookups[i], v ? "[" : "", v ? v : "(null)", v ? "]" : "");
    }
    return argc > 1 ? (int)strlen(argv[1]) : 0;
}
