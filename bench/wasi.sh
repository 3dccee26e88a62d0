#!/usr/bin/env bash
# The WASI benchmark programs of ../shared/bench under rewasm and wasmkit, side by
# side, through the shared harness (checksums compared with ../shared/bench/expected).
# Usage: bench/wasi.sh [bench.py options, e.g. --reps 3 --only fib,vm]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
rewasm=${REWASM:-$root/.build/release/rewasm}
[ -x "$rewasm" ] || { echo "build first: swift build -c release" >&2; exit 2; }
exec python3 "$shared/bench/bench.py" --baseline wasmkit "$@" "rewasm=$rewasm run {wasm} {args}" wasmkit
