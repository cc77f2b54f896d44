;; cli_exit_in_init.wat — a reactor whose _initialize calls proc_exit(5):
;; `isorun run --invoke f` must exit 5 without calling f (which would trap).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_initialize") (call $exit (i32.const 5)))
  (func (export "f") (result i32) (unreachable))
)
