;; Imports a function that no build of rewasm provides.
(module
  (import "wasi_snapshot_preview1" "no_such_call" (func (param i32) (result i32)))
  (func (export "_start"))
)
