;; host_import.wat — imports host functions of several signatures and calls
;; them, so tests can check arguments, results, traps and re-entry across the
;; host boundary. Used by test_engine_limits.c.
(module
  (import "env" "mix" (func $mix (param i32 i64 f64) (result i64)))
  (import "env" "divmod" (func $divmod (param i32 i32) (result i32 i32)))
  (import "env" "maybe_fail" (func $maybe_fail (param i32)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))

  (func (export "call_mix") (param i32 i64 f64) (result i64)
    (call $mix (local.get 0) (local.get 1) (local.get 2)))

  ;; quotient * 1000 + remainder, from the host's two results.
  (func (export "call_divmod") (param i32 i32) (result i32)
    (local $remainder i32)
    (call $divmod (local.get 0) (local.get 1))   ;; stack: quotient remainder
    local.set $remainder
    i32.const 1000
    i32.mul
    local.get $remainder
    i32.add)

  ;; Returns 42 unless the host function traps.
  (func (export "call_maybe_fail") (param $mode i32) (result i32)
    (call $maybe_fail (local.get $mode))
    (i32.const 42))

  (func (export "double") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "trap") (unreachable))
  ;; 1 + the host's answer, which the host gets by calling back into `double`
  ;; (or `trap`, when the argument is negative).
  (func (export "call_reenter") (param i32) (result i32)
    (i32.add (i32.const 1) (call $reenter (local.get 0))))
)
