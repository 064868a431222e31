"""RLHF reward–KL frontiers: exact tilts, best-of-N, f-regularised optima, KL estimators, toys.

Notation: ``p_ref`` is the reference policy π_ref (probabilities over M responses), ``rewards`` the
reward r(y) of each response, and **KL means KL(π‖π_ref)** (the "reverse" KL that RLHF penalises)
unless a name says otherwise. Natural logarithms, float64 throughout.

Which function to choose
------------------------
* The KL-regularised optimum and its frontier: :func:`tilt`, :func:`frontier` (vectorised over β,
  log-space, no cancellation at tiny β), :func:`kl_budget_policy` (constrained form KL ≤ Δ) and
  :func:`dual_reward` (its dual), :func:`rlhf_objective` (Korbak's identity).
* Best-of-N, exact: :func:`best_of_n`, :func:`best_of_n_curve` (many N at once),
  :func:`best_of_n_levels` (level masses given in log space, huge N through ``log_n``),
  :func:`bon_kl_bound` = log N − (N−1)/N, :func:`win_rate`.
* Other regularisers (f-DPO): :func:`f_regularized_policy`, :func:`f_divergence_value`,
  :func:`f_regularized_batch` (many prompts) and :func:`matched_beta` (β at an exactly matched
  mean reward or pass@1).
* Diversity: :func:`entropy`, :func:`coverage`, :func:`expected_distinct`, :func:`pass_at_k`,
  :func:`pass_at_k_unbiased`.
* Training: :func:`kl_estimates` (Schulman's k1, k2, k3), :func:`train_policy` (torch REINFORCE),
  :func:`dpo_policy` (DPO / f-DPO on Bradley–Terry pairs), :func:`natural_pg_path`,
  :func:`vanilla_pg_path`.
* Toys: :func:`categorical_lm`, :func:`prompts_toy`, :func:`memoryless_bon`,
  :func:`goodhart_tilt`, :func:`goodhart_bon`, :func:`fit_gao`.

Conventions. The α of :func:`f_regularized_policy` is f-DPO's α, i.e. Minka's α with p = π_ref:
D_α = (1 − Σ π_ref^α π^{1−α}) / (α(1 − α)); α → 0 is reverse KL(π‖π_ref), α → 1 forward
KL(π_ref‖π). (TRL's α is 1 − this α since its DPO refactor.) Best-of-N breaks ties by draw order
(the first of the tied best draws is returned) unless ``ties="identity"``. Where π_ref = 0,
:func:`f_regularized_policy` is exact for reverse KL and χ² (0 there) and forward KL (which may put
mass there, see notebook 05), and restricts JS, α and TV to supp π_ref.

Seed papers: *Asymptotics of Language Model Alignment* (Yang et al. 2024); *RL with KL penalties is
better viewed as Bayesian inference* (Korbak, Perez, Buckley 2022); *Beyond Reverse KL: Generalizing
Direct Preference Optimization with Diverse Divergence Constraints* (Wang et al. 2023); *Aligning
Language Models with Preferences through f-divergence Minimization* (Go et al. 2023);
*Theoretical guarantees on the best-of-n alignment policy* (Beirami et al. 2024); *Scaling Laws for
Reward Model Overoptimization* (Gao, Schulman, Hilton 2022); *Approximating KL Divergence*
(Schulman 2020).

Importing this module imports neither matplotlib nor torch; only :func:`train_policy` and
:func:`dpo_policy` import torch.

Argument contract (every public function; the machine-readable table is ``kitlib.contracts.rlhf``)
-----------------------------------------------------------------------------------------------
* Probability vectors (``p_ref``, ``policy``): 1-D float arrays, finite, >= 0, summing to 1
  within 1e-8 (then renormalised exactly), at most ``MAX_RESPONSES`` = 2²² entries.
* ``rewards``: finite floats of the shape of the probability vector they go with.
* β, learning rates, ``delta``, ``c``, ``k`` of pass@k: finite real numbers > 0; ``kl_budget`` >= 0.
* Counts (``steps``, ``batch``, ``n_pairs``, ``m``, ``n_tokens``, ...) are integers; ``True`` and
  fractions such as 2.5 are refused, never truncated. ``seed``: None, an int >= 0 or a
  ``numpy.random.Generator``; global random state (numpy's, torch's) is never touched.
* Sizes: every call estimates its memory and work from the argument sizes and, past
  :mod:`kitlib.limits` (256 MiB and ~2·10⁹ operations, a 1 GB / 1-core budget), refuses before
  allocating with a ``ValueError`` naming the limit and a cheaper route. The largest size each
  function accepts at the default limits is stated in its docstring.
* Every refusal is a ``ValueError`` whose message names the argument, what is allowed and the
  value received.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from kitlib import _validate as _v

__all__ = [
    # KL-regularised optimum
    "Frontier", "tilt", "frontier", "ConstrainedPolicy", "kl_budget_policy", "dual_reward",
    "expected_reward", "kl_to_ref", "rlhf_objective",
    # best-of-N
    "BestOfN", "best_of_n", "best_of_n_curve", "best_of_n_levels", "bon_kl_bound", "win_rate",
    # f-regularised
    "F_REGULARIZERS", "f_regularized_policy", "f_regularized_batch", "matched_beta",
    "f_divergence_value",
    # diversity
    "entropy", "coverage", "expected_distinct", "pass_at_k", "pass_at_k_unbiased",
    # training
    "kl_estimates", "train_policy", "dpo_policy", "natural_pg_path", "vanilla_pg_path",
    # toys
    "categorical_lm", "prompts_toy", "MemorylessBoN", "memoryless_bon", "goodhart_tilt",
    "goodhart_bon", "goodhart_lambda_star", "fit_gao",
]

_SUM_TOL = _v.PROB_TOL
#: largest probability vector (and rewards) on the 1 GB budget
MAX_RESPONSES = 2**22
F_REGULARIZERS = ("reverse_kl", "forward_kl", "js", "alpha", "chi2", "tv")


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------
def _prob(p, name: str = "p_ref") -> np.ndarray:
    return _v.probability_vector(p, name, max_size=MAX_RESPONSES)


def _rewards(r, p: np.ndarray, name: str = "rewards", ref: str = "p_ref") -> np.ndarray:
    arr = _v.array(r, name, ndim=(0, 1, 2), max_size=MAX_RESPONSES, finite=False)
    if arr.shape != p.shape:
        raise ValueError(f"{name} must have the shape of {ref} {p.shape}; got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; got {int((~np.isfinite(arr)).sum())} non-finite entries")
    with np.errstate(over="ignore"):
        span = arr.max() - arr.min() if arr.size else 0.0
    if not np.isfinite(span):
        raise ValueError(f"{name} must span a finite range (max − min overflows float64); got "
                         f"min {arr.min():g} and max {arr.max():g}. Rescale the rewards.")
    return arr


def _positive(x, name: str) -> float:
    return _v.positive_scalar(x, name)


def _budget(x) -> float:
    return _v.nonnegative_scalar(x, "kl_budget")


def _betas(betas) -> np.ndarray:
    return _v.array(betas, "betas", ndim=1, atleast_1d=True, max_size=MAX_RESPONSES, low=0.0,
                    low_open=True)


#: operations charged for the fixed cost of one small step, so that many tiny steps are not
#: free (measured on one busy core: a vanilla_pg_path step ~0.16 ms, a train_policy step ~1.7 ms;
#: the limit of 2e9 operations is ~10 s)
_STEP_OVERHEAD = 1e5
_TORCH_STEP_OVERHEAD = 3e5


def _limit(what: str, *, nbytes: float = 0.0, operations: float = 0.0, hint: str) -> None:
    """Refuse, before allocating, a call whose estimated memory or work passes kitlib.limits."""
    _v.check_budget(what, nbytes, hint=hint)
    _v.check_work(what, operations, hint=hint)


def _torch_seed(seed) -> int:
    """An int seed for a local torch.Generator: the seed itself, or drawn from a Generator."""
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)) and seed >= 0:
        return int(seed)
    return int(_v.as_generator(seed).integers(2**63))  # refuses a bad seed, naming it


def _pr(p_ref, rewards) -> tuple[np.ndarray, np.ndarray]:
    p = _prob(p_ref)
    return p, _rewards(rewards, p)


def _logp(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(p)


def _lse(a: np.ndarray, axis: int = -1) -> np.ndarray:
    return special.logsumexp(a, axis=axis)


# ---------------------------------------------------------------------------------------------
# 1. the KL-regularised optimum and its frontier
# ---------------------------------------------------------------------------------------------
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
    pi, p = _prob(policy, "policy"), _prob(p_ref)
    if pi.shape != p.shape:
        raise ValueError(f"policy and p_ref must have the same shape; got {pi.shape} and {p.shape}")
    return float(np.sum(special.rel_entr(pi, p)))


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
    b = _positive(beta, "beta")
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
    delta = _budget(kl_budget)
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
    delta = _budget(kl_budget)
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
    b = _positive(beta, "beta")
    if _prob(policy, "policy").shape != p.shape:
        raise ValueError(f"policy and p_ref must have the same shape; got {np.shape(policy)} and {p.shape}")
    return expected_reward(policy, r) - b * kl_to_ref(policy, p)


# ---------------------------------------------------------------------------------------------
# 2. best-of-N, exact
# ---------------------------------------------------------------------------------------------
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
        raise ValueError(f"n must be finite and >= 1; got {_v._fmt(n)}")
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


def _check_n(n) -> float:
    return _v.real_scalar(n, "n", low=1.0)


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
    nn = _check_n(n)
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
    if pi.shape != p.shape:
        raise ValueError(f"policy and p_ref must have the same shape; got {pi.shape} and {p.shape}")
    vals, inv = np.unique(r, return_inverse=True)
    P = np.bincount(inv, weights=p, minlength=vals.size)
    Q = np.bincount(inv, weights=pi, minlength=vals.size)
    below = np.cumsum(P) - P
    return float(Q @ (below + 0.5 * P))


# ---------------------------------------------------------------------------------------------
# 3. f-regularised optima (f-DPO)
# ---------------------------------------------------------------------------------------------
def _check_div(divergence: str, alpha):
    if not isinstance(divergence, str) or divergence not in F_REGULARIZERS:
        raise ValueError(f"divergence must be one of {list(F_REGULARIZERS)}; got {divergence!r}")
    if divergence == "alpha":
        return _v.real_scalar(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True,
                              allowed="a real number in the open interval (0, 1) for "
                                      "divergence='alpha'")
    if alpha is not None:
        raise ValueError(f"alpha is only used by divergence='alpha'; got alpha={alpha!r}")
    return None


def _u_of(divergence: str, r: np.ndarray, lam: float, beta: float, alpha) -> np.ndarray:
    """u = π/π_ref = (f′)⁻¹((r − λ)/β) on the levels."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if divergence == "forward_kl":
            return beta / (lam - r)
        v = (r - lam) / beta
        if divergence == "js":
            return 1.0 / (2.0 * np.exp(-v) - 1.0)
        if divergence == "alpha":
            return np.exp(-np.log1p(-alpha * v) / alpha)
        if divergence == "chi2":
            return np.maximum(0.0, 1.0 + 0.5 * v)
    raise AssertionError(divergence)


