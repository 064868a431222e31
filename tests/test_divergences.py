"""Unit tests for kitlib.divergences: closed forms, exact oracles, edge cases and validation."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.spatial.distance import jensenshannon

import kitlib.divergences as D

P2 = np.array([0.5, 0.5])
Q2 = np.array([0.25, 0.75])
RNG_P = np.array([0.1, 0.2, 0.3, 0.4])
RNG_Q = np.array([0.35, 0.05, 0.4, 0.2])

DISCRETE = [D.kl, D.js, D.hellinger2, D.tv, D.chi2, D.cauchy_schwarz,
            lambda p, q: D.alpha_divergence(p, q, 0.3), lambda p, q: D.renyi(p, q, 2.0)]


def _grid(lo=-20.0, hi=20.0, n=4001):
    x = np.linspace(lo, hi, n)
    return x, x[1] - x[0]


# ------------------------------------------------------------------------------------------
# discrete: exact values
# ------------------------------------------------------------------------------------------


def test_kl_hand_value_and_direction():
    expected = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    assert D.kl(P2, Q2) == pytest.approx(expected, rel=1e-14)
    reverse = 0.25 * math.log(0.25 / 0.5) + 0.75 * math.log(0.75 / 0.5)
    assert D.kl(Q2, P2) == pytest.approx(reverse, rel=1e-14)
    assert isinstance(D.kl(P2, Q2), float)


def test_kl_zero_conventions():
    assert D.kl([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert D.kl([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert D.kl([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0


def test_js_is_square_of_scipy_jensenshannon_in_nats():
    assert D.js(RNG_P, RNG_Q) == pytest.approx(jensenshannon(RNG_P, RNG_Q) ** 2, rel=1e-12)
    assert D.js([1.0, 0.0], [0.0, 1.0]) == pytest.approx(math.log(2), rel=1e-15)
    m = 0.5 * (RNG_P + RNG_Q)
    assert D.js(RNG_P, RNG_Q) == pytest.approx(0.5 * D.kl(RNG_P, m) + 0.5 * D.kl(RNG_Q, m))


def test_hellinger_tv_chi2_cs_hand_values():
    assert D.hellinger2(P2, Q2) == pytest.approx(1 - (math.sqrt(0.125) + math.sqrt(0.375)))
    assert D.tv(P2, Q2) == pytest.approx(0.25)
    assert D.chi2(P2, Q2) == pytest.approx(0.25**2 / 0.25 + 0.25**2 / 0.75)
    assert D.chi2(Q2, P2) == pytest.approx(0.25**2 / 0.5 * 2)
    cs = -2 * math.log(0.5 * 0.25 + 0.5 * 0.75) + math.log(0.5) + math.log(0.25**2 + 0.75**2)
    assert D.cauchy_schwarz(P2, Q2) == pytest.approx(cs, rel=1e-13)


def test_chi2_and_cs_zero_conventions():
    assert D.chi2([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert D.chi2([1.0, 0.0], [0.5, 0.5]) == pytest.approx(0.5**2 / 0.5 + 0.5**2 / 0.5)
    assert D.chi2([1.0, 0.0, 0.0], [0.5, 0.5, 0.0]) == pytest.approx(1.0)
    assert D.cauchy_schwarz([1.0, 0.0], [0.0, 1.0]) == math.inf
    assert D.tv([1.0, 0.0], [0.0, 1.0]) == 1.0
    assert D.hellinger2([1.0, 0.0], [0.0, 1.0]) == 1.0


def test_all_discrete_zero_at_equal_inputs():
    for fn in DISCRETE:
        assert fn(RNG_P, RNG_P) == 0.0


# ------------------------------------------------------------------------------------------
# alpha and Rényi
# ------------------------------------------------------------------------------------------


def _mp_alpha(p, q, alpha):
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 50
    a = mp.mpf(alpha)
    p = [mp.mpf(float(v)) for v in p]
    q = [mp.mpf(float(v)) for v in q]
    # normalise exactly: float entries sum to 1 only within ~1e-16, which 1/alpha would amplify
    p = [v / sum(p) for v in p]
    q = [v / sum(q) for v in q]
    if a == 0:
        return float(sum(qi * mp.log(qi / pi) for pi, qi in zip(p, q)))
    if a == 1:
        return float(sum(pi * mp.log(pi / qi) for pi, qi in zip(p, q)))
    s = sum(pi**a * qi ** (1 - a) for pi, qi in zip(p, q))
    return float((1 - s) / (a * (1 - a)))


@pytest.mark.parametrize("alpha", [-3.0, -1.0, 0.0, 1e-12, 1e-9, 1e-7, 1e-6, 1e-5, 0.3, 0.5,
                                   1 - 1e-6, 1 - 1e-9, 1.0, 1 + 1e-9, 2.0, 5.0])
def test_alpha_matches_high_precision_reference(alpha):
    # 50-digit reference; a naive (1 - S)/(alpha(1 - alpha)) loses ~|log10 alpha| digits here.
    assert D.alpha_divergence(RNG_P, RNG_Q, alpha) == pytest.approx(
        _mp_alpha(RNG_P, RNG_Q, alpha), rel=1e-11)


def test_alpha_special_cases():
    p, q = RNG_P, RNG_Q
    assert D.alpha_divergence(p, q, 1.0) == pytest.approx(D.kl(p, q), rel=1e-14)
    assert D.alpha_divergence(p, q, 0.0) == pytest.approx(D.kl(q, p), rel=1e-14)
    assert D.alpha_divergence(p, q, 0.5) == pytest.approx(4 * D.hellinger2(p, q), rel=1e-12)
    assert D.alpha_divergence(p, q, 2.0) == pytest.approx(0.5 * D.chi2(p, q), rel=1e-12)
    assert D.alpha_divergence(p, q, -1.0) == pytest.approx(0.5 * D.chi2(q, p), rel=1e-12)
    # duality D_alpha(p||q) = D_{1-alpha}(q||p)
    assert D.alpha_divergence(p, q, 3.0) == pytest.approx(D.alpha_divergence(q, p, -2.0))


@pytest.mark.parametrize("limit, target", [(0.0, "reverse"), (1.0, "forward")])
def test_alpha_continuous_at_limits(limit, target):
    exact = D.kl(RNG_Q, RNG_P) if target == "reverse" else D.kl(RNG_P, RNG_Q)
    for h in (1e-3, 1e-5, 1e-6, 1e-7, 1e-9):
        for a in (limit - h, limit + h):
            assert D.alpha_divergence(RNG_P, RNG_Q, a) == pytest.approx(exact, rel=5 * h + 1e-12)


def test_alpha_zero_handling():
    p = [0.5, 0.5, 0.0]
    q = [0.25, 0.25, 0.5]  # q > 0 = p in the last bin
    assert D.alpha_divergence(p, q, -1.0) == math.inf
    assert D.alpha_divergence(p, q, 0.0) == math.inf
    # for small alpha > 0 it is finite, ~ q(p = 0)/alpha
    assert D.alpha_divergence(p, q, 1e-6) == pytest.approx(0.5 / 1e-6, rel=1e-5)
    assert math.isfinite(D.alpha_divergence(p, q, 0.5))
    assert D.alpha_divergence(p, q, 1.0) == pytest.approx(math.log(2))
    assert D.alpha_divergence(p, q, 2.0) == pytest.approx(0.5 * D.chi2(p, q))
    # p > 0 = q: infinite from alpha = 1 up
    assert D.alpha_divergence(q, p, 1.0) == math.inf
    assert D.alpha_divergence(q, p, 3.0) == math.inf
    assert math.isfinite(D.alpha_divergence(q, p, 1 - 1e-6))
    # both zero in a bin: that bin is ignored for every alpha
    for a in (-2.0, 0.0, 0.4, 1.0, 3.0):
        assert D.alpha_divergence([0.5, 0.5, 0.0], [0.25, 0.75, 0.0], a) == pytest.approx(
            D.alpha_divergence(P2, Q2, a), rel=1e-13)


def test_renyi_identities():
    p, q = RNG_P, RNG_Q
    assert D.renyi(p, q, 1.0) == pytest.approx(D.kl(p, q), rel=1e-14)
    assert D.renyi(p, q, 2.0) == pytest.approx(math.log1p(D.chi2(p, q)), rel=1e-12)
    assert D.renyi(p, q, 0.5) == pytest.approx(-2 * math.log(1 - D.hellinger2(p, q)), rel=1e-12)
    for h in (1e-4, 1e-7, 1e-10):
        assert D.renyi(p, q, 1 + h) == pytest.approx(D.kl(p, q), rel=20 * h + 1e-12)
        assert D.renyi(p, q, 1 - h) == pytest.approx(D.kl(p, q), rel=20 * h + 1e-12)
    # monotone non-decreasing in the order
    orders = [0.1, 0.5, 0.9, 1.0, 1.5, 3.0, 10.0]
    values = [D.renyi(p, q, a) for a in orders]
    assert all(np.diff(values) >= 0)


def test_renyi_nearly_disjoint_keeps_digits():
    p = np.array([1 - 1e-30, 1e-30])
    q = np.array([1e-30, 1 - 1e-30])
    # sum p^a q^(1-a) = 2e-15 (a = 1/2): log must not be taken of 1 - (1 - S)
    assert D.renyi(p, q, 0.5) == pytest.approx(-2 * math.log(2 * 1e-15), rel=1e-6)
    assert D.renyi([1.0, 0.0], [0.0, 1.0], 0.5) == math.inf


def test_renyi_and_alpha_validate_order():
    with pytest.raises(ValueError, match="order"):
        D.renyi(P2, Q2, 0.0)
    with pytest.raises(ValueError, match="order"):
        D.renyi(P2, Q2, -1.0)
    for bad in (math.nan, math.inf, [0.5, 1.0], "1"):
        with pytest.raises(ValueError, match="alpha"):
            D.alpha_divergence(P2, Q2, bad)


# ------------------------------------------------------------------------------------------
# broadcasting and validation
# ------------------------------------------------------------------------------------------


def test_broadcasting_over_leading_axes():
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(5), size=(3, 1))
    q = rng.dirichlet(np.ones(5), size=(4,))
    for fn in DISCRETE:
        out = fn(p, q)
        assert out.shape == (3, 4)
        for i in range(3):
            for j in range(4):
                assert out[i, j] == pytest.approx(fn(p[i, 0], q[j]), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("fn", DISCRETE + [lambda p, q: D.f_divergence(p, q, "hellinger")])
def test_discrete_validation_names_argument(fn):
    with pytest.raises(ValueError, match=r"p must be non-negative; got min -0.1"):
        fn([1.1, -0.1], P2)
    with pytest.raises(ValueError, match=r"q must be non-negative"):
        fn(P2, [1.1, -0.1])
    with pytest.raises(ValueError, match=r"p must sum to 1.*1.2"):
        fn([0.6, 0.6], P2)
    with pytest.raises(ValueError, match=r"q must contain only finite.*1 NaN"):
        fn(P2, [np.nan, 1.0])
    with pytest.raises(ValueError, match=r"same length along the last axis"):
        fn(P2, [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match=r"leading axes of p and q must broadcast"):
        fn(np.full((2, 2), 0.5), np.full((3, 2), 0.5))
    with pytest.raises(ValueError, match=r"p must be a probability vector"):
        fn(1.0, P2)


def test_sum_tolerance():
    assert D.kl([0.5 + 5e-9, 0.5], P2) >= 0  # inside 1e-8
    with pytest.raises(ValueError, match="p must sum to 1"):
        D.kl([0.5 + 1e-6, 0.5], P2)
    # float32 softmax outputs are accepted at their own precision
    p32 = np.array([0.1, 0.2, 0.7], dtype=np.float32)
    assert D.kl(p32, p32) == 0.0


# ------------------------------------------------------------------------------------------
# densities and grid divergences
# ------------------------------------------------------------------------------------------


def test_log_normal_pdf_matches_scipy():
    x = np.linspace(-40, 40, 101)
    assert np.allclose(D.log_normal_pdf(x, 1.5, 0.3), stats.norm.logpdf(x, 1.5, 0.3), rtol=1e-13)
    assert np.isfinite(D.log_normal_pdf(1e3, 0.0, 1.0))
    with pytest.raises(ValueError, match="std must be finite and > 0"):
        D.log_normal_pdf(x, 0.0, 0.0)
    with pytest.raises(ValueError, match="std"):
        D.log_normal_pdf(x, 0.0, -1.0)
    with pytest.raises(ValueError, match="mean must be finite"):
        D.log_normal_pdf(x, np.nan, 1.0)


def test_log_mixture_pdf_matches_direct_sum():
    x = np.linspace(-10, 10, 201).reshape(3, 67)
    w, m, s = [0.2, 0.0, 0.8], [-2.0, 0.0, 3.0], [0.5, 1.0, 2.0]
    direct = sum(wk * stats.norm.pdf(x, mk, sk) for wk, mk, sk in zip(w, m, s))
    out = D.log_mixture_pdf(x, w, m, s)
    assert out.shape == x.shape
    assert np.allclose(out, np.log(direct), rtol=1e-12)
    # far tails stay finite (log-sum-exp) where the direct sum underflows
    assert np.isfinite(D.log_mixture_pdf(200.0, w, m, s))
    with pytest.raises(ValueError, match="weights must sum to 1"):
        D.log_mixture_pdf(x, [0.5, 0.6, 0.1], m, s)
    with pytest.raises(ValueError, match="weights must be non-negative"):
        D.log_mixture_pdf(x, [-0.2, 0.4, 0.8], m, s)
    with pytest.raises(ValueError, match="stds must be finite and > 0"):
        D.log_mixture_pdf(x, w, m, [0.5, 0.0, 1.0])
    with pytest.raises(ValueError, match="same length"):
        D.log_mixture_pdf(x, w, m[:2], s)


def test_kl_integrand():
    x, dx = _grid()
    lp, lq = D.log_normal_pdf(x, 0, 1), D.log_normal_pdf(x, 1, 1.5)
    integrand = D.kl_integrand(lp, lq)
    assert integrand.shape == x.shape
    assert dx * integrand.sum() == pytest.approx(0.3499096, abs=1e-7)
    out = D.kl_integrand([-np.inf, 0.0, -1.0], [0.0, -np.inf, -1.0])
    assert out[0] == 0.0 and out[1] == math.inf and out[2] == 0.0
    with pytest.raises(ValueError, match="log_p must not contain NaN"):
        D.kl_integrand([np.nan], [0.0])
    with pytest.raises(ValueError, match=r"log_q must not contain \+inf"):
        D.kl_integrand([0.0], [np.inf])


def _gauss_grid_closed_forms(m0, v0, m1, v1):
    """Closed forms for p = N(m0, v0), q = N(m1, v1) in grid_divergence's conventions."""
    d = m1 - m0
    r2 = D.gaussian_renyi(m0, v0, m1, v1, 2.0)
    r2_rev = D.gaussian_renyi(m1, v1, m0, v0, 2.0)
    cs = (-2 * stats.norm.logpdf(d, 0, math.sqrt(v0 + v1)) + stats.norm.logpdf(0, 0, math.sqrt(2 * v0))
          + stats.norm.logpdf(0, 0, math.sqrt(2 * v1)))
    return {
        "forward_kl": D.gaussian_kl(m0, v0, m1, v1),
        "reverse_kl": D.gaussian_kl(m1, v1, m0, v0),
        "hellinger": D.gaussian_hellinger2(m0, v0, m1, v1),
        "chi2": math.expm1(r2),
        "neyman_chi2": math.expm1(r2_rev),
        "cauchy_schwarz": cs,
    }


