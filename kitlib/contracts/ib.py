"""Contract table of :mod:`kitlib.ib` (format and how to add an entry: ``kitlib.contracts``).

Budget: joint tables, encoders and probability vectors up to ``MAX_TABLE`` = 2**22 entries;
sample arrays up to ``MAX_SAMPLES`` = 2**22 numbers for the O(N log N) estimators, and N up to
~2 500 for the O(N²) pairwise ones (Kolchinsky–Tracey, Cauchy–Schwarz, noisy layer). Iterative
solvers (Blahut–Arimoto, ib_curve, deterministic_ib, training) are refused when their estimated
work passes ``kitlib.limits`` (~2e9 operations).
"""

from __future__ import annotations

import numpy as np

from kitlib.contracts import (Contract, anything, array, choice, constant, integer, lazy, prob,
                              real, seed)
from kitlib.ib import MAX_SAMPLES, MAX_TABLE

BSS = np.array([[0.45, 0.05], [0.05, 0.45]])
Q2 = np.array([[0.9, 0.1], [0.2, 0.8]])
BETAS = np.array([1.0, 3.0])
COV = (np.eye(2), np.diag([0.6, 0.3]), np.eye(2))
XS = np.c_[np.linspace(-1.0, 1.0, 12), np.cos(np.arange(12.0))]
YS = np.c_[np.sin(3.0 * XS[:, 0]), 0.1 * np.cos(7.0 * XS[:, 0])]
LABELS = (np.arange(12) % 2).astype(float)

_JOINT = array(ndim=2, low=0, max_size=MAX_TABLE, extra=("unnormalised",),
               doc="joint probability table p(x, y), summing to 1 within 1e-8")
_BETAS = array(low=0, low_open=True, max_size=MAX_TABLE, doc="a scalar is taken as one beta")
_TOL = real(low=1e-14, high=1.0)
_SAMPLES = array(ndim=2, max_size=MAX_SAMPLES, doc="(N,) or (N, d) with N >= 2")
_ONE_SAMPLE = array(ndim=2, max_size=MAX_SAMPLES, skip=("wrong_shape",),
                    doc="(N,) or (N, d) with N >= 2: a flattened (N, d) array is a valid input")
_COVM = array(ndim=2, doc="symmetric positive definite (checked after the shape)")


_PAIRWISE = ("N up to ~2000 (N × N distances); entries of magnitude <= 1e150 (squared distances "
             "stay finite; rescale the samples and sigma together beyond)")


def _pairwise_big():
    return np.zeros((30_000, 1))


CONTRACTS: dict[str, Contract] = {}
for _name in ("mutual_information", "maximal_correlation", "critical_beta"):
    CONTRACTS[_name] = Contract(args={"pxy": _JOINT}, baseline=dict(pxy=BSS),
                                budget=f"pxy up to {MAX_TABLE:,} cells (SVD: ~1000 × 1000)")
for _name in ("maximal_correlation", "critical_beta"):
    CONTRACTS[_name] = Contract(
        args={"pxy": _JOINT}, baseline=dict(pxy=BSS), budget="an SVD of pxy: up to ~1000 × 1000",
        too_large=({"pxy": lazy(lambda: np.full((1500, 1500), 1 / 1500**2))},))
CONTRACTS["entropy"] = Contract(
    args={"p": prob(max_size=MAX_TABLE, skip=("wrong_shape",), doc="any shape, flattened")},
    baseline=dict(p=[0.2, 0.3, 0.5]), budget=f"p up to {MAX_TABLE:,} entries")
CONTRACTS["ib_lagrangian"] = Contract(
    args={"q": array(ndim=2, low=0, max_size=MAX_TABLE, extra=("unnormalised",),
                     doc="encoder p(t|x), rows summing to 1 within 1e-8"),
          "pxy": _JOINT, "beta": real(low=0, low_open=True)},
    baseline=dict(q=Q2, pxy=BSS, beta=2.0), budget="|X|·|T|·|Y| up to ~4e6")
CONTRACTS["encoder_information"] = Contract(
    args={"q": array(ndim=2, low=0, max_size=MAX_TABLE, extra=("unnormalised",),
                     skip=("wrong_shape",),
                     doc="encoder(s) p(t|x), shape (..., |X|, |T|), rows summing to 1 within 1e-8"),
          "pxy": _JOINT},
    baseline=dict(q=Q2, pxy=BSS), budget=f"q up to {MAX_TABLE:,} entries; q.size/|X|·|Y| up to ~4e6")
