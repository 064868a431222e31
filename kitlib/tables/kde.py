"""Tables behind notebook 02's explorers: kernel density estimation in high dimension.

Every number an explorer of :mod:`kitlib.views.kde` shows is precomputed here, on the grids its
controls step through, so that a slider only indexes an array. Each function is a
:func:`kitlib.tables.table` (keyword-only hashable parameters, computed once, shipped on disk by
``python -m kitlib.tables``) returning a mapping ``name -> array or scalar``; the arrays are
read-only.

Setting (unless a parameter says otherwise): data :math:`y_i \\sim \\mathcal N(0, I_d)`, one test
point per data set with :math:`|x|^2 = d` (the variance-reduced typical point), dimension
:data:`D_DEFAULT` = 50 and sample size :data:`N_DEFAULT` = 2·10⁴, so
:math:`\\alpha = \\ln n / d \\approx 0.198`. The Monte Carlo draws each data set's ``n`` squared
distances exactly with :func:`kitlib.kde.sample_sq_distances` (O(n) whatever ``d``).

Tables
------
* :func:`monte_carlo` — ``kde.monte_carlo``: :func:`kitlib.kde.monte_carlo_kde` on :data:`H_GRID`;
* :func:`phase_diagram` — ``kde.phase_diagram``: asymptotic thresholds, finite-size markers and
  the finite-size threshold at every position of the α slider, for each offered ``d``;
* :func:`log_ratio_histograms` — ``kde.log_ratio_histograms``: histograms of
  :math:`\\ln(\\hat\\rho_h/\\rho_h)` over data sets and the CLT prediction, per bandwidth;
* :func:`participation` — ``kde.participation``: :math:`E\\sum_i w_i^2`, :math:`E\\max_i w_i`,
  their theory curves and the histogram of :math:`\\sum_i w_i^2` per bandwidth;
* :func:`quenched_annealed` — ``kde.quenched_annealed``: quenched and annealed log-density;
* :func:`kl_bandwidth` — ``kde.kl_bandwidth``: :math:`\\mathrm{KL}(\\rho\\|\\hat\\rho_h)/d`,
  Monte Carlo and theory, and the exact optimum :math:`h^{*2} = E[\\sum_i w_i D_i]/d`;
* :func:`top_weights` — ``kde.top_weights``: the sorted top weights at one test point, per
  bandwidth of the slider and data set;
* :func:`nn_gaps` — ``kde.nn_gaps``: :math:`h_G(d, n)` measured from nearest-neighbour gaps.

Build time of all shipped tables: about 30 s on one core (the Monte Carlo dominates).
"""

from __future__ import annotations

import math

import numpy as np

from kitlib import kde
from kitlib.tables import progress, table

__all__ = [
    "D_DEFAULT", "N_DEFAULT", "H_GRID", "H_STEP", "H_FINE", "SEED", "N_SETS", "N_SETS_KL",
    "PD_ALPHA", "PD_MARK_ALPHA", "PD_DIMS", "PD_SLIDER_ALPHA", "X_THEORY", "QA_SIZES",
    "TOP_K", "TOP_SETS", "TOP_H_GRID", "GAP_LOG_N", "GAP_N", "GAP_K", "GAP_POINTS", "GAP_N_FINE",
    "HIST_BINS", "HIST_POINTS",
    "monte_carlo", "phase_diagram", "log_ratio_histograms", "participation", "quenched_annealed",
    "kl_bandwidth", "top_weights", "nn_gaps",
]

#: Dimension and sample size of the Monte Carlo explorers (α = ln n / d ≈ 0.198).
D_DEFAULT = 50
N_DEFAULT = 20_000
#: Bandwidth grid of the precomputed Monte Carlo (the h sliders step on it), and its step.
H_GRID = np.round(np.arange(0.30, 2.5001, 0.05), 2)
H_STEP = 0.05
#: Fine bandwidth grid of the theory curves (300 points over the range of :data:`H_GRID`).
H_FINE = np.linspace(float(H_GRID[0]), float(H_GRID[-1]), 300)
#: Seed of the Monte Carlo (each table derives its own stream from it).
SEED = 20240811
#: Data sets of the Monte Carlo at |x|² = d (histograms, weights, quenched log-density) and with
#: x ~ ρ (KL).
N_SETS = 600
N_SETS_KL = 300

