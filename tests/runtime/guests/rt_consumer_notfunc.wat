;; rt_consumer_notfunc.wat — imports the provider's memory export as a function.
(module
  (import "example:math/ops" "memory" (func (param i32) (result i32))))
