"""The KDE explorers show the numbers kitlib.kde and kitlib.tables.kde compute and refuse bad
values. The sweep of every control over its range and the corners of the parameter box is
tests/test_views.py's, which covers every registered explorer."""

import math

import numpy as np
import pytest

from kitlib import kde
from kitlib.figures import drawn_texts
from kitlib.tables import kde as tables
from kitlib.views import kde as views

NAMES = sorted(views.EXPLORERS)


def test_registry_names_and_factories():
    assert set(NAMES) == {"kde.phase_diagram", "kde.log_ratio_histogram", "kde.participation",
                          "kde.quenched_annealed", "kde.kl_bandwidth", "kde.top_weights", "kde.nn_gap"}
    for name in NAMES:
        assert name.startswith("kde.") and callable(views.EXPLORERS[name])


def test_out_of_range_values_are_refused(built):
    ex = built["kde.log_ratio_histogram"]
    with pytest.raises(ValueError, match="must lie in"):
        ex.set(h=10.0)


def _text(ex, needle):
    return next(t for t in drawn_texts(ex.fig) if needle in t)


def test_phase_diagram_reads_out_kitlib_numbers(built):
    ex = built["kde.phase_diagram"]
    th = kde.thresholds(0.2)
    ex.set(alpha=0.2, h=1.0, d=50)
    txt = _text(ex, "h_G =")
    assert f"h_G = {th.h_G:.3f}" in txt and f"h_KL = {th.h_KL:.3f}" in txt
    assert f"κ = (h/h_G)² = {kde.stable_index(1.0, 0.2):.2f} → extreme-value" in txt
    fs = kde.finite_size_thresholds(50, log_n=10.0)
    assert f"h_G(d,n) = {fs.h_G:.3f}" in txt
    ex.set(h=2.5)
    assert "→ CLT" in _text(ex, "h_G =")


def test_histogram_collapses_below_the_mean_at_small_h(built):
    ex = built["kde.log_ratio_histogram"]
    mc = tables.monte_carlo()
    ex.set(h=0.3)
    assert "extreme-value" in _text(ex, "regime")
    assert np.median(mc["log_ratio"][0]) < -20  # the typical data set is exponentially far below its mean
    assert f"median of $\\ln(\\hat\\rho/\\rho_h)$ = {np.median(mc['log_ratio'][0]):.3g}" in _text(ex, "median")
    ex.set(h=2.5)
    assert "CLT" in _text(ex, "regime")
    assert abs(np.median(mc["log_ratio"][-1])) < 0.05


def test_participation_scale_switch_moves_the_points(built):
    ex = built["kde.participation"]
    ex.set(scale="finite")
    x_fin = ex.fig.axes[0].get_lines()[2].get_xdata().copy()
    ex.set(scale="asymptotic")
    x_asy = ex.fig.axes[0].get_lines()[2].get_xdata()
    mc = tables.monte_carlo()
    fs = kde.finite_size_thresholds(mc["d"], n=mc["n"])
    th = kde.thresholds(math.log(mc["n"]) / mc["d"])
    assert np.allclose(x_asy / x_fin, fs.h_G / th.h_G)


def test_top_weights_are_sorted_and_sum_below_one(built):
    ex = built["kde.top_weights"]
    for h in (0.3, 1.0, 2.5):
        ex.set(h=h, data_set=3)
        w = ex.fig.axes[0].get_lines()[0].get_ydata()
        assert np.all(np.diff(w) <= 0) and w.sum() <= 1 + 1e-12
    ex.set(h=0.3)
    assert "points carrying 90 % of the mass: 1\n" in _text(ex, "Σw²") + "\n"


def test_kl_minimum_lies_below_h_G(built):
    pre = tables.kl_bandwidth()
    h_min = pre["h"][pre["j_min"]]
    assert h_min < pre["h_G_finite"] == pytest.approx(kde.finite_size_thresholds(50, n=20_000).h_G)
    assert abs(pre["h_star"] - h_min) <= 0.1


def test_nn_gap_estimate_tracks_finite_size_h_G(built):
    ex = built["kde.nn_gap"]
    ex.set(n=1e4, k=1)
    pre = tables.nn_gaps()
    i = int(np.argmin(np.abs(tables.GAP_N - 1e4)))
    assert pre["est"][0, i] == pytest.approx(pre["h_G_finite"][i], rel=0.1)
    assert f"{pre['est'][0, i]:.3f}" in _text(ex, "estimate")
    assert math.isfinite(ex.last_update_seconds)
