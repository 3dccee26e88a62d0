;; One thread grows a shared memory page by page while another writes to the newest
;; page as soon as it sees it: the writer's cached memory size goes stale, and the
;; access must succeed anyway. Build: wat2wasm --enable-threads grow.wat -o grow.wasm
(module
  (memory (export "memory") 1 64 shared)
  ;; Grows to the maximum, publishing the size (in pages) at address 0 after each step.
  (func (export "grower")
    (loop $l
      (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1))
        (then
          (i32.atomic.store (i32.const 0) (memory.size))
          (br $l)))))
  ;; Writes the page number into the last word of each newly seen page until the
  ;; last one; returns the sum of the page numbers written there (read back).
  (func (export "chaser") (result i32)
    (local $n i32) (local $seen i32) (local $sum i32)
    (local.set $seen (i32.const 1))
    (loop $l
      ;; memory.size, not an atomic load: atomics refresh the interpreter's cached size.
      (local.set $n (memory.size))
      (if (i32.gt_u (local.get $n) (local.get $seen))
        (then
          (i32.store (i32.sub (i32.mul (local.get $n) (i32.const 65536)) (i32.const 4)) (local.get $n))
          (local.set $sum (i32.add (local.get $sum)
            (i32.load (i32.sub (i32.mul (local.get $n) (i32.const 65536)) (i32.const 4)))))
          (local.set $seen (local.get $n))))
      (br_if $l (i32.lt_u (local.get $seen) (i32.const 64))))
    (local.get $sum))
)
