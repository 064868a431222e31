"""Run every benchmark in this folder (``make bench``); each writes benchmarks/results/*.json."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["latency.py"]  # then the topic benchmarks, alphabetically
ON_ITS_OWN = {"browser_latency.py"}  # needs Chromium and several minutes: run it directly

if __name__ == "__main__":
    skip = set(ORDER) | ON_ITS_OWN | {Path(__file__).name}
    scripts = ORDER + sorted(p.name for p in HERE.glob("*.py")
                             if p.name not in skip and not p.name.startswith("_"))
    for name in scripts:
        print(f"\n=== {name} ===", flush=True)
        sys.argv = [name]
        runpy.run_path(str(HERE / name), run_name="__main__")
