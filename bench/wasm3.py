#!/usr/bin/env python3
"""WebAssembly 3.0 micro-benchmarks: rewasm against the peers that run them.

bench/wasm3/throw.wat (5,000,000 throw/catch_ref across a call; exception handling)
and bench/wasm3/tailcall.wat (300,000,000 return_calls). Each peer runs the benchmarks
its build supports (WasmKit main: both; WAMR fast-interp and wasm3: tail calls).
Runs are interleaved round-robin; the table gives median wall time, its ratio to
rewasm's, and the largest max RSS seen (a leak of exception objects shows there).
A run that exits non-zero is reported as FAIL (the modules trap on a wrong result).

Usage: python3 bench/wasm3.py [--reps N] [REWASM]   (default .build/release/rewasm)
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(os.path.dirname(ROOT), "shared", "peers")
BENCHES = {"throw": ["rewasm", "wasmkit-main"], "tailcall": ["rewasm", "wasmkit-main", "iwasm", "wasm3"]}


def command(runtime, rewasm, wasm):
    return {
        "rewasm": [rewasm, "run", wasm],
        "wasmkit-main": [os.path.join(PEERS, "wasmkit-main"), "run", wasm],
        "iwasm": [os.path.join(PEERS, "iwasm"), wasm],
        "wasm3": [os.path.join(PEERS, "wasm3"), wasm],
    }[runtime]


def run(cmd):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return p.returncode, time.perf_counter() - start, p.stderr.strip().splitlines()[-1:] if p.returncode else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("rewasm", nargs="?", default=os.path.join(ROOT, ".build/release/rewasm"))
    a = ap.parse_args()
    times = {}
    rss = {}
    failed = {}
    for rep in range(a.reps):
        for bench, runtimes in BENCHES.items():
            wasm = os.path.join(ROOT, "bench", "wasm3", bench + ".wasm")
            order = runtimes[rep % len(runtimes):] + runtimes[:rep % len(runtimes)]
            for r in order:
                if (bench, r) in failed:
                    continue
                code, t, why = run(command(r, a.rewasm, wasm))
                if code != 0:
                    failed[(bench, r)] = f"exit {code}: {' '.join(why)}"[:80]
                    continue
                times.setdefault((bench, r), []).append(t)
                out = subprocess.run(["/usr/bin/time", "-f", "%M"] + command(r, a.rewasm, wasm),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) if rep == 0 else None
                if out is not None:
                    rss[(bench, r)] = int(out.stderr.strip().splitlines()[-1])
    print(f"| benchmark | runtime | median (s) | vs rewasm | max RSS (MB) |")
    print("|---|---|---|---|---|")
    for bench, runtimes in BENCHES.items():
        base = statistics.median(times[(bench, "rewasm")]) if (bench, "rewasm") in times else None
        for r in runtimes:
            if (bench, r) in failed:
                print(f"| {bench} | {r} | FAIL ({failed[(bench, r)]}) | | |")
                continue
            m = statistics.median(times[(bench, r)])
            ratio = f"{m / base:.2f}" if base else ""
            print(f"| {bench} | {r} | {m:.3f} | {ratio} | {rss.get((bench, r), 0) / 1024:.0f} |")
    return 1 if any(r == "rewasm" for _, r in failed) else 0


if __name__ == "__main__":
    sys.exit(main())