@pytest.mark.parametrize("params", [(0.0, 1.0, 1.0, 2.25), (0.3, 0.7, -0.4, 0.9), (0.0, 1.0, 0.5, 0.64)])
def test_grid_divergence_matches_gaussian_closed_forms(params):
    m0, v0, m1, v1 = params
    x, dx = _grid()
    lp = D.log_normal_pdf(x, m0, math.sqrt(v0))
    lq = D.log_normal_pdf(x, m1, math.sqrt(v1))
    for name, value in _gauss_grid_closed_forms(m0, v0, m1, v1).items():
        if not math.isfinite(value):
            continue  # divergent tails: a grid cannot see them (documented)
        assert D.grid_divergence(lp, lq, dx, name) == pytest.approx(value, rel=1e-9), name
    for order in (0.25, 0.5, 0.999999, 1.0, 1.5):
        expected = D.gaussian_renyi(m0, v0, m1, v1, order)
        assert D.grid_divergence(lp, lq, dx, "renyi", alpha=order) == pytest.approx(expected, rel=1e-9)
        if order != 1.0:
            minka = -math.expm1((order - 1) * expected) / (order * (1 - order))
            assert D.grid_divergence(lp, lq, dx, "alpha", alpha=order) == pytest.approx(minka, rel=1e-8)


