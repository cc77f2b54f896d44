;; cli_hostile_names.wat — import and export names holding control
;; characters (ESC, newline): isorun must print them escaped, so that a
;; guest's names can neither drive the terminal nor split an error line.
(module
  (import "env\1b[31m" "evil\0aname" (func (param i32)))
  (func (export "_start"))
  (func (export "bell\07")))
