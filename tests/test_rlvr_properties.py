"""Property tests for kitlib.rlvr on random instances (hypothesis, few examples, no deadline)."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib import rlvr as V

SETTINGS = settings(max_examples=25, deadline=None)


@st.composite
def policies(draw, min_k=2, max_k=8, holes=True):
    k = draw(st.integers(min_k, max_k))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    th = rng.normal(scale=draw(st.sampled_from([0.5, 2.0, 5.0])), size=k)
    if holes and k > 2 and draw(st.booleans()):
        th[rng.integers(1, k)] = -np.inf
    n_prompts = draw(st.integers(1, 5))
    R = (rng.random((n_prompts, k)) < draw(st.sampled_from([0.2, 0.5, 0.8]))).astype(float)
    return th, R


@SETTINGS
@given(policies(), st.integers(2, 40), st.sampled_from(["std", "none"]), st.sampled_from([0, 1]),
       st.sampled_from([0.0, 1e-6, 0.1]))
def test_update_sums_to_zero_parts_add_and_holes_stay(inst, G, scale, ddof, eps):
    th, R = inst
    kw = dict(scale=scale, ddof=ddof, eps=eps)
    u = V.grpo_expected_update(th, R, G, **kw)
    pos = V.grpo_expected_update(th, R, G, part="positive", **kw)
    neg = V.grpo_expected_update(th, R, G, part="negative", **kw)
    assert abs(u.sum()) < 1e-13 and abs(pos.sum()) < 1e-13 and abs(neg.sum()) < 1e-13
    np.testing.assert_allclose(pos + neg, u, atol=1e-14)
    assert (u[~np.isfinite(th)] == 0).all()
    # the positive part never lowers a correct answer of a single prompt, the negative part never
    # raises a wrong one (each relative to the mean logit shift, which is 0)
    if R.shape[0] == 1:
        r = R[0]
        assert (pos[r == 1] >= -1e-15).all() and (neg[r == 0] <= 1e-15).all()


@settings(max_examples=10, deadline=None)
@given(policies(max_k=3, holes=False), st.integers(2, 4), st.sampled_from([0, 1]))
def test_expected_update_equals_enumeration_over_all_groups(inst, G, ddof):
    th, R = inst
    r = R[0]
    pi = np.exp(th - th.max())
    pi /= pi.sum()
    k = th.size
    want = np.zeros(k)
    for ys in itertools.product(range(k), repeat=G):
        ys = np.array(ys)
        A = V.grpo_advantages(r[ys], ddof=ddof, eps=1e-3)
        want += np.prod(pi[ys]) * (np.bincount(ys, weights=A, minlength=k) - pi * A.sum()) / G
    np.testing.assert_allclose(V.grpo_expected_update(th, r, G, ddof=ddof, eps=1e-3), want,
                               atol=1e-13)


@SETTINGS
@given(policies(), st.sampled_from(["k1", "k2", "k3"]), st.sampled_from(["reward", "loss"]))
def test_kl_grads_sum_to_zero(inst, est, place):
    th, _ = inst
    rng = np.random.default_rng(0)
    ref = rng.normal(size=th.size)
    g = V.kl_grad(th, ref, est, place)
    assert abs(g.sum()) < 1e-13 and (g[~np.isfinite(th)] == 0).all()


@SETTINGS
@given(st.integers(3, 8), st.integers(0, 2**31 - 1), st.floats(0.02, 3.0))
def test_forward_kl_optimum_is_optimal_with_holes(k, seed, beta):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k))
    p[rng.random(k) < 0.4] = 0.0
    if p.sum() == 0:
        p[0] = 1.0
    p /= p.sum()
    r = rng.random(k)
    pi = V.regularized_optimum(p, r, beta, "forward_kl")
    sup = p > 0

    def J(q):
        return q @ r + beta * np.sum(p[sup] * np.log(q[sup]))

    assert abs(pi.sum() - 1) < 1e-12 and (pi >= 0).all()
    for _ in range(30):
        q = np.abs(pi + 1e-3 * rng.normal(size=k))
        q /= q.sum()
        assert J(q) <= J(pi) + 1e-10
    # reverse KL never leaves the support
    assert (V.regularized_optimum(p, r, beta, "reverse_kl")[~sup] == 0).all()


@SETTINGS
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6), st.integers(1, 30), st.data())
def test_unbiased_estimator_mean_is_pass_at_k(ps, n, data):
    k = data.draw(st.integers(1, n))
    d = V.pass_at_k_spread(np.array(ps), n, k)
    assert abs(d["unbiased_mean"] - d["true"]) < 1e-12
    assert d["plugin_mean"] <= d["true"] + 1e-12  # plug-in is biased low (Jensen)
