/* hello — the smallest command: measures process start to exit. */
#include <stdio.h>

int main(void) {
    printf("hello, world\n");
    return 0;
}
