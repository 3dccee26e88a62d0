#!/bin/sh
# Rebuilds the WASI test programs: NAME.c -> NAME.wasm (wasm32-wasi, wasi-libc,
# stripped).
# Needs zig cc, e.g. from PyPI: pip install ziglang; ZIGCC defaults to that.
set -eu
cd "$(dirname "$0")"
ZIGCC=${ZIGCC:-"python3 -m ziglang cc"}
for src in *.c; do
    name=${src%.c}
    echo "== $name"
    $ZIGCC -target wasm32-wasi -O2 -s -o "$name.wasm" "$src"
done