def test_grid_minka_identities():
    x, dx = _grid()
    lp, lq = D.log_normal_pdf(x, 0.0, 1.0), D.log_normal_pdf(x, 0.5, 0.8)
    g = lambda name, **kw: D.grid_divergence(lp, lq, dx, name, **kw)  # noqa: E731
    assert g("alpha", alpha=0.5) == pytest.approx(4 * g("hellinger"), rel=1e-12)
    assert g("alpha", alpha=2.0) == pytest.approx(0.5 * g("chi2"), rel=1e-12)
    assert g("alpha", alpha=-1.0) == pytest.approx(0.5 * g("neyman_chi2"), rel=1e-12)
    assert g("alpha", alpha=1.0) == pytest.approx(g("forward_kl"), rel=1e-14)
    assert g("alpha", alpha=0.0) == pytest.approx(g("reverse_kl"), rel=1e-14)
    assert g("alpha", alpha=1e-7) == pytest.approx(g("reverse_kl"), rel=1e-6)
    assert g("alpha", alpha=1 - 1e-7) == pytest.approx(g("forward_kl"), rel=1e-6)
    # alpha = -1: closed form via Renyi order 2 of (q || p)
    assert g("alpha", alpha=-1.0) == pytest.approx(
        0.5 * math.expm1(D.gaussian_renyi(0.5, 0.64, 0.0, 1.0, 2.0)), rel=1e-9)


