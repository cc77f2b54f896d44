/*
 * functions.h — the one table of WASI preview 1 functions. Private to
 * src/wasi.
 *
 * X(name, params, results, handler, capability)
 *   name        the import name in "wasi_snapshot_preview1"
 *   params      one letter per parameter: 'i' = i32, 'I' = i64
 *   results     likewise ("" for proc_exit; otherwise the errno as i32)
 *   handler     a wasm_host_fn taking the wasi_ctx as env
 *   capability  WASI_CAP_<capability> must be granted, or the import is bound
 *               to a stub returning ENOTCAPABLE
 *
 * Not yet implemented functions use wasi_fn_nosys (ENOSYS); adding one means
 * writing its handler and changing its line here.
 */
#ifndef ISORUN_WASI_FUNCTIONS_H
#define ISORUN_WASI_FUNCTIONS_H

#define WASI_FUNCTION_LIST(X)                                                    \
    X(args_get, "ii", "i", wasi_fn_args_get, BASE)                               \
    X(args_sizes_get, "ii", "i", wasi_fn_args_sizes_get, BASE)                   \
    X(environ_get, "ii", "i", wasi_fn_environ_get, BASE)                         \
    X(environ_sizes_get, "ii", "i", wasi_fn_environ_sizes_get, BASE)             \
    X(clock_res_get, "ii", "i", wasi_fn_clock_res_get, CLOCKS)                   \
    X(clock_time_get, "iIi", "i", wasi_fn_clock_time_get, CLOCKS)                \
    X(fd_advise, "iIIi", "i", wasi_fn_nosys, BASE)                               \
    X(fd_allocate, "iII", "i", wasi_fn_nosys, BASE)                              \
    X(fd_close, "i", "i", wasi_fn_fd_close, BASE)                                \
    X(fd_datasync, "i", "i", wasi_fn_nosys, BASE)                                \
    X(fd_fdstat_get, "ii", "i", wasi_fn_fd_fdstat_get, BASE)                     \
    X(fd_fdstat_set_flags, "ii", "i", wasi_fn_fd_fdstat_set_flags, BASE)         \
    X(fd_fdstat_set_rights, "iII", "i", wasi_fn_nosys, BASE)                     \
    X(fd_filestat_get, "ii", "i", wasi_fn_nosys, BASE)                           \
    X(fd_filestat_set_size, "iI", "i", wasi_fn_nosys, BASE)                      \
    X(fd_filestat_set_times, "iIIi", "i", wasi_fn_nosys, BASE)                   \
    X(fd_pread, "iiiIi", "i", wasi_fn_nosys, BASE)                               \
    X(fd_prestat_get, "ii", "i", wasi_fn_fd_prestat_get, BASE)                   \
    X(fd_prestat_dir_name, "iii", "i", wasi_fn_fd_prestat_dir_name, BASE)        \
    X(fd_pwrite, "iiiIi", "i", wasi_fn_nosys, BASE)                              \
    X(fd_read, "iiii", "i", wasi_fn_fd_read, BASE)                               \
    X(fd_readdir, "iiiIi", "i", wasi_fn_nosys, BASE)                             \
    X(fd_renumber, "ii", "i", wasi_fn_nosys, BASE)                               \
    X(fd_seek, "iIii", "i", wasi_fn_fd_seek, BASE)                               \
    X(fd_sync, "i", "i", wasi_fn_nosys, BASE)                                    \
    X(fd_tell, "ii", "i", wasi_fn_nosys, BASE)                                   \
    X(fd_write, "iiii", "i", wasi_fn_fd_write, BASE)                             \
    X(path_create_directory, "iii", "i", wasi_fn_nosys, FILESYSTEM)              \
    X(path_filestat_get, "iiiii", "i", wasi_fn_nosys, FILESYSTEM)                \
    X(path_filestat_set_times, "iiiiIIi", "i", wasi_fn_nosys, FILESYSTEM)        \
    X(path_link, "iiiiiii", "i", wasi_fn_nosys, FILESYSTEM)                      \
    X(path_open, "iiiiiIIii", "i", wasi_fn_nosys, FILESYSTEM)                    \
    X(path_readlink, "iiiiii", "i", wasi_fn_nosys, FILESYSTEM)                   \
    X(path_remove_directory, "iii", "i", wasi_fn_nosys, FILESYSTEM)              \
    X(path_rename, "iiiiii", "i", wasi_fn_nosys, FILESYSTEM)                     \
    X(path_symlink, "iiiii", "i", wasi_fn_nosys, FILESYSTEM)                     \
    X(path_unlink_file, "iii", "i", wasi_fn_nosys, FILESYSTEM)                   \
    X(poll_oneoff, "iiii", "i", wasi_fn_nosys, BASE)                             \
    X(proc_exit, "i", "", wasi_fn_proc_exit, BASE)                               \
    X(proc_raise, "i", "i", wasi_fn_nosys, BASE)                                 \
    X(sched_yield, "", "i", wasi_fn_sched_yield, BASE)                           \
    X(random_get, "ii", "i", wasi_fn_random_get, RANDOM)                         \
    X(sock_accept, "iii", "i", wasi_fn_notsup, BASE)                              \
    X(sock_recv, "iiiiii", "i", wasi_fn_notsup, BASE)                             \
    X(sock_send, "iiiii", "i", wasi_fn_notsup, BASE)                              \
    X(sock_shutdown, "ii", "i", wasi_fn_notsup, BASE)    

#endif /* ISORUN_WASI_FUNCTIONS_H */
