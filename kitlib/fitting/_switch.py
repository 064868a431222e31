"""The two-mode target ½N(−d, 1) + ½N(d, 1): where the fit switches to one mode.

A private module of :mod:`kitlib.fitting`: import its public names from there.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from kitlib import _validate as _v
from kitlib._validate import one_of, positive_scalar
from kitlib.fitting._common import (
    FIT_DIVERGENCES,
    MAX_ABS_ALPHA,
    MAX_D_MAX,
    MAX_SWITCH_ALPHAS,
    _N_LOGS,
    _alpha_for,
    _bimodal,
    _check_scales,
)
from kitlib.fitting._objective import (
    _feasible_std_interval,
    _resolve_alpha,
    _tail_lambda,
    _tail_order,
)
from kitlib.fitting._gaussian import _Problem

__all__ = ["switch_separation", "one_mode_appears", "switch_curve"]


_SCAN_STEP = 0.25
_MAX_BISECTIONS = 60
_MODE_THRESHOLD = 1e-2


def _switch_args(divergence, alpha, fixed_std, d_max, tol):
    divergence = one_of(divergence, "divergence", FIT_DIVERGENCES)
    a = _alpha_for(divergence, alpha)
    if fixed_std is not None:
        fixed_std = positive_scalar(fixed_std, "fixed_std")
        _check_scales("fixed_std", fixed_std, positive=True)
    d_max = _v.real_scalar(d_max, "d_max", low=0.0, high=MAX_D_MAX, low_open=True)
    tol = _v.tolerance(tol, "tol", smallest=1e-10, largest=1.0)
    div, a_res = _resolve_alpha(divergence, a)
    if fixed_std is not None:
        t = _tail_order(div, a_res)
        if t is not None and not _tail_lambda(t, 1.0, fixed_std) > 0:
            lo, hi = _feasible_std_interval(_bimodal(1.0), t)
            raise ValueError(f"fixed_std={fixed_std!r} makes D(p‖q) infinite for every mean "
                             f"(α = {t:g}); allowed: {lo:.6g} < fixed_std < {hi:.6g}")
    return div, a_res, fixed_std, d_max, tol


def _symmetric_solution(prob: _Problem, fixed_std: float | None) -> tuple[float, float]:
    """(s, D) of the best fit with μ = 0 (the symmetric solution)."""
    if fixed_std is not None:
        return fixed_std, float(prob.fine(0.0, fixed_std))
    logs = np.linspace(math.log(prob.s_box[0]), math.log(prob.s_box[1]), 4 * _N_LOGS)
    vals = prob.fine(0.0, np.exp(logs))
    j = int(np.argmin(vals))
    lo, hi = logs[max(j - 1, 0)], logs[min(j + 1, logs.size - 1)]
    res = optimize.minimize_scalar(lambda v: float(prob.fine(0.0, math.exp(v))), bounds=(lo, hi),
                                   method="bounded", options={"xatol": 1e-10})
    if res.fun <= vals[j]:
        return math.exp(res.x), float(res.fun)
    return math.exp(logs[j]), float(vals[j])


def _one_mode_is_global(d: float, div: str, a: float | None, fixed_std: float | None) -> bool:
    prob = _Problem(_bimodal(d), div, a)
    s0, d0 = _symmetric_solution(prob, fixed_std)
    h = 1e-3
    curvature = 2.0 * (float(prob.fine(h, s0)) - d0) / h**2
    if curvature < 0:  # the symmetric solution is not even a local minimum (pitchfork)
        return True
    mu, _, value = prob.solve(fixed_std, None)
    return abs(mu) > _MODE_THRESHOLD and value < d0 - 1e-9 * (1.0 + abs(d0))


def _first_true(predicate, d_max: float, tol: float) -> float:
    """Smallest d in (0, d_max] with predicate(d) (scan, then bisection); inf if none."""
    grid = np.arange(_SCAN_STEP, d_max + 1e-12, _SCAN_STEP)
    if grid.size == 0 or grid[-1] < d_max:
        grid = np.append(grid, d_max)
    lo = 0.0
    for d in grid:
        if predicate(float(d)):
            hi = float(d)
            break
        lo = float(d)
    else:
        return math.inf
    for _ in range(_MAX_BISECTIONS):  # tol >= 1e-10 needs at most ~32 halvings of 0.25
        if hi - lo <= tol:
            break
        mid = 0.5 * (lo + hi)
        if predicate(mid):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def switch_separation(divergence, *, alpha=None, fixed_std=None, d_max=8.0, tol=1e-3):
    r"""Separation d* at which the global Gaussian fit to ½N(−d, 1) + ½N(d, 1) picks one mode.

    For d < d* the global minimiser of D(p‖N(μ, s²)) is symmetric (μ = 0); for d just above
    d* it sits on one mode (|μ| > 0.01). The switch is detected either as the symmetric
    solution losing stability (∂²D/∂μ² < 0 at μ = 0: a pitchfork, as for reverse KL with s fixed
    at 1, d_c ≈ 1.4608, the root of d²·E[sech²(dZ)] = 1) or as the global multi-start fit of
    :func:`fit_gaussian` beating the best symmetric solution (a first-order switch, as for
    reverse KL with free s: d* ≈ 2.80, while one-mode local minima exist from d ≈ 2.41, see
    :func:`one_mode_appears`). Scan in steps of 0.25, then bisection to ``tol``.

    Forward KL (μ = 0, s² = 1 + d² always) and W2 (centred at E_p x = 0) never switch: inf.
    Along Minka's α the switch separation grows and diverges as α → 1.

    Parameters
    ----------
    divergence : str
        One of :data:`FIT_DIVERGENCES`.
    alpha : float, optional, keyword-only
        Minka's α for ``"alpha"``.
    fixed_std : float, optional, keyword-only
        Fix s (e.g. 1 for the pitchfork story).
    d_max : float, keyword-only
        Largest separation searched.
    tol : float, keyword-only
        Width of the final bracket.

    Returns
    -------
    float
        d*, or ``inf`` if the fit stays symmetric up to ``d_max``. Run time: about 0.3–1 s
        with ``d_max=8`` (some 40 global fits); it grows with ``d_max`` when there is no
        switch (``d_max=20``: about 10 s).

    Notes
    -----
    Values with free width (``tol=1e-3``): reverse KL 2.800, Cauchy–Schwarz 3.356, TV 3.685,
    JS 4.245, Hellinger = Minka α = ½ 4.742, α = −1 1.535, α = 0.6 6.42, α = 0.75 ≈ 17.2;
    Pearson χ², forward KL and W2: none.

    Contract
    --------
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    d_max
        finite real number > 0 and <= 20.
    tol
        finite real number >= 1e-10 and <= 1 (float64 cannot do better than ~1e-15 here).
    Budget (1 GB / 1 core): d_max <= 20 (~10 s), tol >= 1e-10 (<= 60 bisections). Bad or too-large
    input raises ValueError naming the argument, before any allocation.

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005. C. Bishop, "Pattern Recognition
    and Machine Learning", §10.1.
    """
    div, a, fixed_std, d_max, tol = _switch_args(divergence, alpha, fixed_std, d_max, tol)
    if div in ("forward_kl", "w2"):
        return math.inf
    return _first_true(lambda d: _one_mode_is_global(d, div, a, fixed_std), d_max, tol)


def _profile_slope_ratio(d: float, div: str, a: float | None, fixed_std: float | None) -> float:
    r"""min over μ ∈ (0, d + 3] of P′(μ)/μ, P(μ) = min_s D(μ, s) (> 0 iff P is increasing)."""
    prob = _Problem(_bimodal(d), div, a)
    nonsmooth = div == "tv"
    mus = np.linspace(0.0, d + 3.0, 121 if nonsmooth else 61)[1:]
    if fixed_std is not None:
        s = np.full(mus.shape, fixed_std)
        f1 = prob.fine(mus, s)
    else:
        logs = np.linspace(math.log(prob.s_box[0]), math.log(prob.s_box[1]), 2 * _N_LOGS)
        vals = prob.fine(mus[:, None], np.exp(logs)[None, :])
        j = np.argmin(vals, axis=1)
        lo = logs[np.maximum(j - 1, 0)]
        hi = logs[np.minimum(j + 1, logs.size - 1)]
        # vectorised golden-section search for s*(μ) in each bracket
        ratio = (math.sqrt(5.0) - 1.0) / 2.0
        x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        f1, f2 = prob.fine(mus, np.exp(x1)), prob.fine(mus, np.exp(x2))
        for _ in range(45):
            left = f1 < f2
            hi = np.where(left, x2, hi)
            lo = np.where(left, lo, x1)
            x_new = np.where(left, hi - ratio * (hi - lo), lo + ratio * (hi - lo))
            f_new = prob.fine(mus, np.exp(x_new))
            x1, x2, f1, f2 = (np.where(left, x_new, x2), np.where(left, x1, x_new),
                              np.where(left, f_new, f2), np.where(left, f1, f_new))
        s = np.exp(0.5 * (lo + hi))
    s0, d0 = _symmetric_solution(prob, fixed_std)
    if nonsmooth:
        # TV is only C¹ with kinks in its derivative: use differences of the profile itself
        profile = np.concatenate([[d0], np.minimum(f1, prob.fine(mus, s))])
        grid = np.concatenate([[0.0], mus])
        slope = np.diff(profile) / np.diff(grid)
        return float(np.min(slope / (0.5 * (grid[1:] + grid[:-1]))))
    h = 1e-4
    slope = (prob.fine(mus + h, s) - prob.fine(mus - h, s)) / (2.0 * h)  # envelope theorem
    # the μ → 0 limit P″(0) = ∂²D/∂μ² at the symmetric solution (∂²D/∂μ∂s = 0 there)
    h0 = 1e-3
    curvature = 2.0 * (float(prob.fine(h0, s0)) - d0) / h0**2
    return float(min(np.min(slope / mus), curvature))


def one_mode_appears(divergence, *, alpha=None, fixed_std=None, d_max=8.0, tol=1e-3):
    r"""Smallest separation at which a one-mode *local* minimum exists (target ½N(∓d, 1)).

    With the profile P(μ) = min_s D(p‖N(μ, s²)) (envelope theorem: P′(μ) = ∂D/∂μ at s*(μ)),
    a local minimum with μ > 0 exists iff P is not increasing on (0, ∞), i.e. iff
    g(d) = min_μ P′(μ)/μ < 0 (μ on 60 points of (0, d + 3], plus the limit P″(0)). g is found
    on a scan in steps of 0.25 and its root refined by Brent's method. TV is not smooth enough
    for the envelope theorem: there P′ is a difference quotient of P on 120 points, which
    resolves dips wider than about (d + 3)/120. For reverse KL with free s this is d ≈ 2.41,
    below the switch of the *global* minimum at d* ≈ 2.80 (a first-order transition, so a
    warm-started optimiser is hysteretic between the two); with s fixed at 1 it coincides
    with the pitchfork d_c ≈ 1.4608.

    Parameters
    ----------
    divergence, alpha, fixed_std, d_max, tol
        As in :func:`switch_separation`.

    Returns
    -------
    float
        The separation, or ``inf`` if no one-mode local minimum up to ``d_max``. Run time:
        about 1–4 s (up to ~10 s when the whole range is scanned without finding one).

    Contract
    --------
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    d_max
        finite real number > 0 and <= 20.
    tol
        finite real number >= 1e-10 and <= 1 (float64 cannot do better than ~1e-15 here).
    Budget (1 GB / 1 core): d_max <= 20 (~10 s), tol >= 1e-10 (<= 60 bisections). Bad or too-large
    input raises ValueError naming the argument, before any allocation.
    """
    div, a, fixed_std, d_max, tol = _switch_args(divergence, alpha, fixed_std, d_max, tol)
    if div in ("forward_kl", "w2"):
        return math.inf
    g = lambda d: _profile_slope_ratio(d, div, a, fixed_std)  # noqa: E731
    grid = np.arange(_SCAN_STEP, d_max + 1e-12, _SCAN_STEP)
    if grid.size == 0 or grid[-1] < d_max:
        grid = np.append(grid, d_max)
    lo = None
    for d in grid:
        if g(float(d)) < 0:
            if lo is None:
                return float(d)
            return float(optimize.brentq(g, lo, float(d), xtol=tol))
        lo = float(d)
    return math.inf


def switch_curve(alphas, *, fixed_std=None, d_max=8.0, tol=1e-3):
    r"""Switch separation d*(α) of Minka's α-divergence for each α (see :func:`switch_separation`).

    The switch separation grows with α and diverges as α → 1 (forward KL never switches);
    ``inf`` where there is no switch up to ``d_max``. Precompute it once for a plot: each α
    costs about 0.3–1 s with ``d_max=8`` (a 9-point curve over α ∈ [−1, 0.9]: about 5 s), and
    proportionally more for a larger ``d_max`` (d*(0.75) ≈ 17.2 needs ``d_max`` ≥ 18).

    Parameters
    ----------
    alphas : array_like
        Finite values of Minka's α.
    fixed_std, d_max, tol
        As in :func:`switch_separation`.

    Returns
    -------
    ndarray
        Same shape as ``alphas``.

    Contract
    --------
    alphas
        real array, finite, entries >= -10 and <= 10, non-empty; at most 64 entries (Minka α values,
        any shape).
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    d_max
        finite real number > 0 and <= 20.
    tol
        finite real number >= 1e-10 and <= 1 (float64 cannot do better than ~1e-15 here).
    Budget (1 GB / 1 core): at most 64 α values (0.3–1 s each). Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    arr = _v.as_float_array(alphas, "alphas", max_size=MAX_SWITCH_ALPHAS)
    if arr.size == 0:
        raise ValueError(f"alphas must contain at least one value of Minka's α; got shape "
                         f"{arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"alphas must be finite real numbers; got {alphas!r}")
    if np.any(np.abs(arr) > MAX_ABS_ALPHA):
        raise ValueError(f"alphas must be in [-{MAX_ABS_ALPHA:g}, {MAX_ABS_ALPHA:g}] (Minka's α); "
                         f"got {arr[np.abs(arr) > MAX_ABS_ALPHA].ravel()[:3].tolist()}")
    _switch_args("alpha", 0.5, fixed_std, d_max, tol)  # validate before the first search
    out = np.array([switch_separation("alpha", alpha=float(a), fixed_std=fixed_std, d_max=d_max,
                                      tol=tol) for a in arr.ravel()])
    return out.reshape(arr.shape)