CONTRACTS["blahut_arimoto"] = Contract(
    args={"pxy": _JOINT, "beta": real(low=0, low_open=True),
          "q0": array(ndim=2, low=0, max_size=MAX_TABLE, doc="starting encoder; rows normalised"),
          "n_iter": integer(low=1), "tol": _TOL},
    baseline=dict(pxy=BSS, beta=2.0, q0=Q2, n_iter=50),
    budget="n_iter·(10·|X|·|T|·|Y| + 1e4) up to 2e9 operations", too_large=({"n_iter": 10**9},))
CONTRACTS["ib_curve"] = Contract(
    args={"pxy": _JOINT, "betas": _BETAS, "n_t": integer(low=1, none_ok=True),
          "n_restarts": integer(low=0), "seed": seed(), "n_iter": integer(low=1), "tol": _TOL},
    baseline=dict(pxy=BSS, betas=BETAS, n_restarts=1, n_iter=50),
    budget="B·(2 + n_restarts)·|X|·|T| up to ~3e6 numbers; "
           "n_iter·B·((2 + n_restarts)·|X|·|T|·|Y| + 1e4) up to 2e9 operations",
    too_large=({"n_iter": 10**8},
               {"pxy": lazy(lambda: np.full((300, 300), 1 / 300**2)),
                "betas": lazy(lambda: np.linspace(1.0, 10.0, 100))}))
CONTRACTS["binary_symmetric_source"] = Contract(args={"eps": real(low=0, high=1)},
                                                baseline=dict(eps=0.1))
CONTRACTS["bss_curve"] = Contract(
    args={"eps": real(low=0, high=0.5, low_open=True, high_open=True),
          "delta": array(low=0, high=0.5, low_open=True, high_open=True, max_size=MAX_TABLE,
                         skip=("wrong_shape",), doc="a scalar or an array of up to 2 dimensions")},
    baseline=dict(eps=0.1, delta=np.array([0.1, 0.3])), budget=f"delta up to {MAX_TABLE:,} values")
CONTRACTS["gaussian_ib"] = Contract(
    args={"cov_x": _COVM, "cov_xy": array(ndim=2), "cov_y": _COVM, "betas": _BETAS},
    baseline=dict(cov_x=COV[0], cov_xy=COV[1], cov_y=COV[2], betas=[1.5, 4.0]),
    budget="B·n² up to ~3e6 numbers; n + m up to ~500",
    too_large=({"cov_x": lazy(lambda: np.eye(3000)), "cov_xy": lazy(lambda: np.zeros((3000, 1))),
                "cov_y": [[1.0]]},))
CONTRACTS["gaussian_ib_curvature"] = Contract(
    args={"cov_x": _COVM, "cov_xy": array(ndim=2), "cov_y": _COVM, "betas": _BETAS},
    baseline=dict(cov_x=COV[0], cov_xy=COV[1], cov_y=COV[2], betas=[20.0, 40.0]),
    budget="B·n² up to ~3e6 numbers; n + m up to ~500",
    too_large=({"cov_x": lazy(lambda: np.eye(3000)), "cov_xy": lazy(lambda: np.zeros((3000, 1))),
                "cov_y": [[1.0]]},))
CONTRACTS["gaussian_ib_objective"] = Contract(
    args={"A": array(ndim=2), "cov_x": _COVM, "cov_xy": array(ndim=2), "cov_y": _COVM,
          "beta": real(low=0, low_open=True)},
    baseline=dict(A=[[1.0, 0.0], [0.0, 0.5]], cov_x=COV[0], cov_xy=COV[1], cov_y=COV[2], beta=3.0),
    budget="A up to ~1000 × 1000")
CONTRACTS["canonical_covariances"] = Contract(
    args={"rhos": array(low=0, high=1, high_open=True, max_size=MAX_TABLE)},
    baseline=dict(rhos=[0.6, 0.3]), budget="up to ~3000 correlations (three n × n matrices)",
    too_large=({"rhos": lazy(lambda: np.full(10_000, 0.5))},))
CONTRACTS["gaussian_mi"] = Contract(
    args={"cov": _COVM, "dx": integer(low=1, doc="< the size of cov")},
    baseline=dict(cov=[[1.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 1.0]], dx=1),
    budget="cov up to ~1000 × 1000")
