"""Tables of notebook 03 (information bottleneck): what its explorers draw, computed once.

* :func:`discrete_curve` — the optimal IB curve of a preset joint table on :data:`BETAS`;
* :func:`dib_curve` — the deterministic IB curve of a preset on :data:`BETAS`;
* :func:`training_plane` — one training run of the 12-10-7-5-4-3-2 network (Shwartz-Ziv–Tishby
  task) and its information plane: binned estimates for every bin count of :data:`BIN_GRID` and
  noisy-layer (Kolchinsky–Tracey) estimates for every noise level of :data:`SIGMA_GRID`, every
  layer at every recorded epoch. Only these planes are stored, not the raw activations.

The preset joint tables p(x, y) are :data:`PRESET_NAMES` (:func:`preset_joint`); the random one
is :func:`random_joint`. Every table is a :func:`kitlib.tables.table`: computed on first use,
shipped on disk for the parameter sets the notebook uses (see :mod:`kitlib.tables`).

* :func:`estimator_comparison` — one Gaussian sample of known MI and the binned, KSG and
  Cauchy–Schwarz estimates on it (shipped for the explorer's default; any other control setting
  is computed on first use, ≤ 40 ms at N = 4 000, and then kept in memory).

The Gaussian IB explorer computes live: its closed form takes ~1 ms per slider move, and its
three ρ sliders span far too many points for a table.

References (by title): Tishby, Pereira, Bialek — *The information bottleneck method*;
Strouse, Schwab — *The Deterministic Information Bottleneck*; Shwartz-Ziv, Tishby — *Opening the
Black Box of Deep Neural Networks via Information*; Saxe et al. — *On the Information Bottleneck
Theory of Deep Learning*; Kolchinsky, Tracey — *Estimating Mixture Entropy with Pairwise
Distances*.
"""

from __future__ import annotations

import math

import numpy as np

from kitlib import _validate as v
from kitlib import ib
from kitlib.tables import progress, table

__all__ = ["BETAS", "BIN_GRID", "SIGMA_GRID", "PRESET_NAMES", "N_NOISY", "random_joint",
           "preset_joint", "discrete_curve", "dib_curve", "training_plane", "estimator_comparison"]

#: β grid of the discrete curves: 10^-0.3 … 10^2 in steps of 0.02 in the exponent (116 points).
BETAS = np.round(10.0 ** np.arange(-0.3, 2.0001, 0.02), 10)
#: Bin counts per unit of the binned information-plane estimates.
BIN_GRID = (2, 4, 8, 16, 30, 100, 300)
#: Noise levels σ of the noisy-layer information-plane estimates.
SIGMA_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
#: Patterns in the fixed random subset used by the O(N²) noisy-layer estimator.
N_NOISY = 256
#: Names of the preset joint tables (see :func:`preset_joint`).
PRESET_NAMES = ("bss", "straight", "z_channel", "random")


def random_joint(*, n_x: int = 10, n_y: int = 10, seed=1) -> np.ndarray:
    """A random joint table p(x, y) ∝ U³ with U uniform on [0, 1) (cubing makes it uneven).

    Parameters
    ----------
    n_x, n_y : int, keyword-only
        Table shape, integers in [1, 1000].
    seed : None, int >= 0 or numpy.random.Generator, keyword-only

    Returns
    -------
    ndarray, shape (n_x, n_y)
        Entries >= 0 summing to 1.
    """
    n_x = v.integer(n_x, "n_x", low=1, high=1000)
    n_y = v.integer(n_y, "n_y", low=1, high=1000)
    p = v.as_generator(seed).random((n_x, n_y)) ** 3
    return p / p.sum()


def preset_joint(name: str) -> np.ndarray:
    """The joint table p(x, y) of a preset of notebook 03 (a fresh array).

    * ``"bss"`` — the binary symmetric source with ε = 0.1 (1/ρ_m² = 1.5625);
    * ``"straight"`` — a 3 × 3 table whose rare x fixes y: the curve starts with a straight
      segment (1/ρ_m² = 1) and then splits at 1/0.6² ≈ 2.78;
    * ``"z_channel"`` — p = [[½, 0], [¼, ¼]]: the optimum leaves the origin before 1/ρ_m² = 3;
    * ``"random"`` — :func:`random_joint` with its defaults (10 × 10, seed 1).
    """
    name = v.one_of(name, "name", PRESET_NAMES)
    if name == "bss":
        return ib.binary_symmetric_source(0.1)
    if name == "straight":
        return np.array([[0.0, 0.0, 0.1], [0.36, 0.09, 0.0], [0.09, 0.36, 0.0]])
    if name == "z_channel":
        return np.array([[0.5, 0.0], [0.25, 0.25]])
    return random_joint()