def f_regularized_policy(p_ref, rewards, beta, divergence: str, *, alpha=None) -> np.ndarray:
    """The exact optimum of E_π r − β·D_f(π‖π_ref), D_f(π‖π_ref) = Σ π_ref·f(π/π_ref).

    KKT: u = π/π_ref = (f′)⁻¹((r − λ)/β) with λ fixed by Σ π_ref·u = 1 (a monotone 1-D root find,
    scipy's brentq on a bracket known in closed form). u depends on y only through r(y).

    ============  =============================================  ===========================
    divergence    f(u)                                           u = (f′)⁻¹(v)
    ============  =============================================  ===========================
    reverse_kl    u log u                                        e^{v−1} (the tilt)
    forward_kl    −log u  (KL(π_ref‖π))                          β/(λ − r) on supp π_ref
    js            u log u − (u+1) log((u+1)/2)  (2·JSD)          e^v/(2 − e^v)
    alpha         (u^{1−α} − (1−α)u − α)/(α(α−1)), α ∈ (0, 1)   (1 − αv)^{−1/α}
    chi2          (u − 1)²                                       max(0, 1 + v/2)
    tv            ½|u − 1|                                       greedy (see below)
    ============  =============================================  ===========================

    α is f-DPO's α (*Beyond Reverse KL: Generalizing Direct Preference Optimization with Diverse
    Divergence Constraints*), i.e. Minka's α with p = π_ref: α → 0 is reverse KL, α → 1 forward KL.
    Total variation: every response with r < max r − β gives all its mass to the argmax set
    (proportionally to π_ref); the rest keep π_ref.

    Responses outside supp π_ref (π_ref = 0). ``reverse_kl`` and ``chi2`` charge an infinite price
    for mass there, so their optima are exactly 0 there. ``forward_kl`` (KL(π_ref‖π)) charges
    nothing outside the support, and its optimum may put mass there (derived in the notebook-05
    brief): inside, π = βπ_ref/(λ − r) with λ ∈ [r_S + β·P_top, r_S + β] from Σ = 1 (r_S the best
    in-support reward, P_top its π_ref-mass); if the best outside reward r_O exceeds that λ, then
    λ = r_O and the rest 1 − Σ_S βπ_ref/(r_O − r) is split equally among the outside responses
    with reward r_O (any split is optimal; equal is the convention). Binary reward with no correct
    answer inside: the outside correct answers get 1 − β (β < 1). With a full-support π_ref
    nothing changes. ``js``, ``alpha`` and ``tv`` charge a finite price per unit of mass outside
    (β·log 2, β/α, β/2); this function **restricts them to supp π_ref** (a convention: their
    unrestricted optima can leave the support when an outside reward is high enough).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    beta
        finite real number > 0.
    divergence
        one of 'reverse_kl', 'forward_kl', 'js', 'alpha', 'chi2', 'tv'.
    alpha
        finite real number > 0 and < 1; or None (only (and required) for divergence='alpha').
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _positive(beta, "beta")
    a = _check_div(divergence, alpha)
    if divergence == "reverse_kl":
        return tilt(p, r, b)
    sup = p > 0
    rmax = float(r[sup].max())
    top = sup & (r == rmax)
    if divergence == "tv":
        pi = np.where(r >= rmax - b, p, 0.0)
        pi = np.where(sup, pi, 0.0)
        moved = 1.0 - pi.sum()
        pi = pi + np.where(top, p / p[top].sum() * moved, 0.0)
        return pi / pi.sum()
    vals, inv = np.unique(r[sup], return_inverse=True)
    P = np.bincount(inv, weights=p[sup], minlength=vals.size)
    Ptop = P[-1]
    if vals.size == 1:
        if divergence == "forward_kl":
            return _forward_kl_outside(p, r, b, p.copy(), rmax + b)
        return p.copy()
    # shifted variable t = λ − r_max keeps the bracket well scaled
    if divergence == "forward_kl":
        lo, hi = b * Ptop, b
    elif divergence == "js":
        lo, hi = -b * math.log(2.0 / (1.0 + Ptop)), 0.0
    elif divergence == "alpha":
        lo, hi = -b * (1.0 - Ptop**a) / a, 0.0
    else:  # chi2
        lo, hi = -2.0 * b * (1.0 / Ptop - 1.0), 0.0
    x = vals - rmax

    def g(t):
        return float(P @ _u_of(divergence, x, t, b, a)) - 1.0

    if g(lo) <= 0:
        t = lo
    elif g(hi) >= 0:
        t = hi
    else:
        t = optimize.brentq(g, lo, hi, xtol=1e-15 * max(1.0, abs(lo)), rtol=4 * np.finfo(float).eps,
                            maxiter=500)
    u = _u_of(divergence, x, t, b, a)
    pi = np.zeros_like(p)
    pi[sup] = p[sup] * u[inv]
    pi = pi / pi.sum()
    if divergence == "forward_kl":
        return _forward_kl_outside(p, r, b, pi, rmax + t)
    return pi


def _forward_kl_outside(p: np.ndarray, r: np.ndarray, b: float, pi: np.ndarray,
                        lam: float) -> np.ndarray:
    """The forward-KL optimum once the in-support multiplier ``lam`` is known.

    KKT for max Σπr + βΣπ_ref log π subject to Σπ = 1, π ≥ 0: outside supp π_ref a response can
    hold mass only if its reward equals λ, and every outside reward must be ≤ λ. So if the best
    outside reward r_O exceeds the in-support λ, λ = r_O: inside π = βπ_ref/(r_O − r), and the
    rest goes to the outside responses with r = r_O, in equal shares. Otherwise ``pi`` stands.
    """
    out = p == 0
    if not out.any():
        return pi
    r_out = float(r[out].max())
    if not r_out > lam:
        return pi
    inside = np.where(out, 0.0, p * b / np.where(out, 1.0, r_out - r))
    top = out & (r == r_out)
    rest = max(1.0 - float(inside.sum()), 0.0)
    return inside + np.where(top, rest / top.sum(), 0.0)


def f_regularized_batch(p_ref, rewards, beta, divergence: str) -> np.ndarray:
    """:func:`f_regularized_policy` for many prompts at once (rows of ``p_ref`` and ``rewards``,
    shape (P, M)), for ``"reverse_kl"`` (closed form), ``"forward_kl"`` and ``"js"`` (vectorised
    bisection on t = λ − max r over the bracket of :func:`f_regularized_policy`, forward KL
    [β·P_top, β], JS [−β·log(2/(1 + P_top)), 0]; at most 200 halvings: exact to rounding).
    Forward KL may put mass outside supp π_ref, as in :func:`f_regularized_policy`; JS stays
    inside it (the kit's convention, documented there).

    ``"js"`` is the kit's 2·JSD generator f(u) = u log u − (u+1) log((u+1)/2), so
    u = 1/(2e^{(λ − r)/β} − 1); a regulariser β·JSD is the same family at β/2.

    Contract
    --------
    p_ref
        probability vector(s) along the last axis: finite, >= 0, summing to 1 within 1e-08; at most
        4,194,304 entries (one vector per row).
    rewards
        2-D real array, finite, non-empty; at most 4,194,304 entries.
    beta
        finite real number > 0.
    divergence
        one of 'reverse_kl', 'forward_kl', 'js'.
    Budget (1 GB / 1 core): prompts × responses up to ~4e6 (200 bisection steps). Bad or too-large
    input raises ValueError naming the argument, before any allocation.
    """
    p = _v.probability_vector(p_ref, "p_ref", ndim=2, max_size=MAX_RESPONSES)
    r = _v.array(rewards, "rewards", ndim=2, shape=p.shape, max_size=MAX_RESPONSES)
    _limit(f"f_regularized_batch on {p.shape[0]} prompts × {p.shape[1]} responses",
           nbytes=8.0 * 8 * p.size, operations=5.0 * 200 * p.size, hint="pass fewer prompts at once")
    b = _positive(beta, "beta")
    _v.one_of(divergence, "divergence", ("reverse_kl", "forward_kl", "js"))
    rmax = np.where(p > 0, r, -np.inf).max(1, keepdims=True)
    x = r - rmax
    if divergence == "reverse_kl":
        a = _logp(p) + x / b
        return np.exp(a - _lse(a)[:, None])
    ptop = np.where(x == 0, p, 0.0).sum(1, keepdims=True)
    x_all = x
    x = np.where(p > 0, x, -np.inf)  # responses π_ref never gives keep u·π_ref = 0
    if divergence == "forward_kl":
        lo, hi = b * ptop, np.full_like(ptop, b)

        def u_of(t):
            return b / (t - x)
    else:
        lo, hi = -b * np.log(2.0 / (1.0 + ptop)), np.zeros_like(ptop)

        def u_of(t):
            with np.errstate(over="ignore"):
                return 1.0 / (2.0 * np.exp((t - x) / b) - 1.0)
    scale = np.maximum(np.abs(lo), np.abs(hi))
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        g = (p * u_of(mid)).sum(1, keepdims=True) - 1.0
        lo = np.where(g > 0, mid, lo)
        hi = np.where(g > 0, hi, mid)
        if np.all(hi - lo <= 4e-16 * scale):
            break
    lam = 0.5 * (lo + hi)
    pi = p * u_of(lam)
    pi = pi / pi.sum(1, keepdims=True)
    out = p == 0
    if divergence != "forward_kl" or not out.any():
        return pi
    # rows whose best reward outside supp π_ref beats λ: λ = r_O (see f_regularized_policy)
    r_out = np.where(out, x_all, -np.inf).max(1, keepdims=True)  # relative to the in-support max
    move = r_out > lam
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = np.where(out, 0.0, p * b / np.where(out, 1.0, r_out - x_all))
    top = out & (x_all == r_out)
    rest = np.maximum(1.0 - inside.sum(1, keepdims=True), 0.0) / np.maximum(top.sum(1, keepdims=True), 1)
    return np.where(move, inside + np.where(top, rest, 0.0), pi)


def matched_beta(p_ref, rewards, target, divergence: str, *, score=None,
                 bracket=(1e-3, 1e3), xtol: float = 1e-12) -> float:
    """The regulariser strength β at which the batch optimum reaches a given mean score.

    For each prompt (row) π_β is the optimum of E_π r − β·D_f(π‖π_ref) (:func:`f_regularized_batch`,
    ``divergence`` in ``"reverse_kl"``, ``"forward_kl"``, ``"js"``); this finds β with

        (1/P) Σ_prompts Σ_y π_β(y)·score(y) = target,

    by Brent's method on log β inside ``bracket``. ``score`` (shape (P, M)) defaults to
    ``rewards``; with ``score`` = a 0/1 "correct" table the left side is the mean pass@1. When the
    score is the optimised reward the left side falls monotonically with β, so the root is unique;
    with a different score (a noisy proxy is optimised, correctness is scored) Brent's method still
    returns a β where the mean score equals ``target`` to ``xtol`` in log β.

    Use it to compare regularisers *at exactly matched* reward (or pass@1) instead of at the
    nearest β of a grid. Cost: about 40 calls of :func:`f_regularized_batch` (each O(P·M) per
    bisection step); largest size P·M ≤ 10⁷ (a few P×M float64 arrays, well under 1 GB).
    Returns β as a float; raises ``ValueError`` for bad shapes, a non-finite target, a bad bracket,
    an unknown divergence, P·M > 10⁷, or a target outside the bracket's range of mean scores.

    Parameters
    ----------
    p_ref, rewards : array (P, M)
        Reference rows (probability vectors) and the rewards the policy optimises.
    target : float
        The mean score to reach; must lie between the values at the two ends of ``bracket``.
    divergence : str
        ``"reverse_kl"``, ``"forward_kl"`` or ``"js"`` (the kit's 2·JSD; see
        :func:`f_regularized_policy`).
    score : array (P, M), optional
        What is averaged (default ``rewards``).
    bracket : (float, float)
        0 < β_lo < β_hi searched (log scale).

    Contract
    --------
    p_ref
        probability vector(s) along the last axis: finite, >= 0, summing to 1 within 1e-08; at most
        4,194,304 entries (one vector per row).
    rewards
        2-D real array, finite, non-empty; at most 4,194,304 entries (same shape as p_ref).
    target
        finite real number (strictly between the scores reached at the ends of bracket).
    divergence
        one of 'reverse_kl', 'forward_kl', 'js'.
    score
        None (score = rewards) or a finite (P, M) array.
    bracket
        (low, high) with 0 < low < high, finite.
    xtol
        finite real number > 0.
    Budget (1 GB / 1 core): prompts × responses up to ~1e7; each bisection-batch solve ~200 passes.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    p = _v.probability_vector(p_ref, "p_ref", ndim=2, max_size=MAX_RESPONSES)
    r = _v.array(rewards, "rewards", ndim=2, shape=p.shape, max_size=MAX_RESPONSES)
    s = r if score is None else _v.array(score, "score", ndim=2, shape=p.shape,
                                         max_size=MAX_RESPONSES)
    _v.one_of(divergence, "divergence", ("reverse_kl", "forward_kl", "js"))
    t = _v.real_scalar(target, "target")
    xtol = _v.positive_scalar(xtol, "xtol")
    if (isinstance(bracket, (str, bytes)) or np.ndim(bracket) != 1 or len(bracket) != 2
            or isinstance(bracket[0], (bool, np.bool_)) or isinstance(bracket[1], (bool, np.bool_))):
        raise ValueError(f"bracket must be two numbers 0 < lo < hi < inf; got {bracket!r}")
    try:
        lo_b, hi_b = float(bracket[0]), float(bracket[1])
    except (TypeError, ValueError) as err:
        raise ValueError(f"bracket must be two numbers 0 < lo < hi < inf; got {bracket!r}") from err
    if not (0 < lo_b < hi_b < math.inf):
        raise ValueError(f"bracket must be two numbers 0 < lo < hi < inf; got {bracket!r}")
    rewards = r

    def gap(log_b):
        pol = f_regularized_batch(p, rewards, math.exp(log_b), divergence)
        return float(np.mean((pol * s).sum(1))) - t

    a, b = math.log(lo_b), math.log(hi_b)
    ga, gb = gap(a), gap(b)
    if ga == 0.0:
        return math.exp(a)
    if gb == 0.0:
        return math.exp(b)
    if ga * gb > 0:
        raise ValueError(f"target must lie between the mean scores at the ends of the bracket "
                         f"({ga + t:.6g} at beta={bracket[0]!r}, {gb + t:.6g} at beta={bracket[1]!r}); "
                         f"got {target!r}")
    return math.exp(optimize.brentq(gap, a, b, xtol=xtol, rtol=4 * np.finfo(float).eps, maxiter=200))


def f_divergence_value(policy, p_ref, divergence: str, *, alpha=None) -> float:
    """D_f(π‖π_ref) = Σ π_ref·f(π/π_ref) for the generators of :func:`f_regularized_policy`.

    ``reverse_kl`` is KL(π‖π_ref), ``forward_kl`` KL(π_ref‖π) (+inf if π drops a response),
    ``js`` 2·JSD, ``alpha`` Minka's D_α with p = π_ref, ``chi2`` Σ(π − π_ref)²/π_ref,
    ``tv`` ½Σ|π − π_ref|.

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    divergence
        one of 'reverse_kl', 'forward_kl', 'js', 'alpha', 'chi2', 'tv'.
    alpha
        finite real number > 0 and < 1; or None (only (and required) for divergence='alpha').
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    pi, p = _prob(policy, "policy"), _prob(p_ref)
    if pi.shape != p.shape:
        raise ValueError(f"policy and p_ref must have the same shape; got {pi.shape} and {p.shape}")
    a = _check_div(divergence, alpha)
    if divergence == "reverse_kl":
        return float(np.sum(special.rel_entr(pi, p)))
    if divergence == "forward_kl":
        return float(np.sum(special.rel_entr(p, pi)))
    if divergence == "js":
        m = 0.5 * (pi + p)
        return float(np.sum(special.rel_entr(pi, m)) + np.sum(special.rel_entr(p, m)))
    if divergence == "tv":
        return float(0.5 * np.abs(pi - p).sum())
    sup = p > 0
    if (pi[~sup] > 0).any():
        return math.inf
    if divergence == "chi2":
        return float(np.sum((pi[sup] - p[sup]) ** 2 / p[sup]))
    s = np.sum(p[sup] ** a * pi[sup] ** (1.0 - a))
    return float(max((1.0 - s) / (a * (1.0 - a)), 0.0))


# ---------------------------------------------------------------------------------------------
# diversity
# ---------------------------------------------------------------------------------------------
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
    pi, p = _prob(policy, "policy"), _prob(p_ref)
    if pi.shape != p.shape:
        raise ValueError(f"policy and p_ref must have the same shape; got {pi.shape} and {p.shape}")
    cc = _positive(c, "c")
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
    kk = _positive(k, "k")
    with np.errstate(divide="ignore"):
        return float(np.sum(-np.expm1(kk * np.log1p(-np.minimum(pi, 1.0)))))


_PASS_MAX_CELLS = 20_000_000  # prompts × k values held at once (160 MB of float64)
_UNBIASED_MAX_N = 10_000_000


def _pass_ks(k) -> np.ndarray:
    """``k`` as a float array of finite values >= 1 (a scalar becomes a 0-d array)."""
    if isinstance(k, (bool, np.bool_, str, bytes)):
        raise ValueError(f"k must be a number >= 1 or a 1-D array of them; got {k!r}")
    try:
        kk = np.asarray(k, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"k must be a number >= 1 or a 1-D array of them; got {k!r}") from err
    if kk.ndim > 1 or kk.size == 0 or kk.dtype == bool:
        raise ValueError(f"k must be a number >= 1 or a non-empty 1-D array of them; got shape {kk.shape}")
    if not (np.isfinite(kk).all() and (kk >= 1).all()):
        bad = kk[~(np.isfinite(kk) & (kk >= 1))].ravel()[0]
        raise ValueError(f"k must be finite and >= 1; got {bad!r}")
    return kk


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


def _is_int_like(x) -> bool:
    a = np.asarray(x)
    return a.dtype.kind in "iu" and not isinstance(x, (bool, np.bool_))


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
    if not (_is_int_like(n) and np.ndim(n) == 0):
        raise ValueError(f"n must be an integer >= 1; got {n!r}")
    if not (_is_int_like(k) and np.ndim(k) == 0):
        raise ValueError(f"k must be an integer with 1 <= k <= n; got {k!r}")
    n, k = int(n), int(k)
    if not 1 <= n <= _UNBIASED_MAX_N:
        raise ValueError(f"n must be an integer in [1, {_UNBIASED_MAX_N}]; got {n!r}")
    if not 1 <= k <= n:
        raise ValueError(f"k must be an integer with 1 <= k <= n = {n}; got {k!r}")
    if isinstance(c, (bool, np.bool_)) or not _is_int_like(c):
        raise ValueError(f"c must be an integer or integer array with 0 <= c <= n = {n}; got {c!r}")
    cc = np.asarray(c, dtype=np.int64)
    if cc.size and (cc.min() < 0 or cc.max() > n):
        bad = cc[(cc < 0) | (cc > n)].ravel()[0]
        raise ValueError(f"c must satisfy 0 <= c <= n = {n}; got {int(bad)!r}")
    # S[m] = Σ_{i=k+1}^{m} log1p(−k/i) for m = k … n (S[k] = 0)
    i = np.arange(k + 1, n + 1, dtype=np.float64)
    S = np.concatenate([[0.0], np.cumsum(np.log1p(-k / i))])
    m = n - cc
    with np.errstate(invalid="ignore"):
        val = np.where(m < k, 1.0, 0.0 - np.expm1(S[n - k] - S[np.maximum(m, k) - k]))
    return float(val) if val.ndim == 0 else val


# ---------------------------------------------------------------------------------------------
# 5. KL estimators and training
# ---------------------------------------------------------------------------------------------
def kl_estimates(log_policy, log_ref) -> dict:
    """Schulman's per-sample estimators of KL(π_θ‖π_ref) on samples y ~ π_θ (*Approximating KL
    Divergence*), with log ρ = log π_ref(y) − log π_θ(y):

    k1 = −log ρ (unbiased, high variance), k2 = ½(log ρ)² (biased, low variance),
    k3 = (ρ − 1) − log ρ (unbiased, ≥ 0). Returns ``{"k1": ..., "k2": ..., "k3": ...}``.

    Contract
    --------
    log_policy
        1-D real array, finite, non-empty; at most 4,194,304 entries (same shape as log_ref).
    log_ref
        1-D real array, finite, non-empty; at most 4,194,304 entries (same shape as log_policy).
    Budget (1 GB / 1 core): up to 4,194,304 samples. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    lpi = _v.array(log_policy, "log_policy", ndim=(0, 1, 2), max_size=MAX_RESPONSES)
    lref = _v.array(log_ref, "log_ref", ndim=(0, 1, 2), max_size=MAX_RESPONSES)
    if lpi.shape != lref.shape:
        raise ValueError(f"log_policy and log_ref must have the same shape; got {lpi.shape} and {lref.shape}")
    lr = lref - lpi
    return {"k1": -lr, "k2": 0.5 * lr**2, "k3": np.expm1(lr) - lr}


