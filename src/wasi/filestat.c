/* filestat.c — WASI's struct filestat and timestamps, to and from the host's,
 * for fd_filestat_* and path_filestat_*. */
#include "internal.h"

#include <time.h>

static uint64_t nanoseconds(struct timespec ts) {
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

void wasi_store_filestat(uint8_t *p, const struct stat *st) {
    /* dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40,
     * mtim @48, ctim @56; the padding is zeroed, not left as guest bytes. */
    for (int i = 16; i < 24; i++) p[i] = 0;
    wasi_store_u64(p, (uint64_t)st->st_dev);
    wasi_store_u64(p + 8, (uint64_t)st->st_ino);
    p[16] = wasi_filetype_of_mode(st->st_mode);
    wasi_store_u64(p + 24, (uint64_t)st->st_nlink);
    wasi_store_u64(p + 32, (uint64_t)st->st_size);
    wasi_store_u64(p + 40, nanoseconds(st->st_atim));
    wasi_store_u64(p + 48, nanoseconds(st->st_mtim));
    wasi_store_u64(p + 56, nanoseconds(st->st_ctim));
}

static struct timespec timespec_of(uint64_t ns) {
    struct timespec ts;
    ts.tv_sec = (time_t)(ns / UINT64_C(1000000000));
    ts.tv_nsec = (long)(ns % UINT64_C(1000000000));
    return ts;
}

uint32_t wasi_times_from_guest(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec ts[2]) {
    if (fst_flags & ~(uint32_t)(WASI_FST_ATIM | WASI_FST_ATIM_NOW | WASI_FST_MTIM | WASI_FST_MTIM_NOW))
        return WASI_EINVAL;
    if ((fst_flags & WASI_FST_ATIM) && (fst_flags & WASI_FST_ATIM_NOW)) return WASI_EINVAL;
    if ((fst_flags & WASI_FST_MTIM) && (fst_flags & WASI_FST_MTIM_NOW)) return WASI_EINVAL;
    ts[0].tv_sec = ts[1].tv_sec = 0;
    ts[0].tv_nsec = fst_flags & WASI_FST_ATIM_NOW ? UTIME_NOW : UTIME_OMIT;
    ts[1].tv_nsec = fst_flags & WASI_FST_MTIM_NOW ? UTIME_NOW : UTIME_OMIT;
    if (fst_flags & WASI_FST_ATIM) ts[0] = timespec_of(atim);
    if (fst_flags & WASI_FST_MTIM) ts[1] = timespec_of(mtim);
    return WASI_ESUCCESS;
}
