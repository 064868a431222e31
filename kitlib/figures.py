"""Figures of the explorers: creation, steady axis limits, static images, and what is drawn.

* :func:`new_figure` — an explorer's figure (constrained layout, the kit's style), and
  :data:`FIGURE_LOCK`, the one lock every figure operation takes (matplotlib is not thread-safe
  and ipykernel 7 runs widget callbacks in a subshell thread);
* :func:`steady_limits` — axis limits that grow to fit and shrink only with hysteresis;
* :func:`static_png` — the figure as a small palette PNG for front ends without a kernel;
* :func:`figure_pixels`, :func:`drawn_data`, :func:`drawn_arrays`, :func:`drawn_texts`,
  :func:`non_finite_drawn` — what a figure shows, as arrays and strings: the views sweep and the
  tests check every explorer with them (no NaN drawn, a changed picture).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import threading
import weakref

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kitlib import style

__all__ = ["FIGURE_LOCK", "new_figure", "steady_limits", "STATIC_DPI", "static_png", "encode_static",
           "css_size", "figure_pixels", "drawn_data", "drawn_arrays", "drawn_texts",
           "non_finite_drawn"]

#: One lock for all figure work in the process. In JupyterLab, ipykernel 7 runs widget
#: callbacks (slider moves, the canvas's draw requests) in a kernel *subshell* thread while
#: cells run in the main thread, and matplotlib is not thread-safe: its mathtext parser and its
#: rc settings are shared, so two renders at once fail with spurious parse errors or mix up
#: styles. Figure creation, updates, renders and exports all take this lock.
FIGURE_LOCK = threading.RLock()


def _serialised(method):
    """``method`` run under :data:`FIGURE_LOCK`."""
    @functools.wraps(method)
    def locked(*args, **kwargs):
        with FIGURE_LOCK:
            return method(*args, **kwargs)
    return locked


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(8.0, 4.0), **subplot_kw):
    """Create an explorer's figure and axes without displaying them.

    The figure is made through pyplot (so that under ``%matplotlib widget`` its canvas is the
    interactive ipympl widget) but inside ``plt.ioff()``, so that the inline backend does not
    print a stray static copy at the end of the cell. The kit's style is applied locally, and
    linear axes get at most about five labelled ticks.
    """
    with FIGURE_LOCK, plt.ioff(), style.context():
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", **subplot_kw)
    # The layout is solved once and then frozen (see Explorer): leave room between panels for
    # tick labels that grow later ("0" -> "0.25"), so that they never reach the neighbour.
    fig.get_layout_engine().set(wspace=0.06, hspace=0.06)
    for ax in np.atleast_1d(axes).flat:
        # At most ~5 labelled ticks per linear axis: legible on a projector, and tick labels are
        # most of what a redraw renders. (Log axes set later get their own locators.)
        ax.locator_params(nbins=5)
    canvas = fig.canvas
    # The browser's own draw requests (ipympl) arrive on the widget thread: serialise them too.
    canvas.draw = _serialised(canvas.draw)
    for attr, val in (("header_visible", False), ("footer_visible", False),
                      ("toolbar_position", "right"), ("resizable", False)):
        if hasattr(canvas, attr):
            setattr(canvas, attr, val)
    return fig, axes


def steady_limits(ax, lo: float, hi: float, *, which: str = "y", fill: float = 0.5,
                  headroom: float = 0.25, nice: bool = True) -> tuple[float, float]:
    """Show ``[lo, hi]`` on one axis of ``ax`` without the axis jumping on every slider tick.

    The current limits are kept while they contain ``[lo, hi]`` and the data still fill at
    least ``fill`` of them. Otherwise the limits become ``[lo, hi]`` rounded outward to a
    multiple of a 1-2-2.5-5 tick step, so the axis ends on labelled ticks (``nice=False``:
    ``[lo, hi]`` as given, for data padded by the caller). When the data
    outgrow limits that this function set, the side they left is pushed out by ``headroom``
    times the data's span as well, so that a slider dragged on does not move the axis again
    at the next step. Steady axes let the eye follow the curve rather than the tick labels,
    and a frame whose axes did not change is redrawn from the cached background (see
    :mod:`kitlib.blit`).

    Returns the limits in force, ``(low, high)``.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> fig, ax = new_figure()
    >>> steady_limits(ax, 0.0, 0.43)
    (0.0, 0.5)
    >>> steady_limits(ax, 0.0, 0.30)   # still fills 60 %: unchanged
    (0.0, 0.5)
    >>> steady_limits(ax, 0.0, 0.61)   # outgrew them: room up to 0.61 + 0.25 × 0.61
    (0.0, 0.8)
    >>> steady_limits(ax, 0.0, 0.85)   # again: room up to 1.06, not just 0.85
    (0.0, 1.25)
    >>> steady_limits(ax, -0.1, 2.1, nice=False)
    (-0.1, 2.1)
    """
    if which not in ("x", "y"):
        raise ValueError(f"which must be 'x' or 'y'; got {which!r}")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"lo and hi must be finite; got lo={lo!r}, hi={hi!r}")
    if not 0.0 < fill <= 1.0:
        raise ValueError(f"fill must lie in (0, 1]; got {fill!r}")
    if not 0.0 <= headroom <= 1.0:
        raise ValueError(f"headroom must lie in [0, 1]; got {headroom!r}")
    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
    lo, hi = locator.nonsingular(float(lo), float(hi))  # widens an empty range
    get, put = (ax.get_ylim, ax.set_ylim) if which == "y" else (ax.get_xlim, ax.set_xlim)
    cur_lo, cur_hi = sorted(get())
    if cur_lo <= lo and hi <= cur_hi and hi - lo >= fill * (cur_hi - cur_lo):
        return float(cur_lo), float(cur_hi)
    set_before = _STEADY.get(ax, {}).get(which) == (cur_lo, cur_hi)
    if set_before:  # a slider is pushing the data out: leave room for its next steps
        span = hi - lo
        lo, hi = (lo - headroom * span if lo < cur_lo else lo,
                  hi + headroom * span if hi > cur_hi else hi)
    if nice:
        ticks = locator.tick_values(lo, hi)
        step = float(ticks[1] - ticks[0])
        new_lo = step * np.floor(lo / step + 1e-9)
        new_hi = step * np.ceil(hi / step - 1e-9)
        new_lo, new_hi = float(np.round(new_lo, 12)), float(np.round(new_hi, 12))
    else:
        new_lo, new_hi = float(lo), float(hi)
    put(new_lo, new_hi)
    _STEADY.setdefault(ax, {})[which] = (new_lo, new_hi)
    return new_lo, new_hi


#: The limits each axis last got from :func:`steady_limits` (to tell them from limits set
#: by other code, which are not pushed out with headroom).
_STEADY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# -- static image (what a notebook shows without a kernel) -------------------------------------
#: Resolution of an explorer's static image. 100 dpi is the figure's own size in CSS pixels
#: (an 8 x 4 in figure gives 800 x 400 px), sharp on an ordinary screen and on a projector.
STATIC_DPI = 100
#: Colours kept in the static image: Agg's anti-aliased lines on a white figure need a few
#: hundred; 256 (an 8-bit palette) keeps them visually identical and makes the PNG about
#: three times smaller than 24-bit RGB.
_STATIC_COLOURS = 256


def static_png(fig: Figure, *, dpi: float = STATIC_DPI) -> tuple[bytes, tuple[int, int]]:
    """The figure as a compressed PNG, rendered on a detached Agg canvas.

    The live canvas (ipympl's widget, the blit cache of :class:`kitlib.blit.FrameRenderer`)
    is left untouched: the figure is drawn once on a private ``FigureCanvasAgg`` and its
    canvas put back. The pixels are reduced to an adaptive 256-colour palette without
    dithering (deterministic: the same figure gives the same bytes) and saved with zlib level 6.
    The palette is a fast octree: about 15 ms for an explorer's figure against ~110 ms for a
    median cut with zlib's best compression, and 20 % smaller; on four of the kit's explorers
    every pixel stayed within 14–36 levels (of 255) of the render, 1.3 on average.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (any backend).
    dpi : float, optional
        Resolution, in (0, 300]. Default :data:`STATIC_DPI`.

    Returns
    -------
    png : bytes
        The PNG file.
    size : (int, int)
        The figure's size in CSS pixels (inches x 100), for the display metadata.
    """
    if not (isinstance(dpi, (int, float)) and 0 < dpi <= 300):
        raise ValueError(f"dpi must lie in (0, 300]; got {dpi!r}")
    with FIGURE_LOCK:
        live = fig.canvas
        original_dpi = getattr(fig, "_original_dpi", None)
        try:
            canvas = FigureCanvasAgg(fig)  # attaches itself to fig
            with contextlib.ExitStack() as stack:
                if fig.dpi != dpi:
                    stack.enter_context(_temporary_dpi(fig, dpi))
                canvas.draw()
                rgba = np.asarray(canvas.buffer_rgba()).copy()
        finally:
            fig.set_canvas(live)
            if original_dpi is not None:
                fig._original_dpi = original_dpi
    return encode_static(rgba), css_size(fig)


def css_size(fig: Figure) -> tuple[int, int]:
    """The figure's size in CSS pixels (inches x 100)."""
    width, height = (int(round(v * 100)) for v in fig.get_size_inches())
    return width, height


def encode_static(rgba: np.ndarray) -> bytes:
    """RGBA pixels -> a PNG with an adaptive 256-colour palette, no dithering (deterministic)."""
    from PIL import Image

    image = Image.fromarray(rgba, "RGBA").convert("RGB")
    image = image.quantize(colors=_STATIC_COLOURS, method=Image.Quantize.FASTOCTREE,
                           dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


@contextlib.contextmanager
def _temporary_dpi(fig: Figure, dpi: float):
    """Set ``fig.dpi`` without resizing any window (the detached canvas has no manager)."""
    old = fig.dpi
    fig._set_dpi(dpi, forward=False)
    try:
        yield
    finally:
        fig._set_dpi(old, forward=False)


# -- inspection helpers (tests, benchmarks, the browser suite) ---------------------------------
def figure_pixels(fig: Figure) -> np.ndarray:
    """Render ``fig`` with Agg and return its RGBA pixels (a copy)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig) if not hasattr(fig.canvas, "buffer_rgba") else fig.canvas
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def drawn_data(fig: Figure) -> list[tuple[str, np.ndarray]]:
    """Every numeric array the figure's visible artists draw, each with a label saying which
    artist it comes from: line data; collection offsets, colour arrays, segments (line
    collections), polygon vertices (fills, bars drawn as collections) and mesh coordinates;
    image arrays and extents (masked cells count as blank: imshow masks NaN cells, which
    draw transparent, as a density's empty region does); patch outlines in data space
    (bars: the rectangle's position, width and height); text and annotation anchors; axis
    limits; and the figure-level lines, patches and texts."""
    from matplotlib.collections import PathCollection, QuadMesh
    from matplotlib.text import Annotation

    out: list[tuple[str, np.ndarray]] = []

    def add(label, values):
        out.append((label, np.asarray(values, dtype=float)))

    def patches(tag, items):
        for k, patch in enumerate(items):
            if patch.get_visible():
                verts = patch.get_patch_transform().transform(patch.get_path().vertices)
                add(f"{tag} {type(patch).__name__} {k}", verts)

    def texts(tag, items):
        for t in items:
            if t.get_visible() and t.get_text():
                add(f"{tag} text {t.get_text()!r} position", t.get_position())
                if isinstance(t, Annotation):
                    add(f"{tag} annotation {t.get_text()!r} xy", t.xy)

    for i, ax in enumerate(fig.axes):
        tag = f"axes {i}" + (f" ({ax.get_title()!r})" if ax.get_title() else "")
        for line in ax.get_lines():
            if line.get_visible():
                add(f"{tag} line {line.get_label()!r}", line.get_xydata())
        for coll in ax.collections:
            if not coll.get_visible():
                continue
            name = f"{tag} {type(coll).__name__} {coll.get_label()!r}"
            add(f"{name} offsets", coll.get_offsets())
            arr = coll.get_array() if hasattr(coll, "get_array") else None
            if arr is not None:
                add(f"{name} colour array", np.ma.filled(np.ma.asarray(arr, dtype=float), 0.0))
            if isinstance(coll, QuadMesh):
                add(f"{name} coordinates", coll.get_coordinates())
            elif not isinstance(coll, PathCollection):  # scatter paths are marker shapes
                # (line segments are read from the paths: get_segments() drops NaN vertices)
                for path in coll.get_paths():
                    add(f"{name} path", path.vertices)
        for im in ax.get_images():
            if im.get_visible():
                add(f"{tag} image", np.ma.filled(np.ma.asarray(im.get_array(), dtype=float), 0.0))
                add(f"{tag} image extent", im.get_extent())
        patches(tag, ax.patches)
        texts(tag, ax.texts)
        add(f"{tag} limits", [*ax.get_xlim(), *ax.get_ylim()])
    for line in fig.lines:
        if line.get_visible():
            add(f"figure line {line.get_label()!r}", line.get_xydata())
    patches("figure", fig.patches)
    texts("figure", fig.texts)
    return out


def drawn_arrays(fig: Figure) -> list[np.ndarray]:
    """The arrays of :func:`drawn_data` without their labels. Used to assert that no NaN
    reaches the screen."""
    return [arr for _, arr in drawn_data(fig)]


_NON_FINITE_WORD = re.compile(r"(?<![A-Za-z\\])(nan|inf)(?![A-Za-z])", re.IGNORECASE)


def non_finite_drawn(fig: Figure) -> list[str]:
    """What the figure shows that is not a finite number: labels of drawn arrays holding NaN or
    ±inf (see :func:`drawn_data`) and visible texts showing "nan" or "inf" as a number
    ("KL = nan", "inf%", "(nan, 1)"). Empty when the picture is clean."""
    bad = [label for label, arr in drawn_data(fig) if not np.isfinite(arr).all()]
    bad += [f"text {t!r}" for t in drawn_texts(fig) if _NON_FINITE_WORD.search(t)]
    return bad


def drawn_texts(fig: Figure) -> list[str]:
    """The strings of every visible text artist (axes texts, titles, labels, legends)."""
    texts = [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text")
                                                and hasattr(a, "get_visible"))
             if t.get_visible()]
    return [t for t in texts if t]
