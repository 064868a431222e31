"""Explorers of notebook 04: RLHF reward–KL frontiers.

Every explorer follows the kit's pattern (``kitlib.explore``): the figure and its artists are built
once, ``compute`` indexes the tables of :mod:`kitlib.tables.rlhf` (curves along β, best-of-N
curves, matched-pass@1 rows, torch training runs, the memoryless model at 10⁵ tokens: shipped on
disk, computed once otherwise) and calls ``kitlib.rlhf`` only for the one policy under the slider;
``draw`` only updates artists.
"""

from __future__ import annotations

import numpy as np

from kitlib import rlhf
from kitlib.controls import checkbox, dropdown, log_slider, slider
from kitlib.explore import Explorer
from kitlib.figures import new_figure, steady_limits
from kitlib.style import COLORS, OKABE_ITO
from kitlib.tables import rlhf as tables
from kitlib.tables.rlhf import (BON_NS, DIV_KINDS, DIV_TARGETS, DPO_PAIRS, GH_CS, GH_NS, M_LM,
                                MEM_DELTAS, MEM_NS, MEM_Q, N_PROMPTS, PASS_KS, TRAIN_BETAS)
from kitlib.views._common import nearest_index, nearest_log_index, readout_box

__all__ = ["frontier_explorer", "best_of_n_explorer", "f_divergence_explorer", "diversity_explorer",
           "training_explorer", "goodhart_explorer", "memoryless_explorer", "EXPLORERS"]

_REV = COLORS["reverse_kl"]
_FWD = COLORS["forward_kl"]
_REF = COLORS["target"]
_BON = COLORS["model"]
_GREEN = OKABE_ITO["bluish_green"]

