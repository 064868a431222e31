"""Property tests (hypothesis) for kitlib.divergences: the axioms every divergence must satisfy.

Non-negativity, zero iff p = q (with quantitative lower bounds in terms of TV, so "positive"
cannot be satisfied by a tiny accident), data processing under merging bins, symmetry, range
bounds, and continuity of Minka's α-divergence at α = 0 and α = 1.
"""

from __future__ import annotations

import math

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import kitlib.divergences as D

SETTINGS = settings(max_examples=60, deadline=None)

ALPHAS = st.floats(-3.0, 4.0, allow_nan=False)
ORDERS = st.floats(0.05, 5.0, allow_nan=False)


@st.composite
def prob_vectors(draw, n=None, min_size=2, max_size=8, floor=0.0):
    """A probability vector; with floor = 0 it may contain zeros and tiny entries."""
    if n is None:
        n = draw(st.integers(min_size, max_size))
    raw = draw(hnp.arrays(np.float64, n, elements=st.floats(floor, 1.0, allow_nan=False)))
    assume(raw.sum() > 0)
    return raw / raw.sum()


@st.composite
def prob_pairs(draw, floor=0.0):
    n = draw(st.integers(2, 8))
    return draw(prob_vectors(n=n, floor=floor)), draw(prob_vectors(n=n, floor=floor))


def _named(alpha, order):
    """All discrete divergences, as name -> function(p, q)."""
    return {
        "kl": D.kl,
        "js": D.js,
        "alpha": lambda p, q: D.alpha_divergence(p, q, alpha),
        "renyi": lambda p, q: D.renyi(p, q, order),
        "hellinger2": D.hellinger2,
        "tv": D.tv,
        "chi2": D.chi2,
        "cauchy_schwarz": D.cauchy_schwarz,
        **{f"f:{name}": (lambda p, q, name=name: D.f_divergence(p, q, name))
           for name in D.F_DIVERGENCES},
    }


@SETTINGS
@given(prob_pairs(), ALPHAS, ORDERS)
def test_non_negative_and_never_nan(pq, alpha, order):
    p, q = pq
    for name, fn in _named(alpha, order).items():
        value = fn(p, q)
        assert not math.isnan(value), name
        assert value >= 0.0, name


@SETTINGS
@given(prob_vectors(), ALPHAS, ORDERS)
def test_zero_at_p_equals_q(p, alpha, order):
    for name, fn in _named(alpha, order).items():
        assert fn(p, p) == pytest.approx(0.0, abs=1e-12), name


@SETTINGS
@given(prob_pairs(), ALPHAS, ORDERS)
def test_positive_for_p_not_q_by_a_margin(pq, alpha, order):
    p, q = pq
    t = D.tv(p, q)
    assume(t > 1e-3)
    t2 = t * t
    slack = 1 - 1e-9
    assert D.kl(p, q) >= 2 * t2 * slack  # Pinsker
    assert D.kl(q, p) >= 2 * t2 * slack
    assert D.js(p, q) >= 0.5 * t2 * slack  # Pinsker against the midpoint
    assert D.hellinger2(p, q) >= 0.5 * t2 * slack  # TV^2 <= H^2 (2 - H^2)
    assert D.chi2(p, q) >= 4 * t2 * slack  # Cauchy-Schwarz
    assert D.renyi(p, q, order) >= min(1.0, order / (1 - order) if order < 1 else 1.0) * t2 * slack
    assert D.alpha_divergence(p, q, alpha) >= t2 / max(2.0, alpha, 1 - alpha) * slack
    # -2 log cos(theta) >= 2 (1 - cos(theta)) = |p/|p| - q/|q||^2 > 0 for p != q
    chord = np.sum((p / np.linalg.norm(p) - q / np.linalg.norm(q)) ** 2)
    assert D.cauchy_schwarz(p, q) >= chord * slack


def _merge(x, i, j):
    out = np.delete(x, j)
    out[i if i < j else i - 1] += x[j]
    return out


