/* errno.c — host errno values translated to WASI's: every name WASI shares
 * with the host maps to itself (WASI_ERRNO_LIST), Linux's own errors to the
 * WASI error that means the same to a program, the rest to EIO. */
#include "internal.h"

#include <errno.h>

/* Linux errors WASI has no name for, by meaning. A separate switch: some of
 * these equal listed ones on other systems, and a duplicate case would not
 * compile. */
static uint32_t linux_only(int e) {
    switch (e) {
#ifdef EBADFD
    case EBADFD: return WASI_EBADF;
#endif
#ifdef ETIME
    case ETIME: return WASI_ETIMEDOUT;
#endif
#ifdef ESHUTDOWN
    case ESHUTDOWN: return WASI_EPIPE;
#endif
#ifdef EHOSTDOWN
    case EHOSTDOWN: return WASI_EHOSTUNREACH;
#endif
#ifdef EPFNOSUPPORT
    case EPFNOSUPPORT: return WASI_EAFNOSUPPORT;
#endif
#ifdef ESOCKTNOSUPPORT
    case ESOCKTNOSUPPORT: return WASI_EPROTONOSUPPORT;
#endif
#ifdef ENOMEDIUM
    case ENOMEDIUM: return WASI_ENODEV;
#endif
#ifdef EMEDIUMTYPE
    case EMEDIUMTYPE: return WASI_ENODEV;
#endif
#ifdef ENOTBLK
    case ENOTBLK: return WASI_EINVAL;
#endif
#ifdef ENOSR
    case ENOSR: return WASI_ENOMEM;
#endif
#ifdef ELIBBAD
    case ELIBBAD: return WASI_ENOEXEC;
#endif
    default: return WASI_EIO;
    }
}

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
        return linux_only(host_errno);
    }
}
