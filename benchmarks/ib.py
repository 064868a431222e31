"""IB curve: ``kitlib.ib.ib_curve`` timed and compared with the ``embo`` package on the same table.

Workload (issue 5): a fixed random 10 × 10 joint table (the ``"random"`` preset of
``kitlib.tables.ib``), 200 values of β. embo (``pip install embo``, optional — not a dependency of
the kit) runs Blahut–Arimoto from random restarts at each β on an equally spaced grid and puts a
**bits**-KL in the exponent, p(t|x) ∝ p(t)·exp(−β_embo·KL_bits) = p(t)·exp(−(β_embo/ln 2)·KL_nats), so
β_nats = β_embo / ln 2, and embo reports informations in bits (× ln 2 → nats). We evaluate our curve
at exactly embo's β values (converted) and report:

* wall time of each (best of ``--repeat``) and the ratio embo / kitlib;
* agreement of the curves as curves: the largest vertical distance of embo's points from kitlib's
  curve (interpolated at embo's I(X;T)); "agree" means < 5e-3 nats and no embo point above it;
* agreement at matching β: max |ΔI(X;T)|, |ΔI(T;Y)| in nats, and the number of β where embo's
  Lagrangian I(X;T) − β·I(T;Y) is worse than kitlib's by more than 1e-4 nats (a local optimum:
  the point is on the curve but belongs to another β).

embo drops points that would make its curve non-monotonic; the comparison uses the points it keeps.
Writes ``benchmarks/results/ib.json``. Usage: ``python benchmarks/ib.py [--numbeta 200] [--repeat 2]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
from pathlib import Path

import numpy as np

from kitlib import ib
from kitlib.tables.ib import preset_joint
from _timing import best_of  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
LN2 = math.log(2.0)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numbeta", type=int, default=200)
    ap.add_argument("--beta-min", type=float, default=0.5, help="smallest β in nats")
    ap.add_argument("--beta-max", type=float, default=50.0, help="largest β in nats")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    pxy = preset_joint("random")
    print(f"workload: 10 x 10 table, {args.numbeta} betas in [{args.beta_min}, {args.beta_max}] (nats); "
          f"{os.cpu_count()} CPU(s), numpy {np.__version__}", flush=True)
    res: dict = {"numbeta": args.numbeta, "platform": platform.platform(), "cpus": os.cpu_count()}

    betas = np.geomspace(args.beta_min, args.beta_max, args.numbeta)
    t_ours, curve = best_of(lambda: ib.ib_curve(pxy, betas), args.repeat)
    res["kitlib_seconds_geomspace"] = t_ours
    print(f"kitlib ib_curve, {args.numbeta} log-spaced betas: {t_ours:.3f} s", flush=True)

    try:
        from embo import InformationBottleneck
    except Exception as exc:  # embo is optional
        print(f"embo unusable ({type(exc).__name__}: {exc}); `pip install embo` to compare")
        res["embo"] = f"unusable: {exc}"
    else:
        np.random.seed(0)  # embo draws its restarts from numpy's global generator

        def run_embo():
            model = InformationBottleneck(pxy=pxy, minbeta=LN2 * args.beta_min, maxbeta=LN2 * args.beta_max,
                                          numbeta=args.numbeta, restarts=3, iterations=100)
            return model.get_bottleneck()

        t_embo, (ix_e, iy_e, _hm, b_e) = best_of(run_embo, args.repeat)
        ix_e, iy_e, b_nats = np.asarray(ix_e) * LN2, np.asarray(iy_e) * LN2, np.asarray(b_e) / LN2
        t_same, ours = best_of(lambda: ib.ib_curve(pxy, b_nats), args.repeat)
        t_100, ours_100 = best_of(lambda: ib.ib_curve(pxy, b_nats, n_iter=100), args.repeat)
        L_100_excess = float(np.max((ours_100.I_XT - b_nats * ours_100.I_TY)
                                    - (ours.I_XT - b_nats * ours.I_TY)))
        d_ix = float(np.max(np.abs(ours.I_XT - ix_e)))
        d_iy = float(np.max(np.abs(ours.I_TY - iy_e)))
        L_ours = ours.I_XT - b_nats * ours.I_TY
        L_embo = ix_e - b_nats * iy_e
        frac = float(np.mean(L_ours <= L_embo + 1e-6))
        n_worse = int(np.sum(L_embo - L_ours > 1e-4))
        height = iy_e - np.interp(ix_e, ours.I_XT, ours.I_TY)
        gap, dist = float(np.max(height)), float(np.max(np.abs(height)))
        agree = dist < 5e-3 and gap < 1e-4
        res.update({"embo_seconds": t_embo, "kitlib_seconds_same_betas": t_same,
                    "embo_points_kept": int(b_nats.size), "ratio_embo_over_kitlib": t_embo / t_same,
                    "max_abs_dI_XT_nats": d_ix, "max_abs_dI_TY_nats": d_iy,
                    "fraction_kitlib_lagrangian_le_embo": frac, "max_embo_above_kitlib_curve_nats": gap,
                    "max_embo_distance_from_kitlib_curve_nats": dist, "betas_embo_worse": n_worse,
                    "curves_agree": agree, "kitlib_seconds_n_iter_100": t_100,
                    "ratio_embo_over_kitlib_n_iter_100": t_embo / t_100,
                    "kitlib_n_iter_100_max_lagrangian_excess_nats": L_100_excess})
        print(f"embo (restarts=3, iterations=100): {t_embo:.3f} s for {args.numbeta} betas "
              f"({b_nats.size} kept after its monotonicity filter)")
        print(f"kitlib on embo's betas (converted, beta_nats = beta_embo / ln 2): {t_same:.3f} s")
        print(f"time ratio embo / kitlib: {t_embo / t_same:.2f} (kitlib default n_iter=400: "
              "forward + reverse annealing + 4 restarts)")
        print(f"kitlib with embo's iteration cap (n_iter=100): {t_100:.3f} s, ratio {t_embo / t_100:.2f}; "
              f"its Lagrangian is at most {L_100_excess:.1e} nats above the default run's")
        print(f"max |dI(X;T)| = {d_ix:.4f} nats, max |dI(T;Y)| = {d_iy:.4f} nats at matching beta")
        print(f"kitlib Lagrangian <= embo's at {100 * frac:.0f}% of betas; embo worse by > 1e-4 nats "
              f"at {n_worse} betas (local optima)")
        print(f"embo's points vs kitlib's curve: max distance {dist:.2e} nats, max height above {gap:.2e}")
        print(f"curves agree (as curves): {'yes' if agree else 'NO'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ib.json").write_text(json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()
