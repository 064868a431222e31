"""Contract table of :mod:`kitlib.rlhf` (format and how to add an entry: ``kitlib.contracts``).

Budget: probability vectors, rewards and other 1-D inputs up to ``MAX_RESPONSES`` = 2**22
entries; products (β grid × responses, N grid × reward levels, prompts × responses, steps ×
responses) up to ~4e6 numbers; DPO's pair-count matrix M × M up to M ≈ 2000; training loops
up to ~2e9 estimated operations (``kitlib.limits``).
"""

from __future__ import annotations

import numpy as np

from kitlib.contracts import (Contract, anything, array, choice, constant, integer, lazy, prob, real,
                              seed)
from kitlib.rlhf import BATCH_REGULARIZERS, F_REGULARIZERS, MAX_RESPONSES

P4 = np.array([0.1, 0.2, 0.3, 0.4])
R4 = np.array([0.0, 1.0, 2.0, 3.0])
PI4 = np.array([0.25, 0.25, 0.25, 0.25])
P23 = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
R23 = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 2.0]])

_P = prob(max_size=MAX_RESPONSES)
_P_POS = prob(max_size=MAX_RESPONSES, doc="every entry > 0 for training (log π_ref finite)")
_R = array(max_size=MAX_RESPONSES, doc="one finite reward per response, finite range")
_BETA = real(low=0, low_open=True)
_BUDGET = f"up to {MAX_RESPONSES:,} responses"


def _uniform(m):
    return lazy(lambda: np.full(m, 1.0 / m))


def _zeros(m):
    return lazy(lambda: np.zeros(m))


