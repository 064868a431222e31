"""Agg text without laying out or rasterising the same glyph twice.

When an explorer's axes rescale, the whole figure is rendered again, and most of that time
goes to text: every tick label, axis label, title and legend entry is shaped by HarfBuzz
(``FT2Font._layout``) and every glyph rasterised by FreeType (``FT2Font._render_glyph``),
with no cache between draws. Yet a rescale shows mostly the same strings ("0.5", "1.0", the
axis labels) in new places, and a glyph's bitmap depends only on its font, size, dpi,
rotation and where it sits *within* a pixel.

:func:`cache_text` gives one :class:`~matplotlib.backends.backend_agg.RendererAgg` three
caches, shared by all renderers it was given:

* **shaped strings**: the glyphs and offsets of a string in a font at a size and dpi;
* **glyph bitmaps**: FreeType's bitmap of a glyph, keyed by font, size, dpi, transform and
  the glyph's sub-pixel offset (its 26.6 fixed-point position modulo one pixel). A glyph
  moved by a whole number of pixels rasterises to the same bitmap moved by as many pixels,
  so the kept bitmap is pasted where FreeType would have drawn it: the picture is
  identical to matplotlib's own, pixel for pixel (``tests/test_textcache.py`` checks every
  explorer's figure against an untouched renderer);
* **font height metrics**: the ascent, descent and line gap that ``Text`` reads from the
  font's tables for every layout;
* **string extents**: the width, height and descent of a plain (non-math) string, which
  matplotlib caches per renderer only. A changing readout is drawn into a sprite by a second
  renderer after the canvas's renderer measured it, so without a shared cache each new
  string was laid out by FreeType twice.

It changes nothing but speed (``benchmarks/full_render.py``, one render of each of the 31
explorers, summed): a frame's full render takes 0.76 s instead of 1.44 s, a whole-figure draw
1.07 s instead of 2.61 s. The
caches are bounded (:data:`GLYPHS_KEPT`, :data:`LAYOUTS_KEPT`; a full cache is emptied, not
grown) and only a renderer handed to :func:`cache_text` uses them: other figures, ``savefig``
and other backends draw as always.

The code follows Agg's ``draw_text`` and ``_draw_text_glyphs_and_boxes`` of matplotlib 3.11
(private API); on another matplotlib version :func:`cache_text` leaves the renderer alone
and returns False.
"""

from __future__ import annotations

import math
import types

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import FT2Font, RenderMode

__all__ = ["ENABLED", "GLYPHS_KEPT", "LAYOUTS_KEPT", "cache_text", "clear_text_cache",
           "text_cache_info", "text_cache_supported"]

#: Set to False to have every renderer draw text as matplotlib does (for A/B measurements and
#: for ruling the cache out when a text looks wrong); read at every draw.
ENABLED = True

#: glyph bitmaps kept (about 0.2-1 KiB each at 100-200 dpi: at most a few MiB)
GLYPHS_KEPT = 8192
#: shaped strings kept
LAYOUTS_KEPT = 2048

#: matplotlib versions whose Agg text drawing this module reproduces exactly
_VERIFIED = ("3.11.",)

_glyphs: dict[tuple, tuple[np.ndarray, int, int]] = {}
_layouts: dict[tuple, tuple] = {}
_heights: dict[tuple, tuple] = {}
_extents: dict[tuple, tuple] = {}
_transforms: dict[tuple, np.ndarray] = {}
_counts = {"glyphs_rasterised": 0, "glyphs_reused": 0, "layouts_shaped": 0, "layouts_reused": 0,
           "extents_measured": 0, "extents_reused": 0}


def text_cache_supported() -> bool:
    """True when this matplotlib's Agg text code is the one :func:`cache_text` reproduces."""
    return (matplotlib.__version__.startswith(_VERIFIED)
            and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
            and all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform")))


def cache_text(renderer: RendererAgg) -> bool:
    """Let ``renderer`` draw text from the shared caches; True if it now does.

    Idempotent and cheap to call before every draw. Returns False, leaving the renderer
    untouched, when :func:`text_cache_supported` is False.

    Raises
    ------
    ValueError
        If ``renderer`` is not a :class:`~matplotlib.backends.backend_agg.RendererAgg`.
    """
    if not isinstance(renderer, RendererAgg):
        raise ValueError(f"renderer must be a matplotlib RendererAgg; got {type(renderer).__name__}")
    if "_draw_text_glyphs_and_boxes" in vars(renderer):
        return True
    if not text_cache_supported():
        return False
    renderer.draw_text = types.MethodType(_draw_text, renderer)
    renderer._draw_text_glyphs_and_boxes = types.MethodType(_draw_glyphs_and_boxes, renderer)
    renderer._get_font_height_metrics = types.MethodType(_font_height_metrics, renderer)
    renderer.get_text_width_height_descent = types.MethodType(_text_extent, renderer)
    return True


def clear_text_cache() -> None:
    """Forget every kept glyph, shaped string, string extent and font metric (the counters
    stay)."""
    for cache in (_glyphs, _layouts, _heights, _extents, _transforms):
        cache.clear()


def text_cache_info() -> dict[str, int]:
    """Sizes of the caches and how often they were used: ``glyphs``, ``layouts``, ``extents``
    (entries kept) and the counters ``glyphs_rasterised``, ``glyphs_reused``,
    ``layouts_shaped``, ``layouts_reused``, ``extents_measured``, ``extents_reused`` since the
    process started."""
    return {"glyphs": len(_glyphs), "layouts": len(_layouts), "extents": len(_extents), **_counts}


def _kept(cache: dict, bound: int, key, value):
    if len(cache) >= bound:
        cache.clear()
    cache[key] = value
    return value


# -- the renderer's methods ----------------------------------------------------------------------
def _draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """RendererAgg.draw_text with the shaped string kept."""
    if not ENABLED:
        return RendererAgg.draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
    if ismath:
        return self.draw_mathtext(gc, x, y, s, prop, angle)
    font = self._prepare_font(prop)
    flags = get_hinting_flag()
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    size = prop.get_size_in_points()
    key = (font, size, self.dpi, s, flags, features, language)
    glyphs = _layouts.get(key)
    if glyphs is None:
        items = font._layout(s, flags=flags, features=features, language=language)
        glyphs = _kept(_layouts, LAYOUTS_KEPT, key,
                       tuple((it.ft_object, size, it.glyph_index, 0, 1, it.x, it.y) for it in items))
        _counts["layouts_shaped"] += 1
    else:
        _counts["layouts_reused"] += 1
    self._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, [])


