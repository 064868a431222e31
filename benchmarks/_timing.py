"""Timing helper shared by the benchmarks (imported as ``from _timing import best_of``)."""

from __future__ import annotations

import math
import time


def best_of(fn, repeats: int = 5) -> tuple[float, object]:
    """Run ``fn`` ``repeats`` times; return the shortest wall time (s) and the last result."""
    best, out = math.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out