def _torch():
    import torch  # lazy: importing kitlib.rlhf never imports torch

    return torch


class _one_thread:
    """Run tiny torch problems on one thread (restored afterwards): with vectors of a few entries,
    intra-op threads only contend — ten times slower on a busy 2-core machine."""

    def __init__(self, torch):
        self.torch = torch

    def __enter__(self):
        self.n = self.torch.get_num_threads()
        self.torch.set_num_threads(1)

    def __exit__(self, *exc):
        self.torch.set_num_threads(self.n)


def train_policy(p_ref, rewards, beta, *, estimator: str = "k1", placement: str = "reward",
                 steps: int = 300, seed: int = 0, batch: int = 512, lr: float = 0.1) -> np.ndarray:
    """REINFORCE on a softmax policy (logits θ, initialised at log π_ref) with a sampled KL term.

    Each step draws ``batch`` responses y ~ π_θ and uses estimator k ∈ {k1, k2, k3} of
    KL(π_θ‖π_ref) (see :func:`kl_estimates`):

    * ``placement="reward"``: r'(y) = r(y) − β·k(y), detached, in the REINFORCE term (PPO / RLOO
      style). With k1 this converges to the reverse-KL tilt π_β.
    * ``placement="loss"``: the loss adds β·mean k(y) as a differentiable function of θ at the
      sampled y (GRPO style). k2 → the tilt; **k3 → the forward-KL optimum** (its gradient is that
      of KL(π_ref‖π)); k1 has zero expected gradient (no regularisation at all).

    Uses a mean baseline and Adam; torch is imported here, lazily. Returns π_θ after ``steps``.
    torch's global random state is untouched (a local ``torch.Generator`` seeded from ``seed``).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (every entry > 0 for training (log π_ref finite)).
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    beta
        finite real number > 0.
    estimator
        one of 'k1', 'k2', 'k3'.
    placement
        one of 'reward', 'loss'.
    steps
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    batch
        integer >= 1 (True and fractions refused).
    lr
        finite real number > 0.
    Budget (1 GB / 1 core): steps·(50·(batch + responses) + 3e5) up to 2e9 operations (~6 000
    steps). Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _positive(beta, "beta")
    _v.one_of(estimator, "estimator", ("k1", "k2", "k3"))
    _v.one_of(placement, "placement", ("reward", "loss"))
    steps = _v.integer(steps, "steps", low=1)
    batch = _v.integer(batch, "batch", low=1)
    lr = _positive(lr, "lr")
    _limit(f"train_policy with steps={steps}, batch={batch} and {p.size} responses",
           nbytes=8.0 * 20 * (batch + p.size),
           operations=steps * (50.0 * (batch + p.size) + _TORCH_STEP_OVERHEAD),
           hint="use fewer steps or a smaller batch")
    if (p == 0).any():
        raise ValueError("p_ref must be > 0 everywhere for training (log π_ref must be finite)")
    torch_seed = _torch_seed(seed)
    torch = _torch()
    gen = torch.Generator().manual_seed(torch_seed)
    logp_ref = torch.tensor(np.log(p), dtype=torch.float64)
    rew = torch.tensor(r, dtype=torch.float64)
    with _one_thread(torch):
        return _reinforce(torch, logp_ref, rew, b, estimator, placement, steps, batch, lr, gen)


def _reinforce(torch, logp_ref, rew, b, estimator, placement, steps, batch, lr, gen):
    theta = logp_ref.clone().requires_grad_(True)
    opt = torch.optim.Adam([theta], lr=lr)
    for _ in range(steps):
        logpi = torch.log_softmax(theta, 0)
        with torch.no_grad():
            y = torch.multinomial(logpi.exp(), batch, replacement=True, generator=gen)
        lp_y = logpi[y]
        log_rho = logp_ref[y] - lp_y
        ests = {"k1": -log_rho, "k2": 0.5 * log_rho**2, "k3": torch.expm1(log_rho) - log_rho}
        k = ests[estimator]
        if placement == "reward":
            adv = (rew[y] - b * k).detach()
            loss = -((adv - adv.mean()) * lp_y).mean()
        else:
            adv = rew[y] - rew[y].mean()
            loss = -(adv * lp_y).mean() + b * k.mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return _trained(torch.softmax(theta, 0).numpy().astype(np.float64), lr)


def _trained(pi: np.ndarray, lr: float) -> np.ndarray:
    """The trained policy, or ValueError naming ``lr`` when the optimisation diverged."""
    if not np.isfinite(pi).all():
        raise ValueError(f"training diverged (the policy became non-finite) with lr={lr!r}; use a "
                         "smaller lr")
    return pi


def _f_score(torch, log_u, divergence: str, alpha):
    if divergence == "reverse_kl":
        return log_u
    if divergence == "forward_kl":
        return -torch.exp(-log_u)
    if divergence == "js":
        return torch.nn.functional.logsigmoid(log_u)
    if divergence == "alpha":
        return -torch.expm1(-alpha * log_u) / alpha
    raise ValueError(f"divergence must be one of ['reverse_kl', 'forward_kl', 'js', 'alpha'] for "
                     f"DPO; got {divergence!r}")


def dpo_policy(p_ref, rewards, beta, *, n_pairs, seed: int = 0, divergence: str = "reverse_kl",
               alpha=None, steps: int = 400, lr: float = 0.1) -> np.ndarray:
    """DPO / f-DPO on Bradley–Terry pairs drawn from π_ref × π_ref.

    ``n_pairs`` pairs (y, y′) ~ π_ref × π_ref are labelled y ≻ y′ with probability σ(r(y) − r(y′));
    the policy logits minimise −mean log σ(β(s(log u_w) − s(log u_l))) with u = π/π_ref and score
    s = log u (reverse KL: the population minimiser is exactly π_β), −e^{−log u} (forward KL),
    logsigmoid(log u) (JS) or (1 − u^{−α})/α (α) — *Direct Preference Optimization: Your Language
    Model is Secretly a Reward Model*; *Beyond Reverse KL* (f-DPO). Full-batch Adam on the pair
    counts. Returns the fitted policy.

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (every entry > 0 for training (log π_ref finite)).
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    beta
        finite real number > 0.
    n_pairs
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    divergence
        one of 'reverse_kl', 'forward_kl', 'js', 'alpha'.
    alpha
        finite real number > 0 and < 1; or None (only (and required) for divergence='alpha').
    steps
        integer >= 1 (True and fractions refused).
    lr
        finite real number > 0.
    Budget (1 GB / 1 core): responses up to ~1200 (M × M pair counts and autograd temporaries);
    steps·(20·M² + 3e5) + 50·n_pairs up to 2e9 operations. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _positive(beta, "beta")
    _v.one_of(divergence, "divergence", ("reverse_kl", "forward_kl", "js", "alpha"))
    a = _check_div(divergence, alpha)
    n_pairs = _v.integer(n_pairs, "n_pairs", low=1)
    steps = _v.integer(steps, "steps", low=1)
    lr = _positive(lr, "lr")
    m = p.size
    _limit(f"dpo_policy with {m} responses, n_pairs={n_pairs} and steps={steps}",
           # torch's autograd holds ~20 M × M temporaries per step (measured RSS)
           nbytes=8.0 * 24 * m * m + 8.0 * 6 * n_pairs, operations=steps * (20.0 * m * m + _TORCH_STEP_OVERHEAD) + 50.0 * n_pairs,
           hint="use fewer responses, pairs or steps")
    if (p == 0).any():
        raise ValueError("p_ref must be > 0 everywhere for DPO (log π_ref must be finite)")
    rng = _v.as_generator(seed)
    y1 = rng.choice(m, size=n_pairs, p=p)
    y2 = rng.choice(m, size=n_pairs, p=p)
    first = rng.random(n_pairs) < special.expit(r[y1] - r[y2])
    w = np.where(first, y1, y2)
    lo = np.where(first, y2, y1)
    counts = np.zeros((m, m))
    np.add.at(counts, (w, lo), 1.0)
    torch = _torch()
    C = torch.tensor(counts / counts.sum(), dtype=torch.float64)
    logp_ref = torch.tensor(np.log(p), dtype=torch.float64)
    with _one_thread(torch):
        theta = logp_ref.clone().requires_grad_(True)
        opt = torch.optim.Adam([theta], lr=lr)
        for _ in range(steps):
            log_u = torch.log_softmax(theta, 0) - logp_ref
            s = _f_score(torch, log_u, divergence, a)
            loss = -(C * torch.nn.functional.logsigmoid(b * (s[:, None] - s[None, :]))).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            return _trained(torch.softmax(theta, 0).numpy().astype(np.float64), lr)


