;; The start function runs during instantiation.
(module
  (import "env" "started" (func $started (param i32)))
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $start (global.set $g (i32.const 42)) (call $started (global.get $g)))
  (start $start)
)
