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

Every number behind them is precomputed in :mod:`kitlib.tables.kde` (Monte Carlo over data sets
drawn with the exact O(n) distance sampler of ``kitlib.kde``, finite-size thresholds, histograms),
on the grids the controls step through; shipped on disk, so a control only indexes an array.
Setting: data y_i ~ N(0, I_d), one test point per data set, d = 50, n = 2·10⁴ (α = ln n / d ≈
0.198) unless a control says otherwise.
"""

from __future__ import annotations

import math

import numpy as np

from kitlib import kde
from kitlib.controls import checkbox, dropdown, int_slider, log_slider, slider
from kitlib.explore import Explorer
from kitlib.figures import new_figure, steady_limits
from kitlib.style import COLORS, OKABE_ITO
from kitlib.tables import kde as tables
from kitlib.tables.kde import D_DEFAULT, H_GRID, N_DEFAULT
from kitlib.views._common import nearest_index, readout_box

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

_REGION = {"extreme-value": OKABE_ITO["vermilion"], "heavy-tailed": OKABE_ITO["orange"],
           "CLT": OKABE_ITO["sky_blue"]}
_MC = COLORS["model"]
_THEORY = COLORS["theory"]
_KL = OKABE_ITO["bluish_green"]
#: the readouts of this notebook are a little larger than the kit's default
_FONTSIZE = 9.5


def _fmt_n(n: float) -> str:
    if n < 1e4:
        return f"{n:,.0f}"
    e = math.floor(math.log10(n))
    return f"{n / 10**e:.1f}e{e}"


# --------------------------------------------------------------------------------------------
# 1. phase diagram
# --------------------------------------------------------------------------------------------
_PD_HMAX = 3.5


def phase_diagram_compute(params: dict) -> dict:
    """Current (α, h) point: asymptotic κ and regime, finite-size κ_d at the chosen d (all read
    from the ``kde.phase_diagram`` table at the α slider's position)."""
    pre = tables.phase_diagram()
    alpha, h, d = params["alpha"], params["h"], params["d"]
    j = nearest_index(pre["slider_alpha"], alpha)
    i = int(np.flatnonzero(pre["dims"] == d)[0])
    h_G = float(pre["slider_h_G"][j])
    kappa = float(kde.stable_index(h, alpha))
    kappa_d = 2.0 * h * h * float(pre["slider_fs_c"][i, j])  # κ_d(h) = 2h²c
    return {"alpha": alpha, "h": h, "d": d, "h_G": h_G, "h_CLT": float(pre["slider_h_CLT"][j]),
            "h_KL": float(pre["slider_h_KL"][j]), "kappa": kappa, "regime": kde.regime_name(kappa),
            "fs_h_G": float(pre["slider_fs_h_G"][i, j]), "kappa_d": kappa_d,
            "regime_d": kde.regime_name(kappa_d),
            "mark_G": pre["mark_h_G"][i], "mark_CLT": pre["mark_h_CLT"][i]}


def phase_diagram_explorer() -> Explorer:
    """The (α, h) phase diagram: extreme-value, heavy-tailed and CLT regions, with markers."""
    pre = tables.phase_diagram()
    fig, ax = new_figure(figsize=(8.6, 4.6))
    a = pre["alpha"]
    h_G, h_CLT = np.minimum(pre["h_G"], _PD_HMAX), np.minimum(pre["h_CLT"], _PD_HMAX)
    ax.fill_between(a, 0, h_G, color=_REGION["extreme-value"], alpha=0.18,
                    lw=0, label="extreme-value (κ < 1)")
    ax.fill_between(a, h_G, h_CLT, color=_REGION["heavy-tailed"], alpha=0.20, lw=0,
                    label="heavy-tailed (1 < κ < 2)")
    ax.fill_between(a, h_CLT, _PD_HMAX, color=_REGION["CLT"], alpha=0.20,
                    lw=0, label="CLT (κ > 2)")
    ax.plot(a, pre["h_G"], color=_THEORY, lw=2, label=r"$h_G(\alpha)$")
    ax.plot(a, pre["h_CLT"], color=_THEORY, lw=2, ls="--", label=r"$h_{CLT}=\sqrt{2}\,h_G$")
    ax.plot(a, pre["h_KL"], color=_KL, lw=2, ls=":", label=r"$h_{KL}$ (KL-optimal)")
    marks = pre["mark_alpha"]
    (mk_g,) = ax.plot(marks, np.ones_like(marks), "o", color=_MC, ms=6,
                      label=r"finite size $h_G(d,n)$")
    (mk_c,) = ax.plot(marks, np.ones_like(marks), "o", mfc="white", mec=_MC,
                      mew=1.8, ms=6, label=r"finite size $h_{CLT}(d,n)$")
    (point,) = ax.plot([0.2], [1.0], marker="*", ms=16, color=COLORS["highlight"], mec="black",
                       ls="none", zorder=5)
    readout = readout_box(ax, 0.985, 0.975, ha="right", fontsize=_FONTSIZE)
    ax.set_xlim(0.0, 1.03)
    ax.set_ylim(0.0, _PD_HMAX)
    ax.set_xlabel(r"$\alpha = \ln n \,/\, d$")
    ax.set_ylabel("bandwidth $h$")
    ax.legend(loc="center right", fontsize=8.5, ncol=1)
    ax.set_title("Regimes of the Gaussian KDE in high dimension")

    def draw(dd):
        mk_g.set_data(marks, dd["mark_G"])
        mk_c.set_data(marks, dd["mark_CLT"])
        mk_g.set_label(f"finite size $h_G(d,n)$, d = {dd['d']}")
        point.set_data([dd["alpha"]], [dd["h"]])
        n_txt = _fmt_n(math.exp(dd["alpha"] * dd["d"])) if dd["alpha"] * dd["d"] < 700 else \
            f"e^{dd['alpha'] * dd['d']:.0f}"
        readout.set_text(
            f"α = {dd['alpha']:.2f}: h_G = {dd['h_G']:.3f}, h_CLT = {dd['h_CLT']:.3f}, "
            f"h_KL = {dd['h_KL']:.3f}\n"
            f"h = {dd['h']:.2f}: κ = (h/h_G)² = {dd['kappa']:.2f} → {dd['regime']}\n"
            f"d = {dd['d']}, n = {n_txt}: h_G(d,n) = {dd['fs_h_G']:.3f},\n"
            f"   κ_d = {dd['kappa_d']:.2f} → {dd['regime_d']}")

    controls = {
        "alpha": slider("α = ln n / d", 0.2, 0.05, 1.0, 0.01),
        "h": slider("bandwidth h", 1.0, 0.1, 3.0, 0.01),
        "d": dropdown("finite-size d", [(f"d = {d}", int(d)) for d in pre["dims"]], 50),
    }
    return Explorer(controls, phase_diagram_compute, draw, fig=fig,
                    title="Phase diagram: which regime is the KDE in?",
                    note="Lines are d → ∞; dots are the finite-size thresholds at the chosen d. "
                         "Raise d and watch the dots settle on the lines.")


# --------------------------------------------------------------------------------------------
# 2. histogram of ln(ρ̂/ρ_h) over data sets
# --------------------------------------------------------------------------------------------
def log_ratio_histogram_explorer() -> Explorer:
    """Histogram over data sets of ln(ρ̂/ρ_h) at one test point, with a bandwidth slider."""
    pre = tables.log_ratio_histograms()
    fig, ax = new_figure(figsize=(8.6, 4.4))
    hist = ax.stairs(np.zeros(tables.HIST_BINS), np.linspace(-1, 1, tables.HIST_BINS + 1),
                     fill=True, color=_MC, alpha=0.45,
                     label=f"{pre['n_sets']} data sets (Monte Carlo)")
    (clt,) = ax.plot([], [], color=_THEORY, lw=1.8, label="Gaussian CLT prediction (exact variance)")
    ax.axvline(0.0, color=COLORS["forward_kl"], lw=2, label=r"$\ln E[\hat\rho/\rho_h] = 0$")
    med = ax.axvline(0.0, color=COLORS["highlight"], lw=1.6, ls="--", label="median over data sets")
    readout = readout_box(ax, 0.015, 0.975, ha="left", fontsize=_FONTSIZE)
    ax.set_xlabel(r"$\ln\,(\hat\rho_h(x) / \rho_h(x))$")
    ax.set_ylabel("density over data sets")
    ax.legend(loc="upper right", fontsize=8.5)
    ax.set_title(f"Fluctuations of the KDE at one point (d = {D_DEFAULT}, n = {_fmt_n(pre['n'])})")
    empty = np.empty(0)

    def compute(params):
        j = nearest_index(pre["h"], params["h"])
        kappa = float(pre["kappa"][j])
        has = bool(pre["has_clt"][j])
        return {"h": float(pre["h"][j]), "kappa": kappa, "regime": kde.regime_name(kappa),
                "counts": pre["counts"][j], "edges": pre["edges"][j], "xlim": tuple(pre["xlim"][j]),
                "z": pre["clt_z"][j] if has else empty, "pdf": pre["clt_pdf"][j] if has else empty,
                "median": float(pre["median"][j]), "mean_ratio": float(pre["mean_ratio"][j])}

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

    controls = {"h": slider("bandwidth h", 2.0, float(H_GRID[0]), float(H_GRID[-1]), tables.H_STEP)}
    return Explorer(controls, compute, draw, fig=fig,
                    title="How ρ̂ fluctuates across data sets",
                    note=f"h_G(d,n) = {pre['h_G']:.3f}, h_CLT(d,n) = {pre['h_CLT']:.3f}. Slide h down: "
                         "a narrow Gaussian, then a right-skewed law, then a collapse far below the "
                         "mean.")


# --------------------------------------------------------------------------------------------
# 3. participation Σw² and largest weight against h/h_G
# --------------------------------------------------------------------------------------------
def participation_explorer() -> Explorer:
    """E Σw² and E max w against h/h_G, with 1 − κ and the Poisson–Dirichlet largest weight."""
    pre = tables.participation()
    fig, (ax, ax_h) = new_figure(1, 2, figsize=(9.6, 4.2), width_ratios=[1.6, 1.0])
    ax.plot(pre["x_theory"], pre["theory_part"], color=_THEORY, lw=2, label=r"theory $1-\kappa$")
    ax.plot(pre["x_theory"], pre["theory_max"], color=_THEORY, lw=2, ls="--",
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
    readout = readout_box(ax_h, 0.97, 0.97, boxed=False, ha="right", fontsize=_FONTSIZE)
    scales = {"finite": pre["h_G_finite"], "asymptotic": pre["h_G_asymptotic"]}

    def compute(params):
        j = nearest_index(pre["h"], params["h"])
        h_G = scales[params["scale"]]
        x = pre["h"] / h_G
        return {"x": x, "j": j, "h": float(pre["h"][j]), "h_G": h_G, "scale": params["scale"],
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
        "h": slider("bandwidth h", 0.8, float(H_GRID[0]), float(H_GRID[-1]), tables.H_STEP),
        "scale": dropdown("scale h by", [("finite-size h_G(d, n)", "finite"),
                                         ("asymptotic h_G(α)", "asymptotic")], "finite"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="How many points carry the estimate?",
                    note=f"d = {D_DEFAULT}, n = {_fmt_n(N_DEFAULT)}: h_G(d,n) = {pre['h_G_finite']:.3f}, "
                         f"h_G(α) = {pre['h_G_asymptotic']:.3f}. Switch the scale: which h_G makes "
                         "the dots follow the theory?")


# --------------------------------------------------------------------------------------------
# 4. quenched versus annealed log-density
# --------------------------------------------------------------------------------------------
def quenched_annealed_explorer() -> Explorer:
    """Quenched (1/d) E ln ρ̂ against annealed (1/d) ln E ρ̂ = (1/d) ln ρ_h."""
    pres = {n: tables.quenched_annealed(n=n) for n in tables.QA_SIZES}
    h_fine = tables.H_FINE
    fig, (ax, ax_g) = new_figure(1, 2, figsize=(9.6, 4.2))
    (ann,) = ax.plot(h_fine, np.zeros_like(h_fine), color=COLORS["forward_kl"], lw=2.2,
                     label=r"annealed $\frac{1}{d}\ln\rho_h$")
    (que,) = ax.plot(h_fine, np.zeros_like(h_fine), color=_THEORY, lw=1.8, ls="--",
                     label=r"quenched theory ($d\to\infty$)")
    (mcq,) = ax.plot([], [], "o", color=_MC, ms=4.5, label=r"MC $\frac{1}{d} E\ln\hat\rho_h$")
    (cur,) = ax.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=14)
    vg = ax.axvline(1.0, color="0.4", lw=0.9, ls=":")
    ax.set_xlabel("bandwidth $h$")
    ax.set_ylabel("log-density per dimension")
    ax.legend(loc="lower right", fontsize=8.5)
    (gth,) = ax_g.plot(h_fine, np.zeros_like(h_fine), color=_THEORY, lw=1.8, ls="--",
                       label="theory")
    (gmc,) = ax_g.plot([], [], "o", color=_MC, ms=4.5, label="Monte Carlo")
    vg2 = ax_g.axvline(1.0, color="0.4", lw=0.9, ls=":", label=r"$h_G(\alpha)$")
    ax_g.set_xlabel("bandwidth $h$")
    ax_g.set_ylabel("(annealed − quenched) / d")
    ax_g.legend(loc="upper right", fontsize=8.5)
    readout = readout_box(ax_g, 0.97, 0.62, boxed=False, ha="right", fontsize=_FONTSIZE)
    ax.set_xlim(h_fine[0], h_fine[-1])
    ax_g.set_xlim(h_fine[0], h_fine[-1])

    def compute(params):
        pre = pres[params["n"]]
        j = nearest_index(pre["h"], params["h"])
        return {"pre": pre, "j": j, "h": float(pre["h"][j])}

    def draw(dd):
        pre, j = dd["pre"], dd["j"]
        h = pre["h"]
        ann.set_ydata(pre["annealed"])
        que.set_ydata(pre["quenched"])
        mcq.set_data(h, pre["mc_q"])
        cur.set_data([h[j]], [pre["mc_q"][j]])
        gth.set_ydata(pre["gap_theory"])
        gmc.set_data(h, pre["mc_gap"])
        hg = pre["h_G"]
        vg.set_xdata([hg, hg])
        vg2.set_xdata([hg, hg])
        lo = min(float(pre["quenched"].min()), float(pre["mc_q"].min()))
        hi = float(pre["annealed"].max())
        ax.set_ylim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
        top = max(float(pre["gap_theory"].max()), float(pre["mc_gap"].max()))
        ax_g.set_ylim(min(-0.02, float(pre["mc_gap"].min()) - 0.02), 1.08 * top + 0.02)
        ax.set_title(f"d = {pre['d']}, n = {_fmt_n(pre['n'])} (α = {pre['alpha']:.3f})",
                     fontsize=11)
        readout.set_text(f"h = {h[j]:.2f}\nMC gap = {pre['mc_gap'][j]:.3f}\n"
                         f"theory gap = {pre['gap_theory'][nearest_index(h_fine, h[j])]:.3f}\n"
                         f"h_G(α) = {hg:.3f}\nh_G(d,n) = {pre['h_G_finite']:.3f}")

    controls = {
        "h": slider("bandwidth h", 0.8, float(H_GRID[0]), float(H_GRID[-1]), tables.H_STEP),
        "n": dropdown("data points n", [(f"n = {n:,}", n) for n in tables.QA_SIZES], N_DEFAULT),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Quenched versus annealed: the typical ρ̂ versus its mean",
                    note="Above h_G the typical log-density equals the log of the mean; below it the "
                         "typical data set falls far short of its mean.")


# --------------------------------------------------------------------------------------------
# 5. KL(ρ‖ρ̂)/d against h
# --------------------------------------------------------------------------------------------
def kl_bandwidth_explorer() -> Explorer:
    """KL(ρ‖ρ̂)/d against h: Monte Carlo, theory on both branches, the minimum below h_G."""
    pre = tables.kl_bandwidth()
    h_fine, h = pre["h_fine"], pre["h"]
    fig, (ax, ax_s) = new_figure(1, 2, figsize=(9.8, 4.3), width_ratios=[1.5, 1.0])
    ax.plot(h_fine, pre["theory"], color=_THEORY, lw=2, label=r"theory ($d\to\infty$)")
    (low,) = ax.plot(h_fine, pre["low"], color=_REGION["extreme-value"], lw=1.3, ls="--",
                     label="extreme-value branch, continued")
    (high,) = ax.plot(h_fine, pre["high"], color=_REGION["CLT"], lw=1.3, ls="--",
                      label="annealed branch, continued")
    ax.plot(h, pre["kl_mc"], "o", color=_MC, ms=4.5, label=f"MC ({pre['n_sets']} sets, x ~ ρ)")
    ax.plot([h[pre["j_min"]]], [pre["kl_mc"][pre["j_min"]]], "D", color=_KL, mec="black", ms=8,
            label="MC minimum")
    (cur,) = ax.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=14)
    for x, ls, lab, ha, y in ((pre["h_KL"], ":", r"$h_{KL}$ ", "right", 1.01),
                              (pre["h_G"], "-", r"$h_G(\alpha)$", "center", 1.07),
                              (pre["h_G_finite"], "--", r" $h_G(d,n)$", "left", 1.01)):
        ax.axvline(x, color="0.45", lw=1.0, ls=ls)
        ax.text(x, y, lab, transform=ax.get_xaxis_transform(), ha=ha, va="bottom", fontsize=9)
    ax.set_yscale("log")
    ax.set_xlim(h_fine[0], h_fine[-1])
    lo = 0.7 * min(float(pre["kl_mc"].min()), float(pre["theory"].min()))
    ax.set_ylim(lo, 1.3 * max(float(pre["kl_mc"].max()), float(pre["theory"].max())))
    ax.set_xlabel("bandwidth $h$")
    ax.set_ylabel(r"KL$(\rho\,\|\,\hat\rho_h)\,/\,d$")
    ax.legend(loc="upper right", fontsize=8)
    ax_s.plot(h, pre["wd"], "o", color=_MC, ms=4, label=r"MC $E[\sum_i w_i D_i]/d$")
    ax_s.plot(h_fine, h_fine**2, color=_THEORY, lw=1.6, label=r"$h^2$")
    ax_s.axvline(pre["h_star"], color=_KL, lw=1.6, label=rf"crossing $h^*$ = {pre['h_star']:.3f}")
    (cur_s,) = ax_s.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=14)
    ax_s.set_xlabel("bandwidth $h$")
    ax_s.set_title("exact optimum: $h^{*2} = E[\\sum_i w_i D_i]/d$", fontsize=10.5)
    ax_s.legend(loc="upper left", fontsize=8)
    readout = readout_box(ax_s, 0.97, 0.04, boxed=False, ha="right", va="bottom", fontsize=9)

    def compute(params):
        j = nearest_index(h, params["h"])
        return {"j": j, "h": float(h[j]), "kl_mc": float(pre["kl_mc"][j]),
                "kl_theory": float(pre["kl_theory"][j]), "wd": float(pre["wd"][j]),
                "continuations": params["continuations"]}

    def draw(dd):
        cur.set_data([dd["h"]], [dd["kl_mc"]])
        cur_s.set_data([dd["h"]], [dd["wd"]])
        low.set_visible(dd["continuations"])
        high.set_visible(dd["continuations"])
        readout.set_text(f"h = {dd['h']:.2f}\nKL/d MC = {dd['kl_mc']:.4f}\n"
                         f"KL/d theory = {dd['kl_theory']:.4f}")

    controls = {
        "h": slider("bandwidth h", 1.5, float(H_GRID[0]), float(H_GRID[-1]), tables.H_STEP),
        "continuations": checkbox("show each branch continued past h_G", False),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Which bandwidth is best for KL(ρ‖ρ̂)?",
                    note=f"d = {D_DEFAULT}, n = {_fmt_n(N_DEFAULT)}: the minimum lies below h_G, "
                         "inside the extreme-value regime.")


