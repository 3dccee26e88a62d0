;; Element segments into an imported table; the second is out of bounds.
(module
  (import "env" "table" (table 2 funcref))
  (import "env" "memory" (memory 1))
  (func $f (result i32) (i32.const 7))
  (elem (i32.const 0) $f)
  (elem (i32.const 1) $f $f)
  (data (i32.const 0) "never")
)
