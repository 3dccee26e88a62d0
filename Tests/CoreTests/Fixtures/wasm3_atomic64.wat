;; Atomics on a 64-bit memory (threads + memory64); only builds with the Threads trait
;; accept it.
(module
  (memory i64 1 1 shared)
  (func (export "store64") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "get64") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "atomicAdd64") (param i64 i32) (result i32)
    (i32.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "wait64") (param i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (i32.const 1) (i64.const 0)))
)
