"""Explorer update latency: in-place update versus rebuilding the figure on every change.

For every entry of ``kitlib.views.EXPLORERS`` and every control, three timings (milliseconds):

* **step** — what a slider does under the mouse or the arrow keys: 30 consecutive moves of one
  step each (bouncing off the ends of the range; dropdowns and checkboxes go to the next
  option). ``Explorer.set`` runs compute + draw + the frame's Agg render, which redraws only the
  changed artists when the axes stayed put (``kitlib.blit``);
* **jump** — 30 independent random values: the worst case, where nearly every update lands far
  from the last one, the axes rescale and the whole figure is rendered again;
* **naive** — what ``ipywidgets.interact`` does: build the figure from scratch (the explorer's
  factory, with its first update deferred) at a jump value, compute once and render it.

Each timing contains exactly one Agg render, as in the browser with ipympl.

Prints a table of p50/p95 and the naive/step ratio of the medians, and writes
``benchmarks/results/latency.json``. Budget (DESIGN.md): update p95 <= 100 ms, aim <= 50 ms.

Usage: ``python benchmarks/latency.py [--repeats 30] [--only NAME_PREFIX] [--naive-repeats 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import ipywidgets as W  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from kitlib.explore import Explorer
from kitlib.views import EXPLORERS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.views_sweep import step_walk  # noqa: E402

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


def time_updates(ex, name, values):
    out = []
    for v in values:
        t0 = time.perf_counter()
        ex.set(**{name: v})  # compute + draw + one Agg render of the frame
        out.append(time.perf_counter() - t0)
        if ex.last_error:
            raise RuntimeError(f"{name}={v!r}: {ex.last_error}")
    return np.array(out)


def time_naive(factory, name, values):
    out = []
    for v in values:
        t0 = time.perf_counter()
        with Explorer.deferred():
            ex = factory()
        ex.set(**{name: v})  # the first frame: one full render
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
            steps = step_walk(widget, defaults[cname], args.repeats)
            jumps = [random_value(widget, rng) for _ in range(args.repeats)]
            step = time_updates(ex, cname, steps) * 1e3
            ex.set(**defaults)
            jump = time_updates(ex, cname, jumps) * 1e3
            ex.set(**defaults)
            naive = time_naive(factory, cname, jumps[: args.naive_repeats]) * 1e3
            rows.append({"explorer": ename, "control": cname, "build_s": round(build, 3),
                         "step_p50_ms": float(np.percentile(step, 50)),
                         "step_p95_ms": float(np.percentile(step, 95)),
                         "jump_p50_ms": float(np.percentile(jump, 50)),
                         "jump_p95_ms": float(np.percentile(jump, 95)),
                         "naive_p50_ms": float(np.percentile(naive, 50)),
                         "naive_p95_ms": float(np.percentile(naive, 95)),
                         "ratio_p50": float(np.percentile(naive, 50) / np.percentile(step, 50))})
        plt.close(ex.fig)
    head = (f"{'explorer':30s} {'control':16s} {'step p50':>8s} {'p95':>6s} {'jump p50':>8s} {'p95':>6s}"
            f" {'naive p50':>9s} {'ratio':>6s}")
    print(head)
    print("-" * len(head))
    for r in rows:
        flag = "  OVER BUDGET" if max(r["step_p95_ms"], r["jump_p95_ms"]) > 100 else ""
        print(f"{r['explorer']:30s} {r['control']:16s} {r['step_p50_ms']:8.1f} {r['step_p95_ms']:6.1f}"
              f" {r['jump_p50_ms']:8.1f} {r['jump_p95_ms']:6.1f} {r['naive_p50_ms']:9.1f}"
              f" {r['ratio_p50']:6.1f}{flag}")
    for kind in ("step", "jump"):
        if rows:
            worst = max(rows, key=lambda r: r[f"{kind}_p95_ms"])
            print(f"worst {kind} p95: {worst[f'{kind}_p95_ms']:.1f} ms ({worst['explorer']} / "
                  f"{worst['control']}); budget 100 ms")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latency.json").write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
