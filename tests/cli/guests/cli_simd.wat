;; cli_simd.wat — SIMD instructions (what clang -msimd128 emits) run like any
;; other code; a v128 parameter or result cannot be written on the command
;; line, and the CLI says so.
(module
  ;; 4 * (a * b), computed in the four lanes of an i32x4 and summed
  (func (export "dot4") (param i32 i32) (result i32)
    (local v128)
    (local.set 2 (i32x4.mul (i32x4.splat (local.get 0)) (i32x4.splat (local.get 1))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get 2)) (i32x4.extract_lane 1 (local.get 2)))
      (i32.add (i32x4.extract_lane 2 (local.get 2)) (i32x4.extract_lane 3 (local.get 2)))))
  (func (export "vec") (result v128) (v128.const i32x4 1 2 3 4)))