def natural_pg_path(p_ref, rewards, times) -> np.ndarray:
    """Natural policy gradient on softmax logits from π_ref: θ_t = log π_ref + t·r (t = η·steps).

    It walks exactly along the frontier: π_t is the tilt with β = 1/t. Returns (T, M) policies
    (t = 0 gives π_ref).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    times
        1-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (a scalar is one
        time).
    Budget (1 GB / 1 core): times × responses up to ~4e6. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    t = _v.array(times, "times", ndim=1, atleast_1d=True, max_size=MAX_RESPONSES, low=0.0)
    _limit(f"natural_pg_path with {t.size} times and {p.size} responses", nbytes=8.0 * 6 * t.size * p.size,
           hint="pass fewer times")
    a = _logp(p)[None, :] + t[:, None] * (r - r[p > 0].max())[None, :]
    return np.exp(a - _lse(a)[:, None])


def vanilla_pg_path(p_ref, rewards, lr: float, steps: int) -> np.ndarray:
    """Exact (expected-gradient) softmax policy gradient on E_π r from logits log π_ref:
    θ ← θ + η·π⊙(r − E_π r). Returns (steps + 1, M) policies; it runs below the frontier.

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    lr
        finite real number > 0.
    steps
        integer >= 0 (True and fractions refused).
    Budget (1 GB / 1 core): (steps + 1) × responses up to ~4e6 numbers; steps·(20·responses + 1e5)
    up to 2e9 operations (~20 000 steps). Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    eta = _positive(lr, "lr")
    steps = _v.integer(steps, "steps", low=0)
    _limit(f"vanilla_pg_path with steps={steps} and {p.size} responses",
           nbytes=8.0 * 3 * (steps + 1) * p.size, operations=steps * (20.0 * p.size + _STEP_OVERHEAD),
           hint="use fewer steps")
    theta = _logp(p).copy()
    out = [p.copy()]
    for _ in range(steps):
        pi = np.exp(theta - _lse(theta))
        theta = theta + eta * pi * (r - pi @ r)
        out.append(np.exp(theta - _lse(theta)))
    return np.array(out)


