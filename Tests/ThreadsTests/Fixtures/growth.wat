;; Shared-memory growth while other threads run or wait (wasi-threads), chosen by
;; argv[1]. With SharedMemRealloc every grow moves the memory with the world stopped.
;; Build: wat2wasm --enable-threads growth.wat -o growth.wasm
;;
;;   g  4 workers each add 1 to their own counter 100000 times with atomics while main
;;      grows the memory page by page to its maximum (64); exit 0 if every counter is
;;      100000 and memory.size is 64, else 1-3
;;   G  like g, but the 4 workers also grow the memory (one page every 5000 additions,
;;      concurrently, until the maximum) and main does not grow it
;;   b  a worker waits (wait32, 500 ms timeout) while main grows to the maximum; exit 0
;;      if the wait timed out (2) after 500-900 ms from its start, else 4-6
;;   B  benchmark: a worker waits with a 1 h timeout; main grows 63 times and prints
;;      the nanoseconds per grow, then exits 0
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "env" "memory" (memory 1 64 shared))

  ;; 0 done, 4 started, 8 wait result, 16 wait start (ns), 24 wait end (ns),
  ;; 32 wait word (always 0), 64.. counters (4 bytes each, by tid), 96 clock scratch,
  ;; 128 iovec, 200 text, 1024 argv
  (func $mode (result i32)
    (if (call $args_sizes_get (i32.const 96) (i32.const 100)) (then (return (i32.const 0))))
    (if (i32.lt_u (i32.load (i32.const 96)) (i32.const 2)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.load (i32.const 100)) (i32.const 2048)) (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (i32.load8_u (i32.load (i32.const 1028))))

  (func $now (param $at i32)
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (local.get $at))))

  (func $await (param $addr i32) (param $n i32)
    (local $v i32)
    (loop $l
      (local.set $v (i32.atomic.load (local.get $addr)))
      (if (i32.lt_u (local.get $v) (local.get $n))
        (then
          (drop (memory.atomic.wait32 (local.get $addr) (local.get $v) (i64.const -1)))
          (br $l)))))

  (func $grow_to_max
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1)))))

  (func $print_u64 (param $v i64)
    (local $p i32)
    (local.set $p (i32.const 300))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $l (i64.ne (local.get $v) (i64.const 0))))
    (i32.store (i32.const 128) (local.get $p))
    (i32.store (i32.const 132) (i32.sub (i32.const 301) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 128) (i32.const 1) (i32.const 136))))

  (func (export "wasi_thread_start") (param $tid i32) (param $mode i32)
    (local $i i32) (local $timeout i64)
    (if (i32.or (i32.eq (local.get $mode) (i32.const 103)) (i32.eq (local.get $mode) (i32.const 71))) ;; g G
      (then
        (loop $l
          (drop (i32.atomic.rmw.add (i32.add (i32.const 60) (i32.mul (local.get $tid) (i32.const 4))) (i32.const 1)))
          (if (i32.and (i32.eq (local.get $mode) (i32.const 71)) (i32.eqz (i32.rem_u (local.get $i) (i32.const 5000))))
            (then (drop (memory.grow (i32.const 1)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
        (return)))
    ;; b, B: wait on the word at 32
    (local.set $timeout (select (i64.const 500000000) (i64.const 3600000000000) (i32.eq (local.get $mode) (i32.const 98))))
    (call $now (i32.const 16))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
    (i32.atomic.store (i32.const 8) (memory.atomic.wait32 (i32.const 32) (i32.const 0) (local.get $timeout)))
    (call $now (i32.const 24))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func (export "_start")
    (local $m i32) (local $i i32) (local $t0 i64) (local $elapsed i64)
    (local.set $m (call $mode))
    (if (i32.or (i32.eq (local.get $m) (i32.const 103)) (i32.eq (local.get $m) (i32.const 71))) ;; g G
      (then
        (loop $l
          (if (i32.lt_s (call $spawn (local.get $m)) (i32.const 0)) (then (unreachable)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 4))))
        (if (i32.eq (local.get $m) (i32.const 103)) (then (call $grow_to_max)))
        (call $await (i32.const 0) (i32.const 4))
        (if (i32.ne (memory.size) (i32.const 64)) (then (call $proc_exit (i32.const 1))))
        (local.set $i (i32.const 1))
        (loop $c
          (if (i32.ne (i32.atomic.load (i32.add (i32.const 60) (i32.mul (local.get $i) (i32.const 4)))) (i32.const 100000))
            (then (call $proc_exit (i32.const 2))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $c (i32.le_u (local.get $i) (i32.const 4))))
        (call $proc_exit (i32.const 0))))
    (if (i32.lt_s (call $spawn (local.get $m)) (i32.const 0)) (then (unreachable)))
    (call $await (i32.const 4) (i32.const 1))
    (if (i32.eq (local.get $m) (i32.const 66)) ;; B
      (then
        (call $now (i32.const 96))
        (local.set $t0 (i64.load (i32.const 96)))
        (call $grow_to_max)
        (call $now (i32.const 96))
        (call $print_u64 (i64.div_u (i64.sub (i64.load (i32.const 96)) (local.get $t0)) (i64.const 63)))
        (call $proc_exit (i32.const 0))))
    ;; b
    (call $grow_to_max)
    (if (i32.ne (memory.size) (i32.const 64)) (then (call $proc_exit (i32.const 4))))
    (call $await (i32.const 0) (i32.const 1))
    (if (i32.ne (i32.atomic.load (i32.const 8)) (i32.const 2)) (then (call $proc_exit (i32.const 5))))
    (local.set $elapsed (i64.sub (i64.load (i32.const 24)) (i64.load (i32.const 16))))
    (call $print_u64 (i64.div_u (local.get $elapsed) (i64.const 1000000)))
    (if (i32.or (i64.lt_u (local.get $elapsed) (i64.const 500000000)) (i64.gt_u (local.get $elapsed) (i64.const 900000000)))
      (then (call $proc_exit (i32.const 6))))
    (call $proc_exit (i32.const 0)))
)