CONTRACTS["deterministic_ib"] = Contract(
    args={"pxy": _JOINT, "betas": _BETAS, "n_t": integer(low=1, none_ok=True),
          "n_init": integer(low=0), "seed": seed()},
    baseline=dict(pxy=BSS, betas=BETAS, n_init=2),
    budget="B·(n_init + 3)·100·(|X|·|T|·|Y| + 1e4) up to 2e9 operations",
    too_large=({"n_init": 10**7},))
CONTRACTS["mi_binned"] = Contract(
    args={"x": _SAMPLES, "y": _SAMPLES, "bins": integer(low=1, high=2**31 - 1)},
    baseline=dict(x=XS, y=YS, bins=4), budget=f"N·d up to {MAX_SAMPLES:,}")
CONTRACTS["mi_ksg"] = Contract(
    args={"x": _SAMPLES, "y": _SAMPLES, "k": integer(low=1, doc="<= N - 1"),
          "jitter": real(low=0, high=1e-3), "seed": seed()},
    baseline=dict(x=XS, y=YS, k=3), budget="N up to ~5e5 for 1-D x, y and k = 3 (tree queries ~N·k·log N)",
    too_large=({"x": lazy(lambda: np.broadcast_to(0.0, (3_000_000, 1))),
                "y": lazy(lambda: np.broadcast_to(0.0, (3_000_000, 1)))},))
CONTRACTS["kolchinsky_tracey_bounds"] = Contract(
    args={"h": _ONE_SAMPLE, "sigma": real(low=0, low_open=True)},
    baseline=dict(h=YS, sigma=0.5), budget=_PAIRWISE,
    too_large=({"h": lazy(_pairwise_big)},))
CONTRACTS["cauchy_schwarz_qmi"] = Contract(
    args={"x": _SAMPLES, "t": _SAMPLES, "sigma_x": real(low=0, low_open=True),
          "sigma_t": real(low=0, low_open=True)},
    baseline=dict(x=XS, t=YS), budget="N up to ~2000 (two N × N kernels); entries of magnitude <= 1e150",
    too_large=({"x": lazy(_pairwise_big), "t": lazy(_pairwise_big)},))
CONTRACTS["symmetric_task"] = Contract(
    args={"n_inputs": integer(low=2, high=16), "seed": seed()}, baseline=dict(n_inputs=4),
    budget="2**n_inputs patterns, n_inputs <= 16")
CONTRACTS["train_information_plane"] = Contract(
    args={"activation": choice(("tanh", "relu")),
          "widths": anything("a sequence of 1 to 10 integer widths in [1, 1024]; tested in "
                             "tests/test_ib.py"),
          "epochs": integer(low=1), "record_every": integer(low=1),
          "lr": real(low=0, low_open=True), "batch_size": integer(low=1),
          "train_fraction": real(low=0, high=1, low_open=True), "seed": seed()},
    baseline=dict(widths=(3,), epochs=1, record_every=1),
    budget="records (epochs/record_every + 1)·4096·(Σ widths + 2) float32; ~6·epochs·N·weights "
           "operations (default ~1.6e9)",
    too_large=({"epochs": 10**6}, {"widths": (1024,) * 10}))
CONTRACTS["binned_layer_information"] = Contract(
    args={"t": _ONE_SAMPLE, "labels": array(doc="one integer label per row of t"),
          "n_bins": integer(low=1, high=2**31 - 1), "lo": real(none_ok=True), "hi": real(none_ok=True)},
    baseline=dict(t=YS, labels=LABELS, n_bins=5, lo=-1.5, hi=1.5),
    budget=f"t up to {MAX_SAMPLES:,} numbers")
CONTRACTS["noisy_layer_information"] = Contract(
    args={"t": _ONE_SAMPLE, "labels": array(doc="one integer label per row of t"),
          "sigma": real(low=0, low_open=True)},
    baseline=dict(t=YS, labels=LABELS, sigma=0.3), budget=_PAIRWISE,
    too_large=({"t": lazy(_pairwise_big), "labels": lazy(lambda: np.zeros(30_000))},))
for _name, _what in (("IBCurve", "result dataclass of ib_curve"),
                     ("GaussianIB", "result dataclass of gaussian_ib"),
                     ("DIBCurve", "result dataclass of deterministic_ib"),
                     ("TrainingRecord", "result dataclass of train_information_plane")):
    CONTRACTS[_name] = constant(_what)

del _name, _what
