;; Re-entrant calls (ReentrantTests): exports that call the host, which calls back
;; into exports on the same context.
(module
  (import "host" "callback" (func $callback (param i32) (result i32)))
  (global $g (mut i32) (i32.const 0))
  ;; x = n * 2 stays live in a local and on the operand stack across the callback.
  (func $outer (export "outer") (param $n i32) (result i32)
    (local $x i32)
    (local.set $x (i32.mul (local.get $n) (i32.const 2)))
    (global.set $g (i32.const 7))
    (i32.add
      (i32.add (local.get $x) (i32.const 1000))
      (i32.add (call $callback (local.get $n)) (global.get $g))))
  ;; sum of 0..n-1 with a loop (back-edges: interrupt checks and torture restarts)
  (func (export "inner") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (global.set $g (i32.const 100))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  ;; rec(n) = n + callback(n - 1) for n > 0 (the host calls rec again): nesting n deep.
  (func (export "rec") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (local.get $n) (call $callback (i32.sub (local.get $n) (i32.const 1)))))))
  (func $boom (export "boom") (result i32) (unreachable))
  (func (export "spin") (result i32) (loop $l (br $l)) (i32.const 0))
)
