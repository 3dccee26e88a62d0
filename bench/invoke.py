#!/usr/bin/env python3
"""Time `rewasm run --invoke` against WasmKit's CLI on the kernels of
shared/bench/invoke/kernels.wasm (source: kernels.c next to it).

Each kernel is an export that takes one u32 and returns a u32 checksum:
  fib     recursive calls           fib(N)
  sieve   byte loads/stores, loops  primes below N (N is capped at 16777216 by the kernel)
  matmul  f64 loads/stores/madd     N x N matrix product (N is capped at 256 by the kernel)
  mix64   i64 arithmetic            N rounds of xorshift mixing
  vm      br_table dispatch         N steps of a toy bytecode machine

Commands run (no shell):
  rewasm:  REWASM run --invoke NAME MODULE ARG
  wasmkit: wasmkit run MODULE NAME i32:ARG      (override with --peer)

usage: invoke.py [--rewasm PATH] [--reps N] [--only a,b] [--quick]
                 [--kernels PATH] [--json FILE] [--peer TEMPLATE]
                 [--arg NAME=N ...] [--timeout S] [-q]

Runs are interleaved round-robin: each repetition runs every kernel under
both runtimes, and which runtime goes first alternates from run to run.
Wall time is time.perf_counter() around the child; CPU time is the child's
user+sys (resource.getrusage(RUSAGE_CHILDREN) deltas).

Both runtimes must print the same result.  rewasm prints results one per line
in decimal (signed or unsigned is accepted); wasmkit 0.1.6 prints
`[WasmTypes.Value.i32(12345)]` and other versions may print `i32:12345`; all
are compared as u32.  A non-zero exit, a timeout, output without a result, or a
mismatch makes the kernel FAIL.  A failed kernel is not repeated and is left
out of the ratios and the geometric mean.

Output: a table with kernel, argument, median wall seconds for each runtime,
ratio rewasm/wasmkit (> 1 = rewasm slower), median CPU seconds, and the
checksum; the last line of stdout is `geomean rewasm/wasmkit: X.XX` (`nan` if
no kernel succeeded).  Progress and failure details go to stderr.
Exit status: 0 if every run succeeded, 1 if anything failed, 2 on usage errors.
"""
import argparse
import json
import math
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REWASM = REPO / ".build" / "release" / "rewasm"
DEFAULT_KERNELS = REPO.parent / "shared" / "bench" / "invoke" / "kernels.wasm"
DEFAULT_PEER = "wasmkit run {module} {name} i32:{arg}"

# Default arguments, calibrated so that each kernel takes about 1 s under
# wasmkit 0.1.6 (`wasmkit run`, whole process, ~0.02 s of it startup) on the
# 2-core dev VM, 2026-11-24.  Measured wall seconds (3 runs each):
#   fib 37: 0.71   fib 38: 1.11-1.14
#   sieve 16777216: 0.76-0.83  (the kernel caps N at 1<<24, so this is the maximum)
#   matmul 256: 0.18-0.20      (the kernel caps N at 256, so this is the maximum)
#   mix64 48000000: 0.98-1.04
#   vm 50000000: 0.74, vm 68000000: 1.02-1.06  -> 65000000
# sieve and matmul cannot reach 1 s in one call; they run at their caps.
DEFAULT_ARGS = {
    "fib": 38,
    "sieve": 16777216,
    "matmul": 256,
    "mix64": 48000000,
    "vm": 65000000,
}
QUICK_ARGS = {
    "fib": 20,
    "sieve": 10000,
    "matmul": 16,
    "mix64": 10000,
    "vm": 10000,
}
KERNELS = list(DEFAULT_ARGS)
RUNTIMES = ("rewasm", "wasmkit")

I32_RE = re.compile(r"\bi32\s*[:(]\s*(-?\d+)")
INT_LINE_RE = re.compile(r"^\s*(-?\d+)\s*$")


def log(quiet, msg):
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


