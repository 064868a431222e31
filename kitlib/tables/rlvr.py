"""Tables of notebook 05 (RL with verifiable rewards): every training run and optimum its
explorers show, at the notebook's settings.

Each function is a thin wrapper over :mod:`kitlib.rlvr` (``grpo_train``, ``pass_at_k_spread``,
``crossover_k``, ``kl_grad``, ``kl_descent``, ``regularized_optimum``, ``optimum_frontier``,
``matched_optima``), registered with :func:`kitlib.tables.table`, so it is computed once and
shipped on disk (``python -m kitlib.tables rlvr.training ...``). Runs that a slider steps
through are stacked along the slider's grid (one file per explorer, not one per run); the views
(:mod:`kitlib.views.rlvr`) only index these arrays and draw. No widgets, no matplotlib.

Conventions of every table here: ``T`` steps give ``T + 1`` rows (row 0 is π_ref); a missing
value (a k above the budget n, a run that never reaches p = 0.5, no crossover) is stored as
NaN or −1 as each entry says; probabilities in [0, 1], entropies in nats.

The toys are the brief's (:func:`kitlib.rlvr.toy_t1` … :func:`kitlib.rlvr.toy_entropy_explosion`).
"""

from __future__ import annotations

import numpy as np

from kitlib import divergences, rlvr
from kitlib.tables import progress, table

__all__ = [
    "t2_run", "training", "pass_at_k_table", "support_runs", "placement", "t3_runs",
    "kl_run_endpoints", "frontier", "fix_runs",
    "T2_STEPS", "T2_GROUPS", "T2_LRS", "PASS_KS", "SAMPLED_SEEDS", "K_GRID", "BUDGETS", "EST_KS",
    "CHECKPOINTS", "SUPPORT_STEPS", "SUPPORT_BETAS", "HOLES", "REWARD_SETS", "KL_DIVERGENCES",
    "KL_OF", "PLACE_STEPS", "KL_COMBOS", "TILTS", "T3_STEPS", "KD_BETAS", "KD_LRS", "KD_METHODS",
    "MATCH_GRID", "FRONTIER_BETAS", "FRONTIER_KS", "KL_RUN_BETAS", "FIX_STEPS", "ALPHAS", "TOP_PS",
    "TAUS", "FIX_METHODS",
]

# --------------------------------------------------------------------------------------------
# the notebook's settings (the explorers' slider grids)
# --------------------------------------------------------------------------------------------
#: GRPO steps on T2; group sizes and learning rates of the training explorer's sliders.
T2_STEPS = 200
T2_GROUPS = (2, 4, 8, 16, 32, 64)
T2_LRS = (0.25, 0.5, 1.0, 2.0)
#: the k of the pass@k curves over steps.
PASS_KS = (1, 16, 256)
#: seeds of the sampled runs (G = 8, lr 1, one group per prompt per step).
SAMPLED_SEEDS = (0, 1, 2)
#: pass@k explorer: the k axis (120 log-spaced integers 1…1024), budgets n, the estimator's k
#: (powers of 2, shown where k ≤ n) and the GRPO checkpoints of the (G = 8, lr 1) run.
K_GRID = tuple(int(k) for k in np.unique(np.round(np.geomspace(1, 1024, 120)).astype(int)))
BUDGETS = (8, 16, 32, 64, 128, 256, 512)
EST_KS = tuple(2 ** i for i in range(11))
CHECKPOINTS = (0, 5, 10, 20, 30, 50, 75, 100, 150, 200)
#: support explorer (T1): steps, KL weights β, the rare answer's π_ref and the reward sets.
SUPPORT_STEPS = 150
SUPPORT_BETAS = (0.01, 0.05, 0.1, 0.25, 0.37, 0.5, 1.0, 2.0, 10.0)
HOLES = ("zero", "tiny", "none")
REWARD_SETS = ("easy", "hard")
#: the two KL regularisers a run can carry, and the (estimator, placement) that gives each.
KL_DIVERGENCES = ("reverse_kl", "forward_kl")
KL_OF = {"reverse_kl": ("k1", "reward"), "forward_kl": ("k3", "loss")}
#: KL-placement explorer: steps of the KL-only descent, the six combinations, the tilts t.
PLACE_STEPS = 150
KL_COMBOS = tuple((e, p) for e in ("k1", "k2", "k3") for p in ("reward", "loss"))
TILTS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
#: distillation explorer (T3): steps, KD weights, learning rates, and the three methods
#: ("none" = GRPO alone, "k2" = reverse-KL pull, "k3" = forward-KL pull, both as a loss).
T3_STEPS = 300
KD_BETAS = (0.1, 0.2, 0.5)
KD_LRS = (0.5, 1.0, 2.0)
KD_METHODS = ("none", "k2", "k3")
#: rehearsal (T2): matched pass@1 targets, the β grid of the optimum frontiers, their k.
MATCH_GRID = tuple(float(x) for x in np.round(np.arange(0.50, 0.8401, 0.01), 2))
FRONTIER_BETAS = tuple(float(b) for b in np.geomspace(1e-3, 30.0, 160))
FRONTIER_KS = (1, 256)
#: β of the GRPO + KL runs on T2 whose endpoints the rehearsal panel marks.
KL_RUN_BETAS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
#: entropy-fixes explorer (junk toy): steps, regulariser weights α, top-p masks, Lp-Reg τ.
FIX_STEPS = 200
ALPHAS = (0.0, 0.25, 0.5, 1.0)
TOP_PS = (0.9, 0.905, 0.95, 1.0)
TAUS = (1e-3, 1e-2, 1e-1)
FIX_METHODS = ("grpo", "bonus", "lp_reg", "positive")


