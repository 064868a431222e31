"""Explorers for notebook 03: information-bottleneck planes.

Five explorers, one factory each (registered in ``EXPLORERS``):

* ``ib.discrete_curve`` — a β slider moving the optimal point along a discrete IB curve, with the
  encoder p(t|x) as a heat map, 1/ρ_m² and the phase transitions marked, and a preset selector;
* ``ib.gaussian`` — the Gaussian IB curve for three canonical correlations; a new direction opens
  at each β_i = 1/(1 − λ_i) = 1/ρ_i², where the slope 1/β is continuous and the curvature jumps;
* ``ib.ib_vs_dib`` — IB and deterministic IB in the (I(X;T), I(T;Y)) and (H(T), I(T;Y)) planes;
* ``ib.training_plane`` — the information plane of a 12-10-7-5-4-3-2 network during training,
  tanh versus ReLU, with the bin count of the estimator as a slider;
* ``ib.estimators`` — binning, KSG and Cauchy–Schwarz QMI on a bivariate Gaussian of known MI.

The discrete IB and DIB curves and the training runs with their information planes are tables
(:mod:`kitlib.tables.ib`: shipped on disk, computed on a miss); the explorers index them on
slide. The Gaussian and estimator explorers compute live (closed form; one estimate per move).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import MaxNLocator

from kitlib import ib
from kitlib.controls import dropdown, int_slider, log_slider, slider
from kitlib.explore import Explorer
from kitlib.figures import new_figure, steady_limits
from kitlib.style import COLORS, OKABE_ITO
from kitlib.tables import ib as tables
from kitlib.tables.ib import BETAS, BIN_GRID, N_NOISY, SIGMA_GRID
from kitlib.views._common import grid_slider, nearest_log_index, readout_box

__all__ = [
    "discrete_curve_explorer",
    "gaussian_explorer",
    "ib_vs_dib_explorer",
    "training_plane_explorer",
    "estimators_explorer",
    "preset",
    "discrete_curve",
    "dib_curve",
    "training_run",
    "training_plane",
    "noisy_plane",
    "PRESETS",
    "PRESET_NAMES",
    "BETAS",
    "BIN_GRID",
    "SIGMA_GRID",
    "EXPLORERS",
]

_IB = COLORS["model"]
_DIB = OKABE_ITO["vermilion"]
_MARK = OKABE_ITO["orange"]
_LOG_STEP = 0.02  # the β sliders step on the exponents of BETAS

#: Dropdown label of each preset joint table -> its name in :func:`kitlib.tables.ib.preset_joint`.
PRESET_NAMES = {
    "binary symmetric source, ε = 0.1": "bss",
    "straight first segment (rare x fixes y)": "straight",
    "Z channel (leaves before 1/ρ_m²)": "z_channel",
    "random 10 × 10 table": "random",
}
#: Preset joint tables p(x, y) (label -> table).
PRESETS = {label: tables.preset_joint(name) for label, name in PRESET_NAMES.items()}
_LABELS = list(PRESETS)


def preset(name: str) -> np.ndarray:
    """The joint table of a preset (a copy)."""
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {_LABELS}; got {name!r}")
    return PRESETS[name].copy()


def discrete_curve(name: str) -> ib.IBCurve:
    """The IB curve of the preset labelled ``name`` on :data:`BETAS` (table
    :func:`kitlib.tables.ib.discrete_curve`)."""
    preset(name)
    return ib.IBCurve(**tables.discrete_curve(preset=PRESET_NAMES[name]))


def dib_curve(name: str) -> ib.DIBCurve:
    """The deterministic IB curve of the preset labelled ``name`` on :data:`BETAS` (table
    :func:`kitlib.tables.ib.dib_curve`)."""
    preset(name)
    return ib.DIBCurve(**tables.dib_curve(preset=PRESET_NAMES[name]))


# --------------------------------------------------------------------------------------------
# 1. discrete IB curve
# --------------------------------------------------------------------------------------------
def discrete_curve_explorer() -> Explorer:
    """A β slider moving the optimal point along a discrete IB curve; encoder heat map."""
    curves = {label: discrete_curve(label) for label in _LABELS}
    marks = {}  # per preset: T columns ever used (> 1e-3), transitions and their I(X;T)
    for label, c in curves.items():
        live = np.flatnonzero(c.encoders.max(axis=(0, 1)) > 1e-3)
        tr = c.transitions()
        marks[label] = (max(int(live.max()) + 1, 1), tr,
                        np.interp(tr, BETAS, c.I_XT) if tr.size else np.empty(0))
    fig, (ax, ax_b, ax_q) = new_figure(1, 3, figsize=(11.5, 4.0), width_ratios=[1.2, 1.2, 1.0])
    (curve,) = ax.plot([], [], color=_IB, lw=2, label="optimal IB curve")
    (ixy,) = ax.plot([], [], color="0.5", ls="--", lw=1, label="I(X;Y)")
    (diag,) = ax.plot([0, 10], [0, 10], color="0.75", lw=0.8, ls=":", label="I(T;Y) = I(X;T)")
    (pt,) = ax.plot([], [], "o", color=COLORS["highlight"], mec="black", ms=9, label="current β")
    ax.set_xlabel("I(X;T) [nats]")
    ax.set_ylabel("I(T;Y) [nats]")
    ax.legend(loc="lower right", fontsize=8)
    (ix_b,) = ax_b.plot([], [], color=_IB, lw=2, label="I(X;T)")
    (iy_b,) = ax_b.plot([], [], color=OKABE_ITO["bluish_green"], lw=2, ls="-.", label="I(T;Y)")
    crit = ax_b.axvline(1.0, color=_MARK, lw=1.6, ls="--", label="1/ρ_m²")
    (trans,) = ax_b.plot([], [], "v", color="black", ms=6, ls="none", label="transitions")
    cur = ax_b.axvline(1.0, color=COLORS["highlight"], lw=1.2)
    ax_b.set_xscale("log")
    ax_b.minorticks_off()
    ax_b.set_xlim(BETAS[0], BETAS[-1])
    ax_b.set_xlabel("β")
    ax_b.legend(loc="upper left", fontsize=8)
    img = ax_q.imshow(np.zeros((10, 10)), cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto",
                      interpolation="nearest")
    fig.colorbar(img, ax=ax_q, shrink=0.8, label="p(t|x)")
    ax_q.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_q.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_q.set_xlabel("t (by p(t))")
    ax_q.set_ylabel("x")
    title_q = ax_q.set_title("", fontsize=9.5)
    readout = readout_box(ax, 0.03, 0.97)

    def compute(params):
        c = curves[params["preset"]]
        j = nearest_log_index(BETAS, params["beta"])
        n_cols, tr, tr_y = marks[params["preset"]]
        return {"c": c, "j": j, "beta": float(BETAS[j]), "q": c.encoders[j][:, :n_cols],
                "tr": tr, "tr_y": tr_y}

    def draw(d):
        c, j = d["c"], d["j"]
        curve.set_data(c.I_XT, c.I_TY)
        top_x = max(float(c.I_XT.max()), 1e-3) * 1.08
        ixy.set_data([0, top_x], [c.I_XY, c.I_XY])
        ax.set_xlim(0, top_x)
        ax.set_ylim(0, c.I_XY * 1.15 + 1e-3)
        pt.set_data([c.I_XT[j]], [c.I_TY[j]])
        ix_b.set_data(BETAS, c.I_XT)
        iy_b.set_data(BETAS, c.I_TY)
        ax_b.set_ylim(0, float(c.I_XT.max()) * 1.1 + 1e-3)
        bc = c.critical_beta if math.isfinite(c.critical_beta) else BETAS[-1]
        crit.set_xdata([bc, bc])
        trans.set_data(d["tr"], d["tr_y"])
        cur.set_xdata([d["beta"], d["beta"]])
        q = d["q"]
        img.set_data(q)
        img.set_extent((-0.5, q.shape[1] - 0.5, q.shape[0] - 0.5, -0.5))
        title_q.set_text(f"encoder p(t|x) at β = {d['beta']:.3g}")
        readout.set_text(f"β = {d['beta']:.3g}   1/ρ_m² = {c.critical_beta:.4g}\n"
                         f"I(X;T) = {c.I_XT[j]:.4f}\nI(T;Y) = {c.I_TY[j]:.4f}"
                         f" / I(X;Y) = {c.I_XY:.4f}\nclusters: {c.n_clusters[j]}")

    controls = {
        "preset": dropdown("joint p(x, y)", _LABELS, _LABELS[0]),
        "beta": log_slider("β", 2.0, -0.3, 2.0, _LOG_STEP),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="The discrete information bottleneck: slide β",
                    note="Below 1/ρ_m² (dashed) T says nothing; watch clusters split at the triangles. "
                         "The Z channel leaves the origin before 1/ρ_m²; the rare-symbol case jumps.")


# --------------------------------------------------------------------------------------------
# 2. Gaussian IB
# --------------------------------------------------------------------------------------------
_G_BETAS = np.geomspace(1.0, 1e3, 600)


def gaussian_explorer() -> Explorer:
    """The Gaussian IB curve (closed form) for three canonical correlations, with the curvature
    d²I(T;Y)/dI(X;T)² that jumps where a new direction opens (the slope 1/β never jumps)."""
    fig, (ax, ax_b, ax_c) = new_figure(1, 3, figsize=(12.5, 4.0), width_ratios=[1.15, 1.0, 1.0])
    (curve,) = ax.plot([], [], color=_IB, lw=2, label="Gaussian IB curve")
    (kinks,) = ax.plot([], [], "D", color=_MARK, mec="black", ms=6, ls="none",
                       label="new direction opens (β_i = 1/ρ_i²)")
    (ixy,) = ax.plot([], [], color="0.5", ls="--", lw=1, label="I(X;Y)")
    (tangent,) = ax.plot([], [], color="0.35", lw=1.1, ls=":", label="tangent, slope 1/β")
    (pt,) = ax.plot([], [], "o", color=COLORS["highlight"], mec="black", ms=9, label="current β")
    ax.set_xlabel("I(X;T) [nats]")
    ax.set_ylabel("I(T;Y) [nats]")
    ax.legend(loc="lower right", fontsize=7.5)
    (ix_b,) = ax_b.plot([], [], color=_IB, lw=2, label="I(X;T)")
    (iy_b,) = ax_b.plot([], [], color=OKABE_ITO["bluish_green"], lw=2, ls="-.", label="I(T;Y)")
    vlines = [ax_b.axvline(1.0, color=_MARK, lw=1.2, ls="--") for _ in range(3)]
    cur = ax_b.axvline(1.0, color=COLORS["highlight"], lw=1.2)
    ax_b.set_xscale("log")
    ax_b.minorticks_off()
    ax_b.set_xlim(_G_BETAS[0], _G_BETAS[-1])
    ax_b.set_xlabel("β")
    ax_b.legend(loc="upper left", fontsize=8)
    (curv,) = ax_c.plot([], [], color="black", lw=1.8, label="−d²I(T;Y)/dI(X;T)²")
    (n_act,) = ax_c.plot([], [], color=_MARK, lw=1.4, ls="--", drawstyle="steps-post",
                         label="active directions n(β) / 10")
    vlines_c = [ax_c.axvline(1.0, color=_MARK, lw=0.8, ls=":") for _ in range(3)]
    cur_c = ax_c.axvline(1.0, color=COLORS["highlight"], lw=1.2)
    ax_c.set_xscale("log")
    ax_c.minorticks_off()
    ax_c.set_xlim(_G_BETAS[0], _G_BETAS[-1])
    ax_c.set_ylim(0.0, 0.52)
    ax_c.set_xlabel("β")
    ax_c.set_title("curvature jumps, slope 1/β does not", fontsize=9.5)
    ax_c.legend(loc="upper right", fontsize=8)
    readout = readout_box(ax, 0.03, 0.97)

    def compute(params):
        rhos = [params["rho1"], params["rho2"], params["rho3"]]
        cov = ib.canonical_covariances(rhos)
        g = ib.gaussian_ib(*cov, _G_BETAS)
        _, c, n = ib.gaussian_ib_curvature(*cov, _G_BETAS)
        at = ib.gaussian_ib(*cov, [params["beta"]])
        _, c_at, _ = ib.gaussian_ib_curvature(*cov, [params["beta"]])
        kb = g.critical_betas[np.isfinite(g.critical_betas)]
        k = ib.gaussian_ib(*cov, kb) if kb.size else None
        return {"g": g, "at": at, "kb": kb, "k": k, "rhos": rhos, "beta": params["beta"],
                "curv": c, "n": n, "c_at": float(c_at[0])}

    def draw(d):
        g, at = d["g"], d["at"]
        curve.set_data(g.I_XT, g.I_TY)
        if d["k"] is not None:
            kinks.set_data(d["k"].I_XT, d["k"].I_TY)
        else:
            kinks.set_data([], [])
        _, top = steady_limits(ax, 0.0, float(g.I_XT.max()) * 1.05 + 1e-3, which="x")
        steady_limits(ax, 0.0, g.I_XY * 1.15 + 1e-3)
        ixy.set_data([0, top], [g.I_XY, g.I_XY])
        x0, y0, s = float(at.I_XT[0]), float(at.I_TY[0]), 1.0 / d["beta"]
        h = 0.12 * top
        tangent.set_data([max(x0 - h, 0.0), x0 + h], [y0 - s * min(h, x0), y0 + s * h])
        pt.set_data([x0], [y0])
        ix_b.set_data(_G_BETAS, g.I_XT)
        iy_b.set_data(_G_BETAS, g.I_TY)
        steady_limits(ax_b, 0.0, top)
        live = np.isfinite(d["curv"])
        curv.set_data(_G_BETAS[live], -d["curv"][live])
        n_act.set_data(_G_BETAS, d["n"] / 10.0)
        for line, lc, b in zip(vlines, vlines_c, g.critical_betas):
            xb = [b, b] if np.isfinite(b) else [_G_BETAS[-1]] * 2
            line.set_xdata(xb)
            lc.set_xdata(xb)
        cur.set_xdata([d["beta"], d["beta"]])
        cur_c.set_xdata([d["beta"], d["beta"]])
        crit = ", ".join(f"{b:.3g}" for b in g.critical_betas)
        c_txt = f"{d['c_at']:.3f}" if math.isfinite(d["c_at"]) else "— (still at 0)"
        readout.set_text(f"ρ = ({d['rhos'][0]:.2f}, {d['rhos'][1]:.2f}, {d['rhos'][2]:.2f})\n"
                         f"β_i = 1/ρ_i² = {crit}\nβ = {d['beta']:.3g}: {at.n_active[0]} active\n"
                         f"I(X;T) = {at.I_XT[0]:.3f}, I(T;Y) = {at.I_TY[0]:.3f}\n"
                         f"slope 1/β = {1 / d['beta']:.3f}, curvature {c_txt}")

    controls = {
        "rho1": slider("ρ₁", 0.9, 0.05, 0.95, 0.01),
        "rho2": slider("ρ₂", 0.6, 0.05, 0.95, 0.01),
        "rho3": slider("ρ₃", 0.3, 0.05, 0.95, 0.01),
        "beta": log_slider("β", 5.0, 0.0, 3.0, 0.02),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Gaussian information bottleneck (closed form)",
                    note="Each canonical direction switches on at β_i = 1/ρ_i². The curve stays smooth "
                         "there (slope 1/β is continuous); its curvature jumps down in size "
                         "(n/(n+1)): a new direction makes extra I(X;T) cheaper.")


# --------------------------------------------------------------------------------------------
# 3. IB versus deterministic IB
# --------------------------------------------------------------------------------------------
def ib_vs_dib_explorer() -> Explorer:
    """IB and deterministic IB in the (I(X;T), I(T;Y)) and (H(T), I(T;Y)) planes."""
    keys = [_LABELS[1], _LABELS[3]]
    curves = {k: (discrete_curve(k), dib_curve(k)) for k in keys}
    fig, axes = new_figure(1, 2, figsize=(10.5, 4.0))
    arts = []
    for ax, xl in zip(axes, ("I(X;T) [nats]", "H(T) [nats]")):
        (a_ib,) = ax.plot([], [], color=_IB, lw=2, label="IB (soft)")
        (a_dib,) = ax.plot([], [], "s-", color=_DIB, lw=1.2, ms=4, label="DIB (hard)")
        (p_ib,) = ax.plot([], [], "o", color=_IB, mec="black", ms=9)
        (p_dib,) = ax.plot([], [], "s", color=_DIB, mec="black", ms=9)
        ax.set_xlabel(xl)
        ax.set_ylabel("I(T;Y) [nats]")
        ax.legend(loc="lower right", fontsize=8)
        arts.append((a_ib, a_dib, p_ib, p_dib))
    readout = readout_box(axes[1], 0.03, 0.97)

    def compute(params):
        c, d = curves[params["preset"]]
        return {"c": c, "d": d, "j": nearest_log_index(BETAS, params["beta"])}

    def draw(dd):
        c, dib, j = dd["c"], dd["d"], dd["j"]
        xs = ((c.I_XT, dib.I_XT), (c.H_T, dib.H_T))
        for ax, (a_ib, a_dib, p_ib, p_dib), (x_ib, x_dib) in zip(axes, arts, xs):
            a_ib.set_data(x_ib, c.I_TY)
            a_dib.set_data(x_dib, dib.I_TY)
            p_ib.set_data([x_ib[j]], [c.I_TY[j]])
            p_dib.set_data([x_dib[j]], [dib.I_TY[j]])
            ax.set_xlim(0, max(float(x_ib.max()), float(x_dib.max())) * 1.05 + 1e-3)
            ax.set_ylim(0, c.I_XY * 1.12 + 1e-3)
        readout.set_text(f"β = {BETAS[j]:.3g}\nIB : H(T) = {c.H_T[j]:.3f}, I(T;Y) = {c.I_TY[j]:.3f}\n"
                         f"DIB: H(T) = {dib.H_T[j]:.3f}, I(T;Y) = {dib.I_TY[j]:.3f}\n"
                         f"DIB clusters: {dib.n_clusters[j]}")

    controls = {
        "preset": dropdown("joint p(x, y)", keys, keys[1]),
        "beta": log_slider("β", 5.0, -0.3, 2.0, _LOG_STEP),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="IB versus deterministic IB",
                    note="Left: IB is optimal in its own plane. Right: in the (H(T), I(T;Y)) plane the "
                         "hard clusters of DIB are cheaper — soft encoders pay H(T) for their noise.")


# --------------------------------------------------------------------------------------------
# 4. information plane of training
# --------------------------------------------------------------------------------------------
def training_run(activation: str) -> dict:
    """The recorded training run and its information planes for ``activation`` (table
    :func:`kitlib.tables.ib.training_plane`: epochs, accuracy, widths, binned and noisy planes)."""
    return tables.training_plane(activation=activation)


def training_plane(activation: str, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Binned (I(X;T), I(T;Y)) of every layer at every recorded epoch, arrays (layers, records),
    for a bin count of :data:`BIN_GRID` (tanh units binned on [−1, 1], ReLU units on [0, max over
    the run], as in Saxe et al.)."""
    if n_bins not in BIN_GRID:
        raise ValueError(f"n_bins must be one of {BIN_GRID}; got {n_bins!r}")
    t, k = training_run(activation), BIN_GRID.index(n_bins)
    return t["binned_I_XT"][k], t["binned_I_TY"][k]