def parse_results(out):
    """Result values in a runtime's stdout, as u32, or raise ValueError."""
    vals = [int(v) for v in I32_RE.findall(out)]
    if not vals:
        vals = [int(m.group(1)) for line in out.splitlines()
                if (m := INT_LINE_RE.match(line))]
    if not vals:
        raise ValueError("no result in output" + (f": {first_line(out)!r}" if out.strip() else ""))
    for v in vals:
        if not -(1 << 31) <= v < (1 << 32):
            raise ValueError(f"result {v} is not an i32/u32")
    return [v & 0xFFFFFFFF for v in vals]


def first_line(s, limit=160):
    for line in s.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[:limit] + "..."
    return ""


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(cmd, timeout):
    """Run cmd; return a dict with wall, cpu, rc, stdout, stderr, timeout."""
    c0 = children_cpu()
    t0 = time.perf_counter()
    # Own session, so that a timeout can kill the whole process group
    # (e.g. a wrapper script and its child), not only the direct child.
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        return {"wall": 0.0, "cpu": 0.0, "rc": 127, "timeout": False,
                "stdout": "", "stderr": f"cannot start {cmd[0]}: {e}"}
    timed_out = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
    wall = time.perf_counter() - t0
    cpu = children_cpu() - c0
    return {"wall": wall, "cpu": cpu, "rc": p.returncode, "timeout": timed_out,
            "stdout": out.decode("utf-8", "replace"),
            "stderr": err.decode("utf-8", "replace")}


def describe_rc(rc):
    if rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit {rc}"


def check_run(r, timeout):
    """Fill in r['value'] and r['error'] (None when the run is good)."""
    r["value"] = None
    r["error"] = None
    if r["timeout"]:
        r["error"] = f"timeout after {timeout:g} s"
    elif r["rc"] != 0:
        msg = first_line(r["stderr"]) or first_line(r["stdout"])
        r["error"] = describe_rc(r["rc"]) + (f": {msg}" if msg else "")
    else:
        try:
            vals = parse_results(r["stdout"])
            if len(vals) != 1:
                raise ValueError(f"expected 1 result, got {len(vals)}: {vals}")
            r["value"] = vals[0]
        except ValueError as e:
            msg = first_line(r["stderr"])
            r["error"] = str(e) + (f" (stderr: {msg})" if msg else "")


def build_cmd(runtime, rewasm, peer_tokens, module, name, arg):
    if runtime == "rewasm":
        return [str(rewasm), "run", "--invoke", name, str(module), str(arg)]
    subst = {"{module}": str(module), "{name}": name, "{arg}": str(arg)}
    cmd = []
    for tok in peer_tokens:
        for k, v in subst.items():
            tok = tok.replace(k, v)
        cmd.append(tok)
    return cmd


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def median_or_none(xs):
    return statistics.median(xs) if xs else None


def fmt_s(x):
    return "-" if x is None else f"{x:.3f}"


def fmt_r(x):
    return "-" if x is None else f"{x:.2f}"


