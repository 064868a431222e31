"""Property tests (hypothesis) for kitlib.kde: invariances of the estimator, bounds on the weight
summaries, and the ordering of the thresholds and theory curves for every alpha and h."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib import kde

FAST = settings(max_examples=40, deadline=None)

alphas = st.floats(min_value=1e-4, max_value=8.0, allow_nan=False)
bandwidths = st.floats(min_value=0.05, max_value=5.0, allow_nan=False)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def data_sets(draw):
    d = draw(st.integers(1, 12))
    n = draw(st.integers(2, 60))
    m = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(seeds))
    scale = draw(st.floats(0.1, 5.0))
    return rng.standard_normal((m, d)) * scale, rng.standard_normal((n, d)), rng


@FAST
@given(data_sets(), bandwidths)
def test_translation_and_permutation_invariance(sample, h):
    x, y, rng = sample
    base = kde.log_kde(x, y, h)
    shift = rng.standard_normal(y.shape[1]) * 3
    assert np.allclose(kde.log_kde(x + shift, y + shift, h), base, atol=1e-8)
    assert np.allclose(kde.log_kde(x, y[rng.permutation(len(y))], h), base, atol=1e-10)


@FAST
@given(data_sets(), bandwidths)
def test_density_bounded_by_the_largest_kernel_and_duplicating_data_changes_nothing(sample, h):
    x, y, _ = sample
    d = y.shape[1]
    val = kde.log_kde(x, y, h)
    assert np.all(val <= -0.5 * d * math.log(2 * math.pi * h * h) + 1e-9)
    assert np.allclose(kde.log_kde(x, np.vstack([y, y]), h), val, atol=1e-10)


@FAST
@given(data_sets(), bandwidths)
def test_weight_summaries_are_bounded_and_consistent(sample, h):
    x, y, _ = sample
    n = len(y)
    s = kde.kernel_weight_stats(x, y, h)
    assert np.all((s.participation >= 1 / n - 1e-12) & (s.participation <= 1 + 1e-12))
    assert np.all((s.max_weight >= 1 / n - 1e-12) & (s.max_weight <= 1 + 1e-12))
    # Σw² <= max w (each w_i <= max w), and max w² <= Σw²
    assert np.all(s.participation <= s.max_weight + 1e-12)
    assert np.all(s.max_weight**2 <= s.participation + 1e-12)
    assert np.all((s.n_mass >= 1) & (s.n_mass <= n))
    assert np.allclose(s.log_density, kde.log_kde(x, y, h), atol=1e-9)


@FAST
@given(alphas)
def test_thresholds_are_ordered(alpha):
    th = kde.thresholds(alpha)
    assert 0 < th.h_KL <= th.h_G < th.h_CLT
    assert 0 < th.t_star < 1
    assert math.isclose(kde.stable_index(th.h_G, alpha), 1.0, rel_tol=1e-10)
    assert math.isclose(kde.stable_index(th.h_CLT, alpha), 2.0, rel_tol=1e-10)


@FAST
@given(alphas, alphas)
def test_h_G_decreases_with_alpha(a, b):
    if a < b:
        assert kde.thresholds(a).h_G >= kde.thresholds(b).h_G


@FAST
@given(bandwidths, alphas)
def test_quenched_below_annealed_and_kl_nonnegative(h, alpha):
    assert kde.typical_log_density(h, alpha) <= kde.annealed_log_density(h) + 1e-12
    assert kde.typical_log_density(h, alpha, branch="low") <= kde.annealed_log_density(h) + 1e-12
    kl = kde.kl_per_dim(h, alpha)
    assert kl >= 0
    assert kl >= kde.kl_per_dim(kde.thresholds(alpha).h_KL, alpha) - 1e-12


@FAST
@given(st.floats(0.0, 1.0))
def test_pd_largest_weight_between_participation_and_one(kappa):
    m = kde.pd_expected_max_weight(kappa)
    # E max w >= E Σw² = 1 - κ (since Σw² <= max w), and <= 1
    assert kde.expected_participation(kappa) - 1e-9 <= m <= 1.0


@settings(max_examples=15, deadline=None)
@given(st.integers(20, 400), st.floats(1.0, 30.0))
def test_finite_size_methods_agree(d, log_n):
    ex = kde.finite_size_thresholds(d, log_n=log_n, method="exact")
    sp = kde.finite_size_thresholds(d, log_n=log_n, method="saddlepoint")
    assert math.isclose(ex.h_G, sp.h_G, rel_tol=2e-4)
