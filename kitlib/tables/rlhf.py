"""Tables behind notebook 04's explorers (RLHF reward–KL frontiers), widget-free.

Everything the explorers of :mod:`kitlib.views.rlhf` precompute is here: the toy problems and their
exact frontiers, best-of-N curves, f-regularised curves, the matched-pass@1 diversity rows, the
torch training runs, the Goodhart curves and the memoryless token model. Each ``@table`` is
computed once per parameter set, kept in memory and shipped on disk (:mod:`kitlib.tables`); the
views only index them and draw. Importing this module imports neither matplotlib, ipywidgets nor
torch (:func:`training` imports torch when it computes).

Grids (public constants, shared with the views): :data:`BETAS` (frontier β), :data:`BON_NS`,
:data:`F_BETAS`, :data:`F_ALPHAS`, :data:`PASS_KS`, :data:`DIV_NOISES`, :data:`DIV_TARGETS`,
:data:`DIV_KINDS`, :data:`TRAIN_BETAS`, :data:`DPO_PAIRS`, :data:`GH_LAMBDAS`, :data:`GH_NS`,
:data:`GH_CS`, :data:`MEM_DELTAS`, :data:`MEM_NS`.
"""

from __future__ import annotations

import numpy as np

from kitlib import rlhf
from kitlib.tables import progress, table

__all__ = [
    "SEED", "M_LM", "BETAS", "LM_PEAKEDNESS", "lm_toy", "BON_NS", "best_of_n_curves",
    "F_M", "F_BETAS", "F_ALPHAS", "F_KINDS", "f_curves", "f_curve", "f_curve_key",
    "PASS_KS", "N_PROMPTS", "N_RESP", "DIV_NOISES", "DIV_KINDS", "DIV_TARGETS", "DIV_BRACKET",
    "prompts", "diversity", "diversity_key", "matched_diversity",
    "TRAIN_M", "TRAIN_BETAS", "DPO_PAIRS", "training", "WORKED_P_REF", "WORKED_REWARDS",
    "estimator_runs",
    "GH_LAMBDAS", "GH_NS", "GH_CS", "goodhart", "goodhart_key",
    "MEM_Q", "MEM_DELTAS", "MEM_NS", "memoryless", "memoryless_key",
]

#: the seed of every toy problem of notebook 04
SEED = 0

# --------------------------------------------------------------------------------------------
# the categorical "LM" and its exact frontier
# --------------------------------------------------------------------------------------------
#: responses of the categorical "LM"
M_LM = 400
#: the β grid of the frontier curve (log-spaced, 10⁻² … 10^1.5)
BETAS = np.geomspace(1e-2, 10**1.5, 160)
#: the π_ref peakedness values of the frontier explorer's slider
LM_PEAKEDNESS = tuple(float(x) for x in np.arange(0.0, 3.001, 0.25))


@table("rlhf.lm_toy", presets=({"reward": "levels"},))
def lm_toy(*, peakedness: float = 1.0, reward: str = "gaussian") -> dict:
    """The categorical "LM" of notebook 04 and its exact frontier over :data:`BETAS`.

    ``rlhf.categorical_lm(M_LM, peakedness, seed=SEED, reward=reward, n_levels=5,
    correlation=0.3)``; ``reward`` is ``"gaussian"`` or ``"levels"`` (5 levels, ties).

    Returns
    -------
    dict
        ``p_ref`` (M_LM,), ``rewards`` (M_LM,), and the frontier ``kl``, ``reward`` (160,) at
        :data:`BETAS` (``rlhf.frontier``). Cost: ~5 ms.
    """
    p, r = rlhf.categorical_lm(M_LM, peakedness, seed=SEED, reward=reward, n_levels=5,
                               correlation=0.3)
    f = rlhf.frontier(p, r, BETAS)
    return {"p_ref": p, "rewards": r, "kl": f.kl, "reward": f.reward}


# --------------------------------------------------------------------------------------------
# best-of-N
# --------------------------------------------------------------------------------------------
#: the values of N of the best-of-N curves (integers, log-spaced, 1 … 10⁴)
BON_NS = np.unique(np.round(np.geomspace(1, 1e4, 70)))


