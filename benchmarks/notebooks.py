"""Wall time and the kernel's peak resident memory for every notebook, executed headless.

Each notebook runs top to bottom in a fresh kernel (nbclient) on a temporary copy, while a
thread samples the resident memory of the kernel process tree every 50 ms. Budgets (DESIGN.md):
<= 60 s and <= 1 GB per notebook. Prints a table and writes benchmarks/results/notebooks.json.

Two ways to run each notebook (``--tables``): ``shipped`` (the default, what a student meets:
the explorers read the precomputed tables shipped in kitlib/tables/data) and ``compute``
(``KITLIB_TABLES=compute``: every table computed in the kernel, as before the tables were
shipped, or after a numerics change before ``make tables``); ``both`` runs the two back to back.

Usage: ``python benchmarks/notebooks.py [--tables shipped|compute|both] [NOTEBOOK ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(path: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copy(path, copy)
        nb = nbformat.read(copy, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": tmp}})
        peak = {"rss": 0}
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                km = client.km
                pid = getattr(getattr(km, "provisioner", None), "pid", None) if km else None
                if pid:
                    try:
                        peak["rss"] = max(peak["rss"], _tree_rss(psutil.Process(pid)))
                    except psutil.Error:
                        pass
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.perf_counter()
        try:
            client.execute()
        finally:
            wall = time.perf_counter() - t0
            stop.set()
            sampler.join()
    return {"notebook": path.name, "wall_s": round(wall, 2), "peak_rss_mb": round(peak["rss"] / 2**20, 1)}


def _run_with(path: Path, mode: str) -> dict:
    before = os.environ.get("KITLIB_TABLES")
    os.environ["KITLIB_TABLES"] = "compute" if mode == "compute" else "shipped"
    try:
        row = run(path)
    finally:
        if before is None:
            os.environ.pop("KITLIB_TABLES", None)
        else:
            os.environ["KITLIB_TABLES"] = before
    row["tables"] = mode
    return row


def main(argv: list[str]) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", choices=("shipped", "compute", "both"), default="shipped")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args(argv)
    paths = ([Path(a).resolve() for a in args.notebooks]
             or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    modes = ("compute", "shipped") if args.tables == "both" else (args.tables,)
    rows = []
    print(f"{'notebook':42s} {'tables':>8s} {'wall s':>8s} {'peak MB':>9s}")
    for path in paths:
        for mode in modes:
            row = _run_with(path, mode)
            rows.append(row)
            flag = "  OVER BUDGET" if row["wall_s"] > 60 or row["peak_rss_mb"] > 1024 else ""
            print(f"{row['notebook']:42s} {mode:>8s} {row['wall_s']:8.1f} {row['peak_rss_mb']:9.1f}{flag}",
                  flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "notebooks.json").write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
