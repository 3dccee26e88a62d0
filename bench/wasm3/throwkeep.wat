(module
  ;; `rewasm run --invoke keep throwkeep.wasm N`: N throws and catches whose exnrefs are
  ;; kept in a local, a global and a table slot (each overwritten in turn): the
  ;; bounded-memory check of .ci/run. Returns the sum of the payloads. (Apart from
  ;; throw.wat because WasmKit main cannot decode a table of exnref.)
  (tag $e (param i32))
  (global $kept (mut exnref) (ref.null exn))
  (table $t 4 exnref)
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func (export "keep") (param $n i32) (result i64)
    (local $i i32) (local $sum i64) (local $x exnref)
    (loop $next
      (block $h (result i32 exnref)
        (try_table (catch_ref $e $h) (call $thrower (local.get $i)))
        (unreachable))
      (local.set $x)
      (i64.extend_i32_u)
      (local.get $sum)
      (i64.add)
      (local.set $sum)
      (global.set $kept (local.get $x))
      (table.set $t (i32.and (local.get $i) (i32.const 3)) (local.get $x))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))
)