#: α grid of the phase diagram's curves, α values of its finite-size markers, the dimensions
#: offered, and the α slider's positions (0.05 to 1.00 in steps of 0.01).
PD_ALPHA = np.linspace(0.05, 1.0, 300)
PD_MARK_ALPHA = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0])
PD_DIMS = (20, 50, 100, 1000)
PD_SLIDER_ALPHA = np.round(np.arange(0.05, 1.0001, 0.01), 2)

#: h/h_G grid of the participation theory curves.
X_THEORY = np.linspace(0.0, 2.45, 400)
#: Sample sizes of the quenched/annealed explorer.
QA_SIZES = (1_000, N_DEFAULT)

#: Histogram of ln(ρ̂/ρ_h): bins, and points of the CLT curve.
HIST_BINS = 40
HIST_POINTS = 400

#: Top weights: how many ranks, how many data sets, and the h slider's positions (step 0.01).
TOP_K = 20
TOP_SETS = 8
TOP_H_GRID = np.round(np.arange(0.30, 2.5001, 0.01), 2)

#: Nearest-neighbour gaps: log10 n grid (2 to 5 in thirds), the sample sizes, the most spacings
#: per test point, test points per n, and the fine n grid of the theory curves.
GAP_LOG_N = np.round(np.arange(2.0, 5.0001, 1.0 / 3.0), 4)
GAP_N = np.round(10.0**GAP_LOG_N).astype(int)
GAP_K = 10
GAP_POINTS = 200
GAP_N_FINE = np.geomspace(100, 1e5, 60)


# --------------------------------------------------------------------------------------------
# the Monte Carlo over data sets
# --------------------------------------------------------------------------------------------
@table("kde.monte_carlo")
def monte_carlo(*, n: int = N_DEFAULT, d: int = D_DEFAULT, random_x: bool = False,
                n_sets: int | None = None, seed: int = SEED) -> dict:
    r"""Monte Carlo statistics of :math:`\hat\rho_h(x)` on :data:`H_GRID` (one test point per set).

    Parameters
    ----------
    n, d : int
        Sample size (>= 2) and dimension (>= 1).
    random_x : bool
        ``False``: :math:`|x|^2 = d` (the typical point, variance reduced); ``True``: :math:`x \sim
        \rho = \mathcal N(0, I_d)` (needed for :math:`\mathrm{KL}(\rho\|\hat\rho_h)`).
    n_sets : int or None
        Data sets; ``None`` means :data:`N_SETS_KL` if ``random_x`` else :data:`N_SETS`.
    seed : int
        The stream is ``numpy.random.default_rng([seed, n, d, random_x])``.

    Returns
    -------
    dict
        The fields of :class:`kitlib.kde.MonteCarloKDE`: ``d``, ``n`` (scalars), ``h`` (H,),
        ``x_sq_norm`` (S,), and ``log_density``, ``log_ratio``, ``participation``,
        ``max_weight``, ``weighted_sq_distance`` of shape (H, S) (row ``j`` is ``h[j]``).
        About 1 MB compressed at the default; 3 s on one core.
    """
    if n_sets is None:
        n_sets = N_SETS_KL if random_x else N_SETS
    label = f"Monte Carlo: {n_sets} data sets of n={n:,} at d={d}" + (" (x ~ ρ)" if random_x else "")
    gen = np.random.default_rng([seed, n, d, int(random_x)])
    mc = kde.monte_carlo_kde(d, n, H_GRID, n_sets=n_sets, seed=gen, r=None if random_x else 1.0,
                             progress=lambda it: progress(it, label))
    return {"d": mc.d, "n": mc.n, "h": mc.h, "x_sq_norm": mc.x_sq_norm,
            "log_density": mc.log_density, "log_ratio": mc.log_ratio,
            "participation": mc.participation, "max_weight": mc.max_weight,
            "weighted_sq_distance": mc.weighted_sq_distance}


def _mc(**params) -> kde.MonteCarloKDE:
    """The :func:`monte_carlo` table as a :class:`kitlib.kde.MonteCarloKDE` (for its methods)."""
    return kde.MonteCarloKDE(**monte_carlo(**params))


