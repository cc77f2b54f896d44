;; start_trap.wat — a start function that traps after a data segment was
;; written: instantiation must fail with the trap code.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "written before the trap")
  (func $start (unreachable))
  (start $start)
)
