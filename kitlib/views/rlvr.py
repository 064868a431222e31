"""Explorers of notebook 05: RL with verifiable rewards — entropy, support, pass@k, KD + RL.

Every explorer follows the kit's pattern (``kitlib.explore``): the figure and its artists are built
once, ``compute`` only indexes the tables of :mod:`kitlib.tables.rlvr` (every training run,
optimum and estimator spread at every value of every slider, computed by :mod:`kitlib.rlvr` and
shipped on disk), ``draw`` only updates artists. Axis limits are fixed where the precomputed data
allow it (tests/test_views_rlvr.py checks that the data fit), so a slider step redraws only the
changed artists. Readouts are :func:`kitlib.views._common.readout_box` texts (mirrored as text).

The toys are the brief's: T1 (one prompt, six answers, a support hole), T2 (200 prompts sharing six
strategies, one of them a rare "spark" that alone solves the hardest prompts), T3 (a hard prompt the
student almost never solves, a teacher that solves it half the time) and the entropy-explosion toy
(three real answers plus 997 junk answers).
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection

from kitlib import rlvr
from kitlib.controls import checkbox, dropdown, int_slider, slider
from kitlib.explore import Explorer
from kitlib.figures import new_figure, steady_limits
from kitlib.style import COLORS, OKABE_ITO
from kitlib.tables import rlvr as tables
from kitlib.tables.rlvr import (ALPHAS, BUDGETS, CHECKPOINTS, FIX_STEPS, KD_BETAS, KD_LRS,
                                KL_COMBOS, KL_RUN_BETAS, PASS_KS, PLACE_STEPS,
                                SAMPLED_SEEDS, SUPPORT_BETAS, SUPPORT_STEPS, T2_GROUPS, T2_LRS,
                                T2_STEPS, T3_STEPS, TAUS, TILTS, TOP_PS, t2_run)
from kitlib.views._common import grid_slider, nearest_index, readout_box

__all__ = ["training_explorer", "pass_at_k_explorer", "support_explorer", "kl_placement_explorer",
           "distill_rehearsal_explorer", "entropy_fixes_explorer", "EXPLORERS",
           "t2_run", "training_run", "support_run", "t3_run", "fix_run", "kl_run_endpoints",
           "placement_table", "frontier_table", "pass_at_k_checkpoint", "KD_OPTIONS", "KD_SHORT",
           "HOLES", "REWARD_SETS", "SAMPLED_OPTIONS", "FIX_METHODS", "FLOOR",
           # the explorers' grids, re-exported from kitlib.tables.rlvr
           "T2_STEPS", "T2_GROUPS", "T2_LRS", "SAMPLED_SEEDS", "CHECKPOINTS", "BUDGETS",
           "SUPPORT_STEPS", "SUPPORT_BETAS", "KL_COMBOS", "TILTS", "T3_STEPS", "KD_BETAS",
           "KD_LRS", "KL_RUN_BETAS", "ALPHAS", "TOP_PS", "TAUS"]

_BASE = COLORS["target"]           # π_ref / the base model: black
_GRPO = COLORS["model"]            # plain GRPO / the trained policy: blue
_REV = COLORS["reverse_kl"]        # vermilion
_FWD = COLORS["forward_kl"]        # orange
_GREEN = OKABE_ITO["bluish_green"]
_PURPLE = OKABE_ITO["reddish_purple"]
_SKY = OKABE_ITO["sky_blue"]
_LEFT = {"multialignment": "left"}  # the readouts' lines are left-aligned even when the box is right-aligned
FLOOR = 1e-12  # log axes: an exact zero is drawn at this floor and labelled as zero in the readout


def _floor(x):
    return np.maximum(np.asarray(x, dtype=float), FLOOR)


def _fmt_p(x: float) -> str:
    """A probability for a readout: exact zeros say so."""
    return "0 (exactly)" if x == 0.0 else f"{x:.3g}"


# --------------------------------------------------------------------------------------------
# indexing the tables of kitlib.tables.rlvr (all maths there)
# --------------------------------------------------------------------------------------------
SAMPLED_OPTIONS = [("none (exact only)", -1)] + [
    (f"G = 8, lr 1, one group per prompt per step, seed {s}", s) for s in SAMPLED_SEEDS]


def training_run(group_size: int, lr: float, *, seed: int | None = None) -> dict:
    """The training explorer's run at (G, lr) of its grid (exact), or the sampled run of ``seed``
    (G = 8, lr 1): ``passk`` (201, 3), ``H`` and ``spark`` (201,), and for exact runs ``dH1``
    and ``dH`` (200,). Indexes :func:`kitlib.tables.rlvr.training`."""
    tab = tables.training()
    if seed is not None:
        i = nearest_index(tab["grid"]["seeds"], seed)
        return {k: tab["sampled"][k][i] for k in tab["sampled"]}
    i = nearest_index(tab["grid"]["group_sizes"], group_size)
    j = nearest_index(tab["grid"]["lrs"], lr)
    return {k: tab["exact"][k][i, j] for k in tab["exact"]}


def pass_at_k_checkpoint(step: int, n: int) -> dict:
    """The pass@k explorer's curves at a checkpoint and the estimators' spread at budget n
    (indexes :func:`kitlib.tables.rlvr.pass_at_k_table`)."""
    tab = tables.pass_at_k_table()
    sp = tab["spread"]
    i, b = nearest_index(tab["steps"], step), nearest_index(sp["budgets"], n)
    sel = sp["k"] <= sp["budgets"][b]
    cross = int(tab["cross"][i])

    def spread(which, idx):
        return {"k": sp["k"][sel].astype(float), "mean": sp[f"{which}_mean"][idx][sel],
                "sd": sp[f"{which}_sd"][idx][sel], "plugin": sp[f"{which}_plugin"][idx][sel]}

    return {"base": tab["base"], "trained": tab["trained"][i], "cross": None if cross < 0 else cross,
            "cross_pass": float(tab["cross_pass"][i]), "pc_base": tab["pc_base"], "pc": tab["pc"][i],
            "sb": spread("base", b), "st": spread("trained", (i, b))}


def support_run(hole: str, rewards: str, beta: float, divergence: str) -> dict:
    """T1 run and optimum at β of the support explorer's grid: ``policies`` (151, 6),
    ``p_correct`` (151,), ``opt`` (6,) (indexes :func:`kitlib.tables.rlvr.support_runs`)."""
    tab = tables.support_runs(hole=hole, rewards=rewards)
    i = nearest_index(tab["betas"], beta)
    return {k: a[i] for k, a in tab[divergence].items()}


def placement_table(t: float) -> dict:
    """The KL-placement explorer's data at tilt t: ``g``, ``verdict`` and ``runs`` (each keyed
    by (estimator, placement)), ``rkl`` and ``fkl`` (indexes :func:`kitlib.tables.rlvr.placement`)."""
    tab = tables.placement()
    i = nearest_index(tab["tilts"], t)
    return {"g": {c: tab["g"][i, n] for n, c in enumerate(KL_COMBOS)},
            "verdict": {c: str(tab["verdict"][i, n]) for n, c in enumerate(KL_COMBOS)},
            "runs": {c: {"rkl": tab["run_rkl"][i, n], "fkl": tab["run_fkl"][i, n]}
                     for n, c in enumerate(KL_COMBOS)},
            "rkl": tab["rkl"][i], "fkl": tab["fkl"][i]}


def t3_run(kd: str, beta: float, lr: float) -> dict:
    """T3 run of the distillation panel: ``p`` (301,) and ``hit`` (int or None)
    (indexes :func:`kitlib.tables.rlvr.t3_runs`)."""
    tab = tables.t3_runs()
    i, j = nearest_index(tab["betas"], beta), nearest_index(tab["lrs"], lr)
    hit = int(tab[kd]["hit"][i, j])
    return {"p": tab[kd]["p"][i, j], "hit": None if hit < 0 else hit}


def kl_run_endpoints(divergence: str) -> np.ndarray:
    """(pass@1, pass@256) after 200 exact GRPO steps (G = 8, lr 1) with a KL term at each β of
    ``KL_RUN_BETAS``: k1 in the reward (reverse) or k3 as a loss (forward)."""
    return tables.kl_run_endpoints(divergence=divergence)["ends"]


def frontier_table() -> dict:
    """Exact T2 optima (:func:`kitlib.tables.rlvr.frontier`)."""
    return tables.frontier()


def fix_run(method: str, *, alpha: float = 0.0, top_p: float = 1.0, tau: float = 1e-3) -> dict:
    """Junk-toy run with one fix: "grpo", "positive", "bonus" (α, top_p) or "lp_reg" (α, τ):
    ``pc``, ``junk``, ``wrong``, ``H`` (201,) (indexes :func:`kitlib.tables.rlvr.fix_runs`)."""
    tab = tables.fix_runs()
    if method in ("grpo", "positive"):
        return dict(tab[method])
    i = nearest_index(tab["alphas"], alpha)
    j = (nearest_index(tab["top_ps"], top_p) if method == "bonus"
         else nearest_index(tab["taus"], tau))
    return {k: a[i, j] for k, a in tab[method].items()}


# --------------------------------------------------------------------------------------------
# 1. GRPO training: entropy and pass@k over steps, the covariance law beside the exact ΔH
# --------------------------------------------------------------------------------------------
def training_explorer() -> Explorer:
    """GRPO on T2: pass@1/16/256, entropy and spark mass over steps; first-order ΔH vs exact."""
    tables.training()
    steps = np.arange(T2_STEPS + 1)
    fig, (ax_p, ax_h, ax_d) = new_figure(1, 3, figsize=(12.5, 4.2))
    styles = (("-", "o"), ("--", "s"), (":", "^"))
    cols = (_GRPO, _FWD, _GREEN)
    lines_p, lines_ps = [], []
    for k, (ls, mk), col in zip(PASS_KS, styles, cols):
        (ln,) = ax_p.plot(steps, np.zeros_like(steps, dtype=float), ls=ls, marker=mk, markevery=25,
                          ms=5, color=col, label=f"pass@{k}")
        (lns,) = ax_p.plot([], [], ls=ls, color=col, lw=0.9, alpha=0.6)
        lines_p.append(ln)
        lines_ps.append(lns)
    (cur_p,) = ax_p.plot([], [], "o", mfc="none", mec="black", ms=11, mew=1.5)
    vline_p = ax_p.axvline(T2_STEPS, color="0.5", lw=1.0, ls=":")
    ax_p.set_xlim(0, T2_STEPS)
    ax_p.set_ylim(0.4, 1.02)
    ax_p.set_xlabel("GRPO step")
    ax_p.set_ylabel("pass@k over 200 prompts")
    ax_p.set_title("accuracy", loc="left")
    ax_p.legend(loc="center right", fontsize=8.5)

    (h_line,) = ax_h.plot(steps, np.ones_like(steps, dtype=float), color=_BASE, lw=2,
                          label="entropy H(π) (nats)")
    (s_line,) = ax_h.plot(steps, np.ones_like(steps, dtype=float), color=_PURPLE, lw=2, ls="--",
                          marker="d", markevery=25, ms=5, label="spark mass π(spark)")
    (h_s,) = ax_h.plot([], [], color=_BASE, lw=0.9, alpha=0.6)
    (s_s,) = ax_h.plot([], [], color=_PURPLE, lw=0.9, ls="--", alpha=0.6)
    vline_h = ax_h.axvline(T2_STEPS, color="0.5", lw=1.0, ls=":")
    ax_h.set_yscale("log")
    ax_h.minorticks_off()
    ax_h.set_ylim(1e-6, 3.0)
    ax_h.set_xlim(0, T2_STEPS)
    ax_h.set_xlabel("GRPO step")
    ax_h.set_title("collapse (log scale)", loc="left")
    ax_h.legend(loc="lower left", fontsize=8.5)

    (d_ex,) = ax_d.plot(steps[1:], np.zeros(T2_STEPS), color=_BASE, lw=2, label="exact ΔH")
    (d_fo,) = ax_d.plot(steps[1:], np.zeros(T2_STEPS), color=_REV, lw=1.6, ls="--", marker="x",
                        markevery=20, ms=6, label="−Cov(log π, Δθ) (first order)")
    (d_pt,) = ax_d.plot([], [], "o", mfc="none", mec="black", ms=11, mew=1.5)
    ax_d.axhline(0.0, color="0.6", lw=0.8)
    ax_d.set_xlim(0, T2_STEPS)
    ax_d.set_ylim(-0.08, 0.06)          # ΔH/lr of every precomputed run lies inside (tested)
    ax_d.set_xlabel("GRPO step")
    ax_d.set_ylabel("entropy change per step ÷ lr")
    ax_d.set_title("the covariance law", loc="left")
    ax_d.legend(loc="lower right", fontsize=8.5)
    info = readout_box(ax_p, 0.97, 0.03, ha="right", va="bottom", **_LEFT)
    info_d = readout_box(ax_d, 0.97, 0.97, ha="right", **_LEFT)

    def compute(params):
        g, lr, s = int(params["group_size"]), float(params["lr"]), int(params["step"])
        ex = training_run(g, lr)
        seed = int(params["sampled"])
        smp = training_run(8, 1.0, seed=seed) if seed >= 0 and (g, lr) == (8, 1.0) else None
        return {"ex": ex, "smp": smp, "s": s, "g": g, "lr": lr, "seed": seed}

    def draw(d):
        ex, smp, s = d["ex"], d["smp"], d["s"]
        for i, ln in enumerate(lines_p):
            ln.set_ydata(ex["passk"][:, i])
            lines_ps[i].set_data((steps, smp["passk"][:, i]) if smp else ([], []))
        cur_p.set_data([s] * len(PASS_KS), ex["passk"][s])
        vline_p.set_xdata([s, s])
        vline_h.set_xdata([s, s])
        h_line.set_ydata(_floor(ex["H"]))
        s_line.set_ydata(_floor(ex["spark"]))
        h_s.set_data((steps, _floor(smp["H"])) if smp else ([], []))
        s_s.set_data((steps, _floor(smp["spark"])) if smp else ([], []))
        d_ex.set_ydata(ex["dH"] / d["lr"])
        d_fo.set_ydata(ex["dH1"] / d["lr"])
        j = max(s, 1) - 1
        d_pt.set_data([j + 1], [ex["dH"][j] / d["lr"]])
        pk = ex["passk"][s]
        txt = (f"G = {d['g']}, lr = {d['lr']:g}, step {s}\n"
               f"pass@1 {pk[0]:.3f}  @16 {pk[1]:.3f}  @256 {pk[2]:.3f}\n"
               f"H = {ex['H'][s]:.3f} nats   spark {ex['spark'][s]:.2e}")
        if smp:
            pks = smp["passk"][s]
            txt += (f"\nsampled (seed {d['seed']}): pass@1 {pks[0]:.3f}  @256 {pks[2]:.3f}"
                    f"\n                   H = {smp['H'][s]:.3f}")
        elif d["seed"] >= 0:
            txt += "\nsampled runs are precomputed for G = 8, lr 1 only"
        info.set_text(txt)
        info_d.set_text(f"step {j + 1}: exact ΔH {ex['dH'][j]:+.2e}\n"
                        f"first order    {ex['dH1'][j]:+.2e}")

    controls = {
        "group_size": grid_slider("group size G", T2_GROUPS, 8),
        "lr": grid_slider("learning rate", T2_LRS, 1.0),
        "step": int_slider("step shown", T2_STEPS, 0, T2_STEPS, 5),
        "sampled": dropdown("sampled run beside it", SAMPLED_OPTIONS, -1),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="GRPO on shared strategies (T2): pass@1 rises, entropy and the spark collapse",
                    note="Exact expected GRPO updates. pass@1 climbs while pass@256 sags; the entropy "
                         "falls by orders of magnitude and the rare spark strategy dies. Right: the "
                         "first-order covariance law tracks each step's exact entropy change.")


# --------------------------------------------------------------------------------------------
# 2. pass@k over k, before and after: the crossover and the estimator's spread
# --------------------------------------------------------------------------------------------
def pass_at_k_explorer() -> Explorer:
    """pass@k against k (log) for the T2 base and a GRPO checkpoint; crossover; estimator spread."""
    d_j = rlvr.toy_t2().info["d"]
    k_grid = tables.pass_at_k_table()["k"]
    fig, (ax, ax_j) = new_figure(1, 2, figsize=(11.0, 4.3))
    (base_l,) = ax.plot(k_grid, np.zeros(k_grid.size), color=_BASE, lw=2, label="base π_ref (exact)")
    (tr_l,) = ax.plot(k_grid, np.zeros(k_grid.size), color=_GRPO, lw=2, ls="--",
                      label="after GRPO (exact)")
    (base_m,) = ax.plot([], [], "o", color=_BASE, ms=5, label="unbiased estimate: mean ± SD")
    (tr_m,) = ax.plot([], [], "s", color=_GRPO, ms=5)
    bars = LineCollection([], colors=[_BASE], linewidths=1.5)
    ax.add_collection(bars)
    (plug_b,) = ax.plot([], [], "o", mfc="white", mec=_BASE, ms=6, label="plug-in 1 − (1 − c/n)^k: mean")
    (plug_t,) = ax.plot([], [], "s", mfc="white", mec=_GRPO, ms=6)
    cross_v = ax.axvline(1.0, color=_REV, lw=1.2, ls=":")
    (cross_pt,) = ax.plot([], [], "*", color=_REV, mec="black", ms=14, label="crossover: base > trained")
    ax.set_xscale("log", base=2)
    ax.minorticks_off()
    ax.set_xlim(0.8, 1300)
    ax.set_ylim(0.3, 1.0)
    ax.set_xlabel("k (log scale)")
    ax.set_ylabel("pass@k")
    ax.set_title("pass@k before and after", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(0.28, 0.74), fontsize=8)
    info = readout_box(ax, 0.97, 0.03, ha="right", va="bottom", **_LEFT)

    (pj_b,) = ax_j.plot(d_j, np.ones_like(d_j), color=_BASE, lw=2, label="base")
    (pj_t,) = ax_j.plot(d_j, np.ones_like(d_j), color=_GRPO, lw=2, ls="--", label="after GRPO")
    ax_j.set_yscale("log")
    ax_j.minorticks_off()
    ax_j.set_ylim(1e-5, 1.5)
    ax_j.set_xlim(0, 1)
    ax_j.set_xlabel("prompt difficulty d")
    ax_j.set_ylabel("p(correct) per prompt (log)")
    ax_j.set_title("where the mass went", loc="left")
    ax_j.legend(loc="lower left", fontsize=8.5)

    def compute(params):
        s, n = int(params["step"]), int(params["n"])
        c = pass_at_k_checkpoint(s, n)
        return {"c": c, "s": s, "n": n, "sb": c["sb"], "st": c["st"],
                "plugin": bool(params["show_plugin"])}

    def draw(d):
        c, sb, st = d["c"], d["sb"], d["st"]
        base_l.set_ydata(c["base"])
        tr_l.set_ydata(c["trained"])
        base_m.set_data(sb["k"] / 1.07, sb["mean"])
        tr_m.set_data(st["k"] * 1.07, st["mean"])
        segs = [[(k / 1.07, m - s), (k / 1.07, m + s)] for k, m, s in zip(sb["k"], sb["mean"], sb["sd"])]
        segs += [[(k * 1.07, m - s), (k * 1.07, m + s)] for k, m, s in zip(st["k"], st["mean"], st["sd"])]
        bars.set_segments(segs)
        bars.set_color([_BASE] * len(sb["k"]) + [_GRPO] * len(st["k"]))
        plug_b.set_data((sb["k"] / 1.07, sb["plugin"]) if d["plugin"] else ([], []))
        plug_t.set_data((st["k"] * 1.07, st["plugin"]) if d["plugin"] else ([], []))
        k_x = c["cross"]
        if k_x is None:
            cross_v.set_visible(False)
            cross_pt.set_data([], [])
        else:
            cross_v.set_visible(True)
            cross_v.set_xdata([k_x, k_x])
            cross_pt.set_data([k_x], [c["cross_pass"]])
        lows = [c["base"].min(), c["trained"].min(), (sb["mean"] - sb["sd"]).min(),
                (st["mean"] - st["sd"]).min()]
        if d["plugin"]:
            lows += [sb["plugin"].min(), st["plugin"].min()]
        steady_limits(ax, max(min(lows), 0.0), 1.0)
        pj_b.set_ydata(_floor(c["pc_base"]))
        pj_t.set_ydata(_floor(c["pc"]))
        i1, i256 = 0, int(np.searchsorted(k_grid, 256))
        cross = "none up to k = 1024" if k_x is None else f"base wins from k = {k_x}"
        info.set_text(f"GRPO step {d['s']} (G = 8, lr 1)\n"
                      f"          base  trained\n"
                      f"pass@1   {c['base'][i1]:.3f}   {c['trained'][i1]:.3f}\n"
                      f"pass@256 {c['base'][i256]:.3f}   {c['trained'][i256]:.3f}\n"
                      f"{cross}\n"
                      f"budget n = {d['n']}: SD of the estimate\n"
                      f"at k = {int(sb['k'][-1])}: base {sb['sd'][-1]:.3f}, trained {st['sd'][-1]:.3f}")

    controls = {
        "step": grid_slider("GRPO checkpoint (step)", CHECKPOINTS, T2_STEPS),
        "n": grid_slider("samples per prompt n", BUDGETS, 64),
        "show_plugin": checkbox("show the plug-in estimator's mean (biased low)", False),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="pass@k over k: the trained policy wins at k = 1, the base model at large k",
                    note="Markers: what the unbiased estimator gives from n samples per prompt (mean ± "
                         "one SD, exact). The SD grows as k approaches n. Right: easy prompts go to "
                         "certainty, the hardest (only the spark solves them) lose nearly all mass.")


# --------------------------------------------------------------------------------------------
# 3. support: reverse vs forward KL on a reference with a hole
# --------------------------------------------------------------------------------------------
HOLES = (("π_ref(F) = 0 (a hole)", "zero"), ("π_ref(F) = 1e-6", "tiny"), ("π_ref(F) = 0.05", "none"))
REWARD_SETS = (("A, C and F correct", "easy"), ("only F correct (hard prompt)", "hard"))


def support_explorer() -> Explorer:
    """T1 bars: π_ref with a hole, the reverse- and forward-KL optima at β; training runs beside."""
    labels = rlvr.toy_t1().labels
    toys = {(h, rs): rlvr.toy_t1(hole=h, rewards=rs) for _, h in HOLES for _, rs in REWARD_SETS}
    for h, rs in toys:
        tables.support_runs(hole=h, rewards=rs)
    x = np.arange(len(labels))
    fig, (ax, ax_t) = new_figure(1, 2, figsize=(11.5, 4.4))
    w = 0.27
    b_ref = ax.bar(x - w, np.zeros(x.size), w, color="white", edgecolor=_BASE, lw=1.5, label="π_ref")
    b_rev = ax.bar(x, np.zeros(x.size), w, color=_REV, edgecolor="black", lw=0.6, hatch="//",
                   label="reverse-KL optimum")
    b_fwd = ax.bar(x + w, np.zeros(x.size), w, color=_FWD, edgecolor="black", lw=0.6, hatch="..",
                   label="forward-KL optimum")
    (holes,) = ax.plot([], [], "x", color=_BASE, ms=10, mew=2, label="π_ref = 0 (hole)")
    ax.set_xticks(x, labels, fontsize=9)
    ax.set_ylim(0, 1.0)
    ax.set_ylabel("probability")
    ax.set_title("the exact optima of E r − β·D", loc="left")
    ax.legend(loc="upper right", fontsize=8)
    info = readout_box(ax, 0.03, 0.97, **_LEFT)

    steps = np.arange(SUPPORT_STEPS + 1)
    (t_rev,) = ax_t.plot(steps, np.ones(steps.size), color=_REV, lw=2,
                         label="GRPO + k1 in reward (reverse KL): π(F)")
    (t_fwd,) = ax_t.plot(steps, np.ones(steps.size), color=_FWD, lw=2, ls="--",
                         label="GRPO + k3 as loss (forward KL): π(F)")
    (o_rev,) = ax_t.plot([0, SUPPORT_STEPS], [1, 1], color=_REV, lw=1.2, ls=":", marker="<",
                         markevery=[1], ms=8, label="optimum's π(F), reverse")
    (o_fwd,) = ax_t.plot([0, SUPPORT_STEPS], [1, 1], color=_FWD, lw=1.2, ls="-.", marker="<",
                         markevery=[1], ms=8, label="optimum's π(F), forward")
    ax_t.set_yscale("log")
    ax_t.minorticks_off()
    ax_t.set_ylim(FLOOR / 3, 3.0)
    ax_t.set_xlim(0, SUPPORT_STEPS * 1.03)
    ax_t.set_xlabel("training step (exact GRPO, G = 8, lr 1)")
    ax_t.set_ylabel("π(F), the rare correct answer (zeros at the floor)")
    ax_t.set_title("what training finds", loc="left")
    ax_t.legend(loc="lower right", fontsize=7.5)

    def compute(params):
        beta = float(params["beta"])
        hole, rs = params["hole"], params["rewards"]
        toy = toys[hole, rs]
        rv = support_run(hole, rs, beta, "reverse_kl")
        fw = support_run(hole, rs, beta, "forward_kl")
        return {"toy": toy, "beta": beta, "rv": rv, "fw": fw}

    shown_labels = [tuple(labels)]

    def draw(d):
        toy, rv, fw = d["toy"], d["rv"], d["fw"]
        p = toy.p_ref
        if tuple(toy.labels) != shown_labels[0]:  # ✓ marks follow the reward set
            ax.set_xticks(x, toy.labels, fontsize=9)
            shown_labels[0] = tuple(toy.labels)
        for bars, h in ((b_ref, p), (b_rev, rv["opt"]), (b_fwd, fw["opt"])):
            for rect, v in zip(bars, h):
                rect.set_height(float(v))
        zero = np.flatnonzero(p == 0.0)
        holes.set_data(x[zero] - w, np.full(zero.size, 0.02))
        t_rev.set_ydata(_floor(rv["policies"][:, -1]))
        t_fwd.set_ydata(_floor(fw["policies"][:, -1]))
        o_rev.set_ydata(_floor([rv["opt"][-1]] * 2))
        o_fwd.set_ydata(_floor([fw["opt"][-1]] * 2))
        correct = toy.rewards[0] == 1
        info.set_text(f"β = {d['beta']:.3g}\n"
                      f"             reverse   forward\n"
                      f"optimum: E r {rv['opt_reward']:7.3f}   {fw['opt_reward']:7.3f}\n"
                      f"mass outside {rv['opt_outside']:7.3f}   {fw['opt_outside']:7.3f}\n"
                      f"trained: E r {rv['p_correct'][-1]:7.3f}   {fw['p_correct'][-1]:7.3f}\n"
                      f"π(F) optimum  {_fmt_p(float(rv['opt'][-1]))} / {_fmt_p(float(fw['opt'][-1]))}\n"
                      f"π(F) trained  {_fmt_p(float(rv['policies'][-1, -1]))} / "
                      f"{_fmt_p(float(fw['policies'][-1, -1]))}\n"
                      f"correct answers: {', '.join(np.array(toy.labels)[correct])}")

    controls = {
        "beta": grid_slider("β (KL weight)", SUPPORT_BETAS, 0.25),
        "hole": dropdown("rare correct answer F", HOLES, "zero"),
        "rewards": dropdown("which answers are correct", REWARD_SETS, "hard"),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Support: can a KL-regularised policy leave π_ref's support?",
                    note="Reverse KL puts exactly 0 where π_ref = 0, for every β. Forward KL charges "
                         "nothing there: with no correct answer inside, its optimum moves 1 − β outside. "
                         "Training from π_ref never gets there: every gradient is proportional to π.")


# --------------------------------------------------------------------------------------------
# 4. where the KL estimator sits
# --------------------------------------------------------------------------------------------
def kl_placement_explorer() -> Explorer:
    """Expected gradient of k1/k2/k3 in the reward or as a loss, against ∇RKL and ∇FKL."""
    labels = rlvr.toy_t1(hole="none").labels
    tables.placement()
    x = np.arange(len(labels))
    fig, (ax, ax_r) = new_figure(1, 2, figsize=(11.5, 4.3))
    bars = ax.bar(x, np.zeros(x.size), 0.6, color=_SKY, edgecolor="black", lw=0.6,
                  label="expected gradient of the chosen term")
    (m_r,) = ax.plot(x, np.zeros(x.size), "^", color=_REV, mec="black", ms=9, ls="none",
                     label="∇ KL(π‖π_ref) (reverse)")
    (m_f,) = ax.plot(x, np.zeros(x.size), "v", color=_FWD, mec="black", ms=9, ls="none",
                     label="∇ KL(π_ref‖π) (forward)")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_ylim(-0.3, 0.3)              # every combination at every t lies inside (tested)
    ax.set_xticks(x, [s.replace(" (rare)", "") for s in labels], fontsize=9)
    ax.set_ylabel("d(term)/dθ_y")
    ax.set_title("the gradient each placement gives", loc="left")
    ax.legend(loc="lower right", fontsize=8)
    info = readout_box(ax, 0.97, 0.97, ha="right", **_LEFT)

    steps = np.arange(PLACE_STEPS + 1)
    (r_line,) = ax_r.plot(steps, np.ones(steps.size), color=_REV, lw=2, label="KL(π‖π_ref) (reverse)")
    (f_line,) = ax_r.plot(steps, np.ones(steps.size), color=_FWD, lw=2, ls="--", marker="o",
                          markevery=30, ms=5, label="KL(π_ref‖π) (forward)")
    ax_r.set_yscale("log")
    ax_r.minorticks_off()
    ax_r.set_ylim(1e-8, 10.0)
    ax_r.set_xlim(0, PLACE_STEPS)
    ax_r.set_xlabel("step of θ ← θ − (expected gradient of the term)")
    ax_r.set_ylabel("nats (log scale)")
    ax_r.set_title("descending the term alone, from π_t", loc="left")
    ax_r.legend(loc="lower left", fontsize=8.5)

    def compute(params):
        t = float(params["t"])
        tab = placement_table(t)
        c = (params["estimator"], params["placement"])
        return {"t": t, "c": c, "g": tab["g"][c], "rkl": tab["rkl"], "fkl": tab["fkl"],
                "run": tab["runs"][c], "verdict": tab["verdict"][c]}

    def draw(d):
        for rect, v in zip(bars, d["g"]):
            rect.set_y(min(float(v), 0.0))
            rect.set_height(abs(float(v)))
        m_r.set_ydata(d["rkl"])
        m_f.set_ydata(d["fkl"])
        r_line.set_ydata(_floor(d["run"]["rkl"]))
        f_line.set_ydata(_floor(d["run"]["fkl"]))
        est, place = d["c"]
        verdict = d["verdict"]
        info.set_text(f"{est} {'in the reward (detached)' if place == 'reward' else 'as a loss'}\n"
                      f"π_t ∝ π_ref·e^(t·r), t = {d['t']:.2f}\n"
                      f"descends: {verdict}\n"
                      f"after {PLACE_STEPS} steps: RKL {d['run']['rkl'][-1]:.2e}\n"
                      f"                  FKL {d['run']['fkl'][-1]:.2e}")

    controls = {
        "estimator": dropdown("estimator", [("k1 = −log ρ", "k1"), ("k2 = ½ log² ρ", "k2"),
                                             ("k3 = ρ − 1 − log ρ", "k3")], "k3"),
        "placement": dropdown("placement", [("in the reward (detached)", "reward"),
                                             ("as a loss (differentiated)", "loss")], "loss"),
        "t": grid_slider("how far π has moved: t", TILTS, 1.5),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Where the KL estimator sits decides which KL you optimise",
                    note="Bars on the ▲ markers: this term is the reverse KL; on the ▼ markers: the "
                         "forward KL. Try all six combinations: two sit on ▲, one on ▼, one is zero.")


# --------------------------------------------------------------------------------------------
# 5. distillation + RL (T3) and rehearsal (T2 pass@1–pass@256 frontier)
# --------------------------------------------------------------------------------------------
KD_OPTIONS = (("GRPO alone", "none"), ("+ KD, reverse-KL pull to the teacher", "k2"),
              ("+ KD, forward-KL pull (k3 as a loss)", "k3"))
#: short names of the KD options in the readout.
KD_SHORT = {"none": "GRPO alone", "k2": "+ reverse KD", "k3": "+ forward KD"}


def distill_rehearsal_explorer() -> Explorer:
    """Left: T3 steps to p ≥ .5 with and without KD. Right: pass@1–pass@256 at matched pass@1."""
    tab = frontier_table()
    tables.t3_runs()
    ends = {div: kl_run_endpoints(div) for div in ("reverse_kl", "forward_kl")}
    fig, (ax, ax_f) = new_figure(1, 2, figsize=(11.5, 4.3))
    steps = np.arange(T3_STEPS + 1)
    styles = {"none": (_GRPO, "-", None), "k2": (_REV, "--", "s"), "k3": (_FWD, "-.", "^")}
    lines, hits = {}, {}
    for label, kd in KD_OPTIONS:
        col, ls, mk = styles[kd]
        (lines[kd],) = ax.plot(steps, np.ones(steps.size), color=col, ls=ls, lw=2, label=label,
                               marker=mk, markevery=50, ms=5)
        (hits[kd],) = ax.plot([], [], "o", color=col, mec="black", ms=9)
    ax.axhline(0.5, color="0.5", lw=1.0, ls=":")
    ax.set_yscale("log")
    ax.minorticks_off()
    ax.set_ylim(5e-4, 1.5)
    ax.set_xlim(0, T3_STEPS)
    ax.set_xlabel("training step")
    ax.set_ylabel("student p(correct) on the hard prompt")
    ax.set_title("distillation + RL on a hard prompt (T3)", loc="left")
    ax.legend(loc="lower right", fontsize=8)
    info = readout_box(ax, 0.97, 0.55, ha="right", va="center", **_LEFT)

    rv = tab["reverse_kl"]["frontier"]
    fw = tab["forward_kl"]["frontier"]
    ax_f.plot(rv[:, 0], rv[:, 1], color=_REV, lw=2, label="reverse-KL optima")
    ax_f.plot(fw[:, 0], fw[:, 1], color=_FWD, lw=2, ls="--", label="forward-KL optima (rehearsal)")
    run = training_run(8, 1.0)
    ax_f.plot(run["passk"][:, 0], run["passk"][:, 2], color=_GRPO, lw=1.2, ls=":", marker=".",
              markevery=20, label="plain GRPO, steps 0 → 200")
    ax_f.plot(*ends["reverse_kl"].T, "s", color=_REV, mfc="white", ms=6, ls="none",
              label="GRPO + k1 in reward, 200 steps")
    ax_f.plot(*ends["forward_kl"].T, "^", color=_FWD, mfc="white", ms=7, ls="none",
              label="GRPO + k3 as loss, 200 steps")
    ax_f.plot([run["passk"][0, 0]], [run["passk"][0, 2]], "D", color=_BASE, ms=7, label="base π_ref")
    (pr,) = ax_f.plot([], [], "o", color=_REV, mec="black", ms=10)
    (pf,) = ax_f.plot([], [], "^", color=_FWD, mec="black", ms=11)
    ax_f.set_xlabel("pass@1")
    ax_f.set_ylabel("pass@256")
    ax_f.set_title("keeping old answers alive (T2)", loc="left")
    allx = np.r_[rv[:, 0], fw[:, 0], run["passk"][:, 0]]
    ally = np.r_[rv[:, 1], fw[:, 1], run["passk"][:, 2]]
    ax_f.set_xlim(allx.min() - 0.02, allx.max() + 0.02)
    ax_f.set_ylim(ally.min() - 0.02, min(ally.max() + 0.02, 1.01))
    ax_f.legend(loc="lower left", fontsize=7.5)
    info_f = readout_box(ax_f, 0.97, 0.97, ha="right", **_LEFT)

    def compute(params):
        beta, lr = float(params["kd_beta"]), float(params["lr"])
        runs = {kd: t3_run(kd, beta, lr) for _, kd in KD_OPTIONS}
        i = nearest_index(tab["match_grid"], params["pass1"])
        pts = {div: {"beta": float(tab[div]["matched_beta"][i]), "pass": tab[div]["matched_pass"][i]}
               for div in ("reverse_kl", "forward_kl")}
        return {"runs": runs, "beta": beta, "lr": lr, "m": pts, "p1": float(tab["match_grid"][i])}

    def draw(d):
        rows = []
        for label, kd in KD_OPTIONS:
            r = d["runs"][kd]
            lines[kd].set_ydata(_floor(r["p"]))
            hits[kd].set_data(([r["hit"]], [r["p"][r["hit"]]]) if r["hit"] is not None else ([], []))
            rows.append(f"{KD_SHORT[kd]:<12s} {r['hit'] if r['hit'] is not None else 'not yet':>7}")
        info.set_text(f"β = {d['beta']:g}, lr = {d['lr']:g}\nsteps to p ≥ 0.5:\n" + "\n".join(rows))
        m = d["m"]
        a, b = m["reverse_kl"], m["forward_kl"]
        pr.set_data([a["pass"][0]], [a["pass"][1]])
        pf.set_data([b["pass"][0]], [b["pass"][1]])
        info_f.set_text(f"matched pass@1 = {d['p1']:.2f}\n"
                        f"          reverse  forward\n"
                        f"β        {a['beta']:7.3f}  {b['beta']:7.3f}\n"
                        f"pass@256 {a['pass'][1]:7.3f}  {b['pass'][1]:7.3f}")

    controls = {
        "kd_beta": grid_slider("KD weight β", KD_BETAS, 0.2),
        "lr": grid_slider("learning rate", KD_LRS, 1.0),
        "pass1": slider("matched pass@1 (right)", 0.75, 0.50, 0.84, 0.01),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Distillation + RL, and rehearsal with a mass-covering regulariser",
                    note="Left: GRPO barely moves a 1e-3 answer; a forward-KL pull to the teacher "
                         "(k3 as a loss) reaches p = 0.5 far sooner than the reverse one, whose pull is "
                         "proportional to the student's own mass. Right: at the same pass@1 forward KL "
                         "keeps more pass@256.")


# --------------------------------------------------------------------------------------------
# 6. entropy-regularisation fixes against plain GRPO
# --------------------------------------------------------------------------------------------
FIX_METHODS = (("plain GRPO", "grpo", _GRPO, "-", None),
               ("+ entropy bonus (top-p mask)", "bonus", _REV, "--", "o"),
               ("+ Lp-Reg (KL to the low-π-pruned proxy)", "lp_reg", _GREEN, "-.", "s"),
               ("positive part only (GTPO/APO)", "positive", _PURPLE, ":", "^"))


def entropy_fixes_explorer() -> Explorer:
    """Plain GRPO against an entropy bonus with a top-p mask, Lp-Reg and a positive-only update."""
    tables.fix_runs()
    fig, (ax_c, ax_j, ax_h) = new_figure(1, 3, figsize=(12.5, 4.2))
    steps = np.arange(FIX_STEPS + 1)
    lines = {}
    for label, key, col, ls, mk in FIX_METHODS:
        lines[key] = []
        for axx in (ax_c, ax_j, ax_h):
            (ln,) = axx.plot(steps, np.full(steps.size, 0.5), color=col, ls=ls, lw=2, marker=mk,
                             markevery=40, ms=5, label=label)
            lines[key].append(ln)
    ax_c.set_ylim(0, 1.02)
    ax_c.set_ylabel("p(correct)")
    ax_c.set_title("accuracy", loc="left")
    ax_j.set_yscale("log")
    ax_j.minorticks_off()
    ax_j.set_ylim(1e-8, 2.0)
    ax_j.set_ylabel("mass on the 997 junk answers (log)")
    ax_j.set_title("junk flood", loc="left")
    ax_h.set_ylabel("entropy H(π) (nats, log)")
    ax_h.set_title("entropy", loc="left")
    ax_h.set_yscale("log")
    ax_h.minorticks_off()
    ax_h.set_ylim(1e-3, 10.0)           # H ≤ log 1000 < 7; the runs end above 1e-2
    for axx in (ax_c, ax_j, ax_h):
        axx.set_xlim(0, FIX_STEPS)
        axx.set_xlabel("GRPO step")
    ax_c.legend(loc="center right", fontsize=7.5)
    info = readout_box(ax_j, 0.03, 0.03, va="bottom", **_LEFT)

    def compute(params):
        a = float(params["alpha"])
        return {"runs": {"grpo": fix_run("grpo"),
                         "bonus": fix_run("bonus", alpha=a, top_p=float(params["top_p"])),
                         "lp_reg": fix_run("lp_reg", alpha=a, tau=float(params["tau"])),
                         "positive": fix_run("positive")},
                "alpha": a, "top_p": float(params["top_p"]), "tau": float(params["tau"])}

    def draw(d):
        rows = []
        for label, key, *_ in FIX_METHODS:
            r = d["runs"][key]
            c, j, h = lines[key]
            c.set_ydata(r["pc"])
            j.set_ydata(_floor(r["junk"]))
            h.set_ydata(_floor(r["H"]))
            rows.append(f"{key:<9s} {r['pc'][-1]:6.3f} {r['junk'][-1]:9.2e} {r['H'][-1]:6.3f}")
        info.set_text(f"α = {d['alpha']:.1f}, top_p = {d['top_p']:g}, τ = {d['tau']:g}\n"
                      f"step {FIX_STEPS}:  p(✓)      junk      H\n" + "\n".join(rows))

    controls = {
        "alpha": grid_slider("regulariser weight α", ALPHAS, 0.5),
        "top_p": grid_slider("bonus top-p mask", TOP_PS, 1.0),
        "tau": grid_slider("Lp-Reg threshold τ", TAUS, 1e-3),
    }
    return Explorer(controls, compute, draw, fig=fig,
                    title="Entropy fixes on 3 real answers + 997 junk answers",
                    note="An unmasked entropy bonus lifts every answer below e^(−H): the junk floods "
                         "and accuracy drops. A top-p mask that excludes the junk stops the flood; "
                         "Lp-Reg and a positive-only update change how fast the policy collapses.")


EXPLORERS = {
    "rlvr.training": training_explorer,
    "rlvr.pass_at_k": pass_at_k_explorer,
    "rlvr.support": support_explorer,
    "rlvr.kl_placement": kl_placement_explorer,
    "rlvr.distill_rehearsal": distill_rehearsal_explorer,
    "rlvr.entropy_fixes": entropy_fixes_explorer,
}
