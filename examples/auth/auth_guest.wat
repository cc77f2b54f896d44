;; auth_guest.wat — a guest of example:auth: a "protected" operation that
;; runs only for a caller presenting a token the host accepts. The caller
;; (a test, or a host program) writes the token into memory at 1024 and
;; passes its length; "login_builtin" presents a token baked into the guest.
(module
  (import "example:auth" "check" (func $check (param i32 i32) (result i32)))
  (import "example:auth" "failures" (func $failures (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "guest-token-42")

  ;; the raw verdict for the token at (ptr, len)
  (func (export "check") (param i32 i32) (result i32) (call $check (local.get 0) (local.get 1)))

  ;; 42 when the token is accepted, -1 otherwise
  (func (export "protected_op") (param $ptr i32) (param $len i32) (result i32)
    (if (result i32) (i32.eq (call $check (local.get $ptr) (local.get $len)) (i32.const 1))
      (then (i32.const 42))
      (else (i32.const -1))))

  (func (export "login_builtin") (result i32) (call $check (i32.const 16) (i32.const 14)))
  (func (export "failures") (result i32) (call $failures))
)
