;; rt_host_wait.wat — calls a host function that blocks until a byte arrives
;; on a pipe, so that test_host_wait can stop the wait with a deadline or an
;; interrupt. Exported as well, so another instance can link to it.
(module
  (import "host" "wait_byte" (func $wait_byte (result i32)))
  (func (export "wait_byte") (result i32) (call $wait_byte))
)