# --------------------------------------------------------------------------------------------
# 6. sorted top weights at one test point
# --------------------------------------------------------------------------------------------
def top_weights_explorer() -> Explorer:
    """Sorted top-20 normalised weights for one test point, with participation and 90 % count."""
    pre = tables.top_weights()
    top_k = tables.TOP_K
    fig, ax = new_figure(figsize=(8.6, 4.4))
    ranks = np.arange(1, top_k + 1)
    (line,) = ax.plot(ranks, np.ones(top_k), "o-", color=_MC, ms=6, lw=1.4,
                      label="sorted weights $w_{(k)}$")
    ax.axhline(1.0 / N_DEFAULT, color="0.45", lw=1.2, ls="--",
               label=f"uniform weight 1/n = {1 / N_DEFAULT:.0e}")
    (pd,) = ax.plot([], [], color=_THEORY, lw=1.6, ls=":", label=r"PD$(\kappa_d,0)$ mean of $w_{(1)}$")
    ax.set_yscale("log")
    ax.set_ylim(1e-8, 2.0)
    ax.set_xlim(0.5, top_k + 0.5)
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_xlabel("rank k (largest first)")
    ax.set_ylabel("normalised kernel weight")
    ax.legend(loc="lower left", fontsize=8.5)
    readout = readout_box(ax, 0.985, 0.975, ha="right", fontsize=_FONTSIZE)

    def compute(params):
        j, s = nearest_index(pre["h"], params["h"]), params["data_set"]
        kappa = float(pre["kappa"][j])
        return {"h": float(pre["h"][j]), "w": pre["weights"][j, s], "kappa": kappa,
                "regime": kde.regime_name(kappa), "part": float(pre["participation"][j, s]),
                "wmax": float(pre["max_weight"][j, s]), "n90": int(pre["n_mass"][j, s]),
                "pd": float(pre["pd"][j])}

    def draw(dd):
        line.set_data(ranks, np.maximum(dd["w"], 1e-300))
        if dd["pd"] > 0:
            pd.set_data([0.5, 3.0], [dd["pd"], dd["pd"]])
        else:
            pd.set_data([], [])
        readout.set_text(f"h = {dd['h']:.2f}   κ_d = {dd['kappa']:.2f} ({dd['regime']})\n"
                         f"Σw² = {dd['part']:.3f}   max w = {dd['wmax']:.3f}\n"
                         f"points carrying 90 % of the mass: {dd['n90']:,}")

    grid = pre["h"]
    controls = {
        "h": slider("bandwidth h", 0.8, float(grid[0]), float(grid[-1]), 0.01),
        "data_set": int_slider("data set", 0, 0, tables.TOP_SETS - 1),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Who carries the estimate at one point?",
                    note=f"d = {D_DEFAULT}, n = {_fmt_n(N_DEFAULT)}, h_G(d,n) = {pre['h_G_finite']:.3f}. "
                         "Below h_G a handful of points carry almost all of the weight, and which "
                         "ones changes from data set to data set.")