# --------------------------------------------------------------------------------------------
# 1. phase diagram
# --------------------------------------------------------------------------------------------
@table("kde.phase_diagram")
def phase_diagram(*, dims: tuple = PD_DIMS) -> dict:
    r"""The (α, h) phase diagram: thresholds as d → ∞ and at finite d.

    Returns
    -------
    dict
        ``alpha`` (300,) = :data:`PD_ALPHA` with ``h_G``, ``h_CLT``, ``h_KL`` (300,) from
        :func:`kitlib.kde.thresholds`; ``dims`` (4,); ``mark_alpha`` (9,) =
        :data:`PD_MARK_ALPHA` with ``mark_h_G``, ``mark_h_CLT`` (4, 9), the finite-size
        thresholds :math:`h_G(d, e^{\alpha d})`, :math:`h_{CLT}(d, e^{\alpha d})` per dimension;
        ``slider_alpha`` (96,) = :data:`PD_SLIDER_ALPHA` with the asymptotic ``slider_h_G``,
        ``slider_h_CLT``, ``slider_h_KL`` (96,) and the finite-size ``slider_fs_h_G``,
        ``slider_fs_c`` (4, 96): :math:`h_G(d, n)` and the lower-tail log-slope :math:`c`, so that
        :math:`\kappa_d(h) = 2h^2c`. About 400 root finds, ~10 s on one core.
    """
    th = kde.thresholds(PD_ALPHA)
    ths = kde.thresholds(PD_SLIDER_ALPHA)
    mark_g = np.empty((len(dims), PD_MARK_ALPHA.size))
    mark_c = np.empty_like(mark_g)
    fs_g = np.empty((len(dims), PD_SLIDER_ALPHA.size))
    fs_c = np.empty_like(fs_g)
    for i, d in enumerate(progress(dims, "finite-size thresholds")):
        for j, a in enumerate(PD_MARK_ALPHA):
            fs = kde.finite_size_thresholds(d, log_n=a * d)
            mark_g[i, j], mark_c[i, j] = fs.h_G, fs.h_CLT
        for j, a in enumerate(PD_SLIDER_ALPHA):
            fs = kde.finite_size_thresholds(d, log_n=float(a) * d)
            fs_g[i, j], fs_c[i, j] = fs.h_G, fs.c
    return {"alpha": PD_ALPHA, "h_G": th.h_G, "h_CLT": th.h_CLT, "h_KL": th.h_KL,
            "dims": np.asarray(dims), "mark_alpha": PD_MARK_ALPHA, "mark_h_G": mark_g,
            "mark_h_CLT": mark_c, "slider_alpha": PD_SLIDER_ALPHA, "slider_h_G": ths.h_G,
            "slider_h_CLT": ths.h_CLT, "slider_h_KL": ths.h_KL, "slider_fs_h_G": fs_g,
            "slider_fs_c": fs_c}


# --------------------------------------------------------------------------------------------
# 2. histograms of ln(ρ̂/ρ_h) over data sets
# --------------------------------------------------------------------------------------------
@table("kde.log_ratio_histograms")
def log_ratio_histograms(*, n: int = N_DEFAULT) -> dict:
    r"""Histograms over data sets of :math:`\ln(\hat\rho_h(x)/\rho_h(x))`, one per bandwidth.

    Returns
    -------
    dict
        ``h`` (H,) = :data:`H_GRID`; ``counts`` (H, 40) densities on ``edges`` (H, 41); ``xlim``
        (H, 2) the x-range to show; ``clt_z``, ``clt_pdf`` (H, 400) the Gaussian CLT prediction
        (:func:`kitlib.kde.clt_log_ratio_pdf`, exact variance), drawn only where ``has_clt``
        (H,) (:math:`\kappa_d \ge 1`); ``median`` (H,) of the log-ratio and ``mean_ratio`` (H,)
        of :math:`\hat\rho/\rho_h` over the data sets; ``kappa`` (H,) =
        :math:`(h/h_G(d,n))^2`; scalars ``h_G``, ``h_CLT`` (finite size at ``(D_DEFAULT, n)``),
        ``n``, ``n_sets``.
    """
    mc = monte_carlo(n=n)
    fs = kde.finite_size_thresholds(D_DEFAULT, n=n)
    H = mc["h"].size
    counts = np.empty((H, HIST_BINS))
    edges = np.empty((H, HIST_BINS + 1))
    xlim = np.empty((H, 2))
    zs = np.zeros((H, HIST_POINTS))
    pdfs = np.zeros((H, HIST_POINTS))
    has = np.zeros(H, dtype=bool)
    kappa = np.asarray(fs.kappa(mc["h"]), dtype=float)
    for j, h in enumerate(mc["h"]):
        vals = mc["log_ratio"][j]
        lo, hi = float(vals.min()), float(vals.max())
        pad = 0.05 * (hi - lo) + 1e-3
        counts[j], edges[j] = np.histogram(vals, bins=HIST_BINS, range=(lo - pad, hi + pad),
                                           density=True)
        xlim[j] = min(lo - pad, -0.02 * (hi - lo) - 0.02), max(hi + pad, 0.02 * (hi - lo) + 0.02)
        if kappa[j] >= 1.0:  # the Gaussian prediction is drawn outside the extreme-value regime
            has[j] = True
            zs[j] = np.linspace(xlim[j, 0], xlim[j, 1], HIST_POINTS)
            pdfs[j] = kde.clt_log_ratio_pdf(zs[j], float(h), D_DEFAULT, n, x_sq_norm=D_DEFAULT)
    return {"h": mc["h"], "counts": counts, "edges": edges, "xlim": xlim, "clt_z": zs,
            "clt_pdf": pdfs, "has_clt": has, "median": np.median(mc["log_ratio"], axis=1),
            "mean_ratio": np.exp(mc["log_ratio"]).mean(axis=1), "kappa": kappa,
            "h_G": fs.h_G, "h_CLT": fs.h_CLT, "n": mc["n"], "n_sets": mc["log_ratio"].shape[1]}


