"""Numbers quoted in the prose of notebook 03 (information-bottleneck planes)."""

import math

import numpy as np

from kitlib import ib

NOTEBOOK = "03_information_bottleneck.ipynb"


def _z_channel_leaves() -> float:
    """1/s* for the Z channel: s* = sup I(T;Y)/I(X;T) over two-cluster encoders (a grid search
    over the encoder, refined once around the best point)."""
    p = np.array([[0.5, 0.0], [0.25, 0.25]])
    best = (0.0, 0.5, 0.5)
    lo_a, hi_a, lo_b, hi_b = 0.0, 1.0, 0.0, 1.0
    for _ in range(3):
        a, b = np.meshgrid(np.linspace(lo_a, hi_a, 301), np.linspace(lo_b, hi_b, 301), indexing="ij")
        q = np.stack([np.stack([a, 1 - a], -1), np.stack([b, 1 - b], -1)], -2)  # (..., X, T)
        ix, iy, _ = ib.encoder_information(q, p)
        ratio = np.where(ix > 1e-9, iy / np.maximum(ix, 1e-300), 0.0)
        k = np.unravel_index(np.argmax(ratio), ratio.shape)
        best = (float(ratio[k]), float(a[k]), float(b[k]))
        da, db = (hi_a - lo_a) / 30, (hi_b - lo_b) / 30
        lo_a, hi_a = max(best[1] - da, 0.0), min(best[1] + da, 1.0)
        lo_b, hi_b = max(best[2] - db, 0.0), min(best[2] + db, 1.0)
    return 1.0 / best[0]


QUOTED = {
    "1.5625": lambda: ib.critical_beta(ib.binary_symmetric_source(0.1)),
    # second split of the straight-segment preset: the residual pair is a BSS with ρ = 0.6
    "2.78": lambda: ib.critical_beta(np.array([[0.4, 0.1], [0.1, 0.4]])),
    "2.41": _z_channel_leaves,
    "8.32": lambda: math.log(4096),
}

SETTINGS = {
    "03": "notebook number in the title",
    "0.01": "smallest noise level σ of Explore 4's slider",
    "0.3": "ρ₃ of Explore 2's default (exercise 1 setting)",
    "0.6": "ρ₂ of the default / correlation of the residual pair in the straight-segment preset",
    "0.9": "ρ₁ of Explore 2's default",
    "0.7": "correlation given in exercise 2",
    "2.6": "β asked about in think question 2 (between 1/s* and 1/ρ_m² of the Z channel)",
    "12": "number of binary inputs of the Shwartz-Ziv–Tishby task",
    "4096": "number of input patterns, 2^12",
    "256": "fixed subset of patterns for the pairwise (KT) estimator",
    "30": "bins per unit (the experiment's setting)",
    "300": "largest bin count of the slider",
    "60": "estimated time in minutes",
    "1999": "year of a reference",
    "2004": "year of a reference",
    "2005": "year of a reference",
    "2017": "year of a reference",
    "2018": "year of a reference",
    "2024": "year of a reference",
}
