"""RLHF frontier throughput: exact tilt frontier and exact best-of-N curve, one run.

Workload (issue 6): M = 10⁴ responses (π_ref = softmax(z), Gaussian rewards, seed 0) and 300 values
of β (geometric, 10⁻³ … 10³) for ``kitlib.rlhf.frontier``; 300 values of N (geometric, 1 … 10⁶)
for ``kitlib.rlhf.best_of_n_curve``, with distinct rewards (10⁴ levels) and with 5 reward levels.

Measured in the same process (best of 5): the vectorised calls, and as a reference a per-value
Python loop over :func:`kitlib.rlhf.tilt` + :func:`kitlib.rlhf.kl_to_ref` (frontier) and over
:func:`kitlib.rlhf.best_of_n` (best-of-N), with the largest absolute difference between the two.
Prints a table and writes ``benchmarks/results/rlhf.json``.

Usage: ``python benchmarks/rlhf.py [--m 10000] [--k 300]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path

import numpy as np

from kitlib import rlhf
from _timing import best_of  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--m", type=int, default=10_000)
    ap.add_argument("--k", type=int, default=300)
    args = ap.parse_args(argv)
    p, r = rlhf.categorical_lm(args.m, 1.0, seed=0)
    _, r5 = rlhf.categorical_lm(args.m, 1.0, seed=0, reward="levels", n_levels=5)
    betas = np.geomspace(1e-3, 1e3, args.k)
    ns = np.geomspace(1, 1e6, args.k)

    rows = {}
    t, f = best_of(lambda: rlhf.frontier(p, r, betas))
    t_loop, loop = best_of(lambda: [(q @ r, rlhf.kl_to_ref(q, p))
                                    for q in (rlhf.tilt(p, r, b) for b in betas)], 1)
    loop = np.array(loop)
    rows["frontier"] = {"seconds": t, "loop_seconds": t_loop,
                        "max_abs_diff": float(max(np.abs(f.reward - loop[:, 0]).max(),
                                                  np.abs(f.kl - loop[:, 1]).max()))}
    for name, rew in (("best_of_n_distinct", r), ("best_of_n_5_levels", r5)):
        t, c = best_of(lambda rew=rew: rlhf.best_of_n_curve(p, rew, ns))
        t_loop, loop = best_of(lambda rew=rew: [rlhf.best_of_n(p, rew, n) for n in ns], 1)
        rows[name] = {"seconds": t, "loop_seconds": t_loop,
                      "max_abs_diff": float(max(np.abs(c.kl - [b.kl for b in loop]).max(),
                                                np.abs(c.reward - [b.reward for b in loop]).max())),
                      "kl_below_bound": bool(np.all(c.kl <= rlhf.bon_kl_bound(ns) + 1e-12))}

    print(f"M = {args.m:,} responses x {args.k} values (best of 5)")
    print(f"{'computation':22s} {'vectorised':>12s} {'per-value loop':>15s} {'max |diff|':>11s}")
    for name, row in rows.items():
        print(f"{name:22s} {1e3 * row['seconds']:9.1f} ms {1e3 * row['loop_seconds']:12.1f} ms "
              f"{row['max_abs_diff']:11.1e}")
    result = {"workload": {"m": args.m, "values": args.k, "beta_range": [1e-3, 1e3], "n_range": [1, 1e6],
                           "cpus": os.cpu_count(), "python": platform.python_version(),
                           "numpy": np.__version__},
              "results": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "rlhf.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


if __name__ == "__main__":
    main()