# --------------------------------------------------------------------------------------------
# 3. participation and largest weight
# --------------------------------------------------------------------------------------------
@table("kde.participation")
def participation(*, n: int = N_DEFAULT) -> dict:
    r"""Participation :math:`\sum_i w_i^2` and largest weight over data sets, per bandwidth.

    Returns
    -------
    dict
        ``h`` (H,); ``part``, ``part_sd``, ``wmax`` (H,): mean and standard deviation of
        :math:`\sum_i w_i^2` and mean of :math:`\max_i w_i` over the data sets; ``edges`` (26,)
        on [0, 1] and ``hists`` (H, 25), the density of :math:`\sum_i w_i^2` over data sets;
        ``x_theory`` (400,) = :data:`X_THEORY` (= h/h_G) with ``theory_part`` = :math:`1-\kappa`
        (:func:`kitlib.kde.expected_participation`) and ``theory_max`` = the Poisson–Dirichlet
        :math:`E\max w` (:func:`kitlib.kde.pd_expected_max_weight`); scalars ``h_G_finite``
        (:math:`h_G(d, n)`) and ``h_G_asymptotic`` (:math:`h_G(\alpha)`).
    """
    mc = monte_carlo(n=n)
    p = mc["participation"]
    edges = np.linspace(0.0, 1.0, 26)
    hists = np.stack([np.histogram(row, bins=edges, density=True)[0] for row in p])
    alpha = math.log(mc["n"]) / mc["d"]
    return {"h": mc["h"], "part": p.mean(axis=1), "part_sd": p.std(axis=1),
            "wmax": mc["max_weight"].mean(axis=1), "edges": edges, "hists": hists,
            "x_theory": X_THEORY, "theory_part": kde.expected_participation(X_THEORY**2),
            "theory_max": kde.pd_expected_max_weight(np.minimum(X_THEORY**2, 1.0)),
            "h_G_finite": kde.finite_size_thresholds(D_DEFAULT, n=n).h_G,
            "h_G_asymptotic": kde.thresholds(alpha).h_G}


# --------------------------------------------------------------------------------------------
# 4. quenched versus annealed
# --------------------------------------------------------------------------------------------
@table("kde.quenched_annealed", presets=({"n": 1_000},))
def quenched_annealed(*, n: int = N_DEFAULT) -> dict:
    r"""Quenched :math:`\frac1d E\ln\hat\rho_h` against annealed :math:`\frac1d\ln\rho_h`.

    Returns
    -------
    dict
        ``h_fine`` (300,) = :data:`H_FINE` with the theory ``annealed``
        (:func:`kitlib.kde.annealed_log_density`), ``quenched``
        (:func:`kitlib.kde.typical_log_density`) and ``gap_theory`` = annealed − quenched;
        ``h`` (H,) with the Monte Carlo ``mc_q`` (mean of :math:`\ln\hat\rho_h/d`) and
        ``mc_gap`` (:math:`\ln\rho_h/d` − ``mc_q``); scalars ``d``, ``n``, ``alpha``, ``h_G``
        (asymptotic) and ``h_G_finite``.
    """
    mc = monte_carlo(n=n)
    d = mc["d"]
    alpha = math.log(mc["n"]) / d
    annealed = kde.annealed_log_density(H_FINE)
    quenched = kde.typical_log_density(H_FINE, alpha)
    mc_q = mc["log_density"].mean(axis=1) / d
    mc_ann = kde.log_expected_kde(d, mc["h"], d) / d
    return {"h_fine": H_FINE, "annealed": annealed, "quenched": quenched,
            "gap_theory": annealed - quenched, "h": mc["h"], "mc_q": mc_q, "mc_gap": mc_ann - mc_q,
            "d": d, "n": mc["n"], "alpha": alpha, "h_G": kde.thresholds(alpha).h_G,
            "h_G_finite": kde.finite_size_thresholds(D_DEFAULT, n=n).h_G}