CONTRACTS: dict[str, Contract] = {
    "tilt": Contract(args={"p_ref": _P, "rewards": _R, "beta": _BETA},
                     baseline=dict(p_ref=P4, rewards=R4, beta=1.0), budget=_BUDGET),
    "frontier": Contract(
        args={"p_ref": _P, "rewards": _R,
              "betas": array(low=0, low_open=True, max_size=MAX_RESPONSES,
                             doc="a scalar is taken as one beta")},
        baseline=dict(p_ref=P4, rewards=R4, betas=[0.5, 2.0]),
        budget="betas × responses up to ~4e6",
        too_large=({"p_ref": _uniform(10**6), "rewards": _zeros(10**6),
                    "betas": lazy(lambda: np.linspace(1.0, 2.0, 1000))},)),
    "kl_budget_policy": Contract(args={"p_ref": _P, "rewards": _R, "kl_budget": real(low=0)},
                                 baseline=dict(p_ref=P4, rewards=R4, kl_budget=0.3),
                                 budget=_BUDGET),
    "dual_reward": Contract(args={"p_ref": _P, "rewards": _R, "kl_budget": real(low=0)},
                            baseline=dict(p_ref=P4, rewards=R4, kl_budget=0.3), budget=_BUDGET),
    "expected_reward": Contract(args={"policy": _P, "rewards": _R},
                                baseline=dict(policy=PI4, rewards=R4), budget=_BUDGET),
    "kl_to_ref": Contract(args={"policy": _P, "p_ref": _P}, baseline=dict(policy=PI4, p_ref=P4),
                          budget=_BUDGET),
    "rlhf_objective": Contract(args={"policy": _P, "p_ref": _P, "rewards": _R, "beta": _BETA},
                               baseline=dict(policy=PI4, p_ref=P4, rewards=R4, beta=1.0),
                               budget=_BUDGET),
    "best_of_n": Contract(args={"p_ref": _P, "rewards": _R, "n": real(low=1),
                                "ties": choice(("draw_order", "identity"))},
                          baseline=dict(p_ref=P4, rewards=R4, n=4.0), budget=_BUDGET),
    "best_of_n_curve": Contract(
        args={"p_ref": _P, "rewards": _R, "ns": array(low=1, max_size=MAX_RESPONSES),
              "ties": choice(("draw_order", "identity"))},
        baseline=dict(p_ref=P4, rewards=R4, ns=[1.0, 4.0, 16.0]),
        budget="len(ns) × distinct rewards up to ~4e6",
        too_large=({"p_ref": _uniform(10**5), "rewards": lazy(lambda: np.arange(1e5)),
                    "ns": lazy(lambda: np.geomspace(1, 1e4, 1000))},)),
    "best_of_n_levels": Contract(
        args={"values": array(max_size=MAX_RESPONSES, doc="strictly increasing"),
              "log_masses": array(finite=False, extra=("nan", "unnormalised"),
                                  max_size=MAX_RESPONSES,
                                  doc="log-masses, -inf allowed (empty level), log-sum-exp 0"),
              "log_n": array(low=0, max_size=MAX_RESPONSES, doc="a scalar or a 1-D array")},
        baseline=dict(values=[0.0, 1.0, 2.0], log_masses=np.log([0.2, 0.3, 0.5]),
                      log_n=[0.0, 2.0]),
        budget="len(log_n) × levels up to ~4e6",
        too_large=({"values": lazy(lambda: np.arange(1e5)),
                    "log_masses": lazy(lambda: np.full(10**5, -np.log(1e5))),
                    "log_n": lazy(lambda: np.linspace(0, 10, 1000))},)),
    "bon_kl_bound": Contract(
        args={"n": array(low=1, max_size=MAX_RESPONSES, skip=("wrong_shape",),
                         doc="a scalar or an array of any shape up to 2-D")},
        baseline=dict(n=[1.0, 4.0]), budget=f"up to {MAX_RESPONSES:,} values"),
    "win_rate": Contract(args={"policy": _P, "p_ref": _P, "rewards": _R},
                         baseline=dict(policy=PI4, p_ref=P4, rewards=R4), budget=_BUDGET),
    "f_regularized_policy": Contract(
        args={"p_ref": _P, "rewards": _R, "beta": _BETA, "divergence": choice(F_REGULARIZERS),
              "alpha": real(low=0, high=1, low_open=True, high_open=True, none_ok=True,
                            doc="only (and required) for divergence='alpha'")},
        baseline=dict(p_ref=P4, rewards=R4, beta=1.0, divergence="alpha", alpha=0.5),
        budget=_BUDGET),
    "f_regularized_batch": Contract(
        args={"p_ref": prob(ndim=2, max_size=MAX_RESPONSES, doc="one vector per row"),
              "rewards": array(ndim=2, max_size=MAX_RESPONSES), "beta": _BETA,
              "divergence": choice(BATCH_REGULARIZERS)},
        baseline=dict(p_ref=P23, rewards=R23, beta=0.5, divergence="forward_kl"),
        budget="prompts × responses up to ~4e6 (200 bisection steps)"),
    "matched_beta": Contract(
        args={"p_ref": prob(ndim=2, max_size=MAX_RESPONSES, doc="one vector per row"),
              "rewards": array(ndim=2, max_size=MAX_RESPONSES, doc="same shape as p_ref"),
              "target": real(doc="strictly between the scores reached at the ends of bracket"),
              "divergence": choice(BATCH_REGULARIZERS),
              "score": anything(doc="None (score = rewards) or a finite (P, M) array"),
              "bracket": anything(doc="(low, high) with 0 < low < high, finite"),
              "xtol": real(low=0, low_open=True)},
        baseline=dict(p_ref=P23, rewards=R23, target=1.0, divergence="forward_kl"),
        budget="prompts × responses up to ~1e7; each bisection-batch solve ~200 passes"),
    "generator": Contract(
        args={"divergence": choice(F_REGULARIZERS),
              "alpha": real(low=0, high=1, low_open=True, high_open=True, none_ok=True,
                            doc="only (and required) for divergence='alpha'")},
        baseline=dict(divergence="alpha", alpha=0.5)),
    "f_divergence_value": Contract(
        args={"policy": _P, "p_ref": _P, "divergence": choice(F_REGULARIZERS),
              "alpha": real(low=0, high=1, low_open=True, high_open=True, none_ok=True,
                            doc="only (and required) for divergence='alpha'")},
        baseline=dict(policy=PI4, p_ref=P4, divergence="alpha", alpha=0.3), budget=_BUDGET),
    "entropy": Contract(args={"policy": _P}, baseline=dict(policy=P4), budget=_BUDGET),
    "coverage": Contract(args={"policy": _P, "p_ref": _P, "c": _BETA},
                         baseline=dict(policy=PI4, p_ref=P4, c=0.5), budget=_BUDGET),
    "expected_distinct": Contract(args={"policy": _P, "k": _BETA},
                                  baseline=dict(policy=P4, k=3.0), budget=_BUDGET),
    "pass_at_k": Contract(
        args={"p_correct": array(low=0, max_size=MAX_RESPONSES, skip=("wrong_shape",),
                                 doc="any shape up to 2-D; entries in [0, 1] (1 + 1e-12 "
                                     "accepted as rounding, so 'above' is not generated)"),
              "k": real(low=1, skip=("wrong_shape",), doc="or a 1-D array of such values (one result per k)")},
        baseline=dict(p_correct=[0.1, 0.5, 0.9], k=4.0), budget="prompts × len(k) up to 2·10⁷"),
    "pass_at_k_unbiased": Contract(
        args={"n": integer(low=1, doc="<= 10**7"),
              "c": integer(low=0, skip=("wrong_shape", "wrong_type"), doc="<= n; or an integer array (elementwise)"),
              "k": integer(low=1, doc="<= n")},
        baseline=dict(n=10, c=3, k=2), budget="c up to ~3e7 factors",
        too_large=({"n": 10**12, "c": 10**10},)),
    "kl_estimates": Contract(
        args={"log_policy": array(max_size=MAX_RESPONSES, doc="same shape as log_ref"),
              "log_ref": array(max_size=MAX_RESPONSES, doc="same shape as log_policy")},
        baseline=dict(log_policy=np.log([0.5, 0.2]), log_ref=np.log([0.4, 0.3])),
        budget=f"up to {MAX_RESPONSES:,} samples"),
    "train_policy": Contract(
        args={"p_ref": _P_POS, "rewards": _R, "beta": _BETA,
              "estimator": choice(("k1", "k2", "k3")), "placement": choice(("reward", "loss")),
              "steps": integer(low=1), "seed": seed(), "batch": integer(low=1), "lr": _BETA},
        baseline=dict(p_ref=P4, rewards=R4, beta=1.0, steps=2, batch=8),
        budget="steps·(50·(batch + responses) + 3e5) up to 2e9 operations (~6 000 steps)",
        too_large=({"steps": 10**9},)),
    "dpo_policy": Contract(
        args={"p_ref": _P_POS, "rewards": _R, "beta": _BETA, "n_pairs": integer(low=1),
              "seed": seed(), "divergence": choice(("reverse_kl", "forward_kl", "js", "alpha")),
              "alpha": real(low=0, high=1, low_open=True, high_open=True, none_ok=True,
                            doc="only (and required) for divergence='alpha'"),
              "steps": integer(low=1), "lr": _BETA},
        baseline=dict(p_ref=P4, rewards=R4, beta=1.0, n_pairs=50, divergence="alpha",
                      alpha=0.5, steps=3),
        budget="responses up to ~1200 (M × M pair counts and autograd temporaries); "
               "steps·(20·M² + 3e5) + 50·n_pairs up to 2e9 operations",
        too_large=({"p_ref": _uniform(20_000), "rewards": _zeros(20_000)},
                   {"n_pairs": 10**9})),
    "natural_pg_path": Contract(
        args={"p_ref": _P, "rewards": _R,
              "times": array(low=0, max_size=MAX_RESPONSES, doc="a scalar is one time")},
        baseline=dict(p_ref=P4, rewards=R4, times=[0.0, 1.0]),
        budget="times × responses up to ~4e6",
        too_large=({"p_ref": _uniform(10**6), "rewards": _zeros(10**6),
                    "times": lazy(lambda: np.linspace(0, 1, 1000))},)),
    "vanilla_pg_path": Contract(
        args={"p_ref": _P, "rewards": _R, "lr": _BETA, "steps": integer(low=0)},
        baseline=dict(p_ref=P4, rewards=R4, lr=0.5, steps=3),
        budget="(steps + 1) × responses up to ~4e6 numbers; steps·(20·responses + 1e5) up to 2e9 "
               "operations (~20 000 steps)", too_large=({"steps": 10**9},)),
    "categorical_lm": Contract(
        args={"m": integer(low=2), "peakedness": real(low=0), "seed": seed(),
              "reward": choice(("gaussian", "levels")), "n_levels": integer(low=2),
              "correlation": real(low=-1, high=1)},
        baseline=dict(m=6, peakedness=1.0, reward="levels", n_levels=3, correlation=0.3),
        budget="m up to ~4e6", too_large=({"m": 10**9},)),
    "prompts_toy": Contract(
        args={"n_prompts": integer(low=1), "n_responses": integer(low=2), "seed": seed(),
              "peakedness": real(), "proxy_noise": real(low=0)},
        baseline=dict(n_prompts=3, n_responses=4, proxy_noise=0.5),
        budget="prompts × responses up to ~4e6", too_large=({"n_prompts": 10**7},)),
    "memoryless_bon": Contract(
        args={"n_tokens": integer(low=1), "q": real(low=0, high=1, low_open=True, high_open=True),
              "delta": _BETA},
        baseline=dict(n_tokens=20, q=0.3, delta=0.2), budget="n_tokens up to ~2.5e6",
        too_large=({"n_tokens": 10**9},)),
    "goodhart_tilt": Contract(
        args={"lam": array(low=0, high=1, high_open=True, max_size=MAX_RESPONSES,
                           skip=("wrong_shape",), doc="a scalar or an array up to 2-D"),
              "c": real(low=0)},
        baseline=dict(lam=[0.0, 0.3, 0.6], c=0.5), budget=f"up to {MAX_RESPONSES:,} values"),
    "goodhart_lambda_star": Contract(args={"c": real(low=0, high=1, low_open=True,
                                                     high_open=True)},
                                     baseline=dict(c=0.25)),
    "goodhart_bon": Contract(
        args={"ns": array(low=1, high=1e20, max_size=MAX_RESPONSES), "c": real(low=0)},
        baseline=dict(ns=[1.0, 10.0], c=0.5), budget="up to ~800 values of N (6001-point grid)",
        too_large=({"ns": lazy(lambda: np.geomspace(1, 1e5, 10_000))},)),
    "fit_gao": Contract(
        args={"kl": array(low=0, low_open=True, max_size=MAX_RESPONSES),
              "reward": array(max_size=MAX_RESPONSES), "form": choice(("bon", "rl"))},
        baseline=dict(kl=[0.5, 1.0, 2.0], reward=[0.4, 0.6, 0.7], form="bon"),
        budget=f"up to {MAX_RESPONSES:,} points"),
}
for _name, _what in (("Frontier", "result dataclass (beta, reward, kl)"),
                     ("ConstrainedPolicy", "result dataclass of kl_budget_policy"),
                     ("BestOfN", "result dataclass of best_of_n"),
                     ("MemorylessBoN", "result dataclass of memoryless_bon"),
                     ("F_REGULARIZERS", "tuple of the divergence names f_regularized_policy takes"),
                     ("BATCH_REGULARIZERS", "tuple of the divergence names f_regularized_batch and "
                                            "matched_beta take")):
    CONTRACTS[_name] = constant(_what)

del _name, _what
