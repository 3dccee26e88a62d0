#!/usr/bin/env python3
"""A/B timing of two rewasm binaries on the shared benchmarks (a developer aid).

    python3 bench/ab.py OLD NEW [--suite micro|programs] [--only a,b] [--runs N] [--quick]

Runs each benchmark with OLD and NEW alternately, N times each (default 5), and prints
the minimum and median wall time of both and NEW/OLD of the minima. On a shared or
virtual machine, run-to-run noise is several percent; the minimum of alternating runs
is the steadiest estimate of a CPU-bound run's cost, which is what an A/B of an
interpreter change needs. Outputs are not checked here: bench.py does that.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "..", "shared", "bench")

MICRO = {
    "bintrees": [], "collatz": [], "fib": [], "matmul": [], "memops": [], "nbody": [],
    "qsort": [], "sha256": [], "sieve": [], "vm": [],
}
MICRO_QUICK = {
    "bintrees": ["13"], "collatz": ["300000"], "fib": ["32"], "matmul": ["200"], "memops": ["1000000"],
    "nbody": ["300000", "6"], "qsort": ["100000", "4"], "sha256": ["20", "256"], "sieve": ["20", "1000000"],
    "vm": ["400000"],
}
PROGRAMS = {
    "coremark": ["programs/coremark/coremark.wasm", "0x0", "0x0", "0x66", "5000", "7", "1", "2000"],
    "sqlite": ["programs/sqlite/sqlite.wasm", "--memdb", "--verify", "--testset",
               "main,orm/25,cte/20,json,fp/3,parsenumber/25,rtree/10,star", "--size", "6"],
    "lua": ["programs/lua/lua.wasm", "6"],
    "zlib": ["programs/zlib/zlib.wasm", "2"],
    "cjson": ["programs/cjson/cjson.wasm", "2500", "2"],
}


def command(binary, suite, name, quick):
    if suite == "programs":
        args = PROGRAMS[name]
        return [binary, "run"] + args
    args = (MICRO_QUICK if quick else MICRO)[name]
    return [binary, "run", f"wasm/{name}.wasm"] + args


def timed(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=BENCH, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode not in (0,):
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--suite", choices=["micro", "programs"], default="micro")
    ap.add_argument("--only")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    names = list(PROGRAMS if a.suite == "programs" else MICRO)
    if a.only:
        names = [n for n in names if n in a.only.split(",")]
    ratios = []
    print(f"{'benchmark':<10} {'old min':>8} {'new min':>8} {'old med':>8} {'new med':>8} {'new/old':>8}")
    for name in names:
        times = {a.old: [], a.new: []}
        for i in range(a.runs):
            order = [a.old, a.new] if i % 2 == 0 else [a.new, a.old]
            for b in order:
                times[b].append(timed(command(os.path.abspath(b), a.suite, name, a.quick)))
        o, n = min(times[a.old]), min(times[a.new])
        ratios.append(n / o)
        print(f"{name:<10} {o:8.3f} {n:8.3f} {statistics.median(times[a.old]):8.3f} "
              f"{statistics.median(times[a.new]):8.3f} {n / o:8.3f}")
    geo = statistics.geometric_mean(ratios)
    print(f"geomean new/old (minima): {geo:.3f}")


if __name__ == "__main__":
    main()
