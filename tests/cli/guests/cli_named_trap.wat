;; cli_named_trap.wat — built with --debug-names, so the name section names
;; $explode and the trap message can say where it happened.
(module
  (func $explode (unreachable))
  (func (export "boom") (call $explode))
  (func (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
)
