;; memory.atomic.wait on an unshared memory traps; notify returns 0.
;; Build: wat2wasm --enable-threads unshared.wat -o unshared.wasm
(module
  (memory 1)
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32)
    (memory.atomic.notify (local.get 0) (local.get 1)))
  (func (export "unaligned") (result i32) (i32.atomic.load (i32.const 2)))
)
