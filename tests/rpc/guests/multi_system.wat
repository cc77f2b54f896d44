;; multi_system.wat — one instance that uses three kinds of capability at
;; once: a WASI filesystem mount (preopened fd 3), a local link (a counter in
;; the same runtime) and a remote link (a math provider in another runtime).
;;
;;   run(x): r = add(x, next()); write r (4 bytes, little-endian) to the file
;;           "result.bin" in the mount; return r. When the file cannot be
;;           opened or written, returns -1000 - errno or -2000 - errno.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "local:counter" "next" (func $next (result i32)))
  (import "example:math/ops" "add" (func $add (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "result.bin")
  ;; 16: the opened fd; 32: one iovec {64, 4}; 48: bytes written; 64: the value
  (func (export "run") (param $x i32) (result i32)
    (local $r i32) (local $errno i32)
    (local.set $r (call $add (local.get $x) (call $next)))
    (i32.store (i32.const 64) (local.get $r))
    ;; oflags 9 = creat | trunc; rights: fd_write (1 << 6)
    (local.set $errno
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 10) (i32.const 9)
                       (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 16)))
    (if (local.get $errno) (then (return (i32.sub (i32.const -1000) (local.get $errno)))))
    (i32.store (i32.const 32) (i32.const 64))
    (i32.store (i32.const 36) (i32.const 4))
    (local.set $errno (call $fd_write (i32.load (i32.const 16)) (i32.const 32) (i32.const 1) (i32.const 48)))
    (drop (call $fd_close (i32.load (i32.const 16))))
    (if (local.get $errno) (then (return (i32.sub (i32.const -2000) (local.get $errno)))))
    (local.get $r)))
