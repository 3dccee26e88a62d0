#!/usr/bin/env python3
"""Prints the JSON files of ../shared/spectest/wasm3/ that rewasm's features cover.

A file is in scope when its group (in wasm3-results.tsv) is not the 3.0 text format, and
every proposal in its `needs` column is one rewasm implements.
Usage: wasm3_scope.py SPECTEST_DIR  (prints one path per line, for `rewasm spectest`)."""
import csv
import os
import sys

# Proposals rewasm implements, as wasm3-results.tsv names them ("-": none needed).
IMPLEMENTED = {"-", "multi-memory", "memory64", "extended-const", "tail-call", "exceptions", "relaxed-simd"}
EXCLUDED_GROUPS = ("3.0 text format", "custom/")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: wasm3_scope.py SPECTEST_DIR")
    root = sys.argv[1]
    with open(os.path.join(root, "wasm3-results.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        if r["folder"] != "wasm3" or r["group"].startswith(EXCLUDED_GROUPS):
            continue
        needs = {n.strip() for n in r["needs"].split(",")}
        if needs <= IMPLEMENTED:
            print(os.path.join(root, "wasm3", r["file"] + ".json"))


if __name__ == "__main__":
    main()
