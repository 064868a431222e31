"""Full renders of every explorer's figure, with and without ``kitlib.textcache``.

A full render (the background drawn again: a new axis range, a dropdown, the first frame) is
what a slider step costs when it cannot be blitted. For every entry of
``kitlib.views.EXPLORERS``, at its defaults, two timings, each the median of ``--repeats``
after two warm-up runs, first with ``textcache.ENABLED = False`` ("stock": text as matplotlib
draws it) and then with the cache on:

* **frame** — the explorer's frame rendered with ``full=True`` (``kitlib.blit``: background
  without the moving artists, then those on top), what a rescale costs;
* **canvas** — ``FigureCanvasAgg.draw`` of the whole figure, what the first display and
  ipympl's own draw requests (a resize, a new device pixel ratio) cost.

The canvas pictures of both runs are checked to be identical.

Prints the median milliseconds per explorer and the totals, and writes
``benchmarks/results/full_render.json``.

Usage: ``python benchmarks/full_render.py [--repeats 9] [--only NAME_PREFIX]``
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from kitlib import textcache  # noqa: E402
from kitlib.textcache import text_cache_supported  # noqa: E402
from kitlib.views import EXPLORERS  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def median_ms(draw, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        draw()
        times.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(times))


def timings(ex, repeats: int) -> tuple[dict, np.ndarray]:
    canvas = ex.fig.canvas

    def frame():
        ex._frames.render(full=True)

    def whole():
        FigureCanvasAgg.draw(canvas)

    out = {}
    for draw, name in ((frame, "frame"), (whole, "canvas")):
        median_ms(draw, 2)  # warm: fonts loaded, caches filled
        out[name] = median_ms(draw, repeats)
    return out, np.asarray(canvas.buffer_rgba()).copy()


def stock_and_cached(ex, repeats: int) -> dict:
    try:
        textcache.ENABLED = False
        stock, a = timings(ex, repeats)
        textcache.ENABLED = True
        cached, b = timings(ex, repeats)
    finally:
        textcache.ENABLED = True
    if not np.array_equal(a, b):
        raise SystemExit("the cached text is not matplotlib's picture")
    return {f"{k}_{which}_ms": round(v, 2) for which, d in (("stock", stock), ("cached", cached))
            for k, v in d.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    if not text_cache_supported():
        raise SystemExit(f"kitlib.textcache does not support matplotlib {matplotlib.__version__}")
    rows = []
    for name in sorted(EXPLORERS):
        if not name.startswith(args.only):
            continue
        ex = EXPLORERS[name]()  # its canvas's renderers draw text from the caches
        row = {"explorer": name, **stock_and_cached(ex, args.repeats)}
        rows.append(row)
        print(f"{name:26s} frame {row['frame_stock_ms']:6.1f} -> {row['frame_cached_ms']:5.1f} ms   "
              f"canvas {row['canvas_stock_ms']:6.1f} -> {row['canvas_cached_ms']:5.1f} ms", flush=True)
        plt.close(ex.fig)
    totals = {k: round(sum(r[k] for r in rows), 1) for k in rows[0] if k != "explorer"}
    for what in ("frame", "canvas"):
        a, b = totals[f"{what}_stock_ms"], totals[f"{what}_cached_ms"]
        print(f"all {len(rows)}, {what:6s}: stock {a:6.0f} ms, text cache {b:6.0f} ms ({100 * (1 - b / a):.0f} % less)")
    if not args.only:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "full_render.json").write_text(json.dumps(
            {"matplotlib": matplotlib.__version__, "repeats": args.repeats, "rows": rows,
             "totals": totals}, indent=1) + "\n")


if __name__ == "__main__":
    main()