@table("rlhf.best_of_n_curves")
def best_of_n_curves() -> dict:
    """Exact best-of-N (KL, reward) over :data:`BON_NS` on the peakedness-1 "LM" (:func:`lm_toy`).

    Returns
    -------
    dict
        One entry per ``f"{reward}-{ties}"`` (reward ``"gaussian"``/``"levels"``, ties
        ``"draw_order"``/``"identity"``), each with ``kl`` and ``reward`` of shape (len(BON_NS),)
        (``rlhf.best_of_n_curve``). Cost: ~20 ms.
    """
    out = {}
    for reward in ("gaussian", "levels"):
        toy = lm_toy(peakedness=1.0, reward=reward)
        for ties in ("draw_order", "identity"):
            c = rlhf.best_of_n_curve(toy["p_ref"], toy["rewards"], BON_NS, ties=ties)
            out[f"{reward}-{ties}"] = {"kl": c.kl, "reward": c.reward}
    return out


# --------------------------------------------------------------------------------------------
# f-regularised optima
# --------------------------------------------------------------------------------------------
#: responses of the f-divergence toy
F_M = 200
#: the β grid of the f-regularised curves (10^−1.5 … 10)
F_BETAS = np.geomspace(10**-1.5, 10.0, 50)
#: the α values of the explorer's slider (f-DPO's α, 0.05 … 0.95)
F_ALPHAS = tuple(round(float(a), 2) for a in np.arange(0.05, 0.951, 0.05))
#: the regularisers of the f-divergence explorer (canonical names, see ``rlhf.F_REGULARIZERS``)
F_KINDS = ("alpha", "reverse_kl", "forward_kl", "js", "neyman_chi2", "tv")


def _f_toy():
    p, r = rlhf.categorical_lm(F_M, 1.0, seed=SEED + 1, correlation=0.3)
    return p, r


def f_curve(divergence: str, *, alpha=None) -> dict:
    """The curve of f-regularised optima over :data:`F_BETAS` for one regulariser (computed).

    Returns ``R`` = E_π r, ``KL`` = KL(π‖π_ref) and ``D`` = the regulariser's own value
    (``rlhf.f_divergence_value``), each of shape (len(F_BETAS),). Cost: ~50 solves, < 0.2 s.
    """
    p, r = _f_toy()
    pols = np.array([rlhf.f_regularized_policy(p, r, b, divergence, alpha=alpha) for b in F_BETAS])
    return {"R": pols @ r, "KL": np.array([rlhf.kl_to_ref(q, p) for q in pols]),
            "D": np.array([rlhf.f_divergence_value(q, p, divergence, alpha=alpha) for q in pols])}


def f_curve_key(divergence: str, *, alpha=None) -> str:
    """The key of :func:`f_curves` for a regulariser (``"alpha-0.50"`` for α = 0.5)."""
    return f"alpha-{alpha:.2f}" if divergence == "alpha" else divergence


@table("rlhf.f_curves")
def f_curves() -> dict:
    """The f-divergence toy (``categorical_lm(F_M, 1, seed=SEED + 1, correlation=0.3)``), its
    reverse-KL frontier over :data:`F_BETAS`, and every regulariser's curve (:func:`f_curve`).

    Returns
    -------
    dict
        ``toy``: ``p_ref``, ``rewards`` (F_M,), ``kl``, ``reward`` (the tilt's frontier, (50,));
        one entry per regulariser key (:func:`f_curve_key`: ``"reverse_kl"``, ``"forward_kl"``,
        ``"js"``, ``"neyman_chi2"``, ``"tv"`` and ``"alpha-0.05"`` … ``"alpha-0.95"``), each with
        ``R``, ``KL``, ``D`` of shape (50,). Cost: ~1 200 solves, ~2 s.
    """
    p, r = _f_toy()
    f = rlhf.frontier(p, r, F_BETAS)
    out = {"toy": {"p_ref": p, "rewards": r, "kl": f.kl, "reward": f.reward}}
    jobs = [(d, None) for d in F_KINDS if d != "alpha"] + [("alpha", a) for a in F_ALPHAS]
    for div, alpha in progress(jobs, "f-regularised curves"):
        out[f_curve_key(div, alpha=alpha)] = f_curve(div, alpha=alpha)
    return out


