;; Many short threads (bounded lifetime): spawns N workers one after another (N from
;; argv[1] in decimal, default 10000); each adds 1 to a shared counter and notifies;
;; main waits for each before spawning the next. Exits 0 once all ran, 2 if a spawn
;; failed. Build: wat2wasm --enable-threads many.wat -o many.wasm
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))

  ;; 0 counter, 96 argc, 100 argv size, 1024 argv pointers, 2048 argv strings
  (func $count (result i32)
    (local $p i32) (local $n i32) (local $c i32)
    (if (call $args_sizes_get (i32.const 96) (i32.const 100)) (then (return (i32.const 10000))))
    (if (i32.lt_u (i32.load (i32.const 96)) (i32.const 2)) (then (return (i32.const 10000))))
    (if (i32.gt_u (i32.load (i32.const 100)) (i32.const 2048)) (then (return (i32.const 10000))))
    (drop (call $args_get (i32.const 1024) (i32.const 2048)))
    (local.set $p (i32.load (i32.const 1028)))
    (block $end
      (loop $digit
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $end (i32.lt_u (local.get $c) (i32.const 48)))
        (br_if $end (i32.gt_u (local.get $c) (i32.const 57)))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $digit)))
    (local.get $n))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func (export "_start")
    (local $n i32) (local $i i32) (local $v i32)
    (local.set $n (call $count))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.lt_s (call $spawn (local.get $i)) (i32.const 0)) (then (call $proc_exit (i32.const 2))))
        ;; wait until the worker has counted
        (block $counted
          (loop $wait
            (local.set $v (i32.atomic.load (i32.const 0)))
            (br_if $counted (i32.gt_u (local.get $v) (local.get $i)))
            (drop (memory.atomic.wait32 (i32.const 0) (local.get $v) (i64.const -1)))
            (br $wait)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
)
