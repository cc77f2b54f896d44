;; rt_consumer.wat — a consumer of the math provider (rt_math): its math
;; functions are imports that a local link satisfies.
(module
  (import "example:math/ops" "add" (func $add (param i32 i32) (result i32)))
  (import "example:math/ops" "mul" (func $mul (param i32 i32) (result i32)))
  (import "example:math/ops" "div" (func $div (param i32 i32) (result i32)))
  (import "example:math/ops" "add64" (func $add64 (param i64 i64) (result i64)))
  (import "example:math/ops" "sum_to" (func $sum_to (param i32) (result i64)))
  (import "example:math/ops" "spin" (func $spin))

  ;; (a + b) * (a - b) computed with the provider's add and mul
  (func (export "compute") (param $a i32) (param $b i32) (result i32)
    (call $mul
      (call $add (local.get $a) (local.get $b))
      (call $add (local.get $a) (i32.sub (i32.const 0) (local.get $b)))))
  (func (export "divide") (param i32 i32) (result i32) (call $div (local.get 0) (local.get 1)))
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (call $add64 (local.get 0) (local.get 1)))
  (func (export "sum_to") (param i32) (result i64) (call $sum_to (local.get 0)))
  (func (export "spin") (call $spin))
  ;; the same addition without leaving the instance (the benchmark's baseline)
  (func $local_add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; n linked calls in a loop, and n local calls: the benchmark's two loops
  (func (export "linked_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func (export "local_loop") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $local_add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
)
