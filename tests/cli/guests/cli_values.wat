;; cli_values.wat — one export per core value type, for `isorun run --invoke`
;; argument parsing and result printing. The *_bits exports show the exact
;; bits a float argument was parsed into.
(module
  (func (export "i32") (param i32) (result i32) (local.get 0))
  (func (export "i64") (param i64) (result i64) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0))
  (func (export "f32_bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "f64_bits") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func (export "f32_of_bits") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "f64_of_bits") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
  (func (export "div_f64") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  ;; Several results, printed one per line in order.
  (func (export "swap4") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (local.get 3) (local.get 2) (local.get 1) (local.get 0))
  (func (export "nothing"))
  (func (export "takes_ref") (param externref) (result i32) (i32.const 0))
)
