;; Re-entrant calls and exceptions (ReentrantTests): the host callback calls `thrower`
;; on its caller's context; the exception ends the nested call, the host function
;; passes it on, and `outer`'s try_table catches it.
(module
  (import "host" "callback" (func $callback (param i32) (result i32)))
  (tag $e (export "e") (param i32))
  (func $thrower (export "thrower") (param $n i32) (result i32)
    (throw $e (local.get $n)))
  (func $outer (export "outer") (param $n i32) (result i32)
    (block $caught (result i32)
      (try_table (result i32) (catch $e $caught)
        (call $callback (local.get $n)))
      (return))
    (i32.add (i32.const 1000)))
)
