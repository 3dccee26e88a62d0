;; Workloads for the restart protocol (RestartTests).
(module
  (type $i2i (func (param i32) (result i32)))
  (memory 1)
  (table 3 funcref)
  (elem (i32.const 0) $inc $dbl $fib)
  (global $entered (export "entered") (mut i32) (i32.const 0))
  (global $iterations (export "iterations") (mut i64) (i64.const 0))

  ;; The smallest infinite loop.
  (func (export "spin") (loop $l (br $l)))

  ;; An infinite loop that counts its iterations in a local, copied to a global,
  ;; and counts its entries: resuming must not re-enter it.
  (func (export "spin_counting") (local $i i64)
    (global.set $entered (i32.add (global.get $entered) (i32.const 1)))
    (loop $l
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (global.set $iterations (local.get $i))
      (br $l)))

  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; sum(n) = 0 + 1 + ... + (n-1), as i64.
  (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  (func $inc (type $i2i) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $i2i) (i32.shl (local.get 0) (i32.const 1)))

  ;; A bit of everything: br_table dispatch, call_indirect, memory, multi-value
  ;; blocks, values live across calls. Returns a checksum.
  (func (export "mixed") (param $n i32) (result i32) (local $i i32) (local $h i32) (local $v i32)
    (local.set $h (i32.const 17))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v
          (block $b2 (result i32)
            (block $b1 (result i32)
              (block $b0 (result i32)
                (i32.rem_u (local.get $i) (i32.const 3))
                (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 4))))
              ;; i % 4 == 0: call_indirect $inc
              (call_indirect (type $i2i) (local.get $i) (i32.const 0))
              (br $b2))
            ;; i % 4 == 1: call_indirect $dbl
            (call_indirect (type $i2i) (local.get $i) (i32.const 1))
            (br $b2)))
        ;; the slot for i is memory[(i % 1000) * 4]
        (i32.store (i32.mul (i32.rem_u (local.get $i) (i32.const 1000)) (i32.const 4))
          (i32.add (local.get $v)
            (i32.load (i32.mul (i32.rem_u (local.get $i) (i32.const 1000)) (i32.const 4)))))
        (local.set $h
          (i32.add
            (i32.mul (local.get $h) (i32.const 31))
            (i32.add (local.get $v)
              (call_indirect (type $i2i) (i32.and (local.get $i) (i32.const 7)) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.xor (local.get $h) (i32.load (i32.const 40))))
)
