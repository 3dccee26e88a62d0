;; Requires a funcref table of at least 2 elements with a maximum of at most 4.
(module (import "env" "tab" (table 2 4 funcref)))
