"""RL with verifiable rewards: GRPO exactly, entropy dynamics, pass@k, support, KL placement.

Numerics for notebook 05 (numpy only; imports neither matplotlib, ipywidgets nor torch). A policy
is a softmax over K answers, π = softmax(θ); a logit of −inf is a *support hole* (π = 0). Rewards
are verifiable, i.e. binary: r ∈ {0, 1} (the single-step GRPO updates also take multi-level
rewards). Natural logarithms, float64 throughout.

API
---
pass@k (re-exported from :mod:`kitlib.rlhf`, one implementation)
    pass_at_k(p_correct, k) -> float | ndarray
    pass_at_k_unbiased(n, c, k) -> float | ndarray
    pass_at_k_spread(p_correct, n, k) -> dict      exact mean/sd of the unbiased and plug-in estimates
    crossover_k(p_before, p_after, *, k_max=4096) -> int | None
GRPO
    grpo_advantages(rewards, *, scale="std", ddof=0, eps=1e-6) -> ndarray
    group_advantage_means(p, group_size, *, scale, ddof, eps) -> (a_plus, a_minus)
    grpo_expected_update(logits, rewards, group_size, *, scale, ddof, eps, part) -> (K,)
    grpo_sampled_update(logits, rewards, group_size, *, scale, ddof, eps, part, n_groups=1,
                        seed=None) -> (K,)
entropy and regularisers
    entropy_change(logits, delta, *, exact=False) -> float
    kl_estimates(log_policy, log_ref) -> dict       (re-exported from kitlib.rlhf)
    kl_grad(logits, ref_logits, estimator, placement) -> (K,)
    kl_term_optimises(grad, grad_reverse, grad_forward, *, rtol=1e-9) -> str
    regularized_optimum(p_ref, rewards, beta, divergence) -> (K,)
    entropy_bonus_grad(logits, *, top_p=1.0) -> (K,)
    nucleus_mask(logits, top_p) -> bool (K,)
    lp_reg_proxy(logits, *, tau=None, kappa=None) -> (K,)
toys (see ``Toy``)
    toy_t1(*, hole="zero", rewards="easy") / toy_t2(*, n_prompts=200, spark=0.02) / toy_t3() /
    toy_entropy_explosion(*, n_junk=997, junk_mass=0.09)
trajectories and tables (what the explorers index; no widgets)
    grpo_train(logits, rewards, *, steps=200, group_size=8, lr=1.0, scale, ddof, eps, part,
               mode="exact"|"sampled", seed=0, n_groups=1,
               kl_coef=0, kl_estimator="k3", kl_placement="loss", ref_logits=None,
               kd_coef=0, teacher_logits=None, kd_estimator="k3", kd_placement="loss",
               entropy_coef=0, top_p=1.0, lp_coef=0, lp_tau=None, lp_kappa=None) -> Trajectory
        Trajectory: policies (T+1, K), entropy (T+1,), p_correct (T+1, P), dH_first_order (T,),
        dH_exact (T,), settings; .pass1 (T+1,), .pass_at_k(k) -> (T+1,) or (T+1, len k)
    steps_to_reach(traj, threshold) -> int | None
    kl_descent(logits, ref_logits, estimator, placement, *, lr=0.5, steps=100) -> (T+1, K)
    optimum_frontier(toy, betas, divergence, *, ks=(1, 256)) -> dict(beta, policies, pass_at_k)
    matched_optima(toy, pass1, *, ks=(1, 256)) -> {"reverse_kl": {...}, "forward_kl": {...}}

Every public function validates its input and raises ``ValueError`` naming the argument, the
value and what is allowed; optional arguments are keyword-only.

Seed papers: *The Choice of Divergence: A Neglected Key to Mitigating Diversity Collapse in
Reinforcement Learning with Verifiable Reward* (DPH-RL); *Unlocking Reasoning Capabilities in LLMs
via Reinforcement Learning Exploration* (RAPO); *KDRL: Post-Training Reasoning LLMs via Unified
Knowledge Distillation and Reinforcement Learning*; *Low-probability Tokens Sustain Exploration in
Reinforcement Learning with Verifiable Reward* (Lp-Reg); *Rethinking Entropy Regularization in
Large Reasoning Models* (SIREN); *GTPO: Trajectory-Based Policy Optimization in Large Language
Models*; *APO: Enhancing Reasoning Ability of MLLMs via Asymmetric Policy Optimization*. GRPO is
from *DeepSeekMath*; the covariance law of entropy change from *The Entropy Mechanism of
Reinforcement Learning for Reasoning Language Models* (Cui et al.).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from kitlib import _validate as v
from kitlib._validate import integer_at_least, one_of, positive_scalar, real_scalar
from kitlib.rlhf import kl_estimates, pass_at_k, pass_at_k_unbiased
from kitlib.rlhf import f_regularized_policy as _f_regularized_policy

__all__ = [
    "pass_at_k", "pass_at_k_unbiased", "pass_at_k_spread", "crossover_k",
    "grpo_advantages", "group_advantage_means", "grpo_expected_update", "grpo_sampled_update",
    "entropy_change", "kl_estimates", "kl_grad", "kl_term_optimises", "regularized_optimum", "entropy_bonus_grad",
    "nucleus_mask", "lp_reg_proxy",
    "Toy", "toy_t1", "toy_t2", "toy_t3", "toy_entropy_explosion",
    "Trajectory", "grpo_train", "steps_to_reach", "kl_descent", "optimum_frontier", "matched_optima",
]

SCALES = ("std", "none")
PARTS = ("all", "positive", "negative")
ESTIMATORS = ("k1", "k2", "k3")
PLACEMENTS = ("reward", "loss")
DIVERGENCES = ("reverse_kl", "forward_kl")

MAX_ANSWERS = 1_000_000          # K: a few (K,) float64 vectors
MAX_GROUP = 4096                 # G
MAX_CELLS = 10_000_000           # prompts × answers, prompts × G, samples drawn at once (80 MB each)


# ---------------------------------------------------------------------------------------------
# validation (local helpers; the generic scalar checks come from kitlib._validate)
# ---------------------------------------------------------------------------------------------
def _logits(x, name: str = "logits", *, allow_holes: bool = True) -> np.ndarray:
    """A 1-D logit vector: finite or −inf (a support hole), at least one finite, K ≤ 10⁶."""
    arr = v.as_float_array(x, name, max_size=MAX_ANSWERS, what="a 1-D array of logits")
    if arr.ndim != 1 or arr.size < 2:
        raise v.fail(name, "a 1-D array of at least 2 logits", arr)
    bad = np.isnan(arr) | (arr == np.inf)
    if bad.any():
        raise v.fail(name, "finite or -inf (a support hole) in every entry", arr[bad][0])
    fin = np.isfinite(arr)
    if not fin.any():
        raise v.fail(name, "a logit vector with at least one finite entry", arr)
    if not allow_holes and not fin.all():
        raise v.fail(name, "finite here (no -inf support holes)", arr[~fin][0])
    return arr


def _probability_vector(x, name: str) -> np.ndarray:
    """A 1-D probability vector of at least 2 answers (:func:`kitlib._validate.probability_vector`:
    non-negative, sums to 1 within 1e-8, zeros allowed, returned normalised), K ≤ 10⁶."""
    arr = v.probability_vector(x, name, max_size=MAX_ANSWERS)
    if arr.size < 2:
        raise v.fail(name, "a 1-D probability vector of length >= 2", arr)
    return arr


def _binary_rewards(x, k: int, name: str = "rewards", *, binary: bool = True) -> np.ndarray:
    """Rewards of shape (K,) or (P, K), P·K ≤ 10⁷: verifiable 0/1 values (``binary``) or finite
    reals."""
    arr = v.as_float_array(x, name, max_size=MAX_CELLS,
                           what="an array of 0/1 rewards" if binary else "an array of real rewards")
    if arr.ndim not in (1, 2) or arr.shape[-1] != k or arr.shape[0] == 0:
        raise v.fail(name, f"an array of shape ({k},) or (P, {k}), P >= 1, to match the logits", arr)
    if not binary:
        if not np.isfinite(arr).all():
            raise v.fail(name, "finite in every entry", arr[~np.isfinite(arr)].ravel()[0])
        return arr
    ok = arr == 0.0
    ok |= arr == 1.0  # (np.isin sorts a copy: several times the input's memory)
    if not ok.all():
        raise v.fail(name, "verifiable (binary): every entry 0 or 1", arr[~ok].ravel()[0])
    return arr


def _probabilities(x, name: str) -> np.ndarray:
    """A non-empty 1-D array (or scalar) of per-prompt probabilities in [0, 1] (≤ 1 + 1e-12 read
    as 1: round-off of Cπ), at most 10⁷ entries."""
    arr = np.atleast_1d(v.as_float_array(x, name, max_size=MAX_CELLS,
                                         what="a 1-D array of probabilities in [0, 1]"))
    if arr.ndim != 1 or arr.size == 0:
        raise v.fail(name, "a non-empty 1-D array of probabilities in [0, 1]", arr)
    ok = np.isfinite(arr) & (arr >= 0) & (arr <= 1 + 1e-12)
    if not ok.all():
        raise v.fail(name, "probabilities in [0, 1]", arr[~ok][0])
    return np.minimum(arr, 1.0)


def _group(group_size) -> int:
    return v.integer(group_size, "group_size", low=2, high=MAX_GROUP)


_NO_PART = object()


def _grpo_options(scale, ddof, eps, part=_NO_PART):
    one_of(scale, "scale", SCALES)
    ddof = v.integer(ddof, "ddof", low=0, high=1)
    e = v.nonnegative_scalar(eps, "eps")
    if part is not _NO_PART:
        one_of(part, "part", PARTS)
    return int(ddof), e


def _unit_interval(x, name: str, *, low_open: bool = True) -> float:
    """A real in (0, 1] (``low_open``) or [0, 1]."""
    return real_scalar(x, name, low=0.0, high=1.0, low_open=low_open)


# ---------------------------------------------------------------------------------------------
# small exact pieces
# ---------------------------------------------------------------------------------------------
#: π = softmax(θ) and log π along the last axis (SciPy's; bitwise equal to max-shifted exp/log-sum).
_softmax = functools.partial(special.softmax, axis=-1)
_log_softmax = functools.partial(special.log_softmax, axis=-1)


def _entropy(pi: np.ndarray) -> np.ndarray:
    return special.entr(pi).sum(axis=-1)


def _xlogy0(pi: np.ndarray, logpi: np.ndarray) -> np.ndarray:
    """π·log π with 0·(−inf) = 0."""
    return np.where(pi > 0, pi * np.where(pi > 0, logpi, 0.0), 0.0)


# ---------------------------------------------------------------------------------------------
# pass@k: estimator spread and crossover
# ---------------------------------------------------------------------------------------------
def pass_at_k_spread(p_correct, n: int, k) -> dict:
    """Exact sampling distribution of pass@k estimates from a budget of n samples per prompt.

    Each prompt j draws c_j ~ Bin(n, p_j). The unbiased estimator 1 − C(n−c, k)/C(n, k)
    (:func:`pass_at_k_unbiased`) and the plug-in 1 − (1 − c/n)^k are averaged over prompts; their
    means and standard deviations (of the mean over prompts) are computed exactly by enumerating
    c = 0 … n (the Binomial pmf once for every k).

    Parameters
    ----------
    p_correct : 1-D array of P probabilities in [0, 1].
    n : int ≥ 1; P·(n+1) ≤ 10⁷.
    k : int with 1 ≤ k ≤ n, or a 1-D array of such ints (k > n is refused).

    Returns
    -------
    dict with ``true`` (pass@k), ``unbiased_mean`` (= true), ``unbiased_sd``, ``plugin_mean``
    (biased low: n = 10, p = .2, k = 5 gives .5936 vs .6723), ``plugin_sd``: floats for an int
    ``k``, (len(k),) arrays for an array.

    Contract
    --------
    p_correct
        1-D real array, finite, entries >= 0, non-empty; at most 10,000,000 entries (per-prompt
        success probabilities in [0, 1] (1 + 1e-12 accepted as rounding, so 'above' is not
        generated); a scalar is one prompt).
    n
        integer >= 1 (True and fractions refused).
    k
        integer >= 1 (True and fractions refused) (<= n; or a non-empty 1-D array of such integers).
    Budget (1 GB / 1 core): len(p_correct) × (n + 1) and len(k) × max(len(p_correct), n + 1) up to
    10**7. Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    pc = _probabilities(p_correct, "p_correct")
    n = integer_at_least(n, "n", 1)
    if pc.size * (n + 1) > MAX_CELLS:
        raise v.fail("n", f"an integer with len(p_correct) × (n + 1) <= {MAX_CELLS} "
                          f"(len(p_correct) = {pc.size})", n)
    kk = _k_values(k, n)
    if kk.size * max(pc.size, n + 1) > MAX_CELLS:
        raise v.fail("k", f"at most {MAX_CELLS // max(pc.size, n + 1)} values (len(k) × "
                          f"max(len(p_correct), n + 1) <= {MAX_CELLS})", k)
    pc = np.minimum(pc, 1.0)
    c = np.arange(n + 1)
    pmf = _binom_pmf(n, pc)  # (P, n+1)
    ks = np.atleast_1d(kk).astype(np.int64)
    unb = np.array([pass_at_k_unbiased(n, c, int(x)) for x in ks])  # (nk, n+1)
    with np.errstate(divide="ignore"):
        plug = -np.expm1(ks[:, None] * np.log1p(-c / n)[None, :])
    out = {"true": pass_at_k(pc, ks.astype(np.float64))}
    for name, est in (("unbiased", unb), ("plugin", plug)):
        m_j = pmf @ est.T  # (P, nk)
        v_j = np.maximum(pmf @ (est**2).T - m_j**2, 0.0)
        out[f"{name}_mean"] = m_j.mean(0)
        out[f"{name}_sd"] = np.sqrt(v_j.sum(0)) / pc.size
    if kk.ndim == 0:
        out = {key: float(v[0]) for key, v in out.items()}
    return out


