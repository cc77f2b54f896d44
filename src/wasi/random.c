/* random.c — random_get (granted by ISORUN_WASI_RANDOM), from the kernel's
 * CSPRNG. */
#include "internal.h"

#include <errno.h>
#include <sys/random.h>

uint32_t wasi_fn_random_get(wasi_call *c, const isorun_val *args) {
    uint32_t len = WASI_ARG32(1);
    uint8_t *buf = wasi_mem(c, WASI_ARG32(0), len);
    if (!buf) return WASI_EFAULT;
    /* getrandom returns at most 32 MiB per call and may be interrupted. */
    for (uint32_t done = 0; done < len;) {
        ssize_t n = getrandom(buf + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return wasi_errno_from_host(errno);
        }
        done += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}
