"""Best-of-N, exact: level probabilities F_k^N − F_{k−1}^N in log space, KL, win rate."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kitlib import _validate as _v
from kitlib.rlhf._common import (_SUM_TOL, MAX_RESPONSES, _limit, _lse, _pr, _prob,
                                 _same_shape)
from kitlib.rlhf._frontier import Frontier

def bon_kl_bound(n):
    """The popular best-of-N KL: log N − (N−1)/N (exact for continuous rewards, an upper bound
    otherwise).

    Returns a float for a scalar, else an array of the shape of ``n``.

    Contract
    --------
    n
        real array, finite, entries >= 1, non-empty; at most 4,194,304 entries (a scalar or an array
        of any shape up to 2-D).
    Budget (1 GB / 1 core): up to 4,194,304 values. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    arr = _v.array(n, "n", ndim=(0, 1, 2), max_size=MAX_RESPONSES, finite=False)
    if not (np.isfinite(arr).all() and (arr >= 1).all()):
        raise _v.fail("n", "finite and >= 1", n)
    out = np.log(arr) - (arr - 1.0) / arr
    return float(out) if out.ndim == 0 else out


def _log_neg_log_cdf(logP: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L_k = log(−log F_k) (−inf at the top level) and log(log F_k − log F_{k−1}) for level
    masses in increasing order; precise when F_k is within e^{−10⁴} of 1 or of 0."""
    lcum = np.logaddexp.accumulate(logP)  # log F_k
    ltail = np.concatenate([np.logaddexp.accumulate(logP[::-1])[::-1][1:], [-np.inf]])  # log(1−F_k)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        S = np.exp(np.minimum(ltail, 0.0))
        ratio = np.where(S > 0, -np.log1p(-np.minimum(S, 1.0)) / np.where(S > 0, S, 1.0), 1.0)
        upper = ltail + np.log(ratio)  # log(−log1p(−S))
        lower = np.log(-np.minimum(lcum, 0.0))
        L = np.where(ltail < math.log(0.5), upper, lower)
        L[-1] = -np.inf
        lF_prev = np.concatenate([[-np.inf], lcum[:-1]])
        lx = logP - lF_prev  # log(P_k / F_{k−1}); step = log1p(x)
        x = np.exp(np.minimum(lx, 30.0))
        small = lx + np.log(np.where(x > 0, np.log1p(x) / np.where(x > 0, x, 1.0), 1.0))
        log_step = np.where(lx > 30.0, np.log(np.logaddexp(0.0, lx)), small)
    return L, log_step


def _bon_log_q(logP: np.ndarray, log_n) -> np.ndarray:
    """log q_k = log(F_k^N − F_{k−1}^N), levels in increasing order; ``log_n`` scalar or (B,)."""
    ln = np.atleast_1d(np.asarray(log_n, dtype=np.float64))[:, None]
    L, log_step = _log_neg_log_cdf(logP)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        nlF = -np.exp(ln + L[None, :])  # N·log F_k
        d = -np.exp(ln + log_step[None, :])  # N·(log F_{k−1} − log F_k)
        lq = nlF + np.log(-np.expm1(d))
    return lq


@dataclass(frozen=True)
class BestOfN:
    """The exact best-of-N policy: ``policy`` over responses, ``reward`` = E r, ``kl`` =
    KL(π_bon‖π_ref), the bound log N − (N−1)/N as ``kl_bound``, ``n`` and the tie rule."""

    n: float
    policy: np.ndarray
    reward: float
    kl: float
    kl_bound: float
    ties: str


def _levels(p: np.ndarray, r: np.ndarray, ties: str):
    """Distinct ranks in increasing order: (values, masses, index of each response's level)."""
    _v.one_of(ties, "ties", ("draw_order", "identity"))
    sup = np.flatnonzero(p > 0)
    if ties == "draw_order":
        vals, inv = np.unique(r[sup], return_inverse=True)
        masses = np.bincount(inv, weights=p[sup], minlength=vals.size)
    elif ties == "identity":
        # a strict order on responses: higher reward first, then lower index first
        order = np.lexsort((-sup, r[sup]))  # increasing rank
        inv = np.empty(sup.size, dtype=np.intp)
        inv[order] = np.arange(sup.size)
        vals = r[sup][order]
        masses = p[sup][order]
    else:
        raise ValueError(f"ties must be 'draw_order' or 'identity'; got {ties!r}")
    return vals, masses, sup, inv


def best_of_n_levels(values, log_masses, *, log_n):
    """Best-of-N over reward levels given in log space (for huge N, e.g. N = e^{nΔ}).

    q_k = F_k^N − F_{k−1}^N computed as exp(N log F_k)·(−expm1(N(log F_{k−1} − log F_k))).

    Parameters
    ----------
    values : (K,) strictly increasing level values.
    log_masses : (K,) log π_ref-masses of the levels (log-sum-exp 0).
    log_n : float or (B,) array, log N ≥ 0.


    Returns
    -------
    log_q : (K,) or (B, K) log level probabilities under best-of-N.

    Contract
    --------
    values
        1-D real array, finite, non-empty; at most 4,194,304 entries (strictly increasing).
    log_masses
        1-D real array, no NaN, non-empty; at most 4,194,304 entries (log-masses, -inf allowed
        (empty level), log-sum-exp 0).
    log_n
        1-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (a scalar or a
        1-D array).
    Budget (1 GB / 1 core): len(log_n) × levels up to ~4e6. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    v = _v.array(values, "values", ndim=1, max_size=MAX_RESPONSES)
    lP = _v.array(log_masses, "log_masses", ndim=1, max_size=MAX_RESPONSES, finite=False)
    if v.shape != lP.shape:
        raise ValueError(f"values and log_masses must be 1-D of equal shape; got {v.shape}, {lP.shape}")
    if v.size > 1 and not (np.diff(v) > 0).all():
        raise ValueError("values must be strictly increasing")
    if np.isnan(lP).any() or (lP == np.inf).any():
        raise ValueError("log_masses must not contain NaN or +inf (−inf marks an empty level)")
    total = float(_lse(lP))
    if not abs(total) <= _SUM_TOL:
        raise ValueError(f"log_masses must have log-sum-exp 0 (masses summing to 1, tolerance "
                         f"{_SUM_TOL:.0e}); got {total!r}. Subtract scipy.special.logsumexp(log_masses).")
    ln = _v.array(log_n, "log_n", ndim=(0, 1), max_size=MAX_RESPONSES, low=0.0)
    _limit(f"best_of_n_levels with {ln.size} values of log_n and {v.size} levels",
           nbytes=8.0 * 8 * ln.size * v.size, hint="pass fewer values of log_n")
    lq = _bon_log_q(lP, ln)
    return lq[0] if ln.ndim == 0 else lq


def best_of_n(p_ref, rewards, n, *, ties: str = "draw_order") -> BestOfN:
    """The exact best-of-N policy (Beirami et al., *Theoretical guarantees on the best-of-n
    alignment policy*).

    With distinct reward levels v_1 < … < v_K, π_ref-masses P_k and CDF F_k, drawing N responses
    from π_ref and returning the best gives level probabilities q_k = F_k^N − F_{k−1}^N.

    * ``ties="draw_order"`` (what ``argmax`` over the draws does): within a level the mass stays
      proportional to π_ref. KL = Σ_k q_k log(q_k/P_k) ≤ log N − (N−1)/N.
    * ``ties="identity"``: among equal rewards the response with the lower index wins; every
      response is its own level, which gives a different (higher-KL) distribution.

    ``n`` may be any real ≥ 1 (computed in log space).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    n
        finite real number >= 1.
    ties
        one of 'draw_order', 'identity'.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    nn = _v.real_scalar(n, "n", low=1.0)
    vals, masses, sup, inv = _levels(p, r, ties)
    lP = np.log(masses)
    lq = _bon_log_q(lP, math.log(nn))[0]
    q = np.exp(lq)
    policy = np.zeros_like(p)
    policy[sup] = np.exp(lq[inv] - lP[inv]) * p[sup]
    policy /= policy.sum()
    kl = float(np.sum(np.where(q > 0, q * (lq - lP), 0.0)))
    return BestOfN(nn, policy, float(min(q @ vals, vals[-1])), max(kl, 0.0),
                   float(bon_kl_bound(nn)), ties)


def best_of_n_curve(p_ref, rewards, ns, *, ties: str = "draw_order") -> Frontier:
    """Exact (KL, reward) of best-of-N for many N at once (``beta`` holds N here).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    ns
        1-D real array, finite, entries >= 1, non-empty; at most 4,194,304 entries.
    ties
        one of 'draw_order', 'identity'.
    Budget (1 GB / 1 core): len(ns) × distinct rewards up to ~4e6. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    ns = _v.array(ns, "ns", ndim=1, atleast_1d=True, max_size=MAX_RESPONSES, low=1.0)
    vals, masses, _, _ = _levels(p, r, ties)
    _limit(f"best_of_n_curve with {ns.size} values of N and {vals.size} levels",
           nbytes=8.0 * 6 * ns.size * vals.size, hint="pass fewer values of N")
    lP = np.log(masses)
    lq = _bon_log_q(lP, np.log(ns))
    q = np.exp(lq)
    with np.errstate(invalid="ignore"):
        kl = np.where(q > 0, q * (lq - lP[None, :]), 0.0).sum(axis=1)
    return Frontier(beta=ns, reward=np.minimum(q @ vals, vals[-1]), kl=np.maximum(kl, 0.0))


def win_rate(policy, p_ref, rewards) -> float:
    """P(r(Y) > r(Y')) + ½·P(r(Y) = r(Y')) for Y ~ π, Y' ~ π_ref. Best-of-N: ≤ N/(N+1).

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    pi = _prob(policy, "policy")
    _same_shape(pi, p)
    vals, inv = np.unique(r, return_inverse=True)
    P = np.bincount(inv, weights=p, minlength=vals.size)
    Q = np.bincount(inv, weights=pi, minlength=vals.size)
    below = np.cumsum(P) - P
    return float(Q @ (below + 0.5 * P))


