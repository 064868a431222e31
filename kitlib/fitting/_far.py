"""Gradients felt by a model that starts far away.

A private module of :mod:`kitlib.fitting`: import its public names from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kitlib import _validate as _v
from kitlib._validate import one_of, positive_scalar
from kitlib.divergences import _HALF_LOG_2PI, sinkhorn_divergence
from kitlib.fitting._common import (
    FAR_DIVERGENCES,
    MAX_DISTANCES,
    _FINE,
    _L_FINE,
    _check_scales,
    _mixture,
)
from kitlib.fitting._objective import _Objective, _valley_width, _w2_scale, _w2_value

__all__ = ["FarGradients", "gradient_far_away"]


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields explicitly
class FarGradients:
    r"""D(p‖N(E_p x + δ, s²)) and |∂D/∂μ| as the model starts further away (δ = distance).

    Attributes
    ----------
    distances : ndarray
        δ, the offset of the model mean from E_p x.
    values : ndarray
        The divergence at each distance.
    gradients : ndarray
        |∂D/∂μ| at each distance.
    divergence : str
    """

    distances: np.ndarray
    values: np.ndarray
    gradients: np.ndarray
    divergence: str


def _tv_gradient_from_crossings(x, diff, mu, s):
    """∂TV/∂μ for q = N(μ, s²): q at the points where ``diff`` = log q − log p turns positive
    (entering A = {q > p}) minus q where it turns negative, rows of ``x`` / ``diff`` per μ."""
    out = np.zeros(len(mu))
    for i in range(len(mu)):
        d = diff[i]
        j = np.flatnonzero(np.sign(d[:-1]) != np.sign(d[1:]))
        xc = x[i, j] - d[j] * (x[i, j + 1] - x[i, j]) / (d[j + 1] - d[j])
        qc = np.exp(-0.5 * ((xc - mu[i]) / s) ** 2 - math.log(s) - _HALF_LOG_2PI)
        out[i] = np.sum(np.where(d[j + 1] > d[j], qc, -qc))
    return out


def gradient_far_away(distances, divergence, *, weights=(1.0,), means=(0.0,), stds=(1.0,),
                      std=1.0, eps=0.5, n_support=200):
    r"""How strongly each divergence pulls a model that starts far from the target.

    Model q = N(μ, s²) with μ = E_p x + δ for each distance δ, target p a 1-D mixture (default
    N(0, 1); pass e.g. ``weights=(0.5, 0.5), means=(-2, 2), stds=(1, 1)`` for two modes).

    ==============  ===================================================================
    ``forward_kl``  KL(p‖q); ∂/∂μ = (μ − E_p x)/s² (exact)
    ``reverse_kl``  KL(q‖p); ∂/∂μ = ∫ q (x − μ)/s² (log q − log p) dx (grid)
    ``js``          JS(p, q) ≤ log 2; ∂/∂μ = ½∫ q (x − μ)/s² log(2q/(p + q)) dx: the overlap
                    of p and q, so it vanishes (≈ e^{−δ²/8} for unit variances) as JS
                    saturates at log 2 — SinKD's "mode-underestimation"
    ``tv``          TV(p, q) = ½∫|p − q| ≤ 1; with A = {q > p}, ∂/∂μ = ∫_A ∂q/∂μ dx
                    = −∫_A ∂q/∂x dx = Σ q(entry points of A) − Σ q(exit points): all of it
                    comes from the crossing points of p and q, located on the grid and refined
                    linearly (for N(0, 1) against N(δ, 1) it is φ(δ/2), 0.352 at δ = 1); like
                    JS it decays with the overlap and is exactly 0 only for disjoint supports
    ``w2``          W2²(p, q) = Var_p + (E_p x − μ)² − 2 s s* + s²; ∂/∂μ = 2(μ − E_p x)
    ``sinkhorn``    debiased S_ε(p, q) (:func:`kitlib.divergences.sinkhorn_divergence`,
                    squared-Euclidean cost) between quantised p and q (``n_support`` points
                    each, ± 8 sd); ∂/∂μ by a central difference of step ½, exact because a
                    translation changes S_ε by a quadratic in the shift: 2(μ − E_p x) as W2
    ==============  ===================================================================

    Parameters
    ----------
    distances : array_like
        Finite offsets δ (any shape; a scalar is allowed).
    divergence : str
        One of :data:`FAR_DIVERGENCES`.
    weights, means, stds : array_like, keyword-only
        Target mixture.
    std : float, keyword-only
        Model width s > 0.
    eps : float, keyword-only
        Sinkhorn ε > 0 (squared-distance units); only used by ``"sinkhorn"``.
    n_support : int, keyword-only
        Points per quantised measure for ``"sinkhorn"`` (≥ 16).

    Returns
    -------
    FarGradients
        Arrays of the shape of ``distances``. ``"sinkhorn"`` imports POT (about 2 s once per
        process) and takes a few tens of milliseconds per distance with ``n_support=32``.

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
    distances
        real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 4,096 entries
        (model offsets, any shape).
    divergence
        one of 'forward_kl', 'reverse_kl', 'js', 'tv', 'w2', 'sinkhorn'.
    std
        finite real number > 0 and <= 1e+100 (>= 1e-100).
    eps
        finite real number > 0.
    n_support
        integer >= 16 and <= 512 (True and fractions refused).
    Budget (1 GB / 1 core): at most 4096 distances; Sinkhorn route within the work limit. Bad or
    too-large input raises ValueError naming the argument, before any allocation.

    References
    ----------
    "Sinkhorn Distance Minimization for Knowledge Distillation" (SinKD). M. Arjovsky, S.
    Chintala, L. Bottou, "Wasserstein Generative Adversarial Networks", 2017. J. Feydy et al.,
    "Interpolating between Optimal Transport and MMD using Sinkhorn Divergences", 2019.
    """
    tgt = _mixture(weights, means, stds)
    divergence = one_of(divergence, "divergence", FAR_DIVERGENCES)
    s = positive_scalar(std, "std")
    _check_scales("std", s, positive=True)
    dist = _v.as_float_array(distances, "distances", max_size=MAX_DISTANCES,
                             what="real numbers (model offsets)")
    if dist.size == 0:
        raise ValueError(f"distances must contain at least one offset; got shape {dist.shape}")
    if not np.isfinite(dist).all():
        raise ValueError(f"distances must be finite; got {distances!r}")
    _check_scales("distances", dist)
    eps = positive_scalar(eps, "eps")
    n_sup = _v.integer(n_support, "n_support", low=16, high=512)
    if divergence == "sinkhorn":
        # three Sinkhorn divergences per distance, each ~0.1–0.3 s (POT's ε-scaling stages and
        # three solves of n_support² costs): about 1e8 operations plus 3·3·300 per cost entry
        _v.check_work("gradient_far_away('sinkhorn')",
                      dist.size * (1e8 + 2.7e3 * n_sup**2),
                      hint="use fewer distances or a smaller n_support")
    mu = tgt.mean + dist.ravel()
    if divergence == "forward_kl":
        values = _Objective(tgt, "forward_kl", None, _FINE)(mu, s)
        grads = (mu - tgt.mean) / s**2
    elif divergence == "w2":
        s_star = _w2_scale(tgt)
        values = _w2_value(tgt, s_star, mu, s)
        grads = 2.0 * (mu - tgt.mean)
    elif divergence == "sinkhorn":
        t_lo, t_hi = tgt.span(8.0)
        xs = np.linspace(t_lo, t_hi, n_sup)
        a = np.exp(tgt.logpdf(xs) - np.max(tgt.logpdf(xs)))
        a /= a.sum()
        zs = np.linspace(-8.0, 8.0, n_sup)
        b = np.exp(-0.5 * zs * zs)
        b /= b.sum()
        half = 0.5

        def sink(m):
            return sinkhorn_divergence(xs, a, m + s * zs, b, eps, p=2)

        values = np.array([sink(m) for m in mu])
        grads = np.array([(sink(m + half) - sink(m - half)) / (2 * half) for m in mu])
    else:
        values = _Objective(tgt, divergence, None, _FINE)(mu, s)
        lo = np.minimum(tgt.span(_L_FINE)[0], mu - _L_FINE * s)
        hi = np.maximum(tgt.span(_L_FINE)[1], mu + _L_FINE * s)
        dx_need = min(tgt.smin / 4.0, s / 4.0, _valley_width(tgt) / _FINE[2])
        n = int(min(max(2048, math.ceil(np.max(hi - lo) / dx_need)), 200_000))
        _v.check_budget(f"gradient_far_away with {mu.size} distances", 8.0 * 8 * mu.size * n,
                        hint="pass fewer distances per call")
        t = np.linspace(0.0, 1.0, n)
        x = lo[:, None] + (hi - lo)[:, None] * t
        dx = (hi - lo) / (n - 1)
        lp = tgt.logpdf(x)
        z = (x - mu[:, None]) / s
        lq = -0.5 * z * z - math.log(s) - _HALF_LOG_2PI
        dq = np.exp(lq) * z / s  # ∂q/∂μ
        if divergence == "reverse_kl":
            grads = np.sum(dq * (lq - lp), axis=1) * dx
        elif divergence == "tv":
            grads = _tv_gradient_from_crossings(x, lq - lp, mu, s)
        else:  # js
            grads = 0.5 * np.sum(dq * (math.log(2.0) + lq - np.logaddexp(lp, lq)), axis=1) * dx
    shape = dist.shape
    return FarGradients(dist.copy(), np.asarray(values, dtype=np.float64).reshape(shape),
                        np.abs(np.asarray(grads, dtype=np.float64)).reshape(shape), divergence)