# --------------------------------------------------------------------------------------------
# diversity and pass@k at matched pass@1
# --------------------------------------------------------------------------------------------
#: the k of pass@k (1, 2, 4, …, 64)
PASS_KS = 2 ** np.arange(0, 7)
#: prompts and responses of the many-prompt toy (``rlhf.prompts_toy``)
N_PROMPTS, N_RESP = 300, 64
#: the proxy-reward noise levels σ of the diversity explorer
DIV_NOISES = (0.0, 0.5, 1.0)
#: the regularisers compared at matched pass@1 ("js" is the Jensen–Shannon divergence)
DIV_KINDS = ("reverse_kl", "forward_kl", "js")
#: matched pass@1 targets of the slider: every one is reachable at every noise level (with σ = 1
#: the proxy-optimal policies never exceed a mean pass@1 of about 0.6)
DIV_TARGETS = np.round(np.arange(0.2, 0.5501, 0.05), 2)
#: the β bracket of the root finds (JS's β is twice what the f-GAN 2·JSD convention needs)
DIV_BRACKET = (0.005, 100.0)


def prompts(noise: float):
    """``rlhf.prompts_toy`` of the diversity explorer: (p_ref, correct, proxy), shape (300, 64)."""
    return rlhf.prompts_toy(n_prompts=N_PROMPTS, n_responses=N_RESP, seed=SEED,
                            proxy_noise=float(noise))


def matched_diversity(noise: float, target: float, divergence: str) -> dict:
    """The optimum of E proxy − β·D at the β where mean pass@1 equals ``target`` exactly
    (``rlhf.matched_beta``), computed: ``beta``, per-prompt ``pc`` = p(correct) (300,), ``passk``
    over :data:`PASS_KS` (7,), mean entropy ``H`` (``rlhf.entropy``) and mean expected number of
    distinct answers in 8 draws ``dist`` (``rlhf.expected_distinct``). The shipped rows are in
    :func:`diversity`. Cost: ~40 batch solves, ~0.1 s."""
    p, correct, proxy = prompts(noise)
    beta = rlhf.matched_beta(p, proxy, float(target), divergence, score=correct,
                             bracket=DIV_BRACKET)
    pol = rlhf.f_regularized_batch(p, proxy, beta, divergence)
    pc = (pol * correct).sum(1)
    return {"beta": beta, "pc": pc, "passk": rlhf.pass_at_k(pc, PASS_KS),
            "H": float(np.mean([rlhf.entropy(q) for q in pol])),
            "dist": float(np.mean([rlhf.expected_distinct(q, 8) for q in pol]))}


def diversity_key(noise: float, *, target=None, divergence: str = "ref") -> str:
    """The key of a :func:`diversity` row: ``"0.5-0.30-js"``, or ``"0.5-ref"`` for π_ref."""
    if divergence == "ref":
        return f"{float(noise):.1f}-ref"
    return f"{float(noise):.1f}-{float(target):.2f}-{divergence}"


@table("rlhf.diversity")
def diversity() -> dict:
    """Every row of the diversity explorer: :func:`matched_diversity` for each noise in
    :data:`DIV_NOISES`, target in :data:`DIV_TARGETS` and regulariser in :data:`DIV_KINDS`, and
    π_ref's row per noise (``pc``, ``passk``).

    Returns
    -------
    dict
        Rows keyed by :func:`diversity_key`. Cost: 72 root finds, ~10 s on one core.
    """
    out = {}
    for noise in DIV_NOISES:
        p, correct, _ = prompts(noise)
        pc = (p * correct).sum(1)
        out[diversity_key(noise)] = {"pc": pc, "passk": rlhf.pass_at_k(pc, PASS_KS)}
    jobs = [(n, float(t), d) for n in DIV_NOISES for t in DIV_TARGETS for d in DIV_KINDS]
    for noise, target, div in progress(jobs, "matching pass@1 (root finds)"):
        out[diversity_key(noise, target=target, divergence=div)] = matched_diversity(noise, target,
                                                                                     div)
    return out


