"""The Explorer: sliders wired to one figure that is built once and only updated.

An explorer is three things a view factory supplies:

* ``controls`` — a dict ``name -> ipywidget`` (sliders, dropdowns, checkboxes);
* ``compute(params) -> data`` — the maths for the current control values, usually one or two
  calls into a numerics module (``kitlib.divergences``, ...); it never touches the figure;
* ``draw(data)`` — updates artists that already exist (``set_data``, ``set_offsets``,
  ``set_text``, image ``set_data``) and nothing else.

The :class:`Explorer` wires them together: every change of a control runs ``compute`` then
``draw``, then renders the new frame: only the artists that changed are drawn over a cached
background (:class:`kitlib.blit.FrameRenderer`), and with ipympl the frame goes to the browser
at once. It records how long the last update took (compute, draw and render), and when a
callback raises, it shows the error as one readable line in a message area instead of a
traceback; the explorer stays usable and the next valid update clears it.

**The latest value wins.** A slider dragged in JupyterLab sends its values one at a time
(ipywidgets' front end holds the latest until the kernel has handled the previous message),
so an update made inside the message handler already skips stale values. With
``Explorer.coalesce = True`` (off by default, see there), a change that comes from the front
end inside a running kernel only marks the explorer dirty and schedules one update on the event loop of the thread that received it (ipykernel 7
runs widget messages on a subshell's loop); the update waits until no further change has
arrived for :data:`SETTLE_SECONDS`, so the messages already queued are applied first and only
the last state is computed (never later than :data:`MAX_DEFER_SECONDS` after the first
waiting change). Changes made by code (``Explorer.set``, a cell assigning ``.value``, tests
and scripts without an event loop) update synchronously, as before. ``n_requests`` counts the
changes received, ``n_updates`` the updates computed, ``frame_params`` the control values of
the frame on screen, and ``stage_log`` the cost of each update, stage by stage.

**No collector pauses in a drag.** Once an explorer is built in a live front end,
:func:`freeze_heap` collects the garbage and freezes what survives (:func:`gc.freeze`), so
Python's full garbage collections, which otherwise scan every object of the session and took
190-290 ms here, no longer land inside slider updates.

**Readouts as text.** Every text artist whose gid starts with ``"readout"`` is mirrored, in
drawing order, into a ``<pre aria-live="polite">`` under the figure after each update, so a
screen reader announces the numbers and a student can copy them.

Two front ends are supported. With the ipympl backend (``%matplotlib widget``) the live canvas
widget is embedded next to the controls. With any other backend (inline, Colab, a static
renderer) the figure is re-rendered into an ``ipywidgets.Output`` after each update.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np, ipywidgets as W
>>> from kitlib.explore import Explorer
>>> from kitlib.figures import new_figure
>>> fig, ax = new_figure()
>>> (line,) = ax.plot([], [])
>>> def compute(p):
...     x = np.linspace(0, 1, 5)
...     return x, p["k"] * x
>>> def draw(data):
...     line.set_data(*data)
>>> ex = Explorer({"k": W.FloatSlider(value=1.0, min=0.0, max=2.0)}, compute, draw, fig=fig)
>>> ex.set(k=2.0).params["k"]
2.0
>>> float(line.get_ydata()[-1])
2.0
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import gc
import html
import re
import time
import weakref
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Text

from kitlib import style
from kitlib.blit import FrameRenderer, _browser_listens
from kitlib.figures import FIGURE_LOCK, STATIC_DPI, css_size, encode_static, static_png

__all__ = [
    "Explorer",
    "readout_texts",
    "live_explorers",
    "freeze_heap",
    "SETTLE_SECONDS",
    "MAX_DEFER_SECONDS",
]

#: A deferred update runs once no control change has arrived for this long (seconds). Value
#: messages queued while the kernel was busy are handled back to back, well within it; a single
#: key press waits this long more than a synchronous update would.
SETTLE_SECONDS = 0.003
#: During a drag (changes less than DRAG_GAP_SECONDS apart) the update waits longer: the
#: browser holds the slider's latest value until the kernel has acknowledged the previous
#: message (ipywidgets sends one at a time), and that value arrives one round trip after the
#: acknowledgement. Waiting for it avoids computing a stale value just before the last one.
DRAG_SETTLE_SECONDS = 0.03
DRAG_GAP_SECONDS = 0.15
#: ... but never later than this after the first change it serves (a pointer drag sending
#: values faster than SETTLE_SECONDS still shows frames while it goes on).
MAX_DEFER_SECONDS = 0.1
#: How many updates ``Explorer.stage_log`` keeps.
STAGE_LOG_LENGTH = 512
#: :func:`freeze_heap` lets go of everything it froze (and collects it again) once the frozen
#: objects have grown by this factor since the last full collection, so that explorers a
#: student rebuilt by re-running cells are reclaimed instead of kept for the whole session.
FULL_COLLECTION_GROWTH = 1.5

_LIVE: list = []  # weak references to the explorers built in this process, oldest first


_FROZEN_AFTER_FULL = 0  # gc.get_freeze_count() right after freeze_heap's last full collection


def freeze_heap() -> dict:
    """Collect the garbage there is now, then take every surviving object out of the cyclic
    garbage collector's future passes (:func:`gc.freeze`); return what it did.

    Python's collector stops the kernel to scan *all* tracked objects on each full
    (generation-2) collection. In a notebook's kernel that is 170 000-360 000 objects (NumPy,
    matplotlib, PyTorch, the tables): 190-290 ms measured here, and one such pass lands inside
    a slider update every few dozen drags, a visible stall. The objects alive once an explorer
    is built (modules, tables, figures) live for the whole session, so freezing them costs
    nothing and leaves later passes only the objects made since.

    The first call collects everything (one such pause, while the cell that built the first
    explorer still runs); later calls collect only the objects made since the previous one.
    Frozen objects that become garbage in reference cycles (an explorer a re-run cell
    replaced) are not reclaimed until the next full collection: that happens once the frozen
    count has grown by :data:`FULL_COLLECTION_GROWTH` since the last one, which bounds what is
    kept. Objects freed by reference counting (most of them) are freed as usual.

    Called once per explorer built in a live ipympl front end; tests and scripts never
    freeze anything unless they call this. Returns ``{"full": bool, "collected": int,
    "frozen": int, "seconds": float}``.
    """
    global _FROZEN_AFTER_FULL
    t0 = time.perf_counter()
    frozen = gc.get_freeze_count()
    full = frozen == 0 or frozen > FULL_COLLECTION_GROWTH * _FROZEN_AFTER_FULL
    if full:
        gc.unfreeze()
    collected = gc.collect()
    gc.freeze()
    if full:
        _FROZEN_AFTER_FULL = gc.get_freeze_count()
    return {"full": full, "collected": collected, "frozen": gc.get_freeze_count(),
            "seconds": time.perf_counter() - t0}


def live_explorers() -> list:
    """The explorers built in this process that still exist, oldest first (the browser tests
    and benchmarks read their counters and stage logs from inside the kernel)."""
    alive = [r() for r in _LIVE]
    _LIVE[:] = [r for r, ex in zip(list(_LIVE), alive) if ex is not None]
    return [ex for ex in alive if ex is not None]

def _is_widget_canvas(fig: Figure) -> bool:
    return isinstance(fig.canvas, widgets.DOMWidget)


def _in_ipython() -> bool:
    from IPython import get_ipython

    return get_ipython() is not None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "(no message)"
    return f"{type(exc).__name__}: {text}"


def _from_front_end(change) -> bool:
    """True when a trait change comes from a front end's message: ipywidgets holds the
    property lock of the synced names while it applies a browser's state (a dropdown syncs
    ``index``, and its ``value`` follows)."""
    owner = change.get("owner") if isinstance(change, Mapping) else None
    return bool(getattr(owner, "_property_lock", None))


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _drawing_order(fig: Figure) -> list:
    """The figure's top-level artists in the order a render draws them: axes by zorder (each
    followed by its children by zorder), then the figure's own artists by zorder."""
    out = []
    axes = sorted((ax for ax in fig.axes if ax.get_visible()), key=lambda a: a.zorder)
    for owner in [*axes, fig]:
        kids = [a for a in owner.get_children() if not (owner is fig and a in fig.axes)]
        out += sorted(kids, key=lambda a: a.zorder)
    return out


