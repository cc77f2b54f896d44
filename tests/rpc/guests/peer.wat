;; peer.wat — one side of the calls-both-ways tests. Every instance links
;; "peer" to an instance in the other runtime.
;;   work(x)      = 2x, no calls out
;;   call_peer(x) = peer.work(x) + 1
;;   ping(n)      = n == 0 ? 0 : peer.ping(n - 1) + 1   (a chain that comes back)
;;   slow_call_peer(x, spins) = call_peer(x) after `spins` loop iterations
;;                  (holding this instance, so two of them call into each
;;                  other's held instance: a lock-order deadlock)
(module
  (import "peer" "work" (func $peer_work (param i32) (result i32)))
  (import "peer" "ping" (func $peer_ping (param i32) (result i32)))
  (func (export "work") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "call_peer") (param i32) (result i32)
    (i32.add (call $peer_work (local.get 0)) (i32.const 1)))
  (func (export "ping") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $peer_ping (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "slow_call_peer") (param $x i32) (param $spins i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $spins)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.add (call $peer_work (local.get $x)) (i32.const 1))))
