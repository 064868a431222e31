"""kitlib.textcache: text drawn from kept glyphs is matplotlib's own picture, pixel for pixel,
and a second render of the same figure rasterises no glyph again."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402

from kitlib import textcache  # noqa: E402
from kitlib.textcache import cache_text, text_cache_info, text_cache_supported  # noqa: E402
from kitlib.views import EXPLORERS  # noqa: E402
from views_sweep import step_walk  # noqa: E402


def stock_pixels(fig) -> np.ndarray:
    """The figure drawn by a fresh renderer that matplotlib alone set up."""
    width, height = fig.canvas.get_width_height(physical=True)
    renderer = RendererAgg(width, height, fig.dpi)
    fig.draw(renderer)
    return np.asarray(renderer.buffer_rgba()).copy()


def cached_pixels(fig) -> np.ndarray:
    renderer = fig.canvas.get_renderer()
    assert cache_text(renderer)
    FigureCanvasAgg.draw(fig.canvas)
    return np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()


def assert_same_picture(a: np.ndarray, b: np.ndarray, where: str) -> None:
    differ = int(np.any(a != b, axis=-1).sum())
    assert differ == 0, f"{where}: {differ} pixels differ from matplotlib's own text"


def text_zoo(dpi: float = 100.0):
    """Texts that take every path of Agg's text code: plain, rotated, mathtext with rules
    (a fraction bar, a root), not anti-aliased, other families and weights, sub-pixel places."""
    fig = plt.figure(figsize=(4.3, 3.1), dpi=dpi)
    ax = fig.add_axes((0.17, 0.2, 0.75, 0.7))
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("bandwidth h / h_G")
    ax.set_ylabel(r"$E_\pi r - \beta\,\mathrm{KL}(\pi\|\pi_{ref})$")
    ax.set_title("Reward–KL frontier, β = 0.25", fontweight="bold")
    texts = [
        ax.text(0.1, 0.8, r"$\frac{1}{2}\sqrt{x^2+1}$", fontsize=13),
        ax.text(0.5, 0.5, "rotated 30°", rotation=30, family="serif"),
        ax.text(0.6, 0.2, "jagged", antialiased=False, family="monospace", fontsize=11),
        ax.text(0.2, 0.35, "αβγ ∑ ≤ 0.123", fontsize=8.5, style="italic"),
        fig.text(0.013, 0.5, "vertical", rotation=90),
    ]
    return fig, texts


@pytest.mark.parametrize("dpi", [100.0, 144.0])
def test_text_of_every_kind_is_drawn_as_matplotlib_draws_it(dpi):
    fig, texts = text_zoo(dpi)
    assert_same_picture(cached_pixels(fig), stock_pixels(fig), f"dpi {dpi}")
    # Moved by fractions of a pixel: new sub-pixel offsets, and glyphs kept from the first draw.
    for k, shift in enumerate([0.0013, 0.0071, 0.0237]):
        for t in texts:
            x, y = t.get_position()
            t.set_position((x + shift, y + shift / 2))
        assert_same_picture(cached_pixels(fig), stock_pixels(fig), f"dpi {dpi}, move {k}")
    plt.close(fig)


def test_a_second_render_rasterises_and_shapes_nothing_again():
    fig, _ = text_zoo()
    cached_pixels(fig)
    before = text_cache_info()
    again = cached_pixels(fig)
    after = text_cache_info()
    assert after["glyphs_rasterised"] == before["glyphs_rasterised"]
    assert after["layouts_shaped"] == before["layouts_shaped"]
    assert after["glyphs_reused"] - before["glyphs_reused"] > 100
    assert after["layouts_reused"] > before["layouts_reused"]
    assert_same_picture(again, stock_pixels(fig), "second render")
    plt.close(fig)


def test_a_string_one_renderer_measured_is_not_measured_again_by_another():
    from matplotlib.font_manager import FontProperties

    textcache.clear_text_cache()
    first, second, stock = (RendererAgg(300, 200, 100) for _ in range(3))
    cache_text(first)
    cache_text(second)
    prop = FontProperties(family="DejaVu Sans Mono", size=9)
    text = "entropy      0.731   0.915   0.802"
    before = text_cache_info()
    extent = first.get_text_width_height_descent(text, prop, False)
    assert second.get_text_width_height_descent(text, prop, False) == extent
    after = text_cache_info()
    assert after["extents_measured"] - before["extents_measured"] == 1
    assert after["extents_reused"] - before["extents_reused"] == 1
    assert extent == stock.get_text_width_height_descent(text, prop, False)
    # Font properties are mutable: a property changed in place is a new key, not a stale hit.
    prop.set_size(14)
    bigger = second.get_text_width_height_descent(text, prop, False)
    assert bigger == stock.get_text_width_height_descent(text, prop, False)
    assert bigger[0] > extent[0]
    # Math goes through the mathtext parser, uncached here.
    n = text_cache_info()["extents_measured"]
    second.get_text_width_height_descent(r"$\alpha^2$", prop, True)
    assert text_cache_info()["extents_measured"] == n
    textcache.clear_text_cache()


def test_switched_off_the_renderer_draws_as_matplotlib_alone(monkeypatch):
    fig, _ = text_zoo()
    cached = cached_pixels(fig)
    monkeypatch.setattr(textcache, "ENABLED", False)
    before = text_cache_info()
    stock = cached_pixels(fig)
    after = text_cache_info()
    assert after["glyphs_reused"] == before["glyphs_reused"]
    assert after["layouts_reused"] == before["layouts_reused"]
    assert_same_picture(stock, cached, "switched off")
    plt.close(fig)


def test_caches_stay_within_their_bounds(monkeypatch):
    monkeypatch.setattr(textcache, "GLYPHS_KEPT", 40)
    monkeypatch.setattr(textcache, "LAYOUTS_KEPT", 8)
    textcache.clear_text_cache()
    fig = plt.figure(figsize=(3, 3), dpi=100)
    for i in range(30):
        fig.text(0.05 + 0.03 * i, 0.03 * i, f"label {i} {i * 1.37:.2f}")
    pixels = cached_pixels(fig)
    info = text_cache_info()
    assert 0 < info["glyphs"] <= 40 and 0 < info["layouts"] <= 8 and 0 < info["extents"] <= 8
    assert_same_picture(pixels, stock_pixels(fig), "bounded caches")
    plt.close(fig)
    textcache.clear_text_cache()


def test_matplotlib_of_the_kit_is_one_the_cache_reproduces():
    # requirements.txt pins matplotlib; a new version must be checked against this file's
    # pixel tests before it is added to the verified versions.
    assert text_cache_supported(), matplotlib.__version__


def test_another_matplotlib_leaves_the_renderer_alone(monkeypatch):
    monkeypatch.setattr(matplotlib, "__version__", "3.99.0")
    renderer = RendererAgg(50, 50, 100)
    assert cache_text(renderer) is False
    assert "draw_text" not in vars(renderer)


def test_cache_text_refuses_what_is_not_an_agg_renderer():
    from matplotlib.backends.backend_svg import RendererSVG
    import io

    with pytest.raises(ValueError, match="renderer must be a matplotlib RendererAgg; got RendererSVG"):
        cache_text(RendererSVG(100, 100, io.StringIO()))


def test_an_explorer_draws_from_the_cache_at_every_size_and_dpi():
    ex = EXPLORERS["start.gaussian_kl"]()
    assert "draw_text" in vars(ex.fig.canvas.get_renderer())
    ex.fig.set_dpi(2 * ex.fig.dpi)  # a HiDPI screen: the canvas makes a new renderer
    ex.set(**ex.params)
    renderer = ex.fig.canvas.get_renderer()
    assert renderer.dpi == ex.fig.dpi and "draw_text" in vars(renderer)
    plt.close(ex.fig)


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_explorer_figure_is_matplotlibs_own_picture(name):
    ex = EXPLORERS[name]()
    assert_same_picture(cached_pixels(ex.fig), stock_pixels(ex.fig), f"{name} at defaults")
    for cname, widget in ex.controls.items():
        ex.set(**{cname: step_walk(widget, ex.params[cname], 1)[0]})
    assert_same_picture(cached_pixels(ex.fig), stock_pixels(ex.fig), f"{name}, every control moved")
    plt.close(ex.fig)