def test_grid_js_and_tv_against_quadrature_and_closed_form():
    x, dx = _grid()
    lp, lq = D.log_normal_pdf(x, 0.0, 1.0), D.log_normal_pdf(x, 1.0, 1.5)

    def js_integrand(t):
        p, q = stats.norm.pdf(t, 0, 1), stats.norm.pdf(t, 1, 1.5)
        m = 0.5 * (p + q)
        return 0.5 * (p * math.log(p / m) + q * math.log(q / m))

    ref = integrate.quad(js_integrand, -30, 30, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
    assert D.grid_divergence(lp, lq, dx, "js") == pytest.approx(ref, rel=1e-8)
    # equal variances: TV = 2 Phi(d / 2) - 1
    # (|p - q| has a kink where the densities cross: the Riemann sum is only O(dx^2) there)
    lq1 = D.log_normal_pdf(x, 1.3, 1.0)
    assert D.grid_divergence(lp, lq1, dx, "tv") == pytest.approx(2 * stats.norm.cdf(0.65) - 1,
                                                                 rel=1e-5)


def test_grid_divergence_equals_discrete_functions_on_the_grid():
    x, dx = _grid(-8, 8, 301)
    lp = D.log_mixture_pdf(x, [0.5, 0.5], [-2.0, 2.0], [1.0, 1.0])
    lq = D.log_normal_pdf(x, 0.4, 1.7)
    P = np.exp(lp) / np.exp(lp).sum()
    Q = np.exp(lq) / np.exp(lq).sum()
    pairs = {
        "forward_kl": D.kl(P, Q), "reverse_kl": D.kl(Q, P), "js": D.js(P, Q),
        "hellinger": D.hellinger2(P, Q), "tv": D.tv(P, Q), "chi2": D.chi2(P, Q),
        "neyman_chi2": D.chi2(Q, P), "cauchy_schwarz": D.cauchy_schwarz(P, Q),
    }
    for name, value in pairs.items():
        assert D.grid_divergence(lp, lq, dx, name) == pytest.approx(value, rel=1e-10), name
    assert D.grid_divergence(lp, lq, dx, "alpha", alpha=-0.7) == pytest.approx(
        D.alpha_divergence(P, Q, -0.7), rel=1e-10)
    assert D.grid_divergence(lp, lq, dx, "renyi", alpha=3.0) == pytest.approx(
        D.renyi(P, Q, 3.0), rel=1e-10)


def test_grid_divergence_batch_matches_loop():
    x, dx = _grid(-10, 10, 501)
    lp = D.log_normal_pdf(x, 0.0, 1.0)
    mus = np.linspace(-2, 2, 5)[:, None]
    log_q = D.log_normal_pdf(x, mus, 1.3)  # (5, n)
    for name in D.GRID_DIVERGENCES:
        kw = {"alpha": 0.7} if name in ("alpha", "renyi") else {}
        batch = D.grid_divergence(lp, log_q, dx, name, **kw)
        assert batch.shape == (5,)
        loop = [D.grid_divergence(lp, row, dx, name, **kw) for row in log_q]
        assert np.allclose(batch, loop, rtol=1e-13, atol=0)
    # leading axes broadcast: (2, 1, n) with (5, n) -> (2, 5)
    log_p = np.stack([lp, D.log_normal_pdf(x, 1.0, 0.5)])[:, None, :]
    assert D.grid_divergence(log_p, log_q, dx, "js").shape == (2, 5)
    assert isinstance(D.grid_divergence(lp, log_q[0], dx, "js"), float)


def test_grid_divergence_normalises_on_the_grid():
    x, dx = _grid(-10, 10, 501)
    lp, lq = D.log_normal_pdf(x, 0.0, 1.0), D.log_normal_pdf(x, 0.5, 1.2)
    for name in D.GRID_DIVERGENCES:
        kw = {"alpha": 1.7} if name in ("alpha", "renyi") else {}
        base = D.grid_divergence(lp, lq, dx, name, **kw)
        assert D.grid_divergence(lp + 3.0, lq - 7.0, dx, name, **kw) == pytest.approx(base, rel=1e-12)
        assert D.grid_divergence(lp, lq, 2 * dx, name, **kw) == pytest.approx(base, rel=1e-14)
        assert D.grid_divergence(lp, lp, dx, name, **kw) == pytest.approx(0.0, abs=1e-14)


def test_grid_divergence_model_far_off_the_grid_is_finite_and_large():
    x, dx = _grid(-10, 10, 501)
    lp = D.log_normal_pdf(x, 0.0, 1.0)
    lq = D.log_normal_pdf(x, 100.0, 1.0)  # exp underflows everywhere; the log does not
    for name in ("forward_kl", "reverse_kl", "alpha"):
        kw = {"alpha": 0.5} if name == "alpha" else {}
        value = D.grid_divergence(lp, lq, dx, name, **kw)
        assert math.isfinite(value) and value > 1.0
    assert D.grid_divergence(lp, lq, dx, "js") == pytest.approx(math.log(2), rel=1e-12)
    # zero density (-inf) where p > 0 makes forward KL infinite
    lq_cut = np.where(x < 0, -np.inf, lp)
    assert D.grid_divergence(lp, lq_cut, dx, "forward_kl") == math.inf
    assert math.isfinite(D.grid_divergence(lp, lq_cut, dx, "reverse_kl"))


def test_grid_divergence_validation():
    x, dx = _grid(-5, 5, 11)
    lp = D.log_normal_pdf(x, 0, 1)
    with pytest.raises(ValueError, match=r"divergence must be one of 'forward_kl'.*got 'kl'"):
        D.grid_divergence(lp, lp, dx, "kl")
    with pytest.raises(ValueError, match="alpha is required"):
        D.grid_divergence(lp, lp, dx, "alpha")
    with pytest.raises(ValueError, match="alpha must be > 0 for 'renyi'"):
        D.grid_divergence(lp, lp, dx, "renyi", alpha=-0.5)
    with pytest.raises(ValueError, match="alpha is only used"):
        D.grid_divergence(lp, lp, dx, "js", alpha=0.5)
    with pytest.raises(ValueError, match="alpha must be a finite"):
        D.grid_divergence(lp, lp, dx, "alpha", alpha=math.nan)
    with pytest.raises(ValueError, match="dx must be"):
        D.grid_divergence(lp, lp, 0.0, "js")
    with pytest.raises(ValueError, match="log_q must not contain NaN"):
        D.grid_divergence(lp, np.full_like(lp, np.nan), dx, "js")
    with pytest.raises(ValueError, match=r"log_p must not contain \+inf"):
        D.grid_divergence(np.full_like(lp, np.inf), lp, dx, "js")
    with pytest.raises(ValueError, match="log_q has no mass"):
        D.grid_divergence(lp, np.full_like(lp, -np.inf), dx, "js")
    with pytest.raises(ValueError, match="same length along the last axis"):
        D.grid_divergence(lp, lp[:-1], dx, "js")


def test_grid_w2sq():
    x, _ = _grid(-15, 15, 3001)
    p, q = stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 1, 1.5)
    assert D.grid_w2sq(x, p, q) == pytest.approx(1.25, rel=1e-5)
    assert D.grid_w2sq(x, q, p) == pytest.approx(D.grid_w2sq(x, p, q), rel=1e-12)
    assert D.grid_w2sq(x, p, p) == 0.0
    # a shift by whole cells is exact; unnormalised input is normalised on the grid
    shifted = np.roll(p, 70)
    assert D.grid_w2sq(x, 3 * p, shifted) == pytest.approx((70 * (x[1] - x[0])) ** 2, rel=1e-10)
    # non-uniform grid, zero-density gaps
    xn = np.sort(np.concatenate([np.linspace(-12, 12, 2001), np.linspace(-1, 1, 500)[1:-1]]))
    assert D.grid_w2sq(xn, stats.norm.pdf(xn, 0, 1), stats.norm.pdf(xn, 1, 1.5)) == pytest.approx(
        1.25, rel=1e-4)
    gap = np.where(np.abs(x) < 2, 0.0, p)
    assert math.isfinite(D.grid_w2sq(x, gap, q))
    with pytest.raises(ValueError, match="x must be a 1-D, finite, strictly increasing"):
        D.grid_w2sq(x[::-1], p, q)
    with pytest.raises(ValueError, match="q must be finite and non-negative"):
        D.grid_w2sq(x, p, -q)
    with pytest.raises(ValueError, match="p must have the same shape as x"):
        D.grid_w2sq(x, p[:-1], q)