# --------------------------------------------------------------------------------------------
# 5. KL(ρ‖ρ̂)/d against h
# --------------------------------------------------------------------------------------------
@table("kde.kl_bandwidth")
def kl_bandwidth(*, n: int = N_DEFAULT) -> dict:
    r""":math:`\mathrm{KL}(\rho\|\hat\rho_h)/d` against h, Monte Carlo (x ~ ρ) and theory.

    Returns
    -------
    dict
        ``h_fine`` (300,) with ``theory``, ``low``, ``high`` (:func:`kitlib.kde.kl_per_dim` on
        both branches and each branch continued); ``h`` (H,) with ``kl_mc`` (Monte Carlo),
        ``kl_theory`` (theory at ``h``) and ``wd`` = :math:`E[\sum_i w_i D_i]/d`; ``j_min``
        (index of the Monte Carlo minimum), ``h_star`` (the exact optimum, where ``wd`` crosses
        :math:`h^2`), ``alpha``, ``h_G``, ``h_KL`` (asymptotic), ``h_G_finite``, ``n_sets``.
    """
    mc = _mc(n=n, random_x=True)
    alpha = mc.alpha
    th = kde.thresholds(alpha)
    kl_mc = mc.kl_per_dim()
    return {"h_fine": H_FINE, "theory": kde.kl_per_dim(H_FINE, alpha),
            "low": kde.kl_per_dim(H_FINE, alpha, branch="low"),
            "high": kde.kl_per_dim(H_FINE, alpha, branch="high"),
            "h": mc.h, "kl_mc": kl_mc, "kl_theory": kde.kl_per_dim(mc.h, alpha),
            "wd": mc.weighted_sq_distance.mean(axis=1) / mc.d, "j_min": int(np.argmin(kl_mc)),
            "h_star": mc.optimal_bandwidth(), "alpha": alpha, "h_G": th.h_G, "h_KL": th.h_KL,
            "h_G_finite": kde.finite_size_thresholds(D_DEFAULT, n=n).h_G, "n_sets": mc.n_sets}


# --------------------------------------------------------------------------------------------
# 6. sorted top weights at one test point
# --------------------------------------------------------------------------------------------
@table("kde.top_weights")
def top_weights(*, n: int = N_DEFAULT, seed: int = SEED + 6) -> dict:
    r"""The :data:`TOP_K` largest normalised weights at one test point, per bandwidth and data set.

    :data:`TOP_SETS` data sets of ``n`` squared distances (|x|² = d) drawn with
    ``numpy.random.default_rng(seed)``; for each h of :data:`TOP_H_GRID` (the slider's positions).

    Returns
    -------
    dict
        ``h`` (221,); ``weights`` (221, 8, 20) sorted decreasing
        (:func:`kitlib.kde.top_weights`); ``participation``, ``max_weight`` (221, 8) and
        ``n_mass`` (221, 8, int: points carrying 90 % of the weight) from
        :func:`kitlib.kde.weight_stats_from_sq_distances`; ``kappa`` (221,) =
        :math:`(h/h_G(d,n))^2` and ``pd`` (221,), the Poisson–Dirichlet
        :math:`E\,w_{(1)}` at :math:`\min(\kappa, 1)`; scalars ``h_G_finite``, ``n``.
    """
    D = kde.sample_sq_distances(D_DEFAULT, n, seed=np.random.default_rng(seed), r=1.0,
                                size=TOP_SETS)
    fs = kde.finite_size_thresholds(D_DEFAULT, n=n)
    H = TOP_H_GRID.size
    weights = np.empty((H, TOP_SETS, TOP_K))
    part = np.empty((H, TOP_SETS))
    wmax = np.empty((H, TOP_SETS))
    n_mass = np.empty((H, TOP_SETS), dtype=np.int64)
    for j, h in enumerate(progress(TOP_H_GRID, "top weights")):
        stats = kde.weight_stats_from_sq_distances(D, float(h), D_DEFAULT)
        weights[j] = kde.top_weights(D, float(h), k=TOP_K)
        part[j], wmax[j], n_mass[j] = stats.participation, stats.max_weight, stats.n_mass
    kappa = np.asarray(fs.kappa(TOP_H_GRID), dtype=float)
    return {"h": TOP_H_GRID, "weights": weights, "participation": part, "max_weight": wmax,
            "n_mass": n_mass, "kappa": kappa,
            "pd": kde.pd_expected_max_weight(np.minimum(kappa, 1.0)),
            "h_G_finite": fs.h_G, "n": n}


