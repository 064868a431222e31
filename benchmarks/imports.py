"""Import time of ``kitlib.views`` and of each topic's views, each in a fresh interpreter.

What a notebook's first code cell pays before anything is drawn. Five runs per module after one
warm-up (the operating system's file cache), median and spread, with the bare interpreter's
start-up (``python -c pass``) reported separately. Writes benchmarks/results/imports.json.

Usage: ``python benchmarks/imports.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
MODULES = ["kitlib.views", "kitlib.views.start", "kitlib.views.divergences", "kitlib.views.kde",
           "kitlib.views.ib", "kitlib.views.rlhf", "kitlib.views.rlvr"]


def _wall(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    rows = []
    print(f"{'module':28s} {'median s':>9s} {'min s':>7s} {'max s':>7s}")
    for module in ["(interpreter only)"] + MODULES:
        code = "pass" if module.startswith("(") else f"import {module}"
        _wall(code)
        times = [_wall(code) for _ in range(args.runs)]
        row = {"module": module, "median_s": round(statistics.median(times), 3),
               "min_s": round(min(times), 3), "max_s": round(max(times), 3)}
        rows.append(row)
        print(f"{module:28s} {row['median_s']:9.3f} {row['min_s']:7.3f} {row['max_s']:7.3f}", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "imports.json").write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
