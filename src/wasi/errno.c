/* errno.c — host errno values translated to WASI's. */
#include "internal.h"

#include <errno.h>

uint32_t wasi_errno_from_host(int host_errno) {
    switch (host_errno) {
    case 0:
        return WASI_ESUCCESS;
#define WASI_X_CASE(name, num)                                                                     \
    case E##name:                                                                                  \
        return WASI_E##name;
        WASI_ERRNO_LIST(WASI_X_CASE)
#undef WASI_X_CASE
    default:
        return WASI_EIO;
    }
}
