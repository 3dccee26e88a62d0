#!/usr/bin/env bash
# Builds the examples package (debug, in Examples/.build) and runs every example;
# stops at the first failure (a build error or warning, or an example exiting
# non-zero). CI calls it. Usage: Examples/run.sh [EXAMPLE...] (default: all)
set -euo pipefail
cd "$(dirname "$0")"

EXAMPLES=(minimal host-functions interrupt async fuel wasi threads)
[ $# -gt 0 ] && EXAMPLES=("$@")

start=$SECONDS
echo "== swift build (Examples/.build)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift build >"$log" 2>&1; then
    cat "$log"
    echo "run.sh: the examples do not build"
    exit 1
fi
grep -E "warning:|Build complete" "$log" || true
if grep -q "warning:" "$log"; then
    echo "run.sh: the build warns (warnings count as errors)"
    exit 1
fi
bin=$(swift build --show-bin-path)
echo "built in $((SECONDS - start)) s"

for example in "${EXAMPLES[@]}"; do
    echo
    t0=$(date +%s%N)
    status=0
    timeout 120 "$bin/$example" || status=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [ "$status" -ne 0 ]; then
        echo "run.sh: example '$example' failed (exit status $status)"
        exit 1
    fi
    echo "($example: ${ms} ms)"
done
echo
echo "run.sh: all ${#EXAMPLES[@]} examples passed in $((SECONDS - start)) s"
