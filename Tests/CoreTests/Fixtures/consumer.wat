;; Imports everything provider.wat exports (as module "provider").
(module
  (type $v2i (func (result i32)))
  (import "provider" "add" (func $add (param i32 i32) (result i32)))
  (import "provider" "bump_counter" (func $bump))
  (import "provider" "memory" (memory 1 2))
  (import "provider" "table" (table 2 funcref))
  (import "provider" "counter" (global $counter (mut i32)))
  (import "provider" "answer" (global $answer i32))
  (global $own i32 (i32.const 1000))

  ;; Called by the provider through its table: must see this instance's global.
  (func $mine (type $v2i) (i32.add (global.get $own) (global.get $answer)))
  (elem (i32.const 1) $mine)

  (func (export "use_add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "write_byte") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "set_counter") (param i32) (global.set $counter (local.get 0)))
  (func (export "get_counter") (result i32) (global.get $counter))
  ;; Call into the provider, then read own state again (instance switch on return).
  (func (export "bump_and_read") (result i32) (call $bump) (i32.add (global.get $counter) (global.get $own)))
  (func (export "call_slot") (param i32) (result i32) (call_indirect (type $v2i) (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
