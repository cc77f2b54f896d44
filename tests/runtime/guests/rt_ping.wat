;; rt_ping.wat — instance A of an A -> B -> A round trip: ping calls the
;; linked pong (in B), whose host function calls back into A's inc.
(module
  (import "peer" "pong" (func $pong (param i32) (result i32)))
  (func (export "ping") (param i32) (result i32) (i32.add (call $pong (local.get 0)) (i32.const 1000)))
  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
