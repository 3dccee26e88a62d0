#!/usr/bin/env python3
"""Checks the machine code of the interpreter's handlers in a release binary.

Threaded dispatch only pays if every handler ends by jumping to the next one and the
hot handlers make no calls (Interpreter v2, docs/DESIGN-NOTES.md). Nothing in Swift
or C enforces all of it, so CI disassembles the binary (objdump) and fails when:

- a handler returns (`ret`) instead of tail-calling the next handler (all but stop);
- a handler reaches another handler by `call`, or makes an indirect call;
- a handler is a stub that jumps to another handler (the optimizer merged two
  handlers with the same code: every instruction would pay an extra jump);
- a hot handler (loads, stores, arithmetic, branches, calls, copies, constants,
  globals) contains any `call` (e.g. an out-of-line memory access or memset).

Usage: python3 Utilities/check_handlers.py [BINARY]   (default .build/release/rewasm)
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Handlers that may call out, by name: cold paths, out-of-line operations, and float
# rounding (libm without SSE4.1). f32Sqrt/f64Sqrt inline `sqrtss`/`sqrtsd` and call
# libm only for negative inputs (the C library's errno path of `squareRoot()`).
MAY_CALL = re.compile(
    r"^rw_h_(check|hostCall|throwTag|throwRef|catchValues|memoryGrowX?|memoryFillX?|memoryCopyX?|memoryInitX?|atomic|tableGrow|tableFill|"
    r"tableCopy|tableInit|f32(Ceil|Floor|Trunc|Nearest|Sqrt)|f64(Ceil|Floor|Trunc|Nearest|Sqrt)|stop)$")


def handlers(binary):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], capture_output=True, text=True, check=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) <(rw_h_\w+)>:$", line)
        if m:
            cur = m.group(2)
            funcs[cur] = []
            continue
        if not line.strip():
            cur = None
            continue
        if cur and "\t" in line:
            funcs[cur].append(line.split("\t", 1)[1].strip())
    return funcs


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/rewasm")
    funcs = handlers(binary)
    inc = open(os.path.join(ROOT, "Sources/CInterpreter/include/handlers.inc")).read()
    ops = re.findall(r"^RW_HANDLER\((\w+), \d+\)$", inc, re.M)
    errors = []
    missing = [o for o in ops if f"rw_h_{o}" not in funcs]
    if missing:
        errors.append(f"no machine code found for handlers: {', '.join(missing)}")
    for name, insns in sorted(funcs.items()):
        if name == "rw_h_stop":
            continue
        mnemonics = [i.split()[0] for i in insns]
        if "ret" in mnemonics:
            errors.append(f"{name}: returns instead of jumping to the next handler")
        for i in insns:
            if i.startswith("call") and ("*" in i or "<rw_h_" in i):
                errors.append(f"{name}: reaches a handler by call: {i}")
            if i.startswith("jmp") and "<rw_h_" in i and f"<{name}+" not in i and f"<{name}>" not in i:
                errors.append(f"{name}: jumps into another handler (merged code): {i}")
        if not any(i.startswith("jmp") and "*" in i for i in insns):
            errors.append(f"{name}: no indirect jump to a next handler")
        if not MAY_CALL.match(name):
            calls = [i for i in insns if i.startswith("call")]
            if calls:
                errors.append(f"{name}: a hot handler makes calls: {'; '.join(calls)}")
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    hot = sum(1 for n in funcs if not MAY_CALL.match(n))
    print(f"{len(funcs)} handlers checked: all end in an indirect jump, none returns or merges; "
          f"{hot} hot handlers make no calls")


if __name__ == "__main__":
    main()