def _lim(ax, x, y, *, x0=None, y0=None, pad=0.05):
    """Limits that show the points ``(x, y)`` with ``pad`` of their span around them, kept
    while the data still fit and fill half of them (a slider step then redraws only the
    data: see :func:`kitlib.figures.steady_limits`)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    xl = (x0 if x0 is not None else x.min(), x.max())
    yl = (y0 if y0 is not None else y.min(), y.max())
    dx = max(xl[1] - xl[0], 1e-9) * pad
    dy = max(yl[1] - yl[0], 1e-9) * pad
    steady_limits(ax, xl[0] - dx, xl[1] + dx, which="x", nice=False)
    steady_limits(ax, yl[0] - dy, yl[1] + dy, nice=False)


# --------------------------------------------------------------------------------------------
# 1. the exact frontier
# --------------------------------------------------------------------------------------------
def frontier_explorer() -> Explorer:
    """The exact reward–KL frontier with a β slider; the optimal policy π_β against π_ref."""
    fig, (ax, ax_p) = new_figure(1, 2, figsize=(9.8, 4.2))
    (curve,) = ax.plot([], [], color=_REV, lw=2, label=r"frontier $(\mathrm{KL}(\pi_\beta\|\pi_{ref}), R)$")
    (tangent,) = ax.plot([], [], color="0.4", lw=1.2, ls="--", label=r"slope $dR/d\mathrm{KL}=\beta$")
    (pt,) = ax.plot([], [], "o", color=_REV, mec="black", ms=9)
    ax.set_xlabel(r"KL$(\pi\,\|\,\pi_{ref})$ (nats)")
    ax.set_ylabel(r"expected reward $E_\pi r$")
    ax.legend(loc="lower right", fontsize=8.5)
    info = readout_box(ax, 0.03, 0.97)
    (ref_line,) = ax_p.plot([], [], color=_REF, lw=1.3, ls="--", label=r"$\pi_{ref}$")
    (pol_line,) = ax_p.plot([], [], color=_REV, lw=1.6, label=r"$\pi_\beta$")
    ax_p.set_yscale("log")
    ax_p.minorticks_off()
    ax_p.set_ylim(1e-10, 1.5)
    ax_p.set_xlabel("responses, sorted by reward")
    ax_p.set_ylabel("probability")
    ax_p.legend(loc="lower left", fontsize=8.5)
    ax_p.set_xlim(0, M_LM - 1)

    def compute(params):
        toy = tables.lm_toy(peakedness=float(params["peakedness"]), reward=params["reward"])
        p, r = toy["p_ref"], toy["rewards"]
        beta = params["beta"]
        order = np.argsort(r, kind="stable")
        pi = rlhf.tilt(p, r, beta)
        fb = rlhf.frontier(p, r, [beta])
        return {"f": toy, "beta": beta, "R": float(fb.reward[0]), "KL": float(fb.kl[0]),
                "ref": p[order], "pi": pi[order], "r0": float(p @ r), "rmax": float(r.max())}

    def draw(d):
        f = d["f"]
        curve.set_data(f["kl"], f["reward"])
        pt.set_data([d["KL"]], [d["R"]])
        h = 0.15 * max(float(f["kl"].max()), 1e-3)
        tangent.set_data([d["KL"] - h, d["KL"] + h], [d["R"] - d["beta"] * h, d["R"] + d["beta"] * h])
        _lim(ax, f["kl"], np.r_[f["reward"], d["r0"]], x0=0.0)
        ref_line.set_data(np.arange(M_LM), np.maximum(d["ref"], 1e-300))
        pol_line.set_data(np.arange(M_LM), np.maximum(d["pi"], 1e-300))
        info.set_text(f"β  = {d['beta']:.3g}\nR  = {d['R']:.4f}\nKL = {d['KL']:.4f}\n"
                      f"E_ref r = {d['r0']:.3f}\nmax r   = {d['rmax']:.3f}")

    controls = {
        "beta": log_slider("β (KL weight)", 1.0, -2.0, 1.5, 0.05),
        "peakedness": slider("π_ref peakedness s", 1.0, 0.0, 3.0, 0.25),
        "reward": dropdown("rewards", [("Gaussian", "gaussian"), ("5 levels (ties)", "levels")],
                           "gaussian"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="The exact reward–KL frontier: π_β ∝ π_ref·exp(r/β)",
                    note="Small β: all mass on the best responses, KL → −log π_ref(argmax). "
                         "Large β: π_β → π_ref. The frontier's slope at every point is β.")


# --------------------------------------------------------------------------------------------
# 2. best-of-N
# --------------------------------------------------------------------------------------------
def best_of_n_explorer() -> Explorer:
    """Best-of-N points with exact KL beside log N − (N−1)/N; N slider and a ties toggle."""
    fig, (ax, ax_k) = new_figure(1, 2, figsize=(9.8, 4.2))
    (fr,) = ax.plot([], [], color=_REV, lw=2, label="exact frontier (tilt)")
    (bon,) = ax.plot([], [], "o-", color=_BON, ms=3, lw=1.2, label="best-of-N, exact KL")
    (bnd,) = ax.plot([], [], color=_BON, lw=1.2, ls="--", label="best-of-N at log N − (N−1)/N")
    (pt,) = ax.plot([], [], "o", color=_BON, mec="black", ms=10)
    (pt_b,) = ax.plot([], [], "o", mfc="white", mec=_BON, ms=10, mew=2)
    ax.set_xlabel(r"KL$(\pi\,\|\,\pi_{ref})$")
    ax.set_ylabel(r"$E_\pi r$")
    ax.legend(loc="lower right", fontsize=8.5)
    (kl_ex,) = ax_k.plot(BON_NS, np.zeros_like(BON_NS), color=_BON, lw=2, label="exact KL")
    ax_k.plot(BON_NS, rlhf.bon_kl_bound(BON_NS), color=_BON, lw=1.3, ls="--",
              label="log N − (N−1)/N")
    (kmax,) = ax_k.plot([], [], color="0.5", lw=1.0, ls=":", label=r"$-\log\pi_{ref}(\mathrm{argmax})$")
    (pt_k,) = ax_k.plot([], [], "o", color=_BON, mec="black", ms=9)
    ax_k.set_xscale("log")
    ax_k.minorticks_off()
    ax_k.set_xlabel("N")
    ax_k.set_ylabel("KL (nats)")
    ax_k.set_xlim(0.8, 1.25e4)
    ax_k.legend(loc="upper left", fontsize=8.5)
    info = readout_box(ax, 0.97, 0.62, ha="right")

    def compute(params):
        ties = "identity" if params["ties_by_identity"] else "draw_order"
        f = tables.lm_toy(peakedness=1.0, reward=params["reward"])
        p, r = f["p_ref"], f["rewards"]
        curve = tables.best_of_n_curves()[f"{params['reward']}-{ties}"]
        n = float(round(params["N"]))
        b = rlhf.best_of_n(p, r, n, ties=ties)
        kmax_v = float(-np.log(p[r == r.max()].sum()))
        return {"f": f, "curve": curve, "n": n, "b": b, "kmax": kmax_v,
                "win": rlhf.win_rate(b.policy, p, r)}

    def draw(d):
        f, c, b = d["f"], d["curve"], d["b"]
        fr.set_data(f["kl"], f["reward"])
        bon.set_data(c["kl"], c["reward"])
        bnd.set_data(rlhf.bon_kl_bound(BON_NS), c["reward"])
        pt.set_data([b.kl], [b.reward])
        pt_b.set_data([b.kl_bound], [b.reward])
        ax.set_xlim(-0.2, 1.05 * float(rlhf.bon_kl_bound(BON_NS[-1])))
        ax.set_ylim(float(f["reward"].min()) - 0.05, float(f["reward"].max()) + 0.1)
        kl_ex.set_ydata(c["kl"])
        kmax.set_data([0.8, 1.25e4], [d["kmax"], d["kmax"]])
        pt_k.set_data([d["n"]], [b.kl])
        ax_k.set_ylim(-0.2, 1.05 * max(float(rlhf.bon_kl_bound(BON_NS[-1])), d["kmax"]))
        rule = "item identity" if b.ties == "identity" else "draw order"
        info.set_text(f"N = {d['n']:,.0f}, ties by {rule}\nexact KL = {b.kl:.4f}\n"
                      f"bound    = {b.kl_bound:.4f}\nE r = {b.reward:.4f}\n"
                      f"win rate = {d['win']:.4f} ≤ N/(N+1) = {d['n'] / (d['n'] + 1):.4f}")

    controls = {
        "N": log_slider("N (samples)", 16.0, 0.0, 4.0, 0.1, readout_format=",.0f"),
        "ties_by_identity": checkbox("break ties by item identity (not draw order)", False),
        "reward": dropdown("rewards", [("5 levels (ties)", "levels"), ("Gaussian", "gaussian")],
                           "levels"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Best-of-N: exact KL versus the popular log N − (N−1)/N",
                    note="With discrete rewards the formula overstates the KL: exact points sit left "
                         "of the dashed curve, and the KL saturates at −log π_ref(argmax set).")


# --------------------------------------------------------------------------------------------
# 3. f-regularised optima
# --------------------------------------------------------------------------------------------
#: the regulariser menu (canonical names of kitlib.divergences; Σ(π − π_ref)²/π_ref is
#: "neyman_chi2" in the registry's (target = π_ref, model = π) convention)
F_OPTIONS = [("α-divergence (slider)", "alpha"), ("reverse KL", "reverse_kl"),
             ("forward KL", "forward_kl"), ("Jensen–Shannon", "js"), ("χ²(π‖π_ref)", "neyman_chi2"),
             ("total variation", "tv")]
_F_LABEL = {v: k for k, v in F_OPTIONS}


def f_divergence_explorer() -> Explorer:
    """f-regularised optima: in reverse-KL coordinates and in their own."""
    curves = tables.f_curves()
    tf = curves["toy"]
    p, r = tf["p_ref"], tf["rewards"]
    fig, (ax, ax_o) = new_figure(1, 2, figsize=(9.8, 4.2))
    ax.plot(tf["kl"], tf["reward"], color=_REV, lw=2, label="reverse-KL frontier (tilt)")
    (fc,) = ax.plot([], [], color=_FWD, lw=2, ls="--", label="f-optimum")
    (pt,) = ax.plot([], [], "o", color=_FWD, mec="black", ms=9)
    ax.set_xlabel(r"KL$(\pi\,\|\,\pi_{ref})$")
    ax.set_ylabel(r"$E_\pi r$")
    ax.legend(loc="lower right", fontsize=8.5)
    _lim(ax, tf["kl"], tf["reward"], x0=0.0)
    (oc,) = ax_o.plot([], [], color=_FWD, lw=2, ls="--")
    (opt,) = ax_o.plot([], [], "o", color=_FWD, mec="black", ms=9)
    ax_o.set_ylabel(r"$E_\pi r$")
    xlabel = ax_o.set_xlabel("")
    info = readout_box(ax_o, 0.97, 0.05, ha="right", va="bottom")

    def compute(params):
        div = params["divergence"]
        alpha = round(params["alpha"], 4) if div == "alpha" else None
        key = tables.f_curve_key(div, alpha=alpha)
        c = curves[key] if key in curves else tables.f_curve(div, alpha=alpha)
        beta = params["beta"]
        pi = rlhf.f_regularized_policy(p, r, beta, div, alpha=alpha)
        return {"c": c, "div": div, "alpha": params["alpha"], "beta": beta, "R": float(pi @ r),
                "KL": rlhf.kl_to_ref(pi, p), "D": rlhf.f_divergence_value(pi, p, div, alpha=alpha),
                "H": rlhf.entropy(pi), "cov": rlhf.coverage(pi, p, c=0.1), "alive": int((pi > 0).sum())}

    def draw(d):
        c = d["c"]
        fc.set_data(c["KL"], c["R"])
        pt.set_data([d["KL"]], [d["R"]])
        oc.set_data(c["D"], c["R"])
        opt.set_data([d["D"]], [d["R"]])
        _lim(ax_o, c["D"], c["R"], x0=0.0)
        name = _F_LABEL[d["div"]]
        xlabel.set_text(f"own divergence: {name}")  # α is in the readout
        fc.set_label(name)
        info.set_text(f"β = {d['beta']:.3g}   α = {d['alpha']:.2f}\nE r = {d['R']:.4f}\n"
                      f"KL(π‖ref) = {d['KL']:.4f}\nD_f = {d['D']:.4f}\nH(π) = {d['H']:.3f}\n"
                      f"coverage = {d['cov']:.3f}\nresponses alive {d['alive']}/{tables.F_M}")

    controls = {
        "divergence": dropdown("regulariser D_f(π‖π_ref)", F_OPTIONS, "alpha"),
        "alpha": slider("α (f-DPO / Minka, p = π_ref)", 0.5, 0.05, 0.95, 0.05),
        "beta": log_slider("β", 0.5, -1.5, 1.0, 0.05),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Other regularisers: the exact optimum of E r − β·D_f(π‖π_ref)",
                    note="In reverse-KL coordinates every other optimum lies below the tilt's curve; "
                         "α → 0 recovers reverse KL, α → 1 forward KL. χ² and TV drop responses.")


# --------------------------------------------------------------------------------------------
# 4. diversity and pass@k at matched reward
# --------------------------------------------------------------------------------------------
_DIV_STYLE = {"ref": (_REF, "o", ":", r"$\pi_{ref}$"), "reverse_kl": (_REV, "s", "-", "reverse KL"),
              "forward_kl": (_FWD, "^", "--", "forward KL"),
              "js": (COLORS["js"], "D", "-.", "Jensen–Shannon")}


def diversity_explorer() -> Explorer:
    """pass@k over 300 prompts at exactly matched pass@1: reverse KL, forward KL and JS."""
    rows = tables.diversity()
    fig, (ax, ax_p) = new_figure(1, 2, figsize=(9.8, 4.2))
    lines = {}
    for key, (col, mk, ls, lab) in _DIV_STYLE.items():
        (lines[key],) = ax.plot(PASS_KS, np.zeros(PASS_KS.size), marker=mk, ls=ls, color=col, ms=5,
                                lw=1.6, label=lab)
    ax.set_xscale("log", base=2)
    ax.minorticks_off()
    ax.set_xticks(PASS_KS, [str(k) for k in PASS_KS])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("k")
    ax.set_ylabel("pass@k (mean over prompts)")
    ax.legend(loc="upper left", fontsize=8.5)
    info = readout_box(ax, 0.98, 0.03, ha="right", va="bottom", fontsize=8.0)
    xs = np.arange(N_PROMPTS)
    scat = {}
    for key, (col, mk, _, lab) in _DIV_STYLE.items():
        (scat[key],) = ax_p.plot(xs, np.zeros(N_PROMPTS), mk, color=col, ms=2.5, ls="none",
                                 mfc="none" if key in ("forward_kl", "ref") else col, label=lab)
    ax_p.set_xlim(-3, N_PROMPTS + 2)
    ax_p.set_ylim(-0.02, 1.02)
    ax_p.set_xlabel("prompts, hardest (under π_ref) first")
    ax_p.set_ylabel("p(correct) per prompt")
    ax_p.legend(loc="upper left", fontsize=8, markerscale=2.5)

    def compute(params):
        noise = float(params["proxy_noise"])
        target = float(DIV_TARGETS[nearest_index(DIV_TARGETS, params["pass1"])])
        ref = rows[tables.diversity_key(noise)]
        out = {"noise": noise, "target": target, "order": np.argsort(ref["pc"], kind="stable"),
               "ref": ref}
        for div in DIV_KINDS:
            out[div] = rows[tables.diversity_key(noise, target=target, divergence=div)]
        return out

    def draw(d):
        for key in _DIV_STYLE:
            lines[key].set_ydata(d[key]["passk"])
            scat[key].set_ydata(d[key]["pc"][d["order"]])
        rv, fw, js = d["reverse_kl"], d["forward_kl"], d["js"]
        rows = [("β", "beta", "7.3f"), ("pass@1", None, "7.3f"), ("pass@64", None, "7.3f"),
                ("entropy", "H", "7.3f"), ("distinct@8", "dist", "7.2f")]
        text = [f"noise σ = {d['noise']:.1f}, matched pass@1 = {d['target']:.2f}",
                "           reverse forward    JS"]
        for lab, key, fmt in rows:
            if key is None:
                i = 0 if lab == "pass@1" else -1
                vals = [x["passk"][i] for x in (rv, fw, js)]
            else:
                vals = [x[key] for x in (rv, fw, js)]
            text.append(f"{lab:10s} " + " ".join(format(v, fmt) for v in vals))
        info.set_text("\n".join(text))

    controls = {
        "pass1": slider("matched pass@1", 0.5, float(DIV_TARGETS[0]), float(DIV_TARGETS[-1]), 0.05),
        "proxy_noise": dropdown("proxy reward noise σ", [("none (true reward)", 0.0), ("σ = 0.5", 0.5),
                                                         ("σ = 1", 1.0)], 0.0),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Diversity at exactly matched pass@1: pass@k over 300 prompts",
                    note="Each regulariser's β is root-found so that mean pass@1 equals the target. "
                         "With the true reward, forward KL and JS lift hard prompts (the exact optimum "
                         "knows rewards π_ref almost never samples); with proxy noise the gap shrinks "
                         "or reverses. JS usually lands between the two KLs.")


# --------------------------------------------------------------------------------------------
# 5. training points (torch, precomputed)
# --------------------------------------------------------------------------------------------
def training_explorer() -> Explorer:
    """Where training lands: k1-in-reward on the frontier, k3-as-loss on the forward-KL curve,
    DPO approaching the tilt as the number of preference pairs grows (precomputed)."""
    pre = tables.training()
    fig, ax = new_figure(figsize=(8.6, 4.6))
    ax.plot(pre["f_kl"], pre["f_reward"], color=_REV, lw=2, label="reverse-KL frontier (tilt)")
    ax.plot(pre["fwd_kl"], pre["fwd_R"], color=_FWD, lw=2, ls="--",
            label="forward-KL optima (in reverse-KL coordinates)")
    ax.plot(pre["theory"][:, 0], pre["theory"][:, 1], "o", color=_REV, ms=5, mfc="white")
    ax.plot(pre["van_kl"], pre["van_R"], color="0.55", lw=1.2, ls=":",
            label="softmax policy gradient path (natural PG follows the frontier)")
    ax.plot(pre["k1"][:, 0], pre["k1"][:, 1], "s", color=_BON, ms=6, label="REINFORCE, k1 in reward")
    ax.plot(pre["k3"][:, 0], pre["k3"][:, 1], "^", color=_FWD, ms=7, label="REINFORCE, k3 as loss")
    (dpo,) = ax.plot([], [], "D", color=_GREEN, ms=6, label="DPO")
    (cur,) = ax.plot([], [], "o", mfc="none", mec="black", ms=18, mew=1.5)
    ax.set_xlabel(r"KL$(\pi\,\|\,\pi_{ref})$")
    ax.set_ylabel(r"$E_\pi r$")
    allx = np.r_[pre["f_kl"], pre["dpo"][..., 0].ravel(), pre["van_kl"]]
    ally = np.r_[pre["f_reward"], pre["dpo"][..., 1].ravel(), pre["van_R"]]
    _lim(ax, allx, ally, x0=0.0)
    ax.legend(loc="lower right", fontsize=8.5)
    info = readout_box(ax, 0.03, 0.97)

    def compute(params):
        j = nearest_log_index(TRAIN_BETAS, params["beta"])
        i = nearest_log_index(DPO_PAIRS, params["pairs"])
        return {"i": i, "j": j}

    def draw(d):
        i, j = d["i"], d["j"]
        dpo.set_data(pre["dpo"][i, :, 0], pre["dpo"][i, :, 1])
        cur.set_data([pre["theory"][j, 0]], [pre["theory"][j, 1]])
        th, k1, k3, dp = pre["theory"][j], pre["k1"][j], pre["k3"][j], pre["dpo"][i, j]
        info.set_text(f"β = {TRAIN_BETAS[j]:g}, DPO pairs = {DPO_PAIRS[i]:,}\n"
                      f"           KL      E r\n"
                      f"tilt   {th[0]:7.3f} {th[1]:7.3f}\nk1/rew {k1[0]:7.3f} {k1[1]:7.3f}\n"
                      f"k3/loss{k3[0]:7.3f} {k3[1]:7.3f}\nDPO    {dp[0]:7.3f} {dp[1]:7.3f}")

    controls = {
        "beta": log_slider("β", 1.0, np.log10(0.25), np.log10(4.0), np.log10(2.0)),
        "pairs": log_slider("DPO preference pairs", float(DPO_PAIRS[2]), 1.5, 4.5, 0.5,
                            readout_format=",.0f"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Where does training land?",
                    note="Squares (k1 inside the reward) sit on the frontier; triangles (k3 as a loss, "
                         "GRPO style) on the forward-KL curve; DPO diamonds approach the circles as "
                         "pairs grow.")


# --------------------------------------------------------------------------------------------
# 6. Goodhart: proxy versus gold
# --------------------------------------------------------------------------------------------
def goodhart_explorer() -> Explorer:
    """Proxy keeps rising while gold turns down; best-of-N beats the proxy-optimal tilt on gold."""
    table = tables.goodhart()
    fig, ax = new_figure(figsize=(8.6, 4.6))
    (tp,) = ax.plot([], [], color=_REV, lw=1.4, ls="--", label="tilt on proxy: proxy gain")
    (tg,) = ax.plot([], [], color=_REV, lw=2.2, label="tilt on proxy: gold gain")
    (bp,) = ax.plot([], [], color=_BON, lw=1.4, ls="--", marker="o", ms=4, markevery=6,
                     label="best-of-N: proxy gain")
    (bg,) = ax.plot([], [], color=_BON, lw=2.2, marker="o", ms=4, markevery=6,
                     label="best-of-N: gold gain")
    (gao,) = ax.plot([], [], color=_GREEN, lw=1.3, ls=":", label="Gao et al. fit d(a − b·d), d = √KL")
    (pg,) = ax.plot([], [], "o", color=_BON, mec="black", ms=9)
    (pp,) = ax.plot([], [], "o", color=_BON, mfc="white", ms=9)
    (peak,) = ax.plot([], [], "*", color=_REV, mec="black", ms=14)
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlim(0, 12)
    ax.set_ylim(-2.0, 6.0)
    ax.set_xlabel(r"KL$(\pi\,\|\,\pi_{ref})$")
    ax.set_ylabel("gain over π_ref")
    ax.legend(loc="upper left", fontsize=8.5)
    info = readout_box(ax, 0.97, 0.03, ha="right", va="bottom")

    def compute(params):
        c = float(GH_CS[nearest_index(GH_CS, params["c"])])
        g = table[tables.goodhart_key(c)]
        k = nearest_log_index(GH_NS, params["N"])
        lam = rlhf.goodhart_lambda_star(c)
        pk = rlhf.goodhart_tilt(lam, c)
        kl = float(g["bon_kl"][k])
        return {"g": g, "k": k, "c": c, "lam": lam, "peak": (float(pk["kl"]), float(pk["gold"])),
                "tilt_gold": float(np.interp(kl, g["tilt_kl"], g["tilt_gold"]))}

    def draw(d):
        g, k = d["g"], d["k"]
        tp.set_data(g["tilt_kl"], g["tilt_proxy"])
        tg.set_data(g["tilt_kl"], g["tilt_gold"])
        bp.set_data(g["bon_kl"], g["bon_proxy"])
        bg.set_data(g["bon_kl"], g["bon_gold"])
        gao.set_data(g["bon_kl"], g["gao"])
        pg.set_data([g["bon_kl"][k]], [g["bon_gold"][k]])
        pp.set_data([g["bon_kl"][k]], [g["bon_proxy"][k]])
        peak.set_data([d["peak"][0]], [d["peak"][1]])
        info.set_text(f"c = {d['c']:.2f}: λ* = 1 − √c = {d['lam']:.3f}\n"
                      f"tilt gold peak (star) {d['peak'][1]:+.3f}\n"
                      f"N = {GH_NS[k]:,.0f}, KL = {g['bon_kl'][k]:.3f}\n"
                      f"gold: BoN {g['bon_gold'][k]:+.3f}, tilt {d['tilt_gold']:+.3f}\n"
                      f"proxy: BoN {g['bon_proxy'][k]:+.3f}\n"
                      f"Gao fit a = {g['gao_a']:.3f}, b = {g['gao_b']:.3f}")

    controls = {
        "c": slider("exploit cost c (gold = r* − c·h)", 0.25, 0.05, 0.6, 0.05),
        "N": log_slider("best-of-N: N", 100.0, 0.0, 5.0, 0.1, readout_format=",.0f"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Goodhart: optimise a proxy, watch the gold reward",
                    note="Proxy = r* + h with an exploitable feature h ~ Exp(1); gold = r* − c·h. "
                         "The proxy keeps rising, gold peaks (star: λ* = 1 − √c) and turns down.")


# --------------------------------------------------------------------------------------------
# 7. the memoryless token model
# --------------------------------------------------------------------------------------------
def memoryless_explorer() -> Explorer:
    """Memoryless tokens: best-of-N with N = e^{nΔ} approaches the tilt as length n grows."""
    pre = tables.memoryless()
    fig, (ax, ax_k) = new_figure(1, 2, figsize=(9.8, 4.2))
    (bon,) = ax.plot(MEM_NS, np.zeros(MEM_NS.size), "o-", color=_BON, ms=4, lw=1.5,
                     label="best-of-N, reward per token")
    (xs,) = ax.plot([1, 1e5], [0, 0], color=_REV, lw=1.5, ls="--", label="tilt: x* with kl(x*‖q) = Δ")
    (pt,) = ax.plot([], [], "o", color=_BON, mec="black", ms=10)
    ax.axhline(MEM_Q, color="0.6", lw=0.8, ls=":", label="π_ref: q")
    ax.set_xscale("log")
    ax.minorticks_off()
    ax.set_ylim(0.25, 1.02)
    ax.set_xlabel("sequence length n")
    ax.set_ylabel("reward per token")
    ax.legend(loc="lower right", fontsize=8.5)
    (klt,) = ax_k.plot(MEM_NS, np.ones(MEM_NS.size), "o-", color=_GREEN, ms=4, lw=1.5,
                       label="KL(BoN‖tilt) / n")
    (pt_k,) = ax_k.plot([], [], "o", color=_GREEN, mec="black", ms=10)
    ax_k.set_xscale("log")
    ax_k.set_yscale("log")
    ax_k.minorticks_off()
    ax_k.set_ylim(1e-6, 1.0)
    ax_k.set_xlabel("sequence length n")
    ax_k.set_ylabel("nats per token")
    ax_k.legend(loc="upper right", fontsize=8.5)
    info = readout_box(ax_k, 0.03, 0.04, va="bottom")

    def compute(params):
        dl = float(MEM_DELTAS[nearest_index(MEM_DELTAS, params["delta"])])
        j = nearest_log_index(MEM_NS, params["n"])
        return {"d": pre[tables.memoryless_key(dl)], "delta": dl, "j": j}

    def draw(d):
        r, j = d["d"], d["j"]
        bon.set_ydata(r["reward"])
        xs.set_ydata([r["x"], r["x"]])
        pt.set_data([MEM_NS[j]], [r["reward"][j]])
        klt.set_ydata(np.maximum(r["kl_tilt"], 1e-12))
        pt_k.set_data([MEM_NS[j]], [max(float(r["kl_tilt"][j]), 1e-12)])
        info.set_text(f"q = {MEM_Q}, Δ = {d['delta']:.1f}, n = {MEM_NS[j]:,}, N = e^(nΔ)\n"
                      f"BoN reward/token  = {r['reward'][j]:.4f}\n"
                      f"tilt x*           = {r['x']:.4f}\n"
                      f"KL(BoN‖ref)/n     = {r['kl'][j]:.4f}\n"
                      f"KL(BoN‖tilt)/n    = {r['kl_tilt'][j]:.2e}")

    controls = {
        "delta": slider("KL per token Δ", 0.3, 0.1, 1.0, 0.1, readout_format=".1f"),
        "n": log_slider("sequence length n", 100.0, 0.0, 5.0, 0.25, readout_format=",.0f"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Memoryless tokens: best-of-N becomes the tilt as sequences grow",
                    note="Yang et al.: with N = e^{nΔ}, best-of-N and the KL-regularised tilt agree per "
                         "token as n → ∞ (the KL between them grows slower than n).")


EXPLORERS = {
    "rlhf.frontier": frontier_explorer,
    "rlhf.best_of_n": best_of_n_explorer,
    "rlhf.f_divergences": f_divergence_explorer,
    "rlhf.diversity": diversity_explorer,
    "rlhf.training": training_explorer,
    "rlhf.goodhart": goodhart_explorer,
    "rlhf.memoryless": memoryless_explorer,
}
