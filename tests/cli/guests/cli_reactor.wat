;; cli_reactor.wat — a reactor: `isorun run --invoke` must call _initialize
;; before the export it was asked for.
(module
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $ready (i32.const 42)))
  (func (export "ready") (result i32) (global.get $ready))
)
