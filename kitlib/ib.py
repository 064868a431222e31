"""Information bottleneck: discrete, Gaussian and deterministic IB, MI estimators, and the
information plane of a small training network.

Conventions: natural logarithms (nats); Tishby's form of the bottleneck,

    minimise over p(t|x):   L = I(X;T) − β·I(T;Y),      Markov chain T – X – Y,

so β → 0 gives a trivial T and β → ∞ keeps everything X says about Y. (Variational and CS-IB
papers minimise prediction loss + β'·compression: their β' is 1/β here. The ``embo`` package
puts a bits-KL in the exponent: β_embo = ln 2 · β.)

Which function to choose
------------------------
* a discrete joint table p(x, y): :func:`ib_curve` (global optimum per β by forward and reverse
  annealing plus restarts), :func:`critical_beta` (1/ρ_m²), :func:`deterministic_ib`,
  :func:`encoder_information` (the plane coordinates of any encoder, or a stack of them);
* jointly Gaussian (X, Y): :func:`gaussian_ib` (Chechik et al. closed form),
  :func:`gaussian_ib_curvature` (slope 1/β and the curvature that jumps at each β_i);
* samples: :func:`mi_binned` (plug-in, biased upwards), :func:`mi_ksg` (kNN, accurate in low
  dimension), :func:`kolchinsky_tracey_bounds` (noisy layer T = h(X) + N(0, σ²I)),
  :func:`cauchy_schwarz_qmi` (CS-IB's kernel estimator, not Shannon MI);
* the Shwartz-Ziv–Tishby experiment: :func:`symmetric_task`, :func:`train_information_plane`,
  :func:`binned_layer_information`.

Argument contract (every public function; the machine-readable table is ``kitlib.contracts.ib``)
-------------------------------------------------------------------------------------------
* Joint tables ``pxy`` (|X|, |Y|), encoders p(t|x) (|X|, |T|) and probability vectors: finite,
  >= 0, summing to 1 (rows of an encoder each) within 1e-8 — then renormalised exactly —, at
  most ``MAX_TABLE`` = 2²² entries.
* Samples: finite (N,) or (N, d) float arrays, N >= 2, at most ``MAX_SAMPLES`` = 2²² numbers;
  paired samples have equal N. β's: finite and > 0. Tolerances: in [1e-14, 1].
* Counts (``n_t``, ``n_restarts``, ``n_iter``, ``bins``, ``k``, ``epochs``, ...) are integers;
  ``True`` and fractions such as 2.5 are refused, never truncated. ``seed``: None, an int >= 0 or
  a ``numpy.random.Generator``; global random state (numpy's, torch's) is never touched.
* Sizes: every call estimates its memory and work from the argument sizes and, past
  :mod:`kitlib.limits` (256 MiB and ~2·10⁹ operations, a 1 GB / 1-core budget), refuses before
  allocating with a ``ValueError`` naming the limit and a cheaper route (subsample, fewer β's);
  the largest size each function accepts is stated in its docstring. Iteration caps
  (``n_iter``) end silently with the iterate reached, as documented per function.
* Every refusal is a ``ValueError`` naming the argument, what is allowed and the value received.

References (by title)
---------------------
* Tishby, Pereira, Bialek — *The information bottleneck method*.
* Chechik, Globerson, Tishby, Weiss — *Information Bottleneck for Gaussian Variables*.
* Strouse, Schwab — *The Deterministic Information Bottleneck*.
* Shwartz-Ziv, Tishby — *Opening the Black Box of Deep Neural Networks via Information*.
* Saxe et al. — *On the Information Bottleneck Theory of Deep Learning*.
* Kolchinsky, Tracey — *Estimating Mixture Entropy with Pairwise Distances*.
* Kraskov, Stögbauer, Grassberger — *Estimating Mutual Information*.
* Yu et al. — *Cauchy–Schwarz Divergence Information Bottleneck for Regression*.
* Butakov et al. — *Information Bottleneck Analysis of Deep Neural Networks via Lossy Compression*.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import eigh
from scipy.spatial import cKDTree
from scipy.special import digamma, logsumexp

from kitlib import _validate as v
from kitlib._validate import one_of, positive_scalar, real_scalar

__all__ = [
    "mutual_information",
    "entropy",
    "critical_beta",
    "maximal_correlation",
    "ib_lagrangian",
    "encoder_information",
    "blahut_arimoto",
    "IBCurve",
    "ib_curve",
    "binary_symmetric_source",
    "bss_curve",
    "GaussianIB",
    "gaussian_ib",
    "gaussian_ib_objective",
    "gaussian_ib_curvature",
    "canonical_covariances",
    "gaussian_mi",
    "DIBCurve",
    "deterministic_ib",
    "mi_binned",
    "mi_ksg",
    "kolchinsky_tracey_bounds",
    "cauchy_schwarz_qmi",
    "symmetric_task",
    "TrainingRecord",
    "train_information_plane",
    "binned_layer_information",
    "noisy_layer_information",
]

_TINY = 1e-300


# ---------------------------------------------------------------------------------------------
# validation (argument checks through kitlib._validate; sizes against kitlib.limits)
# ---------------------------------------------------------------------------------------------
#: largest joint table, encoder or probability vector (entries) on the 1 GB budget
MAX_TABLE = 2**22
#: largest sample array (N·d entries) for the O(N log N) estimators
MAX_SAMPLES = 2**22


#: operations charged for the fixed cost of one small numpy iteration step (~30 µs), so that the
#: work estimate of many tiny iterations is not ~0 (calibrated: 200 β × 400 iterations of ib_curve
#: on a 10 × 10 table take ~2 s of CPU against an estimate of ~1.3e9)
_STEP_OVERHEAD = 1e4


def _limit(what: str, *, nbytes: float = 0.0, operations: float = 0.0, hint: str) -> None:
    """Refuse, before allocating, a call whose estimated memory or work passes kitlib.limits."""
    v.check_budget(what, nbytes, hint=hint)
    v.check_work(what, operations, hint=hint)


def _check_joint(pxy, name: str = "pxy", *, svd: bool = False) -> np.ndarray:
    p = v.array(pxy, name, ndim=2, max_size=MAX_TABLE, low=0.0)
    if svd:
        _limit(f"the SVD of a {p.shape} table {name}", operations=10.0 * p.size * min(p.shape),
               hint="merge rare values of X or Y")
    s = p.sum()
    if abs(s - 1.0) > v.PROB_TOL:
        raise ValueError(f"{name} must sum to 1 (tolerance {v.PROB_TOL:.0e}); got sum {s!r}")
    return p / s


def _check_betas(betas, name: str = "betas") -> np.ndarray:
    return v.array(betas, name, ndim=1, atleast_1d=True, max_size=MAX_TABLE, low=0.0, low_open=True)


def _check_cov(c, name: str) -> np.ndarray:
    a = np.atleast_2d(v.array(c, name, ndim=(0, 1, 2), max_size=MAX_TABLE, finite=False))
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be a square matrix; got shape {a.shape}")
    n = a.shape[0]
    _limit(f"a covariance {name} of size {n}", nbytes=8.0 * 6 * n * n, operations=10.0 * n**3,
           hint="use fewer dimensions")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite; got {int((~np.isfinite(a)).sum())} non-finite entries")
    if not np.allclose(a, a.T, atol=1e-10):
        raise ValueError(f"{name} must be symmetric (within 1e-10); got largest |{name} − {name}ᵀ| "
                         f"{float(np.max(np.abs(a - a.T))):g}")
    ev = np.linalg.eigvalsh(a)
    if ev.min() <= 1e-12 * max(1.0, ev.max()):
        raise ValueError(f"{name} must be positive definite; got smallest eigenvalue {ev.min():g} (allowed: > 0)")
    return a


def _check_encoder(q, n_x: int, name: str, *, rows_sum_to_one: bool,
                   stacked: bool = False) -> np.ndarray:
    """An encoder p(t|x): finite, >= 0, shape (n_x, |T|) (``stacked``: (..., n_x, |T|), up to
    two leading axes); rows sum to 1 (within PROB_TOL) or, for a starting point, have a
    positive sum (then normalised)."""
    if stacked:
        a = v.array(q, name, ndim=(2, 3, 4), max_size=MAX_TABLE, low=0.0)
        if a.shape[-2] != n_x:
            raise ValueError(f"{name} must have shape (..., {n_x}, |T|) (one row per value of X); "
                             f"got shape {a.shape}")
    else:
        a = v.array(q, name, ndim=2, shape=(n_x, None), max_size=MAX_TABLE, low=0.0)
    s = a.sum(-1)
    if rows_sum_to_one and np.max(np.abs(s - 1.0)) > v.PROB_TOL:
        raise ValueError(f"every row of {name} must sum to 1 (tolerance {v.PROB_TOL:.0e}); got row "
                         f"sums from {s.min()!r} to {s.max()!r}")
    if s.min() <= 0:
        raise ValueError(f"every row of {name} must have a positive sum; got a row of zeros")
    return a / s[..., None]


def _xlogx_sum(p, axis=None):
    p = np.asarray(p, dtype=float)
    return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0), axis=axis)


# ---------------------------------------------------------------------------------------------
# basic quantities
# ---------------------------------------------------------------------------------------------
def entropy(p) -> float:
    """Shannon entropy H(p) = −Σ p log p in nats of a probability vector (0·log 0 = 0).

    Parameters
    ----------
    p : array_like of float, any shape (flattened), at least one entry
        Probabilities: finite, >= 0, summing to 1 within 1e-8 (then renormalised).
        At most ~4·10⁶ entries on the 1 GB budget (:mod:`kitlib.limits`).

    Returns
    -------
    float
        H(p) in nats, in [0, log p.size].

    Contract
    --------
    p
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries (any
        shape, flattened).
    Budget (1 GB / 1 core): p up to 4,194,304 entries. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p = v.probability_vector(p, "p", ndim=None, max_size=MAX_TABLE).ravel()
    return float(-_xlogx_sum(p / p.sum()))


