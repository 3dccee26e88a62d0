;; Tail-call loop micro-benchmark: even/odd by mutual return_call, 200,000,000 calls
;; (and a counting accumulator loop of 100,000,000). Neither grows any stack. Traps if
;; a result is wrong.
(module
  (memory (export "memory") 1)  ;; iwasm runs only modules that export a memory
  (func $even (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  (func $sum (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  (func (export "_start")
    (if (i32.ne (call $even (i64.const 200000000)) (i32.const 1)) (then (unreachable)))
    (if (i64.ne (call $sum (i64.const 100000000) (i64.const 0)) (i64.const 5000000050000000)) (then (unreachable))))
;; Never ends: `rewasm run --timeout 100ms --invoke spin tailcall.wasm 0` must stop it
  ;; (exit status 124), as .ci/run checks.
  (func $spin (export "spin") (param i64) (result i64)
    (return_call $spin (i64.add (local.get 0) (i64.const 1))))
)
