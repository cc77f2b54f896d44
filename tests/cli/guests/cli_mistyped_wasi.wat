;; cli_mistyped_wasi.wat — imports a real WASI function with the wrong type:
;; isorun must name both types (and not suggest --allow).
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32) (result i32)))
  (func (export "_start")))
