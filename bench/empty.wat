;; The smallest WASI command: `_start` does nothing. bench/startup.py times
;; `rewasm run empty.wasm` (process start, module load, instantiation, exit).
;; The memory is there because WASI hosts may look for it.
(module
  (memory (export "memory") 1)
  (func (export "_start")))