# --------------------------------------------------------------------------------------------
# 7. nearest-neighbour gaps
# --------------------------------------------------------------------------------------------
@table("kde.nn_gaps")
def nn_gaps(*, seed: int = SEED + 7) -> dict:
    r"""Estimates of :math:`h_G(d, n)` from the gaps between the smallest squared distances.

    For each n of :data:`GAP_N`, :data:`GAP_POINTS` test points get their ``GAP_K + 1``
    smallest squared distances (:func:`kitlib.kde.sample_smallest_sq_distances`, stream
    ``numpy.random.default_rng(seed)``).

    Returns
    -------
    dict
        ``n`` (10,) = :data:`GAP_N`, ``log10_n`` (10,); ``est`` (10 k, 10 n): the estimate
        :func:`kitlib.kde.h_G_from_gaps` with k = 1…10 spacings per point; ``h_G_finite`` and
        ``h_G_asymptotic`` (10,) at each n; ``n_fine`` (60,) with ``h_G_finite_fine`` and
        ``h_G_asymptotic_fine``; ``counts`` (10 n, 10 k, 30) histogram densities of the
        normalised spacings :math:`j(D_{(j+1)} - D_{(j)})`, j ≤ k, on ``edges`` (10, 31); ``z``,
        ``pdf`` (10, 200): the exponential law :func:`kitlib.kde.spacing_pdf`.
    """
    rng = np.random.default_rng(seed)
    smallest = [kde.sample_smallest_sq_distances(D_DEFAULT, int(n), GAP_K + 1, seed=rng,
                                                 size=GAP_POINTS)
                for n in progress(GAP_N, "nearest-neighbour distances")]
    est = np.array([[kde.h_G_from_gaps(s, k=k) for s in smallest] for k in range(1, GAP_K + 1)])
    fs = np.array([kde.finite_size_thresholds(D_DEFAULT, n=int(n)).h_G for n in GAP_N])
    fs_fine = np.array([kde.finite_size_thresholds(D_DEFAULT, n=float(n)).h_G for n in GAP_N_FINE])
    counts = np.empty((GAP_N.size, GAP_K, 30))
    edges = np.empty((GAP_N.size, 31))
    zs = np.empty((GAP_N.size, 200))
    pdfs = np.empty((GAP_N.size, 200))
    for i, s in enumerate(smallest):
        spacings = kde.normalised_spacings(s)
        top = 6.0 * 2.0 * fs[i] ** 2
        edges[i] = np.linspace(0.0, top, 31)
        zs[i] = np.linspace(0.0, top, 200)
        for k in range(1, GAP_K + 1):
            counts[i, k - 1] = np.histogram(spacings[:, :k].ravel(), bins=edges[i], density=True)[0]
        pdfs[i] = kde.spacing_pdf(zs[i], fs[i])
    return {"n": GAP_N, "log10_n": GAP_LOG_N, "est": est, "h_G_finite": fs,
            "h_G_asymptotic": kde.thresholds(np.log(GAP_N) / D_DEFAULT).h_G,
            "n_fine": GAP_N_FINE, "h_G_finite_fine": fs_fine,
            "h_G_asymptotic_fine": kde.thresholds(np.log(GAP_N_FINE) / D_DEFAULT).h_G,
            "counts": counts, "edges": edges, "z": zs, "pdf": pdfs}