def _kl_kwargs(kl_coef: float, divergence: str) -> dict:
    if divergence == "none":
        return {}
    est, place = KL_OF[divergence]
    return {"kl_coef": kl_coef, "kl_estimator": est, "kl_placement": place}


def _t2_train(*, group_size=8, lr=1.0, mode="exact", seed=0, kl_coef=0.0, divergence="none"):
    toy = rlvr.toy_t2()
    return rlvr.grpo_train(toy.logits, toy.rewards, steps=T2_STEPS, group_size=group_size, lr=lr,
                           mode=mode, seed=seed, **_kl_kwargs(kl_coef, divergence))


# --------------------------------------------------------------------------------------------
# T2: GRPO training runs
# --------------------------------------------------------------------------------------------
@table("rlvr.t2_run")
def t2_run(*, group_size: int = 8, lr: float = 1.0, mode: str = "exact", seed: int = 0,
           kl_coef: float = 0.0, divergence: str = "none") -> dict:
    """One GRPO run on toy T2 for ``T2_STEPS`` = 200 steps (:func:`kitlib.rlvr.grpo_train`).

    Parameters
    ----------
    group_size, lr, mode, seed : as :func:`kitlib.rlvr.grpo_train` (``seed`` only matters with
        ``mode="sampled"``).
    kl_coef, divergence : an optional KL term to π_ref at weight β = ``kl_coef``:
        ``"reverse_kl"`` (k1 in the reward), ``"forward_kl"`` (k3 as a loss) or ``"none"``.

    Returns
    -------
    ``policies`` (201, 6) π_t; ``H`` (201,) entropy in nats; ``pc`` (201, 200) per-prompt
    p(correct); ``passk`` (201, 3) pass@1/16/256 (``PASS_KS``); ``dH1`` (200,) the covariance
    prediction of each step's entropy change; ``dH`` (200,) the exact change.
    The shipped set is the notebook's default run (G = 8, lr 1, exact).
    """
    tr = _t2_train(group_size=group_size, lr=lr, mode=mode, seed=seed, kl_coef=kl_coef,
                   divergence=divergence)
    return {"policies": tr.policies, "H": tr.entropy, "pc": tr.p_correct,
            "passk": tr.pass_at_k(np.array(PASS_KS)), "dH1": tr.dH_first_order, "dH": tr.dH_exact}


