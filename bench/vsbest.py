#!/usr/bin/env python3
"""rewasm against the fastest peer of each benchmark, from bench.py's JSON output.

    python3 bench/vsbest.py RUN.json [RUN.json ...] [--runtime rewasm]

For every benchmark: the median time of `--runtime` (default rewasm), the fastest
other runtime and its median, and the ratio (< 1: rewasm is faster); then the
geometric mean of the ratios. For the programs suite it also prints CoreMark's score
(iterations per second of wall time, start-up included) of every runtime.
"""
import argparse
import json
import math

COREMARK_ITERATIONS = 5000  # bench.py's default coremark arguments


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--runtime", default="rewasm")
    a = ap.parse_args()
    for path in a.runs:
        d = json.load(open(path))
        print(f"{d.get('suite', '?')} suite, {d.get('reps')} reps ({path}):")
        print(f"  {'benchmark':<10} {a.runtime:>8} {'fastest peer':>14} {'time':>8} {'ratio':>7}")
        logs = []
        for name, times in sorted(d["median"].items()):
            mine = times.get(a.runtime)
            peers = {k: v for k, v in times.items() if k != a.runtime and v}
            if not mine or not peers:
                print(f"  {name:<10} (no result)")
                continue
            best = min(peers, key=peers.get)
            ratio = mine / peers[best]
            logs.append(math.log(ratio))
            print(f"  {name:<10} {mine:8.3f} {best:>14} {peers[best]:8.3f} {ratio:7.2f}")
        if logs:
            print(f"  geomean ratio against the fastest peer: {math.exp(sum(logs) / len(logs)):.3f}")
        if "coremark" in d["median"] and d.get("suite") == "programs" and not d.get("quick"):
            scores = ", ".join(f"{k} {COREMARK_ITERATIONS / v:.0f}" for k, v in sorted(d["median"]["coremark"].items()) if v)
            print(f"  CoreMark iterations/s (wall, start-up included): {scores}")


if __name__ == "__main__":
    main()
