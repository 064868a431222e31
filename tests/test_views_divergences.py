"""Notebook 01's explorers show the right numbers (the generic sweep is in test_views.py)."""

import numpy as np
import pytest

from kitlib import fitting as ft
from kitlib.tables import divergences as T
from kitlib.views import divergences as V


def _params(**kw):
    base = {"separation": 3.0, "divergence": "reverse_kl", "alpha": 0.5, "fixed_width": False}
    base.update(kw)
    return base


def test_bimodal_forward_kl_is_moment_matching():
    d = V.bimodal_fit_compute(_params(separation=2.0, divergence="forward_kl"))
    assert d["fit"].mean == pytest.approx(0.0, abs=1e-9)
    assert d["fit"].std ** 2 == pytest.approx(1 + 2.0**2, rel=1e-9)
    assert d["switch"] == np.inf


def test_bimodal_reverse_kl_jumps_between_2_4_and_2_8():
    assert T.switch_separations()["free"]["reverse_kl"] == pytest.approx(2.80, abs=0.01)
    assert T.switch_separations()["fixed"]["reverse_kl"] == pytest.approx(1.4608, abs=0.005)
    before = V.bimodal_fit_compute(_params(separation=2.7))["fit"]
    after = V.bimodal_fit_compute(_params(separation=2.9))["fit"]
    assert abs(before.mean) < 1e-3 and abs(after.mean) > 2.0


def test_landscape_optimum_matches_the_global_fit():
    d = V.bimodal_fit_compute(_params(separation=3.0, divergence="js"))
    fit = ft.fit_gaussian(*V.bimodal_target(3.0), "js")
    assert d["fit"].value == pytest.approx(fit.value, rel=1e-6)
    z = d["z"]
    assert z.shape == (V.LOG_STD_GRID.size, V.MU_GRID.size)
    row, col = np.unravel_index(np.argmin(z), z.shape)  # lowest cell (brightest in viridis_r) near the optimum
    assert abs(V.MU_GRID[col] - fit.mean) <= 0.5
    assert abs(V.LOG_STD_GRID[row] - np.log(fit.std)) <= 0.2


def test_bimodal_fits_come_from_the_table_and_equal_a_fresh_fit():
    rng = np.random.default_rng(7)
    seps = T.FIT_SEPARATIONS
    for _ in range(6):
        d = float(seps[rng.integers(seps.size)])
        div = str(rng.choice(T.SWITCH_DIVERGENCES))
        fixed = bool(rng.integers(2))
        shown = V.bimodal_fit_compute(_params(separation=d, divergence=div, fixed_width=fixed))
        land, fresh = ft.fit_gaussian_grid(*V.bimodal_target(d), div, V.MU_GRID,
                                           np.exp(V.LOG_STD_GRID), fixed_std=1.0 if fixed else None)
        assert shown["fit"] == fresh, (d, div, fixed)
        np.testing.assert_array_equal(shown["z"].mask, ~np.isfinite(land.T))
        # the tabulated landscape image is the fresh one, to float32's 7 digits
        np.testing.assert_allclose(shown["z"].filled(np.nan), T.landscape_image(land),
                                   rtol=1e-6, atol=1e-6, equal_nan=True)
    assert V.tabulated_fit(3.0, "js", False) is not None
    assert V.tabulated_fit(3.025, "js", False) is None  # off the grid: fitted on the spot
    assert V.tabulated_fit(3.0, "alpha", False) is None  # Minka's α: its slider is continuous
    assert V.tabulated_landscape(3.0, "js") is not None
    assert V.tabulated_landscape(3.025, "js") is None and V.tabulated_landscape(3.0, "alpha") is None


def test_landscape_image_refuses_a_landscape_with_no_finite_value():
    with pytest.raises(ValueError, match="at least one finite value"):
        T.landscape_image(np.full((3, 2), np.inf))


