"""f-regularised optima (f-DPO) and regulariser values, named as in :mod:`kitlib.divergences`.

One vocabulary: every regulariser name is a canonical name of the divergence registry, with the
registry's formula, under its (target, model) convention with target p = π_ref and model q = π:

===========  ===========================================  ======================================
name         the regulariser (registry value)             generator g, D = Σ π_ref·g(π/π_ref)
===========  ===========================================  ======================================
reverse_kl   KL(π‖π_ref) = ``divergences.kl(π, π_ref)``   ``F_DIVERGENCES["forward_kl"]``: u log u
forward_kl   KL(π_ref‖π) = ``divergences.kl(π_ref, π)``   ``F_DIVERGENCES["reverse_kl"]``: −log u
js           JSD(π_ref, π) = ``divergences.js``           ``F_DIVERGENCES["js"]`` (symmetric)
alpha        Minka's D_α(π_ref‖π)                         ``minka_alpha(1 − α)``
neyman_chi2  χ²_N(π_ref‖π) = Σ (π − π_ref)²/π_ref         ``F_DIVERGENCES["chi2"]``: (u − 1)²
             = Pearson χ²(π‖π_ref) = ``chi2(π, π_ref)``
tv           ½ Σ |π − π_ref| = ``divergences.tv``          ``F_DIVERGENCES["tv"]`` (symmetric)
===========  ===========================================  ======================================

(The registry's generators are written for D_f(p‖q) = Σ q f(p/q); with p = π and q = π_ref the
generator of a regulariser is the registry generator of the *swapped* name.)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from kitlib import _validate as _v
from kitlib import divergences
from kitlib.rlhf._common import MAX_RESPONSES, _limit, _logp, _lse, _policy_and_ref, _pr
from kitlib.rlhf._frontier import tilt

#: The regularisers of :func:`f_regularized_policy` and :func:`f_divergence_value` (canonical
#: names of :mod:`kitlib.divergences`).
F_REGULARIZERS = ("reverse_kl", "forward_kl", "js", "alpha", "neyman_chi2", "tv")
#: The regularisers of the many-prompt solvers :func:`f_regularized_batch` and :func:`matched_beta`.
BATCH_REGULARIZERS = ("reverse_kl", "forward_kl", "js")

#: the registry generator g(u), u = π/π_ref, of each regulariser (α: ``minka_alpha(1 − α)``)
_GENERATOR = {"reverse_kl": "forward_kl", "forward_kl": "reverse_kl", "js": "js",
              "neyman_chi2": "chi2", "tv": "tv"}

#: the value of each regulariser, D(target = π_ref, model = π), from kitlib.divergences
_VALUE = {
    "reverse_kl": lambda p, pi, a: divergences.kl(pi, p),
    "forward_kl": lambda p, pi, a: divergences.kl(p, pi),
    "js": lambda p, pi, a: divergences.js(p, pi),
    "alpha": lambda p, pi, a: divergences.alpha_divergence(p, pi, a),
    "neyman_chi2": lambda p, pi, a: divergences.chi2(pi, p),
    "tv": lambda p, pi, a: divergences.tv(p, pi),
}


def generator(divergence: str, *, alpha=None) -> divergences.FDivergence:
    """The registry's f-generator g of a regulariser, oriented so that D = Σ π_ref·g(π/π_ref).

    ``F_DIVERGENCES[name]`` defines D_f(p‖q) = Σ q f(p/q); a regulariser D(π_ref, π) written as
    Σ π_ref·g(π/π_ref) uses the generator of the swapped divergence: reverse KL(π‖π_ref) has
    g = ``F_DIVERGENCES["forward_kl"]`` (u log u), forward KL g = ``F_DIVERGENCES["reverse_kl"]``
    (−log u), Neyman χ²(π_ref‖π) g = ``F_DIVERGENCES["chi2"]`` ((u − 1)²), Minka's D_α(π_ref‖π)
    g = ``minka_alpha(1 − α)``; JS and TV are symmetric. The optimum of
    E_π r − β·D satisfies g′(π/π_ref) = (r − λ)/β (:func:`f_regularized_policy`).

    Contract
    --------
    divergence
        one of 'reverse_kl', 'forward_kl', 'js', 'alpha', 'neyman_chi2', 'tv'.
    alpha
        finite real number > 0 and < 1; or None (only (and required) for divergence='alpha').
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    a = _check_div(divergence, alpha)
    if divergence == "alpha":
        return divergences.minka_alpha(1.0 - a)
    return divergences.F_DIVERGENCES[_GENERATOR[divergence]]


