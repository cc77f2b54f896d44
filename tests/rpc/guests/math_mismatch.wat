;; math_mismatch.wat — believes add takes and returns i64: the callee must
;; refuse the call (type-mismatch) rather than read garbage.
(module
  (import "example:math/ops" "add" (func $add (param i64 i64) (result i64)))
  (import "example:math/ops" "missing" (func $missing (result i32)))
  (func (export "add") (param i64 i64) (result i64) (call $add (local.get 0) (local.get 1)))
  (func (export "missing") (result i32) (call $missing)))