@SETTINGS
@given(prob_pairs(), ALPHAS, ORDERS, st.data())
def test_data_processing_under_merging_bins(pq, alpha, order, data):
    p, q = pq
    n = p.size
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.integers(0, n - 1).filter(lambda k: k != i))
    pm, qm = _merge(p, i, j), _merge(q, i, j)
    fns = _named(alpha, order)
    for name in ("kl", "js", "alpha", "hellinger2", "tv", "chi2", "renyi",
                 *(f"f:{k}" for k in D.F_DIVERGENCES)):
        before, after = fns[name](p, q), fns[name](pm, qm)
        assert after <= before * (1 + 1e-9) + 1e-12, (name, before, after)


@SETTINGS
@given(prob_pairs())
def test_symmetric_ones_are_symmetric(pq):
    p, q = pq
    for fn in (D.js, D.hellinger2, D.tv, D.cauchy_schwarz):
        a, b = fn(p, q), fn(q, p)
        assert a == b or a == pytest.approx(b, rel=1e-12, abs=1e-15)


@SETTINGS
@given(prob_pairs())
def test_range_bounds(pq):
    p, q = pq
    assert D.js(p, q) <= math.log(2)
    assert D.tv(p, q) <= 1.0
    assert D.hellinger2(p, q) <= 1.0


@SETTINGS
@given(prob_pairs(floor=0.01))
def test_alpha_continuous_at_zero_and_one(pq):
    p, q = pq
    forward, reverse = D.kl(p, q), D.kl(q, p)
    # |D_alpha - KL| = O(alpha E[L^2]) with |L| = |log(p/q)| < log(800) for these vectors
    tol = 1e-7 * 50
    for h in (1e-7, -1e-7):
        assert abs(D.alpha_divergence(p, q, h) - reverse) <= tol
        assert abs(D.alpha_divergence(p, q, 1 + h) - forward) <= tol
        assert abs(D.renyi(p, q, 1 + h) - forward) <= tol
    # exactly at the limits: the KL values (log differences vs rel_entr: last digits may differ)
    assert D.alpha_divergence(p, q, 0.0) == pytest.approx(reverse, rel=1e-10, abs=1e-15)
    assert D.alpha_divergence(p, q, 1.0) == pytest.approx(forward, rel=1e-10, abs=1e-15)


@SETTINGS
@given(prob_pairs(floor=1e-6), ALPHAS)
def test_grid_divergence_is_the_discrete_divergence_of_the_grid_masses(pq, alpha):
    p, q = pq
    lp, lq = np.log(p), np.log(q)
    dx = 0.37  # any spacing: both densities are normalised on the grid
    pairs = {"forward_kl": D.kl(p, q), "reverse_kl": D.kl(q, p), "js": D.js(p, q),
             "hellinger": D.hellinger2(p, q), "tv": D.tv(p, q), "chi2": D.chi2(p, q),
             "neyman_chi2": D.chi2(q, p), "cauchy_schwarz": D.cauchy_schwarz(p, q),
             "alpha": D.alpha_divergence(p, q, alpha)}
    for name, value in pairs.items():
        kw = {"alpha": alpha} if name == "alpha" else {}
        got = D.grid_divergence(lp - math.log(dx), lq, dx, name, **kw)
        assert got == pytest.approx(value, rel=1e-9, abs=1e-14), name


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.floats(0.05, 2.0), st.data())
def test_sinkhorn_non_negative_and_symmetric(n, m, eps, data):
    x = data.draw(hnp.arrays(np.float64, n, elements=st.floats(-2, 2)))
    y = data.draw(hnp.arrays(np.float64, m, elements=st.floats(-2, 2)))
    a = data.draw(prob_vectors(n=n, floor=0.05))
    b = data.draw(prob_vectors(n=m, floor=0.05))
    s = D.sinkhorn_divergence(x, a, y, b, eps)
    assert s >= 0.0
    assert D.sinkhorn_divergence(y, b, x, a, eps) == pytest.approx(s, rel=1e-8, abs=1e-12)
    assert D.sinkhorn_divergence(x, a, x, a, eps) == 0.0