def _check_div(divergence: str, alpha, options=F_REGULARIZERS):
    if divergence == "chi2" and "neyman_chi2" in options:
        raise ValueError("divergence must be one of " + ", ".join(map(repr, options)) + "; got "
                         "'chi2' (in the registry's (target, model) convention Σ(π − π_ref)²/π_ref "
                         "= χ²(π‖π_ref) is 'neyman_chi2'; registry 'chi2' is Pearson's χ²(π_ref‖π))")
    _v.one_of(divergence, "divergence", options)
    if divergence == "alpha":
        return _v.real_scalar(alpha, "alpha", low=0.0, high=1.0, low_open=True, high_open=True,
                              allowed="a real number in the open interval (0, 1) for "
                                      "divergence='alpha'")
    if alpha is not None:
        raise ValueError(f"alpha is only used by divergence='alpha'; got alpha={alpha!r}")
    return None


def _u_of(divergence: str, v: np.ndarray, alpha) -> np.ndarray:
    """u = π/π_ref = (g′)⁻¹(v), v = (r − λ)/β, for the generator g of :func:`generator`.

    The closed-form inverses of the registry generators' derivatives (tests check
    g.f_prime(u) = v): forward KL g′ = −1/u; JS g′ = ½ log(2u/(u + 1)); α g′ = (1 − u^{−α})/α;
    Neyman χ² g′ = 2(u − 1), cut at u = 0.
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if divergence == "forward_kl":
            return -1.0 / v
        if divergence == "js":
            return 1.0 / (2.0 * np.exp(-2.0 * v) - 1.0)
        if divergence == "alpha":
            return np.exp(-np.log1p(-alpha * v) / alpha)
        if divergence == "neyman_chi2":
            return np.maximum(0.0, 1.0 + 0.5 * v)
    raise AssertionError(divergence)


def f_regularized_policy(p_ref, rewards, beta, divergence: str, *, alpha=None) -> np.ndarray:
    """The exact optimum of E_π r − β·D_f(π‖π_ref), D_f(π‖π_ref) = Σ π_ref·f(π/π_ref).

    KKT: u = π/π_ref = (f′)⁻¹((r − λ)/β) with λ fixed by Σ π_ref·u = 1 (a monotone 1-D root find,
    scipy's brentq on a bracket known in closed form). u depends on y only through r(y).

    The generators g are the registry's (:func:`generator`); every name means the formula of
    :mod:`kitlib.divergences` under target = π_ref, model = π (:func:`f_divergence_value`).

    ============  =============================================  ===========================
    divergence    g(u)                                           u = (g′)⁻¹(v)
    ============  =============================================  ===========================
    reverse_kl    u log u  (KL(π‖π_ref))                         e^{v−1} (the tilt)
    forward_kl    −log u  (KL(π_ref‖π))                          β/(λ − r) on supp π_ref
    js            ½[u log u − (u+1) log((u+1)/2)]  (JSD)         e^{2v}/(2 − e^{2v})
    alpha         Minka's D_α(π_ref‖π), α ∈ (0, 1)               (1 − αv)^{−1/α}
    neyman_chi2   (u − 1)²  (Σ(π − π_ref)²/π_ref)                max(0, 1 + v/2)
    tv            ½|u − 1|                                       greedy (see below)
    ============  =============================================  ===========================

    ``js`` is the Jensen–Shannon divergence itself (in nats), never 2·JSD: the optimum with
    β·JSD is the optimum with (β/2)·(2·JSD), the f-GAN convention.

    α is f-DPO's α (*Beyond Reverse KL: Generalizing Direct Preference Optimization with Diverse
    Divergence Constraints*), i.e. Minka's α with p = π_ref: α → 0 is reverse KL, α → 1 forward KL.
    Total variation: every response with r < max r − β gives all its mass to the argmax set
    (proportionally to π_ref); the rest keep π_ref.

    Responses outside supp π_ref (π_ref = 0). ``reverse_kl`` and ``neyman_chi2`` charge an infinite price
    for mass there, so their optima are exactly 0 there. ``forward_kl`` (KL(π_ref‖π)) charges
    nothing outside the support, and its optimum may put mass there (derived in the notebook-05
    brief): inside, π = βπ_ref/(λ − r) with λ ∈ [r_S + β·P_top, r_S + β] from Σ = 1 (r_S the best
    in-support reward, P_top its π_ref-mass); if the best outside reward r_O exceeds that λ, then
    λ = r_O and the rest 1 − Σ_S βπ_ref/(r_O − r) is split equally among the outside responses
    with reward r_O (any split is optimal; equal is the convention). Binary reward with no correct
    answer inside: the outside correct answers get 1 − β (β < 1). With a full-support π_ref
    nothing changes. ``js``, ``alpha`` and ``tv`` charge a finite price per unit of mass outside
    (β·(log 2)/2, β/α, β/2); this function **restricts them to supp π_ref** (a convention: their
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
        one of 'reverse_kl', 'forward_kl', 'js', 'alpha', 'neyman_chi2', 'tv'.
    alpha
        finite real number > 0 and < 1; or None (only (and required) for divergence='alpha').
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _v.positive_scalar(beta, "beta")
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
        lo, hi = -0.5 * b * math.log(2.0 / (1.0 + Ptop)), 0.0
    elif divergence == "alpha":
        lo, hi = -b * (1.0 - Ptop**a) / a, 0.0
    else:  # neyman_chi2
        lo, hi = -2.0 * b * (1.0 / Ptop - 1.0), 0.0
    x = vals - rmax

    def g(t):
        return float(P @ _u_of(divergence, (x - t) / b, a)) - 1.0

    if g(lo) <= 0:
        t = lo
    elif g(hi) >= 0:
        t = hi
    else:
        t = optimize.brentq(g, lo, hi, xtol=1e-15 * max(1.0, abs(lo)), rtol=4 * np.finfo(float).eps,
                            maxiter=500)
    u = _u_of(divergence, (x - t) / b, a)
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
    [β·P_top, β], JS [−(β/2)·log(2/(1 + P_top)), 0]; at most 200 halvings: exact to rounding).
    Forward KL may put mass outside supp π_ref, as in :func:`f_regularized_policy`; JS stays
    inside it (the kit's convention, documented there).

    ``"js"`` is the Jensen–Shannon divergence (the registry's generator
    g(u) = ½[u log u − (u+1) log((u+1)/2)]), so u = 1/(2e^{2(λ − r)/β} − 1).

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
    b = _v.positive_scalar(beta, "beta")
    _v.one_of(divergence, "divergence", BATCH_REGULARIZERS)
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
    else:
        lo, hi = -0.5 * b * np.log(2.0 / (1.0 + ptop)), np.zeros_like(ptop)

    def u_of(t):
        return _u_of(divergence, (x - t) / b, None)

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
    ``divergence`` in :data:`BATCH_REGULARIZERS`); this finds β with

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
        ``"reverse_kl"``, ``"forward_kl"`` or ``"js"`` (the Jensen–Shannon divergence; see
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
    _v.one_of(divergence, "divergence", BATCH_REGULARIZERS)
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
    """The regulariser D(π_ref, π) by its canonical name, from :mod:`kitlib.divergences`.

    Target p = π_ref, model q = π (the registry's convention), so the value equals
    ``divergences.divergence(p_ref, policy, divergence, alpha=alpha)``:

    * ``reverse_kl`` KL(π‖π_ref) = ``divergences.kl(policy, p_ref)``;
    * ``forward_kl`` KL(π_ref‖π) = ``divergences.kl(p_ref, policy)`` (+inf if π drops a response);
    * ``js`` the Jensen–Shannon divergence JSD(π_ref, π) = ``divergences.js`` (nats, ≤ log 2);
    * ``alpha`` Minka's D_α(π_ref‖π) = ``divergences.alpha_divergence(p_ref, policy, alpha)``;
    * ``neyman_chi2`` χ²_N(π_ref‖π) = Σ (π − π_ref)²/π_ref = ``divergences.chi2(policy, p_ref)``
      (Pearson's χ²(π‖π_ref); +inf if π > 0 = π_ref);
    * ``tv`` ½Σ|π − π_ref| = ``divergences.tv``.

    Each equals Σ π_ref·g(π/π_ref) for the generator g of :func:`generator`.

    Contract
    --------
    policy
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    divergence
        one of 'reverse_kl', 'forward_kl', 'js', 'alpha', 'neyman_chi2', 'tv'.
    alpha
        finite real number > 0 and < 1; or None (only (and required) for divergence='alpha').
    Budget (1 GB / 1 core): up to 4,194,304 responses. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    _policy_and_ref(policy, p_ref)  # refuses bad input naming policy / p_ref
    a = _check_div(divergence, alpha)
    # the registry's functions on the arguments as given: bit for bit divergence(p_ref, policy, ·)
    return float(_VALUE[divergence](p_ref, policy, a))
