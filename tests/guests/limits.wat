;; limits.wat — code that runs into the store's limits: memory and table
;; growth, endless loops (for fuel and interruption) and a bounded loop to
;; show the store works again afterwards. Used by test_engine_limits.c.
(module
  (memory (export "memory") 1)
  (table $refs 1 funcref)

  (func (export "memory_grow") (param $pages i32) (result i32)
    (memory.grow (local.get $pages)))
  (func (export "memory_size") (result i32) (memory.size))
  (func (export "table_grow") (param $elems i32) (result i32)
    (table.grow $refs (ref.null func) (local.get $elems)))
  (func (export "table_size") (result i32) (table.size $refs))

  ;; An endless loop with no calls inside: only fuel or the interrupt flag,
  ;; both checked at the back-edge, can stop it.
  (func (export "spin")
    (loop $forever (br $forever)))

  ;; Loops n times and returns how many iterations ran.
  (func (export "count") (param $n i32) (result i32)
    (local $done i32)
    (block $exit
      (loop $next
        (br_if $exit (i32.ge_u (local.get $done) (local.get $n)))
        (local.set $done (i32.add (local.get $done) (i32.const 1)))
        (br $next)))
    (local.get $done))
)
