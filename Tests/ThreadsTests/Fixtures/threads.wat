;; wasi-threads scenarios for ThreadsTests and bench/threads.sh, chosen by the first
;; character of argv[1]. Build: wat2wasm --enable-threads threads.wat -o threads.wasm
;;
;;   c  4 workers add 1 to a shared counter 100000 times each with atomics; main
;;      waits (wait/notify) for all, prints the total, exits 0 if it is 400000
;;   p  ping-pong: main and a worker take turns 1000 times through wait/notify
;;   t  wait32 with a 100 ms timeout returns 2; mismatches return 1; notify returns 0
;;   w/s/r/l  4 workers block in memory.atomic.wait32 / poll_oneoff (1 h) /
;;      fd_read on stdin / a busy loop; once all started, main calls proc_exit(7)
;;   m  like w, but main returns from _start (the program ends with status 0)
;;   x  a worker calls proc_exit(9) while main waits forever
;;   X  a worker traps (unreachable) while main waits forever
;;   n  spawn 10 workers that wait forever; exit with the number of successful spawns
;;   f  fairness: 2 workers spin, counting, until main (after sleeping 200 ms) tells
;;      them to stop; exit 0 if both counted, else 1
;;   k  a worker blocks in wait forever while main computes for 100 ms; exit 0
;;   h  hangs: 2 workers and main wait forever (for --timeout)
;; With a third argument (any), w/s/r/l main sleeps 1 s after the workers blocked,
;; then prints the realtime clock (ns) just before proc_exit (bench/threads.py).
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))

  ;; 0 counter, 4 done, 8 started, 12 turn, 16 rounds, 20 never (always 0),
  ;; 64 iovec, 80 nwritten, 128 text, 256 poll subscription, 320 event, 1024 argv
  (global $rounds i32 (i32.const 1000))

  (func $mode (result i32)
    (if (call $args_sizes_get (i32.const 96) (i32.const 100)) (then (return (i32.const 0))))
    (if (i32.lt_u (i32.load (i32.const 96)) (i32.const 2)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.load (i32.const 100)) (i32.const 2048)) (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (i32.load8_u (i32.load (i32.const 1028))))

  ;; Blocks forever: waits on the word at 20, which nobody changes or notifies.
  (func $wait_forever
    (loop $l (drop (memory.atomic.wait32 (i32.const 20) (i32.const 0) (i64.const -1))) (br $l)))

  (func $started
    (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 8) (i32.const 1))))

  ;; Main: wait until the word at $addr reaches $n.
  (func $await (param $addr i32) (param $n i32)
    (local $v i32)
    (loop $l
      (local.set $v (i32.atomic.load (local.get $addr)))
      (if (i32.lt_u (local.get $v) (local.get $n))
        (then
          (drop (memory.atomic.wait32 (local.get $addr) (local.get $v) (i64.const -1)))
          (br $l)))))

  (func $print_u32 (param $v i32)
    (local $p i32)
    (local.set $p (i32.const 200))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $l (local.get $v)))
    (i32.store (i32.const 64) (local.get $p))
    (i32.store (i32.const 68) (i32.sub (i32.const 201) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 80))))

  (func $print_u64 (param $v i64)
    (local $p i32)
    (local.set $p (i32.const 200))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $l (i64.ne (local.get $v) (i64.const 0))))
    (i32.store (i32.const 64) (local.get $p))
    (i32.store (i32.const 68) (i32.sub (i32.const 201) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 80))))

  ;; Main: sleep (its own subscription area: workers use 256).
  (func $sleep (param $ns i64)
    (i64.store (i32.const 400) (i64.const 2))
    (i32.store8 (i32.const 408) (i32.const 0))
    (i32.store (i32.const 416) (i32.const 1))
    (i64.store (i32.const 424) (local.get $ns))
    (i64.store (i32.const 432) (i64.const 0))
    (i32.store16 (i32.const 440) (i32.const 0))
    (drop (call $poll_oneoff (i32.const 400) (i32.const 464) (i32.const 1) (i32.const 84))))

  (func $spawn_n (param $n i32) (param $mode i32)
    (local $i i32)
    (loop $l
      (if (i32.lt_s (call $spawn (local.get $mode)) (i32.const 0)) (then (unreachable)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))

  (func (export "wasi_thread_start") (param $tid i32) (param $mode i32)
    (local $i i32)
    (if (i32.eq (local.get $mode) (i32.const 99)) ;; c
      (then
        (loop $l
          (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
        (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
        (return)))
    (if (i32.eq (local.get $mode) (i32.const 112)) ;; p: the worker plays odd turns
      (then
        (loop $l
          (call $await (i32.const 12) (i32.add (i32.mul (local.get $i) (i32.const 2)) (i32.const 1)))
          (i32.atomic.store (i32.const 12) (i32.add (i32.mul (local.get $i) (i32.const 2)) (i32.const 2)))
          (drop (memory.atomic.notify (i32.const 12) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (global.get $rounds))))
        (return)))
    (if (i32.eq (local.get $mode) (i32.const 102)) ;; f: count until told to stop
      (then
        (loop $l
          (drop (i32.atomic.rmw.add (i32.add (i32.const 512) (i32.mul (local.get $tid) (i32.const 4))) (i32.const 1)))
          (br_if $l (i32.eqz (i32.atomic.load (i32.const 508)))))
        (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
        (return)))
    (call $started)
    (if (i32.or (i32.eq (local.get $mode) (i32.const 107)) (i32.eq (local.get $mode) (i32.const 104)))
      (then (call $wait_forever))) ;; k h
    (if (i32.or (i32.eq (local.get $mode) (i32.const 119)) (i32.or (i32.eq (local.get $mode) (i32.const 109))
                (i32.eq (local.get $mode) (i32.const 110)))) ;; w m n
      (then (call $wait_forever)))
    (if (i32.eq (local.get $mode) (i32.const 115)) ;; s: poll_oneoff, relative clock, 1 hour
      (then
        (i64.store (i32.const 256) (i64.const 1))              ;; userdata
        (i32.store8 (i32.const 264) (i32.const 0))             ;; tag: clock
        (i32.store (i32.const 272) (i32.const 1))              ;; clock id: monotonic
        (i64.store (i32.const 280) (i64.const 3600000000000))  ;; timeout
        (i64.store (i32.const 288) (i64.const 0))              ;; precision
        (i32.store16 (i32.const 296) (i32.const 0))            ;; flags: relative
        (drop (call $poll_oneoff (i32.const 256) (i32.const 320) (i32.const 1) (i32.const 80)))
        (unreachable)))
    (if (i32.eq (local.get $mode) (i32.const 114)) ;; r: read stdin (an empty pipe)
      (then
        (i32.store (i32.const 64) (i32.const 128))
        (i32.store (i32.const 68) (i32.const 16))
        (drop (call $fd_read (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 80)))
        (unreachable)))
    (if (i32.eq (local.get $mode) (i32.const 108)) ;; l: spin
      (then (loop $l (br $l))))
    (if (i32.eq (local.get $mode) (i32.const 120)) ;; x
      (then (call $proc_exit (i32.const 9))))
    (if (i32.eq (local.get $mode) (i32.const 88)) ;; X
      (then (unreachable))))

  (func (export "_start")
    (local $m i32) (local $i i32) (local $r i32)
    (local.set $m (call $mode))
    (if (i32.eq (local.get $m) (i32.const 99)) ;; c
      (then
        (call $spawn_n (i32.const 4) (local.get $m))
        (call $await (i32.const 4) (i32.const 4))
        (call $print_u32 (i32.atomic.load (i32.const 0)))
        (call $proc_exit (i32.ne (i32.atomic.load (i32.const 0)) (i32.const 400000)))))
    (if (i32.eq (local.get $m) (i32.const 112)) ;; p: main plays even turns
      (then
        (call $spawn_n (i32.const 1) (local.get $m))
        (loop $l
          (call $await (i32.const 12) (i32.mul (local.get $i) (i32.const 2)))
          (i32.atomic.store (i32.const 12) (i32.add (i32.mul (local.get $i) (i32.const 2)) (i32.const 1)))
          (drop (memory.atomic.notify (i32.const 12) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (global.get $rounds))))
        (call $await (i32.const 12) (i32.mul (global.get $rounds) (i32.const 2)))
        (call $print_u32 (i32.atomic.load (i32.const 12)))
        (call $proc_exit (i32.ne (i32.atomic.load (i32.const 12)) (i32.mul (global.get $rounds) (i32.const 2))))))
    (if (i32.eq (local.get $m) (i32.const 116)) ;; t
      (then
        (if (i32.ne (memory.atomic.wait64 (i32.const 24) (i64.const 1) (i64.const -1)) (i32.const 1))
          (then (call $proc_exit (i32.const 1))))
        (if (i32.ne (memory.atomic.notify (i32.const 24) (i32.const 5)) (i32.const 0))
          (then (call $proc_exit (i32.const 2))))
        (if (i32.ne (memory.atomic.wait32 (i32.const 20) (i32.const 0) (i64.const 100000000)) (i32.const 2))
          (then (call $proc_exit (i32.const 3))))
        (call $proc_exit (i32.const 0))))
    (if (i32.eq (local.get $m) (i32.const 102)) ;; f
      (then
        (call $spawn_n (i32.const 2) (local.get $m))
        (call $sleep (i64.const 200000000))
        (i32.atomic.store (i32.const 508) (i32.const 1))
        (call $await (i32.const 4) (i32.const 2))
        (call $proc_exit (i32.or (i32.eqz (i32.atomic.load (i32.const 516))) (i32.eqz (i32.atomic.load (i32.const 520)))))))
    (if (i32.eq (local.get $m) (i32.const 104)) ;; h
      (then
        (call $spawn_n (i32.const 2) (local.get $m))
        (call $wait_forever)))
    (if (i32.eq (local.get $m) (i32.const 107)) ;; k
      (then
        (call $spawn_n (i32.const 1) (local.get $m))
        (call $await (i32.const 8) (i32.const 1))
        (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 88)))
        (local.set $i (i32.wrap_i64 (i64.div_u (i64.load (i32.const 88)) (i64.const 1000000))))
        (loop $spin
          (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 88)))
          (br_if $spin (i32.lt_u (i32.sub (i32.wrap_i64 (i64.div_u (i64.load (i32.const 88)) (i64.const 1000000))) (local.get $i))
                                 (i32.const 100))))
        (call $proc_exit (i32.const 0))))
    (if (i32.eq (local.get $m) (i32.const 110)) ;; n
      (then
        (loop $l
          (if (i32.ge_s (call $spawn (local.get $m)) (i32.const 0))
            (then (local.set $r (i32.add (local.get $r) (i32.const 1)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
        (call $proc_exit (local.get $r))))
    (if (i32.or (i32.eq (local.get $m) (i32.const 120)) (i32.eq (local.get $m) (i32.const 88))) ;; x X
      (then
        (call $spawn_n (i32.const 1) (local.get $m))
        (call $wait_forever)))
    ;; w s r l m: four blocked workers, then the end of the program
    (call $spawn_n (i32.const 4) (local.get $m))
    (call $await (i32.const 8) (i32.const 4))
    (if (i32.eq (local.get $m) (i32.const 109)) (then (return)))
    (if (i32.ge_u (i32.load (i32.const 96)) (i32.const 3))
      (then
        (call $sleep (i64.const 1000000000))
        (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 88)))
        (call $print_u64 (i64.load (i32.const 88)))))
    (call $proc_exit (i32.const 7)))
)