@table("rlvr.training")
def training(*, group_sizes: tuple = T2_GROUPS, lrs: tuple = T2_LRS,
             seeds: tuple = SAMPLED_SEEDS) -> dict:
    """Every GRPO run of the training explorer on T2 (200 steps), stacked along its sliders.

    ``exact``: exact expected updates at every (G, lr) of ``group_sizes`` × ``lrs``;
    ``sampled``: seeded sampled runs at G = 8, lr 1 for each of ``seeds``.

    Returns
    -------
    ``exact``: ``passk`` (nG, nlr, 201, 3) pass@1/16/256, ``H`` (nG, nlr, 201) entropy (nats),
    ``spark`` (nG, nlr, 201) the spark strategy's mass π_t(spark), ``dH1`` and ``dH``
    (nG, nlr, 200) first-order and exact entropy change per step.
    ``sampled``: ``passk`` (nseeds, 201, 3), ``H`` and ``spark`` (nseeds, 201).
    ``grid``: ``group_sizes``, ``lrs``, ``seeds`` as arrays.
    """
    keys = ("passk", "H", "spark", "dH1", "dH")
    exact = {k: [] for k in keys}
    jobs = [(g, lr) for g in group_sizes for lr in lrs]
    for g, lr in progress(jobs, "GRPO runs on T2"):
        r = _summary(_t2_train(group_size=g, lr=lr))
        for k in keys:
            exact[k].append(r[k])
    shape = (len(group_sizes), len(lrs))
    exact = {k: np.array(a).reshape(shape + np.shape(a[0])) for k, a in exact.items()}
    smp = [_summary(_t2_train(group_size=8, lr=1.0, mode="sampled", seed=s))
           for s in progress(seeds, "sampled GRPO runs on T2")]
    sampled = {k: np.array([r[k] for r in smp]) for k in ("passk", "H", "spark")}
    grid = {"group_sizes": np.array(group_sizes), "lrs": np.array(lrs, dtype=float),
            "seeds": np.array(seeds)}
    return {"exact": exact, "sampled": sampled, "grid": grid}


def _summary(tr: rlvr.Trajectory) -> dict:
    return {"passk": tr.pass_at_k(np.array(PASS_KS)), "H": tr.entropy, "spark": tr.policies[:, -1],
            "dH1": tr.dH_first_order, "dH": tr.dH_exact}


@table("rlvr.kl_run_endpoints", presets=({"divergence": "forward_kl"},))
def kl_run_endpoints(*, divergence: str = "reverse_kl", betas: tuple = KL_RUN_BETAS) -> dict:
    """(pass@1, pass@256) after 200 exact GRPO steps on T2 (G = 8, lr 1) with a KL term to π_ref
    at each β of ``betas``: ``"reverse_kl"`` = k1 in the reward, ``"forward_kl"`` = k3 as a loss.

    Returns ``betas`` (nβ,) and ``ends`` (nβ, 2): pass@1 and pass@256 of the last step.
    """
    ends = []
    for b in progress(betas, f"GRPO + {divergence} runs on T2"):
        tr = _t2_train(kl_coef=b, divergence=divergence)
        ends.append(tr.pass_at_k(np.array(PASS_KS))[-1][[0, 2]])
    return {"betas": np.array(betas, dtype=float), "ends": np.array(ends)}


