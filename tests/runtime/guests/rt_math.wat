;; rt_math.wat — the provider guest of the runtime tests: small math
;; functions other instances link to, plus exports that exercise budgets
;; (a loop that never ends, memory and table growth) and serialization
;; (a read-modify-write of a memory cell that concurrent calls would break).
(module
  (memory (export "memory") 1)
  (table $t 1 funcref)
  (global $calls (mut i32) (i32.const 0))

  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
  ;; traps with "integer divide by zero" when the divisor is 0
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "neg") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "scale") (param f64 f32) (result f64) (f64.mul (local.get 0) (f64.promote_f32 (local.get 1))))
  ;; vectors cross local links as values; references do not
  (func (export "vadd") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "vmix") (param i32 v128 i64) (result i64 v128 i32)
    (i64.add (local.get 2) (i64.extend_i32_u (local.get 0)))
    (i32x4.mul (local.get 1) (i32x4.splat (local.get 0)))
    (i32x4.extract_lane 3 (local.get 1)))
  (func (export "takes_ref") (param funcref) (result i32) (ref.is_null (local.get 0)))

  ;; sum of 1..n with a loop: n+1 back-edges, for fuel tests
  (func (export "sum_to") (param $n i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; never returns: only fuel, a deadline or an interrupt ends it
  (func (export "spin") (loop $forever (br $forever)))

  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "pages") (result i32) (memory.size))
  (func (export "table_grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))

  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))

  ;; memory[0] += 1, with a pause between the read and the write so that
  ;; two unserialized callers would lose increments
  (func (export "bump") (result i32)
    (local $v i32) (local $i i32)
    (local.set $v (i32.load (i32.const 0)))
    (local.set $i (i32.const 200))
    (loop $wait
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $wait (local.get $i)))
    (i32.store (i32.const 0) (i32.add (local.get $v) (i32.const 1)))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.load (i32.const 0)))
  (func (export "bumps") (result i32) (global.get $calls))
)
