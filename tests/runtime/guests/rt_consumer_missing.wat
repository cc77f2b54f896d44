;; rt_consumer_missing.wat — imports a function the math provider lacks.
(module
  (import "example:math/ops" "add" (func (param i32 i32) (result i32)))
  (import "example:math/ops" "pow" (func (param i32 i32) (result i32))))
