;; traps.wat — one export per trap a guest can cause, plus `ok` to show the
;; store still works after each trap. Used by tests/unit/test_engine_limits.c.
(module
  (type $to_i32 (func (result i32)))
  (type $i32_to_i32 (func (param i32) (result i32)))

  (memory 1 1)
  ;; Slots 0 and 1 hold functions of different types; 2 and 3 stay null.
  (table $functions 4 funcref)
  (elem (i32.const 0) $seven $identity)

  (func $seven (type $to_i32) (i32.const 7))
  (func $identity (type $i32_to_i32) (local.get 0))

  (func (export "ok") (result i32) (i32.const 42))
  (func (export "unreachable") (unreachable))

  ;; Reads 4 bytes at addr + offset; the offset makes addr + 4 + offset
  ;; overflow 32 bits for large addr, which must still trap.
  (func (export "load") (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func (export "load_offset") (param $addr i32) (result i32)
    (i32.load offset=0xFFFFFFF0 (local.get $addr)))
  (func (export "store_i64") (param $addr i32) (param $value i64)
    (i64.store (local.get $addr) (local.get $value)))
  (func (export "fill") (param $addr i32) (param $len i32)
    (memory.fill (local.get $addr) (i32.const 0xAB) (local.get $len)))

  (func (export "div_s") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_u") (param i32 i32) (result i32)
    (i32.rem_u (local.get 0) (local.get 1)))
  (func (export "div_s64") (param i64 i64) (result i64)
    (i64.div_s (local.get 0) (local.get 1)))
  (func (export "trunc_f32") (param f32) (result i32)
    (i32.trunc_f32_s (local.get 0)))
  (func (export "trunc_f64_u") (param f64) (result i64)
    (i64.trunc_f64_u (local.get 0)))

  ;; Calls table slot `i` as a function () -> i32.
  (func (export "call_slot") (param $i i32) (result i32)
    (call_indirect $functions (type $to_i32) (local.get $i)))
  (func (export "table_get") (param $i i32) (result funcref)
    (table.get $functions (local.get $i)))

  ;; Recurses forever: only the call-depth limit stops it.
  (func $forever (export "recurse_forever") (param $n i32) (result i32)
    (i32.add (i32.const 1) (call $forever (i32.add (local.get $n) (i32.const 1)))))
  ;; Recurses exactly n times and returns n.
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)))))))
)
