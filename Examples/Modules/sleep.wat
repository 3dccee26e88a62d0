;; Used by the examples interrupt and async: a guest that blocks in a host function.
;;   host.sleep(ms)   a blocking host function (Sources/Core/Sleep.swift)
;;   nap(ms)          calls host.sleep(ms), then counts the nap in the global `naps`
;; Build: ./build.sh (wat2wasm sleep.wat -o sleep.wasm)
(module
  (import "host" "sleep" (func $sleep (param i32)))
  (global $naps (export "naps") (mut i32) (i32.const 0))
  (func (export "nap") (param $ms i32)
    (call $sleep (local.get $ms))
    (global.set $naps (i32.add (global.get $naps) (i32.const 1)))))
