"""Explorer update latency: in-place update versus rebuilding the figure on every change.

For every entry of ``kitlib.views.EXPLORERS`` and every control, the control is set to 30 random
values (seeded). Two timings per value:

* **update** — ``Explorer.set`` on the live explorer: compute + draw (artists updated in place)
  + one Agg render of the canvas (what ipympl sends to the browser);
* **naive** — what ``ipywidgets.interact`` does: build the figure from scratch (the explorer's
  factory, with its first update deferred) at the new value, compute once and render it.

Both count exactly one Agg render, as in the browser with ipympl.

Prints a table of p50/p95 (milliseconds) and the naive/update ratio of the medians, and writes
``benchmarks/results/latency.json``. Budget (DESIGN.md): update p95 <= 100 ms, aim <= 50 ms.

Usage: ``python benchmarks/latency.py [--repeats 30] [--only NAME_PREFIX] [--naive-repeats 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import ipywidgets as W  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from kitlib.explore import Explorer  # noqa: E402
from kitlib.views import EXPLORERS  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def random_value(widget, rng):
    if isinstance(widget, W.Checkbox):
        return bool(rng.integers(2))
    if isinstance(widget, W.FloatLogSlider):
        return float(widget.base ** rng.uniform(widget.min, widget.max))
    if isinstance(widget, W.IntSlider):
        return int(rng.integers(widget.min, widget.max + 1))
    if isinstance(widget, W.FloatSlider):
        steps = int(round((widget.max - widget.min) / widget.step))
        return float(min(widget.max, widget.min + widget.step * rng.integers(steps + 1)))
    options = [o[1] if isinstance(o, tuple) else o for o in widget.options]
    return options[int(rng.integers(len(options)))]


def _count_renders_once(ex):
    """Agg renders synchronously inside draw_idle(); ipympl only sends a message there and
    renders once when the browser asks. Make draw_idle a no-op so the explicit draw below is
    the one render, as in the browser."""
    ex.fig.canvas.draw_idle = lambda *a, **k: None
    return ex


def time_updates(ex, name, values):
    _count_renders_once(ex)
    out = []
    for v in values:
        t0 = time.perf_counter()
        ex.set(**{name: v})
        ex.fig.canvas.draw()
        out.append(time.perf_counter() - t0)
        if ex.last_error:
            raise RuntimeError(f"{name}={v!r}: {ex.last_error}")
    return np.array(out)


def time_naive(factory, name, values):
    out = []
    for v in values:
        t0 = time.perf_counter()
        with Explorer.deferred():
            ex = _count_renders_once(factory())
        ex.set(**{name: v})
        ex.fig.canvas.draw()
        out.append(time.perf_counter() - t0)
        plt.close(ex.fig)
    return np.array(out)


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--naive-repeats", type=int, default=5)
    ap.add_argument("--only", default="")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(2026)
    rows = []
    for ename, factory in sorted(EXPLORERS.items()):
        if not ename.startswith(args.only):
            continue
        t0 = time.perf_counter()
        ex = factory()
        build = time.perf_counter() - t0
        defaults = ex.params
        for cname, widget in ex.controls.items():
            values = [random_value(widget, rng) for _ in range(args.repeats)]
            upd = time_updates(ex, cname, values) * 1e3
            ex.set(**defaults)
            naive = time_naive(factory, cname, values[: args.naive_repeats]) * 1e3
            rows.append({"explorer": ename, "control": cname, "build_s": round(build, 3),
                         "update_p50_ms": float(np.percentile(upd, 50)),
                         "update_p95_ms": float(np.percentile(upd, 95)),
                         "naive_p50_ms": float(np.percentile(naive, 50)),
                         "naive_p95_ms": float(np.percentile(naive, 95)),
                         "ratio_p50": float(np.percentile(naive, 50) / np.percentile(upd, 50))})
        plt.close(ex.fig)
    head = f"{'explorer':34s} {'control':16s} {'p50':>7s} {'p95':>7s} {'naive p50':>10s} {'ratio':>6s}"
    print(head)
    print("-" * len(head))
    for r in rows:
        flag = "  OVER BUDGET" if r["update_p95_ms"] > 100 else ""
        print(f"{r['explorer']:34s} {r['control']:16s} {r['update_p50_ms']:7.1f} {r['update_p95_ms']:7.1f}"
              f" {r['naive_p50_ms']:10.1f} {r['ratio_p50']:6.1f}{flag}")
    if rows:
        worst = max(rows, key=lambda r: r["update_p95_ms"])
        print(f"\nworst p95: {worst['update_p95_ms']:.1f} ms ({worst['explorer']} / {worst['control']});"
              f" budget 100 ms")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latency.json").write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
