;; Async invocation (AsyncTests): a guest that spins forever reporting progress, and a
;; finite computation to compare with the synchronous path.
(module
  (import "host" "progress" (func $progress (param i32)))
  ;; Loops forever; every 2^16 iterations calls progress(id).
  (func (export "spin") (param $id i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 0xFFFF)))
        (then (call $progress (local.get $id))))
      (br $l)))
  ;; A hash of 0..n-1 through calls (calls and back-edges are interrupt checks).
  (func $mix (param $h i64) (param $x i64) (result i64)
    (i64.mul (i64.xor (local.get $h) (local.get $x)) (i64.const 0x100000001b3)))
  (func (export "hash") (param $n i64) (result i64)
    (local $i i64) (local $h i64)
    (local.set $h (i64.const 0xcbf29ce484222325))
    (block $done
      (loop $l
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $h (call $mix (local.get $h) (local.get $i)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $l)))
    (local.get $h))
)