def mutual_information(pxy) -> float:
    """Mutual information I(X;Y) = Σ p(x,y) log[p(x,y)/(p(x)p(y))] in nats of a joint table.

    Parameters
    ----------
    pxy : array_like of float, shape (|X|, |Y|), |X|, |Y| >= 1
        Joint probabilities: finite, >= 0, summing to 1 within 1e-8 (then renormalised). At most
        ~4·10⁶ cells on the 1 GB budget.

    Returns
    -------
    float
        I(X;Y) in nats, >= 0.

    Contract
    --------
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    Budget (1 GB / 1 core): pxy up to 4,194,304 cells (SVD: ~1000 × 1000). Bad or too-large input
    raises ValueError naming the argument, before any allocation.

    Examples
    --------
    >>> round(mutual_information([[0.45, 0.05], [0.05, 0.45]]), 6)
    0.368064
    """
    p = _check_joint(pxy)
    return float(max(_xlogx_sum(p) - _xlogx_sum(p.sum(1)) - _xlogx_sum(p.sum(0)), 0.0))


def maximal_correlation(pxy) -> float:
    """ρ_m, the second singular value of B = p(x,y)/√(p(x)p(y)) (Hirschfeld–Gebelein–Rényi).

    Returns ρ_m in [0, 1] (0 when |X| or |Y| has one value).

    Contract
    --------
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    Budget (1 GB / 1 core): an SVD of pxy: up to ~1000 × 1000. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    p = _check_joint(pxy, svd=True)
    px, py = p.sum(1), p.sum(0)
    keep_x, keep_y = px > 0, py > 0
    p = p[keep_x][:, keep_y]
    B = p / np.sqrt(np.outer(px[keep_x], py[keep_y]))
    s = np.linalg.svd(B, compute_uv=False)
    return float(s[1]) if s.size > 1 else 0.0


def critical_beta(pxy) -> float:
    """β₁ = 1/ρ_m², where the trivial encoder loses local stability (inf if X ⟂ Y).

    The curve can leave the trivial point earlier (at 1/s*, s* the strong data-processing
    constant, s* ≥ ρ_m²); they coincide for the doubly-symmetric binary source.
    Returns a float in [1, inf].

    Contract
    --------
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    Budget (1 GB / 1 core): an SVD of pxy: up to ~1000 × 1000. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    rho = maximal_correlation(pxy)
    return math.inf if rho < 1e-12 else 1.0 / rho**2


# ---------------------------------------------------------------------------------------------
# discrete IB
# ---------------------------------------------------------------------------------------------
def _stats(q, px, pyx):
    """I(X;T), I(T;Y), H(T) for encoders q of shape (..., X, T)."""
    pt = np.einsum("x,...xt->...t", px, q)
    pxt = px[:, None] * q
    ratio = np.where(q > 0, q / np.maximum(pt[..., None, :], _TINY), 1.0)
    i_xt = np.sum(pxt * np.log(ratio), axis=(-2, -1))
    pty = np.einsum("...xt,xy->...ty", pxt, pyx)
    py = px @ pyx
    denom = np.maximum(pt[..., :, None] * py[None, :], _TINY)
    r2 = np.where(pty > 0, pty / denom, 1.0)
    i_ty = np.sum(pty * np.log(r2), axis=(-2, -1))
    h_t = -np.sum(np.where(pt > 0, pt * np.log(np.maximum(pt, _TINY)), 0.0), axis=-1)
    return np.maximum(i_xt, 0.0), np.maximum(i_ty, 0.0), h_t


def ib_lagrangian(q, pxy, beta) -> float:
    """L = I(X;T) − β I(T;Y) for the encoder q = p(t|x).

    Parameters
    ----------
    q : array_like of float, shape (|X|, |T|), |T| >= 1
        Encoder p(t|x): finite, >= 0, every row summing to 1 within 1e-8.
    pxy : array_like of float, shape (|X|, |Y|)
        Joint table (finite, >= 0, sum 1 within 1e-8).
    beta : float
        Trade-off, finite and > 0.

    Sizes: |X|·|T|·|Y| up to ~4·10⁶ on the 1 GB budget. Returns a finite float (nats).

    Contract
    --------
    q
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (encoder p(t|x),
        rows summing to 1 within 1e-8).
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    beta
        finite real number > 0.
    Budget (1 GB / 1 core): |X|·|T|·|Y| up to ~4e6. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    p = _check_joint(pxy)
    q = _check_encoder(q, p.shape[0], "q", rows_sum_to_one=True)
    b = positive_scalar(beta, "beta")
    ix, iy, _ = encoder_information(q, p)
    return float(ix - b * iy)


def encoder_information(q, pxy) -> tuple:
    """(I(X;T), I(T;Y), H(T)) in nats of the encoder q = p(t|x) on the joint table p(x, y).

    With p(t) = Σ_x p(x)q(t|x) and p(t, y) = Σ_x q(t|x)p(x, y) (Markov chain T – X – Y):
    I(X;T) = Σ p(x)q(t|x) log[q(t|x)/p(t)], I(T;Y) = Σ p(t, y) log[p(t, y)/(p(t)p(y))],
    H(T) = −Σ p(t) log p(t). A stack of encoders is evaluated at once (vectorised).

    Parameters
    ----------
    q : array_like of float, shape (|X|, |T|) or (..., |X|, |T|) with up to two leading axes
        Encoder(s) p(t|x): finite, >= 0, every row summing to 1 within 1e-8.
    pxy : array_like of float, shape (|X|, |Y|)
        Joint table (finite, >= 0, sum 1 within 1e-8).

    Returns
    -------
    I_XT, I_TY, H_T : float, or ndarray of shape q.shape[:-2] for a stack
        0 ≤ I(T;Y) ≤ I(X;T) ≤ H(T).

    Sizes: q up to ~4·10⁶ entries and (entries of q)/|X|·|Y| up to ~4·10⁶ on the 1 GB budget.

    Contract
    --------
    q
        real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (encoder(s) p(t|x),
        shape (..., |X|, |T|), rows summing to 1 within 1e-8).
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    Budget (1 GB / 1 core): q up to 4,194,304 entries; q.size/|X|·|Y| up to ~4e6. Bad or too-large
    input raises ValueError naming the argument, before any allocation.
    """
    p = _check_joint(pxy)
    q = _check_encoder(q, p.shape[0], "q", rows_sum_to_one=True, stacked=True)
    _limit(f"encoder_information of {q.shape} encoders on a {p.shape} table",
           nbytes=8.0 * 6 * (q.size + q.size // p.shape[0] * p.shape[1]),
           hint="evaluate fewer encoders at once")
    px = p.sum(1)
    ix, iy, ht = _stats(q, px, p / np.maximum(px[:, None], _TINY))
    if q.ndim == 2:
        return float(ix), float(iy), float(ht)
    return ix, iy, ht


def _ba_step(q, beta, px, pyx, neg_hyx):
    """One Blahut–Arimoto update of encoders q (..., X, T); beta broadcast over (...)."""
    pxt = px[:, None] * q
    pt = pxt.sum(-2)
    with np.errstate(divide="ignore"):
        log_pt = np.log(pt)
        log_pty = np.log(np.swapaxes(pxt, -1, -2) @ pyx)
    log_pyt = np.maximum(log_pty - log_pt[..., None], -700.0)  # floor: p(y|t) = 0 costs e^-700
    kl = neg_hyx[:, None] - pyx @ np.swapaxes(log_pyt, -1, -2)
    logits = log_pt[..., None, :] - np.asarray(beta, float)[..., None, None] * kl
    q = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return q / q.sum(axis=-1, keepdims=True)


def _prep(p):
    px = p.sum(1)
    pyx = p / np.maximum(px[:, None], _TINY)
    neg_hyx = _xlogx_sum(pyx, axis=1)
    return px, pyx, neg_hyx


def _iterate(q, beta, px, pyx, neg_hyx, n_iter, tol):
    for _ in range(n_iter):
        new = _ba_step(q, beta, px, pyx, neg_hyx)
        diff = np.max(np.abs(new - q))
        q = new
        if diff < tol:
            break
    return q


def blahut_arimoto(pxy, beta, q0, *, n_iter: int = 2000, tol: float = 1e-10) -> np.ndarray:
    """Iterate the IB self-consistent equations from the encoder ``q0`` (shape (|X|, |T|)).

    p(t|x) ∝ p(t)·exp(−β·KL[p(y|x) ‖ p(y|t)]), p(t) = Σ_x p(x)p(t|x),
    p(y|t) = Σ_x p(x,y)p(t|x)/p(t). Each step does not increase L; the result is a local
    optimum (Tishby, Pereira, Bialek, *The information bottleneck method*).

    Parameters
    ----------
    pxy : array_like of float, shape (|X|, |Y|)
        Joint table (finite, >= 0, sum 1 within 1e-8).
    beta : float
        Finite and > 0.
    q0 : array_like of float, shape (|X|, |T|)
        Starting encoder: finite, >= 0, every row with a positive sum (rows are normalised).
    n_iter : int, keyword-only
        Iteration cap, >= 1; the iterate reached at the cap is returned.
    tol : float, keyword-only
        Stop when no p(t|x) changes by more than ``tol`` (finite, > 0).

    Sizes: ``n_iter``·(10·|X|·|T|·|Y| + 10⁴) operations up to 2·10⁹ (~10 s on one core,
    :mod:`kitlib.limits`).
    Returns the encoder, shape (|X|, |T|), rows summing to 1.

    Contract
    --------
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    beta
        finite real number > 0.
    q0
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (starting
        encoder; rows normalised).
    n_iter
        integer >= 1 (True and fractions refused).
    tol
        finite real number >= 1e-14 and <= 1.
    Budget (1 GB / 1 core): n_iter·(10·|X|·|T|·|Y| + 1e4) up to 2e9 operations. Bad or too-large
    input raises ValueError naming the argument, before any allocation.
    """
    p = _check_joint(pxy)
    beta = positive_scalar(beta, "beta")
    q0 = _check_encoder(q0, p.shape[0], "q0", rows_sum_to_one=False)
    n_iter = v.integer(n_iter, "n_iter", low=1)
    tol = v.tolerance(tol, "tol")
    _limit(f"blahut_arimoto with n_iter={n_iter} on a {q0.shape} encoder",
           nbytes=8.0 * 8 * (q0.size + q0.shape[1] * p.shape[1]),
           operations=n_iter * (10.0 * q0.size * p.shape[1] + _STEP_OVERHEAD), hint="lower n_iter or |T|")
    return _iterate(q0, beta, *_prep(p), n_iter, tol)


@dataclass(frozen=True)
class IBCurve:
    """The IB curve on a grid of β (nats).

    Attributes
    ----------
    betas : ndarray (B,)
    I_XT, I_TY, H_T : ndarray (B,)
        I(X;T), I(T;Y) and H(T) of the best encoder found at each β.
    lagrangian : ndarray (B,)
        I(X;T) − β·I(T;Y) of that encoder.
    encoders : ndarray (B, |X|, |T|)
        p(t|x), columns sorted by p(t) (largest first).
    n_clusters : ndarray (B,) of int
        Number of distinct p(y|t) with p(t) > 1e-4 (the effective cardinality of T).
    I_XY : float
    critical_beta : float
        1/ρ_m².
    """

    betas: np.ndarray
    I_XT: np.ndarray
    I_TY: np.ndarray
    H_T: np.ndarray
    lagrangian: np.ndarray
    encoders: np.ndarray
    n_clusters: np.ndarray
    I_XY: float
    critical_beta: float

    def transitions(self) -> np.ndarray:
        """β values (midpoints of the grid step) where the effective number of clusters first
        exceeds every smaller β's: the phase transitions at which a cluster splits off."""
        running = np.maximum.accumulate(self.n_clusters[np.argsort(self.betas)])
        bs = np.sort(self.betas)
        idx = np.flatnonzero(np.diff(running) > 0)
        return 0.5 * (bs[idx] + bs[idx + 1])


