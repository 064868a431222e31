"""kitlib.kde: closed forms, finite-size thresholds, the fast evaluator against brute force, the
exact distance sampler in distribution, and seeded Monte Carlo checks of the regimes."""

import math

import numpy as np
import pytest
from scipy import special, stats

from kitlib import kde

# --------------------------------------------------------------------------------------------
# brute-force references
# --------------------------------------------------------------------------------------------


def brute_log_kde(x, y, h):
    """A plain loop over test points and data points (no matrix products)."""
    d = y.shape[1]
    out = []
    for xi in np.atleast_2d(x):
        logk = [-float(np.sum((xi - yj) ** 2)) / (2 * h * h) for yj in y]
        out.append(special.logsumexp(logk) - math.log(len(y)) - 0.5 * d * math.log(2 * math.pi * h * h))
    return np.array(out)


def brute_weights(x, y, h):
    D = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    logk = -D / (2 * h * h)
    w = np.exp(logk - logk.max(1, keepdims=True))
    return w / w.sum(1, keepdims=True)


def A(q):
    return 0.5 * (np.log1p(q) - q / (1 + q) ** 2)


ALPHAS = np.array([1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 20.0, 100.0])


# --------------------------------------------------------------------------------------------
# closed forms
# --------------------------------------------------------------------------------------------
def test_worked_row_alpha_0_2():
    th = kde.thresholds(0.2)
    assert th.t_star == pytest.approx(0.52231, abs=5e-6)
    assert th.q_star == pytest.approx(0.91459, abs=5e-6)
    assert th.h_G == pytest.approx(1.0457, abs=5e-5)
    assert th.h_CLT == pytest.approx(1.4788, abs=5e-5)
    assert th.h_KL == pytest.approx(0.8917, abs=5e-5)
    assert th.u_min == pytest.approx(0.7951, abs=5e-5)


def test_q_star_solves_A_and_t_star_its_equation():
    th = kde.thresholds(ALPHAS)
    ok = ALPHAS <= 20  # beyond, q* overflows the float range long before A does
    assert np.allclose(A(th.q_star[ok]), ALPHAS[ok], rtol=1e-10, atol=0)
    t = th.t_star
    lhs = t**2 - t - np.log(t)
    assert np.allclose(lhs[ALPHAS >= 1e-3], 2 * ALPHAS[ALPHAS >= 1e-3], rtol=1e-10)
    assert np.all((t > 0) & (t < 1))


def test_h_CLT_is_sqrt2_h_G_and_h_KL_below_h_G_for_all_alpha():
    alphas = np.geomspace(1e-8, 300, 400)
    th = kde.thresholds(alphas)
    assert np.allclose(th.h_CLT, math.sqrt(2) * th.h_G, rtol=1e-14)
    # strictly below while 1 - t*^2 is distinguishable from 1 in float64 (t* ~ e^(-2 alpha))
    assert np.all(th.h_KL[alphas <= 5] < th.h_G[alphas <= 5])
    assert np.all(th.h_KL <= th.h_G)
    assert np.allclose(th.h_KL**2 / th.h_G**2, 1 - th.t_star**2, rtol=1e-9)
    assert np.allclose(th.u_min, th.t_star * (1 + th.t_star), rtol=1e-14)
    assert np.all(np.diff(th.h_G) < 0), "h_G decreases with alpha"


def test_asymptotics():
    small = np.array([1e-10, 1e-8, 1e-6])
    assert np.allclose(kde.thresholds(small).h_G, (3 / (4 * small)) ** 0.25, rtol=2e-3)
    large = np.array([20.0, 50.0, 200.0])
    assert np.allclose(kde.thresholds(large).h_G, np.exp(-large), rtol=1e-6)


def test_scalar_and_vector_thresholds_agree():
    vec = kde.thresholds(ALPHAS)
    for i, a in enumerate(ALPHAS):
        sc = kde.thresholds(float(a))
        assert isinstance(sc.h_G, float)
        assert sc.h_G == pytest.approx(vec.h_G[i], rel=1e-14)


def test_alpha_G_inverts_h_G_and_stable_index():
    th = kde.thresholds(ALPHAS[ALPHAS <= 5])
    assert np.allclose(kde.alpha_G(th.h_G), th.alpha, rtol=1e-9)
    assert kde.stable_index(th.h_G[3], th.alpha[3]) == pytest.approx(1.0, rel=1e-12)
    assert kde.stable_index(1.0, 0.2) == pytest.approx(0.91459, abs=5e-6)
    assert [kde.regime_name(k) for k in (0.3, 1.5, 2.5)] == ["extreme-value", "heavy-tailed", "CLT"]