# --------------------------------------------------------------------------------------------
# pass@k over k, before and after; the estimators' spread
# --------------------------------------------------------------------------------------------
@table("rlvr.pass_at_k")
def pass_at_k_table(*, checkpoints: tuple = CHECKPOINTS, budgets: tuple = BUDGETS,
                    k_grid: tuple = K_GRID, est_ks: tuple = EST_KS) -> dict:
    """pass@k of the T2 base model and of the (G = 8, lr 1) GRPO run at each checkpoint, the
    crossover k, and the exact spread of the unbiased and plug-in estimators.

    Returns
    -------
    ``k`` (nk,) = ``k_grid``; ``base`` (nk,) and ``trained`` (nc, nk) exact pass@k
    (:func:`kitlib.rlvr.pass_at_k`); ``pc_base`` (200,) and ``pc`` (nc, 200) per-prompt p(correct);
    ``cross`` (nc,) the smallest k ≤ max k_grid where the base wins (:func:`kitlib.rlvr.crossover_k`),
    −1 if none, and ``cross_pass`` (nc,) the base's pass@cross (NaN if none);
    ``spread``: ``k`` (ne,) = ``est_ks``, ``budgets`` (nb,), and the mean/SD of the unbiased
    estimate and the plug-in mean (:func:`kitlib.rlvr.pass_at_k_spread`) from n samples per
    prompt: ``base_mean``/``base_sd``/``base_plugin`` (nb, ne), ``trained_*`` (nc, nb, ne),
    NaN where k > n.
    """
    run = t2_run()
    ks = np.array(k_grid)
    pc_base = run["pc"][0]
    pcs = np.array([run["pc"][s] for s in checkpoints])
    cross = [rlvr.crossover_k(pc_base, pc, k_max=int(ks[-1])) for pc in pcs]
    est = np.array(est_ks)

    def spread(pc):
        out = np.full((3, len(budgets), est.size), np.nan)
        for i, n in enumerate(budgets):
            sel = est <= n
            sp = rlvr.pass_at_k_spread(pc, n, est[sel])
            out[:, i, sel] = sp["unbiased_mean"], sp["unbiased_sd"], sp["plugin_mean"]
        return out

    base = spread(pc_base)
    trained = np.array([spread(pc) for pc in progress(pcs, "estimator spreads")])
    return {
        "k": ks, "steps": np.array(checkpoints), "base": rlvr.pass_at_k(pc_base, ks),
        "trained": np.array([rlvr.pass_at_k(pc, ks) for pc in pcs]),
        "pc_base": pc_base, "pc": pcs,
        "cross": np.array([-1 if c is None else c for c in cross]),
        "cross_pass": np.array([np.nan if c is None else float(rlvr.pass_at_k(pc_base, c))
                                for c in cross]),
        "spread": {"k": est, "budgets": np.array(budgets),
                   "base_mean": base[0], "base_sd": base[1], "base_plugin": base[2],
                   "trained_mean": trained[:, 0], "trained_sd": trained[:, 1],
                   "trained_plugin": trained[:, 2]},
    }


# --------------------------------------------------------------------------------------------
# support (T1): reverse vs forward KL on a reference with a hole
# --------------------------------------------------------------------------------------------
@table("rlvr.support_runs",
       presets=tuple({"hole": h, "rewards": r} for h in HOLES for r in REWARD_SETS))
def support_runs(*, hole: str = "zero", rewards: str = "hard", betas: tuple = SUPPORT_BETAS) -> dict:
    """GRPO (G = 8, lr 1, ``SUPPORT_STEPS`` = 150 exact steps) + a KL term at each β on toy T1
    (``rlvr.toy_t1(hole=hole, rewards=rewards)``), from π_ref, and the exact optimum of
    E r − β·D (:func:`kitlib.rlvr.regularized_optimum`), for both KL directions.

    Returns ``betas`` (nβ,) and, for ``reverse_kl`` (k1 in the reward) and ``forward_kl`` (k3 as
    a loss): ``policies`` (nβ, 151, 6) π_t, ``p_correct`` (nβ, 151) = π_t·r, ``opt`` (nβ, 6) the
    optimum, ``opt_reward`` (nβ,) its expected reward and ``opt_outside`` (nβ,) its mass where
    π_ref = 0 (outside the reference's support).
    """
    toy = rlvr.toy_t1(hole=hole, rewards=rewards)
    r = toy.rewards[0]
    out = {"betas": np.array(betas, dtype=float)}
    for div in KL_DIVERGENCES:
        est, place = KL_OF[div]
        pols, opts = [], []
        for beta in progress(betas, f"T1 runs ({hole}, {rewards}, {div})"):
            tr = rlvr.grpo_train(toy.logits, toy.rewards, steps=SUPPORT_STEPS, group_size=8,
                                 lr=1.0, kl_coef=beta, kl_estimator=est, kl_placement=place)
            pols.append(tr.policies)
            opts.append(rlvr.regularized_optimum(toy.p_ref, r, beta, div))
        pols, opts = np.array(pols), np.array(opts)
        out[div] = {"policies": pols, "p_correct": pols @ r, "opt": opts,
                    "opt_reward": opts @ r, "opt_outside": opts[:, toy.p_ref == 0.0].sum(axis=1)}
    return out


