;; fib.wat — Fibonacci two ways: the naive recursive definition (many calls,
;; deep-ish recursion) and a loop (branches, locals). Both must agree.
(module
  ;; fib(n) = n for n < 2, else fib(n-1) + fib(n-2); wraps modulo 2^32.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; The same sequence with two running values instead of recursion.
  (func (export "fib_loop") (param $n i32) (result i32)
    (local $previous i32) (local $current i32) (local $next i32)
    (local.set $current (i32.const 1))
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (block $done
      (loop $step
        (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
        (local.set $next (i32.add (local.get $previous) (local.get $current)))
        (local.set $previous (local.get $current))
        (local.set $current (local.get $next))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $step)))
    (local.get $current))
)