# ------------------------------------------------------------------------------------------
# Sinkhorn divergence
# ------------------------------------------------------------------------------------------

X1 = np.array([0.0, 1.0, 2.5])
A1 = np.array([0.2, 0.5, 0.3])
Y1 = np.array([0.5, 2.0, 3.0, -1.0])
B1 = np.array([0.1, 0.4, 0.3, 0.2])


def _full_objective_2x2(a, b, cost, eps):
    """Exact min of <P, C> + eps sum P log P over 2x2 couplings (needs b[0] >= a[0]).

    With s = P01 the coupling is [[a0 - s, s], [b0 - a0 + s, b1 - s]]; the optimum solves
    P00 P11 / (P01 P10) = exp(-(C00 + C11 - C01 - C10)/eps), found in log s by bisection.
    """
    from scipy.optimize import brentq
    from scipy.special import xlogy

    log_k = -(cost[0, 0] + cost[1, 1] - cost[0, 1] - cost[1, 0]) / eps

    def condition(log_s):
        s = math.exp(log_s)
        return (math.log((a[0] - s) * (b[1] - s)) - log_s - math.log(b[0] - a[0] + s) - log_k)

    log_s = brentq(condition, -700.0, math.log(min(a[0], b[1])) - 1e-12, xtol=1e-14)
    s = math.exp(log_s)
    plan = np.array([[a[0] - s, s], [b[0] - a[0] + s, b[1] - s]])
    return float(np.sum(plan * cost) + eps * np.sum(xlogy(plan, plan)))


