;; rt_consumer_simd.wat — a consumer whose links to rt_math pass v128 values,
;; alone and between scalars, as parameters and as one of several results.
(module
  (import "example:math/ops" "vadd" (func $vadd (param v128 v128) (result v128)))
  (import "example:math/ops" "vmix" (func $vmix (param i32 v128 i64) (result i64 v128 i32)))

  (func $lanes (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; (a, a+1, a+2, a+3) + (b, 2b, 3b, 4b), summed over the lanes
  (func (export "vsum") (param $a i32) (param $b i32) (result i32)
    (call $lanes
      (call $vadd
        (i32x4.add (i32x4.splat (local.get $a)) (v128.const i32x4 0 1 2 3))
        (i32x4.mul (i32x4.splat (local.get $b)) (v128.const i32x4 1 2 3 4)))))

  ;; vmix(k, (1,2,3,4), 100) = (100 + k, (k,2k,3k,4k), 4): returns the i64
  ;; plus the lanes' sum plus the last result, 100 + k + 10k + 4
  (func (export "mixed") (param $k i32) (result i64)
    (local $v v128) (local $last i32)
    (call $vmix (local.get $k) (v128.const i32x4 1 2 3 4) (i64.const 100))
    (local.set $last)
    (local.set $v)
    (i64.add (i64.extend_i32_u (local.get $last)))
    (i64.add (i64.extend_i32_u (call $lanes (local.get $v))))))
