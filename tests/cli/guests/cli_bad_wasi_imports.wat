;; cli_bad_wasi_imports.wat — imports a WASI function preview 1 does not
;; have: isorun must refuse it by name.
(module
  (import "wasi_snapshot_preview1" "no_such_call" (func (param i32) (result i32)))
  (func (export "_start")))
