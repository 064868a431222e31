"""Every registered explorer: build it, move every control over its whole range and into the
corners of the parameter box; nothing raises, nothing non-finite is drawn, the figure changes,
and every frame the explorer rendered (mostly blitted) is the picture a full render gives."""

import ipywidgets as W
import numpy as np
import pytest

from kitlib.views import EXPLORERS
from views_sweep import assert_clean, assert_frame_is_full_render, control_values, corners, pixels, step_walk

NAMES = sorted(EXPLORERS)


def test_registry_is_populated_with_callables():
    assert "start.gaussian_kl" in EXPLORERS
    for name, factory in EXPLORERS.items():
        assert callable(factory), name
        assert name.count(".") == 1, f"names are '<topic>.<explorer>': {name}"


@pytest.mark.parametrize("name", NAMES)
def test_every_control_moves_the_figure(name):
    ex = EXPLORERS[name]()
    assert ex.controls, name
    assert_clean(ex, f"{name} at defaults")
    defaults = ex.params
    base = pixels(ex)
    for cname, widget in ex.controls.items():
        changed = False
        # Single steps first (what the arrow keys do: mostly blitted frames), then the range.
        for value in step_walk(widget, defaults[cname], 3) + control_values(widget):
            ex.set(**{cname: value})
            where = f"{name}: {cname}={value!r}"
            assert_clean(ex, where)
            full = assert_frame_is_full_render(ex.fig, where)
            if not changed and not np.array_equal(base, full):
                changed = True
        assert changed, f"{name}: moving {cname!r} over its range never changed the figure"
        ex.set(**defaults)


@pytest.mark.parametrize("name", NAMES)
def test_corners_of_the_parameter_box(name):
    ex = EXPLORERS[name]()
    for corner in corners(ex):
        ex.set(**corner)
        assert_clean(ex, f"{name} at corner {corner}")


def test_slider_steps_mostly_redraw_only_what_changed():
    """Across the registry, single slider steps are served from the cached background
    (the point of kitlib.blit): most step frames are blits, not full renders."""
    blits = full = 0
    for name in ("start.gaussian_kl", "divergences.bimodal_fit", "ib.gaussian", "rlhf.frontier"):
        ex = EXPLORERS[name]()
        for cname, widget in ex.controls.items():
            if not hasattr(widget, "step"):
                continue
            ex.set(**{cname: step_walk(widget, ex.params[cname], 1)[0]})  # learn what moves
            b0, f0 = ex._frames.blits, ex._frames.full_renders
            for value in step_walk(widget, ex.params[cname], 6):
                ex.set(**{cname: value})
            blits += ex._frames.blits - b0
            full += ex._frames.full_renders - f0
    assert blits >= 3 * full, f"{blits} blitted frames against {full} full renders"


SLIDERS = (W.FloatSlider, W.IntSlider, W.FloatLogSlider, W.SelectionSlider)
#: Sliders whose picture is meant to rescale as they move: the histogram's width changes by
#: about 1.3x per bandwidth step, over four orders of magnitude.
RESCALING_SLIDERS = {("kde.log_ratio_histogram", "h"), ("kde.participation", "h")}


@pytest.mark.parametrize("name", NAMES)
def test_slider_steps_keep_the_axes(name):
    """A slider step redraws the data over the cached background: no axis label that quotes
    the slider's value, no limits refitted to every step (kitlib.figures.steady_limits). At
    most 3 of 12 steps from the defaults may render everything again."""
    ex = EXPLORERS[name]()
    defaults = ex.params
    for cname, widget in ex.controls.items():
        if not isinstance(widget, SLIDERS) or (name, cname) in RESCALING_SLIDERS:
            continue
        ex.set(**defaults)
        before = ex._frames.full_renders
        for value in step_walk(widget, defaults[cname], 12):
            ex.set(**{cname: value})
        full = ex._frames.full_renders - before
        assert full <= 3, f"{name}: 12 steps of {cname!r} rendered the whole figure {full} times"
