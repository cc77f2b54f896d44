/*
 * sandbox_tools.h — what the sandbox tests (test_wasi_sandbox.c,
 * test_wasi_fuzz_paths.c) do to the host around a guest: a thread that swaps
 * names for symlinks to the outside while the guest resolves paths, and a
 * seccomp filter that takes openat2 away so the fallback walk is tested.
 */
#ifndef ISORUN_TEST_SANDBOX_TOOLS_H
#define ISORUN_TEST_SANDBOX_TOOLS_H

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Exchanges BOX/swap (a directory) with BOX/swap_alt (a link to the
 * outside) and BOX/swapf (a file) with BOX/swapf_alt (a link to an outside
 * file), over and over until stop: with atomic exchanges, at every instant
 * each name is one or the other. Run swap_names on a thread. */
typedef struct swapper {
    const char *box;
    atomic_bool stop;
    long swaps;
} swapper;

static void *swap_names(void *arg) {
    swapper *s = arg;
    char swap[4096], alt[4096], swapf[4096], altf[4096];
    snprintf(swap, sizeof swap, "%s/swap", s->box);
    snprintf(alt, sizeof alt, "%s/swap_alt", s->box);
    snprintf(swapf, sizeof swapf, "%s/swapf", s->box);
    snprintf(altf, sizeof altf, "%s/swapf_alt", s->box);
    while (!atomic_load(&s->stop)) {
        if (syscall(SYS_renameat2, AT_FDCWD, swap, AT_FDCWD, alt, 2 /* RENAME_EXCHANGE */) == 0) s->swaps++;
        if (syscall(SYS_renameat2, AT_FDCWD, swapf, AT_FDCWD, altf, 2) == 0) s->swaps++;
    }
    return NULL;
}

/* Makes openat2 fail with ENOSYS for this process (and what it execs) from
 * now on; false when the filter cannot be installed here. */
static bool forbid_openat2(void) {
#if defined(__x86_64__)
#define SANDBOX_TOOLS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_TOOLS_ARCH AUDIT_ARCH_AARCH64
#endif
#ifdef SANDBOX_TOOLS_ARCH
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_TOOLS_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof filter / sizeof filter[0], .filter = filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return false;
    /* Check it took. */
    errno = 0;
    return syscall(SYS_openat2, AT_FDCWD, ".", NULL, 0) < 0 && errno == ENOSYS;
#else
    return false;
#endif
}

#endif /* ISORUN_TEST_SANDBOX_TOOLS_H */
