"""FrameRenderer: only changed artists are redrawn, and every frame is the picture a full render
gives (up to a level or two of 8-bit rounding where a pre-rendered text is pasted)."""

import numpy as np
import pytest

from kitlib.blit import FrameRenderer
from kitlib.figures import new_figure, steady_limits
from views_sweep import assert_frame_is_full_render


@pytest.fixture
def scene():
    fig, (ax, ax2) = new_figure(1, 2)
    x = np.linspace(0, 1, 50)
    (moving,) = ax.plot(x, x, label="moving")
    ax.plot(x, 1 - x, label="fixed")
    ax.legend(loc="upper right")
    readout = ax.text(0.05, 0.95, "a", transform=ax.transAxes, va="top",
                      bbox={"fc": "white", "ec": "0.5"})
    ax.set_title("a fixed title")
    ax.set_ylim(-1, 2)
    (other,) = ax2.plot(x, x**2)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    frames = FrameRenderer(fig)
    frames.render()
    return fig, ax, ax2, moving, readout, other, frames


def test_first_changes_are_learned_then_frames_are_blitted(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    assert frames.full_renders == 1
    moving.set_ydata(np.linspace(0, 1.5, 50))
    readout.set_text("b")
    frames.render()  # learns what moves: one more full render
    assert frames.dynamic == {moving, readout}
    full = frames.full_renders
    for k in range(3):
        moving.set_ydata(np.linspace(0, 0.5 + 0.3 * k, 50))
        readout.set_text(f"value {k}")
        frames.render()
        assert_frame_is_full_render(fig, "blitted frame")
    assert frames.full_renders == full and frames.blits == 3
    # The fixed legend and title sit above the moving line: pasted, not laid out again.
    assert ax.get_legend() in frames._sprites and ax.title in frames._sprites


def test_a_full_render_can_be_asked_for(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    moving.set_ydata(moving.get_ydata() * 0.5)
    frames.render()  # learns the moving line
    full, blits = frames.full_renders, frames.blits
    frames.render(full=True)
    assert (frames.full_renders, frames.blits) == (full + 1, blits)
    frames.render()
    assert (frames.full_renders, frames.blits) == (full + 1, blits + 1)


def test_new_limits_redraw_that_axes_alone(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    moving.set_ydata(np.zeros(50))
    frames.render()
    full = frames.full_renders
    ax.set_ylim(-1, 2)  # same limits: still blitted
    moving.set_ydata(np.ones(50))
    frames.render()
    assert (frames.full_renders, frames.axes_refreshes) == (full, 0)
    # New limits: the axes' region of the background is drawn again, not the figure; wide tick
    # labels that later shrink must leave nothing behind, and the other axes stay as they were.
    for k, limits in enumerate([(-3, 3), (-12345.5, 23456.5), (0.2, 0.3), (-1, 2)], start=1):
        ax.set_ylim(*limits)
        frames.render()
        assert (frames.full_renders, frames.axes_refreshes) == (full, k), limits
        assert frames.last_stages["refreshed"] and not frames.last_stages["full"]
        assert_frame_is_full_render(fig, f"frame after ylim {limits}")
    ax2.set_xlim(-5, 5)
    frames.render()
    assert (frames.full_renders, frames.axes_refreshes) == (full, 5)
    assert_frame_is_full_render(fig, "frame after the second axes' xlim")


def test_new_limits_render_everything_when_others_paint_nearby(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    moving.set_ydata(np.zeros(50))
    frames.render()
    full = frames.full_renders
    # A twin shares the axes' place: its background would be painted over.
    twin = ax2.twinx()
    twin.plot([0, 1], [0, 1])
    frames.render()
    assert frames.full_renders == full + 1  # an axes was added
    twin.set_ylim(-4, 4)
    frames.render()
    assert (frames.full_renders, frames.axes_refreshes) == (full + 2, 0)
    assert_frame_is_full_render(fig, "frame after the twin's ylim")


def test_new_limits_render_everything_under_a_fixed_figure_text():
    fig, (ax, ax2) = new_figure(1, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    ax2.plot([0, 1], [1, 0])
    fig.text(0.12, 0.85, "a fixed note in the left axes")  # above the line, not over it
    fig.canvas.draw()
    fig.set_layout_engine("none")
    frames = FrameRenderer(fig)
    frames.render()
    line.set_ydata([0, 2])
    frames.render()  # learns the line
    full = frames.full_renders
    ax.set_ylim(-2, 5)
    frames.render()
    assert (frames.full_renders, frames.axes_refreshes) == (full + 1, 0)
    assert_frame_is_full_render(fig, "frame under a figure text")
    ax2.set_ylim(-2, 5)  # the right axes is far from the note
    frames.render()
    assert (frames.full_renders, frames.axes_refreshes) == (full + 1, 1)
    assert_frame_is_full_render(fig, "frame beside a figure text")


def test_new_limits_render_everything_over_a_framed_figure(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    fig.patch.set_edgecolor("black")
    fig.patch.set_linewidth(3)
    frames.render()  # the figure patch changed: a full render
    full = frames.full_renders
    ax.set_ylim(-3, 3)
    frames.render()
    assert (frames.full_renders, frames.axes_refreshes) == (full + 1, 0)
    assert_frame_is_full_render(fig, "frame in a framed figure")


def test_other_axes_and_new_artists_are_picked_up(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    moving.set_ydata(np.zeros(50))
    frames.render()
    other.set_color("red")  # never changed before: joins the dynamic set
    frames.render()
    assert other in frames.dynamic
    assert_frame_is_full_render(fig, "blitted frame")
    (extra,) = ax2.plot([0, 1], [1, 0], color="black")  # added: the key changes
    frames.render()
    assert_frame_is_full_render(fig, "blitted frame")
    extra.remove()  # removed: must vanish from the frame
    frames.render()
    assert_frame_is_full_render(fig, "blitted frame")


def test_hidden_artist_and_changed_axis_label(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    moving.set_visible(False)
    frames.render()
    assert_frame_is_full_render(fig, "blitted frame")
    ax.set_xlabel("a new label")
    frames.render()
    assert_frame_is_full_render(fig, "blitted frame")


def test_nothing_is_left_animated_for_savefig(scene, tmp_path):
    fig, ax, ax2, moving, readout, other, frames = scene
    for k in range(3):
        moving.set_ydata(np.full(50, 0.2 * k))
        frames.render()
    assert not any(a.get_animated() for a in fig.findobj())
    # A full render (what savefig and a browser's draw request do) matches the blitted frame.
    assert_frame_is_full_render(fig, "blitted frame")


def test_best_placed_legend_is_redrawn_with_the_data():
    fig, ax = new_figure()
    (line,) = ax.plot([0, 1], [0, 1], label="data")
    ax.plot([0, 1], [0.5, 0.5], label="fixed")
    ax.legend(loc="best")
    ax.set_ylim(0, 1)
    frames = FrameRenderer(fig)
    frames.render()
    for y in ([1, 0], [0, 1], [0.9, 0.9]):
        line.set_ydata(y)
        frames.render()
        assert_frame_is_full_render(fig, "blitted frame")
    assert ax.get_legend() in frames.dynamic


def test_frame_renderer_needs_an_agg_canvas():
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    fig = Figure()
    FigureCanvasSVG(fig)
    with pytest.raises(ValueError, match="Agg-based"):
        FrameRenderer(fig)


# -- steady_limits ------------------------------------------------------------------------------
def test_steady_limits_keeps_axes_while_the_data_fit():
    fig, ax = new_figure()
    assert steady_limits(ax, 0.0, 0.43) == (0.0, 0.5)
    assert steady_limits(ax, 0.0, 0.3) == (0.0, 0.5)
    assert ax.get_ylim() == (0.0, 0.5)
    assert steady_limits(ax, 0.0, 0.2) == (0.0, 0.2)  # fills < half: zoom in
    assert steady_limits(ax, 0.0, 0.61) == (0.0, 0.8)  # outgrew them: zoom out
    assert steady_limits(ax, -3.2, 7.7, which="x") == (-5.0, 10.0)
    assert ax.get_xlim() == (-5.0, 10.0)


def test_steady_limits_as_given_when_not_nice():
    fig, ax = new_figure()
    assert steady_limits(ax, -0.13, 2.71, nice=False) == (-0.13, 2.71)  # exactly, not rounded
    assert steady_limits(ax, -0.1, 2.5, nice=False) == (-0.13, 2.71)  # fits and fills: kept
    lo, hi = steady_limits(ax, -0.13, 3.0, nice=False)  # outgrown at the top only
    assert lo == -0.13 and hi == pytest.approx(3.0 + 0.25 * 3.13)


def test_steady_limits_leave_headroom_only_where_they_were_outgrown():
    fig, ax = new_figure()
    assert steady_limits(ax, 0.0, 4.0) == (0.0, 4.0)  # first call: tight nice limits
    # A slider pushes the data up one step at a time: the axis moves on some steps only.
    tops = np.arange(4.2, 12.01, 0.2)
    changes = 0
    for top in tops:
        before = ax.get_ylim()
        lo, hi = steady_limits(ax, 0.0, top)
        assert lo == 0.0 and top <= hi
        changes += ax.get_ylim() != before
    assert changes <= 4, changes  # without headroom: 4.2 → 5, 6, 8, 10, 12.5: every few steps
    without = new_figure()[1]
    steady_limits(without, 0.0, 4.0)
    changes_without = 0
    for top in tops:
        before = without.get_ylim()
        steady_limits(without, 0.0, top, headroom=0.0)
        changes_without += without.get_ylim() != before
    assert changes < changes_without
    ax.set_ylim(0.0, 20.0)  # limits set by other code: outgrown, they get tight nice limits
    assert steady_limits(ax, 0.0, 21.0) == (0.0, 25.0)
    with pytest.raises(ValueError, match="headroom"):
        steady_limits(ax, 0.0, 1.0, headroom=2.0)


@pytest.mark.parametrize("lo,hi", [(0.0, 1e-9), (-2.5e-3, 7e-3), (1.0, 1.0), (3.0, 1234.5), (-7.0, -6.9)])
def test_steady_limits_always_cover_the_data_on_nice_numbers(lo, hi):
    fig, ax = new_figure()
    a, b = steady_limits(ax, lo, hi)
    assert a <= min(lo, hi) and b >= max(lo, hi) and b > a
    # Both ends on a common 1-2-2.5-5 step, with at most ~10 steps between them.
    steps = [m * 10.0**k for k in range(-12, 6) for m in (1, 2, 2.5, 5)]

    def on_grid(v, s):
        return abs(v / s - round(v / s)) < 1e-6

    assert any(on_grid(a, s) and on_grid(b, s) and (b - a) / s <= 10 for s in steps), (a, b)


@pytest.mark.parametrize("kwargs,match", [
    ({"lo": np.nan, "hi": 1.0}, "finite"),
    ({"lo": 0.0, "hi": np.inf}, "finite"),
    ({"lo": 0.0, "hi": 1.0, "which": "z"}, "which"),
    ({"lo": 0.0, "hi": 1.0, "fill": 0.0}, "fill"),
])
def test_steady_limits_rejects_bad_input(kwargs, match):
    fig, ax = new_figure()
    with pytest.raises(ValueError, match=match):
        steady_limits(ax, **kwargs)


@pytest.mark.parametrize("opaque", [True, False])
def test_encode_png_is_lossless(opaque):
    import io

    from PIL import Image

    from kitlib.blit import encode_png

    rng = np.random.default_rng(0)
    px = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    if opaque:
        px[..., 3] = 255
    back = np.asarray(Image.open(io.BytesIO(encode_png(px))))
    assert back.shape == (7, 5, 3 if opaque else 4)
    assert np.array_equal(back, px[..., :3] if opaque else px)


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 3), np.uint8), np.zeros((2, 2, 4)),
                                 np.zeros((0, 2, 4), np.uint8)])
def test_encode_png_refuses_what_is_not_rgba_bytes(bad):
    from kitlib.blit import encode_png

    with pytest.raises(ValueError, match="rgba"):
        encode_png(bad)


def test_a_changing_text_reuses_its_recent_images(scene):
    fig, ax, ax2, moving, readout, other, frames = scene
    readout.set_text("first")
    frames.render()  # learns the readout
    strings = ["value 1.00", "value 2.00\nsecond line", "value 1.00", "value 2.00\nsecond line"]
    reused = []
    for k, text in enumerate(strings):
        moving.set_ydata(np.linspace(0, 0.4 + 0.2 * k, 50))  # the text is pasted over new data
        readout.set_text(text)
        frames.render()
        reused.append(frames.text_images_reused)
        assert_frame_is_full_render(fig, "frame with a reused text image")
    assert reused == [0, 0, 1, 2]
    readout.set_color("red")  # a new look of the same string is rendered, not reused
    frames.render()
    assert frames.text_images_reused == 2
    assert_frame_is_full_render(fig, "recoloured text")
    readout.set_position((0.3, 0.6))  # and so is a new place
    frames.render()
    assert frames.text_images_reused == 2
    assert_frame_is_full_render(fig, "moved text")


def test_text_images_kept_are_bounded(scene):
    from kitlib.blit import TEXT_IMAGES_KEPT

    fig, ax, ax2, moving, readout, other, frames = scene
    for k in range(TEXT_IMAGES_KEPT + 5):
        readout.set_text(f"value {k}")
        frames.render()
    assert len(frames._text_images[readout]) == TEXT_IMAGES_KEPT
    readout.set_text("value 0")  # the oldest was dropped: rendered again
    before = frames.text_images_reused
    frames.render()
    assert frames.text_images_reused == before
    readout.set_text(f"value {TEXT_IMAGES_KEPT + 4}")  # the newest is still kept
    frames.render()
    assert frames.text_images_reused == before + 1


def test_a_legend_that_doubles_as_a_readout_reuses_its_images():
    fig, ax = new_figure()
    x = np.linspace(0, 1, 50)
    (moving,) = ax.plot(x, x, label="value 0")
    ax.plot(x, 1 - x, "--", label="fixed")
    legend = ax.legend(loc="upper right")
    ax.set_ylim(-1, 2)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    frames = FrameRenderer(fig)
    frames.render()
    label = legend.get_texts()[0]
    for k in range(4):  # back and forth: 1, 2, 1, 2
        moving.set_ydata(np.linspace(0, 0.5 + 0.1 * k, 50))
        label.set_text(f"value {1 + k % 2}")
        frames.render()
        assert_frame_is_full_render(fig, "legend as a readout")
    assert legend in frames.dynamic
    assert frames.text_images_reused == 2  # frames 3 and 4 show the labels of frames 1 and 2
    legend.legend_handles[1].set_color("red")  # restyled: its kept images are dropped
    frames.render()
    assert frames.text_images_reused == 2
    assert_frame_is_full_render(fig, "restyled legend")
    label.set_text("value 1")
    frames.render()
    assert frames.text_images_reused == 2  # the image from before the restyling is gone
    assert_frame_is_full_render(fig, "legend after the restyling")
