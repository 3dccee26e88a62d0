#!/usr/bin/env python3
"""Lists the public API of the rewasm libraries that has no documentation comment.

The API is what the compiler says it is: the script builds the package (debug) with
every trait on, so that code under `#if UserSched` / `#if SharedMemRealloc` counts too,
and has the compiler emit the symbol graphs of the five library modules (RewasmCore,
RewasmWASI, RewasmThreads, RewasmUserSched, RewasmSharedMemRealloc):

    swift build --scratch-path SCRATCH --traits WASI,Threads,UserSched,SharedMemRealloc \\
        -Xswiftc -emit-symbol-graph \\
        -Xswiftc -emit-symbol-graph-dir -Xswiftc SCRATCH/symbol-graphs/public \\
        -Xswiftc -symbol-graph-minimum-access-level -Xswiftc public

It then reads `MODULE.symbols.json` and `MODULE@OTHER.symbols.json` (the module's
extensions of other modules' types, the standard library's included: those members are
our API too) and reports every public or open declaration without a doc comment (`///`
or `/** */`; one whose text is all blank counts as none).

Documented elsewhere, so not reported:
- a member that implements a protocol requirement or overrides a superclass member
  (the symbol graph names the requirement in the `sourceOrigin` of its `memberOf`
  relationship, or has an `overrides` relationship): `description`, `==`,
  `hash(into:)`, `init(from:)`, `rawValue`, or an implementation of a requirement of our
  own protocols is documented by the requirement (a requirement of ours without a doc
  comment is reported itself);
- a default implementation of a requirement (`defaultImplementationOf`);
- members that a type inherits from a protocol extension, e.g. `!=` from Equatable or
  `union(_:)` from OptionSet (synthesized symbols, `::SYNTHESIZED::` in the identifier);
- declarations that the compiler makes implicitly (no source location), e.g.
  `init(rawValue:)` of an enum with raw values.
Everything else, enum cases included, needs its own doc comment.

Output: one line a declaration, `path/File.swift:LINE: kind Module.Type.name`, sorted,
then the count. Exit status 0 when all is documented, 1 when something is not, 2 when
the build or the symbol graphs fail.

Usage: python3 Utilities/check_docs.py [--scratch-path DIR] [-q | --list | --group]
       [--traits T1,T2] [--minimum-access-level public] [--no-build --symbol-graph-dir DIR]
  (--scratch-path defaults to .build-docs in the package; it is a build directory of its
  own, so the check never disturbs .build.)
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = ["RewasmCore", "RewasmWASI", "RewasmThreads", "RewasmUserSched", "RewasmSharedMemRealloc"]
ALL_TRAITS = "WASI,Threads,UserSched,SharedMemRealloc"

KINDS = {
    "swift.class": "class", "swift.struct": "struct", "swift.enum": "enum", "swift.actor": "actor",
    "swift.protocol": "protocol", "swift.typealias": "typealias", "swift.associatedtype": "associatedtype",
    "swift.enum.case": "case", "swift.init": "init", "swift.deinit": "deinit",
    "swift.property": "var", "swift.type.property": "static var", "swift.var": "var",
    "swift.method": "func", "swift.type.method": "static func", "swift.func": "func",
    "swift.func.op": "operator", "swift.subscript": "subscript", "swift.type.subscript": "static subscript",
    "swift.macro": "macro",
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def swift_build(args, extra):
    cmd = [args.swift, "build", "--package-path", ROOT, "--scratch-path", args.scratch_path,
           "--traits", args.traits, "--configuration", args.configuration] + extra
    for attempt in range(3):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            return proc
        out = proc.stdout + proc.stderr
        # A source saved while the build read it: build again (only a concern on a
        # working copy that someone is editing, never in CI).
        if "was modified during the build" in out and attempt < 2:
            log("check_docs: a source changed during the build; building again")
            time.sleep(5)
            continue
        sys.stderr.write(out[-8000:])
        log("check_docs: the build failed: " + " ".join(cmd))
        sys.exit(2)


def build_graphs(args, graph_dir):
    flags = ["-Xswiftc", "-emit-symbol-graph", "-Xswiftc", "-emit-symbol-graph-dir", "-Xswiftc", graph_dir,
             "-Xswiftc", "-symbol-graph-minimum-access-level", "-Xswiftc", args.minimum_access_level]
    os.makedirs(graph_dir, exist_ok=True)
    # One build of everything (the CLI too): faster than a build of each library
    # (`--target`), which builds the modules one after the other.
    swift_build(args, flags)
    missing = [m for m in MODULES if not os.path.exists(os.path.join(graph_dir, m + ".symbols.json"))]
    if missing:
        # The modules were up to date, so the compiler emitted nothing, but the graphs are
        # gone (their folder was deleted): remove the modules' interface files, so that the
        # build emits the modules (and so their graphs) again.
        bin_path = swift_build(args, ["--show-bin-path"]).stdout.strip().splitlines()[-1]
        for m in missing:
            for ext in ("swiftmodule", "swiftdoc", "swiftsourceinfo"):
                path = os.path.join(bin_path, "Modules", m + "." + ext)
                if os.path.exists(path):
                    os.remove(path)
        swift_build(args, flags)


def graph_files(graph_dir, module):
    main = os.path.join(graph_dir, module + ".symbols.json")
    if not os.path.exists(main):
        log(f"check_docs: no symbol graph for {module} in {graph_dir}")
        sys.exit(2)
    files = [main]
    # The compiler writes a module's graphs together, but leaves the graph of an
    # extension that is gone; such a file is older than the module's graph.
    newest = os.path.getmtime(main)
    for path in sorted(glob.glob(os.path.join(graph_dir, glob.escape(module) + "@*.symbols.json"))):
        if os.path.getmtime(path) >= newest - 120:
            files.append(path)
    return files


def relpath(uri):
    path = urllib.parse.unquote(urllib.parse.urlparse(uri).path) if uri.startswith("file:") else uri
    if not os.path.isabs(path):
        return path
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def has_doc(symbol):
    doc = symbol.get("docComment")
    return bool(doc) and any(line.get("text", "").strip() for line in doc.get("lines", []))


def check(graph_dir, modules):
    """Returns a list of (status, file, line, column, kind, name, note) for every
    declaration: status is "missing", "documented", or "inherits"."""
    results = []
    for module in modules:
        for path in graph_files(graph_dir, module):
            graph = json.load(open(path))
            names = {s["identifier"]["precise"]: s for s in graph["symbols"]}
            inherits = {}  # precise identifier -> what documents it
            for rel in graph["relationships"]:
                src, kind = rel["source"], rel["kind"]
                origin = rel.get("sourceOrigin")
                if kind == "memberOf" and origin:
                    inherits.setdefault(src, origin["displayName"])
                elif kind in ("overrides", "defaultImplementationOf"):
                    target = names.get(rel["target"])
                    shown = origin["displayName"] if origin else (
                        ".".join(target["pathComponents"]) if target else rel.get("targetFallback", rel["target"]))
                    inherits.setdefault(src, shown)
            for s in graph["symbols"]:
                precise = s["identifier"]["precise"]
                if "::SYNTHESIZED::" in precise or "location" not in s or s["kind"]["identifier"] == "swift.extension":
                    continue
                ext = s.get("swiftExtension", {}).get("extendedModule")
                owner = ext or module
                name = owner + "." + ".".join(s["pathComponents"])
                kind = KINDS.get(s["kind"]["identifier"], s["kind"]["identifier"].removeprefix("swift."))
                loc = s["location"]
                where = (relpath(loc["uri"]), loc["position"]["line"] + 1, loc["position"]["character"] + 1)
                if has_doc(s):
                    results.append(("documented", *where, kind, name, ""))
                elif precise in inherits:
                    results.append(("inherits", *where, kind, name, inherits[precise]))
                else:
                    results.append(("missing", *where, kind, name, ""))
    results.sort(key=lambda r: (r[1], r[2], r[3], r[5]))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scratch-path", default=os.path.join(ROOT, ".build-docs"),
                        help="build directory for the check (default: .build-docs in the package)")
    parser.add_argument("--traits", default=ALL_TRAITS, help=f"traits to build with (default: {ALL_TRAITS})")
    parser.add_argument("--minimum-access-level", default="public", choices=["open", "public", "package", "internal"],
                        help="check declarations of at least this access level (default: public)")
    parser.add_argument("--configuration", default="debug", choices=["debug", "release"])
    parser.add_argument("--swift", default=os.environ.get("SWIFT", "swift"), help="the swift driver (default: swift)")
    parser.add_argument("--no-build", action="store_true", help="read the symbol graphs of an earlier run, build nothing")
    parser.add_argument("--symbol-graph-dir", help="where the symbol graphs are (default: SCRATCH/symbol-graphs/LEVEL)")
    parser.add_argument("--modules", default=",".join(MODULES), help="modules to check (default: the five libraries)")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("-q", "--quiet", action="store_true", help="print only the count")
    out.add_argument("--list", action="store_true",
                     help="print every checked declaration with its status (documented, inherits, MISSING)")
    out.add_argument("--group", action="store_true", help="print the undocumented declarations grouped by file")
    args = parser.parse_args()
    args.scratch_path = os.path.abspath(args.scratch_path)
    graph_dir = os.path.abspath(args.symbol_graph_dir or os.path.join(args.scratch_path, "symbol-graphs", args.minimum_access_level))

    if not args.no_build:
        if not args.quiet:
            log(f"check_docs: building with traits {args.traits} in {args.scratch_path}")
        build_graphs(args, graph_dir)

    modules = [m for m in args.modules.split(",") if m]
    results = check(graph_dir, modules)
    missing = [r for r in results if r[0] == "missing"]

    if args.list:
        for status, file, line, _, kind, name, note in results:
            label = {"missing": "MISSING", "documented": "documented", "inherits": "inherits"}[status]
            print(f"{file}:{line}: {label:10} {kind} {name}" + (f"  (from {note})" if note else ""))
        counts = collections.Counter(r[0] for r in results)
        print(f"{len(results)} public declarations: {counts['documented']} documented, "
              f"{counts['inherits']} documented by a requirement or overridden member, {counts['missing']} undocumented")
    elif args.group:
        by_file = collections.defaultdict(list)
        for _, file, line, _, kind, name, _ in missing:
            by_file[file].append(f"  {line}: {kind} {name}")
        for file in sorted(by_file):
            print(f"{file} ({len(by_file[file])})")
            print("\n".join(by_file[file]))
    elif not args.quiet:
        for _, file, line, _, kind, name, _ in missing:
            print(f"{file}:{line}: {kind} {name}")
    if not args.list:
        if missing:
            files = len({r[1] for r in missing})
            print(f"{len(missing)} public declarations without a doc comment (in {files} files)")
        else:
            print(f"all {len(results)} public declarations are documented")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
