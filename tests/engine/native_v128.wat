;; native_v128.wat — v128 values crossing function boundaries, for
;; test_native_v128.c: the native tier lays a v128 out as two slots in C
;; parameters, results, out arrays and the engine's io arrays, so each export
;; here moves v128s across one such boundary, mixed with scalars before and
;; after them so that an off-by-one slot shows as a wrong value.
(module
  ;; The host: (x, v, y) -> (v with lane 0 += x and lane 3 += y, x + y).
  (import "env" "mix" (func $mix (param i32 v128 i64) (result v128 i32)))
  ;; Another instance's $add (in the other tier, or the host's stand-in).
  (import "env" "peer_add" (func $peer_add (param v128 v128) (result v128)))

  (type $vv_v (func (param v128 v128) (result v128)))
  (type $iv_vi (func (param i32 v128) (result v128 i32)))

  (global $acc (export "acc") (mut v128) (v128.const i32x4 1 2 3 4))

  (table $t 3 funcref)
  (elem (table $t) (i32.const 0) func $add $sub $tag)

  (func $add (export "add") (type $vv_v) (i32x4.add (local.get 0) (local.get 1)))
  (func $sub (type $vv_v) (i32x4.sub (local.get 0) (local.get 1)))
  (func $tag (type $iv_vi) (i32x4.replace_lane 2 (local.get 1) (local.get 0)) (local.get 0))

  ;; Scalars around two v128s in, four results (two of them v128) out,
  ;; in another order: every slot moves.
  (func $shuffle_args (export "shuffle_args")
        (param $a i32) (param $v v128) (param $b i64) (param $w v128)
        (result v128 i64 v128 i32)
    (local.get $w) (local.get $b) (local.get $v) (local.get $a))

  ;; A direct call to $shuffle_args, its results recombined.
  (func (export "call_shuffle") (param i32 v128 i64 v128) (result i64 v128)
    (local $r1 v128) (local $n i64) (local $r2 v128) (local $k i32)
    (call $shuffle_args (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    (local.set $k) (local.set $r2) (local.set $n) (local.set $r1)
    (i64.add (local.get $n) (i64.extend_i32_u (local.get $k)))
    (i32x4.add (local.get $r1) (local.get $r2)))

  ;; Recursion with a v128 accumulator: acc + splat(n) + ... + splat(1).
  (func $fold (export "fold") (param $n i32) (param $acc v128) (result v128)
    (if (result v128) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (call $fold (i32.sub (local.get $n) (i32.const 1))
                    (i32x4.add (local.get $acc) (i32x4.splat (local.get $n)))))))

  ;; call_indirect on v128 types: $add (0), $sub (1); 2 is $tag, of
  ;; another type (a trap); 3 is outside the table.
  (func (export "indirect") (param $i i32) (param v128 v128) (result v128)
    (call_indirect $t (type $vv_v) (local.get 1) (local.get 2) (local.get $i)))
  (func (export "indirect_tag") (param i32 v128) (result v128 i32)
    (call_indirect $t (type $iv_vi) (local.get 0) (local.get 1) (i32.const 2)))

  ;; The v128 global: acc += v, returns the new value.
  (func (export "bump") (param v128) (result v128)
    (global.set $acc (i32x4.add (global.get $acc) (local.get 0)))
    (global.get $acc))

  ;; Blocks with v128 params and results; select on v128. With c' = c + 1
  ;; and s = v + w: (c', s * 10 if c' > 2 else s) if c' is odd, else (c', w).
  (func (export "blocks") (param $c i32) (param v128 v128) (result i32 v128)
    (local.get 1) (local.get $c)
    (block $b (param v128 i32) (result i32 v128)
      (local.set $c)
      (i32x4.add (local.get 2))
      (local.get $c) (i32.const 1) (i32.add)
      (local.set $c)
      (local.get $c) (i32.const 2) (i32.gt_u)
      (if (param v128) (result v128) (then (i32x4.mul (i32x4.splat (i32.const 10)))) (else))
      (local.set 1)
      (local.get $c)
      (local.get 1))
    (local.set 1) (local.set $c)
    (local.get $c)
    (select (result v128) (local.get 1) (local.get 2) (i32.and (local.get $c) (i32.const 1))))

  ;; br_table carrying a v128 (and an i32 under it) out of one of three
  ;; blocks, each of which adds its own lane pattern.
  (func (export "branches") (param $k i32) (param $v v128) (result i32 v128)
    (block $out (result i32 v128)
      (block $two (result i32 v128)
        (block $one (result i32 v128)
          (block $zero (result i32 v128)
            (i32.const 7) (local.get $v) (local.get $k)
            (br_table $zero $one $two $out))
          (i32x4.add (v128.const i32x4 1 0 0 0))
          (br $out))
        (i32x4.add (v128.const i32x4 0 1 0 0))
        (br $out))
      (i32x4.add (v128.const i32x4 0 0 1 0))))

  ;; A loop with a v128 parameter, carried by br_if: doubles v, n times (n >= 1).
  (func (export "loop_double") (param $n i32) (param $v v128) (result v128)
    (local.get $v)
    (loop $again (param v128) (result v128)
      (local.tee $v)
      (local.get $v)
      (i32x4.add)
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again)))

  ;; Calls out: to the host and to the peer instance.
  (func (export "via_host") (param i32 v128 i64) (result i32 v128)
    (local $r v128) (local $s i32)
    (call $mix (local.get 0) (local.get 1) (local.get 2))
    (local.set $s) (local.set $r)
    (i32.add (local.get $s) (i32.const 1))
    (i32x4.add (local.get $r) (v128.const i32x4 0 0 0 100)))
  (func (export "via_peer") (param v128 v128) (result v128)
    (call $peer_add (local.get 0) (local.get 1)))
)