# ---------------------------------------------------------------------------------------------
# 4. toys
# ---------------------------------------------------------------------------------------------
def categorical_lm(m: int, peakedness: float, *, seed=0, reward: str = "gaussian",
                   n_levels: int = 5, correlation: float = 0.0):
    """A categorical "language model": π_ref = softmax(s·z), z ~ N(0, 1), and rewards.

    ``reward="gaussian"``: r = ρ·z + √(1 − ρ²)·ε (ε ~ N(0,1), ρ = ``correlation``);
    ``reward="levels"``: the same rounded onto ``n_levels`` equally spaced values in [0, 1] (ties).
    Returns ``(p_ref, rewards)``.

    Contract
    --------
    m
        integer >= 2 (True and fractions refused).
    peakedness
        finite real number >= 0.
    seed
        None, an int >= 0 or a numpy.random.Generator.
    reward
        one of 'gaussian', 'levels'.
    n_levels
        integer >= 2 (True and fractions refused).
    correlation
        finite real number >= -1 and <= 1.
    Budget (1 GB / 1 core): m up to ~4e6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    m = _v.integer(m, "m", low=2)
    _limit(f"categorical_lm with m = {m}", nbytes=8.0 * 8 * m, hint="use a smaller m")
    peakedness = _v.nonnegative_scalar(peakedness, "peakedness")
    correlation = _v.in_range(correlation, "correlation", -1.0, 1.0)
    _v.one_of(reward, "reward", ("gaussian", "levels"))
    n_levels = _v.integer(n_levels, "n_levels", low=2)
    rng = _v.as_generator(seed)
    z = rng.standard_normal(m)
    eps = rng.standard_normal(m)
    a = peakedness * z
    p = np.exp(a - _lse(a))
    r = correlation * z + math.sqrt(1.0 - correlation**2) * eps
    if reward == "levels":
        ranks = stats.rankdata(r) / (r.size + 1)
        r = np.floor(ranks * n_levels) / (n_levels - 1)
    elif reward != "gaussian":
        raise ValueError(f"reward must be 'gaussian' or 'levels'; got {reward!r}")
    return p, r


def prompts_toy(n_prompts: int = 300, n_responses: int = 64, *, seed=0, peakedness: float = 1.0,
                proxy_noise: float = 0.0):
    """Many prompts with a binary "correct" reward per response (for pass@k).

    Prompt difficulty varies: the fraction of correct responses is Beta(0.5, 1.5)-distributed and
    π_ref puts less mass on correct answers for hard prompts. With ``proxy_noise`` > 0 a noisy
    proxy reward (correct + N(0, σ²)) is also returned. Returns ``(p_ref, correct, proxy)`` with
    shapes (P, M); ``proxy`` equals ``correct`` when the noise is 0.

    Contract
    --------
    n_prompts
        integer >= 1 (True and fractions refused).
    n_responses
        integer >= 2 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    peakedness
        finite real number.
    proxy_noise
        finite real number >= 0.
    Budget (1 GB / 1 core): prompts × responses up to ~4e6. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    P = _v.integer(n_prompts, "n_prompts", low=1)
    M = _v.integer(n_responses, "n_responses", low=2)
    peakedness = _v.real_scalar(peakedness, "peakedness")
    proxy_noise = _v.nonnegative_scalar(proxy_noise, "proxy_noise")
    _limit(f"prompts_toy with {P} prompts × {M} responses", nbytes=8.0 * 8 * P * M,
           hint="use fewer prompts or responses")
    rng = _v.as_generator(seed)
    frac = rng.beta(0.5, 1.5, size=P)
    correct = (rng.random((P, M)) < np.maximum(frac, 1.0 / M)[:, None]).astype(np.float64)
    correct[np.arange(P), rng.integers(0, M, P)] = 1.0  # every prompt has a correct answer
    logits = float(peakedness) * rng.standard_normal((P, M)) - 1.5 * correct * (1 - frac[:, None])
    p = np.exp(logits - _lse(logits)[:, None])
    proxy = correct + float(proxy_noise) * rng.standard_normal((P, M)) if proxy_noise > 0 else correct
    return p, correct, proxy


