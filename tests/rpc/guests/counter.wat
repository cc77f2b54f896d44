;; counter.wat — a local provider for the multi-system test: next() returns
;; 1, 2, 3, ... (its state lives in the instance).
(module
  (global $n (mut i32) (i32.const 0))
  (func (export "next") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (global.get $n)))
