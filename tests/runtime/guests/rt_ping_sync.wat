;; rt_ping_sync.wat — instance A of two calls going opposite ways on two
;; threads: ping first meets the other thread in a host function (so that
;; each thread holds its first instance), then calls B's pong through the
;; link, while the other thread, inside B, calls A's inc.
(module
  (import "host" "meet" (func $meet))
  (import "peer" "pong" (func $pong (param i32) (result i32)))
  (func (export "ping") (param i32) (result i32)
    (call $meet)
    (i32.add (call $pong (local.get 0)) (i32.const 1000)))
  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
