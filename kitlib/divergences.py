"""Divergences between distributions: discrete, on a 1-D grid, and Gaussian closed forms.

Convention for the whole kit: arguments are ``(p, q)`` = (target, model). ``kl(p, q)`` is the
forward KL(p‖q) (inclusive, mass-covering); ``kl(q, p)`` is the reverse KL(q‖p) (exclusive,
mode-seeking). Natural logarithms (nats), float64 throughout. f-divergences are
D_f(p‖q) = ∫ q f(p/q).

Which function to choose
------------------------
* Probability vectors (histograms, softmax outputs): :func:`kl`, :func:`js`,
  :func:`alpha_divergence`, :func:`renyi`, :func:`hellinger2`, :func:`tv`, :func:`chi2`,
  :func:`cauchy_schwarz`, :func:`f_divergence`. The probability axis is the last one; leading
  axes broadcast.
* Densities tabulated on a uniform 1-D grid (sliders, optimisers): :func:`log_normal_pdf`,
  :func:`log_mixture_pdf` to build log-densities, then :func:`grid_divergence` (log space,
  vectorised over a batch of candidate models) and :func:`grid_w2sq`.
* Discrete measures on points of R^d: :func:`sinkhorn_divergence` (debiased, full entropic
  objective, solved with POT; POT is imported lazily on the first call, with its torch, JAX,
  TensorFlow and CuPy backends disabled).
* Gaussians: :func:`gaussian_kl`, :func:`gaussian_renyi`, :func:`gaussian_bhattacharyya`,
  :func:`gaussian_hellinger2`, :func:`gaussian_w2sq` (scalars: 1-D with ``S`` a *variance*).
* f-generators (f, f', f*, f-distill weight h): :data:`F_DIVERGENCES` and :func:`minka_alpha`.
* The registry: :data:`DIVERGENCES` (canonical name -> :class:`Divergence`: formula, family,
  generator, discrete function) and :func:`divergence` (the value by name). Every kitlib function
  that takes a divergence name takes one of its keys.

Library traps this module avoids (and the notebooks mention):
``torch.nn.functional.kl_div(log q, p)`` is KL(p‖q) and its default ``reduction='mean'`` is not
KL; ``scipy.spatial.distance.jensenshannon`` returns √JS; ``scipy.stats.entropy`` silently
renormalises; POT's ``sinkhorn2`` returns only ⟨P_ε, M⟩ and ``ot.dist`` is the *squared*
Euclidean distance by default.

Importing this module imports neither matplotlib, ipywidgets, torch nor POT; only
:func:`sinkhorn_divergence` imports POT (never torch).
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import linalg as sla
from scipy.special import logsumexp, rel_entr, wrightomega, xlogy

from kitlib import _validate as _v
from kitlib._validate import positive_scalar, real_scalar

__all__ = [
    # discrete
    "kl",
    "js",
    "alpha_divergence",
    "renyi",
    "hellinger2",
    "tv",
    "chi2",
    "cauchy_schwarz",
    # grid
    "GRID_DIVERGENCES",
    "log_normal_pdf",
    "log_mixture_pdf",
    "kl_integrand",
    "grid_divergence",
    "grid_w2sq",
    "sinkhorn_divergence",
    # f-generators
    "FDivergence",
    "F_DIVERGENCES",
    "minka_alpha",
    "f_divergence",
    # the registry
    "FAMILIES",
    "Divergence",
    "DIVERGENCES",
    "DISCRETE_DIVERGENCES",
    "divergence",
    # Gaussians
    "gaussian_kl",
    "gaussian_renyi",
    "gaussian_bhattacharyya",
    "gaussian_hellinger2",
    "gaussian_w2sq",
]

_LOG2 = math.log(2.0)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_SUM_TOL = _v.PROB_TOL
#: largest number of entries (of a probability vector, a grid, or a broadcast result) accepted:
#: a few float64 temporaries of 2**22 entries (32 MiB each) fit the 1 GB / 1-core budget
MAX_ENTRIES = 2**22
_BYTES_PER_ENTRY = 8 * 8  # float64 × the temporaries of the longest expression

# ---------------------------------------------------------------------------------------------
# validation helpers
# ---------------------------------------------------------------------------------------------


def _finish(value):
    """Return a Python float for 0-d results, else a float64 ndarray."""
    value = np.asarray(value, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def _as_float_array(x, name: str) -> np.ndarray:
    return _v.as_float_array(x, name, max_size=MAX_ENTRIES)


def _prob_vector(x, name: str) -> np.ndarray:
    """Validate probability vectors along the last axis; return them exactly normalised."""
    return _v.probability_vector(x, name, tol=_SUM_TOL, ndim=None, max_size=MAX_ENTRIES)


def _check_entries(name: str, shape: tuple, per_entry: int = 1) -> None:
    """Refuse a broadcast result of ``shape`` (× ``per_entry``) larger than ``MAX_ENTRIES``."""
    n = int(np.prod(shape, dtype=np.float64)) * per_entry
    _v.check_budget(name, _BYTES_PER_ENTRY * n,
                    hint=f"use at most {MAX_ENTRIES:,} entries (evaluate in chunks)")


def _check_pair_shapes(a: np.ndarray, b: np.ndarray, na: str, nb: str) -> None:
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"{na} and {nb} must have the same length along the last axis; got "
                         f"{na}.shape={a.shape} and {nb}.shape={b.shape}")
    try:
        np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError as err:
        raise ValueError(f"the leading axes of {na} and {nb} must broadcast; got "
                         f"{na}.shape={a.shape} and {nb}.shape={b.shape}") from err


def _prob_pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p = _prob_vector(p, "p")
    q = _prob_vector(q, "q")
    _check_pair_shapes(p, q, "p", "q")
    _check_entries("p and q", np.broadcast_shapes(p.shape, q.shape))
    return p, q


def _logs(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        return np.log(p), np.log(q)


# ---------------------------------------------------------------------------------------------
# cores on exactly normalised log-probability vectors (last axis); shared by discrete and grid
# ---------------------------------------------------------------------------------------------


def _lse(a: np.ndarray) -> np.ndarray:
    """log Σ exp(a) along the last axis; all -inf gives -inf, any +inf gives +inf."""
    m = np.max(a, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return np.log(np.sum(np.exp(a - m), axis=-1)) + m[..., 0]


def _kl_log(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    """Σ P (lp − lq), with 0·log 0 = 0 and +inf where P > 0 = Q."""
    with np.errstate(invalid="ignore", over="ignore"):
        terms = np.exp(lp) * (lp - lq)
    p_zero = lp == -np.inf
    terms = np.where(p_zero, 0.0, terms)
    terms = np.where((lq == -np.inf) & ~p_zero, np.inf, terms)
    return np.maximum(np.sum(terms, axis=-1), 0.0)


def _js_log(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    lm = np.logaddexp(lp, lq) - _LOG2
    total = 0.0
    for lx in (lp, lq):
        with np.errstate(invalid="ignore"):
            terms = np.exp(lx) * (lx - lm)
        total = total + np.sum(np.where(lx == -np.inf, 0.0, terms), axis=-1)
    return np.clip(0.5 * total, 0.0, _LOG2)


def _alpha_log(lp: np.ndarray, lq: np.ndarray, alpha: float) -> np.ndarray:
    """Minka's D_α(p‖q) without cancellation at any α.

    With weights w and the other density o, L = log(o/w), and b ≤ ½ (b = α with w = q, or
    b = 1 − α with w = p, using D_α(p‖q) = D_{1−α}(q‖p)):
    D = Σ_{w>0} w·(−expm1(bL)/b) / (1 − b), whose b → 0 limit is Σ w log(w/o) = KL(w‖o).
    expm1 keeps every term exact as b → 0, so no branch switch is needed near α = 0 or 1.
    """
    if alpha <= 0.5:
        lw, lo, b = lq, lp, alpha
    else:
        lw, lo, b = lp, lq, 1.0 - alpha
    with np.errstate(all="ignore"):
        w = np.exp(lw)
        ell = lo - lw
        if b == 0.0:
            terms = w * (-ell)
        else:
            x = b * ell
            # −expm1(b·L)/b = −L·expm1(x)/x: exact when x underflows (b = 5e-324 gave 0)
            ratio = np.where(x == 0.0, 1.0, np.expm1(x) / np.where(x == 0.0, 1.0, x))
            small = np.where(np.isfinite(ell), -w * ell * ratio, -w * np.expm1(x) / b)
            big = (w - np.exp(lw + x)) / b  # x > 1: no cancellation, no overflow of expm1
            terms = np.where(x > 1.0, big, small)
    w_zero = lw == -np.inf
    if b <= 0.0:  # w > 0 = o makes the divergence infinite (also when w underflows)
        terms = np.where((lo == -np.inf) & ~w_zero, np.inf, terms)
    terms = np.where(w_zero, 0.0, terms)
    return np.maximum(np.sum(terms, axis=-1) / (1.0 - b), 0.0)


def _renyi_log(lp: np.ndarray, lq: np.ndarray, order: float) -> np.ndarray:
    """Rényi D_α = log(Σ p^α q^{1−α})/(α − 1), accurate near α = 1 and at any large α.

    Near α = 1 (S = Σ p^α q^{1−α} close to 1) it is log1p(S − 1)/(α − 1) with S − 1 taken from
    the cancellation-free Minka D_α. Where S is far from 1 (S < ½, S > 2) or S − 1 overflows —
    for large orders S ~ (max p/q)^α passes 1e308 at α ≈ 3 200 for max p/q = 1.25 — log S is
    taken directly by log-sum-exp of α log p + (1 − α) log q, which cannot overflow; terms with
    p = 0 contribute nothing (α > 0), so 0·∞ never appears.
    """
    if order == 1.0:
        return _kl_log(lp, lq)
    d_alpha = _alpha_log(lp, lq, order)
    with np.errstate(all="ignore"):
        s_minus_1 = np.maximum(-order * (1.0 - order) * d_alpha, -1.0)  # Σ p^α q^{1−α} − 1
        out = np.log1p(s_minus_1) / (order - 1.0)
        far = ~(np.abs(s_minus_1) <= 0.5) | ~np.isfinite(out)
        if np.any(far):
            terms = np.where(lp == -np.inf, -np.inf, order * lp + (1.0 - order) * lq)
            direct = _lse(terms) / (order - 1.0)
            out = np.where(far, direct, out)
    return np.maximum(out, 0.0)


def _hellinger_log(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    diff = np.exp(0.5 * lp) - np.exp(0.5 * lq)
    return np.clip(0.5 * np.sum(diff * diff, axis=-1), 0.0, 1.0)


def _tv_log(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    return np.clip(0.5 * np.sum(np.abs(np.exp(lp) - np.exp(lq)), axis=-1), 0.0, 1.0)


def _chi2_log(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    """Σ (P − Q)²/Q = Σ exp(lq + 2 log|expm1(lp − lq)|), +inf where P > 0 = Q."""
    with np.errstate(all="ignore"):
        d = lp - lq
        log_abs_expm1 = np.log(-np.expm1(-np.abs(d))) + np.maximum(d, 0.0)
        terms = np.exp(lq + 2.0 * log_abs_expm1)
    p_zero = lp == -np.inf
    terms = np.where(p_zero, np.exp(lq), terms)
    terms = np.where((lq == -np.inf) & ~p_zero, np.inf, terms)
    return np.maximum(np.sum(terms, axis=-1), 0.0)


def _cs_log(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    out = _lse(2.0 * lp) + _lse(2.0 * lq) - 2.0 * _lse(lp + lq)
    return np.maximum(out, 0.0)


# ---------------------------------------------------------------------------------------------
# 1. discrete divergences
# ---------------------------------------------------------------------------------------------


def kl(p, q):
    r"""Kullback–Leibler divergence KL(p‖q) = Σ p log(p/q) between probability vectors.

    With p the target and q the model this is the *forward*, inclusive, mass-covering KL;
    ``kl(q, p)`` is the reverse, mode-seeking KL(q‖p). Built on :func:`scipy.special.rel_entr`,
    so 0·log 0 = 0 and a term with p > 0 = q is +inf.

    Parameters
    ----------
    p, q : array_like, shape (..., n)
        Probability vectors along the last axis (non-negative, summing to 1 within 1e-8);
        leading axes broadcast.

    Returns
    -------
    float or ndarray
        Shape: the broadcast leading shape (a float for 1-D inputs). Values in [0, +inf].

    Raises
    ------
    ValueError
        If an entry is negative or not finite, a row does not sum to 1, or the shapes disagree.

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    S. Kullback and R. A. Leibler, "On Information and Sufficiency", 1951.

    Examples
    --------
    >>> round(kl([0.5, 0.5], [0.25, 0.75]), 6) == round(0.5 * np.log(2) + 0.5 * np.log(2 / 3), 6)
    True
    """
    p, q = _prob_pair(p, q)
    return _finish(np.maximum(np.sum(rel_entr(p, q), axis=-1), 0.0))


def js(p, q):
    r"""Jensen–Shannon divergence in nats: ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2.

    Symmetric, bounded by log 2 (reached for disjoint supports). Note
    ``scipy.spatial.distance.jensenshannon`` returns √JS, and f-GAN's "JS" is 2·JS.

    Parameters
    ----------
    p, q : array_like, shape (..., n)
        Probability vectors along the last axis; leading axes broadcast.

    Returns
    -------
    float or ndarray
        Values in [0, log 2].

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    J. Lin, "Divergence measures based on the Shannon entropy", 1991.
    """
    p, q = _prob_pair(p, q)
    return _finish(_js_log(*_logs(p, q)))


def alpha_divergence(p, q, alpha):
    r"""Minka's α-divergence D_α(p‖q) = (1 − Σ p^α q^{1−α}) / (α(1 − α)).

    α → 1 gives KL(p‖q) (mass-covering, zero-avoiding for α ≥ 1), α → 0 gives KL(q‖p)
    (mode-seeking, zero-forcing for α ≤ 0); α = ½ gives 4·H², α = 2 gives ½ Pearson χ²(p‖q),
    α = −1 gives ½ χ²(q‖p). The same α as f-DPO's regulariser with p = π_ref and q = π.

    The value is computed as Σ_{w>0} w·(−expm1(b·log(o/w))/b)/(1 − b) with (w, o, b) = (q, p, α)
    for α ≤ ½ and (p, q, 1 − α) otherwise (using D_α(p‖q) = D_{1−α}(q‖p)). Every term is exact as
    b → 0, so the function is continuous and exact at and near α = 0 and α = 1 (no branch switch,
    no cancellation in 1 − Σ p^α q^{1−α}). Zeros: for α ≤ 0 a term with q > 0 = p gives +inf;
    for α ≥ 1 a term with p > 0 = q gives +inf.

    Parameters
    ----------
    p, q : array_like, shape (..., n)
        Probability vectors along the last axis; leading axes broadcast.
    alpha : float
        Any finite real number.

    Returns
    -------
    float or ndarray
        Values in [0, +inf].

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    alpha
        finite real number.
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005.
    S. Amari, "Differential-Geometrical Methods in Statistics", 1985.

    Examples
    --------
    >>> p, q = [0.2, 0.8], [0.5, 0.5]
    >>> bool(np.isclose(alpha_divergence(p, q, 0.5), 4 * hellinger2(p, q)))
    True
    """
    p, q = _prob_pair(p, q)
    a = real_scalar(alpha, "alpha")
    return _finish(_alpha_log(*_logs(p, q), a))


def renyi(p, q, order):
    r"""Rényi divergence of order α > 0: D_α(p‖q) = log(Σ p^α q^{1−α}) / (α − 1).

    ``order = 1`` gives KL(p‖q); order ½ gives −2 log(1 − H²); order 2 gives log(1 + χ²(p‖q)).
    For α > 0 it is a monotone function of Minka's D_α, so both have the same optimum. It is
    computed as log1p(−α(1 − α)·D_α)/(α − 1) from the cancellation-free Minka value, so it is
    continuous and exact near α = 1.

    Parameters
    ----------
    p, q : array_like, shape (..., n)
        Probability vectors along the last axis; leading axes broadcast.
    order : float
        Finite and > 0.

    Returns
    -------
    float or ndarray
        Values in [0, +inf].

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    order
        finite real number > 0.
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    A. Rényi, "On measures of entropy and information", 1961.
    T. van Erven and P. Harremoës, "Rényi divergence and Kullback-Leibler divergence", 2014.
    """
    p, q = _prob_pair(p, q)
    a = positive_scalar(order, "order")
    return _finish(_renyi_log(*_logs(p, q), a))


def hellinger2(p, q):
    r"""Squared Hellinger distance H² = 1 − Σ √(p q) = ½ Σ (√p − √q)², in [0, 1].

    Computed as ½ Σ (√p − √q)² (no cancellation when p ≈ q). Symmetric.

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    A. L. Gibbs and F. E. Su, "On choosing and bounding probability metrics", 2002.
    """
    p, q = _prob_pair(p, q)
    return _finish(_hellinger_log(*_logs(p, q)))


def tv(p, q):
    r"""Total variation distance TV = ½ Σ |p − q|, in [0, 1]. Symmetric.

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    A. L. Gibbs and F. E. Su, "On choosing and bounding probability metrics", 2002.
    """
    p, q = _prob_pair(p, q)
    return _finish(np.clip(0.5 * np.sum(np.abs(p - q), axis=-1), 0.0, 1.0))


def chi2(p, q):
    r"""Pearson χ²(p‖q) = Σ (p − q)²/q; +inf where q = 0 < p, and 0·(…) = 0 where p = q = 0.

    ``chi2(q, p)`` is Neyman's χ² (χ²(q‖p)). Equals 2·D_α at α = 2.

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    K. Pearson, "On the criterion that a given system of deviations ...", 1900.
    A. L. Gibbs and F. E. Su, "On choosing and bounding probability metrics", 2002.
    """
    p, q = _prob_pair(p, q)
    return _finish(_chi2_log(*_logs(p, q)))


def cauchy_schwarz(p, q):
    r"""Cauchy–Schwarz divergence D_CS = −2 log Σ pq + log Σ p² + log Σ q².

    Symmetric, scale-invariant, ≥ 0 by the Cauchy–Schwarz inequality, zero iff p = q, and +inf
    for disjoint supports. Not an f-divergence (no data-processing inequality in general).

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    R. Jenssen, J. C. Principe, D. Erdogmus, T. Eltoft, "The Cauchy–Schwarz divergence and Parzen
    windowing: Connections to graph theory and Mercer kernels", 2006.
    "Cauchy–Schwarz Divergence Information Bottleneck for Regression" (seed paper).
    """
    p, q = _prob_pair(p, q)
    return _finish(_cs_log(*_logs(p, q)))


# ---------------------------------------------------------------------------------------------
# 2. densities on a uniform 1-D grid
# ---------------------------------------------------------------------------------------------


def log_normal_pdf(x, mean, std):
    r"""Log-density of N(mean, std²): −½((x − mean)/std)² − log std − ½ log 2π.

    Parameters
    ----------
    x, mean, std : array_like
        Broadcast together. ``std`` is a standard deviation (not a variance) and must be > 0;
        ``mean`` must be finite.

    Returns
    -------
    float or ndarray
        The broadcast shape. Finite everywhere (no underflow: this is the log).

    Contract
    --------
    x
        real array, no NaN; at most 4,194,304 entries (any shape, broadcast; ±inf allowed
        (log-density -inf), NaN refused).
    mean
        real array, finite (broadcast with x).
    std
        real array, finite, entries > 0 (broadcast with x; a standard deviation).
    Budget (1 GB / 1 core): x up to 4,194,304 entries. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    x = _as_float_array(x, "x")
    mean = _as_float_array(mean, "mean")
    std = _as_float_array(std, "std")
    try:
        shape = np.broadcast_shapes(x.shape, mean.shape, std.shape)
    except ValueError as err:
        raise ValueError(f"x, mean and std must broadcast together; got shapes {x.shape}, "
                         f"{mean.shape} and {std.shape}") from err
    _check_entries("log_normal_pdf(x, mean, std)", shape)
    if np.isnan(x).any():
        raise ValueError("x must not contain NaN")
    if not np.isfinite(mean).all():
        bad = float(mean.ravel()[~np.isfinite(mean.ravel())][0])
        raise ValueError(f"mean must be finite; got {bad!r}")
    if not (np.isfinite(std).all() and (std > 0).all()):
        bad = std.ravel()[~(np.isfinite(std.ravel()) & (std.ravel() > 0))][0]
        raise ValueError(f"std must be finite and > 0 (a standard deviation, not a variance); "
                         f"got {float(bad)!r}")
    z = (x - mean) / std
    return _finish(-0.5 * z * z - np.log(std) - _HALF_LOG_2PI)


