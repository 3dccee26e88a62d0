#!/usr/bin/env python3
"""rewasm on SIMD builds: the benchmarks of ../shared/bench (the ten micro benchmarks and
the five real programs) and the SIMD kernels of bench/simd/src, each as its scalar build
and as its SIMD build (bench/simd/wasm, made by bench/simd/build.sh with -msimd128).

For every benchmark it runs, REPS times each (interleaved round-robin; the order of the
four rotates between repetitions):
  (a) the scalar build under rewasm      REWASM run [OPTS] SCALAR.wasm ARGS
  (b) the SIMD build under rewasm        REWASM run [OPTS] SIMD.wasm ARGS
  (c) the SIMD build under WasmKit main  WASMKIT run SIMD.wasm ARGS   (../shared/peers/wasmkit-main)
  (d) the SIMD build under WAMR          IWASM SIMD.wasm ARGS         (../shared/peers/iwasm, fast-interp)
checks every run's stdout against the expected output, and prints a markdown table of
the median wall seconds: rewasm scalar, rewasm SIMD, SIMD/scalar, wasmkit-main, iwasm,
rewasm SIMD / the faster of the two peers, and the SIMD instructions the compiler emitted
(from bench/simd/counts.tsv: in the module / in the program's own code, the rest being
wasi-libc's). Geometric means: SIMD/scalar over the benchmarks whose own code has SIMD
(the compiler vectorised something; libc's SIMD, e.g. in printf, is in every module),
and over all; rewasm SIMD / best peer over all.

usage: python3 bench/simd.py [--rewasm PATH] [--rewasm-opts 'OPTS'] [--reps N] [--quick]
           [--only a,b] [--skip a,b] [--peers | --no-peers] [--timeout S] [--json FILE]
           [--shared DIR] [--wasmkit PATH] [--iwasm PATH] [-q]

  --rewasm PATH    rewasm binary (default .build/release/rewasm, from the repository root)
  --rewasm-opts S  options put between `run` and the module (e.g. '--features wasm3')
  --reps N         repetitions per (benchmark, configuration) (default 3)
  --quick          small arguments (bench.py's --quick ones; each run well under a
                   second, except under WasmKit main: up to 2.7 s), checked against
                   bench/simd/expected/quick/
  --only a,b       only these benchmarks; --skip a,b: all but these
  --peers/--no-peers  run (c) and (d) (default) or not
  --timeout S      per-run limit in seconds (default 300: WasmKit is slow on SIMD)
  --json FILE      write every run (times, status, stderr tails) and the medians
  --shared DIR     the shared folder (default ../shared beside the repository)
  -q               no progress lines on stderr

Arguments and output checks are bench.py's (../shared/bench/bench.py, imported): the
micro benchmarks run with their defaults (QUICK_ARGS with --quick) and are compared
with shared/bench/expected/NAME.txt; the programs with the PROGRAMS table's arguments,
reduced by its keep/drop/sub rules and compared with shared/bench/programs/expected/.
The kernels' expected outputs are in bench/simd/expected/ (native gcc -O2 builds).
A run that exits non-zero, times out or prints something else is FAIL / TIMEOUT /
MISMATCH, is not repeated and is left out of the ratios and geomeans. Exit status: 0 if
every run succeeded, 1 if any failed, 2 on usage errors.
Python 3 standard library only.
"""
import argparse
import hashlib
import importlib.util
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SIMD_DIR = os.path.join(HERE, "simd")

# The kernels written for this set (bench/simd/src): default arguments are the
# programs' own defaults (what bench/simd/expected/NAME.txt records).
KERNEL_QUICK = {
    "bytescan": "2 256",
    "f32dsp": "20 4096",
    "blend": "2 128 128",
}

CONFIGS = ["rewasm-scalar", "rewasm-simd", "wasmkit-main", "iwasm"]
OK, FAIL, TIMEOUT, MISMATCH, MISSING = "ok", "FAIL", "TIMEOUT", "MISMATCH", "MISSING"


def die(msg, code=2):
    sys.stderr.write("simd.py: %s\n" % msg)
    sys.exit(code)


