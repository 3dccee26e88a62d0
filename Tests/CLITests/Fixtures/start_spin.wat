;; A start function that never returns: --timeout must still stop it.
(module
  (func $spin (loop $l (br $l)))
  (start $spin)
  (func (export "f"))
)
