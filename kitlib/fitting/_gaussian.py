"""The global Gaussian fit and its landscape.

A private module of :mod:`kitlib.fitting`: import its public names from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from kitlib import _validate as _v
from kitlib._validate import one_of, positive_scalar
from kitlib.fitting._common import (
    FIT_DIVERGENCES,
    MAX_CANDIDATES,
    _COARSE,
    _FD_STEP,
    _FINE,
    _LAMBDA_COARSE,
    _LAMBDA_EDGE,
    _LAMBDA_POLISH,
    _N_LOGS,
    _N_MU,
    _N_POLISH,
    _PLOT,
    _POLISH_OPTIONS,
    _Target,
    _alpha_for,
    _check_scales,
    _mixture,
    _vector,
)
from kitlib.fitting._objective import (
    _Objective,
    _feasible_std_interval,
    _resolve_alpha,
    _w2_scale,
    _w2_value,
)

__all__ = ["GaussianFit", "fit_gaussian", "fit_gaussian_grid", "gaussian_landscape"]


@dataclass(frozen=True)
class GaussianFit:
    r"""The global minimiser q = N(mean, std²) of D(p‖q) and the minimum.

    Attributes
    ----------
    mean, std : float
        Parameters of the fitted Gaussian (std is a standard deviation).
    value : float
        D(p‖q) at the fit (see :func:`fit_gaussian` for each divergence's convention).
    divergence : str
        The divergence that was minimised.
    alpha : float or None
        Minka's α for ``divergence="alpha"``, else None.
    """

    mean: float
    std: float
    value: float
    divergence: str
    alpha: float | None


def _local_minima(values: np.ndarray) -> np.ndarray:
    """Flat indices of cells ≤ all their (up to 8) neighbours, best first."""
    v = np.where(np.isfinite(values), values, np.inf)
    if v.ndim == 1:
        v = v[:, None]
    pad = np.pad(v, 1, constant_values=np.inf)
    is_min = np.isfinite(v)
    rows, cols = v.shape
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_min &= v <= pad[1 + di:1 + di + rows, 1 + dj:1 + dj + cols]
    flat = np.flatnonzero(is_min)
    return flat[np.argsort(v.ravel()[flat], kind="stable")]


class _Problem:
    """Everything a Gaussian fit to one target needs: objective, boxes, polishing."""

    def __init__(self, tgt: _Target, divergence: str, alpha: float | None):
        self.tgt = tgt
        self.divergence = divergence
        self.alpha = alpha
        self.fine = _Objective(tgt, divergence, alpha, _FINE)
        a = self.fine.a
        self.a = a
        sd = tgt.std
        # polishing bounds (wide) and coarse box, all inside the tail-feasible region
        s_lo, s_hi = tgt.smin / 10.0, 4.0 * sd
        self.s_bounds, self.s_bounds_edge = [
            (max(s_lo, lo), min(s_hi, hi))
            for lo, hi in (_feasible_std_interval(tgt, a, f) for f in (_LAMBDA_POLISH, _LAMBDA_EDGE))]
        lo_m, hi_m = float(np.min(tgt.m - tgt.s)), float(np.max(tgt.m + tgt.s))
        pad = 2.0 * tgt.smax
        self.mu_bounds = (lo_m - pad, hi_m + pad)
        self.mu_box = (lo_m, hi_m)
        ok_lo, ok_hi = _feasible_std_interval(tgt, a, _LAMBDA_COARSE)
        self.s_box = (max(tgt.smin / 3.0, ok_lo), min(2.5 * sd, ok_hi))
        if self.s_box[0] >= self.s_box[1]:
            self.s_box = self.s_bounds

    def coarse(self, fixed_std: float | None):
        obj = _Objective(self.tgt, self.divergence, self.alpha, _COARSE)
        mus = np.linspace(*self.mu_box, _N_MU)
        if fixed_std is None:
            logs = np.linspace(math.log(self.s_box[0]), math.log(self.s_box[1]), _N_LOGS)
            M, LS = np.meshgrid(mus, logs, indexing="ij")
            vals = obj(M, np.exp(LS))
            cells = _local_minima(vals)[:_N_POLISH]
            return [(M.flat[c], LS.flat[c]) for c in cells]
        vals = obj(mus, fixed_std)
        cells = _local_minima(vals)[:_N_POLISH]
        return [(mus[c], math.log(fixed_std)) for c in cells]

    def polish(self, mu0: float, logs0: float, fixed_std: float | None) -> tuple[float, float, float]:
        mu, s, value = self._polish(mu0, logs0, fixed_std, self.s_bounds)
        if fixed_std is None and self.a is not None:
            edge = self.s_bounds[0] if self.a > 1.0 else self.s_bounds[1]
            if abs(math.log(s / edge)) < 1e-7:  # stopped by the tail margin: look closer
                mu, s, value = self._polish(mu, math.log(s), None, self.s_bounds_edge)
        return mu, s, value

    def _polish(self, mu0: float, logs0: float, fixed_std: float | None,
                s_bounds: tuple[float, float]) -> tuple[float, float, float]:
        sd, mean = self.tgt.std, self.tgt.mean
        h = _FD_STEP
        if fixed_std is None:
            def fg(theta):
                u, v = theta
                us = np.array([u, u + h, u - h, u, u])
                vs = np.array([v, v, v, v + h, v - h])
                f = self.fine(mean + sd * us, sd * np.exp(vs))
                if not np.isfinite(f).all():
                    return 1e300, np.zeros(2)
                return f[0], np.array([(f[1] - f[2]) / (2 * h), (f[3] - f[4]) / (2 * h)])

            bounds = [((self.mu_bounds[0] - mean) / sd, (self.mu_bounds[1] - mean) / sd),
                      (math.log(s_bounds[0] / sd), math.log(s_bounds[1] / sd))]
            x0 = np.clip([(mu0 - mean) / sd, logs0 - math.log(sd)],
                         [b[0] for b in bounds], [b[1] for b in bounds])
            res = optimize.minimize(fg, x0, jac=True, method="SLSQP", bounds=bounds,
                                    options=_POLISH_OPTIONS)
            u, v = res.x
            return mean + sd * u, sd * math.exp(v), float(res.fun)

        def fg1(theta):
            u = theta[0]
            f = self.fine(mean + sd * np.array([u, u + h, u - h]), fixed_std)
            if not np.isfinite(f).all():
                return 1e300, np.zeros(1)
            return f[0], np.array([(f[1] - f[2]) / (2 * h)])

        bounds = [((self.mu_bounds[0] - mean) / sd, (self.mu_bounds[1] - mean) / sd)]
        res = optimize.minimize(fg1, [(mu0 - mean) / sd], jac=True, method="SLSQP",
                                bounds=bounds, options=_POLISH_OPTIONS)
        return mean + sd * float(res.x[0]), fixed_std, float(res.fun)

    def solve(self, fixed_std: float | None, rng: np.random.Generator | None):
        starts = self.coarse(fixed_std)
        if rng is not None:
            u = rng.uniform(size=2)
            mu_r = self.mu_box[0] + u[0] * (self.mu_box[1] - self.mu_box[0])
            ls_r = math.log(self.s_box[0]) + u[1] * math.log(self.s_box[1] / self.s_box[0])
            starts.append((mu_r, ls_r if fixed_std is None else math.log(fixed_std)))
        if self.divergence == "tv":
            results = self.zoom(starts, fixed_std)
        else:
            results = [self.polish(mu0, ls0, fixed_std) for mu0, ls0 in starts]
        return min(results, key=lambda r: r[2])

    def zoom(self, starts, fixed_std: float | None, *, k: int = 5, shrink: float = 0.4,
             tol: float = 1e-7, max_iter: int = 80):
        """Batched pattern search on a k×k stencil, for non-smooth objectives (TV).

        TV(μ, s) is only C¹: where a new region {p > q} is born its curvature is infinite, and
        its minimum lies in long flat valleys along such lines, which stall quasi-Newton
        methods. Each iteration evaluates every start's stencil in one batch, moves to the best
        point and shrinks the stencil when the centre is best.
        """
        sd, mean = self.tgt.std, self.tgt.mean
        du = (self.mu_box[1] - self.mu_box[0]) / (_N_MU - 1) / sd
        dv = 0.0 if fixed_std is not None else math.log(self.s_box[1] / self.s_box[0]) / (_N_LOGS - 1)
        theta = np.array([[(m - mean) / sd, ls - math.log(sd)] for m, ls in starts])
        step = np.full(len(starts), 0.5)
        g = np.arange(k) - k // 2
        if fixed_std is None:
            offsets = np.stack(np.meshgrid(g * du, g * dv, indexing="ij"), -1).reshape(-1, 2)
        else:
            offsets = np.stack([g * du, np.zeros(k)], -1)
        centre = len(offsets) // 2
        lo = np.array([(self.mu_bounds[0] - mean) / sd, math.log(self.s_bounds[0] / sd)])
        hi = np.array([(self.mu_bounds[1] - mean) / sd, math.log(self.s_bounds[1] / sd)])
        rows = np.arange(len(starts))
        for _ in range(max_iter):
            pts = theta[:, None, :] + step[:, None, None] * offsets[None]
            pts = np.clip(pts, lo, hi) if fixed_std is None else pts
            s = fixed_std if fixed_std is not None else sd * np.exp(pts[..., 1])
            vals = self.fine(mean + sd * pts[..., 0], s)
            best = np.argmin(vals, axis=1)
            theta = pts[rows, best]
            step = np.where(best == centre, shrink * step, step)
            if step.max() * max(du, dv) < tol:
                break
        out = []
        for t, v in zip(theta, vals[rows, best]):
            out.append((mean + sd * t[0], fixed_std if fixed_std is not None
                        else sd * math.exp(t[1]), float(v)))
        return out


def _fit(tgt: _Target, divergence: str, alpha: float | None, fixed_std: float | None,
         rng: np.random.Generator | None) -> tuple[float, float, float]:
    """(mean, std, value) of the global fit; divergence already resolved (α = 0, 1 mapped)."""
    if divergence == "forward_kl":
        # information projection onto the Gaussians = moment matching
        mu = tgt.mean
        s = tgt.std if fixed_std is None else fixed_std
        value = float(_Objective(tgt, divergence, None, _FINE)(mu, s))
        return mu, s, value
    if divergence == "w2":
        s_star = _w2_scale(tgt)
        s = s_star if fixed_std is None else fixed_std
        return tgt.mean, s, float(_w2_value(tgt, s_star, tgt.mean, s))
    prob = _Problem(tgt, divergence, alpha)
    if fixed_std is not None and not prob.fine.feasible(fixed_std):
        lo, hi = _feasible_std_interval(tgt, prob.a)
        raise ValueError(f"fixed_std={fixed_std!r} makes D(p‖q) infinite for every mean "
                         f"(∫p^α q^(1−α) diverges in the tails, α = {prob.a:g}); allowed: "
                         f"{lo:.6g} < fixed_std < {hi:.6g}")
    mu, s, _ = prob.solve(fixed_std, rng)
    return mu, s, float(prob.fine(mu, s))


def fit_gaussian(weights, means, stds, divergence, *, alpha=None, seed=0, fixed_std=None):
    r"""Global minimiser of D(p‖q) over Gaussians q = N(μ, s²) for a 1-D mixture target p.

    p = Σ_j w_j N(m_j, σ_j²). ``value`` is, by ``divergence``:

    ==================  =========================================================
    ``forward_kl``      KL(p‖q) = ∫p log(p/q)  (closed form: μ = E_p x, s² = Var_p x)
    ``reverse_kl``      KL(q‖p)
    ``alpha``           Minka D_α(p‖q) = (1 − ∫p^α q^{1−α})/(α(1 − α)); α = 1 is
                        ``forward_kl`` and α = 0 ``reverse_kl`` exactly
    ``js``              Jensen–Shannon ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2, in nats
    ``hellinger``       H² = 1 − ∫√(pq)  (the ½ convention, ∈ [0, 1])
    ``tv``              ½∫|p − q|
    ``chi2``            Pearson χ²(p‖q) = ∫(p − q)²/q  (= 2 D_α at α = 2)
    ``cauchy_schwarz``  D_CS = −2 log∫pq + log∫p² + log∫q²
    ``w2``              W2²(p, q) (closed form for a location–scale family: μ = E_p x,
                        s = ∫₀¹F_p⁻¹(u)Φ⁻¹(u) du, value Var_p x − s²; never collapses)
    ==================  =========================================================

    Method. The landscapes have several local minima and the switch between them as the target
    changes is first order, so a warm-started local optimiser is not enough. A coarse grid of
    25 × 15 cells over (μ, log s) (μ over the components ± 1 sd, s from σ_min/3 to 2.5 sd(p)) is
    evaluated in one batch; the best three local minima of that grid, and one random start
    drawn from ``seed``, are polished by SLSQP (central-difference gradients, evaluated in one
    batch of five; TV, which is only C¹, by a batched 5 × 5 pattern search); the lowest result
    wins. Tail-sensitive cases (α < 0, α > 1, χ²) are restricted analytically to
    λ = α/σ_max² + (1 − α)/s² > 0 (see :func:`gaussian_objective`); the optimiser keeps
    λ ≥ 10⁻⁴·min(1, |α|)/σ_max². Forward KL and W2 are closed forms (< 2 ms); the others take
    about 5–40 ms on one core (more for widely separated components).

    Parameters
    ----------
    weights, means, stds : array_like, shape (K,)
        Target mixture: weights ≥ 0 summing to 1, stds > 0.
    divergence : str
        One of :data:`FIT_DIVERGENCES`.
    alpha : float, optional, keyword-only
        Minka's α (any finite real); required for ``"alpha"`` and only allowed there.
    seed : int or numpy.random.Generator, keyword-only
        For the one random extra start.
    fixed_std : float, optional, keyword-only
        Fix s and fit μ only (the pitchfork story); must keep the divergence finite.

    Returns
    -------
    GaussianFit

    Contract
    --------
    weights
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 64 entries (mixture
        weights, shape (K,)).
    means
        1-D real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 64 entries
        (component means, shape (K,); |means| <= 1e9 × min(stds)).
    stds
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 64 entries (component
        standard deviations, shape (K,), >= 1e-100; the means span at most 1e6 × min(stds)).
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    Budget (1 GB / 1 core): K <= 64 components; grids batched to ~100 MiB. Bad or too-large input
    raises ValueError naming the argument, before any allocation.

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005. C. Bishop, "Pattern Recognition
    and Machine Learning", §10.1. "Sinkhorn Distance Minimization for Knowledge Distillation"
    (SinKD). "MLE convergence speed to information projection under model misspecification".

    Examples
    --------
    >>> fit = fit_gaussian([0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], "forward_kl")
    >>> round(fit.mean, 12), round(fit.std**2, 12)      # moment matching: s² = 1 + d²
    (0.0, 5.0)
    """
    tgt = _mixture(weights, means, stds)
    divergence = one_of(divergence, "divergence", FIT_DIVERGENCES)
    a = _alpha_for(divergence, alpha)
    rng = _v.as_generator(seed, "seed")
    if fixed_std is not None:
        fixed_std = positive_scalar(fixed_std, "fixed_std")
        _check_scales("fixed_std", fixed_std, positive=True)
    div, a_resolved = _resolve_alpha(divergence, a)
    mu, s, value = _fit(tgt, div, a_resolved, fixed_std, rng)
    return GaussianFit(float(mu), float(s), float(value), divergence, a)


def fit_gaussian_grid(weights, means, stds, divergence, mus, sds, *, alpha=None, seed=0,
                      fixed_std=None):
    r"""The landscape of D(p‖N(μ, s²)) on a (μ, s) grid, and the global fit (for explorers).

    The landscape is evaluated in one batch at plotting accuracy (about 10⁻⁴ relative; +inf
    where the divergence is infinite, see :func:`gaussian_objective`); the fit is exactly
    :func:`fit_gaussian` and does not depend on the grid. Typically 15–50 ms for a 49 × 33 grid.

    Parameters
    ----------
    weights, means, stds, divergence, alpha, seed, fixed_std
        As in :func:`fit_gaussian` (``fixed_std`` fixes the fit's s; the landscape stays 2-D).
    mus : array_like, shape (M,)
        Finite candidate means.
    sds : array_like, shape (S,)
        Candidate standard deviations, > 0.

    Returns
    -------
    landscape : ndarray, shape (M, S)
        D(p‖N(mus[i], sds[j]²)).
    fit : GaussianFit

    Contract
    --------
    weights
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 64 entries (mixture
        weights, shape (K,)).
    means
        1-D real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 64 entries
        (component means, shape (K,); |means| <= 1e9 × min(stds)).
    stds
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 64 entries (component
        standard deviations, shape (K,), >= 1e-100; the means span at most 1e6 × min(stds)).
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    mus
        1-D real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 65,536 entries.
    sds
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 65,536 entries (>=
        1e-100).
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    Budget (1 GB / 1 core): len(mus) × len(sds) <= 65,536. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    mu_arr, sd_arr = _landscape_grid(mus, sds)
    fit = fit_gaussian(weights, means, stds, divergence, alpha=alpha, seed=seed,
                       fixed_std=fixed_std)
    _check_scales("sds", sd_arr, positive=True)
    return _landscape(_mixture(weights, means, stds), divergence, fit.alpha, mu_arr, sd_arr), fit


def _landscape_grid(mus, sds) -> tuple[np.ndarray, np.ndarray]:
    """The candidate means and standard deviations of a landscape, checked against the budget."""
    mu_arr = _vector(mus, "mus", MAX_CANDIDATES)
    sd_arr = _vector(sds, "sds", MAX_CANDIDATES)
    if mu_arr.size * sd_arr.size > MAX_CANDIDATES:
        raise _v.ResourceLimitError(
            f"mus and sds must span at most {MAX_CANDIDATES:,} grid cells on the 1 GB / 1-core "
            f"budget; got {mu_arr.size} × {sd_arr.size}. Use a coarser grid.")
    _check_scales("mus", mu_arr)
    if sd_arr.min() <= 0:
        raise ValueError(f"sds must be > 0 (standard deviations); got min {sd_arr.min()!r}")
    return mu_arr, sd_arr


def _landscape(tgt: _Target, divergence: str, alpha: float | None, mu_arr: np.ndarray,
               sd_arr: np.ndarray) -> np.ndarray:
    """D(p‖N(mus[i], sds[j]²)) at plotting accuracy, shape (M, S); inputs already checked."""
    M, S = np.meshgrid(mu_arr, sd_arr, indexing="ij")
    if divergence == "w2":
        return _w2_value(tgt, _w2_scale(tgt), M, S)
    div, a = _resolve_alpha(divergence, alpha)
    return _Objective(tgt, div, a, _PLOT)(M, S)


def gaussian_landscape(weights, means, stds, divergence, mus, sds, *, alpha=None):
    r"""The landscape of D(p‖N(μ, s²)) on a (μ, s) grid, without the fit (for explorers).

    The picture :func:`fit_gaussian_grid` returns, for a caller that already has the global
    fit (e.g. from a table): one batch at plotting accuracy, about 10⁻⁴ relative (+inf where
    the divergence is infinite, see :func:`gaussian_objective`). Typically 5–50 ms for a
    41 × 29 grid on one core.

    Parameters
    ----------
    weights, means, stds, divergence, alpha
        As in :func:`fit_gaussian`.
    mus : array_like, shape (M,)
        Finite candidate means.
    sds : array_like, shape (S,)
        Candidate standard deviations, > 0.

    Returns
    -------
    landscape : ndarray, shape (M, S)
        D(p‖N(mus[i], sds[j]²)).

    Contract
    --------
    weights
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 64 entries (mixture
        weights, shape (K,)).
    means
        1-D real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 64 entries
        (component means, shape (K,); |means| <= 1e9 × min(stds)).
    stds
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 64 entries (component
        standard deviations, shape (K,), >= 1e-100; the means span at most 1e6 × min(stds)).
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    mus
        1-D real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 65,536 entries.
    sds
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 65,536 entries (>=
        1e-100).
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    Budget (1 GB / 1 core): len(mus) × len(sds) <= 65,536. Bad or too-large input raises ValueError
    naming the argument, before any allocation.

    Examples
    --------
    >>> land = gaussian_landscape([1.0], [0.0], [1.0], "reverse_kl", [0.0, 1.0], [1.0])
    >>> land.round(4).tolist()                          # KL(q‖p) = (μ − 0)²/2 for s = 1
    [[0.0], [0.5]]
    """
    mu_arr, sd_arr = _landscape_grid(mus, sds)
    tgt = _mixture(weights, means, stds)
    divergence = one_of(divergence, "divergence", FIT_DIVERGENCES)
    a = _alpha_for(divergence, alpha)
    _check_scales("sds", sd_arr, positive=True)
    return _landscape(tgt, divergence, a, mu_arr, sd_arr)
