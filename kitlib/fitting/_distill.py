"""Categorical (logit) distillation.

A private module of :mod:`kitlib.fitting`: import its public names from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from kitlib import _validate as _v
from kitlib import divergences as _dv
from kitlib._validate import integer_at_least, one_of, positive_scalar
from kitlib.divergences import _SUM_TOL, kl as _discrete_kl
from kitlib.fitting._common import MAX_CLASSES, MAX_LOGITS, MAX_STARTS, STUDENT_DIVERGENCES

__all__ = ["StudentFit", "softmax", "student_fit", "balanced_student_fit"]


def softmax(logits, *, temperature=1.0):
    r"""Tempered softmax exp(z_k/T)/Σ_j exp(z_j/T) along the last axis (log-sum-exp stable).

    Parameters
    ----------
    logits : array_like, shape (..., K)
        Finite real logits.
    temperature : float
        T > 0: T > 1 flattens (the "dark knowledge" of distillation), T < 1 sharpens.

    Returns
    -------
    ndarray, shape (..., K)

    Contract
    --------
    logits
        real array, finite, non-empty; at most 4,194,304 entries (shape (..., K)).
    temperature
        finite real number > 0.
    Budget (1 GB / 1 core): at most 4,194,304 logits. Bad or too-large input raises ValueError
    naming the argument, before any allocation.

    References
    ----------
    G. Hinton, O. Vinyals, J. Dean, "Distilling the Knowledge in a Neural Network", 2015.
    """
    z = _v.as_float_array(logits, "logits", max_size=MAX_LOGITS)
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"logits must have at least one class along the last axis; got shape "
                         f"{z.shape}")
    if not np.isfinite(z).all():
        raise ValueError("logits must be finite")
    t = positive_scalar(temperature, "temperature")
    return np.exp(special.log_softmax(z / t, axis=-1))


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields explicitly
class StudentFit:
    r"""A low-capacity softmax student fitted to a teacher distribution over K classes.

    Attributes
    ----------
    probs : ndarray, shape (K,)
        Student probabilities q.
    logits : ndarray, shape (K,)
        Student logits (centred: they sum to 0).
    coefficients : ndarray, shape (degree,)
        Coefficients on the Legendre polynomials P_1 … P_degree of the rescaled class index.
    value : float
        The minimised divergence at q.
    divergence : str
        The objective: a name of :data:`STUDENT_DIVERGENCES`, or ``"balanced"`` for
        :func:`balanced_student_fit`.
    weight : float or None
        w of :func:`balanced_student_fit` (w·KL(p‖q) + (1 − w)·KL(q‖p)), else None.
    """

    probs: np.ndarray
    logits: np.ndarray
    coefficients: np.ndarray
    value: float
    divergence: str
    weight: float | None


def _student_objective(theta, basis, log_p, divergence, w):
    logits = basis @ theta
    log_q = special.log_softmax(logits)
    q = np.exp(log_q)
    centred = basis - q @ basis  # ∂log q_k/∂θ = φ_k − E_q φ
    p = np.exp(log_p)
    value, grad = 0.0, np.zeros_like(theta)
    if divergence in ("forward_kl", "balanced"):
        c = 1.0 if divergence == "forward_kl" else w
        if c:
            value += c * float(np.dot(p, log_p - log_q))
            grad += c * ((q - p) @ basis)
    if divergence in ("reverse_kl", "balanced"):
        c = 1.0 if divergence == "reverse_kl" else 1.0 - w
        if c:
            diff = log_q - log_p
            value += c * float(np.dot(q, diff))
            grad += c * ((q * diff) @ centred)
    if divergence == "js":
        log_m = np.logaddexp(log_p, log_q) - math.log(2.0)
        value = 0.5 * float(np.dot(p, log_p - log_m) + np.dot(q, log_q - log_m))
        grad = 0.5 * ((q * (log_q - log_m)) @ centred)
    return value, grad


def _teacher(teacher_probs, degree) -> tuple[np.ndarray, int]:
    p = _v.as_float_array(teacher_probs, "teacher_probs", max_size=MAX_CLASSES,
                          what="a 1-D array of probabilities")
    degree = integer_at_least(degree, "degree", 1)
    if p.ndim != 1 or not np.isfinite(p).all():
        raise ValueError(f"teacher_probs must be a finite 1-D array; got shape {p.shape}")
    if p.size < degree + 1:
        raise ValueError(f"teacher_probs needs at least degree + 1 = {degree + 1} classes; got "
                         f"{p.size}")
    if p.min() < 0 or abs(p.sum() - 1.0) > _SUM_TOL:
        raise ValueError(f"teacher_probs must be non-negative and sum to 1 (tolerance "
                         f"{_SUM_TOL:.0e}); got min {p.min()!r} and sum {p.sum()!r}")
    return p, degree


def _require_positive_teacher(p: np.ndarray, objective: str) -> None:
    if p.min() <= 0:
        raise ValueError(f"teacher_probs must be > 0 for {objective} (KL(q‖p) is infinite where "
                         f"p = 0 < q); got min {p.min()!r}. Raise the teacher's temperature.")


def _fit_student(p, objective, w, degree, seed, n_starts) -> StudentFit:
    """The multi-start fit shared by :func:`student_fit` and :func:`balanced_student_fit`."""
    rng = _v.as_generator(seed, "seed")
    n_starts = _v.integer(n_starts, "n_starts", low=0, high=MAX_STARTS)
    p = p / p.sum()
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    K = p.size
    t = np.linspace(-1.0, 1.0, K)
    basis = np.polynomial.legendre.legvander(t, degree)[:, 1:]

    def polish(theta0, div, weight_):
        return optimize.minimize(_student_objective, theta0, args=(basis, log_p, div, weight_),
                                 jac=True, method="SLSQP", options={"maxiter": 500, "ftol": 1e-15})

    starts = [np.zeros(degree)]
    starts.append(polish(np.zeros(degree), "forward_kl", None).x)
    interior = (p >= np.roll(p, 1)) & (p >= np.roll(p, -1))
    interior[0] = p[0] >= p[1]
    interior[-1] = p[-1] >= p[-2]
    peaks = np.flatnonzero(interior)
    peaks = peaks[np.argsort(-p[peaks], kind="stable")][:3]
    for k in peaks:
        for width in (0.05, 0.15, 0.4):
            bump = -0.5 * ((t - t[k]) / width) ** 2
            coef, *_ = np.linalg.lstsq(np.c_[np.ones(K), basis], bump, rcond=None)
            starts.append(coef[1:])
    for _ in range(n_starts):
        starts.append(rng.normal(0.0, 3.0, size=degree))
    best = None
    for theta0 in starts:
        res = polish(theta0, objective, w)
        if best is None or res.fun < best.fun:
            best = res
    logits = basis @ best.x
    logits = logits - logits.mean()
    q = np.exp(special.log_softmax(logits))
    if objective == "balanced":
        value = w * _discrete_kl(p, q) + (1.0 - w) * _discrete_kl(q, p)
    else:
        value = _dv.divergence(p, q, objective)
    return StudentFit(q, logits, best.x.copy(), float(value), objective, w)


def student_fit(teacher_probs, divergence, *, degree=2, seed=0, n_starts=6):
    r"""Fit a low-capacity softmax student q to teacher probabilities p over K classes.

    Student: q = softmax(Σ_{j=1}^{degree} θ_j P_j(t_k)), t_k = 2k/(K − 1) − 1 the class index
    rescaled to [−1, 1] and P_j Legendre polynomials; ``degree=2`` is a softmax of a quadratic in
    the class index (2 parameters), which can make one bump but not two. Minimised:

    ==============  ==================================================================
    ``forward_kl``  KL(p‖q) (convex in θ: moment matching E_q φ = E_p φ; mass-covering)
    ``reverse_kl``  KL(q‖p) (mode-seeking; non-convex, one local minimum per mode)
    ``js``          Jensen–Shannon in nats
    ==============  ==================================================================

    BD-KD's weighted sum w·KL(p‖q) + (1 − w)·KL(q‖p) is :func:`balanced_student_fit`.

    Global by multi-start: θ = 0, the forward-KL solution, one bump on each of the teacher's
    three largest local maxima (three widths each), and ``n_starts`` random starts drawn from
    ``seed``; each polished by SLSQP with the exact gradient. Deterministic; about 10–20 ms.

    Parameters
    ----------
    teacher_probs : array_like, shape (K,)
        p: non-negative, summing to 1, K ≥ degree + 1. Strictly positive for any divergence
        that involves KL(q‖p) (a softmax student is never exactly 0); raise the teacher's
        temperature if some probabilities underflow.
    divergence : str
        One of :data:`STUDENT_DIVERGENCES`.
    degree : int, keyword-only
        Student capacity (number of parameters), ≥ 1.
    seed : int or numpy.random.Generator, keyword-only
    n_starts : int, keyword-only
        Random starts (≥ 0) on top of the deterministic ones.

    Returns
    -------
    StudentFit

    Contract
    --------
    teacher_probs
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 65,536 entries.
    divergence
        one of 'forward_kl', 'reverse_kl', 'js'.
    degree
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    n_starts
        integer >= 0 and <= 1000 (True and fractions refused).
    Budget (1 GB / 1 core): at most 65,536 classes. Bad or too-large input raises ValueError naming
    the argument, before any allocation.

    References
    ----------
    G. Hinton, O. Vinyals, J. Dean, "Distilling the Knowledge in a Neural Network", 2015.
    "Sinkhorn Distance Minimization for Knowledge Distillation" (SinKD).
    """
    p, degree = _teacher(teacher_probs, degree)
    divergence = one_of(divergence, "divergence", STUDENT_DIVERGENCES)
    if divergence == "reverse_kl":
        _require_positive_teacher(p, f"divergence={divergence!r}")
    return _fit_student(p, divergence, None, degree, seed, n_starts)


def balanced_student_fit(teacher_probs, weight, *, degree=2, seed=0, n_starts=6):
    r"""Fit the student of :func:`student_fit` to w·KL(p‖q) + (1 − w)·KL(q‖p).

    BD-KD's balance of the forward (mass-covering) and reverse (mode-seeking) KL: w = 1 is
    ``student_fit(p, "forward_kl")``, w = 0 ``student_fit(p, "reverse_kl")``. The objective is a
    weighted sum of two registry divergences, not a divergence name of its own (it is not in
    :data:`kitlib.divergences.DIVERGENCES`); the result's ``divergence`` field says
    ``"balanced"`` and ``weight`` holds w.

    Parameters
    ----------
    teacher_probs : array_like, shape (K,)
        p: non-negative, summing to 1, K ≥ degree + 1; strictly positive when w < 1.
    weight : float
        w ∈ [0, 1], the share of forward KL.
    degree, seed, n_starts
        As in :func:`student_fit` (keyword-only).

    Returns
    -------
    StudentFit

    Contract
    --------
    teacher_probs
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 65,536 entries.
    weight
        finite real number >= 0 and <= 1 (the share of forward KL).
    degree
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    n_starts
        integer >= 0 and <= 1000 (True and fractions refused).
    Budget (1 GB / 1 core): at most 65,536 classes. Bad or too-large input raises ValueError naming
    the argument, before any allocation.

    References
    ----------
    "BD-KD: Balancing the Divergences for Online Knowledge Distillation".
    """
    p, degree = _teacher(teacher_probs, degree)
    w = _v.real_scalar(weight, "weight", low=0.0, high=1.0)
    if w < 1.0:
        _require_positive_teacher(p, f"weight={w!r} < 1")
    return _fit_student(p, "balanced", w, degree, seed, n_starts)
