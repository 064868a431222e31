"""Explorers of notebook 01: mode-seeking versus mass-covering divergences.

Every explorer follows the kit's pattern (``kitlib.explore``): the figure and its artists are built
once, ``compute`` calls ``kitlib.divergences`` / ``kitlib.fitting``, ``draw`` only updates artists.
Anything slower than a slider tick (switch separations, the fits along α, mixture fits, far-away
gradients, distillation students) is a table of :mod:`kitlib.tables.divergences` (shipped on
disk, else computed once with a progress bar), indexed on slide.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator

from kitlib import divergences as dv
from kitlib import fitting as ft
from kitlib.controls import checkbox, dropdown, log_slider, slider
from kitlib.explore import Explorer
from kitlib.figures import new_figure, steady_limits
from kitlib.style import COLORS, OKABE_ITO
from kitlib.tables import divergences as tables
from kitlib.tables.divergences import bimodal_target, three_mode_target
from kitlib.views._common import nearest_index, readout_box

__all__ = ["bimodal_fit_explorer", "alpha_path_explorer", "mixture_fit_explorer",
           "distillation_explorer", "f_weights_explorer", "EXPLORERS", "DIVERGENCE_OPTIONS",
           "MU_GRID", "LOG_STD_GRID", "FAR_CURVES", "F_CURVES", "STUDENT_CURVES", "f_weights_curves",
           "bimodal_target", "three_mode_target", "switch_separation_at", "tabulated_fit",
           "tabulated_landscape"]

DIVERGENCE_OPTIONS = [
    ("forward KL(p‖q)", "forward_kl"),
    ("reverse KL(q‖p)", "reverse_kl"),
    ("Minka α (slider)", "alpha"),
    ("Jensen–Shannon", "js"),
    ("Hellinger²", "hellinger"),
    ("total variation", "tv"),
    ("Pearson χ²(p‖q)", "chi2"),
    ("Cauchy–Schwarz", "cauchy_schwarz"),
    ("Wasserstein W2²", "w2"),
]
_DIV_LABEL = {v: k for k, v in DIVERGENCE_OPTIONS}


# -- 1. one Gaussian fitted to two modes -------------------------------------------------------

_X_FIT = np.linspace(-9.0, 9.0, 721)
#: Model means μ and log-widths log s of the landscape image (41 × 29 cells).
MU_GRID = tables.LANDSCAPE_MUS
LOG_STD_GRID = tables.LANDSCAPE_LOG_STDS


def _separation_row(d: float, divergence: str) -> int | None:
    """Row of separation ``d`` in the tables along :data:`FIT_SEPARATIONS
    <kitlib.tables.divergences.FIT_SEPARATIONS>`; None off that grid and for Minka's α."""
    if divergence not in tables.SWITCH_DIVERGENCES:
        return None
    j = nearest_index(tables.FIT_SEPARATIONS, d)
    return j if abs(tables.FIT_SEPARATIONS[j] - d) <= 1e-9 else None


def tabulated_fit(d: float, divergence: str, fixed: bool):
    """The global fit at separation ``d`` from :func:`kitlib.tables.divergences.bimodal_fits`
    (the same ``fit_gaussian`` call, made once), or None off its grid and for Minka's α."""
    j = _separation_row(d, divergence)
    if j is None:
        return None
    mean, std, value = tables.bimodal_fits()["fixed" if fixed else "free"][divergence][j]
    return ft.GaussianFit(float(mean), float(std), float(value), divergence, None)


def tabulated_landscape(d: float, divergence: str) -> np.ndarray | None:
    """The landscape image at separation ``d`` from
    :func:`kitlib.tables.divergences.bimodal_landscapes`, or None off its grid and for Minka's α."""
    j = _separation_row(d, divergence)
    return None if j is None else tables.bimodal_landscapes()[divergence][j]