# --------------------------------------------------------------------------------------------
# where training lands (torch)
# --------------------------------------------------------------------------------------------
#: responses of the training toy
TRAIN_M = 6
#: β of the training runs
TRAIN_BETAS = np.array([0.25, 0.5, 1.0, 2.0, 4.0])
#: numbers of DPO preference pairs (10^1.5 … 10^4.5)
DPO_PAIRS = np.round(10.0 ** np.arange(1.5, 4.51, 0.5)).astype(int)


def _kl_r(pols, p, r):
    return np.array([rlhf.kl_to_ref(q, p) for q in pols]), np.asarray(pols) @ r


@table("rlhf.training")
def training() -> dict:
    """Where training lands on the 6-response toy (``categorical_lm(6, 1, seed=SEED + 3)``).

    Returns
    -------
    dict
        ``p_ref``, ``rewards`` (6,); the tilt frontier ``f_kl``, ``f_reward`` (120 β in
        [0.05, 50]); the forward-KL optima ``fwd_kl``, ``fwd_R`` at those β; REINFORCE
        (``rlhf.train_policy``, 300 steps, batch 512) with k1 in the reward ``k1`` and k3 as a
        loss ``k3``, each (len(TRAIN_BETAS), 2) of (KL, E r); DPO (``rlhf.dpo_policy``, 300
        steps) ``dpo`` of shape (len(DPO_PAIRS), len(TRAIN_BETAS), 2); the tilts ``theory``
        (len(TRAIN_BETAS), 2); the exact softmax policy-gradient path ``van_kl``, ``van_R``
        (601,). Cost: 45 torch runs, ~15 s on one core.
    """
    p, r = rlhf.categorical_lm(TRAIN_M, 1.0, seed=SEED + 3)
    fine = np.geomspace(0.05, 50.0, 120)
    f = rlhf.frontier(p, r, fine)
    fwd_kl, fwd_r = _kl_r([rlhf.f_regularized_policy(p, r, b, "forward_kl") for b in fine], p, r)
    pts = {"k1": [], "k3": []}
    for b in progress(TRAIN_BETAS, "REINFORCE runs"):
        for key, est, place in (("k1", "k1", "reward"), ("k3", "k3", "loss")):
            pi = rlhf.train_policy(p, r, b, estimator=est, placement=place, steps=300, batch=512,
                                   seed=SEED)
            pts[key].append((rlhf.kl_to_ref(pi, p), float(pi @ r)))
    dpo = np.empty((DPO_PAIRS.size, TRAIN_BETAS.size, 2))
    for i, n in enumerate(progress(DPO_PAIRS, "DPO runs")):
        for j, b in enumerate(TRAIN_BETAS):
            pi = rlhf.dpo_policy(p, r, b, n_pairs=int(n), seed=SEED, steps=300)
            dpo[i, j] = (rlhf.kl_to_ref(pi, p), float(pi @ r))
    th_kl, th_r = _kl_r([rlhf.tilt(p, r, b) for b in TRAIN_BETAS], p, r)
    van_kl, van_r = _kl_r(rlhf.vanilla_pg_path(p, r, 0.5, 600), p, r)
    return {"p_ref": p, "rewards": r, "f_kl": f.kl, "f_reward": f.reward, "fwd_kl": fwd_kl,
            "fwd_R": fwd_r, "k1": np.array(pts["k1"]), "k3": np.array(pts["k3"]), "dpo": dpo,
            "theory": np.stack([th_kl, th_r], axis=1), "van_kl": van_kl, "van_R": van_r}


#: the worked example of notebook 04 (π_ref uniform over four responses, rewards 0, 1, 2, 3)
WORKED_P_REF = np.full(4, 0.25)
WORKED_REWARDS = np.array([0.0, 1.0, 2.0, 3.0])


@table("rlhf.estimator_runs")
def estimator_runs(*, beta: float = 1.0, steps: int = 250, seed: int = 0) -> dict:
    """REINFORCE with k1 in the reward and with k3 as a loss on the worked example.

    ``rlhf.train_policy(WORKED_P_REF, WORKED_REWARDS, beta, estimator="k1", placement="reward",
    steps=steps, seed=seed)`` and the same with ``estimator="k3", placement="loss"``.

    Returns
    -------
    dict
        ``k1``, ``k3``: the trained policies, shape (4,). Cost: 2 torch runs, ~2 s with torch's
        import.
    """
    p, r = WORKED_P_REF, WORKED_REWARDS
    return {"k1": rlhf.train_policy(p, r, beta, estimator="k1", placement="reward", steps=steps,
                                    seed=seed),
            "k3": rlhf.train_policy(p, r, beta, estimator="k3", placement="loss", steps=steps,
                                    seed=seed)}