def log_mixture_pdf(x, weights, means, stds):
    r"""Log-density of the Gaussian mixture Σ_k w_k N(means_k, stds_k²), by log-sum-exp.

    Parameters
    ----------
    x : array_like
        Points, any shape.
    weights : array_like, shape (K,)
        Non-negative, summing to 1 (within 1e-8). Zero weights are allowed.
    means, stds : array_like, shape (K,)
        Component means and standard deviations (> 0).

    Returns
    -------
    float or ndarray
        Same shape as ``x``.

    Contract
    --------
    x
        real array, no NaN; at most 4,194,304 entries (any shape, broadcast; ±inf allowed
        (log-density -inf), NaN refused).
    weights
        probability vector: finite, >= 0, summing to 1 within 1e-08.
    means
        1-D real array, finite, non-empty.
    stds
        1-D real array, finite, entries > 0, non-empty.
    Budget (1 GB / 1 core): x.size × number of components up to 4,194,304. Bad or too-large input
    raises ValueError naming the argument, before any allocation.
    """
    x = _as_float_array(x, "x")
    w = np.atleast_1d(_prob_vector(np.atleast_1d(_as_float_array(weights, "weights")), "weights"))
    means = np.atleast_1d(_as_float_array(means, "means"))
    stds = np.atleast_1d(_as_float_array(stds, "stds"))
    if not (w.ndim == means.ndim == stds.ndim == 1 and w.shape == means.shape == stds.shape):
        raise ValueError(f"weights, means and stds must be 1-D of the same length; got shapes "
                         f"{w.shape}, {means.shape} and {stds.shape}")
    if not np.isfinite(means).all():
        raise ValueError(f"means must be finite; got {float(means[~np.isfinite(means)][0])!r}")
    if not (np.isfinite(stds).all() and (stds > 0).all()):
        raise ValueError(f"stds must be finite and > 0; got min {float(stds.min())!r}")
    if np.isnan(x).any():
        raise ValueError("x must not contain NaN")
    _check_entries("log_mixture_pdf: x with these components", x.shape, per_entry=w.size)
    with np.errstate(divide="ignore"):
        log_w = np.log(w)
    z = (x[..., None] - means) / stds
    comps = log_w - 0.5 * z * z - np.log(stds) - _HALF_LOG_2PI
    return _finish(_lse(comps))