def bimodal_fit_compute(params: dict) -> dict:
    d, div, fixed = params["separation"], params["divergence"], params["fixed_width"]
    alpha = params["alpha"] if div == "alpha" else None
    w, m, s = bimodal_target(d)
    fit = tabulated_fit(d, div, fixed)
    if fit is not None:
        image = tabulated_landscape(d, div)  # tabulated on the same separations and names
    else:
        land, fit = ft.fit_gaussian_grid(w, m, s, div, MU_GRID, np.exp(LOG_STD_GRID), alpha=alpha,
                                         fixed_std=1.0 if fixed else None)
        image = tables.landscape_image(land)
    z = np.ma.masked_invalid(image)
    if div != "alpha":
        switch = tables.switch_separations()["fixed" if fixed else "free"][div]
    elif fixed:
        switch = None  # the α-curve is tabulated for a free width only (Explore 2)
    else:
        switch = switch_separation_at(alpha)
    return {"p": np.exp(dv.log_mixture_pdf(_X_FIT, w, m, s)),
            "q": np.exp(dv.log_normal_pdf(_X_FIT, fit.mean, fit.std)),
            "fit": fit, "z": z, "switch": switch, "d": d, "div": div, "alpha": alpha,
            "alpha_slider": params["alpha"], "fixed": fixed}


def bimodal_fit_explorer() -> Explorer:
    """Fit q = N(μ, s²) to ½N(−d,1) + ½N(d,1) by a chosen divergence: fit, landscape, switch."""
    fig, (ax_f, ax_l) = new_figure(1, 2, figsize=(11.0, 4.4), width_ratios=[1.15, 1.0])
    (line_p,) = ax_f.plot(_X_FIT, np.zeros_like(_X_FIT), color=COLORS["target"], label="target p")
    (line_q,) = ax_f.plot(_X_FIT, np.zeros_like(_X_FIT), color=COLORS["model"], label="fitted q")
    ax_f.set_xlim(_X_FIT[0], _X_FIT[-1])
    ax_f.set_ylim(0, 0.45)
    ax_f.set_xlabel("x")
    ax_f.set_ylabel("density")
    ax_f.legend(loc="upper left")
    info = readout_box(ax_f, 0.99, 0.98, ha="right", boxed=False)
    im = ax_l.imshow(np.zeros((LOG_STD_GRID.size, MU_GRID.size)), origin="lower", aspect="auto",
                     extent=[MU_GRID[0], MU_GRID[-1], LOG_STD_GRID[0], LOG_STD_GRID[-1]],
                     cmap="viridis_r", vmin=-3, vmax=1)
    cbar = fig.colorbar(im, ax=ax_l, pad=0.02)
    cbar.set_label("log₁₀(D − D_min + 10⁻³): bright = low")
    cbar.set_ticks([-3, -2, -1, 0, 1])
    opt = ax_l.scatter([0.0], [0.0], marker="*", s=220, color=COLORS["highlight"],
                       edgecolor="white", zorder=3, label="global optimum")
    fixed_line = ax_l.axhline(0.0, color="white", ls=":", lw=1.5)
    ax_l.set_xlabel("model mean μ")
    ax_l.set_ylabel("model log-width log s")
    ax_l.legend(loc="lower right", fontsize=9)
    title = ax_l.set_title("")
    for ax in (ax_f, ax_l):
        ax.locator_params(nbins=4)  # fewer tick labels: a third less rendering per slider tick

    def draw(dd):
        fit = dd["fit"]
        line_p.set_ydata(dd["p"])
        line_q.set_ydata(dd["q"])
        steady_limits(ax_f, 0.0, 1.15 * max(dd["p"].max(), dd["q"].max()))
        im.set_data(dd["z"])
        opt.set_offsets([[fit.mean, np.log(fit.std)]])
        fixed_line.set_visible(dd["fixed"])
        sw = dd["switch"]
        if sw is None:
            sw_text, where = "see Explore 2", ""
        else:
            sw_text = "never (up to d = 8)" if not np.isfinite(sw) else f"d* = {sw:.2f}"
            where = "" if not np.isfinite(sw) else ("  (one mode)" if dd["d"] > sw else "  (between)")
        alpha_state = "in use" if dd["div"] == "alpha" else "pick 'Minka α' to use it"
        info.set_text(f"μ = {fit.mean:+.3f}\ns = {fit.std:.3f}\nD = {fit.value:.4f}\n"
                      f"switch: {sw_text}{where}\n"
                      f"α slider = {dd['alpha_slider']:.2f} ({alpha_state})")
        name = _DIV_LABEL[dd["div"]] if dd["div"] != "alpha" else f"Minka α = {dd['alpha']:.2f}"
        title.set_text(f"{name}, d = {dd['d']:.2f}: landscape (bright = low)")

    controls = {
        "separation": slider("separation d", 3.0, 0.0, 5.0, 0.05),
        "divergence": dropdown("divergence", DIVERGENCE_OPTIONS, "reverse_kl"),
        "alpha": slider("Minka α", 0.5, -1.0, 2.0, 0.05),
        "fixed_width": checkbox("fix the width at s = 1"),
    }
    return Explorer(controls, bimodal_fit_compute, draw, fig=fig,
                    title="One Gaussian fitted to two modes: which divergence covers, which picks a mode?",
                    note="Reverse KL: slide d through 2.4–2.8 and watch a second valley appear in the landscape "
                         "before the optimum jumps. Then fix the width: the jump becomes a smooth pitchfork.")