def _transform(angle: float, slant: float, extend: float) -> np.ndarray:
    """FreeType's 16.16 matrix for a rotation by ``angle`` degrees after a slant and stretch."""
    key = (angle, slant, extend)
    m = _transforms.get(key)
    if m is None:
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        m = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[extend, extend * slant], [0, 1]])
        m = _kept(_transforms, 256, key, m.round().astype(int))
    return m


def _draw_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
    """RendererAgg._draw_text_glyphs_and_boxes with each glyph's bitmap kept.

    A glyph at pen position ``p`` (26.6 fixed point, y upwards) is rasterised at ``p mod 64``
    and its bitmap placed ``p // 64`` whole pixels further.
    """
    if not ENABLED:
        return RendererAgg._draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes)
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    flags = get_hinting_flag()
    antialiased = gc.get_antialiased()
    height, dpi = self.height, self.dpi
    paste = self._renderer.draw_text_image
    for font, size, index, slant, extend, dx, dy in glyphs:  # dy is upwards
        px = round(0x40 * (x + dx * cos - dy * sin))
        py = round(0x40 * (height - y + dx * sin + dy * cos))
        fx, fy = px % 64, py % 64
        key = (font, size, dpi, index, angle, slant, extend, fx, fy, flags, antialiased)
        kept = _glyphs.get(key)
        if kept is None:
            font.set_size(size, dpi)
            font._set_transform(_transform(angle, slant, extend), [fx, fy])
            bitmap = font._render_glyph(index, flags,
                                        RenderMode.NORMAL if antialiased else RenderMode.MONO)
            buffer = np.array(bitmap.buffer, copy=True)
            if not antialiased:
                buffer *= 0xff
            kept = _kept(_glyphs, GLYPHS_KEPT, key, (buffer, bitmap.left, bitmap.top))
            _counts["glyphs_rasterised"] += 1
        else:
            _counts["glyphs_reused"] += 1
        buffer, left, top = kept
        # draw_text_image's y is downwards and names the bitmap's bottom row
        paste(buffer, left + (px - fx) // 64, int(height) - top - (py - fy) // 64 + buffer.shape[0],
              0, gc)
    if boxes:  # mathtext's rules (fraction bars, roots): plain paths
        RendererAgg._draw_text_glyphs_and_boxes(self, gc, x, y, angle, (), boxes)


def _font_height_metrics(self, prop):
    """The font-table ascent, descent and line gap ``Text._get_layout`` reads (in pixels at
    this renderer's dpi), kept per font properties; ``(None, None, None)`` when the font has
    neither table, so that Text measures the font instead, as it would without this hook."""
    if not ENABLED:
        return None, None, None  # Text then reads the tables itself
    key = (prop, self.dpi)
    kept = _heights.get(key)
    if kept is None:
        font = get_font(fontManager._find_fonts_by_props(prop))
        kept = (None, None, None)
        for table_name, gap, ascent, descent in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent")):
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            # the expression Text._get_layout evaluates, in its order (same rounding)
            scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * self.dpi / 72
            kept = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
            break
        _kept(_heights, LAYOUTS_KEPT, (prop.copy(), self.dpi), kept)  # a copy: props are mutable
    return kept


def _text_extent(self, s, prop, ismath):
    """RendererAgg.get_text_width_height_descent, kept per string, font properties, dpi and
    hinting for plain text (math and TeX are measured as always)."""
    if not ENABLED or ismath:
        return RendererAgg.get_text_width_height_descent(self, s, prop, ismath)
    flags = get_hinting_flag()
    kept = _extents.get((s, prop, self.dpi, flags))
    if kept is None:
        kept = _kept(_extents, LAYOUTS_KEPT, (s, prop.copy(), self.dpi, flags),  # props are mutable
                     RendererAgg.get_text_width_height_descent(self, s, prop, ismath))
        _counts["extents_measured"] += 1
    else:
        _counts["extents_reused"] += 1
    return kept