# --------------------------------------------------------------------------------------------
# 7. nearest-neighbour gaps: measure h_G from the data
# --------------------------------------------------------------------------------------------
def nn_gap_explorer() -> Explorer:
    """Estimate h_G(d, n) from the gaps between the smallest distances |x − y_i|²."""
    pre = tables.nn_gaps()
    ns = pre["n"]
    fig, (ax, ax_r) = new_figure(1, 2, figsize=(9.8, 4.2))
    hist = ax.stairs(np.zeros(30), np.linspace(0, 1, 31), fill=True, color=_MC, alpha=0.5,
                     label="normalised spacings")
    (pdf,) = ax.plot([], [], color=_THEORY, lw=1.8, label=r"exponential, mean $2h_G(d,n)^2$")
    ax.set_xlabel(r"$j\,(D_{(j+1)} - D_{(j)})$")
    ax.set_ylabel("density")
    ax.legend(loc="upper right", fontsize=8.5)
    readout = readout_box(ax, 0.97, 0.72, boxed=False, ha="right", fontsize=_FONTSIZE)
    ax_r.plot(pre["n_fine"], pre["h_G_finite_fine"], color=_THEORY, lw=2,
              label=r"finite size $h_G(d,n)$")
    ax_r.plot(pre["n_fine"], pre["h_G_asymptotic_fine"], color=_THEORY, lw=1.5, ls="--",
              label=r"asymptotic $h_G(\ln n/d)$")
    (est,) = ax_r.plot(ns, pre["est"][0], "o", color=_MC, ms=5, label=r"estimate $\hat h_G$ from gaps")
    (cur,) = ax_r.plot([], [], "*", color=COLORS["highlight"], mec="black", ms=15)
    ax_r.set_xscale("log")
    ax_r.set_xlabel("data points n")
    ax_r.set_ylabel("$h_G$")
    lo = min(float(pre["est"].min()), float(pre["h_G_asymptotic_fine"].min()))
    hi = max(float(pre["est"].max()), float(pre["h_G_finite_fine"].max()))
    ax_r.set_ylim(lo - 0.1 * (hi - lo), hi + 0.15 * (hi - lo))
    ax_r.legend(loc="upper right", fontsize=8.5)

    def compute(params):
        i = nearest_index(pre["log10_n"], math.log10(params["n"]))
        k = params["k"]
        return {"i": i, "k": k, "n": int(ns[i]), "counts": pre["counts"][i, k - 1],
                "edges": pre["edges"][i], "z": pre["z"][i], "pdf": pre["pdf"][i],
                "est": pre["est"][k - 1], "h_hat": float(pre["est"][k - 1, i]),
                "h_fs": float(pre["h_G_finite"][i]), "h_asym": float(pre["h_G_asymptotic"][i])}

    def draw(dd):
        hist.set_data(dd["counts"], dd["edges"])
        pdf.set_data(dd["z"], dd["pdf"])
        steady_limits(ax, 0.0, float(dd["edges"][-1]), which="x")
        steady_limits(ax, 0.0, 1.2 * max(float(dd["counts"].max()), float(dd["pdf"].max())))
        est.set_ydata(dd["est"])
        cur.set_data([dd["n"]], [dd["h_hat"]])
        ax.set_title(f"d = {D_DEFAULT}, n = {dd['n']:,}: {tables.GAP_POINTS} test points × "
                     f"{dd['k']} spacing(s)", fontsize=10.5)
        readout.set_text(f"estimate ĥ_G = {dd['h_hat']:.3f}\nh_G(d,n)    = {dd['h_fs']:.3f}\n"
                         f"h_G(α)      = {dd['h_asym']:.3f}")

    controls = {
        "n": log_slider("data points n", float(ns[-3]), 2.0, 5.0, step=1.0 / 3.0,
                        readout_format=",.0f"),
        "k": int_slider("spacings per point k", 1, 1, tables.GAP_K),
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
