"""Property tests (hypothesis) for kitlib.ib: non-negativity and bounds of mutual information,
data processing along the bottleneck, monotone concave curves, DIB's H(T) >= I(T;Y)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib import ib

FAST = settings(max_examples=15, deadline=None)


@st.composite
def tables(draw):
    nx, ny = draw(st.integers(2, 5)), draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p = rng.random((nx, ny)) ** draw(st.sampled_from([1, 3]))
    return p / p.sum()


@FAST
@given(tables())
def test_mutual_information_bounds(p):
    i = ib.mutual_information(p)
    assert 0 <= i <= min(ib.entropy(p.sum(1)), ib.entropy(p.sum(0))) + 1e-12
    assert ib.mutual_information(p.T) == np.float64(i) or abs(ib.mutual_information(p.T) - i) < 1e-12


@FAST
@given(tables())
def test_coarse_graining_y_loses_information(p):
    merged = np.c_[p[:, 0] + p[:, 1], p[:, 2:]]
    assert ib.mutual_information(merged) <= ib.mutual_information(p) + 1e-12


@FAST
@given(tables())
def test_ib_curve_is_monotone_bounded_and_concave(p):
    betas = np.geomspace(0.5, 80, 25)
    c = ib.ib_curve(p, betas, n_restarts=2, n_iter=300)
    assert np.all(c.I_TY <= c.I_XT + 1e-9) and np.all(c.I_TY <= c.I_XY + 1e-9)
    assert np.all(c.I_XT <= c.H_T + 1e-9)
    assert np.all(np.diff(c.I_TY) >= -1e-6)
    L = c.I_XT[None, :] - betas[:, None] * c.I_TY[None, :]
    assert np.all(np.diag(L)[:, None] <= L + 1e-6)
    assert c.critical_beta >= 1 - 1e-9 or math.isinf(c.critical_beta)


@FAST
@given(tables())
def test_deterministic_ib_bounds(p):
    d = ib.deterministic_ib(p, [0.5, 3.0, 30.0], n_init=5)
    assert np.all(d.I_TY <= d.H_T + 1e-9) and np.all(d.H_T <= ib.entropy(p.sum(1)) + 1e-9)
    assert d.H_T[0] < 1e-9  # beta < 1: one cluster is optimal