def _n_clusters(q, px, pyx, tol=1e-2):
    pt = px @ q
    live = pt > 1e-4
    if not live.any():
        return 1
    pyt = (q[:, live] * px[:, None]).T @ pyx / pt[live, None]
    distinct = []
    for row in pyt:
        if not any(np.max(np.abs(row - d)) < tol for d in distinct):
            distinct.append(row)
    return len(distinct)


def ib_curve(pxy, betas, *, n_t: int | None = None, n_restarts: int = 4, seed=0,
             n_iter: int = 400, tol: float = 1e-9) -> IBCurve:
    """The optimal IB curve: the global optimum of L = I(X;T) − β I(T;Y) at each β.

    Three families of candidates are run with Blahut–Arimoto iterations (numpy, log-space) and
    the lowest-Lagrangian encoder is kept at each β:

    * forward annealing from the trivial encoder at the smallest β, warm-starting each β from
      the previous one with a small perturbation so that clusters can split;
    * reverse annealing from the identity encoder (T = X) at the largest β, downwards;
    * ``n_restarts`` random Dirichlet encoders at every β, run in one vectorised batch.

    Forward annealing alone follows metastable branches past first-order transitions; the
    reverse pass and the restarts catch them.

    Parameters
    ----------
    pxy : array_like of float, shape (|X|, |Y|)
        Joint probability table: finite, >= 0, summing to 1 within 1e-8.
    betas : array_like of float, shape (B,), B >= 1
        Trade-off parameters, finite and > 0 (any order; results follow the given order).
    n_t : int, optional, keyword-only
        Cardinality of T, an integer >= 1 (default |X|, which is always enough).
    n_restarts : int, keyword-only
        Random restarts per β, an integer >= 0.
    seed : None, int >= 0 or numpy.random.Generator, keyword-only
    n_iter : int, keyword-only
        Iteration cap per β, >= 1 (the iterate at the cap is used; no warning).
    tol : float, keyword-only
        Convergence tolerance on the max change of p(t|x), finite and > 0.

    Sizes (1 GB / 1 core, :mod:`kitlib.limits`): the candidates hold
    B·(2 + n_restarts)·|X|·|T| numbers (≤ ~3·10⁶) and the iterations cost about
    ``n_iter``·B·((2 + n_restarts)·|X|·|T|·|Y| + 10⁴) operations (≤ 2·10⁹, ~10 s), e.g. 200 β on
    a 10 × 10 table with 4 restarts and 400 iterations is ~1.3·10⁹ (~2 s).

    Returns
    -------
    IBCurve

    Contract
    --------
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    betas
        1-D real array, finite, entries > 0, non-empty; at most 4,194,304 entries (a scalar is taken
        as one beta).
    n_t
        integer >= 1 (True and fractions refused); or None.
    n_restarts
        integer >= 0 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    n_iter
        integer >= 1 (True and fractions refused).
    tol
        finite real number >= 1e-14 and <= 1.
    Budget (1 GB / 1 core): B·(2 + n_restarts)·|X|·|T| up to ~3e6 numbers; n_iter·B·((2 +
    n_restarts)·|X|·|T|·|Y| + 1e4) up to 2e9 operations. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p = _check_joint(pxy)
    b = _check_betas(betas)
    nx = p.shape[0]
    n_t = nx if n_t is None else v.integer(n_t, "n_t", low=1)
    n_restarts = v.integer(n_restarts, "n_restarts", low=0)
    n_iter = v.integer(n_iter, "n_iter", low=1)
    tol = v.tolerance(tol, "tol")
    n_cand = b.size * (2 + n_restarts) * nx * n_t
    _limit(f"ib_curve with {b.size} betas, {n_restarts} restarts and n_t={n_t}",
           nbytes=8.0 * 10 * (n_cand + b.size * (2 + n_restarts) * n_t * p.shape[1]),
           operations=n_iter * (n_cand * p.shape[1] + b.size * _STEP_OVERHEAD),
           hint="use fewer betas, restarts or n_iter")
    rng = v.as_generator(seed)
    px, pyx, neg_hyx = _prep(p)
    order = np.argsort(b)
    bs = b[order]
    B = bs.size
    cands = []
    # forward annealing (trivial encoder at the smallest β, perturbed at every step so that
    # clusters can split) and reverse annealing (identity encoder at the largest β), run
    # together as a batch of two
    fwd = np.full((nx, n_t), 1.0 / n_t)
    rev = np.full((nx, n_t), 1e-8)
    rev[np.arange(nx), np.arange(nx) % n_t] = 1.0
    rev /= rev.sum(1, keepdims=True)
    out_f = np.empty((B, nx, n_t))
    out_r = np.empty((B, nx, n_t))
    for i in range(B):
        fwd = np.clip(fwd * (1.0 + 0.02 * rng.standard_normal((nx, n_t))), 1e-12, None)
        fwd /= fwd.sum(1, keepdims=True)
        both = _iterate(np.stack([fwd, rev]), np.array([bs[i], bs[B - 1 - i]]), px, pyx, neg_hyx,
                        n_iter, tol)
        fwd, rev = both[0], both[1]
        out_f[i], out_r[B - 1 - i] = fwd, rev
    cands.append(out_f)
    cands.append(out_r)
    # random restarts, vectorised over (β, restart)
    if n_restarts:
        q0 = rng.dirichlet(np.full(n_t, 0.5), size=(B, n_restarts, nx))
        q0 = np.clip(q0, 1e-12, None)
        rr = _iterate(q0 / q0.sum(-1, keepdims=True), bs[:, None], px, pyx, neg_hyx, n_iter, tol * 10)
        for r in range(n_restarts):
            cands.append(rr[:, r])
    C = np.stack(cands, axis=1)  # (B, C, X, T)
    ix, iy, ht = _stats(C, px, pyx)
    L = ix - bs[:, None] * iy
    best = np.argmin(L + 1e-12 * np.arange(C.shape[1]), axis=1)
    q_best = C[np.arange(B), best]
    ix, iy, ht, L = (a[np.arange(B), best] for a in (ix, iy, ht, L))
    pt = np.einsum("x,bxt->bt", px, q_best)
    perm = np.argsort(-pt, axis=1, kind="stable")
    q_best = np.take_along_axis(q_best, perm[:, None, :], axis=2)
    ncl = np.array([_n_clusters(q, px, pyx) for q in q_best])
    inv = np.empty_like(order)
    inv[order] = np.arange(B)
    return IBCurve(betas=b, I_XT=ix[inv], I_TY=iy[inv], H_T=ht[inv], lagrangian=L[inv],
                   encoders=q_best[inv], n_clusters=ncl[inv], I_XY=mutual_information(p),
                   critical_beta=critical_beta(p))


def binary_symmetric_source(eps: float) -> np.ndarray:
    """Doubly-symmetric binary source p(x,y) = [[(1−ε)/2, ε/2], [ε/2, (1−ε)/2]].

    Returns a (2, 2) table summing to 1.

    Contract
    --------
    eps
        finite real number >= 0 and <= 1.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    eps = v.probability(eps, "eps")
    return np.array([[(1 - eps) / 2, eps / 2], [eps / 2, (1 - eps) / 2]])