# -- 2. along Minka's α ------------------------------------------------------------------------

_ALPHAS = tables.ALPHAS
_D_PATH = tables.PATH_SEPARATIONS


def switch_separation_at(alpha: float) -> float:
    """d*(α) interpolated on the table ``kitlib.tables.divergences.alpha_switch``."""
    return tables.switch_at(alpha, tables.alpha_switch())


def alpha_path_compute(params: dict) -> dict:
    path = tables.alpha_path()
    i = nearest_index(path["separations"], params["separation"])
    return {"mu": path["mu"][i], "std": path["std"][i], "d": float(path["separations"][i]),
            "switch": tables.alpha_switch()["switch"]}


def alpha_path_explorer() -> Explorer:
    """Optimal (μ, s) against Minka's α at a chosen separation, and the switch separation d*(α)."""
    fig, (ax_p, ax_s) = new_figure(1, 2, figsize=(11.0, 4.2))
    (mu_line,) = ax_p.plot(_ALPHAS, np.zeros_like(_ALPHAS), "o-", ms=3, color=COLORS["model"],
                           label="|μ| of the fit")
    (s_line,) = ax_p.plot(_ALPHAS, np.ones_like(_ALPHAS), "s--", ms=3, color=COLORS["alpha"],
                          label="s of the fit")
    for a, lab in ((0.0, "reverse KL"), (1.0, "forward KL")):
        ax_p.axvline(a, color="0.7", lw=1)
        ax_p.text(a + 0.03, 0.97, lab, transform=ax_p.get_xaxis_transform(), ha="left", va="top",
                  fontsize=9, color="0.4")
    ax_p.set_xlabel("Minka α")
    ax_p.set_ylabel("fitted parameter")
    ax_p.set_xlim(_ALPHAS[0], _ALPHAS[-1])
    ax_p.set_ylim(0, 6.5)
    ax_p.legend(loc="center right")
    title = ax_p.set_title("")
    finite_alphas = _ALPHAS[_ALPHAS < 1.0]
    (sw_line,) = ax_s.plot(finite_alphas, np.ones_like(finite_alphas), "o-", ms=3,
                           color=COLORS["alpha"], label="switch separation d*(α)")
    d_line = ax_s.axhline(0.0, color=COLORS["target"], ls=":", label="current d")
    ax_s.axvline(1.0, color="0.6", ls="--", lw=1)
    ax_s.text(0.98, 0.5, "α → 1: d* → ∞\n(forward KL never\nswitches)", transform=ax_s.transAxes,
              ha="right", fontsize=9, color="0.4")
    ax_s.set_xlim(_ALPHAS[0], _ALPHAS[-1])
    ax_s.set_ylim(0, 8.2)
    ax_s.set_xlabel("Minka α")
    ax_s.set_ylabel("separation d")
    ax_s.legend(loc="upper left")
    sw_title = ax_s.set_title("")
    ax_s.text(0.02, 0.02, "free width s", transform=ax_s.transAxes, fontsize=9, color="0.4")

    def draw(dd):
        mu_line.set_ydata(dd["mu"])
        s_line.set_ydata(dd["std"])
        title.set_text(f"global fit along α at d = {dd['d']:.1f}")
        sw = dd["switch"][: finite_alphas.size]
        ok = np.isfinite(sw)
        sw_line.set_data(finite_alphas[ok], sw[ok])
        d_line.set_ydata([dd["d"], dd["d"]])
        above = dd["d"] > np.where(np.isfinite(sw), sw, np.inf)
        wins = finite_alphas[above]
        sw_title.set_text("one mode wins for α ≤ %.2f at this d" % wins.max() if wins.size
                          else "no α < 1 picks one mode at this d")

    controls = {
        "separation": slider("separation d", 3.0, float(_D_PATH[0]), float(_D_PATH[-1]), 0.5,
                             readout_format=".1f"),
    }
    return Explorer(controls, alpha_path_compute, draw, fig=fig,
                    title="Along Minka's α: from mode-seeking (α ≤ 0) to mass-covering (α ≥ 1)",
                    note="At d = 3, find the α where |μ| drops to 0. Does the switch separation on the "
                         "right agree?")


