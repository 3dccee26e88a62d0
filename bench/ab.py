#!/usr/bin/env python3
"""A/B timing of two rewasm binaries on the shared benchmarks (a developer aid).

    python3 bench/ab.py OLD NEW [--suite micro|programs] [--only a,b] [--runs N] [--quick]
    python3 bench/ab.py OLD NEW --icount [--suite ...] [--only ...]
    python3 bench/ab.py REWASM REWASM --new-options "--fuel 18446744073709551615" ...

`--old-options` / `--new-options` add `run` options to one side (e.g. fuel metering
on against off, with one binary).

Runs each benchmark with OLD and NEW alternately, N times each (default 5), and prints
the minimum and median wall time of both and NEW/OLD of the minima. On a shared or
virtual machine, run-to-run noise is several percent; the minimum of alternating runs
is the steadiest estimate of a CPU-bound run's cost, which is what an A/B of an
interpreter change needs. `--icount` counts executed machine instructions instead
(valgrind's callgrind on stripped copies, small sizes): exact and repeatable, blind
to branch prediction and caches. Outputs are not checked here: bench.py does that.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
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
# For --icount (valgrind runs some 50 times slower): about 10^8 instructions each.
MICRO_TINY = {
    "bintrees": ["10"], "collatz": ["20000"], "fib": ["25"], "matmul": ["60"], "memops": ["100000"],
    "nbody": ["20000", "6"], "qsort": ["20000", "2"], "sha256": ["3", "64"], "sieve": ["2", "200000"],
    "vm": ["40000"],
}
PROGRAMS_QUICK = {
    "coremark": ["programs/coremark/coremark.wasm", "0x0", "0x0", "0x66", "100", "7", "1", "2000"],
    "sqlite": ["programs/sqlite/sqlite.wasm", "--memdb", "--testset", "main", "--size", "1"],
    "lua": ["programs/lua/lua.wasm", "1"],
    "zlib": ["programs/zlib/zlib.wasm", "1"],
    "cjson": ["programs/cjson/cjson.wasm", "100", "1"],
}
PROGRAMS = {
    "coremark": ["programs/coremark/coremark.wasm", "0x0", "0x0", "0x66", "5000", "7", "1", "2000"],
    "sqlite": ["programs/sqlite/sqlite.wasm", "--memdb", "--verify", "--testset",
               "main,orm/25,cte/20,json,fp/3,parsenumber/25,rtree/10,star", "--size", "6"],
    "lua": ["programs/lua/lua.wasm", "6"],
    "zlib": ["programs/zlib/zlib.wasm", "2"],
    "cjson": ["programs/cjson/cjson.wasm", "2500", "2"],
}


def command(binary, suite, name, quick, tiny=False, options=()):
    if suite == "programs":
        args = (PROGRAMS_QUICK if quick or tiny else PROGRAMS)[name]
        return [binary, "run", *options] + args
    args = (MICRO_TINY if tiny else MICRO_QUICK if quick else MICRO)[name]
    return [binary, "run", *options, f"wasm/{name}.wasm"] + args


def timed(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=BENCH, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode not in (0,):
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - t


def icount(cmd):
    """Machine instructions the command executes (callgrind's Ir total)."""
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={d}/out"] + cmd,
                           cwd=BENCH, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected : (\d+)", r.stderr)
    if not m:
        sys.exit(f"callgrind failed: {' '.join(cmd)}\n{r.stderr[-500:]}")
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--suite", choices=["micro", "programs"], default="micro")
    ap.add_argument("--only")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--icount", action="store_true")
    ap.add_argument("--old-options", default="")
    ap.add_argument("--new-options", default="")
    a = ap.parse_args()
    opts = {"old": a.old_options.split(), "new": a.new_options.split()}
    names = list(PROGRAMS if a.suite == "programs" else MICRO)
    if a.only:
        names = [n for n in names if n in a.only.split(",")]
    ratios = []
    if a.icount:
        # valgrind cannot read the debug information of the release binaries: strip copies.
        with tempfile.TemporaryDirectory() as d:
            old, new = os.path.join(d, "old"), os.path.join(d, "new")
            for src, dst in ((a.old, old), (a.new, new)):
                subprocess.run(["strip", "-o", dst, os.path.abspath(src)], check=True)
            print(f"{'benchmark':<10} {'old Minsn':>10} {'new Minsn':>10} {'new/old':>8}")
            for name in names:
                o = icount(command(old, a.suite, name, True, tiny=True, options=opts["old"]))
                n = icount(command(new, a.suite, name, True, tiny=True, options=opts["new"]))
                ratios.append(n / o)
                print(f"{name:<10} {o / 1e6:10.1f} {n / 1e6:10.1f} {n / o:8.3f}")
        print(f"geomean new/old (instructions): {statistics.geometric_mean(ratios):.3f}")
        return
    print(f"{'benchmark':<10} {'old min':>8} {'new min':>8} {'old med':>8} {'new med':>8} {'new/old':>8}")
    for name in names:
        times = {"old": [], "new": []}
        binary = {"old": a.old, "new": a.new}
        for i in range(a.runs):
            order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
            for b in order:
                times[b].append(timed(command(os.path.abspath(binary[b]), a.suite, name, a.quick, options=opts[b])))
        o, n = min(times["old"]), min(times["new"])
        ratios.append(n / o)
        print(f"{name:<10} {o:8.3f} {n:8.3f} {statistics.median(times['old']):8.3f} "
              f"{statistics.median(times['new']):8.3f} {n / o:8.3f}")
    geo = statistics.geometric_mean(ratios)
    print(f"geomean new/old (minima): {geo:.3f}")


if __name__ == "__main__":
    main()