def _log_density(x, name: str) -> np.ndarray:
    arr = _as_float_array(x, name)
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN")
    if np.isposinf(arr).any():
        raise ValueError(f"{name} must not contain +inf (a log-density is < +inf; use -inf for "
                         f"zero density)")
    return arr


def kl_integrand(log_p, log_q):
    r"""Elementwise forward-KL integrand p·(log p − log q) with p = exp(log_p).

    0 where p = 0 (``log_p = -inf``), +inf where p > 0 and ``log_q = -inf``. Summing it times
    dx gives KL(p‖q) for normalised densities; plot it to see *where* the divergence comes from.

    Parameters
    ----------
    log_p, log_q : array_like
        Log-densities, broadcast together; no NaN, no +inf.

    Returns
    -------
    float or ndarray

    Contract
    --------
    log_p
        real array, no NaN, non-empty; at most 4,194,304 entries (log-densities; -inf means zero
        density; NaN and +inf refused).
    log_q
        real array, no NaN, non-empty; at most 4,194,304 entries (log-densities; -inf means zero
        density; NaN and +inf refused).
    Budget (1 GB / 1 core): up to 4,194,304 grid points. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    lp = _log_density(log_p, "log_p")
    lq = _log_density(log_q, "log_q")
    try:
        shape = np.broadcast_shapes(lp.shape, lq.shape)
    except ValueError as err:
        raise ValueError(f"log_p and log_q must broadcast; got shapes {lp.shape} and "
                         f"{lq.shape}") from err
    _check_entries("log_p and log_q", shape)
    with np.errstate(invalid="ignore", over="ignore"):
        out = np.exp(lp) * (lp - lq)
    p_zero = lp == -np.inf
    out = np.where(p_zero, 0.0, out)
    out = np.where((lq == -np.inf) & ~p_zero, np.inf, out)
    return _finish(out)


_GRID = {
    "forward_kl": lambda lp, lq, a: _kl_log(lp, lq),
    "reverse_kl": lambda lp, lq, a: _kl_log(lq, lp),
    "alpha": lambda lp, lq, a: _alpha_log(lp, lq, a),
    "renyi": lambda lp, lq, a: _renyi_log(lp, lq, a),
    "js": lambda lp, lq, a: _js_log(lp, lq),
    "hellinger": lambda lp, lq, a: _hellinger_log(lp, lq),
    "tv": lambda lp, lq, a: _tv_log(lp, lq),
    "chi2": lambda lp, lq, a: _chi2_log(lp, lq),
    "neyman_chi2": lambda lp, lq, a: _chi2_log(lq, lp),
    "jeffreys": lambda lp, lq, a: _kl_log(lp, lq) + _kl_log(lq, lp),
    "cauchy_schwarz": lambda lp, lq, a: _cs_log(lp, lq),
}


def grid_divergence(log_p, log_q, dx, divergence, *, alpha=None):
    r"""Divergence between two densities tabulated (as log-densities) on a uniform 1-D grid.

    Integrals are Riemann sums dx·Σ. Each density is first normalised by its grid mass
    dx·Σ exp(log_p), computed by log-sum-exp, so the result is exactly the divergence between the
    two discretised distributions: it is ≥ 0, zero iff they agree, equals the discrete functions
    of this module on P_i = p_i dx / mass, and does not depend on ``dx`` otherwise. For densities
    that are resolved by the grid and contained in it, this is the continuous divergence to
    quadrature accuracy (spectral for smooth, fast-decaying densities). A model centred far off
    the grid still gives a finite, sensible value (its log-density is renormalised in log space)
    instead of a zero-mass artefact an optimiser could exploit.

    Conventions (p = target, q = model):

    ================  ==========================================================
    ``forward_kl``    KL(p‖q) = ∫ p log(p/q)
    ``reverse_kl``    KL(q‖p)
    ``alpha``         Minka D_α(p‖q) = (1 − ∫p^α q^{1−α})/(α(1−α)), any finite α
    ``renyi``         Rényi of order α > 0: log(∫p^α q^{1−α})/(α − 1)
    ``js``            Jensen–Shannon in nats (≤ log 2)
    ``hellinger``     H² = 1 − ∫√(pq)
    ``tv``            ½∫|p − q|
    ``chi2``          Pearson χ²(p‖q) = ∫(p − q)²/q
    ``neyman_chi2``   χ²(q‖p) = ∫(p − q)²/p
    ``jeffreys``      KL(p‖q) + KL(q‖p)
    ``cauchy_schwarz`` D_CS = −2 log∫pq + log∫p² + log∫q²
    ================  ==========================================================

    .. warning:: A truncated grid cannot see divergent tails. For α < 0 or α > 1 (and Pearson /
       Neyman χ², Rényi of order > 1) ∫p^α q^{1−α} can diverge through the tails while the grid
       returns a finite, wrong value. With a unit-variance p and q = N(·, s²) it is finite iff
       α + (1 − α)/s² > 0 (α < 0 needs s² ≤ 1 + 1/|α|; Pearson needs s² > ½). The caller must
       check this analytically (return +inf outside) and size the grid to contain both densities.

    Parameters
    ----------
    log_p, log_q : array_like, shape (..., n)
        Log-densities on the same grid (last axis); leading axes broadcast, so ``log_q`` of shape
        (k, n) evaluates k candidate models in one call. No NaN or +inf; -inf means zero density;
        each row needs at least one finite entry.
    dx : float
        Grid spacing, > 0.
    divergence : str
        One of :data:`GRID_DIVERGENCES`.
    alpha : float, optional
        Required for ``"alpha"`` (finite) and ``"renyi"`` (> 0); must be None otherwise.

    Returns
    -------
    float or ndarray
        The broadcast leading shape (a float for 1-D inputs).

    Contract
    --------
    log_p
        real array, no NaN, non-empty; at most 4,194,304 entries (log-densities; -inf means zero
        density; NaN and +inf refused).
    log_q
        real array, no NaN, non-empty; at most 4,194,304 entries (log-densities; -inf means zero
        density; NaN and +inf refused).
    dx
        finite real number > 0.
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'renyi', 'js', 'hellinger', 'tv', 'chi2',
        'neyman_chi2', 'jeffreys', 'cauchy_schwarz'.
    alpha
        finite real number; or None (required for 'alpha' and 'renyi' (> 0 there)).
    Budget (1 GB / 1 core): up to 4,194,304 grid points in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005.
    """
    divergence = _v.one_of(divergence, "divergence", GRID_DIVERGENCES)
    if divergence in ("alpha", "renyi"):
        if alpha is None:
            raise ValueError(f"alpha is required for divergence={divergence!r}; got None")
        a = real_scalar(alpha, "alpha")
        if divergence == "renyi" and a <= 0:
            raise ValueError(f"alpha must be > 0 for 'renyi' (the Rényi order); got {a!r}")
    else:
        if alpha is not None:
            raise ValueError(f"alpha is only used by 'alpha' and 'renyi'; got alpha={alpha!r} "
                             f"with divergence={divergence!r}")
        a = None
    dx = real_scalar(dx, "dx", low=0.0, low_open=True)
    lp = _log_density(log_p, "log_p")
    lq = _log_density(log_q, "log_q")
    if lp.ndim == 0 or lq.ndim == 0:
        raise ValueError(f"log_p and log_q must be at least 1-D (grid along the last axis); got "
                         f"shapes {lp.shape} and {lq.shape}")
    _check_pair_shapes(lp, lq, "log_p", "log_q")
    _check_entries("log_p and log_q", np.broadcast_shapes(lp.shape, lq.shape))
    lzp = _lse(lp)
    lzq = _lse(lq)
    for name, lz in (("log_p", lzp), ("log_q", lzq)):
        if np.any(lz == -np.inf):
            raise ValueError(f"{name} has no mass on the grid (a row is entirely -inf)")
    out = _GRID[divergence](lp - lzp[..., None], lq - lzq[..., None], a)
    return _finish(out)


def grid_w2sq(x, p, q):
    r"""Squared 2-Wasserstein distance between two 1-D densities tabulated on a grid.

    W2² = ∫₀¹ (F_p⁻¹(u) − F_q⁻¹(u))² du, using the quantile functions. Each density is taken as
    piecewise constant on the cells around the grid points (cell edges at midpoints), normalised
    on the grid; both quantile functions are then piecewise linear in u and the integral is
    evaluated exactly (two-point Gauss–Legendre on every interval between merged breakpoints).
    A shift by whole grid cells is reproduced exactly; smooth densities to O(dx²).

    Parameters
    ----------
    x : array_like, shape (n,)
        Strictly increasing grid (n ≥ 2; need not be uniform).
    p, q : array_like, shape (n,)
        Densities (not log-densities) on ``x``: finite, non-negative, positive mass. They are
        normalised on the grid.

    Returns
    -------
    float

    Contract
    --------
    x
        1-D real array, finite, non-empty; at most 4,194,304 entries (strictly increasing, >= 2
        points).
    p
        1-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (densities on x,
        positive mass).
    q
        1-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (densities on x,
        positive mass).
    Budget (1 GB / 1 core): up to 4,194,304 grid points. Bad or too-large input raises ValueError
    naming the argument, before any allocation.

    References
    ----------
    C. Villani, "Optimal Transport: Old and New", 2009 (the 1-D quantile formula).
    """
    x = _as_float_array(x, "x")
    if x.ndim != 1 or x.size < 2 or not np.isfinite(x).all() or np.any(np.diff(x) <= 0):
        raise ValueError(f"x must be a 1-D, finite, strictly increasing grid with at least 2 "
                         f"points; got shape {x.shape}")
    cells = np.empty(x.size + 1)
    cells[1:-1] = 0.5 * (x[1:] + x[:-1])
    cells[0] = x[0] - 0.5 * (x[1] - x[0])
    cells[-1] = x[-1] + 0.5 * (x[-1] - x[-2])
    width = np.diff(cells)

    def masses(d, name):
        d = _as_float_array(d, name)
        if d.shape != x.shape:
            raise ValueError(f"{name} must have the same shape as x {x.shape}; got {d.shape}")
        if not np.isfinite(d).all() or float(d.min()) < 0:
            raise ValueError(f"{name} must be finite and non-negative; got min {float(d.min())!r}")
        m = d * width
        total = m.sum()
        if not total > 0:
            raise ValueError(f"{name} must have positive mass on the grid; got total 0")
        cdf = np.concatenate(([0.0], np.cumsum(m) / np.cumsum(m)[-1]))
        return m / total, cdf

    mp, fp = masses(p, "p")
    mq, fq = masses(q, "q")
    u = np.unique(np.concatenate((fp, fq)))
    lo, hi = u[:-1], u[1:]
    mid, half = 0.5 * (lo + hi), 0.5 * (hi - lo)
    off = half / math.sqrt(3.0)

    def quantile(cdf, m, v):
        k = np.clip(np.searchsorted(cdf, v, side="right") - 1, 0, x.size - 1)
        return cells[k] + (v - cdf[k]) / m[k] * width[k]

    total = 0.0
    for v in (mid - off, mid + off):
        diff = quantile(fp, mp, v) - quantile(fq, mq, v)
        total += np.sum(half * diff * diff)
    return float(total)


def _support(z, name: str) -> np.ndarray:
    z = _as_float_array(z, name)
    if z.ndim == 1:
        z = z[:, None]
    if z.ndim != 2 or z.shape[0] == 0:
        raise ValueError(f"{name} must be support points of shape (n,) or (n, d) with n >= 1; "
                         f"got shape {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError(f"{name} must be finite")
    return z


_SINKHORN_TOL = 1e-10  # marginal error asked of the solvers at the final ε
_WARN_TOL = 1e-4  # L1 marginal error above which the result is reported as not converged
_STAGE_TOL = 1e-3  # intermediate ε stages only warm-start the next one
_STAGE_MAX_ITER = 20
_FINAL_MAX_ITER = 2000  # POT sweeps at the final ε (~15 µs each for 40 points)
_POLISH_TOL = 1e-8  # ... above which the semi-dual is finished by L-BFGS
_SYM_MAX_ITER = 2000
_EPS_RATIO = 0.5
_POT_BACKENDS = ("PYTORCH", "JAX", "CUPY", "TENSORFLOW")


def _import_ot():
    """Import POT lazily, with its torch/JAX/CuPy/TensorFlow backends switched off.

    POT imports every array library it finds at import time unless the environment variables
    ``POT_BACKEND_DISABLE_<NAME>`` are set (``ot/backend.py``); they are set here only if the
    user has not set them, so a user who already imported POT keeps their backends. POT itself
    still takes about 0.5 s to import once (more if scikit-learn is installed: POT imports it).
    """
    for name in _POT_BACKENDS:
        os.environ.setdefault(f"POT_BACKEND_DISABLE_{name}", "1")
    import ot

    return ot


def _sinkhorn_pot(ot, a, b, cost, eps, tol, max_iter, f=None, g=None):
    """One warm-started call of POT's log-stabilised Sinkhorn (``ot.bregman.sinkhorn_stabilized``).

    Potentials are in the ε·KL(P‖a⊗b) convention, P = (a⊗b)·exp((f ⊕ g − C)/ε); POT's are
    α = f + ε log a, β = g + ε log b (P = exp((α ⊕ β − C)/ε), the large part absorbed into α, β
    whenever the scalings exceed 1e3, Schmitzer's stabilisation). POT's last update is the row
    one, so f is the exact softmin of g and ⟨a, f⟩ + ⟨b, g⟩ is the *semi-dual* value, a lower
    bound on OT_ε(a, b) whose error is second order in the column-marginal error. Returns (f, g,
    value, L1 error of the second marginal).
    """
    ea, eb = eps * np.log(a), eps * np.log(b)
    warm = None if f is None else (f + ea, g + eb)
    plan, log = ot.bregman.sinkhorn_stabilized(a, b, cost, eps, numItermax=max_iter,
                                               stopThr=tol, warmstart=warm, log=True,
                                               warn=False, print_period=10)
    f, g = log["alpha"] - ea, log["beta"] - eb
    err = float(np.abs(plan.sum(axis=0) - b).sum())
    return f, g, float(a @ f + b @ g), err


def _polish_pot(ot, a, b, cost, eps, f):
    """Finish a stalled Sinkhorn by L-BFGS on POT's semi-dual (``ot.smooth``), from f.

    POT's ``ot.smooth.smooth_ot_semi_dual(..., reg_type="kl")`` maximises the same semi-dual
    (Blondel et al. 2018; entropy convention, α = f + ε log a) with scipy's L-BFGS-B but always
    from α = 0; here POT's objective and gradient ``ot.smooth.semi_dual_obj_grad`` are handed to
    the same scipy optimiser warm-started at the Sinkhorn potentials. Quasi-Newton steps move the
    nearly decoupled blocks on which Sinkhorn crawls. Returns (value in the KL convention, L1
    error of the first marginal, which is the gradient).
    """
    from scipy.optimize import minimize

    regul = ot.smooth.NegEntropy(gamma=eps)

    def neg(alpha):
        value, grad = ot.smooth.semi_dual_obj_grad(alpha, a, b, cost, regul)
        return -value, -grad

    ea = eps * np.log(a)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        res = minimize(neg, f + ea, jac=True, method="L-BFGS-B",
                       options={"maxiter": 500, "maxcor": 30, "ftol": 0.0, "gtol": 1e-15})
    shift = eps * (a @ np.log(a) + b @ np.log(b))  # entropy convention → ε·KL(P‖a⊗b)
    return float(-res.fun - shift), float(np.abs(res.jac).sum())


def _entropic_ot(a: np.ndarray, b: np.ndarray, cost: np.ndarray, eps: float,
                 ot=None) -> tuple[float, float]:
    """OT_ε(a, b) = min_P ⟨P, C⟩ + ε KL(P‖a⊗b) with POT: returns (value, marginal error).

    ε-scaling: ε is halved from the cost's range down to ε; each stage runs a few POT
    ``sinkhorn_stabilized`` sweeps warm-started from the previous stage, the last one up to
    :data:`_FINAL_MAX_ITER` sweeps or a marginal error of 1e-10. Sinkhorn converges only
    sublinearly when the plan splits into nearly independent, exactly balanced blocks (uniform or
    equal block weights at small ε); if it stalls above 1e-8, the semi-dual is finished by
    :func:`_polish_pot`. The value is the semi-dual one, a lower bound exact to second order.
    """
    ot = _import_ot() if ot is None else ot
    keep_a, keep_b = a > 0, b > 0
    a, b, cost = a[keep_a], b[keep_b], cost[np.ix_(keep_a, keep_b)]
    # OT_ε(a, b; C − c) = OT_ε(a, b; C) − c for a constant c (couplings have mass 1): solve
    # with the smallest cost at 0 so exp(−C/ε) cannot underflow everywhere at once
    c0 = float(cost.min())
    cost = cost - c0
    e = max(float(cost.max() - cost.min()), eps)
    f = g = None
    while True:
        final = e <= eps
        f, g, value, err = _sinkhorn_pot(ot, a, b, cost, e,
                                         _SINKHORN_TOL if final else _STAGE_TOL,
                                         _FINAL_MAX_ITER if final else _STAGE_MAX_ITER, f, g)
        if final:
            break
        e = max(_EPS_RATIO * e, eps)
    if err > _POLISH_TOL and np.isfinite(f).all():
        polished, p_err = _polish_pot(ot, a, b, cost, eps, f)
        if polished >= value:  # both are lower bounds of the same maximum
            value, err = polished, p_err
    return value + c0, err


#: the averaged symmetric iteration and the cross Sinkhorn typically do ~200 sweeps (cap 2e3)
#: over their cost matrices, ~10 flops (an exp and a log-sum-exp) per entry and sweep; with the
#: default limit of 2e9 operations this admits ~570 points per measure (~6 s on one core)
_SWEEPS_TYPICAL = 200
_FLOPS_PER_ENTRY = 10


def _sinkhorn_resources(xs: np.ndarray, ys: np.ndarray, eps: float, p: float) -> None:
    """Refuse supports whose cost matrices or Sinkhorn sweeps pass the 1 GB / 1-core budget.

    Counted: ~200 sweeps over the three cost matrices, plus the ε-scaling stages of the cross
    term (log2 of cost range / ε, up to 20 sweeps each; ε = 1e-300 means ~1000 stages).
    """
    (n, d), m = xs.shape, ys.shape[0]
    both = np.concatenate([xs.min(axis=0), ys.min(axis=0), xs.max(axis=0), ys.max(axis=0)])
    span = float(np.sum((both.reshape(4, d).max(axis=0) - both.reshape(4, d).min(axis=0)) ** 2))
    cost_range = span ** (0.5 * p)
    stages = max(1.0, math.log2(max(cost_range, eps) / eps) + 1.0)
    entries = n * m + n * n + m * m
    hint = ("subsample the supports (S_ε is meant for up to a few hundred points), or use "
            "grid_w2sq for 1-D densities on a grid")
    _v.check_budget(f"sinkhorn_divergence with {n} and {m} points", 8.0 * (entries + 6 * n * m)
                    + 8.0 * d * max(n, m) ** 2, hint=hint)
    _v.check_work(f"sinkhorn_divergence with {n} and {m} points",
                  float(_SWEEPS_TYPICAL * _FLOPS_PER_ENTRY) * entries
                  + float(_STAGE_MAX_ITER * _FLOPS_PER_ENTRY) * n * m * stages,
                  hint=hint + "; a larger eps needs fewer ε-scaling stages")


def _sym_softmin(k, la, f, eps):
    """T(f)_i = −ε log Σ_j a_j exp(f_j/ε − C_ij/ε), with k = −C/ε and la = log a."""
    return -eps * logsumexp(k + (la + f / eps)[None, :], axis=1)


def _entropic_ot_sym(a: np.ndarray, cost: np.ndarray, eps: float) -> tuple[float, float]:
    """Self-transport OT_ε(a, a) by the symmetric Sinkhorn iteration: returns (value, error).

    For a symmetric cost the optimal potentials are equal, f = g, and solve f = T(f) with
    T(f)_i = −ε log Σ_j a_j exp((f_j − C_ij)/ε). The averaged iteration f ← ½(f + T(f))
    (Feydy et al. 2019, §3) converges fast where alternating Sinkhorn oscillates; POT has no
    such solver, so it is written here with ``scipy.special.logsumexp``. The value is the
    semi-dual ⟨a, f⟩ + ⟨a, T(f)⟩ (error quadratic in the marginal error) and the error is the
    L1 marginal violation of the plan (a⊗a)·exp((f ⊕ T(f) − C)/ε).
    """
    keep = a > 0
    a, cost = a[keep], cost[np.ix_(keep, keep)]
    la = np.log(a)
    k = -cost / eps
    f = np.zeros(a.size)
    err = math.inf
    for _ in range(_SYM_MAX_ITER):
        t = _sym_softmin(k, la, f, eps)
        # the plan (a⊗a)·exp((t ⊕ f − C)/ε) has rows a; its columns are a·exp((f − T(t))/ε)
        with np.errstate(over="ignore"):
            err = float(np.sum(a * np.abs(np.expm1((f - _sym_softmin(k, la, t, eps)) / eps))))
        if err < _SINKHORN_TOL:
            break
        f = 0.5 * (f + t)
    t = _sym_softmin(k, la, f, eps)
    return float(a @ f + a @ t), err


def sinkhorn_divergence(x, a, y, b, eps, *, p=2):
    r"""Debiased Sinkhorn divergence S_ε = OT_ε(a, b) − ½ OT_ε(a, a) − ½ OT_ε(b, b), with POT.

    OT_ε is the **full** entropic objective, here in the convention
    OT_ε(a, b) = min_P ⟨P, C⟩ + ε KL(P‖a⊗b) over couplings P of a and b, with cost
    C_ij = |x_i − y_j|^p (Euclidean norm to the power p; ``ot.dist`` would be the squared
    distance). The same convention is used for the three terms; the other usual one,
    ⟨P, C⟩ + ε Σ P log P, differs by ε(⟨a, log a⟩ + ⟨b, log b⟩), which cancels in S_ε. POT's
    ``sinkhorn2`` (every method) and ``ot.bregman.empirical_sinkhorn_divergence`` (built on it)
    return only ⟨P_ε, C⟩ — not the objective the debiasing needs — so the value is taken from
    the dual potentials POT returns.

    S_ε ≥ 0, S_ε(a, a) = 0 (returned exactly, without solving), symmetric, and S_ε → OT_0 = W_p^p
    (the unregularised cost; W2² for ``p=2``) as ε → 0, with error O(ε log 1/ε). For the squared
    cost, S_ε of a measure and its translate by τ is exactly |τ|² for every ε.

    Solvers. Cross term OT_ε(a, b): POT's log-stabilised Sinkhorn
    (``ot.bregman.sinkhorn_stabilized``) with ε-scaling (ε halved from the cost's range, each
    stage warm-started), to a marginal error of 1e-10; where Sinkhorn stalls (it converges only
    sublinearly when the plan splits into nearly independent, exactly balanced blocks) the
    semi-dual is finished by L-BFGS on POT's ``ot.smooth.semi_dual_obj_grad``. Self terms
    OT_ε(a, a): the symmetric fixed point f = T(f) by the averaged iteration f ← ½(f + T(f))
    of Feydy et al. (not in POT; NumPy/SciPy ``logsumexp``). Values are semi-dual ones, exact to
    second order in the marginal error. Typical cost: a few ms to a few tens of ms for 32–64
    points; meant for small measures (up to a few hundred points). The first call imports POT
    (about 2 s; torch is not imported).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Support of the first measure.
    a : array_like, shape (n,)
        Its weights (probability vector).
    y : array_like, shape (m,) or (m, d)
        Support of the second measure (same d).
    b : array_like, shape (m,)
        Its weights.
    eps : float
        Entropic regularisation ε > 0, in the units of the cost.
    p : float, keyword-only
        Cost exponent, 0 < p ≤ 2 (then exp(−C/ε) is a positive-definite kernel and S_ε ≥ 0).
        ``p=2`` gives the squared Euclidean cost, ``p=1`` the Euclidean one.

    Returns
    -------
    float
        Warns (RuntimeWarning, naming ε) if a solver did not converge (L1 marginal error
        above 1e-4).

    Contract
    --------
    x
        real array, finite, non-empty (shape (n,) or (n, d)).
    a
        probability vector: finite, >= 0, summing to 1 within 1e-08.
    y
        real array, finite, non-empty (shape (m,) or (m, d)).
    b
        probability vector: finite, >= 0, summing to 1 within 1e-08.
    eps
        finite real number > 0.
    p
        finite real number > 0 and <= 2.
    Budget (1 GB / 1 core): up to 2000 points per measure (three n×m cost matrices and ~1e3 sweeps).
    Bad or too-large input raises ValueError naming the argument, before any allocation.

    References
    ----------
    M. Cuturi, "Sinkhorn Distances: Lightspeed Computation of Optimal Transport", 2013.
    A. Genevay, G. Peyré, M. Cuturi, "Learning Generative Models with Sinkhorn Divergences", 2018.
    J. Feydy et al., "Interpolating between Optimal Transport and MMD using Sinkhorn
    Divergences", 2019.
    G. Peyré and M. Cuturi, "Computational Optimal Transport", 2019.
    "Sinkhorn Distance Minimization for Knowledge Distillation" (SinKD, seed paper).
    """
    xs = _support(x, "x")
    ys = _support(y, "y")
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(f"x and y must have the same dimension d; got x.shape={xs.shape} and "
                         f"y.shape={ys.shape}")
    a = _prob_vector(a, "a")
    b = _prob_vector(b, "b")
    if a.shape != (xs.shape[0],):
        raise ValueError(f"a must have shape ({xs.shape[0]},) to match x; got {a.shape}")
    if b.shape != (ys.shape[0],):
        raise ValueError(f"b must have shape ({ys.shape[0]},) to match y; got {b.shape}")
    eps = real_scalar(eps, "eps", allowed="a finite real number > 0")
    if eps <= 0:
        raise ValueError(f"eps must be a finite real number > 0; got {eps!r}")
    p = real_scalar(p, "p", allowed="a real number in (0, 2]")
    if not 0 < p <= 2:
        raise ValueError(f"p must be in (0, 2] (cost |x - y|^p); got {p!r}")

    def cost(u, v):
        sq = np.sum((u[:, None, :] - v[None, :, :]) ** 2, axis=-1)
        return sq if p == 2 else sq ** (0.5 * p)

    if xs.shape == ys.shape and np.array_equal(xs, ys) and np.array_equal(a, b):
        return 0.0  # S_ε(a, a) = 0 exactly; no solver round-off
    _sinkhorn_resources(xs, ys, eps, p)
    shift_sq = 0.0
    if p == 2:
        # |x − y|² = |x̃ − ỹ|² + 2⟨x̃ − ỹ, Δ⟩ + |Δ|² with x̃ = x − E_a x, ỹ = y − E_b y and
        # Δ = E_a x − E_b y; the middle term integrates to 0 under every coupling of a and b, so
        # OT_ε(a, b) = OT_ε(centred) + |Δ|² exactly and the self terms do not move. Solving the
        # centred problem keeps exp(−C/ε) representable for any translation (a 1e4 shift made
        # C ~ 1e8 and the solvers return NaN).
        delta = a @ xs - b @ ys
        shift_sq = float(delta @ delta)
        xs = xs - a @ xs
        ys = ys - b @ ys
    ot_ab, err_ab = _entropic_ot(a, b, cost(xs, ys), eps, _import_ot())
    ot_aa, err_aa = _entropic_ot_sym(a, cost(xs, xs), eps)
    ot_bb, err_bb = _entropic_ot_sym(b, cost(ys, ys), eps)
    err = max(err_ab, err_aa, err_bb)
    if not err < _WARN_TOL:
        warnings.warn(f"sinkhorn_divergence: Sinkhorn did not converge for eps={eps:g} (L1 "
                      f"marginal error {err:.1e}); the value is the best semi-dual bound found. "
                      f"Increase eps or rescale the supports",
                      _v.ConvergenceWarning, stacklevel=2)
    value = float(max(ot_ab - 0.5 * (ot_aa + ot_bb), 0.0)) + shift_sq
    if not math.isfinite(value):
        raise ValueError(f"sinkhorn_divergence: the solvers failed for eps={eps:g} (non-finite "
                         f"potentials); increase eps or rescale the supports")
    return value


# ---------------------------------------------------------------------------------------------
# 3. f-generators
# ---------------------------------------------------------------------------------------------


def _elementwise(func):
    def wrapped(t):
        t = np.asarray(t, dtype=np.float64)
        with np.errstate(all="ignore"):
            out = func(t)
        return _finish(out)

    wrapped.__name__ = getattr(func, "__name__", "f")
    wrapped.__doc__ = func.__doc__
    return wrapped


def _domain_t(func):
    """f on t ≥ 0, extended by +inf for t < 0 (the convex extension used by f*)."""

    def g(t):
        return np.where(t < 0, np.inf, func(np.maximum(t, 0.0)))

    return _elementwise(g)


def _domain_r(func):
    def g(r):
        return np.where(r < 0, np.nan, func(np.maximum(r, 0.0)))

    return _elementwise(g)


@dataclass(frozen=True)
class FDivergence:
    r"""An f-divergence D_f(p‖q) = ∫ q f(p/q) and what the kit needs to know about its generator.

    Attributes
    ----------
    name : str
        Registry key.
    label : str
        LaTeX-ish label for plots.
    f : callable
        Generator f(t), t = p/q ≥ 0, convex with f(1) = 0 (+inf for t < 0).
    f_prime : callable
        f′(t) for t > 0 (a subgradient where f is not differentiable).
    conjugate : callable
        Convex conjugate f*(u) = sup_{t≥0} (t u − f(t)); +inf outside its domain (see
        ``conjugate_domain``). Fenchel–Young: f(t) + f*(u) ≥ t u, with equality at u = f′(t).
    h : callable
        f-distill weight h(r) = r² f″(r). h increasing in r up-weights samples where p > q;
        mass-covering in the strict sense (f′(∞) = ∫^∞ h(r)/r² dr = +inf) needs h to grow at
        least like r (forward KL, Pearson χ²), which JS and Hellinger do not. For TV, f″ is a
        point mass at r = 1 that this function cannot represent: it returns 0 for r ≠ 1.
    zero_forcing : bool
        f(0) = +inf: D_f = +inf whenever q > 0 = p, so a fitted q must vanish where p does.
    mass_covering : bool
        lim f(t)/t = +inf: D_f = +inf whenever p > 0 = q, so q must cover p's support.
    conjugate_domain : str
        Where f* is finite.
    slope_at_infinity : float
        f′(∞) = lim_{t→∞} f(t)/t: a term with q = 0 < p contributes p·f′(∞).
    alpha : float or None
        Minka's α for members of that family.

    References
    ----------
    I. Csiszár, "Information-type measures of difference of probability distributions and indirect
    observations", 1967. S. M. Ali and S. D. Silvey, "A general class of coefficients of
    divergence of one distribution from another", 1966. S. Nowozin, B. Cseke, R. Tomioka, "f-GAN:
    Training Generative Neural Samplers using Variational Divergence Minimization", 2016.
    "One-step Diffusion Models with f-Divergence Distribution Matching" (f-distill).
    """

    name: str
    label: str
    f: Callable
    f_prime: Callable
    conjugate: Callable
    h: Callable
    zero_forcing: bool
    mass_covering: bool
    conjugate_domain: str
    slope_at_infinity: float
    alpha: float | None = None


def _js_f(t):
    # ½[t log t − (t+1) log((t+1)/2)], rearranged so huge t does not give inf − inf
    return 0.5 * (xlogy(t, 2.0 * t / (t + 1.0)) + _LOG2 - np.log1p(t))


def _jeffreys_conjugate(u):
    # sup_t t u − (t − 1) log t: with w = 1/t*, w + log w = 1 − u, i.e. w = WrightOmega(1 − u)
    # (= LambertW(e^{1−u}) without overflow); f*(u) = w + 1/w + u − 2.
    w = np.real(wrightomega(1.0 - u))
    return w + 1.0 / w + u - 2.0


def _build_registry() -> dict[str, FDivergence]:
    inf = np.inf
    items = [
        FDivergence(
            name="forward_kl", label=r"$\mathrm{KL}(p\|q)$",
            f=_domain_t(lambda t: xlogy(t, t)),
            f_prime=_domain_r(lambda t: np.log(t) + 1.0),
            conjugate=_elementwise(lambda u: np.exp(u - 1.0)),
            h=_domain_r(lambda r: r),
            zero_forcing=False, mass_covering=True,
            conjugate_domain="all real u", slope_at_infinity=inf,
        ),
        FDivergence(
            name="reverse_kl", label=r"$\mathrm{KL}(q\|p)$",
            f=_domain_t(lambda t: -np.log(t)),
            f_prime=_domain_r(lambda t: -1.0 / t),
            conjugate=_elementwise(lambda u: np.where(u < 0, -1.0 - np.log(-u), inf)),
            h=_domain_r(lambda r: np.ones_like(r)),
            zero_forcing=True, mass_covering=False,
            conjugate_domain="u < 0", slope_at_infinity=0.0,
        ),
        FDivergence(
            name="chi2", label=r"$\chi^2(p\|q)$",
            f=_domain_t(lambda t: (t - 1.0) ** 2),
            f_prime=_domain_r(lambda t: 2.0 * (t - 1.0)),
            conjugate=_elementwise(lambda u: np.where(u >= -2.0, 0.25 * u * u + u, -1.0)),
            h=_domain_r(lambda r: 2.0 * r * r),
            zero_forcing=False, mass_covering=True,
            conjugate_domain="all real u (u²/4 + u for u ≥ −2, −1 below: t ≥ 0)",
            slope_at_infinity=inf,
        ),
        FDivergence(
            name="neyman_chi2", label=r"$\chi^2_N(p\|q) = \chi^2(q\|p)$",
            f=_domain_t(lambda t: (1.0 - t) ** 2 / t),
            f_prime=_domain_r(lambda t: 1.0 - 1.0 / (t * t)),
            conjugate=_elementwise(lambda u: np.where(u <= 1.0, 2.0 - 2.0 * np.sqrt(1.0 - u), inf)),
            h=_domain_r(lambda r: 2.0 / r),
            zero_forcing=True, mass_covering=False,
            conjugate_domain="u ≤ 1", slope_at_infinity=1.0,
        ),
        FDivergence(
            name="hellinger", label=r"$H^2(p, q)$",
            f=_domain_t(lambda t: 0.5 * (np.sqrt(t) - 1.0) ** 2),
            f_prime=_domain_r(lambda t: 0.5 * (1.0 - 1.0 / np.sqrt(t))),
            conjugate=_elementwise(lambda u: np.where(u < 0.5, u / (1.0 - 2.0 * u), inf)),
            h=_domain_r(lambda r: 0.25 * np.sqrt(r)),
            zero_forcing=False, mass_covering=False,
            conjugate_domain="u < 1/2", slope_at_infinity=0.5,
        ),
        FDivergence(
            name="js", label=r"$\mathrm{JS}(p, q)$",
            f=_domain_t(_js_f),
            f_prime=_domain_r(lambda t: 0.5 * np.log(2.0 * t / (t + 1.0))),
            # f*(u) = ½ g*(2u) for g = 2f (f-GAN's generator): −½ log(2 − e^{2u}), 2u < log 2
            conjugate=_elementwise(
                lambda u: np.where(2.0 * u < _LOG2,
                                   -0.5 * np.log(2.0 - np.exp(np.minimum(2.0 * u, _LOG2))), inf)),
            h=_domain_r(lambda r: 0.5 * r / (r + 1.0)),
            zero_forcing=False, mass_covering=False,
            conjugate_domain="u < (log 2)/2", slope_at_infinity=0.5 * _LOG2,
        ),
        FDivergence(
            name="tv", label=r"$\mathrm{TV}(p, q)$",
            f=_domain_t(lambda t: 0.5 * np.abs(t - 1.0)),
            f_prime=_domain_r(lambda t: 0.5 * np.sign(t - 1.0)),
            conjugate=_elementwise(lambda u: np.where(u <= 0.5, np.maximum(u, -0.5), inf)),
            h=_domain_r(lambda r: np.zeros_like(r)),  # plus a point mass at r = 1
            zero_forcing=False, mass_covering=False,
            conjugate_domain="u ≤ 1/2 (u for |u| ≤ 1/2, −1/2 below: t ≥ 0)",
            slope_at_infinity=0.5,
        ),
        FDivergence(
            name="jeffreys", label=r"$J(p, q) = \mathrm{KL}(p\|q) + \mathrm{KL}(q\|p)$",
            f=_domain_t(lambda t: (t - 1.0) * np.log(t)),
            f_prime=_domain_r(lambda t: np.log(t) + 1.0 - 1.0 / t),
            conjugate=_elementwise(_jeffreys_conjugate),
            h=_domain_r(lambda r: r + 1.0),
            zero_forcing=True, mass_covering=True,
            conjugate_domain="all real u", slope_at_infinity=inf,
        ),
    ]
    return {item.name: item for item in items}


def _expm1_over(c: float, x):
    """expm1(c·x)/c, with its limit x at c = 0."""
    return x if c == 0.0 else np.expm1(c * x) / c


def minka_alpha(alpha) -> FDivergence:
    r"""The f-generator of Minka's α-divergence: f(t) = (t^α − 1 − α(t − 1))/(α(α − 1)).

    D_f(p‖q) = ∫ q f(p/q) = :func:`alpha_divergence` (p, q, alpha) for normalised p, q. The limits
    are continuous: α = 1 gives f = t log t − t + 1 (forward KL), α = 0 gives f = t − 1 − log t
    (reverse KL); the linear terms make f ≥ 0 and do not change D_f. f″(t) = t^{α−2}, so the
    f-distill weight is h(r) = r^α. Zero-forcing iff α ≤ 0, mass-covering iff α ≥ 1.

    Convex conjugate, with z = 1 + (α − 1)u: f*(u) = (z^{α/(α−1)} − 1)/α for z > 0 (the limits
    e^u − 1 at α = 1 and −log(1 − u) at α = 0); for z ≤ 0 it is −1/α when α > 1 or α < 0 (α < 0
    only at z = 0) and +inf otherwise. Domain: all u for α ≥ 1; u ≤ 1/(1 − α) for α < 0;
    u < 1/(1 − α) for 0 ≤ α < 1.

    Parameters
    ----------
    alpha : float
        Any finite real number.

    Contract
    --------
    alpha
        finite real number.
    Bad or too-large input raises ValueError naming the argument, before any allocation.

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005.
    "Beyond Reverse KL: Generalizing Direct Preference Optimization with Diverse Divergence
    Constraints" (f-DPO).
    """
    a = real_scalar(alpha, "alpha")

    def f(t):
        lt = np.log(t)
        if a <= 0.5:
            out = (_expm1_over(a, lt) - (t - 1.0)) / (a - 1.0)
        else:
            out = (t * _expm1_over(a - 1.0, lt) - (t - 1.0)) / a
        return np.where(t == 0, 1.0 / a if a > 0 else np.inf, out)

    def f_prime(t):
        return _expm1_over(a - 1.0, np.log(t))

    def conjugate(u):
        z = 1.0 + (a - 1.0) * u
        ell = u if a == 1.0 else np.log1p(np.maximum((a - 1.0) * u, -1.0)) / (a - 1.0)
        out = _expm1_over(a, ell)
        outside = -1.0 / a if a > 1.0 else np.inf
        return np.where(z < 0, outside, out)

    if a < 0:
        domain = f"u <= {1.0 / (1.0 - a):g}"
    elif a < 1:
        domain = f"u < {1.0 / (1.0 - a):g}"
    else:
        domain = "all real u"
    return FDivergence(
        name=f"minka_alpha({a:g})", label=rf"$D_{{\alpha={a:g}}}(p\|q)$",
        f=_domain_t(f), f_prime=_domain_r(f_prime), conjugate=_elementwise(conjugate),
        h=_domain_r(lambda r: np.power(r, a)),
        zero_forcing=a <= 0, mass_covering=a >= 1,
        conjugate_domain=domain,
        slope_at_infinity=np.inf if a >= 1 else 1.0 / (1.0 - a),
        alpha=a,
    )


#: The f-divergence registry (t = p/q, D_f(p‖q) = ∫ q f(p/q)); add Minka's family with
#: :func:`minka_alpha`. Keys: forward_kl, reverse_kl, chi2 (Pearson), neyman_chi2, hellinger
#: (½ convention, = H²), js (Jensen–Shannon in nats; f-GAN's "JS" is twice it), tv, jeffreys.
F_DIVERGENCES: dict[str, FDivergence] = _build_registry()


def f_divergence(p, q, fdiv):
    r"""Discrete f-divergence D_f(p‖q) = Σ q f(p/q) from a generator.

    Zero conventions (the perspective of f): p = q = 0 contributes 0; q > 0 = p contributes
    q·f(0) (+inf for zero-forcing generators); q = 0 < p contributes p·f′(∞), f′(∞) = lim f(t)/t.
    A ratio p/q that overflows float64 (q < p·1e-308) is treated like q = 0. For the named
    divergences prefer the direct functions (:func:`kl`, :func:`chi2`, ...), which are exact there.

    Parameters
    ----------
    p, q : array_like, shape (..., n)
        Probability vectors along the last axis; leading axes broadcast.
    fdiv : str or FDivergence
        A key of :data:`F_DIVERGENCES` or an :class:`FDivergence` (e.g. ``minka_alpha(0.5)``).

    Returns
    -------
    float or ndarray

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    fdiv
        one of 'forward_kl', 'reverse_kl', 'chi2', 'neyman_chi2', 'hellinger', 'js', 'tv',
        'jeffreys' (or an FDivergence).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    if isinstance(fdiv, str):
        if fdiv not in F_DIVERGENCES:
            raise ValueError(f"fdiv must be one of {', '.join(map(repr, F_DIVERGENCES))} or an "
                             f"FDivergence; got {fdiv!r}")
        fdiv = F_DIVERGENCES[fdiv]
    elif not isinstance(fdiv, FDivergence):
        raise ValueError(f"fdiv must be a name in F_DIVERGENCES or an FDivergence; got {fdiv!r}")
    p, q = _prob_pair(p, q)
    p, q = np.broadcast_arrays(p, q)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = p / np.where(q > 0, q, 1.0)
        # q = 0, or a ratio beyond float64 (q < p·1e-308): the perspective limit p·f'(∞)
        limit = (q == 0) | np.isinf(t)
        t = np.where(limit, 1.0, t)
        inside = q * np.asarray(fdiv.f(t), dtype=np.float64)
        outside = np.where(p > 0, p * fdiv.slope_at_infinity, 0.0)
        # f(t) itself can overflow for a finite huge ratio (Neyman: (t − 1)²/t at t ~ 1e215);
        # with a finite slope, q·f(t) = p·f(t)/t → p·f'(∞) there
        if math.isfinite(fdiv.slope_at_infinity):
            limit = limit | (~np.isfinite(inside) & (t > 1.0))
    terms = np.where(limit, outside, inside)
    return _finish(np.maximum(np.sum(terms, axis=-1), 0.0))


# ---------------------------------------------------------------------------------------------
# 4. the divergence registry: one canonical name, one formula, everywhere in the kit
# ---------------------------------------------------------------------------------------------

#: The families of :class:`Divergence` (what a fitted model does when it cannot match p).
FAMILIES: tuple[str, ...] = ("mass-covering", "mode-seeking", "neither")


@dataclass(frozen=True)
class Divergence:
    r"""One divergence of the kit: its canonical name, formula, family and implementations.

    Convention (the whole kit): p is the target (data, teacher, π_ref), q the model (student,
    policy); D(p, q) is read "from the target to the model".

    Attributes
    ----------
    name : str
        Canonical name, the key in :data:`DIVERGENCES` and the string every kitlib function
        takes (``divergence="reverse_kl"``).
    label : str
        Short plain-text label for legends and readouts.
    formula : str
        The definition (LaTeX), with p = target, q = model.
    family : str
        One of :data:`FAMILIES`. *Mass-covering*: the divergence is +inf (or grows without
        bound) where q = 0 < p, so a model that cannot match p spreads over all of p's mass;
        *mode-seeking*: +inf where p = 0 < q (zero-forcing), so the model shrinks onto a region
        where p has mass, typically one mode; *neither*: bounded, or finite on disjoint
        supports. For ``"alpha"`` and ``"renyi"`` the family depends on the order: see
        :meth:`family_at` (``family`` is then ``"neither"``, the value at α = ½).
    reason : str
        Why, in one sentence.
    generator : FDivergence, callable or None
        The f-generator (D_f(p‖q) = Σ q f(p/q)) from :data:`F_DIVERGENCES`; for ``"alpha"`` the
        callable :func:`minka_alpha` (α ↦ generator); None for divergences that are not
        f-divergences (Rényi, Cauchy–Schwarz, W2, Sinkhorn).
    discrete : callable or None
        The function of this module giving its value between probability vectors,
        ``discrete(p, q)`` (or ``discrete(p, q, alpha)`` when ``needs_alpha``); None for the
        optimal-transport divergences, which need the points' positions (see
        :func:`grid_w2sq`, :func:`gaussian_w2sq`, :func:`sinkhorn_divergence`).
    needs_alpha : bool
        Whether the divergence takes an order α (Minka's α; Rényi's order > 0).

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005. I. Csiszár, "Information-type
    measures of difference of probability distributions and indirect observations", 1967.
    """

    name: str
    label: str
    formula: str
    family: str
    reason: str
    generator: FDivergence | Callable | None
    discrete: Callable | None
    needs_alpha: bool = False

    def family_at(self, *, alpha=None) -> str:
        r"""The family at order ``alpha`` (``"alpha"``: mode-seeking for α ≤ 0, mass-covering
        for α ≥ 1, neither in between; ``"renyi"``: mass-covering for order ≥ 1, neither below);
        the fixed :attr:`family` for the others (``alpha`` must then be None)."""
        if not self.needs_alpha:
            if alpha is not None:
                raise ValueError(f"alpha is only used by 'alpha' and 'renyi'; got alpha={alpha!r} "
                                 f"for {self.name!r}")
            return self.family
        if self.name == "renyi":
            a = positive_scalar(alpha, "alpha")
            return "mass-covering" if a >= 1.0 else "neither"
        a = real_scalar(alpha, "alpha")
        if a <= 0.0:
            return "mode-seeking"
        return "mass-covering" if a >= 1.0 else "neither"


def _reverse_kl(p, q):
    """KL(q‖p)."""
    return kl(q, p)


def _neyman_chi2(p, q):
    """χ²(q‖p)."""
    return chi2(q, p)


def _jeffreys(p, q):
    """KL(p‖q) + KL(q‖p)."""
    return kl(p, q) + kl(q, p)


def _build_divergences() -> dict[str, Divergence]:
    f = F_DIVERGENCES
    covers = "+inf where q = 0 < p, so q must cover all of p's support (zero-avoiding)"
    forces = "+inf where p = 0 < q (zero-forcing), so q must vanish wherever p does"
    items = [
        Divergence("forward_kl", "forward KL(p‖q)",
                   r"\mathrm{KL}(p\|q) = \sum_i p_i \log(p_i/q_i)", "mass-covering", covers,
                   f["forward_kl"], kl),
        Divergence("reverse_kl", "reverse KL(q‖p)",
                   r"\mathrm{KL}(q\|p) = \sum_i q_i \log(q_i/p_i)", "mode-seeking", forces,
                   f["reverse_kl"], _reverse_kl),
        Divergence("alpha", "Minka α",
                   r"D_\alpha(p\|q) = \frac{1 - \sum_i p_i^\alpha q_i^{1-\alpha}}"
                   r"{\alpha(1-\alpha)}", "neither",
                   "depends on α: zero-forcing (mode-seeking) for α ≤ 0, zero-avoiding "
                   "(mass-covering) for α ≥ 1, finite on support mismatches in between "
                   "(α → 1: forward KL, α → 0: reverse KL); see family_at",
                   minka_alpha, alpha_divergence, needs_alpha=True),
        Divergence("renyi", "Rényi",
                   r"D^R_\alpha(p\|q) = \frac{1}{\alpha - 1}\log\sum_i p_i^\alpha q_i^{1-\alpha},"
                   r"\ \alpha > 0", "neither",
                   "depends on the order: +inf where q = 0 < p for order ≥ 1 (mass-covering), "
                   "finite on support mismatches for 0 < order < 1; a monotone function of "
                   "Minka's D_α (same optimum); see family_at",
                   None, renyi, needs_alpha=True),
        Divergence("js", "Jensen–Shannon",
                   r"\mathrm{JS}(p, q) = \tfrac12\mathrm{KL}(p\|m) + \tfrac12\mathrm{KL}(q\|m),"
                   r"\ m = \tfrac12(p + q)", "neither",
                   "bounded by log 2 (nats), reached for disjoint supports: no infinite "
                   "penalty either way, and no gradient once the supports separate",
                   f["js"], js),
        Divergence("hellinger", "Hellinger²",
                   r"H^2(p, q) = \tfrac12\sum_i(\sqrt{p_i} - \sqrt{q_i})^2 = 1 - \sum_i\sqrt{p_i q_i}",
                   "neither", "bounded by 1 and symmetric (= 1 − Bhattacharyya coefficient); "
                   "the α = ½ member of Minka's family (D_½ = 4H²), between the two KLs",
                   f["hellinger"], hellinger2),
        Divergence("tv", "total variation",
                   r"\mathrm{TV}(p, q) = \tfrac12\sum_i|p_i - q_i|", "neither",
                   "bounded by 1 and symmetric: constant once the supports are disjoint",
                   f["tv"], tv),
        Divergence("chi2", "Pearson χ²(p‖q)",
                   r"\chi^2(p\|q) = \sum_i (p_i - q_i)^2/q_i", "mass-covering",
                   covers + " (2·Minka D_α at α = 2: even more covering than forward KL)",
                   f["chi2"], chi2),
        Divergence("neyman_chi2", "Neyman χ²(q‖p)",
                   r"\chi^2_N(p\|q) = \chi^2(q\|p) = \sum_i (p_i - q_i)^2/p_i", "mode-seeking",
                   forces + " (2·Minka D_α at α = −1)", f["neyman_chi2"], _neyman_chi2),
        Divergence("jeffreys", "Jeffreys",
                   r"J(p, q) = \mathrm{KL}(p\|q) + \mathrm{KL}(q\|p)", "mass-covering",
                   "+inf both where q = 0 < p and where p = 0 < q: q must cover p's support "
                   "exactly; the forward-KL term makes missing mass infinitely costly",
                   f["jeffreys"], _jeffreys),
        Divergence("cauchy_schwarz", "Cauchy–Schwarz",
                   r"D_{CS}(p, q) = -2\log\sum_i p_i q_i + \log\sum_i p_i^2 + \log\sum_i q_i^2",
                   "neither", "symmetric and scale-invariant; +inf only for disjoint supports, "
                   "not where one side alone vanishes; not an f-divergence",
                   None, cauchy_schwarz),
        Divergence("w2", "Wasserstein W2²",
                   r"W_2^2(p, q) = \inf_{\pi \in \Pi(p, q)} \mathbb{E}_\pi\|x - y\|^2",
                   "neither", "moves mass by distance instead of comparing densities point by "
                   "point: finite (and with a gradient) for disjoint supports",
                   None, None),
        Divergence("sinkhorn", "Sinkhorn",
                   r"S_\varepsilon(p, q) = \mathrm{OT}_\varepsilon(p, q) - \tfrac12\mathrm{OT}_"
                   r"\varepsilon(p, p) - \tfrac12\mathrm{OT}_\varepsilon(q, q)", "neither",
                   "debiased entropic optimal transport: like W2, finite with a gradient for "
                   "disjoint supports",
                   None, None),
    ]
    for item in items:
        assert item.family in FAMILIES, item
    return {item.name: item for item in items}


#: Every divergence of the kit by canonical name (see :class:`Divergence`): forward_kl,
#: reverse_kl, alpha, renyi, js (the Jensen–Shannon divergence in nats, never 2·JS), hellinger
#: (H² with the ½ convention), tv, chi2 (Pearson), neyman_chi2, jeffreys, cauchy_schwarz, w2,
#: sinkhorn. Every function of kitlib that takes a divergence name takes one of these keys.
DIVERGENCES: dict[str, Divergence] = _build_divergences()

#: Names accepted by :func:`grid_divergence`: every registry divergence with a value between
#: probability vectors (``discrete`` not None), evaluated on the grid's normalised masses.
GRID_DIVERGENCES: tuple[str, ...] = tuple(n for n, d in DIVERGENCES.items() if d.discrete)
assert set(GRID_DIVERGENCES) == set(_GRID)

#: Names accepted by :func:`divergence` (the same set as :data:`GRID_DIVERGENCES`).
DISCRETE_DIVERGENCES: tuple[str, ...] = GRID_DIVERGENCES


def divergence(p, q, name, *, alpha=None):
    r"""The divergence ``name`` of :data:`DIVERGENCES` between probability vectors p and q.

    Dispatches to this module's functions (no formula of its own): ``forward_kl`` is
    ``kl(p, q)``, ``reverse_kl`` ``kl(q, p)``, ``alpha`` ``alpha_divergence(p, q, alpha)``,
    ``renyi`` ``renyi(p, q, alpha)`` (alpha = the order), ``js`` :func:`js` (nats),
    ``hellinger`` :func:`hellinger2`, ``tv``, ``chi2`` ``chi2(p, q)``, ``neyman_chi2``
    ``chi2(q, p)``, ``jeffreys`` ``kl(p, q) + kl(q, p)``, ``cauchy_schwarz``.

    Parameters
    ----------
    p, q : array_like, shape (..., n)
        Target and model probability vectors along the last axis; leading axes broadcast.
    name : str
        One of :data:`DISCRETE_DIVERGENCES` (``w2`` and ``sinkhorn`` need positions: use
        :func:`grid_w2sq` or :func:`sinkhorn_divergence`).
    alpha : float, optional
        Required for ``"alpha"`` (finite) and ``"renyi"`` (the order, > 0); None otherwise.

    Returns
    -------
    float or ndarray
        The broadcast leading shape (a float for 1-D inputs).

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    q
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (stacks of vectors along leading axes are accepted).
    name
        one of 'forward_kl', 'reverse_kl', 'alpha', 'renyi', 'js', 'hellinger', 'tv', 'chi2',
        'neyman_chi2', 'jeffreys', 'cauchy_schwarz'.
    alpha
        finite real number; or None (required for 'alpha' and 'renyi' (> 0 there)).
    Budget (1 GB / 1 core): p, q up to 4,194,304 entries in all. Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    Examples
    --------
    >>> bool(np.isclose(divergence([0.2, 0.8], [0.5, 0.5], "reverse_kl"),
    ...                 kl([0.5, 0.5], [0.2, 0.8])))
    True
    """
    name = _v.one_of(name, "name", DISCRETE_DIVERGENCES)
    entry = DIVERGENCES[name]
    if entry.needs_alpha:
        if alpha is None:
            raise ValueError(f"alpha is required for name={name!r}; got None")
        return entry.discrete(p, q, alpha)
    if alpha is not None:
        raise ValueError(f"alpha is only used by 'alpha' and 'renyi'; got alpha={alpha!r} with "
                         f"name={name!r}")
    return entry.discrete(p, q)


# ---------------------------------------------------------------------------------------------
# 5. Gaussian closed forms
# ---------------------------------------------------------------------------------------------


_MAX_GAUSS_DIM = 2000


def _cholesky(s: np.ndarray, name: str, scalar: bool) -> np.ndarray:
    try:
        return np.linalg.cholesky(s)
    except np.linalg.LinAlgError as err:
        if scalar:
            raise ValueError(f"{name} must be a variance > 0; got {s.item()!r}") from err
        eig = np.linalg.eigvalsh(s)
        raise ValueError(f"{name} must be a positive-definite covariance; got smallest eigenvalue "
                         f"{eig.min():g}") from err


def _gaussians(m0, s0, m1, s1):
    """Validate two Gaussians; return (Δ = m1 − m0, S0, S1, L0, L1, scalar)."""
    arrs = [_as_float_array(v, n) for v, n in ((m0, "m0"), (s0, "S0"), (m1, "m1"), (s1, "S1"))]
    names = ("m0", "S0", "m1", "S1")
    for arr, name in zip(arrs, names):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} must be finite; got {arr!r}")
    scalar = all(arr.ndim == 0 for arr in arrs)
    if scalar:
        if arrs[1] <= 0 or arrs[3] <= 0:
            bad = "S0" if arrs[1] <= 0 else "S1"
            value = arrs[1] if bad == "S0" else arrs[3]
            raise ValueError(f"{bad} must be a variance > 0 (1-D: S is a variance, not a standard "
                             f"deviation); got {value.item()!r}")
        m0a, s0a, m1a, s1a = (arr.reshape(1) if i % 2 == 0 else arr.reshape(1, 1)
                              for i, arr in enumerate(arrs))
    else:
        m0a, s0a, m1a, s1a = arrs
        k = m0a.shape[0] if m0a.ndim == 1 else -1
        ok = (k > 0 and m1a.shape == (k,) and s0a.shape == (k, k) and s1a.shape == (k, k))
        if ok and k > _MAX_GAUSS_DIM:
            raise _v.ResourceLimitError(
                f"m0 must have at most {_MAX_GAUSS_DIM} dimensions on the 1 GB / 1-core budget "
                f"(k×k Cholesky factors); got k={k}")
        if not ok:
            raise ValueError(f"Gaussians must be all scalars (1-D, S a variance) or means of shape "
                             f"(k,) and covariances (k, k); got m0 {m0a.shape}, S0 {s0a.shape}, "
                             f"m1 {m1a.shape}, S1 {s1a.shape}")
        for s, name in ((s0a, "S0"), (s1a, "S1")):
            scale = max(float(np.abs(s).max()), np.finfo(float).tiny)
            if not np.allclose(s, s.T, rtol=0.0, atol=1e-10 * scale):
                raise ValueError(f"{name} must be symmetric; got max |{name} - {name}.T| = "
                                 f"{float(np.abs(s - s.T).max()):g}")
    l0 = _cholesky(s0a, "S0", scalar)
    l1 = _cholesky(s1a, "S1", scalar)
    return m1a - m0a, s0a, s1a, l0, l1, scalar


