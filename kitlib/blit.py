"""Redraw only what a slider changed: a cached background plus the changed artists on top.

Most of the time an Agg render of an explorer's figure spends is on things a slider never
changes: tick labels, axis labels, spines, titles, fixed reference curves. :class:`FrameRenderer`
renders those once into a *background* and, on each update, restores that background and draws
only the artists that changed (matplotlib's blitting pattern, made automatic):

* **What changed** is read from matplotlib's own ``stale`` flags: ``set_data``, ``set_text``,
  ``set_visible``, image ``set_data`` ... mark an artist stale. A child of an axes (or of the
  figure) that was stale after the view's ``draw`` callback joins the *dynamic* set for good.
* **Draw order is kept.** Within an axes, artists are drawn in ``zorder``; every artist from the
  lowest dynamic one upwards is redrawn (a fixed legend above a moving curve too), so the
  blitted frame is the picture a full render gives. The ``Axis`` artists (ticks, tick labels,
  axis labels) always stay in the background: they lie outside the axes box, where no data
  artist is drawn (data are clipped to the box).
* **Fixed texts and legends are pasted, not laid out again.** One that must be redrawn over a
  moving curve is rendered once on a transparent layer (a *sprite*) and alpha-blended into
  each frame: the same blend a direct draw makes, up to a level or two of 8-bit rounding.
* **When to render everything again.** A new dynamic artist; new axis limits, scales, tick
  locators or formatters, or axis labels; a stale spine or axes patch; artists added or
  removed; an axes moved, shown or hidden; a new canvas size or dpi. Then the background is
  rendered again with the redrawn artists left out, and they are drawn on top.

The canvas keeps its ordinary behaviour: ``canvas.draw()``, ``savefig`` and the ipympl
front end's own draw requests still render the whole figure (nothing is left ``animated``
between frames). With ipympl, ``canvas.blit()`` sends the new frame to the browser at once,
without the draw-request round trip that ``draw_idle()`` makes.

Reference: matplotlib's "Faster rendering by using blitting" tutorial.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.spines import Spine
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["FrameRenderer"]


def _changed(artist: Artist) -> bool:
    """True when ``artist`` or anything inside it (legend texts, handles) is stale."""
    if artist.stale:
        return True
    return any(_changed(child) for child in artist.get_children())


def _mark_clean(artist: Artist) -> None:
    artist.stale = False  # setting False never propagates to the parent
    for child in artist.get_children():
        _mark_clean(child)


def _browser_listens(canvas) -> bool:
    """False for a web canvas that no browser has connected to yet (no manager, or an ipympl
    canvas whose front end has not said "initialized"). Frames pushed then go nowhere, and
    ipympl 0.10 would keep them as a data URL without its "data:image/png;base64," prefix,
    which breaks the widget when it is displayed. The front end asks for a full frame itself
    when it connects."""
    if not isinstance(canvas, FigureCanvasWebAggCore):
        return True
    return canvas.manager is not None and not getattr(canvas, "syncing_data_url", False)


def _is_decoration(artist: Artist, owner) -> bool:
    """Artists that always belong to the background (their changes force a full render)."""
    return isinstance(artist, Spine) or artist is owner.patch


def _floats_with_layout(legend: Legend) -> bool:
    # loc="best" places the legend by the data under it: it moves whenever the data move.
    return getattr(legend, "_loc", None) == 0


def _extent(artist: Artist, renderer) -> Bbox:
    """Where ``artist`` paints, in display pixels (a text's box included)."""
    boxes = [artist.get_window_extent(renderer)]
    patch = artist.get_bbox_patch() if isinstance(artist, Text) else None
    if patch is not None:
        boxes.append(patch.get_window_extent(renderer))
    return Bbox.union(boxes)


#: Artists that are costly to draw (glyph layout and rasterisation) but cheap to paste.
_SPRITE_TYPES = (Text, Legend)


class _Sprite:
    """An artist pre-rendered on a transparent layer, pasted with alpha blending.

    Pasting ``src`` with coverage ``a`` over ``dst`` gives ``a*src + (1-a)*dst``, the same
    blend a direct draw makes, up to 8-bit rounding (at most a level or two per channel).
    """

    _PAD = 2  # pixels of anti-aliasing around the artist's extent

    def __init__(self, x0: int, y0: int, rgba: np.ndarray | None, extent: tuple):
        self.x0, self.y0, self.rgba, self.extent = x0, y0, rgba, extent

    @classmethod
    def cut(cls, renderer: RendererAgg, extent) -> _Sprite:
        height, width = int(renderer.height), int(renderer.width)
        x0 = max(int(np.floor(extent.x0)) - cls._PAD, 0)
        x1 = min(int(np.ceil(extent.x1)) + cls._PAD, width)
        y0 = max(int(np.floor(extent.y0)) - cls._PAD, 0)
        y1 = min(int(np.ceil(extent.y1)) + cls._PAD, height)
        buf = np.asarray(renderer.buffer_rgba())
        # Buffer rows run top to bottom; draw_image takes the bottom row first.
        rgba = buf[height - y1:height - y0, x0:x1][::-1].copy() if x1 > x0 and y1 > y0 else None
        return cls(x0, y0, rgba, extent.bounds)

    def paste(self, renderer: RendererAgg) -> None:
        if self.rgba is None:  # nothing of the artist is on the canvas
            return
        gc = renderer.new_gc()
        try:
            renderer.draw_image(gc, self.x0, self.y0, self.rgba)
        finally:
            gc.restore()


class FrameRenderer:
    """Render a figure's frames into its Agg canvas, redrawing only the changed artists.

    Parameters
    ----------
    fig : Figure
        A figure whose canvas is Agg-based (Agg itself, ipympl, webagg).

    Notes
    -----
    Call :meth:`render` after the artists were updated; the canvas buffer then holds the new
    frame and ``canvas.blit`` has been called (a no-op for plain Agg; ipympl sends the frame).
    ``full_renders`` and ``blits`` count the two kinds of frames (benchmarks and tests read
    them).
    """

    def __init__(self, fig: Figure):
        if not isinstance(fig.canvas, FigureCanvasAgg):
            raise ValueError(f"fig.canvas must be Agg-based to blit; got {type(fig.canvas).__name__}")
        self.fig = fig
        self.dynamic: set[Artist] = set()
        self.full_renders = 0
        self.blits = 0
        self._background = None
        self._sprites: dict = {}
        self._scratch: RendererAgg | None = None
        self._key = None

    # -- what the frame depends on -------------------------------------------------------------
    def _layers(self) -> list[tuple]:
        """``(owner, children)`` in the order a full render draws them: the visible axes by
        zorder, then the figure itself (figure-level texts and legends have a higher zorder
        than axes). Children are sorted by zorder, without the owner's background patch."""
        axes = sorted((ax for ax in self.fig.axes if ax.get_visible()), key=lambda a: a.zorder)
        layers = []
        for owner in [*axes, self.fig]:
            kids = owner.get_children()
            if isinstance(owner, Figure):
                kids = [a for a in kids if not isinstance(a, Axes)]
            layers.append((owner, sorted((a for a in kids if a is not owner.patch),
                                         key=lambda a: a.zorder)))
        return layers

    def _layout_key(self, layers) -> tuple:
        canvas = self.fig.canvas
        key: list = [canvas.get_width_height(), self.fig.dpi, canvas.get_renderer()]
        for owner, kids in layers:
            key.append(tuple(kids))
            if isinstance(owner, Axes):
                key += [owner.get_position().bounds, owner.get_xlim(), owner.get_ylim(), owner.axison]
                for axis in (owner.xaxis, owner.yaxis):
                    key += [axis.get_scale(), axis.get_label_text(), axis.get_visible(),
                            axis.get_major_locator(), axis.get_major_formatter(),
                            axis.get_minor_locator(), axis.get_minor_formatter()]
        return tuple(key)

    # -- rendering -----------------------------------------------------------------------------
    def _redraw_list(self, kids) -> list[Artist]:
        """Artists drawn over the background: from the lowest dynamic one up."""
        first = next((i for i, a in enumerate(kids) if a in self.dynamic), None)
        if first is None:
            return []
        return [a for a in kids[first:] if not isinstance(a, Axis)]

    def _learn(self, layers) -> bool:
        """Add newly changed artists to the dynamic set; True if the background is outdated."""
        outdated = False
        for owner, kids in layers:
            if owner.patch.stale:
                outdated = True
            for artist in kids:
                if isinstance(artist, Axis):
                    continue  # set_xlim(...) to the same limits marks it stale; the key decides
                floating = isinstance(artist, Legend) and _floats_with_layout(artist)
                if not (floating or _changed(artist)):
                    continue
                if _is_decoration(artist, owner):
                    outdated = True
                elif artist not in self.dynamic:
                    self.dynamic.add(artist)
                    outdated = True
        return outdated

    def render(self) -> None:
        """Put the current state of every artist on the canvas (and blit it)."""
        canvas = self.fig.canvas
        layers = self._layers()
        outdated = self._background is None or self._learn(layers)
        key = self._layout_key(layers)
        overlay = [a for _, kids in layers for a in self._redraw_list(kids)]
        if outdated or key != self._key:
            self._render_background(overlay)
            self._key = self._layout_key(layers)  # the renderer may have been replaced
            self.full_renders += 1
        else:
            canvas.restore_region(self._background)
            self.blits += 1
        renderer = canvas.get_renderer()
        for artist in overlay:
            sprite = self._sprites.get(artist)
            if sprite is None:
                artist.draw(renderer)
            else:
                sprite.paste(renderer)
        for owner, kids in layers:
            owner.stale = False
            owner.patch.stale = False
            for artist in kids:
                if not isinstance(artist, Axis):  # the layout key watches the axes' decorations
                    _mark_clean(artist)
        if _browser_listens(canvas):
            # Frames are pushed without the browser asking for them, so two can arrive while
            # one image is still loading, and the browser then drops the first. A "diff" frame
            # (only the changed pixels) would leave stale pixels behind; a full frame is whole
            # by itself. The PNG costs about the same (~19 ms against ~17 ms here).
            canvas._force_full = True
            canvas.blit(self.fig.bbox)  # ipympl: sends the frame at once; Agg: a no-op

    def _render_background(self, overlay: list[Artist]) -> None:
        for artist in overlay:
            artist.set_animated(True)
        try:
            # The Agg draw itself: a web canvas's own draw() would also push this
            # background-only frame to the browser.
            FigureCanvasAgg.draw(self.fig.canvas)
        finally:
            for artist in overlay:
                artist.set_animated(False)
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._sprites = self._make_sprites(overlay)

    def _scratch_renderer(self) -> RendererAgg:
        """A second Agg renderer of the canvas's size, kept (text metrics are cached per
        renderer, so a fresh one would lay out every string again)."""
        width, height = self.fig.canvas.get_width_height(physical=True)
        r = self._scratch
        if r is None or (r.width, r.height, r.dpi) != (width, height, self.fig.dpi):
            self._scratch = r = RendererAgg(width, height, self.fig.dpi)
        return r

    def _make_sprites(self, overlay: list[Artist]) -> dict:
        """Pre-render the unchanged texts and legends that must sit above changing artists.

        A sprite is kept across full renders while its artist stays unchanged and paints
        the same pixel box (texts and legends anchored to an axes that did not move).
        """
        static = [a for a in overlay if a not in self.dynamic and a.get_visible()
                  and isinstance(a, _SPRITE_TYPES) and not (isinstance(a, Text) and not a.get_text())]
        if not static:
            return {}
        measure = self.fig.canvas.get_renderer()
        sprites = {}
        for artist in static:
            extent = _extent(artist, measure)
            old = self._sprites.get(artist)
            if old is not None and old.extent == extent.bounds:
                sprites[artist] = old
                continue
            scratch = self._scratch_renderer()
            scratch.clear()
            artist.draw(scratch)
            sprites[artist] = _Sprite.cut(scratch, extent)
        return sprites
