;; hostile_imports.wat — imports of every kind, used in every way: the fuzzing
;; entry point satisfies each with a dummy object of the import's type (host
;; functions returning zeros, fresh tables, memories and globals), so this
;; checks that path end to end. Replayed by the CTest test fuzz.guests.
(module
  (import "env" "compute" (func $compute (param i32 i64 f32 f64) (result i32 i64)))
  (import "env" "table" (table $imported_table 2 10 funcref))
  (import "env" "memory" (memory $imported_memory 1 2))
  (import "env" "counter" (global $counter (mut i32)))
  (import "env" "scale" (global $scale f64))

  (func $answer (result i32) (i32.const 42))
  (elem (table $imported_table) (i32.const 0) func $answer)

  (func (export "use_everything") (result i32)
    (call $compute (i32.const 1) (i64.const 2) (f32.const 3) (global.get $scale))
    drop
    (global.set $counter (i32.add (global.get $counter)))
    (i32.store (i32.const 65532) (global.get $counter))
    (drop (memory.grow (i32.const 1)))
    (i32.add
      (call_indirect $imported_table (result i32) (i32.const 0))
      (i32.load (i32.const 65532))))

  ;; Slot 1 of the imported table was never set: traps.
  (func (export "call_unset_slot") (result i32)
    (call_indirect $imported_table (result i32) (i32.const 1)))
)
