"""The tables behind notebook 02 (kitlib.tables.kde) hold what kitlib.kde computes, on the grids
the explorers' controls step through. (tests/test_tables.py checks shipped files against a fresh
computation; here: the entries mean what their docstrings say.)"""

import math

import numpy as np
import pytest

from kitlib import kde
from kitlib.tables import kde as tables


def test_tables_take_keyword_arguments_only_and_return_read_only_arrays():
    with pytest.raises(TypeError):
        tables.quenched_annealed(1_000)
    pre = tables.quenched_annealed(n=1_000)
    assert pre["n"] == 1_000 and pre["alpha"] == pytest.approx(math.log(1_000) / 50)
    with pytest.raises(ValueError):
        pre["mc_q"][0] = 0.0


def test_phase_diagram_slider_grid_holds_the_finite_size_thresholds():
    pre = tables.phase_diagram()
    assert pre["slider_alpha"][0] == 0.05 and pre["slider_alpha"][-1] == 1.0
    assert np.allclose(np.diff(pre["slider_alpha"]), 0.01)
    for d, alpha in ((20, 0.37), (1000, 0.05), (50, 1.0)):
        i = int(np.flatnonzero(pre["dims"] == d)[0])
        j = int(np.argmin(np.abs(pre["slider_alpha"] - alpha)))
        fs = kde.finite_size_thresholds(d, log_n=alpha * d)
        assert pre["slider_fs_h_G"][i, j] == pytest.approx(fs.h_G, rel=1e-12)
        assert 2 * 1.3**2 * pre["slider_fs_c"][i, j] == pytest.approx(fs.kappa(1.3), rel=1e-12)
        assert pre["slider_h_G"][j] == pytest.approx(kde.thresholds(alpha).h_G, rel=1e-12)
    # finite-size markers lie above the asymptotic line at d = 20 and approach it as d grows
    gap = np.abs(pre["mark_h_G"] / kde.thresholds(pre["mark_alpha"]).h_G[None, :] - 1)
    assert np.all(gap[0] > gap[-1])


def test_histograms_are_densities_and_the_clt_curve_appears_only_outside_extreme_value():
    pre = tables.log_ratio_histograms()
    widths = np.diff(pre["edges"], axis=1)
    assert np.allclose((pre["counts"] * widths).sum(axis=1), 1.0)
    assert np.array_equal(pre["has_clt"], pre["kappa"] >= 1.0)
    assert pre["has_clt"][-1] and not pre["has_clt"][0]
    assert np.all(pre["clt_pdf"][~pre["has_clt"]] == 0)
    mc = tables.monte_carlo()
    assert np.allclose(pre["median"], np.median(mc["log_ratio"], axis=1))


def test_top_weights_table_equals_kitlib_on_the_same_data_sets():
    pre = tables.top_weights()
    D = kde.sample_sq_distances(50, 20_000, seed=np.random.default_rng(tables.SEED + 6), r=1.0,
                                size=tables.TOP_SETS)
    for h, s in ((0.3, 0), (0.87, 5), (2.5, 7)):
        j = int(np.argmin(np.abs(pre["h"] - h)))
        assert pre["h"][j] == pytest.approx(h)
        assert np.allclose(pre["weights"][j, s], kde.top_weights(D[s], h, k=tables.TOP_K), rtol=1e-12)
        stats = kde.weight_stats_from_sq_distances(D[s], h, 50)
        assert pre["participation"][j, s] == pytest.approx(float(stats.participation), rel=1e-12)
        assert pre["n_mass"][j, s] == int(stats.n_mass)
    assert np.all(np.diff(pre["weights"], axis=-1) <= 0)


def test_kl_table_minimum_and_optimum():
    pre = tables.kl_bandwidth()
    assert pre["j_min"] == int(np.argmin(pre["kl_mc"]))
    assert np.allclose(pre["kl_theory"], kde.kl_per_dim(pre["h"], pre["alpha"]))
    j = int(np.searchsorted(pre["h"], pre["h_star"]))
    # the exact optimum is where E[Σ w D]/d crosses h²
    assert (pre["wd"][j - 1] - pre["h"][j - 1] ** 2) * (pre["wd"][j] - pre["h"][j] ** 2) <= 0


def test_views_take_their_grids_from_the_tables():
    from kitlib.views import kde as views
    assert views.H_GRID is tables.H_GRID and views.D_DEFAULT == tables.D_DEFAULT
    assert views.N_DEFAULT == tables.N_DEFAULT
