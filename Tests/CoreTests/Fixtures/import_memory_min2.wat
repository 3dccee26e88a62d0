;; Requires a memory whose current size is at least 2 pages.
(module (import "env" "mem" (memory 2)))
