;; Requires a memory of at least 1 and at most 2 pages.
(module
  (import "env" "mem" (memory 1 2))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
