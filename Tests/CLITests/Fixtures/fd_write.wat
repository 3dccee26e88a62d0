;; A WASI program that writes "hi\n" to stdout with fd_write. Without a WASI
;; implementation, `rewasm run` must refuse it naming the import.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; iovec { buf = 8, len = 3 } at 0, the bytes at 8.
  (data (i32.const 0) "\08\00\00\00\03\00\00\00")
  (data (i32.const 8) "hi\n")
  (func (export "_start") (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100))))
)
