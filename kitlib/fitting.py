r"""Fitting a model by minimising a divergence: what each divergence makes the model do.

The convention of the whole kit: p is the **target** (data, teacher), q the **model** (student);
forward KL(p‖q) is mass-covering, reverse KL(q‖p) mode-seeking, Minka's α interpolates (α → 1
forward, α → 0 reverse). Natural logs, float64.

Which function to choose
------------------------
* One Gaussian q = N(μ, s²) fitted to a 1-D Gaussian mixture p, globally:
  :func:`fit_gaussian` (→ :class:`GaussianFit`); the objective itself, vectorised over candidate
  (μ, s) for checking: :func:`gaussian_objective`; a plotting landscape and the fit in one call,
  for explorers: :func:`fit_gaussian_grid`.
* The symmetric two-mode target ½N(−d, 1) + ½N(d, 1): :func:`switch_separation` (where the
  global fit jumps to one mode), :func:`one_mode_appears` (where a one-mode *local* minimum first
  exists) and :func:`switch_curve` (the switch separation along Minka's α, for a plot).
* A k-component mixture q fitted by forward or reverse KL, with its optimisation path:
  :func:`fit_mixture` (→ :class:`MixtureFit`).
* Gradients felt by a model that starts far from the target (SinKD's argument for optimal
  transport): :func:`gradient_far_away` (→ :class:`FarGradients`).
* Categorical (logit) distillation: :func:`softmax` and :func:`student_fit` (→ :class:`StudentFit`).

Numerics: divergences between densities are evaluated on uniform grids by
:func:`kitlib.divergences.grid_divergence` (log space, batched over candidates); each candidate gets
its own window, sized from the target (all components ± 12 sd), the candidate (± 12 s) and, for
the tail-sensitive α-divergences, the envelope of p^α q^{1−α}. The spacing resolves the narrowest
feature *and* the "valleys" between separated components (log p, √p and p^α have complex
branch points there), which gives ~1e-12 relative accuracy for these smooth integrands. TV is
computed exactly from the crossings of p and q and the mixture CDFs (a Riemann sum of |p − q| has
an O(dx²) error at each kink). Where ∫p^α q^{1−α} diverges through the tails the objective is +inf
by an analytic test, never a truncated finite number.

Nothing here imports matplotlib, ipywidgets or torch. POT is imported only by
``gradient_far_away(..., "sinkhorn")``, through ``kitlib.divergences.sinkhorn_divergence``, which
switches POT's torch/JAX/TensorFlow/CuPy backends off before importing it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from kitlib import _validate as _v
from kitlib._validate import integer_at_least, one_of, positive_scalar, real_scalar
from kitlib.divergences import (
    grid_divergence,
    js as _discrete_js,
    kl as _discrete_kl,
    log_mixture_pdf,
    sinkhorn_divergence,
)

__all__ = [
    "FIT_DIVERGENCES",
    "MIXTURE_DIVERGENCES",
    "FAR_DIVERGENCES",
    "STUDENT_DIVERGENCES",
    "GaussianFit",
    "MixtureFit",
    "FarGradients",
    "StudentFit",
    "gaussian_objective",
    "fit_gaussian",
    "fit_gaussian_grid",
    "switch_separation",
    "one_mode_appears",
    "switch_curve",
    "fit_mixture",
    "gradient_far_away",
    "softmax",
    "student_fit",
]

#: Divergences accepted by :func:`fit_gaussian` and :func:`gaussian_objective`.
FIT_DIVERGENCES: tuple[str, ...] = ("forward_kl", "reverse_kl", "alpha", "js", "hellinger", "tv",
                                    "chi2", "cauchy_schwarz", "w2")
#: Divergences accepted by :func:`fit_mixture`.
MIXTURE_DIVERGENCES: tuple[str, ...] = ("forward_kl", "reverse_kl")
#: Divergences accepted by :func:`gradient_far_away`.
FAR_DIVERGENCES: tuple[str, ...] = ("forward_kl", "reverse_kl", "js", "tv", "w2", "sinkhorn")
#: Divergences accepted by :func:`student_fit` (``"balanced"`` = w·KL(p‖q) + (1 − w)·KL(q‖p)).
STUDENT_DIVERGENCES: tuple[str, ...] = ("forward_kl", "reverse_kl", "js", "balanced")

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_SUM_TOL = _v.PROB_TOL
#: largest |α| of Minka's α-divergence accepted by the fits and switch searches
MAX_ABS_ALPHA = 10.0
#: scales (standard deviations, |means|, offsets) must lie within this range: the grids square
#: them in float64
SCALE_RANGE = (1e-100, 1e100)
#: largest |mean| / (narrowest std) of a target: beyond it float64 cannot resolve a grid
#: around the components (centre the target: the fits are translation-equivariant)
MAX_LOCATION_RATIO = 1e9
#: most random restarts of :func:`student_fit`
MAX_STARTS = 1000
#: most mixture components accepted in a target (the density is evaluated as grid × components)
MAX_COMPONENTS = 64
#: largest (spread of the means) / (smallest standard deviation) of a target
MAX_DYNAMIC_RANGE = 1e6
#: largest ``d_max`` of the switch searches (a scan of d_max/0.25 global fits; d_max=20 ≈ 10 s)
MAX_D_MAX = 20.0
#: most α values in one :func:`switch_curve` call (0.3–1 s each with d_max=8)
MAX_SWITCH_ALPHAS = 64
#: most model offsets in one :func:`gradient_far_away` call
MAX_DISTANCES = 4096
#: most candidate Gaussians (μ, s) in one :func:`gaussian_objective` / landscape call
MAX_CANDIDATES = 1 << 16
#: most classes of a :func:`student_fit` teacher / :func:`softmax` input entries
MAX_CLASSES = 1 << 16
MAX_LOGITS = 1 << 22

# Grid settings (see the module docstring): sds covered on each side of every density, grid
# points per sd of the narrowest feature, grid points per "valley width" (below), smallest
# window. Riemann sums of smooth integrands converge like exp(−2π a/dx), a the half-width of the
# strip where the integrand is analytic: σ-scale for Gaussians, but log p, √p and p^α have
# branch points at the complex zeros of the mixture p, at distance ≈ π σ_j σ_k/|m_j − m_k| from
# the real axis between two separated components (π/(2d) for ½N(−d, 1) + ½N(d, 1)).
_FINE = (12.0, 3.0, 4.5, 256)
_L_FINE = _FINE[0]
_COARSE = (8.0, 1.2, 0.5, 64)
_PLOT = (10.0, 2.0, 2.0, 64)
_N_MAX = 1 << 16
_MIXTURE_MAX_GRID = 20_000
# Candidates are evaluated in batches of at most this many grid entries (8 MiB per float64
# array, ~10 arrays alive at once): the working memory stays ~100 MiB whatever the batch size.
_CHUNK_ENTRIES = 1 << 20
# Tail-sensitive α: the fit keeps λ = α/σ_max² + (1 − α)/s² ≥ floor·min(1, |α|)/σ_max², i.e. a
# hair inside the region where ∫p^α q^{1−α} is finite: the coarse grid with _LAMBDA_COARSE,
# polishing with _LAMBDA_POLISH, and again with _LAMBDA_EDGE if it ends on that bound (near
# the edge the envelope of p^α q^{1−α} is far out and wide, so windows are long).
_LAMBDA_COARSE, _LAMBDA_POLISH, _LAMBDA_EDGE = 0.05, 0.01, 1e-4
# Coarse search box: μ over the components ± 1 sd, s over [σ_min/3, 2.5·sd(p)].
_N_MU, _N_LOGS = 25, 15
_N_POLISH = 3
_FD_STEP = 1e-5
# Local polishing: SLSQP (quasi-Newton with bounds). L-BFGS-B converges in as many steps, but its
# compiled core spends milliseconds per call in OpenBLAS thread synchronisation on a busy 2-core
# machine, which is most of a slider's budget.
_POLISH_OPTIONS = {"ftol": 1e-15, "maxiter": 200}


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------


def _alpha_for(divergence: str, alpha) -> float | None:
    if divergence == "alpha":
        if alpha is None:
            raise ValueError("alpha is required for divergence='alpha' (Minka's α, any finite real "
                             "number: 1 = forward KL, 0 = reverse KL); got None")
        return real_scalar(alpha, "alpha", low=-MAX_ABS_ALPHA, high=MAX_ABS_ALPHA,
                           allowed=f"a finite real number in [-{MAX_ABS_ALPHA:g}, "
                                   f"{MAX_ABS_ALPHA:g}] (Minka's α; beyond, the tails need "
                                   f"grids and searches past the 1-core budget)")
    if alpha is not None:
        raise ValueError(f"alpha is only used by divergence='alpha'; got alpha={alpha!r} with "
                         f"divergence={divergence!r}")
    return None


def _rng(seed) -> np.random.Generator:
    return _v.as_generator(seed, "seed")


def _vector(x, name: str, max_size: int | None = None) -> np.ndarray:
    return _v.array(x, name, ndim=1, atleast_1d=True, max_size=max_size)


@dataclass(frozen=True, eq=False)
class _Target:
    """A validated 1-D Gaussian mixture (components with zero weight dropped)."""

    w: np.ndarray
    m: np.ndarray
    s: np.ndarray

    @property
    def mean(self) -> float:
        return float(np.dot(self.w, self.m))

    @property
    def var(self) -> float:
        return float(max(np.dot(self.w, self.s**2 + (self.m - self.mean) ** 2), 0.0))

    @property
    def std(self) -> float:
        return math.sqrt(self.var)

    @property
    def smin(self) -> float:
        return float(self.s.min())

    @property
    def smax(self) -> float:
        return float(self.s.max())

    def span(self, n_sd: float) -> tuple[float, float]:
        return float(np.min(self.m - n_sd * self.s)), float(np.max(self.m + n_sd * self.s))

    def logpdf(self, x) -> np.ndarray:
        return np.asarray(log_mixture_pdf(x, self.w, self.m, self.s), dtype=np.float64)


def _check_scales(name: str, x, positive: bool = False) -> None:
    """Refuse magnitudes outside ``SCALE_RANGE`` (values > 0 if ``positive``, else |values|)."""
    lo, hi = SCALE_RANGE
    a = np.abs(np.asarray(x, dtype=np.float64))
    bad = (a > hi) | ((a < lo) if positive else False)
    if np.any(bad):
        what = f"in [{lo:g}, {hi:g}]" if positive else f"of magnitude at most {hi:g}"
        raise ValueError(f"{name} must be {what} (float64 grids square them); got "
                         f"{np.asarray(x, dtype=np.float64)[bad].ravel()[:3].tolist()}")


def _mixture(weights, means, stds, prefix: str = "") -> _Target:
    w = _vector(weights, prefix + "weights", MAX_COMPONENTS)
    m = _vector(means, prefix + "means", MAX_COMPONENTS)
    s = _vector(stds, prefix + "stds", MAX_COMPONENTS)
    if not w.shape == m.shape == s.shape:
        raise ValueError(f"{prefix}weights, {prefix}means and {prefix}stds must have the same "
                         f"length; got {w.size}, {m.size} and {s.size}")
    if w.min() < 0:
        raise ValueError(f"{prefix}weights must be non-negative; got {w!r}")
    if abs(w.sum() - 1.0) > _SUM_TOL:
        raise ValueError(f"{prefix}weights must sum to 1 (tolerance {_SUM_TOL:.0e}); got a sum of "
                         f"{w.sum()!r}. Normalise with w / w.sum().")
    if s.min() <= 0:
        raise ValueError(f"{prefix}stds must be > 0 (standard deviations); got {s!r}")
    _check_scales(prefix + "stds", s, positive=True)
    _check_scales(prefix + "means", m)
    if float(np.max(np.abs(m))) > MAX_LOCATION_RATIO * float(np.min(s)):
        raise ValueError(f"{prefix}means and {prefix}stds: the means must lie within "
                         f"{MAX_LOCATION_RATIO:.0e} narrowest standard deviations (stds) of 0 "
                         f"for float64 grids; got max |mean| "
                         f"{float(np.max(np.abs(m))):.3g} with min std {float(np.min(s)):.3g}. "
                         f"Centre the target (subtract a constant from the means).")
    keep = w > 0
    tgt = _Target(w[keep] / w[keep].sum(), m[keep], s[keep])
    lo, hi = tgt.span(0.0)
    if hi - lo > MAX_DYNAMIC_RANGE * tgt.smin:
        raise ValueError(f"{prefix}means and {prefix}stds: the components span "
                         f"{(hi - lo) / tgt.smin:.3g} times the narrowest standard deviation, more "
                         f"than the {MAX_DYNAMIC_RANGE:.0e} a float64 grid resolves on the 1 GB "
                         f"budget; fit the components separately or widen the narrow ones")
    return tgt


def _bimodal(d: float) -> _Target:
    return _Target(np.array([0.5, 0.5]), np.array([-d, d]), np.array([1.0, 1.0]))


# ---------------------------------------------------------------------------------------------
# the objective D(p ‖ N(μ, s²)) on per-candidate grids
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# 1. the global Gaussian fit
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GaussianFit:
    r"""The global minimiser q = N(mean, std²) of D(p‖q) and the minimum.

    Attributes
    ----------
    mean, std : float
        Parameters of the fitted Gaussian (std is a standard deviation).
    value : float
        D(p‖q) at the fit (see :func:`fit_gaussian` for each divergence's convention).
    divergence : str
        The divergence that was minimised.
    alpha : float or None
        Minka's α for ``divergence="alpha"``, else None.
    """

    mean: float
    std: float
    value: float
    divergence: str
    alpha: float | None


def _local_minima(values: np.ndarray) -> np.ndarray:
    """Flat indices of cells ≤ all their (up to 8) neighbours, best first."""
    v = np.where(np.isfinite(values), values, np.inf)
    if v.ndim == 1:
        v = v[:, None]
    pad = np.pad(v, 1, constant_values=np.inf)
    is_min = np.isfinite(v)
    rows, cols = v.shape
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_min &= v <= pad[1 + di:1 + di + rows, 1 + dj:1 + dj + cols]
    flat = np.flatnonzero(is_min)
    return flat[np.argsort(v.ravel()[flat], kind="stable")]


class _Problem:
    """Everything a Gaussian fit to one target needs: objective, boxes, polishing."""

    def __init__(self, tgt: _Target, divergence: str, alpha: float | None):
        self.tgt = tgt
        self.divergence = divergence
        self.alpha = alpha
        self.fine = _Objective(tgt, divergence, alpha, _FINE)
        a = self.fine.a
        self.a = a
        sd = tgt.std
        # polishing bounds (wide) and coarse box, all inside the tail-feasible region
        s_lo, s_hi = tgt.smin / 10.0, 4.0 * sd
        self.s_bounds, self.s_bounds_edge = [
            (max(s_lo, lo), min(s_hi, hi))
            for lo, hi in (_feasible_std_interval(tgt, a, f) for f in (_LAMBDA_POLISH, _LAMBDA_EDGE))]
        lo_m, hi_m = float(np.min(tgt.m - tgt.s)), float(np.max(tgt.m + tgt.s))
        pad = 2.0 * tgt.smax
        self.mu_bounds = (lo_m - pad, hi_m + pad)
        self.mu_box = (lo_m, hi_m)
        ok_lo, ok_hi = _feasible_std_interval(tgt, a, _LAMBDA_COARSE)
        self.s_box = (max(tgt.smin / 3.0, ok_lo), min(2.5 * sd, ok_hi))
        if self.s_box[0] >= self.s_box[1]:
            self.s_box = self.s_bounds

    def coarse(self, fixed_std: float | None):
        obj = _Objective(self.tgt, self.divergence, self.alpha, _COARSE)
        mus = np.linspace(*self.mu_box, _N_MU)
        if fixed_std is None:
            logs = np.linspace(math.log(self.s_box[0]), math.log(self.s_box[1]), _N_LOGS)
            M, LS = np.meshgrid(mus, logs, indexing="ij")
            vals = obj(M, np.exp(LS))
            cells = _local_minima(vals)[:_N_POLISH]
            return [(M.flat[c], LS.flat[c]) for c in cells]
        vals = obj(mus, fixed_std)
        cells = _local_minima(vals)[:_N_POLISH]
        return [(mus[c], math.log(fixed_std)) for c in cells]

    def polish(self, mu0: float, logs0: float, fixed_std: float | None) -> tuple[float, float, float]:
        mu, s, value = self._polish(mu0, logs0, fixed_std, self.s_bounds)
        if fixed_std is None and self.a is not None:
            edge = self.s_bounds[0] if self.a > 1.0 else self.s_bounds[1]
            if abs(math.log(s / edge)) < 1e-7:  # stopped by the tail margin: look closer
                mu, s, value = self._polish(mu, math.log(s), None, self.s_bounds_edge)
        return mu, s, value

    def _polish(self, mu0: float, logs0: float, fixed_std: float | None,
                s_bounds: tuple[float, float]) -> tuple[float, float, float]:
        sd, mean = self.tgt.std, self.tgt.mean
        h = _FD_STEP
        if fixed_std is None:
            def fg(theta):
                u, v = theta
                us = np.array([u, u + h, u - h, u, u])
                vs = np.array([v, v, v, v + h, v - h])
                f = self.fine(mean + sd * us, sd * np.exp(vs))
                if not np.isfinite(f).all():
                    return 1e300, np.zeros(2)
                return f[0], np.array([(f[1] - f[2]) / (2 * h), (f[3] - f[4]) / (2 * h)])

            bounds = [((self.mu_bounds[0] - mean) / sd, (self.mu_bounds[1] - mean) / sd),
                      (math.log(s_bounds[0] / sd), math.log(s_bounds[1] / sd))]
            x0 = np.clip([(mu0 - mean) / sd, logs0 - math.log(sd)],
                         [b[0] for b in bounds], [b[1] for b in bounds])
            res = optimize.minimize(fg, x0, jac=True, method="SLSQP", bounds=bounds,
                                    options=_POLISH_OPTIONS)
            u, v = res.x
            return mean + sd * u, sd * math.exp(v), float(res.fun)

        def fg1(theta):
            u = theta[0]
            f = self.fine(mean + sd * np.array([u, u + h, u - h]), fixed_std)
            if not np.isfinite(f).all():
                return 1e300, np.zeros(1)
            return f[0], np.array([(f[1] - f[2]) / (2 * h)])

        bounds = [((self.mu_bounds[0] - mean) / sd, (self.mu_bounds[1] - mean) / sd)]
        res = optimize.minimize(fg1, [(mu0 - mean) / sd], jac=True, method="SLSQP",
                                bounds=bounds, options=_POLISH_OPTIONS)
        return mean + sd * float(res.x[0]), fixed_std, float(res.fun)

    def solve(self, fixed_std: float | None, rng: np.random.Generator | None):
        starts = self.coarse(fixed_std)
        if rng is not None:
            u = rng.uniform(size=2)
            mu_r = self.mu_box[0] + u[0] * (self.mu_box[1] - self.mu_box[0])
            ls_r = math.log(self.s_box[0]) + u[1] * math.log(self.s_box[1] / self.s_box[0])
            starts.append((mu_r, ls_r if fixed_std is None else math.log(fixed_std)))
        if self.divergence == "tv":
            results = self.zoom(starts, fixed_std)
        else:
            results = [self.polish(mu0, ls0, fixed_std) for mu0, ls0 in starts]
        return min(results, key=lambda r: r[2])

    def zoom(self, starts, fixed_std: float | None, *, k: int = 5, shrink: float = 0.4,
             tol: float = 1e-7, max_iter: int = 80):
        """Batched pattern search on a k×k stencil, for non-smooth objectives (TV).

        TV(μ, s) is only C¹: where a new region {p > q} is born its curvature is infinite, and
        its minimum lies in long flat valleys along such lines, which stall quasi-Newton
        methods. Each iteration evaluates every start's stencil in one batch, moves to the best
        point and shrinks the stencil when the centre is best.
        """
        sd, mean = self.tgt.std, self.tgt.mean
        du = (self.mu_box[1] - self.mu_box[0]) / (_N_MU - 1) / sd
        dv = 0.0 if fixed_std is not None else math.log(self.s_box[1] / self.s_box[0]) / (_N_LOGS - 1)
        theta = np.array([[(m - mean) / sd, ls - math.log(sd)] for m, ls in starts])
        step = np.full(len(starts), 0.5)
        g = np.arange(k) - k // 2
        if fixed_std is None:
            offsets = np.stack(np.meshgrid(g * du, g * dv, indexing="ij"), -1).reshape(-1, 2)
        else:
            offsets = np.stack([g * du, np.zeros(k)], -1)
        centre = len(offsets) // 2
        lo = np.array([(self.mu_bounds[0] - mean) / sd, math.log(self.s_bounds[0] / sd)])
        hi = np.array([(self.mu_bounds[1] - mean) / sd, math.log(self.s_bounds[1] / sd)])
        rows = np.arange(len(starts))
        for _ in range(max_iter):
            pts = theta[:, None, :] + step[:, None, None] * offsets[None]
            pts = np.clip(pts, lo, hi) if fixed_std is None else pts
            s = fixed_std if fixed_std is not None else sd * np.exp(pts[..., 1])
            vals = self.fine(mean + sd * pts[..., 0], s)
            best = np.argmin(vals, axis=1)
            theta = pts[rows, best]
            step = np.where(best == centre, shrink * step, step)
            if step.max() * max(du, dv) < tol:
                break
        out = []
        for t, v in zip(theta, vals[rows, best]):
            out.append((mean + sd * t[0], fixed_std if fixed_std is not None
                        else sd * math.exp(t[1]), float(v)))
        return out


def _fit(tgt: _Target, divergence: str, alpha: float | None, fixed_std: float | None,
         rng: np.random.Generator | None) -> tuple[float, float, float]:
    """(mean, std, value) of the global fit; divergence already resolved (α = 0, 1 mapped)."""
    if divergence == "forward_kl":
        # information projection onto the Gaussians = moment matching
        mu = tgt.mean
        s = tgt.std if fixed_std is None else fixed_std
        value = float(_Objective(tgt, divergence, None, _FINE)(mu, s))
        return mu, s, value
    if divergence == "w2":
        s_star = _w2_scale(tgt)
        s = s_star if fixed_std is None else fixed_std
        return tgt.mean, s, float(_w2_value(tgt, s_star, tgt.mean, s))
    prob = _Problem(tgt, divergence, alpha)
    if fixed_std is not None and not prob.fine.feasible(fixed_std):
        lo, hi = _feasible_std_interval(tgt, prob.a)
        raise ValueError(f"fixed_std={fixed_std!r} makes D(p‖q) infinite for every mean "
                         f"(∫p^α q^(1−α) diverges in the tails, α = {prob.a:g}); allowed: "
                         f"{lo:.6g} < fixed_std < {hi:.6g}")
    mu, s, _ = prob.solve(fixed_std, rng)
    return mu, s, float(prob.fine(mu, s))


def fit_gaussian(weights, means, stds, divergence, *, alpha=None, seed=0, fixed_std=None):
    r"""Global minimiser of D(p‖q) over Gaussians q = N(μ, s²) for a 1-D mixture target p.

    p = Σ_j w_j N(m_j, σ_j²). ``value`` is, by ``divergence``:

    ==================  =========================================================
    ``forward_kl``      KL(p‖q) = ∫p log(p/q)  (closed form: μ = E_p x, s² = Var_p x)
    ``reverse_kl``      KL(q‖p)
    ``alpha``           Minka D_α(p‖q) = (1 − ∫p^α q^{1−α})/(α(1 − α)); α = 1 is
                        ``forward_kl`` and α = 0 ``reverse_kl`` exactly
    ``js``              Jensen–Shannon ½KL(p‖m) + ½KL(q‖m), m = (p + q)/2, in nats
    ``hellinger``       H² = 1 − ∫√(pq)  (the ½ convention, ∈ [0, 1])
    ``tv``              ½∫|p − q|
    ``chi2``            Pearson χ²(p‖q) = ∫(p − q)²/q  (= 2 D_α at α = 2)
    ``cauchy_schwarz``  D_CS = −2 log∫pq + log∫p² + log∫q²
    ``w2``              W2²(p, q) (closed form for a location–scale family: μ = E_p x,
                        s = ∫₀¹F_p⁻¹(u)Φ⁻¹(u) du, value Var_p x − s²; never collapses)
    ==================  =========================================================

    Method. The landscapes have several local minima and the switch between them as the target
    changes is first order, so a warm-started local optimiser is not enough. A coarse grid of
    25 × 15 cells over (μ, log s) (μ over the components ± 1 sd, s from σ_min/3 to 2.5 sd(p)) is
    evaluated in one batch; the best three local minima of that grid, and one random start
    drawn from ``seed``, are polished by SLSQP (central-difference gradients, evaluated in one
    batch of five; TV, which is only C¹, by a batched 5 × 5 pattern search); the lowest result
    wins. Tail-sensitive cases (α < 0, α > 1, χ²) are restricted analytically to
    λ = α/σ_max² + (1 − α)/s² > 0 (see :func:`gaussian_objective`); the optimiser keeps
    λ ≥ 10⁻⁴·min(1, |α|)/σ_max². Forward KL and W2 are closed forms (< 2 ms); the others take
    about 5–40 ms on one core (more for widely separated components).

    Parameters
    ----------
    weights, means, stds : array_like, shape (K,)
        Target mixture: weights ≥ 0 summing to 1, stds > 0.
    divergence : str
        One of :data:`FIT_DIVERGENCES`.
    alpha : float, optional, keyword-only
        Minka's α (any finite real); required for ``"alpha"`` and only allowed there.
    seed : int or numpy.random.Generator, keyword-only
        For the one random extra start.
    fixed_std : float, optional, keyword-only
        Fix s and fit μ only (the pitchfork story); must keep the divergence finite.

    Returns
    -------
    GaussianFit

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
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    Budget (1 GB / 1 core): K <= 64 components; grids batched to ~100 MiB. Bad or too-large input
    raises ValueError naming the argument, before any allocation.

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005. C. Bishop, "Pattern Recognition
    and Machine Learning", §10.1. "Sinkhorn Distance Minimization for Knowledge Distillation"
    (SinKD). "MLE convergence speed to information projection under model misspecification".

    Examples
    --------
    >>> fit = fit_gaussian([0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], "forward_kl")
    >>> round(fit.mean, 12), round(fit.std**2, 12)      # moment matching: s² = 1 + d²
    (0.0, 5.0)
    """
    tgt = _mixture(weights, means, stds)
    divergence = one_of(divergence, "divergence", FIT_DIVERGENCES)
    a = _alpha_for(divergence, alpha)
    rng = _rng(seed)
    if fixed_std is not None:
        fixed_std = positive_scalar(fixed_std, "fixed_std")
        _check_scales("fixed_std", fixed_std, positive=True)
    div, a_resolved = _resolve_alpha(divergence, a)
    mu, s, value = _fit(tgt, div, a_resolved, fixed_std, rng)
    return GaussianFit(float(mu), float(s), float(value), divergence, a)


def fit_gaussian_grid(weights, means, stds, divergence, mus, sds, *, alpha=None, seed=0,
                      fixed_std=None):
    r"""The landscape of D(p‖N(μ, s²)) on a (μ, s) grid, and the global fit (for explorers).

    The landscape is evaluated in one batch at plotting accuracy (about 10⁻⁴ relative; +inf
    where the divergence is infinite, see :func:`gaussian_objective`); the fit is exactly
    :func:`fit_gaussian` and does not depend on the grid. Typically 15–50 ms for a 49 × 33 grid.

    Parameters
    ----------
    weights, means, stds, divergence, alpha, seed, fixed_std
        As in :func:`fit_gaussian` (``fixed_std`` fixes the fit's s; the landscape stays 2-D).
    mus : array_like, shape (M,)
        Finite candidate means.
    sds : array_like, shape (S,)
        Candidate standard deviations, > 0.

    Returns
    -------
    landscape : ndarray, shape (M, S)
        D(p‖N(mus[i], sds[j]²)).
    fit : GaussianFit

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
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    mus
        1-D real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 65,536 entries.
    sds
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 65,536 entries (>=
        1e-100).
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    Budget (1 GB / 1 core): len(mus) × len(sds) <= 65,536. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    mu_arr = _vector(mus, "mus", MAX_CANDIDATES)
    sd_arr = _vector(sds, "sds", MAX_CANDIDATES)
    if mu_arr.size * sd_arr.size > MAX_CANDIDATES:
        raise _v.ResourceLimitError(
            f"mus and sds must span at most {MAX_CANDIDATES:,} grid cells on the 1 GB / 1-core "
            f"budget; got {mu_arr.size} × {sd_arr.size}. Use a coarser grid.")
    _check_scales("mus", mu_arr)
    if sd_arr.min() <= 0:
        raise ValueError(f"sds must be > 0 (standard deviations); got min {sd_arr.min()!r}")
    fit = fit_gaussian(weights, means, stds, divergence, alpha=alpha, seed=seed,
                       fixed_std=fixed_std)
    _check_scales("sds", sd_arr, positive=True)
    tgt = _mixture(weights, means, stds)
    M, S = np.meshgrid(mu_arr, sd_arr, indexing="ij")
    if divergence == "w2":
        land = _w2_value(tgt, _w2_scale(tgt), M, S)
    else:
        div, a = _resolve_alpha(divergence, fit.alpha)
        land = _Objective(tgt, div, a, _PLOT)(M, S)
    return land, fit


# ---------------------------------------------------------------------------------------------
# 2. the two-mode target ½N(−d, 1) + ½N(d, 1): where the fit switches to one mode
# ---------------------------------------------------------------------------------------------

_SCAN_STEP = 0.25
_MAX_BISECTIONS = 60
_MODE_THRESHOLD = 1e-2


def _switch_args(divergence, alpha, fixed_std, d_max, tol):
    divergence = one_of(divergence, "divergence", FIT_DIVERGENCES)
    a = _alpha_for(divergence, alpha)
    if fixed_std is not None:
        fixed_std = positive_scalar(fixed_std, "fixed_std")
        _check_scales("fixed_std", fixed_std, positive=True)
    d_max = _v.real_scalar(d_max, "d_max", low=0.0, high=MAX_D_MAX, low_open=True)
    tol = _v.tolerance(tol, "tol", smallest=1e-10, largest=1.0)
    div, a_res = _resolve_alpha(divergence, a)
    if fixed_std is not None:
        t = _tail_order(div, a_res)
        if t is not None and not _tail_lambda(t, 1.0, fixed_std) > 0:
            lo, hi = _feasible_std_interval(_bimodal(1.0), t)
            raise ValueError(f"fixed_std={fixed_std!r} makes D(p‖q) infinite for every mean "
                             f"(α = {t:g}); allowed: {lo:.6g} < fixed_std < {hi:.6g}")
    return div, a_res, fixed_std, d_max, tol


def _symmetric_solution(prob: _Problem, fixed_std: float | None) -> tuple[float, float]:
    """(s, D) of the best fit with μ = 0 (the symmetric solution)."""
    if fixed_std is not None:
        return fixed_std, float(prob.fine(0.0, fixed_std))
    logs = np.linspace(math.log(prob.s_box[0]), math.log(prob.s_box[1]), 4 * _N_LOGS)
    vals = prob.fine(0.0, np.exp(logs))
    j = int(np.argmin(vals))
    lo, hi = logs[max(j - 1, 0)], logs[min(j + 1, logs.size - 1)]
    res = optimize.minimize_scalar(lambda v: float(prob.fine(0.0, math.exp(v))), bounds=(lo, hi),
                                   method="bounded", options={"xatol": 1e-10})
    if res.fun <= vals[j]:
        return math.exp(res.x), float(res.fun)
    return math.exp(logs[j]), float(vals[j])


def _one_mode_is_global(d: float, div: str, a: float | None, fixed_std: float | None) -> bool:
    prob = _Problem(_bimodal(d), div, a)
    s0, d0 = _symmetric_solution(prob, fixed_std)
    h = 1e-3
    curvature = 2.0 * (float(prob.fine(h, s0)) - d0) / h**2
    if curvature < 0:  # the symmetric solution is not even a local minimum (pitchfork)
        return True
    mu, _, value = prob.solve(fixed_std, None)
    return abs(mu) > _MODE_THRESHOLD and value < d0 - 1e-9 * (1.0 + abs(d0))


def _first_true(predicate, d_max: float, tol: float) -> float:
    """Smallest d in (0, d_max] with predicate(d) (scan, then bisection); inf if none."""
    grid = np.arange(_SCAN_STEP, d_max + 1e-12, _SCAN_STEP)
    if grid.size == 0 or grid[-1] < d_max:
        grid = np.append(grid, d_max)
    lo = 0.0
    for d in grid:
        if predicate(float(d)):
            hi = float(d)
            break
        lo = float(d)
    else:
        return math.inf
    for _ in range(_MAX_BISECTIONS):  # tol >= 1e-10 needs at most ~32 halvings of 0.25
        if hi - lo <= tol:
            break
        mid = 0.5 * (lo + hi)
        if predicate(mid):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def switch_separation(divergence, *, alpha=None, fixed_std=None, d_max=8.0, tol=1e-3):
    r"""Separation d* at which the global Gaussian fit to ½N(−d, 1) + ½N(d, 1) picks one mode.

    For d < d* the global minimiser of D(p‖N(μ, s²)) is symmetric (μ = 0); for d just above
    d* it sits on one mode (|μ| > 0.01). The switch is detected either as the symmetric
    solution losing stability (∂²D/∂μ² < 0 at μ = 0: a pitchfork, as for reverse KL with s fixed
    at 1, d_c ≈ 1.4608, the root of d²·E[sech²(dZ)] = 1) or as the global multi-start fit of
    :func:`fit_gaussian` beating the best symmetric solution (a first-order switch, as for
    reverse KL with free s: d* ≈ 2.80, while one-mode local minima exist from d ≈ 2.41, see
    :func:`one_mode_appears`). Scan in steps of 0.25, then bisection to ``tol``.

    Forward KL (μ = 0, s² = 1 + d² always) and W2 (centred at E_p x = 0) never switch: inf.
    Along Minka's α the switch separation grows and diverges as α → 1.

    Parameters
    ----------
    divergence : str
        One of :data:`FIT_DIVERGENCES`.
    alpha : float, optional, keyword-only
        Minka's α for ``"alpha"``.
    fixed_std : float, optional, keyword-only
        Fix s (e.g. 1 for the pitchfork story).
    d_max : float, keyword-only
        Largest separation searched.
    tol : float, keyword-only
        Width of the final bracket.

    Returns
    -------
    float
        d*, or ``inf`` if the fit stays symmetric up to ``d_max``. Run time: about 0.3–1 s
        with ``d_max=8`` (some 40 global fits); it grows with ``d_max`` when there is no
        switch (``d_max=20``: about 10 s).

    Notes
    -----
    Values with free width (``tol=1e-3``): reverse KL 2.800, Cauchy–Schwarz 3.356, TV 3.685,
    JS 4.245, Hellinger = Minka α = ½ 4.742, α = −1 1.535, α = 0.6 6.42, α = 0.75 ≈ 17.2;
    Pearson χ², forward KL and W2: none.

    Contract
    --------
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    d_max
        finite real number > 0 and <= 20.
    tol
        finite real number >= 1e-10 and <= 1 (float64 cannot do better than ~1e-15 here).
    Budget (1 GB / 1 core): d_max <= 20 (~10 s), tol >= 1e-10 (<= 60 bisections). Bad or too-large
    input raises ValueError naming the argument, before any allocation.

    References
    ----------
    T. Minka, "Divergence measures and message passing", 2005. C. Bishop, "Pattern Recognition
    and Machine Learning", §10.1.
    """
    div, a, fixed_std, d_max, tol = _switch_args(divergence, alpha, fixed_std, d_max, tol)
    if div in ("forward_kl", "w2"):
        return math.inf
    return _first_true(lambda d: _one_mode_is_global(d, div, a, fixed_std), d_max, tol)


def _profile_slope_ratio(d: float, div: str, a: float | None, fixed_std: float | None) -> float:
    r"""min over μ ∈ (0, d + 3] of P′(μ)/μ, P(μ) = min_s D(μ, s) (> 0 iff P is increasing)."""
    prob = _Problem(_bimodal(d), div, a)
    nonsmooth = div == "tv"
    mus = np.linspace(0.0, d + 3.0, 121 if nonsmooth else 61)[1:]
    if fixed_std is not None:
        s = np.full(mus.shape, fixed_std)
        f1 = prob.fine(mus, s)
    else:
        logs = np.linspace(math.log(prob.s_box[0]), math.log(prob.s_box[1]), 2 * _N_LOGS)
        vals = prob.fine(mus[:, None], np.exp(logs)[None, :])
        j = np.argmin(vals, axis=1)
        lo = logs[np.maximum(j - 1, 0)]
        hi = logs[np.minimum(j + 1, logs.size - 1)]
        # vectorised golden-section search for s*(μ) in each bracket
        ratio = (math.sqrt(5.0) - 1.0) / 2.0
        x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        f1, f2 = prob.fine(mus, np.exp(x1)), prob.fine(mus, np.exp(x2))
        for _ in range(45):
            left = f1 < f2
            hi = np.where(left, x2, hi)
            lo = np.where(left, lo, x1)
            x_new = np.where(left, hi - ratio * (hi - lo), lo + ratio * (hi - lo))
            f_new = prob.fine(mus, np.exp(x_new))
            x1, x2, f1, f2 = (np.where(left, x_new, x2), np.where(left, x1, x_new),
                              np.where(left, f_new, f2), np.where(left, f1, f_new))
        s = np.exp(0.5 * (lo + hi))
    s0, d0 = _symmetric_solution(prob, fixed_std)
    if nonsmooth:
        # TV is only C¹ with kinks in its derivative: use differences of the profile itself
        profile = np.concatenate([[d0], np.minimum(f1, prob.fine(mus, s))])
        grid = np.concatenate([[0.0], mus])
        slope = np.diff(profile) / np.diff(grid)
        return float(np.min(slope / (0.5 * (grid[1:] + grid[:-1]))))
    h = 1e-4
    slope = (prob.fine(mus + h, s) - prob.fine(mus - h, s)) / (2.0 * h)  # envelope theorem
    # the μ → 0 limit P″(0) = ∂²D/∂μ² at the symmetric solution (∂²D/∂μ∂s = 0 there)
    h0 = 1e-3
    curvature = 2.0 * (float(prob.fine(h0, s0)) - d0) / h0**2
    return float(min(np.min(slope / mus), curvature))


def one_mode_appears(divergence, *, alpha=None, fixed_std=None, d_max=8.0, tol=1e-3):
    r"""Smallest separation at which a one-mode *local* minimum exists (target ½N(∓d, 1)).

    With the profile P(μ) = min_s D(p‖N(μ, s²)) (envelope theorem: P′(μ) = ∂D/∂μ at s*(μ)),
    a local minimum with μ > 0 exists iff P is not increasing on (0, ∞), i.e. iff
    g(d) = min_μ P′(μ)/μ < 0 (μ on 60 points of (0, d + 3], plus the limit P″(0)). g is found
    on a scan in steps of 0.25 and its root refined by Brent's method. TV is not smooth enough
    for the envelope theorem: there P′ is a difference quotient of P on 120 points, which
    resolves dips wider than about (d + 3)/120. For reverse KL with free s this is d ≈ 2.41,
    below the switch of the *global* minimum at d* ≈ 2.80 (a first-order transition, so a
    warm-started optimiser is hysteretic between the two); with s fixed at 1 it coincides
    with the pitchfork d_c ≈ 1.4608.

    Parameters
    ----------
    divergence, alpha, fixed_std, d_max, tol
        As in :func:`switch_separation`.

    Returns
    -------
    float
        The separation, or ``inf`` if no one-mode local minimum up to ``d_max``. Run time:
        about 1–4 s (up to ~10 s when the whole range is scanned without finding one).

    Contract
    --------
    divergence
        one of 'forward_kl', 'reverse_kl', 'alpha', 'js', 'hellinger', 'tv', 'chi2',
        'cauchy_schwarz', 'w2'.
    alpha
        finite real number >= -10 and <= 10; or None (Minka's α; required for 'alpha' and only
        allowed there).
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    d_max
        finite real number > 0 and <= 20.
    tol
        finite real number >= 1e-10 and <= 1 (float64 cannot do better than ~1e-15 here).
    Budget (1 GB / 1 core): d_max <= 20 (~10 s), tol >= 1e-10 (<= 60 bisections). Bad or too-large
    input raises ValueError naming the argument, before any allocation.
    """
    div, a, fixed_std, d_max, tol = _switch_args(divergence, alpha, fixed_std, d_max, tol)
    if div in ("forward_kl", "w2"):
        return math.inf
    g = lambda d: _profile_slope_ratio(d, div, a, fixed_std)  # noqa: E731
    grid = np.arange(_SCAN_STEP, d_max + 1e-12, _SCAN_STEP)
    if grid.size == 0 or grid[-1] < d_max:
        grid = np.append(grid, d_max)
    lo = None
    for d in grid:
        if g(float(d)) < 0:
            if lo is None:
                return float(d)
            return float(optimize.brentq(g, lo, float(d), xtol=tol))
        lo = float(d)
    return math.inf


def switch_curve(alphas, *, fixed_std=None, d_max=8.0, tol=1e-3):
    r"""Switch separation d*(α) of Minka's α-divergence for each α (see :func:`switch_separation`).

    The switch separation grows with α and diverges as α → 1 (forward KL never switches);
    ``inf`` where there is no switch up to ``d_max``. Precompute it once for a plot: each α
    costs about 0.3–1 s with ``d_max=8`` (a 9-point curve over α ∈ [−1, 0.9]: about 5 s), and
    proportionally more for a larger ``d_max`` (d*(0.75) ≈ 17.2 needs ``d_max`` ≥ 18).

    Parameters
    ----------
    alphas : array_like
        Finite values of Minka's α.
    fixed_std, d_max, tol
        As in :func:`switch_separation`.

    Returns
    -------
    ndarray
        Same shape as ``alphas``.

    Contract
    --------
    alphas
        real array, finite, entries >= -10 and <= 10, non-empty; at most 64 entries (Minka α values,
        any shape).
    fixed_std
        finite real number > 0 and <= 1e+100; or None (fix s and fit μ only; >= 1e-100).
    d_max
        finite real number > 0 and <= 20.
    tol
        finite real number >= 1e-10 and <= 1 (float64 cannot do better than ~1e-15 here).
    Budget (1 GB / 1 core): at most 64 α values (0.3–1 s each). Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    arr = _v.as_float_array(alphas, "alphas", max_size=MAX_SWITCH_ALPHAS)
    if arr.size == 0:
        raise ValueError(f"alphas must contain at least one value of Minka's α; got shape "
                         f"{arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"alphas must be finite real numbers; got {alphas!r}")
    if np.any(np.abs(arr) > MAX_ABS_ALPHA):
        raise ValueError(f"alphas must be in [-{MAX_ABS_ALPHA:g}, {MAX_ABS_ALPHA:g}] (Minka's α); "
                         f"got {arr[np.abs(arr) > MAX_ABS_ALPHA].ravel()[:3].tolist()}")
    _switch_args("alpha", 0.5, fixed_std, d_max, tol)  # validate before the first search
    out = np.array([switch_separation("alpha", alpha=float(a), fixed_std=fixed_std, d_max=d_max,
                                      tol=tol) for a in arr.ravel()])
    return out.reshape(arr.shape)


# ---------------------------------------------------------------------------------------------
# 3. a k-component mixture q fitted by forward or reverse KL
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields explicitly
class MixtureFit:
    r"""A Gaussian mixture q fitted to a 1-D mixture target, and how the optimiser got there.

    Attributes
    ----------
    weights, means, stds : ndarray, shape (k,)
        The fitted mixture, components sorted by mean.
    value : float
        KL(p‖q) for ``"forward_kl"``, KL(q‖p) for ``"reverse_kl"``.
    divergence : str
        The divergence that was minimised.
    path : ndarray, shape (n_steps + 1, 3, k)
        Parameters (weights, means, stds) after each optimiser iteration of the winning
        restart, starting with its initial point (components in the order of the final sort).
    path_values : ndarray, shape (n_steps + 1,)
        The divergence along ``path`` (on the optimisation grid).
    """

    weights: np.ndarray
    means: np.ndarray
    stds: np.ndarray
    value: float
    divergence: str
    path: np.ndarray
    path_values: np.ndarray


def _unpack(theta: np.ndarray, k: int):
    logits, m, logs = theta[:k], theta[k:2 * k], theta[2 * k:]
    log_w = logits - special.logsumexp(logits)
    return log_w, m, logs


def _mixture_objective(theta, k, x, lp, p_dx, dx, divergence):
    r"""Grid objective and its exact gradient for the mixture fit.

    forward: −Σ p log q dx (cross-entropy; KL(p‖q) up to the constant −H(p));
    reverse: Σ q (log q − log p) dx. With r_c the responsibilities,
    ∂log q/∂logit_c = r_c − π_c, ∂log q/∂m_c = r_c (x − m_c)/s_c²,
    ∂log q/∂log s_c = r_c ((x − m_c)²/s_c² − 1).
    """
    log_w, m, logs = _unpack(theta, k)
    s = np.exp(logs)
    z = (x[:, None] - m) / s
    comp = log_w - 0.5 * z * z - logs - _HALF_LOG_2PI  # (n, k)
    lq = special.logsumexp(comp, axis=1)
    r = np.exp(comp - lq[:, None])
    if divergence == "forward_kl":
        weight = -p_dx  # d/dθ of −Σ p log q dx = Σ (−p dx) ∂log q
        value = float(-np.dot(p_dx, lq))
    else:
        q_dx = np.exp(lq) * dx
        diff = lq - lp
        value = float(np.dot(q_dx, diff))
        weight = q_dx * (diff + 1.0)  # ∂[q (lq − lp)] = q ∂lq (lq − lp + 1)
    wr = weight[:, None] * r
    g_logit = wr.sum(axis=0) - weight.sum() * np.exp(log_w)
    g_m = (wr * z / s).sum(axis=0)
    g_logs = (wr * (z * z - 1.0)).sum(axis=0)
    return value, np.concatenate([g_logit, g_m, g_logs])


def fit_mixture(weights, means, stds, n_components, divergence, *, seed=0, steps=300,
                n_restarts=8):
    r"""Fit a k-component Gaussian mixture q to a 1-D Gaussian-mixture target p by KL.

    ``"forward_kl"`` minimises KL(p‖q) (mass-covering: with fewer components than modes, a
    component widens to average two modes); ``"reverse_kl"`` minimises KL(q‖p) (mode-seeking:
    far-apart modes are dropped, q puts almost no mass on them).

    Method: the objective is evaluated on one uniform grid (target components ± 12 sd, model
    components kept within bounds so they stay on it) with its exact gradient, minimised by
    SLSQP (with bounds) over (logits, means, log stds) for at most ``steps`` iterations, from
    ``n_restarts`` random starts (means drawn from p, widths around sd(p)/k) plus two
    deterministic ones (means at quantiles of p; at the heaviest components); the lowest value
    wins. Deterministic for a given ``seed``. Run time: about 10–40 ms per restart (0.1–0.4 s
    with the defaults).

    Parameters
    ----------
    weights, means, stds : array_like, shape (K,)
        Target mixture.
    n_components : int
        k ≥ 1.
    divergence : str
        One of :data:`MIXTURE_DIVERGENCES`.
    seed : int or numpy.random.Generator, keyword-only
        For the random restarts.
    steps : int, keyword-only
        Maximum optimiser iterations per restart (≥ 1). If the winning restart stops at this
        cap, a ``ConvergenceWarning`` is issued and its best point so far is returned.
    n_restarts : int, keyword-only
        Random restarts (≥ 0) on top of the two deterministic starts.

    Returns
    -------
    MixtureFit

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
    n_components
        integer >= 1 and <= 64 (True and fractions refused).
    divergence
        one of 'forward_kl', 'reverse_kl'.
    seed
        None, an int >= 0 or a numpy.random.Generator.
    steps
        integer >= 1 (True and fractions refused); at most 100,000 on the budget (SLSQP iteration
        cap per restart).
    n_restarts
        integer >= 0 (True and fractions refused).
    Budget (1 GB / 1 core): grid <= 20 000 points; (n_restarts + 2)·steps·grid·k within the work
    limit. Bad or too-large input raises ValueError naming the argument, before any allocation.

    References
    ----------
    C. Bishop, "Pattern Recognition and Machine Learning", §10.1 (forward versus reverse KL).
    "Sinkhorn Distance Minimization for Knowledge Distillation" (mode-averaging versus
    mode-collapsing).
    """
    tgt = _mixture(weights, means, stds)
    k = _v.integer(n_components, "n_components", low=1, high=MAX_COMPONENTS)
    divergence = one_of(divergence, "divergence", MIXTURE_DIVERGENCES)
    rng = _rng(seed)
    steps = integer_at_least(steps, "steps", 1)
    n_restarts = integer_at_least(n_restarts, "n_restarts", 0)

    sd = tgt.std
    m_lo, m_hi = float(np.min(tgt.m - 3 * tgt.s)), float(np.max(tgt.m + 3 * tgt.s))
    s_lo, s_hi = tgt.smin / 4.0, 2.0 * sd
    lo = min(tgt.span(_L_FINE)[0], m_lo - _L_FINE * s_hi)
    hi = max(tgt.span(_L_FINE)[1], m_hi + _L_FINE * s_hi)
    dx_need = min(s_lo / 2.0, _valley_width(tgt) / _FINE[2])
    n = int(min(max(1024, math.ceil((hi - lo) / dx_need) + 1), _MIXTURE_MAX_GRID))
    x = np.linspace(lo, hi, n)
    dx = x[1] - x[0]
    if dx > tgt.smin / 2.0:
        raise ValueError(f"means and stds: the target spans {(hi - lo) / tgt.smin:.3g} times its "
                         f"narrowest standard deviation; fit_mixture's grid of at most "
                         f"{_MIXTURE_MAX_GRID} points cannot resolve it (spacing {dx:.3g} > half "
                         f"the narrowest std {tgt.smin:.3g}). Fit far-apart groups of components "
                         f"separately or widen the narrow components.")
    _v.check_work("fit_mixture", float(len(range(n_restarts + 2))) * steps * n * k * 15.0,
                  hint="lower steps or n_restarts")
    lp = tgt.logpdf(x)
    p_dx = np.exp(lp) * dx
    bounds = [(-30.0, 30.0)] * k + [(m_lo, m_hi)] * k + [(math.log(s_lo), math.log(s_hi))] * k

    def start(means0, stds0, logits0):
        return np.concatenate([logits0, means0, np.log(np.clip(stds0, s_lo, s_hi))])

    cdf_grid = np.cumsum(p_dx) / p_dx.sum()
    quantiles = np.interp((np.arange(k) + 0.5) / k, cdf_grid, x)
    heavy = np.argsort(-tgt.w, kind="stable")
    heavy_means = np.array([tgt.m[heavy[i % tgt.m.size]] for i in range(k)])
    heavy_stds = np.array([tgt.s[heavy[i % tgt.m.size]] for i in range(k)])
    starts = [start(quantiles, np.full(k, sd / k), np.zeros(k)),
              start(heavy_means, heavy_stds, np.zeros(k))]
    for _ in range(n_restarts):
        comp = rng.choice(tgt.w.size, size=k, p=tgt.w)
        m0 = rng.normal(tgt.m[comp], tgt.s[comp])
        s0 = sd / k * np.exp(rng.uniform(-0.7, 0.7, size=k))
        starts.append(start(np.clip(m0, m_lo, m_hi), s0, rng.normal(0.0, 0.3, size=k)))

    best = None
    for theta0 in starts:
        path = [theta0.copy()]
        res = optimize.minimize(_mixture_objective, theta0, args=(k, x, lp, p_dx, dx, divergence),
                                jac=True, method="SLSQP", bounds=bounds,
                                callback=lambda th: path.append(np.array(th, copy=True)),
                                options={"maxiter": steps, "ftol": 1e-14})
        if best is None or res.fun < best[0]:
            best = (float(res.fun), res.x, path, res.status == 9)  # 9: iteration limit
    _, theta, path, capped = best
    if capped:
        _v.warn_not_converged("fit_mixture", steps, "raise steps for a converged fit")

    def params(th):
        log_w, m, logs = _unpack(np.asarray(th), k)
        return np.exp(log_w), m, np.exp(logs)

    w_fit, m_fit, s_fit = params(theta)
    order = np.argsort(m_fit, kind="stable")
    path_arr = np.array([np.stack(params(th))[:, order] for th in path])
    path_values = np.array([_mixture_objective(th, k, x, lp, p_dx, dx, divergence)[0]
                            for th in path])
    if divergence == "forward_kl":  # cross-entropy → KL(p‖q) = cross-entropy − H(p)
        path_values = path_values + float(np.dot(p_dx, lp))
    lq = log_mixture_pdf(x, w_fit / w_fit.sum(), m_fit, s_fit)
    value = float(grid_divergence(lp, lq, dx, divergence))
    return MixtureFit(w_fit[order], m_fit[order], s_fit[order], value, divergence, path_arr,
                      path_values)


# ---------------------------------------------------------------------------------------------
# 4. gradients felt by a model that starts far away
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields explicitly
class FarGradients:
    r"""D(p‖N(E_p x + δ, s²)) and |∂D/∂μ| as the model starts further away (δ = distance).

    Attributes
    ----------
    distances : ndarray
        δ, the offset of the model mean from E_p x.
    values : ndarray
        The divergence at each distance.
    gradients : ndarray
        |∂D/∂μ| at each distance.
    divergence : str
    """

    distances: np.ndarray
    values: np.ndarray
    gradients: np.ndarray
    divergence: str


def _tv_gradient_from_crossings(x, diff, mu, s):
    """∂TV/∂μ for q = N(μ, s²): q at the points where ``diff`` = log q − log p turns positive
    (entering A = {q > p}) minus q where it turns negative, rows of ``x`` / ``diff`` per μ."""
    out = np.zeros(len(mu))
    for i in range(len(mu)):
        d = diff[i]
        j = np.flatnonzero(np.sign(d[:-1]) != np.sign(d[1:]))
        xc = x[i, j] - d[j] * (x[i, j + 1] - x[i, j]) / (d[j + 1] - d[j])
        qc = np.exp(-0.5 * ((xc - mu[i]) / s) ** 2 - math.log(s) - _HALF_LOG_2PI)
        out[i] = np.sum(np.where(d[j + 1] > d[j], qc, -qc))
    return out


def gradient_far_away(distances, divergence, *, weights=(1.0,), means=(0.0,), stds=(1.0,),
                      std=1.0, eps=0.5, n_support=200):
    r"""How strongly each divergence pulls a model that starts far from the target.

    Model q = N(μ, s²) with μ = E_p x + δ for each distance δ, target p a 1-D mixture (default
    N(0, 1); pass e.g. ``weights=(0.5, 0.5), means=(-2, 2), stds=(1, 1)`` for two modes).

    ==============  ===================================================================
    ``forward_kl``  KL(p‖q); ∂/∂μ = (μ − E_p x)/s² (exact)
    ``reverse_kl``  KL(q‖p); ∂/∂μ = ∫ q (x − μ)/s² (log q − log p) dx (grid)
    ``js``          JS(p, q) ≤ log 2; ∂/∂μ = ½∫ q (x − μ)/s² log(2q/(p + q)) dx: the overlap
                    of p and q, so it vanishes (≈ e^{−δ²/8} for unit variances) as JS
                    saturates at log 2 — SinKD's "mode-underestimation"
    ``tv``          TV(p, q) = ½∫|p − q| ≤ 1; with A = {q > p}, ∂/∂μ = ∫_A ∂q/∂μ dx
                    = −∫_A ∂q/∂x dx = Σ q(entry points of A) − Σ q(exit points): all of it
                    comes from the crossing points of p and q, located on the grid and refined
                    linearly (for N(0, 1) against N(δ, 1) it is φ(δ/2), 0.352 at δ = 1); like
                    JS it decays with the overlap and is exactly 0 only for disjoint supports
    ``w2``          W2²(p, q) = Var_p + (E_p x − μ)² − 2 s s* + s²; ∂/∂μ = 2(μ − E_p x)
    ``sinkhorn``    debiased S_ε(p, q) (:func:`kitlib.divergences.sinkhorn_divergence`,
                    squared-Euclidean cost) between quantised p and q (``n_support`` points
                    each, ± 8 sd); ∂/∂μ by a central difference of step ½, exact because a
                    translation changes S_ε by a quadratic in the shift: 2(μ − E_p x) as W2
    ==============  ===================================================================

    Parameters
    ----------
    distances : array_like
        Finite offsets δ (any shape; a scalar is allowed).
    divergence : str
        One of :data:`FAR_DIVERGENCES`.
    weights, means, stds : array_like, keyword-only
        Target mixture.
    std : float, keyword-only
        Model width s > 0.
    eps : float, keyword-only
        Sinkhorn ε > 0 (squared-distance units); only used by ``"sinkhorn"``.
    n_support : int, keyword-only
        Points per quantised measure for ``"sinkhorn"`` (≥ 16).

    Returns
    -------
    FarGradients
        Arrays of the shape of ``distances``. ``"sinkhorn"`` imports POT (about 2 s once per
        process) and takes a few tens of milliseconds per distance with ``n_support=32``.

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
    distances
        real array, finite, entries >= -1e+100 and <= 1e+100, non-empty; at most 4,096 entries
        (model offsets, any shape).
    divergence
        one of 'forward_kl', 'reverse_kl', 'js', 'tv', 'w2', 'sinkhorn'.
    std
        finite real number > 0 and <= 1e+100 (>= 1e-100).
    eps
        finite real number > 0.
    n_support
        integer >= 16 and <= 512 (True and fractions refused).
    Budget (1 GB / 1 core): at most 4096 distances; Sinkhorn route within the work limit. Bad or
    too-large input raises ValueError naming the argument, before any allocation.

    References
    ----------
    "Sinkhorn Distance Minimization for Knowledge Distillation" (SinKD). M. Arjovsky, S.
    Chintala, L. Bottou, "Wasserstein Generative Adversarial Networks", 2017. J. Feydy et al.,
    "Interpolating between Optimal Transport and MMD using Sinkhorn Divergences", 2019.
    """
    tgt = _mixture(weights, means, stds)
    divergence = one_of(divergence, "divergence", FAR_DIVERGENCES)
    s = positive_scalar(std, "std")
    _check_scales("std", s, positive=True)
    dist = _v.as_float_array(distances, "distances", max_size=MAX_DISTANCES,
                             what="real numbers (model offsets)")
    if dist.size == 0:
        raise ValueError(f"distances must contain at least one offset; got shape {dist.shape}")
    if not np.isfinite(dist).all():
        raise ValueError(f"distances must be finite; got {distances!r}")
    _check_scales("distances", dist)
    eps = positive_scalar(eps, "eps")
    n_sup = _v.integer(n_support, "n_support", low=16, high=512)
    if divergence == "sinkhorn":
        # three Sinkhorn divergences per distance, each ~0.1–0.3 s (POT's ε-scaling stages and
        # three solves of n_support² costs): about 1e8 operations plus 3·3·300 per cost entry
        _v.check_work("gradient_far_away('sinkhorn')",
                      dist.size * (1e8 + 2.7e3 * n_sup**2),
                      hint="use fewer distances or a smaller n_support")
    mu = tgt.mean + dist.ravel()
    if divergence == "forward_kl":
        values = _Objective(tgt, "forward_kl", None, _FINE)(mu, s)
        grads = (mu - tgt.mean) / s**2
    elif divergence == "w2":
        s_star = _w2_scale(tgt)
        values = _w2_value(tgt, s_star, mu, s)
        grads = 2.0 * (mu - tgt.mean)
    elif divergence == "sinkhorn":
        t_lo, t_hi = tgt.span(8.0)
        xs = np.linspace(t_lo, t_hi, n_sup)
        a = np.exp(tgt.logpdf(xs) - np.max(tgt.logpdf(xs)))
        a /= a.sum()
        zs = np.linspace(-8.0, 8.0, n_sup)
        b = np.exp(-0.5 * zs * zs)
        b /= b.sum()
        half = 0.5

        def sink(m):
            return sinkhorn_divergence(xs, a, m + s * zs, b, eps, p=2)

        values = np.array([sink(m) for m in mu])
        grads = np.array([(sink(m + half) - sink(m - half)) / (2 * half) for m in mu])
    else:
        values = _Objective(tgt, divergence, None, _FINE)(mu, s)
        lo = np.minimum(tgt.span(_L_FINE)[0], mu - _L_FINE * s)
        hi = np.maximum(tgt.span(_L_FINE)[1], mu + _L_FINE * s)
        dx_need = min(tgt.smin / 4.0, s / 4.0, _valley_width(tgt) / _FINE[2])
        n = int(min(max(2048, math.ceil(np.max(hi - lo) / dx_need)), 200_000))
        _v.check_budget(f"gradient_far_away with {mu.size} distances", 8.0 * 8 * mu.size * n,
                        hint="pass fewer distances per call")
        t = np.linspace(0.0, 1.0, n)
        x = lo[:, None] + (hi - lo)[:, None] * t
        dx = (hi - lo) / (n - 1)
        lp = tgt.logpdf(x)
        z = (x - mu[:, None]) / s
        lq = -0.5 * z * z - math.log(s) - _HALF_LOG_2PI
        dq = np.exp(lq) * z / s  # ∂q/∂μ
        if divergence == "reverse_kl":
            grads = np.sum(dq * (lq - lp), axis=1) * dx
        elif divergence == "tv":
            grads = _tv_gradient_from_crossings(x, lq - lp, mu, s)
        else:  # js
            grads = 0.5 * np.sum(dq * (math.log(2.0) + lq - np.logaddexp(lp, lq)), axis=1) * dx
    shape = dist.shape
    return FarGradients(dist.copy(), np.asarray(values, dtype=np.float64).reshape(shape),
                        np.abs(np.asarray(grads, dtype=np.float64)).reshape(shape), divergence)


# ---------------------------------------------------------------------------------------------
# 5. categorical (logit) distillation
# ---------------------------------------------------------------------------------------------


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
    weight : float or None
        w of ``"balanced"`` (w·KL(p‖q) + (1 − w)·KL(q‖p)), else None.
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


def student_fit(teacher_probs, divergence, *, degree=2, weight=None, seed=0, n_starts=6):
    r"""Fit a low-capacity softmax student q to teacher probabilities p over K classes.

    Student: q = softmax(Σ_{j=1}^{degree} θ_j P_j(t_k)), t_k = 2k/(K − 1) − 1 the class index
    rescaled to [−1, 1] and P_j Legendre polynomials; ``degree=2`` is a softmax of a quadratic in
    the class index (2 parameters), which can make one bump but not two. Minimised:

    ==============  ==================================================================
    ``forward_kl``  KL(p‖q) (convex in θ: moment matching E_q φ = E_p φ; mass-covering)
    ``reverse_kl``  KL(q‖p) (mode-seeking; non-convex, one local minimum per mode)
    ``js``          Jensen–Shannon in nats
    ``balanced``    w·KL(p‖q) + (1 − w)·KL(q‖p), w = ``weight`` ∈ [0, 1] (BD-KD's balance
                    of forward and reverse KL)
    ==============  ==================================================================

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
    weight : float, keyword-only
        w ∈ [0, 1], required for ``"balanced"`` and only allowed there.
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
        one of 'forward_kl', 'reverse_kl', 'js', 'balanced'.
    degree
        integer >= 1 (True and fractions refused).
    weight
        finite real number >= 0 and <= 1; or None.
    seed
        None, an int >= 0 or a numpy.random.Generator.
    n_starts
        integer >= 0 and <= 1000 (True and fractions refused).
    Budget (1 GB / 1 core): at most 65,536 classes. Bad or too-large input raises ValueError naming
    the argument, before any allocation.

    References
    ----------
    G. Hinton, O. Vinyals, J. Dean, "Distilling the Knowledge in a Neural Network", 2015.
    "BD-KD: Balancing the Divergences for Online Knowledge Distillation". "Sinkhorn Distance
    Minimization for Knowledge Distillation" (SinKD).
    """
    p = _v.as_float_array(teacher_probs, "teacher_probs", max_size=MAX_CLASSES,
                          what="a 1-D array of probabilities")
    divergence = one_of(divergence, "divergence", STUDENT_DIVERGENCES)
    degree = integer_at_least(degree, "degree", 1)
    if p.ndim != 1 or not np.isfinite(p).all():
        raise ValueError(f"teacher_probs must be a finite 1-D array; got shape {p.shape}")
    if p.size < degree + 1:
        raise ValueError(f"teacher_probs needs at least degree + 1 = {degree + 1} classes; got "
                         f"{p.size}")
    if p.min() < 0 or abs(p.sum() - 1.0) > _SUM_TOL:
        raise ValueError(f"teacher_probs must be non-negative and sum to 1 (tolerance "
                         f"{_SUM_TOL:.0e}); got min {p.min()!r} and sum {p.sum()!r}")
    if divergence == "balanced":
        if weight is None:
            raise ValueError("weight is required for divergence='balanced' (w in [0, 1], the "
                             "share of forward KL); got None")
        w = real_scalar(weight, "weight", allowed="a real number in [0, 1]")
        if not 0.0 <= w <= 1.0:
            raise ValueError(f"weight must be in [0, 1]; got {w!r}")
    elif weight is not None:
        raise ValueError(f"weight is only used by divergence='balanced'; got weight={weight!r} "
                         f"with divergence={divergence!r}")
    else:
        w = None
    needs_positive = divergence in ("reverse_kl", "js") or (divergence == "balanced" and w < 1.0)
    if needs_positive and divergence != "js" and p.min() <= 0:
        raise ValueError(f"teacher_probs must be > 0 for divergence={divergence!r} (KL(q‖p) is "
                         f"infinite where p = 0 < q); got min {p.min()!r}. Raise the teacher's "
                         f"temperature.")
    rng = _rng(seed)
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
        res = polish(theta0, divergence, w)
        if best is None or res.fun < best.fun:
            best = res
    logits = basis @ best.x
    logits = logits - logits.mean()
    q = np.exp(special.log_softmax(logits))
    if divergence == "forward_kl":
        value = _discrete_kl(p, q)
    elif divergence == "reverse_kl":
        value = _discrete_kl(q, p)
    elif divergence == "js":
        value = _discrete_js(p, q)
    else:
        value = w * _discrete_kl(p, q) + (1.0 - w) * _discrete_kl(q, p)
    return StudentFit(q, logits, best.x.copy(), float(value), divergence, w)
