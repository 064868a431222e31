"""Toy problems: a categorical "LM", many prompts, the memoryless token model, Goodhart."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from kitlib import _validate as _v
from kitlib.rlhf._best_of_n import _bon_log_q, bon_kl_bound
from kitlib.rlhf._common import MAX_RESPONSES, _limit, _lse

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
        from scipy import stats  # lazy: scipy.stats costs ~1 s to import on a busy core

        ranks = stats.rankdata(r) / (r.size + 1)
        r = np.floor(ranks * n_levels) / (n_levels - 1)
    elif reward != "gaussian":
        raise ValueError(f"reward must be 'gaussian' or 'levels'; got {reward!r}")
    return p, r


def prompts_toy(*, n_prompts: int = 300, n_responses: int = 64, seed=0, peakedness: float = 1.0,
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


_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def _binom_logpmf(k: np.ndarray, n: int, q: float) -> np.ndarray:
    """log Binomial(n, q) pmf at k = 0 … n, as scipy.stats.binom.logpmf computes it (log-gamma
    binomial coefficient + xlogy terms), without importing scipy.stats."""
    comb = special.gammaln(n + 1) - (special.gammaln(k + 1) + special.gammaln(n - k + 1))
    return comb + special.xlogy(k, q) + special.xlog1py(n - k, -q)


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
    d = _v.positive_scalar(delta, "delta")
    k = np.arange(n + 1, dtype=np.float64)
    lP = _binom_logpmf(k, n, q)
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
    eh = m + np.exp(-0.5 * m**2 - _LOG_SQRT_2PI - special.log_ndtr(m))  # φ(m)/Φ(m)
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
