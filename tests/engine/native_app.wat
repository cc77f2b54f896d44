;; native_app.wat — the consumer of test_native.c's cross-instance tests:
;; imports native_lib.wat's functions and table, puts two of its own
;; functions into that table and calls the provider directly, through the
;; shared table, and has the provider call back through it.
(module
  (type $i_i (func (param i32) (result i32)))
  (type $v_i (func (result i32)))
  (import "lib" "twice" (func $twice (type $i_i)))
  (import "lib" "call_slot" (func $call_slot (param i32 i32) (result i32)))
  (import "lib" "table" (table $t 4 funcref))
  (memory 1)
  (elem (table $t) (i32.const 2) func $plus100 $bounce)

  (func $plus100 (type $i_i)
    (i32.store (i32.const 0) (i32.const 1)) ;; this instance's memory, not the provider's
    (i32.add (local.get 0) (i32.const 100)))
  ;; n > 0: has the provider call this function again through slot 3 with
  ;; n - 1 (mutual recursion across the two instances); returns n.
  (func $bounce (type $i_i)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $call_slot (i32.const 3) (i32.sub (local.get 0) (i32.const 1)))))))

  ;; A direct call of the provider's export.
  (func (export "direct") (param i32) (result i32) (call $twice (local.get 0)))
  ;; The provider's function through the shared table.
  (func (export "indirect_lib") (param i32) (result i32)
    (call_indirect $t (type $i_i) (local.get 0) (i32.const 0)))
  ;; This instance's own function through the imported table.
  (func (export "indirect_own") (param i32) (result i32)
    (call_indirect $t (type $i_i) (local.get 0) (i32.const 2)))
  ;; The provider calls this instance's function through the table.
  (func (export "lib_calls_app") (param i32) (result i32)
    (call $call_slot (i32.const 2) (local.get 0)))
  (func (export "bounce") (param i32) (result i32) (call $bounce (local.get 0)))
  ;; Slot 0 holds the provider's (i32) -> i32: calling it as () -> i32 traps here.
  (func (export "mismatch") (result i32) (call_indirect $t (type $v_i) (i32.const 0)))
  ;; The provider calls its slot 1 (() -> i32) as (i32) -> i32: traps there.
  (func (export "lib_mismatch") (result i32) (call $call_slot (i32.const 1) (i32.const 0)))
  ;; This instance's memory word 0 (set by plus100).
  (func (export "mark") (result i32) (i32.load (i32.const 0))))
