;; rt_consumer_ref.wat — imports a provider function that takes a funcref:
;; a reference points into one store, so the link must be refused.
(module
  (import "example:math/ops" "takes_ref" (func (param funcref) (result i32))))
