"""Fixed regression cases from issue 17 (the probe's wrong answers and silent accepts).

Each wrong answer is checked against an independent value (mpmath at high precision, or a
closed form); each bad input against a refusal naming the argument.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from kitlib import divergences as D


def _renyi_mp(p, q, order):
    """log(Σ p^α q^{1−α}) / (α − 1) in 60-digit arithmetic (independent of kitlib)."""
    with mpmath.workdps(60):
        s = mpmath.fsum(mpmath.mpf(a) ** order * mpmath.mpf(b) ** (1 - order)
                        for a, b in zip(p, q) if a > 0)
        return float(mpmath.log(s) / (order - 1))


@pytest.mark.parametrize("order", [2.0, 100.0, 3_200.0, 1e4, 1e6, 1e12])
def test_renyi_large_order_is_finite_and_right(order):
    # before: inf for order >= ~3 200 (Σ p^α q^{1−α} overflowed); D_∞ = log max p/q = log 1.25
    p, q = [0.5, 0.5], [0.4, 0.6]
    want = _renyi_mp(p, q, order)
    assert D.renyi(p, q, order) == pytest.approx(want, rel=1e-12)
    grid = D.grid_divergence(np.log(p), np.log(q), 1.0, "renyi", alpha=order)
    assert grid == pytest.approx(want, rel=1e-12)
    assert want <= math.log(1.25)


def test_renyi_near_one_keeps_its_digits():
    p, q = [0.5, 0.5], [0.5 + 1e-7, 0.5 - 1e-7]
    assert D.renyi(p, q, 1.5) == pytest.approx(_renyi_mp(p, q, 1.5), rel=1e-6)


@pytest.mark.parametrize("shift", [10.0, 1e4, 1e6])
def test_sinkhorn_translation_is_the_squared_shift(shift):
    # before: NaN for a 1e4 shift (exp(-C/eps) underflowed); docstring: S_eps = |tau|^2 exactly
    x = np.linspace(-1.0, 1.0, 5)
    a = np.full(5, 0.2)
    assert D.sinkhorn_divergence(x, a, x + shift, a, 0.1) == pytest.approx(shift**2, rel=1e-9)


def test_sinkhorn_too_many_points_refused_before_allocating():
    n = 30_000  # before: allocated 6.7 GiB
    x = np.linspace(0.0, 1.0, n)
    a = np.full(n, 1.0 / n)
    with pytest.raises(ValueError, match="limit"):
        D.sinkhorn_divergence(x, a, x + 1.0, a, 0.1)


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------
from kitlib import fitting as F  # noqa: E402


def test_fit_mixture_far_apart_means_names_the_real_problem():
    # before: "means must be finite; got nan" (a 20 000-point grid cannot resolve ±1e6 with sd 1)
    with pytest.raises(ValueError, match="means and stds") as err:
        F.fit_mixture([0.5, 0.5], [-1e6, 1e6], [1.0, 1.0], 2, "reverse_kl")
    assert "nan" not in str(err.value)


@pytest.mark.parametrize("tol", [1e-17, 0.0, -1e-3])
def test_switch_separation_unreachable_tolerance_is_refused(tol):
    # before: tol=1e-17 bisected forever (float64 cannot halve a bracket below ~1e-15)
    with pytest.raises(ValueError, match="tol"):
        F.switch_separation("reverse_kl", tol=tol)


def test_empty_inputs_are_refused_not_answered_empty():
    # before: switch_curve([]) returned array([]); gradient_far_away([], ...) an empty result
    with pytest.raises(ValueError, match="alphas"):
        F.switch_curve([])
    with pytest.raises(ValueError, match="distances"):
        F.gradient_far_away([], "js")


def test_switch_curve_on_huge_input_is_refused_at_once():
    with pytest.raises(ValueError, match="alphas"):  # before: 1e7 global searches (hours)
        F.switch_curve(np.broadcast_to(0.5, (10**7,)))


@pytest.mark.parametrize("kwargs", [dict(steps=2.5), dict(n_restarts=1.5), dict(steps=True),
                                    dict(n_components=1.5)])
def test_counts_are_not_truncated(kwargs):
    args = dict(weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[1.0, 1.0], n_components=1,
                divergence="forward_kl")
    args.update(kwargs)
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        F.fit_mixture(**args)


def test_fit_gaussian_wide_target_memory_is_bounded():
    # before: candidate landscapes of 267 × 64 420 grid points at once (~0.8–1.9 GB RSS)
    import tracemalloc

    tracemalloc.start()
    try:
        fit = F.fit_gaussian([0.5, 0.5], [-1e3, 1e3], [1.0, 1.0], "reverse_kl")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 2**20
    assert abs(abs(fit.mean) - 1e3) < 1e-6 and fit.std == pytest.approx(1.0, rel=1e-6)
    assert fit.value == pytest.approx(math.log(2.0), rel=1e-9)  # KL(N_j ‖ ½N_1 + ½N_2) = log 2


# --------------------------------------------------------------------------------------------
# kde
# --------------------------------------------------------------------------------------------
from scipy import special, stats  # noqa: E402

from kitlib import kde as K  # noqa: E402


def _brute_log_kde(x, data, h):
    """Direct sum over explicit differences, in extended precision (independent of kitlib)."""
    d = data.shape[1]
    out = []
    for xi in np.atleast_2d(x):
        with mpmath.workdps(40):
            h_mp = mpmath.mpf(h)
            terms = [-mpmath.fsum((mpmath.mpf(a) - mpmath.mpf(b)) ** 2 for a, b in zip(xi, y))
                     / (2 * h_mp**2) for y in data]
            top = max(terms)
            lse = top + mpmath.log(mpmath.fsum(mpmath.exp(t - top) for t in terms))
            val = (lse - mpmath.mpf(d) / 2 * mpmath.log(2 * mpmath.pi * h_mp**2)
                   - mpmath.log(len(data)))
        out.append(float(val) if val > -1e308 else -math.inf)
    return np.array(out)


@pytest.mark.parametrize("h", [1e-6, 1e-9, 1e-160])
def test_log_kde_tiny_bandwidth_is_not_nan(h):
    # before: log_kde(..., 1e-160) returned [nan nan] (1/h² overflowed in the one-product form)
    rng = np.random.default_rng(3)
    data = rng.standard_normal((8, 3))
    x = np.vstack([data[2] + 1e-7, data[5]])
    got = K.log_kde(x, data, h)
    assert not np.isnan(got).any()
    np.testing.assert_allclose(got, _brute_log_kde(x, data, h), rtol=1e-9)
    stats_ = K.kernel_weight_stats(x, data, h)
    assert not np.isnan(stats_.log_density).any() and (stats_.max_weight <= 1).all()


@pytest.mark.parametrize("x, data, name", [
    (np.zeros((2, 3)), np.zeros((0, 3)), "data"),
    (np.zeros((0, 3)), np.zeros((5, 3)), "x"),   # before: ZeroDivisionError
])
def test_log_kde_empty_inputs_name_the_argument(x, data, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        K.log_kde(x, data, 1.0)


def test_relative_variance_is_never_negative():
    # before: relative_variance(1e4, 3, 100) = -5e-17 (cancellation in three logs)
    with mpmath.workdps(50):
        h = mpmath.mpf(10) ** 4
        ratio = (1 + h**2) ** 2 / (h**2 * (2 + h**2))
        want = float(mpmath.expm1(mpmath.mpf(3) / 2 * mpmath.log(ratio)
                                  + 3 / ((1 + h**2) * (2 + h**2))) / 100)
    got = K.relative_variance(1e4, 3, 100)
    assert got > 0 and got == pytest.approx(want, rel=1e-9)
    hs = np.geomspace(1e-3, 1e8, 60)
    assert (K.relative_variance(hs, 3, 100) >= 0).all()


def test_finite_size_thresholds_huge_r_and_non_circular_advice():
    # before: auto said "use method='exact'", exact said "use method='saddlepoint'"
    d, n, r = 3, 100, 1e12
    fs = K.finite_size_thresholds(d, n=n, r=r)
    lam, mean = r * d, d + r * d
    sd = math.sqrt(2 * d + 4 * lam)
    z = stats.norm.ppf(1 / n)
    gamma1 = (8 * d + 24 * lam) / (2 * d + 4 * lam) ** 1.5  # Cornish–Fisher skewness term
    d_star = mean + sd * (z + (z * z - 1) * gamma1 / 6)
    assert fs.D_star == pytest.approx(d_star, rel=1e-9)
    c = stats.norm.pdf(z) / (sd * (1 / n))  # f/F at the quantile, Gaussian limit
    assert fs.c == pytest.approx(c, rel=1e-4)
    with pytest.raises(ValueError) as err:
        K.finite_size_thresholds(d, n=n, r=r, method="exact")
    assert "handles it" in str(err.value)


@pytest.mark.parametrize("call, name", [
    (lambda: K.top_weights([1.0, 2.0, 3.0], 1.0, k=1.5), "k"),
    (lambda: K.sample_smallest_sq_distances(3, 50, 1.5, seed=0), "k"),
    (lambda: K.sample_sq_distances(3, 2.5, seed=0), "n"),
    (lambda: K.monte_carlo_kde(3, 100, [1.0], n_sets=2.5, seed=0), "n_sets"),
    (lambda: K.sample_sq_distances(3, 10, seed=True), "seed"),
])
def test_kde_counts_and_seeds_are_not_truncated(call, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call()


def test_monte_carlo_kde_huge_n_is_refused_before_allocating():
    # before: asked numpy for ~15 GiB
    with pytest.raises(ValueError, match="limit"):
        K.monte_carlo_kde(20, 10**9, [1.0], n_sets=2, seed=0)


# --------------------------------------------------------------------------------------------
# found by the generated/property suites while doing the above
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alpha", [5e-324, 1e-300, -1e-300])
def test_alpha_divergence_at_subnormal_alpha_is_reverse_kl(alpha):
    # before: 0.0 at alpha = 5e-324 (b·log(o/w) underflowed to 0); the α → 0 limit is KL(q‖p)
    p, q = [1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]
    assert D.alpha_divergence(p, q, alpha) == pytest.approx(math.log(1.5), rel=1e-12)


def test_neyman_chi2_with_a_huge_finite_ratio_is_finite():
    # before: inf (f(t) = (t − 1)²/t overflowed at t ~ 1e215); exact value Σ (p − q)²/p
    p = np.array([0.5 + 3e-216, 0.5])
    q = np.array([6e-216, 1.0 - 6e-216])
    want = float(np.sum((p - q) ** 2 / p))
    assert D.f_divergence(p, q, "neyman_chi2") == pytest.approx(want, rel=1e-12)


def test_kde_and_fitting_refuse_scales_float64_cannot_square():
    with pytest.raises(ValueError, match=r"\bh\b"):
        K.alpha_G(1e300)  # before: NaN
    with pytest.raises(ValueError, match=r"\bx\b"):
        K.log_kde(np.full((1, 2), 1e300), np.zeros((3, 2)), 1.0)  # before: NaN
    with pytest.raises(ValueError, match="means"):
        F.fit_mixture([0.5, 0.5], [1e15, 1e15], [1.0, 1.0], 1, "forward_kl")  # before: "dx"
    with pytest.raises(ValueError, match="alpha"):
        F.one_mode_appears("alpha", alpha=1e15)  # before: ran for minutes


def test_fit_mixture_iteration_cap_warns_and_returns_the_best_so_far():
    from kitlib import ConvergenceWarning

    target = ([1 / 3, 1 / 3, 1 / 3], [-3.0, 0.0, 3.0], [1.0, 1.0, 1.0])
    with pytest.warns(ConvergenceWarning, match="steps"):
        capped = F.fit_mixture(*target, 2, "reverse_kl", steps=2, n_restarts=0)
    full = F.fit_mixture(*target, 2, "reverse_kl", n_restarts=0)
    assert math.isfinite(capped.value) and capped.value >= full.value - 1e-12