@table("ib.discrete_curve", presets=tuple({"preset": n} for n in PRESET_NAMES[1:]))
def discrete_curve(*, preset: str = "bss", n_restarts: int = 2, n_iter: int = 300,
                   seed: int = 0) -> dict:
    """The optimal IB curve of ``preset`` (:func:`preset_joint`) on :data:`BETAS`.

    :func:`kitlib.ib.ib_curve` with forward and reverse annealing plus ``n_restarts`` random
    restarts per β (``n_iter`` Blahut–Arimoto iterations each). ~0.1–0.6 s per preset.

    Returns
    -------
    dict
        The fields of :class:`kitlib.ib.IBCurve` (``ib.IBCurve(**table)`` rebuilds it):
        ``betas`` (B,), ``I_XT``, ``I_TY``, ``H_T``, ``lagrangian`` (B,) in nats, ``encoders``
        (B, |X|, |X|) p(t|x) with columns sorted by p(t), ``n_clusters`` (B,) int, ``I_XY`` and
        ``critical_beta`` (1/ρ_m², floats). B = 116.
    """
    c = ib.ib_curve(preset_joint(preset), BETAS, n_restarts=n_restarts, n_iter=n_iter, seed=seed)
    return {f: getattr(c, f) for f in ib.IBCurve.__dataclass_fields__}


@table("ib.dib_curve", presets=({"preset": "random"},))
def dib_curve(*, preset: str = "straight", n_init: int = 10, seed: int = 0) -> dict:
    """The deterministic IB curve of ``preset`` (:func:`preset_joint`) on :data:`BETAS`.

    :func:`kitlib.ib.deterministic_ib` from ``n_init`` random hard maps, the identity and the
    previous β's solution. ~0.1 s per preset.

    Returns
    -------
    dict
        The fields of :class:`kitlib.ib.DIBCurve` (``ib.DIBCurve(**table)`` rebuilds it):
        ``betas``, ``H_T``, ``I_XT`` (= H(T)), ``I_TY`` (B,) in nats, ``assignments`` (B, |X|)
        int, ``n_clusters`` (B,) int.
    """
    d = ib.deterministic_ib(preset_joint(preset), BETAS, n_init=n_init, seed=seed)
    return {f: getattr(d, f) for f in ib.DIBCurve.__dataclass_fields__}


def _unit_range(activation: str, layer, last: bool) -> tuple[float, float]:
    """Bin range of a layer: softmax output on [0, 1], tanh units on [−1, 1], ReLU units on
    [0, max over the run] (as in Saxe et al.)."""
    if last:
        return 0.0, 1.0
    return (-1.0, 1.0) if activation == "tanh" else (0.0, float(layer.max()))


