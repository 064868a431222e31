"""Contract table of :mod:`kitlib.kde` (format and how to add an entry: ``kitlib.contracts``).

Budget: arrays passed in hold at most ``kde.MAX_ENTRIES`` = 2**23 values; ``log_kde`` and
``kernel_weight_stats`` work in blocks of 2**18–2**20 values whatever m and n are, and refuse
m·n·d past the work limit; ``sq_distances`` forms the m × n matrix and refuses it past the
memory limit; the samplers refuse outputs past the memory limit and ``monte_carlo_kde`` holds
one data set of n distances at a time (refused past the memory limit).
"""

from __future__ import annotations

import numpy as np

from kitlib import kde as K
from kitlib.contracts import (Contract, anything, array, choice, constant, integer, real,
                              seed)

_RNG = np.random.default_rng(0)
X = _RNG.standard_normal((2, 3))
DATA = _RNG.standard_normal((6, 3))
D1 = np.array([2.0, 3.0, 1.5, 4.0, 2.5])
SMALLEST = np.sort(_RNG.chisquare(3, size=(4, 5)), axis=1)

_H = "bandwidth h > 0"
_HS_FREE = array(low=0, low_open=True, skip=("wrong_shape",), max_size=K.MAX_ENTRIES,
                 doc="bandwidths > 0, float or array (broadcast)")
_HS = array(low=0, low_open=True, high=K.SCALE_RANGE[1], skip=("wrong_shape",),
            max_size=K.MAX_ENTRIES, doc="bandwidths >= 1e-100, float or array (broadcast)")
_ALPHAS = array(low=0, low_open=True, high=K.SCALE_RANGE[1], skip=("wrong_shape",),
                max_size=K.MAX_ENTRIES, doc="α = ln n / d >= 1e-100, float or array")
_KAPPA = array(low=0, skip=("wrong_shape",), max_size=K.MAX_ENTRIES, doc="κ >= 0")
_DTYPE = anything("numpy.float32 or numpy.float64 (refused otherwise, naming dtype)")
_POINTS = {"x": array(ndim=2, max_size=K.MAX_ENTRIES, doc="shape (m, d) or (d,)"),
           "data": array(ndim=2, max_size=K.MAX_ENTRIES, doc="shape (n, d), n >= 2")}
_SQ = array(low=0, skip=("wrong_shape",), max_size=K.MAX_ENTRIES,
            doc="squared distances, shape (..., n), n >= 2")
_BRANCH = choice(("both", "high", "low"))

CONTRACTS: dict[str, Contract] = {
    name: constant("frozen result dataclass")
    for name in ("KernelWeightStats", "MonteCarloKDE", "Thresholds", "FiniteSizeThresholds")
}
CONTRACTS["EULER_GAMMA"] = constant("Euler's constant γ (float)")

CONTRACTS["log_kde"] = Contract(
    args=dict(_POINTS, h=real(low=0, low_open=True, doc=_H), dtype=_DTYPE),
    baseline=dict(x=X, data=DATA, h=0.7),
    budget="m·n·(d + 1) within the work limit; memory one 2 MB block")
CONTRACTS["sq_distances"] = Contract(
    args=dict(_POINTS, dtype=_DTYPE), baseline=dict(x=X, data=DATA),
    budget="the m × n output within the memory limit",
    too_large=({"x": np.zeros((6000, 3)), "data": np.zeros((6000, 3))},))
CONTRACTS["kernel_weight_stats"] = Contract(
    args=dict(_POINTS, h=real(low=0, low_open=True, doc=_H),
              mass=real(low=0, high=1, low_open=True, high_open=True), dtype=_DTYPE),
    baseline=dict(x=X, data=DATA, h=0.7),
    budget="m·n·(d + log n) within the work limit; memory O(n) per block")
CONTRACTS["sample_sq_distances"] = Contract(
    args={"d": integer(low=1), "n": integer(low=2), "seed": seed(),
          "r": real(low=0), "size": integer(low=1, none_ok=True)},
    baseline=dict(d=3, n=10, seed=0),
    budget="size × n within the memory limit (~16M values)",
    too_large=({"n": 10**9},))
CONTRACTS["sample_smallest_sq_distances"] = Contract(
    args={"d": integer(low=1), "n": integer(low=2), "k": integer(low=1, doc="<= n"),
          "seed": seed(), "r": real(low=0), "size": integer(low=1), "chunk": integer(low=1)},
    baseline=dict(d=3, n=50, k=3, seed=0),
    budget="size·n within the work limit",
    too_large=({"n": 10**12},))
CONTRACTS["log_kde_from_sq_distances"] = Contract(
    args={"D": _SQ, "h": real(low=0, low_open=True), "d": integer(low=1)},
    baseline=dict(D=D1, h=0.7, d=3), budget=f"D up to {K.MAX_ENTRIES:,} values")
CONTRACTS["weight_stats_from_sq_distances"] = Contract(
    args={"D": _SQ, "h": real(low=0, low_open=True), "d": integer(low=1),
          "mass": real(low=0, high=1, low_open=True, high_open=True)},
    baseline=dict(D=D1, h=0.7, d=3), budget=f"D up to {K.MAX_ENTRIES:,} values")
