;; Exports a tag and a function that throws it (for linking tests of tags).
(module
  (tag $t (export "t") (param i32))
  (func (export "raise") (param i32) (throw $t (local.get 0)))
)
