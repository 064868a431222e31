"""Contract table of :mod:`kitlib.rlvr` (format and how to add an entry: ``kitlib.contracts``).

Budget: logit vectors up to ``MAX_ANSWERS`` = 10**6 answers; rewards, per-prompt
probabilities and other products (prompts × answers, prompts × group size × groups, prompts ×
(n + 1), (steps + 1) × max(answers, prompts)) up to ``MAX_CELLS`` = 10**7 numbers; group size
up to ``MAX_GROUP`` = 4096; training and optimum tables up to ~2e9 estimated operations
(``kitlib.limits``). pass@k, its unbiased estimator and the KL estimates are re-exported from
:mod:`kitlib.rlhf` and share its entries.
"""

from __future__ import annotations

import numpy as np

from kitlib.contracts import (Contract, anything, array, boolean, choice, constant, integer, lazy,
                              prob, real, seed)
from kitlib.contracts import rlhf as _rlhf
from kitlib.rlvr import (DIVERGENCES, ESTIMATORS, MAX_ANSWERS, MAX_CELLS, MAX_GROUP, MAX_STEPS,
                         MODES, PARTS, PLACEMENTS, SCALES)

LOG3 = np.log([0.5, 0.2, 0.3])
REF3 = np.log([0.4, 0.4, 0.2])
R23 = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
PC3 = np.array([0.1, 0.5, 0.9])

_LOGITS = array(finite=False, extra=("nan",), max_size=MAX_ANSWERS,
                doc="at least 2 logits; -inf is a support hole, NaN and +inf refused, at least "
                    "one finite")
_REF = array(finite=False, extra=("nan",), doc="same shape as logits; -inf where the policy has "
                                               "mass only with estimator 'k3', placement 'loss'")
_REWARDS = array(ndim=2, max_size=MAX_CELLS,
                 doc="(P, K) with K = len(logits), or a (K,) vector for one prompt; finite reals "
                     "(verifiable: 0/1)")
_P_CORRECT = array(low=0, max_size=MAX_CELLS,
                   doc="per-prompt success probabilities in [0, 1] (1 + 1e-12 accepted as "
                       "rounding, so 'above' is not generated); a scalar is one prompt")
_GROUP = integer(low=2, high=MAX_GROUP)
_SCALE = choice(SCALES)
_DDOF = integer(low=0, high=1)
_EPS = real(low=0)
_PART = choice(PARTS)
_UNIT = real(low=0, high=1, low_open=True)
_OPEN01 = real(low=0, high=1, low_open=True, high_open=True)
_COEF = real(low=0)
_LR = real(low=0, low_open=True)
_TOY_ARG = anything(doc="a Toy (toy_t1, toy_t2, ...); anything else is refused")
_KS = array(low=1, max_size=10_000, doc="a number >= 1 or a 1-D array of them")
_GRPO = {"scale": _SCALE, "ddof": _DDOF, "eps": _EPS, "part": _PART}


def _trajectory():
    from kitlib.rlvr import grpo_train
    return lazy(lambda: grpo_train(LOG3, R23[0], steps=3))


def _t2():
    from kitlib.rlvr import toy_t2
    return lazy(lambda: toy_t2(n_prompts=20))