# --------------------------------------------------------------------------------------------
# Goodhart: proxy versus gold
# --------------------------------------------------------------------------------------------
#: tilt strengths λ = 1/β of the Goodhart curves
GH_LAMBDAS = np.linspace(0.0, 0.95, 300)
#: values of N of the Goodhart best-of-N curves (1 … 10⁵)
GH_NS = np.geomspace(1, 1e5, 80)
#: exploit costs c of the slider (0.05 … 0.6)
GH_CS = np.round(np.arange(0.05, 0.6001, 0.05), 2)


def goodhart_key(c: float) -> str:
    """The key of a :func:`goodhart` entry: ``"0.25"``."""
    return f"{float(c):.2f}"


@table("rlhf.goodhart")
def goodhart() -> dict:
    """The Goodhart toy for every c in :data:`GH_CS` (keys :func:`goodhart_key`).

    Each entry: the proxy-optimal tilt over :data:`GH_LAMBDAS` (``tilt_kl``, ``tilt_proxy``,
    ``tilt_gold``, ``rlhf.goodhart_tilt``), best-of-N over :data:`GH_NS` (``bon_kl``,
    ``bon_proxy``, ``bon_gold``, ``rlhf.goodhart_bon``), Gao et al.'s fit to the best-of-N gold
    curve (``gao`` = d(a − b·d), d = √KL, and ``gao_a``, ``gao_b``; ``rlhf.fit_gao``).
    Cost: ~0.5 s.
    """
    out = {}
    for c in progress(GH_CS, "Goodhart curves"):
        t = rlhf.goodhart_tilt(GH_LAMBDAS, float(c))
        b = rlhf.goodhart_bon(GH_NS, float(c))
        a, bb = rlhf.fit_gao(b["kl"][1:], b["gold"][1:], "bon")
        d = np.sqrt(b["kl"])
        out[goodhart_key(c)] = {"tilt_kl": t["kl"], "tilt_proxy": t["proxy"],
                                "tilt_gold": t["gold"], "bon_kl": b["kl"], "bon_proxy": b["proxy"],
                                "bon_gold": b["gold"], "gao": d * (a - bb * d), "gao_a": a,
                                "gao_b": bb}
    return out


# --------------------------------------------------------------------------------------------
# the memoryless token model
# --------------------------------------------------------------------------------------------
#: P(token reward = 1) under π_ref
MEM_Q = 0.3
#: KL per token Δ of the slider (0.1 … 1)
MEM_DELTAS = np.round(np.arange(0.1, 1.001, 0.1), 2)
#: sequence lengths n (1 … 10⁵)
MEM_NS = np.unique(np.round(np.geomspace(1, 1e5, 21)).astype(int))


def memoryless_key(delta: float) -> str:
    """The key of a :func:`memoryless` entry: ``"0.3"``."""
    return f"{float(delta):.1f}"


@table("rlhf.memoryless")
def memoryless() -> dict:
    """The memoryless token model (``rlhf.memoryless_bon``, q = :data:`MEM_Q`) for every Δ in
    :data:`MEM_DELTAS` (keys :func:`memoryless_key`) and n in :data:`MEM_NS`: ``reward``, ``kl``,
    ``kl_tilt`` of shape (len(MEM_NS),) and the tilt's per-token reward ``x``. Cost: ~1 s.
    """
    out = {}
    for dl in progress(MEM_DELTAS, "memoryless model"):
        rows = [rlhf.memoryless_bon(int(n), MEM_Q, float(dl)) for n in MEM_NS]
        out[memoryless_key(dl)] = {"reward": np.array([x.reward for x in rows]),
                                   "kl": np.array([x.kl for x in rows]),
                                   "kl_tilt": np.array([x.kl_to_tilt for x in rows]),
                                   "x": rows[0].tilt_reward}
    return out
