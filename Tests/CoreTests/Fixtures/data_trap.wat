;; Three active data segments into an imported memory; the second is out of
;; bounds. WebAssembly 2.0: the first stays written, the third is never applied.
(module
  (import "env" "memory" (memory 1))
  (data (i32.const 0) "ab")
  (data (i32.const 65535) "cdef")
  (data (i32.const 8) "zz")
)
