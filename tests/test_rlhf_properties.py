"""Property tests for kitlib.rlhf on random instances (hypothesis, few examples, no deadline)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib import rlhf as R

SETTINGS = settings(max_examples=25, deadline=None)


@st.composite
def instances(draw, min_m=2, max_m=12):
    m = draw(st.integers(min_m, max_m))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(m, draw(st.sampled_from([0.3, 1.0, 5.0]))))
    p = np.maximum(p, 1e-12)
    p /= p.sum()
    levels = draw(st.sampled_from([2, 3, 0]))
    r = rng.integers(0, levels, m).astype(float) if levels else rng.standard_normal(m)
    if np.ptp(r) == 0:
        r[0] += 1.0
    return p, r


@SETTINGS
@given(instances())
def test_frontier_is_monotone_and_concave_in_kl(inst):
    p, r = inst
    betas = np.geomspace(1e-3, 1e3, 60)[::-1]  # decreasing β: increasing KL
    f = R.frontier(p, r, betas)
    assert np.all(np.diff(f.kl) >= -1e-12) and np.all(np.diff(f.reward) >= -1e-12)
    assert np.all(f.kl <= -math.log(p[r == r.max()].sum()) + 1e-12)
    # no policy beats the frontier: best-of-N sits on or below it
    for n in (2, 5, 40):
        b = R.best_of_n(p, r, n)
        c = R.kl_budget_policy(p, r, b.kl)
        assert b.reward <= c.reward + 1e-9


@SETTINGS
@given(instances(), st.floats(1.0, 1e6))
def test_bon_kl_below_bound_and_below_max(inst, n):
    p, r = inst
    for ties in ("draw_order", "identity"):
        b = R.best_of_n(p, r, n, ties=ties)
        assert 0 <= b.kl <= R.bon_kl_bound(n) + 1e-12
        assert abs(b.policy.sum() - 1) < 1e-12
        assert b.kl == np.float64(b.kl) and abs(b.kl - R.kl_to_ref(b.policy, p)) < 1e-9
    assert R.best_of_n(p, r, n).kl <= R.best_of_n(p, r, n, ties="identity").kl + 1e-12


@SETTINGS
@given(instances(), st.floats(0.05, 5.0), st.sampled_from(["reverse_kl", "forward_kl", "js", "alpha",
                                                           "neyman_chi2", "tv"]))
def test_f_optimum_is_a_distribution_and_beats_the_tilt_and_reference(inst, beta, div):
    p, r = inst
    a = 0.4 if div == "alpha" else None
    pi = R.f_regularized_policy(p, r, beta, div, alpha=a)
    assert np.all(pi >= 0) and abs(pi.sum() - 1) < 1e-12

    def obj(q):
        return q @ r - beta * R.f_divergence_value(q, p, div, alpha=a)

    scale = 1e-9 * (1 + np.abs(r).max())
    assert obj(pi) >= obj(p) - scale
    assert obj(pi) >= obj(R.tilt(p, r, beta)) - scale
    # more regularisation, less reward
    pi2 = R.f_regularized_policy(p, r, 2 * beta, div, alpha=a)
    assert pi2 @ r <= pi @ r + 1e-9


@SETTINGS
@given(instances(), st.floats(0.05, 5.0))
def test_korbak_identity_on_random_instances(inst, beta):
    p, r = inst
    q = np.random.default_rng(0).dirichlet(np.ones(p.size))
    log_z = np.log(p @ np.exp((r - r.max()) / beta)) + r.max() / beta
    lhs = R.rlhf_objective(q, p, r, beta)
    rhs = -beta * R.kl_to_ref(q, R.tilt(p, r, beta)) + beta * log_z
    assert abs(lhs - rhs) <= 1e-9 * (1 + abs(lhs))
