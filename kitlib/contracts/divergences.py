"""Contract table of :mod:`kitlib.divergences` (format, how to add an entry: ``kitlib.contracts``).

Budget: discrete divergences hold a few float64 temporaries of the size of ``p``, so vectors
(or stacks) up to ``MAX_PROB`` = 2**22 entries (~32 MiB each) fit the 1 GB / 1-core budget;
grids likewise up to ``MAX_GRID`` entries. ``sinkhorn_divergence`` holds three n×m cost
matrices and iterates on them: up to ``MAX_SINKHORN_POINTS`` points per measure.
"""

from __future__ import annotations

import numpy as np

from kitlib.contracts import (Contract, anything, array, choice, constant, lazy, prob,
                              real)
from kitlib.divergences import DISCRETE_DIVERGENCES, F_DIVERGENCES, GRID_DIVERGENCES

MAX_PROB = 2**22
MAX_GRID = 2**22
MAX_SINKHORN_POINTS = 2000

P3 = np.array([0.2, 0.3, 0.5])
Q3 = np.array([0.4, 0.4, 0.2])
X5 = np.linspace(-2.0, 2.0, 5)
LOGP = -0.5 * np.linspace(-4, 4, 41) ** 2
LOGQ = -0.5 * (np.linspace(-4, 4, 41) - 0.5) ** 2

_STACKS = "stacks of vectors along leading axes are accepted"


def _pair(**more):
    args = {"p": prob(max_size=MAX_PROB, skip=("wrong_shape",), doc=_STACKS),
            "q": prob(max_size=MAX_PROB, skip=("wrong_shape",), doc=_STACKS)}
    args.update(more)
    return args


_DISCRETE_BUDGET = f"p, q up to {MAX_PROB:,} entries in all"

CONTRACTS: dict[str, Contract] = {
    name: Contract(args=_pair(), baseline=dict(p=P3, q=Q3), budget=_DISCRETE_BUDGET)
    for name in ("kl", "js", "hellinger2", "tv", "chi2", "cauchy_schwarz")
}
CONTRACTS["alpha_divergence"] = Contract(
    args=_pair(alpha=real()), baseline=dict(p=P3, q=Q3, alpha=0.5), budget=_DISCRETE_BUDGET)
CONTRACTS["renyi"] = Contract(
    args=_pair(order=real(low=0, low_open=True)), baseline=dict(p=P3, q=Q3, order=2.0),
    budget=_DISCRETE_BUDGET)
CONTRACTS["f_divergence"] = Contract(
    args=_pair(fdiv=choice(tuple(F_DIVERGENCES), doc="or an FDivergence")),
    baseline=dict(p=P3, q=Q3, fdiv="forward_kl"), budget=_DISCRETE_BUDGET)

CONTRACTS["divergence"] = Contract(
    args=_pair(name=choice(DISCRETE_DIVERGENCES),
               alpha=real(none_ok=True, doc="required for 'alpha' and 'renyi' (> 0 there)")),
    baseline=dict(p=P3, q=Q3, name="alpha", alpha=0.5), budget=_DISCRETE_BUDGET)
CONTRACTS["DIVERGENCES"] = constant("registry dict canonical name -> Divergence")
CONTRACTS["DISCRETE_DIVERGENCES"] = constant("tuple of the names divergence accepts")
CONTRACTS["FAMILIES"] = constant("tuple of the family names of Divergence")
CONTRACTS["Divergence"] = constant("frozen dataclass describing one divergence of the kit")
CONTRACTS["GRID_DIVERGENCES"] = constant("tuple of the names grid_divergence accepts")
CONTRACTS["F_DIVERGENCES"] = constant("registry dict name -> FDivergence")
CONTRACTS["FDivergence"] = constant("frozen dataclass describing one f-divergence")

_X_ANY = array(finite=False, extra=("nan",), max_size=MAX_GRID, skip=("wrong_shape", "empty"),
               doc="any shape, broadcast; ±inf allowed (log-density -inf), NaN refused")
CONTRACTS["log_normal_pdf"] = Contract(
    args={"x": _X_ANY,
          "mean": array(skip=("wrong_shape", "empty"), doc="broadcast with x"),
          "std": array(low=0, low_open=True, skip=("wrong_shape", "empty"),
                       doc="broadcast with x; a standard deviation")},
    baseline=dict(x=X5, mean=0.5, std=1.5), budget=f"x up to {MAX_GRID:,} entries")
