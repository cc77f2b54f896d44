;; rt_wait_consumer.wat — calls wait_byte of a linked provider (an instance of
;; rt_host_wait), so that test_host_wait can interrupt the consumer and check
;; that the provider's blocked host call is woken.
(module
  (import "waiter" "wait_byte" (func $wait_byte (result i32)))
  (func (export "wait_byte") (result i32) (call $wait_byte))
)
