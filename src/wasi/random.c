/* random.c — random_get (the "random" capability), from the kernel's CSPRNG. */
#include "internal.h"

#include <errno.h>
#include <sys/random.h>

WASI_HANDLER(wasi_fn_random_get) {
    uint32_t len = WASI_ARG_U32(1);
    uint8_t *buf = wasi_guest_bytes(wasi_caller_memory(call), WASI_ARG_U32(0), len);
    if (!buf) WASI_RETURN(WASI_EFAULT);
    /* getrandom returns at most 32 MiB per call and may be interrupted. */
    for (uint32_t done = 0; done < len;) {
        ssize_t n = getrandom(buf + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            WASI_RETURN(wasi_errno_from_host(errno));
        }
        done += (uint32_t)n;
    }
    WASI_RETURN(WASI_ESUCCESS);
}