def load_bench_py(shared):
    path = os.path.join(shared, "bench", "bench.py")
    if not os.path.isfile(path):
        die("no %s (set --shared)" % path)
    spec = importlib.util.spec_from_file_location("shared_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name in ("QUICK_ARGS", "PROGRAMS", "program_filter", "norm"):
        if not hasattr(mod, name):
            die("%s has no %s any more: update bench/simd.py" % (path, name))
    return mod


def read_counts():
    """bench/simd/counts.tsv: name -> {simd, simd_own, sha256, ...}."""
    path = os.path.join(SIMD_DIR, "counts.tsv")
    counts = {}
    if not os.path.isfile(path):
        return counts
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(head, line.rstrip("\n").split("\t")))
            counts[row["name"]] = row
    return counts


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def benchmarks(bp, shared, quick):
    """The benchmark list: name -> dict(set, scalar, simd, args, expected, filter)."""
    sb = os.path.join(shared, "bench")
    out = {}
    for f in sorted(os.listdir(os.path.join(sb, "src"))):
        if not f.endswith(".c"):
            continue
        n = f[:-2]
        out[n] = {"set": "micro", "scalar": os.path.join(sb, "wasm", n + ".wasm"),
                  "args": bp.QUICK_ARGS.get(n, "") if quick else "",
                  "expected": os.path.join(sb, "expected", n + ".txt"), "spec": {}}
    for n, spec in sorted(bp.PROGRAMS.items()):
        out[n] = {"set": "program", "scalar": os.path.join(sb, "programs", n, n + ".wasm"),
                  "args": spec["quick"] if quick else spec["args"],
                  "expected": os.path.join(sb, "programs", "expected", n + ".txt"), "spec": spec}
    for f in sorted(os.listdir(os.path.join(SIMD_DIR, "src"))):
        if not f.endswith(".c"):
            continue
        n = f[:-2]
        out[n] = {"set": "kernel", "scalar": os.path.join(SIMD_DIR, "wasm-scalar", n + ".wasm"),
                  "args": KERNEL_QUICK.get(n, "") if quick else "",
                  "expected": os.path.join(SIMD_DIR, "expected", n + ".txt"), "spec": {}}
    for n, b in out.items():
        b["simd"] = os.path.join(SIMD_DIR, "wasm", n + ".wasm")
        if quick:
            b["expected"] = os.path.join(SIMD_DIR, "expected", "quick", n + ".txt")
    return out


