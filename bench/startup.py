#!/usr/bin/env python3
"""Start-up time: `REWASM run bench/empty.wasm`, a module whose `_start` does nothing,
so the time is process start (dynamic loading, runtime initialisation), module load,
instantiation and exit.

usage: startup.py [REWASM] [--runs N] [--warmup N] [--module WASM]
                  [--peer NAME[=TEMPLATE] ...] [--json FILE]

REWASM defaults to .build/release/rewasm under the repo root. Each command runs
--warmup times (default 3) untimed, then --runs times (default 20); runs go
round-robin over the commands so a drifting machine affects all alike.

--peer adds another runtime. TEMPLATE is a command line in which {wasm} is replaced
by the module path (split like a shell would, but no shell runs). Without a
template, NAME must be one of the peers of ../shared/peers known here:
  iwasm         iwasm {wasm}
  toywasm       toywasm --wasi -- {wasm}
  wasm3         wasm3 {wasm}
  wasmkit-main  wasmkit-main run {wasm}
  wasmkit       wasmkit run {wasm}   (the one on PATH, from the Swift toolchain)
e.g. --peer iwasm --peer 'mine=/opt/x/iwasm --stack-size=65536 {wasm}'.

The first row, `spawn floor`, is /bin/true: the cost of starting any process from
this script, included in every other row.

Wall time is time.perf_counter_ns() around posix_spawn and waitpid; stdin, stdout
and stderr are /dev/null. Output: one row per command with the median and minimum
in milliseconds. A command that exits non-zero is reported (with its stderr) and
left out. Exit status: 0 if every command succeeded, 1 if any failed, 2 on usage
errors (including a missing binary).
"""
import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS_DIR = os.path.join(os.path.dirname(ROOT), "shared", "peers")
KNOWN_PEERS = {
    "iwasm": [os.path.join(PEERS_DIR, "iwasm"), "{wasm}"],
    "toywasm": [os.path.join(PEERS_DIR, "toywasm"), "--wasi", "--", "{wasm}"],
    "wasm3": [os.path.join(PEERS_DIR, "wasm3"), "{wasm}"],
    "wasmkit-main": [os.path.join(PEERS_DIR, "wasmkit-main"), "run", "{wasm}"],
    "wasmkit": ["wasmkit", "run", "{wasm}"],
}


def resolve(program):
    """The executable's path, or None (a bare name is looked up on PATH)."""
    if os.sep in program:
        return program if os.access(program, os.X_OK) and os.path.isfile(program) else None
    return shutil.which(program)


def spawn_wait(argv, devnull):
    """Nanoseconds from spawning argv to reaping it, and its exit status."""
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
               (os.POSIX_SPAWN_DUP2, devnull, 2)]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    t1 = time.perf_counter_ns()
    return t1 - t0, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rewasm", nargs="?", default=os.path.join(ROOT, ".build", "release", "rewasm"),
                    help="the rewasm binary (default: .build/release/rewasm)")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per command (default 20)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    ap.add_argument("--module", default=os.path.join(ROOT, "bench", "empty.wasm"),
                    help="the module (default: bench/empty.wasm)")
    ap.add_argument("--peer", action="append", default=[], metavar="NAME[=TEMPLATE]",
                    help="another runtime to time (repeatable)")
    ap.add_argument("--json", metavar="FILE", help="write every run's time (ns) and the summary")
    a = ap.parse_args()
    if a.runs < 1 or a.warmup < 0:
        ap.error("--runs must be at least 1 and --warmup at least 0")
    if not os.path.isfile(a.module):
        ap.error(f"no module {a.module}")

    commands = [("spawn floor", ["/bin/true"])]
    rewasm = resolve(a.rewasm)
    if rewasm is None:
        ap.error(f"no rewasm binary at {a.rewasm} (build with: swift build -c release)")
    commands.append(("rewasm", [rewasm, "run", a.module]))
    for spec in a.peer:
        name, eq, template = spec.partition("=")
        if eq:
            words = shlex.split(template)
        elif name in KNOWN_PEERS:
            words = KNOWN_PEERS[name]
        else:
            ap.error(f"unknown peer '{name}': give NAME=TEMPLATE (known: {', '.join(KNOWN_PEERS)})")
        if not words:
            ap.error(f"empty template for peer '{name}'")
        program = resolve(words[0])
        if program is None:
            ap.error(f"peer '{name}': no executable {words[0]}")
        commands.append((name, [program] + [w.replace("{wasm}", a.module) for w in words[1:]]))

    times = {name: [] for name, _ in commands}
    failed = {}
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        for i in range(a.warmup + a.runs):
            for name, argv in commands:
                if name in failed:
                    continue
                ns, status = spawn_wait(argv, devnull)
                if status != 0:
                    # Run it again to show why.
                    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
                    failed[name] = status
                    print(f"{name}: exit status {status}: {shlex.join(argv)}\n{r.stderr.strip()}", file=sys.stderr)
                elif i >= a.warmup:
                    times[name].append(ns)
    finally:
        os.close(devnull)

    print(f"start-up of {os.path.relpath(a.module)}: {a.runs} runs after {a.warmup} warm-up runs, ms")
    width = max(len(name) for name, _ in commands) + 2
    print(f"{'command':<{width}} {'median':>8} {'min':>8}")
    summary = {}
    for name, _ in commands:
        if name in failed:
            print(f"{name:<{width}} {'FAIL':>8}")
            continue
        t = times[name]
        med, low = statistics.median(t) / 1e6, min(t) / 1e6
        summary[name] = {"median_ms": med, "min_ms": low}
        print(f"{name:<{width}} {med:8.2f} {low:8.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"runs": a.runs, "warmup": a.warmup, "module": a.module,
                       "commands": {n: argv for n, argv in commands},
                       "times_ns": times, "failed": failed, "summary": summary}, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