def _logdet(chol: np.ndarray) -> float:
    return 2.0 * float(np.sum(np.log(np.diag(chol))))


def _maha(chol: np.ndarray, d: np.ndarray) -> float:
    z = sla.solve_triangular(chol, d, lower=True)
    return float(z @ z)


def gaussian_kl(m0, S0, m1, S1):
    r"""KL(N0‖N1) = ½[tr(S1⁻¹S0) + Δᵀ S1⁻¹ Δ − k + log|S1| − log|S0|], Δ = m1 − m0.

    Scalars mean 1-D with S0, S1 **variances**; otherwise means of shape (k,) and covariances of
    shape (k, k) (symmetric positive definite, checked by Cholesky).

    Contract
    --------
    m0
        finite real number (or a mean vector (k,)).
    S0
        finite real number > 0 (a variance, or a covariance (k, k)).
    m1
        finite real number (or a mean vector (k,)).
    S1
        finite real number > 0 (a variance, or a covariance (k, k)).
    Budget (1 GB / 1 core): k up to 2000 (k×k Cholesky factors). Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    Examples
    --------
    >>> round(gaussian_kl(0.0, 1.0, 1.0, 1.5**2), 7)   # KL(N(0,1) ‖ N(1, 1.5²))
    0.3499096

    References
    ----------
    L. Pardo, "Statistical Inference Based on Divergence Measures", 2006.
    """
    d, _, _, l0, l1, _ = _gaussians(m0, S0, m1, S1)
    a = sla.solve_triangular(l1, l0, lower=True)
    k = d.shape[0]
    value = 0.5 * (float(np.sum(a * a)) + _maha(l1, d) - k + _logdet(l1) - _logdet(l0))
    return max(value, 0.0)


