;; The host-functions example: host functions imported from "env", and linear memory
;; shared with the embedder.
;;   env.log(ptr, len)           the host prints the UTF-8 string at [ptr, ptr+len)
;;   env.read_name(ptr, cap) -> len
;;                               the host writes a name into [ptr, ptr+cap), returns its length
;;   hello()          logs the string of the data segment
;;   greet()          builds "Hello, <name>!" at 1024 with the host's name, and logs it
;;   checksum(p, n)   the sum of the bytes at [p, p+n) (the embedder writes them)
;;   upper(p, n)      ASCII-uppercases [p, p+n) in place (the embedder reads them back)
;;   bad_log()        passes log a range outside memory: the host function traps
;; Build: ./build.sh (wat2wasm host.wat -o host.wasm)
(module
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "read_name" (func $read_name (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from wasm!")

  (func (export "hello")
    (call $log (i32.const 16) (i32.const 16)))

  (func (export "greet")
    (local $n i32)
    ;; "Hello, " at 1024 (7 bytes), the name after it, then "!"
    (i64.store (i32.const 1024) (i64.const 0x202c6f6c6c6548)) ;; "Hello, " little-endian
    (local.set $n (call $read_name (i32.const 1031) (i32.const 64)))
    (i32.store8 (i32.add (i32.const 1031) (local.get $n)) (i32.const 33)) ;; "!"
    (call $log (i32.const 1024) (i32.add (local.get $n) (i32.const 8))))

  (func (export "checksum") (param $p i32) (param $n i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (func (export "upper") (param $p i32) (param $n i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
          (then (i32.store8 (local.get $p) (i32.sub (local.get $c) (i32.const 32)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  (func (export "bad_log")
    (call $log (i32.const 65530) (i32.const 100))))
