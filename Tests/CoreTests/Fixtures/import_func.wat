(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (func (export "call_f") (param i32) (result i32) (i32.mul (call $f (local.get 0)) (i32.const 2)))
)