def gaussian_renyi(m0, S0, m1, S1, order):
    r"""Rényi divergence of order α > 0 between Gaussians, D_α(N0‖N1).

    D_α = (α/2) Δᵀ S_α⁻¹ Δ − log(|S_α| / (|S0|^{1−α}|S1|^α)) / (2(α − 1)),
    S_α = α S1 + (1 − α) S0. +inf when S_α is not positive definite (possible for α > 1).
    ``order = 1`` gives :func:`gaussian_kl`. Same argument conventions as :func:`gaussian_kl`.

    Contract
    --------
    m0
        finite real number (or a mean vector (k,)).
    S0
        finite real number > 0 (a variance, or a covariance (k, k)).
    m1
        finite real number (or a mean vector (k,)).
    S1
        finite real number > 0 (a variance, or a covariance (k, k)).
    order
        finite real number > 0.
    Budget (1 GB / 1 core): k up to 2000 (k×k Cholesky factors). Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    M. Gil, F. Alajaji, T. Linder, "Rényi divergence measures for commonly used univariate
    continuous distributions", 2013. L. Pardo, "Statistical Inference Based on Divergence
    Measures", 2006.
    """
    a = positive_scalar(order, "order")
    d, s0, s1, l0, l1, _ = _gaussians(m0, S0, m1, S1)
    if a == 1.0:
        return gaussian_kl(m0, S0, m1, S1)
    s_a = a * s1 + (1.0 - a) * s0
    try:
        l_a = np.linalg.cholesky(s_a)
    except np.linalg.LinAlgError:
        return math.inf
    log_ratio = _logdet(l_a) - (1.0 - a) * _logdet(l0) - a * _logdet(l1)
    value = 0.5 * a * _maha(l_a, d) - log_ratio / (2.0 * (a - 1.0))
    return max(value, 0.0)