def test_alpha_slider_limits_are_the_kls_and_tail_region_is_blank():
    w, m, s = V.bimodal_target(3.0)
    one = V.bimodal_fit_compute(_params(divergence="alpha", alpha=1.0))["fit"]
    assert one.std == pytest.approx(np.sqrt(10.0), rel=1e-6)
    neg = V.bimodal_fit_compute(_params(divergence="alpha", alpha=-1.0))
    assert np.ma.count_masked(neg["z"]) > 0  # s² > 1 + 1/|α| is infinite, not a finite guess
    assert np.isfinite(neg["fit"].value)


def test_alpha_path_table_and_switch_curve():
    table = T.alpha_path()
    i = int(np.argmin(np.abs(table["separations"] - 3.0)))
    j = int(np.argmin(np.abs(table["alphas"] - 0.0)))
    assert table["mu"][i, j] == pytest.approx(abs(ft.fit_gaussian(*V.bimodal_target(3.0), "reverse_kl").mean), abs=1e-6)
    assert table["mu"][i, -1] == pytest.approx(0.0, abs=1e-6)  # α = 2: mass-covering
    curve = T.alpha_switch()
    sw = curve["switch"]
    finite = sw[np.isfinite(sw)]
    assert np.all(np.diff(finite) > 0), "d*(α) increases with α"
    assert np.isinf(sw[curve["alphas"] >= 0.9]).all()
    # the table is kitlib.fitting.switch_curve on the grid
    assert sw[4] == ft.switch_curve([curve["alphas"][4]], d_max=8.0, tol=2e-2)[0]
    assert V.switch_separation_at(0.0) == pytest.approx(2.80, abs=0.03)


def test_mixture_forward_covers_reverse_drops_a_mode():
    fwd = V.mixture_fit_compute({"separation": 6.0, "divergence": "forward_kl"})
    rev = V.mixture_fit_compute({"separation": 6.0, "divergence": "reverse_kl"})
    assert min(fwd["mass_near"]) > 0.1
    assert min(rev["mass_near"]) < 0.01


def test_distillation_students_average_or_collapse():
    cold = V.distillation_compute({"temperature": 1.0, "balance": 0.5, "distance": 4.0})
    hot = V.distillation_compute({"temperature": 4.0, "balance": 0.5, "distance": 4.0})
    assert cold["students"]["reverse_kl"].max() > 3 * cold["students"]["forward_kl"].max()
    peak = np.argmax(cold["students"]["reverse_kl"])
    assert abs(peak - 3.5) <= 1.0  # on the teacher's bigger mode
    assert hot["students"]["reverse_kl"].max() < 1.5 * hot["students"]["forward_kl"].max()
    # the tabulated students are kitlib.fitting's fits at the slider's grid points
    teacher = ft.softmax(T.TEACHER_LOGITS, temperature=1.0)
    np.testing.assert_allclose(cold["students"]["js"], ft.student_fit(teacher, "js").probs,
                               rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(cold["students"]["balanced"],
                               ft.balanced_student_fit(teacher, 0.5).probs, rtol=1e-9, atol=1e-14)
    assert cold["at"]["w2"] == pytest.approx(8.0, rel=1e-6)  # 2δ at δ = 4
    assert cold["at"]["js"] < 0.1 * cold["at"]["forward_kl"]


def test_f_weights_match_the_brief_table():
    d = V.f_weights_compute({"ratio": 2.0, "alpha": 0.5})
    assert d["at_r"]["forward_kl"] == pytest.approx(2.0)
    assert d["at_r"]["reverse_kl"] == pytest.approx(1.0)
    assert d["at_r"]["chi2"] == pytest.approx(8.0)
    assert d["at_r"]["neyman_chi2"] == pytest.approx(1.0)
    assert d["at_r"]["js"] == pytest.approx(1.0 / 3.0)
    assert d["minka_at_r"] == pytest.approx(np.sqrt(2.0))
