"""The objective D(p ‖ N(μ, s²)) on per-candidate grids.

A private module of :mod:`kitlib.fitting`: import its public names from there.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from kitlib import _validate as _v
from kitlib._validate import one_of
from kitlib.divergences import _HALF_LOG_2PI, grid_divergence
from kitlib.fitting._common import (
    FIT_DIVERGENCES,
    MAX_CANDIDATES,
    _CHUNK_ENTRIES,
    _FINE,
    _N_MAX,
    _Target,
    _alpha_for,
    _check_scales,
    _mixture,
)

__all__ = ["gaussian_objective"]


def _tail_order(divergence: str, alpha: float | None) -> float | None:
    """The α of ∫p^α q^{1−α} when that integral can diverge through the tails, else None."""
    if divergence == "chi2":
        return 2.0
    if divergence == "alpha" and (alpha < 0.0 or alpha > 1.0):
        return alpha
    return None


def _tail_lambda(a: float, smax: float, s):
    r"""Tail precision λ = α/σ_max² + (1 − α)/s²: ∫p^α q^{1−α} < ∞ iff λ > 0."""
    return a / smax**2 + (1.0 - a) / np.asarray(s, dtype=np.float64) ** 2


def _std_at_lambda(a: float, smax: float, lam: float) -> float:
    """The s at which λ(s) = lam (the edge of the finite region for lam = 0)."""
    return math.sqrt((1.0 - a) / (lam - a / smax**2))


def _feasible_std_interval(tgt: _Target, a: float | None, floor: float = 0.0) -> tuple[float, float]:
    """Open interval of s with λ(s) > floor·min(1, |α|)/σ_max² (all s > 0 when a is None)."""
    if a is None:
        return 0.0, math.inf
    lam = floor * min(1.0, abs(a)) / tgt.smax**2
    if a > 1.0:
        return _std_at_lambda(a, tgt.smax, lam), math.inf
    return 0.0, _std_at_lambda(a, tgt.smax, lam)


def _valley_width(tgt: _Target) -> float:
    r"""min over component pairs of π σ_j σ_k/|m_j − m_k| (inf for one component)."""
    dm = np.abs(tgt.m[:, None] - tgt.m[None, :])
    with np.errstate(divide="ignore"):
        width = np.where(dm > 0, math.pi * np.outer(tgt.s, tgt.s) / dm, np.inf)
    return float(width.min())


class _Objective:
    """D(p ‖ N(μ, s²)) for batches of candidates; each candidate has its own grid window.

    Windows are slices of lattices x_i = i·dx (one lattice per resolution level, dx halving per
    level), so log p is computed once per lattice and cached; log q is Gaussian and cheap.
    ``grid_divergence`` normalises every row by its own grid mass, so rows of different lattices
    need no common dx; rows are grouped only to keep a common window length.
    """

    def __init__(self, tgt: _Target, divergence: str, alpha: float | None,
                 quality: tuple[float, float, float, int] = _FINE):
        n_sd, per_sd, per_valley, n_min = quality
        self.tgt = tgt
        self.divergence = divergence
        self.alpha = alpha
        self.a = _tail_order(divergence, alpha)
        self.n_sd = n_sd
        self.n_min = n_min
        spread_a = 1.0 if self.a is None else math.sqrt(max(1.0, abs(self.a)))
        self.spread_q = 1.0 if self.a is None else math.sqrt(max(1.0, abs(1.0 - self.a)))
        self.dx0 = tgt.smin / spread_a / per_sd
        analytic = divergence in ("cauchy_schwarz", "chi2", "tv") or (
            divergence == "alpha" and alpha >= 2 and float(alpha).is_integer())  # p², p³, …
        if not analytic:
            self.dx0 = min(self.dx0, _valley_width(tgt) / per_valley)
        self.per_sd = per_sd
        self.t_lo, self.t_hi = tgt.span(n_sd)
        self._lattices: dict[int, tuple[int, np.ndarray]] = {}

    def feasible(self, s) -> np.ndarray:
        s = np.asarray(s, dtype=np.float64)
        if self.a is None:
            return np.ones(s.shape, dtype=bool)
        return _tail_lambda(self.a, self.tgt.smax, s) > 0

    def _windows(self, mu, s):
        tgt, L = self.tgt, self.n_sd
        lo = np.minimum(self.t_lo, mu - L * s)
        hi = np.maximum(self.t_hi, mu + L * s)
        if self.a is not None:
            # Beyond the bulk, p ≈ w_j N_j for the widest component with the most extreme mean
            # on that side, so p^α q^{1−α} decays like a Gaussian of precision λ > 0 centred at
            # c = (α m_j/σ² + (1 − α) μ/s²)/λ: cover L/√λ past max(c, bulk) on each side.
            a, smax = self.a, tgt.smax
            widest = tgt.s >= smax * (1.0 - 1e-12)
            lam = a / smax**2 + (1.0 - a) / s**2
            half = L / np.sqrt(lam)
            for m_side, side in ((np.max(tgt.m[widest]), 1.0), (np.min(tgt.m[widest]), -1.0)):
                centre = (a * m_side / smax**2 + (1.0 - a) * mu / s**2) / lam
                if side > 0:
                    hi = np.maximum(hi, centre) + half
                else:
                    lo = np.minimum(lo, centre) - half
        dx_need = np.minimum(self.dx0, s / self.spread_q / self.per_sd)
        level = np.ceil(np.log2(self.dx0 / dx_need) - 1e-9).astype(int)
        # never more than _N_MAX points: coarsen the level for huge windows (near the tail edge)
        level_cap = np.floor(np.log2(_N_MAX * self.dx0 / (hi - lo))).astype(int)
        level = np.minimum(level, level_cap)
        return lo, hi, level

    def _lattice(self, level: int, i_lo: int, i_hi: int) -> tuple[int, np.ndarray]:
        dx = math.ldexp(self.dx0, -level)
        cached = self._lattices.get(level)
        if cached is not None and cached[0] <= i_lo and i_hi <= cached[0] + cached[1].size:
            return cached
        if cached is not None:
            i_lo, i_hi = min(i_lo, cached[0]), max(i_hi, cached[0] + cached[1].size)
        pad = (i_hi - i_lo) // 4 + 8
        i_lo, i_hi = i_lo - pad, i_hi + pad
        lp = self.tgt.logpdf(np.arange(i_lo, i_hi) * dx)
        self._lattices[level] = (i_lo, lp)
        return i_lo, lp

    def __call__(self, mu, s) -> np.ndarray:
        mu, s = np.broadcast_arrays(np.asarray(mu, dtype=np.float64),
                                    np.asarray(s, dtype=np.float64))
        shape = mu.shape
        mu, s = mu.ravel(), s.ravel()
        out = np.full(mu.size, np.inf)
        ok = self.feasible(s)
        if not ok.any():
            return out.reshape(shape)
        idx = np.flatnonzero(ok)
        lo, hi, level = self._windows(mu[idx], s[idx])
        dx = np.ldexp(self.dx0, -level)
        i_lo = np.floor(lo / dx).astype(np.int64)
        n_need = np.ceil(hi / dx).astype(np.int64) - i_lo + 1
        n_class = np.ceil(np.log2(np.maximum(n_need, self.n_min))).astype(int)
        for key in np.unique(np.stack([level, n_class]), axis=1).T:
            sel = (level == key[0]) & (n_class == key[1])
            n = int(n_need[sel].max())
            n = max(n, self.n_min)
            lat_lo, lp_lat = self._lattice(int(key[0]), int(i_lo[sel].min()),
                                           int(i_lo[sel].max()) + n)
            offs = np.arange(n)
            rows = np.flatnonzero(sel)
            step = max(1, _CHUNK_ENTRIES // n)  # rows per batch: bounded working memory
            for r0 in range(0, rows.size, step):
                part = rows[r0:r0 + step]
                lp = lp_lat[(i_lo[part] - lat_lo)[:, None] + offs]
                x = (i_lo[part][:, None] + offs) * dx[part][:, None]
                m_, s_ = mu[idx[part]][:, None], s[idx[part]][:, None]
                z = (x - m_) / s_
                lq = -0.5 * z * z - np.log(s_) - _HALF_LOG_2PI
                if self.divergence == "tv":
                    vals = self._tv(x, lp, lq, m_, s_)
                else:
                    with np.errstate(all="ignore"):
                        vals = grid_divergence(lp, lq, 1.0, self.divergence, alpha=self.alpha)
                out[idx[part]] = np.where(np.isnan(vals), np.inf, vals)
        return out.reshape(shape)

    def _tv(self, x, lp, lq, mu, s) -> np.ndarray:
        r"""TV = ∫(p − q)₊ = Σ_c ±(F_p − F_q)(c) over the crossings c of p and q.

        A Riemann sum of |p − q| has an O(dx²) error at every kink; this form is exact up to the
        crossing locations, which enter only at second order (p = q there), and it is smooth in
        (μ, s). Crossings: sign changes of log p − log q on the window, refined inside their
        grid cell by the Illinois (regula falsi) method (near-tangent crossings make plain linear
        interpolation too crude). Leaving {p > q} adds +G(c), entering adds −G(c),
        G = F_p − F_q (G(±∞) = 0).
        """
        h = lp - lq
        pos = h > 0
        rows, cols = np.nonzero(pos[:, 1:] != pos[:, :-1])
        tgt = self.tgt
        mu_c, s_c = mu[rows, 0], s[rows, 0]
        a, b = x[rows, cols], x[rows, cols + 1]
        ha, hb = h[rows, cols], h[rows, cols + 1]
        c = a + (b - a) * ha / (ha - hb)
        for _ in range(30):
            if c.size == 0:
                break
            # h = log p − log q and h' = (log p)' − (log q)' at c
            zc = (c[:, None] - tgt.m) / tgt.s
            log_terms = np.log(tgt.w) - 0.5 * zc * zc - np.log(tgt.s)
            top = log_terms.max(axis=1, keepdims=True)
            resp = np.exp(log_terms - top)
            norm = resp.sum(axis=1)
            zq = (c - mu_c) / s_c
            hc = (np.log(norm) + top[:, 0] + 0.5 * zq * zq + np.log(s_c))
            slope = -(resp * zc / tgt.s).sum(axis=1) / norm + zq / s_c
            # keep the bracket, then a Newton step, falling back to bisection outside it
            left = (hc > 0) == (ha > 0)
            a, ha = np.where(left, c, a), np.where(left, hc, ha)
            b, hb = np.where(left, b, c), np.where(left, hb, hc)
            with np.errstate(divide="ignore", invalid="ignore"):
                newton = c - hc / slope
            inside = (newton >= a) & (newton <= b)
            c_new = np.where(inside, newton, 0.5 * (a + b))
            done = np.max(np.abs(c_new - c)) < 1e-13 * max(1.0, float(np.max(np.abs(c))))
            c = c_new
            if done:
                break
        g = special.ndtr((c[:, None] - tgt.m) / tgt.s) @ tgt.w
        g -= special.ndtr((c - mu[rows, 0]) / s[rows, 0])
        sign = np.where(pos[rows, cols], 1.0, -1.0)  # p > q before c: leaving the region
        out = np.zeros(h.shape[0])
        np.add.at(out, rows, sign * g)
        return np.clip(out, 0.0, 1.0)


def _w2_scale(tgt: _Target) -> float:
    r"""s* = ∫₀¹ F_p⁻¹(u) Φ⁻¹(u) du = E_p[(X − E X) Φ⁻¹(F_p(X))] (the W2-optimal scale)."""
    lo, hi = tgt.span(14.0)
    n = int(min(max(4000, math.ceil((hi - lo) / (tgt.smin / 16.0))), 400_000))
    x = np.linspace(lo, hi, n)
    z = (x[:, None] - tgt.m) / tgt.s
    cdf = special.ndtr(z) @ tgt.w
    sf = special.ndtr(-z) @ tgt.w
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(cdf < 0.5, special.ndtri(cdf), -special.ndtri(sf))
        dens = np.exp(tgt.logpdf(x))
        integrand = np.where(np.isfinite(q), (x - tgt.mean) * dens * q, 0.0)
    return float(np.sum(integrand) * (x[1] - x[0]))


def _w2_value(tgt: _Target, s_star: float, mu, s):
    r"""W2²(p, N(μ, s²)) = Var_p + (E_p x − μ)² − 2 s s* + s² (quantile coupling)."""
    mu, s = np.asarray(mu, dtype=np.float64), np.asarray(s, dtype=np.float64)
    return np.maximum(tgt.var + (tgt.mean - mu) ** 2 - 2.0 * s * s_star + s * s, 0.0)


def gaussian_objective(weights, means, stds, mean, std, divergence, *, alpha=None):
    r"""D(p ‖ N(mean, std²)) for a 1-D Gaussian-mixture target p, vectorised over candidates.

    The objective that :func:`fit_gaussian` minimises (use it for landscapes and checks).
    ``mean`` and ``std`` broadcast together. For the tail-sensitive cases (Minka α < 0 or α > 1,
    Pearson χ² which is α = 2) ∫p^α q^{1−α} is finite iff

    .. math:: \lambda = \alpha/\sigma_{\max}^2 + (1 - \alpha)/s^2 > 0,

    σ_max the largest component sd (the widest component dominates both tails, whatever the sign
    of α): α > 1 needs s² > (α − 1)σ_max²/α (Pearson: s² > σ_max²/2), α < 0 needs
    s² < (1 − α)σ_max²/|α|. Outside, the value is +inf (the divergence is infinite), decided
    analytically; inside, each candidate's grid covers the envelope of p^α q^{1−α}.

    Parameters
    ----------
    weights, means, stds : array_like, shape (K,)
        The target mixture: weights ≥ 0 summing to 1, stds > 0.
    mean, std : array_like
        Candidate model parameters (std > 0), broadcast together.
    divergence : str
        One of :data:`FIT_DIVERGENCES` (see :func:`fit_gaussian` for what each value means).
    alpha : float, optional
        Minka's α, required for ``"alpha"`` only.

    Returns
    -------
    float or ndarray
        Broadcast shape of ``mean`` and ``std``.

    Contract
    --------
    weights
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 64 entries (mixture
        weights, shape (K,)).
    means
        1-D real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 64 entries
        (component means, shape (K,); |means| <= 1e9 × min(stds)).
    stds
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 64 entries (component
        standard deviations, shape (K,), >= 1e-100; the means span at most 1e6 × min(stds)).
    mean
        real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 65,536 entries
        (candidate means, broadcast with std).
    std
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 65,536 entries (>=
        1e-100).
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    Budget (1 GB / 1 core): mean × std broadcast to at most 65,536 candidates. Bad or too-large
    input raises ValueError naming the argument, before any allocation.
    """
    tgt = _mixture(weights, means, stds)
    divergence = one_of(divergence, "divergence", FIT_DIVERGENCES)
    a = _alpha_for(divergence, alpha)
    try:
        mu = np.asarray(mean, dtype=np.float64)
        s = np.asarray(std, dtype=np.float64)
        mu, s = np.broadcast_arrays(mu, s)
    except (TypeError, ValueError) as err:
        raise ValueError(f"mean and std must be real arrays that broadcast; got {mean!r} and "
                         f"{std!r}") from err
    if mu.size > MAX_CANDIDATES:
        raise _v.ResourceLimitError(
            f"mean and std must broadcast to at most {MAX_CANDIDATES:,} candidates on the 1 GB / "
            f"1-core budget (each needs its own grid); got shape {mu.shape}. Use a coarser grid.")
    if mu.size == 0:
        raise ValueError(f"mean and std must broadcast to at least one candidate; got shape "
                         f"{mu.shape}")
    if not np.isfinite(mu).all():
        raise ValueError(f"mean must be finite; got {mean!r}")
    if not (np.isfinite(s).all() and (s > 0).all()):
        raise ValueError(f"std must be finite and > 0; got {std!r}")
    _check_scales("mean", mu)
    _check_scales("std", s, positive=True)
    if divergence == "w2":
        out = _w2_value(tgt, _w2_scale(tgt), mu, s)
    else:
        div, a = _resolve_alpha(divergence, a)
        out = _Objective(tgt, div, a, _FINE)(mu, s)
    return float(out) if out.ndim == 0 else out


def _resolve_alpha(divergence: str, alpha: float | None) -> tuple[str, float | None]:
    """Minka α at exactly 1 or 0 is forward / reverse KL: use those code paths."""
    if divergence == "alpha" and alpha == 1.0:
        return "forward_kl", None
    if divergence == "alpha" and alpha == 0.0:
        return "reverse_kl", None
    return divergence, alpha
