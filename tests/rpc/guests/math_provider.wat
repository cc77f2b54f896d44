;; math_provider.wat — the provider side of the remote-call tests: a few
;; functions of every core type, one that traps, one that never ends and one
;; that burns fuel in proportion to its argument.
(module
  (global $calls (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64)
    (i64.mul (local.get 0) (local.get 1)))
  (func (export "fadd") (param f64 f64) (result f64)
    (f64.add (local.get 0) (local.get 1)))
  (func (export "spin")
    (loop $forever (br $forever)))
  ;; Counts down from n: about n loop iterations of fuel.
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
  (func (export "calls") (result i32) (global.get $calls))
  ;; Twenty parameters: more than the request handler keeps on its stack.
  (func (export "sum20")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (local $i i32) (local $sum i32)
    (local.set $sum
      (i32.add (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
                        (i32.add (i32.add (local.get 4) (local.get 5)) (i32.add (local.get 6) (local.get 7))))
               (i32.add (i32.add (i32.add (local.get 8) (local.get 9)) (i32.add (local.get 10) (local.get 11)))
                        (i32.add (i32.add (local.get 12) (local.get 13)) (i32.add (local.get 14) (local.get 15))))))
    (i32.add (local.get $sum)
      (i32.add (i32.add (local.get 16) (local.get 17)) (i32.add (local.get 18) (local.get 19)))))
  (memory (export "memory") 1))