def test_branches_join_with_same_value_and_slope_at_h_G():
    for alpha in (0.05, 0.2, 1.0):
        hg = kde.thresholds(alpha).h_G
        eps = 1e-6
        for f in (kde.kl_per_dim, kde.typical_log_density):
            lo, hi = f(hg, alpha, branch="low"), f(hg, alpha, branch="high")
            assert lo == pytest.approx(hi, abs=1e-12)
            s_lo = (f(hg + eps, alpha, branch="low") - f(hg - eps, alpha, branch="low")) / (2 * eps)
            s_hi = (f(hg + eps, alpha, branch="high") - f(hg - eps, alpha, branch="high")) / (2 * eps)
            assert s_lo == pytest.approx(s_hi, abs=1e-6)


def test_kl_minimum_is_h_KL_inside_the_extreme_value_regime():
    for alpha in (0.05, 0.2, 0.7):
        th = kde.thresholds(alpha)
        h = np.linspace(0.3 * th.h_KL, 2 * th.h_G, 20001)
        kl = kde.kl_per_dim(h, alpha)
        assert h[np.argmin(kl)] == pytest.approx(th.h_KL, abs=2e-4 * th.h_G)
        assert np.all(kl >= 0)


def test_quenched_never_above_annealed_and_equal_above_h_G():
    alpha = 0.2
    h = np.linspace(0.2, 3.0, 500)
    q, a = kde.typical_log_density(h, alpha), kde.annealed_log_density(h)
    assert np.all(q <= a + 1e-14)
    above = h >= kde.thresholds(alpha).h_G
    assert np.array_equal(q[above], a[above])
    assert np.all(q[~above] < a[~above])
    assert np.allclose(kde.log_expected_kde(50.0, h, 50) / 50, a, rtol=1e-14)


def test_kl_equals_mean_log_rho_minus_typical_log_density():
    h = np.linspace(0.3, 2.5, 50)
    mean_log_rho = -0.5 * math.log(2 * math.pi) - 0.5
    assert np.allclose(kde.kl_per_dim(h, 0.3), mean_log_rho - kde.typical_log_density(h, 0.3), atol=1e-13)


def test_poisson_dirichlet_largest_weight():
    brief = [0.926, 0.856, 0.781, 0.706, 0.625, 0.537, 0.447, 0.340, 0.222]  # Monte Carlo values
    got = kde.pd_expected_max_weight(np.arange(1, 10) / 10)
    assert np.allclose(got, brief, atol=6e-3)
    assert kde.pd_expected_max_weight(0.0) == 1.0
    assert kde.pd_expected_max_weight(1.0) == 0.0
    assert np.all(np.diff(got) < 0)
    # an independent seeded simulation of PD(1/2, 0) from a stable subordinator's jumps
    rng = np.random.default_rng(5)
    gam = np.cumsum(rng.exponential(size=(10000, 1000)), axis=1)
    jumps = gam**-2.0
    tail = 1.0 / gam[:, -1]  # sum beyond the last jump: integral of t^-2 from Gamma_N
    v1 = jumps[:, 0] / (jumps.sum(1) + tail)
    assert kde.pd_expected_max_weight(0.5) == pytest.approx(v1.mean(), abs=4 * v1.std() / math.sqrt(10000))


def test_expected_participation():
    assert np.allclose(kde.expected_participation([0.0, 0.25, 1.0, 3.0]), [1.0, 0.75, 0.0, 0.0])


# --------------------------------------------------------------------------------------------
# finite size
# --------------------------------------------------------------------------------------------
def test_finite_size_example_d50_n1e5():
    fs = kde.finite_size_thresholds(50, n=100_000)
    assert fs.method == "exact"
    assert fs.alpha == pytest.approx(0.230, abs=5e-4)
    assert kde.thresholds(fs.alpha).h_G == pytest.approx(0.983, abs=5e-4)
    # the brief quotes 1.056 (first-order saddle point); the exact law gives 1.0583
    assert fs.h_G == pytest.approx(1.0583, abs=5e-4)
    assert fs.h_CLT == pytest.approx(math.sqrt(2) * fs.h_G, rel=1e-14)
    assert fs.kappa(fs.h_G) == pytest.approx(1.0, rel=1e-12)
    # D* is the 1/n quantile and c the log-slope of the lower tail there
    dist = stats.ncx2(50, 50)
    assert dist.cdf(fs.D_star) == pytest.approx(1e-5, rel=1e-8)
    assert fs.c == pytest.approx(dist.pdf(fs.D_star) / dist.cdf(fs.D_star), rel=1e-8)


