"""Explorers for notebook 02: kernel density estimation regimes in high dimension.

Seven explorers, one factory each (registered in ``EXPLORERS``):

* ``kde.phase_diagram`` — the (α, h) plane with h_G, h_CLT, h_KL, the three regions and
  finite-size markers h_G(d, n), h_CLT(d, n);
* ``kde.log_ratio_histogram`` — histograms of ln(ρ̂/ρ_h) over data sets as the bandwidth moves;
* ``kde.participation`` — E Σw² and E max w against h/h_G with the 1 − κ and Poisson–Dirichlet
  curves, and the spread of Σw² over data sets;
* ``kde.quenched_annealed`` — (1/d) E ln ρ̂ against (1/d) ln ρ_h;
* ``kde.kl_bandwidth`` — KL(ρ‖ρ̂)/d against h, Monte Carlo and theory, and the exact
  self-consistency h*² = E[Σ w_i D_i]/d;
* ``kde.top_weights`` — the sorted top-20 weights at one test point;
* ``kde.nn_gap`` — measuring h_G(d, n) from nearest-neighbour gaps.

Heavy work (Monte Carlo over data sets, drawn with the exact O(n) distance sampler of
``kitlib.kde``) is done once per setting, cached at module level, with a progress bar; a slider
only indexes the precomputed grid. Setting: data y_i ~ N(0, I_d), one test point per data set,
d = 50, n = 2·10⁴ (α = ln n / d ≈ 0.198) unless a control says otherwise.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from tqdm.auto import tqdm

from kitlib import kde
from kitlib.explore import (Explorer, checkbox, dropdown, int_slider, log_slider, new_figure, slider,
                            steady_limits)
from kitlib.style import COLORS, OKABE_ITO

__all__ = [
    "phase_diagram_explorer",
    "log_ratio_histogram_explorer",
    "participation_explorer",
    "quenched_annealed_explorer",
    "kl_bandwidth_explorer",
    "top_weights_explorer",
    "nn_gap_explorer",
    "EXPLORERS",
    "D_DEFAULT",
    "N_DEFAULT",
    "H_GRID",
]

#: Dimension and sample size of the Monte Carlo explorers (α = ln n / d ≈ 0.198).
D_DEFAULT = 50
N_DEFAULT = 20_000
#: Bandwidth grid of the precomputed Monte Carlo (the h sliders step on it).
H_GRID = np.round(np.arange(0.30, 2.5001, 0.05), 2)
_H_STEP = 0.05

_SEED = 20240811
_N_SETS = 600        # data sets for histograms, weights, quenched log-density (|x|² = d)
_N_SETS_KL = 300     # data sets for KL (x ~ ρ)

_REGION = {"extreme-value": OKABE_ITO["vermilion"], "heavy-tailed": OKABE_ITO["orange"],
           "CLT": OKABE_ITO["sky_blue"]}
_MC = COLORS["model"]
_THEORY = COLORS["theory"]
_KL = OKABE_ITO["bluish_green"]
_TEXT = {"family": "monospace", "fontsize": 9.5, "va": "top"}


def _progress(desc: str):
    return functools.partial(tqdm, desc=desc, leave=False)


def _index(grid: np.ndarray, value: float) -> int:
    """Index of the grid point nearest to ``value`` (selection only)."""
    return int(np.argmin(np.abs(np.asarray(grid) - value)))


def _fmt_n(n: float) -> str:
    if n < 1e4:
        return f"{n:,.0f}"
    e = math.floor(math.log10(n))
    return f"{n / 10**e:.1f}e{e}"


# --------------------------------------------------------------------------------------------
# shared precomputation (module-level caches keyed by the settings)
# --------------------------------------------------------------------------------------------
def monte_carlo(n: int = N_DEFAULT, *, random_x: bool = False, d: int = D_DEFAULT,
                n_sets: int | None = None, seed: int = _SEED) -> kde.MonteCarloKDE:
    """Monte Carlo statistics on :data:`H_GRID`, computed once per setting (cached).

    ``random_x`` draws the test points x ~ N(0, I_d) (for KL); otherwise |x|² = d, the
    variance-reduced typical point."""
    if n_sets is None:
        n_sets = _N_SETS_KL if random_x else _N_SETS
    return _monte_carlo(int(n), bool(random_x), int(d), int(n_sets), int(seed))


@functools.lru_cache(maxsize=8)
def _monte_carlo(n: int, random_x: bool, d: int, n_sets: int, seed: int) -> kde.MonteCarloKDE:
    label = f"Monte Carlo: {n_sets} data sets of n={n:,} at d={d}" + (" (x ~ ρ)" if random_x else "")
    rng = np.random.default_rng([seed, n, d, int(random_x)])
    return kde.monte_carlo_kde(d, n, H_GRID, n_sets=n_sets, rng=rng, r=None if random_x else 1.0,
                               progress=_progress(label))


def finite_size(d: int = D_DEFAULT, n: int = N_DEFAULT) -> kde.FiniteSizeThresholds:
    """Finite-size thresholds at (d, n) (cached)."""
    return _finite_size(int(d), int(n))


@functools.lru_cache(maxsize=16)
def _finite_size(d: int, n: int) -> kde.FiniteSizeThresholds:
    return kde.finite_size_thresholds(d, n)


# --------------------------------------------------------------------------------------------
# 1. phase diagram
# --------------------------------------------------------------------------------------------
_PD_ALPHA = np.linspace(0.05, 1.0, 300)
_PD_MARK_ALPHA = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0])
_PD_DIMS = (20, 50, 100, 1000)
_PD_HMAX = 3.5


@functools.lru_cache(maxsize=1)
def _phase_markers() -> dict:
    out = {}
    for d in tqdm(_PD_DIMS, desc="finite-size thresholds", leave=False):
        fs = [kde.finite_size_thresholds(d, log_n=a * d) for a in _PD_MARK_ALPHA]
        out[d] = (np.array([f.h_G for f in fs]), np.array([f.h_CLT for f in fs]))
    return out


@functools.lru_cache(maxsize=4096)
def _finite_size_at(d: int, alpha: float) -> kde.FiniteSizeThresholds:
    """Finite-size thresholds at n = e^(αd) (a root find of a few ms; cached per slider position)."""
    return kde.finite_size_thresholds(d, log_n=alpha * d)


def phase_diagram_compute(params: dict) -> dict:
    """Current (α, h) point: asymptotic κ and regime, finite-size κ_d at the chosen d."""
    alpha, h, d = params["alpha"], params["h"], params["d"]
    th = kde.thresholds(alpha)
    kappa = kde.stable_index(h, alpha)
    fs = _finite_size_at(int(d), round(float(alpha), 6))
    kappa_d = float(fs.kappa(h))
    markers = _phase_markers()[d]
    return {"alpha": alpha, "h": h, "d": d, "th": th, "kappa": kappa, "regime": kde.regime_name(kappa),
            "fs": fs, "kappa_d": kappa_d, "regime_d": kde.regime_name(kappa_d),
            "mark_G": markers[0], "mark_CLT": markers[1]}


def phase_diagram_explorer() -> Explorer:
    """The (α, h) phase diagram: extreme-value, heavy-tailed and CLT regions, with markers."""
    th = kde.thresholds(_PD_ALPHA)
    _phase_markers()
    fig, ax = new_figure(figsize=(8.6, 4.6))
    a = _PD_ALPHA
    ax.fill_between(a, 0, np.minimum(th.h_G, _PD_HMAX), color=_REGION["extreme-value"], alpha=0.18,
                    lw=0, label="extreme-value (κ < 1)")
    ax.fill_between(a, np.minimum(th.h_G, _PD_HMAX), np.minimum(th.h_CLT, _PD_HMAX),
                    color=_REGION["heavy-tailed"], alpha=0.20, lw=0, label="heavy-tailed (1 < κ < 2)")
    ax.fill_between(a, np.minimum(th.h_CLT, _PD_HMAX), _PD_HMAX, color=_REGION["CLT"], alpha=0.20,
                    lw=0, label="CLT (κ > 2)")
    ax.plot(a, th.h_G, color=_THEORY, lw=2, label=r"$h_G(\alpha)$")
    ax.plot(a, th.h_CLT, color=_THEORY, lw=2, ls="--", label=r"$h_{CLT}=\sqrt{2}\,h_G$")
    ax.plot(a, th.h_KL, color=_KL, lw=2, ls=":", label=r"$h_{KL}$ (KL-optimal)")
    (mk_g,) = ax.plot(_PD_MARK_ALPHA, np.ones_like(_PD_MARK_ALPHA), "o", color=_MC, ms=6,
                      label=r"finite size $h_G(d,n)$")
    (mk_c,) = ax.plot(_PD_MARK_ALPHA, np.ones_like(_PD_MARK_ALPHA), "o", mfc="white", mec=_MC,
                      mew=1.8, ms=6, label=r"finite size $h_{CLT}(d,n)$")
    (point,) = ax.plot([0.2], [1.0], marker="*", ms=16, color=COLORS["highlight"], mec="black",
                       ls="none", zorder=5)
    readout = ax.text(0.985, 0.975, "", transform=ax.transAxes, ha="right",
                      bbox={"fc": "white", "ec": "0.7", "alpha": 0.9}, **_TEXT)
    ax.set_xlim(0.0, 1.03)
    ax.set_ylim(0.0, _PD_HMAX)
    ax.set_xlabel(r"$\alpha = \ln n \,/\, d$")
    ax.set_ylabel("bandwidth $h$")
    ax.legend(loc="center right", fontsize=8.5, ncol=1)
    ax.set_title("Regimes of the Gaussian KDE in high dimension")

    def draw(dd):
        mk_g.set_data(_PD_MARK_ALPHA, dd["mark_G"])
        mk_c.set_data(_PD_MARK_ALPHA, dd["mark_CLT"])
        mk_g.set_label(f"finite size $h_G(d,n)$, d = {dd['d']}")
        point.set_data([dd["alpha"]], [dd["h"]])
        th_ = dd["th"]
        n_txt = _fmt_n(math.exp(dd["alpha"] * dd["d"])) if dd["alpha"] * dd["d"] < 700 else \
            f"e^{dd['alpha'] * dd['d']:.0f}"
        readout.set_text(
            f"α = {dd['alpha']:.2f}: h_G = {th_.h_G:.3f}, h_CLT = {th_.h_CLT:.3f}, h_KL = {th_.h_KL:.3f}\n"
            f"h = {dd['h']:.2f}: κ = (h/h_G)² = {dd['kappa']:.2f} → {dd['regime']}\n"
            f"d = {dd['d']}, n = {n_txt}: h_G(d,n) = {dd['fs'].h_G:.3f},\n"
            f"   κ_d = {dd['kappa_d']:.2f} → {dd['regime_d']}")

    controls = {
        "alpha": slider("α = ln n / d", 0.2, 0.05, 1.0, 0.01),
        "h": slider("bandwidth h", 1.0, 0.1, 3.0, 0.01),
        "d": dropdown("finite-size d", [("d = 20", 20), ("d = 50", 50), ("d = 100", 100),
                                        ("d = 1000", 1000)], 50),
    }
    return Explorer(controls, phase_diagram_compute, draw, fig=fig,
                    title="Phase diagram: which regime is the KDE in?",
                    note="Lines are d → ∞; dots are the finite-size thresholds at the chosen d. "
                         "Raise d and watch the dots settle on the lines.")


# --------------------------------------------------------------------------------------------
# 2. histogram of ln(ρ̂/ρ_h) over data sets
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=2)
def _histograms(n: int = N_DEFAULT) -> dict:
    mc = monte_carlo(n)
    fs = finite_size(D_DEFAULT, n)
    bins, zs = [], []
    for j, h in enumerate(mc.h):
        vals = mc.log_ratio[j]
        lo, hi = float(vals.min()), float(vals.max())
        pad = 0.05 * (hi - lo) + 1e-3
        counts, edges = np.histogram(vals, bins=40, range=(lo - pad, hi + pad), density=True)
        xlo, xhi = min(lo - pad, -0.02 * (hi - lo) - 0.02), max(hi + pad, 0.02 * (hi - lo) + 0.02)
        z = np.linspace(xlo, xhi, 400)
        if fs.kappa(h) >= 1.0:  # the Gaussian prediction is drawn outside the extreme-value regime
            pdf = kde.clt_log_ratio_pdf(z, h, D_DEFAULT, n, x_sq_norm=D_DEFAULT)
        else:
            z, pdf = np.empty(0), np.empty(0)
        bins.append((counts, edges, (xlo, xhi)))
        zs.append((z, pdf))
    return {"mc": mc, "fs": fs, "hist": bins, "clt": zs,
            "median": np.median(mc.log_ratio, axis=1),
            "mean_ratio": np.exp(mc.log_ratio).mean(axis=1)}


def log_ratio_histogram_explorer() -> Explorer:
    """Histogram over data sets of ln(ρ̂/ρ_h) at one test point, with a bandwidth slider."""
    pre = _histograms()
    fs = pre["fs"]
    fig, ax = new_figure(figsize=(8.6, 4.4))
    hist = ax.stairs(np.zeros(40), np.linspace(-1, 1, 41), fill=True, color=_MC, alpha=0.45,
                     label=f"{pre['mc'].n_sets} data sets (Monte Carlo)")
    (clt,) = ax.plot([], [], color=_THEORY, lw=1.8, label="Gaussian CLT prediction (exact variance)")
    ax.axvline(0.0, color=COLORS["forward_kl"], lw=2, label=r"$\ln E[\hat\rho/\rho_h] = 0$")
    med = ax.axvline(0.0, color=COLORS["highlight"], lw=1.6, ls="--", label="median over data sets")
    readout = ax.text(0.015, 0.975, "", transform=ax.transAxes, ha="left",
                      bbox={"fc": "white", "ec": "0.7", "alpha": 0.9}, **_TEXT)
    ax.set_xlabel(r"$\ln\,(\hat\rho_h(x) / \rho_h(x))$")
    ax.set_ylabel("density over data sets")
    ax.legend(loc="upper right", fontsize=8.5)
    ax.set_title(f"Fluctuations of the KDE at one point (d = {D_DEFAULT}, n = {_fmt_n(pre['mc'].n)})")

    def compute(params):
        j = _index(H_GRID, params["h"])
        h = float(H_GRID[j])
        kappa = float(fs.kappa(h))
        counts, edges, xlim = pre["hist"][j]
        z, pdf = pre["clt"][j]
        return {"h": h, "kappa": kappa, "regime": kde.regime_name(kappa), "counts": counts,
                "edges": edges, "xlim": xlim, "z": z, "pdf": pdf, "median": float(pre["median"][j]),
                "mean_ratio": float(pre["mean_ratio"][j])}

    def draw(dd):
        hist.set_data(dd["counts"], dd["edges"])
        clt.set_data(dd["z"], dd["pdf"])
        med.set_xdata([dd["median"], dd["median"]])
        steady_limits(ax, *dd["xlim"], which="x")
        top = max(float(dd["counts"].max()), float(dd["pdf"].max(initial=0.0)))
        steady_limits(ax, 0.0, 1.35 * top)
        readout.set_text(
            f"h = {dd['h']:.2f}   κ_d = (h/h_G(d,n))² = {dd['kappa']:.2f}\n"
            f"regime: {dd['regime']}\n"
            f"median of $\\ln(\\hat\\rho/\\rho_h)$ = {dd['median']:.3g}\n"
            f"mean of $\\hat\\rho/\\rho_h$ over data sets = {dd['mean_ratio']:.3g} (exact: 1)")

    controls = {"h": slider("bandwidth h", 2.0, float(H_GRID[0]), float(H_GRID[-1]), _H_STEP)}
    return Explorer(controls, compute, draw, fig=fig,
                    title="How ρ̂ fluctuates across data sets",
                    note=f"h_G(d,n) = {fs.h_G:.3f}, h_CLT(d,n) = {fs.h_CLT:.3f}. Slide h down: a narrow "
                         "Gaussian, then a right-skewed law, then a collapse far below the mean.")


# --------------------------------------------------------------------------------------------
# 3. participation Σw² and largest weight against h/h_G
# --------------------------------------------------------------------------------------------
_X_THEORY = np.linspace(0.0, 2.45, 400)


@functools.lru_cache(maxsize=1)
def _participation() -> dict:
    mc = monte_carlo()
    fs = finite_size()
    th = kde.thresholds(mc.alpha)
    edges = np.linspace(0.0, 1.0, 26)
    hists = np.stack([np.histogram(p, bins=edges, density=True)[0] for p in mc.participation])
    return {"mc": mc, "fs": fs, "th": th, "edges": edges, "hists": hists,
            "part": mc.participation.mean(axis=1), "wmax": mc.max_weight.mean(axis=1),
            "part_sd": mc.participation.std(axis=1),
            "theory_part": kde.expected_participation(_X_THEORY**2),
            "theory_max": kde.pd_expected_max_weight(np.minimum(_X_THEORY**2, 1.0))}


def participation_explorer() -> Explorer:
    """E Σw² and E max w against h/h_G, with 1 − κ and the Poisson–Dirichlet largest weight."""
    pre = _participation()
    fig, (ax, ax_h) = new_figure(1, 2, figsize=(9.6, 4.2), width_ratios=[1.6, 1.0])
    ax.plot(_X_THEORY, pre["theory_part"], color=_THEORY, lw=2, label=r"theory $1-\kappa$")
    ax.plot(_X_THEORY, pre["theory_max"], color=_THEORY, lw=2, ls="--",
            label=r"theory $E\max w$, PD$(\kappa,0)$")
    (pt,) = ax.plot([], [], "o", color=_MC, ms=5, label=r"MC $E\sum_i w_i^2$")
    (mx,) = ax.plot([], [], "s", color=COLORS["forward_kl"], ms=4.5, label=r"MC $E\max_i w_i$")
    (cur,) = ax.plot([1.0, 1.0], [0.0, 1.05], color=COLORS["highlight"], lw=1.4)
    ax.axvline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlim(0.0, 2.45)
    ax.set_ylim(0.0, 1.05)
    ax.set_ylabel("weight summary")
    ax.legend(loc="upper right", fontsize=8.5)
    hist = ax_h.stairs(np.zeros(25), pre["edges"], fill=True, color=_MC, alpha=0.5)
    ax_h.set_xlim(0.0, 1.0)
    ax_h.set_xlabel(r"$\sum_i w_i^2$ in one data set")
    ax_h.set_ylabel("density over data sets")
    readout = ax_h.text(0.97, 0.97, "", transform=ax_h.transAxes, ha="right", **_TEXT)
    scales = {"finite": pre["fs"].h_G, "asymptotic": pre["th"].h_G}

    def compute(params):
        j = _index(H_GRID, params["h"])
        h_G = scales[params["scale"]]
        x = pre["mc"].h / h_G
        return {"x": x, "j": j, "h": float(H_GRID[j]), "h_G": h_G, "scale": params["scale"],
                "part": pre["part"], "wmax": pre["wmax"], "hist": pre["hists"][j],
                "mean": float(pre["part"][j]), "sd": float(pre["part_sd"][j])}

    def draw(dd):
        pt.set_data(dd["x"], dd["part"])
        mx.set_data(dd["x"], dd["wmax"])
        xc = dd["x"][dd["j"]]
        cur.set_data([xc, xc], [0.0, 1.05])
        hist.set_data(dd["hist"], pre["edges"])
        steady_limits(ax_h, 0.0, 1.15 * max(float(dd["hist"].max()), 1.0))
        label = r"$h_G(d,n)$" if dd["scale"] == "finite" else r"$h_G(\alpha)$ (d → ∞)"
        ax.set_xlabel(f"h / {label}")
        readout.set_text(f"h = {dd['h']:.2f}\nh/h_G = {xc:.2f}\n"
                         f"mean Σw² = {dd['mean']:.3f}\nsd over sets = {dd['sd']:.3f}")

    controls = {
        "h": slider("bandwidth h", 0.8, float(H_GRID[0]), float(H_GRID[-1]), _H_STEP),
        "scale": dropdown("scale h by", [("finite-size h_G(d, n)", "finite"),
                                         ("asymptotic h_G(α)", "asymptotic")], "finite"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="How many points carry the estimate?",
                    note=f"d = {D_DEFAULT}, n = {_fmt_n(N_DEFAULT)}: h_G(d,n) = {pre['fs'].h_G:.3f}, "
                         f"h_G(α) = {pre['th'].h_G:.3f}. Switch the scale: which h_G makes the dots "
                         "follow the theory?")


# --------------------------------------------------------------------------------------------
# 4. quenched versus annealed log-density
# --------------------------------------------------------------------------------------------
_QA_SIZES = (1_000, N_DEFAULT)
_H_FINE = np.linspace(float(H_GRID[0]), float(H_GRID[-1]), 300)


@functools.lru_cache(maxsize=2)
def _quenched(n: int) -> dict:
    mc = monte_carlo(n)
    alpha = mc.alpha
    annealed = kde.annealed_log_density(_H_FINE)
    quenched = kde.typical_log_density(_H_FINE, alpha)
    mc_q = mc.log_density.mean(axis=1) / mc.d
    mc_ann = kde.log_expected_kde(mc.d, mc.h, mc.d) / mc.d
    return {"mc": mc, "th": kde.thresholds(alpha), "fs": finite_size(D_DEFAULT, n),
            "annealed": annealed, "quenched": quenched, "gap_theory": annealed - quenched,
            "mc_q": mc_q, "mc_gap": mc_ann - mc_q}


def quenched_annealed_explorer() -> Explorer:
    """Quenched (1/d) E ln ρ̂ against annealed (1/d) ln E ρ̂ = (1/d) ln ρ_h."""
    for n in _QA_SIZES:
        _quenched(n)
    fig, (ax, ax_g) = new_figure(1, 2, figsize=(9.6, 4.2))
    (ann,) = ax.plot(_H_FINE, np.zeros_like(_H_FINE), color=COLORS["forward_kl"], lw=2.2,
                     label=r"annealed $\frac{1}{d}\ln\rho_h$")
    (que,) = ax.plot(_H_FINE, np.zeros_like(_H_FINE), color=_THEORY, lw=1.8, ls="--",
                     label=r"quenched theory ($d\to\infty$)")
    (mcq,) = ax.plot([], [], "o", color=_MC, ms=4.5, label=r"MC $\frac{1}{d} E\ln\hat\rho_h$")
    (cur,) = ax.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=14)
    vg = ax.axvline(1.0, color="0.4", lw=0.9, ls=":")
    ax.set_xlabel("bandwidth $h$")
    ax.set_ylabel("log-density per dimension")
    ax.legend(loc="lower right", fontsize=8.5)
    (gth,) = ax_g.plot(_H_FINE, np.zeros_like(_H_FINE), color=_THEORY, lw=1.8, ls="--",
                       label="theory")
    (gmc,) = ax_g.plot([], [], "o", color=_MC, ms=4.5, label="Monte Carlo")
    vg2 = ax_g.axvline(1.0, color="0.4", lw=0.9, ls=":", label=r"$h_G(\alpha)$")
    ax_g.set_xlabel("bandwidth $h$")
    ax_g.set_ylabel("(annealed − quenched) / d")
    ax_g.legend(loc="upper right", fontsize=8.5)
    readout = ax_g.text(0.97, 0.62, "", transform=ax_g.transAxes, ha="right", **_TEXT)
    ax.set_xlim(_H_FINE[0], _H_FINE[-1])
    ax_g.set_xlim(_H_FINE[0], _H_FINE[-1])

    def compute(params):
        pre = _quenched(params["n"])
        j = _index(H_GRID, params["h"])
        return {"pre": pre, "j": j, "h": float(H_GRID[j])}

    def draw(dd):
        pre, j = dd["pre"], dd["j"]
        h = pre["mc"].h
        ann.set_ydata(pre["annealed"])
        que.set_ydata(pre["quenched"])
        mcq.set_data(h, pre["mc_q"])
        cur.set_data([h[j]], [pre["mc_q"][j]])
        gth.set_ydata(pre["gap_theory"])
        gmc.set_data(h, pre["mc_gap"])
        hg = pre["th"].h_G
        vg.set_xdata([hg, hg])
        vg2.set_xdata([hg, hg])
        lo = min(float(pre["quenched"].min()), float(pre["mc_q"].min()))
        hi = float(pre["annealed"].max())
        ax.set_ylim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
        top = max(float(pre["gap_theory"].max()), float(pre["mc_gap"].max()))
        ax_g.set_ylim(min(-0.02, float(pre["mc_gap"].min()) - 0.02), 1.08 * top + 0.02)
        ax.set_title(f"d = {pre['mc'].d}, n = {_fmt_n(pre['mc'].n)} (α = {pre['mc'].alpha:.3f})",
                     fontsize=11)
        readout.set_text(f"h = {h[j]:.2f}\nMC gap = {pre['mc_gap'][j]:.3f}\n"
                         f"theory gap = {pre['gap_theory'][_index(_H_FINE, h[j])]:.3f}\n"
                         f"h_G(α) = {hg:.3f}\nh_G(d,n) = {pre['fs'].h_G:.3f}")

    controls = {
        "h": slider("bandwidth h", 0.8, float(H_GRID[0]), float(H_GRID[-1]), _H_STEP),
        "n": dropdown("data points n", [("n = 1,000", 1_000), ("n = 20,000", N_DEFAULT)], N_DEFAULT),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Quenched versus annealed: the typical ρ̂ versus its mean",
                    note="Above h_G the typical log-density equals the log of the mean; below it the "
                         "typical data set falls far short of its mean.")


# --------------------------------------------------------------------------------------------
# 5. KL(ρ‖ρ̂)/d against h
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _kl() -> dict:
    mc = monte_carlo(random_x=True)
    alpha = mc.alpha
    kl_mc = mc.kl_per_dim()
    j_min = int(np.argmin(kl_mc))
    return {"mc": mc, "th": kde.thresholds(alpha), "fs": finite_size(),
            "theory": kde.kl_per_dim(_H_FINE, alpha),
            "low": kde.kl_per_dim(_H_FINE, alpha, branch="low"),
            "high": kde.kl_per_dim(_H_FINE, alpha, branch="high"),
            "kl_mc": kl_mc, "j_min": j_min, "h_star": mc.optimal_bandwidth(),
            "wd": mc.weighted_sq_distance.mean(axis=1) / mc.d}


def kl_bandwidth_explorer() -> Explorer:
    """KL(ρ‖ρ̂)/d against h: Monte Carlo, theory on both branches, the minimum below h_G."""
    pre = _kl()
    th, fs, mc = pre["th"], pre["fs"], pre["mc"]
    fig, (ax, ax_s) = new_figure(1, 2, figsize=(9.8, 4.3), width_ratios=[1.5, 1.0])
    ax.plot(_H_FINE, pre["theory"], color=_THEORY, lw=2, label=r"theory ($d\to\infty$)")
    (low,) = ax.plot(_H_FINE, pre["low"], color=_REGION["extreme-value"], lw=1.3, ls="--",
                     label="extreme-value branch, continued")
    (high,) = ax.plot(_H_FINE, pre["high"], color=_REGION["CLT"], lw=1.3, ls="--",
                      label="annealed branch, continued")
    ax.plot(mc.h, pre["kl_mc"], "o", color=_MC, ms=4.5, label=f"MC ({mc.n_sets} sets, x ~ ρ)")
    ax.plot([mc.h[pre["j_min"]]], [pre["kl_mc"][pre["j_min"]]], "D", color=_KL, mec="black", ms=8,
            label="MC minimum")
    (cur,) = ax.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=14)
    for x, ls, lab, ha, y in ((th.h_KL, ":", r"$h_{KL}$ ", "right", 1.01),
                              (th.h_G, "-", r"$h_G(\alpha)$", "center", 1.07),
                              (fs.h_G, "--", r" $h_G(d,n)$", "left", 1.01)):
        ax.axvline(x, color="0.45", lw=1.0, ls=ls)
        ax.text(x, y, lab, transform=ax.get_xaxis_transform(), ha=ha, va="bottom", fontsize=9)
    ax.set_yscale("log")
    ax.set_xlim(_H_FINE[0], _H_FINE[-1])
    lo = 0.7 * min(float(pre["kl_mc"].min()), float(pre["theory"].min()))
    ax.set_ylim(lo, 1.3 * max(float(pre["kl_mc"].max()), float(pre["theory"].max())))
    ax.set_xlabel("bandwidth $h$")
    ax.set_ylabel(r"KL$(\rho\,\|\,\hat\rho_h)\,/\,d$")
    ax.legend(loc="upper right", fontsize=8)
    ax_s.plot(mc.h, pre["wd"], "o", color=_MC, ms=4, label=r"MC $E[\sum_i w_i D_i]/d$")
    ax_s.plot(_H_FINE, _H_FINE**2, color=_THEORY, lw=1.6, label=r"$h^2$")
    ax_s.axvline(pre["h_star"], color=_KL, lw=1.6, label=rf"crossing $h^*$ = {pre['h_star']:.3f}")
    (cur_s,) = ax_s.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=14)
    ax_s.set_xlabel("bandwidth $h$")
    ax_s.set_title("exact optimum: $h^{*2} = E[\\sum_i w_i D_i]/d$", fontsize=10.5)
    ax_s.legend(loc="upper left", fontsize=8)
    readout = ax_s.text(0.97, 0.04, "", transform=ax_s.transAxes, ha="right", va="bottom",
                        family="monospace", fontsize=9)

    def compute(params):
        j = _index(H_GRID, params["h"])
        h = float(H_GRID[j])
        return {"j": j, "h": h, "kl_mc": float(pre["kl_mc"][j]),
                "kl_theory": float(kde.kl_per_dim(h, mc.alpha)), "wd": float(pre["wd"][j]),
                "continuations": params["continuations"]}

    def draw(dd):
        cur.set_data([dd["h"]], [dd["kl_mc"]])
        cur_s.set_data([dd["h"]], [dd["wd"]])
        low.set_visible(dd["continuations"])
        high.set_visible(dd["continuations"])
        readout.set_text(f"h = {dd['h']:.2f}\nKL/d MC = {dd['kl_mc']:.4f}\n"
                         f"KL/d theory = {dd['kl_theory']:.4f}")

    controls = {
        "h": slider("bandwidth h", 1.5, float(H_GRID[0]), float(H_GRID[-1]), _H_STEP),
        "continuations": checkbox("show each branch continued past h_G", False),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Which bandwidth is best for KL(ρ‖ρ̂)?",
                    note=f"d = {D_DEFAULT}, n = {_fmt_n(N_DEFAULT)}: the minimum lies below h_G, "
                         "inside the extreme-value regime.")


# --------------------------------------------------------------------------------------------
# 6. sorted top weights at one test point
# --------------------------------------------------------------------------------------------
_TOP_K = 20
_TOP_SETS = 8


@functools.lru_cache(maxsize=1)
def _top_data() -> np.ndarray:
    rng = np.random.default_rng(_SEED + 6)
    return kde.sample_sq_distances(D_DEFAULT, N_DEFAULT, rng, r=1.0, size=_TOP_SETS)


def top_weights_explorer() -> Explorer:
    """Sorted top-20 normalised weights for one test point, with participation and 90 % count."""
    D = _top_data()
    fs = finite_size()
    fig, ax = new_figure(figsize=(8.6, 4.4))
    ranks = np.arange(1, _TOP_K + 1)
    (line,) = ax.plot(ranks, np.ones(_TOP_K), "o-", color=_MC, ms=6, lw=1.4,
                      label="sorted weights $w_{(k)}$")
    ax.axhline(1.0 / N_DEFAULT, color="0.45", lw=1.2, ls="--",
               label=f"uniform weight 1/n = {1 / N_DEFAULT:.0e}")
    (pd,) = ax.plot([], [], color=_THEORY, lw=1.6, ls=":", label=r"PD$(\kappa_d,0)$ mean of $w_{(1)}$")
    ax.set_yscale("log")
    ax.set_ylim(1e-8, 2.0)
    ax.set_xlim(0.5, _TOP_K + 0.5)
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_xlabel("rank k (largest first)")
    ax.set_ylabel("normalised kernel weight")
    ax.legend(loc="lower left", fontsize=8.5)
    readout = ax.text(0.985, 0.975, "", transform=ax.transAxes, ha="right",
                      bbox={"fc": "white", "ec": "0.7", "alpha": 0.9}, **_TEXT)

    def compute(params):
        h, s = params["h"], params["data_set"]
        stats = kde.weight_stats_from_sq_distances(D[s], h, D_DEFAULT)
        kappa = float(fs.kappa(h))
        return {"h": h, "w": kde.top_weights(D[s], h, k=_TOP_K), "kappa": kappa,
                "regime": kde.regime_name(kappa), "part": float(stats.participation),
                "wmax": float(stats.max_weight), "n90": int(stats.n_mass),
                "pd": float(kde.pd_expected_max_weight(min(kappa, 1.0)))}

    def draw(dd):
        line.set_data(ranks, np.maximum(dd["w"], 1e-300))
        if dd["pd"] > 0:
            pd.set_data([0.5, 3.0], [dd["pd"], dd["pd"]])
        else:
            pd.set_data([], [])
        readout.set_text(f"h = {dd['h']:.2f}   κ_d = {dd['kappa']:.2f} ({dd['regime']})\n"
                         f"Σw² = {dd['part']:.3f}   max w = {dd['wmax']:.3f}\n"
                         f"points carrying 90 % of the mass: {dd['n90']:,}")

    controls = {
        "h": slider("bandwidth h", 0.8, 0.3, 2.5, 0.01),
        "data_set": int_slider("data set", 0, 0, _TOP_SETS - 1),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Who carries the estimate at one point?",
                    note=f"d = {D_DEFAULT}, n = {_fmt_n(N_DEFAULT)}, h_G(d,n) = {fs.h_G:.3f}. Below h_G a "
                         "handful of points carry almost all of the weight, and which ones changes "
                         "from data set to data set.")


# --------------------------------------------------------------------------------------------
# 7. nearest-neighbour gaps: measure h_G from the data
# --------------------------------------------------------------------------------------------
_GAP_LOG_N = np.round(np.arange(2.0, 5.0001, 1.0 / 3.0), 4)
_GAP_N = np.round(10.0**_GAP_LOG_N).astype(int)
_GAP_K = 10
_GAP_POINTS = 200
_GAP_N_FINE = np.geomspace(100, 1e5, 60)


@functools.lru_cache(maxsize=1)
def _gaps() -> dict:
    rng = np.random.default_rng(_SEED + 7)
    smallest = [kde.sample_smallest_sq_distances(D_DEFAULT, int(n), _GAP_K + 1, rng, size=_GAP_POINTS)
                for n in tqdm(_GAP_N, desc="nearest-neighbour distances", leave=False)]
    est = np.array([[kde.h_G_from_gaps(s, k=k) for s in smallest] for k in range(1, _GAP_K + 1)])
    fs = np.array([kde.finite_size_thresholds(D_DEFAULT, int(n)).h_G for n in _GAP_N])
    fs_fine = np.array([kde.finite_size_thresholds(D_DEFAULT, float(n)).h_G for n in _GAP_N_FINE])
    asym_fine = kde.thresholds(np.log(_GAP_N_FINE) / D_DEFAULT).h_G
    hists = {}
    for i, s in enumerate(smallest):
        spacings = kde.normalised_spacings(s)
        top = 6.0 * 2.0 * fs[i] ** 2
        edges = np.linspace(0.0, top, 31)
        z = np.linspace(0.0, top, 200)
        for k in range(1, _GAP_K + 1):
            counts = np.histogram(spacings[:, :k].ravel(), bins=edges, density=True)[0]
            hists[i, k] = (counts, edges)
        hists[i, "pdf"] = (z, kde.spacing_pdf(z, fs[i]))
    return {"est": est, "fs": fs, "fs_fine": fs_fine, "asym_fine": asym_fine, "hists": hists}


def nn_gap_explorer() -> Explorer:
    """Estimate h_G(d, n) from the gaps between the smallest distances |x − y_i|²."""
    pre = _gaps()
    fig, (ax, ax_r) = new_figure(1, 2, figsize=(9.8, 4.2))
    hist = ax.stairs(np.zeros(30), np.linspace(0, 1, 31), fill=True, color=_MC, alpha=0.5,
                     label="normalised spacings")
    (pdf,) = ax.plot([], [], color=_THEORY, lw=1.8, label=r"exponential, mean $2h_G(d,n)^2$")
    ax.set_xlabel(r"$j\,(D_{(j+1)} - D_{(j)})$")
    ax.set_ylabel("density")
    ax.legend(loc="upper right", fontsize=8.5)
    readout = ax.text(0.97, 0.72, "", transform=ax.transAxes, ha="right", **_TEXT)
    ax_r.plot(_GAP_N_FINE, pre["fs_fine"], color=_THEORY, lw=2, label=r"finite size $h_G(d,n)$")
    ax_r.plot(_GAP_N_FINE, pre["asym_fine"], color=_THEORY, lw=1.5, ls="--",
              label=r"asymptotic $h_G(\ln n/d)$")
    (est,) = ax_r.plot(_GAP_N, pre["est"][0], "o", color=_MC, ms=5, label=r"estimate $\hat h_G$ from gaps")
    (cur,) = ax_r.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=15)
    ax_r.set_xscale("log")
    ax_r.set_xlabel("data points n")
    ax_r.set_ylabel("$h_G$")
    lo = min(float(pre["est"].min()), float(pre["asym_fine"].min()))
    hi = max(float(pre["est"].max()), float(pre["fs_fine"].max()))
    ax_r.set_ylim(lo - 0.1 * (hi - lo), hi + 0.15 * (hi - lo))
    ax_r.legend(loc="upper right", fontsize=8.5)

    def compute(params):
        i = _index(_GAP_LOG_N, math.log10(params["n"]))
        k = params["k"]
        counts, edges = pre["hists"][i, k]
        z, p = pre["hists"][i, "pdf"]
        return {"i": i, "k": k, "n": int(_GAP_N[i]), "counts": counts, "edges": edges, "z": z, "pdf": p,
                "est": pre["est"][k - 1], "h_hat": float(pre["est"][k - 1, i]), "h_fs": float(pre["fs"][i]),
                "h_asym": float(kde.thresholds(math.log(_GAP_N[i]) / D_DEFAULT).h_G)}

    def draw(dd):
        hist.set_data(dd["counts"], dd["edges"])
        pdf.set_data(dd["z"], dd["pdf"])
        steady_limits(ax, 0.0, float(dd["edges"][-1]), which="x")
        steady_limits(ax, 0.0, 1.2 * max(float(dd["counts"].max()), float(dd["pdf"].max())))
        est.set_ydata(dd["est"])
        cur.set_data([dd["n"]], [dd["h_hat"]])
        ax.set_title(f"d = {D_DEFAULT}, n = {dd['n']:,}: {_GAP_POINTS} test points × {dd['k']} spacing(s)",
                     fontsize=10.5)
        readout.set_text(f"estimate ĥ_G = {dd['h_hat']:.3f}\nh_G(d,n)    = {dd['h_fs']:.3f}\n"
                         f"h_G(α)      = {dd['h_asym']:.3f}")

    controls = {
        "n": log_slider("data points n", float(_GAP_N[-3]), 2.0, 5.0, step=1.0 / 3.0, readout_format=",.0f"),
        "k": int_slider("spacings per point k", 1, 1, _GAP_K),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Measure h_G from the data: gaps between nearest neighbours",
                    note="Near the minimum, the gaps (times j) are exponential with mean 2·h_G(d,n)²: "
                         "ĥ_G = √(mean / 2). More spacings per point, smaller error.")


EXPLORERS = {
    "kde.phase_diagram": phase_diagram_explorer,
    "kde.log_ratio_histogram": log_ratio_histogram_explorer,
    "kde.participation": participation_explorer,
    "kde.quenched_annealed": quenched_annealed_explorer,
    "kde.kl_bandwidth": kl_bandwidth_explorer,
    "kde.top_weights": top_weights_explorer,
    "kde.nn_gap": nn_gap_explorer,
}
