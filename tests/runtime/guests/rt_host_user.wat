;; rt_host_user.wat — imports host functions of a test system component and
;; calls them, so the tests can check argument/result conversion, state per
;; instance, errors and re-entry into the calling instance.
(module
  (import "host" "add3" (func $add3 (param i32 i32 i32) (result i32)))
  (import "host" "mix" (func $mix (param i64 f32 f64) (result f64)))
  (import "host" "fail" (func $fail (param i32)))
  (import "host" "count" (func $count (result i32)))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")

  (func (export "sum3") (param i32 i32 i32) (result i32) (call $add3 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "mix") (param i64 f32 f64) (result f64) (call $mix (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fail") (param i32) (result i32) (call $fail (local.get 0)) (i32.const 7))
  (func (export "count") (result i32) (call $count))
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "reenter") (param i32) (result i32) (i32.add (i32.const 1) (call $reenter (local.get 0))))
)