@dataclass(frozen=True)
class MemorylessBoN:
    """Best-of-N with N = e^{nΔ} in the memoryless token model, per token: ``reward`` (BoN),
    ``kl`` (KL(BoN‖ref)/n), ``tilt_reward`` x* with kl(x*‖q) = Δ, ``kl_to_tilt``
    (KL(BoN‖tilt)/n), ``n_tokens``, ``delta``, ``q``."""

    n_tokens: int
    delta: float
    q: float
    reward: float
    kl: float
    tilt_reward: float
    kl_to_tilt: float


def _bern_kl(x: float, q: float) -> float:
    return float(special.rel_entr(x, q) + special.rel_entr(1 - x, 1 - q))


def memoryless_bon(n_tokens: int, q: float, delta: float) -> MemorylessBoN:
    """The memoryless token model of *Asymptotics of Language Model Alignment* (Yang et al.).

    Sequences of n iid tokens with binary reward, P(r = 1) = q, sequence reward = sum. Best-of-N
    with N = e^{nΔ} is exact through the Binomial level masses in log space. As n grows the
    per-token reward tends to x* with kl(x*‖q) = Δ and KL(BoN‖tilt)/n → 0.

    Contract
    --------
    n_tokens
        integer >= 1 (True and fractions refused).
    q
        finite real number > 0 and < 1.
    delta
        finite real number > 0.
    Budget (1 GB / 1 core): n_tokens up to ~2.5e6. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    n = _v.integer(n_tokens, "n_tokens", low=1)
    _limit(f"memoryless_bon with n_tokens = {n}", nbytes=8.0 * 12 * (n + 1), hint="use fewer tokens")
    q = _v.real_scalar(q, "q", low=0.0, high=1.0, low_open=True, high_open=True,
                       allowed="a real number in (0, 1)")
    d = _positive(delta, "delta")
    k = np.arange(n + 1, dtype=np.float64)
    lP = stats.binom.logpmf(k, n, q)
    keep = np.isfinite(lP)
    k, lP = k[keep], lP[keep]
    lP = lP - _lse(lP)
    lq = _bon_log_q(lP, n * d)[0]
    qk = np.exp(lq)
    with np.errstate(invalid="ignore"):
        kl = float(np.sum(np.where(qk > 0, qk * (lq - lP), 0.0)))
    reward = float(qk @ k) / n
    if d >= -math.log(q):
        x = 1.0
    else:
        x = optimize.brentq(lambda t: _bern_kl(t, q) - d, q, 1.0 - 1e-15, xtol=1e-15)
    if x >= 1.0:
        lt = np.where(k == n, 0.0, -np.inf)
    else:
        th = special.logit(x) - special.logit(q)
        lt = lP + th * k
        lt = lt - _lse(lt)
    with np.errstate(invalid="ignore"):
        kl_t = float(np.sum(np.where(qk > 0, qk * (lq - lt), 0.0)))
    return MemorylessBoN(n, d, float(q), reward, max(kl, 0.0) / n, float(x), max(kl_t, 0.0) / n)


def goodhart_tilt(lam, c: float) -> dict:
    """Proxy-optimal tilt in the Goodhart toy (exact).

    Under π_ref, r* ~ N(0, 1) and h ~ Exp(1) independent; proxy = r* + h, gold = r* − c·h. The
    tilt e^{λ·proxy} (λ = 1/β < 1) makes r* ~ N(λ, 1), h ~ Exp(1 − λ):
    KL = λ²/2 + λ/(1 − λ) + log(1 − λ), proxy gain λ + λ/(1 − λ), gold gain λ − cλ/(1 − λ),
    peaking at λ* = 1 − √c. Returns arrays ``kl``, ``proxy``, ``gold``.

    Contract
    --------
    lam
        real array, finite, entries >= 0 and < 1, non-empty; at most 4,194,304 entries (a scalar or
        an array up to 2-D).
    c
        finite real number >= 0.
    Budget (1 GB / 1 core): up to 4,194,304 values. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    lm = _v.array(lam, "lam", ndim=(0, 1, 2), max_size=MAX_RESPONSES, low=0.0, high=1.0, high_open=True)
    c = _v.nonnegative_scalar(c, "c")
    kl = 0.5 * lm**2 + lm / (1 - lm) + np.log1p(-lm)
    return {"kl": np.maximum(kl, 0.0), "proxy": lm + lm / (1 - lm), "gold": lm - c * lm / (1 - lm)}


