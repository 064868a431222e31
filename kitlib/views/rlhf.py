"""Explorers of notebook 04: RLHF reward–KL frontiers.

Every explorer follows the kit's pattern (``kitlib.explore``): the figure and its artists are built
once, ``compute`` calls ``kitlib.rlhf``, ``draw`` only updates artists. Anything slower than a slider
tick (curves along β, best-of-N curves, torch training runs, the memoryless model at 10⁵ tokens) is
computed once with a progress bar, cached for the session and indexed on slide.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from tqdm.auto import tqdm

from kitlib import rlhf
from kitlib.explore import Explorer, checkbox, dropdown, log_slider, new_figure, slider
from kitlib.style import COLORS, OKABE_ITO

__all__ = ["frontier_explorer", "best_of_n_explorer", "f_divergence_explorer", "diversity_explorer",
           "training_explorer", "goodhart_explorer", "memoryless_explorer", "matched_diversity",
           "EXPLORERS"]

_REV = COLORS["reverse_kl"]
_FWD = COLORS["forward_kl"]
_REF = COLORS["target"]
_BON = COLORS["model"]
_GREEN = OKABE_ITO["bluish_green"]
_TEXT = {"family": "monospace", "fontsize": 9.0, "va": "top"}
_BOX = {"fc": "white", "ec": "0.7", "alpha": 0.9}

M_LM = 400
SEED = 0
BETAS = np.geomspace(1e-2, 10**1.5, 160)


def _index(grid, value: float) -> int:
    return int(np.argmin(np.abs(np.asarray(grid) - value)))


def _lim(ax, x, y, *, x0=None, y0=None, pad=0.05):
    x, y = np.asarray(x, float), np.asarray(y, float)
    xl = (x0 if x0 is not None else x.min(), x.max())
    yl = (y0 if y0 is not None else y.min(), y.max())
    dx = max(xl[1] - xl[0], 1e-9) * pad
    dy = max(yl[1] - yl[0], 1e-9) * pad
    ax.set_xlim(xl[0] - dx, xl[1] + dx)
    ax.set_ylim(yl[0] - dy, yl[1] + dy)


@functools.lru_cache(maxsize=32)
def lm_toy(peakedness: float = 1.0, reward: str = "gaussian"):
    """The categorical "LM" of the notebook: (p_ref, rewards, exact frontier over BETAS)."""
    p, r = rlhf.categorical_lm(M_LM, peakedness, seed=SEED, reward=reward, n_levels=5,
                               correlation=0.3)
    return p, r, rlhf.frontier(p, r, BETAS)


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
    info = ax.text(0.03, 0.97, "", transform=ax.transAxes, bbox=_BOX, **_TEXT)
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
        p, r, f = lm_toy(params["peakedness"], params["reward"])
        beta = params["beta"]
        order = np.argsort(r, kind="stable")
        pi = rlhf.tilt(p, r, beta)
        fb = rlhf.frontier(p, r, [beta])
        return {"f": f, "beta": beta, "R": float(fb.reward[0]), "KL": float(fb.kl[0]),
                "ref": p[order], "pi": pi[order], "r0": float(p @ r), "rmax": float(r.max())}

    def draw(d):
        f = d["f"]
        curve.set_data(f.kl, f.reward)
        pt.set_data([d["KL"]], [d["R"]])
        h = 0.15 * max(float(f.kl.max()), 1e-3)
        tangent.set_data([d["KL"] - h, d["KL"] + h], [d["R"] - d["beta"] * h, d["R"] + d["beta"] * h])
        _lim(ax, f.kl, np.r_[f.reward, d["r0"]], x0=0.0)
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
BON_NS = np.unique(np.round(np.geomspace(1, 1e4, 70)))


@functools.lru_cache(maxsize=8)
def _bon(reward: str, identity: bool):
    p, r, f = lm_toy(1.0, reward)
    ties = "identity" if identity else "draw_order"
    return p, r, f, rlhf.best_of_n_curve(p, r, BON_NS, ties=ties)


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
    info = ax.text(0.97, 0.62, "", transform=ax.transAxes, ha="right", bbox=_BOX, **_TEXT)

    def compute(params):
        p, r, f, curve = _bon(params["reward"], params["ties_by_identity"])
        n = float(round(params["N"]))
        b = rlhf.best_of_n(p, r, n, ties="identity" if params["ties_by_identity"] else "draw_order")
        kmax_v = float(-np.log(p[r == r.max()].sum()))
        return {"f": f, "curve": curve, "n": n, "b": b, "kmax": kmax_v,
                "win": rlhf.win_rate(b.policy, p, r)}

    def draw(d):
        f, c, b = d["f"], d["curve"], d["b"]
        fr.set_data(f.kl, f.reward)
        bon.set_data(c.kl, c.reward)
        bnd.set_data(rlhf.bon_kl_bound(c.beta), c.reward)
        pt.set_data([b.kl], [b.reward])
        pt_b.set_data([b.kl_bound], [b.reward])
        ax.set_xlim(-0.2, 1.05 * float(rlhf.bon_kl_bound(BON_NS[-1])))
        ax.set_ylim(float(f.reward.min()) - 0.05, float(f.reward.max()) + 0.1)
        kl_ex.set_ydata(c.kl)
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
F_OPTIONS = [("α-divergence (slider)", "alpha"), ("reverse KL", "reverse_kl"),
             ("forward KL", "forward_kl"), ("Jensen–Shannon", "js"), ("Pearson χ²", "chi2"),
             ("total variation", "tv")]
_F_LABEL = {v: k for k, v in F_OPTIONS}
F_BETAS = np.geomspace(10**-1.5, 10.0, 50)
_F_M = 200


@functools.lru_cache(maxsize=1)
def _f_toy():
    p, r = rlhf.categorical_lm(_F_M, 1.0, seed=SEED + 1, correlation=0.3)
    return p, r, rlhf.frontier(p, r, F_BETAS)


@functools.lru_cache(maxsize=64)
def _f_curve(div: str, alpha: float | None) -> dict:
    p, r, _ = _f_toy()
    pols = np.array([rlhf.f_regularized_policy(p, r, b, div, alpha=alpha) for b in F_BETAS])
    return {"pols": pols, "R": pols @ r,
            "KL": np.array([rlhf.kl_to_ref(q, p) for q in pols]),
            "D": np.array([rlhf.f_divergence_value(q, p, div, alpha=alpha) for q in pols])}


def f_divergence_explorer() -> Explorer:
    """f-regularised optima: in reverse-KL coordinates and in their own."""
    p, r, tf = _f_toy()
    fig, (ax, ax_o) = new_figure(1, 2, figsize=(9.8, 4.2))
    ax.plot(tf.kl, tf.reward, color=_REV, lw=2, label="reverse-KL frontier (tilt)")
    (fc,) = ax.plot([], [], color=_FWD, lw=2, ls="--", label="f-optimum")
    (pt,) = ax.plot([], [], "o", color=_FWD, mec="black", ms=9)
    ax.set_xlabel(r"KL$(\pi\,\|\,\pi_{ref})$")
    ax.set_ylabel(r"$E_\pi r$")
    ax.legend(loc="lower right", fontsize=8.5)
    _lim(ax, tf.kl, tf.reward, x0=0.0)
    (oc,) = ax_o.plot([], [], color=_FWD, lw=2, ls="--")
    (opt,) = ax_o.plot([], [], "o", color=_FWD, mec="black", ms=9)
    ax_o.set_ylabel(r"$E_\pi r$")
    xlabel = ax_o.set_xlabel("")
    info = ax_o.text(0.97, 0.05, "", transform=ax_o.transAxes, ha="right", bbox=_BOX,
                     **{**_TEXT, "va": "bottom"})

    def compute(params):
        div = params["divergence"]
        alpha = round(params["alpha"], 4) if div == "alpha" else None
        c = _f_curve(div, alpha)
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
        xlabel.set_text(f"own divergence: {name}" + (f", α = {d['alpha']:.2f}" if d["div"] == "alpha"
                                                      else ""))
        fc.set_label(name)
        info.set_text(f"β = {d['beta']:.3g}   α = {d['alpha']:.2f}\nE r = {d['R']:.4f}\n"
                      f"KL(π‖ref) = {d['KL']:.4f}\nD_f = {d['D']:.4f}\nH(π) = {d['H']:.3f}\n"
                      f"coverage = {d['cov']:.3f}\nresponses alive {d['alive']}/{_F_M}")

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
PASS_KS = 2 ** np.arange(0, 7)
N_PROMPTS, N_RESP = 300, 64
DIV_NOISES = (0.0, 0.5, 1.0)
#: The regularisers compared at matched pass@1 ("js" is the kit's 2·JSD; see kitlib.rlhf).
DIV_KINDS = ("reverse_kl", "forward_kl", "js")
#: Matched pass@1 targets of the slider: every one is reachable at every noise level
#: (with σ = 1 the proxy-optimal policies never exceed a mean pass@1 of about 0.6).
DIV_TARGETS = np.round(np.arange(0.2, 0.5501, 0.05), 2)
DIV_BRACKET = (0.005, 100.0)
_DIV_STYLE = {"ref": (_REF, "o", ":", r"$\pi_{ref}$"), "reverse_kl": (_REV, "s", "-", "reverse KL"),
              "forward_kl": (_FWD, "^", "--", "forward KL"),
              "js": (COLORS["js"], "D", "-.", "JS (kit's 2·JSD)")}


@functools.lru_cache(maxsize=4)
def _prompts(noise: float):
    return rlhf.prompts_toy(N_PROMPTS, N_RESP, seed=SEED, proxy_noise=noise)


@functools.lru_cache(maxsize=128)
def matched_diversity(noise: float, target: float, divergence: str) -> dict:
    """The optimum of E proxy − β·D at the β where mean pass@1 equals ``target`` *exactly*
    (:func:`kitlib.rlhf.matched_beta`): β, per-prompt p(correct), pass@k over :data:`PASS_KS`,
    mean entropy and mean expected distinct answers in 8 draws (cached)."""
    p, correct, proxy = _prompts(float(noise))
    beta = rlhf.matched_beta(p, proxy, float(target), divergence, score=correct, bracket=DIV_BRACKET)
    pol = rlhf.f_regularized_batch(p, proxy, beta, divergence)
    pc = (pol * correct).sum(1)
    ent = float(np.mean(-(pol * np.log(np.where(pol > 0, pol, 1.0))).sum(1)))
    dist = float(np.mean((1.0 - (1.0 - pol) ** 8).sum(1)))
    return {"beta": beta, "pc": pc, "passk": np.array([rlhf.pass_at_k(pc, k) for k in PASS_KS]),
            "H": ent, "dist": dist}


def diversity_explorer() -> Explorer:
    """pass@k over 300 prompts at exactly matched pass@1: reverse KL, forward KL and JS."""
    jobs = [(n, float(t), d) for n in DIV_NOISES for t in DIV_TARGETS for d in DIV_KINDS]
    for job in tqdm(jobs, desc="matching pass@1 (root finds)", leave=False):
        matched_diversity(*job)
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
    info = ax.text(0.98, 0.03, "", transform=ax.transAxes, ha="right", bbox=_BOX,
                   **{**_TEXT, "va": "bottom", "fontsize": 8.0})
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
        target = float(DIV_TARGETS[_index(DIV_TARGETS, params["pass1"])])
        p, correct, _ = _prompts(noise)
        pc_ref = (p * correct).sum(1)
        out = {"noise": noise, "target": target, "order": np.argsort(pc_ref, kind="stable"),
               "ref": {"pc": pc_ref, "passk": np.array([rlhf.pass_at_k(pc_ref, k) for k in PASS_KS])}}
        for div in DIV_KINDS:
            out[div] = matched_diversity(noise, target, div)
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
                         "or reverses. JS (the kit's 2·JSD) usually lands between the two KLs.")


# --------------------------------------------------------------------------------------------
# 5. training points (torch, precomputed)
# --------------------------------------------------------------------------------------------
TRAIN_BETAS = np.array([0.25, 0.5, 1.0, 2.0, 4.0])
DPO_PAIRS = np.round(10.0 ** np.arange(1.5, 4.51, 0.5)).astype(int)
_TRAIN_M = 6


@functools.lru_cache(maxsize=1)
def _training() -> dict:
    p, r = rlhf.categorical_lm(_TRAIN_M, 1.0, seed=SEED + 3)
    fine = np.geomspace(0.05, 50.0, 120)
    f = rlhf.frontier(p, r, fine)
    fwd = [rlhf.f_regularized_policy(p, r, b, "forward_kl") for b in fine]
    pts = {"k1": [], "k3": []}
    for b in tqdm(TRAIN_BETAS, desc="REINFORCE runs", leave=False):
        for key, est, place in (("k1", "k1", "reward"), ("k3", "k3", "loss")):
            pi = rlhf.train_policy(p, r, b, estimator=est, placement=place, steps=300, batch=512,
                                   seed=SEED)
            pts[key].append((rlhf.kl_to_ref(pi, p), float(pi @ r)))
    dpo = np.empty((DPO_PAIRS.size, TRAIN_BETAS.size, 2))
    for i, n in enumerate(tqdm(DPO_PAIRS, desc="DPO runs", leave=False)):
        for j, b in enumerate(TRAIN_BETAS):
            pi = rlhf.dpo_policy(p, r, b, n_pairs=int(n), seed=SEED, steps=300)
            dpo[i, j] = (rlhf.kl_to_ref(pi, p), float(pi @ r))
    theory = np.array([(rlhf.kl_to_ref(q, p), float(q @ r)) for q in
                       (rlhf.tilt(p, r, b) for b in TRAIN_BETAS)])
    van = rlhf.vanilla_pg_path(p, r, 0.5, 600)
    return {"van_kl": np.array([rlhf.kl_to_ref(q, p) for q in van]), "van_R": van @ r,
            "p": p, "r": r, "f": f, "fwd_kl": np.array([rlhf.kl_to_ref(q, p) for q in fwd]),
            "fwd_R": np.array([q @ r for q in fwd]), "k1": np.array(pts["k1"]),
            "k3": np.array(pts["k3"]), "dpo": dpo, "theory": theory}


def training_explorer() -> Explorer:
    """Where training lands: k1-in-reward on the frontier, k3-as-loss on the forward-KL curve,
    DPO approaching the tilt as the number of preference pairs grows (precomputed)."""
    pre = _training()
    fig, ax = new_figure(figsize=(8.6, 4.6))
    ax.plot(pre["f"].kl, pre["f"].reward, color=_REV, lw=2, label="reverse-KL frontier (tilt)")
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
    allx = np.r_[pre["f"].kl, pre["dpo"][..., 0].ravel(), pre["van_kl"]]
    ally = np.r_[pre["f"].reward, pre["dpo"][..., 1].ravel(), pre["van_R"]]
    _lim(ax, allx, ally, x0=0.0)
    ax.legend(loc="lower right", fontsize=8.5)
    info = ax.text(0.03, 0.97, "", transform=ax.transAxes, bbox=_BOX, **_TEXT)

    def compute(params):
        j = _index(np.log(TRAIN_BETAS), math.log(params["beta"]))
        i = _index(np.log(DPO_PAIRS), math.log(params["pairs"]))
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
        "beta": log_slider("β", 1.0, math.log10(0.25), math.log10(4.0), math.log10(2.0)),
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
GH_LAMBDAS = np.linspace(0.0, 0.95, 300)
GH_NS = np.geomspace(1, 1e5, 80)


@functools.lru_cache(maxsize=64)
def _goodhart(c: float) -> dict:
    t = rlhf.goodhart_tilt(GH_LAMBDAS, c)
    b = rlhf.goodhart_bon(GH_NS, c)
    a, bb = rlhf.fit_gao(b["kl"][1:], b["gold"][1:], "bon")
    d = np.sqrt(b["kl"])
    return {"tilt": t, "bon": b, "gao": d * (a - bb * d), "gao_coef": (a, bb)}


GH_CS = np.round(np.arange(0.05, 0.6001, 0.05), 2)


def goodhart_explorer() -> Explorer:
    """Proxy keeps rising while gold turns down; best-of-N beats the proxy-optimal tilt on gold."""
    for c in tqdm(GH_CS, desc="Goodhart curves", leave=False):
        _goodhart(float(c))
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
    info = ax.text(0.97, 0.03, "", transform=ax.transAxes, ha="right", bbox=_BOX,
                   **{**_TEXT, "va": "bottom"})

    def compute(params):
        c = float(GH_CS[_index(GH_CS, params["c"])])
        g = _goodhart(c)
        k = _index(np.log(GH_NS), math.log(params["N"]))
        lam = rlhf.goodhart_lambda_star(c)
        pk = rlhf.goodhart_tilt(lam, c)
        kl = float(g["bon"]["kl"][k])
        return {"g": g, "k": k, "c": c, "lam": lam, "peak": (float(pk["kl"]), float(pk["gold"])),
                "tilt_gold": float(np.interp(kl, g["tilt"]["kl"], g["tilt"]["gold"]))}

    def draw(d):
        g, k = d["g"], d["k"]
        t, b = g["tilt"], g["bon"]
        tp.set_data(t["kl"], t["proxy"])
        tg.set_data(t["kl"], t["gold"])
        bp.set_data(b["kl"], b["proxy"])
        bg.set_data(b["kl"], b["gold"])
        gao.set_data(b["kl"], g["gao"])
        pg.set_data([b["kl"][k]], [b["gold"][k]])
        pp.set_data([b["kl"][k]], [b["proxy"][k]])
        peak.set_data([d["peak"][0]], [d["peak"][1]])
        a, bb = g["gao_coef"]
        info.set_text(f"c = {d['c']:.2f}: λ* = 1 − √c = {d['lam']:.3f}\n"
                      f"tilt gold peak (star) {d['peak'][1]:+.3f}\n"
                      f"N = {GH_NS[k]:,.0f}, KL = {b['kl'][k]:.3f}\n"
                      f"gold: BoN {b['gold'][k]:+.3f}, tilt {d['tilt_gold']:+.3f}\n"
                      f"proxy: BoN {b['proxy'][k]:+.3f}\n"
                      f"Gao fit a = {a:.3f}, b = {bb:.3f}")

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
MEM_Q = 0.3
MEM_DELTAS = np.round(np.arange(0.1, 1.001, 0.1), 2)
MEM_NS = np.unique(np.round(np.geomspace(1, 1e5, 21)).astype(int))


@functools.lru_cache(maxsize=1)
def _memoryless() -> dict:
    res = {}
    for dl in tqdm(MEM_DELTAS, desc="memoryless model", leave=False):
        rows = [rlhf.memoryless_bon(int(n), MEM_Q, float(dl)) for n in MEM_NS]
        res[float(dl)] = {"reward": np.array([x.reward for x in rows]),
                          "kl": np.array([x.kl for x in rows]),
                          "kl_tilt": np.array([x.kl_to_tilt for x in rows]),
                          "x": rows[0].tilt_reward}
    return res


def memoryless_explorer() -> Explorer:
    """Memoryless tokens: best-of-N with N = e^{nΔ} approaches the tilt as length n grows."""
    pre = _memoryless()
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
    info = ax_k.text(0.03, 0.04, "", transform=ax_k.transAxes, bbox=_BOX, **{**_TEXT, "va": "bottom"})

    def compute(params):
        dl = float(MEM_DELTAS[_index(MEM_DELTAS, params["delta"])])
        j = _index(np.log(MEM_NS), math.log(params["n"]))
        return {"d": pre[dl], "delta": dl, "j": j}

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