# --------------------------------------------------------------------------------------------
# where the KL estimator sits
# --------------------------------------------------------------------------------------------
@table("rlvr.placement")
def placement(*, tilts: tuple = TILTS) -> dict:
    """For the T1 policy tilted towards the correct answers, π_t ∝ π_ref·e^(t·r) (π_ref =
    ``toy_t1(hole="none")``), at each t of ``tilts``: the expected gradient of every (estimator,
    placement) of ``KL_COMBOS`` (:func:`kitlib.rlvr.kl_grad`), what it descends
    (:func:`kitlib.rlvr.kl_term_optimises`), and the KL-only descent from π_t
    (:func:`kitlib.rlvr.kl_descent`, lr 1, ``PLACE_STEPS`` = 150 steps) with both KLs along it.

    Returns ``tilts`` (nt,); ``g`` (nt, 6, K) gradients (combination order of ``KL_COMBOS``);
    ``rkl``/``fkl`` (nt, K) ∇KL(π‖π_ref) and ∇KL(π_ref‖π) (k1-reward, k3-loss);
    ``verdict`` (nt, 6) strings; ``run_rkl``/``run_fkl`` (nt, 6, 151) KL(π‖π_ref) and
    KL(π_ref‖π) in nats along each descent.
    """
    toy = rlvr.toy_t1(hole="none")
    ref, r = toy.logits, toy.rewards[0]
    p_ref = toy.p_ref[None, :]
    g, verdict, run_r, run_f = [], [], [], []
    for t in progress(tilts, "KL-only descents"):
        th = ref + t * r
        gt = [rlvr.kl_grad(th, ref, *c) for c in KL_COMBOS]
        rkl, fkl = gt[KL_COMBOS.index(("k1", "reward"))], gt[KL_COMBOS.index(("k3", "loss"))]
        g.append(gt)
        verdict.append([rlvr.kl_term_optimises(x, rkl, fkl) for x in gt])
        rr, ff = [], []
        for c in KL_COMBOS:
            pol = rlvr.kl_descent(th, ref, *c, lr=1.0, steps=PLACE_STEPS)
            rr.append(divergences.kl(pol, p_ref))
            ff.append(divergences.kl(p_ref, pol))
        run_r.append(rr)
        run_f.append(ff)
    g = np.array(g)
    i_r, i_f = KL_COMBOS.index(("k1", "reward")), KL_COMBOS.index(("k3", "loss"))
    return {"tilts": np.array(tilts, dtype=float), "g": g, "rkl": g[:, i_r], "fkl": g[:, i_f],
            "verdict": np.array(verdict), "run_rkl": np.array(run_r), "run_fkl": np.array(run_f)}


# --------------------------------------------------------------------------------------------
# distillation + RL (T3) and rehearsal (T2 optima)
# --------------------------------------------------------------------------------------------
@table("rlvr.t3_runs")
def t3_runs(*, betas: tuple = KD_BETAS, lrs: tuple = KD_LRS) -> dict:
    """GRPO (G = 8, ``T3_STEPS`` = 300 exact steps) on toy T3 alone (``none``) or with a KD term
    towards the teacher as a loss at weight β: ``k2`` (reverse-KL pull), ``k3`` (forward-KL pull).

    Returns ``betas``, ``lrs`` and for each of ``KD_METHODS``: ``p`` (nβ, nlr, 301) the student's
    p(correct) on the hard prompt; ``hit`` (nβ, nlr) the first step with p ≥ 0.5
    (:func:`kitlib.rlvr.steps_to_reach`), −1 if never. (``none`` does not depend on β.)
    """
    toy = rlvr.toy_t3()
    out = {"betas": np.array(betas, dtype=float), "lrs": np.array(lrs, dtype=float)}
    alone = {}
    for lr in lrs:
        alone[lr] = rlvr.grpo_train(toy.logits, toy.rewards, steps=T3_STEPS, group_size=8, lr=lr)
    for kd in progress(KD_METHODS, "T3 runs"):
        p = np.empty((len(betas), len(lrs), T3_STEPS + 1))
        hit = np.empty((len(betas), len(lrs)), dtype=np.int64)
        for i, beta in enumerate(betas):
            for j, lr in enumerate(lrs):
                tr = alone[lr] if kd == "none" else rlvr.grpo_train(
                    toy.logits, toy.rewards, steps=T3_STEPS, group_size=8, lr=lr, kd_coef=beta,
                    kd_estimator=kd, kd_placement="loss", teacher_logits=toy.teacher_logits)
                h = rlvr.steps_to_reach(tr, 0.5)
                p[i, j], hit[i, j] = tr.p_correct[:, 0], -1 if h is None else h
        out[kd] = {"p": p, "hit": hit}
    return out


