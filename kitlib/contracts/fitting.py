"""Contract table of :mod:`kitlib.fitting` (format and how to add an entry: ``kitlib.contracts``).

Budget: targets have at most ``MAX_COMPONENTS`` components spanning at most
``MAX_DYNAMIC_RANGE`` narrowest standard deviations; landscapes at most ``MAX_CANDIDATES``
cells (evaluated in batches of 2**20 grid entries, ~100 MiB); switch searches ``d_max <= 20``
and ``tol >= 1e-10``; ``switch_curve`` at most ``MAX_SWITCH_ALPHAS`` values; ``fit_mixture``
and the Sinkhorn route of ``gradient_far_away`` refuse calls estimated past the work limit.
"""

from __future__ import annotations

import numpy as np

from kitlib import fitting as F
from kitlib.contracts import (Contract, array, choice, constant, integer, lazy, prob, real,
                              seed)

_TARGET = dict(weights=[0.5, 0.5], means=[-1.5, 1.5], stds=[1.0, 1.0])
_T_ARGS = {
    "weights": prob(max_size=F.MAX_COMPONENTS, doc="mixture weights, shape (K,)"),
    "means": array(max_size=F.MAX_COMPONENTS, low=-1e100, high=1e100,
                   doc="component means, shape (K,); |means| <= 1e9 × min(stds)"),
    "stds": array(low=0, low_open=True, high=1e100, max_size=F.MAX_COMPONENTS,
                  doc="component standard deviations, shape (K,), >= 1e-100; the means span "
                      "at most 1e6 × min(stds)"),
}
_ALPHA = real(low=-F.MAX_ABS_ALPHA, high=F.MAX_ABS_ALPHA, none_ok=True,
              doc="Minka's α; required for 'alpha' and only allowed there")
_FIXED = real(low=0, low_open=True, high=1e100, none_ok=True,
              doc="fix s and fit μ only; >= 1e-100")
_SWITCH = {"divergence": choice(F.FIT_DIVERGENCES), "alpha": _ALPHA, "fixed_std": _FIXED,
           "d_max": real(low=0, high=F.MAX_D_MAX, low_open=True),
           "tol": real(low=1e-10, high=1.0, doc="float64 cannot do better than ~1e-15 here")}
_SWITCH_BUDGET = "d_max <= 20 (~10 s), tol >= 1e-10 (<= 60 bisections)"

CONTRACTS: dict[str, Contract] = {
    name: constant("tuple of accepted divergence names")
    for name in ("FIT_DIVERGENCES", "MIXTURE_DIVERGENCES", "FAR_DIVERGENCES",
                 "STUDENT_DIVERGENCES")
}
CONTRACTS.update({name: constant("frozen result dataclass")
                  for name in ("GaussianFit", "MixtureFit", "FarGradients", "StudentFit")})

CONTRACTS["gaussian_objective"] = Contract(
    args=dict(_T_ARGS, mean=array(skip=("wrong_shape",), max_size=F.MAX_CANDIDATES,
                                  low=-1e100, high=1e100,
                                  doc="candidate means, broadcast with std"),
              std=array(low=0, low_open=True, high=1e100, skip=("wrong_shape",),
                        max_size=F.MAX_CANDIDATES, doc=">= 1e-100"),
              divergence=choice(F.FIT_DIVERGENCES), alpha=_ALPHA),
    baseline=dict(_TARGET, mean=np.array([0.0, 0.5]), std=np.array([1.0, 1.5]),
                  divergence="js"),
    budget=f"mean × std broadcast to at most {F.MAX_CANDIDATES:,} candidates")
CONTRACTS["fit_gaussian"] = Contract(
    args=dict(_T_ARGS, divergence=choice(F.FIT_DIVERGENCES), alpha=_ALPHA, seed=seed(),
              fixed_std=_FIXED),
    baseline=dict(_TARGET, divergence="forward_kl"),
    budget="K <= 64 components; grids batched to ~100 MiB",
    too_large=({"means": [-1e7, 1e7]},))
CONTRACTS["fit_gaussian_grid"] = Contract(
    args=dict(_T_ARGS, divergence=choice(F.FIT_DIVERGENCES),
              mus=array(max_size=F.MAX_CANDIDATES, low=-1e100, high=1e100),
              sds=array(low=0, low_open=True, high=1e100, max_size=F.MAX_CANDIDATES,
                        doc=">= 1e-100"),
              alpha=_ALPHA, seed=seed(), fixed_std=_FIXED),
    baseline=dict(_TARGET, divergence="forward_kl", mus=np.linspace(-2, 2, 5),
                  sds=np.linspace(0.5, 2, 4)),
    budget=f"len(mus) × len(sds) <= {F.MAX_CANDIDATES:,}",
    too_large=({"mus": lazy(lambda: np.linspace(-2, 2, 300)),
                "sds": lazy(lambda: np.linspace(0.5, 2, 300))},))