def test_entropic_objective_is_the_full_one():
    a, b = np.array([0.3, 0.7]), np.array([0.6, 0.4])
    x, y = np.array([0.0, 1.0]), np.array([0.2, 1.5])
    def cost(u, v):
        return (u[:, None] - v[None, :]) ** 2

    for eps in (0.05, 0.5, 2.0):
        # S = OT(a, b) - OT(a, a)/2 - OT(b, b)/2 with the full entropic objective (the marginal
        # entropies of the eps*KL(P || a x b) convention cancel in S)
        full = (_full_objective_2x2(a, b, cost(x, y), eps)
                - 0.5 * _full_objective_2x2(a, a, cost(x, x), eps)
                - 0.5 * _full_objective_2x2(b, b, cost(y, y), eps))
        ours = D.sinkhorn_divergence(x[:, None], a, y[:, None], b, eps)
        assert ours == pytest.approx(full, abs=1e-12)


def test_sinkhorn_full_objective_matches_pot_plan():
    ot = pytest.importorskip("ot")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=6), rng.normal(size=8) + 1
    a, b = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(8))
    cost = (x[:, None] - y[None, :]) ** 2

    def pot_full(u, wu, v, wv):
        c = (u[:, None] - v[None, :]) ** 2
        with warnings.catch_warnings():  # the self-transport terms converge slowly in POT
            warnings.simplefilter("ignore")
            plan = ot.bregman.sinkhorn_log(wu, wv, c, eps, numItermax=20000, stopThr=1e-13)
        return np.sum(plan * c) + eps * np.sum(plan * np.log(plan))

    for eps in (1.0, 0.1):
        expected = pot_full(x, a, y, b) - 0.5 * pot_full(x, a, x, a) - 0.5 * pot_full(y, b, y, b)
        ours = D.sinkhorn_divergence(x[:, None], a, y[:, None], b, eps)
        # POT stops short on OT(a, a) at eps = 0.1 (~2e-8 relative): the 2x2 test pins 1e-12
        assert ours == pytest.approx(expected, rel=1e-7)
        plan = ot.bregman.sinkhorn_log(a, b, cost, eps, numItermax=20000, stopThr=1e-13)
        pot_full_ab = np.sum(plan * cost) + eps * np.sum(plan * np.log(plan))
        # POT's sinkhorn2 is only <P, C>: not the objective the debiasing needs
        assert abs(ot.sinkhorn2(a, b, cost, eps, method="sinkhorn_log") - pot_full_ab) > 1e-3


def test_sinkhorn_basic_properties():
    for eps in (1.0, 0.1, 0.01):
        s = D.sinkhorn_divergence(X1, A1, Y1, B1, eps)
        assert s > 0.5
        assert D.sinkhorn_divergence(Y1, B1, X1, A1, eps) == pytest.approx(s, rel=1e-10)
        assert D.sinkhorn_divergence(X1, A1, X1, A1, eps) == 0.0


def test_sinkhorn_translation_identity_for_squared_cost():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(7, 2))
    a = rng.dirichlet(np.ones(7))
    tau = np.array([0.3, -0.4])
    for eps in (0.05, 1.0):
        assert D.sinkhorn_divergence(x, a, x + tau, a, eps) == pytest.approx(tau @ tau, rel=1e-9)


def test_sinkhorn_tends_to_w2_squared_and_wp():
    ot = pytest.importorskip("ot")
    w2 = ot.emd2(A1, B1, (X1[:, None] - Y1[None, :]) ** 2)
    errors = [abs(D.sinkhorn_divergence(X1, A1, Y1, B1, eps) - w2) for eps in (1.0, 0.1, 1e-3)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-3 * w2
    w1 = ot.emd2(A1, B1, np.abs(X1[:, None] - Y1[None, :]))
    assert D.sinkhorn_divergence(X1, A1, Y1, B1, 1e-3, p=1) == pytest.approx(w1, rel=1e-2)
    # uniform weights, many exactly balanced blocks: the hard case for plain Sinkhorn
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(40, 2)), rng.normal(size=(40, 2)) + 0.5
    u = np.full(40, 1 / 40)
    w2 = ot.emd2(u, u, ot.dist(x, y))  # ot.dist: squared Euclidean by default
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert D.sinkhorn_divergence(x, u, y, u, 1e-3) == pytest.approx(w2, rel=1e-3)


def test_sinkhorn_validation():
    with pytest.raises(ValueError, match="eps must be"):
        D.sinkhorn_divergence(X1, A1, Y1, B1, 0.0)
    with pytest.raises(ValueError, match=r"p must be in \(0, 2\]"):
        D.sinkhorn_divergence(X1, A1, Y1, B1, 0.1, p=3)
    with pytest.raises(ValueError, match="a must have shape"):
        D.sinkhorn_divergence(X1, B1, Y1, B1, 0.1)
    with pytest.raises(ValueError, match="b must sum to 1"):
        D.sinkhorn_divergence(X1, A1, Y1, 2 * B1, 0.1)
    with pytest.raises(ValueError, match="same dimension"):
        D.sinkhorn_divergence(X1[:, None], A1, np.ones((4, 2)), B1, 0.1)


# ------------------------------------------------------------------------------------------
# f-generators
# ------------------------------------------------------------------------------------------

FDIVS = list(D.F_DIVERGENCES.values()) + [D.minka_alpha(a) for a in (-1.5, 0.0, 0.3, 0.5, 1.0, 2.0, 3.5)]
T_GRID = np.array([0.05, 0.3, 0.7, 1.3, 2.0, 5.0])


def test_registry_contents():
    assert set(D.F_DIVERGENCES) == {"forward_kl", "reverse_kl", "chi2", "neyman_chi2",
                                    "hellinger", "js", "tv", "jeffreys"}
    with pytest.raises(Exception):
        D.F_DIVERGENCES["tv"].name = "x"  # frozen


