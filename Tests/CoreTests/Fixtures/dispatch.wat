;; DispatchTests: loops shaped like compiled C, so that the translator's fused forms and
;; superinstructions (Utilities/ops.txt) all occur, plus one long loop in one frame.
;; Every kernel returns a checksum; the expected values come from wasmtime.
(module
  (memory (export "memory") 2)
  (global $g (mut i32) (i32.const 7))

  ;; n iterations of a loop body of several instructions, all in one frame.
  (func (export "long_loop") (param $n i32) (result i32)
    (local $acc i32) (local $i i32)
    (loop $top
      (local.set $acc (i32.xor (i32.add (local.get $acc) (local.get $i)) (i32.const 0x9e37)))
      (local.set $acc (i32.rotl (local.get $acc) (i32.const 5)))
      (i32.store (i32.const 64) (local.get $acc))
      (local.set $acc (i32.add (i32.load (i32.const 64)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; Fills memory[0..n) (i32 elements) with a pattern, then sums a[i] * (i & 7) (indexed
  ;; loads and stores: base + (i << 2)).
  (func (export "array_sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2))
          (i32.mul (local.get $i) (i32.const 2654435761)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $end
      (loop $sum
        (br_if $end (i32.eq (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s)
          (i32.mul (i32.load offset=1024 (i32.add (i32.const 0) (i32.shl (local.get $i) (i32.const 2))))
                   (i32.and (local.get $i) (i32.const 7)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (local.get $s))

  ;; Byte scanning: writes bytes, then counts bytes with bit 5 set and sums bit fields.
  (func (export "bytes") (param $n i32) (result i32)
    (local $p i32) (local $end i32) (local $c i32) (local $v i32)
    (local.set $p (i32.const 4096))
    (local.set $end (i32.add (i32.const 4096) (local.get $n)))
    (loop $w
      (i32.store8 (local.get $p) (i32.mul (local.get $p) (i32.const 37)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $w (i32.lt_u (local.get $p) (local.get $end))))
    (local.set $p (i32.const 4096))
    (loop $r
      (local.set $v (i32.load8_u (local.get $p)))
      (if (i32.and (local.get $v) (i32.const 32))
        (then (local.set $c (i32.add (local.get $c) (i32.const 1)))))
      (local.set $c (i32.add (local.get $c)
        (i32.and (i32.shr_u (local.get $v) (i32.const 3)) (i32.const 7))))
      (i32.store8 offset=8192 (local.get $p) (i32.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $r (i32.ne (local.get $p) (local.get $end))))
    (local.get $c))

  ;; Collatz steps: i64 arithmetic and a select of an i64.eqz.
  (func (export "collatz") (param $n i64) (result i32)
    (local $steps i32)
    (block $done
      (loop $l
        (br_if $done (i64.eq (local.get $n) (i64.const 1)))
        (local.set $n (select
          (i64.shr_u (local.get $n) (i64.const 1))
          (i64.add (i64.mul (local.get $n) (i64.const 3)) (i64.const 1))
          (i64.eqz (i64.and (local.get $n) (i64.const 1)))))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br $l)))
    (local.get $steps))

  ;; Sum over a switch whose cases start at 3 (br_table on x - 3), a global, selects of eqz.
  (func (export "switch") (param $n i32) (result i32)
    (local $i i32) (local $s i32) (local $k i32)
    (loop $l
      (local.set $k (i32.add (i32.rem_u (local.get $i) (i32.const 6)) (i32.const 3)))
      (block $d (block $c5 (block $c4 (block $c3
        (br_table $c3 $c4 $c5 $d (i32.sub (local.get $k) (i32.const 3))))
        (local.set $s (i32.add (local.get $s) (i32.const 11))) (br $d))
        (local.set $s (i32.xor (local.get $s) (global.get $g))) (br $d))
        (global.set $g (i32.add (global.get $g) (local.get $i))))
      (local.set $s (select (local.get $s) (i32.const 1) (i32.eqz (i32.and (local.get $i) (i32.const 3)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_s (local.get $i) (local.get $n))))
    (i32.add (local.get $s) (global.get $g)))

  ;; f64 multiply-adds through memory (nbody-like), truncated to an integer checksum.
  (func (export "float") (param $n i32) (result i64)
    (local $i i32) (local $x f64)
    (f64.store (i32.const 16384) (f64.const 1.5))
    (f64.store (i32.const 16392) (f64.const 0.25))
    (loop $l
      (f64.store (i32.const 16384)
        (f64.add (f64.load (i32.const 16384))
                 (f64.mul (f64.load (i32.const 16392)) (f64.convert_i32_u (local.get $i)))))
      (local.set $x (f64.sub (local.get $x) (f64.mul (local.get $x) (f64.const 0.5))))
      (local.set $x (f64.add (local.get $x) (f64.load (i32.const 16384))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (local.get $n))))
    (i64.trunc_f64_s (local.get $x)))

  ;; Recursion through a call of this module, with a constant argument and a
  ;; single-result return; and i64 carries (an i64.lt_u extended and added).
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "calls") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $i i32)
    (local.set $b (i64.const 0xffffffff00000000))
    (loop $l
      (local.set $a (i64.add (local.get $a) (i64.const 0x00000000ffffffff)))
      (local.set $b (i64.add (local.get $b)
        (i64.add (i64.extend_i32_u (i64.lt_u (local.get $a) (i64.const 0x1000)))
                 (i64.extend_i32_u (call $fib (i32.and (local.get $i) (i32.const 15)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.xor (local.get $a) (local.get $b)))
)