# -- 3. fewer components than modes ------------------------------------------------------------

_D_MIX = tables.MIXTURE_SEPARATIONS
_X_MIX = np.linspace(-12.0, 12.0, 601)


def mixture_fit_compute(params: dict) -> dict:
    fits = tables.mixture_fits()
    i = nearest_index(fits["separations"], params["separation"])
    d = float(fits["separations"][i])
    row = fits[params["divergence"]]
    fit = {k: row[k][i] for k in ("weights", "means", "stds")}
    fit["value"] = float(row["value"][i])
    w, m, s = three_mode_target(d)
    comps = [fit["weights"][k] * np.exp(dv.log_normal_pdf(_X_MIX, fit["means"][k], fit["stds"][k]))
             for k in range(fit["means"].size)]
    return {"p": np.exp(dv.log_mixture_pdf(_X_MIX, w, m, s)),
            "q": np.exp(dv.log_mixture_pdf(_X_MIX, fit["weights"], fit["means"], fit["stds"])),
            "comps": comps, "fit": fit, "d": d, "div": params["divergence"],
            "mass_near": [float(x) for x in row["mass_near"][i]]}


def mixture_fit_explorer() -> Explorer:
    """Three equal modes at −d, 0, d fitted by a two-component Gaussian mixture."""
    fig, ax = new_figure(figsize=(9.0, 4.2))
    (line_p,) = ax.plot(_X_MIX, np.zeros_like(_X_MIX), color=COLORS["target"], label="target p (3 modes)")
    (line_q,) = ax.plot(_X_MIX, np.zeros_like(_X_MIX), color=COLORS["model"], label="fitted q (2 components)")
    comp_lines = [ax.plot(_X_MIX, np.zeros_like(_X_MIX), color=COLORS["model"], ls=":", lw=1.5)[0]
                  for _ in range(2)]
    ax.set_xlim(_X_MIX[0], _X_MIX[-1])
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend(loc="upper left")
    info = readout_box(ax, 0.99, 0.98, ha="right", boxed=False)
    title = ax.set_title("")

    def draw(dd):
        fit = dd["fit"]
        line_p.set_ydata(dd["p"])
        line_q.set_ydata(dd["q"])
        for line, comp in zip(comp_lines, dd["comps"]):
            line.set_ydata(comp)
        steady_limits(ax, 0.0, 1.15 * max(dd["p"].max(), dd["q"].max()))
        rows = [f"w={a:.2f} μ={b:+.2f} s={c:.2f}"
                for a, b, c in zip(fit["weights"], fit["means"], fit["stds"])]
        cover = "  ".join(f"{x:.2f}" for x in dd["mass_near"])
        info.set_text("\n".join(rows) + f"\nq-mass near each mode: {cover}\nvalue {fit['value']:.4f}")
        title.set_text(f"{_DIV_LABEL[dd['div']]}, modes at ±{dd['d']:.0f} and 0")

    controls = {
        "separation": slider("separation d", 4.0, float(_D_MIX[0]), float(_D_MIX[-1]), 1.0,
                             readout_format=".0f"),
        "divergence": dropdown("divergence", DIVERGENCE_OPTIONS[:2], "forward_kl"),
    }
    return Explorer(controls, mixture_fit_compute, draw, fig=fig,
                    title="Fewer components than modes: average two modes, or drop one?",
                    note="Compare the q-mass near each mode for forward and reverse KL as d grows.")