def goodhart_lambda_star(c: float) -> float:
    """λ* = 1 − √c, the tilt strength at which the gold gain peaks.

    Contract
    --------
    c
        finite real number > 0 and < 1.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    c = _v.in_range(c, "c", 0.0, 1.0, low_open=True, high_open=True)
    return 1.0 - math.sqrt(c)


_GH_S = np.linspace(-9.0, 60.0, 6001)


@functools.lru_cache(maxsize=1)
def _goodhart_grid():
    """Proxy grid s, log f_S, log F_S (exponnorm, K = 1) and E[h | S = s] (cached once)."""
    s = _GH_S
    m = s - 1.0
    eh = m + np.exp(stats.norm.logpdf(m) - stats.norm.logcdf(m))
    lf = 0.5 - s + special.log_ndtr(s - 1.0)  # f_S = e^{1/2 − s} Φ(s − 1)
    ln = special.log_ndtr(s)
    lF = ln + np.log1p(-np.exp(np.minimum(lf - ln, 0.0)))  # F_S = Φ(s) − f_S(s)
    return s, lf, lF, eh


def goodhart_bon(ns, c: float) -> dict:
    """Best-of-N on the proxy in the Goodhart toy, by exact 1-D integration.

    The proxy S = r* + h is exponentially-modified Gaussian (scipy's ``exponnorm`` with K = 1);
    given S = s, h is N(s − 1, 1) truncated to h ≥ 0, so E[h | s] = m + φ(m)/Φ(m) with m = s − 1.
    BoN's proxy density is N F(s)^{N−1} f(s); its KL is exactly log N − (N−1)/N.
    Returns arrays ``kl``, ``proxy``, ``gold`` (gains over π_ref).

    Contract
    --------
    ns
        1-D real array, finite, entries >= 1 and <= 1e+20, non-empty; at most 4,194,304 entries.
    c
        finite real number >= 0.
    Budget (1 GB / 1 core): up to ~800 values of N (6001-point grid). Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    n = _v.array(ns, "ns", ndim=1, atleast_1d=True, max_size=MAX_RESPONSES, low=1.0, high=1e20)
    c = _v.nonnegative_scalar(c, "c")
    _limit(f"goodhart_bon with {n.size} values of N", nbytes=8.0 * 7 * n.size * _GH_S.size,
           hint="pass fewer values of N")
    s, lf, lF, eh = _goodhart_grid()
    gold_s = s - (1.0 + c) * eh
    lw = np.log(n)[:, None] + (n[:, None] - 1) * lF[None, :] + lf[None, :]
    w = np.exp(lw - _lse(lw)[:, None])  # normalised on the grid
    proxy = w @ s - 1.0
    gold = w @ gold_s - (0.0 - c * 1.0)
    return {"kl": bon_kl_bound(n) * np.ones_like(n), "proxy": proxy, "gold": gold}


def fit_gao(kl, reward, form: str) -> tuple[float, float]:
    """Least-squares fit of Gao et al.'s forms (*Scaling Laws for Reward Model Overoptimization*),
    with d = √KL: ``"bon"`` R = d(α − β d), ``"rl"`` R = d(α − β log d). Both are linear in
    (α, β). Returns (α, β).

    Contract
    --------
    kl
        1-D real array, finite, entries > 0, non-empty; at most 4,194,304 entries.
    reward
        1-D real array, finite, non-empty; at most 4,194,304 entries.
    form
        one of 'bon', 'rl'.
    Budget (1 GB / 1 core): up to 4,194,304 points. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    k = _v.array(kl, "kl", ndim=1, min_size=2, max_size=MAX_RESPONSES, low=0.0, low_open=True)
    R = _v.array(reward, "reward", ndim=1, min_size=2, max_size=MAX_RESPONSES)
    if k.shape != R.shape:
        raise ValueError(f"kl and reward must be 1-D of equal length >= 2; got {k.shape}, {R.shape}")
    _v.one_of(form, "form", ("bon", "rl"))
    d = np.sqrt(k)
    if form == "bon":
        A = np.stack([d, -d * d], axis=1)
    elif form == "rl":
        A = np.stack([d, -d * np.log(d)], axis=1)
    else:
        raise ValueError(f"form must be 'bon' or 'rl'; got {form!r}")
    coef, *_ = np.linalg.lstsq(A, R, rcond=None)
    return float(coef[0]), float(coef[1])
