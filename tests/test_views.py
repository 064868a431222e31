"""Every registered explorer: build it, move every control over its whole range and into the
corners of the parameter box; nothing raises, nothing non-finite is drawn, the figure changes."""

import numpy as np
import pytest

from kitlib.views import EXPLORERS
from views_sweep import assert_clean, control_values, corners, pixels

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
        for value in control_values(widget):
            ex.set(**{cname: value})
            assert_clean(ex, f"{name}: {cname}={value!r}")
            if not changed and not np.array_equal(base, pixels(ex)):
                changed = True
        assert changed, f"{name}: moving {cname!r} over its range never changed the figure"
        ex.set(**defaults)


@pytest.mark.parametrize("name", NAMES)
def test_corners_of_the_parameter_box(name):
    ex = EXPLORERS[name]()
    for corner in corners(ex):
        ex.set(**corner)
        assert_clean(ex, f"{name} at corner {corner}")
