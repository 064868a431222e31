"""Gaussian KDE throughput: ``kitlib.kde.log_kde`` against scipy and scikit-learn, one run.

Workload (DESIGN.md / issue 4): d = 50, n = 10⁵ data points, m = 400 evaluation points, standard
Gaussian data, bandwidth h = 1 per coordinate. The data are whitened so that their sample
covariance is exactly the identity; then ``scipy.stats.gaussian_kde(bw_method=h)`` (whose kernel
covariance is the data covariance times h²) and ``sklearn.neighbors.KernelDensity(bandwidth=h)``
(exact: rtol = atol = 0) evaluate the very same estimator as ``log_kde(x, y, h)``.

Measured in the same process:

* wall time of each method (ours: best of 5; peers: one run, they take seconds), reported as
  speed-up ratios over scipy and scikit-learn;
* achieved GFLOP/s of ``log_kde`` counting its 2·m·n·d matrix-product flops, against a plain
  2048 × 2048 matrix product (``A @ B``, best of 3) in the same precision — the practical peak;
* accuracy: float64 and float32 against a brute-force reference (exact differences x − y, no
  |x|² + |y|² − 2x·y expansion, then log-sum-exp), and the peers against the same reference.

Targets: float32 ≥ 10× and float64 ≥ 3× faster than scipy.stats.gaussian_kde; float64 equal
to the brute-force reference to 1e-8. Writes ``benchmarks/results/kde.json``.

Usage: ``python benchmarks/kde.py [--n 100000] [--m 400] [--d 50] [--h 1.0] [--skip-sklearn]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
from scipy import special, stats

from kitlib import kde
from _timing import best_of  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def whitened_gaussian(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """Standard Gaussian data, affinely adjusted so that mean = 0 and np.cov(y.T) = I exactly."""
    y = rng.standard_normal((n, d))
    y -= y.mean(axis=0)
    chol = np.linalg.cholesky(np.cov(y.T))
    return np.linalg.solve(chol, y.T).T


def brute_reference(x: np.ndarray, y: np.ndarray, h: float) -> np.ndarray:
    """log ρ̂ from exact squared differences, one evaluation point at a time."""
    n, d = y.shape
    out = np.empty(len(x))
    for i, xi in enumerate(x):
        diff = y - xi
        D = np.einsum("ij,ij->i", diff, diff)
        out[i] = special.logsumexp(-D / (2 * h * h))
    return out - np.log(n) - 0.5 * d * np.log(2 * np.pi * h * h)


def matmul_peak(dtype, size: int = 2048, repeats: int = 3) -> float:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(dtype)
    b = rng.standard_normal((size, size)).astype(dtype)
    a @ b  # warm-up
    t, _ = best_of(lambda: a @ b, repeats)
    return 2.0 * size**3 / t / 1e9


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--m", type=int, default=400)
    ap.add_argument("--d", type=int, default=50)
    ap.add_argument("--h", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--skip-sklearn", action="store_true")
    args = ap.parse_args(argv)
    n, m, d, h = args.n, args.m, args.d, args.h
    rng = np.random.default_rng(2024)
    y = whitened_gaussian(n, d, rng)
    x = rng.standard_normal((m, d))
    flops = 2.0 * m * n * d

    print(f"workload: d = {d}, n = {n:,}, m = {m}, h = {h}; {os.cpu_count()} CPU(s), "
          f"numpy {np.__version__}, {platform.processor() or platform.machine()}", flush=True)
    ref = brute_reference(x, y, h)

    kde.log_kde(x[:8], y, h)  # warm-up (allocations, BLAS threads)
    t64, v64 = best_of(lambda: kde.log_kde(x, y, h), args.repeats)
    t32, v32 = best_of(lambda: kde.log_kde(x, y, h, dtype=np.float32), args.repeats)

    t0 = time.perf_counter()
    v_scipy = stats.gaussian_kde(y.T, bw_method=h).logpdf(x.T)
    t_scipy = time.perf_counter() - t0

    t_sk, v_sk = float("nan"), None
    if not args.skip_sklearn:
        try:
            from sklearn.neighbors import KernelDensity
        except ImportError as err:  # not in the kit's environment: benchmarks/requirements.txt
            raise SystemExit("scikit-learn is not installed: `pip install -r benchmarks/requirements.txt`"
                             " (or run with --skip-sklearn)") from err

        t0 = time.perf_counter()
        v_sk = KernelDensity(bandwidth=h, kernel="gaussian", rtol=0.0, atol=0.0).fit(y).score_samples(x)
        t_sk = time.perf_counter() - t0

    peak64, peak32 = matmul_peak(np.float64), matmul_peak(np.float32)

    def err(v):
        return None if v is None else float(np.max(np.abs(v - ref)))

    res = {
        "workload": {"d": d, "n": n, "m": m, "h": h, "cpus": os.cpu_count()},
        "seconds": {"log_kde_float64": t64, "log_kde_float32": t32, "scipy_gaussian_kde": t_scipy,
                    "sklearn_KernelDensity": t_sk},
        "speedup_vs_scipy": {"float64": t_scipy / t64, "float32": t_scipy / t32},
        "speedup_vs_sklearn": {"float64": t_sk / t64, "float32": t_sk / t32},
        "gflops": {"float64": flops / t64 / 1e9, "float32": flops / t32 / 1e9,
                   "matmul_peak_float64": peak64, "matmul_peak_float32": peak32},
        "max_abs_error_vs_brute_force": {"float64": err(v64), "float32": err(v32),
                                         "scipy": err(v_scipy), "sklearn": err(v_sk)},
        "float32_vs_float64": {"max_abs": float(np.max(np.abs(v32 - v64))),
                               "max_rel": float(np.max(np.abs(v32 - v64) / np.abs(v64)))},
    }
    res["targets"] = {
        "float32_at_least_10x_scipy": res["speedup_vs_scipy"]["float32"] >= 10,
        "float64_at_least_3x_scipy": res["speedup_vs_scipy"]["float64"] >= 3,
        "float64_equals_brute_force_1e-8": res["max_abs_error_vs_brute_force"]["float64"] <= 1e-8,
    }

    g, e = res["gflops"], res["max_abs_error_vs_brute_force"]
    print(f"\n{'method':28s} {'time [s]':>9s} {'× scipy':>8s} {'× sklearn':>10s} {'GFLOP/s':>8s} "
          f"{'% peak':>7s} {'max |err|':>10s}")
    rows = [("kitlib log_kde float64", t64, g["float64"], peak64, e["float64"]),
            ("kitlib log_kde float32", t32, g["float32"], peak32, e["float32"]),
            ("scipy gaussian_kde", t_scipy, flops / t_scipy / 1e9, peak64, e["scipy"]),
            ("sklearn KernelDensity", t_sk, flops / t_sk / 1e9, peak64, e["sklearn"])]
    for name, t, gf, pk, er in rows:
        er_txt = "-" if er is None else f"{er:.1e}"
        print(f"{name:28s} {t:9.3f} {t_scipy / t:8.1f} {t_sk / t:10.1f} {gf:8.1f} {100 * gf / pk:6.1f}% "
              f"{er_txt:>10s}")
    print(f"\nplain matmul peak: {peak64:.1f} GFLOP/s (float64), {peak32:.1f} GFLOP/s (float32)")
    print(f"float32 vs float64 log-density: max abs {res['float32_vs_float64']['max_abs']:.2e}, "
          f"max rel {res['float32_vs_float64']['max_rel']:.2e}")
    for k, ok in res["targets"].items():
        print(f"target {k}: {'met' if ok else 'MISSED'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "kde.json").write_text(json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()
