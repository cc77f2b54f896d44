/* cli_env.c — prints its environment, one NAME=VALUE per line, so tests can
 * check that only what --env / --env-inherit give reaches the guest. */
#include <stdio.h>

extern char **environ;

int main(void) {
    int n = 0;
    for (char **e = environ; e && *e; e++, n++) printf("%s\n", *e);
    printf("%d variables\n", n);
    return 0;
}
