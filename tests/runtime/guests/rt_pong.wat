;; rt_pong.wat — instance B of the round trip: pong(x) = call_a(x) * 2, where
;; call_a is a host function that calls instance A.
(module
  (import "host" "call_a" (func $call_a (param i32) (result i32)))
  (func (export "pong") (param i32) (result i32) (i32.mul (call $call_a (local.get 0)) (i32.const 2))))