@pytest.mark.parametrize("fd", FDIVS, ids=lambda fd: fd.name)
def test_generator_basics(fd):
    assert fd.f(1.0) == pytest.approx(0.0, abs=1e-15)
    for t in T_GRID:
        h = 1e-3 * t
        second = (fd.f(t + h) - 2 * fd.f(t) + fd.f(t - h)) / h**2
        assert second >= -1e-6
        if fd.name != "tv":
            assert fd.h(t) == pytest.approx(t * t * second, rel=1e-5)
            h = 1e-5 * t
            deriv = (fd.f(t + h) - fd.f(t - h)) / (2 * h)
            assert fd.f_prime(t) == pytest.approx(deriv, rel=1e-7, abs=1e-9)
        else:
            assert fd.h(t) == 0.0 and second == pytest.approx(0.0, abs=1e-9)
    assert fd.f(-0.5) == math.inf


@pytest.mark.parametrize("fd", FDIVS, ids=lambda fd: fd.name)
def test_fenchel_young(fd):
    us = np.linspace(-6, 6, 61)
    for t in T_GRID:
        gap = fd.f(t) + np.asarray(fd.conjugate(us)) - t * us
        assert np.all(gap >= -1e-12)
        u_star = fd.f_prime(t)
        assert fd.f(t) + fd.conjugate(u_star) == pytest.approx(t * u_star, abs=1e-10)
    # f* is the sup over t >= 0: compare with a brute-force sup on a grid of t
    ts = np.concatenate([[0.0], np.geomspace(1e-6, 1e3, 20001)])
    ts_far = np.geomspace(1e3, 1e9, 2001)
    ft, ft_far = np.asarray(fd.f(ts)), np.asarray(fd.f(ts_far))
    for u in (-3.0, -0.5, 0.0, 0.2, 0.45):
        brute = np.max(ts * u - ft)
        conj = fd.conjugate(u)
        if math.isfinite(conj):
            assert brute == pytest.approx(conj, abs=1e-3)
            assert brute <= conj + 1e-12
        else:  # unbounded: the sup keeps growing as t grows
            assert np.max(ts_far * u - ft_far) > brute + 5


@pytest.mark.parametrize("fd", FDIVS, ids=lambda fd: fd.name)
def test_zero_forcing_and_mass_covering_flags(fd):
    assert fd.zero_forcing == (fd.f(0.0) == math.inf)
    big = 1e8
    assert fd.mass_covering == (fd.slope_at_infinity == math.inf)
    if math.isfinite(fd.slope_at_infinity):
        assert fd.f(big) / big == pytest.approx(fd.slope_at_infinity, rel=1e-3, abs=1e-3)
    else:
        assert fd.f(big) / big > 5


def test_minka_flags_follow_alpha():
    assert D.minka_alpha(-0.5).zero_forcing and not D.minka_alpha(-0.5).mass_covering
    assert D.minka_alpha(0.0).zero_forcing
    assert not D.minka_alpha(0.5).zero_forcing and not D.minka_alpha(0.5).mass_covering
    assert D.minka_alpha(1.0).mass_covering and D.minka_alpha(2.0).mass_covering
    for a in (-1.0, 0.5, 2.0):
        assert D.minka_alpha(a).h(3.0) == pytest.approx(3.0**a)
    with pytest.raises(ValueError, match="alpha"):
        D.minka_alpha(math.inf)


def test_h_weights_table():
    r = 2.5
    table = {"forward_kl": r, "reverse_kl": 1.0, "chi2": 2 * r * r, "neyman_chi2": 2 / r,
             "hellinger": 0.25 * math.sqrt(r), "js": 0.5 * r / (r + 1), "tv": 0.0, "jeffreys": r + 1}
    for name, value in table.items():
        assert D.F_DIVERGENCES[name].h(r) == pytest.approx(value, rel=1e-14)


def test_f_divergence_reproduces_direct_functions():
    cases = [(RNG_P, RNG_Q), (np.array([0.5, 0.5, 0.0]), np.array([0.2, 0.3, 0.5])),
             (np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.5, 0.0]))]
    for p, q in cases:
        expected = {
            "forward_kl": D.kl(p, q), "reverse_kl": D.kl(q, p), "chi2": D.chi2(p, q),
            "neyman_chi2": D.chi2(q, p), "hellinger": D.hellinger2(p, q), "js": D.js(p, q),
            "tv": D.tv(p, q), "jeffreys": D.kl(p, q) + D.kl(q, p),
        }
        for name, value in expected.items():
            got = D.f_divergence(p, q, name)
            if math.isinf(value):
                assert got == math.inf, name
            else:
                assert got == pytest.approx(value, rel=1e-12, abs=1e-15), name
        for a in (-1.0, 0.0, 1e-8, 0.5, 1.0, 2.0, 3.0):
            want = D.alpha_divergence(p, q, a)
            got = D.f_divergence(p, q, D.minka_alpha(a))
            assert (got == want == math.inf) or got == pytest.approx(want, rel=1e-7, abs=1e-12)
    with pytest.raises(ValueError, match="fdiv must be one of"):
        D.f_divergence(RNG_P, RNG_Q, "kl")


# ------------------------------------------------------------------------------------------
# Gaussian closed forms
# ------------------------------------------------------------------------------------------


def test_gaussian_oracle_row():
    assert D.gaussian_kl(0, 1, 1, 2.25) == pytest.approx(0.3499096, abs=5e-8)
    assert D.gaussian_kl(1, 2.25, 0, 1) == pytest.approx(0.7195349, abs=5e-8)
    assert D.gaussian_w2sq(0, 1, 1, 2.25) == pytest.approx(1.25, rel=1e-15)
    assert D.gaussian_w2sq(1, 2.25, 0, 1) == pytest.approx(1.25, rel=1e-15)


