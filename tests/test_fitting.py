"""Tests for kitlib.fitting: global Gaussian fits, switch separations, mixture fits, far-away
gradients and categorical distillation, against closed forms and independent quadrature."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special, stats

from kitlib import divergences as D
from kitlib.fitting import (
    FIT_DIVERGENCES,
    fit_gaussian,
    fit_gaussian_grid,
    gaussian_landscape,
    fit_mixture,
    gaussian_objective,
    gradient_far_away,
    one_mode_appears,
    softmax,
    student_fit,
    balanced_student_fit,
    switch_curve,
    switch_separation,
)


def bimodal(d):
    return [0.5, 0.5], [-d, d], [1.0, 1.0]


def mixture_pdf(w, m, s):
    w, m, s = map(np.asarray, (w, m, s))
    return lambda x: float(np.sum(w * stats.norm.pdf(x, m, s)))


def mixture_logpdf(w, m, s):
    w, m, s = map(np.asarray, (w, m, s))
    return lambda x: float(special.logsumexp(stats.norm.logpdf(x, m, s), b=w))


def quad(f, lo=-np.inf, hi=np.inf, points=None):
    if points is not None and np.isfinite(lo) and np.isfinite(hi):
        return integrate.quad(f, lo, hi, points=points, limit=400, epsabs=1e-13, epsrel=1e-12)[0]
    return integrate.quad(f, lo, hi, limit=400, epsabs=1e-13, epsrel=1e-12)[0]


def quad_divergence(w, m, s, mu, sd, divergence, alpha=None):
    """Independent value of D(p‖N(mu, sd²)) by adaptive quadrature (no grids)."""
    p = mixture_pdf(w, m, s)
    logp = mixture_logpdf(w, m, s)
    q = lambda x: stats.norm.pdf(x, mu, sd)  # noqa: E731
    lo = min(np.min(np.asarray(m) - 40 * np.asarray(s)), mu - 40 * sd)
    hi = max(np.max(np.asarray(m) + 40 * np.asarray(s)), mu + 40 * sd)
    pts = sorted(list(m) + [mu])

    def integral(f):
        return quad(f, lo, hi, points=pts)

    if divergence == "reverse_kl":
        return integral(lambda x: q(x) * (stats.norm.logpdf(x, mu, sd) - logp(x)))
    if divergence == "js":
        def f(x):
            lpx, lqx = logp(x), stats.norm.logpdf(x, mu, sd)
            lmx = np.logaddexp(lpx, lqx) - math.log(2.0)
            return 0.5 * (math.exp(lpx) * (lpx - lmx) + math.exp(lqx) * (lqx - lmx))
        return integral(f)
    if divergence == "hellinger":
        return 1.0 - integral(lambda x: math.sqrt(p(x) * q(x)))
    if divergence == "cauchy_schwarz":
        return (-2 * math.log(integral(lambda x: p(x) * q(x)))
                + math.log(integral(lambda x: p(x) ** 2)) + math.log(integral(lambda x: q(x) ** 2)))
    if divergence in ("alpha", "chi2"):
        a = 2.0 if divergence == "chi2" else alpha
        # ∫ p^α q^(1-α) over the whole line (infinite limits: the tails are the point)
        integrand = lambda x: math.exp(a * logp(x) + (1 - a) * stats.norm.logpdf(x, mu, sd))  # noqa: E731
        total = quad(integrand, -np.inf, lo) + integral(integrand) + quad(integrand, hi, np.inf)
        value = (1.0 - total) / (a * (1.0 - a))
        return 2.0 * value if divergence == "chi2" else value
    raise AssertionError(divergence)


# ---------------------------------------------------------------------------------------------
# closed forms and the objective
# ---------------------------------------------------------------------------------------------


def test_objective_single_gaussian_oracle_row():
    # p = N(0, 1), q = N(1, 1.5²): the brief's oracle row
    args = ([1.0], [0.0], [1.0], 1.0, 1.5)
    assert gaussian_objective(*args, "forward_kl") == pytest.approx(0.3499096, abs=1e-7)
    assert gaussian_objective(*args, "reverse_kl") == pytest.approx(0.7195349, abs=1e-7)
    assert gaussian_objective(*args, "w2") == pytest.approx(1.25, abs=1e-12)
    for a in (-1.5, 0.3, 0.5, 2.0, 3.0):
        renyi = D.gaussian_renyi(0.0, 1.0, 1.0, 1.5**2, a) if a > 0 else None
        if renyi is None:  # D_α(p‖q) = D_{1−α}(q‖p)
            renyi_qp = D.gaussian_renyi(1.0, 1.5**2, 0.0, 1.0, 1 - a)
            integral = math.exp(-a * renyi_qp)
        else:
            integral = math.exp((a - 1) * renyi)
        expected = (1 - integral) / (a * (1 - a))
        got = gaussian_objective(*args, "alpha", alpha=a)
        assert got == pytest.approx(expected, rel=1e-9), a
    assert gaussian_objective(*args, "hellinger") == pytest.approx(
        D.gaussian_hellinger2(0.0, 1.0, 1.0, 1.5**2), rel=1e-10)


def test_objective_vectorised_shape():
    mu = np.linspace(-2, 2, 7)[:, None]
    s = np.array([0.5, 1.0, 2.0])[None, :]
    out = gaussian_objective(*bimodal(1.5), mu, s, "js")
    assert out.shape == (7, 3)
    assert np.all(np.isfinite(out)) and np.all(out >= 0)


# ---------------------------------------------------------------------------------------------
# fit_gaussian
# ---------------------------------------------------------------------------------------------


def test_forward_kl_bimodal_covers_both_modes():
    for d in (0.5, 2.0, 5.0, 8.0):
        fit = fit_gaussian(*bimodal(d), "forward_kl")
        assert fit.mean == pytest.approx(0.0, abs=1e-12)
        assert fit.std**2 == pytest.approx(1 + d * d, rel=1e-12)
    assert switch_separation("forward_kl") == math.inf


def test_forward_kl_is_moment_matching_for_a_random_mixture():
    rng = np.random.default_rng(7)
    w = rng.dirichlet(np.ones(4))
    m = rng.normal(0, 3, 4)
    s = np.exp(rng.normal(0, 0.5, 4))
    mean = np.dot(w, m)
    var = np.dot(w, s**2 + m**2) - mean**2
    fit = fit_gaussian(w, m, s, "forward_kl")
    assert fit.mean == pytest.approx(mean, abs=1e-12)
    assert fit.std == pytest.approx(math.sqrt(var), rel=1e-12)
    # KL_min = −H(p) + ½ log(2πe Var p), H by quadrature
    p = mixture_pdf(w, m, s)
    entropy = -quad(lambda x: special.xlogy(p(x), p(x)), -60, 60, points=sorted(m))
    assert fit.value == pytest.approx(-entropy + 0.5 * math.log(2 * math.pi * math.e * var),
                                      abs=1e-9)
    # and it is a minimum: nudging the parameters increases KL(p‖q)
    for dm, ds in ((0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)):
        assert gaussian_objective(w, m, s, fit.mean + dm, fit.std + ds, "forward_kl") > fit.value


def test_w2_fit_is_centred_and_uses_the_quantile_scale():
    w, m, s = [0.2, 0.5, 0.3], [-3.0, 0.5, 4.0], [0.7, 1.0, 1.5]
    fit = fit_gaussian(w, m, s, "w2")
    mean = float(np.dot(w, m))
    assert fit.mean == pytest.approx(mean, abs=1e-12)
    # s* = ∫₀¹ F⁻¹(u) Φ⁻¹(u) du, with F⁻¹ by root finding at Gauss–Legendre nodes
    cdf = lambda x: float(np.dot(w, stats.norm.cdf(x, m, s)))  # noqa: E731
    nodes, weights = np.polynomial.legendre.leggauss(200)
    total = 0.0
    for a, b in ((1e-12, 1e-6), (1e-6, 0.01), (0.01, 0.5), (0.5, 0.99), (0.99, 1 - 1e-6),
                 (1 - 1e-6, 1 - 1e-12)):
        u = 0.5 * (b - a) * nodes + 0.5 * (b + a)
        xq = np.array([optimize.brentq(lambda x: cdf(x) - ui, -80, 80, xtol=1e-14) for ui in u])
        total += 0.5 * (b - a) * np.sum(weights * xq * stats.norm.ppf(u))
    assert fit.std == pytest.approx(total, rel=1e-6)
    var = float(np.dot(w, np.asarray(s) ** 2 + np.asarray(m) ** 2) - mean**2)
    assert fit.value == pytest.approx(var - fit.std**2, rel=1e-9)
    # against the grid W2 of the divergences module
    x = np.linspace(-20, 20, 40001)
    p = np.exp(D.log_mixture_pdf(x, w, m, s))
    q = stats.norm.pdf(x, fit.mean, fit.std)
    assert D.grid_w2sq(x, p, q) == pytest.approx(fit.value, rel=1e-4)


def test_w2_never_collapses():
    for d in (1.0, 3.0, 8.0):
        fit = fit_gaussian(*bimodal(d), "w2")
        assert fit.mean == pytest.approx(0.0, abs=1e-12)
        assert fit.std > d * 0.8
    assert switch_separation("w2") == math.inf


def test_alpha_ends_are_the_kls_exactly():
    target = ([0.3, 0.7], [-2.5, 1.0], [0.8, 1.3])
    for alpha, name in ((1.0, "forward_kl"), (0.0, "reverse_kl")):
        a = fit_gaussian(*target, "alpha", alpha=alpha)
        b = fit_gaussian(*target, name)
        assert (a.mean, a.std, a.value) == (b.mean, b.std, b.value)
        assert a.divergence == "alpha" and a.alpha == alpha and b.alpha is None
        # and the α-family is continuous there
        c = fit_gaussian(*target, "alpha", alpha=alpha + (1e-7 if alpha == 0 else -1e-7))
        assert c.value == pytest.approx(b.value, rel=1e-5)
        assert c.mean == pytest.approx(b.mean, abs=1e-4)


@pytest.mark.parametrize("divergence,alpha", [
    ("reverse_kl", None), ("js", None), ("hellinger", None), ("cauchy_schwarz", None),
    ("alpha", -1.0), ("alpha", 2.5), ("chi2", None),
])
def test_value_matches_quadrature(divergence, alpha):
    target = ([0.35, 0.65], [-2.0, 1.5], [0.9, 1.2])
    fit = fit_gaussian(*target, divergence, alpha=alpha)
    expected = quad_divergence(*target, fit.mean, fit.std, divergence, alpha)
    assert fit.value == pytest.approx(expected, rel=1e-7, abs=1e-10)


def test_tv_value_matches_quadrature_and_is_minimal():
    target = bimodal(2.0)
    fit = fit_gaussian(*target, "tv")
    p = mixture_pdf(*target)
    tv = 0.5 * quad(lambda x: abs(p(x) - stats.norm.pdf(x, fit.mean, fit.std)), -40, 40,
                    points=[-2.0, 0.0, 2.0])
    assert fit.value == pytest.approx(tv, abs=1e-8)
    mus, ss = np.meshgrid(np.linspace(-2, 2, 41), np.linspace(0.5, 4, 36))
    assert fit.value <= gaussian_objective(*target, mus, ss, "tv").min() + 1e-12


def test_reverse_kl_global_versus_local_at_d_2_6():
    """Both a symmetric and a one-mode local minimum exist; the fit returns the lower one."""
    d = 2.6
    target = bimodal(d)

    def local(x0):
        obj = lambda th: gaussian_objective(*target, th[0], math.exp(th[1]), "reverse_kl")  # noqa: E731
        res = optimize.minimize(obj, x0, method="Nelder-Mead",
                                options={"xatol": 1e-9, "fatol": 1e-14, "maxfev": 4000})
        return res.x[0], math.exp(res.x[1]), res.fun

    sym = local([0.0, math.log(2.5)])
    one = local([d, 0.0])
    assert abs(sym[0]) < 1e-4 and abs(one[0]) > 2.0  # two distinct local minima
    fit = fit_gaussian(*target, "reverse_kl")
    assert fit.value == pytest.approx(min(sym[2], one[2]), abs=1e-9)
    assert sym[2] < one[2] and abs(fit.mean) < 1e-6  # below d* ≈ 2.80 the symmetric one wins
    # beyond the switch the one-mode minimum wins
    fit3 = fit_gaussian(*bimodal(3.0), "reverse_kl")
    assert abs(fit3.mean) > 2.5 and fit3.std == pytest.approx(1.02, abs=0.02)


def test_fit_is_global_against_a_dense_grid():
    target = ([0.25, 0.25, 0.5], [-4.0, 0.0, 3.0], [0.6, 1.0, 1.4])
    mus, ss = np.meshgrid(np.linspace(-6, 6, 61), np.exp(np.linspace(-2.0, 1.8, 48)))
    for divergence, alpha in (("reverse_kl", None), ("js", None), ("alpha", -0.5),
                              ("alpha", 0.7), ("cauchy_schwarz", None), ("hellinger", None)):
        fit = fit_gaussian(*target, divergence, alpha=alpha)
        grid = gaussian_objective(*target, mus, ss, divergence, alpha=alpha)
        assert fit.value <= grid.min() + 1e-12, divergence


def test_fixed_std_fits_the_mean_only():
    fit = fit_gaussian(*bimodal(2.0), "reverse_kl", fixed_std=1.0)
    assert fit.std == 1.0 and abs(fit.mean) > 1.5
    fit = fit_gaussian(*bimodal(1.2), "reverse_kl", fixed_std=1.0)
    assert abs(fit.mean) < 1e-4  # below the pitchfork d_c ≈ 1.4608
    fit = fit_gaussian(*bimodal(3.0), "forward_kl", fixed_std=0.5)
    assert (fit.mean, fit.std) == (0.0, 0.5)


def test_seed_and_generator_are_accepted_and_deterministic():
    a = fit_gaussian(*bimodal(2.9), "js", seed=3)
    b = fit_gaussian(*bimodal(2.9), "js", seed=np.random.default_rng(3))
    c = fit_gaussian(*bimodal(2.9), "js", seed=3)
    assert a == c
    assert a.value == pytest.approx(b.value, abs=1e-10)


def test_fit_gaussian_grid_landscape_and_fit():
    target = bimodal(2.6)
    mus, sds = np.linspace(-5, 5, 21), np.exp(np.linspace(np.log(0.4), np.log(6), 15))
    for divergence, alpha in (("reverse_kl", None), ("alpha", 2.0), ("w2", None)):
        land, fit = fit_gaussian_grid(*target, divergence, mus, sds, alpha=alpha)
        assert land.shape == (21, 15)
        assert fit == fit_gaussian(*target, divergence, alpha=alpha)
        exact = gaussian_objective(*target, mus[:, None], sds[None, :], divergence, alpha=alpha)
        np.testing.assert_array_equal(np.isfinite(land), np.isfinite(exact))
        ok = np.isfinite(exact)
        np.testing.assert_allclose(land[ok], exact[ok], rtol=1e-4)
        assert fit.value <= exact[ok].min() + 1e-12
    assert np.isinf(fit_gaussian_grid(*target, "chi2", mus, sds)[0][:, 0]).all()  # s = 0.4
    with pytest.raises(ValueError, match="sds must be > 0"):
        fit_gaussian_grid(*target, "js", mus, -sds)


def test_gaussian_landscape_is_the_grid_functions_landscape_without_the_fit():
    target = bimodal(2.6)
    mus, sds = np.linspace(-5, 5, 21), np.exp(np.linspace(np.log(0.4), np.log(6), 15))
    for divergence, alpha in (("js", None), ("alpha", 0.0), ("alpha", -0.5), ("w2", None)):
        land = gaussian_landscape(*target, divergence, mus, sds, alpha=alpha)
        np.testing.assert_array_equal(land, fit_gaussian_grid(*target, divergence, mus, sds,
                                                              alpha=alpha)[0])
    with pytest.raises(ValueError, match="alpha"):
        gaussian_landscape(*target, "alpha", mus, sds)
    with pytest.raises(ValueError, match="sds must be > 0"):
        gaussian_landscape(*target, "js", mus, -sds)


# ---------------------------------------------------------------------------------------------
# the tail trap
# ---------------------------------------------------------------------------------------------


def test_tail_trap_objective_is_infinite_where_the_integral_diverges():
    target = bimodal(2.0)
    # Pearson χ² (α = 2) needs s² > σ²/2; α = −1 needs s² < 2σ²
    assert gaussian_objective(*target, 0.0, 0.7, "chi2") == math.inf
    assert gaussian_objective(*target, 0.0, 0.7, "alpha", alpha=2.0) == math.inf
    assert gaussian_objective(*target, 0.0, 1.5, "alpha", alpha=-1.0) == math.inf
    assert gaussian_objective(*target, 0.0, 1.0 / math.sqrt(2.0), "chi2") == math.inf  # edge
    # the widest component decides, for either sign of α
    wide = ([0.5, 0.5], [-1.0, 1.0], [1.0, 2.0])
    assert gaussian_objective(*wide, 0.0, 1.3, "chi2") == math.inf      # s² = 1.69 < 4/2
    finite = gaussian_objective(*wide, 0.0, 2.5, "alpha", alpha=-1.0)   # s² = 6.25 < 2·4
    assert math.isfinite(finite)
    assert finite == pytest.approx(quad_divergence(*wide, 0.0, 2.5, "alpha", -1.0), rel=1e-8)
    # just inside the edge the value is large and right (a truncated grid would be far off)
    near = gaussian_objective(*target, 0.3, 0.75, "chi2")
    assert near == pytest.approx(quad_divergence(*target, 0.3, 0.75, "chi2"), rel=1e-8)


@pytest.mark.parametrize("alpha", [-1.0, 2.0, -3.0, 4.0])
def test_tail_trap_fit_is_finite_and_feasible(alpha):
    target = bimodal(2.5)
    fit = fit_gaussian(*target, "alpha", alpha=alpha)
    assert math.isfinite(fit.value) and fit.value > 0
    assert alpha + (1 - alpha) / fit.std**2 > 0
    assert fit.value == pytest.approx(quad_divergence(*target, fit.mean, fit.std, "alpha", alpha),
                                      rel=1e-7)
    with pytest.raises(ValueError, match="fixed_std"):
        fit_gaussian(*target, "alpha", alpha=alpha, fixed_std=0.5 if alpha > 1 else 3.0)


# ---------------------------------------------------------------------------------------------
# switch separations (the brief's worked numbers)
# ---------------------------------------------------------------------------------------------


def pitchfork_root():
    """Root of d²·E[sech²(dZ)] = 1, Z ~ N(0, 1), by quadrature."""
    def g(d):
        def sech2(y):
            t = math.exp(-2.0 * abs(y))
            return 4.0 * t / (1.0 + t) ** 2
        e = quad(lambda z: stats.norm.pdf(z) * sech2(d * z), -40.0, 40.0, points=[0.0])
        return d * d * e - 1.0
    return optimize.brentq(g, 1.0, 2.0, xtol=1e-12)


def test_reverse_kl_fixed_width_pitchfork():
    d_c = pitchfork_root()
    assert d_c == pytest.approx(1.4608, abs=1e-4)
    assert switch_separation("reverse_kl", fixed_std=1.0) == pytest.approx(d_c, abs=1e-3)
    assert one_mode_appears("reverse_kl", fixed_std=1.0) == pytest.approx(d_c, abs=1e-3)


def test_reverse_kl_free_width_first_order_switch():
    appear = one_mode_appears("reverse_kl")
    switch = switch_separation("reverse_kl")
    assert appear == pytest.approx(2.41, abs=0.01)
    assert switch == pytest.approx(2.80, abs=0.01)
    # the symmetric solution stays a local minimum throughout: ∂²KL/∂μ² = 1/s² > 0
    target = bimodal(switch + 0.1)
    obj = lambda s: gaussian_objective(*target, 0.0, s, "reverse_kl")  # noqa: E731
    s0 = optimize.minimize_scalar(obj, bounds=(1.0, 5.0), method="bounded",
                                  options={"xatol": 1e-10}).x
    h = 1e-3
    curvature = (gaussian_objective(*target, h, s0, "reverse_kl")
                 + gaussian_objective(*target, -h, s0, "reverse_kl") - 2 * obj(s0)) / h**2
    assert curvature == pytest.approx(1 / s0**2, rel=1e-3)


def test_switch_separation_grows_along_alpha():
    curve = switch_curve([-1.0, 0.0, 0.5])
    assert curve[1] == pytest.approx(2.80, abs=0.01)  # α = 0 is reverse KL
    assert curve[0] < curve[1] < curve[2] < 8.0
    # diverges as α → 1: no switch up to d = 5 at α = 0.9 (forward KL never switches)
    assert switch_curve([0.9], d_max=5.0)[0] == math.inf
    # Hellinger is a multiple of D_½: the same fits, the same switch
    assert switch_separation("hellinger") == pytest.approx(curve[2], abs=2e-3)


# ---------------------------------------------------------------------------------------------
# mixtures
# ---------------------------------------------------------------------------------------------


def test_three_modes_two_components_forward_covers_reverse_drops():
    d = 6.0
    target = ([1 / 3] * 3, [-d, 0.0, d], [1.0, 1.0, 1.0])
    p = lambda x: np.exp(D.log_mixture_pdf(x, *target))  # noqa: E731
    modes = np.array([-d, 0.0, d])

    fwd = fit_mixture(*target, 2, "forward_kl", seed=0)
    q_fwd = np.exp(D.log_mixture_pdf(modes, fwd.weights, fwd.means, fwd.stds))
    assert np.all(q_fwd > 0.3 * p(modes))          # every mode keeps mass
    wide = int(np.argmax(fwd.stds))
    assert fwd.stds[wide] > 2.0                    # one component averages two modes
    assert -d + 1 < fwd.means[wide] < d - 1 or abs(fwd.means[wide]) > 1  # sits between modes

    rev = fit_mixture(*target, 2, "reverse_kl", seed=0)
    q_rev = np.exp(D.log_mixture_pdf(modes, rev.weights, rev.means, rev.stds))
    ratio = q_rev / p(modes)
    assert np.sum(ratio < 1e-3) == 1               # exactly one mode dropped
    assert np.sum(ratio > 0.5) == 2
    assert np.all(rev.stds < 1.3)

    for fit in (fwd, rev):
        assert fit.weights.sum() == pytest.approx(1.0)
        assert np.all(np.diff(fit.means) >= 0)
        assert fit.path.shape[1:] == (3, 2) and fit.path.shape[0] >= 2
        np.testing.assert_allclose(fit.path[-1], np.stack([fit.weights, fit.means, fit.stds]))
        assert fit.path_values[-1] <= fit.path_values[0]
        assert fit.path_values[-1] == pytest.approx(fit.value, abs=1e-8)


def test_fit_mixture_recovers_a_mixture_it_can_represent():
    target = ([0.3, 0.7], [-2.0, 1.5], [0.6, 1.1])
    for divergence in ("forward_kl", "reverse_kl"):
        fit = fit_mixture(*target, 2, divergence, seed=1, n_restarts=3)
        np.testing.assert_allclose(fit.weights, [0.3, 0.7], atol=1e-4)
        np.testing.assert_allclose(fit.means, [-2.0, 1.5], atol=1e-4)
        np.testing.assert_allclose(fit.stds, [0.6, 1.1], atol=1e-4)
        assert fit.value < 1e-8


def test_fit_mixture_single_component_forward_is_moment_matching():
    target = ([0.5, 0.5], [-2.0, 2.0], [1.0, 1.0])
    fit = fit_mixture(*target, 1, "forward_kl", n_restarts=0)
    assert fit.means[0] == pytest.approx(0.0, abs=1e-6)
    assert fit.stds[0] == pytest.approx(math.sqrt(5.0), rel=1e-6)


# ---------------------------------------------------------------------------------------------
# gradients far away
# ---------------------------------------------------------------------------------------------


def test_far_away_gaussian_target_closed_forms():
    dist = np.array([0.0, 0.5, 2.0, 7.0, 15.0])
    for name in ("forward_kl", "reverse_kl"):
        g = gradient_far_away(dist, name)
        np.testing.assert_allclose(g.values, dist**2 / 2, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(g.gradients, dist, rtol=1e-8, atol=1e-10)
    g = gradient_far_away(dist, "w2")
    np.testing.assert_allclose(g.values, dist**2, atol=1e-9)
    np.testing.assert_allclose(g.gradients, 2 * dist, atol=1e-12)


def test_js_gradient_vanishes_while_w2_keeps_pulling():
    kw = dict(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0])
    dist = np.array([1.0, 5.0, 10.0, 20.0, 30.0])
    js = gradient_far_away(dist, "js", **kw)
    w2 = gradient_far_away(dist, "w2", **kw)
    np.testing.assert_allclose(w2.gradients, 2 * dist, rtol=1e-12)
    assert js.values[-1] == pytest.approx(math.log(2.0), abs=1e-12)  # saturated
    assert js.gradients[-1] < 1e-12 and js.gradients[-2] < 1e-8
    assert np.all(np.diff(js.gradients[1:]) < 0)
    assert np.all(js.values <= math.log(2.0) + 1e-15)
    # the JS gradient matches a finite difference of the JS value
    h = 1e-4
    for d0 in (1.0, 3.0):
        vp = gradient_far_away([d0 + h], "js", **kw).values[0]
        vm = gradient_far_away([d0 - h], "js", **kw).values[0]
        assert gradient_far_away([d0], "js", **kw).gradients[0] == pytest.approx(
            abs(vp - vm) / (2 * h), rel=1e-6)
    # reverse KL and forward KL keep pulling too
    assert gradient_far_away([20.0], "reverse_kl", **kw).gradients[0] > 10


# ---------------------------------------------------------------------------------------------
# categorical distillation
# ---------------------------------------------------------------------------------------------


def teacher(T=1.0, K=20):
    k = np.arange(K)
    z = 3.0 * np.exp(-0.5 * ((k - 5) / 1.5) ** 2) + 2.6 * np.exp(-0.5 * ((k - 14) / 1.5) ** 2)
    return softmax(z / 0.5, temperature=T)


def test_softmax():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]])
    p = softmax(z)
    np.testing.assert_allclose(p.sum(-1), 1.0)
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(softmax(z[0] + 7.0, temperature=2.0), softmax(z[0], temperature=2.0))
    hot, cold = softmax(z[0], temperature=5.0), softmax(z[0], temperature=0.2)
    assert hot.max() < softmax(z[0]).max() < cold.max()
    with pytest.raises(ValueError, match="temperature"):
        softmax(z, temperature=0.0)
    with pytest.raises(ValueError, match="logits"):
        softmax([1.0, np.nan])


def test_student_forward_covers_reverse_picks_a_mode():
    p = teacher()
    left, right = slice(2, 9), slice(11, 18)
    fwd = student_fit(p, "forward_kl")
    rev = student_fit(p, "reverse_kl")
    js = student_fit(p, "js")
    assert fwd.probs[left].sum() > 0.25 and fwd.probs[right].sum() > 0.25
    for fit in (rev, js):
        masses = sorted([fit.probs[left].sum(), fit.probs[right].sum()])
        assert masses[0] < 0.01 and masses[1] > 0.95
    # forward KL is convex in θ: its optimum matches the moments of the features
    basis = np.polynomial.legendre.legvander(np.linspace(-1, 1, p.size), 2)[:, 1:]
    np.testing.assert_allclose(fwd.probs @ basis, p @ basis, atol=1e-8)
    assert fwd.value == pytest.approx(D.kl(p, fwd.probs), rel=1e-12)
    assert rev.value == pytest.approx(D.kl(rev.probs, p), rel=1e-12)
    assert js.value == pytest.approx(D.js(p, js.probs), rel=1e-12)


def test_student_balance_interpolates_and_is_global():
    p = teacher()
    fwd, rev = student_fit(p, "forward_kl"), student_fit(p, "reverse_kl")
    b1, b0 = balanced_student_fit(p, 1.0), balanced_student_fit(p, 0.0)
    assert b1.value == pytest.approx(fwd.value, rel=1e-9)
    assert b0.value == pytest.approx(rev.value, rel=1e-9)
    half = balanced_student_fit(p, 0.5)
    assert half.weight == 0.5
    # global: no point of a dense grid over the two coefficients does better
    basis = np.polynomial.legendre.legvander(np.linspace(-1, 1, p.size), 2)[:, 1:]
    a, b = np.meshgrid(np.linspace(-30, 30, 121), np.linspace(-30, 10, 81))
    logits = a[..., None] * basis[:, 0] + b[..., None] * basis[:, 1]
    q = softmax(logits)
    grid = 0.5 * D.kl(p, q) + 0.5 * D.kl(q, p)
    assert half.value <= grid.min() + 1e-12


# ---------------------------------------------------------------------------------------------
# input validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs,match", [
    (dict(weights=[-0.5, 1.5], means=[0, 1], stds=[1, 1]), "weights must be non-negative"),
    (dict(weights=[0.5, 0.6], means=[0, 1], stds=[1, 1]), "weights must sum to 1"),
    (dict(weights=[0.5, 0.5], means=[0, 1], stds=[1, 0]), "stds must be > 0"),
    (dict(weights=[0.5, 0.5], means=[0, 1], stds=[1, -1]), "stds must be > 0"),
    (dict(weights=[0.5, 0.5], means=[0, np.inf], stds=[1, 1]), "means must contain only finite"),
    (dict(weights=[0.5, 0.5], means=[0, 1, 2], stds=[1, 1]), "same length"),
])
def test_bad_target_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        fit_gaussian(kwargs["weights"], kwargs["means"], kwargs["stds"], "reverse_kl")


def test_bad_divergence_and_alpha_raise():
    target = bimodal(2.0)
    with pytest.raises(ValueError, match="divergence must be one of") as err:
        fit_gaussian(*target, "kl")
    for name in FIT_DIVERGENCES:
        assert repr(name) in str(err.value)
    with pytest.raises(ValueError, match="alpha is required"):
        fit_gaussian(*target, "alpha")
    for bad in (np.nan, np.inf, -np.inf, "half", [0.5]):
        with pytest.raises(ValueError, match="alpha must be"):
            fit_gaussian(*target, "alpha", alpha=bad)
    with pytest.raises(ValueError, match="alpha is only used"):
        fit_gaussian(*target, "js", alpha=0.5)
    with pytest.raises(ValueError, match="fixed_std"):
        fit_gaussian(*target, "js", fixed_std=0.0)
    with pytest.raises(ValueError, match="seed"):
        fit_gaussian(*target, "js", seed=-1)
    with pytest.raises(ValueError, match="std must be finite and > 0"):
        gaussian_objective(*target, 0.0, -1.0, "js")
    with pytest.raises(ValueError, match="d_max"):
        switch_separation("js", d_max=0.0)
    with pytest.raises(ValueError, match="alphas"):
        switch_curve([0.5, np.nan])


def test_bad_mixture_gradient_and_student_inputs_raise():
    target = bimodal(2.0)
    with pytest.raises(ValueError, match="n_components"):
        fit_mixture(*target, 0, "forward_kl")
    with pytest.raises(ValueError, match="divergence must be one of 'forward_kl', 'reverse_kl'"):
        fit_mixture(*target, 2, "js")
    with pytest.raises(ValueError, match="steps"):
        fit_mixture(*target, 2, "forward_kl", steps=0)
    with pytest.raises(ValueError, match="divergence must be one of"):
        gradient_far_away([1.0], "hellinger")
    with pytest.raises(ValueError, match="distances must be finite"):
        gradient_far_away([np.nan], "js")
    with pytest.raises(ValueError, match="std must be"):
        gradient_far_away([1.0], "js", std=0.0)
    p = teacher()
    with pytest.raises(ValueError, match="divergence must be one of"):
        student_fit(p, "balanced")  # not a divergence: balanced_student_fit
    with pytest.raises(ValueError, match=r"weight must be a finite real number in \[0, 1\]"):
        balanced_student_fit(p, 1.5)
    with pytest.raises(TypeError):
        student_fit(p, "js", weight=0.5)
    with pytest.raises(ValueError, match="must be > 0"):
        balanced_student_fit(np.r_[0.0, p[1:] / p[1:].sum()], 0.5)
    with pytest.raises(ValueError, match="sum to 1"):
        student_fit(p * 2, "forward_kl")
    with pytest.raises(ValueError, match="must be > 0"):
        student_fit(np.r_[0.0, p[1:] / p[1:].sum()], "reverse_kl")
    with pytest.raises(ValueError, match="degree"):
        student_fit(p, "forward_kl", degree=0)


# ---------------------------------------------------------------------------------------------
# properties and packaging
# ---------------------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(w0=st.floats(0.05, 0.95), m0=st.floats(-4, 4), m1=st.floats(-4, 4),
       s0=st.floats(0.4, 2.5), s1=st.floats(0.4, 2.5),
       div=st.sampled_from(["reverse_kl", "js", "hellinger", "cauchy_schwarz", "alpha"]),
       mu=st.floats(-6, 6), s=st.floats(0.2, 6))
def test_fit_beats_any_other_gaussian(w0, m0, m1, s0, s1, div, mu, s):
    target = ([w0, 1 - w0], [m0, m1], [s0, s1])
    alpha = -0.5 if div == "alpha" else None
    fit = fit_gaussian(*target, div, alpha=alpha)
    assert fit.value >= 0
    assert fit.value <= gaussian_objective(*target, mu, s, div, alpha=alpha) + 1e-12


def test_import_does_not_pull_torch_or_plotting():
    code = ("import sys, kitlib.fitting; "
            "bad = [m for m in ('torch', 'matplotlib', 'ipywidgets', 'ot') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