def _readout_candidates(fig: Figure) -> list[Text]:
    """Text artists whose gid starts with "readout", in drawing order (axis tick labels are
    never readouts and are not searched)."""
    from matplotlib.axis import Axis

    found: list[Text] = []

    def walk(artist):
        if isinstance(artist, Axis):
            return
        if isinstance(artist, Text):
            gid = artist.get_gid()
            if isinstance(gid, str) and gid.startswith("readout"):
                found.append(artist)
        for child in artist.get_children():
            walk(child)

    for artist in _drawing_order(fig):
        walk(artist)
    return found


def readout_texts(fig: Figure) -> list[Text]:
    """The visible, non-empty text artists of ``fig`` whose gid starts with ``"readout"``, in
    the order a render draws them (axes by zorder, then the figure's own artists; within each,
    by zorder)."""
    return [t for t in _readout_candidates(fig) if t.get_visible() and t.get_text()]


class Explorer:
    """Controls plus one figure, updated in place on every change.

    Parameters
    ----------
    controls : dict of str -> ipywidgets.ValueWidget
        The explorer's controls, keyed by the parameter name that ``compute`` receives.
    compute : callable ``params -> data``
        Pure computation from the current parameter values (a dict) to whatever ``draw`` needs.
    draw : callable ``data -> None``
        Updates existing artists of ``fig``. Must not create new axes or clear them.
    fig : matplotlib.figure.Figure
        The figure, created once (see :func:`new_figure`).
    title : str, optional
        A short heading shown above the controls.
    note : str, optional
        One line of guidance shown under the controls ("what to look for").

    Attributes
    ----------
    controls : dict
        Name -> widget (public contract: tests and the browser suite drive these).
    fig : Figure
    last_update_seconds : float
        Wall time of the last ``compute`` + ``draw`` + render (not the browser's repaint).
    last_error : str or None
        The one-line message of the last failed update, ``None`` after a successful one.
    widget : ipywidgets.VBox
        The assembled user interface; displaying the explorer displays this.
    """

    def __init__(self, controls: Mapping[str, widgets.ValueWidget],
                 compute: Callable[[dict], Any], draw: Callable[[Any], None], *,
                 fig: Figure, title: str | None = None, note: str | None = None):
        if not controls:
            raise ValueError("controls must name at least one widget; got an empty mapping")
        self.controls: dict[str, widgets.ValueWidget] = dict(controls)
        self.fig = fig
        self._compute = compute
        self._draw = draw
        self._defaults = {k: w.value for k, w in self.controls.items()}
        self.last_update_seconds: float = float("nan")
        self.last_error: str | None = None
        self.n_updates = 0
        self.n_requests = 0
        self.frame_params: dict | None = None
        self.stage_log: deque = deque(maxlen=STAGE_LOG_LENGTH)
        self._muted = False
        self._frames: FrameRenderer | None = None
        self._flush_handle = None
        self._waiting_since: float | None = None  # time.time() of the first unserved change
        self._last_arrival = -1e9  # time.monotonic() of the last change
        self._dragging = False  # the last two changes came less than DRAG_GAP_SECONDS apart
        self._served = 0  # n_requests when the last update started
        self._readout_cache: tuple | None = None
        self._readout_search: tuple | None = None

        self.message = widgets.HTML(value="", layout={"min_height": "1.6em"})
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Put every control back to its starting value",
                                           layout={"width": "90px"})
        self.reset_button.on_click(lambda _b: self.reset())
        self.timing = widgets.HTML(value="")

        if _is_widget_canvas(fig):
            self._output = None
            view = fig.canvas
        else:
            self._output = widgets.Output()
            view = self._output

        header = [widgets.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        control_box = widgets.VBox(list(self.controls.values()))
        footer = [widgets.HTML(f"<i>{html.escape(note)}</i>")] if note else []
        self.readout = widgets.HTML(value="", layout={"display": "none"})
        self.readout.add_class("kit-readout")
        self.widget = widgets.VBox(
            header + [widgets.HBox([control_box, widgets.VBox([self.reset_button, self.timing])])]
            + footer + [self.message, view, self.readout]
        )
        self.widget.add_class("kit-explorer")
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        if self._output is None and isinstance(fig.canvas, FigureCanvasAgg):
            # The front end's own draw requests (when it connects, after a resize or a new
            # device pixel ratio) go through the frame renderer: the frame they send also
            # renders the background the next slider move blits onto.
            fig.canvas.draw = functools.partial(self._canvas_draw, fig.canvas.draw)
        _LIVE.append(weakref.ref(self))
        if not Explorer._defer_first_update:
            self.update()
        if self._output is None and _in_ipython():  # a live ipympl canvas in a kernel
            freeze_heap()

    _defer_first_update = False
    #: Defer and merge front-end changes (see the module docstring). Off by default: in
    #: JupyterLab, ipywidgets' front end already sends a slider's values one at a time (it holds
    #: the latest until the kernel has handled the previous message), so updating inside the
    #: message handler already drops stale values. Measured back to back on notebook 01
    #: (benchmarks/browser_latency.py, with and without ``--sync``), deferring gave the same
    #: first-touch and warm latencies but slower drags (final frame p50 302-335 ms against
    #: 184-218 ms): an early acknowledgement lets the browser send intermediate values that
    #: are then computed. Turn it on for front ends that do not throttle their messages.
    coalesce = False

    @classmethod
    @contextlib.contextmanager
    def deferred(cls):
        """Build explorers without their first update (benchmarks use this to time a rebuild
        at a chosen value, as ``ipywidgets.interact`` would do, with exactly one compute)."""
        cls._defer_first_update = True
        try:
            yield
        finally:
            cls._defer_first_update = False

    def _freeze_layout(self, *, laid_out: bool) -> None:
        """Keep the axes where the constrained layout put them on the first frame.

        Re-solving the layout on every redraw costs about as much as rendering the figure
        itself; after the first update the axes positions are fixed (tick labels that grow
        later have the layout's padding to grow into). An Agg render of the figure (the first
        frame) runs the layout itself (``laid_out``); otherwise it runs here, in a draw pass
        without rendering.
        """
        if not laid_out:
            self.fig.draw_without_rendering()
        self.fig.set_layout_engine("none")

    def _layout_pending(self) -> bool:
        engine = self.fig.get_layout_engine()
        return engine is not None and not isinstance(engine, PlaceHolderLayoutEngine)

    # -- public API --------------------------------------------------------------------------
    @property
    def params(self) -> dict:
        """Current control values, keyed by control name."""
        return {k: w.value for k, w in self.controls.items()}

    def set(self, **params) -> Explorer:
        """Set several controls at once (one update) and return the explorer.

        Raises ``ValueError`` for an unknown name, a value outside the control's range or
        options, ``True``/``False`` on a numeric slider, or a fraction on an integer slider: a
        widget would otherwise clip, cast (True -> 1.0) or truncate (2.7 -> 2) it silently.
        """
        for name, value in params.items():
            if name not in self.controls:
                raise ValueError(f"unknown control {name!r}; this explorer has {sorted(self.controls)}")
            params[name] = _check_allowed(name, self.controls[name], value)
        with FIGURE_LOCK:
            self._muted = True
            try:
                for name, value in params.items():
                    self.controls[name].value = value
            finally:
                self._muted = False
            self.update()
        return self

    def reset(self) -> Explorer:
        """Put every control back to the value it had when the explorer was built."""
        return self.set(**self._defaults)

    @property
    def pending(self) -> bool:
        """True while a deferred update is scheduled and has not run yet."""
        return self._flush_handle is not None

    def update(self) -> bool:
        """Recompute and redraw for the current control values; return True on success.

        An exception from ``compute``, ``draw`` or rendering is caught, shown as one line in
        the message area and kept in ``last_error``; the previous picture stays on screen.
        A deferred update still waiting (see :meth:`_on_change`) is served by this one.
        """
        with FIGURE_LOCK:
            self._cancel_flush()
            return self._update()

    def _update(self) -> bool:
        t_start = time.time()
        t0 = time.perf_counter()
        served, self._served = self.n_requests - self._served, self.n_requests
        waiting_since, self._waiting_since = self._waiting_since, None
        params = self.params
        try:
            data = self._compute(params)
            t1 = time.perf_counter()
            self._draw(data)
            t2 = time.perf_counter()
            first_layout = self._layout_pending()
            self._show(data)
            if first_layout:  # after the first successful update only
                self._freeze_layout(laid_out=self._frames is not None and self._frames.full_renders > 0)
        except Exception as exc:  # shown to the user, never a traceback inside the widget
            self.last_error = _one_line(exc)
            self.message.value = (f"<span style='color:{style.ERROR_COLOR}'>"
                                  f"&#9888; {html.escape(self.last_error)}</span>")
            return False
        t3 = time.perf_counter()
        self.last_update_seconds = t3 - t0
        self.last_error = None
        self.message.value = ""
        self.n_updates += 1
        self.frame_params = params
        self.timing.value = f"<small>update {1e3 * self.last_update_seconds:.0f} ms</small>"
        try:
            self._mirror_readouts()
        except Exception as exc:  # the text mirror never breaks an update
            self.readout.value = f"<pre>{html.escape(_one_line(exc))}</pre>"
        frame = self._frames.last_stages if self._frames is not None else {}
        self.stage_log.append({
            "params": params, "requests": served,
            "t_request": waiting_since if waiting_since is not None else t_start,
            "t_start": t_start, "t_sent": t_start + (t3 - t0),
            "compute_ms": 1e3 * (t1 - t0), "draw_ms": 1e3 * (t2 - t1),
            "render_ms": 1e3 * frame.get("render_s", t3 - t2) if frame else 1e3 * (t3 - t2),
            "encode_ms": 1e3 * frame.get("encode_s", 0.0), "send_ms": 1e3 * frame.get("send_s", 0.0),
            "bytes": int(frame.get("bytes", 0)), "full": bool(frame.get("full", True)),
            "total_ms": 1e3 * (t3 - t0),
        })
        return True

    # -- coalesced updates -------------------------------------------------------------------
    def _on_change(self, change) -> None:
        if self._muted:
            return
        self.n_requests += 1
        loop = _running_loop() if Explorer.coalesce and _from_front_end(change) else None
        if loop is None:  # code, tests, scripts: update now
            self.update()
            return
        now = time.monotonic()
        self._dragging = now - self._last_arrival < DRAG_GAP_SECONDS
        self._last_arrival = now
        if self._waiting_since is None:
            self._waiting_since = time.time()
        if self._flush_handle is None:
            self._flush_handle = loop.call_later(self._settle_seconds(), self._flush)

    def _flush(self) -> None:
        """The scheduled update: wait while changes keep arriving, then compute the last one."""
        self._flush_handle = None
        quiet = time.monotonic() - self._last_arrival
        waited = time.time() - (self._waiting_since or time.time())
        settle = self._settle_seconds()
        if quiet < settle and waited < MAX_DEFER_SECONDS:
            loop = _running_loop()
            if loop is not None:
                self._flush_handle = loop.call_later(settle - quiet, self._flush)
                return
        try:
            self.update()
        except Exception as exc:  # update() catches its own; this guards the event loop
            self.last_error = _one_line(exc)
            self.message.value = (f"<span style='color:{style.ERROR_COLOR}'>"
                                  f"&#9888; {html.escape(self.last_error)}</span>")

    def _settle_seconds(self) -> float:
        return DRAG_SETTLE_SECONDS if self._dragging else SETTLE_SECONDS

    def _cancel_flush(self) -> None:
        handle, self._flush_handle = self._flush_handle, None
        if handle is None:
            return
        loop = getattr(handle, "_loop", None)
        if loop is None or loop is _running_loop() or not hasattr(loop, "call_soon_threadsafe"):
            handle.cancel()
        else:  # scheduled on another thread's loop (a cell updating while a widget waits)
            loop.call_soon_threadsafe(handle.cancel)

    # -- text mirror of the readouts -----------------------------------------------------------
    def _mirror_readouts(self) -> None:
        """Copy the readout texts into ``self.readout`` (only when they changed)."""
        # The search runs again only when the figure's top-level artists change.
        signature = tuple(map(id, _drawing_order(self.fig)))
        if self._readout_search is None or self._readout_search[0] != signature:
            self._readout_search = (signature, _readout_candidates(self.fig))
        text = "\n".join(t.get_text() for t in self._readout_search[1]
                         if t.get_visible() and t.get_text())
        if self._readout_cache == (text,):
            return
        self._readout_cache = (text,)
        if text:
            self.readout.value = f'<pre aria-live="polite">{html.escape(text)}</pre>'
            self.readout.layout.display = None
        else:
            self.readout.value = ""
            self.readout.layout.display = "none"

    def save(self, path, **kwargs):
        """Export the current figure for slides (PNG, SVG or PDF by the file's suffix)."""
        with FIGURE_LOCK:
            return style.save_figure(self.fig, path, **kwargs)

    # -- display -----------------------------------------------------------------------------
    def _canvas_draw(self, original) -> None:
        """A web canvas's ``draw()``: through the frame renderer once a browser listens."""
        with FIGURE_LOCK:
            frames = self._frames
            if frames is not None and _browser_listens(self.fig.canvas):
                frames.render()
            else:
                original()

    def _show(self, data=None) -> None:
        if self._output is not None and _in_ipython():
            # Inline / static front ends: the displayed PNG is the render (no canvas to blit).
            from IPython.display import display

            with self._output:
                self._output.clear_output(wait=True)
                display(self.fig)
            return
        # ipympl (the new frame goes to the browser at once) or plain Agg (tests, benchmarks).
        if not isinstance(self.fig.canvas, FigureCanvasAgg):
            self.fig.canvas.draw_idle()
            return
        if self._frames is None:
            self._frames = FrameRenderer(self.fig)
            # Learn what the view's draw changes now, so that the first frame's background
            # leaves it out and the first slider move is an ordinary blit.
            self._frames.prime(lambda: self._draw(data))
        self._frames.render()

    def _repr_mimebundle_(self, include=None, exclude=None):
        """One output bundle: the live widget, a static PNG of the figure, and a text line.

        A live front end (JupyterLab, Voila) renders the widget view: its renderer has the
        highest rank there (-10) and the kernel's own outputs are trusted. Everything else
        (nbconvert HTML or PDF, GitHub, nbviewer, an untrusted notebook opened without a kernel,
        whose front end only uses "safe" renderers) shows ``image/png``: the figure as it is
        when displayed, i.e. at its default values in the notebooks. See :func:`static_png`.
        """
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/plain"] = repr(self)
        try:
            png, (width, height) = self._static_png()
        except Exception:  # never a traceback at display time: the widget alone still works
            return bundle
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
        # The PNG is rendered at STATIC_DPI; show it at the figure's size in CSS pixels. "alt"
        # is not read by Jupyter front ends; the kit's site and slides use it as the image's
        # alternative text.
        meta = {"width": width, "height": height, "alt": self._alt_text()}
        return bundle, {"image/png": meta}

    def _static_png(self) -> tuple[bytes, tuple[int, int]]:
        """:func:`static_png` of the figure, from the frame already on the canvas when it is
        whole and current (the last update succeeded, nothing changed since, same dpi): that
        saves a second full render of every explorer when a notebook runs."""
        with FIGURE_LOCK:
            current = (self._frames is not None and self.last_error is None
                       and isinstance(self.fig.canvas, FigureCanvasAgg)
                       and self.fig.dpi == STATIC_DPI and not self.fig.stale
                       and self.fig.canvas.get_renderer() is not None)
            if current:
                rgba = np.asarray(self.fig.canvas.buffer_rgba()).copy()
        if not current:
            return static_png(self.fig)
        return encode_static(rgba), css_size(self.fig)

    def _alt_text(self) -> str:
        """The explorer's title (its first, bold line) as plain text, for the static image."""
        first = self.widget.children[0] if self.widget.children else None
        if isinstance(first, widgets.HTML) and first.value.startswith("<b>"):
            text = html.unescape(re.sub(r"<[^>]+>", "", first.value))
            return f"Explorer figure at its default values: {text}"
        return "Explorer figure at its default values"

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"<Explorer {values}>"


def _check_allowed(name: str, widget, value):
    """``value`` as the control ``name`` will hold it, or ``ValueError`` naming the control."""
    if isinstance(widget, widgets.FloatLogSlider):
        lo, hi = widget.base ** widget.min, widget.base ** widget.max
    elif hasattr(widget, "min") and hasattr(widget, "max"):
        lo, hi = widget.min, widget.max
    else:
        lo = hi = None
    if lo is not None:
        if isinstance(value, (bool, np.bool_)) or not isinstance(
                value, (int, float, np.integer, np.floating)) or not np.isfinite(value):
            raise ValueError(f"control {name!r} takes a finite number; got {value!r}")
        if isinstance(widget, widgets.IntSlider):
            if not float(value).is_integer():
                raise ValueError(f"control {name!r} takes an integer; got {value!r}")
            value = int(value)
        tol = 1e-9 * max(1.0, abs(hi - lo))
        if not (lo - tol <= value <= hi + tol):
            raise ValueError(f"control {name!r} must lie in [{lo:g}, {hi:g}]; got {value!r}")
    options = getattr(widget, "options", None)
    if options is not None and not isinstance(widget, (widgets.FloatSlider, widgets.IntSlider)):
        allowed = [o[1] if isinstance(o, tuple) else o for o in options]
        # True == 1 in Python: a boolean only matches an option that is itself a boolean
        if value not in allowed or (isinstance(value, (bool, np.bool_)) and not any(
                isinstance(a, (bool, np.bool_)) and a == value for a in allowed)):
            raise ValueError(f"control {name!r} must be one of {allowed}; got {value!r}")
    if isinstance(widget, widgets.Checkbox) and not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"control {name!r} takes True or False; got {value!r}")
    return value
