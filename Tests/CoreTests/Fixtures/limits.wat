;; Recursion for the call-depth and value-stack limits.
(module
  ;; depth(n) = n, recursing n levels deep.
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)))))))
  ;; Like depth, with a large frame (many locals) so that the value stack runs
  ;; out long before the frame limit.
  (func $fat (export "fat") (param $n i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $fat (i32.sub (local.get $n) (i32.const 1)))))))
  ;; Never returns.
  (func $forever (export "forever") (param i32) (result i32)
    (call $forever (i32.add (local.get 0) (i32.const 1))))
  ;; Indirect recursion through a table.
  (type $i2i (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $indirect)
  (func $indirect (export "indirect") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
        (call_indirect (type $i2i) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))))))
)
