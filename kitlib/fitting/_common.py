"""Constants, the accepted divergence names and target validation.

A private module of :mod:`kitlib.fitting`: import its public names from there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kitlib import _validate as _v
from kitlib._validate import real_scalar
from kitlib.divergences import DIVERGENCES, _SUM_TOL, log_mixture_pdf

__all__ = ["FIT_DIVERGENCES", "MIXTURE_DIVERGENCES", "FAR_DIVERGENCES", "STUDENT_DIVERGENCES"]


# The names each fit accepts: documented subsets of kitlib.divergences.DIVERGENCES (the one
# vocabulary of the kit), in the registry's order.


def _registry_subset(names: set[str]) -> tuple[str, ...]:
    unknown = names - set(DIVERGENCES)
    if unknown:  # a programming error in this module, caught at import
        raise RuntimeError(f"not registry divergences: {sorted(unknown)}")
    return tuple(n for n in DIVERGENCES if n in names)


#: Divergences accepted by :func:`fit_gaussian`, :func:`gaussian_objective`, the switch searches
#: and :func:`fit_gaussian_grid`: every registry divergence with a density form the per-candidate
#: grids can evaluate with a known tail test (not Rényi, Neyman χ², Jeffreys; Sinkhorn needs
#: samples), plus W2 in closed form along the quantile functions.
FIT_DIVERGENCES: tuple[str, ...] = _registry_subset(
    {"forward_kl", "reverse_kl", "alpha", "js", "hellinger", "tv", "chi2", "cauchy_schwarz", "w2"})
#: Divergences accepted by :func:`fit_mixture`: the two KLs (their gradients in closed form).
MIXTURE_DIVERGENCES: tuple[str, ...] = _registry_subset({"forward_kl", "reverse_kl"})
#: Divergences accepted by :func:`gradient_far_away`: both KLs, the bounded JS and TV, and the
#: two transport divergences (the SinKD comparison).
FAR_DIVERGENCES: tuple[str, ...] = _registry_subset(
    {"forward_kl", "reverse_kl", "js", "tv", "w2", "sinkhorn"})
#: Divergences accepted by :func:`student_fit`. BD-KD's "balanced" objective w·KL(p‖q) +
#: (1 − w)·KL(q‖p) is a weighted sum of two of them, not a divergence name: it is
#: :func:`balanced_student_fit`.
STUDENT_DIVERGENCES: tuple[str, ...] = _registry_subset({"forward_kl", "reverse_kl", "js"})

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