def gaussian_bhattacharyya(m0, S0, m1, S1):
    r"""Bhattacharyya distance D_B = ⅛ Δᵀ S̄⁻¹ Δ + ½ log(|S̄| / √(|S0||S1|)), S̄ = (S0 + S1)/2.

    D_B = −log ∫√(N0 N1) = ½·Rényi of order ½. Same argument conventions as :func:`gaussian_kl`.

    Contract
    --------
    m0
        finite real number (or a mean vector (k,)).
    S0
        finite real number > 0 (a variance, or a covariance (k, k)).
    m1
        finite real number (or a mean vector (k,)).
    S1
        finite real number > 0 (a variance, or a covariance (k, k)).
    Budget (1 GB / 1 core): k up to 2000 (k×k Cholesky factors). Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    References
    ----------
    A. Bhattacharyya, "On a measure of divergence between two statistical populations defined by
    their probability distributions", 1943.
    """
    d, s0, s1, l0, l1, _ = _gaussians(m0, S0, m1, S1)
    l_bar = np.linalg.cholesky(0.5 * (s0 + s1))
    value = 0.125 * _maha(l_bar, d) + 0.5 * (_logdet(l_bar) - 0.5 * (_logdet(l0) + _logdet(l1)))
    return max(value, 0.0)


def gaussian_hellinger2(m0, S0, m1, S1):
    r"""Squared Hellinger distance between Gaussians, H² = 1 − exp(−D_B) ∈ [0, 1).

    Same argument conventions as :func:`gaussian_kl`; see :func:`gaussian_bhattacharyya`.

    Contract
    --------
    m0
        finite real number (or a mean vector (k,)).
    S0
        finite real number > 0 (a variance, or a covariance (k, k)).
    m1
        finite real number (or a mean vector (k,)).
    S1
        finite real number > 0 (a variance, or a covariance (k, k)).
    Budget (1 GB / 1 core): k up to 2000 (k×k Cholesky factors). Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    return float(-math.expm1(-gaussian_bhattacharyya(m0, S0, m1, S1)))


def gaussian_w2sq(m0, S0, m1, S1):
    r"""Squared 2-Wasserstein distance W2² = |Δ|² + tr(S0 + S1 − 2 (S1^½ S0 S1^½)^½).

    1-D (scalars, S variances): (m0 − m1)² + (√S0 − √S1)². Matrix square roots by
    :func:`scipy.linalg.sqrtm` (real part). Same argument conventions as :func:`gaussian_kl`.

    Contract
    --------
    m0
        finite real number (or a mean vector (k,)).
    S0
        finite real number > 0 (a variance, or a covariance (k, k)).
    m1
        finite real number (or a mean vector (k,)).
    S1
        finite real number > 0 (a variance, or a covariance (k, k)).
    Budget (1 GB / 1 core): k up to 2000 (k×k Cholesky factors). Bad or too-large input raises
    ValueError naming the argument, before any allocation.

    Examples
    --------
    >>> gaussian_w2sq(0.0, 1.0, 1.0, 1.5**2)
    1.25

    References
    ----------
    D. C. Dowson and B. V. Landau, "The Fréchet distance between multivariate normal
    distributions", 1982.
    """
    d, s0, s1, _, _, scalar = _gaussians(m0, S0, m1, S1)
    if scalar:
        return float(d[0] ** 2 + (math.sqrt(s0[0, 0]) - math.sqrt(s1[0, 0])) ** 2)
    root1 = np.real(sla.sqrtm(s1))
    cross = np.real(sla.sqrtm(root1 @ s0 @ root1))
    value = float(d @ d + np.trace(s0) + np.trace(s1) - 2.0 * np.trace(cross))
    return max(value, 0.0)
