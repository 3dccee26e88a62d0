;; Tables, element segments and call_indirect.
(module
  (type $i2i (func (param i32) (result i32)))
  (type $v2i (func (result i32)))
  (table $t (export "table") 4 6 funcref)
  (table $ext (export "externs") 2 externref)

  (func $ten (type $v2i) (i32.const 10))
  (func $twenty (type $v2i) (i32.const 20))
  (func $thirty (type $v2i) (i32.const 30))
  (func $double (type $i2i) (i32.mul (local.get 0) (i32.const 2)))

  ;; Slots 0 and 1 are initialized; 2 and 3 are null.
  (elem $active (table $t) (i32.const 0) func $ten $double)
  (elem $passive func $twenty $thirty $ten)
  (elem declare func $thirty)

  (func (export "call_v2i") (param i32) (result i32) (call_indirect $t (type $v2i) (local.get 0)))
  (func (export "call_i2i") (param i32 i32) (result i32) (call_indirect $t (type $i2i) (local.get 1) (local.get 0)))

  (func (export "size") (result i32) (table.size $t))
  (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set_null") (param i32) (table.set $t (local.get 0) (ref.null func)))
  (func (export "set_thirty") (param i32) (table.set $t (local.get 0) (ref.func $thirty)))
  (func (export "grow_null") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "grow_thirty") (param i32) (result i32) (table.grow $t (ref.func $thirty) (local.get 0)))
  (func (export "fill_thirty") (param i32 i32) (table.fill $t (local.get 0) (ref.func $thirty) (local.get 1)))
  (func (export "copy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_passive") (param i32 i32 i32) (table.init $t $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop_passive") (elem.drop $passive))
  (func (export "drop_active") (elem.drop $active))
  (func (export "init_active") (param i32 i32 i32) (table.init $t $active (local.get 0) (local.get 1) (local.get 2)))

  (func (export "ext_set") (param i32 externref) (table.set $ext (local.get 0) (local.get 1)))
  (func (export "ext_get") (param i32) (result externref) (table.get $ext (local.get 0)))
  (func (export "ext_grow") (param externref i32) (result i32) (table.grow $ext (local.get 0) (local.get 1)))
  (func (export "ext_size") (result i32) (table.size $ext))
)
