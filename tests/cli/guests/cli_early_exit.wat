;; cli_early_exit.wat — calls proc_exit(0) from its start function: the
;; program is over then, so isorun must not go on to call _start (which
;; would trap).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $begin (call $exit (i32.const 0)))
  (start $begin)
  (func (export "_start") (unreachable))
)
