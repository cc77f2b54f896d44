/*
 * functions.h — the one table of WASI preview 1 functions. Private to
 * src/wasi.
 *
 * X(name, signature, handler, grant)
 *   name       the import name in "wasi_snapshot_preview1"
 *   signature  as isorun_imports_define takes it; every function but
 *              proc_exit returns its WASI errno as an i32
 *   handler    a wasi_handler (internal.h)
 *   grant      NONE, or the ISORUN_WASI_* grant the function needs: without
 *              it the call returns ENOTCAPABLE (76) and the handler never runs
 *
 * The filesystem needs no grant here: it is granted by mounting, and without
 * a mount there is no directory fd for path_* to name (EBADF). Sockets are
 * not provided: sock_* always return ENOTSUP (58).
 */
#ifndef ISORUN_WASI_FUNCTIONS_H
#define ISORUN_WASI_FUNCTIONS_H

#define WASI_FUNCTION_LIST(X)                                                                                      \
    X(args_get, "i32 i32 -> i32", wasi_fn_args_get, NONE)                                                          \
    X(args_sizes_get, "i32 i32 -> i32", wasi_fn_args_sizes_get, NONE)                                              \
    X(environ_get, "i32 i32 -> i32", wasi_fn_environ_get, NONE)                                                    \
    X(environ_sizes_get, "i32 i32 -> i32", wasi_fn_environ_sizes_get, NONE)                                        \
    X(clock_res_get, "i32 i32 -> i32", wasi_fn_clock_res_get, CLOCKS)                                              \
    X(clock_time_get, "i32 i64 i32 -> i32", wasi_fn_clock_time_get, CLOCKS)                                        \
    X(fd_advise, "i32 i64 i64 i32 -> i32", wasi_fn_fd_advise, NONE)                                                \
    X(fd_allocate, "i32 i64 i64 -> i32", wasi_fn_fd_allocate, NONE)                                                \
    X(fd_close, "i32 -> i32", wasi_fn_fd_close, NONE)                                                              \
    X(fd_datasync, "i32 -> i32", wasi_fn_fd_datasync, NONE)                                                        \
    X(fd_fdstat_get, "i32 i32 -> i32", wasi_fn_fd_fdstat_get, NONE)                                                \
    X(fd_fdstat_set_flags, "i32 i32 -> i32", wasi_fn_fd_fdstat_set_flags, NONE)                                    \
    X(fd_fdstat_set_rights, "i32 i64 i64 -> i32", wasi_fn_fd_fdstat_set_rights, NONE)                              \
    X(fd_filestat_get, "i32 i32 -> i32", wasi_fn_fd_filestat_get, NONE)                                            \
    X(fd_filestat_set_size, "i32 i64 -> i32", wasi_fn_fd_filestat_set_size, NONE)                                  \
    X(fd_filestat_set_times, "i32 i64 i64 i32 -> i32", wasi_fn_fd_filestat_set_times, NONE)                        \
    X(fd_pread, "i32 i32 i32 i64 i32 -> i32", wasi_fn_fd_pread, NONE)                                              \
    X(fd_prestat_get, "i32 i32 -> i32", wasi_fn_fd_prestat_get, NONE)                                              \
    X(fd_prestat_dir_name, "i32 i32 i32 -> i32", wasi_fn_fd_prestat_dir_name, NONE)                                \
    X(fd_pwrite, "i32 i32 i32 i64 i32 -> i32", wasi_fn_fd_pwrite, NONE)                                            \
    X(fd_read, "i32 i32 i32 i32 -> i32", wasi_fn_fd_read, NONE)                                                    \
    X(fd_readdir, "i32 i32 i32 i64 i32 -> i32", wasi_fn_fd_readdir, NONE)                                          \
    X(fd_renumber, "i32 i32 -> i32", wasi_fn_fd_renumber, NONE)                                                    \
    X(fd_seek, "i32 i64 i32 i32 -> i32", wasi_fn_fd_seek, NONE)                                                    \
    X(fd_sync, "i32 -> i32", wasi_fn_fd_sync, NONE)                                                                \
    X(fd_tell, "i32 i32 -> i32", wasi_fn_fd_tell, NONE)                                                            \
    X(fd_write, "i32 i32 i32 i32 -> i32", wasi_fn_fd_write, NONE)                                                  \
    X(path_create_directory, "i32 i32 i32 -> i32", wasi_fn_path_create_directory, NONE)                            \
    X(path_filestat_get, "i32 i32 i32 i32 i32 -> i32", wasi_fn_path_filestat_get, NONE)                            \
    X(path_filestat_set_times, "i32 i32 i32 i32 i64 i64 i32 -> i32", wasi_fn_path_filestat_set_times, NONE)        \
    X(path_link, "i32 i32 i32 i32 i32 i32 i32 -> i32", wasi_fn_path_link, NONE)                                    \
    X(path_open, "i32 i32 i32 i32 i32 i64 i64 i32 i32 -> i32", wasi_fn_path_open, NONE)                            \
    X(path_readlink, "i32 i32 i32 i32 i32 i32 -> i32", wasi_fn_path_readlink, NONE)                                \
    X(path_remove_directory, "i32 i32 i32 -> i32", wasi_fn_path_remove_directory, NONE)                            \
    X(path_rename, "i32 i32 i32 i32 i32 i32 -> i32", wasi_fn_path_rename, NONE)                                    \
    X(path_symlink, "i32 i32 i32 i32 i32 -> i32", wasi_fn_path_symlink, NONE)                                      \
    X(path_unlink_file, "i32 i32 i32 -> i32", wasi_fn_path_unlink_file, NONE)                                      \
    X(poll_oneoff, "i32 i32 i32 i32 -> i32", wasi_fn_poll_oneoff, NONE)                                            \
    X(proc_exit, "i32 ->", wasi_fn_proc_exit, NONE)                                                                \
    X(proc_raise, "i32 -> i32", wasi_fn_proc_raise, NONE)                                                          \
    X(sched_yield, "-> i32", wasi_fn_sched_yield, NONE)                                                            \
    X(random_get, "i32 i32 -> i32", wasi_fn_random_get, RANDOM)                                                    \
    X(sock_accept, "i32 i32 i32 -> i32", wasi_fn_sock_notsup, NONE)                                                \
    X(sock_recv, "i32 i32 i32 i32 i32 i32 -> i32", wasi_fn_sock_notsup, NONE)                                      \
    X(sock_send, "i32 i32 i32 i32 i32 -> i32", wasi_fn_sock_notsup, NONE)                                          \
    X(sock_shutdown, "i32 i32 -> i32", wasi_fn_sock_notsup, NONE)

#endif /* ISORUN_WASI_FUNCTIONS_H */
