#!/usr/bin/env bash
# rewasm against the peer interpreters of ../shared/peers (WAMR fast-interp `iwasm`,
# wasm3, WasmKit main and WasmKit 0.1.6 on PATH), both suites of ../shared/bench in one
# bench.py run each: medians of REPS runs (default 3), outputs checked, ratios against
# iwasm; then bench/vsbest.py: rewasm against the fastest peer of each benchmark.
#
#   swift build -c release
#   bench/peers.sh                     # about 15 minutes on 2 cores
#   REPS=1 bench/peers.sh --quick      # smoke test; extra arguments go to bench.py
#
# JSON results go to bench/results/ (peers-programs.json, peers-micro.json).
set -euo pipefail
cd "$(dirname "$0")/.."
P=$(cd ../shared/peers && pwd)
REWASM=${REWASM:-$PWD/.build/release/rewasm}
mkdir -p bench/results
for suite in programs micro; do
    python3 ../shared/bench/bench.py --suite "$suite" --reps "${REPS:-3}" --baseline iwasm \
        --json "bench/results/peers-$suite.json" "$@" \
        "rewasm=$REWASM run {wasm} {args}" \
        "iwasm=$P/iwasm {wasm} {args}" \
        "wasm3=$P/wasm3 {wasm} {args}" \
        "wasmkit-main=$P/wasmkit-main run {wasm} {args}" \
        wasmkit || true  # bench.py exits 1 when a peer fails (wasm3 on sqlite): shown in its table
done
python3 bench/vsbest.py bench/results/peers-programs.json bench/results/peers-micro.json
