"""The information-bottleneck explorers show the numbers kitlib.ib computes. The sweep of every
control over its range and the corners of the parameter box is tests/test_views.py's, which
covers every registered explorer."""

import math

import numpy as np
import pytest

from kitlib import ib
from kitlib.figures import drawn_texts
from kitlib.views import ib as views

NAMES = sorted(views.EXPLORERS)


def test_registry_names_and_factories():
    assert set(NAMES) == {"ib.discrete_curve", "ib.gaussian", "ib.ib_vs_dib", "ib.training_plane",
                          "ib.estimators"}


def _text(ex, needle):
    return next(t for t in drawn_texts(ex.fig) if needle in t)


def test_discrete_curve_reads_out_the_critical_beta(built):
    ex = built["ib.discrete_curve"]
    bss = list(views.PRESETS)[0]
    ex.set(preset=bss, beta=1.0)
    txt = _text(ex, "1/ρ_m²")
    assert "1/ρ_m² = 1.562" in txt and "I(X;T) = 0.0000" in txt
    c = views.discrete_curve(bss)
    assert c.I_XY == pytest.approx(0.368064, abs=1e-6)


def test_gaussian_readout_shows_critical_betas(built):
    ex = built["ib.gaussian"]
    ex.set(rho1=0.9, rho2=0.6, rho3=0.3)
    assert "1.23, 2.78, 11.1" in _text(ex, "β_i")


def test_estimator_truth_bar(built):
    ex = built["ib.estimators"]
    ex.set(rho=0.5)
    assert f"{-0.5 * math.log(0.75):.3f}" in _text(ex, "truth")


def test_training_plane_estimates_bounded(built):
    for act in ("tanh", "relu"):
        ix, iy = views.training_plane(act, 30)
        assert np.all(ix <= math.log(4096) + 1e-9) and np.all(iy <= math.log(2) + 1e-9)
        assert np.all(iy <= ix + 1e-9)
    ix, iy = views.noisy_plane("tanh", 0.1)
    assert np.all(ix <= math.log(256) + 1e-9) and np.all(iy <= math.log(2) + 1e-9)
    assert views.training_run("tanh")["train_accuracy"][-1] > 0.8
    assert isinstance(views.discrete_curve(list(views.PRESETS)[1]), ib.IBCurve)
