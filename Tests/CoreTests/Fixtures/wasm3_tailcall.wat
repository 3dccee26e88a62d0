;; Tail calls (WebAssembly 3.0): loops made of return_call use no stack.
(module
  (import "host" "twice" (func $twice (param i64) (result i64)))
  (type $ii (func (param i64) (result i64)))
  (table funcref (elem $even $odd))
  (func $even (export "even") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (return_call_indirect (type $ii) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  ;; Counts n down and returns n's sum: an accumulator loop of tail calls.
  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  ;; Never ends: only an interrupt stops it.
  (func $spin (export "spin") (param i64) (result i64)
    (return_call $spin (i64.add (local.get 0) (i64.const 1))))
  ;; A tail call of a host function: its results are this function's.
  (func (export "callHost") (param i64) (result i64)
    (return_call $twice (i64.add (local.get 0) (i64.const 1))))
)