def _h2(p):
    p = np.asarray(p, float)
    return -_xlogx_sum(np.stack([p, 1 - p]), axis=0)


def bss_curve(eps: float, delta) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact IB curve of the binary symmetric source, parametrised by the flip δ ∈ (0, ½).

    T = X ⊕ Bernoulli(δ): I_X = ln 2 − h(δ), I_Y = ln 2 − h(ε∗δ), ε∗δ = ε(1−δ) + δ(1−ε),
    β(δ) = log(δ/(1−δ)) / ((1−2ε)·log(c/(1−c))), c = ε∗δ. Returns (β, I_X, I_Y), each of
    the shape of ``delta``.

    Contract
    --------
    eps
        finite real number > 0 and < 0.5.
    delta
        real array, finite, entries > 0 and < 0.5, non-empty; at most 4,194,304 entries (a scalar or
        an array of up to 2 dimensions).
    Budget (1 GB / 1 core): delta up to 4,194,304 values. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    eps = v.in_range(eps, "eps", 0.0, 0.5, low_open=True, high_open=True)
    d = v.array(delta, "delta", ndim=(0, 1, 2), max_size=MAX_TABLE, low=0.0, high=0.5,
                low_open=True, high_open=True)
    c = eps * (1 - d) + d * (1 - eps)
    beta = np.log(d / (1 - d)) / ((1 - 2 * eps) * np.log(c / (1 - c)))
    return beta, math.log(2) - _h2(d), math.log(2) - _h2(c)


# ---------------------------------------------------------------------------------------------
# Gaussian IB
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GaussianIB:
    """Gaussian IB (Chechik et al.) on a grid of β.

    Attributes
    ----------
    betas : ndarray (B,)
    lambdas : ndarray (n,)
        Eigenvalues of Σ_{x|y}Σ_x⁻¹, ascending; λ_i = 1 − ρ_i².
    critical_betas : ndarray (n,)
        β_i = 1/(1 − λ_i) (inf where ρ_i = 0).
    I_XT, I_TY : ndarray (B,)
    n_active : ndarray (B,) of int
    encoders : ndarray (B, n, n)
        Rows α_i v_iᵀ of A in T = AX + ξ, ξ ~ N(0, I).
    I_XY : float
    """

    betas: np.ndarray
    lambdas: np.ndarray
    critical_betas: np.ndarray
    I_XT: np.ndarray
    I_TY: np.ndarray
    n_active: np.ndarray
    encoders: np.ndarray
    I_XY: float


def _conditional_cov(cov_x, cov_xy, cov_y):
    cx = _check_cov(cov_x, "cov_x")
    cy = _check_cov(cov_y, "cov_y")
    cxy = np.atleast_2d(v.array(cov_xy, "cov_xy", ndim=(0, 1, 2), max_size=MAX_TABLE))
    if cxy.shape != (cx.shape[0], cy.shape[0]):
        raise ValueError(f"cov_xy must have shape {(cx.shape[0], cy.shape[0])} to match cov_x "
                         f"{cx.shape} and cov_y {cy.shape}; got {cxy.shape}")
    joint = np.block([[cx, cxy], [cxy.T, cy]])
    _check_cov(joint, "the joint covariance [[cov_x, cov_xy], [cov_xy.T, cov_y]]")
    cx_y = cx - cxy @ np.linalg.solve(cy, cxy.T)
    return cx, cxy, cy, 0.5 * (cx_y + cx_y.T)