# -- 4. distillation ---------------------------------------------------------------------------

_K = np.arange(tables.TEACHER_LOGITS.size)
#: The distillation students: objective, colour, line style and marker (style differs too).
STUDENT_CURVES = [("forward_kl", COLORS["forward_kl"], "o-"), ("reverse_kl", COLORS["reverse_kl"], "s-"),
                  ("js", COLORS["js"], "^-"), ("balanced", COLORS["alpha"], "D--")]
_FAR = tables.FAR_DISTANCES
#: The far-away gradient curves: divergence, colour and line style + marker (every curve
#: differs by style as well as colour).
FAR_CURVES = [("forward_kl", COLORS["forward_kl"], {"ls": "-"}),
              ("reverse_kl", COLORS["reverse_kl"], {"ls": "--"}),
              ("js", COLORS["js"], {"ls": "-.", "marker": "^", "markevery": 4, "ms": 5}),
              ("tv", "#7F7F7F", {"ls": ":", "lw": 2.2, "marker": "v", "markevery": 4, "ms": 5}),
              ("w2", COLORS["w2"], {"ls": "-", "marker": "d", "markevery": 4, "ms": 5}),
              ("sinkhorn", COLORS["sinkhorn"], {"ls": "none", "marker": "o", "ms": 7})]


def distillation_compute(params: dict) -> dict:
    fits = tables.student_fits()
    i = nearest_index(fits["temperatures"], params["temperature"])
    j = nearest_index(fits["balances"], params["balance"])
    students = {name: fits["probs"][name][i] for name in tables.STUDENT_DIVERGENCES}
    students["balanced"] = fits["balanced"][i, j]
    grads = tables.far_gradients()
    delta = params["distance"]
    at = {n: float(np.interp(delta, g["distances"], g["gradients"])) for n, g in grads.items()}
    return {"teacher": fits["teacher"][i], "students": students, "grads": grads, "delta": delta,
            "at": at, "balance": params["balance"], "temperature": params["temperature"]}


