;; cli_simd.wat — a command using one SIMD instruction (what clang
;; -msimd128 emits): isorun, which lacks SIMD, must say so, not just
;; "illegal opcode".
(module
  (func (export "_start") (drop (i32x4.splat (i32.const 1)))))
