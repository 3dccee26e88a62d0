;; Throw/catch micro-benchmark (exception handling): 5,000,000 times, a callee throws an
;; exception with an i32 payload that its caller catches (catch_ref, as C++ landing pads
;; do); every 16th exnref is kept in a global. Traps if the sum of payloads is wrong.
(module
  (memory (export "memory") 1)  ;; iwasm runs only modules that export a memory
  (tag $e (param i32))
  (global $kept (mut exnref) (ref.null exn))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func (export "_start")
    (local $i i32) (local $sum i64) (local $x exnref)
    (loop $next
      (block $h (result i32 exnref)
        (try_table (catch_ref $e $h) (call $thrower (local.get $i)))
        (unreachable))
      (local.set $x)
      (i64.extend_i32_u)
      (local.get $sum)
      (i64.add)
      (local.set $sum)
      (if (i32.eqz (i32.and (local.get $i) (i32.const 15)))
        (then (global.set $kept (local.get $x))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 5000000))))
    ;; n(n-1)/2 for n = 5,000,000
    (if (i64.ne (local.get $sum) (i64.const 12499997500000)) (then (unreachable))))
)