@pytest.mark.parametrize("d,log_n", [(20, 3.0), (50, 10.0), (100, 20.0), (500, 100.0), (2000, 400.0)])
def test_saddle_point_agrees_with_exact_law(d, log_n):
    ex = kde.finite_size_thresholds(d, log_n=log_n, method="exact")
    sp = kde.finite_size_thresholds(d, log_n=log_n, method="saddlepoint")
    assert sp.method == "saddlepoint"
    assert sp.h_G == pytest.approx(ex.h_G, rel=5e-5)
    assert sp.D_star == pytest.approx(ex.D_star, rel=1e-5)


def test_finite_size_converges_to_asymptotic_thresholds():
    alpha = 0.2
    hg = kde.thresholds(alpha).h_G
    dims = [50, 200, 1000, 10_000, 100_000, 1_000_000]
    errs = [abs(kde.finite_size_thresholds(d, log_n=alpha * d).h_G / hg - 1) for d in dims]
    assert all(b < a for a, b in zip(errs, errs[1:])), errs
    assert errs[-1] < 3e-5  # "about 5 digits" at d = 10^6
    big = kde.finite_size_thresholds(1_000_000, log_n=alpha * 1e6)
    assert big.method == "saddlepoint"
    assert big.mean_min_sq_distance / 1e6 == pytest.approx(kde.thresholds(alpha).u_min, rel=1e-4)


def test_n_and_log_n_agree_and_exact_refuses_unreachable_sizes():
    a = kde.finite_size_thresholds(50, n=20_000)
    b = kde.finite_size_thresholds(50, log_n=math.log(20_000))
    assert a.h_G == pytest.approx(b.h_G, rel=1e-12)
    with pytest.raises(ValueError, match="saddlepoint"):
        kde.finite_size_thresholds(100_000, log_n=20_000.0, method="exact")


def test_mean_min_distance_matches_simulation():
    d, n = 50, 20_000
    fs = kde.finite_size_thresholds(d, n=n)
    mins = kde.sample_smallest_sq_distances(d, n, 2, seed=np.random.default_rng(3), size=400)
    assert mins[:, 0].mean() == pytest.approx(fs.mean_min_sq_distance, abs=0.1 * fs.h_G**2 * 2)


# --------------------------------------------------------------------------------------------
# evaluation against brute force
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("d,n,m,h", [(1, 7, 5, 0.3), (3, 50, 4, 1.0), (20, 200, 9, 0.4), (50, 300, 3, 2.0)])
def test_log_kde_equals_brute_force_loop(d, n, m, h):
    rng = np.random.default_rng(d * 1000 + n)
    y = rng.standard_normal((n, d))
    x = rng.standard_normal((m, d)) * 1.5
    ref = brute_log_kde(x, y, h)
    assert np.allclose(kde.log_kde(x, y, h), ref, rtol=0, atol=1e-10)
    assert np.allclose(kde.log_kde(x, y, h, dtype=np.float32), ref, rtol=0, atol=2e-3 * max(1, 1 / h**2))


def test_log_kde_many_blocks_and_far_points_stay_finite_and_exact():
    rng = np.random.default_rng(11)
    y = rng.standard_normal((5000, 10))
    x = np.vstack([rng.standard_normal((300, 10)), 40.0 + rng.standard_normal((2, 10))])
    h = 0.05  # every kernel value underflows without the log-sum-exp shift
    got = kde.log_kde(x, y, h)
    assert np.all(np.isfinite(got))
    D = kde.sq_distances(x, y)
    ref = special.logsumexp(-D / (2 * h * h), axis=1) - math.log(5000) - 5 * math.log(2 * math.pi * h * h)
    assert np.allclose(got, ref, rtol=1e-13, atol=1e-9)
    assert np.allclose(brute_log_kde(x[:3], y, h), got[:3], atol=1e-8)
    assert np.allclose(kde.log_kde(x[0], y, h), got[:1], rtol=1e-14)  # one point as a 1-D array


