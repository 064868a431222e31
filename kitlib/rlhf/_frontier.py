"""The KL-regularised optimum (tilt), its exact reward–KL frontier and the constrained form."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from kitlib import _validate as _v
from kitlib import divergences
from kitlib.rlhf._common import (_betas, _limit, _logp, _lse, _policy_and_ref, _pr, _prob,
                                 _rewards, _same_shape)

def expected_reward(policy, rewards) -> float:
    """E_π r = Σ_y π(y) r(y).

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    pi = _prob(policy, "policy")
    return float(pi @ _rewards(rewards, pi, ref="policy"))


def kl_to_ref(policy, p_ref) -> float:
    """KL(π‖π_ref) = Σ π log(π/π_ref) (0·log 0 = 0; +inf where π > 0 = π_ref).

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    pi, p = _policy_and_ref(policy, p_ref)
    return divergences.kl(pi, p)


def _tilt_log(logp: np.ndarray, r: np.ndarray, rmax: float, beta: np.ndarray) -> np.ndarray:
    """a = log π_ref + (r − r_max)/β, shape (B, M) for β of shape (B,)."""
    return logp[None, :] + (r[None, :] - rmax) / beta[:, None]


def tilt(p_ref, rewards, beta) -> np.ndarray:
    """The optimum of E_π r − β·KL(π‖π_ref): π_β(y) = π_ref(y)·e^{r(y)/β}/Z(β).

    Computed as π = exp(a − LSE(a)) with a = log π_ref + (r − r_max)/β, finite for any β > 0.

    Returns π_β, shape (M,).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    beta
        finite real number > 0.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.

    Examples
    --------
    >>> np.round(tilt(np.full(4, 0.25), [0, 1, 2, 3], 1.0), 6)
    array([0.032059, 0.087144, 0.236883, 0.643914])
    """
    p, r = _pr(p_ref, rewards)
    b = _v.positive_scalar(beta, "beta")
    logp = _logp(p)
    rmax = float(r[p > 0].max())
    a = _tilt_log(logp, r, rmax, np.array([b]))[0]
    return np.exp(a - _lse(a))


@dataclass(frozen=True)
class Frontier:
    """The exact reward–KL frontier of the tilts π_β, one entry per β.

    Attributes: ``beta``, ``reward`` = E_{π_β} r, ``kl`` = KL(π_β‖π_ref) (arrays of equal shape).
    """

    beta: np.ndarray
    reward: np.ndarray
    kl: np.ndarray


def frontier(p_ref, rewards, betas) -> Frontier:
    """Exact frontier R(β) = E_{π_β} r, KL(β) = R/β − log Z(β), vectorised over β.

    Stable form: with a = log π_ref + (r − r_max)/β, KL = Σ π·(r − r_max)/β − LSE(a), which does
    not cancel at tiny β (the naive R/β − log Z does). The slope is dR/dKL = β.

    Limits: β → ∞ gives KL → 0, R → E_ref r; β → 0 gives R → max r and
    KL → −log π_ref(argmax set).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    betas
        1-D real array, finite, entries > 0, non-empty; at most 4,194,304 entries (a scalar is taken
        as one beta).
    Budget (1 GB / 1 core): betas × responses up to ~4e6. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _betas(betas)
    _limit(f"frontier with {b.size} betas and {p.size} responses", nbytes=8.0 * 6 * b.size * p.size,
           hint="pass fewer betas")
    logp = _logp(p)
    sup = p > 0
    rmax = float(r[sup].max())
    a = _tilt_log(logp, r, rmax, b)
    lz = _lse(a)
    pi = np.exp(a - lz[:, None])
    x = (r - rmax)[None, :] / b[:, None]
    with np.errstate(invalid="ignore"):
        t = np.where(pi > 0, pi * x, 0.0)
    kl = np.maximum(t.sum(axis=1) - lz, 0.0)
    reward = pi @ r
    return Frontier(beta=b, reward=np.minimum(reward, rmax), kl=kl)