def test_gaussian_hellinger_and_bhattacharyya_against_grid_and_renyi():
    x, dx = _grid()
    lp, lq = D.log_normal_pdf(x, 0, 1), D.log_normal_pdf(x, 1, 1.5)
    db = D.gaussian_bhattacharyya(0, 1, 1, 2.25)
    assert db == pytest.approx(0.5 * D.gaussian_renyi(0, 1, 1, 2.25, 0.5), rel=1e-13)
    assert D.gaussian_hellinger2(0, 1, 1, 2.25) == pytest.approx(
        D.grid_divergence(lp, lq, dx, "hellinger"), rel=1e-10)
    assert D.gaussian_w2sq(0, 1, 1, 2.25) == pytest.approx(
        D.grid_w2sq(x, np.exp(lp), np.exp(lq)), rel=1e-5)


def test_gaussian_renyi_limits_and_infinity():
    kl = D.gaussian_kl(0, 1, 1, 2.25)
    assert D.gaussian_renyi(0, 1, 1, 2.25, 1.0) == kl
    for h in (1e-3, 1e-5):
        assert D.gaussian_renyi(0, 1, 1, 2.25, 1 + h) == pytest.approx(kl, rel=10 * h)
        assert D.gaussian_renyi(0, 1, 1, 2.25, 1 - h) == pytest.approx(kl, rel=10 * h)
    # S_alpha = alpha*S1 + (1 - alpha)*S0 = 3*1 - 2*2.25 < 0
    assert D.gaussian_renyi(1, 2.25, 0, 1, 3.0) == math.inf
    with pytest.raises(ValueError, match="order"):
        D.gaussian_renyi(0, 1, 1, 2, 0.0)


def _rot(theta):
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


def test_gaussian_kd_diagonal_is_sum_of_1d():
    m0, m1 = np.array([0.0, 1.0, -0.5]), np.array([0.7, -0.2, 0.1])
    v0, v1 = np.array([1.0, 0.5, 2.0]), np.array([1.5, 0.8, 0.3])
    S0, S1 = np.diag(v0), np.diag(v1)
    pairs = [(D.gaussian_kl, sum), (D.gaussian_bhattacharyya, sum), (D.gaussian_w2sq, sum)]
    for fn, combine in pairs:
        one_d = combine(fn(m0[i], v0[i], m1[i], v1[i]) for i in range(3))
        assert fn(m0, S0, m1, S1) == pytest.approx(one_d, rel=1e-12)
    for order in (0.3, 0.5, 1.7):
        one_d = sum(D.gaussian_renyi(m0[i], v0[i], m1[i], v1[i], order) for i in range(3))
        assert D.gaussian_renyi(m0, S0, m1, S1, order) == pytest.approx(one_d, rel=1e-12)
    prod = np.prod([1 - D.gaussian_hellinger2(m0[i], v0[i], m1[i], v1[i]) for i in range(3)])
    assert D.gaussian_hellinger2(m0, S0, m1, S1) == pytest.approx(1 - prod, rel=1e-12)


def test_gaussian_kd_rotation_invariance_and_w2_commuting():
    R = _rot(0.7)
    S0, S1 = R @ np.diag([1.0, 4.0]) @ R.T, R @ np.diag([2.0, 0.5]) @ R.T
    m0, m1 = np.zeros(2), R @ np.array([1.0, -1.0])
    assert D.gaussian_kl(m0, S0, m1, S1) == pytest.approx(
        D.gaussian_kl(np.zeros(2), np.diag([1.0, 4.0]), np.array([1.0, -1.0]), np.diag([2.0, 0.5])),
        rel=1e-12)
    w2 = 2.0 + (1 - math.sqrt(2)) ** 2 + (2 - math.sqrt(0.5)) ** 2
    assert D.gaussian_w2sq(m0, S0, m1, S1) == pytest.approx(w2, rel=1e-10)
    # non-commuting case: symmetric and zero on the diagonal
    S2 = np.array([[2.0, 0.9], [0.9, 1.0]])
    assert D.gaussian_w2sq(m0, S0, m1, S2) == pytest.approx(D.gaussian_w2sq(m1, S2, m0, S0), rel=1e-9)
    assert D.gaussian_w2sq(m0, S2, m0, S2) == pytest.approx(0.0, abs=1e-12)


def test_gaussian_validation():
    with pytest.raises(ValueError, match="S0 must be a variance > 0"):
        D.gaussian_kl(0, 0.0, 1, 1)
    with pytest.raises(ValueError, match="S1 must be a variance > 0"):
        D.gaussian_w2sq(0, 1.0, 1, -2.0)
    with pytest.raises(ValueError, match="S1 must be a positive-definite covariance"):
        D.gaussian_kl(np.zeros(2), np.eye(2), np.zeros(2), np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(ValueError, match="S0 must be symmetric"):
        D.gaussian_kl(np.zeros(2), np.array([[1.0, 0.5], [0.0, 1.0]]), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="means of shape"):
        D.gaussian_kl(np.zeros(2), np.eye(3), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="means of shape"):
        D.gaussian_kl(0.0, np.eye(2), 0.0, 1.0)
    with pytest.raises(ValueError, match="m1 must be finite"):
        D.gaussian_bhattacharyya(0.0, 1.0, math.nan, 1.0)


def test_module_does_not_import_plotting_or_torch():
    import subprocess
    import sys
    from pathlib import Path

    # importing the module does not import POT; sinkhorn_divergence does, with its torch (and
    # JAX/TF/CuPy) backends disabled
    code = ("import sys, kitlib.divergences as d; assert 'ot' not in sys.modules;"
            "d.sinkhorn_divergence([0.0], [1.0], [1.0], [1.0], 0.1); assert 'ot' in sys.modules;"
            "assert not {'matplotlib', 'torch', 'ipywidgets', 'jax', 'tensorflow'} & set(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])
