;; Fuel metering (FuelTests): straight-line code, loops, calls, branches, and a
;; host call, whose fuel consumption the tests compare across runs and modes.
(module
  (import "host" "tick" (func $tick (param i32) (result i32)))
  ;; 4 instructions: i32.const, i32.const, i32.add, end.
  (func (export "straight") (result i32)
    i32.const 1
    i32.const 2
    i32.add)
  ;; sum of 0..n-1 with a loop and a br_if.
  (func $sum (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; calls $sum k times with if/else and the host function.
  (func (export "mixed") (param $k i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $k)))
        (if (i32.and (local.get $k) (i32.const 1))
          (then (local.set $acc (i64.add (local.get $acc) (call $sum (i32.const 100)))))
          (else (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (call $tick (local.get $k)))))))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; never returns
  (func (export "spin")
    (loop $l (br $l)))
)
