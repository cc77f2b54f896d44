;; native_lib.wat — the provider of test_native.c's cross-instance tests:
;; its functions are imported by native_app.wat and its table is shared with
;; it. One of the two instances runs natively and the other interpreted (and
;; every other combination), so calls cross tiers both ways.
(module
  (type $i_i (func (param i32) (result i32)))
  (type $v_i (func (result i32)))
  (memory (export "memory") 1)
  ;; Slots 0 and 1 are this module's; native_app.wat puts its own
  ;; functions in slots 2 and 3.
  (table $t (export "table") 4 funcref)
  (elem (i32.const 0) $twice $seven)

  ;; 2x, after a loop (fuel at a back-edge) and a store to this instance's
  ;; memory (the callee must use its own memory, not its caller's).
  (func $twice (export "twice") (type $i_i) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (i32.add (i32.mul (local.get 0) (i32.const 2)) (i32.sub (local.get $i) (i32.const 5))))
  (func $seven (type $v_i) (i32.const 7))
  ;; How many times twice ran in this instance.
  (func (export "calls") (result i32) (i32.load (i32.const 0)))
  ;; Calls slot `slot` of the shared table as (i32) -> i32.
  (func (export "call_slot") (param $slot i32) (param $x i32) (result i32)
    (call_indirect $t (type $i_i) (local.get $x) (local.get $slot))))
