;; wait.wat — the WASI calls that wait, one per export, called straight
;; (no libc) so that a test can make each call again on the same instance:
;; fd_read on a pipe with no data, fd_write on a full pipe, poll_oneoff on a
;; clock and on an fd. test_wasi_wake stops them with deadlines and
;; isorun_instance_interrupt.
;;
;; Memory: 0 an iovec, 8 the count a call stores, 64 one subscription (48
;; bytes), 128 one event (32 bytes), 1024 a buffer of 1024 bytes.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  ;; The count stored at 8 when errno is 0; -errno otherwise.
  (func $count_or_error (param $errno i32) (result i32)
    (if (result i32) (local.get $errno)
      (then (i32.sub (i32.const 0) (local.get $errno)))
      (else (i32.load (i32.const 8)))))

  ;; Reads up to 1024 bytes of fd into the buffer: the count read, or -errno.
  (func (export "read") (param $fd i32) (result i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 1024))
    (call $count_or_error (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Writes n (at most 1024) bytes of the buffer to fd: the count written, or
  ;; -errno.
  (func (export "write") (param $fd i32) (param $n i32) (result i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (local.get $n))
    (call $count_or_error (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; One subscription with userdata 7 and the given tag; the rest zeroed.
  (func $subscribe (param $tag i32)
    (i64.store (i32.const 64) (i64.const 7))
    (i64.store (i32.const 72) (i64.extend_i32_u (local.get $tag)))
    (i64.store (i32.const 80) (i64.const 0))
    (i64.store (i32.const 88) (i64.const 0))
    (i64.store (i32.const 96) (i64.const 0))
    (i64.store (i32.const 104) (i64.const 0)))

  ;; poll_oneoff on the subscription at 64: -errno, or -1000 - the event's
  ;; error, or the event's nbytes (0 for a clock).
  (func $poll_one (result i32)
    (local $errno i32)
    (local.set $errno (call $poll_oneoff (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 8)))
    (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
    (if (i32.load16_u (i32.const 136))
      (then (return (i32.sub (i32.const -1000) (i32.load16_u (i32.const 136))))))
    (i32.wrap_i64 (i64.load (i32.const 144))))

  ;; Sleeps ns nanoseconds on the monotonic clock (relative): 0 when it woke.
  (func (export "sleep") (param $ns i64) (result i32)
    (call $subscribe (i32.const 0))
    (i32.store (i32.const 80) (i32.const 1))
    (i64.store (i32.const 88) (local.get $ns))
    (call $poll_one))

  ;; Waits until fd is readable: the bytes ready, as the event tells.
  (func (export "wait_readable") (param $fd i32) (result i32)
    (call $subscribe (i32.const 1))
    (i32.store (i32.const 80) (local.get $fd))
    (call $poll_one))
)