def distillation_explorer() -> Explorer:
    """A two-mode teacher softmax, low-capacity students by four objectives, far-away gradients."""
    fig, (ax_c, ax_g) = new_figure(1, 2, figsize=(11.5, 4.4), width_ratios=[1.2, 1.0])
    # one stairs artist instead of 16 bars: a fraction of the rendering cost
    edges = np.append(_K, _K[-1] + 1) - 0.5
    bars = ax_c.stairs(np.zeros(_K.size), edges, fill=True, color="0.82", label="teacher p")
    outline = ax_c.stairs(np.zeros(_K.size), edges, color=COLORS["target"], lw=1.2)
    s_lines = {}
    for name, color, style in STUDENT_CURVES:
        (s_lines[name],) = ax_c.plot(_K, np.zeros(_K.size), style, color=color, ms=4, label=name)
    ax_c.set_xlabel("class")
    ax_c.set_ylabel("probability")
    ax_c.set_xticks(_K[::3])
    balanced_label = next(t for t in ax_c.legend(loc="upper right", fontsize=9).get_texts()
                          if t.get_text() == "balanced")
    c_title = ax_c.set_title("")
    g_lines = {}
    for name, color, style in FAR_CURVES:
        (g_lines[name],) = ax_g.plot(_FAR, np.ones_like(_FAR), color=color, label=name, **style)
    v = ax_g.axvline(0.0, color="0.5", lw=1)
    for name, g in tables.far_gradients().items():  # fixed curves: drawn once
        g_lines[name].set_data(g["distances"], np.maximum(g["gradients"], 1e-12))
    ax_g.set_yscale("log")
    ax_g.minorticks_off()
    ax_g.yaxis.set_major_locator(LogLocator(numticks=4))
    ax_c.locator_params(axis="y", nbins=4)
    ax_g.set_ylim(1e-6, 50)
    ax_g.set_xlim(0, 8)
    ax_g.set_xlabel("distance δ of q = N(μ, 1) from E_p x,  p = ½N(−2, 1) + ½N(2, 1)")
    ax_g.set_ylabel("|∂D/∂μ|")
    # the legend doubles as the readout: each entry shows |∂D/∂μ| at the current δ
    far_labels = dict(zip([n for n, _, _ in FAR_CURVES],
                          ax_g.legend(loc="lower right", fontsize=9).get_texts()))
    ax_g.set_title("start far away: who still pulls? (full-support Gaussians)")

    def draw(dd):
        bars.set_data(dd["teacher"])
        outline.set_data(dd["teacher"])
        top = dd["teacher"].max()
        for name, _, _ in STUDENT_CURVES:
            probs = dd["students"][name]
            s_lines[name].set_ydata(probs)
            top = max(top, probs.max())
        balanced_label.set_text(f"balanced w = {dd['balance']:.2f}")
        steady_limits(ax_c, 0.0, 1.15 * top)
        c_title.set_text(f"teacher at temperature T = {dd['temperature']:.2f} vs 2-parameter students")
        v.set_xdata([dd["delta"], dd["delta"]])
        for name, val in dd["at"].items():
            far_labels[name].set_text(f"{name}: {val:.2g}")

    controls = {
        "temperature": slider("temperature T", 1.0, float(tables.TEMPERATURES[0]),
                              float(tables.TEMPERATURES[-1]), 0.1),
        "balance": slider("BD-KD weight w", 0.5, 0.0, 1.0, 0.05),
        "distance": slider("far-away δ", 4.0, 0.0, 8.0, 0.1),
    }
    return Explorer(controls, distillation_compute, draw, fig=fig,
                    title="Distillation: a low-capacity student averages (forward KL), collapses (reverse KL) "
                          "or splits the difference",
                    note="Lower T to sharpen the teacher's two modes; move w from 0 (reverse) to 1 (forward). "
                         "On the right, the bounded JS and TV pull less as the overlap vanishes (never exactly 0 for "
                         "Gaussians); KL, W2 and Sinkhorn pull harder the farther away the student starts.")


# -- 5. f-distill weights --------------------------------------------------------------------

#: The f-distill weight curves: registry name, colour, line style (+ marker): distinct
#: without colour.
F_CURVES = [
    ("forward_kl", COLORS["forward_kl"], {"ls": "-"}),
    ("reverse_kl", COLORS["reverse_kl"], {"ls": "--"}),
    ("chi2", OKABE_ITO["yellow"], {"ls": "-", "marker": "^", "markevery": 24, "ms": 5}),
    ("neyman_chi2", OKABE_ITO["sky_blue"], {"ls": "--", "marker": "v", "markevery": 24, "ms": 5}),
    ("hellinger", OKABE_ITO["bluish_green"], {"ls": (0, (5, 1, 1, 1, 1, 1))}),
    ("js", "#7F7F7F", {"ls": "-."}),
    ("jeffreys", "#8C564B", {"ls": ":", "lw": 2.2}),
]
_R = np.logspace(-2, 2, 241)


def f_weights_curves() -> dict:
    """h(r) = r² f″(r) of every generator of :data:`F_CURVES` on the explorer's log grid of r
    (fixed curves: they depend on no slider)."""
    return {key: dv.F_DIVERGENCES[key].h(_R) for key, _, _ in F_CURVES}