def run_once(cmd, timeout, cwd):
    """Run cmd once (own process group, so a timeout also kills its children)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        return {"status": FAIL, "rc": None, "wall": 0.0, "stdout": "",
                "stderr": "cannot start: %s" % e}
    try:
        out, err = p.communicate(timeout=timeout)
        status = OK if p.returncode == 0 else FAIL
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        out, err = p.communicate()
        status = TIMEOUT
        err = (err or b"") + b"\n[simd.py: killed after %gs]" % timeout
    wall = time.perf_counter() - t0
    return {"status": status, "rc": p.returncode if status != TIMEOUT else None, "wall": wall,
            "stdout": (out or b"").decode("utf-8", "replace"),
            "stderr": (err or b"").decode("utf-8", "replace")}


def tail(s, n=3):
    lines = [l for l in s.strip().splitlines() if l.strip()]
    return " | ".join(lines[-n:])[-300:]


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_t(x):
    return "-" if x is None else "%.3f" % x


def fmt_r(x):
    return "-" if x is None else "%.2f" % x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rewasm", default=os.path.join(REPO, ".build", "release", "rewasm"))
    ap.add_argument("--rewasm-opts", default="")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--skip")
    ap.add_argument("--peers", dest="peers", action="store_true", default=True)
    ap.add_argument("--no-peers", dest="peers", action="store_false")
    ap.add_argument("--peer-reps", type=int, help="runs of each peer (default: --reps); WasmKit main is slow on SIMD")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--json")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"))
    ap.add_argument("--wasmkit")
    ap.add_argument("--iwasm")
    ap.add_argument("-q", action="store_true")
    a = ap.parse_args()
    if a.reps < 1:
        die("--reps must be at least 1")
    shared = os.path.abspath(a.shared)
    bp = load_bench_py(shared)
    all_b = benchmarks(bp, shared, a.quick)
    names = list(all_b)
    if a.only:
        names = [n.strip() for n in a.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in all_b]
        if unknown:
            die("unknown benchmark(s): %s (have: %s)" % (", ".join(unknown), ", ".join(all_b)))
    if a.skip:
        names = [n for n in names if n not in {s.strip() for s in a.skip.split(",")}]
    if not names:
        die("no benchmarks selected")
    for n in names:
        for kind in ("scalar", "simd"):
            if not os.path.isfile(all_b[n][kind]):
                die("no %s build of %s: %s (run bench/simd/build.sh)" % (kind, n, all_b[n][kind]))

    rewasm = os.path.abspath(a.rewasm)
    ropts = a.rewasm_opts.split()
    peers = os.path.join(shared, "peers")
    wasmkit = os.path.abspath(a.wasmkit or os.path.join(peers, "wasmkit-main"))
    iwasm = os.path.abspath(a.iwasm or os.path.join(peers, "iwasm"))
    configs = CONFIGS if a.peers else CONFIGS[:2]

    def command(cfg, b):
        args = b["args"].split()
        if cfg == "rewasm-scalar":
            return [rewasm, "run"] + ropts + [b["scalar"]] + args
        if cfg == "rewasm-simd":
            return [rewasm, "run"] + ropts + [b["simd"]] + args
        if cfg == "wasmkit-main":
            return [wasmkit, "run", b["simd"]] + args
        return [iwasm, b["simd"]] + args

    missing = {}
    for cfg, exe in (("rewasm-scalar", rewasm), ("rewasm-simd", rewasm),
                     ("wasmkit-main", wasmkit), ("iwasm", iwasm)):
        if cfg in configs and not os.access(exe, os.X_OK):
            missing[cfg] = "%s not found / not executable" % exe
            sys.stderr.write("simd.py: %s: %s\n" % (cfg, missing[cfg]))

    # Expected outputs, reduced like bench.py does.
    filters, expected = {}, {}
    for n in names:
        f = bp.program_filter(all_b[n]["spec"])
        filters[n] = (lambda f: lambda out: f(bp.norm(out)))(f)
        path = all_b[n]["expected"]
        if not os.path.isfile(path):
            die("no expected output %s" % path)
        with open(path) as fh:
            expected[n] = filters[n](fh.read())

    counts = read_counts()
    stale = [n for n in names if n in counts and counts[n]["sha256"] != sha256(all_b[n]["simd"])]
    nocount = [n for n in names if n not in counts]
    if stale or nocount:
        sys.stderr.write("simd.py: bench/simd/counts.tsv is %s for %s: run bench/simd/build.sh\n"
                         % ("out of date" if stale else "missing lines",
                            ", ".join(stale + nocount)))

    res = {n: {c: {"status": MISSING if c in missing else OK, "runs": [], "note": missing.get(c, "")}
               for c in configs} for n in names}
    total = a.reps * len(names) * len(configs)
    done = 0
    for rep in range(a.reps):
        order = configs[rep % len(configs):] + configs[:rep % len(configs)]
        for n in names:
            for c in order:
                cell = res[n][c]
                done += 1
                if cell["status"] != OK:
                    continue
                if not c.startswith("rewasm") and a.peer_reps is not None and rep >= a.peer_reps:
                    continue
                r = run_once(command(c, all_b[n]), a.timeout, os.path.join(shared, "bench"))
                if r["status"] == OK and filters[n](r["stdout"]) != expected[n]:
                    r["status"] = MISMATCH
                    got = filters[n](r["stdout"])
                    r["note"] = "got %r, expected %r" % (tail(got, 2), tail(expected[n], 2))
                elif r["status"] != OK:
                    r["note"] = "rc=%s %s" % (r["rc"], tail(r["stderr"]) or tail(r["stdout"]))
                if not a.q:
                    sys.stderr.write("[%d/%d] %-9s %-13s %s %.3fs\n" % (
                        done, total, n, c, r["status"], r["wall"]))
                cell["runs"].append({"wall": r["wall"], "status": r["status"],
                                     "stderr": tail(r["stderr"], 5)})
                if r["status"] != OK:
                    cell["status"] = r["status"]
                    cell["note"] = r.get("note", "")

    def med(n, c):
        cell = res[n].get(c)
        if not cell or cell["status"] != OK or not cell["runs"]:
            return None
        return statistics.median(r["wall"] for r in cell["runs"])

    def show(n, c):
        cell = res[n].get(c)
        if cell is None:
            return "-"
        return fmt_t(med(n, c)) if cell["status"] == OK else cell["status"]

    print("## rewasm on SIMD builds (%s arguments, median of %d rep%s, wall seconds)\n" % (
        "quick" if a.quick else "default", a.reps, "" if a.reps == 1 else "s"))
    print("SIMD instrs: in the module / in the program's own code (the rest is wasi-libc's); "
          "* = the compiler vectorised the program's code.\n")
    head = ["benchmark", "set", "rewasm scalar", "rewasm SIMD", "SIMD/scalar"]
    if a.peers:
        head += ["wasmkit-main", "iwasm", "rewasm / best peer"]
    head += ["SIMD instrs"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i < 2 else "---:" for i in range(len(head))) + "|")
    ratios_vec, ratios_all, vs_peer = [], [], []
    summary = {}
    for n in names:
        sc, si = med(n, "rewasm-scalar"), med(n, "rewasm-simd")
        ratio = si / sc if sc and si else None
        c = counts.get(n)
        own = int(c["simd_own"]) if c and c.get("simd_own", "").isdigit() else None
        vec = own is not None and own > 0
        if ratio:
            ratios_all.append(ratio)
            if vec:
                ratios_vec.append(ratio)
        row = [n + (" *" if vec else ""), all_b[n]["set"], show(n, "rewasm-scalar"),
               show(n, "rewasm-simd"), fmt_r(ratio)]
        best = None
        if a.peers:
            pv = [t for t in (med(n, "wasmkit-main"), med(n, "iwasm")) if t]
            best = min(pv) if pv else None
            vp = si / best if si and best else None
            if vp:
                vs_peer.append(vp)
            row += [show(n, "wasmkit-main"), show(n, "iwasm"), fmt_r(vp)]
        row.append("%s / %s" % (c["simd"], c["simd_own"]) if c else "?")
        print("| " + " | ".join(row) + " |")
        summary[n] = {"median": {cfg: med(n, cfg) for cfg in configs}, "simd_over_scalar": ratio,
                      "vectorised": vec, "simd_instructions": int(c["simd"]) if c else None,
                      "simd_instructions_own": own}

    def gm(xs):
        g = geomean(xs)
        return "%s (%d)" % (fmt_r(g), len(xs)) if g else "-"

    geo = ["geomean", "", "", "", gm(ratios_vec)]
    if a.peers:
        geo += ["", "", gm(vs_peer)]
    geo.append("")
    print("| " + " | ".join(geo) + " |")
    print()
    print("Geomean SIMD/scalar under rewasm: %s over the %d vectorised benchmarks (*), %s over "
          "all %d." % (fmt_r(geomean(ratios_vec)), len(ratios_vec), fmt_r(geomean(ratios_all)),
                       len(ratios_all)))
    if a.peers:
        print("Geomean rewasm SIMD / best peer (wasmkit-main, iwasm): %s over %d." % (
            fmt_r(geomean(vs_peer)), len(vs_peer)))

    failures = [(n, c, res[n][c]) for n in names for c in configs
                if res[n][c]["status"] not in (OK,)]
    if failures:
        print("\nFailures:")
        for n, c, cell in failures:
            print("- %s, %s: %s %s" % (n, c, cell["status"], cell["note"]))
    def rel(x):
        # Paths as seen from the repository root (results get committed).
        for root, name in ((shared, "../shared"), (REPO, ".")):
            if x == root or x.startswith(root + os.sep):
                return name + x[len(root):]
        return x

    if a.json:
        with open(a.json, "w") as f:
            json.dump({"quick": a.quick, "reps": a.reps, "configs": configs,
                       "commands": {n: {c: [rel(x) for x in command(c, all_b[n])] for c in configs}
                                    for n in names},
                       "results": res, "summary": summary,
                       "geomean": {"simd_over_scalar_vectorised": geomean(ratios_vec),
                                   "simd_over_scalar_all": geomean(ratios_all),
                                   "rewasm_simd_over_best_peer": geomean(vs_peer)},
                       "finished": time.strftime("%Y-%m-%dT%H:%M:%S")}, f, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