def parse_cli(argv):
    ap = argparse.ArgumentParser(
        description="Time `rewasm run --invoke` against `wasmkit run` on "
                    "shared/bench/invoke/kernels.wasm.",
        epilog="Exit status: 0 if all runs succeeded, 1 if anything failed, 2 on usage errors.")
    ap.add_argument("--rewasm", default=str(DEFAULT_REWASM),
                    help="rewasm binary (default: REPO/.build/release/rewasm)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions (default 5)")
    ap.add_argument("--only", default=None,
                    help="comma-separated kernels to run (default: " + ",".join(KERNELS) + ")")
    ap.add_argument("--quick", action="store_true",
                    help="tiny arguments, for a smoke test")
    ap.add_argument("--kernels", default=str(DEFAULT_KERNELS),
                    help="kernels.wasm (default: REPO/../shared/bench/invoke/kernels.wasm)")
    ap.add_argument("--json", metavar="FILE", help="save raw timings and summary to FILE")
    ap.add_argument("--peer", metavar="TEMPLATE", default=DEFAULT_PEER,
                    help="peer command; {module}, {name}, {arg} are substituted "
                         f"(default: '{DEFAULT_PEER}')")
    ap.add_argument("--arg", action="append", default=[], metavar="NAME=N",
                    help="override one kernel's argument (repeatable)")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="per-run wall-clock limit in seconds (default 300)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no per-run progress on stderr")
    a = ap.parse_args(argv)

    if a.reps < 1:
        ap.error("--reps must be >= 1")
    if a.only:
        names = [n.strip() for n in a.only.split(",") if n.strip()]
        bad = [n for n in names if n not in DEFAULT_ARGS]
        if bad or not names:
            ap.error(f"--only: unknown kernel(s) {','.join(bad) or '(none given)'}; "
                     f"known: {','.join(KERNELS)}")
        a.names = [n for n in KERNELS if n in names]
    else:
        a.names = list(KERNELS)
    a.args = dict(QUICK_ARGS if a.quick else DEFAULT_ARGS)
    for spec in a.arg:
        name, sep, val = spec.partition("=")
        if not sep or name not in DEFAULT_ARGS:
            ap.error(f"--arg {spec!r}: expected NAME=N with NAME in {','.join(KERNELS)}")
        try:
            n = int(val, 0)
        except ValueError:
            ap.error(f"--arg {spec!r}: {val!r} is not an integer")
        # wasmkit's CLI parses i32 arguments as signed and crashes above 2^31-1.
        if not 0 <= n < (1 << 31):
            ap.error(f"--arg {spec!r}: must be in 0..2147483647")
        a.args[name] = n
    try:
        a.peer_tokens = shlex.split(a.peer)
    except ValueError as e:
        ap.error(f"--peer: {e}")
    if not a.peer_tokens:
        ap.error("--peer: empty template")
    a.rewasm = Path(a.rewasm)
    a.kernels = Path(a.kernels).resolve()
    problems = []
    if not a.kernels.is_file():
        problems.append(f"kernels module not found: {a.kernels}")
    if not (a.rewasm.is_file() and os.access(a.rewasm, os.X_OK)):
        problems.append(f"rewasm binary not found or not executable: {a.rewasm}"
                        + (" (build it with `swift build -c release`)"
                           if a.rewasm == DEFAULT_REWASM else ""))
    if shutil.which(a.peer_tokens[0]) is None:
        problems.append(f"peer command not found: {a.peer_tokens[0]}")
    if problems:
        for p in problems:
            print(f"invoke.py: {p}", file=sys.stderr)
        sys.exit(2)
    return a