def crossover_k(p_before, p_after, *, k_max: int = 4096):
    """Smallest integer k ≤ ``k_max`` with pass@k(before) > pass@k(after), or None.

    ``p_before``, ``p_after``: 1-D arrays of per-prompt success probabilities of equal length
    (len × k_max ≤ 2·10⁷). Used for "the base model wins from k = …" (Yue et al. 2025; RAPO:
    the gain "diminishes or even vanishes"). T2, base vs 200 exact GRPO steps: 15.

    Contract
    --------
    p_before
        1-D real array, finite, entries >= 0, non-empty; at most 10,000,000 entries (per-prompt
        success probabilities in [0, 1] (1 + 1e-12 accepted as rounding, so 'above' is not
        generated); a scalar is one prompt).
    p_after
        1-D real array, finite, entries >= 0, non-empty; at most 10,000,000 entries (same length as
        p_before).
    k_max
        integer >= 1 (True and fractions refused).
    Budget (1 GB / 1 core): len(p_before) × k_max up to 2·10**7. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    a = _probabilities(p_before, "p_before")
    b = _probabilities(p_after, "p_after")
    if a.shape != b.shape:
        raise v.fail("p_after", f"a 1-D array of the same length as p_before ({a.size})", b)
    km = integer_at_least(k_max, "k_max", 1)
    if a.size * km > 20_000_000:
        raise v.fail("k_max", f"an integer <= {20_000_000 // a.size} for {a.size} prompts "
                              "(len × k_max <= 2e7)", km)
    ks = np.arange(1, km + 1)
    diff = pass_at_k(a, ks) - pass_at_k(b, ks)
    hit = np.flatnonzero(diff > 0)
    return int(ks[hit[0]]) if hit.size else None


def _k_values(k, n: int) -> np.ndarray:
    """``k`` of pass_at_k_spread: an integer in [1, n] or a non-empty 1-D array of them
    (integral floats accepted; True, fractions and strings refused); int64, same ndim."""
    allowed = f"an integer with 1 <= k <= n = {n} or a 1-D array of them"
    if isinstance(k, (bool, np.bool_, str, bytes, dict, set)) or k is None:
        raise v.fail("k", allowed, k)
    try:
        kk = np.asarray(k)
    except (TypeError, ValueError) as err:
        raise v.fail("k", allowed, k) from err
    if kk.dtype.kind not in "iuf" or kk.ndim > 1 or kk.size == 0:
        raise v.fail("k", allowed, k)
    if kk.dtype.kind == "f":
        if not (np.isfinite(kk).all() and (kk == np.round(kk)).all()):
            raise v.fail("k", allowed, k)
    if kk.min() < 1 or kk.max() > n:
        bad = kk[(kk < 1) | (kk > n)].ravel()[0]
        raise v.fail("k", allowed, int(bad))
    return kk.astype(np.int64)


@functools.lru_cache(maxsize=64)
def _binom_coefficients(n: int):
    m = np.arange(n + 1, dtype=np.float64)
    logc = special.gammaln(n + 1) - special.gammaln(m + 1) - special.gammaln(n - m + 1)
    return m, logc, np.exp(logc) if n <= 512 else None


def _binom_pmf(n: int, p: np.ndarray) -> np.ndarray:
    """Bin(n, p) pmf for every p (shape (P, n+1)); exact at p = 0 and p = 1 (0⁰ = 1). Powers
    for n ≤ 512 (binomial coefficients < 1e154), log space beyond."""
    m, logc, comb = _binom_coefficients(n)
    if n <= 512:
        return comb[None, :] * p[:, None] ** m[None, :] * (1.0 - p)[:, None] ** (n - m)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        lp = np.log(p)[:, None]
        lq = np.log1p(-p)[:, None]
        t1 = np.where(m[None, :] > 0, m[None, :] * lp, 0.0)
        t2 = np.where(n - m[None, :] > 0, (n - m[None, :]) * lq, 0.0)
        return np.exp(logc[None, :] + t1 + t2)


# ---------------------------------------------------------------------------------------------
# GRPO
# ---------------------------------------------------------------------------------------------
def grpo_advantages(rewards, *, scale: str = "std", ddof: int = 0, eps: float = 1e-6) -> np.ndarray:
    """Group-relative advantages along the last axis (a group of G answers to one prompt).

    A_i = (r_i − mean r)/(std r + ε) (``scale="std"``, GRPO, *DeepSeekMath*; ``ddof`` 0 here, TRL
    uses 1) or A_i = r_i − mean r (``scale="none"``, Dr. GRPO). A group whose rewards are all
    equal gets A = 0 exactly (also with ε = 0).

    Parameters
    ----------
    rewards : array_like of finite reals, shape (..., G), G ≥ 2, at most 10⁷ entries.

    Returns
    -------
    ndarray of the same shape.

    Contract
    --------
    rewards
        real array, finite, non-empty; at most 10,000,000 entries (any shape (..., G) with a last
        axis (the group) of length >= 2).
    scale
        one of 'std', 'none'.
    ddof
        integer >= 0 and <= 1 (True and fractions refused).
    eps
        finite real number >= 0.
    Budget (1 GB / 1 core): rewards up to 10**7 entries. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    ddof, e = _grpo_options(scale, ddof, eps)
    r = v.as_float_array(rewards, "rewards", max_size=MAX_CELLS,
                         what="an array of real rewards with a last axis of length >= 2")
    if r.ndim == 0 or r.shape[-1] < 2 or r.size == 0:
        raise v.fail("rewards", "an array with a last axis (the group) of length >= 2 and no "
                                "empty axis", r)
    if not np.isfinite(r).all():
        raise v.fail("rewards", "finite in every entry", r[~np.isfinite(r)].ravel()[0])
    return _advantages(r, scale, ddof, e)