def gaussian_ib(cov_x, cov_xy, cov_y, betas) -> GaussianIB:
    """Closed-form Gaussian information bottleneck.

    With λ_i (ascending) the eigenvalues of Σ_{x|y}Σ_x⁻¹ and v_i the left eigenvectors,
    the optimal T = AX + ξ has rows α_i v_iᵀ, α_i = √((β(1−λ_i) − 1)/(λ_i r_i)),
    r_i = v_iᵀΣ_x v_i, for β > β_i = 1/(1−λ_i) (else 0), and

    I(T;X) = ½ Σ_{i≤n(β)} log((β−1)(1−λ_i)/λ_i),   I(T;Y) = I(T;X) − ½ Σ_{i≤n(β)} log(β(1−λ_i)).

    Chechik, Globerson, Tishby, Weiss — *Information Bottleneck for Gaussian Variables*.

    Parameters
    ----------
    cov_x : array_like, shape (n, n)
        Covariance of X: finite, symmetric (within 1e-10), positive definite.
    cov_xy : array_like, shape (n, m)
        Cross-covariance, finite; the joint covariance must be positive definite.
    cov_y : array_like, shape (m, m)
        Covariance of Y (as ``cov_x``).
    betas : array_like of float, shape (B,)
        Finite and > 0.

    Sizes: the encoders hold B·n² numbers (≤ ~3·10⁶ on the 1 GB budget) and the eigenproblems
    cost ~(n + m)³ (n + m ≤ ~500 on one core). Returns :class:`GaussianIB`.

    Contract
    --------
    cov_x
        2-D real array, finite, non-empty (symmetric positive definite (checked after the shape)).
    cov_xy
        2-D real array, finite, non-empty.
    cov_y
        2-D real array, finite, non-empty (symmetric positive definite (checked after the shape)).
    betas
        1-D real array, finite, entries > 0, non-empty; at most 4,194,304 entries (a scalar is taken
        as one beta).
    Budget (1 GB / 1 core): B·n² up to ~3e6 numbers; n + m up to ~500. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    cx, cxy, cy, cx_y = _conditional_cov(cov_x, cov_xy, cov_y)
    b = _check_betas(betas)
    n = cx.shape[0]
    _limit(f"gaussian_ib with {b.size} betas in dimension {n}", nbytes=8.0 * 4 * b.size * n * (n + 2),
           hint="pass fewer betas")
    lam, V = eigh(cx_y, cx)  # Σ_{x|y} v = λ Σ_x v  ⇔  vᵀ Σ_{x|y} Σ_x⁻¹ = λ vᵀ
    lam = np.clip(lam, 1e-300, 1.0)
    with np.errstate(divide="ignore"):
        crit = np.where(lam < 1 - 1e-12, 1.0 / (1.0 - lam), np.inf)
    r = np.einsum("ji,jk,ki->i", V, cx, V)
    active = b[:, None] > crit[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        tx = np.where(active, 0.5 * np.log((b[:, None] - 1) * (1 - lam) / lam), 0.0)
        ty = np.where(active, 0.5 * np.log(b[:, None] * (1 - lam)), 0.0)
        alpha = np.where(active, np.sqrt(np.maximum(b[:, None] * (1 - lam) - 1, 0) / (lam * r)), 0.0)
    I_XT = tx.sum(1)
    I_TY = I_XT - ty.sum(1)
    A = alpha[:, :, None] * V.T[None, :, :]
    return GaussianIB(betas=b, lambdas=lam, critical_betas=crit, I_XT=I_XT, I_TY=I_TY,
                      n_active=active.sum(1), encoders=A, I_XY=float(-0.5 * np.log(lam).sum()))


def gaussian_ib_curvature(cov_x, cov_xy, cov_y, betas) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slope, second derivative and number of active directions along the Gaussian IB curve.

    On the stretch where n = n(β) directions are active (β_n < β ≤ β_{n+1}, β_i = 1/(1 − λ_i)),
    the closed form of :func:`gaussian_ib` gives dI(X;T)/dβ = n/(2(β − 1)) and
    dI(T;Y)/dβ = n/(2β(β − 1)), hence (derived here)

        slope      dI(T;Y)/dI(X;T)   = 1/β                      (continuous in β),
        curvature  d²I(T;Y)/dI(X;T)² = −2(β − 1)/(n(β)·β²)      (< 0: concave).

    The slope is continuous at every critical β_i; the curvature jumps there, by the factor
    n/(n + 1) in magnitude (n/(n + m) when m directions open together): the curve is **not**
    kinked, it bends less sharply once a new eigen-direction of Σ_{x|y}Σ_x⁻¹ enters T.
    (In the β-parametrisation the rate dI(X;T)/dβ does jump, from n/(2(β−1)) to (n+1)/(2(β−1)).)

    Parameters
    ----------
    cov_x, cov_xy, cov_y : arrays
        Covariances as for :func:`gaussian_ib` (validated there; same size limits).
    betas : array (B,)
        β > 0, finite.

    Returns
    -------
    slope, curvature : ndarray (B,)
        ``curvature`` is NaN where n(β) = 0 (the curve is still the single point (0, 0)).
    n_active : ndarray (B,) of int

    Contract
    --------
    cov_x
        2-D real array, finite, non-empty (symmetric positive definite (checked after the shape)).
    cov_xy
        2-D real array, finite, non-empty.
    cov_y
        2-D real array, finite, non-empty (symmetric positive definite (checked after the shape)).
    betas
        1-D real array, finite, entries > 0, non-empty; at most 4,194,304 entries (a scalar is taken
        as one beta).
    Budget (1 GB / 1 core): B·n² up to ~3e6 numbers; n + m up to ~500. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    g = gaussian_ib(cov_x, cov_xy, cov_y, betas)
    b, n = g.betas, g.n_active
    with np.errstate(divide="ignore", invalid="ignore"):
        curv = np.where(n > 0, -2.0 * (b - 1.0) / (np.maximum(n, 1) * b * b), np.nan)
    return 1.0 / b, curv, n


def gaussian_ib_objective(A, cov_x, cov_xy, cov_y, beta) -> tuple[float, float, float]:
    """(L, I(T;X), I(T;Y)) for the linear encoder T = AX + ξ, ξ ~ N(0, I).

    I(T;X) = ½ log det(AΣ_xAᵀ + I), I(T;Y) = I(T;X) − ½ log det(AΣ_{x|y}Aᵀ + I).

    Contract
    --------
    A
        2-D real array, finite, non-empty.
    cov_x
        2-D real array, finite, non-empty (symmetric positive definite (checked after the shape)).
    cov_xy
        2-D real array, finite, non-empty.
    cov_y
        2-D real array, finite, non-empty (symmetric positive definite (checked after the shape)).
    beta
        finite real number > 0.
    Budget (1 GB / 1 core): A up to ~1000 × 1000. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    cx, _, _, cx_y = _conditional_cov(cov_x, cov_xy, cov_y)
    A = np.atleast_2d(v.array(A, "A", ndim=(1, 2), max_size=MAX_TABLE))
    if A.shape[1] != cx.shape[0]:
        raise ValueError(f"A must have shape (k, {cx.shape[0]}) (one column per coordinate of X); "
                         f"got shape {A.shape}")
    b = positive_scalar(beta, "beta")
    _limit(f"gaussian_ib_objective with A of shape {A.shape}", nbytes=8.0 * 6 * A.shape[0] * max(A.shape),
           operations=10.0 * A.shape[0] * max(A.shape) ** 2, hint="use fewer rows in A")
    eye = np.eye(A.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        m_x, m_xy = A @ cx @ A.T + eye, A @ cx_y @ A.T + eye
    if not (np.isfinite(m_x).all() and np.isfinite(m_xy).all()):
        raise ValueError(f"A is too large: A·cov_x·Aᵀ overflows float64 (largest |A| entry "
                         f"{np.max(np.abs(A)):g}); rescale A")
    ix = 0.5 * np.linalg.slogdet(m_x)[1]
    iy = ix - 0.5 * np.linalg.slogdet(m_xy)[1]
    return float(ix - b * iy), float(ix), float(iy)


def canonical_covariances(rhos) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Σ_x, Σ_xy, Σ_y) of unit-variance X, Y ∈ R^n with canonical correlations ``rhos``.

    Returns three (n, n) arrays.

    Contract
    --------
    rhos
        1-D real array, finite, entries >= 0 and < 1, non-empty; at most 4,194,304 entries.
    Budget (1 GB / 1 core): up to ~3000 correlations (three n × n matrices). Bad or too-large input
    raises ValueError naming the argument, before any allocation.
    """
    r = v.array(rhos, "rhos", ndim=1, atleast_1d=True, max_size=MAX_TABLE, low=0.0, high=1.0,
                high_open=True)
    _limit(f"canonical_covariances in dimension {r.size}", nbytes=8.0 * 3 * r.size**2,
           hint="use fewer canonical correlations")
    n = r.size
    return np.eye(n), np.diag(r), np.eye(n)


def gaussian_mi(cov, dx: int) -> float:
    """I(X;Y) = ½ log(det Σ_x det Σ_y / det Σ) for a joint covariance with X the first ``dx`` coordinates.

    Returns the MI in nats (>= 0).

    Contract
    --------
    cov
        2-D real array, finite, non-empty (symmetric positive definite (checked after the shape)).
    dx
        integer >= 1 (True and fractions refused) (< the size of cov).
    Budget (1 GB / 1 core): cov up to ~1000 × 1000. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    c = _check_cov(cov, "cov")
    if c.shape[0] < 2:
        raise ValueError(f"cov must be at least 2 × 2 (X and Y each need a coordinate); got shape {c.shape}")
    dx = v.integer(dx, "dx", low=1)
    if not 0 < dx < c.shape[0]:
        raise ValueError(f"dx must lie in [1, {c.shape[0] - 1}]; got {dx!r}")
    ld = lambda m: np.linalg.slogdet(m)[1]  # noqa: E731
    return float(0.5 * (ld(c[:dx, :dx]) + ld(c[dx:, dx:]) - ld(c)))


# ---------------------------------------------------------------------------------------------
# deterministic IB
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DIBCurve:
    """Deterministic IB (Strouse & Schwab): hard maps x ↦ t minimising H(T) − β I(T;Y).

    Attributes: ``betas``, ``H_T``, ``I_XT`` (= H(T) for a hard map), ``I_TY``,
    ``assignments`` (B, |X|) int, ``n_clusters`` (B,).
    """

    betas: np.ndarray
    H_T: np.ndarray
    I_XT: np.ndarray
    I_TY: np.ndarray
    assignments: np.ndarray
    n_clusters: np.ndarray


def _hard_stats(f, px, pyx, n_t):
    q = np.zeros((px.size, n_t))
    q[np.arange(px.size), f] = 1.0
    ix, iy, ht = _stats(q, px, pyx)
    return float(ht), float(iy)


def _dib_iterate(f, beta, px, pyx, neg_hyx, n_t, n_iter=100):
    for _ in range(n_iter):
        q = np.zeros((px.size, n_t))
        q[np.arange(px.size), f] = 1.0
        pt = px @ q
        pty = (q * px[:, None]).T @ pyx
        pyt = pty / np.maximum(pt[:, None], _TINY)
        kl = neg_hyx[:, None] - pyx @ np.log(np.maximum(pyt, _TINY)).T
        with np.errstate(divide="ignore"):
            score = np.where(pt > 0, np.log(np.maximum(pt, _TINY)), -np.inf)[None, :] - beta * kl
        new = np.argmax(score, axis=1)
        if np.array_equal(new, f):
            break
        f = new
    return f