def noisy_plane(activation: str, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Kolchinsky–Tracey (I(X;T), I(T;Y)) of T = layer + N(0, σ²I) on a fixed subset of
    256 patterns, every layer at every recorded epoch, arrays (layers, records), for a σ of
    :data:`SIGMA_GRID`."""
    if sigma not in SIGMA_GRID:
        raise ValueError(f"sigma must be one of {SIGMA_GRID}; got {sigma!r}")
    t, k = training_run(activation), SIGMA_GRID.index(sigma)
    return t["noisy_I_XT"][k], t["noisy_I_TY"][k]


def training_plane_explorer() -> Explorer:
    """Information plane of the training network: tanh versus ReLU, binned or noisy-layer
    estimates, with the bin count and the noise level as sliders."""
    runs = {a: training_run(a) for a in ("tanh", "relu")}
    rec0 = runs["tanh"]
    n_layers = rec0["widths"].size
    fig, (ax, ax_acc) = new_figure(1, 2, figsize=(10.5, 4.2), width_ratios=[1.7, 1.0])
    colors = [OKABE_ITO[k] for k in ("blue", "sky_blue", "bluish_green", "orange", "vermilion",
                                     "reddish_purple")]
    styles = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2))]
    lines = [ax.plot([], [], ls=styles[k % len(styles)], color=colors[k], lw=1.2, alpha=0.75,
                     label=f"layer {k + 1} (width {rec0['widths'][k]})")[0] for k in range(n_layers)]
    ends = ax.plot([], [], "o", color="black", ms=4, ls="none", label="final epoch")[0]
    n_rec = rec0["epochs"].size
    pts = ax.scatter(np.zeros(n_layers * n_rec), np.zeros(n_layers * n_rec),
                     c=np.tile(rec0["epochs"], n_layers), cmap="viridis", s=10, zorder=3)
    fig.colorbar(pts, ax=ax, label="epoch", shrink=0.85)
    cap = ax.axvline(math.log(4096), color="0.6", lw=0.8, ls=":")
    xlabel = ax.set_xlabel("")
    ax.set_ylabel("I(T;Y) estimate [nats]")
    ax.set_ylim(-0.02, math.log(2) * 1.08)
    ax.legend(loc="lower right", fontsize=7.5)
    (acc,) = ax_acc.plot([], [], color="black", lw=1.5)
    ax_acc.set_xlim(0, rec0["epochs"][-1])
    ax_acc.set_ylim(0.4, 1.0)
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("training accuracy")
    readout = readout_box(ax_acc, 0.96, 0.05, ha="right", fontsize=8.5, va="bottom")

    def compute(params):
        k_bins = nearest_log_index(BIN_GRID, params["bins"])
        k_sigma = nearest_log_index(SIGMA_GRID, params["sigma"])
        act, est = params["activation"], params["estimator"]
        rec = runs[act]
        if est == "binning":
            k, key = k_bins, "binned"
        else:
            k, key = k_sigma, "noisy"
        return {"ix": rec[f"{key}_I_XT"][k], "iy": rec[f"{key}_I_TY"][k],
                "drop": rec[f"{key}_drop"][k], "rec": rec, "bins": BIN_GRID[k_bins],
                "sigma": SIGMA_GRID[k_sigma], "act": act, "est": est}

    def draw(d):
        ix, iy, rec = d["ix"], d["iy"], d["rec"]
        for k, line in enumerate(lines):
            line.set_data(ix[k], iy[k])
        ends.set_data(ix[:, -1], iy[:, -1])
        pts.set_offsets(np.c_[ix.ravel(), iy.ravel()])
        acc.set_data(rec["epochs"], rec["train_accuracy"])
        top = math.log(4096) if d["est"] == "binning" else math.log(N_NOISY)
        cap.set_xdata([top, top])
        ax.set_xlim(-0.2, top + 0.3)
        xlabel.set_text("binned I(X;T) = H(binned T) [nats]" if d["est"] == "binning" else
                        f"I(X;T) of T + N(0, σ²I), KT upper bound [nats] ({N_NOISY} patterns)")
        on = ("*", " ") if d["est"] == "binning" else (" ", "*")
        readout.set_text(f"{d['act']}; final accuracy {rec['train_accuracy'][-1]:.3f}\n"
                         f"{on[0]} binning: {d['bins']} bins per unit\n"
                         f"{on[1]} noise: σ = {d['sigma']:g}\n"
                         "I(X;T) drop from peak, layers 1–6:\n" + " ".join(f"{v:.2f}" for v in d["drop"]))

    controls = {
        "activation": dropdown("activation", ["tanh", "relu"], "tanh"),
        "estimator": dropdown("estimator", [("binning", "binning"), ("noisy layer (KT)", "noise")],
                              "binning"),
        "bins": grid_slider("bins per unit", BIN_GRID, 30),
        "sigma": grid_slider("noise σ", SIGMA_GRID, 0.1),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Information plane of a training network",
                    note="Does tanh 'compress' (points moving left late in training)? Try ReLU, then move "
                         "the bin count or the noise: the picture is set by the estimator.")


# --------------------------------------------------------------------------------------------
# 5. estimators on Gaussians with known MI
# --------------------------------------------------------------------------------------------
_EST_NAMES = ("truth", "binned", "KSG k=3", "CS-QMI")


def estimators_explorer() -> Explorer:
    """Binned, KSG and Cauchy–Schwarz estimates against the exact MI of a bivariate Gaussian."""
    fig, (ax_s, ax) = new_figure(1, 2, figsize=(10.0, 4.0), width_ratios=[1.0, 1.2])
    sc = ax_s.scatter(np.zeros(10), np.zeros(10), s=4, color=_IB, alpha=0.5)
    ax_s.set_xlim(-4, 4)
    ax_s.set_ylim(-4, 4)
    ax_s.set_xlabel("x")
    ax_s.set_ylabel("y")
    colors = ["black", _MARK, _IB, OKABE_ITO["reddish_purple"]]
    bars = ax.bar(range(4), np.zeros(4), color=colors)
    ax.set_xticks(range(4), _EST_NAMES)
    ax.set_ylabel("estimate [nats]")
    ax.set_ylim(0, 2.2)
    readout = readout_box(ax, 0.97, 0.97, ha="right")

    def compute(params):
        rho, n, bins = float(params["rho"]), int(params["n"]), int(params["bins"])
        t = tables.estimator_comparison(rho=rho, n=n, bins=bins, seed=int(params["seed"]))
        est = [t["truth"], t["binned"], t["ksg"], t["cs_qmi"]]
        return {"x": t["x"], "y": t["y"], "est": est, "rho": rho, "n": n, "bins": bins}

    def draw(d):
        sc.set_offsets(np.c_[d["x"], d["y"]])
        for b, v in zip(bars, d["est"]):
            b.set_height(v)
        ax_s.set_title(f"ρ = {d['rho']:.2f}, N = {d['n']}", fontsize=10)
        readout.set_text("\n".join(f"{k:9s} {v:.3f}" for k, v in zip(_EST_NAMES, d["est"]))
                         + f"\nbins = {d['bins']}")

    controls = {
        "rho": slider("correlation ρ", 0.5, 0.0, 0.95, 0.01),
        "n": dropdown("samples N", [200, 1000, 4000], 1000),
        "bins": int_slider("bins per axis", 30, 2, 100),
        "seed": int_slider("seed", 0, 0, 4),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Mutual-information estimators on a Gaussian with known MI",
                    note="Truth is −½ log(1 − ρ²). Binning's bias grows with bins²/N; KSG stays close; "
                         "CS-QMI measures something else (ordered the same way, not the same number).")


EXPLORERS = {
    "ib.discrete_curve": discrete_curve_explorer,
    "ib.gaussian": gaussian_explorer,
    "ib.ib_vs_dib": ib_vs_dib_explorer,
    "ib.training_plane": training_plane_explorer,
    "ib.estimators": estimators_explorer,
}
