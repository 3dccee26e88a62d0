;; Exception handling (WebAssembly 3.0): tags, throw, throw_ref, try_table.
(module
  (import "host" "throwE" (func $hostThrow (param i32)))
  (import "host" "callback" (func $callback (param i32) (result i32)))
  (tag $e (export "e") (param i32))
  (tag $pair (export "pair") (param i32 i64))
  (tag $empty (export "empty"))
  (global $kept (mut exnref) (ref.null exn))
  (table $exns 4 exnref)

  (func $thrower (export "throwE") (param i32) (throw $e (local.get 0)))

  ;; catch: the payload arrives at the label.
  (func (export "catchE") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $thrower (local.get 0)))
      (i32.const -1)))
  ;; Nothing thrown: the body's value.
  (func (export "noThrow") (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (i32.const 5))))
  ;; Two payload values; catch_all for other tags.
  (func (export "catchPair") (param i32) (result i64)
    (local $hi i64)
    (block $all
      (block $h (result i32 i64)
        (try_table (catch $pair $h) (catch_all $all)
          (if (local.get 0)
            (then (throw $pair (i32.const 3) (i64.const 40)))
            (else (throw $empty))))
        (return (i64.const -1)))
      (local.set $hi)
      (i64.extend_i32_u)
      (local.get $hi)
      (i64.add)
      (return))
    (i64.const 99))
  ;; catch_ref then throw_ref: the same exception goes on to the outer handler.
  (func (export "rethrow") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (catch $e $outer)
        (block $inner (result exnref)
          (try_table (catch_all_ref $inner) (throw $e (local.get 0)))
          (unreachable))
        (throw_ref))
      (i32.const -1)))
  ;; Uncaught: the embedder sees the exception.
  (func (export "uncaught") (param i32) (result i32)
    (throw $pair (local.get 0) (i64.const 64)))
  (func (export "throwNull") (throw_ref (ref.null exn)))
  ;; A host function's exception, caught here.
  (func (export "catchHost") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $hostThrow (local.get 0)))
      (i32.const -1)))
  ;; The host calls back into wasm (on another context), which throws; the host
  ;; passes the exception on and it is caught here.
  (func (export "catchThroughHost") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (drop (call $callback (local.get 0))))
      (i32.const -1)))
  ;; A loop: throw and catch n times; every 3rd exnref goes to a global, a table slot
  ;; and a local (kept alive), the rest become garbage. Returns the sum of payloads.
  (func (export "throwLoop") (param $n i32) (result i64)
    (local $sum i64) (local $x exnref) (local $i i32)
    (loop $next
      (block $h (result i32 exnref)
        (try_table (catch_ref $e $h) (throw $e (local.get $i)))
        (unreachable))
      (local.set $x)
      (i64.extend_i32_u)
      (local.get $sum)
      (i64.add)
      (local.set $sum)
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 3)))
        (then
          (global.set $kept (local.get $x))
          (table.set $exns (i32.rem_u (local.get $i) (i32.const 4)) (local.get $x))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))
  ;; The kept exnref still holds its payload after the loop.
  (func (export "keptPayload") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw_ref (global.get $kept)))
      (i32.const -1)))
  ;; A catch whose label is the function's: the payload is the result.
  (func (export "catchToFunction") (param i32) (result i32)
    (try_table (catch $e 0) (throw $e (local.get 0)))
    (i32.const -1))
  ;; A catch that branches to a loop: retries until the count is reached.
  (func (export "retry") (param $n i32) (result i32)
    (local $tries i32)
    (block $done
      (i32.const 0)
      (loop $again (param i32)
        (drop)
        (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $tries) (local.get $n)))
        (try_table (catch $e $again) (throw $e (local.get $tries))))
      )
    (local.get $tries))
;; A try_table around a tail call does not catch what the callee throws: the
  ;; function has already ended. The outer handler gets it (host and wasm callees).
  (func $tailInner (param i32) (param $host i32)
    (block $wrong (result i32)
      (try_table (catch $e $wrong)
        (if (local.get $host)
          (then (return_call $hostThrow (local.get 0)))
          (else (return_call $thrower (local.get 0)))))
      (return))
    (drop))
  (func (export "tailCatch") (param i32) (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $tailInner (local.get 0) (local.get 1)))
      (i32.const -1)))
)
