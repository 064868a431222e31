"""Diversity of a policy: entropy, coverage, distinct answers, pass@k."""

from __future__ import annotations

import numpy as np
from scipy import special

from kitlib import _validate as _v
from kitlib.rlhf._common import MAX_RESPONSES, _policy_and_ref, _prob

def entropy(policy) -> float:
    """Shannon entropy H(π) = −Σ π log π (nats).

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    pi = _prob(policy, "policy")
    return float(special.entr(pi).sum())


def coverage(policy, p_ref, *, c: float = 0.1) -> float:
    """π_ref-mass of the responses the policy keeps alive: Σ π_ref·1[π ≥ c·π_ref].

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    c
        finite real number > 0.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    pi, p = _policy_and_ref(policy, p_ref)
    cc = _v.positive_scalar(c, "c")
    return float(p[pi >= cc * p].sum())


def expected_distinct(policy, k) -> float:
    """Expected number of distinct responses in k draws: Σ_y 1 − (1 − π(y))^k.

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    k
        finite real number > 0.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    pi = _prob(policy, "policy")
    kk = _v.positive_scalar(k, "k")
    with np.errstate(divide="ignore"):
        return float(np.sum(-np.expm1(kk * np.log1p(-np.minimum(pi, 1.0)))))


_PASS_MAX_CELLS = 20_000_000  # prompts × k values held at once (160 MB of float64)
_UNBIASED_MAX_N = 10_000_000


def _pass_ks(k) -> np.ndarray:
    """``k`` as a float array of finite values >= 1 (a scalar becomes a 0-d array)."""
    if np.ndim(k) == 0:
        return np.asarray(_v.real_scalar(k, "k", low=1.0))
    if np.asarray(k).dtype == bool:
        raise _v.fail("k", "a number >= 1 or a 1-D array of them", k)
    return _v.array(k, "k", ndim=1, low=1.0)


def _counts(c, n: int) -> np.ndarray:
    """``c`` as an int64 array of integers in [0, n] (the kit's integer convention elementwise:
    integral floats accepted, booleans and fractions refused)."""
    if np.ndim(c) == 0:
        return np.asarray(_v.integer(c, "c", low=0, high=n), dtype=np.int64)
    if np.asarray(c).dtype == bool:
        raise _v.fail("c", f"an integer or integer array with 0 <= c <= n = {n}", c)
    arr = _v.array(c, "c", ndim=(1, 2), low=0.0, high=float(n))
    if not np.all(arr == np.floor(arr)):
        raise _v.fail("c", f"an integer or integer array with 0 <= c <= n = {n}", c)
    return arr.astype(np.int64)


def pass_at_k(p_correct, k):
    """pass@k averaged over prompts: mean_j 1 − (1 − p_j)^k (*Evaluating Large Language Models
    Trained on Code*).

    Parameters
    ----------
    p_correct : array_like of probabilities in [0, 1], any shape (each entry one prompt's chance
        that one sample is correct); entries up to 1 + 1e-12 are accepted as round-off of a sum
        Cπ and read as 1.
    k : number >= 1 (an integer in the usual meaning; real values interpolate) or a 1-D array.

    Returns
    -------
    float for scalar ``k``; a (len(k),) array for an array ``k``.

    Computed as −expm1(k·log1p(−p)), so p = 1e-12, k = 1e6 gives 9.999995e-7 (the naive
    1 − (1 − p)^k loses every digit). Budget: prompts × len(k) ≤ 2·10⁷ (160 MB); larger input is
    refused before allocating.

    Contract
    --------
    p_correct
        real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (any shape up to 2-D;
        entries in [0, 1] (1 + 1e-12 accepted as rounding, so 'above' is not generated)).
    k
        finite real number >= 1 (or a 1-D array of such values (one result per k)).
    Budget (1 GB / 1 core): prompts × len(k) up to 2·10⁷. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    pc = _v.array(p_correct, "p_correct", ndim=(0, 1, 2), min_size=0, max_size=MAX_RESPONSES,
                  finite=False)
    if pc.size == 0:
        raise ValueError("p_correct must hold at least one probability; got an empty array")
    if not (np.isfinite(pc).all() and (pc >= 0).all() and (pc <= 1 + 1e-12).all()):
        raise ValueError(f"p_correct must lie in [0, 1]; got values in [{np.nanmin(pc)!r}, "
                         f"{np.nanmax(pc)!r}]")
    kk = _pass_ks(k)
    if pc.size * kk.size > _PASS_MAX_CELLS:
        raise ValueError(f"p_correct.size × len(k) must be <= {_PASS_MAX_CELLS}; got "
                         f"{pc.size} × {kk.size}")
    with np.errstate(divide="ignore"):
        lq = np.log1p(-np.minimum(pc.ravel(), 1.0))
        out = np.mean(-np.expm1(np.multiply.outer(kk, lq)), axis=-1)
    return float(out) if kk.ndim == 0 else out


def pass_at_k_unbiased(n: int, c, k: int):
    """The unbiased estimator of pass@k from n samples with c correct: 1 − C(n−c, k)/C(n, k)
    (*Evaluating Large Language Models Trained on Code*).

    Computed as 1 − Π_{i=n−c+1}^{n} (1 − k/i) in log space (cumulative log1p over i), elementwise
    in ``c``; exactly 1 when n − c < k.

    Parameters
    ----------
    n : int >= 1, samples drawn per prompt (≤ 10⁷).
    c : int or integer array, correct samples, 0 ≤ c ≤ n.
    k : int, 1 ≤ k ≤ n.

    Returns
    -------
    float for scalar ``c``; an array of c's shape otherwise.

    Contract
    --------
    n
        integer >= 1 (True and fractions refused) (<= 10**7).
    c
        integer >= 0 (True and fractions refused) (<= n; or an integer array (elementwise)).
    k
        integer >= 1 (True and fractions refused) (<= n).
    Budget (1 GB / 1 core): c up to ~3e7 factors. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    n = _v.integer(n, "n", low=1, high=_UNBIASED_MAX_N)
    k = _v.integer(k, "k", low=1, high=n)
    cc = _counts(c, n)
    # S[m] = Σ_{i=k+1}^{m} log1p(−k/i) for m = k … n (S[k] = 0)
    i = np.arange(k + 1, n + 1, dtype=np.float64)
    S = np.concatenate([[0.0], np.cumsum(np.log1p(-k / i))])
    m = n - cc
    with np.errstate(invalid="ignore"):
        val = np.where(m < k, 1.0, 0.0 - np.expm1(S[n - k] - S[np.maximum(m, k) - k]))
    return float(val) if val.ndim == 0 else val


