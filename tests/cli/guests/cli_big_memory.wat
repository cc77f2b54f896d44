;; cli_big_memory.wat — needs 100 pages (6.25 MiB) from the start, so a
;; smaller --max-memory must refuse to instantiate it.
(module
  (memory (export "memory") 100)
  (func (export "pages") (result i32) (memory.size))
)
