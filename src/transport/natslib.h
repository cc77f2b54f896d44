/*
 * natslib.h — libnats, loaded on the first use of a nats:// address
 * (natslib.c). Private to the NATS transport (nats.c); built only with
 * ISORUN_NATS (-DISORUN_HAVE_NATS), which also provides libnats-dev's headers.
 *
 * isorun does not link libnats: it and what it pulls in (libssl, libcrypto,
 * libprotobuf-c) cost more than half of a process's start-up, and most runs
 * never touch NATS. The headers still give the types, constants and the
 * exact signature of every function; only the calls go through a table of
 * pointers resolved with dlsym.
 */
#ifndef ISORUN_TRANSPORT_NATSLIB_H
#define ISORUN_TRANSPORT_NATSLIB_H

#include "../util/util.h"

#include <nats/nats.h>

/* The environment variable naming the library to load instead of the
 * default soname (a path or a file name dlopen searches for). */
#define TP_NATSLIB_ENV "ISORUN_LIBNATS"

/* Every libnats function the transport calls, once. */
#define TP_NATSLIB_FUNCTIONS(X)                                                                    \
    X(nats_GetLastError)                                                                           \
    X(nats_GetVersionNumber)                                                                       \
    X(natsStatus_GetText)                                                                          \
    X(natsOptions_Create)                                                                          \
    X(natsOptions_SetURL)                                                                          \
    X(natsOptions_SetName)                                                                         \
    X(natsOptions_SetTimeout)                                                                      \
    X(natsOptions_SetSendAsap)                                                                     \
    X(natsOptions_Destroy)                                                                         \
    X(natsConnection_Connect)                                                                      \
    X(natsConnection_Close)                                                                        \
    X(natsConnection_Destroy)                                                                      \
    X(natsConnection_IsClosed)                                                                     \
    X(natsConnection_Flush)                                                                        \
    X(natsConnection_GetMaxPayload)                                                                \
    X(natsConnection_Publish)                                                                      \
    X(natsConnection_PublishRequest)                                                               \
    X(natsConnection_Subscribe)                                                                    \
    X(natsSubscription_SetOnCompleteCB)                                                            \
    X(natsSubscription_Unsubscribe)                                                                \
    X(natsSubscription_Destroy)                                                                    \
    X(natsMsg_GetData)                                                                             \
    X(natsMsg_GetDataLength)                                                                       \
    X(natsMsg_GetSubject)                                                                          \
    X(natsMsg_GetReply)                                                                            \
    X(natsMsg_IsNoResponders)                                                                      \
    X(natsMsg_Destroy)                                                                             \
    X(natsInbox_Create)                                                                            \
    X(natsInbox_Destroy)

/* One member per function, named like it and typed from its declaration in
 * nats.h (__typeof__, a GNU C extension gcc and clang both have), so a call
 * through the table is checked exactly like a direct call would be. */
typedef struct tp_natslib {
#define TP_NATSLIB_MEMBER(fn) __typeof__(fn) *fn;
    TP_NATSLIB_FUNCTIONS(TP_NATSLIB_MEMBER)
#undef TP_NATSLIB_MEMBER
} tp_natslib;

/* The loaded library's table. The first call loads it (thread-safe, once
 * per process); the table never changes afterwards and stays valid until
 * the process exits. When libnats cannot be loaded, every call fails alike:
 * ISORUN_ERR_IO naming the library file and how to install it (not the
 * address: the reason is the same for every one). */
isorun_error *tp_natslib_get(const tp_natslib **out);

#endif /* ISORUN_TRANSPORT_NATSLIB_H */