@table("rlvr.frontier")
def frontier(*, match_grid: tuple = MATCH_GRID, betas: tuple = FRONTIER_BETAS,
             ks: tuple = FRONTIER_KS) -> dict:
    """Exact optima of E r − β·KL on T2 (one shared policy): the pass@1–pass@256 frontier along
    ``betas`` (:func:`kitlib.rlvr.optimum_frontier`) and the optima at each matched pass@1 of
    ``match_grid`` (:func:`kitlib.rlvr.matched_optima`), for reverse and forward KL.

    Returns ``match_grid`` (nm,) and for ``reverse_kl`` / ``forward_kl``: ``frontier`` (nβ, 2)
    (pass@1, pass@256) along the β grid; ``matched_beta`` (nm,), ``matched_pass`` (nm, 2) and
    ``matched_policies`` (nm, 6) the optima.
    """
    toy = rlvr.toy_t2()
    m = rlvr.matched_optima(toy, np.array(match_grid), ks=ks)
    out = {"match_grid": np.array(match_grid)}
    for div in KL_DIVERGENCES:
        f = rlvr.optimum_frontier(toy, np.array(betas), div, ks=ks)
        out[div] = {"frontier": f["pass_at_k"], "matched_beta": m[div]["beta"],
                    "matched_pass": m[div]["pass_at_k"], "matched_policies": m[div]["policies"]}
    return out


# --------------------------------------------------------------------------------------------
# entropy-regularisation fixes on the junk toy
# --------------------------------------------------------------------------------------------
def _fix_summary(tr: rlvr.Trajectory) -> dict:
    pol = tr.policies
    return {"pc": pol[:, 0], "junk": pol[:, 3:].sum(1), "H": np.asarray(tr.entropy),
            "wrong": pol[:, 1:3].sum(1)}


@table("rlvr.fix_runs")
def fix_runs(*, alphas: tuple = ALPHAS, top_ps: tuple = TOP_PS, taus: tuple = TAUS) -> dict:
    """Exact GRPO (G = 8, lr 1, ``FIX_STEPS`` = 200 steps) on the junk toy
    (:func:`kitlib.rlvr.toy_entropy_explosion`) with one fix each: ``grpo`` (none), ``positive``
    (GTPO/APO's positive-only update), ``bonus`` (entropy bonus α with a top-p mask, each
    (α, top_p)), ``lp_reg`` (Lp-Reg at weight α and threshold τ, each (α, τ)); α = 0 is plain GRPO.

    Returns ``alphas``, ``top_ps``, ``taus`` and per method ``pc`` p(correct), ``junk`` the mass on
    the 997 junk answers, ``wrong`` on the two wrong real answers, ``H`` the entropy (nats), each
    (201,) for ``grpo``/``positive``, (nα, ntop_p, 201) for ``bonus``, (nα, nτ, 201) for ``lp_reg``.
    """
    toy = rlvr.toy_entropy_explosion()

    def run(**kw):
        return _fix_summary(rlvr.grpo_train(toy.logits, toy.rewards, steps=FIX_STEPS,
                                            group_size=8, lr=1.0, **kw))

    out = {"alphas": np.array(alphas, dtype=float), "top_ps": np.array(top_ps, dtype=float),
           "taus": np.array(taus, dtype=float)}
    plain = run()
    out["grpo"], out["positive"] = plain, run(part="positive")
    jobs = [("bonus", a, x) for a in alphas for x in top_ps] + [("lp_reg", a, x) for a in alphas
                                                                 for x in taus]
    runs = {}
    for method, a, x in progress(jobs, "junk-toy runs"):
        if a == 0.0:
            runs[method, a, x] = plain
        elif method == "bonus":
            runs[method, a, x] = run(entropy_coef=a, top_p=x)
        else:
            runs[method, a, x] = run(lp_coef=a, lp_tau=x)
    for method, second in (("bonus", top_ps), ("lp_reg", taus)):
        out[method] = {k: np.array([[runs[method, a, x][k] for x in second] for a in alphas])
                       for k in plain}
    return out
