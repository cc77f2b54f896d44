;; hostile_start.wat — a start function that never returns. Instantiating it
;; must end in a trap from the store's limits (fuel, the interrupt flag),
;; never hang the host. Replayed through the fuzzing entry point (fuel-limited)
;; by the CTest test fuzz.guests.
(module
  (func $forever (loop $again (br $again)))
  (start $forever)
)
