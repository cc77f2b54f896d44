;; cli_budget.wat — code that runs into each budget flag of `isorun run`.
(module
  (memory (export "memory") 1)

  ;; Never ends: only --fuel or --timeout stop it.
  (func (export "spin") (loop $forever (br $forever)))

  ;; Loops n times; returns n (bounded work for --fuel).
  (func (export "count") (param $n i32) (result i32)
    (local $done i32)
    (block $exit
      (loop $next
        (br_if $exit (i32.ge_u (local.get $done) (local.get $n)))
        (local.set $done (i32.add (local.get $done) (i32.const 1)))
        (br $next)))
    (local.get $done))

  ;; Recurses n deep; returns n (for --max-stack).
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)))))))

  ;; Grows memory a page at a time until memory.grow fails; returns the
  ;; number of pages then (for --max-memory).
  (func (export "grow_all") (result i32)
    (block $full
      (loop $more
        (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br_if $full (i32.ge_u (memory.size) (i32.const 65536)))
        (br $more)))
    (memory.size))
)