def _advantages(r: np.ndarray, scale: str, ddof: int, eps: float) -> np.ndarray:
    flat = np.ptp(r, axis=-1, keepdims=True) == 0
    c = np.where(flat, 0.0, r - r.mean(axis=-1, keepdims=True))
    if scale == "none":
        return c
    sd = r.std(axis=-1, ddof=ddof, keepdims=True)
    return np.where(flat, 0.0, c / np.where(flat, 1.0, sd + eps))


def group_advantage_means(p, group_size: int, *, scale: str = "std", ddof: int = 0,
                          eps: float = 1e-6):
    """E[A_1 | r_1 = 1] and E[A_1 | r_1 = 0] for binary rewards with success probability p.

    Given r_1, the other G − 1 successes are m ~ Bin(G − 1, p) (derived here): with s successes
    in the group, mean μ = s/G and std √(μ(1−μ)·G/(G − ddof)); a correct answer gets
    (1 − μ)/(std + ε), a wrong one −μ/(std + ε), all-equal groups 0. O(G) per prompt.

    Parameters
    ----------
    p : float or 1-D array in [0, 1] (P values, P·G ≤ 10⁷).
    group_size : int in [2, 4096].

    Returns
    -------
    (a_plus, a_minus), floats or (P,) arrays. Limits: ``scale="none"`` gives
    (1 − 1/G)(1 − p) and −(1 − 1/G)p; hard prompts (p → 0) give a_plus → √(G − 1).

    Contract
    --------
    p
        1-D real array, finite, entries >= 0, non-empty; at most 5,000,000 entries (a probability or
        a 1-D array of them, <= 1 (1 + 1e-12 accepted as rounding); len(p) × group_size <= 10**7).
    group_size
        integer >= 2 and <= 4096 (True and fractions refused).
    scale
        one of 'std', 'none'.
    ddof
        integer >= 0 and <= 1 (True and fractions refused).
    eps
        finite real number >= 0.
    Budget (1 GB / 1 core): len(p) × group_size up to 10**7. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    G = _group(group_size)
    ddof, e = _grpo_options(scale, ddof, eps)
    pp = v.as_float_array(p, "p", max_size=MAX_CELLS // G,
                          what="a probability or 1-D array of probabilities")
    if pp.ndim > 1 or pp.size == 0 or not (np.isfinite(pp).all() and (pp >= 0).all()
                                           and (pp <= 1 + 1e-12).all()):
        raise v.fail("p", "a probability in [0, 1] or a non-empty 1-D array of them", p)
    ap, am = _adv_means(np.atleast_1d(np.minimum(pp, 1.0)), G, scale, ddof, e)
    if pp.ndim == 0:
        return float(ap[0]), float(am[0])
    return ap, am


def _adv_tables(G: int, scale: str, ddof: int, eps: float):
    """A for a correct / wrong answer given m other successes, m = 0 … G−1."""
    m = np.arange(G, dtype=np.float64)
    if scale == "none":
        s_pos, s_neg = m + 1, m
        return 1.0 - s_pos / G, -s_neg / G
    out = []
    for s, r in ((m + 1, 1.0), (m, 0.0)):
        mu = s / G
        sd = np.sqrt(np.maximum(mu * (1 - mu), 0.0) * G / (G - ddof))
        flat = (s == 0) | (s == G)
        out.append(np.where(flat, 0.0, (r - mu) / np.where(flat, 1.0, sd + eps)))
    return out[0], out[1]


def _adv_means(p: np.ndarray, G: int, scale: str, ddof: int, eps: float):
    tab_pos, tab_neg = _adv_tables(G, scale, ddof, eps)
    pmf = _binom_pmf(G - 1, p)
    return pmf @ tab_pos, pmf @ tab_neg


def _distinct_rows(R: np.ndarray):
    """Distinct prompts (rows of R) and their weights (share of prompts): prompts with the same
    row have the same p_j and the same expected update, so T2's 200 prompts are 7 cases."""
    rows, counts = np.unique(R, axis=0, return_counts=True)
    return rows, counts / R.shape[0]


def _expected_update(pi: np.ndarray, R: np.ndarray, G: int, scale: str, ddof: int, eps: float,
                     part: str, tables=None, weights=None) -> np.ndarray:
    """π ⊙ Σ_j w_j [r_j a₊ + (1 − r_j) a₋ − c_j], R of shape (P, K), weights w (default 1/P);
    c_j the part's −π·ΣA term."""
    if weights is None:
        R, weights = _distinct_rows(R)
    p = np.minimum(R @ pi, 1.0)
    tab_pos, tab_neg = tables if tables is not None else _adv_tables(G, scale, ddof, eps)
    pmf = _binom_pmf(G - 1, p)
    ap, am = pmf @ tab_pos, pmf @ tab_neg
    if part == "all":
        w = (weights * (ap - am)) @ R + weights @ am
    elif part == "positive":
        w = (weights * ap) @ R - weights @ (ap * p)
    else:
        w = (weights * am) @ (1.0 - R) - weights @ (am * (1.0 - p))
    return pi * w


@functools.lru_cache(maxsize=32)
def _compositions(n: int, parts: int) -> np.ndarray:
    """All count vectors of ``parts`` non-negative ints summing to n, shape (C(n+parts−1, parts−1),
    parts) (stars and bars)."""
    bars = np.array(list(itertools.combinations(range(n + parts - 1), parts - 1)), dtype=np.int64)
    bars = bars.reshape(-1, parts - 1)
    edges = np.concatenate([np.full((bars.shape[0], 1), -1), bars,
                            np.full((bars.shape[0], 1), n + parts - 1)], axis=1)
    out = np.diff(edges, axis=1) - 1
    out.flags.writeable = False
    return out


def _n_compositions(n: int, parts: int) -> int:
    return math.comb(n + parts - 1, parts - 1)


def _levels_update(pi: np.ndarray, R: np.ndarray, G: int, scale: str, ddof: int, eps: float,
                   part: str) -> np.ndarray:
    """Expected update for multi-level rewards: for each prompt, the other G − 1 answers' level
    counts are Multinomial(G − 1, q) with q_l the π-mass of level l; enumerate them."""
    out = np.zeros_like(pi)
    for r in R:
        v, inv = np.unique(r, return_inverse=True)
        L = v.size
        if L == 1:
            continue  # every group is flat: A = 0
        q = np.bincount(inv, weights=pi, minlength=L)
        n = _compositions(G - 1, L).astype(np.float64)
        with np.errstate(divide="ignore"):
            lq = np.log(q)
        logpmf = (special.gammaln(G) - special.gammaln(n + 1).sum(1)
                  + np.where(n > 0, n * lq[None, :], 0.0).sum(1))
        pmf = np.exp(logpmf)
        s1, s2, nz = n @ v, n @ v**2, (n > 0).sum(1)
        A = np.empty((n.shape[0], L))
        for l in range(L):
            mu = (s1 + v[l]) / G
            flat = (nz + (n[:, l] == 0)) == 1
            if scale == "none":
                A[:, l] = np.where(flat, 0.0, v[l] - mu)
            else:
                var = np.maximum((s2 + v[l] ** 2) / G - mu**2, 0.0) * G / (G - ddof)
                A[:, l] = np.where(flat, 0.0, (v[l] - mu) / (np.sqrt(var) + eps))
        if part == "positive":
            A = np.maximum(A, 0.0)
        elif part == "negative":
            A = np.minimum(A, 0.0)
        a = pmf @ A
        out += pi * (a[inv] - q @ a)
    return out / R.shape[0]


def _is_binary(R: np.ndarray) -> bool:
    return bool(np.isin(R, (0.0, 1.0)).all())


def _prep_update(logits, rewards, group_size, scale, ddof, eps, part):
    th = _logits(logits)
    R = _binary_rewards(rewards, th.size, binary=False)
    G = _group(group_size)
    ddof, e = _grpo_options(scale, ddof, eps, part)
    if R.shape[0] * G > MAX_CELLS and R.ndim == 2:
        raise v.fail("group_size", f"an integer with prompts × group_size <= {MAX_CELLS} "
                                   f"({R.shape[0]} prompts)", G)
    return th, np.atleast_2d(R), G, ddof, e


