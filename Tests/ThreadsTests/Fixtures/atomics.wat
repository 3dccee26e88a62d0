;; Core-level atomics for ThreadsTests: one instance used from several contexts on
;; several host threads. Build: wat2wasm --enable-threads atomics.wat -o atomics.wasm
;; 0: i32 counter (rmw.add), 8: i64 counter (rmw.add), 16: u8 counter (rmw8.add_u,
;; wraps at 256), 24: i32 counter incremented by a cmpxchg loop, 32: i32 xchg/sub mix
(module
  (memory (export "memory") 1 1 shared)
  (func (export "add") (param $n i32)
    (local $i i32) (local $old i32)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 1)))
      (drop (i32.atomic.rmw8.add_u (i32.const 16) (i32.const 1)))
      ;; increment through compare-and-swap
      (loop $cas
        (local.set $old (i32.atomic.load (i32.const 24)))
        (br_if $cas (i32.ne (i32.atomic.rmw.cmpxchg (i32.const 24) (local.get $old) (i32.add (local.get $old) (i32.const 1)))
                            (local.get $old))))
      (drop (i32.atomic.rmw.sub (i32.const 32) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func (export "load32") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.atomic.load (local.get 0)))
  (func (export "store32") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32)
    (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32)
    (memory.atomic.notify (local.get 0) (local.get 1)))
  ;; Ping-pong: wait until the word at 64 equals $want, then set it to $want+1 and notify.
  (func (export "turns") (param $first i32) (param $rounds i32)
    (local $want i32) (local $v i32) (local $i i32)
    (local.set $want (local.get $first))
    (loop $l
      (loop $w
        (local.set $v (i32.atomic.load (i32.const 64)))
        (if (i32.ne (local.get $v) (local.get $want))
          (then (drop (memory.atomic.wait32 (i32.const 64) (local.get $v) (i64.const -1))) (br $w))))
      (i32.atomic.store (i32.const 64) (i32.add (local.get $want) (i32.const 1)))
      (drop (memory.atomic.notify (i32.const 64) (i32.const 1)))
      (local.set $want (i32.add (local.get $want) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $rounds)))))
)
