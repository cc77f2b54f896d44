;; rt_tables.wat — two tables, one of 10 elements: for the table-count and
;; table-size budgets.
(module
  (table 10 funcref)
  (table 1 externref))
