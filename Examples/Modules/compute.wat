;; Shared by the examples minimal, interrupt, async and fuel.
;;   fib(n)   recursive Fibonacci: fib(25) = 75025
;;   spin()   never returns: counts in a local and copies the count to the exported
;;            global `ticks` on every iteration, so the embedder can watch it progress
;;            (and see that a resumed execution continues the same count)
;; Build: ./build.sh (wat2wasm compute.wat -o compute.wasm)
(module
  (global $ticks (export "ticks") (mut i64) (i64.const 0))

  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "spin")
    (local $i i64)
    (loop $forever
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (global.set $ticks (local.get $i))
      (br $forever))))