CONTRACTS["top_weights"] = Contract(
    args={"D": _SQ, "h": real(low=0, low_open=True), "k": integer(low=1)},
    baseline=dict(D=D1, h=0.7, k=3), budget=f"D up to {K.MAX_ENTRIES:,} values")
CONTRACTS["log_expected_kde"] = Contract(
    args={"x_sq_norm": array(low=0, skip=("wrong_shape",), max_size=K.MAX_ENTRIES),
          "h": _HS_FREE, "d": integer(low=1)},
    baseline=dict(x_sq_norm=np.array([3.0]), h=np.array([0.5, 1.0]), d=3))
CONTRACTS["relative_variance"] = Contract(
    args={"h": _HS_FREE, "d": integer(low=1), "n": integer(low=1),
          "x_sq_norm": real(low=0, none_ok=True, doc="|x|², default d")},
    baseline=dict(h=np.array([0.5, 1.0]), d=3, n=100))
CONTRACTS["clt_log_ratio_pdf"] = Contract(
    args={"z": array(skip=("wrong_shape",), max_size=K.MAX_ENTRIES),
          "h": real(low=0, low_open=True), "d": integer(low=1), "n": integer(low=1),
          "x_sq_norm": real(low=0, none_ok=True)},
    baseline=dict(z=np.linspace(-1, 1, 5), h=1.0, d=3, n=100))
CONTRACTS["spacing_pdf"] = Contract(
    args={"z": array(skip=("wrong_shape",), finite=False, extra=("nan",),
                     max_size=K.MAX_ENTRIES, doc="±inf allowed (density 0 / limit)"),
          "h_G": real(low=0, low_open=True, high=K.SCALE_RANGE[1], doc=">= 1e-100")},
    baseline=dict(z=np.linspace(0, 2, 5), h_G=0.5))
CONTRACTS["monte_carlo_kde"] = Contract(
    args={"d": integer(low=1), "n": integer(low=2),
          "h": array(low=0, low_open=True, high=K.SCALE_RANGE[1], max_size=K.MAX_ENTRIES,
                     doc="1-D bandwidths >= 1e-100"),
          "n_sets": integer(low=1), "seed": seed(), "r": real(low=0, none_ok=True),
          "dtype": _DTYPE, "progress": anything("an iterable wrapper such as tqdm, or None")},
    baseline=dict(d=3, n=20, h=np.array([0.5, 1.0]), n_sets=4, seed=0),
    budget="one data set of n distances in memory; n_sets·n·len(h) within the work limit",
    too_large=({"n": 10**9}, {"n_sets": 10**9}))
CONTRACTS["h_G_from_gaps"] = Contract(
    args={"smallest": array(ndim=2, low=0, max_size=K.MAX_ENTRIES,
                            doc="(m, K) smallest squared distances, ascending rows, K >= 2"),
          "k": integer(low=1, none_ok=True)},
    baseline=dict(smallest=SMALLEST))
CONTRACTS["normalised_spacings"] = Contract(
    args={"smallest": array(ndim=2, low=0, max_size=K.MAX_ENTRIES),
          "k": integer(low=1, none_ok=True)},
    baseline=dict(smallest=SMALLEST))
CONTRACTS["thresholds"] = Contract(args={"alpha": _ALPHAS},
                                   baseline=dict(alpha=np.array([0.1, 0.5])))
CONTRACTS["alpha_G"] = Contract(args={"h": _HS}, baseline=dict(h=np.array([0.5, 1.0])))
CONTRACTS["stable_index"] = Contract(args={"h": _HS, "alpha": _ALPHAS},
                                     baseline=dict(h=np.array([0.5, 1.0]), alpha=0.2))
CONTRACTS["regime_name"] = Contract(args={"kappa": real(low=0)}, baseline=dict(kappa=0.5))
CONTRACTS["annealed_log_density"] = Contract(args={"h": _HS},
                                             baseline=dict(h=np.array([0.5, 1.0])))
CONTRACTS["typical_log_density"] = Contract(
    args={"h": _HS, "alpha": _ALPHAS, "branch": _BRANCH},
    baseline=dict(h=np.array([0.5, 1.0]), alpha=0.2))
CONTRACTS["kl_per_dim"] = Contract(
    args={"h": _HS, "alpha": _ALPHAS, "branch": _BRANCH},
    baseline=dict(h=np.array([0.5, 1.0]), alpha=0.2))
CONTRACTS["expected_participation"] = Contract(args={"kappa": _KAPPA},
                                               baseline=dict(kappa=np.array([0.2, 0.8])))
CONTRACTS["pd_expected_max_weight"] = Contract(
    args={"kappa": array(low=0, skip=("wrong_shape",), max_size=K.PD_MAX_KAPPAS)},
                                               baseline=dict(kappa=np.array([0.2, 0.8])))
CONTRACTS["finite_size_thresholds"] = Contract(
    args={"d": integer(low=1, high=K.MAX_DIMENSION),
          "n": real(low=2, none_ok=True, doc="give n or log_n"),
          "log_n": real(low=0.6931471805599453, none_ok=True),
          "r": real(low=0, low_open=True, high=K.SCALE_RANGE[1], doc=">= 1e-100"),
          "method": choice(("auto", "exact", "saddlepoint"))},
    baseline=dict(d=3, n=100))
