;; compile_paths.wat — functions that exercise the compiler's slot tracking:
;; retargeted results, pending local reads, fused branches, value moves at
;; labels, multi-value returns. Each export's expected results are asserted
;; by test_compile_paths.c; the comments give the reasoning.
(module
  ;; A loop parameter consumed by local.set on every iteration: the first
  ;; value must not be retargeted into the local before the loop header
  ;; (the back-edge path would then skip the local.set). Counts 1..10 -> 10.
  (func (export "loop_param_set") (param i32) (result i32) (local i32)
    local.get 0
    i32.const 1
    i32.add
    loop (param i32)
      local.set 1
      local.get 1
      i32.const 10
      i32.lt_u
      if
        local.get 1
        i32.const 1
        i32.add
        br 1
      end
    end
    local.get 1)

  ;; tee rewrites the local while an older read of it is still on the stack:
  ;; x + (x + 1).
  (func (export "tee_pending") (param i32) (result i32)
    local.get 0
    local.get 0
    i32.const 1
    i32.add
    local.tee 0
    i32.add)

  ;; set while a read is pending: x - 5 uses the old x... then 5 - ... :
  ;; (old x) - (new x = 5).
  (func (export "set_pending") (param i32) (result i32)
    local.get 0
    i32.const 5
    local.set 0
    local.get 0
    i32.sub)

  ;; swap through a multi-value return of locals: (a, b) -> (b, a).
  (func (export "swap") (param i32 i32) (result i32 i32)
    local.get 1
    local.get 0)

  ;; the same through an explicit return from inside a block.
  (func (export "swap_return") (param i32 i32) (result i32 i32)
    block
      local.get 1
      local.get 0
      return
    end
    i32.const 0
    i32.const 0)

  ;; br_if carrying a value to a block: taken -> 100 + x, not taken -> x * 2.
  (func (export "br_if_value") (param i32) (result i32)
    block (result i32)
      i32.const 100
      local.get 0
      i32.add
      local.get 0
      i32.const 10
      i32.gt_s
      br_if 0
      drop
      local.get 0
      i32.const 2
      i32.mul
    end)

  ;; fused compare + if with a block parameter: max(a, b) via if (param).
  (func (export "max_if_param") (param i32 i32) (result i32)
    local.get 0
    local.get 0
    local.get 1
    i32.lt_s
    if (param i32) (result i32)
      drop
      local.get 1
    else
    end)

;; br_table whose targets both carry a value, one back to a loop (the
  ;; back-edge stub moves the running sum and checks fuel), one out of the
  ;; block: n + (n-1) + ... + 1.
  (func (export "br_table_loop") (param i32) (result i32)
    i32.const 0
    block (param i32) (result i32)
      loop (param i32) (result i32)
        local.get 0
        i32.add
        local.get 0
        i32.const 1
        i32.sub
        local.tee 0
        i32.eqz
        br_table 0 1
      end
    end)

  ;; select between a local and a constant, both branches.
  (func (export "select_local") (param i32 i32) (result i32)
    local.get 0
    i32.const 77
    local.get 1
    select)

  ;; a call whose arguments are a local, a constant and a temporary; the
  ;; callee computes a*100 + b*10 + c.
  (func $weigh (param i32 i32 i32) (result i32)
    local.get 0 i32.const 100 i32.mul
    local.get 1 i32.const 10 i32.mul
    i32.add
    local.get 2
    i32.add)
  (func (export "call_mixed") (param i32) (result i32)
    local.get 0
    i32.const 2
    local.get 0
    i32.const 1
    i32.add
    call $weigh)

  ;; a value below a block survives a local.set of its local inside the block.
  (func (export "pending_across_block") (param i32) (result i32)
    local.get 0
    block
      i32.const 9
      local.set 0
    end
    local.get 0
    i32.add)

  ;; a conditional return with a value computed just before it: the value
  ;; must not be written into the return slot (param 0) when not taken.
  (func (export "cond_return") (param i32) (result i32)
    local.get 0
    i32.const 1000
    i32.add
    local.get 0
    i32.const 5
    i32.gt_u
    br_if 0
    drop
    local.get 0)
)