def test_log_kde_matches_scipy_gaussian_kde_on_whitened_data():
    rng = np.random.default_rng(2)
    y = rng.standard_normal((400, 4))
    y = (y - y.mean(0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(y.T))).T  # sample covariance = I
    x = rng.standard_normal((6, 4))
    ref = stats.gaussian_kde(y.T, bw_method=0.6).logpdf(x.T)
    assert np.allclose(kde.log_kde(x, y, 0.6), ref, atol=1e-9)


def test_kernel_weight_stats_equal_brute_force():
    rng = np.random.default_rng(4)
    y = rng.standard_normal((600, 8))
    x = rng.standard_normal((5, 8))
    for h in (0.3, 0.8, 3.0):
        w = brute_weights(x, y, h)
        st = kde.kernel_weight_stats(x, y, h, mass=0.9)
        assert np.allclose(st.participation, (w**2).sum(1), rtol=1e-10)
        assert np.allclose(st.max_weight, w.max(1), rtol=1e-10)
        ws = -np.sort(-w, axis=1)
        need = [int(np.searchsorted(np.cumsum(r), 0.9) + 1) for r in ws]
        assert list(st.n_mass) == need
        assert np.allclose(st.log_density, brute_log_kde(x, y, h), atol=1e-10)
        D = kde.sq_distances(x, y)
        st2 = kde.weight_stats_from_sq_distances(D, h, 8)
        assert np.allclose(st2.participation, st.participation, rtol=1e-9)
        assert np.allclose(st2.log_density, st.log_density, atol=1e-9)
        assert np.allclose(kde.log_kde_from_sq_distances(D, h, 8), st.log_density, atol=1e-9)
        top = kde.top_weights(D, h, k=5)
        assert np.allclose(top, ws[:, :5], rtol=1e-9, atol=1e-300)


# --------------------------------------------------------------------------------------------
# the exact distance sampler
# --------------------------------------------------------------------------------------------
def _brute_distances(d, n, r, rng):
    x = rng.standard_normal(d)
    x *= math.sqrt(r * d) / np.linalg.norm(x)
    y = rng.standard_normal((n, d))
    return ((y - x) ** 2).sum(1)


@pytest.mark.parametrize("d,r", [(1, 1.0), (2, 0.5), (10, 1.0), (50, 1.3)])
def test_sampler_matches_brute_force_distances_in_distribution(d, r):
    brute = _brute_distances(d, 4000, r, np.random.default_rng(100 + d))
    fast = kde.sample_sq_distances(d, 4000, seed=np.random.default_rng(200 + d), r=r)
    assert stats.ks_2samp(brute, fast).pvalue > 0.01
    assert stats.kstest(fast, stats.ncx2(d, r * d).cdf).pvalue > 0.01


def test_sampler_ks_test_has_power():
    """The same test rejects a sampler built for the wrong |x|² — so it can fail."""
    brute = _brute_distances(50, 4000, 1.0, np.random.default_rng(1))
    wrong = kde.sample_sq_distances(50, 4000, seed=np.random.default_rng(2), r=1.15)
    assert stats.ks_2samp(brute, wrong).pvalue < 1e-6


def test_sampler_shapes_seeds_and_smallest():
    a = kde.sample_sq_distances(30, 100, seed=7, size=3)
    b = kde.sample_sq_distances(30, 100, seed=np.random.default_rng(7), size=3)
    assert a.shape == (3, 100) and np.array_equal(a, b) and np.all(a >= 0)
    rng = np.random.default_rng(8)
    s = kde.sample_smallest_sq_distances(20, 5000, 4, seed=rng, size=3, chunk=700)
    assert s.shape == (3, 4) and np.all(np.diff(s, axis=1) >= 0)
    full = kde.sample_sq_distances(20, 5000, seed=np.random.default_rng(9))
    one = kde.sample_smallest_sq_distances(20, 5000, 4, seed=np.random.default_rng(9), chunk=5000)
    assert np.allclose(one[0], np.sort(full)[:4])