def main(argv):
    a = parse_cli(argv)
    runs = []                       # every run, in order
    fails = {}                      # kernel -> reason
    values = {}                     # kernel -> agreed checksum
    cmds = {}
    for name in a.names:
        cmds[name] = {rt: build_cmd(rt, a.rewasm, a.peer_tokens, a.kernels, name, a.args[name])
                      for rt in RUNTIMES}

    for rep in range(a.reps):
        for ki, name in enumerate(a.names):
            if name in fails:
                continue
            # Alternate which runtime goes first: between reps for each kernel,
            # and between neighbouring kernels within a rep.
            order = RUNTIMES if (rep + ki) % 2 == 0 else RUNTIMES[::-1]
            got = {}
            for rt in order:
                r = run_once(cmds[name][rt], a.timeout)
                check_run(r, a.timeout)
                rec = {"kernel": name, "arg": a.args[name], "rep": rep, "runtime": rt,
                       "cmd": cmds[name][rt], "wall": r["wall"], "cpu": r["cpu"],
                       "rc": r["rc"], "timeout": r["timeout"], "value": r["value"],
                       "error": r["error"]}
                if r["error"]:
                    rec["stdout_head"] = r["stdout"][:2000]
                    rec["stderr_head"] = r["stderr"][:2000]
                runs.append(rec)
                got[rt] = rec
                status = "ok" if not r["error"] else "FAIL"
                shown = r["value"] if r["value"] is not None else r["error"]
                log(a.quiet, f"[{rep + 1}/{a.reps}] {name:<6} {rt:<7} "
                             f"{r['wall']:8.3f} s wall {r['cpu']:8.3f} s cpu  {status} {shown}")
            errs = [f"{rt}: {got[rt]['error']}" for rt in RUNTIMES if got[rt]["error"]]
            if not errs:
                vr, vw = got["rewasm"]["value"], got["wasmkit"]["value"]
                if vr != vw:
                    errs.append(f"mismatch: rewasm {vr} != wasmkit {vw}")
                elif name in values and values[name] != vr:
                    errs.append(f"result changed between reps: {values[name]} then {vr}")
                else:
                    values[name] = vr
            if errs:
                fails[name] = "; ".join(errs)
                print(f"FAIL {name} (rep {rep + 1}): {fails[name]}", file=sys.stderr, flush=True)

    # Summary
    summary = {}
    for name in a.names:
        s = {"arg": a.args[name], "ok": name not in fails, "error": fails.get(name),
             "value": values.get(name)}
        for rt in RUNTIMES:
            good = [r for r in runs if r["kernel"] == name and r["runtime"] == rt and not r["error"]]
            s[rt] = {"wall_median": median_or_none([r["wall"] for r in good]),
                     "cpu_median": median_or_none([r["cpu"] for r in good]),
                     "n": len(good)}
        if s["ok"]:
            s["ratio_wall"] = s["rewasm"]["wall_median"] / s["wasmkit"]["wall_median"]
            cw = s["wasmkit"]["cpu_median"]
            s["ratio_cpu"] = s["rewasm"]["cpu_median"] / cw if cw else None
        else:
            s["ratio_wall"] = s["ratio_cpu"] = None
        summary[name] = s
    ratios = [summary[n]["ratio_wall"] for n in a.names if summary[n]["ok"]]
    cpu_ratios = [summary[n]["ratio_cpu"] for n in a.names
                  if summary[n]["ok"] and summary[n]["ratio_cpu"]]
    gm, gm_cpu = geomean(ratios), geomean(cpu_ratios)

    header = ["kernel", "arg", "rewasm s", "wasmkit s", "ratio", "rw cpu s", "wk cpu s", "result"]
    rows = []
    for name in a.names:
        s = summary[name]
        rows.append([name, str(s["arg"]), fmt_s(s["rewasm"]["wall_median"]),
                     fmt_s(s["wasmkit"]["wall_median"]),
                     fmt_r(s["ratio_wall"]) if s["ok"] else "FAIL",
                     fmt_s(s["rewasm"]["cpu_median"]), fmt_s(s["wasmkit"]["cpu_median"]),
                     str(s["value"]) if s["ok"] else s["error"]])
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header) - 1)]
    left = {0, 1}

    def line(cells):
        out = [c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(out + [cells[-1]]).rstrip()

    print(f"rewasm: {a.rewasm}")
    print(f"peer:   {a.peer}")
    print(f"median of {a.reps} rep(s); ratio = rewasm / wasmkit wall time (> 1 = rewasm slower)")
    print(line(header))
    for r in rows:
        print(line(r))
    if fails:
        print(f"{len(fails)} of {len(a.names)} kernel(s) FAILED and are left out of the geomean")
    print(f"geomean cpu rewasm/wasmkit: {gm_cpu:.2f}")
    print(f"geomean rewasm/wasmkit: {gm:.2f}")

    if a.json:
        doc = {
            "meta": {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                     "host": platform.node(), "machine": platform.machine(),
                     "python": platform.python_version(),
                     "rewasm": str(a.rewasm), "peer": a.peer, "kernels": str(a.kernels),
                     "reps": a.reps, "quick": a.quick, "timeout": a.timeout,
                     "args": {n: a.args[n] for n in a.names}},
            "runs": runs,
            "summary": summary,
            "geomean_wall": None if math.isnan(gm) else gm,
            "geomean_cpu": None if math.isnan(gm_cpu) else gm_cpu,
            "failed": fails,
        }
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
