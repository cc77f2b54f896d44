;; rt_consumer_badsig.wat — imports the provider's add with the wrong signature.
(module
  (import "example:math/ops" "add" (func (param i32) (result i32))))