CONTRACTS: dict[str, Contract] = {
    "pass_at_k": _rlhf.CONTRACTS["pass_at_k"],
    "pass_at_k_unbiased": _rlhf.CONTRACTS["pass_at_k_unbiased"],
    "kl_estimates": _rlhf.CONTRACTS["kl_estimates"],
    "pass_at_k_spread": Contract(
        args={"p_correct": _P_CORRECT, "n": integer(low=1),
              "k": integer(low=1, doc="<= n; or a non-empty 1-D array of such integers")},
        baseline=dict(p_correct=PC3, n=2, k=2),
        budget="len(p_correct) × (n + 1) and len(k) × max(len(p_correct), n + 1) up to 10**7",
        too_large=({"n": 10**8},
                   {"n": 100, "k": lazy(lambda: np.broadcast_to(np.int64(1), (10**6,)))})),
    "crossover_k": Contract(
        args={"p_before": _P_CORRECT, "p_after": array(low=0, max_size=MAX_CELLS,
                                                       doc="same length as p_before"),
              "k_max": integer(low=1)},
        baseline=dict(p_before=PC3, p_after=[0.2, 0.4, 0.8], k_max=64),
        budget="len(p_before) × k_max up to 2·10**7", too_large=({"k_max": 10**9},)),
    "grpo_advantages": Contract(
        args={"rewards": array(max_size=MAX_CELLS, skip=("wrong_shape",),
                               doc="any shape (..., G) with a last axis (the group) of length "
                                   ">= 2"),
              "scale": _SCALE, "ddof": _DDOF, "eps": _EPS},
        baseline=dict(rewards=[[1.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.5, 1.0]]),
        budget="rewards up to 10**7 entries"),
    "group_advantage_means": Contract(
        args={"p": array(low=0, max_size=MAX_CELLS // 2,
                         doc="a probability or a 1-D array of them, <= 1 (1 + 1e-12 accepted as "
                             "rounding); len(p) × group_size <= 10**7"),
              "group_size": _GROUP, "scale": _SCALE, "ddof": _DDOF, "eps": _EPS},
        baseline=dict(p=[0.1, 0.7], group_size=4), budget="len(p) × group_size up to 10**7"),
    "grpo_expected_update": Contract(
        args={"logits": _LOGITS, "rewards": _REWARDS, "group_size": _GROUP, **_GRPO},
        baseline=dict(logits=LOG3, rewards=R23, group_size=4),
        budget="answers up to 10**6; prompts × answers and prompts × group_size up to 10**7; "
               "multi-level rewards: prompts × C(G + L - 2, L - 1) × L up to 10**7",
        too_large=({"logits": lazy(lambda: np.zeros(12)),
                    "rewards": lazy(lambda: np.arange(12.0)), "group_size": 4096},)),
    "grpo_sampled_update": Contract(
        args={"logits": _LOGITS, "rewards": _REWARDS, "group_size": _GROUP, **_GRPO,
              "n_groups": integer(low=1), "seed": seed()},
        baseline=dict(logits=LOG3, rewards=R23, group_size=4, n_groups=2, seed=0),
        budget="prompts × n_groups × group_size up to 10**7",
        too_large=({"n_groups": 10**7},)),
    "entropy_change": Contract(
        args={"logits": _LOGITS, "delta": array(doc="shape (K,) like logits"),
              "exact": boolean()},
        baseline=dict(logits=LOG3, delta=[0.01, -0.02, 0.01]),
        budget="answers up to 10**6"),
    "kl_grad": Contract(
        args={"logits": _LOGITS, "ref_logits": _REF, "estimator": choice(ESTIMATORS),
              "placement": choice(PLACEMENTS)},
        baseline=dict(logits=LOG3, ref_logits=REF3, estimator="k2", placement="reward"),
        budget="answers up to 10**6"),
    "kl_term_optimises": Contract(
        args={"grad": array(max_size=MAX_ANSWERS),
              "grad_reverse": array(max_size=MAX_ANSWERS, doc="same length as grad"),
              "grad_forward": array(max_size=MAX_ANSWERS, doc="same length as grad"),
              "rtol": real(low=0)},
        baseline=dict(grad=np.array([0.1, -0.1, 0.0]), grad_reverse=np.array([0.1, -0.1, 0.0]),
                      grad_forward=np.array([0.2, -0.1, -0.1]), rtol=1e-9),
        budget="answers up to 10**6"),
    "regularized_optimum": Contract(
        args={"p_ref": prob(max_size=MAX_ANSWERS, doc="at least 2 entries; zeros allowed"),
              "rewards": array(doc="shape (K,) like p_ref"), "beta": _LR,
              "divergence": choice(DIVERGENCES)},
        baseline=dict(p_ref=[0.5, 0.5, 0.0], rewards=[0.0, 0.0, 1.0], beta=0.25,
                      divergence="forward_kl"),
        budget="answers up to 10**6"),
    "entropy_bonus_grad": Contract(args={"logits": _LOGITS, "top_p": _UNIT},
                                   baseline=dict(logits=LOG3, top_p=0.7),
                                   budget="answers up to 10**6"),
    "nucleus_mask": Contract(args={"logits": _LOGITS, "top_p": _UNIT},
                             baseline=dict(logits=LOG3, top_p=0.6),
                             budget="answers up to 10**6"),
    "lp_reg_proxy": Contract(
        args={"logits": _LOGITS,
              "tau": real(low=0, high=1, low_open=True, none_ok=True,
                          doc="exactly one of tau and kappa"),
              "kappa": real(low=0, high=1, low_open=True, none_ok=True,
                            doc="exactly one of tau and kappa")},
        baseline=dict(logits=LOG3, tau=0.25), budget="answers up to 10**6"),
    "toy_t1": Contract(args={"hole": choice(("zero", "tiny", "none")),
                             "rewards": choice(("easy", "hard"))},
                       baseline=dict(hole="tiny", rewards="hard")),
    "toy_t2": Contract(args={"n_prompts": integer(low=1, high=1_000_000), "spark": _OPEN01},
                       baseline=dict(n_prompts=20, spark=0.05),
                       budget="n_prompts up to 10**6"),
    "toy_t3": Contract(args={"p_student": _OPEN01, "p_teacher": _OPEN01},
                       baseline=dict(p_student=0.01, p_teacher=0.4)),
    "toy_entropy_explosion": Contract(
        args={"n_junk": integer(low=1, high=MAX_ANSWERS - 3), "junk_mass": _OPEN01,
              "real": array(low=0, low_open=True, doc="exactly 3 masses")},
        baseline=dict(n_junk=5, junk_mass=0.1, real=[0.5, 0.3, 0.2]),
        budget="n_junk up to 10**6 - 3"),
    "grpo_train": Contract(
        args={"logits": _LOGITS,
              "rewards": array(ndim=2, low=0, high=1, max_size=MAX_CELLS,
                               doc="(P, K) with K = len(logits), or a (K,) vector for one "
                                   "prompt; every entry 0 or 1"),
              "steps": integer(low=0, high=MAX_STEPS,
                               doc="(steps + 1) × max(K, P) <= 10**7"),
              "group_size": _GROUP, "lr": _LR, **_GRPO, "mode": choice(MODES),
              "seed": seed(doc="used with mode='sampled'"), "n_groups": integer(low=1),
              "kl_coef": _COEF, "kl_estimator": choice(ESTIMATORS),
              "kl_placement": choice(PLACEMENTS),
              "ref_logits": array(finite=False, extra=("nan",), none_ok=True,
                                  doc="shape (K,) like logits; None: the start; -inf where the "
                                      "policy has mass only with k3-loss when kl_coef > 0"),
              "kd_coef": _COEF,
              "teacher_logits": array(finite=False, extra=("nan",), none_ok=True,
                                      doc="shape (K,) like logits; required when kd_coef > 0"),
              "kd_estimator": choice(ESTIMATORS), "kd_placement": choice(PLACEMENTS),
              "entropy_coef": _COEF, "top_p": _UNIT, "lp_coef": _COEF,
              "lp_tau": real(low=0, high=1, low_open=True, none_ok=True,
                             doc="exactly one of lp_tau and lp_kappa when lp_coef > 0"),
              "lp_kappa": real(low=0, high=1, low_open=True, none_ok=True,
                               doc="exactly one of lp_tau and lp_kappa when lp_coef > 0")},
        baseline=dict(logits=LOG3, rewards=R23, steps=3, group_size=4, mode="exact", seed=1,
                      n_groups=2, kl_coef=0.1, ref_logits=REF3, kd_coef=0.1,
                      teacher_logits=REF3, entropy_coef=0.05, top_p=0.9, lp_coef=0.05,
                      lp_tau=0.1),
        budget="(steps + 1) × max(answers, prompts) up to 10**7; steps × (4·prompts·(answers + "
               "group_size) + 40·answers [+ 10·prompts·n_groups·group_size sampled]) up to 2e9 "
               "operations",
        too_large=({"mode": "sampled", "n_groups": 10**7},
                   {"logits": lazy(lambda: np.zeros(1000)),
                    "rewards": lazy(lambda: np.broadcast_to(np.eye(1000)[:1], (2000, 1000))),
                    "teacher_logits": None, "ref_logits": None, "kd_coef": 0.0,
                    "steps": 1000})),
    "steps_to_reach": Contract(
        args={"traj": anything(doc="a Trajectory from grpo_train; anything else is refused"),
              "threshold": real(low=0, high=1)},
        baseline=dict(traj=_trajectory(), threshold=0.5)),
    "kl_descent": Contract(
        args={"logits": _LOGITS, "ref_logits": _REF, "estimator": choice(ESTIMATORS),
              "placement": choice(PLACEMENTS), "lr": _LR,
              "steps": integer(low=0, high=MAX_STEPS, doc="(steps + 1) × K <= 10**7")},
        baseline=dict(logits=LOG3, ref_logits=REF3, estimator="k3", placement="loss", lr=0.5,
                      steps=3),
        budget="(steps + 1) × answers up to 10**7"),
    "optimum_frontier": Contract(
        args={"toy": _TOY_ARG, "betas": array(low=0, low_open=True, max_size=10_000),
              "divergence": choice(DIVERGENCES), "ks": _KS},
        baseline=dict(toy=_t2(), betas=[0.05, 0.5], divergence="forward_kl", ks=(1, 16)),
        budget="betas up to 10**4; betas × (60·answers + 4·len(ks)·prompts × answers) up to "
               "2e9 operations"),
    "matched_optima": Contract(
        args={"toy": _TOY_ARG,
              "pass1": array(max_size=100,
                             doc="targets strictly between the reference's pass@1 and the best "
                                 "answer's solve rate; a scalar is one target"),
              "ks": _KS},
        baseline=dict(toy=_t2(), pass1=[0.6, 0.7], ks=(1, 16)),
        budget="up to 100 targets; targets × (1.2e4·answers + 8·len(ks)·prompts × answers) up "
               "to 2e9 operations"),
}
for _name, _what in (("Toy", "result dataclass of the toy constructors (logits, rewards, labels, "
                             "teacher_logits, info)"),
                     ("Trajectory", "result dataclass of grpo_train (policies, entropy, "
                                    "p_correct, dH_first_order, dH_exact, settings)")):
    CONTRACTS[_name] = constant(_what)

del _name, _what
