/*
 * auth.h — example:auth, an authentication service granted to guests as a
 * system component: the host configures the tokens it accepts, a guest asks
 * whether a token is one of them. Denies by default: with no tokens
 * configured, every check fails. Written only against include/isorun.h.
 *
 * Guest ABI: functions imported from module "example:auth".
 *
 *   check(token_ptr, token_len) -> i32
 *       AUTH_ALLOW (1) when the token (bytes in the guest's memory 0) is one
 *       the host configured, AUTH_DENY (0) when it is not or the instance is
 *       locked out, AUTH_EINVAL (-1) when the bytes lie outside memory
 *       (which counts as a failure too).
 *   failures() -> i32
 *       how many checks of this instance have failed so far.
 *
 * Tokens are compared in time independent of where they differ. With
 * max_failures > 0, an instance whose checks have failed that many times is
 * locked out: every later check denies, even with a good token. Failures
 * are counted per instance (state made at configure, freed at teardown).
 */
#ifndef EXAMPLE_AUTH_H
#define EXAMPLE_AUTH_H

#include "isorun.h"

#include <stddef.h>

#define AUTH_MODULE "example:auth"

#define AUTH_ALLOW 1
#define AUTH_DENY 0
#define AUTH_EINVAL (-1)

/* Makes the component accepting tokens[0..ntokens) (copied; each a NUL-
 * terminated string). max_failures 0 = never lock out. Free with
 * isorun_system_free. */
isorun_error *example_auth_new(const char *const *tokens, size_t ntokens, unsigned max_failures,
                               isorun_system_component **out);

#endif /* EXAMPLE_AUTH_H */
