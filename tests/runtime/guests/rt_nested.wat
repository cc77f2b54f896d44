;; rt_nested.wat — calls a host function that itself calls another instance
;; (isorun_call_instance_call), so the tests can check that the nested call
;; runs under this guest's deadline and is reached by its interrupt.
(module
  (import "nest" "spin" (func $spin))
  (import "nest" "add" (func $add (param i32 i32) (result i32)))
  (func (export "spin") (call $spin))
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
)
