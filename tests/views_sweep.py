"""Sweep helpers shared by the views tests: move every control of an explorer over its range."""

from __future__ import annotations

import itertools

import ipywidgets as W
import numpy as np

from kitlib.figures import figure_pixels, non_finite_drawn


def control_values(widget, n_inner: int = 3) -> list:
    """Values covering a control's whole range: both ends, inner points, every option."""
    if isinstance(widget, W.Checkbox):
        return [False, True]
    if isinstance(widget, W.FloatLogSlider):
        exps = np.linspace(widget.min, widget.max, n_inner + 2)
        return [float(widget.base ** e) for e in exps]
    if isinstance(widget, (W.FloatSlider, W.IntSlider)):
        vals = np.linspace(widget.min, widget.max, n_inner + 2)
        if isinstance(widget, W.IntSlider):
            return sorted({int(round(v)) for v in vals})
        return [float(v) for v in vals]
    if hasattr(widget, "options"):
        return [o[1] if isinstance(o, tuple) else o for o in widget.options]
    raise TypeError(f"no sweep rule for {type(widget).__name__}")


def step_walk(widget, start, n: int) -> list:
    """``n`` consecutive one-step moves from ``start``, as the arrow keys or a drag make them
    (bouncing off the ends of the range; dropdowns and checkboxes go to the next option)."""
    if isinstance(widget, W.Checkbox):
        return [bool((int(start) + k + 1) % 2) for k in range(n)]
    if not isinstance(widget, (W.FloatSlider, W.IntSlider, W.FloatLogSlider)):
        options = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        i = options.index(start)
        return [options[(i + k + 1) % len(options)] for k in range(n)]
    log = isinstance(widget, W.FloatLogSlider)
    x = float(np.log(start) / np.log(widget.base)) if log else start
    out, direction = [], 1
    for _ in range(n):
        if not widget.min <= x + direction * widget.step <= widget.max + 1e-9:
            direction = -direction
        x = round(min(max(x + direction * widget.step, widget.min), widget.max), 10)
        out.append(int(x) if isinstance(widget, W.IntSlider) else float(widget.base ** x if log else x))
    return out


def range_ends(widget) -> list:
    vals = control_values(widget, n_inner=0)
    return vals if len(vals) <= 2 else [vals[0], vals[-1]]


def corners(explorer, max_corners: int = 64) -> list[dict]:
    """Every combination of range ends of all controls (capped, deterministic subsample)."""
    names = list(explorer.controls)
    combos = list(itertools.product(*(range_ends(explorer.controls[n]) for n in names)))
    if len(combos) > max_corners:
        idx = np.random.default_rng(0).choice(len(combos), max_corners, replace=False)
        combos = [combos[i] for i in sorted(idx)]
    return [dict(zip(names, c)) for c in combos]


def assert_clean(explorer, where: str) -> None:
    """No error message, and nothing non-finite drawn: every line, collection (offsets, colour
    arrays, segments, fills), image, patch (bars), text anchor and axis limit holds finite
    numbers, and no visible text shows "nan" or "inf" (see kitlib.figures.non_finite_drawn)."""
    assert explorer.last_error is None, f"{where}: {explorer.last_error}"
    bad = non_finite_drawn(explorer.fig)
    assert not bad, f"{where}: non-finite values drawn in " + "; ".join(bad[:5])


def pixels(explorer):
    """A full Agg render of the explorer's figure."""
    return figure_pixels(explorer.fig)


def assert_frame_is_full_render(fig, where: str, tol: int = 2) -> np.ndarray:
    """The frame last rendered into ``fig``'s canvas (mostly blitted: changed artists over a
    cached background) must be the picture a full render gives, up to ``tol`` levels of 8-bit
    rounding where a pre-rendered text was pasted. Returns the full render."""
    frame = np.asarray(fig.canvas.buffer_rgba()).astype(np.int16)
    full = figure_pixels(fig)
    diff = int(np.abs(frame - full).max())
    assert diff <= tol, f"{where}: the rendered frame differs from a full render by {diff} levels"
    return full
