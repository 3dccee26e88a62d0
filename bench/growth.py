#!/usr/bin/env python3
"""Cost of memory.grow on a shared memory while a sibling thread is blocked.

Runs Tests/ThreadsTests/Fixtures/growth.wasm in mode B: a worker waits in
memory.atomic.wait32 with a 1 h timeout; main grows the shared memory from 1 to 64
pages one page at a time and prints the mean nanoseconds per grow. With the
SharedMemRealloc trait every grow stops the world (the waiter is woken, unwinds,
parks, and re-waits with its deadline) and moves the memory; without it, the memory
never moves and a grow is an mprotect. toywasm needs about 50 ms per grow here.

usage: bench/growth.py [--runs N] REWASM [REWASM...]
"""
import os, statistics, subprocess, sys


def main():
    args = sys.argv[1:]
    runs = 11
    if args[:1] == ["--runs"]:
        runs = int(args[1])
        args = args[2:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    wasm = os.path.join(root, "Tests/ThreadsTests/Fixtures/growth.wasm")
    binaries = args or [os.path.join(root, ".build/release/rewasm")]
    print(f"{'binary':60} {'per grow, median':>18} {'max':>12}")
    for b in binaries:
        traits = subprocess.run([b, "--version", "--verbose"], capture_output=True, text=True).stdout
        per = []
        for _ in range(runs):
            r = subprocess.run([b, wasm, "B"], capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                raise SystemExit(f"{b}: exit status {r.returncode}: {r.stderr}")
            per.append(int(r.stdout.split()[-1]) / 1000)
        name = b if len(b) <= 60 else "..." + b[-57:]
        print(f"{name:60} {statistics.median(per):15.1f} us {max(per):9.1f} us")
        moves = "SharedMemRealloc" in traits
        print(f"  ({'moves the memory with the world stopped' if moves else 'reserved memory: never moves'}; {runs} runs, 63 grows each)")


if __name__ == "__main__":
    main()
