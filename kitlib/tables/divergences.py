r"""Tables behind notebook 01's explorers (mode-seeking versus mass-covering divergences).

Everything the explorers of :mod:`kitlib.views.divergences` would otherwise compute before the
first slider responds: switch separations, the global fits along Minka's α, two-component
mixture fits, far-away gradients and distillation students. Each is a cached
:func:`kitlib.tables.table` (memory, then the shipped file, else computed with a progress bar;
``python -m kitlib.tables divergences.<name>`` rebuilds one). Widget-free: importable and
testable without ipywidgets or matplotlib.

The targets (p = target, q = model, as everywhere in the kit):

* :func:`bimodal_target` ½N(−d, 1) + ½N(d, 1), the two-mode target of the Gaussian fits;
* :func:`three_mode_target` ⅓N(−d, 1) + ⅓N(0, 1) + ⅓N(d, 1), fitted by two components;
* :data:`FAR_TARGET` ½N(−2, 1) + ½N(2, 1), the target of the far-away gradients;
* :data:`TEACHER_LOGITS`, a two-bump teacher over 16 classes for the distillation students.

All values are derived here with :mod:`kitlib.fitting` (not quoted from a paper).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from kitlib import fitting as ft
from kitlib.tables import progress, table

__all__ = [
    "SWITCH_DIVERGENCES", "ALPHAS", "PATH_SEPARATIONS", "MIXTURE_SEPARATIONS",
    "MIXTURE_DIVERGENCES", "FAR_NAMES", "FAR_DISTANCES", "SINKHORN_DISTANCES", "FAR_TARGET",
    "TEACHER_LOGITS", "TEMPERATURES", "BALANCES", "STUDENT_DIVERGENCES", "NEAR_MODE",
    "bimodal_target", "three_mode_target",
    "FIT_SEPARATIONS", "switch_separations", "bimodal_fits", "LANDSCAPE_MUS", "LANDSCAPE_LOG_STDS",
    "landscape_image", "bimodal_landscapes", "alpha_switch", "alpha_path", "mixture_fits", "far_gradients",
    "student_fits", "switch_at", "KEY_DIVERGENCES", "key_numbers",
]

#: Divergences of the bimodal-fit selector with a tabulated switch separation: every name of
#: :data:`kitlib.fitting.FIT_DIVERGENCES` but Minka's α (tabulated along α by :func:`alpha_switch`).
SWITCH_DIVERGENCES: tuple[str, ...] = tuple(n for n in ft.FIT_DIVERGENCES if n != "alpha")
#: Minka's α grid of the α explorer: −1 to 2 in steps of 1/8 (25 values).
ALPHAS = np.round(np.arange(-1.0, 2.0001, 0.125), 6)
#: Separations d of the α explorer: 0 to 5 in steps of ½ (11 values).
PATH_SEPARATIONS = np.round(np.arange(0.0, 5.0001, 0.5), 6)
#: Separations d of the three-mode target: 1 to 6 (6 values).
MIXTURE_SEPARATIONS = np.round(np.arange(1.0, 6.0001, 1.0), 6)
#: Divergences of the mixture fits.
MIXTURE_DIVERGENCES: tuple[str, ...] = ft.MIXTURE_DIVERGENCES
#: Half-width of the window around each mode in which a mixture fit's mass is reported.
NEAR_MODE = 1.5
#: Divergences of the far-away gradients, in the legend's order.
FAR_NAMES: tuple[str, ...] = ("forward_kl", "reverse_kl", "js", "tv", "w2", "sinkhorn")
#: Offsets δ of the far-away model from E_p x (33 values; Sinkhorn on every 8th: 5 values).
FAR_DISTANCES = np.linspace(0.0, 8.0, 33)
SINKHORN_DISTANCES = np.linspace(0.0, 8.0, 5)
#: The far-away target ½N(−2, 1) + ½N(2, 1) as keyword arguments of gradient_far_away.
FAR_TARGET = {"weights": (0.5, 0.5), "means": (-2.0, 2.0), "stds": (1.0, 1.0)}
#: Teacher logits over 16 classes: the log of a two-bump profile (a big mode at 3.5, a smaller
#: one at 11.5).
TEACHER_LOGITS = np.log(0.6 * np.exp(-0.5 * (np.arange(16) - 3.5) ** 2)
                        + 0.4 * np.exp(-0.5 * (np.arange(16) - 11.5) ** 2) + 1e-4)
#: Teacher temperatures T of the distillation explorer: 0.3 to 4 in steps of 0.1 (38 values).
TEMPERATURES = np.round(np.arange(0.3, 4.0001, 0.1), 6)
#: BD-KD weights w of the balanced student: 0 to 1 in steps of 0.05 (21 values).
BALANCES = np.round(np.arange(0.0, 1.0001, 0.05), 6)
#: Divergences of the distillation students (the balanced objective is tabulated separately).
STUDENT_DIVERGENCES: tuple[str, ...] = ft.STUDENT_DIVERGENCES


def bimodal_target(d: float):
    """The two-mode target ½N(−d, 1) + ½N(d, 1) as (weights, means, stds)."""
    return np.array([0.5, 0.5]), np.array([-d, d]), np.array([1.0, 1.0])


def three_mode_target(d: float):
    """The three-mode target ⅓N(−d, 1) + ⅓N(0, 1) + ⅓N(d, 1) as (weights, means, stds)."""
    return np.full(3, 1.0 / 3.0), np.array([-d, 0.0, d]), np.ones(3)


@table("divergences.switch_separations")
def switch_separations(*, d_max: float = 8.0, tol: float = 5e-3) -> dict:
    r"""Separation d* at which the global Gaussian fit to ½N(−d, 1) + ½N(d, 1) jumps to one mode.

    For every name of :data:`SWITCH_DIVERGENCES`, with a free width (``"free"``) and with the
    width fixed at s = 1 (``"fixed"``), by :func:`kitlib.fitting.switch_separation`; inf where
    the fit does not switch up to ``d_max``. 16 searches, ~5 s.

    Returns
    -------
    dict
        ``"free"``, ``"fixed"``: name -> d* (float, to ``tol``).
    """
    jobs = [(name, fixed) for name in SWITCH_DIVERGENCES for fixed in (False, True)]
    out: dict = {"free": {}, "fixed": {}}
    for name, fixed in progress(jobs, "switch separations"):
        out["fixed" if fixed else "free"][name] = ft.switch_separation(
            name, fixed_std=1.0 if fixed else None, d_max=d_max, tol=tol)
    return out


#: Separations d of the bimodal-fit explorer's slider: 0 to 5 in steps of 0.05 (101 values).
FIT_SEPARATIONS = np.round(np.arange(0.0, 5.0001, 0.05), 6)


@table("divergences.bimodal_fits")
def bimodal_fits(*, seed: int = 0) -> dict:
    r"""Global Gaussian fits to ½N(−d, 1) + ½N(d, 1) along :data:`FIT_SEPARATIONS`.

    :func:`kitlib.fitting.fit_gaussian` (with ``seed``) for every name of
    :data:`SWITCH_DIVERGENCES`, with a free width (``"free"``) and with the width fixed at
    s = 1 (``"fixed"``): 1 616 fits, ~15 s. Minka's α is not tabulated: its slider is
    continuous, and the explorer fits it when asked.

    Returns
    -------
    dict
        ``"separations"`` (101,); ``"free"``, ``"fixed"``: name -> (101, 3) array of the fit's
        (mean, std, value) at each separation.
    """
    jobs = [(name, fixed) for name in SWITCH_DIVERGENCES for fixed in (False, True)]
    out: dict = {"separations": FIT_SEPARATIONS, "free": {}, "fixed": {}}
    for name, fixed in progress(jobs, "Gaussian fits along d"):
        fits = [ft.fit_gaussian(*bimodal_target(d), name, seed=seed,
                                fixed_std=1.0 if fixed else None) for d in FIT_SEPARATIONS]
        out["fixed" if fixed else "free"][name] = np.array([(f.mean, f.std, f.value) for f in fits])
    return out


#: Model means μ and log-widths log s of the bimodal-fit explorer's landscape (41 × 29 cells).
LANDSCAPE_MUS = np.linspace(-6.0, 6.0, 41)
LANDSCAPE_LOG_STDS = np.linspace(np.log(0.3), np.log(7.0), 29)


def landscape_image(landscape) -> np.ndarray:
    r"""What the landscape panel colours: :math:`\log_{10}(D - \min D + 10^{-3})`.

    Parameters
    ----------
    landscape : array_like, shape (M, S)
        D(p‖N(μ_i, s_j²)) on a grid of M means and S widths (+inf allowed, not all +inf).

    Returns
    -------
    ndarray, shape (S, M)
        Image layout (rows: widths, columns: means); NaN where D is infinite.
    """
    land = np.asarray(landscape, dtype=float).T
    finite = np.isfinite(land)
    if not finite.any():
        raise ValueError("landscape must have at least one finite value")
    rel = np.where(finite, land - np.min(land[finite]), np.nan)
    return np.log10(rel + 1e-3)


@table("divergences.bimodal_landscapes")
def bimodal_landscapes() -> dict:
    r"""The bimodal-fit explorer's landscape images along :data:`FIT_SEPARATIONS`.

    :func:`landscape_image` of :func:`kitlib.fitting.gaussian_landscape` on the grid
    :data:`LANDSCAPE_MUS` × exp(:data:`LANDSCAPE_LOG_STDS`) for every name of
    :data:`SWITCH_DIVERGENCES`: 808 landscapes, ~15 s. Stored as float32 (7 significant
    digits of a quantity shown through a 256-colour map; 2.3 MB on disk). Minka's α is not
    tabulated: its slider is continuous.

    Returns
    -------
    dict
        ``"separations"`` (101,); name -> (101, 29, 41) float32 images, NaN where D is infinite.
    """
    out: dict = {"separations": FIT_SEPARATIONS}
    stds = np.exp(LANDSCAPE_LOG_STDS)
    for name in progress(SWITCH_DIVERGENCES, "landscapes along d"):
        out[name] = np.array([landscape_image(ft.gaussian_landscape(*bimodal_target(d), name,
                                                                    LANDSCAPE_MUS, stds))
                              for d in FIT_SEPARATIONS], dtype=np.float32)
    return out


@table("divergences.alpha_switch")
def alpha_switch(*, d_max: float = 8.0, tol: float = 2e-2) -> dict:
    r"""Switch separation d*(α) of Minka's α with a free width on the grid :data:`ALPHAS`.

    :func:`kitlib.fitting.switch_curve` for α < 1; inf for α ≥ 1, where the α-divergence is
    mass-covering and the fit never picks one mode (d* → ∞ as α → 1). 16 searches, ~5 s.

    Returns
    -------
    dict
        ``"alphas"`` (25,), ``"switch"`` (25,) d*(α) to ``tol``, inf where there is no switch.
    """
    switch = np.full(ALPHAS.shape, np.inf)
    below = ALPHAS < 1.0
    values = [ft.switch_curve([a], d_max=d_max, tol=tol)[0]
              for a in progress(ALPHAS[below], "switch separation along α")]
    switch[below] = values
    return {"alphas": ALPHAS, "switch": switch}


def switch_at(alpha: float, curve: dict) -> float:
    """d*(α) linearly interpolated on the tabulated curve ``alpha_switch()``; inf where a
    neighbouring grid value is inf (used for slider values between grid points)."""
    a, sw = curve["alphas"], curve["switch"]
    j = int(np.clip(np.searchsorted(a, alpha) - 1, 0, a.size - 2))
    lo, hi = sw[j], sw[j + 1]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return float(lo) if alpha <= a[j] and np.isfinite(lo) else float("inf")
    t = (alpha - a[j]) / (a[j + 1] - a[j])
    return float(lo + t * (hi - lo))


@table("divergences.alpha_path")
def alpha_path() -> dict:
    r"""Global fits N(μ, s²) of ½N(−d, 1) + ½N(d, 1) by Minka's α on separations × α.

    :func:`kitlib.fitting.fit_gaussian` for every d of :data:`PATH_SEPARATIONS` and α of
    :data:`ALPHAS` (275 fits, ~15 s). The fit is symmetric under μ → −μ, so |μ| is stored.

    Returns
    -------
    dict
        ``"separations"`` (11,), ``"alphas"`` (25,), ``"mu"`` (11, 25) |μ| of the fit,
        ``"std"`` (11, 25) s of the fit, ``"value"`` (11, 25) the minimised D_α.
    """
    shape = (PATH_SEPARATIONS.size, ALPHAS.size)
    mu, sd, value = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    jobs = [(i, j) for i in range(shape[0]) for j in range(shape[1])]
    for i, j in progress(jobs, "global fits along α"):
        fit = ft.fit_gaussian(*bimodal_target(float(PATH_SEPARATIONS[i])), "alpha",
                              alpha=float(ALPHAS[j]))
        mu[i, j], sd[i, j], value[i, j] = abs(fit.mean), fit.std, fit.value
    return {"separations": PATH_SEPARATIONS, "alphas": ALPHAS, "mu": mu, "std": sd,
            "value": value}


def _mass_near(centres, weights, means, stds, half_width: float) -> np.ndarray:
    """q-mass of the mixture (weights, means, stds) within each centre ± half_width."""
    c = np.asarray(centres, dtype=float)[:, None]
    inside = ndtr((c + half_width - means) / stds) - ndtr((c - half_width - means) / stds)
    return inside @ weights


@table("divergences.mixture_fits")
def mixture_fits(*, n_restarts: int = 2, seed: int = 0) -> dict:
    r"""Two-component Gaussian mixtures fitted to the three-mode target by forward / reverse KL.

    :func:`kitlib.fitting.fit_mixture` (``seed``, ``n_restarts``) for every d of
    :data:`MIXTURE_SEPARATIONS` and both divergences of :data:`MIXTURE_DIVERGENCES` (12 fits).

    Returns
    -------
    dict
        ``"separations"`` (6,); for each divergence name a mapping with ``"weights"``,
        ``"means"``, ``"stds"`` (6, 2) of the fit, ``"value"`` (6,) the minimised KL and
        ``"mass_near"`` (6, 3), the fitted q's mass within ±:data:`NEAR_MODE` of each of the
        target's modes −d, 0, d.
    """
    n = MIXTURE_SEPARATIONS.size
    out: dict = {"separations": MIXTURE_SEPARATIONS}
    for div in MIXTURE_DIVERGENCES:
        out[div] = {"weights": np.zeros((n, 2)), "means": np.zeros((n, 2)),
                    "stds": np.zeros((n, 2)), "value": np.zeros(n), "mass_near": np.zeros((n, 3))}
    jobs = [(i, div) for i in range(n) for div in MIXTURE_DIVERGENCES]
    for i, div in progress(jobs, "mixture fits"):
        w, m, s = three_mode_target(float(MIXTURE_SEPARATIONS[i]))
        fit = ft.fit_mixture(w, m, s, 2, div, seed=seed, n_restarts=n_restarts)
        row = out[div]
        row["weights"][i], row["means"][i], row["stds"][i] = fit.weights, fit.means, fit.stds
        row["value"][i] = fit.value
        row["mass_near"][i] = _mass_near(m, fit.weights, fit.means, fit.stds, NEAR_MODE)
    return out


@table("divergences.far_gradients")
def far_gradients(*, n_support: int = 32) -> dict:
    r"""|∂D/∂μ| felt by a model N(E_p x + δ, 1) of :data:`FAR_TARGET`, per divergence.

    :func:`kitlib.fitting.gradient_far_away` on :data:`FAR_DISTANCES` (Sinkhorn on
    :data:`SINKHORN_DISTANCES` with ``n_support`` points per measure: it is the slow one).

    Returns
    -------
    dict
        For each name of :data:`FAR_NAMES` a mapping with ``"distances"``, ``"values"`` and
        ``"gradients"`` (33,) (5, for Sinkhorn).
    """
    out = {}
    for name in progress(FAR_NAMES, "far-away gradients"):
        sink = name == "sinkhorn"
        kw = {"n_support": n_support} if sink else {}
        g = ft.gradient_far_away(SINKHORN_DISTANCES if sink else FAR_DISTANCES, name,
                                 **FAR_TARGET, **kw)
        out[name] = {"distances": g.distances, "values": g.values, "gradients": g.gradients}
    return out


@table("divergences.student_fits")
def student_fits(*, degree: int = 2, seed: int = 0, n_starts: int = 6) -> dict:
    r"""Low-capacity softmax students of the tempered two-bump teacher, on the slider grids.

    For every T of :data:`TEMPERATURES`: the teacher softmax(:data:`TEACHER_LOGITS`/T), the
    students :func:`kitlib.fitting.student_fit` by each name of :data:`STUDENT_DIVERGENCES`,
    and :func:`kitlib.fitting.balanced_student_fit` for every w of :data:`BALANCES`
    (38 × (3 + 21) = 912 fits, ~15 s).

    Returns
    -------
    dict
        ``"temperatures"`` (38,), ``"balances"`` (21,), ``"teacher"`` (38, 16); ``"probs"``:
        name -> (38, 16) student probabilities; ``"balanced"`` (38, 21, 16) the balanced
        students (axis 1: w).
    """
    k = TEACHER_LOGITS.size
    kw = {"degree": degree, "seed": seed, "n_starts": n_starts}
    teacher = np.stack([ft.softmax(TEACHER_LOGITS, temperature=float(t)) for t in TEMPERATURES])
    probs = {name: np.zeros((TEMPERATURES.size, k)) for name in STUDENT_DIVERGENCES}
    balanced = np.zeros((TEMPERATURES.size, BALANCES.size, k))
    for i in progress(range(TEMPERATURES.size), "student fits"):
        for name in STUDENT_DIVERGENCES:
            probs[name][i] = ft.student_fit(teacher[i], name, **kw).probs
        for j, w in enumerate(BALANCES):
            balanced[i, j] = ft.balanced_student_fit(teacher[i], float(w), **kw).probs
    return {"temperatures": TEMPERATURES, "balances": BALANCES, "teacher": teacher,
            "probs": probs, "balanced": balanced}


#: Divergences of notebook 01's printed fits at d = 3 (every FIT_DIVERGENCES name but α).
KEY_DIVERGENCES: tuple[str, ...] = SWITCH_DIVERGENCES


@table("divergences.key_numbers")
def key_numbers(*, d: float = 3.0) -> dict:
    r"""The numbers notebook 01 prints after Explore 1, precomputed (~7 s of searches).

    For the target ½N(−d, 1) + ½N(d, 1): the global fit by each name of
    :data:`KEY_DIVERGENCES` (:func:`kitlib.fitting.fit_gaussian`), and for reverse KL the
    separation where one-mode local minima appear (:func:`kitlib.fitting.one_mode_appears`,
    default tolerance), the switch separation with a free width
    (:func:`kitlib.fitting.switch_separation`, default tolerance) and the pitchfork with the
    width fixed at 1 (``tol=1e-4``).

    Returns
    -------
    dict
        ``"mean"``, ``"std"``, ``"value"``: name -> the fit's μ, s and minimised divergence;
        ``"appears"``, ``"switch"``, ``"pitchfork"``: the three reverse-KL separations.
    """
    out: dict = {"mean": {}, "std": {}, "value": {}}
    for name in progress(KEY_DIVERGENCES, "fits at d = 3"):
        fit = ft.fit_gaussian(*bimodal_target(d), name)
        out["mean"][name], out["std"][name], out["value"][name] = fit.mean, fit.std, fit.value
    out["appears"] = ft.one_mode_appears("reverse_kl")
    out["switch"] = ft.switch_separation("reverse_kl")
    out["pitchfork"] = ft.switch_separation("reverse_kl", fixed_std=1.0, tol=1e-4)
    return out
