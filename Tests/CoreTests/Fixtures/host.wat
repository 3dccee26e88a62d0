;; Wasm callers of host functions (RestartTests). Compiled with --debug-names so
;; that backtraces have function names.
(module
  (import "host" "retry" (func $retry (param i32) (result i32)))
  (import "host" "fail" (func $fail (param i32)))
  (import "host" "exit" (func $exit (param i32)))

  (func $call_retry (export "call_retry") (param i32) (result i32)
    (i32.add (call $retry (local.get 0)) (i32.const 1)))

  ;; Values live across the restarting calls must survive.
  (func $retry_loop (export "retry_loop") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $retry (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  (func $inner_fail (param i32) (call $fail (local.get 0)))
  (func $outer_fail (export "call_fail") (param i32) (call $inner_fail (local.get 0)))

  (func $call_exit (export "call_exit") (param i32) (result i32)
    (call $exit (local.get 0))
    (i32.const 99))

  (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $calls_div (export "calls_div") (param i32 i32) (result i32) (call $div (local.get 0) (local.get 1)))
)