def grpo_expected_update(logits, rewards, group_size: int, *, scale: str = "std", ddof: int = 0,
                         eps: float = 1e-6, part: str = "all") -> np.ndarray:
    """The exact expected GRPO update on softmax logits (on-policy, unclipped, one step).

    The step ascends (1/G)Σ_i A_i ∇log π(y_i) with ∇_θ log π(y) = e_y − π. Because Σ_i A_i = 0,
    E[update]_y = π_y·E[A_1 | y_1 = y] (derived here), and for binary rewards E[A_1 | y_1 = y]
    is a₊ or a₋ of :func:`group_advantage_means`: O(G) per prompt, vectorised over prompts.

    ``part="positive"`` keeps only answers with A > 0, ``"negative"`` only A < 0, each with its
    own −π·ΣA term (the split of *APO* and *GTPO*): positive = π⊙a₊(r − p), negative =
    π⊙a₋(p − r); they add up to ``"all"``.

    Identities (tested): Σ_y g_y = 0; ``scale="none"`` gives (1 − 1/G)·π⊙(r − p) exactly; as
    G → ∞ with ``"std"``, π⊙(r − p)/√(p(1−p)).

    Multi-level rewards (any finite reals): given y_1, the other answers' level counts are
    Multinomial(G − 1, q), q_l the π-mass of level l, enumerated exactly (C(G+L−2, L−1) count
    vectors for L levels; binary rewards take the O(G) Binomial path).

    Parameters
    ----------
    logits : (K,) finite or −inf, K ≤ 10⁶.
    rewards : (K,) or (P, K) finite reals (verifiable: 0/1); with P prompts the update is the mean
        over prompts (one shared softmax, as in toy T2). P·K ≤ 10⁷ and P·G ≤ 10⁷; multi-level:
        P·C(G+L−2, L−1)·L ≤ 10⁷ (e.g. L = 3 levels, G = 64, P ≤ 2 400).
    group_size : int G in [2, 4096].

    Returns
    -------
    (K,) expected change of the logits per unit learning rate.

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    rewards
        2-D real array, finite, non-empty; at most 10,000,000 entries ((P, K) with K = len(logits),
        or a (K,) vector for one prompt; finite reals (verifiable: 0/1)).
    group_size
        integer >= 2 and <= 4096 (True and fractions refused).
    scale
        one of 'std', 'none'.
    ddof
        integer >= 0 and <= 1 (True and fractions refused).
    eps
        finite real number >= 0.
    part
        one of 'all', 'positive', 'negative'.
    Budget (1 GB / 1 core): answers up to 10**6; prompts × answers and prompts × group_size up to
    10**7; multi-level rewards: prompts × C(G + L - 2, L - 1) × L up to 10**7. Bad or too-large
    input raises ValueError naming the argument, before any allocation.
    """
    th, R, G, ddof, e = _prep_update(logits, rewards, group_size, scale, ddof, eps, part)
    if _is_binary(R):
        return _expected_update(_softmax(th), R, G, scale, ddof, e, part)
    L = max(np.unique(r).size for r in R)
    cells = R.shape[0] * _n_compositions(G - 1, L) * L
    if cells > MAX_CELLS:
        raise v.fail("rewards", f"rewards whose distinct levels L need prompts × C(G+L−2, L−1) × L "
                                f"<= {MAX_CELLS} cells with group_size {G} (use fewer reward "
                                "levels, a smaller group or grpo_sampled_update)",
                     f"{L} distinct levels: {cells} cells")
    return _levels_update(_softmax(th), R, G, scale, ddof, e, part)


def _sample_answers(pi: np.ndarray, shape, gen: np.random.Generator) -> np.ndarray:
    cdf = np.cumsum(pi)
    u = gen.random(shape) * cdf[-1]
    return np.minimum(np.searchsorted(cdf, u, side="right"), pi.size - 1)


def _sampled_update(pi, R, G, scale, ddof, eps, part, n_groups, gen) -> np.ndarray:
    P, K = R.shape
    y = _sample_answers(pi, (P, n_groups, G), gen)
    r = np.take_along_axis(R[:, None, :], y.reshape(P, 1, -1), axis=2).reshape(P, n_groups, G)
    A = _advantages(r, scale, ddof, eps)
    if part == "positive":
        A = np.where(A > 0, A, 0.0)
    elif part == "negative":
        A = np.where(A < 0, A, 0.0)
    n = P * n_groups * G
    return np.bincount(y.ravel(), weights=A.ravel(), minlength=K) / n - pi * (A.sum() / n)


def grpo_sampled_update(logits, rewards, group_size: int, *, scale: str = "std", ddof: int = 0,
                        eps: float = 1e-6, part: str = "all", n_groups: int = 1,
                        seed=None) -> np.ndarray:
    """One sampled GRPO update: ``n_groups`` groups of G answers y ~ π for every prompt.

    Returns the mean over prompts and groups of (1/G)Σ_i A_i (e_{y_i} − π) (``part`` as in
    :func:`grpo_expected_update`, whose value is this function's expectation).

    Parameters as :func:`grpo_expected_update`, plus ``n_groups`` (int ≥ 1; P·n_groups·G ≤ 10⁷)
    and ``seed`` (None, an int seed or a ``numpy.random.Generator``, as ``np.random.default_rng``).

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    rewards
        2-D real array, finite, non-empty; at most 10,000,000 entries ((P, K) with K = len(logits),
        or a (K,) vector for one prompt; finite reals (verifiable: 0/1)).
    group_size
        integer >= 2 and <= 4096 (True and fractions refused).
    scale
        one of 'std', 'none'.
    ddof
        integer >= 0 and <= 1 (True and fractions refused).
    eps
        finite real number >= 0.
    part
        one of 'all', 'positive', 'negative'.
    n_groups
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    Budget (1 GB / 1 core): prompts × n_groups × group_size up to 10**7. Bad or too-large input
    raises ValueError naming the argument, before any allocation.
    """
    th, R, G, ddof, e = _prep_update(logits, rewards, group_size, scale, ddof, eps, part)
    ng = integer_at_least(n_groups, "n_groups", 1)
    if R.shape[0] * ng * G > MAX_CELLS:
        raise v.fail("n_groups", f"an integer with prompts × n_groups × group_size <= {MAX_CELLS} "
                                 f"({R.shape[0]} prompts, group_size {G})", ng)
    gen = v.as_generator(seed, "seed")
    return _sampled_update(_softmax(th), R, G, scale, ddof, e, part, ng, gen)


# ---------------------------------------------------------------------------------------------
# entropy
# ---------------------------------------------------------------------------------------------
def _cov_prediction(pi: np.ndarray, logpi: np.ndarray, delta: np.ndarray) -> np.ndarray:
    d = np.where(pi > 0, delta, 0.0)
    pl = _xlogy0(pi, logpi)
    return -((pl * d).sum(-1) - pl.sum(-1) * (pi * d).sum(-1))


