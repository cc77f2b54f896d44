;; math_consumer.wat — imports example:math/ops and wraps each import in an
;; export, so tests can call through a link from the host.
(module
  (import "example:math/ops" "add" (func $add (param i32 i32) (result i32)))
  (import "example:math/ops" "div" (func $div (param i32 i32) (result i32)))
  (import "example:math/ops" "mul64" (func $mul64 (param i64 i64) (result i64)))
  (import "example:math/ops" "fadd" (func $fadd (param f64 f64) (result f64)))
  (import "example:math/ops" "spin" (func $spin))
  (import "example:math/ops" "count" (func $count (param i32) (result i32)))
  (func (export "run") (result i32) (call $add (i32.const 40) (i32.const 2)))
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (call $div (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64) (call $mul64 (local.get 0) (local.get 1)))
  (func (export "fadd") (param f64 f64) (result f64) (call $fadd (local.get 0) (local.get 1)))
  (func (export "spin") (call $spin))
  (func (export "count") (param i32) (result i32) (call $count (local.get 0)))
  ;; 1 + 2 + ... + n, one remote add per term.
  (func (export "sum_to") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $sum (call $add (local.get $sum) (local.get $i)))
        (br $next)))
    (local.get $sum)))
