;; Multi-memory, memory64 and table64, extended-const (WebAssembly 3.0).
(module
  ;; Memory 0 has 64-bit addresses; memory 1 is an ordinary 32-bit memory.
  (memory $m64 i64 1 4)
  (memory $m32 1 2)
  (data (memory $m64) (i64.const 16) "\01\02\03\04")
  (data (memory $m32) (i32.const 8) "abcd")
  (data $passive "xyz")
  (table $t64 i64 4 funcref)
  (elem (table $t64) (i64.const 1) func $seven $eight)
  (type $r (func (result i32)))
  (func $seven (type $r) (i32.const 7))
  (func $eight (type $r) (i32.const 8))
  ;; extended-const: an offset computed from two constants.
  (global (export "base") i32 (i32.add (i32.const 1000) (i32.mul (i32.const 3) (i32.const 4))))
  (global (export "g64") i64 (i64.sub (i64.const 10) (i64.const 3)))

  (func (export "load64") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load8_u $m32 (local.get 0)))
  (func (export "store64") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "get64") (param i64) (result i64) (i64.load (local.get 0)))
  ;; An offset beyond 4 GiB: out of bounds for any address in a small memory.
  (func (export "farOffset") (param i64) (result i32) (i32.load offset=0x100000000 (local.get 0)))
  (func (export "size64") (result i64) (memory.size $m64))
  (func (export "size32") (result i32) (memory.size $m32))
  (func (export "grow64") (param i64) (result i64) (memory.grow $m64 (local.get 0)))
  (func (export "grow32") (param i32) (result i32) (memory.grow $m32 (local.get 0)))
  ;; memory.copy between the memories: 4 bytes at 16 of memory 0 to 100 of memory 1.
  (func (export "copyAcross") (memory.copy $m32 $m64 (i32.const 100) (i64.const 16) (i32.const 4)))
  (func (export "fill64") (param i64 i32 i64) (memory.fill $m64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init32") (param i32) (memory.init $m32 $passive (local.get 0) (i32.const 0) (i32.const 3)))
  (func (export "call64") (param i64) (result i32) (call_indirect $t64 (type $r) (local.get 0)))
  (func (export "tableSize") (result i64) (table.size $t64))
  (func (export "tableGrow") (param i64) (result i64) (table.grow $t64 (ref.null func) (local.get 0)))
)
