;; Example for the README: recursive Fibonacci and a never-ending loop.
;;   rewasm run --invoke fib Examples/Modules/fib.wasm 30      -> 832040
;;   rewasm run --timeout 100ms --invoke spin Examples/Modules/fib.wasm
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $spin (export "spin")
    (loop $forever (br $forever)))
  (func $fail (export "fail") (param $x i32) (result i32)
    (i32.div_u (i32.const 1) (local.get $x))))
