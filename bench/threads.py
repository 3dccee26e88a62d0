#!/usr/bin/env python3
"""Termination latency of wasi-threads programs (issue: threads).

For each blocking kind, runs Tests/ThreadsTests/Fixtures/threads.wasm with 4 workers
blocked in that kind; main sleeps 1 s, prints the realtime clock (ns) and calls
proc_exit(7). Reports, over N runs:
  latency  time from the printed stamp (just before proc_exit) to the moment the
           process has exited (measured here, after wait4 returns), median and max
  cpu      user+sys CPU of the whole process (startup + 1 s blocked + exit), median

usage: bench/threads.py [--runs N] [REWASM] [WASM]
"""
import os, statistics, subprocess, sys, time

KINDS = [("w", "memory.atomic.wait32"), ("s", "poll_oneoff (1 h)"), ("r", "fd_read (empty pipe)"), ("l", "busy loop")]


def run_once(rewasm, wasm, kind):
    # stdin: a pipe that nobody writes to and that stays open (fd_read blocks).
    r, w = os.pipe()
    out_r, out_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.dup2(r, 0)
        os.dup2(out_w, 1)
        os.close(w)
        os.close(out_r)
        os.execv(rewasm, [rewasm, wasm, kind, "bench"])
    os.close(r)
    os.close(out_w)
    _, status, usage = os.wait4(pid, 0)
    exited = time.time_ns()
    out = b""
    while True:
        chunk = os.read(out_r, 4096)
        if not chunk:
            break
        out += chunk
    os.close(out_r)
    os.close(w)
    code = os.waitstatus_to_exitcode(status)
    lines = out.decode().split()
    if code != 7 or not lines:
        raise SystemExit(f"kind {kind}: exit status {code}, output {out!r} (expected 7 and a timestamp)")
    latency = (exited - int(lines[-1])) / 1e6
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    return latency, cpu


def main():
    args = sys.argv[1:]
    runs = 11
    if args[:1] == ["--runs"]:
        runs = int(args[1])
        args = args[2:]
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    rewasm = args[0] if len(args) > 0 else os.path.join(root, ".build/release/rewasm")
    wasm = args[1] if len(args) > 1 else os.path.join(root, "Tests/ThreadsTests/Fixtures/threads.wasm")
    print(f"{'blocking kind':24} {'exit latency median':>20} {'max':>9} {'CPU (1 s blocked) median':>25}")
    for kind, name in KINDS:
        lat, cpu = [], []
        for _ in range(runs):
            l, c = run_once(rewasm, wasm, kind)
            lat.append(l)
            cpu.append(c)
        print(f"{name:24} {statistics.median(lat):17.2f} ms {max(lat):6.2f} ms {statistics.median(cpu):22.1f} ms")
    print(f"({runs} runs each, 4 workers; busy-loop workers spin by design, so their CPU is the spinning)")


if __name__ == "__main__":
    main()