def _kl_max(p: np.ndarray, r: np.ndarray) -> float:
    sup = p > 0
    rmax = r[sup].max()
    return float(-np.log(p[sup & (r == rmax)].sum()))


@dataclass(frozen=True)
class ConstrainedPolicy:
    """Solution of max E_π r subject to KL(π‖π_ref) ≤ Δ: ``beta`` (0 when the budget reaches the
    restricted reference), ``policy``, ``reward``, ``kl``."""

    beta: float
    policy: np.ndarray
    reward: float
    kl: float


def kl_budget_policy(p_ref, rewards, kl_budget) -> ConstrainedPolicy:
    """Constrained form: max E_π r subject to KL(π‖π_ref) ≤ Δ.

    The answer is the tilt π_β with KL(β) = Δ (root-found in log β; KL is monotone in 1/β). If
    Δ ≥ −log π_ref(argmax set), it is π_ref restricted to the argmax set (``beta = 0``).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    kl_budget
        finite real number >= 0.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    delta = _v.nonnegative_scalar(kl_budget, "kl_budget")
    sup = p > 0
    rmax = float(r[sup].max())
    kmax = _kl_max(p, r)
    if delta >= kmax:
        pi = np.where(sup & (r == rmax), p, 0.0)
        pi = pi / pi.sum()
        return ConstrainedPolicy(0.0, pi, rmax, kmax)
    if delta == 0.0:
        return ConstrainedPolicy(math.inf, p.copy(), float(p @ r), 0.0)

    def g(x):
        return float(frontier(p, r, [math.exp(x)]).kl[0]) - delta

    span = rmax - float(r[sup].min())
    lo = hi = math.log(span)
    while g(lo) < 0 and lo > math.log(span) - 700:
        lo -= 2.0
    while g(hi) > 0:
        hi += 2.0
    if g(lo) < 0:  # budget within rounding of the maximum
        beta = math.exp(lo)
    else:
        beta = math.exp(optimize.brentq(g, lo, hi, xtol=1e-13, rtol=1e-13))
    f = frontier(p, r, [beta])
    return ConstrainedPolicy(beta, tilt(p, r, beta), float(f.reward[0]), float(f.kl[0]))


def dual_reward(p_ref, rewards, kl_budget) -> float:
    """Dual of the constrained problem: R*(Δ) = min_{β>0} β·(Δ + log E_ref e^{r/β}).

    Minimised over log β (convex in β); for Δ ≥ −log π_ref(argmax set) the infimum is max r.

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    kl_budget
        finite real number >= 0.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    delta = _v.nonnegative_scalar(kl_budget, "kl_budget")
    sup = p > 0
    rmax = float(r[sup].max())
    if delta >= _kl_max(p, r):
        return rmax
    logp = _logp(p)

    def obj(x):
        b = math.exp(x)
        return b * delta + rmax + b * float(_lse(logp + (r - rmax) / b))

    span = max(rmax - float(r[sup].min()), 1e-300)
    beta0 = kl_budget_policy(p, r, delta).beta
    x0 = math.log(beta0) if math.isfinite(beta0) and beta0 > 0 else math.log(span) + 10
    res = optimize.minimize_scalar(obj, bounds=(x0 - 3, x0 + 3), method="bounded",
                                   options={"xatol": 1e-10})
    return float(min(res.fun, obj(x0)))


def rlhf_objective(policy, p_ref, rewards, beta) -> float:
    """J(π) = E_π r − β·KL(π‖π_ref).

    Korbak's identity (*RL with KL penalties is better viewed as Bayesian inference*):
    J(q) = −β·KL(q‖π_β) + β·log Z(β), so maximising J is variational inference towards π_β.

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    beta
        finite real number > 0.
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _v.positive_scalar(beta, "beta")
    _same_shape(_prob(policy, "policy"), p)
    return expected_reward(policy, r) - b * kl_to_ref(policy, p)