def entropy_change(logits, delta, *, exact: bool = False) -> float:
    """Change of the entropy H(softmax(θ)) when the logits move by δ.

    First order (default; *The Entropy Mechanism of Reinforcement Learning for Reasoning Language
    Models*): dH = −Cov_{y∼π}(log π_y, δ_y). With δ = η·π⊙Ā it is −η·Cov(log π, π·Ā):
    reinforcing likely correct answers lowers H. ``exact=True`` returns H(softmax(θ + δ)) − H(π).

    Parameters
    ----------
    logits : (K,), finite or −inf (holes stay holes; δ there is ignored), K ≤ 10⁶.
    delta : (K,) finite reals.
    exact : bool.

    Examples: π = [.5, .2, .3], r = [1, 1, 0], G = 4, δ = .1·(expected update): first order
    −4.7832e-3, exact −5.1026e-3.

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    delta
        1-D real array, finite, non-empty (shape (K,) like logits).
    exact
        True or False.
    Budget (1 GB / 1 core): answers up to 10**6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    th = _logits(logits)
    d = v.array(delta, "delta", shape=th.shape)
    exact = v.boolean(exact, "exact")
    pi = _softmax(th)
    if exact:
        new = np.where(np.isfinite(th), th + d, -np.inf)
        return float(_entropy(_softmax(new)) - _entropy(pi))
    return float(_cov_prediction(pi, _log_softmax(th), d))


# ---------------------------------------------------------------------------------------------
# KL estimators: which gradient each placement gives
# ---------------------------------------------------------------------------------------------
def _kl_grad(pi: np.ndarray, logpi: np.ndarray, logref: np.ndarray, estimator: str,
             placement: str) -> np.ndarray:
    """Expected gradient of the estimator on y ~ π (answers with π = 0 contribute 0)."""
    with np.errstate(invalid="ignore"):
        return _kl_grad_inner(pi, logpi, logref, estimator, placement)


def _kl_grad_inner(pi, logpi, logref, estimator, placement):
    alive = pi > 0
    if placement == "loss":
        if estimator == "k1":
            return np.zeros_like(pi)
        if estimator == "k3":
            ref = np.where(alive, np.exp(logref), 0.0)
            # Σ_y π(1 − ρ)(e_y − π) with πρ = π_ref: π − π_ref − π·(1 − π_ref(supp π))
            return pi - ref - pi * (1.0 - ref.sum(-1, keepdims=True))
        ell = np.where(alive, logpi - logref, 0.0)  # k2: E[ℓ(e_y − π)]
        return pi * (ell - (pi * ell).sum(-1, keepdims=True))
    ell = np.where(alive, logpi - logref, 0.0)
    if estimator == "k1":
        k = ell
    elif estimator == "k2":
        k = 0.5 * ell**2
    else:
        k = np.where(alive, np.expm1(-ell) + ell, 0.0)
    return pi * (k - (pi * k).sum(-1, keepdims=True))


def kl_grad(logits, ref_logits, estimator: str, placement: str) -> np.ndarray:
    """Expected gradient (w.r.t. the logits θ) of a KL-estimator term, y ~ π.

    With ρ = π_ref/π: k1 = −log ρ, k2 = ½log²ρ, k3 = ρ − 1 − log ρ (*Approximating KL
    Divergence*, Schulman). ``"reward"``: k is detached and enters as a reward, gradient
    E[k∇log π] = π⊙(k − E_π k); ``"loss"``: the gradient of k itself, E[∇_θ k(y)]. Derived here:

    * k1-reward = k2-loss = ∇KL(π‖π_ref) = π⊙(ℓ − E_πℓ), ℓ = log(π/π_ref);
    * k3-loss (GRPO's choice) = ∇KL(π_ref‖π) = π − π_ref: a forward-KL pull, finite when π_ref has
      zeros;
    * k1-loss = 0; k3-reward = ∇KL(π‖π_ref) − ∇KL(π_ref‖π); k2-reward is the gradient of neither
      (Liu et al. 2025, on where the KL term sits).

    A training step is θ ← θ + η·(g − β·kl_grad).

    Parameters
    ----------
    logits, ref_logits : (K,) logits of π and π_ref (normalisation irrelevant; −inf is a hole).
        ``ref_logits`` may be −inf where π > 0 only with k3-loss (the other estimators are
        infinite there); where π has a hole too, any estimator is fine (y ~ π never lands
        there). K ≤ 10⁶.
    estimator : "k1" | "k2" | "k3".  placement : "reward" | "loss".

    Returns
    -------
    (K,) gradient; answers with π = 0 get 0.

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    ref_logits
        1-D real array, no NaN, non-empty (same shape as logits; -inf where the policy has mass only
        with estimator 'k3', placement 'loss').
    estimator
        one of 'k1', 'k2', 'k3'.
    placement
        one of 'reward', 'loss'.
    Budget (1 GB / 1 core): answers up to 10**6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    th = _logits(logits)
    one_of(estimator, "estimator", ESTIMATORS)
    one_of(placement, "placement", PLACEMENTS)
    ref = _ref_logits(ref_logits, th, estimator, placement)
    return _kl_grad(_softmax(th), _log_softmax(th), _log_softmax(ref), estimator, placement)


def kl_term_optimises(grad, grad_reverse, grad_forward, *, rtol: float = 1e-9) -> str:
    """Which objective a KL term's expected gradient descends, in words.

    Compares ``grad`` (the expected gradient of one estimator × placement, :func:`kl_grad`) with
    ∇KL(π‖π_ref) (``grad_reverse``, e.g. k1 in the reward) and ∇KL(π_ref‖π) (``grad_forward``,
    e.g. k3 as a loss): equal when the largest difference is ≤ rtol·scale + 1e-15, scale the
    largest entry of the two references. Returns one of "nothing (its expected gradient is 0)",
    "both KLs (π = π_ref)", "reverse KL(π‖π_ref)", "forward KL(π_ref‖π)", "reverse − forward KL",
    "neither KL".

    Contract
    --------
    grad
        1-D real array, finite, non-empty; at most 1,000,000 entries.
    grad_reverse
        1-D real array, finite, non-empty; at most 1,000,000 entries (same length as grad).
    grad_forward
        1-D real array, finite, non-empty; at most 1,000,000 entries (same length as grad).
    rtol
        finite real number >= 0.
    Budget (1 GB / 1 core): answers up to 10**6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    g = v.array_1d(grad, "grad", max_size=MAX_ANSWERS)
    rkl = v.array_1d(grad_reverse, "grad_reverse", max_size=MAX_ANSWERS)
    fkl = v.array_1d(grad_forward, "grad_forward", max_size=MAX_ANSWERS)
    v.same_length(g, rkl, "grad", "grad_reverse")
    v.same_length(g, fkl, "grad", "grad_forward")
    tol = v.nonnegative_scalar(rtol, "rtol")
    scale = max(float(np.abs(rkl).max()), float(np.abs(fkl).max()), 1e-300)

    def close(a, b):
        return float(np.abs(a - b).max()) <= tol * scale + 1e-15

    if close(g, 0 * g):
        return "nothing (its expected gradient is 0)"
    if close(g, rkl) and close(g, fkl):
        return "both KLs (π = π_ref)"
    if close(g, rkl):
        return "reverse KL(π‖π_ref)"
    if close(g, fkl):
        return "forward KL(π_ref‖π)"
    if close(g, rkl - fkl):
        return "reverse − forward KL"
    return "neither KL"


def _ref_logits(ref_logits, th: np.ndarray, estimator: str, placement: str,
                name: str = "ref_logits") -> np.ndarray:
    ref = _logits(ref_logits, name)
    if ref.shape != th.shape:
        raise v.fail(name, f"an array of shape {th.shape} like logits", ref)
    bad = np.isfinite(th) & ~np.isfinite(ref)
    if bad.any() and (estimator, placement) != ("k3", "loss"):
        raise v.fail(name, "finite where the policy has mass (ref_logits may be -inf there only "
                           "with estimator='k3', placement='loss'; the others are infinite there)",
                     f"-inf at answer {int(np.flatnonzero(bad)[0])} with {estimator}-{placement}")
    return ref


def regularized_optimum(p_ref, rewards, beta, divergence: str) -> np.ndarray:
    """The exact optimum of E_π r − β·D with D = KL(π‖π_ref) or KL(π_ref‖π); zeros allowed.

    ``"reverse_kl"``: the tilt π ∝ π_ref·e^{r/β}, **exactly 0 where π_ref = 0** for every β.
    ``"forward_kl"``: inside supp π_ref π = βπ_ref/(λ − r), λ from Σ = 1; if the best outside
    reward r_O exceeds that λ, λ = r_O and the rest is shared equally by those outside answers
    (derived in the brief): binary reward with nothing correct inside gives p = 1 − β (β < 1).
    One implementation with :func:`kitlib.rlhf.f_regularized_policy`.

    Parameters
    ----------
    p_ref : (K,) probability vector (zeros allowed), K ≤ 10⁶.
    rewards : (K,) finite reals.
    beta : float > 0.
    divergence : "reverse_kl" | "forward_kl".

    Examples: π_ref = [.5, .5, 0], r = [0, 0, 1], β = .25: reverse [.5, .5, 0], forward
    [.125, .125, .75].

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 1,000,000 entries (at
        least 2 entries; zeros allowed).
    rewards
        1-D real array, finite, non-empty (shape (K,) like p_ref).
    beta
        finite real number > 0.
    divergence
        one of 'reverse_kl', 'forward_kl'.
    Budget (1 GB / 1 core): answers up to 10**6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    p = _probability_vector(p_ref, "p_ref")
    r = v.array(rewards, "rewards", shape=p.shape)
    b = positive_scalar(beta, "beta")
    one_of(divergence, "divergence", DIVERGENCES)
    return _f_regularized_policy(p, r, b, divergence)


# ---------------------------------------------------------------------------------------------
# entropy regularisation: bonus (SIREN's top-p mask), Lp-Reg proxy
# ---------------------------------------------------------------------------------------------
def _nucleus(pi: np.ndarray, top_p: float) -> np.ndarray:
    if top_p >= 1.0:
        return pi > 0
    order = np.argsort(-pi, kind="stable")
    before = np.concatenate([[0.0], np.cumsum(pi[order])[:-1]])
    keep = np.zeros(pi.size, dtype=bool)
    keep[order] = before < top_p
    return keep & (pi > 0)


def nucleus_mask(logits, top_p: float) -> np.ndarray:
    """The top-p nucleus of softmax(θ): answers sorted by probability are kept while the mass
    before them is < ``top_p`` (so at least the top answer). ``top_p`` in (0, 1]; 1 keeps every
    answer with π > 0. Returns a bool (K,) mask.

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    top_p
        finite real number > 0 and <= 1.
    Budget (1 GB / 1 core): answers up to 10**6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    th = _logits(logits)
    return _nucleus(_softmax(th), _unit_interval(top_p, "top_p"))


def _bonus_grad(pi: np.ndarray, logpi: np.ndarray, top_p: float) -> np.ndarray:
    keep = _nucleus(pi, top_p)
    q = np.where(keep, pi, 0.0)
    q = q / q.sum()
    lq = np.where(keep, logpi - math.log(pi[keep].sum()), 0.0)
    H = -(q * lq).sum()
    return np.where(keep, -q * (lq + H), 0.0)


def entropy_bonus_grad(logits, *, top_p: float = 1.0) -> np.ndarray:
    """Gradient w.r.t. θ of the entropy bonus H(π): −π_y(log π_y + H).

    It lifts every answer with log π_y < −H, however useless: with many junk answers an entropy
    bonus floods them (SIREN's "global entropy explosion"). With ``top_p`` < 1 the bonus is the
    entropy of the renormalised nucleus q = π/π(N) (mask N from :func:`nucleus_mask`, held fixed
    in the gradient): −q_y(log q_y + H(q)) on N, 0 outside (toy form of SIREN's top-p mask,
    derived here). A step is θ ← θ + η·(g + α·entropy_bonus_grad).

    Parameters: logits (K,) finite or −inf, K ≤ 10⁶; top_p in (0, 1]. Returns (K,).

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    top_p
        finite real number > 0 and <= 1.
    Budget (1 GB / 1 core): answers up to 10**6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    th = _logits(logits)
    tp = _unit_interval(top_p, "top_p")
    return _bonus_grad(_softmax(th), _log_softmax(th), tp)


def _lp_proxy(pi: np.ndarray, tau: float | None, kappa: float | None) -> np.ndarray:
    thr = min(tau if tau is not None else kappa * pi.max(), pi.max())
    q = np.where(pi >= thr, pi, 0.0)
    return q / q.sum()


def lp_reg_proxy(logits, *, tau=None, kappa=None) -> np.ndarray:
    """Lp-Reg's proxy (toy form): π·1[π ≥ τ] renormalised, with τ fixed (``tau``) or
    τ = κ·max π (``kappa``); exactly one of them, each in (0, 1]. The top answer is always kept.

    The regulariser pull kl_grad(θ, log proxy, "k3", "loss") = π − proxy scales every kept answer
    by 1/Z (derived here): it removes the noise below τ but cannot stop rich-get-richer
    (*Low-probability Tokens Sustain Exploration in Reinforcement Learning with Verifiable
    Reward*). Returns the proxy (K,) probability vector.

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    tau
        finite real number > 0 and <= 1; or None (exactly one of tau and kappa).
    kappa
        finite real number > 0 and <= 1; or None (exactly one of tau and kappa).
    Budget (1 GB / 1 core): answers up to 10**6. Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    th = _logits(logits)
    tau, kappa = _lp_options(tau, kappa)
    return _lp_proxy(_softmax(th), tau, kappa)


def _lp_options(tau, kappa, *, need_one: bool = True, names=("tau", "kappa")):
    """Each given value in (0, 1] (checked first, so a bad value is named), then exactly one
    of them when ``need_one``."""
    if tau is not None:
        tau = _unit_interval(tau, names[0])
    if kappa is not None:
        kappa = _unit_interval(kappa, names[1])
    if need_one and (tau is None) == (kappa is None):
        alias = "" if names == ("tau", "kappa") else f" ({names[0]} or {names[1]})"
        raise v.fail(f"{names[0]}/{names[1]}", f"exactly one of tau and kappa{alias} given",
                     f"{names[0]}={tau!r}, {names[1]}={kappa!r}")
    return tau, kappa


# ---------------------------------------------------------------------------------------------
# toys
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Toy:
    """A verifiable-reward toy: one shared softmax policy over K answers.

    Attributes
    ----------
    name : str.
    logits : (K,) initial logits θ₀ = log π_ref (−inf for a support hole).
    rewards : (P, K) 0/1, row j = which answers solve prompt j (P = 1 for a single prompt).
    labels : tuple of K answer names.
    teacher_logits : (K,) logits of a teacher (toy T3) or None.
    info : dict of the toy's settings (e.g. difficulties ``d`` and thresholds ``a`` of T2).
    """

    name: str
    logits: np.ndarray
    rewards: np.ndarray
    labels: tuple
    teacher_logits: np.ndarray | None = None
    info: dict = field(default_factory=dict)

    @property
    def p_ref(self) -> np.ndarray:
        """π_ref = softmax(θ₀)."""
        return _softmax(self.logits)

    @property
    def solve_rate(self) -> np.ndarray:
        """s = mean over prompts of the rewards (expected reward = π·s)."""
        return self.rewards.mean(axis=0)


def _log(p) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(p, dtype=np.float64))


T1_P_REF = (0.40, 0.30, 0.15, 0.10, 0.05)
T1_REWARDS = (1.0, 0.0, 1.0, 0.0, 0.0, 1.0)
T1_HOLES = {"zero": 0.0, "tiny": 1e-6, "none": 0.05}
#: the reward sets of T1: "easy" = A, C and F correct (the brief's), "hard" = only F correct.
T1_REWARD_SETS = {"easy": T1_REWARDS, "hard": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0)}
T1_LABELS = ("A", "B", "C", "D", "E", "F")


def toy_t1(*, hole: str = "zero", rewards: str = "easy") -> Toy:
    """T1, one prompt, K = 6 answers, binary reward; answer F is correct but rare in π_ref.

    π_ref ∝ [.40, .30, .15, .10, .05, h]; ``hole`` picks h: ``"zero"`` (h = 0: a support hole,
    logit −inf), ``"tiny"`` (h = 1e-6) or ``"none"`` (h = .05). ``rewards`` picks which answers
    are correct: ``"easy"`` r = [1, 0, 1, 0, 0, 1] (A, C and F) or ``"hard"`` r = [0, 0, 0, 0, 0, 1]
    (only F: a hard prompt). The labels mark the correct answers with ✓ and F as rare.
    The trap of the brief: a full-support π_ref shows none of the support story, so compare all
    three holes.

    Contract
    --------
    hole
        one of 'zero', 'tiny', 'none'.
    rewards
        one of 'easy', 'hard'.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    one_of(hole, "hole", tuple(T1_HOLES))
    one_of(rewards, "rewards", tuple(T1_REWARD_SETS))
    p = np.array(T1_P_REF + (T1_HOLES[hole],))
    p = p / p.sum()
    r = T1_REWARD_SETS[rewards]
    labels = tuple(lab + ("✓" if ri else "") for lab, ri in zip(T1_LABELS, r))
    labels = labels[:-1] + (labels[-1] + " (rare)",)
    return Toy("T1", _log(p), np.array([r]), labels, info={"hole": hole, "rewards": rewards})


T2_P_REF = (0.40, 0.25, 0.15, 0.10, 0.08, 0.02)
T2_A = (0.3, 0.5, 0.6, 0.75, 0.85)
T2_SPARK_FROM = 0.85


def toy_t2(*, n_prompts: int = 200, spark: float = 0.02) -> Toy:
    """T2, shared strategies: P prompts of difficulty d_j = (j + ½)/P, six strategies, one softmax.

    Strategy y < 5 solves prompts with d < a_y, a = [.3, .5, .6, .75, .85]; strategy 5, the
    "spark", solves only the hard ones, d ≥ .85. π_ref = [.40, .25, .15, .10, .08, .02]; ``spark``
    in (0, 1) replaces the spark's mass and rescales the others to keep Σ = 1 (.02 gives the
    brief's π_ref). p_j = (Cπ)_j; the expected reward is π·s, s = C.mean(0). P in [1, 10⁶].

    Contract
    --------
    n_prompts
        integer >= 1 and <= 1e+06 (True and fractions refused).
    spark
        finite real number > 0 and < 1.
    Budget (1 GB / 1 core): n_prompts up to 10**6. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    P = v.integer(n_prompts, "n_prompts", low=1, high=1_000_000)
    sp = real_scalar(spark, "spark", low=0.0, high=1.0, low_open=True, high_open=True)
    base = np.array(T2_P_REF[:5])
    p = np.concatenate([base * (1 - sp) / base.sum(), [sp]])
    d = (np.arange(P) + 0.5) / P
    C = np.concatenate([d[:, None] < np.array(T2_A)[None, :], (d >= T2_SPARK_FROM)[:, None]],
                       axis=1).astype(np.float64)
    return Toy("T2", _log(p), C, ("a<.3", "a<.5", "a<.6", "a<.75", "a<.85", "spark d≥.85"),
               info={"d": d, "a": np.array(T2_A), "spark": sp})


def toy_t3(*, p_student: float = 1e-3, p_teacher: float = 0.5) -> Toy:
    """T3, a hard prompt: two answers (correct, wrong); the student puts ``p_student`` on the
    correct one, the teacher ``p_teacher`` (both in (0, 1)). For distillation + RL (KDRL).

    Contract
    --------
    p_student
        finite real number > 0 and < 1.
    p_teacher
        finite real number > 0 and < 1.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    ps = v.probability(p_student, "p_student", open_ends=True)
    pt = v.probability(p_teacher, "p_teacher", open_ends=True)
    return Toy("T3", _log([ps, 1 - ps]), np.array([[1.0, 0.0]]), ("correct", "wrong"),
               teacher_logits=_log([pt, 1 - pt]), info={"p_student": ps, "p_teacher": pt})


def toy_entropy_explosion(*, n_junk: int = 997, junk_mass: float = 0.09,
                          real=(0.60, 0.30, 0.01)) -> Toy:
    """SIREN's "global entropy explosion" toy: 3 real answers plus ``n_junk`` junk answers.

    Real answers: a likely correct one, a likely wrong one and a 1 % correct "spark"
    (r = [1, 0, 1]); their masses ``real`` (3 positive numbers) are rescaled to 1 − ``junk_mass``.
    The junk answers (all wrong) share ``junk_mass`` equally. Defaults: π_ref = [.6, .3, .01]·(.91
    /.91) + 997 × 9.03e-5. n_junk in [1, 10⁶ − 3], junk_mass in (0, 1).

    Contract
    --------
    n_junk
        integer >= 1 and <= 999997 (True and fractions refused).
    junk_mass
        finite real number > 0 and < 1.
    real
        1-D real array, finite, entries > 0, non-empty (exactly 3 masses).
    Budget (1 GB / 1 core): n_junk up to 10**6 - 3. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    nj = v.integer(n_junk, "n_junk", low=1, high=MAX_ANSWERS - 3)
    jm = v.probability(junk_mass, "junk_mass", open_ends=True)
    rr = v.array(real, "real", shape=(3,), low=0.0, low_open=True)
    p = np.concatenate([rr / rr.sum() * (1 - jm), np.full(nj, jm / nj)])
    r = np.zeros(3 + nj)
    r[[0, 2]] = 1.0
    return Toy("junk", _log(p), r[None, :], ("correct", "wrong", "spark ✓") + ("junk",) * nj,
               info={"n_junk": nj, "junk_mass": jm})


# ---------------------------------------------------------------------------------------------
# trajectories and tables (what the explorers index)
# ---------------------------------------------------------------------------------------------
MAX_STEPS = 100_000
MODES = ("exact", "sampled")


@dataclass(frozen=True)
class Trajectory:
    """A GRPO training run of one shared softmax policy.

    Attributes
    ----------
    policies : (steps+1, K) π_t (row 0 is the start).
    entropy : (steps+1,) H(π_t) in nats.
    p_correct : (steps+1, P) per-prompt success probability p_j = (Cπ_t)_j.
    dH_first_order : (steps,) the covariance prediction −Cov_π(log π, Δθ) of each step.
    dH_exact : (steps,) H(π_{t+1}) − H(π_t).
    settings : dict of the options of the run.
    """

    policies: np.ndarray
    entropy: np.ndarray
    p_correct: np.ndarray
    dH_first_order: np.ndarray
    dH_exact: np.ndarray
    settings: dict

    @property
    def pass1(self) -> np.ndarray:
        """(steps+1,) pass@1 = mean over prompts of p_j."""
        return self.p_correct.mean(axis=1)

    def pass_at_k(self, k) -> np.ndarray:
        """pass@k at every step: (steps+1,) for an int k, (steps+1, len(k)) for an array."""
        first = pass_at_k(self.p_correct[0], k)  # validates k (number >= 1 or 1-D array)
        ks = np.atleast_1d(np.asarray(k, dtype=np.float64))
        with np.errstate(divide="ignore"):
            lq = np.log1p(-np.minimum(self.p_correct, 1.0))
        out = np.stack([np.mean(-np.expm1(kk * lq), axis=1) for kk in ks], axis=-1)
        return out[:, 0] if np.ndim(first) == 0 else out


def grpo_train(logits, rewards, *, steps: int = 200, group_size: int = 8, lr: float = 1.0,
               scale: str = "std", ddof: int = 0, eps: float = 1e-6, part: str = "all",
               mode: str = "exact", seed: int = 0, n_groups: int = 1,
               kl_coef: float = 0.0, kl_estimator: str = "k3", kl_placement: str = "loss",
               ref_logits=None, kd_coef: float = 0.0, teacher_logits=None,
               kd_estimator: str = "k3", kd_placement: str = "loss",
               entropy_coef: float = 0.0, top_p: float = 1.0,
               lp_coef: float = 0.0, lp_tau=None, lp_kappa=None) -> Trajectory:
    """Train softmax logits with GRPO (exact expected updates, or seeded sampled ones).

    Each step: θ ← θ + lr·(g − kl_coef·kl_grad(θ, ref) − kd_coef·kl_grad(θ, teacher)
    + entropy_coef·entropy_bonus_grad(θ; top_p) − lp_coef·(π − proxy)) with

    * g the GRPO update (:func:`grpo_expected_update`, or :func:`grpo_sampled_update` with
      ``mode="sampled"``: ``n_groups`` groups per prompt per step, ``seed``); ``part`` = "positive"
      is GTPO/APO's "skip the negative part", "negative" the opposite;
    * the KL regulariser to ``ref_logits`` (default: the start) with ``kl_estimator`` ×
      ``kl_placement`` (:func:`kl_grad`: k1-reward and k2-loss are reverse KL, k3-loss forward KL);
    * distillation (KDRL) towards ``teacher_logits`` with ``kd_estimator`` × ``kd_placement``;
    * the entropy bonus (α = ``entropy_coef``) with SIREN's top-p mask, recomputed each step and
      held fixed in the gradient;
    * Lp-Reg's pull towards the proxy π·1[π ≥ τ]/Z (``lp_tau`` fixed or ``lp_kappa``·max π),
      i.e. kl_grad(θ, log proxy, "k3", "loss") = π − proxy.

    Parameters
    ----------
    logits : (K,) start θ₀ (−inf holes stay holes: every gradient is ∝ π).
    rewards : (K,) or (P, K) 0/1 (one shared softmax over prompts, as T2).
    steps : int in [0, 10⁵], with (steps+1)·max(K, P) ≤ 10⁷ (the stored history).
    Other options as in the functions above; coefficients are ≥ 0, lr > 0.

    Returns
    -------
    :class:`Trajectory`. Speed: T2 (P = 200, K = 6), 200 exact steps ≈ 40 ms on one core.

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    rewards
        2-D real array, finite, entries >= 0 and <= 1, non-empty; at most 10,000,000 entries ((P, K)
        with K = len(logits), or a (K,) vector for one prompt; every entry 0 or 1).
    steps
        integer >= 0 and <= 100000 (True and fractions refused) ((steps + 1) × max(K, P) <= 10**7).
    group_size
        integer >= 2 and <= 4096 (True and fractions refused).
    lr
        finite real number > 0.
    scale
        one of 'std', 'none'.
    ddof
        integer >= 0 and <= 1 (True and fractions refused).
    eps
        finite real number >= 0.
    part
        one of 'all', 'positive', 'negative'.
    mode
        one of 'exact', 'sampled'.
    seed
        None, an int >= 0 or a numpy.random.Generator (used with mode='sampled').
    n_groups
        integer >= 1 (True and fractions refused).
    kl_coef
        finite real number >= 0.
    kl_estimator
        one of 'k1', 'k2', 'k3'.
    kl_placement
        one of 'reward', 'loss'.
    ref_logits
        1-D real array, no NaN, non-empty; or None (shape (K,) like logits; None: the start; -inf
        where the policy has mass only with k3-loss when kl_coef > 0).
    kd_coef
        finite real number >= 0.
    teacher_logits
        1-D real array, no NaN, non-empty; or None (shape (K,) like logits; required when kd_coef >
        0).
    kd_estimator
        one of 'k1', 'k2', 'k3'.
    kd_placement
        one of 'reward', 'loss'.
    entropy_coef
        finite real number >= 0.
    top_p
        finite real number > 0 and <= 1.
    lp_coef
        finite real number >= 0.
    lp_tau
        finite real number > 0 and <= 1; or None (exactly one of lp_tau and lp_kappa when lp_coef >
        0).
    lp_kappa
        finite real number > 0 and <= 1; or None (exactly one of lp_tau and lp_kappa when lp_coef >
        0).
    Budget (1 GB / 1 core): (steps + 1) × max(answers, prompts) up to 10**7; steps ×
    (4·prompts·(answers + group_size) + 40·answers [+ 10·prompts·n_groups·group_size sampled]) up to
    2e9 operations. Bad or too-large input raises ValueError naming the argument, before any
    allocation.
    """
    th = _logits(logits)
    R = np.atleast_2d(_binary_rewards(rewards, th.size))
    G = _group(group_size)
    ddof, e = _grpo_options(scale, ddof, eps, part)
    T = integer_at_least(steps, "steps", 0)
    if T > MAX_STEPS or (T + 1) * max(th.size, R.shape[0]) > MAX_CELLS:
        raise v.fail("steps", f"an integer in [0, {MAX_STEPS}] with (steps + 1)·max(K, P) <= "
                              f"{MAX_CELLS} (K = {th.size}, P = {R.shape[0]})", T)
    eta = positive_scalar(lr, "lr")
    one_of(mode, "mode", MODES)
    ng = integer_at_least(n_groups, "n_groups", 1)
    if mode == "sampled" and R.shape[0] * ng * G > MAX_CELLS:
        raise v.fail("n_groups", f"an integer with prompts × n_groups × group_size <= {MAX_CELLS} "
                                 f"({R.shape[0]} prompts, group_size {G})", ng)
    v.check_seed(seed, "seed")
    gen = v.as_generator(seed, "seed") if mode == "sampled" else None
    kl_c, kd_c = v.nonnegative_scalar(kl_coef, "kl_coef"), v.nonnegative_scalar(kd_coef, "kd_coef")
    ent_c = v.nonnegative_scalar(entropy_coef, "entropy_coef")
    lp_c = v.nonnegative_scalar(lp_coef, "lp_coef")
    one_of(kl_estimator, "kl_estimator", ESTIMATORS)
    one_of(kl_placement, "kl_placement", PLACEMENTS)
    one_of(kd_estimator, "kd_estimator", ESTIMATORS)
    one_of(kd_placement, "kd_placement", PLACEMENTS)
    # reference/teacher logits are checked whenever given; the estimator-dependent −inf rule
    # only applies when their term is on (coefficient > 0)
    log_ref = None
    if ref_logits is not None:
        ref = _ref_logits(ref_logits, th, "k3", "loss")
        if kl_c > 0:
            _ref_logits(ref, th, kl_estimator, kl_placement)
    if kl_c > 0:
        log_ref = _log_softmax(th if ref_logits is None else ref)
    log_teacher = None
    if teacher_logits is not None:
        teacher = _ref_logits(teacher_logits, th, "k3", "loss", "teacher_logits")
        if kd_c > 0:
            _ref_logits(teacher, th, kd_estimator, kd_placement, "teacher_logits")
    if kd_c > 0:
        if teacher_logits is None:
            raise v.fail("teacher_logits", "given (a (K,) logit vector) when kd_coef > 0", None)
        log_teacher = _log_softmax(teacher)
    tp = _unit_interval(top_p, "top_p")
    lp_tau, lp_kappa = _lp_options(lp_tau, lp_kappa, need_one=lp_c > 0,
                                   names=("lp_tau", "lp_kappa"))
    K, P = th.size, R.shape[0]
    per_step = 4 * P * (K + G) + 40 * K + (10 * P * ng * G if mode == "sampled" else 0)
    v.check_work("grpo_train", T * per_step,
                 hint="use fewer steps, prompts, answers or groups")

    tables = _adv_tables(G, scale, ddof, e)
    rows, weights = _distinct_rows(R)
    pols = np.empty((T + 1, K))
    ent = np.empty(T + 1)
    pcs = np.empty((T + 1, P))
    dh1 = np.empty(T)
    theta = th.copy()
    for t in range(T + 1):
        logpi = _log_softmax(theta)
        pi = np.exp(logpi)
        pols[t], ent[t], pcs[t] = pi, _entropy(pi), np.minimum(R @ pi, 1.0)
        if t == T:
            break
        if mode == "exact":
            step = _expected_update(pi, rows, G, scale, ddof, e, part, tables, weights)
        else:
            step = _sampled_update(pi, R, G, scale, ddof, e, part, ng, gen)
        if log_ref is not None:
            step = step - kl_c * _kl_grad(pi, logpi, log_ref, kl_estimator, kl_placement)
        if log_teacher is not None:
            step = step - kd_c * _kl_grad(pi, logpi, log_teacher, kd_estimator, kd_placement)
        if ent_c > 0:
            step = step + ent_c * _bonus_grad(pi, logpi, tp)
        if lp_c > 0:
            step = step - lp_c * (pi - _lp_proxy(pi, lp_tau, lp_kappa))
        delta = np.where(np.isfinite(theta), eta * step, 0.0)
        dh1[t] = _cov_prediction(pi, logpi, delta)
        theta = theta + delta
        theta = theta - theta[np.isfinite(theta)].max()  # keep logits bounded (softmax-invariant)
    settings = dict(steps=T, group_size=G, lr=eta, scale=scale, ddof=ddof, eps=e, part=part,
                    mode=mode, seed=seed if mode == "sampled" else None, n_groups=ng,
                    kl_coef=kl_c, kl_estimator=kl_estimator, kl_placement=kl_placement,
                    kd_coef=kd_c, kd_estimator=kd_estimator, kd_placement=kd_placement,
                    entropy_coef=ent_c, top_p=tp, lp_coef=lp_c, lp_tau=lp_tau, lp_kappa=lp_kappa)
    return Trajectory(pols, ent, pcs, dh1, np.diff(ent), settings)


def steps_to_reach(traj: Trajectory, threshold: float):
    """First step t at which pass@1 of ``traj`` (mean over prompts of p_j) is ≥ ``threshold``
    (a real in [0, 1]), or None if it never is. T3: GRPO 196, + k2-loss KD 137, + k3-loss KD 21.

    Contract
    --------
    traj
        a Trajectory from grpo_train; anything else is refused.
    threshold
        finite real number >= 0 and <= 1.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    if not isinstance(traj, Trajectory):
        raise v.fail("traj", "a Trajectory from grpo_train", type(traj).__name__)
    th = _unit_interval(threshold, "threshold", low_open=False)
    hit = np.flatnonzero(traj.pass1 >= th)
    return int(hit[0]) if hit.size else None


def kl_descent(logits, ref_logits, estimator: str, placement: str, *, lr: float = 0.5,
               steps: int = 100) -> np.ndarray:
    """Descend a KL-estimator term alone: θ ← θ − lr·kl_grad(θ, ref, estimator, placement).

    Shows which objective each placement actually minimises: k1-reward and k2-loss decrease
    KL(π‖π_ref), k3-loss decreases KL(π_ref‖π), k1-loss does not move, k2-reward is neither.
    Parameters as :func:`kl_grad`; lr > 0; steps in [0, 10⁵] with (steps+1)·K ≤ 10⁷.
    Returns (steps+1, K) policies.

    Contract
    --------
    logits
        1-D real array, no NaN, non-empty; at most 1,000,000 entries (at least 2 logits; -inf is a
        support hole, NaN and +inf refused, at least one finite).
    ref_logits
        1-D real array, no NaN, non-empty (same shape as logits; -inf where the policy has mass only
        with estimator 'k3', placement 'loss').
    estimator
        one of 'k1', 'k2', 'k3'.
    placement
        one of 'reward', 'loss'.
    lr
        finite real number > 0.
    steps
        integer >= 0 and <= 100000 (True and fractions refused) ((steps + 1) × K <= 10**7).
    Budget (1 GB / 1 core): (steps + 1) × answers up to 10**7. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    th = _logits(logits)
    one_of(estimator, "estimator", ESTIMATORS)
    one_of(placement, "placement", PLACEMENTS)
    lref = _log_softmax(_ref_logits(ref_logits, th, estimator, placement))
    eta = positive_scalar(lr, "lr")
    T = integer_at_least(steps, "steps", 0)
    if T > MAX_STEPS or (T + 1) * th.size > MAX_CELLS:
        raise v.fail("steps", f"an integer in [0, {MAX_STEPS}] with (steps + 1)·K <= {MAX_CELLS} "
                              f"(K = {th.size})", T)
    out = np.empty((T + 1, th.size))
    theta = th.copy()
    for t in range(T + 1):
        logpi = _log_softmax(theta)
        out[t] = np.exp(logpi)
        if t < T:
            g = _kl_grad(out[t], logpi, lref, estimator, placement)
            theta = theta - np.where(np.isfinite(theta), eta * g, 0.0)
    return out


#: elementary operations of one exact optimum per answer (sort/unique and a root find)
_OPT_COST = 60


def _ks(ks) -> np.ndarray:
    """``ks`` of the frontier tables: a number >= 1 or a 1-D array of them (at most 10⁴)."""
    return v.array(ks, "ks", ndim=(0, 1), atleast_1d=True, low=1, max_size=10_000)


def _shared_policy_toy(toy) -> Toy:
    if not isinstance(toy, Toy):
        raise v.fail("toy", "a Toy (toy_t1, toy_t2, ...)", type(toy).__name__)
    return toy


def optimum_frontier(toy: Toy, betas, divergence: str, *, ks=(1, 256)) -> dict:
    """Exact regularised optima of a toy's shared policy along a β grid.

    The objective is E_π r − β·D with E_π r = π·s (s = ``toy.solve_rate``) and D reverse or
    forward KL to π_ref = ``toy.p_ref`` (:func:`regularized_optimum`). Returns ``beta`` (B,),
    ``policies`` (B, K), ``pass_at_k`` (B, len(ks)). betas: 1-D, > 0, at most 10⁴ values.

    Contract
    --------
    toy
        a Toy (toy_t1, toy_t2, ...); anything else is refused.
    betas
        1-D real array, finite, entries > 0, non-empty; at most 10,000 entries.
    divergence
        one of 'reverse_kl', 'forward_kl'.
    ks
        1-D real array, finite, entries >= 1, non-empty; at most 10,000 entries (a number >= 1 or a
        1-D array of them).
    Budget (1 GB / 1 core): betas up to 10**4; betas × (60·answers + 4·len(ks)·prompts × answers) up
    to 2e9 operations. Bad or too-large input raises ValueError naming the argument, before any
    allocation.
    """
    t = _shared_policy_toy(toy)
    b = v.array(betas, "betas", max_size=10_000, low=0.0, low_open=True)
    one_of(divergence, "divergence", DIVERGENCES)
    kk = _ks(ks)
    v.check_work("optimum_frontier", b.size * (_OPT_COST * t.logits.size
                                               + 4 * kk.size * t.rewards.size),
                 hint="use fewer betas")
    p, s = t.p_ref, t.solve_rate
    pols = np.array([_f_regularized_policy(p, s, float(x), divergence) for x in b])
    pc = np.minimum(pols @ t.rewards.T, 1.0)
    return {"beta": b, "policies": pols, "pass_at_k": np.array([pass_at_k(row, kk) for row in pc])}


def matched_optima(toy: Toy, pass1, *, ks=(1, 256)) -> dict:
    """Reverse- and forward-KL optima of a toy at matched pass@1 (DPH-RL's comparison).

    For each target pass@1 (strictly between π_ref·s and max s), β is root-found (brentq in
    log β) so that the optimum's pass@1 hits it, for each divergence. T2: pass@1 .70/.75/.80 →
    pass@256 reverse .893/.863/.851, forward .957/.934/.900.

    Returns {"reverse_kl": {...}, "forward_kl": {...}}, each with ``beta`` (n,), ``policies``
    (n, K) and ``pass_at_k`` (n, len(ks)); at most 100 targets.

    Contract
    --------
    toy
        a Toy (toy_t1, toy_t2, ...); anything else is refused.
    pass1
        1-D real array, finite, non-empty; at most 100 entries (targets strictly between the
        reference's pass@1 and the best answer's solve rate; a scalar is one target).
    ks
        1-D real array, finite, entries >= 1, non-empty; at most 10,000 entries (a number >= 1 or a
        1-D array of them).
    Budget (1 GB / 1 core): up to 100 targets; targets × (1.2e4·answers + 8·len(ks)·prompts ×
    answers) up to 2e9 operations. Bad or too-large input raises ValueError naming the argument,
    before any allocation.
    """
    from scipy import optimize

    t = _shared_policy_toy(toy)
    p, s = t.p_ref, t.solve_rate
    lo, hi = float(p @ s), float(s.max())
    tg = v.array(pass1, "pass1", atleast_1d=True, max_size=100, low=lo, high=hi, low_open=True,
                 high_open=True)
    kk = _ks(ks)
    # ~100 objective evaluations per root find, two divergences, then the frontiers
    v.check_work("matched_optima", tg.size * 2 * (100 * _OPT_COST * t.logits.size
                                                  + 4 * kk.size * t.rewards.size),
                 hint="use fewer pass@1 targets")
    out = {}
    for div in DIVERGENCES:
        betas = []
        for target in tg:
            def f(x):
                return float(_f_regularized_policy(p, s, math.exp(x), div) @ s) - target
            a, b = -30.0, 10.0
            while f(b) > 0 and b < 60:
                b += 10.0
            betas.append(math.exp(optimize.brentq(f, a, b, xtol=1e-13, rtol=1e-13)))
        out[div] = optimum_frontier(t, betas, div, ks=kk)
    return out
