;; A WASI program shaped like C++ built with -fwasm-exceptions (zig's libc++ for
;; wasm32-wasi has no exception runtime, so the pattern is written by hand): a throw
;; deep in a recursion (the "exception object" lives in linear memory, its address is
;; the payload, as with __cpp_exception), destructors as catch_all_ref + throw_ref
;; cleanups on the way up, and a catch that checks the exception's type and rethrows
;; what it does not handle. Prints what it counted; `--invoke uncaught` lets one
;; escape (exit status 134).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $cpp (param i32))
  (global $cleanups (mut i32) (i32.const 0))
  (global $next (mut i32) (i32.const 1024))

  ;; Writes "<text> <n>\n" to stdout; the text is at [ptr, ptr+len).
  (func $print (param $ptr i32) (param $len i32) (param $n i32)
    (local $p i32)
    (memory.copy (i32.const 200) (local.get $ptr) (local.get $len))
    (i32.store8 (i32.add (i32.const 200) (local.get $len)) (i32.const 32))
    ;; Digits backwards from 190.
    (local.set $p (i32.const 190))
    (loop $d
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (br_if $d (local.get $n)))
    (memory.copy
      (i32.add (i32.const 201) (local.get $len))
      (i32.add (local.get $p) (i32.const 1))
      (i32.sub (i32.const 190) (local.get $p)))
    (i32.store8 (i32.add (i32.add (i32.const 201) (local.get $len)) (i32.sub (i32.const 190) (local.get $p))) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 200))
    (i32.store (i32.const 4) (i32.add (i32.add (local.get $len) (i32.const 2)) (i32.sub (i32.const 190) (local.get $p))))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; "new runtime_error(code)": an object {type, code} in memory.
  (func $make (param $type i32) (param $code i32) (result i32)
    (local $obj i32)
    (local.set $obj (global.get $next))
    (global.set $next (i32.add (global.get $next) (i32.const 8)))
    (if (i32.gt_u (global.get $next) (i32.const 60000)) (then (global.set $next (i32.const 1024))))
    (i32.store (local.get $obj) (local.get $type))
    (i32.store offset=4 (local.get $obj) (local.get $code))
    (local.get $obj))

  ;; Recurses n deep, then throws; every level has a destructor (a cleanup).
  (func $depth (param $n i32) (param $type i32) (result i32)
    (block $unwind (result exnref)
      (try_table (catch_all_ref $unwind)
        (if (i32.eqz (local.get $n))
          (then (throw $cpp (call $make (local.get $type) (i32.const 7)))))
        (return (i32.add (call $depth (i32.sub (local.get $n) (i32.const 1)) (local.get $type)) (i32.const 1))))
      (unreachable))
    ;; The destructor runs, then the exception goes on.
    (global.set $cleanups (i32.add (global.get $cleanups) (i32.const 1)))
    (throw_ref))

  ;; catch (const runtime_error&): type 1 only; anything else is rethrown.
  (func $catchRuntime (param $n i32) (param $type i32) (result i32)
    (local $obj i32)
    (block $other (result exnref)
      (block $caught (result i32 exnref)
        (try_table (catch_ref $cpp $caught)
          (return (call $depth (local.get $n) (local.get $type))))
        (unreachable))
      (drop)  ;; keep the exnref only when rethrowing
      (local.set $obj)
      (if (i32.ne (i32.load (local.get $obj)) (i32.const 1))
        (then (throw $cpp (local.get $obj))))
      (return (i32.load offset=4 (local.get $obj))))
    (throw_ref))

  (func (export "_start")
    (local $i i32) (local $sum i32) (local $outer i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (call $catchRuntime (i32.rem_u (local.get $i) (i32.const 20)) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    ;; An exception of another type passes through catchRuntime to an outer catch.
    (block $h (result i32)
      (try_table (catch $cpp $h) (drop (call $catchRuntime (i32.const 5) (i32.const 2))))
      (i32.const 0))
    (local.set $outer (i32.load))
    (call $print (i32.const 300) (i32.const 6) (local.get $sum))        ;; "caught"
    (call $print (i32.const 306) (i32.const 8) (global.get $cleanups))  ;; "cleanups"
    (call $print (i32.const 314) (i32.const 10) (local.get $outer)))    ;; "outer type"
  (data (i32.const 300) "caughtcleanupsouter type")

  ;; Throws through every frame: nothing catches it.
  (func (export "uncaught") (result i32) (call $depth (i32.const 3) (i32.const 9)))
)
