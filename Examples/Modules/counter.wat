;; The threads example: a wasi-threads program. _start spawns 4 workers
;; (wasi.thread-spawn); worker k (k = 1..4, the spawn argument) adds k to the shared
;; counter 10000 times with i32.atomic.rmw.add, reports to the host, counts itself
;; done and notifies. _start waits (memory.atomic.wait32) until all 4 are done and
;; returns; the total is then 10000 * (1 + 2 + 3 + 4) = 100000. A failed spawn ends
;; the program with proc_exit(2).
;;   memory: 0 counter, 4 workers done
;; Build: ./build.sh (wat2wasm --enable-threads counter.wat -o counter.wasm)
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "worker_done" (func $worker_done (param i32 i32)))
  (import "env" "memory" (memory 1 1 shared))

  (global $workers i32 (i32.const 4))
  (global $rounds i32 (i32.const 10000))

  ;; Runs on a new thread with its own instance of this module (same shared memory).
  (func (export "wasi_thread_start") (param $tid i32) (param $k i32)
    (local $i i32)
    (loop $add
      (drop (i32.atomic.rmw.add (i32.const 0) (local.get $k)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (global.get $rounds))))
    (call $worker_done (local.get $tid) (i32.mul (local.get $k) (global.get $rounds)))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  (func (export "_start")
    (local $k i32) (local $done i32)
    (loop $spawn_next
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (if (i32.lt_s (call $spawn (local.get $k)) (i32.const 0))
        (then (call $proc_exit (i32.const 2))))
      (br_if $spawn_next (i32.lt_u (local.get $k) (global.get $workers))))
    ;; Wait until every worker is done (no timeout: -1).
    (loop $wait
      (local.set $done (i32.atomic.load (i32.const 4)))
      (if (i32.lt_u (local.get $done) (global.get $workers))
        (then
          (drop (memory.atomic.wait32 (i32.const 4) (local.get $done) (i64.const -1)))
          (br $wait))))))
