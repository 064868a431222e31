"""End-to-end slider latency in a real browser: key press -> canvas pixels changed.

For every notebook and every slider of every explorer, JupyterLab in headless Chromium (the
same machinery as tests/browser) focuses the slider handle, sends an arrow key and watches the
canvas inside the page (a pixel signature on every animation frame) until it changes. After one
warm-up press pair (the first press is reported on its own: it also pays for the canvases'
start-up), 20 presses per slider (alternating right and left so the value stays inside its
range); p50 and p95 in milliseconds. Budget: p95 <= 250 ms.
Prints a table and writes benchmarks/results/browser_latency.json.

Usage: ``python benchmarks/browser_latency.py [--presses 20] [NOTEBOOK ...]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser.lab import NotebookPage, browser, lab_server  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def measure_notebook(chrome, base, token, name, presses):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    rows = []
    try:
        nb = NotebookPage(page, base, token, name)
        nb.run_all(timeout=300)
        sizes = nb.wait_canvases()
        if not all(w > 0 for w, _ in sizes):
            raise RuntimeError(f"{name}: explorer canvases never drew: {sizes}")
        for i in range(nb.explorer_count()):
            title = nb.explorers().nth(i).locator(".widget-html-content b").first.inner_text()
            for j in range(nb.sliders_of(i).count()):
                # The first press after Run All also pays for the canvases' start-up (each
                # front end asks for a full frame when it connects): reported on its own.
                first = nb.slider_latency_ms(i, j, "ArrowRight")
                nb.slider_latency_ms(i, j, "ArrowLeft")
                page.wait_for_timeout(50)
                times, misses = [], 0
                for k in range(presses):
                    ms = nb.slider_latency_ms(i, j, "ArrowRight" if k % 2 == 0 else "ArrowLeft")
                    if ms is None:
                        misses += 1
                    else:
                        times.append(ms)
                    page.wait_for_timeout(50)  # let the kernel go idle between presses
                t = np.array(times) if times else np.array([np.nan])
                rows.append({"notebook": name, "explorer": i, "title": title[:48], "slider": j,
                             "first_ms": float("nan") if first is None else float(first),
                             "p50_ms": float(np.percentile(t, 50)), "p95_ms": float(np.percentile(t, 95)),
                             "no_change": misses})
                print(f"{name[:28]:28s} {i:2d} {title[:40]:40s} s{j} {rows[-1]['first_ms']:7.0f} "
                      f"{rows[-1]['p50_ms']:7.0f} {rows[-1]['p95_ms']:7.0f} {misses:3d}"
                      + ("  OVER BUDGET" if rows[-1]["p95_ms"] > 250 else ""), flush=True)
    finally:
        page.close()
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args(argv)
    names = args.notebooks or sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{'notebook':28s} {'#':>2s} {'explorer':40s} {'sl':2s} {'first':>7s} {'p50':>7s} {'p95':>7s}"
          f" {'miss':>3s}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, lab_server(Path(tmp)) as (base, token, _), browser() as chrome:
        for name in names:
            rows += measure_notebook(chrome, base, token, name, args.presses)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser_latency.json").write_text(json.dumps(rows, indent=1))
    if rows:
        worst = max(rows, key=lambda r: r["p95_ms"])
        print(f"\nworst p95: {worst['p95_ms']:.0f} ms ({worst['notebook']} explorer {worst['explorer']} "
              f"slider {worst['slider']}); budget 250 ms")
    return rows


if __name__ == "__main__":
    main()