@table("ib.training_plane", presets=({"activation": "relu"},))
def training_plane(*, activation: str = "tanh", epochs: int = 150, record_every: int = 5,
                   batch_size: int = 512, lr: float = 0.005, seed: int = 0,
                   bins: tuple = BIN_GRID, sigmas: tuple = SIGMA_GRID, n_noisy: int = N_NOISY,
                   subset_seed: int = 7) -> dict:
    """Information plane of the 12-10-7-5-4-3-2 network during training.

    Trains with :func:`kitlib.ib.train_information_plane` (torch, imported only here, one
    thread, float64, seeded: the run is reproducible) and estimates, for every hidden layer and
    the softmax output at every recorded epoch:

    * binned (I(X;T), I(T;Y)) with :func:`kitlib.ib.binned_layer_information`, every unit cut into
      ``n`` bins per unit on its range (:func:`_unit_range`) for each ``n`` in ``bins``;
      I(X;T) = H(binned T) ≤ log 4096;
    * noisy-layer (I(X;T), I(T;Y)) of T = layer + N(0, σ²I) with
      :func:`kitlib.ib.noisy_layer_information` for each σ in ``sigmas``, on a fixed random
      subset of ``n_noisy`` patterns (drawn with ``subset_seed``); I(X;T) ≤ log n_noisy.

    ~2 s of training and ~5 s of estimates per activation on one core.

    Returns
    -------
    dict
        ``epochs`` (R,) int, ``train_accuracy`` (R,), ``widths`` (L,) int (hidden widths and the
        2 outputs), ``bins`` (nb,) int, ``sigmas`` (ns,), ``n_noisy`` int; ``binned_I_XT``,
        ``binned_I_TY`` (nb, L, R) and ``noisy_I_XT``, ``noisy_I_TY`` (ns, L, R) in nats;
        ``binned_drop`` (nb, L) and ``noisy_drop`` (ns, L): how far each layer's I(X;T) fell
        from its peak by the last epoch (the "compression" the plane seems to show).
        Defaults: R = 31 records, L = 6 layers.
    """
    rec = ib.train_information_plane(activation=activation, epochs=epochs,
                                     record_every=record_every, batch_size=batch_size, lr=lr,
                                     seed=seed)
    n_layers, n_rec = len(rec.layers), rec.epochs.size
    bins = tuple(v.integer(b, "bins", low=1) for b in bins)
    sigmas = tuple(v.positive_scalar(s, "sigmas") for s in sigmas)
    n_noisy = v.integer(n_noisy, "n_noisy", low=2, high=rec.labels.size)
    idx = v.as_generator(subset_seed).choice(rec.labels.size, n_noisy, replace=False)
    out = {name: np.empty((len(grid), n_layers, n_rec)) for name, grid in
           (("binned_I_XT", bins), ("binned_I_TY", bins), ("noisy_I_XT", sigmas),
            ("noisy_I_TY", sigmas))}
    for k in progress(range(n_layers), f"information plane ({activation})"):
        act = rec.layers[k]
        lo, hi = _unit_range(activation, act, k == n_layers - 1)
        for r in range(n_rec):
            for i, n in enumerate(bins):
                out["binned_I_XT"][i, k, r], out["binned_I_TY"][i, k, r] = \
                    ib.binned_layer_information(act[r], rec.labels, n_bins=n, lo=lo, hi=hi)
            sub = act[r][idx].astype(float)
            for i, s in enumerate(sigmas):
                out["noisy_I_XT"][i, k, r], out["noisy_I_TY"][i, k, r] = \
                    ib.noisy_layer_information(sub, rec.labels[idx], sigma=s)
    for est in ("binned", "noisy"):
        ix = out[f"{est}_I_XT"]
        out[f"{est}_drop"] = ix.max(axis=2) - ix[:, :, -1]
    return {"epochs": rec.epochs, "train_accuracy": rec.train_accuracy,
            "widths": np.array(rec.widths), "bins": np.array(bins), "sigmas": np.array(sigmas),
            "n_noisy": n_noisy, **out}


@table("ib.estimator_comparison")
def estimator_comparison(*, rho: float = 0.5, n: int = 1000, bins: int = 30, seed: int = 0,
                         k: int = 3, n_cs: int = 500, sigma_cs: float = 0.5) -> dict:
    """Mutual-information estimators against the truth on one bivariate Gaussian sample.

    X ~ N(0, 1), Y = ρX + √(1 − ρ²)·ε with ε ~ N(0, 1) independent, so I(X;Y) = −½ log(1 − ρ²)
    exactly. The ``n`` pairs come from ``numpy.random.default_rng([seed, n])`` (a different
    stream for every sample size). Estimates: :func:`kitlib.ib.mi_binned` with ``bins`` bins per
    axis, :func:`kitlib.ib.mi_ksg` with ``k`` neighbours, and :func:`kitlib.ib.cauchy_schwarz_qmi`
    (kernel widths ``sigma_cs``) on the first ``n_cs`` pairs (it is O(N²)); CS-QMI is not
    Shannon MI.

    Parameters
    ----------
    rho : float, keyword-only
        Correlation in (−1, 1).
    n : int, keyword-only
        Sample size, an integer in [2, 10⁶].
    bins, k, n_cs : int, keyword-only
        Estimator settings (validated by the estimators; ``n_cs`` in [2, 2 000]).
    seed : int >= 0, keyword-only
    sigma_cs : float > 0, keyword-only

    Returns
    -------
    dict
        ``x``, ``y`` (n,) the sample; ``truth``, ``binned``, ``ksg``, ``cs_qmi`` floats in nats.
    """
    rho = v.in_range(rho, "rho", -1.0, 1.0, low_open=True, high_open=True)
    n = v.integer(n, "n", low=2, high=10**6)
    seed = v.integer(seed, "seed", low=0)
    m = min(n, v.integer(n_cs, "n_cs", low=2, high=2000))
    rng = np.random.default_rng([seed, n])
    x = rng.standard_normal(n)
    y = rho * x + math.sqrt(1 - rho * rho) * rng.standard_normal(n)
    return {"x": x, "y": y, "truth": -0.5 * math.log(1 - rho * rho),
            "binned": ib.mi_binned(x, y, bins=bins), "ksg": ib.mi_ksg(x, y, k=k),
            "cs_qmi": ib.cauchy_schwarz_qmi(x[:m], y[:m], sigma_x=sigma_cs, sigma_t=sigma_cs)}
