;; hostile_exports.wat — exports that each run into a different limit or
;; trap when called with zero arguments: memory growth up to the cap,
;; unbounded recursion, an endless loop, a call through a null table slot, a
;; huge memory.fill and table.grow. Replayed through the fuzzing entry point by
;; the CTest test fuzz.guests.
(module
  (memory 1)
  (table $slots 2 funcref)

  ;; Grows memory a page at a time until refused, then touches the last byte.
  (func (export "grow_until_refused") (result i32)
    (local $pages i32)
    (block $refused
      (loop $more
        (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (local.set $pages (i32.add (local.get $pages) (i32.const 1)))
        (br $more)))
    (i32.store8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)) (i32.const 1))
    (local.get $pages))

  (func $recurse (export "recurse") (result i32)
    (i32.add (call $recurse) (i32.const 1)))

  (func (export "spin") (loop $again (br $again)))

  (func (export "call_null") (result i32)
    (call_indirect $slots (result i32) (i32.const 1)))

  (func (export "fill_everything")
    (memory.fill (i32.const 0) (i32.const 0xFF) (i32.const -1)))

  (func (export "grow_table_hugely") (result i32)
    (table.grow $slots (ref.null func) (i32.const 0x7FFFFFFF)))
)
