;; Exports one entity of every kind for other instances to import (LinkingTests).
(module
  (type $v2i (func (result i32)))
  (memory (export "memory") 1 2)
  (table (export "table") 2 funcref)
  (global $counter (export "counter") (mut i32) (i32.const 5))
  (global (export "answer") i32 (i32.const 42))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "get_counter") (result i32) (global.get $counter))
  (func (export "bump_counter") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (func (export "read_byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call_slot") (param i32) (result i32) (call_indirect (type $v2i) (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