def deterministic_ib(pxy, betas, *, n_t: int | None = None, n_init: int = 20, seed=0) -> DIBCurve:
    """Deterministic IB: min over hard maps f: x ↦ t of H(T) − β·I(T;Y).

    Update f(x) = argmax_t [log q(t) − β·KL(p(y|x) ‖ q(y|t))] to a fixed point, from ``n_init``
    random hard maps, the identity map and the previous β's solution (annealing); the lowest
    objective is kept. Strouse, Schwab — *The Deterministic Information Bottleneck*.

    Parameters
    ----------
    pxy : array_like of float, shape (|X|, |Y|)
        Joint table: finite, >= 0, summing to 1 within 1e-8.
    betas : array_like of float, shape (B,)
        Finite and > 0.
    n_t : int, optional, keyword-only
        Number of clusters allowed, an integer >= 1 (default |X|).
    n_init : int, keyword-only
        Random starting maps, an integer >= 0.
    seed : None, int >= 0 or numpy.random.Generator, keyword-only

    Sizes: about B·(n_init + 3)·100·(|X|·|T|·|Y| + 10⁴) operations in the worst case (≤ 2·10⁹,
    ~10 s on one core). Returns :class:`DIBCurve`.

    Contract
    --------
    pxy
        2-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (joint
        probability table p(x, y), summing to 1 within 1e-8).
    betas
        1-D real array, finite, entries > 0, non-empty; at most 4,194,304 entries (a scalar is taken
        as one beta).
    n_t
        integer >= 1 (True and fractions refused); or None.
    n_init
        integer >= 0 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    Budget (1 GB / 1 core): B·(n_init + 3)·100·(|X|·|T|·|Y| + 1e4) up to 2e9 operations. Bad or
    too-large input raises ValueError naming the argument, before any allocation.
    """
    p = _check_joint(pxy)
    b = _check_betas(betas)
    nx = p.shape[0]
    n_t = nx if n_t is None else v.integer(n_t, "n_t", low=1)
    n_init = v.integer(n_init, "n_init", low=0)
    _limit(f"deterministic_ib with {b.size} betas, n_init={n_init} and n_t={n_t}",
           nbytes=8.0 * 8 * nx * n_t * p.shape[1] + 8.0 * (n_init + 3) * nx,
           operations=b.size * (n_init + 3) * 100 * (nx * n_t * p.shape[1] + _STEP_OVERHEAD),
           hint="use fewer betas or n_init")
    rng = v.as_generator(seed)
    px, pyx, neg_hyx = _prep(p)
    inits = [np.arange(nx) % n_t, np.zeros(nx, int)] + [rng.integers(0, n_t, nx) for _ in range(n_init)]
    order = np.argsort(b)
    H = np.empty(b.size)
    I = np.empty(b.size)
    F = np.empty((b.size, nx), int)
    prev = None
    for i in order:
        best = None
        for f0 in inits + ([prev] if prev is not None else []):
            f = _dib_iterate(f0.copy(), b[i], px, pyx, neg_hyx, n_t)
            h, iy = _hard_stats(f, px, pyx, n_t)
            L = h - b[i] * iy
            if best is None or L < best[0] - 1e-12:
                best = (L, h, iy, f)
        _, H[i], I[i], F[i] = best
        prev = F[i]
    ncl = np.array([np.unique(f).size for f in F])
    return DIBCurve(betas=b, H_T=H, I_XT=H.copy(), I_TY=I, assignments=F, n_clusters=ncl)


def _set_partitions(n):
    """All set partitions of range(n) as label arrays (restricted growth strings)."""
    def rec(prefix, m):
        if len(prefix) == n:
            yield np.array(prefix)
            return
        for k in range(m + 1):
            yield from rec(prefix + [k], max(m, k + 1))
    yield from rec([0], 1)


# ---------------------------------------------------------------------------------------------
# MI estimators on samples
# ---------------------------------------------------------------------------------------------
def _as_samples(a, name):
    a = v.array(a, name, ndim=(1, 2), min_size=2, max_size=MAX_SAMPLES)
    return a[:, None] if a.ndim == 1 else a


def _same_n(x, y, nx: str, ny: str) -> int:
    v.same_length(x, y, nx, ny)
    return x.shape[0]


def _labels(labels, n: int) -> np.ndarray:
    y = v.array(labels, "labels", ndim=1, shape=(n,), max_size=MAX_SAMPLES)
    if not np.all(y == np.round(y)):
        raise ValueError("labels must be integer class labels; got a fractional entry")
    return y


def _pairwise_limit(what: str, n: int, n_arrays: int, hint: str) -> None:
    """O(N²) estimators: ``n_arrays`` float64 N × N arrays alive at once (measured peaks: ~7 for
    kolchinsky_tracey_bounds, ~8 for noisy_layer_information, ~3 for cauchy_schwarz_qmi)."""
    _limit(f"{what} on N = {n} samples", nbytes=8.0 * n_arrays * n * n, operations=20.0 * n * n,
           hint=hint)


def _discrete_mi_from_codes(cx, cy):
    _, jx = np.unique(cx, return_inverse=True)
    _, jy = np.unique(cy, return_inverse=True)
    joint = jx.ravel().astype(np.int64) * (jy.max() + 1) + jy.ravel()
    n = joint.size
    _, cj = np.unique(joint, return_counts=True)
    _, cxn = np.unique(jx, return_counts=True)
    _, cyn = np.unique(jy, return_counts=True)
    h = lambda c: float(-np.sum(c / n * np.log(c / n)))  # noqa: E731
    return max(h(cxn) + h(cyn) - h(cj), 0.0)


def _bin_codes(a, n_bins, lo, hi):
    idx = np.clip(np.floor((a - lo) / (hi - lo) * n_bins), 0, n_bins - 1).astype(np.int64)
    codes = np.zeros(a.shape[0], np.int64)
    mult = 1
    for j in range(a.shape[1]):
        if mult > 2**52:  # fall back to row hashing by np.unique on rows
            return np.unique(idx, axis=0, return_inverse=True)[1].ravel()
        codes = codes + idx[:, j] * mult
        mult *= n_bins
    return codes


