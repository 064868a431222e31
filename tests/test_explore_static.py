"""An explorer's display bundle carries a static PNG next to the widget view (issue 13 §1).

Outside a live kernel (nbconvert HTML, GitHub, nbviewer, an untrusted notebook in JupyterLab)
the image is what a reader sees, so it must be the figure, not a blank canvas; and rendering
it must leave the live canvas alone.
"""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from kitlib.controls import slider
from kitlib.explore import Explorer
from kitlib.figures import STATIC_DPI, figure_pixels, new_figure, static_png

WIDGET = "application/vnd.jupyter.widget-view+json"


def _explorer(fig=None):
    if fig is None:
        fig, ax = new_figure(figsize=(6.0, 3.0))
    else:
        ax = fig.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 2)
    (line,) = ax.plot([0, 1], [0, 1], color="#0072B2")
    ex = Explorer({"k": slider("k", 1.0, 0.0, 2.0, 0.1)}, lambda p: p["k"],
                  lambda k: line.set_ydata([0, k]), fig=fig, title="t")
    return ex, line


def _decode(bundle) -> np.ndarray:
    data, meta = bundle
    raw = base64.b64decode(data["image/png"])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(raw)).convert("RGB")), meta


def test_bundle_has_widget_view_png_and_text():
    ex, _ = _explorer()
    bundle = ex._repr_mimebundle_()
    data, meta = bundle
    assert set(data) == {WIDGET, "image/png", "text/plain"}
    assert data[WIDGET]["model_id"] == ex.widget.model_id
    assert data["text/plain"] == repr(ex)
    assert meta["image/png"] == {"width": 600, "height": 300,
                                 "alt": "Explorer figure at its default values: t"}


def test_png_is_the_figure_and_not_blank():
    ex, _ = _explorer()
    pixels, _ = _decode(ex._repr_mimebundle_())
    assert pixels.shape == (3 * STATIC_DPI, 6 * STATIC_DPI, 3)
    # Not blank: a white background with the blue curve, black axes and tick labels on it.
    assert (pixels.min(axis=2) < 128).mean() > 0.002
    blue = (np.abs(pixels.astype(int) - [0x00, 0x72, 0xB2]).sum(axis=2) < 40)
    assert blue.sum() > 100


def test_png_follows_the_current_values():
    ex, _ = _explorer()
    before, _ = _decode(ex._repr_mimebundle_())
    ex.set(k=2.0)
    after, _ = _decode(ex._repr_mimebundle_())
    assert (before != after).any()


def test_png_is_deterministic_and_small():
    ex, _ = _explorer()
    a, _ = static_png(ex.fig)
    b, _ = static_png(ex.fig)
    assert a == b
    assert len(a) < 40_000  # a palette PNG; a 24-bit one of this figure is several times larger


def test_static_png_leaves_the_live_canvas_alone():
    ex, line = _explorer()
    canvas, dpi = ex.fig.canvas, ex.fig.dpi
    static_png(ex.fig, dpi=50)
    assert ex.fig.canvas is canvas and ex.fig.dpi == dpi
    # The blitted frames still match a full render after an image was taken.
    ex.set(k=0.3)
    frame = np.asarray(canvas.buffer_rgba()).copy()
    assert np.array_equal(frame[..., :3], figure_pixels(ex.fig)[..., :3])


def test_ipympl_explorer_bundle_keeps_its_canvas():
    import matplotlib.pyplot as plt

    backend = plt.get_backend()
    try:
        pytest.importorskip("ipympl")
        from ipympl.backend_nbagg import _Backend_ipympl  # importing it switches the backend

        with plt.ioff():
            fig = plt.figure(figsize=(4.0, 2.0))
            _Backend_ipympl.new_figure_manager_given_figure(9002, fig)
    finally:
        plt.switch_backend(backend)
    canvas, manager = fig.canvas, fig.canvas.manager
    ex, _ = _explorer(fig)
    pixels, meta = _decode(ex._repr_mimebundle_())
    assert fig.canvas is canvas and canvas.manager is manager and canvas in ex.widget.children
    assert pixels.shape[:2] == (200, 400) and (pixels.min(axis=2) < 128).any()


@pytest.mark.parametrize("dpi", [0, -1, 301, float("nan"), "100"])
def test_static_png_rejects_bad_dpi(dpi):
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="dpi"):
        static_png(fig, dpi=dpi)


def test_a_failing_render_still_displays_the_widget(monkeypatch):
    import kitlib.explore as explore

    ex, _ = _explorer()

    def boom(*args, **kw):
        raise RuntimeError("no renderer")

    monkeypatch.setattr(explore, "static_png", boom)
    monkeypatch.setattr(ex, "_static_png", boom)  # the frame-reuse path too
    data = ex._repr_mimebundle_()
    assert WIDGET in data and "image/png" not in data


def test_static_image_reuses_the_current_frame_and_matches_a_fresh_render(monkeypatch):
    """Displaying an explorer encodes the frame already on the canvas (no second render);
    the image is the figure's: the same size and, up to palette rounding, the same pixels."""
    import kitlib.explore as explore

    ex, _ = _explorer()
    fresh = []
    monkeypatch.setattr(explore, "static_png", lambda fig, **kw: fresh.append(1) or static_png(fig))
    reused, size = ex._static_png()
    assert fresh == [] and size == static_png(ex.fig)[1]
    a = np.asarray(Image.open(io.BytesIO(reused)).convert("RGB"), dtype=float)
    b = np.asarray(Image.open(io.BytesIO(static_png(ex.fig)[0])).convert("RGB"), dtype=float)
    assert a.shape == b.shape and np.abs(a - b).mean() < 1.0
    # after a change that was not rendered the canvas is not current: a fresh render is used
    line = ex.fig.axes[0].lines[0]
    line.set_ydata(np.asarray(line.get_ydata()) + 0.1)
    assert ex.fig.stale
    ex._static_png()
    assert fresh == [1]