CONTRACTS["log_mixture_pdf"] = Contract(
    args={"x": _X_ANY,
          "weights": prob(),
          "means": array(),
          "stds": array(low=0, low_open=True)},
    baseline=dict(x=X5, weights=[0.3, 0.7], means=[-1.0, 1.0], stds=[0.5, 1.0]),
    budget=f"x.size × number of components up to {MAX_GRID:,}",
    too_large=({"x": lazy(lambda: np.broadcast_to(0.0, (MAX_GRID // 2 + 1,)))},))
_LOGD = array(finite=False, extra=("nan",), skip=("wrong_shape",), max_size=MAX_GRID,
              doc="log-densities; -inf means zero density; NaN and +inf refused")
CONTRACTS["kl_integrand"] = Contract(
    args={"log_p": _LOGD, "log_q": _LOGD}, baseline=dict(log_p=LOGP, log_q=LOGQ),
    budget=f"up to {MAX_GRID:,} grid points")
CONTRACTS["grid_divergence"] = Contract(
    args={"log_p": _LOGD, "log_q": _LOGD, "dx": real(low=0, low_open=True),
          "divergence": choice(GRID_DIVERGENCES),
          "alpha": real(none_ok=True, doc="required for 'alpha' and 'renyi' (> 0 there)")},
    baseline=dict(log_p=LOGP, log_q=LOGQ, dx=0.2, divergence="renyi", alpha=2.0),
    budget=f"up to {MAX_GRID:,} grid points in all")
CONTRACTS["grid_w2sq"] = Contract(
    args={"x": array(max_size=MAX_GRID, doc="strictly increasing, >= 2 points"),
          "p": array(low=0, max_size=MAX_GRID, doc="densities on x, positive mass"),
          "q": array(low=0, max_size=MAX_GRID, doc="densities on x, positive mass")},
    baseline=dict(x=np.linspace(-4, 4, 41), p=np.exp(LOGP), q=np.exp(LOGQ)),
    budget=f"up to {MAX_GRID:,} grid points")
_PTS = f"up to {MAX_SINKHORN_POINTS} points per measure (three n×m cost matrices and ~1e3 sweeps)"
CONTRACTS["sinkhorn_divergence"] = Contract(
    args={"x": array(skip=("wrong_shape",), doc="shape (n,) or (n, d)"),
          "a": prob(),
          "y": array(skip=("wrong_shape",), doc="shape (m,) or (m, d)"),
          "b": prob(),
          "eps": real(low=0, low_open=True),
          "p": real(low=0, high=2, low_open=True)},
    baseline=dict(x=X5, a=np.full(5, 0.2), y=X5 + 0.5, b=np.full(5, 0.2), eps=0.5, p=2),
    budget=_PTS,
    too_large=({"x": lazy(lambda: np.linspace(0, 1, 30_000)),
                "a": lazy(lambda: np.full(30_000, 1 / 30_000)),
                "y": lazy(lambda: np.linspace(0.5, 1.5, 30_000)),
                "b": lazy(lambda: np.full(30_000, 1 / 30_000))},
               {"x": lazy(lambda: np.linspace(0, 1, 300)), "a": lazy(lambda: np.full(300, 1 / 300)),
                "y": lazy(lambda: np.linspace(0, 1, 300) ** 2),
                "b": lazy(lambda: np.full(300, 1 / 300)), "eps": 1e-300},
               {"x": lazy(lambda: np.linspace(0, 1, 3_000)),
                "a": lazy(lambda: np.full(3_000, 1 / 3_000)),
                "y": lazy(lambda: np.linspace(0.5, 1.5, 3_000)),
                "b": lazy(lambda: np.full(3_000, 1 / 3_000))}))
CONTRACTS["minka_alpha"] = Contract(args={"alpha": real()}, baseline=dict(alpha=0.5))

_SCALAR_GAUSS = dict(m0=0.0, S0=1.0, m1=0.5, S1=2.0)
_G = {"m0": real(doc="or a mean vector (k,)"),
      "S0": real(low=0, low_open=True, doc="a variance, or a covariance (k, k)"),
      "m1": real(doc="or a mean vector (k,)"),
      "S1": real(low=0, low_open=True, doc="a variance, or a covariance (k, k)")}
for _name in ("gaussian_kl", "gaussian_bhattacharyya", "gaussian_hellinger2", "gaussian_w2sq"):
    CONTRACTS[_name] = Contract(args=dict(_G), baseline=dict(_SCALAR_GAUSS),
                                budget="k up to 2000 (k×k Cholesky factors)")
CONTRACTS["gaussian_renyi"] = Contract(
    args=dict(_G, order=real(low=0, low_open=True)), baseline=dict(_SCALAR_GAUSS, order=2.0),
    budget="k up to 2000 (k×k Cholesky factors)")

del _name
_ = anything