def mi_binned(x, y, *, bins: int = 30) -> float:
    """Plug-in MI of samples after binning every coordinate into ``bins`` equal bins over its range.

    Biased upwards by about (#occupied cells)/(2N); not an estimate of the truth at small N.

    Parameters
    ----------
    x, y : array_like of float, shape (N,) or (N, d), N >= 2, same N
        Finite samples.
    bins : int, keyword-only
        Bins per coordinate, an integer in [1, 2³¹ − 1].

    Sizes: N·(d_x + d_y) up to ~4·10⁶ numbers on the 1 GB budget. Returns the MI in nats (>= 0).

    Contract
    --------
    x
        2-D real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2).
    y
        2-D real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2).
    bins
        integer >= 1 and <= 2.14748e+09 (True and fractions refused).
    Budget (1 GB / 1 core): N·d up to 4,194,304. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    x, y = _as_samples(x, "x"), _as_samples(y, "y")
    n = _same_n(x, y, "x", "y")
    bins = v.integer(bins, "bins", low=1, high=2**31 - 1)
    _limit(f"mi_binned on N = {n} samples", nbytes=8.0 * 8 * n * (x.shape[1] + y.shape[1] + 2),
           hint="subsample x and y")
    cx = _bin_codes(x, bins, x.min(0), x.max(0) + 1e-12)
    cy = _bin_codes(y, bins, y.min(0), y.max(0) + 1e-12)
    return _discrete_mi_from_codes(cx, cy)


def mi_ksg(x, y, *, k: int = 3, jitter: float = 1e-10, seed=0) -> float:
    """Kraskov–Stögbauer–Grassberger estimator (algorithm 1), max-norm, with scipy's cKDTree.

    I = ψ(k) + ψ(N) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩, n_x, n_y the marginal neighbours strictly
    inside the distance to the k-th neighbour in the joint space.
    Kraskov, Stögbauer, Grassberger — *Estimating Mutual Information*.

    Ties. The estimator assumes distinct sample points: with repeated values (discrete or
    rounded data) the k-th-neighbour distance is 0 and the counts are wrong (for X = Y a fair
    bit it returned −2.3 nats where the truth is log 2). As Kraskov et al. advise (and
    scikit-learn does), every coordinate gets independent noise of standard deviation
    ``jitter`` × (its standard deviation, or 1 if it is constant), from a generator seeded with
    ``seed``, so the result is reproducible; the noise moves continuous data by ~1e-10 of their
    scale and leaves the estimate unchanged, while tied points become distinct. (A constant
    column gets noise of scale ``jitter`` × max(1, |value|).)

    Parameters
    ----------
    x, y : array_like of float, shape (N,) or (N, d), N >= 2, same N
        Finite samples.
    k : int, keyword-only
        Neighbour order, an integer in [1, N − 1].
    jitter : float, keyword-only
        Relative noise against ties, in [0, 1e-3] (0 switches it off).
    seed : None, int >= 0 or numpy.random.Generator, keyword-only
        Seed of the jitter.

    Sizes: ~15·N·(k + 2)·log₂N·(d_x + d_y) operations up to 2·10⁹ (N up to ~5·10⁵ for 1-D x, y
    and k = 3: ~7 s on one core; 1.5·10⁵ points take ~1.6 s).
    Returns the estimate in nats (can be slightly negative for independent data: it is unbiased
    up to O(1/N), not clipped).

    Contract
    --------
    x
        2-D real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2).
    y
        2-D real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2).
    k
        integer >= 1 (True and fractions refused) (<= N - 1).
    jitter
        finite real number >= 0 and <= 0.001.
    seed
        None, an int >= 0 or a numpy.random.Generator.
    Budget (1 GB / 1 core): N up to ~5e5 for 1-D x, y and k = 3 (tree queries ~N·k·log N). Bad or
    too-large input raises ValueError naming the argument, before any allocation.
    """
    x, y = _as_samples(x, "x"), _as_samples(y, "y")
    n = _same_n(x, y, "x", "y")
    k = v.integer(k, "k", low=1, high=n - 1)
    jitter = v.in_range(jitter, "jitter", 0.0, 1e-3)
    rng = v.as_generator(seed)
    _limit(f"mi_ksg on N = {n} samples with k = {k}",
           nbytes=8.0 * 6 * n * (x.shape[1] + y.shape[1] + k + 2),
           operations=15.0 * n * (k + 2) * max(math.log2(n), 1.0) * (x.shape[1] + y.shape[1]),
           hint="subsample x and y")
    if jitter > 0:
        x = x + jitter * _scale(x) * rng.standard_normal(x.shape)
        y = y + jitter * _scale(y) * rng.standard_normal(y.shape)
    xy = np.hstack([x, y])
    d, _ = cKDTree(xy).query(xy, k=k + 1, p=np.inf)
    eps = np.nextafter(d[:, -1], 0)
    nx = cKDTree(x).query_ball_point(x, eps, p=np.inf, return_length=True) - 1
    ny = cKDTree(y).query_ball_point(y, eps, p=np.inf, return_length=True) - 1
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))


def _scale(a):
    """Per-column standard deviation (computed on the column divided by its largest magnitude,
    so that values near the float64 limit do not overflow), or max(1, |value|) for a constant
    column."""
    m = np.max(np.abs(a), axis=0)
    m = np.where(m > 0, m, 1.0)
    s = (a / m).std(axis=0) * m
    return np.where(s > 0, s, np.maximum(m, 1.0))


#: largest magnitude of samples in the pairwise estimators: squared distances stay finite
_MAX_ABS = 1e150


def _no_overflow(a: np.ndarray, name: str, sigma_name: str) -> None:
    big = float(np.max(np.abs(a)))
    if big > _MAX_ABS:
        raise ValueError(f"{name} must have entries of magnitude <= {_MAX_ABS:g} (squared distances would "
                         f"overflow float64); got {big:g}. The estimate depends on {name}/{sigma_name} only: "
                         f"rescale both by the same factor")


def _sq_dists(h):
    s = np.sum(h * h, axis=1)
    return np.maximum(s[:, None] + s[None, :] - 2 * h @ h.T, 0.0)


def kolchinsky_tracey_bounds(h, sigma: float) -> tuple[float, float]:
    """Lower and upper bounds on I(X;T) for T = h(X) + N(0, σ²I), X uniform over the rows of ``h``.

    upper = log N − (1/N) Σ_i log Σ_j exp(−‖h_i − h_j‖²/(2σ²))   (pairwise KL),
    lower = the same with 8σ² (pairwise Bhattacharyya). O(N²) memory and time.
    Kolchinsky, Tracey — *Estimating Mixture Entropy with Pairwise Distances*.

    Returns (lower, upper) in nats, both >= 0.

    Contract
    --------
    h
        real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2: a
        flattened (N, d) array is a valid input).
    sigma
        finite real number > 0.
    Budget (1 GB / 1 core): N up to ~2000 (N × N distances); entries of magnitude <= 1e150 (squared
    distances stay finite; rescale the samples and sigma together beyond). Bad or too-large input
    raises ValueError naming the argument, before any allocation.
    """
    h = _as_samples(h, "h")
    s = positive_scalar(sigma, "sigma")
    _no_overflow(h, "h", "sigma")
    _pairwise_limit("kolchinsky_tracey_bounds", h.shape[0], 8, "subsample the rows of h")
    d2 = _sq_dists(h)
    n = h.shape[0]
    up = math.log(n) - float(np.mean(logsumexp(-d2 / (2 * s * s), axis=1)))
    lo = math.log(n) - float(np.mean(logsumexp(-d2 / (8 * s * s), axis=1)))
    return max(lo, 0.0), max(up, 0.0)


def cauchy_schwarz_qmi(x, t, *, sigma_x: float = 1.0, sigma_t: float = 1.0) -> float:
    """Cauchy–Schwarz quadratic mutual information with Gaussian kernels (CS-IB's estimator).

    I_CS = log(tr(K_x K_t)/N²) + log(1ᵀK_x1·1ᵀK_t1/N⁴) − 2 log(1ᵀK_x K_t 1/N³); ≥ 0, and 0
    exactly for independent kernel-smoothed densities. Not Shannon MI.
    Yu et al. — *Cauchy–Schwarz Divergence Information Bottleneck for Regression*.

    Returns I_CS >= 0.

    Contract
    --------
    x
        2-D real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2).
    t
        2-D real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2).
    sigma_x
        finite real number > 0.
    sigma_t
        finite real number > 0.
    Budget (1 GB / 1 core): N up to ~2000 (two N × N kernels); entries of magnitude <= 1e150. Bad or
    too-large input raises ValueError naming the argument, before any allocation.
    """
    x, t = _as_samples(x, "x"), _as_samples(t, "t")
    _same_n(x, t, "x", "t")
    sx, st = positive_scalar(sigma_x, "sigma_x"), positive_scalar(sigma_t, "sigma_t")
    _no_overflow(x, "x", "sigma_x")
    _no_overflow(t, "t", "sigma_t")
    _pairwise_limit("cauchy_schwarz_qmi", x.shape[0], 6, "subsample x and t")
    n = x.shape[0]
    kx = np.exp(-_sq_dists(x) / (2 * sx * sx))
    kt = np.exp(-_sq_dists(t) / (2 * st * st))
    a = np.sum(kx * kt) / n**2
    b = kx.sum() * kt.sum() / n**4
    c = np.sum(kx.sum(1) * kt.sum(1)) / n**3
    return float(max(math.log(a) + math.log(b) - 2 * math.log(c), 0.0))


# ---------------------------------------------------------------------------------------------
# information plane of training
# ---------------------------------------------------------------------------------------------
def symmetric_task(*, n_inputs: int = 12, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """All 2^n binary patterns (±1) and a balanced label from a random symmetric quadratic form
    thresholded at its median (the Shwartz-Ziv–Tishby task, made in code; nothing downloaded).

    Returns (X of shape (2^n, n) float, y of shape (2^n,) int in {0, 1}).

    Contract
    --------
    n_inputs
        integer >= 2 and <= 16 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    Budget (1 GB / 1 core): 2**n_inputs patterns, n_inputs <= 16. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    n = v.integer(n_inputs, "n_inputs", low=2, high=16)
    rng = v.as_generator(seed)
    X = np.array(list(itertools.product([-1.0, 1.0], repeat=n)))
    W = rng.standard_normal((n, n))
    W = 0.5 * (W + W.T)
    score = np.einsum("ni,ij,nj->n", X, W, X) + X @ rng.standard_normal(n)
    # break ties deterministically so that the label is exactly balanced
    order = np.lexsort((np.arange(score.size), score))
    y = np.zeros(score.size, int)
    y[order[score.size // 2:]] = 1
    return X, y


@dataclass(frozen=True)
class TrainingRecord:
    """Activations of every hidden layer recorded during training.

    Attributes
    ----------
    activation : str
    epochs : ndarray (R,)
    layers : list of ndarray, each (R, N, width) float32
    labels : ndarray (N,) int
    train_accuracy : ndarray (R,)
    widths : tuple of int
    """

    activation: str
    epochs: np.ndarray
    layers: list
    labels: np.ndarray
    train_accuracy: np.ndarray
    widths: tuple


def _widths(widths) -> tuple:
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__len__") or not 1 <= len(widths) <= 10:
        raise ValueError(f"widths must be a sequence of 1 to 10 layer widths; got {widths!r}")
    return tuple(v.integer(w, "widths", low=1, high=1024) for w in widths)


def train_information_plane(*, activation: str = "tanh", widths=(10, 7, 5, 4, 3), epochs: int = 300,
                            record_every: int = 10, lr: float = 0.003, batch_size: int = 256,
                            train_fraction: float = 0.85, seed=0) -> TrainingRecord:
    """Train the 12-10-7-5-4-3-2 network on :func:`symmetric_task` and record hidden activations.

    torch is imported here only. Adam, cross-entropy on a random ``train_fraction`` of the
    4 096 patterns; every ``record_every`` epochs the activations of all patterns are stored
    (float32) so that any estimator can be applied afterwards without retraining.
    Shwartz-Ziv, Tishby — *Opening the Black Box of Deep Neural Networks via Information*;
    Saxe et al. — *On the Information Bottleneck Theory of Deep Learning*.

    torch's global random state is left untouched: weights and mini-batches come from a local
    ``torch.Generator`` seeded from ``seed``.

    Parameters
    ----------
    activation : {"tanh", "relu"}, keyword-only
    widths : sequence of int, keyword-only
        Hidden layer widths, 1 to 10 layers of 1 to 1 024 units each.
    epochs, record_every : int, keyword-only
        Integers >= 1.
    lr : float, keyword-only
        Adam's learning rate, finite and > 0.
    batch_size : int, keyword-only
        Integer >= 1.
    train_fraction : float, keyword-only
        In (0, 1], and leaving at least one training pattern.
    seed : None, int >= 0 or numpy.random.Generator, keyword-only

    Sizes (1 GB / 1 core, :mod:`kitlib.limits`): the records hold
    (epochs/record_every + 1)·4 096·(Σ widths + 2) float32 numbers (≤ ~6·10⁷), and training
    costs ~6·epochs·N_train·(Σ of layer products) operations (the default is ~1.6·10⁹).

    Contract
    --------
    activation
        one of 'tanh', 'relu'.
    widths
        a sequence of 1 to 10 integer widths in [1, 1024]; tested in tests/test_ib.py.
    epochs
        integer >= 1 (True and fractions refused).
    record_every
        integer >= 1 (True and fractions refused).
    lr
        finite real number > 0.
    batch_size
        integer >= 1 (True and fractions refused).
    train_fraction
        finite real number > 0 and <= 1.
    seed
        None, an int >= 0 or a numpy.random.Generator.
    Budget (1 GB / 1 core): records (epochs/record_every + 1)·4096·(Σ widths + 2) float32;
    ~6·epochs·N·weights operations (default ~1.6e9). Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    activation = one_of(activation, "activation", ("tanh", "relu"))
    widths = _widths(widths)
    epochs = v.integer(epochs, "epochs", low=1)
    record_every = v.integer(record_every, "record_every", low=1)
    lr = positive_scalar(lr, "lr")
    batch_size = v.integer(batch_size, "batch_size", low=1)
    train_fraction = v.in_range(train_fraction, "train_fraction", 0.0, 1.0, low_open=True)
    n = 2**12
    n_train = int(round(train_fraction * n))
    if n_train < 1:
        raise ValueError(f"train_fraction must leave at least one of the {n} patterns; "
                         f"got {train_fraction!r}")
    sizes = (12, *widths, 2)
    n_weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    n_records = epochs // record_every + 1
    _limit(f"train_information_plane with widths={widths}, epochs={epochs}, record_every={record_every}",
           nbytes=4.0 * n_records * n * (sum(widths) + 2) + 8.0 * 4 * n * max(sizes),
           operations=6.0 * epochs * n_train * n_weights + 2.0 * n_records * n * n_weights,
           hint="use fewer epochs, a larger record_every or narrower layers")
    rng = v.as_generator(seed)
    import torch

    X, y = symmetric_task(n_inputs=12, seed=int(rng.integers(2**31)))
    train = rng.permutation(n)[:n_train]
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        # Plain tensors rather than torch.nn.Linear, whose constructor draws a default
        # initialisation from torch's *global* generator; the draws below are the same numbers
        # Linear + uniform_(generator=gen) gave.
        layers = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            gain = 1.0 if activation == "tanh" else math.sqrt(2.0)  # Glorot / He
            bound = gain * math.sqrt(3.0 / a)
            w = torch.empty((b, a), dtype=torch.float64).uniform_(-bound, bound, generator=gen)
            bias = torch.full((b,), 0.0 if activation == "tanh" else 0.1, dtype=torch.float64)
            layers.append((w.requires_grad_(True), bias.requires_grad_(True)))
        act = torch.tanh if activation == "tanh" else torch.relu
        params = [p for layer in layers for p in layer]
        opt = torch.optim.Adam(params, lr=lr)
        Xt = torch.tensor(X)
        yt = torch.tensor(y)
        linear = torch.nn.functional.linear

        def forward(inp):
            hs = []
            h = inp
            for w, bias in layers[:-1]:
                h = act(linear(h, w, bias))
                hs.append(h)
            return linear(h, *layers[-1]), hs

        rec_epochs, rec_layers, acc = [], [[] for _ in range(len(widths) + 1)], []

        def record(ep):
            with torch.no_grad():
                logits, hs = forward(Xt)
                hs.append(torch.softmax(logits, dim=1))
            rec_epochs.append(ep)
            for j, h in enumerate(hs):
                rec_layers[j].append(h.numpy().astype(np.float32))
            acc.append(float((logits.argmax(1)[train] == yt[train]).double().mean()))

        record(0)
        tr = torch.tensor(train)
        for ep in range(1, epochs + 1):
            perm = tr[torch.randperm(tr.numel(), generator=gen)]
            for s in range(0, perm.numel(), batch_size):
                idx = perm[s:s + batch_size]
                logits, _ = forward(Xt[idx])
                loss = torch.nn.functional.cross_entropy(logits, yt[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            if ep % record_every == 0:
                record(ep)
    finally:
        torch.set_num_threads(n_threads)
    if not all(np.isfinite(h).all() for h in rec_layers[-1]):
        raise ValueError(f"training diverged (non-finite activations) with lr={lr!r}; use a smaller lr")
    return TrainingRecord(activation=activation, epochs=np.array(rec_epochs),
                          layers=[np.stack(l_) for l_ in rec_layers], labels=y,
                          train_accuracy=np.array(acc), widths=(*widths, 2))


def binned_layer_information(t, labels, *, n_bins: int = 30, lo: float | None = None,
                             hi: float | None = None) -> tuple[float, float]:
    """Binned (I(X;T), I(T;Y)) of a deterministic layer over a uniform finite input set.

    Every unit is cut into ``n_bins`` equal bins on [lo, hi] (default: the layer's range);
    since T is a function of X, I(X;T) = H(binned T) ≤ log N — it measures how the
    patterns cluster at the bin scale, not a property of the network alone (Saxe et al.).

    Parameters
    ----------
    t : array_like of float, shape (N,) or (N, d), N >= 2
        Finite activations, one row per input pattern.
    labels : array_like of int, shape (N,)
        Class label of each pattern.
    n_bins : int, keyword-only
        Integer in [1, 2³¹ − 1].
    lo, hi : float or None, keyword-only
        Finite bin range (default the range of ``t``); values outside fall in the end bins.

    Sizes: N·d up to ~4·10⁶ numbers on the 1 GB budget. Returns (I(X;T), I(T;Y)) in nats.

    Contract
    --------
    t
        real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2: a
        flattened (N, d) array is a valid input).
    labels
        1-D real array, finite, non-empty (one integer label per row of t).
    n_bins
        integer >= 1 and <= 2.14748e+09 (True and fractions refused).
    lo
        finite real number; or None.
    hi
        finite real number; or None.
    Budget (1 GB / 1 core): t up to 4,194,304 numbers. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    t = _as_samples(t, "t")
    y = _labels(labels, t.shape[0])
    n_bins = v.integer(n_bins, "n_bins", low=1, high=2**31 - 1)
    _limit(f"binned_layer_information on {t.shape} activations", nbytes=8.0 * 6 * t.size,
           hint="subsample the rows of t")
    if lo is not None and hi is not None and not real_scalar(hi, "hi") > real_scalar(lo, "lo"):
        raise ValueError(f"hi must be > lo; got lo={lo!r}, hi={hi!r}")
    lo = float(t.min()) if lo is None else real_scalar(lo, "lo")
    hi = float(t.max()) if hi is None else real_scalar(hi, "hi")
    if not hi > lo:
        hi = lo + 1.0
    codes = _bin_codes(t, n_bins, lo, hi + 1e-9 * (hi - lo))
    _, counts = np.unique(codes, return_counts=True)
    n = t.shape[0]
    h_t = float(-np.sum(counts / n * np.log(counts / n)))
    return h_t, _discrete_mi_from_codes(codes, y)


def noisy_layer_information(t, labels, *, sigma: float) -> tuple[float, float]:
    """(I(X;T), I(T;Y)) of the noisy layer T = h(X) + N(0, σ²I), X uniform over the rows of ``t``.

    I(X;T) is the Kolchinsky–Tracey pairwise-KL upper bound (see :func:`kolchinsky_tracey_bounds`);
    I(T;Y) = H(T) − H(T|Y) with both mixture entropies from the same pairwise-KL estimator,
    H(T) ≈ H(T|X) − (1/N) Σ_i log (1/N) Σ_j exp(−‖h_i − h_j‖²/(2σ²)) (the H(T|X) terms cancel).
    The noise makes MI finite and well defined, but its value is set by σ, as binned values
    are set by the bin width. O(N²): subsample the inputs for large N.

    Returns (I(X;T), I(T;Y)) in nats, 0 ≤ I(T;Y) ≤ I(X;T).

    Contract
    --------
    t
        real array, finite, non-empty; at most 4,194,304 entries ((N,) or (N, d) with N >= 2: a
        flattened (N, d) array is a valid input).
    labels
        1-D real array, finite, non-empty (one integer label per row of t).
    sigma
        finite real number > 0.
    Budget (1 GB / 1 core): N up to ~2000 (N × N distances); entries of magnitude <= 1e150 (squared
    distances stay finite; rescale the samples and sigma together beyond). Bad or too-large input
    raises ValueError naming the argument, before any allocation.
    """
    t = _as_samples(t, "t")
    y = _labels(labels, t.shape[0])
    s = positive_scalar(sigma, "sigma")
    _no_overflow(t, "t", "sigma")
    _pairwise_limit("noisy_layer_information", t.shape[0], 9, "subsample the rows of t")
    d2 = _sq_dists(t) / (2 * s * s)
    n = t.shape[0]

    def h_excess(idx):  # −(1/m) Σ_i log (1/m) Σ_j exp(−d²_ij/2σ²) over the sub-mixture idx
        sub = d2[np.ix_(idx, idx)]
        return math.log(idx.size) - float(np.mean(logsumexp(-sub, axis=1)))

    i_xt = h_excess(np.arange(n))
    h_cond = sum(np.mean(y == c) * h_excess(np.flatnonzero(y == c)) for c in np.unique(y))
    return max(i_xt, 0.0), float(min(max(i_xt - h_cond, 0.0), i_xt))
