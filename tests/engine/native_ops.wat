;; native_ops.wat — the guest of test_native.c: every export runs in both tiers
;; (interpreted and native) and must give the same results, traps and fuel.
;; The exports cover each kind of code the native translator emits: numeric
;; instructions, memory accesses, loops and fused branches, direct and
;; indirect calls, multi-value, globals, bulk memory and tables; plus calls
;; through a host import (which may re-enter the guest) and endless
;; recursion and loops for the limits.
(module
  (type $i_i (func (param i32) (result i32)))
  (type $v_i (func (result i32)))
  (type $ii_i (func (param i32 i32) (result i32)))

  ;; The host's function: what it does is chosen by the test (test_native.c,
  ;; host_callback); it may call back into this instance.
  (import "host" "callback" (func $callback (param i32) (result i32)))

  (memory (export "memory") 1 4)
  (table $t (export "table") 8 funcref)
  (elem (i32.const 0) $square $increment $negate $seven)
  (elem $passive func $square $seven $increment)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global $wide (mut i64) (i64.const 0x0123456789abcdef))
  (data $greeting "hello, native world!")

  (func $square (type $i_i) (i32.mul (local.get 0) (local.get 0)))
  (func $increment (type $i_i) (i32.add (local.get 0) (i32.const 1)))
  (func $negate (type $i_i) (i32.sub (i32.const 0) (local.get 0)))
  (func $seven (type $v_i) (i32.const 7))

  ;; ---- arithmetic -------------------------------------------------------
  (func (export "arith32") (param $a i32) (param $b i32) (result i32)
    (i32.xor
      (i32.add
        (i32.mul (local.get $a) (i32.const 0x9e3779b1))
        (i32.rotl (local.get $b) (i32.and (local.get $a) (i32.const 31))))
      (i32.add
        (i32.shr_s (local.get $a) (i32.const 3))
        (i32.add (i32.clz (local.get $b))
                 (i32.add (i32.ctz (local.get $a)) (i32.popcnt (local.get $b)))))))

  (func (export "arith64") (param $a i64) (param $b i64) (result i64)
    (i64.add
      (i64.rotr (i64.mul (local.get $a) (local.get $b)) (i64.const 17))
      (i64.sub
        (i64.div_u (local.get $a) (i64.or (local.get $b) (i64.const 1)))
        (i64.rem_s (local.get $b) (i64.or (local.get $a) (i64.const 3))))))

  ;; Floats returned as bit patterns so that the comparison is exact.
  (func (export "float64") (param $a f64) (param $b f64) (result i64)
    (i64.reinterpret_f64
      (f64.add
        (f64.sqrt (f64.add (f64.mul (local.get $a) (local.get $a)) (f64.mul (local.get $b) (local.get $b))))
        (f64.add (f64.nearest (f64.div (local.get $a) (local.get $b)))
                 (f64.min (local.get $a) (f64.copysign (local.get $b) (local.get $a)))))))

  (func (export "float32") (param $a f32) (param $b f32) (result i32)
    (i32.reinterpret_f32
      (f32.sub (f32.mul (local.get $a) (local.get $b))
               (f32.max (f32.floor (local.get $a)) (f32.demote_f64 (f64.promote_f32 (local.get $b)))))))

  (func (export "convert") (param $x f64) (result i64)
    (i64.add
      (i64.trunc_sat_f64_s (local.get $x))
      (i64.add (i64.extend_i32_u (i32.trunc_sat_f64_u (local.get $x)))
               (i64.extend32_s (i64.const 0x80000000)))))

  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))

  ;; ---- memory -----------------------------------------------------------
  ;; Writes i*i at 4*i for i < n, then reads them back in several widths.
  (func (export "mem_sum") (param $n i32) (result i64) (local $i i32) (local $sum i64)
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $read
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum
          (i64.add (local.get $sum)
            (i64.add (i64.load32_u (i32.shl (local.get $i) (i32.const 2)))
              (i64.add (i64.extend_i32_s (i32.load8_s offset=1 (i32.shl (local.get $i) (i32.const 2))))
                       (i64.load16_u (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $read)))
    (i64.add (local.get $sum) (i64.load offset=8 (i32.const 0))))

  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  ;; Grows by n pages and returns old size * 1000 + new size.
  (func (export "grow") (param $n i32) (result i32)
    (i32.add (i32.mul (memory.grow (local.get $n)) (i32.const 1000)) (memory.size)))

  ;; ---- loops and calls --------------------------------------------------
  (func (export "fib_iter") (param $n i32) (result i64) (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  ;; Steps of the Collatz sequence from x down to 1 (a loop with br_if back).
  (func (export "collatz") (param $x i64) (result i32) (local $steps i32)
    (if (i64.le_u (local.get $x) (i64.const 1)) (then (return (i32.const 0))))
    (loop $step
      (local.set $x
        (if (result i64) (i64.eqz (i64.and (local.get $x) (i64.const 1)))
          (then (i64.shr_u (local.get $x) (i64.const 1)))
          (else (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1)))))
      (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
      (br_if $step (i64.ne (local.get $x) (i64.const 1))))
    (local.get $steps))

  (func $fib_rec (export "fib_rec") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib_rec (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib_rec (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "switch") (param $x i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get $x)))
      (return (i32.const 10)))
      (return (i32.const 20)))
      (return (i32.const 30)))
    (select (i32.const 40) (i32.const 50) (i32.and (local.get $x) (i32.const 1))))

  ;; ---- call_indirect ----------------------------------------------------
  (func (export "indirect") (param $slot i32) (param $x i32) (result i32)
    (call_indirect $t (type $i_i) (local.get $x) (local.get $slot)))
  ;; Each slot of a table of mixed types, called as () -> i32.
  (func (export "indirect_v") (param $slot i32) (result i32)
    (call_indirect $t (type $v_i) (local.get $slot)))

  ;; ---- multi-value ------------------------------------------------------
  (func $divmod (export "divmod") (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_u (local.get $a) (local.get $b))
    (i32.rem_u (local.get $a) (local.get $b)))
  (func (export "rotate3") (param i64 i32 f64) (result f64 i64 i32)
    (local.get 2) (local.get 0) (local.get 1))
  ;; A block with parameters and two results, and a multi-value call.
  (func (export "mv_block") (param $x i32) (result i32)
    (local.get $x) (i32.const 7)
    (block $b (param i32 i32) (result i32 i32)
      (call $divmod)
      (br_if $b (i32.const 1)))
    (i32.mul (i32.const 100)) (i32.add))

  ;; ---- globals ----------------------------------------------------------
  (func (export "bump") (param $by i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (local.get $by)))
    (global.set $wide (i64.rotl (global.get $wide) (i64.extend_i32_u (local.get $by))))
    (i32.xor (global.get $counter) (i32.wrap_i64 (global.get $wide))))

  ;; ---- bulk memory ------------------------------------------------------
  ;; Copies the greeting to 100, overlaps a copy of it onto itself, fills a
  ;; stretch, then hashes bytes 96..140. Second call: the segment was dropped,
  ;; so memory.init of a non-empty range traps.
  (func (export "bulk") (result i64) (local $i i32) (local $h i64)
    (memory.init $greeting (i32.const 100) (i32.const 0) (i32.const 20))
    (data.drop $greeting)
    (memory.copy (i32.const 104) (i32.const 100) (i32.const 12))
    (memory.fill (i32.const 130) (i32.const 0x5a) (i32.const 6))
    (local.set $i (i32.const 96))
    (loop $next
      (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
                             (i64.load8_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 140))))
    (local.get $h))
  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 1) (local.get 1)))

  ;; ---- tables -----------------------------------------------------------
  ;; Grows the table, fills, copies and initialises slots, and calls through
  ;; them; returns a digest of the results and sizes.
  (func (export "tables") (result i32) (local $r i32)
    (local.set $r (i32.mul (table.grow $t (ref.func $negate) (i32.const 4)) (i32.const 1000)))
    (local.set $r (i32.add (local.get $r) (table.size $t)))
    (table.fill $t (i32.const 4) (ref.null func) (i32.const 2))
    (table.set $t (i32.const 5) (table.get $t (i32.const 0)))
    (table.copy $t $t (i32.const 6) (i32.const 1) (i32.const 2))
    (table.init $t $passive (i32.const 9) (i32.const 0) (i32.const 3))
    (elem.drop $passive)
    (local.set $r (i32.add (local.get $r)
      (i32.mul (i32.const 10000) (ref.is_null (table.get $t (i32.const 4))))))
    ;; Slot 5 (set from slot 0) squares 9; slot 6 (copied from 1)
    ;; increments 3; slot 10 (from the passive segment) is $seven.
    (i32.add (local.get $r)
      (i32.add (call_indirect $t (type $i_i) (i32.const 9) (i32.const 5))
        (i32.add (call_indirect $t (type $i_i) (i32.const 3) (i32.const 6))
                 (call_indirect $t (type $v_i) (i32.const 10))))))
  (func (export "table_get") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "table_size") (result i32) (table.size $t))

  ;; ---- through the host ---------------------------------------------------
  (func (export "via_host") (param $x i32) (result i32)
    (i32.add (call $callback (local.get $x)) (i32.const 1)))
  ;; The host's call succeeds (or a trap in it is swallowed); then this
  ;; function traps on its own.
  (func (export "via_host_then_trap") (param $x i32) (result i32)
    (drop (call $callback (local.get $x)))
    (unreachable))
  ;; What the host calls back: 0 -> unreachable, 1 -> divide by zero,
  ;; otherwise 2x (after a loop, so that fuel is charged at a back-edge).
  (func (export "inner") (param $x i32) (result i32) (local $i i32)
    (if (i32.eqz (local.get $x)) (then unreachable))
    (if (i32.eq (local.get $x) (i32.const 1))
      (then (return (i32.div_u (local.get $x) (i32.const 0)))))
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $x))))
    (i32.add (local.get $x) (local.get $i)))

  ;; ---- fuel ---------------------------------------------------------------
  ;; A mix of loops, calls (direct, indirect, through the host) and memory:
  ;; the fuel tests run it with every budget from 0 to what it needs.
  (func (export "workload") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $fib_rec (i32.and (local.get $i) (i32.const 7)))))
        (local.set $acc (i32.add (local.get $acc)
          (call_indirect $t (type $i_i) (local.get $i) (i32.and (local.get $i) (i32.const 1)))))
        (if (i32.eqz (i32.and (local.get $i) (i32.const 3)))
          (then (local.set $acc (i32.add (local.get $acc) (call $callback (local.get $i))))))
        (i32.store (i32.const 200) (local.get $acc))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.add (local.get $acc) (i32.load (i32.const 200))))

  ;; ---- limits -------------------------------------------------------------
  (func $forever (export "recurse_forever") (param $n i32) (result i32)
    (i32.add (i32.const 1) (call $forever (i32.add (local.get $n) (i32.const 1)))))
  ;; Recurses n times and returns n.
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)))))))
  ;; Endless: a bare loop, and a loop around a call.
  (func (export "spin") (loop $l (br $l)))
  (func (export "spin_calls") (local $x i32)
    (loop $l
      (local.set $x (call $square (local.get $x)))
      (br $l)))
  (func (export "ok") (result i32) (i32.const 42)))
