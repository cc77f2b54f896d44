;; app_consumer.wat — calls run(x) of an "app" instance it is linked to.
(module
  (import "app" "run" (func $run (param i32) (result i32)))
  (func (export "go") (param i32) (result i32) (call $run (local.get 0))))