CONTRACTS["gaussian_landscape"] = Contract(
    args=dict(_T_ARGS, divergence=choice(F.FIT_DIVERGENCES),
              mus=array(max_size=F.MAX_CANDIDATES, low=-1e100, high=1e100),
              sds=array(low=0, low_open=True, high=1e100, max_size=F.MAX_CANDIDATES,
                        doc=">= 1e-100"),
              alpha=_ALPHA),
    baseline=dict(_TARGET, divergence="js", mus=np.linspace(-2, 2, 5),
                  sds=np.linspace(0.5, 2, 4)),
    budget=f"len(mus) × len(sds) <= {F.MAX_CANDIDATES:,}",
    too_large=({"mus": lazy(lambda: np.linspace(-2, 2, 300)),
                "sds": lazy(lambda: np.linspace(0.5, 2, 300))},))
CONTRACTS["switch_separation"] = Contract(
    args=dict(_SWITCH), baseline=dict(divergence="alpha", alpha=1.0), budget=_SWITCH_BUDGET)
CONTRACTS["one_mode_appears"] = Contract(
    args=dict(_SWITCH), baseline=dict(divergence="alpha", alpha=1.0), budget=_SWITCH_BUDGET)
CONTRACTS["switch_curve"] = Contract(
    args={"alphas": array(skip=("wrong_shape",), max_size=F.MAX_SWITCH_ALPHAS,
                          low=-F.MAX_ABS_ALPHA, high=F.MAX_ABS_ALPHA,
                          doc="Minka α values, any shape"),
          "fixed_std": _FIXED, "d_max": _SWITCH["d_max"], "tol": _SWITCH["tol"]},
    baseline=dict(alphas=[1.0]),
    budget=f"at most {F.MAX_SWITCH_ALPHAS} α values (0.3–1 s each)")
CONTRACTS["fit_mixture"] = Contract(
    args=dict(_T_ARGS, n_components=integer(low=1, high=F.MAX_COMPONENTS),
              divergence=choice(F.MIXTURE_DIVERGENCES), seed=seed(),
              steps=integer(low=1, max_size=10**5, doc="SLSQP iteration cap per restart"),
              n_restarts=integer(low=0)),
    baseline=dict(_TARGET, n_components=1, divergence="forward_kl", steps=5, n_restarts=0),
    budget="grid <= 20 000 points; (n_restarts + 2)·steps·grid·k within the work limit",
    too_large=({"means": [-1e6, 1e6]},))
CONTRACTS["gradient_far_away"] = Contract(
    args=dict(_T_ARGS, distances=array(skip=("wrong_shape",), max_size=F.MAX_DISTANCES,
                                       low=-1e100, high=1e100, doc="model offsets, any shape"),
              divergence=choice(F.FAR_DIVERGENCES),
              std=real(low=0, low_open=True, high=1e100, doc=">= 1e-100"),
              eps=real(low=0, low_open=True),
              n_support=integer(low=16, high=512)),
    baseline=dict(distances=[1.0, 2.0], divergence="w2"),
    budget=f"at most {F.MAX_DISTANCES} distances; Sinkhorn route within the work limit",
    too_large=({"distances": lazy(lambda: np.linspace(0, 8, 200)), "divergence": "sinkhorn"},))
CONTRACTS["softmax"] = Contract(
    args={"logits": array(skip=("wrong_shape",), max_size=F.MAX_LOGITS,
                          doc="shape (..., K)"),
          "temperature": real(low=0, low_open=True)},
    baseline=dict(logits=[0.0, 1.0, 2.0]), budget=f"at most {F.MAX_LOGITS:,} logits")
CONTRACTS["student_fit"] = Contract(
    args={"teacher_probs": prob(max_size=F.MAX_CLASSES),
          "divergence": choice(F.STUDENT_DIVERGENCES),
          "degree": integer(low=1), "seed": seed(),
          "n_starts": integer(low=0, high=F.MAX_STARTS)},
    baseline=dict(teacher_probs=[0.1, 0.2, 0.4, 0.2, 0.1], divergence="js", n_starts=0),
    budget=f"at most {F.MAX_CLASSES:,} classes")
CONTRACTS["balanced_student_fit"] = Contract(
    args={"teacher_probs": prob(max_size=F.MAX_CLASSES),
          "weight": real(low=0, high=1, doc="the share of forward KL"),
          "degree": integer(low=1), "seed": seed(),
          "n_starts": integer(low=0, high=F.MAX_STARTS)},
    baseline=dict(teacher_probs=[0.1, 0.2, 0.4, 0.2, 0.1], weight=0.5, n_starts=0),
    budget=f"at most {F.MAX_CLASSES:,} classes")
