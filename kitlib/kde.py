r"""Gaussian kernel density estimation in high dimension: fast evaluation and the theory of its regimes.

The setting (Biroli & Mézard, *Kernel Density Estimators in Large Dimensions*, arXiv:2408.05807):
data :math:`y_1, \dots, y_n` iid :math:`\mathcal N(0, I_d)`, a Gaussian kernel with variance
:math:`h^2` per coordinate,

.. math::

    \hat\rho_h(x) = \frac1n \sum_{i=1}^n \mathcal N(x; y_i, h^2 I_d)
                  = (2\pi h^2)^{-d/2}\,\frac1n \sum_{i=1}^n e^{-D_i/(2h^2)},
    \qquad D_i = |x - y_i|^2 ,

and the scaling :math:`d \to \infty` with :math:`\alpha = \ln n / d` and :math:`h` fixed. The
estimator's mean is :math:`\rho_h(x) = \mathcal N(x; 0, (1+h^2) I_d)`; how :math:`\hat\rho_h`
fluctuates around it depends on the *stable index* :math:`\kappa = (h/h_G)^2`:

* **CLT** regime, :math:`h > h_{CLT} = \sqrt2\,h_G` (:math:`\kappa > 2`): :math:`\hat\rho/\rho_h`
  is Gaussian around 1;
* **heavy-tailed** regime, :math:`h_G < h < h_{CLT}` (:math:`1 < \kappa < 2`): mean 1, median
  below 1, a right tail :math:`\sim z^{-\kappa}` (a totally skewed :math:`\kappa`-stable law);
* **extreme-value** regime, :math:`h < h_G` (:math:`\kappa < 1`): the sum is carried by a handful
  of nearest points whose normalised weights follow Poisson–Dirichlet :math:`PD(\kappa, 0)`.

The closed forms here were *derived in the paper's setting* from the theory of sums of random
exponentials (random energy model; Ben Arous–Bogachev–Molchanov 2005) and checked by Monte Carlo;
the paper may name symbols differently (its :math:`\alpha`-stable index is our :math:`\kappa`).

Contents
--------
Evaluation (real data, chunked matrix products with log-sum-exp, bounded memory):
    :func:`log_kde`, :func:`kernel_weight_stats`, :func:`sq_distances`.
Evaluation from squared distances (no points needed):
    :func:`sample_sq_distances`, :func:`sample_smallest_sq_distances`,
    :func:`log_kde_from_sq_distances`, :func:`weight_stats_from_sq_distances`,
    :func:`top_weights`, :func:`log_expected_kde`, :func:`relative_variance`,
    :func:`clt_log_ratio_pdf`, :func:`monte_carlo_kde`, :func:`h_G_from_gaps`,
    :func:`normalised_spacings`, :func:`spacing_pdf`.
Asymptotic thresholds and theory curves:
    :func:`thresholds`, :func:`stable_index`, :func:`regime_name`, :func:`alpha_G`,
    :func:`typical_log_density`,
    :func:`annealed_log_density`, :func:`kl_per_dim`, :func:`expected_participation`,
    :func:`pd_expected_max_weight`.
Finite size:
    :func:`finite_size_thresholds` (exact noncentral :math:`\chi^2` law, or its second-order
    saddle-point form where scipy underflows).

Which to use: :func:`log_kde` for densities of real points; :func:`monte_carlo_kde` for statistics
over thousands of data sets at one test point (it draws the :math:`n` distances directly with the
exact :math:`O(n)` sampler); the closed forms for :math:`d \to \infty` and
:func:`finite_size_thresholds` at laptop sizes (corrections are 5–15 % in :math:`h_G` at
:math:`d = 20`–:math:`100`).

Data with standard deviation :math:`\sigma` per coordinate: replace :math:`h` by :math:`h/\sigma`.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from kitlib import _validate as _v

__all__ = [
    # evaluation on points
    "log_kde",
    "sq_distances",
    "KernelWeightStats",
    "kernel_weight_stats",
    # evaluation from squared distances
    "sample_sq_distances",
    "sample_smallest_sq_distances",
    "log_kde_from_sq_distances",
    "weight_stats_from_sq_distances",
    "top_weights",
    "log_expected_kde",
    "relative_variance",
    "clt_log_ratio_pdf",
    "spacing_pdf",
    "MonteCarloKDE",
    "monte_carlo_kde",
    "h_G_from_gaps",
    "normalised_spacings",
    # asymptotic theory
    "Thresholds",
    "thresholds",
    "stable_index",
    "regime_name",
    "alpha_G",
    "typical_log_density",
    "annealed_log_density",
    "kl_per_dim",
    "expected_participation",
    "pd_expected_max_weight",
    # finite size
    "FiniteSizeThresholds",
    "finite_size_thresholds",
    "EULER_GAMMA",
]

#: Euler's constant γ; the mean of the smallest distance sits ``2γ·h_G²`` below the 1/n quantile.
EULER_GAMMA = float(np.euler_gamma)

_LOG_2PI = math.log(2.0 * math.pi)
# Elements of one (test points × data points) block of log-kernels: 2**18 float64 = 2 MB, so
# that a block stays in the L2 cache between the matrix product and the log-sum-exp passes.
_BLOCK_ELEMENTS = 1 << 18


# --------------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------------
# All checks go through kitlib._validate: every message names the argument, what is allowed and
# the value received ("h must be a finite real number > 0; got -1.0"). The few helpers below
# only combine _validate's checks for arguments this module takes again and again.
#: largest number of entries of one float64 working array (a few of them are alive at once)
MAX_ENTRIES = 1 << 23
#: most κ values of one :func:`pd_expected_max_weight` call (4001 quadrature nodes each)
PD_MAX_KAPPAS = 1 << 13


def _values(name: str, value, *, low: float | None = None, allow_inf: bool = False,
            max_size: int = MAX_ENTRIES) -> np.ndarray:
    """A non-empty float array of any shape: no NaN, finite unless ``allow_inf``, >= ``low``."""
    arr = _v.as_float_array(value, name, max_size=max_size)
    allowed = ("a number or non-empty array, " + ("not NaN" if allow_inf else "finite")
               + ("" if low is None else f", >= {low:g}"))
    if arr.size == 0:
        raise _v.fail(name, allowed, value)
    bad = np.isnan(arr) if allow_inf else ~np.isfinite(arr)
    if low is not None:
        bad = bad | (arr < low)
    if bad.any():
        raise _v.fail(name, allowed, arr[bad][:3].tolist())
    return arr


#: range of bandwidths (and other scale parameters) accepted by the asymptotic formulas and the
#: Monte Carlo: they square h in float64, which over- or underflows outside it
SCALE_RANGE = (1e-100, 1e100)
#: largest dimension of :func:`finite_size_thresholds` (its root searches take ~0.1 s at 1e7)
MAX_DIMENSION = 10**8


def _positive_values(name: str, value, *, allow_array: bool = True,
                     bounded: bool = False) -> np.ndarray | float:
    """Check that ``value`` (a number or, if allowed, an array) is finite and > 0.

    ``bounded`` also asks for ``SCALE_RANGE`` (quantities that are squared in float64).
    """
    out = _positive_values_unbounded(name, value, allow_array=allow_array)
    lo, hi = SCALE_RANGE
    if bounded and (np.any(out < lo) or np.any(out > hi)):
        arr = np.asarray(out)
        raise _v.fail(name, f"in [{lo:g}, {hi:g}] (it is squared in float64 arithmetic)",
                      arr[(arr < lo) | (arr > hi)][:3].tolist() if arr.ndim else float(arr))
    return out


def _positive_values_unbounded(name: str, value, *, allow_array: bool = True):
    if not allow_array or np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
        return _v.positive_scalar(value, name)
    arr = _v.as_float_array(value, name, max_size=MAX_ENTRIES, what="finite numbers > 0")
    if arr.size == 0:
        raise _v.fail(name, "a non-empty array of finite numbers > 0", value)
    if not (np.isfinite(arr).all() and (arr > 0).all()):
        bad = arr[~(np.isfinite(arr) & (arr > 0))][:3].tolist()
        raise _v.fail(name, "finite and > 0 everywhere", bad)
    return arr


def _dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError as err:
        raise _v.fail("dtype", "numpy.float32 or numpy.float64", dtype) from err
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise _v.fail("dtype", "numpy.float32 or numpy.float64", dtype)
    return dt


def _points(x, data) -> tuple[np.ndarray, np.ndarray]:
    x = _v.as_float_array(x, "x", max_size=MAX_ENTRIES)
    data = _v.as_float_array(data, "data", max_size=MAX_ENTRIES)
    if data.ndim != 2:
        raise _v.fail("data", "a 2-D array of shape (n, d)", f"an array of shape {data.shape}")
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise _v.fail("x", "a 2-D array of shape (m, d)", f"an array of shape {x.shape}")
    if x.shape[1] != data.shape[1]:
        raise _v.fail("data", f"an array with the same number of columns d as x ({x.shape[1]})",
                      f"an array of shape {data.shape}")
    if data.shape[0] < 2:
        raise _v.fail("data", "an array with n >= 2 rows", f"{data.shape[0]} row(s)")
    if data.shape[1] < 1:
        raise _v.fail("data", "an array with d >= 1 columns", f"shape {data.shape}")
    if x.shape[0] < 1:
        raise _v.fail("x", "an array with at least one row (evaluation point)",
                      f"shape {x.shape}")
    for name, arr in (("x", x), ("data", data)):
        if not np.isfinite(arr).all():
            raise _v.fail(name, "an array of finite numbers", "an array with NaN or inf")
        with np.errstate(over="ignore"):
            big = float(np.einsum("ij,ij->i", arr, arr).max())
        if not math.isfinite(4.0 * big):
            raise _v.fail(name, "an array whose rows' squared norms fit in float64 (rescale the "
                                "data: the KDE with bandwidth h of data scaled by s equals the "
                                "one with h/s, divided by s^d)", f"a largest |row|² of {big:.3g}")
    return x, data


# --------------------------------------------------------------------------------------------
# evaluation on points
# --------------------------------------------------------------------------------------------
def _blocks(m: int, n: int, block_elements: int):
    """Row and column block sizes for an m × n matrix of log-kernels."""
    rows = min(m, 256)
    cols = max(256, block_elements // rows)
    return rows, min(n, cols)


def _augmented(x: np.ndarray, data: np.ndarray, h: float, dt: np.dtype):
    """Matrices whose product is the data-dependent part of the log-kernels.

    ``log K_ij = -|x_i - y_j|²/(2h²) = (x_i·y_j - |y_j|²/2)/h² - |x_i|²/(2h²)``; the last term is
    constant along a row and is added after the log-sum-exp. With ``X̃ = [x/h², -1/(2h²)]`` and
    ``Ỹ = [y, |y|²]`` one matrix product gives the rest: ``X̃ Ỹᵀ``.
    """
    inv = 1.0 / (h * h)
    x64 = np.asarray(x, dtype=np.float64)
    y64 = np.asarray(data, dtype=np.float64)
    xt = np.empty((x64.shape[0], x64.shape[1] + 1), dtype=dt)
    xt[:, :-1] = x64 * inv
    xt[:, -1] = -0.5 * inv
    yt = np.empty((y64.shape[0], y64.shape[1] + 1), dtype=dt)
    yt[:, :-1] = y64
    yt[:, -1] = np.einsum("ij,ij->i", y64, y64)
    row_const = -0.5 * inv * np.einsum("ij,ij->i", x64, x64)
    return xt, yt, row_const


# largest accepted absolute error of a log-kernel in the one-product form: float64 promises
# agreement with a brute-force sum to ~1e-12 relative; float32 is the documented fast route
_PRODUCT_FORM_TOL = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-2}


def _augmented_is_exact_enough(x: np.ndarray, data: np.ndarray, h: float, dt: np.dtype) -> bool:
    """Whether the one-product form keeps log-kernel errors small (else: the direct route).

    The product form adds terms of size (|x|² + |y|²)/(2h²) that cancel to −|x − y|²/(2h²); its
    absolute error is about machine-ε of ``dt`` times that size. Tiny ``h`` (or 1/h² overflowing,
    e.g. h = 1e-160) makes it meaningless, so the direct differences are used instead.
    """
    if h * h == 0.0 or not math.isfinite(1.0 / (h * h)):
        return False
    inv = 1.0 / (h * h)
    scale = float(np.einsum("ij,ij->i", x, x).max() + np.einsum("ij,ij->i", data, data).max())
    return float(np.finfo(dt).eps) * scale * inv < _PRODUCT_FORM_TOL[dt]


def _sq_dist_rows(xb: np.ndarray, data: np.ndarray) -> np.ndarray:
    """|x_i − y_j|² for a block of rows by explicit differences (columns in bounded chunks)."""
    n, d = data.shape
    out = np.empty((xb.shape[0], n))
    cols = max(1, (1 << 20) // max(1, xb.shape[0] * d))
    for c0 in range(0, n, cols):
        diff = xb[:, None, :] - data[None, c0:c0 + cols, :]
        out[:, c0:c0 + cols] = np.einsum("ijk,ijk->ij", diff, diff)
    return out


def _log_kernels_direct(xb: np.ndarray, data: np.ndarray, h: float):
    """(log-kernels relative to each row's nearest point, the nearest point's log-kernel).

    −(D − D_min)/(2h²) and −D_min/(2h²), each computed as ((D/h)/h)/2 so that a tiny ``h``
    gives −inf (an underflowed kernel) instead of inf − inf = NaN.
    """
    D = _sq_dist_rows(xb, data)
    dmin = D.min(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        rel = -0.5 * (((D - dmin[:, None]) / h) / h)
        top = -0.5 * ((dmin / h) / h)
    return rel, top


def _log_kde_direct(x: np.ndarray, data: np.ndarray, h: float) -> np.ndarray:
    m = x.shape[0]
    n, d = data.shape
    rows = max(1, min(m, (1 << 20) // n))
    out = np.empty(m)
    for r0 in range(0, m, rows):
        rel, top = _log_kernels_direct(x[r0:r0 + rows], data, h)
        out[r0:r0 + rows] = top + np.log(np.exp(rel).sum(axis=1))  # the nearest term is 1
    return out - 0.5 * d * (_LOG_2PI + 2.0 * math.log(h)) - math.log(n)


def log_kde(x, data, h, *, dtype=np.float64) -> np.ndarray:
    r"""Log of the Gaussian kernel density estimate at each row of ``x``.

    .. math::

        \ln\hat\rho_h(x) = -\frac d2 \ln(2\pi h^2) - \ln n
            + \operatorname{LSE}_i\!\left(-\frac{|x - y_i|^2}{2h^2}\right),

    evaluated as chunked matrix products (:math:`|x|^2 + |y|^2 - 2\,x\cdot y^\top`, folded into
    one product of augmented matrices) and a streaming log-sum-exp, so memory stays bounded
    (one block of 2**18 values, 2 MB in float64, besides the inputs) whatever ``n`` is. The cost is
    :math:`2\,m\,n\,(d+1)` flops of matrix product plus :math:`m\,n` exponentials.

    Parameters
    ----------
    x : array_like, shape (m, d) or (d,)
        Evaluation points.
    data : array_like, shape (n, d)
        Data points, ``n >= 2``.
    h : float
        Kernel bandwidth (standard deviation per coordinate), ``h > 0``.
    dtype : {numpy.float64, numpy.float32}, keyword-only
        Precision of the matrix products and exponentials. ``float64`` (default) agrees with a
        brute-force sum to about 1e-12; ``float32`` is about 1.5× faster (half the memory
        traffic), for interactive precomputation, with an absolute error in :math:`\ln\hat\rho`
        of order :math:`10^{-7}\,|x|^2/h^2` (about 1e-5 at d = 50, h = 1; ``benchmarks/kde.py``
        measures it). Accumulators are float64.

    Returns
    -------
    numpy.ndarray, shape (m,), float64
        :math:`\ln\hat\rho_h` at each evaluation point.

    Raises
    ------
    ValueError
        If ``h <= 0``, the shapes do not match, ``n < 2`` or inputs are not finite.

    See Also
    --------
    kernel_weight_stats : the normalised weights' summaries at each point.
    log_kde_from_sq_distances : the same from squared distances.

    Contract
    --------
    x
        2-D real array, finite, non-empty; at most 8,388,608 entries (shape (m, d) or (d,)).
    data
        2-D real array, finite, non-empty; at most 8,388,608 entries (shape (n, d), n >= 2).
    h
        finite real number > 0 (bandwidth h > 0).
    dtype
        numpy.float32 or numpy.float64 (refused otherwise, naming dtype).
    Budget (1 GB / 1 core): m·n·(d + 1) within the work limit; memory one 2 MB block. Bad or
    too-large input raises ValueError naming the argument, before any allocation.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.standard_normal((500, 3)); x = rng.standard_normal((4, 3))
    >>> brute = [np.log(np.mean(np.exp(-((xi - y) ** 2).sum(1) / 2))) - 1.5 * np.log(2 * np.pi)
    ...          for xi in x]
    >>> bool(np.allclose(log_kde(x, y, 1.0), brute, rtol=0, atol=1e-12))
    True
    """
    func = "log_kde"
    x, data = _points(x, data)
    h = _positive_values("h", h, allow_array=False)
    dt = _dtype(dtype)
    m, d = x.shape
    n = data.shape[0]
    # calibrated on one core: ~25 numpy-operation units per kernel (exp, sums) + matmul
    _v.check_work(func, m * n * (20.0 + 0.15 * d), hint="evaluate fewer points or subsample data")
    if not _augmented_is_exact_enough(x, data, h, dt):
        return _log_kde_direct(x, data, h)
    xt, yt, row_const = _augmented(x, data, h, dt)
    rows, cols = _blocks(m, n, _BLOCK_ELEMENTS)
    out = np.empty(m, dtype=np.float64)
    buf = np.empty((rows, cols), dtype=dt)
    for r0 in range(0, m, rows):
        r1 = min(m, r0 + rows)
        xr = xt[r0:r1]
        run_max = np.full(r1 - r0, -np.inf)
        run_sum = np.zeros(r1 - r0)
        for c0 in range(0, n, cols):
            c1 = min(n, c0 + cols)
            blk = buf[: r1 - r0, : c1 - c0]
            np.matmul(xr, yt[c0:c1].T, out=blk)
            bmax = blk.max(axis=1).astype(np.float64)
            new_max = np.maximum(run_max, bmax)
            run_sum *= np.exp(run_max - new_max)
            blk -= new_max.astype(dt)[:, None]
            np.exp(blk, out=blk)
            run_sum += blk.sum(axis=1, dtype=np.float64)
            run_max = new_max
        out[r0:r1] = run_max + np.log(run_sum)
    return out + row_const - 0.5 * d * (_LOG_2PI + 2.0 * math.log(h)) - math.log(n)


def sq_distances(x, data, *, dtype=np.float64) -> np.ndarray:
    r"""All squared distances :math:`D_{ij} = |x_i - y_j|^2` as one matrix product, clamped at 0.

    Memory is ``m × n`` values: use it for moderate sizes (the nearest-neighbour gaps of a real
    data set, tests). :func:`log_kde` never forms this matrix.

    Parameters
    ----------
    x : array_like, shape (m, d) or (d,)
    data : array_like, shape (n, d), n >= 2
    dtype : {numpy.float64, numpy.float32}, keyword-only

    Returns
    -------
    numpy.ndarray, shape (m, n)

    Contract
    --------
    x
        2-D real array, finite, non-empty; at most 8,388,608 entries (shape (m, d) or (d,)).
    data
        2-D real array, finite, non-empty; at most 8,388,608 entries (shape (n, d), n >= 2).
    dtype
        numpy.float32 or numpy.float64 (refused otherwise, naming dtype).
    Budget (1 GB / 1 core): the m × n output within the memory limit. Bad or too-large input raises
    ValueError naming the argument, before any allocation.
    """
    func = "sq_distances"
    x, data = _points(x, data)
    dt = _dtype(dtype)
    _v.check_budget(func, 2.0 * dt.itemsize * x.shape[0] * data.shape[0],
                    hint="pass fewer rows of x per call (log_kde never forms this matrix)")
    xd = x.astype(dt, copy=False)
    yd = data.astype(dt, copy=False)
    out = xd @ yd.T
    out *= -2
    out += np.einsum("ij,ij->i", xd, xd)[:, None]
    out += np.einsum("ij,ij->i", yd, yd)[None, :]
    np.maximum(out, 0, out=out)
    return out


@dataclass(frozen=True)
class KernelWeightStats:
    r"""Summaries of the normalised kernel weights :math:`w_i = K_i / \sum_j K_j` at each point.

    Attributes
    ----------
    log_density : numpy.ndarray
        :math:`\ln\hat\rho_h` (needs ``d``; NaN-free, ``-inf`` never occurs for finite inputs).
    participation : numpy.ndarray
        :math:`\sum_i w_i^2` in :math:`[1/n, 1]`: about 1/n when every point counts equally,
        1 when one point carries the estimate. Its mean is :math:`1-\kappa` in the extreme-value
        regime.
    max_weight : numpy.ndarray
        :math:`\max_i w_i`.
    n_mass : numpy.ndarray of int
        The smallest number of points whose weights add up to at least ``mass`` (default 90 %).
    mass : float
        The mass fraction used for ``n_mass``.
    """

    log_density: np.ndarray
    participation: np.ndarray
    max_weight: np.ndarray
    n_mass: np.ndarray
    mass: float


def _stats_from_logk(logk: np.ndarray, mass: float):
    """Participation, max weight, points carrying ``mass`` and LSE along the last axis of log-kernels."""
    top = logk.max(axis=-1, keepdims=True)
    w = np.exp(logk - top)
    s1 = w.sum(axis=-1)
    w /= s1[..., None]
    part = np.einsum("...i,...i->...", w, w)
    wmax = 1.0 / s1
    return top[..., 0] + np.log(s1), part, wmax, _mass_count(w, mass)


def _mass_count(w: np.ndarray, mass: float) -> np.ndarray:
    """Fewest largest weights carrying ``mass``, along the last axis of normalised weights ``w``:
    ``(cumsum(sorted descending) < mass).sum() + 1``, at most n.

    Only the weights >= (1 − mass)/n are sorted: the others sum to less than 1 − mass, so the
    larger ones carry more than ``mass`` and the count lies among them. Their running sums are
    the full sort's first ones, value for value (cumsum adds left to right), so the count is
    the full sort's; a row whose sums fall short by rounding is sorted whole.
    """
    n = w.shape[-1]
    flat = w.reshape(-1, n)
    floor = (1.0 - mass) / n
    out = np.empty(flat.shape[0], dtype=np.int64)
    for i, row in enumerate(flat):
        cum = np.cumsum(-np.sort(-row[row >= floor]))
        if cum.size == 0 or not cum[-1] >= mass:
            cum = np.cumsum(-np.sort(-row))
        out[i] = min(int(np.count_nonzero(cum < mass)) + 1, n)
    return out.reshape(w.shape[:-1])


def kernel_weight_stats(x, data, h, *, mass: float = 0.9, dtype=np.float64) -> KernelWeightStats:
    r"""The log-density and the normalised kernel weights' summaries at each row of ``x``.

    With :math:`K_i = e^{-|x-y_i|^2/(2h^2)}` and :math:`w_i = K_i/\sum_j K_j`: the participation
    :math:`\sum_i w_i^2`, the largest weight :math:`\max_i w_i` and the number of points carrying
    ``mass`` of the total (sorted by weight).

    Rows of ``x`` are processed in blocks of at most ``max(1, 2**20 // n)`` rows, so memory is
    :math:`O(n)` per block whatever ``m`` is (sorting the weights is needed for ``n_mass``).

    Parameters
    ----------
    x : array_like, shape (m, d) or (d,)
    data : array_like, shape (n, d), n >= 2
    h : float, > 0
    mass : float in (0, 1), keyword-only
    dtype : {numpy.float64, numpy.float32}, keyword-only
        Precision of the matrix product (weights are then computed in float64).

    Returns
    -------
    KernelWeightStats
        Arrays of shape (m,).

    Contract
    --------
    x
        2-D real array, finite, non-empty; at most 8,388,608 entries (shape (m, d) or (d,)).
    data
        2-D real array, finite, non-empty; at most 8,388,608 entries (shape (n, d), n >= 2).
    h
        finite real number > 0 (bandwidth h > 0).
    mass
        finite real number > 0 and < 1.
    dtype
        numpy.float32 or numpy.float64 (refused otherwise, naming dtype).
    Budget (1 GB / 1 core): m·n·(d + log n) within the work limit; memory O(n) per block. Bad or
    too-large input raises ValueError naming the argument, before any allocation.
    """
    func = "kernel_weight_stats"
    x, data = _points(x, data)
    h = _positive_values("h", h, allow_array=False)
    mass = _v.real_scalar(mass, "mass", low=0.0, high=1.0, low_open=True, high_open=True)
    dt = _dtype(dtype)
    m, d = x.shape
    n = data.shape[0]
    _v.check_work(func, m * n * (3.0 * math.log2(n) + 0.15 * d),
                  hint="evaluate fewer points or subsample data")
    direct = not _augmented_is_exact_enough(x, data, h, dt)
    if direct:
        row_const = np.zeros(m)
    else:
        xt, yt, row_const = _augmented(x, data, h, dt)
    rows = max(1, min(m, (1 << 20) // n))
    lse = np.empty(m)
    part = np.empty(m)
    wmax = np.empty(m)
    n_mass = np.empty(m, dtype=np.int64)
    for r0 in range(0, m, rows):
        r1 = min(m, r0 + rows)
        if direct:
            logk, row_const[r0:r1] = _log_kernels_direct(x[r0:r1], data, h)
        else:
            logk = (xt[r0:r1] @ yt.T).astype(np.float64)
        lse[r0:r1], part[r0:r1], wmax[r0:r1], n_mass[r0:r1] = _stats_from_logk(logk, mass)
    log_density = lse + row_const - 0.5 * d * (_LOG_2PI + 2.0 * math.log(h)) - math.log(n)
    return KernelWeightStats(log_density, part, wmax, n_mass, mass)


# --------------------------------------------------------------------------------------------
# squared distances: sampler and statistics
# --------------------------------------------------------------------------------------------
def sample_sq_distances(d, n, *, seed=0, r=1.0, size=None) -> np.ndarray:
    r"""Draw the ``n`` squared distances :math:`D_i = |x - y_i|^2` exactly, without the points.

    For :math:`y_i \sim \mathcal N(0, I_d)` iid and a fixed :math:`x` with :math:`|x|^2 = r\,d`,
    rotate :math:`x` onto the first axis:

    .. math::

        D_i = (\sqrt{r d} - g_i)^2 + \chi^2_{d-1,i}, \qquad g_i \sim \mathcal N(0, 1),

    i.e. :math:`D_i \sim \chi'^2(\text{df}=d,\ \text{nc}=r d)`. Cost :math:`O(n)` whatever ``d``.

    Parameters
    ----------
    d : int, >= 1
        Dimension.
    n : int, >= 2
        Number of data points.
    seed : None, int >= 0 or numpy.random.Generator, keyword-only
        Source of randomness (the kit's seed convention, :func:`kitlib._validate.as_generator`).
    r : float, >= 0, keyword-only
        :math:`|x|^2/d`; 1 for a typical test point of :math:`\mathcal N(0, I_d)`.
    size : int, optional, keyword-only
        Number of independent data sets; the result then has shape ``(size, n)``.

    Returns
    -------
    numpy.ndarray, shape (n,) or (size, n), float64

    Contract
    --------
    d
        integer >= 1 (True and fractions refused).
    n
        integer >= 2 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    r
        finite real number >= 0.
    size
        integer >= 1 (True and fractions refused); or None.
    Budget (1 GB / 1 core): size × n within the memory limit (~16M values). Bad or too-large input
    raises ValueError naming the argument, before any allocation.
    """
    func = "sample_sq_distances"
    d = _v.integer(d, "d", low=1)
    n = _v.integer(n, "n", low=2)
    r = _v.nonnegative_scalar(r, "r")
    gen = _v.as_generator(seed)
    shape = (n,) if size is None else (_v.integer(size, "size", low=1), n)
    _v.check_budget(func, 8.0 * 2 * math.prod(shape),
                    hint="draw fewer distances per call (sample_smallest_sq_distances keeps only "
                         "the k smallest, drawing in chunks)")
    g = gen.standard_normal(shape)
    out = np.subtract(math.sqrt(r * d), g, out=g)
    out *= out
    if d > 1:
        chi2 = gen.standard_gamma(0.5 * (d - 1), size=shape)  # chi2_k = 2 Gamma(k/2), and faster
        chi2 *= 2.0
        out += chi2
    return out


def sample_smallest_sq_distances(d, n, k, *, seed=0, r=1.0, size=1, chunk=1 << 21) -> np.ndarray:
    r"""The ``k`` smallest of ``n`` squared distances, sorted, for ``size`` independent data sets.

    Draws with :func:`sample_sq_distances` in chunks of at most ``chunk`` values and keeps the
    ``k`` smallest (exact order statistics, bounded memory), for the nearest-neighbour gaps.

    Returns
    -------
    numpy.ndarray, shape (size, k), ascending along each row.

    Contract
    --------
    d
        integer >= 1 (True and fractions refused).
    n
        integer >= 2 (True and fractions refused).
    k
        integer >= 1 (True and fractions refused) (<= n).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    r
        finite real number >= 0.
    size
        integer >= 1 (True and fractions refused).
    chunk
        integer >= 1 (True and fractions refused).
    Budget (1 GB / 1 core): size·n within the work limit. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    func = "sample_smallest_sq_distances"
    d = _v.integer(d, "d", low=1)
    n = _v.integer(n, "n", low=2)
    k = _v.integer(k, "k", low=1)
    if k > n:
        raise _v.fail("k", f"an integer in [1, n={n}]", k)
    size = _v.integer(size, "size", low=1)
    r = _v.nonnegative_scalar(r, "r")
    gen = _v.as_generator(seed)
    step = max(k, _v.integer(chunk, "chunk", low=1))
    _v.check_budget(func, 8.0 * (4 * min(step, n) + 3 * k + size * k),
                    hint="lower chunk or k")
    _v.check_work(func, size * (40.0 * n + 2e4), hint="lower n or size")
    out = np.empty((size, k))
    for s in range(size):
        best = np.empty(0)
        for c0 in range(0, n, step):
            block = sample_sq_distances(d, max(2, min(step, n - c0)), seed=gen, r=r)[: min(step, n - c0)]
            both = np.concatenate([best, block])
            best = np.partition(both, k - 1)[:k] if both.size > k else both
        out[s] = np.sort(best)
    return out


def _check_sq(D) -> np.ndarray:
    D = _v.as_float_array(D, "D", max_size=MAX_ENTRIES)
    if D.ndim == 0 or D.shape[-1] < 2 or D.size == 0:
        raise _v.fail("D", "an array with n >= 2 squared distances along its last axis",
                    f"an array of shape {D.shape}")
    if not np.all(np.isfinite(D)) or np.any(D < 0):
        raise _v.fail("D", "finite and >= 0", "an array with negative or non-finite entries")
    return D


def log_kde_from_sq_distances(D, h, d) -> np.ndarray:
    r""":math:`\ln\hat\rho_h` from the squared distances ``D`` (last axis = the n data points).

    .. math:: \ln\hat\rho_h = -\tfrac d2\ln(2\pi h^2) - \ln n + \operatorname{LSE}_i(-D_i/(2h^2)).

    Contract
    --------
    D
        real array, finite, entries >= 0, non-empty; at most 8,388,608 entries (squared distances,
        shape (..., n), n >= 2).
    h
        finite real number > 0.
    d
        integer >= 1 (True and fractions refused).
    Budget (1 GB / 1 core): D up to 8,388,608 values. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    D = _check_sq(D)
    h = _positive_values("h", h, allow_array=False)
    d = _v.integer(d, "d", low=1)
    n = D.shape[-1]
    rel, top = _relative_log_kernels(D, h)
    return (top + np.log(np.exp(rel).sum(axis=-1))
            - 0.5 * d * (_LOG_2PI + 2 * math.log(h)) - math.log(n))


def _relative_log_kernels(D: np.ndarray, h: float):
    """−(D − D_min)/(2h²) and −D_min/(2h²) along the last axis, as ((·/h)/h)/2.

    The nearest point's term is exactly 1 after the shift, and a tiny ``h`` gives −inf
    (underflowed kernels) instead of the NaN of −D/(2h²) with h² = 0.
    """
    dmin = D.min(axis=-1)
    with np.errstate(over="ignore", invalid="ignore"):
        rel = -0.5 * (((D - dmin[..., None]) / h) / h)
        top = -0.5 * ((dmin / h) / h)
    return rel, top


def weight_stats_from_sq_distances(D, h, d, *, mass: float = 0.9) -> KernelWeightStats:
    r"""Like :func:`kernel_weight_stats`, from squared distances ``D`` of shape (..., n).

    Contract
    --------
    D
        real array, finite, entries >= 0, non-empty; at most 8,388,608 entries (squared distances,
        shape (..., n), n >= 2).
    h
        finite real number > 0.
    d
        integer >= 1 (True and fractions refused).
    mass
        finite real number > 0 and < 1.
    Budget (1 GB / 1 core): D up to 8,388,608 values. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    D = _check_sq(D)
    h = _positive_values("h", h, allow_array=False)
    d = _v.integer(d, "d", low=1)
    mass = _v.real_scalar(mass, "mass", low=0.0, high=1.0, low_open=True, high_open=True)
    rel, top = _relative_log_kernels(D, h)
    lse, part, wmax, n_mass = _stats_from_logk(rel, mass)
    log_density = lse + top - 0.5 * d * (_LOG_2PI + 2 * math.log(h)) - math.log(D.shape[-1])
    return KernelWeightStats(log_density, part, wmax, n_mass, mass)


def top_weights(D, h, *, k: int = 20) -> np.ndarray:
    r"""The ``k`` largest normalised weights :math:`w_i = e^{-D_i/(2h^2)}/\sum_j e^{-D_j/(2h^2)}`,
    in decreasing order, for squared distances ``D`` of shape (..., n). Returns shape (..., k')
    with ``k' = min(k, n)``.

    Contract
    --------
    D
        real array, finite, entries >= 0, non-empty; at most 8,388,608 entries (squared distances,
        shape (..., n), n >= 2).
    h
        finite real number > 0.
    k
        integer >= 1 (True and fractions refused).
    Budget (1 GB / 1 core): D up to 8,388,608 values. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    D = _check_sq(D)
    h = _positive_values("h", h, allow_array=False)
    k = min(_v.integer(k, "k", low=1), D.shape[-1])
    w = np.exp(_relative_log_kernels(D, h)[0])
    w /= w.sum(axis=-1, keepdims=True)
    part = -np.partition(-w, k - 1, axis=-1)[..., :k]
    return -np.sort(-part, axis=-1)


def log_expected_kde(x_sq_norm, h, d):
    r"""Log of the estimator's mean, :math:`\ln\rho_h(x) = \ln\mathcal N(x; 0, (1+h^2)I_d)`:

    .. math:: \ln\rho_h(x) = -\tfrac d2 \ln\big(2\pi(1+h^2)\big) - \frac{|x|^2}{2(1+h^2)}.

    Parameters
    ----------
    x_sq_norm : float or array
        :math:`|x|^2` (``r·d`` for the sampler's test point).
    h : float or array, > 0
    d : int, >= 1

    Contract
    --------
    x_sq_norm
        real array, finite, entries >= 0, non-empty; at most 8,388,608 entries.
    h
        real array, finite, entries > 0, non-empty; at most 8,388,608 entries (bandwidths > 0, float
        or array (broadcast)).
    d
        integer >= 1 (True and fractions refused).
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    h = _positive_values("h", h)
    d = _v.integer(d, "d", low=1)
    s = _v.as_float_array(x_sq_norm, "x_sq_norm", max_size=MAX_ENTRIES)
    if s.size == 0 or not np.all(np.isfinite(s)) or np.any(s < 0):
        raise _v.fail("x_sq_norm", "finite and >= 0 (non-empty)", x_sq_norm)
    h2 = np.square(h)
    return -0.5 * d * (_LOG_2PI + np.log1p(h2)) - s / (2 * (1 + h2))


def relative_variance(h, d, n, *, x_sq_norm=None):
    r"""Exact relative variance of the estimator over data sets at a fixed :math:`x`:

    .. math::

        \frac{\operatorname{Var}\hat\rho_h(x)}{\rho_h(x)^2} = \frac1n\left[\exp\!\Big(
        \frac d2 \ln\frac{(1+h^2)^2}{h^2(2+h^2)} + \frac{|x|^2}{(1+h^2)(2+h^2)}\Big) - 1\right].

    It sets the width of :math:`\ln(\hat\rho/\rho_h)` only in the CLT regime; below
    :math:`h_{CLT}` the variance is dominated by rare data sets. Returns ``inf`` where the value
    overflows. ``x_sq_norm`` defaults to ``d`` (a typical test point).

    Contract
    --------
    h
        real array, finite, entries > 0, non-empty; at most 8,388,608 entries (bandwidths > 0, float
        or array (broadcast)).
    d
        integer >= 1 (True and fractions refused).
    n
        integer >= 1 (True and fractions refused).
    x_sq_norm
        finite real number >= 0; or None (|x|², default d).
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    h = _positive_values("h", h)
    d = _v.integer(d, "d", low=1)
    n = _v.integer(n, "n", low=1)
    s = float(d) if x_sq_norm is None else _v.nonnegative_scalar(x_sq_norm, "x_sq_norm")
    with np.errstate(over="ignore"):
        h2 = np.square(h)
    # ln((1 + h²)²/(h²(2 + h²))) = ln(1 + 1/(h²(2 + h²))) > 0: for h >= 1 take that log1p form
    # (the three-log form cancels to a negative round-off, e.g. −5e-17 at h = 1e4); for h < 1
    # the three logs, which keep their digits as h → 0 (where h²(2 + h²) underflows)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        big = np.log1p(1.0 / (h2 * (2.0 + h2)))
        small = 2.0 * np.log1p(h2) - 2.0 * np.log(h) - np.log(2.0 + h2)
        log_ratio = np.where(h >= 1.0, big, small)
        expo = 0.5 * d * log_ratio + s / ((1 + h2) * (2 + h2))
        return np.expm1(expo) / n


def clt_log_ratio_pdf(z, h, d, n, *, x_sq_norm=None):
    r"""Density of :math:`z = \ln(\hat\rho_h/\rho_h)` if :math:`\hat\rho_h/\rho_h` were
    Gaussian with mean 1 and the exact variance :math:`v` of :func:`relative_variance`:

    .. math:: p(z) = \frac{e^z}{\sqrt{2\pi v}}\exp\!\Big(-\frac{(e^z - 1)^2}{2v}\Big).

    Right in the CLT regime (:math:`h > h_{CLT}`); wrong below it, which is the point.
    Returns zeros where :math:`v` is infinite.

    Contract
    --------
    z
        real array, finite, non-empty; at most 8,388,608 entries.
    h
        finite real number > 0.
    d
        integer >= 1 (True and fractions refused).
    n
        integer >= 1 (True and fractions refused).
    x_sq_norm
        finite real number >= 0; or None.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    z = _v.as_float_array(z, "z", max_size=MAX_ENTRIES)
    if z.size == 0:
        raise _v.fail("z", "a non-empty array", z)
    if not np.all(np.isfinite(z)):
        raise _v.fail("z", "finite", "an array with NaN or inf")
    h = _positive_values("h", h, allow_array=False)
    v = float(relative_variance(h, d, n, x_sq_norm=x_sq_norm))
    if not (math.isfinite(v) and v > 0):
        return np.zeros_like(z)
    with np.errstate(over="ignore"):
        ez = np.exp(np.minimum(z, 700.0))
        return ez * np.exp(-((ez - 1.0) ** 2) / (2 * v)) / math.sqrt(2 * math.pi * v)


def spacing_pdf(z, h_G):
    r"""Density of a normalised nearest-neighbour spacing :math:`j\,(D_{(j+1)} - D_{(j)})`:
    exponential with mean :math:`2h_G^2`, :math:`p(z) = e^{-z/(2h_G^2)}/(2h_G^2)` for
    :math:`z \ge 0` (see :func:`h_G_from_gaps`).

    Contract
    --------
    z
        real array, no NaN, non-empty; at most 8,388,608 entries (±inf allowed (density 0 / limit)).
    h_G
        finite real number > 0 and <= 1e+100 (>= 1e-100).
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    z = _values("z", z, allow_inf=True)
    mean = 2.0 * _positive_values("h_G", h_G, allow_array=False, bounded=True) ** 2
    return np.where(z >= 0, np.exp(-np.maximum(z, 0) / mean) / mean, 0.0)[()]


@dataclass(frozen=True)
class MonteCarloKDE:
    r"""Monte Carlo statistics of the KDE at one test point per data set, on a grid of ``h``.

    Arrays indexed ``[j, s]`` hold the value for bandwidth ``h[j]`` and data set ``s``.

    Attributes
    ----------
    d, n : int
    h : numpy.ndarray, shape (H,)
    x_sq_norm : numpy.ndarray, shape (S,)
        :math:`|x|^2` of each data set's test point.
    log_density : numpy.ndarray, shape (H, S)
        :math:`\ln\hat\rho_h(x)`.
    log_ratio : numpy.ndarray, shape (H, S)
        :math:`\ln(\hat\rho_h(x)/\rho_h(x))`, the estimator over its mean.
    participation, max_weight : numpy.ndarray, shape (H, S)
        :math:`\sum_i w_i^2` and :math:`\max_i w_i`.
    weighted_sq_distance : numpy.ndarray, shape (H, S)
        :math:`\sum_i w_i D_i`; at the likelihood-optimal bandwidth
        :math:`h^{*2} = \mathbb E_x[\sum_i w_i D_i]/d` (exact at any size).
    """

    d: int
    n: int
    h: np.ndarray
    x_sq_norm: np.ndarray
    log_density: np.ndarray
    log_ratio: np.ndarray
    participation: np.ndarray
    max_weight: np.ndarray
    weighted_sq_distance: np.ndarray

    @property
    def n_sets(self) -> int:
        return int(self.x_sq_norm.size)

    @property
    def alpha(self) -> float:
        r""":math:`\alpha = \ln n / d`."""
        return math.log(self.n) / self.d

    def optimal_bandwidth(self) -> float:
        r"""Likelihood-optimal bandwidth from the exact identity :math:`h^{*2} =
        \mathbb E_x[\sum_i w_i D_i]/d` (the zero of :math:`\frac{d}{dh}\mathbb E\ln\hat\rho_h`):
        the first sign change of :math:`\overline{\sum_i w_i D_i}/d - h^2` along the grid,
        linearly interpolated. Raises ``ValueError`` if the grid does not bracket it."""
        g = self.weighted_sq_distance.mean(axis=1) / self.d - self.h**2
        change = np.nonzero(np.diff(np.sign(g)) != 0)[0]
        if change.size == 0:
            raise _v.fail("h", "a grid bracketing the likelihood-optimal bandwidth (widen it)",
                          f"a grid on [{self.h[0]:.3g}, {self.h[-1]:.3g}]")
        j = int(change[0])
        return float(self.h[j] - g[j] * (self.h[j + 1] - self.h[j]) / (g[j + 1] - g[j]))

    def kl_per_dim(self) -> np.ndarray:
        r"""Estimate of :math:`\mathrm{KL}(\rho\|\hat\rho_h)/d` per ``h``, meaningful when the
        test points were drawn from :math:`\rho` (``r=None``):
        :math:`\frac1d\,\overline{\ln\rho(x) - \ln\hat\rho_h(x)}` with
        :math:`\ln\rho(x) = -\frac d2\ln 2\pi - |x|^2/2`."""
        log_rho = -0.5 * self.d * _LOG_2PI - 0.5 * self.x_sq_norm
        return (log_rho[None, :] - self.log_density).mean(axis=1) / self.d


def monte_carlo_kde(d, n, h, *, n_sets, seed=0, r=1.0, dtype=np.float32,
                    progress: Callable[[Iterable], Iterable] | None = None) -> MonteCarloKDE:
    r"""Statistics of :math:`\hat\rho_h(x)` over ``n_sets`` independent data sets, for a grid of h.

    Each data set's ``n`` squared distances to its test point are drawn exactly with
    :func:`sample_sq_distances` (no points are formed). For each :math:`h` the log-kernels are
    shifted by the smallest distance, :math:`E_i = e^{-(D_i - D_{\min})/(2h^2)} \le 1`, so that

    .. math::

        \ln\hat\rho_h = -\tfrac d2\ln(2\pi h^2) - \ln n - \frac{D_{\min}}{2h^2} + \ln\textstyle\sum_i E_i,
        \qquad \sum_i w_i^2 = \frac{\sum_i E_i^2}{(\sum_i E_i)^2}, \qquad \max_i w_i = \frac1{\sum_i E_i}.

    Parameters
    ----------
    d : int, >= 1
    n : int, >= 2
    h : array_like, shape (H,), all > 0
        Bandwidths.
    n_sets : int, >= 1, keyword-only
        Number of independent data sets (one test point each).
    seed : None, int >= 0 or numpy.random.Generator, keyword-only
        Source of randomness (the kit's seed convention).
    r : float >= 0 or None, keyword-only
        :math:`|x|^2 = r\,d` for every test point (``r=1``, the variance-reduced typical point);
        ``None`` draws :math:`x \sim \mathcal N(0, I_d)`, i.e. :math:`|x|^2 \sim \chi^2_d`
        (use this to estimate :math:`\mathrm{KL}(\rho\|\hat\rho_h)`).
    dtype : {numpy.float32, numpy.float64}, keyword-only
        Precision of the exponentials (float32, the default, is about twice as fast; the sums
        carry a relative error of about 1e-6, invisible in the statistics).
    progress : callable, optional, keyword-only
        Wraps the iterable of chunks, e.g. ``tqdm.auto.tqdm``, to show a progress bar.

    Returns
    -------
    MonteCarloKDE

    Contract
    --------
    d
        integer >= 1 (True and fractions refused).
    n
        integer >= 2 (True and fractions refused).
    h
        1-D real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries (1-D
        bandwidths >= 1e-100).
    n_sets
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    r
        finite real number >= 0; or None.
    dtype
        numpy.float32 or numpy.float64 (refused otherwise, naming dtype).
    progress
        an iterable wrapper such as tqdm, or None.
    Budget (1 GB / 1 core): one data set of n distances in memory; n_sets·n·len(h) within the work
    limit. Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    func = "monte_carlo_kde"
    d = _v.integer(d, "d", low=1)
    n = _v.integer(n, "n", low=2)
    hs = np.atleast_1d(_positive_values("h", h, bounded=True)).astype(float)
    if hs.ndim != 1:
        raise _v.fail("h", "a 1-D array of bandwidths", f"an array of shape {hs.shape}")
    n_sets = _v.integer(n_sets, "n_sets", low=1)
    gen = _v.as_generator(seed)
    dt = _dtype(dtype)
    r_fixed = None if r is None else _v.nonnegative_scalar(r, "r")
    H = hs.size
    _v.check_budget(func, 8.0 * 8 * n + 8.0 * 5 * H * n_sets,
                    hint="lower n (one data set of n distances is held at a time) or n_sets")
    # calibrated: 600 sets × n = 20 000 × 45 bandwidths take ~3 s on one core
    _v.check_work(func, float(n_sets) * n * (1.2 * H + 5.0), hint="lower n_sets, n or len(h)")
    shape = (H, n_sets)
    log_sum = np.empty(shape)
    part = np.empty(shape)
    wmax = np.empty(shape)
    wd = np.empty(shape)
    dmin_all = np.empty(n_sets)
    if r_fixed is None:
        x_sq = gen.chisquare(d, size=n_sets)
    else:
        x_sq = np.full(n_sets, r_fixed * d)
    per_chunk = max(1, (1 << 19) // n)  # about 2 MB of float32 per array: stays in cache
    starts = range(0, n_sets, per_chunk)
    if progress is not None:
        starts = progress(starts)
    for s0 in starts:
        s1 = min(n_sets, s0 + per_chunk)
        if r_fixed is None:
            D = np.stack([sample_sq_distances(d, n, seed=gen, r=x_sq[s] / d) for s in range(s0, s1)])
        else:
            D = sample_sq_distances(d, n, seed=gen, r=r_fixed, size=s1 - s0)
        dmin = D.min(axis=1)
        dmin_all[s0:s1] = dmin
        delta = (D - dmin[:, None]).astype(dt)
        Dd = D.astype(dt)
        E = np.empty_like(delta)
        ones = np.ones(n, dtype=dt)
        for j, hj in enumerate(hs):
            np.multiply(delta, dt.type(-0.5 / (hj * hj)), out=E)
            np.exp(E, out=E)
            # row sums as BLAS dot products (SIMD-blocked accumulation, far faster than a
            # float64 reduction of float32 data; each term is in (0, 1], the largest is 1)
            s1_ = np.vecdot(E, ones).astype(np.float64)
            log_sum[j, s0:s1] = np.log(s1_)
            part[j, s0:s1] = np.vecdot(E, E).astype(np.float64) / s1_**2
            wmax[j, s0:s1] = 1.0 / s1_
            wd[j, s0:s1] = np.vecdot(E, Dd).astype(np.float64) / s1_
    h2 = hs[:, None] ** 2
    log_density = (log_sum - dmin_all[None, :] / (2 * h2)
                   - 0.5 * d * (_LOG_2PI + np.log(h2)) - math.log(n))
    log_mean = -0.5 * d * (_LOG_2PI + np.log1p(h2)) - x_sq[None, :] / (2 * (1 + h2))
    return MonteCarloKDE(d=d, n=n, h=hs, x_sq_norm=x_sq, log_density=log_density,
                         log_ratio=log_density - log_mean, participation=np.minimum(part, 1.0),
                         max_weight=np.minimum(wmax, 1.0), weighted_sq_distance=wd)


def h_G_from_gaps(smallest, *, k: int | None = None) -> float:
    r"""Estimate :math:`h_G(d, n)` from the gaps between the smallest squared distances.

    Near the minimum the :math:`D_i` form a Poisson process whose intensity grows like
    :math:`e^{cD}` with :math:`c = 1/(2h_G^2)`; by Rényi's representation the normalised spacings
    :math:`j\,(D_{(j+1)} - D_{(j)})`, :math:`j = 1..k`, are iid exponential with mean
    :math:`1/c = 2h_G^2`. Hence

    .. math:: \hat h_G = \sqrt{\tfrac12\,\overline{j\,(D_{(j+1)} - D_{(j)})}} .

    Parameters
    ----------
    smallest : array_like, shape (m, K) or (K,)
        The ``K >= 2`` smallest squared distances of ``m`` test points, ascending along each row
        (e.g. :func:`sample_smallest_sq_distances`).
    k : int, optional
        Number of spacings used per row (``1 <= k <= K-1``; default all ``K-1``). ``k = 1`` is
        the plain nearest-neighbour gap :math:`D_{(2)} - D_{(1)}`.

    At laptop sizes the estimate is a few per cent low for ``k = 1`` (the lower tail's log is
    concave, so the slope at the smallest distance exceeds the slope at the 1/n quantile) and
    drifts upwards as ``k`` grows (farther spacings see a flatter tail): more spacings trade
    noise for bias.

    Returns
    -------
    float

    Contract
    --------
    smallest
        2-D real array, finite, entries >= 0, non-empty; at most 8,388,608 entries ((m, K) smallest
        squared distances, ascending rows, K >= 2).
    k
        integer >= 1 (True and fractions refused); or None.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    return math.sqrt(0.5 * float(_spacings(smallest, k).mean()))


def normalised_spacings(smallest, *, k: int | None = None) -> np.ndarray:
    r"""The normalised spacings :math:`j\,(D_{(j+1)} - D_{(j)})`, :math:`j = 1..k`, of each row of
    ascending smallest squared distances: shape (m, k). Near the minimum they are iid exponential
    with mean :math:`2h_G^2` (see :func:`h_G_from_gaps`, :func:`spacing_pdf`).

    Contract
    --------
    smallest
        2-D real array, finite, entries >= 0, non-empty; at most 8,388,608 entries.
    k
        integer >= 1 (True and fractions refused); or None.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    return _spacings(smallest, k)


def _spacings(smallest, k) -> np.ndarray:
    s = np.atleast_2d(_v.as_float_array(smallest, "smallest", max_size=MAX_ENTRIES))
    if s.ndim != 2 or s.shape[0] < 1 or s.shape[1] < 2 or not np.all(np.isfinite(s)):
        raise _v.fail("smallest", "a finite array of shape (m, K) with K >= 2",
                    f"an array of shape {np.shape(smallest)}")
    if np.any(np.diff(s, axis=1) < 0):
        raise _v.fail("smallest", "sorted in ascending order along each row", "unsorted rows")
    if np.any(s[:, 0] < 0):
        raise _v.fail("smallest", "squared distances >= 0", f"a minimum {float(s.min())!r}")
    kmax = s.shape[1] - 1
    k = kmax if k is None else _v.integer(k, "k", low=1)
    if k > kmax:
        raise _v.fail("k", f"an integer in [1, {kmax}]", k)
    return np.diff(s[:, : k + 1], axis=1) * np.arange(1, k + 1)


# --------------------------------------------------------------------------------------------
# asymptotic theory (d -> infinity, alpha = ln n / d fixed)
# --------------------------------------------------------------------------------------------
def _expm1_minus_x(s: np.ndarray) -> np.ndarray:
    """``expm1(s) - s`` without cancellation for small ``|s|``."""
    out = np.expm1(s) - s
    small = np.abs(s) < 0.5
    if np.any(small):
        z = s[small]
        term = z * z / 2
        acc = term.copy()
        for k in range(3, 30):
            term = term * z / k
            acc += term
        out[small] = acc
    return out


def _t_star(alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Solve :math:`t^2 - t - \ln t = 2\alpha` on (0, 1); return :math:`(\ln t, 1-t)`.

    Written in :math:`s = \ln t`: :math:`g(s) = \mathrm{expm1}(s)^2 + (\mathrm{expm1}(s) - s)`,
    decreasing from :math:`+\infty` to 0 on :math:`(-\infty, 0)`; bisection to full precision,
    accurate both for :math:`\alpha \to 0` (:math:`1-t \approx \sqrt{4\alpha/3}`) and for large
    :math:`\alpha` (:math:`t \approx e^{-2\alpha}`).
    """
    target = 2.0 * alpha
    lo = -(target + 1.0)  # g(lo) >= -1/4 - lo > target
    hi = np.zeros_like(alpha)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        em = np.expm1(mid)
        g = em * em + _expm1_minus_x(mid)
        above = g > target
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
        if np.all(hi - lo <= 1e-17 * np.maximum(1.0, np.abs(lo))):
            break
    s = 0.5 * (lo + hi)
    return s, -np.expm1(s)


@dataclass(frozen=True)
class Thresholds:
    r"""Asymptotic thresholds at :math:`\alpha = \ln n/d` (standard Gaussian data, typical x).

    With :math:`A(q) = \tfrac12[\ln(1+q) - q/(1+q)^2]`, :math:`q^* = A^{-1}(\alpha)` and
    :math:`t^* = 1/(1+q^*)` (the root of :math:`t^2 - t - \ln t = 2\alpha` in (0, 1)):

    Attributes
    ----------
    alpha : float or numpy.ndarray
    t_star, q_star : float or numpy.ndarray
    h_G : float or numpy.ndarray
        Extreme-value (condensation) threshold :math:`1/\sqrt{q^*}`, where :math:`\kappa = 1`.
    h_CLT : float or numpy.ndarray
        CLT threshold :math:`\sqrt2\,h_G`, where :math:`\kappa = 2`.
    h_KL : float or numpy.ndarray
        Leading-order :math:`\mathrm{KL}(\rho\|\hat\rho)`-optimal bandwidth
        :math:`\sqrt{u_{\min}}`; always below :math:`h_G` (:math:`h_{KL}^2/h_G^2 = 1 - t^{*2}`).
    u_min : float or numpy.ndarray
        Typical :math:`\min_i D_i/d = t^*(1+t^*)`.
    """

    alpha: np.ndarray | float
    t_star: np.ndarray | float
    q_star: np.ndarray | float
    h_G: np.ndarray | float
    h_CLT: np.ndarray | float
    h_KL: np.ndarray | float
    u_min: np.ndarray | float


def thresholds(alpha) -> Thresholds:
    r"""The asymptotic thresholds :math:`h_G, h_{CLT}, h_{KL}` and :math:`u_{\min}` at ``alpha``.

    .. math::

        A(q^*) = \alpha,\quad h_G = \frac1{\sqrt{q^*}},\quad h_{CLT} = \sqrt2\,h_G,\quad
        u_{\min} = t^*(1+t^*),\quad h_{KL} = \sqrt{u_{\min}},\quad t^* = \frac1{1+q^*}.

    Asymptotics: :math:`\alpha\to0`: :math:`h_G \approx (3/(4\alpha))^{1/4}`;
    :math:`\alpha\to\infty`: :math:`h_G \approx e^{-\alpha} = n^{-1/d}`.

    Parameters
    ----------
    alpha : float or array_like, > 0
        :math:`\ln n / d`.

    Returns
    -------
    Thresholds
        Floats for a scalar ``alpha``, arrays otherwise.

    Contract
    --------
    alpha
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries (α = ln
        n / d >= 1e-100, float or array).
    Bad or too-large input raises ValueError naming the argument, before any allocation.

    Examples
    --------
    >>> th = thresholds(0.2)
    >>> round(th.h_G, 4), round(th.h_CLT, 4), round(th.h_KL, 4), round(th.u_min, 4)
    (1.0457, 1.4788, 0.8917, 0.7951)
    """
    a = _positive_values("alpha", alpha, bounded=True)
    arr = np.atleast_1d(np.asarray(a, dtype=float))
    s, eps = _t_star(arr)
    t = np.exp(s)
    q = eps / t
    h_G = np.sqrt(t / eps)
    u_min = t * (1 + t)
    # h_KL = h_G * sqrt(1 - t*^2), written so that h_KL <= h_G holds in floating point too
    h_KL = h_G * np.sqrt(-np.expm1(2.0 * s))
    vals = dict(alpha=arr, t_star=t, q_star=q, h_G=h_G, h_CLT=math.sqrt(2) * h_G,
                h_KL=h_KL, u_min=u_min)
    if np.ndim(a) == 0:
        vals = {k: float(v[0]) for k, v in vals.items()}
    return Thresholds(**vals)


def alpha_G(h):
    r"""Inverse of :math:`h_G(\alpha)`: :math:`\alpha_G(h) = A(1/h^2) =
    \tfrac12\big[\ln(1 + 1/h^2) - h^2/(1+h^2)^2\big]`. The extreme-value regime at bandwidth
    ``h`` is :math:`\alpha > \alpha_G(h)`; the CLT regime is :math:`\alpha < \alpha_G(h/\sqrt2)`.

    Contract
    --------
    h
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries
        (bandwidths >= 1e-100, float or array (broadcast)).
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    h = _positive_values("h", h, bounded=True)
    h2 = np.square(h)
    return 0.5 * (np.log1p(1.0 / h2) - h2 / (1 + h2) ** 2)


def stable_index(h, alpha):
    r"""Stable index of the fluctuations, :math:`\kappa(h, \alpha) = q^*(\alpha)\,h^2 = (h/h_G)^2`.

    :math:`\kappa < 1`: extreme-value regime; :math:`1 < \kappa < 2`: heavy-tailed;
    :math:`\kappa > 2`: CLT. Broadcasts over ``h`` and ``alpha``.

    Contract
    --------
    h
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries
        (bandwidths >= 1e-100, float or array (broadcast)).
    alpha
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries (α = ln
        n / d >= 1e-100, float or array).
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    h = _positive_values("h", h, bounded=True)
    q = thresholds(_positive_values("alpha", alpha, bounded=True)).q_star
    return np.asarray(q) * np.square(h) if np.ndim(q) or np.ndim(h) else float(q * h * h)


_REGIMES = ((1.0, "extreme-value"), (2.0, "heavy-tailed"), (math.inf, "CLT"))


def regime_name(kappa) -> str:
    r"""Name of the regime at stable index ``kappa``: ``"extreme-value"`` (:math:`\kappa < 1`),
    ``"heavy-tailed"`` (:math:`1 \le \kappa < 2`) or ``"CLT"`` (:math:`\kappa \ge 2`).

    Contract
    --------
    kappa
        finite real number >= 0.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    k = _v.nonnegative_scalar(kappa, "kappa")
    return next(name for bound, name in _REGIMES if k < bound)


def annealed_log_density(h):
    r"""Annealed :math:`\frac1d\ln\rho_h(x)` at a typical point (:math:`|x|^2 = d`):
    :math:`-\tfrac12\ln(2\pi(1+h^2)) - \frac{1}{2(1+h^2)}`.

    Contract
    --------
    h
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries
        (bandwidths >= 1e-100, float or array (broadcast)).
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    h = _positive_values("h", h, bounded=True)
    h2 = np.square(h)
    return -0.5 * (_LOG_2PI + np.log1p(h2)) - 0.5 / (1 + h2)


_BRANCHES = ("both", "high", "low")


def _branch(branch: str) -> str:
    if branch not in _BRANCHES:
        _v.one_of(branch, "branch", _BRANCHES)
    return branch


def _pick(branch: str, h, h_G, high, low):
    if branch == "high":
        return np.asarray(high)[()]
    if branch == "low":
        return np.asarray(low)[()]
    return np.where(h >= h_G, high, low)[()]


def typical_log_density(h, alpha, *, branch: str = "both"):
    r"""Typical (quenched) :math:`\frac1d\ln\hat\rho_h(x)` at a typical point, as :math:`d\to\infty`.

    .. math::

        \frac1d\ln\hat\rho_h \to \begin{cases}
            -\tfrac12\ln(2\pi(1+h^2)) - \frac{1}{2(1+h^2)} & h \ge h_G \text{ (= annealed)},\\
            -\tfrac12\ln(2\pi h^2) - \alpha - \frac{u_{\min}}{2h^2} & h \le h_G
            \text{ (nearest points only)}.
        \end{cases}

    The two branches meet with the same value and slope at :math:`h_G`; the low branch lies
    below the annealed one everywhere else (the quenched value can never exceed the annealed).

    Parameters
    ----------
    h : float or array_like, > 0
    alpha : float or array_like, > 0
    branch : {"both", "high", "low"}, keyword-only
        ``"both"`` (default) the actual limit; ``"high"``/``"low"`` one formula for every ``h``
        (to draw a branch's continuation past :math:`h_G`).

    Contract
    --------
    h
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries
        (bandwidths >= 1e-100, float or array (broadcast)).
    alpha
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries (α = ln
        n / d >= 1e-100, float or array).
    branch
        one of 'both', 'high', 'low'.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    h = _positive_values("h", h, bounded=True)
    th = thresholds(_positive_values("alpha", alpha, bounded=True))
    branch = _branch(branch)
    h2 = np.square(h)
    low = -0.5 * (_LOG_2PI + np.log(h2)) - th.alpha - th.u_min / (2 * h2)
    return _pick(branch, h, th.h_G, annealed_log_density(h), low)


def kl_per_dim(h, alpha, *, branch: str = "both"):
    r"""Leading-order :math:`\mathrm{KL}(\rho\|\hat\rho_h)/d` for :math:`\rho = \mathcal N(0, I_d)`.

    .. math::

        \frac{\mathrm{KL}}{d} \to \begin{cases}
            \tfrac12\big[\ln(1+h^2) + \frac1{1+h^2} - 1\big] & h \ge h_G,\\
            \tfrac12(\ln h^2 - 1) + \alpha + \frac{u_{\min}}{2h^2} & h \le h_G,
        \end{cases}

    i.e. :math:`\mathbb E\ln\rho/d = -\tfrac12\ln 2\pi - \tfrac12` minus
    :func:`typical_log_density`. Minimal at :math:`h_{KL} = \sqrt{u_{\min}} < h_G`, inside the
    extreme-value regime. ``branch`` as in :func:`typical_log_density`.

    Contract
    --------
    h
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries
        (bandwidths >= 1e-100, float or array (broadcast)).
    alpha
        real array, finite, entries > 0 and <= 1e+100, non-empty; at most 8,388,608 entries (α = ln
        n / d >= 1e-100, float or array).
    branch
        one of 'both', 'high', 'low'.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    return -0.5 * (_LOG_2PI + 1.0) - typical_log_density(h, alpha, branch=branch)


def expected_participation(kappa):
    r"""Asymptotic :math:`\mathbb E\sum_i w_i^2 = \max(1-\kappa, 0)`: Poisson–Dirichlet
    :math:`PD(\kappa, 0)` below :math:`h_G` (:math:`\kappa = (h/h_G)^2 < 1`), 0 above.
    Use ``kappa = stable_index(h, alpha)`` or the finite-size ``FiniteSizeThresholds.kappa(h)``.

    Contract
    --------
    kappa
        real array, finite, entries >= 0, non-empty; at most 8,388,608 entries (κ >= 0).
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    k = _values("kappa", kappa, low=0.0)
    return np.maximum(1.0 - k, 0.0)[()]


def pd_expected_max_weight(kappa):
    r"""Expected largest weight of :math:`PD(\kappa, 0)`; 0 for :math:`\kappa \ge 1`.

    From the stable-subordinator representation (condition on the largest jump):

    .. math::

        \mathbb E\,V_1 = \int_0^\infty \frac{e^{-s}\,ds}{e^{-s} + s^\kappa\,
        \gamma(1-\kappa, s)}, \qquad \gamma(a, s) = \int_0^s t^{a-1}e^{-t}dt,

    evaluated by the trapezoid rule in :math:`\ln s` (error below 1e-10). Values for
    :math:`\kappa = 0.1, 0.5, 0.9`: 0.930, 0.627, 0.217.

    Contract
    --------
    kappa
        real array, finite, entries >= 0, non-empty; at most 8,192 entries.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    k = _values("kappa", kappa, low=0.0, max_size=PD_MAX_KAPPAS)
    flat = k.ravel()
    out = np.zeros_like(flat)
    inside = np.flatnonzero((flat > 0) & (flat < 1))
    out[flat == 0] = 1.0
    u = np.linspace(-40.0, 5.0, 4001)
    s = np.exp(u)[None, :]
    for c0 in range(0, inside.size, 256):  # 256 × 4001 quadrature nodes per batch (~8 MB)
        rows = inside[c0:c0 + 256]
        kk = flat[rows][:, None]
        lower = special.gamma(1 - kk) * special.gammainc(1 - kk, s)
        integrand = s * np.exp(-s) / (np.exp(-s) + s**kk * lower)
        out[rows] = np.trapezoid(integrand, u, axis=1)
    return out.reshape(k.shape)[()]


# --------------------------------------------------------------------------------------------
# finite size: the noncentral chi-square law of D = |x - y|^2
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FiniteSizeThresholds:
    r"""Finite-size thresholds at dimension ``d`` and sample size ``n``.

    :math:`D \sim \chi'^2(d, r d)`; :math:`D^*` is its :math:`1/n` quantile and
    :math:`c = f(D^*)/F(D^*)` the log-slope of its lower tail there. Then
    :math:`\kappa_d(h) = 2h^2 c`, :math:`h_G(d, n) = 1/\sqrt{2c}`,
    :math:`h_{CLT}(d, n) = \sqrt2\,h_G(d, n)` and
    :math:`\mathbb E\min_i D_i \approx D^* - 2\gamma\,h_G(d,n)^2` (γ Euler's constant).

    Attributes
    ----------
    d : int
    log_n : float
    r : float
    D_star, c, h_G, h_CLT, mean_min_sq_distance : float
    method : str
        ``"exact"`` (scipy's noncentral χ²) or ``"saddlepoint"`` (second-order Lugannani–Rice).
    """

    d: int
    log_n: float
    r: float
    D_star: float
    c: float
    h_G: float
    h_CLT: float
    mean_min_sq_distance: float
    method: str

    @property
    def alpha(self) -> float:
        r""":math:`\alpha = \ln n / d`."""
        return self.log_n / self.d

    def kappa(self, h):
        r"""Finite-size stable index :math:`\kappa_d(h) = 2h^2c = (h/h_G(d,n))^2`."""
        h = _positive_values("h", h, bounded=True)
        return 2.0 * np.square(h) * self.c


def _saddle_log_cdf_pdf(D: float, d: int, lam: float) -> tuple[float, float, float]:
    r"""Second-order saddle-point :math:`(\ln F(D), \ln f(D), w)` of :math:`\chi'^2(d, \lambda)`.

    CGF :math:`K(s) = -\tfrac d2\ln(1-2s) + \lambda s/(1-2s)`; with :math:`\tau = 1/(1-2s)`,
    :math:`K'(\hat s) = d\tau + \lambda\tau^2 = D`. Density: Daniels' expansion with the
    :math:`\kappa_4/8 - 5\kappa_3^2/24` correction; distribution: Lugannani–Rice with its
    second-order term (Daniels 1987), evaluated in log space so that it holds far in the tail.
    """
    root = math.sqrt(d * d + 4.0 * lam * D)
    tau = 2.0 * D / (d + root)
    # ε = τ − 1 and s·D − K without cancellation (near the mean, at large λ, both are tiny
    # differences of numbers ~λ): from (2D − d)² − root² = −4Dδ with δ = d + λ − D,
    # ε = −2δ/(root + d + 2λ); and with K'(s) = dτ + λτ² = D, s·D − K = (d/2)(ε − ln(1 + ε))
    # + λε²/2 (derived here).
    delta = (d + lam) - D
    eps = -2.0 * delta / (root + d + 2.0 * lam)
    s = 0.5 * eps / tau
    log_tau = math.log1p(eps) if eps > -0.5 else math.log(tau)
    sd_minus_k = 0.5 * d * (eps - log_tau) + 0.5 * lam * eps * eps
    # K'' = tau^2 b, K''' = tau^3 (8d + 24 lam tau), K'''' = tau^4 (48d + 192 lam tau): the
    # standardised cumulants below are free of tau powers, so nothing underflows for tiny D.
    b = 2.0 * d + 4.0 * lam * tau
    r3 = (8.0 * d + 24.0 * lam * tau) / b**1.5
    r4 = (48.0 * d + 192.0 * lam * tau) / (b * b)
    w = math.copysign(math.sqrt(max(2.0 * sd_minus_k, 0.0)), s)
    u = 0.5 * eps * math.sqrt(b)  # = s sqrt(K'')
    corr = r4 / 8 - 5 * r3 * r3 / 24
    log_phi = -0.5 * w * w - 0.5 * _LOG_2PI
    mills = math.sqrt(math.pi / 2) * float(special.erfcx(-w / math.sqrt(2)))
    bracket = mills + 1 / w - 1 / u - (corr / u - 1 / u**3 - r3 / (2 * u * u) + 1 / w**3)
    log_F = log_phi + math.log(bracket) if bracket > 0 else -math.inf
    log_f = -sd_minus_k - 0.5 * (_LOG_2PI + 2.0 * math.log(tau) + math.log(b)) + math.log1p(corr)
    return log_F, log_f, w


_METHODS = ("auto", "exact", "saddlepoint")


def finite_size_thresholds(d, *, n=None, log_n=None, r=1.0, method: str = "auto") -> FiniteSizeThresholds:
    r"""Finite-size :math:`h_G(d, n)` and :math:`h_{CLT}(d, n)` from the law of :math:`D = |x-y|^2`.

    For :math:`|x|^2 = r d`, :math:`D \sim \chi'^2(\text{df}=d, \text{nc}=r d)`. Solve
    :math:`F(D^*) = 1/n`, set :math:`c = f(D^*)/F(D^*)`; then

    .. math::

        h_G(d, n) = \frac1{\sqrt{2c}},\qquad h_{CLT}(d, n) = \sqrt2\,h_G(d,n),\qquad
        \kappa_d(h) = 2h^2c .

    These converge to :func:`thresholds` at :math:`\alpha = \ln n/d` as :math:`d\to\infty`
    (at :math:`d = 10^6` to about 5 digits); at :math:`d = 50, n = 10^5` the finite-size
    :math:`h_G` is 1.058 against the asymptotic 0.983.

    Parameters
    ----------
    d : int, >= 1
        Dimension.
    n : int, >= 2, optional, keyword-only
        Sample size. Give either ``n`` or ``log_n``.
    log_n : float, > ln 2, optional, keyword-only
        :math:`\ln n`, for sizes too large to write (e.g. ``log_n = 0.2 * 10**6``).
    r : float, > 0, keyword-only
        :math:`|x|^2/d` of the test point (1 = typical).
    method : {"auto", "exact", "saddlepoint"}, keyword-only
        ``"exact"`` uses ``scipy.stats.ncx2`` (valid while :math:`F(D^*)` and its intermediate
        terms stay above the float range, roughly :math:`\ln n \lesssim 100` at moderate d);
        ``"saddlepoint"`` the second-order Lugannani–Rice form (relative error about
        :math:`10^{-6}` in :math:`h_G` at d = 20, smaller beyond); ``"auto"`` picks exact when it
        is valid and the saddle-point otherwise.

    Returns
    -------
    FiniteSizeThresholds

    Raises
    ------
    ValueError
        For ``n < 2``, ``d < 1``, ``r <= 0``, an unknown ``method``, or when ``method="exact"``
        cannot reach the requested size.

    Contract
    --------
    d
        integer >= 1 and <= 1e+08 (True and fractions refused).
    n
        finite real number >= 2; or None (give n or log_n).
    log_n
        finite real number >= 0.693147; or None.
    r
        finite real number > 0 and <= 1e+100 (>= 1e-100).
    method
        one of 'auto', 'exact', 'saddlepoint'.
    Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    func = "finite_size_thresholds"
    d = _v.integer(d, "d", low=1, high=MAX_DIMENSION)
    if (n is None) == (log_n is None):
        raise _v.fail("n", "given exactly when log_n is not (pass one of n and log_n)",
                      f"n={n!r}, log_n={log_n!r}")
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, (numbers.Integral, float, np.floating)) or not n >= 2:
            raise _v.fail("n", "a number >= 2", n)
        if isinstance(n, (float, np.floating)) and not math.isfinite(n):
            raise _v.fail("n", "a finite number >= 2", n)
        ln_n = math.log(n)
    else:
        ln_n = float(log_n)
        if not (math.isfinite(ln_n) and ln_n >= math.log(2)):
            raise _v.fail("log_n", "a finite number >= ln 2", log_n)
    r = _positive_values("r", r, allow_array=False, bounded=True)
    if method not in _METHODS:
        _v.one_of(method, "method", _METHODS)
    lam = r * d
    mean = d + lam
    exact = saddle = None
    saddle_error = None
    if method in ("auto", "exact"):
        exact = _exact_quantile_slope(d, lam, ln_n, mean)
    if exact is None and method in ("auto", "saddlepoint") or method == "exact" and exact is None:
        try:
            saddle = _saddle_quantile_slope(d, lam, ln_n, mean)
        except ValueError as err:
            saddle_error = err
    where = f"d={d}, ln n={ln_n:.4g}, r={r:g}"
    if method == "exact" and exact is None:
        other = ("method='saddlepoint' (or 'auto') handles it" if saddle is not None else
                 f"the saddle-point form fails too ({saddle_error})")
        raise ValueError(f"{func}: scipy.stats.ncx2 cannot reach the 1/n quantile at {where} "
                         f"(its CDF underflows); {other}.")
    if method == "saddlepoint" and saddle is None:
        exact = _exact_quantile_slope(d, lam, ln_n, mean)
        other = ("method='exact' (or 'auto') handles it" if exact is not None else
                 "the exact ncx2 quantile fails too")
        raise ValueError(f"{func}: {saddle_error} at {where}; {other}.") from saddle_error
    if exact is None and saddle is None:
        raise ValueError(f"{func}: neither scipy.stats.ncx2 (its CDF underflows) nor the "
                         f"saddle-point form ({saddle_error}) reaches the 1/n quantile at "
                         f"{where}.") from saddle_error
    result, used = (exact, "exact") if method != "saddlepoint" and exact is not None else (
        saddle, "saddlepoint")
    D_star, c = result
    h_G = 1.0 / math.sqrt(2.0 * c)
    return FiniteSizeThresholds(d=d, log_n=ln_n, r=r, D_star=D_star, c=c, h_G=h_G,
                                h_CLT=math.sqrt(2.0) * h_G,
                                mean_min_sq_distance=D_star - 2 * EULER_GAMMA * h_G**2,
                                method=used)


def _exact_quantile_slope(d: int, lam: float, ln_n: float, mean: float):
    # scipy/boost warn when their ncx2 series give up; the result is checked below (None if
    # unusable), so the warnings carry no information for the caller
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _exact_quantile_slope_raw(d, lam, ln_n, mean)


def _exact_quantile_slope_raw(d: int, lam: float, ln_n: float, mean: float):
    dist = stats.ncx2(d, lam)
    if ln_n > 600:
        return None

    def g(D):
        return float(dist.logcdf(D)) + ln_n

    lo = mean * 1e-12
    with np.errstate(all="ignore"):
        glo, ghi = g(lo), g(mean)
        if not (np.isfinite(ghi) and ghi > 0) or (np.isfinite(glo) and glo > 0):
            return None
        # march the lower bracket up until the log-CDF is finite (scipy underflows to -inf early)
        if not np.isfinite(glo):
            grid = mean * np.logspace(-12, 0, 200)
            vals = dist.logcdf(grid)
            finite = np.isfinite(vals)
            if not finite.any():
                return None
            first = int(np.argmax(finite))
            lo = float(grid[first])
            glo = float(vals[first]) + ln_n
            if glo > 0:
                return None  # the quantile lies where scipy's CDF has underflowed
        try:
            D_star = optimize.brentq(g, lo, mean, xtol=1e-300, rtol=1e-14, maxiter=500)
        except (RuntimeError, ValueError):  # no convergence within the cap: not usable
            return None
        log_f = float(dist.logpdf(D_star))
        log_F = float(dist.logcdf(D_star))
    c = math.exp(log_f - log_F)
    if not (math.isfinite(c) and c > 0 and math.isfinite(log_F)):
        return None
    return D_star, c


def _saddle_quantile_slope(d: int, lam: float, ln_n: float, mean: float):
    def g(D):
        return _saddle_log_cdf_pdf(D, d, lam)[0] + ln_n

    # the saddle-point form is singular at the mean (w = 0); search a little below it
    hi = mean - 0.05 * math.sqrt(2.0 * d + 4.0 * lam)
    lo = 1e-300
    if not (hi > 0 and g(hi) > 0):
        raise ValueError("n is too small for the saddle-point form (the 1/n quantile is too "
                         "close to the mean)")
    if not g(lo) < 0:
        raise ValueError("the 1/n quantile is below the smallest positive float (choose a "
                         "smaller ln n or a larger d)")
    try:
        D_star = optimize.brentq(g, lo, hi, xtol=1e-300, rtol=1e-14, maxiter=500)
    except RuntimeError as err:
        raise ValueError("the saddle-point quantile search did not converge in 500 "
                         "iterations") from err
    log_F, log_f, _w = _saddle_log_cdf_pdf(D_star, d, lam)
    return D_star, math.exp(log_f - log_F)
