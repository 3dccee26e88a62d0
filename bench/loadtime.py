#!/usr/bin/env python3
"""Load time: decode + validate + translate of a large module, against WasmKit main.

    python3 bench/loadtime.py [REWASM] [--module M.wasm] [--old OLD_REWASM] [--runs N]

Times (median of N runs, default 15, after 2 warm-ups):
- `REWASM validate M`: decoding, validation and translation of every function (rewasm
  translates eagerly), process start-up included; with MB/s of the module's size;
- `REWASM run M --nonsense` and `wasmkit-main run M --nonsense`: start, load, and run
  until the program rejects its argument. WasmKit main translates a function when it
  is first called, so this is the fair end-to-end comparison of getting a program
  going; its "per MB" figure covers less work than rewasm's.
`--old` times an earlier rewasm's `validate` too (a regression check). The default
module is ../shared/bench/programs/sqlite/sqlite.wasm (1.2 MB, SQLite's speedtest1).
"""
import argparse
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")


def median_ms(cmd, runs):
    for _ in range(2):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rewasm", nargs="?", default=os.path.join(ROOT, ".build/release/rewasm"))
    ap.add_argument("--module", default=os.path.join(SHARED, "bench/programs/sqlite/sqlite.wasm"))
    ap.add_argument("--old")
    ap.add_argument("--wasmkit", default=os.path.join(SHARED, "peers/wasmkit-main"))
    ap.add_argument("--runs", type=int, default=15)
    a = ap.parse_args()
    mb = os.path.getsize(a.module) / 1e6
    print(f"module: {os.path.relpath(a.module)} ({mb:.2f} MB), median of {a.runs} runs")
    rows = [("rewasm validate (all functions)", [a.rewasm, "validate", a.module])]
    if a.old:
        rows.append(("old rewasm validate", [a.old, "validate", a.module]))
    rows += [("rewasm run, exits at once", [a.rewasm, "run", a.module, "--nonsense"]),
             ("wasmkit-main run, exits at once (lazy)", [a.wasmkit, "run", a.module, "--nonsense"])]
    for label, cmd in rows:
        ms = median_ms(cmd, a.runs)
        print(f"  {label:<42} {ms:8.1f} ms   {mb / (ms / 1000):6.1f} MB/s")


if __name__ == "__main__":
    main()
