(module
  (import "env" "g" (global $g (mut i32)))
  (func (export "get") (result i32) (global.get $g))
  (func (export "set") (param i32) (global.set $g (local.get 0)))
)