def f_weights_compute(params: dict) -> dict:
    """h at the slider's ratio r for every registered generator, and Minka's α curve."""
    r, alpha = params["ratio"], params["alpha"]
    minka = dv.minka_alpha(alpha)
    at_r = {key: float(dv.F_DIVERGENCES[key].h(np.array([r]))[0]) for key, _, _ in F_CURVES}
    return {"at_r": at_r, "minka": minka.h(_R),
            "minka_at_r": float(minka.h(np.array([r]))[0]), "ratio": r, "alpha": alpha}


def f_weights_explorer() -> Explorer:
    """f-distill weights h(r) of each divergence against the density ratio r = p/q."""
    fig, ax = new_figure(figsize=(8.5, 4.8))
    dots = {}
    # The generators' curves depend on no slider: drawn once, under everything that moves
    # (markers, Minka's curve and the r line sit above them), so a slider move redraws only those.
    curves = f_weights_curves()
    for key, color, ls in F_CURVES:
        ax.plot(_R, curves[key], color=color, **ls, label=dv.F_DIVERGENCES[key].label)
        (dots[key],) = ax.plot([1.0], [1.0], "o", color=color, ms=6, zorder=2.6)
    (minka_line,) = ax.plot(_R, _R, color=COLORS["alpha"], lw=3, alpha=0.6, zorder=2.5,
                            label="Minka α: h = r^α")
    (minka_dot,) = ax.plot([1.0], [1.0], "o", color=COLORS["alpha"], ms=8, zorder=2.6)
    vline = ax.axvline(1.0, color="0.5", lw=1, zorder=2.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.minorticks_off()  # dozens of minor ticks cost more to render than the curves
    ax.set_xlim(_R[0], _R[-1])
    ax.set_ylim(1e-3, 1e4)
    ax.set_xlabel("density ratio r = p/q (teacher over student)")
    ax.set_ylabel("weight h(r) = r² f″(r)")
    ax.set_title("f-distill: how strongly each divergence weights a sample at ratio r")
    ax.legend(loc="upper left", fontsize=9, ncols=2)
    readout = readout_box(ax, 0.99, 0.02, ha="right", va="bottom",
                          bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "0.8"})
    ax.text(0.5, 0.02, "TV: h = 0 except a point mass at r = 1:\nits gradient comes from where p = q",
            transform=ax.transAxes, ha="center", va="bottom", fontsize=8.5, color="0.3")

    def draw(d):
        r = d["ratio"]
        for key, _, _ in F_CURVES:
            dots[key].set_data([r], [d["at_r"][key]])
        minka_line.set_ydata(d["minka"])
        minka_dot.set_data([r], [d["minka_at_r"]])
        vline.set_xdata([r, r])
        rows = [f"{k:12s} {d['at_r'][k]:9.3g}" for k, _, _ in F_CURVES]
        rows.append(f"{'alpha':12s} {d['minka_at_r']:9.3g}")
        readout.set_text(f"h at r = {r:.3g}, α = {d['alpha']:.2f}\n" + "\n".join(rows))

    controls = {
        "ratio": log_slider("ratio r = p/q", 1.0, -2.0, 2.0, 0.05),
        "alpha": slider("Minka α", 0.5, -1.0, 2.0, 0.05),
    }
    return Explorer(controls, f_weights_compute, draw, fig=fig,
                    title="f-distill weights: which samples each divergence's gradient emphasises",
                    note="Slide r above 1 (teacher denser than student): which weights grow, which stay flat, "
                         "which fall? Then move α from 0 (reverse KL) to 1 (forward KL).")


EXPLORERS = {
    "divergences.bimodal_fit": bimodal_fit_explorer,
    "divergences.alpha_path": alpha_path_explorer,
    "divergences.mixture_fit": mixture_fit_explorer,
    "divergences.distillation": distillation_explorer,
    "divergences.f_weights": f_weights_explorer,
}