# --------------------------------------------------------------------------------------------
# seeded Monte Carlo checks of the regimes
# --------------------------------------------------------------------------------------------
def test_participation_follows_one_minus_finite_size_kappa():
    d, n = 50, 5000
    fs = kde.finite_size_thresholds(d, n=n)
    th = kde.thresholds(math.log(n) / d)
    ratios = np.array([0.3, 0.5, 0.6])
    mc = kde.monte_carlo_kde(d, n, ratios * fs.h_G, n_sets=1000, seed=12)
    part = mc.participation.mean(axis=1)
    theory_fs = 1 - ratios**2
    theory_asym = kde.expected_participation(kde.stable_index(ratios * fs.h_G, th.alpha))
    assert np.allclose(part[:2], theory_fs[:2], atol=0.03), part
    # the finite-size h_G(d, n) explains the data; the d -> infinity one does not
    assert np.all(np.abs(part - theory_fs) < np.abs(part - theory_asym))
    # largest weight: Poisson-Dirichlet PD(kappa_d, 0) deep in the extreme-value regime
    assert mc.max_weight[0].mean() == pytest.approx(kde.pd_expected_max_weight(0.09), abs=0.02)


def test_clt_regime_mean_one_and_exact_variance():
    d, n, h = 50, 2000, 2.5
    mc = kde.monte_carlo_kde(d, n, [h], n_sets=3000, seed=13, dtype=np.float64)
    ratio = np.exp(mc.log_ratio[0])
    v = kde.relative_variance(h, d, n)
    assert ratio.mean() == pytest.approx(1.0, abs=4 * math.sqrt(v / 3000))
    assert ratio.var() == pytest.approx(v, rel=0.12)
    assert mc.participation[0].mean() < 0.01


def test_monte_carlo_matches_direct_statistics_on_the_same_draws():
    d, n, hs = 20, 3000, np.array([0.4, 1.0, 2.0])
    mc = kde.monte_carlo_kde(d, n, hs, n_sets=3, seed=21, dtype=np.float64)
    D = kde.sample_sq_distances(d, n, seed=np.random.default_rng(21), r=1.0, size=3)
    for j, h in enumerate(hs):
        st = kde.weight_stats_from_sq_distances(D, h, d)
        assert np.allclose(mc.log_density[j], st.log_density, atol=1e-10)
        assert np.allclose(mc.participation[j], st.participation, rtol=1e-10)
        assert np.allclose(mc.max_weight[j], st.max_weight, rtol=1e-10)
        w = np.exp(-(D - D.min(1, keepdims=True)) / (2 * h * h))
        w /= w.sum(1, keepdims=True)
        assert np.allclose(mc.weighted_sq_distance[j], (w * D).sum(1), rtol=1e-10)
        log_mean = kde.log_expected_kde(d, h, d)
        assert np.allclose(mc.log_ratio[j], st.log_density - log_mean, atol=1e-10)


def test_nearest_neighbour_gaps_estimate_h_G():
    d, n = 50, 5000
    fs = kde.finite_size_thresholds(d, n=n)
    asym = kde.thresholds(fs.alpha).h_G
    s = kde.sample_smallest_sq_distances(d, n, 6, seed=np.random.default_rng(31), size=3000)
    est = kde.h_G_from_gaps(s, k=1)
    assert est == pytest.approx(fs.h_G, rel=0.05)
    assert abs(est - fs.h_G) < abs(est - asym)  # it measures the finite-size threshold
    # farther spacings sit where the tail is flatter: more of them bias the estimate upwards
    assert kde.h_G_from_gaps(s, k=5) > est
    sp = kde.normalised_spacings(s, k=3)
    assert sp.shape == (3000, 3) and np.all(sp >= 0)
    assert np.allclose(sp[:, 2], 3 * (s[:, 3] - s[:, 2]))
    assert kde.h_G_from_gaps(s, k=3) == pytest.approx(math.sqrt(sp.mean() / 2), rel=1e-14)
    # the first normalised spacing is exponential: its coefficient of variation is 1
    assert sp[:, 0].std() / sp[:, 0].mean() == pytest.approx(1.0, abs=0.08)


def test_densities_integrate_to_one():
    z = np.linspace(-0.5, 0.5, 20001)
    assert np.trapezoid(kde.clt_log_ratio_pdf(z, 2.5, 50, 2000), z) == pytest.approx(1.0, abs=1e-6)
    z = np.linspace(0, 200, 200001)
    assert np.trapezoid(kde.spacing_pdf(z, 1.3), z) == pytest.approx(1.0, abs=1e-6)


