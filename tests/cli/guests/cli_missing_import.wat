;; cli_missing_import.wat — imports a function nothing provides.
(module
  (import "env" "missing_function" (func $missing (param i32) (result i32)))
  (func (export "_start") (drop (call $missing (i32.const 1))))
)
