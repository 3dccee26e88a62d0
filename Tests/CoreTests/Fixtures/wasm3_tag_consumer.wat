;; Imports the provider's tag and thrower: a catch of the imported tag matches what
;; the provider throws; a tag of its own with the same type does not.
(module
  (import "provider" "t" (tag $t (param i32)))
  (import "provider" "raise" (func $raise (param i32)))
  (tag $mine (param i32))
  (func (export "catchImported") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (call $raise (local.get 0)))
      (i32.const -1)))
  (func (export "catchOwn") (param i32) (result i32)
    (block $all
      (block $h (result i32)
        (try_table (catch $mine $h) (catch_all $all) (call $raise (local.get 0)))
        (return (i32.const -1)))
      (return))
    (i32.const -2))
  ;; Throws the imported tag itself: the provider's tag, seen by the embedder.
  (func (export "throwImported") (param i32) (throw $t (local.get 0)))
)