def test_kl_monte_carlo_and_optimal_bandwidth_identity():
    d, n = 30, 2000
    hs = np.linspace(0.5, 1.8, 14)
    mc = kde.monte_carlo_kde(d, n, hs, n_sets=300, seed=41, r=None)
    kl = mc.kl_per_dim()
    assert np.all(kl > 0)
    h_star = mc.optimal_bandwidth()
    assert abs(h_star - hs[np.argmin(kl)]) <= 0.15
    with pytest.raises(ValueError, match="bracket"):
        kde.monte_carlo_kde(d, n, [1.5, 1.8], n_sets=20, seed=1, r=None).optimal_bandwidth()


# --------------------------------------------------------------------------------------------
# invalid input
# --------------------------------------------------------------------------------------------
Y = np.zeros((5, 3))


@pytest.mark.parametrize("call,match", [
    (lambda: kde.log_kde(np.zeros((2, 3)), Y, 0.0), r"\bh\b.*> 0.*0.0"),
    (lambda: kde.log_kde(np.zeros((2, 3)), Y, -1.0), r"\bh\b.*-1.0"),
    (lambda: kde.log_kde(np.zeros((2, 3)), Y, float("nan")), r"\bh\b"),
    (lambda: kde.log_kde(np.zeros((2, 4)), Y, 1.0), "same number of columns"),
    (lambda: kde.log_kde(np.zeros((2, 3)), np.zeros((1, 3)), 1.0), "n >= 2"),
    (lambda: kde.log_kde(np.zeros((2, 3)), np.zeros(3), 1.0), r"\bdata\b.*2-D"),
    (lambda: kde.log_kde(np.zeros((2, 3)), Y, 1.0, dtype=np.int64), r"\bdtype\b"),
    (lambda: kde.kernel_weight_stats(np.zeros((2, 3)), Y, 1.0, mass=1.0), r"\bmass\b"),
    (lambda: kde.thresholds(0.0), r"\balpha\b.*> 0"),
    (lambda: kde.thresholds([0.1, -1.0]), r"\balpha\b"),
    (lambda: kde.stable_index(1.0, -0.2), r"\balpha\b"),
    (lambda: kde.stable_index(0.0, 0.2), r"\bh\b"),
    (lambda: kde.kl_per_dim(1.0, 0.2, branch="middle"), r"\bbranch\b.*one of"),
    (lambda: kde.finite_size_thresholds(50, n=1), r"\bn\b.*>= 2"),
    (lambda: kde.finite_size_thresholds(0, n=100), r"\bd\b"),
    (lambda: kde.finite_size_thresholds(50, n=100, method="magic"), r"\bmethod\b.*one of"),
    (lambda: kde.finite_size_thresholds(50), "one of n and log_n"),
    (lambda: kde.sample_sq_distances(10, 1, seed=0), r"\bn\b.*>= 2"),
    (lambda: kde.sample_sq_distances(10, 100, seed=-1), r"\bseed\b"),
    (lambda: kde.sample_sq_distances(10, 100, seed=0, r=-1.0), r"\br\b"),
    (lambda: kde.monte_carlo_kde(10, 100, [1.0, 0.0], n_sets=2, seed=0), r"\bh\b"),
    (lambda: kde.h_G_from_gaps([[1.0, 0.5]]), "ascending"),
    (lambda: kde.h_G_from_gaps([[1.0, 2.0, 3.0]], k=3), r"\bk\b"),
    (lambda: kde.weight_stats_from_sq_distances([1.0], 1.0, 3), "n >= 2"),
    (lambda: kde.regime_name(-1), r"\bkappa\b"),
])
def test_invalid_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_public_api_is_explicit():
    for name in kde.__all__:
        assert hasattr(kde, name), name
    assert "log_kde" in kde.__all__ and "finite_size_thresholds" in kde.__all__


@pytest.mark.parametrize("h", [0.2, 0.8, 2.0, 50.0])
@pytest.mark.parametrize("mass", [0.5, 0.9, 0.999])
def test_mass_count_equals_the_full_sort(h, mass):
    # the count of points carrying `mass` sorts only the weights >= (1 - mass)/n; it must equal
    # the count from the full descending sort in every regime (few points to nearly all)
    D = kde.sample_sq_distances(20, 3000, seed=5, size=6)
    st = kde.weight_stats_from_sq_distances(D, h, 20, mass=mass)
    logk = -(D - D.min(axis=1, keepdims=True)) / (2 * h * h)
    w = np.exp(logk)
    w /= w.sum(axis=1, keepdims=True)
    cum = np.cumsum(-np.sort(-w, axis=1), axis=1)
    assert list(st.n_mass) == [min(int((c < mass).sum()) + 1, 3000) for c in cum]
